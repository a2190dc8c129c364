//! The shipped chronicle in a real browser: builds it for a loopback
//! address and runs `tests/browser/run.mjs`, which serves it, loads the
//! home, a day, a thread, an actor, an article and the search page (and a
//! few more) in headless Chromium, and fails on console errors, failed
//! requests and serious or critical axe-core violations. Screenshots go to
//! `target/browser/`.
//!
//! Needs Chromium and the npm packages of `tests/browser/package-lock.json`
//! (main.rs says how to run it).

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use chronicle::config::Overrides;
use chronicle::BuildOptions;

#[test]
fn the_shipped_site_passes_the_browser_checks() {
    let repo = crate::common::repo();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let modules = repo.join("tests/browser/node_modules");
    assert!(
        Path::new(&chromium).exists() && modules.join("playwright-core").exists(),
        "the browser test needs Chromium ({chromium}) and tests/browser/node_modules: \
         run tests/browser/setup.sh once (.ci/run does)"
    );

    // A free loopback port; run.mjs binds it again, so the site's links match.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let base_url = format!("http://127.0.0.1:{port}/chronicle/");
    let site = repo.join("target/browser-site");
    let report = chronicle::build(&BuildOptions {
        root: repo.clone(),
        overrides: Overrides {
            output_dir: Some(site.clone()),
            base_url: Some(base_url.clone()),
            strict: false,
        },
        ..Default::default()
    });
    assert!(
        report.succeeded(),
        "the shipped site does not build: {:?}",
        report.diagnostics.items()
    );

    let run = Command::new("node")
        .arg(repo.join("tests/browser/run.mjs"))
        .args(["--site".as_ref(), site.as_os_str()])
        .args(["--out".as_ref(), repo.join("target/browser").as_os_str()])
        .args(["--chromium", &chromium, "--base-url", &base_url])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "browser checks failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
}

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
    browser_checks(&repo, "shipped", &[]);
}

/// The editorial fixture (a claim, a claim review, corrections, an
/// approximate time, provenance) in the browser: the day with the claim,
/// the corrections page and the article with its provenance.
#[test]
fn a_claim_and_a_correction_pass_the_browser_checks() {
    let site = crate::common::Site::fixture_with(&format!(
        "{}publisher = \"Fixture Desk\"\n",
        crate::common::SITE_TOML
    ));
    site.write(
        "content/articles/2022/02/roundup-0201.md",
        &std::fs::read_to_string(
            crate::common::repo().join("tests/fixtures/editorial/roundup-0201.md"),
        )
        .unwrap(),
    );
    browser_checks(
        site.root(),
        "editorial",
        &[
            "claim-day=days/2022-01-31/",
            "review-day=days/2022-02-01/",
            "corrections=corrections/",
            "provenance=articles/roundup-0201/",
            "claims-actor=actors/russia/",
        ],
    );
}

/// Pages split in two: a day (`day_paginate_by`), both its pages, with the
/// pager beside the day navigation and the page's own glance and "by
/// thread"; and a thread's second page (`paginate_by`). The shipped
/// chronicle has no page long enough for a pager.
#[test]
fn pages_split_in_two_pass_the_browser_checks() {
    let site = crate::common::Site::fixture_with(&format!(
        "{}day_paginate_by = 2\npaginate_by = 2\n",
        crate::common::SITE_TOML
    ));
    browser_checks(
        site.root(),
        "split-pages",
        &[
            "day-page-1=days/2022-01-26/",
            "day-page-2=days/2022-01-26/page/2/",
            "thread-page-2=threads/security-guarantees/page/2/",
        ],
    );
}

/// The shipped chronicle's `timeline.json` in the real TimelineJS, embedded
/// at the size its docs suggest: every event shown, the time navigation in
/// at most half the embed, no headline cut (tests/browser/timelinejs.mjs).
#[test]
fn the_timeline_export_embeds_well_in_timelinejs() {
    let repo = crate::common::repo();
    let built = build_for_browser(&repo, "timelinejs");
    run_node(
        "timelinejs.mjs",
        &built,
        &[
            "--out",
            &repo.join("target/browser/timelinejs").to_string_lossy(),
        ],
    );
}

/// A site built for a loopback address, for a browser check.
struct Built {
    site: std::path::PathBuf,
    base_url: String,
    chromium: String,
}

/// Builds the site at `root` into `target/browser-site-{name}` for a free
/// loopback address (the node script binds it again, so links match).
fn build_for_browser(root: &Path, name: &str) -> Built {
    let repo = crate::common::repo();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let modules = repo.join("tests/browser/node_modules");
    assert!(
        Path::new(&chromium).exists() && modules.join("playwright-core").exists(),
        "the browser test needs Chromium ({chromium}) and tests/browser/node_modules: \
         run tests/browser/setup.sh once (.ci/run does)"
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let base_url = format!("http://127.0.0.1:{port}/chronicle/");
    let site = repo.join(format!("target/browser-site-{name}"));
    let report = chronicle::build(&BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides {
            output_dir: Some(site.clone()),
            base_url: Some(base_url.clone()),
            strict: false,
        },
        ..Default::default()
    });
    assert!(
        report.succeeded(),
        "the {name} site does not build: {:?}",
        report.diagnostics.items()
    );
    Built {
        site,
        base_url,
        chromium,
    }
}

/// Runs `tests/browser/{script}` on a built site with `extra` arguments and
/// fails with its output unless it succeeds.
fn run_node(script: &str, built: &Built, extra: &[&str]) {
    let repo = crate::common::repo();
    let run = Command::new("node")
        .arg(repo.join("tests/browser").join(script))
        .args(["--site".as_ref(), built.site.as_os_str()])
        .args(["--chromium", &built.chromium, "--base-url", &built.base_url])
        .args(extra)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
    println!("{stdout}");
}

/// Builds the site at `root` for a loopback address and runs run.mjs on it:
/// on the shipped list of pages, or on `pages` (`NAME=PATH`) when given.
fn browser_checks(root: &Path, name: &str, pages: &[&str]) {
    let repo = crate::common::repo();
    let built = build_for_browser(root, name);
    let out = repo.join(format!("target/browser/{name}"));
    let mut extra = vec!["--out", out.to_str().expect("a UTF-8 path")];
    extra.extend(pages.iter().flat_map(|p| ["--page", p]));
    run_node("run.mjs", &built, &extra);
}

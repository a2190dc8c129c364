//! The published output is safe: a killed build leaves it as it was, and a
//! successful one leaves nothing stale in it and nothing outside it.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A site big enough that writing it takes a while.
fn big_site(articles: usize, headline: &str) -> Site {
    let site = Site::fixture();
    for i in 0..articles {
        site.write(
            &format!("content/articles/bulk/a{i:05}.md"),
            &format!(
                "---\ntitle: Bulk {i}\nsource: Bulk Wire\npublished: 2022-01-{:02}\nentries:\n  - id: bulk-{i}\n    at: 2022-01-{:02}\n    headline: {headline} {i}\n    threads: [security-guarantees]\n    actors: [lavrov]\n    evidence: [\"paragraph number {i}\"]\n---\nThis is paragraph number {i} of the bulk wire.\n",
                1 + i % 28,
                1 + i % 28
            ),
        );
    }
    site
}

/// A child process that is killed and reaped however the test ends.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn staging_dirs(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".chronicle-"))
        .collect()
}

#[test]
fn a_build_killed_midway_leaves_the_previous_output_byte_identical() {
    let site = big_site(1500, "First version");
    site.build_ok();
    let before = snapshot(&site.output());
    assert!(before.len() > 1500);

    // Change every entry, then kill the rebuild while it is writing pages.
    for i in 0..1500 {
        let path = site
            .root()
            .join(format!("content/articles/bulk/a{i:05}.md"));
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("First version", "Second version");
        std::fs::write(path, text).unwrap();
    }
    let mut child = Reaped(
        Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let child = &mut child.0;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut killed_midway = false;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build finished ({status}) before it could be killed; make the site bigger");
        }
        let writing = staging_dirs(site.root()).iter().any(|d| {
            let dir = site.root().join(d);
            walkdir::WalkDir::new(dir)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .count()
                > 20
        });
        if writing {
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            killed_midway = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(killed_midway, "never saw the build writing");
    assert_eq!(snapshot(&site.output()), before, "the output changed");

    // The next build cleans up what the killed one left, and succeeds.
    assert!(
        !staging_dirs(site.root()).is_empty(),
        "the killed build left its staging directory"
    );
    site.build_ok();
    assert!(
        staging_dirs(site.root()).is_empty(),
        "{:?}",
        staging_dirs(site.root())
    );
    assert!(site
        .page("days/2022-01-01/index.html")
        .contains("Second version"));
}

#[test]
fn a_successful_build_removes_stale_files_and_touches_nothing_outside_the_output() {
    let site = Site::fixture();
    site.build_ok();
    std::fs::write(site.output().join("stale.html"), "old").unwrap();
    std::fs::create_dir_all(site.output().join("days/1999-01-01")).unwrap();
    std::fs::write(site.output().join("days/1999-01-01/index.html"), "old").unwrap();
    let outside_before: BTreeMap<String, Vec<u8>> = snapshot(site.root())
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public"))
        .collect();
    site.build_ok();
    assert!(!site.output().join("stale.html").exists());
    assert!(!site.output().join("days/1999-01-01").exists());
    let outside_after: BTreeMap<String, Vec<u8>> = snapshot(site.root())
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public"))
        .collect();
    assert_eq!(
        outside_before, outside_after,
        "files outside the output changed"
    );
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = Site::fixture();
    site.build_ok();
    let first = snapshot(&site.output());
    site.build_ok();
    assert_eq!(snapshot(&site.output()), first);
}

/// Every file of the output with its inode and modification time.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, (meta.ino(), meta.modified().unwrap()))
        })
        .collect()
}

#[test]
fn a_rebuild_with_nothing_changed_writes_no_file() {
    let site = Site::fixture();
    site.build_ok();
    let before = stamps(&site.output());
    std::thread::sleep(Duration::from_millis(20));
    let report = site.build_ok();
    assert_eq!(report.stats.files_written, 0);
    assert_eq!(report.stats.files_unchanged, before.len());
    assert_eq!(
        stamps(&site.output()),
        before,
        "same inodes and modification times"
    );
}

#[test]
fn a_rebuild_after_one_edit_rewrites_only_the_pages_that_show_it() {
    let site = Site::fixture();
    site.build_ok();
    let before = stamps(&site.output());
    let sidecar = site
        .root()
        .join("content/articles/2022/01/wire-moscow.yaml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(
        &sidecar,
        text.replace(
            "Lavrov sees little room for optimism",
            "Lavrov sees scant room for optimism",
        ),
    )
    .unwrap();
    let report = site.build_ok();
    let after = stamps(&site.output());
    let changed: Vec<&str> = after
        .iter()
        .filter(|(p, s)| before.get(*p) != Some(s))
        .map(|(p, _)| p.as_str())
        .collect();
    // The entry's day, thread, actor and article pages, and the two pages
    // listing latest headlines; the feeds holding the entry (the site's,
    // its thread's and its actor's); the data exports (chronicle.json,
    // timeline.json) and the search index's fragments holding it: its
    // record and the term shards of the word gone ("little") and the word
    // come ("scant"); nothing else.
    assert_eq!(
        changed,
        vec![
            "actors/lavrov/feed.xml",
            "actors/lavrov/index.html",
            "articles/wire-moscow/index.html",
            "chronicle.json",
            "days/2022-01-27/index.html",
            "days/index.html",
            "feed.json",
            "feed.xml",
            "index.html",
            "search/d/0.js",
            "search/t/3.js",
            "search/t/6.js",
            "threads/security-guarantees/feed.xml",
            "threads/security-guarantees/index.html",
            "timeline.json",
        ]
    );
    assert_eq!(report.stats.files_written, changed.len());
}

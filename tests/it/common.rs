//! Fixture sites for integration tests: copied from tests/fixtures/site/ (or
//! written) into a temporary directory, with the repository's default theme
//! copied beside them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use chronicle::config::Overrides;
use chronicle::diagnostics::Positioned;
use chronicle::{BuildOptions, BuildReport};

pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The repository root (where the shipped site lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the shipped chronicle (content, theme, site.toml) in a
/// temporary directory.
pub fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    dir
}

/// The shipped chronicle built (in a copy): the copy, and its output.
pub fn shipped_built() -> (tempfile::TempDir, PathBuf) {
    let dir = shipped_copy();
    let report = chronicle::build(&chronicle::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    });
    assert!(report.succeeded(), "{:?}", messages(&report));
    let output = report.output.expect("the shipped chronicle builds");
    (dir, output)
}

/// The codes of `diagnostics`, in order.
pub fn codes(diagnostics: &chronicle::diagnostics::Diagnostics) -> Vec<&'static str> {
    diagnostics
        .items()
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(item.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// An empty site with the default theme and the given site.toml.
    pub fn new(site_toml: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        let site = Site { dir };
        site.write("site.toml", site_toml);
        site
    }

    /// The fixture site of tests/fixtures/site/.
    pub fn fixture() -> Site {
        Site::fixture_with(SITE_TOML)
    }

    /// The fixture site's content with another site.toml.
    pub fn fixture_with(site_toml: &str) -> Site {
        let site = Site::new(site_toml);
        copy_dir(&fixture_dir().join("content"), &site.root().join("content"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn build(&self) -> BuildReport {
        chronicle::build(&BuildOptions {
            root: self.root().to_path_buf(),
            overrides: Overrides::default(),
            ..Default::default()
        })
    }

    /// Builds and panics with the diagnostics if the build failed.
    pub fn build_ok(&self) -> BuildReport {
        let report = self.build();
        assert!(
            report.succeeded(),
            "build failed:\n{}",
            messages(&report).join("\n")
        );
        report
    }

    /// A page of the built site, by its path below the output directory.
    pub fn page(&self, rel: &str) -> String {
        let path = self.root().join("public").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }
}

/// Each diagnostic on one line: `file:line:column: severity[code]: message`.
pub fn messages(report: &BuildReport) -> Vec<String> {
    positioned(report).iter().map(|p| p.to_string()).collect()
}

pub fn positioned(report: &BuildReport) -> Vec<Positioned> {
    report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.positioned(&report.files))
        .collect()
}

/// The text between the first `start` after `after` and the next `end`.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let j = html[i..].find(end).map(|j| i + j).unwrap_or(html.len());
    &html[i..j]
}

/// The fixture site's site.toml (tests/fixtures/site/site.toml), for tests
/// that write a variant of it.
pub const SITE_TOML: &str = include_str!("../fixtures/site/site.toml");

/// The fixture site on disk: a site.toml and a small `content/`.
pub fn fixture_dir() -> PathBuf {
    repo().join("tests/fixtures/site")
}

/// Every file of the fixture site's `content/`: its path below the site
/// (`content/actors.yaml`) and its text.
pub fn fixture_files() -> Vec<(String, String)> {
    let root = fixture_dir();
    walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|item| item.unwrap())
        .filter(|item| item.file_type().is_file())
        .map(|item| {
            let rel = item.path().strip_prefix(&root).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, fs::read_to_string(item.path()).unwrap())
        })
        .collect()
}

/// A file of the fixture site, as written on disk.
pub fn fixture_text(rel: &str) -> String {
    let path = fixture_dir().join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("no fixture file {}: {e}", path.display()))
}

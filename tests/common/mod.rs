//! Fixture sites for integration tests: written into a temporary directory,
//! with the repository's default theme copied beside them.
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

    /// The fixture described in [`FIXTURE_FILES`].
    pub fn fixture() -> Site {
        let site = Site::new(SITE_TOML);
        for (path, text) in FIXTURE_FILES {
            site.write(path, text);
        }
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

pub const SITE_TOML: &str = r#"title = "Test chronicle"
description = "A fixture"
base_url = "https://example.org/crisis/"
language = "en"
timezone = "Europe/Kyiv"
theme = "default"
output_dir = "public"
strict = false
"#;

pub const FIXTURE_FILES: &[(&str, &str)] = &[
    ("content/actors.yaml", r#"lavrov:
  name: Sergey Lavrov
  aliases: [Sergei Lavrov, Lavrov, Mr Lavrov]
  kind: person
  role: Foreign Minister of Russia
  affiliation: russia
  description: Russia's *chief* diplomat.
blinken:
  name: Antony Blinken
  aliases: [Blinken]
  kind: person
  role: US Secretary of State
  affiliation: usa
russia:
  name: Russia
  kind: state
usa:
  name: United States
  aliases: [US, Washington]
  kind: state
nato:
  name: NATO
  kind: organisation
"#),
    ("content/topics.yaml", r#"diplomacy:
  name: Diplomacy
  description: Talks, letters and meetings.
sanctions:
  name: Sanctions
"#),
    ("content/threads.yaml", r#"security-guarantees:
  title: Russia's demands for security guarantees
  summary: Moscow asks for **written** promises.
  topics: [diplomacy]
sanctions-threat:
  title: The threat of sanctions
  topics: [sanctions, Diplomacy]
"#),
    // Markdown with front matter, a UTC live blog: HH:MM times and every field.
    ("content/articles/2022/01/live-0126.md", r#"---
title: Live updates, 26 January
source: Example Wire
url: https://news.example.com/live/0126
published: 2022-01-26T18:05:00Z
timezone: UTC
entries:
  - id: us-written-response
    at: "18:04"
    headline: US delivers written reply to Russia
    summary: |
      The US ambassador handed the reply to the Russian foreign ministry.
    threads: [security-guarantees]
    actors: [Blinken, usa]
    topics: [diplomacy]
    place: Moscow
    evidence:
      - "delivered a written response"
      - exact: "opens the door"
        prefix: "said that it "
    quotes:
      - by: Blinken
        text: "opens the door for a diplomatic resolution"
  - id: late-night-statement
    at: 2022-01-26T23:30:00Z
    headline: Moscow issues a late statement
    thread: security-guarantees
    actors: [Mr Lavrov]
    evidence: ["a statement near midnight"]
  - id: sanctions-warning
    at: "2022-01-26 12:00"
    headline: Washington warns of sanctions
    threads: [sanctions-threat]
    actors: [Washington]
    topics: [sanctions]
    evidence: ["warned of severe sanctions"]
  - at: 2022-01-26
    headline: Talks continue all day
    threads: [sanctions-threat, security-guarantees]
    evidence: ["talks went on all day"]
---
The United States **delivered a written response** to Moscow, officials said.

Blinken said that it opens the door for a diplomatic resolution. Critics said it opens the door to nothing.

Earlier, Washington warned of severe sanctions. The talks went on all day.

Russia put out a statement near midnight.
"#),
    // Plain text with a sidecar, reporting an entry declared elsewhere.
    ("content/articles/2022/01/wire-moscow.txt", "MOSCOW (Example Agency) - Russia's foreign minister said on Thursday\nthat the American reply left little room for optimism.\n\nThe reply was delivered by the US ambassador on Wednesday evening.\n"),
    ("content/articles/2022/01/wire-moscow.yaml", r#"title: Moscow weighs the US reply
source: Example Agency
published: 2022-01-27
entries:
  - same_as: us-written-response
    evidence:
      - "The reply was delivered by the US ambassador"
  - id: lavrov-little-optimism
    at: 2022-01-27
    headline: Lavrov sees little room for optimism
    threads: security-guarantees
    actors: [Sergei Lavrov]
    quotes:
      - by: lavrov
        text: left little room for optimism
"#),
];

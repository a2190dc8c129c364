//! `chronicle init`: a new site that builds as it is.

use std::path::{Path, PathBuf};

use super::*;

pub(super) const SITE_TOML: &str = r#"# The settings of this chronicle. Every setting is described in chronicle's
# reference (docs/reference.md, "site.toml").

# The site's name: shown at the top of every page and in the feeds.
title = "My chronicle"

# What the chronicle covers, in a sentence: the home page and the pages'
# descriptions for search engines show it.
description = "An annotated chronicle of events, day by day and thread by thread"

# Where the site will be served from, ending in "/". "/" serves it from the
# root of any address (and with `chronicle serve`); before publishing, give
# the full address, which may hold a sub-path: "https://example.org/chronicle/".
# The feeds and the sitemap need a full address.
base_url = "/"

# The language of the pages, as a BCP 47 tag ("en", "de", "uk").
language = "en"

# The IANA time zone of the chronicle ("Europe/Kyiv", "America/New_York"):
# times are shown in it, and an entry belongs to the day of its time there.
timezone = "UTC"

# Optional settings, with their defaults:
# theme = "default"       # a directory under themes/
# output_dir = "public"   # where `chronicle build` writes the site
# strict = false          # true: warnings (unknown names, passages not found) fail the build
# publisher = "Example Desk"   # who publishes the chronicle: named as publisher in the pages' structured data
"#;

pub(super) const ACTORS_YAML: &str = r#"# The actors of the chronicle: people, states, organisations and groups.
# Each id (the key, made of letters, digits and hyphens) becomes the page
# /actors/<id>/. Entries name actors by id, name or any alias, in any case.
# Add one with: chronicle new actor ID --name "Full Name" [--kind K] [--alias A]

vasko:
  name: Irena Vasko
  aliases: [Vasko]            # other spellings used in the reports
  kind: person                # person | state | organisation | group
  role: Chair of the Marrow Strait ferry operators' association
  # affiliation: operators    # another actor's id
  # description: Markdown, shown on the actor's page
"#;

pub(super) const TOPICS_YAML: &str = r#"# The topics of the chronicle: subjects that cut across stories.
# Each id becomes the page /topics/<id>/.
# Add one with: chronicle new topic ID --name "Name" [--alias A]

transport:
  name: Transport
  description: Ferries, roads and ports.   # Markdown, optional
"#;

pub(super) const THREADS_YAML: &str = r#"# The story threads of the chronicle: one developing story each. A day's
# page groups its entries by thread. Each id becomes the page /threads/<id>/.
# Add one with: chronicle new thread ID --name "Title" [--alias A]

fuel-dispute:
  title: The ferry fuel dispute
  summary: Ferry operators and the port authority quarrel over a fuel surcharge.   # Markdown, optional
  topics: [transport]         # ids or names from topics.yaml
"#;

pub(super) const EXAMPLE_ARTICLE: &str = r#"---
# A source article: the report as published, below the closing `---`, and
# the editor's annotations in this front matter. The report's text is
# evidence: keep its wording as it was published. (An invented example:
# replace it with real reports.)
title: Ferry crossings halted as fuel talks collapse
source: Harbour Gazette                        # the outlet
url: https://news.example.com/ferries-halted   # where it was collected; optional
published: 2026-03-14T09:30:00Z                # RFC 3339, or a date
entries:
  # One entry per event the report gives evidence of.
  - id: ferries-halted                 # optional; unique in the site; the entry's anchor
    at: 2026-03-14T06:00:00Z           # RFC 3339, "YYYY-MM-DD HH:MM", "YYYY-MM-DD", or "HH:MM" on the published date
    headline: Ferry operators halt all crossings over fuel costs
    summary: |
      Both operators on the Marrow Strait stopped sailing at dawn after
      overnight talks with the port authority on a fuel surcharge failed.
    thread: fuel-dispute               # or `threads: [a, b]`; ids or names from threads.yaml
    actors: [Irena Vasko]              # ids, names or aliases from actors.yaml
    topics: [transport]                # from topics.yaml
    place: Port Ellery
    evidence:                          # passages of the text below, copied exactly
      - "suspended every crossing from six o'clock this morning"
    quotes:                            # words of an actor, as printed in the text
      - by: vasko
        text: "We cannot sail at a loss for another season"
---
PORT ELLERY — Both ferry companies serving the Marrow Strait suspended every
crossing from six o'clock this morning, after overnight talks with the port
authority on fuel surcharges ended without agreement.

"We cannot sail at a loss for another season," said Irena Vasko, who chairs
the operators' association. She said the boats would stay in harbour until
the authority withdrew its new surcharge.

The port authority said it regretted the decision and would publish its
figures on Monday. Islanders were advised to put off journeys that could
wait.
"#;

pub(super) const ABOUT_PAGE: &str = r#"---
# A standalone page: Markdown below the closing `---`, shown at /about/ and
# linked from every page. Rewrite it to describe your chronicle and its
# method. Each Markdown file in content/pages/ is such a page (method.md →
# /method/). Fields: title, nav_title (its name in the navigation),
# description (for search engines), weight (lower comes first).
title: About this chronicle
nav_title: About
description: What the chronicle's entries, threads, evidence, claims and corrections are
---
This chronicle tells a story day by day, from the reports published while
it happened. Its editors read each report, note what it says happened, and
link every statement back to the words of the report it rests on.

## Entries

An **entry** is one dated development: a headline, a summary in the
editors' own words, and the people and organisations involved. Times are
shown in the chronicle's time zone. An entry whose source gave only a date
is shown on its day without a time; a time marked "about" is approximate.

## Threads

A **thread** follows one developing story across the days. Each day's page
groups its entries by thread, and each thread has a page that tells its
story from beginning to end. Actors and topics have pages too, listing the
entries that involve them.

## Sources and evidence

Every entry rests on **evidence**: passages of a source report that support
it. On a source's page those passages are highlighted, each linking to its
entry; each entry links back to its passages, so any statement can be
checked against the report it comes from.

## Claims

Some entries report what someone asserted rather than what is known. Such
an entry is marked as a **claim**, naming who makes it and who disputes it,
with its status:

- **claimed**: asserted, not established;
- **disputed**: contested by others;
- **denied**: denied by those it concerns;
- **confirmed**: established;
- **refuted**: shown to be false;
- **retracted**: withdrawn by whoever made it.

An entry with any status other than confirmed is a claim, not an
established fact: it reports that something was said, not that it is true.
Where the editors have assessed a claim, their review is shown with it.

## Corrections

When the editors change an entry after publishing it, the entry says what
was corrected and when, and the corrections page lists every correction,
newest first.
"#;

pub(super) const GITIGNORE: &str =
    "# The built site: `chronicle build` writes it again.\n/public/\n";

/// The path of the example article, relative to the site root.
pub const EXAMPLE_ARTICLE_PATH: &str = "content/articles/example-ferries-halted.md";

/// The path of the About page, relative to the site root.
pub const ABOUT_PAGE_PATH: &str = "content/pages/about.md";

/// Every file of a new site: (path relative to its root, contents).
pub fn site_files() -> Vec<(String, &'static [u8])> {
    let mut files: Vec<(String, &'static [u8])> = vec![
        ("site.toml".into(), SITE_TOML.as_bytes()),
        (".gitignore".into(), GITIGNORE.as_bytes()),
        ("content/actors.yaml".into(), ACTORS_YAML.as_bytes()),
        ("content/topics.yaml".into(), TOPICS_YAML.as_bytes()),
        ("content/threads.yaml".into(), THREADS_YAML.as_bytes()),
        (EXAMPLE_ARTICLE_PATH.into(), EXAMPLE_ARTICLE.as_bytes()),
        (ABOUT_PAGE_PATH.into(), ABOUT_PAGE.as_bytes()),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(rel, bytes)| (format!("themes/default/{rel}"), *bytes)),
    );
    files
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    /// Files written, relative to the site's directory.
    pub written: Vec<PathBuf>,
    /// Files that existed and were left as they were (with `--force`).
    pub kept: Vec<PathBuf>,
}

/// Writes a new site into `dir` (created if missing). Refuses a directory
/// holding anything but hidden entries (`.git`), unless `force`; even then,
/// no file that exists is replaced: it is listed in [`InitReport::kept`].
pub fn init(dir: &Path, force: bool) -> Result<InitReport, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "{} exists and is not a directory",
            dir.display()
        )));
    }
    if dir.is_dir() && !force {
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        if !found.is_empty() {
            found.sort();
            if found.len() > 3 {
                let more = found.len() - 3;
                found.truncate(3);
                found.push(format!("{more} more"));
            }
            return Err(Error::NotEmpty {
                dir: dir.to_path_buf(),
                found,
            });
        }
    }
    let mut report = InitReport::default();
    for (rel, bytes) in site_files() {
        let path = dir.join(&rel);
        if path.exists() || path.is_symlink() {
            report.kept.push(PathBuf::from(rel));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        write_new(&path, bytes)?;
        report.written.push(PathBuf::from(rel));
    }
    Ok(report)
}

/// Writes a file that must not exist yet (never replacing one that appears
/// meanwhile).
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists(path.to_path_buf())
            } else {
                io(path)(e)
            }
        })?;
    file.write_all(bytes).map_err(io(path))
}

//! Search without a server: two JSON files written at build time, read by
//! the theme's `search.js` on the search page (`search/index.html`).
//!
//! `search-index.json` holds the registries (actors, threads, topics) and
//! the articles; the entries, which at scale are most of the bytes, are in
//! files of [`ENTRIES_PER_FILE`] each (`search-entries-0.json`, oldest
//! first), so the page answers from the registries at once and from the
//! newest entries while older ones load. Rows are arrays, not objects, and
//! URLs are not
//! stored: the index names the URL patterns once and each row carries only
//! what fills them in (a slug, a day index, an anchor). Entries refer to
//! registries and days by index. The format is documented in
//! docs/reference.md, "Search".

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use super::pages::Head;
use super::{Ctx, Rendering};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::resolve::{ActorIx, Chronicle, ThreadIx, TopicIx};
use crate::urls::{Page, PageKind};

/// Version of the format of both files; bumped when rows change shape.
pub const FORMAT_VERSION: u32 = 1;

/// The file of the registries and articles.
pub const INDEX_FILE: &str = "search-index.json";
/// How many entries each entries file holds (about 3 MB of JSON).
pub const ENTRIES_PER_FILE: usize = 10_000;

/// The name of entries file `n`, from 0.
pub fn entries_file(n: usize) -> String {
    format!("{ENTRIES_FILE_PREFIX}{n}.json")
}

const ENTRIES_FILE_PREFIX: &str = "search-entries-";

/// Whether `path` is one of the search index's files.
pub fn is_index_file(path: &str) -> bool {
    path == INDEX_FILE || path.starts_with(ENTRIES_FILE_PREFIX)
}

/// Site-relative URL patterns: `{slug}`, `{day}` and `{anchor}` are filled
/// in from a row. They mirror [`super::views::Urls`] (a test checks).
fn url_patterns() -> UrlPatterns {
    let day = Page::Day("{day}").dir();
    UrlPatterns {
        entry: format!("{day}#{{anchor}}"),
        thread: Page::Thread("{slug}").dir(),
        actor: Page::Actor("{slug}").dir(),
        topic: Page::Topic("{slug}").dir(),
        article: Page::Article("{slug}").dir(),
        day,
    }
}

#[derive(Serialize)]
struct UrlPatterns {
    entry: String,
    day: String,
    thread: String,
    actor: String,
    topic: String,
    article: String,
}

/// `[slug, name, aliases, kind, role]`.
#[derive(Serialize)]
struct ActorRow<'a>(&'a str, &'a str, &'a [String], &'static str, &'a str);

/// `[slug, name or title, aliases]`: threads and topics.
#[derive(Serialize)]
struct NamedRow<'a>(&'a str, &'a str, &'a [String]);

/// `[slug, title, outlet index, date]` (date `YYYY-MM-DD` or empty).
#[derive(Serialize)]
struct ArticleRow<'a>(&'a str, &'a str, usize, String);

/// `[day index, anchor, headline, summary text, threads, actors, topics,
/// claim]`: the claim's status (`disputed`) when the entry is a claim (its
/// status is not `confirmed`), else empty.
#[derive(Serialize)]
struct EntryRow<'a>(
    usize,
    &'a str,
    &'a str,
    String,
    &'a [ThreadIx],
    &'a [ActorIx],
    &'a [TopicIx],
    &'a str,
);

#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    /// The entries files, relative to the site root, oldest entries first.
    entries: Vec<String>,
    urls: UrlPatterns,
    actors: Vec<ActorRow<'a>>,
    threads: Vec<NamedRow<'a>>,
    topics: Vec<NamedRow<'a>>,
    /// Outlet names, referred to by articles.
    outlets: Vec<&'a str>,
    articles: Vec<ArticleRow<'a>>,
}

#[derive(Serialize)]
struct Entries<'a> {
    version: u32,
    /// The index of the file's first entry among all entries.
    start: usize,
    /// Dates (`YYYY-MM-DD`) referred to by entries, in order.
    days: Vec<String>,
    entries: Vec<EntryRow<'a>>,
}

/// The ranges of entries of each entries file, `per_file` to a file; one
/// (empty) file when there are no entries.
pub fn entry_ranges(count: usize, per_file: usize) -> Vec<Range<usize>> {
    let per_file = per_file.max(1);
    let files = count.div_ceil(per_file).max(1);
    (0..files)
        .map(|n| n * per_file..((n + 1) * per_file).min(count))
        .collect()
}

/// The registries-and-articles index, as JSON; `files` is how many entries
/// files there are.
pub fn index_json(c: &Chronicle, files: usize) -> Result<String, serde_json::Error> {
    let mut outlets: Vec<&str> = c.articles.iter().map(|a| a.outlet.as_str()).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let index = Index {
        version: FORMAT_VERSION,
        entries: (0..files).map(entries_file).collect(),
        urls: url_patterns(),
        actors: c
            .actors
            .iter()
            .map(|a| {
                ActorRow(
                    &a.slug,
                    &a.name,
                    &a.aliases,
                    a.kind.as_str(),
                    a.role.as_deref().unwrap_or(""),
                )
            })
            .collect(),
        threads: c
            .threads
            .iter()
            .map(|t| NamedRow(&t.slug, &t.title, &t.aliases))
            .collect(),
        topics: c
            .topics
            .iter()
            .map(|t| NamedRow(&t.slug, &t.name, &t.aliases))
            .collect(),
        articles: c
            .articles
            .iter()
            .map(|a| {
                ArticleRow(
                    &a.slug,
                    &a.title,
                    outlets.binary_search(&a.outlet.as_str()).unwrap_or(0),
                    a.published.map(|p| p.date.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        outlets,
    };
    serde_json::to_string(&index)
}

/// The entries of `range`, as JSON, with the days they fall on.
pub fn entries_json(c: &Chronicle, range: Range<usize>) -> Result<String, serde_json::Error> {
    let entries = &c.entries[range.clone()];
    let mut days: Vec<chrono::NaiveDate> = entries.iter().map(|e| e.day).collect();
    days.sort_unstable();
    days.dedup();
    let rows = entries
        .iter()
        .map(|e| {
            EntryRow(
                days.binary_search(&e.day).unwrap_or(0),
                &e.anchor,
                &e.headline,
                plain_text(&e.summary, c.config.raw_html),
                &e.threads,
                &e.actors,
                &e.topics,
                match &e.claim {
                    Some(claim) if e.is_claim() => claim.status.as_str(),
                    _ => "",
                },
            )
        })
        .collect();
    serde_json::to_string(&Entries {
        version: FORMAT_VERSION,
        start: range.start,
        days: days.iter().map(|d| d.to_string()).collect(),
        entries: rows,
    })
}

/// Markdown as the text a reader sees, whitespace collapsed to single
/// spaces. Raw HTML is markup when `raw_html` (and left out), else text
/// (and kept, as the page shows it).
pub fn plain_text(markdown: &str, raw_html: bool) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let body = crate::load::article::markdown_body(markdown, raw_html);
    body.plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json(result: Result<String, serde_json::Error>, file: &str) -> Result<String, Box<Diagnostic>> {
    result.map_err(|e| {
        Box::new(Diagnostic::error(
            Code::SearchIndex,
            format!("cannot write {file}: {e}"),
        ))
    })
}

/// Writes the index files, and the search page when the theme has
/// `search.html` (it is optional).
pub(super) fn render(ctx: &Ctx, out: &Rendering) {
    let c = ctx.chronicle;
    let ranges = entry_ranges(c.entries.len(), ENTRIES_PER_FILE);
    if out.wants(INDEX_FILE) {
        out.finish(INDEX_FILE, json(index_json(c, ranges.len()), INDEX_FILE));
    }
    ranges.into_par_iter().enumerate().for_each(|(n, range)| {
        let file = entries_file(n);
        if out.wants(&file) {
            out.finish(&file, json(entries_json(c, range), &file));
        }
    });
    if ctx.templates.tera.contains_template("search.html") && out.wants("search/index.html") {
        #[derive(Serialize)]
        struct SearchPage {
            /// Links to the index and the script.
            index_url: String,
            script_url: String,
        }
        let urls = &ctx.shared.urls;
        let data = SearchPage {
            index_url: urls.path(INDEX_FILE),
            script_url: urls.path("search.js"),
        };
        out.finish(
            "search/index.html",
            ctx.render(
                PageKind::Search,
                Head::titled(ctx.shared.words.search.clone()),
                &Page::Search.dir(),
                &data,
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::views::Urls;

    #[test]
    fn url_patterns_match_the_site_urls() {
        let urls = Urls::new("/base/");
        let date = chrono::NaiveDate::from_ymd_opt(2022, 1, 26).unwrap();
        let fill = |p: &str| {
            format!(
                "/base/{}",
                p.replace("{slug}", "x")
                    .replace("{day}", "2022-01-26")
                    .replace("{anchor}", "a")
            )
        };
        let patterns = url_patterns();
        assert_eq!(fill(&patterns.day), urls.day(date));
        assert_eq!(fill(&patterns.entry), format!("{}#a", urls.day(date)));
        assert_eq!(fill(&patterns.thread), urls.thread("x"));
        assert_eq!(fill(&patterns.actor), urls.actor("x"));
        assert_eq!(fill(&patterns.topic), urls.topic("x"));
        assert_eq!(fill(&patterns.article), urls.article("x"));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one file holding a range is meant
    fn entries_are_split_into_files_of_a_fixed_size() {
        assert_eq!(entry_ranges(0, 10), [0..0]);
        assert_eq!(entry_ranges(10, 10), [0..10]);
        assert_eq!(entry_ranges(25, 10), [0..10, 10..20, 20..25]);
        assert_eq!(entry_ranges(3, 0), [0..1, 1..2, 2..3]);
    }

    #[test]
    fn summaries_lose_their_markup() {
        assert_eq!(
            plain_text(
                "Moscow asks for **written** [promises](https://x.org).\n\nThen  waits.",
                false
            ),
            "Moscow asks for written promises. Then waits."
        );
        assert_eq!(plain_text("  ", false), "");
        assert_eq!(plain_text("a <b>b</b>", true), "a b");
        assert_eq!(plain_text("a <b>b</b>", false), "a <b>b</b>");
    }
}

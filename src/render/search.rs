//! Search without a server, in the way Pagefind does it: the build writes
//! a small manifest and an index cut into fragments, and the theme's
//! `search.js` loads only the fragments a query needs.
//!
//! Under `search/` (beside the search page, `search/index.html`):
//!
//! - `index.js`, the manifest: the outlets, the days with their first
//!   entry, the theme's date words, the URL patterns, the sizes of the
//!   registries and the number of term shards;
//! - `t/<n>.js`, the term shards: every word of the headlines, summaries,
//!   article titles and outlets, folded as `search.js` folds a query, with
//!   the documents holding it, and every word of the registries' names,
//!   aliases and roles with the registry items holding it; words with the
//!   same first two letters (their key) are in the same shard, the one
//!   [`shard_of`] their key;
//! - `g/<n>.js`: the rows of [`REGISTRY_PER_CHUNK`] registry items
//!   (actors, then threads, then topics), loaded for the items found;
//! - `r/<n>.js`: the entries of the same registry items, for queries
//!   naming them;
//! - `d/<n>.js`: the records of [`DOCS_PER_CHUNK`] documents (entries,
//!   then articles), loaded for the results shown.
//!
//! Every fragment is a script, `ChronicleSearch.add({"id": …, …});`, so
//! that the page can load it with a `<script>` element, which works on any
//! host and under `file://` (where `fetch` does not). Documents are
//! numbered: entries in time order, then articles oldest first; postings
//! are ascending document numbers written as differences. The format is
//! documented in docs/reference.md, "Search".

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::pages::Head;
use super::{Ctx, Rendering};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::resolve::Chronicle;
use crate::urls::{Page, PageKind};

/// The fragment of every word of the registries' names and aliases.
const VOCABULARY: &str = "n/0";

/// Version of the format of the index; bumped when a fragment changes shape.
pub const FORMAT_VERSION: u32 = 3;

/// The directory of the index, from the site root.
pub const INDEX_DIR: &str = "search/";
/// The manifest, from the site root.
pub const INDEX_FILE: &str = "search/index.js";
/// How many documents' records each `d/<n>.js` holds.
pub const DOCS_PER_CHUNK: usize = 16;
/// How many registry items' rows each `g/<n>.js` holds.
pub const REGISTRY_PER_CHUNK: usize = 32;
/// How many letters of a word make its shard key.
pub const SHARD_KEY_LETTERS: usize = 2;
/// The fewest and most term shards; between them, one for every
/// [`DOCS_PER_SHARD`] documents.
pub const MIN_SHARDS: usize = 16;
pub const MAX_SHARDS: usize = 1024;
pub const DOCS_PER_SHARD: usize = 200;

/// The sections (see [`crate::urls::section_of`]) of the index's files,
/// all stale after any change (`chronicle serve`).
pub const SECTIONS: [&str; 5] = [
    "search/index.js",
    "search/t/",
    "search/g/",
    "search/r/",
    "search/d/",
];

/// How many term shards an index of `docs` documents has. The files of the
/// index depend only on how many documents and registry items there are,
/// not on their words (`chronicle serve` relies on it).
pub fn shard_count(docs: usize) -> usize {
    (docs / DOCS_PER_SHARD).clamp(MIN_SHARDS, MAX_SHARDS)
}

/// Whether `path` is one of the search index's files.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with(INDEX_DIR) && path.ends_with(".js")
}

/// Site-relative URL patterns: `{slug}`, `{day}` and `{anchor}` are filled
/// in from a row. They mirror [`super::views::Urls`] (a test checks).
fn url_patterns() -> UrlPatterns {
    let day = Page::Day("{day}").dir();
    UrlPatterns {
        entry: format!("{day}{{page}}#{{anchor}}"),
        day_page: crate::urls::LATER_PAGE.to_string(),
        thread: Page::Thread("{slug}").dir(),
        actor: Page::Actor("{slug}").dir(),
        topic: Page::Topic("{slug}").dir(),
        article: Page::Article("{slug}").dir(),
        day,
    }
}

#[derive(Serialize)]
struct UrlPatterns {
    /// `{page}` is empty on a day's first page, else `day_page` filled in.
    entry: String,
    /// The part of a later page's address after its day's (`page/{n}/`).
    day_page: String,
    day: String,
    thread: String,
    actor: String,
    topic: String,
    article: String,
}

/// The theme's date words, so that results show dates as the pages do.
#[derive(Serialize)]
struct Dates<'a> {
    long: &'a str,
    short: &'a str,
    months: &'a [String],
    weekdays: &'a [String],
}

/// `[slug, name, aliases, kind, role]`.
#[derive(Serialize)]
struct ActorRow<'a>(&'a str, &'a str, &'a [String], &'static str, &'a str);

/// `[slug, name or title, aliases]`: threads and topics.
#[derive(Serialize)]
struct NamedRow<'a>(&'a str, &'a str, &'a [String]);

#[derive(Serialize)]
struct Manifest<'a> {
    id: &'static str,
    version: u32,
    urls: UrlPatterns,
    dates: Dates<'a>,
    /// How many actors, threads and topics there are: registry items
    /// `0..actors` are the actors, then the threads, then the topics.
    registries: [usize; 3],
    /// Registry items to a `g/<n>.js` file.
    registry_chunk: usize,
    /// Outlet names, referred to by article records.
    outlets: Vec<&'a str>,
    /// The days with entries (`YYYY-MM-DD`), in order, and the number of
    /// the first entry of each: a day's entries are the documents from its
    /// number to the next day's.
    days: Vec<String>,
    day_starts: Vec<usize>,
    /// Entries a page of a day's page (`day_paginate_by`; 0: one page): an
    /// entry's page follows from its place among its day's documents.
    day_page: usize,
    /// How many entries (documents `0..entries`) and articles (the next
    /// `articles`) there are.
    entries: usize,
    articles: usize,
    /// Documents to a `d/<n>.js` file.
    chunk: usize,
    /// How many term shards there are (`t/0.js` on).
    shards: usize,
}

/// An entry's record: `[anchor, headline, summary text, thread titles,
/// claim]`, the claim's status (`disputed`) when the entry is a claim (its
/// status is not `confirmed`), else empty.
#[derive(Serialize)]
struct EntryRecord<'a>(&'a str, &'a str, String, Vec<&'a str>, &'a str);

/// An article's record: `[slug, title, outlet index, date]` (date
/// `YYYY-MM-DD` or empty).
#[derive(Serialize)]
struct ArticleRecord<'a>(&'a str, &'a str, usize, String);

#[derive(Serialize)]
#[serde(untagged)]
enum Record<'a> {
    Entry(EntryRecord<'a>),
    Article(ArticleRecord<'a>),
    Actor(ActorRow<'a>),
    Named(NamedRow<'a>),
}

/// Postings of one word: the documents holding it in their headline or
/// title, and those holding it only in their other text (summary, outlet);
/// each list ascending, as differences.
#[derive(Serialize, Default, Debug, PartialEq)]
struct Postings(Vec<u32>, Vec<u32>);

/// The letters that Unicode decomposition does not take to a base letter,
/// as `search.js` maps them.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if matches!(c, '’' | '‘' | '´' | 'ʼ' | 'ʻ' | '′') {
        // Apostrophes join the word ("Zelenskyy’s").
    } else if ('\u{300}'..='\u{36f}').contains(&c) {
        // Combining marks.
    } else if ('\u{c0}'..='\u{24f}').contains(&c) || ('\u{1e00}'..='\u{1eff}').contains(&c) {
        // A Latin letter with a mark, or a ligature: its base letters.
        if c.is_alphabetic() {
            out.push_str(&slug::slugify(c.to_string()));
        } else {
            out.push(' ');
        }
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Text folded for matching, as `search.js` folds it: lower case, accents
/// and apostrophes removed, dots inside abbreviations removed ("U.S." →
/// "us"), every other run of punctuation and space made one space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\'' || c == '`' {
            continue;
        }
        fold_char(c, &mut folded);
    }
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::with_capacity(folded.len());
    let mut gap = false;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else if c == '.'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
        {
            // Inside an abbreviation.
        } else {
            gap = true;
        }
    }
    out
}

/// The shard key of a folded word: its first [`SHARD_KEY_LETTERS`] letters.
pub fn shard_key(word: &str) -> &str {
    match word.char_indices().nth(SHARD_KEY_LETTERS) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// The shard, of `shards`, of a shard key: FNV-1a (32 bits) of its code
/// points, modulo `shards`, as `search.js` computes it.
pub fn shard_of(key: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for c in key.chars() {
        hash = (hash ^ c as u32).wrapping_mul(0x0100_0193);
    }
    hash as usize % shards.max(1)
}

/// Ascending numbers as differences from the one before.
fn deltas(ids: &[u32]) -> Vec<u32> {
    let mut last = 0;
    ids.iter()
        .map(|&id| {
            let d = id - last;
            last = id;
            d
        })
        .collect()
}

/// The searchable text of a document: its headline or title, and its
/// other text.
struct DocText<'a> {
    title: &'a str,
    other: &'a str,
}

/// The distinct folded words of `text`; a possessive "'s" is dropped, as
/// `search.js` drops it from a query ("Zelenskyy’s" is "zelenskyy").
fn words_of(text: &str) -> Vec<String> {
    static POSSESSIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)['’‘`´ʼʻ′]s\b").expect("a valid pattern")
    });
    let folded = fold(&POSSESSIVE.replace_all(text, ""));
    let mut words: Vec<String> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The term index: each word with its postings, in word order. The words
/// of a few thousand documents at a time are found in parallel and then
/// indexed: all documents' words at once were half a GiB at 100,000
/// articles, the build's peak.
fn term_index(docs: &[DocText]) -> BTreeMap<String, Postings> {
    const DOCS_AT_ONCE: usize = 4096;
    let mut terms: HashMap<String, Postings> = HashMap::new();
    for (n, some) in docs.chunks(DOCS_AT_ONCE).enumerate() {
        let per_doc: Vec<(Vec<String>, Vec<String>)> = some
            .par_iter()
            .map(|d| {
                let title = words_of(d.title);
                let mut other = words_of(d.other);
                other.retain(|w| title.binary_search(w).is_err());
                (title, other)
            })
            .collect();
        for (i, (title, other)) in per_doc.into_iter().enumerate() {
            let id = (n * DOCS_AT_ONCE + i) as u32;
            for w in title {
                terms.entry(w).or_default().0.push(id);
            }
            for w in other {
                terms.entry(w).or_default().1.push(id);
            }
        }
    }
    terms
        .into_iter()
        .map(|(w, p)| (w, Postings(deltas(&p.0), deltas(&p.1))))
        .collect()
}

/// The registry items holding each word: `[items whose name or an alias
/// holds it, items whose role only holds it]`, numbered actors, threads,
/// then topics; ascending, as differences.
fn registry_words(c: &Chronicle) -> BTreeMap<String, Postings> {
    let mut items: Vec<(Vec<&str>, &str)> = Vec::new();
    for a in &c.actors {
        let mut names = vec![a.name.as_str()];
        names.extend(a.aliases.iter().map(String::as_str));
        items.push((names, a.role.as_deref().unwrap_or("")));
    }
    for t in &c.threads {
        let mut names = vec![t.title.as_str()];
        names.extend(t.aliases.iter().map(String::as_str));
        items.push((names, ""));
    }
    for t in &c.topics {
        let mut names = vec![t.name.as_str()];
        names.extend(t.aliases.iter().map(String::as_str));
        items.push((names, ""));
    }
    let mut words: BTreeMap<String, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
    for (id, (names, role)) in items.iter().enumerate() {
        let id = id as u32;
        let mut in_names: Vec<String> = names.iter().flat_map(|n| words_of(n)).collect();
        in_names.sort_unstable();
        in_names.dedup();
        for w in words_of(role) {
            if in_names.binary_search(&w).is_err() {
                words.entry(w).or_default().1.push(id);
            }
        }
        for w in in_names {
            words.entry(w).or_default().0.push(id);
        }
    }
    words
        .into_iter()
        .map(|(w, (n, r))| (w, Postings(deltas(&n), deltas(&r))))
        .collect()
}

/// A fragment as the script that hands it to the page. `<`, `>` and `&`
/// are written as JSON escapes (they occur only inside strings), so that
/// text of the content never reads as markup, even to a reader that takes
/// the file for HTML; so are U+2028 and U+2029, which older JavaScript
/// did not allow in a string.
fn script(value: &impl Serialize) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(value)?;
    let mut out = String::with_capacity(json.len() + 32);
    out.push_str("ChronicleSearch.add(");
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push_str(");\n");
    Ok(out)
}

/// The JSON inside a fragment script (for tests and tools).
pub fn fragment_json(script: &str) -> Option<&str> {
    script
        .trim_end()
        .strip_prefix("ChronicleSearch.add(")?
        .strip_suffix(");")
}

/// A fragment's path (from the site root) and text.
pub type IndexFile = (String, Result<String, serde_json::Error>);

/// The whole index of a chronicle: every fragment's path (from the site
/// root) and text, made only for the paths `want` accepts.
pub fn index_files(
    c: &Chronicle,
    words: &super::words::Words,
    want: impl Fn(&str) -> bool + Sync,
) -> Vec<IndexFile> {
    let files = std::sync::Mutex::new(Vec::new());
    each_index_file(c, words, want, &|file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file)
    });
    files.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// As [`index_files`], handing each file to `emit` as soon as it is made
/// (from any thread), so that the index is never held whole: at 100,000
/// articles it is 140 MB.
fn each_index_file(
    c: &Chronicle,
    words: &super::words::Words,
    want: impl Fn(&str) -> bool + Sync,
    emit: &(dyn Fn(IndexFile) + Sync),
) {
    let mut articles: Vec<usize> = (0..c.articles.len()).collect();
    articles.sort_by_key(|&i| (c.articles[i].published.map(|p| p.date), i));
    let mut outlets: Vec<&str> = c.articles.iter().map(|a| a.outlet.as_str()).collect();
    outlets.sort_unstable();
    outlets.dedup();

    let summaries: Vec<String> = c
        .entries
        .par_iter()
        .map(|e| plain_text(&e.summary, c.config.raw_html))
        .collect();
    // The manifest.
    let mut days: Vec<String> = Vec::new();
    let mut day_starts = Vec::new();
    let mut last = None;
    for (i, e) in c.entries.iter().enumerate() {
        if last != Some(e.day) {
            last = Some(e.day);
            days.push(e.day.to_string());
            day_starts.push(i);
        }
    }
    let docs: Vec<DocText> = c
        .entries
        .iter()
        .zip(&summaries)
        .map(|(e, s)| DocText {
            title: &e.headline,
            other: s,
        })
        .chain(articles.iter().map(|&i| DocText {
            title: &c.articles[i].title,
            other: &c.articles[i].outlet,
        }))
        .collect();
    let terms = term_index(&docs);
    drop(docs);
    let names = registry_words(c);
    type Words<'a> = BTreeMap<&'a str, &'a Postings>;
    let shard_total = shard_count(c.entries.len() + c.articles.len());
    let mut shards: Vec<(Words, Words)> = (0..shard_total).map(|_| Default::default()).collect();
    for (w, p) in &terms {
        shards[shard_of(shard_key(w), shard_total)].0.insert(w, p);
    }
    for (w, p) in &names {
        shards[shard_of(shard_key(w), shard_total)].1.insert(w, p);
    }
    if want(INDEX_FILE) {
        let d = &words.dates;
        let manifest = Manifest {
            id: "index",
            version: FORMAT_VERSION,
            urls: url_patterns(),
            dates: Dates {
                long: &d.long,
                short: &d.short,
                months: &d.months,
                weekdays: &d.weekdays,
            },
            registries: [c.actors.len(), c.threads.len(), c.topics.len()],
            registry_chunk: REGISTRY_PER_CHUNK,
            outlets: outlets.clone(),
            days,
            day_starts,
            day_page: c.config.day_paginate_by,
            entries: c.entries.len(),
            articles: c.articles.len(),
            chunk: DOCS_PER_CHUNK,
            shards: shard_total,
        };
        emit((INDEX_FILE.to_string(), script(&manifest)));
    }

    // The term shards.
    #[derive(Serialize)]
    struct Shard<'a> {
        id: String,
        terms: &'a Words<'a>,
        names: &'a Words<'a>,
    }
    shards
        .par_iter()
        .enumerate()
        .filter_map(|(n, (terms, names))| {
            let id = format!("t/{n}");
            let path = format!("{INDEX_DIR}{id}.js");
            want(&path).then(|| (path, script(&Shard { id, terms, names })))
        })
        .for_each(emit);

    // Every word of a registry name or alias, for a misspelling whose first
    // letters are wrong (its own shard cannot hold the right word).
    #[derive(Serialize)]
    struct Vocabulary<'a> {
        id: &'static str,
        words: Vec<&'a str>,
    }
    let path = format!("{INDEX_DIR}{VOCABULARY}.js");
    if want(&path) {
        let vocabulary = Vocabulary {
            id: VOCABULARY,
            words: names
                .iter()
                .filter(|(_, p)| !p.0.is_empty())
                .map(|(w, _)| w.as_str())
                .collect(),
        };
        emit((path, script(&vocabulary)));
    }

    // The registries' rows, in chunks.
    let rows: Vec<Record> = c
        .actors
        .iter()
        .map(|a| {
            Record::Actor(ActorRow(
                &a.slug,
                &a.name,
                &a.aliases,
                a.kind.as_str(),
                a.role.as_deref().unwrap_or(""),
            ))
        })
        .chain(
            c.threads
                .iter()
                .map(|t| Record::Named(NamedRow(&t.slug, &t.title, &t.aliases))),
        )
        .chain(
            c.topics
                .iter()
                .map(|t| Record::Named(NamedRow(&t.slug, &t.name, &t.aliases))),
        )
        .collect();
    #[derive(Serialize)]
    struct Rows<'a> {
        id: String,
        rows: &'a [Record<'a>],
    }
    rows.par_chunks(REGISTRY_PER_CHUNK)
        .enumerate()
        .filter_map(|(n, rows)| {
            let id = format!("g/{n}");
            let path = format!("{INDEX_DIR}{id}.js");
            want(&path).then(|| (path, script(&Rows { id, rows })))
        })
        .for_each(emit);

    // The entries of each registry item, in chunks numbered as the rows.
    #[derive(Serialize)]
    struct Related {
        id: String,
        entries: Vec<Vec<u32>>,
    }
    let (threads_at, topics_at) = (c.actors.len(), c.actors.len() + c.threads.len());
    let mut related: Vec<Vec<u32>> = vec![Vec::new(); topics_at + c.topics.len()];
    for (i, e) in c.entries.iter().enumerate() {
        let i = i as u32;
        for a in &e.actors {
            related[a.get()].push(i);
        }
        for t in &e.threads {
            related[threads_at + t.get()].push(i);
        }
        for t in &e.topics {
            related[topics_at + t.get()].push(i);
        }
    }
    related
        .par_chunks(REGISTRY_PER_CHUNK)
        .enumerate()
        .filter_map(|(n, lists)| {
            let id = format!("r/{n}");
            let path = format!("{INDEX_DIR}{id}.js");
            want(&path).then(|| {
                let entries = lists.iter().map(|ids| deltas(ids)).collect();
                (path, script(&Related { id, entries }))
            })
        })
        .for_each(emit);

    // The records, in chunks.
    #[derive(Serialize)]
    struct Chunk<'a> {
        id: String,
        docs: Vec<Record<'a>>,
    }
    let total = c.entries.len() + c.articles.len();
    let outlets = &outlets;
    let articles = &articles;
    let summaries = &summaries;
    (0..total.div_ceil(DOCS_PER_CHUNK))
        .into_par_iter()
        .filter_map(|n| {
            let id = format!("d/{n}");
            let path = format!("{INDEX_DIR}{id}.js");
            if !want(&path) {
                return None;
            }
            let range = n * DOCS_PER_CHUNK..((n + 1) * DOCS_PER_CHUNK).min(total);
            let docs = range
                .map(|doc| {
                    if let Some(e) = c.entries.get(doc) {
                        Record::Entry(EntryRecord(
                            &e.anchor,
                            &e.headline,
                            summaries[doc].clone(),
                            e.threads
                                .iter()
                                .map(|&t| c.threads[t].title.as_str())
                                .collect(),
                            match &e.claim {
                                Some(claim) if e.is_claim() => claim.status.as_str(),
                                _ => "",
                            },
                        ))
                    } else {
                        let a = &c.articles[articles[doc - c.entries.len()]];
                        Record::Article(ArticleRecord(
                            &a.slug,
                            &a.title,
                            outlets.binary_search(&a.outlet.as_str()).unwrap_or(0),
                            a.published.map(|p| p.date.to_string()).unwrap_or_default(),
                        ))
                    }
                })
                .collect();
            Some((path, script(&Chunk { id, docs })))
        })
        .for_each(emit);
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

/// Writes the index files, and the search page when the theme has
/// `search.html` (it is optional).
pub(super) fn render(ctx: &Ctx, out: &Rendering) {
    let c = ctx.chronicle;
    if out.may_want(is_index_file) {
        each_index_file(c, &ctx.shared.words, |p| out.wants(p), &|(path, result)| {
            let result = result.map_err(|e| {
                Box::new(Diagnostic::error(
                    Code::SearchIndex,
                    format!("cannot write {path}: {e}"),
                ))
            });
            out.finish(&path, result);
        });
    }
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
        assert_eq!(
            fill(&patterns.entry).replace("{page}", ""),
            format!("{}#a", urls.day(date))
        );
        let third = patterns.day_page.replace("{n}", "3");
        assert_eq!(
            fill(&patterns.entry).replace("{page}", &third),
            format!("{}#a", urls.day_page(date, 3))
        );
        assert_eq!(fill(&patterns.thread), urls.thread("x"));
        assert_eq!(fill(&patterns.actor), urls.actor("x"));
        assert_eq!(fill(&patterns.topic), urls.topic("x"));
        assert_eq!(fill(&patterns.article), urls.article("x"));
    }

    #[test]
    fn words_are_folded_as_search_js_folds_them() {
        assert_eq!(fold("Genève"), "geneve");
        assert_eq!(fold("ZELENSKYY’S"), "zelenskyys");
        assert_eq!(fold("Zelenskyy's"), "zelenskyys");
        assert_eq!(fold("U.S. “talks”"), "us talks");
        assert_eq!(fold("Łódź, Straße; Æsir"), "lodz strasse aesir");
        assert_eq!(fold("Micheál Martin"), "micheal martin");
        assert_eq!(fold("  Москва — Київ "), "москва київ");
        assert_eq!(fold("2022-01-26"), "2022 01 26");
    }

    #[test]
    fn shards_are_chosen_by_the_first_two_letters() {
        assert_eq!(shard_key("zelenskyy"), "ze");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("москва"), "мо");
        // The same numbers as search.js (tests/search/).
        assert_eq!(shard_of("ze", 16), 0x4867_e3d8 % 16);
        assert_eq!(shard_of("мо", 1 << 31), 2_316_552_223 % (1 << 31));
        assert_eq!(shard_of("ze", 1024), shard_of("ze", 1 << 20) % 1024);
        assert!(shard_of("мо", 16) < 16);
        assert_eq!(shard_count(0), MIN_SHARDS);
        assert_eq!(shard_count(5_000), 25);
        assert_eq!(shard_count(10_000_000), MAX_SHARDS);
    }

    #[test]
    fn postings_are_differences() {
        assert_eq!(deltas(&[3, 4, 10]), [3, 1, 6]);
        let docs = [
            DocText {
                title: "Talks in Geneva",
                other: "The talks resume.",
            },
            DocText {
                title: "Geneva",
                other: "Talks",
            },
        ];
        let terms = term_index(&docs);
        assert_eq!(terms["talks"], Postings(vec![0], vec![1]));
        assert_eq!(terms["geneva"], Postings(vec![0, 1], vec![]));
        assert_eq!(terms["resume"], Postings(vec![], vec![0]));
    }

    #[test]
    fn documents_indexed_a_few_thousand_at_a_time_keep_their_numbers() {
        // Words found in chunks of documents: the numbers run on across
        // them (4,096 a chunk).
        let titles: Vec<String> = (0..9_000).map(|i| format!("doc {i}")).collect();
        let docs: Vec<DocText> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| DocText {
                title: t,
                other: if i == 4_097 || i == 8_999 {
                    "needle"
                } else {
                    ""
                },
            })
            .collect();
        let terms = term_index(&docs);
        assert_eq!(terms["needle"], Postings(vec![], deltas(&[4_097, 8_999])));
        assert_eq!(terms["4096"], Postings(vec![4_096], vec![]));
        assert_eq!(terms["doc"].0.len(), 9_000);
    }

    #[test]
    fn fragments_are_scripts_around_json() {
        let s = script(&serde_json::json!({"id": "t/ze"})).unwrap();
        assert_eq!(s, "ChronicleSearch.add({\"id\":\"t/ze\"});\n");
        assert_eq!(fragment_json(&s), Some("{\"id\":\"t/ze\"}"));
        // Markup characters are escaped, and read back as they were.
        let text = "</script><b onclick=\"x\">&amp;\u{2028}";
        let s = script(&serde_json::json!({"id": "d/0", "docs": [text]})).unwrap();
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(fragment_json(&s).unwrap()).unwrap();
        assert_eq!(back["docs"][0], text);
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

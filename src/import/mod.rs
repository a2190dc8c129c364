//! `chronicle import`: from a page saved as text to a clean article and an
//! annotation skeleton.
//!
//! Each input becomes `<stem>.txt` (the page with its debris removed, the
//! report's wording kept exactly) and `<stem>.yaml` (title, outlet, date
//! found, and a skeleton of entries with `# TODO` where the editor must
//! complete it). What is removed, and by which rule, is reported by
//! `--explain`; the rules are in [`rules`], and a site adds its own in
//! site.toml's `[import]` table. The input is only read; `--keep-raw` saves
//! a copy of it beside the article, its SHA-256 recorded in the sidecar.
//!
//! An input is read up to a limit ([`DEFAULT_MAX_SIZE`], or `--max-size`,
//! or site.toml's `[import] max_size`): a larger one is an error, found
//! before it is read when it is a file, and read no further than the limit
//! when it is a pipe or a device. Everything else takes time linear in the
//! input (n log n at worst, for the evidence of many entries).

pub mod html;
pub mod liveblog;
pub mod meta;
pub mod names;
pub mod rules;
pub mod skeleton;

mod fetch;
mod input;
mod run;
mod sidecar;

pub use fetch::{fetch, is_url, FetchError, Fetched, DEFAULT_TIMEOUT};
pub use input::*;
pub use run::*;
pub use sidecar::{drafted_from, raw_provenance, untouched, verify_raw};
use sidecar::{entry_fields, seal, stem_for, wrap};

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use names::ActorIndex;
use rules::{Kind, Rule, LIVE_STAMP};
use skeleton::{comment_text, quote};

/// What to import and where.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The site's root (its site.toml and content/actors.yaml are read).
    pub root: PathBuf,
    /// The saved pages.
    pub inputs: Vec<PathBuf>,
    /// Where to write, relative to the root: default `content/articles`.
    pub into: Option<PathBuf>,
    /// The outlet, instead of the one found in the page.
    pub source: Option<String>,
    /// The publication date or time, instead of the one found.
    pub published: Option<String>,
    /// Save a copy of each input beside its article.
    pub keep_raw: bool,
    /// Replace files that exist.
    pub force: bool,
    /// The most bytes an input may have, instead of site.toml's
    /// `[import] max_size` or else [`DEFAULT_MAX_SIZE`]; at most
    /// [`LARGEST_MAX_SIZE`].
    pub max_size: Option<u64>,
    /// The name (file stem) of the article, instead of one made from the
    /// outlet and title.
    pub name: Option<String>,
    /// How long fetching a URL may take ([`DEFAULT_TIMEOUT`] unless given).
    pub timeout: Option<std::time::Duration>,
}

/// A publication date or time given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    Date(NaiveDate),
    /// `YYYY-MM-DD HH:MM`, in the article's zone.
    Local(NaiveDateTime),
    /// RFC 3339, with its offset.
    Exact(DateTime<chrono::FixedOffset>),
}

impl Published {
    /// Reads the forms the annotations accept for `published` (the build's
    /// own reader, [`crate::resolve::dates::read`]).
    pub fn parse(text: &str) -> Option<Published> {
        use crate::resolve::dates::{read, Written};
        match read(text).ok()? {
            Written::Date(d) => Some(Published::Date(d)),
            Written::Local(t) => Some(Published::Local(t)),
            Written::Exact(t) => Some(Published::Exact(t)),
            Written::Time(_) => None,
        }
    }

    /// The date, and the time when known, in the clock of UTC stamps.
    fn anchor(&self) -> (NaiveDate, Option<NaiveDateTime>) {
        match self {
            Published::Date(d) => (*d, None),
            Published::Local(t) => (t.date(), Some(*t)),
            Published::Exact(t) => {
                let utc = t.with_timezone(&Utc).naive_utc();
                (utc.date(), Some(utc))
            }
        }
    }

    fn yaml(&self) -> String {
        match self {
            Published::Date(d) => d.to_string(),
            Published::Local(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            Published::Exact(t) => t.to_rfc3339(),
        }
    }
}

/// A stretch of the input that was removed: its lines (1-based, the last
/// included), the rule that removed it, and its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub first_line: usize,
    pub last_line: usize,
    /// Non-blank lines removed.
    pub lines: usize,
    pub rule: String,
    pub text: String,
    /// What became of it, when something did (a stamp: the entry's time).
    pub note: Option<String>,
}

/// One input, imported (in memory).
#[derive(Debug, Clone)]
pub struct Imported {
    /// The file name without extension the article and sidecar get.
    pub stem: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// The publication date or time found or given, as the sidecar has it.
    pub published: Option<String>,
    /// Whether the input was read as HTML.
    pub html: bool,
    /// The cleaned text: the `.txt` article.
    pub article: String,
    /// The `.yaml` sidecar.
    pub sidecar: String,
    /// Entries of the skeleton.
    pub entries: usize,
    /// Lines of the sidecar marked `# TODO`.
    pub todos: usize,
    /// Paragraphs of the article.
    pub paragraphs: usize,
    /// What was removed, in order.
    pub removals: Vec<Removal>,
    /// Lines a removal rule matched but that were kept (by a keep rule,
    /// or as report prose): `rule` is what kept it, `note` the rule that
    /// would have removed it.
    pub kept: Vec<Removal>,
    /// The rules that removed something: name and description.
    pub rules_used: Vec<(String, String)>,
    /// Lowercase hex SHA-256 of the input's bytes.
    pub sha256: String,
}

/// What an import of one text needs to know.
pub struct ImportContext<'a> {
    pub rules: &'a [Rule],
    pub actors: &'a ActorIndex,
    /// The input's name, as shown in the sidecar.
    pub input_name: &'a str,
    pub source: Option<&'a str>,
    pub published: Option<&'a Published>,
    /// Whether a copy of the input is kept as `<stem>.raw`.
    pub keep_raw: bool,
    /// Stems already used, which this one must not repeat.
    pub taken: &'a HashSet<String>,
    /// The stem to use, instead of one made from the outlet and title.
    pub name: Option<&'a str>,
    /// Where the page was fetched from, when it was.
    pub url: Option<&'a str>,
    /// When the page was collected (RFC 3339), when known.
    pub retrieved: Option<&'a str>,
    /// The charset the server gave with a fetched page, which wins over
    /// the page's own declaration (as in a browser).
    pub charset: Option<&'a str>,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A publication time as a page's metadata writes it: RFC 3339, ISO 8601
/// with an offset such as `+0000`, or a date.
fn page_published(text: &str) -> Option<Published> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(Published::Exact(t));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(Published::Exact(t));
        }
    }
    text.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(Published::Date)
}

/// A kept line of the article.
struct Kept<'a> {
    text: &'a str,
    /// Index of its paragraph in the article.
    paragraph: usize,
}

/// The kept lines each stamp's update spans: from its place to the next
/// stamp's, the last to the end (`kept` lines in all).
fn update_spans(
    stamps: &[(usize, usize, liveblog::Stamp)],
    kept: usize,
) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    stamps
        .iter()
        .enumerate()
        .map(move |(k, (at, _, _))| *at..stamps.get(k + 1).map_or(kept, |(next, _, _)| *next))
}

/// Whether a page's stamps mark a live blog's updates: two or more, not
/// just two relative times with no clock, and at least half of them
/// followed by text of their own, a sentence of six words or more before
/// the next stamp (an update may be a headline alone, but a live blog's
/// are not all so). One stamp is left to the caller.
fn updates_carry_text(stamps: &[(usize, usize, liveblog::Stamp)], kept: &[Kept]) -> bool {
    if stamps.len() < 2 {
        return true;
    }
    // Two relative times and no clock (`14 hours ago`, `1 day ago`) are
    // the ages of embedded videos or teasers, not a live blog.
    if stamps.len() < 3 && stamps.iter().all(|(_, _, s)| s.clock.is_none()) {
        return false;
    }
    let with_text = update_spans(stamps, kept.len())
        .filter(|span| {
            kept[span.clone()]
                .iter()
                .any(|l| rules::ends_sentence(l.text) && l.text.split_whitespace().count() >= 6)
        })
        .count();
    with_text * 2 >= stamps.len()
}

/// Pages that put each update's headline before its stamp (`Headline`,
/// `11.04 Uhr`, then the text): when, for two thirds of the stamps or
/// more, the line before is a headline (short, no sentence) and the line
/// after is prose, each such update starts at its headline.
fn headlines_before_stamps(stamps: &mut [(usize, usize, liveblog::Stamp)], kept: &[Kept]) {
    if stamps.len() < 2 {
        return;
    }
    let previous_end = |k: usize| if k == 0 { 0 } else { stamps[k - 1].0 };
    let headed: Vec<bool> = (0..stamps.len())
        .map(|k| {
            let at = stamps[k].0;
            at > previous_end(k) + 1
                && kept.get(at).is_some_and(|l| rules::prose_like(l.text))
                && kept
                    .get(at - 1)
                    .is_some_and(|l| rules::headline_like(l.text) && !rules::ends_sentence(l.text))
        })
        .collect();
    if headed.iter().filter(|h| **h).count() * 3 < stamps.len() * 2 {
        return;
    }
    for (stamp, headed) in stamps.iter_mut().zip(headed) {
        if headed {
            stamp.0 -= 1;
        }
    }
}

/// Gives each stamp without a date of its own the date of the day heading
/// above it (`Donnerstag, 18. 7.`, `Monday 6 February`), the last one
/// since the page's start; `near` is the page's date, for headings that
/// leave out the year.
fn date_by_day_headings(
    stamps: &mut [liveblog::Stamp],
    at: &[(usize, usize, liveblog::Stamp)],
    kept: &[Kept],
    near: NaiveDate,
) {
    let headings: Vec<(usize, NaiveDate)> = kept
        .iter()
        .enumerate()
        .filter_map(|(k, l)| meta::day_heading(l.text, near).map(|d| (k, d)))
        .collect();
    if headings.is_empty() {
        return;
    }
    for (stamp, (start, _, _)) in stamps.iter_mut().zip(at) {
        if stamp.date.is_some() || stamp.exact.is_some() {
            continue;
        }
        if let Some((_, day)) = headings.iter().rev().find(|(k, _)| k < start) {
            stamp.date = Some(*day);
        }
    }
}

/// Whether two stamps with nothing between them mark one update: an
/// instant and its clock as shown, or a bare clock beside a stronger
/// stamp; not two different instants, nor two strong stamps of different
/// clocks.
fn one_update(a: &liveblog::Stamp, b: &liveblog::Stamp) -> bool {
    match (a.exact, b.exact) {
        (Some(x), Some(y)) => x == y,
        (Some(_), None) | (None, Some(_)) => true,
        (None, None) => !(a.strong() && b.strong()) || a.clock == b.clock,
    }
}

/// One live-blog update: its stamp and the kept lines it spans.
struct Update {
    stamp: liveblog::Stamp,
    lines: std::ops::Range<usize>,
}

/// Imports one text: removes its debris, finds what it says about itself,
/// and drafts its sidecar. Pure: reads and writes nothing.
pub fn import_text(raw: &[u8], ctx: &ImportContext) -> Imported {
    let sha256 = sha256_hex(raw);
    let is_html = html::looks_like_html(raw);
    let mut text = if is_html {
        html::decode(raw, ctx.charset)
    } else {
        String::from_utf8_lossy(raw).into_owned()
    };
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    let page = is_html.then(|| html::extract(&text, ctx.url));
    if let Some(p) = &page {
        text = p.text.clone();
    }
    if let std::borrow::Cow::Owned(split) = liveblog::split_glued(&text) {
        text = split;
    }
    let lines = rules::apply(&text, ctx.rules);

    // The kept lines, by paragraph; and where each stamp stood.
    let mut kept: Vec<Kept> = Vec::new();
    let mut stamps: Vec<(usize, usize, liveblog::Stamp)> = Vec::new();
    let mut paragraph = 0;
    let mut gap = false;
    for (i, line) in lines.iter().enumerate() {
        match line.removed {
            Some(r) => {
                if ctx.rules[r].name == LIVE_STAMP {
                    if let Some(stamp) = liveblog::parse(line.text) {
                        // Two stamps with nothing between (an update's
                        // instant and its clock as shown) are one: the
                        // stronger stays. Two different instants, or two
                        // strong stamps of different clocks, are two
                        // updates (the first with no text of its own).
                        match stamps.last_mut() {
                            Some(last) if last.0 == kept.len() && one_update(&last.2, &stamp) => {
                                if !last.2.strong() && stamp.strong() {
                                    *last = (kept.len(), i + 1, stamp);
                                }
                            }
                            _ => stamps.push((kept.len(), i + 1, stamp)),
                        }
                        gap = true;
                    }
                }
                if ctx.rules[r].kind != Kind::Line {
                    gap = true;
                }
            }
            None if line.text.trim().is_empty() => gap = true,
            None => {
                if gap && !kept.is_empty() {
                    paragraph += 1;
                }
                gap = false;
                kept.push(Kept {
                    text: line.text,
                    paragraph,
                });
            }
        }
    }
    let mut article = String::new();
    for (k, line) in kept.iter().enumerate() {
        if k > 0 {
            article.push_str(if line.paragraph != kept[k - 1].paragraph {
                "\n\n"
            } else {
                "\n"
            });
        }
        article.push_str(line.text);
    }
    article.push('\n');
    let paragraphs = kept.last().map_or(0, |l| l.paragraph + 1);

    // A lone bare clock time (`09:57 AM`) is the page's time, not an update.
    if stamps.len() == 1 && !stamps[0].2.strong() {
        stamps.clear();
    }
    // Stamps before headlines with no text of their own are a list of
    // other stories (`12:13 Uhr` and a headline, `14 hours ago` and a
    // video's length), not a live blog's updates. The updates the page's
    // JSON-LD lists are taken as they are.
    let from_json_ld = page.as_ref().is_some_and(|p| p.from == "json-ld");
    if !from_json_ld && !updates_carry_text(&stamps, &kept) {
        stamps.clear();
    }
    headlines_before_stamps(&mut stamps, &kept);

    // What was removed, in stretches of one rule.
    let mut removals: Vec<Removal> = Vec::new();
    let mut last_kept_or_other = true;
    for (i, line) in lines.iter().enumerate() {
        match line.removed {
            Some(r) => {
                let rule = &ctx.rules[r].name;
                match removals.last_mut() {
                    Some(last)
                        if !last_kept_or_other && &last.rule == rule && rule != LIVE_STAMP =>
                    {
                        last.last_line = i + 1;
                        last.lines += 1;
                    }
                    _ => removals.push(Removal {
                        first_line: i + 1,
                        last_line: i + 1,
                        lines: 1,
                        rule: rule.clone(),
                        text: line.text.trim().to_string(),
                        note: None,
                    }),
                }
                last_kept_or_other = false;
            }
            None if line.text.trim().is_empty() => {}
            None => last_kept_or_other = true,
        }
    }
    let kept_anyway: Vec<Removal> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let (keeper, would) = line.kept?;
            Some(Removal {
                first_line: i + 1,
                last_line: i + 1,
                lines: 1,
                rule: match keeper {
                    rules::Keeper::Rule(k) => ctx.rules[k].name.clone(),
                    rules::Keeper::Prose => rules::REPORT_PROSE.to_string(),
                },
                text: line.text.trim().to_string(),
                note: Some(format!("kept, though `{}` matched", ctx.rules[would].name)),
            })
        })
        .collect();
    let used: HashSet<&str> = removals.iter().map(|m| m.rule.as_str()).collect();
    let rules_used: Vec<(String, String)> = ctx
        .rules
        .iter()
        .filter(|r| used.contains(r.name.as_str()))
        .map(|r| (r.name.clone(), r.description.clone()))
        .collect();

    // What the page says about itself.
    let raw_lines: Vec<&str> = lines.iter().map(|l| l.text).collect();
    let kept_lines: Vec<&str> = kept.iter().map(|l| l.text).collect();
    let page_meta = page.as_ref();
    let title = page_meta
        .and_then(|p| p.title.clone())
        .or_else(|| meta::title(kept_lines.iter().copied()));
    let found_outlet = page_meta
        .and_then(|p| p.outlet.clone())
        .map(|o| meta::Found {
            value: o,
            from: "the page's metadata".to_string(),
        })
        .or_else(|| meta::outlet(&raw_lines, &kept_lines));
    let outlet = ctx
        .source
        .map(str::to_string)
        .or_else(|| found_outlet.as_ref().map(|f| f.value.clone()));
    let page_date = page_meta
        .and_then(|p| p.published.as_ref())
        .and_then(|(text, from)| page_published(text).map(|p| (p, *from)));
    let found_date = meta::published(&raw_lines, &kept_lines);
    let author = page_meta
        .and_then(|p| p.byline.clone())
        .map(|b| meta::Found {
            value: b,
            from: "the page's metadata".to_string(),
        })
        .or_else(|| meta::author(&kept_lines))
        .filter(|a| Some(&a.value) != outlet.as_ref());

    let stem = stem_for(ctx, outlet.as_deref(), title.as_deref());

    // Live-blog updates.
    let updates: Vec<Update> = stamps
        .iter()
        .zip(update_spans(&stamps, kept.len()))
        .map(|((_, _, stamp), lines)| Update {
            stamp: stamp.clone(),
            lines,
        })
        .collect();
    let published = ctx
        .published
        .cloned()
        .or_else(|| page_date.as_ref().map(|(p, _)| p.clone()))
        .or_else(|| found_date.as_ref().map(|f| Published::Date(f.value)));
    let (date, saved) = match &published {
        Some(p) => {
            let (d, t) = p.anchor();
            (Some(d), t)
        }
        None => (None, None),
    };
    let modified = page_meta
        .and_then(|p| p.modified.as_deref())
        .and_then(page_published)
        .and_then(|p| match p {
            Published::Exact(t) => Some(t),
            _ => None,
        })
        .filter(|_| ctx.published.is_none());
    let mut stamp_list: Vec<liveblog::Stamp> = updates.iter().map(|u| u.stamp.clone()).collect();
    // Day headings without a year are read near the page's last change
    // (a ticker may run for months from its first publication).
    let near = modified.map(|m| m.date_naive()).max(date);
    if let (Some(near), true) = (near, stamp_list.len() >= 2) {
        date_by_day_headings(&mut stamp_list, &stamps, &kept, near);
    }
    let times = liveblog::resolve(&stamp_list, date, saved, modified);
    for (k, ((_, line, _), when)) in stamps.iter().zip(&times).enumerate() {
        // The removals are in the order of their lines.
        let found = removals.binary_search_by_key(line, |r| r.first_line);
        if let Some(r) = found.ok().and_then(|k| removals.get_mut(k)) {
            r.note = Some(match when {
                Some(w) if w.approximate => {
                    format!(
                        "entry {}, at about {}",
                        k + 1,
                        w.at.format("%Y-%m-%d %H:%M")
                    )
                }
                Some(w) => format!("entry {}, at {}", k + 1, w.at.format("%Y-%m-%d %H:%M")),
                None => format!("entry {}, its date to complete", k + 1),
            });
        }
    }

    // The sidecar.
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Annotations drafted by `chronicle import` from {}.",
        comment_text(ctx.input_name, 120)
    );
    let _ = writeln!(
        y,
        "# Complete every line marked TODO: `chronicle check` reports those left open."
    );
    if ctx.keep_raw {
        let _ = writeln!(y, "# raw: {{file: {stem}.raw, sha256: {sha256}}}");
    }
    match (ctx.url, page_meta.and_then(|p| p.canonical.as_deref())) {
        (Some(url), _) => {
            let _ = writeln!(y, "url: {}  # where it was fetched", quote(url));
        }
        (None, Some(canonical)) => {
            let _ = writeln!(
                y,
                "url: {}  # the page's canonical address",
                quote(canonical)
            );
        }
        _ => {}
    }
    if let Some(retrieved) = ctx.retrieved {
        let how = if ctx.url.is_some() {
            "when it was fetched"
        } else {
            "when the saved file was last modified: check"
        };
        let _ = writeln!(y, "retrieved: {}  # {how}", quote(retrieved));
    }
    let _ = writeln!(y, "sha256: {sha256}  # of the page as collected");
    if let Some(language) = page_meta.and_then(|p| p.language.as_deref()) {
        let _ = writeln!(y, "language: {}  # the page's language", quote(language));
    }
    match &title {
        Some(t) => {
            let _ = writeln!(y, "title: {}", quote(t));
        }
        None => {
            let _ = writeln!(y, "title:  # TODO: the article's headline");
        }
    }
    match (&outlet, ctx.source, &found_outlet) {
        (Some(o), Some(_), _) => {
            let _ = writeln!(y, "source: {}", quote(o));
        }
        (Some(o), None, Some(found)) => {
            let _ = writeln!(
                y,
                "source: {}  # found in {}: check",
                quote(o),
                quote(&comment_text(&found.from, 60))
            );
        }
        _ => {
            let _ = writeln!(y, "source:  # TODO: the outlet (AFP, Al Jazeera, ...)");
        }
    }
    match (&published, ctx.published, &found_date) {
        (Some(p), Some(_), _) => {
            let _ = writeln!(y, "published: {}", quote(&p.yaml()));
        }
        (Some(p), None, _) if page_date.is_some() => {
            let _ = writeln!(
                y,
                "published: {}  # from the page's {}: check",
                quote(&p.yaml()),
                page_date.as_ref().map_or("", |(_, from)| from)
            );
        }
        (Some(p), None, Some(found)) => {
            let _ = writeln!(
                y,
                "published: {}  # found in {}: check, and add the time if you know it",
                quote(&p.yaml()),
                quote(&comment_text(&found.from, 60))
            );
        }
        _ => {
            let _ = writeln!(
                y,
                "published:  # TODO: the publication date, YYYY-MM-DD (or \"YYYY-MM-DD HH:MM\")"
            );
        }
    }
    let clocks = updates.iter().filter(|u| u.stamp.clock.is_some()).count();
    if clocks > 0 {
        if updates.iter().any(|u| u.stamp.utc)
            && updates
                .iter()
                .all(|u| u.stamp.utc || u.stamp.zone.is_none())
        {
            let _ = writeln!(y, "timezone: UTC  # the updates are stamped in GMT/UTC");
        } else if times.iter().flatten().any(|w| w.utc) {
            let _ = writeln!(
                y,
                "timezone: UTC  # the updates' times, stamped with their zone, are given in UTC"
            );
        } else {
            let _ = writeln!(
                y,
                "timezone: TODO  # TODO: the IANA zone of the updates' times (Europe/London, ...)"
            );
        }
    }
    if let Some(a) = &author {
        let _ = writeln!(
            y,
            "author: {}  # from the byline {}",
            quote(&a.value),
            quote(&comment_text(&a.from, 60))
        );
    }
    let unknown = names::unknown_names(&article, ctx.actors, 20);
    if !unknown.is_empty() {
        let _ = writeln!(
            y,
            "# Names in the text that are not in content/actors.yaml; add those that are actors:"
        );
        let listed: Vec<String> = unknown.iter().map(|(n, c)| format!("{n} ({c})")).collect();
        for line in wrap(&listed.join(", "), 76) {
            let _ = writeln!(y, "#   {line}");
        }
    }
    let _ = writeln!(y, "entries:");
    // Indexed once, for the evidence of every entry.
    let index = skeleton::ArticleIndex::new(&article);
    let paragraph_text = |range: std::ops::Range<usize>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut last = None;
        for line in &kept[range] {
            if last == Some(line.paragraph) {
                if let Some(p) = out.last_mut() {
                    p.push('\n');
                    p.push_str(line.text);
                }
            } else {
                out.push(line.text.to_string());
            }
            last = Some(line.paragraph);
        }
        out
    };
    let mut entries = 0;
    if updates.is_empty() {
        // One entry for the report.
        let lede = kept
            .iter()
            .map(|l| l.text)
            .find(|l| rules::prose_like(l))
            .or_else(|| {
                kept.iter()
                    .map(|l| l.text)
                    .find(|l| !rules::headline_like(l))
            });
        match (&published, date) {
            (Some(_), Some(d)) => {
                let _ = writeln!(
                    y,
                    "  - at: {}  # the publication date: make it the day (and time) of the event",
                    quote(&d.to_string())
                );
            }
            _ => {
                let _ = writeln!(
                    y,
                    "  - at:  # TODO: when it happened: YYYY-MM-DD or \"YYYY-MM-DD HH:MM\""
                );
            }
        }
        let _ = writeln!(
            y,
            "    headline:  # TODO: one line, in your words: what happened"
        );
        entry_fields(&mut y, &article, &index, lede, ctx.actors, None);
        entries += 1;
    }
    let total = updates.len();
    let single_day = times.iter().flatten().all(|w| Some(w.at.date()) == date);
    for (k, (update, when)) in updates.iter().zip(&times).enumerate() {
        let paragraphs = paragraph_text(update.lines.clone());
        let paragraphs: Vec<String> = paragraphs.into_iter().take(8).collect();
        let _ = writeln!(
            y,
            "  # update {} of {total}, stamped {}",
            k + 1,
            quote(&update.stamp.text)
        );
        match (when, update.stamp.clock) {
            (Some(w), _) if !w.approximate && single_day && w.utc => {
                let _ = writeln!(y, "  - at: {}", quote(&w.at.format("%H:%M").to_string()));
            }
            (Some(w), _) if !w.approximate => {
                let _ = writeln!(
                    y,
                    "  - at: {}",
                    quote(&w.at.format("%Y-%m-%d %H:%M").to_string())
                );
            }
            (Some(w), _) => {
                let _ = writeln!(
                    y,
                    "  - at: {}  # worked out from {} and when the page was saved: check",
                    quote(&w.at.format("%Y-%m-%d %H:%M").to_string()),
                    quote(&update.stamp.text)
                );
            }
            (None, Some(clock)) => {
                let _ = writeln!(
                    y,
                    "  - at: {}  # on the `published` date, which must be given",
                    quote(&clock.format("%H:%M").to_string())
                );
            }
            (None, None) => {
                let _ = writeln!(
                    y,
                    "  - at:  # TODO: when it happened: \"YYYY-MM-DD HH:MM\" (stamped {})",
                    quote(&update.stamp.text)
                );
            }
        }
        let first = paragraphs
            .first()
            .and_then(|p| p.lines().next())
            .unwrap_or("");
        // The update's first paragraph is its headline when it is one short
        // line, not a sentence (a question will do).
        let has_headline = paragraphs.first().is_some_and(|p| p.lines().count() == 1)
            && (1..=20).contains(&first.split_whitespace().count())
            && !first.trim_end().ends_with(['.', ':', ';', ','])
            && !rules::prose_like(first);
        if has_headline {
            let _ = writeln!(
                y,
                "    headline: {}  # the update's first line: reword it if you like",
                quote(first.trim())
            );
        } else {
            let _ = writeln!(
                y,
                "    headline:  # TODO: one line, in your words: what happened"
            );
        }
        let body: Vec<&String> = paragraphs.iter().skip(usize::from(has_headline)).collect();
        let passage = body
            .iter()
            .find(|p| p.split_whitespace().count() >= 6)
            .map(|p| p.as_str())
            .or(has_headline.then_some(first));
        let text = paragraphs.join("\n\n");
        entry_fields(&mut y, &text, &index, passage, ctx.actors, Some(8));
        entries += 1;
    }
    let y = seal(&y);
    let todos = y.lines().filter(|l| l.contains("# TODO")).count();
    Imported {
        stem,
        title,
        outlet,
        published: published.as_ref().map(Published::yaml),
        html: page.is_some(),
        article,
        sidecar: y,
        entries,
        todos,
        paragraphs,
        removals,
        kept: kept_anyway,
        rules_used,
        sha256,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(raw: &[u8], published: Option<&str>) -> Imported {
        let rules = rules::built_in();
        let published = published.map(|p| Published::parse(p).unwrap());
        import_text(
            raw,
            &ImportContext {
                rules: &rules,
                actors: &ActorIndex::default(),
                input_name: "page.txt",
                source: None,
                published: published.as_ref(),
                keep_raw: false,
                taken: &HashSet::new(),
                name: None,
                url: None,
                retrieved: None,
                charset: None,
            },
        )
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_dropped_and_nothing_else() {
        let i = import(
            b"\xEF\xBB\xBFTalks resume\r\n\r\nADVERTISEMENT\r\n\r\nThe talks resumed on Monday, officials said.  \r\n",
            None,
        );
        assert_eq!(
            i.article,
            "Talks resume\n\nThe talks resumed on Monday, officials said.  \n"
        );
        assert_eq!(i.removals.len(), 1);
        assert_eq!(i.sha256.len(), 64);
    }

    #[test]
    fn published_takes_the_forms_the_annotations_accept() {
        assert_eq!(
            Published::parse("2022-01-26"),
            NaiveDate::from_ymd_opt(2022, 1, 26).map(Published::Date)
        );
        assert!(matches!(
            Published::parse("2022-01-26 18:05"),
            Some(Published::Local(_))
        ));
        assert!(matches!(
            Published::parse("2022-01-26T18:05:00+02:00"),
            Some(Published::Exact(_))
        ));
        assert_eq!(Published::parse("26/01/2022"), None);
    }

    #[test]
    fn sizes_are_read_in_bytes_or_with_a_unit() {
        for (text, bytes) in [
            ("4096", 4096),
            ("64MiB", 64 << 20),
            ("64 mib", 64 << 20),
            ("512K", 512 << 10),
            ("100MB", 100_000_000),
            ("1GB", 1_000_000_000),
            ("1.5M", 3 << 19),
            ("10kb", 10_000),
            (" 1 GiB ", 1 << 30),
            ("1b", 1),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text:?}");
        }
        for text in [
            "",
            "MiB",
            "-1",
            "0",
            "0.1b",
            "1.2.3M",
            "12 parsecs",
            "2GiB",
            "99999999999999999999999",
        ] {
            assert!(parse_size(text).is_err(), "{text:?}");
        }
        assert_eq!(size_text(16 << 20), "16 MiB");
        assert_eq!(size_text((16 << 20) + (1 << 19)), "16.5 MiB");
        assert_eq!(size_text(1), "1 byte");
        assert_eq!(size_text(1000), "1000 bytes");
        assert_eq!(size_text(1 << 30), "1 GiB");
    }

    #[test]
    fn updates_after_midnight_get_their_full_date() {
        let i = import(
            b"Night blog\n\n5 mins ago (00:10 GMT)\n\nFirst after midnight\n\nA short note on the first event of the night.\n\n20 mins ago (23:55 GMT)\n\nLast before midnight\n\nA short note on the last event of the evening.\n",
            Some("2022-01-27"),
        );
        assert!(
            i.sidecar.contains("  - at: \"2022-01-27 00:10\"\n"),
            "{}",
            i.sidecar
        );
        assert!(i.sidecar.contains("  - at: \"2022-01-26 23:55\"\n"));
        assert_eq!(i.entries, 2);
    }

    #[test]
    fn timed_updates_without_a_date_are_left_for_the_build_to_report() {
        let i = import(
            b"Night blog\n\n5 mins ago (00:10 GMT)\n\nFirst after midnight\n\nA short note on the first event of the night.\n",
            None,
        );
        assert!(i.sidecar.contains("published:  # TODO"));
        assert!(i
            .sidecar
            .contains("  - at: \"00:10\"  # on the `published` date, which must be given"));
    }
}

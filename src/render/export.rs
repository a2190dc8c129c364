//! Data exports at the output root: `chronicle.json`, the whole chronicle
//! as data (described by `chronicle.schema.json`, written beside it), and
//! `timeline.json`, the entries in TimelineJS's JSON format.
//!
//! Both are deterministic: entries in the chronicle's order (time, then
//! id), registries in theirs (by id), no build time.
//!
//! `chronicle.json` says each fact once: a source names its article by
//! slug (the article's facts are in `articles`), a passage gives its
//! anchor (not the URL made of it), and a field whose value is its default
//! (`null`, `false`, `""`, `[]`) is left out ([`Blank`]).

use crate::config::TimelineGroups;
use chrono::{Datelike, Timelike};
use serde::Serialize;

use super::views::{time_labels, SharedViews};
use super::{html, Ctx, Rendering};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::load::Format;
use crate::resolve::dates::When;
use crate::resolve::{Article, Chronicle, EntryIx, TypedIndex};

/// The JSON Schema of `chronicle.json` (kept as `docs/chronicle.schema.json`).
pub const SCHEMA: &str = include_str!("../../docs/chronicle.schema.json");

/// The version of the shape of `chronicle.json`, raised on incompatible changes.
pub const FORMAT_VERSION: u32 = 3;

/// Writes `chronicle.json`, `chronicle.schema.json` and `timeline.json`.
pub(super) fn render(ctx: &Ctx, out: &Rendering) {
    let exports = ctx.chronicle.config.exports;
    // The two large files side by side: each is made on one thread.
    rayon::join(
        || {
            if exports.chronicle && out.wants("chronicle.json") {
                write_json(
                    out,
                    "chronicle.json",
                    &chronicle_data(ctx.chronicle, ctx.shared),
                );
            }
        },
        || {
            if exports.timeline && out.wants("timeline.json") {
                write_json(
                    out,
                    "timeline.json",
                    &timeline_data(ctx.chronicle, ctx.shared),
                );
            }
        },
    );
    if exports.chronicle && out.wants("chronicle.schema.json") {
        out.finish("chronicle.schema.json", Ok(SCHEMA.to_string()));
    }
}

/// Hands `value` to `out` as compact JSON and a newline at `path`,
/// written as it is made: an export of a large chronicle is hundreds of MB
/// (3.5 GB at a million articles), which a build should not hold whole on
/// top of everything else.
fn write_json(out: &Rendering, path: &str, value: &(impl Serialize + Sync)) {
    out.stream(
        path,
        &|w| {
            serde_json::to_writer(&mut *w, value).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        },
        |e| {
            Diagnostic::error(
                Code::ExportFailed,
                format!("cannot write the data export {path}: {e}"),
            )
        },
    );
}

/// A link of the site (`/crisis/days/…`, as [`super::views::Urls`] makes
/// them) as an absolute URL under `base_url`.
pub(super) fn absolute(shared: &SharedViews, link: &str) -> String {
    let path = link.strip_prefix(&shared.site.base_path).unwrap_or(link);
    format!("{}{}", shared.site.base_url, path.trim_start_matches('/'))
}

/// An entry's time in the site's zone (RFC 3339), or `None` when all day.
fn entry_time(when: &When, chronicle: &Chronicle) -> Option<String> {
    match when {
        When::DateOnly(_) => None,
        When::At { instant, .. } => Some(
            instant
                .with_timezone(&chronicle.config.timezone)
                .to_rfc3339(),
        ),
    }
}

/// When an article was published: RFC 3339 with its time, else its date.
pub(super) fn published(article: &Article) -> Option<String> {
    article.published.map(|p| p.rfc3339_or_date())
}

// ---------------------------------------------------------------- chronicle.json

/// A value that is its default in `chronicle.json` (`null`, `false`, `""`
/// or `[]`): a field holding it is left out, and the schema gives the
/// field's `default`.
trait Blank {
    fn is_blank(&self) -> bool;
}

impl Blank for bool {
    fn is_blank(&self) -> bool {
        !*self
    }
}

/// `None`, or an empty value given (an empty `author:`, say): the same
/// fact, no value.
impl<T: Blank> Blank for Option<T> {
    fn is_blank(&self) -> bool {
        self.as_ref().is_none_or(Blank::is_blank)
    }
}

impl Blank for &str {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

impl Blank for String {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

/// A claim always has its status.
impl Blank for ClaimData<'_> {
    fn is_blank(&self) -> bool {
        false
    }
}

impl<T> Blank for &[T] {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Blank for Vec<T> {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

/// A list serialised item by item as it is made, so the entries of a large
/// chronicle are never all held as values at once.
struct SeqOf<F>(F);

impl<F, I> Serialize for SeqOf<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct ChronicleData<'a, E, A> {
    #[serde(rename = "$schema")]
    schema: String,
    version: u32,
    generator: String,
    site: SiteData<'a>,
    entries: E,
    threads: Vec<ThreadData<'a>>,
    actors: Vec<ActorData<'a>>,
    topics: Vec<TopicData<'a>>,
    articles: A,
}

#[derive(Serialize)]
struct SiteData<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    timezone: &'a str,
}

#[derive(Serialize)]
struct EntryData<'a> {
    id: &'a str,
    /// Its fragment is the entry's anchor on its day's page.
    url: String,
    day: String,
    /// Absent for an entry with only a date.
    #[serde(skip_serializing_if = "Blank::is_blank")]
    time: Option<String>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    circa: bool,
    headline: &'a str,
    /// The Markdown as written (the HTML is the site's rendering of it).
    #[serde(skip_serializing_if = "Blank::is_blank")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    threads: Vec<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    actors: Vec<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    topics: Vec<&'a str>,
    sources: Vec<SourceData<'a>>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    quotes: Vec<QuoteData<'a>>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    claim: Option<ClaimData<'a>>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    corrections: Vec<CorrectionData<'a>>,
}

#[derive(Serialize)]
struct ClaimData<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    is_claim: bool,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    by: Vec<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    disputed_by: Vec<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    review: &'a str,
}

#[derive(Serialize)]
struct CorrectionData<'a> {
    on: String,
    text: &'a str,
}

/// An article reporting an entry: its slug (its title, outlet and URLs are
/// in `articles`) and the passages the entry rests on.
#[derive(Serialize)]
struct SourceData<'a> {
    article: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    evidence: Vec<PassageData<'a>>,
}

/// A passage, found on its article's page by its anchor.
#[derive(Serialize)]
struct PassageData<'a> {
    anchor: &'a str,
    /// `evidence` or `quote`.
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct QuoteData<'a> {
    actor: &'a str,
    text: &'a str,
    anchor: &'a str,
    article: &'a str,
}

#[derive(Serialize)]
struct ThreadData<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Blank::is_blank")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    topics: Vec<&'a str>,
}

#[derive(Serialize)]
struct ActorData<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    aliases: &'a [String],
    kind: &'static str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    affiliation: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    description: &'a str,
}

#[derive(Serialize)]
struct TopicData<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Blank::is_blank")]
    description: &'a str,
}

/// An article; the entries it reports are those whose sources name it.
#[derive(Serialize)]
struct ArticleData<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    outlet: &'a str,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    original_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    retrieved: Option<String>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    archive: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    sha256: Option<&'a str>,
    #[serde(skip_serializing_if = "Blank::is_blank")]
    digest: bool,
    path: String,
    format: &'static str,
}

/// The ids of `items` at `indexes`.
fn ids<'a, I: TypedIndex, T>(
    indexes: &[I],
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a str,
) -> Vec<&'a str> {
    indexes.iter().map(|&i| id(&items[i.get()])).collect()
}

fn article_url(shared: &SharedViews, article: &Article) -> String {
    absolute(shared, &shared.urls.article(&article.slug))
}

fn entry_data<'a>(c: &'a Chronicle, shared: &'a SharedViews, e: EntryIx) -> EntryData<'a> {
    let entry = &c.entries[e];
    EntryData {
        id: &entry.id,
        url: absolute(shared, &shared.entry_urls[e]),
        day: entry.day.to_string(),
        time: entry_time(&entry.when, c),
        circa: entry.circa,
        claim: entry.claim.as_ref().map(|claim| ClaimData {
            status: claim.status.as_str(),
            is_claim: !claim.status.is_established(),
            by: ids(&claim.by, &c.actors, |a| &a.id),
            disputed_by: ids(&claim.disputed_by, &c.actors, |a| &a.id),
            review: &claim.review,
        }),
        corrections: entry
            .corrections
            .iter()
            .map(|correction| CorrectionData {
                on: correction.on.rfc3339_or_date(),
                text: &correction.text,
            })
            .collect(),
        headline: &entry.headline,
        summary: &entry.summary,
        place: entry.place.as_deref(),
        threads: ids(&entry.threads, &c.threads, |t| &t.id),
        actors: ids(&entry.actors, &c.actors, |a| &a.id),
        topics: ids(&entry.topics, &c.topics, |t| &t.id),
        sources: entry
            .sources
            .iter()
            .map(|s| {
                let article = &c.articles[s.article];
                SourceData {
                    article: &article.slug,
                    evidence: s
                        .passages
                        .iter()
                        .filter_map(|anchor| {
                            let p = article.passages.iter().find(|p| &p.anchor == anchor)?;
                            Some(PassageData {
                                anchor,
                                kind: if p.quote_by.is_some() {
                                    "quote"
                                } else {
                                    "evidence"
                                },
                                text: &p.text,
                            })
                        })
                        .collect(),
                }
            })
            .collect(),
        quotes: entry
            .quotes
            .iter()
            .map(|q| QuoteData {
                actor: &c.actors[q.actor].id,
                text: &q.text,
                anchor: &q.anchor,
                article: &c.articles[q.article].slug,
            })
            .collect(),
    }
}

fn article_data<'a>(shared: &SharedViews, a: &'a Article) -> ArticleData<'a> {
    ArticleData {
        slug: &a.slug,
        url: article_url(shared, a),
        title: &a.title,
        outlet: &a.outlet,
        original_url: a.url.as_deref(),
        author: a.author.as_deref(),
        language: a.language.as_deref(),
        published: published(a),
        retrieved: a.retrieved.map(|r| r.rfc3339_or_date()),
        archive: a.archive.as_deref(),
        sha256: a.sha256.as_deref(),
        digest: a.digest,
        path: a.path.to_string_lossy().replace('\\', "/"),
        format: match a.format {
            Format::Markdown => "markdown",
            Format::PlainText => "text",
        },
    }
}

fn chronicle_data<'a>(
    c: &'a Chronicle,
    shared: &'a SharedViews,
) -> ChronicleData<'a, impl Serialize + 'a, impl Serialize + 'a> {
    let threads = c
        .threads
        .iter()
        .map(|t| ThreadData {
            id: &t.id,
            url: absolute(shared, &shared.urls.thread(&t.slug)),
            title: &t.title,
            aliases: &t.aliases,
            summary: &t.summary,
            topics: ids(&t.topics, &c.topics, |t| &t.id),
        })
        .collect();
    let actors = c
        .actors
        .iter()
        .map(|a| ActorData {
            id: &a.id,
            url: absolute(shared, &shared.urls.actor(&a.slug)),
            name: &a.name,
            aliases: &a.aliases,
            kind: a.kind.as_str(),
            role: a.role.as_deref(),
            affiliation: a.affiliation.map(|p| c.actors[p].id.as_str()),
            description: &a.description,
        })
        .collect();
    let topics = c
        .topics
        .iter()
        .map(|t| TopicData {
            id: &t.id,
            url: absolute(shared, &shared.urls.topic(&t.slug)),
            name: &t.name,
            aliases: &t.aliases,
            description: &t.description,
        })
        .collect();
    let site = &shared.site;
    ChronicleData {
        schema: format!("{}chronicle.schema.json", site.base_url),
        version: FORMAT_VERSION,
        generator: format!("chronicle {}", env!("CARGO_PKG_VERSION")),
        site: SiteData {
            title: &site.title,
            description: &site.description,
            base_url: &site.base_url,
            language: &site.language,
            timezone: &site.timezone,
        },
        entries: SeqOf(move || {
            EntryIx::all(c.entries.len()).map(move |e| entry_data(c, shared, e))
        }),
        threads,
        actors,
        topics,
        articles: SeqOf(move || c.articles.iter().map(move |a| article_data(shared, a))),
    }
}

// ---------------------------------------------------------------- timeline.json

/// TimelineJS's JSON: <https://timeline.knightlab.com/docs/json-format.html>.
#[derive(Serialize)]
struct Timeline<E> {
    title: TitleSlide,
    events: E,
}

#[derive(Serialize)]
struct TitleSlide {
    text: Text,
}

/// Both fields are HTML to TimelineJS (as are `group` and `display_date`).
#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

#[derive(Serialize)]
struct Event<'a> {
    start_date: TimelineDate,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    unique_id: &'a str,
}

#[derive(Serialize)]
struct TimelineDate {
    year: i32,
    month: u32,
    day: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u32>,
    display_date: String,
}

/// Entry `e` as a TimelineJS event.
fn event<'a>(c: &'a Chronicle, shared: &SharedViews, e: EntryIx) -> Event<'a> {
    let tz = c.config.timezone;
    let entry = &c.entries[e];
    let (_, time_label, _) = time_labels(&entry.when, tz);
    let (hour, minute) = match &entry.when {
        When::DateOnly(_) => (None, None),
        When::At { instant, .. } => {
            let local = instant.with_timezone(&tz);
            (Some(local.hour()), Some(local.minute()))
        }
    };
    let display_date = if time_label.is_empty() {
        shared.words.date_label(entry.day)
    } else {
        format!("{}, {time_label}", shared.words.date_label(entry.day))
    };
    let mut text = shared.summaries_html[e].clone();
    let sources: Vec<String> = entry
        .sources
        .iter()
        .map(|s| {
            let article = &c.articles[s.article];
            let name = if article.outlet.is_empty() {
                article.title.clone()
            } else {
                format!("{}: {}", article.outlet, article.title)
            };
            format!(
                "<a href=\"{}\">{}</a>",
                html::escape(&article_url(shared, article)),
                html::escape(&name)
            )
        })
        .collect();
    if !sources.is_empty() {
        text.push_str(&format!(
            "<p class=\"chronicle-sources\">{}: {}</p>\n",
            html::escape(&shared.words.sources),
            sources.join(", ")
        ));
    }
    text.push_str(&format!(
        "<p class=\"chronicle-link\"><a href=\"{}\">{}</a></p>\n",
        html::escape(&absolute(shared, &shared.entry_urls[e])),
        html::escape(&shared.words.in_the_chronicle)
    ));
    Event {
        start_date: TimelineDate {
            year: entry.day.year(),
            month: entry.day.month(),
            day: entry.day.day(),
            hour,
            minute,
            display_date: html::escape(&display_date),
        },
        text: Text {
            // A claim says so in its headline.
            headline: match &entry.claim {
                Some(claim) if entry.is_claim() => html::escape(&format!(
                    "{}: {}",
                    shared.words.status_label(claim.status),
                    entry.headline
                )),
                _ => html::escape(&entry.headline),
            },
            text,
        },
        group: match c.config.timeline_groups {
            TimelineGroups::None => None,
            TimelineGroups::Threads => entry
                .threads
                .first()
                .map(|&t| html::escape(&c.threads[t].title)),
        },
        unique_id: &entry.id,
    }
}

fn timeline_data<'a>(c: &'a Chronicle, shared: &'a SharedViews) -> Timeline<impl Serialize + 'a> {
    Timeline {
        title: TitleSlide {
            text: Text {
                headline: html::escape(&c.config.title),
                text: if c.config.description.is_empty() {
                    String::new()
                } else {
                    format!("<p>{}</p>", html::escape(&c.config.description))
                },
            },
        },
        events: SeqOf(move || timeline_entries(c).map(move |e| event(c, shared, e))),
    }
}

/// The entries `timeline.json` holds, in time order: the newest
/// `timeline_limit` (TimelineJS draws every event as a slide, and tens of
/// thousands of them make it unusable), or all with 0.
fn timeline_entries(c: &Chronicle) -> impl Iterator<Item = EntryIx> {
    let len = c.entries.len();
    let older = len - super::newest(&c.entries, c.config.timeline_limit).len();
    EntryIx::all(len).skip(older)
}

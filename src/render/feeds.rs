//! Feeds: Atom (RFC 4287) and JSON Feed 1.1, for the whole chronicle and
//! for each thread and actor, each holding the newest entries.
//!
//! - `feed.xml`, `feed.json`: the newest entries of the site (`feed_limit`
//!   in site.toml, 50 unless set);
//! - `threads/<slug>/feed.xml`, `threads/<slug>/feed.json`: of a thread
//!   (`item_feed_limit`, 20 unless set);
//! - `actors/<slug>/feed.xml`, `actors/<slug>/feed.json`: of an actor.
//!
//! Each feed entry is a chronicle entry: its id and link are the entry's
//! absolute URL on its day's page, its times the entry's time in the site's
//! zone (an all-day entry: its day at 00:00), its content the summary and
//! the sources reporting it.

use crate::config::FeedFormats;
use crate::diagnostics::Code;
use crate::urls::{Page, ATOM_FEED, JSON_FEED};
use std::collections::HashMap;

use atom_syndication as atom;
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde_json::{json, Value};

use super::{html, Ctx, Rendering};
use crate::diagnostics::Diagnostic;
use crate::resolve::dates::When;
use crate::resolve::{Chronicle, EntryIx};

/// The JSON Feed version this writes.
pub const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

/// Media types of the two kinds of feed.
pub const ATOM_TYPE: &str = "application/atom+xml";
pub const JSON_FEED_TYPE: &str = "application/feed+json";

/// One feed: what it is about and which entries it holds.
struct FeedSpec<'a> {
    /// Where the feeds go, `threads/<slug>/` (empty for the site's).
    dir: String,
    title: String,
    /// Plain text.
    subtitle: String,
    /// The entries it covers, in time order; the newest are taken.
    entries: &'a [EntryIx],
    /// The formats it is written in.
    formats: FeedFormats,
    /// How many of the newest entries it holds; 0: all.
    limit: usize,
}

/// Writes every feed into `out`.
pub(super) fn render(ctx: &Ctx, out: &Rendering) {
    render_corrections(ctx, out);
    let c = ctx.chronicle;
    let formats = c.config.feed_formats;
    let limit = c.config.feed_limit;
    let site_title = &c.config.title;
    let words = &ctx.shared.words;
    let all: Vec<EntryIx> = EntryIx::all(c.entries.len()).collect();
    let mut specs = vec![FeedSpec {
        dir: String::new(),
        title: site_title.clone(),
        subtitle: c.config.description.clone(),
        entries: &all,
        formats,
        limit,
    }];
    // Each thread's and actor's, in the formats of `item_feeds`.
    let item_formats = c.config.item_feeds;
    let items = if item_formats.any() { usize::MAX } else { 0 };
    specs.extend(c.threads.iter().take(items).map(|t| FeedSpec {
        dir: Page::Thread(&t.slug).dir(),
        title: format!("{} · {site_title}", t.title),
        subtitle: words.thread_feed.replace("{title}", &t.title),
        entries: &t.entries,
        formats: item_formats,
        limit: c.config.item_feed_limit,
    }));
    specs.extend(c.actors.iter().take(items).map(|a| {
        FeedSpec {
            dir: Page::Actor(&a.slug).dir(),
            title: format!("{} · {site_title}", a.name),
            subtitle: match &a.role {
                Some(role) => words
                    .actor_feed_with_role
                    .replace("{name}", &a.name)
                    .replace("{role}", role),
                None => words.actor_feed.replace("{name}", &a.name),
            },
            entries: &a.entries,
            formats: item_formats,
            limit: c.config.item_feed_limit,
        }
    }));

    // Only the feeds asked for; each path is asked once.
    let specs: Vec<(FeedSpec, bool, bool)> = specs
        .into_iter()
        .map(|spec| {
            let atom = spec.formats.atom && out.wants(&format!("{}{ATOM_FEED}", spec.dir));
            let json = spec.formats.json && out.wants(&format!("{}{JSON_FEED}", spec.dir));
            (spec, atom, json)
        })
        .filter(|&(_, atom, json)| atom || json)
        .collect();
    if specs.is_empty() {
        return;
    }
    // Build each entry that some feed holds once, not once per feed.
    let mut needed: Vec<EntryIx> = specs
        .iter()
        .flat_map(|(s, ..)| newest(s.entries, s.limit))
        .chain(c.entries.len().checked_sub(1).map(EntryIx::new))
        .collect();
    needed.sort_unstable();
    needed.dedup();
    let items: HashMap<EntryIx, Item> =
        needed.par_iter().map(|&e| (e, Item::new(ctx, e))).collect();

    let newest_anywhere = c
        .entries
        .len()
        .checked_sub(1)
        .map(|e| items[&EntryIx::new(e)].updated);
    specs.par_iter().for_each(|(spec, atom, json)| {
        let entries: Vec<&Item> = newest(spec.entries, spec.limit)
            .map(|e| &items[&e])
            .collect();
        // A feed without entries is as new as the chronicle.
        let updated = entries
            .iter()
            .map(|i| i.updated)
            .max()
            .or(newest_anywhere)
            .unwrap_or_default();
        let feed = FeedDoc {
            ctx,
            spec,
            entries,
            updated,
        };
        if *atom {
            out.finish(&format!("{}{ATOM_FEED}", spec.dir), feed.atom());
        }
        if *json {
            out.finish(&format!("{}{JSON_FEED}", spec.dir), feed.json());
        }
    });
}

/// The corrections' feeds (`corrections/feed.xml`, `.json`): one item per
/// correction, newest first, at most `feed_limit`.
fn render_corrections(ctx: &Ctx, out: &Rendering) {
    let dir = Page::Corrections.dir();
    let formats = ctx.chronicle.config.feed_formats;
    let (atom, json) = (
        formats.atom && out.wants(&format!("{dir}{ATOM_FEED}")),
        formats.json && out.wants(&format!("{dir}{JSON_FEED}")),
    );
    if !atom && !json {
        return;
    }
    let c = ctx.chronicle;
    let words = &ctx.shared.words;
    let mut items: Vec<Item> = super::pages::corrections_newest_first(c)
        .into_iter()
        .map(|(e, n)| {
            let entry = &c.entries[e];
            let correction = &entry.corrections[n];
            let url = absolute(ctx, &ctx.shared.entry_urls[e]);
            let time = correction.instant(c.config.timezone);
            Item {
                id: format!("{url}-correction-{}", n + 1),
                url,
                title: entry.headline.clone(),
                time,
                updated: time,
                content_html: html::markdown(&correction.text, c.config.raw_html),
                categories: Vec::new(),
                outlets: Vec::new(),
                external_url: None,
            }
        })
        .collect();
    if c.config.feed_limit > 0 {
        items.truncate(c.config.feed_limit);
    }
    let spec = FeedSpec {
        dir,
        title: format!("{} · {}", words.corrections, c.config.title),
        subtitle: words.corrections_feed.replace("{title}", &c.config.title),
        entries: &[],
        formats,
        limit: c.config.feed_limit,
    };
    // Without corrections, as new as the chronicle's start: a fixed date
    // from the content, never the build's clock.
    let updated = items.first().map(|i| i.updated).unwrap_or_else(|| {
        c.entries
            .first()
            .map(|e| entry_time(&e.when, c.config.timezone))
            .unwrap_or_default()
    });
    let feed = FeedDoc {
        ctx,
        spec: &spec,
        entries: items.iter().collect(),
        updated,
    };
    if atom {
        out.finish(&format!("{}{ATOM_FEED}", spec.dir), feed.atom());
    }
    if json {
        out.finish(&format!("{}{JSON_FEED}", spec.dir), feed.json());
    }
}

/// A claim as the first paragraph of a feed item: its status in words, who
/// makes it and who disputes it.
fn claim_html(ctx: &Ctx, claim: &crate::resolve::Claim) -> String {
    let c = ctx.chronicle;
    let names = |actors: &[crate::resolve::ActorIx]| {
        actors
            .iter()
            .map(|&a| html::escape(&c.actors[a].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "<p><strong>{}</strong>",
        html::escape(ctx.shared.words.status_label(claim.status))
    );
    if !claim.by.is_empty() {
        text.push_str(&format!(" — claimed by {}", names(&claim.by)));
    }
    if !claim.disputed_by.is_empty() {
        text.push_str(&format!("; disputed by {}", names(&claim.disputed_by)));
    }
    text.push_str("</p>\n");
    text
}

/// The newest `limit` of `entries` (in time order), newest first; all of
/// them when `limit` is 0.
fn newest(entries: &[EntryIx], limit: usize) -> impl Iterator<Item = EntryIx> + '_ {
    super::newest(entries, limit).iter().rev().copied()
}

/// The absolute form of a site link (`/crisis/days/...` → `https://.../days/...`).
fn absolute(ctx: &Ctx, link: &str) -> String {
    let site = &ctx.shared.site;
    let rest = link.strip_prefix(site.base_path.as_str()).unwrap_or(link);
    format!("{}{rest}", site.base_url)
}

/// An Atom id (RFC 4287 wants an IRI) for a feed's or an entry's URL: the
/// URL itself under a full `base_url`; under a path-only one (`/`,
/// `/crisis/`), where the URL has no scheme and so is no IRI, a `tag:` URI
/// (RFC 4151) made of the site's title as its slug, a fixed date (2000) and
/// the path: `tag:my-chronicle,2000:/days/2022-01-26/#talks`. Stable as long
/// as the title and the path stay.
pub fn atom_id(site_title: &str, base_url: &str, url: &str) -> String {
    if base_url.contains("://") {
        return url.to_string();
    }
    let entity = crate::resolve::ids::slugify(site_title);
    let entity = if entity.is_empty() {
        "chronicle"
    } else {
        entity.as_str()
    };
    // A tag's part after the date takes pchar, "/" and "?"; a URL path is
    // already percent-encoded, its fragment kept after "#".
    format!("tag:{entity},2000:{url}")
}

/// An entry's time in the site's zone; an all-day entry's is its day at
/// 00:00 (or the first moment of it, when a clock change skips midnight).
pub fn entry_time(when: &When, tz: chrono_tz::Tz) -> DateTime<FixedOffset> {
    match when {
        When::At { instant, .. } => instant.with_timezone(&tz).fixed_offset(),
        When::DateOnly(date) => crate::resolve::dates::start_of_day(*date, tz),
    }
}

/// What both kinds of feed say about an entry.
struct Item {
    /// The entry's absolute URL on its day's page.
    url: String,
    /// The item's id: its URL, for an entry.
    id: String,
    title: String,
    /// When it happened (or, for a correction, was made).
    time: DateTime<FixedOffset>,
    /// Its last change: its latest correction, else `time`.
    updated: DateTime<FixedOffset>,
    content_html: String,
    /// (scheme, term, label) of its threads and topics. Not its actors: an
    /// actor's feed would name the actor in every item, and at 10,000
    /// articles the actors were a fifth of the thread and actor feeds.
    categories: Vec<(String, String, String)>,
    /// The outlets reporting it, each once, in order.
    outlets: Vec<String>,
    /// The first source's original address, if it has one.
    external_url: Option<String>,
}

impl Item {
    fn new(ctx: &Ctx, e: EntryIx) -> Item {
        let c: &Chronicle = ctx.chronicle;
        let entry = &c.entries[e];
        let urls = &ctx.shared.urls;
        let words = &ctx.shared.words;
        let mut content = String::new();
        if let Some(claim) = entry.claim.as_ref() {
            content.push_str(&claim_html(ctx, claim));
        }
        content.push_str(&ctx.shared.summaries_html[e]);
        let mut outlets: Vec<String> = Vec::new();
        let mut sources = Vec::new();
        for s in &entry.sources {
            let article = &c.articles[s.article];
            let href = absolute(ctx, &urls.article(&article.slug));
            let label = if article.outlet.is_empty() {
                format!("“{}”", article.title)
            } else {
                format!("{}, “{}”", article.outlet, article.title)
            };
            sources.push(format!(
                "<a href=\"{}\">{}</a>",
                html::escape(&href),
                html::escape(&label)
            ));
            if !article.outlet.is_empty() && !outlets.contains(&article.outlet) {
                outlets.push(article.outlet.clone());
            }
        }
        if !sources.is_empty() {
            content.push_str(&format!("<p>Sources: {}</p>\n", sources.join("; ")));
        }
        for correction in &entry.corrections {
            content.push_str(&format!(
                "<p><em>Corrected {}:</em></p>\n{}",
                html::escape(&words.short_date_label(correction.on.date)),
                html::markdown(&correction.text, c.config.raw_html)
            ));
        }
        if content.is_empty() {
            content = format!("<p>{}</p>\n", html::escape(&entry.headline));
        }
        let mut categories = Vec::new();
        for &t in &entry.threads {
            let thread = &c.threads[t];
            categories.push((
                absolute(ctx, &urls.page(Page::Threads)),
                thread.id.clone(),
                thread.title.clone(),
            ));
        }
        for &t in &entry.topics {
            let topic = &c.topics[t];
            categories.push((
                absolute(ctx, &urls.page(Page::Topics)),
                topic.id.clone(),
                topic.name.clone(),
            ));
        }
        let url = absolute(ctx, &ctx.shared.entry_urls[e]);
        let time = entry_time(&entry.when, c.config.timezone);
        Item {
            id: url.clone(),
            url,
            // A claim says so before anything else a reader sees.
            title: match &entry.claim {
                Some(claim) if !claim.status.is_established() => {
                    format!("{}: {}", words.status_label(claim.status), entry.headline)
                }
                _ => entry.headline.clone(),
            },
            time,
            updated: entry
                .last_corrected(c.config.timezone)
                .map_or(time, |t| t.max(time)),
            content_html: content,
            categories,
            outlets,
            external_url: entry
                .sources
                .first()
                .and_then(|s| c.articles[s.article].url.clone()),
        }
    }
}

/// A feed ready to be written in either form.
struct FeedDoc<'a> {
    ctx: &'a Ctx<'a>,
    spec: &'a FeedSpec<'a>,
    /// Newest first.
    entries: Vec<&'a Item>,
    updated: DateTime<FixedOffset>,
}

impl FeedDoc<'_> {
    fn page_url(&self) -> String {
        format!("{}{}", self.ctx.shared.site.base_url, self.spec.dir)
    }

    fn feed_url(&self, file: &str) -> String {
        format!("{}{file}", self.page_url())
    }

    fn atom(&self) -> Result<String, Box<Diagnostic>> {
        let site = &self.ctx.shared.site;
        let link = |href: String, rel: &str, mime: &str| atom::Link {
            href,
            rel: rel.into(),
            mime_type: Some(mime.into()),
            ..Default::default()
        };
        let entries = self
            .entries
            .iter()
            .map(|item| atom::Entry {
                title: item.title.clone().into(),
                id: atom_id(&site.title, &site.base_url, &item.id),
                updated: item.updated,
                // Said only when it differs from `updated`, which Atom
                // requires: most entries never change.
                published: (item.time != item.updated).then_some(item.time),
                links: std::iter::once(link(item.url.clone(), "alternate", "text/html"))
                    .chain(item.external_url.iter().map(|u| atom::Link {
                        href: u.clone(),
                        rel: "related".into(),
                        ..Default::default()
                    }))
                    .collect(),
                categories: item
                    .categories
                    .iter()
                    .map(|(scheme, term, label)| atom::Category {
                        term: term.clone(),
                        scheme: Some(scheme.clone()),
                        label: Some(label.clone()),
                    })
                    .collect(),
                contributors: item
                    .outlets
                    .iter()
                    .map(|name| atom::Person {
                        name: name.clone(),
                        ..Default::default()
                    })
                    .collect(),
                content: Some(atom::Content {
                    base: Some(site.base_url.clone()),
                    value: Some(item.content_html.clone()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect();
        let feed = atom::Feed {
            title: self.spec.title.clone().into(),
            subtitle: (!self.spec.subtitle.is_empty()).then(|| self.spec.subtitle.clone().into()),
            id: atom_id(&site.title, &site.base_url, &self.feed_url(ATOM_FEED)),
            updated: self.updated,
            authors: vec![atom::Person {
                name: site.title.clone(),
                uri: Some(site.base_url.clone()),
                ..Default::default()
            }],
            links: [
                Some(link(self.feed_url(ATOM_FEED), "self", ATOM_TYPE)),
                Some(link(self.page_url(), "alternate", "text/html")),
                self.spec
                    .formats
                    .json
                    .then(|| link(self.feed_url(JSON_FEED), "alternate", JSON_FEED_TYPE)),
            ]
            .into_iter()
            .flatten()
            .collect(),
            generator: Some(atom::Generator {
                value: "chronicle".into(),
                ..Default::default()
            }),
            lang: Some(site.language.clone()),
            entries,
            ..Default::default()
        };
        let config = atom::WriteConfig {
            write_document_declaration: true,
            indent_size: Some(0),
        };
        let bytes = feed
            .write_with_config(Vec::new(), config)
            .map_err(|e| self.problem("feed.xml", &e.to_string()))?;
        let text =
            String::from_utf8(bytes).map_err(|e| self.problem("feed.xml", &e.to_string()))?;
        Ok(xml_chars(&text))
    }

    fn json(&self) -> Result<String, Box<Diagnostic>> {
        let site = &self.ctx.shared.site;
        let items: Vec<Value> = self
            .entries
            .iter()
            .map(|item| {
                let mut tags: Vec<&str> = Vec::new();
                for (_, _, label) in &item.categories {
                    if !tags.contains(&label.as_str()) {
                        tags.push(label);
                    }
                }
                let mut value = json!({
                    "id": item.id,
                    "url": item.url,
                    "title": item.title,
                    "content_html": item.content_html,
                    "date_published": item.time.to_rfc3339(),
                    "tags": tags,
                });
                if item.updated != item.time {
                    value["date_modified"] = json!(item.updated.to_rfc3339());
                }
                if let Some(external) = &item.external_url {
                    value["external_url"] = json!(external);
                }
                value
            })
            .collect();
        let mut feed = json!({
            "version": JSON_FEED_VERSION,
            "title": self.spec.title,
            "home_page_url": self.page_url(),
            "feed_url": self.feed_url(JSON_FEED),
            "language": site.language,
            "authors": [{"name": site.title, "url": site.base_url}],
            "items": items,
        });
        if !self.spec.subtitle.is_empty() {
            feed["description"] = json!(self.spec.subtitle);
        }
        serde_json::to_string(&feed)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| self.problem("feed.json", &e.to_string()))
    }

    fn problem(&self, file: &str, why: &str) -> Box<Diagnostic> {
        Box::new(Diagnostic::error(
            Code::WriteFailed,
            format!("cannot write {}{file}: {why}", self.spec.dir),
        ))
    }
}

/// `text` without the characters XML 1.0 does not allow (control
/// characters other than tab and line ends, U+FFFE, U+FFFF).
pub fn xml_chars(text: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if text.chars().all(allowed) {
        text.to_string()
    } else {
        text.chars().filter(|&c| allowed(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_entries_start_at_midnight_in_the_site_zone() {
        let kyiv = chrono_tz::Europe::Kyiv;
        let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 27).unwrap();
        assert_eq!(
            entry_time(&When::DateOnly(day), kyiv).to_rfc3339(),
            "2022-01-27T00:00:00+02:00"
        );
        // Midnight skipped by a clock change: the first moment of the day.
        let havana = chrono_tz::America::Havana;
        let spring = chrono::NaiveDate::from_ymd_opt(2022, 3, 13).unwrap();
        assert_eq!(
            entry_time(&When::DateOnly(spring), havana).to_rfc3339(),
            "2022-03-13T01:00:00-04:00"
        );
    }

    #[test]
    fn atom_ids_are_iris_even_without_a_host() {
        let url = "https://example.org/c/days/2022-01-26/#talks";
        assert_eq!(atom_id("Crisis", "https://example.org/c/", url), url);
        assert_eq!(
            atom_id("My chronicle", "/", "/days/2022-01-26/#talks"),
            "tag:my-chronicle,2000:/days/2022-01-26/#talks"
        );
        assert_eq!(
            atom_id("", "/c/", "/c/feed.xml"),
            "tag:chronicle,2000:/c/feed.xml"
        );
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(xml_chars("a\u{0}b\u{1b}c\td\u{FFFF}"), "abc\td");
        assert_eq!(xml_chars("plain «text»"), "plain «text»");
    }
}

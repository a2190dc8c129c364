//! What templates see: plain, serialisable views of the chronicle, with every
//! URL, label and HTML fragment prepared in Rust. Views shared by many pages
//! (entries, links) are built once and referenced, not rebuilt per page.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;

use super::html;
use crate::resolve::dates::When;
use crate::resolve::{
    ActorIx, ArticleIx, Chronicle, Entry, EntryIx, PerItem, ThreadIx, TopicIx, TypedIndex,
};

/// A name and where it links to.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A link with how often it occurs (entries of a thread, co-occurrences).
#[derive(Debug, Clone, Serialize)]
pub struct Counted {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// The site's settings as templates see them (`site`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub timezone: String,
    /// The links of the indexes, for navigation (`site.urls.days`, ...).
    pub urls: crate::urls::Navigation,
    /// The editors' standalone pages, in their order: each page's name in
    /// the navigation and its link.
    pub pages: Vec<Link>,
    /// Which feeds the site has: `atom`, `json` (the formats) and `items`
    /// (a feed for each thread and actor), so a theme links only to those.
    pub feeds: FeedsView,
    pub extra: toml::Table,
}

/// The feeds a site writes (`site.feeds`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FeedsView {
    pub atom: bool,
    pub json: bool,
    /// Whether threads and actors have feeds (in any format).
    pub items: bool,
    /// The formats of the threads' and actors' feeds.
    pub item: crate::config::FeedFormats,
}

/// An entry with everything a card needs, borrowed from the chronicle and
/// the [`SharedViews`]. Built for each page that shows the entry and
/// dropped with it, so a large chronicle never holds every entry's view at
/// once.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView<'a> {
    pub id: &'a str,
    pub anchor: &'a str,
    /// Its place on its day's page.
    pub url: &'a str,
    pub headline: &'a str,
    pub summary_html: &'a str,
    /// Whether the entry gives a time of day (a date-only entry does not).
    pub time_given: bool,
    /// The opposite of `time_given`, under its older name.
    pub all_day: bool,
    /// The time (or, for a date-only entry, the date) is approximate.
    pub circa: bool,
    /// For `<time datetime>`: RFC 3339, or the date of a date-only entry.
    pub datetime: String,
    pub date: String,
    pub date_label: String,
    /// "20:04 EET" in the site's zone; empty for a date-only entry.
    pub time_label: String,
    /// The site's IANA zone name, "Europe/Kyiv".
    pub timezone: &'a str,
    /// The time as the source gave it, where its zone differs ("18:04 UTC").
    pub source_time_label: Option<String>,
    pub day_url: String,
    pub threads: Vec<&'a Link>,
    pub actors: Vec<&'a Link>,
    pub topics: Vec<&'a Link>,
    pub place: Option<&'a str>,
    pub sources: Vec<SourceView<'a>>,
    pub quotes: Vec<QuoteView<'a>>,
    /// Set when the entry reports a claim (of any status, `confirmed` too).
    pub claim: Option<ClaimView<'a>>,
    /// Whether the entry reads as a claim, not an established fact.
    pub is_claim: bool,
    /// The status word (`disputed`), for classes; `None` without a claim.
    pub claim_status: Option<&'static str>,
    /// The editors' corrections, oldest first.
    pub corrections: Vec<CorrectionView>,
    /// "reported 27 January 2022 by AP", when the declaring source was
    /// published on a later day than the entry happened.
    pub reported_label: Option<String>,
    pub cards: PreRendered<'a>,
}

/// An entry's claim as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView<'a> {
    /// `claimed` | `disputed` | `denied` | `confirmed` | `refuted` | `retracted`.
    pub status: &'static str,
    /// The status in the theme's words ("Disputed").
    pub label: &'a str,
    /// Who makes the claim.
    pub by: Vec<&'a Link>,
    /// Who disputes or denies it.
    pub disputed_by: Vec<&'a Link>,
    /// The editors' review, as HTML; empty when there is none.
    pub review_html: String,
}

/// One correction of an entry.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    /// For `<time datetime>`: RFC 3339, or a date.
    pub datetime: String,
    pub date_label: String,
    pub text_html: String,
}

/// An entry as lists show it (actor, topic, article and home pages): what
/// a list item needs, without the summary, sources and quotes of
/// [`EntryView`], which is several times as costly to build.
#[derive(Debug, Clone, Serialize)]
pub struct EntryItem<'a> {
    pub id: &'a str,
    pub anchor: &'a str,
    pub url: &'a str,
    pub headline: &'a str,
    pub time_given: bool,
    pub all_day: bool,
    pub circa: bool,
    pub datetime: String,
    pub date: String,
    pub date_label: String,
    pub time_label: String,
    pub timezone: &'a str,
    pub day_url: String,
    pub threads: Vec<&'a Link>,
    pub place: Option<&'a str>,
    pub is_claim: bool,
    pub claim_status: Option<&'static str>,
    /// The claim's status in the theme's words, when it has a claim.
    pub claim_label: Option<&'a str>,
    /// Whether the editors corrected it.
    pub corrected: bool,
    pub cards: PreRendered<'a>,
}

/// An entry's forms rendered in advance by the theme.
#[derive(Debug, Clone, Serialize)]
pub struct PreRendered<'a> {
    /// The theme's `entry_item` component: one list item.
    pub list: &'a str,
}

/// An article reporting an entry.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub outlet: &'a str,
    pub title: &'a str,
    pub date_label: String,
    /// The article's page.
    pub url: String,
    /// Where it was collected.
    pub original_url: Option<&'a str>,
    /// Links to the passages the entry rests on.
    pub passages: Vec<String>,
}

/// Attributed words.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView<'a> {
    pub text: &'a str,
    pub by: &'a Link,
    /// The passage on the article's page.
    pub url: String,
    pub outlet: &'a str,
    pub entry_url: &'a str,
    pub entry_headline: &'a str,
    pub date_label: String,
    /// The sentence around the quote in the article's text: what comes
    /// before and after it (each may be empty).
    pub before: &'a str,
    pub after: &'a str,
}

pub use crate::urls::Urls;

fn time_in(instant: DateTime<Utc>, tz: Tz) -> String {
    instant.with_timezone(&tz).format("%H:%M %Z").to_string()
}

/// Labels of an entry's time: in the site's zone, and as the source gave it.
pub fn time_labels(when: &When, site_tz: Tz) -> (String, String, Option<String>) {
    match when {
        When::DateOnly(date) => (date.to_string(), String::new(), None),
        When::At {
            instant,
            source_offset,
            source_zone,
        } => {
            let local = instant.with_timezone(&site_tz);
            let site_label = time_in(*instant, site_tz);
            let source_label = if local.fixed_offset().offset() == source_offset {
                None
            } else if let Some(zone) = source_zone {
                Some(time_in(*instant, *zone))
            } else if source_offset.local_minus_utc() == 0 {
                Some(format!("{} UTC", instant.format("%H:%M")))
            } else {
                let t = instant.with_timezone(source_offset);
                Some(format!("{} UTC{}", t.format("%H:%M"), t.format("%:z")))
            };
            (local.to_rfc3339(), site_label, source_label)
        }
    }
}

/// Everything shared by pages, built once per build: what many pages need
/// and is cheap to keep. Entry views themselves are built per page.
pub struct SharedViews {
    pub site: SiteView,
    pub urls: Urls,
    pub thread_links: PerItem<ThreadIx, Link>,
    pub actor_links: PerItem<ActorIx, Link>,
    pub topic_links: PerItem<TopicIx, Link>,
    /// Each entry's link: its place on its day's page.
    pub entry_urls: PerItem<EntryIx, String>,
    /// Which page of its day's page each entry is on, from 1 (see
    /// `day_paginate_by`).
    pub day_pages: PerItem<EntryIx, usize>,
    /// Each entry's summary as HTML.
    pub summaries_html: PerItem<EntryIx, String>,
    /// Each entry as a list item, rendered once by the theme (`cards.list`):
    /// an entry is listed on the pages of each of its actors and topics.
    pub list_cards: PerItem<EntryIx, String>,
    /// The theme's words (titles, labels, dates).
    pub words: super::words::Words,
    /// When each entry last changed ([`Chronicle::entry_changed`]), found
    /// once for every page, feed and sitemap line that dates itself by it.
    pub entry_changed: PerItem<EntryIx, Changed>,
    /// The newest of those: the chronicle's last change.
    pub newest_change: Changed,
}

impl SharedViews {
    /// When the newest of `entries` last changed.
    pub fn changed(&self, entries: &[EntryIx]) -> Changed {
        entries.iter().filter_map(|&e| self.entry_changed[e]).max()
    }

    /// When article `a`'s page last changed: its publication or the last
    /// change of an entry it reports.
    pub fn article_changed(&self, c: &Chronicle, a: ArticleIx) -> Changed {
        let article = &c.articles[a];
        let published = article
            .published
            .as_ref()
            .map(|p| crate::resolve::dates::instant_of(p, c.config.timezone));
        self.changed(&article.entries).max(published)
    }

    /// Builds the shared views, without list cards.
    pub fn build(chronicle: &Chronicle) -> SharedViews {
        Self::build_with_list_cards(chronicle, Default::default(), |_| String::new())
    }

    /// Builds the shared views; `list_card` renders an entry's list item from
    /// its template value.
    pub fn build_with_list_cards(
        chronicle: &Chronicle,
        words: super::words::Words,
        list_card: impl Fn(&tera::Value) -> String + Sync,
    ) -> SharedViews {
        let config = &chronicle.config;
        let urls = Urls::new(&config.base_path);
        let thread_links = links(&chronicle.threads, |t| (&t.title, urls.thread(&t.slug)));
        let actor_links = links(&chronicle.actors, |a| (&a.name, urls.actor(&a.slug)));
        let topic_links = links(&chronicle.topics, |t| (&t.name, urls.topic(&t.slug)));
        let day_pages = day_pages(chronicle);
        let entry_urls = EntryIx::all(chronicle.entries.len())
            .map(|e| entry_url(&urls, &chronicle.entries[e], day_pages[e]))
            .collect();
        let summaries_html = chronicle
            .entries
            .par_iter()
            .map(|e| html::markdown(&e.summary, config.raw_html))
            .collect::<Vec<_>>()
            .into();
        let (entry_changed, newest_change) = changes(chronicle);
        let mut shared = SharedViews {
            site: SiteView {
                title: config.title.clone(),
                description: config.description.clone(),
                base_url: config.base_url.clone(),
                base_path: config.base_path.clone(),
                language: config.language.clone(),
                timezone: config.timezone.name().to_string(),
                urls: urls.navigation(),
                pages: chronicle
                    .pages
                    .iter()
                    .map(|p| Link {
                        name: p.nav_title.clone(),
                        url: urls.standalone(&p.slug),
                    })
                    .collect(),
                feeds: FeedsView {
                    atom: config.feed_formats.atom,
                    json: config.feed_formats.json,
                    items: config.item_feeds.any(),
                    item: config.item_feeds,
                },
                extra: config.extra.clone(),
            },
            urls,
            thread_links,
            actor_links,
            topic_links,
            entry_urls,
            day_pages,
            summaries_html,
            list_cards: PerItem::default(),
            words,
            entry_changed,
            newest_change,
        };
        shared.list_cards = (0..chronicle.entries.len())
            .into_par_iter()
            .map(|e| list_card(&shared.item_value(chronicle, EntryIx::new(e))))
            .collect::<Vec<_>>()
            .into();
        shared
    }

    /// Moves the per-entry views along with a patch of the chronicle
    /// (see [`crate::serve::patch`]): entry `old` that was kept is now
    /// `kept[old]`; the `rebuilt` entries get their views made again.
    /// Returns the entries whose link changed, rebuilt or not: they moved
    /// to another page of their day's page, as entries came or went before
    /// them; the pages listing them are stale too, though the entries are
    /// the same.
    pub fn renumber(
        &mut self,
        chronicle: &Chronicle,
        kept: &PerItem<EntryIx, Option<EntryIx>>,
        rebuilt: &[EntryIx],
        list_card: impl Fn(&tera::Value) -> String,
    ) -> Vec<EntryIx> {
        let n = chronicle.entries.len();
        let in_place = kept.len() == n
            && kept
                .enumerated()
                .all(|(old, new)| new.is_none_or(|new| new == old));
        if !in_place {
            self.move_entry_views(n, kept);
        }
        let pages = day_pages(chronicle);
        // Even in place, an entry whose date changed makes the entries after
        // it on its new day move down a place.
        // (A rebuilt entry's page before the patch is not known when entries
        // moved: it counts as moved, which costs a few pages rendered again.)
        let mut moved = Vec::new();
        let paginated = chronicle.config.day_paginate_by > 0;
        for (e, &page) in pages.enumerated().filter(|_| paginated) {
            if self.day_pages.get(e) != Some(&page) {
                self.entry_urls[e] = entry_url(&self.urls, &chronicle.entries[e], page);
                moved.push(e);
            }
        }
        self.day_pages = pages;
        for &e in rebuilt {
            let entry = &chronicle.entries[e];
            self.entry_urls[e] = entry_url(&self.urls, entry, self.day_pages[e]);
            self.summaries_html[e] = html::markdown(&entry.summary, chronicle.config.raw_html);
            self.list_cards[e] = String::new();
        }
        let moved_only = moved.iter().filter(|e| rebuilt.binary_search(e).is_err());
        for &e in rebuilt.iter().chain(moved_only) {
            self.list_cards[e] = list_card(&self.item_value(chronicle, e));
        }
        // An entry's date of change hangs on the publication of every
        // article reporting it; the entries reporting the edited article
        // are all among the rebuilt ones (its own and those it attaches
        // to with `same_as`). When entries moved, all are found again.
        // Finding all on every patch (zone conversions of 40,000 entries)
        // took 5 of a patch's 12 ms at 10,000 articles.
        if in_place && self.entry_changed.len() == n {
            for &e in rebuilt {
                self.entry_changed[e] = chronicle.entry_changed(e);
            }
            self.newest_change = self.entry_changed.iter().flatten().max().copied();
        } else {
            (self.entry_changed, self.newest_change) = changes(chronicle);
        }
        moved
    }

    /// Moves each kept entry's views to its new index, `n` entries in all.
    fn move_entry_views(&mut self, n: usize, kept: &PerItem<EntryIx, Option<EntryIx>>) {
        let blank = || PerItem::from(vec![String::new(); n]);
        let (mut entry_urls, mut summaries_html, mut list_cards) = (blank(), blank(), blank());
        // A rebuilt entry's page is unknown before the patch (0): it is
        // found again anyway.
        let mut day_pages = PerItem::from(vec![0; n]);
        for (old, &new) in kept.enumerated() {
            if let Some(new) = new {
                day_pages[new] = self.day_pages.get(old).copied().unwrap_or(0);
                entry_urls[new] = std::mem::take(&mut self.entry_urls[old]);
                summaries_html[new] = std::mem::take(&mut self.summaries_html[old]);
                list_cards[new] = std::mem::take(&mut self.list_cards[old]);
            }
        }
        self.entry_urls = entry_urls;
        self.day_pages = day_pages;
        self.summaries_html = summaries_html;
        self.list_cards = list_cards;
    }

    /// The list form of entry `e`.
    pub fn entry_item<'a>(&'a self, chronicle: &'a Chronicle, e: EntryIx) -> EntryItem<'a> {
        self.entry_item_and_source_time(chronicle, e).0
    }

    /// The list form of entry `e`, and the time as its source gave it: the
    /// labels of both come from one conversion of its time.
    fn entry_item_and_source_time<'a>(
        &'a self,
        chronicle: &'a Chronicle,
        e: EntryIx,
    ) -> (EntryItem<'a>, Option<String>) {
        let entry = &chronicle.entries[e];
        let (datetime, time_label, source_time_label) =
            time_labels(&entry.when, chronicle.config.timezone);
        let date_only = matches!(entry.when, When::DateOnly(_));
        let status = entry.claim.as_ref().map(|c| c.status);
        let item = EntryItem {
            id: &entry.id,
            anchor: &entry.anchor,
            url: &self.entry_urls[e],
            headline: &entry.headline,
            time_given: !date_only,
            all_day: date_only,
            circa: entry.circa,
            datetime,
            date: entry.day.to_string(),
            date_label: self.words.date_label(entry.day),
            time_label,
            timezone: &self.site.timezone,
            day_url: self.urls.day(entry.day),
            threads: entry
                .threads
                .iter()
                .map(|&t| &self.thread_links[t])
                .collect(),
            place: entry.place.as_deref(),
            is_claim: entry.is_claim(),
            claim_status: status.map(|s| s.as_str()),
            claim_label: status.map(|s| self.words.status_label(s)),
            corrected: !entry.corrections.is_empty(),
            cards: PreRendered {
                list: self.list_cards.get(e).map_or("", String::as_str),
            },
        };
        (item, source_time_label)
    }

    /// The full view of entry `e`.
    pub fn entry_view<'a>(&'a self, chronicle: &'a Chronicle, e: EntryIx) -> EntryView<'a> {
        let entry = &chronicle.entries[e];
        let (item, source_time_label) = self.entry_item_and_source_time(chronicle, e);
        let sources = entry
            .sources
            .iter()
            .map(|s| {
                let article = &chronicle.articles[s.article];
                let page = self.urls.article(&article.slug);
                SourceView {
                    outlet: &article.outlet,
                    title: &article.title,
                    date_label: article
                        .published
                        .map(|p| self.words.short_date_label(p.date))
                        .unwrap_or_default(),
                    passages: s.passages.iter().map(|a| format!("{page}#{a}")).collect(),
                    url: page,
                    original_url: article.url.as_deref(),
                }
            })
            .collect();
        EntryView {
            id: item.id,
            anchor: item.anchor,
            url: item.url,
            headline: item.headline,
            summary_html: &self.summaries_html[e],
            time_given: item.time_given,
            all_day: item.all_day,
            circa: item.circa,
            datetime: item.datetime,
            date: item.date,
            date_label: item.date_label,
            time_label: item.time_label,
            timezone: item.timezone,
            source_time_label,
            day_url: item.day_url,
            threads: item.threads,
            actors: entry.actors.iter().map(|&a| &self.actor_links[a]).collect(),
            topics: entry.topics.iter().map(|&t| &self.topic_links[t]).collect(),
            place: item.place,
            sources,
            quotes: (0..entry.quotes.len())
                .map(|q| self.quote_view(chronicle, e, q))
                .collect(),
            claim: entry.claim.as_ref().map(|claim| ClaimView {
                status: claim.status.as_str(),
                label: self.words.status_label(claim.status),
                by: claim.by.iter().map(|&a| &self.actor_links[a]).collect(),
                disputed_by: claim
                    .disputed_by
                    .iter()
                    .map(|&a| &self.actor_links[a])
                    .collect(),
                review_html: html::markdown(&claim.review, chronicle.config.raw_html),
            }),
            is_claim: item.is_claim,
            claim_status: item.claim_status,
            corrections: entry
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    datetime: c.on.rfc3339_or_date(),
                    date_label: self.words.short_date_label(c.on.date),
                    text_html: html::markdown(&c.text, chronicle.config.raw_html),
                })
                .collect(),
            reported_label: self.reported_label(chronicle, entry),
            cards: item.cards,
        }
    }

    /// "reported 27 January 2022 by AP" when the entry's declaring source
    /// was published on a later day than the entry happened.
    fn reported_label(&self, chronicle: &Chronicle, entry: &Entry) -> Option<String> {
        let source = entry.sources.first()?;
        let article = &chronicle.articles[source.article];
        let published = article.published?;
        (published.date > entry.day).then(|| {
            let outlet = if article.outlet.is_empty() {
                &self.words.unknown_outlet
            } else {
                &article.outlet
            };
            self.words.reported_label(published.date, outlet)
        })
    }

    /// Quote `q` of entry `e`.
    pub fn quote_view<'a>(
        &'a self,
        chronicle: &'a Chronicle,
        e: EntryIx,
        q: usize,
    ) -> QuoteView<'a> {
        let entry = &chronicle.entries[e];
        let quote = &entry.quotes[q];
        let article = &chronicle.articles[quote.article];
        let (before, after) = article
            .passages
            .iter()
            .find(|p| p.anchor == quote.anchor)
            .and_then(|p| p.context.as_deref())
            .map_or(("", ""), |(before, after)| {
                (before.as_str(), after.as_str())
            });
        QuoteView {
            before,
            after,
            text: &quote.text,
            by: &self.actor_links[quote.actor],
            url: format!("{}#{}", self.urls.article(&article.slug), quote.anchor),
            outlet: &article.outlet,
            entry_url: &self.entry_urls[e],
            entry_headline: &entry.headline,
            date_label: self.words.short_date_label(entry.day),
        }
    }

    /// Entry `e` as a template value, in full.
    pub fn entry_value(&self, chronicle: &Chronicle, e: EntryIx) -> tera::Value {
        tera::Value::from_serializable(&self.entry_view(chronicle, e))
    }

    /// Entry `e` as a template value, in its list form.
    pub fn item_value(&self, chronicle: &Chronicle, e: EntryIx) -> tera::Value {
        tera::Value::from_serializable(&self.entry_item(chronicle, e))
    }
}

/// A moment of change, from the content.
type Changed = Option<DateTime<FixedOffset>>;

/// When each entry last changed, and the newest of them.
fn changes(chronicle: &Chronicle) -> (PerItem<EntryIx, Changed>, Changed) {
    let each: PerItem<EntryIx, _> = EntryIx::all(chronicle.entries.len())
        .map(|e| chronicle.entry_changed(e))
        .collect();
    let newest = each.iter().flatten().max().copied();
    (each, newest)
}

/// An entry's link: its place on page `page` of its day's page.
fn entry_url(urls: &Urls, entry: &Entry, page: usize) -> String {
    format!("{}#{}", urls.day_page(entry.day, page), entry.anchor)
}

/// Which page of its day's page each entry of `chronicle` is on, from 1:
/// a day's entries in order, `day_paginate_by` a page (all on one with 0).
pub fn day_pages(chronicle: &Chronicle) -> PerItem<EntryIx, usize> {
    let per_page = chronicle.config.day_paginate_by;
    let mut pages: PerItem<EntryIx, usize> = vec![1; chronicle.entries.len()].into();
    for day in &chronicle.days {
        for (i, &e) in day.entries.iter().enumerate() {
            pages[e] = crate::urls::page_of(i, per_page);
        }
    }
    pages
}

/// A link to each of `items`, from its name and URL.
fn links<I, T>(items: &[T], name_and_url: impl Fn(&T) -> (&String, String)) -> PerItem<I, Link> {
    items
        .iter()
        .map(|item| {
            let (name, url) = name_and_url(item);
            Link {
                name: name.clone(),
                url,
            }
        })
        .collect()
}

/// Counts how often each item of `links` occurs across `entries`, by
/// `items_of`, skipping `except`; most frequent first, then by name.
pub fn count_links<I: TypedIndex + Eq + std::hash::Hash>(
    entries: &[EntryIx],
    chronicle: &Chronicle,
    items_of: impl Fn(&Entry) -> &[I],
    links: &PerItem<I, Link>,
    except: Option<I>,
) -> Vec<Counted> {
    let mut counts: HashMap<I, usize> = HashMap::new();
    for &e in entries {
        for &i in items_of(&chronicle.entries[e]) {
            if Some(i) != except {
                *counts.entry(i).or_default() += 1;
            }
        }
    }
    let mut out: Vec<Counted> = counts
        .into_iter()
        .map(|(i, count)| Counted {
            name: links[i].name.clone(),
            url: links[i].url.clone(),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::dates::parse_at;

    #[test]
    fn times_show_the_site_zone_and_the_source_zone_when_different() {
        let kyiv = chrono_tz::Europe::Kyiv;
        let utc_source = parse_at("2022-01-26T18:04:00Z", Tz::UTC, None).unwrap();
        let (datetime, label, source) = time_labels(&utc_source, kyiv);
        assert_eq!(datetime, "2022-01-26T20:04:00+02:00");
        assert_eq!(label, "20:04 EET");
        assert_eq!(source.as_deref(), Some("18:04 UTC"));

        let kyiv_source = parse_at("2022-01-26 20:04", kyiv, None).unwrap();
        assert_eq!(time_labels(&kyiv_source, kyiv).2, None);

        let moscow = parse_at("2022-01-26T21:04:00+03:00", Tz::UTC, None).unwrap();
        assert_eq!(
            time_labels(&moscow, kyiv).2.as_deref(),
            Some("21:04 UTC+03:00")
        );
    }

    #[test]
    fn urls_carry_the_base_path() {
        let urls = Urls::new("/ukraine/");
        assert_eq!(
            urls.day(chrono::NaiveDate::from_ymd_opt(2022, 1, 26).unwrap()),
            "/ukraine/days/2022-01-26/"
        );
        assert_eq!(urls.actor("lavrov"), "/ukraine/actors/lavrov/");
    }
}

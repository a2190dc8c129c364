//! What templates see: plain, serialisable views of the chronicle, with every
//! URL, label and HTML fragment prepared in Rust. Views shared by many pages
//! (entries, links) are built once and referenced, not rebuilt per page.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;

use super::html;
use crate::resolve::dates::When;
use crate::resolve::{ActorKind, Chronicle, Entry};

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
    pub extra: toml::Table,
}

/// An entry with everything a card needs.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: String,
    pub anchor: String,
    /// Its place on its day's page.
    pub url: String,
    pub headline: String,
    pub summary_html: String,
    pub all_day: bool,
    /// For `<time datetime>`: RFC 3339, or the date of an all-day entry.
    pub datetime: String,
    pub date: String,
    pub date_label: String,
    /// "20:04 EET" in the site's zone; empty for all-day entries.
    pub time_label: String,
    /// The site's IANA zone name, "Europe/Kyiv".
    pub timezone: String,
    /// The time as the source gave it, where its zone differs ("18:04 UTC").
    pub source_time_label: Option<String>,
    pub day_url: String,
    pub threads: Vec<Link>,
    pub actors: Vec<Link>,
    pub topics: Vec<Link>,
    pub place: Option<String>,
    pub sources: Vec<SourceView>,
    pub quotes: Vec<QuoteView>,
}

/// An article reporting an entry.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub outlet: String,
    pub title: String,
    pub date_label: String,
    /// The article's page.
    pub url: String,
    /// Where it was collected.
    pub original_url: Option<String>,
    /// Links to the passages the entry rests on.
    pub passages: Vec<String>,
}

/// Attributed words.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub by: Link,
    /// The passage on the article's page.
    pub url: String,
    pub outlet: String,
    pub entry_url: String,
    pub entry_headline: String,
    pub date_label: String,
}

/// The URL scheme of the site: every page is a directory with index.html.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
}

impl Urls {
    pub fn new(base_path: &str) -> Self {
        Urls {
            base_path: base_path.to_string(),
        }
    }
    /// A site path (`days/2022-01-26/`) as a link target.
    pub fn page(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
    pub fn day(&self, date: NaiveDate) -> String {
        self.page(&format!("days/{date}/"))
    }
    pub fn thread(&self, slug: &str) -> String {
        self.page(&format!("threads/{slug}/"))
    }
    pub fn actor(&self, slug: &str) -> String {
        self.page(&format!("actors/{slug}/"))
    }
    pub fn topic(&self, slug: &str) -> String {
        self.page(&format!("topics/{slug}/"))
    }
    pub fn article(&self, slug: &str) -> String {
        self.page(&format!("articles/{slug}/"))
    }
}

/// "Wednesday 26 January 2022".
pub fn date_label(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// "26 January 2022".
pub fn short_date_label(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn time_in(instant: DateTime<Utc>, tz: Tz) -> String {
    instant.with_timezone(&tz).format("%H:%M %Z").to_string()
}

/// Labels of an entry's time: in the site's zone, and as the source gave it.
pub fn time_labels(when: &When, site_tz: Tz) -> (String, String, Option<String>) {
    match when {
        When::AllDay(date) => (date.to_string(), String::new(), None),
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

/// Everything shared by pages, built once per build.
pub struct Shared {
    pub site: SiteView,
    pub urls: Urls,
    pub entries: Vec<EntryView>,
    /// `entries` converted to template values once; pages share them, as
    /// cloning a value only counts a reference.
    pub entry_values: Vec<tera::Value>,
    pub thread_links: Vec<Link>,
    pub actor_links: Vec<Link>,
    pub topic_links: Vec<Link>,
}

/// An entry's card, rendered once by the theme's `entry_card` component in
/// each form pages use, and included by pages as ready HTML.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cards {
    /// On its day's page: carries the entry's anchor, headline at level 3.
    pub day: String,
    /// On a thread's page: level 3, no anchor.
    pub thread: String,
    /// In lists under a day heading (actor and topic pages): the theme's
    /// `entry_item` component, else the card at level 4.
    pub list: String,
}

#[derive(Serialize)]
struct EntryWithCards<'a> {
    #[serde(flatten)]
    view: &'a EntryView,
    cards: &'a Cards,
}

impl Shared {
    /// Builds the shared views; with `cards`, a function rendering an
    /// entry's cards from its template value.
    pub fn build(chronicle: &Chronicle) -> Shared {
        Self::build_with_cards(chronicle, |_| Cards::default())
    }

    pub fn build_with_cards(
        chronicle: &Chronicle,
        cards: impl Fn(&tera::Value) -> Cards + Sync,
    ) -> Shared {
        let config = &chronicle.config;
        let urls = Urls::new(&config.base_path);
        let thread_links: Vec<Link> = chronicle
            .threads
            .iter()
            .map(|t| Link {
                name: t.title.clone(),
                url: urls.thread(&t.slug),
            })
            .collect();
        let actor_links: Vec<Link> = chronicle
            .actors
            .iter()
            .map(|a| Link {
                name: a.name.clone(),
                url: urls.actor(&a.slug),
            })
            .collect();
        let topic_links: Vec<Link> = chronicle
            .topics
            .iter()
            .map(|t| Link {
                name: t.name.clone(),
                url: urls.topic(&t.slug),
            })
            .collect();
        let mut shared = Shared {
            site: SiteView {
                title: config.title.clone(),
                description: config.description.clone(),
                base_url: config.base_url.clone(),
                base_path: config.base_path.clone(),
                language: config.language.clone(),
                timezone: config.timezone.name().to_string(),
                extra: config.extra.clone(),
            },
            urls,
            entries: Vec::new(),
            entry_values: Vec::new(),
            thread_links,
            actor_links,
            topic_links,
        };
        shared.entries = chronicle
            .entries
            .par_iter()
            .map(|e| shared.entry(chronicle, e))
            .collect();
        shared.entry_values = shared
            .entries
            .par_iter()
            .map(|view| {
                let cards = cards(&tera::Value::from_serializable(view));
                tera::Value::from_serializable(&EntryWithCards {
                    view,
                    cards: &cards,
                })
            })
            .collect();
        shared
    }

    fn entry(&self, chronicle: &Chronicle, entry: &Entry) -> EntryView {
        let tz = chronicle.config.timezone;
        let (datetime, time_label, source_time_label) = time_labels(&entry.when, tz);
        let day_url = self.urls.day(entry.day);
        let url = format!("{day_url}#{}", entry.anchor);
        let sources = entry
            .sources
            .iter()
            .map(|s| {
                let article = &chronicle.articles[s.article];
                let page = self.urls.article(&article.slug);
                SourceView {
                    outlet: article.outlet.clone(),
                    title: article.title.clone(),
                    date_label: article
                        .published
                        .map(|p| short_date_label(p.date))
                        .unwrap_or_default(),
                    url: page.clone(),
                    original_url: article.url.clone(),
                    passages: s.passages.iter().map(|a| format!("{page}#{a}")).collect(),
                }
            })
            .collect();
        let quotes = entry
            .quotes
            .iter()
            .map(|q| {
                let article = &chronicle.articles[q.article];
                QuoteView {
                    text: q.text.clone(),
                    by: self.actor_links[q.actor].clone(),
                    url: format!("{}#{}", self.urls.article(&article.slug), q.anchor),
                    outlet: article.outlet.clone(),
                    entry_url: url.clone(),
                    entry_headline: entry.headline.clone(),
                    date_label: short_date_label(entry.day),
                }
            })
            .collect();
        EntryView {
            id: entry.id.clone(),
            anchor: entry.anchor.clone(),
            url,
            headline: entry.headline.clone(),
            summary_html: html::markdown(&entry.summary, chronicle.config.raw_html),
            all_day: matches!(entry.when, When::AllDay(_)),
            datetime,
            date: entry.day.to_string(),
            date_label: date_label(entry.day),
            time_label,
            timezone: tz.name().to_string(),
            source_time_label,
            day_url,
            threads: entry
                .threads
                .iter()
                .map(|&t| self.thread_links[t].clone())
                .collect(),
            actors: entry
                .actors
                .iter()
                .map(|&a| self.actor_links[a].clone())
                .collect(),
            topics: entry
                .topics
                .iter()
                .map(|&t| self.topic_links[t].clone())
                .collect(),
            place: entry.place.clone(),
            sources,
            quotes,
        }
    }

    /// The entries of `indexes` as template values, in that order.
    pub fn entries_of<'s>(&'s self, indexes: &[usize]) -> Vec<&'s tera::Value> {
        indexes.iter().map(|&i| &self.entry_values[i]).collect()
    }
}

/// Counts how often each item of `links` occurs across `entries`, by
/// `items_of`, skipping `except`; most frequent first, then by name.
pub fn count_links(
    entries: &[usize],
    chronicle: &Chronicle,
    items_of: impl Fn(&Entry) -> &[usize],
    links: &[Link],
    except: Option<usize>,
) -> Vec<Counted> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
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

/// A heading for actors of a kind on the actors index.
pub fn kind_label(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "People",
        ActorKind::State => "States",
        ActorKind::Organisation => "Organisations",
        ActorKind::Group => "Groups",
        ActorKind::Other => "Others",
    }
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
            urls.day(NaiveDate::from_ymd_opt(2022, 1, 26).unwrap()),
            "/ukraine/days/2022-01-26/"
        );
        assert_eq!(urls.actor("lavrov"), "/ukraine/actors/lavrov/");
    }
}

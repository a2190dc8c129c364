//! schema.org structured data (JSON-LD) for the head of article, day,
//! thread and actor pages (`page.jsonld` in templates).
//!
//! The data is built as `serde_json` values, never by pasting text into a
//! template, and serialised with `<`, `>` and `&` escaped as `\u003c`,
//! `\u003e` and `\u0026`, so no text (a headline holding `</script>`) can
//! end the `<script>` element it is printed in.

use serde_json::{json, Map, Value};

use super::describe::plain_text;
use super::export::{absolute, published};
use super::views::time_labels;
use super::Ctx;
use crate::resolve::dates::When;
use crate::resolve::{ActorIx, ActorKind, ArticleIx, Chronicle, Day, EntryIx, Thread, TopicIx};

/// How many entries with a time of day an article must report to be a
/// `LiveBlogPosting` rather than a `NewsArticle`.
pub const LIVE_BLOG_MIN_TIMED: usize = 2;

/// Serialises `value` for a `<script type="application/ld+json">` element.
pub fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // These occur in JSON only inside strings, where the escapes mean
        // the same characters.
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// A registry item's `identifier`, `name`, `alternateName` (its aliases)
/// and `description` (plain text), leaving out the empty.
fn names(
    item: &mut Map<String, Value>,
    id: &str,
    name: &str,
    aliases: &[String],
    description: &str,
) {
    item.insert("identifier".into(), json!(id));
    item.insert("name".into(), json!(name));
    put(item, "alternateName", json!(aliases));
    put(item, "description", json!(plain_text(description)));
}

/// The site's `publisher` as an `Organization`; null when unset or blank.
fn site_publisher(c: &Chronicle) -> Value {
    match c.config.publisher.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => json!({"@type": "Organization", "name": name}),
        _ => Value::Null,
    }
}

/// Inserts `key` unless `value` is null, an empty string or an empty list.
fn put(object: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if !empty {
        object.insert(key.to_string(), value);
    }
}

fn with_context(mut object: Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("@context".into(), json!("https://schema.org"));
    out.append(&mut object);
    Value::Object(out)
}

/// When entry `e` happened: RFC 3339 in the site's zone, or its date.
fn entry_datetime(c: &Chronicle, e: EntryIx) -> String {
    time_labels(&c.entries[e].when, c.config.timezone).0
}

/// Entry `e` as a news item: a short `NewsArticle` written by the
/// chronicle, whose `contentReferenceTime` is when the development
/// happened (not an `Event`, which schema.org readers take for something
/// to attend) and which `isBasedOn` the reports of its sources.
///
/// Only what the page's text does not say plainly: no `url` and
/// `identifier` (the `@id` is both), no `description` (the summary is on
/// the card beside it); at 10,000 articles these were 10 MiB of days.
fn news_item(ctx: &Ctx, e: EntryIx) -> Value {
    let c = ctx.chronicle;
    let entry = &c.entries[e];
    let url = absolute(ctx.shared, &ctx.shared.entry_urls[e]);
    let mut item = Map::new();
    item.insert("@type".into(), json!("NewsArticle"));
    item.insert("@id".into(), json!(url));
    item.insert("headline".into(), json!(entry.headline));
    item.insert("contentReferenceTime".into(), json!(entry_datetime(c, e)));
    if let Some(place) = &entry.place {
        item.insert(
            "contentLocation".into(),
            json!({"@type": "Place", "name": place}),
        );
    }
    let sources: Vec<Value> = entry
        .sources
        .iter()
        .map(|s| {
            let article = &c.articles[s.article];
            json!(absolute(
                ctx.shared,
                &ctx.shared.urls.article(&article.slug)
            ))
        })
        .collect();
    put(&mut item, "isBasedOn", Value::Array(sources));
    Value::Object(item)
}

/// How an `ItemList` gives its entries.
#[derive(Clone, Copy)]
enum Items {
    /// Each entry whole, as a news item: the list's page is where the
    /// entries live (a day's page: their URLs are anchors on it).
    Whole,
    /// Each entry by its URL only, the "summary page" form of schema.org
    /// lists: the entries live on their day's page, where they are whole
    /// (a thread's or topic's page would otherwise repeat them, and at
    /// 10,000 articles these lists were 40 MiB of the output).
    Linked,
}

/// An `ItemList` of `entries`, numbered from `first_position`.
fn item_list(
    ctx: &Ctx,
    name: &str,
    url: String,
    description: String,
    entries: &[EntryIx],
    first_position: usize,
    form: Items,
) -> Value {
    let mut list = Map::new();
    list.insert("@type".into(), json!("ItemList"));
    list.insert("name".into(), json!(name));
    list.insert("url".into(), json!(url));
    put(&mut list, "description", json!(description));
    list.insert("numberOfItems".into(), json!(entries.len()));
    list.insert(
        "itemListElement".into(),
        Value::Array(
            entries
                .iter()
                .enumerate()
                .map(|(i, &e)| match form {
                    Items::Whole => json!({
                        "@type": "ListItem",
                        "position": first_position + i,
                        "item": news_item(ctx, e),
                    }),
                    Items::Linked => json!({
                        "@type": "ListItem",
                        "position": first_position + i,
                        "url": absolute(ctx.shared, &ctx.shared.entry_urls[e]),
                    }),
                })
                .collect(),
        ),
    );
    with_context(list)
}

/// A day's page (`day` holds the entries of the page at `path`, the first
/// of them the day's `first_position`th): an `ItemList` of its entries as
/// news items, and a `ClaimReview` of each entry with a verdict (then all
/// in one array).
pub(super) fn day(ctx: &Ctx, day: &Day, path: &str, first_position: usize) -> String {
    let url = absolute(ctx.shared, &ctx.shared.urls.path(path));
    let list = item_list(
        ctx,
        &ctx.shared.words.date_label(day.date),
        url,
        String::new(),
        &day.entries,
        first_position,
        Items::Whole,
    );
    let reviews: Vec<Value> = day
        .entries
        .iter()
        .filter_map(|&e| claim_review(ctx, e))
        .collect();
    if reviews.is_empty() {
        script_json(&list)
    } else {
        script_json(&Value::Array(
            std::iter::once(list).chain(reviews).collect(),
        ))
    }
}

/// Entry `e`'s claim as a schema.org `ClaimReview`, for Google's fact-check
/// results: only a claim with a `review` and a verdict (`confirmed` or
/// `refuted`), on a site with a `publisher` to author it.
pub(super) fn claim_review(ctx: &Ctx, e: EntryIx) -> Option<Value> {
    let c = ctx.chronicle;
    let entry = &c.entries[e];
    let claim = entry.claim.as_ref()?;
    let publisher = c.config.publisher.as_deref()?;
    if !claim.status.is_verdict() || claim.review.is_empty() {
        return None;
    }
    let (rating, worst, best) = match claim.status {
        crate::resolve::ClaimStatus::Confirmed => (5, 1, 5),
        _ => (1, 1, 5),
    };
    let source = entry.sources.first().map(|s| &c.articles[s.article]);
    let reported = source.and_then(published);
    let authors: Vec<Value> = claim
        .by
        .iter()
        .map(|&a| {
            let actor = &c.actors[a];
            json!({"@type": actor_type(actor.kind), "name": actor.name})
        })
        .collect();
    let mut claimed = Map::new();
    claimed.insert("@type".into(), json!("Claim"));
    put(
        &mut claimed,
        "author",
        match authors.len() {
            1 => authors[0].clone(),
            _ => Value::Array(authors),
        },
    );
    put(&mut claimed, "datePublished", json!(reported));
    if let Some(article) = source {
        let mut appearance = Map::new();
        appearance.insert("@type".into(), json!("CreativeWork"));
        put(&mut appearance, "url", json!(article.url));
        put(&mut appearance, "headline", json!(article.title));
        put(&mut appearance, "datePublished", json!(reported));
        if !article.outlet.is_empty() {
            appearance.insert(
                "publisher".into(),
                json!({"@type": "Organization", "name": article.outlet}),
            );
        }
        claimed.insert("firstAppearance".into(), Value::Object(appearance));
    }
    let date = entry
        .last_corrected(c.config.timezone)
        .map(|t| t.to_rfc3339())
        .or(reported);
    let mut review = Map::new();
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert(
        "url".into(),
        json!(absolute(ctx.shared, &ctx.shared.entry_urls[e])),
    );
    review.insert("claimReviewed".into(), json!(entry.headline));
    put(&mut review, "reviewBody", json!(plain_text(&claim.review)));
    put(&mut review, "datePublished", json!(date));
    review.insert(
        "author".into(),
        json!({"@type": "Organization", "name": publisher}),
    );
    review.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": rating,
            "worstRating": worst,
            "bestRating": best,
            "alternateName": ctx.shared.words.status_label(claim.status),
        }),
    );
    review.insert("itemReviewed".into(), Value::Object(claimed));
    Some(with_context(review))
}

/// A page of a thread (`path` below the site) listing `entries`, the first
/// of them at `first_position` in the thread.
pub(super) fn thread(
    ctx: &Ctx,
    thread: &Thread,
    path: &str,
    entries: &[EntryIx],
    first_position: usize,
) -> String {
    let url = format!("{}{}", ctx.shared.site.base_url, path);
    script_json(&item_list(
        ctx,
        &thread.title,
        url,
        plain_text(&thread.summary),
        entries,
        first_position,
        Items::Linked,
    ))
}

/// A page of a topic (`path` below the site) listing `entries`: an
/// `ItemList` `about` the topic as a `DefinedTerm`.
pub(super) fn topic(
    ctx: &Ctx,
    t: TopicIx,
    path: &str,
    entries: &[EntryIx],
    first_position: usize,
) -> String {
    let topic = &ctx.chronicle.topics[t];
    let url = format!("{}{}", ctx.shared.site.base_url, path);
    let mut list = item_list(
        ctx,
        &topic.name,
        url,
        plain_text(&topic.description),
        entries,
        first_position,
        Items::Linked,
    );
    let mut term = Map::new();
    term.insert("@type".into(), json!("DefinedTerm"));
    names(
        &mut term,
        &topic.id,
        &topic.name,
        &topic.aliases,
        &topic.description,
    );
    term.insert(
        "url".into(),
        json!(absolute(ctx.shared, &ctx.shared.urls.topic(&topic.slug))),
    );
    if let Value::Object(object) = &mut list {
        object.insert("about".into(), Value::Object(term));
    }
    script_json(&list)
}

/// The home page: the site as a `WebSite`, with its publisher, its
/// language, the span it covers, its last change and (when the theme has
/// a search page) a `SearchAction`.
pub(super) fn home(ctx: &Ctx) -> String {
    let c = ctx.chronicle;
    let site = &ctx.shared.site;
    let url = absolute(ctx.shared, &ctx.shared.urls.path(""));
    let mut item = Map::new();
    item.insert("@type".into(), json!("WebSite"));
    item.insert("@id".into(), json!(url));
    item.insert("name".into(), json!(site.title));
    put(
        &mut item,
        "description",
        json!(plain_text(&site.description)),
    );
    item.insert("url".into(), json!(url));
    put(&mut item, "inLanguage", json!(site.language));
    put(&mut item, "publisher", site_publisher(c));
    if let (Some(first), Some(last)) = (c.days.first(), c.days.last()) {
        item.insert(
            "temporalCoverage".into(),
            json!(format!("{}/{}", first.date, last.date)),
        );
    }
    if let Some(changed) = ctx.shared.newest_change {
        item.insert(
            "dateModified".into(),
            json!(changed
                .with_timezone(&c.config.timezone)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        );
    }
    if ctx.templates.tera.contains_template("search.html") {
        let search = absolute(ctx.shared, &site.urls.search);
        item.insert(
            "potentialAction".into(),
            json!({
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": format!("{search}?q={{query}}")},
                "query-input": "required name=query",
            }),
        );
    }
    script_json(&with_context(item))
}

/// The schema.org type of an actor of `kind`.
pub fn actor_type(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "Person",
        ActorKind::State => "GovernmentOrganization",
        ActorKind::Organisation | ActorKind::Group => "Organization",
        ActorKind::Other => "Thing",
    }
}

/// An actor's page: a `Person`, `Organization`, `GovernmentOrganization`
/// (a state) or `Thing` (kind other).
pub(super) fn actor(ctx: &Ctx, a: ActorIx) -> String {
    let c = ctx.chronicle;
    let actor = &c.actors[a];
    let url = absolute(ctx.shared, &ctx.shared.urls.actor(&actor.slug));
    let kind = actor_type(actor.kind);
    let mut item = Map::new();
    item.insert("@type".into(), json!(kind));
    item.insert("@id".into(), json!(url));
    names(
        &mut item,
        &actor.id,
        &actor.name,
        &actor.aliases,
        &actor.description,
    );
    item.insert("url".into(), json!(url));
    let role = json!(actor.role);
    match actor.kind {
        ActorKind::Person => put(&mut item, "jobTitle", role),
        _ => put(&mut item, "disambiguatingDescription", role),
    }
    if let Some(parent) = actor.affiliation.map(|p| &c.actors[p]) {
        let parent_url = absolute(ctx.shared, &ctx.shared.urls.actor(&parent.slug));
        let link = json!({
            "@type": actor_type(parent.kind),
            "@id": parent_url,
            "name": parent.name,
            "url": parent_url,
        });
        match actor.kind {
            ActorKind::Person => item.insert("affiliation".into(), link),
            ActorKind::Other => None,
            _ => item.insert("memberOf".into(), link),
        };
    }
    script_json(&with_context(item))
}

/// An article's page: a `LiveBlogPosting` when it reports at least
/// [`LIVE_BLOG_MIN_TIMED`] entries with a time of day, each of those a
/// `liveBlogUpdate` (all-day entries are background, not updates); else a
/// `NewsArticle` `about` the entries it reports. An editors' digest
/// (`digest: true`) is published by the site's `publisher` and `isBasedOn`
/// the outlet's report; any other article names the outlet as publisher.
pub(super) fn article(ctx: &Ctx, a: ArticleIx) -> String {
    let c = ctx.chronicle;
    let article = &c.articles[a];
    let page = absolute(ctx.shared, &ctx.shared.urls.article(&article.slug));
    let timed: Vec<EntryIx> = article
        .entries
        .iter()
        .copied()
        .filter(|&e| matches!(c.entries[e].when, When::At { .. }))
        .collect();
    let live = timed.len() >= LIVE_BLOG_MIN_TIMED;
    let mut item = Map::new();
    item.insert(
        "@type".into(),
        json!(if live {
            "LiveBlogPosting"
        } else {
            "NewsArticle"
        }),
    );
    item.insert("@id".into(), json!(page));
    item.insert("headline".into(), json!(article.title));
    item.insert("url".into(), json!(page));
    item.insert("mainEntityOfPage".into(), json!(page));
    put(&mut item, "inLanguage", json!(article.language));
    if article.digest {
        // The editors' digest: the site's publisher publishes it; the
        // outlet's report is what it is based on, not its author.
        put(&mut item, "publisher", site_publisher(c));
        put(&mut item, "isBasedOn", based_on(article));
    } else {
        put(&mut item, "datePublished", json!(published(article)));
        put(&mut item, "sameAs", json!(article.url));
        if let Some(author) = &article.author {
            item.insert("author".into(), json!({"@type": "Person", "name": author}));
        }
        if !article.outlet.is_empty() {
            item.insert(
                "publisher".into(),
                json!({"@type": "Organization", "name": article.outlet}),
            );
        }
    }
    if live {
        item.insert(
            "coverageStartTime".into(),
            json!(entry_datetime(c, timed[0])),
        );
        item.insert(
            "coverageEndTime".into(),
            json!(entry_datetime(c, timed[timed.len() - 1])),
        );
        let updates = timed
            .iter()
            .map(|&e| {
                let entry = &c.entries[e];
                // The update's first passage on this page, else the entry.
                let url = article
                    .passages
                    .iter()
                    .find(|p| p.entry == e)
                    .map(|p| format!("{page}#{}", p.anchor))
                    .unwrap_or_else(|| absolute(ctx.shared, &ctx.shared.entry_urls[e]));
                json!({
                    "@type": "BlogPosting",
                    "headline": entry.headline,
                    "datePublished": entry_datetime(c, e),
                    "url": url,
                })
            })
            .collect();
        item.insert("liveBlogUpdate".into(), Value::Array(updates));
    } else {
        let about: Vec<Value> = article
            .entries
            .iter()
            .map(|&e| {
                // By reference: the day's page gives the news item whole.
                json!({"@id": absolute(ctx.shared, &ctx.shared.entry_urls[e])})
            })
            .collect();
        put(&mut item, "about", Value::Array(about));
    }
    script_json(&with_context(item))
}

/// The outlet's report a digest is based on: a `NewsArticle` with its
/// outlet as publisher, its byline, date and address, as far as given;
/// null when nothing is known of it.
fn based_on(article: &crate::resolve::Article) -> Value {
    let mut report = Map::new();
    put(&mut report, "url", json!(article.url));
    put(&mut report, "datePublished", json!(published(article)));
    if let Some(author) = &article.author {
        report.insert("author".into(), json!({"@type": "Person", "name": author}));
    }
    if !article.outlet.is_empty() {
        report.insert(
            "publisher".into(),
            json!({"@type": "Organization", "name": article.outlet}),
        );
    }
    if report.is_empty() {
        return Value::Null;
    }
    let mut out = Map::new();
    out.insert("@type".into(), json!("NewsArticle"));
    out.append(&mut report);
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let value = json!({"headline": "a </script><script>alert(1)</script> & b"});
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}

//! schema.org JSON-LD in the head of article, day, thread and actor pages.

use crate::common;

use common::{between, Site, SITE_TOML};
use serde_json::Value;

const BASE: &str = "https://example.org/crisis/";
const SCRIPT: &str = "<script type=\"application/ld+json\">";

/// The page's JSON-LD, parsed; panics unless there is exactly one, in the head.
fn jsonld(site: &Site, rel: &str) -> Value {
    let html = site.page(rel);
    assert_eq!(html.matches(SCRIPT).count(), 1, "{rel}: one JSON-LD script");
    let head = between(&html, "<head>", "</head>");
    assert!(head.contains(SCRIPT), "{rel}: JSON-LD outside the head");
    let text = between(&html, SCRIPT, "</script>");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"))
}

/// The `ListItem`s of an `ItemList`.
fn list_items(list: &Value) -> impl Iterator<Item = &Value> {
    list["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|li| assert_eq!(li["@type"], "ListItem"))
}

/// The entries a list gives whole.
fn items(list: &Value) -> Vec<&Value> {
    list_items(list).map(|li| &li["item"]).collect()
}

/// The URLs of a list that links its entries (`ListItem`s with `url`
/// and no `item`), checking that it does.
fn linked(list: &Value) -> Vec<&str> {
    list_items(list)
        .map(|li| {
            assert!(
                li.get("item").is_none(),
                "a linked entry is not repeated: {li}"
            );
            absolute(&li["url"])
        })
        .collect()
}

fn absolute(value: &Value) -> &str {
    let url = value
        .as_str()
        .unwrap_or_else(|| panic!("not a URL: {value}"));
    assert!(url.starts_with(BASE), "{url} is not under base_url");
    url
}

/// The page a URL of the site points to, and its fragment.
fn target(site: &Site, url: &str) -> (String, String) {
    let rest = url.strip_prefix(BASE).unwrap();
    let (path, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    (
        site.page(&format!("{path}index.html")),
        fragment.to_string(),
    )
}

#[test]
fn day_pages_list_their_entries_as_news_items_not_events() {
    let site = Site::fixture();
    site.build_ok();
    let list = jsonld(&site, "days/2022-01-26/index.html");
    assert_eq!(list["@context"], "https://schema.org");
    assert_eq!(list["@type"], "ItemList");
    assert_eq!(
        absolute(&list["url"]),
        "https://example.org/crisis/days/2022-01-26/"
    );
    let events = items(&list);
    // 26 January in Kyiv: the all-day entry, sanctions-warning, us-written-response.
    assert_eq!(events.len(), 3);
    assert_eq!(list["numberOfItems"], 3);
    let positions: Vec<i64> = list["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| li["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3]);
    for event in &events {
        assert_eq!(event["@type"], "NewsArticle");
        let (page, fragment) = target(&site, absolute(&event["@id"]));
        assert!(page.contains(&format!("id=\"{fragment}\"")));
        // The @id is the entry's address; no copy of it, nor the summary
        // the card beside it shows.
        for repeated in ["url", "identifier", "description"] {
            assert!(event.get(repeated).is_none(), "{repeated} in {event}");
        }
    }
    let written = events
        .iter()
        .find(|e| absolute(&e["@id"]).ends_with("#us-written-response"))
        .unwrap();
    assert_eq!(written["headline"], "US delivers written reply to Russia");
    assert_eq!(written["contentReferenceTime"], "2022-01-26T20:04:00+02:00");
    assert_eq!(written["contentLocation"]["@type"], "Place");
    assert_eq!(written["contentLocation"]["name"], "Moscow");
    // Based on the pages of its sources, which exist.
    let based_on = written["isBasedOn"].as_array().unwrap();
    assert!(!based_on.is_empty());
    for source in based_on {
        let (page, _) = target(&site, absolute(source));
        assert!(page.contains("class=\"source-article\""));
    }
    let all_day = events
        .iter()
        .find(|e| e["headline"] == "Talks continue all day")
        .unwrap();
    assert_eq!(all_day["contentReferenceTime"], "2022-01-26");
    assert!(all_day.get("contentLocation").is_none());
    assert!(!site
        .page("days/2022-01-26/index.html")
        .contains("\"@type\":\"Event\""));
}

#[test]
fn thread_pages_list_the_entries_of_the_page() {
    let site = Site::fixture_with(&format!("{SITE_TOML}paginate_by = 2\n"));
    site.build_ok();
    // security-guarantees has four entries: two pages of two.
    let first = jsonld(&site, "threads/security-guarantees/index.html");
    let second = jsonld(&site, "threads/security-guarantees/page/2/index.html");
    for (list, url) in [
        (
            &first,
            "https://example.org/crisis/threads/security-guarantees/",
        ),
        (
            &second,
            "https://example.org/crisis/threads/security-guarantees/page/2/",
        ),
    ] {
        assert_eq!(list["@context"], "https://schema.org");
        assert_eq!(list["@type"], "ItemList");
        assert_eq!(list["name"], "Russia's demands for security guarantees");
        assert_eq!(list["description"], "Moscow asks for written promises.");
        assert_eq!(absolute(&list["url"]), url);
        assert_eq!(linked(list).len(), 2);
    }
    let positions = |list: &Value| -> Vec<i64> {
        list["itemListElement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|li| li["position"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(positions(&first), [1, 2]);
    assert_eq!(positions(&second), [3, 4]);
    // Each entry by its URL on its day's page, where it is whole.
    let ids: Vec<String> = linked(&first)
        .into_iter()
        .chain(linked(&second))
        .map(|url| {
            let (page, fragment) = target(&site, url);
            assert!(page.contains(&format!("id=\"{fragment}\"")), "{url}");
            fragment
        })
        .collect();
    assert_eq!(
        ids,
        [
            "2022-01-26-talks-continue-all-day",
            "us-written-response",
            // All-day entries come first on their day.
            "lavrov-little-optimism",
            "late-night-statement"
        ]
    );
}

#[test]
fn actor_pages_describe_people_and_organisations() {
    let site = Site::fixture();
    site.build_ok();
    let lavrov = jsonld(&site, "actors/lavrov/index.html");
    assert_eq!(lavrov["@context"], "https://schema.org");
    assert_eq!(lavrov["@type"], "Person");
    assert_eq!(lavrov["name"], "Sergey Lavrov");
    assert_eq!(
        lavrov["alternateName"],
        serde_json::json!(["Sergei Lavrov", "Lavrov", "Mr Lavrov"])
    );
    assert_eq!(lavrov["description"], "Russia's chief diplomat.");
    assert_eq!(lavrov["jobTitle"], "Foreign Minister of Russia");
    assert_eq!(
        absolute(&lavrov["url"]),
        "https://example.org/crisis/actors/lavrov/"
    );
    assert_eq!(lavrov["affiliation"]["@type"], "GovernmentOrganization");
    assert_eq!(lavrov["affiliation"]["name"], "Russia");
    assert_eq!(
        absolute(&lavrov["affiliation"]["url"]),
        "https://example.org/crisis/actors/russia/"
    );

    let usa = jsonld(&site, "actors/usa/index.html");
    assert_eq!(usa["@type"], "GovernmentOrganization");
    assert_eq!(
        usa["alternateName"],
        serde_json::json!(["US", "Washington"])
    );
    assert!(usa.get("description").is_none(), "no empty description");
    let nato = jsonld(&site, "actors/nato/index.html");
    assert_eq!(nato["@type"], "Organization");
    assert!(nato.get("alternateName").is_none());
}

#[test]
fn article_pages_are_news_articles_or_live_blogs() {
    let site = Site::fixture();
    site.build_ok();
    // Three entries with a time of day: a live blog.
    let live = jsonld(&site, "articles/live-0126/index.html");
    assert_eq!(live["@context"], "https://schema.org");
    assert_eq!(live["@type"], "LiveBlogPosting");
    assert_eq!(live["headline"], "Live updates, 26 January");
    assert_eq!(
        absolute(&live["url"]),
        "https://example.org/crisis/articles/live-0126/"
    );
    assert_eq!(live["datePublished"], "2022-01-26T18:05:00+00:00");
    assert_eq!(live["publisher"]["name"], "Example Wire");
    assert_eq!(live["sameAs"], "https://news.example.com/live/0126");
    assert_eq!(live["coverageStartTime"], "2022-01-26T14:00:00+02:00");
    assert_eq!(live["coverageEndTime"], "2022-01-27T01:30:00+02:00");
    let updates = live["liveBlogUpdate"].as_array().unwrap();
    let headlines: Vec<&str> = updates
        .iter()
        .map(|u| u["headline"].as_str().unwrap())
        .collect();
    assert_eq!(
        headlines,
        [
            "Washington warns of sanctions",
            "US delivers written reply to Russia",
            "Moscow issues a late statement"
        ]
    );
    for update in updates {
        assert_eq!(update["@type"], "BlogPosting");
        assert!(update["datePublished"].as_str().unwrap().contains('T'));
        let (page, fragment) = target(&site, absolute(&update["url"]));
        assert!(page.contains(&format!("id=\"{fragment}\"")));
    }

    // One timed entry and one all-day: a news article.
    let wire = jsonld(&site, "articles/wire-moscow/index.html");
    assert_eq!(wire["@type"], "NewsArticle");
    assert_eq!(wire["headline"], "Moscow weighs the US reply");
    assert_eq!(wire["datePublished"], "2022-01-27");
    assert_eq!(wire["publisher"]["@type"], "Organization");
    assert_eq!(wire["publisher"]["name"], "Example Agency");
    assert!(wire.get("liveBlogUpdate").is_none());
    assert!(wire.get("sameAs").is_none());
    let about: Vec<&str> = wire["about"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            // A reference to the news item of the day's list, not a copy.
            assert_eq!(e.as_object().unwrap().len(), 1, "{e}");
            absolute(&e["@id"])
        })
        .collect();
    assert_eq!(
        about,
        [
            "https://example.org/crisis/days/2022-01-26/#us-written-response",
            "https://example.org/crisis/days/2022-01-27/#lavrov-little-optimism"
        ]
    );
}

#[test]
fn other_pages_have_no_jsonld() {
    let site = Site::fixture();
    site.build_ok();
    for page in ["days/index.html", "threads/index.html", "404.html"] {
        assert!(!site.page(page).contains(SCRIPT), "{page}");
    }
}

#[test]
fn the_home_page_is_a_website_with_its_search() {
    let site = Site::fixture();
    site.build_ok();
    let home = jsonld(&site, "index.html");
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(absolute(&home["url"]), "https://example.org/crisis/");
    assert_eq!(home["name"], "Test chronicle");
    let action = &home["potentialAction"];
    assert_eq!(action["@type"], "SearchAction");
    assert_eq!(
        action["target"]["urlTemplate"],
        "https://example.org/crisis/search/?q={query}"
    );
    // The span of the entries and their last change, from the content.
    let span = home["temporalCoverage"].as_str().unwrap();
    assert!(span.contains('/') && span.starts_with("2022-"), "{span}");
    assert!(home["dateModified"].as_str().unwrap().starts_with("2022-"));
}

#[test]
fn topic_pages_list_their_entries_about_the_topic() {
    let site = Site::fixture();
    site.build_ok();
    let list = jsonld(&site, "topics/diplomacy/index.html");
    assert_eq!(list["@type"], "ItemList");
    assert_eq!(list["about"]["@type"], "DefinedTerm");
    assert_eq!(list["about"]["identifier"], "diplomacy");
    let entries = linked(&list);
    assert!(!entries.is_empty());
    assert_eq!(list["numberOfItems"], entries.len());
    for url in entries {
        let (page, fragment) = target(&site, url);
        assert!(page.contains(&format!("id=\"{fragment}\"")));
    }
}

#[test]
fn a_headline_cannot_end_the_script_element() {
    let site = Site::fixture();
    let headline = "Talks end </script><script>alert(1)</script> & <!-- resume";
    site.write(
        "content/articles/2022/01/odd.md",
        &format!(
            r#"---
title: "Odd </script> title"
source: Example Wire
published: 2022-01-28
entries:
  - id: odd-headline
    at: 2022-01-28
    headline: "{headline}"
    evidence: ["talks stalled"]
---
The talks stalled.
"#
        ),
    );
    site.build_ok();
    let html = site.page("days/2022-01-28/index.html");
    let script = between(&html, SCRIPT, "</script>");
    assert!(!script.contains('<'), "{script}");
    let list = jsonld(&site, "days/2022-01-28/index.html");
    assert_eq!(items(&list)[0]["headline"], headline);
    let article = jsonld(&site, "articles/odd/index.html");
    assert_eq!(article["headline"], "Odd </script> title");
}

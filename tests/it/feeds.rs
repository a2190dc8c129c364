//! Feeds (Atom and JSON Feed), sitemap.xml, robots.txt and canonical links,
//! checked by parsing what the build wrote.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use atom_syndication::Feed;
use chronicle::linkcheck::attribute_values;
use common::{Site, SITE_TOML};
use serde_json::Value;

const BASE: &str = "https://example.org/crisis/";

fn atom(site: &Site, rel: &str) -> Feed {
    let text = site.page(rel);
    // Well-formed XML first, then a real Atom reader.
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"));
    Feed::read_from(text.as_bytes()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json_feed(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.page(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file below the output, as `/`-separated paths.
fn files(output: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(output)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// The anchors (`#...` fragments) of an entry link, as `days/.../` and anchor.
fn page_and_anchor(url: &str) -> (String, String) {
    let rest = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not under {BASE}"));
    let (page, anchor) = rest.split_once('#').expect("an anchor");
    (format!("{page}index.html"), anchor.to_string())
}

fn link<'a>(feed: &'a Feed, rel: &str) -> &'a str {
    feed.links()
        .iter()
        .find(|l| l.rel() == rel)
        .unwrap_or_else(|| panic!("no {rel} link"))
        .href()
}

fn anchors(feed: &Feed) -> Vec<String> {
    feed.entries()
        .iter()
        .map(|e| page_and_anchor(e.links()[0].href()).1)
        .collect()
}

#[test]
fn the_site_feed_is_valid_atom_newest_first_with_links_that_resolve() {
    let site = Site::fixture();
    site.build_ok();
    let feed = atom(&site, "feed.xml");
    assert_eq!(feed.title().as_str(), "Test chronicle");
    assert_eq!(feed.id(), format!("{BASE}feed.xml"));
    assert_eq!(link(&feed, "self"), format!("{BASE}feed.xml"));
    assert_eq!(link(&feed, "alternate"), BASE);
    assert_eq!(feed.lang(), Some("en"));
    assert!(!feed.authors().is_empty(), "entries need an author");

    let entries = feed.entries();
    assert_eq!(entries.len(), 5, "the fixture's five entries");
    // The statement at 23:30 UTC is 01:30 on the 27th in Kyiv: newer than
    // the all-day entry of the 27th, which counts from 00:00.
    assert_eq!(
        entries[0].title().as_str(),
        "Moscow issues a late statement"
    );
    assert_eq!(
        entries[0].updated().to_rfc3339(),
        "2022-01-27T01:30:00+02:00"
    );
    assert_eq!(
        entries[1].title().as_str(),
        "Lavrov sees little room for optimism"
    );
    // All day: from the day's first moment in the site's zone.
    assert_eq!(
        entries[1].updated().to_rfc3339(),
        "2022-01-27T00:00:00+02:00"
    );
    for pair in entries.windows(2) {
        assert!(pair[0].updated() >= pair[1].updated(), "not newest first");
    }
    // `published` is said only where it is not `updated` (Atom requires
    // only the latter): an entry changed since, or reported later.
    for entry in entries {
        if let Some(published) = entry.published() {
            assert_ne!(published, entry.updated(), "{}", entry.title().as_str());
        }
    }
    assert!(
        entries.iter().any(|e| e.published().is_none()),
        "most entries never change"
    );
    assert_eq!(feed.updated(), entries[0].updated());

    for entry in entries {
        let href = entry.links()[0].href();
        assert_eq!(entry.links()[0].rel(), "alternate");
        assert_eq!(entry.id(), href);
        let (page, anchor) = page_and_anchor(href);
        let html = site.page(&page);
        assert!(
            attribute_values(&html, "id").contains(&anchor),
            "{href}: no element #{anchor} on {page}"
        );
        assert!(entry
            .content()
            .is_some_and(|c| c.content_type() == Some("html")));
    }

    let reply = entries
        .iter()
        .find(|e| e.title().as_str() == "US delivers written reply to Russia")
        .unwrap();
    let content = reply.content().unwrap().value().unwrap();
    assert!(content.contains("handed the reply"), "{content}");
    assert!(content.contains(&format!("{BASE}articles/live-0126/")));
    let terms: Vec<&str> = reply.categories().iter().map(|c| c.term()).collect();
    assert!(terms.contains(&"security-guarantees") && terms.contains(&"diplomacy"));
    let outlets: Vec<&str> = reply.contributors().iter().map(|p| p.name()).collect();
    assert_eq!(outlets, ["Example Wire", "Example Agency"]);
}

#[test]
fn thread_and_actor_feeds_hold_only_their_entries() {
    let site = Site::fixture();
    site.build_ok();
    let expect = [
        (
            "threads/security-guarantees",
            vec![
                "late-night-statement",
                "lavrov-little-optimism",
                "us-written-response",
            ],
        ),
        ("threads/sanctions-threat", vec!["sanctions-warning"]),
        (
            "actors/lavrov",
            vec!["late-night-statement", "lavrov-little-optimism"],
        ),
        (
            "actors/usa",
            vec!["us-written-response", "sanctions-warning"],
        ),
        ("actors/nato", vec![]),
    ];
    for (dir, ids) in expect {
        let feed = atom(&site, &format!("{dir}/feed.xml"));
        assert_eq!(link(&feed, "self"), format!("{BASE}{dir}/feed.xml"));
        assert_eq!(link(&feed, "alternate"), format!("{BASE}{dir}/"));
        let got = anchors(&feed);
        // The all-day "talks continue" entry has a derived id.
        let got: Vec<&str> = got
            .iter()
            .map(String::as_str)
            .filter(|a| !a.contains("talks-continue"))
            .collect();
        assert_eq!(got, ids, "{dir}");
        // Entries of a thread carry it as a category.
        if let Some(thread) = dir.strip_prefix("threads/") {
            for entry in feed.entries() {
                assert!(entry.categories().iter().any(|c| c.term() == thread));
            }
        }
    }
    let talks = |dir: &str| {
        anchors(&atom(&site, &format!("{dir}/feed.xml")))
            .iter()
            .any(|a| a.contains("talks-continue"))
    };
    assert!(talks("threads/security-guarantees"));
    assert!(talks("threads/sanctions-threat"));
    assert!(!talks("actors/lavrov"));
}

#[test]
fn json_feeds_follow_version_1_1_and_match_the_atom_feeds() {
    // Threads and actors get JSON Feeds too when asked.
    let site = Site::fixture_with(&format!("{SITE_TOML}item_feeds = true\n"));
    site.build_ok();
    for dir in ["", "threads/security-guarantees/", "actors/lavrov/"] {
        let feed = json_feed(&site, &format!("{dir}feed.json"));
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert!(feed["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(feed["home_page_url"], format!("{BASE}{dir}"));
        assert_eq!(feed["feed_url"], format!("{BASE}{dir}feed.json"));
        assert!(feed["authors"][0]["name"].is_string());
        let items = feed["items"].as_array().expect("items");
        let atom = atom(&site, &format!("{dir}feed.xml"));
        assert_eq!(items.len(), atom.entries().len());
        for (item, entry) in items.iter().zip(atom.entries()) {
            // `id` is required and a string; the rest as the spec types them.
            assert_eq!(item["id"].as_str(), Some(entry.id()));
            assert_eq!(item["url"].as_str(), Some(entry.links()[0].href()));
            assert_eq!(item["title"].as_str(), Some(entry.title().as_str()));
            assert!(item["content_html"].as_str().is_some_and(|c| !c.is_empty()));
            let published = item["date_published"].as_str().expect("date_published");
            let published = chrono::DateTime::parse_from_rfc3339(published).expect("RFC 3339");
            assert_eq!(&published, entry.updated());
            assert!(item["tags"]
                .as_array()
                .is_some_and(|t| t.iter().all(Value::is_string)));
        }
    }
    let site_feed = json_feed(&site, "feed.json");
    let tags = &site_feed["items"][0]["tags"];
    assert!(tags
        .as_array()
        .unwrap()
        .contains(&Value::from("Russia's demands for security guarantees")));
}

#[test]
fn pages_link_their_feeds_in_the_head_and_visibly() {
    let site = Site::fixture_with(&format!("{SITE_TOML}item_feeds = [\"atom\", \"json\"]\n"));
    site.build_ok();
    let out = files(&site.output());
    for (page, dir) in [
        ("index.html", ""),
        (
            "threads/security-guarantees/index.html",
            "threads/security-guarantees/",
        ),
        ("actors/lavrov/index.html", "actors/lavrov/"),
    ] {
        let html = site.page(page);
        let head = common::between(&html, "<head>", "</head>");
        for (kind, file) in [
            ("application/atom+xml", "feed.xml"),
            ("application/feed+json", "feed.json"),
        ] {
            let tag = format!("type=\"{kind}\"");
            let href = format!("href=\"/crisis/{dir}{file}\"");
            assert!(
                head.lines().any(|l| l.contains("rel=\"alternate\"")
                    && l.contains(&tag)
                    && l.contains(&href)),
                "{page}: no {kind} link to {dir}{file} in the head"
            );
            let body = common::between(&html, "<body>", "</body>");
            assert!(body.contains(&href), "{page}: no visible link to {file}");
            assert!(out.contains(&format!("{dir}{file}")), "{dir}{file} missing");
        }
    }
}

/// The `<loc>`s of a sitemap or sitemap index, parsed as XML.
fn locs(xml: &str, root: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().name(), root);
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    doc.descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_and_nothing_else() {
    // One entry a page, so that pagination makes more pages.
    let site = Site::fixture_with(&SITE_TOML.replace("strict = false", "paginate_by = 1"));
    site.build_ok();
    let out = files(&site.output());
    let mut expected: Vec<String> = out
        .iter()
        .filter_map(|f| {
            if f == "index.html" {
                Some(BASE.to_string())
            } else {
                f.strip_suffix("/index.html").map(|d| format!("{BASE}{d}/"))
            }
        })
        .collect();
    expected.sort();
    assert!(expected.contains(&format!("{BASE}threads/security-guarantees/page/2/")));
    let listed = locs(&site.page("sitemap.xml"), "urlset");
    // Sorted, so equal lists mean every page once and in a fixed order.
    assert_eq!(listed, expected);
    assert!(!listed.iter().any(|u| u.contains("404")));
    assert!(!out.contains("sitemap-1.xml"));
}

#[test]
fn robots_txt_allows_everything_and_names_the_sitemap() {
    let site = Site::fixture();
    site.build_ok();
    let robots = site.page("robots.txt");
    let lines: Vec<&str> = robots.lines().map(str::trim).collect();
    assert!(lines.contains(&"User-agent: *"));
    assert!(!lines.contains(&"Disallow: /"));
    assert!(lines.contains(&"Sitemap: https://example.org/crisis/sitemap.xml"));
}

#[test]
fn canonical_links_and_feed_urls_follow_base_url() {
    let site = Site::fixture_with(&SITE_TOML.replace(
        "https://example.org/crisis/",
        "https://news.example.net/archive/ukraine",
    ));
    site.build_ok();
    let base = "https://news.example.net/archive/ukraine/";
    for f in files(&site.output()) {
        let Some(dir) = f.strip_suffix("index.html") else {
            continue;
        };
        let html = site.page(&f);
        let canonical = common::between(&html, "<link rel=\"canonical\" href=\"", "\"");
        assert_eq!(canonical, format!("{base}{dir}"), "{f}");
    }
    let feed = atom(&site, "threads/sanctions-threat/feed.xml");
    assert_eq!(
        link(&feed, "self"),
        format!("{base}threads/sanctions-threat/feed.xml")
    );
    for entry in feed.entries() {
        assert!(entry.id().starts_with(&format!("{base}days/")));
    }
    let json = json_feed(&site, "feed.json");
    assert_eq!(json["feed_url"], format!("{base}feed.json"));
    for url in locs(&site.page("sitemap.xml"), "urlset") {
        assert!(url.starts_with(base), "{url}");
    }
    assert!(site
        .page("robots.txt")
        .contains(&format!("Sitemap: {base}sitemap.xml")));
}

#[test]
fn a_path_only_base_url_gets_feeds_but_no_sitemap() {
    let site = Site::fixture_with(&SITE_TOML.replace("https://example.org/crisis/", "/crisis/"));
    site.build_ok();
    let feed = atom(&site, "feed.xml");
    assert_eq!(link(&feed, "self"), "/crisis/feed.xml");
    // A path is no IRI: the ids are tag: URIs.
    assert!(feed.id().starts_with("tag:"), "{}", feed.id());
    assert!(
        feed.id().ends_with(",2000:/crisis/feed.xml"),
        "{}",
        feed.id()
    );
    assert!(feed.entries()[0].id().starts_with("tag:"));
    assert!(!site.output().join("sitemap.xml").exists());
    assert!(!site.page("robots.txt").contains("Sitemap"));
    let broken = chronicle::linkcheck::check(&site.output(), "/crisis/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn markup_and_control_characters_in_fields_cannot_break_the_feeds() {
    let site = Site::fixture();
    site.write(
        "content/articles/odd.md",
        "---\ntitle: \"Odd <title> & co\"\nsource: \"A & B <News>\"\npublished: 2022-01-28\nentries:\n  - at: 2022-01-28\n    headline: \"Talks <b>stall</b> & \\\"resume\\\" \\x01 ]]> again\"\n    summary: \"Fish & chips <script>alert(1)</script>\"\n    evidence: [\"Talks went nowhere\"]\n---\nTalks went nowhere.\n",
    );
    site.build_ok();
    let feed = atom(&site, "feed.xml");
    let newest = &feed.entries()[0];
    assert_eq!(
        newest.title().as_str(),
        "Talks <b>stall</b> & \"resume\"  ]]> again"
    );
    let content = newest.content().unwrap().value().unwrap();
    assert!(content.contains("&lt;script&gt;"), "{content}");
    assert!(!content.contains("<script>"), "{content}");
    let json = json_feed(&site, "feed.json");
    assert_eq!(
        json["items"][0]["title"],
        "Talks <b>stall</b> & \"resume\" \u{1} ]]> again"
    );
}

#[test]
fn feeds_and_sitemap_are_the_same_on_every_build() {
    let site = Site::fixture();
    site.build_ok();
    let read = |site: &Site| -> BTreeMap<String, Vec<u8>> {
        files(&site.output())
            .into_iter()
            .filter(|f| f.ends_with(".xml") || f.ends_with(".json") || f.ends_with(".txt"))
            .map(|f| {
                let bytes = fs::read(site.output().join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    };
    let first = read(&site);
    assert!(first.contains_key("sitemap.xml") && first.contains_key("feed.xml"));
    site.build_ok();
    assert_eq!(first, read(&site));
}

#[test]
fn the_site_feed_holds_the_50_newest_entries_a_thread_feed_10() {
    let site = Site::fixture();
    let entries: String = (0..60)
        .map(|i| {
            format!(
                "  - at: \"2022-02-{:02} {:02}:00\"\n    headline: Update number {i}\n    thread: sanctions-threat\n",
                1 + i / 20,
                1 + i % 20
            )
        })
        .collect();
    site.write(
        "content/articles/many.md",
        &format!("---\ntitle: Many\nsource: X\nentries:\n{entries}---\nText.\n"),
    );
    site.build_ok();
    for (rel, held) in [("feed.xml", 50), ("threads/sanctions-threat/feed.xml", 10)] {
        let feed = atom(&site, rel);
        let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
        let expected: Vec<String> = (60 - held..60)
            .rev()
            .map(|i| format!("Update number {i}"))
            .collect();
        assert_eq!(titles, expected, "{rel}");
    }
    let json = json_feed(&site, "feed.json");
    assert_eq!(json["items"].as_array().unwrap().len(), 50);
    // Another thread's feed keeps its own four entries.
    assert_eq!(
        atom(&site, "threads/security-guarantees/feed.xml")
            .entries()
            .len(),
        4
    );
}

#[test]
fn feed_limit_caps_each_feed_and_zero_lifts_the_cap() {
    let all = {
        let site = Site::fixture();
        site.build_ok();
        anchors(&atom(&site, "feed.xml"))
    };
    assert!(all.len() > 2, "the fixture has more than two entries");

    let capped = Site::fixture_with(&SITE_TOML.replace("strict = false", "feed_limit = 2"));
    capped.build_ok();
    assert_eq!(
        anchors(&atom(&capped, "feed.xml")),
        all[..2].to_vec(),
        "the two newest"
    );
    let items = json_feed(&capped, "feed.json")["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(items, 2);

    let unlimited = Site::fixture_with(&SITE_TOML.replace("strict = false", "feed_limit = 0"));
    unlimited.build_ok();
    assert_eq!(anchors(&atom(&unlimited, "feed.xml")), all);
}

#[test]
fn item_feed_limit_caps_thread_and_actor_feeds_only() {
    let thread = "threads/security-guarantees/feed.xml";
    let full = Site::fixture();
    full.build_ok();
    let (site_all, thread_all) = (
        anchors(&atom(&full, "feed.xml")),
        anchors(&atom(&full, thread)),
    );
    assert!(thread_all.len() > 1, "the thread has more than one entry");

    let capped = Site::fixture_with(&SITE_TOML.replace("strict = false", "item_feed_limit = 1"));
    capped.build_ok();
    assert_eq!(
        anchors(&atom(&capped, thread)),
        thread_all[..1].to_vec(),
        "the newest"
    );
    assert_eq!(anchors(&atom(&capped, "actors/lavrov/feed.xml")).len(), 1);
    assert_eq!(
        anchors(&atom(&capped, "feed.xml")),
        site_all,
        "the site's feed is not capped"
    );

    let unlimited = Site::fixture_with(&SITE_TOML.replace("strict = false", "item_feed_limit = 0"));
    unlimited.build_ok();
    assert_eq!(anchors(&atom(&unlimited, thread)), thread_all);
}

#[test]
fn item_feed_limit_of_the_wrong_type_names_its_line() {
    let site = Site::fixture_with(&format!("{SITE_TOML}item_feed_limit = \"many\"\n"));
    let report = site.build();
    assert!(!report.succeeded());
    let out = common::messages(&report).join("\n");
    // The line and column of the value, and what it should be.
    let line = SITE_TOML.lines().count() + 1;
    assert!(out.contains(&format!("site.toml:{line}:19:")), "{out}");
    assert!(out.contains("expected a whole number, 0 or more"), "{out}");
}

/// The fixture site's Atom feed in full, as a snapshot (tests/it/snapshots/).
#[test]
fn the_fixture_sites_feed_in_full() {
    let site = Site::fixture();
    site.build_ok();
    insta::assert_snapshot!(site.page("feed.xml"));
}

#[test]
fn threads_and_actors_have_atom_feeds_only_unless_asked() {
    let site = Site::fixture();
    site.build_ok();
    let all = files(&site.output());
    // The site's and the corrections' feeds in both formats; a thread's and
    // an actor's in Atom.
    for rel in [
        "feed.xml",
        "feed.json",
        "corrections/feed.xml",
        "corrections/feed.json",
        "threads/security-guarantees/feed.xml",
        "actors/lavrov/feed.xml",
    ] {
        assert!(all.contains(rel), "{rel} missing");
    }
    assert!(!all
        .iter()
        .any(|f| f.ends_with("/feed.json")
            && (f.starts_with("threads/") || f.starts_with("actors/"))));
    // Their pages link the Atom feed only; the Atom feed names no JSON twin,
    // the site's does.
    let thread = site.page("threads/security-guarantees/index.html");
    assert!(thread.contains("href=\"/crisis/threads/security-guarantees/feed.xml\""));
    assert!(!thread.contains("threads/security-guarantees/feed.json"));
    assert!(!site
        .page("threads/security-guarantees/feed.xml")
        .contains("application/feed+json"));
    assert!(site.page("feed.xml").contains("application/feed+json"));
    // A list of formats is taken as given (within `feed_formats`).
    let json_only = Site::fixture_with(&format!("{SITE_TOML}item_feeds = [\"json\"]\n"));
    json_only.build_ok();
    let all = files(&json_only.output());
    assert!(all.contains("actors/lavrov/feed.json"));
    assert!(!all.contains("actors/lavrov/feed.xml"));
    let none = Site::fixture_with(&format!(
        "{SITE_TOML}feed_formats = [\"atom\"]\nitem_feeds = [\"json\"]\n"
    ));
    none.build_ok();
    assert!(!files(&none.output())
        .iter()
        .any(|f| f.starts_with("actors/") && f.contains("feed.")));
}

#[test]
fn item_feeds_takes_a_switch_or_a_list_of_formats() {
    let site = Site::fixture_with(&format!("{SITE_TOML}item_feeds = \"yes\"\n"));
    let report = site.build();
    assert!(!report.succeeded());
    let out = common::messages(&report).join("\n");
    assert!(out.contains("site.toml:"), "{out}");
    assert!(
        out.contains("true, false, or a list of feed formats"),
        "{out}"
    );
}

#[test]
fn a_site_can_do_without_json_feeds_and_item_feeds() {
    let site = Site::fixture_with(&format!(
        "{SITE_TOML}feed_formats = [\"atom\"]\nitem_feeds = false\n"
    ));
    site.build_ok();
    let all = files(&site.output());
    let feeds: Vec<&String> = all.iter().filter(|f| f.contains("feed.")).collect();
    // The site's and the corrections' Atom feeds, nothing else.
    assert_eq!(feeds, ["corrections/feed.xml", "feed.xml"], "{feeds:?}");
    // No page links to a feed that is not there, and the Atom feed names no
    // JSON alternate.
    for page in all.iter().filter(|f| f.ends_with(".html")) {
        let html = site.page(page);
        assert!(!html.contains("feed.json"), "{page}");
        assert!(
            !html.contains("threads/security-guarantees/feed.xml"),
            "{page}"
        );
    }
    assert!(!site.page("feed.xml").contains("application/feed+json"));
    assert!(site
        .page("threads/security-guarantees/index.html")
        .contains("<h1"));
    assert!(!site
        .page("threads/security-guarantees/index.html")
        .contains("Follow this thread"));
    // Every internal link of the pages resolves.
    let report = chronicle::check(&chronicle::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    assert!(
        !report.diagnostics.has_errors(),
        "{:?}",
        common::messages(&report)
    );
}

#[test]
fn feed_formats_empty_writes_no_feed_and_offers_none() {
    let site = Site::fixture_with(&format!("{SITE_TOML}feed_formats = []\n"));
    site.build_ok();
    assert!(files(&site.output()).iter().all(|f| !f.contains("feed.")));
    let home = site.page("index.html");
    assert!(!home.contains("Follow the chronicle") && !home.contains("application/atom+xml"));
    // An unknown format is an error naming the ones there are.
    let wrong = Site::fixture_with(&format!("{SITE_TOML}feed_formats = [\"rss\"]\n"));
    let report = wrong.build();
    assert!(!report.succeeded());
    let said = common::messages(&report).join("\n");
    assert!(said.contains("`atom`") && said.contains("`json`"), "{said}");
}

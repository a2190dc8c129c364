//! Search: the index files the build writes, the search page and the box in
//! every page's header. The theme's search.js, run under Node against a
//! built index, is checked by the browser test (tests/browser/search_js.rs).

use crate::common;

use std::path::Path;

use chronicle::config::Overrides;
use chronicle::BuildOptions;
use common::{between, Site};
use serde_json::Value;

fn json(site: &Site, file: &str) -> Value {
    serde_json::from_str(&site.page(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn resolved(root: &Path) -> chronicle::resolve::Chronicle {
    chronicle::load_and_resolve(&BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides::default(),
        ..Default::default()
    })
    .0
    .expect("the fixture resolves")
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// Fills a URL pattern of the index the way search.js does.
fn fill(pattern: &Value, slug: &str, day: &str, anchor: &str) -> String {
    pattern
        .as_str()
        .unwrap()
        .replace("{slug}", slug)
        .replace("{day}", day)
        .replace("{anchor}", anchor)
}

#[test]
fn the_index_holds_every_entry_actor_thread_topic_and_article() {
    let site = Site::fixture();
    site.build_ok();
    let c = resolved(site.root());
    let index = json(&site, "search-index.json");
    assert_eq!(index["version"], 1);
    assert_eq!(strings(&index["entries"]), ["search-entries-0.json"]);
    let urls = &index["urls"];

    let actors = index["actors"].as_array().unwrap();
    assert_eq!(actors.len(), c.actors.len());
    for (row, actor) in actors.iter().zip(&c.actors) {
        assert_eq!(row[0], actor.slug.as_str());
        assert_eq!(row[1], actor.name.as_str());
        assert_eq!(
            strings(&row[2]),
            actor.aliases,
            "every alias of {}",
            actor.id
        );
        assert_eq!(row[3], actor.kind.as_str());
        assert_eq!(row[4], actor.role.as_deref().unwrap_or(""));
        let page = fill(&urls["actor"], row[0].as_str().unwrap(), "", "");
        assert!(
            site.output().join(&page).join("index.html").is_file(),
            "{page}"
        );
    }
    let lavrov = actors.iter().find(|r| r[0] == "lavrov").unwrap();
    assert_eq!(
        strings(&lavrov[2]),
        ["Sergei Lavrov", "Lavrov", "Mr Lavrov"]
    );
    assert_eq!(lavrov[4], "Foreign Minister of Russia");

    for (key, registry) in [
        (
            "threads",
            c.threads
                .iter()
                .map(|t| (&t.slug, &t.title, &t.aliases))
                .collect::<Vec<_>>(),
        ),
        (
            "topics",
            c.topics
                .iter()
                .map(|t| (&t.slug, &t.name, &t.aliases))
                .collect(),
        ),
    ] {
        let rows = index[key].as_array().unwrap();
        assert_eq!(rows.len(), registry.len(), "{key}");
        for (row, (slug, name, aliases)) in rows.iter().zip(registry) {
            assert_eq!(row[0], slug.as_str());
            assert_eq!(row[1], name.as_str());
            assert_eq!(&strings(&row[2]), aliases);
            let pattern = &urls[key.trim_end_matches('s')];
            let page = fill(pattern, slug, "", "");
            assert!(
                site.output().join(&page).join("index.html").is_file(),
                "{page}"
            );
        }
    }

    let outlets = strings(&index["outlets"]);
    let articles = index["articles"].as_array().unwrap();
    assert_eq!(articles.len(), c.articles.len());
    for (row, article) in articles.iter().zip(&c.articles) {
        assert_eq!(row[0], article.slug.as_str());
        assert_eq!(row[1], article.title.as_str());
        assert_eq!(outlets[row[2].as_u64().unwrap() as usize], article.outlet);
        let date = article
            .published
            .map(|p| p.date.to_string())
            .unwrap_or_default();
        assert_eq!(row[3], date.as_str());
        let page = fill(&urls["article"], &article.slug, "", "");
        assert!(
            site.output().join(&page).join("index.html").is_file(),
            "{page}"
        );
    }
    let wire = articles.iter().find(|r| r[0] == "wire-moscow").unwrap();
    assert_eq!(wire[1], "Moscow weighs the US reply");
    assert_eq!(
        outlets[wire[2].as_u64().unwrap() as usize],
        "Example Agency"
    );
    assert_eq!(wire[3], "2022-01-27");

    let data = json(&site, "search-entries-0.json");
    assert_eq!(data["version"], 1);
    assert_eq!(data["start"], 0);
    let days = strings(&data["days"]);
    let entries = data["entries"].as_array().unwrap();
    assert_eq!(entries.len(), c.entries.len());
    for (row, entry) in entries.iter().zip(&c.entries) {
        let day = days[row[0].as_u64().unwrap() as usize];
        assert_eq!(day, entry.day.to_string());
        assert_eq!(row[1], entry.anchor.as_str());
        assert_eq!(row[2], entry.headline.as_str());
        let indexes = |v: &Value| -> Vec<usize> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_u64().unwrap() as usize)
                .collect()
        };
        let get = |ixs: &mut dyn Iterator<Item = usize>| ixs.collect::<Vec<_>>();
        assert_eq!(
            indexes(&row[4]),
            get(&mut entry.threads.iter().map(|t| t.get()))
        );
        assert_eq!(
            indexes(&row[5]),
            get(&mut entry.actors.iter().map(|a| a.get()))
        );
        assert_eq!(
            indexes(&row[6]),
            get(&mut entry.topics.iter().map(|t| t.get()))
        );
        // The entry's link leads to its anchor on its day's page.
        let url = fill(&urls["entry"], "", day, &entry.anchor);
        let (page, anchor) = url.split_once('#').unwrap();
        let html = site.page(&format!("{page}index.html"));
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{url}");
    }
    let reply = entries
        .iter()
        .find(|r| r[1] == "us-written-response")
        .unwrap();
    assert_eq!(
        reply[3],
        "The US ambassador handed the reply to the Russian foreign ministry."
    );
    let names: Vec<&Value> = reply[5]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &actors[i.as_u64().unwrap() as usize][1])
        .collect();
    assert_eq!(names, ["Antony Blinken", "United States"]);
}

#[test]
fn summaries_in_the_index_are_text_without_markup() {
    let site = Site::fixture();
    // Raw HTML is markup only where the site lets it through.
    site.write(
        "site.toml",
        &format!("{}raw_html = true\n", common::SITE_TOML),
    );
    site.write(
        "content/articles/2022/01/markup.md",
        r#"---
title: Markup in a summary
source: Example Wire
published: 2022-01-28
entries:
  - id: marked-up
    at: 2022-01-28
    headline: A summary with markup
    summary: |
      Talks **resume** in [Geneva](https://example.org/geneva) <b>today</b>.

      A second paragraph.
    evidence: ["talks resume"]
---
The talks resume in Geneva.
"#,
    );
    site.build_ok();
    let data = json(&site, "search-entries-0.json");
    let row = data["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[1] == "marked-up")
        .unwrap()
        .clone();
    let summary = row[3].as_str().unwrap();
    assert!(summary.starts_with("Talks resume in Geneva"), "{summary:?}");
    assert!(summary.ends_with("A second paragraph."), "{summary:?}");
    for markup in ["**", "](", "<b>", "\n"] {
        assert!(!summary.contains(markup), "{markup:?} in {summary:?}");
    }
}

#[test]
fn the_search_page_links_its_script_and_index_under_the_base_path() {
    let site = Site::fixture();
    site.build_ok();
    assert!(site.output().join("search.js").is_file());
    let page = site.page("search/index.html");
    assert!(page.contains("<script src=\"/crisis/search.js\" defer></script>"));
    assert!(page.contains("data-base-path=\"/crisis/\""));
    assert!(page.contains("data-index=\"/crisis/search-index.json\""));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/crisis/search/\">"));
    let form = between(&page, "<form class=\"search-form\"", "</form>");
    assert!(form.contains("action=\"/crisis/search/\""), "{form}");
    assert!(form.contains("role=\"search\""));
    assert!(form.contains("<label for=\"search-query\">"));
    assert!(form.contains("id=\"search-query\" type=\"search\" name=\"q\""));
    // Without JavaScript the page points to the indexes.
    let note = between(&page, "<noscript>", "</noscript>");
    for index in ["days", "threads", "actors", "topics", "sources"] {
        assert!(
            note.contains(&format!("href=\"/crisis/{index}/\"")),
            "{index}"
        );
    }
    // One search form on the search page: the header's is left out.
    assert!(!between(&page, "<header", "</header>").contains("<form"));
    let broken = chronicle::linkcheck::check(&site.output(), "/crisis/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn every_other_page_has_the_search_box_in_its_header() {
    let site = Site::fixture();
    site.build_ok();
    for page in [
        "index.html",
        "404.html",
        "days/2022-01-26/index.html",
        "threads/security-guarantees/index.html",
        "actors/lavrov/index.html",
        "topics/diplomacy/index.html",
        "sources/index.html",
        "articles/live-0126/index.html",
    ] {
        let html = site.page(page);
        let header = between(&html, "<header", "</header>");
        let form = between(header, "<form", "</form>");
        assert!(
            form.contains("action=\"/crisis/search/\" method=\"get\" role=\"search\""),
            "{page}: {form}"
        );
        assert!(form.contains("for=\"site-search-q\""), "{page}: labelled");
        assert!(form.contains("id=\"site-search-q\" type=\"search\" name=\"q\""));
        // The search script runs on the search page only.
        assert!(!html.contains("search.js"), "{page}");
    }
}

#[test]
fn a_theme_without_search_html_still_gets_the_index_but_no_page() {
    let site = Site::fixture();
    std::fs::remove_file(site.root().join("themes/default/templates/search.html")).unwrap();
    site.build_ok();
    assert!(!site.output().join("search/index.html").exists());
    assert!(site.output().join("search-index.json").is_file());
    assert!(site.output().join("search-entries-0.json").is_file());
}

#[test]
fn a_site_template_replaces_the_search_page() {
    let site = Site::fixture();
    site.write(
        "templates/search.html",
        "<p>{{ site.base_path }} {{ index_url }} {{ script_url }}</p>",
    );
    site.build_ok();
    assert_eq!(
        site.page("search/index.html"),
        "<p>/crisis/ /crisis/search-index.json /crisis/search.js</p>"
    );
}

#[test]
fn the_shipped_site_indexes_the_kremlin_with_its_aliases() {
    // search.js finding it by alias is checked under Node, in the browser
    // test (tests/browser/search_js.rs).
    let dir = common::shipped_copy();
    let report = chronicle::build(&BuildOptions {
        root: dir.path().to_path_buf(),
        overrides: Overrides::default(),
        ..Default::default()
    });
    assert!(report.succeeded());
    let output = report.output.unwrap();
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(output.join("search-index.json")).unwrap())
            .unwrap();
    let kremlin = index["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a[0] == "kremlin")
        .expect("the shipped actors.yaml has the Kremlin");
    assert!(strings(&kremlin[2]).contains(&"Kremlin"));
}

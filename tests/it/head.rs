//! What a page says of itself in its head, for search engines and link
//! previews: a description of its own, Open Graph and Twitter card tags,
//! the favicon; and the "last updated" date a reader sees.

use std::path::Path;

use crate::common::{between, positioned, Site, SITE_TOML};

/// The `content` of the head's `<meta {attribute}="{name}">`, unescaped of
/// nothing (compared as written).
fn meta<'h>(html: &'h str, attribute: &str, name: &str) -> Option<&'h str> {
    let head = between(html, "<head>", "</head>");
    let start = head.find(&format!("<meta {attribute}=\"{name}\" content=\""))?;
    let rest = &head[start..];
    let value = &rest[rest.find("content=\"")? + 9..];
    Some(&value[..value.find('"')?])
}

/// Every HTML page of a built site, as (site path, text), in path order.
fn pages(output: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(output)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(output).unwrap();
            let text = std::fs::read_to_string(e.path()).unwrap();
            (rel.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}

#[test]
fn every_page_has_preview_tags_and_the_favicon() {
    let site = Site::fixture();
    site.build_ok();
    assert!(site.output().join("favicon.svg").is_file());
    let all = pages(&site.output());
    assert!(all.len() > 20);
    for (rel, html) in &all {
        let canonical = between(html, "<link rel=\"canonical\" href=\"", "\"");
        assert_eq!(meta(html, "property", "og:url"), Some(canonical), "{rel}");
        let title = between(html, "<title>", "</title>");
        let og_title = meta(html, "property", "og:title").unwrap_or_else(|| panic!("{rel}"));
        assert!(title.starts_with(og_title), "{rel}: {og_title} / {title}");
        let description = meta(html, "name", "description").unwrap();
        assert!(!description.is_empty(), "{rel}");
        assert_eq!(
            meta(html, "property", "og:description"),
            Some(description),
            "{rel}"
        );
        // X (Twitter) reads the title and description from Open Graph.
        assert_eq!(meta(html, "name", "twitter:description"), None, "{rel}");
        assert_eq!(meta(html, "name", "twitter:card"), Some("summary"), "{rel}");
        assert_eq!(
            meta(html, "property", "og:site_name"),
            Some("Test chronicle")
        );
        assert!(
            html.contains(
                "<link rel=\"icon\" href=\"/crisis/favicon.svg\" type=\"image/svg+xml\">"
            ),
            "{rel}"
        );
        let og_type = meta(html, "property", "og:type").unwrap();
        let expected = if rel.starts_with("articles/") {
            "article"
        } else {
            "website"
        };
        assert_eq!(og_type, expected, "{rel}");
    }
}

#[test]
fn pages_describe_themselves_from_what_they_show() {
    let site = Site::fixture();
    site.build_ok();
    let all = pages(&site.output());
    let site_description = "A fixture";
    // Only the pages with nothing of their own share the site's: the home
    // page, search, the 404 page, and corrections when there are none.
    let shared: Vec<&str> = all
        .iter()
        .filter(|(_, html)| meta(html, "name", "description") == Some(site_description))
        .map(|(rel, _)| rel.as_str())
        .collect();
    for rel in &shared {
        assert!(
            [
                "index.html",
                "search/index.html",
                "404.html",
                "corrections/index.html"
            ]
            .contains(rel),
            "{rel} has no description of its own"
        );
    }
    let day = site.page("days/2022-01-26/index.html");
    let description = meta(&day, "name", "description").unwrap();
    assert!(
        description.contains("US delivers written reply to Russia"),
        "{description}"
    );
    assert!(description.chars().count() <= chronicle::render::describe::MAX_CHARS);
    let lavrov = site.page("actors/lavrov/index.html");
    let description = meta(&lavrov, "name", "description").unwrap();
    assert_eq!(
        description,
        "Foreign Minister of Russia. Russia&#39;s chief diplomat."
    );
    assert!(
        !description.contains('*'),
        "plain text, not Markdown: {description}"
    );
    let article = site.page("articles/wire-moscow/index.html");
    let description = meta(&article, "name", "description").unwrap();
    assert!(
        description.contains("Lavrov sees little room for optimism"),
        "{description}"
    );
}

#[test]
fn pages_show_when_their_content_last_changed() {
    let site = Site::fixture();
    site.build_ok();
    let day = site.page("days/2022-01-26/index.html");
    let updated = between(&day, "<p class=\"last-updated\">", "</p>");
    // From the content (its sources' publication), never the build's clock.
    let datetime = between(updated, "datetime=\"", "\"");
    assert!(datetime.starts_with("2022-"), "{updated}");
    assert_eq!(meta(&day, "property", "og:updated_time"), Some(datetime));
    let home = site.page("index.html");
    assert!(
        home.contains("Last updated <time datetime=\"2022-"),
        "{home}"
    );
    // A page with no dated content says nothing.
    let not_found = site.page("404.html");
    assert!(!not_found.contains("last-updated"));
    // A second build gives the same date: nothing depends on the clock.
    site.build_ok();
    assert_eq!(site.page("days/2022-01-26/index.html"), day);
}

#[test]
fn structured_data_and_timeline_graphics_can_be_switched_off() {
    const JSONLD: &str = "<script type=\"application/ld+json\">";
    const CHART: &str = "class=\"timeline-chart\"";
    let count = |site: &Site, what: &str| {
        pages(&site.output())
            .iter()
            .filter(|(_, html)| html.contains(what))
            .count()
    };
    // By default the home, day, thread, actor, topic and article pages
    // carry JSON-LD, and the home, thread, actor and topic pages a chart.
    let full = Site::fixture();
    full.build_ok();
    assert!(count(&full, JSONLD) > 10);
    assert!(count(&full, CHART) > 5);
    let lean = Site::fixture_with(&format!(
        "{SITE_TOML}structured_data = false\ntimeline_graphics = false\n"
    ));
    lean.build_ok();
    assert_eq!(count(&lean, JSONLD), 0);
    assert_eq!(count(&lean, CHART), 0);
    // Nothing else changes: the same pages, each still with its entries.
    assert_eq!(pages(&full.output()).len(), pages(&lean.output()).len());
    let actor = lean.page("actors/lavrov/index.html");
    assert!(actor.contains("id=\"entries-heading\""), "{actor}");
    assert!(!actor.contains("timeline-caption"), "{actor}");
    // A value that is not a bool is an error naming the line.
    let wrong = Site::fixture_with(&format!("{SITE_TOML}timeline_graphics = \"no\"\n"));
    let report = wrong.build();
    assert!(!report.succeeded());
    let problems = positioned(&report);
    assert!(
        problems
            .iter()
            .any(|p| p.file.as_deref() == Some("site.toml")
                && p.line.is_some_and(|l| l > 1)
                && p.message.contains("bool")),
        "{problems:?}"
    );
}

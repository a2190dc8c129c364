//! The timeline graphics: lanes of threads on the home and thread pages, a
//! strip of entries per day on actor and topic pages. Each chart is parsed
//! as XML out of the built page and its links followed into the output.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::Site;
use roxmltree::{Document, Node};

/// An article adding an entry on another day, with `&` and `<` in its headline.
const EXTRA: &str = r#"---
title: Talks in Geneva
source: Example Wire
published: 2022-01-21
entries:
  - id: geneva-talks
    at: 2022-01-21
    headline: Lavrov & Blinken meet in Geneva; talks <stall>
    threads: [security-guarantees]
    actors: [lavrov, blinken]
    topics: [diplomacy]
    evidence: ["met in Geneva"]
---
The two ministers met in Geneva on Friday.
"#;

fn site() -> Site {
    let site = Site::fixture();
    site.write("content/articles/2022/01/geneva.md", EXTRA);
    site.build_ok();
    site
}

/// The text of the page's timeline chart.
fn chart_of(html: &str) -> String {
    let start = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline-chart\"";
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no timeline chart in {html}"));
    assert_eq!(html.matches(start).count(), 1, "one chart a page");
    let j = i + html[i..].find("</svg>").expect("</svg>") + "</svg>".len();
    html[i..j].to_string()
}

fn elements<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The chart is named by its title and described by its description.
fn check_accessible(doc: &Document<'_>) -> (String, String) {
    let svg = doc.root_element();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(
        svg.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(svg.attribute("role"), Some("group"));
    assert!(svg.attribute("viewBox").is_some());
    assert_eq!(svg.attribute("width"), Some("100%"));
    let by_id = |attr: &str, tag: &str| {
        let id = svg.attribute(attr).unwrap_or_else(|| panic!("no {attr}"));
        let node = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{attr} points to nothing"));
        assert_eq!(node.tag_name().name(), tag);
        assert_eq!(node.parent(), Some(svg), "{tag} is the chart's own");
        let text = text_of(node);
        assert!(!text.trim().is_empty(), "empty {tag}");
        text
    };
    (
        by_id("aria-labelledby", "title"),
        by_id("aria-describedby", "desc"),
    )
}

/// The output file and fragment a site link points to.
fn target(site: &Site, href: &str) -> (std::path::PathBuf, Option<String>) {
    let rest = href
        .strip_prefix("/crisis/")
        .unwrap_or_else(|| panic!("{href} is not a site link"));
    let (path, fragment) = match rest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (rest, None),
    };
    assert!(path.ends_with('/'), "{href}");
    (site.output().join(path).join("index.html"), fragment)
}

/// Every link of the chart: it has a title and a name, and leads to a page
/// of the output (and to an element with the fragment's id there).
fn check_links(site: &Site, doc: &Document<'_>) {
    for a in elements(doc.root_element(), "a") {
        let href = a.attribute("href").expect("href");
        let title = child(a, "title").map(text_of).unwrap_or_default();
        assert!(!title.trim().is_empty(), "{href} has no title");
        // The title is the link's name; an aria-label would only repeat it.
        assert_eq!(a.attribute("aria-label"), None, "{href}");
        let (file, fragment) = target(site, href);
        let html = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{href}: {}: {e}", file.display()));
        if let Some(f) = fragment {
            assert!(html.contains(&format!(" id=\"{f}\"")), "no #{f} on {href}");
        }
    }
}

/// Whether `a` is a mark: a dot (one entry) or a disc (several).
fn is_mark(a: &Node<'_, '_>) -> bool {
    elements(*a, "circle")
        .iter()
        .any(|c| matches!(c.attribute("class"), Some("tl-mark" | "tl-many")))
}

/// How many entries the marks under `node` stand for: one a dot, a disc
/// its count.
fn entries_drawn(node: Node<'_, '_>) -> usize {
    elements(node, "a")
        .into_iter()
        .filter(is_mark)
        .map(|a| {
            elements(a, "text")
                .first()
                .map_or(1, |t| text_of(*t).parse().unwrap())
        })
        .sum()
}

/// The marks of a chart: each its link and title, in document order.
fn marks(doc: &Document<'_>) -> Vec<(String, String)> {
    elements(doc.root_element(), "a")
        .into_iter()
        .filter(is_mark)
        .map(|a| {
            (
                a.attribute("href").unwrap().to_string(),
                text_of(child(a, "title").unwrap()),
            )
        })
        .collect()
}

#[test]
fn the_home_page_draws_each_thread_as_a_lane_of_linked_entries() {
    let site = site();
    let text = chart_of(&site.page("index.html"));
    let doc = Document::parse(&text).expect("the chart is well-formed XML");
    let (title, desc) = check_accessible(&doc);
    assert_eq!(title, "Timeline of the threads");
    assert!(
        desc.starts_with("Timeline of 2 threads from 21 January 2022 to 27 January 2022"),
        "{desc}"
    );
    check_links(&site, &doc);

    let lanes: Vec<Node<'_, '_>> = elements(doc.root_element(), "g")
        .into_iter()
        .filter(|g| {
            g.attribute("class")
                .is_some_and(|c| c.starts_with("tl-lane "))
        })
        .collect();
    assert_eq!(lanes.len(), 2);
    // Lanes in order of their first entry; each labelled with its title and
    // count, linked to the thread's page.
    let labels: Vec<(String, String)> = lanes
        .iter()
        .map(|lane| {
            let label = elements(*lane, "text")[0];
            let a = label.parent().unwrap();
            (a.attribute("href").unwrap().to_string(), text_of(label))
        })
        .collect();
    assert_eq!(
        labels,
        [
            (
                "/crisis/threads/security-guarantees/".to_string(),
                "Russia's demands for security guarantees (5)".to_string()
            ),
            (
                "/crisis/threads/sanctions-threat/".to_string(),
                "The threat of sanctions (2)".to_string()
            ),
        ]
    );
    // Every entry of each thread is drawn: a dot, or counted in a disc.
    assert_eq!(entries_drawn(lanes[0]), 5);
    assert_eq!(entries_drawn(lanes[1]), 2);
    // Lanes tell themselves apart by colour; each mark is a 24-unit target.
    assert_ne!(lanes[0].attribute("class"), lanes[1].attribute("class"));
    for a in elements(lanes[0], "a").into_iter().filter(is_mark) {
        let hit = child(a, "circle").unwrap();
        assert_eq!(hit.attribute("class"), Some("tl-hit"));
        assert_eq!(hit.attribute("r"), Some("12"));
    }

    // The titles give date, time and headline, escaped in the source and
    // read back whole by the parser.
    let all = marks(&doc);
    assert!(all.contains(&(
        "/crisis/days/2022-01-21/#geneva-talks".to_string(),
        "Friday 21 January 2022, all day: Lavrov & Blinken meet in Geneva; talks <stall>"
            .to_string()
    )));
    assert!(text.contains("talks &lt;stall&gt;") && !text.contains("<stall>"));
    // Several entries of a thread on a day: a disc linked to the day.
    assert!(
        all.iter()
            .any(|(href, title)| href == "/crisis/days/2022-01-26/"
                && title.ends_with("entries on 26 January 2022")),
        "{all:?}"
    );

    // The first lane's marks run left to right in time.
    let xs: Vec<f64> = elements(lanes[0], "circle")
        .iter()
        .filter(|c| matches!(c.attribute("class"), Some("tl-mark" | "tl-many")))
        .map(|c| c.attribute("cx").unwrap().parse().unwrap())
        .collect();
    assert!(xs.windows(2).all(|w| w[0] <= w[1]), "{xs:?}");
    assert!(xs[0] < xs[xs.len() - 1]);

    // The date axis has labelled ticks, and the legend says what a circle is.
    let ticks: Vec<String> = elements(doc.root_element(), "text")
        .into_iter()
        .filter(|t| t.attribute("class") == Some("tl-tick"))
        .map(text_of)
        .collect();
    assert!(ticks.contains(&"21 Jan".to_string()), "{ticks:?}");
    let months: Vec<String> = elements(doc.root_element(), "text")
        .into_iter()
        .filter(|t| t.attribute("class") == Some("tl-month-label"))
        .map(text_of)
        .collect();
    assert_eq!(months, ["January 2022"]);
    // The caption, under the chart as text, says what a dot is.
    assert!(site
        .page("index.html")
        .contains("<p class=\"timeline-caption\">A dot is one entry"));

    // The page wraps it in a named, focusable region that scrolls sideways.
    let html = site.page("index.html");
    assert!(html
        .contains("<div class=\"timeline-scroll\" tabindex=\"0\" role=\"region\" aria-label=\""));
}

#[test]
fn a_thread_page_draws_its_own_lane() {
    let site = site();
    let text = chart_of(&site.page("threads/sanctions-threat/index.html"));
    let doc = Document::parse(&text).expect("well-formed");
    let (title, desc) = check_accessible(&doc);
    assert_eq!(title, "Timeline of The threat of sanctions");
    assert!(desc.contains("2 entries"), "{desc}");
    check_links(&site, &doc);
    // Its two entries share a day: one disc with their count, linked to
    // the day.
    assert_eq!(
        marks(&doc),
        [(
            "/crisis/days/2022-01-26/".to_string(),
            "2 entries on 26 January 2022".to_string()
        )]
    );
    assert_eq!(entries_drawn(doc.root_element()), 2);
}

/// The strip of a page: each bar's link and title, and the page's entries
/// per day as listed on it.
fn strip(site: &Site, page: &str) -> (Vec<(String, String)>, BTreeMap<String, usize>) {
    let html = site.page(page);
    let text = chart_of(&html);
    let doc = Document::parse(&text).expect("well-formed");
    let (title, desc) = check_accessible(&doc);
    assert!(title.starts_with("Entries per day: "), "{title}");
    assert!(
        desc.contains("from 21 January 2022 to 27 January 2022"),
        "{desc}"
    );
    check_links(site, &doc);
    let bars = elements(doc.root_element(), "a")
        .into_iter()
        .map(|a| {
            assert!(child(a, "path").is_some(), "a bar is a stroke");
            // Its target, drawn once in the chart and placed by `<use>`,
            // is at least 24 by 24 units.
            let placed = child(a, "use").expect("a bar's target");
            let id = placed.attribute("href").unwrap().strip_prefix('#').unwrap();
            let target = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(id))
                .unwrap_or_else(|| panic!("#{id} is not in the chart"));
            assert_eq!(target.attribute("class"), Some("tl-hit"));
            for side in ["width", "height"] {
                let size: f64 = target.attribute(side).unwrap().parse().unwrap();
                assert!(size >= 24.0, "{side} {size}");
            }
            (
                a.attribute("href").unwrap().to_string(),
                text_of(child(a, "title").unwrap()),
            )
        })
        .collect();
    // Entries listed below the chart, by day: distinct anchors per day.
    let rest = &html[html.find("</svg>").unwrap()..];
    let mut anchors: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for part in rest.split("href=\"/crisis/days/").skip(1) {
        let link = &part[..part.find('"').unwrap()];
        if let Some((day, anchor)) = link.split_once("/#") {
            anchors
                .entry(day.to_string())
                .or_default()
                .insert(anchor.to_string());
        }
    }
    let per_day = anchors.into_iter().map(|(d, a)| (d, a.len())).collect();
    (bars, per_day)
}

#[test]
fn actor_and_topic_pages_have_one_bar_per_day_with_entries() {
    let site = site();
    for (page, name) in [
        ("actors/lavrov/index.html", "Sergey Lavrov"),
        ("actors/blinken/index.html", "Antony Blinken"),
        ("topics/diplomacy/index.html", "Diplomacy"),
    ] {
        let (bars, per_day) = strip(&site, page);
        assert!(per_day.len() >= 2, "{page}: {per_day:?}");
        let expected: Vec<(String, String)> = per_day
            .iter()
            .map(|(day, n)| {
                let date: chrono::NaiveDate = day.parse().unwrap();
                let label = date.format("%-d %B %Y");
                let count = if *n == 1 {
                    "1 entry".to_string()
                } else {
                    format!("{n} entries")
                };
                (
                    format!("/crisis/days/{day}/"),
                    format!("{count} on {label}"),
                )
            })
            .collect();
        assert_eq!(bars, expected, "{page}");
        assert!(site
            .page(page)
            .contains(&format!("Entries per day: {name}")));
    }
}

#[test]
fn a_chronicle_without_entries_draws_no_chart() {
    let site = Site::new(common::SITE_TOML);
    site.write(
        "content/actors.yaml",
        "nato:\n  name: NATO\n  kind: organisation\n",
    );
    site.build_ok();
    assert!(!site.page("index.html").contains("timeline-chart"));
    assert!(!site
        .page("actors/nato/index.html")
        .contains("timeline-chart"));
}

#[test]
fn a_paginated_list_draws_its_chart_and_sidebar_on_the_first_page_only() {
    let site = Site::fixture();
    site.write("content/articles/2022/01/geneva.md", EXTRA);
    site.write(
        "site.toml",
        &format!("{}paginate_by = 2\n", common::SITE_TOML),
    );
    site.build_ok();
    for base in ["threads/security-guarantees/", "actors/lavrov/"] {
        let first = site.page(&format!("{base}index.html"));
        let second = site.page(&format!("{base}page/2/index.html"));
        // The first page's chart covers every entry, not only its own.
        let doc_text = chart_of(&first);
        let doc = Document::parse(&doc_text).unwrap();
        check_links(&site, &doc);
        assert!(!second.contains("timeline-chart"), "{base}");
        // So is the sidebar: the list's threads, actors or topics.
        assert!(first.contains("<aside class=\"sidebar\">"), "{base}");
        assert!(!second.contains("<aside"), "{base}");
    }
    let text = chart_of(&site.page("threads/security-guarantees/index.html"));
    let doc = Document::parse(&text).unwrap();
    assert_eq!(entries_drawn(doc.root_element()), 5);
}

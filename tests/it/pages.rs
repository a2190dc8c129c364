//! The editors' standalone pages (`content/pages/*.md` → `/<name>/`), the
//! About page `chronicle init` writes, and editors' digests (`digest: true`):
//! what their pages say and what their JSON-LD names as publisher.

use crate::common;

use std::fs;

use chronicle::config::Overrides;
use chronicle::serve::site::{Builder, Lookup, RebuildKind};
use chronicle::BuildOptions;
use common::{between, codes, positioned, Site, SITE_TOML};
use serde_json::Value;

const ABOUT: &str = "---
title: About this chronicle
nav_title: About
description: How the chronicle is made
---
We read the reports and *link* every entry to them.

## Method

See [the days](../days/).
";

const METHOD: &str = "---
title: Method
weight: -1
---
First in the navigation, by its weight.
";

/// The fixture site with an About and a Method page.
fn with_pages() -> Site {
    let site = Site::fixture();
    site.write("content/pages/about.md", ABOUT);
    site.write("content/pages/method.md", METHOD);
    site
}

/// The links of the site navigation of a built page, in order.
fn nav(html: &str) -> Vec<String> {
    between(html, "<ul class=\"site-nav\">", "</ul>")
        .split("<a href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn a_page_builds_at_its_address_and_is_in_the_nav_of_every_page_and_the_sitemap() {
    let site = with_pages();
    let report = site.build_ok();
    assert!(
        report.diagnostics.items().is_empty(),
        "{:?}",
        common::messages(&report)
    );
    let about = site.page("about/index.html");
    assert!(about.contains("<title>About this chronicle · Test chronicle</title>"));
    assert!(about.contains("<h1>About this chronicle</h1>"), "{about}");
    assert!(about.contains("<p>We read the reports and <em>link</em> every entry to them.</p>"));
    assert!(about.contains("<h2>Method</h2>"));
    assert!(about.contains("<meta name=\"description\" content=\"How the chronicle is made\">"));
    assert!(about.contains("<a href=\"/crisis/about/\" aria-current=\"page\">About</a>"));
    // Every page links both, in their order: Method (weight -1) first.
    for rel in [
        "index.html",
        "days/index.html",
        "days/2022-01-26/index.html",
        "actors/lavrov/index.html",
        "articles/wire-moscow/index.html",
        "search/index.html",
        "404.html",
        "about/index.html",
        "method/index.html",
    ] {
        let links = nav(&site.page(rel));
        assert_eq!(
            links[links.len() - 2..],
            ["/crisis/method/", "/crisis/about/"],
            "{rel}"
        );
    }
    let method = site.page("method/index.html");
    // No description in its front matter: the start of its text.
    assert!(method.contains(
        "<meta name=\"description\" content=\"First in the navigation, by its weight.\">"
    ));
    assert!(method.contains(">Method</a>"));
    let sitemap = site.page("sitemap.xml");
    for url in [
        "https://example.org/crisis/about/",
        "https://example.org/crisis/method/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{sitemap}");
    }
}

#[test]
fn a_site_without_pages_has_none_in_its_nav() {
    let site = Site::fixture();
    site.build_ok();
    let home = site.page("index.html");
    assert!(!home.contains("site-nav-page"), "{home}");
    assert_eq!(nav(&home).len(), 5);
}

#[test]
fn check_follows_relative_links_of_a_page() {
    let site = with_pages();
    site.write(
        "content/pages/contact.md",
        "---\ntitle: Contact\n---\n[Sources](../sources/), [home](../), [nowhere](../nowhere/)\n",
    );
    let report = chronicle::check(&BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    let broken: Vec<String> = report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        broken,
        ["contact/index.html links to `../nowhere/`: no such file"],
        "{broken:?}"
    );
}

#[test]
fn a_page_named_like_a_section_is_an_error_at_its_file() {
    let site = with_pages();
    site.write(
        "content/pages/days.md",
        "---\ntitle: Our days\n---\nText.\n",
    );
    site.write(
        "content/pages/Search.md",
        "---\ntitle: Search\n---\nText.\n",
    );
    let report = site.build();
    assert!(!report.succeeded());
    let found = positioned(&report);
    assert_eq!(codes(&report.diagnostics), ["reserved-page-name"; 2]);
    let files: Vec<(&str, usize, usize)> = found
        .iter()
        .map(|p| {
            (
                p.file.as_deref().unwrap(),
                p.line.unwrap(),
                p.column.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("content/pages/Search.md", 1, 1),
            ("content/pages/days.md", 1, 1)
        ]
    );
    assert_eq!(
        found[1].message,
        "this page would be /days/, the address of the site's days section"
    );
    assert!(found[1].hints[0]
        .contains("actors, articles, corrections, days, search, sources, threads, topics"));
}

#[test]
fn two_pages_at_one_address_are_an_error_naming_both() {
    let site = with_pages();
    site.write(
        "content/pages/About.md",
        "---\ntitle: About too\n---\nText.\n",
    );
    let report = site.build();
    assert!(!report.succeeded());
    assert_eq!(codes(&report.diagnostics), ["duplicate-id"]);
    let d = &report.diagnostics.items()[0];
    assert_eq!(d.related.len(), 1, "the other page is shown");
    let p = &positioned(&report)[0];
    assert_eq!(p.file.as_deref(), Some("content/pages/about.md"));
    assert_eq!(
        p.message,
        "this page and content/pages/About.md would share the address /about/"
    );
}

#[test]
fn a_page_without_title_or_text_is_a_warning_and_builds() {
    let site = Site::fixture();
    site.write("content/pages/imprint.md", "Published by the desk.\n");
    site.write("content/pages/empty.md", "---\ntitle: Empty\n---\n\n");
    let report = site.build_ok();
    let found = positioned(&report);
    let seen: Vec<(&str, &str, Option<usize>)> = found
        .iter()
        .map(|p| (p.code.as_str(), p.file.as_deref().unwrap(), p.line))
        .collect();
    assert_eq!(
        seen,
        [
            ("empty-page", "content/pages/empty.md", None),
            ("untitled-page", "content/pages/imprint.md", Some(1)),
        ]
    );
    // The file name stands in for the missing title.
    let imprint = site.page("imprint/index.html");
    assert!(imprint.contains("<h1>imprint</h1>"), "{imprint}");
    assert!(nav(&site.page("index.html")).contains(&"/crisis/imprint/".to_string()));

    // strict makes them errors.
    let strict = chronicle::build(&BuildOptions {
        root: site.root().to_path_buf(),
        overrides: Overrides {
            strict: true,
            ..Overrides::default()
        },
        ..Default::default()
    });
    assert!(!strict.succeeded());
}

#[test]
fn front_matter_of_a_page_is_read_like_an_articles() {
    let site = Site::fixture();
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\norder: 2\n---\nText.\n",
    );
    let report = site.build_ok();
    let found = positioned(&report);
    assert_eq!(codes(&report.diagnostics), ["unknown-field"]);
    assert_eq!(found[0].line, Some(3));
    assert_eq!(found[0].message, "unknown field `order` is ignored");

    site.write(
        "content/pages/about.md",
        "---\ntitle: About\nweight: first\n---\nText.\n",
    );
    let report = site.build();
    assert!(!report.succeeded());
    assert_eq!(codes(&report.diagnostics), ["invalid-yaml"]);
    let found = positioned(&report);
    assert_eq!(found[0].file.as_deref(), Some("content/pages/about.md"));
    assert_eq!(found[0].line, Some(3));
}

#[test]
fn files_in_content_pages_that_are_no_pages_are_warned_of_and_left_out() {
    let site = with_pages();
    site.write(
        "content/pages/team/alice.md",
        "---\ntitle: Alice\n---\nHi.\n",
    );
    site.write("content/pages/notes.txt", "not a page\n");
    site.write("content/pages/.about.md.swp", "editor's\n");
    let report = site.build_ok();
    let found = positioned(&report);
    let seen: Vec<(&str, &str)> = found
        .iter()
        .map(|p| (p.code.as_str(), p.file.as_deref().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [
            ("not-a-page", "content/pages/notes.txt"),
            ("not-a-page", "content/pages/team/alice.md"),
        ]
    );
    assert!(!site.output().join("team").exists());
    assert!(!site.output().join("notes").exists());
}

#[test]
fn a_pages_title_and_text_are_escaped_like_any_editors_markdown() {
    let site = Site::fixture();
    site.write(
        "content/pages/x.md",
        "---\ntitle: \"<script>alert(1)</script>\"\n---\n<script>alert(2)</script> [link](javascript:alert(3))\n",
    );
    site.build_ok();
    for rel in ["x/index.html", "index.html"] {
        let html = site.page(rel);
        assert!(!html.contains("<script>alert"), "{rel}: {html}");
        assert!(!html.contains("href=\"javascript:"), "{rel}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{rel}"
        );
    }
}

#[test]
fn a_theme_without_page_html_builds_a_site_without_pages_only() {
    let site = Site::fixture();
    fs::remove_file(site.root().join("themes/default/templates/page.html")).unwrap();
    site.build_ok();
    site.write("content/pages/about.md", ABOUT);
    let report = site.build();
    assert!(!report.succeeded());
    assert_eq!(codes(&report.diagnostics), ["missing-template"]);
    assert!(
        report.diagnostics.items()[0]
            .message
            .contains("no page.html, which the page content/pages/about.md needs"),
        "{:?}",
        report.diagnostics.items()[0].message
    );
}

#[test]
fn an_edited_page_is_served_after_a_full_rebuild() {
    let site = with_pages();
    let root = site.root();
    let mut builder = Builder::new(root, "http://127.0.0.1:1111/", false);
    assert!(builder.rebuild(&[]).built.is_some());
    site.write(
        "content/pages/about.md",
        &ABOUT.replace("nav_title: About", "nav_title: Who we are"),
    );
    let outcome = builder.rebuild(&[root.join("content/pages/about.md")]);
    assert_eq!(outcome.kind, RebuildKind::Full);
    let built = outcome.built.expect("the rebuild succeeds");
    for rel in ["days/2022-01-26/index.html", "about/index.html"] {
        let Lookup::Found(page) = built.get(rel) else {
            panic!("no {rel}");
        };
        let page = String::from_utf8_lossy(&page);
        assert!(page.contains(">Who we are</a>"), "{rel}");
    }
}

#[test]
fn a_page_html_edit_in_serve_renders_only_the_pages_again() {
    let site = with_pages();
    let root = site.root();
    let mut builder = Builder::new(root, "http://127.0.0.1:1111/", false);
    assert!(builder.rebuild(&[]).built.is_some());
    let template = "themes/default/templates/page.html";
    let text = fs::read_to_string(root.join(template)).unwrap();
    site.write(template, &text.replacen("<h1>", "<p>marker-p4</p><h1>", 1));
    let outcome = builder.rebuild(&[root.join(template)]);
    assert_eq!(outcome.kind, RebuildKind::Templates { stale: 2 });
    let built = outcome.built.expect("the rebuild succeeds");
    let Lookup::Found(page) = built.get("method/index.html") else {
        panic!("no method page");
    };
    assert!(String::from_utf8_lossy(&page).contains("marker-p4"));
}

// ------------------------------------------------------------ digests

const SCRIPT: &str = "<script type=\"application/ld+json\">";

fn jsonld(html: &str) -> Value {
    serde_json::from_str(between(html, SCRIPT, "</script>")).unwrap()
}

/// The fixture site with its wire report marked as the editors' digest,
/// collected from a URL, with a byline.
fn with_digest(site_toml: &str) -> Site {
    let site = Site::fixture_with(site_toml);
    let sidecar = "content/articles/2022/01/wire-moscow.yaml";
    let text = common::fixture_text(sidecar);
    let marked = text.replacen(
        "published: 2022-01-27\n",
        "published: 2022-01-27\ndigest: true\nurl: https://news.example.com/moscow\nauthor: A. Writer\n",
        1,
    );
    assert_ne!(text, marked);
    site.write(sidecar, &marked);
    site
}

#[test]
fn a_digests_page_says_it_is_the_editors_digest_of_the_outlets_report() {
    let site = with_digest(&format!("{SITE_TOML}publisher = \"Test desk\"\n"));
    let report = site.build_ok();
    assert!(
        report.diagnostics.items().is_empty(),
        "{:?}",
        common::messages(&report)
    );
    let page = site.page("articles/wire-moscow/index.html");
    let note = between(&page, "<p class=\"digest-note\">", "</p>");
    assert_eq!(
        note,
        "The editors’ digest of a report by Example Agency, published \
         <time datetime=\"2022-01-27\">Thursday 27 January 2022</time>: \
         a summary in the editors’ own words, not the outlet’s text."
    );
    // An article that is not a digest says nothing of the kind.
    let live = site.page("articles/live-0126/index.html");
    assert!(!live.contains("digest-note"));
}

#[test]
fn a_digests_json_ld_names_the_site_as_publisher_and_rests_on_the_report() {
    let site = with_digest(&format!("{SITE_TOML}publisher = \"Test desk\"\n"));
    site.build_ok();
    let ld = jsonld(&site.page("articles/wire-moscow/index.html"));
    assert_eq!(
        ld["publisher"],
        serde_json::json!({"@type": "Organization", "name": "Test desk"})
    );
    for absent in ["author", "sameAs", "datePublished"] {
        assert!(ld.get(absent).is_none(), "{absent} in {ld}");
    }
    assert_eq!(
        ld["isBasedOn"],
        serde_json::json!({
            "@type": "NewsArticle",
            "publisher": {"@type": "Organization", "name": "Example Agency"},
            "author": {"@type": "Person", "name": "A. Writer"},
            "datePublished": "2022-01-27",
            "url": "https://news.example.com/moscow",
        })
    );
    // The outlet is named only as the report's publisher.
    let text = ld.to_string();
    assert_eq!(text.matches("Example Agency").count(), 1, "{text}");

    // Not a digest: the outlet publishes it, as before.
    let live = jsonld(&site.page("articles/live-0126/index.html"));
    assert_eq!(live["publisher"]["name"], "Example Wire");
    assert!(live.get("isBasedOn").is_none());
}

#[test]
fn without_a_publisher_a_digest_names_none() {
    let site = with_digest(SITE_TOML);
    site.build_ok();
    let ld = jsonld(&site.page("articles/wire-moscow/index.html"));
    assert!(ld.get("publisher").is_none(), "{ld}");
    assert_eq!(ld["isBasedOn"]["publisher"]["name"], "Example Agency");
}

#[test]
fn a_digest_that_is_not_a_bool_is_an_error_at_its_line() {
    let site = Site::fixture();
    let sidecar = "content/articles/2022/01/wire-moscow.yaml";
    let text = common::fixture_text(sidecar);
    site.write(
        sidecar,
        &text.replacen(
            "published: 2022-01-27\n",
            "published: 2022-01-27\ndigest: maybe\n",
            1,
        ),
    );
    let report = site.build();
    assert!(!report.succeeded());
    assert_eq!(codes(&report.diagnostics), ["invalid-yaml"]);
    assert_eq!(positioned(&report)[0].line, Some(4));
}

// ------------------------------------------------------------ init

#[test]
fn inits_about_page_builds_strictly_and_is_linked_from_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    chronicle::scaffold::init(&root, false).unwrap();
    assert!(root.join(chronicle::scaffold::ABOUT_PAGE_PATH).is_file());
    let report = chronicle::build(&BuildOptions {
        root: root.clone(),
        overrides: Overrides {
            strict: true,
            ..Overrides::default()
        },
        ..Default::default()
    });
    let messages = common::messages(&report);
    assert!(report.succeeded(), "{messages:?}");
    assert!(messages.is_empty(), "{messages:?}");
    let read = |rel: &str| fs::read_to_string(root.join("public").join(rel)).unwrap();
    let about = read("about/index.html");
    assert!(about.contains("<h1>About this chronicle</h1>"));
    for words in [
        "<strong>entry</strong>",
        "<strong>thread</strong>",
        "<strong>evidence</strong>",
        "<strong>claim</strong>",
        "<strong>claimed</strong>",
        "<strong>disputed</strong>",
        "<strong>denied</strong>",
        "<strong>confirmed</strong>",
        "<strong>refuted</strong>",
        "<strong>retracted</strong>",
        "not an\nestablished fact",
        "Corrections",
    ] {
        assert!(about.contains(words), "{words} not on the About page");
    }
    assert!(nav(&read("index.html")).contains(&"/about/".to_string()));
}

// ------------------------------------------------------------ the shipped chronicle

#[test]
fn the_shipped_chronicle_explains_its_method_and_each_digest_says_it_is_one() {
    let dir = common::shipped_copy();
    let root = dir.path();
    let report = chronicle::build(&BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    });
    let messages = common::messages(&report);
    assert!(report.succeeded() && messages.is_empty(), "{messages:?}");
    let read = |rel: &str| fs::read_to_string(root.join("public").join(rel)).unwrap();
    let about = read("about/index.html");
    assert!(
        about.contains("<h2>The sources are the editors&#39; digests</h2>"),
        "{about}"
    );
    let articles: Vec<_> = fs::read_dir(root.join("public/articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(articles.len(), 9);
    for dir in articles {
        let html = fs::read_to_string(dir.join("index.html")).unwrap();
        let shown = dir.display();
        assert!(
            html.contains("<p class=\"digest-note\">The editors’ digest of a report"),
            "{shown}"
        );
        assert!(
            nav(&html).contains(&"/chronicle/about/".to_string()),
            "{shown}"
        );
        let ld = jsonld(&html);
        assert_eq!(ld["publisher"]["name"], "Chronicle editors", "{shown}");
        assert!(ld["isBasedOn"]["publisher"]["name"].is_string(), "{shown}");
    }
}

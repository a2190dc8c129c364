//! Building fixture sites: which pages exist, and what they show.

use crate::common;

use common::{between, messages, Site};

#[test]
fn every_page_is_built_and_every_internal_link_resolves() {
    let site = Site::fixture();
    let report = site.build_ok();
    assert!(
        report.diagnostics.items().is_empty(),
        "{:#?}",
        messages(&report)
    );
    for page in [
        "index.html",
        "404.html",
        "style.css",
        "days/index.html",
        "days/2022-01-26/index.html",
        "days/2022-01-27/index.html",
        "threads/index.html",
        "threads/security-guarantees/index.html",
        "threads/sanctions-threat/index.html",
        "actors/index.html",
        "actors/lavrov/index.html",
        "actors/nato/index.html",
        "topics/index.html",
        "topics/diplomacy/index.html",
        "sources/index.html",
        "articles/live-0126/index.html",
        "articles/wire-moscow/index.html",
    ] {
        assert!(site.output().join(page).is_file(), "missing {page}");
    }
    let broken = chronicle::linkcheck::check(&site.output(), "/crisis/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn links_carry_the_base_url_sub_path() {
    let site = Site::fixture();
    site.build_ok();
    let home = site.page("index.html");
    assert!(home.contains("href=\"/crisis/days/\""));
    assert!(home.contains("href=\"/crisis/style.css\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/crisis/\">"));
    for href in
        chronicle::linkcheck::attribute_values(&site.page("days/2022-01-26/index.html"), "href")
    {
        assert!(
            href.starts_with("/crisis/") || href.starts_with("https://") || href.starts_with('#'),
            "link outside the sub-path: {href}"
        );
    }
}

#[test]
fn a_late_utc_entry_lands_on_the_next_day_in_the_site_zone() {
    let site = Site::fixture();
    site.build_ok();
    let next_day = site.page("days/2022-01-27/index.html");
    assert!(next_day.contains("id=\"late-night-statement\""));
    assert!(next_day.contains("01:30 EET"), "shown in the site's zone");
    assert!(
        next_day.contains("(source: 23:30 UTC)"),
        "and in the source's"
    );
    assert!(!site
        .page("days/2022-01-26/index.html")
        .contains("id=\"late-night-statement\""));
}

#[test]
fn a_day_reads_as_one_chronology_and_by_thread() {
    let site = Site::fixture();
    site.build_ok();
    let page = site.page("days/2022-01-26/index.html");
    // The page's content (the head's JSON-LD lists the entries too).
    let day = between(&page, "<main", "</main>");
    // One chronology: the date-only entry first, then 12:00 and 18:04 in
    // time order, whatever their threads; each card names its thread.
    let chronology = between(day, "id=\"chronology-heading\"", "</section>");
    let all_day = chronology.find("Talks continue all day").unwrap();
    let noon = chronology.find("Washington warns of sanctions").unwrap();
    let evening = chronology.find("US delivers written reply").unwrap();
    assert!(all_day < noon && noon < evening, "{chronology}");
    let card = between(chronology, "id=\"us-written-response\"", "</article>");
    assert!(
        card.contains(
            "<span class=\"entry-threads\"><a href=\"/crisis/threads/security-guarantees/\">"
        ),
        "{card}"
    );
    // Compact: the detail opens on request.
    assert!(card.contains("<details class=\"entry-more\">"), "{card}");
    // The thread is named once, in the card's first line, not again in
    // its detail.
    assert_eq!(
        card.matches("/crisis/threads/security-guarantees/").count(),
        1,
        "{card}"
    );
    assert!(!card.contains("<dt>Thread</dt>"), "{card}");
    assert!(card.contains("<dt>Actors</dt>"), "{card}");
    // The day by thread: groups in order of their first entry, each
    // listing its entries in time order, linked to their cards.
    let by_thread = between(day, "id=\"by-thread-heading\"", "</section>\n</section>");
    let sanctions = by_thread
        .find("<h3 id=\"group-1\"><a href=\"/crisis/threads/sanctions-threat/\">")
        .expect("sanctions first");
    let guarantees = by_thread
        .find("<h3 id=\"group-2\"><a href=\"/crisis/threads/security-guarantees/\">")
        .expect("guarantees second");
    assert!(sanctions < guarantees);
    assert!(by_thread.contains("<a href=\"#us-written-response\">US delivers written reply"));
    // At a glance: the threads with their counts, linked to their groups.
    let glance = between(day, "id=\"glance-heading\"", "</aside>");
    assert!(glance.contains("in 2 threads"), "{glance}");
    assert!(glance.contains("<a href=\"#group-1\">"), "{glance}");
    // A date without a time is shown without one, never as "All day".
    assert!(!day.contains("All day"), "{day}");
    assert!(day.contains(
        "<time datetime=\"2022-01-26T14:00:00+02:00\" title=\"Europe/Kyiv time\">14:00 EET</time>"
    ));
    // Neighbouring days are linked at the top and the bottom, the top
    // link as the page's rel="next".
    assert_eq!(day.matches("href=\"/crisis/days/2022-01-27/\">").count(), 2);
    assert_eq!(
        day.matches("rel=\"next\" href=\"/crisis/days/2022-01-27/\"")
            .count(),
        1
    );
}

#[test]
fn evidence_is_marked_in_the_article_and_linked_both_ways() {
    let site = Site::fixture();
    site.build_ok();
    let article = site.page("articles/live-0126/index.html");
    // The passage spans Markdown emphasis, and is still marked.
    assert!(article.contains("<strong><mark class=\"passage\" id=\"ev-us-written-response-1\">delivered a written response</mark>"), "{article}");
    assert!(article.contains("href=\"/crisis/days/2022-01-26/#us-written-response\""));
    // prefix picked the first of two "opens the door".
    let first = article
        .find("opens the door")
        .unwrap_or_else(|| panic!("{article}"));
    let marked = article
        .find("id=\"ev-us-written-response-2\">opens the door</mark>")
        .unwrap();
    assert!(
        marked < first && first - marked < 60,
        "the first occurrence is marked"
    );
    assert_eq!(article.matches(">opens the door</mark>").count(), 1);
    // The quote is marked as a quote.
    assert!(article.contains("<mark class=\"passage quote\""));
    // The entry links to its passages on the article page.
    let day = site.page("days/2022-01-26/index.html");
    assert!(day.contains("href=\"/crisis/articles/live-0126/#ev-us-written-response-1\""));
}

#[test]
fn same_as_lists_every_source_on_the_entry() {
    let site = Site::fixture();
    site.build_ok();
    let day = site.page("days/2022-01-26/index.html");
    let card = between(&day, "id=\"us-written-response\"", "</article>");
    assert!(card.contains("Reported by 2 sources"));
    assert!(card.contains("Example Wire, 26 January 2022"));
    assert!(card.contains("Example Agency, 27 January 2022"));
    assert!(card.contains("/crisis/articles/wire-moscow/#ev-us-written-response-1"));
    let wire = site.page("articles/wire-moscow/index.html");
    assert!(wire.contains(
        "id=\"ev-us-written-response-1\">The reply was delivered by the US ambassador</mark>"
    ));
}

#[test]
fn actor_pages_cross_link_entries_quotes_and_companions() {
    let site = Site::fixture();
    site.build_ok();
    let lavrov = site.page("actors/lavrov/index.html");
    assert!(lavrov.contains("<h1>Sergey Lavrov</h1>"));
    assert!(
        lavrov.contains("href=\"/crisis/actors/russia/\">Russia</a>"),
        "affiliation linked"
    );
    assert!(lavrov.contains("Also written: Sergei Lavrov, Lavrov, Mr Lavrov"));
    assert!(lavrov.contains("<em>chief</em>"), "description is Markdown");
    // Aliases in entries resolve: "Mr Lavrov" and "Sergei Lavrov".
    assert!(lavrov.contains("Moscow issues a late statement"));
    assert!(lavrov.contains("Lavrov sees little room for optimism"));
    // The quote is set in its sentence and links to its passage in the source.
    assert!(lavrov.contains("<strong>left little room for optimism</strong>"));
    assert!(lavrov.contains("href=\"/crisis/articles/wire-moscow/#q-lavrov-little-optimism-1\""));
    let blinken = site.page("actors/blinken/index.html");
    let beside = between(&blinken, "Seen beside", "</ul>");
    assert!(
        beside.contains("United States</a> <span class=\"count\">1</span>"),
        "{beside}"
    );
    let russia = site.page("actors/russia/index.html");
    assert!(russia.contains("Affiliated: <a href=\"/crisis/actors/lavrov/\">Sergey Lavrov</a>"));
}

#[test]
fn thread_and_topic_pages_show_their_entries_by_day() {
    let site = Site::fixture();
    site.build_ok();
    let thread = site.page("threads/security-guarantees/index.html");
    assert!(
        thread.contains("<strong>written</strong>"),
        "summary is Markdown"
    );
    assert!(thread.contains("href=\"/crisis/topics/diplomacy/\">Diplomacy</a>"));
    let d26 = thread.find("id=\"d-2022-01-26\"").unwrap();
    let d27 = thread.find("id=\"d-2022-01-27\"").unwrap();
    assert!(d26 < d27);
    assert!(thread[d27..].contains("Moscow issues a late statement"));
    // Each entry briefly: its time, headline and summary, the headline
    // linked to its whole card on its day's page; the card's detail
    // (actors, sources, evidence) is not repeated here.
    let brief = thread[d26..]
        .split("</article>")
        .find(|card| card.contains("US delivers written reply"))
        .unwrap_or_else(|| panic!("{thread}"));
    assert!(
        brief.contains("<article class=\"entry entry-brief\">"),
        "{brief}"
    );
    assert!(
        brief.contains(
            "<a href=\"/crisis/days/2022-01-26/#us-written-response\">US delivers written reply"
        ),
        "{brief}"
    );
    assert!(
        brief.contains("<div class=\"entry-summary\"><p>The US ambassador handed"),
        "{brief}"
    );
    let main = between(&thread, "<main", "</main>");
    for detail in [
        "entry-tags",
        "entry-sources",
        "/crisis/articles/",
        "<details",
    ] {
        assert!(!main.contains(detail), "{detail} on the thread page");
    }
    let actors = between(&thread, "Actors involved", "</ul>");
    assert!(
        actors.contains("Sergey Lavrov</a> <span class=\"count\">2</span>"),
        "{actors}"
    );
    let topic = site.page("topics/sanctions/index.html");
    assert!(topic.contains("Washington warns of sanctions"));
    assert!(between(&topic, "<h2>Threads</h2>", "</ul>").contains("The threat of sanctions"));
}

#[test]
fn indexes_list_what_they_index() {
    let site = Site::fixture();
    site.build_ok();
    let actors = site.page("actors/index.html");
    let people = actors.find("id=\"kind-person\"").unwrap();
    let states = actors.find("id=\"kind-state\"").unwrap();
    assert!(people < states);
    assert!(actors[people..states].contains("Antony Blinken"));
    assert!(actors[states..].contains("United States"));
    let sources = site.page("sources/index.html");
    assert!(sources.contains("<h2 id=\"outlet-1\">Example Agency</h2>"));
    assert!(sources.contains("<h2 id=\"outlet-2\">Example Wire</h2>"));
    let home = site.page("index.html");
    assert!(home.contains("From 26 January 2022 to 27 January 2022: 5 entries on 2 days"));
    let days = site.page("days/index.html");
    assert!(days.contains("<h2 id=\"month-1\">January 2022</h2>"));
}

#[test]
fn a_site_template_overrides_the_themes_by_name() {
    let site = Site::fixture();
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}");
    site.build_ok();
    assert!(site.page("404.html").contains("Custom lost page"));
    assert!(
        site.page("404.html").contains("Test chronicle"),
        "still extends the theme's base"
    );
}

#[test]
fn static_files_are_copied_and_the_sites_win_over_the_themes() {
    let site = Site::fixture();
    site.write("static/style.css", "/* site */");
    site.write("static/img/map.svg", "<svg/>");
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(site.output().join("style.css")).unwrap(),
        "/* site */"
    );
    assert!(site.output().join("img/map.svg").is_file());
}

#[test]
fn unknown_names_warn_with_the_nearest_and_fail_under_strict() {
    let site = Site::fixture();
    site.write(
        "content/articles/extra.md",
        "---\ntitle: Extra\nsource: X\nentries:\n  - at: 2022-01-28\n    headline: Something\n    actors: [Lavrv]\n---\nText.\n",
    );
    let report = site.build_ok();
    let all = messages(&report);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0].starts_with(
            "content/articles/extra.md:7:14: warning[unknown-actor]: unknown actor `Lavrv`"
        ),
        "{}",
        all[0]
    );
    assert!(
        report.diagnostics.items()[0].hints[0]
            .to_lowercase()
            .contains("`lavrov`"),
        "{:?}",
        report.diagnostics.items()[0].hints
    );

    site.write(
        "site.toml",
        &common::SITE_TOML.replace("strict = false", "strict = true"),
    );
    let report = site.build();
    assert!(!report.succeeded());
    assert!(messages(&report)[0].contains("error[unknown-actor]"));
}

#[test]
fn evidence_not_in_the_text_names_the_nearest_passage() {
    let site = Site::fixture();
    site.write(
        "content/articles/extra.md",
        "---\ntitle: Extra\nsource: X\nentries:\n  - at: 2022-01-28\n    headline: Something\n    evidence: [\"would never allow such attempts\"]\n---\nMoscow said it will not allow any attempts to do so.\n",
    );
    let report = site.build_ok();
    let d = &report.diagnostics.items()[0];
    assert_eq!(d.code, "evidence-not-found");
    assert!(
        messages(&report)[0].starts_with("content/articles/extra.md:7:16:"),
        "{}",
        messages(&report)[0]
    );
    assert!(
        d.hints
            .iter()
            .any(|h| h.contains("\"will not allow any attempts\"")),
        "{:?}",
        d.hints
    );
}

#[test]
fn duplicate_ids_name_both_places() {
    let site = Site::fixture();
    site.write(
        "content/articles/extra.md",
        "---\ntitle: Extra\nsource: X\nentries:\n  - id: us-written-response\n    at: 2022-01-28\n    headline: Again\n---\nText.\n",
    );
    let report = site.build();
    assert!(!report.succeeded());
    let d = &report.diagnostics.items()[0];
    assert_eq!(d.code, "duplicate-id");
    let first = &d.related[0].0;
    assert_eq!(
        report.files.get(first.file).path.to_string_lossy(),
        "content/articles/2022/01/live-0126.md"
    );
    assert!(
        messages(&report)[0].starts_with("content/articles/extra.md:5:9: error[duplicate-id]"),
        "{:?}",
        messages(&report)
    );
}

#[test]
fn derived_ids_are_stable_and_anchor_the_entry() {
    let site = Site::fixture();
    site.build_ok();
    let day = site.page("days/2022-01-26/index.html");
    assert!(day.contains("id=\"2022-01-26-talks-continue-all-day\""));
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = Site::fixture();
    site.build_ok();
    let before = std::fs::read(site.output().join("index.html")).unwrap();
    site.write("content/threads.yaml", "security-guarantees: [unclosed\n");
    let report = site.build();
    assert!(!report.succeeded());
    assert!(
        messages(&report)[0].starts_with("content/threads.yaml:"),
        "{:?}",
        messages(&report)
    );
    assert_eq!(
        std::fs::read(site.output().join("index.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(".chronicle")),
        "{leftovers:?}"
    );
}

#[test]
fn all_problems_are_reported_together() {
    let site = Site::fixture();
    site.write(
        "content/articles/a.md",
        "---\ntitle: A\nsource: X\nentries:\n  - at: 2022-02-30\n    headline: Bad date\n  - headline: No at\n---\nText.\n",
    );
    site.write("content/articles/b.txt", "Text.\n");
    site.write(
        "content/articles/b.yaml",
        "title: B\nsource: Y\nentries:\n  - same_as: no-such-entry\n",
    );
    let report = site.build();
    let all = messages(&report);
    let codes: Vec<&str> = report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert!(codes.contains(&"impossible-date"), "{all:#?}");
    assert!(codes.contains(&"missing-field"), "{all:#?}");
    assert!(codes.contains(&"unknown-entry"), "{all:#?}");
    // Sorted by file, then line.
    assert!(all[0].starts_with("content/articles/a.md:5:"), "{all:#?}");
    assert!(all
        .iter()
        .any(|m| m.contains("month 2 of 2022 has no day 30")));
}

#[test]
fn html_in_fields_is_escaped() {
    let site = Site::fixture();
    site.write(
        "content/articles/x.md",
        "---\ntitle: \"<script>alert(1)</script>\"\nsource: \"<b>Outlet</b>\"\nentries:\n  - at: 2022-01-28\n    headline: \"<img src=x onerror=alert(1)>\"\n    summary: \"*fine* <script>bad()</script>\"\n    place: \"<i>here</i>\"\n---\nBody <script>evil()</script>\n",
    );
    site.build_ok();
    for page in [
        "articles/x/index.html",
        "days/2022-01-28/index.html",
        "sources/index.html",
    ] {
        let html = site.page(page);
        assert!(!html.contains("<script>"), "{page} has raw script");
        assert!(!html.contains("<img src=x"), "{page} has raw img");
        assert!(!html.contains("<b>Outlet"), "{page} has raw b");
    }
    assert!(site
        .page("days/2022-01-28/index.html")
        .contains("<em>fine</em>"));
}

#[test]
fn an_id_wins_over_another_actors_alias_and_the_clash_is_shown_at_the_alias() {
    let site = Site::fixture();
    let actors = std::fs::read_to_string(site.root().join("content/actors.yaml")).unwrap();
    // `usa` lists "nato" as an alias, clashing with the actor whose id is nato.
    site.write(
        "content/actors.yaml",
        &actors.replace(
            "aliases: [US, Washington]",
            "aliases: [US, Washington, nato]",
        ),
    );
    site.write(
        "content/articles/extra.md",
        "---\ntitle: Extra\nsource: X\nentries:\n  - at: 2022-01-28\n    headline: Alliance meets\n    actors: [NATO]\n---\nText.\n",
    );
    let report = site.build_ok();
    let all = messages(&report);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0].starts_with("content/actors.yaml:19:29: warning[ambiguous-name]"),
        "{}",
        all[0]
    );
    assert!(site
        .page("actors/nato/index.html")
        .contains("Alliance meets"));
    assert!(!site
        .page("actors/usa/index.html")
        .contains("Alliance meets"));
}

#[test]
fn a_template_using_an_undefined_variable_fails_with_the_template_named() {
    let site = Site::fixture();
    site.build_ok();
    let before = std::fs::read(site.output().join("index.html")).unwrap();
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}{{ page.no_such_thing.deeper }}{% endblock content %}");
    let report = site.build();
    assert!(!report.succeeded());
    let d = &report.diagnostics.items()[0];
    assert_eq!(d.code, "template-error");
    assert!(d.message.contains("404.html"), "{}", d.message);
    // One line, saying where: not Tera's framed report.
    assert!(!d.message.contains('\n'), "{}", d.message);
    assert!(d.message.contains("(at 404.html:1:"), "{}", d.message);
    assert_eq!(
        std::fs::read(site.output().join("index.html")).unwrap(),
        before
    );
}

#[test]
fn pages_lose_the_templates_indentation_but_not_pre_and_errors_keep_its_columns() {
    let site = Site::fixture();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}\n<div>\n    <p>Lost</p>\n  <pre>\n    kept  \n  </pre>\n</div>\n{% endblock content %}",
    );
    site.build_ok();
    let page = site.page("404.html");
    assert!(
        page.contains("<div>\n<p>Lost</p>\n<pre>\n    kept  \n  </pre>\n</div>"),
        "{page}"
    );
    // Nothing of the theme's own indentation reaches any page.
    for rel in [
        "index.html",
        "days/2022-01-26/index.html",
        "articles/live-0126/index.html",
    ] {
        let html = site.page(rel);
        let indented = html.lines().find(|l| l.starts_with("  "));
        assert_eq!(indented, None, "{rel}");
    }
    // An error on an indented line is reported at the column as written.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}\n<div>\n      {{ page.no_such_thing.deeper }}\n</div>\n{% endblock content %}",
    );
    let report = site.build();
    let d = &report.diagnostics.items()[0];
    // `no_such_thing` begins at column 15 of line 3, after six spaces.
    assert!(d.message.contains("(at 404.html:3:15)"), "{}", d.message);
}

#[test]
fn a_long_day_is_paginated_and_every_link_to_its_entries_follows() {
    let site = Site::fixture_with(&format!("{}day_paginate_by = 2\n", common::SITE_TOML));
    site.build_ok();
    // 26 January has three entries: two on its page, the last on page 2.
    let first = site.page("days/2022-01-26/index.html");
    let second = site.page("days/2022-01-26/page/2/index.html");
    assert!(
        first.contains("id=\"2022-01-26-talks-continue-all-day\""),
        "{first}"
    );
    assert!(!first.contains("id=\"us-written-response\""));
    assert!(second.contains("id=\"us-written-response\""), "{second}");
    assert!(first.contains("rel=\"next\" href=\"/crisis/days/2022-01-26/page/2/\""));
    assert!(second.contains("rel=\"prev\" href=\"/crisis/days/2022-01-26/\""));
    // One "prev" and one "next" a page: a split day's are its pages', not
    // the neighbouring days'.
    for page in [&first, &second] {
        assert!(page.matches("rel=\"prev\"").count() <= 1, "{page}");
        assert!(page.matches("rel=\"next\"").count() <= 1, "{page}");
    }
    assert_eq!(second.matches("rel=\"next\"").count(), 0, "the last page");
    let whole = site.page("days/2022-01-27/index.html");
    assert_eq!(whole.matches("rel=\"prev\"").count(), 1, "{whole}");
    assert!(
        second.contains("<title>Wednesday 26 January 2022 (page 2 of 2) · "),
        "{second}"
    );
    // The whole day's count, and this page's threads.
    assert!(second.contains("3 entries</span></h2>"), "{second}");
    assert!(
        second.contains("On this page: 1 entry in 1 thread"),
        "{second}"
    );
    // Its JSON-LD numbers on from the first page.
    let jsonld = between(
        &second,
        "<script type=\"application/ld+json\">",
        "</script>",
    );
    assert!(jsonld.contains("\"position\":3"), "{jsonld}");
    assert!(
        jsonld.contains("days/2022-01-26/page/2/#us-written-response"),
        "{jsonld}"
    );
    // Every link to the entry leads to its page: the article's, the feed's,
    // the thread's, the export's.
    let on_page_2 = "/crisis/days/2022-01-26/page/2/#us-written-response";
    assert!(site
        .page("articles/live-0126/index.html")
        .contains(on_page_2));
    assert!(site
        .page("threads/security-guarantees/index.html")
        .contains(on_page_2));
    assert!(site
        .page("feed.xml")
        .contains("days/2022-01-26/page/2/#us-written-response"));
    assert!(site.page("chronicle.json").contains(on_page_2));
    // The search index knows the size of a day's pages.
    assert!(site.page("search/index.js").contains("\"day_page\":2"));
    let broken = chronicle::linkcheck::check(&site.output(), "/crisis/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    // By default a day is one page.
    let plain = Site::fixture();
    plain.build_ok();
    assert!(!plain.output().join("days/2022-01-26/page").exists());
}

#[test]
fn long_lists_are_paginated_with_links_between_pages() {
    let site = Site::fixture();
    site.write(
        "site.toml",
        &format!("{}paginate_by = 2\n", common::SITE_TOML),
    );
    site.build_ok();
    // security-guarantees has 3 entries: pages of 2 and 1.
    let first = site.page("threads/security-guarantees/index.html");
    let second = site.page("threads/security-guarantees/page/2/index.html");
    assert!(first.contains("rel=\"next\" href=\"/crisis/threads/security-guarantees/page/2/\""));
    assert!(second.contains("rel=\"prev\" href=\"/crisis/threads/security-guarantees/\""));
    assert!(second.contains("<title>Russia&#39;s demands for security guarantees (page 2 of 2) · Test chronicle</title>"), "{second}");
    assert!(
        first.contains("US delivers written reply")
            && !second.contains("US delivers written reply")
    );
    assert!(
        second.contains("Lavrov sees little room for optimism"),
        "time order: the latest last"
    );
    // Counts in the sidebar cover the whole thread; it is on the first
    // page only, as the chart is.
    assert!(between(&first, "Actors involved", "</ul>")
        .contains("Sergey Lavrov</a> <span class=\"count\">2</span>"));
    assert!(!second.contains("Actors involved"));
    // Quotes are listed on an actor's first page only.
    let lavrov = site.page("actors/lavrov/index.html");
    assert!(lavrov.contains("In their words"));
    assert!(
        !site.output().join("actors/lavrov/page/2").exists(),
        "2 entries fit one page"
    );
    assert!(chronicle::linkcheck::check(&site.output(), "/crisis/").is_empty());
    // paginate_by = 0 puts everything on one page.
    site.write(
        "site.toml",
        &format!("{}paginate_by = 0\n", common::SITE_TOML),
    );
    site.build_ok();
    assert!(!site
        .output()
        .join("threads/security-guarantees/page")
        .exists());
}

#[test]
fn the_home_page_lists_a_few_headlines_a_day_and_links_to_the_rest() {
    let site = Site::fixture();
    let entries: String = (0..20)
        .map(|i| {
            format!(
                "  - at: \"2022-01-30 {:02}:00\"\n    headline: Busy hour {i}\n",
                i + 1
            )
        })
        .collect();
    site.write(
        "content/articles/busy.md",
        &format!("---\ntitle: Busy\nsource: X\nentries:\n{entries}---\nText.\n"),
    );
    site.build_ok();
    let home = site.page("index.html");
    let busy = between(&home, "Sunday 30 January 2022", "</section>");
    assert_eq!(busy.matches("Busy hour").count(), 15, "{busy}");
    assert!(busy.contains("<a href=\"/crisis/days/2022-01-30/\">5 more on this day</a>"));
    let day = site.page("days/2022-01-30/index.html");
    assert_eq!(
        between(&day, "<main", "</main>")
            .matches("Busy hour")
            .count(),
        20
    );
}

#[test]
fn a_long_pager_links_the_first_and_last_pages_and_the_neighbours_only() {
    let site = Site::fixture();
    site.write(
        "site.toml",
        &format!("{}paginate_by = 1\n", common::SITE_TOML),
    );
    let entries: String = (0..20)
        .map(|i| {
            format!(
                "  - at: \"2022-01-30 {:02}:00\"\n    headline: Step {i}\n    thread: Russia's demands for security guarantees\n",
                i + 1
            )
        })
        .collect();
    site.write(
        "content/articles/steps.md",
        &format!("---\ntitle: Steps\nsource: X\nentries:\n{entries}---\nText.\n"),
    );
    site.build_ok();
    let base = "/crisis/threads/security-guarantees/";
    let pager = |n: usize| {
        let path = if n == 1 {
            "threads/security-guarantees/index.html".to_string()
        } else {
            format!("threads/security-guarantees/page/{n}/index.html")
        };
        between(&site.page(&path), "aria-label=\"Pages\"", "</nav>").to_string()
    };
    // 4 entries in the fixture and 20 here: 24 pages.
    let first = pager(1);
    assert!(
        first.contains(&format!("<a href=\"{base}page/3/\">3</a>")),
        "{first}"
    );
    assert!(!first.contains(&format!("{base}page/4/")), "{first}");
    assert!(
        first.contains(&format!("<a href=\"{base}page/24/\">24</a>")),
        "{first}"
    );
    assert_eq!(first.matches("class=\"gap\"").count(), 1);
    let middle = pager(12);
    for n in [10, 11, 13, 14, 24] {
        assert!(
            middle.contains(&format!("<a href=\"{base}page/{n}/\">{n}</a>")),
            "{n}: {middle}"
        );
    }
    assert!(middle.contains(&format!("href=\"{base}page/12/\" aria-current=\"page\"")));
    assert!(!middle.contains(&format!("{base}page/9/\">")), "{middle}");
    assert_eq!(middle.matches("class=\"gap\"").count(), 2);
    assert!(chronicle::linkcheck::check(&site.output(), "/crisis/").is_empty());
}

#[test]
fn an_import_table_in_site_toml_does_not_stop_the_build() {
    let site = Site::fixture();
    site.write(
        "site.toml",
        &format!("{}\n[import]\ndisable = [\"copyright\"]\n[[import.rules]]\nname = \"promo\"\npattern = \"^PROMO\"\n", common::SITE_TOML),
    );
    let report = site.build_ok();
    assert!(
        report.diagnostics.items().is_empty(),
        "{:?}",
        messages(&report)
    );
}

#[test]
fn entry_cards_come_from_the_themes_component_and_lists_use_compact_items() {
    let site = Site::fixture();
    let components =
        std::fs::read_to_string(common::repo().join("themes/default/templates/components.html"))
            .unwrap();
    site.write(
        "templates/components.html",
        &components.replace(
            "<h{{ level }} class=\"entry-headline\">",
            "<p class=\"custom\">Custom card</p><h{{ level }} class=\"entry-headline\">",
        ),
    );
    site.build_ok();
    let day = site.page("days/2022-01-26/index.html");
    assert_eq!(
        day.matches("Custom card").count(),
        3,
        "every card on the day page"
    );
    assert!(site
        .page("threads/security-guarantees/index.html")
        .contains("Custom card"));
    let lavrov = site.page("actors/lavrov/index.html");
    assert!(
        !lavrov.contains("Custom card"),
        "actor pages list entries compactly"
    );
    assert!(lavrov.contains("<li><time datetime=\"2022-01-27T01:30:00+02:00\">01:30 EET</time> <a href=\"/crisis/days/2022-01-27/#late-night-statement\">Moscow issues a late statement</a>"), "{lavrov}");
}

/// The diagnostics of a build of `site`, positioned.
fn positioned_of(site: &Site) -> Vec<chronicle::diagnostics::Positioned> {
    let report = site.build();
    common::positioned(&report)
}

#[test]
fn times_of_day_without_a_published_date_are_one_error_for_the_article() {
    let site = Site::fixture();
    let entries: String = (0..5)
        .map(|i| format!("  - at: \"1{i}:00\"\n    headline: Update {i}\n"))
        .collect();
    site.write(
        "content/articles/2022/01/live-no-date.md",
        &format!("---\ntitle: A live page\nsource: Wire\nentries:\n{entries}---\nText.\n"),
    );
    let found: Vec<_> = positioned_of(&site)
        .into_iter()
        .filter(|d| d.file.as_deref() == Some("content/articles/2022/01/live-no-date.md"))
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "missing-field");
    assert!(
        found[0]
            .message
            .starts_with("5 entries give only a time of day (`10:00`, `11:00`, `12:00`, ...)"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].line, Some(5), "the first of them");
}

#[test]
fn a_missing_source_is_shown_where_it_would_be_added() {
    let site = Site::fixture();
    site.write(
        "content/articles/2022/01/no-source.md",
        "---\ntitle: No outlet\npublished: 2022-01-05\nentries:\n  - at: 2022-01-05\n    headline: Something\n---\nText.\n",
    );
    let d = positioned_of(&site)
        .into_iter()
        .find(|d| d.message.contains("`source`"))
        .expect("reported");
    assert_eq!(
        d.file.as_deref(),
        Some("content/articles/2022/01/no-source.md")
    );
    assert_ne!(d.line, Some(2), "not on the title's line: {d}");
}

#[test]
fn a_passage_found_but_not_after_its_prefix_says_so() {
    let site = Site::fixture();
    site.write(
        "content/articles/2022/01/prefix.md",
        "---\ntitle: Context\nsource: Wire\npublished: 2022-01-05\nentries:\n  - at: 2022-01-05\n    headline: Door\n    evidence:\n      - exact: \"opens the door\"\n        prefix: \"claimed that it\"\n---\nThe minister said that it opens the door to talks.\n",
    );
    let d = positioned_of(&site)
        .into_iter()
        .find(|d| d.file.as_deref() == Some("content/articles/2022/01/prefix.md"))
        .expect("reported");
    assert_eq!(d.code, "context-not-found", "{d}");
    assert!(
        d.hints[0].contains("\"The minister said that it\""),
        "{:?}",
        d.hints
    );
    assert!(
        !d.hints.iter().any(|h| h.contains("capital letters")),
        "{:?}",
        d.hints
    );
}

#[test]
fn the_words_of_the_pages_come_from_the_theme() {
    let site = Site::fixture();
    site.write(
        "themes/default/theme.toml",
        "[words]\ndays = \"Jours\"\nactors = \"Acteurs\"\n\
         [dates]\nlong = \"{weekday} {day} {month} {year}\"\n\
         months = [\"janvier\", \"février\", \"mars\", \"avril\", \"mai\", \"juin\", \"juillet\", \"août\", \"septembre\", \"octobre\", \"novembre\", \"décembre\"]\n\
         weekdays = [\"lundi\", \"mardi\", \"mercredi\", \"jeudi\", \"vendredi\", \"samedi\", \"dimanche\"]\n",
    );
    site.build_ok();
    assert!(
        site.page("days/index.html").contains("<title>Jours"),
        "the index's title"
    );
    assert!(site.page("actors/index.html").contains("<title>Acteurs"));
    assert!(
        site.page("threads/index.html").contains("<title>Threads"),
        "English where the theme says nothing"
    );
    assert!(site
        .page("days/2022-01-26/index.html")
        .contains("mercredi 26 janvier 2022"));

    site.write("themes/default/theme.toml", "[words]\ndayz = \"Jours\"\n");
    let report = site.build();
    assert!(!report.succeeded());
    let d = &common::positioned(&report)[0];
    assert_eq!(d.file.as_deref(), Some("themes/default/theme.toml"));
    assert!(d.message.contains("dayz"), "{d}");
}

#[test]
fn also_written_never_repeats_the_name_itself() {
    let site = Site::fixture();
    let actors = std::fs::read_to_string(site.root().join("content/actors.yaml")).unwrap();
    site.write(
        "content/actors.yaml",
        &actors.replace(
            "aliases: [Sergei Lavrov, Lavrov, Mr Lavrov]",
            "aliases: [sergey  LAVROV, Sergei Lavrov, Lavrov, Mr Lavrov]",
        ),
    );
    site.build_ok();
    let page = site.page("actors/lavrov/index.html");
    let also = between(&page, "class=\"aliases\">", "</p>");
    assert_eq!(also, "Also written: Sergei Lavrov, Lavrov, Mr Lavrov");
}

/// A progress display that records what it is told.
#[derive(Default)]
struct Recorder {
    stages: std::sync::Mutex<Vec<String>>,
    expected: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
}

impl chronicle::Progress for Recorder {
    fn stage(&self, name: &str) {
        self.stages.lock().unwrap().push(name.to_string());
    }
    fn expect_pages(&self, total: usize) {
        self.expected
            .store(total, std::sync::atomic::Ordering::SeqCst);
    }
    fn page_done(&self) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn a_build_tells_its_progress_of_every_stage_and_page() {
    use std::sync::atomic::Ordering;
    let site = Site::fixture();
    let recorder = std::sync::Arc::new(Recorder::default());
    let report = chronicle::build(&chronicle::BuildOptions {
        root: site.root().to_path_buf(),
        progress: Some(chronicle::ProgressHook(recorder.clone())),
        ..Default::default()
    });
    assert!(report.succeeded());
    assert_eq!(
        *recorder.stages.lock().unwrap(),
        [
            "load",
            "resolve",
            "templates",
            "static files",
            "render and write",
            "swap in"
        ]
    );
    // The total announced is what was rendered, page by page.
    let expected = recorder.expected.load(Ordering::SeqCst);
    assert_eq!(expected, report.stats.pages);
    assert_eq!(recorder.done.load(Ordering::SeqCst), expected);
}

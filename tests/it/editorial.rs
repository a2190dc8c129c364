//! What the editors assert (FORMAT.md): claims and their status, corrections,
//! approximate and date-only times, provenance, `same_as` inside one article
//! and passages a page repeats. The fixture is an aggregator page written
//! for these tests (tests/fixtures/editorial/).

use crate::common::{self, between, positioned, Site, SITE_TOML};

const ROUNDUP: &str = "content/articles/2022/02/roundup-0201.md";
const PUBLISHER: &str = "publisher = \"Fixture Desk\"\n";

fn roundup_text() -> String {
    std::fs::read_to_string(common::repo().join("tests/fixtures/editorial/roundup-0201.md"))
        .unwrap()
}

/// The fixture site with the round-up added, and `extra` in its site.toml.
fn site_with(extra: &str, roundup: &str) -> Site {
    let site = Site::fixture_with(&format!("{SITE_TOML}{extra}"));
    site.write(ROUNDUP, roundup);
    site
}

fn built(extra: &str) -> Site {
    let site = site_with(extra, &roundup_text());
    let report = site.build_ok();
    let mine: Vec<_> = positioned(&report)
        .into_iter()
        .filter(|p| p.file.as_deref() == Some(ROUNDUP))
        .collect();
    assert!(
        mine.is_empty(),
        "the round-up builds without a word: {mine:?}"
    );
    site
}

#[test]
fn a_claim_reads_as_a_claim_with_who_makes_and_who_disputes_it() {
    let site = built("");
    let day = site.page("days/2022-01-31/index.html");
    let card = between(&day, "id=\"troops-pulled-back\"", "</article>");
    assert!(
        card.contains("<span class=\"claim-badge status-disputed\">Disputed claim</span>"),
        "{card}"
    );
    assert!(
        card.contains("This is a claim, not an established fact: disputed."),
        "{card}"
    );
    assert!(
        card.contains("Made by <a href=\"/crisis/actors/russia/\">Russia</a>."),
        "{card}"
    );
    assert!(
        card.contains("Disputed by <a href=\"/crisis/actors/nato/\">NATO</a>, <a href=\"/crisis/actors/usa/\">United States</a>."),
        "{card}"
    );
    assert!(
        card.contains("still showed the camps <em>occupied</em>"),
        "{card}"
    );
    assert!(day.contains("class=\"entry is-claim\""));
    // The claimant and the disputers are involved: the card lists them.
    let actors = between(card, "<dt>Actors</dt>", "</dd>");
    for name in ["Sergey Lavrov", "Russia", "NATO", "United States"] {
        assert!(actors.contains(name), "{actors}");
    }

    // Actor pages: the claims made and those disputed.
    let russia = site.page("actors/russia/index.html");
    let made = between(&russia, "id=\"claims-made-heading\"", "</section>");
    assert!(made.contains("Moscow says units have returned"), "{made}");
    assert!(made.contains("claim-badge status-disputed"), "{made}");
    let nato = site.page("actors/nato/index.html");
    let disputed = between(&nato, "id=\"claims-disputed-heading\"", "</section>");
    assert!(
        disputed.contains("Moscow says units have returned"),
        "{disputed}"
    );
    assert!(!nato.contains("claims-made-heading"));

    // A confirmed claim reads as a fact: no dashed card, no "claim" badge.
    let confirmed = roundup_text().replace("status: refuted", "status: Confirmed");
    let site = site_with("", &confirmed);
    site.build_ok();
    let day = site.page("days/2022-02-01/index.html");
    let card = between(&day, "id=\"reply-delivered\"", "</article>");
    assert!(
        card.contains("status-confirmed\">Confirmed</span>"),
        "{card}"
    );
    assert!(!card.contains("Confirmed claim") && !day.contains("entry is-claim"));
}

#[test]
fn corrections_show_on_their_entry_on_a_page_of_their_own_and_in_feeds() {
    let site = built("");
    let day = site.page("days/2022-01-31/index.html");
    let card = between(&day, "id=\"troops-pulled-back\"", "</article>");
    let shown = between(card, "<aside class=\"corrections\"", "</aside>");
    let second = shown
        .find("<time datetime=\"2022-02-02\">2 February 2022</time>")
        .unwrap();
    let third = shown
        .find("<time datetime=\"2022-02-03T10:00:00+02:00\">3 February 2022</time>")
        .unwrap();
    assert!(second < third, "oldest first on the entry: {shown}");

    let page = site.page("corrections/index.html");
    let listed = between(&page, "<ol class=\"corrections-list\">", "</ol>");
    let newer = listed.find("date of the statement").unwrap();
    let older = listed.find("units were armoured").unwrap();
    assert!(newer < older, "newest first on the page: {listed}");
    assert!(listed.contains("href=\"/crisis/days/2022-01-31/#troops-pulled-back\""));
    assert!(page.contains("href=\"/crisis/corrections/feed.xml\""));
    // Every page links to it.
    assert!(site
        .page("index.html")
        .contains("href=\"/crisis/corrections/\""));

    let atom = site.page("corrections/feed.xml");
    assert_eq!(atom.matches("<entry>").count(), 2, "{atom}");
    assert!(
        atom.contains("#troops-pulled-back-correction-2</id>"),
        "{atom}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.page("corrections/feed.json")).unwrap();
    assert_eq!(
        json["items"][0]["date_published"],
        "2022-02-03T10:00:00+02:00"
    );

    // The entry's `updated` in the site's feed is its latest correction.
    let feed = site.page("feed.xml");
    let entry = between(&feed, "<title>Disputed: Moscow says units", "</entry>");
    assert!(
        entry.contains("<updated>2022-02-03T10:00:00+02:00</updated>"),
        "{entry}"
    );
    // Its own time, now earlier than `updated`, is said as well.
    assert!(entry.contains("<published>2022-01-31"), "{entry}");
    assert!(entry.contains("Corrected 3 February 2022"), "{entry}");
    let json: serde_json::Value = serde_json::from_str(&site.page("feed.json")).unwrap();
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_str().unwrap().ends_with("#troops-pulled-back"))
        .unwrap();
    assert_eq!(item["date_modified"], "2022-02-03T10:00:00+02:00");
    assert!(item["title"].as_str().unwrap().starts_with("Disputed: "));

    // The sitemap dates each page by what it shows, never by the clock.
    let sitemap = site.page("sitemap.xml");
    let day = between(&sitemap, "days/2022-01-31/</loc>", "</url>");
    assert_eq!(day, "<lastmod>2022-02-03T10:00:00+02:00</lastmod>");
    let before = site.page("sitemap.xml");
    site.build_ok();
    assert_eq!(before, site.page("sitemap.xml"), "two builds, one sitemap");
}

#[test]
fn a_site_without_corrections_still_has_the_page_saying_so() {
    let site = Site::fixture();
    site.build_ok();
    let page = site.page("corrections/index.html");
    assert!(page.contains("No entry has been corrected."));
    let atom = site.page("corrections/feed.xml");
    assert_eq!(atom.matches("<entry>").count(), 0);
}

#[test]
fn times_not_given_are_not_shown_and_approximate_ones_say_about() {
    let site = built("");
    let day = site.page("days/2022-02-01/index.html");
    let main = between(&day, "<main", "</main>");
    assert!(!main.contains("All day"), "{main}");
    let circa = between(main, "id=\"reply-delivered\"", "</article>");
    assert!(
        circa.contains(
            "<span class=\"circa\">about</span> <time datetime=\"2022-02-01T08:15:00+02:00\""
        ),
        "{circa}"
    );
    // On its day, the entry without a time comes before the timed one.
    let talks = main.find("id=\"talks-resume\"").unwrap();
    let reply = main.find("id=\"reply-delivered\"").unwrap();
    assert!(talks < reply);
    let talks_card = between(main, "id=\"talks-resume\"", "</article>");
    assert!(
        !talks_card.contains("<time datetime=\"2022-02-01T"),
        "{talks_card}"
    );

    // Reported on a later day than it happened: said so.
    let earlier = site.page("days/2022-01-31/index.html");
    let card = between(&earlier, "id=\"troops-pulled-back\"", "</article>");
    assert!(
        card.contains("reported 1 February 2022 by Harbour Wire"),
        "{card}"
    );
    let same_day = between(&day, "id=\"talks-resume\"", "</article>");
    assert!(!same_day.contains("reported "), "{same_day}");

    // `circa` on an entry with only a date: the date is approximate.
    let approximate = roundup_text().replace(
        "    at: \"2022-02-01\"\n    headline: Talks resume",
        "    at: \"2022-02-01\"\n    circa: true\n    headline: Talks resume",
    );
    let site = site_with("", &approximate);
    site.build_ok();
    let day = site.page("days/2022-02-01/index.html");
    let card = between(&day, "id=\"talks-resume\"", "</article>");
    assert!(
        card.contains("<span class=\"circa\">date approximate</span>"),
        "{card}"
    );
}

#[test]
fn same_as_inside_one_article_adds_its_passages_and_repeats_are_quiet() {
    let site = built("");
    let article = site.page("articles/roundup-0201/index.html");
    // Numbered on after the declaration's own passage: no anchor twice.
    assert_eq!(article.matches("id=\"ev-troops-pulled-back-1\"").count(), 1);
    assert_eq!(article.matches("id=\"ev-troops-pulled-back-2\"").count(), 1);
    let day = site.page("days/2022-01-31/index.html");
    let card = between(&day, "id=\"troops-pulled-back\"", "</article>");
    assert!(
        card.contains("<p class=\"label\">Source</p>"),
        "one source: {card}"
    );
    assert!(card.contains("#ev-troops-pulled-back-2\""), "{card}");
    // "talks resume" occurs twice: the first is marked, for the evidence
    // and for the quote, without a warning (built() checked there is none).
    let text = between(&article, "<div class=\"article-text", "</div>");
    let first = text.find("talks resume").unwrap();
    let marks = &text[..first];
    assert!(
        marks.ends_with('>'),
        "the first occurrence is marked: {text}"
    );
}

#[test]
fn claim_reviews_are_published_only_for_verdicts_by_a_publisher() {
    let day = |site: &Site| {
        let page = site.page("days/2022-02-01/index.html");
        let script =
            between(&page, "<script type=\"application/ld+json\">", "</script>").to_string();
        serde_json::from_str::<serde_json::Value>(&script).unwrap()
    };
    let site = built(PUBLISHER);
    let data = day(&site);
    let list = data.as_array().expect("a list with the review");
    let review = list
        .iter()
        .find(|v| v["@type"] == "ClaimReview")
        .expect("a ClaimReview");
    assert_eq!(review["@context"], "https://schema.org");
    assert_eq!(
        review["claimReviewed"],
        "Written reply handed over in the morning"
    );
    assert_eq!(review["author"]["name"], "Fixture Desk");
    assert_eq!(review["reviewRating"]["alternateName"], "Refuted");
    assert_eq!(review["reviewRating"]["ratingValue"], 1);
    assert_eq!(review["itemReviewed"]["@type"], "Claim");
    assert_eq!(review["itemReviewed"]["author"]["name"], "Sergey Lavrov");
    assert_eq!(
        review["itemReviewed"]["firstAppearance"]["url"],
        "https://wire.example.org/roundup-0201"
    );
    assert_eq!(
        review["url"],
        "https://example.org/crisis/days/2022-02-01/#reply-delivered"
    );
    // A disputed claim is no verdict: no review on its day.
    let disputed = site.page("days/2022-01-31/index.html");
    assert!(!disputed.contains("ClaimReview"));
    // Without a publisher, nobody can author the review.
    let site = built("");
    assert!(day(&site).is_object(), "only the list");
}

#[test]
fn exports_search_and_timeline_carry_the_claim_and_corrections() {
    let site = built("");
    let data: serde_json::Value = serde_json::from_str(&site.page("chronicle.json")).unwrap();
    let entry = data["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "troops-pulled-back")
        .unwrap();
    assert_eq!(entry["claim"]["status"], "disputed");
    assert_eq!(entry["claim"]["is_claim"], true);
    assert_eq!(
        entry["claim"]["disputed_by"],
        serde_json::json!(["nato", "usa"])
    );
    assert_eq!(entry["corrections"][1]["on"], "2022-02-03T10:00:00+02:00");
    // Only a date, not approximate: no time, and `circa` left out.
    assert!(entry.get("time").is_none());
    assert!(entry.get("circa").is_none());
    let article = data["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "roundup-0201")
        .unwrap();
    assert_eq!(article["retrieved"], "2022-02-01T12:05:00+02:00");
    assert_eq!(
        article["archive"],
        "https://archive.example.org/2022/roundup-0201"
    );
    assert_eq!(
        article["sha256"],
        "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"
    );
    assert!(article.get("digest").is_none());
    let plain = data["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "talks-resume")
        .unwrap();
    assert!(plain.get("claim").is_none());

    let timeline: serde_json::Value = serde_json::from_str(&site.page("timeline.json")).unwrap();
    let event = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "troops-pulled-back")
        .unwrap();
    assert!(event["text"]["headline"]
        .as_str()
        .unwrap()
        .starts_with("Disputed: "));

    // The search index's records of documents (search/d/N.js).
    let search = std::fs::read_dir(site.output().join("search/d"))
        .unwrap()
        .flatten()
        .map(|f| std::fs::read_to_string(f.path()).unwrap())
        .collect::<String>();
    assert!(search.contains("\"disputed\"]"), "{search}");
}

#[test]
fn provenance_is_shown_on_the_articles_page() {
    let site = built("");
    let page = site.page("articles/roundup-0201/index.html");
    let provenance = between(&page, "<dl class=\"provenance meta\"", "</dl>");
    assert!(provenance
        .contains("<a href=\"https://archive.example.org/2022/roundup-0201\" rel=\"nofollow\">"));
    assert!(provenance.contains(
        "<code class=\"hash\">3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b</code>"
    ));
    assert!(
        provenance.contains("<time datetime=\"2022-02-01T12:05:00+02:00\">1 February 2022</time>")
    );
}

/// The diagnostics of the round-up with `from` replaced by `to`, in the
/// round-up, as (code, line).
fn problems(from: &str, to: &str, strict: bool) -> Vec<(String, usize, bool)> {
    let text = roundup_text();
    assert!(text.contains(from), "{from}");
    let site = site_with("", &text.replacen(from, to, 1));
    let report = chronicle::build(&chronicle::BuildOptions {
        root: site.root().to_path_buf(),
        overrides: chronicle::config::Overrides {
            strict,
            ..Default::default()
        },
        ..Default::default()
    });
    positioned(&report)
        .into_iter()
        .filter(|p| p.file.as_deref() == Some(ROUNDUP))
        .map(|p| {
            (
                p.code.as_str().to_string(),
                p.line.unwrap_or(0),
                p.severity == chronicle::diagnostics::Severity::Error,
            )
        })
        .collect()
}

fn line_of(needle: &str) -> usize {
    let text = roundup_text();
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn wrong_values_are_reported_where_they_are_written() {
    assert_eq!(
        problems("status: disputed", "status: disproved", false),
        [(
            "unknown-status".to_string(),
            line_of("status: disputed"),
            true
        )]
    );
    assert_eq!(
        problems(
            "disputed_by: [NATO, US]",
            "disputed_by: [NATO, Atlantis]",
            false
        ),
        [("unknown-actor".to_string(), line_of("disputed_by:"), false)]
    );
    assert_eq!(
        problems(
            "disputed_by: [NATO, US]",
            "disputed_by: [NATO, Atlantis]",
            true
        ),
        [("unknown-actor".to_string(), line_of("disputed_by:"), true)]
    );
    assert_eq!(
        problems(
            "      - on: 2022-02-02\n        text:",
            "      - text:",
            false
        )
        .iter()
        .filter(|(code, _, error)| code == "missing-field" && *error)
        .count(),
        1,
        "a correction without a date"
    );
    assert_eq!(
        problems("sha256: 3A7BD", "sha256: 3A7BX", false),
        [("invalid-hash".to_string(), line_of("sha256:"), false)]
    );
    assert_eq!(
        problems(
            "    claim:\n      status: disputed\n",
            "    claim:\n",
            false
        ),
        [(
            "missing-field".to_string(),
            line_of("    claim:\n      status: disputed"),
            true
        )]
    );
    let unknown = problems(
        "      review: |",
        "      verdict: x\n      review: |",
        false,
    );
    assert_eq!(unknown[0].0, "unknown-field", "{unknown:?}");
}

#[test]
fn an_articles_page_says_what_its_highlights_and_links_are() {
    let site = built("");
    let page = site.page("articles/roundup-0201/index.html");
    let key = between(&page, "<p class=\"highlight-key meta\">", "</p>");
    assert!(
        key.contains("<mark class=\"passage\">") && key.contains("<mark class=\"passage quote\">"),
        "{key}"
    );
    // The way back from a passage says where it leads, in words.
    assert!(page.contains(
        "<a class=\"passage-ref\" href=\"/crisis/days/2022-01-31/#troops-pulled-back\" title=\"Moscow says units have returned to their bases\">entry</a>"
    ));
    let day = site.page("days/2022-01-31/index.html");
    assert!(
        day.contains("<span class=\"passages\">evidence: "),
        "evidence links are named"
    );
}

#[test]
fn a_name_spelled_otherwise_than_its_registry_is_a_warning_with_the_fix() {
    let found = problems(
        "headline: Talks resume",
        "headline: Sergei Lavrov says talks resume",
        false,
    );
    assert_eq!(
        found,
        [(
            "name-spelling".to_string(),
            line_of("headline: Talks resume"),
            false
        )]
    );
    let strict = problems(
        "headline: Talks resume",
        "headline: Sergei Lavrov says talks resume",
        true,
    );
    assert!(strict[0].2, "an error under strict");
    // The registry's spelling, a short form and a quote are fine.
    assert!(problems(
        "headline: Talks resume",
        "headline: Sergey Lavrov and Lavrov say talks resume",
        false
    )
    .is_empty());
}

#[test]
fn an_actors_quotes_come_with_the_sentence_around_them() {
    let site = built("");
    let page = site.page("actors/lavrov/index.html");
    let quotes = between(&page, "id=\"quotes-heading\"", "</section>");
    assert!(
        quotes.contains("<span class=\"quote-context\">Both sides said </span><strong>talks resume</strong><span class=\"quote-context\"> next week.</span>"),
        "{quotes}"
    );
}

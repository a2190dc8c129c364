//! The shipped chronicle (content/, site.toml, themes/default at the
//! repository root) builds strictly, completely and with working links.

use crate::common;

use std::collections::BTreeSet;

use chronicle::config::Overrides;
use chronicle::BuildOptions;
use common::messages;

/// Copies the shipped site into a temporary directory and builds it there,
/// so the test never writes into the repository.
fn build_shipped() -> (
    tempfile::TempDir,
    chronicle::BuildReport,
    chronicle::resolve::Chronicle,
) {
    let dir = common::shipped_copy();
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        overrides: Overrides::default(),
        ..Default::default()
    };
    let report = chronicle::build(&options);
    let (chronicle, _) = chronicle::load_and_resolve(&options);
    (dir, report, chronicle.expect("site.toml loads"))
}

#[test]
fn the_shipped_site_builds_strictly_with_no_warnings_and_no_broken_links() {
    let (dir, report, chronicle) = build_shipped();
    assert!(
        chronicle.config.strict,
        "the shipped site.toml sets strict = true"
    );
    assert_eq!(chronicle.config.timezone.name(), "Europe/Kyiv");
    assert!(report.succeeded(), "{:#?}", messages(&report));
    assert!(
        report.diagnostics.items().is_empty(),
        "{:#?}",
        messages(&report)
    );
    let output = report.output.unwrap();
    let broken = chronicle::linkcheck::check(&output, &chronicle.config.base_path);
    assert!(broken.is_empty(), "{broken:#?}");
    drop(dir);
}

#[test]
fn every_seed_reports_dates_have_day_pages() {
    let (_dir, report, chronicle) = build_shipped();
    let output = report.output.unwrap();
    // The five seed reports' own dates, and the days the live blogs cover.
    for date in [
        "2021-12-01",
        "2021-12-02",
        "2022-01-25",
        "2022-01-26",
        "2022-02-01",
        "2022-02-14",
    ] {
        assert!(
            output.join(format!("days/{date}/index.html")).is_file(),
            "no day page for {date}"
        );
    }
    // Every article's publication date with entries has its page.
    let days: BTreeSet<String> = chronicle.days.iter().map(|d| d.date.to_string()).collect();
    for article in &chronicle.articles {
        let published = article
            .published
            .expect("every shipped article has a date")
            .date
            .to_string();
        assert!(
            days.contains(&published) || article.entries.is_empty(),
            "{} published {published}",
            article.path.display()
        );
    }
    // The Al Jazeera live blog of 26 January alone has 30+ timed entries.
    let live = chronicle
        .articles
        .iter()
        .find(|a| {
            a.path
                .to_string_lossy()
                .contains("aljazeera-live-2022-01-26")
        })
        .unwrap();
    assert!(live.entries.len() >= 30, "{}", live.entries.len());
}

#[test]
fn every_actor_topic_and_thread_has_a_page_with_entries() {
    let (_dir, report, chronicle) = build_shipped();
    let output = report.output.unwrap();
    for actor in &chronicle.actors {
        assert!(!actor.entries.is_empty(), "actor {} has no entry", actor.id);
        assert!(output
            .join(format!("actors/{}/index.html", actor.slug))
            .is_file());
    }
    for thread in &chronicle.threads {
        assert!(thread.entries.len() >= 2, "thread {} is thin", thread.id);
    }
    assert!((8..=15).contains(&chronicle.threads.len()));
    for topic in &chronicle.topics {
        assert!(!topic.entries.is_empty(), "topic {} has no entry", topic.id);
    }
}

#[test]
fn developments_reported_twice_show_both_sources() {
    let (_dir, _report, chronicle) = build_shipped();
    let shared = chronicle
        .entries
        .iter()
        .filter(|e| e.sources.len() > 1)
        .count();
    assert!(shared >= 5, "only {shared} entries have several sources");
    // Aliases in the seeds' spellings resolve to one actor.
    let lavrov = chronicle
        .actors
        .iter()
        .find(|a| a.id == "lavrov")
        .expect("lavrov");
    for spelling in ["Sergei Lavrov", "Sergey Lavrov"] {
        assert!(
            lavrov.aliases.iter().any(|a| a == spelling) || lavrov.name == spelling,
            "{spelling}"
        );
    }
}

#[test]
fn every_shipped_source_names_its_outlet() {
    let (_dir, _, chronicle) = build_shipped();
    for article in &chronicle.articles {
        let outlet = article.outlet.to_lowercase();
        assert!(
            !outlet.trim().is_empty()
                && !["unidentified", "unknown", "anonymous"]
                    .iter()
                    .any(|w| outlet.contains(w)),
            "{}: outlet {:?}",
            article.path.display(),
            article.outlet
        );
    }
}

//! Incremental rebuilds (`chronicle serve`): resolving one article again,
//! and re-rendering only what an edit touches, must give the site a full
//! build gives.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chronicle::config::Overrides;
use chronicle::diagnostics::{Diagnostics, SourceFiles};
use chronicle::serve::site::{Builder, Built, Lookup, RebuildKind};
use chronicle::BuildOptions;
use common::{copy_dir, repo};

const URL: &str = "http://127.0.0.1:1111/";
const AP: &str = "content/articles/2022/01/ap-moscow-us-written-response.yaml";

/// A copy of the shipped chronicle: nine articles, with `same_as` entries,
/// quotes and entries on shared days.
fn shipped() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes/default"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    dir
}

fn replace(root: &Path, rel: &str, old: &str, new: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "{rel} lacks {old:?}");
    std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides {
            base_url: Some(URL.into()),
            ..Overrides::default()
        },
    }
}

/// Every file of `built`, rendering the stale ones.
fn files(built: &Built) -> Vec<(String, Vec<u8>)> {
    built
        .paths()
        .into_iter()
        .map(|path| match built.get(&path) {
            Lookup::Found(bytes) => (path, bytes.to_vec()),
            Lookup::Failed(problems) => panic!("{path}: {problems:?}"),
            Lookup::Missing => panic!("{path} is listed but missing"),
        })
        .collect()
}

/// Asserts that `built` holds exactly what a full build of `root` holds.
fn assert_same_as_full_build(built: &Built, root: &Path, step: &str) {
    let fresh = Builder::new(root, URL, false).rebuild(&[]);
    let fresh = fresh
        .built
        .unwrap_or_else(|| panic!("{step}: the full build failed"));
    let (ours, theirs) = (files(built), files(&fresh));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs), "{step}: the files differ");
    for ((path, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(
            a == b,
            "{step}: {path} differs from a full build's:\n{}",
            first_difference(a, b)
        );
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let show = |x: &[u8]| {
        String::from_utf8_lossy(&x[at.saturating_sub(80)..(at + 80).min(x.len())]).into_owned()
    };
    format!("ours:   …{}…\ntheirs: …{}…", show(a), show(b))
}

fn rebuild(builder: &mut Builder, root: &Path, rel: &str) -> (Arc<Built>, RebuildKind) {
    let outcome = builder.rebuild(&[root.join(rel)]);
    let built = outcome.built.unwrap_or_else(|| {
        panic!(
            "the rebuild after {rel} failed: {:?}",
            outcome.report.diagnostics
        )
    });
    (built, outcome.kind)
}

/// The edits an editor makes to one article, each applied on top of the
/// ones before: (what it is, old text, new text).
const EDITS: &[(&str, &str, &str)] = &[
    (
        "a headline",
        "headline: Russia stages drills from the Black Sea to Kaliningrad and Belarus",
        "headline: Russian forces exercise from the Black Sea to the Baltic",
    ),
    (
        "an entry's actors",
        "actors: [russian-armed-forces, belarus]",
        "actors: [russian-armed-forces]",
    ),
    (
        "an entry's day, to a day with no entries yet",
        "  - id: lavrov-mocks-invasion-fears\n    at: \"2022-01-26\"",
        "  - id: lavrov-mocks-invasion-fears\n    at: \"2022-01-19 10:30\"",
    ),
    (
        "a same_as entry's evidence",
        "      - \"drowned in endless discussions\"\n",
        "",
    ),
    (
        "the article's title",
        "title: Russia says the US has delivered its written reply to Moscow's demands",
        "title: Moscow confirms it has the American reply",
    ),
    (
        "a new entry",
        "entries:\n",
        "entries:\n  - id: test-added-entry\n    at: \"2022-01-27 09:00\"\n    headline: An entry added while serving\n    threads: [us-russia-talks]\n    actors: [Lavrov, Blinken]\n    evidence:\n      - \"Washington has not published its reply\"\n    quotes:\n      - by: Lavrov\n        text: \"hysterics\"\n",
    ),
    (
        "the new entry removed again",
        "  - id: test-added-entry\n    at: \"2022-01-27 09:00\"\n    headline: An entry added while serving\n    threads: [us-russia-talks]\n    actors: [Lavrov, Blinken]\n    evidence:\n      - \"Washington has not published its reply\"\n    quotes:\n      - by: Lavrov\n        text: \"hysterics\"\n",
        "",
    ),
];

#[test]
fn each_article_edit_is_resolved_alone_and_gives_the_full_builds_site() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    let first = builder.rebuild(&[]);
    assert_eq!(first.kind, RebuildKind::Full);
    assert!(first.built.is_some());
    for (what, old, new) in EDITS {
        replace(root, AP, old, new);
        let (built, kind) = rebuild(&mut builder, root, AP);
        assert!(
            matches!(kind, RebuildKind::Articles { articles: 1, .. }),
            "{what}: rebuilt as {kind:?}"
        );
        assert_same_as_full_build(&built, root, what);
    }
}

#[test]
fn an_edit_renders_again_only_the_pages_that_show_what_it_touched() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    let before = builder.rebuild(&[]).built.unwrap();
    let untouched = ["actors/zelenskyy/index.html", "days/2021-12-02/index.html"];
    let was: Vec<Arc<[u8]>> = untouched
        .iter()
        .map(|p| before.rendered_page(p).expect("rendered by the full build"))
        .collect();
    let (old, new) = (EDITS[0].1, EDITS[0].2);
    replace(root, AP, old, new);
    let (after, kind) = rebuild(&mut builder, root, AP);
    let RebuildKind::Articles { stale, .. } = kind else {
        panic!("rebuilt as {kind:?}");
    };
    // The entry is on one day, in one thread, with two actors and two
    // topics, reported by one article: a few dozen files, not hundreds.
    let all = after.paths().len();
    assert!(
        stale > 10 && stale < all / 3,
        "{stale} of {all} files went stale"
    );

    // Pages that do not show the entry are kept as they were rendered.
    for (page, was) in untouched.iter().zip(&was) {
        let kept = after.rendered_page(page).expect("still rendered");
        assert!(Arc::ptr_eq(&kept, was), "{page} was rendered again");
    }
    // Those that do are rendered again when asked for, with the edit.
    for touched in [
        "days/2022-01-26/index.html",
        "actors/belarus/index.html",
        "threads/russian-buildup/index.html",
        "articles/ap-moscow-us-written-response/index.html",
    ] {
        assert!(
            after.rendered_page(touched).is_none(),
            "{touched} is not stale"
        );
        let Lookup::Found(page) = after.get(touched) else {
            panic!("{touched} cannot be rendered");
        };
        assert!(
            String::from_utf8_lossy(&page).contains("exercise from the Black Sea to the Baltic")
        );
    }
    assert_eq!(after.rendered_on_request().len(), 4);
}

#[test]
fn edits_that_reach_other_articles_rebuild_everything() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    builder.rebuild(&[]);

    // Taking an id another article declares: a full build, which fails.
    let own = "id: russian-drills-black-sea-kaliningrad";
    replace(root, AP, own, "id: us-written-response");
    let failed = builder.rebuild(&[root.join(AP)]);
    assert_eq!(failed.kind, RebuildKind::Full);
    assert!(failed.built.is_none());
    assert!(format!("{:?}", failed.report.diagnostics).contains("duplicate-id"));

    // Fixed: the site is whole again, like a full build's.
    replace(root, AP, "id: us-written-response", own);
    let (built, _) = rebuild(&mut builder, root, AP);
    assert_same_as_full_build(&built, root, "after the fix");

    // A registry edit is a full build.
    replace(
        root,
        "content/actors.yaml",
        "name: Sergey Lavrov",
        "name: Sergei Lavrov",
    );
    let (built, kind) = rebuild(&mut builder, root, "content/actors.yaml");
    assert_eq!(kind, RebuildKind::Full);
    assert_same_as_full_build(&built, root, "after a registry edit");
}

#[test]
fn a_template_edit_reloads_the_templates_and_renders_pages_again() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    builder.rebuild(&[]);
    let template = "themes/default/templates/day.html";
    let text = std::fs::read_to_string(root.join(template)).unwrap();
    let edited = text.replacen(
        "{% block content %}",
        "{% block content %}<p>marker-7c1</p>",
        1,
    );
    assert_ne!(text, edited, "day.html has no content block");
    std::fs::write(root.join(template), edited).unwrap();
    let (built, kind) = rebuild(&mut builder, root, template);
    assert_eq!(kind, RebuildKind::Templates);
    assert_eq!(built.rendered(), 0, "every page is stale");
    let Lookup::Found(day) = built.get("days/2022-01-26/index.html") else {
        panic!("no day page");
    };
    assert!(String::from_utf8_lossy(&day).contains("marker-7c1"));
    assert_same_as_full_build(&built, root, "after a template edit");

    // One that fails only when a page is rendered: the page says why.
    let failing = text.replacen(
        "{% block content %}",
        "{% block content %}{{ no_such_value }}",
        1,
    );
    std::fs::write(root.join(template), failing).unwrap();
    let (built, _) = rebuild(&mut builder, root, template);
    match built.get("days/2022-01-26/index.html") {
        Lookup::Failed(problems) => {
            assert!(
                problems.iter().any(|p| p.code == "template-error"),
                "{problems:?}"
            )
        }
        _ => panic!("the page rendered"),
    }
    assert!(matches!(
        built.get("actors/lavrov/index.html"),
        Lookup::Found(_)
    ));

    // A broken template fails the rebuild and keeps the site.
    std::fs::write(root.join(template), "{% block content %}{{ unclosed").unwrap();
    let outcome = builder.rebuild(&[root.join(template)]);
    assert!(outcome.built.is_none());
    assert!(format!("{:?}", outcome.report.diagnostics).contains("template-error"));
}

#[test]
fn patching_the_model_matches_resolving_the_whole_site() {
    let dir = shipped();
    let root = dir.path();
    let options = options(root);
    let (resolved, report) = chronicle::load_and_resolve_keeping(&options);
    assert!(!report.diagnostics.has_errors());
    let (mut chronicle, mut memory) = resolved.unwrap();
    for (what, old, new) in EDITS {
        replace(root, AP, old, new);
        let (a, text) = memory.article_of(Path::new(AP)).expect("an article");
        let text: PathBuf = text.to_path_buf();
        let mut files = SourceFiles::default();
        let mut diagnostics = Diagnostics::default();
        let loaded = chronicle::load::load_one_article(
            root,
            &text,
            &chronicle.config,
            &mut files,
            &mut diagnostics,
        )
        .unwrap();
        memory
            .patch(&mut chronicle, a, loaded, &mut diagnostics)
            .unwrap_or_else(|r| panic!("{what}: refused: {r:?}"));
        let (full, _) = chronicle::load_and_resolve(&options);
        assert_eq!(
            format!("{chronicle:#?}"),
            format!("{:#?}", full.unwrap()),
            "{what}"
        );
    }
}

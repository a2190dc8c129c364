//! Incremental rebuilds (`chronicle serve`): resolving one article again,
//! and re-rendering only what an edit touches, must give the site a full
//! build gives.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chronicle::config::Overrides;
use chronicle::diagnostics::{Diagnostics, SourceFiles};
use chronicle::serve::site::{Builder, BuiltSite, Lookup, RebuildKind};
use chronicle::BuildOptions;

const URL: &str = "http://127.0.0.1:1111/";
const AP: &str = "content/articles/2022/01/ap-moscow-us-written-response.yaml";

/// A copy of the shipped chronicle: nine articles, with `same_as` entries,
/// quotes and entries on shared days.
fn shipped() -> tempfile::TempDir {
    common::shipped_copy()
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
        ..Default::default()
    }
}

/// Every file of `built`, rendering the stale ones.
fn files(built: &BuiltSite) -> Vec<(String, Vec<u8>)> {
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
fn assert_same_as_full_build(built: &BuiltSite, root: &Path, step: &str) {
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

fn rebuild(builder: &mut Builder, root: &Path, rel: &str) -> (Arc<BuiltSite>, RebuildKind) {
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
    (
        // The entry keeps its place; it, its day and its lists now last
        // changed on the correction's date.
        "a correction to an entry",
        "      - \"placed 8,500 troops on heightened alert\"\n",
        "      - \"placed 8,500 troops on heightened alert\"\n    corrections:\n      - on: 2022-02-21\n        text: The first version gave the wrong number of troops.\n",
    ),
    (
        // Every entry it reports, its own and those it names by `same_as`,
        // now last changed later: their pages' "Last updated", the
        // sitemap's lastmod and the feeds' updated follow.
        "the article's publication date",
        "published: \"2022-01-26\"",
        "published: \"2022-02-20\"",
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
    each_edit_is_patched_into_the_full_builds_site(&mut builder, root);
}

/// Makes the [`EDITS`] one after the other, checking that each is resolved
/// alone and gives the site a full build of the edited content gives.
fn each_edit_is_patched_into_the_full_builds_site(builder: &mut Builder, root: &Path) {
    for (what, old, new) in EDITS {
        replace(root, AP, old, new);
        let (built, kind) = rebuild(builder, root, AP);
        assert!(
            matches!(kind, RebuildKind::Articles { articles: 1, .. }),
            "{what}: rebuilt as {kind:?}"
        );
        assert_same_as_full_build(&built, root, what);
    }
}

#[test]
fn with_every_day_paginated_each_edit_still_gives_the_full_builds_site() {
    let dir = shipped();
    let root = dir.path();
    // One entry a page: an entry that comes, goes or moves moves every
    // entry after it on its day to another page, and so changes its link.
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("day_paginate_by = 1\n{text}")).unwrap();
    let mut builder = Builder::new(root, URL, false);
    let first = builder.rebuild(&[]).built.unwrap();
    assert!(first.paths().iter().any(|p| p.contains("/page/2/")));
    each_edit_is_patched_into_the_full_builds_site(&mut builder, root);
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

/// A new source, in our own words: an invented agency note.
const NEW_TEXT: &str = "Officials in Kyiv said on Thursday that talks with Moscow would go on. \
They gave no date for the next round.\n";
const NEW_SIDECAR: &str = "title: Kyiv says talks will go on\nsource: Test Agency\n\
published: \"2022-01-27\"\nentries:\n  - id: kyiv-talks-go-on\n    at: \"2022-01-27 11:00\"\n    \
headline: Kyiv says talks with Moscow will continue\n    threads: [us-russia-talks]\n    \
actors: [Ukraine]\n    evidence:\n      - \"talks with Moscow would go on\"\n  \
- same_as: us-written-response\n    evidence:\n      - \"They gave no date\"\n";

#[test]
fn an_article_added_or_removed_while_serving_is_resolved_alone() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    builder.rebuild(&[]).built.unwrap();
    // Sorted among the others, so that the articles after it move up.
    let text = "content/articles/2022/01/b-kyiv-talks-go-on.txt";
    let sidecar = "content/articles/2022/01/b-kyiv-talks-go-on.yaml";
    std::fs::write(root.join(text), NEW_TEXT).unwrap();
    std::fs::write(root.join(sidecar), NEW_SIDECAR).unwrap();
    let outcome = builder.rebuild(&[root.join(sidecar), root.join(text)]);
    assert!(
        matches!(outcome.kind, RebuildKind::Articles { articles: 1, .. }),
        "{:?}",
        outcome.kind
    );
    let built = outcome.built.expect("rebuilt");
    let Lookup::Found(page) = built.get("articles/b-kyiv-talks-go-on/index.html") else {
        panic!("no page for the new article");
    };
    assert!(String::from_utf8_lossy(&page).contains("Kyiv says talks with Moscow will continue"));
    assert_same_as_full_build(&built, root, "an article added");

    // Its annotations edited, then the article removed.
    replace(root, sidecar, "will continue", "will carry on");
    let (built, kind) = rebuild(&mut builder, root, sidecar);
    assert!(matches!(kind, RebuildKind::Articles { .. }), "{kind:?}");
    assert_same_as_full_build(&built, root, "the new article edited");
    std::fs::remove_file(root.join(text)).unwrap();
    std::fs::remove_file(root.join(sidecar)).unwrap();
    let outcome = builder.rebuild(&[root.join(text), root.join(sidecar)]);
    assert!(
        matches!(outcome.kind, RebuildKind::Articles { .. }),
        "{:?}",
        outcome.kind
    );
    let built = outcome.built.expect("rebuilt");
    assert!(matches!(
        built.get("articles/b-kyiv-talks-go-on/index.html"),
        Lookup::Missing
    ));
    assert_same_as_full_build(&built, root, "the article removed");

    // A shipped article with `same_as` entries: the passages it gave go too.
    let naming = "content/articles/2022/01/us-written-responses-export-controls.md";
    std::fs::remove_file(root.join(naming)).unwrap();
    let (built, kind) = rebuild(&mut builder, root, naming);
    assert!(matches!(kind, RebuildKind::Articles { .. }), "{kind:?}");
    assert_same_as_full_build(&built, root, "an article with same_as entries removed");

    // One whose entries other articles name cannot go alone: a full build,
    // which reports their same_as naming nothing.
    let named = "content/articles/2022/01/aljazeera-live-2022-01-26.md";
    std::fs::remove_file(root.join(named)).unwrap();
    let outcome = builder.rebuild(&[root.join(named)]);
    assert_eq!(outcome.kind, RebuildKind::Full);
    assert!(outcome.built.is_none());
    assert!(format!("{:?}", outcome.report.diagnostics).contains("unknown-entry"));
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
        "role: Foreign Minister of Russia",
        "role: Russia's Foreign Minister",
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
    let days = built
        .paths()
        .iter()
        .filter(|p| p.starts_with("days/2") && p.ends_with("index.html"))
        .count();
    // Only the day pages are rendered with day.html.
    assert_eq!(kind, RebuildKind::Templates { stale: days });
    assert!(built.rendered_page("actors/lavrov/index.html").is_some());
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

    // A template others use: every page.
    std::fs::write(root.join(template), &text).unwrap();
    rebuild(&mut builder, root, template);
    let components = "themes/default/templates/components.html";
    let components_text = std::fs::read_to_string(root.join(components)).unwrap();
    let edited = components_text.replacen("</a>", "</a><!-- c -->", 1);
    std::fs::write(root.join(components), edited).unwrap();
    let (built, kind) = rebuild(&mut builder, root, components);
    assert_eq!(built.rendered(), 0, "every page is stale after {kind:?}");
    assert_same_as_full_build(&built, root, "after a components edit");

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
    let (resolved, report) = chronicle::serve::patch::load_and_resolve_keeping(&options);
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
        // Resolved whole as serve does it, keeping the texts.
        let (full, _) = chronicle::serve::patch::load_and_resolve_keeping(&options);
        let full = full.map(|(c, _)| c);
        assert_eq!(
            format!("{chronicle:#?}"),
            format!("{:#?}", full.unwrap()),
            "{what}"
        );
    }
}

/// A small deterministic generator (xorshift), so that a failing sequence
/// of edits can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The shipped articles whose annotations the random edits change.
const ANNOTATED: &[&str] = &[
    "content/articles/2022/01/ap-moscow-us-written-response.yaml",
    "content/articles/2022/01/cnn-live-2022-01-26.yaml",
    "content/articles/2022/02/aljazeera-live-2022-02-01.yaml",
    "content/articles/2021/12/afp-blinken-lavrov-to-meet-in-stockholm.yaml",
    "content/articles/2022/01/aljazeera-live-2022-01-26.md",
    "content/articles/2022/01/us-written-responses-export-controls.md",
];

/// An article's annotations: the YAML, and the text around it (the front
/// matter's fences and the body of a Markdown article).
fn annotations(root: &Path, rel: &str) -> (String, serde_yaml::Value, String) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    if rel.ends_with(".md") {
        let end = text[4..].find("\n---\n").unwrap() + 5;
        let yaml = serde_yaml::from_str(&text[4..end]).unwrap();
        ("---\n".into(), yaml, text[end..].to_string())
    } else {
        (
            String::new(),
            serde_yaml::from_str(&text).unwrap(),
            String::new(),
        )
    }
}

/// One random edit an editor might make to an article's entries, some of
/// them mistakes; returns what it did, the file, and the file's text
/// before.
fn random_edit(root: &Path, rng: &mut Rng, step: usize) -> (String, &'static str, String) {
    use serde_yaml::Value;
    let rel = ANNOTATED[rng.below(ANNOTATED.len())];
    let old_text = std::fs::read_to_string(root.join(rel)).unwrap();
    let (before, mut yaml, after) = annotations(root, rel);
    let entries = yaml["entries"].as_sequence_mut().unwrap();
    let e = rng.below(entries.len());
    let count = entries.len();
    let is_reference = entries[e].get("same_as").is_some();
    let entry = entries[e].as_mapping_mut().unwrap();
    let key = |k: &str| Value::String(k.to_string());
    let what = match (rng.below(11), is_reference) {
        (0, false) => {
            entry.insert(
                key("headline"),
                key(&format!("Headline rewritten at step {step}")),
            );
            "a headline"
        }
        (1, false) => {
            let at = [
                "2022-01-26",
                "2022-01-19 10:30",
                "2021-12-05 08:00",
                "2022-02-10",
            ];
            entry.insert(key("at"), key(at[rng.below(at.len())]));
            "a time"
        }
        (2, false) => {
            entry.insert(
                key("actors"),
                Value::Sequence(vec![key("Lavrov"), key("Blinken")]),
            );
            "the actors"
        }
        (3, false) => {
            entry.insert(
                key("summary"),
                key(&format!("A summary written at step {step}.")),
            );
            "a summary"
        }
        (4, false) if count > 1 => {
            entries.remove(e);
            "an entry removed"
        }
        (5, false) => {
            let id = entry.get("id").and_then(Value::as_str).unwrap_or("entry");
            entry.insert(key("id"), key(&format!("{id}-{step}")));
            "an id"
        }
        (6, false) => {
            let mut copy = entry.clone();
            copy.insert(key("id"), key(&format!("copied-at-step-{step}")));
            copy.insert(key("headline"), key(&format!("A copy made at step {step}")));
            entries.push(Value::Mapping(copy));
            "an entry added"
        }
        (7, false) => {
            // Taken by another article (or by this one: a duplicate too).
            entry.insert(key("id"), key("us-written-response"));
            "an id another entry has"
        }
        (7 | 8, true) => {
            entry.insert(key("same_as"), key(&format!("no-such-entry-{step}")));
            "a same_as naming nothing"
        }
        (_, true) if rng.below(2) == 0 => {
            entries.remove(e);
            "a same_as entry removed"
        }
        _ => {
            entry.remove("quotes");
            match entry.get_mut("evidence").and_then(Value::as_sequence_mut) {
                Some(evidence) if evidence.len() > 1 => {
                    evidence.remove(0);
                    "an evidence passage removed"
                }
                _ => "the quotes removed",
            }
        }
    };
    let yaml = serde_yaml::to_string(&yaml).unwrap();
    std::fs::write(root.join(rel), format!("{before}{yaml}{after}")).unwrap();
    (format!("step {step}: {what} in {rel}"), rel, old_text)
}

#[test]
fn random_edits_patch_the_model_as_a_full_resolve_would() {
    let dir = shipped();
    let root = dir.path();
    let options = options(root);
    let (resolved, _) = chronicle::serve::patch::load_and_resolve_keeping(&options);
    let (mut chronicle, mut memory) = resolved.unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut patched, mut refused) = (0, 0);
    for step in 0..60 {
        let (what, rel, old_text) = random_edit(root, &mut rng, step);
        // Resolved whole as serve does it, keeping the texts.
        let (full, report) = chronicle::serve::patch::load_and_resolve_keeping(&options);
        let full = full.map(|(c, _)| c);
        let full_ok = !report.diagnostics.has_errors();
        let (a, text) = memory.article_of(Path::new(rel)).expect("an article");
        let text = text.to_path_buf();
        let mut diagnostics = Diagnostics::default();
        let loaded = chronicle::load::load_one_article(
            root,
            &text,
            &chronicle.config,
            &mut SourceFiles::default(),
            &mut diagnostics,
        );
        let outcome = loaded.map(|l| memory.patch(&mut chronicle, a, l, &mut diagnostics));
        match outcome {
            Some(Ok(_)) => {
                assert!(full_ok, "{what}: patched, but a full resolve has errors");
                patched += 1;
                assert_eq!(
                    format!("{chronicle:#?}"),
                    format!("{:#?}", full.unwrap()),
                    "{what}"
                );
            }
            // Refused: start again from a full resolve, as serve does; if
            // the edit broke the site, undo it first.
            _ => {
                refused += 1;
                if !full_ok {
                    std::fs::write(root.join(rel), old_text).unwrap();
                }
                let (resolved, report) =
                    chronicle::serve::patch::load_and_resolve_keeping(&options);
                assert!(!report.diagnostics.has_errors(), "{what}");
                (chronicle, memory) = resolved.unwrap();
            }
        }
    }
    assert!(patched >= 30, "only {patched} of 60 edits were patched");
    assert!(refused >= 3, "only {refused} of 60 edits were refused");
}

#[test]
fn random_edits_served_incrementally_match_full_builds() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    builder.rebuild(&[]).built.unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for step in 0..12 {
        let (what, rel, old_text) = random_edit(root, &mut rng, step);
        let outcome = builder.rebuild(&[root.join(rel)]);
        let full = Builder::new(root, URL, false).rebuild(&[]);
        assert_eq!(outcome.built.is_some(), full.built.is_some(), "{what}");
        match outcome.built {
            Some(built) => assert_same_as_full_build(&built, root, &what),
            None => {
                // A mistake: serving goes on once it is undone.
                std::fs::write(root.join(rel), old_text).unwrap();
                let (built, _) = rebuild(&mut builder, root, rel);
                assert_same_as_full_build(&built, root, &format!("{what}, undone"));
            }
        }
    }
}

#[test]
fn each_page_template_edited_renders_again_exactly_its_pages() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, false);
    builder.rebuild(&[]);
    for name in chronicle::render::page_templates() {
        let template = format!("themes/default/templates/{name}");
        let text = std::fs::read_to_string(root.join(&template)).unwrap();
        let edited = text.replacen(
            "{% block content %}",
            "{% block content %}<i hidden>e</i>",
            1,
        );
        assert_ne!(text, edited, "{name} has no content block");
        std::fs::write(root.join(&template), edited).unwrap();
        let (built, kind) = rebuild(&mut builder, root, &template);
        let RebuildKind::Templates { stale } = kind else {
            panic!("{name}: rebuilt as {kind:?}");
        };
        assert!(
            stale > 0 && stale < built.paths().len() / 2,
            "{name}: {stale} stale"
        );
        assert_same_as_full_build(&built, root, &format!("after editing {name}"));
    }
}

#[test]
fn pages_beyond_the_cache_budget_are_rendered_when_asked_for() {
    let dir = shipped();
    let root = dir.path();
    // No page kept at all: every one is rendered on request.
    let mut builder = Builder::new(root, URL, false).with_page_cache(0);
    let built = builder.rebuild(&[]).built.unwrap();
    assert_eq!(built.rendered(), 0);
    assert_same_as_full_build(&built, root, "with no page kept");
    assert_eq!(built.rendered(), 0, "nothing is kept later either");

    // A small budget: what is kept stays within it, and edits still show.
    let budget = 200_000;
    let mut builder = Builder::new(root, URL, false).with_page_cache(budget);
    let built = builder.rebuild(&[]).built.unwrap();
    let kept = |built: &BuiltSite| -> usize {
        built
            .paths()
            .iter()
            .filter_map(|p| built.rendered_page(p))
            .map(|b| b.len())
            .sum()
    };
    assert!(built.rendered() > 0 && kept(&built) <= budget);
    replace(root, AP, EDITS[0].1, EDITS[0].2);
    let (built, _) = rebuild(&mut builder, root, AP);
    assert_same_as_full_build(&built, root, "with a small cache");
    assert!(kept(&built) <= budget, "{} bytes kept", kept(&built));
}

#[test]
fn under_strict_a_warning_in_an_edited_article_fails_the_rebuild() {
    let dir = shipped();
    let root = dir.path();
    let mut builder = Builder::new(root, URL, true);
    assert!(
        builder.rebuild(&[]).built.is_some(),
        "the shipped site is clean"
    );
    let passage = "\"shows the Russian navy frigate Admiral Essen preparing to leave\"";
    replace(root, AP, passage, "\"a passage the article does not have\"");
    let outcome = builder.rebuild(&[root.join(AP)]);
    assert!(
        outcome.built.is_none(),
        "a warning is an error under strict"
    );
    assert!(format!("{:?}", outcome.report.diagnostics).contains("evidence-not-found"));

    replace(root, AP, "\"a passage the article does not have\"", passage);
    let (built, kind) = rebuild(&mut builder, root, AP);
    assert!(matches!(kind, RebuildKind::Articles { .. }), "{kind:?}");
    assert_same_as_full_build(&built, root, "fixed under strict");
}

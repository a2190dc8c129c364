//! Article texts: a build reads the articles in batches, finds their
//! evidence and lets each text go, then reads an article's file again to
//! render its page (reference "Memory"). These check that nothing of that
//! shows: numbering across batches, what pages keep of a text, and an
//! article edited between the two reads.

use crate::common;

use chronicle::config::Overrides;
use chronicle::resolve::{ArticleText, Chronicle};
use chronicle::BuildOptions;
use common::{between, Site};

const SITE: &str = "title = \"Batches\"\ntimezone = \"UTC\"\n";

/// More articles than one batch reads at once (512), so that they come in
/// three batches.
const ARTICLES: usize = 1100;

fn resolved(site: &Site) -> Chronicle {
    let (chronicle, report) = chronicle::load_and_resolve(&BuildOptions {
        root: site.root().to_path_buf(),
        overrides: Overrides::default(),
        ..Default::default()
    });
    assert!(
        !report.diagnostics.has_errors(),
        "{}",
        common::messages(&report).join("\n")
    );
    chronicle.expect("the site resolves")
}

/// Article `i`: its own entry `e<i>`, resting on a sentence only it has.
/// The last article also adds its own passage to the entry of article 3,
/// read two batches before it.
fn many_articles() -> Site {
    let site = Site::new(SITE);
    for i in 0..ARTICLES {
        site.write(
            &format!("content/articles/a{i:04}.txt"),
            &format!("Filed from desk {i}.\n\nThe harbour office counted {i} ships on Monday.\n"),
        );
        let mut yaml = format!(
            "title: Harbour count {i}\nsource: Desk {i}\npublished: 2022-01-10\nentries:\n  - id: e{i}\n    at: 2022-01-10\n    headline: Count number {i}\n    evidence:\n      - \"counted {i} ships\"\n"
        );
        if i == ARTICLES - 1 {
            yaml.push_str("  - same_as: e3\n    evidence:\n      - \"Filed from desk\"\n");
        }
        site.write(&format!("content/articles/a{i:04}.yaml"), &yaml);
    }
    site
}

#[test]
fn articles_read_in_batches_keep_their_numbers_and_texts() {
    let site = many_articles();
    let chronicle = resolved(&site);
    assert_eq!(chronicle.articles.len(), ARTICLES);
    // Each entry rests on its own article, in every batch.
    for entry in &chronicle.entries {
        let n: usize = entry.id[1..].parse().unwrap();
        let own = &chronicle.articles[entry.sources[0].article];
        assert_eq!(own.slug, format!("a{n:04}"), "entry {}", entry.id);
        let passage = own
            .passages
            .iter()
            .find(|p| p.anchor == entry.sources[0].passages[0])
            .expect("the entry's passage is in its article");
        assert_eq!(&*passage.text, format!("counted {n} ships"));
        assert!(
            matches!(own.text, ArticleText::Released { .. }),
            "a build lets the text go"
        );
    }
    // The same_as of the last batch reaches the entry of the first.
    let e3 = chronicle.entries.iter().find(|e| e.id == "e3").unwrap();
    let slugs: Vec<&str> = e3
        .sources
        .iter()
        .map(|s| chronicle.articles[s.article].slug.as_str())
        .collect();
    assert_eq!(slugs, ["a0003", format!("a{:04}", ARTICLES - 1).as_str()]);

    site.build_ok();
    // A page of the last batch is rendered from its file, read again, with
    // its passage marked and linked to its entry.
    let last = ARTICLES - 1;
    let page = site.page(&format!("articles/a{last:04}/index.html"));
    let text = between(&page, "<div class=\"article-text", "</div>");
    assert!(
        text.contains(&format!(
            "<mark class=\"passage\" id=\"ev-e{last}-1\">counted {last} ships</mark>"
        )),
        "{text}"
    );
    assert!(text.contains("<mark class=\"passage\" id=\"ev-e3-1\">Filed from desk</mark>"));
    assert!(text.contains("href=\"/days/2022-01-10/#e3\""), "{text}");
}

#[test]
fn what_pages_keep_of_a_text_matches_the_text() {
    let site = Site::fixture();
    let kept = chronicle::resolve::resolve(
        chronicle::load::load(
            site.root(),
            &Overrides::default(),
            &mut Default::default(),
            &mut Default::default(),
        )
        .unwrap(),
        &mut Default::default(),
    );
    let released = resolved(&site);
    assert_eq!(kept.articles.len(), released.articles.len());
    let mut quotes = 0;
    for (held, let_go) in kept.articles.iter().zip(&released.articles) {
        assert!(matches!(held.text, ArticleText::Held(_)));
        let body = let_go.body(site.root(), false).expect("read again");
        let ArticleText::Held(held_body) = &held.text else {
            unreachable!()
        };
        assert_eq!(*body, **held_body, "{}: read again the same", held.slug);
        for (a, b) in held.passages.iter().zip(&let_go.passages) {
            assert_eq!(a.text, b.text);
            assert_eq!(a.context, b.context);
            assert_eq!(Some(&*a.text), body.plain.get(a.range.clone()));
            quotes += usize::from(a.context.is_some());
        }
    }
    assert!(quotes > 0, "the fixture has quotes, with their sentences");
}

#[test]
fn an_article_changed_after_its_evidence_was_found_fails_the_build_by_name() {
    let site = Site::fixture();
    let chronicle = resolved(&site);
    let (a, article) = chronicle
        .articles
        .iter()
        .enumerate()
        .find(|(_, a)| !a.passages.is_empty())
        .unwrap();
    let path = site.root().join(&article.path);
    let original = std::fs::read_to_string(&path).unwrap();
    assert!(article.body(site.root(), false).is_ok());

    // The same length, a passage's words changed.
    let first = &article.passages[0];
    let mut edited = original.clone();
    // The last time it is written: in the text, below any front matter.
    let at = edited.rfind(&*first.text).expect("the passage as written");
    let replacement: String = first.text.chars().rev().collect();
    edited.replace_range(at..at + first.text.len(), &replacement);
    assert_ne!(edited, original);
    std::fs::write(&path, &edited).unwrap();
    let error = chronicle.articles[a]
        .body(site.root(), false)
        .expect_err("a passage no longer there");
    assert_eq!(error.code.to_string(), "changed-during-build");
    assert_eq!(
        error.file.as_deref(),
        Some(article.path.as_path()),
        "the error names the article"
    );

    // Words added elsewhere change its length.
    std::fs::write(&path, format!("{original}\nOne more line.\n")).unwrap();
    assert!(chronicle.articles[a].body(site.root(), false).is_err());

    // Gone altogether.
    std::fs::remove_file(&path).unwrap();
    assert!(chronicle.articles[a].body(site.root(), false).is_err());
    std::fs::write(&path, &original).unwrap();
    assert_eq!(
        *chronicle.articles[a].body(site.root(), false).unwrap(),
        chronicle::load::reread_body(site.root(), &article.path, article.format, false).unwrap()
    );
}

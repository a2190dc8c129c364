//! The harness behind the fuzz targets in `fuzz/`, kept in the library so
//! regression tests can replay inputs the fuzzer found (`tests/it/fuzz.rs`).
//! Not part of the public API.

use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostics, SourceFiles};
use crate::load::annotations::{ActorRegistry, RawThread, RawTopic};
use crate::load::{yaml, LoadedSite, Registry};
use crate::render::{html, views};

/// Feeds arbitrary bytes through the loader and resolver as an article, its
/// sidecar and a registry. Input: a first byte choosing `.md` (even) or
/// `.txt` with sidecar (odd), then article text, sidecar text and
/// actors.yaml text separated by NUL bytes. Must never panic or hang.
pub fn annotations(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\0');
    let article = parts.next().unwrap_or_default().to_string();
    let sidecar = parts.next().map(str::to_string);
    let actors_text = parts
        .next()
        .unwrap_or("lavrov:\n  name: Sergey Lavrov\n  aliases: [Lavrov]\n")
        .to_string();

    let mut files = SourceFiles::default();
    let mut diagnostics = Diagnostics::default();
    let markdown = kind % 2 == 0;
    let path = if markdown {
        "content/articles/a.md"
    } else {
        "content/articles/a.txt"
    };
    let file = files.add(PathBuf::from(path), article);
    let sidecar = match (markdown, sidecar) {
        (false, Some(text)) => Some(files.add(PathBuf::from("content/articles/a.yaml"), text)),
        _ => None,
    };
    let actors_file = files.add(PathBuf::from("content/actors.yaml"), actors_text);
    let source = files.get(actors_file).text.clone();
    let actors = match yaml::parse_map::<ActorRegistry>(&source, 0..source.len(), actors_file) {
        Ok((items, doc, _)) => Registry {
            items,
            doc: Some(doc),
            failed: false,
        },
        Err(_) => Registry {
            failed: true,
            ..Registry::default()
        },
    };
    let articles =
        crate::load::parse_article(file, sidecar, kind & 2 == 2, &files, &mut diagnostics)
            .into_iter()
            .collect();
    let config = SiteConfig {
        timezone: chrono_tz::Europe::Kyiv,
        ..SiteConfig::default()
    };
    let site = LoadedSite {
        root: PathBuf::from("."),
        config,
        actors,
        topics: Registry::<RawTopic>::default(),
        threads: Registry::<RawThread>::default(),
        articles,
        pages: Vec::new(),
    };
    let chronicle = crate::resolve::resolve(site, &mut diagnostics);
    diagnostics.sort(&files);
    for d in diagnostics.items() {
        let _ = d.positioned(&files).to_string();
    }
    let mut rendered = Vec::new();
    let _ = crate::diagnostics::emit(
        &mut codespan_reporting::term::termcolor::NoColor::new(&mut rendered),
        &diagnostics,
        &files,
    );
    // Whatever the input, the terminal is sent no control character.
    let shown = String::from_utf8_lossy(&rendered);
    assert!(
        !shown.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
        "a control character reached the terminal: {shown:?}"
    );
    let shared = views::SharedViews::build(&chronicle);
    for article in &chronicle.articles {
        let marks = crate::render::article_marks(article, &chronicle, &shared);
        if let Ok(body) = article.body(&chronicle.root, false) {
            let _ = html::render_body(&body, &marks);
        }
    }
}

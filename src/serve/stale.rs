//! Which pages an incremental rebuild of `chronicle serve` makes stale:
//! pure functions of the chronicle and the patch.

use std::collections::HashSet;

use crate::resolve::live::{Patch, Touched};
use crate::resolve::Chronicle;

/// What decides which files the site has: its days, how many entries each
/// thread, actor and topic has (pagination), how many entries (the search
/// files) and articles there are.
pub(super) fn shape(c: &Chronicle) -> (Vec<chrono::NaiveDate>, Vec<usize>, (usize, usize)) {
    let counts = c
        .threads
        .iter()
        .map(|t| t.entries.len())
        .chain(c.actors.iter().map(|a| a.entries.len()))
        .chain(c.topics.iter().map(|t| t.entries.len()))
        .collect();
    (
        c.days.iter().map(|d| d.date).collect(),
        counts,
        (c.entries.len(), c.articles.len()),
    )
}

/// The part of a site path that says which page it belongs to: its first
/// two directories (`threads/talks/` for `threads/talks/page/2/index.html`
/// and `threads/talks/feed.xml`); the path itself for a section's index
/// (`days/index.html`); [`TOP_LEVEL`] for a file at the top.
pub(super) fn section_of(path: &str) -> &str {
    let mut slashes = path.match_indices('/').map(|(i, _)| i);
    match (slashes.next(), slashes.next()) {
        (None, _) => TOP_LEVEL,
        (Some(_), None) => path,
        (Some(_), Some(second)) => &path[..=second],
    }
}

/// The sections (see [`section_of`]) whose files a patch makes stale: those
/// of every day, thread, actor, topic and article the touched entries were
/// or are part of, every index and every file at the top (feeds, exports,
/// the search index, the sitemap). When days came or went, every day page,
/// as each links to the next and previous.
pub(super) fn stale_sections(
    chronicle: &Chronicle,
    patch: &Patch,
    days_changed: bool,
) -> HashSet<String> {
    let mut touched: Touched = patch.before.clone();
    for &e in &patch.changed {
        touched.add(&chronicle.entries[e]);
    }
    touched.articles.extend(patch.article);
    let mut sections: HashSet<String> = [
        "index.html",
        "days/index.html",
        "threads/index.html",
        "actors/index.html",
        "topics/index.html",
        "sources/index.html",
        "search/index.html",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let days: Vec<_> = if days_changed {
        chronicle
            .days
            .iter()
            .map(|d| d.date)
            .chain(touched.days)
            .collect()
    } else {
        touched.days.into_iter().collect()
    };
    sections.extend(days.iter().map(|d| format!("days/{d}/")));
    sections.extend(
        touched
            .threads
            .iter()
            .map(|&t| format!("threads/{}/", chronicle.threads[t].slug)),
    );
    sections.extend(
        touched
            .actors
            .iter()
            .map(|&a| format!("actors/{}/", chronicle.actors[a].slug)),
    );
    sections.extend(
        touched
            .topics
            .iter()
            .map(|&t| format!("topics/{}/", chronicle.topics[t].slug)),
    );
    sections.extend(
        touched
            .articles
            .iter()
            .map(|&a| format!("articles/{}/", chronicle.articles[a].slug)),
    );
    sections.insert(TOP_LEVEL.to_string());
    sections
}

/// Stands for every file at the top of the site in [`stale_sections`].
pub(super) const TOP_LEVEL: &str = "";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_belong_to_the_section_of_their_page() {
        for (path, section) in [
            ("threads/talks/index.html", "threads/talks/"),
            ("threads/talks/page/2/index.html", "threads/talks/"),
            ("actors/lavrov/feed.xml", "actors/lavrov/"),
            ("days/2022-01-26/index.html", "days/2022-01-26/"),
            ("days/index.html", "days/index.html"),
            ("search/index.html", "search/index.html"),
            ("feed.xml", TOP_LEVEL),
            ("index.html", TOP_LEVEL),
            ("sitemap-2.xml", TOP_LEVEL),
        ] {
            assert_eq!(section_of(path), section, "{path}");
        }
    }
}

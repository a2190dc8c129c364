//! Which pages an incremental rebuild of `chronicle serve` makes stale:
//! pure functions of the chronicle and the patch.

use std::collections::HashSet;

use super::patch::{Footprint, Patch};
use crate::resolve::Chronicle;
use crate::urls::{Page, ATOM_FEED, JSON_FEED, TOP_LEVEL};

/// What decides which files the site has: its days and how many pages
/// each has, how many entries each thread, actor and topic has
/// (pagination), how many entries (the search files) and articles there
/// are.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Shape {
    days: Vec<chrono::NaiveDate>,
    /// Pages of each day, then entries of each thread, each actor, each
    /// topic.
    counts: Vec<usize>,
    entries: usize,
    articles: usize,
}

/// The [`Shape`] of a chronicle.
pub(super) fn shape(c: &Chronicle) -> Shape {
    let counts = c
        .days
        .iter()
        // A day's pages: the page of its last entry.
        .map(|d| crate::urls::page_of(d.entries.len().saturating_sub(1), c.config.day_paginate_by))
        .chain(c.threads.iter().map(|t| t.entries.len()))
        .chain(c.actors.iter().map(|a| a.entries.len()))
        .chain(c.topics.iter().map(|t| t.entries.len()))
        .collect();
    Shape {
        days: c.days.iter().map(|d| d.date).collect(),
        counts,
        entries: c.entries.len(),
        articles: c.articles.len(),
    }
}

/// The sections (see [`crate::urls::section_of`]) whose files a patch makes stale: those
/// of every day, thread, actor, topic and article the touched entries were
/// or are part of, every index and the corrections' feeds, every file at
/// the top (feeds, exports, the sitemap) and the search index's files. When days came or went, every day page,
/// as each links to the next and previous.
pub(super) fn stale_sections(
    chronicle: &Chronicle,
    patch: &Patch,
    days_changed: bool,
) -> HashSet<String> {
    let mut touched: Footprint = patch.before.clone();
    for &e in &patch.changed {
        touched.add(&chronicle.entries[e]);
    }
    touched.articles.extend(patch.article);
    let mut sections: HashSet<String> = Page::INDEXES.iter().map(Page::file).collect();
    // The corrections' feeds sit beside their page, one level deep, where
    // each file is a section of its own.
    let corrections = Page::Corrections.dir();
    sections.extend([ATOM_FEED, JSON_FEED].map(|feed| format!("{corrections}{feed}")));
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
    sections.extend(days.iter().map(|d| Page::Day(&d.to_string()).dir()));
    sections.extend(
        touched
            .threads
            .iter()
            .map(|&t| Page::Thread(&chronicle.threads[t].slug).dir()),
    );
    sections.extend(
        touched
            .actors
            .iter()
            .map(|&a| Page::Actor(&chronicle.actors[a].slug).dir()),
    );
    sections.extend(
        touched
            .topics
            .iter()
            .map(|&t| Page::Topic(&chronicle.topics[t].slug).dir()),
    );
    sections.extend(
        touched
            .articles
            .iter()
            .map(|&a| Page::Article(&chronicle.articles[a].slug).dir()),
    );
    sections.insert(TOP_LEVEL.to_string());
    sections.extend(
        crate::render::search::SECTIONS
            .iter()
            .map(|s| s.to_string()),
    );
    sections
}

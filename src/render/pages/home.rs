//! The home page: the latest days, the threads and the most active actors.

use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::render::contract::*;
use crate::render::views::Counted;
use crate::render::{jsonld, timeline, Ctx, Rendering};
use crate::urls::{Page, PageKind};

/// How many headlines of each latest day the home page lists.
pub(super) const HOME_ENTRIES_PER_DAY: usize = 15;

impl<'a> Ctx<'a> {
    pub(in crate::render) fn home(&self, out: &Rendering) {
        if !out.wants(&Page::Home.file()) {
            return;
        }
        #[derive(Serialize)]
        struct Home<'a> {
            first_day: Option<String>,
            last_day: Option<String>,
            counts: BTreeMap<&'static str, usize>,
            latest_days: Vec<DayView<'a>>,
            threads: Vec<ThreadSummary<'a>>,
            active_actors: Vec<Counted>,
            /// The threads as lanes across the days, SVG (timeline.rs).
            timeline_svg: String,
            /// What the graphic's marks are, as text under it.
            timeline_caption: String,
        }
        let c = self.chronicle;
        let mut threads = self.thread_summaries();
        threads.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.link.name.cmp(&b.link.name))
        });
        let all: Vec<EntryIx> = EntryIx::all(c.entries.len()).collect();
        let mut active = self.sidebar::<ActorIx>(&all, None);
        active.truncate(12);
        let counts = BTreeMap::from([
            ("entries", c.entries.len()),
            ("days", c.days.len()),
            ("threads", c.threads.len()),
            ("actors", c.actors.len()),
            ("topics", c.topics.len()),
            ("articles", c.articles.len()),
        ]);
        let latest: Vec<(&crate::resolve::Day, Vec<tera::Value>)> = c
            .days
            .iter()
            .rev()
            .take(c.config.home_days)
            .map(|d| {
                let shown = &d.entries[..d.entries.len().min(HOME_ENTRIES_PER_DAY)];
                (d, self.items(shown))
            })
            .collect();
        let timeline = timeline::home(c, self.shared);
        let home = Home {
            first_day: c
                .days
                .first()
                .map(|d| self.shared.words.short_date_label(d.date)),
            last_day: c
                .days
                .last()
                .map(|d| self.shared.words.short_date_label(d.date)),
            counts,
            latest_days: latest
                .iter()
                .map(|(d, values)| DayView {
                    groups: Vec::new(),
                    ..self.day_view(d, values)
                })
                .collect(),
            threads,
            active_actors: active,
            timeline_svg: timeline.svg,
            timeline_caption: timeline.caption,
        };
        let title = c.config.title.clone();
        let head = Head {
            jsonld: self.structured_data(|| jsonld::home(self)),
            updated: self.shared.newest_change,
            ..Head::titled(title)
        };
        let html_page = self.render(PageKind::Home, head, "", &home);
        out.finish(&Page::Home.file(), html_page);
    }
}

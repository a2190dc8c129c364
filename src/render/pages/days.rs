//! The days index and a page per day.

use rayon::prelude::*;
use serde::Serialize;

use super::Head;
use crate::render::contract::*;
use crate::render::views::Link;
use crate::render::{describe, jsonld, Ctx, Rendering};
use crate::urls::{Page, PageKind};

impl<'a> Ctx<'a> {
    pub(in crate::render) fn days(&self, out: &Rendering) {
        #[derive(Serialize)]
        struct Month {
            label: String,
            days: Vec<DayLink>,
        }
        #[derive(Serialize)]
        struct DayLink {
            date: String,
            label: String,
            url: String,
            count: usize,
            headlines: Vec<String>,
        }
        let c = self.chronicle;
        let mut months: Vec<Month> = Vec::new();
        let wanted = out.wants(&Page::Days.file());
        for day in c.days.iter().filter(|_| wanted) {
            let label = self.shared.words.month_label(day.date);
            if months.last().is_none_or(|m| m.label != label) {
                months.push(Month {
                    label: label.clone(),
                    days: Vec::new(),
                });
            }
            months.last_mut().expect("pushed").days.push(DayLink {
                date: day.date.to_string(),
                label: self.shared.words.date_label(day.date),
                url: self.shared.urls.day(day.date),
                count: day.entries.len(),
                headlines: day
                    .entries
                    .iter()
                    .take(3)
                    .map(|&e| c.entries[e].headline.clone())
                    .collect(),
            });
        }
        #[derive(Serialize)]
        struct Days {
            months: Vec<Month>,
        }
        if wanted {
            let span = [c.days.first(), c.days.last()]
                .into_iter()
                .flatten()
                .map(|d| self.shared.words.date_label(d.date))
                .collect::<Vec<_>>();
            let head = Head {
                description: describe::list(span.iter().map(String::as_str), " – "),
                updated: self.shared.newest_change,
                ..Head::titled(self.shared.words.days.clone())
            };
            let result = self.render(PageKind::Days, head, &Page::Days.dir(), &Days { months });
            out.finish(&Page::Days.file(), result);
        }

        #[derive(Serialize)]
        struct DayPage<'a> {
            day: DayView<'a>,
            previous: Option<Link>,
            next: Option<Link>,
            pagination: Pagination,
        }
        let per_page = c.config.day_paginate_by;
        c.days.par_iter().enumerate().for_each(|(i, day)| {
            let date = day.date.to_string();
            let base = Page::Day(&date).dir();
            let pages = out.wanted_pages(self.paginate_by(&base, &day.entries, per_page));
            let link = |d: &crate::resolve::Day| Link {
                name: self.shared.words.date_label(d.date),
                url: self.shared.urls.day(d.date),
            };
            let label = self.shared.words.date_label(day.date);
            for (path, (chunk, pagination)) in pages {
                // The page's part of the day, as a day of its own.
                let part = crate::resolve::Day {
                    date: day.date,
                    entries: chunk.to_vec(),
                };
                let values = self.values(chunk);
                let mut view = self.day_view(&part, &values);
                view.entry_count = day.entries.len();
                let first = (pagination.current - 1) * per_page + 1;
                let head = Head {
                    description: describe::list(
                        chunk.iter().map(|&e| c.entries[e].headline.as_str()),
                        "; ",
                    ),
                    jsonld: self.structured_data(|| jsonld::day(self, &part, &path, first)),
                    updated: self.shared.changed(chunk),
                    ..Head::titled(self.shared.words.page_title(
                        &label,
                        pagination.current,
                        pagination.total,
                    ))
                };
                let data = DayPage {
                    day: view,
                    previous: i.checked_sub(1).map(|p| link(&c.days[p])),
                    next: c.days.get(i + 1).map(link),
                    pagination,
                };
                let result = self.render(PageKind::Day, head, &path, &data);
                out.finish(&crate::urls::index_file(&path), result);
            }
        });
    }
}

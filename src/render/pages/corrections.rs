//! The corrections page: every correction of the chronicle, newest first,
//! each with the entry it corrects.

use serde::Serialize;

use super::*;
use crate::render::{describe, Ctx, Rendering};
use crate::resolve::Chronicle;
use crate::urls::{Page, PageKind, ATOM_FEED, JSON_FEED};

/// Every correction as (entry, its place among the entry's corrections),
/// newest first; corrections made at the same time in entry order.
pub(crate) fn corrections_newest_first(c: &Chronicle) -> Vec<(EntryIx, usize)> {
    let zone = c.config.timezone;
    let mut all: Vec<(EntryIx, usize)> = EntryIx::all(c.entries.len())
        .flat_map(|e| (0..c.entries[e].corrections.len()).map(move |n| (e, n)))
        .collect();
    all.sort_by(|&(a, m), &(b, n)| {
        let time = |e: EntryIx, n: usize| c.entries[e].corrections[n].instant(zone);
        time(b, n).cmp(&time(a, m)).then((a, m).cmp(&(b, n)))
    });
    all
}

impl Ctx<'_> {
    pub(in crate::render) fn corrections(&self, out: &Rendering) {
        let file = Page::Corrections.file();
        if !out.wants(&file) {
            return;
        }
        #[derive(Serialize)]
        struct Listed {
            datetime: String,
            date_label: String,
            text_html: String,
            entry: tera::Value,
        }
        #[derive(Serialize)]
        struct Corrections {
            corrections: Vec<Listed>,
            atom_feed: String,
            json_feed: String,
        }
        let c = self.chronicle;
        let corrections = corrections_newest_first(c)
            .into_iter()
            .map(|(e, n)| {
                let correction = &c.entries[e].corrections[n];
                Listed {
                    datetime: correction.on.rfc3339_or_date(),
                    date_label: self.shared.words.short_date_label(correction.on.date),
                    text_html: html::markdown(&correction.text, c.config.raw_html),
                    entry: self.shared.item_value(c, e),
                }
            })
            .collect();
        let dir = Page::Corrections.dir();
        let data = Corrections {
            corrections,
            atom_feed: self.shared.urls.path(&format!("{dir}{ATOM_FEED}")),
            json_feed: self.shared.urls.path(&format!("{dir}{JSON_FEED}")),
        };
        let corrected: Vec<EntryIx> = corrections_newest_first(c)
            .into_iter()
            .map(|(e, _)| e)
            .rev()
            .collect();
        let head = Head {
            description: describe::headlines(c, &corrected),
            updated: self.shared.newest_change,
            ..Head::titled(self.shared.words.corrections.clone())
        };
        out.finish(&file, self.render(PageKind::Corrections, head, &dir, &data));
    }
}

//! The threads index and each thread's pages.

use rayon::prelude::*;
use serde::Serialize;

use super::*;
use crate::render::contract::*;
use crate::render::views::Counted;
use crate::render::{describe, jsonld, timeline, Ctx, Rendering};
use crate::urls::{Page, PageKind};

impl<'a> Ctx<'a> {
    pub(in crate::render) fn threads(&self, out: &Rendering) {
        #[derive(Serialize)]
        struct Threads<'a> {
            threads: Vec<ThreadSummary<'a>>,
        }
        if out.wants(&Page::Threads.file()) {
            let c = self.chronicle;
            let head = Head {
                description: describe::list(c.threads.iter().map(|t| t.title.as_str()), ", "),
                updated: self.shared.newest_change,
                ..Head::titled(self.shared.words.threads.clone())
            };
            let result = self.render(
                PageKind::Threads,
                head,
                &Page::Threads.dir(),
                &Threads {
                    threads: self.thread_summaries(),
                },
            );
            out.finish(&Page::Threads.file(), result);
        }

        #[derive(Serialize)]
        struct ThreadPage<'a> {
            thread: &'a ThreadSummary<'a>,
            aliases: Vec<&'a str>,
            days: Vec<DaySection<'a>>,
            pagination: Pagination,
            actors: &'a [Counted],
            topics: &'a [Counted],
            timeline_svg: &'a str,
            timeline_caption: &'a str,
        }
        let c = self.chronicle;
        let summaries = self.thread_summaries();
        c.threads
            .par_iter()
            .zip(summaries)
            .for_each(|(thread, summary)| {
                let base = Page::Thread(&thread.slug).dir();
                let pages = out.wanted_pages(self.paginate(&base, &thread.entries));
                if pages.is_empty() {
                    return;
                }
                let actors = self.sidebar::<ActorIx>(&thread.entries, None);
                let topics = self.sidebar::<TopicIx>(&thread.entries, None);
                let timeline = timeline::thread(c, self.shared, thread);
                let head = self.list_head(
                    PageKind::Thread,
                    &thread.title,
                    &thread.entries,
                    describe::plain_text(&thread.summary),
                );
                // The pages of one list in parallel too: a few long lists (40 topics
                // of 10,000 entries at 100,000 articles) otherwise end on one core.
                pages
                    .into_par_iter()
                    .for_each(|(path, (chunk, pagination))| {
                        let values = self.values(chunk);
                        let data = ThreadPage {
                            thread: &summary,
                            aliases: other_names(&thread.title, &thread.aliases),
                            days: self.by_day(chunk, &values),
                            pagination: pagination.clone(),
                            actors: pagination.first_page_only(&actors[..], &[]),
                            topics: pagination.first_page_only(&topics[..], &[]),
                            // The graphic is drawn once, on the first page.
                            timeline_svg: pagination.first_page_only(&timeline.svg, ""),
                            timeline_caption: pagination.first_page_only(&timeline.caption, ""),
                        };
                        let first = (pagination.current - 1) * c.config.paginate_by + 1;
                        let jsonld = self
                            .structured_data(|| jsonld::thread(self, thread, &path, chunk, first));
                        self.finish_list_page(out, &head, &path, &pagination, &data, jsonld);
                    });
            });
    }
}

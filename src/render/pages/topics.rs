//! The topics index and each topic's pages.

use rayon::prelude::*;
use serde::Serialize;

use super::*;
use crate::render::contract::*;
use crate::render::views::{Counted, Link};
use crate::render::{describe, html, jsonld, timeline, Ctx, Rendering};
use crate::urls::{Page, PageKind};

impl<'a> Ctx<'a> {
    pub(in crate::render) fn topics(&self, out: &Rendering) {
        let c = self.chronicle;
        #[derive(Serialize)]
        struct TopicItem<'a> {
            link: &'a Link,
            description_html: String,
            count: usize,
        }
        #[derive(Serialize)]
        struct Topics<'a> {
            topics: Vec<TopicItem<'a>>,
        }
        let wanted = out.wants(&Page::Topics.file());
        let items = TopicIx::all(c.topics.len())
            .zip(&c.topics)
            .filter(|_| wanted)
            .map(|(i, t)| TopicItem {
                link: &self.shared.topic_links[i],
                description_html: html::markdown(&t.description, c.config.raw_html),
                count: t.entries.len(),
            })
            .collect();
        if wanted {
            let head = Head {
                description: describe::list(c.topics.iter().map(|t| t.name.as_str()), ", "),
                updated: self.shared.newest_change,
                ..Head::titled(self.shared.words.topics.clone())
            };
            let result = self.render(
                PageKind::Topics,
                head,
                &Page::Topics.dir(),
                &Topics { topics: items },
            );
            out.finish(&Page::Topics.file(), result);
        }

        #[derive(Serialize)]
        struct TopicView<'a> {
            id: &'a str,
            name: &'a str,
            aliases: Vec<&'a str>,
            description_html: String,
        }
        #[derive(Serialize)]
        struct TopicPage<'a> {
            topic: &'a TopicView<'a>,
            entries: Vec<&'a tera::Value>,
            days: Vec<DaySection<'a>>,
            pagination: Pagination,
            threads: &'a [Counted],
            actors: &'a [Counted],
            co_topics: &'a [Counted],
            timeline_svg: &'a str,
            timeline_caption: &'a str,
        }
        c.topics.par_iter().enumerate().for_each(|(i, topic)| {
            let i = TopicIx::new(i);
            let base = Page::Topic(&topic.slug).dir();
            let pages = out.wanted_pages(self.paginate(&base, &topic.entries));
            if pages.is_empty() {
                return;
            }
            let threads = self.sidebar::<ThreadIx>(&topic.entries, None);
            let actors = self.sidebar::<ActorIx>(&topic.entries, None);
            let co_topics = self.sidebar(&topic.entries, Some(i));
            let view = TopicView {
                id: &topic.id,
                name: &topic.name,
                aliases: other_names(&topic.name, &topic.aliases),
                description_html: html::markdown(&topic.description, c.config.raw_html),
            };
            let timeline = timeline::strip(
                c,
                self.shared,
                &topic.entries,
                format!("Entries per day: {}", topic.name),
            );
            let head = self.list_head(
                PageKind::Topic,
                &topic.name,
                &topic.entries,
                describe::plain_text(&topic.description),
            );
            // The pages of one list in parallel too: a few long lists (40 topics
            // of 10,000 entries at 100,000 articles) otherwise end on one core.
            pages
                .into_par_iter()
                .for_each(|(path, (chunk, pagination))| {
                    let values = self.items(chunk);
                    let data = TopicPage {
                        topic: &view,
                        entries: values.iter().collect(),
                        days: self.by_day(chunk, &values),
                        pagination: pagination.clone(),
                        threads: pagination.first_page_only(&threads[..], &[]),
                        actors: pagination.first_page_only(&actors[..], &[]),
                        co_topics: pagination.first_page_only(&co_topics[..], &[]),
                        timeline_svg: pagination.first_page_only(&timeline.svg, ""),
                        timeline_caption: pagination.first_page_only(&timeline.caption, ""),
                    };
                    let first = (pagination.current - 1) * c.config.paginate_by + 1;
                    let jsonld =
                        self.structured_data(|| jsonld::topic(self, i, &path, chunk, first));
                    self.finish_list_page(out, &head, &path, &pagination, &data, jsonld);
                });
        });
    }
}

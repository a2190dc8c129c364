//! The actors index and each actor's pages.

use rayon::prelude::*;
use serde::Serialize;

use super::*;
use crate::render::contract::*;
use crate::render::views::{Counted, Link};
use crate::render::{describe, html, jsonld, timeline, views, Ctx, Rendering};
use crate::resolve::ActorKind;
use crate::urls::{Page, PageKind};

impl<'a> Ctx<'a> {
    pub(in crate::render) fn actors(&self, out: &Rendering) {
        let c = self.chronicle;
        let wanted = out.wants(&Page::Actors.file());
        #[derive(Serialize)]
        struct ActorItem<'a> {
            link: &'a Link,
            role: Option<&'a str>,
            count: usize,
        }
        #[derive(Serialize)]
        struct KindGroup<'a> {
            kind: &'static str,
            label: &'a str,
            actors: Vec<ActorItem<'a>>,
        }
        let groups: Vec<KindGroup<'_>> = ActorKind::ALL
            .iter()
            .filter(|_| wanted)
            .map(|&kind| KindGroup {
                kind: kind.as_str(),
                label: self.shared.words.kind_label(kind),
                actors: ActorIx::all(c.actors.len())
                    .zip(&c.actors)
                    .filter(|(_, a)| a.kind == kind)
                    .map(|(i, a)| ActorItem {
                        link: &self.shared.actor_links[i],
                        role: a.role.as_deref(),
                        count: a.entries.len(),
                    })
                    .collect(),
            })
            .filter(|g| !g.actors.is_empty())
            .collect();
        #[derive(Serialize)]
        struct Actors<'a> {
            groups: Vec<KindGroup<'a>>,
        }
        if wanted {
            let head = Head {
                description: describe::list(c.actors.iter().map(|a| a.name.as_str()), ", "),
                updated: self.shared.newest_change,
                ..Head::titled(self.shared.words.actors.clone())
            };
            let result = self.render(
                PageKind::Actors,
                head,
                &Page::Actors.dir(),
                &Actors { groups },
            );
            out.finish(&Page::Actors.file(), result);
        }

        #[derive(Serialize)]
        struct ActorView<'a> {
            id: &'a str,
            name: &'a str,
            /// Its page (the first, when paginated).
            url: &'a str,
            kind: &'static str,
            role: Option<&'a str>,
            affiliation: Option<&'a Link>,
            aliases: Vec<&'a str>,
            description_html: String,
            members: Vec<&'a Link>,
        }
        #[derive(Serialize)]
        struct ActorPage<'a> {
            actor: &'a ActorView<'a>,
            entries: Vec<&'a tera::Value>,
            days: Vec<DaySection<'a>>,
            pagination: Pagination,
            quotes: Vec<views::QuoteView<'a>>,
            /// The claims the actor made, and those it disputed (first page).
            claims_made: Vec<tera::Value>,
            claims_disputed: Vec<tera::Value>,
            threads: &'a [Counted],
            co_actors: &'a [Counted],
            topics: &'a [Counted],
            timeline_svg: &'a str,
            timeline_caption: &'a str,
        }
        let mut members: PerItem<ActorIx, Vec<&Link>> = vec![Vec::new(); c.actors.len()].into();
        for (m, actor) in ActorIx::all(c.actors.len()).zip(&c.actors) {
            if let Some(a) = actor.affiliation {
                members[a].push(&self.shared.actor_links[m]);
            }
        }
        c.actors.par_iter().enumerate().for_each(|(i, actor)| {
            let i = ActorIx::new(i);
            let base = Page::Actor(&actor.slug).dir();
            let pages = out.wanted_pages(self.paginate(&base, &actor.entries));
            if pages.is_empty() {
                return;
            }
            let threads = self.sidebar::<ThreadIx>(&actor.entries, None);
            let co_actors = self.sidebar(&actor.entries, Some(i));
            let topics = self.sidebar::<TopicIx>(&actor.entries, None);
            let view = ActorView {
                id: &actor.id,
                name: &actor.name,
                url: &self.shared.actor_links[i].url,
                kind: actor.kind.as_str(),
                role: actor.role.as_deref(),
                affiliation: actor.affiliation.map(|a| &self.shared.actor_links[a]),
                aliases: other_names(&actor.name, &actor.aliases),
                description_html: html::markdown(&actor.description, c.config.raw_html),
                members: members[i].clone(),
            };
            let timeline = timeline::strip(
                c,
                self.shared,
                &actor.entries,
                format!("Entries per day: {}", actor.name),
            );
            let head = self.list_head(
                PageKind::Actor,
                &actor.name,
                &actor.entries,
                describe::role_and_description(actor.role.as_deref(), &actor.description),
            );
            // The pages of one list in parallel too: a few long lists (40 topics
            // of 10,000 entries at 100,000 articles) otherwise end on one core.
            pages
                .into_par_iter()
                .for_each(|(path, (chunk, pagination))| {
                    // Quotes are listed once, on the first page.
                    let quotes = if pagination.current == 1 {
                        actor
                            .quotes
                            .iter()
                            .map(|q| self.shared.quote_view(c, q.entry, q.quote))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let claims = |side: fn(&crate::resolve::Claim) -> &[ActorIx]| {
                        if pagination.current != 1 {
                            return Vec::new();
                        }
                        let found: Vec<EntryIx> = actor
                            .entries
                            .iter()
                            .copied()
                            .filter(|&e| {
                                c.entries[e]
                                    .claim
                                    .as_ref()
                                    .is_some_and(|claim| side(claim).contains(&i))
                            })
                            .collect();
                        self.items(&found)
                    };
                    let claims_made = claims(|claim| &claim.by);
                    let claims_disputed = claims(|claim| &claim.disputed_by);
                    let values = self.items(chunk);
                    let data = ActorPage {
                        actor: &view,
                        entries: values.iter().collect(),
                        days: self.by_day(chunk, &values),
                        pagination: pagination.clone(),
                        quotes,
                        claims_made,
                        claims_disputed,
                        threads: pagination.first_page_only(&threads[..], &[]),
                        co_actors: pagination.first_page_only(&co_actors[..], &[]),
                        topics: pagination.first_page_only(&topics[..], &[]),
                        timeline_svg: pagination.first_page_only(&timeline.svg, ""),
                        timeline_caption: pagination.first_page_only(&timeline.caption, ""),
                    };
                    self.finish_list_page(
                        out,
                        &head,
                        &path,
                        &pagination,
                        &data,
                        self.structured_data(|| jsonld::actor(self, i)),
                    );
                });
        });
    }
}

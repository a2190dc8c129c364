//! The HTML pages, one module per kind, and what they share: the views of
//! days and lists, sidebars, pagination, and rendering a page with its
//! template.

mod actors;
mod corrections;
mod days;
mod home;
mod sources;
mod standalone;
mod threads;
mod topics;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::render::contract::*;
use crate::render::views::{count_links, Counted, Link, SharedViews};
use crate::render::{describe, export, feeds, html, search, sitemap, Ctx, Rendering};
pub(crate) use crate::resolve::{ActorIx, Entry, EntryIx, PerItem, ThreadIx, TopicIx, TypedIndex};
use crate::urls::{Page, PageKind, NOT_FOUND_FILE};
pub(crate) use corrections::corrections_newest_first;

/// How many items the counted lists beside thread, actor and topic pages show.
pub(crate) const SIDEBAR_ITEMS: usize = 12;

/// What a sidebar counts in a page's entries: their threads, actors or
/// topics, each by its typed index.
pub(crate) trait Facet: TypedIndex + Eq + std::hash::Hash {
    /// The entry's items of this kind.
    fn of(entry: &Entry) -> &[Self];
    /// The link to each item of this kind.
    fn links(shared: &SharedViews) -> &PerItem<Self, Link>;
}

impl Facet for ThreadIx {
    fn of(entry: &Entry) -> &[Self] {
        &entry.threads
    }
    fn links(shared: &SharedViews) -> &PerItem<Self, Link> {
        &shared.thread_links
    }
}

impl Facet for ActorIx {
    fn of(entry: &Entry) -> &[Self] {
        &entry.actors
    }
    fn links(shared: &SharedViews) -> &PerItem<Self, Link> {
        &shared.actor_links
    }
}

impl Facet for TopicIx {
    fn of(entry: &Entry) -> &[Self] {
        &entry.topics
    }
    fn links(shared: &SharedViews) -> &PerItem<Self, Link> {
        &shared.topic_links
    }
}

/// The aliases a page shows as "also written": those that are not the
/// name itself, however capitalised.
pub(crate) fn other_names<'a>(name: &str, aliases: &'a [String]) -> Vec<&'a str> {
    let name = crate::resolve::names::key(name);
    aliases
        .iter()
        .filter(|a| crate::resolve::names::key(a) != name)
        .map(String::as_str)
        .collect()
}

/// How many pages either side of the current one the pager links to. Linking
/// to every page would make a list of N pages cost N² links in all.
pub(crate) const PAGER_REACH: usize = 2;

/// The page numbers a pager on page `current` of `total` shows, with whether
/// a gap comes before each.
pub(crate) fn pager_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let mut shown = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= PAGER_REACH {
            shown.push((n, n > last + 1));
            last = n;
        }
    }
    shown
}

/// What every page of a thread's, actor's or topic's list of entries says
/// of itself, worked out once for the whole list (see [`Ctx::list_head`]).
pub(crate) struct ListHead<'p> {
    pub kind: PageKind,
    /// The item's name, which titles its pages.
    pub name: &'p str,
    /// Its own words, else what it lists, else at least its name.
    description: String,
    /// When the list last changed: the newest change of all its entries.
    updated: Option<DateTime<FixedOffset>>,
}

/// What a page says of itself in its head (`page` in templates, with the
/// URLs the render adds).
pub(in crate::render) struct Head {
    pub title: String,
    /// Empty for the site's description.
    pub description: String,
    pub jsonld: Option<String>,
    pub updated: Option<DateTime<FixedOffset>>,
}

impl Head {
    /// A head with only a title: the site's description, no JSON-LD, no date.
    pub fn titled(title: String) -> Head {
        Head {
            title,
            description: String::new(),
            jsonld: None,
            updated: None,
        }
    }
}

impl<'a> Ctx<'a> {
    /// A page's JSON-LD as `make` makes it; none, and nothing made, on a
    /// site with `structured_data = false`.
    pub(in crate::render) fn structured_data(
        &self,
        make: impl FnOnce() -> String,
    ) -> Option<String> {
        self.chronicle.config.structured_data.then(make)
    }

    /// What every page of the list of `entries` (all of them, on every
    /// page) of the item `name` says of itself; `own` is the item's own
    /// description, empty for its latest headlines (or its name, when it
    /// lists none).
    pub(in crate::render) fn list_head<'p>(
        &self,
        kind: PageKind,
        name: &'p str,
        entries: &[EntryIx],
        own: String,
    ) -> ListHead<'p> {
        ListHead {
            kind,
            name,
            description: describe::first_of([
                own,
                describe::headlines(self.chronicle, entries),
                name.to_string(),
            ]),
            updated: self.shared.changed(entries),
        }
    }

    /// Renders page `path` of a list and hands it on: its title names the
    /// page number from the second page on.
    pub(in crate::render) fn finish_list_page(
        &self,
        out: &Rendering,
        list: &ListHead,
        path: &str,
        pagination: &Pagination,
        data: &impl Serialize,
        jsonld: Option<String>,
    ) {
        let head = Head {
            title: self
                .shared
                .words
                .page_title(list.name, pagination.current, pagination.total),
            description: list.description.clone(),
            jsonld,
            updated: list.updated,
        };
        out.finish(
            &crate::urls::index_file(path),
            self.render(list.kind, head, path, data),
        );
    }

    pub(in crate::render) fn all(&self, out: &Rendering, timings: &mut crate::Timings) {
        // Each kind of file is skipped whole when none of its kind is
        // wanted: rendering one page on request then costs that page.
        let under = |kinds: &'static [PageKind]| {
            move |path: &str| kinds.iter().any(|kind| path.starts_with(kind.directory()))
        };
        if out.may_want(|p| p == Page::Home.file()) {
            timings.time("  home", || self.home(out));
        }
        if out.may_want(under(&[PageKind::Days])) {
            timings.time("  days", || self.days(out));
        }
        if out.may_want(under(&[PageKind::Threads])) {
            timings.time("  threads", || self.threads(out));
        }
        if out.may_want(under(&[PageKind::Actors])) {
            timings.time("  actors", || self.actors(out));
        }
        if out.may_want(under(&[PageKind::Topics])) {
            timings.time("  topics", || self.topics(out));
        }
        if out.may_want(under(&[PageKind::Sources, PageKind::Article])) {
            timings.time("  sources, articles", || self.sources(out));
        }
        if out.may_want(|p| p == Page::Corrections.file()) {
            timings.time("  corrections", || self.corrections(out));
        }
        let search_page = under(&[PageKind::Search]);
        if out.may_want(|p| search_page(p) || search::is_index_file(p)) {
            timings.time("  search", || search::render(self, out));
        }
        if out.may_want(|p| PageKind::of_path(p) == Some(PageKind::Standalone)) {
            timings.time("  pages", || self.standalone_pages(out));
        }
        if out.wants(NOT_FOUND_FILE) {
            out.finish(
                NOT_FOUND_FILE,
                self.render(
                    PageKind::NotFound,
                    Head::titled(self.shared.words.page_not_found.clone()),
                    NOT_FOUND_FILE,
                    &(),
                ),
            );
        }
        if out.may_want(|p| p.ends_with("feed.xml") || p.ends_with("feed.json")) {
            timings.time("  feeds", || feeds::render(self, out));
        }
        if out.may_want(|p| {
            matches!(
                p,
                "chronicle.json" | "chronicle.schema.json" | "timeline.json"
            )
        }) {
            timings.time("  export", || export::render(self, out));
        }
        // Last: it lists the pages written before it.
        if out.may_want(|p| p.starts_with("sitemap") || p == "robots.txt") {
            timings.time("  sitemap, robots.txt", || sitemap::render(self, out));
        }
    }

    /// The view of `day`, whose entries' values are `values`, in order.
    pub(in crate::render) fn day_view<'v>(
        &self,
        day: &crate::resolve::Day,
        values: &'v [tera::Value],
    ) -> DayView<'v>
    where
        'a: 'v,
    {
        let shared = self.shared;
        let mut groups: Vec<Group<'_>> = Vec::new();
        let mut unthreaded = Vec::new();
        for (&e, value) in day.entries.iter().zip(values) {
            let entry = &self.chronicle.entries[e];
            match entry.threads.first() {
                Some(&t) => {
                    let link = &shared.thread_links[t];
                    match groups
                        .iter_mut()
                        .find(|g| g.thread.is_some_and(|l| std::ptr::eq(l, link)))
                    {
                        Some(g) => g.entries.push(value),
                        None => groups.push(Group {
                            thread: Some(link),
                            entries: vec![value],
                        }),
                    }
                }
                None => unthreaded.push(value),
            }
        }
        if !unthreaded.is_empty() {
            groups.push(Group {
                thread: None,
                entries: unthreaded,
            });
        }
        DayView {
            date: day.date.to_string(),
            label: self.shared.words.date_label(day.date),
            url: shared.urls.day(day.date),
            entry_count: day.entries.len(),
            entries: values.iter().collect(),
            groups,
            more: day.entries.len().saturating_sub(values.len()),
        }
    }

    /// The most frequent threads, actors or topics (`F`) of `entries`, at
    /// most [`SIDEBAR_ITEMS`], leaving out `except` (the page's own item).
    pub(in crate::render) fn sidebar<F: Facet>(
        &self,
        entries: &[EntryIx],
        except: Option<F>,
    ) -> Vec<Counted> {
        let links = F::links(self.shared);
        let mut counted = count_links(entries, self.chronicle, F::of, links, except);
        counted.truncate(SIDEBAR_ITEMS);
        counted
    }

    /// Template values of the entries `indexes`, in full.
    pub(in crate::render) fn values(&self, indexes: &[EntryIx]) -> Vec<tera::Value> {
        indexes
            .par_iter()
            .map(|&e| self.shared.entry_value(self.chronicle, e))
            .collect()
    }

    /// Template values of the entries `indexes`, in their list form.
    pub(in crate::render) fn items(&self, indexes: &[EntryIx]) -> Vec<tera::Value> {
        indexes
            .iter()
            .map(|&e| self.shared.item_value(self.chronicle, e))
            .collect()
    }

    pub(in crate::render) fn thread_summaries(&self) -> Vec<ThreadSummary<'a>> {
        let c = self.chronicle;
        ThreadIx::all(c.threads.len())
            .zip(&c.threads)
            .map(|(i, t)| ThreadSummary {
                link: &self.shared.thread_links[i],
                id: &t.id,
                summary_html: html::markdown(&t.summary, c.config.raw_html),
                topics: t
                    .topics
                    .iter()
                    .map(|&x| &self.shared.topic_links[x])
                    .collect(),
                count: t.entries.len(),
                first: t
                    .entries
                    .first()
                    .map(|&e| self.shared.words.short_date_label(c.entries[e].day)),
                last: t
                    .entries
                    .last()
                    .map(|&e| self.shared.words.short_date_label(c.entries[e].day)),
            })
            .collect()
    }

    /// Renders a page of `kind` at `url_path` (a page of a paginated list
    /// has its own), with the template and section the kind has and `head`
    /// for its `page` metadata.
    pub(in crate::render) fn render(
        &self,
        kind: PageKind,
        head: Head,
        url_path: &str,
        data: &impl Serialize,
    ) -> Result<String, Box<Diagnostic>> {
        let Head {
            title,
            description,
            jsonld,
            updated,
        } = head;
        let zone = self.chronicle.config.timezone;
        let updated = updated.map(|t| t.with_timezone(&zone));
        let page = PageContext {
            site: &self.shared.site,
            page: PageMeta {
                title,
                url: self.shared.urls.path(url_path),
                permalink: format!("{}{}", self.shared.site.base_url, url_path),
                path: url_path.to_string(),
                section: kind.section(),
                jsonld,
                description: if description.is_empty() {
                    describe::clip(&self.shared.site.description)
                } else {
                    description
                },
                updated: updated.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                updated_label: updated.map(|t| self.shared.words.date_label(t.date_naive())),
            },
            data,
        };
        self.templates.render(kind.template(), &page)
    }

    /// Splits a list of entries into pages of `paginate_by` (one page when
    /// 0): the first at `base`, the others at `base` + `page/N/`.
    pub(in crate::render) fn paginate<'e>(
        &self,
        base: &str,
        entries: &'e [EntryIx],
    ) -> Vec<(String, (&'e [EntryIx], Pagination))> {
        self.paginate_by(base, entries, self.chronicle.config.paginate_by)
    }

    /// As [`Self::paginate`], `per_page` entries a page (0: all on one).
    pub(in crate::render) fn paginate_by<'e>(
        &self,
        base: &str,
        entries: &'e [EntryIx],
        per_page: usize,
    ) -> Vec<(String, (&'e [EntryIx], Pagination))> {
        let chunks: Vec<&[EntryIx]> = if per_page == 0 || entries.is_empty() {
            vec![entries]
        } else {
            entries.chunks(per_page).collect()
        };
        let total = chunks.len();
        let path = |n: usize| crate::urls::paginated(base, n);
        let urls: Vec<String> = (1..=total)
            .map(|n| self.shared.urls.path(&path(n)))
            .collect();
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let current = i + 1;
                let pages = if total > 1 {
                    pager_window(current, total)
                        .into_iter()
                        .map(|(number, gap)| PageLink {
                            number,
                            url: urls[number - 1].clone(),
                            gap,
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let pagination = Pagination {
                    current,
                    total,
                    previous: (current > 1).then(|| urls[current - 2].clone()),
                    next: urls.get(current).cloned(),
                    pages,
                };
                (path(current), (chunk, pagination))
            })
            .collect()
    }

    /// Entries grouped by day; `values` are theirs, in order.
    pub(in crate::render) fn by_day<'v>(
        &self,
        entries: &[EntryIx],
        values: &'v [tera::Value],
    ) -> Vec<DaySection<'v>> {
        let mut sections: Vec<DaySection<'_>> = Vec::new();
        for (&e, value) in entries.iter().zip(values) {
            let day = self.chronicle.entries[e].day;
            if sections.last().is_none_or(|s| s.day != day) {
                sections.push(DaySection {
                    day,
                    date: day.to_string(),
                    label: self.shared.words.date_label(day),
                    url: self.shared.urls.day(day),
                    entries: Vec::new(),
                });
            }
            sections.last_mut().expect("pushed").entries.push(value);
        }
        sections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(current: usize, total: usize) -> String {
        pager_window(current, total)
            .iter()
            .map(|&(n, gap)| {
                if gap {
                    format!("… {n}")
                } else {
                    n.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_pager_links_the_ends_and_the_neighbourhood() {
        assert_eq!(window(1, 1), "1");
        assert_eq!(window(2, 5), "1 2 3 4 5");
        assert_eq!(window(1, 400), "1 2 3 … 400");
        assert_eq!(window(200, 400), "1 … 198 199 200 201 202 … 400");
        assert_eq!(window(399, 400), "1 … 397 398 399 400");
        assert_eq!(window(4, 7), "1 2 3 4 5 6 7");
    }
}

//! Stage 3, render: turn the [`Chronicle`] into pages with Tera, one
//! context per page, and hand each page to a sink (the write stage).

pub mod export;
pub mod feeds;
pub mod html;
pub mod jsonld;
pub mod search;
pub mod sitemap;
pub mod timeline;
pub mod views;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::{ActorKind, Chronicle};
use crate::urls::{Page, PageKind, NOT_FOUND_FILE};
use views::{
    count_links, date_label, kind_label, short_date_label, Counted, Link, Shared, SiteView,
};

/// The templates of the theme, overridden by name by the site's own.
pub struct Templates {
    tera: Tera,
    /// Each template's text, by name.
    sources: BTreeMap<String, String>,
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "days.html",
    "day.html",
    "threads.html",
    "thread.html",
    "actors.html",
    "actor.html",
    "topics.html",
    "topic.html",
    "sources.html",
    "article.html",
    "404.html",
];

impl Templates {
    /// Loads `themes/<theme>/templates/` then the site's `templates/`.
    pub fn load(
        root: &Path,
        config: &crate::config::SiteConfig,
        diagnostics: &mut Diagnostics,
    ) -> Option<Templates> {
        let theme = config.theme.as_str();
        let inside = crate::paths::Inside::new(root, config.follow_outside_links);
        let theme_dir = root.join("themes").join(theme).join("templates");
        if !theme_dir.is_dir() {
            diagnostics.push(
                Diagnostic::error(
                    "missing-theme",
                    format!("theme `{theme}` has no templates directory"),
                )
                .in_file("site.toml")
                .with_hint(format!(
                    "expected {}; set `theme` in site.toml to a directory under themes/",
                    theme_dir.display()
                )),
            );
            return None;
        }
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut problems = Vec::new();
        for dir in [theme_dir, root.join("templates")] {
            for (name, path) in template_files(&inside, &dir, &mut problems) {
                let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                match crate::load::read_text(&path, &display) {
                    Ok(text) => {
                        sources.insert(name, (display, text));
                    }
                    Err(d) => diagnostics.push(*d),
                }
            }
        }
        let unsafe_links = !problems.is_empty();
        for d in problems {
            diagnostics.push(d);
        }
        if unsafe_links {
            return None;
        }
        let missing: Vec<&str> = REQUIRED_TEMPLATES
            .iter()
            .copied()
            .filter(|t| !sources.contains_key(*t))
            .collect();
        if !missing.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    "missing-template",
                    format!("theme `{theme}` lacks {}", missing.join(", ")),
                )
                .in_file(format!("themes/{theme}/templates"))
                .with_hint("add them to the theme, or to the site's templates/ directory"),
            );
            return None;
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let templates: Vec<(String, String)> = sources
            .iter()
            .map(|(name, (_, text))| (name.clone(), text.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            let file = template_file_of(&e, &sources);
            diagnostics.push(
                Diagnostic::error("template-error", error_chain(&e))
                    .in_file(file)
                    .with_hint("see the Tera documentation on template syntax"),
            );
            return None;
        }
        let sources = sources
            .into_iter()
            .map(|(name, (_, text))| (name, text))
            .collect();
        Some(Templates { tera, sources })
    }

    /// The page templates among `names` (see [`page_templates`]), when each is
    /// used only by its own pages: no other template names it (to extend,
    /// include or import it) and it defines no component. `None` when a
    /// change to `names` can change any page.
    pub fn used_only_by_their_pages(&self, names: &[String]) -> Option<HashSet<&'static str>> {
        names
            .iter()
            .map(|name| {
                let page = page_templates().find(|t| t == name)?;
                let text = self.sources.get(name)?;
                let quoted = format!("\"{name}\"");
                let named_elsewhere = self
                    .sources
                    .iter()
                    .any(|(other, text)| other != name && text.contains(&quoted));
                let defines_components =
                    text.contains("{% component") || text.contains("{%- component");
                (!named_elsewhere && !defines_components).then_some(page)
            })
            .collect()
    }

    /// The views shared by the pages of `chronicle`, list cards included.
    pub fn shared_views(&self, chronicle: &Chronicle) -> Shared {
        Shared::build_with_list_cards(chronicle, |entry| self.list_card(entry))
    }

    /// An entry as a list item (`cards.list`): the theme's `entry_item`
    /// component, else its `entry_card` at level 4; empty when the theme has
    /// neither or it fails (the pages rendering it then report why).
    pub fn list_card(&self, entry: &tera::Value) -> String {
        let mut context = Context::new();
        context.insert_value("entry", entry.clone());
        let component = if self.tera.contains_component("entry_item") {
            "entry_item"
        } else if self.tera.contains_component("entry_card") {
            context.insert("anchor", &false);
            context.insert("show_day", &false);
            context.insert("level", &4u8);
            "entry_card"
        } else {
            return String::new();
        };
        self.tera
            .render_component(component, &context, None, true)
            .unwrap_or_default()
    }

    fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Box<Diagnostic>> {
        let context = Context::from_serialize(context)
            .map_err(|e| Box::new(Diagnostic::error("template-error", error_chain(&e))))?;
        self.tera.render(name, &context).map_err(|e| {
            Box::new(
                Diagnostic::error(
                    "template-error",
                    format!("rendering {name}: {}", error_chain(&e)),
                )
                .with_hint(
                    "check the variable names against docs/reference.md, \"Template variables\"",
                ),
            )
        })
    }
}

/// The template files below `dir` (`.html` and `.xml`), by name.
fn template_files(
    inside: &crate::paths::Inside,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    inside
        .files_under(dir, problems)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|x| x == "html" || x == "xml"))
        .map(|(path, name)| (name.to_string_lossy().replace('\\', "/"), path))
        .collect()
}

fn template_file_of(e: &tera::Error, sources: &BTreeMap<String, (PathBuf, String)>) -> PathBuf {
    let text = error_chain(e);
    sources
        .iter()
        .find(|(name, _)| text.contains(&format!("'{name}'")))
        .map(|(_, (path, _))| path.clone())
        .unwrap_or_else(|| PathBuf::from("templates"))
}

/// An error and its causes, on one line each.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Metadata of the page being rendered (`page` in templates).
#[derive(Serialize)]
struct PageMeta {
    title: String,
    /// The page's path from the site root, `days/2022-01-26/`.
    path: String,
    /// Link to this page.
    url: String,
    /// Absolute URL.
    permalink: String,
    /// Which index the page belongs to: home, days, threads, actors, topics, sources.
    section: &'static str,
    /// schema.org JSON-LD for the head, ready to print (see [`jsonld`]); null on
    /// pages without it.
    jsonld: Option<String>,
}

/// Everything a page's template sees: `site`, `page`, and the page's own data.
#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    site: &'a SiteView,
    page: PageMeta,
    #[serde(flatten)]
    data: T,
}

/// The passages of an article to mark in its body, each linked to its entry.
pub fn article_marks<'a>(
    article: &'a crate::resolve::Article,
    chronicle: &'a Chronicle,
    shared: &'a Shared,
) -> Vec<html::Mark<'a>> {
    article
        .passages
        .iter()
        .map(|p| html::Mark {
            range: p.range.clone(),
            anchor: &p.anchor,
            entry_url: &shared.entry_urls[p.entry],
            entry_headline: &chronicle.entries[p.entry].headline,
            is_quote: p.quote_by.is_some(),
        })
        .collect()
}

/// Templates a theme may leave out; the pages they make are then not made.
pub const OPTIONAL_TEMPLATES: &[&str] = &["search.html"];

/// The templates pages are rendered with (see [`template_of`]): the
/// required ones and the optional ones.
pub fn page_templates() -> impl Iterator<Item = &'static str> {
    REQUIRED_TEMPLATES.iter().chain(OPTIONAL_TEMPLATES).copied()
}

/// The template the file at site path `path` is rendered with; `None` for
/// files made without one (feeds, data, the sitemap).
pub fn template_of(path: &str) -> Option<&'static str> {
    PageKind::of_path(path).map(PageKind::template)
}

/// Receives rendered pages: a site-relative path and its bytes.
pub trait Sink: Sync {
    /// Called from several threads at once, in no particular order.
    fn page(&self, path: &str, html: String) -> std::io::Result<()>;
}

/// Renders every page of the chronicle into `sink`, in parallel; returns
/// how many pages were rendered.
/// Stage timings are added to `timings`: shared views, then each kind of page.
pub fn render(
    chronicle: &Chronicle,
    templates: &Templates,
    sink: &dyn Sink,
    diagnostics: &mut Diagnostics,
    timings: &mut crate::Timings,
) -> usize {
    let shared = timings.time("  shared views", || templates.shared_views(chronicle));
    let pages = Pages {
        chronicle,
        templates,
        shared: &shared,
    };
    pages.render(sink, Selection::All, Vec::new(), diagnostics, timings)
}

/// What pages are made from: the chronicle, the theme, and the views
/// shared by pages (built by [`Templates::shared_views`]).
#[derive(Clone, Copy)]
pub struct Pages<'a> {
    pub chronicle: &'a Chronicle,
    pub templates: &'a Templates,
    pub shared: &'a Shared,
}

impl Pages<'_> {
    /// Renders the files `selection` picks into `sink`, in parallel; returns
    /// how many were rendered. With [`Selection::Only`], `site_pages` must
    /// be every `index.html` of the site, for the sitemap. Stage timings
    /// (each kind of page) are added to `timings`.
    pub fn render(
        &self,
        sink: &dyn Sink,
        selection: Selection,
        site_pages: Vec<String>,
        diagnostics: &mut Diagnostics,
        timings: &mut crate::Timings,
    ) -> usize {
        let out = Out::new(sink, selection, site_pages);
        self.ctx().all(&out, timings);
        for d in out.problems.into_inner().unwrap_or_else(|e| e.into_inner()) {
            diagnostics.push(d);
        }
        out.pages.into_inner()
    }

    /// The site path of every file a render makes, in no particular order;
    /// nothing is rendered.
    pub fn paths(&self) -> Vec<String> {
        struct Nowhere;
        impl Sink for Nowhere {
            fn page(&self, _: &str, _: String) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Out::new(&Nowhere, Selection::Paths, Vec::new());
        self.ctx().all(&out, &mut crate::Timings::default());
        out.listed.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            chronicle: self.chronicle,
            templates: self.templates,
            shared: self.shared,
        }
    }
}

/// What every page is made from; shared, read-only.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    chronicle: &'a Chronicle,
    templates: &'a Templates,
    shared: &'a Shared,
}

/// Which files a render pass makes.
#[derive(Clone, Copy)]
pub enum Selection<'a> {
    /// Every file.
    All,
    /// Only the files at these site paths (`days/2022-01-26/index.html`).
    Only(&'a HashSet<String>),
    /// No file: the pass only lists the path of every file it would make.
    Paths,
}

/// Where rendered pages and problems go; shared by the rendering threads.
struct Out<'a> {
    sink: &'a dyn Sink,
    selection: Selection<'a>,
    problems: Mutex<Vec<Diagnostic>>,
    pages: AtomicUsize,
    /// The `index.html` pages, for the sitemap: those written so far, or,
    /// when only some files are made, every page of the site.
    paths: Mutex<Vec<String>>,
    /// With [`Selection::Paths`], every file's path.
    listed: Mutex<Vec<String>>,
}

impl<'a> Out<'a> {
    fn new(sink: &'a dyn Sink, selection: Selection<'a>, site_pages: Vec<String>) -> Out<'a> {
        Out {
            sink,
            selection,
            problems: Mutex::new(Vec::new()),
            pages: AtomicUsize::new(0),
            paths: Mutex::new(site_pages),
            listed: Mutex::new(Vec::new()),
        }
    }

    /// Whether the file at `path` is to be made. Called before the work of
    /// making it; with [`Selection::Paths`] it records the path instead.
    fn wants(&self, path: &str) -> bool {
        match self.selection {
            Selection::All => true,
            Selection::Only(paths) => paths.contains(path),
            Selection::Paths => {
                let lock = |m: &'_ Mutex<Vec<String>>| {
                    m.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(path.to_string())
                };
                lock(&self.listed);
                if path.ends_with("index.html") {
                    lock(&self.paths);
                }
                false
            }
        }
    }

    /// Whether any file passing `test` can be wanted: false only when just
    /// some files are made and none of them passes.
    fn may_want(&self, test: impl Fn(&str) -> bool) -> bool {
        match self.selection {
            Selection::Only(paths) => paths.iter().any(|p| test(p)),
            Selection::All | Selection::Paths => true,
        }
    }

    /// The pages of a paginated list (as `paginate` gives them) that are to
    /// be made; each is asked once, so that all are listed.
    fn wanted_pages<T>(&self, pages: Vec<(String, T)>) -> Vec<(String, T)> {
        pages
            .into_iter()
            .filter(|(path, _)| self.wants(&crate::urls::index_file(path)))
            .collect()
    }

    fn finish(&self, path: &str, result: Result<String, Box<Diagnostic>>) {
        // Checked here, not only when written, so `check` fails where `build` would.
        let result = result.and_then(|html| match crate::write::safe_relative(path) {
            Ok(_) => Ok(html::without_controls(path, html)),
            Err(e) => Err(Box::new(Diagnostic::error(
                "unwritable-path",
                format!("cannot make {path}: {e}"),
            ))),
        });
        let problem = match result {
            Ok(html) => {
                self.pages.fetch_add(1, Ordering::Relaxed);
                if path.ends_with("index.html") && matches!(self.selection, Selection::All) {
                    self.paths
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(path.to_string());
                }
                self.sink
                    .page(path, html)
                    .err()
                    .map(|e| Diagnostic::error("write-failed", format!("cannot write {path}: {e}")))
            }
            Err(d) => Some(*d),
        };
        if let Some(d) = problem {
            self.problems
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(d);
        }
    }
}

/// A day with its entries grouped by thread.
#[derive(Serialize)]
struct DayView<'a> {
    date: String,
    label: String,
    url: String,
    entry_count: usize,
    /// In time order, all-day entries first.
    entries: Vec<&'a tera::Value>,
    groups: Vec<Group<'a>>,
    /// Entries not in `entries` (on the home page, which shows a few a day).
    more: usize,
}

/// Entries of one thread on one day; `thread` is `None` for entries in none.
#[derive(Serialize)]
struct Group<'a> {
    thread: Option<&'a Link>,
    entries: Vec<&'a tera::Value>,
}

#[derive(Serialize)]
struct ThreadSummary<'a> {
    link: &'a Link,
    id: &'a str,
    summary_html: String,
    topics: Vec<&'a Link>,
    count: usize,
    first: Option<String>,
    last: Option<String>,
}

/// How many items the counted lists beside thread, actor and topic pages show.
const SIDEBAR_ITEMS: usize = 20;

/// What a sidebar counts in a page's entries.
#[derive(Clone, Copy)]
enum Facet {
    Threads,
    Actors,
    Topics,
}

/// How many headlines of each latest day the home page lists.
const HOME_ENTRIES_PER_DAY: usize = 15;

/// Where a page is among the pages of a paginated list (`pagination`).
#[derive(Serialize, Clone)]
struct Pagination {
    /// This page's number, from 1.
    current: usize,
    /// How many pages there are.
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    /// The pages to link to: the first, the last, and those up to
    /// [`PAGER_REACH`] either side of this one; empty when there is one page.
    pages: Vec<PageLink>,
}

#[derive(Serialize, Clone)]
struct PageLink {
    number: usize,
    url: String,
    /// Whether pages are left out between the previous link and this one.
    gap: bool,
}

/// How many pages either side of the current one the pager links to. Linking
/// to every page would make a list of N pages cost N² links in all.
const PAGER_REACH: usize = 2;

/// The page numbers a pager on page `current` of `total` shows, with whether
/// a gap comes before each.
fn pager_window(current: usize, total: usize) -> Vec<(usize, bool)> {
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

impl Pagination {
    /// A page title with its page number, from the second page on.
    fn title(&self, name: &str) -> String {
        if self.current == 1 {
            name.to_string()
        } else {
            format!("{name} (page {} of {})", self.current, self.total)
        }
    }
}

/// Entries of one day on a thread, actor or topic page.
#[derive(Serialize)]
struct DaySection<'a> {
    #[serde(skip)]
    day: chrono::NaiveDate,
    date: String,
    label: String,
    url: String,
    entries: Vec<&'a tera::Value>,
}

impl<'a> Ctx<'a> {
    fn all(&self, out: &Out, timings: &mut crate::Timings) {
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
        if out.may_want(under(&[PageKind::Search])) {
            timings.time("  search", || search::render(self, out));
        }
        if out.wants(NOT_FOUND_FILE) {
            out.finish(
                NOT_FOUND_FILE,
                self.render_only(
                    PageKind::NotFound,
                    "Page not found".into(),
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
    fn day_view<'v>(&self, day: &crate::resolve::Day, values: &'v [tera::Value]) -> DayView<'v>
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
            label: date_label(day.date),
            url: shared.urls.day(day.date),
            entry_count: day.entries.len(),
            entries: values.iter().collect(),
            groups,
            more: day.entries.len().saturating_sub(values.len()),
        }
    }

    /// The most frequent threads, actors or topics of `entries`, at most
    /// [`SIDEBAR_ITEMS`], leaving out `except` (the page's own item).
    fn sidebar(&self, entries: &[usize], facet: Facet, except: Option<usize>) -> Vec<Counted> {
        let (items_of, links): (fn(&crate::resolve::Entry) -> &[usize], _) = match facet {
            Facet::Threads => (|e| &e.threads, &self.shared.thread_links),
            Facet::Actors => (|e| &e.actors, &self.shared.actor_links),
            Facet::Topics => (|e| &e.topics, &self.shared.topic_links),
        };
        let mut counted = count_links(entries, self.chronicle, items_of, links, except);
        counted.truncate(SIDEBAR_ITEMS);
        counted
    }

    /// Template values of the entries `indexes`, in full.
    fn values(&self, indexes: &[usize]) -> Vec<tera::Value> {
        indexes
            .par_iter()
            .map(|&e| self.shared.entry_value(self.chronicle, e))
            .collect()
    }

    /// Template values of the entries `indexes`, in their list form.
    fn items(&self, indexes: &[usize]) -> Vec<tera::Value> {
        indexes
            .iter()
            .map(|&e| self.shared.item_value(self.chronicle, e))
            .collect()
    }

    fn thread_summaries(&self) -> Vec<ThreadSummary<'a>> {
        let c = self.chronicle;
        c.threads
            .iter()
            .enumerate()
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
                    .map(|&e| short_date_label(c.entries[e].day)),
                last: t
                    .entries
                    .last()
                    .map(|&e| short_date_label(c.entries[e].day)),
            })
            .collect()
    }

    fn home(&self, out: &Out) {
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
        }
        let c = self.chronicle;
        let mut threads = self.thread_summaries();
        threads.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.link.name.cmp(&b.link.name))
        });
        let all: Vec<usize> = (0..c.entries.len()).collect();
        let mut active = self.sidebar(&all, Facet::Actors, None);
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
        let home = Home {
            first_day: c.days.first().map(|d| short_date_label(d.date)),
            last_day: c.days.last().map(|d| short_date_label(d.date)),
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
            timeline_svg: timeline::home(c, self.shared),
        };
        let title = c.config.title.clone();
        let html_page = self.render_only(PageKind::Home, title, "", &home);
        out.finish(&Page::Home.file(), html_page);
    }

    /// Renders a page of `kind` at `url_path` (a page of a paginated list
    /// has its own), with the template and section the kind has.
    fn render_only(
        &self,
        kind: PageKind,
        title: String,
        url_path: &str,
        data: &impl Serialize,
    ) -> Result<String, Box<Diagnostic>> {
        self.render_with_jsonld(kind, title, url_path, data, None)
    }

    /// [`Self::render_only`], with schema.org JSON-LD for the page's head.
    fn render_with_jsonld(
        &self,
        kind: PageKind,
        title: String,
        url_path: &str,
        data: &impl Serialize,
        jsonld: Option<String>,
    ) -> Result<String, Box<Diagnostic>> {
        let page = PageContext {
            site: &self.shared.site,
            page: PageMeta {
                title,
                url: self.shared.urls.path(url_path),
                permalink: format!("{}{}", self.shared.site.base_url, url_path),
                path: url_path.to_string(),
                section: kind.section(),
                jsonld,
            },
            data,
        };
        self.templates.render(kind.template(), &page)
    }

    fn days(&self, out: &Out) {
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
            let label = day.date.format("%B %Y").to_string();
            if months.last().is_none_or(|m| m.label != label) {
                months.push(Month {
                    label: label.clone(),
                    days: Vec::new(),
                });
            }
            months.last_mut().expect("pushed").days.push(DayLink {
                date: day.date.to_string(),
                label: date_label(day.date),
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
            let result = self.render_only(
                PageKind::Days,
                "Days".into(),
                &Page::Days.dir(),
                &Days { months },
            );
            out.finish(&Page::Days.file(), result);
        }

        #[derive(Serialize)]
        struct DayPage<'a> {
            day: DayView<'a>,
            previous: Option<Link>,
            next: Option<Link>,
        }
        c.days.par_iter().enumerate().for_each(|(i, day)| {
            let date = day.date.to_string();
            let path = Page::Day(&date).dir();
            if !out.wants(&Page::Day(&date).file()) {
                return;
            }
            let link = |d: &crate::resolve::Day| Link {
                name: date_label(d.date),
                url: self.shared.urls.day(d.date),
            };
            let values = self.values(&day.entries);
            let data = DayPage {
                day: self.day_view(day, &values),
                previous: i.checked_sub(1).map(|p| link(&c.days[p])),
                next: c.days.get(i + 1).map(link),
            };
            let jsonld = Some(jsonld::day(self, day));
            let result =
                self.render_with_jsonld(PageKind::Day, date_label(day.date), &path, &data, jsonld);
            out.finish(&Page::Day(&date).file(), result);
        });
    }

    /// Splits a list of entries into pages of `paginate_by` (one page when
    /// 0): the first at `base`, the others at `base` + `page/N/`.
    fn paginate<'e>(
        &self,
        base: &str,
        entries: &'e [usize],
    ) -> Vec<(String, (&'e [usize], Pagination))> {
        let per_page = self.chronicle.config.paginate_by;
        let chunks: Vec<&[usize]> = if per_page == 0 || entries.is_empty() {
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
    fn by_day<'v>(&self, entries: &[usize], values: &'v [tera::Value]) -> Vec<DaySection<'v>> {
        let mut sections: Vec<DaySection<'_>> = Vec::new();
        for (&e, value) in entries.iter().zip(values) {
            let day = self.chronicle.entries[e].day;
            if sections.last().is_none_or(|s| s.day != day) {
                sections.push(DaySection {
                    day,
                    date: day.to_string(),
                    label: date_label(day),
                    url: self.shared.urls.day(day),
                    entries: Vec::new(),
                });
            }
            sections.last_mut().expect("pushed").entries.push(value);
        }
        sections
    }

    fn threads(&self, out: &Out) {
        #[derive(Serialize)]
        struct Threads<'a> {
            threads: Vec<ThreadSummary<'a>>,
        }
        if out.wants(&Page::Threads.file()) {
            let result = self.render_only(
                PageKind::Threads,
                "Threads".into(),
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
            aliases: &'a [String],
            days: Vec<DaySection<'a>>,
            pagination: Pagination,
            actors: &'a [Counted],
            topics: &'a [Counted],
            timeline_svg: &'a str,
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
                let actors = self.sidebar(&thread.entries, Facet::Actors, None);
                let topics = self.sidebar(&thread.entries, Facet::Topics, None);
                let timeline_svg = timeline::thread(c, self.shared, thread);
                for (path, (chunk, pagination)) in pages {
                    let values = self.values(chunk);
                    let data = ThreadPage {
                        thread: &summary,
                        aliases: &thread.aliases,
                        days: self.by_day(chunk, &values),
                        pagination: pagination.clone(),
                        actors: &actors,
                        topics: &topics,
                        // The graphic is drawn once, on the first page.
                        timeline_svg: if pagination.current == 1 {
                            &timeline_svg
                        } else {
                            ""
                        },
                    };
                    let title = pagination.title(&thread.title);
                    let first = (pagination.current - 1) * c.config.paginate_by + 1;
                    let jsonld = Some(jsonld::thread(self, thread, &path, chunk, first));
                    out.finish(
                        &crate::urls::index_file(&path),
                        self.render_with_jsonld(PageKind::Thread, title, &path, &data, jsonld),
                    );
                }
            });
    }

    fn actors(&self, out: &Out) {
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
            label: &'static str,
            actors: Vec<ActorItem<'a>>,
        }
        let groups: Vec<KindGroup<'_>> = ActorKind::ALL
            .iter()
            .filter(|_| wanted)
            .map(|&kind| KindGroup {
                kind: kind.as_str(),
                label: kind_label(kind),
                actors: c
                    .actors
                    .iter()
                    .enumerate()
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
            let result = self.render_only(
                PageKind::Actors,
                "Actors".into(),
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
            aliases: &'a [String],
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
            threads: &'a [Counted],
            co_actors: &'a [Counted],
            topics: &'a [Counted],
            timeline_svg: &'a str,
        }
        let mut members: Vec<Vec<&Link>> = vec![Vec::new(); c.actors.len()];
        for (m, actor) in c.actors.iter().enumerate() {
            if let Some(a) = actor.affiliation {
                members[a].push(&self.shared.actor_links[m]);
            }
        }
        c.actors.par_iter().enumerate().for_each(|(i, actor)| {
            let base = Page::Actor(&actor.slug).dir();
            let pages = out.wanted_pages(self.paginate(&base, &actor.entries));
            if pages.is_empty() {
                return;
            }
            let threads = self.sidebar(&actor.entries, Facet::Threads, None);
            let co_actors = self.sidebar(&actor.entries, Facet::Actors, Some(i));
            let topics = self.sidebar(&actor.entries, Facet::Topics, None);
            let view = ActorView {
                id: &actor.id,
                name: &actor.name,
                url: &self.shared.actor_links[i].url,
                kind: actor.kind.as_str(),
                role: actor.role.as_deref(),
                affiliation: actor.affiliation.map(|a| &self.shared.actor_links[a]),
                aliases: &actor.aliases,
                description_html: html::markdown(&actor.description, c.config.raw_html),
                members: members[i].clone(),
            };
            let timeline_svg = timeline::strip(
                c,
                self.shared,
                &actor.entries,
                format!("Entries per day: {}", actor.name),
            );
            for (path, (chunk, pagination)) in pages {
                // Quotes are listed once, on the first page.
                let quotes = if pagination.current == 1 {
                    actor
                        .quotes
                        .iter()
                        .map(|&(e, q)| self.shared.quote_view(c, e, q))
                        .collect()
                } else {
                    Vec::new()
                };
                let values = self.items(chunk);
                let data = ActorPage {
                    actor: &view,
                    entries: values.iter().collect(),
                    days: self.by_day(chunk, &values),
                    pagination: pagination.clone(),
                    quotes,
                    threads: &threads,
                    co_actors: &co_actors,
                    topics: &topics,
                    timeline_svg: if pagination.current == 1 {
                        &timeline_svg
                    } else {
                        ""
                    },
                };
                let title = pagination.title(&actor.name);
                let jsonld = Some(jsonld::actor(self, i));
                out.finish(
                    &crate::urls::index_file(&path),
                    self.render_with_jsonld(PageKind::Actor, title, &path, &data, jsonld),
                );
            }
        });
    }

    fn topics(&self, out: &Out) {
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
        let items = c
            .topics
            .iter()
            .enumerate()
            .filter(|_| wanted)
            .map(|(i, t)| TopicItem {
                link: &self.shared.topic_links[i],
                description_html: html::markdown(&t.description, c.config.raw_html),
                count: t.entries.len(),
            })
            .collect();
        if wanted {
            let result = self.render_only(
                PageKind::Topics,
                "Topics".into(),
                &Page::Topics.dir(),
                &Topics { topics: items },
            );
            out.finish(&Page::Topics.file(), result);
        }

        #[derive(Serialize)]
        struct TopicView<'a> {
            id: &'a str,
            name: &'a str,
            aliases: &'a [String],
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
        }
        c.topics.par_iter().enumerate().for_each(|(i, topic)| {
            let base = Page::Topic(&topic.slug).dir();
            let pages = out.wanted_pages(self.paginate(&base, &topic.entries));
            if pages.is_empty() {
                return;
            }
            let threads = self.sidebar(&topic.entries, Facet::Threads, None);
            let actors = self.sidebar(&topic.entries, Facet::Actors, None);
            let co_topics = self.sidebar(&topic.entries, Facet::Topics, Some(i));
            let view = TopicView {
                id: &topic.id,
                name: &topic.name,
                aliases: &topic.aliases,
                description_html: html::markdown(&topic.description, c.config.raw_html),
            };
            let timeline_svg = timeline::strip(
                c,
                self.shared,
                &topic.entries,
                format!("Entries per day: {}", topic.name),
            );
            for (path, (chunk, pagination)) in pages {
                let values = self.items(chunk);
                let data = TopicPage {
                    topic: &view,
                    entries: values.iter().collect(),
                    days: self.by_day(chunk, &values),
                    pagination: pagination.clone(),
                    threads: &threads,
                    actors: &actors,
                    co_topics: &co_topics,
                    timeline_svg: if pagination.current == 1 {
                        &timeline_svg
                    } else {
                        ""
                    },
                };
                let title = pagination.title(&topic.name);
                out.finish(
                    &crate::urls::index_file(&path),
                    self.render_only(PageKind::Topic, title, &path, &data),
                );
            }
        });
    }

    fn sources(&self, out: &Out) {
        let c = self.chronicle;
        #[derive(Serialize)]
        struct ArticleItem {
            title: String,
            url: String,
            date_label: String,
            date: String,
            entry_count: usize,
        }
        #[derive(Serialize)]
        struct Outlet {
            name: String,
            articles: Vec<ArticleItem>,
        }
        let mut outlets: BTreeMap<String, Vec<(Option<chrono::NaiveDate>, ArticleItem)>> =
            BTreeMap::new();
        let wanted = out.wants(&Page::Sources.file());
        for article in c.articles.iter().filter(|_| wanted) {
            let name = if article.outlet.is_empty() {
                "Unknown outlet".to_string()
            } else {
                article.outlet.clone()
            };
            outlets.entry(name).or_default().push((
                article.published.map(|p| p.date),
                ArticleItem {
                    title: article.title.clone(),
                    url: self.shared.urls.article(&article.slug),
                    date_label: article
                        .published
                        .map(|p| short_date_label(p.date))
                        .unwrap_or_default(),
                    date: article
                        .published
                        .map(|p| p.date.to_string())
                        .unwrap_or_default(),
                    entry_count: article.entries.len(),
                },
            ));
        }
        let outlets: Vec<Outlet> = outlets
            .into_iter()
            .map(|(name, mut items)| {
                items.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.title.cmp(&b.1.title)));
                Outlet {
                    name,
                    articles: items.into_iter().map(|(_, item)| item).collect(),
                }
            })
            .collect();
        #[derive(Serialize)]
        struct Sources {
            outlets: Vec<Outlet>,
        }
        if wanted {
            let result = self.render_only(
                PageKind::Sources,
                "Sources".into(),
                &Page::Sources.dir(),
                &Sources { outlets },
            );
            out.finish(&Page::Sources.file(), result);
        }

        #[derive(Serialize)]
        struct ArticleView<'a> {
            title: &'a str,
            outlet: &'a str,
            original_url: Option<&'a str>,
            author: Option<&'a str>,
            language: Option<&'a str>,
            published_label: String,
            published: String,
            path: String,
            format: &'static str,
            body_html: String,
        }
        /// An entry the article reports, with its passages in this article.
        #[derive(Serialize)]
        struct ArticleEntry {
            entry: tera::Value,
            passages: Vec<String>,
        }
        #[derive(Serialize)]
        struct ArticlePage<'a> {
            article: ArticleView<'a>,
            entries: Vec<ArticleEntry>,
        }
        c.articles.par_iter().enumerate().for_each(|(a, article)| {
            let path = Page::Article(&article.slug).dir();
            if !out.wants(&crate::urls::index_file(&path)) {
                return;
            }
            let page_url = self.shared.urls.article(&article.slug);
            let marks = article_marks(article, c, self.shared);
            let entries = article
                .entries
                .iter()
                .map(|&e| ArticleEntry {
                    entry: self.shared.item_value(c, e),
                    passages: c.entries[e]
                        .sources
                        .iter()
                        .filter(|s| s.article == a)
                        .flat_map(|s| s.passages.iter().map(|p| format!("{page_url}#{p}")))
                        .collect(),
                })
                .collect();
            let data = ArticlePage {
                article: ArticleView {
                    title: &article.title,
                    outlet: &article.outlet,
                    original_url: article.url.as_deref(),
                    author: article.author.as_deref(),
                    language: article.language.as_deref(),
                    published_label: article
                        .published
                        .map(|p| date_label(p.date))
                        .unwrap_or_default(),
                    published: article
                        .published
                        .map(|p| {
                            p.at.map(|t| t.to_rfc3339())
                                .unwrap_or_else(|| p.date.to_string())
                        })
                        .unwrap_or_default(),
                    path: article.path.to_string_lossy().replace('\\', "/"),
                    format: match article.format {
                        crate::load::Format::Markdown => "markdown",
                        crate::load::Format::PlainText => "text",
                    },
                    body_html: html::render_body(&article.body, &marks),
                },
                entries,
            };
            let result = self.render_with_jsonld(
                PageKind::Article,
                article.title.clone(),
                &path,
                &data,
                Some(jsonld::article(self, a)),
            );
            out.finish(&crate::urls::index_file(&path), result);
        });
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
    fn each_page_is_known_by_its_template() {
        for (path, template) in [
            ("index.html", Some("index.html")),
            ("404.html", Some("404.html")),
            ("days/index.html", Some("days.html")),
            ("days/2022-01-26/index.html", Some("day.html")),
            ("threads/talks/index.html", Some("thread.html")),
            ("threads/talks/page/2/index.html", Some("thread.html")),
            ("actors/index.html", Some("actors.html")),
            ("actors/lavrov/index.html", Some("actor.html")),
            ("topics/energy/page/3/index.html", Some("topic.html")),
            ("sources/index.html", Some("sources.html")),
            ("articles/ap-moscow/index.html", Some("article.html")),
            ("search/index.html", Some("search.html")),
            ("actors/lavrov/feed.xml", None),
            ("feed.json", None),
            ("chronicle.json", None),
            ("sitemap.xml", None),
        ] {
            assert_eq!(template_of(path), template, "{path}");
        }
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

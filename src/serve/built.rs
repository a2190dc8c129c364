//! One good build as `chronicle serve` holds it: the static files, the
//! rendered pages within the page cache's budget, and the model that renders
//! a stale page when it is asked for.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use super::cache::PageCache;
use super::patch::ArticleDrafts;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Positioned, SourceFiles};
use crate::render::views::SharedViews;
use crate::render::{Pages, Selection, Sink, Templates};
use crate::resolve::Chronicle;

/// Files by site path (`days/2022-01-26/index.html`).
pub type Files = HashMap<String, Arc<[u8]>>;

/// What pages are made from, kept between rebuilds.
pub struct Model {
    pub(super) chronicle: Chronicle,
    pub(super) templates: Templates,
    pub(super) shared: SharedViews,
    pub(super) drafts: ArticleDrafts,
}

impl Model {
    pub(super) fn pages(&self) -> Pages<'_> {
        Pages {
            chronicle: &self.chronicle,
            templates: &self.templates,
            shared: &self.shared,
        }
    }
}

/// The model, shared by the rebuilding thread and the threads rendering
/// stale pages on request. `None` after a rebuild stopped half-way (a bug):
/// the next rebuild is then a full one.
pub(super) type SharedModel = Arc<Mutex<Option<Model>>>;

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One good build as served.
pub struct BuiltSite {
    /// The static files, the site's over the theme's.
    pub(super) statics: Arc<Files>,
    /// Pages rendered and current; shared with the build before, whose
    /// stale pages a rebuild removes in place.
    pub(super) pages: Arc<Mutex<PageCache>>,
    /// Every page and generated file of the site, rendered or stale.
    pub(super) paths: Arc<HashSet<String>>,
    pub(super) model: SharedModel,
    /// Pages rendered since the build, on request (for tests and the log).
    pub(super) rendered_on_request: Mutex<Vec<String>>,
}

/// What asking a [`BuiltSite`] for a file gives.
pub enum Lookup {
    Found(Arc<[u8]>),
    /// The file exists but could not be rendered; the problems say why.
    Failed(Vec<Positioned>),
    Missing,
}

impl BuiltSite {
    /// Whether the site has a file at `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.paths.contains(key) || self.statics.contains_key(key)
    }

    /// The file at `key`; a stale page is rendered first.
    pub fn get(&self, key: &str) -> Lookup {
        if let Some(bytes) = lock(&self.pages).get(key) {
            return Lookup::Found(bytes);
        }
        if !self.paths.contains(key) {
            return match self.statics.get(key) {
                Some(bytes) => Lookup::Found(Arc::clone(bytes)),
                None => Lookup::Missing,
            };
        }
        let model = lock(&self.model);
        // Rendered by another request while this one waited?
        if let Some(bytes) = lock(&self.pages).get(key) {
            return Lookup::Found(bytes);
        }
        let Some(model) = model.as_ref() else {
            let d = Diagnostic::error(
                Code::Rebuilding,
                "the site is being rebuilt; reload in a moment",
            );
            return Lookup::Failed(vec![d.positioned(&SourceFiles::default())]);
        };
        let wanted = HashSet::from([key.to_string()]);
        let site_pages = if key.starts_with("sitemap") {
            self.paths
                .iter()
                .filter(|p| p.ends_with("index.html"))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let sink = MemorySink::with_budget(usize::MAX);
        let mut diagnostics = Diagnostics::default();
        model.pages().render(
            &sink,
            Selection::Only(&wanted),
            site_pages,
            &mut diagnostics,
            &mut crate::Timings::default(),
        );
        if diagnostics.has_errors() {
            let files = SourceFiles::default();
            return Lookup::Failed(
                diagnostics
                    .items()
                    .iter()
                    .map(|d| d.positioned(&files))
                    .collect(),
            );
        }
        let mut pages = lock(&self.pages);
        let mut found = Lookup::Missing;
        for (path, bytes) in lock(&sink.0).pages.drain() {
            if path == key {
                found = Lookup::Found(Arc::clone(&bytes));
            }
            pages.insert(path, bytes);
        }
        lock(&self.rendered_on_request).push(key.to_string());
        found
    }

    /// Every file's site path, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .paths
            .iter()
            .chain(self.statics.keys().filter(|k| !self.paths.contains(*k)))
            .cloned()
            .collect();
        paths.sort();
        paths
    }

    /// The page at `key` if it is rendered and current, without rendering.
    pub fn rendered_page(&self, key: &str) -> Option<Arc<[u8]>> {
        lock(&self.pages).peek(key)
    }

    /// How many pages are rendered and current.
    pub fn rendered(&self) -> usize {
        lock(&self.pages).len()
    }

    /// The pages rendered on request since this build, in order.
    pub fn rendered_on_request(&self) -> Vec<String> {
        lock(&self.rendered_on_request).clone()
    }
}

/// Collects rendered pages, as many as its budget allows, and every path.
#[derive(Default)]
pub(super) struct MemorySink(pub(super) Mutex<SinkState>);

#[derive(Default)]
pub(super) struct SinkState {
    pub(super) pages: PageCache,
    pub(super) paths: HashSet<String>,
}

impl MemorySink {
    pub(super) fn with_budget(budget: usize) -> MemorySink {
        MemorySink(Mutex::new(SinkState {
            pages: PageCache::new(budget),
            paths: HashSet::new(),
        }))
    }
}

impl Sink for MemorySink {
    fn page(&self, path: &str, html: String) -> std::io::Result<()> {
        let mut state = lock(&self.0);
        state.paths.insert(path.to_string());
        state
            .pages
            .insert_if_room(path.to_string(), html.into_bytes().into());
        Ok(())
    }
}

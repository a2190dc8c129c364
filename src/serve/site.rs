//! The site as `chronicle serve` holds it, and rebuilding it.
//!
//! A full build loads, resolves and renders every page into memory, and
//! keeps what the pages were made from (the [`Model`]). After that, an edit
//! is handled by the smallest rebuild that gives the same site as a full
//! one:
//!
//! - an article's file: the article is resolved again on its own
//!   ([`crate::serve::patch`]); the pages showing an entry it touches are
//!   marked stale;
//! - a template: the templates are loaded again and every page is marked
//!   stale;
//! - a static file: the static files are read again;
//! - anything else (site.toml, a registry, an article added or removed), or
//!   an article edit that could change other articles: a full build.
//!
//! A stale page is rendered again when it is next asked for, so an edit
//! costs the pages the editor looks at, not all the pages it touches.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::patch::ArticleDrafts;
use crate::config::Overrides;
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, Positioned};
use crate::render::{Selection, Templates};
use crate::resolve::ArticleIx;
use crate::{BuildOptions, BuildReport};

pub use super::cache::{PageCache, PAGE_CACHE_BYTES};
use super::stale::{shape, stale_sections};
use crate::urls::section_of;

use super::built::{lock, MemorySink, SinkState};
pub use super::built::{BuiltSite, Files, Lookup, Model};

/// What the server answers from: the last good build, and the problems of
/// the last rebuild if it failed.
#[derive(Default)]
pub struct SiteState {
    /// The last good build; `None` until a build succeeds.
    pub built: Option<Arc<BuiltSite>>,
    /// The diagnostics of the last rebuild when it failed; empty when it
    /// succeeded.
    pub errors: Vec<Positioned>,
    /// Counts rebuilds, for the reload script's `since`.
    pub generation: u64,
}

/// What one rebuild produced.
pub struct Outcome {
    /// The new build when the rebuild succeeded.
    pub built: Option<Arc<BuiltSite>>,
    /// Everything the rebuild reported (warnings too), with its source
    /// files, for the terminal.
    pub report: BuildReport,
    /// What kind of rebuild it was, for the terminal.
    pub kind: RebuildKind,
}

/// How much a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildKind {
    /// Loaded, resolved and rendered everything.
    Full,
    /// Resolved these articles again; this many pages went stale.
    Articles { articles: usize, stale: usize },
    /// Loaded the templates again; this many pages went stale: those
    /// rendered with the templates changed, or all.
    Templates { stale: usize },
    /// Read the static files again.
    Static,
}

/// Rebuilds the site in memory, as little as each change needs.
pub struct Builder {
    options: BuildOptions,
    /// The last good build.
    current: Option<Arc<BuiltSite>>,
    /// Changes not yet in a good build: a failed rebuild's changes are
    /// handled again with the next ones.
    pending: BTreeSet<PathBuf>,
    /// How many bytes of rendered pages to keep.
    cache_bytes: usize,
}

/// What a batch of changed paths needs.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    Full,
    Partial {
        articles: Vec<PathBuf>,
        /// Names of the templates changed (`day.html`).
        templates: Vec<String>,
        statics: bool,
    },
}

impl Builder {
    /// A builder for the site at `root`, its pages linking to `base_url`.
    pub fn new(root: &Path, base_url: &str, strict: bool) -> Builder {
        Builder {
            options: BuildOptions {
                root: root.to_path_buf(),
                overrides: Overrides {
                    output_dir: None,
                    base_url: Some(base_url.to_string()),
                    strict,
                },
                take_over_output: false,
                progress: None,
            },
            current: None,
            pending: BTreeSet::new(),
            cache_bytes: PAGE_CACHE_BYTES,
        }
    }

    /// Keeps at most `bytes` of rendered pages (default
    /// [`PAGE_CACHE_BYTES`]); the others are rendered when asked for.
    pub fn with_page_cache(mut self, bytes: usize) -> Builder {
        self.cache_bytes = bytes;
        self
    }

    /// Builds the site again after `changed` paths changed (empty: the
    /// first build, a full one).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Outcome {
        self.pending.extend(changed.iter().cloned());
        let outcome = match (&self.current, self.plan()) {
            (
                Some(current),
                Plan::Partial {
                    articles,
                    templates,
                    statics,
                },
            ) => {
                let current = Arc::clone(current);
                self.partial(&current, &articles, &templates, statics)
                    .unwrap_or_else(|| self.full())
            }
            _ => self.full(),
        };
        if let Some(built) = &outcome.built {
            self.current = Some(Arc::clone(built));
            self.pending.clear();
        }
        outcome
    }

    /// What the pending changes need.
    fn plan(&self) -> Plan {
        let root = &self.options.root;
        let mut articles = Vec::new();
        let mut templates = Vec::new();
        let mut statics = false;
        for path in &self.pending {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
            match parts.as_slice() {
                ["content", "articles", ..] => {
                    // Other files there (an editor's temporary file, say)
                    // are no article's.
                    let ext = rel.extension().and_then(|e| e.to_str());
                    if matches!(ext, Some("md" | "txt" | "yaml")) {
                        articles.push(rel.to_path_buf());
                    }
                }
                ["templates", name @ ..] | ["themes", _, "templates", name @ ..] => {
                    templates.push(name.join("/"))
                }
                ["static", ..] | ["themes", _, "static", ..] => statics = true,
                // Among the rest, a standalone page (content/pages/): its
                // title and order are in every page's navigation.
                _ => return Plan::Full,
            }
        }
        Plan::Partial {
            articles,
            templates,
            statics,
        }
    }

    /// A full build.
    fn full(&mut self) -> Outcome {
        let fail = |report| Outcome {
            built: None,
            report,
            kind: RebuildKind::Full,
        };
        let options = &self.options;
        let (resolved, mut report) = super::patch::load_and_resolve_keeping(options);
        let Some((chronicle, drafts)) = resolved else {
            return fail(report);
        };
        if report.diagnostics.has_errors() {
            return fail(report);
        }
        let root = &options.root;
        let Some(templates) = Templates::load(root, &chronicle.config, &mut report.diagnostics)
        else {
            return fail(report);
        };
        let statics = read_statics(root, &chronicle.config, &mut report);
        let shared = templates.shared_views(&chronicle);
        let model = Model {
            chronicle,
            templates,
            shared,
            drafts,
        };
        let sink = MemorySink::with_budget(self.cache_bytes);
        let mut timings = std::mem::take(&mut report.timings);
        report.stats.pages = model.pages().render(
            &sink,
            Selection::All,
            Vec::new(),
            &mut report.diagnostics,
            &mut timings,
        );
        report.timings = timings;
        report.diagnostics.sort(&report.files);
        if report.diagnostics.has_errors() {
            return fail(report);
        }
        let SinkState { pages, paths } = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
        Outcome {
            built: Some(Arc::new(BuiltSite {
                statics: Arc::new(statics),
                pages: Arc::new(Mutex::new(pages)),
                paths: Arc::new(paths),
                model: Arc::new(Mutex::new(Some(model))),
                rendered_on_request: Mutex::default(),
            })),
            report,
            kind: RebuildKind::Full,
        }
    }

    /// Applies article, template and static changes to the current build;
    /// `None` when they need a full build instead.
    fn partial(
        &mut self,
        current: &BuiltSite,
        articles: &[PathBuf],
        templates: &[String],
        statics: bool,
    ) -> Option<Outcome> {
        let mut guard = lock(&current.model);
        // Taken out while it changes: a model left half-changed (by a bug,
        // or a failure after some articles were patched) is not used again,
        // and the next rebuild is a full one.
        let mut model = guard.take()?;
        let mut changed = false;
        let step = self.apply(
            &mut model,
            &mut changed,
            current,
            articles,
            templates,
            statics,
        );
        let keep = matches!(step, Step::Done(_)) || !changed;
        if keep {
            *guard = Some(model);
        }
        match step {
            Step::Done(outcome) | Step::Failed(outcome) => Some(outcome),
            Step::Refused => None,
        }
    }

    fn apply(
        &self,
        model: &mut Model,
        changed: &mut bool,
        current: &BuiltSite,
        articles: &[PathBuf],
        templates: &[String],
        statics: bool,
    ) -> Step {
        let root = &self.options.root;
        let mut report = BuildReport::default();
        let mut timings = crate::Timings::default();
        let Some(changes) = article_changes(root, &model.drafts, articles) else {
            return Step::Refused;
        };
        let resolved = self.apply_articles(model, changed, &changes, &mut report, &mut timings);
        let Some((stale, same_shape)) = resolved else {
            return Step::Refused;
        };
        // The pages to render again for the templates: those rendered with
        // the ones changed, or all (`None`).
        let mut by_template: Option<HashSet<&'static str>> = Some(HashSet::new());
        if !templates.is_empty() {
            let config = &model.chronicle.config;
            let Some(loaded) = Templates::load(root, config, &mut report.diagnostics) else {
                return Step::Failed(Outcome {
                    built: None,
                    report,
                    kind: RebuildKind::Templates { stale: 0 },
                });
            };
            by_template = loaded.used_only_by_their_pages(templates);
            model.templates = loaded;
            if by_template.is_none() {
                // List cards come from components, which may have changed.
                model.shared = model.templates.shared_views(&model.chronicle);
            }
            *changed = true;
        }
        let statics = if statics {
            Arc::new(read_statics(root, &model.chronicle.config, &mut report))
        } else {
            Arc::clone(&current.statics)
        };
        let paths = if same_shape {
            Arc::clone(&current.paths)
        } else {
            let listed = timings.time("list pages", || model.pages().paths());
            Arc::new(listed.into_iter().collect())
        };
        let pages = Arc::clone(&current.pages);
        let (rendered, removed) = timings.time("mark stale pages", || {
            let mut pages = lock(&pages);
            let removed: Vec<Arc<[u8]>> = match &by_template {
                None => pages.drain().into_iter().map(|(_, bytes)| bytes).collect(),
                Some(changed_templates) => {
                    let gone: Vec<String> = pages
                        .paths()
                        .filter(|path| {
                            stale.contains(section_of(path))
                                || !(same_shape || paths.contains(*path))
                                || crate::render::template_of(path)
                                    .is_some_and(|t| changed_templates.contains(t))
                        })
                        .cloned()
                        .collect();
                    gone.iter().filter_map(|path| pages.remove(path)).collect()
                }
            };
            (pages.len(), removed)
        });
        // Freeing large files (chronicle.json, say) takes a while: not on
        // the way to the reload.
        std::thread::spawn(move || drop(removed));
        report.timings = timings;
        report.stats.pages = paths.len();
        report.diagnostics.sort(&report.files);
        let kind = if !templates.is_empty() {
            RebuildKind::Templates {
                stale: paths.len() - rendered,
            }
        } else if !changes.is_empty() {
            RebuildKind::Articles {
                articles: changes.len(),
                stale: paths.len() - rendered,
            }
        } else {
            RebuildKind::Static
        };
        Step::Done(Outcome {
            built: Some(Arc::new(BuiltSite {
                statics,
                pages,
                paths,
                model: Arc::clone(&current.model),
                rendered_on_request: Mutex::default(),
            })),
            report,
            kind,
        })
    }

    /// Resolves the changed articles again, one at a time; returns the
    /// sections they make stale and whether the site still has the same
    /// pages, or `None` when a change needs a full build.
    fn apply_articles(
        &self,
        model: &mut Model,
        changed: &mut bool,
        changes: &[ArticleChange],
        report: &mut BuildReport,
        timings: &mut crate::Timings,
    ) -> Option<(HashSet<String>, bool)> {
        let root = &self.options.root;
        let mut stale: HashSet<String> = HashSet::new();
        // Whether the site still has the same pages.
        let mut same_shape = true;
        for change in changes {
            let mut diagnostics = Diagnostics::default();
            let config = &model.chronicle.config;
            let mut load = |text: &Path| {
                let loaded = timings.time("load article", || {
                    crate::load::load_one_article(
                        root,
                        text,
                        config,
                        &mut report.files,
                        &mut diagnostics,
                    )
                });
                loaded.filter(|_| !diagnostics.has_errors())
            };
            let loaded = match change {
                ArticleChange::Edited(_, text) | ArticleChange::Added(text) => match load(text) {
                    Some(loaded) => Some(loaded),
                    None => return None,
                },
                ArticleChange::Removed(_) => None,
            };
            let days_before: Vec<_> = model.chronicle.days.iter().map(|d| d.date).collect();
            let shape_before = shape(&model.chronicle);
            let drafts = &mut model.drafts;
            let chronicle = &mut model.chronicle;
            let patched = timings.time("resolve article", || match (change, loaded) {
                (ArticleChange::Edited(a, _), Some(loaded)) => {
                    drafts.patch(chronicle, *a, loaded, &mut diagnostics)
                }
                (ArticleChange::Added(_), Some(loaded)) => {
                    // Articles are renumbered before it is resolved.
                    *changed = true;
                    drafts.add_article(chronicle, loaded, &mut diagnostics)
                }
                (ArticleChange::Removed(a), _) => {
                    drafts.remove_article(chronicle, *a, &mut diagnostics)
                }
                _ => Err(super::patch::Refused("nothing to resolve")),
            });
            let Ok(mut patch) = patched else {
                return None;
            };
            *changed = true;
            report.diagnostics.extend(diagnostics);
            let Model {
                chronicle,
                templates,
                shared,
                ..
            } = model;
            let moved = timings.time("shared views", || {
                shared.renumber(chronicle, &patch.kept, &patch.rebuilt, |item| {
                    templates.list_card(item)
                })
            });
            // Entries that moved to another page of their day's page are
            // shown anew wherever they are linked.
            patch.changed.extend(moved);
            patch.changed.sort_unstable();
            patch.changed.dedup();
            let days_after: Vec<_> = chronicle.days.iter().map(|d| d.date).collect();
            same_shape &= shape(chronicle) == shape_before;
            stale.extend(stale_sections(chronicle, &patch, days_before != days_after));
        }
        Some((stale, same_shape))
    }
}

/// A change to one article.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ArticleChange {
    /// Article N's file (or sidecar) changed; its file is the path.
    Edited(ArticleIx, PathBuf),
    /// A new article, at this path.
    Added(PathBuf),
    /// Article N's file is gone.
    Removed(ArticleIx),
}

/// What the changed files below content/articles (`rels`, relative to
/// `root`) do to the articles: each article once, though both its files
/// changed. `None` when they need a full build: a file that belongs to no
/// article and is none (a sidecar without its text), or an article added
/// or removed among other changes (as articles are renumbered then).
fn article_changes(
    root: &Path,
    drafts: &ArticleDrafts,
    rels: &[PathBuf],
) -> Option<Vec<ArticleChange>> {
    let mut changes = BTreeSet::new();
    let is_text = |rel: &Path| rel.extension().is_some_and(|e| e == "md" || e == "txt");
    for rel in rels {
        let change = match drafts.article_of(rel) {
            Some((a, text)) if root.join(text).is_file() => {
                ArticleChange::Edited(a, text.to_path_buf())
            }
            Some((a, _)) => ArticleChange::Removed(a),
            None if is_text(rel) && root.join(rel).is_file() => ArticleChange::Added(rel.clone()),
            // The sidecar of a text added in the same batch.
            None if rels.iter().any(|other| {
                is_text(other) && other.with_extension("") == rel.with_extension("")
            }) =>
            {
                continue
            }
            None => return None,
        };
        changes.insert(change);
    }
    let renumbering = changes
        .iter()
        .any(|c| !matches!(c, ArticleChange::Edited(..)));
    if renumbering && changes.len() > 1 {
        return None;
    }
    Some(changes.into_iter().collect())
}

/// How applying changes to the current build went.
enum Step {
    /// A new build.
    Done(Outcome),
    /// The changes have problems; the outcome reports them.
    Failed(Outcome),
    /// The changes need a full build.
    Refused,
}

/// Reads the static files, the site's over the theme's.
fn read_statics(
    root: &Path,
    config: &crate::config::SiteConfig,
    report: &mut BuildReport,
) -> Files {
    let mut files = Files::new();
    for (path, rel) in crate::static_files(root, config, &mut report.diagnostics) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                files.insert(rel, bytes.into());
                report.stats.static_files += 1;
            }
            Err(e) => report.diagnostics.push(Diagnostic::error(
                Code::IoError,
                format!("{}: {e}", path.display()),
            )),
        }
    }
    files
}

impl SiteState {
    /// Takes in a rebuild's outcome: a good build replaces the site and
    /// clears the errors; a failed one keeps the site and records its
    /// problems.
    pub fn apply(&self, outcome: &mut Outcome) -> SiteState {
        let generation = self.generation + 1;
        match outcome.built.take() {
            Some(built) => SiteState {
                built: Some(built),
                errors: Vec::new(),
                generation,
            },
            None => {
                let report = &outcome.report;
                let mut errors: Vec<Positioned> = report
                    .diagnostics
                    .items()
                    .iter()
                    .map(|d| d.positioned(&report.files))
                    .collect();
                if errors.is_empty() {
                    errors.push(
                        Diagnostic::error(Code::BuildFailed, "the build failed")
                            .positioned(&report.files),
                    );
                }
                SiteState {
                    built: self.built.clone(),
                    errors,
                    generation,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_sorted_by_what_they_need() {
        let mut builder = Builder::new(Path::new("/site"), "/", false);
        let plan = |builder: &mut Builder, paths: &[&str]| {
            builder.pending = paths.iter().map(PathBuf::from).collect();
            builder.plan()
        };
        assert_eq!(
            plan(
                &mut builder,
                &[
                    "/site/content/articles/2022/a.yaml",
                    "/site/content/articles/2022/.a.yaml.tmp1234",
                    "/site/themes/default/static/style.css",
                ]
            ),
            Plan::Partial {
                articles: vec![PathBuf::from("content/articles/2022/a.yaml")],
                templates: Vec::new(),
                statics: true,
            }
        );
        assert_eq!(
            plan(
                &mut builder,
                &[
                    "/site/templates/day.html",
                    "/site/themes/x/templates/parts/a.html"
                ]
            ),
            Plan::Partial {
                articles: Vec::new(),
                templates: vec!["day.html".to_string(), "parts/a.html".to_string()],
                statics: false,
            }
        );
        for full in [
            "/site/site.toml",
            "/site/content/actors.yaml",
            "/site/content/other/x.md",
            "/site/content/pages/about.md",
        ] {
            assert_eq!(
                plan(&mut builder, &["/site/templates/day.html", full]),
                Plan::Full,
                "{full}"
            );
        }
    }
}

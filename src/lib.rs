//! chronicle: a static site generator for annotated crisis chronicles.
//!
//! The build is one pipeline, a module per stage, with a plain data type
//! between stages:
//!
//! 1. [`load`]: read `site.toml`, the registries and the articles → [`load::LoadedSite`]
//! 2. [`resolve`]: resolve names, dates, ids, evidence and cross-references → [`resolve::Chronicle`]
//! 3. [`render`]: one Tera context per page → HTML handed to a [`render::Sink`]
//! 4. [`write`]: pages land in a staging directory swapped in only on success
//!
//! Problems found anywhere are collected in [`diagnostics::Diagnostics`] and
//! reported together.

pub mod config;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzz;
pub mod heap;
pub mod import;
pub mod linkcheck;
pub mod load;
pub mod paths;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod urls;
pub mod write;

use crate::diagnostics::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use config::Overrides;
use diagnostics::{Diagnostic, Diagnostics, SourceFiles};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's root directory (holding site.toml).
    pub root: PathBuf,
    /// Settings that win over site.toml.
    pub overrides: Overrides,
    /// Replace an output directory that holds files chronicle did not write
    /// (`build --force`).
    pub take_over_output: bool,
    /// Told of each stage and page, for a progress display.
    pub progress: Option<ProgressHook>,
}

/// Told how a build goes, for a progress display (the command line's is
/// indicatif's bar). Called from several threads at once.
pub trait Progress: Send + Sync {
    /// A stage begins: "load", "resolve", "templates", "static files",
    /// "render and write", "swap in".
    fn stage(&self, name: &str);
    /// The render will make `total` files.
    fn expect_pages(&self, total: usize);
    /// One more file was rendered (and handed to the writers).
    fn page_done(&self);
}

/// A [`Progress`] in [`BuildOptions`].
#[derive(Clone)]
pub struct ProgressHook(pub std::sync::Arc<dyn Progress>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

impl BuildOptions {
    /// Tells the progress display, if any, that `stage` begins.
    fn announce(&self, stage: &str) {
        if let Some(ProgressHook(progress)) = &self.progress {
            progress.stage(stage);
        }
    }
}

/// Figures about a build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub articles: usize,
    pub entries: usize,
    pub days: usize,
    pub threads: usize,
    pub actors: usize,
    pub topics: usize,
    pub passages: usize,
    pub pages: usize,
    pub static_files: usize,
    /// Files of the output whose content changed (or is new).
    pub files_written: usize,
    /// Files identical to the previous output's, kept as they were.
    pub files_unchanged: usize,
    /// The output's files and bytes by kind of file (pages of each kind,
    /// feeds, data, sitemap, static files), written or kept.
    pub output: write::OutputFigures,
}

/// The result of a build: its problems, the files they point into, and,
/// when it succeeded, where the site was written.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub files: SourceFiles,
    /// The output directory, when the build was written.
    pub output: Option<PathBuf>,
    pub stats: Stats,
    /// How long each stage took, in order.
    pub timings: Timings,
}

/// Wall time of each stage of a run, for `--timings`.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<StageTiming>);

/// One stage's figures. Stage names that start with spaces are parts of the
/// stage above them.
#[derive(Debug, Clone)]
pub struct StageTiming {
    pub stage: &'static str,
    pub duration: std::time::Duration,
    /// Heap bytes live when the stage ended (with the `heap-stats` feature).
    pub heap_after: Option<usize>,
    /// Most heap bytes live during the stage (with the `heap-stats` feature).
    pub heap_peak: Option<usize>,
}

impl Timings {
    /// Runs `f`, recording its time under `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        heap::reset_peak();
        let value = f();
        self.record(stage, start.elapsed());
        value
    }

    /// Records a stage timed by the caller; the heap peak is that since the
    /// last [`heap::reset_peak`].
    pub fn record(&mut self, stage: &'static str, duration: std::time::Duration) {
        self.0.push(StageTiming {
            stage,
            duration,
            heap_after: heap::live(),
            heap_peak: heap::peak(),
        });
    }
}

impl BuildReport {
    /// Whether the site was written.
    pub fn succeeded(&self) -> bool {
        self.output.is_some()
    }
}

struct StagingSink<'a> {
    queue: &'a write::PageQueue,
    /// Where a streamed file is written, by the thread that makes it.
    staging: &'a write::Staging,
    progress: Option<&'a ProgressHook>,
}

impl StagingSink<'_> {
    fn done(&self) {
        if let Some(ProgressHook(progress)) = self.progress {
            progress.page_done();
        }
    }
}

impl render::Sink for StagingSink<'_> {
    fn page(&self, path: &str, html: String) -> std::io::Result<()> {
        let sent = self.queue.send(path, html);
        self.done();
        sent
    }

    fn stream(&self, path: &str, produce: &render::Produce) -> std::io::Result<()> {
        let written = self.staging.write_streamed(path, produce);
        self.done();
        written
    }

    fn wants_total(&self) -> bool {
        self.progress.is_some()
    }

    fn expect(&self, total: usize) {
        if let Some(ProgressHook(progress)) = self.progress {
            progress.expect_pages(total);
        }
    }
}

/// Threads writing pages while others render: most of their time is spent
/// waiting on the file system, so more of them than cores.
const WRITER_THREADS: usize = 4;

/// Loads and resolves a site: the first two stages, which find every
/// content problem. Nothing is rendered or written.
///
/// The articles are drafted as they are read and their texts let go of
/// (see [`resolve::ArticleText`]), so the "load" stage includes finding
/// the evidence.
pub fn load_and_resolve(options: &BuildOptions) -> (Option<resolve::Chronicle>, BuildReport) {
    load_and_resolve_with(
        options,
        resolve::Drafting::default(),
        resolve::resolve_drafted,
        |c| c,
    )
}

/// Loads, handing the articles to `batches` as they are read, then
/// resolves with `resolve`, whose result holds the chronicle (`chronicle_of`
/// finds it there).
pub(crate) fn load_and_resolve_with<B: load::Batches, T>(
    options: &BuildOptions,
    mut batches: B,
    resolve: impl FnOnce(load::LoadedSite, B, &mut Diagnostics) -> T,
    chronicle_of: fn(&T) -> &resolve::Chronicle,
) -> (Option<T>, BuildReport) {
    let mut report = BuildReport::default();
    let mut timings = Timings::default();
    options.announce("load");
    let loaded = timings.time("load", || {
        load::load_in_batches(
            &options.root,
            &options.overrides,
            &mut report.files,
            &mut report.diagnostics,
            &mut batches,
        )
    });
    options.announce("resolve");
    let resolved = timings.time("resolve", || {
        loaded.map(|site| resolve(site, batches, &mut report.diagnostics))
    });
    report.timings = timings;
    report
        .files
        .restore_referenced(&options.root, &report.diagnostics);
    report.files.release_unreferenced(&report.diagnostics);
    if let Some(c) = resolved.as_ref().map(chronicle_of) {
        if c.config.strict {
            report.diagnostics.make_strict();
        }
        report.stats = Stats {
            articles: c.articles.len(),
            entries: c.entries.len(),
            days: c.days.len(),
            threads: c.threads.len(),
            actors: c.actors.len(),
            topics: c.topics.len(),
            passages: c.articles.iter().map(|a| a.passages.len()).sum(),
            ..Stats::default()
        };
    }
    report.diagnostics.sort(&report.files);
    (resolved, report)
}

/// Builds the site: load, resolve, render, write. The output directory is
/// replaced only when the whole build succeeds.
pub fn build(options: &BuildOptions) -> BuildReport {
    let (chronicle, mut report) = load_and_resolve(options);
    let Some(chronicle) = chronicle else {
        return report;
    };
    if report.diagnostics.has_errors() {
        return report;
    }
    let root = &options.root;
    let mut timings = std::mem::take(&mut report.timings);
    options.announce("templates");
    let templates = timings.time("templates", || {
        render::Templates::load(root, &chronicle.config, &mut report.diagnostics)
    });
    let Some(templates) = templates else {
        report.timings = timings;
        return report;
    };
    let output = root.join(&chronicle.config.output_dir);
    let staging = match write::Staging::new(&output, options.take_over_output) {
        Ok(s) => s,
        Err(e) => {
            report.diagnostics.push(output_error(e));
            report.timings = timings;
            return report;
        }
    };
    options.announce("static files");
    timings.time("static files", || {
        let files = static_files(root, &chronicle.config, &mut report.diagnostics);
        match staging.copy_files(&files) {
            Ok(n) => report.stats.static_files += n,
            Err(e) => report.diagnostics.push(io_error(Path::new("static"), e)),
        }
    });
    // The stage ends when the last page is written, not when it is rendered.
    options.announce("render and write");
    let diagnostics = &mut report.diagnostics;
    let (pages, failures) = timed_with_parts("render and write", &mut timings, |parts| {
        staging.write_in_background(WRITER_THREADS, |queue| {
            render::render(
                &chronicle,
                &templates,
                &StagingSink {
                    queue,
                    staging: &staging,
                    progress: options.progress.as_ref(),
                },
                diagnostics,
                parts,
            )
        })
    });
    report.stats.pages = pages;
    for d in write_failures(failures) {
        report.diagnostics.push(d);
    }
    report.stats.files_written = staging.written();
    report.stats.files_unchanged = staging.unchanged();
    report.stats.output = staging.figures();
    if !report.diagnostics.has_errors() {
        options.announce("swap in");
        match timings.time("swap in", || staging.commit()) {
            Ok(()) => report.output = Some(output),
            Err(e) => report.diagnostics.push(io_error(&output, e)),
        }
    }
    report.timings = timings;
    report
}

/// Renders every page into `sink`, timing the whole under `stage` and each
/// kind of page below it.
fn render_timed(
    stage: &'static str,
    chronicle: &resolve::Chronicle,
    templates: &render::Templates,
    sink: &dyn render::Sink,
    diagnostics: &mut Diagnostics,
    timings: &mut Timings,
) -> usize {
    timed_with_parts(stage, timings, |parts| {
        render::render(chronicle, templates, sink, diagnostics, parts)
    })
}

/// Runs `work`, timing the whole under `stage` and, below it, the parts
/// `work` records in the timings it is given.
fn timed_with_parts<T>(
    stage: &'static str,
    timings: &mut Timings,
    work: impl FnOnce(&mut Timings) -> T,
) -> T {
    let start = std::time::Instant::now();
    let mut parts = Timings::default();
    let value = work(&mut parts);
    let whole_peak = parts.0.iter().filter_map(|p| p.heap_peak).max();
    timings.record(stage, start.elapsed());
    if let Some(last) = timings.0.last_mut() {
        last.heap_peak = whole_peak.max(last.heap_peak);
    }
    timings.0.extend(parts.0);
    value
}

/// The directories copied into the output, in order: the theme's static
/// files, then the site's, which win.
pub(crate) fn static_dirs(root: &Path, config: &config::SiteConfig) -> [PathBuf; 2] {
    [
        root.join("themes").join(&config.theme).join("static"),
        root.join("static"),
    ]
}

/// Every static file of the site, as (path on disk, place in the site), in
/// copying order; links leading out of the site are reported, not followed
/// (unless `follow_outside_links`).
pub(crate) fn static_files(
    root: &Path,
    config: &config::SiteConfig,
    diagnostics: &mut Diagnostics,
) -> Vec<(PathBuf, String)> {
    let inside = paths::Inside::new(root, config.follow_outside_links);
    let mut problems = Vec::new();
    let files = static_dirs(root, config)
        .iter()
        .flat_map(|dir| inside.files_under(dir, &mut problems))
        .map(|(path, rel)| (path, rel.to_string_lossy().replace('\\', "/")))
        .collect();
    for d in problems {
        diagnostics.push(d);
    }
    files
}

/// Keeps what the link check needs of each rendered file: the ids and links
/// of HTML pages, only the name of other files.
#[derive(Default)]
struct LinkSink(std::sync::Mutex<BTreeMap<String, Option<linkcheck::PageLinks>>>);

impl render::Sink for LinkSink {
    fn page(&self, path: &str, html: String) -> std::io::Result<()> {
        // Read in the rendering thread, so pages are read in parallel.
        let links = path
            .ends_with(".html")
            .then(|| linkcheck::PageLinks::of(&html));
        drop(html);
        let mut pages = self.0.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(path.to_string(), links);
        Ok(())
    }

    /// A streamed file (an export) is made, so that its failures show, but
    /// not kept: only HTML pages have links to check.
    fn stream(&self, path: &str, produce: &render::Produce) -> std::io::Result<()> {
        produce(&mut std::io::sink())?;
        let mut pages = self.0.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(path.to_string(), None);
        Ok(())
    }
}

/// Everything a build checks, without writing anything: loads, resolves and
/// renders the site in memory, then checks that every internal link of
/// every page resolves, `#anchors` included. Broken links are errors.
pub fn check(options: &BuildOptions) -> BuildReport {
    let (chronicle, mut report) = load_and_resolve(options);
    let Some(chronicle) = chronicle else {
        return report;
    };
    let root = &options.root;
    let Some(templates) = render::Templates::load(root, &chronicle.config, &mut report.diagnostics)
    else {
        return report;
    };
    let sink = LinkSink::default();
    let mut timings = std::mem::take(&mut report.timings);
    report.stats.pages = render_timed(
        "render",
        &chronicle,
        &templates,
        &sink,
        &mut report.diagnostics,
        &mut timings,
    );
    let rendered = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut files: BTreeSet<String> = rendered.keys().cloned().collect();
    let pages: BTreeMap<String, linkcheck::PageLinks> = rendered
        .into_iter()
        .filter_map(|(path, links)| Some((path, links?)))
        .collect();
    for (_, rel) in static_files(root, &chronicle.config, &mut report.diagnostics) {
        files.insert(rel);
        report.stats.static_files += 1;
    }
    let broken = timings.time("link check", || {
        linkcheck::check_links(&pages, &files, &chronicle.config.base_path)
    });
    report.timings = timings;
    for link in broken {
        report.diagnostics.push(
            Diagnostic::error(
                Code::BrokenLink,
                format!(
                    "{} links to `{}`: {}",
                    link.page.display(),
                    link.href,
                    link.why
                ),
            )
            .in_file(link.page)
            .with_hint(
                "the link is made by a template or by an id in the content; fix whichever makes it",
            ),
        );
    }
    report.diagnostics.sort(&report.files);
    report
}

/// The diagnostic for an output directory that cannot be written.
fn output_error(e: write::OutputError) -> Diagnostic {
    use write::OutputError;
    let message = e.to_string();
    match e {
        OutputError::Busy { .. } => Diagnostic::error(Code::OutputLocked, message).with_hint(
            "wait for the other build to finish, or stop it; each output directory is built by one build at a time",
        ),
        OutputError::NotOurs { .. } => Diagnostic::error(Code::OutputNotOurs, message)
            .with_hint(
                "a build replaces its output directory whole, so it writes only into a new or empty directory, or one it made before",
            )
            .with_hint(
                "choose another directory (--output DIR or output_dir in site.toml), or pass --force to replace this one and delete what it holds",
            ),
        OutputError::NotADirectory { .. } => Diagnostic::error(Code::OutputNotADirectory, message)
            .with_hint("choose a directory path for --output or output_dir; the file is left as it is"),
        OutputError::NoParent { .. } => Diagnostic::error(Code::IoError, message)
            .with_hint("choose an output path whose parent is a directory, or can be made one"),
        OutputError::Io { .. } => Diagnostic::error(Code::IoError, message),
    }
}

/// Write failures, one diagnostic per cause: a full disk fails every file
/// the same way, and is said once, with how many files and a few of them.
fn write_failures(mut failures: Vec<(String, std::io::Error)>) -> Vec<Diagnostic> {
    failures.sort_by(|a, b| a.0.cmp(&b.0));
    let mut by_cause: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, e) in failures {
        by_cause.entry(e.to_string()).or_default().push(path);
    }
    by_cause
        .into_iter()
        .map(|(cause, paths)| {
            let message = match paths.len() {
                1 => format!("cannot write {}: {cause}", paths[0]),
                n => format!(
                    "cannot write {n} files ({}{}): {cause}",
                    paths[..paths.len().min(3)].join(", "),
                    if n > 3 { ", ..." } else { "" }
                ),
            };
            Diagnostic::error(Code::WriteFailed, message)
        })
        .collect()
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::IoError, format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_failures_of_one_cause_are_one_diagnostic_with_a_count() {
        let full = || std::io::Error::other("No space left on device");
        let mut failures: Vec<(String, std::io::Error)> = (0..10_795)
            .map(|n| (format!("days/{n:05}/index.html"), full()))
            .collect();
        failures.push((
            "a/b.html".into(),
            std::io::Error::other("Permission denied"),
        ));
        let diagnostics = write_failures(failures);
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(
            diagnostics[0].message,
            "cannot write 10795 files (days/00000/index.html, days/00001/index.html, \
             days/00002/index.html, ...): No space left on device"
        );
        assert_eq!(
            diagnostics[1].message,
            "cannot write a/b.html: Permission denied"
        );
    }
}

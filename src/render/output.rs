//! One rendering pass: which files it makes, where finished pages go, and
//! the problems found on the way. SharedViews by the rendering threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{html, Selection, Sink};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;

/// Where rendered pages and problems go; shared by the rendering threads.
pub(crate) struct Rendering<'a> {
    pub(crate) sink: &'a dyn Sink,
    pub(crate) selection: Selection<'a>,
    pub(crate) problems: Mutex<Vec<Diagnostic>>,
    pub(crate) pages: AtomicUsize,
    /// The `index.html` pages, for the sitemap: those written so far, or,
    /// when only some files are made, every page of the site.
    pub(crate) paths: Mutex<Vec<String>>,
    /// With [`Selection::Paths`], every file's path.
    pub(crate) listed: Mutex<Vec<String>>,
}

impl<'a> Rendering<'a> {
    pub(crate) fn new(
        sink: &'a dyn Sink,
        selection: Selection<'a>,
        site_pages: Vec<String>,
    ) -> Rendering<'a> {
        Rendering {
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
    pub(crate) fn wants(&self, path: &str) -> bool {
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
    pub(crate) fn may_want(&self, test: impl Fn(&str) -> bool) -> bool {
        match self.selection {
            Selection::Only(paths) => paths.iter().any(|p| test(p)),
            Selection::All | Selection::Paths => true,
        }
    }

    /// The pages of a paginated list (as `paginate` gives them) that are to
    /// be made; each is asked once, so that all are listed.
    pub(crate) fn wanted_pages<T>(&self, pages: Vec<(String, T)>) -> Vec<(String, T)> {
        pages
            .into_iter()
            .filter(|(path, _)| self.wants(&crate::urls::index_file(path)))
            .collect()
    }

    /// Hands the file at `path` to the sink as `produce` writes it (see
    /// [`super::Sink::stream`]); a failure is reported as `failure` says.
    pub(crate) fn stream(
        &self,
        path: &str,
        produce: &super::Produce,
        failure: impl Fn(std::io::Error) -> Diagnostic,
    ) {
        let problem = match crate::write::safe_relative(path) {
            Err(e) => Some(unwritable(path, e)),
            Ok(_) => {
                self.pages.fetch_add(1, Ordering::Relaxed);
                self.sink.stream(path, produce).err().map(failure)
            }
        };
        self.report(problem);
    }

    fn report(&self, problem: Option<Diagnostic>) {
        if let Some(d) = problem {
            self.problems
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(d);
        }
    }

    pub(crate) fn finish(&self, path: &str, result: Result<String, Box<Diagnostic>>) {
        // Checked here, not only when written, so `check` fails where `build` would.
        let result = result.and_then(|html| match crate::write::safe_relative(path) {
            Ok(_) => Ok(html::without_controls(path, html)),
            Err(e) => Err(Box::new(unwritable(path, e))),
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
                self.sink.page(path, html).err().map(|e| {
                    Diagnostic::error(Code::WriteFailed, format!("cannot write {path}: {e}"))
                })
            }
            Err(d) => Some(*d),
        };
        self.report(problem);
    }
}

/// A file the site cannot have at `path` (see [`crate::write::safe_relative`]).
fn unwritable(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::UnwritablePath, format!("cannot make {path}: {e}"))
}

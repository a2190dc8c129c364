//! The site as `chronicle serve` holds it: every page and static file in
//! memory, keyed by site path, and the diagnostics of the last failed
//! rebuild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Overrides;
use crate::diagnostics::{Diagnostic, Positioned};
use crate::{BuildOptions, BuildReport};

/// One build's files: site path (`days/2022-01-26/index.html`) → bytes.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// What the server answers from: the last good build, and the problems of
/// the last rebuild if it failed.
#[derive(Debug, Default)]
pub struct SiteState {
    /// The last good build's files; `None` until a build succeeds.
    pub files: Option<Arc<Files>>,
    /// The diagnostics of the last rebuild when it failed; empty when it
    /// succeeded.
    pub errors: Vec<Positioned>,
    /// Counts rebuilds, for the reload script's `since`.
    pub generation: u64,
}

/// Rebuilds the site in memory. Today every rebuild is a full build; the
/// changed paths are passed so that it can become incremental.
pub struct Builder {
    options: BuildOptions,
}

/// What one rebuild produced.
pub struct Outcome {
    /// The new files when the build succeeded.
    pub files: Option<Files>,
    /// Everything the build reported (warnings too), with its source files,
    /// for the terminal.
    pub report: BuildReport,
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
            },
        }
    }

    /// Builds the site again after `changed` paths changed (empty: the
    /// first build).
    pub fn rebuild(&mut self, _changed: &[PathBuf]) -> Outcome {
        build_in_memory(&self.options)
    }
}

/// Loads, resolves and renders the site into memory and reads its static
/// files; nothing is written.
pub fn build_in_memory(options: &BuildOptions) -> Outcome {
    let (chronicle, mut report) = crate::load_and_resolve(options);
    let fail = |report| Outcome {
        files: None,
        report,
    };
    let Some(chronicle) = chronicle else {
        return fail(report);
    };
    if report.diagnostics.has_errors() {
        return fail(report);
    }
    let root = &options.root;
    let Some(templates) =
        crate::render::Templates::load(root, &chronicle.config.theme, &mut report.diagnostics)
    else {
        return fail(report);
    };
    let mut files = Files::new();
    // Static files first, the site's over the theme's; pages win over both,
    // as in the written output.
    for dir in crate::static_dirs(root, &chronicle.config) {
        for item in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .into_iter()
            .flatten()
        {
            if !item.file_type().is_file() {
                continue;
            }
            let Ok(rel) = item.path().strip_prefix(&dir) else {
                continue;
            };
            match std::fs::read(item.path()) {
                Ok(bytes) => {
                    let key = rel.to_string_lossy().replace('\\', "/");
                    files.insert(key, bytes.into());
                    report.stats.static_files += 1;
                }
                Err(e) => report.diagnostics.push(Diagnostic::error(
                    "io-error",
                    format!("{}: {e}", item.path().display()),
                )),
            }
        }
    }
    let pages = crate::render_to_memory(&chronicle, &templates, &mut report);
    report.diagnostics.sort(&report.files);
    if report.diagnostics.has_errors() {
        return fail(report);
    }
    for (path, html) in pages {
        files.insert(path, html.into_bytes().into());
    }
    Outcome {
        files: Some(files),
        report,
    }
}

impl SiteState {
    /// Takes in a rebuild's outcome: a good build replaces the files and
    /// clears the errors; a failed one keeps the files and records its
    /// problems.
    pub fn apply(&self, outcome: &mut Outcome) -> SiteState {
        let generation = self.generation + 1;
        match outcome.files.take() {
            Some(files) => SiteState {
                files: Some(Arc::new(files)),
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
                        Diagnostic::error("build-failed", "the build failed")
                            .positioned(&report.files),
                    );
                }
                SiteState {
                    files: self.files.clone(),
                    errors,
                    generation,
                }
            }
        }
    }
}

//! A run of `chronicle import`: every input imported, then written only
//! if all of them could be, and the report of what happened.

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFiles};
use names::ActorIndex;
use skeleton::{comment_text, quote};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::*;

/// One input's import and where it went.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub input: PathBuf,
    pub article_path: PathBuf,
    pub sidecar_path: PathBuf,
    pub raw_path: Option<PathBuf>,
    /// The sidecar was there, edited since import, and was kept as it is.
    pub kept_sidecar: bool,
    /// The page as fetched, when the input was a URL.
    pub fetched: Option<Vec<u8>>,
    pub imported: Imported,
}

/// Whose a name is in the directory imported into.
enum Owner {
    /// No article, sidecar or copy has it.
    Free,
    /// The sidecar with it was drafted from the same input.
    Same,
    /// Another page's.
    Other,
}

fn owner(into: &Path, stem: &str, input_name: &str, inputs: &[PathBuf]) -> Owner {
    let sidecar = into.join(format!("{stem}.yaml"));
    let others = ["txt", "md", "raw"].map(|e| into.join(format!("{stem}.{e}")));
    if !sidecar.exists() && !others.iter().any(|p| p.exists()) {
        return Owner::Free;
    }
    // An input where the article would go: refused later, by name.
    if others
        .iter()
        .any(|p| std::fs::canonicalize(p).is_ok_and(|p| inputs.contains(&p)))
    {
        return Owner::Same;
    }
    let from = std::fs::read_to_string(&sidecar).unwrap_or_default();
    if drafted_from(&from) == Some(comment_text(input_name, 120).as_str()) {
        Owner::Same
    } else {
        Owner::Other
    }
}

/// The result of `chronicle import`.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub diagnostics: Diagnostics,
    pub files: SourceFiles,
    pub outcomes: Vec<Outcome>,
    /// Whether the files were written (nothing is, when anything is wrong).
    pub written: bool,
}

impl ImportReport {
    /// A path as printed: relative to the current directory, as `chronicle
    /// build` names files.
    pub fn shown(&self, path: &Path) -> String {
        if is_url(&path.to_string_lossy()) {
            return path.to_string_lossy().into_owned();
        }
        from_cwd(path).to_string_lossy().replace('\\', "/")
    }

    /// What was written: each file with its figures, then the totals.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        if !self.written {
            let _ = writeln!(
                out,
                "nothing imported: fix the problems above and run again"
            );
            return out;
        }
        for o in &self.outcomes {
            let i = &o.imported;
            let _ = writeln!(out, "imported {}", self.shown(&o.input));
            let _ = writeln!(
                out,
                "  wrote {}: {} kept, {} removed",
                self.shown(&o.article_path),
                plural(i.paragraphs, "paragraph", "paragraphs"),
                plural(i.removals.len(), "block", "blocks")
            );
            if o.kept_sidecar {
                let _ = writeln!(
                    out,
                    "  kept {}: edited since it was imported",
                    self.shown(&o.sidecar_path)
                );
            } else {
                let _ = writeln!(
                    out,
                    "  wrote {}: {}, {} to complete",
                    self.shown(&o.sidecar_path),
                    plural(i.entries, "entry", "entries"),
                    plural(i.todos, "TODO", "TODOs")
                );
            }
            if let Some(raw) = &o.raw_path {
                let _ = writeln!(
                    out,
                    "  wrote {}: the input as it was (sha256 {})",
                    self.shown(raw),
                    &i.sha256[..12]
                );
            }
        }
        let entries: usize = self.outcomes.iter().map(|o| o.imported.entries).sum();
        let removed: usize = self
            .outcomes
            .iter()
            .map(|o| o.imported.removals.len())
            .sum();
        let _ = writeln!(
            out,
            "imported {}: {}, {} removed; complete the TODOs, then run `chronicle check`",
            plural(self.outcomes.len(), "file", "files"),
            plural(entries, "entry", "entries"),
            plural(removed, "block", "blocks")
        );
        out
    }

    /// Every removed block of every input with the rule that removed it,
    /// then what each rule cited means.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let mut legend: Vec<(String, String)> = Vec::new();
        for o in &self.outcomes {
            let i = &o.imported;
            let _ = writeln!(
                out,
                "{} → {}: {} removed",
                self.shown(&o.input),
                self.shown(&o.article_path),
                plural(i.removals.len(), "block", "blocks")
            );
            let width = i
                .removals
                .iter()
                .map(|r| r.rule.chars().count())
                .max()
                .unwrap_or(0);
            for r in &i.removals {
                let lines = if r.first_line == r.last_line {
                    format!("{}", r.first_line)
                } else {
                    format!("{}-{}", r.first_line, r.last_line)
                };
                let more = if r.lines > 1 {
                    format!(
                        " (and {} more {})",
                        r.lines - 1,
                        if r.lines == 2 { "line" } else { "lines" }
                    )
                } else {
                    String::new()
                };
                let note = r
                    .note
                    .as_ref()
                    .map(|n| format!(" → {n}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  line {lines:<9} {:<width$}  {}{more}{note}",
                    r.rule,
                    quote(&comment_text(&r.text, 70))
                );
            }
            if !i.kept.is_empty() {
                let _ = writeln!(
                    out,
                    "  kept: {} a removal rule matched",
                    plural(i.kept.len(), "line", "lines")
                );
                for k in &i.kept {
                    let _ = writeln!(
                        out,
                        "  line {:<9} {}  {} → {}",
                        k.first_line,
                        k.rule,
                        quote(&comment_text(&k.text, 70)),
                        k.note.as_deref().unwrap_or("kept")
                    );
                }
            }
            for used in &i.rules_used {
                if !legend.contains(used) {
                    legend.push(used.clone());
                }
            }
        }
        if self.outcomes.iter().any(|o| {
            o.imported
                .kept
                .iter()
                .any(|k| k.rule == rules::REPORT_PROSE)
        }) {
            legend.push((
                rules::REPORT_PROSE.to_string(),
                "report text no rule removes: two sentences or more of eight words or more, \
                 mostly in lower case, forty words in all"
                    .to_string(),
            ));
        }
        if !legend.is_empty() {
            let _ = writeln!(out, "rules:");
            let width = legend
                .iter()
                .map(|(n, _)| n.chars().count())
                .max()
                .unwrap_or(0);
            for (name, description) in legend {
                let _ = writeln!(out, "  {name:<width$}  {description}");
            }
        }
        out
    }
}

/// `path` as seen from the current directory: an absolute path under it
/// made relative, a leading `./` dropped; any other path as it is.
pub fn from_cwd(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    if path.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = path.strip_prefix(&cwd) {
                path = rel.to_path_buf();
            }
        }
    }
    let parts: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if parts.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parts
    }
}

/// Every path the diagnostics name, as seen from the current directory.
fn paths_from_cwd(report: &mut ImportReport) {
    let items = std::mem::take(&mut report.diagnostics).into_items();
    for mut d in items {
        d.file = d.file.as_deref().map(from_cwd);
        report.diagnostics.push(d);
    }
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Imports the inputs into the site at `options.root`. Nothing is written
/// when any problem is found: an unreadable input or one over the size
/// limit, a bad `[import]` table, a file that exists (without `force`), an
/// output that would replace an input. Every input is still read (up to
/// the limit), so that the problems of all are reported at once.
pub fn run(options: &ImportOptions) -> ImportReport {
    let mut report = run_all(options);
    paths_from_cwd(&mut report);
    report.diagnostics.sort(&report.files);
    report
}

fn run_all(options: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::default();
    let site = rules::for_site(&options.root, &mut report.files, &mut report.diagnostics);
    let rules = site.rules;
    let (limit, limit_from) = match (options.max_size, site.max_size) {
        (Some(n), _) => (n, "--max-size"),
        (None, Some(n)) => (n, "site.toml's [import] max_size"),
        (None, None) => (DEFAULT_MAX_SIZE, "the default"),
    };
    let limit = limit.clamp(1, LARGEST_MAX_SIZE);
    let actors = ActorIndex::load(&options.root, &mut report.diagnostics);
    let published = match &options.published {
        Some(text) => {
            match Published::parse(text) {
                Some(p) => Some(p),
                None => {
                    report.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        format!("--published {text:?} is not a date or time"),
                    )
                    .with_hint("give YYYY-MM-DD, \"YYYY-MM-DD HH:MM\" or RFC 3339 (2022-01-26T18:05:00Z)"),
                );
                    None
                }
            }
        }
        None => None,
    };
    let into_rel = options
        .into
        .clone()
        .unwrap_or_else(|| PathBuf::from("content/articles"));
    let into = options.root.join(&into_rel);
    if !crate::config::normalize(&into).starts_with(crate::config::normalize(
        &options.root.join("content").join("articles"),
    )) {
        report.diagnostics.push(
            Diagnostic::warning(
                Code::OutsideArticles,
                format!(
                    "{} is not under content/articles: `chronicle build` will not see what is imported there",
                    into_rel.display()
                ),
            )
            .with_hint("--into is relative to the site's root, e.g. --into content/articles/2022/01"),
        );
    }
    if options
        .source
        .as_deref()
        .is_some_and(|s| s.trim().is_empty())
    {
        report.diagnostics.push(Diagnostic::error(
            Code::InvalidSource,
            "--source is empty: name the outlet, or leave the option out",
        ));
    }

    let mut taken: HashSet<String> = HashSet::new();
    let inputs: Vec<PathBuf> = options
        .inputs
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let timeout = options.timeout.unwrap_or(DEFAULT_TIMEOUT);
    for path in &options.inputs {
        let input = path.to_string_lossy().into_owned();
        let fetched = if is_url(&input) {
            match fetch(&input, timeout, limit) {
                Ok(f) => Some(f),
                Err(e) => {
                    let mut d =
                        Diagnostic::error(Code::FetchFailed, format!("cannot fetch {input}: {e}"));
                    d = match &e {
                        FetchError::Timeout(_) => d.with_hint(
                            "try again later, or allow more time with --timeout (such as --timeout 60)",
                        ),
                        FetchError::Status(404 | 410) => {
                            d.with_hint("check the address; an archived copy may still be there")
                        }
                        FetchError::TooLarge(_) => d.with_hint(
                            "raise the limit with --max-size (such as --max-size 64MiB)",
                        ),
                        FetchError::NotHtml(_) => d.with_hint(
                            "import takes HTML pages and text; save a PDF's text and import the file",
                        ),
                        _ => d.with_hint("save the page from the browser and import the file"),
                    };
                    report.diagnostics.push(d);
                    continue;
                }
            }
        } else {
            None
        };
        let bytes = match &fetched {
            Some(f) => f.bytes.clone(),
            None => match read_input(path, limit) {
                Ok(b) => b,
                Err(Unread::Failed(e)) => {
                    report.diagnostics.push(
                        Diagnostic::error(Code::UnreadableFile, format!("cannot read: {e}"))
                            .in_file(path),
                    );
                    continue;
                }
                Err(Unread::Directory) => {
                    report.diagnostics.push(
                        Diagnostic::error(Code::UnreadableFile, "cannot read: it is a directory")
                            .in_file(path)
                            .with_hint("name the pages in it, such as DIR/*.txt"),
                    );
                    continue;
                }
                Err(Unread::TooLarge(size)) => {
                    let limit = size_text(limit);
                    let message = match size {
                        Some(size) => format!(
                            "too large to import: {} ({size} bytes), over the limit of {limit} \
                             ({limit_from})",
                            size_text(size)
                        ),
                        None => format!(
                            "too large to import: more than the limit of {limit} ({limit_from}); \
                             reading stopped there"
                        ),
                    };
                    report.diagnostics.push(
                        Diagnostic::error(Code::TooLarge, message)
                            .in_file(path)
                            .with_hint(
                                "a page saved as text is seldom over a few MB: check that this is \
                                 the page's text, not an archive, a PDF or a device",
                            )
                            .with_hint(
                                "split a longer page into several files, or raise the limit with \
                                 --max-size (such as --max-size 64MiB) or with max_size in \
                                 site.toml's [import] table",
                            ),
                    );
                    continue;
                }
            },
        };
        let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        // HTML is read whatever its encoding's few stray bytes; text must
        // be UTF-8, as the article is kept word for word.
        if !html::looks_like_html(&bytes) {
            if let Err(e) = std::str::from_utf8(without_bom) {
                let line = without_bom[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                let d = Diagnostic::error(Code::NotUtf8, format!("line {line} is not valid UTF-8"))
                    .with_hint("save the page as UTF-8 text and import it again");
                report.diagnostics.push(if fetched.is_some() {
                    d
                } else {
                    d.in_file(path)
                });
                continue;
            }
        }
        let name = match &fetched {
            Some(_) => input.clone(),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
        };
        let retrieved = match &fetched {
            Some(f) => Some(f.retrieved.clone()),
            None => std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .filter(|_| path.is_file())
                .map(|t| {
                    chrono::DateTime::<Utc>::from(t)
                        .format("%Y-%m-%dT%H:%M:%SZ")
                        .to_string()
                }),
        };
        // A name used by another page, in this run or before, is not
        // taken again: the next free `-2`, `-3`... is. A page imported
        // again (its sidecar drafted from the same input) keeps its name.
        let mut avoid = taken.clone();
        let imported = loop {
            let imported = import_text(
                &bytes,
                &ImportContext {
                    rules: &rules,
                    actors: &actors,
                    input_name: &name,
                    source: options.source.as_deref().map(str::trim),
                    published: published.as_ref(),
                    keep_raw: options.keep_raw,
                    taken: &avoid,
                    name: options.name.as_deref(),
                    url: fetched.as_ref().map(|f| f.url.as_str()),
                    retrieved: retrieved.as_deref(),
                    charset: fetched.as_ref().and_then(|f| f.charset.as_deref()),
                },
            );
            if options.name.is_some() && !taken.contains(&imported.stem) {
                break imported;
            }
            match owner(&into, &imported.stem, &name, &inputs) {
                Owner::Free | Owner::Same => break imported,
                Owner::Other => {
                    avoid.insert(imported.stem.clone());
                }
            }
        };
        taken.insert(imported.stem.clone());
        let stem = &imported.stem;
        report.outcomes.push(Outcome {
            input: path.clone(),
            article_path: into.join(format!("{stem}.txt")),
            sidecar_path: into.join(format!("{stem}.yaml")),
            raw_path: options.keep_raw.then(|| into.join(format!("{stem}.raw"))),
            kept_sidecar: false,
            fetched: fetched.map(|f| f.bytes),
            imported,
        });
    }

    // Nothing is replaced without --force, and an input never; a sidecar
    // edited since import, never at all.
    for o in &mut report.outcomes {
        if options.force && o.sidecar_path.exists() {
            let text = std::fs::read_to_string(&o.sidecar_path).unwrap_or_default();
            o.kept_sidecar = !untouched(&text);
        }
    }
    for o in &report.outcomes {
        let stem_md = o.article_path.with_extension("md");
        if stem_md.exists() {
            let shown = report.shown(&stem_md);
            report.diagnostics.push(
                Diagnostic::error(
                    Code::FileExists,
                    format!("{shown} exists: an article beside it with the same name would be ambiguous"),
                )
                .in_file(&stem_md)
                .with_hint("import into another directory with --into"),
            );
        }
        let targets = [
            Some(&o.article_path),
            Some(&o.sidecar_path),
            o.raw_path.as_ref(),
        ];
        for target in targets.into_iter().flatten() {
            let resolved = std::fs::canonicalize(target).unwrap_or_else(|_| target.clone());
            if inputs.contains(&resolved) {
                report.diagnostics.push(
                    Diagnostic::error(
                        Code::OverwritesInput,
                        format!(
                            "importing {} would replace the input itself",
                            o.input.display()
                        ),
                    )
                    .in_file(target)
                    .with_hint(
                        "import into another directory with --into; the input is never modified",
                    ),
                );
            } else if target.exists() && !options.force {
                let shown = report.shown(target);
                report.diagnostics.push(
                    Diagnostic::error(
                        Code::FileExists,
                        format!("{shown} exists and was left as it is"),
                    )
                    .in_file(target)
                    .with_hint(
                        "pass --force to refresh it (a sidecar edited since import is kept all \
                         the same), choose another name with --name, or import into another \
                         directory with --into",
                    ),
                );
            } else if target == &o.sidecar_path && o.kept_sidecar {
                let shown = report.shown(target);
                report.diagnostics.push(
                    Diagnostic::warning(
                        Code::EditedSidecar,
                        format!(
                            "{shown} was edited since it was imported: kept as it is; only the \
                             article's text was refreshed"
                        ),
                    )
                    .in_file(target)
                    .with_hint(
                        "check its evidence against the refreshed text with `chronicle check`; \
                         to draft it anew, move it away and import again",
                    ),
                );
            }
        }
    }
    if report.diagnostics.has_errors() || report.outcomes.is_empty() {
        report.diagnostics.sort(&report.files);
        return report;
    }

    if let Err(e) = std::fs::create_dir_all(&into) {
        report.diagnostics.push(
            Diagnostic::error(
                Code::WriteFailed,
                format!("cannot create {}: {e}", into.display()),
            )
            .in_file(&into),
        );
        return report;
    }
    let mut failed = false;
    for o in &report.outcomes {
        let mut writes: Vec<(&Path, Vec<u8>)> =
            vec![(&o.article_path, o.imported.article.clone().into_bytes())];
        if !o.kept_sidecar {
            writes.push((&o.sidecar_path, o.imported.sidecar.clone().into_bytes()));
        }
        if let (Some(raw), Some(bytes)) = (&o.raw_path, &o.fetched) {
            writes.push((raw, bytes.clone()));
        } else if let Some(raw) = &o.raw_path {
            match read_input(&o.input, limit) {
                Ok(bytes) if sha256_hex(&bytes) == o.imported.sha256 => writes.push((raw, bytes)),
                Ok(_) | Err(Unread::TooLarge(_)) => {
                    report.diagnostics.push(
                        Diagnostic::error(
                            Code::WriteFailed,
                            format!("{} changed while it was imported", o.input.display()),
                        )
                        .in_file(&o.input)
                        .with_hint("import it again"),
                    );
                    failed = true;
                    continue;
                }
                Err(e) => {
                    let e = match e {
                        Unread::Failed(e) => e.to_string(),
                        _ => "it is no longer a file".to_string(),
                    };
                    report.diagnostics.push(
                        Diagnostic::error(Code::UnreadableFile, format!("cannot read: {e}"))
                            .in_file(&o.input),
                    );
                    failed = true;
                    continue;
                }
            }
        }
        for (path, bytes) in writes {
            if let Err(e) = write_file(path, &bytes, options.force) {
                report.diagnostics.push(
                    Diagnostic::error(Code::WriteFailed, format!("cannot write: {e}"))
                        .in_file(path),
                );
                failed = true;
            }
        }
    }
    report.written = !failed;
    report.diagnostics.sort(&report.files);
    report
}

/// Writes a file; without `force`, only when it does not exist yet.
pub(super) fn write_file(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    if force {
        return std::fs::write(path, bytes);
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

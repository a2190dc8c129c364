//! Problems found in a site, collected across every stage and reported together.
//!
//! Each stage pushes [`Diagnostic`]s into a [`Diagnostics`] collector instead of
//! stopping at the first problem. A diagnostic points into a [`SourceFile`] by
//! byte range; line and column are computed from the file's text when printed.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod code;
mod terminal;

pub use code::Code;
use terminal::MAX_MESSAGE;
pub use terminal::{emit, for_terminal};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// Reported; fails the build only under `strict = true`.
    Warning,
}

/// Index of a file in [`SourceFiles`].
pub type FileId = usize;

/// A place in a source file: which file and which bytes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: FileId,
    pub range: Range<usize>,
}

/// One problem: what is wrong, where, and what would be right.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The kind of problem.
    pub code: Code,
    pub message: String,
    /// Where the problem is, when it is in a file.
    pub location: Option<Location>,
    /// A file the problem concerns when no exact position is known.
    pub file: Option<PathBuf>,
    /// Short text shown under the marked span.
    pub label: Option<String>,
    /// Other places involved (the first declaration of a duplicate id, ...).
    pub related: Vec<(Location, String)>,
    /// What would be right: nearest names, accepted forms, ...
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error with a code and message and no position yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning with a code and message and no position yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            file: None,
            label: None,
            related: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// Points the diagnostic at a span; `None` leaves it unplaced.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Names the file concerned, for problems without a span.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn with_related(mut self, location: Option<Location>, text: impl Into<String>) -> Self {
        if let Some(location) = location {
            self.related.push((location, text.into()));
        }
        self
    }
}

/// A file the build read, kept so diagnostics can show its lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user (relative to the site root).
    pub path: PathBuf,
    /// Shared with the YAML documents read from it (see `load::yaml`).
    pub text: std::sync::Arc<str>,
    /// Where each line starts, worked out when a diagnostic first needs it:
    /// most files never have one, and a large site's lines are many.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The text was let go of ([`SourceFiles::release`]) and is read again
    /// if a diagnostic points into the file.
    released: bool,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        SourceFile {
            path,
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            released: false,
        }
    }

    /// Where each line starts.
    pub(crate) fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The 0-based line holding byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset) - 1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts()[line];
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, column + 1)
    }
}

/// Copies of `diagnostics` and `files` for printing, each relative path
/// (of a file read, or named by a diagnostic) put below `base`: the site's
/// root as given on the command line, so that the paths printed open from
/// where the command was run. What a report stores is left as it is.
pub fn rebased(
    diagnostics: &Diagnostics,
    files: &SourceFiles,
    base: &Path,
) -> (Diagnostics, SourceFiles) {
    let join = |path: &Path| {
        if path.is_absolute() || base.as_os_str().is_empty() || base == Path::new(".") {
            path.to_path_buf()
        } else {
            base.join(path)
        }
    };
    let mut files = files.clone();
    for file in &mut files.files {
        file.path = join(&file.path);
    }
    let mut diagnostics = diagnostics.clone();
    for d in &mut diagnostics.items {
        d.file = d.file.as_deref().map(join);
    }
    (diagnostics, files)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Every file a build read, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        self.files.len() - 1
    }

    /// Moves every file of `other` to the end of this set; returns how much
    /// `other`'s file ids grew by (see [`Diagnostics::shift_files`]).
    pub fn append(&mut self, other: SourceFiles) -> usize {
        let offset = self.files.len();
        self.files.extend(other.files);
        offset
    }

    /// Drops the text of every file no diagnostic points into, keeping its
    /// path and id: once the content is resolved, only files with problems
    /// are shown again, and a large site's texts are worth freeing.
    pub fn release_unreferenced(&mut self, diagnostics: &Diagnostics) {
        let referenced = self.referenced(diagnostics);
        for (file, referenced) in self.files.iter_mut().zip(referenced) {
            if !referenced {
                file.text = std::sync::Arc::from("");
                file.line_starts = std::sync::OnceLock::new();
            }
        }
    }

    /// For each file, whether a diagnostic points into it.
    fn referenced(&self, diagnostics: &Diagnostics) -> Vec<bool> {
        let mut referenced = vec![false; self.files.len()];
        for d in &diagnostics.items {
            let related = d.related.iter().map(|(l, _)| l);
            for location in d.location.iter().chain(related) {
                if let Some(r) = referenced.get_mut(location.file) {
                    *r = true;
                }
            }
        }
        referenced
    }

    /// Lets go of a file's text while the build goes on; see
    /// [`Self::restore_referenced`].
    pub fn release(&mut self, id: FileId) {
        if let Some(file) = self.files.get_mut(id) {
            file.text = std::sync::Arc::from("");
            file.line_starts = std::sync::OnceLock::new();
            file.released = true;
        }
    }

    /// Reads again, from below `root`, the text of every released file a
    /// diagnostic points into, so that its lines can be shown.
    pub fn restore_referenced(&mut self, root: &Path, diagnostics: &Diagnostics) {
        let wanted = self.referenced(diagnostics);
        for (file, wanted) in self.files.iter_mut().zip(wanted) {
            if wanted && file.released {
                let path = root.join(&file.path);
                if let Ok(text) = crate::load::read_text(&path, &file.path) {
                    *file = SourceFile::new(file.path.clone(), text);
                }
            }
        }
    }

    /// Keeps only the first `len` bytes of a file's text (a char boundary),
    /// and returns them.
    pub fn truncate(&mut self, id: FileId, len: usize) -> std::sync::Arc<str> {
        let file = &mut self.files[id];
        let prefix: std::sync::Arc<str> = std::sync::Arc::from(&file.text[..len]);
        *file = SourceFile::new(file.path.clone(), prefix.to_string());
        file.text = prefix.clone();
        prefix
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The problems of one build, in the order found; sorted when reported.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// The diagnostics, in the order found.
    pub fn into_items(self) -> Vec<Diagnostic> {
        self.items
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Adds `offset` to every file id, after [`SourceFiles::append`].
    pub fn shift_files(&mut self, offset: usize) {
        for item in &mut self.items {
            if let Some(location) = &mut item.location {
                location.file += offset;
            }
            for (location, _) in &mut item.related {
                location.file += offset;
            }
        }
    }

    /// Turns every warning into an error (`strict = true`).
    pub fn make_strict(&mut self) {
        for item in &mut self.items {
            item.severity = Severity::Error;
        }
    }

    /// Sorts by file path, then position, then message, so output is stable.
    pub fn sort(&mut self, files: &SourceFiles) {
        self.items.sort_by_cached_key(|d| sort_key(d, files));
    }
}

fn sort_key(d: &Diagnostic, files: &SourceFiles) -> (PathBuf, usize, String) {
    match &d.location {
        Some(loc) => (
            files.get(loc.file).path.clone(),
            loc.range.start,
            d.message.clone(),
        ),
        None => (d.file.clone().unwrap_or_default(), 0, d.message.clone()),
    }
}

/// A diagnostic with its position resolved to a path, line and column.
#[derive(Debug, Clone, Serialize)]
pub struct Positioned {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// Resolves the span to file, line and column.
    pub fn positioned(&self, files: &SourceFiles) -> Positioned {
        let (file, line, column) = match &self.location {
            Some(loc) => {
                let source = files.get(loc.file);
                let (line, column) = source.line_col(loc.range.start);
                (Some(display_path(&source.path)), Some(line), Some(column))
            }
            None => (self.file.as_deref().map(display_path), None, None),
        };
        let cut = |text: &str| match text.char_indices().nth(MAX_MESSAGE) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text.to_string(),
        };
        Positioned {
            severity: self.severity,
            code: self.code,
            message: cut(&self.message),
            file,
            line,
            column,
            hints: self.hints.iter().map(|h| cut(h)).collect(),
        }
    }
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Positioned {
    /// One line: `file:line:column: severity[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let (Some(line), Some(column)) = (self.line, self.column) {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.code, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_without_problems_lose_their_text_but_keep_their_ids() {
        let mut files = SourceFiles::default();
        let quiet = files.add("a.yaml".into(), "a: 1\n".into());
        let noisy = files.add("b.yaml".into(), "b: 1\nc: 2\n".into());
        let related = files.add("c.yaml".into(), "x\ny\n".into());
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            Diagnostic::warning(Code::UnknownField, "c")
                .at(Some(Location {
                    file: noisy,
                    range: 5..6,
                }))
                .with_related(
                    Some(Location {
                        file: related,
                        range: 2..3,
                    }),
                    "here",
                ),
        );
        files.release_unreferenced(&diagnostics);
        assert_eq!(&*files.get(quiet).text, "");
        assert_eq!(files.get(quiet).path, PathBuf::from("a.yaml"));
        assert_eq!(files.get(noisy).line_col(5), (2, 1));
        assert_eq!(files.get(related).line_col(2), (2, 1));
    }

    #[test]
    fn a_truncated_file_keeps_its_lines_up_to_the_cut() {
        let mut files = SourceFiles::default();
        let id = files.add("a.md".into(), "---\nx: 1\n---\nBody text\n".into());
        let kept = files.truncate(id, 12);
        assert_eq!(&*kept, "---\nx: 1\n---");
        assert_eq!(&*files.get(id).text, "---\nx: 1\n---");
        assert_eq!(files.get(id).line_col(4), (2, 1));
    }

    #[test]
    fn line_col_counts_characters_from_one() {
        let file = SourceFile::new("a.yaml".into(), "ab\ncé d\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // 'é' is two bytes; the space after it is the third character.
        assert_eq!(file.line_col(6), (2, 3));
    }

    #[test]
    fn strict_turns_warnings_into_errors() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::warning(Code::UnknownActor, "x"));
        assert!(!all.has_errors());
        all.make_strict();
        assert!(all.has_errors());
    }
}

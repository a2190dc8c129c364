//! Problems found in a site, collected across every stage and reported together.
//!
//! Each stage pushes [`Diagnostic`]s into a [`Diagnostics`] collector instead of
//! stopping at the first problem. A diagnostic points into a [`SourceFile`] by
//! byte range; line and column are computed from the file's text when printed.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term;
use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// Reported; fails the build only under `strict = true`.
    Warning,
}

/// Every kind of problem chronicle reports, by its stable kebab-case name
/// (`unknown-actor`): what `--format json` prints as `code`, and what
/// docs/reference.md documents, each of them (a test checks).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    AlreadyExists,
    AmbiguousArticle,
    AmbiguousName,
    AmbiguousPassage,
    AnnotatedTwice,
    BrokenLink,
    BuildFailed,
    ContextNotFound,
    DuplicateId,
    DuplicateKey,
    EmptyArticle,
    EvidenceNotFound,
    ExportFailed,
    FileExists,
    IgnoredField,
    ImpossibleDate,
    InternalError,
    InvalidArgument,
    InvalidBaseUrl,
    InvalidConfig,
    InvalidDate,
    InvalidImportRule,
    InvalidMaxSize,
    InvalidSource,
    InvalidYaml,
    IoError,
    LinkOutsideSite,
    MissingConfig,
    MissingField,
    MissingTemplate,
    MissingTheme,
    NotUtf8,
    OrphanSidecar,
    OutputLocked,
    OutputNotADirectory,
    OutputNotOurs,
    OutsideArticles,
    OverwritesInput,
    QuoteNotFound,
    Rebuilding,
    RepeatedSource,
    SearchIndex,
    TemplateError,
    TooLarge,
    UnannotatedArticle,
    UnfinishedAnnotation,
    UnknownActor,
    UnknownEntry,
    UnknownField,
    UnknownKind,
    UnknownThread,
    UnknownTimezone,
    UnknownTopic,
    UnreadableFile,
    UnreadablePath,
    UnreadableRegistry,
    UnsafeOutputDir,
    UnsafeUrl,
    UnterminatedFrontMatter,
    UnusableId,
    UnwritablePath,
    WriteFailed,
}

macro_rules! code_names {
    ($($variant:ident = $name:literal,)*) => {
        impl Code {
            /// Every code, in the order of their names.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code's name, as printed and documented.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

code_names! {
    AlreadyExists = "already-exists",
    AmbiguousArticle = "ambiguous-article",
    AmbiguousName = "ambiguous-name",
    AmbiguousPassage = "ambiguous-passage",
    AnnotatedTwice = "annotated-twice",
    BrokenLink = "broken-link",
    BuildFailed = "build-failed",
    ContextNotFound = "context-not-found",
    DuplicateId = "duplicate-id",
    DuplicateKey = "duplicate-key",
    EmptyArticle = "empty-article",
    EvidenceNotFound = "evidence-not-found",
    ExportFailed = "export-failed",
    FileExists = "file-exists",
    IgnoredField = "ignored-field",
    ImpossibleDate = "impossible-date",
    InternalError = "internal-error",
    InvalidArgument = "invalid-argument",
    InvalidBaseUrl = "invalid-base-url",
    InvalidConfig = "invalid-config",
    InvalidDate = "invalid-date",
    InvalidImportRule = "invalid-import-rule",
    InvalidMaxSize = "invalid-max-size",
    InvalidSource = "invalid-source",
    InvalidYaml = "invalid-yaml",
    IoError = "io-error",
    LinkOutsideSite = "link-outside-site",
    MissingConfig = "missing-config",
    MissingField = "missing-field",
    MissingTemplate = "missing-template",
    MissingTheme = "missing-theme",
    NotUtf8 = "not-utf8",
    OrphanSidecar = "orphan-sidecar",
    OutputLocked = "output-locked",
    OutputNotADirectory = "output-not-a-directory",
    OutputNotOurs = "output-not-ours",
    OutsideArticles = "outside-articles",
    OverwritesInput = "overwrites-input",
    QuoteNotFound = "quote-not-found",
    Rebuilding = "rebuilding",
    RepeatedSource = "repeated-source",
    SearchIndex = "search-index",
    TemplateError = "template-error",
    TooLarge = "too-large",
    UnannotatedArticle = "unannotated-article",
    UnfinishedAnnotation = "unfinished-annotation",
    UnknownActor = "unknown-actor",
    UnknownEntry = "unknown-entry",
    UnknownField = "unknown-field",
    UnknownKind = "unknown-kind",
    UnknownThread = "unknown-thread",
    UnknownTimezone = "unknown-timezone",
    UnknownTopic = "unknown-topic",
    UnreadableFile = "unreadable-file",
    UnreadablePath = "unreadable-path",
    UnreadableRegistry = "unreadable-registry",
    UnsafeOutputDir = "unsafe-output-dir",
    UnsafeUrl = "unsafe-url",
    UnterminatedFrontMatter = "unterminated-front-matter",
    UnusableId = "unusable-id",
    UnwritablePath = "unwritable-path",
    WriteFailed = "write-failed",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Code {
    /// The name, as everywhere else it is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
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
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text: text.into(),
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
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
        let mut referenced = vec![false; self.files.len()];
        for d in &diagnostics.items {
            let related = d.related.iter().map(|(l, _)| l);
            for location in d.location.iter().chain(related) {
                if let Some(r) = referenced.get_mut(location.file) {
                    *r = true;
                }
            }
        }
        for (file, referenced) in self.files.iter_mut().zip(referenced) {
            if !referenced {
                file.text = std::sync::Arc::from("");
                file.line_starts = vec![0];
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

/// Writes diagnostics as codespan-reporting snippets: the file, line and
/// column, the offending line with the span marked, and the hints.
///
/// What reaches the terminal is made safe to show: control characters from
/// the content (escape sequences among them) are written as `\u{1b}`, a
/// long line is cut around its span, and a long message is shortened.
pub fn emit(
    out: &mut dyn term::termcolor::WriteColor,
    diagnostics: &Diagnostics,
    files: &SourceFiles,
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diagnostics.items() {
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut message = d.message.clone();
        if d.location.is_none() {
            if let Some(file) = &d.file {
                message = format!("{}: {message}", display_path(file));
            }
        }
        let mut excerpts = Excerpts::default();
        let mut labels = Vec::new();
        if let Some(loc) = &d.location {
            let (file, range) = excerpts.show(files, loc);
            let mut label = Label::primary(file, range);
            if let Some(text) = &d.label {
                label = label.with_message(for_terminal(text));
            }
            labels.push(label);
        }
        for (loc, text) in &d.related {
            let (file, range) = excerpts.show(files, loc);
            labels.push(Label::secondary(file, range).with_message(for_terminal(text)));
        }
        let notes = d
            .hints
            .iter()
            .map(|h| format!("help: {}", for_terminal(h)))
            .collect();
        let rendered = CsDiagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(for_terminal(&message))
            .with_labels(labels)
            .with_notes(notes);
        term::emit_to_write_style(out, &config, &excerpts, &rendered)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}

/// The longest message or hint shown whole, in characters.
const MAX_MESSAGE: usize = 1000;
/// The longest source line shown whole, in bytes; a longer one is cut to
/// its span and [`CONTEXT`] bytes either side.
const MAX_LINE: usize = 240;
const CONTEXT: usize = 80;
/// The most of one span shown, in bytes.
const MAX_SPAN: usize = 240;

/// `text` safe to print on a terminal: control characters (and the
/// direction overrides that can make a line read differently) escaped as
/// `\u{..}`, and the whole cut to [`MAX_MESSAGE`] characters.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE * 4));
    for (n, c) in text.chars().enumerate() {
        if n == MAX_MESSAGE {
            out.push('…');
            break;
        }
        push_shown(&mut out, c);
    }
    out
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char) {
    if needs_escape(c) {
        use fmt::Write;
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// What one diagnostic shows of the files it points into: only the lines
/// of its spans, each cut around them if long and escaped for the terminal,
/// with their true line and column numbers. The files of codespan-reporting.
#[derive(Default)]
struct Excerpts {
    files: Vec<Excerpt>,
}

struct Excerpt {
    source: FileId,
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// The true line number of each line of `text`.
    line_numbers: Vec<usize>,
    /// The true column of each span boundary, by its offset in `text`.
    columns: std::collections::HashMap<usize, usize>,
}

impl Excerpts {
    /// Adds the line of `loc`'s start to the excerpt of its file; returns
    /// the excerpt and the span's range in it (cut to that one line).
    fn show(&mut self, files: &SourceFiles, loc: &Location) -> (usize, Range<usize>) {
        let source = files.get(loc.file);
        let index = match self.files.iter().position(|e| e.source == loc.file) {
            Some(i) => i,
            None => {
                self.files.push(Excerpt {
                    source: loc.file,
                    name: for_terminal(&display_path(&source.path)),
                    text: String::new(),
                    line_starts: Vec::new(),
                    line_numbers: Vec::new(),
                    columns: Default::default(),
                });
                self.files.len() - 1
            }
        };
        let excerpt = &mut self.files[index];
        let text = &*source.text;
        let start = floor_char_boundary(text, loc.range.start.min(text.len()));
        let line = source.line_starts.partition_point(|&s| s <= start) - 1;
        let line_start = source.line_starts[line];
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let end = floor_char_boundary(text, loc.range.end.clamp(start, line_end)).min(
            floor_char_boundary(text, start.saturating_add(MAX_SPAN).min(line_end)),
        );
        let (from, to) = if line_end - line_start <= MAX_LINE {
            (line_start, line_end)
        } else {
            (
                floor_char_boundary(text, start.saturating_sub(CONTEXT).max(line_start)),
                floor_char_boundary(text, end.saturating_add(CONTEXT).min(line_end)),
            )
        };
        // Each span gets its own shown line, even when two share a line:
        // simpler than merging windows, and rare.
        let base = excerpt.text.len();
        excerpt.line_starts.push(base);
        excerpt.line_numbers.push(line + 1);
        let mut column = text[line_start..from].chars().count() + 1;
        if from > line_start {
            excerpt.text.push('…');
        }
        let (mut shown_start, mut shown_end) = (None, None);
        for (offset, c) in text[from..to].char_indices() {
            let at = from + offset;
            if at == start {
                shown_start = Some(excerpt.text.len());
                excerpt.columns.insert(excerpt.text.len(), column);
            }
            if at == end {
                shown_end = Some(excerpt.text.len());
            }
            push_shown(&mut excerpt.text, c);
            column += 1;
        }
        let last = excerpt.text.len();
        let shown_start = shown_start.unwrap_or_else(|| {
            excerpt.columns.insert(last, column);
            last
        });
        let shown_end = shown_end.unwrap_or(last);
        if to < line_end {
            excerpt.text.push('…');
        }
        excerpt.text.push('\n');
        (index, shown_start..shown_end.max(shown_start))
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpts {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.excerpt(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.excerpt(id)?.text)
    }

    fn line_index(
        &'a self,
        id: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let starts = &self.excerpt(id)?.line_starts;
        Ok(starts.partition_point(|&s| s <= byte).saturating_sub(1))
    }

    fn line_number(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let numbers = &self.excerpt(id)?.line_numbers;
        numbers
            .get(line)
            .copied()
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: numbers.len(),
            })
    }

    fn column_number(
        &'a self,
        id: usize,
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        if let Some(&column) = excerpt.columns.get(&byte) {
            return Ok(column);
        }
        let range = self.line_range(id, line)?;
        Ok(codespan_reporting::files::column_index(&excerpt.text, range, byte) + 1)
    }

    fn line_range(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        let start = *excerpt.line_starts.get(line).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: excerpt.line_starts.len(),
            },
        )?;
        let end = excerpt
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(excerpt.text.len());
        Ok(start..end)
    }
}

impl Excerpts {
    fn excerpt(&self, id: usize) -> Result<&Excerpt, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)
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

    fn emitted(diagnostics: &Diagnostics, files: &SourceFiles) -> String {
        let mut out = term::termcolor::NoColor::new(Vec::new());
        emit(&mut out, diagnostics, files).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn terminals_see_no_control_characters_from_the_content() {
        let mut files = SourceFiles::default();
        let text = "kind: \"\u{1b}]2;PWNED\u{7}\"\nname: x\u{202e}y\n";
        let id = files.add("content/actors.yaml".into(), text.into());
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error(Code::UnknownKind, "unknown kind `\u{1b}]2;PWNED\u{7}`")
                .at(Some(Location {
                    file: id,
                    range: 6..18,
                }))
                .with_label("not \u{1b}[31mred")
                .with_hint("pick one \u{9b}of these"),
        );
        all.push(
            Diagnostic::warning(Code::UnknownField, "y").at(Some(Location {
                file: id,
                range: 25..27,
            })),
        );
        let shown = emitted(&all, &files);
        assert!(
            !shown.contains(|c: char| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(!shown.contains('\u{202e}'));
        assert!(shown.contains("\\u{1b}]2;PWNED\\u{7}"), "{shown}");
        assert!(shown.contains("content/actors.yaml:1:7"), "{shown}");
        assert!(shown.contains("content/actors.yaml:2:7"), "{shown}");
    }

    #[test]
    fn a_long_line_is_cut_around_its_span_with_true_positions() {
        let mut files = SourceFiles::default();
        let mut text = "first: line\n".to_string();
        let start = text.len() + 3_000_000;
        text.push_str(&"é".repeat(1_500_000));
        text.push_str("BAD");
        text.push_str(&"a".repeat(2_000_000));
        text.push('\n');
        let id = files.add("content/articles/long.md".into(), text);
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error(Code::InvalidYaml, "this is bad").at(Some(Location {
                file: id,
                range: start..start + 3,
            })),
        );
        all.push(
            Diagnostic::error(Code::InvalidYaml, "a span of the whole line").at(Some(Location {
                file: id,
                range: 12..start + 2_000_000,
            })),
        );
        let shown = emitted(&all, &files);
        assert!(shown.len() < 3_000, "{} bytes shown", shown.len());
        assert!(
            shown.contains("content/articles/long.md:2:1500001"),
            "{shown}"
        );
        assert!(shown.contains("…ééé"), "{shown}");
        assert!(shown.contains("BADaaa"), "{shown}");
        assert!(shown.contains("content/articles/long.md:2:1"), "{shown}");
    }

    #[test]
    fn long_messages_are_shortened() {
        let long = "x".repeat(50_000);
        assert!(for_terminal(&long).chars().count() <= MAX_MESSAGE + 1);
        let d = Diagnostic::error(Code::InvalidYaml, long.clone()).with_hint(long);
        let p = d.positioned(&SourceFiles::default());
        assert!(p.message.len() < 4 * MAX_MESSAGE && p.hints[0].len() < 4 * MAX_MESSAGE);
    }

    #[test]
    fn every_code_is_documented_and_named_once() {
        let reference = include_str!("../docs/reference.md");
        let missing: Vec<&str> = Code::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|name| !reference.contains(&format!("`{name}`")))
            .collect();
        assert!(missing.is_empty(), "not in docs/reference.md: {missing:?}");
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(
            names.windows(2).all(|w| w[0] < w[1]),
            "in order of their names"
        );
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

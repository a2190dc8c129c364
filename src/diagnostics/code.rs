//! The kinds of problem, each named once.

use std::fmt;

use serde::Serialize;

/// Every kind of problem chronicle reports, by its stable kebab-case name
/// (`unknown-actor`): what `--format json` prints as `code`, and what
/// docs/reference.md documents, each of them (a test checks).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    AlreadyExists,
    AmbiguousArticle,
    AmbiguousName,
    AnnotatedTwice,
    BrokenLink,
    BuildFailed,
    ChangedDuringBuild,
    ContextNotFound,
    DuplicateId,
    DuplicateKey,
    EditedSidecar,
    EmptyArticle,
    EmptyPage,
    EvidenceNotFound,
    ExportFailed,
    FetchFailed,
    FileExists,
    IgnoredField,
    ImpossibleDate,
    InternalError,
    InvalidArgument,
    InvalidBaseUrl,
    InvalidConfig,
    InvalidDate,
    InvalidHash,
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
    NameSpelling,
    NotAPage,
    NotUtf8,
    OrphanSidecar,
    OutputLocked,
    OutputNotADirectory,
    OutputNotOurs,
    OutsideArticles,
    OverwritesInput,
    QuoteNotFound,
    Rebuilding,
    ReservedPageName,
    SearchIndex,
    TemplateError,
    TooLarge,
    UnannotatedArticle,
    UnfinishedAnnotation,
    UnknownActor,
    UnknownEntry,
    UnknownField,
    UnknownKind,
    UnknownStatus,
    UnknownThread,
    UnknownTimezone,
    UnknownTopic,
    UnreadableFile,
    UnreadablePath,
    UnreadableRegistry,
    UnsafeOutputDir,
    UnsafeUrl,
    UnterminatedFrontMatter,
    UntitledPage,
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
    AnnotatedTwice = "annotated-twice",
    BrokenLink = "broken-link",
    BuildFailed = "build-failed",
    ChangedDuringBuild = "changed-during-build",
    ContextNotFound = "context-not-found",
    DuplicateId = "duplicate-id",
    DuplicateKey = "duplicate-key",
    EditedSidecar = "edited-sidecar",
    EmptyArticle = "empty-article",
    EmptyPage = "empty-page",
    EvidenceNotFound = "evidence-not-found",
    ExportFailed = "export-failed",
    FetchFailed = "fetch-failed",
    FileExists = "file-exists",
    IgnoredField = "ignored-field",
    ImpossibleDate = "impossible-date",
    InternalError = "internal-error",
    InvalidArgument = "invalid-argument",
    InvalidBaseUrl = "invalid-base-url",
    InvalidConfig = "invalid-config",
    InvalidDate = "invalid-date",
    InvalidHash = "invalid-hash",
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
    NameSpelling = "name-spelling",
    NotAPage = "not-a-page",
    NotUtf8 = "not-utf8",
    OrphanSidecar = "orphan-sidecar",
    OutputLocked = "output-locked",
    OutputNotADirectory = "output-not-a-directory",
    OutputNotOurs = "output-not-ours",
    OutsideArticles = "outside-articles",
    OverwritesInput = "overwrites-input",
    QuoteNotFound = "quote-not-found",
    Rebuilding = "rebuilding",
    ReservedPageName = "reserved-page-name",
    SearchIndex = "search-index",
    TemplateError = "template-error",
    TooLarge = "too-large",
    UnannotatedArticle = "unannotated-article",
    UnfinishedAnnotation = "unfinished-annotation",
    UnknownActor = "unknown-actor",
    UnknownEntry = "unknown-entry",
    UnknownField = "unknown-field",
    UnknownKind = "unknown-kind",
    UnknownStatus = "unknown-status",
    UnknownThread = "unknown-thread",
    UnknownTimezone = "unknown-timezone",
    UnknownTopic = "unknown-topic",
    UnreadableFile = "unreadable-file",
    UnreadablePath = "unreadable-path",
    UnreadableRegistry = "unreadable-registry",
    UnsafeOutputDir = "unsafe-output-dir",
    UnsafeUrl = "unsafe-url",
    UnterminatedFrontMatter = "unterminated-front-matter",
    UntitledPage = "untitled-page",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_and_named_once() {
        let reference = include_str!("../../docs/reference.md");
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
}

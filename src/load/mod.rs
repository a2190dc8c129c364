//! Stage 1, load: read `site.toml`, the registries, every article and the
//! editors' standalone pages from disk into a [`LoadedSite`]. Nothing is
//! checked against anything else yet.

pub mod annotations;
pub mod article;
pub mod pages;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::{self, Overrides, SiteConfig};
use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Location, SourceFiles};
use annotations::{
    Annotations, RawActor, RawThread, RawTopic, ARTICLE_FIELDS, CLAIM_FIELDS, CORRECTION_FIELDS,
    ENTRY_FIELDS,
};
use article::ArticleBody;
use yaml::YamlDoc;

/// Everything read from a site's files.
#[derive(Debug, Clone)]
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub actors: Registry<RawActor>,
    pub topics: Registry<RawTopic>,
    pub threads: Registry<RawThread>,
    /// Sorted by path.
    pub articles: Vec<LoadedArticle>,
    /// The editors' standalone pages (`content/pages/`), in navigation order.
    pub pages: Vec<pages::StandalonePage>,
}

/// Which registry: actors, topics or threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegistryKind {
    Actor,
    Topic,
    Thread,
}

impl RegistryKind {
    /// Every registry.
    pub const ALL: [RegistryKind; 3] = [
        RegistryKind::Actor,
        RegistryKind::Topic,
        RegistryKind::Thread,
    ];

    /// The registry's file, relative to the site root (`content/actors.yaml`).
    pub fn file(self) -> PathBuf {
        Path::new("content").join(format!("{}s.yaml", self.word()))
    }

    /// The word for one item: `actor`, `topic`, `thread`.
    pub fn word(self) -> &'static str {
        match self {
            RegistryKind::Actor => "actor",
            RegistryKind::Topic => "topic",
            RegistryKind::Thread => "thread",
        }
    }

    /// The field holding an item's name: `title` for threads.
    pub fn name_field(self) -> &'static str {
        match self {
            RegistryKind::Thread => "title",
            _ => "name",
        }
    }
}

impl std::fmt::Display for RegistryKind {
    /// The word for one item, as messages use it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// A registry file's items by id, with where each was written.
#[derive(Debug, Clone)]
pub struct Registry<T> {
    pub items: BTreeMap<String, T>,
    pub doc: Option<YamlDoc>,
    /// The file could not be read; names it would define are not reported as unknown.
    pub failed: bool,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            items: BTreeMap::new(),
            doc: None,
            failed: false,
        }
    }
}

impl<T> Registry<T> {
    /// Where the item `id`'s field `path` (`aliases.0`) was written.
    pub fn location(&self, id: &str, path: &str) -> Option<Location> {
        let doc = self.doc.as_ref()?;
        let full = if path.is_empty() {
            id.to_string()
        } else {
            format!("{id}.{path}")
        };
        if path.is_empty() {
            doc.key_at(&full)
        } else {
            doc.value_at(&full)
        }
    }
}

/// How an article's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    PlainText,
}

/// One source article with its annotations.
#[derive(Debug, Clone)]
pub struct LoadedArticle {
    /// Relative to the site root, for messages.
    pub path: PathBuf,
    /// Relative to `content/articles/`, for the article's URL.
    pub rel: PathBuf,
    /// The article's own file.
    pub file: FileId,
    pub format: Format,
    pub body: ArticleBody,
    pub annotations: Annotations,
    /// Where the annotations were written; `None` when there are none.
    pub doc: Option<YamlDoc>,
}

/// Reads a site. Returns `None` when `site.toml` is unusable; every problem
/// found is in `diagnostics`.
pub fn load(
    root: &Path,
    overrides: &Overrides,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<LoadedSite> {
    load_in_batches(root, overrides, files, diagnostics, &mut ())
}

/// What is done with the articles as they are read, a batch at a time, so
/// that what is needed of them can be kept and the rest (their texts) let
/// go of before the next batch: all of a large site's texts need not be in
/// memory at once.
pub trait Batches {
    /// Called once the registries are read, before any article (`site` has
    /// none yet).
    fn start(&mut self, site: &LoadedSite, diagnostics: &mut Diagnostics);
    /// `articles` were just read; the first is article number `first` of
    /// the site. `files` holds their texts, for letting go of.
    fn batch(&mut self, first: usize, articles: &mut [LoadedArticle], files: &mut SourceFiles);
}

/// Nothing done: every article is kept whole.
impl Batches for () {
    fn start(&mut self, _: &LoadedSite, _: &mut Diagnostics) {}
    fn batch(&mut self, _: usize, _: &mut [LoadedArticle], _: &mut SourceFiles) {}
}

/// Articles read at once: enough to keep every core busy, few enough that
/// their texts take little memory.
const ARTICLE_BATCH: usize = 512;

/// [`load`], with each batch of articles handed to `batches` as it is read.
pub fn load_in_batches(
    root: &Path,
    overrides: &Overrides,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
    batches: &mut dyn Batches,
) -> Option<LoadedSite> {
    let config = config::load(root, overrides, files, diagnostics)?;
    let inside = crate::paths::Inside::new(root, config.follow_outside_links);
    let actors = load_registry(&inside, root, RegistryKind::Actor, files, diagnostics);
    let topics = load_registry(&inside, root, RegistryKind::Topic, files, diagnostics);
    let threads = load_registry(&inside, root, RegistryKind::Thread, files, diagnostics);
    let pages = pages::load_pages(&inside, root, files, diagnostics);
    let mut site = LoadedSite {
        root: root.to_path_buf(),
        config,
        actors,
        topics,
        threads,
        articles: Vec::new(),
        pages,
    };
    batches.start(&site, diagnostics);
    site.articles = load_articles(&inside, root, &site.config, files, diagnostics, batches);
    Some(site)
}

/// An article's body from its text below any front matter.
fn body_of(text: &str, format: Format, raw_html: bool) -> ArticleBody {
    match format {
        Format::Markdown => article::markdown_body(text, raw_html),
        Format::PlainText => article::text_body(text),
    }
}

/// Reads an article's text again (its file `path`, relative to `root`),
/// made into the same body as when it was loaded: for rendering its page
/// once the build has let go of the text.
pub fn reread_body(
    root: &Path,
    path: &Path,
    format: Format,
    raw_html: bool,
) -> Result<ArticleBody, Box<Diagnostic>> {
    let text = read_text(&root.join(path), path)?;
    let below = match format {
        Format::PlainText => 0,
        Format::Markdown => match article::split_front_matter(&text) {
            Ok(front) => front.map_or(0, |f| f.body_start),
            Err(_) => {
                return Err(Box::new(
                    Diagnostic::error(
                        Code::ChangedDuringBuild,
                        "this article's front matter is no longer closed",
                    )
                    .in_file(path)
                    .with_hint("it changed while the site was being built: build again"),
                ))
            }
        },
    };
    Ok(body_of(&text[below..], format, raw_html))
}

/// Reads a file as UTF-8 text, without a leading byte-order mark.
pub fn read_text(path: &Path, display: &Path) -> Result<String, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(
            Diagnostic::error(Code::UnreadableFile, format!("cannot read: {e}")).in_file(display),
        )
    })?;
    decode(bytes).map_err(|(line, _)| {
        Box::new(
            Diagnostic::error(Code::NotUtf8, format!("line {line} is not valid UTF-8"))
                .in_file(display)
                .with_hint("save the file as UTF-8"),
        )
    })
}

/// Reads a file into `files`. Invalid UTF-8 is reported at the first bad
/// byte, with the file kept (lossily) so the line can be shown.
pub(crate) fn read_source(
    root: &Path,
    display: &Path,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<FileId> {
    let bytes = match std::fs::read(root.join(display)) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::UnreadableFile, format!("cannot read: {e}"))
                    .in_file(display),
            );
            return None;
        }
    };
    match decode(bytes) {
        Ok(text) => Some(files.add(display.to_path_buf(), text)),
        Err((_, bytes)) => {
            let valid = std::str::from_utf8(&bytes)
                .map_err(|e| e.valid_up_to())
                .err()
                .unwrap_or(0);
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let offset = String::from_utf8_lossy(&bytes[..valid]).len();
            let file = files.add(display.to_path_buf(), lossy);
            diagnostics.push(
                Diagnostic::error(Code::NotUtf8, "the file is not valid UTF-8")
                    .at(Some(Location {
                        file,
                        range: offset..offset + '\u{FFFD}'.len_utf8(),
                    }))
                    .with_label("this byte is not UTF-8")
                    .with_hint("save the file as UTF-8 (most editors offer it under \"Save with encoding\")"),
            );
            None
        }
    }
}

/// UTF-8 text without a BOM, or the 1-based line of the first bad byte.
fn decode(mut bytes: Vec<u8>) -> Result<String, (usize, Vec<u8>)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        (line, bytes)
    })
}

fn load_registry<T: DeserializeOwned>(
    inside: &crate::paths::Inside,
    root: &Path,
    kind: RegistryKind,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Registry<T> {
    let display = kind.file();
    if !root.join(&display).is_file() {
        return Registry::default();
    }
    let failed = Registry {
        failed: true,
        ..Registry::default()
    };
    if let Err(d) = inside.check(&root.join(&display)) {
        diagnostics.push(*d);
        return failed;
    }
    let Some(file) = read_source(root, &display, files, diagnostics) else {
        return failed;
    };
    match parse_registry(kind, &files.get(file).text.clone(), file) {
        Ok((registry, unknown)) => {
            diagnostics.extend(unknown);
            registry
        }
        Err(d) => {
            diagnostics.push(*d);
            failed
        }
    }
}

/// Reads a registry's text (`file`): its items by id and where each was
/// written, with a warning for each field chronicle does not know; or why
/// the text is no registry. The one reader of registries, for the build,
/// `chronicle import` and `chronicle new`.
pub fn parse_registry<T: DeserializeOwned>(
    kind: RegistryKind,
    source: &Arc<str>,
    file: FileId,
) -> Result<(Registry<T>, Diagnostics), Box<Diagnostic>> {
    match yaml::parse_map::<BTreeMap<String, T>>(source, 0..source.len(), file) {
        Ok((items, doc, unknown)) => {
            let fields = registry_fields(kind);
            let mut warnings = Diagnostics::default();
            for path in unknown {
                warnings.push(unknown_field(&doc, &path, fields));
            }
            let registry = Registry {
                items,
                doc: Some(doc),
                failed: false,
            };
            Ok((registry, warnings))
        }
        Err(d) => Err(Box::new(d.with_hint(format!(
            "{} maps each id to its fields, e.g. `lavrov:` then indented `name: Sergey Lavrov`",
            kind.file().display()
        )))),
    }
}

fn registry_fields(kind: RegistryKind) -> &'static [&'static str] {
    match kind {
        RegistryKind::Actor => &[
            "name",
            "aliases",
            "kind",
            "role",
            "affiliation",
            "description",
        ],
        RegistryKind::Topic => &["name", "aliases", "description"],
        RegistryKind::Thread => &["title", "aliases", "summary", "topics"],
    }
}

fn unknown_field(doc: &YamlDoc, path: &str, fields: &[&str]) -> Diagnostic {
    let name = path.rsplit('.').next().unwrap_or(path);
    let mut d = Diagnostic::warning(
        Code::UnknownField,
        format!("unknown field `{name}` is ignored"),
    )
    .at(doc.key_at(path))
    .with_label("not a field chronicle knows");
    let near = crate::resolve::names::nearest(name, fields.iter().copied(), 1);
    if !near.is_empty() {
        d = d.with_hint(format!(
            "did you mean {}?",
            crate::resolve::names::or_list(&near)
        ));
    }
    d.with_hint(format!("fields here: {}", fields.join(", ")))
}

/// The fields that could have been meant at an annotation path.
fn annotation_fields(path: &str) -> &'static [&'static str] {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["entries", _, "evidence", _, _] => &["exact", "prefix", "suffix"],
        ["entries", _, "quotes", _, _] => &["by", "text", "prefix", "suffix"],
        ["entries", _, "claim", _] => CLAIM_FIELDS,
        ["entries", _, "corrections", _, _] => CORRECTION_FIELDS,
        ["entries", ..] => ENTRY_FIELDS,
        _ => ARTICLE_FIELDS,
    }
}

fn load_articles(
    inside: &crate::paths::Inside,
    root: &Path,
    config: &SiteConfig,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
    batches: &mut dyn Batches,
) -> Vec<LoadedArticle> {
    let dir = root.join("content").join("articles");
    if !dir.is_dir() {
        return Vec::new();
    }
    // Texts and sidecars by path without extension.
    let mut texts: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut sidecars: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut problems = Vec::new();
    for (_, rel) in inside.files_under(&dir, &mut problems) {
        let rel = Path::new("content/articles").join(rel);
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        let stem = rel.with_extension("");
        match ext {
            "md" | "txt" => texts.entry(stem).or_default().push(rel),
            "yaml" => {
                sidecars.insert(stem, rel);
            }
            _ => {}
        }
    }
    for d in problems {
        diagnostics.push(d);
    }

    let mut jobs: Vec<(&PathBuf, Option<&PathBuf>)> = Vec::new();
    for (stem, paths) in &texts {
        if paths.len() > 1 {
            diagnostics.push(
                Diagnostic::error(
                    Code::AmbiguousArticle,
                    format!(
                        "{} and {} share a name; a sidecar could belong to either",
                        paths[0].display(),
                        paths[1].display()
                    ),
                )
                .in_file(&paths[0])
                .with_hint("rename one of them"),
            );
            continue;
        }
        jobs.push((&paths[0], sidecars.get(stem)));
    }
    // Read and parse in parallel, each article into its own files and
    // diagnostics, then merge them in path order, a batch at a time.
    let mut articles = Vec::with_capacity(jobs.len());
    for batch in jobs.chunks(ARTICLE_BATCH) {
        let loaded: Vec<(SourceFiles, Diagnostics, Option<LoadedArticle>)> = batch
            .par_iter()
            .map(|&(path, sidecar)| {
                let mut own_files = SourceFiles::default();
                let mut own_diagnostics = Diagnostics::default();
                let article = load_article(
                    root,
                    path,
                    sidecar,
                    config,
                    &mut own_files,
                    &mut own_diagnostics,
                );
                (own_files, own_diagnostics, article)
            })
            .collect();
        let first = articles.len();
        for (own_files, mut own_diagnostics, article) in loaded {
            let offset = files.append(own_files);
            own_diagnostics.shift_files(offset);
            diagnostics.extend(own_diagnostics);
            if let Some(mut article) = article {
                article.file += offset;
                if let Some(doc) = &mut article.doc {
                    doc.file += offset;
                }
                articles.push(article);
            }
        }
        batches.batch(first, &mut articles[first..], files);
    }
    for (stem, sidecar) in &sidecars {
        if !texts.contains_key(stem) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::OrphanSidecar,
                    "these annotations have no article beside them",
                )
                .in_file(sidecar)
                .with_hint(format!(
                    "put the article text in {}.txt or {}.md",
                    stem.display(),
                    stem.display()
                )),
            );
        }
    }
    articles
}

/// Reads one article again: its file `path` (relative to `root`) and the
/// sidecar beside it, if there is one. For `chronicle serve`, after an edit.
pub fn load_one_article(
    root: &Path,
    path: &Path,
    config: &SiteConfig,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<LoadedArticle> {
    let sidecar = path.with_extension("yaml");
    let sidecar = root.join(&sidecar).is_file().then_some(sidecar);
    let inside = crate::paths::Inside::new(root, config.follow_outside_links);
    let mut refused = false;
    for file in std::iter::once(path).chain(sidecar.as_deref()) {
        if let Err(d) = inside.check(&root.join(file)) {
            diagnostics.push(*d);
            refused = true;
        }
    }
    if refused {
        return None;
    }
    load_article(root, path, sidecar.as_ref(), config, files, diagnostics)
}

fn load_article(
    root: &Path,
    path: &Path,
    sidecar: Option<&PathBuf>,
    config: &SiteConfig,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<LoadedArticle> {
    let file = read_source(root, path, files, diagnostics)?;
    let sidecar = match sidecar {
        Some(sidecar) => Some(read_source(root, sidecar, files, diagnostics)?),
        None => None,
    };
    let mut article = parse_article(file, sidecar, config.raw_html, files, diagnostics)?;
    // The text now lives in `article.body`. Of the article's file, keep only
    // what a diagnostic can point at, its front matter: on a large site the
    // texts are a good part of the memory a build needs.
    let front_matter = article.doc.as_mut().filter(|doc| doc.file == file);
    let keep = front_matter.as_ref().map_or(0, |doc| doc.end());
    let prefix = files.truncate(file, keep);
    if let Some(doc) = front_matter {
        doc.set_source(prefix);
    }
    Some(article)
}

/// A warning for annotations with lines still marked `# TODO` (a comment
/// starting with TODO, as `chronicle new article` and `chronicle import`
/// write them), placed at the first; `None` when there are none.
fn unfinished(file: FileId, source: &str, range: std::ops::Range<usize>) -> Option<Diagnostic> {
    let mut first = None;
    let mut count = 0;
    let mut at = range.start;
    for line in source[range].split_inclusive('\n') {
        if let Some(i) = comment_start(line).filter(|&i| {
            line[i + 1..]
                .trim_start_matches([' ', '\t'])
                .starts_with("TODO")
        }) {
            count += 1;
            let start = at + i;
            let end = at + line.trim_end().len();
            first.get_or_insert(start..end.max(start + 1));
        }
        at += line.len();
    }
    let range = first?;
    let lines = if count == 1 {
        "a line".to_string()
    } else {
        format!("{count} lines")
    };
    Some(
        Diagnostic::warning(
            Code::UnfinishedAnnotation,
            format!("{lines} still marked TODO"),
        )
        .at(Some(Location { file, range }))
        .with_label("to complete")
        .with_hint("complete the value and remove the `# TODO` comment of every line so marked"),
    )
}

/// Where a YAML comment starts in `line`: a `#` at its start or after white
/// space, outside quotes (a rough reading, enough for finding markers).
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') if prev == ' ' || prev == '\t' => return Some(i),
            // A quote opens a scalar only at its start (not in O'Brien).
            (None, '"' | '\'') if " \t:[{,-".contains(prev) => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            _ => {}
        }
        prev = c;
    }
    None
}

/// Makes an article from its text and its sidecar's, both already in
/// `files`; the article's format follows its file's extension. Pure: no I/O.
pub fn parse_article(
    file: FileId,
    sidecar: Option<FileId>,
    raw_html: bool,
    files: &SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<LoadedArticle> {
    let path = files.get(file).path.as_path();
    let format = if path.extension().is_some_and(|e| e == "md") {
        Format::Markdown
    } else {
        Format::PlainText
    };
    let text = &files.get(file).text;
    let mut body_text: &str = text;
    let mut front: Option<(std::ops::Range<usize>, FileId)> = None;
    if format == Format::Markdown {
        match article::split_front_matter(text) {
            Ok(Some(fm)) => {
                front = Some((fm.yaml.clone(), file));
                body_text = &text[fm.body_start..];
            }
            Ok(None) => {}
            Err(unterminated) => {
                diagnostics.push(unterminated.diagnostic(file));
                return None;
            }
        }
    }

    let annotations_source = match (front, sidecar) {
        (Some(_), Some(sidecar)) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::AnnotatedTwice,
                    format!(
                        "annotated both in its front matter and in {}",
                        files.get(sidecar).path.display()
                    ),
                )
                .at(Some(Location { file, range: 0..3 }))
                .with_related(
                    Some(Location {
                        file: sidecar,
                        range: 0..0,
                    }),
                    "the sidecar",
                )
                .with_hint("keep the annotations in one place: the front matter or the sidecar"),
            );
            return None;
        }
        (Some((range, file)), None) => Some((file, range)),
        (None, Some(sidecar)) => Some((sidecar, 0..files.get(sidecar).text.len())),
        (None, None) => None,
    };

    let (annotations, doc) = match annotations_source {
        Some((ann_file, range)) => {
            let source = files.get(ann_file).text.clone();
            match yaml::parse::<Annotations>(&source, range.clone(), ann_file) {
                Ok((annotations, doc, unknown)) => {
                    if let Some(d) = unfinished(ann_file, &source, range) {
                        diagnostics.push(d);
                    }
                    for path in unknown {
                        let fields = annotation_fields(&path);
                        diagnostics.push(unknown_field(&doc, &path, fields));
                    }
                    (annotations, Some(doc))
                }
                Err(d) => {
                    diagnostics.push(*d);
                    return None;
                }
            }
        }
        None => {
            diagnostics.push(
                Diagnostic::warning(Code::UnannotatedArticle, "this article has no annotations")
                    .in_file(path)
                    .with_hint(format!(
                        "add front matter, or a sidecar {}",
                        path.with_extension("yaml").display()
                    )),
            );
            (Annotations::default(), None)
        }
    };

    if body_text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning(Code::EmptyArticle, "this article's text is empty")
                .in_file(path)
                .with_hint(match format {
                    Format::Markdown => {
                        "paste the report below the front matter's closing `---`, exactly as published"
                    }
                    Format::PlainText => "paste the report into this file, exactly as published",
                }),
        );
    }
    let body = body_of(body_text, format, raw_html);
    let rel = path
        .strip_prefix(Path::new("content").join("articles"))
        .unwrap_or(path)
        .to_path_buf();
    Some(LoadedArticle {
        path: path.to_path_buf(),
        rel,
        file,
        format,
        body,
        annotations,
        doc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &str, text: &str, sidecar: Option<&str>) -> Vec<Diagnostic> {
        let mut files = SourceFiles::default();
        let file = files.add(path.into(), text.to_string());
        let sidecar = sidecar.map(|s| files.add("a.yaml".into(), s.to_string()));
        let mut diagnostics = Diagnostics::default();
        parse_article(file, sidecar, false, &files, &mut diagnostics).unwrap();
        diagnostics.items().to_vec()
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<Code> {
        diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn todo_markers_and_an_empty_text_are_unfinished_work() {
        let new = crate::scaffold::article_files(
            &crate::scaffold::NewArticle {
                path: "a".into(),
                ..Default::default()
            },
            chrono::NaiveDate::from_ymd_opt(2024, 5, 6).unwrap(),
        )
        .unwrap();
        let found = load("content/articles/a.md", &new[0].1, None);
        assert_eq!(
            codes(&found),
            [Code::UnfinishedAnnotation, Code::EmptyArticle],
            "{found:?}"
        );
        assert_eq!(found[0].message, "2 lines still marked TODO");
        assert_eq!(found[0].severity, crate::diagnostics::Severity::Warning);

        let sidecar = "title: Pat O'Brien  # TODO: check\nsource: S\npublished: 2022-01-26\n";
        let found = load("content/articles/a.txt", "Report.\n", Some(sidecar));
        assert_eq!(codes(&found), [Code::UnfinishedAnnotation], "{found:?}");
        assert_eq!(found[0].message, "a line still marked TODO");

        let done = "---\ntitle: \"Issue #TODO\"  # a #TODOlist\nsource: S\npublished: 2022-01-26\n---\nText.\n";
        assert!(load("content/articles/a.md", done, None).is_empty());
    }
}

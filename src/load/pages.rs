//! The editors' standalone pages: `content/pages/<name>.md`, each a page at
//! `/<name>/` (`about.md` → `/about/`), linked from every page by the theme.
//!
//! A page is Markdown with optional YAML front matter, read by the same
//! YAML loader as articles (errors carry file, line and column). Only the
//! Markdown files directly in `content/pages/` are pages: a file in a
//! subdirectory, or of another kind, is reported (`not-a-page`) and left out.
//! A page may not take the name of a section of the site (`days`,
//! `articles`, ...: [`crate::urls::reserved_slugs`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{article, read_source, unknown_field, yaml};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, Location, SourceFiles};

/// Where standalone pages are, relative to the site root.
pub const PAGES_DIR: &str = "content/pages";

/// The front-matter fields a standalone page accepts.
pub const PAGE_FIELDS: &[&str] = &["title", "nav_title", "description", "weight"];

/// A standalone page, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandalonePage {
    /// Its address below the site: the file name without `.md`, as a slug.
    pub slug: String,
    /// Relative to the site root (`content/pages/about.md`).
    pub path: PathBuf,
    /// The front matter's `title`; the file name when it has none.
    pub title: String,
    /// The page's name in the navigation: `nav_title`, else the title.
    pub nav_title: String,
    /// One or two sentences for the page's meta description, when given.
    pub description: Option<String>,
    /// Where it comes in the navigation: lower first, then by title.
    pub weight: i64,
    /// The page's text, Markdown.
    pub body: String,
}

/// A page's front matter as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PageFields {
    title: Option<String>,
    nav_title: Option<String>,
    description: Option<String>,
    weight: Option<i64>,
}

/// A page read from its file, with where its name was given, for checking
/// names across pages.
struct Read {
    page: StandalonePage,
    /// The file's first line: where a problem with the page's name points.
    first_line: Location,
}

/// Reads every page of `content/pages/`, sorted by weight, then title,
/// then slug. Problems go to `diagnostics`; a page that cannot be read is
/// left out.
pub(crate) fn load_pages(
    inside: &crate::paths::Inside,
    root: &Path,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Vec<StandalonePage> {
    let dir = root.join(PAGES_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let found = inside.files_under(&dir, &mut problems);
    for d in problems {
        diagnostics.push(d);
    }
    let mut read = Vec::new();
    for (_, rel) in found {
        let display = Path::new(PAGES_DIR).join(&rel);
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // An editor's temporary and backup files.
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let nested = rel.components().count() > 1;
        let markdown = rel.extension().is_some_and(|e| e == "md");
        if nested || !markdown {
            diagnostics.push(not_a_page(&display, nested));
            continue;
        }
        let Some(file) = read_source(root, &display, files, diagnostics) else {
            continue;
        };
        if let Some(page) = parse(file, files, diagnostics) {
            read.push(page);
        }
    }
    let mut pages = check_names(read, diagnostics);
    pages.sort_by(|a, b| {
        (a.weight, a.title.to_lowercase(), &a.slug).cmp(&(
            b.weight,
            b.title.to_lowercase(),
            &b.slug,
        ))
    });
    pages
}

fn not_a_page(display: &Path, nested: bool) -> Diagnostic {
    let why = if nested {
        "this file is in a subdirectory of content/pages/"
    } else {
        "this file is not Markdown (.md)"
    };
    Diagnostic::warning(
        Code::NotAPage,
        format!("{why}: it is no page and is not published"),
    )
    .in_file(display)
    .with_hint(
        "a standalone page is a Markdown file directly in content/pages/ (about.md → /about/); \
         images and other files go in static/",
    )
}

/// Reads one page from `file` (already in `files`). Pure: no I/O.
pub fn parse_page(
    file: FileId,
    files: &SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<StandalonePage> {
    parse(file, files, diagnostics).map(|read| read.page)
}

fn parse(file: FileId, files: &SourceFiles, diagnostics: &mut Diagnostics) -> Option<Read> {
    let source = files.get(file).text.clone();
    let path = files.get(file).path.clone();
    let first_line_end = source.find('\n').unwrap_or(source.len());
    let first_line = Location {
        file,
        range: 0..source[..first_line_end].trim_end().len(),
    };
    let (fields, body_start, doc) = match article::split_front_matter(&source) {
        Ok(Some(fm)) => match yaml::parse::<PageFields>(&source, fm.yaml.clone(), file) {
            Ok((fields, doc, unknown)) => {
                for path in unknown {
                    diagnostics.push(unknown_field(&doc, &path, PAGE_FIELDS));
                }
                (fields, fm.body_start, Some(doc))
            }
            Err(d) => {
                diagnostics.push(*d);
                return None;
            }
        },
        Ok(None) => (PageFields::default(), 0, None),
        Err(unterminated) => {
            diagnostics.push(unterminated.diagnostic(file));
            return None;
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = fields
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let title = match title {
        Some(title) => title,
        None => {
            let at = doc
                .as_ref()
                .and_then(|doc| doc.key_at("title"))
                .unwrap_or_else(|| first_line.clone());
            diagnostics.push(
                Diagnostic::warning(Code::UntitledPage, "this page has no title")
                    .at(Some(at))
                    .with_label("no `title:` here")
                    .with_hint(format!(
                        "the navigation and the page call it `{stem}` until front matter gives it \
                         one: a first line ---, then `title: About this chronicle`, then ---"
                    )),
            );
            stem.clone()
        }
    };
    let nav_title = fields
        .nav_title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| title.clone());
    let body = source[body_start..].to_string();
    if body.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning(Code::EmptyPage, "this page has no text")
                .in_file(&path)
                .with_hint("write the page's text in Markdown below its front matter"),
        );
    }
    Some(Read {
        page: StandalonePage {
            slug: crate::resolve::ids::slugify(&stem),
            path,
            title,
            nav_title,
            description: fields
                .description
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            weight: fields.weight.unwrap_or(0),
            body,
        },
        first_line,
    })
}

/// The pages whose names make a usable address of their own: none empty,
/// none a section's, no two the same. The others are reported and left out.
fn check_names(read: Vec<Read>, diagnostics: &mut Diagnostics) -> Vec<StandalonePage> {
    let mut by_slug: BTreeMap<String, (Location, PathBuf)> = BTreeMap::new();
    let mut pages = Vec::new();
    for Read { page, first_line } in read {
        if page.slug.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnusableId,
                    "this page's file name has no letters or digits to make an address from",
                )
                .at(Some(first_line))
                .in_file(&page.path)
                .with_hint("name the file with letters, digits and hyphens, such as about.md"),
            );
            continue;
        }
        if crate::urls::is_reserved(&page.slug) {
            let sections: Vec<&str> = crate::urls::reserved_slugs().collect();
            diagnostics.push(
                Diagnostic::error(
                    Code::ReservedPageName,
                    format!(
                        "this page would be /{}/, the address of the site's {} section",
                        page.slug, page.slug
                    ),
                )
                .at(Some(first_line))
                .in_file(&page.path)
                .with_label("this page")
                .with_hint(format!(
                    "rename the file: a page may not take the name of a section ({})",
                    sections.join(", ")
                )),
            );
            continue;
        }
        if let Some((other, other_path)) = by_slug.get(&page.slug) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "this page and {} would share the address /{}/",
                        other_path.display(),
                        page.slug
                    ),
                )
                .at(Some(first_line))
                .in_file(&page.path)
                .with_related(Some(other.clone()), "the other page")
                .with_hint("rename one of the files so that they differ in letters or digits"),
            );
            continue;
        }
        by_slug.insert(page.slug.clone(), (first_line, page.path.clone()));
        pages.push(page);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &str, text: &str) -> (Option<StandalonePage>, Vec<Code>) {
        let mut files = SourceFiles::default();
        let file = files.add(path.into(), text.to_string());
        let mut diagnostics = Diagnostics::default();
        let page = parse_page(file, &files, &mut diagnostics);
        let codes = diagnostics.items().iter().map(|d| d.code).collect();
        (page, codes)
    }

    #[test]
    fn a_page_has_its_front_matter_and_its_text() {
        let (page, codes) = read(
            "content/pages/About Us.md",
            "---\ntitle: About us\nnav_title: About\ndescription: How it is made\nweight: -1\n---\nWe write *this*.\n",
        );
        let page = page.unwrap();
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(page.slug, "about-us");
        assert_eq!(page.title, "About us");
        assert_eq!(page.nav_title, "About");
        assert_eq!(page.description.as_deref(), Some("How it is made"));
        assert_eq!(page.weight, -1);
        assert_eq!(page.body, "We write *this*.\n");
    }

    #[test]
    fn a_page_without_title_or_text_is_warned_of() {
        let (page, codes) = read("content/pages/about.md", "");
        assert_eq!(codes, [Code::UntitledPage, Code::EmptyPage]);
        let page = page.unwrap();
        assert_eq!(
            (page.title.as_str(), page.nav_title.as_str()),
            ("about", "about")
        );
        let (page, codes) = read("content/pages/about.md", "---\ntitel: About\n---\nText\n");
        assert_eq!(codes, [Code::UnknownField, Code::UntitledPage]);
        assert!(page.is_some());
        let (page, codes) = read("content/pages/about.md", "---\nweight: first\n---\nText\n");
        assert_eq!(codes, [Code::InvalidYaml]);
        assert!(page.is_none());
    }
}

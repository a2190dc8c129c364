//! `chronicle new article`: an article skeleton.

use crate::import::skeleton::quote;
use crate::import::Published;
use crate::resolve::ids;
use std::path::{Component, Path, PathBuf};

use super::*;

/// `new` works in a site: refuses a root without site.toml, so that a
/// mistyped --root or a wrong directory does not grow a stray content/.
pub(super) fn require_site(root: &Path) -> Result<(), Error> {
    if root.join("site.toml").is_file() {
        Ok(())
    } else {
        Err(Error::NoSite(root.to_path_buf()))
    }
}

/// What `new article` is given.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    /// Relative to content/articles; `.md` (the default) or `.txt`.
    pub path: String,
    pub title: Option<String>,
    pub source: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339; default: `today`.
    pub published: Option<String>,
}

/// The files of a new article, relative to the site root, with their texts:
/// `<path>.md` with front matter, or `<path>.txt` (empty) and its sidecar
/// `<path>.yaml`. `today` is the default publication date.
pub fn article_files(
    new: &NewArticle,
    today: chrono::NaiveDate,
) -> Result<Vec<(PathBuf, String)>, Error> {
    let rel = article_path(&new.path)?;
    let published = match &new.published {
        Some(text) => {
            if Published::parse(text).is_none() {
                return Err(Error::Invalid(format!(
                    "--published {text:?} is not a date or time: give YYYY-MM-DD, \
                     \"YYYY-MM-DD HH:MM\" or RFC 3339 (2022-01-26T18:05:00Z)"
                )));
            }
            text.trim().to_string()
        }
        None => today.format("%Y-%m-%d").to_string(),
    };
    let mut y = String::new();
    match &new.title {
        Some(t) => y.push_str(&format!("title: {}\n", quote(t))),
        None => y.push_str("title:      # TODO: the report's headline\n"),
    }
    match &new.source {
        Some(s) => y.push_str(&format!("source: {}\n", quote(s))),
        None => y.push_str("source:     # TODO: the outlet that published the report\n"),
    }
    y.push_str(&format!(
        "published: {}   # YYYY-MM-DD, \"YYYY-MM-DD HH:MM\" or RFC 3339\n",
        quote(&published)
    ));
    y.push_str("url:        # where the report was collected; optional\n");
    // The example's date: the publication date's.
    let date = published.get(..10).unwrap_or("2022-01-26");
    y.push_str(&ENTRIES_SKELETON.replace("2022-01-26", date));
    let is_txt = rel.extension().is_some_and(|e| e == "txt");
    let articles = Path::new("content").join("articles");
    Ok(if is_txt {
        let text_path = articles.join(&rel);
        let sidecar = text_path.with_extension("yaml");
        let stem = text_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let head = format!(
            "# Annotations of {stem}: paste the report into {stem} exactly as published.\n"
        );
        vec![(text_path, String::new()), (sidecar, head + &y)]
    } else {
        let text = format!(
            "---\n# Annotations of this report. Paste the report below the closing `---`,\n\
             # exactly as published.\n{y}---\n"
        );
        vec![(articles.join(&rel), text)]
    })
}

pub(super) const ENTRIES_SKELETON: &str = r##"entries:
  # One entry per event the report gives evidence of. To add one, remove
  # the "# " of the lines below and fill them in:
  # - id: short-name-of-the-event     # optional; unique in the site
  #   at: "2022-01-26 18:04"          # or "2022-01-26", or "18:04" on the published date
  #   headline: What happened, in a line
  #   summary: |
  #     The editor's own words, in Markdown.
  #   threads: [a-thread-id]          # ids or names from content/threads.yaml
  #   actors: [an-actor-id]           # from content/actors.yaml
  #   topics: [a-topic-id]            # from content/topics.yaml
  #   evidence:                       # passages of the report, copied exactly
  #     - "words copied from the report"
  #   quotes:
  #     - by: an-actor-id
  #       text: "words the actor said, as printed"
"##;

/// The article's path below content/articles, with its extension: `.md`
/// unless it ends in `.md` or `.txt`. A leading `content/articles/` is
/// dropped. Refuses absolute paths and `..`.
pub fn article_path(path: &str) -> Result<PathBuf, Error> {
    let bad = |why| {
        Err(Error::BadPath {
            path: path.to_string(),
            why,
        })
    };
    let p = Path::new(path);
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                return bad("`..` would leave content/articles; give a path below it")
            }
            Component::RootDir | Component::Prefix(_) => {
                return bad("give a path relative to content/articles, not an absolute one")
            }
        }
    }
    if parts.len() > 2 && parts[0] == "content" && parts[1] == "articles" {
        parts.drain(..2);
    }
    if parts.is_empty() || path.ends_with('/') || path.ends_with('\\') {
        return bad("give a file name, such as 2022/01/wire-moscow");
    }
    let mut rel: PathBuf = parts.iter().collect();
    match rel.extension().and_then(|e| e.to_str()) {
        Some("md" | "txt") => {}
        Some("yaml" | "yml") => {
            return bad(
                "name the article's text (.md or .txt): its sidecar .yaml is made with a .txt",
            )
        }
        _ => {
            let mut name = rel.file_name().unwrap_or_default().to_os_string();
            name.push(".md");
            rel.set_file_name(name);
        }
    }
    if rel
        .file_stem()
        .is_none_or(|s| ids::slugify(&s.to_string_lossy()).is_empty())
    {
        return bad("the file name needs letters or digits: it makes the article's address");
    }
    Ok(rel)
}

/// Writes a new article into the site at `root` (which must hold
/// site.toml); refuses to replace
/// anything, and an article whose name another `.md`, `.txt` or `.yaml`
/// beside it already has. Returns the files written, relative to `root`.
pub fn new_article(
    root: &Path,
    new: &NewArticle,
    today: chrono::NaiveDate,
) -> Result<Vec<PathBuf>, Error> {
    require_site(root)?;
    let files = article_files(new, today)?;
    let main = &files[0].0;
    for ext in ["md", "txt", "yaml"] {
        let sibling = main.with_extension(ext);
        if root.join(&sibling).exists() {
            return Err(Error::Exists(sibling));
        }
    }
    if let Some(parent) = root.join(main).parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut written = Vec::new();
    for (rel, text) in &files {
        write_new(&root.join(rel), text.as_bytes()).map_err(|e| match e {
            Error::Exists(_) => Error::Exists(rel.clone()),
            e => e,
        })?;
        written.push(rel.clone());
    }
    Ok(written)
}

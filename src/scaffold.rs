//! `chronicle init` and `chronicle new`: a new site, a new article, a new
//! registry item.
//!
//! The texts are made by pure functions ([`site_files`], [`article_files`],
//! [`append_item`]); [`init`], [`new_article`] and [`new_item`] write them.
//! Nothing that exists is ever replaced, and a registry is only appended
//! to, so the editor's comments and order stay as they were.

use crate::diagnostics::{Code, Diagnostic};
pub use crate::load::RegistryKind;
use crate::load::{parse_registry, Registry};
use crate::resolve::ActorKind;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::SourceFiles;
use crate::import::skeleton::quote;
use crate::import::Published;
use crate::load::annotations::{OneOrMany, RawActor, RawThread, RawTopic};
use crate::resolve::{ids, names};

/// The default theme's files: (path below `themes/default/`, contents),
/// embedded at compile time by build.rs.
pub const DEFAULT_THEME: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Why a scaffold command wrote nothing.
#[derive(Debug)]
pub enum Error {
    /// `init` into a directory that holds something, without `--force`.
    NotEmpty { dir: PathBuf, found: Vec<String> },
    /// A file that would be replaced.
    Exists(PathBuf),
    /// An article path that is not a relative path below content/articles.
    BadPath { path: String, why: &'static str },
    /// An id without letters or digits.
    UnusableId(String),
    /// An id with other characters than letters, digits and hyphens; what
    /// would be right.
    BadId { id: String, suggestion: String },
    /// `new` outside a site: no site.toml at the root.
    NoSite(PathBuf),
    /// An id (or a name) that the registry already has.
    Taken {
        file: PathBuf,
        what: String,
        other: String,
    },
    /// A bad option value.
    Invalid(String),
    /// The registry does not parse, or would not after appending.
    Registry { file: PathBuf, why: String },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotEmpty { dir, found } => write!(
                f,
                "{} is not empty (it holds {}); give --force to add the new site's files \
                 beside what is there (no file is replaced)",
                dir.display(),
                found.join(", ")
            ),
            Error::Exists(path) => write!(f, "{} exists; nothing was replaced", path.display()),
            Error::BadPath { path, why } => write!(f, "`{path}`: {why}"),
            Error::UnusableId(id) => write!(
                f,
                "id `{id}` has no letters or digits to make a page address from; \
                 use letters, digits and hyphens, such as `lavrov`"
            ),
            Error::BadId { id, suggestion } => write!(
                f,
                "id `{id}` is not made of letters, digits and hyphens only; \
                 write it as `{suggestion}` (the page address it would get), \
                 and give the name shown with --name"
            ),
            Error::NoSite(root) => write!(
                f,
                "no site.toml in {}: run chronicle in the site's directory, or name it with \
                 --root DIR (`chronicle init` makes a new site)",
                root.display()
            ),
            Error::Taken { file, what, other } => {
                write!(f, "{} already has {what} ({other})", file.display())
            }
            Error::Invalid(why) => f.write_str(why),
            Error::Registry { file, why } => write!(f, "{}: {why}", file.display()),
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// Whether the command line was at fault (a bad argument or option
    /// value), rather than what is on disk: such errors exit with 2.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::BadPath { .. } | Error::UnusableId(_) | Error::BadId { .. } | Error::Invalid(_)
        )
    }

    /// The kind of problem, as diagnostics name it.
    pub fn code(&self) -> Code {
        match self {
            Error::NotEmpty { .. } | Error::Exists(_) | Error::Taken { .. } => Code::AlreadyExists,
            Error::BadPath { .. }
            | Error::UnusableId(_)
            | Error::BadId { .. }
            | Error::Invalid(_) => Code::InvalidArgument,
            Error::NoSite(_) => Code::MissingConfig,
            Error::Registry { .. } => Code::InvalidYaml,
            Error::Io { .. } => Code::IoError,
        }
    }

    /// The file concerned, relative to the site root, if any (an I/O
    /// error names its path, as given, in its message).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Error::Exists(path) => Some(path),
            Error::Taken { file, .. } | Error::Registry { file, .. } => Some(file),
            Error::NoSite(_) => Some(Path::new("site.toml")),
            _ => None,
        }
    }

    /// The error as a diagnostic: its message without the file, which the
    /// diagnostic names.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let message = match self {
            Error::Exists(_) => "exists; nothing was replaced".to_string(),
            Error::Registry { why, .. } => why.clone(),
            Error::Taken { what, other, .. } => format!("already has {what} ({other})"),
            other => other.to_string(),
        };
        let d = Diagnostic::error(self.code(), message);
        match self.file() {
            Some(file) if !matches!(self, Error::NoSite(_)) => d.in_file(file),
            _ => d,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |error| Error::Io {
        path: path.to_path_buf(),
        error,
    }
}

// ------------------------------------------------------------------ init

const SITE_TOML: &str = r#"# The settings of this chronicle. Every setting is described in chronicle's
# reference (docs/reference.md, "site.toml").

# The site's name: shown at the top of every page and in the feeds.
title = "My chronicle"

# What the chronicle covers, in a sentence: the home page and the pages'
# descriptions for search engines show it.
description = "An annotated chronicle of events, day by day and thread by thread"

# Where the site will be served from, ending in "/". "/" serves it from the
# root of any address (and with `chronicle serve`); before publishing, give
# the full address, which may hold a sub-path: "https://example.org/chronicle/".
# The feeds and the sitemap need a full address.
base_url = "/"

# The language of the pages, as a BCP 47 tag ("en", "de", "uk").
language = "en"

# The IANA time zone of the chronicle ("Europe/Kyiv", "America/New_York"):
# times are shown in it, and an entry belongs to the day of its time there.
timezone = "UTC"

# Optional settings, with their defaults:
# theme = "default"       # a directory under themes/
# output_dir = "public"   # where `chronicle build` writes the site
# strict = false          # true: warnings (unknown names, passages not found) fail the build
"#;

const ACTORS_YAML: &str = r#"# The actors of the chronicle: people, states, organisations and groups.
# Each id (the key, made of letters, digits and hyphens) becomes the page
# /actors/<id>/. Entries name actors by id, name or any alias, in any case.
# Add one with: chronicle new actor ID --name "Full Name" [--kind K] [--alias A]

vasko:
  name: Irena Vasko
  aliases: [Vasko]            # other spellings used in the reports
  kind: person                # person | state | organisation | group
  role: Chair of the Marrow Strait ferry operators' association
  # affiliation: operators    # another actor's id
  # description: Markdown, shown on the actor's page
"#;

const TOPICS_YAML: &str = r#"# The topics of the chronicle: subjects that cut across stories.
# Each id becomes the page /topics/<id>/.
# Add one with: chronicle new topic ID --name "Name" [--alias A]

transport:
  name: Transport
  description: Ferries, roads and ports.   # Markdown, optional
"#;

const THREADS_YAML: &str = r#"# The story threads of the chronicle: one developing story each. A day's
# page groups its entries by thread. Each id becomes the page /threads/<id>/.
# Add one with: chronicle new thread ID --name "Title" [--alias A]

fuel-dispute:
  title: The ferry fuel dispute
  summary: Ferry operators and the port authority quarrel over a fuel surcharge.   # Markdown, optional
  topics: [transport]         # ids or names from topics.yaml
"#;

const EXAMPLE_ARTICLE: &str = r#"---
# A source article: the report as published, below the closing `---`, and
# the editor's annotations in this front matter. The report's text is
# evidence: keep its wording as it was published. (An invented example:
# replace it with real reports.)
title: Ferry crossings halted as fuel talks collapse
source: Harbour Gazette                        # the outlet
url: https://news.example.com/ferries-halted   # where it was collected; optional
published: 2026-03-14T09:30:00Z                # RFC 3339, or a date
entries:
  # One entry per event the report gives evidence of.
  - id: ferries-halted                 # optional; unique in the site; the entry's anchor
    at: 2026-03-14T06:00:00Z           # RFC 3339, "YYYY-MM-DD HH:MM", "YYYY-MM-DD", or "HH:MM" on the published date
    headline: Ferry operators halt all crossings over fuel costs
    summary: |
      Both operators on the Marrow Strait stopped sailing at dawn after
      overnight talks with the port authority on a fuel surcharge failed.
    thread: fuel-dispute               # or `threads: [a, b]`; ids or names from threads.yaml
    actors: [Irena Vasko]              # ids, names or aliases from actors.yaml
    topics: [transport]                # from topics.yaml
    place: Port Ellery
    evidence:                          # passages of the text below, copied exactly
      - "suspended every crossing from six o'clock this morning"
    quotes:                            # words of an actor, as printed in the text
      - by: vasko
        text: "We cannot sail at a loss for another season"
---
PORT ELLERY — Both ferry companies serving the Marrow Strait suspended every
crossing from six o'clock this morning, after overnight talks with the port
authority on fuel surcharges ended without agreement.

"We cannot sail at a loss for another season," said Irena Vasko, who chairs
the operators' association. She said the boats would stay in harbour until
the authority withdrew its new surcharge.

The port authority said it regretted the decision and would publish its
figures on Monday. Islanders were advised to put off journeys that could
wait.
"#;

const GITIGNORE: &str = "# The built site: `chronicle build` writes it again.\n/public/\n";

/// The path of the example article, relative to the site root.
pub const EXAMPLE_ARTICLE_PATH: &str = "content/articles/example-ferries-halted.md";

/// Every file of a new site: (path relative to its root, contents).
pub fn site_files() -> Vec<(String, &'static [u8])> {
    let mut files: Vec<(String, &'static [u8])> = vec![
        ("site.toml".into(), SITE_TOML.as_bytes()),
        (".gitignore".into(), GITIGNORE.as_bytes()),
        ("content/actors.yaml".into(), ACTORS_YAML.as_bytes()),
        ("content/topics.yaml".into(), TOPICS_YAML.as_bytes()),
        ("content/threads.yaml".into(), THREADS_YAML.as_bytes()),
        (EXAMPLE_ARTICLE_PATH.into(), EXAMPLE_ARTICLE.as_bytes()),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(rel, bytes)| (format!("themes/default/{rel}"), *bytes)),
    );
    files
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    /// Files written, relative to the site's directory.
    pub written: Vec<PathBuf>,
    /// Files that existed and were left as they were (with `--force`).
    pub kept: Vec<PathBuf>,
}

/// Writes a new site into `dir` (created if missing). Refuses a directory
/// holding anything but hidden entries (`.git`), unless `force`; even then,
/// no file that exists is replaced: it is listed in [`InitReport::kept`].
pub fn init(dir: &Path, force: bool) -> Result<InitReport, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "{} exists and is not a directory",
            dir.display()
        )));
    }
    if dir.is_dir() && !force {
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        if !found.is_empty() {
            found.sort();
            if found.len() > 3 {
                let more = found.len() - 3;
                found.truncate(3);
                found.push(format!("{more} more"));
            }
            return Err(Error::NotEmpty {
                dir: dir.to_path_buf(),
                found,
            });
        }
    }
    let mut report = InitReport::default();
    for (rel, bytes) in site_files() {
        let path = dir.join(&rel);
        if path.exists() || path.is_symlink() {
            report.kept.push(PathBuf::from(rel));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        write_new(&path, bytes)?;
        report.written.push(PathBuf::from(rel));
    }
    Ok(report)
}

/// Writes a file that must not exist yet (never replacing one that appears
/// meanwhile).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists(path.to_path_buf())
            } else {
                io(path)(e)
            }
        })?;
    file.write_all(bytes).map_err(io(path))
}

// ----------------------------------------------------------- new article

/// `new` works in a site: refuses a root without site.toml, so that a
/// mistyped --root or a wrong directory does not grow a stray content/.
fn require_site(root: &Path) -> Result<(), Error> {
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

const ENTRIES_SKELETON: &str = r##"entries:
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

// ------------------------------------------------------- new actor/topic/thread

/// A new registry item.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub registry: RegistryKind,
    pub id: String,
    pub name: String,
    /// An actor's kind: person, state, organisation or group.
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    /// An actor's role ("Foreign minister of Russia").
    pub role: Option<String>,
    /// An actor's affiliation: another actor's id or name.
    pub affiliation: Option<String>,
}

/// The item as YAML, a top-level mapping key and its fields, every string
/// double-quoted.
pub fn item_text(item: &NewItem) -> String {
    let mut y = format!(
        "{}:\n  {}: {}\n",
        yaml_key(&item.id),
        item.registry.name_field(),
        quote(&item.name)
    );
    if !item.aliases.is_empty() {
        let aliases: Vec<String> = item.aliases.iter().map(|a| quote(a)).collect();
        y.push_str(&format!("  aliases: [{}]\n", aliases.join(", ")));
    }
    if let Some(kind) = item.kind.as_deref().and_then(ActorKind::parse) {
        y.push_str(&format!("  kind: {}\n", kind.as_str()));
    }
    if let Some(role) = &item.role {
        y.push_str(&format!("  role: {}\n", quote(role)));
    }
    if let Some(affiliation) = &item.affiliation {
        y.push_str(&format!("  affiliation: {}\n", quote(affiliation)));
    }
    y
}

/// An id as a YAML key: bare when it is plainly a string, else quoted.
fn yaml_key(id: &str) -> String {
    let plain = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !matches!(
            id.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        id.to_string()
    } else {
        quote(id)
    }
}

/// Each item's id and its names (name or title, aliases).
type Names = BTreeMap<String, Vec<String>>;

fn registry_names(text: &str, registry: RegistryKind) -> Result<Names, String> {
    fn names<T>(
        parsed: Result<(Registry<T>, crate::diagnostics::Diagnostics), Box<Diagnostic>>,
        names_of: impl Fn(&T) -> (&Option<String>, &OneOrMany),
    ) -> Result<BTreeMap<String, Vec<String>>, Box<Diagnostic>> {
        let (registry, _) = parsed?;
        Ok(registry
            .items
            .iter()
            .map(|(id, item)| {
                let (name, aliases) = names_of(item);
                (
                    id.clone(),
                    name.iter().chain(aliases.0.iter()).cloned().collect(),
                )
            })
            .collect())
    }
    let mut files = SourceFiles::default();
    let file = files.add(registry.file(), text.to_string());
    let source: Arc<str> = Arc::from(text);
    let read = match registry {
        RegistryKind::Actor => names(parse_registry::<RawActor>(registry, &source, file), |a| {
            (&a.name, &a.aliases)
        }),
        RegistryKind::Topic => names(parse_registry::<RawTopic>(registry, &source, file), |t| {
            (&t.name, &t.aliases)
        }),
        RegistryKind::Thread => names(parse_registry::<RawThread>(registry, &source, file), |t| {
            (&t.title, &t.aliases)
        }),
    };
    read.map_err(|d| {
        let p = d.positioned(&files);
        match p.line {
            Some(line) => format!("line {line}: {}", p.message),
            None => p.message,
        }
    })
}

/// The registry's text with `item` appended at its end: the text before is
/// kept byte for byte (a final newline added if it lacked one). Refuses an
/// unusable id, an id the registry has (or one making the same page
/// address), a name or alias another item has, and a text that does not
/// parse, before or after.
pub fn append_item(existing: &str, item: &NewItem) -> Result<String, Error> {
    let file = item.registry.file();
    let registry_error = |why: String| Error::Registry {
        file: file.clone(),
        why,
    };
    let slug = ids::slugify(&item.id);
    if slug.is_empty() || item.id.trim() != item.id {
        return Err(Error::UnusableId(item.id.clone()));
    }
    // The build takes any id with letters or digits (its page address is
    // its slug); `new` writes only ids that are what their address shows.
    if !item.id.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Err(Error::BadId {
            id: item.id.clone(),
            suggestion: slug,
        });
    }
    for (flag, given) in [("--role", &item.role), ("--affiliation", &item.affiliation)] {
        if given.is_some() && item.registry != RegistryKind::Actor {
            return Err(Error::Invalid(format!(
                "{flag} is for actors; a {} has none",
                item.registry.word()
            )));
        }
        if given.as_deref().is_some_and(|g| g.trim().is_empty()) {
            return Err(Error::Invalid(format!("{flag} must not be empty")));
        }
    }
    if item.name.trim().is_empty() {
        return Err(Error::Invalid("--name must not be empty".into()));
    }
    if let Some(kind) = &item.kind {
        if item.registry != RegistryKind::Actor {
            return Err(Error::Invalid(format!(
                "--kind is for actors; a {} has none",
                item.registry.word()
            )));
        }
        if ActorKind::parse(kind).is_none() {
            let names: Vec<&str> = ActorKind::ALL
                .iter()
                .filter(|k| **k != ActorKind::Other)
                .map(ActorKind::as_str)
                .collect();
            return Err(Error::Invalid(format!(
                "--kind {kind:?} is not one of: {}",
                names.join(", ")
            )));
        }
    }
    let before = registry_names(existing, item.registry)
        .map_err(|why| registry_error(format!("{why}; fix it before adding to it")))?;
    let word = item.registry.word();
    for (id, names) in &before {
        if ids::slugify(id) == slug {
            // The registry has `id`; the new one clashes with it.
            let what = format!("the {word} `{id}`");
            let other = if *id == item.id {
                "pick another id".to_string()
            } else {
                format!(
                    "`{}` would share its page /{word}s/{slug}/; pick another id",
                    item.id
                )
            };
            return Err(Error::Taken { file, what, other });
        }
        let mine = std::iter::once(&item.id)
            .chain(std::iter::once(&item.name))
            .chain(&item.aliases);
        for name in mine {
            let key = names::key(name);
            if std::iter::once(id)
                .chain(names)
                .any(|n| names::key(n) == key)
            {
                return Err(Error::Taken {
                    file,
                    what: format!("the name `{name}`"),
                    other: format!("{word} `{id}` is called so; a name must point to one {word}"),
                });
            }
        }
    }
    let mut text = existing.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.trim().is_empty() && !text.ends_with("\n\n") {
        text.push('\n');
    }
    text.push_str(&item_text(item));
    // The new text must hold every earlier item and the new one, as given.
    let after = registry_names(&text, item.registry).map_err(|why| {
        registry_error(format!(
            "appending at the end would not give valid YAML ({why}); add the {word} by hand"
        ))
    })?;
    let mut expected = before;
    let mut mine = vec![item.name.clone()];
    mine.extend(item.aliases.iter().cloned());
    expected.insert(item.id.clone(), mine);
    if after != expected {
        return Err(registry_error(format!(
            "appending at the end would change the file's other items; add the {word} by hand"
        )));
    }
    Ok(text)
}

/// Appends `item` to its registry in the site at `root` (which must hold
/// site.toml), creating the file if missing. Returns the file, relative to `root`.
pub fn new_item(root: &Path, item: &NewItem) -> Result<PathBuf, Error> {
    require_site(root)?;
    let rel = item.registry.file();
    let path = root.join(&rel);
    let existing = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| Error::Registry {
            file: rel.clone(),
            why: "not UTF-8 text".into(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(&path)(e)),
    };
    let text = append_item(&existing, item)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: &str, name: &str) -> NewItem {
        NewItem {
            registry: RegistryKind::Actor,
            id: id.into(),
            name: name.into(),
            kind: None,
            aliases: Vec::new(),
            role: None,
            affiliation: None,
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2024, 5, 6).unwrap()
    }

    #[test]
    fn the_theme_is_embedded_whole() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let mut embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        let mut on_disk = on_disk;
        on_disk.sort();
        embedded.sort();
        assert_eq!(embedded, on_disk);
        assert!(embedded.iter().any(|p| p == "templates/base.html"));
        for (rel, bytes) in DEFAULT_THEME {
            assert_eq!(&std::fs::read(dir.join(rel)).unwrap(), bytes, "{rel}");
        }
    }

    #[test]
    fn article_paths_stay_below_content_articles() {
        assert_eq!(
            article_path("2022/01/x").unwrap(),
            Path::new("2022/01/x.md")
        );
        assert_eq!(article_path("./a.txt").unwrap(), Path::new("a.txt"));
        assert_eq!(
            article_path("content/articles/2022/b.md").unwrap(),
            Path::new("2022/b.md")
        );
        for bad in ["../x", "a/../../x", "/etc/x", "", "dir/", "x.yaml", "--.md"] {
            assert!(article_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_txt_article_gets_a_sidecar_and_a_md_front_matter() {
        let new = NewArticle {
            path: "wire.txt".into(),
            source: Some("Wire: \"A\"".into()),
            ..NewArticle::default()
        };
        let files = article_files(&new, today()).unwrap();
        assert_eq!(files[0].0, Path::new("content/articles/wire.txt"));
        assert_eq!(files[0].1, "");
        assert_eq!(files[1].0, Path::new("content/articles/wire.yaml"));
        let y: serde_yaml::Value = serde_yaml::from_str(&files[1].1).unwrap();
        assert_eq!(y["source"].as_str(), Some("Wire: \"A\""));
        assert_eq!(y["published"].as_str(), Some("2024-05-06"));
        assert!(y["entries"].is_null());

        let new = NewArticle {
            path: "a/b".into(),
            title: Some("T # not a comment".into()),
            published: Some("2022-01-26 18:05".into()),
            ..NewArticle::default()
        };
        let files = article_files(&new, today()).unwrap();
        let text = &files[0].1;
        let front = text
            .strip_prefix("---\n")
            .unwrap()
            .split("---\n")
            .next()
            .unwrap();
        let y: serde_yaml::Value = serde_yaml::from_str(front).unwrap();
        assert_eq!(y["title"].as_str(), Some("T # not a comment"));
        assert_eq!(y["published"].as_str(), Some("2022-01-26 18:05"));
        let bad = NewArticle {
            published: Some("26/01/2022".into()),
            ..new
        };
        assert!(matches!(
            article_files(&bad, today()),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn appending_keeps_the_text_before_and_quotes_what_it_adds() {
        let before =
            "# people\nlavrov:\n  name: Sergey Lavrov   # the minister\n  aliases: [Lavrov]";
        let mut item = actor("o-brien", "Pat O'Brien: \"the #1\"");
        item.aliases = vec!["P. O'B".into(), "x: y".into()];
        item.kind = Some("person".into());
        let after = append_item(before, &item).unwrap();
        assert!(after.starts_with(&format!("{before}\n\n")), "{after}");
        let parsed: BTreeMap<String, RawActor> = serde_yaml::from_str(&after).unwrap();
        let added = &parsed["o-brien"];
        assert_eq!(added.name.as_deref(), Some("Pat O'Brien: \"the #1\""));
        assert_eq!(added.aliases.0, vec!["P. O'B", "x: y"]);
        assert_eq!(added.kind.as_deref(), Some("person"));
        assert_eq!(parsed["lavrov"].name.as_deref(), Some("Sergey Lavrov"));
    }

    #[test]
    fn ids_and_names_already_taken_are_refused() {
        let before = "lavrov:\n  name: Sergey Lavrov\n  aliases: [Mr Lavrov]\n";
        for item in [
            actor("lavrov", "Someone"),
            actor("Lavrov", "Someone"),
            actor("sergey", "sergey  lavrov"),
            actor("other", "Someone"),
        ] {
            let mut item = item;
            if item.id == "other" {
                item.aliases = vec!["MR LAVROV".into()];
            }
            assert!(
                matches!(append_item(before, &item), Err(Error::Taken { .. })),
                "{item:?}"
            );
        }
        assert!(matches!(
            append_item(before, &actor("--", "X")),
            Err(Error::UnusableId(_))
        ));
        let mut bad_kind = actor("x", "X");
        bad_kind.kind = Some("robot".into());
        assert!(matches!(
            append_item(before, &bad_kind),
            Err(Error::Invalid(_))
        ));
        let thread = NewItem {
            registry: RegistryKind::Thread,
            kind: Some("person".into()),
            ..actor("t", "T")
        };
        assert!(matches!(append_item("", &thread), Err(Error::Invalid(_))));
    }

    #[test]
    fn a_registry_that_cannot_take_a_block_item_is_refused() {
        // A flow mapping: a block key after it is not valid YAML.
        let flow = "{lavrov: {name: Sergey Lavrov}}\n";
        assert!(matches!(
            append_item(flow, &actor("x", "X")),
            Err(Error::Registry { .. })
        ));
        assert!(matches!(
            append_item("lavrov: [", &actor("x", "X")),
            Err(Error::Registry { .. })
        ));
    }

    #[test]
    fn threads_are_titled_and_odd_ids_quoted() {
        let item = NewItem {
            registry: RegistryKind::Thread,
            ..actor("yes", "Talks: round 2")
        };
        let text = append_item("", &item).unwrap();
        assert_eq!(text, "\"yes\":\n  title: \"Talks: round 2\"\n");
        let parsed: BTreeMap<String, RawThread> = serde_yaml::from_str(&text).unwrap();
        assert_eq!(parsed["yes"].title.as_deref(), Some("Talks: round 2"));
    }

    #[test]
    fn an_actor_kind_is_what_the_build_accepts() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.toml"), "title = \"T\"\n").unwrap();
        let item = |kind: &str| NewItem {
            registry: RegistryKind::Actor,
            id: format!("x-{}", kind.len()),
            name: "X".into(),
            kind: Some(kind.into()),
            aliases: Vec::new(),
            role: None,
            affiliation: None,
        };
        new_item(tmp.path(), &item("Organization")).expect("the American spelling, any case");
        let written = std::fs::read_to_string(tmp.path().join("content/actors.yaml")).unwrap();
        assert!(written.contains("kind: organisation"), "{written}");
        let Err(Error::Invalid(why)) = new_item(tmp.path(), &item("politician")) else {
            panic!("a kind the build does not know is refused");
        };
        assert!(why.contains("person, state, organisation, group"), "{why}");
    }
}

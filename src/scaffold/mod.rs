//! `chronicle init` and `chronicle new`: a new site, a new article, a new
//! registry item.
//!
//! The texts are made by pure functions ([`site_files`], [`article_files`],
//! [`append_item`]); [`init`], [`new_article`] and [`new_item`] write them.
//! Nothing that exists is ever replaced, and a registry is only appended
//! to, so the editor's comments and order stay as they were.

use crate::diagnostics::{Code, Diagnostic};
pub use crate::load::RegistryKind;
use std::fmt;
use std::path::{Path, PathBuf};

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

mod article;
mod init;
mod item;

pub use article::*;
pub use init::*;
pub use item::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::annotations::{RawActor, RawThread};
    use std::collections::BTreeMap;

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

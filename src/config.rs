//! `site.toml`: the site's settings.

use std::path::{Component, Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId, Location, SourceFiles};

/// The site's settings, validated.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Who publishes the chronicle: schema.org `publisher` of its pages and
    /// author of its `ClaimReview`s.
    pub publisher: Option<String>,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/` (`/ukraine/`).
    pub base_path: String,
    pub language: String,
    pub timezone: Tz,
    pub theme: String,
    /// Relative to the site root unless absolute.
    pub output_dir: PathBuf,
    pub strict: bool,
    /// Pass raw HTML in Markdown through instead of escaping it.
    pub raw_html: bool,
    /// How many of the latest days the home page shows.
    pub home_days: usize,
    /// Entries per page on thread, actor and topic pages; 0: all on one.
    pub paginate_by: usize,
    /// Entries per page of a day's page; 0: every day on one page.
    pub day_paginate_by: usize,
    /// The newest entries the site's and the corrections' feeds hold; 0:
    /// all of them.
    pub feed_limit: usize,
    /// The newest entries each thread's and actor's feed holds; 0: all.
    pub item_feed_limit: usize,
    /// Follow symbolic links that lead out of the site root (content,
    /// templates, static files); off, such a link is an error.
    pub follow_outside_links: bool,
    /// How `timeline.json` groups its events in TimelineJS.
    pub timeline_groups: TimelineGroups,
    /// The newest entries `timeline.json` holds; 0: all of them.
    pub timeline_limit: usize,
    /// The feed formats written (each feed in each of them).
    pub feed_formats: FeedFormats,
    /// The data exports written: `chronicle.json` (with its schema), only
    /// when asked for, and `timeline.json`.
    pub exports: Exports,
    /// The formats of the feed of each thread and each actor (besides the
    /// site's and the corrections'): Atom only unless site.toml says more.
    pub item_feeds: FeedFormats,
    /// Write schema.org JSON-LD in the pages' heads.
    pub structured_data: bool,
    /// Draw the timeline graphics (home, thread, actor and topic pages).
    pub timeline_graphics: bool,
    /// Free-form settings for templates (`config.extra` in Tera).
    pub extra: toml::Table,
}

impl Default for SiteConfig {
    /// The settings of a site.toml that sets nothing.
    fn default() -> Self {
        SiteConfig {
            title: "Chronicle".into(),
            description: String::new(),
            publisher: None,
            base_url: "/".into(),
            base_path: "/".into(),
            language: "en".into(),
            timezone: Tz::UTC,
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            strict: false,
            raw_html: false,
            home_days: 7,
            paginate_by: 50,
            day_paginate_by: 500,
            feed_limit: 50,
            item_feed_limit: 10,
            follow_outside_links: false,
            timeline_groups: TimelineGroups::None,
            timeline_limit: 1000,
            exports: Exports {
                chronicle: false,
                timeline: true,
            },
            feed_formats: FeedFormats {
                atom: true,
                json: true,
            },
            item_feeds: FeedFormats {
                atom: true,
                json: false,
            },
            structured_data: true,
            timeline_graphics: true,
            extra: toml::Table::new(),
        }
    }
}

/// How `timeline.json` sorts its events into TimelineJS groups (rows of
/// the time navigation, each labelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimelineGroups {
    /// No groups: TimelineJS stacks the events in as few rows as they need,
    /// which fits the usual embed of 650 px with headlines whole.
    None,
    /// One group per thread (an entry's first thread), labelled with its
    /// title: for a tall embed of a chronicle with few threads.
    Threads,
}

/// A data export of `exports`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Export {
    /// `chronicle.json` and `chronicle.schema.json`.
    Chronicle,
    /// `timeline.json`, for TimelineJS.
    Timeline,
}

/// Which data exports a site writes (`timeline.json` by default; both
/// with `exports = ["chronicle", "timeline"]`; none with `exports = []`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exports {
    pub chronicle: bool,
    pub timeline: bool,
}

/// A feed format of `feed_formats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// Atom 1.0, `feed.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

/// Which feed formats a site writes (both by default; none with
/// `feed_formats = []`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FeedFormats {
    pub atom: bool,
    pub json: bool,
}

impl FeedFormats {
    fn of(formats: &[FeedFormat]) -> FeedFormats {
        FeedFormats {
            atom: formats.contains(&FeedFormat::Atom),
            json: formats.contains(&FeedFormat::Json),
        }
    }

    fn and(self, other: FeedFormats) -> FeedFormats {
        FeedFormats {
            atom: self.atom && other.atom,
            json: self.json && other.json,
        }
    }

    /// Whether any format is written.
    pub fn any(self) -> bool {
        self.atom || self.json
    }
}

/// `item_feeds` as written: `true`, `false` or a list of formats.
#[derive(Debug)]
enum ItemFeeds {
    Switch(bool),
    Formats(Vec<FeedFormat>),
}

impl<'de> Deserialize<'de> for ItemFeeds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ItemFeeds;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false, or a list of feed formats such as [\"atom\", \"json\"]")
            }
            fn visit_bool<E>(self, v: bool) -> Result<ItemFeeds, E> {
                Ok(ItemFeeds::Switch(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ItemFeeds, A::Error> {
                let mut formats = Vec::new();
                while let Some(f) = seq.next_element()? {
                    formats.push(f);
                }
                Ok(ItemFeeds::Formats(formats))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `site.toml` as written; every field optional so defaults apply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    publisher: Option<String>,
    base_url: Option<Spanned<String>>,
    language: Option<String>,
    timezone: Option<Spanned<String>>,
    theme: Option<String>,
    output_dir: Option<Spanned<String>>,
    strict: Option<bool>,
    raw_html: Option<bool>,
    home_days: Option<usize>,
    paginate_by: Option<usize>,
    day_paginate_by: Option<usize>,
    feed_limit: Option<usize>,
    item_feed_limit: Option<usize>,
    follow_outside_links: Option<bool>,
    timeline_groups: Option<TimelineGroups>,
    timeline_limit: Option<usize>,
    feed_formats: Option<Vec<FeedFormat>>,
    exports: Option<Vec<Export>>,
    item_feeds: Option<ItemFeeds>,
    structured_data: Option<bool>,
    timeline_graphics: Option<bool>,
    extra: Option<toml::Table>,
    /// Read by `chronicle import`, not by the build.
    #[allow(dead_code)]
    import: Option<toml::Table>,
}

/// Settings given on the command line, which win over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub strict: bool,
}

/// Reads and validates `site.toml` at the site root. Problems go to
/// `diagnostics`; `None` when the file is missing or unusable.
pub fn load(
    root: &Path,
    overrides: &Overrides,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    if !root.join("site.toml").is_file() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingConfig,
                format!("no site.toml in {}", root.display()),
            )
            .in_file("site.toml")
            .with_hint(
                "run chronicle in the site's directory, or name it with --root DIR; \
                 `chronicle init` makes a new site",
            ),
        );
        return None;
    }
    let file = crate::load::read_source(root, Path::new("site.toml"), files, diagnostics)?;
    parse(root, file, files, overrides, diagnostics)
}

/// The TOML reader's message in an editor's words: Rust's integer type
/// names mean nothing to them.
fn plain_toml_message(message: &str) -> String {
    message
        .replace("expected usize", "expected a whole number, 0 or more")
        .replace("expected u32", "expected a whole number, 0 or more")
}

fn parse(
    root: &Path,
    file: FileId,
    files: &SourceFiles,
    overrides: &Overrides,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    let raw: RawConfig = match toml::from_str(&files.get(file).text) {
        Ok(raw) => raw,
        Err(e) => {
            let location = e.span().map(|range| Location { file, range });
            diagnostics.push(
                Diagnostic::error(Code::InvalidConfig, plain_toml_message(e.message()))
                    .at(location)
                    .in_file("site.toml")
                    .with_hint(
                        "site.toml takes: title, description, base_url, language, timezone, \
                         theme, output_dir, strict, raw_html, home_days, paginate_by, day_paginate_by, \
                         feed_limit, item_feed_limit, follow_outside_links, publisher, timeline_groups, \
                         timeline_limit, feed_formats, item_feeds, exports, structured_data, \
                         timeline_graphics, [extra], \
                         [import]",
                    ),
            );
            return None;
        }
    };
    let span = |s: &Spanned<String>| {
        Some(Location {
            file,
            range: s.span(),
        })
    };
    let mut ok = true;

    let timezone = match &raw.timezone {
        None => Tz::UTC,
        Some(name) => match name.get_ref().parse::<Tz>() {
            Ok(tz) => tz,
            Err(_) => {
                ok = false;
                diagnostics.push(unknown_timezone(name.get_ref(), span(name)));
                Tz::UTC
            }
        },
    };

    let base_url_text = overrides
        .base_url
        .clone()
        .or_else(|| raw.base_url.as_ref().map(|s| s.get_ref().clone()))
        .unwrap_or_else(|| "/".to_string());
    let (base_url, base_path) = match split_base_url(&base_url_text) {
        Some(parts) => parts,
        None => {
            ok = false;
            let location = match (&overrides.base_url, &raw.base_url) {
                (None, Some(s)) => span(s),
                _ => None,
            };
            // Given on the command line, it is no problem of site.toml's.
            let (what, file) = if overrides.base_url.is_some() {
                ("--base-url", None)
            } else {
                ("base_url", Some("site.toml"))
            };
            let mut d = Diagnostic::error(
                Code::InvalidBaseUrl,
                format!("`{base_url_text}` is not a usable {what}"),
            )
            .at(location);
            if let Some(file) = file {
                d = d.in_file(file);
            }
            diagnostics.push(d.with_hint(
                "write a full URL such as \"https://example.org/chronicle/\", or a path such as \"/chronicle/\"",
            ));
            ("/".into(), "/".into())
        }
    };

    let output_dir = overrides
        .output_dir
        .clone()
        .or_else(|| raw.output_dir.as_ref().map(|s| PathBuf::from(s.get_ref())))
        .unwrap_or_else(|| PathBuf::from("public"));
    if let Err(why) = check_output_dir(root, &output_dir) {
        ok = false;
        let (location, what) = match (&overrides.output_dir, &raw.output_dir) {
            (None, Some(s)) => (span(s), "output_dir"),
            (Some(_), _) => (None, "--output"),
            (None, None) => (None, "output_dir"),
        };
        let mut d = Diagnostic::error(
            Code::UnsafeOutputDir,
            format!("{what} `{}` {why}", output_dir.display()),
        )
        .at(location);
        if overrides.output_dir.is_none() {
            d = d.in_file("site.toml");
        }
        diagnostics.push(
            d
                .with_hint("the build replaces the whole output directory; use a directory of its own, such as \"public\""),
        );
    }

    let defaults = SiteConfig::default();
    let feed_formats = raw
        .feed_formats
        .as_deref()
        .map_or(defaults.feed_formats, FeedFormats::of);
    ok.then(|| SiteConfig {
        title: raw.title.unwrap_or(defaults.title),
        description: raw.description.unwrap_or(defaults.description),
        publisher: raw
            .publisher
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
        base_url,
        base_path,
        language: raw.language.unwrap_or(defaults.language),
        timezone,
        theme: raw.theme.unwrap_or(defaults.theme),
        output_dir,
        strict: raw.strict.unwrap_or(defaults.strict) || overrides.strict,
        raw_html: raw.raw_html.unwrap_or(defaults.raw_html),
        home_days: raw.home_days.unwrap_or(defaults.home_days),
        paginate_by: raw.paginate_by.unwrap_or(defaults.paginate_by),
        day_paginate_by: raw.day_paginate_by.unwrap_or(defaults.day_paginate_by),
        feed_limit: raw.feed_limit.unwrap_or(defaults.feed_limit),
        item_feed_limit: raw.item_feed_limit.unwrap_or(defaults.item_feed_limit),
        follow_outside_links: raw
            .follow_outside_links
            .unwrap_or(defaults.follow_outside_links),
        timeline_groups: raw.timeline_groups.unwrap_or(defaults.timeline_groups),
        timeline_limit: raw.timeline_limit.unwrap_or(defaults.timeline_limit),
        feed_formats,
        exports: raw.exports.map_or(defaults.exports, |listed| Exports {
            chronicle: listed.contains(&Export::Chronicle),
            timeline: listed.contains(&Export::Timeline),
        }),
        // A thread's or actor's feed is written only in formats the site
        // writes at all: Atom by default (JSON Feed too with `true`, or
        // as listed).
        item_feeds: match raw.item_feeds {
            None if feed_formats.atom => defaults.item_feeds,
            None | Some(ItemFeeds::Switch(true)) => feed_formats,
            Some(ItemFeeds::Switch(false)) => FeedFormats::of(&[]),
            Some(ItemFeeds::Formats(listed)) => FeedFormats::of(&listed).and(feed_formats),
        },
        structured_data: raw.structured_data.unwrap_or(defaults.structured_data),
        timeline_graphics: raw.timeline_graphics.unwrap_or(defaults.timeline_graphics),
        extra: raw.extra.unwrap_or(defaults.extra),
    })
}

/// The diagnostic for a time zone name chrono-tz does not know.
pub fn unknown_timezone(name: &str, location: Option<Location>) -> Diagnostic {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    let mut d = Diagnostic::error(Code::UnknownTimezone, format!("unknown time zone `{name}`"))
        .at(location)
        .with_label("not an IANA time zone name");
    let near = crate::resolve::names::nearest(name, names.iter().copied(), 3);
    if !near.is_empty() {
        d = d.with_hint(format!(
            "did you mean {}?",
            crate::resolve::names::or_list(&near)
        ));
    }
    d.with_hint("use an IANA name such as \"Europe/Kyiv\" or \"UTC\"")
}

/// Splits a base URL into its normalised form and its path part.
/// `https://example.org/ukraine` → (`https://example.org/ukraine/`, `/ukraine/`).
pub fn split_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let path = if let Some((scheme, rest)) = url.split_once("://") {
        let scheme_ok = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let path = &rest[host_end..];
        if !scheme_ok || host_end == 0 || path.contains(['?', '#']) {
            return None;
        }
        path.to_string()
    } else if url.starts_with('/') {
        url.to_string()
    } else {
        return None;
    };
    let mut path = path;
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    let mut full = url.to_string();
    if !full.ends_with('/') {
        full.push('/');
    }
    Some((full, path))
}

/// Lexically normalises a path: removes `.`, resolves `..` against earlier parts.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Refuses an output directory whose replacement would destroy the site or
/// anything above it: the root itself, a parent of it, `/`, the home
/// directory or a parent of it, or a directory holding the site's own
/// sources or inside them. Every path is compared resolved through symbolic
/// links, so a link cannot disguise one of these.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), &'static str> {
    let output = crate::paths::resolve(&root.join(output));
    let root = crate::paths::resolve(root);
    if output.parent().is_none() {
        return Err("is the filesystem root");
    }
    if root.starts_with(&output) {
        return Err("is the site root or one of its parents");
    }
    for source in ["content", "static", "templates", "themes", "site.toml"] {
        let source = crate::paths::resolve(&root.join(source));
        if output.starts_with(&source) {
            return Err("is inside the site's own sources");
        }
        if source.starts_with(&output) {
            return Err("holds the site's own sources");
        }
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if home.is_some_and(|home| crate::paths::resolve(Path::new(&home)).starts_with(&output)) {
        return Err("is the home directory or one of its parents");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_sub_path() {
        assert_eq!(
            split_base_url("https://example.org/ukraine").unwrap(),
            ("https://example.org/ukraine/".into(), "/ukraine/".into())
        );
        assert_eq!(split_base_url("https://example.org").unwrap().1, "/");
        assert_eq!(split_base_url("/docs/").unwrap().1, "/docs/");
        assert!(split_base_url("example.org/x").is_none());
        assert!(split_base_url("https://example.org/../x").is_none());
    }

    #[test]
    fn a_bad_base_url_is_blamed_where_it_was_given() {
        let load_with = |toml: &str, cli: Option<&str>| {
            let tmp = tempfile::tempdir().unwrap();
            std::fs::write(tmp.path().join("site.toml"), toml).unwrap();
            let overrides = Overrides {
                base_url: cli.map(str::to_string),
                ..Overrides::default()
            };
            let mut files = SourceFiles::default();
            let mut diagnostics = Diagnostics::default();
            assert!(load(tmp.path(), &overrides, &mut files, &mut diagnostics).is_none());
            let d = diagnostics.items()[0].clone();
            d.positioned(&files)
        };
        let cli = load_with("title = \"T\"\n", Some("example.org/x"));
        assert_eq!(cli.file, None, "{cli:?}");
        assert!(cli.message.contains("--base-url"), "{cli:?}");
        let toml = load_with("base_url = \"example.org/x\"\n", None);
        assert_eq!(toml.file.as_deref(), Some("site.toml"), "{toml:?}");
        assert!(toml.message.contains("usable base_url"), "{toml:?}");
    }

    #[test]
    fn a_missing_site_toml_suggests_init() {
        let tmp = tempfile::tempdir().unwrap();
        let mut files = SourceFiles::default();
        let mut diagnostics = Diagnostics::default();
        assert!(load(
            tmp.path(),
            &Overrides::default(),
            &mut files,
            &mut diagnostics
        )
        .is_none());
        let d = &diagnostics.items()[0];
        assert!(
            d.hints.iter().any(|h| h.contains("chronicle init")),
            "{d:?}"
        );
    }

    #[test]
    fn output_dir_may_not_swallow_the_site() {
        let root = Path::new("/srv/site");
        assert!(check_output_dir(root, Path::new("public")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/out")).is_ok());
        assert!(check_output_dir(root, Path::new(".")).is_err());
        assert!(check_output_dir(root, Path::new("..")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("content")).is_err());
        assert!(check_output_dir(root, Path::new("content/x/..")).is_err());
        assert!(check_output_dir(root, Path::new("public/../content/out")).is_err());
    }

    #[test]
    fn links_do_not_disguise_the_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::create_dir_all(real.join("content/articles")).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        std::os::unix::fs::symlink(real.join("content"), tmp.path().join("to-content")).unwrap();
        assert!(check_output_dir(&link, Path::new("public")).is_ok());
        assert!(check_output_dir(&link, &link.join("content")).is_err());
        assert!(check_output_dir(&link, &tmp.path().join("to-content/articles")).is_err());
        assert!(
            check_output_dir(&real, &link).is_err(),
            "the root through a link"
        );
        // A content directory that is itself a link elsewhere.
        let site = tmp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::os::unix::fs::symlink(real.join("content"), site.join("content")).unwrap();
        assert!(
            check_output_dir(&site, &real).is_err(),
            "holds the linked sources"
        );
        assert!(check_output_dir(&site, &real.join("content/articles/x")).is_err());
    }
}

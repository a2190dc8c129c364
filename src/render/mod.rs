//! Stage 3, render: turn the [`Chronicle`] into pages with Tera, one
//! context per page, and hand each page to a sink (the write stage).

pub mod contract;
pub mod describe;
pub mod export;
pub mod feeds;
pub mod html;
mod indentation;
pub mod jsonld;
mod output;
mod pages;
pub mod search;
pub mod sitemap;
pub mod timeline;
pub mod views;
pub mod words;

pub(crate) use output::Rendering;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::Chronicle;
use crate::urls::PageKind;
use views::SharedViews;

/// The templates of the theme, overridden by name by the site's own.
pub struct Templates {
    /// The templates compiled without their indentation (see
    /// [`indentation`]).
    tera: Tera,
    /// The templates compiled as written, only to report a render error at
    /// the column its author sees; compiled on the first error.
    tera_as_written: std::sync::OnceLock<Option<Tera>>,
    /// Each template's text, by name.
    sources: BTreeMap<String, String>,
    /// The words the theme gives the pages (its theme.toml).
    pub words: words::Words,
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "days.html",
    "day.html",
    "threads.html",
    "thread.html",
    "actors.html",
    "actor.html",
    "topics.html",
    "topic.html",
    "sources.html",
    "article.html",
    "404.html",
];

impl Templates {
    /// Loads `themes/<theme>/templates/` then the site's `templates/`.
    pub fn load(
        root: &Path,
        config: &crate::config::SiteConfig,
        diagnostics: &mut Diagnostics,
    ) -> Option<Templates> {
        let theme = config.theme.as_str();
        let inside = crate::paths::Inside::new(root, config.follow_outside_links);
        let theme_dir = root.join("themes").join(theme).join("templates");
        if !theme_dir.is_dir() {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingTheme,
                    format!("theme `{theme}` has no templates directory"),
                )
                .in_file("site.toml")
                .with_hint(format!(
                    "expected {}; set `theme` in site.toml to a directory under themes/",
                    theme_dir.display()
                )),
            );
            return None;
        }
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut problems = Vec::new();
        for dir in [theme_dir, root.join("templates")] {
            for (name, path) in template_files(&inside, &dir, &mut problems) {
                let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                match crate::load::read_text(&path, &display) {
                    Ok(text) => {
                        sources.insert(name, (display, text));
                    }
                    Err(d) => diagnostics.push(*d),
                }
            }
        }
        let unsafe_links = !problems.is_empty();
        for d in problems {
            diagnostics.push(d);
        }
        if unsafe_links {
            return None;
        }
        let missing: Vec<&str> = REQUIRED_TEMPLATES
            .iter()
            .copied()
            .filter(|t| !sources.contains_key(*t))
            .collect();
        if !missing.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingTemplate,
                    format!("theme `{theme}` lacks {}", missing.join(", ")),
                )
                .in_file(format!("themes/{theme}/templates"))
                .with_hint("add them to the theme, or to the site's templates/ directory"),
            );
            return None;
        }
        let compile_as = |text: &dyn Fn(&str) -> String| {
            compile(
                sources
                    .iter()
                    .map(|(name, (_, source))| (name.clone(), text(source))),
            )
        };
        // An error is reported from the templates as written, at the column
        // their author sees.
        let compiled = compile_as(&indentation::without_indentation)
            .map_err(|e| compile_as(&str::to_owned).err().unwrap_or(e));
        let tera = match compiled {
            Ok(tera) => tera,
            Err(e) => {
                let file = template_file_of(&e, &sources);
                diagnostics.push(
                    Diagnostic::error(Code::TemplateError, error_chain(&e))
                        .in_file(file)
                        .with_hint("see the Tera documentation on template syntax"),
                );
                return None;
            }
        };
        let sources = sources
            .into_iter()
            .map(|(name, (_, text))| (name, text))
            .collect();
        let theme_root = root.join("themes").join(theme);
        let display = Path::new("themes").join(theme).join(words::THEME_FILE);
        let words = match words::Words::load(&theme_root, &display) {
            Ok(words) => words,
            Err(d) => {
                diagnostics.push(*d);
                return None;
            }
        };
        Some(Templates {
            tera,
            tera_as_written: std::sync::OnceLock::new(),
            sources,
            words,
        })
    }

    /// The page templates among `names` (see [`page_templates`]), when each is
    /// used only by its own pages: no other template names it (to extend,
    /// include or import it) and it defines no component. `None` when a
    /// change to `names` can change any page.
    pub fn used_only_by_their_pages(&self, names: &[String]) -> Option<HashSet<&'static str>> {
        names
            .iter()
            .map(|name| {
                let page = page_templates().find(|t| t == name)?;
                let text = self.sources.get(name)?;
                let quoted = format!("\"{name}\"");
                let named_elsewhere = self
                    .sources
                    .iter()
                    .any(|(other, text)| other != name && text.contains(&quoted));
                let defines_components =
                    text.contains("{% component") || text.contains("{%- component");
                (!named_elsewhere && !defines_components).then_some(page)
            })
            .collect()
    }

    /// The views shared by the pages of `chronicle`, list cards included.
    pub fn shared_views(&self, chronicle: &Chronicle) -> SharedViews {
        SharedViews::build_with_list_cards(chronicle, self.words.clone(), |entry| {
            self.list_card(entry)
        })
    }

    /// An entry as a list item (`cards.list`): the theme's `entry_item`
    /// component, else its `entry_card` at level 4; empty when the theme has
    /// neither or it fails (the pages rendering it then report why).
    pub fn list_card(&self, entry: &tera::Value) -> String {
        let mut context = Context::new();
        context.insert_value("entry", entry.clone());
        let component = if self.tera.contains_component("entry_item") {
            "entry_item"
        } else if self.tera.contains_component("entry_card") {
            context.insert("anchor", &false);
            context.insert("show_day", &false);
            context.insert("level", &4u8);
            "entry_card"
        } else {
            return String::new();
        };
        self.tera
            .render_component(component, &context, None, true)
            .unwrap_or_default()
    }

    fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Box<Diagnostic>> {
        let context = Context::from_serialize(context)
            .map_err(|e| Box::new(Diagnostic::error(Code::TemplateError, error_chain(&e))))?;
        self.tera.render(name, &context).map_err(|e| {
            // The same error from the templates as written, so that its
            // line and column are the author's.
            let as_written = self.tera_as_written.get_or_init(|| {
                compile(self.sources.iter().map(|(n, t)| (n.clone(), t.clone()))).ok()
            });
            let e = as_written
                .as_ref()
                .and_then(|tera| tera.render(name, &context).err())
                .unwrap_or(e);
            Box::new(
                Diagnostic::error(
                    Code::TemplateError,
                    format!("rendering {name}: {}", error_chain(&e)),
                )
                .with_hint(
                    "check the variable names against docs/reference.md, \"Template variables\"",
                ),
            )
        })
    }
}

/// The last `limit` of `items`, the newest of a list in time order; all of
/// them with 0 (as `feed_limit`, `item_feed_limit` and `timeline_limit`
/// say).
fn newest<T>(items: &[T], limit: usize) -> &[T] {
    match limit {
        0 => items,
        n => &items[items.len().saturating_sub(n)..],
    }
}

/// A Tera holding `templates` (name, text), escaping `.html` and `.xml`.
fn compile(templates: impl IntoIterator<Item = (String, String)>) -> Result<Tera, tera::Error> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(templates).map(|()| tera)
}

/// The template files below `dir` (`.html` and `.xml`), by name.
fn template_files(
    inside: &crate::paths::Inside,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    inside
        .files_under(dir, problems)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|x| x == "html" || x == "xml"))
        .map(|(path, name)| (name.to_string_lossy().replace('\\', "/"), path))
        .collect()
}

fn template_file_of(e: &tera::Error, sources: &BTreeMap<String, (PathBuf, String)>) -> PathBuf {
    let text = error_chain(e);
    sources
        .iter()
        .find(|(name, _)| text.contains(&format!("'{name}'")))
        .map(|(_, (path, _))| path.clone())
        .unwrap_or_else(|| PathBuf::from("templates"))
}

/// An error and its causes, on one line each.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    one_line(&text)
}

/// Tera's report of an error (a message, then a frame of the template's
/// source with `-->` and `note: called from` lines) as one line: the
/// message and where, so it reads as every other diagnostic does.
fn one_line(report: &str) -> String {
    let mut lines = report.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return String::new();
    };
    let mut places = Vec::new();
    for line in lines {
        if let Some(place) = line.strip_prefix("--> ") {
            places.push(place.trim().to_string());
        } else if let Some(place) = line.strip_prefix("note: called from ") {
            places.push(format!("called from {}", place.trim()));
        }
    }
    if places.is_empty() {
        first.to_string()
    } else {
        format!("{first} (at {})", places.join(", "))
    }
}

/// The passages of an article to mark in its body, each linked to its entry.
pub fn article_marks<'a>(
    article: &'a crate::resolve::Article,
    chronicle: &'a Chronicle,
    shared: &'a SharedViews,
) -> Vec<html::Mark<'a>> {
    article
        .passages
        .iter()
        .map(|p| html::Mark {
            range: p.range.clone(),
            anchor: &p.anchor,
            entry_url: &shared.entry_urls[p.entry],
            entry_headline: &chronicle.entries[p.entry].headline,
            is_quote: p.quote_by.is_some(),
        })
        .collect()
}

/// Templates a theme may leave out; the pages they make are then not made.
pub const OPTIONAL_TEMPLATES: &[&str] = &["search.html", "page.html"];

/// The templates pages are rendered with (see [`template_of`]): the
/// required ones and the optional ones.
pub fn page_templates() -> impl Iterator<Item = &'static str> {
    REQUIRED_TEMPLATES.iter().chain(OPTIONAL_TEMPLATES).copied()
}

/// The template the file at site path `path` is rendered with; `None` for
/// files made without one (feeds, data, the sitemap).
pub fn template_of(path: &str) -> Option<&'static str> {
    PageKind::of_path(path).map(PageKind::template)
}

/// Receives rendered pages: a site-relative path and its bytes.
pub trait Sink: Sync {
    /// Called from several threads at once, in no particular order.
    fn page(&self, path: &str, html: String) -> std::io::Result<()>;

    /// Whether the sink wants to know, before the first page, how many
    /// there will be ([`Sink::expect`]); counting them costs a pass over
    /// the site's paths.
    fn wants_total(&self) -> bool {
        false
    }

    /// How many pages [`render`] will hand over, when [`Sink::wants_total`].
    fn expect(&self, _total: usize) {}

    /// Receives the file at `path` as `produce` writes it, for files too
    /// large to hold whole (a large chronicle's `chronicle.json`: 3.5 GB at
    /// a million articles). By default the bytes are gathered and handed
    /// to [`Sink::page`]; a sink that writes files writes them as they come.
    fn stream(&self, path: &str, produce: &Produce) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        produce(&mut bytes)?;
        let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
        self.page(path, text)
    }
}

/// Writes a file's bytes into the writer it is given (see [`Sink::stream`]).
pub type Produce<'a> = dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Sync + 'a;

/// Renders every page of the chronicle into `sink`, in parallel; returns
/// how many pages were rendered.
/// Stage timings are added to `timings`: shared views, then each kind of page.
pub fn render(
    chronicle: &Chronicle,
    templates: &Templates,
    sink: &dyn Sink,
    diagnostics: &mut Diagnostics,
    timings: &mut crate::Timings,
) -> usize {
    let shared = timings.time("  shared views", || templates.shared_views(chronicle));
    let pages = Pages {
        chronicle,
        templates,
        shared: &shared,
    };
    if sink.wants_total() {
        sink.expect(pages.paths().len());
    }
    pages.render(sink, Selection::All, Vec::new(), diagnostics, timings)
}

/// What pages are made from: the chronicle, the theme, and the views
/// shared by pages (built by [`Templates::shared_views`]).
#[derive(Clone, Copy)]
pub struct Pages<'a> {
    pub chronicle: &'a Chronicle,
    pub templates: &'a Templates,
    pub shared: &'a SharedViews,
}

impl Pages<'_> {
    /// Renders the files `selection` picks into `sink`, in parallel; returns
    /// how many were rendered. With [`Selection::Only`], `site_pages` must
    /// be every `index.html` of the site, for the sitemap. Stage timings
    /// (each kind of page) are added to `timings`.
    pub fn render(
        &self,
        sink: &dyn Sink,
        selection: Selection,
        site_pages: Vec<String>,
        diagnostics: &mut Diagnostics,
        timings: &mut crate::Timings,
    ) -> usize {
        let out = Rendering::new(sink, selection, site_pages);
        self.ctx().all(&out, timings);
        for d in out.problems.into_inner().unwrap_or_else(|e| e.into_inner()) {
            diagnostics.push(d);
        }
        out.pages.into_inner()
    }

    /// The site path of every file a render makes, in no particular order;
    /// nothing is rendered.
    pub fn paths(&self) -> Vec<String> {
        struct Nowhere;
        impl Sink for Nowhere {
            fn page(&self, _: &str, _: String) -> std::io::Result<()> {
                Ok(())
            }
            fn stream(&self, _: &str, _: &Produce) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Rendering::new(&Nowhere, Selection::Paths, Vec::new());
        self.ctx().all(&out, &mut crate::Timings::default());
        out.listed.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            chronicle: self.chronicle,
            templates: self.templates,
            shared: self.shared,
        }
    }
}

/// What every page is made from; shared, read-only.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    chronicle: &'a Chronicle,
    templates: &'a Templates,
    shared: &'a SharedViews,
}

/// Which files a render pass makes.
#[derive(Clone, Copy)]
pub enum Selection<'a> {
    /// Every file.
    All,
    /// Only the files at these site paths (`days/2022-01-26/index.html`).
    Only(&'a HashSet<String>),
    /// No file: the pass only lists the path of every file it would make.
    Paths,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teras_framed_reports_read_as_one_line() {
        let report = "error: Variable `site` is not defined. Available variables: url\n --> components.html:7:40\n  |\n7 | {% if site.feeds %}\n  |       ^^^^\n\nnote: called from index.html:34:88\n   |\n34 | {{ <x /> }}";
        assert_eq!(
            one_line(report),
            "error: Variable `site` is not defined. Available variables: url (at components.html:7:40, called from index.html:34:88)"
        );
        assert_eq!(one_line("plain"), "plain");
    }

    #[test]
    fn each_page_is_known_by_its_template() {
        for (path, template) in [
            ("index.html", Some("index.html")),
            ("404.html", Some("404.html")),
            ("days/index.html", Some("days.html")),
            ("days/2022-01-26/index.html", Some("day.html")),
            ("threads/talks/index.html", Some("thread.html")),
            ("threads/talks/page/2/index.html", Some("thread.html")),
            ("actors/index.html", Some("actors.html")),
            ("actors/lavrov/index.html", Some("actor.html")),
            ("topics/energy/page/3/index.html", Some("topic.html")),
            ("sources/index.html", Some("sources.html")),
            ("articles/ap-moscow/index.html", Some("article.html")),
            ("search/index.html", Some("search.html")),
            ("actors/lavrov/feed.xml", None),
            ("feed.json", None),
            ("chronicle.json", None),
            ("sitemap.xml", None),
        ] {
            assert_eq!(template_of(path), template, "{path}");
        }
    }
}

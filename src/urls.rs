//! The URL scheme: where each page of a site lives, and which page a site
//! path belongs to. Pages, feeds, search, the sitemap, `chronicle serve`'s
//! stale-page rules and the theme's navigation all ask this module, so that
//! an address is spelled in one place.
//!
//! Every page is a directory holding `index.html` (`days/2022-01-26/`), so
//! links need no file name; long lists continue at `page/2/`, `page/3/` ...
//! below their first page, and a page's feeds sit beside it. The editors'
//! standalone pages (`content/pages/about.md`) sit at the top of the site
//! (`about/`), under any name but those of the built-in sections
//! ([`is_reserved`]).

use serde::Serialize;

/// A page of the site. Item pages carry their key: a day's date
/// (`2022-01-26`) or an item's slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page<'a> {
    Home,
    Days,
    Day(&'a str),
    Threads,
    Thread(&'a str),
    Actors,
    Actor(&'a str),
    Topics,
    Topic(&'a str),
    Sources,
    Article(&'a str),
    Search,
    Corrections,
    /// An editors' standalone page, by its slug (`about`).
    Standalone(&'a str),
    NotFound,
}

/// The kind of a [`Page`], without its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Days,
    Day,
    Threads,
    Thread,
    Actors,
    Actor,
    Topics,
    Topic,
    Sources,
    Article,
    Search,
    Corrections,
    Standalone,
    NotFound,
}

/// The file of a page in its directory.
pub const INDEX_FILE: &str = "index.html";
/// The page shown for an address with no page.
pub const NOT_FOUND_FILE: &str = "404.html";
/// A page's Atom feed, beside it.
pub const ATOM_FEED: &str = "feed.xml";
/// A page's JSON feed, beside it.
pub const JSON_FEED: &str = "feed.json";

impl<'a> Page<'a> {
    /// The page's directory, relative to the site root and ending with `/`
    /// (`days/2022-01-26/`); empty for the home page and the 404 page.
    pub fn dir(&self) -> String {
        let directory = self.kind().directory();
        match self.key() {
            Some(key) => format!("{directory}{key}/"),
            None => directory.to_string(),
        }
    }

    /// The day or slug of an item page.
    fn key(&self) -> Option<&'a str> {
        match *self {
            Page::Day(key)
            | Page::Thread(key)
            | Page::Actor(key)
            | Page::Topic(key)
            | Page::Article(key)
            | Page::Standalone(key) => Some(key),
            _ => None,
        }
    }

    /// The file the page is written to (`days/2022-01-26/index.html`).
    pub fn file(&self) -> String {
        match self {
            Page::NotFound => NOT_FOUND_FILE.to_string(),
            page => index_file(&page.dir()),
        }
    }

    /// The page's kind.
    pub fn kind(&self) -> PageKind {
        match self {
            Page::Home => PageKind::Home,
            Page::Days => PageKind::Days,
            Page::Day(_) => PageKind::Day,
            Page::Threads => PageKind::Threads,
            Page::Thread(_) => PageKind::Thread,
            Page::Actors => PageKind::Actors,
            Page::Actor(_) => PageKind::Actor,
            Page::Topics => PageKind::Topics,
            Page::Topic(_) => PageKind::Topic,
            Page::Sources => PageKind::Sources,
            Page::Article(_) => PageKind::Article,
            Page::Search => PageKind::Search,
            Page::Corrections => PageKind::Corrections,
            Page::Standalone(_) => PageKind::Standalone,
            Page::NotFound => PageKind::NotFound,
        }
    }

    /// The index pages, each listing every page of one kind, and the home
    /// and search pages: the pages every change of content may touch.
    pub const INDEXES: [Page<'static>; 8] = [
        Page::Home,
        Page::Days,
        Page::Threads,
        Page::Actors,
        Page::Topics,
        Page::Sources,
        Page::Search,
        Page::Corrections,
    ];
}

/// The file of the page whose directory is `dir`.
pub fn index_file(dir: &str) -> String {
    format!("{dir}{INDEX_FILE}")
}

/// Where page `{n}` of a list is below its first page's directory (from
/// page 2 on).
pub const LATER_PAGE: &str = "page/{n}/";

/// Page `n` (from 1) of a list whose first page is at `dir`.
pub fn paginated(dir: &str, n: usize) -> String {
    if n <= 1 {
        dir.to_string()
    } else {
        format!("{dir}{}", LATER_PAGE.replace("{n}", &n.to_string()))
    }
}

/// Which page (from 1) holds the item at `position` (from 0) of a list
/// shown `per_page` a page; every item is on page 1 with 0.
pub fn page_of(position: usize, per_page: usize) -> usize {
    position
        .checked_div(per_page)
        .map_or(1, |before| before + 1)
}

impl PageKind {
    /// The template pages of this kind are rendered with.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Home => "index.html",
            PageKind::Days => "days.html",
            PageKind::Day => "day.html",
            PageKind::Threads => "threads.html",
            PageKind::Thread => "thread.html",
            PageKind::Actors => "actors.html",
            PageKind::Actor => "actor.html",
            PageKind::Topics => "topics.html",
            PageKind::Topic => "topic.html",
            PageKind::Sources => "sources.html",
            PageKind::Article => "article.html",
            PageKind::Search => "search.html",
            PageKind::Corrections => "corrections.html",
            PageKind::Standalone => "page.html",
            PageKind::NotFound => "404.html",
        }
    }

    /// The directory below which every page of this kind lives
    /// (`articles/`); empty for the home and 404 pages, which are files at
    /// the top, and for standalone pages, each a directory at the top.
    pub fn directory(self) -> &'static str {
        match self {
            PageKind::Home | PageKind::NotFound | PageKind::Standalone => "",
            PageKind::Days | PageKind::Day => "days/",
            PageKind::Threads | PageKind::Thread => "threads/",
            PageKind::Actors | PageKind::Actor => "actors/",
            PageKind::Topics | PageKind::Topic => "topics/",
            PageKind::Sources => "sources/",
            PageKind::Article => "articles/",
            PageKind::Search => "search/",
            PageKind::Corrections => "corrections/",
        }
    }

    /// The section of the site the page is in, for the theme's navigation
    /// (`page.section`): its directory's name; `home` for the home page,
    /// `pages` for a standalone page.
    pub fn section(self) -> &'static str {
        match self {
            PageKind::Standalone => "pages",
            PageKind::Home | PageKind::NotFound => "home",
            PageKind::Days | PageKind::Day => "days",
            PageKind::Threads | PageKind::Thread => "threads",
            PageKind::Actors | PageKind::Actor => "actors",
            PageKind::Topics | PageKind::Topic => "topics",
            PageKind::Sources | PageKind::Article => "sources",
            PageKind::Search => "search",
            PageKind::Corrections => "corrections",
        }
    }

    /// The kind of page the site file at `path` is (any page of a
    /// paginated list counts); `None` for files that are no page: feeds,
    /// data, the sitemap, static files.
    pub fn of_path(path: &str) -> Option<PageKind> {
        if path == INDEX_FILE {
            return Some(PageKind::Home);
        }
        if path == NOT_FOUND_FILE {
            return Some(PageKind::NotFound);
        }
        let dir = path.strip_suffix(INDEX_FILE)?;
        let found = PageKind::ALL.into_iter().find(|kind| {
            let Some(key) = dir.strip_prefix(kind.directory()) else {
                return false;
            };
            match kind {
                PageKind::Standalone => false,
                kind if kind.is_index() => key.is_empty(),
                _ => !key.is_empty(),
            }
        });
        // A standalone page is one directory at the top, under a name no
        // section has.
        found.or_else(|| {
            let slug = dir.strip_suffix('/')?;
            (!slug.is_empty() && !slug.contains('/') && !is_reserved(slug))
                .then_some(PageKind::Standalone)
        })
    }

    /// Every kind of page.
    pub const ALL: [PageKind; 15] = [
        PageKind::Home,
        PageKind::Days,
        PageKind::Day,
        PageKind::Threads,
        PageKind::Thread,
        PageKind::Actors,
        PageKind::Actor,
        PageKind::Topics,
        PageKind::Topic,
        PageKind::Sources,
        PageKind::Article,
        PageKind::Search,
        PageKind::Corrections,
        PageKind::Standalone,
        PageKind::NotFound,
    ];

    /// Whether a page of this kind lists the pages of another (or is the
    /// home, search or 404 page): one page, with no key.
    pub fn is_index(self) -> bool {
        !matches!(
            self,
            PageKind::Day
                | PageKind::Thread
                | PageKind::Actor
                | PageKind::Topic
                | PageKind::Article
                | PageKind::Standalone
        )
    }
}

/// Whether `slug` names a section of the site (`days`, `articles`, ...),
/// which no standalone page may take.
pub fn is_reserved(slug: &str) -> bool {
    reserved_slugs().any(|name| name == slug)
}

/// The names of the site's sections, which standalone pages may not take:
/// the top directory of every kind of page.
pub fn reserved_slugs() -> impl Iterator<Item = &'static str> {
    let mut names: Vec<&'static str> = PageKind::ALL
        .into_iter()
        .filter_map(|kind| kind.directory().strip_suffix('/'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter()
}

/// The part of a site path that names its page, for deciding what a
/// change makes stale: the whole path for a file at the top or in an
/// index's directory (`days/index.html`), the item's directory for a file
/// at or below an item page (`threads/talks/` for its feed and its later
/// pages), and [`TOP_LEVEL`] for a file at the top of the site.
pub fn section_of(path: &str) -> &str {
    let mut slashes = path.match_indices('/').map(|(i, _)| i);
    match (slashes.next(), slashes.next()) {
        (None, _) => TOP_LEVEL,
        (Some(_), None) => path,
        (Some(_), Some(second)) => &path[..=second],
    }
}

/// The [`section_of`] every file at the top of the site (feeds, exports,
/// the search index, the sitemap).
pub const TOP_LEVEL: &str = "";

/// Site paths made into links: a site path with the site's base path in
/// front (`/chronicle/days/2022-01-26/`).
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
}

impl Urls {
    /// Links below `base_path` (starting and ending with `/`).
    pub fn new(base_path: &str) -> Self {
        Urls {
            base_path: base_path.to_string(),
        }
    }

    /// A site path (`days/2022-01-26/`) as a link target.
    pub fn path(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// A page's link.
    pub fn page(&self, page: Page) -> String {
        self.path(&page.dir())
    }

    /// A day's link.
    pub fn day(&self, date: chrono::NaiveDate) -> String {
        self.page(Page::Day(&date.to_string()))
    }

    /// The link of page `page` (from 1) of a day's page.
    pub fn day_page(&self, date: chrono::NaiveDate, page: usize) -> String {
        self.path(&paginated(&Page::Day(&date.to_string()).dir(), page))
    }

    /// A thread's link.
    pub fn thread(&self, slug: &str) -> String {
        self.page(Page::Thread(slug))
    }

    /// An actor's link.
    pub fn actor(&self, slug: &str) -> String {
        self.page(Page::Actor(slug))
    }

    /// A topic's link.
    pub fn topic(&self, slug: &str) -> String {
        self.page(Page::Topic(slug))
    }

    /// An article's link.
    pub fn article(&self, slug: &str) -> String {
        self.page(Page::Article(slug))
    }

    /// A standalone page's link.
    pub fn standalone(&self, slug: &str) -> String {
        self.page(Page::Standalone(slug))
    }

    /// The links of the indexes, for the theme's navigation.
    pub fn navigation(&self) -> Navigation {
        Navigation {
            home: self.page(Page::Home),
            days: self.page(Page::Days),
            threads: self.page(Page::Threads),
            actors: self.page(Page::Actors),
            topics: self.page(Page::Topics),
            sources: self.page(Page::Sources),
            search: self.page(Page::Search),
            corrections: self.page(Page::Corrections),
            atom_feed: self.path(ATOM_FEED),
            json_feed: self.path(JSON_FEED),
        }
    }
}

/// The links every page's navigation may need (`site.urls` in templates).
#[derive(Debug, Clone, Serialize)]
pub struct Navigation {
    pub home: String,
    pub days: String,
    pub threads: String,
    pub actors: String,
    pub topics: String,
    pub sources: String,
    pub search: String,
    /// The corrections page.
    pub corrections: String,
    /// The site's feeds.
    pub atom_feed: String,
    pub json_feed: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_found_again_from_its_file() {
        let pages = [
            Page::Home,
            Page::Days,
            Page::Day("2022-01-26"),
            Page::Threads,
            Page::Thread("talks"),
            Page::Actors,
            Page::Actor("lavrov"),
            Page::Topics,
            Page::Topic("diplomacy"),
            Page::Sources,
            Page::Article("wire-moscow"),
            Page::Search,
            Page::Standalone("about"),
            Page::NotFound,
        ];
        for page in pages {
            assert_eq!(
                PageKind::of_path(&page.file()),
                Some(page.kind()),
                "{page:?}"
            );
        }
        assert_eq!(Page::Day("2022-01-26").file(), "days/2022-01-26/index.html");
        assert_eq!(Page::Sources.dir(), "sources/");
        assert_eq!(Page::Home.file(), "index.html");
        assert_eq!(Page::Standalone("about").file(), "about/index.html");
        let later = index_file(&paginated(&Page::Thread("talks").dir(), 2));
        assert_eq!(later, "threads/talks/page/2/index.html");
        assert_eq!(PageKind::of_path(&later), Some(PageKind::Thread));
        for not_a_page in [
            "feed.xml",
            "actors/lavrov/feed.xml",
            "sitemap.xml",
            "style.css",
            "articles/index.html",
            "x/y/index.html",
            "about/feed.xml",
        ] {
            assert_eq!(PageKind::of_path(not_a_page), None, "{not_a_page}");
        }
    }

    #[test]
    fn standalone_pages_take_no_sections_name() {
        let reserved: Vec<&str> = reserved_slugs().collect();
        assert_eq!(
            reserved,
            [
                "actors",
                "articles",
                "corrections",
                "days",
                "search",
                "sources",
                "threads",
                "topics"
            ]
        );
        assert!(is_reserved("days") && !is_reserved("about"));
        assert_eq!(PageKind::of_path("days/index.html"), Some(PageKind::Days));
        assert_eq!(
            PageKind::of_path("methodology/index.html"),
            Some(PageKind::Standalone)
        );
        assert_eq!(PageKind::Standalone.template(), "page.html");
    }

    #[test]
    fn sections_group_an_item_pages_files() {
        assert_eq!(section_of("threads/talks/index.html"), "threads/talks/");
        assert_eq!(
            section_of("threads/talks/page/2/index.html"),
            "threads/talks/"
        );
        assert_eq!(section_of("actors/lavrov/feed.xml"), "actors/lavrov/");
        assert_eq!(section_of("days/index.html"), "days/index.html");
        assert_eq!(section_of("search/index.html"), "search/index.html");
        assert_eq!(section_of("days/2022-01-26/index.html"), "days/2022-01-26/");
        for top in ["feed.xml", "index.html", "sitemap-2.xml"] {
            assert_eq!(section_of(top), TOP_LEVEL);
        }
    }

    #[test]
    fn links_carry_the_base_path() {
        let urls = Urls::new("/chronicle/");
        assert_eq!(
            urls.page(Page::Actor("lavrov")),
            "/chronicle/actors/lavrov/"
        );
        assert_eq!(urls.page(Page::Home), "/chronicle/");
        assert_eq!(urls.navigation().sources, "/chronicle/sources/");
    }
}

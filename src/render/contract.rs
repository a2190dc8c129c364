//! The theme's contract: the shapes of what page templates see, besides
//! the entry, link and site views of [`super::views`]. Every page's context
//! is a [`PageContext`]: `site`, `page`, and the page's own fields (listed
//! per template in docs/reference.md, "Template variables"). Renaming or
//! removing a field here breaks themes; adding one does not.

use serde::Serialize;

use super::views::{Link, SiteView};

/// Metadata of the page being rendered (`page` in templates).
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    /// The page's path from the site root, `days/2022-01-26/`.
    pub path: String,
    /// Link to this page.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Which index the page belongs to: home, days, threads, actors, topics, sources.
    pub section: &'static str,
    /// schema.org JSON-LD for the head, ready to print (see [`jsonld`]); null on
    /// pages without it.
    pub jsonld: Option<String>,
    /// The page's own description, plain text of at most 160 characters,
    /// made from what it shows (see [`super::describe`]); the site's
    /// description on a page with nothing of its own.
    pub description: String,
    /// When the page's content last changed, RFC 3339 in the site's zone;
    /// null on a page with no dated content.
    pub updated: Option<String>,
    /// `updated` as the site writes dates ("15 February 2022").
    pub updated_label: Option<String>,
}

/// Everything a page's template sees: `site`, `page`, and the page's own data.
#[derive(Serialize)]
pub struct PageContext<'a, T: Serialize> {
    pub site: &'a SiteView,
    pub page: PageMeta,
    #[serde(flatten)]
    pub data: T,
}

/// A day with its entries grouped by thread.
#[derive(Serialize)]
pub struct DayView<'a> {
    pub date: String,
    pub label: String,
    pub url: String,
    pub entry_count: usize,
    /// In time order, all-day entries first.
    pub entries: Vec<&'a tera::Value>,
    pub groups: Vec<Group<'a>>,
    /// Entries not in `entries` (on the home page, which shows a few a day).
    pub more: usize,
}

/// Entries of one thread on one day; `thread` is `None` for entries in none.
#[derive(Serialize)]
pub struct Group<'a> {
    pub thread: Option<&'a Link>,
    pub entries: Vec<&'a tera::Value>,
}

#[derive(Serialize)]
pub struct ThreadSummary<'a> {
    pub link: &'a Link,
    pub id: &'a str,
    pub summary_html: String,
    pub topics: Vec<&'a Link>,
    pub count: usize,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// Where a page is among the pages of a paginated list (`pagination`).
#[derive(Serialize, Clone)]
pub struct Pagination {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages there are.
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The pages to link to: the first, the last, and those up to
    /// [`PAGER_REACH`] either side of this one; empty when there is one page.
    pub pages: Vec<PageLink>,
}

impl Pagination {
    /// `whole` on the first page, `empty` on later ones: what describes the
    /// list as a whole (its chart, its sidebar) is shown once, where it
    /// starts, not repeated on every page of its entries.
    pub fn first_page_only<'a, T: ?Sized>(&self, whole: &'a T, empty: &'a T) -> &'a T {
        if self.current == 1 {
            whole
        } else {
            empty
        }
    }
}

#[derive(Serialize, Clone)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    /// Whether pages are left out between the previous link and this one.
    pub gap: bool,
}

/// Entries of one day on a thread, actor or topic page.
#[derive(Serialize)]
pub struct DaySection<'a> {
    #[serde(skip)]
    pub day: chrono::NaiveDate,
    pub date: String,
    pub label: String,
    pub url: String,
    pub entries: Vec<&'a tera::Value>,
}

//! `sitemap.xml` (the sitemaps protocol, sitemaps.org 0.9) listing every
//! page of the build, and `robots.txt` naming it.
//!
//! A sitemap holds at most [`MAX_URLS`] URLs; a larger site gets
//! `sitemap-1.xml`, `sitemap-2.xml`, ... and a sitemap index at
//! `sitemap.xml` pointing at them. Sitemaps need absolute URLs: with a
//! `base_url` that is only a path, no sitemap is written and robots.txt
//! does not name one.

use std::collections::HashMap;

use super::views::SharedViews;

use super::{html, Ctx, Rendering};
use crate::resolve::{ArticleIx, Chronicle, EntryIx};
use crate::urls::PageKind;

/// The most URLs one sitemap file may hold.
pub const MAX_URLS: usize = 50_000;

const XMLNS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Writes the sitemap (or sitemaps and their index) and robots.txt. Call
/// after every page has gone through `out`.
pub(super) fn render(ctx: &Ctx, out: &Rendering) {
    let base_url = &ctx.shared.site.base_url;
    let absolute = !base_url.starts_with('/');
    if absolute {
        let paths = out.paths.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let urls = page_urls(&paths, base_url);
        let names = sitemap_names(urls.len());
        if names.iter().fold(false, |any, name| out.wants(name) | any) {
            let lastmod = Lastmod::new(ctx.chronicle, ctx.shared);
            let dated = |url: &str| lastmod.of(url.strip_prefix(base_url.as_str()).unwrap_or(url));
            for (path, xml) in sitemap_files(&urls, dated, base_url) {
                if out.wants(&path) {
                    out.finish(&path, Ok(xml));
                }
            }
        }
    }
    if out.wants("robots.txt") {
        out.finish("robots.txt", Ok(robots_txt(base_url, absolute)));
    }
}

/// The URLs of the pages among `paths` (site paths of written files): each
/// `index.html` as its directory's URL, sorted, each once.
pub fn page_urls(paths: &[String], base_url: &str) -> Vec<String> {
    let mut urls: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            if p == "index.html" {
                Some("")
            } else {
                p.strip_suffix("/index.html")
            }
        })
        .map(|dir| {
            if dir.is_empty() {
                base_url.to_string()
            } else {
                format!("{base_url}{dir}/")
            }
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// The names of the files [`sitemap_files`] makes for `count` URLs.
fn sitemap_names(count: usize) -> Vec<String> {
    if count <= MAX_URLS {
        return vec!["sitemap.xml".to_string()];
    }
    let mut names: Vec<String> = (1..=count.div_ceil(MAX_URLS))
        .map(|i| format!("sitemap-{i}.xml"))
        .collect();
    names.push("sitemap.xml".to_string());
    names
}

/// The sitemap files for `urls`: `sitemap.xml` alone when they fit in one;
/// else `sitemap-N.xml` of at most [`MAX_URLS`] each, then `sitemap.xml`,
/// the index of them.
pub fn sitemap_files(
    urls: &[String],
    lastmod: impl Fn(&str) -> Option<String>,
    base_url: &str,
) -> Vec<(String, String)> {
    if urls.len() <= MAX_URLS {
        return vec![("sitemap.xml".to_string(), urlset(urls, &lastmod))];
    }
    let mut files: Vec<(String, String)> = urls
        .chunks(MAX_URLS)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), urlset(chunk, &lastmod)))
        .collect();
    let mut index =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{XMLNS}\">\n");
    for (name, _) in &files {
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            html::escape(&format!("{base_url}{name}"))
        ));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".to_string(), index));
    files
}

fn urlset(urls: &[String], lastmod: &impl Fn(&str) -> Option<String>) -> String {
    let mut xml =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{XMLNS}\">\n");
    for url in urls {
        xml.push_str("<url><loc>");
        xml.push_str(&html::escape(url));
        xml.push_str("</loc>");
        if let Some(date) = lastmod(url) {
            xml.push_str("<lastmod>");
            xml.push_str(&date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// When each page last changed, from the content alone (never the build's
/// clock; see `Chronicle::entry_changed`): a page changes when the newest
/// of the entries it shows does; an article's page also when it is
/// published. Index pages (and the pages of a long list past its first)
/// count every entry they list.
struct Lastmod<'a> {
    chronicle: &'a Chronicle,
    shared: &'a SharedViews,
    by_slug: HashMap<(PageKind, &'a str), &'a [EntryIx]>,
}

impl<'a> Lastmod<'a> {
    fn new(c: &'a Chronicle, shared: &'a SharedViews) -> Self {
        let mut by_slug: HashMap<(PageKind, &str), &[EntryIx]> = HashMap::new();
        for t in &c.threads {
            by_slug.insert((PageKind::Thread, t.slug.as_str()), &t.entries);
        }
        for a in &c.actors {
            by_slug.insert((PageKind::Actor, a.slug.as_str()), &a.entries);
        }
        for t in &c.topics {
            by_slug.insert((PageKind::Topic, t.slug.as_str()), &t.entries);
        }
        Lastmod {
            chronicle: c,
            shared,
            by_slug,
        }
    }

    /// The last change of the page at `dir` (`days/2022-01-26/`), W3C
    /// datetime; `None` for a page with no dated content.
    fn of(&self, dir: &str) -> Option<String> {
        let c = self.chronicle;
        let kind = PageKind::of_path(&crate::urls::index_file(dir))?;
        let key = dir
            .strip_prefix(kind.directory())
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("");
        let time = match kind {
            PageKind::Day => {
                let date: chrono::NaiveDate = key.parse().ok()?;
                let day = c.days.binary_search_by_key(&date, |d| d.date).ok()?;
                self.shared.changed(&c.days[day].entries)
            }
            PageKind::Thread | PageKind::Actor | PageKind::Topic => {
                self.shared.changed(self.by_slug.get(&(kind, key))?)
            }
            PageKind::Article => {
                let a = c.articles.iter().position(|a| a.slug == key)?;
                self.shared.article_changed(c, ArticleIx::new(a))
            }
            PageKind::NotFound => None,
            _ => self.shared.newest_change,
        }?;
        Some(
            time.with_timezone(&c.config.timezone)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
    }
}

/// robots.txt: every crawler may fetch everything; names the sitemap when
/// its URL can be absolute.
pub fn robots_txt(base_url: &str, absolute: bool) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if absolute {
        text.push_str(&format!("\nSitemap: {base_url}sitemap.xml\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.org/c/";

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>")
            .skip(1)
            .map(|s| &s[..s.find("</loc>").unwrap()])
            .collect()
    }

    #[test]
    fn pages_are_their_directories_sorted_once() {
        let paths: Vec<String> = [
            "days/2022-01-26/index.html",
            "index.html",
            "404.html",
            "feed.xml",
            "actors/index.html",
            "days/2022-01-26/index.html",
            "style.css",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            page_urls(&paths, BASE),
            [
                "https://example.org/c/",
                "https://example.org/c/actors/",
                "https://example.org/c/days/2022-01-26/",
            ]
        );
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let urls = vec![format!("{BASE}a/"), format!("{BASE}q?a=1&b=2/")];
        let files = sitemap_files(&urls, |_| None, BASE);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<urlset"));
        assert_eq!(
            locs(&files[0].1),
            [
                "https://example.org/c/a/",
                "https://example.org/c/q?a=1&amp;b=2/"
            ]
        );
    }

    #[test]
    fn more_than_50000_urls_are_split_under_an_index() {
        let urls: Vec<String> = (0..120_001).map(|i| format!("{BASE}p/{i}/")).collect();
        let files = sitemap_files(&urls, |_| None, BASE);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let counts: Vec<usize> = files[..3].iter().map(|(_, x)| locs(x).len()).collect();
        assert_eq!(counts, [50_000, 50_000, 20_001]);
        // Every URL once, in order, across the parts.
        let all: Vec<&str> = files[..3].iter().flat_map(|(_, x)| locs(x)).collect();
        assert_eq!(all.len(), urls.len());
        assert!(all.iter().zip(&urls).all(|(a, b)| a == b));
        let index = &files[3].1;
        assert!(index.contains("<sitemapindex"));
        assert_eq!(
            locs(index),
            [
                "https://example.org/c/sitemap-1.xml",
                "https://example.org/c/sitemap-2.xml",
                "https://example.org/c/sitemap-3.xml",
            ]
        );
        // Exactly at the limit: still one file.
        assert_eq!(sitemap_files(&urls[..MAX_URLS], |_| None, BASE).len(), 1);
        assert_eq!(
            sitemap_files(&urls[..MAX_URLS + 1], |_| None, BASE).len(),
            3
        );
    }

    #[test]
    fn robots_txt_names_the_sitemap_only_when_absolute() {
        assert_eq!(
            robots_txt(BASE, true),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/c/sitemap.xml\n"
        );
        assert!(!robots_txt("/c/", false).contains("Sitemap"));
    }
}

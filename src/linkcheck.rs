//! Checks that every internal link of a built site resolves: to a file, and
//! for `#fragment` links to an element with that id on the target page.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding the link, relative to the output directory.
    pub page: PathBuf,
    pub href: String,
    pub why: &'static str,
}

/// Values of `attribute="..."` in `html`, with `&amp;` decoded.
pub fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    let mut out = Vec::new();
    let mut rest: &'a str = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// What the link check needs of a page: the ids it has and the links it
/// makes. Much smaller than the page, so `chronicle check` keeps this, not
/// the pages, while it renders.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageLinks {
    pub ids: HashSet<String>,
    /// Each distinct `href` and `src` value, in order of first use.
    pub links: Vec<String>,
}

impl PageLinks {
    /// Reads a page's ids and links.
    pub fn of(html: &str) -> PageLinks {
        let mut seen = HashSet::new();
        let links = attribute_values(html, "href")
            .into_iter()
            .chain(attribute_values(html, "src"))
            .filter(|link| seen.insert(link.clone()))
            .collect();
        PageLinks {
            ids: attribute_values(html, "id").into_iter().collect(),
            links,
        }
    }
}

/// The file a relative link `target` on the page at site path `page`
/// leads to (`../sources/` from `about/index.html`: `sources/index.html`);
/// `None` when it climbs above the site's root.
fn relative_target(page: &str, target: &str) -> Option<String> {
    let target = target.split('?').next().unwrap_or_default();
    let mut parts: Vec<&str> = match page.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    let segments: Vec<&str> = target.split('/').collect();
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    let is_dir = matches!(segments.last(), Some(&("" | "." | "..")));
    let mut path = parts.join("/");
    if is_dir {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Links to other sites, which are not checked.
fn is_external(target: &str) -> bool {
    target.starts_with("//")
        || target.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Checks every `href` and `src` in the HTML files under `output` against
/// the files there. External links are not followed.
pub fn check(output: &Path, base_path: &str) -> Vec<BrokenLink> {
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    for item in walkdir::WalkDir::new(output)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !item.file_type().is_file() {
            continue;
        }
        let rel = item
            .path()
            .strip_prefix(output)
            .unwrap_or(item.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".html") {
            if let Ok(text) = std::fs::read_to_string(item.path()) {
                pages.insert(rel.clone(), text);
            }
        }
        files.insert(rel);
    }
    check_pages(&pages, &files, base_path)
}

/// Checks the links of `pages` (site path → HTML) against `files`, every
/// path the site has (pages included). Pure: nothing is read from disk.
pub fn check_pages(
    pages: &BTreeMap<String, String>,
    files: &BTreeSet<String>,
    base_path: &str,
) -> Vec<BrokenLink> {
    let links: BTreeMap<String, PageLinks> = pages
        .iter()
        .map(|(path, html)| (path.clone(), PageLinks::of(html)))
        .collect();
    check_links(&links, files, base_path)
}

/// Checks the links of `pages` (site path → its ids and links) against
/// `files`, every path the site has (pages included). A broken link is
/// reported once per page that makes it. Pure.
pub fn check_links(
    pages: &BTreeMap<String, PageLinks>,
    files: &BTreeSet<String>,
    base_path: &str,
) -> Vec<BrokenLink> {
    let mut broken = Vec::new();
    for (page, page_links) in pages {
        for href in &page_links.links {
            let href = href.clone();
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            let target_page = if target.is_empty() {
                page.clone()
            } else if let Some(rel) = target.strip_prefix(base_path) {
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                }
            } else if is_external(&target) {
                continue;
            } else if !target.starts_with('/') {
                // Relative, as editors write links in Markdown (`../sources/`).
                match relative_target(page, &target) {
                    Some(path) => path,
                    None => {
                        broken.push(BrokenLink {
                            page: page.into(),
                            href,
                            why: "leads out of the site",
                        });
                        continue;
                    }
                }
            } else {
                broken.push(BrokenLink {
                    page: page.into(),
                    href,
                    why: "not under the site's base path",
                });
                continue;
            };
            if !files.contains(&target_page) && !pages.contains_key(&target_page) {
                broken.push(BrokenLink {
                    page: page.into(),
                    href,
                    why: "no such file",
                });
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                if !pages
                    .get(target_page.as_str())
                    .is_some_and(|p| p.ids.contains(&fragment))
                {
                    broken.push(BrokenLink {
                        page: page.into(),
                        href,
                        why: "no element with that id",
                    });
                }
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_pages_missing_anchors_and_links_off_the_base_path() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("days/d1")).unwrap();
        std::fs::write(out.join("days/d1/index.html"), "<h1 id=\"top\">x</h1>").unwrap();
        std::fs::write(
            out.join("index.html"),
            concat!(
                "<a href=\"/site/days/d1/#top\">ok</a>",
                "<a href=\"/site/days/d1/\">ok</a>",
                "<a href=\"https://example.org/\">external</a>",
                "<a href=\"#here\">own</a><p id=\"here\"></p>",
                "<a href=\"/site/days/d2/\">missing page</a>",
                "<a href=\"/site/days/d1/#nope\">missing anchor</a>",
                "<a href=\"&#x2F;site&#x2F;days&#x2F;\">mangled</a>",
                "<a href=\"/site/days/d2/\">the same missing page again</a>",
            ),
        )
        .unwrap();
        let broken = check(out, "/site/");
        let hrefs: Vec<(&str, &str)> = broken.iter().map(|b| (b.href.as_str(), b.why)).collect();
        assert_eq!(
            hrefs,
            vec![
                ("/site/days/d2/", "no such file"),
                ("/site/days/d1/#nope", "no element with that id"),
                ("&#x2F;site&#x2F;days&#x2F;", "no such file"),
            ]
        );
    }

    #[test]
    fn relative_links_are_followed_from_their_page() {
        assert_eq!(
            relative_target("about/index.html", "../sources/").as_deref(),
            Some("sources/index.html")
        );
        assert_eq!(
            relative_target("about/index.html", "../").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            relative_target("index.html", "days/2022-01-26/").as_deref(),
            Some("days/2022-01-26/index.html")
        );
        assert_eq!(
            relative_target("about/index.html", "../style.css?v=2").as_deref(),
            Some("style.css")
        );
        assert_eq!(relative_target("about/index.html", "../../x/"), None);
    }
}

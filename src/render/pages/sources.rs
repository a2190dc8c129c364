//! The sources index (outlets and their articles) and a page per article.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::Head;
use crate::render::{article_marks, describe, html, jsonld, Ctx, Rendering};
use crate::resolve::ArticleIx;
use crate::urls::{Page, PageKind};

impl<'a> Ctx<'a> {
    pub(in crate::render) fn sources(&self, out: &Rendering) {
        let c = self.chronicle;
        #[derive(Serialize)]
        struct ArticleItem {
            title: String,
            url: String,
            date_label: String,
            date: String,
            entry_count: usize,
        }
        #[derive(Serialize)]
        struct Outlet {
            name: String,
            articles: Vec<ArticleItem>,
        }
        let mut outlets: BTreeMap<String, Vec<(Option<chrono::NaiveDate>, ArticleItem)>> =
            BTreeMap::new();
        let wanted = out.wants(&Page::Sources.file());
        for article in c.articles.iter().filter(|_| wanted) {
            let name = if article.outlet.is_empty() {
                self.shared.words.unknown_outlet.clone()
            } else {
                article.outlet.clone()
            };
            outlets.entry(name).or_default().push((
                article.published.map(|p| p.date),
                ArticleItem {
                    title: article.title.clone(),
                    url: self.shared.urls.article(&article.slug),
                    date_label: article
                        .published
                        .map(|p| self.shared.words.short_date_label(p.date))
                        .unwrap_or_default(),
                    date: article
                        .published
                        .map(|p| p.date.to_string())
                        .unwrap_or_default(),
                    entry_count: article.entries.len(),
                },
            ));
        }
        let outlets: Vec<Outlet> = outlets
            .into_iter()
            .map(|(name, mut items)| {
                items.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.title.cmp(&b.1.title)));
                Outlet {
                    name,
                    articles: items.into_iter().map(|(_, item)| item).collect(),
                }
            })
            .collect();
        #[derive(Serialize)]
        struct Sources {
            outlets: Vec<Outlet>,
        }
        if wanted {
            let mut names: Vec<&str> = c.articles.iter().map(|a| a.outlet.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let head = Head {
                description: describe::list(names, ", "),
                updated: self.shared.newest_change,
                ..Head::titled(self.shared.words.sources.clone())
            };
            let result = self.render(
                PageKind::Sources,
                head,
                &Page::Sources.dir(),
                &Sources { outlets },
            );
            out.finish(&Page::Sources.file(), result);
        }

        #[derive(Serialize)]
        struct ArticleView<'a> {
            title: &'a str,
            outlet: &'a str,
            original_url: Option<&'a str>,
            author: Option<&'a str>,
            language: Option<&'a str>,
            /// Provenance: when collected (RFC 3339 or a date, and in
            /// words), a preserved copy, and the hash of the page.
            retrieved: Option<String>,
            retrieved_label: Option<String>,
            archive_url: Option<&'a str>,
            sha256: Option<&'a str>,
            published_label: String,
            published: String,
            path: String,
            format: &'static str,
            /// The text is the editors' digest of the outlet's report.
            digest: bool,
            body_html: String,
        }
        /// An entry the article reports, with its passages in this article.
        #[derive(Serialize)]
        struct ArticleEntry {
            entry: tera::Value,
            passages: Vec<String>,
        }
        #[derive(Serialize)]
        struct ArticlePage<'a> {
            article: ArticleView<'a>,
            entries: Vec<ArticleEntry>,
        }
        c.articles.par_iter().enumerate().for_each(|(a, article)| {
            let a = ArticleIx::new(a);
            let path = Page::Article(&article.slug).dir();
            if !out.wants(&crate::urls::index_file(&path)) {
                return;
            }
            let body = match article.body(&c.root, c.config.raw_html) {
                Ok(body) => body,
                Err(d) => return out.finish(&crate::urls::index_file(&path), Err(d)),
            };
            let marks = article_marks(article, c, self.shared);
            let entries = article
                .entries
                .iter()
                .map(|&e| ArticleEntry {
                    entry: self.shared.item_value(c, e),
                    passages: c.entries[e]
                        .sources
                        .iter()
                        .filter(|s| s.article == a)
                        .flat_map(|s| s.passages.iter().map(|p| format!("#{p}")))
                        .collect(),
                })
                .collect();
            let data = ArticlePage {
                article: ArticleView {
                    title: &article.title,
                    outlet: &article.outlet,
                    original_url: article.url.as_deref(),
                    author: article.author.as_deref(),
                    language: article.language.as_deref(),
                    retrieved: article.retrieved.map(|r| r.rfc3339_or_date()),
                    retrieved_label: article
                        .retrieved
                        .map(|r| self.shared.words.short_date_label(r.date)),
                    archive_url: article.archive.as_deref(),
                    sha256: article.sha256.as_deref(),
                    published_label: article
                        .published
                        .map(|p| self.shared.words.date_label(p.date))
                        .unwrap_or_default(),
                    published: article
                        .published
                        .map(|p| p.rfc3339_or_date())
                        .unwrap_or_default(),
                    path: article.path.to_string_lossy().replace('\\', "/"),
                    format: match article.format {
                        crate::load::Format::Markdown => "markdown",
                        crate::load::Format::PlainText => "text",
                    },
                    digest: article.digest,
                    body_html: html::render_body(&body, &marks),
                },
                entries,
            };
            let head = Head {
                description: describe::article(article, &describe::headlines(c, &article.entries)),
                jsonld: self.structured_data(|| jsonld::article(self, a)),
                updated: self.shared.article_changed(c, a),
                ..Head::titled(article.title.clone())
            };
            let result = self.render(PageKind::Article, head, &path, &data);
            out.finish(&crate::urls::index_file(&path), result);
        });
    }
}

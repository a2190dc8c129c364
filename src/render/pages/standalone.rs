//! The editors' standalone pages (`content/pages/about.md` → `/about/`),
//! rendered with the theme's `page.html`.

use serde::Serialize;

use super::Head;
use crate::diagnostics::{Code, Diagnostic};
use crate::render::{describe, html, Ctx, Rendering};
use crate::urls::{Page, PageKind};

/// What `page.html` sees besides `site` and `page`.
#[derive(Serialize)]
struct StandaloneView<'a> {
    /// The page's text as HTML.
    body_html: String,
    /// The front matter's `description`, or null.
    description: Option<&'a str>,
    /// The page's Markdown file below the site (`content/pages/about.md`).
    file: String,
}

impl Ctx<'_> {
    pub(in crate::render) fn standalone_pages(&self, out: &Rendering) {
        let c = self.chronicle;
        let template = PageKind::Standalone.template();
        let has_template = self.templates.tera.contains_template(template);
        for page in &c.pages {
            let dir = Page::Standalone(&page.slug).dir();
            let file = crate::urls::index_file(&dir);
            if !out.wants(&file) {
                continue;
            }
            let shown = page.path.to_string_lossy().replace('\\', "/");
            if !has_template {
                out.finish(
                    &file,
                    Err(Box::new(
                        Diagnostic::error(
                            Code::MissingTemplate,
                            format!(
                                "theme `{}` has no {template}, which the page {shown} needs",
                                c.config.theme
                            ),
                        )
                        .in_file(&page.path)
                        .with_hint(
                            "add page.html to the theme or to the site's templates/ \
                             (`chronicle init` in an empty directory writes the default theme's), \
                             or remove the page",
                        ),
                    )),
                );
                continue;
            }
            let data = StandaloneView {
                body_html: html::markdown(&page.body, c.config.raw_html),
                description: page.description.as_deref(),
                file: shown,
            };
            let head = Head {
                description: describe::first_of([
                    page.description.clone().unwrap_or_default(),
                    describe::plain_text(&page.body),
                ]),
                ..Head::titled(page.title.clone())
            };
            let result = self.render(PageKind::Standalone, head, &dir, &data);
            out.finish(&file, result);
        }
    }
}

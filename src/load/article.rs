//! An article's text: front matter split off, the body turned into
//! [`ArticleBody`], the form evidence is matched against and marked in.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// An article's body as HTML markup interleaved with ranges of its plain
/// text. Evidence is matched in `plain`; rendering escapes each text range,
/// wrapping marked passages, and copies the markup between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleBody {
    /// The reader-visible text, blocks separated by newlines.
    pub plain: String,
    pub chunks: Vec<Chunk>,
}

/// A piece of an [`ArticleBody`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Ready HTML (tags), copied as is.
    Markup(String),
    /// A range of `plain`, to be escaped (and marked) when rendered.
    Text(Range<usize>),
}

/// Front matter found at the top of a Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// Byte range of the YAML between the fences.
    pub yaml: Range<usize>,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

/// Why front matter could not be split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unterminated {
    /// Byte range of the opening fence line.
    pub opening: Range<usize>,
}

impl Unterminated {
    /// The error for front matter of `file` that is never closed.
    pub fn diagnostic(&self, file: crate::diagnostics::FileId) -> crate::diagnostics::Diagnostic {
        use crate::diagnostics::{Code, Diagnostic, Location};
        Diagnostic::error(
            Code::UnterminatedFrontMatter,
            "front matter is never closed",
        )
        .at(Some(Location {
            file,
            range: self.opening.clone(),
        }))
        .with_label("opened here")
        .with_hint("end the front matter with a line of three dashes: ---")
    }
}

/// Finds YAML front matter: a first line `---`, up to a line `---` or `...`.
pub fn split_front_matter(text: &str) -> Result<Option<FrontMatter>, Unterminated> {
    let first_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Some(FrontMatter {
                yaml: first_end..pos,
                body_start: end,
            }));
        }
        pos = end;
    }
    Err(Unterminated {
        opening: 0..text[..first_end].trim_end().len(),
    })
}

/// Plain text: paragraphs at blank lines, no markup interpreted.
pub fn text_body(text: &str) -> ArticleBody {
    let mut chunks = Vec::new();
    let mut paragraph: Option<Range<usize>> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let range = pos..pos + line.len();
        pos += line.len();
        if line.trim().is_empty() {
            if let Some(p) = paragraph.take() {
                push_paragraph(&mut chunks, text, p);
            }
        } else {
            paragraph = Some(match paragraph {
                Some(p) => p.start..range.end,
                None => range,
            });
        }
    }
    if let Some(p) = paragraph {
        push_paragraph(&mut chunks, text, p);
    }
    ArticleBody {
        plain: text.to_string(),
        chunks,
    }
}

fn push_paragraph(chunks: &mut Vec<Chunk>, text: &str, range: Range<usize>) {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    chunks.push(Chunk::Markup("<p>".into()));
    chunks.push(Chunk::Text(start..end));
    chunks.push(Chunk::Markup("</p>\n".into()));
}

/// Markdown options used for article bodies and editors' Markdown fields.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

// Private-use characters delimit placeholders for text in the rendered
// markup; they are removed from the input first so they cannot collide.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Markdown: pulldown-cmark renders the markup, with every run of text
/// replaced by a placeholder that becomes a [`Chunk::Text`].
pub fn markdown_body(text: &str, raw_html: bool) -> ArticleBody {
    let cleaned;
    let text = if text.contains([OPEN, CLOSE]) {
        cleaned = text.replace([OPEN, CLOSE], "\u{FFFD}");
        cleaned.as_str()
    } else {
        text
    };
    let mut plain = String::new();
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut image_depth = 0usize;
    // Whether each open link or image was dropped for an unsafe URL.
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut dropped_images: Vec<bool> = Vec::new();
    let mut events = Vec::new();
    let mut push_text = |events: &mut Vec<Event>, plain: &mut String, s: &str| {
        let start = plain.len();
        plain.push_str(s);
        events.push(Event::InlineHtml(CowStr::from(format!(
            "{OPEN}{}{CLOSE}",
            ranges.len()
        ))));
        ranges.push(start..plain.len());
    };
    for event in Parser::new_ext(text, markdown_options()) {
        match event {
            // An unsafe link keeps its text and loses its target.
            Event::Start(Tag::Link { ref dest_url, .. }) if image_depth == 0 => {
                let drop = !raw_html && !is_safe_url(dest_url);
                dropped_links.push(drop);
                if !drop {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Link) if image_depth == 0 => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            // An unsafe image shows its alt text instead.
            Event::Start(Tag::Image { ref dest_url, .. })
                if image_depth == 0 && !raw_html && !is_safe_url(dest_url) =>
            {
                dropped_images.push(true);
            }
            Event::End(TagEnd::Image)
                if image_depth == 0 && dropped_images.last() == Some(&true) =>
            {
                dropped_images.pop();
            }
            Event::Start(Tag::Image { .. }) => {
                image_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                events.push(event);
            }
            // Alt text is written into an attribute: leave it to pulldown-cmark.
            e if image_depth > 0 => events.push(e),
            Event::Text(s) => push_text(&mut events, &mut plain, &s),
            Event::Code(s) => {
                events.push(Event::InlineHtml("<code>".into()));
                push_text(&mut events, &mut plain, &s);
                events.push(Event::InlineHtml("</code>".into()));
            }
            Event::SoftBreak => push_text(&mut events, &mut plain, "\n"),
            Event::HardBreak => {
                plain.push('\n');
                events.push(Event::HardBreak);
            }
            Event::Html(s) | Event::InlineHtml(s) if !raw_html => {
                push_text(&mut events, &mut plain, &s)
            }
            Event::End(end) => {
                if is_block(&end) && !plain.ends_with('\n') && !plain.is_empty() {
                    plain.push('\n');
                }
                events.push(Event::End(end));
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    ArticleBody {
        plain,
        chunks: split_placeholders(&html, &ranges),
    }
}

/// Whether a link target may be followed: a relative URL, or one with a
/// scheme of the web or mail. `javascript:`, `data:` and the like are not.
/// Browsers ignore white space and control characters inside a scheme, so
/// this does too.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match cleaned.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(
                scheme.to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto" | "tel" | "ftp"
            )
        }
        _ => true,
    }
}

fn is_block(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

fn split_placeholders(html: &str, ranges: &[Range<usize>]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find(OPEN) {
        if open > 0 {
            chunks.push(Chunk::Markup(rest[..open].to_string()));
        }
        let after = &rest[open + OPEN.len_utf8()..];
        let close = after.find(CLOSE).unwrap_or(after.len());
        if let Some(range) = after[..close]
            .parse::<usize>()
            .ok()
            .and_then(|i| ranges.get(i))
        {
            chunks.push(Chunk::Text(range.clone()));
        }
        rest = &after[(close + CLOSE.len_utf8()).min(after.len())..];
    }
    if !rest.is_empty() {
        chunks.push(Chunk::Markup(rest.to_string()));
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(body: &ArticleBody) -> String {
        body.chunks
            .iter()
            .map(|c| match c {
                Chunk::Markup(m) => m.clone(),
                Chunk::Text(r) => body.plain[r.clone()].to_string(),
            })
            .collect()
    }

    #[test]
    fn front_matter_is_split_at_fences() {
        let text = "---\ntitle: A\n---\nBody\n";
        let fm = split_front_matter(text).unwrap().unwrap();
        assert_eq!(&text[fm.yaml.clone()], "title: A\n");
        assert_eq!(&text[fm.body_start..], "Body\n");
        assert_eq!(split_front_matter("No front matter").unwrap(), None);
        assert!(split_front_matter("---\ntitle: A\nno end\n").is_err());
    }

    #[test]
    fn front_matter_accepts_crlf() {
        let text = "---\r\ntitle: A\r\n---\r\nBody";
        let fm = split_front_matter(text).unwrap().unwrap();
        assert_eq!(&text[fm.body_start..], "Body");
    }

    #[test]
    fn text_paragraphs_split_at_blank_lines() {
        let body = text_body("First line\nstill first.\n\n  \nSecond.\n");
        assert_eq!(
            render_plain(&body),
            "<p>First line\nstill first.</p>\n<p>Second.</p>\n"
        );
    }

    #[test]
    fn markdown_text_runs_become_plain_text() {
        let body = markdown_body("A *very* big `deal`.\n\n- one\n", false);
        assert_eq!(body.plain, "A very big deal.\none\n");
        assert_eq!(
            render_plain(&body),
            "<p>A <em>very</em> big <code>deal</code>.</p>\n<ul>\n<li>one</li>\n</ul>\n"
        );
    }

    #[test]
    fn raw_html_is_text_unless_allowed() {
        let body = markdown_body("Hi <script>x</script>\n", false);
        assert!(body.plain.contains("<script>"));
        assert!(body
            .chunks
            .iter()
            .all(|c| !matches!(c, Chunk::Markup(m) if m.contains("<script>"))));
        let body = markdown_body("Hi <b>x</b>\n", true);
        assert!(body
            .chunks
            .iter()
            .any(|c| matches!(c, Chunk::Markup(m) if m.contains("<b>"))));
    }

    #[test]
    fn unsafe_urls_lose_their_links_unless_raw_html() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!is_safe_url(url), "{url}");
        }
        for url in [
            "https://example.org/a:b",
            "/days/",
            "#top",
            "mailto:a@b.c",
            "page?x=a:b",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
        let body = markdown_body(
            "[click](javascript:alert(1)) <javascript:alert(2)> ![pic](javascript:alert(3))\n",
            false,
        );
        let html = render_plain(&body);
        assert!(
            !html.to_lowercase().contains("javascript:alert(1)\""),
            "{html}"
        );
        assert!(!html.contains("href"), "{html}");
        assert!(!html.contains("src"), "{html}");
        assert!(
            html.contains("click") && html.contains("pic"),
            "the text stays: {html}"
        );
        let body = markdown_body("[ok](https://example.org/)\n", false);
        assert!(render_plain(&body).contains("href=\"https://example.org/\""));
        let body = markdown_body("[raw](javascript:x)\n", true);
        assert!(
            render_plain(&body).contains("href=\"javascript:x\""),
            "raw_html passes it"
        );
    }

    #[test]
    fn image_alt_text_stays_in_the_attribute() {
        let body = markdown_body("![a map](m.png)\n", false);
        assert!(render_plain(&body).contains("alt=\"a map\""));
        assert!(!body.plain.contains("a map"));
    }
}

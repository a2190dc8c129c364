//! HTML made in Rust rather than in templates: Markdown fields, and article
//! bodies with their evidence passages marked.

use std::fmt::Write;

use crate::load::article::{markdown_body, ArticleBody, Chunk};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`] for XML, which does not allow control characters other than
/// tab and line breaks: they become spaces.
pub fn escape_xml(text: &str) -> String {
    let forbidden = |c: char| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r');
    if text.contains(forbidden) {
        escape(&text.replace(forbidden, " "))
    } else {
        escape(text)
    }
}

/// A character that has no place in a page: C0 controls other than tab and
/// line ends, DEL, and the C1 controls. In HTML they are parse errors (NUL
/// becomes U+FFFD); on a terminal some are escape sequences.
pub fn is_stray_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// A rendered file without stray control characters (see
/// [`is_stray_control`]), whatever the content put into it. Files that are
/// not text markup (JSON escapes them itself) are returned as they are.
pub fn without_controls(path: &str, text: String) -> String {
    let markup = [".html", ".xml", ".svg"].iter().any(|x| path.ends_with(x));
    if !markup || !has_stray_control(text.as_bytes()) {
        return text;
    }
    text.replace(is_stray_control, "")
}

/// [`is_stray_control`] over UTF-8 bytes, without decoding: C0 and DEL are
/// single bytes, the C1 controls are 0xC2 followed by 0x80..=0x9F. Every
/// page passes through here, so blocks of 32 bytes are tested without
/// branches (which the compiler turns into vector instructions), and only a
/// block holding a control or a 0xC2 is looked at byte by byte.
fn has_stray_control(bytes: &[u8]) -> bool {
    const BLOCK: usize = 32;
    let suspect =
        |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | (b == 0x7F) | (b == 0xC2);
    let stray_at = |i: usize| match bytes[i] {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1F | 0x7F => true,
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        _ => false,
    };
    let mut start = 0;
    for block in bytes.chunks_exact(BLOCK) {
        let any = block.iter().fold(false, |any, &b| any | suspect(b));
        if any && (start..start + BLOCK).any(stray_at) {
            return true;
        }
        start += BLOCK;
    }
    (start..bytes.len()).any(stray_at)
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Renders an editor's Markdown field (summary, description). Raw HTML is
/// escaped unless `raw_html`.
pub fn markdown(text: &str, raw_html: bool) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    render_body(&markdown_body(text, raw_html), &[])
}

/// A passage to mark in a body.
#[derive(Debug, Clone)]
pub struct Mark<'a> {
    pub range: std::ops::Range<usize>,
    pub anchor: &'a str,
    /// Where the passage's entry is, and its headline.
    pub entry_url: &'a str,
    pub entry_headline: &'a str,
    pub is_quote: bool,
}

/// Renders a body, wrapping each marked passage in `<mark>` (split where it
/// crosses markup), with the passage's anchor on its first piece and a link
/// to its entry after its last. Overlapping passages are all marked.
pub fn render_body(body: &ArticleBody, marks: &[Mark]) -> String {
    let mut out = String::with_capacity(body.plain.len() * 2);
    let mut cuts: Vec<usize> = marks
        .iter()
        .flat_map(|m| [m.range.start, m.range.end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    for chunk in &body.chunks {
        match chunk {
            Chunk::Markup(html) => out.push_str(html),
            Chunk::Text(range) => {
                let mut at = range.start;
                let inner = cuts
                    .iter()
                    .copied()
                    .filter(|&c| c > range.start && c < range.end);
                for cut in inner.chain(std::iter::once(range.end)) {
                    segment(&mut out, body, at..cut, marks);
                    at = cut;
                }
            }
        }
    }
    out
}

fn segment(out: &mut String, body: &ArticleBody, range: std::ops::Range<usize>, marks: &[Mark]) {
    let text = &body.plain[range.clone()];
    let active: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.range.start <= range.start && m.range.end >= range.end && !range.is_empty())
        .collect();
    if active.is_empty() {
        escape_into(out, text);
        return;
    }
    let starting: Vec<&&Mark> = active
        .iter()
        .filter(|m| m.range.start == range.start)
        .collect();
    for extra in starting.iter().skip(1) {
        let _ = write!(
            out,
            "<span class=\"passage-anchor\" id=\"{}\"></span>",
            escape(extra.anchor)
        );
    }
    let class = if active.iter().any(|m| m.is_quote) {
        "passage quote"
    } else {
        "passage"
    };
    out.push_str("<mark class=\"");
    out.push_str(class);
    out.push('"');
    if let Some(first) = starting.first() {
        let _ = write!(out, " id=\"{}\"", escape(first.anchor));
    }
    out.push('>');
    escape_into(out, text);
    out.push_str("</mark>");
    for m in active.iter().filter(|m| m.range.end == range.end) {
        let _ = write!(
            out,
            "<a class=\"passage-ref\" href=\"{}\" title=\"{}\">entry</a>",
            escape(m.entry_url),
            escape(m.entry_headline)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::article::text_body;

    #[test]
    fn stray_control_characters_leave_pages_and_only_pages() {
        let dirty = "<p>a\0b\u{1b}]2;x\u{7}c\u{85}d\te\r\n</p>".to_string();
        assert_eq!(
            without_controls("days/x/index.html", dirty.clone()),
            "<p>ab]2;xcd\te\r\n</p>"
        );
        assert_eq!(
            without_controls("feed.xml", dirty.clone()).len(),
            dirty.len() - 5
        );
        assert_eq!(without_controls("chronicle.json", dirty.clone()), dirty);
        let clean = "<p>Київ — «ok» é</p>".to_string();
        assert_eq!(without_controls("a.html", clean.clone()), clean);
        // At every place in a block, and across blocks.
        for at in 0..70 {
            for stray in ["\u{0}", "\u{1b}", "\u{7f}", "\u{85}", "\u{9f}"] {
                let text = format!(
                    "{}{stray}{}",
                    "a\n".repeat(at).get(..at).unwrap(),
                    "Ä\tb\r\n".repeat(3)
                );
                assert!(has_stray_control(text.as_bytes()), "{text:?}");
            }
            let fine = format!("{}Â ¢é€\t\r\n{}", "x".repeat(at), "\u{a0}".repeat(at));
            assert!(!has_stray_control(fine.as_bytes()), "{fine:?}");
        }
    }

    fn mark<'a>(range: std::ops::Range<usize>, anchor: &'a str) -> Mark<'a> {
        Mark {
            range,
            anchor,
            entry_url: "/days/2022-01-26/#e",
            entry_headline: "E <1>",
            is_quote: false,
        }
    }

    #[test]
    fn escapes_everything_markup_could_hide_in() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn marks_a_passage_with_anchor_and_entry_link() {
        let body = text_body("Alpha beta gamma.\n");
        let html = render_body(&body, &[mark(6..10, "ev-e-1")]);
        assert_eq!(
            html,
            "<p>Alpha <mark class=\"passage\" id=\"ev-e-1\">beta</mark><a class=\"passage-ref\" href=\"/days/2022-01-26/#e\" title=\"E &lt;1&gt;\">entry</a> gamma.</p>\n"
        );
    }

    #[test]
    fn a_passage_across_markup_is_marked_in_pieces() {
        let body = markdown_body("one *two* three\n", false);
        let start = body.plain.find("one").unwrap();
        let end = body.plain.find("three").unwrap() + 5;
        let html = render_body(&body, &[mark(start..end, "p1")]);
        assert!(html.contains("<mark class=\"passage\" id=\"p1\">one </mark><em><mark class=\"passage\">two</mark></em>"), "{html}");
        assert_eq!(html.matches("passage-ref").count(), 1);
    }

    #[test]
    fn overlapping_passages_keep_both_anchors() {
        let body = text_body("Alpha beta gamma.");
        let html = render_body(&body, &[mark(0..10, "a"), mark(6..16, "b")]);
        assert!(html.contains("id=\"a\""));
        assert!(html.contains("id=\"b\""));
        assert_eq!(html.matches("passage-ref").count(), 2);
    }

    #[test]
    fn markdown_fields_escape_raw_html() {
        assert_eq!(
            markdown("Hi <script>x</script>", false),
            "<p>Hi &lt;script&gt;x&lt;/script&gt;</p>\n"
        );
        assert_eq!(markdown("  ", false), "");
    }
}

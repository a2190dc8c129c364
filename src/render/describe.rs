//! Each page's description of its own (`page.description`: the `<meta
//! name="description">`, Open Graph and Twitter card text), made from the
//! content the page shows: a thread's summary, an actor's role and
//! description, a day's headlines. Pure functions; a page with nothing of
//! its own falls back on the site's description.

use crate::load::article::markdown_body;
use crate::resolve::{Chronicle, EntryIx};

/// The longest description, in characters: about what a search engine's
/// result shows before it cuts (Google's run to 155–160), and the most a
/// page's two copies of it (`description`, `og:description`) should cost.
pub const MAX_CHARS: usize = 160;

/// Markdown as one line of plain text.
pub fn plain_text(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    one_line(&markdown_body(markdown, false).plain)
}

/// `text` with each run of white space as one space, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cut to at most [`MAX_CHARS`] characters, at a word, with `…`
/// when cut.
pub fn clip(text: &str) -> String {
    let text = one_line(text);
    if text.chars().count() <= MAX_CHARS {
        return text;
    }
    let limit = text
        .char_indices()
        .nth(MAX_CHARS - 1)
        .map_or(text.len(), |(i, _)| i);
    let cut = text[..limit].rfind(' ').unwrap_or(limit);
    let kept = text[..cut].trim_end_matches([' ', ',', ';', ':', '.', '—', '–', '-']);
    format!("{kept}…")
}

/// Several parts joined with `separator`, as many as fit (then clipped).
pub fn list<'s>(parts: impl IntoIterator<Item = &'s str>, separator: &str) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(separator);
        }
        out.push_str(part);
        if out.chars().count() > MAX_CHARS {
            break;
        }
    }
    clip(&out)
}

/// The headlines of `entries`, newest first.
pub fn headlines(c: &Chronicle, entries: &[EntryIx]) -> String {
    list(
        entries
            .iter()
            .rev()
            .map(|&e| c.entries[e].headline.as_str()),
        "; ",
    )
}

/// The first of `candidates` with any text, clipped; empty when none has.
pub fn first_of(candidates: impl IntoIterator<Item = String>) -> String {
    candidates
        .into_iter()
        .map(|c| clip(&c))
        .find(|c| !c.is_empty())
        .unwrap_or_default()
}

/// An article's page: "Outlet: Title. " and the headlines it reports.
pub fn article(article: &crate::resolve::Article, headlines: &str) -> String {
    let name = if article.outlet.trim().is_empty() {
        article.title.trim().to_string()
    } else {
        format!("{}: {}", article.outlet.trim(), article.title.trim())
    };
    if headlines.is_empty() {
        clip(&name)
    } else {
        let name = name.trim_end_matches('.');
        clip(&format!("{name}. {headlines}"))
    }
}

/// "role. description" of an actor, either part optional.
pub fn role_and_description(role: Option<&str>, description: &str) -> String {
    let description = plain_text(description);
    match role.map(str::trim).filter(|r| !r.is_empty()) {
        Some(role) if description.is_empty() => role.to_string(),
        Some(role) => {
            let role = role.trim_end_matches('.');
            format!("{role}. {description}")
        }
        None => description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_one_line_of_plain_text() {
        assert_eq!(
            plain_text("The *first* line\n\nand [a link](https://example.org)."),
            "The first line and a link."
        );
        assert_eq!(plain_text("  \n"), "");
    }

    #[test]
    fn long_text_is_cut_at_a_word_with_an_ellipsis() {
        let text = "word ".repeat(100);
        let clipped = clip(&text);
        assert!(clipped.chars().count() <= MAX_CHARS, "{clipped}");
        assert!(clipped.ends_with("word…"), "{clipped}");
        assert_eq!(clip("short  and\nplain"), "short and plain");
        // Not cut inside a character.
        let cyrillic = "слово ".repeat(80);
        assert!(clip(&cyrillic).ends_with("слово…"));
    }

    #[test]
    fn lists_take_what_fits_and_skip_empty_parts() {
        assert_eq!(list(["A", " ", "B"], "; "), "A; B");
        let many: Vec<String> = (0..100).map(|i| format!("Headline {i}")).collect();
        let joined = list(many.iter().map(String::as_str), "; ");
        assert!(joined.starts_with("Headline 0; Headline 1;"));
        assert!(joined.ends_with('…') && joined.chars().count() <= MAX_CHARS);
    }

    #[test]
    fn an_actor_is_described_by_role_then_description() {
        assert_eq!(
            role_and_description(Some("Foreign minister."), "Leads *talks*."),
            "Foreign minister. Leads talks."
        );
        assert_eq!(role_and_description(None, "Leads talks."), "Leads talks.");
        assert_eq!(role_and_description(Some("Envoy"), ""), "Envoy");
        assert_eq!(first_of([String::new(), "B".into()]), "B");
        assert_eq!(first_of([String::new()]), "");
    }
}

//! Finding evidence passages and quotes in an article's text.
//!
//! Matching ignores differences of white space, of straight and curly quotes
//! and apostrophes, and of dash kinds; otherwise it is exact. A match is a
//! byte range of the original text, so it can be marked there.

use std::collections::HashMap;
use std::ops::Range;

/// Text in comparison form, remembering where each byte came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the
    /// character it came from.
    origin: Vec<u32>,
}

fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        c => c,
    }
}

/// Puts `text` in comparison form: quotes and dashes folded, every run of
/// white space one space, leading and trailing white space dropped.
pub fn normalize(text: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
    };
    let mut pending_space: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !out.text.is_empty() && pending_space.is_none() {
                pending_space = Some(i);
            }
            continue;
        }
        if let Some(at) = pending_space.take() {
            out.push(' ', at);
        }
        out.push(fold(c), i);
    }
    out
}

impl Normalized {
    fn push(&mut self, c: char, from: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.origin.push(from as u32);
        }
    }

    /// The byte range in `original` (the text this was made from) of a
    /// range of `text`.
    pub fn original(&self, range: Range<usize>, original: &str) -> Range<usize> {
        let start = self.origin.get(range.start).copied().unwrap_or(0) as usize;
        if range.is_empty() {
            return start..start;
        }
        let last = self.origin[range.end - 1] as usize;
        let last_len = original[last..].chars().next().map_or(0, char::len_utf8);
        start..last + last_len
    }
}

/// The outcome of looking for a passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Exactly one place (after prefix and suffix): its original byte range.
    One(Range<usize>),
    /// Several places, and no prefix/suffix to pick one: the first, and how many.
    Many(Range<usize>, usize),
    /// In the text, but never with the `prefix`/`suffix` given: how many
    /// times, and the words around the first occurrence, to set them right.
    NotWithContext {
        occurrences: usize,
        before: String,
        after: String,
    },
    /// Nowhere; the nearest passage in the original, if anything is near.
    None {
        nearest: Option<String>,
        differs_in_case: bool,
    },
}

/// Looks for `exact` in `haystack`, narrowed by `prefix` and `suffix`.
pub fn find(
    haystack: &Normalized,
    exact: &str,
    prefix: Option<&str>,
    suffix: Option<&str>,
    original: &str,
) -> Found {
    let needle = normalize(exact).text;
    if needle.is_empty() {
        return Found::None {
            nearest: None,
            differs_in_case: false,
        };
    }
    let prefix = prefix.map(|p| normalize(p).text).filter(|p| !p.is_empty());
    let suffix = suffix.map(|s| normalize(s).text).filter(|s| !s.is_empty());
    let hay = haystack.text.as_str();
    let hits: Vec<Range<usize>> = hay
        .match_indices(needle.as_str())
        .map(|(i, m)| i..i + m.len())
        .filter(|r| {
            prefix
                .as_ref()
                .is_none_or(|p| hay[..r.start].trim_end().ends_with(p.as_str()))
                && suffix
                    .as_ref()
                    .is_none_or(|s| hay[r.end..].trim_start().starts_with(s.as_str()))
        })
        .collect();
    match hits.as_slice() {
        [one] => Found::One(haystack.original(one.clone(), original)),
        [first, ..] => Found::Many(haystack.original(first.clone(), original), hits.len()),
        [] if prefix.is_some() || suffix.is_some() => match hay.find(needle.as_str()) {
            Some(start) => Found::NotWithContext {
                occurrences: hay.matches(needle.as_str()).count(),
                before: last_words(&hay[..start], CONTEXT_WORDS),
                after: first_words(&hay[start + needle.len()..], CONTEXT_WORDS),
            },
            None => nowhere(haystack, &needle, original),
        },
        [] => nowhere(haystack, &needle, original),
    }
}

/// How many words either side of a passage a message quotes.
const CONTEXT_WORDS: usize = 6;

fn nowhere(haystack: &Normalized, needle: &str, original: &str) -> Found {
    Found::None {
        nearest: nearest_passage(haystack, needle, original),
        differs_in_case: haystack
            .text
            .to_lowercase()
            .contains(&needle.to_lowercase()),
    }
}

fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The run of words in the text sharing the most words with `needle`,
/// as written in the original.
fn nearest_passage(haystack: &Normalized, needle: &str, original: &str) -> Option<String> {
    let word = |s: &str| {
        s.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let wanted: Vec<String> = needle
        .split(' ')
        .map(word)
        .filter(|w| !w.is_empty())
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let mut need: HashMap<&str, usize> = HashMap::new();
    for w in &wanted {
        *need.entry(w.as_str()).or_default() += 1;
    }
    let mut words: Vec<(Range<usize>, String)> = Vec::new();
    let mut start = 0;
    for piece in haystack.text.split(' ') {
        words.push((start..start + piece.len(), word(piece)));
        start += piece.len() + 1;
    }
    let k = wanted.len().min(words.len());
    if k == 0 {
        return None;
    }
    // Slide a window of k words, counting words it shares with the needle;
    // among equals, prefer a window whose first and last words match.
    let mut have: HashMap<&str, usize> = HashMap::new();
    let mut shared = 0usize;
    let mut best = (0usize, 0usize);
    let mut best_score = 0usize;
    for i in 0..words.len() {
        let w = words[i].1.as_str();
        if let Some(&n) = need.get(w) {
            let h = have.entry(w).or_default();
            *h += 1;
            if *h <= n {
                shared += 1;
            }
        }
        if i >= k {
            let out = words[i - k].1.as_str();
            if let Some(&n) = need.get(out) {
                let h = have.entry(out).or_default();
                if *h <= n {
                    shared -= 1;
                }
                *h -= 1;
            }
        }
        let start = i + 1 - k.min(i + 1);
        let edges =
            usize::from(words[start].1 == wanted[0]) + usize::from(words[i].1 == wanted[k - 1]);
        let score = shared * 4 + edges;
        if shared > 0 && score > best_score {
            best = (shared, start);
            best_score = score;
        }
    }
    // Too little in common to be the passage the editor meant.
    if best.0 == 0 || (best.0 == 1 && wanted.len() > 2) {
        return None;
    }
    let first = &words[best.1].0;
    let last = &words[(best.1 + k - 1).min(words.len() - 1)].0;
    let range = haystack.original(first.start..last.end, original);
    let text: String = original[range]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_in(text: &str, exact: &str, prefix: Option<&str>, suffix: Option<&str>) -> Found {
        find(&normalize(text), exact, prefix, suffix, text)
    }

    #[test]
    fn ignores_white_space_quotes_and_dashes() {
        let text = "Blinken said it \u{201C}opens  the\ndoor\u{201D} \u{2014} for talks, and it\u{2019}s a start.";
        let Found::One(r) = find_in(text, "\"opens the door\" - for talks", None, None) else {
            panic!("not found")
        };
        assert_eq!(
            &text[r],
            "\u{201C}opens  the\ndoor\u{201D} \u{2014} for talks"
        );
        assert!(matches!(
            find_in(text, "it's a start", None, None),
            Found::One(_)
        ));
    }

    #[test]
    fn a_match_ending_in_a_wide_character_covers_all_of_it() {
        let text = "She said \u{201C}not now\u{201D}\u{00A0}and left.";
        let Found::One(r) = find_in(text, "said \"not now\"", None, None) else {
            panic!("not found")
        };
        assert_eq!(&text[r], "said \u{201C}not now\u{201D}");
    }

    #[test]
    fn is_otherwise_exact() {
        assert!(matches!(
            find_in("The Door opens.", "the door opens", None, None),
            Found::None {
                differs_in_case: true,
                ..
            }
        ));
    }

    #[test]
    fn prefix_and_suffix_pick_one_of_repeats() {
        let text = "He said that it opens the door. She said it opens the door too.";
        assert!(matches!(
            find_in(text, "opens the door", None, None),
            Found::Many(_, 2)
        ));
        let Found::One(r) = find_in(text, "opens the door", Some("She said it "), None) else {
            panic!()
        };
        assert_eq!(r.start, text.rfind("opens").unwrap());
        let Found::One(r) = find_in(text, "opens the door", None, Some(".  She")) else {
            panic!()
        };
        assert_eq!(r.start, text.find("opens").unwrap());
    }

    #[test]
    fn a_wrong_prefix_is_told_apart_from_a_missing_passage() {
        let text =
            "The minister said that it opens the door to talks. Later, it opens the door again.";
        let found = find_in(text, "opens the door", Some("claimed that it"), None);
        assert_eq!(
            found,
            Found::NotWithContext {
                occurrences: 2,
                before: "The minister said that it".into(),
                after: "to talks. Later, it opens the".into(),
            }
        );
        assert!(matches!(
            find_in(text, "closes the door", Some("said that it"), None),
            Found::None { .. }
        ));
    }

    #[test]
    fn a_miss_offers_the_nearest_passage() {
        let text = "Moscow said it would not allow any attempts to expand the alliance eastward.";
        let Found::None { nearest, .. } = find_in(text, "will not allow any attempts", None, None)
        else {
            panic!()
        };
        assert_eq!(nearest.as_deref(), Some("would not allow any attempts"));
        let text2 = "The talks went on all day, and the talks went on.";
        let Found::None { nearest, .. } = find_in(text2, "talks went on all night", None, None)
        else {
            panic!()
        };
        assert_eq!(nearest.as_deref(), Some("talks went on all day,"));
        let Found::None { nearest, .. } = find_in(text, "sanctions on banks", None, None) else {
            panic!()
        };
        assert_eq!(nearest, None);
    }
}

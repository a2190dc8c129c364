//! The sidecar `.yaml` an import drafts: what was found, and a skeleton of
//! entries with the fields the editor must complete marked `# TODO`.

use std::fmt::Write;

/// A value written as a YAML double-quoted scalar: always valid, whatever
/// quotes, colons or `#` the text holds.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a YAML comment: one line, shortened to about `max` characters.
pub fn comment_text(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Where sentences end in `text`: byte offsets just after each sentence's
/// final punctuation (and closing quotes). Abbreviations (`Mr.`, `U.S.`,
/// `Dec.`) do not end one.
pub fn sentence_ends(text: &str) -> Vec<usize> {
    const ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sen", "rep", "gov", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
        "inc", "ltd", "co", "jr", "sr", "prof", "sgt", "capt", "maj", "adm",
    ];
    let mut ends = Vec::new();
    let mut offset = 0;
    let words: Vec<(usize, &str)> = text
        .split_inclusive(char::is_whitespace)
        .map(|w| {
            let at = offset;
            offset += w.len();
            (at, w)
        })
        .collect();
    for (k, (at, word)) in words.iter().enumerate() {
        let w = word.trim_end();
        let core = w.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
        if !core.ends_with(['.', '!', '?']) {
            continue;
        }
        let stem = core.trim_end_matches(['.', '!', '?']);
        let letters = stem.trim_start_matches(|c: char| !c.is_alphanumeric());
        if core.ends_with('.')
            && (letters.contains('.')
                || (letters.chars().count() == 1 && letters.chars().all(char::is_uppercase))
                || ABBREVIATIONS.contains(&letters.to_lowercase().as_str()))
        {
            continue;
        }
        let next = words.get(k + 1).map(|(_, w)| w.trim_start());
        let starts_sentence = next.is_none_or(|n| {
            n.chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        });
        if starts_sentence {
            ends.push(at + w.len());
        }
    }
    ends
}

/// A passage of `paragraph` to offer as evidence: its first sentence, or
/// when that is long, its first clause or first twenty words. Extended, word
/// by word, while it occurs more than once in `article` (as the build
/// compares passages: white space, quotes and dashes folded).
pub fn evidence(paragraph: &str, article: &str) -> (String, bool) {
    let paragraph = paragraph.trim();
    let sentence_end = sentence_ends(paragraph)
        .first()
        .copied()
        .unwrap_or(paragraph.len());
    let sentence = &paragraph[..sentence_end];
    let mut cut = sentence.len();
    let word_ends: Vec<usize> = paragraph
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace()
                && paragraph[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    let count = |end: usize| word_ends.iter().filter(|&&e| e <= end).count();
    if count(sentence.len()) > 25 {
        let clause = word_ends
            .iter()
            .copied()
            .filter(|&e| e <= sentence.len() && (8..=25).contains(&count(e)))
            .rfind(|&e| paragraph[..e].ends_with([',', ';']));
        cut = match clause {
            Some(e) => e - 1,
            None => word_ends.get(19).copied().unwrap_or(sentence.len()),
        };
    }
    let whole = crate::resolve::evidence::normalize(article).text;
    let occurrences = |p: &str| {
        let needle = crate::resolve::evidence::normalize(p).text;
        if needle.is_empty() {
            return 0;
        }
        whole.match_indices(&needle).count()
    };
    let mut passage = &paragraph[..cut];
    let mut k = word_ends.partition_point(|&e| e < cut);
    while occurrences(passage) > 1 && k + 1 < word_ends.len() {
        k += 1;
        passage = &paragraph[..word_ends[k]];
    }
    let unique = occurrences(passage) <= 1;
    (passage.to_string(), unique)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_any_text() {
        for text in [
            "plain",
            "a: b # c",
            "“curly” and \"straight\" \\ back",
            "tab\there\nnewline",
            "- dash first",
            "\u{2028}odd\u{85}breaks\u{7}",
        ] {
            let yaml = format!("v: {}\n", quote(text));
            let parsed: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(parsed["v"], text, "{yaml}");
        }
    }

    #[test]
    fn sentences_end_after_their_punctuation_not_abbreviations() {
        let text = "Mr. Roe met U.S. envoys on Dec. 2 in the capital. “It went well,” he said. Then he left.";
        let ends = sentence_ends(text);
        assert_eq!(
            &text[..ends[0]],
            "Mr. Roe met U.S. envoys on Dec. 2 in the capital."
        );
        assert_eq!(&text[ends[0]..ends[1]], " “It went well,” he said.");
    }

    #[test]
    fn evidence_is_the_first_sentence_or_clause_and_unique() {
        let article = "The envoy arrived in the capital. Talks began at noon.\n\nThe envoy arrived in the capital on a train, officials said.";
        let (p, unique) = evidence(
            "The envoy arrived in the capital. Talks began at noon.",
            article,
        );
        assert_eq!(p, "The envoy arrived in the capital.");
        assert!(unique);
        let (p, unique) = evidence(
            "The envoy arrived in the capital on a train, officials said.",
            article,
        );
        assert_eq!(
            p,
            "The envoy arrived in the capital on a train, officials said."
        );
        assert!(unique);
        let long = "One two three four five six seven eight nine ten, eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven.";
        let (p, _) = evidence(long, long);
        assert_eq!(p, "One two three four five six seven eight nine ten");
    }
}

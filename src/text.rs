//! Rules of plain text shared by the build and import.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

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

/// The longest context shown on either side of a quote, in bytes.
const CONTEXT: usize = 240;

/// The parts of the sentence around `range` of `text` before and after it:
/// back to the end of the previous sentence (or paragraph) and on to the end
/// of this one ([`sentence_ends`]), at most [`CONTEXT`] bytes
/// each way, cut at a word. A single line break is taken for a hard wrap,
/// not a boundary, and runs of white space come out as one space.
pub fn sentence_around(text: &str, range: std::ops::Range<usize>) -> (String, String) {
    let (Some(head), Some(tail)) = (text.get(..range.start), text.get(range.end..)) else {
        return Default::default();
    };
    // Only what could be shown is looked at, however long the article.
    let mut from = head.len().saturating_sub(2 * CONTEXT);
    while !head.is_char_boundary(from) {
        from += 1;
    }
    let head = &head[from..];
    let mut to = tail.len().min(2 * CONTEXT);
    while !tail.is_char_boundary(to) {
        to -= 1;
    }
    let tail = &tail[..to];

    let paragraph = |t: &str| t.rfind("\n\n").map(|i| i + 2);
    let mut start = sentence_ends(head)
        .last()
        .copied()
        .max(paragraph(head))
        .unwrap_or(0);
    if head.len() - start > CONTEXT {
        start = head.len() - CONTEXT;
        while !head.is_char_boundary(start) {
            start += 1;
        }
        start = head[start..].find(' ').map_or(start, |i| start + i + 1);
    }
    let sentence_end = sentence_ends(tail).first().copied();
    let mut end = sentence_end
        .into_iter()
        .chain(tail.find("\n\n"))
        .min()
        .unwrap_or(tail.len());
    if end > CONTEXT {
        end = CONTEXT;
        while !tail.is_char_boundary(end) {
            end -= 1;
        }
        end = tail[..end].rfind(' ').unwrap_or(end);
    }
    let squeeze = |part: &str| part.split_whitespace().collect::<Vec<_>>().join(" ");
    let before = squeeze(&head[start..]);
    let after = squeeze(&tail[..end]);
    // The quote sits between them: keep the space that separated it.
    let before = if before.is_empty() || !head.ends_with(char::is_whitespace) {
        before
    } else {
        before + " "
    };
    let after = if after.is_empty() || !tail.starts_with(char::is_whitespace) {
        after
    } else {
        format!(" {after}")
    };
    (before, after)
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

    #[test]
    fn a_quote_gets_the_sentence_around_it() {
        let text = "First one. He said the talks were \"far from exhausted\" at this stage. Next.";
        let start = text.find("far").unwrap();
        let range = start..start + "far from exhausted".len();
        assert_eq!(
            sentence_around(text, range),
            (
                "He said the talks were \"".into(),
                "\" at this stage.".into()
            )
        );
        let wrapped = "Earlier news.\nThe minister said on Thursday\nthat the reply left little room.\n\nNext paragraph.";
        let start = wrapped.find("left").unwrap();
        assert_eq!(
            sentence_around(wrapped, start..start + "left little room".len()),
            (
                "The minister said on Thursday that the reply ".into(),
                ".".into()
            )
        );
        let quoted = "He said: \"We are ready.\" Then he left. Later.";
        let start = quoted.find("Then").unwrap();
        assert_eq!(
            sentence_around(quoted, start..start + 4),
            (String::new(), " he left.".into())
        );
        let long = format!("{} quoted {}", "word ".repeat(100), "more ".repeat(100));
        let start = long.find("quoted").unwrap();
        let (before, after) = sentence_around(&long, start..start + 6);
        assert!(
            before.len() <= CONTEXT && before.starts_with("word"),
            "{before}"
        );
        assert!(after.len() <= CONTEXT && after.ends_with("more"), "{after}");
        assert_eq!(sentence_around("short", 10..12), Default::default());
    }
}

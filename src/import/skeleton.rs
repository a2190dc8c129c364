//! The sidecar `.yaml` an import drafts: what was found, and a skeleton of
//! entries with the fields the editor must complete marked `# TODO`.

use crate::text::sentence_ends;
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

/// A passage of `paragraph` to offer as evidence: its first sentence, or
/// when that is long, its first clause or first twenty words. Extended, word
/// by word, while it occurs more than once in `article` (as the build
/// compares passages: white space, quotes and dashes folded).
///
/// Indexes `article` for this one passage; to find the passages of several
/// entries of one article, index it once with [`ArticleIndex`].
pub fn evidence(paragraph: &str, article: &str) -> (String, bool) {
    ArticleIndex::new(article).evidence(paragraph)
}

/// An article in the build's comparison form (white space, quotes and
/// dashes folded), to find how often passages occur in it. The first
/// passage is looked for in one pass over the article; for the next, its
/// suffixes are sorted (once), so that each is found in time proportional
/// to its length (times the logarithm of the article's), whatever the
/// article's length and however many passages are looked for.
pub struct ArticleIndex {
    /// The article, normalized.
    text: String,
    /// The starts of the suffixes of `text`, in lexicographic order: sorted
    /// for the second passage looked for.
    suffixes: std::cell::OnceCell<Vec<u32>>,
    /// Whether a passage was looked for already.
    used: std::cell::Cell<bool>,
}

impl ArticleIndex {
    /// Puts `article` in comparison form.
    pub fn new(article: &str) -> ArticleIndex {
        let mut text = crate::resolve::evidence::normalize(article).text;
        // Suffixes are numbered in 32 bits; an import never comes near.
        let mut end = text.len().min(u32::MAX as usize - 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        ArticleIndex {
            text,
            suffixes: std::cell::OnceCell::new(),
            used: std::cell::Cell::new(false),
        }
    }

    /// The length of the longest prefix of `needle` found at two places of
    /// the article at least (overlapping places count): its prefixes that
    /// are longer occur once at most.
    fn repeated_prefix(&self, needle: &[u8]) -> usize {
        // A prefix longer than the article is nowhere in it.
        let needle = &needle[..needle.len().min(self.text.len() + 1)];
        if self.used.replace(true) || self.suffixes.get().is_some() {
            self.repeated_prefix_sorted(needle)
        } else {
            self.repeated_prefix_scanned(needle)
        }
    }

    /// [`Self::repeated_prefix`] among the sorted suffixes.
    fn repeated_prefix_sorted(&self, needle: &[u8]) -> usize {
        let text = self.text.as_bytes();
        let suffixes = self.suffixes.get_or_init(|| suffix_array::build(text));
        let suffix = |k: usize| &text[suffixes[k] as usize..];
        // Where `needle` would stand among the sorted suffixes. The common
        // prefix with `needle` shrinks from there outwards, on either side,
        // so the two longest are among the two nearest on each side.
        let at = suffixes.partition_point(|&s| &text[s as usize..] < needle);
        let mut best = [0usize; 2];
        for k in [at.checked_sub(2), at.checked_sub(1), Some(at), Some(at + 1)]
            .into_iter()
            .flatten()
            .filter(|&k| k < suffixes.len())
        {
            let common = common_prefix(suffix(k), needle);
            if common > best[0] {
                best = [common, best[0]];
            } else if common > best[1] {
                best[1] = common;
            }
        }
        best[1]
    }

    /// [`Self::repeated_prefix`] in one pass over the article (Knuth, Morris
    /// and Pratt): time linear in the article and `needle`, memory in
    /// `needle`, which is at most a byte longer than the article.
    fn repeated_prefix_scanned(&self, needle: &[u8]) -> usize {
        let m = needle.len();
        if m == 0 {
            return 0;
        }
        // border[i]: the longest prefix of `needle` that is also a proper
        // suffix of needle[..=i]. (Lengths and counts up to the article's
        // length, which fits in 32 bits.)
        let mut border = vec![0u32; m];
        let mut b = 0usize;
        for i in 1..m {
            while b > 0 && needle[i] != needle[b] {
                b = border[b - 1] as usize;
            }
            if needle[i] == needle[b] {
                b += 1;
            }
            border[i] = b as u32;
        }
        // ends[l]: at how many places of the article the longest prefix of
        // `needle` ending there is l long.
        let mut ends = vec![0u32; m + 1];
        let mut q = 0usize;
        for &c in self.text.as_bytes() {
            if q == m {
                q = border[q - 1] as usize;
            }
            while q > 0 && needle[q] != c {
                q = border[q - 1] as usize;
            }
            if needle[q] == c {
                q += 1;
            }
            ends[q] += 1;
        }
        // A prefix ends wherever a longer one with it as a border ends:
        // from the longest down, ends[l] becomes the count of prefix l.
        for l in (1..=m).rev() {
            let shorter = border[l - 1] as usize;
            ends[shorter] += ends[l];
        }
        // The counts fall as prefixes grow.
        (1..=m).rev().find(|&l| ends[l] >= 2).unwrap_or(0)
    }

    /// A passage of `paragraph` to offer as evidence, and whether it occurs
    /// once in the article: see [`evidence`].
    pub fn evidence(&self, paragraph: &str) -> (String, bool) {
        let paragraph = paragraph.trim();
        let (word_ends, cut) = first_passage(paragraph);
        // The passages to try, shortest first: the cut, then a word more
        // each time, up to the whole paragraph.
        let k = word_ends.partition_point(|&e| e < cut);
        let mut ends = vec![cut];
        ends.extend(word_ends.get(k + 1..).unwrap_or_default());
        let needle = crate::resolve::evidence::normalize(paragraph).text;
        let lengths = normalized_lengths(paragraph, &needle, &ends);
        let repeated = self.repeated_prefix(needle.as_bytes());
        // A passage occurs once at most when it is longer than the longest
        // prefix found twice (or empty: it is then found nowhere).
        let once = |length: usize| length == 0 || length > repeated;
        let pick = lengths
            .iter()
            .position(|&l| once(l))
            .unwrap_or(ends.len() - 1);
        (paragraph[..ends[pick]].to_string(), once(lengths[pick]))
    }
}

/// Where the words of `paragraph` (trimmed) end, and where the passage to
/// offer as evidence ends at the shortest: after the first sentence, or
/// when that is long, its first clause or first twenty words.
fn first_passage(paragraph: &str) -> (Vec<usize>, usize) {
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
    // Words up to `end`: the word ends are in order.
    let count = |end: usize| word_ends.partition_point(|&e| e <= end);
    if count(sentence.len()) > 25 {
        // The word ending at word_ends[k] is word k + 1.
        let clause = word_ends
            .iter()
            .copied()
            .enumerate()
            .take(25)
            .skip(7)
            .filter(|&(_, e)| e <= sentence.len())
            .map(|(_, e)| e)
            .rfind(|&e| paragraph[..e].ends_with([',', ';']));
        cut = match clause {
            Some(e) => e - 1,
            None => word_ends.get(19).copied().unwrap_or(sentence.len()),
        };
    }
    (word_ends, cut)
}

/// The length of the longest common prefix of two byte strings.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 16;
    let mut n = 0;
    for (x, y) in a.chunks(CHUNK).zip(b.chunks(CHUNK)) {
        if x == y {
            n += x.len();
        } else {
            return n + x.iter().zip(y).take_while(|(p, q)| p == q).count();
        }
    }
    n
}

/// For each offset of `ends` (in order, on character boundaries of `text`),
/// the length of the normalized form of `text` up to it: a prefix of
/// `normalized`, the normalized form of the whole `text`.
fn normalized_lengths(text: &str, normalized: &str, ends: &[usize]) -> Vec<usize> {
    // The normalized form holds, for each character that is not white
    // space, its folded form, and one space for each run of white space
    // between two such characters.
    let mut out = Vec::with_capacity(ends.len());
    let mut folded = normalized.chars();
    let mut length = 0;
    let mut space = false;
    let mut next = ends.iter().copied().peekable();
    for (i, c) in text.char_indices() {
        while next.next_if(|&e| e <= i).is_some() {
            out.push(length);
        }
        if c.is_whitespace() {
            space = length > 0;
            continue;
        }
        if std::mem::take(&mut space) {
            length += folded.next().map_or(0, char::len_utf8);
        }
        length += folded.next().map_or(0, char::len_utf8);
    }
    out.extend(next.map(|_| length));
    out
}

/// Suffix arrays, built in linear time by induced sorting (SA-IS: Nong,
/// Zhang and Chan, 2009).
mod suffix_array {
    /// No suffix placed yet.
    const EMPTY: u32 = u32::MAX;

    /// The starts of the suffixes of `text`, in lexicographic order.
    /// `text` must be shorter than `u32::MAX` bytes.
    pub fn build(text: &[u8]) -> Vec<u32> {
        sort(text, 256)
    }

    /// A string to sort the suffixes of: bytes at the top, the names of
    /// its pieces in the recursion.
    trait Symbols {
        fn len(&self) -> usize;
        fn at(&self, i: usize) -> usize;
    }

    impl Symbols for [u8] {
        fn len(&self) -> usize {
            <[u8]>::len(self)
        }
        fn at(&self, i: usize) -> usize {
            usize::from(self[i])
        }
    }

    impl Symbols for [u32] {
        fn len(&self) -> usize {
            <[u32]>::len(self)
        }
        fn at(&self, i: usize) -> usize {
            self[i] as usize
        }
    }

    /// Sorts the suffixes of `s`, whose symbols are below `alphabet`.
    fn sort<S: Symbols + ?Sized>(s: &S, alphabet: usize) -> Vec<u32> {
        let n = s.len();
        if n < 8 {
            let mut sa: Vec<u32> = (0..n as u32).collect();
            sa.sort_by(|&a, &b| {
                let (a, b) = (a as usize, b as usize);
                (a..n).map(|i| s.at(i)).cmp((b..n).map(|i| s.at(i)))
            });
            return sa;
        }
        // Each suffix is S-type when it is smaller than the next one, L-type
        // when larger; the empty suffix after the last is the smallest, so
        // the last suffix is L-type.
        let mut small = vec![false; n];
        for i in (0..n - 1).rev() {
            small[i] = match s.at(i).cmp(&s.at(i + 1)) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Greater => false,
                std::cmp::Ordering::Equal => small[i + 1],
            };
        }
        // Leftmost S-type positions (an S after an L), in text order.
        let leftmost = |i: usize| i > 0 && small[i] && !small[i - 1];
        let lms: Vec<u32> = (1..n).filter(|&i| leftmost(i)).map(|i| i as u32).collect();
        // The bucket of each symbol in the array: where it starts.
        let mut starts = vec![0u32; alphabet + 1];
        for i in 0..n {
            starts[s.at(i) + 1] += 1;
        }
        for c in 0..alphabet {
            starts[c + 1] += starts[c];
        }
        let mut sa = vec![EMPTY; n];
        induce(s, &small, &starts, &lms, &mut sa);
        if lms.is_empty() {
            return sa;
        }

        // The leftmost S-type pieces (from one such position to the next,
        // both included) are now in order: name each by its rank, equal
        // pieces alike.
        let sorted: Vec<u32> = sa
            .iter()
            .copied()
            .filter(|&p| leftmost(p as usize))
            .collect();
        // The name of the piece starting at p, at sa[m + p / 2] (two of
        // them are never adjacent, so halving keeps them apart); the first
        // m places hold nothing the names need.
        let m = lms.len();
        sa.fill(EMPTY);
        let piece_end = |p: usize| {
            let mut e = p + 1;
            while e < n && !leftmost(e) {
                e += 1;
            }
            e
        };
        let mut names = 0u32;
        let mut previous: Option<(usize, usize)> = None;
        for &p in &sorted {
            let p = p as usize;
            let end = piece_end(p);
            let same = previous.is_some_and(|(q, q_end)| {
                end < n
                    && q_end < n
                    && end - p == q_end - q
                    && (0..=end - p).all(|k| s.at(p + k) == s.at(q + k))
            });
            if !same {
                names += 1;
            }
            sa[m + p / 2] = names - 1;
            previous = Some((p, end));
        }
        drop(sorted);
        let reduced: Vec<u32> = sa[m..].iter().copied().filter(|&x| x != EMPTY).collect();
        drop(sa);
        // The order of the leftmost S-type suffixes: from the names alone
        // when they are all different, else by sorting the reduced string.
        let order: Vec<u32> = if names as usize == m {
            let mut order = vec![0u32; m];
            for (i, &name) in reduced.iter().enumerate() {
                order[name as usize] = i as u32;
            }
            order
        } else {
            sort(reduced.as_slice(), names as usize)
        };
        drop(reduced);
        let sorted_lms: Vec<u32> = order.iter().map(|&i| lms[i as usize]).collect();
        let mut sa = vec![EMPTY; n];
        induce(s, &small, &starts, &sorted_lms, &mut sa);
        sa
    }

    /// Places the leftmost S-type suffixes `lms` (in the order given) at
    /// the ends of their buckets, then induces the order of the L-type
    /// suffixes from them (left to right), and of the S-type suffixes from
    /// those (right to left).
    fn induce<S: Symbols + ?Sized>(
        s: &S,
        small: &[bool],
        starts: &[u32],
        lms: &[u32],
        sa: &mut [u32],
    ) {
        let n = s.len();
        let mut ends: Vec<u32> = starts[1..].to_vec();
        for &p in lms.iter().rev() {
            let c = s.at(p as usize);
            ends[c] -= 1;
            sa[ends[c] as usize] = p;
        }
        let mut heads: Vec<u32> = starts[..starts.len() - 1].to_vec();
        // The empty suffix comes first, and the last suffix, L-type, after it.
        let c = s.at(n - 1);
        sa[heads[c] as usize] = (n - 1) as u32;
        heads[c] += 1;
        for k in 0..n {
            let p = sa[k];
            if p != EMPTY && p > 0 && !small[p as usize - 1] {
                let c = s.at(p as usize - 1);
                sa[heads[c] as usize] = p - 1;
                heads[c] += 1;
            }
        }
        let mut ends: Vec<u32> = starts[1..].to_vec();
        for k in (0..n).rev() {
            let p = sa[k];
            if p != EMPTY && p > 0 && small[p as usize - 1] {
                let c = s.at(p as usize - 1);
                ends[c] -= 1;
                sa[ends[c] as usize] = p - 1;
            }
        }
    }
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

    /// A small generator of pseudo-random numbers (xorshift), for tests
    /// that must not depend on a crate or on chance.
    struct Xorshift(u64);

    impl Xorshift {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn suffixes_are_sorted_as_a_plain_sort_sorts_them() {
        let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            b"aaaaaaaaaaaaaaaaaaaa".to_vec(),
            b"zyxwvutsrqponmlkjihgfedcba".to_vec(),
            b"mississippi mississippi mississippi".to_vec(),
            b"abababababababababababababababab".to_vec(),
            "\u{2014}caf\u{e9} \u{ff} caf\u{e9}".as_bytes().to_vec(),
        ];
        for _ in 0..400 {
            let len = rng.below(300) as usize;
            let alphabet = 1 + rng.below(4) as u8;
            texts.push(
                (0..len)
                    .map(|_| b'a' + rng.below(u64::from(alphabet)) as u8)
                    .collect(),
            );
        }
        for text in texts {
            let mut plain: Vec<u32> = (0..text.len() as u32).collect();
            plain.sort_by_key(|&i| &text[i as usize..]);
            assert_eq!(
                suffix_array::build(&text),
                plain,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    /// What the evidence search did before it was indexed: extend the
    /// passage while it is found more than once.
    fn evidence_by_counting(paragraph: &str, article: &str) -> (String, bool) {
        use crate::resolve::evidence::normalize;
        let whole = normalize(article).text;
        // Overlapping occurrences, as the index counts them.
        let occurrences = |p: &str| {
            let needle = normalize(p).text;
            if needle.is_empty() {
                return 0;
            }
            (0..whole.len())
                .filter(|&i| whole.as_bytes()[i..].starts_with(needle.as_bytes()))
                .count()
        };
        let paragraph = paragraph.trim();
        let (ends, cut) = first_passage(paragraph);
        let mut passage = &paragraph[..cut];
        let mut k = ends.partition_point(|&e| e < cut);
        while occurrences(passage) > 1 && k + 1 < ends.len() {
            k += 1;
            passage = &paragraph[..ends[k]];
        }
        (passage.to_string(), occurrences(passage) <= 1)
    }

    #[test]
    fn the_index_finds_the_passages_that_counting_finds() {
        let words = [
            "The",
            "envoy",
            "met",
            "the",
            "minister,",
            "said",
            "officials.",
            "\u{201c}It",
            "went",
            "well\u{201d}",
            "\u{2014}",
            "and",
            "left.",
            "Mr.",
            "Roe",
        ];
        let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..120 {
            let mut article = String::new();
            let paragraphs = 1 + rng.below(6);
            for p in 0..paragraphs {
                if p > 0 {
                    article.push_str(if rng.below(2) == 0 { "\n\n" } else { "\n" });
                }
                for w in 0..1 + rng.below(40) {
                    if w > 0 {
                        article.push_str(if rng.below(8) == 0 { "  " } else { " " });
                    }
                    article.push_str(words[rng.below(words.len() as u64) as usize]);
                }
            }
            let index = ArticleIndex::new(&article);
            for paragraph in article.split('\n') {
                // The first passage is looked for in a pass over the
                // article, the others among its sorted suffixes.
                assert_eq!(
                    index.evidence(paragraph),
                    evidence_by_counting(paragraph, &article),
                    "{paragraph:?} in {article:?}"
                );
                let needle = crate::resolve::evidence::normalize(paragraph).text;
                for end in 0..=needle.len() {
                    let needle = &needle.as_bytes()[..end];
                    assert_eq!(
                        index.repeated_prefix_scanned(needle),
                        index.repeated_prefix_sorted(needle),
                        "{needle:?} in {article:?}"
                    );
                }
            }
            // A passage that is not in the article.
            assert_eq!(
                index.evidence("Roe left the envoy."),
                evidence_by_counting("Roe left the envoy.", &article)
            );
        }
    }
}

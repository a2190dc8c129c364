//! Names in an article: the registry's actors found in it (candidates for
//! an entry's `actors`), and capitalised names the registry lacks that look
//! like people or organisations (listed for the editor to add).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::annotations::RawActor;

/// The actors of `content/actors.yaml`, by every way they are written.
#[derive(Debug, Clone, Default)]
pub struct ActorIndex {
    /// (how it is written, actor id); longest first.
    terms: Vec<(String, String)>,
    /// Every id, name and alias, folded, to tell known names from unknown.
    known: HashSet<String>,
}

/// An actor found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundActor {
    pub id: String,
    /// The words of the text that named it.
    pub written: String,
}

/// Names are compared as the build compares them.
use crate::resolve::names::key as fold;

impl ActorIndex {
    /// Reads `content/actors.yaml` under `root`. A missing file is an empty
    /// registry; one that cannot be read is a warning, and no candidates.
    pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> ActorIndex {
        let kind = crate::load::RegistryKind::Actor;
        let Ok(text) = std::fs::read_to_string(root.join(kind.file())) else {
            return ActorIndex::default();
        };
        // Read as the build reads it; only whether it reads matters here.
        let mut files = crate::diagnostics::SourceFiles::default();
        let file = files.add(kind.file(), text.clone());
        match crate::load::parse_registry::<RawActor>(kind, &std::sync::Arc::from(text), file) {
            Ok((registry, _)) => ActorIndex::new(&registry.items),
            Err(d) => {
                let why = d.positioned(&files);
                let at = why.line.map(|l| format!(", line {l}")).unwrap_or_default();
                diagnostics.push(
                    Diagnostic::warning(
                        Code::UnreadableRegistry,
                        format!(
                            "content/actors.yaml could not be read ({}{at}); no actors are proposed",
                            why.message
                        ),
                    )
                    .in_file(root.join(kind.file()))
                    .with_hint("`chronicle check` shows the problem in detail"),
                );
                ActorIndex::default()
            }
        }
    }

    pub fn new(registry: &BTreeMap<String, RawActor>) -> ActorIndex {
        let mut index = ActorIndex::default();
        for (id, actor) in registry {
            let mut names = vec![id.clone()];
            names.extend(actor.name.clone());
            names.extend(actor.aliases.0.iter().cloned());
            for name in names {
                let name = name.trim().to_string();
                if name.is_empty() {
                    continue;
                }
                index.known.insert(fold(&name));
                index.terms.push((name, id.clone()));
            }
        }
        index
            .terms
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        index.terms.dedup();
        index
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether `name` is an id, name or alias of the registry.
    pub fn knows(&self, name: &str) -> bool {
        self.known.contains(&fold(name))
    }

    /// Where actors are named in `text`: byte ranges and ids, in order,
    /// not overlapping (the longest name wins). Short names, of four
    /// letters or fewer (`US`, `UK`, `NATO`), match only with their own
    /// capitals; one written without any (an id such as `who`) only in
    /// capitals (`WHO`, never "who heads…"). Longer ones match whatever
    /// their case. Either must stand as whole words.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize, &str)> {
        let lower = text.to_ascii_lowercase();
        // The names found so far, by start: (end, id). They never overlap.
        let mut hits: BTreeMap<usize, (usize, &str)> = BTreeMap::new();
        for (term, id) in &self.terms {
            let exact_case = term.chars().count() <= 4;
            let term = if exact_case && !term.chars().any(char::is_uppercase) {
                term.to_uppercase()
            } else {
                term.clone()
            };
            let mut variants = vec![term.clone()];
            for (a, b) in [('\'', '’'), ('’', '\'')] {
                if term.contains(a) {
                    variants.push(term.replace(a, &b.to_string()));
                }
            }
            for variant in variants {
                let (haystack, needle) = if exact_case {
                    (text, variant)
                } else {
                    (lower.as_str(), variant.to_ascii_lowercase())
                };
                let mut from = 0;
                while let Some(i) = haystack[from..].find(&needle) {
                    let start = from + i;
                    let end = start + needle.len();
                    from = end;
                    // Of the names found, only the last to start before
                    // `end` may overlap this one.
                    let overlaps = hits
                        .range(..end)
                        .next_back()
                        .is_some_and(|(_, &(e, _))| start < e);
                    if whole_word(text, start, end) && !overlaps {
                        hits.insert(start, (end, id.as_str()));
                    }
                }
            }
        }
        hits.into_iter()
            .map(|(start, (end, id))| (start, end, id))
            .collect()
    }

    /// The actors named in `text`, in order of first mention, once each.
    pub fn find(&self, text: &str) -> Vec<FoundActor> {
        let mut seen = HashSet::new();
        self.spans(text)
            .into_iter()
            .filter(|(_, _, id)| seen.insert(*id))
            .map(|(start, end, id)| FoundActor {
                id: id.to_string(),
                written: text[start..end].to_string(),
            })
            .collect()
    }

    /// `text` with every actor's name replaced by a semicolon, so what is
    /// left of a run of capitalised words is what the registry lacks.
    fn mask(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end, _) in self.spans(text) {
            out.push_str(&text[at..start]);
            out.push(';');
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let last = text[start..end].chars().next_back();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !word(before) && (last == Some('.') || !word(after))
}

/// Words that open a name but are not part of it: titles, roles and
/// nationalities (`US Deputy Secretary of State Jane Roe` → `Jane Roe`).
const ROLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "foreign",
    "defence",
    "defense",
    "interior",
    "deputy",
    "secretary",
    "state",
    "general",
    "chancellor",
    "ambassador",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "senator",
    "sen",
    "rep",
    "representative",
    "pope",
    "sheikh",
    "king",
    "queen",
    "prince",
    "princess",
    "major",
    "colonel",
    "lieutenant",
    "admiral",
    "commander",
    "head",
    "leader",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "envoy",
    "governor",
    "mayor",
    "judge",
    "former",
    "acting",
    "senior",
    "top",
    "correspondent",
    "analyst",
    "official",
    "officials",
    "staff",
    "armed",
    "forces",
    "military",
    "lawmaker",
    "chargé",
    "premier",
    "first",
    "lady's",
];

const NATIONS: &[&str] = &[
    "us",
    "u.s.",
    "u.s",
    "uk",
    "u.k.",
    "u.k",
    "eu",
    "un",
    "american",
    "british",
    "french",
    "german",
    "dutch",
    "czech",
    "polish",
    "danish",
    "finnish",
    "spanish",
    "swedish",
    "turkish",
    "irish",
    "greek",
    "swiss",
    "israeli",
    "iraqi",
    "kuwaiti",
    "slovak",
    "western",
    "eastern",
    "northern",
    "southern",
    "soviet",
    "european",
    "chinese",
    "japanese",
    "lebanese",
    "portuguese",
    "baltic",
    "nordic",
    "allied",
    "pro-russian",
    "russia-backed",
    "kremlin-friendly",
];

/// Words that, at the start of a sentence, are capitalised only for that.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "as",
    "but",
    "and",
    "or",
    "if",
    "when",
    "while",
    "after",
    "before",
    "asked",
    "speaking",
    "addressing",
    "meanwhile",
    "however",
    "earlier",
    "later",
    "instead",
    "also",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "its",
    "some",
    "many",
    "several",
    "both",
    "six",
    "four",
    "two",
    "three",
    "five",
    "according",
    "since",
    "with",
    "without",
    "during",
    "for",
    "from",
    "to",
    "by",
    "of",
    "amid",
    "despite",
    "under",
    "over",
    "after",
    "here",
    "there",
    "what",
    "why",
    "how",
    "who",
    "welcome",
    "photos",
    "read",
    "click",
    "take",
    "have",
    "more",
    "than",
    "unlike",
    "like",
    "then",
    "yet",
    "so",
    "no",
    "not",
    "all",
    "any",
    "each",
    "every",
    "other",
    "another",
    "such",
    "only",
    "even",
    "still",
    "now",
    "today",
    "tonight",
    "last",
    "next",
    "new",
];

/// The same in the other languages news is often imported from (German,
/// where every noun is capitalised, French, Spanish, Italian, Dutch,
/// Portuguese): articles, prepositions, pronouns and sentence adverbs.
/// A name that starts with one (`Le Pen`, `Van Dyke`) loses it only at
/// the start of a sentence, where it is then too short to be proposed.
const OPENERS_ELSEWHERE: &[&str] = &[
    // German
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einer",
    "einem",
    "einen",
    "mit",
    "seit",
    "nach",
    "zum",
    "zur",
    "bei",
    "beim",
    "im",
    "am",
    "vom",
    "auf",
    "aus",
    "für",
    "über",
    "unter",
    "von",
    "zu",
    "wie",
    "laut",
    "auch",
    "nur",
    "noch",
    "weitere",
    "weiterer",
    "viele",
    "alle",
    "diese",
    "dieser",
    "dieses",
    "es",
    "er",
    "sie",
    "wir",
    "ich",
    "man",
    "wenn",
    "als",
    "dass",
    "doch",
    "aber",
    "und",
    "oder",
    "so",
    "dort",
    "hier",
    "heute",
    "gestern",
    "morgen",
    "bisher",
    "zudem",
    "außerdem",
    "demnach",
    "damit",
    "dabei",
    "darin",
    "davor",
    "danach",
    "trotz",
    "wegen",
    "gegen",
    "ohne",
    "vor",
    "neben",
    "zwischen",
    "um",
    "bis",
    "durch",
    // French
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "au",
    "aux",
    "dans",
    "pour",
    "par",
    "sur",
    "avec",
    "selon",
    "depuis",
    "après",
    "avant",
    "il",
    "elle",
    "ils",
    "elles",
    "nous",
    "on",
    "ce",
    "cette",
    "ces",
    "mais",
    "et",
    "ou",
    // Spanish, Italian, Portuguese
    "el",
    "los",
    "las",
    "una",
    "unos",
    "unas",
    "en",
    "con",
    "según",
    "desde",
    "tras",
    "para",
    "por",
    "lo",
    "gli",
    "uno",
    "nel",
    "nella",
    "della",
    "dello",
    "secondo",
    "dopo",
    "os",
    "as",
    "uma",
    "segundo",
    "após",
    // Dutch
    "het",
    "een",
    "volgens",
    "na",
    "bij",
    "met",
    "voor",
    "uit",
];

/// Last words that make a name a place, not an actor.
const PLACES: &[&str] = &[
    "sea",
    "ocean",
    "peninsula",
    "region",
    "oblast",
    "river",
    "island",
    "islands",
    "mountains",
    "europe",
    "asia",
    "africa",
    "america",
    "street",
    "square",
    "airport",
    "airbase",
    "base",
    "village",
    "city",
    "province",
    "district",
    "hemisphere",
    "flank",
    "coast",
    "bay",
    "gulf",
    "valley",
    "york",
    "olympics",
    "games",
    "war",
    "ii",
    "region's",
];

/// Words that make a run of capitalised words an organisation's name, and
/// let `of`, `for`, `and` stand inside it.
const ORGANISATION: &[&str] = &[
    "organization",
    "organisation",
    "council",
    "department",
    "ministry",
    "party",
    "union",
    "agency",
    "command",
    "republic",
    "treaty",
    "bank",
    "fund",
    "commission",
    "court",
    "assembly",
    "committee",
    "office",
    "service",
    "association",
    "alliance",
    "strategy",
    "parliament",
    "duma",
    "institute",
    "nations",
    "navy",
    "army",
    "guard",
    "front",
];

const CONNECTORS: &[&str] = &[
    "of", "for", "and", "the", "de", "von", "van", "bin", "al", "in", "on",
];

fn is_in(list: &[&str], word: &str) -> bool {
    let w = word.to_lowercase();
    list.contains(&w.as_str())
}

fn nationality(word: &str) -> bool {
    let w = word.to_lowercase();
    is_in(NATIONS, &w)
        || ["ian", "ean", "ese"]
            .iter()
            .any(|s| w.len() > 4 && w.ends_with(s))
}

/// A word of the text and whether a sentence starts with it.
struct Word<'a> {
    text: &'a str,
    sentence_start: bool,
    /// Punctuation right after it (a comma, a full stop) ends a name.
    breaks_after: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word> = Vec::new();
    let mut start_next = true;
    for raw in text.split_whitespace() {
        let Some(start) = raw.find(|c: char| c.is_alphanumeric()) else {
            // Punctuation standing alone (a dash) ends a name.
            if let Some(last) = out.last_mut() {
                last.breaks_after = true;
            }
            continue;
        };
        let end = raw
            .char_indices()
            .filter(|(_, c)| c.is_alphanumeric())
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .unwrap_or(raw.len());
        let (leading, mut core, trailing) = (&raw[..start], &raw[start..end], &raw[end..]);
        let mut possessive = false;
        for suffix in ["'s", "’s"] {
            if let Some(stem) = core.strip_suffix(suffix) {
                core = stem;
                possessive = true;
            }
        }
        if !leading.is_empty() {
            if let Some(last) = out.last_mut() {
                last.breaks_after = true;
            }
        }
        let abbreviation = core.contains('.')
            || (core.chars().count() == 1 && core.chars().all(char::is_uppercase))
            || [
                "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Mt", "Gen", "Col", "Lt", "Sen", "Rep",
                "Gov", "Prof",
            ]
            .contains(&core);
        let ends = trailing.contains(['.', '!', '?']) && !abbreviation;
        out.push(Word {
            text: core,
            sentence_start: start_next || leading.contains(['“', '"', '‘']),
            breaks_after: !(trailing.is_empty() || abbreviation && trailing == ".") || possessive,
        });
        start_next = ends || trailing.contains(':');
    }
    out
}

fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_uppercase())
        && word.chars().count() >= 2
        && !word.chars().any(|c| c.is_ascii_digit())
}

/// Capitalised names of two words or more that the registry does not know,
/// with how often each occurs: most frequent first, then in order of first
/// occurrence; at most `limit`.
pub fn unknown_names(text: &str, index: &ActorIndex, limit: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let masked = index.mask(text);
    for line in masked.lines() {
        let line = line.trim();
        if !super::rules::prose_like(line) && line.split_whitespace().count() < 8 {
            continue; // headlines capitalise what they like
        }
        let ws = words(line);
        let mut i = 0;
        while i < ws.len() {
            if !capitalised(ws[i].text) {
                i += 1;
                continue;
            }
            // A run of capitalised words, connectors allowed inside.
            let mut run = vec![i];
            let mut j = i;
            while !ws[j].breaks_after && j + 1 < ws.len() {
                let next = &ws[j + 1];
                let initial = next.text.chars().count() == 1
                    && next.text.chars().all(char::is_uppercase)
                    && ws.get(j + 2).is_some_and(|w| capitalised(w.text));
                if capitalised(next.text) || initial {
                    run.push(j + 1);
                    j += 1;
                } else if is_in(CONNECTORS, next.text)
                    && !next.breaks_after
                    && j + 2 < ws.len()
                    && capitalised(ws[j + 2].text)
                {
                    run.push(j + 1);
                    run.push(j + 2);
                    j += 2;
                } else {
                    break;
                }
            }
            for name in names_of_run(&ws, &run) {
                if name.split(' ').count() >= 2 && !index.knows(&name) {
                    let n = counts.len();
                    counts.entry(name).or_insert((0, n)).0 += 1;
                }
            }
            i = j + 1;
        }
    }
    let mut list: Vec<(String, (usize, usize))> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    list.into_iter()
        .take(limit)
        .map(|(name, (n, _))| (name, n))
        .collect()
}

/// The names in a run of capitalised words: split where a connector joins
/// words of no organisation, stripped of roles, nationalities and dates.
fn names_of_run(ws: &[Word], run: &[usize]) -> Vec<String> {
    let organisation = run.iter().any(|&k| is_in(ORGANISATION, ws[k].text));
    let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
    for &k in run {
        let w = ws[k].text;
        let split = (!organisation && is_in(CONNECTORS, w)) || super::meta::calendar_word(w);
        if split {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(k);
        }
    }
    let mut names = Vec::new();
    for part in parts {
        let mut part: &[usize] = &part;
        // Openers, roles and nationalities in front.
        while let Some((&k, rest)) = part.split_first() {
            let w = ws[k].text;
            let opener = ws[k].sentence_start
                && (is_in(OPENERS, w)
                    || is_in(OPENERS_ELSEWHERE, w)
                    || w.ends_with("ing")
                    || w.ends_with("ly"));
            let lead = is_in(CONNECTORS, w);
            if opener || lead || (!organisation && (is_in(ROLES, w) || nationality(w))) {
                part = rest;
            } else {
                break;
            }
        }
        while let Some((&k, rest)) = part.split_last() {
            if is_in(CONNECTORS, ws[k].text) {
                part = rest;
            } else {
                break;
            }
        }
        if part.len() < 2 || part.len() > 8 {
            continue;
        }
        let text: Vec<&str> = part.iter().map(|&k| ws[k].text).collect();
        let last = text[text.len() - 1];
        if !organisation && is_in(PLACES, last) {
            continue;
        }
        if text
            .iter()
            .all(|w| is_in(ROLES, w) || is_in(ORGANISATION, w) || nationality(w))
        {
            continue;
        }
        names.push(text.join(" "));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ActorIndex {
        let yaml = "lavrov:\n  name: Sergey Lavrov\n  aliases: [Lavrov, Sergei Lavrov]\nusa:\n  name: United States\n  aliases: [US, Washington]\nnato:\n  name: NATO\n";
        ActorIndex::new(&serde_yaml::from_str(yaml).unwrap())
    }

    #[test]
    fn actors_are_found_by_any_name_as_whole_words() {
        let found =
            index().find("Lavrov told us that NATO and Washington’s envoys met. The USSR fell.");
        let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["lavrov", "nato", "usa"]);
        assert_eq!(found[2].written, "Washington");
        // "us" is not "US"; "USSR" is not "US".
        assert!(index().find("He told us about the USSR.").is_empty());
        // An id of four letters or fewer matches only in capitals.
        let yaml = "who:\n  name: World Health Organization\n";
        let who = ActorIndex::new(&serde_yaml::from_str(yaml).unwrap());
        assert!(who.find("The man who heads the agency spoke.").is_empty());
        assert_eq!(who.find("WHO officials spoke.")[0].id, "who");
    }

    #[test]
    fn unknown_names_skip_roles_openers_places_and_known_actors() {
        let text = "Speaking on Tuesday, Deputy Foreign Minister Jane Roe said the Baltic Sea drills worried the Organisation for Security and Cooperation in Europe. Russian Foreign Minister Sergey Lavrov disagreed with Jane Roe on Wednesday, and so did John Q Public.\n";
        let got = unknown_names(text, &index(), 10);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Jane Roe",
                "Organisation for Security and Cooperation in Europe",
                "John Q Public"
            ]
        );
        assert_eq!(got[0].1, 2);
        // German capitalises every noun: a sentence's first words are no name.
        let german = "Mit Informationen der Agenturen berichtet Anna Berg aus Berlin über den Fall. Nach Angaben der Polizei wurde niemand verletzt, sagte Anna Berg am Abend.\n";
        let got = unknown_names(german, &index(), 10);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Anna Berg"]);
    }

    #[test]
    fn a_hundred_thousand_mentions_are_found_without_comparing_each_to_all() {
        // Each mention was checked against every one found before it.
        let text = "NATO met Lavrov. ".repeat(100_000);
        let index = index();
        let spans = index.spans(&text);
        assert_eq!(spans.len(), 200_000);
        assert_eq!(spans[0], (0, 4, "nato"));
        assert_eq!(spans[1], (9, 15, "lavrov"));
    }
}

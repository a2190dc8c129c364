//! Resolving names (ids, names, aliases) through a registry, and suggesting
//! the nearest known names when one does not resolve.

use std::collections::HashMap;

/// Lookup of registry items by id, name or alias, ignoring case, repeated
/// white space and the kind of apostrophe.
#[derive(Debug, Default, Clone)]
pub struct NameIndex {
    by_key: HashMap<String, usize>,
    /// Every name as written, for suggestions.
    names: Vec<String>,
}

/// A name claimed by two items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub name: String,
    pub first: usize,
    pub second: usize,
}

impl NameIndex {
    /// Adds `name` for item `item`; returns a clash if another item has it.
    pub fn insert(&mut self, name: &str, item: usize) -> Option<Clash> {
        let key = key(name);
        if key.is_empty() {
            return None;
        }
        match self.by_key.get(&key) {
            Some(&other) if other != item => Some(Clash {
                name: name.to_string(),
                first: other,
                second: item,
            }),
            Some(_) => None,
            None => {
                self.by_key.insert(key, item);
                self.names.push(name.to_string());
                None
            }
        }
    }

    /// The item `name` refers to.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.by_key.get(&key(name)).copied()
    }

    /// Up to `n` known names closest to `name`, one for each item: the
    /// closest of its names (three names of one actor would be one answer).
    pub fn suggest(&self, name: &str, n: usize) -> Vec<String> {
        let all = nearest(
            name,
            self.names.iter().map(String::as_str),
            self.names.len(),
        );
        let mut items = Vec::new();
        all.into_iter()
            .filter(|candidate| {
                let item = self.get(candidate);
                let new = !items.contains(&item);
                items.push(item);
                new
            })
            .take(n)
            .collect()
    }
}

/// The comparison form of a name.
pub fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2019}', '\u{2018}', '`'], "'")
        .to_lowercase()
}

/// Up to `n` of `candidates` most similar to `name`, best first; only those
/// similar enough to be a plausible typo or variant.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>, n: usize) -> Vec<String> {
    let wanted = key(name);
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (similarity(&wanted, &key(c)), c))
        .filter(|(score, _)| *score >= NEAR)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| key(o) == key(c)) {
            out.push(c.to_string());
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// The least [`similarity`] worth suggesting.
const NEAR: f64 = 0.85;

/// How alike two names (in [`key`] form) are, from 0 to 1: a typo of the
/// whole name ("Lavorv", "lavrov"), a typo of one of its words when the other
/// is a single word ("Blinkin", "Antony Blinken"), or the whole of one name as
/// words of the other ("Lavrov", "Sergey Lavrov"). Letters shared by chance
/// ("US" inside "Yavous") or a common first letter ("Mohamed", "modi") are
/// not enough.
fn similarity(wanted: &str, candidate: &str) -> f64 {
    if wanted.is_empty() || candidate.is_empty() {
        return 0.0;
    }
    let mut score = typo(wanted, candidate);
    let a: Vec<&str> = wanted.split(' ').collect();
    let b: Vec<&str> = candidate.split(' ').collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.windows(short.len()).any(|w| w == short.as_slice()) {
        score = score.max(NEAR);
    }
    if short.len() == 1 && long.len() > 1 {
        // A little below the whole name alike, which comes first.
        for word in long.iter() {
            score = score.max(typo(short[0], word) - 0.02);
        }
    }
    score
}

/// Jaro-Winkler similarity, which favours a shared beginning, counted only
/// when most of the letters are also in place (edit distance).
fn typo(a: &str, b: &str) -> f64 {
    if a.chars().count().min(b.chars().count()) < 3
        || strsim::normalized_damerau_levenshtein(a, b) < 0.6
    {
        return 0.0;
    }
    strsim::jaro_winkler(a, b)
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
pub fn or_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex {
        let mut index = NameIndex::default();
        for (name, item) in [
            ("lavrov", 0),
            ("Sergey Lavrov", 0),
            ("Sergei Lavrov", 0),
            ("zelenskyy", 1),
            ("Zelenskiy", 1),
        ] {
            assert_eq!(index.insert(name, item), None);
        }
        index
    }

    #[test]
    fn resolves_ids_and_aliases_ignoring_case_and_spacing() {
        let index = index();
        assert_eq!(index.get("LAVROV"), Some(0));
        assert_eq!(index.get("sergei  lavrov"), Some(0));
        assert_eq!(index.get("zelenskiy"), Some(1));
        assert_eq!(index.get("Putin"), None);
    }

    #[test]
    fn an_alias_of_two_items_clashes() {
        let mut index = index();
        let clash = index.insert("Lavrov", 2).unwrap();
        assert_eq!((clash.first, clash.second), (0, 2));
    }

    #[test]
    fn suggests_near_names_only() {
        let index = index();
        assert_eq!(index.suggest("Lavrv", 1), vec!["lavrov".to_string()]);
        let zelensky = index.suggest("Zelensky", 2);
        assert!(
            zelensky == ["zelenskyy"] || zelensky == ["Zelenskiy"],
            "one name of the one item: {zelensky:?}"
        );
        assert!(index.suggest("Stoltenberg", 3).is_empty());
    }

    #[test]
    fn suggests_typos_and_parts_but_not_chance_resemblances() {
        let known = [
            "US",
            "modi",
            "Mostafa Edo",
            "lavrov",
            "Sergey Lavrov",
            "Antony Blinken",
            "blinken",
            "Zelensky",
            "erdogan",
        ];
        let near = |name: &str| nearest(name, known.iter().copied(), 3);
        assert_eq!(near("Mohamed Fatih Yavous"), Vec::<String>::new());
        assert_eq!(near("Lavorv")[0], "lavrov");
        assert_eq!(near("Blinkin")[0], "blinken");
        assert!(near("Blinkin").contains(&"Antony Blinken".to_string()));
        assert_eq!(near("Zelenksy"), vec!["Zelensky".to_string()]);
        assert_eq!(near("Lavrov")[0], "lavrov".to_string());
        assert!(near("Lavrov").contains(&"Sergey Lavrov".to_string()));
        assert_eq!(near("Erdogan Recep")[0], "erdogan");
        assert!(near("Putin").is_empty());
        assert!(near("USA").contains(&"US".to_string()) || near("USA").is_empty());
    }

    #[test]
    fn lists_read_naturally() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(or_list(&names(&["a"])), "`a`");
        assert_eq!(or_list(&names(&["a", "b", "c"])), "`a`, `b` or `c`");
    }

    #[test]
    fn suggestions_name_each_item_once() {
        let mut index = NameIndex::default();
        for (name, item) in [
            ("lavrov", 0),
            ("Sergei Lavrov", 0),
            ("Mr Lavrov", 0),
            ("lavrentiy", 1),
        ] {
            index.insert(name, item);
        }
        let shown = index.suggest("Lavrv", 3);
        assert_eq!(
            shown.first().map(String::as_str),
            Some("lavrov"),
            "{shown:?}"
        );
        assert!(
            !shown
                .iter()
                .any(|s| s.contains("Sergei") || s.contains("Mr ")),
            "{shown:?}"
        );
    }
}

//! The house style of names: a chronicle spells each actor one way. The
//! registries list other spellings as aliases (so that "Zelensky" in an
//! annotation still finds Volodymyr Zelenskyy), and the editors' own words
//! (headlines, summaries) should use the registry's.

use std::collections::HashMap;

use super::{Actor, ActorKind};

/// A word that is another spelling of a word of an actor's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    /// The word as the registry's name spells it (`Zelenskyy`).
    pub right: String,
    /// The actor's name (`Volodymyr Zelenskyy`).
    pub name: String,
}

/// Variant spellings, by the variant in lower case.
#[derive(Debug, Default, Clone)]
pub struct Spellings(HashMap<String, Spelling>);

/// The shortest word checked: shorter ones ("Mr", "US") are abbreviations,
/// not spellings.
const MIN_LETTERS: usize = 4;

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_LETTERS)
}

impl Spellings {
    /// The variants the actors' aliases hold: an alias word that is not a
    /// word of the name but within two edits of one (`Sergei` of `Sergey
    /// Lavrov`, `Zelensky` of `Volodymyr Zelenskyy`), for people only. A word
    /// that is part of any actor's name is never a variant.
    pub fn of(actors: &[Actor]) -> Spellings {
        let name_words: std::collections::HashSet<String> = actors
            .iter()
            .flat_map(|a| words(&a.name).map(str::to_lowercase).collect::<Vec<_>>())
            .collect();
        let mut found = HashMap::new();
        // People's names are what spellings vary in; a state's aliases hold
        // its adjective ("German" of Germany), which is no misspelling.
        for actor in actors.iter().filter(|a| a.kind == ActorKind::Person) {
            let own: Vec<&str> = words(&actor.name).collect();
            for alias in &actor.aliases {
                for word in words(alias) {
                    let lower = word.to_lowercase();
                    if name_words.contains(&lower) {
                        continue;
                    }
                    let close = own.iter().find(|right| {
                        let distance = strsim::damerau_levenshtein(&lower, &right.to_lowercase());
                        (1..=2).contains(&distance)
                    });
                    if let Some(right) = close {
                        found.entry(lower).or_insert_with(|| Spelling {
                            right: right.to_string(),
                            name: actor.name.clone(),
                        });
                    }
                }
            }
        }
        Spellings(found)
    }

    /// The variant spellings in `text`, each once, in order, with the
    /// registry's spelling.
    pub fn in_text<'a>(&'a self, text: &'a str) -> Vec<(&'a str, &'a Spelling)> {
        let mut out: Vec<(&str, &Spelling)> = Vec::new();
        for word in words(text) {
            if let Some(spelling) = self.0.get(&word.to_lowercase()) {
                if !out.iter().any(|(w, _)| *w == word) {
                    out.push((word, spelling));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str, aliases: &[&str]) -> Actor {
        Actor {
            id: name.to_lowercase(),
            slug: name.to_lowercase(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            kind: ActorKind::Person,
            role: None,
            affiliation: None,
            description: String::new(),
            entries: Vec::new(),
            quotes: Vec::new(),
        }
    }

    #[test]
    fn alias_words_near_a_name_word_are_other_spellings() {
        let actors = [
            actor(
                "Volodymyr Zelenskyy",
                &["Zelensky", "Zelenskiy", "President Zelenskyy"],
            ),
            actor("Sergey Lavrov", &["Sergei Lavrov", "Lavrov", "Mr Lavrov"]),
            actor("Vladimir Putin", &["Putin", "President Putin"]),
            actor("Sergey Shoigu", &["Shoigu"]),
            Actor {
                kind: ActorKind::State,
                ..actor("Germany", &["German government"])
            },
        ];
        let spellings = Spellings::of(&actors);
        let found =
            spellings.in_text("Zelensky meets Sergei Lavrov; zelenskiy again, and Zelensky.");
        let pairs: Vec<(&str, &str)> = found.iter().map(|(w, s)| (*w, s.right.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("Zelensky", "Zelenskyy"),
                ("Sergei", "Sergey"),
                ("zelenskiy", "Zelenskyy")
            ]
        );
        assert_eq!(found[0].1.name, "Volodymyr Zelenskyy");
        // Short forms, titles and the right spellings are no variants.
        assert!(spellings
            .in_text(
                "President Putin, Mr Lavrov and Sergey Shoigu met Zelenskyy and German envoys."
            )
            .is_empty());
    }
}

//! Slugs for URLs and anchors, and ids derived for entries that have none.

use chrono::NaiveDate;

/// A URL- and anchor-safe form of `text`: lowercase ASCII letters, digits
/// and single hyphens, transliterated from any script. Empty when `text`
/// has no letters or digits.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// How many words of a headline a derived id keeps.
const ID_WORDS: usize = 8;

/// The id of an entry that has none: its date and the first words of its
/// headline (`2022-01-26-us-delivers-written-reply-to-russia`). Stable as
/// long as the date and the headline's first words stay.
pub fn derive_entry_id(date: NaiveDate, headline: &str) -> String {
    let words: Vec<String> = slugify(headline)
        .split('-')
        .filter(|w| !w.is_empty())
        .take(ID_WORDS)
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        date.to_string()
    } else {
        format!("{date}-{}", words.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_in_paths() {
        assert_eq!(slugify("Sergey Lavrov"), "sergey-lavrov");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Зеленський"), "zelens-kii");
        assert_eq!(slugify("a\0b/c"), "a-b-c");
        assert_eq!(slugify("?!..."), "");
    }

    #[test]
    fn derived_ids_use_date_and_headline() {
        let date = NaiveDate::from_ymd_opt(2022, 1, 26).unwrap();
        assert_eq!(
            derive_entry_id(
                date,
                "US delivers written reply to Russia's security demands, officials say"
            ),
            "2022-01-26-us-delivers-written-reply-to-russia-s-security"
        );
        assert_eq!(derive_entry_id(date, "!!!"), "2022-01-26");
    }
}

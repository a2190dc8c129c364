//! Slugs for URLs and anchors, and ids derived for entries that have none.

use chrono::NaiveDate;

/// A URL- and anchor-safe form of `text`: lowercase ASCII letters, digits
/// and single hyphens, transliterated from any script. Empty when `text`
/// has no letters or digits.
///
/// A slug longer than [`MAX_SLUG`] bytes is cut there and ends with a hash
/// of the whole, so that two long names stay apart and every file name made
/// of a slug fits the 255 bytes file systems allow.
pub fn slugify(text: &str) -> String {
    fit_slug(slug::slugify(text))
}

/// The longest slug, in bytes: room to spare for the suffixes a page's file
/// name may add (`-2`, `.xml`).
pub const MAX_SLUG: usize = 150;

fn fit_slug(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(slug.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    // Slugs are ASCII, so any byte index is a character boundary.
    let kept = slug[..MAX_SLUG - hash.len() - 1].trim_end_matches('-');
    format!("{kept}-{hash}")
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
    fn long_slugs_are_cut_with_a_hash_that_keeps_them_apart() {
        let short = "щ".repeat(30);
        assert_eq!(slugify(&short), "shch".repeat(30));
        let long = "щ".repeat(126);
        let other = format!("{}ы", "щ".repeat(125));
        let (a, b) = (slugify(&long), slugify(&other));
        assert!(a.len() <= MAX_SLUG && b.len() <= MAX_SLUG, "{a}");
        assert!(a.starts_with("shchshch"));
        assert_ne!(a, b, "the hash tells them apart");
        assert_eq!(a, slugify(&long), "and is stable");
        let han = "漢".repeat(83);
        assert!(slugify(&han).len() <= MAX_SLUG);
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

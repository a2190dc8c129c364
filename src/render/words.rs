//! The words pages show that chronicle writes rather than a template: page
//! titles of the indexes, headings, labels and dates. They come from the
//! theme's `theme.toml` (its `[words]` and `[dates]` tables), so that a site
//! in another language is made by changing the theme, not chronicle. What a
//! theme leaves out is English.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{ActorKind, ClaimStatus};

/// The theme's words; see docs/reference.md, "Words of a theme".
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Words {
    pub days: String,
    pub threads: String,
    pub actors: String,
    pub topics: String,
    pub sources: String,
    pub search: String,
    pub page_not_found: String,
    /// The outlet of articles that name none.
    pub unknown_outlet: String,
    /// A later page of a list: `{name}`, `{page}`, `{pages}`.
    pub page_of: String,
    /// Headings of the actors index, by kind.
    pub people: String,
    pub states: String,
    pub organisations: String,
    pub groups: String,
    pub others: String,
    /// Feed subtitles: `{title}`; `{name}`; `{name}` and `{role}`.
    pub thread_feed: String,
    pub actor_feed: String,
    pub actor_feed_with_role: String,
    /// A claim's status in words, for each of the six.
    pub status_claimed: String,
    pub status_disputed: String,
    pub status_denied: String,
    pub status_confirmed: String,
    pub status_refuted: String,
    pub status_retracted: String,
    /// An entry reported on a later day than it happened: `{date}`, `{outlet}`.
    pub reported: String,
    /// The corrections page's title, and its feeds' subtitle (`{title}`).
    pub corrections: String,
    pub corrections_feed: String,
    /// The link from a `timeline.json` event to its entry's card.
    pub in_the_chronicle: String,
    /// How dates are written (theme.toml's `[dates]`).
    #[serde(skip)]
    pub dates: DateWords,
}

/// How dates are written: patterns with `{weekday}`, `{day}`, `{month}`,
/// `{year}`, and the names they use.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DateWords {
    /// A day's full name ("Wednesday 26 January 2022").
    pub long: String,
    /// A date in lists ("26 January 2022").
    pub short: String,
    /// A month's heading ("January 2022").
    pub month: String,
    /// January first.
    pub months: Vec<String>,
    /// Monday first.
    pub weekdays: Vec<String>,
}

impl Default for Words {
    fn default() -> Self {
        let s = |text: &str| text.to_string();
        Words {
            days: s("Days"),
            threads: s("Threads"),
            actors: s("Actors"),
            topics: s("Topics"),
            sources: s("Sources"),
            search: s("Search"),
            page_not_found: s("Page not found"),
            unknown_outlet: s("Unknown outlet"),
            page_of: s("{name} (page {page} of {pages})"),
            people: s("People"),
            states: s("States"),
            organisations: s("Organisations"),
            groups: s("Groups"),
            others: s("Others"),
            thread_feed: s("Entries of the thread “{title}”"),
            actor_feed: s("Entries involving {name}"),
            actor_feed_with_role: s("Entries involving {name} ({role})"),
            status_claimed: s("Claimed"),
            status_disputed: s("Disputed"),
            status_denied: s("Denied"),
            status_confirmed: s("Confirmed"),
            status_refuted: s("Refuted"),
            status_retracted: s("Retracted"),
            reported: s("reported {date} by {outlet}"),
            corrections: s("Corrections"),
            corrections_feed: s("Corrections to {title}"),
            in_the_chronicle: s("In the chronicle"),
            dates: DateWords::default(),
        }
    }
}

impl Default for DateWords {
    fn default() -> Self {
        let names = |all: &str| all.split(' ').map(String::from).collect();
        DateWords {
            long: "{weekday} {day} {month} {year}".into(),
            short: "{day} {month} {year}".into(),
            month: "{month} {year}".into(),
            months: names(
                "January February March April May June July August September October November December",
            ),
            weekdays: names("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
        }
    }
}

/// The file of a theme that holds its words.
pub const THEME_FILE: &str = "theme.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    words: Words,
    #[serde(default)]
    dates: DateWords,
}

impl Words {
    /// Reads the words of the theme in `theme_dir` (English where it says
    /// nothing, or has no theme.toml); `display` names the file in messages.
    pub fn load(theme_dir: &Path, display: &Path) -> Result<Words, Box<Diagnostic>> {
        let Ok(text) = std::fs::read_to_string(theme_dir.join(THEME_FILE)) else {
            return Ok(Words::default());
        };
        // toml's own message names the line and column and shows the line.
        let invalid = |e: toml::de::Error| {
            Box::new(
                Diagnostic::error(Code::InvalidConfig, e.to_string().trim_end().to_string())
                    .in_file(display)
                    .with_hint("theme.toml takes a [words] and a [dates] table; docs/reference.md lists their keys"),
            )
        };
        let raw: ThemeFile = toml::from_str(&text).map_err(invalid)?;
        let words = Words {
            dates: raw.dates,
            ..raw.words
        };
        if words.dates.months.len() != 12 || words.dates.weekdays.len() != 7 {
            return Err(Box::new(
                Diagnostic::error(
                    Code::InvalidConfig,
                    "[dates] needs 12 `months` (January first) and 7 `weekdays` (Monday first)",
                )
                .in_file(display),
            ));
        }
        Ok(words)
    }

    /// `pattern` with its `{weekday}`, `{day}`, `{month}` and `{year}`
    /// filled in; in one pass, as every entry on every page has a label.
    fn fill(&self, pattern: &str, date: NaiveDate) -> String {
        use std::fmt::Write;
        let dates = &self.dates;
        let mut out = String::with_capacity(pattern.len() + 16);
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open..];
            let Some(close) = after.find('}') else {
                rest = after;
                break;
            };
            match &after[1..close] {
                "weekday" => {
                    out.push_str(&dates.weekdays[date.weekday().num_days_from_monday() as usize])
                }
                "day" => {
                    let _ = write!(out, "{}", date.day());
                }
                "month" => out.push_str(&dates.months[date.month0() as usize]),
                "year" => {
                    let _ = write!(out, "{}", date.year());
                }
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// "Wednesday 26 January 2022".
    pub fn date_label(&self, date: NaiveDate) -> String {
        self.fill(&self.dates.long, date)
    }

    /// "26 January 2022".
    pub fn short_date_label(&self, date: NaiveDate) -> String {
        self.fill(&self.dates.short, date)
    }

    /// "January 2022".
    pub fn month_label(&self, date: NaiveDate) -> String {
        self.fill(&self.dates.month, date)
    }

    /// A page title with its page number, from the second page on.
    pub fn page_title(&self, name: &str, page: usize, pages: usize) -> String {
        if page <= 1 {
            name.to_string()
        } else {
            self.page_of
                .replace("{name}", name)
                .replace("{page}", &page.to_string())
                .replace("{pages}", &pages.to_string())
        }
    }

    /// A claim's status in words ("Disputed").
    pub fn status_label(&self, status: ClaimStatus) -> &str {
        match status {
            ClaimStatus::Claimed => &self.status_claimed,
            ClaimStatus::Disputed => &self.status_disputed,
            ClaimStatus::Denied => &self.status_denied,
            ClaimStatus::Confirmed => &self.status_confirmed,
            ClaimStatus::Refuted => &self.status_refuted,
            ClaimStatus::Retracted => &self.status_retracted,
        }
    }

    /// "reported 27 January 2022 by AP".
    pub fn reported_label(&self, date: NaiveDate, outlet: &str) -> String {
        self.reported
            .replace("{date}", &self.short_date_label(date))
            .replace("{outlet}", outlet)
    }

    /// The heading for actors of a kind on the actors index.
    pub fn kind_label(&self, kind: ActorKind) -> &str {
        match kind {
            ActorKind::Person => &self.people,
            ActorKind::State => &self.states,
            ActorKind::Organisation => &self.organisations,
            ActorKind::Group => &self.groups,
            ActorKind::Other => &self.others,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_unless_the_theme_says_otherwise() {
        let words = Words::default();
        let day = NaiveDate::from_ymd_opt(2022, 1, 26).unwrap();
        assert_eq!(
            words.date_label(day),
            day.format("%A %-d %B %Y").to_string()
        );
        assert_eq!(words.short_date_label(day), "26 January 2022");
        assert_eq!(words.month_label(day), "January 2022");
        assert_eq!(words.page_title("Talks", 2, 5), "Talks (page 2 of 5)");
        assert_eq!(words.page_title("Talks", 1, 5), "Talks");
        let odd = Words {
            dates: DateWords {
                long: "{year}: {nope} {day} of{".into(),
                ..DateWords::default()
            },
            ..Words::default()
        };
        assert_eq!(odd.date_label(day), "2022: {nope} 26 of{");

        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join(THEME_FILE),
            "[words]\ndays = \"Jours\"\npage_of = \"{name}, page {page}/{pages}\"\n\
             [dates]\nlong = \"{weekday} {day} {month} {year}\"\n\
             months = [\"janvier\", \"février\", \"mars\", \"avril\", \"mai\", \"juin\", \"juillet\", \"août\", \"septembre\", \"octobre\", \"novembre\", \"décembre\"]\n\
             weekdays = [\"lundi\", \"mardi\", \"mercredi\", \"jeudi\", \"vendredi\", \"samedi\", \"dimanche\"]\n",
        )
        .unwrap();
        let french = Words::load(tmp.path(), Path::new("theme.toml")).unwrap();
        assert_eq!(french.days, "Jours");
        assert_eq!(
            french.threads, "Threads",
            "what the theme leaves out is English"
        );
        assert_eq!(french.date_label(day), "mercredi 26 janvier 2022");
        assert_eq!(french.page_title("Talks", 2, 5), "Talks, page 2/5");

        std::fs::write(tmp.path().join(THEME_FILE), "[words]\ndayz = \"x\"\n").unwrap();
        let e = Words::load(tmp.path(), Path::new("theme.toml")).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert!(e.message.contains("line 2"), "{}", e.message);
        assert!(e.message.contains("dayz"), "{}", e.message);
    }
}

//! Dates and times as editors write them, and the day each belongs to.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// When an entry happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A date without a time: the time was not given (or not known).
    DateOnly(NaiveDate),
    /// An instant, with the offset the source gave or implied.
    At {
        instant: DateTime<Utc>,
        /// The offset the time was written in (explicitly or by the article's zone).
        source_offset: FixedOffset,
        /// The zone the source time was read in; `None` for an explicit offset.
        source_zone: Option<Tz>,
    },
}

impl When {
    /// The day this belongs to in `site_tz`: a date-only entry keeps its date.
    pub fn day(&self, site_tz: Tz) -> NaiveDate {
        match self {
            When::DateOnly(date) => *date,
            When::At { instant, .. } => instant.with_timezone(&site_tz).date_naive(),
        }
    }
}

/// An article's publication date, with its time when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The date in the article's zone.
    pub date: NaiveDate,
    pub at: Option<DateTime<FixedOffset>>,
}

impl Published {
    /// RFC 3339 when the time is given, else the date (`2022-01-26`): for
    /// `<time datetime>` and the exports.
    pub fn rfc3339_or_date(&self) -> String {
        match self.at {
            Some(at) => at.to_rfc3339(),
            None => self.date.to_string(),
        }
    }
}

/// The first moment of `date` in `zone`: 00:00, or the first time that
/// exists when a clock change skips midnight.
pub fn start_of_day(date: NaiveDate, zone: Tz) -> DateTime<FixedOffset> {
    let midnight = date.and_time(NaiveTime::MIN);
    // Clock changes skip at most a few hours.
    (0..=24 * 4)
        .map(|quarters| midnight + chrono::Duration::minutes(15 * quarters))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map(|t| t.fixed_offset())
        .unwrap_or_else(|| zone.from_utc_datetime(&midnight).fixed_offset())
}

/// A publication's (or a correction's) instant: its time, or the start of
/// its date in `zone`.
pub fn instant_of(published: &Published, zone: Tz) -> DateTime<FixedOffset> {
    published
        .at
        .unwrap_or_else(|| start_of_day(published.date, zone))
}

/// Why a date or time could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the accepted forms.
    Form,
    /// The right form, but no such date or time (`2022-02-30`, `25:00`).
    Impossible(String),
    /// A local time skipped by a clock change in that zone.
    Skipped { zone: String },
    /// `HH:MM` in an article without a `published` date.
    NoPublishedDate,
}

/// The forms `at` accepts, for messages.
pub const AT_FORMS: &str = "RFC 3339 (\"2022-01-26T18:04:00Z\"), \"YYYY-MM-DD HH:MM\", \"YYYY-MM-DD\" or \"HH:MM\" (on the published date)";
/// The forms `published` accepts, for messages.
pub const PUBLISHED_FORMS: &str =
    "RFC 3339 (\"2022-01-26T18:05:00Z\"), \"YYYY-MM-DD HH:MM\" or \"YYYY-MM-DD\"";

impl DateError {
    pub fn message(&self, text: &str) -> String {
        match self {
            DateError::Form => format!("`{text}` is not a date or time chronicle can read"),
            DateError::Impossible(why) => format!("`{text}`: {why}"),
            DateError::Skipped { zone } => {
                format!("`{text}` does not exist in {zone}: the clocks skipped it")
            }
            DateError::NoPublishedDate => {
                format!("`{text}` is a time of day, but the article has no `published` date to put it on")
            }
        }
    }
}

/// What the digits and separators of `text` look like: `2022-01-26` → `DDDD-DD-DD`.
fn shape(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { 'D' } else { c })
        .collect()
}

fn date(text: &str) -> Result<NaiveDate, DateError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        let month: u32 = text[5..7].parse().unwrap_or(0);
        let why = if !(1..=12).contains(&month) {
            format!("there is no month {month}")
        } else {
            let day: u32 = text[8..10].parse().unwrap_or(0);
            format!("month {month} of {} has no day {day}", &text[..4])
        };
        DateError::Impossible(why)
    })
}

fn time(text: &str) -> Result<NaiveTime, DateError> {
    let format = if text.len() == 5 { "%H:%M" } else { "%H:%M:%S" };
    NaiveTime::parse_from_str(text, format)
        .map_err(|_| DateError::Impossible(format!("{text} is not a time of day (00:00 to 23:59)")))
}

/// A wall-clock time in `zone`; the earlier one when clocks went back.
fn localize(local: NaiveDateTime, zone: Tz) -> Result<DateTime<Tz>, DateError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier),
        LocalResult::None => Err(DateError::Skipped {
            zone: zone.name().to_string(),
        }),
    }
}

fn at_instant(t: DateTime<Tz>, zone: Option<Tz>) -> When {
    When::At {
        instant: t.with_timezone(&Utc),
        source_offset: t.fixed_offset().offset().to_owned(),
        source_zone: zone,
    }
}

/// A date or time as written, before any zone is applied: the forms that
/// `published` and `at` share, read in one place for the build, `chronicle
/// import` and `chronicle new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `YYYY-MM-DD`.
    Date(NaiveDate),
    /// `HH:MM` or `HH:MM:SS`, a time of some day.
    Time(NaiveTime),
    /// `YYYY-MM-DD HH:MM` (or with `T`, or seconds): a wall-clock time in
    /// the article's zone.
    Local(NaiveDateTime),
    /// RFC 3339, with its offset.
    Exact(DateTime<FixedOffset>),
}

/// Reads `text` in one of the [`Written`] forms.
pub fn read(text: &str) -> Result<Written, DateError> {
    let text = text.trim();
    match shape(text).as_str() {
        "DDDD-DD-DD" => date(text).map(Written::Date),
        "DD:DD" | "DD:DD:DD" => time(text).map(Written::Time),
        "DDDD-DD-DD DD:DD" | "DDDD-DD-DDTDD:DD" | "DDDD-DD-DD DD:DD:DD" | "DDDD-DD-DDTDD:DD:DD" => {
            Ok(Written::Local(
                date(&text[..10])?.and_time(time(&text[11..])?),
            ))
        }
        _ => parse_rfc3339(text).map(Written::Exact),
    }
}

/// Reads an entry's `at`: offset-less times are in `zone` (the article's or
/// the site's); `HH:MM` is on `published`.
pub fn parse_at(text: &str, zone: Tz, published: Option<NaiveDate>) -> Result<When, DateError> {
    match read(text)? {
        Written::Date(date) => Ok(When::DateOnly(date)),
        Written::Time(time) => {
            let day = published.ok_or(DateError::NoPublishedDate)?;
            localize(day.and_time(time), zone).map(|t| at_instant(t, Some(zone)))
        }
        Written::Local(local) => localize(local, zone).map(|t| at_instant(t, Some(zone))),
        Written::Exact(t) => Ok(When::At {
            instant: t.with_timezone(&Utc),
            source_offset: *t.offset(),
            source_zone: None,
        }),
    }
}

fn parse_rfc3339(text: &str) -> Result<DateTime<FixedOffset>, DateError> {
    DateTime::parse_from_rfc3339(text).map_err(|_| {
        // Looks like a timestamp with an offset but does not parse: say which part.
        if let (Some(day), Some(clock)) = (text.get(..10), text.get(11..16)) {
            if shape(day) == "DDDD-DD-DD" && shape(clock) == "DD:DD" {
                if let Err(e) = date(day) {
                    return e;
                }
                if let Err(e) = time(clock) {
                    return e;
                }
            }
        }
        DateError::Form
    })
}

/// Reads an article's `published`.
pub fn parse_published(text: &str, zone: Tz) -> Result<Published, DateError> {
    match parse_at(text, zone, None) {
        Ok(When::DateOnly(date)) => Ok(Published { date, at: None }),
        Ok(When::At { instant, .. }) => {
            let local = instant.with_timezone(&zone);
            Ok(Published {
                date: local.date_naive(),
                at: Some(local.fixed_offset()),
            })
        }
        Err(DateError::NoPublishedDate) => Err(DateError::Form),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    const KYIV: Tz = chrono_tz::Europe::Kyiv;

    fn instant(w: When) -> String {
        match w {
            When::At { instant, .. } => instant.to_rfc3339(),
            When::DateOnly(date) => date.to_string(),
        }
    }

    #[test]
    fn every_at_form_is_read() {
        let utc = Tz::UTC;
        let published = Some(d(2022, 1, 26));
        assert_eq!(
            instant(parse_at("2022-01-26T18:04:00Z", utc, None).unwrap()),
            "2022-01-26T18:04:00+00:00"
        );
        assert_eq!(
            instant(parse_at("2022-01-26T20:04:00+02:00", utc, None).unwrap()),
            "2022-01-26T18:04:00+00:00"
        );
        assert_eq!(
            parse_at("2022-01-26", utc, None).unwrap(),
            When::DateOnly(d(2022, 1, 26))
        );
        // Offset-less times are read in the article's zone.
        assert_eq!(
            instant(parse_at("2022-01-26 18:04", KYIV, None).unwrap()),
            "2022-01-26T16:04:00+00:00"
        );
        assert_eq!(
            instant(parse_at("18:04", utc, published).unwrap()),
            "2022-01-26T18:04:00+00:00"
        );
        assert_eq!(
            instant(parse_at("18:04:30", utc, published).unwrap()),
            "2022-01-26T18:04:30+00:00"
        );
    }

    #[test]
    fn an_entry_late_in_utc_is_on_the_next_day_in_kyiv() {
        let late = parse_at("2022-01-26T23:30:00Z", Tz::UTC, None).unwrap();
        assert_eq!(late.day(Tz::UTC), d(2022, 1, 26));
        assert_eq!(late.day(KYIV), d(2022, 1, 27));
        // A date-only entry keeps its date in every zone.
        assert_eq!(When::DateOnly(d(2022, 1, 26)).day(KYIV), d(2022, 1, 26));
    }

    #[test]
    fn impossible_dates_and_times_say_why() {
        assert_eq!(
            parse_at("2022-02-30", Tz::UTC, None),
            Err(DateError::Impossible(
                "month 2 of 2022 has no day 30".into()
            ))
        );
        assert!(
            matches!(parse_at("2022-13-01", Tz::UTC, None), Err(DateError::Impossible(m)) if m.contains("no month 13"))
        );
        assert!(matches!(
            parse_at("25:00", Tz::UTC, Some(d(2022, 1, 1))),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            parse_at("2022-02-30T10:00:00Z", Tz::UTC, None),
            Err(DateError::Impossible(_))
        ));
        assert_eq!(
            parse_at("last Tuesday", Tz::UTC, None),
            Err(DateError::Form)
        );
        assert_eq!(
            parse_at("18:04", Tz::UTC, None),
            Err(DateError::NoPublishedDate)
        );
    }

    #[test]
    fn odd_text_never_panics() {
        for text in [
            "日本語日本語日本語",
            "2022-01-2é",
            "",
            "—",
            "2022-01-26T25:00:00Z",
        ] {
            let _ = parse_at(text, Tz::UTC, None);
        }
    }

    #[test]
    fn a_time_skipped_by_the_clocks_is_refused() {
        // Kyiv moved from 03:00 to 04:00 on 27 March 2022.
        assert!(matches!(
            parse_at("2022-03-27 03:30", KYIV, None),
            Err(DateError::Skipped { .. })
        ));
    }

    #[test]
    fn published_date_is_the_date_in_the_article_zone() {
        let p = parse_published("2022-01-26T23:30:00Z", KYIV).unwrap();
        assert_eq!(p.date, d(2022, 1, 27));
        assert_eq!(parse_published("2022-01-26", KYIV).unwrap().at, None);
        assert_eq!(parse_published("12:00", KYIV), Err(DateError::Form));
    }
}

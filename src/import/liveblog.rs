//! Live-blog time stamps: `51 seconds ago (18:04 GMT)`, `2 hours ago`,
//! `18:04 GMT`, and the times they stand for.

use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use regex::Regex;

/// One update's stamp as the page wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The line, trimmed.
    pub text: String,
    /// How long before the page was saved (`51 seconds ago`).
    pub ago: Option<Duration>,
    /// The clock time given (`18:04`).
    pub clock: Option<NaiveTime>,
    /// Whether the clock is said to be GMT or UTC.
    pub utc: bool,
}

/// Reads a stamp line; `None` when it is not one.
pub fn parse(line: &str) -> Option<Stamp> {
    static STAMP: OnceLock<Regex> = OnceLock::new();
    let re = STAMP.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:(?:updated|posted)\s+)?(?:(?P<n>\d+|an?|one)\s*(?P<unit>s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s+ago(?:\s*\(\s*(?P<c1>\d{1,2}[:.]\d{2})\s*(?P<z1>GMT|UTC)?\s*\))?|(?P<c2>\d{1,2}[:.]\d{2})\s*(?P<z2>GMT|UTC))\s*$",
        )
        .expect("stamp pattern")
    });
    let c = re.captures(line)?;
    // A relative time too long for a date (`99999999999 days ago`) is none.
    let ago = match (c.name("n"), c.name("unit")) {
        (Some(n), Some(unit)) => {
            let n: Option<i64> = match n.as_str().to_ascii_lowercase().as_str() {
                "a" | "an" | "one" => Some(1),
                digits => digits.parse().ok(),
            };
            let unit = unit.as_str().to_ascii_lowercase();
            n.and_then(|n| match unit.chars().next()? {
                's' => Duration::try_seconds(n),
                'm' => Duration::try_minutes(n),
                'h' => Duration::try_hours(n),
                _ => Duration::try_days(n),
            })
        }
        _ => None,
    };
    let clock = c
        .name("c1")
        .or(c.name("c2"))
        .and_then(|m| NaiveTime::parse_from_str(&m.as_str().replace('.', ":"), "%H:%M").ok());
    Some(Stamp {
        text: line.trim().to_string(),
        ago,
        clock,
        utc: c.name("z1").or(c.name("z2")).is_some(),
    })
}

/// When an update happened, as far as its stamp tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub at: NaiveDateTime,
    /// Worked out from a relative time alone (`3 hours ago`): to the minute
    /// at best.
    pub approximate: bool,
}

/// The times of a live blog's updates, in the stamps' clock.
///
/// The first stamp is on `date` (the publication date). Updates run newest
/// first or oldest first, whichever most pairs of neighbours say; a jump
/// of more than twelve hours against that order is a midnight crossed.
/// A stamp with only a relative time is placed before the moment the page
/// was saved, as told by a stamp with both (`51 seconds ago (18:04 GMT)`),
/// or else before `saved`, when the publication time is known.
pub fn resolve(
    stamps: &[Stamp],
    date: Option<NaiveDate>,
    saved: Option<NaiveDateTime>,
) -> Vec<Option<When>> {
    let Some(date) = date else {
        return vec![None; stamps.len()];
    };
    let clocks: Vec<NaiveTime> = stamps.iter().filter_map(|s| s.clock).collect();
    let (mut down, mut up) = (0, 0);
    let day_length = Duration::hours(24);
    for pair in clocks.windows(2) {
        // Forward from one to the next, around the clock: under twelve
        // hours is later, over is earlier.
        let mut forward = pair[1].signed_duration_since(pair[0]);
        if forward < Duration::zero() {
            forward += day_length;
        }
        if forward.is_zero() {
            continue;
        }
        if forward < Duration::hours(12) {
            up += 1;
        } else {
            down += 1;
        }
    }
    let newest_first = down >= up;
    let half_day = Duration::hours(12);
    let mut day = date;
    let mut previous: Option<NaiveTime> = None;
    let mut out = Vec::with_capacity(stamps.len());
    let mut capture: Option<NaiveDateTime> = None;
    for stamp in stamps {
        let Some(clock) = stamp.clock else {
            out.push(None);
            continue;
        };
        if let Some(prev) = previous {
            let jump = clock.signed_duration_since(prev);
            if newest_first && jump > half_day {
                day = day.pred_opt().unwrap_or(day);
            } else if !newest_first && -jump > half_day {
                day = day.succ_opt().unwrap_or(day);
            }
        }
        previous = Some(clock);
        let at = day.and_time(clock);
        if capture.is_none() {
            capture = stamp.ago.and_then(|ago| at.checked_add_signed(ago));
        }
        out.push(Some(When {
            at,
            approximate: false,
        }));
    }
    let reference = capture.or(saved);
    for (stamp, when) in stamps.iter().zip(out.iter_mut()) {
        if when.is_none() {
            let at = reference
                .zip(stamp.ago)
                .and_then(|(reference, ago)| reference.checked_sub_signed(ago));
            if let Some(at) = at {
                let at = at
                    .with_second(0)
                    .and_then(|a| a.with_nanosecond(0))
                    .unwrap_or(at);
                *when = Some(When {
                    at,
                    approximate: true,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn stamps_in_the_forms_live_blogs_use() {
        let s = parse("51 seconds ago (18:04 GMT)").unwrap();
        assert_eq!(s.ago, Some(Duration::seconds(51)));
        assert_eq!(s.clock, NaiveTime::from_hms_opt(18, 4, 0));
        assert!(s.utc);
        let s = parse("an hour ago").unwrap();
        assert_eq!((s.ago, s.clock), (Some(Duration::hours(1)), None));
        let s = parse("09.15 GMT").unwrap();
        assert_eq!(s.clock, NaiveTime::from_hms_opt(9, 15, 0));
        assert_eq!(parse("Talks resumed 2 hours ago in the capital."), None);
    }

    #[test]
    fn times_cross_midnight_backwards_in_a_newest_first_blog() {
        let stamps: Vec<Stamp> = [
            "1 min ago (00:20 GMT)",
            "30 mins ago (23:51 GMT)",
            "2 hours ago",
        ]
        .iter()
        .map(|s| parse(s).unwrap())
        .collect();
        let date = NaiveDate::from_ymd_opt(2022, 3, 2);
        let got = resolve(&stamps, date, None);
        assert_eq!(got[0].unwrap().at, t("2022-03-02 00:20"));
        assert_eq!(got[1].unwrap().at, t("2022-03-01 23:51"));
        // Saved at 00:21 (00:20 + 1 min): two hours before is 22:21 the day before.
        assert_eq!(got[2].unwrap().at, t("2022-03-01 22:21"));
        assert!(got[2].unwrap().approximate);
    }

    #[test]
    fn a_pinned_older_update_on_top_is_not_a_day_change() {
        let stamps: Vec<Stamp> = ["09:00 GMT", "18:04 GMT", "17:54 GMT"]
            .iter()
            .map(|s| parse(s).unwrap())
            .collect();
        let got = resolve(&stamps, NaiveDate::from_ymd_opt(2022, 3, 2), None);
        assert!(got
            .iter()
            .all(|w| w.unwrap().at.date().to_string() == "2022-03-02"));
    }

    #[test]
    fn relative_times_beyond_the_calendar_are_none_and_nothing_panics() {
        let far = parse("99999999999999 days ago").unwrap();
        assert_eq!((far.ago, far.clock), (None, None));
        let stamps: Vec<Stamp> = [
            "200000000 days ago (10:00 GMT)",
            "200000000 days ago",
            "10 mins ago",
        ]
        .iter()
        .map(|s| parse(s).unwrap())
        .collect();
        let date = NaiveDate::from_ymd_opt(2022, 3, 2);
        let got = resolve(&stamps, date, Some(t("2022-03-02 12:00")));
        assert_eq!(got[0].unwrap().at, t("2022-03-02 10:00"));
        // The first stamp's clock stands, but the page cannot have been
        // saved 200 million days after it: the time saved is `saved`, and
        // 200 million days before that is beyond the calendar too.
        assert_eq!(got[1], None);
        assert_eq!(got[2].unwrap().at, t("2022-03-02 11:50"));
    }

    #[test]
    fn without_a_date_nothing_is_resolved() {
        let stamps = vec![parse("18:04 GMT").unwrap()];
        assert_eq!(resolve(&stamps, None, None), vec![None]);
    }
}

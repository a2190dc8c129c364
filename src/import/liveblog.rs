//! Live-blog time stamps, in the forms live blogs write them, and the
//! times they stand for.
//!
//! A stamp is a clock time (`18:04`, `11.10am`, `3:44 p.m.`, `2120` before
//! a zone, `12.31 Uhr`, `14h05`, `Ore 12:31`, `kl. 12.31`), a relative time (`51 seconds ago`, `37m ago`) or both
//! (`51 seconds ago (18:04 GMT)`), perhaps with a zone (GMT, UTC, BST, CET,
//! CEST, EET, EEST, MSK, ET, EST, EDT, CT, PT, PST, PDT, `Greenwich Mean
//! Time`) and a date (`February 6, 2023`, `6 February 2023`), perhaps after
//! `Updated`, `Posted` or `published at`; or an ISO 8601 instant
//! (`2023-02-06T04:29:00Z`, as the HTML reader writes the `<time
//! datetime>` of an update). [`split`] finds a stamp glued to its
//! headline (`• 37m ago (03:27 GMT)Turkey death toll rises`, `2120 GMT —
//! Death toll rises`, `Death toll risespublished at 04:29 Greenwich Mean
//! Time 6 February 2023`).

use std::sync::OnceLock;

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};
use regex::Regex;

/// The zone a stamp names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset east of UTC, in seconds (GMT, CET, EDT, MSK...).
    Fixed(i32),
    /// A zone whose offset depends on the date (ET, CT, PT).
    Tz(chrono_tz::Tz),
}

impl Zone {
    fn read(name: &str) -> Option<Zone> {
        let hours = |h: i32| Some(Zone::Fixed(h * 3600));
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        match name.to_ascii_uppercase().as_str() {
            "GMT" | "UTC" | "Z" | "GREENWICH MEAN TIME" => hours(0),
            "BST" | "CET" | "BRITISH SUMMER TIME" => hours(1),
            "CEST" | "EET" => hours(2),
            "EEST" | "MSK" => hours(3),
            "EST" => hours(-5),
            "EDT" | "CST" => hours(if name.eq_ignore_ascii_case("EDT") {
                -4
            } else {
                -6
            }),
            "CDT" => hours(-5),
            "PST" => hours(-8),
            "PDT" => hours(-7),
            "ET" => Some(Zone::Tz(chrono_tz::America::New_York)),
            "CT" => Some(Zone::Tz(chrono_tz::America::Chicago)),
            "PT" => Some(Zone::Tz(chrono_tz::America::Los_Angeles)),
            _ => None,
        }
    }

    /// A local time in this zone, in UTC.
    pub fn to_utc(self, local: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Fixed(secs) => local - Duration::seconds(i64::from(secs)),
            Zone::Tz(tz) => tz
                .from_local_datetime(&local)
                .earliest()
                .map_or(local, |t| t.naive_utc()),
        }
    }
}

/// One update's stamp as the page wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The stamp, trimmed.
    pub text: String,
    /// How long before the page was saved (`51 seconds ago`).
    pub ago: Option<Duration>,
    /// The clock time given (`18:04`), in 24 hours.
    pub clock: Option<NaiveTime>,
    /// The date given with it (`February 6, 2023`).
    pub date: Option<NaiveDate>,
    /// The zone named (`GMT`, `ET`).
    pub zone: Option<Zone>,
    /// An instant given in full (ISO 8601 with its offset).
    pub exact: Option<DateTime<FixedOffset>>,
    /// Whether the clock is said to be GMT or UTC.
    pub utc: bool,
    /// Whether the clock is marked as a time of day by its form: `Uhr` or
    /// `uur` after it (`12.31 Uhr`), `h` between hours and minutes
    /// (`12h31`) or after them (`12:31 h`), or `Ore`, `kl.` or `um` before
    /// it (`Ore 12:31`, `kl. 12.31`).
    pub marked: bool,
}

impl Stamp {
    /// Whether the stamp says more than a bare clock time: a relative
    /// time, a zone, a date, an instant, or a clock marked as one. A bare one (`11:53AM`) counts
    /// only among others.
    pub fn strong(&self) -> bool {
        self.ago.is_some()
            || self.zone.is_some()
            || self.date.is_some()
            || self.exact.is_some()
            || self.marked
    }
}

const ZONES: &str = r"GMT|UTC|BST|CEST|CET|EEST|EET|MSK|EST|EDT|ET|CST|CDT|CT|PST|PDT|PT|Greenwich\s+Mean\s+Time|British\s+Summer\s+Time";
const MONTH: &str = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?";

/// The stamp at the start of `text`, and where it ends.
fn stamp_at_start(text: &str) -> Option<(Stamp, usize)> {
    static STAMP: OnceLock<Regex> = OnceLock::new();
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(&format!(
            r"^\s*(?:{}\s*)?(\d{{4}}-\d{{2}}-\d{{2}}[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)\s*$",
            regex::escape(super::html::UPDATE_MARK)
        ))
        .expect("iso stamp pattern")
    });
    if let Some(c) = iso.captures(text) {
        let at = &c[1];
        let exact = DateTime::parse_from_rfc3339(&at.replace(' ', "T"))
            .ok()
            .or_else(|| DateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
            .or_else(|| DateTime::parse_from_str(at, "%Y-%m-%dT%H:%M%z").ok());
        let local = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M"))
            .ok();
        let (date, clock) = match (exact, local) {
            (Some(e), _) => (Some(e.date_naive()), Some(e.time())),
            (None, Some(l)) => (Some(l.date()), Some(l.time())),
            _ => return None,
        };
        let clock = clock
            .and_then(|c| c.with_second(0))
            .and_then(|c| c.with_nanosecond(0));
        return Some((
            Stamp {
                text: text.trim().to_string(),
                ago: None,
                clock,
                date,
                zone: None,
                exact,
                utc: exact.is_some_and(|e| e.offset().local_minus_utc() == 0),
                marked: false,
            },
            c.get(0).map_or(text.len(), |m| m.end()),
        ));
    }
    let re = STAMP.get_or_init(|| {
        Regex::new(&format!(
            r"(?ix)^\s*(?:[•·▪*-]\s*)?
              (?:(?:updated|posted|published)(?:\s+at)?:?\s+)?
              (?:(?P<pre>ore|kl\.?|um)\s+)?
              (?:(?P<n>\d+|an?|one)\s*(?P<unit>s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s+ago\b\s*)?
              (?P<open>\(\s*)?
              (?:
                 (?P<h>[01]?\d|2[0-3])(?P<sep>[:.]|h)(?P<m>[0-5]\d)(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?(?:\s*(?P<mark>Uhr|uur|h)\b)?
               | (?P<h4>[01]\d|2[0-3])(?P<m4>[0-5]\d)
              )?
              (?:\s*(?P<zone>{ZONES})\b)?
              (?:,?\s*(?:(?P<mon>{MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})|(?P<d2>\d{{1,2}})\s+(?P<mon2>{MONTH})\.?,?\s+(?P<y2>\d{{4}})))?
              (?:\s*\))?"
        ))
        .expect("stamp pattern")
    });
    let c = re.captures(text)?;
    let end = c.get(0)?.end();
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
    let relative = c.name("unit").is_some();
    let (h, m) = match (c.name("h").or(c.name("h4")), c.name("m").or(c.name("m4"))) {
        (Some(h), Some(m)) => (
            h.as_str().parse::<u32>().ok(),
            m.as_str().parse::<u32>().ok(),
        ),
        _ => (None, None),
    };
    let mut hour = h;
    if let (Some(hr), Some(ap)) = (h, c.name("ap")) {
        if !(1..=12).contains(&hr) {
            return None;
        }
        let pm = ap.as_str().eq_ignore_ascii_case("p");
        hour = Some(match (hr, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (hr, true) => hr + 12,
            (hr, false) => hr,
        });
    }
    let clock = hour
        .zip(m)
        .and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0));
    if clock.is_none() && !relative {
        return None;
    }
    // An opening bracket closes, and a clock in one needs the relative time.
    if c.name("open").is_some() && !c.get(0)?.as_str().trim_end().ends_with(')') {
        return None;
    }
    let zone_name = c.name("zone").map(|z| z.as_str());
    // Four digits are a time only before a zone (`2120 GMT`).
    if c.name("h4").is_some() && zone_name.is_none() {
        return None;
    }
    let date = match (
        c.name("mon").or(c.name("mon2")),
        c.name("d").or(c.name("d2")),
        c.name("y").or(c.name("y2")),
    ) {
        (Some(mon), Some(d), Some(y)) => {
            let mon = super::meta::month(mon.as_str())?;
            NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, mon, d.as_str().parse().ok()?)
        }
        _ => None,
    };
    let zone = zone_name.and_then(Zone::read);
    Some((
        Stamp {
            text: text[..end].trim().to_string(),
            ago,
            clock,
            date,
            zone,
            exact: None,
            utc: zone == Some(Zone::Fixed(0)),
            marked: c.name("mark").is_some()
                || c.name("pre").is_some()
                || c.name("sep").is_some_and(|m| m.as_str() == "h"),
        },
        end,
    ))
}

/// Reads a stamp line; `None` when it is not one.
pub fn parse(line: &str) -> Option<Stamp> {
    let (stamp, end) = stamp_at_start(line)?;
    line[end..].trim().is_empty().then_some(stamp)
}

/// A stamp glued to a headline, in a line: the stamp's text and the
/// headline. `None` when the line is not a stamp with more on its line, or
/// when what follows the stamp reads as the rest of a sentence (`18:04 GMT
/// is when…`): a headline after a stamp starts with a capital, a digit or
/// a quote, or follows a dash; a headline before one is followed by
/// `published at` glued to it or after a space.
pub fn split(line: &str) -> Option<(String, String)> {
    static PUBLISHED: OnceLock<Regex> = OnceLock::new();
    let published =
        PUBLISHED.get_or_init(|| Regex::new(r"(?i)published at\s").expect("published pattern"));
    if let Some(m) = published.find(line) {
        if m.start() > 0 {
            let (head, tail) = line.split_at(m.start());
            if let Some(stamp) = parse(tail) {
                if stamp.clock.is_some() && !head.trim().is_empty() {
                    return Some((tail.trim().to_string(), head.trim().to_string()));
                }
            }
        }
    }
    let (stamp, end) = stamp_at_start(line)?;
    let rest = &line[end..];
    if rest.trim().is_empty() || !stamp.strong() || stamp.exact.is_some() {
        return None;
    }
    let after_dash = rest
        .trim_start()
        .strip_prefix(['—', '–', '-', '|', ':'])
        .map(str::trim);
    let headline = match after_dash {
        Some(h) => h,
        None => {
            let h = rest.trim();
            let first = h.chars().next()?;
            if !(first.is_uppercase() || first.is_ascii_digit() || "\"'“‘".contains(first)) {
                return None;
            }
            // Glued, or after a space: either way the stamp must have
            // ended as stamps do (a zone, a bracket, a date).
            if !(stamp.zone.is_some() || stamp.date.is_some() || stamp.text.ends_with(')')) {
                return None;
            }
            h
        }
    };
    (!headline.is_empty()).then(|| (stamp.text.clone(), headline.to_string()))
}

/// The text with each stamp glued to a headline split from it: the stamp
/// on a line of its own, then the headline. Other lines are as they were.
pub fn split_glued(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.lines().any(|l| split(l).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match split(line) {
            Some((stamp, headline)) => {
                out.push_str(&stamp);
                out.push('\n');
                out.push_str(&headline);
            }
            None => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// When an update happened, as far as its stamp tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub at: NaiveDateTime,
    /// Worked out from a relative time alone (`3 hours ago`): to the minute
    /// at best.
    pub approximate: bool,
    /// Whether `at` is in UTC (the stamp named its zone, or was an
    /// instant); else it is in the page's clock.
    pub utc: bool,
}

/// The times of a live blog's updates, in the stamps' clock.
///
/// The first stamp is on `date` (the publication date), or, in a blog
/// that runs newest first, on the day of `modified` (when the page last
/// changed) if that change came up to three hours after the first stamp's
/// clock, on a later day. Updates run newest
/// first or oldest first, whichever most pairs of neighbours say; a jump
/// of more than twelve hours against that order is a midnight crossed.
/// A stamp with only a relative time is placed before the moment the page
/// was saved, as told by a stamp with both (`51 seconds ago (18:04 GMT)`),
/// or else before `saved`, when the publication time is known. A stamp
/// that gives its date (`February 6, 2023`, an instant) is on that date,
/// and the stamps after it count from there; one that names its zone is
/// given in UTC.
pub fn resolve(
    stamps: &[Stamp],
    date: Option<NaiveDate>,
    saved: Option<NaiveDateTime>,
    modified: Option<DateTime<FixedOffset>>,
) -> Vec<Option<When>> {
    let Some(date) = date.or_else(|| stamps.iter().find_map(|s| s.date)) else {
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
    // A ticker that runs for days keeps its first publication date; its
    // newest update is on the day the page last changed, when that change
    // came within three hours after the newest stamp's clock (a change
    // days later, a correction, says nothing of the updates' day).
    if let (true, Some(modified), Some(first)) = (
        newest_first,
        modified,
        stamps
            .iter()
            .find(|s| s.clock.is_some() && s.exact.is_none()),
    ) {
        let changed = if first.zone.is_some() {
            modified.naive_utc()
        } else {
            modified.naive_local()
        };
        let clock = first.clock.unwrap_or_default();
        for candidate in [
            changed.date(),
            changed.date().pred_opt().unwrap_or(changed.date()),
        ] {
            let lag = changed.signed_duration_since(candidate.and_time(clock));
            if first.date.is_none()
                && candidate > date
                && lag >= -Duration::minutes(5)
                && lag <= Duration::hours(3)
            {
                day = candidate;
                break;
            }
        }
    }
    let mut previous: Option<NaiveTime> = None;
    let mut out = Vec::with_capacity(stamps.len());
    let mut capture: Option<(NaiveDateTime, Option<Zone>)> = None;
    for stamp in stamps {
        let Some(clock) = stamp.clock else {
            out.push(None);
            continue;
        };
        if let Some(exact) = stamp.exact {
            previous = Some(clock);
            day = exact.date_naive();
            out.push(Some(When {
                at: exact.naive_utc(),
                approximate: false,
                utc: true,
            }));
            continue;
        }
        if let Some(given) = stamp.date {
            day = given;
        } else if let Some(prev) = previous {
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
            capture = stamp
                .ago
                .and_then(|ago| at.checked_add_signed(ago))
                .map(|c| (c, stamp.zone));
        }
        out.push(Some(When {
            at: stamp.zone.map_or(at, |z| z.to_utc(at)),
            approximate: false,
            utc: stamp.zone.is_some(),
        }));
    }
    let (reference, zone) = match capture {
        Some((at, zone)) => (Some(at), zone),
        None => (saved, None),
    };
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
                    at: zone.map_or(at, |z| z.to_utc(at)),
                    approximate: true,
                    utc: zone.is_some(),
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

    fn clock(s: &Stamp) -> String {
        s.clock
            .map(|c| c.format("%H:%M").to_string())
            .unwrap_or_default()
    }

    #[test]
    fn every_form_of_stamp_is_read() {
        for (line, at, zone, date) in [
            ("11.10am GMT", "11:10", Some(Zone::Fixed(0)), None),
            ("11.10 GMT", "11:10", Some(Zone::Fixed(0)), None),
            ("11:10pm BST", "23:10", Some(Zone::Fixed(3600)), None),
            ("12.05am CET", "00:05", Some(Zone::Fixed(3600)), None),
            ("12:05 p.m. CEST", "12:05", Some(Zone::Fixed(7200)), None),
            (
                "3:44 p.m. ET, February 6, 2023",
                "15:44",
                Some(Zone::Tz(chrono_tz::America::New_York)),
                Some("2023-02-06"),
            ),
            ("11:53AM", "11:53", None, None),
            ("09:57 AM", "09:57", None, None),
            ("9.57 a.m.", "09:57", None, None),
            ("2120 GMT", "21:20", Some(Zone::Fixed(0)), None),
            ("12.31 Uhr", "12:31", None, None),
            ("9:05 Uhr", "09:05", None, None),
            ("14h05", "14:05", None, None),
            ("14:05 h", "14:05", None, None),
            ("Ore 12:31", "12:31", None, None),
            ("kl. 12.31", "12:31", None, None),
            ("Kl 09.05", "09:05", None, None),
            ("12.31 uur", "12:31", None, None),
            ("21:20 EET", "21:20", Some(Zone::Fixed(7200)), None),
            ("21:20 EEST", "21:20", Some(Zone::Fixed(10800)), None),
            ("21:20 MSK", "21:20", Some(Zone::Fixed(10800)), None),
            ("8:05 pm EST", "20:05", Some(Zone::Fixed(-18000)), None),
            ("8:05 pm EDT", "20:05", Some(Zone::Fixed(-14400)), None),
            (
                "8:05 PT",
                "08:05",
                Some(Zone::Tz(chrono_tz::America::Los_Angeles)),
                None,
            ),
            (
                "published at 04:29 Greenwich Mean Time 6 February 2023",
                "04:29",
                Some(Zone::Fixed(0)),
                Some("2023-02-06"),
            ),
            ("Updated 18:04 GMT", "18:04", Some(Zone::Fixed(0)), None),
            (
                "18:04 UTC, 6 Feb 2023",
                "18:04",
                Some(Zone::Fixed(0)),
                Some("2023-02-06"),
            ),
            ("• 37m ago (03:27 GMT)", "03:27", Some(Zone::Fixed(0)), None),
            (
                "Update time: 2023-02-06T04:29:00Z",
                "04:29",
                None,
                Some("2023-02-06"),
            ),
            (
                "2023-02-06T07:29:00+03:00",
                "07:29",
                None,
                Some("2023-02-06"),
            ),
        ] {
            let s = parse(line).unwrap_or_else(|| panic!("{line:?} is a stamp"));
            assert_eq!(clock(&s), at, "{line:?}");
            assert_eq!(s.zone, zone, "{line:?}");
            assert_eq!(s.date.map(|d| d.to_string()).as_deref(), date, "{line:?}");
        }
        let s = parse("37m ago").unwrap();
        assert_eq!((s.ago, s.clock), (Some(Duration::minutes(37)), None));
        for not in [
            "2023 was a hard year",
            "13.30pm GMT",
            "The talks began at 18:04 GMT.",
            "2120",
            "Room 101",
            "(18:04 GMT",
        ] {
            assert_eq!(parse(not), None, "{not:?}");
        }
    }

    #[test]
    fn a_stamp_glued_to_its_headline_is_split_from_it() {
        for (line, stamp, headline) in [
            (
                "• 37m ago (03:27 GMT)Turkey death toll rises",
                "• 37m ago (03:27 GMT)",
                "Turkey death toll rises",
            ),
            (
                "2120 GMT — Death toll rises",
                "2120 GMT",
                "Death toll rises",
            ),
            (
                "Death toll rising rapidlypublished at 04:29 Greenwich Mean Time 6 February 2023",
                "published at 04:29 Greenwich Mean Time 6 February 2023",
                "Death toll rising rapidly",
            ),
            (
                "3:44 p.m. ET, February 6, 2023Rescuers reach the town",
                "3:44 p.m. ET, February 6, 2023",
                "Rescuers reach the town",
            ),
            ("18:04 GMT Envoys meet", "18:04 GMT", "Envoys meet"),
            (
                "12.31 Uhr: Zeitung lehnt Aussagen ab",
                "12.31 Uhr",
                "Zeitung lehnt Aussagen ab",
            ),
            (
                "14h05 : Les envoyés se rencontrent",
                "14h05",
                "Les envoyés se rencontrent",
            ),
            (
                "Ore 12:31 - Gli inviati si incontrano",
                "Ore 12:31",
                "Gli inviati si incontrano",
            ),
            (
                "kl. 12.31: Utsendingene møtes",
                "kl. 12.31",
                "Utsendingene møtes",
            ),
        ] {
            assert_eq!(
                split(line),
                Some((stamp.to_string(), headline.to_string())),
                "{line:?}"
            );
        }
        for not in [
            "18:04 GMT is when the talks began.",
            "11:53AM Envoys meet",
            "Talks resumed 2 hours ago in the capital.",
            "Kinder getötet (11.39 Uhr)",
            "12.31 Uhr begannen die Gespräche.",
            "Um 12.31 Uhr begannen die Gespräche.",
            "18:04 GMT",
        ] {
            assert_eq!(split(not), None, "{not:?}");
        }
    }

    #[test]
    fn zones_are_turned_into_utc_with_the_pages_date() {
        let stamps: Vec<Stamp> = [
            "3:44 p.m. ET, February 6, 2023",
            "11.10am GMT",
            "9:00 am CET",
        ]
        .iter()
        .map(|s| parse(s).unwrap())
        .collect();
        let got = resolve(&stamps, None, None, None);
        assert_eq!(got[0].unwrap().at, t("2023-02-06 20:44"));
        assert!(got[0].unwrap().utc);
        assert_eq!(got[1].unwrap().at, t("2023-02-06 11:10"));
        assert_eq!(got[2].unwrap().at, t("2023-02-06 08:00"));
        // In summer, ET is four hours behind.
        let summer = vec![parse("3:44 p.m. ET, July 6, 2023").unwrap()];
        assert_eq!(
            resolve(&summer, None, None, None)[0].unwrap().at,
            t("2023-07-06 19:44")
        );
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
        let got = resolve(&stamps, date, None, None);
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
        let got = resolve(&stamps, NaiveDate::from_ymd_opt(2022, 3, 2), None, None);
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
        let got = resolve(&stamps, date, Some(t("2022-03-02 12:00")), None);
        assert_eq!(got[0].unwrap().at, t("2022-03-02 10:00"));
        // The first stamp's clock stands, but the page cannot have been
        // saved 200 million days after it: the time saved is `saved`, and
        // 200 million days before that is beyond the calendar too.
        assert_eq!(got[1], None);
        assert_eq!(got[2].unwrap().at, t("2022-03-02 11:50"));
    }

    #[test]
    fn a_ticker_that_runs_for_days_is_dated_by_its_last_change() {
        let stamps: Vec<Stamp> = ["11.04 Uhr", "06.20 Uhr", "22.15 Uhr"]
            .iter()
            .map(|l| parse(l).unwrap())
            .collect();
        let started = NaiveDate::from_ymd_opt(2023, 10, 7);
        let changed = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
        let ats = |m| {
            resolve(&stamps, started, None, m)
                .iter()
                .map(|w| w.unwrap().at.format("%Y-%m-%d %H:%M").to_string())
                .collect::<Vec<_>>()
        };
        // Changed two hours after the newest update: the updates are that day's.
        assert_eq!(
            ats(changed("2024-07-18T13:08:27+02:00")),
            ["2024-07-18 11:04", "2024-07-18 06:20", "2024-07-17 22:15"]
        );
        // Changed at another hour (a correction days later): the
        // publication date holds.
        assert_eq!(
            ats(changed("2024-07-21T18:30:00+02:00")),
            ["2023-10-07 11:04", "2023-10-07 06:20", "2023-10-06 22:15"]
        );
        assert_eq!(ats(None), ats(changed("2023-10-07T11:10:00+02:00")));
    }

    #[test]
    fn without_a_date_nothing_is_resolved() {
        let stamps = vec![parse("18:04 GMT").unwrap()];
        assert_eq!(resolve(&stamps, None, None, None), vec![None]);
    }
}

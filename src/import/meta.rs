//! What a saved page says about itself: its title, outlet, byline and date.
//! Each finding keeps the words it was read from, so the sidecar can show
//! the editor why.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::rules::{headline_like, prose_like};

/// A value found in the page, and the text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    pub value: T,
    pub from: String,
}

/// The title: the first headline-like line kept, without a site suffix
/// (`Talks resume | Example News` → `Talks resume`). A bullet or a
/// numbered item, a time stamp, or an app prompt (`Open in App`) is no
/// title.
pub fn title<'a>(kept: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let line = kept.into_iter().find(|l| {
        let t = l.trim();
        headline_like(t)
            && !t.starts_with(['•', '·', '-', '*', '–', '▪'])
            && !t
                .split_once(['.', ')'])
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            && super::liveblog::parse(t).is_none()
            && !matches!(
                t.to_ascii_lowercase().as_str(),
                "open in app"
                    | "open app"
                    | "get the app"
                    | "download the app"
                    | "listen to this article"
            )
    })?;
    let line = line.trim().trim_matches('\u{a0}').trim();
    let title = match line.split_once(" | ") {
        Some((head, _)) if !head.trim().is_empty() => head.trim(),
        _ => line,
    };
    Some(title.to_string())
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern"))
}

/// Month names and their abbreviations in the languages news is most
/// often imported from (English, German, French, Spanish, Italian,
/// Portuguese, Dutch), lowercased, with the month's number.
const MONTH_NAMES: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("jänner", 1),
    ("jän", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("marco", 3),
    ("maart", 3),
    ("mrt", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mag", 5),
    ("maio", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("giu", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("lug", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("settembre", 9),
    ("set", 9),
    ("setembro", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("outubro", 10),
    ("out", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
    ("dezembro", 12),
];

/// The month a name (or abbreviation) stands for.
pub fn month(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    MONTH_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
}

/// Every date written in `text`, in order: with the month named in one of
/// the languages of `MONTH_NAMES` (`February 14, 2022`, `14 Feb 2022`,
/// `14. Februar 2022`, `14 de febrero de 2022`, `14th February 2022`), or
/// in figures: `2022-02-14`, `2022/02/14`, `2022.02.14`, `2022年2月14日`,
/// and `14.02.2022` (a date written with dots puts the day first
/// wherever it is used). Slashed day-month orders (`02/03/2022`) are
/// ambiguous between countries and are not read.
pub fn dates_in(text: &str) -> Vec<(NaiveDate, String)> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &DATE,
        r"(?ix)
        \b(?P<m1>[A-Za-zÀ-ÖØ-öø-ÿ]{3,9})\.?\s(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s(?P<y1>\d{4})\b
        | \b(?P<d2>\d{1,2})(?:st|nd|rd|th|\.|º)?\s(?:de\s)?(?P<m2>[A-Za-zÀ-ÖØ-öø-ÿ]{3,9})\.?,?\s(?:de\s)?(?P<y2>\d{4})\b
        | \b(?P<y3>\d{4})(?:-(?P<m3>\d{2})-(?P<d3>\d{2})|/(?P<m4>\d{2})/(?P<d4>\d{2})|\.(?P<m5>\d{2})\.(?P<d5>\d{2}))\b
        | (?P<y6>\d{4})\s?年\s?(?P<m6>\d{1,2})\s?月\s?(?P<d6>\d{1,2})\s?日
        | \b(?P<d7>\d{1,2})\.(?P<m7>\d{1,2})\.(?P<y7>\d{4})\b
        ",
    );
    re.captures_iter(text)
        .filter_map(|c| {
            let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
            let named = |m: &str| c.name(m).and_then(|m| month(m.as_str()));
            let (y, m, d) = if let Some(y) = num("y1") {
                (y, named("m1")?, num("d1")?)
            } else if let Some(y) = num("y2") {
                (y, named("m2")?, num("d2")?)
            } else if let Some(y) = num("y3") {
                let m = num("m3").or(num("m4")).or(num("m5"))?;
                (y, m, num("d3").or(num("d4")).or(num("d5"))?)
            } else if let Some(y) = num("y6") {
                (y, num("m6")?, num("d6")?)
            } else {
                (num("y7")?, num("m7")?, num("d7")?)
            };
            let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
            Some((date, c.get(0)?.as_str().to_string()))
        })
        .collect()
}

/// Weekday names, lowercased, in the languages of `MONTH_NAMES`.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
    "lunedì",
    "lunedi",
    "martedì",
    "martedi",
    "mercoledì",
    "mercoledi",
    "giovedì",
    "giovedi",
    "venerdì",
    "venerdi",
    "sabato",
    "domenica",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
];

/// Whether a word names a day, a month or a clock's zone (`Tuesday`,
/// `Dienstag`, `February`, `Feb`, `Juli`, `GMT`): such a word ends a name
/// in a run of capitalised words. Month abbreviations of three letters
/// count in English only (`Gen`, `Set`, `Out` are words elsewhere).
pub fn calendar_word(word: &str) -> bool {
    const ENGLISH_SHORT: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let w = word.to_lowercase();
    let w = w.as_str();
    matches!(w, "gmt" | "utc")
        || WEEKDAYS.iter().any(|d| *d == w && d.len() >= 4)
        || MONTH_NAMES
            .iter()
            .any(|(m, _)| *m == w && (m.len() >= 4 || ENGLISH_SHORT.contains(m)))
}

/// The day a live blog's day heading names (`Donnerstag, 18. 7.`,
/// `Tuesday 27 August 2024`, `Monday 6 February`, `6 février`): a short
/// line that is a date and perhaps a weekday, nothing else. A date
/// written without its year takes the year that puts it nearest `near`
/// (the page's date).
pub fn day_heading(line: &str, near: NaiveDate) -> Option<NaiveDate> {
    static SHORT: OnceLock<Regex> = OnceLock::new();
    let line = line.trim().trim_end_matches(['.', ':', ',']).trim();
    if line.is_empty() || line.split_whitespace().count() > 6 {
        return None;
    }
    // The weekday in front, if any.
    let rest = match line.split_once(|c: char| c == ',' || c.is_whitespace()) {
        Some((first, rest)) if WEEKDAYS.contains(&first.to_lowercase().as_str()) => rest,
        _ => line,
    }
    .trim_start_matches([',', ' '])
    .trim();
    if let [(date, written)] = dates_in(rest).as_slice() {
        let left = rest.replacen(written.as_str(), "", 1);
        return left
            .trim_matches(|c: char| c.is_whitespace() || ".,:".contains(c))
            .is_empty()
            .then_some(*date);
    }
    let re = regex(
        &SHORT,
        r"(?ix)^(?:
            (?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.?
          | (?P<d2>\d{1,2})(?:st|nd|rd|th|\.)?\s(?:de\s)?(?P<n2>[A-Za-zÀ-ÖØ-öø-ÿ]{3,9})\.?
          | (?P<n3>[A-Za-zÀ-ÖØ-öø-ÿ]{3,9})\.?\s(?P<d3>\d{1,2})(?:st|nd|rd|th)?
        )$",
    );
    let c = re.captures(rest)?;
    let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<u32>().ok());
    let named = |n: &str| c.name(n).and_then(|m| month(m.as_str()));
    let (m, d) = if let Some(d) = num("d1") {
        (num("m1")?, d)
    } else if let Some(d) = num("d2") {
        (named("n2")?, d)
    } else {
        (named("n3")?, num("d3")?)
    };
    let year = near.year();
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .min_by_key(|date| (*date - near).num_days().abs())
}

/// The lines before the report's first sentence of prose: where pages put
/// their dateline, byline and date.
fn head(raw_lines: &[&str]) -> Vec<String> {
    raw_lines
        .iter()
        .take_while(|l| !prose_like(l))
        .take(40)
        .map(|l| l.trim().to_string())
        .collect()
}

/// The publication date: a page's `date 2022-02-14` metadata (in its first
/// raw lines), or a short line of the head of what was kept holding a date
/// (`February 14, 2022, 1:41 pm`, `Riga, Dec 1 (AFP) Dec 01, 2021`).
pub fn published(raw_lines: &[&str], kept: &[&str]) -> Option<Found<NaiveDate>> {
    static META: OnceLock<Regex> = OnceLock::new();
    let meta = regex(
        &META,
        r"(?i)(?:^|\s)(?:date|published|datePublished)[:=]?\s*(\d{4}-\d{2}-\d{2})\b",
    );
    for line in raw_lines.iter().take(10) {
        if let Some(c) = meta.captures(line) {
            if let Ok(date) = NaiveDate::parse_from_str(&c[1], "%Y-%m-%d") {
                return Some(Found {
                    value: date,
                    from: c[0].trim().to_string(),
                });
            }
        }
    }
    head(kept)
        .iter()
        .filter(|l| l.split_whitespace().count() <= 12)
        .find_map(|l| {
            let (date, _) = dates_in(l).pop()?;
            Some(Found {
                value: date,
                from: l.clone(),
            })
        })
}

/// The byline of the head of what was kept: `By Jane Roe` → `Jane Roe`.
pub fn author(kept: &[&str]) -> Option<Found<String>> {
    static BY: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &BY,
        r"^By (\p{Lu}[\p{L}.'’-]*(?: (?:and |de |van |von |al-)?\p{Lu}[\p{L}.'’-]*){0,5})$",
    );
    head(kept).iter().find_map(|l| {
        let c = re.captures(l)?;
        Some(Found {
            value: c[1].to_string(),
            from: l.clone(),
        })
    })
}

/// Outlets recognised by their signature: the name to write, and what
/// names it in a dateline, byline, footer or copyright notice.
const OUTLETS: &[(&str, &[&str])] = &[
    (
        "AFP",
        &["AFP", "Agence France-Presse", "Agence France Presse"],
    ),
    ("AP", &["AP", "Associated Press", "The Associated Press"]),
    ("Reuters", &["Reuters", "Thomson Reuters"]),
    ("CNN", &["CNN"]),
    ("VOA", &["VOA", "VOA News", "Voice of America"]),
    ("Al Jazeera", &["Al Jazeera", "Al Jazeera English"]),
    ("BBC", &["BBC", "BBC News"]),
    (
        "Press Association",
        &["Press Association", "PA", "PA Media"],
    ),
    ("dpa", &["dpa", "DPA", "Deutsche Presse-Agentur"]),
    ("UPI", &["UPI", "United Press International"]),
    ("Interfax", &["Interfax"]),
    ("TASS", &["TASS", "Tass"]),
];

fn outlet_named(name: &str) -> Option<&'static str> {
    let name = name.trim();
    OUTLETS
        .iter()
        .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|(outlet, _)| *outlet)
}

/// The outlet, from (in this order) a dateline in the first paragraphs
/// (`MOSCOW (AP) —`, `Riga, Dec 1 (AFP)`), a byline naming an agency
/// (`By Press Association`), a byline box naming the outlet at the end
/// (`VOA News`), or a copyright notice (`Copyright Agence France-Presse`).
pub fn outlet(raw_lines: &[&str], kept: &[&str]) -> Option<Found<String>> {
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let dateline = regex(
        &DATELINE,
        r"^[\p{Lu}][\p{L}\d ,.'’-]{0,60}\((AFP|AP|Reuters|CNN|VOA|UPI|dpa|PA)\)(?:\s|$)",
    );
    let first: Vec<&str> = kept
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect();
    for line in &first {
        if let Some(c) = dateline.captures(line.trim()) {
            if let Some(o) = outlet_named(&c[1]) {
                return Some(Found {
                    value: o.to_string(),
                    from: c[0].trim().to_string(),
                });
            }
        }
    }
    if let Some(by) = author(kept) {
        if let Some(o) = outlet_named(&by.value) {
            return Some(Found {
                value: o.to_string(),
                from: by.from,
            });
        }
    }
    static COPYRIGHT: OnceLock<Regex> = OnceLock::new();
    let copyright = regex(
        &COPYRIGHT,
        r"(?i)copyright\s*(?:©|\(c\))?\s*(?:\d{4}\s*)?([\p{L} .-]{2,40}?)[.,]",
    );
    for line in raw_lines.iter().rev().take(60) {
        let l = line.trim();
        if let Some(o) = outlet_named(l) {
            if l.split_whitespace().count() <= 3 {
                return Some(Found {
                    value: o.to_string(),
                    from: l.to_string(),
                });
            }
        }
        if let Some(c) = copyright.captures(l) {
            if let Some(o) = outlet_named(&c[1]) {
                return Some(Found {
                    value: o.to_string(),
                    from: c[0].trim().to_string(),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_forms() {
        let got: Vec<String> =
            dates_in("March 3, 2022, 9:10 am; 4 Mar 2022; Mar. 5 2022; 2022-03-06")
                .into_iter()
                .map(|(d, _)| d.to_string())
                .collect();
        assert_eq!(
            got,
            ["2022-03-03", "2022-03-04", "2022-03-05", "2022-03-06"]
        );
        assert!(dates_in("February 30, 2022").is_empty());
        let other: Vec<String> = dates_in(
            "14. Februar 2022 · 3 mars 2022 · 5 de abril de 2022 · 6 maggio 2022 · \
             07.06.2022 · 2022/07/08 · 2022年8月9日 · 10th September 2022 · 2022.10.11",
        )
        .into_iter()
        .map(|(d, _)| d.to_string())
        .collect();
        assert_eq!(
            other,
            [
                "2022-02-14",
                "2022-03-03",
                "2022-04-05",
                "2022-05-06",
                "2022-06-07",
                "2022-07-08",
                "2022-08-09",
                "2022-09-10",
                "2022-10-11"
            ]
        );
        // A word that is no month, and an ambiguous slashed date, are not dates.
        assert!(dates_in("Route 12 2022 · 02/03/2022 · 12 Dinge 2022").is_empty());
    }

    #[test]
    fn day_headings_of_live_blogs() {
        let near = NaiveDate::from_ymd_opt(2024, 7, 18).unwrap();
        for (line, want) in [
            ("Donnerstag, 18. 7.", "2024-07-18"),
            ("Mittwoch, 17. 7.", "2024-07-17"),
            ("Tuesday 16 July 2024", "2024-07-16"),
            ("Monday 15 July", "2024-07-15"),
            ("July 14", "2024-07-14"),
            ("mardi 16 juillet", "2024-07-16"),
            ("Dienstag, 27. August 2024", "2024-08-27"),
        ] {
            assert_eq!(
                day_heading(line, near).map(|d| d.to_string()).as_deref(),
                Some(want),
                "{line:?}"
            );
        }
        // Without a year, the one nearest the page's date, across New Year.
        let january = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        assert_eq!(
            day_heading("31. Dezember", january)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2023-12-31")
        );
        for not in [
            "Israelische Drohne tötet Extremisten",
            "On 18 July the envoys met again",
            "Monday",
            "18 July: envoys meet",
            "Route 66",
        ] {
            assert_eq!(day_heading(not, near), None, "{not:?}");
        }
    }

    #[test]
    fn the_date_comes_from_the_head_not_from_a_caption() {
        let lines = [
            "Talks resume in the capital",
            "Vilnius, Mar 2 (AFP) Mar 02, 2022",
            "The ministers met on Wednesday in the capital, where talks had stalled since the winter began.",
            "A photo taken on March 1, 2022",
        ];
        let found = published(&[], &lines).unwrap();
        assert_eq!(found.value.to_string(), "2022-03-02");
        let lines = [
            "A long caption of a photo from the front that was taken on March 1, 2022, by a photographer.",
            "Short line March 9, 2022",
        ];
        assert_eq!(published(&[], &lines), None);
        let raw = [" date 2022-03-04 Mail An icon of an envelope."];
        assert_eq!(
            published(&raw, &[]).unwrap().value.to_string(),
            "2022-03-04"
        );
    }

    #[test]
    fn outlets_from_datelines_bylines_and_footers() {
        let kept = ["Title of it", "VILNIUS (AP) — The ministers met."];
        assert_eq!(outlet(&[], &kept).unwrap().value, "AP");
        let kept = ["Title", "By Press Association", "Body."];
        assert_eq!(outlet(&[], &kept).unwrap().value, "Press Association");
        let raw = ["Body.", "    VOA News", "XS"];
        assert_eq!(outlet(&raw, &[]).unwrap().value, "VOA");
        let raw = [
            "Body.",
            "All rights reserved. Copyright Agence France-Presse. More",
        ];
        assert_eq!(outlet(&raw, &[]).unwrap().value, "AFP");
        assert_eq!(outlet(&["Body."], &["Body."]), None);
    }

    #[test]
    fn titles_lose_the_site_suffix() {
        assert_eq!(
            title(["", "Talks resume: Live | Example News", "Body."]).as_deref(),
            Some("Talks resume: Live")
        );
        assert_eq!(
            title([
                "Open in App",
                "• Markets fall",
                "09:57 AM",
                "Talks resume in Vienna"
            ])
            .as_deref(),
            Some("Talks resume in Vienna")
        );
    }
}

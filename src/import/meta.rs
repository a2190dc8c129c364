//! What a saved page says about itself: its title, outlet, byline and date.
//! Each finding keeps the words it was read from, so the sidecar can show
//! the editor why.

use std::sync::OnceLock;

use chrono::NaiveDate;
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

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(name: &str) -> Option<u32> {
    let name = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| name.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// Every date written in `text` (`February 14, 2022`, `14 Feb 2022`,
/// `2022-02-14`), in order.
pub fn dates_in(text: &str) -> Vec<(NaiveDate, String)> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &DATE,
        r"(?i)\b(?:(?P<m1>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? (?P<d1>\d{1,2}),? (?P<y1>\d{4})|(?P<d2>\d{1,2}) (?P<m2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,? (?P<y2>\d{4})|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))\b",
    );
    re.captures_iter(text)
        .filter_map(|c| {
            let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
            let (y, m, d) = if let Some(y) = num("y1") {
                (y, month(c.name("m1")?.as_str())?, num("d1")?)
            } else if let Some(y) = num("y2") {
                (y, month(c.name("m2")?.as_str())?, num("d2")?)
            } else {
                (num("y3")?, num("m3")?, num("d3")?)
            };
            let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
            Some((date, c.get(0)?.as_str().to_string()))
        })
        .collect()
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

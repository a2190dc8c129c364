//! Scores `chronicle import` on saved pages against their real article
//! text: bag-of-words precision, recall and F1 of the article written,
//! whether the title and the publication date are right, and the time each
//! import took. See bench/extract/README.md.
//!
//! `cargo run --release --example extract-score -- DIR [--show NAME]`
//!
//! DIR holds `truth.json` (`{"name": {"body": "...", "title": "...",
//! "date": "YYYY-MM-DD"}}`, title and date optional) and `pages/NAME.html`
//! (or `.txt`) for each name. With `--show NAME`, the article written for
//! that page is printed. With `--baseline`, the text is dom_smoothie's
//! alone (Readability's text content, no chronicle rules): what the rules
//! on top add is the difference.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use chronicle::import::{import_text, names::ActorIndex, rules, ImportContext};

/// The words of a text, lowercased, with their counts.
fn bag(text: &str) -> HashMap<String, usize> {
    let mut words = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *words.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    words
}

/// Precision, recall and F1 of `got` against `want`, as bags of words.
fn prf(got: &str, want: &str) -> (f64, f64, f64) {
    let (g, w) = (bag(got), bag(want));
    let common: usize = g
        .iter()
        .map(|(word, n)| (*n).min(w.get(word).copied().unwrap_or(0)))
        .sum();
    let (gn, wn): (usize, usize) = (g.values().sum(), w.values().sum());
    if gn == 0 || wn == 0 {
        return (0.0, 0.0, if gn == wn { 1.0 } else { 0.0 });
    }
    let p = common as f64 / gn as f64;
    let r = common as f64 / wn as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn normal(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the publication date found is the one wanted: the same
/// `YYYY-MM-DD`, or, when the truth gives a time with its zone, the same
/// instant to the minute (a page may state it in UTC, the truth in the
/// outlet's zone, and the two fall on different days).
fn same_date(got: Option<&str>, want: &str) -> bool {
    let Some(got) = got else { return false };
    if got.get(..10) == want.get(..10) {
        return true;
    }
    let instant = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    match (instant(got), instant(want)) {
        (Some(g), Some(w)) => (g.timestamp() - w.timestamp()).abs() < 60,
        _ => false,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .expect("usage: extract-score DIR [--show NAME] [--baseline]"),
    );
    let rest: Vec<String> = args.collect();
    let show = rest
        .iter()
        .position(|a| a == "--show")
        .and_then(|k| rest.get(k + 1).cloned());
    let baseline = rest.iter().any(|a| a == "--baseline");
    let truth: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("truth.json")).expect("DIR/truth.json"),
    )
    .expect("truth.json is a JSON object");
    let rules = rules::built_in();
    let actors = ActorIndex::default();
    let taken = HashSet::new();
    let mut names: Vec<&String> = truth.keys().collect();
    names.sort();
    let (mut f1s, mut titles, mut titled, mut dates, mut dated) = (Vec::new(), 0, 0, 0, 0);
    let mut times = Vec::new();
    for name in names {
        if show.as_ref().is_some_and(|s| s != name) {
            continue;
        }
        let t = &truth[name];
        let page = ["html", "htm", "txt"]
            .iter()
            .map(|e| dir.join("pages").join(format!("{name}.{e}")))
            .find(|p| p.exists());
        let Some(page) = page else {
            eprintln!("{name}: no page");
            continue;
        };
        let bytes = std::fs::read(&page).expect("page");
        let start = Instant::now();
        let i = import_text(
            &bytes,
            &ImportContext {
                rules: &rules,
                actors: &actors,
                input_name: "page.html",
                source: None,
                published: None,
                keep_raw: false,
                taken: &taken,
                name: None,
                url: None,
                retrieved: None,
                charset: None,
            },
        );
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let article = if baseline {
            let html = String::from_utf8_lossy(&bytes);
            dom_smoothie::Readability::new(html.as_ref(), None, None)
                .ok()
                .and_then(|mut r| r.parse().ok())
                .map(|a| a.text_content.to_string())
                .unwrap_or_default()
        } else {
            i.article.clone()
        };
        if show.is_some() {
            println!(
                "title: {:?}\npublished: {:?}\n\n{}",
                i.title, i.published, i.article
            );
            return;
        }
        let body = t["body"].as_str().unwrap_or("");
        let (p, r, f) = prf(&article, body);
        f1s.push(f);
        let mut notes = String::new();
        if let Some(want) = t.get("title").and_then(|v| v.as_str()) {
            titled += 1;
            let right = i.title.as_deref().map(normal) == Some(normal(want));
            titles += usize::from(right);
            if !right {
                notes.push_str(&format!(" title {:?} (want {want:?})", i.title));
            }
        }
        if let Some(want) = t.get("date").and_then(|v| v.as_str()) {
            dated += 1;
            let right = same_date(i.published.as_deref(), want);
            dates += usize::from(right);
            if !right {
                notes.push_str(&format!(" date {:?} (want {want})", i.published));
            }
        }
        println!("{f:.3} p {p:.3} r {r:.3} {name}{notes}");
    }
    let n = f1s.len();
    let mean = f1s.iter().sum::<f64>() / n.max(1) as f64;
    let good = f1s.iter().filter(|f| **f >= 0.9).count();
    times.sort_by(f64::total_cmp);
    println!(
        "pages {n}: mean F1 {mean:.4}, {good} of {n} >= 0.90; titles right {titles} of {titled}; dates right {dates} of {dated}; median import {:.1} ms, slowest {:.1} ms",
        times.get(times.len() / 2).copied().unwrap_or(0.0),
        times.last().copied().unwrap_or(0.0)
    );
}

//! The theme's search.js under Node: its own tests (tests/search/, pure
//! functions) and searches against the index of a built fixture site and of
//! the shipped chronicle. The index files themselves are checked by
//! `cargo test` (tests/it/search.rs).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{self, repo, Site};

/// Runs search.js under Node against a built site's index, loading the
/// fragments each search asks for, as the page does, and prints for each
/// query its suggestion, the fragments it loaded and, for each kind, the
/// tier, name and URL of its results.
fn node_search(output: &Path, queries: &[&str]) -> Vec<Value> {
    let script = r#"
const fs = require("fs");
const path = require("path");
const [out, js, ...queries] = process.argv.slice(1);
const s = require(js);
const read = (id) => {
  const text = fs.readFileSync(path.join(out, "search", id + ".js"), "utf8");
  return JSON.parse(text.slice("ChronicleSearch.add(".length, text.lastIndexOf(")")));
};
const prepared = s.prepare(read("index"), "/crisis/");
const results = queries.map((q) => {
  const loaded = [];
  let r = s.search(prepared, q);
  while (!r.complete) {
    for (const id of r.missing) { s.addFragment(prepared, read(id)); loaded.push(id); }
    r = s.search(prepared, q);
  }
  const row = { suggestion: r.suggestion, loaded };
  for (const k of ["days", "actors", "threads", "topics", "entries", "articles"]) {
    row[k] = r[k].map((m) => [m.tier, m.item && m.item.name, m.item && m.item.url]);
  }
  return row;
});
console.log(JSON.stringify(results));
"#;
    let js = repo().join("themes/default/static/search.js");
    let run = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(output)
        .arg(js)
        .args(queries)
        .output()
        .expect("node runs (Node.js 20 or later: tests/browser/setup.sh)");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

fn names(results: &Value, kind: &str) -> Vec<String> {
    results[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[1].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_script_finds_actors_by_alias_and_ranks_entries_in_the_built_index() {
    let site = Site::fixture();
    site.build_ok();
    let results = node_search(
        &site.output(),
        &[
            "mr lavrov",
            "SERGEÏ",
            "washington",
            "optimism",
            "nothing-matches-this",
        ],
    );
    // An alias finds its actor, exactly, with the actor's link.
    let lavrov = &results[0]["actors"][0];
    assert_eq!(lavrov[0], 0);
    assert_eq!(lavrov[1], "Sergey Lavrov");
    assert_eq!(lavrov[2], "/crisis/actors/lavrov/");
    // Case and accents are folded; a word of an alias matches.
    assert_eq!(results[1]["actors"][0][1], "Sergey Lavrov");
    // An alias finds the entries of its actor too: the headline match
    // first, then the others, newest first.
    let washington = &results[2];
    assert_eq!(washington["actors"][0][1], "United States");
    assert_eq!(
        names(washington, "entries"),
        [
            "Washington warns of sanctions",
            "US delivers written reply to Russia"
        ]
    );
    assert_eq!(
        washington["entries"][0][2],
        "/crisis/days/2022-01-26/#sanctions-warning"
    );
    let optimism = &results[3]["entries"][0];
    assert_eq!(optimism[1], "Lavrov sees little room for optimism");
    for kind in ["actors", "threads", "topics", "entries", "articles"] {
        assert_eq!(results[4][kind], Value::Array(vec![]), "{kind}");
    }
}

#[test]
fn the_shipped_site_finds_the_kremlin_by_alias() {
    let (_dir, output) = common::shipped_built();
    let results = node_search(&output, &["kremlin", "Russian presidency"]);
    for r in &results {
        assert_eq!(r["actors"][0][0], 0, "an exact alias ranks first");
        assert_eq!(r["actors"][0][1], "The Kremlin");
        assert!(!r["entries"].as_array().unwrap().is_empty());
    }
}

#[test]
fn the_shipped_site_forgives_misspelt_names_and_suggests_the_spelling() {
    let (_dir, output) = common::shipped_built();
    let cases = [
        ("Zelenksy", "Volodymyr Zelenskyy", "Zelenskyy"),
        ("Blinkin", "Antony Blinken", "Blinken"),
        ("Lavorv", "Sergey Lavrov", "Lavrov"),
        ("Stoltenburg", "Jens Stoltenberg", "Stoltenberg"),
        ("putn", "Vladimir Putin", "Putin"),
        // Wrong first letters: found through the names' vocabulary.
        ("Bilnken", "Antony Blinken", "Blinken"),
        ("Ztoltenberg", "Jens Stoltenberg", "Stoltenberg"),
    ];
    let queries: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let results = node_search(&output, &queries);
    for ((query, actor, spelling), r) in cases.iter().zip(&results) {
        let actors = names(r, "actors");
        assert!(actors.iter().any(|a| a == actor), "{query}: {actors:?}");
        assert_eq!(r["suggestion"], *spelling, "{query}");
        // The actor's entries are found too, by typo (tier 3).
        let entries = r["entries"].as_array().unwrap();
        assert!(!entries.is_empty(), "{query}");
        assert!(entries.iter().all(|e| e[0] == 3), "{query}");
        let surname = spelling.to_lowercase();
        assert!(
            names(r, "entries")
                .iter()
                .any(|h| h.to_lowercase().contains(&surname)),
            "{query}: a headline names {spelling}"
        );
    }
    // Spelt right, there is no suggestion and the name ranks first.
    let right = node_search(&output, &["Zelenskyy", "Lavrov"]);
    for r in &right {
        assert_eq!(r["suggestion"], Value::Null);
        assert!(r["actors"][0][0].as_u64().unwrap() <= 1);
    }
}

#[test]
fn the_shipped_site_matches_short_words_whole_and_finds_days_by_date() {
    let (_dir, output) = common::shipped_built();
    let results = node_search(
        &output,
        &[
            "UK",
            "cat",
            "2022-01-26",
            "26 January 2022",
            "Wednesday 26 January 2022",
        ],
    );
    // "UK" is the United Kingdom, and no entry only by "Ukraine".
    let uk = &results[0];
    assert_eq!(uk["actors"][0][1], "United Kingdom");
    assert_eq!(uk["actors"][0][0], 0);
    let entries = names(uk, "entries");
    assert!(!entries.is_empty() && entries.len() < 30, "{entries:?}");
    assert!(
        !names(uk, "threads").iter().any(|t| t.contains("Ukraine")),
        "{uk}"
    );
    // "cat" finds no Catholic.
    let cat = serde_json::to_string(&results[1]).unwrap();
    assert!(!cat.to_lowercase().contains("catholic"), "{cat}");
    // A date, in ISO or the site's own words, finds its day and its
    // entries, in time order.
    for r in &results[2..] {
        assert_eq!(r["days"][0][1], "Wednesday 26 January 2022");
        assert_eq!(r["days"][0][2], "/crisis/days/2022-01-26/");
        let entries = r["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 39, "the busiest day's entries");
        // The first 20 are shown (their records loaded), the rest counted.
        let shown: Vec<&str> = entries.iter().filter_map(|e| e[2].as_str()).collect();
        assert_eq!(shown.len(), 20);
        assert!(shown
            .iter()
            .all(|url| url.starts_with("/crisis/days/2022-01-26/#")));
        assert!(r["loaded"]
            .as_array()
            .unwrap()
            .iter()
            .all(|id| id.as_str().unwrap().starts_with("d/")));
    }
}

#[test]
fn the_search_script_passes_its_node_tests() {
    // Matching and ranking in search.js, as pure functions (tests/search/).
    let run = Command::new("node")
        .args(["--test", "tests/search/"])
        .current_dir(common::repo())
        .output()
        .expect("node runs (Node.js 20 or later: tests/browser/setup.sh)");
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_search_page_works_from_a_file_url() {
    // Built for its own directory as the base path, the site opens from
    // file://, where a page may not fetch: the index's fragments are
    // scripts, loaded with <script> elements.
    let site = Site::fixture();
    let output = site.root().join("file-site");
    let base = format!("{}/", output.display());
    let report = chronicle::build(&chronicle::BuildOptions {
        root: site.root().to_path_buf(),
        overrides: chronicle::config::Overrides {
            output_dir: Some(output.clone()),
            base_url: Some(base.clone()),
            strict: false,
        },
        ..Default::default()
    });
    assert!(report.succeeded(), "{:?}", report.diagnostics.items());
    let script = r#"
const { createRequire } = require("module");
const [modules, chromiumPath, url] = process.argv.slice(1);
const { chromium } = createRequire(modules + "/")("playwright-core");
(async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => /result/.test(document.querySelector("[data-search-status]").textContent), null, { timeout: 10000 });
  const text = await page.locator("main").innerText();
  console.log(JSON.stringify({ text, errors }));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
"#;
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let run = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(repo().join("tests/browser/node_modules"))
        .arg(&chromium)
        .arg(format!("file://{base}search/index.html?q=Lavorv"))
        .output()
        .expect("node runs (tests/browser/setup.sh)");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out: Value = serde_json::from_slice(&run.stdout).unwrap();
    let text = out["text"].as_str().unwrap();
    assert!(text.contains("Did you mean Lavrov?"), "{text}");
    assert!(text.contains("Sergey Lavrov"), "{text}");
    assert_eq!(out["errors"], Value::Array(vec![]));
}

//! The theme's search.js under Node: its own tests (tests/search/, pure
//! functions) and searches against the index of a built fixture site and of
//! the shipped chronicle. The index files themselves are checked by
//! `cargo test` (tests/it/search.rs).

use std::path::Path;
use std::process::Command;

use chronicle::config::Overrides;
use chronicle::BuildOptions;
use serde_json::Value;

use crate::common::{self, repo, Site};

/// Runs search.js under Node against a built site's index and prints, for
/// each query, the kind, tier and name of the first results of each kind.
fn node_search(output: &Path, queries: &[&str]) -> Vec<Value> {
    let script = r#"
const fs = require("fs");
const path = require("path");
const [out, js, ...queries] = process.argv.slice(1);
const s = require(js);
const read = (f) => JSON.parse(fs.readFileSync(path.join(out, f), "utf8"));
const index = read("search-index.json");
const prepared = s.prepare(index, "/crisis/");
for (const file of index.entries) s.addEntries(prepared, read(file));
const results = queries.map((q) => {
  const r = s.search(prepared, q);
  const row = {};
  for (const k of ["actors", "threads", "topics", "entries", "articles"]) {
    row[k] = r[k].map((m) => [m.tier, m.item.name, m.item.url]);
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
    // Case and accents are folded; a prefix of an alias matches.
    assert_eq!(results[1]["actors"][0][1], "Sergey Lavrov");
    // An alias finds the entries of its actor too: the headline match
    // first, then the others, newest first.
    let washington = &results[2];
    assert_eq!(washington["actors"][0][1], "United States");
    let entries: Vec<&str> = washington["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[1].as_str().unwrap())
        .collect();
    assert_eq!(
        entries,
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
    let dir = common::shipped_copy();
    let report = chronicle::build(&BuildOptions {
        root: dir.path().to_path_buf(),
        overrides: Overrides::default(),
        ..Default::default()
    });
    assert!(report.succeeded());
    let output = report.output.unwrap();
    let results = node_search(&output, &["kremlin", "Russian presidency"]);
    for r in &results {
        assert_eq!(r["actors"][0][0], 0, "an exact alias ranks first");
        assert_eq!(r["actors"][0][1], "The Kremlin");
        assert!(!r["entries"].as_array().unwrap().is_empty());
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

//! Data exports: chronicle.json (validated against its JSON Schema) and
//! timeline.json (TimelineJS), checked against the built site.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::Site;
use serde_json::Value;

const SCHEMA_URL: &str = "https://chronicle.invalid/chronicle.schema.json";

fn schema_text() -> &'static str {
    include_str!("../../docs/chronicle.schema.json")
}

/// The schema, compiled, with format assertions on.
fn compiled_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let schema: Value = serde_json::from_str(schema_text()).expect("the schema is JSON");
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource(SCHEMA_URL, schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile(SCHEMA_URL, &mut schemas)
        .unwrap_or_else(|e| panic!("the schema does not compile: {e:#}"));
    (schemas, index)
}

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.page(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn built_fixture() -> (Site, chronicle::BuildReport) {
    let site = Site::fixture();
    let report = site.build_ok();
    (site, report)
}

fn entry<'a>(data: &'a Value, id: &str) -> &'a Value {
    data["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no entry {id}"))
}

fn strs(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// The output file a site URL points to, and the fragment.
fn target(site: &Site, url: &str) -> (String, String) {
    let rest = url
        .strip_prefix("https://example.org/crisis/")
        .unwrap_or_else(|| panic!("{url} is not under base_url"));
    let (path, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    (
        site.page(&format!("{path}index.html")),
        fragment.to_string(),
    )
}

#[test]
fn chronicle_json_is_valid_against_its_schema() {
    let (site, _) = built_fixture();
    let data = json(&site, "chronicle.json");
    let (schemas, index) = compiled_schema();
    if let Err(e) = schemas.validate(&data, index) {
        panic!("chronicle.json does not validate: {e:#}");
    }
    // The schema is published beside it, as kept in docs/.
    assert_eq!(site.page("chronicle.schema.json"), schema_text());
    assert_eq!(
        data["$schema"],
        "https://example.org/crisis/chronicle.schema.json"
    );
    assert_eq!(
        data["generator"],
        format!("chronicle {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(data["site"]["base_url"], "https://example.org/crisis/");
    assert_eq!(data["site"]["timezone"], "Europe/Kyiv");
}

/// A way to break a valid document.
type Breakage = Box<dyn Fn(&mut Value)>;

#[test]
fn the_schema_rejects_broken_documents() {
    let (site, _) = built_fixture();
    let good = json(&site, "chronicle.json");
    let (schemas, index) = compiled_schema();
    assert!(schemas.validate(&good, index).is_ok());

    let broken: Vec<(&str, Breakage)> = vec![
        (
            "an entry without id",
            Box::new(|d| {
                d["entries"][0].as_object_mut().unwrap().remove("id");
            }),
        ),
        (
            "an all-day entry with a time",
            Box::new(|d| {
                let e = d["entries"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|e| e["all_day"] == true)
                    .unwrap();
                e["time"] = Value::from("2022-01-26T10:00:00+02:00");
            }),
        ),
        (
            "a timed entry with a date for a time",
            Box::new(|d| {
                let e = d["entries"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|e| e["all_day"] == false)
                    .unwrap();
                e["time"] = Value::from("yesterday");
            }),
        ),
        (
            "an unknown actor kind",
            Box::new(|d| d["actors"][0]["kind"] = Value::from("alien")),
        ),
        (
            "an unknown field",
            Box::new(|d| d["entries"][0]["colour"] = Value::from("red")),
        ),
        (
            "a passage without text",
            Box::new(|d| {
                d["entries"][0]["sources"][0]["evidence"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("text");
            }),
        ),
        (
            "no articles",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("articles");
            }),
        ),
    ];
    for (what, breaks) in broken {
        let mut data = good.clone();
        breaks(&mut data);
        assert!(
            schemas.validate(&data, index).is_err(),
            "the schema accepts {what}"
        );
    }
}

#[test]
fn chronicle_json_holds_what_the_site_shows() {
    let (site, report) = built_fixture();
    let data = json(&site, "chronicle.json");
    let entries = data["entries"].as_array().unwrap();
    assert_eq!(entries.len(), report.stats.entries);
    assert_eq!(entries.len(), 5, "four in the live blog, one in the wire");
    assert_eq!(
        data["threads"].as_array().unwrap().len(),
        report.stats.threads
    );
    assert_eq!(
        data["actors"].as_array().unwrap().len(),
        report.stats.actors
    );
    assert_eq!(
        data["topics"].as_array().unwrap().len(),
        report.stats.topics
    );
    assert_eq!(
        data["articles"].as_array().unwrap().len(),
        report.stats.articles
    );

    // Every reference resolves to a registry item.
    let registry = |name: &str, key: &str| -> BTreeSet<String> {
        data[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[key].as_str().unwrap().to_string())
            .collect()
    };
    let (threads, actors, topics, articles) = (
        registry("threads", "id"),
        registry("actors", "id"),
        registry("topics", "id"),
        registry("articles", "slug"),
    );
    let mut ids = BTreeSet::new();
    for e in entries {
        assert!(ids.insert(e["id"].as_str().unwrap()), "duplicate id");
        assert!(strs(&e["threads"]).iter().all(|t| threads.contains(*t)));
        assert!(strs(&e["actors"]).iter().all(|a| actors.contains(*a)));
        assert!(strs(&e["topics"]).iter().all(|t| topics.contains(*t)));
        // The entry is where its url says, on its day's page.
        let (page, fragment) = target(&site, e["url"].as_str().unwrap());
        assert_eq!(fragment, e["anchor"].as_str().unwrap());
        assert!(page.contains(&format!("id=\"{fragment}\"")), "{}", e["url"]);
        assert!(e["url"]
            .as_str()
            .unwrap()
            .contains(&format!("/days/{}/", e["day"].as_str().unwrap())));
        for s in e["sources"].as_array().unwrap() {
            assert!(articles.contains(s["article"].as_str().unwrap()));
        }
    }

    // Times are in the site's zone; all-day entries have none.
    let written = entry(&data, "us-written-response");
    assert_eq!(written["time"], "2022-01-26T20:04:00+02:00");
    assert_eq!(written["all_day"], false);
    assert_eq!(written["place"], "Moscow");
    assert_eq!(
        written["threads"],
        serde_json::json!(["security-guarantees"])
    );
    assert_eq!(written["actors"], serde_json::json!(["blinken", "usa"]));
    let all_day = entries.iter().find(|e| e["all_day"] == true).unwrap();
    assert_eq!(all_day["time"], Value::Null);
    assert_eq!(all_day["day"], "2022-01-26");
    // The entry at 23:30 UTC is on the next day in Kyiv.
    assert_eq!(entry(&data, "late-night-statement")["day"], "2022-01-27");

    // A same_as reference adds a source to the entry, not an entry.
    let sources = written["sources"].as_array().unwrap();
    let slugs: Vec<&str> = sources
        .iter()
        .map(|s| s["article"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["live-0126", "wire-moscow"]);
    assert_eq!(sources[0]["outlet"], "Example Wire");
    assert_eq!(
        sources[0]["original_url"],
        "https://news.example.com/live/0126"
    );
    assert_eq!(sources[1]["original_url"], Value::Null);
    assert_eq!(
        sources[1]["evidence"][0]["text"],
        "The reply was delivered by the US ambassador"
    );
    let texts: Vec<&str> = sources[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "delivered a written response",
            "opens the door",
            "opens the door for a diplomatic resolution"
        ]
    );
    let quote = &written["quotes"][0];
    assert_eq!(quote["actor"], "blinken");
    assert_eq!(quote["article"], "live-0126");
    assert!(quote["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("#{}", quote["anchor"].as_str().unwrap())));

    // Every passage's text is in its article, and its anchor on the article's page.
    let files: BTreeMap<&str, String> = data["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let text =
                std::fs::read_to_string(site.root().join(a["path"].as_str().unwrap())).unwrap();
            (
                a["slug"].as_str().unwrap(),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    let mut passages = 0;
    for e in entries {
        for s in e["sources"].as_array().unwrap() {
            let article = &files[s["article"].as_str().unwrap()];
            for p in s["evidence"].as_array().unwrap() {
                let text = p["text"].as_str().unwrap();
                assert!(article.contains(text), "{text:?} is not in its article");
                let (page, fragment) = target(&site, p["url"].as_str().unwrap());
                assert_eq!(fragment, p["anchor"].as_str().unwrap());
                assert!(page.contains(&format!("id=\"{fragment}\"")));
                passages += 1;
            }
        }
    }
    assert_eq!(passages, report.stats.passages);

    // Registries.
    let lavrov = data["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "lavrov")
        .unwrap();
    assert_eq!(lavrov["affiliation"], "russia");
    assert_eq!(lavrov["kind"], "person");
    assert_eq!(lavrov["description"], "Russia's *chief* diplomat.");
    assert_eq!(lavrov["url"], "https://example.org/crisis/actors/lavrov/");
    let wire = data["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "wire-moscow")
        .unwrap();
    assert_eq!(wire["format"], "text");
    assert_eq!(wire["published"], "2022-01-27");
    assert_eq!(
        wire["entries"],
        serde_json::json!(["us-written-response", "lavrov-little-optimism"])
    );
}

#[test]
fn exports_are_deterministic() {
    let (a, _) = built_fixture();
    let (b, _) = built_fixture();
    for file in ["chronicle.json", "timeline.json"] {
        assert_eq!(a.page(file), b.page(file), "{file} differs between builds");
    }
}

#[test]
fn timeline_json_has_one_event_per_entry() {
    let (site, _) = built_fixture();
    let data = json(&site, "chronicle.json");
    let timeline = json(&site, "timeline.json");
    let events = timeline["events"].as_array().unwrap();
    let entries = data["entries"].as_array().unwrap();
    assert_eq!(events.len(), entries.len());
    assert_eq!(timeline["title"]["text"]["headline"], "Test chronicle");

    let mut unique = BTreeSet::new();
    for (event, entry) in events.iter().zip(entries) {
        assert_eq!(event["unique_id"], entry["id"]);
        assert!(unique.insert(event["unique_id"].as_str().unwrap()));
        // No groups by default: TimelineJS stacks events in as few rows
        // as they need, and a 650 px embed shows whole headlines.
        assert!(event.get("group").is_none());
        assert_eq!(event["text"]["headline"], entry["headline"]);
        // Links are absolute, to the entry and to each source's page.
        let text = event["text"]["text"].as_str().unwrap();
        assert!(text.contains(&format!("href=\"{}\"", entry["url"].as_str().unwrap())));
        for s in entry["sources"].as_array().unwrap() {
            assert!(text.contains(&format!("href=\"{}\"", s["url"].as_str().unwrap())));
        }
        let date = &event["start_date"];
        let day = entry["day"].as_str().unwrap();
        assert_eq!(
            format!(
                "{:04}-{:02}-{:02}",
                date["year"].as_i64().unwrap(),
                date["month"].as_i64().unwrap(),
                date["day"].as_i64().unwrap()
            ),
            day
        );
        assert_eq!(date.get("hour").is_none(), entry["all_day"] == true);
    }
    let written = events
        .iter()
        .find(|e| e["unique_id"] == "us-written-response")
        .unwrap();
    assert_eq!(
        written["start_date"],
        serde_json::json!({
            "year": 2022, "month": 1, "day": 26, "hour": 20, "minute": 4,
            "display_date": "Wednesday 26 January 2022, 20:04 EET"
        })
    );
    assert!(written["text"]["text"]
        .as_str()
        .unwrap()
        .starts_with("<p>The US ambassador handed the reply"));
}

#[test]
fn timeline_groups_threads_puts_each_event_in_its_first_threads_group() {
    let site = Site::fixture_with(&format!(
        "{}timeline_groups = \"threads\"\n",
        common::SITE_TOML
    ));
    site.build_ok();
    let data = json(&site, "chronicle.json");
    let timeline = json(&site, "timeline.json");
    let titles: BTreeMap<&str, &str> = data["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["title"].as_str().unwrap()))
        .collect();
    let events = timeline["events"].as_array().unwrap();
    for (event, entry) in events.iter().zip(data["entries"].as_array().unwrap()) {
        let first_thread = entry["threads"][0].as_str().unwrap();
        // TimelineJS shows the group as HTML.
        assert_eq!(event["group"], titles[first_thread].replace('\'', "&#39;"));
    }
    let written = events
        .iter()
        .find(|e| e["unique_id"] == "us-written-response")
        .unwrap();
    assert_eq!(
        written["group"],
        "Russia&#39;s demands for security guarantees"
    );
}

#[test]
fn an_unknown_timeline_groups_value_names_the_ones_there_are() {
    let site = Site::fixture_with(&format!(
        "{}timeline_groups = \"topics\"\n",
        common::SITE_TOML
    ));
    let report = site.build();
    assert!(!report.succeeded());
    let out = common::messages(&report).join("\n");
    assert!(out.contains("site.toml:"), "{out}");
    assert!(out.contains("`none`") && out.contains("`threads`"), "{out}");
}

#[test]
fn timeline_headlines_are_escaped_html() {
    let site = Site::fixture();
    site.write(
        "content/articles/2022/01/odd.md",
        r#"---
title: Odd
source: Example Wire
published: 2022-01-28
entries:
  - id: odd-headline
    at: 2022-01-28
    headline: "Talks <b>stall</b> & resume"
    evidence: ["talks stalled"]
---
The talks stalled.
"#,
    );
    site.build_ok();
    let timeline = json(&site, "timeline.json");
    let event = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "odd-headline")
        .unwrap();
    assert_eq!(
        event["text"]["headline"],
        "Talks &lt;b&gt;stall&lt;/b&gt; &amp; resume"
    );
    // An entry in no thread is in no group.
    assert!(event.get("group").is_none());
    // chronicle.json keeps the headline as written.
    let data = json(&site, "chronicle.json");
    assert_eq!(
        entry(&data, "odd-headline")["headline"],
        "Talks <b>stall</b> & resume"
    );
}

#[test]
fn the_shipped_chronicle_exports_valid_data() {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        common::copy_dir(&common::repo().join(part), &dir.path().join(part));
    }
    std::fs::copy(
        common::repo().join("site.toml"),
        dir.path().join("site.toml"),
    )
    .unwrap();
    let report = chronicle::build(&chronicle::BuildOptions {
        root: dir.path().to_path_buf(),
        overrides: Default::default(),
        ..Default::default()
    });
    assert!(report.succeeded(), "{:?}", common::messages(&report));
    let output = report.output.clone().unwrap();
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(output.join(name)).unwrap()).unwrap()
    };
    let data = read("chronicle.json");
    let (schemas, index) = compiled_schema();
    if let Err(e) = schemas.validate(&data, index) {
        panic!("the shipped chronicle.json does not validate: {e:#}");
    }
    let entries = data["entries"].as_array().unwrap();
    assert_eq!(entries.len(), report.stats.entries);
    let passages: usize = entries
        .iter()
        .flat_map(|e| e["sources"].as_array().unwrap())
        .map(|s| s["evidence"].as_array().unwrap().len())
        .sum();
    assert_eq!(passages, report.stats.passages);
    let timeline = read("timeline.json");
    assert_eq!(timeline["events"].as_array().unwrap().len(), entries.len());
}

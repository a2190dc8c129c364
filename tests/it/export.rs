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

/// The list `key` of `object`: `[]` when left out, its default.
fn list<'a>(object: &'a Value, key: &str) -> &'a [Value] {
    match object.get(key) {
        None => &[],
        Some(v) => v
            .as_array()
            .unwrap_or_else(|| panic!("{key} is not a list")),
    }
}

fn strs<'a>(object: &'a Value, key: &str) -> Vec<&'a str> {
    list(object, key)
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// The articles of `chronicle.json` by slug.
fn articles_by_slug(data: &Value) -> BTreeMap<&str, &Value> {
    list(data, "articles")
        .iter()
        .map(|a| (a["slug"].as_str().unwrap(), a))
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
    assert_eq!(data["version"], chronicle::render::export::FORMAT_VERSION);
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
            "a timed entry with a date for a time",
            Box::new(|d| {
                let e = d["entries"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|e| e.get("time").is_some())
                    .unwrap();
                e["time"] = Value::from("yesterday");
            }),
        ),
        (
            "a time of null (left out instead)",
            Box::new(|d| d["entries"][0]["time"] = Value::Null),
        ),
        (
            "a field written holding its default",
            Box::new(|d| d["entries"][0]["circa"] = Value::from(false)),
        ),
        (
            "an empty list written out",
            Box::new(|d| d["entries"][0]["corrections"] = serde_json::json!([])),
        ),
        (
            "an empty string written out",
            Box::new(|d| d["articles"][0]["outlet"] = Value::from("")),
        ),
        (
            "a source repeating its article's title",
            Box::new(|d| d["entries"][0]["sources"][0]["title"] = Value::from("A title")),
        ),
        (
            "a passage with the URL made of its anchor",
            Box::new(|d| {
                d["entries"][0]["sources"][0]["evidence"][0]["url"] =
                    Value::from("https://example.org/crisis/articles/live-0126/#ev-1")
            }),
        ),
        (
            "the summary's HTML",
            Box::new(|d| d["entries"][0]["summary_html"] = Value::from("<p>x</p>")),
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

/// The schema of the objects of kind `kind` (`site`, or a name in `$defs`).
fn schema_of<'a>(schema: &'a Value, kind: &str) -> &'a Value {
    match kind {
        "site" => &schema["properties"]["site"],
        _ => &schema["$defs"][kind],
    }
}

/// Every object of `data` below the top level, with its kind.
fn objects(data: &Value) -> Vec<(&'static str, &Value)> {
    let mut out = vec![("site", &data["site"])];
    for (key, kind) in [
        ("threads", "thread"),
        ("actors", "actor"),
        ("topics", "topic"),
        ("articles", "article"),
    ] {
        out.extend(list(data, key).iter().map(|x| (kind, x)));
    }
    for e in list(data, "entries") {
        out.push(("entry", e));
        out.extend(e.get("claim").map(|c| ("claim", c)));
        out.extend(list(e, "corrections").iter().map(|c| ("correction", c)));
        out.extend(list(e, "quotes").iter().map(|q| ("quote", q)));
        for s in list(e, "sources") {
            out.push(("source", s));
            out.extend(list(s, "evidence").iter().map(|p| ("passage", p)));
        }
    }
    out
}

#[test]
fn chronicle_json_leaves_out_defaults_and_says_each_fact_once() {
    // The fixture, and the editorial one's round-up: claims, corrections,
    // approximate times, provenance.
    let site = Site::fixture_with(&format!("{}publisher = \"Desk\"\n", common::SITE_TOML));
    site.write(
        "content/articles/2022/02/roundup-0201.md",
        &std::fs::read_to_string(common::repo().join("tests/fixtures/editorial/roundup-0201.md"))
            .unwrap(),
    );
    site.build_ok();
    let data = json(&site, "chronicle.json");
    let schema: Value = serde_json::from_str(schema_text()).unwrap();
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (kind, object) in objects(&data) {
        let of_kind = schema_of(&schema, kind);
        let required = strs(of_kind, "required");
        for (field, value) in object.as_object().unwrap() {
            let property = &of_kind["properties"][field];
            assert!(property.is_object(), "{kind} has an unknown {field}");
            if !required.contains(&field.as_str()) {
                // An optional field is written only when it holds more
                // than its default.
                let default = property.get("default");
                assert!(
                    default.is_some(),
                    "{kind}.{field} is optional, with no default"
                );
                assert_ne!(Some(value), default, "{kind}.{field} holds its default");
                *seen.entry((kind, field)).or_default() += 1;
            }
        }
    }
    // The fixtures hold what the optional fields are for: set on some
    // objects, so each check above ran.
    for field in [
        ("entry", "time"),
        ("entry", "circa"),
        ("entry", "claim"),
        ("entry", "corrections"),
        ("entry", "quotes"),
        ("entry", "summary"),
        ("entry", "place"),
        ("source", "evidence"),
        ("article", "original_url"),
        ("article", "sha256"),
        ("actor", "affiliation"),
        ("claim", "disputed_by"),
    ] {
        assert!(seen.contains_key(&field), "no object sets {field:?}");
    }
    // And leave them out: objects without them.
    let entries = list(&data, "entries");
    for field in [
        "time",
        "circa",
        "claim",
        "corrections",
        "quotes",
        "summary",
        "place",
    ] {
        assert!(
            entries.iter().any(|e| e.get(field).is_none()),
            "every entry has {field}"
        );
    }

    // What the rest of the file says is not said again.
    for e in entries {
        for repeated in ["anchor", "all_day", "summary_html"] {
            assert!(e.get(repeated).is_none(), "an entry has {repeated}");
        }
        for s in list(e, "sources") {
            let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
            keys.retain(|k| *k != "evidence");
            assert_eq!(keys, ["article"], "a source repeats its article: {s}");
            for p in list(s, "evidence") {
                assert!(p.get("url").is_none(), "a passage has its url: {p}");
            }
        }
        for q in list(e, "quotes") {
            assert!(q.get("url").is_none(), "a quote has its url: {q}");
        }
    }
    for a in list(&data, "articles") {
        assert!(a.get("entries").is_none(), "an article lists its entries");
    }
}

#[test]
fn the_schema_gives_each_optional_field_its_default() {
    let schema: Value = serde_json::from_str(schema_text()).unwrap();
    let kinds = ["site"].into_iter().chain(
        schema["$defs"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, d)| d.get("properties").is_some())
            .map(|(k, _)| k.as_str()),
    );
    for kind in kinds {
        let of_kind = schema_of(&schema, kind);
        let required = strs(of_kind, "required");
        assert_eq!(of_kind["additionalProperties"], false, "{kind}");
        for (field, property) in of_kind["properties"].as_object().unwrap() {
            let optional = !required.contains(&field.as_str());
            assert_eq!(
                property.get("default").is_some(),
                optional,
                "{kind}.{field}: a default exactly when optional"
            );
        }
        for field in required {
            assert!(of_kind["properties"].get(field).is_some(), "{kind}.{field}");
        }
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
        assert!(strs(e, "threads").iter().all(|t| threads.contains(*t)));
        assert!(strs(e, "actors").iter().all(|a| actors.contains(*a)));
        assert!(strs(e, "topics").iter().all(|t| topics.contains(*t)));
        // The entry is where its url says, on its day's page: the
        // fragment is its anchor there.
        let (page, fragment) = target(&site, e["url"].as_str().unwrap());
        assert!(!fragment.is_empty(), "{}", e["url"]);
        assert!(page.contains(&format!("id=\"{fragment}\"")), "{}", e["url"]);
        assert!(e["url"]
            .as_str()
            .unwrap()
            .contains(&format!("/days/{}/", e["day"].as_str().unwrap())));
        for s in e["sources"].as_array().unwrap() {
            assert!(articles.contains(s["article"].as_str().unwrap()));
        }
    }

    // Times are in the site's zone; an entry with only a date has none.
    let written = entry(&data, "us-written-response");
    assert_eq!(written["time"], "2022-01-26T20:04:00+02:00");
    assert_eq!(written["place"], "Moscow");
    assert_eq!(
        written["threads"],
        serde_json::json!(["security-guarantees"])
    );
    assert_eq!(written["actors"], serde_json::json!(["blinken", "usa"]));
    let all_day = entries
        .iter()
        .find(|e| e["headline"] == "Talks continue all day")
        .unwrap();
    assert!(all_day.get("time").is_none(), "{all_day}");
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
    // A source names its article; the article's facts are under its slug.
    let by_slug = articles_by_slug(&data);
    assert_eq!(by_slug["live-0126"]["outlet"], "Example Wire");
    assert_eq!(
        by_slug["live-0126"]["original_url"],
        "https://news.example.com/live/0126"
    );
    assert!(by_slug["wire-moscow"].get("original_url").is_none());
    assert_eq!(
        sources[1]["evidence"][0]["text"],
        "The reply was delivered by the US ambassador"
    );
    let texts: Vec<&str> = list(&sources[0], "evidence")
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
    // A quote is on its article's page at its anchor.
    let quote = &written["quotes"][0];
    assert_eq!(quote["actor"], "blinken");
    assert_eq!(quote["article"], "live-0126");
    let quoted = by_slug["live-0126"]["url"].as_str().unwrap();
    let (page, fragment) = target(
        &site,
        &format!("{quoted}#{}", quote["anchor"].as_str().unwrap()),
    );
    assert!(page.contains(&format!("id=\"{fragment}\"")), "{quote}");

    // Every passage's text is in its article, and its anchor on the article's page.
    let files: BTreeMap<&str, String> = list(&data, "articles")
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
            let slug = s["article"].as_str().unwrap();
            let page = by_slug[slug]["url"].as_str().unwrap();
            for p in list(s, "evidence") {
                let text = p["text"].as_str().unwrap();
                assert!(files[slug].contains(text), "{text:?} is not in its article");
                // The anchor is on the article's page.
                let anchor = p["anchor"].as_str().unwrap();
                let (html, fragment) = target(&site, &format!("{page}#{anchor}"));
                assert!(html.contains(&format!("id=\"{fragment}\"")), "{p}");
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
    let wire = by_slug["wire-moscow"];
    assert_eq!(wire["format"], "text");
    assert_eq!(wire["published"], "2022-01-27");
    // The entries an article reports are those whose sources name it, in
    // time order: as its page lists them.
    let reported: Vec<&str> = entries
        .iter()
        .filter(|e| {
            list(e, "sources")
                .iter()
                .any(|s| s["article"] == "wire-moscow")
        })
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(reported, ["us-written-response", "lavrov-little-optimism"]);
    let wire_page = site.page("articles/wire-moscow/index.html");
    for id in reported {
        assert!(wire_page.contains(&format!("#{id}\"")), "{id}");
    }
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

    let by_slug = articles_by_slug(&data);
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
            let page = by_slug[s["article"].as_str().unwrap()]["url"]
                .as_str()
                .unwrap();
            assert!(text.contains(&format!("href=\"{page}\"")));
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
        assert_eq!(date.get("hour").is_none(), entry.get("time").is_none());
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

/// The fixture with `setting` added to its site.toml.
fn fixture_setting(setting: &str) -> Site {
    if setting.starts_with("exports") {
        Site::fixture_with(&format!("{}{setting}\n", site_toml_without_exports()))
    } else {
        Site::fixture_with(&format!("{}{setting}\n", common::SITE_TOML))
    }
}

/// The fixture's site.toml without its `exports` line (it asks for both).
fn site_toml_without_exports() -> String {
    common::SITE_TOML
        .lines()
        .filter(|l| !l.starts_with("exports"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The `unique_id`s of timeline.json's events.
fn event_ids(site: &Site) -> Vec<String> {
    list(&json(site, "timeline.json"), "events")
        .iter()
        .map(|e| e["unique_id"].as_str().unwrap().to_string())
        .collect()
}

/// The ids of chronicle.json's entries, in its (time) order.
fn entry_ids(site: &Site) -> Vec<String> {
    list(&json(site, "chronicle.json"), "entries")
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn timeline_limit_keeps_the_newest_entries_in_time_order() {
    let site = fixture_setting("timeline_limit = 2");
    site.build_ok();
    let entries = entry_ids(&site);
    assert_eq!(entries.len(), 5, "chronicle.json keeps every entry");
    assert_eq!(event_ids(&site), entries[entries.len() - 2..]);
    // A limit above the number of entries keeps them all.
    let site = fixture_setting("timeline_limit = 6");
    site.build_ok();
    assert_eq!(event_ids(&site), entry_ids(&site));
}

#[test]
fn timeline_limit_zero_keeps_every_entry() {
    let site = fixture_setting("timeline_limit = 0");
    site.build_ok();
    let entries = entry_ids(&site);
    assert_eq!(entries.len(), 5);
    assert_eq!(event_ids(&site), entries);
}

#[test]
fn a_timeline_limit_that_is_no_count_is_an_error_at_its_line() {
    for value in ["\"all\"", "-1", "2.5", "true"] {
        let site = fixture_setting(&format!("timeline_limit = {value}"));
        let report = site.build();
        assert!(!report.succeeded(), "timeline_limit = {value} was taken");
        let line = common::SITE_TOML.lines().count() + 1;
        let out = common::messages(&report).join("\n");
        assert!(
            out.contains(&format!("site.toml:{line}:")) && out.contains("invalid-config"),
            "timeline_limit = {value}: {out}"
        );
    }
}

#[test]
fn timeline_events_speak_the_themes_words() {
    let site = Site::fixture();
    site.write(
        "themes/default/theme.toml",
        "[words]\nsources = \"Sources citées\"\nin_the_chronicle = \"Dans la chronique\"\n",
    );
    site.build_ok();
    let timeline = site.page("timeline.json");
    assert!(timeline.contains("Sources citées: "), "{timeline}");
    assert!(timeline.contains(">Dans la chronique</a>"), "{timeline}");
    assert!(!timeline.contains("In the chronicle"));
    // English where the theme says nothing.
    let plain = Site::fixture();
    plain.build_ok();
    assert!(plain
        .page("timeline.json")
        .contains(">In the chronicle</a>"));
}

#[test]
fn exports_says_which_data_files_are_written() {
    let written = |site: &Site| {
        ["chronicle.json", "chronicle.schema.json", "timeline.json"]
            .into_iter()
            .filter(|f| site.output().join(f).is_file())
            .collect::<Vec<_>>()
    };
    let all = Site::fixture();
    all.build_ok();
    assert_eq!(written(&all).len(), 3);
    // Unless asked for, chronicle.json is not written.
    let default = Site::fixture_with(&site_toml_without_exports());
    default.build_ok();
    assert_eq!(written(&default), ["timeline.json"]);
    let none = fixture_setting("exports = []");
    none.build_ok();
    assert!(written(&none).is_empty(), "{:?}", written(&none));
    // The pages are all there still.
    assert!(none.output().join("days/2022-01-26/index.html").is_file());
    let timeline = fixture_setting("exports = [\"timeline\"]");
    timeline.build_ok();
    assert_eq!(written(&timeline), ["timeline.json"]);
    let chronicle = fixture_setting("exports = [\"chronicle\"]");
    chronicle.build_ok();
    assert_eq!(
        written(&chronicle),
        ["chronicle.json", "chronicle.schema.json"]
    );
}

#[test]
fn an_export_of_another_name_is_an_error_at_its_line() {
    let site = fixture_setting("exports = [\"timeline\", \"csv\"]");
    let report = site.build();
    assert!(!report.succeeded());
    let line = site_toml_without_exports().lines().count() + 1;
    let out = common::messages(&report).join("\n");
    // At the unknown name, saying which there are.
    assert!(out.contains(&format!("site.toml:{line}:24:")), "{out}");
    assert!(out.contains("expected `chronicle` or `timeline`"), "{out}");
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
        .flat_map(|e| list(e, "sources"))
        .map(|s| list(s, "evidence").len())
        .sum();
    assert_eq!(passages, report.stats.passages);
    // Fewer entries than timeline_limit's default (1000): all of them.
    let timeline = read("timeline.json");
    assert_eq!(timeline["events"].as_array().unwrap().len(), entries.len());
}

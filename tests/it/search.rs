//! Search: the index files the build writes, the search page and the box in
//! every page's header. The theme's search.js, run under Node against a
//! built index, is checked by the browser test (tests/browser/search_js.rs).

use crate::common;

use std::path::Path;

use chronicle::config::Overrides;
use chronicle::render::search::{fold, fragment_json, shard_count, shard_key, shard_of};
use chronicle::BuildOptions;
use common::{between, Site};
use serde_json::Value;

/// A fragment of the index (`search/<id>.js`), as its JSON.
fn fragment(site: &Site, id: &str) -> Value {
    let text = site.page(&format!("search/{id}.js"));
    let json = fragment_json(&text).unwrap_or_else(|| panic!("{id}: not a fragment script"));
    let value: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(value["id"], id, "a fragment names itself");
    value
}

fn resolved(root: &Path) -> chronicle::resolve::Chronicle {
    chronicle::load_and_resolve(&BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides::default(),
        ..Default::default()
    })
    .0
    .expect("the fixture resolves")
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn numbers(value: &Value) -> Vec<usize> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect()
}

/// Postings as written (differences) made absolute again.
fn undelta(value: &Value) -> Vec<usize> {
    numbers(value)
        .into_iter()
        .scan(0, |last, d| {
            *last += d;
            Some(*last)
        })
        .collect()
}

/// Fills a URL pattern of the index the way search.js does.
fn fill(pattern: &Value, slug: &str, day: &str, anchor: &str) -> String {
    pattern
        .as_str()
        .unwrap()
        .replace("{slug}", slug)
        .replace("{day}", day)
        .replace("{anchor}", anchor)
        // The fixture's days are one page each (a later page's part is
        // tested in build.rs and tests/search/).
        .replace("{page}", "")
}

/// The registry items' rows (`g/N.js`), actors, then threads, then topics,
/// as the three lists.
fn registry_rows(output: &Path) -> [Vec<Value>; 3] {
    let read = |id: &str| -> Value {
        let text = std::fs::read_to_string(output.join(format!("search/{id}.js"))).unwrap();
        serde_json::from_str(fragment_json(&text).unwrap()).unwrap()
    };
    let index = read("index");
    let counts = numbers(&index["registries"]);
    let chunk = index["registry_chunk"].as_u64().unwrap() as usize;
    let total: usize = counts.iter().sum();
    let mut rows: Vec<Value> = (0..total.div_ceil(chunk))
        .flat_map(|n| read(&format!("g/{n}"))["rows"].as_array().unwrap().clone())
        .collect();
    assert_eq!(rows.len(), total);
    let topics = rows.split_off(counts[0] + counts[1]);
    let threads = rows.split_off(counts[0]);
    [rows, threads, topics]
}

/// The index's files, from the output root, sorted.
fn index_files(site: &Site) -> Vec<String> {
    let root = site.output();
    let mut files: Vec<String> = walkdir(&root.join("search"))
        .into_iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p.ends_with(".js"))
        .collect();
    files.sort();
    files
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_manifest_holds_the_registries_days_dates_and_shards() {
    let site = Site::fixture();
    site.build_ok();
    let c = resolved(site.root());
    let index = fragment(&site, "index");
    assert_eq!(index["version"], 3);
    let urls = &index["urls"];
    let [actors, threads, topics] = registry_rows(&site.output());
    assert_eq!(actors.len(), c.actors.len());
    for (row, actor) in actors.iter().zip(&c.actors) {
        assert_eq!(row[0], actor.slug.as_str());
        assert_eq!(row[1], actor.name.as_str());
        assert_eq!(
            strings(&row[2]),
            actor.aliases,
            "every alias of {}",
            actor.id
        );
        assert_eq!(row[3], actor.kind.as_str());
        assert_eq!(row[4], actor.role.as_deref().unwrap_or(""));
        let page = fill(&urls["actor"], row[0].as_str().unwrap(), "", "");
        assert!(
            site.output().join(&page).join("index.html").is_file(),
            "{page}"
        );
    }
    let lavrov = actors.iter().find(|r| r[0] == "lavrov").unwrap();
    assert_eq!(
        strings(&lavrov[2]),
        ["Sergei Lavrov", "Lavrov", "Mr Lavrov"]
    );
    assert_eq!(lavrov[4], "Foreign Minister of Russia");

    for (key, registry) in [
        (
            "threads",
            c.threads
                .iter()
                .map(|t| (&t.slug, &t.title, &t.aliases))
                .collect::<Vec<_>>(),
        ),
        (
            "topics",
            c.topics
                .iter()
                .map(|t| (&t.slug, &t.name, &t.aliases))
                .collect(),
        ),
    ] {
        let rows = if key == "threads" { &threads } else { &topics };
        assert_eq!(rows.len(), registry.len(), "{key}");
        for (row, (slug, name, aliases)) in rows.iter().zip(registry) {
            assert_eq!(row[0], slug.as_str());
            assert_eq!(row[1], name.as_str());
            assert_eq!(&strings(&row[2]), aliases);
            let pattern = &urls[key.trim_end_matches('s')];
            let page = fill(pattern, slug, "", "");
            assert!(
                site.output().join(&page).join("index.html").is_file(),
                "{page}"
            );
        }
    }

    // The days with entries, each with its first entry; a day's page is
    // where the pattern says.
    let days = strings(&index["days"]);
    let starts = numbers(&index["day_starts"]);
    assert_eq!(days.len(), starts.len());
    assert_eq!(index["entries"], c.entries.len());
    assert_eq!(index["articles"], c.articles.len());
    for (i, (day, start)) in days.iter().zip(&starts).enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(c.entries.len());
        assert!(start < &end, "{day} has entries");
        for e in &c.entries[*start..end] {
            assert_eq!(e.day.to_string(), *day);
        }
        let page = fill(&urls["day"], "", day, "");
        assert!(
            site.output().join(&page).join("index.html").is_file(),
            "{page}"
        );
    }

    // The theme's date words, so that results write dates as pages do.
    assert_eq!(index["dates"]["long"], "{weekday} {day} {month} {year}");
    assert_eq!(index["dates"]["short"], "{day} {month} {year}");
    assert_eq!(index["dates"]["months"][0], "January");
    assert_eq!(index["dates"]["weekdays"][2], "Wednesday");

    // The shards are t/0.js to t/<shards - 1>.js, as many as the number
    // of documents says, whatever their words.
    let shards = index["shards"].as_u64().unwrap() as usize;
    assert_eq!(shards, shard_count(c.entries.len() + c.articles.len()));
    let mut written: Vec<String> = index_files(&site)
        .into_iter()
        .filter(|f| f.starts_with("search/t/"))
        .collect();
    written.sort();
    let mut expected: Vec<String> = (0..shards).map(|n| format!("search/t/{n}.js")).collect();
    expected.sort();
    assert_eq!(written, expected);
}

#[test]
fn term_shards_hold_every_word_of_headlines_summaries_titles_and_outlets() {
    let site = Site::fixture();
    site.build_ok();
    let c = resolved(site.root());
    let index = fragment(&site, "index");
    let entries = c.entries.len();
    let chunk = index["chunk"].as_u64().unwrap() as usize;
    let shards = index["shards"].as_u64().unwrap() as usize;
    // The postings of a word: [in headline or title, elsewhere].
    let postings = |word: &str| -> (Vec<usize>, Vec<usize>) {
        let key = shard_of(shard_key(word), shards);
        let shard = fragment(&site, &format!("t/{key}"));
        let p = &shard["terms"][word];
        assert!(p.is_array(), "{word} in t/{key}");
        (undelta(&p[0]), undelta(&p[1]))
    };
    let record = |doc: usize| -> Value {
        fragment(&site, &format!("d/{}", doc / chunk))["docs"][doc % chunk].clone()
    };
    // "Washington warns of sanctions": a headline word, once.
    let (head, other) = postings("washington");
    let headlines: Vec<String> = head
        .iter()
        .map(|&d| record(d)[1].as_str().unwrap().to_string())
        .collect();
    assert_eq!(headlines, ["Washington warns of sanctions"]);
    assert!(other.iter().all(|d| !head.contains(d)));
    // A summary word; a possessive is folded away ("ministry's" is
    // "ministry"), as search.js folds a query.
    let (_, other) = postings("ambassador");
    let reply = c
        .entries
        .iter()
        .position(|e| e.anchor == "us-written-response")
        .unwrap();
    assert!(other.contains(&reply), "{other:?}");
    // Articles follow the entries, oldest first; their outlet is a word.
    let (_, by_outlet) = postings("agency");
    assert!(!by_outlet.is_empty() && by_outlet.iter().all(|&d| d >= entries));
    let dates: Vec<String> = (entries..entries + c.articles.len())
        .map(|d| record(d)[3].as_str().unwrap().to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    // The registries' words are in the shards too, with the items whose
    // names or aliases hold them, and those whose role alone does.
    let lavrov = c.actors.iter().position(|a| a.slug == "lavrov").unwrap();
    let names = |word: &str| -> (Vec<usize>, Vec<usize>) {
        let shard = fragment(&site, &format!("t/{}", shard_of(shard_key(word), shards)));
        let p = &shard["names"][word];
        assert!(p.is_array(), "{word}: {shard}");
        (undelta(&p[0]), undelta(&p[1]))
    };
    assert_eq!(names("lavrov").0, [lavrov]);
    assert_eq!(names("sergei").0, [lavrov]);
    assert!(names("minister").1.contains(&lavrov));
    let thread = c.actors.len()
        + c.threads
            .iter()
            .position(|t| t.slug == "security-guarantees")
            .unwrap();
    assert!(names("guarantees").0.contains(&thread));
    // Words are folded: no capitals, accents or punctuation in the index.
    for file in index_files(&site)
        .iter()
        .filter(|f| f.starts_with("search/t/"))
    {
        let id = file
            .strip_prefix("search/")
            .unwrap()
            .strip_suffix(".js")
            .unwrap();
        let shard = fragment(&site, id);
        for (word, p) in shard["terms"].as_object().unwrap() {
            assert_eq!(&fold(word), word);
            assert_eq!(format!("t/{}", shard_of(shard_key(word), shards)), id);
            let (h, o) = (undelta(&p[0]), undelta(&p[1]));
            assert!(!h.is_empty() || !o.is_empty(), "{word}");
            assert!(h.windows(2).all(|w| w[0] < w[1]) && o.windows(2).all(|w| w[0] < w[1]));
        }
    }
}

#[test]
fn records_and_related_entries_lead_to_the_pages() {
    let site = Site::fixture();
    site.build_ok();
    let c = resolved(site.root());
    let index = fragment(&site, "index");
    let urls = &index["urls"];
    let chunk = index["chunk"].as_u64().unwrap() as usize;
    let days = strings(&index["days"]);
    let starts = numbers(&index["day_starts"]);
    let outlets = strings(&index["outlets"]);
    let total = c.entries.len() + c.articles.len();
    let chunks = total.div_ceil(chunk);
    let records: Vec<Value> = (0..chunks)
        .flat_map(|n| {
            fragment(&site, &format!("d/{n}"))["docs"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    assert_eq!(records.len(), total);
    assert!(!site.output().join(format!("search/d/{chunks}.js")).exists());
    for (id, (row, entry)) in records.iter().zip(&c.entries).enumerate() {
        let day = days[starts.iter().rposition(|&s| s <= id).unwrap()];
        assert_eq!(day, entry.day.to_string());
        assert_eq!(row[0], entry.anchor.as_str());
        assert_eq!(row[1], entry.headline.as_str());
        let titles: Vec<&str> = entry
            .threads
            .iter()
            .map(|&t| c.threads[t].title.as_str())
            .collect();
        assert_eq!(strings(&row[3]), titles);
        // The entry's link leads to its anchor on its day's page.
        let url = fill(&urls["entry"], "", day, &entry.anchor);
        let (page, anchor) = url.split_once('#').unwrap();
        let html = site.page(&format!("{page}index.html"));
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{url}");
    }
    let reply = records
        .iter()
        .find(|r| r[0] == "us-written-response")
        .unwrap();
    assert_eq!(
        reply[2],
        "The US ambassador handed the reply to the Russian foreign ministry."
    );
    for row in &records[c.entries.len()..] {
        let article = c
            .articles
            .iter()
            .find(|a| row[0] == a.slug.as_str())
            .unwrap();
        assert_eq!(row[1], article.title.as_str());
        assert_eq!(outlets[row[2].as_u64().unwrap() as usize], article.outlet);
        let page = fill(&urls["article"], &article.slug, "", "");
        assert!(
            site.output().join(&page).join("index.html").is_file(),
            "{page}"
        );
    }
    let wire = records.iter().find(|r| r[0] == "wire-moscow").unwrap();
    assert_eq!(wire[1], "Moscow weighs the US reply");
    assert_eq!(wire[3], "2022-01-27");

    // Each registry item lists its entries, in chunks numbered as the
    // rows (actors, then threads, then topics).
    let per = index["registry_chunk"].as_u64().unwrap() as usize;
    let (threads_at, topics_at) = (c.actors.len(), c.actors.len() + c.threads.len());
    for g in 0..topics_at + c.topics.len() {
        let chunk = fragment(&site, &format!("r/{}", g / per));
        let ids = undelta(&chunk["entries"][g % per]);
        let expected: Vec<usize> = c
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                if g < threads_at {
                    e.actors.iter().any(|a| a.get() == g)
                } else if g < topics_at {
                    e.threads.iter().any(|t| t.get() == g - threads_at)
                } else {
                    e.topics.iter().any(|t| t.get() == g - topics_at)
                }
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(ids, expected, "registry item {g}");
    }
}

#[test]
fn summaries_in_the_index_are_text_without_markup() {
    let site = Site::fixture();
    // Raw HTML is markup only where the site lets it through.
    site.write(
        "site.toml",
        &format!("{}raw_html = true\n", common::SITE_TOML),
    );
    site.write(
        "content/articles/2022/01/markup.md",
        r#"---
title: Markup in a summary
source: Example Wire
published: 2022-01-28
entries:
  - id: marked-up
    at: 2022-01-28
    headline: A summary with markup
    summary: |
      Talks **resume** in [Geneva](https://example.org/geneva) <b>today</b>.

      A second paragraph.
    evidence: ["talks resume"]
---
The talks resume in Geneva.
"#,
    );
    site.build_ok();
    let row = (0..)
        .map_while(|n| {
            site.output()
                .join(format!("search/d/{n}.js"))
                .is_file()
                .then(|| fragment(&site, &format!("d/{n}")))
        })
        .flat_map(|f| f["docs"].as_array().unwrap().clone())
        .find(|r| r[0] == "marked-up")
        .unwrap();
    let summary = row[2].as_str().unwrap();
    assert!(summary.starts_with("Talks resume in Geneva"), "{summary:?}");
    assert!(summary.ends_with("A second paragraph."), "{summary:?}");
    for markup in ["**", "](", "<b>", "\n"] {
        assert!(!summary.contains(markup), "{markup:?} in {summary:?}");
    }
}

#[test]
fn the_search_page_links_its_script_and_index_under_the_base_path() {
    let site = Site::fixture();
    site.build_ok();
    assert!(site.output().join("search.js").is_file());
    let page = site.page("search/index.html");
    assert!(page.contains("<script src=\"/crisis/search.js\" defer></script>"));
    assert!(page.contains("data-base-path=\"/crisis/\""));
    assert!(page.contains("data-index=\"/crisis/search/index.js\""));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/crisis/search/\">"));
    let form = between(&page, "<form class=\"search-form\"", "</form>");
    assert!(form.contains("action=\"/crisis/search/\""), "{form}");
    assert!(form.contains("role=\"search\""));
    assert!(form.contains("<label for=\"search-query\">"));
    assert!(form.contains("id=\"search-query\" type=\"search\" name=\"q\""));
    // Without JavaScript the page points to the indexes.
    let note = between(&page, "<noscript>", "</noscript>");
    for index in ["days", "threads", "actors", "topics", "sources"] {
        assert!(
            note.contains(&format!("href=\"/crisis/{index}/\"")),
            "{index}"
        );
    }
    // One search form on the search page: the header's is left out.
    assert!(!between(&page, "<header", "</header>").contains("<form"));
    let broken = chronicle::linkcheck::check(&site.output(), "/crisis/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn every_other_page_has_the_search_box_in_its_header() {
    let site = Site::fixture();
    site.build_ok();
    for page in [
        "index.html",
        "404.html",
        "days/2022-01-26/index.html",
        "threads/security-guarantees/index.html",
        "actors/lavrov/index.html",
        "topics/diplomacy/index.html",
        "sources/index.html",
        "articles/live-0126/index.html",
    ] {
        let html = site.page(page);
        let header = between(&html, "<header", "</header>");
        let form = between(header, "<form", "</form>");
        assert!(
            form.contains("action=\"/crisis/search/\" method=\"get\" role=\"search\""),
            "{page}: {form}"
        );
        assert!(
            form.contains(
                "type=\"search\" name=\"q\" placeholder=\"Search\" aria-label=\"Search\""
            ),
            "{page}: a labelled search field: {form}"
        );
        // The search script runs on the search page only.
        assert!(!html.contains("search.js"), "{page}");
    }
}

#[test]
fn a_theme_without_search_html_still_gets_the_index_but_no_page() {
    let site = Site::fixture();
    std::fs::remove_file(site.root().join("themes/default/templates/search.html")).unwrap();
    site.build_ok();
    assert!(!site.output().join("search/index.html").exists());
    assert!(site.output().join("search/index.js").is_file());
    assert!(site.output().join("search/d/0.js").is_file());
}

#[test]
fn a_site_template_replaces_the_search_page() {
    let site = Site::fixture();
    site.write(
        "templates/search.html",
        "<p>{{ site.base_path }} {{ index_url }} {{ script_url }}</p>",
    );
    site.build_ok();
    assert_eq!(
        site.page("search/index.html"),
        "<p>/crisis/ /crisis/search/index.js /crisis/search.js</p>"
    );
}

#[test]
fn the_shipped_site_indexes_the_kremlin_with_its_aliases() {
    // search.js finding it by alias is checked under Node, in the browser
    // test (tests/browser/search_js.rs).
    let (_dir, output) = common::shipped_built();
    let [actors, _, _] = registry_rows(&output);
    let kremlin = actors
        .iter()
        .find(|a| a[0] == "kremlin")
        .expect("the shipped actors.yaml has the Kremlin");
    assert!(strings(&kremlin[2]).contains(&"Kremlin"));
}

#[test]
fn the_names_vocabulary_holds_every_name_and_alias_word_and_no_role() {
    let site = Site::fixture();
    site.build_ok();
    let vocabulary = fragment(&site, "n/0");
    assert_eq!(vocabulary["id"], "n/0");
    let words = strings(&vocabulary["words"]);
    // Folded words of names and aliases ("Sergei Lavrov", "Mr Lavrov").
    for word in ["sergey", "sergei", "lavrov", "blinken"] {
        assert!(words.contains(&word), "{word}: {words:?}");
    }
    // A role's words are not names ("Foreign Minister of Russia").
    assert!(!words.contains(&"minister"), "{words:?}");
    let mut sorted = words.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, words, "sorted, each once");
}

//! `chronicle import` of saved HTML and of URLs: the article and the
//! page's metadata, live blogs in every stamp form, provenance, fetching
//! (from a loopback server written here) and its failures, safe
//! re-import, keep rules. The pages in tests/fixtures/import/html/ are
//! invented for these tests, in the shapes real pages take.

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use chronicle::import::{self, ImportOptions, ImportReport};

use super::common::{messages, Site};
use super::import::{codes, fill_todos, fixture, options, registries_site, run_ok};

fn html(name: &str) -> PathBuf {
    fixture(&format!("html/{name}"))
}

fn sidecar(report: &ImportReport, k: usize) -> &str {
    &report.outcomes[k].imported.sidecar
}

#[test]
fn a_saved_news_page_gives_its_article_and_metadata() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("news.html")]));
    let i = &report.outcomes[0].imported;
    assert!(i.html);
    let text = &i.article;
    for kept in [
        "A convoy of forty lorries carrying wheat reached the southern port on Friday",
        "\"This is the first test of the agreement, and so far it is holding,\"",
        "Insurers had refused to cover ships in the area",
        "publish the schedule of sailings once the first ships had left.",
    ] {
        assert!(text.contains(kept), "lost {kept:?}:\n{text}");
    }
    for gone in [
        "cookies",
        "Home",
        "Facebook",
        "Photo: Ivo Marsh",
        "Wheat prices fall",
        "newsletter",
        "All rights reserved",
        "<",
        "Nadia Kerrigan, shipping",
    ] {
        assert!(!text.contains(gone), "kept {gone:?}:\n{text}");
    }
    // Paragraphs stay paragraphs.
    assert_eq!(i.paragraphs, 5, "{text}");
    let y = sidecar(&report, 0);
    for line in [
        "title: \"Grain convoy reaches the port after talks\"\n",
        "source: \"The Example Courier\"  # found in \"the page's metadata\": check\n",
        "published: \"2022-07-22T14:05:00+00:00\"  # from the page's article:published_time: check\n",
        "url: \"https://courier.example.com/world/grain-convoy-reaches-port\"  # the page's canonical address\n",
        "language: \"en-GB\"",
        "author: \"Nadia Kerrigan\"",
    ] {
        assert!(y.contains(line), "no {line:?} in\n{y}");
    }
    assert!(y.contains(&format!("sha256: {}", i.sha256)));
    assert!(y.contains("retrieved: \""), "{y}");
    assert_eq!(
        report.outcomes[0].sidecar_path.file_name().unwrap(),
        "the-example-courier-grain-convoy-reaches-the-port-after-talks.yaml"
    );
}

/// The instants of the entries of a sidecar, in order.
fn ats(yaml: &str) -> Vec<String> {
    let parsed: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    parsed["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| match &e["at"] {
            serde_yaml::Value::String(s) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn headlines(yaml: &str) -> Vec<String> {
    let parsed: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    parsed["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["headline"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_live_blog_in_html_has_an_entry_per_time_element() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("liveblog-time.html")]));
    let y = sidecar(&report, 0);
    assert_eq!(ats(y), ["05:41", "04:29", "03:27"], "{y}");
    assert_eq!(
        headlines(y),
        [
            "Aid flights land at the airport",
            "Death toll rises sharply",
            "Second tremor felt in the capital"
        ]
    );
    assert!(y.contains("timezone: UTC"), "{y}");
    assert!(y.contains("source: \"Example Wire\""), "{y}");
    let text = &report.outcomes[0].imported.article;
    assert!(!text.contains("Update time"), "{text}");
    assert!(text.contains("The first two aid flights landed"));
}

#[test]
fn a_live_blog_in_microdata_has_an_entry_per_update() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("liveblog-microdata.html")]));
    let y = sidecar(&report, 0);
    assert_eq!(ats(y), ["16:12", "14:30"], "{y}");
    assert_eq!(
        headlines(y),
        [
            "Ferries cancelled until tomorrow",
            "Forty thousand homes without power"
        ]
    );
}

#[test]
fn a_live_blog_in_json_ld_has_an_entry_per_update() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("liveblog-jsonld.html")]));
    let y = sidecar(&report, 0);
    // The updates' instants, +02:00, in UTC.
    assert_eq!(ats(y), ["09:20", "07:45", "05:05"], "{y}");
    assert_eq!(headlines(y)[1], "Crest passes the main bridge");
    assert!(y.contains("source: \"Example Rundschau\""), "{y}");
    assert!(
        y.contains("published: \"2021-07-15T06:00:00+02:00\""),
        "{y}"
    );
}

#[test]
fn a_ticker_with_stamped_headings_has_an_entry_per_update_and_none_for_its_summary() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("liveblog-ticker.html")]));
    let y = sidecar(&report, 0);
    // `HH.MM Uhr: headline` headings, on the publication date, in the
    // page's clock; the summary's `(09.31 Uhr)` at a line's end is no update.
    assert_eq!(
        ats(y),
        ["2024-03-12 09:31", "2024-03-12 08:05", "2024-03-12 06:50"],
        "{y}"
    );
    assert_eq!(
        headlines(y),
        [
            "Fähren fahren wieder nach Plan",
            "Pegel am Hafen fällt unter die Warnstufe",
            "Schulen bleiben geschlossen"
        ]
    );
    assert!(
        y.contains("title: \"Hochwasser-Ticker: Pegel sinkt langsam\""),
        "{y}"
    );
}

#[test]
fn a_ticker_running_for_days_takes_its_days_from_its_headings_and_last_change() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("liveblog-days.html")]));
    let y = sidecar(&report, 0);
    // Published when the ticker began (2023), changed on 18 July 2024: the
    // day headings without a year are read near the change, and each
    // update's headline stands before its stamp.
    assert_eq!(
        ats(y),
        [
            "2024-07-18 11:04",
            "2024-07-18 06:20",
            "2024-07-17 15:32",
            "2024-07-17 02:59",
            "2024-07-16 19:27"
        ],
        "{y}"
    );
    assert_eq!(
        headlines(y),
        [
            "Northern bridge reopens to lorries",
            "Ferry operator adds an evening crossing",
            "Engineers find no damage to the piers",
            "Queue at the crossing reaches six kilometres",
            "Bridge closed after a barge strikes a pier"
        ],
        "{y}"
    );
}

#[test]
fn json_ld_updates_lose_their_markup_and_none_is_lost() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[html("liveblog-jsonld-markup.html")]));
    let y = sidecar(&report, 0);
    // Four updates, four entries: the one with a headline and no text
    // does not swallow the next.
    assert_eq!(ats(y), ["18:40", "16:05", "15:50", "12:15"], "{y}");
    assert_eq!(headlines(y)[0], "Harbour master: \"no sailings tonight\"");
    let text = &report.outcomes[0].imported.article;
    for markup in ["&quot;", "&#39;", "<a ", "<p>"] {
        assert!(!text.contains(markup), "{markup} in {text}");
    }
    assert!(
        text.contains("Read the full notice on the port's site."),
        "{text}"
    );
    assert!(
        text.contains("The town's football ground will stay shut"),
        "{text}"
    );
    // A plain-text body keeps its lines as paragraphs.
    assert!(text.contains("at midday.\n\nThe weather office"), "{text}");
}

/// Imports a text and returns its sidecar.
fn import_text(text: &str, published: Option<&str>) -> String {
    let site = Site::fixture();
    let path = site.root().join("page.txt");
    fs::write(&path, text).unwrap();
    let mut o = options(&site, &[path]);
    o.published = published.map(str::to_string);
    sidecar(&run_ok(&o), 0).to_string()
}

/// A live blog, its date, the times of its entries and their headlines.
type Case<'a> = (&'a str, Option<&'a str>, &'a [&'a str], &'a [&'a str]);

#[test]
fn every_stamp_form_of_a_text_live_blog_makes_an_entry_at_its_time() {
    let cases: &[Case] = &[
        (
            "Quake: live\n\n11.10am GMT\n\nRescue teams arrive\n\nTeams from six countries reached the city this morning, officials said.\n\n10.52am GMT\n\nAirport reopens\n\nThe airport reopened to aid flights after the runway was checked for damage.\n",
            Some("2023-02-06"),
            &["11:10", "10:52"],
            &["Rescue teams arrive", "Airport reopens"],
        ),
        (
            "Quake: live\n\n3:44 p.m. ET, February 6, 2023\n\nUS sends rescue teams\n\nTwo urban search and rescue teams will leave for the region tonight, the State Department said.\n\n2:58 p.m. ET, February 6, 2023\n\nAftershock felt\n\nA strong aftershock shook buildings again in the afternoon, residents said.\n",
            None,
            &["20:44", "19:58"],
            &["US sends rescue teams", "Aftershock felt"],
        ),
        (
            "Quake: live\n\n2120 GMT — Death toll rises\n\nThe toll rose again in the evening, the disaster agency said in its latest update.\n\n1905 GMT — Night falls on the search\n\nRescuers said they would work through the night with floodlights brought in by the army.\n",
            Some("2023-02-06"),
            &["21:20", "19:05"],
            &["Death toll rises", "Night falls on the search"],
        ),
        (
            "Quake: live\n\nDeath toll rising rapidlypublished at 04:29 Greenwich Mean Time 6 February 2023\n\nThe number of dead has risen quickly in the hours since the quake, officials said.\n\nSecond quake strikespublished at 03:27 Greenwich Mean Time 6 February 2023\n\nA second quake struck the same region a few hours after the first, seismologists said.\n",
            None,
            &["04:29", "03:27"],
            &["Death toll rising rapidly", "Second quake strikes"],
        ),
        (
            "Quake: live\n\n• 37m ago (03:27 GMT)Turkey death toll rises\n\nThe toll has risen again, the disaster agency said in its latest update this morning.\n\n• 1h ago (02:55 GMT)Shaking felt in Cyprus\n\nThe shaking was felt as far away as Cyprus, residents there said.\n",
            Some("2023-02-06"),
            &["03:27", "02:55"],
            &["Turkey death toll rises", "Shaking felt in Cyprus"],
        ),
        (
            "Quake: live\n\n11:53AM\n\nRoads closed in the valley\n\nThe main road through the valley is closed after a landslide, police said this morning.\n\n09:57 AM\n\nSchools shut\n\nAll schools in the province are shut for a week, the governor said.\n",
            Some("2023-02-06"),
            &["11:53", "09:57"],
            &["Roads closed in the valley", "Schools shut"],
        ),
        (
            "Quake: live\n\n18:40 CET\n\nEU offers help\n\nThe European Union said it would send rescue teams and a field hospital at once.\n\n17:05 CET\n\nNATO allies respond\n\nSeveral allies said they were ready to send aircraft and supplies to the region.\n",
            Some("2023-02-06"),
            &["17:40", "16:05"],
            &["EU offers help", "NATO allies respond"],
        ),
    ];
    for (blog, published, times, heads) in cases {
        let y = import_text(blog, *published);
        let got = ats(&y);
        let got: Vec<&str> = got
            .iter()
            .map(|a| a.rsplit(' ').next().unwrap_or(a))
            .collect();
        assert_eq!(&got, times, "{y}");
        assert_eq!(&headlines(&y), heads, "{y}");
    }
}

#[test]
fn an_html_import_builds_once_its_todos_are_filled() {
    let site = registries_site();
    let inputs = [
        html("news.html"),
        html("liveblog-time.html"),
        html("liveblog-jsonld.html"),
    ];
    let report = run_ok(&options(&site, &inputs));
    for outcome in &report.outcomes {
        let yaml = fs::read_to_string(&outcome.sidecar_path).unwrap();
        fs::write(&outcome.sidecar_path, fill_todos(&yaml)).unwrap();
    }
    let build = site.build();
    let problems = messages(&build);
    assert!(build.succeeded(), "{problems:#?}");
    assert!(
        problems
            .iter()
            .all(|m| !m.contains("evidence-not-found") && !m.contains("error")),
        "{problems:#?}"
    );
}

// Fetching, from a server on the loopback interface.

/// A server on 127.0.0.1 answering every connection by its path:
/// `/news` the news page, `/missing` 404, `/slow` after 3 s, `/big` a page
/// of 2 MB, `/pdf` a PDF. Returns its base URL.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let news = fs::read(html("news.html")).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let news = news.clone();
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let request = String::from_utf8_lossy(&request);
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let answer = |status: &str, kind: &str, body: &[u8]| {
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    out.extend_from_slice(body);
                    out
                };
                let reply = match path.as_str() {
                    "/news" => answer("200 OK", "text/html; charset=utf-8", &news),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        answer("200 OK", "text/html", &news)
                    }
                    "/big" => answer("200 OK", "text/html", &vec![b'a'; 2 << 20]),
                    "/pdf" => answer("200 OK", "application/pdf", b"%PDF-1.4"),
                    // A page in Latin-1 that claims UTF-8: the server's
                    // header wins, as in a browser.
                    "/latin" => {
                        let mut page = b"<html><head><meta charset=\"utf-8\"><title>Kiev</title></head><body><article><p>The mayor of M".to_vec();
                        page.push(0xFC);
                        page.extend(b"nster met the envoys on Tuesday and said the talks had been long but fair, and that a second round would follow within the month.</p><p>Both delegations left without speaking to the reporters who had waited outside the town hall since the morning.</p></article></body></html>");
                        answer("200 OK", "text/html; charset=ISO-8859-1", &page)
                    }
                    _ => answer("404 Not Found", "text/html", b"<p>Not found</p>"),
                };
                let _ = stream.write_all(&reply);
            });
        }
    });
    base
}

fn url_options(site: &Site, urls: &[String]) -> ImportOptions {
    let mut o = options(site, &[]);
    o.inputs = urls.iter().map(PathBuf::from).collect();
    o.timeout = Some(Duration::from_millis(800));
    o
}

#[test]
fn a_url_is_fetched_and_its_provenance_recorded() {
    let base = server();
    let site = Site::fixture();
    let url = format!("{base}/news");
    let mut o = url_options(&site, std::slice::from_ref(&url));
    o.keep_raw = true;
    let report = run_ok(&o);
    let y = sidecar(&report, 0);
    assert!(
        y.contains(&format!("url: \"{url}\"  # where it was fetched")),
        "{y}"
    );
    assert!(y.contains("retrieved: \"20"), "{y}");
    assert!(y.starts_with(&format!(
        "# Annotations drafted by `chronicle import` from {url}."
    )));
    // The page as fetched is kept byte for byte, its hash in the sidecar.
    let raw = report.outcomes[0].raw_path.as_ref().unwrap();
    assert_eq!(fs::read(raw).unwrap(), fs::read(html("news.html")).unwrap());
    assert!(import::verify_raw(&report.outcomes[0].sidecar_path).unwrap());
    assert!(report.summary().contains(&format!("imported {url}")));
}

#[test]
fn each_way_a_fetch_fails_is_named() {
    let base = server();
    let site = Site::fixture();
    for (path, says) in [
        ("/missing", "the server answered 404 (not found)"),
        ("/slow", "no complete answer within 0.8 s (the time limit)"),
        ("/big", "the page is larger than the limit of 1 MiB"),
        ("/pdf", "the page is application/pdf, not HTML or text"),
    ] {
        let url = format!("{base}{path}");
        let mut o = url_options(&site, std::slice::from_ref(&url));
        o.max_size = Some(1 << 20);
        let report = import::run(&o);
        assert!(!report.written, "{path}");
        assert_eq!(codes(&report), ["fetch-failed"], "{path}");
        let message = &report.diagnostics.items()[0].message;
        assert_eq!(message, &format!("cannot fetch {url}: {says}"), "{path}");
    }
    // Nothing was written.
    assert!(!site.root().join("content/articles/imported").exists());
}

// Importing again.

#[test]
fn names_stay_unique_across_runs_and_can_be_chosen() {
    let site = Site::fixture();
    let dir = site.root().join("saved");
    fs::create_dir_all(&dir).unwrap();
    // Two different saves of pages with the same title.
    let first = dir.join("first.html");
    let second = dir.join("second.html");
    fs::copy(html("news.html"), &first).unwrap();
    fs::write(
        &second,
        fs::read_to_string(html("news.html"))
            .unwrap()
            .replace("forty lorries", "fifty lorries"),
    )
    .unwrap();
    let a = run_ok(&options(&site, std::slice::from_ref(&first)));
    let b = run_ok(&options(&site, std::slice::from_ref(&second)));
    let stem = |r: &ImportReport| r.outcomes[0].imported.stem.clone();
    assert_eq!(
        stem(&b),
        format!("{}-2", stem(&a)),
        "a second run does not take the first's name"
    );
    let mut o = options(&site, std::slice::from_ref(&second));
    o.name = Some("convoy-arrives".into());
    let c = run_ok(&o);
    assert_eq!(stem(&c), "convoy-arrives");
    assert!(c.outcomes[0].sidecar_path.ends_with("convoy-arrives.yaml"));
}

#[test]
fn force_refreshes_the_text_and_an_untouched_sidecar_but_never_an_edited_one() {
    let site = Site::fixture();
    let dir = site.root().join("saved");
    fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.html");
    fs::copy(html("news.html"), &page).unwrap();
    let first = run_ok(&options(&site, std::slice::from_ref(&page)));
    let sidecar_path = first.outcomes[0].sidecar_path.clone();
    let article_path = first.outcomes[0].article_path.clone();

    // Without --force, nothing is replaced.
    let again = import::run(&options(&site, std::slice::from_ref(&page)));
    assert!(!again.written);
    assert!(codes(&again).contains(&"file-exists"));

    // The page changed; the sidecar is untouched: both are refreshed, under
    // the same name.
    fs::write(
        &page,
        fs::read_to_string(html("news.html"))
            .unwrap()
            .replace("forty lorries", "fifty lorries"),
    )
    .unwrap();
    let mut o = options(&site, std::slice::from_ref(&page));
    o.force = true;
    let refreshed = run_ok(&o);
    assert_eq!(refreshed.outcomes[0].sidecar_path, sidecar_path);
    assert!(fs::read_to_string(&article_path)
        .unwrap()
        .contains("fifty lorries"));
    assert!(!refreshed.outcomes[0].kept_sidecar);
    assert!(import::untouched(
        &fs::read_to_string(&sidecar_path).unwrap()
    ));

    // The editor fills the sidecar in; the page changes again.
    let edited = fill_todos(&fs::read_to_string(&sidecar_path).unwrap());
    fs::write(&sidecar_path, &edited).unwrap();
    assert!(!import::untouched(&edited));
    fs::write(
        &page,
        fs::read_to_string(html("news.html"))
            .unwrap()
            .replace("forty lorries", "sixty lorries"),
    )
    .unwrap();
    let kept = run_ok(&o);
    assert!(kept.outcomes[0].kept_sidecar);
    assert_eq!(fs::read_to_string(&sidecar_path).unwrap(), edited);
    assert!(fs::read_to_string(&article_path)
        .unwrap()
        .contains("sixty lorries"));
    assert_eq!(codes(&kept), ["edited-sidecar"]);
    assert!(
        kept.summary().contains("edited since it was imported"),
        "{}",
        kept.summary()
    );
}

#[test]
fn keep_rules_and_report_prose_are_shown_by_explain() {
    let site = Site::fixture();
    site.write(
        "site.toml",
        &format!(
            "{}\n[import]\n[[import.rules]]\nname = \"keep-statements\"\nkind = \"keep\"\npattern = '^Statement:'\ndescription = \"the agency's statements\"\n",
            super::common::SITE_TOML
        ),
    );
    let path = site.root().join("page.txt");
    fs::write(
        &path,
        "Agency reports on the floods\n\nStatement: ADVERTISEMENT rules do not apply here (AP)\n\nRescuers pulled a family of four from the rubble of a block in the old town overnight, the civil defence agency said on Tuesday. The search goes on in three more buildings, where neighbours say at least a dozen people were living when the flood came. Volunteers from across the region have joined the teams (AP Photo)\n\nShare Facebook Twitter Email\n",
    )
    .unwrap();
    let report = run_ok(&options(&site, &[path]));
    let i = &report.outcomes[0].imported;
    assert!(i.article.contains("Statement: ADVERTISEMENT"));
    assert!(i.article.contains("Rescuers pulled a family of four"));
    assert!(!i.article.contains("Share Facebook"));
    let explain = report.explain();
    assert!(
        explain.contains("kept: 2 lines a removal rule matched"),
        "{explain}"
    );
    assert!(
        explain.contains("keep-statements") && explain.contains("report-prose"),
        "{explain}"
    );
    assert!(
        explain.contains("kept, though `photo-caption` matched"),
        "{explain}"
    );
}

#[test]
fn a_page_saved_in_windows_1252_imports_as_written() {
    let site = Site::fixture();
    let mut page = b"<!DOCTYPE html>\n<html lang=\"fr\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\n<title>Caf".to_vec();
    page.extend([0xE9]);
    page.extend(b" talks resume</title></head>\n<body><article><h1>Caf");
    page.extend([0xE9]);
    page.extend(b" talks resume</h1>\n<p>The envoys met again on Tuesday in a small caf");
    page.extend([0xE9]);
    page.extend(b" near the station, and both sides called the meeting ");
    page.extend([0x93]);
    page.extend(b"useful");
    page.extend([0x94]);
    page.extend(b" after three hours of talks that ran late into the evening.</p>\n<p>A second round is planned for next week, the hosts said, though no date has been agreed and neither delegation would say what remained open.</p></article></body></html>\n");
    let path = site.root().join("cafe.html");
    fs::write(&path, &page).unwrap();
    let report = run_ok(&options(&site, &[path]));
    let i = &report.outcomes[0].imported;
    assert!(
        i.article.contains("in a small café near the station"),
        "{}",
        i.article
    );
    assert!(
        i.article.contains("\u{201c}useful\u{201d}"),
        "{}",
        i.article
    );
    assert!(!i.article.contains('\u{fffd}'), "no replacement characters");
    assert!(sidecar(&report, 0).contains("Café talks resume"));
}

#[test]
fn a_fetched_page_is_decoded_by_the_charset_its_server_gives() {
    let site = Site::fixture();
    let base = server();
    let report = run_ok(&url_options(&site, &[format!("{base}/latin")]));
    let article = &report.outcomes[0].imported.article;
    assert!(
        article.contains("The mayor of Münster met the envoys"),
        "{article}"
    );
}

//! `chronicle import`: debris removed and report text kept, the skeleton
//! drafted, nothing overwritten, and what it writes builds once the editor
//! has filled in the TODOs. The fixtures in tests/fixtures/import/ are
//! invented pages, written for these tests, in the shapes saved pages take:
//! a live blog, a wire report, a live page, a regional paper behind icons
//! and a paywall, an aggregator with related lists, a broadcaster's page
//! with a byline box, and a live compilation of several stories.

use crate::common;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use chronicle::import::{self, ImportOptions, ImportReport};
use common::{messages, repo, Site};

pub(crate) fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

pub(crate) fn options(site: &Site, inputs: &[PathBuf]) -> ImportOptions {
    ImportOptions {
        root: site.root().to_path_buf(),
        inputs: inputs.to_vec(),
        into: Some(PathBuf::from("content/articles/imported")),
        ..ImportOptions::default()
    }
}

pub(crate) fn run_ok(options: &ImportOptions) -> ImportReport {
    let report = import::run(options);
    let problems: Vec<String> = report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.positioned(&report.files).to_string())
        .collect();
    assert!(report.written, "import failed: {problems:#?}");
    report
}

pub(crate) fn codes(report: &ImportReport) -> Vec<&'static str> {
    common::codes(&report.diagnostics)
}

/// The live-blog fixture, imported into the test fixture site with its
/// date given.
fn import_liveblog(site: &Site) -> ImportReport {
    let mut o = options(site, &[fixture("liveblog.txt")]);
    o.published = Some("2022-01-26".into());
    o.source = Some("Example Herald".into());
    run_ok(&o)
}

#[test]
fn debris_is_removed_and_report_paragraphs_survive_verbatim() {
    let site = Site::fixture();
    let report = run_ok(&options(
        &site,
        &[fixture("liveblog.txt"), fixture("report.txt")],
    ));
    let live = &report.outcomes[0].imported.article;
    for kept in [
        "Envoys trade letters as talks stall: Live\n",
        "Diplomats in two capitals spent the day drafting replies while the border stayed quiet.",
        "Here is how the day unfolded:",
        "Moscow receives the American letter",
        "A courier brought the sealed letter from Washington to the foreign ministry shortly before dusk, according to two officials.\n\nLavrov said he would read it overnight and answer within the week.",
        "Speaking in a hotel lobby, Blinken said the letter set out practical steps on missile limits and exercise notices.",
        "NATO foreign ministers met by video link and agreed to keep their answers closely aligned, said Marta Kowalczyk, who chairs the committee.",
        "Traders in both capitals said the letters changed little, and the rouble ended the day flat.",
    ] {
        assert!(live.contains(kept), "lost {kept:?} from:\n{live}");
    }
    for debris in [
        "Featured image",
        "Share Facebook",
        "Home News World",
        "img]",
        "ago (",
        "3 hours ago",
        "An icon of",
        "ADVERTISEMENT",
        "[File:",
        "Hide Caption",
        "Already a subscriber",
        "[[title]]",
        "More from the Example Herald",
        "Harvest festival",
        "All rights reserved",
        "Source link",
    ] {
        assert!(!live.contains(debris), "kept {debris:?} in:\n{live}");
    }
    assert_eq!(
        live.matches("Envoys trade letters as talks stall").count(),
        1,
        "the title, given three times, is kept once"
    );
    assert!(live.starts_with("Envoys trade letters"));
    assert!(!live.contains("\n\n\n"), "removed blocks leave no gaps");

    let wire = &report.outcomes[1].imported.article;
    for kept in [
        "Talks on missile limits to resume in Vienna",
        "By Jane Roe\nJanuary 27, 2022, 9:12 am",
        "VIENNA (AP) — Russian and American negotiators will meet again next week to discuss limits on missiles in Europe, the Austrian foreign ministry said on Thursday.",
        "The announcement came a day after Sergei Lavrov said Moscow was studying the American proposals \"with care but without illusions\".",
        "Both sides have kept the agenda confidential.",
    ] {
        assert!(wire.contains(kept), "lost {kept:?} from:\n{wire}");
    }
    for debris in [
        "Accessibility links",
        "Breaking News",
        "FILE - Delegates",
        "Negotiators at a table",
        "16x9 Image",
        "Example Wire",
        "newsrooms",
        "\nXS",
        "LG",
    ] {
        assert!(!wire.contains(debris), "kept {debris:?} in:\n{wire}");
    }
    // Files are written as reported.
    let o = &report.outcomes[1];
    assert_eq!(fs::read_to_string(&o.article_path).unwrap(), *wire);
    assert_eq!(
        fs::read_to_string(&o.sidecar_path).unwrap(),
        o.imported.sidecar
    );
}

#[test]
fn the_sidecar_has_what_was_found_and_an_entry_per_timed_update() {
    let site = Site::fixture();
    let report = import_liveblog(&site);
    let o = &report.outcomes[0];
    let yaml = &o.imported.sidecar;
    assert_eq!(
        o.article_path,
        site.root().join(
            "content/articles/imported/example-herald-envoys-trade-letters-as-talks-stall-live.txt"
        )
    );
    assert!(yaml.contains("title: \"Envoys trade letters as talks stall: Live\"\n"));
    assert!(yaml.contains("source: \"Example Herald\"\n"));
    assert!(yaml.contains("published: \"2022-01-26\"\n"));
    assert!(yaml.contains("timezone: UTC"));
    assert_eq!(o.imported.entries, 4);
    let at: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- at: "))
        .collect();
    assert_eq!(at[0], "\"21:40\"");
    assert_eq!(at[1], "\"21:07\"");
    assert_eq!(at[2], "\"20:15\"");
    // "3 hours ago", from a page saved at 21:42 (21:40 + 2 mins).
    assert!(
        at[3].starts_with("\"2022-01-26 18:42\"  # worked out from \"3 hours ago\""),
        "{}",
        at[3]
    );
    assert!(yaml.contains(
        "    headline: \"Moscow receives the American letter\"  # the update's first line"
    ));
    // Candidate actors from the registry, by id, and the words that named them.
    assert!(
        yaml.contains("    actors: [usa, lavrov]  # named in the text (Washington, Lavrov)"),
        "{yaml}"
    );
    assert!(yaml.contains("    actors: [blinken]"));
    // A name the registry lacks, for the editor to add.
    assert!(yaml.contains("# also named, not in content/actors.yaml: Marta Kowalczyk"));
    assert!(yaml.contains("#   Marta Kowalczyk (1)"));
    // Evidence: the first sentence of the update's text.
    assert!(yaml.contains("      - \"A courier brought the sealed letter from Washington to the foreign ministry shortly before dusk, according to two officials.\""));
    // Every entry's threads are to be completed.
    assert_eq!(yaml.matches("threads: [TODO]  # TODO").count(), 4, "{yaml}");
    assert_eq!(o.imported.todos, 4);
    // The sidecar is valid YAML of the annotation format.
    let parsed: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    assert_eq!(parsed["entries"].as_sequence().unwrap().len(), 4);
}

/// The live blog's whole sidecar, as a snapshot (tests/it/snapshots/).
#[test]
fn the_live_blogs_sidecar_in_full() {
    let site = Site::fixture();
    let report = import_liveblog(&site);
    insta::assert_snapshot!(steady(&report.outcomes[0].imported.sidecar));
}

/// A sidecar without what changes from one checkout to the next: the
/// fixture's modification time (`retrieved`) and so the import digest.
pub(crate) fn steady(sidecar: &str) -> String {
    sidecar
        .lines()
        .map(|l| {
            if l.starts_with("retrieved: ") {
                "retrieved: (the input's modification time)".to_string()
            } else if l.starts_with("# import digest: ") {
                "# import digest: (of the sidecar)".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_report_gets_one_entry_with_its_date_outlet_and_byline() {
    let site = Site::fixture();
    let report = run_ok(&options(&site, &[fixture("report.txt")]));
    let i = &report.outcomes[0].imported;
    let yaml = &i.sidecar;
    assert_eq!(i.entries, 1);
    assert!(yaml.contains("title: \"Talks on missile limits to resume in Vienna\"\n"));
    assert!(
        yaml.contains("source: \"AP\"  # found in \"VIENNA (AP)\": check"),
        "{yaml}"
    );
    assert!(yaml.contains("published: \"2022-01-27\"  # found in \"January 27, 2022, 9:12 am\""));
    assert!(yaml.contains("author: \"Jane Roe\""));
    assert!(yaml.contains("  - at: \"2022-01-27\""));
    assert!(yaml.contains("    headline:  # TODO"));
    assert!(
        yaml.contains(
            "actors: [lavrov, usa, nato]  # named in the text (Sergei Lavrov, Washington, NATO)"
        ),
        "{yaml}"
    );
    assert!(yaml.contains("Peter Gruber (1)"), "{yaml}");
    assert!(
        !yaml.contains("Sergei Lavrov ("),
        "known actors are not listed as unknown"
    );
    // A long first sentence is cut at its last clause.
    assert!(yaml.contains("      - \"VIENNA (AP) — Russian and American negotiators will meet again next week to discuss limits on missiles in Europe\"\n"), "{yaml}");
    assert_eq!(i.stem, "ap-talks-on-missile-limits-to-resume-in-vienna");
}

#[test]
fn explain_lists_each_removed_block_with_its_rule() {
    let site = Site::fixture();
    let report = import_liveblog(&site);
    let explain = unrooted(&report.explain());
    for line in [
        "tests/fixtures/import/liveblog.txt → content/articles/imported/example-herald-envoys-trade-letters-as-talks-stall-live.txt: ",
        "  line 1         featured-image        \"Featured image of post Envoys trade letters as talks stall: Live\"",
        "  line 3         share-bar             \"Share Facebook Twitter Email\"",
        "  line 4         navigation            \"Home News World\"",
        "  line 8         repeated-line         \"Envoys trade letters as talks stall: Live\"",
        "  line 10        image-markup          \"img]\"",
        "  line 16        live-stamp            \"2 mins ago (21:40 GMT)\" → entry 1, at 2022-01-26 21:40",
        "  line 24        icon-legend           \"Mail An icon of an envelope.",
        "  line 26        advertisement         \"ADVERTISEMENT\"",
        "  line 34        photo-caption         \"A delegate waves from a car outside the ministry [File: Jane Roe/Examp…\"",
        "  line 42        gallery-caption       \"Night falls over the river.",
        "  line 44        live-stamp            \"3 hours ago\" → entry 4, at about 2022-01-26 18:42",
        "  line 50        subscriber-prompt     \"Already a subscriber? Sign in\"",
        "  line 52        template-placeholder  \"[[title]]\"",
        "  line 54-57     related-heading       \"More from the Example Herald\" (and 3 more lines)",
        "  line 59        copyright             \"© 2022 Example Herald. All rights reserved.\"",
        "  line 60        source-link           \"Source link\"",
        "rules:\n",
        "  icon-legend           a line of icon descriptions",
        "  repeated-line         a line repeating the line before it",
    ] {
        assert!(explain.contains(line), "no {line:?} in:\n{explain}");
    }
    let removals = &report.outcomes[0].imported.removals;
    assert_eq!(removals.len(), 18, "{explain}");
    assert!(report.summary().contains("18 blocks removed"));
}

#[test]
fn the_summary_says_what_was_written() {
    let site = Site::fixture();
    let mut o = options(&site, &[fixture("liveblog.txt")]);
    o.published = Some("2022-01-26".into());
    o.keep_raw = true;
    let report = run_ok(&o);
    let summary = unrooted(&report.summary());
    let stem = "envoys-trade-letters-as-talks-stall-live";
    for line in [
        "imported tests/fixtures/import/liveblog.txt\n".to_string(),
        format!("  wrote content/articles/imported/{stem}.txt: 12 paragraphs kept, 18 blocks removed\n"),
        format!("  wrote content/articles/imported/{stem}.yaml: 4 entries, 5 TODOs to complete\n"),
        format!("  wrote content/articles/imported/{stem}.raw: the input as it was (sha256 "),
        "imported 1 file: 4 entries, 18 blocks removed; complete the TODOs, then run `chronicle check`\n".to_string(),
    ] {
        assert!(summary.contains(&line), "no {line:?} in:\n{summary}");
    }
}

#[test]
fn the_input_is_never_modified_and_keep_raw_records_its_hash() {
    let site = Site::fixture();
    let input = site.root().join("inbox/page.txt");
    fs::create_dir_all(input.parent().unwrap()).unwrap();
    let original = fs::read(fixture("report.txt")).unwrap();
    fs::write(&input, &original).unwrap();
    let mut o = options(&site, std::slice::from_ref(&input));
    o.keep_raw = true;
    let report = run_ok(&o);
    assert_eq!(
        fs::read(&input).unwrap(),
        original,
        "the input is untouched"
    );
    let out = &report.outcomes[0];
    let raw = out.raw_path.as_ref().unwrap();
    assert_eq!(
        raw.extension().unwrap(),
        "raw",
        "not .txt: the build would load it"
    );
    assert_eq!(
        fs::read(raw).unwrap(),
        original,
        "the copy is byte for byte"
    );
    let (file, sha) = import::raw_provenance(&out.imported.sidecar).unwrap();
    assert_eq!(file, raw.file_name().unwrap().to_string_lossy());
    assert_eq!(sha, import::sha256_hex(&original));
    assert_eq!(sha.len(), 64);
    assert!(import::verify_raw(&out.sidecar_path).unwrap());
    fs::write(raw, b"changed").unwrap();
    assert!(!import::verify_raw(&out.sidecar_path).unwrap());
    // The raw copy is not an article: the site still loads.
    let build = site.build();
    assert!(
        !messages(&build).iter().any(|m| m.contains(".raw")),
        "{:#?}",
        messages(&build)
    );
}

#[test]
fn existing_files_are_not_overwritten_without_force() {
    let site = Site::fixture();
    let first = run_ok(&options(&site, &[fixture("report.txt")]));
    let article = first.outcomes[0].article_path.clone();
    fs::write(&article, "edited by hand\n").unwrap();
    let again = import::run(&options(&site, &[fixture("report.txt")]));
    assert!(!again.written);
    assert_eq!(codes(&again), ["file-exists", "file-exists"]);
    assert!(again.diagnostics.items()[0].hints[0].contains("--force"));
    assert_eq!(fs::read_to_string(&article).unwrap(), "edited by hand\n");
    assert!(again.summary().starts_with("nothing imported"));
    let mut forced = options(&site, &[fixture("report.txt")]);
    forced.force = true;
    run_ok(&forced);
    assert_ne!(fs::read_to_string(&article).unwrap(), "edited by hand\n");
}

#[test]
fn nothing_is_written_when_one_input_fails() {
    let site = Site::fixture();
    let bad = site.root().join("latin1.txt");
    fs::write(&bad, b"Caf\xe9 talks\n").unwrap();
    let report = import::run(&options(
        &site,
        &[fixture("report.txt"), bad, site.root().join("missing.txt")],
    ));
    assert!(!report.written);
    assert_eq!(codes(&report), ["not-utf8", "unreadable-file"]);
    assert!(!site.root().join("content/articles/imported").exists());
}

// ------------------------------------------------------------ size and time

/// Counts the bytes each thread allocates. An import's allocations bound
/// its work without timing it: the searches that made import quadratic
/// copied the article, or a growing part of it, at each step.
struct Counting;

thread_local! {
    static ALLOCATED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn count_allocation(bytes: usize) {
    let _ = ALLOCATED.try_with(|a| a.set(a.get() + bytes as u64));
}

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_allocation(layout.size());
        std::alloc::System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_allocation(layout.size());
        std::alloc::System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        count_allocation(new_size);
        std::alloc::System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// What `f` returns, and the bytes this thread allocated while it ran.
fn allocating<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = ALLOCATED.with(|a| a.get());
    let out = f();
    (out, ALLOCATED.with(|a| a.get()) - before)
}

/// Imports `page`, and says how many bytes more were allocated for it than
/// for `small`, a page of the same shape: an import allocates some hundred
/// megabytes whatever its input (its patterns, compiled), and a few dozen
/// bytes more for each byte of the input.
fn import_allocating(page: &str, small: &str, published: Option<&str>) -> (ImportReport, u64) {
    let site = Site::fixture();
    let run = |text: &str| {
        let input = site.root().join("page.txt");
        fs::write(&input, text).unwrap();
        let mut o = options(&site, &[input]);
        o.published = published.map(str::to_string);
        o.force = true;
        allocating(|| run_ok(&o))
    };
    // (What is done once in a process, such as compiling the patterns kept
    // in statics, may fall in `base`: that only makes the difference less.)
    let (_, base) = run(small);
    let (report, allocated) = run(page);
    (report, allocated.saturating_sub(base))
}

/// Messages of the diagnostics, each with its file.
fn problems(report: &ImportReport) -> Vec<String> {
    report
        .diagnostics
        .items()
        .iter()
        .map(|d| unrooted(&d.positioned(&report.files).to_string()))
        .collect()
}

/// A text with the temporary sites' directories taken out of the paths it
/// names: import names files from the current directory, and a test's site
/// is outside it (`/tmp/.tmpXYZ/site.toml` → `site.toml`).
fn unrooted(text: &str) -> String {
    let tmp = std::env::temp_dir()
        .to_string_lossy()
        .trim_end_matches('/')
        .to_string();
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&format!("{tmp}/")) {
        out.push_str(&rest[..at]);
        let after = &rest[at + tmp.len() + 1..];
        rest = after.find('/').map_or(after, |slash| &after[slash + 1..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn a_page_on_one_long_line_imports_in_linear_work() {
    // About 200 KB on one line, its first sentence over and over: the
    // evidence, lengthened a word at a time while it recurs, was counted in
    // the whole article once per word, normalising the passage each time:
    // gigabytes allocated, a minute or more.
    let sentence = "The envoy met the minister in the capital on Monday, officials said. ";
    let line = sentence.repeat(200_000 / sentence.len());
    let (report, allocated) = import_allocating(
        &format!("{}\n", line.trim_end()),
        &format!("{}\n", sentence.trim_end()),
        None,
    );
    assert!(
        allocated < 400 * line.len() as u64,
        "{allocated} bytes allocated to import {} bytes",
        line.len()
    );
    let i = &report.outcomes[0].imported;
    assert_eq!(i.article, format!("{}\n", line.trim_end()));
    assert_eq!(i.entries, 1);
    assert!(i
        .sidecar
        .contains("    evidence:\n      - \"The envoy met the minister"));
}

#[test]
fn a_live_blog_of_thousands_of_updates_imports_in_linear_work() {
    // Each update's evidence normalised the whole article again, and each
    // stamp looked for its removal among all of them.
    let mut page = String::from("Talks go on through the night: Live\n\n");
    let updates = 2000;
    for k in 0..updates {
        let minute = 23 * 60 + 59 - k % (24 * 60);
        let _ = std::fmt::Write::write_fmt(
            &mut page,
            format_args!(
                "{} mins ago ({:02}:{:02} GMT)\n\nUpdate {k}: Lavrov spoke to the envoys again, and NATO answered within the hour.\n\n",
                k + 1,
                minute / 60,
                minute % 60
            ),
        );
    }
    let small = page.lines().take(5).collect::<Vec<_>>().join("\n") + "\n";
    let (report, allocated) = import_allocating(&page, &small, Some("2022-01-26"));
    assert!(
        allocated < 400 * page.len() as u64,
        "{allocated} bytes allocated to import {} bytes",
        page.len()
    );
    let i = &report.outcomes[0].imported;
    assert_eq!(i.entries, updates);
    assert_eq!(
        i.sidecar
            .matches("    actors: [lavrov, nato]  # named in the text (Lavrov, NATO)")
            .count(),
        updates
    );
    // Each update's first sentence is its own ("Update 17: ..."): found once.
    assert!(!i.sidecar.contains("occurs more than once"));
    // The last update, 1999 minutes before the first (23:59): a midnight
    // back.
    assert!(report.explain().contains(&format!(
        "live-stamp  \"2000 mins ago (14:40 GMT)\" → entry {updates}, at 2022-01-25 14:40"
    )));
}

#[test]
fn an_input_over_the_size_limit_is_refused_and_named() {
    let site = Site::fixture();
    let report_text = fs::read_to_string(fixture("report.txt")).unwrap();
    let big = site.root().join("big.txt");
    fs::write(&big, report_text.repeat(4)).unwrap();
    let size = fs::metadata(&big).unwrap().len();
    let mut o = options(&site, &[fixture("report.txt"), big.clone()]);
    o.max_size = Some(size - 1);
    let report = import::run(&o);
    assert!(!report.written);
    assert_eq!(codes(&report), ["too-large"]);
    let problem = &problems(&report)[0];
    assert!(
        problem.starts_with("big.txt: error[too-large]: too large to import: "),
        "{problem}"
    );
    assert!(
        problem.contains(&format!("({size} bytes), over the limit of")),
        "{problem}"
    );
    assert!(problem.contains("(--max-size)"), "{problem}");
    let hints = &report.diagnostics.items()[0].hints;
    assert!(hints.iter().any(|h| h.contains("split")), "{hints:?}");
    // The other input was imported, but nothing is written when one fails.
    assert_eq!(report.outcomes.len(), 1);
    assert!(!site.root().join("content/articles/imported").exists());

    // At the limit, it is taken.
    o.max_size = Some(size);
    run_ok(&o);
}

#[test]
fn the_size_limit_is_set_in_site_toml_and_checked_there() {
    let site = Site::new(&format!(
        "{}\n[import]\nmax_size = \"1KiB\"\n",
        common::SITE_TOML
    ));
    let report = import::run(&options(&site, &[fixture("report.txt")]));
    assert_eq!(codes(&report), ["too-large"]);
    let problem = &problems(&report)[0];
    assert!(
        problem.contains("over the limit of 1 KiB (site.toml's [import] max_size)"),
        "{problem}"
    );
    // --max-size wins.
    let mut o = options(&site, &[fixture("report.txt")]);
    o.max_size = Some(1 << 20);
    run_ok(&o);

    let site = Site::new(&format!(
        "{}\n[import]\nmax_size = \"12 parsecs\"\n",
        common::SITE_TOML
    ));
    let report = import::run(&options(&site, &[fixture("report.txt")]));
    assert!(!report.written);
    assert_eq!(codes(&report), ["invalid-max-size"]);
    assert!(
        problems(&report)[0].starts_with(&format!(
            "site.toml:{}:12: error[invalid-max-size]",
            common::SITE_TOML.lines().count() + 3
        )),
        "{:?}",
        problems(&report)
    );
}

#[test]
fn a_directory_is_not_an_input() {
    let site = Site::fixture();
    let report = import::run(&options(&site, &[site.root().join("content")]));
    assert_eq!(codes(&report), ["unreadable-file"]);
    assert!(problems(&report)[0].ends_with("cannot read: it is a directory"));
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_is_refused_at_the_size_limit_and_the_rest_reported() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let site = Site::fixture();
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["import", "/dev/zero"])
        .arg(fixture("report.txt"))
        .arg(site.root().join("missing.txt"))
        .arg("--root")
        .arg(site.root())
        .args(["--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[too-large]: /dev/zero: too large to import: more than the limit of 16 MiB (the default); reading stopped there"),
        "{stderr}"
    );
    assert!(stderr.contains("--max-size"), "{stderr}");
    assert!(stderr.contains("error[unreadable-file]"), "{stderr}");
    assert!(!site
        .root()
        .join("content/articles/ap-talks-on-missile-limits-to-resume-in-vienna.txt")
        .exists());
}

#[cfg(unix)]
#[test]
fn a_pipe_that_never_ends_is_read_no_further_than_the_limit() {
    let site = Site::fixture();
    let fifo = site.root().join("endless");
    match Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) if status.success() => {}
        _ => return, // no mkfifo here
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut pipe = fs::OpenOptions::new().write(true).open(fifo).unwrap();
            let chunk = b"Talks go on. ".repeat(1000);
            // Until the reader stops reading.
            while pipe.write_all(&chunk).is_ok() {}
        })
    };
    let mut o = options(&site, &[fifo]);
    o.max_size = Some(64 << 10);
    let report = import::run(&o);
    assert_eq!(codes(&report), ["too-large"]);
    assert!(problems(&report)[0]
        .contains("more than the limit of 64 KiB (--max-size); reading stopped there"));
    writer.join().unwrap();
}

#[test]
fn an_import_never_replaces_its_own_input() {
    let site = Site::fixture();
    let into = site.root().join("content/articles/imported");
    fs::create_dir_all(&into).unwrap();
    let input = into.join("ap-talks-on-missile-limits-to-resume-in-vienna.txt");
    fs::copy(fixture("report.txt"), &input).unwrap();
    let mut o = options(&site, std::slice::from_ref(&input));
    o.force = true;
    let report = import::run(&o);
    assert!(!report.written);
    assert!(
        codes(&report).contains(&"overwrites-input"),
        "{:?}",
        codes(&report)
    );
    assert_eq!(
        fs::read(&input).unwrap(),
        fs::read(fixture("report.txt")).unwrap()
    );
}

#[test]
fn two_inputs_with_the_same_title_get_distinct_names() {
    let site = Site::fixture();
    let copy = site.root().join("copy.txt");
    fs::copy(fixture("report.txt"), &copy).unwrap();
    let report = run_ok(&options(&site, &[fixture("report.txt"), copy]));
    assert_eq!(
        report.outcomes[1].imported.stem,
        "ap-talks-on-missile-limits-to-resume-in-vienna-2"
    );
}

#[test]
fn site_rules_in_site_toml_extend_replace_and_disable_the_built_ins() {
    let site = Site::new(&format!(
        "{}\n[import]\ndisable = [\"navigation\"]\n\n[[import.rules]]\nname = \"closing-line\"\npattern = '^Both sides have kept'\nkind = \"line\"\ndescription = \"the wire's closing boilerplate\"\n\n[[import.rules]]\nname = \"advertisement\"\npattern = '^Officials in Washington'\nkind = \"block\"\n",
        common::SITE_TOML
    ));
    let report = run_ok(&options(&site, &[fixture("report.txt")]));
    let i = &report.outcomes[0].imported;
    assert!(
        i.article.contains("Accessibility links"),
        "navigation is off"
    );
    assert!(!i.article.contains("Both sides have kept"));
    assert!(!i.article.contains("Officials in Washington"));
    let explain = report.explain();
    assert!(explain.contains("closing-line"), "{explain}");
    assert!(
        explain.contains("  closing-line   the wire's closing boilerplate"),
        "{explain}"
    );
}

#[test]
fn a_bad_site_rule_is_reported_where_it_is_written_and_nothing_is_imported() {
    let site = Site::new(&format!(
        "{}\n[import]\ndisable = [\"navigaton\"]\n\n[[import.rules]]\nname = \"broken\"\npattern = \"(unclosed\"\n\n[[import.rules]]\nname = \"odd\"\npattern = \"x\"\nkind = \"page\"\n",
        common::SITE_TOML
    ));
    let report = import::run(&options(&site, &[fixture("report.txt")]));
    assert!(!report.written);
    let all: Vec<String> = problems(&report);
    assert_eq!(
        all,
        [
            format!(
                "site.toml:{}: warning[invalid-import-rule]: there is no built-in import rule `navigaton` to disable",
                line_col(&site, "\"navigaton\"")
            ),
            format!(
                "site.toml:{}: error[invalid-import-rule]: the pattern of import rule `broken` is not a regular expression",
                line_col(&site, "\"(unclosed\"")
            ),
            format!(
                "site.toml:{}: error[invalid-import-rule]: `page` is not a kind of import rule",
                line_col(&site, "\"page\"")
            ),
        ]
    );
    assert!(report.diagnostics.items()[0].hints[0].contains("`navigation`"));
    let unknown = Site::new(&format!("{}\n[import]\nrulez = []\n", common::SITE_TOML));
    let report = import::run(&options(&unknown, &[fixture("report.txt")]));
    assert_eq!(codes(&report), ["invalid-import-rule"]);
}

/// "line:column" of the first occurrence of `needle` in the site's site.toml.
fn line_col(site: &Site, needle: &str) -> String {
    let text = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{column}")
}

#[test]
fn the_build_reports_the_todos_until_they_are_filled_then_builds() {
    let site = Site::fixture();
    let mut o = options(&site, &[fixture("liveblog.txt"), fixture("report.txt")]);
    o.published = Some("2022-01-26".into());
    let report = run_ok(&o);
    // --published applies to both; the report's date is then 26 January.
    let build = site.build();
    assert!(!build.succeeded(), "a headline to write fails the build");
    let all = messages(&build);
    let todo = |code: &str| all.iter().filter(|m| m.contains(code)).count();
    assert_eq!(
        todo("error[missing-field]: this entry has no `headline`"),
        1,
        "{all:#?}"
    );
    assert_eq!(
        todo("warning[unknown-thread]: unknown thread `TODO`"),
        5,
        "{all:#?}"
    );
    assert_eq!(
        todo("warning[missing-field]: the article does not name its `source`"),
        1,
        "{all:#?}"
    );
    assert!(all
        .iter()
        .all(|m| m.starts_with("content/articles/imported/")));
    assert!(all
        .iter()
        .any(|m| m.contains(".yaml:") && m.contains("TODO")));

    // The editor fills in every TODO.
    for outcome in &report.outcomes {
        let yaml = fs::read_to_string(&outcome.sidecar_path).unwrap();
        fs::write(&outcome.sidecar_path, fill_todos(&yaml)).unwrap();
    }
    let build = site.build_ok();
    assert!(
        build.diagnostics.items().is_empty(),
        "{:#?}",
        messages(&build)
    );
    let page = site.page("articles/envoys-trade-letters-as-talks-stall-live/index.html");
    assert!(page.contains("Moscow receives the American letter"));
    assert!(page.contains("id=\"ev-"), "evidence passages are marked");
    let day = site.page("days/2022-01-26/index.html");
    assert!(day.contains("Markets shrug off the exchange of letters"));
}

/// What an editor does with the skeleton: a value for every `# TODO`.
pub(crate) fn fill_todos(yaml: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for line in yaml.lines() {
        let filled = match line.split_once("# TODO") {
            Some((head, _)) => {
                n += 1;
                let key = head.trim().trim_start_matches("- ");
                let indent = &head[..head.len() - head.trim_start().len()];
                let dash = if head.trim_start().starts_with("- ") {
                    "- "
                } else {
                    ""
                };
                let value = match key.split(':').next().unwrap() {
                    "headline" => format!("Headline written by the editor, number {n}"),
                    "threads" => "[security-guarantees]".to_string(),
                    "source" => "Example Herald".to_string(),
                    "published" => "2022-01-26".to_string(),
                    "at" => "2022-01-26".to_string(),
                    "timezone" => "UTC".to_string(),
                    "title" => "A title".to_string(),
                    other => panic!("unexpected TODO field {other}"),
                };
                format!("{indent}{dash}{}: {value}", key.split(':').next().unwrap())
            }
            None => line.to_string(),
        };
        out.push_str(&filled);
        out.push('\n');
    }
    assert!(!out.contains("# TODO") && !out.contains("[TODO]"), "{out}");
    out
}

#[test]
fn the_command_line_imports_explains_and_refuses_to_overwrite() {
    let site = Site::fixture();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .current_dir(site.root())
            .arg("import")
            .arg(fixture("liveblog.txt"))
            .args(["--source", "Example Herald"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&["--published", "2022-01-26", "--explain", "--keep-raw"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("live-stamp"));
    assert!(stdout.contains("rules:\n"));
    assert!(stdout.contains("wrote content/articles/example-herald-envoys-trade-letters-as-talks-stall-live.yaml: 4 entries"));
    assert!(site
        .root()
        .join("content/articles/example-herald-envoys-trade-letters-as-talks-stall-live.raw")
        .is_file());

    let out = run(&["--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[file-exists]"), "{stderr}");
    assert!(stderr.contains("--force"));

    assert_eq!(run(&["--force", "--quiet"]).status.code(), Some(0));
    // A date no annotation would accept is a usage error.
    let out = run(&["--published", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("--published"));

    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .arg("import")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "FILE is required");
    let help = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["import", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for option in [
        "--into",
        "--source",
        "--published",
        "--keep-raw",
        "--force",
        "--explain",
        "--root",
        "--max-size",
    ] {
        assert!(help.contains(option), "import --help lacks {option}");
    }
}

/// Diagnostics and the summary name files as seen from the current
/// directory, as `chronicle build` does: `site/site.toml`, not `site.toml`
/// nor an absolute path.
#[test]
fn paths_are_named_from_the_current_directory() {
    let site = Site::fixture();
    let parent = site.root().parent().unwrap();
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[import]\n[[import.rules]]\nname = \"bad\"\npattern = '('\n"),
    );
    site.write("content/articles/imported/report.txt", "there already\n");
    let run = |root: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .current_dir(parent)
            .args(["import", "--color", "never", "--format", "json", "--root"])
            .arg(root)
            .args(["--into", "content/articles/imported"])
            .arg(fixture("report.txt"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    for root in [PathBuf::from(&name), site.root().to_path_buf()] {
        let out = run(&root);
        assert!(
            out.contains(&format!("\"file\":\"{name}/site.toml\"")),
            "{out}"
        );
        assert!(!out.contains(parent.to_str().unwrap()), "{out}");
    }
    fs::write(site.root().join("site.toml"), toml).unwrap();
    fs::remove_file(site.root().join("content/articles/imported/report.txt")).unwrap();
    let out = run(site.root());
    assert!(
        out.contains(&format!("\"article\":\"{name}/content/articles/imported/")),
        "{out}"
    );
}

// ------------------------------------------------------------ saved pages

/// A site with the shipped chronicle's registries (content/ in the
/// repository), for the names the saved-page fixtures use.
pub(crate) fn registries_site() -> Site {
    let site = Site::new(common::SITE_TOML);
    for registry in ["actors.yaml", "threads.yaml", "topics.yaml"] {
        site.write(
            &format!("content/{registry}"),
            &fs::read_to_string(repo().join("content").join(registry)).unwrap(),
        );
    }
    site
}

/// Imports one saved-page fixture (tests/fixtures/import/); checks that the
/// fragments of its report survive and the debris does not, and that no
/// long line of prose was removed except as a caption, legend or notice.
fn check_page(name: &str, published: Option<&str>, kept: &[&str], gone: &[&str]) -> ImportReport {
    let site = registries_site();
    let path = fixture(name);
    let mut o = options(&site, std::slice::from_ref(&path));
    o.published = published.map(str::to_string);
    let report = run_ok(&o);
    let imported = &report.outcomes[0].imported;
    let text = &imported.article;
    for fragment in kept {
        assert!(text.contains(fragment), "{name}: lost {fragment:?}");
    }
    for debris in gone {
        assert!(!text.contains(debris), "{name}: kept {debris:?}");
    }
    let raw = fs::read_to_string(&path).unwrap();
    let raw_lines: Vec<&str> = raw.lines().collect();
    for r in &imported.removals {
        for line in &raw_lines[r.first_line - 1..r.last_line] {
            let words = line.split_whitespace().count();
            let sentence = line
                .trim_end()
                .trim_end_matches(['"', '”', '’', ')'])
                .ends_with(['.', '!', '?']);
            if words >= 12 && sentence {
                assert!(
                    [
                        "icon-legend",
                        "gallery-caption",
                        "photo-caption",
                        "image-caption",
                        "copyright",
                        "author-box"
                    ]
                    .contains(&r.rule.as_str()),
                    "{name}: a line of {words} words removed by {} at line {}",
                    r.rule,
                    r.first_line
                );
            }
        }
    }
    // Every line of the article is a line of the input, unchanged.
    for line in text.lines().filter(|l| !l.is_empty()) {
        assert!(raw_lines.contains(&line), "{name}: changed line {line:?}");
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        raw,
        "the input is untouched"
    );
    report
}

#[test]
fn a_live_page_keeps_its_report_and_loses_its_section_label() {
    let report = check_page(
        "live-page.txt",
        None,
        &[
            "Kyiv promises a larger reserve force",
            "will train an extra forty thousand reservists",
            "We are not schoolchildren waiting for the bell",
            "the diary was not his to keep",
            "has denied reports that his government had already answered",
            "The alliance has said it will not reopen its founding treaty.",
        ],
        &["Source link"],
    );
    let i = &report.outcomes[0].imported;
    assert!(
        i.article
            .starts_with("Foreign ministers agree to a second call"),
        "the section label is gone"
    );
    assert!(i.sidecar.contains(
        "title: \"Foreign ministers agree to a second call on the border crisis: Live news\""
    ));
}

#[test]
fn a_regional_paper_loses_icon_legends_captions_and_paywall() {
    let report = check_page(
        "regional-paper.txt",
        None,
        &[
            "told President Vladimir Putin on Monday that talks with Western capitals",
            "a long way from used up",
            "field kitchens and tents was seen leaving a depot",
            "which the Kremlin again called a fantasy",
            "By Press Association",
        ],
        &[
            "An icon of",
            "Home News World",
            "Sergei Lavrov (AP)",
            "(AP)",
            "(PA)",
            "Already a subscriber",
            "[[title]]",
            "[[text]]",
            "More from the Northern Courier",
        ],
    );
    let yaml = &report.outcomes[0].imported.sidecar;
    assert!(yaml.contains("source: \"Press Association\""), "{yaml}");
    assert!(yaml.contains("published: \"2022-02-14\""), "{yaml}");
    assert!(yaml.contains("actors: [lavrov, putin"), "{yaml}");
}

#[test]
fn an_aggregator_loses_masthead_related_lists_and_copyright() {
    let report = check_page(
        "aggregator.txt",
        None,
        &[
            "will sit down with his Russian counterpart Sergei Lavrov in Stockholm",
            "The alliance as such has no power to impose sanctions.",
            "spent most of their session on the troops gathered near the border",
            "their own drills were routine",
        ],
        &[
            "BorderWatch.net",
            "ADVERTISEMENT",
            "OrbitNotes",
            "comet",
            "Weather Watch",
            "grey before the rain",
            "All rights reserved",
            "Agence France-Presse",
        ],
    );
    let yaml = &report.outcomes[0].imported.sidecar;
    assert!(yaml.contains("source: \"AFP\""), "{yaml}");
    assert!(yaml.contains("published: \"2021-12-01\""), "{yaml}");
}

#[test]
fn a_broadcaster_page_loses_navigation_captions_and_the_byline_box() {
    let report = check_page(
        "broadcaster.txt",
        None,
        &[
            "said on Thursday that he was worried by the troops",
            "would keep its nerve",
            "repeat the same points to Lavrov in person",
            "Some material for this story was supplied",
        ],
        &[
            "Accessibility links",
            "Breaking News",
            "FILE - ",
            "answers questions from reporters at a lectern",
            "16x9 Image",
            "VOA News",
            "is the byline of a newsroom",
            "\nXS\n",
            "\nLG",
        ],
    );
    let yaml = &report.outcomes[0].imported.sidecar;
    assert!(yaml.contains("source: \"VOA\""), "{yaml}");
    assert!(
        yaml.contains("published:  # TODO"),
        "the page gives no date: {yaml}"
    );
}

#[test]
fn a_live_compilation_has_an_entry_per_timed_update_in_gmt() {
    let report = check_page(
        "live-compilation.txt",
        Some("2022-01-26"),
        &[
            "Here are all the latest updates:",
            "has handed the foreign ministry in Moscow a written reply",
            "Six American fighter jets landed in Estonia",
            "Pope Francis asked believers to pray for peace",
            "Russia had not yet gathered enough soldiers",
            "would not let its proposals be buried in talk without end",
            "it was in no hurry to say what they might be",
        ],
        &[
            "ago (",
            "GMT)",
            "Hide Caption",
            "img]",
            "Featured image of post",
            "ADVERTISEMENT",
            "[File:",
            "Licensed under CC",
            "使用 Hugo 建立",
        ],
    );
    let i = &report.outcomes[0].imported;
    assert_eq!(
        i.article
            .matches("Embassy tells its citizens to think about leaving: Live")
            .count(),
        1
    );
    let raw = fs::read_to_string(fixture("live-compilation.txt")).unwrap();
    let stamps = raw
        .lines()
        .filter(|l| l.contains(" ago (") && l.ends_with("GMT)"))
        .count();
    assert_eq!(stamps, 8);
    assert_eq!(i.entries, stamps, "one entry per timed update");
    let at: Vec<&str> = i
        .sidecar
        .lines()
        .filter_map(|l| l.strip_prefix("  - at: "))
        .collect();
    assert_eq!(at.len(), 8);
    assert_eq!(at[0], "\"18:04\"");
    assert_eq!(at[1], "\"17:54\"");
    assert_eq!(at[5], "\"16:20\"");
    assert_eq!(at[7], "\"08:45\"");
    assert!(at.contains(&"\"12:37\""));
    assert!(i.sidecar.contains("published: \"2022-01-26\"\n"));
    assert!(i.sidecar.contains("timezone: UTC"));
    // The first update's candidates include the two men its text names.
    let first = i.sidecar.split("  # update 2 of 8").next().unwrap();
    assert!(
        first.contains("sullivan") && first.contains("blinken"),
        "{first}"
    );
    assert!(first.contains("headline: \"US ambassador hands Moscow a written reply\""));
}

#[test]
fn saved_pages_import_and_build_once_filled() {
    let site = registries_site();
    let inputs: Vec<PathBuf> = [
        "live-page.txt",
        "regional-paper.txt",
        "aggregator.txt",
        "broadcaster.txt",
        "live-compilation.txt",
    ]
    .iter()
    .map(|name| fixture(name))
    .collect();
    let mut o = options(&site, &inputs);
    o.published = None;
    let report = run_ok(&o);
    for outcome in &report.outcomes {
        let yaml = fs::read_to_string(&outcome.sidecar_path).unwrap();
        fs::write(&outcome.sidecar_path, fill_todos(&yaml)).unwrap();
    }
    let build = site.build();
    assert!(build.succeeded(), "{:#?}", messages(&build));
    let problems = messages(&build);
    assert!(
        problems
            .iter()
            .all(|m| !m.contains("evidence-not-found") && !m.contains("unknown-actor")),
        "{problems:#?}"
    );
}

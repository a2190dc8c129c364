//! Bad input never hurts: a corpus of hostile and broken inputs.
//!
//! Every failing case builds the good fixture first, snapshots its output
//! (paths and bytes) and the whole site, breaks the input, then builds again
//! in-process, on a thread under a timeout (so a hang fails the test instead
//! of stalling it), and checks that
//!
//! - the diagnostic names the file, and the line where there is one;
//! - the build fails (exit status 1), or succeeds where the input must work;
//! - the previous output, and every other file, is byte for byte unchanged;
//! - nothing panicked and nothing hung.
//!
//! What only the command line does (exit statuses, `--output` and `--force`,
//! the lock of a running build, what reaches the terminal, the working
//! directory left alone) is run as a subprocess.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chronicle::config::Overrides;
use chronicle::diagnostics::{Positioned, Severity};
use chronicle::{BuildOptions, BuildReport};
use common::{fixture_text, messages, positioned, Site, SITE_TOML};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// How long one `chronicle build` of a small site may run before it is
/// taken for hung.
const CLI_TIMEOUT: Duration = Duration::from_secs(20);

const LIVE: &str = "content/articles/2022/01/live-0126.md";
const WIRE_TXT: &str = "content/articles/2022/01/wire-moscow.txt";
const WIRE_YAML: &str = "content/articles/2022/01/wire-moscow.yaml";
const ACTORS: &str = "content/actors.yaml";
const TOPICS: &str = "content/topics.yaml";
const THREADS: &str = "content/threads.yaml";

/// `text` with the first `from` replaced by `to`; `from` must be there.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in {text:?}");
    text.replacen(from, to, 1)
}

/// The 1-based line of the first `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in {text:?}"));
    text[..i].matches('\n').count() + 1
}

/// The 1-based column (in characters) of the first `needle` in `text`.
fn column_of(text: &str, needle: &str) -> usize {
    let i = text.find(needle).unwrap();
    let start = text[..i].rfind('\n').map(|n| n + 1).unwrap_or(0);
    text[start..i].chars().count() + 1
}

fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    let path = site.root().join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// A fixture site in its own directory inside `outer`, so that what a build
/// does next to the site (or above it) can be watched.
fn nested_fixture() -> (tempfile::TempDir, Site) {
    let outer = tempfile::tempdir().unwrap();
    let site = Site {
        dir: tempfile::Builder::new()
            .prefix("site-")
            .tempdir_in(outer.path())
            .unwrap(),
    };
    common::copy_dir(
        &common::repo().join("themes/default"),
        &site.root().join("themes/default"),
    );
    site.write("site.toml", SITE_TOML);
    common::copy_dir(
        &common::fixture_dir().join("content"),
        &site.root().join("content"),
    );
    (outer, site)
}

/// One node of a directory tree, as found on disk (links not followed).
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every path below a directory with its bytes (or link target).
type Snapshot = BTreeMap<PathBuf, Node>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = Snapshot::new();
    if fs::symlink_metadata(dir).is_err() {
        return out;
    }
    for item in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(dir).unwrap().to_path_buf();
        let kind = item.file_type();
        let node = if kind.is_symlink() {
            Node::Link(fs::read_link(item.path()).unwrap())
        } else if kind.is_dir() {
            Node::Dir
        } else {
            Node::File(fs::read(item.path()).unwrap())
        };
        out.insert(rel, node);
    }
    out
}

/// Panics at the first difference between two snapshots.
fn assert_same(before: &Snapshot, after: &Snapshot, what: &str) {
    for (path, node) in before {
        match after.get(path) {
            None => panic!("{what}: {} was removed", path.display()),
            Some(now) if now != node => panic!("{what}: {} changed", path.display()),
            Some(_) => {}
        }
    }
    if let Some(path) = after.keys().find(|p| !before.contains_key(*p)) {
        panic!("{what}: {} appeared", path.display());
    }
}

/// What a run of the command line did.
struct Run {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

/// Runs `chronicle build --color never --root ROOT ARGS...` in an empty
/// working directory, killing it (and failing) after `timeout`. Fails on a
/// panic, a death by signal, or any file written into the working directory.
fn run_cli(root: &Path, args: &[&str], timeout: Duration) -> Run {
    run_cli_in(None, root, args, timeout)
}

fn run_cli_in(cwd: Option<&Path>, root: &Path, args: &[&str], timeout: Duration) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let work = logs.path().join("cwd");
    fs::create_dir(&work).unwrap();
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["build", "--color", "never", "--root"])
        .arg(root)
        .args(args)
        .current_dir(cwd.unwrap_or(&work))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("chronicle runs");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`chronicle build --root {}` still ran after {timeout:?} and was killed; stderr:\n{}",
                root.display(),
                fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let run = Run {
        code: status.code(),
        stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
        elapsed: start.elapsed(),
    };
    assert!(
        run.code.is_some(),
        "chronicle was killed by a signal ({status:?}); stderr:\n{}",
        run.stderr
    );
    assert!(
        run.code != Some(101) && !run.stderr.contains("panicked"),
        "chronicle panicked; stderr:\n{}",
        run.stderr
    );
    if cwd.is_none() {
        assert!(
            fs::read_dir(&work).unwrap().next().is_none(),
            "chronicle wrote into its working directory"
        );
    }
    run
}

fn build_lib(site: &Site, strict: bool) -> BuildReport {
    chronicle::build(&BuildOptions {
        root: site.root().to_path_buf(),
        overrides: Overrides {
            strict,
            ..Overrides::default()
        },
        ..Default::default()
    })
}

/// A build that failed as it should, with what it said.
struct Failed {
    report: BuildReport,
    stderr: String,
}

/// Builds the good fixture, applies `break_it`, and checks that the broken
/// site fails (the command line exits 1 within the timeout; the library
/// reports errors and writes nothing) and that the previous output and
/// every other file of the site are byte for byte as they were.
fn fails_keeping_output(site: &Site, break_it: impl FnOnce(&Site)) -> Failed {
    fails_keeping_output_with(site, false, break_it)
}

fn fails_keeping_output_with(site: &Site, strict: bool, break_it: impl FnOnce(&Site)) -> Failed {
    site.build_ok();
    let output = snapshot(&site.output());
    assert!(
        output.contains_key(Path::new("index.html")),
        "the good build wrote a site"
    );
    break_it(site);
    let everything = snapshot(site.root());

    let (report, shown) = build_in_process(site, strict, CLI_TIMEOUT);
    assert!(
        !report.succeeded(),
        "the broken site built:\n{}",
        messages(&report).join("\n")
    );
    assert!(report.diagnostics.has_errors());
    assert_same(
        &output,
        &snapshot(&site.output()),
        "the previous output after a failed build",
    );
    assert_same(
        &everything,
        &snapshot(site.root()),
        "the site after a failed build",
    );
    Failed {
        report,
        stderr: shown.stderr,
    }
}

/// What an in-process build showed: its diagnostics as the terminal shows
/// them (paths relative to the site's root), and how long it took.
struct Shown {
    stderr: String,
    elapsed: Duration,
}

/// Builds the site with the library on a thread of its own, failing the
/// test if the build panics or still runs after `timeout` (taken for hung:
/// the thread is left behind, the test fails at once).
fn build_in_process(site: &Site, strict: bool, timeout: Duration) -> (BuildReport, Shown) {
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        overrides: Overrides {
            strict,
            ..Overrides::default()
        },
        ..Default::default()
    };
    let start = Instant::now();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(chronicle::build(&options));
    });
    let report = match receiver.recv_timeout(timeout) {
        Ok(report) => report,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "the build of {} still ran after {timeout:?}",
                site.root().display()
            )
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the build panicked"),
    };
    let elapsed = start.elapsed();
    let mut shown = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    chronicle::diagnostics::emit(&mut shown, &report.diagnostics, &report.files).unwrap();
    let stderr = String::from_utf8(shown.into_inner()).unwrap();
    (report, Shown { stderr, elapsed })
}

/// Builds in-process; the build must succeed.
fn builds(site: &Site) -> (BuildReport, Shown) {
    let (report, shown) = build_in_process(site, false, CLI_TIMEOUT);
    assert!(
        report.succeeded(),
        "the build failed:\n{}",
        messages(&report).join("\n")
    );
    (report, shown)
}

/// The diagnostics with `code` in `file` (and on `line`, when given);
/// panics listing every diagnostic when there is none.
fn find_diag(report: &BuildReport, code: &str, file: &str, line: Option<usize>) -> Positioned {
    positioned(report)
        .into_iter()
        .find(|p| {
            p.code == code && p.file.as_deref() == Some(file) && (line.is_none() || p.line == line)
        })
        .unwrap_or_else(|| {
            panic!(
                "no {code} in {file}{} among:\n{}",
                line.map(|l| format!(" on line {l}")).unwrap_or_default(),
                messages(report).join("\n")
            )
        })
}

/// Asserts an error `code` at `file`:`line` in the library's report and in
/// what the command line printed.
fn reported(failed: &Failed, code: &str, file: &str, line: usize) -> Positioned {
    let d = find_diag(&failed.report, code, file, Some(line));
    assert_eq!(d.severity, Severity::Error, "{d}");
    assert!(
        failed.stderr.contains(&format!("error[{code}]")),
        "stderr lacks error[{code}]:\n{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains(&format!("{file}:{line}:")),
        "stderr does not point at {file}:{line}:\n{}",
        failed.stderr
    );
    d
}

/// Asserts an error `code` naming `file` (no line known).
fn reported_in_file(failed: &Failed, code: &str, file: &str) -> Positioned {
    let d = find_diag(&failed.report, code, file, None);
    assert_eq!(d.severity, Severity::Error, "{d}");
    assert!(
        failed.stderr.contains(&format!("error[{code}]")) && failed.stderr.contains(file),
        "stderr lacks error[{code}] naming {file}:\n{}",
        failed.stderr
    );
    d
}

/// Asserts a warning `code` at `file`:`line`, in the report and on stderr.
fn warned(report: &BuildReport, run: &Shown, code: &str, file: &str, line: usize) -> Positioned {
    let d = find_diag(report, code, file, Some(line));
    assert_eq!(d.severity, Severity::Warning, "{d}");
    assert!(
        run.stderr.contains(&format!("warning[{code}]"))
            && run.stderr.contains(&format!("{file}:{line}:")),
        "stderr lacks warning[{code}] at {file}:{line}:\n{}",
        run.stderr
    );
    d
}

fn codes(report: &BuildReport) -> Vec<&'static str> {
    common::codes(&report.diagnostics)
}

/// A Markdown article with front matter `yaml` (no fences) and `body`.
fn md(yaml: &str, body: &str) -> String {
    format!("---\n{yaml}---\n{body}")
}

// ---------------------------------------------------------------------------
// 1. Malformed YAML
// ---------------------------------------------------------------------------

#[test]
fn malformed_yaml_in_front_matter_names_the_file_and_the_line_in_the_file() {
    let site = Site::fixture();
    let rel = "content/articles/2022/01/broken.md";
    let text = md(
        "title: Broken\nsource: X\npublished: 2022-01-28\nentries:\n  - at: 2022-01-28\n    headline: Broken: here\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    // Line 7 of the file (line 6 of the YAML: the fence comes first).
    reported(
        &failed,
        "invalid-yaml",
        rel,
        line_of(&text, "headline: Broken"),
    );
}

#[test]
fn malformed_yaml_in_a_sidecar_names_the_file_and_the_line() {
    let site = Site::fixture();
    let text = replaced(
        &fixture_text(WIRE_YAML),
        "headline: Lavrov sees little room for optimism",
        "headline: Lavrov: little room for optimism",
    );
    let failed = fails_keeping_output(&site, |s| s.write(WIRE_YAML, &text));
    reported(
        &failed,
        "invalid-yaml",
        WIRE_YAML,
        line_of(&text, "headline: Lavrov:"),
    );
}

#[test]
fn malformed_yaml_in_each_registry_names_the_file_and_the_line() {
    for (rel, from, to) in [
        (
            ACTORS,
            "role: US Secretary of State",
            "role: US: Secretary of State",
        ),
        (TOPICS, "name: Sanctions", "name: Sanctions: all of them"),
        (
            THREADS,
            "title: The threat of sanctions",
            "title: Threat: sanctions",
        ),
    ] {
        let site = Site::fixture();
        let text = replaced(&fixture_text(rel), from, to);
        let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
        reported(&failed, "invalid-yaml", rel, line_of(&text, to));
    }
}

#[test]
fn a_tab_indent_and_an_unclosed_list_are_invalid_yaml_at_their_line() {
    let site = Site::fixture();
    let text = replaced(
        &fixture_text(ACTORS),
        "  kind: state\nusa:",
        "\tkind: state\nusa:",
    );
    let failed = fails_keeping_output(&site, |s| s.write(ACTORS, &text));
    reported(&failed, "invalid-yaml", ACTORS, line_of(&text, "\tkind"));

    let site = Site::fixture();
    let rel = "content/articles/unclosed.md";
    let text = md(
        "title: Unclosed\nsource: X\nentries:\n  - at: 2022-01-28\n    headline: H\n    actors: [Blinken, Lavrov\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = find_diag(&failed.report, "invalid-yaml", rel, None);
    let line = d.line.expect("a line");
    assert!(
        (line_of(&text, "actors: [")..=line_of(&text, "---\nBody")).contains(&line),
        "points into the front matter, at or after the open list: {d}"
    );
}

/// Runs the command line on a site whose only oddity is in `rel`: it must
/// finish within the timeout, and either build (exit 0) or refuse the file
/// as invalid YAML (exit 1), with the previous output kept.
fn finishes_or_refuses(site: &Site, rel: &str, text: &str) {
    site.build_ok();
    let output = snapshot(&site.output());
    site.write(rel, text);
    let (report, shown) = build_in_process(site, false, CLI_TIMEOUT);
    eprintln!(
        "{rel}: built {} after {:?}",
        report.succeeded(),
        shown.elapsed
    );
    if !report.succeeded() {
        assert!(
            shown.stderr.contains("error[invalid-yaml]") && shown.stderr.contains(rel),
            "{}",
            shown.stderr
        );
        assert_same(&output, &snapshot(&site.output()), "the previous output");
    }
}

#[test]
fn deeply_nested_yaml_neither_overflows_the_stack_nor_hangs() {
    let site = Site::fixture();
    let depth = 100_000;
    let text = md(
        &format!(
            "title: Deep\nsource: X\nlol: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        "Body.\n",
    );
    finishes_or_refuses(&site, "content/articles/deep.md", &text);
}

#[test]
fn a_long_one_line_list_loads_in_time() {
    let site = Site::fixture();
    let aliases: Vec<String> = (0..20_000).map(|i| format!("alias{i}")).collect();
    let text = format!(
        "{}zelensky:\n  name: Volodymyr Zelensky\n  aliases: [{}]\n",
        fixture_text(ACTORS),
        aliases.join(", ")
    );
    finishes_or_refuses(&site, ACTORS, &text);
}

/// Ten levels of nine-fold aliases: about 3.5 billion nodes if expanded.
fn alias_bomb() -> String {
    let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    yaml
}

#[test]
fn a_yaml_alias_bomb_in_unknown_fields_is_ignored_quickly() {
    let site = Site::fixture();
    let rel = "content/articles/bomb.md";
    let text = md(
        &format!("title: Bomb\nsource: X\n{}", alias_bomb()),
        "Body.\n",
    );
    site.write(rel, &text);
    let (report, run) = builds(&site);
    warned(&report, &run, "unknown-field", rel, line_of(&text, "a9:"));
}

#[test]
fn a_yaml_alias_bomb_as_entries_is_refused_quickly() {
    let site = Site::fixture();
    let rel = "content/articles/bomb.md";
    let text = md(
        &format!("title: Bomb\nsource: X\n{}entries: *a9\n", alias_bomb()),
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = find_diag(&failed.report, "invalid-yaml", rel, None);
    assert!(d.line.is_some(), "{d}");
}

#[test]
fn malformed_yaml_after_cyrillic_text_with_bom_and_crlf_points_at_the_right_place() {
    let site = Site::fixture();
    let plain = replaced(
        &fixture_text(WIRE_YAML),
        "title: Moscow weighs the US reply",
        "title: Москва зважує відповідь США\nauthor: Олександр Коваленко",
    );
    let plain = replaced(
        &plain,
        "headline: Lavrov sees little room for optimism",
        "headline: Лавров: мало місця для оптимізму",
    );
    let failed = fails_keeping_output(&site, |s| s.write(WIRE_YAML, &bom_crlf(&plain)));
    let d = reported(
        &failed,
        "invalid-yaml",
        WIRE_YAML,
        line_of(&plain, "headline: Лавров:"),
    );
    // The column counts characters, and the BOM is not one.
    assert_eq!(d.column, Some(column_of(&plain, ": мало")), "{d}");
}

#[test]
fn a_field_given_twice_is_an_error_at_the_second_occurrence() {
    let site = Site::fixture();
    let rel = "content/articles/twice-at.md";
    let text = md(
        "title: Twice\nsource: X\nentries:\n  - at: 2022-01-28\n    headline: H\n    place: Kyiv\n    at: 2022-01-29\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = reported(
        &failed,
        "duplicate-key",
        rel,
        line_of(&text, "at: 2022-01-29"),
    );
    assert!(d.message.contains("`at`"), "{d}");
}

// ---------------------------------------------------------------------------
// 2. Registries and annotations of the wrong shape
// ---------------------------------------------------------------------------

#[test]
fn a_registry_that_is_a_list_is_refused() {
    for rel in [ACTORS, TOPICS, THREADS] {
        let site = Site::fixture();
        let text = "- lavrov\n- blinken\n";
        let failed = fails_keeping_output(&site, |s| s.write(rel, text));
        let d = reported(&failed, "invalid-yaml", rel, 1);
        assert!(
            d.hints.iter().any(|h| h.contains("maps each id")),
            "says what shape is expected: {:?}",
            d.hints
        );
    }
}

#[test]
fn a_registry_that_is_a_bare_string_is_refused() {
    let site = Site::fixture();
    let failed = fails_keeping_output(&site, |s| s.write(TOPICS, "just some words\n"));
    reported(&failed, "invalid-yaml", TOPICS, 1);
}

#[test]
fn an_actor_whose_value_is_a_string_is_refused_at_its_line() {
    let site = Site::fixture();
    let text = format!("{}zelensky: Volodymyr Zelensky\n", fixture_text(ACTORS));
    let failed = fails_keeping_output(&site, |s| s.write(ACTORS, &text));
    let d = reported(&failed, "invalid-yaml", ACTORS, line_of(&text, "zelensky:"));
    assert!(d.message.contains("zelensky"), "names the actor: {d}");
}

#[test]
fn a_thread_whose_topics_is_a_mapping_is_refused_at_its_line() {
    let site = Site::fixture();
    let text = replaced(
        &fixture_text(THREADS),
        "  topics: [sanctions, Diplomacy]",
        "  topics:\n    sanctions: yes",
    );
    let failed = fails_keeping_output(&site, |s| s.write(THREADS, &text));
    let d = reported(
        &failed,
        "invalid-yaml",
        THREADS,
        line_of(&text, "sanctions: yes"),
    );
    assert!(d.message.contains("topics"), "names the field: {d}");
}

#[test]
fn front_matter_of_the_wrong_shape_is_refused() {
    for (yaml, needle) in [
        ("- just\n- a list\n", "- just"),
        ("title: Entries is a mapping\nentries:\n  at: 2022-01-28\n", "at: 2022"),
        ("title: Evidence is a mapping\nentries:\n  - at: 2022-01-28\n    headline: H\n    evidence: {exact: 12, prefix: [1]}\n", "evidence:"),
    ] {
        let site = Site::fixture();
        let rel = "content/articles/shape.md";
        let text = md(yaml, "Body.\n");
        let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
        reported(&failed, "invalid-yaml", rel, line_of(&text, needle));
    }
}

// ---------------------------------------------------------------------------
// 3. Missing fields
// ---------------------------------------------------------------------------

#[test]
fn an_entry_without_at_is_an_error_at_the_entry() {
    let site = Site::fixture();
    let rel = "content/articles/no-at.md";
    let text = md(
        "title: No time\nsource: X\npublished: 2022-01-28\nentries:\n  - id: fine\n    at: 2022-01-28\n    headline: Fine\n  - headline: When was this\n    place: Kyiv\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = reported(
        &failed,
        "missing-field",
        rel,
        line_of(&text, "headline: When"),
    );
    assert!(d.message.contains("`at`"), "{d}");
}

#[test]
fn an_entry_without_a_headline_is_an_error_at_the_entry() {
    let site = Site::fixture();
    let rel = "content/articles/no-headline.md";
    let text = md(
        "title: No headline\nsource: X\nentries:\n  - at: 2022-01-28\n    place: Kyiv\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = reported(&failed, "missing-field", rel, line_of(&text, "at: 2022"));
    assert!(d.message.contains("`headline`"), "{d}");
}

#[test]
fn a_time_of_day_without_a_published_date_is_an_error() {
    let site = Site::fixture();
    let rel = "content/articles/no-published.md";
    let text = md(
        "title: No date\nsource: X\nentries:\n  - at: \"18:04\"\n    headline: H\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    reported(&failed, "missing-field", rel, line_of(&text, "\"18:04\""));
}

// ---------------------------------------------------------------------------
// 4. Impossible dates and times
// ---------------------------------------------------------------------------

/// An article whose one entry is `at: AT`, read in `zone`.
fn dated_article(at: &str, zone: &str) -> String {
    md(
        &format!(
            "title: Dates\nsource: X\npublished: 2022-01-28\ntimezone: {zone}\nentries:\n  - id: the-date\n    at: {at}\n    headline: Something happened\n"
        ),
        "Something happened.\n",
    )
}

#[test]
fn impossible_dates_and_times_are_errors_that_say_why() {
    for (at, zone, why) in [
        ("2022-02-30", "UTC", "no day 30"),
        ("2022-13-01", "UTC", "no month 13"),
        ("\"25:00\"", "UTC", "not a time of day"),
        ("\"2022-01-26 24:30\"", "UTC", "not a time of day"),
        ("\"2022-02-29 10:00\"", "UTC", "no day 29"),
        ("2022-01-26T25:00:00Z", "UTC", "not a time of day"),
        ("2022-02-30T10:00:00+02:00", "UTC", "no day 30"),
        // Kyiv moved its clocks from 03:00 to 04:00 on 27 March 2022.
        ("\"2022-03-27 03:30\"", "Europe/Kyiv", "skipped"),
        // New York moved from 02:00 to 03:00 on 13 March 2022.
        ("\"2022-03-13 02:30\"", "America/New_York", "skipped"),
    ] {
        let site = Site::fixture();
        let rel = "content/articles/dates.md";
        let text = dated_article(at, zone);
        let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
        let d = reported(&failed, "impossible-date", rel, line_of(&text, "    at:"));
        assert!(d.message.contains(why), "{at}: {d}");
        assert_eq!(
            d.column,
            Some(column_of(&text, &format!("{at}\n"))),
            "{at}: points at the value"
        );
    }
}

#[test]
fn an_impossible_published_date_is_an_error_at_its_line() {
    let site = Site::fixture();
    let rel = "content/articles/published.md";
    let text = md(
        "title: Dates\nsource: X\npublished: 2022-02-30\nentries: []\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = reported(
        &failed,
        "impossible-date",
        rel,
        line_of(&text, "published:"),
    );
    assert!(d.message.contains("no day 30"), "{d}");
}

#[test]
fn a_date_in_no_accepted_form_is_an_error_listing_the_forms() {
    let site = Site::fixture();
    let rel = "content/articles/form.md";
    let text = dated_article("last Tuesday", "UTC");
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = reported(&failed, "invalid-date", rel, line_of(&text, "    at:"));
    assert!(d.hints.iter().any(|h| h.contains("YYYY-MM-DD")), "{d:?}");
}

#[test]
fn an_ambiguous_time_when_clocks_go_back_builds_as_the_earlier_one() {
    let site = Site::fixture();
    // Kyiv went back from 04:00 to 03:00 on 30 October 2022: 03:30 happened twice.
    site.write(
        "content/articles/dates.md",
        &dated_article("\"2022-10-30 03:30\"", "Europe/Kyiv"),
    );
    let (report, _) = builds(&site);
    assert!(!codes(&report).contains(&"impossible-date"));
    let day = site.page("days/2022-10-30/index.html");
    assert!(day.contains("03:30 EEST"), "the earlier, summer-time one");
}

// ---------------------------------------------------------------------------
// 5. Unknown time zones
// ---------------------------------------------------------------------------

#[test]
fn an_unknown_time_zone_in_site_toml_is_named_at_its_line() {
    let site = Site::fixture();
    let toml = replaced(
        SITE_TOML,
        "timezone = \"Europe/Kyiv\"",
        "timezone = \"Europe/Kyyiv\"",
    );
    let failed = fails_keeping_output(&site, |s| s.write("site.toml", &toml));
    let d = reported(
        &failed,
        "unknown-timezone",
        "site.toml",
        line_of(&toml, "timezone"),
    );
    assert!(d.message.contains("Europe/Kyyiv"), "{d}");
    assert!(
        d.hints.iter().any(|h| h.contains("Europe/Kyiv")),
        "offers the nearest zone: {:?}",
        d.hints
    );
}

#[test]
fn an_unknown_time_zone_in_an_article_is_named_at_its_line() {
    for zone in [
        "Mars/Olympus_Mons",
        "../../../etc/localtime",
        "\"Europe/Kyiv \"",
    ] {
        let site = Site::fixture();
        let rel = "content/articles/mars.md";
        let text = dated_article("\"2022-01-28 10:00\"", zone);
        let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
        let d = reported(
            &failed,
            "unknown-timezone",
            rel,
            line_of(&text, "timezone:"),
        );
        assert!(d.message.contains(zone.trim_matches('"')), "{d}");
    }
}

// ---------------------------------------------------------------------------
// 6. Unterminated front matter
// ---------------------------------------------------------------------------

#[test]
fn unterminated_front_matter_is_an_error_at_its_opening() {
    for text in [
        "---\ntitle: Never closed\nsource: X\nentries: []\n\nBody text.\n",
        "---\n",
        "---",
        "---\r\ntitle: CRLF, never closed\r\n",
        "---\ntitle: Closed by a longer line\n----\nBody\n",
    ] {
        let site = Site::fixture();
        let rel = "content/articles/open.md";
        let failed = fails_keeping_output(&site, |s| s.write(rel, text));
        reported(&failed, "unterminated-front-matter", rel, 1);
    }
}

// ---------------------------------------------------------------------------
// 7. Duplicate ids
// ---------------------------------------------------------------------------

/// The file and line of a diagnostic's related locations.
fn related_places(report: &BuildReport, code: &str) -> Vec<(String, usize)> {
    report
        .diagnostics
        .items()
        .iter()
        .filter(|d| d.code == code)
        .flat_map(|d| d.related.iter())
        .map(|(loc, _)| {
            let file = report.files.get(loc.file);
            (
                file.path.to_string_lossy().replace('\\', "/"),
                file.line_col(loc.range.start).0,
            )
        })
        .collect()
}

#[test]
fn a_duplicate_id_within_one_file_names_both_places() {
    let site = Site::fixture();
    let rel = "content/articles/twice.md";
    let text = md(
        "title: Twice\nsource: X\nentries:\n  - id: twice\n    at: 2022-01-28\n    headline: First\n  - id: twice\n    at: 2022-01-29\n    headline: Second\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let second = text.rfind("id: twice").unwrap();
    let second_line = text[..second].matches('\n').count() + 1;
    let d = reported(&failed, "duplicate-id", rel, second_line);
    assert!(d.message.contains("twice"), "{d}");
    assert_eq!(
        related_places(&failed.report, "duplicate-id"),
        vec![(rel.to_string(), line_of(&text, "id: twice"))],
        "the related location is the first use"
    );
}

#[test]
fn a_dropped_duplicate_entry_is_not_checked_further() {
    // Articles are resolved in parallel and ids checked afterwards: the
    // passages of an entry dropped as a duplicate must not be reported.
    let site = Site::fixture();
    let rel = "content/articles/twice.md";
    let text = md(
        "title: Twice\nsource: X\nentries:\n  - id: twice\n    at: 2022-01-28\n    headline: First\n    evidence:\n      - Body words\n  - id: twice\n    at: 2022-01-29\n    headline: Second\n    evidence:\n      - words nowhere in the text\n",
        "Body words.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let second = text.rfind("id: twice").unwrap();
    reported(
        &failed,
        "duplicate-id",
        rel,
        text[..second].matches('\n').count() + 1,
    );
    let codes: Vec<&str> = failed
        .report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["duplicate-id"], "{:?}", messages(&failed.report));
}

#[test]
fn a_duplicate_id_across_two_files_names_both_files() {
    let site = Site::fixture();
    let rel = "content/articles/2022/02/again.md";
    let text = md(
        "title: Again\nsource: X\nentries:\n  - id: us-written-response\n    at: 2022-02-01\n    headline: The same id again\n",
        "Body.\n",
    );
    let failed = fails_keeping_output(&site, |s| s.write(rel, &text));
    let d = reported(
        &failed,
        "duplicate-id",
        rel,
        line_of(&text, "id: us-written"),
    );
    assert!(d.message.contains("us-written-response"), "{d}");
    assert_eq!(
        related_places(&failed.report, "duplicate-id"),
        vec![(
            LIVE.to_string(),
            line_of(&fixture_text(LIVE), "id: us-written-response")
        )],
        "the related location is in the other file"
    );
    assert!(
        failed.stderr.contains(&format!(
            "{LIVE}:{}:",
            line_of(&fixture_text(LIVE), "id: us-written-response")
        )),
        "the other place is printed too:\n{}",
        failed.stderr
    );
}

#[test]
fn registry_ids_that_share_a_page_name_both_places() {
    let site = Site::fixture();
    let text = format!("{}Lavrov:\n  name: Another Lavrov\n", fixture_text(ACTORS));
    let failed = fails_keeping_output(&site, |s| s.write(ACTORS, &text));
    let d = find_diag(&failed.report, "duplicate-id", ACTORS, None);
    assert!(d.line.is_some(), "{d}");
    let places = related_places(&failed.report, "duplicate-id");
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(places[0].0, ACTORS);
    assert_ne!(Some(places[0].1), d.line, "the two places differ");
}

#[test]
fn a_registry_id_declared_twice_in_one_file_is_an_error_naming_both_places() {
    let site = Site::fixture();
    let text = format!(
        "{}lavrov:\n  name: Another Sergey Lavrov\n  kind: person\n",
        fixture_text(ACTORS)
    );
    let failed = fails_keeping_output(&site, |s| s.write(ACTORS, &text));
    let second = text.rfind("lavrov:").unwrap();
    let second_line = text[..second].matches('\n').count() + 1;
    let d = failed
        .report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.positioned(&failed.report.files))
        .find(|p| {
            p.code == "duplicate-key"
                && p.file.as_deref() == Some(ACTORS)
                && p.line == Some(second_line)
        })
        .unwrap_or_else(|| {
            panic!(
                "no duplicate reported at {ACTORS}:{second_line}:\n{}",
                messages(&failed.report).join("\n")
            )
        });
    assert!(d.message.contains("lavrov"), "{d}");
}

// ---------------------------------------------------------------------------
// 8. Dangling same_as
// ---------------------------------------------------------------------------

#[test]
fn a_dangling_same_as_is_an_error_offering_the_nearest_id() {
    let site = Site::fixture();
    let text = replaced(
        &fixture_text(WIRE_YAML),
        "same_as: us-written-response",
        "same_as: us-writen-response",
    );
    let failed = fails_keeping_output(&site, |s| s.write(WIRE_YAML, &text));
    let d = reported(
        &failed,
        "unknown-entry",
        WIRE_YAML,
        line_of(&text, "same_as:"),
    );
    assert!(d.message.contains("us-writen-response"), "{d}");
    assert!(
        d.hints.iter().any(|h| h.contains("us-written-response")),
        "{:?}",
        d.hints
    );
}

// ---------------------------------------------------------------------------
// 9. Evidence and quotes not found
// ---------------------------------------------------------------------------

fn missing_passages(site: &Site) -> String {
    let text = replaced(
        &replaced(
            &fixture_text(LIVE),
            "evidence: [\"talks went on all day\"]",
            "evidence: [\"talks went on all night\"]",
        ),
        "text: \"opens the door for a diplomatic resolution\"",
        "text: \"opens the door for a diplomatic solution\"",
    );
    site.write(LIVE, &text);
    text
}

#[test]
fn evidence_and_quotes_not_found_warn_with_the_nearest_passage() {
    let site = Site::fixture();
    let text = missing_passages(&site);
    let (report, run) = builds(&site);
    let d = warned(
        &report,
        &run,
        "evidence-not-found",
        LIVE,
        line_of(&text, "all night"),
    );
    assert!(
        d.hints.iter().any(|h| h.contains("talks went on all")),
        "the nearest passage: {:?}",
        d.hints
    );
    let d = warned(
        &report,
        &run,
        "quote-not-found",
        LIVE,
        line_of(&text, "diplomatic solution"),
    );
    assert!(
        d.hints
            .iter()
            .any(|h| h.contains("opens the door for a diplomatic")),
        "the nearest passage: {:?}",
        d.hints
    );
    assert!(run.stderr.contains("the nearest passage"), "{}", run.stderr);
}

#[test]
fn evidence_and_quotes_not_found_fail_under_strict() {
    // strict = true in site.toml
    let site = Site::fixture();
    let failed = fails_keeping_output(&site, |s| {
        missing_passages(s);
        s.write(
            "site.toml",
            &replaced(SITE_TOML, "strict = false", "strict = true"),
        );
    });
    let text = fs::read_to_string(site.root().join(LIVE)).unwrap();
    reported(
        &failed,
        "evidence-not-found",
        LIVE,
        line_of(&text, "all night"),
    );
    reported(
        &failed,
        "quote-not-found",
        LIVE,
        line_of(&text, "diplomatic solution"),
    );

    // --strict on the command line
    let site = Site::fixture();
    let failed = fails_keeping_output_with(&site, true, |s| {
        missing_passages(s);
    });
    reported(
        &failed,
        "evidence-not-found",
        LIVE,
        line_of(&text, "all night"),
    );
    reported(
        &failed,
        "quote-not-found",
        LIVE,
        line_of(&text, "diplomatic solution"),
    );
}

// ---------------------------------------------------------------------------
// 10. Unknown names
// ---------------------------------------------------------------------------

fn unknown_names(site: &Site) -> String {
    let text = replaced(
        &replaced(
            &replaced(
                &fixture_text(LIVE),
                "actors: [Mr Lavrov]",
                "actors: [Mr Lavrv]",
            ),
            "topics: [sanctions]",
            "topics: [sanctionz]",
        ),
        "thread: security-guarantees",
        "thread: security-guarantee",
    );
    site.write(LIVE, &text);
    text
}

#[test]
fn unknown_names_warn_offering_the_nearest_names() {
    let site = Site::fixture();
    let text = unknown_names(&site);
    let (report, run) = builds(&site);
    for (code, needle, near) in [
        ("unknown-actor", "Mr Lavrv", "Mr Lavrov"),
        ("unknown-topic", "sanctionz", "sanctions"),
        (
            "unknown-thread",
            "security-guarantee\n",
            "security-guarantees",
        ),
    ] {
        let d = warned(&report, &run, code, LIVE, line_of(&text, needle));
        assert_eq!(d.column, Some(column_of(&text, needle)), "{d}");
        assert!(
            d.hints.iter().any(|h| h.contains(near)),
            "{code} offers {near}: {:?}",
            d.hints
        );
    }
}

#[test]
fn unknown_names_fail_under_strict() {
    let site = Site::fixture();
    let failed = fails_keeping_output_with(&site, true, |s| {
        unknown_names(s);
    });
    let text = fs::read_to_string(site.root().join(LIVE)).unwrap();
    reported(&failed, "unknown-actor", LIVE, line_of(&text, "Mr Lavrv"));
    reported(&failed, "unknown-topic", LIVE, line_of(&text, "sanctionz"));
    reported(
        &failed,
        "unknown-thread",
        LIVE,
        line_of(&text, "security-guarantee\n"),
    );
}

// ---------------------------------------------------------------------------
// 11. Files that are not UTF-8
// ---------------------------------------------------------------------------

/// `text` with the Latin-1 byte for `é` in place of the first `é`.
fn latin1(text: &str) -> Vec<u8> {
    let i = text.find('é').expect("an é to spoil");
    let mut bytes = text.as_bytes()[..i].to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(&text.as_bytes()[i + 'é'.len_utf8()..]);
    bytes
}

#[test]
fn a_markdown_article_that_is_not_utf8_is_named_at_the_bad_line() {
    let site = Site::fixture();
    let rel = "content/articles/latin1.md";
    let text = md(
        "title: Latin-1\nsource: X\nentries: []\n",
        "First line.\nA caf\u{e9} in Kyiv.\n",
    );
    let failed = fails_keeping_output(&site, |s| write_bytes(s, rel, &latin1(&text)));
    reported(&failed, "not-utf8", rel, line_of(&text, "caf"));
}

#[test]
fn a_text_article_that_is_not_utf8_is_named_at_the_bad_line() {
    let site = Site::fixture();
    let text = format!("{}A caf\u{e9} in Moscow.\n", fixture_text(WIRE_TXT));
    let failed = fails_keeping_output(&site, |s| write_bytes(s, WIRE_TXT, &latin1(&text)));
    reported(&failed, "not-utf8", WIRE_TXT, line_of(&text, "caf"));
}

#[test]
fn a_sidecar_that_is_not_utf8_is_named_at_the_bad_line() {
    let site = Site::fixture();
    let text = replaced(
        &fixture_text(WIRE_YAML),
        "title: Moscow weighs the US reply",
        "title: Moscow weighs the US reply (caf\u{e9})",
    );
    let failed = fails_keeping_output(&site, |s| write_bytes(s, WIRE_YAML, &latin1(&text)));
    reported(&failed, "not-utf8", WIRE_YAML, line_of(&text, "caf"));
}

#[test]
fn a_registry_that_is_not_utf8_is_named_at_the_bad_line() {
    for (rel, from, to) in [
        (
            ACTORS,
            "role: US Secretary of State",
            "role: Secr\u{e9}taire d'\u{c9}tat",
        ),
        (
            TOPICS,
            "name: Sanctions",
            "name: Sanctions \u{e9}conomiques",
        ),
        (
            THREADS,
            "title: The threat of sanctions",
            "title: Menace de sanctions (\u{e9})",
        ),
    ] {
        let site = Site::fixture();
        let text = replaced(&fixture_text(rel), from, to);
        let failed = fails_keeping_output(&site, |s| write_bytes(s, rel, &latin1(&text)));
        reported(&failed, "not-utf8", rel, line_of(&text, to));
    }
}

#[test]
fn a_site_toml_that_is_not_utf8_is_named_with_its_line() {
    let site = Site::fixture();
    let toml = replaced(
        SITE_TOML,
        "description = \"A fixture\"",
        "description = \"Caf\u{e9}\"",
    );
    let failed = fails_keeping_output(&site, |s| write_bytes(s, "site.toml", &latin1(&toml)));
    let d = reported_in_file(&failed, "not-utf8", "site.toml");
    let line = line_of(&toml, "Caf");
    assert!(
        d.line == Some(line) || d.message.contains(&format!("line {line}")),
        "names line {line}: {d}"
    );
}

#[test]
fn a_file_name_that_is_not_utf8_builds_with_a_safe_page() {
    use std::os::unix::ffi::OsStrExt;
    let (outer, site) = nested_fixture();
    let dir = site.root().join("content/articles");
    fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"caf\xE9.txt")),
        "Text.\n",
    )
    .unwrap();
    fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"caf\xE9.yaml")),
        "title: A Latin-1 name\nsource: X\nentries:\n  - id: latin1\n    at: 2022-01-28\n    headline: H\n    actors: [nobody]\n",
    )
    .unwrap();
    let before = outside_output(outer.path(), &site);
    let (report, run) = builds(&site);
    let d = report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.positioned(&report.files))
        .find(|p| p.code == "unknown-actor")
        .expect("the sidecar was read");
    assert_eq!(d.line, Some(7), "{d}");
    assert!(
        d.file
            .as_deref()
            .unwrap()
            .starts_with("content/articles/caf"),
        "{d}"
    );
    assert!(run.stderr.contains(":7:"), "{}", run.stderr);
    assert_same(
        &before,
        &outside_output(outer.path(), &site),
        "outside the output",
    );
    assert!(site
        .page("days/2022-01-28/index.html")
        .contains("id=\"latin1\""));
}

// ---------------------------------------------------------------------------
// 12. Byte-order marks and CRLF line ends
// ---------------------------------------------------------------------------

fn bom_crlf(text: &str) -> String {
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

#[test]
fn bom_and_crlf_everywhere_build_with_evidence_matched_and_right_lines() {
    // Plain line ends first, to count the passages marked.
    let plain = Site::fixture();
    plain.build_ok();
    let marks = |site: &Site| {
        [
            "articles/live-0126/index.html",
            "articles/wire-moscow/index.html",
        ]
        .map(|p| site.page(p).matches("<mark ").count())
    };
    let plain_marks = marks(&plain);
    assert!(plain_marks.iter().all(|&n| n > 0));

    let site = Site::fixture();
    site.write("site.toml", &bom_crlf(SITE_TOML));
    for (rel, text) in common::fixture_files() {
        site.write(&rel, &bom_crlf(&text));
    }
    // .txt articles are kept as collected; give them CRLF but no BOM too.
    site.write(WIRE_TXT, &fixture_text(WIRE_TXT).replace('\n', "\r\n"));
    // A passage across a CRLF line break of the text article.
    let sidecar = replaced(
        &fixture_text(WIRE_YAML),
        "      - by: lavrov\n",
        "      - by: lavrov\n        text: said on Thursday that the American reply\n      - by: lavrov\n",
    );
    // Deliberate warnings, to check their lines.
    let sidecar = replaced(
        &sidecar,
        "threads: security-guarantees",
        "threads: security-guarantees\n    topics: [diplomcy]",
    );
    site.write(WIRE_YAML, &bom_crlf(&sidecar));
    let live = replaced(
        &fixture_text(LIVE),
        "actors: [Mr Lavrov]",
        "actors: [Mr Lavrov, Lavrv]",
    );
    site.write(LIVE, &bom_crlf(&live));
    let actors = replaced(&fixture_text(ACTORS), "kind: organisation", "kind: robot");
    site.write(ACTORS, &bom_crlf(&actors));

    let (report, run) = builds(&site);
    let mut found = codes(&report);
    found.sort_unstable();
    assert_eq!(
        found,
        vec!["unknown-actor", "unknown-kind", "unknown-topic"],
        "only the deliberate warnings:\n{}",
        messages(&report).join("\n")
    );
    let d = warned(
        &report,
        &run,
        "unknown-actor",
        LIVE,
        line_of(&live, "Lavrv"),
    );
    // The BOM is not a column.
    assert_eq!(d.column, Some(column_of(&live, "Lavrv")), "{d}");
    let d = warned(
        &report,
        &run,
        "unknown-topic",
        WIRE_YAML,
        line_of(&sidecar, "diplomcy"),
    );
    assert_eq!(d.column, Some(column_of(&sidecar, "diplomcy")), "{d}");
    warned(
        &report,
        &run,
        "unknown-kind",
        ACTORS,
        line_of(&actors, "robot"),
    );

    let [live_marks, wire_marks] = marks(&site);
    assert_eq!(
        live_marks, plain_marks[0],
        "every passage of the live blog marked"
    );
    assert!(
        wire_marks > plain_marks[1],
        "the passage across CRLF is marked too"
    );
    let article = site.page("articles/live-0126/index.html");
    assert!(
        article.contains("Live updates, 26 January</h1>")
            || article.contains("Live updates, 26 January<")
    );
    assert!(!article.contains("January\r"), "no CR kept in a title");
    for page in walk_files(&site.output()) {
        let bytes = fs::read(&page).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains('\u{feff}'),
            "a BOM leaked into {}",
            page.display()
        );
    }
    assert!(site.page("index.html").contains("<title>Test chronicle"));
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|i| i.unwrap())
        .filter(|i| i.file_type().is_file())
        .map(|i| i.into_path())
        .collect()
}

// ---------------------------------------------------------------------------
// 13. Empty files
// ---------------------------------------------------------------------------

#[test]
fn an_empty_markdown_article_builds_with_a_warning() {
    let site = Site::fixture();
    let rel = "content/articles/2022/01/empty.md";
    site.write(rel, "");
    let (report, run) = builds(&site);
    let d = find_diag(&report, "unannotated-article", rel, None);
    assert_eq!(d.severity, Severity::Warning);
    assert!(run.stderr.contains(rel), "{}", run.stderr);
    assert!(site.output().join("articles/empty/index.html").is_file());
}

#[test]
fn an_empty_text_article_with_a_sidecar_builds() {
    let site = Site::fixture();
    site.write("content/articles/2022/01/blank.txt", "");
    site.write(
        "content/articles/2022/01/blank.yaml",
        "title: A blank page\nsource: Nobody\npublished: 2022-01-28\nentries:\n  - id: blank-entry\n    at: 2022-01-28\n    headline: Nothing was said\n",
    );
    let (report, _) = builds(&site);
    // It builds; the empty text is unfinished work, a warning.
    let codes: Vec<String> = report
        .diagnostics
        .items()
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(codes, ["empty-article"], "{:#?}", messages(&report));
    assert!(site
        .page("articles/blank/index.html")
        .contains("A blank page"));
    assert!(site
        .page("days/2022-01-28/index.html")
        .contains("id=\"blank-entry\""));
}

#[test]
fn an_empty_text_article_with_evidence_warns_instead_of_failing() {
    let site = Site::fixture();
    let rel = "content/articles/2022/01/blank.yaml";
    let sidecar = "title: A blank page\nsource: Nobody\nentries:\n  - at: 2022-01-28\n    headline: Something\n    evidence: [\"words that are not there\"]\n";
    site.write("content/articles/2022/01/blank.txt", "");
    site.write(rel, sidecar);
    let (report, run) = builds(&site);
    warned(
        &report,
        &run,
        "evidence-not-found",
        rel,
        line_of(sidecar, "evidence:"),
    );
}

#[test]
fn zero_byte_sidecar_and_registries_build() {
    let site = Site::fixture();
    site.write("content/articles/2022/01/bare.txt", "Some text.\n");
    site.write("content/articles/2022/01/bare.yaml", "");
    // No registry entries at all: every name in the fixture becomes unknown.
    for rel in [ACTORS, TOPICS, THREADS] {
        site.write(rel, "");
    }
    let (report, _) = builds(&site);
    assert!(codes(&report).contains(&"unknown-actor"));
    assert!(site.output().join("articles/bare/index.html").is_file());
}

// ---------------------------------------------------------------------------
// 14. A very large article
// ---------------------------------------------------------------------------

/// About `mb` megabytes of plain text, then `tail`.
fn large_text(mb: usize, tail: &str) -> String {
    let mut text = String::with_capacity(mb * 1_000_000 + tail.len() + 100);
    let mut i = 0;
    while text.len() < mb * 1_000_000 {
        text.push_str(&format!(
            "Paragraph {i}: officials met again in the capital, and talks went on late into the evening.\n\n"
        ));
        i += 1;
    }
    text.push_str(tail);
    text
}

/// A bound well above what a debug build takes: measured 4 s (passage
/// found) and 10 s (passage missing, nearest passage searched) on 2 cores
/// for 30 MB; the tests use 10 MB (a thousand times a long article, and a
/// third of the time), where work that grows faster than the text would
/// still run far past it.
const LARGE_TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn a_10_mb_article_builds_and_marks_a_passage_near_its_end() {
    let site = Site::fixture();
    site.write(
        "content/articles/2022/01/huge.txt",
        &large_text(
            10,
            "At the very end, the minister signed the final unique agreement.\n",
        ),
    );
    site.write(
        "content/articles/2022/01/huge.yaml",
        "title: A very long transcript\nsource: Archive\npublished: 2022-01-28\nentries:\n  - id: huge-entry\n    at: 2022-01-28\n    headline: The agreement is signed\n    evidence: [\"signed the final unique agreement\"]\n",
    );
    let run = run_cli(site.root(), &[], LARGE_TIMEOUT);
    eprintln!("10 MB article: built in {:?}", run.elapsed);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("evidence-not-found"), "{}", run.stderr);
    let page = site.page("articles/huge/index.html");
    assert!(page.len() > 10_000_000);
    assert!(
        page.contains("<mark class=\"passage\" id=\"ev-huge-entry-1\">signed the final unique agreement</mark>"),
        "the passage near the end is marked"
    );
}

#[test]
fn a_passage_missing_from_a_10_mb_article_warns_without_hanging() {
    let site = Site::fixture();
    site.write(
        "content/articles/2022/01/huge.txt",
        &large_text(
            10,
            "At the very end, the minister signed the final unique agreement.\n",
        ),
    );
    let sidecar = "title: A very long transcript\nsource: Archive\npublished: 2022-01-28\nentries:\n  - id: huge-entry\n    at: 2022-01-28\n    headline: The agreement is signed\n    evidence: [\"signed the last unique treaty\"]\n";
    site.write("content/articles/2022/01/huge.yaml", sidecar);
    let run = run_cli(site.root(), &[], LARGE_TIMEOUT);
    eprintln!("10 MB article, passage missing: built in {:?}", run.elapsed);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[evidence-not-found]")
            && run.stderr.contains(&format!(
                "content/articles/2022/01/huge.yaml:{}:",
                line_of(sidecar, "evidence:")
            )),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------
// 15. Symbolic-link loops
// ---------------------------------------------------------------------------

#[test]
fn a_symlink_loop_under_articles_is_a_clear_error_naming_the_path() {
    let site = Site::fixture();
    let failed = fails_keeping_output(&site, |s| {
        std::os::unix::fs::symlink(
            s.root().join("content/articles/2022"),
            s.root().join("content/articles/2022/01/loop"),
        )
        .unwrap();
    });
    let d = reported_in_file(&failed, "unreadable-path", "content/articles/2022/01/loop");
    assert!(d.message.contains("symbolic link"), "{d}");
}

#[test]
fn a_symlink_to_its_own_directory_is_a_clear_error() {
    let site = Site::fixture();
    let failed = fails_keeping_output(&site, |s| {
        std::os::unix::fs::symlink(".", s.root().join("content/articles/self")).unwrap();
    });
    reported_in_file(&failed, "unreadable-path", "content/articles/self");
}

// ---------------------------------------------------------------------------
// 16. HTML and script in every text field
// ---------------------------------------------------------------------------

/// Markup an attacker might put in a field, tagged with the field's name.
fn payload(tag: &str) -> String {
    format!("<script>{tag}</script><b onmouseover=\"{tag}\">{tag}</b>")
}

/// The payload as a YAML single-quoted string.
fn yq(tag: &str) -> String {
    format!("'{}'", payload(tag))
}

/// Every field that could carry markup, across every kind of file.
fn hostile_site(site_toml_extra: &str) -> Site {
    let toml = format!(
        "title = '{}'\ndescription = '{}'\nbase_url = \"https://example.org/crisis/\"\ntimezone = \"Europe/Kyiv\"\n{site_toml_extra}",
        payload("site-title"),
        payload("site-description")
    );
    let site = Site::fixture_with(&toml);
    site.write(
        ACTORS,
        &format!(
            "hostile:\n  name: {}\n  aliases: [{}]\n  kind: person\n  role: {}\n  affiliation: other\n  description: {}\nother:\n  name: {}\n  kind: group\n",
            yq("actor-name"),
            yq("actor-alias"),
            yq("actor-role"),
            yq("actor-description"),
            yq("other-actor-name"),
        ),
    );
    site.write(
        TOPICS,
        &format!(
            "hostile-topic:\n  name: {}\n  aliases: [{}]\n  description: {}\n",
            yq("topic-name"),
            yq("topic-alias"),
            yq("topic-description"),
        ),
    );
    site.write(
        THREADS,
        &format!(
            "hostile-thread:\n  title: {}\n  aliases: [{}]\n  summary: {}\n  topics: [hostile-topic]\n",
            yq("thread-title"),
            yq("thread-alias"),
            yq("thread-summary"),
        ),
    );
    let entry = |p: &str, id: &str, at: &str| {
        format!(
            "  - id: {id}\n    at: \"{at}\"\n    headline: {}\n    summary: {}\n    place: {}\n    threads: [hostile-thread]\n    actors: [hostile]\n    topics: [hostile-topic]\n    evidence: [{}]\n    quotes:\n      - by: hostile\n        text: {}\n",
            yq(&format!("{p}-headline")),
            yq(&format!("{p}-summary")),
            yq(&format!("{p}-place")),
            yq(&format!("{p}-evidence")),
            yq(&format!("{p}-quote")),
        )
    };
    let fields = |p: &str| {
        format!(
            "title: {}\nsource: {}\nurl: {}\nauthor: {}\nlanguage: {}\npublished: 2022-01-26T10:00:00Z\ntimezone: UTC\nentries:\n",
            yq(&format!("{p}-title")),
            yq(&format!("{p}-source")),
            yq(&format!("{p}-url")),
            yq(&format!("{p}-author")),
            yq(&format!("{p}-language")),
        )
    };
    site.write(
        "content/articles/hostile.md",
        &md(
            &format!("{}{}", fields("md"), entry("md", "md-entry", "12:00")),
            &format!(
                "Body text {} and more.\n\nThe evidence: {} and the quote: {}.\n\n{}\n\n<div onclick=\"md-block\">md-block</div>\n",
                payload("md-body"),
                payload("md-evidence"),
                payload("md-quote"),
                payload("md-block-script"),
            ),
        ),
    );
    site.write(
        "content/articles/hostile-text.txt",
        &format!(
            "Body text {}.\n\nThe evidence: {} and the quote: {}.\n",
            payload("txt-body"),
            payload("txt-evidence"),
            payload("txt-quote"),
        ),
    );
    site.write(
        "content/articles/hostile-text.yaml",
        &format!("{}{}", fields("txt"), entry("txt", "txt-entry", "13:00")),
    );
    // A file name is an article's default title.
    site.write("content/articles/<script>file-name.txt", "Text.\n");
    site.write("static/<script>static-name.txt", "Text.\n");
    site
}

/// The tags whose payload must show (escaped) somewhere in the output.
const HOSTILE_TAGS: &[&str] = &[
    "site-title",
    "site-description",
    "actor-name",
    "actor-alias",
    "actor-role",
    "actor-description",
    "other-actor-name",
    "topic-name",
    "topic-description",
    "thread-title",
    "thread-summary",
    "md-title",
    "md-source",
    "md-url",
    "md-author",
    "md-language",
    "md-headline",
    "md-summary",
    "md-place",
    "md-evidence",
    "md-quote",
    "md-body",
    "md-block-script",
    "txt-title",
    "txt-source",
    "txt-url",
    "txt-author",
    "txt-language",
    "txt-headline",
    "txt-summary",
    "txt-place",
    "txt-evidence",
    "txt-quote",
    "txt-body",
    "file-name",
];

/// Every output file's text, by path below the output.
/// `html` without `<mark ...>` and `</mark>` tags (a marked passage is
/// split where it crosses markup).
fn without_marks(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = [rest.find("<mark"), rest.find("</mark>")]
            .into_iter()
            .flatten()
            .min();
        let Some(i) = next else { break };
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn output_texts(site: &Site) -> Vec<(String, String)> {
    walk_files(&site.output())
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(site.output()).unwrap().display().to_string();
            (
                rel,
                String::from_utf8_lossy(&fs::read(&p).unwrap()).into_owned(),
            )
        })
        .collect()
}

/// Output files that hold content as plain text by design, not as HTML:
/// the data export (plain text and Markdown as written, no HTML) and
/// the search index (search.js shows it with `textContent` only, which
/// `search_js_never_inserts_html` below holds it to).
fn is_plain_text_file(rel: &str) -> bool {
    rel == "chronicle.json" || (rel.starts_with("search-") && rel.ends_with(".json"))
}

#[test]
fn search_js_never_inserts_html() {
    let script =
        fs::read_to_string(common::repo().join("themes/default/static/search.js")).unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!script.contains(sink), "search.js uses {sink}");
    }
}

/// `html` without its JSON-LD scripts (the theme's, built in Rust), once
/// checked that nothing in them can end the element.
fn without_jsonld(rel: &str, html: &str) -> String {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let body = &rest[i + OPEN.len()..];
        let end = body.find("</script>").unwrap_or(body.len());
        assert!(!body[..end].contains('<'), "{rel}: `<` in JSON-LD");
        rest = &body[(end + "</script>".len()).min(body.len())..];
    }
    out.push_str(rest);
    out
}

/// Of a JSON Feed, only what readers show as HTML: its items'
/// `content_html` (titles and names are plain text by the spec). Any other
/// file as it is.
fn json_feed_html(rel: &str, text: String) -> String {
    if !rel.ends_with("feed.json") {
        return text;
    }
    let feed: serde_json::Value = serde_json::from_str(&text).expect("a JSON feed");
    feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["content_html"].as_str().expect("content_html"))
        .collect()
}

fn assert_no_markup_from_content(site: &Site) {
    for (rel, text) in output_texts(site) {
        if is_plain_text_file(&rel) {
            continue;
        }
        let text = json_feed_html(&rel, text);
        let text = without_jsonld(&rel, &text);
        // The search page's own script, from the theme.
        let text = text.replace("<script src=\"/crisis/search.js\" defer></script>", "");
        let lower = text.to_lowercase();
        for bad in ["<script", "onmouseover=\"", "<div onclick", "onclick=\""] {
            if let Some(i) = lower.find(bad) {
                let from = text[..i]
                    .char_indices()
                    .rev()
                    .nth(80)
                    .map(|(j, _)| j)
                    .unwrap_or(0);
                panic!(
                    "{rel} has live markup {bad:?}: ...{}...",
                    &text[from..(i + 120).min(text.len())]
                );
            }
        }
    }
}

#[test]
fn html_and_script_in_every_text_field_are_escaped_on_every_page() {
    let site = hostile_site("");
    let (report, _) = builds(&site);
    assert!(
        !codes(&report).contains(&"evidence-not-found")
            && !codes(&report).contains(&"quote-not-found"),
        "passages with markup characters are found as text:\n{}",
        messages(&report).join("\n")
    );
    assert_no_markup_from_content(&site);
    let texts: Vec<(String, String)> = output_texts(&site)
        .into_iter()
        .map(|(p, t)| (p, without_marks(&t)))
        .collect();
    let missing: Vec<&str> = HOSTILE_TAGS
        .iter()
        .copied()
        .filter(|tag| {
            let escaped = format!("&lt;script&gt;{tag}");
            !texts.iter().any(|(_, t)| t.contains(&escaped))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "these fields were not shown, escaped, on any page: {missing:?}"
    );
    // The escaped markup is whole: the attribute's quotes are entities too.
    assert!(texts
        .iter()
        .any(|(_, t)| t.contains("&lt;b onmouseover=&quot;md-headline&quot;&gt;")));
}

#[test]
fn raw_html_in_markdown_passes_only_with_raw_html_true() {
    let write = |site: &Site| {
        site.write(
            "content/articles/raw.md",
            &md(
                "title: '<i class=\"raw-title\">T</i>'\nsource: X\npublished: 2022-01-26\nentries:\n  - id: raw\n    at: 2022-01-26\n    headline: '<i class=\"raw-headline\">H</i>'\n    summary: 'A <em class=\"raw-summary\">summary</em>'\n    evidence: [\"bold words\"]\n",
                "Some <b class=\"raw-body\">bold words</b> here.\n\n<div class=\"raw-block\">\nA block.\n</div>\n",
            ),
        );
    };
    // Default: escaped.
    let site = Site::fixture();
    write(&site);
    builds(&site);
    let all: String = output_texts(&site).into_iter().map(|(_, t)| t).collect();
    for class in [
        "raw-body",
        "raw-block",
        "raw-summary",
        "raw-title",
        "raw-headline",
    ] {
        assert!(
            !all.contains(&format!("class=\"{class}\"")),
            "{class} was markup"
        );
        assert!(
            all.contains(&format!("class=&quot;{class}&quot;")),
            "{class} not shown"
        );
    }
    // raw_html = true: Markdown fields pass it; plain fields never do.
    let site = Site::new(&format!("{SITE_TOML}raw_html = true\n"));
    write(&site);
    let (report, _) = builds(&site);
    assert!(
        !codes(&report).contains(&"evidence-not-found"),
        "{:?}",
        messages(&report)
    );
    let article = site.page("articles/raw/index.html");
    assert!(
        article.contains("<b class=\"raw-body\">"),
        "body markup passes"
    );
    assert!(
        article.contains("<div class=\"raw-block\">"),
        "block markup passes"
    );
    assert!(
        site.page("days/2022-01-26/index.html")
            .contains("<em class=\"raw-summary\">"),
        "summary markup passes"
    );
    let all: String = output_texts(&site).into_iter().map(|(_, t)| t).collect();
    for class in ["raw-title", "raw-headline"] {
        assert!(
            !all.contains(&format!("class=\"{class}\"")),
            "{class} is not Markdown"
        );
    }
    assert!(
        article.contains("id=\"ev-raw-1\"") && article.contains(">bold words</mark>"),
        "evidence inside raw markup is marked"
    );
}

#[test]
fn javascript_urls_never_become_links() {
    let site = Site::fixture();
    site.write(
        "content/articles/js.md",
        &md(
            "title: Links\nsource: X\nurl: 'javascript:alert(1)'\npublished: 2022-01-26\nentries:\n  - id: js\n    at: 2022-01-26\n    headline: Links\n    summary: '[click](javascript:alert(2)) and <javascript:alert(3)>'\n",
            "A [link](javascript:alert(4)) and [another](JaVaScRiPt:alert(5)) and ![img](javascript:alert(6)).\n",
        ),
    );
    site.write(
        ACTORS,
        &format!(
            "{}evil:\n  name: Evil\n  description: '[x](javascript:alert(7))'\n",
            fixture_text(ACTORS)
        ),
    );
    builds(&site);
    let mut links = Vec::new();
    for (rel, text) in output_texts(&site) {
        for attr in chronicle::linkcheck::attribute_values(&text, "href")
            .into_iter()
            .chain(chronicle::linkcheck::attribute_values(&text, "src"))
        {
            let squashed: String = attr
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_lowercase();
            if squashed.starts_with("javascript:") {
                links.push(format!("{rel}: {attr}"));
            }
        }
    }
    assert!(links.is_empty(), "script links: {links:#?}");
}

// ---------------------------------------------------------------------------
// 17. Ids and aliases that look like paths
// ---------------------------------------------------------------------------

/// Everything under `outer` except the site's output directory.
fn outside_output(outer: &Path, site: &Site) -> Snapshot {
    let output = site.output();
    let rel_output = output.strip_prefix(outer).unwrap().to_path_buf();
    snapshot(outer)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(&rel_output))
        .collect()
}

#[test]
fn ids_and_aliases_with_path_characters_never_write_outside_the_output() {
    let (outer, site) = nested_fixture();
    site.write(
        ACTORS,
        &format!(
            "{}\"../../escape-actor\":\n  name: Escaper\n  aliases: [\"../../alias-up\", \"a/b/c\", \"nul\\0alias\", \"/\"]\n\"/etc/passwd\":\n  name: Slashy\n\"nul\\0actor\":\n  name: Nully\n\"..\\\\..\\\\win-actor\":\n  name: Backslashy\n",
            fixture_text(ACTORS)
        ),
    );
    site.write(
        TOPICS,
        &format!(
            "{}\"../../../topic-up\":\n  name: Up topic\n\"a/../../b\":\n  name: AB\n  aliases: [\"../../..\"]\n",
            fixture_text(TOPICS)
        ),
    );
    site.write(
        THREADS,
        &format!(
            "{}\"../thread-up\":\n  title: Up thread\n\"/abs/thread\":\n  title: Abs\n  aliases: [\"../../../../tmp/x\"]\n",
            fixture_text(THREADS)
        ),
    );
    site.write(
        "content/articles/paths.md",
        &md(
            "title: Paths\nsource: X\npublished: 2022-01-28\nentries:\n  - id: \"../../../entry-up\"\n    at: 2022-01-28\n    headline: Entry up\n    actors: [\"../../escape-actor\", \"/etc/passwd\", \"nul\\0actor\", \"a/b/c\", \"..\\\\..\\\\win-actor\"]\n    topics: [\"../../../topic-up\", \"a/../../b\"]\n    threads: [\"../thread-up\", \"/abs/thread\"]\n  - id: \"nul\\0entry/../x\"\n    at: 2022-01-28\n    headline: Entry nul\n",
            "Body.\n",
        ),
    );
    let before = outside_output(outer.path(), &site);
    let (report, _) = builds(&site);
    assert!(
        !codes(&report).iter().any(|c| c.starts_with("unknown-")),
        "every odd id resolves:\n{}",
        messages(&report).join("\n")
    );
    assert_same(
        &before,
        &outside_output(outer.path(), &site),
        "files outside the output",
    );
    for path in snapshot(&site.output()).keys() {
        for part in path.components() {
            let part = part.as_os_str().to_string_lossy();
            assert!(
                !part.is_empty()
                    && part != ".."
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                "output path {} has an unsafe part {part:?}",
                path.display()
            );
        }
    }
    let day = site.page("days/2022-01-28/index.html");
    assert!(!day.contains('\0'), "no NUL in a page");
}

#[test]
fn article_files_named_only_with_dots_get_a_safe_page() {
    for name in ["..md", "...md", "..txt", ". .md"] {
        let (outer, site) = nested_fixture();
        site.write(&format!("content/articles/{name}"), "Dots.\n");
        let before = outside_output(outer.path(), &site);
        let (report, _) = builds(&site);
        assert!(codes(&report).contains(&"unannotated-article"));
        assert_same(&before, &outside_output(outer.path(), &site), name);
        let pages: Vec<PathBuf> = snapshot(&site.output().join("articles"))
            .into_keys()
            .filter(|p| p.ends_with("index.html"))
            .collect();
        assert_eq!(pages.len(), 3, "{name}: a page of its own: {pages:?}");
    }
}

#[test]
fn punctuation_only_ids_are_errors_naming_the_file_and_line() {
    let cases: Vec<(&str, String, &str)> = vec![
        (ACTORS, format!("{}\"../..\":\n  name: Dots\n", fixture_text(ACTORS)), "\"../..\":"),
        (ACTORS, format!("{}\"\\0\":\n  name: Nul\n", fixture_text(ACTORS)), "\"\\0\":"),
        (TOPICS, format!("{}\"?!\":\n  name: Bang\n", fixture_text(TOPICS)), "\"?!\":"),
        (THREADS, format!("{}\"/\":\n  title: Slash\n", fixture_text(THREADS)), "\"/\":"),
        (
            "content/articles/dots.md",
            md(
                "title: Dots\nsource: X\nentries:\n  - id: \"...\"\n    at: 2022-01-28\n    headline: Dots\n",
                "Body.\n",
            ),
            "\"...\"",
        ),
        (
            "content/articles/dots.md",
            md(
                "title: Dots\nsource: X\nentries:\n  - id: \"../\"\n    at: 2022-01-28\n    headline: Dots\n",
                "Body.\n",
            ),
            "\"../\"",
        ),
    ];
    for (rel, text, needle) in cases {
        let (outer, site) = nested_fixture();
        let mut before = Snapshot::new();
        let failed = fails_keeping_output(&site, |s| {
            s.write(rel, &text);
            before = snapshot(outer.path());
        });
        assert_same(
            &before,
            &snapshot(outer.path()),
            "everything around the site",
        );
        reported(&failed, "unusable-id", rel, line_of(&text, needle));
    }
}

// ---------------------------------------------------------------------------
// 18. Unsafe output directories
// ---------------------------------------------------------------------------

#[test]
fn unsafe_output_dirs_are_refused_and_nothing_is_deleted() {
    for value in [
        ".",
        "./",
        "content",
        "content/sub",
        "content/articles",
        "static",
        "templates",
        "themes/default",
        "..",
        "../..",
        "/",
        "public/..",
        "public/../content/out",
        "ABSOLUTE_ROOT",
    ] {
        let (outer, site) = nested_fixture();
        site.write("static/keep.txt", "the site's own static file\n");
        let value = if value == "ABSOLUTE_ROOT" {
            fs::canonicalize(site.root()).unwrap().display().to_string()
        } else {
            value.to_string()
        };
        let toml = replaced(
            SITE_TOML,
            "output_dir = \"public\"",
            &format!("output_dir = \"{value}\""),
        );
        let mut everything = Snapshot::new();
        let failed = fails_keeping_output(&site, |s| {
            s.write("site.toml", &toml);
            everything = snapshot(outer.path());
        });
        assert_same(
            &everything,
            &snapshot(outer.path()),
            &format!("everything around the site, output_dir = {value:?}"),
        );
        let d = reported(
            &failed,
            "unsafe-output-dir",
            "site.toml",
            line_of(&toml, "output_dir"),
        );
        assert!(d.message.contains(&value), "{d}");
    }
}

#[test]
fn unsafe_output_on_the_command_line_is_refused_and_nothing_is_deleted() {
    for value in [".", "content", ".."] {
        let (outer, site) = nested_fixture();
        site.build_ok();
        let everything = snapshot(outer.path());
        let run = run_cli_in(
            Some(site.root()),
            site.root(),
            &["--output", value],
            CLI_TIMEOUT,
        );
        assert!(
            matches!(run.code, Some(1) | Some(2)),
            "--output {value}: exit {:?}\n{}",
            run.code,
            run.stderr
        );
        assert!(run.stderr.contains("unsafe-output-dir"), "{}", run.stderr);
        assert_same(
            &everything,
            &snapshot(outer.path()),
            &format!("--output {value}"),
        );
    }
}

#[test]
fn an_output_dir_that_is_a_symlink_never_deletes_what_it_points_to() {
    // (output_dir, the link's name, where it points, relative to the root)
    for (output_dir, link, target) in [
        ("public", "public", "content"),
        ("out", "out", "."),
        ("public", "public/sources-link", "content"),
    ] {
        let (outer, site) = nested_fixture();
        site.write("static/keep.txt", "the site's own static file\n");
        site.write(
            "site.toml",
            &replaced(
                SITE_TOML,
                "output_dir = \"public\"",
                &format!("output_dir = \"{output_dir}\""),
            ),
        );
        if link.contains('/') {
            // A link inside a previous output, to the sources.
            site.build_ok();
        }
        std::os::unix::fs::symlink(site.root().join(target), site.root().join(link)).unwrap();
        let sources = |site: &Site| -> Snapshot {
            let mut all = Snapshot::new();
            for part in ["content", "static", "themes", "site.toml"] {
                for (p, n) in snapshot(&site.root().join(part)) {
                    all.insert(Path::new(part).join(p), n);
                }
            }
            all
        };
        let before = sources(&site);
        let run = run_cli(site.root(), &[], CLI_TIMEOUT);
        assert!(
            matches!(run.code, Some(0) | Some(1)),
            "{output_dir} -> {target}: {:?}\n{}",
            run.code,
            run.stderr
        );
        assert_same(
            &before,
            &sources(&site),
            &format!("the sources, {link} -> {target}"),
        );
        let report = build_lib(&site, false);
        assert_eq!(
            report.succeeded(),
            run.code == Some(0),
            "{:?}",
            messages(&report)
        );
        assert_same(
            &before,
            &sources(&site),
            &format!("the sources, {link} -> {target}"),
        );
        assert!(outer.path().join(site.root().file_name().unwrap()).is_dir());
    }
}

// ---------------------------------------------------------------------------
// 19. site.toml itself
// ---------------------------------------------------------------------------

#[test]
fn a_missing_site_toml_is_named() {
    let site = Site::fixture();
    let failed = fails_keeping_output(&site, |s| {
        fs::remove_file(s.root().join("site.toml")).unwrap()
    });
    let d = reported_in_file(&failed, "missing-config", "site.toml");
    assert!(d.message.contains("no site.toml"), "{d}");
}

#[test]
fn a_root_that_does_not_exist_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    let run = run_cli(&missing, &[], CLI_TIMEOUT);
    assert!(
        matches!(run.code, Some(1) | Some(2)),
        "{:?}\n{}",
        run.code,
        run.stderr
    );
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
    assert!(!missing.exists(), "nothing was created");
}

#[test]
fn site_toml_problems_name_their_line() {
    for (from, to, needle, code, says) in [
        (
            "strict = false",
            "strict = false\ntitel = \"Typo\"",
            "titel",
            "invalid-config",
            "titel",
        ),
        (
            "strict = false",
            "strict = \"yes\"",
            "strict",
            "invalid-config",
            "",
        ),
        (
            "description = \"A fixture\"",
            "description = \"never closed",
            "description",
            "invalid-config",
            "",
        ),
        (
            "base_url = \"https://example.org/crisis/\"",
            "base_url = \"example.org/crisis\"",
            "base_url",
            "invalid-base-url",
            "example.org",
        ),
        (
            "strict = false",
            "strict = false\n[extra]\nkey = 1\n[extra]\nkey = 2",
            "[extra]\nkey = 2",
            "invalid-config",
            "",
        ),
    ] {
        let site = Site::fixture();
        let toml = replaced(SITE_TOML, from, to);
        let failed = fails_keeping_output(&site, |s| s.write("site.toml", &toml));
        let d = reported(&failed, code, "site.toml", line_of(&toml, needle));
        assert!(d.message.contains(says), "{d}");
    }
}

#[test]
fn an_unknown_site_toml_key_lists_the_known_ones() {
    let site = Site::fixture();
    let toml = format!("{SITE_TOML}outputdir = \"out\"\n");
    let failed = fails_keeping_output(&site, |s| s.write("site.toml", &toml));
    let d = reported(
        &failed,
        "invalid-config",
        "site.toml",
        line_of(&toml, "outputdir"),
    );
    assert!(d.message.contains("outputdir"), "{d}");
    assert!(
        d.hints
            .iter()
            .chain(std::iter::once(&d.message))
            .any(|h| h.contains("output_dir")),
        "{d:?}"
    );
}

// ---------------------------------------------------------------------------
// 20. Directories chronicle did not make, and builds at the same time
// ---------------------------------------------------------------------------

/// Files of one's own, in a directory the site is then built into.
fn users_own_directory(at: &Path) -> Snapshot {
    fs::create_dir_all(at.join("drafts")).unwrap();
    fs::write(at.join("notes.txt"), "my own notes\n").unwrap();
    fs::write(at.join("drafts/letter.md"), "a letter\n").unwrap();
    snapshot(at)
}

#[test]
fn a_directory_of_the_users_own_files_is_never_replaced_without_force() {
    let (outer, site) = nested_fixture();
    let docs = outer.path().join("docs");
    let mine = users_own_directory(&docs);
    let run = run_cli(
        site.root(),
        &["--output", docs.to_str().unwrap()],
        CLI_TIMEOUT,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("output-not-ours"), "{}", run.stderr);
    assert!(
        run.stderr.contains("docs") && run.stderr.contains("notes.txt"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--force"),
        "says how to proceed:\n{}",
        run.stderr
    );
    assert_same(&mine, &snapshot(&docs), "the user's directory");
    let beside: Vec<String> = fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".chronicle"))
        .collect();
    assert!(beside.is_empty(), "left beside it: {beside:?}");

    // The same from a site.toml received from someone else.
    site.write(
        "site.toml",
        &replaced(
            SITE_TOML,
            "output_dir = \"public\"",
            "output_dir = \"../docs\"",
        ),
    );
    let run = run_cli(site.root(), &[], CLI_TIMEOUT);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("output-not-ours"), "{}", run.stderr);
    assert_same(&mine, &snapshot(&docs), "the user's directory");

    // Taken over on request; from then on it is chronicle's.
    let run = run_cli(site.root(), &["--force"], CLI_TIMEOUT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(docs.join("index.html").is_file() && !docs.join("notes.txt").exists());
    let run = run_cli(site.root(), &[], CLI_TIMEOUT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_git_directory_is_not_an_output() {
    let site = Site::fixture();
    let git = site.root().join(".git");
    let before = users_own_directory(&git);
    let run = run_cli(
        site.root(),
        &["--output", git.to_str().unwrap()],
        CLI_TIMEOUT,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("output-not-ours"), "{}", run.stderr);
    assert_same(&before, &snapshot(&git), ".git");
}

#[test]
fn an_output_that_is_a_file_is_refused_and_left_where_it_was() {
    let (outer, site) = nested_fixture();
    let file = outer.path().join("report.pdf");
    fs::write(&file, "a file").unwrap();
    let before = snapshot(outer.path());
    let run = run_cli(
        site.root(),
        &["--output", file.to_str().unwrap()],
        CLI_TIMEOUT,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("output-not-a-directory"),
        "{}",
        run.stderr
    );
    assert_same(&before, &snapshot(outer.path()), "around the file");
    let run = run_cli(
        site.root(),
        &["--force", "--output", file.to_str().unwrap()],
        CLI_TIMEOUT,
    );
    assert_eq!(run.code, Some(1), "not even with --force:\n{}", run.stderr);
    assert_same(&before, &snapshot(outer.path()), "around the file");
}

#[test]
fn links_do_not_get_the_output_into_the_sources() {
    let (outer, site) = nested_fixture();
    let link = outer.path().join("site-link");
    std::os::unix::fs::symlink(site.root(), &link).unwrap();
    let to_content = outer.path().join("content-link");
    std::os::unix::fs::symlink(site.root().join("content"), &to_content).unwrap();
    let before = snapshot(site.root());
    for output in [
        link.join("content"),
        to_content.join("articles"),
        link.clone(),
    ] {
        // Not even --force gets past this rule.
        for force in [None, Some("--force")] {
            let mut args = vec!["--output", output.to_str().unwrap()];
            args.extend(force);
            let run = run_cli(&link, &args, CLI_TIMEOUT);
            assert_eq!(run.code, Some(1), "{}: {}", output.display(), run.stderr);
            assert!(run.stderr.contains("unsafe-output-dir"), "{}", run.stderr);
            assert_same(
                &before,
                &snapshot(site.root()),
                &output.display().to_string(),
            );
        }
    }
}

#[test]
fn a_second_build_of_one_output_is_refused_naming_the_first() {
    let site = Site::fixture();
    site.build_ok();
    let before = snapshot(&site.output());
    // Hold the output's lock as a running build would.
    let lock_path = site.root().join(".chronicle-lock-public");
    let lock = fs::File::create(&lock_path).unwrap();
    lock.try_lock().unwrap();
    fs::write(&lock_path, "424242\n").unwrap();
    let run = run_cli(site.root(), &[], CLI_TIMEOUT);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("output-locked"), "{}", run.stderr);
    assert!(
        run.stderr.contains("424242"),
        "names the holder:\n{}",
        run.stderr
    );
    assert_same(&before, &snapshot(&site.output()), "the output");
    drop(lock);
    // A lock file left by a killed build is not held: the next build goes on.
    site.build_ok();
    assert!(
        !lock_path.exists(),
        "the lock file is removed after the build"
    );
}

#[test]
fn builds_started_together_never_publish_a_partial_site() {
    let site = Site::fixture();
    for i in 0..400 {
        site.write(
            &format!("content/articles/bulk/a{i:04}.md"),
            &format!(
                "---\ntitle: Bulk {i}\nsource: Bulk Wire\npublished: 2022-01-{d:02}\nentries:\n  - id: bulk-{i}\n    at: 2022-01-{d:02}\n    headline: Bulk entry {i}\n    threads: [security-guarantees]\n---\nParagraph {i}.\n",
                d = 1 + i % 28
            ),
        );
    }
    site.build_ok();
    let complete = snapshot(&site.output());
    for round in 0..3 {
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_chronicle"))
                .args(["build", "--quiet", "--color", "never", "--root"])
                .arg(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let mut succeeded = 0;
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => succeeded += 1,
                Some(1) => assert!(stderr.contains("output-locked"), "round {round}: {stderr}"),
                other => panic!("round {round}: exit {other:?}: {stderr}"),
            }
        }
        assert!(succeeded >= 1, "round {round}: neither build succeeded");
        assert_same(
            &complete,
            &snapshot(&site.output()),
            "the output after two builds at once",
        );
        assert!(
            fs::read_dir(site.root()).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".chronicle")),
            "round {round}: nothing left beside the output"
        );
    }
}

// ---------------------------------------------------------------------------
// 21. Links out of the site
// ---------------------------------------------------------------------------

/// A file outside the site, with a secret in it.
fn secret_outside(outer: &Path) -> PathBuf {
    let dir = outer.join("private");
    fs::create_dir_all(dir.join("nested")).unwrap();
    fs::write(dir.join("passwd"), "root:SECRET-FROM-OUTSIDE:0:0\n").unwrap();
    fs::write(dir.join("nested/key.txt"), "SECRET-FROM-OUTSIDE\n").unwrap();
    dir
}

/// Whether any file of the output contains `needle`.
fn output_contains(site: &Site, needle: &str) -> bool {
    walkdir::WalkDir::new(site.output())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .any(|e| String::from_utf8_lossy(&fs::read(e.path()).unwrap()).contains(needle))
}

#[test]
fn links_out_of_the_site_are_errors_naming_them_and_publish_nothing() {
    for (link, target) in [
        ("content/articles/2022/01/leak.txt", "passwd"),
        ("content/articles/elsewhere", "nested"),
        ("static/passwd.txt", "passwd"),
        ("static/etc", "."),
        ("content/actors.yaml", "passwd"),
        ("templates/page.html", "passwd"),
        ("themes/default/static/leak.css", "passwd"),
    ] {
        let (outer, site) = nested_fixture();
        let private = secret_outside(outer.path());
        let failed = fails_keeping_output(&site, |s| {
            let at = s.root().join(link);
            fs::create_dir_all(at.parent().unwrap()).unwrap();
            let _ = fs::remove_file(&at);
            std::os::unix::fs::symlink(private.join(target), &at).unwrap();
        });
        let d = reported_in_file(&failed, "link-outside-site", link);
        assert!(d.message.contains("private"), "names where it leads: {d}");
        assert!(!output_contains(&site, "SECRET-FROM-OUTSIDE"), "{link}");
        assert!(
            failed.stderr.contains("follow_outside_links"),
            "{}",
            failed.stderr
        );
    }
}

#[test]
fn links_inside_the_site_are_followed_and_outside_ones_on_request() {
    let (outer, site) = nested_fixture();
    let private = secret_outside(outer.path());
    site.write("static/inner/logo.txt", "logo\n");
    std::os::unix::fs::symlink(
        site.root().join("static/inner"),
        site.root().join("static/same"),
    )
    .unwrap();
    site.build_ok();
    assert_eq!(
        fs::read_to_string(site.output().join("same/logo.txt")).unwrap(),
        "logo\n"
    );

    std::os::unix::fs::symlink(private.join("nested"), site.root().join("static/shared")).unwrap();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}follow_outside_links = true\n"),
    );
    site.build_ok();
    assert!(site.output().join("shared/key.txt").is_file());
}

// ---------------------------------------------------------------------------
// 22. Names too long for a file system
// ---------------------------------------------------------------------------

#[test]
fn names_too_long_for_a_file_system_build_and_check_agrees() {
    let site = Site::fixture();
    let cyrillic = "щ".repeat(124); // 248 bytes, 252 with ".txt"
    let han = "漢".repeat(83); // 249 bytes
    for name in [&cyrillic, &han] {
        site.write(
            &format!("content/articles/long/{name}.txt"),
            "A report about ferries.\n",
        );
        site.write(
            &format!("content/articles/long/{name}.yaml"),
            &format!("title: Long\nsource: Wire\npublished: 2022-01-05\nentries:\n  - id: e-{}\n    at: 2022-01-05\n    headline: Ferries\n    actors: [{han}]\n", name.len()),
        );
    }
    site.write(
        "content/actors.yaml",
        &format!(
            "{}{han}:\n  name: {han}\n  kind: person\n",
            fixture_text(ACTORS)
        ),
    );
    let check = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["check", "--color", "never", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    site.build_ok();
    let longest = walkdir::WalkDir::new(site.output())
        .into_iter()
        .flatten()
        .map(|e| e.file_name().len())
        .max()
        .unwrap();
    assert!(longest <= 255, "a name of {longest} bytes");
    let articles: Vec<String> = fs::read_dir(site.output().join("articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("shch") || n.len() > 100)
        .collect();
    assert_eq!(
        articles.len(),
        2,
        "both long articles have pages: {articles:?}"
    );
}

// ---------------------------------------------------------------------------
// 23. Control characters, on the terminal and in pages
// ---------------------------------------------------------------------------

#[test]
fn control_characters_reach_neither_the_terminal_nor_the_pages() {
    let site = Site::fixture();
    site.write(
        ACTORS,
        &format!(
            "{}raider:\n  name: Raider\n  kind: \"\\e]2;PWNED\\a\"\n",
            fixture_text(ACTORS)
        ),
    );
    site.write(
        "content/articles/2022/01/ctl.md",
        "---\ntitle: \"Bell\\a and escape\\e[31m\"\nsource: Wire\npublished: 2022-01-05\nentries:\n  - id: ctl\n    at: 2022-01-05\n    headline: \"Null\\0 here\\x85\"\n    actors: [Raider]\n---\nA body with a NUL \u{0} and an escape \u{1b}[2J and a bell \u{7}.\n",
    );
    let run = run_cli(site.root(), &[], CLI_TIMEOUT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("unknown-kind"), "{}", run.stderr);
    assert!(
        !run.stderr.contains(|c: char| c.is_control() && c != '\n'),
        "raw control characters on the terminal: {:?}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\\u{1b}]2;PWNED\\u{7}"),
        "{}",
        run.stderr
    );
    for page in [
        "articles/ctl/index.html",
        "days/2022-01-05/index.html",
        "actors/raider/index.html",
    ] {
        let html = site.page(page);
        assert!(
            !html.contains(|c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
            "{page} has control characters"
        );
        assert!(
            html.contains("Null here") || !page.starts_with("days"),
            "{page}"
        );
    }
}

#[test]
fn one_enormous_invalid_line_is_shown_cut_around_the_problem() {
    let site = Site::fixture();
    site.build_ok();
    let line = format!("title: {}: oops\n", "x".repeat(5_000_000));
    site.write(
        "content/articles/2022/01/huge.md",
        &format!("---\n{line}---\nBody.\n"),
    );
    let run = run_cli(site.root(), &[], CLI_TIMEOUT);
    assert_eq!(
        run.code,
        Some(1),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.contains("huge.md:2:"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.len() < 20_000,
        "{} bytes printed",
        run.stderr.len()
    );
}

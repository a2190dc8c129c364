//! The command line: help, exit codes, and what it prints.

use crate::common;

use std::process::Command;

use common::Site;

fn chronicle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chronicle"))
}

/// The fixture plus an article naming the actor `Lavrv` on line 7 (column
/// 14) and, if asked, the topic `sanctons` on line 8.
fn misspelled_names(with_topic: bool) -> Site {
    let site = Site::fixture();
    let topic = if with_topic {
        "    topics: [sanctons]\n"
    } else {
        ""
    };
    site.write(
        "content/articles/bad.md",
        &format!("---\ntitle: Bad\nsource: X\nentries:\n  - at: 2022-01-28\n    headline: H\n    actors: [Lavrv]\n{topic}---\nText\n"),
    );
    site
}

#[test]
fn help_documents_every_build_option() {
    let out = chronicle().args(["build", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for option in [
        "--root",
        "--output",
        "--base-url",
        "--strict",
        "--color",
        "--quiet",
    ] {
        assert!(help.contains(option), "build --help lacks {option}");
    }
    let out = chronicle().arg("--help").output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("build"));
}

#[test]
fn misuse_exits_2() {
    let out = chronicle()
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = chronicle().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_good_build_exits_0_and_says_what_it_built() {
    let site = Site::fixture();
    let out = chronicle()
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("from 2 articles (5 entries on 2 days)"),
        "{stderr}"
    );
    assert!(site.output().join("index.html").is_file());
}

#[test]
fn content_errors_exit_1_with_file_line_and_the_line_shown() {
    let site = misspelled_names(false);
    let out = chronicle()
        .args(["build", "--strict", "--color", "never", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[unknown-actor]: unknown actor `Lavrv`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/articles/bad.md:7:14"), "{stderr}");
    assert!(
        stderr.contains("    actors: [Lavrv]"),
        "the line is shown: {stderr}"
    );
    assert!(stderr.contains("did you mean"), "{stderr}");
    assert!(stderr.contains("build failed: 1 error"), "{stderr}");
    assert!(!stderr.contains("\u{1b}["), "no colour when asked for none");
    assert!(!site.output().exists(), "nothing written");
}

#[test]
fn output_and_base_url_can_be_set_on_the_command_line() {
    let site = Site::fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("out");
    let out = chronicle()
        .args([
            "build",
            "--base-url",
            "https://mirror.example.net/x/",
            "--root",
        ])
        .arg(site.root())
        .arg("--output")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(target.join("index.html")).unwrap();
    assert!(home.contains("href=\"/x/days/\""));
    assert!(!site.output().exists());
}

#[test]
fn an_output_dir_that_would_swallow_the_site_is_refused() {
    for output in [".", "..", "content", "/"] {
        let site = Site::fixture();
        site.write(
            "site.toml",
            &common::SITE_TOML.replace(
                "output_dir = \"public\"",
                &format!("output_dir = \"{output}\""),
            ),
        );
        let out = chronicle()
            .args(["build", "--root"])
            .arg(site.root())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{output}: {stderr}");
        assert!(stderr.contains("unsafe-output-dir"), "{output}: {stderr}");
        assert!(
            site.root().join("content/actors.yaml").is_file(),
            "the site is intact"
        );
    }
}

#[test]
fn check_reports_without_writing_and_summarises() {
    let site = Site::fixture();
    let out = chronicle()
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("checked 2 articles: 5 entries on 2 days, 5 actors, 2 topics, 2 threads, 8 evidence passages verified"),
        "{stderr}"
    );
    assert!(!site.output().exists(), "check writes nothing");
}

#[test]
fn check_finds_broken_internal_links_in_rendered_pages() {
    let site = Site::fixture();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ site.base_path }}nowhere/\">x</a><a href=\"{{ site.base_path }}days/#nope\">y</a>{% endblock content %}",
    );
    let out = chronicle()
        .args(["check", "--color", "never", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("404.html links to `/crisis/nowhere/`: no such file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("404.html links to `/crisis/days/#nope`: no element with that id"),
        "{stderr}"
    );
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let site = misspelled_names(true);
    for command in ["build", "check"] {
        let out = chronicle()
            .args([command, "--format", "json", "--root"])
            .arg(site.root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "warnings only");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let objects: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(objects.len(), 2, "{stdout}");
        let actor = &objects[0];
        assert_eq!(actor["severity"], "warning");
        assert_eq!(actor["code"], "unknown-actor");
        // Named so that it opens from where the command ran.
        assert_eq!(
            actor["file"].as_str().unwrap(),
            site.root()
                .join("content/articles/bad.md")
                .to_str()
                .unwrap()
        );
        assert_eq!(actor["line"], 7);
        assert_eq!(actor["column"], 14);
        assert!(actor["message"].as_str().unwrap().contains("Lavrv"));
        assert!(actor["hints"][0].as_str().unwrap().contains("did you mean"));
        assert_eq!(objects[1]["code"], "unknown-topic");
        assert_eq!(objects[1]["line"], 8);
    }
}

#[test]
fn warnings_are_shown_even_when_the_build_succeeds() {
    let site = misspelled_names(false);
    let out = chronicle()
        .args(["build", "--color", "never", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr.contains("warning[unknown-actor]"), "{stderr}");
    assert!(stderr.contains("1 warning"), "{stderr}");
}

#[test]
fn paths_open_from_where_the_command_ran() {
    let site = misspelled_names(false);
    let parent = site.root().parent().unwrap();
    let name = site.root().file_name().unwrap().to_str().unwrap();
    for format in ["human", "json"] {
        let out = chronicle()
            .current_dir(parent)
            .args(["check", "--format", format, "--root", name])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        let wanted = format!("{name}/content/articles/bad.md");
        assert!(text.contains(&wanted), "{format}: {text}");
    }
    // From inside the site, as before.
    let out = chronicle()
        .current_dir(site.root())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("\"file\":\"content/articles/bad.md\""),
        "{stdout}"
    );
}

#[test]
fn no_site_toml_says_so_and_suggests_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = chronicle()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no site.toml"), "{stderr}");
    assert!(stderr.contains("chronicle init"), "{stderr}");
}

#[test]
fn a_bad_base_url_is_a_command_line_problem() {
    let site = misspelled_names(false);
    let out = chronicle()
        .args([
            "build",
            "--base-url",
            "example.org/x",
            "--format",
            "json",
            "--root",
        ])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let bad = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|d| d["code"] == "invalid-base-url")
        .expect(&stdout);
    assert!(bad["file"].is_null(), "{bad}");
    assert!(
        bad["message"].as_str().unwrap().contains("--base-url"),
        "{bad}"
    );
}

#[test]
fn build_and_check_help_share_a_layout() {
    let help = |command: &str| {
        let out = chronicle().args([command, "--help"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let headings = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.ends_with(':') && !l.starts_with(' '))
            .map(str::to_string)
            .collect()
    };
    let (build, check) = (help("build"), help("check"));
    assert_eq!(headings(&build), headings(&check), "{build}\n{check}");
    for flag in [
        "--root",
        "--strict",
        "--color",
        "--format",
        "--quiet",
        "--timings",
    ] {
        assert!(build.contains(flag) && check.contains(flag), "{flag}");
    }
}

#[test]
fn a_bad_published_date_for_import_is_a_usage_error() {
    let site = Site::fixture();
    site.write("page.txt", "A report.\n");
    let out = chronicle()
        .args(["import", "--published", "2022-13-40", "page.txt", "--root"])
        .arg(site.root())
        .current_dir(site.root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--published") && stderr.contains("YYYY-MM-DD"),
        "{stderr}"
    );
    assert!(!site.root().join("content/articles/page.txt").exists());
}

/// The whole of what a failed build prints, as a snapshot
/// (tests/it/snapshots/): a change of wording shows up for review
/// (`cargo insta review`) instead of being patched into an assertion.
/// The article (tests/fixtures/broken/) has one of each common mistake.
#[test]
fn a_failed_builds_diagnostics_in_full() {
    let site = Site::fixture();
    site.write(
        "content/articles/2022/01/broken.md",
        &std::fs::read_to_string(common::repo().join("tests/fixtures/broken/2022-01-28-broken.md"))
            .unwrap(),
    );
    let out = chronicle()
        .args(["build", "--color", "never", "--root"])
        .arg(site.root())
        .current_dir(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let root = site.root().to_string_lossy().into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&root, "[ROOT]");
    insta::assert_snapshot!(stderr);
}

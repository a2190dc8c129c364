//! `chronicle init` and `chronicle new`: the site they make builds, nothing
//! is replaced, registries keep the editor's text.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chronicle::config::Overrides;
use chronicle::scaffold::{self, Error, NewArticle, NewItem, RegistryKind};
use chronicle::{BuildOptions, BuildReport};

fn chronicle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chronicle"))
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()
}

/// A strict build of the site at `root`, which must succeed without a
/// single diagnostic.
fn build_clean(root: &Path) -> BuildReport {
    let report = chronicle::build(&BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides {
            strict: true,
            ..Overrides::default()
        },
        ..Default::default()
    });
    let messages = common::messages(&report);
    assert!(report.succeeded(), "build failed:\n{}", messages.join("\n"));
    assert!(messages.is_empty(), "diagnostics:\n{}", messages.join("\n"));
    report
}

fn page(root: &Path, rel: &str) -> String {
    let path = root.join("public").join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A new site in a fresh temporary directory: (the temp dir, the site's root).
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    scaffold::init(&root, false).unwrap();
    (tmp, root)
}

fn actor(id: &str, name: &str) -> NewItem {
    NewItem {
        registry: RegistryKind::Actor,
        id: id.into(),
        name: name.into(),
        kind: None,
        aliases: Vec::new(),
        role: None,
        affiliation: None,
    }
}

#[test]
fn a_new_site_builds_strictly_with_its_example_entry() {
    let (_tmp, root) = new_site();
    for file in [
        "site.toml",
        "content/actors.yaml",
        "content/topics.yaml",
        "content/threads.yaml",
        scaffold::EXAMPLE_ARTICLE_PATH,
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ] {
        assert!(root.join(file).is_file(), "{file} not written");
    }
    let report = build_clean(&root);
    assert_eq!(report.stats.entries, 1);
    assert_eq!(report.stats.passages, 2, "the evidence and the quote");
    let day = page(&root, "days/2026-03-14/index.html");
    assert!(day.contains("id=\"ferries-halted\""), "{day}");
    assert!(day.contains("Ferry operators halt all crossings"));
    for rel in [
        "articles/example-ferries-halted/index.html",
        "actors/vasko/index.html",
        "topics/transport/index.html",
        "threads/fuel-dispute/index.html",
    ] {
        page(&root, rel);
    }
}

#[test]
fn init_refuses_a_directory_that_is_not_empty_unless_forced_and_never_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(root.join("notes.txt"), "mine").unwrap();
    let err = scaffold::init(root, false).unwrap_err();
    assert!(matches!(err, Error::NotEmpty { .. }), "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert!(!root.join("site.toml").exists(), "wrote despite refusing");

    // With --force, files that exist are kept byte for byte.
    let own = "title = \"Mine\"\n";
    fs::write(root.join("site.toml"), own).unwrap();
    let report = scaffold::init(root, true).unwrap();
    assert_eq!(report.kept, vec![PathBuf::from("site.toml")]);
    assert!(report
        .written
        .contains(&PathBuf::from("content/actors.yaml")));
    assert_eq!(fs::read_to_string(root.join("site.toml")).unwrap(), own);
    assert_eq!(fs::read_to_string(root.join("notes.txt")).unwrap(), "mine");
    // A second forced run writes nothing.
    let again = scaffold::init(root, true).unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);

    // Hidden entries (a git repository) do not make a directory non-empty.
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    scaffold::init(tmp.path(), false).unwrap();
    assert!(tmp.path().join("site.toml").is_file());
}

#[test]
fn a_new_article_builds_and_is_never_written_over_nor_outside() {
    let (_tmp, root) = new_site();
    let new = NewArticle {
        path: "2026/03/harbour-reopens".into(),
        title: Some("Harbour reopens: \"at last\"".into()),
        source: Some("Coast Radio # 2".into()),
        published: Some("2026-03-16".into()),
    };
    let written = scaffold::new_article(&root, &new, today()).unwrap();
    let md = PathBuf::from("content/articles/2026/03/harbour-reopens.md");
    assert_eq!(written, vec![md.clone()]);
    // The editor pastes the report below the front matter.
    let mut text = fs::read_to_string(root.join(&md)).unwrap();
    text.push_str("The harbour opened again at noon.\n");
    fs::write(root.join(&md), &text).unwrap();
    build_clean(&root);
    let article = page(&root, "articles/harbour-reopens/index.html");
    assert!(
        article.contains("Harbour reopens: &quot;at last&quot;")
            || article.contains("Harbour reopens: &#34;at last&#34;")
            || article.contains("Harbour reopens: \"at last\""),
        "{article}"
    );
    assert!(article.contains("Coast Radio # 2"));

    // Never replaced, not even by a .txt of the same name.
    for path in ["2026/03/harbour-reopens", "2026/03/harbour-reopens.txt"] {
        let again = NewArticle {
            path: path.into(),
            ..NewArticle::default()
        };
        let err = scaffold::new_article(&root, &again, today()).unwrap_err();
        assert!(matches!(err, Error::Exists(_)), "{err}");
    }
    assert_eq!(fs::read_to_string(root.join(&md)).unwrap(), text);

    // Never outside content/articles.
    for path in ["../escape", "2026/../../escape", "/tmp/escape"] {
        let outside = NewArticle {
            path: path.into(),
            ..NewArticle::default()
        };
        let err = scaffold::new_article(&root, &outside, today()).unwrap_err();
        assert!(matches!(err, Error::BadPath { .. }), "{path}: {err}");
    }
    assert!(!root.join("content/escape.md").exists());
    assert!(!root.join("escape.md").exists());
}

#[test]
fn a_new_txt_article_gets_a_sidecar_and_builds() {
    let (_tmp, root) = new_site();
    let new = NewArticle {
        path: "wire/ferry-talks.txt".into(),
        title: Some("Talks resume".into()),
        source: Some("Wire".into()),
        published: Some("2026-03-17 09:00".into()),
    };
    let written = scaffold::new_article(&root, &new, today()).unwrap();
    assert_eq!(
        written,
        vec![
            PathBuf::from("content/articles/wire/ferry-talks.txt"),
            PathBuf::from("content/articles/wire/ferry-talks.yaml"),
        ]
    );
    fs::write(
        root.join(&written[0]),
        "Talks between the operators and the port resumed.\n",
    )
    .unwrap();
    build_clean(&root);
    assert!(page(&root, "articles/ferry-talks/index.html").contains("Talks resume"));
}

/// Annotations of an article naming `actor`, `topic` and `thread`, with
/// its text.
fn article_naming(actor: &str, topic: &str, thread: &str) -> String {
    format!(
        "---\ntitle: Port board meets\nsource: Harbour Gazette\npublished: 2026-03-18\n\
         entries:\n  - id: board-meets\n    at: 2026-03-18\n    headline: The port board meets\n    \
         actors: [{actor}]\n    topics: [{topic}]\n    threads: [{thread}]\n    \
         evidence: [\"The port board met\"]\n---\nThe port board met on Wednesday.\n"
    )
}

#[test]
fn new_registry_items_keep_the_file_and_resolve_in_a_build() {
    let (_tmp, root) = new_site();
    let actors = root.join("content/actors.yaml");
    let before = fs::read_to_string(&actors).unwrap();
    assert!(before.contains("# "), "the example registry has comments");
    let name = "Ana \"Ná\" O'Neil: the #1 - of them";
    let item = NewItem {
        kind: Some("person".into()),
        aliases: vec!["O'Neil: 'chair'".into(), "#ana".into()],
        ..actor("ana-oneil", name)
    };
    let file = scaffold::new_item(&root, &item).unwrap();
    assert_eq!(file, PathBuf::from("content/actors.yaml"));
    let after = fs::read_to_string(&actors).unwrap();
    assert!(after.starts_with(&before), "the text before was changed");
    assert!(after.len() > before.len());

    // The YAML-special characters round-trip through the loader.
    let parsed: std::collections::BTreeMap<String, chronicle::load::annotations::RawActor> =
        serde_yaml::from_str(&after).unwrap();
    assert_eq!(parsed["ana-oneil"].name.as_deref(), Some(name));
    assert_eq!(parsed["ana-oneil"].aliases.0, item.aliases);
    assert_eq!(parsed["ana-oneil"].kind.as_deref(), Some("person"));
    assert_eq!(parsed["vasko"].name.as_deref(), Some("Irena Vasko"));

    let topic = NewItem {
        registry: RegistryKind::Topic,
        ..actor("ports", "Ports & harbours")
    };
    let thread = NewItem {
        registry: RegistryKind::Thread,
        aliases: vec!["board talks".into()],
        ..actor("port-board", "The port board: who decides?")
    };
    scaffold::new_item(&root, &topic).unwrap();
    scaffold::new_item(&root, &thread).unwrap();
    let threads = fs::read_to_string(root.join("content/threads.yaml")).unwrap();
    assert!(threads.contains("  title: \"The port board: who decides?\""));

    // Named by an alias with a colon and quotes, by name, by alias.
    fs::write(
        root.join("content/articles/board.md"),
        article_naming("\"O'Neil: 'chair'\"", "Ports & harbours", "board talks"),
    )
    .unwrap();
    build_clean(&root);
    let actor_page = page(&root, "actors/ana-oneil/index.html");
    assert!(
        actor_page.contains("board-meets"),
        "the entry is not on the actor's page"
    );
    assert!(page(&root, "topics/ports/index.html").contains("board-meets"));
    assert!(page(&root, "threads/port-board/index.html").contains("board-meets"));

    // A duplicate id is refused and the file left alone.
    let unchanged = fs::read_to_string(&actors).unwrap();
    for dup in [
        actor("ana-oneil", "Someone"),
        actor("Vasko", "Someone else"),
    ] {
        let err = scaffold::new_item(&root, &dup).unwrap_err();
        assert!(matches!(err, Error::Taken { .. }), "{err}");
    }
    let err = scaffold::new_item(&root, &actor("!!!", "Bangs")).unwrap_err();
    assert!(matches!(err, Error::UnusableId(_)), "{err}");
    assert_eq!(fs::read_to_string(&actors).unwrap(), unchanged);
}

#[test]
fn a_missing_registry_is_created_and_one_without_a_final_newline_is_mended() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let topic = NewItem {
        registry: RegistryKind::Topic,
        ..actor("energy", "Energy")
    };
    // Not a site: nothing is written.
    let err = scaffold::new_item(root, &topic).unwrap_err();
    assert!(err.to_string().contains("site.toml"), "{err}");
    assert!(!root.join("content").exists());
    fs::write(root.join("site.toml"), "title = \"T\"\n").unwrap();
    scaffold::new_item(root, &topic).unwrap();
    assert_eq!(
        fs::read_to_string(root.join("content/topics.yaml")).unwrap(),
        "energy:\n  name: \"Energy\"\n"
    );
    fs::write(root.join("content/actors.yaml"), "# people\nx:\n  name: X").unwrap();
    scaffold::new_item(root, &actor("zed", "Zed")).unwrap();
    assert_eq!(
        fs::read_to_string(root.join("content/actors.yaml")).unwrap(),
        "# people\nx:\n  name: X\n\nzed:\n  name: \"Zed\"\n"
    );
}

#[test]
fn the_commands_work_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    // DIR defaults to the current directory.
    let out = chronicle()
        .arg("init")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("site.toml"), "{stdout}");
    assert!(stdout.contains("chronicle build"), "{stdout}");
    assert!(stdout.contains("chronicle serve"), "{stdout}");
    let root = tmp.path();

    // Again: the directory is not empty.
    let out = chronicle().arg("init").arg(root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));

    let run = |args: &[&str]| {
        let out = chronicle()
            .args(args)
            .arg("--root")
            .arg(root)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&[
        "new",
        "actor",
        "harbour-master",
        "--name",
        "Harbour Master: \"Tom\"",
        "--kind",
        "person",
        "--alias",
        "Tom's",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("harbour-master"), "{stdout}");
    let (code, _, stderr) = run(&["new", "actor", "harbour-master", "--name", "Again"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("already has"), "{stderr}");
    let (code, ..) = run(&[
        "new", "topic", "ports", "--name", "Ports", "--kind", "person",
    ]);
    assert_eq!(code, Some(2), "--kind is for actors only");
    let (code, ..) = run(&["new", "thread", "port-board", "--name", "The port board"]);
    assert_eq!(code, Some(0));
    let (code, ..) = run(&["new", "topic", "ports", "--name", "Ports"]);
    assert_eq!(code, Some(0));

    let (code, stdout, stderr) = run(&[
        "new",
        "article",
        "2026/03/board",
        "--source",
        "Gazette",
        "--title",
        "Board",
        "--published",
        "2026-03-18",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("board.md"), "{stdout}");
    let (code, _, stderr) = run(&["new", "article", "2026/03/board"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("exists"), "{stderr}");
    // A bad argument is a usage error: exit status 2.
    let (code, _, stderr) = run(&["new", "article", "../../outside"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains(".."), "{stderr}");
    let (code, _, stderr) = run(&["new", "article", "x", "--published", "yesterday"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--published"), "{stderr}");

    // Annotate the new article with the new names; a strict build passes.
    let md = root.join("content/articles/2026/03/board.md");
    let text = fs::read_to_string(&md).unwrap().replace(
        "entries:\n",
        "entries:\n  - at: 2026-03-18\n    headline: Board meets\n    actors: [\"Tom's\"]\n    \
         topics: [ports]\n    thread: port-board\n    evidence: [\"The port board met\"]\n",
    );
    fs::write(&md, text + "The port board met on Wednesday.\n").unwrap();
    let out = chronicle()
        .args(["build", "--strict", "--color", "never", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 warnings"), "{stderr}");
    assert!(root
        .join("public/actors/harbour-master/index.html")
        .is_file());
    assert!(root.join("public/articles/board/index.html").is_file());
}

/// Runs chronicle in `dir`: exit status, stdout, stderr.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = chronicle().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn new_actor_takes_role_and_affiliation_and_refuses_bad_ids_and_kinds_with_2() {
    let (_tmp, root) = new_site();
    let (code, stdout, stderr) = run_in(
        &root,
        &[
            "new",
            "actor",
            "erdogan",
            "--name",
            "Recep Tayyip Erdogan",
            "--role",
            "President of Turkey",
            "--affiliation",
            "vasko",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("content/actors.yaml"), "{stdout}");
    let actors = fs::read_to_string(root.join("content/actors.yaml")).unwrap();
    assert!(
        actors.contains("  role: \"President of Turkey\"\n"),
        "{actors}"
    );
    assert!(actors.contains("  affiliation: \"vasko\"\n"), "{actors}");

    let (code, _, stderr) = run_in(&root, &["new", "actor", "Erdogan", "--name", "R. T. E."]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("already has the actor `erdogan` (`Erdogan` would share its page"),
        "{stderr}"
    );

    let (code, _, stderr) = run_in(&root, &["new", "actor", "Bad Id", "--name", "X"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`bad-id`"), "{stderr}");
    let (code, _, stderr) = run_in(
        &root,
        &["new", "actor", "x", "--name", "X", "--kind", "politician"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, _) = run_in(&root, &["new", "topic", "t", "--name", "T", "--role", "R"]);
    assert_eq!(code, Some(2), "clap: topics have no --role");

    let help = run_in(&root, &["new", "actor", "--help"]).1;
    assert!(help.contains("The actor's name"), "{help}");
    assert!(!help.contains("title"), "{help}");
    let help = run_in(&root, &["new", "thread", "--help"]).1;
    assert!(help.contains("The thread's title"), "{help}");
}

#[test]
fn init_new_and_import_take_format_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_in(tmp.path(), &["init", "site", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(summary["summary"]["written"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "site/site.toml"));

    let (code, stdout, _) = run_in(
        tmp.path(),
        &[
            "new",
            "article",
            "ferry-wire",
            "--root",
            "site",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(0));
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        summary["summary"]["written"][0],
        "site/content/articles/ferry-wire.md"
    );
    // Unfinished work fails a strict check, its file named from here.
    let (code, stdout, _) = run_in(
        tmp.path(),
        &["check", "--strict", "--root", "site", "--format", "json"],
    );
    assert_eq!(code, Some(1), "{stdout}");
    for wanted in ["unfinished-annotation", "empty-article"] {
        assert!(
            stdout.lines().any(|l| l.contains(wanted)
                && l.contains("\"file\":\"site/content/articles/ferry-wire.md\"")),
            "{stdout}"
        );
    }

    let (code, stdout, _) = run_in(
        tmp.path(),
        &[
            "new", "actor", "vasko", "--name", "V", "--root", "site", "--format", "json",
        ],
    );
    assert_eq!(code, Some(1));
    let error: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(error["code"], "already-exists");
    assert_eq!(error["file"], "site/content/actors.yaml");

    fs::write(
        tmp.path().join("page.txt"),
        "Talks resume\n\nThe talks resumed on Monday, officials said.\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(
        tmp.path(),
        &[
            "import",
            "page.txt",
            "--root",
            "site",
            "--format",
            "json",
            "--published",
            "2022-01-26",
        ],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["written"], true, "{stdout}");
    assert_eq!(last["summary"]["files"][0]["input"], "page.txt");
}

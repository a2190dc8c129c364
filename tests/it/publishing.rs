//! The publishing workflows of docs/publishing/ parse, and every
//! `chronicle` command they run exists with the options they give it; each
//! checks the site before it builds it.

use std::collections::BTreeMap;
use std::process::Command;

use crate::common::repo;

/// The shell text of a workflow: every `run`, `script`, `before_script`
/// and `command` value, however deep.
fn shell_of_yaml(value: &serde_yaml::Value, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, value) in map {
                let shell_key = matches!(
                    key.as_str(),
                    Some("run" | "script" | "before_script" | "command")
                );
                match value {
                    serde_yaml::Value::String(text) if shell_key => out.push(text.clone()),
                    serde_yaml::Value::Sequence(items) if shell_key => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)))
                    }
                    _ => shell_of_yaml(value, out),
                }
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| shell_of_yaml(i, out)),
        _ => {}
    }
}

/// The `chronicle` commands in shell text, in order: each as its words
/// (subcommand first), for a command that starts with `chronicle`.
fn chronicle_commands(shell: &str) -> Vec<Vec<String>> {
    shell
        .replace("\\\n", " ")
        .split(['\n', ';', '|'])
        .flat_map(|line| line.split("&&"))
        .filter_map(|command| {
            let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
            (words.first()? == "chronicle").then(|| words[1..].to_vec())
        })
        .collect()
}

/// Each workflow file and its shell text.
fn workflows() -> BTreeMap<String, Vec<String>> {
    let dir = repo().join("docs/publishing");
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut shell = Vec::new();
        if name.ends_with(".yml") {
            let value: serde_yaml::Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            shell_of_yaml(&value, &mut shell);
        } else if name.ends_with(".toml") {
            let value: toml::Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let command = value["build"]["command"].as_str().expect("build.command");
            shell.push(command.to_string());
        } else {
            panic!("{name}: a workflow is YAML or TOML");
        }
        found.insert(name, shell);
    }
    found
}

#[test]
fn every_host_in_the_guide_has_a_workflow_that_parses() {
    let guide = std::fs::read_to_string(repo().join("docs/publishing.md")).unwrap();
    let found = workflows();
    assert_eq!(found.len(), 5, "{:?}", found.keys());
    for name in found.keys() {
        assert!(
            guide.contains(&format!("(publishing/{name})")),
            "{name} not in the guide"
        );
    }
    for host in [
        "GitHub Pages",
        "GitLab Pages",
        "Netlify",
        "Cloudflare Pages",
        "CDN",
    ] {
        assert!(guide.contains(host), "{host}");
    }
}

#[test]
fn workflows_check_then_build_with_commands_that_exist() {
    let bin = env!("CARGO_BIN_EXE_chronicle");
    let mut help = BTreeMap::new();
    for (name, shell) in workflows() {
        let commands: Vec<Vec<String>> = shell.iter().flat_map(|s| chronicle_commands(s)).collect();
        let subcommands: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
        let check = subcommands.iter().position(|&s| s == "check");
        let build = subcommands.iter().position(|&s| s == "build");
        assert!(
            matches!((check, build), (Some(c), Some(b)) if c < b),
            "{name}: runs {subcommands:?}, not check then build"
        );
        assert!(
            shell
                .iter()
                .any(|s| s.contains("cargo install --locked --git \"$CHRONICLE_REPO\" chronicle")),
            "{name}: installs chronicle"
        );
        for command in &commands {
            let text = help.entry(command[0].clone()).or_insert_with(|| {
                let out = Command::new(bin)
                    .args([&command[0], "--help"])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{name}: no command `chronicle {}`",
                    command[0]
                );
                String::from_utf8_lossy(&out.stdout).to_string()
            });
            for option in command.iter().filter(|w| w.starts_with("--")) {
                assert!(
                    text.contains(&format!("{option} ")) || text.contains(&format!("{option}\n")),
                    "{name}: `chronicle {}` has no option {option}",
                    command[0]
                );
            }
        }
    }
}

#[test]
fn commands_are_found_in_shell_text() {
    let shell = "cargo install --locked --git \"$R\" chronicle && \\\n  chronicle check --strict && chronicle build --base-url \"$U/\"\nchronicle  serve";
    assert_eq!(
        chronicle_commands(shell),
        [
            vec!["check", "--strict"],
            vec!["build", "--base-url", "\"$U/\""],
            vec!["serve"],
        ]
    );
}

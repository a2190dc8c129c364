//! Writing the sidecar: an entry's fields, ids in YAML, the article's
//! name, and the provenance of a kept copy.

use std::fmt::Write as _;
use std::path::Path;

use super::names::{self, ActorIndex};
use super::skeleton::{self, comment_text, quote};
use super::{sha256_hex, ImportContext};

/// An entry's threads, topics, candidate actors, names to add, evidence.
pub(super) fn entry_fields(
    y: &mut String,
    text: &str,
    article: &skeleton::ArticleIndex,
    passage: Option<&str>,
    actors: &ActorIndex,
    unknown_limit: Option<usize>,
) {
    let _ = writeln!(
        y,
        "    threads: [TODO]  # TODO: the story thread(s), ids from content/threads.yaml"
    );
    let _ = writeln!(
        y,
        "    topics: []  # topic ids from content/topics.yaml, if any"
    );
    let found = actors.find(text);
    if found.is_empty() {
        let _ = writeln!(
            y,
            "    actors: []  # none of content/actors.yaml is named in the text"
        );
    } else {
        let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
        let written: Vec<String> = found.iter().map(|f| comment_text(&f.written, 40)).collect();
        let _ = writeln!(
            y,
            "    actors: [{}]  # named in the text ({}): keep those involved",
            ids.iter()
                .map(|i| yaml_flow(i))
                .collect::<Vec<_>>()
                .join(", "),
            written.join(", ")
        );
    }
    if let Some(limit) = unknown_limit {
        let unknown = names::unknown_names(text, actors, limit);
        if !unknown.is_empty() {
            let list: Vec<&str> = unknown.iter().map(|(n, _)| n.as_str()).collect();
            let _ = writeln!(
                y,
                "    # also named, not in content/actors.yaml: {}",
                comment_text(&list.join(", "), 200)
            );
        }
    }
    match passage {
        Some(p) => {
            let (passage, unique) = article.evidence(p);
            let _ = writeln!(y, "    evidence:");
            if unique {
                let _ = writeln!(y, "      - {}", quote(&passage));
            } else {
                let _ = writeln!(
                    y,
                    "      - {}  # occurs more than once: add `prefix` or `suffix`",
                    quote(&passage)
                );
            }
        }
        None => {
            let _ = writeln!(
                y,
                "    evidence: []  # passages of the text the entry rests on"
            );
        }
    }
}

/// An id in a flow list: bare when that is safe, quoted otherwise.
fn yaml_flow(id: &str) -> String {
    let safe = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !id.starts_with(['-', '.'])
        && !matches!(
            id.to_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
        && id.parse::<f64>().is_err();
    if safe {
        id.to_string()
    } else {
        quote(id)
    }
}

/// Words of `text` in lines of at most `width` characters.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The article's file name without extension: the outlet and the title's
/// first eight words as a slug (`afp-us-russian-foreign-ministers-to-hold-talks`),
/// else the input's name; unique among `taken`.
pub(super) fn stem_for(ctx: &ImportContext, outlet: Option<&str>, title: Option<&str>) -> String {
    let words = |text: &str, n: usize| -> String {
        slug::slugify(text)
            .split('-')
            .filter(|w| !w.is_empty())
            .take(n)
            .collect::<Vec<_>>()
            .join("-")
    };
    let input = Path::new(ctx.input_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let chosen = ctx
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let mut base = match chosen {
        Some(n) => n,
        None => match title.map(|t| words(t, 8)).filter(|t| !t.is_empty()) {
            Some(t) => match outlet.map(|o| words(o, 3)).filter(|o| !o.is_empty()) {
                Some(o) => format!("{o}-{t}"),
                None => t,
            },
            None => words(&input, 12),
        },
    };
    if base.is_empty() {
        base = "imported".into();
    }
    let mut stem = base.clone();
    let mut n = 2;
    while ctx.taken.contains(&stem) {
        stem = format!("{base}-{n}");
        n += 1;
    }
    stem
}

/// The provenance recorded by `--keep-raw` in a sidecar: the kept copy's
/// file name (beside the sidecar) and its SHA-256.
pub fn raw_provenance(sidecar: &str) -> Option<(String, String)> {
    let line = sidecar
        .lines()
        .find_map(|l| l.trim().strip_prefix("# raw: {"))?;
    let inner = line.strip_suffix('}')?;
    let mut file = None;
    let mut sha = None;
    for part in inner.split(", ") {
        if let Some(v) = part.strip_prefix("file: ") {
            file = Some(v.trim().to_string());
        } else if let Some(v) = part.strip_prefix("sha256: ") {
            sha = Some(v.trim().to_string());
        }
    }
    Some((file?, sha?))
}

/// Whether the raw copy named in the sidecar at `sidecar` is still what was
/// imported: `Ok(true)` when its SHA-256 matches; an error when there is
/// no `# raw:` line or the copy cannot be read.
pub fn verify_raw(sidecar: &Path) -> std::io::Result<bool> {
    let text = std::fs::read_to_string(sidecar)?;
    let (file, sha) = raw_provenance(&text).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no `# raw: {file: ..., sha256: ...}` line in the sidecar",
        )
    })?;
    let dir = sidecar.parent().unwrap_or(Path::new("."));
    let bytes = std::fs::read(dir.join(file))?;
    Ok(sha256_hex(&bytes) == sha)
}

/// The comment line that records what import wrote: the SHA-256 of the
/// sidecar without this line.
const DIGEST: &str = "# import digest: ";

/// The sidecar with its digest line added (after the first comments), so
/// that a later import can tell whether it was edited.
pub(super) fn seal(sidecar: &str) -> String {
    let digest = sha256_hex(sidecar.as_bytes());
    let mut out = String::with_capacity(sidecar.len() + 90);
    let mut inserted = false;
    for line in sidecar.split_inclusive('\n') {
        if !inserted && !line.starts_with('#') {
            out.push_str(&format!(
                "{DIGEST}{digest}  (lets `chronicle import --force` tell whether this file was edited)\n"
            ));
            inserted = true;
        }
        out.push_str(line);
    }
    out
}

/// Whether a sidecar is still as import wrote it: its digest line is there
/// and matches the rest. One without the line (edited, or written by hand)
/// is not.
pub fn untouched(sidecar: &str) -> bool {
    let mut recorded = None;
    let mut rest = String::with_capacity(sidecar.len());
    for line in sidecar.split_inclusive('\n') {
        match line.strip_prefix(DIGEST) {
            Some(d) if recorded.is_none() => {
                recorded = d.split_whitespace().next().map(str::to_string);
            }
            _ => rest.push_str(line),
        }
    }
    recorded.is_some_and(|d| d == sha256_hex(rest.as_bytes()))
}

/// The input a sidecar says it was drafted from (its first line).
pub fn drafted_from(sidecar: &str) -> Option<&str> {
    sidecar
        .lines()
        .next()?
        .strip_prefix("# Annotations drafted by `chronicle import` from ")?
        .strip_suffix('.')
}

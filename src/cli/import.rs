//! `chronicle import`.

use std::path::PathBuf;
use std::process::ExitCode;

use chronicle::import::{ImportOptions, ImportReport};
use clap::Args;
use serde_json::json;

use super::{Format, OutputArgs, SiteArgs};

/// Turn pages saved as HTML or text, or fetched from their URL, into clean
/// articles with annotation skeletons: `<name>.txt` (the report, its
/// debris removed, its wording kept) and `<name>.yaml` (title, outlet,
/// date, provenance, and an entry per live-blog update, or one, with
/// `# TODO` where the editor completes it).
///
/// The inputs are only read. Existing files are never replaced without
/// --force, and a sidecar edited since import never. The removal and keep
/// rules are listed by --explain; a site adds its own in site.toml's
/// [import] table.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The pages: files saved as HTML or as UTF-8 text, or http(s):// URLs
    /// to fetch.
    #[arg(value_name = "FILE|URL", required = true)]
    files: Vec<PathBuf>,
    /// The article's name (its file name without extension), instead of
    /// one made from the outlet and title.
    #[arg(long, value_name = "NAME", value_parser = article_name)]
    name: Option<String>,
    /// How long fetching a URL may take, in seconds (default 30).
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    timeout: Option<std::time::Duration>,
    /// Where to write, relative to the root (default: content/articles).
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// The outlet, instead of the one found in the page.
    #[arg(long, value_name = "OUTLET")]
    source: Option<String>,
    /// The publication date (YYYY-MM-DD, "YYYY-MM-DD HH:MM" or RFC 3339),
    /// instead of the one found; live-blog times are resolved against it.
    #[arg(long, value_name = "DATE", value_parser = published_date)]
    published: Option<String>,
    /// Save a copy of each input beside its article as <name>.raw, its
    /// SHA-256 recorded in the sidecar.
    #[arg(long)]
    keep_raw: bool,
    /// Refresh files that exist: the article's text, and its sidecar only
    /// when it is untouched since import (an edited one is kept and named).
    #[arg(long)]
    force: bool,
    /// The most an input may hold: bytes, or with a unit (64MiB, 512KiB);
    /// default: site.toml's [import] max_size, else 16MiB.
    #[arg(long, value_name = "SIZE", value_parser = chronicle::import::parse_size)]
    max_size: Option<u64>,
    /// List every block removed and the rule that removed it, and every
    /// block a keep rule or the report-prose rule kept (with --format json:
    /// the summary's `explain`).
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// A `--published` the annotations would accept, or why not: a usage
/// error (exit 2), found before any input is read.
fn published_date(text: &str) -> Result<String, String> {
    match chronicle::import::Published::parse(text) {
        Some(_) => Ok(text.trim().to_string()),
        None => Err(format!(
            "not a date or time: give {}",
            chronicle::resolve::dates::PUBLISHED_FORMS
        )),
    }
}

/// A name for the article's files: letters, digits, `-` and `_`.
fn article_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if !name.is_empty()
        && name.len() <= 120
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with('-')
    {
        Ok(name.to_string())
    } else {
        Err("a name is letters, digits, `-` and `_` (such as ap-talks-resume), at most 120".into())
    }
}

/// A time limit in seconds, more than none and at most an hour.
fn seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 3600.0 => Ok(std::time::Duration::from_secs_f64(s)),
        _ => Err("give a number of seconds, more than 0 and at most 3600".into()),
    }
}

pub fn run(args: ImportArgs) -> ExitCode {
    let options = ImportOptions {
        root: args.site.root.clone(),
        inputs: args.files,
        into: args.into,
        source: args.source,
        published: args.published,
        keep_raw: args.keep_raw,
        force: args.force,
        max_size: args.max_size,
        name: args.name,
        timeout: args.timeout,
    };
    let report = chronicle::import::run(&options);
    // Import names every file as seen from the current directory already
    // (`ImportReport::shown`): they are printed as they are.
    super::print_diagnostics(
        &report.diagnostics,
        &report.files,
        std::path::Path::new("."),
        &args.output,
    );
    match args.output.format {
        Format::Human => {
            if args.explain {
                print!("{}", report.explain());
            }
            if !args.output.quiet || !report.written {
                print!("{}", report.summary());
            }
        }
        Format::Json => super::print_json_summary(json_summary(&report, args.explain)),
    }
    super::status(report.written && !report.diagnostics.has_errors())
}

/// What was written, for `--format json`.
fn json_summary(report: &ImportReport, explain: bool) -> serde_json::Value {
    let path = |p: &std::path::Path| report.shown(p);
    let files: Vec<serde_json::Value> = report
        .outcomes
        .iter()
        .map(|o| {
            let i = &o.imported;
            json!({
                "input": path(&o.input),
                "article": path(&o.article_path),
                "sidecar": path(&o.sidecar_path),
                "raw": o.raw_path.as_deref().map(path),
                "paragraphs": i.paragraphs,
                "removed": i.removals.len(),
                "entries": i.entries,
                "todos": i.todos,
                "sha256": i.sha256,
                "kept_sidecar": o.kept_sidecar,
            })
        })
        .collect();
    let mut summary = json!({
        "command": "import",
        "written": report.written,
        "files": if report.written { files } else { Vec::new() },
    });
    if explain {
        summary["explain"] = json!(report.explain());
    }
    summary
}

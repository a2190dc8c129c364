//! `chronicle build`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chronicle::diagnostics::Severity;
use chronicle::BuildReport;
use clap::Args;

use super::check::{counts, CommonArgs};
use super::plural;

/// Build the site into its output directory (site.toml's `output_dir`).
///
/// The output directory is replaced only when the whole build succeeds;
/// a failed build leaves the previous output as it was. A directory
/// that chronicle did not make is never replaced without --force, and
/// two builds of one output never run at once.
#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Where to write the site, instead of site.toml's `output_dir`
    /// (relative to the current directory).
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The URL the site will be served from, instead of site.toml's
    /// `base_url`; may carry a sub-path (https://example.org/chronicle/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Replace an output directory that holds files chronicle did not
    /// write, deleting them. Without it, a build writes only into a new or
    /// empty directory, or one an earlier build made.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    common: CommonArgs,
}

pub fn run(args: BuildArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut options = args.common.options();
    // A command-line output is relative to where the command runs.
    options.overrides.output_dir = args.output.map(|o| cwd.join(o));
    options.overrides.base_url = args.base_url;
    options.take_over_output = args.force;
    // Progress only for a person at a terminal: never in logs, CI, JSON
    // output or with --quiet.
    let output = &args.common.output;
    let bar = (std::io::stderr().is_terminal()
        && !output.quiet
        && matches!(output.format, super::Format::Human))
    .then(|| std::sync::Arc::new(super::progress::Bar::new()));
    if let Some(bar) = &bar {
        options.progress = Some(chronicle::ProgressHook(bar.clone()));
    }
    let report = chronicle::build(&options);
    if let Some(bar) = bar {
        bar.finish();
    }
    args.common.finish(&report, report.succeeded(), summary)
}

fn summary(report: &BuildReport) -> String {
    let s = &report.stats;
    match &report.output {
        Some(output) => format!(
            "built {} from {} ({} on {}) into {} ({} written, {} unchanged); {}",
            plural(s.pages, "page", "pages"),
            plural(s.articles, "article", "articles"),
            plural(s.entries, "entry", "entries"),
            plural(s.days, "day", "days"),
            super::shown(&super::shown_root(output)),
            plural(s.files_written, "file", "files"),
            s.files_unchanged,
            plural(
                report.diagnostics.count(Severity::Warning),
                "warning",
                "warnings"
            )
        ),
        None => format!(
            "build failed: {}; the output was left as it was",
            counts(report)
        ),
    }
}

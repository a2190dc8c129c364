//! `chronicle check`, and the flags it shares with `build`.

use std::process::ExitCode;

use chronicle::config::Overrides;
use chronicle::diagnostics::Severity;
use chronicle::{BuildOptions, BuildReport};
use clap::Args;

use super::{plural, OutputArgs, SiteArgs, StrictArgs};

/// Check the site without writing anything: every file, name, date,
/// passage and id, and every internal link of the rendered pages.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

/// What `build` and `check` share, so that their help reads alike.
#[derive(Args, Debug)]
pub struct CommonArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub strict: StrictArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Print how long each stage took (load, resolve, render, ...).
    #[arg(long, help_heading = "Output")]
    pub timings: bool,
}

impl CommonArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.site.root.clone(),
            overrides: Overrides {
                strict: self.strict.strict,
                ..Overrides::default()
            },
            take_over_output: false,
            progress: None,
        }
    }

    /// Prints the report's diagnostics, the summary unless --quiet and the
    /// timings if asked; the exit status.
    pub fn finish(
        &self,
        report: &BuildReport,
        ok: bool,
        summary: fn(&BuildReport) -> String,
    ) -> ExitCode {
        super::print_diagnostics(
            &report.diagnostics,
            &report.files,
            &self.site.root,
            &self.output,
        );
        if !self.output.quiet {
            eprintln!("{}", summary(report));
        }
        if self.timings {
            print_timings(report);
        }
        super::status(ok)
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    let report = chronicle::check(&args.common.options());
    let ok = !report.diagnostics.has_errors();
    args.common.finish(&report, ok, summary)
}

fn print_timings(report: &BuildReport) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    // Indented stages are parts of the one above them.
    let total: std::time::Duration = report
        .timings
        .0
        .iter()
        .filter(|t| !t.stage.starts_with(' '))
        .map(|t| t.duration)
        .sum();
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    for t in &report.timings.0 {
        let _ = write!(
            err,
            "{:>18}: {:8.1} ms",
            t.stage,
            t.duration.as_secs_f64() * 1000.0
        );
        if let (Some(after), Some(peak)) = (t.heap_after, t.heap_peak) {
            let _ = write!(
                err,
                "   heap {:7.1} MiB after, {:7.1} MiB peak",
                mib(after),
                mib(peak)
            );
        }
        let _ = writeln!(err);
    }
    let _ = writeln!(
        err,
        "{:>18}: {:8.1} ms",
        "total",
        total.as_secs_f64() * 1000.0
    );
    let output = &report.stats.output;
    if !output.0.is_empty() {
        let _ = writeln!(
            err,
            "\n{:>18}  {:>8}  {:>10}  {:>9}",
            "output", "files", "KiB", "KiB/file"
        );
        let kib = |bytes: u64| bytes as f64 / 1024.0;
        let total = output.total();
        for (kind, k) in output
            .0
            .iter()
            .map(|(n, k)| (*n, k))
            .chain([("total", &total)])
        {
            let _ = writeln!(
                err,
                "{kind:>18}  {:>8}  {:>10.1}  {:>9.1}",
                k.files,
                kib(k.bytes),
                kib(k.bytes) / k.files.max(1) as f64
            );
        }
    }
}

/// "2 errors, 1 warning".
pub fn counts(report: &BuildReport) -> String {
    format!(
        "{}, {}",
        plural(report.diagnostics.count(Severity::Error), "error", "errors"),
        plural(
            report.diagnostics.count(Severity::Warning),
            "warning",
            "warnings"
        )
    )
}

fn summary(report: &BuildReport) -> String {
    let s = &report.stats;
    format!(
        "checked {}: {} on {}, {}, {}, {}, {} verified; {} rendered, their internal links checked; {}",
        plural(s.articles, "article", "articles"),
        plural(s.entries, "entry", "entries"),
        plural(s.days, "day", "days"),
        plural(s.actors, "actor", "actors"),
        plural(s.topics, "topic", "topics"),
        plural(s.threads, "thread", "threads"),
        plural(s.passages, "evidence passage", "evidence passages"),
        plural(s.pages, "page", "pages"),
        counts(report)
    )
}

//! The `chronicle` command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// A build makes and frees many small strings and maps from several threads
// at once; with the system allocator a quarter of its time went into malloc
// and free (docs/decisions.md).
#[cfg(not(feature = "heap-stats"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "heap-stats")]
#[global_allocator]
static ALLOCATOR: chronicle::heap::Counting<mimalloc::MiMalloc> =
    chronicle::heap::Counting(mimalloc::MiMalloc);

use chronicle::config::Overrides;
use chronicle::diagnostics::{self, Severity};
use chronicle::{BuildOptions, BuildReport};
use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

/// Build a static website from an annotated crisis chronicle: source
/// articles, the dated entries editors annotate in them, and registries of
/// actors, topics and story threads.
#[derive(Parser, Debug)]
#[command(name = "chronicle", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into its output directory (site.toml's `output_dir`).
    ///
    /// The output directory is replaced only when the whole build succeeds;
    /// a failed build leaves the previous output as it was.
    Build(BuildArgs),
    /// Check the site without writing anything: every file, name, date,
    /// passage and id, and every internal link of the rendered pages.
    Check(CommonArgs),
    /// Turn pages saved as text into clean articles with annotation
    /// skeletons: `<name>.txt` (the report, its debris removed, its wording
    /// kept) and `<name>.yaml` (title, outlet, date, and an entry per
    /// live-blog update, or one, with `# TODO` where the editor completes it).
    ///
    /// The inputs are only read. Existing files are never replaced without
    /// --force. The removal rules are listed by --explain; a site adds its
    /// own in site.toml's [import] table.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The saved pages (UTF-8 text).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write, relative to the root (default: content/articles).
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// The outlet, instead of the one found in the page.
    #[arg(long, value_name = "OUTLET")]
    source: Option<String>,
    /// The publication date (YYYY-MM-DD, "YYYY-MM-DD HH:MM" or RFC 3339),
    /// instead of the one found; live-blog times are resolved against it.
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// Save a copy of each input beside its article as <name>.raw, its
    /// SHA-256 recorded in the sidecar.
    #[arg(long)]
    keep_raw: bool,
    /// Replace files that exist.
    #[arg(long)]
    force: bool,
    /// List every block removed and the rule that removed it.
    #[arg(long)]
    explain: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,
    /// Print only problems (and --explain's list), not what was written.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct CommonArgs {
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors, as `strict = true` in site.toml does.
    #[arg(long)]
    strict: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,
    /// How to print diagnostics: `human` (snippets, on stderr) or `json`
    /// (one JSON object per diagnostic and line, on stdout).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    format: Format,
    /// Print only problems, not the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print how long each stage took (load, resolve, render, ...).
    #[arg(long)]
    timings: bool,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Where to write the site, instead of site.toml's `output_dir`
    /// (relative to the current directory).
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The URL the site will be served from, instead of site.toml's
    /// `base_url`; may carry a sub-path (https://example.org/chronicle/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = std::env::current_dir().unwrap_or_default();
    match cli.command {
        Command::Build(args) => {
            let options = options(
                &args.common,
                args.output.map(|o| cwd.join(o)),
                args.base_url,
            );
            let report = chronicle::build(&options);
            finish(&args.common, &report, report.succeeded(), build_summary)
        }
        Command::Check(args) => {
            let options = options(&args, None, None);
            let report = chronicle::check(&options);
            let ok = !report.diagnostics.has_errors();
            finish(&args, &report, ok, check_summary)
        }
        Command::Import(args) => {
            let options = chronicle::import::ImportOptions {
                root: args.root,
                inputs: args.files,
                into: args.into,
                source: args.source,
                published: args.published,
                keep_raw: args.keep_raw,
                force: args.force,
            };
            let color = match args.color {
                Color::Always => ColorChoice::Always,
                Color::Never => ColorChoice::Never,
                Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
                Color::Auto => ColorChoice::Never,
            };
            ExitCode::from(chronicle::import::run_cli(
                &options,
                args.explain,
                args.quiet,
                color,
            ))
        }
    }
}

fn options(
    common: &CommonArgs,
    output_dir: Option<PathBuf>,
    base_url: Option<String>,
) -> BuildOptions {
    BuildOptions {
        root: common.root.clone(),
        overrides: Overrides {
            // A command-line output is relative to where the command runs.
            output_dir,
            base_url,
            strict: common.strict,
        },
    }
}

fn finish(
    args: &CommonArgs,
    report: &BuildReport,
    ok: bool,
    summary: fn(&BuildReport) -> String,
) -> ExitCode {
    match args.format {
        Format::Human => print_human(report, args.color),
        Format::Json => print_json(report),
    }
    if !args.quiet {
        let _ = writeln!(std::io::stderr(), "{}", summary(report));
    }
    if args.timings {
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
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_human(report: &BuildReport, color: Color) {
    let choice = match color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
        Color::Auto => ColorChoice::Never,
    };
    let stream = StandardStream::stderr(choice);
    let mut lock = stream.lock();
    let _ = diagnostics::emit(&mut lock, &report.diagnostics, &report.files);
}

fn print_json(report: &BuildReport) {
    let mut out = std::io::stdout().lock();
    for d in report.diagnostics.items() {
        if let Ok(line) = serde_json::to_string(&d.positioned(&report.files)) {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// "1 entry", "2 entries".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn counts(report: &BuildReport) -> String {
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

fn build_summary(report: &BuildReport) -> String {
    let s = &report.stats;
    match &report.output {
        Some(output) => format!(
            "built {} from {} ({} on {}) into {} ({} written, {} unchanged); {}",
            plural(s.pages, "page", "pages"),
            plural(s.articles, "article", "articles"),
            plural(s.entries, "entry", "entries"),
            plural(s.days, "day", "days"),
            output.display(),
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

fn check_summary(report: &BuildReport) -> String {
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

//! The `chronicle` command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

#[derive(Args, Debug)]
struct BuildArgs {
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write the site, instead of site.toml's `output_dir`
    /// (relative to the current directory).
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The URL the site will be served from, instead of site.toml's
    /// `base_url`; may carry a sub-path (https://example.org/chronicle/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Treat warnings as errors, as `strict = true` in site.toml does.
    #[arg(long)]
    strict: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,
    /// Print only problems, not the summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let options = BuildOptions {
        root: args.root.clone(),
        overrides: Overrides {
            // A command-line output is relative to where the command runs.
            output_dir: args.output.map(|o| cwd.join(o)),
            base_url: args.base_url,
            strict: args.strict,
        },
    };
    let report = chronicle::build(&options);
    print_diagnostics(&report, args.color);
    if !args.quiet {
        summary(&report);
    }
    if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_diagnostics(report: &BuildReport, color: Color) {
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

fn summary(report: &BuildReport) {
    let errors = report.diagnostics.count(Severity::Error);
    let warnings = report.diagnostics.count(Severity::Warning);
    let s = &report.stats;
    let mut err = std::io::stderr();
    match &report.output {
        Some(output) => {
            let _ = writeln!(
                err,
                "built {} pages from {} articles ({} entries on {} days) into {}; {warnings} warning{}",
                s.pages,
                s.articles,
                s.entries,
                s.days,
                output.display(),
                if warnings == 1 { "" } else { "s" }
            );
        }
        None => {
            let _ = writeln!(
                err,
                "build failed: {errors} error{}, {warnings} warning{}; the output was left as it was",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
    }
}

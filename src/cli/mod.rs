//! The commands, one module each, and what they share: the flags defined
//! once ([`SiteArgs`], [`StrictArgs`], [`OutputArgs`]), the printing of
//! diagnostics (human or JSON, paths as seen from where the command runs)
//! and the exit statuses.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chronicle::diagnostics::{self, Diagnostics, SourceFiles};
use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

mod build;
mod check;
mod import;
mod init;
mod new;
mod progress;
mod serve;

/// Exit status: content or input errors.
pub const FAILURE: u8 = 1;
/// Exit status: a usage error (clap's own, and option values that cannot be used).
pub const USAGE: u8 = 2;

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
    Build(build::BuildArgs),
    Check(check::CheckArgs),
    Import(import::ImportArgs),
    Init(init::InitArgs),
    #[command(subcommand)]
    New(new::NewCommand),
    Serve(serve::ServeArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Import(args) => import::run(args),
        Command::Init(args) => init::run(args),
        Command::New(what) => new::run(what),
        Command::Serve(args) => serve::run(args),
    }
}

/// `--root`, for every command working in a site.
#[derive(Args, Debug)]
#[command(next_help_heading = "Site")]
pub struct SiteArgs {
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// `--strict`, for the commands that build.
#[derive(Args, Debug)]
#[command(next_help_heading = "Site")]
pub struct StrictArgs {
    /// Treat warnings as errors, as `strict = true` in site.toml does.
    #[arg(long)]
    pub strict: bool,
}

/// How a command prints: `--color`, `--format`, `--quiet`.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    pub color: Color,
    /// How to print: `human` (diagnostics with snippets on stderr, what was
    /// done on stdout) or `json` (one JSON object per diagnostic and line on
    /// stdout; `import`, `init` and `new` end with a `{"summary": ...}` line).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,
    /// Print only problems, not the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

impl Color {
    /// The colour choice for stderr: `auto` colours only a terminal.
    pub fn choice(self) -> ColorChoice {
        match self {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        }
    }
}

/// The site root as the paths printed should start: relative to the current
/// directory when it is below it, else as given.
pub fn shown_root(root: &Path) -> PathBuf {
    if root.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = root.strip_prefix(&cwd) {
                return rel.to_path_buf();
            }
        }
    }
    root.to_path_buf()
}

/// Prints diagnostics whose paths are relative to `root` (the site root as
/// given), so that each names its file as seen from the current directory:
/// with snippets on stderr, or one JSON object per line on stdout.
pub fn print_diagnostics(
    diagnostics: &Diagnostics,
    files: &SourceFiles,
    root: &Path,
    output: &OutputArgs,
) {
    let (diagnostics, files) = diagnostics::rebased(diagnostics, files, &shown_root(root));
    match output.format {
        Format::Human => {
            let stream = StandardStream::stderr(output.color.choice());
            let mut lock = stream.lock();
            let _ = diagnostics::emit(&mut lock, &diagnostics, &files);
        }
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in diagnostics.items() {
                if let Ok(line) = serde_json::to_string(&d.positioned(&files)) {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
}

/// Prints the final `{"summary": ...}` line of `--format json`.
pub fn print_json_summary(summary: serde_json::Value) {
    let line = serde_json::json!({ "summary": summary });
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// A path as printed: `/` between parts, safe for a terminal.
pub fn shown(path: &Path) -> String {
    diagnostics::for_terminal(&path.to_string_lossy().replace('\\', "/"))
}

/// "1 entry", "2 entries".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The exit status of a command that printed its problems.
pub fn status(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILURE)
    }
}

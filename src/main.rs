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
    /// a failed build leaves the previous output as it was. A directory
    /// that chronicle did not make is never replaced without --force, and
    /// two builds of one output never run at once.
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
    /// Create a new site, ready to build: site.toml, the three registries
    /// and an example article, each with one commented example, and the
    /// default theme in themes/default/.
    ///
    /// Refuses a directory that is not empty (hidden entries such as .git
    /// aside) unless --force; no file that exists is ever replaced.
    Init(InitArgs),
    /// Add an article skeleton, or an actor, topic or thread to its registry.
    #[command(subcommand)]
    New(NewCommand),
    /// Serve the site on a local address while you edit it: built in memory
    /// (the output directory is not touched), rebuilt when content/,
    /// templates/, themes/, static/ or site.toml change, open pages reloaded.
    ///
    /// Rebuilds do only what a change needs: an edited, added or removed
    /// article is resolved on its own, and only the pages showing what
    /// changed are rendered again, when next asked for.
    ///
    /// A failed rebuild keeps the last good site served, with the problems
    /// shown over every page and on the terminal, until they are fixed.
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The port to listen on; 0 picks a free one (the URL printed says which).
    #[arg(long, value_name = "N", default_value_t = chronicle::serve::DEFAULT_PORT)]
    port: u16,
    /// The address to listen on; anything but loopback exposes the site to
    /// other machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the browser once it is served.
    #[arg(long)]
    open: bool,
    /// Treat warnings as errors, as `strict = true` in site.toml does.
    #[arg(long)]
    strict: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Args, Debug)]
struct InitArgs {
    /// The new site's directory, created if missing.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Write into a directory that is not empty; files that exist are kept.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand, Debug)]
enum NewCommand {
    /// Create content/articles/PATH.md with a front matter skeleton, or
    /// PATH.txt (empty, for the report) and its sidecar PATH.yaml.
    ///
    /// Never replaces a file; PATH stays below content/articles.
    Article(NewArticleArgs),
    /// Append an actor to content/actors.yaml (created if missing).
    Actor(NewActorArgs),
    /// Append a topic to content/topics.yaml (created if missing).
    Topic(NewItemArgs),
    /// Append a thread to content/threads.yaml (created if missing); --name
    /// is its title.
    Thread(NewItemArgs),
}

#[derive(Args, Debug)]
struct NewArticleArgs {
    /// Below content/articles, such as 2022/01/wire-moscow (.md is added)
    /// or 2022/01/wire-moscow.txt.
    #[arg(value_name = "PATH")]
    path: String,
    /// The outlet.
    #[arg(long, value_name = "OUTLET")]
    source: Option<String>,
    /// The publication date: YYYY-MM-DD, "YYYY-MM-DD HH:MM" or RFC 3339
    /// (default: today).
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// The report's headline.
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Args, Debug)]
struct NewItemArgs {
    /// The id: letters, digits and hyphens; it makes the page address.
    #[arg(value_name = "ID")]
    id: String,
    /// The name shown (a thread's title).
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Another name the item is known by (repeatable).
    #[arg(long = "alias", value_name = "ALIAS")]
    aliases: Vec<String>,
    /// The site's root directory, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Args, Debug)]
struct NewActorArgs {
    #[command(flatten)]
    item: NewItemArgs,
    /// person, state, organisation or group.
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
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
    /// The most an input may hold: bytes, or with a unit (64MiB, 512KiB);
    /// default: site.toml's [import] max_size, else 16MiB.
    #[arg(long, value_name = "SIZE", value_parser = chronicle::import::parse_size)]
    max_size: Option<u64>,
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
    /// Replace an output directory that holds files chronicle did not
    /// write, deleting them. Without it, a build writes only into a new or
    /// empty directory, or one an earlier build made.
    #[arg(long)]
    force: bool,
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
            let mut options = options(
                &args.common,
                args.output.map(|o| cwd.join(o)),
                args.base_url,
            );
            options.take_over_output = args.force;
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
                max_size: args.max_size,
            };
            let color = args.color.choice();
            ExitCode::from(chronicle::import::run_cli(
                &options,
                args.explain,
                args.quiet,
                color,
            ))
        }
        Command::Init(args) => ExitCode::from(chronicle::scaffold::run_init(&args.dir, args.force)),
        Command::New(what) => ExitCode::from(new_command(what)),
        Command::Serve(args) => {
            let options = chronicle::serve::ServeOptions {
                root: args.root,
                bind: args.bind,
                port: args.port,
                strict: args.strict,
                verbose: true,
                color: args.color.choice(),
                ..chronicle::serve::ServeOptions::default()
            };
            match chronicle::serve::run(&options, args.open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot serve: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// `chronicle new ...`: its exit status.
fn new_command(what: NewCommand) -> u8 {
    use chronicle::scaffold::{self, NewItem, RegistryKind};
    let item = |registry, args: NewItemArgs, kind| {
        let root = args.root;
        let item = NewItem {
            registry,
            id: args.id,
            name: args.name,
            kind,
            aliases: args.aliases,
        };
        scaffold::run_new_item(&root, &item)
    };
    match what {
        NewCommand::Article(args) => scaffold::run_new_article(
            &args.root,
            &scaffold::NewArticle {
                path: args.path,
                title: args.title,
                source: args.source,
                published: args.published,
            },
        ),
        NewCommand::Actor(args) => item(RegistryKind::Actor, args.item, args.kind),
        NewCommand::Topic(args) => item(RegistryKind::Topic, args, None),
        NewCommand::Thread(args) => item(RegistryKind::Thread, args, None),
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
        take_over_output: false,
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

impl Color {
    /// The colour choice for stderr: `auto` colours only a terminal.
    fn choice(self) -> ColorChoice {
        match self {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        }
    }
}

fn print_human(report: &BuildReport, color: Color) {
    let stream = StandardStream::stderr(color.choice());
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

//! `chronicle new article|actor|topic|thread`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chronicle::diagnostics::{Diagnostics, SourceFiles};
use chronicle::scaffold::{self, NewItem, RegistryKind};
use clap::{Args, Subcommand};
use serde_json::json;

use super::{shown, Format, OutputArgs, SiteArgs};

/// Add an article skeleton, or an actor, topic or thread to its registry.
#[derive(Subcommand, Debug)]
pub enum NewCommand {
    /// Create content/articles/PATH.md with a front matter skeleton, or
    /// PATH.txt (empty, for the report) and its sidecar PATH.yaml.
    ///
    /// Never replaces a file; PATH stays below content/articles.
    Article(NewArticleArgs),
    /// Append an actor to content/actors.yaml (created if missing).
    Actor(NewActorArgs),
    /// Append a topic to content/topics.yaml (created if missing).
    Topic(NewTopicArgs),
    /// Append a thread to content/threads.yaml (created if missing).
    Thread(NewThreadArgs),
}

#[derive(Args, Debug)]
pub struct NewArticleArgs {
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
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What every registry item takes but its name.
#[derive(Args, Debug)]
pub struct ItemArgs {
    /// The id: letters, digits and hyphens (such as `lavrov`); it makes the
    /// page address.
    #[arg(value_name = "ID")]
    id: String,
    /// Another name the item is known by (repeatable).
    #[arg(long = "alias", value_name = "ALIAS")]
    aliases: Vec<String>,
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct NewActorArgs {
    /// The actor's name, as shown ("Sergey Lavrov").
    #[arg(long, value_name = "NAME")]
    name: String,
    /// person, state, organisation (or organization) or group.
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// The actor's role, shown with the name ("Foreign minister of Russia").
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
    /// What the actor belongs to: another actor's id or name.
    #[arg(long, value_name = "ACTOR")]
    affiliation: Option<String>,
    #[command(flatten)]
    item: ItemArgs,
}

#[derive(Args, Debug)]
pub struct NewTopicArgs {
    /// The topic's name, as shown ("Energy").
    #[arg(long, value_name = "NAME")]
    name: String,
    #[command(flatten)]
    item: ItemArgs,
}

#[derive(Args, Debug)]
pub struct NewThreadArgs {
    /// The thread's title, as shown ("Talks in Geneva").
    #[arg(long, value_name = "TITLE")]
    name: String,
    #[command(flatten)]
    item: ItemArgs,
}

pub fn run(what: NewCommand) -> ExitCode {
    match what {
        NewCommand::Article(args) => article(args),
        NewCommand::Actor(args) => item(
            RegistryKind::Actor,
            args.name,
            args.item,
            (args.kind, args.role, args.affiliation),
        ),
        NewCommand::Topic(args) => item(
            RegistryKind::Topic,
            args.name,
            args.item,
            Default::default(),
        ),
        NewCommand::Thread(args) => item(
            RegistryKind::Thread,
            args.name,
            args.item,
            Default::default(),
        ),
    }
}

fn article(args: NewArticleArgs) -> ExitCode {
    let root = &args.site.root;
    let new = scaffold::NewArticle {
        path: args.path,
        title: args.title,
        source: args.source,
        published: args.published,
    };
    let today = chrono::Local::now().date_naive();
    let written = match scaffold::new_article(root, &new, today) {
        Ok(written) => written,
        Err(e) => return fail(&e, root, &args.output),
    };
    let at = |p: &PathBuf| shown(&super::shown_root(root).join(p));
    match args.output.format {
        Format::Json => super::print_json_summary(json!({
            "command": "new article",
            "written": written.iter().map(at).collect::<Vec<_>>(),
        })),
        Format::Human if !args.output.quiet => {
            for path in &written {
                println!("wrote {}", at(path));
            }
            println!(
                "Paste the report into {} exactly as published, then annotate its entries.",
                at(&written[0])
            );
        }
        Format::Human => {}
    }
    ExitCode::SUCCESS
}

fn item(
    registry: RegistryKind,
    name: String,
    args: ItemArgs,
    (kind, role, affiliation): (Option<String>, Option<String>, Option<String>),
) -> ExitCode {
    let root = &args.site.root;
    let item = NewItem {
        registry,
        id: args.id,
        name,
        kind,
        aliases: args.aliases,
        role,
        affiliation,
    };
    let file = match scaffold::new_item(root, &item) {
        Ok(file) => file,
        Err(e) => return fail(&e, root, &args.output),
    };
    let file = shown(&super::shown_root(root).join(file));
    match args.output.format {
        Format::Json => super::print_json_summary(json!({
            "command": format!("new {}", registry.word()),
            "added": item.id,
            "file": file,
        })),
        Format::Human if !args.output.quiet => println!(
            "added {} `{}` to {file}",
            registry.word(),
            chronicle::diagnostics::for_terminal(&item.id),
        ),
        Format::Human => {}
    }
    ExitCode::SUCCESS
}

/// Prints why `init` or `new` wrote nothing, its file relative to `root`;
/// exits 2 for a bad argument, 1 otherwise.
pub fn fail(e: &scaffold::Error, root: &Path, output: &OutputArgs) -> ExitCode {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(e.to_diagnostic());
    super::print_diagnostics(&diagnostics, &SourceFiles::default(), root, output);
    ExitCode::from(if e.is_usage() {
        super::USAGE
    } else {
        super::FAILURE
    })
}

//! `chronicle serve`.

use std::process::ExitCode;

use clap::Args;

use super::{Color, SiteArgs, StrictArgs};

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
#[derive(Args, Debug)]
pub struct ServeArgs {
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
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    strict: StrictArgs,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = Color::Auto, help_heading = "Output")]
    color: Color,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let options = chronicle::serve::ServeOptions {
        root: args.site.root,
        bind: args.bind,
        port: args.port,
        strict: args.strict.strict,
        verbose: true,
        color: args.color.choice(),
        ..chronicle::serve::ServeOptions::default()
    };
    match chronicle::serve::run(&options, args.open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            ExitCode::from(super::FAILURE)
        }
    }
}

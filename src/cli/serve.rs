//! `chronicle serve`.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use chronicle::serve::site::{Outcome, RebuildKind};
use chronicle::serve::{Event, Listener, ServeOptions};
use clap::Args;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

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
        listener: Some(terminal(args.color.choice())),
        ..ServeOptions::default()
    };
    match serve(&options, args.open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            ExitCode::from(super::FAILURE)
        }
    }
}

/// What serve has to say, on stderr.
fn terminal(color: ColorChoice) -> Listener {
    Listener(Arc::new(move |event: &Event| match event {
        Event::Rebuilt { outcome, took } => report(outcome, *took, color),
        Event::WatchFailed(why) => eprintln!(
            "serve: watching failed: {}",
            chronicle::diagnostics::for_terminal(why)
        ),
        Event::RenderFailed { path, problems } => {
            for problem in problems.iter() {
                eprintln!(
                    "serve: cannot render {}: {}",
                    chronicle::diagnostics::for_terminal(path),
                    chronicle::diagnostics::for_terminal(&problem.to_string())
                );
            }
        }
    }))
}

/// Prints a build's diagnostics and a one-line summary on stderr.
fn report(outcome: &Outcome, took: Duration, color: ColorChoice) {
    let report = &outcome.report;
    let stream = StandardStream::stderr(color);
    let mut lock = stream.lock();
    let _ = chronicle::diagnostics::emit(&mut lock, &report.diagnostics, &report.files);
    let ms = took.as_secs_f64() * 1000.0;
    let _ = if outcome.built.is_some() {
        match &outcome.kind {
            RebuildKind::Full => writeln!(
                lock,
                "serve: built {} pages in {ms:.0} ms",
                report.stats.pages
            ),
            RebuildKind::Articles { articles, stale } => writeln!(
                lock,
                "serve: resolved {articles} changed article(s) again in {ms:.0} ms ({}); \
                 {stale} pages to render again when asked for",
                report
                    .timings
                    .0
                    .iter()
                    .map(|t| format!("{} {:.1} ms", t.stage, t.duration.as_secs_f64() * 1000.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            RebuildKind::Templates { stale } => writeln!(
                lock,
                "serve: loaded the templates again in {ms:.0} ms; {stale} pages to render again when asked for"
            ),
            RebuildKind::Static => {
                writeln!(lock, "serve: read the static files again in {ms:.0} ms")
            }
        }
    } else {
        writeln!(
            lock,
            "serve: build failed ({} errors) in {ms:.0} ms; serving the last good build with the errors shown",
            report.diagnostics.count(chronicle::diagnostics::Severity::Error)
        )
    };
}

/// Starts, prints the URL, opens a browser if asked, and serves until
/// killed.
fn serve(options: &ServeOptions, open: bool) -> io::Result<()> {
    let server = chronicle::serve::start(options)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "serving {} at {} (watching content/, templates/, themes/, static/ and site.toml; Ctrl-C to stop)",
        options.root.display(),
        server.url()
    )?;
    out.flush()?;
    drop(out);
    if !server.addr().ip().is_loopback() {
        eprintln!(
            "serve: listening on {}, reachable from other machines",
            server.addr()
        );
    }
    if open {
        open_browser(server.url());
    }
    server.wait();
    Ok(())
}

/// Opens `url` in the desktop's browser; failure is ignored.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

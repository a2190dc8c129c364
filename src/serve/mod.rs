//! `chronicle serve`: the site built in memory, served over HTTP on a local
//! address, rebuilt when its sources change, with open pages told to
//! reload.
//!
//! - `conn`: accepting connections and answering their requests, over
//!   hyper's HTTP/1.1 on a tokio runtime;
//! - [`http`]: what is ours in HTTP: which hosts and origins are answered,
//!   request paths to site paths, content types, injected snippets (pure
//!   functions);
//! - [`site`]: the in-memory site and rebuilding it, as little as each
//!   change needs; `stale` says which pages a change makes stale, and
//!   [`cache`] keeps the rendered pages within a budget;
//! - [`watch`]: watching the sources, debounced;
//! - [`limits`]: how many connections of each kind are held.
//!
//! One thread runs the server: a single-threaded tokio runtime that
//! accepts connections and serves them as tasks, keeping each connection
//! alive for further requests, with pages rendered on its pool of
//! blocking threads. One thread watches and rebuilds. The site in memory
//! is swapped whole under a lock, so a request sees one build or the next,
//! never a mix.
//!
//! Every connection is bounded in time and counted with its kind: a
//! connection waiting for a request head (at most [`MAX_WAITING`], each
//! given [`HEAD_TIMEOUT`] for the head), a page being answered (at most
//! [`MAX_PAGES`] at once, each written within [`RESPONSE_TIMEOUT`]), an
//! event stream (at most [`MAX_STREAMS`], each ended after
//! [`STREAM_LIFETIME`]). Idle or slow clients therefore cannot keep pages
//! from being served, and only requests naming this server (see
//! [`http::host_allowed`]) are answered.

mod built;
pub mod cache;
mod conn;
pub mod http;
pub mod limits;
pub mod patch;
pub mod site;
mod stale;
pub mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hyper::body::Bytes;
use hyper::header::{self, HeaderName};
use tokio::sync::{watch as generations, Notify};

use crate::diagnostics::Code;
use crate::diagnostics::Positioned;
use limits::{Pool, Slots};
use site::{Builder, Lookup, Outcome, SiteState};

/// The port `chronicle serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 1111;

/// How long a client may take to send a request head, unless told
/// otherwise: from the moment it connects, or on a kept-alive connection
/// from the moment the last answer was all written. The connection is
/// then closed, with a 408 if part of a head came.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long writing an answer may take, from the moment the page is made
/// (a client that reads too slowly is cut off).
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an event stream lasts, unless told otherwise; the page's
/// `EventSource` then connects again by itself.
pub const STREAM_LIFETIME: Duration = Duration::from_secs(300);
/// Connections waiting for a request head (a new connection, or a
/// kept-alive one between requests); one more cuts off the one that has
/// been waiting longest.
pub const MAX_WAITING: usize = 256;
/// Page requests answered at once; more get 503 at once.
pub const MAX_PAGES: usize = 128;
/// Event streams open at once; one more ends the oldest (whose page
/// connects again after a second, ending the next oldest in turn).
pub const MAX_STREAMS: usize = 64;

/// What serve has to say while it runs, for whoever runs it to show.
pub enum Event<'a> {
    /// A build or rebuild ended, well or not, after `took`.
    Rebuilt {
        outcome: &'a Outcome,
        took: Duration,
    },
    /// Watching the site's files failed.
    WatchFailed(&'a str),
    /// The page at `path` was asked for and could not be rendered.
    RenderFailed {
        path: &'a str,
        problems: &'a [crate::diagnostics::Positioned],
    },
}

/// Receives serve's [`Event`]s, from the threads that serve and rebuild.
#[derive(Clone)]
pub struct Listener(pub Arc<dyn Fn(&Event) + Send + Sync>);

impl Listener {
    fn tell(&self, event: &Event) {
        (self.0)(event)
    }
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root directory (holding site.toml).
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Who is told what happens (builds, their problems, pages that fail);
    /// nobody when `None`. The library prints nothing itself.
    pub listener: Option<Listener>,
    /// How long a client may take to send its whole request head.
    pub head_timeout: Duration,
    /// How long an event stream lasts before the server ends it (the
    /// page's `EventSource` then connects again).
    pub stream_lifetime: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            strict: false,
            listener: None,
            head_timeout: HEAD_TIMEOUT,
            stream_lifetime: STREAM_LIFETIME,
        }
    }
}

/// What the server's tasks and the rebuild thread share.
struct ServerState {
    site: RwLock<Arc<SiteState>>,
    /// The generation of the last rebuild, which the event streams watch.
    reloads: generations::Sender<u64>,
    stopping: AtomicBool,
    /// Wakes the server to stop.
    stop: Notify,
    /// Connections waiting for a request head.
    waiting: Arc<Pool>,
    /// Page requests being answered.
    pages: Arc<Slots>,
    /// Open event streams.
    streams: Arc<Pool>,
    head_timeout: Duration,
    stream_lifetime: Duration,
    /// The port served, which a `Host` header's port must be.
    port: u16,
    /// The machine's name, accepted as a `Host` when bound to an address
    /// other machines reach.
    hostname: Option<String>,
    /// Print pages that fail to render on request on stderr.
    listener: Option<Listener>,
}

impl ServerState {
    fn current(&self) -> Arc<SiteState> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A running server; [`Server::stop`] (or dropping it) stops it.
pub struct Server {
    addr: SocketAddr,
    url: String,
    shared: Arc<ServerState>,
    watch_send: mpsc::Sender<watch::Message>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's URL (`http://127.0.0.1:1111/`), its pages' base_url.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The number of rebuilds so far (the first build is 1).
    pub fn generation(&self) -> u64 {
        self.shared.current().generation
    }

    /// Waits until the server stops (never, unless it is stopped from
    /// another thread).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Stops accepting, stops watching, closes every connection (the
    /// event streams with them).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.watch_send.send(watch::Message::Stop);
        self.shared.stop.notify_one();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.shutdown();
        }
    }
}

/// A connectable address for `addr` (an unspecified one becomes loopback).
fn wake_addr(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// Builds the site, binds, and starts serving and watching in background
/// threads. The first build may fail: the server then answers with the
/// problems until a rebuild succeeds.
pub fn start(options: &ServeOptions) -> io::Result<Server> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", options.root.display())))?;
    let listener = TcpListener::bind((options.bind, options.port))?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(MAX_PAGES)
        .thread_name("chronicle-serve")
        .build()?;
    let listener = {
        let _inside = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let url = format!("http://{}/", wake_addr(addr));
    // Bound to every interface, the site is visited under names this
    // machine cannot know: its links then leave out the host.
    let base_url = if addr.ip().is_unspecified() {
        "/"
    } else {
        url.as_str()
    };
    let mut builder = Builder::new(&root, base_url, options.strict);

    // Watch before the first build, so that an edit made during it is seen.
    let (watch_send, watch_receive) = mpsc::channel();
    let mut watcher = watch::Watcher::new(&root, watch_send.clone())
        .map_err(|e| io::Error::other(format!("cannot watch {}: {e}", root.display())))?;
    let told = options.listener.clone();
    let start = Instant::now();
    let mut outcome = rebuild(&mut builder, &[]);
    if let Some(told) = &told {
        told.tell(&Event::Rebuilt {
            outcome: &outcome,
            took: start.elapsed(),
        });
    }
    let state = SiteState::default().apply(&mut outcome);
    let shared = Arc::new(ServerState {
        reloads: generations::Sender::new(state.generation),
        site: RwLock::new(Arc::new(state)),
        stopping: AtomicBool::new(false),
        stop: Notify::new(),
        waiting: Pool::new(MAX_WAITING),
        pages: Slots::new(MAX_PAGES),
        streams: Pool::new(MAX_STREAMS),
        head_timeout: options.head_timeout,
        stream_lifetime: options.stream_lifetime,
        port: addr.port(),
        hostname: if addr.ip().is_loopback() {
            None
        } else {
            machine_hostname()
        },
        listener: told.clone(),
    });

    let mut threads = Vec::new();
    let rebuild_shared = Arc::clone(&shared);
    threads.push(std::thread::spawn(move || {
        let watch_told = told.clone();
        let mut on_error = |e: &str| {
            if let Some(told) = &watch_told {
                told.tell(&Event::WatchFailed(e));
            }
        };
        while let Some(changed) = watch::next_batch(&watch_receive, &mut watcher, &mut on_error) {
            if rebuild_shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            let start = Instant::now();
            let mut outcome = rebuild(&mut builder, &changed);
            if let Some(told) = &told {
                told.tell(&Event::Rebuilt {
                    outcome: &outcome,
                    took: start.elapsed(),
                });
            }
            swap_in(&rebuild_shared, &mut outcome);
        }
    }));

    let serve_shared = Arc::clone(&shared);
    threads.push(std::thread::spawn(move || {
        runtime.block_on(conn::accept_loop(listener, serve_shared));
        // Ends every connection; a page still rendering is given a moment.
        runtime.shutdown_timeout(Duration::from_secs(1));
    }));

    Ok(Server {
        addr,
        url,
        shared,
        watch_send,
        threads,
    })
}

/// Rebuilds; a panic in the pipeline becomes a failed build, so that the
/// server goes on with the last good site.
fn rebuild(builder: &mut Builder, changed: &[PathBuf]) -> Outcome {
    let run = std::panic::AssertUnwindSafe(|| builder.rebuild(changed));
    std::panic::catch_unwind(run).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut report = crate::BuildReport::default();
        report.diagnostics.push(
            crate::diagnostics::Diagnostic::error(
                Code::InternalError,
                format!("the build stopped on a bug in chronicle: {what}"),
            )
            .with_hint("please report it, with the file you last changed"),
        );
        Outcome {
            built: None,
            report,
            kind: site::RebuildKind::Full,
        }
    })
}

/// Replaces the served site with a rebuild's outcome and tells the pages.
fn swap_in(shared: &ServerState, outcome: &mut Outcome) {
    let generation = {
        let mut site = shared.site.write().unwrap_or_else(|e| e.into_inner());
        let next = site.apply(outcome);
        let generation = next.generation;
        *site = Arc::new(next);
        generation
    };
    shared.reloads.send_replace(generation);
}

/// The body of the 403 for a `Host` this server does not answer to.
fn refused_host(shared: &ServerState) -> String {
    let also = match &shared.hostname {
        Some(name) => format!(", {name}"),
        None => String::new(),
    };
    format!(
        "this server answers only to localhost, *.localhost, IP addresses{also} \
         (and port {}): a defence against DNS rebinding\n",
        shared.port
    )
}

/// The machine's name, lower-cased, if it can be found.
fn machine_hostname() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| {
            let out = std::process::Command::new("hostname")
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
        })?;
    let name = name.trim().to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
}

/// A response before it is handed to hyper: a page of the site, or an
/// error.
struct Answer {
    status: u16,
    content_type: String,
    /// Further headers (`Location`, `Allow`, ...).
    headers: Vec<(HeaderName, String)>,
    body: Bytes,
}

impl Answer {
    /// An answer of `body`, typed by `content_type`.
    fn new(status: u16, content_type: impl Into<String>, body: impl Into<Bytes>) -> Answer {
        Answer {
            status,
            content_type: content_type.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A plain-text answer.
    fn plain(status: u16, text: &str) -> Answer {
        let body = Bytes::copy_from_slice(text.as_bytes());
        Answer::new(status, "text/plain; charset=utf-8", body)
    }

    /// With one more header.
    fn with(mut self, name: HeaderName, value: &str) -> Answer {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// The answer for a site path; `target` is the request target it was
/// resolved from (see [`http::resolve_target`]), which a redirect keeps.
fn respond(state: &SiteState, path: &str, target: &str, listener: Option<&Listener>) -> Answer {
    let Some(built) = &state.built else {
        return problems_response(state, &state.errors);
    };
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    match built.get(&key) {
        Lookup::Found(bytes) => return file_response(state, 200, &key, &bytes),
        Lookup::Failed(problems) => {
            if let Some(listener) = listener {
                listener.tell(&Event::RenderFailed {
                    path: &key,
                    problems: &problems,
                });
            }
            return problems_response(state, &problems);
        }
        Lookup::Missing => {}
    }
    if built.contains(&format!("{path}/index.html")) {
        // `dir` → `dir/`, keeping the query, and the escapes as sent (a
        // `Location` is ASCII).
        let location = match target.split_once('?') {
            Some((sent, query)) => format!("{sent}/?{query}"),
            None => format!("{target}/"),
        };
        return Answer::plain(301, &format!("moved to {location}\n"))
            .with(header::LOCATION, &location);
    }
    match built.get("404.html") {
        Lookup::Found(bytes) => file_response(state, 404, "404.html", &bytes),
        _ => Answer::plain(404, "not found\n"),
    }
}

/// The error page for `problems`, with the reload script.
fn problems_response(state: &SiteState, problems: &[Positioned]) -> Answer {
    let page = http::error_page(problems);
    let body = http::inject(&page, &http::reload_script(state.generation));
    Answer::new(500, "text/html; charset=utf-8", body)
}

/// A file's response; HTML gets the reload script and, after a failed
/// rebuild, the overlay.
fn file_response(state: &SiteState, status: u16, key: &str, bytes: &[u8]) -> Answer {
    let content_type = http::content_type(key);
    let body = if content_type.starts_with("text/html") {
        let mut snippet = String::new();
        if !state.errors.is_empty() {
            snippet.push_str(&http::overlay(&state.errors));
        }
        snippet.push_str(&http::reload_script(state.generation));
        http::inject(&String::from_utf8_lossy(bytes), &snippet).into_bytes()
    } else {
        bytes.to_vec()
    };
    Answer::new(status, content_type, body)
}

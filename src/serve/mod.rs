//! `chronicle serve`: the site built in memory, served over HTTP on a local
//! address, rebuilt when its sources change, with open pages told to
//! reload.
//!
//! - [`http`]: request parsing, paths, content types, injected snippets
//!   (pure functions);
//! - [`site`]: the in-memory site and rebuilding it, as little as each
//!   change needs; `stale` says which pages a change makes stale, and
//!   [`cache`] keeps the rendered pages within a budget;
//! - [`watch`]: watching the sources, debounced;
//! - [`limits`]: how many connections of each kind are held.
//!
//! One thread accepts connections and one thread serves each (a long-lived
//! one for each page listening for reloads); one thread watches and
//! rebuilds. The site in memory is swapped whole under a lock, so a request
//! sees one build or the next, never a mix.
//!
//! Every connection is bounded in time and counted with its kind: a
//! connection still sending its request head (at most [`HEAD_TIMEOUT`]),
//! a page being answered (at most [`MAX_PAGES`] at once, each written
//! within [`RESPONSE_TIMEOUT`]), an event stream (at most [`MAX_STREAMS`],
//! each ended after [`STREAM_LIFETIME`]). Idle or slow clients therefore
//! cannot keep pages from being served, and only requests naming this
//! server (see [`http::host_allowed`]) are answered.

pub mod cache;
pub mod http;
pub mod limits;
pub mod patch;
pub mod site;
mod stale;
pub mod watch;

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diagnostics::Code;
use crate::diagnostics::Positioned;
use http::{HeadError, Target};
use limits::{Place, Pool, Slots};
use site::{Builder, Lookup, Outcome, SiteState};

/// The port `chronicle serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 1111;

/// How long a client may take to send its request head, from the moment
/// it connects, unless told otherwise; 408 after that.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long writing a whole response may take (a client that reads too
/// slowly is cut off).
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a single write may block; an event stream whose client stops
/// reading ends after this.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an event stream lasts, unless told otherwise; the page's
/// `EventSource` then connects again by itself.
pub const STREAM_LIFETIME: Duration = Duration::from_secs(300);
/// How often an idle event stream sends a comment, to notice a closed page.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Connections still sending their request head; one more cuts off the
/// one that has been sending longest.
pub const MAX_WAITING: usize = 256;
/// Page requests answered at once; more get 503 at once.
pub const MAX_PAGES: usize = 128;
/// Event streams open at once; one more ends the oldest (whose page
/// connects again after a second, ending the next oldest in turn).
pub const MAX_STREAMS: usize = 64;
/// How long a connection that has been answered is read from and dropped
/// before it is closed.
const LINGER: Duration = Duration::from_millis(500);

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
    /// Print builds and their diagnostics on stderr.
    pub verbose: bool,
    /// How to colour diagnostics on the terminal.
    pub color: ColorChoice,
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
            verbose: false,
            color: ColorChoice::Never,
            head_timeout: HEAD_TIMEOUT,
            stream_lifetime: STREAM_LIFETIME,
        }
    }
}

/// What the connection threads and the rebuild thread share.
struct Shared {
    site: RwLock<Arc<SiteState>>,
    /// The generation of the last rebuild, with a condition variable the
    /// event streams wait on.
    reloads: Mutex<u64>,
    reloaded: Condvar,
    stopping: AtomicBool,
    /// Connections whose request head is being read.
    waiting: Arc<Pool>,
    /// Page requests being answered.
    pages: Slots,
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
    verbose: bool,
}

impl Shared {
    fn current(&self) -> Arc<SiteState> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A running server; [`Server::stop`] (or dropping it) stops it.
pub struct Server {
    addr: SocketAddr,
    url: String,
    shared: Arc<Shared>,
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

    /// Stops accepting, stops watching, ends the event streams.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.watch_send.send(watch::Message::Stop);
        self.shared.reloaded.notify_all();
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&wake_addr(self.addr), Duration::from_secs(1));
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
    let verbose = options.verbose;
    let color = options.color;
    let start = Instant::now();
    let mut outcome = rebuild(&mut builder, &[]);
    if verbose {
        report(&outcome, start.elapsed(), color);
    }
    let state = SiteState::default().apply(&mut outcome);
    let shared = Arc::new(Shared {
        reloads: Mutex::new(state.generation),
        site: RwLock::new(Arc::new(state)),
        reloaded: Condvar::new(),
        stopping: AtomicBool::new(false),
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
        verbose,
    });

    let mut threads = Vec::new();
    let rebuild_shared = Arc::clone(&shared);
    threads.push(std::thread::spawn(move || {
        let mut on_error = |e: &str| {
            if verbose {
                eprintln!("serve: watching failed: {e}");
            }
        };
        while let Some(changed) = watch::next_batch(&watch_receive, &mut watcher, &mut on_error) {
            if rebuild_shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            let start = Instant::now();
            let mut outcome = rebuild(&mut builder, &changed);
            if verbose {
                report(&outcome, start.elapsed(), color);
            }
            swap_in(&rebuild_shared, &mut outcome);
        }
    }));

    let accept_shared = Arc::clone(&shared);
    threads.push(std::thread::spawn(move || {
        accept_loop(listener, accept_shared)
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
fn swap_in(shared: &Shared, outcome: &mut Outcome) {
    let generation = {
        let mut site = shared.site.write().unwrap_or_else(|e| e.into_inner());
        let next = site.apply(outcome);
        let generation = next.generation;
        *site = Arc::new(next);
        generation
    };
    *shared.reloads.lock().unwrap_or_else(|e| e.into_inner()) = generation;
    shared.reloaded.notify_all();
}

/// Prints a build's diagnostics and a one-line summary on stderr.
fn report(outcome: &Outcome, took: Duration, color: ColorChoice) {
    let report = &outcome.report;
    let stream = StandardStream::stderr(color);
    let mut lock = stream.lock();
    let _ = crate::diagnostics::emit(&mut lock, &report.diagnostics, &report.files);
    let ms = took.as_secs_f64() * 1000.0;
    let _ = if outcome.built.is_some() {
        match &outcome.kind {
            site::RebuildKind::Full => writeln!(
                lock,
                "serve: built {} pages in {ms:.0} ms",
                report.stats.pages
            ),
            site::RebuildKind::Articles { articles, stale } => writeln!(
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
            site::RebuildKind::Templates { stale } => writeln!(
                lock,
                "serve: loaded the templates again in {ms:.0} ms; {stale} pages to render again when asked for"
            ),
            site::RebuildKind::Static => {
                writeln!(lock, "serve: read the static files again in {ms:.0} ms")
            }
        }
    } else {
        writeln!(
            lock,
            "serve: build failed ({} errors) in {ms:.0} ms; serving the last good build with the errors shown",
            report.diagnostics.count(crate::diagnostics::Severity::Error)
        )
    };
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors, say: let some close.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        // Every connection is let in; when too many are still sending
        // their heads, the one that has been at it longest makes room.
        let stream = Arc::new(stream);
        let (place, _) = shared.waiting.join(Arc::clone(&stream));
        let conn_shared = Arc::clone(&shared);
        // If the thread cannot be started, the closure is dropped: the
        // place is left and the connection closed.
        let _ = std::thread::Builder::new().spawn(move || {
            let _ = handle(&stream, &conn_shared, place);
        });
    }
}

/// Reads the request head within `timeout` in all.
fn read_head(stream: &TcpStream, timeout: Duration) -> Result<Vec<u8>, u16> {
    let deadline = Instant::now() + timeout;
    let mut reader = stream;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = http::head_end(&buf) {
            buf.truncate(end);
            return Ok(buf);
        }
        if buf.len() > http::MAX_HEAD {
            return Err(431);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(408);
        }
        stream.set_read_timeout(Some(left)).map_err(|_| 400u16)?;
        match reader.read(&mut chunk) {
            Ok(0) => return Err(0),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(408)
            }
            Err(_) => return Err(0),
        }
    }
}

/// Writes all of `bytes` by `deadline`, no single write blocking longer
/// than [`WRITE_TIMEOUT`].
fn send(stream: &TcpStream, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
    let mut writer = stream;
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left.min(WRITE_TIMEOUT)))?;
        match writer.write(&bytes[..bytes.len().min(64 * 1024)]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Sends a short response, written within [`RESPONSE_TIMEOUT`].
fn send_response(stream: &TcpStream, response: &[u8]) -> io::Result<()> {
    send(stream, response, Instant::now() + RESPONSE_TIMEOUT)
}

/// Serves one connection, then closes it gently: whatever the client still
/// sends is read and dropped for a moment, so that closing does not reset
/// the connection before the client has read the answer. A connection cut
/// off to make room for another is just closed.
fn handle(stream: &Arc<TcpStream>, shared: &Shared, waiting: Place) -> io::Result<()> {
    let cut = waiting.cut_flag();
    let result = answer(stream, shared, waiting);
    if cut.load(Ordering::SeqCst) {
        return result;
    }
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut reader: &TcpStream = stream;
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    while drained < (1 << 20) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    result
}

/// Reads the request and answers it; `waiting` is the connection's place
/// among those still sending their heads, left once the head is read.
fn answer(stream: &Arc<TcpStream>, shared: &Shared, waiting: Place) -> io::Result<()> {
    let head = read_head(stream, shared.head_timeout);
    let cut = waiting.is_cut();
    drop(waiting);
    let head = match head {
        Ok(_) if cut => return Ok(()),
        Ok(head) => head,
        Err(0) => return Ok(()),
        Err(_) if cut => return Ok(()),
        Err(status) => {
            return send_response(
                stream,
                &http::plain_response(status, http::reason(status), &[]),
            )
        }
    };
    let request = match http::parse_head(&head) {
        Ok(r) => r,
        Err(HeadError::TooLarge) => {
            return send_response(
                stream,
                &http::plain_response(431, "request head too large\n", &[]),
            )
        }
        Err(HeadError::Malformed) => {
            return send_response(stream, &http::plain_response(400, "bad request\n", &[]))
        }
    };
    // Whom the request is for, before anything else is said.
    match &request.host {
        None if !request.http_1_0 => {
            return send_response(
                stream,
                &http::plain_response(400, "an HTTP/1.1 request needs a Host header\n", &[]),
            )
        }
        Some(host) if !http::host_allowed(host, shared.port, shared.hostname.as_deref()) => {
            return send_response(
                stream,
                &http::plain_response(403, &refused_host(shared), &[]),
            );
        }
        // An allowed name; or HTTP/1.0 without Host: browsers always send
        // one, so this is not a page in a browser, and cannot be a
        // rebinding attack.
        _ => {}
    }
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return send_response(
                stream,
                &http::plain_response(
                    405,
                    "only GET and HEAD\n",
                    &["Allow: GET, HEAD".to_string()],
                ),
            )
        }
    };
    let Some(target) = http::resolve_target(&request.target) else {
        return send_response(stream, &http::plain_response(400, "bad path\n", &[]));
    };
    match target {
        Target::Events(since) => {
            let same_origin = match (&request.origin, &request.host) {
                (None, _) => true,
                (Some(origin), Some(host)) => http::origin_allowed(origin, host),
                (Some(_), None) => false,
            };
            if !same_origin {
                return send_response(
                    stream,
                    &http::plain_response(
                        403,
                        "reload events are for this site's own pages\n",
                        &[],
                    ),
                );
            }
            events(stream, shared, since, head_only)
        }
        Target::Path(path) => {
            let Some(_slot) = shared.pages.take() else {
                return send_response(
                    stream,
                    &http::plain_response(
                        503,
                        "too many requests at once; try again\n",
                        &["Retry-After: 1".to_string()],
                    ),
                );
            };
            let (head, body) = respond(&shared.current(), &path, &request.target, shared.verbose);
            let deadline = Instant::now() + RESPONSE_TIMEOUT;
            send(stream, head.as_bytes(), deadline)?;
            if !head_only {
                send(stream, &body, deadline)?;
            }
            Ok(())
        }
    }
}

/// The body of the 403 for a `Host` this server does not answer to.
fn refused_host(shared: &Shared) -> String {
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

/// The response (head and body) for a site path.
fn respond(state: &SiteState, path: &str, target: &str, verbose: bool) -> (String, Vec<u8>) {
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
            if verbose {
                for problem in &problems {
                    eprintln!(
                        "serve: cannot render {}: {}",
                        crate::diagnostics::for_terminal(&key),
                        crate::diagnostics::for_terminal(&problem.to_string())
                    );
                }
            }
            return problems_response(state, &problems);
        }
        Lookup::Missing => {}
    }
    if built.contains(&format!("{path}/index.html")) {
        // `dir` → `dir/`, keeping the query.
        let query = target.split_once('?').map(|(_, q)| q);
        let location = match query {
            Some(q) => format!("/{path}/?{q}"),
            None => format!("/{path}/"),
        };
        let body = format!("moved to {location}\n");
        let head = http::response_head(
            301,
            "text/plain; charset=utf-8",
            body.len(),
            &[format!("Location: {location}")],
        );
        return (head, body.into_bytes());
    }
    match built.get("404.html") {
        Lookup::Found(bytes) => file_response(state, 404, "404.html", &bytes),
        _ => {
            let body = b"not found\n".to_vec();
            let head = http::response_head(404, "text/plain; charset=utf-8", body.len(), &[]);
            (head, body)
        }
    }
}

/// The error page for `problems`, with the reload script.
fn problems_response(state: &SiteState, problems: &[Positioned]) -> (String, Vec<u8>) {
    let page = http::error_page(problems);
    let body = http::inject(&page, &http::reload_script(state.generation)).into_bytes();
    let head = http::response_head(500, "text/html; charset=utf-8", body.len(), &[]);
    (head, body)
}

/// A file's response; HTML gets the reload script and, after a failed
/// rebuild, the overlay.
fn file_response(state: &SiteState, status: u16, key: &str, bytes: &[u8]) -> (String, Vec<u8>) {
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
    (
        http::response_head(status, content_type, body.len(), &[]),
        body,
    )
}

/// The server-sent events stream: a `reload` event after each rebuild
/// (at once if one happened since the page's generation `since`). The
/// stream ends after the stream lifetime, when the server stops, or when
/// it is cut off to make room for a newer one; the page connects again.
fn events(
    stream: &Arc<TcpStream>,
    shared: &Shared,
    since: Option<u64>,
    head_only: bool,
) -> io::Result<()> {
    let stream_head =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
    if head_only {
        return send_response(stream, stream_head);
    }
    let end = Instant::now() + shared.stream_lifetime;
    let (place, cut_some) = shared.streams.join(Arc::clone(stream));
    if cut_some {
        // Wake the stream cut off, under the lock its predicate is read
        // with, so that the wake-up cannot be missed.
        let _guard = shared.reloads.lock().unwrap_or_else(|e| e.into_inner());
        shared.reloaded.notify_all();
    }
    let write = |bytes: &[u8]| send(stream, bytes, Instant::now() + WRITE_TIMEOUT);
    write(stream_head)?;
    write(b"retry: 1000\n\n")?;
    let mut seen = {
        let current = *shared.reloads.lock().unwrap_or_else(|e| e.into_inner());
        since.unwrap_or(current)
    };
    loop {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        let generation = {
            let guard = shared.reloads.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = shared
                .reloaded
                .wait_timeout_while(guard, KEEPALIVE.min(left), |g| {
                    *g == seen && !shared.stopping.load(Ordering::SeqCst) && !place.is_cut()
                })
                .unwrap_or_else(|e| e.into_inner());
            *guard
        };
        if shared.stopping.load(Ordering::SeqCst) || place.is_cut() {
            return Ok(());
        }
        if generation != seen {
            seen = generation;
            write(format!("event: reload\ndata: {generation}\n\n").as_bytes())?;
        } else if Instant::now() < end {
            write(b": keep-alive\n\n")?;
        }
    }
}

/// `chronicle serve` from the command line: starts, prints the URL, opens
/// a browser if asked, and serves until killed.
pub fn run(options: &ServeOptions, open: bool) -> io::Result<()> {
    let server = start(options)?;
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

//! `chronicle serve`, driven over loopback: pages and content types, HEAD,
//! redirects and 404, path traversal refused, live rebuild with a reload
//! event, the error overlay and recovery, bad requests, the `Host` check,
//! and the bounds on connections (event streams, slow clients).

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use chronicle::serve::{self, ServeOptions};
use common::Site;

fn start(site: &Site) -> serve::Server {
    serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        port: 0,
        ..ServeOptions::default()
    })
    .expect("server starts")
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw bytes and reads one answer. The server keeps a connection
/// open for further requests (HTTP/1.1 keep-alive), so the answer is read
/// by its framing (`Content-Length`, chunks), not up to the connection's
/// end, which comes only when the server closes it.
fn raw(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // The server may answer before reading everything (a head too large).
    let _ = stream.write_all(request);
    let mut reader = BufReader::new(stream);
    read_response(&mut reader, request.starts_with(b"HEAD "))
}

/// Reads one answer from `reader`; `head_only` for the answer to a HEAD.
fn read_response(reader: &mut BufReader<TcpStream>, head_only: bool) -> Response {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        match reader.read_until(b'\n', &mut head) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut response = Response {
        status,
        headers,
        body: String::new(),
    };
    let mut body = Vec::new();
    if head_only {
        // The head says how long a GET's body would be; none follows.
    } else if let Some(length) = response.header("content-length") {
        body.resize(length.parse().unwrap(), 0);
        let _ = reader.read_exact(&mut body);
    } else if response
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"))
    {
        let _ = Chunked::new(reader).read_to_end(&mut body);
    } else {
        let _ = reader.read_to_end(&mut body);
    }
    response.body = String::from_utf8_lossy(&body).into_owned();
    response
}

/// A body sent in chunks (`Transfer-Encoding: chunked`, as HTTP/1.1
/// sends a body of unknown length, such as an event stream), read as the
/// bytes it carries. It ends at the last chunk, or where the connection
/// does.
struct Chunked<R> {
    inner: R,
    /// What is left of the chunk being read.
    left: usize,
    /// A chunk's size line read in part (a read timed out).
    line: String,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    fn new(inner: R) -> Chunked<R> {
        Chunked {
            inner,
            left: 0,
            line: String::new(),
            done: false,
        }
    }
}

impl Chunked<BufReader<TcpStream>> {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> std::io::Result<()> {
        self.inner.get_ref().set_read_timeout(timeout)
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.left == 0 && !self.done {
            // The end of the chunk before (an empty line), then a size line.
            if self.inner.read_line(&mut self.line)? == 0 {
                self.done = true;
                break;
            }
            if !self.line.ends_with('\n') {
                continue;
            }
            let line = std::mem::take(&mut self.line);
            let size = line.trim_end().split(';').next().unwrap_or("");
            if size.is_empty() {
                continue;
            }
            self.left = usize::from_str_radix(size, 16)
                .unwrap_or_else(|_| panic!("not a chunk size: {line:?}"));
            self.done = self.left == 0;
        }
        if self.done {
            return Ok(0);
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        if n == 0 {
            self.done = true;
        }
        self.left -= n;
        Ok(n)
    }
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    raw(
        addr,
        format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes(),
    )
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target)
}

/// Polls `f` until it holds, for at most `secs` seconds.
fn eventually(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serves_the_site_in_memory_with_content_types() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    assert!(
        server.url().starts_with("http://127.0.0.1:"),
        "{}",
        server.url()
    );

    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Test chronicle"));
    // Links point at the served address, not site.toml's base_url.
    assert!(
        home.body.contains(&format!("href=\"{}\"", server.url())),
        "no canonical link to the served address"
    );
    assert!(!home.body.contains("https://example.org/crisis/"));
    // The reload script, only in HTML, just before </body>.
    let script = home
        .body
        .find("/__chronicle/events")
        .expect("reload script");
    assert!(script < home.body.rfind("</body>").unwrap());
    assert_eq!(
        home.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );

    let day = get(addr, "/days/2022-01-26/");
    assert_eq!(day.status, 200);
    assert!(day.body.contains("US delivers written reply to Russia"));

    for (path, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/search.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/xml"),
        ("/feed.json", "application/json"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        assert!(!r.body.contains("__chronicle"), "{path} got the script");
    }

    // HEAD: the same head, no body.
    let head = request(addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), home.header("content-length"));
    assert!(head.body.is_empty());

    // Nothing was written to the output directory.
    assert!(!site.output().exists());
    server.stop();
}

#[test]
fn redirects_404s_and_other_methods() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();

    let r = get(addr, "/days");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/days/"));
    let r = get(addr, "/days/2022-01-26?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/days/2022-01-26/?x=1"));

    let r = get(addr, "/no/such/page.html");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains("Page not found"), "{}", r.body);
    assert!(r.body.contains("/__chronicle/events"));
    let r = request(addr, "HEAD", "/nope");
    assert_eq!(r.status, 404);
    assert!(r.body.is_empty());

    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = request(addr, method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method}");
    }
    server.stop();
}

#[test]
fn path_traversal_is_refused_without_leaking_files() {
    let site = Site::fixture();
    // A file beside the site root, and one in it that is not part of the site.
    let secret = "SECRET-OUTSIDE-THE-SITE";
    std::fs::write(site.root().join("notes.txt"), secret).unwrap();
    let server = start(&site);
    let addr = server.addr();
    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/days/../../site.toml",
        "/days/%2e%2e/%2e%2e/site.toml",
        "/site.toml",
        "/notes.txt",
        "/content/actors.yaml",
        "/themes/default/templates/base.html",
        "//etc/passwd",
        "/etc/passwd",
        "/..\\site.toml",
        "/%5c..%5csite.toml",
        "/index.html%00.txt",
        "/C:/Windows/win.ini",
        "http://localhost/site.toml",
        "site.toml",
        "*",
    ] {
        let r = get(addr, target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.body.contains("base_url ="), "{target} leaked site.toml");
        assert!(!r.body.contains(secret), "{target} leaked notes.txt");
        assert!(
            !r.body.contains("kind: person"),
            "{target} leaked a registry"
        );
        assert!(!r.body.contains("{% block"), "{target} leaked a template");
    }
    assert_eq!(get(addr, "/").status, 200);
    server.stop();
}

/// An event stream, past its head: the events as the page reads them.
type Events = BufReader<Chunked<BufReader<TcpStream>>>;

/// Opens the event stream and returns a reader past its head.
fn events(addr: SocketAddr) -> Events {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
        .write_all(b"GET /__chronicle/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        head.push_str(&line);
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: text/event-stream"), "{head}");
    BufReader::new(Chunked::new(reader))
}

/// Reads event-stream lines until `event: reload`.
fn wait_for_reload(reader: &mut impl BufRead) {
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .expect("an event before the timeout");
        assert!(n > 0, "the event stream closed");
        if line.trim_end() == "event: reload" {
            return;
        }
    }
}

const OLD: &str = "US delivers written reply to Russia";
const NEW: &str = "US hands Moscow its written answer";

#[test]
fn an_edit_is_rebuilt_and_open_pages_are_told_to_reload() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let mut stream = events(addr);
    let generation = server.generation();

    let path = "content/articles/2022/01/live-0126.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    assert!(text.contains(OLD));
    site.write(path, &text.replace(OLD, NEW));

    eventually(10, "the edited headline", || {
        get(addr, "/days/2022-01-26/").body.contains(NEW)
    });
    wait_for_reload(&mut stream);
    assert!(server.generation() > generation);
    assert!(!get(addr, "/days/2022-01-26/").body.contains(OLD));
    server.stop();
}

#[test]
fn a_page_that_missed_a_rebuild_is_told_at_once() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let generation = server.generation();
    let path = "content/articles/2022/01/live-0126.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace(OLD, NEW));
    eventually(10, "a rebuild", || server.generation() > generation);
    // A page built at the old generation connects after the rebuild.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(
            format!(
                "GET /__chronicle/events?since={generation} HTTP/1.1\r\nHost: localhost\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let mut reader = BufReader::new(stream);
    wait_for_reload(&mut reader);
    server.stop();
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site_with_an_overlay_until_fixed() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let day = "/days/2022-01-27/";
    assert!(get(addr, day)
        .body
        .contains("Lavrov sees little room for optimism"));
    assert!(!get(addr, day).body.contains("chronicle-errors"));

    let path = "content/articles/2022/01/wire-moscow.yaml";
    let good = std::fs::read_to_string(site.root().join(path)).unwrap();
    let bad = good.replace("at: 2022-01-27", "at: 2022-13-45");
    assert_ne!(good, bad);
    let line = bad.lines().position(|l| l.contains("2022-13-45")).unwrap() + 1;
    let mut stream = events(addr);
    site.write(path, &bad);

    eventually(10, "the overlay", || {
        get(addr, day).body.contains("chronicle-errors")
    });
    wait_for_reload(&mut stream);
    let page = get(addr, day);
    assert_eq!(page.status, 200);
    // The last good content, and the overlay naming the file and line.
    assert!(page.body.contains("Lavrov sees little room for optimism"));
    let overlay = common::between(&page.body, "id=\"chronicle-errors\"", "</div>");
    assert!(
        overlay.contains(&format!("{path}:{line}:")),
        "no {path}:{line} in {overlay}"
    );
    assert!(overlay.contains("2022-13-45"), "{overlay}");
    // Every HTML page has it, the 404 page too; other files do not.
    assert!(get(addr, "/").body.contains("chronicle-errors"));
    assert!(get(addr, "/missing").body.contains("chronicle-errors"));
    assert!(!get(addr, "/style.css").body.contains("chronicle-errors"));

    site.write(path, &good);
    eventually(10, "the overlay to go", || {
        !get(addr, day).body.contains("chronicle-errors")
    });
    assert!(get(addr, day)
        .body
        .contains("Lavrov sees little room for optimism"));
    server.stop();
}

#[test]
fn a_first_build_that_fails_serves_the_problems_until_fixed() {
    let site = Site::fixture();
    let path = "content/articles/2022/01/wire-moscow.yaml";
    let good = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &good.replace("at: 2022-01-27", "at: 2022-13-45"));
    let server = start(&site);
    let addr = server.addr();

    let r = get(addr, "/days/2022-01-27/");
    assert_eq!(r.status, 500);
    assert!(r.body.contains("chronicle-errors"));
    assert!(r.body.contains("wire-moscow.yaml"), "{}", r.body);
    assert!(r.body.contains("/__chronicle/events"));

    site.write(path, &good);
    eventually(10, "a good build", || {
        get(addr, "/days/2022-01-27/").status == 200
    });
    let r = get(addr, "/days/2022-01-27/");
    assert!(r.body.contains("Lavrov sees little room for optimism"));
    assert!(!r.body.contains("chronicle-errors"));
    server.stop();
}

#[test]
fn bad_requests_do_not_stop_the_server() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();

    // A client that sends half a head and then nothing holds only its own
    // connection.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();

    assert_eq!(raw(addr, b"\x00\xff\xfe garbage\r\n\r\n").status, 400);
    assert_eq!(raw(addr, b"GET /\r\n\r\n").status, 400);
    assert_eq!(raw(addr, b"GET / HTTP/9.9\r\n\r\n").status, 400);
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
    assert_eq!(raw(addr, huge.as_bytes()).status, 431);
    assert_eq!(get(addr, "/%zz").status, 400);
    assert_eq!(get(addr, "/%c3%28").status, 400);
    // Connections closed at once.
    for _ in 0..5 {
        drop(TcpStream::connect(addr).unwrap());
    }

    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Test chronicle"));
    drop(slow);
    server.stop();
}

#[test]
fn a_client_too_slow_to_send_its_head_is_cut_off() {
    let site = Site::fixture();
    let server = serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        port: 0,
        head_timeout: Duration::from_millis(400),
        ..ServeOptions::default()
    })
    .unwrap();
    let addr = server.addr();
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    // A byte every 100 ms never times a single read out; the deadline for
    // the whole head does. Written from another thread, so that the answer
    // is read as soon as it comes.
    let mut writer = slow.try_clone().unwrap();
    std::thread::spawn(move || {
        let head = format!("GET / HTTP/1.1\r\nX-Slow: {}", "a".repeat(40));
        for b in head.bytes() {
            if writer.write_all(&[b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(get(addr, "/").status, 200);
    server.stop();
}

/// Starts `chronicle serve` on a free port with `args` (and `PATH`, if
/// given); returns the process and the URL its first line names.
fn spawn_serve(site: &Site, args: &[&str], path: Option<&str>) -> (std::process::Child, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"));
    command
        .arg("serve")
        .args(args)
        .args(["--port", "0", "--color", "never", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    (child, url)
}

#[test]
fn the_command_prints_the_url_it_bound_and_serves_it() {
    let site = Site::fixture();
    let (mut child, url) = spawn_serve(&site, &[], None);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let r = get(addr, "/");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("href=\"{url}\"")));
    assert!(!site.output().exists());
}

#[test]
fn a_burst_of_saves_gives_one_rebuild() {
    let _turn = TIMED.lock().unwrap_or_else(|e| e.into_inner());
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let generation = server.generation();
    let path = "content/articles/2022/01/live-0126.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    for i in 0..10 {
        site.write(path, &text.replace(OLD, &format!("{NEW} {i}")));
    }
    eventually(10, "a rebuild", || server.generation() > generation);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.generation(), generation + 1, "one rebuild");
    assert!(get(addr, "/days/2022-01-26/")
        .body
        .contains(&format!("{NEW} 9")));
    server.stop();
}

#[test]
fn bound_to_every_interface_the_pages_link_without_a_host() {
    let site = Site::fixture();
    let server = serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        bind: std::net::Ipv4Addr::UNSPECIFIED.into(),
        port: 0,
        ..ServeOptions::default()
    })
    .expect("server starts");
    let addr: SocketAddr = ([127, 0, 0, 1], server.addr().port()).into();
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("href=\"/days/"),
        "links are root-relative"
    );
    assert!(!home.body.contains("127.0.0.1"), "no link names this host");
    server.stop();
}

#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_desktops_browser_on_the_url() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture();
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (mut child, url) = spawn_serve(&site, &["--open"], Some(&path));
    eventually(10, "the browser opened", || {
        std::fs::read_to_string(&opened).is_ok_and(|s| s.trim() == url)
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// The tests that open hundreds of connections take turns, so that they
/// never hold more sockets at once than one of them needs.
static MANY_CONNECTIONS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The test that counts on saves 10 ms apart making one batch takes turns
/// with the one that writes megabytes to disk and through loopback, which
/// on two cores can stall another thread for longer than that.
static TIMED: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The status of the answer to `request`, or `None` if the connection
/// ends (or 10 s pass) without one.
fn status_of(addr: SocketAddr, request: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream.write_all(request).ok()?;
    // The status line is enough: the connection stays open after the answer.
    let mut line = Vec::new();
    let _ = BufReader::new(stream).read_until(b'\n', &mut line);
    let text = String::from_utf8_lossy(&line);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// A GET of `target` naming `host`.
fn get_for_host(addr: SocketAddr, target: &str, host: &str) -> Response {
    raw(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
    )
}

/// Opens the event stream of a page built at `since` and reads its head.
fn events_since(addr: SocketAddr, since: u64) -> Events {
    let (status, reader) = open_events(addr, since);
    assert!(status.starts_with("HTTP/1.1 200"), "{status:?}");
    reader
}

/// Opens the event stream of a page built at `since`; returns the status
/// line and a reader past the head.
fn open_events(addr: SocketAddr, since: u64) -> (String, Events) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(
            format!("GET /__chronicle/events?since={since} HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            return (status, BufReader::new(Chunked::new(reader)));
        }
    }
}

#[test]
fn only_requests_naming_this_server_are_answered() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let port = addr.port();

    // DNS rebinding: a page from a name its author controls, resolved to
    // this machine, sends that name.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost:http".to_string(),
        "[::1".to_string(),
        "local host".to_string(),
        String::new(),
    ] {
        let r = get_for_host(addr, "/", &host);
        assert_eq!(r.status, 403, "Host: {host}");
        assert!(r.body.contains("DNS rebinding"), "{}", r.body);
        assert!(!r.body.contains("Test chronicle"), "Host: {host}");
        let r = get_for_host(addr, "/__chronicle/events", &host);
        assert_eq!(r.status, 403, "events for Host: {host}");
    }

    // The names of a loopback address, with or without the port.
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost.:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("drafts.localhost:{port}"),
    ] {
        let r = get_for_host(addr, "/", &host);
        assert_eq!(r.status, 200, "Host: {host}");
        assert!(r.body.contains("Test chronicle"), "Host: {host}");
    }

    // HTTP/1.0 may leave Host out (no browser does); HTTP/1.1 may not,
    // nor send it twice.
    assert_eq!(raw(addr, b"GET / HTTP/1.0\r\n\r\n").status, 200);
    assert_eq!(raw(addr, b"GET / HTTP/1.1\r\n\r\n").status, 400);
    assert_eq!(
        raw(
            addr,
            b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"
        )
        .status,
        400
    );

    // The event stream refuses other sites' pages, by their Origin.
    let host = format!("localhost:{port}");
    let with_origin = |origin: &str| {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(
                format!(
                    "GET /__chronicle/events HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\r\n"
                )
                .as_bytes(),
            )
            .unwrap();
        let mut status = String::new();
        BufReader::new(stream).read_line(&mut status).unwrap();
        status
    };
    assert!(
        with_origin("http://evil.example").starts_with("HTTP/1.1 403"),
        "a foreign origin"
    );
    assert!(with_origin("null").starts_with("HTTP/1.1 403"));
    assert!(
        with_origin(&format!("http://{host}")).starts_with("HTTP/1.1 200"),
        "the page's own origin"
    );
    server.stop();
}

#[test]
fn event_streams_do_not_use_up_the_page_connections() {
    let _turn = MANY_CONNECTIONS.lock().unwrap_or_else(|e| e.into_inner());
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let generation = server.generation();

    // More streams than pages could ever have been served alongside, each
    // opened once the one before has its answer.
    let mut streams = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..300 {
        let (status, reader) = open_events(addr, generation);
        answers.push(status);
        streams.push(reader);
    }

    // Pages are served all the same.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut statuses = Vec::new();
    loop {
        let status = status_of(addr, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        statuses.push(status);
        if status == Some(200) || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(statuses.last(), Some(&Some(200)), "{statuses:?}");
    assert_eq!(get(addr, "/days/2022-01-26/").status, 200);
    // And every stream was answered.
    assert!(
        answers.iter().all(|s| s.starts_with("HTTP/1.1 200")),
        "{answers:?}"
    );

    // The oldest streams were ended to make room (their pages connect
    // again by themselves); the newest are open.
    let mut rest = String::new();
    streams[0]
        .read_to_string(&mut rest)
        .expect("the oldest stream ends");
    assert!(rest.contains("retry: "), "{rest:?}");
    let newest = streams.last_mut().unwrap();
    let mut line = String::new();
    newest.read_line(&mut line).unwrap();
    assert!(line.starts_with("retry: "), "{line:?}");
    line.clear();
    newest.read_line(&mut line).unwrap();
    assert_eq!(line, "\n");
    newest
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut byte = [0u8; 1];
    let more = newest.read(&mut byte);
    assert!(
        more.as_ref().is_err_and(|e| matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )),
        "the newest stream is still open: {more:?}"
    );
    drop(streams);
    server.stop();
}

#[test]
fn a_slow_client_does_not_keep_others_from_being_served() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let _turn = MANY_CONNECTIONS.lock().unwrap_or_else(|e| e.into_inner());
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();

    // A client that keeps 300 connections open, none finishing its head,
    // and opens another whenever one is closed or answered; for at most
    // 30 s and 20,000 connections.
    let stop = Arc::new(AtomicBool::new(false));
    let (ready_send, ready) = std::sync::mpsc::channel();
    let slow = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(30);
            let mut connections: Vec<Option<TcpStream>> = (0..300).map(|_| None).collect();
            let mut opened = 0;
            while !stop.load(Ordering::SeqCst) && Instant::now() < until && opened < 20_000 {
                for slot in connections.iter_mut() {
                    let open = slot.as_mut().is_some_and(|s| {
                        let mut buf = [0u8; 512];
                        matches!(s.read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
                    });
                    if !open {
                        *slot = TcpStream::connect(addr).ok().map(|mut s| {
                            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n");
                            let _ = s.set_nonblocking(true);
                            s
                        });
                        opened += 1;
                    }
                }
                let _ = ready_send.send(());
                std::thread::sleep(Duration::from_millis(100));
            }
            opened
        })
    };
    ready
        .recv_timeout(Duration::from_secs(20))
        .expect("the slow client connected");
    std::thread::sleep(Duration::from_millis(200));

    // Well-behaved requests meanwhile: five served within 8 s.
    let deadline = Instant::now() + Duration::from_secs(8);
    let mut statuses = Vec::new();
    while statuses.iter().filter(|s| **s == Some(200)).count() < 5 && Instant::now() < deadline {
        let status = status_of(addr, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        statuses.push(status);
        if status != Some(200) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    stop.store(true, Ordering::SeqCst);
    let opened = slow.join().unwrap();
    assert!(opened >= 300, "the slow client opened {opened}");
    assert!(
        statuses.iter().filter(|s| **s == Some(200)).count() >= 5,
        "{statuses:?}"
    );
    server.stop();
}

#[test]
fn an_event_stream_ends_after_its_lifetime_and_the_page_reconnects() {
    let site = Site::fixture();
    let server = serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        port: 0,
        stream_lifetime: Duration::from_millis(300),
        ..ServeOptions::default()
    })
    .unwrap();
    let addr = server.addr();
    let generation = server.generation();

    // The stream tells the page how soon to connect again, then ends.
    let mut first = events_since(addr, generation);
    let mut rest = String::new();
    first
        .read_to_string(&mut rest)
        .expect("the stream ends by itself");
    assert!(rest.contains("retry: 1000"), "{rest:?}");
    assert!(!rest.contains("event: reload"), "{rest:?}");

    // An edit while the page is between two streams, and more after: the
    // page, connecting again and again with the URL it was given (as
    // EventSource does), is told to reload.
    let path = "content/articles/2022/01/live-0126.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace(OLD, NEW));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut reloaded = false;
    let mut streams = 0;
    while !reloaded && Instant::now() < deadline && streams < 200 {
        streams += 1;
        let mut stream = events_since(addr, generation);
        loop {
            let mut line = String::new();
            match stream.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) if line.trim_end() == "event: reload" => {
                    reloaded = true;
                    break;
                }
                Ok(_) => {}
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(reloaded, "no reload in {streams} streams");
    assert!(get(addr, "/days/2022-01-26/").body.contains(NEW));
    server.stop();
}

#[test]
fn bound_to_every_interface_any_address_literal_is_a_host_but_no_other_name() {
    let site = Site::fixture();
    let server = serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        bind: std::net::Ipv4Addr::UNSPECIFIED.into(),
        port: 0,
        ..ServeOptions::default()
    })
    .expect("server starts");
    let port = server.addr().port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    // The addresses another machine may know this one by.
    for host in [
        format!("192.0.2.7:{port}"),
        format!("[2001:db8::7]:{port}"),
        format!("localhost:{port}"),
    ] {
        assert_eq!(get_for_host(addr, "/", &host).status, 200, "Host: {host}");
    }
    for host in [format!("evil.example:{port}"), "evil.example".to_string()] {
        assert_eq!(get_for_host(addr, "/", &host).status, 403, "Host: {host}");
    }
    server.stop();
}

/// A connection to `addr` with a 10 s read timeout: a writer and a reader.
fn connection(addr: SocketAddr) -> (TcpStream, BufReader<TcpStream>) {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    (stream.try_clone().unwrap(), BufReader::new(stream))
}

/// Whether the server closed the connection, with nothing more said.
fn closed(reader: &mut BufReader<TcpStream>) -> bool {
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).is_ok() && rest.is_empty()
}

#[test]
fn a_connection_is_kept_alive_for_further_requests() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    let (mut writer, mut reader) = connection(addr);

    // Requests one after the other on one connection, errors among them.
    for (method, target, status) in [
        ("GET", "/", 200),
        ("HEAD", "/style.css", 200),
        ("GET", "/no/such/page.html", 404),
        ("GET", "/days", 301),
        ("POST", "/", 405),
        ("GET", "/%2e%2e/site.toml", 400),
        ("GET", "/days/2022-01-26/", 200),
    ] {
        writer
            .write_all(format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
            .unwrap();
        let r = read_response(&mut reader, method == "HEAD");
        assert_eq!(r.status, status, "{method} {target}");
        assert_eq!(r.header("connection"), None, "{method} {target}");
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        if status == 200 && method == "GET" {
            assert!(r.body.contains("</html>"), "{target}: the whole page");
        }
    }

    // A redirect keeps the path as it was sent, escapes and query.
    writer
        .write_all(b"GET /d%61ys?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let r = read_response(&mut reader, false);
    assert_eq!(
        (r.status, r.header("location")),
        (301, Some("/d%61ys/?x=1"))
    );

    // Requests sent together (pipelined) are answered in order.
    writer
        .write_all(
            b"GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n\
              GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n\
              GET /feed.xml HTTP/1.1\r\nHost: localhost\r\n\r\n",
        )
        .unwrap();
    let css = read_response(&mut reader, false);
    assert_eq!(
        (css.status, css.header("content-type")),
        (200, Some("text/css; charset=utf-8"))
    );
    assert_eq!(read_response(&mut reader, false).status, 404);
    let feed = read_response(&mut reader, false);
    assert_eq!(feed.header("content-type"), Some("application/xml"));

    // Asked to close, the server closes after its answer.
    writer
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut reader, false).status, 200);
    assert!(closed(&mut reader), "closed as asked");

    // HTTP/1.0 closes after each answer, unless asked to keep alive.
    let (mut writer, mut reader) = connection(addr);
    writer.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut reader, false).status, 200);
    assert!(closed(&mut reader), "HTTP/1.0 closes");
    let (mut writer, mut reader) = connection(addr);
    for _ in 0..2 {
        writer
            .write_all(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(&mut reader, false).status, 200);
    }
    server.stop();
}

#[test]
fn an_idle_connection_is_closed_and_a_slow_second_head_gets_408() {
    let site = Site::fixture();
    let server = serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        port: 0,
        head_timeout: Duration::from_millis(400),
        ..ServeOptions::default()
    })
    .unwrap();
    let addr = server.addr();

    // Nothing sent after an answer: closed without a word once the head
    // timeout passes, as a client expects of an idle connection.
    let (mut writer, mut reader) = connection(addr);
    writer
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut reader, false).status, 200);
    let started = Instant::now();
    assert!(closed(&mut reader), "an idle connection is closed");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Half of a second head: 408, then closed.
    let (mut writer, mut reader) = connection(addr);
    writer
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGET /style.css HTTP/1.1\r\n")
        .unwrap();
    assert_eq!(read_response(&mut reader, false).status, 200);
    let r = read_response(&mut reader, false);
    assert_eq!(r.status, 408);
    assert_eq!(r.header("connection"), Some("close"));
    assert!(closed(&mut reader));

    // The time a client has for its head starts again with each request: a
    // connection kept busy outlives the head timeout many times over.
    let (mut writer, mut reader) = connection(addr);
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(1500) {
        writer
            .write_all(b"GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(&mut reader, false).status, 200);
        std::thread::sleep(Duration::from_millis(200));
    }
    server.stop();
}

#[test]
fn malformed_heads_get_400_and_the_server_goes_on() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    for bad in [
        // A space before the colon, or a line folded onto the one before:
        // two readers of the head could disagree on its headers.
        &b"GET / HTTP/1.1\r\nHost : localhost\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: b\r\n c\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: local\x01host\r\n\r\n",
        b"GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"G(T / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/2\r\nHost: localhost\r\n\r\n",
        b"GET /a\x7fb HTTP/1.1\r\nHost: localhost\r\n\r\n",
        // Origin twice, as Host twice: which one would be believed?
        b"GET /__chronicle/events HTTP/1.1\r\nHost: localhost\r\n\
          Origin: http://localhost\r\norigin: http://evil.example\r\n\r\n",
    ] {
        let r = raw(addr, bad);
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(bad));
        assert!(!r.body.contains("Test chronicle"));
    }
    // Too many header lines, like too long a head: 431.
    let many: String = (0..200).map(|i| format!("X-{i}: y\r\n")).collect();
    let head = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n");
    assert_eq!(raw(addr, head.as_bytes()).status, 431);
    assert_eq!(get(addr, "/").status, 200);
    server.stop();
}

#[test]
fn double_encoded_and_other_disguised_traversals_are_refused() {
    let site = Site::fixture();
    let server = start(&site);
    let addr = server.addr();
    for target in [
        "/%252e%252e/site.toml",
        "/%252E%252E%252Fsite.toml",
        "/days/%25%32%65%25%32%65/%25%32%65%25%32%65/site.toml",
        "/%2e%2e%5csite.toml",
        "/days/..%5c..%5csite.toml",
        "/%2e/site.toml",
        "/days%2f..%2f..%2fsite.toml",
        "/site.toml%00.html",
        "/%C0%AE%C0%AE/site.toml",
        "/c:%5cwindows",
        "https://localhost/site.toml",
        "//localhost/site.toml",
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 400, "{target}");
        assert!(!r.body.contains("base_url ="), "{target} leaked site.toml");
    }
    server.stop();
}

#[test]
fn a_client_slow_to_read_a_large_answer_gets_all_of_it() {
    let _turn = TIMED.lock().unwrap_or_else(|e| e.into_inner());
    let site = Site::fixture();
    // More than the socket buffers hold (6 MiB), so that writing it waits
    // for the client.
    let big = "0123456789abcdef".repeat(6 << 16);
    site.write("static/big.txt", &big);
    let server = serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        port: 0,
        head_timeout: Duration::from_millis(300),
        ..ServeOptions::default()
    })
    .unwrap();
    let (mut writer, mut reader) = connection(server.addr());
    writer
        .write_all(b"GET /big.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    // Nothing read for several head timeouts: the answer is still being
    // written, which is not waiting for a head.
    std::thread::sleep(Duration::from_millis(1500));
    let r = read_response(&mut reader, false);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), big.len());
    assert!(r.body == big);
    // Then, idle, the connection is closed.
    assert!(closed(&mut reader));
    server.stop();
}

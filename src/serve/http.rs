//! The HTTP/1.1 side of `chronicle serve`, as pure functions: parsing a
//! request head, turning its target into a key of the in-memory site,
//! content types, response heads, and the snippets injected into pages.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::diagnostics::{Positioned, Severity};

/// The most bytes a request head (request line and headers) may take.
pub const MAX_HEAD: usize = 16 * 1024;

/// The path of the server-sent events stream that tells pages to reload.
pub const EVENTS_PATH: &str = "/__chronicle/events";

/// A parsed request head: its request line, and the few headers the
/// server looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method (`GET`).
    pub method: String,
    /// The request target as sent (`/days/?x=1`).
    pub target: String,
    /// Whether the request is HTTP/1.0 (which may leave out `Host`).
    pub http_1_0: bool,
    /// The `Host` header's value, if sent.
    pub host: Option<String>,
    /// The `Origin` header's value, if sent.
    pub origin: Option<String>,
}

/// Why a request head could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadError {
    /// More than [`MAX_HEAD`] bytes without the blank line ending the head.
    TooLarge,
    /// Not an HTTP/1.x request line, a header line that is not
    /// `name: value` (or folded onto the line before), or `Host` or
    /// `Origin` sent twice.
    Malformed,
}

/// Where the head ends (the index just past its blank line), if it does.
pub fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether `s` is an HTTP token (a method or a header name).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Parses a complete head: the request line, and the `Host` and `Origin`
/// headers (every header line must be well formed; the others are not
/// kept).
pub fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    if head.len() > MAX_HEAD {
        return Err(HeadError::TooLarge);
    }
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().unwrap_or("");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    if !is_token(method)
        || target.is_empty()
        || target.bytes().any(|b| b <= b' ' || b == 0x7f)
        || !matches!(version, "HTTP/1.0" | "HTTP/1.1")
    {
        return Err(HeadError::Malformed);
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        http_1_0: version == "HTTP/1.0",
        host: None,
        origin: None,
    };
    for line in lines.filter(|l| !l.is_empty()) {
        // A line folded onto the one before (obsolete) is refused, as is a
        // name with space before its colon: either could make two readers
        // of the same head disagree on its headers.
        let (name, value) = line.split_once(':').ok_or(HeadError::Malformed)?;
        if !is_token(name) || value.bytes().any(|b| (b < b' ' && b != b'\t') || b == 0x7f) {
            return Err(HeadError::Malformed);
        }
        let slot = if name.eq_ignore_ascii_case("host") {
            &mut request.host
        } else if name.eq_ignore_ascii_case("origin") {
            &mut request.origin
        } else {
            continue;
        };
        if slot.is_some() {
            return Err(HeadError::Malformed);
        }
        *slot = Some(value.trim_matches([' ', '\t']).to_string());
    }
    Ok(request)
}

/// Whether a `Host` header's value names this server, serving on `port`:
/// a defence against DNS rebinding, where a page from a name its author
/// controls has that name resolve to this machine, and reads what the
/// server answers to requests for that name.
///
/// Accepted: any IP address literal (`127.0.0.1`, `[::1]`, `192.0.2.7`),
/// `localhost` and any name under `.localhost`, and `hostname` (the
/// machine's name, when given); a trailing dot and the letters' case do
/// not matter. A port, when given, must be `port`. A rebinding page can
/// only send a name: an address literal reaches only the address it
/// names, and `localhost` names are resolved by the browser or the
/// machine, never by the page's author.
pub fn host_allowed(host: &str, port: u16, hostname: Option<&str>) -> bool {
    // `[v6]` or `[v6]:port`; otherwise `name` or `name:port`.
    let (name, after_name) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inner, after)) => {
                if inner.parse::<Ipv6Addr>().is_err() {
                    return false;
                }
                (None, after)
            }
            None => return false,
        },
        None => match host.find(':') {
            Some(colon) => (Some(&host[..colon]), &host[colon..]),
            None => (Some(host), ""),
        },
    };
    // The port may be left out, or empty (`localhost:`), as URLs allow.
    match after_name.strip_prefix(':') {
        _ if after_name.is_empty() => {}
        Some("") => {}
        Some(digits) => {
            if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.parse() != Ok(port) {
                return false;
            }
        }
        None => return false,
    }
    let Some(name) = name else {
        // An IPv6 literal, checked above.
        return true;
    };
    if name.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let labels_ok = !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if !labels_ok {
        return false;
    }
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    hostname.is_some_and(|h| h.strip_suffix('.').unwrap_or(h).eq_ignore_ascii_case(&name))
}

/// Whether an event stream request's `Origin` is the page's own: the
/// scheme `http` and the `Host` it was sent to. Browsers send `Origin`
/// with cross-origin requests only, so a page of this site sends none or
/// its own.
pub fn origin_allowed(origin: &str, host: &str) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
}

/// What a request target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A site-relative path, percent-decoded and checked: no `..` or `.`
    /// segment, no NUL, no backslash, no empty segment; `""` is the root.
    Path(String),
    /// The server-sent events stream, with the generation the page was
    /// built from (`?since=N`), if given.
    Events(Option<u64>),
}

/// Turns a request target into a site path. Only origin-form targets
/// (`/a/b?q`) are accepted; anything that could step outside the site is
/// refused.
pub fn resolve_target(target: &str) -> Option<Target> {
    if !target.starts_with('/') {
        return None;
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if decoded == EVENTS_PATH {
        let since = query.and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|n| n.parse().ok())
        });
        return Some(Target::Events(since));
    }
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let rel = &decoded[1..];
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        // A trailing slash leaves one empty last segment; any other empty
        // segment (`//`) is refused.
        if *segment == ".." || *segment == "." || (segment.is_empty() && i != last) {
            return None;
        }
        if segment.contains(':') {
            return None;
        }
    }
    Some(Target::Path(rel.to_string()))
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not
/// UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a site path, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonld" => "application/ld+json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// The text of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A response head; `extra` holds further `Name: value` lines.
pub fn response_head(status: u16, content_type: &str, length: usize, extra: &[String]) -> String {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status)
    );
    for line in extra {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head
}

/// A complete plain-text response, for errors found before the site is
/// consulted.
pub fn plain_response(status: u16, body: &str, extra: &[String]) -> Vec<u8> {
    let mut out =
        response_head(status, "text/plain; charset=utf-8", body.len(), extra).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The script that reloads the page when the site is rebuilt.
pub fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}?since={generation}\");\
         s.addEventListener(\"reload\",function(){{s.close();location.reload();}});}})();</script>\n"
    )
}

use crate::render::html::escape;

/// The overlay listing a failed build's diagnostics; every text escaped.
pub fn overlay(diagnostics: &[Positioned]) -> String {
    overlay_with(
        diagnostics,
        "The last rebuild failed; this is the last good version of the site. Fix these and save:",
    )
}

fn overlay_with(diagnostics: &[Positioned], intro: &str) -> String {
    let mut html = String::from(
        "<div id=\"chronicle-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;\
         max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1em 1.5em;\
         background:#2b0b0b;color:#fde8e8;font:14px/1.45 ui-monospace,monospace;\
         border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4)\">\n\
         <p style=\"margin:0 0 .5em;font-weight:bold\">",
    );
    html.push_str(&escape(intro));
    html.push_str("</p>\n<ol style=\"margin:0;padding-left:1.5em\">\n");
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut place = String::new();
        if let Some(file) = &d.file {
            place.push_str(file);
            if let (Some(line), Some(column)) = (d.line, d.column) {
                let _ = write!(place, ":{line}:{column}");
            }
        }
        let _ = write!(
            html,
            "<li class=\"chronicle-error\" style=\"margin:.4em 0\"><span class=\"chronicle-error-place\">{}</span> \
             <strong>{severity}[{}]</strong>: {}",
            escape(&place),
            escape(d.code.as_str()),
            escape(&d.message)
        );
        for hint in &d.hints {
            let _ = write!(
                html,
                "<br><span style=\"opacity:.8\">help: {}</span>",
                escape(hint)
            );
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n</div>\n");
    // Messages quote the content, control characters and all.
    crate::render::html::without_controls(".html", html)
}

/// Inserts `snippet` just before the last `</body>` (any case), or at the
/// end when there is none.
pub fn inject(html: &str, snippet: &str) -> String {
    let at = last_body_close(html).unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + snippet.len());
    out.push_str(&html[..at]);
    out.push_str(snippet);
    out.push_str(&html[at..]);
    out
}

fn last_body_close(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let needle = b"</body";
    (0..bytes.len().saturating_sub(needle.len() - 1))
        .rev()
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page served for every path while no build has ever succeeded.
pub fn error_page(diagnostics: &[Positioned]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Build failed · chronicle serve</title>\n</head>\n<body>\n\
         <h1>The site could not be built</h1>\n<p>chronicle serve keeps watching; \
         this page reloads once the problems below are fixed.</p>\n{}</body>\n</html>\n",
        overlay_with(diagnostics, "Fix these and save:")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Option<String> {
        match resolve_target(s) {
            Some(Target::Path(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn request_lines_are_parsed_and_garbage_refused() {
        let r = parse_head(b"GET /days/?x=1 HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/days/?x=1");
        assert!(parse_head(b"HEAD / HTTP/1.0\n\n").is_ok());
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/2\r\n\r\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"\xff\xfe / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"",
        ] {
            assert_eq!(parse_head(bad), Err(HeadError::Malformed), "{bad:?}");
        }
        assert_eq!(
            parse_head(&vec![b'a'; MAX_HEAD + 1]),
            Err(HeadError::TooLarge)
        );
    }

    #[test]
    fn host_and_origin_are_read_and_bad_header_lines_refused() {
        let r = parse_head(b"GET / HTTP/1.1\r\nhOsT:  localhost:1111 \r\nX: y\r\n\r\n").unwrap();
        assert_eq!(r.host.as_deref(), Some("localhost:1111"));
        assert_eq!(r.origin, None);
        assert!(!r.http_1_0);
        let r = parse_head(b"GET / HTTP/1.0\nOrigin: http://a\n\n").unwrap();
        assert!(r.http_1_0);
        assert_eq!(r.host, None);
        assert_eq!(r.origin.as_deref(), Some("http://a"));
        for bad in [
            &b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nOrigin: a\r\norigin: b\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n",
        ] {
            assert_eq!(parse_head(bad), Err(HeadError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn only_this_servers_names_are_allowed_hosts() {
        let ok = |h: &str| host_allowed(h, 1111, None);
        for host in [
            "localhost",
            "localhost:1111",
            "localhost:",
            "LOCALHOST.",
            "drafts.localhost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "192.0.2.7:1111",
            "[::1]",
            "[::1]:1111",
            "[2001:db8::7]:1111",
        ] {
            assert!(ok(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "localhostx",
            "127.0.0.1.nip.io",
            "localhost:1112",
            "127.0.0.1:80",
            "[::1]:1112",
            "localhost:+1111",
            "localhost:1111:1111",
            "[::1",
            "[::1]x",
            "[evil.example]",
            "::1",
            "0x7f.1",
            "local host",
            "a..localhost",
            "vm",
        ] {
            assert!(!ok(host), "{host}");
        }
        assert!(host_allowed("VM:1111", 1111, Some("vm")));
        assert!(host_allowed("vm.", 1111, Some("vm")));
        assert!(!host_allowed("vm.example", 1111, Some("vm")));
    }

    #[test]
    fn an_origin_must_be_the_host_it_sends_to() {
        assert!(origin_allowed("http://localhost:1111", "localhost:1111"));
        assert!(origin_allowed("http://LocalHost:1111", "localhost:1111"));
        assert!(!origin_allowed("http://evil.example", "localhost:1111"));
        assert!(!origin_allowed("https://localhost:1111", "localhost:1111"));
        assert!(!origin_allowed("null", "localhost:1111"));
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\nx"), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
    }

    #[test]
    fn targets_become_site_paths() {
        assert_eq!(path("/").as_deref(), Some(""));
        assert_eq!(path("/days/").as_deref(), Some("days/"));
        assert_eq!(path("/style.css?v=2").as_deref(), Some("style.css"));
        assert_eq!(path("/a%20b/c.html").as_deref(), Some("a b/c.html"));
        assert_eq!(path("/caf%C3%A9/").as_deref(), Some("café/"));
        assert_eq!(
            resolve_target("/__chronicle/events?since=4"),
            Some(Target::Events(Some(4)))
        );
        assert_eq!(
            resolve_target("/__chronicle/events"),
            Some(Target::Events(None))
        );
    }

    #[test]
    fn traversal_and_odd_targets_are_refused() {
        for bad in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/days/../../site.toml",
            "/days/%2e%2e%2f%2e%2e%2fsite.toml",
            "/./site.toml",
            "//etc/passwd",
            "/..\\site.toml",
            "/%5c..%5csite.toml",
            "/a%00.html",
            "/C:/Windows/win.ini",
            "/%zz",
            "/%c3",
            "http://example.org/site.toml",
            "*",
            "site.toml",
        ] {
            assert_eq!(resolve_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("a/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("feed.json"), "application/json");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("t.SVG"), "image/svg+xml");
        assert_eq!(content_type("p.png"), "image/png");
        assert_eq!(content_type("p.jpeg"), "image/jpeg");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("x.d/noext"), "application/octet-stream");
    }

    #[test]
    fn snippets_go_before_the_last_body_close() {
        assert_eq!(
            inject("<body><p>x</p></BODY></html>", "<s>"),
            "<body><p>x</p><s></BODY></html>"
        );
        assert_eq!(
            inject("<p>a</body></p></body>", "!"),
            "<p>a</body></p>!</body>"
        );
        assert_eq!(inject("no body", "!"), "no body!");
        assert_eq!(inject("", "!"), "!");
    }

    #[test]
    fn the_overlay_escapes_what_it_shows() {
        let d = Positioned {
            severity: Severity::Error,
            code: crate::diagnostics::Code::InvalidDate,
            message: "`<script>\u{1b}[2J\u{0}` is not a date".into(),
            file: Some("content/a&b.md".into()),
            line: Some(7),
            column: Some(9),
            hints: vec!["write \"2022-01-26\"".into()],
        };
        let html = overlay(&[d]);
        assert!(html.contains("content/a&amp;b.md:7:9"), "{html}");
        assert!(html.contains("`&lt;script&gt;[2J` is not a date"), "{html}");
        assert!(
            html.contains("help: write &quot;2022-01-26&quot;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(!html.contains(['\u{1b}', '\u{0}']), "no control characters");
    }
}

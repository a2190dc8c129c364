//! What is chronicle's own in the HTTP side of `chronicle serve`, as pure
//! functions: which names and origins are this server's, turning a request
//! target into a key of the in-memory site (refusing every way out of it),
//! content types, and the snippets injected into pages. Parsing requests
//! and writing responses is hyper's (see `serve::conn`).

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::diagnostics::{Positioned, Severity};

/// The most bytes a request head (request line and headers) may take;
/// 431 beyond.
pub const MAX_HEAD: usize = 16 * 1024;

/// The path of the server-sent events stream that tells pages to reload.
pub const EVENTS_PATH: &str = "/__chronicle/events";

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
    /// segment, no NUL, no backslash, no `:`, no empty segment, no escape
    /// left once decoded; `""` is the root.
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
    // An escape left after decoding is a double encoding (`%252e`), which
    // no file of the site needs and a second decoder would turn into `.`.
    if decoded.contains(['\0', '\\']) || escapes(&decoded).any(|valid| valid) {
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

/// Decodes `%XX` escapes; `None` for a `%` not followed by two hex digits,
/// or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    if escapes(s).any(|valid| !valid) {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned())
}

/// For each `%` in `s`, whether two hex digits follow it.
fn escapes(s: &str) -> impl Iterator<Item = bool> + '_ {
    s.split('%').skip(1).map(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// The Content-Type for a site path, by its extension: `mime_guess`'s
/// table, but `application/xml` for `.xml` (the feed and the sitemap;
/// `mime_guess` says `text/xml`, which RFC 7303 advises against), and
/// `application/octet-stream` for what it does not know. Text types are
/// said to be UTF-8, as every text the site has is.
pub fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    let essence = if ext.eq_ignore_ascii_case("xml") {
        "application/xml"
    } else {
        mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
    };
    if essence.starts_with("text/") {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
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
    fn targets_become_site_paths() {
        assert_eq!(path("/").as_deref(), Some(""));
        assert_eq!(path("/days/").as_deref(), Some("days/"));
        assert_eq!(path("/style.css?v=2").as_deref(), Some("style.css"));
        assert_eq!(path("/a%20b/c.html").as_deref(), Some("a b/c.html"));
        assert_eq!(path("/caf%C3%A9/").as_deref(), Some("café/"));
        // A `%` that is no escape once decoded is a name like any other.
        assert_eq!(path("/100%25.html").as_deref(), Some("100%.html"));
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
            "/%252e%252e/site.toml",
            "/%252E%252E%252Fsite.toml",
            "/a/%2525252e",
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
        assert_eq!(content_type("a.unknown"), "application/octet-stream");
        assert_eq!(content_type("chronicle.json"), "application/json");
        assert_eq!(content_type("atom.XML"), "application/xml");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("notes.md"), "text/markdown; charset=utf-8");
    }

    #[test]
    fn escapes_are_decoded_and_bad_ones_refused() {
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/caf%c3%a9").as_deref(), Some("/café"));
        assert_eq!(percent_decode("/100%25").as_deref(), Some("/100%"));
        assert_eq!(percent_decode("/%252e").as_deref(), Some("/%2e"));
        for bad in ["/%", "/%2", "/%zz", "/%2g", "/%c3", "/%c3%28", "/%ff"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
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

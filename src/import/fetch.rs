//! Fetching a page named by its URL: one GET with `ureq`, within a time
//! limit and a size limit, and a reason for each way it can fail.

use std::time::Duration;

/// The time a fetch may take unless `--timeout` says otherwise: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether an input names a URL rather than a file.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A page fetched: its bytes, the address it ended at (after redirects)
/// and when it was fetched (RFC 3339, UTC).
#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub url: String,
    pub retrieved: String,
    /// The `charset` of the response's Content-Type, lowercased.
    pub charset: Option<String>,
}

/// Why a fetch failed, in words for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No answer within the time limit.
    Timeout(Duration),
    /// The server answered with an error status (404, 500...).
    Status(u16),
    /// The page is larger than the size limit.
    TooLarge(u64),
    /// The page is not HTML or text (its content type).
    NotHtml(String),
    /// Anything else: no such host, refused connection, TLS...
    Failed(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Timeout(t) => {
                write!(
                    f,
                    "no complete answer within {} s (the time limit)",
                    t.as_secs_f64()
                )
            }
            FetchError::Status(code) => write!(
                f,
                "the server answered {code} ({})",
                match code {
                    404 => "not found",
                    410 => "gone",
                    401 | 403 => "not allowed",
                    429 => "too many requests",
                    500..=599 => "a server error",
                    _ => "an error",
                }
            ),
            FetchError::TooLarge(limit) => write!(
                f,
                "the page is larger than the limit of {}",
                super::size_text(*limit)
            ),
            FetchError::NotHtml(kind) => {
                write!(f, "the page is {kind}, not HTML or text")
            }
            FetchError::Failed(e) => write!(f, "{e}"),
        }
    }
}

/// Fetches `url`, following up to five redirects, taking at most `timeout`
/// in all and reading at most `limit` bytes. Only `text/html`,
/// `application/xhtml+xml` and `text/plain` (or a page without a content
/// type) are taken.
pub fn fetch(url: &str, timeout: Duration, limit: u64) -> Result<Fetched, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("chronicle-import/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let retrieved = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| error(e, timeout, limit))?;
    let status = response.status().as_u16();
    if status >= 400 {
        return Err(FetchError::Status(status));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let charset = content_type.as_deref().and_then(|v| {
        v.split(';')
            .filter_map(|p| p.trim().strip_prefix("charset="))
            .map(|c| c.trim_matches(['"', '\'', ' ']).to_string())
            .find(|c| !c.is_empty())
    });
    let kind = content_type
        .as_deref()
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !(kind.is_empty()
        || kind == "text/html"
        || kind == "application/xhtml+xml"
        || kind == "text/plain")
    {
        return Err(FetchError::NotHtml(kind));
    }
    if let Some(length) = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        if length > limit {
            return Err(FetchError::TooLarge(limit));
        }
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| error(e, timeout, limit))?;
    let url = response
        .headers()
        .get("content-location")
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_url(v))
        .map_or_else(|| url.to_string(), str::to_string);
    Ok(Fetched {
        bytes,
        url,
        retrieved,
        charset,
    })
}

fn error(e: ureq::Error, timeout: Duration, limit: u64) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout(timeout),
        ureq::Error::StatusCode(code) => FetchError::Status(code),
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(limit),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            FetchError::Timeout(timeout)
        }
        ureq::Error::HostNotFound => FetchError::Failed("no such host".into()),
        ureq::Error::ConnectionFailed => FetchError::Failed("the connection failed".into()),
        ureq::Error::TooManyRedirects => FetchError::Failed("too many redirects".into()),
        other => FetchError::Failed(other.to_string()),
    }
}

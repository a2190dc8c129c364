//! The connections of `chronicle serve`: accepting them, and answering
//! their requests over hyper's HTTP/1.1 (which parses the requests, keeps
//! connections alive between them, and frames the responses).
//!
//! What is ours is what each request is answered, and when a connection
//! is cut off. A connection is in one [`State`] at a time, each bounded:
//! waiting for a request head (in the pool of waiting connections, for the
//! head timeout at most), answering a page (holding one of the page slots;
//! once the page is made, written within [`RESPONSE_TIMEOUT`]), or
//! streaming reload events (in the pool of streams, for the stream
//! lifetime). The task serving a connection watches its state, and closes
//! it when a bound is passed or when a pool cuts it off to make room.

use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::{pin, Pin};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use super::http::{self, Target};
use super::limits::{Cut, Place, Pool, Slot};
use super::{refused_host, respond, Answer, ServerState, RESPONSE_TIMEOUT};

/// How long an event may wait to be taken by a client that does not read,
/// and how long the end of an event stream or a 408 may take to be
/// written.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream sends a comment, to notice a closed page.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How long a connection that is over is read from (and what comes
/// dropped) before it is closed, so that closing does not reset it before
/// the client has read the last answer.
const LINGER: Duration = Duration::from_millis(500);
/// The most a connection buffers: a request head still incomplete at this
/// size gets 431, as does a complete one over [`http::MAX_HEAD`].
const MAX_BUFFER: usize = 64 * 1024;

/// Accepts connections until the server stops, each served by a task.
pub(super) async fn accept_loop(listener: TcpListener, shared: Arc<ServerState>) {
    let mut builder = http1::Builder::new();
    builder
        // `Content-Type`, not `content-type`: what the server always sent.
        .title_case_headers(true)
        .max_header_size(http::MAX_HEAD)
        .max_buf_size(MAX_BUFFER)
        // Ours instead (see `serve`), which answers 408.
        .header_read_timeout(None)
        .keep_alive(true);
    while !shared.stopping.load(Ordering::SeqCst) {
        let accepted = match first(listener.accept(), shared.stop.notified()).await {
            Either::Left(accepted) => accepted,
            Either::Right(()) => break,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors, say: let some close.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        tokio::spawn(serve(stream, Arc::clone(&shared), builder.clone()));
    }
}

/// What a connection is doing; each state is bounded (see the module).
enum State {
    /// Waiting for a request head since `since`.
    Waiting { since: Instant, _place: Place },
    /// Answering a request: to be written by `by` (none while the page is
    /// being made).
    Answering { by: Option<Instant> },
    /// The answer handed to hyper, being written, by `by`; then the
    /// connection waits for its next request among `then` (or closes,
    /// after an event stream).
    Writing {
        by: Instant,
        then: Option<Arc<Pool>>,
    },
    /// Streaming events (for the stream lifetime; the stream ends itself).
    Streaming { _place: Place },
    /// Closing: nothing changes any more.
    Closed,
}

/// One connection, as its task, its requests, its answers and its socket
/// see it.
struct Link {
    cut: Arc<Cut>,
    state: Mutex<State>,
}

impl Link {
    /// Moves to the state `next` makes of the present one, unless the
    /// connection is closing; wakes its task.
    fn set(&self, next: impl FnOnce(&State) -> Option<State>) {
        let previous = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if matches!(*state, State::Closed) {
                return;
            }
            let Some(next) = next(&state) else {
                return;
            };
            std::mem::replace(&mut *state, next)
        };
        // A place is left outside the lock.
        drop(previous);
        self.cut.signal().notify_one();
    }

    /// hyper has written all it had: an answer being written is, and the
    /// connection waits for the next request (or closes).
    fn flushed(&self) {
        self.set(|state| match state {
            State::Writing {
                then: Some(pool), ..
            } => Some(State::Waiting {
                since: Instant::now(),
                _place: pool.join(Arc::clone(&self.cut)).0,
            }),
            _ => None,
        });
    }

    /// When the connection's present state is over, and whether it is
    /// waiting for a head.
    fn deadline(&self, head_timeout: Duration) -> Option<(Instant, bool)> {
        match &*self.state.lock().unwrap_or_else(|e| e.into_inner()) {
            State::Waiting { since, .. } => Some((*since + head_timeout, true)),
            State::Answering { by: Some(by) } | State::Writing { by, .. } => Some((*by, false)),
            State::Answering { by: None } | State::Streaming { .. } | State::Closed => None,
        }
    }
}

/// How a connection's task ended.
enum Ended {
    /// hyper is done with it (the client closed it, asked for it to be
    /// closed, or sent something it answered 400 or 431).
    Over,
    /// No request head came in time.
    HeadTimeout,
    /// An answer took too long, or the connection was cut off.
    Dropped,
}

/// Serves one connection: its requests, one after the other, until it is
/// over, too slow, or cut off.
async fn serve(stream: TcpStream, shared: Arc<ServerState>, builder: http1::Builder) {
    // Small answers on a kept-alive connection go out at once.
    let _ = stream.set_nodelay(true);
    let cut = Cut::new();
    let link = Arc::new(Link {
        state: Mutex::new(State::Waiting {
            since: Instant::now(),
            _place: shared.waiting.join(Arc::clone(&cut)).0,
        }),
        cut,
    });
    let io = TokioIo::new(Tracked {
        stream,
        link: Arc::clone(&link),
    });
    let service = {
        let (shared, link) = (Arc::clone(&shared), Arc::clone(&link));
        service_fn(move |request| answer(request, Arc::clone(&shared), Arc::clone(&link)))
    };
    let mut connection = builder.serve_connection(io, service);
    let ended = loop {
        if link.cut.is_cut() {
            break Ended::Dropped;
        }
        let deadline = link.deadline(shared.head_timeout);
        let far = Instant::now() + Duration::from_secs(24 * 3600);
        let timer = tokio::time::sleep_until(deadline.map_or(far, |(at, _)| at).into());
        let (mut timer, mut signal) = (pin!(timer), pin!(link.cut.signal().notified()));
        let woke = poll_fn(|cx| {
            if Pin::new(&mut connection).poll(cx).is_ready() {
                return Poll::Ready(Some(Ended::Over));
            }
            if signal.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            timer.as_mut().poll(cx).map(|()| {
                // Past the deadline it had when the timer was set; the
                // state may have moved on since.
                match link.deadline(shared.head_timeout) {
                    Some((at, true)) if Instant::now() >= at => Some(Ended::HeadTimeout),
                    Some((at, false)) if Instant::now() >= at => Some(Ended::Dropped),
                    _ => None,
                }
            })
        })
        .await;
        if let Some(ended) = woke {
            break ended;
        }
    };
    // Leaves any pool; the answers let go below change nothing.
    link.set(|_| Some(State::Closed));
    match ended {
        Ended::Dropped => {}
        Ended::Over => linger(connection.into_parts().io.into_inner().stream).await,
        Ended::HeadTimeout => {
            let parts = connection.into_parts();
            let mut stream = parts.io.into_inner().stream;
            // Part of a head came: say why the connection closes. An idle
            // connection is just closed, as a client expects.
            if !parts.read_buf.is_empty() {
                let body = "the request head did not come in time\n";
                let timed_out = format!(
                    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(timed_out.as_bytes()))
                    .await;
            }
            linger(stream).await;
        }
    }
}

/// Closes a connection gently: whatever the client still sends is read
/// and dropped for a moment, so that closing does not reset the connection
/// before the client has read the last answer.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let deadline = tokio::time::Instant::now() + LINGER;
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    while drained < (1 << 20) {
        match tokio::time::timeout_at(deadline, stream.read(&mut sink)).await {
            Ok(Ok(n)) if n > 0 => drained += n,
            _ => break,
        }
    }
}

/// Answers one request. The connection leaves the waiting ones while it is
/// answered, and waits again once the answer is written.
async fn answer(
    request: Request<Incoming>,
    shared: Arc<ServerState>,
    link: Arc<Link>,
) -> Result<Response<Reply>, Infallible> {
    link.set(|_| {
        Some(State::Answering {
            by: Some(Instant::now() + RESPONSE_TIMEOUT),
        })
    });
    let done = Done {
        link: Arc::clone(&link),
        then: Some(Arc::clone(&shared.waiting)),
    };
    Ok(route(request, &shared, &link, done).await)
}

/// The answer to a request, after checking whom it is for and what it asks.
async fn route(
    request: Request<Incoming>,
    shared: &ServerState,
    link: &Link,
    mut done: Done,
) -> Response<Reply> {
    let head_only = request.method() == Method::HEAD;
    let headers = request.headers();
    // Sent twice, which one would the server believe?
    if headers.get_all(header::HOST).iter().count() > 1
        || headers.get_all(header::ORIGIN).iter().count() > 1
    {
        return Answer::plain(400, "bad request: Host or Origin sent twice\n")
            .send(head_only, done);
    }
    // Whom the request is for, before anything else is said.
    let host = headers.get(header::HOST).map(|h| h.to_str().unwrap_or(""));
    match host {
        None if request.version() != Version::HTTP_10 => {
            return Answer::plain(400, "an HTTP/1.1 request needs a Host header\n")
                .send(head_only, done)
        }
        Some(host) if !http::host_allowed(host, shared.port, shared.hostname.as_deref()) => {
            return Answer::plain(403, &refused_host(shared)).send(head_only, done);
        }
        // An allowed name; or HTTP/1.0 without Host: browsers always send
        // one, so this is not a page in a browser, and cannot be a
        // rebinding attack.
        _ => {}
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Answer::plain(405, "only GET and HEAD\n")
            .with(header::ALLOW, "GET, HEAD")
            .send(false, done);
    }
    // Only a path (origin form): not `http://host/path`, nor `*`.
    let uri = request.uri();
    let target = match uri.path_and_query() {
        Some(target) if uri.scheme().is_none() && uri.authority().is_none() => target.as_str(),
        _ => "",
    };
    let Some(resolved) = http::resolve_target(target) else {
        return Answer::plain(400, "bad path\n").send(head_only, done);
    };
    match resolved {
        Target::Events(since) => {
            let origin = headers
                .get(header::ORIGIN)
                .map(|o| o.to_str().unwrap_or(""));
            let same_origin = match (origin, host) {
                (None, _) => true,
                (Some(origin), Some(host)) => http::origin_allowed(origin, host),
                (Some(_), None) => false,
            };
            if !same_origin {
                return Answer::plain(403, "reload events are for this site's own pages\n")
                    .send(head_only, done);
            }
            let head = Answer::new(200, "text/event-stream", Bytes::new())
                .with(header::CONNECTION, "close");
            if head_only {
                return head.send(true, done);
            }
            // Counted among the streams, which may cut off the oldest; the
            // connection closes after the stream.
            link.set(|_| {
                Some(State::Streaming {
                    _place: shared.streams.join(Arc::clone(&link.cut)).0,
                })
            });
            done.then = None;
            let (send, events) = mpsc::channel(1);
            tokio::spawn(stream_events(
                send,
                shared.reloads.subscribe(),
                since,
                shared.stream_lifetime,
                Arc::clone(&link.cut),
            ));
            head.into_response(Content::Events(events), done, None)
        }
        Target::Path(path) => {
            let Some(slot) = shared.pages.take() else {
                return Answer::plain(503, "too many requests at once; try again\n")
                    .with(header::RETRY_AFTER, "1")
                    .send(head_only, done);
            };
            let state = shared.current();
            let (target, listener) = (target.to_string(), shared.listener.clone());
            // Rendering a stale page takes a while: not on the thread
            // that serves the connections, and not counted against the
            // time the client has to take the answer. The slot goes with
            // the rendering, which goes on if the connection is dropped.
            link.set(|_| Some(State::Answering { by: None }));
            let page = tokio::task::spawn_blocking(move || {
                (respond(&state, &path, &target, listener.as_ref()), slot)
            })
            .await;
            link.set(|_| {
                Some(State::Answering {
                    by: Some(Instant::now() + RESPONSE_TIMEOUT),
                })
            });
            match page {
                Ok((answer, slot)) => answer.send_holding(head_only, done, Some(slot)),
                Err(_) => Answer::plain(500, "the page could not be made (a bug in chronicle)\n")
                    .send(head_only, done),
            }
        }
    }
}

impl Answer {
    /// The response: for HEAD without the body, but with the length a GET
    /// would get.
    fn send(self, head_only: bool, done: Done) -> Response<Reply> {
        self.send_holding(head_only, done, None)
    }

    /// The same, holding `slot` until the answer is written.
    fn send_holding(mut self, head_only: bool, done: Done, slot: Option<Slot>) -> Response<Reply> {
        if head_only {
            let length = self.body.len().to_string();
            self.headers.push((header::CONTENT_LENGTH, length));
        }
        let body = (!head_only).then(|| std::mem::take(&mut self.body));
        self.into_response(Content::Bytes(body), done, slot)
    }

    /// The response with `content` as its body; `done` and `slot` are let
    /// go once it is written.
    fn into_response(self, content: Content, done: Done, slot: Option<Slot>) -> Response<Reply> {
        let mut headers = HeaderMap::new();
        let fixed = [
            (header::CONTENT_TYPE, self.content_type),
            // A reload always shows the latest build.
            (header::CACHE_CONTROL, "no-store".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ];
        for (name, value) in fixed.into_iter().chain(self.headers) {
            let Ok(value) = HeaderValue::try_from(value) else {
                // Nothing the server sends is not a header value; but if it
                // were, better an error than a partial answer.
                return Answer::plain(500, "an answer could not be sent\n").send(false, done);
            };
            headers.append(name, value);
        }
        let mut response = Response::new(Reply {
            content,
            _done: done,
            _slot: slot,
        });
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = headers;
        response
    }
}

/// Hands the connection on when its answer's body is let go (all of it
/// given to hyper, or dropped with the connection): the answer is then
/// being written, until hyper has written it all (see [`Link::flushed`]);
/// then the connection waits for its next request among `then`, or, after
/// an event stream, closes.
struct Done {
    link: Arc<Link>,
    then: Option<Arc<Pool>>,
}

impl Drop for Done {
    fn drop(&mut self) {
        let then = self.then.take();
        self.link.set(|state| {
            let by = match state {
                State::Answering { by: Some(by) } => *by,
                _ => Instant::now() + WRITE_TIMEOUT,
            };
            Some(State::Writing { by, then })
        });
    }
}

/// A response body: bytes, or events as they come.
enum Content {
    Bytes(Option<Bytes>),
    Events(mpsc::Receiver<Bytes>),
}

/// The body of every response, holding what is let go once it is written.
struct Reply {
    content: Content,
    _done: Done,
    _slot: Option<Slot>,
}

impl Body for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match &mut self.get_mut().content {
            Content::Bytes(bytes) => Poll::Ready(
                bytes
                    .take()
                    .filter(|b| !b.is_empty())
                    .map(|b| Ok(Frame::data(b))),
            ),
            Content::Events(events) => events
                .poll_recv(cx)
                .map(|event| event.map(|e| Ok(Frame::data(e)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.content {
            Content::Bytes(bytes) => bytes.as_ref().is_none_or(|b| b.is_empty()),
            Content::Events(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.content {
            Content::Bytes(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Content::Events(_) => SizeHint::default(),
        }
    }
}

/// The server-sent events of one stream: how soon to connect again, then
/// a `reload` event after each rebuild (at once if one happened since the
/// page's generation `since`), and a comment when idle. The stream ends
/// after `lifetime`, when the server stops, or when the connection is gone;
/// a client that does not take an event within [`WRITE_TIMEOUT`] is cut
/// off.
async fn stream_events(
    send: mpsc::Sender<Bytes>,
    mut reloads: watch::Receiver<u64>,
    since: Option<u64>,
    lifetime: Duration,
    cut: Arc<Cut>,
) {
    let end = tokio::time::Instant::now() + lifetime;
    let mut seen = since.unwrap_or_else(|| *reloads.borrow_and_update());
    let mut next = Bytes::from_static(b"retry: 1000\n\n");
    loop {
        match tokio::time::timeout(WRITE_TIMEOUT, send.send(next)).await {
            Ok(Ok(())) => {}
            // The connection is gone.
            Ok(Err(_)) => return,
            Err(_) => {
                cut.cut();
                return;
            }
        }
        next = loop {
            let generation = *reloads.borrow_and_update();
            if generation != seen {
                seen = generation;
                break Bytes::from(format!("event: reload\ndata: {generation}\n\n"));
            }
            let now = tokio::time::Instant::now();
            if now >= end {
                return;
            }
            let wake = (now + KEEPALIVE).min(end);
            let changed = tokio::time::timeout_at(wake, reloads.changed());
            match first(changed, send.closed()).await {
                Either::Left(Ok(Ok(()))) => {}
                // The server stopped, or the connection is gone.
                Either::Left(Ok(Err(_))) | Either::Right(()) => return,
                Either::Left(Err(_)) if tokio::time::Instant::now() >= end => return,
                Either::Left(Err(_)) => break Bytes::from_static(b": keep-alive\n\n"),
            }
        };
    }
}

/// A connection's socket, telling its [`Link`] when hyper has written all
/// it had.
struct Tracked {
    stream: TcpStream,
    link: Arc<Link>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // hyper flushes once all it had buffered is written.
        let this = self.get_mut();
        let flushed = Pin::new(&mut this.stream).poll_flush(cx);
        if flushed.is_ready() {
            this.link.flushed();
        }
        flushed
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Which of two futures finished first.
enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Runs two futures until one finishes (the first is polled first).
async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| {
        if let Poll::Ready(a) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(a));
        }
        b.as_mut().poll(cx).map(Either::Right)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection waiting among `pool`'s.
    fn waiting(pool: &Arc<Pool>) -> Arc<Link> {
        let cut = Cut::new();
        Arc::new(Link {
            state: Mutex::new(State::Waiting {
                since: Instant::now(),
                _place: pool.join(Arc::clone(&cut)).0,
            }),
            cut,
        })
    }

    #[test]
    fn a_connection_waits_again_once_its_answer_is_written() {
        let pool = Pool::new(4);
        let link = waiting(&pool);
        let head = Duration::from_secs(5);
        assert!(matches!(link.deadline(head), Some((_, true))));
        assert_eq!(pool.len(), 1);

        let by = Instant::now() + RESPONSE_TIMEOUT;
        link.set(|_| Some(State::Answering { by: Some(by) }));
        assert_eq!(pool.len(), 0, "an answered connection is not waiting");
        assert_eq!(link.deadline(head), Some((by, false)));
        // A flush while the answer is still being made changes nothing.
        link.flushed();
        assert_eq!(link.deadline(head), Some((by, false)));

        // The body handed over: still the answer's time, until written.
        drop(Done {
            link: Arc::clone(&link),
            then: Some(Arc::clone(&pool)),
        });
        assert_eq!(link.deadline(head), Some((by, false)));
        assert_eq!(pool.len(), 0);
        link.flushed();
        assert!(matches!(link.deadline(head), Some((_, true))));
        assert_eq!(pool.len(), 1);

        // Closing leaves the pool, and nothing moves it on again.
        link.set(|_| Some(State::Closed));
        assert_eq!(pool.len(), 0);
        link.set(|_| Some(State::Answering { by: None }));
        drop(Done {
            link: Arc::clone(&link),
            then: Some(Arc::clone(&pool)),
        });
        link.flushed();
        assert_eq!(link.deadline(head), None);
        assert_eq!(pool.len(), 0);
    }

    #[test]
    fn after_an_event_stream_the_connection_is_not_waiting() {
        let (waiting_pool, streams) = (Pool::new(4), Pool::new(4));
        let link = waiting(&waiting_pool);
        link.set(|_| {
            Some(State::Streaming {
                _place: streams.join(Arc::clone(&link.cut)).0,
            })
        });
        assert_eq!((waiting_pool.len(), streams.len()), (0, 1));
        assert_eq!(link.deadline(Duration::from_secs(5)), None);
        drop(Done {
            link: Arc::clone(&link),
            then: None,
        });
        link.flushed();
        // Its end to be written within the write timeout, then closed.
        let (by, waiting) = link.deadline(Duration::from_secs(5)).unwrap();
        assert!(!waiting && by <= Instant::now() + WRITE_TIMEOUT);
        assert_eq!((waiting_pool.len(), streams.len()), (0, 0));
    }
}

//! Which path answers what, and the headers every answer carries.
//!
//! Every API handler goes through [`answer`]: query string → checked
//! [`Params`] → the handler on tokio's blocking pool → JSON or a JSON error.
//! Keeping that path in one place is what makes "bad parameters get a 400
//! naming the parameter" true of every endpoint, including ones added later,
//! and what bounds how many large answers are in memory at once.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;

use super::api;
use super::page;
use super::params::{ApiError, Params};
use super::AppState;
use crate::store::Totals;

type Shared = Arc<AppState>;
type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;
type Handler = fn(&AppState, &Params) -> api::Answer;

/// What an endpoint costs, which decides whether its answers are kept and
/// whether it waits for a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cost {
    /// The store's totals as they are now: never kept, never waits.
    Live,
    /// A few reads: kept, never waits.
    Light,
    /// Detection, or rows in proportion to the range or the store (a curve
    /// of 87,840 buckets is some 25 MB while built): kept, and built only
    /// on one of the server's turns ([`AppState::with_answer_limits`]).
    Heavy,
}

/// Seconds a `503` asks a client to wait before asking again.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The whole service: the page, its two files, and the API.
pub fn router(state: Shared) -> Router {
    let endpoints: [(&'static str, Handler, &'static [&'static str], Cost); 6] = [
        ("/api/health", api::health, api::HEALTH_PARAMS, Cost::Live),
        ("/api/topics", api::topics, api::TOPICS_PARAMS, Cost::Light),
        ("/api/curve", api::curve, api::CURVE_PARAMS, Cost::Heavy),
        (
            "/api/incidents",
            api::incidents,
            api::INCIDENTS_PARAMS,
            Cost::Heavy,
        ),
        ("/api/spread", api::spread, api::SPREAD_PARAMS, Cost::Heavy),
        ("/api/posts", api::posts, api::POSTS_PARAMS, Cost::Heavy),
    ];
    let r = Router::new()
        .route("/", get(page::index))
        .route("/index.html", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style));
    let r = endpoints
        .into_iter()
        .fold(r, |r, (path, handler, allowed, cost)| {
            r.route(
                path,
                get(move |State(s): State<Shared>, q: RawQuery| {
                    answer(s, q, allowed, handler, path, cost)
                }),
            )
        });
    r.fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Runs one API handler. sled reads are quick, but detection and the
/// per-region baselines behind /api/spread are milliseconds of arithmetic
/// over a year of hours; on the blocking pool they cannot stall the async
/// workers that also drive the feed pollers and other requests.
async fn answer(
    state: Shared,
    query: RawQuery,
    allowed: &'static [&'static str],
    handler: Handler,
    path: &'static str,
    cost: Cost,
) -> Response {
    let result = match query {
        Err(e) => Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            error: format!("unreadable query string: {}", e.body_text()),
            parameter: None,
        }),
        Ok(Query(pairs)) => match Params::parse(pairs, allowed) {
            Err(e) => Err(e),
            Ok(params) => respond(state, path, params, handler, cost).await,
        },
    };
    let mut response = result.unwrap_or_else(|e| error_response(&e));
    // Counts change under a running poller: browsers must ask again (the
    // server's own cache knows when the store changed).
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The kept answer, if any, and otherwise the answer built on a turn of
/// its own when the endpoint is heavy. A kept answer never waits: it is
/// already in memory, shared by everyone who asks.
async fn respond(
    state: Shared,
    path: &'static str,
    params: Params,
    handler: Handler,
    cost: Cost,
) -> Result<Response, ApiError> {
    let key = format!("{path}?{}", params.key());
    let look = |state: &Shared, key: &String| {
        let (state, key) = (Arc::clone(state), key.clone());
        blocking(move || lookup(&state, &key))
    };
    let mut version = None;
    if cost != Cost::Live {
        match look(&state, &key).await? {
            Ok(hit) => return Ok(json_response(Body::from(hit))),
            Err(v) => version = Some(v),
        }
    }
    let mut turn = None;
    if cost == Cost::Heavy {
        turn = Some(wait_for_turn(&state).await?);
        // Another request may have built the same answer meanwhile.
        match look(&state, &key).await? {
            Ok(hit) => return Ok(json_response(Body::from(hit))),
            Err(v) => version = Some(v),
        }
    }
    let (body, turn) =
        blocking_on_turn(turn, move || build(&state, key, version, &params, handler)).await?;
    Ok(match turn {
        None => json_response(Body::from(body)),
        Some(turn) => {
            let len = body.len();
            let mut response = json_response(Body::from_stream(HeldBody {
                bytes: Some(body),
                _turn: turn,
            }));
            // A stream's length is unknown to hyper; this one's is not, and
            // a client may want to see it.
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            response
        }
    })
}

fn json_response(body: Body) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(ApiError::internal(format!("the request failed: {e}"))))
}

/// `work` on the blocking pool, holding `turn` until the work ends, then
/// handing it back with the result. The turn must go with the work, not
/// with the request: a client that hangs up drops its request at once, but
/// the work already started for it runs on, and must go on counting
/// against the bound on answers built at once.
async fn blocking_on_turn<T: Send + 'static>(
    turn: Option<OwnedSemaphorePermit>,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<(T, Option<OwnedSemaphorePermit>), ApiError> {
    blocking(move || work().map(|done| (done, turn))).await
}

/// One of the server's turns to build a heavy answer. Waiting costs a
/// request nothing but its connection; a request that would wait longer
/// than the server's limit is told to come back (`503` with
/// `Retry-After`) rather than queue without end behind a flood.
async fn wait_for_turn(state: &AppState) -> Result<OwnedSemaphorePermit, ApiError> {
    let turns = Arc::clone(&state.turns);
    match tokio::time::timeout(state.turn_wait, turns.acquire_owned()).await {
        Ok(Ok(turn)) => Ok(turn),
        Ok(Err(closed)) => Err(ApiError::internal(format!("no turn to answer: {closed}"))),
        Err(_) => Err(ApiError::busy(format!(
            "the server is building as many large answers as it may at once; \
             ask again in {RETRY_AFTER_SECS} seconds"
        ))),
    }
}

/// A heavy answer's bytes, holding the turn they were built on until the
/// connection has taken them, or has gone: a client that does not read
/// would otherwise keep any number of built answers in memory, each past
/// the bound on answers built at once.
struct HeldBody {
    bytes: Option<Bytes>,
    _turn: OwnedSemaphorePermit,
}

impl Stream for HeldBody {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // hyper asks for the end only once the bytes are mostly written.
        Poll::Ready(self.bytes.take().map(Ok))
    }
}

/// The answer kept for `key`, or the store's version a fresh one would be
/// kept under.
fn lookup(state: &AppState, key: &str) -> Result<Result<Bytes, Totals>, ApiError> {
    let version = state.cache.check(&state.store)?;
    Ok(state.cache.answer(key).ok_or(version))
}

/// The handler's answer, kept under `version` (health has none: it reports
/// the store's totals as they are).
fn build(
    state: &AppState,
    key: String,
    version: Option<Totals>,
    params: &Params,
    handler: Handler,
) -> Result<Bytes, ApiError> {
    let body = Bytes::from(handler(state, params)?);
    if let Some(version) = version {
        state.cache.keep_answer(key, body.clone(), version);
    }
    Ok(body)
}

/// Answers, ahead of the first visit, what the page asks first for every
/// stored topic (its curve, incidents and the largest incident's spread),
/// so opening the dashboard does not wait for detection over the whole
/// store. Failures are left for the real requests to report. It takes no
/// turn: it is one thread, building one answer at a time.
pub fn warm(state: &AppState) {
    let Ok(mut topics) = state.store.stored_topics() else {
        return;
    };
    // The page opens on netflix when it has posts.
    topics.sort_by_key(|t| t != "netflix");
    let ask = |path: &str, handler: Handler, allowed: &[&str], query: &[(&str, &str)]| {
        let pairs = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let params = Params::parse(pairs, allowed).ok()?;
        let key = format!("{path}?{}", params.key());
        match lookup(state, &key).ok()? {
            Ok(hit) => Some(hit),
            Err(version) => build(state, key, Some(version), &params, handler).ok(),
        }
    };
    for topic in &topics {
        let topic = [("topic", topic.as_str())];
        ask("/api/curve", api::curve, api::CURVE_PARAMS, &topic);
        let largest = ask(
            "/api/incidents",
            api::incidents,
            api::INCIDENTS_PARAMS,
            &topic,
        )
        .and_then(|body| serde_json::from_slice::<Value>(&body).ok())
        .and_then(|v| v["largest"].as_u64());
        if let Some(n) = largest {
            let n = n.to_string();
            let query = [topic[0], ("incident", n.as_str())];
            ask("/api/spread", api::spread, api::SPREAD_PARAMS, &query);
        }
    }
}

pub fn error_response(e: &ApiError) -> Response {
    let mut response = (e.status, Json(e.body())).into_response();
    if e.status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    }
    response
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        let e = ApiError::not_found(
            None,
            "no such endpoint; see /api/health, /api/topics, /api/curve, /api/incidents, /api/spread, /api/posts",
        );
        error_response(&e)
    } else {
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}

/// Is the `Host` header a name of this machine's loopback interface?
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [::1]:8080
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Headers for every answer, and, on a loopback-only server, a refusal of
/// requests addressed to any other host name: that is what a web page on
/// another site would send through DNS rebinding to read a local server.
async fn guard(State(state): State<Shared>, request: Request, next: Next) -> Response {
    if state.loopback_only {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        if !is_loopback_host(host) {
            return error_response(&ApiError {
                status: StatusCode::FORBIDDEN,
                error: "this server answers only requests addressed to localhost".into(),
                parameter: None,
            });
        }
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(page::CONTENT_SECURITY_POLICY),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::Semaphore;

    /// A real server on 127.0.0.1 over the test store, allowed one heavy
    /// answer at a time and a short wait; its turns, to hold from the test.
    async fn one_turn_server() -> (tempfile::TempDir, String, Arc<Semaphore>) {
        one_turn_server_closing_stalls_after(super::super::SEND_STALL).await
    }

    /// As [`one_turn_server`], closing a connection when a write to it
    /// makes no progress for `stall`.
    async fn one_turn_server_closing_stalls_after(
        stall: Duration,
    ) -> (tempfile::TempDir, String, Arc<Semaphore>) {
        let (dir, state) = api::tests::state();
        let state = state
            .with_answer_limits(1, Duration::from_millis(300))
            .with_send_stall(stall);
        let turns = Arc::clone(&state.turns);
        let listener = super::super::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(super::super::serve(listener, state, std::future::pending()));
        (dir, base, turns)
    }

    /// Until the server has let go of every turn (it does once a body is
    /// sent, a moment after the client may have read it).
    async fn all_turns_free(turns: &Semaphore) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while turns.available_permits() < 1 {
            assert!(Instant::now() < deadline, "a turn was never given back");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_heavy_answer_waits_for_a_turn_and_a_kept_one_does_not() {
        let (_dir, base, turns) = one_turn_server().await;
        // Not among the questions the server answers ahead of time.
        let url = format!("{base}/api/curve?topic=netflix&by=day&from=2012-12-22");

        let held = Arc::clone(&turns).acquire_owned().await.unwrap();
        let r = reqwest::get(&url).await.unwrap();
        assert_eq!(r.status().as_u16(), 503);
        assert_eq!(r.headers()["retry-after"], "5");
        let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"error": "the server is building as many large answers as it \
                may at once; ask again in 5 seconds"})
        );
        // Light answers never wait.
        let r = reqwest::get(format!("{base}/api/health")).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let r = reqwest::get(format!("{base}/api/topics")).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);

        drop(held);
        let r = reqwest::get(&url).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(v["buckets"].as_array().unwrap().len(), 4);
        assert_eq!(v["buckets"][2]["complaints"], 4 * 40 + 20);
        all_turns_free(&turns).await;

        // Built once and kept, it is answered without a turn.
        let _held = Arc::clone(&turns).acquire_owned().await.unwrap();
        let r = reqwest::get(&url).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let kept: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(kept, v);
    }

    /// Asks `base` over a raw connection for ten years of hours (some
    /// 15 MB, more than the sockets hold) and returns the connection, unread,
    /// once the answer has taken the server's one turn.
    async fn ask_ten_years_of_hours(base: &str, turns: &Semaphore) -> tokio::net::TcpStream {
        let addr = base.trim_start_matches("http://");
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "GET /api/curve?topic=netflix&from=2012-12-24&to=2022-12-23T23 HTTP/1.1\r\n\
             Host: {addr}\r\nConnection: close\r\n\r\n"
        );
        client.write_all(request.as_bytes()).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while turns.available_permits() > 0 {
            assert!(Instant::now() < deadline, "the answer never took a turn");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        client
    }

    /// An answer in memory counts against the bound until its client has
    /// taken it: a client that does not read holds its turn.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_that_does_not_read_holds_its_turn() {
        let (_dir, base, turns) = one_turn_server().await;
        let mut client = ask_ten_years_of_hours(&base, &turns).await;
        // Built long since, and still unsent.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(turns.available_permits(), 0);
        let r = reqwest::get(format!(
            "{base}/api/curve?topic=netflix&by=day&to=2012-12-23"
        ))
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 503);

        let mut answer = Vec::new();
        client.read_to_end(&mut answer).await.unwrap();
        all_turns_free(&turns).await;
        let text = String::from_utf8(answer).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["buckets"].as_array().unwrap().len(), 87_648);
        assert!(body.len() > 10_000_000, "{}", body.len());
    }

    /// ...but not for ever: once the server's writes to it have made no
    /// progress for the send timeout, its connection is closed, and its
    /// answer and turn go with it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_that_stops_reading_loses_its_answer_and_its_turn() {
        let (_dir, base, turns) =
            one_turn_server_closing_stalls_after(Duration::from_millis(500)).await;
        let mut client = ask_ten_years_of_hours(&base, &turns).await;
        all_turns_free(&turns).await;

        // The turn serves the next heavy request.
        let url = format!("{base}/api/curve?topic=netflix&by=day&from=2012-12-22");
        let r = reqwest::get(&url).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(v["buckets"].as_array().unwrap().len(), 4);
        assert_eq!(v["buckets"][2]["complaints"], 4 * 40 + 20);

        // The stalled client gets what the sockets held, then the end of
        // the connection: less than the length it was promised.
        let mut answer = Vec::new();
        let mut chunk = vec![0; 1 << 16];
        while let Ok(n @ 1..) = client.read(&mut chunk).await {
            answer.extend_from_slice(&chunk[..n]);
        }
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let promised: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert!(promised > 10_000_000, "{promised}");
        assert!(body.len() < promised, "{} of {promised}", body.len());
    }

    /// A client that hangs up drops its request while its answer is being
    /// built; the build's turn stays taken until the build ends.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_build_keeps_its_turn_when_its_request_is_dropped() {
        let turns = Arc::new(Semaphore::new(1));
        let turn = Arc::clone(&turns).acquire_owned().await.unwrap();
        let (started, building) = tokio::sync::oneshot::channel();
        let (finish, finishing) = std::sync::mpsc::channel::<()>();
        let request = tokio::spawn(blocking_on_turn(Some(turn), move || {
            started.send(()).unwrap();
            finishing.recv().unwrap();
            Ok(42)
        }));
        building.await.unwrap();
        request.abort();
        assert!(request.await.unwrap_err().is_cancelled());
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(turns.available_permits(), 0, "the build gave its turn back");
        finish.send(()).unwrap();
        all_turns_free(&turns).await;
    }

    #[test]
    fn loopback_host_names() {
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:45",
            "127.1.2.3",
            "[::1]:8080",
            "app.localhost",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "10.0.0.1:8080",
            "[::2]:80",
            "localhost.evil.example",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}

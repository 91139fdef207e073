//! Which path answers what, and the headers every answer carries.
//!
//! Every API handler goes through [`answer`]: query string → checked
//! [`Params`] → the handler on tokio's blocking pool → JSON or a JSON error.
//! Keeping that path in one place is what makes "bad parameters get a 400
//! naming the parameter" true of every endpoint, including ones added later.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use super::api;
use super::page;
use super::params::{ApiError, Params};
use super::AppState;

type Shared = Arc<AppState>;
type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;
type Handler = fn(&AppState, &Params) -> Result<Value, ApiError>;

/// The whole service: the page, its two files, and the API.
pub fn router(state: Shared) -> Router {
    macro_rules! api {
        ($router:expr, $path:literal, $handler:path, $allowed:expr) => {
            $router.route(
                $path,
                get(|State(s): State<Shared>, q: RawQuery| answer(s, q, $allowed, $handler, $path)),
            )
        };
    }
    let r = Router::new()
        .route("/", get(page::index))
        .route("/index.html", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style));
    let r = api!(r, "/api/health", api::health, api::HEALTH_PARAMS);
    let r = api!(r, "/api/topics", api::topics, api::TOPICS_PARAMS);
    let r = api!(r, "/api/curve", api::curve, api::CURVE_PARAMS);
    let r = api!(r, "/api/incidents", api::incidents, api::INCIDENTS_PARAMS);
    let r = api!(r, "/api/spread", api::spread, api::SPREAD_PARAMS);
    let r = api!(r, "/api/posts", api::posts, api::POSTS_PARAMS);
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
) -> Response {
    let result = match query {
        Err(e) => Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            error: format!("unreadable query string: {}", e.body_text()),
            parameter: None,
        }),
        Ok(Query(pairs)) => match Params::parse(pairs, allowed) {
            Err(e) => Err(e),
            Ok(params) => tokio::task::spawn_blocking(move || run(&state, path, &params, handler))
                .await
                .unwrap_or_else(|e| Err(ApiError::internal(format!("the request failed: {e}")))),
        },
    };
    let mut response = match result {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => error_response(&e),
    };
    // Counts change under a running poller: browsers must ask again (the
    // server's own cache knows when the store changed).
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer from the cache, or from the handler (then kept). Health is
/// never kept: it reports the store's totals as they are.
fn run(state: &AppState, path: &str, params: &Params, handler: Handler) -> Result<Bytes, ApiError> {
    let key = format!("{path}?{}", params.key());
    let version = if path == "/api/health" {
        None
    } else {
        let version = state.cache.check(&state.store)?;
        if let Some(hit) = state.cache.answer(&key) {
            return Ok(hit);
        }
        Some(version)
    };
    let value = handler(state, params)?;
    let body = Bytes::from(
        serde_json::to_vec(&value).map_err(|e| ApiError::internal(format!("writing JSON: {e}")))?,
    );
    if let Some(version) = version {
        state.cache.keep_answer(key, body.clone(), version);
    }
    Ok(body)
}

/// Answers, ahead of the first visit, what the page asks first for every
/// stored topic (its curve, incidents and the largest incident's spread),
/// so opening the dashboard does not wait for detection over the whole
/// store. Failures are left for the real requests to report.
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
        Params::parse(pairs, allowed)
            .ok()
            .and_then(|p| run(state, path, &p, handler).ok())
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
    (e.status, Json(e.body())).into_response()
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

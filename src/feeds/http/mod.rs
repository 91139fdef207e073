//! A polite, bounded HTTP client shared by the pollers.
//!
//! Public APIs tolerate pollers only as long as they behave: outcry honours
//! `Retry-After`, paces itself from the rate-limit headers so it slows down
//! *before* a limit is reached, and backs off exponentially (with jitter, so
//! many feeds failing together do not retry in lockstep) on errors and
//! timeouts. It also never trusts the other end: bodies are read in chunks up
//! to a size limit and JSON is refused past a nesting depth, so a broken or
//! hostile server cannot make outcry use unbounded memory or stack.
//!
//! The waiting logic ([`Polite`]) is separate from the wire ([`Transport`]),
//! so its timing can be tested with tokio's paused clock and a scripted
//! transport, without sockets.

mod polite;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

pub use polite::{parse_reset, retry_after, Polite};

/// Refuse bodies larger than this (8 MiB): a page of 100 posts is ~300 KB.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
/// Refuse JSON nested deeper than this: real API responses stay under 20.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_body: usize,
    pub max_depth: usize,
    /// For a whole request, body included: a server that trickles bytes
    /// cannot hold a feed forever.
    pub timeout: Duration,
    /// Tries per request before the round gives up (the next round tries
    /// again).
    pub attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The longest a request waits for a rate limit or `Retry-After` before
    /// it gives up for this round instead.
    pub max_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: MAX_BODY,
            max_depth: MAX_DEPTH,
            timeout: Duration::from_secs(30),
            attempts: 4,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(300),
            max_wait: Duration::from_secs(900),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn get(url: impl Into<String>) -> Request {
        Request {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn post_json(url: impl Into<String>, body: Vec<u8>) -> Request {
        Request {
            method: Method::Post,
            url: url.into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(body),
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Request {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    /// Names lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Decodes the body, refusing it first if it nests deeper than `max_depth`.
    pub fn json<T: DeserializeOwned>(&self, url: &str, max_depth: usize) -> Result<T, HttpError> {
        parse_json(&self.body, url, max_depth)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("{url}: response is larger than the {} MiB limit; refused", limit / (1024 * 1024))]
    TooLarge { url: String, limit: usize },
    #[error("{url}: JSON nested deeper than {limit} levels; refused")]
    TooDeep { url: String, limit: usize },
    #[error("{url}: not the JSON expected: {reason}")]
    BadJson { url: String, reason: String },
    #[error("{url}: HTTP {status}{detail}")]
    Status {
        url: String,
        status: u16,
        /// A short excerpt of the error body, with a leading ": ", or empty.
        detail: String,
    },
    #[error("{url}: {reason}")]
    Transport { url: String, reason: String },
    #[error("{url}: still failing after {attempts} tries ({last}); trying again next round")]
    GaveUp {
        url: String,
        attempts: u32,
        last: String,
    },
    /// A host asked for a pause longer than a round waits (`Retry-After`,
    /// or a spent rate limit): its feeds are not asked until it ends.
    #[error(
        "{host} asks for a pause of {secs} s{}, until {}; its feeds are not asked before then",
        .status.map(|s| format!(" (HTTP {s})")).unwrap_or_default(),
        .until.format("%Y-%m-%d %H:%M:%S UTC")
    )]
    RateLimited {
        host: String,
        secs: u64,
        until: DateTime<Utc>,
        /// The status of this very request, when it is the one that asked;
        /// `None` for a request held back by a pause another one was given.
        status: Option<u16>,
        /// The pause was already reported: one host's pause is said once,
        /// not by every feed on it every round.
        repeat: bool,
    },
    #[error("{url}: not an http:// or https:// URL")]
    BadUrl { url: String },
    #[error("stopped")]
    Stopped,
}

/// A boxed future, so transports can be swapped behind a trait object.
pub type Sent<'a> = Pin<Box<dyn Future<Output = Result<Response, HttpError>> + Send + 'a>>;

/// Sends one request and reads its whole body, up to `max_body` bytes.
pub trait Transport: Send + Sync {
    fn send<'a>(&'a self, req: &'a Request, max_body: usize) -> Sent<'a>;
}

/// The real wire: reqwest over rustls.
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    pub fn new(user_agent: &str, timeout: Duration) -> Result<ReqwestTransport, HttpError> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| HttpError::Transport {
                url: String::new(),
                reason: format!("cannot set up the HTTP client: {}", chain(&e)),
            })?;
        Ok(ReqwestTransport { client })
    }
}

impl Transport for ReqwestTransport {
    fn send<'a>(&'a self, req: &'a Request, max_body: usize) -> Sent<'a> {
        Box::pin(async move {
            let url = &req.url;
            let wire = |e: reqwest::Error| HttpError::Transport {
                url: url.clone(),
                reason: describe(&e),
            };
            let mut builder = match req.method {
                Method::Get => self.client.get(url),
                Method::Post => self.client.post(url),
            };
            for (name, value) in &req.headers {
                builder = builder.header(name, value);
            }
            if let Some(body) = &req.body {
                builder = builder.body(body.clone());
            }
            let mut resp = builder.send().await.map_err(wire)?;
            let too_large = || HttpError::TooLarge {
                url: url.clone(),
                limit: max_body,
            };
            if resp.content_length().is_some_and(|n| n > max_body as u64) {
                return Err(too_large());
            }
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(wire)? {
                if body.len() + chunk.len() > max_body {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Response {
                status,
                headers,
                body,
            })
        })
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        format!("cannot connect: {}", chain(e))
    } else {
        chain(e)
    }
}

/// An error and its causes on one line: reqwest's own message alone often
/// hides the useful part ("error sending request").
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = cause.source();
    }
    s
}

/// The host (and port) a rate limit belongs to; `None` for a URL that is
/// not http(s).
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Percent-encodes a query value or path segment (RFC 3986 unreserved
/// characters pass).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn excerpt(body: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(&body[..body.len().min(400)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// Decodes JSON after checking its nesting, which serde_json would otherwise
/// only bound at 128 levels with a less helpful message.
pub fn parse_json<T: DeserializeOwned>(
    body: &[u8],
    url: &str,
    max_depth: usize,
) -> Result<T, HttpError> {
    if !depth_within(body, max_depth) {
        return Err(HttpError::TooDeep {
            url: url.to_string(),
            limit: max_depth,
        });
    }
    serde_json::from_slice(body).map_err(|e| HttpError::BadJson {
        url: url.to_string(),
        reason: e.to_string(),
    })
}

/// Whether JSON text nests at most `limit` arrays and objects deep; one pass,
/// no allocation, strings skipped.
pub fn depth_within(body: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_outside_strings_only() {
        assert!(depth_within(br#"{"a":[[1]]}"#, 3));
        assert!(!depth_within(br#"{"a":[[1]]}"#, 2));
        assert!(depth_within(br#"{"a":"[[[[\"[[[["}"#, 1));
        let deep = "[".repeat(10_000);
        let e = parse_json::<serde_json::Value>(deep.as_bytes(), "u", 64).unwrap_err();
        assert_eq!(
            e.to_string(),
            "u: JSON nested deeper than 64 levels; refused"
        );
    }

    #[test]
    fn hosts_and_encoding() {
        assert_eq!(
            host_of("https://Mastodon.Social/api/v1"),
            Some("mastodon.social".into())
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080?x"),
            Some("127.0.0.1:8080".into())
        );
        assert_eq!(host_of("ftp://x"), None);
        assert_eq!(encode("netflix down é"), "netflix%20down%20%C3%A9");
    }
}

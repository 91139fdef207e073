//! `outcry serve`: a read-only JSON API over the store and the dashboard
//! page that draws it, in one process.
//!
//! sled lets one process open a store, so the server opens it once and
//! shares it ([`Arc`]) among handlers; with `--poll` the feed pollers write
//! into that same store, and the page sees new hours without a second
//! writer. The API has no authentication and changes nothing, which is why
//! it listens on loopback unless told otherwise ([`check_address`]), and why
//! a loopback server refuses requests addressed to other host names.
//!
//! - [`params`] checks query parameters (400s naming the parameter);
//! - [`api`] answers each endpoint from the store, and `cache` keeps the
//!   answers until the store changes;
//! - [`router`] maps paths to handlers, lets only a few heavy answers be
//!   built at once, and adds headers;
//! - [`page`] embeds the page (HTML, script, style) in the binary;
//! - `stall` closes the connection of a client that stopped reading.

pub mod api;
mod cache;
pub mod page;
pub mod params;
pub mod router;
mod stall;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::detect::DetectConfig;
use crate::store::Store;
use crate::tag::Topic;

pub use params::ApiError;
pub use router::router;
pub use stall::SEND_STALL;

/// Heavy answers (curves, incidents, spreads, posts) built and being sent
/// at once, by default. Building one is work for a core, so more at once
/// than a small server has cores finishes no sooner, while each answer may
/// hold some 25 MB until its client has taken it.
pub const ANSWERS_AT_ONCE: usize = 4;
/// How long a heavy request waits for its turn before it is answered
/// `503`, by default: long enough for the answers ahead of it in a
/// dashboard's burst, short enough that a flood is told to come back.
pub const TURN_WAIT: Duration = Duration::from_secs(10);

/// A topic the page may offer, as the lexicons name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    pub name: String,
    pub display_name: String,
}

impl TopicInfo {
    pub fn from_topics(topics: &[Topic]) -> Vec<TopicInfo> {
        topics
            .iter()
            .map(|t| TopicInfo {
                name: t.name.clone(),
                display_name: t.display_name.clone(),
            })
            .collect()
    }
}

/// What every handler shares.
pub struct AppState {
    pub(crate) store: Arc<Store>,
    pub(crate) topics: Vec<TopicInfo>,
    pub(crate) detect: DetectConfig,
    /// Pollers are writing: the page refreshes itself.
    pub(crate) polling: bool,
    /// Set by [`serve`] from the address it listens on.
    pub(crate) loopback_only: bool,
    pub(crate) cache: cache::Cache,
    /// Turns to build a heavy answer; one is held until the answer is sent.
    pub(crate) turns: Arc<Semaphore>,
    pub(crate) turn_wait: Duration,
    /// How long a write to a client may make no progress ([`SEND_STALL`]).
    pub(crate) send_stall: Duration,
}

impl AppState {
    pub fn new(store: Arc<Store>, topics: Vec<TopicInfo>, polling: bool) -> AppState {
        AppState {
            store,
            topics,
            detect: DetectConfig::default(),
            polling,
            loopback_only: false,
            cache: cache::Cache::default(),
            turns: Arc::new(Semaphore::new(ANSWERS_AT_ONCE)),
            turn_wait: TURN_WAIT,
            send_stall: SEND_STALL,
        }
    }

    /// At most `at_once` heavy answers built and being sent at once; a
    /// request that waits `wait` for its turn gets a `503`.
    pub fn with_answer_limits(mut self, at_once: usize, wait: Duration) -> AppState {
        self.turns = Arc::new(Semaphore::new(at_once));
        self.turn_wait = wait;
        self
    }

    /// A connection whose writes make no progress for `stall` is closed,
    /// and the answer it was sent and that answer's turn with it.
    pub fn with_send_stall(mut self, stall: Duration) -> AppState {
        self.send_stall = stall;
        self
    }

    pub fn with_detect_config(mut self, cfg: DetectConfig) -> AppState {
        self.detect = cfg;
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to serve on {addr}: it is not a loopback address, and the API is unauthenticated (read-only, but anyone who can reach it can read every stored post); pass --public to serve there anyway, or use 127.0.0.1")]
    NotLoopback { addr: SocketAddr },
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Serving beyond this machine must be asked for (`public`).
pub fn check_address(addr: SocketAddr, public: bool) -> Result<(), ServeError> {
    if addr.ip().is_loopback() || public {
        Ok(())
    } else {
        Err(ServeError::NotLoopback { addr })
    }
}

/// Binds `addr` (port 0 picks a free port; see `local_addr`).
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// The line `outcry serve` prints once listening: where to point a browser,
/// and what the API does and does not protect.
pub fn startup_line(addr: SocketAddr, store: &Path, polling: bool) -> String {
    let feeds = if polling { ", polling feeds" } else { "" };
    let exposure = if addr.ip().is_loopback() {
        "this machine only".to_string()
    } else {
        format!(
            "PUBLIC on {}: anyone who can reach it can read every stored post",
            addr.ip()
        )
    };
    format!(
        "outcry: serving http://{addr}/ from store {}{feeds} (the API is unauthenticated and read-only; {exposure}); Ctrl-C or SIGTERM stops",
        store.display()
    )
}

/// Answers requests on `listener` until `shutdown` resolves, then finishes
/// the requests in flight.
pub async fn serve<F>(
    listener: tokio::net::TcpListener,
    mut state: AppState,
    shutdown: F,
) -> Result<(), ServeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    state.loopback_only = listener.local_addr()?.ip().is_loopback();
    let listener = stall::StallLimited {
        listener,
        stall: state.send_stall,
    };
    let state = Arc::new(state);
    let warming = Arc::clone(&state);
    tokio::task::spawn_blocking(move || router::warm(&warming));
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_addresses_need_consent() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let v6: SocketAddr = "[::1]:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(check_address(local, false).is_ok());
        assert!(check_address(v6, false).is_ok());
        let e = check_address(any, false).unwrap_err();
        assert!(e.to_string().contains("pass --public"), "{e}");
        assert!(check_address(any, true).is_ok());
    }

    #[test]
    fn the_startup_line_says_what_is_exposed() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let line = startup_line(local, Path::new("outcry.db"), false);
        assert_eq!(
            line,
            "outcry: serving http://127.0.0.1:8080/ from store outcry.db (the API is unauthenticated and read-only; this machine only); Ctrl-C or SIGTERM stops"
        );
        let any: SocketAddr = "0.0.0.0:80".parse().unwrap();
        let line = startup_line(any, Path::new("s.db"), true);
        assert!(line.contains("polling feeds"), "{line}");
        assert!(
            line.contains("unauthenticated and read-only; PUBLIC on 0.0.0.0"),
            "{line}"
        );
    }
}

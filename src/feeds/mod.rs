//! Watching public feeds live: Mastodon, Bluesky, Reddit and RSS/Atom.
//!
//! Archives tell how an outage spread after the fact; feeds show the next
//! one as it starts. Each source has its own module that turns the
//! network's shape into [`Post`](crate::post::Post)s and knows how to page
//! and resume; [`http`] makes every request polite and bounded; [`runner`]
//! runs each feed as its own task (so one slow or dead source never stalls
//! the others) and funnels everything into one writer that judges posts
//! exactly as `import` does and commits them together with the feed's cursor
//! ([`cursor`]), so a restart — even after a kill — neither misses nor
//! double-counts.

pub mod bluesky_search;
pub mod config;
pub mod cursor;
pub mod dates;
pub mod html;
pub mod http;
pub mod jetstream;
pub mod mastodon;
pub mod record;
pub mod reddit;
pub mod rss;
pub mod runner;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use http::{HttpError, Polite};
pub use runner::{Sink, Tally};

/// Tells every task that outcry is stopping (Ctrl-C, SIGTERM); cheap to
/// clone.
#[derive(Clone)]
pub struct Stop {
    rx: watch::Receiver<bool>,
}

impl Stop {
    pub fn new() -> (watch::Sender<bool>, Stop) {
        let (tx, rx) = watch::channel(false);
        (tx, Stop { rx })
    }

    /// A stop that never comes (tests, one-off tools).
    pub fn never() -> Stop {
        Stop::new().1
    }

    pub fn is_stopped(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once stopping; never, if no one can stop us any more.
    pub async fn stopped(&self) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|s| *s).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The two ways people ask a watcher to stop: Ctrl-C at a terminal, and
/// SIGTERM from `kill`, systemd or `docker stop`. Both mean the same: store
/// what was received, say so, exit with the run's own status.
pub struct StopSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    /// Starts listening (inside a tokio runtime). Once listened for, SIGTERM
    /// no longer ends the process by itself: whoever holds this must stop.
    pub fn listen() -> StopSignals {
        StopSignals {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    /// The next signal's name as people know it (`Ctrl-C`, `SIGTERM`);
    /// `None` if no signal can be listened for, which is never.
    pub async fn next(&mut self) -> Option<&'static str> {
        #[cfg(unix)]
        if let Some(term) = self.term.as_mut() {
            // A listener that fails leaves the other one listening.
            return tokio::select! {
                Ok(()) = tokio::signal::ctrl_c() => Some("Ctrl-C"),
                Some(()) = term.recv() => Some("SIGTERM"),
                else => None,
            };
        }
        tokio::signal::ctrl_c().await.ok().map(|()| "Ctrl-C")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error(transparent)]
    Http(HttpError),
    /// The feed cannot work (unknown tag, closed timeline, refused login):
    /// reported once, then the feed is left alone.
    #[error("{0}")]
    Gone(String),
    /// A response that could not be read; the next round tries again.
    #[error("{0}")]
    Bad(String),
    #[error("the store writer stopped")]
    WriterGone,
    #[error("stopped")]
    Stopped,
}

impl From<HttpError> for FeedError {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Stopped => FeedError::Stopped,
            e => FeedError::Http(e),
        }
    }
}

/// What a feed needs from the runner.
#[derive(Clone)]
pub struct Ctx {
    pub http: Arc<Polite>,
    pub sink: Sink,
    pub stop: Stop,
    /// One round and out (`--once`).
    pub once: bool,
    /// No progress lines (`--quiet`); errors are still reported.
    pub quiet: bool,
}

/// What one round of a feed brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    pub pages: u32,
    pub tally: Tally,
    /// Items that could not become posts (no date, no text…).
    pub unreadable: u64,
    /// Stretches of the feed the feed knows it cannot reach any more.
    pub gaps: Vec<Gap>,
    /// The feed is still reading back to posts stored before, and goes on
    /// next round.
    pub reading_back: bool,
}

impl Round {
    pub fn absorb(&mut self, other: &Round) {
        self.pages += other.pages;
        self.tally.absorb(&other.tally);
        self.unreadable += other.unreadable;
        self.gaps.extend(other.gaps.iter().copied());
        self.reading_back = other.reading_back;
    }
}

/// A stretch of a feed that may hold posts outcry could not reach: said
/// aloud, since the counts of those hours are short by an unknown number.
///
/// Today only Reddit has one: when the post its cursor stands on is deleted,
/// outcry pages back from the newest post, over as many rounds as it takes,
/// and the listing can end before it reaches the posts it stored before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    /// When the last post stored before was written, if known.
    pub after: Option<DateTime<Utc>>,
    /// When the oldest post reached was written.
    pub before: DateTime<Utc>,
    /// Pages read back from the newest without reaching what was stored.
    pub pages: u32,
    pub why: GapEnd,
}

/// Why reading back stopped short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapEnd {
    /// The listing goes back no further (Reddit keeps about 1,000 posts).
    ListingEnded,
    /// A page brought nothing older: the server repeats itself, or does
    /// not page.
    Repeated,
    /// Too many newer stretches were being read back at once.
    GivenUp,
}

impl std::fmt::Display for Gap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let why = match self.why {
            GapEnd::ListingEnded => "ended with the listing",
            GapEnd::Repeated => "stopped at a page with nothing new",
            GapEnd::GivenUp => "was given up for newer stretches",
        };
        write!(
            f,
            "the newest post stored was gone from the listing, and reading back {} page(s) from the newest {why} before reaching the posts stored before: ",
            self.pages
        )?;
        match self.after {
            Some(after) => write!(
                f,
                "posts from {} to {} may be missing",
                at(after),
                at(self.before)
            ),
            None => write!(f, "posts before {} may be missing", at(self.before)),
        }
    }
}

/// A base URL without its trailing slashes, so `https://x/` and `https://x`
/// name the same feed (and the same cursor).
pub fn trim_base(url: &str) -> String {
    url.trim().trim_end_matches('/').to_string()
}

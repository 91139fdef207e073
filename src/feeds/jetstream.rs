//! Bluesky's Jetstream: the whole network's new posts as JSON over a
//! WebSocket (`/subscribe?wantedCollections=app.bsky.feed.post`), no
//! account needed.
//!
//! Jetstream is a firehose, not a search: every post on Bluesky goes by, so
//! the writer keeps only those that mention a watched topic (and records
//! only those). Each event carries `time_us`, the network's clock; the
//! cursor is the newest `time_us` stored, and a reconnect (after a drop, or
//! a restart) asks for `cursor` a few seconds *before* it, since events
//! close to a disconnect may not have been delivered; the replayed overlap
//! is deduplicated by post URI. Posts are committed in small batches (every
//! second or 500 posts) with the time they reach, so a kill loses at most a
//! second that the rewind then replays.
//!
//! Reconnects back off as failed requests do (1 s, 2 s, 4 s… up to 5 min,
//! with jitter), whether the connection could not be made or was dropped: a
//! server that accepts and hangs up at once would otherwise be hammered
//! thousands of times a second. The backoff starts over only after a
//! connection that brought events and stayed up [`STEADY`].
//!
//! A message over [`MAX_EVENT`] (1 MiB, far beyond any real event) is
//! skipped and counted as unreadable; the connection reads on, so nothing
//! after it is lost. Messages are read up to [`MAX_MESSAGE`] for that: one
//! past that cannot be read without holding it whole, so the connection is
//! dropped at its first bytes, and since a rewind would only meet it again,
//! the next connection resumes one second past the last event read before
//! it (saying what may be missing). Each further such message moves it
//! another second, so the stream cannot be wedged. That resume point is
//! part of the cursor, committed with the events read before the message,
//! so a restart steps over the message too instead of meeting it (and
//! warning about it) again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::bluesky_search::{facet_tags, Record};
use super::cursor;
use super::http::{host_of, parse_json, HttpError};
use super::{trim_base, Ctx, FeedError, Round};
use crate::post::{Post, RegionHints, Source};
use crate::sources::twitter_v1::check_plausible;
use crate::store::{Store, StoreError};

const COLLECTION: &str = "app.bsky.feed.post";
/// How far before the last event seen a reconnect resumes.
pub const REWIND_US: i64 = 5_000_000;
const FLUSH_EVERY: Duration = Duration::from_secs(1);
const FLUSH_POSTS: usize = 500;
/// A connection silent this long is taken for dead (Jetstream never idles).
const SILENCE: Duration = Duration::from_secs(60);
/// With `--once`: read until caught up with the clock, or this long.
pub const ONCE_WINDOW: Duration = Duration::from_secs(60);
/// One event is a few KB: a message past this is not an event, and is
/// skipped.
pub const MAX_EVENT: usize = 1024 * 1024;
/// The most read of one message (as of one HTTP body), so that a message
/// between the two limits can be skipped without dropping the connection.
pub const MAX_MESSAGE: usize = super::http::MAX_BODY;
/// A connection that brought events and lasted this long was healthy: the
/// reconnect backoff starts over after it.
pub const STEADY: Duration = Duration::from_secs(30);
/// How far past the last event read a connection resumes after a message
/// too large to read.
const SKIP_US: i64 = 1_000_000;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Serialize, Deserialize)]
struct Cursor {
    time_us: i64,
    /// Never resume before this: one second past a message too large to
    /// read, while the usual rewind would still meet it. Absent otherwise,
    /// and in cursors written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    floor_us: Option<i64>,
}

pub struct Jetstream {
    url: String,
    label: String,
    checkpoint: String,
    /// The newest `time_us` stored.
    stored_us: Option<i64>,
    conn: Option<Ws>,
    /// Connections lost or refused in a row (not counting those after a
    /// steady one): how long the next reconnect waits.
    failures: u32,
    /// No connection before this.
    retry_at: Option<Instant>,
    /// When the current connection was made, and how many messages it
    /// brought.
    up_since: Instant,
    up_messages: u64,
    /// The cursor the current connection asked from, and the newest
    /// `time_us` it brought.
    up_from: Option<i64>,
    up_last: Option<i64>,
    /// Never resume before this: set past a message too large to read.
    floor_us: Option<i64>,
    /// The floor as the store has it, to know when it must be committed.
    stored_floor_us: Option<i64>,
}

/// What is waiting to be committed.
#[derive(Default)]
struct Buffer {
    posts: Vec<Post>,
    /// The newest `time_us` read.
    seen_us: Option<i64>,
    events: u64,
}

impl Jetstream {
    pub fn new(url: &str, store: &Store) -> Result<Jetstream, StoreError> {
        let url = trim_base(url);
        let checkpoint = cursor::name("jetstream", &url);
        let stored = cursor::load::<Cursor>(store, &checkpoint)?;
        let stored_us = stored.as_ref().map(|c| c.time_us);
        let floor_us = stored.and_then(|c| c.floor_us);
        let host = ws_host(&url).unwrap_or_default();
        Ok(Jetstream {
            label: format!("jetstream {host}"),
            url,
            checkpoint,
            stored_us,
            conn: None,
            failures: 0,
            retry_at: None,
            up_since: Instant::now(),
            up_messages: 0,
            up_from: None,
            up_last: None,
            floor_us,
            stored_floor_us: floor_us,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Where the next connection resumes: a little before the last event
    /// stored, but never before a message that could not be read.
    fn resume_from(&self) -> Option<i64> {
        let rewound = self.stored_us.map(|us| (us - REWIND_US).max(0));
        match (rewound, self.floor_us) {
            (Some(r), Some(f)) => Some(r.max(f)),
            (r, f) => r.or(f),
        }
    }

    /// The subscription URL: the posts collection, and a cursor a little
    /// before the last event stored, if any.
    pub fn subscribe_url(&self) -> String {
        let mut url = self.url.clone();
        let mut sep = if url.contains('?') { '&' } else { '?' };
        if !url.contains("wantedCollections=") {
            url.push(sep);
            url.push_str("wantedCollections=");
            url.push_str(COLLECTION);
            sep = '&';
        }
        if let Some(us) = self.resume_from() {
            url.push(sep);
            url.push_str(&format!("cursor={us}"));
        }
        url
    }

    /// Schedules the next connection after a failure, and says when.
    fn retry_later(&mut self, ctx: &Ctx) -> Duration {
        let pause = ctx.http.backoff(self.failures);
        self.failures = self.failures.saturating_add(1);
        self.retry_at = Some(Instant::now() + pause);
        pause
    }

    /// After a message too large to read: the next connection starts a
    /// second past the last event read before it. Returns where.
    fn skip_past_oversize(&mut self) -> Option<i64> {
        let last = self.up_last.max(self.up_from)?;
        let next = last + SKIP_US;
        self.floor_us = Some(self.floor_us.map_or(next, |f| f.max(next)));
        Some(next)
    }

    async fn connect(&mut self, ctx: &Ctx) -> Result<(), FeedError> {
        let url = self.subscribe_url();
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let from = self.resume_from();
        let attempt =
            tokio_tungstenite::connect_async_with_config(url.as_str(), Some(config), true);
        let outcome = tokio::select! {
            r = tokio::time::timeout(ctx.http.limits.timeout, attempt) => r,
            _ = ctx.stop.stopped() => return Err(FeedError::Stopped),
        };
        match outcome {
            Ok(Ok((ws, _))) => {
                self.conn = Some(ws);
                self.up_since = Instant::now();
                self.up_messages = 0;
                self.up_from = from;
                self.up_last = None;
                Ok(())
            }
            Ok(Err(WsError::Http(resp))) if resp.status().is_client_error() => {
                Err(FeedError::Gone(format!(
                    "HTTP {}: no Jetstream at {}",
                    resp.status().as_u16(),
                    self.url
                )))
            }
            Ok(Err(e)) => Err(FeedError::Bad(format!("{url}: cannot connect: {e}"))),
            Err(_) => Err(FeedError::Bad(format!("{url}: connecting timed out"))),
        }
    }

    async fn flush(
        &mut self,
        ctx: &Ctx,
        buf: &mut Buffer,
        round: &mut Round,
    ) -> Result<(), FeedError> {
        let advanced = buf
            .seen_us
            .is_some_and(|s| self.stored_us.is_none_or(|t| s > t));
        let time_us = buf.seen_us.max(self.stored_us).unwrap_or_default();
        // Once the rewind starts past it, the floor no longer matters.
        let floor_us = self.floor_us.filter(|f| time_us - REWIND_US < *f);
        if buf.posts.is_empty() && !advanced && floor_us == self.stored_floor_us {
            return Ok(());
        }
        let value = cursor::encode(&Cursor { time_us, floor_us });
        let posts = std::mem::take(&mut buf.posts);
        let tally = ctx
            .sink
            .deliver(
                &self.label,
                posts,
                Some((self.checkpoint.clone(), value)),
                true,
            )
            .await?;
        round.tally.absorb(&tally);
        self.stored_us = Some(time_us);
        self.stored_floor_us = floor_us;
        Ok(())
    }

    /// Reads for `window` (with `--once`: until caught up with the time the
    /// round began), reconnecting as needed.
    pub async fn round(&mut self, ctx: &Ctx, window: Duration) -> Result<Round, FeedError> {
        let mut round = Round::default();
        let mut buf = Buffer::default();
        let began_us = Utc::now().timestamp_micros();
        let deadline = Instant::now() + if ctx.once { ONCE_WINDOW } else { window };
        let mut next_flush = Instant::now() + FLUSH_EVERY;
        let mut last_heard = Instant::now();
        let mut last_error: Option<FeedError> = None;
        let mut connected_once = false;
        while Instant::now() < deadline && !ctx.stop.is_stopped() {
            if self.conn.is_none() {
                // Kept across rounds: a new round is no reason to hurry.
                if let Some(at) = self.retry_at.filter(|at| *at > Instant::now()) {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at.min(deadline)) => {}
                        _ = ctx.stop.stopped() => {}
                    }
                    continue;
                }
                match self.connect(ctx).await {
                    Ok(()) => {
                        connected_once = true;
                        round.pages += 1;
                        last_heard = Instant::now();
                    }
                    Err(e @ (FeedError::Gone(_) | FeedError::Stopped)) => {
                        self.flush(ctx, &mut buf, &mut round).await?;
                        return Err(e);
                    }
                    Err(e) => {
                        let pause = self.retry_later(ctx);
                        if !ctx.quiet {
                            crate::say!(
                                "{}: {e}; retrying in {:.1} s",
                                self.label,
                                pause.as_secs_f64()
                            );
                        }
                        last_error = Some(e);
                        continue;
                    }
                }
            }
            let Some(ws) = self.conn.as_mut() else {
                continue;
            };
            let lost = tokio::select! {
                msg = ws.next() => match msg {
                    Some(Ok(Message::Text(text))) => {
                        last_heard = Instant::now();
                        self.up_messages += 1;
                        if text.len() > MAX_EVENT {
                            round.unreadable += 1;
                        } else if let Some(t) = read_event(text.as_bytes(), &mut buf, &mut round, ctx.http.limits.max_depth) {
                            self.up_last = Some(self.up_last.map_or(t, |l| l.max(t)));
                        }
                        None
                    }
                    Some(Ok(Message::Close(_))) | None => Some(Lost::Closed),
                    Some(Err(WsError::Capacity(e))) => Some(Lost::TooLarge(e.to_string())),
                    Some(Err(e)) => Some(Lost::Error(e.to_string())),
                    Some(Ok(_)) => {
                        last_heard = Instant::now();
                        None
                    }
                },
                _ = tokio::time::sleep_until(next_flush) => {
                    (last_heard.elapsed() > SILENCE).then_some(Lost::Silent)
                }
                _ = tokio::time::sleep_until(deadline) => None,
                _ = ctx.stop.stopped() => None,
            };
            if let Some(lost) = lost {
                self.conn = None;
                if steady(self.up_since.elapsed(), self.up_messages) {
                    self.failures = 0;
                }
                // Said before the commit that makes the skip durable: a
                // kill in between says it twice rather than never.
                if let Lost::TooLarge(_) = lost {
                    if let Some(at) = self.skip_past_oversize() {
                        // Said even with --quiet: events may be missing.
                        crate::say!(
                            "outcry: {}: a message over {} MiB cannot be read; the stream resumes one second past where it was met: events from {} to {} may be missing",
                            self.label,
                            MAX_MESSAGE / (1024 * 1024),
                            show_us(at - SKIP_US),
                            show_us(at)
                        );
                    }
                }
                self.flush(ctx, &mut buf, &mut round).await?;
                let pause = self.retry_later(ctx);
                if !ctx.quiet {
                    crate::say!(
                        "{}: connection lost ({lost}); reconnecting in {:.1} s from {}",
                        self.label,
                        pause.as_secs_f64(),
                        self.subscribe_url()
                    );
                }
                continue;
            }
            if Instant::now() >= next_flush || buf.posts.len() >= FLUSH_POSTS {
                self.flush(ctx, &mut buf, &mut round).await?;
                next_flush = Instant::now() + FLUSH_EVERY;
            }
            if ctx.once && buf.seen_us.is_some_and(|s| s >= began_us) {
                break;
            }
        }
        self.flush(ctx, &mut buf, &mut round).await?;
        if ctx.once {
            // Nothing left to read for: do not hold the socket open.
            self.conn = None;
        }
        match last_error {
            Some(e) if !connected_once => Err(e),
            _ => Ok(round),
        }
    }
}

/// Why a connection ended.
enum Lost {
    Closed,
    Silent,
    TooLarge(String),
    Error(String),
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lost::Closed => f.write_str("closed by the server"),
            Lost::Silent => f.write_str("silent for a minute"),
            Lost::TooLarge(e) | Lost::Error(e) => f.write_str(e),
        }
    }
}

/// Whether a connection that ended was a healthy one, after which the
/// reconnect backoff starts over: it brought messages and lasted a while.
/// One that is refused, or closed at once (even after sending its events),
/// keeps the backoff growing.
pub fn steady(lasted: Duration, messages: u64) -> bool {
    messages > 0 && lasted >= STEADY
}

fn show_us(us: i64) -> String {
    DateTime::<Utc>::from_timestamp_micros(us)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .unwrap_or_else(|| format!("time_us {us}"))
}

fn ws_host(url: &str) -> Option<String> {
    let http = url
        .replacen("wss://", "https://", 1)
        .replacen("ws://", "http://", 1);
    host_of(&http)
}

#[derive(Deserialize)]
struct Event {
    did: Option<String>,
    time_us: Option<i64>,
    kind: Option<String>,
    commit: Option<Commit>,
}

#[derive(Deserialize)]
struct Commit {
    operation: Option<String>,
    collection: Option<String>,
    rkey: Option<String>,
    record: Option<Record>,
}

/// Reads one message into `buf`; returns its `time_us`, if it has one.
fn read_event(bytes: &[u8], buf: &mut Buffer, round: &mut Round, max_depth: usize) -> Option<i64> {
    buf.events += 1;
    let Ok(event) = parse_json::<Event>(bytes, "jetstream", max_depth) else {
        round.unreadable += 1;
        return None;
    };
    let time_us = event.time_us;
    if let Some(t) = time_us {
        buf.seen_us = Some(buf.seen_us.map_or(t, |s| s.max(t)));
    }
    if event.kind.as_deref() == Some("commit") {
        if let Some(post) = to_post(event) {
            buf.posts.push(post);
        }
    }
    time_us
}

/// One Jetstream message read as a live feed reads it: `Err` for a message
/// that is not an event, `Ok(None)` for an event that is not a new post.
/// Public so the fuzz targets and property tests reach the same code.
pub fn parse_event(bytes: &[u8], max_depth: usize) -> Result<Option<Post>, HttpError> {
    Ok(to_post(parse_json::<Event>(bytes, "jetstream", max_depth)?))
}

/// A created post, or `None` for deletes, updates, other collections and
/// events missing what a post needs.
fn to_post(event: Event) -> Option<Post> {
    let commit = event.commit?;
    if commit.operation.as_deref() != Some("create")
        || commit.collection.as_deref() != Some(COLLECTION)
    {
        return None;
    }
    let did = event.did?;
    let rkey = commit.rkey?;
    let record = commit.record?;
    let seen = DateTime::<Utc>::from_timestamp_micros(event.time_us?)?;
    // `createdAt` is the client's claim; the network's time bounds it, so a
    // wrong clock or a backdated post cannot land far from when it was seen.
    let created_at = record
        .created_at
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| (*t - seen).num_seconds().abs() <= 3600)
        .unwrap_or(seen);
    let created_at = check_plausible(created_at).ok()?;
    let hashtags = facet_tags(&record);
    Some(Post {
        source: Source::Bluesky,
        id: format!("at://{did}/{COLLECTION}/{rkey}"),
        created_at,
        text: record.text.unwrap_or_default(),
        lang: record.langs.and_then(|l| l.into_iter().next()),
        author: Some(did),
        region_hints: RegionHints::default(),
        is_repost: false,
        repost_of: None,
        hashtags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(url: &str, stored_us: Option<i64>) -> Jetstream {
        Jetstream {
            url: url.into(),
            label: String::new(),
            checkpoint: String::new(),
            stored_us,
            conn: None,
            failures: 0,
            retry_at: None,
            up_since: Instant::now(),
            up_messages: 0,
            up_from: None,
            up_last: None,
            floor_us: None,
            stored_floor_us: None,
        }
    }

    #[tokio::test]
    async fn a_wss_url_gets_rustls_without_a_panic() {
        // rustls needs exactly one crypto provider compiled in; a server that
        // hangs up mid-handshake must give an error, not a panic.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((s, _)) = listener.accept().await {
                drop(s);
            }
        });
        let url = format!("wss://{addr}/subscribe");
        let r = tokio_tungstenite::connect_async(url.as_str()).await;
        assert!(r.is_err());
    }

    #[test]
    fn the_subscription_resumes_a_little_before_the_last_event() {
        assert_eq!(
            feed("wss://js.example/subscribe", None).subscribe_url(),
            "wss://js.example/subscribe?wantedCollections=app.bsky.feed.post"
        );
        assert_eq!(
            feed("ws://127.0.0.1:9/subscribe?wantedCollections=app.bsky.feed.post", Some(1_735_072_267_000_000))
                .subscribe_url(),
            "ws://127.0.0.1:9/subscribe?wantedCollections=app.bsky.feed.post&cursor=1735072262000000"
        );
        assert_eq!(
            ws_host("wss://Jet.example:443/subscribe").as_deref(),
            Some("jet.example:443")
        );
    }

    #[test]
    fn the_backoff_starts_over_only_after_a_steady_connection() {
        assert!(steady(Duration::from_secs(30), 1));
        assert!(steady(Duration::from_secs(3600), 50_000));
        // Hung up at once after its events, or up long but silent.
        assert!(!steady(Duration::from_millis(20), 10));
        assert!(!steady(Duration::from_secs(29), 10));
        assert!(!steady(Duration::from_secs(3600), 0));
    }

    #[test]
    fn a_message_too_large_to_read_moves_the_resume_point_a_second_at_a_time() {
        let mut f = feed("ws://h/subscribe", Some(T));
        // Met after an event at T + 2 s on a connection asked from T - 5 s.
        f.up_from = f.resume_from();
        f.up_last = Some(T + 2_000_000);
        assert_eq!(f.skip_past_oversize(), Some(T + 3_000_000));
        assert_eq!(
            f.subscribe_url(),
            format!(
                "ws://h/subscribe?wantedCollections=app.bsky.feed.post&cursor={}",
                T + 3_000_000
            )
        );
        // Met again at once, before any event: another second.
        f.up_from = f.resume_from();
        f.up_last = None;
        assert_eq!(f.skip_past_oversize(), Some(T + 4_000_000));
        // Once events are stored well past it, the usual rewind is back.
        f.stored_us = Some(T + 60_000_000);
        assert_eq!(f.resume_from(), Some(T + 55_000_000));
        // A live tail (no cursor, nothing read) has nothing to skip: it
        // resumes live, past the message anyway.
        let mut live = feed("ws://h/subscribe", None);
        live.up_from = live.resume_from();
        assert_eq!(live.skip_past_oversize(), None);
        assert_eq!(live.resume_from(), None);
    }

    #[test]
    fn the_skip_point_is_read_from_the_cursor_and_old_cursors_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let url = "ws://h/subscribe";
        let put = |json: String| {
            let mut c = crate::store::PendingCommit::default();
            c.set_checkpoint(&cursor::name("jetstream", url), json.into_bytes());
            store.commit(c).unwrap();
        };
        // As written before the skip point was kept.
        put(format!(r#"{{"time_us":{T}}}"#));
        let f = Jetstream::new(url, &store).unwrap();
        assert_eq!(f.resume_from(), Some(T - REWIND_US));
        assert_eq!(f.stored_floor_us, None);
        put(format!(r#"{{"time_us":{T},"floor_us":{}}}"#, T + 3_000_000));
        let f = Jetstream::new(url, &store).unwrap();
        assert_eq!(f.resume_from(), Some(T + 3_000_000));
        assert_eq!(f.stored_floor_us, Some(T + 3_000_000));
        // Without a floor the cursor keeps its old shape.
        let plain = cursor::encode(&Cursor {
            time_us: T,
            floor_us: None,
        });
        assert_eq!(plain, format!(r#"{{"time_us":{T}}}"#).into_bytes());
    }

    const T: i64 = 1_735_072_267_000_000;

    #[test]
    fn commit_events_become_posts_and_others_only_move_time() {
        let mut buf = Buffer::default();
        let mut round = Round::default();
        let create = br#"{"did":"did:plc:amy","time_us":1735072267000000,"kind":"commit","commit":{"rev":"3l","operation":"create","collection":"app.bsky.feed.post","rkey":"3lxyz","record":{"$type":"app.bsky.feed.post","createdAt":"2024-12-24T20:31:05.000Z","langs":["pt"],"text":"netflix caiu"},"cid":"bafy"}}"#;
        let delete = br#"{"did":"did:plc:amy","time_us":1735072268000000,"kind":"commit","commit":{"operation":"delete","collection":"app.bsky.feed.post","rkey":"3lxyz"}}"#;
        let identity = br#"{"did":"did:plc:bob","time_us":1735072269000000,"kind":"identity","identity":{"did":"did:plc:bob","handle":"bob.test"}}"#;
        let backdated = br#"{"did":"did:plc:eve","time_us":1735072270000000,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"3labc","record":{"createdAt":"2015-01-01T00:00:00Z","text":"old"}}}"#;
        for e in [&create[..], delete, identity, backdated, b"{not json"] {
            read_event(e, &mut buf, &mut round, 64);
        }
        assert_eq!(buf.events, 5);
        assert_eq!(round.unreadable, 1);
        assert_eq!(buf.seen_us, Some(1_735_072_270_000_000));
        assert_eq!(buf.posts.len(), 2);
        let p = &buf.posts[0];
        assert_eq!(p.id, "at://did:plc:amy/app.bsky.feed.post/3lxyz");
        assert_eq!(p.text, "netflix caiu");
        assert_eq!(p.lang.as_deref(), Some("pt"));
        assert_eq!(p.created_at.to_rfc3339(), "2024-12-24T20:31:05+00:00");
        assert_eq!(
            buf.posts[1].created_at.to_rfc3339(),
            "2024-12-24T20:31:10+00:00"
        );
    }
}

//! Runs the feeds: one tokio task per feed, one writer that commits.
//!
//! Each feed is its own task, so a slow or dead source never stalls the
//! others. Everything they receive goes through one channel to a single
//! writer (sled has one writer per store anyway), which judges each post
//! exactly as `import` does — [`Pipeline::analyse`], dedup by (source, id),
//! [`Pipeline::count`] — and commits the posts, their dedup entries and the
//! feed's new cursor in one atomic batch. A feed waits for that commit
//! before it asks for the next page, so a cursor never runs ahead of what is
//! stored. Ctrl-C stops the feeds at their next wait; what was already
//! handed to the writer is committed before outcry exits.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::bluesky_search::{BlueskySearch, Credentials};
use super::config::{FeedSpec, Plan};
use super::http::{HttpError, Limits, Polite, ReqwestTransport};
use super::jetstream::Jetstream;
use super::mastodon::Mastodon;
use super::record::Recorder;
use super::reddit::Reddit;
use super::rss::Rss;
use super::{Ctx, FeedError, Round, Stop};
use crate::pipeline::Pipeline;
use crate::post::Post;
use crate::store::{PendingCommit, Store, StoreError};

/// What the writer made of one delivery.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Posts received.
    pub posts: u64,
    /// Posts about a watched topic, newly stored.
    pub new: u64,
    /// Posts about a watched topic that were stored before.
    pub duplicates: u64,
}

impl Tally {
    pub fn absorb(&mut self, other: &Tally) {
        self.posts += other.posts;
        self.new += other.new;
        self.duplicates += other.duplicates;
    }
}

/// Posts for the writer, with the checkpoint that covers them.
pub struct Delivery {
    pub posts: Vec<Post>,
    pub checkpoint: Option<(String, Vec<u8>)>,
    /// A firehose (Jetstream): posts about no watched topic are dropped
    /// before recording.
    pub firehose: bool,
    reply: oneshot::Sender<Result<Tally, String>>,
}

/// The feeds' end of the channel to the writer.
#[derive(Clone)]
pub struct Sink {
    tx: mpsc::Sender<Delivery>,
}

impl Sink {
    pub fn new(capacity: usize) -> (Sink, mpsc::Receiver<Delivery>) {
        let (tx, rx) = mpsc::channel(capacity);
        (Sink { tx }, rx)
    }

    /// Hands posts and their checkpoint to the writer and waits until they
    /// are committed. Not interrupted by Ctrl-C: what was received is stored.
    pub async fn deliver(
        &self,
        _feed: &str,
        posts: Vec<Post>,
        checkpoint: Option<(String, Vec<u8>)>,
        firehose: bool,
    ) -> Result<Tally, FeedError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Delivery {
                posts,
                checkpoint,
                firehose,
                reply,
            })
            .await
            .map_err(|_| FeedError::WriterGone)?;
        match answer.await {
            Ok(Ok(tally)) => Ok(tally),
            _ => Err(FeedError::WriterGone),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the record file {path}")]
    Record {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start: {0}")]
    Start(String),
}

/// The single writer: judges posts as `import` does and commits.
pub struct Writer<'a> {
    pub store: &'a Store,
    pub pipeline: &'a Pipeline,
    /// Per topic index, whether it is stored; `None` stores every topic.
    pub allowed: Option<Vec<bool>>,
    pub keep_text: bool,
    pub recorder: Option<Recorder>,
}

impl Writer<'_> {
    pub fn handle(
        &mut self,
        posts: &[Post],
        checkpoint: Option<(String, Vec<u8>)>,
        firehose: bool,
    ) -> Result<Tally, RunError> {
        let mut pending = PendingCommit::default();
        let mut tally = Tally {
            posts: posts.len() as u64,
            ..Tally::default()
        };
        for post in posts {
            let analysis = self.pipeline.analyse(post).and_then(|mut a| {
                if let Some(allowed) = &self.allowed {
                    a.topics
                        .retain(|&t| allowed.get(t).copied().unwrap_or(false));
                }
                (!a.topics.is_empty()).then_some(a)
            });
            if firehose && analysis.is_none() {
                continue;
            }
            let source = post.source.as_str();
            if pending.contains_seen(source, &post.id) || self.store.is_seen(source, &post.id)? {
                tally.duplicates += 1;
                continue;
            }
            if let Some(r) = self.recorder.as_mut() {
                r.write(post).map_err(|source| RunError::Record {
                    path: r.path().to_path_buf(),
                    source,
                })?;
            }
            let Some(analysis) = analysis else { continue };
            pending.mark_seen(source, &post.id);
            self.pipeline
                .count(post, &analysis, self.keep_text, &mut pending);
            tally.new += 1;
        }
        if let Some((name, value)) = checkpoint {
            pending.set_checkpoint(&name, value);
        }
        // Recorded before committed: a kill in between records a post twice
        // (which `import` deduplicates) rather than never.
        if let Some(r) = self.recorder.as_mut() {
            r.flush().map_err(|source| RunError::Record {
                path: r.path().to_path_buf(),
                source,
            })?;
        }
        self.store.commit(pending)?;
        // A page is a few hundred posts at most, so making each commit
        // durable at once is cheap, and a kill then loses nothing stored.
        self.store.flush()?;
        Ok(tally)
    }
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub once: bool,
    pub quiet: bool,
    pub keep_text: bool,
    pub user_agent: String,
    pub limits: Limits,
    pub credentials: Option<Credentials>,
}

/// How one feed fared over the whole run.
#[derive(Debug, Clone, Default)]
pub struct FeedResult {
    pub label: String,
    pub rounds: u64,
    pub total: Round,
    pub errors: u64,
    /// Why the feed was given up, if it was.
    pub gone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub feeds: Vec<FeedResult>,
    pub stopped: bool,
}

enum Feed {
    Mastodon(Mastodon),
    // Boxed: it holds a WebSocket and its buffers.
    Jetstream(Box<Jetstream>),
    Search(BlueskySearch),
    Reddit(Reddit),
    Rss(Rss),
}

impl Feed {
    fn open(
        spec: &FeedSpec,
        store: &Store,
        credentials: &Option<Credentials>,
    ) -> Result<Feed, StoreError> {
        Ok(match spec {
            FeedSpec::Mastodon { base, tag } => Feed::Mastodon(Mastodon::new(base, tag, store)?),
            FeedSpec::Jetstream { url } => Feed::Jetstream(Box::new(Jetstream::new(url, store)?)),
            FeedSpec::BlueskySearch { base, query } => {
                Feed::Search(BlueskySearch::new(base, query, credentials.clone(), store)?)
            }
            FeedSpec::Reddit { base, name } => Feed::Reddit(Reddit::new(base, name, store)?),
            FeedSpec::Rss { url } => Feed::Rss(Rss::new(url, store)?),
        })
    }

    fn label(&self) -> String {
        match self {
            Feed::Mastodon(f) => f.label(),
            Feed::Jetstream(f) => f.label(),
            Feed::Search(f) => f.label(),
            Feed::Reddit(f) => f.label(),
            Feed::Rss(f) => f.label(),
        }
        .to_string()
    }

    async fn round(&mut self, ctx: &Ctx, interval: Duration) -> Result<Round, FeedError> {
        match self {
            Feed::Mastodon(f) => f.round(ctx).await,
            Feed::Jetstream(f) => f.round(ctx, interval).await,
            Feed::Search(f) => f.round(ctx).await,
            Feed::Reddit(f) => f.round(ctx).await,
            Feed::Rss(f) => f.round(ctx).await,
        }
    }

    /// A stream reads for the whole interval; a poller sleeps through it.
    fn streams(&self) -> bool {
        matches!(self, Feed::Jetstream(_))
    }
}

/// The line printed after each round.
pub fn describe(label: &str, r: &Round) -> String {
    let mut s = format!(
        "{label}: {} posts, {} new about watched topics",
        r.tally.posts, r.tally.new
    );
    if r.tally.duplicates > 0 {
        s.push_str(&format!(", {} already stored", r.tally.duplicates));
    }
    if r.unreadable > 0 {
        s.push_str(&format!(", {} unreadable", r.unreadable));
    }
    if r.reading_back {
        s.push_str("; still reading back to the posts stored before");
    }
    s
}

async fn watch(mut feed: Feed, ctx: Ctx, interval: Duration) -> FeedResult {
    let mut result = FeedResult {
        label: feed.label(),
        ..FeedResult::default()
    };
    loop {
        match feed.round(&ctx, interval).await {
            Ok(round) => {
                result.rounds += 1;
                result.total.absorb(&round);
                if !ctx.quiet {
                    crate::say!("{}", describe(&result.label, &round));
                }
                // Posts that may be missing are a warning, not progress:
                // said even with --quiet.
                for gap in &round.gaps {
                    crate::say!("outcry: {}: {gap}", result.label);
                }
            }
            Err(FeedError::Stopped | FeedError::WriterGone) => break,
            // A host's pause is said once, by the first feed it held; the
            // others on that host wait without saying so again each round.
            Err(FeedError::Http(HttpError::RateLimited { repeat: true, .. })) => {
                result.errors += 1;
            }
            Err(FeedError::Gone(why)) => {
                crate::say!("outcry: {}: {why}; this feed is skipped", result.label);
                result.gone = Some(why);
                break;
            }
            Err(e) => {
                result.errors += 1;
                crate::say!("outcry: {}: {e}", result.label);
            }
        }
        if ctx.once || ctx.stop.is_stopped() {
            break;
        }
        if !feed.streams() {
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = ctx.stop.stopped() => break,
            }
        }
    }
    result
}

/// Polls every feed of `plan` until Ctrl-C or SIGTERM (or, with `once`, for one
/// round), storing into `store`. Blocks the calling thread, which is the
/// writer.
pub fn run(
    plan: &Plan,
    store: &Store,
    pipeline: &Pipeline,
    opts: &RunOptions,
) -> Result<RunSummary, RunError> {
    let allowed = (!plan.topics.is_empty()).then(|| {
        pipeline
            .topics()
            .iter()
            .map(|t| plan.topics.contains(&t.name))
            .collect()
    });
    let recorder = match &plan.record {
        Some(path) => Some(Recorder::open(path).map_err(|source| RunError::Record {
            path: path.clone(),
            source,
        })?),
        None => None,
    };
    let mut writer = Writer {
        store,
        pipeline,
        allowed,
        keep_text: opts.keep_text,
        recorder,
    };
    let mut feeds = Vec::new();
    for w in &plan.feeds {
        feeds.push((Feed::open(&w.spec, store, &opts.credentials)?, w.interval));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| RunError::Start(e.to_string()))?;
    let (stop_tx, stop) = Stop::new();
    let transport = ReqwestTransport::new(&opts.user_agent, opts.limits.timeout)
        .map_err(|e| RunError::Start(e.to_string()))?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let http = Arc::new(Polite::new(
        Arc::new(transport),
        opts.limits.clone(),
        stop.clone(),
        seed,
    ));
    let (sink, mut rx) = Sink::new(16);
    let stop_flag = stop.clone();
    runtime.spawn(async move {
        let mut signals = super::StopSignals::listen();
        if let Some(signal) = signals.next().await {
            crate::say!(
                "outcry: stopping after storing what was received ({signal} again to quit at once)"
            );
            let _ = stop_tx.send(true);
            // The shell's status for death by that signal: 128 + its number.
            match signals.next().await {
                Some("SIGTERM") => std::process::exit(143),
                Some(_) => std::process::exit(130),
                None => {}
            }
        }
    });
    let handles: Vec<_> = feeds
        .into_iter()
        .map(|(feed, interval)| {
            let ctx = Ctx {
                http: http.clone(),
                sink: sink.clone(),
                stop: stop.clone(),
                once: opts.once,
                quiet: opts.quiet,
            };
            runtime.spawn(watch(feed, ctx, interval))
        })
        .collect();
    drop(sink);
    // Every feed holds a sender: the channel closes when the last feed ends.
    let mut failure: Option<RunError> = None;
    while let Some(d) = rx.blocking_recv() {
        if failure.is_some() {
            let _ = d.reply.send(Err("the writer stopped".into()));
            continue;
        }
        match writer.handle(&d.posts, d.checkpoint, d.firehose) {
            Ok(tally) => {
                let _ = d.reply.send(Ok(tally));
            }
            Err(e) => {
                let _ = d.reply.send(Err(e.to_string()));
                failure = Some(e);
            }
        }
    }
    let mut summary = RunSummary {
        stopped: stop_flag.is_stopped(),
        ..RunSummary::default()
    };
    for h in handles {
        match runtime.block_on(h) {
            Ok(r) => summary.feeds.push(r),
            Err(e) => summary.feeds.push(FeedResult {
                label: "?".into(),
                errors: 1,
                gone: Some(format!("the feed's task failed: {e}")),
                ..FeedResult::default()
            }),
        }
    }
    runtime.shutdown_timeout(Duration::from_secs(1));
    store.flush()?;
    match failure {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

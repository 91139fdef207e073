//! `outcry poll`: watch public feeds and store what they say, as `import`
//! would.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{display, Env, EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};
use outcry::feeds::bluesky_search::Credentials;
use outcry::feeds::config::{self, FeedSpec, Flags};
use outcry::feeds::http::Limits;
use outcry::feeds::runner::{self, RunOptions};
use outcry::say;

/// The flags are a contract other tools script against: each source flag
/// may be repeated.
#[derive(clap::Args, Debug)]
pub struct PollArgs {
    /// A Mastodon instance whose hashtag timelines to poll (with --tag).
    #[arg(long, value_name = "BASE_URL")]
    pub mastodon: Vec<String>,
    /// A hashtag to follow on each --mastodon instance (default: the
    /// hashtags of the watched topics).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// A Bluesky Jetstream endpoint (wss://…/subscribe); no account needed.
    #[arg(long, value_name = "WS_URL")]
    pub jetstream: Vec<String>,
    /// A Bluesky host to search (app.bsky.feed.searchPosts); needs
    /// BSKY_HANDLE and BSKY_APP_PASSWORD.
    #[arg(long, value_name = "BASE_URL")]
    pub bluesky_search: Vec<String>,
    /// A subreddit to poll (r/NAME/new).
    #[arg(long, value_name = "NAME")]
    pub reddit: Vec<String>,
    /// Where Reddit is.
    #[arg(long, value_name = "BASE_URL", default_value = config::DEFAULT_REDDIT_BASE)]
    pub reddit_base: String,
    /// An RSS or Atom feed.
    #[arg(long, value_name = "URL")]
    pub rss: Vec<String>,
    /// Store only posts about this topic (repeatable; default: every topic).
    #[arg(long, value_name = "NAME")]
    pub topic: Vec<String>,
    /// Sources and settings from a file (see the README for an example).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Pause between rounds (90, 90s, 5m, 1h); default per source.
    #[arg(long)]
    pub interval: Option<String>,
    /// One round of every source, then exit (for cron).
    #[arg(long)]
    pub once: bool,
    /// Also append every post received to this file, in a form `outcry
    /// import` reads back.
    #[arg(long, value_name = "FILE.jsonl")]
    pub record: Option<PathBuf>,
    /// No line per round on standard error (errors are still shown).
    #[arg(long, short)]
    pub quiet: bool,
    /// The User-Agent sent with every request.
    #[arg(long, env = "OUTCRY_USER_AGENT")]
    pub user_agent: Option<String>,
    /// Do not keep the text of matched posts (only their scores).
    #[arg(long)]
    pub no_text: bool,
}

pub fn default_user_agent() -> String {
    format!(
        "outcry/{} (outage complaint counter)",
        env!("CARGO_PKG_VERSION")
    )
}

pub fn poll(env: &Env, args: PollArgs) -> Result<u8> {
    let pipeline = env.pipeline()?;
    let file = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", display(path)))?;
            // The error names the file, line and column itself.
            Some(config::parse_file(&text, &display(path))?)
        }
        None => None,
    };
    let flags = Flags {
        mastodon: args.mastodon,
        tags: args.tag,
        jetstream: args.jetstream,
        bluesky_search: args.bluesky_search,
        reddit: args.reddit,
        reddit_base: Some(args.reddit_base),
        rss: args.rss,
        topics: args.topic,
        interval: args
            .interval
            .as_deref()
            .map(|i| {
                config::parse_interval(i).map_err(|e| anyhow::anyhow!("--interval {i:?}: {e}"))
            })
            .transpose()?,
        user_agent: args.user_agent,
        record: args.record,
    };
    let plan = config::plan(file, &flags, pipeline.topics())?;
    let credentials = Credentials::from_env();
    let searches = plan
        .feeds
        .iter()
        .any(|w| matches!(w.spec, FeedSpec::BlueskySearch { .. }));
    if searches && credentials.is_none() {
        say!(
            "outcry: Bluesky search needs BSKY_HANDLE and BSKY_APP_PASSWORD in the environment; \
             those feeds will be skipped"
        );
    }
    let store = env.store()?;
    if !args.quiet {
        say!(
            "outcry: watching {} feed(s){}; storing into {}",
            plan.feeds.len(),
            if args.once {
                " for one round"
            } else {
                " (Ctrl-C or SIGTERM to stop)"
            },
            display(&env.db)
        );
    }
    let opts = RunOptions {
        once: args.once,
        quiet: args.quiet,
        keep_text: !args.no_text,
        user_agent: plan.user_agent.clone().unwrap_or_else(default_user_agent),
        limits: Limits::default(),
        credentials,
    };
    let summary = runner::run(&plan, &store, &pipeline, &opts)?;
    let mut failed = 0;
    for f in &summary.feeds {
        if f.gone.is_some() || (f.errors > 0 && f.rounds == 0) {
            failed += 1;
        }
    }
    if !args.quiet {
        let new: u64 = summary.feeds.iter().map(|f| f.total.tally.new).sum();
        let posts: u64 = summary.feeds.iter().map(|f| f.total.tally.posts).sum();
        say!(
            "outcry: {posts} posts received, {new} new about watched topics{}",
            if summary.stopped { "; stopped" } else { "" }
        );
    }
    Ok(if failed == summary.feeds.len() && failed > 0 {
        EXIT_FATAL
    } else if failed > 0 {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    })
}

//! `outcry serve`: the dashboard and its JSON API, and with `--poll` the
//! feed pollers, in one process that owns the store.
//!
//! sled admits one process per store, so polling next to a server must
//! happen inside it: the pollers' writer runs on its own thread with the
//! same `Arc<Store>` the handlers read.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::{display, Env, EXIT_OK};
use outcry::feeds::bluesky_search::Credentials;
use outcry::feeds::config::{self, Flags, Plan};
use outcry::feeds::http::Limits;
use outcry::feeds::runner::{self, RunOptions};
use outcry::feeds::StopSignals;
use outcry::say;
use outcry::serve::{self, AppState, TopicInfo};

pub struct ServeArgs {
    pub addr: String,
    /// Consent to listen on a non-loopback address.
    pub public: bool,
    /// Run the feed pollers in this process too.
    pub poll: bool,
    pub config: Option<PathBuf>,
}

fn address(s: &str) -> Result<SocketAddr> {
    // `localhost:8080` is what people type; it is the loopback address.
    let s = s.trim();
    let s = s
        .strip_prefix("localhost:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| s.to_string());
    s.parse()
        .with_context(|| format!("--addr {s:?} is not an address like 127.0.0.1:8080"))
}

fn poll_plan(env: &Env, config_path: &PathBuf) -> Result<Plan> {
    let pipeline = env.pipeline()?;
    let text = std::fs::read_to_string(config_path)
        .with_context(|| format!("cannot read {}", display(config_path)))?;
    // Both errors name the file (and the line) themselves.
    let file = config::parse_file(&text, &display(config_path))?;
    let plan = config::plan(Some(file), &Flags::default(), pipeline.topics())?;
    anyhow::ensure!(
        !plan.feeds.is_empty(),
        "{} names no feeds to poll",
        display(config_path)
    );
    Ok(plan)
}

pub fn serve(env: &Env, args: &ServeArgs) -> Result<u8> {
    let addr = address(&args.addr)?;
    serve::check_address(addr, args.public)?;
    if args.config.is_some() && !args.poll {
        anyhow::bail!("--config is read only with --poll");
    }
    let plan = match (&args.poll, &args.config) {
        (true, Some(path)) => Some(poll_plan(env, path)?),
        (true, None) => anyhow::bail!(
            "--poll needs --config FILE naming the feeds (see the README for an example)"
        ),
        (false, _) => None,
    };
    let topics = TopicInfo::from_topics(env.pipeline()?.topics());
    // Without pollers nothing would ever fill a new store: a mistyped path
    // is an error, not an empty dashboard.
    let store = Arc::new(if plan.is_some() {
        env.store()?
    } else {
        env.existing_store()?
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server")?;
    let listener = runtime.block_on(serve::bind(addr))?;
    let bound = listener.local_addr().context("reading the bound address")?;

    let poller = match plan {
        Some(plan) => {
            let store = Arc::clone(&store);
            let pipeline = env.pipeline()?;
            let opts = RunOptions {
                once: false,
                quiet: false,
                keep_text: true,
                user_agent: plan
                    .user_agent
                    .clone()
                    .unwrap_or_else(super::poll::default_user_agent),
                limits: Limits::default(),
                credentials: Credentials::from_env(),
            };
            let feeds = plan.feeds.len();
            let handle = std::thread::Builder::new()
                .name("outcry-poll".into())
                .spawn(move || match runner::run(&plan, &store, &pipeline, &opts) {
                    Ok(summary) if summary.stopped => {}
                    Ok(_) => {
                        say!("outcry: every feed has stopped; still serving what is stored")
                    }
                    Err(e) => {
                        say!("outcry: polling stopped: {e}; still serving what is stored")
                    }
                })
                .context("starting the pollers")?;
            say!("outcry: polling {feeds} feed(s) into the same store");
            Some(handle)
        }
        None => None,
    };

    let state = AppState::new(Arc::clone(&store), topics, poller.is_some());
    say!("{}", serve::startup_line(bound, &env.db, poller.is_some()));
    runtime.block_on(serve::serve(listener, state, async {
        // SIGTERM too: with --poll the pollers listen for it, so it no
        // longer ends the process by itself. Without a signal handler the
        // server cannot stop cleanly: serve until killed.
        if StopSignals::listen().next().await.is_none() {
            std::future::pending::<()>().await;
        }
    }))?;
    say!("outcry: stopping");
    if let Some(handle) = poller {
        // The pollers saw the same signal and finish their last commit.
        let _ = handle.join();
    }
    store.flush()?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_people_type() {
        assert_eq!(address("127.0.0.1:8080").unwrap().port(), 8080);
        assert!(address("localhost:9000").unwrap().ip().is_loopback());
        assert!(address("[::1]:80").unwrap().ip().is_loopback());
        assert!(address("0.0.0.0:80").is_ok());
        assert!(address("8080").is_err());
    }
}

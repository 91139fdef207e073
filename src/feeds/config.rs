//! What to watch: the command-line flags and `outcry.toml`, merged into one
//! list of feeds.
//!
//! The flags are a contract other tools script against (`--mastodon URL
//! --tag netflix`, `--jetstream URL`, `--bluesky-search URL`, `--reddit NAME
//! --reddit-base URL`, `--rss URL`, `--topic NAME`); the file serves a user
//! with many sources. Both end up as a [`Plan`]. Where a source needs words
//! to search for and none are given, they come from the watched topics in
//! `lexicons/topics.toml`: their hashtags for Mastodon, their first name for
//! Bluesky search.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::tag::Topic;

pub const DEFAULT_REDDIT_BASE: &str = super::reddit::DEFAULT_BASE;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedSpec {
    Mastodon { base: String, tag: String },
    Jetstream { url: String },
    BlueskySearch { base: String, query: String },
    Reddit { base: String, name: String },
    Rss { url: String },
}

impl FeedSpec {
    /// The pause between rounds when none is configured: what each network
    /// tolerates from an anonymous poller, with room to spare.
    pub fn default_interval(&self) -> Duration {
        Duration::from_secs(match self {
            FeedSpec::Mastodon { .. } => 60,
            // A streaming feed: the interval is how often it reports.
            FeedSpec::Jetstream { .. } => 60,
            FeedSpec::BlueskySearch { .. } => 120,
            // Unauthenticated Reddit allows about 10 requests a minute.
            FeedSpec::Reddit { .. } => 120,
            FeedSpec::Rss { .. } => 300,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub spec: FeedSpec,
    pub interval: Duration,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub feeds: Vec<Watch>,
    /// Topics whose posts are stored; empty means every topic.
    pub topics: Vec<String>,
    pub user_agent: Option<String>,
    pub record: Option<PathBuf>,
}

/// The command line's share of the plan.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub mastodon: Vec<String>,
    pub tags: Vec<String>,
    pub jetstream: Vec<String>,
    pub bluesky_search: Vec<String>,
    pub reddit: Vec<String>,
    pub reddit_base: Option<String>,
    pub rss: Vec<String>,
    pub topics: Vec<String>,
    pub interval: Option<Duration>,
    pub user_agent: Option<String>,
    pub record: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("outcry.toml: {0}")]
    File(String),
}

fn invalid(s: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(s.into())
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum IntervalValue {
    Seconds(u64),
    Text(String),
}

impl IntervalValue {
    fn duration(&self) -> Result<Duration, ConfigError> {
        match self {
            IntervalValue::Seconds(s) => check_interval(Duration::from_secs(*s)),
            IntervalValue::Text(t) => parse_interval(t),
        }
    }
}

/// `outcry.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub interval: Option<IntervalValue>,
    #[serde(default)]
    pub topics: Vec<String>,
    pub user_agent: Option<String>,
    pub record: Option<PathBuf>,
    #[serde(default)]
    pub mastodon: Vec<MastodonEntry>,
    #[serde(default)]
    pub jetstream: Vec<JetstreamEntry>,
    #[serde(default)]
    pub bluesky_search: Vec<SearchEntry>,
    #[serde(default)]
    pub reddit: Vec<RedditEntry>,
    #[serde(default)]
    pub rss: Vec<RssEntry>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MastodonEntry {
    pub base: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub interval: Option<IntervalValue>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct JetstreamEntry {
    pub url: String,
    pub interval: Option<IntervalValue>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SearchEntry {
    pub base: String,
    #[serde(default)]
    pub queries: Vec<String>,
    pub interval: Option<IntervalValue>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RedditEntry {
    pub name: String,
    pub base: Option<String>,
    pub interval: Option<IntervalValue>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RssEntry {
    pub url: String,
    pub interval: Option<IntervalValue>,
}

pub fn parse_file(text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::File(e.message().to_string()))
}

/// `90`, `90s`, `5m`, `1h`.
pub fn parse_interval(s: &str) -> Result<Duration, ConfigError> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits.parse().map_err(|_| {
        invalid(format!(
            "interval {s:?}: expected a number of seconds, or like 90s, 5m, 1h"
        ))
    })?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        other => {
            return Err(invalid(format!(
                "interval {s:?}: unknown unit {other:?} (use s, m or h)"
            )))
        }
    };
    check_interval(Duration::from_secs(secs))
}

fn check_interval(d: Duration) -> Result<Duration, ConfigError> {
    if d.is_zero() {
        Err(invalid("an interval must be at least 1 second"))
    } else {
        Ok(d)
    }
}

fn check_url(url: &str, what: &str, schemes: &[&str]) -> Result<String, ConfigError> {
    let url = url.trim();
    if schemes
        .iter()
        .any(|s| url.starts_with(&format!("{s}://")) && url.len() > s.len() + 3)
    {
        Ok(super::trim_base(url))
    } else {
        Err(invalid(format!(
            "{what} {url:?} is not a {} URL",
            schemes.join(" or ")
        )))
    }
}

/// Merges the file (if any) and the flags into the feeds to watch,
/// checking every name against the known topics.
pub fn plan(file: Option<FileConfig>, flags: &Flags, known: &[Topic]) -> Result<Plan, ConfigError> {
    let file = file.unwrap_or_default();
    let mut topics: Vec<String> = flags.topics.clone();
    for t in &file.topics {
        if !topics.contains(t) {
            topics.push(t.clone());
        }
    }
    let topics: Vec<String> = topics.iter().map(|t| t.trim().to_lowercase()).collect();
    for t in &topics {
        if !known.iter().any(|k| &k.name == t) {
            let names: Vec<&str> = known.iter().map(|k| k.name.as_str()).collect();
            return Err(invalid(format!(
                "unknown topic {t:?} (known: {})",
                names.join(", ")
            )));
        }
    }
    let watched: Vec<&Topic> = known
        .iter()
        .filter(|k| topics.is_empty() || topics.contains(&k.name))
        .collect();
    let default_tags = || -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for t in &watched {
            for h in &t.hashtags {
                let h = h.trim_start_matches('#').to_string();
                if !h.is_empty() && !tags.contains(&h) {
                    tags.push(h);
                }
            }
        }
        tags
    };
    let default_queries = || -> Vec<String> {
        watched
            .iter()
            .filter_map(|t| t.names.first().cloned())
            .collect()
    };
    let global = match &file.interval {
        Some(v) => Some(v.duration()?),
        None => None,
    };
    let fallback = flags.interval.or(global);
    let mut feeds: Vec<Watch> = Vec::new();
    let mut add = |spec: FeedSpec, own: Option<&IntervalValue>| -> Result<(), ConfigError> {
        let interval = match own {
            Some(v) => v.duration()?,
            None => fallback.unwrap_or_else(|| spec.default_interval()),
        };
        if !feeds.iter().any(|w| w.spec == spec) {
            feeds.push(Watch { spec, interval });
        }
        Ok(())
    };

    if !flags.tags.is_empty() && flags.mastodon.is_empty() {
        return Err(invalid("--tag needs --mastodon BASE_URL"));
    }
    for base in &flags.mastodon {
        let base = check_url(base, "--mastodon", &["https", "http"])?;
        let tags = if flags.tags.is_empty() {
            default_tags()
        } else {
            flags.tags.clone()
        };
        for tag in clean_tags(&tags) {
            add(
                FeedSpec::Mastodon {
                    base: base.clone(),
                    tag,
                },
                None,
            )?;
        }
    }
    for m in &file.mastodon {
        let base = check_url(&m.base, "mastodon base", &["https", "http"])?;
        let tags = if m.tags.is_empty() {
            default_tags()
        } else {
            m.tags.clone()
        };
        for tag in clean_tags(&tags) {
            add(
                FeedSpec::Mastodon {
                    base: base.clone(),
                    tag,
                },
                m.interval.as_ref(),
            )?;
        }
    }
    for url in &flags.jetstream {
        let url = check_url(url, "--jetstream", &["wss", "ws"])?;
        add(FeedSpec::Jetstream { url }, None)?;
    }
    for j in &file.jetstream {
        let url = check_url(&j.url, "jetstream url", &["wss", "ws"])?;
        add(FeedSpec::Jetstream { url }, j.interval.as_ref())?;
    }
    for base in &flags.bluesky_search {
        let base = check_url(base, "--bluesky-search", &["https", "http"])?;
        for query in default_queries() {
            add(
                FeedSpec::BlueskySearch {
                    base: base.clone(),
                    query,
                },
                None,
            )?;
        }
    }
    for b in &file.bluesky_search {
        let base = check_url(&b.base, "bluesky_search base", &["https", "http"])?;
        let queries = if b.queries.is_empty() {
            default_queries()
        } else {
            b.queries.clone()
        };
        for query in queries {
            add(
                FeedSpec::BlueskySearch {
                    base: base.clone(),
                    query,
                },
                b.interval.as_ref(),
            )?;
        }
    }
    let reddit_base = check_url(
        flags.reddit_base.as_deref().unwrap_or(DEFAULT_REDDIT_BASE),
        "--reddit-base",
        &["https", "http"],
    )?;
    for name in &flags.reddit {
        add(
            FeedSpec::Reddit {
                base: reddit_base.clone(),
                name: subreddit(name)?,
            },
            None,
        )?;
    }
    for r in &file.reddit {
        let base = check_url(
            r.base.as_deref().unwrap_or(DEFAULT_REDDIT_BASE),
            "reddit base",
            &["https", "http"],
        )?;
        add(
            FeedSpec::Reddit {
                base,
                name: subreddit(&r.name)?,
            },
            r.interval.as_ref(),
        )?;
    }
    for url in &flags.rss {
        let url = check_url(url, "--rss", &["https", "http"])?;
        add(FeedSpec::Rss { url }, None)?;
    }
    for r in &file.rss {
        let url = check_url(&r.url, "rss url", &["https", "http"])?;
        add(FeedSpec::Rss { url }, r.interval.as_ref())?;
    }
    if feeds.is_empty() {
        return Err(invalid(
            "nothing to watch: give --mastodon, --jetstream, --bluesky-search, --reddit or --rss, or --config outcry.toml",
        ));
    }
    Ok(Plan {
        feeds,
        topics,
        user_agent: flags.user_agent.clone().or(file.user_agent),
        record: flags.record.clone().or(file.record),
    })
}

fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').to_string();
        if !t.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    out
}

fn subreddit(name: &str) -> Result<String, ConfigError> {
    let name = name.trim().trim_start_matches('/').trim_start_matches("r/");
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
    {
        Ok(name.to_string())
    } else {
        Err(invalid(format!(
            "--reddit {name:?} is not a subreddit name"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(name: &str, hashtags: &[&str]) -> Topic {
        Topic {
            name: name.into(),
            terms: vec![],
            display_name: name.into(),
            names: vec![name.into()],
            handles: vec![],
            help_handles: vec![],
            hashtags: hashtags.iter().map(|h| h.to_string()).collect(),
        }
    }

    fn known() -> Vec<Topic> {
        vec![
            topic("netflix", &["#netflix", "#christmasisruined"]),
            topic("hulu", &["#hulu"]),
        ]
    }

    #[test]
    fn flags_become_feeds_with_default_tags_and_intervals() {
        let flags = Flags {
            mastodon: vec!["https://m.example/".into()],
            reddit: vec!["r/netflix".into()],
            topics: vec!["netflix".into()],
            ..Flags::default()
        };
        let plan = plan(None, &flags, &known()).unwrap();
        let specs: Vec<_> = plan
            .feeds
            .iter()
            .map(|w| (w.spec.clone(), w.interval.as_secs()))
            .collect();
        assert_eq!(
            specs,
            vec![
                (
                    FeedSpec::Mastodon {
                        base: "https://m.example".into(),
                        tag: "netflix".into()
                    },
                    60
                ),
                (
                    FeedSpec::Mastodon {
                        base: "https://m.example".into(),
                        tag: "christmasisruined".into()
                    },
                    60
                ),
                (
                    FeedSpec::Reddit {
                        base: "https://www.reddit.com".into(),
                        name: "netflix".into()
                    },
                    120
                ),
            ]
        );
        assert_eq!(plan.topics, vec!["netflix".to_string()]);
    }

    #[test]
    fn a_config_file_is_read_and_merged() {
        let file = parse_file(
            r##"
interval = "90s"
topics = ["hulu"]
user_agent = "outcry/0.1 (ops@example.org)"
[[mastodon]]
base = "https://m.example"
tags = ["#HuluDown"]
interval = 30
[[jetstream]]
url = "wss://js.example/subscribe"
[[bluesky_search]]
base = "https://pds.example"
[[rss]]
url = "https://status.example/history.rss"
interval = "5m"
"##,
        )
        .unwrap();
        let plan = plan(Some(file), &Flags::default(), &known()).unwrap();
        let specs: Vec<_> = plan
            .feeds
            .iter()
            .map(|w| (w.spec.clone(), w.interval.as_secs()))
            .collect();
        assert_eq!(
            specs,
            vec![
                (
                    FeedSpec::Mastodon {
                        base: "https://m.example".into(),
                        tag: "HuluDown".into()
                    },
                    30
                ),
                (
                    FeedSpec::Jetstream {
                        url: "wss://js.example/subscribe".into()
                    },
                    90
                ),
                (
                    FeedSpec::BlueskySearch {
                        base: "https://pds.example".into(),
                        query: "hulu".into()
                    },
                    90
                ),
                (
                    FeedSpec::Rss {
                        url: "https://status.example/history.rss".into()
                    },
                    300
                ),
            ]
        );
        assert_eq!(
            plan.user_agent.as_deref(),
            Some("outcry/0.1 (ops@example.org)")
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let err = |flags: Flags| plan(None, &flags, &known()).unwrap_err().to_string();
        assert!(err(Flags::default()).starts_with("nothing to watch"));
        assert_eq!(
            err(Flags {
                rss: vec!["x".into()],
                topics: vec!["hbo".into()],
                ..Flags::default()
            }),
            "unknown topic \"hbo\" (known: netflix, hulu)"
        );
        assert_eq!(
            err(Flags {
                tags: vec!["netflix".into()],
                ..Flags::default()
            }),
            "--tag needs --mastodon BASE_URL"
        );
        assert_eq!(
            err(Flags {
                jetstream: vec!["https://js.example".into()],
                ..Flags::default()
            }),
            "--jetstream \"https://js.example\" is not a wss or ws URL"
        );
        assert!(parse_file("[[mastodon]]\nurl = \"x\"")
            .unwrap_err()
            .to_string()
            .contains("unknown field"));
        assert_eq!(parse_interval("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_interval("45").unwrap(), Duration::from_secs(45));
        assert!(parse_interval("0").is_err());
        assert!(parse_interval("5 days").is_err());
    }
}

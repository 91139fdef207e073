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

use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

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
    /// A flag, or the flags together (`--tag` without `--mastodon`).
    #[error("{0}")]
    Invalid(String),
    /// Something in the config file, where it is.
    #[error("{at}: {reason}")]
    File { at: Location, reason: String },
}

fn invalid(s: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(s.into())
}

/// A place in the config file, as compilers name one: `outcry.toml:9:12`,
/// or `outcry.toml:9` when the column is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Where a parsed file came from, kept so that a value found wrong only
/// when the plan is made (an unknown topic) is still named by its place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Origin {
    file: String,
    text: String,
}

impl Origin {
    /// The line and column (both from 1, the column in characters) of a
    /// byte offset, as the toml crate's spans give them.
    fn at(&self, span: Option<Range<usize>>) -> Location {
        let (line, column) = match span {
            Some(span) => {
                let start = floor_char_boundary(&self.text, span.start);
                let before = &self.text[..start];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                (
                    Some(before.matches('\n').count() + 1),
                    Some(before[line_start..].chars().count() + 1),
                )
            }
            None => (None, None),
        };
        Location {
            file: self.file.clone(),
            line,
            column,
        }
    }

    fn error(&self, span: Option<Range<usize>>, reason: impl Into<String>) -> ConfigError {
        ConfigError::File {
            at: self.at(span),
            reason: reason.into(),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A pause between rounds, checked where it is read: a whole number of
/// seconds, or a text such as `"90s"`, `"5m"`, `"1h"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval(pub Duration);

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Interval, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Interval;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"a number of seconds, or a text like "90s", "5m", "1h""#)
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Interval, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!(
                        "interval {v}: must be at least 1 second"
                    ))),
                }
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Interval, E> {
                check_interval(Duration::from_secs(v))
                    .map(Interval)
                    .map_err(|e| E::custom(format!("interval {v}: {e}")))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Interval, E> {
                Err(E::custom(format!(
                    r#"interval {v}: a whole number of seconds, or a text like "90s", "5m", "1h""#
                )))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Interval, E> {
                parse_interval(v)
                    .map(Interval)
                    .map_err(|e| E::custom(format!("interval {v:?}: {e}")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

const WEB: &[&str] = &["https", "http"];
const WEBSOCKET: &[&str] = &["wss", "ws"];

fn web_base<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let base = String::deserialize(d)?;
    check_url(&base, "base", WEB).map_err(serde::de::Error::custom)
}

fn optional_web_base<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(base) => check_url(&base, "base", WEB)
            .map(Some)
            .map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

fn web_url<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = String::deserialize(d)?;
    check_url(&url, "url", WEB).map_err(serde::de::Error::custom)
}

fn websocket_url<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = String::deserialize(d)?;
    check_url(&url, "url", WEBSOCKET).map_err(serde::de::Error::custom)
}

fn subreddit_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    subreddit(&name, "name").map_err(serde::de::Error::custom)
}

/// `outcry.toml`, as [`parse_file`] reads it: every value that can be
/// checked on its own (URLs, intervals, subreddit names) is checked there,
/// so its error names its line.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub interval: Option<Interval>,
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
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
    #[serde(skip)]
    origin: Origin,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MastodonEntry {
    #[serde(deserialize_with = "web_base")]
    pub base: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct JetstreamEntry {
    #[serde(deserialize_with = "websocket_url")]
    pub url: String,
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SearchEntry {
    #[serde(deserialize_with = "web_base")]
    pub base: String,
    #[serde(default)]
    pub queries: Vec<String>,
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RedditEntry {
    #[serde(deserialize_with = "subreddit_name")]
    pub name: String,
    #[serde(default, deserialize_with = "optional_web_base")]
    pub base: Option<String>,
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RssEntry {
    #[serde(deserialize_with = "web_url")]
    pub url: String,
    pub interval: Option<Interval>,
}

/// Reads a config file's `text`; `file` is how its errors name it
/// (`outcry.toml:9:12: interval "5 min": unknown unit "min" (use s, m or h)`).
pub fn parse_file(text: &str, file: &str) -> Result<FileConfig, ConfigError> {
    let origin = Origin {
        file: file.to_string(),
        text: text.to_string(),
    };
    match toml::from_str::<FileConfig>(text) {
        Ok(config) => Ok(FileConfig { origin, ..config }),
        // The parser's message may run over lines ("invalid table header\n
        // expected `.`, `]]`"); one error is one line.
        Err(e) => Err(origin.error(e.span(), e.message().trim().replace('\n', "; "))),
    }
}

/// `90`, `90s`, `5m`, `1h`. The error says what is wrong with the value;
/// the caller names where it came from (`--interval "5 min": …`).
pub fn parse_interval(s: &str) -> Result<Duration, ConfigError> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| invalid("expected a number of seconds, or like 90s, 5m, 1h"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        other => return Err(invalid(format!("unknown unit {other:?} (use s, m or h)"))),
    };
    check_interval(Duration::from_secs(secs))
}

fn check_interval(d: Duration) -> Result<Duration, ConfigError> {
    if d.is_zero() {
        Err(invalid("must be at least 1 second"))
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
    let unknown = |t: &str| {
        let names: Vec<&str> = known.iter().map(|k| k.name.as_str()).collect();
        format!("unknown topic {t:?} (known: {})", names.join(", "))
    };
    let normal = |t: &str| t.trim().to_lowercase();
    let mut topics: Vec<String> = Vec::new();
    for t in flags.topics.iter().map(|t| normal(t)) {
        if !known.iter().any(|k| k.name == t) {
            return Err(invalid(unknown(&t)));
        }
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    for spanned in &file.topics {
        let t = normal(spanned.get_ref());
        if !known.iter().any(|k| k.name == t) {
            return Err(file.origin.error(Some(spanned.span()), unknown(&t)));
        }
        if !topics.contains(&t) {
            topics.push(t);
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
    let fallback = flags.interval.or(file.interval.map(|i| i.0));
    let mut feeds: Vec<Watch> = Vec::new();
    let mut add = |spec: FeedSpec, own: Option<Interval>| {
        let interval = match own {
            Some(i) => i.0,
            None => fallback.unwrap_or_else(|| spec.default_interval()),
        };
        if !feeds.iter().any(|w| w.spec == spec) {
            feeds.push(Watch { spec, interval });
        }
    };

    // The file's URLs and names were checked as it was read (`parse_file`),
    // where their errors can name their line; the flags' are checked here.
    if !flags.tags.is_empty() && flags.mastodon.is_empty() {
        return Err(invalid("--tag needs --mastodon BASE_URL"));
    }
    for base in &flags.mastodon {
        let base = check_url(base, "--mastodon", WEB)?;
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
            );
        }
    }
    for m in &file.mastodon {
        let tags = if m.tags.is_empty() {
            default_tags()
        } else {
            m.tags.clone()
        };
        for tag in clean_tags(&tags) {
            add(
                FeedSpec::Mastodon {
                    base: m.base.clone(),
                    tag,
                },
                m.interval,
            );
        }
    }
    for url in &flags.jetstream {
        let url = check_url(url, "--jetstream", WEBSOCKET)?;
        add(FeedSpec::Jetstream { url }, None);
    }
    for j in &file.jetstream {
        add(FeedSpec::Jetstream { url: j.url.clone() }, j.interval);
    }
    for base in &flags.bluesky_search {
        let base = check_url(base, "--bluesky-search", WEB)?;
        for query in default_queries() {
            add(
                FeedSpec::BlueskySearch {
                    base: base.clone(),
                    query,
                },
                None,
            );
        }
    }
    for b in &file.bluesky_search {
        let queries = if b.queries.is_empty() {
            default_queries()
        } else {
            b.queries.clone()
        };
        for query in queries {
            add(
                FeedSpec::BlueskySearch {
                    base: b.base.clone(),
                    query,
                },
                b.interval,
            );
        }
    }
    let reddit_base = check_url(
        flags.reddit_base.as_deref().unwrap_or(DEFAULT_REDDIT_BASE),
        "--reddit-base",
        WEB,
    )?;
    for name in &flags.reddit {
        add(
            FeedSpec::Reddit {
                base: reddit_base.clone(),
                name: subreddit(name, "--reddit")?,
            },
            None,
        );
    }
    for r in &file.reddit {
        add(
            FeedSpec::Reddit {
                base: r
                    .base
                    .clone()
                    .unwrap_or_else(|| DEFAULT_REDDIT_BASE.to_string()),
                name: r.name.clone(),
            },
            r.interval,
        );
    }
    for url in &flags.rss {
        let url = check_url(url, "--rss", WEB)?;
        add(FeedSpec::Rss { url }, None);
    }
    for r in &file.rss {
        add(FeedSpec::Rss { url: r.url.clone() }, r.interval);
    }
    if feeds.is_empty() {
        let nothing =
            "nothing to watch: give --mastodon, --jetstream, --bluesky-search, --reddit or --rss";
        return Err(if file.origin.file.is_empty() {
            invalid(format!("{nothing}, or --config outcry.toml"))
        } else {
            file.origin.error(
                None,
                format!(
                    "{nothing}, or list feeds in this file ([[mastodon]], [[jetstream]], [[bluesky_search]], [[reddit]], [[rss]])"
                ),
            )
        });
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

/// `what` names where the name came from: `--reddit`, or the file's `name`.
fn subreddit(name: &str, what: &str) -> Result<String, ConfigError> {
    let name = name.trim().trim_start_matches('/').trim_start_matches("r/");
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
    {
        Ok(name.to_string())
    } else {
        Err(invalid(format!("{what} {name:?} is not a subreddit name")))
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
            "outcry.toml",
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
        assert_eq!(
            err(Flags {
                reddit: vec!["net flix".into()],
                ..Flags::default()
            }),
            "--reddit \"net flix\" is not a subreddit name"
        );
        assert_eq!(parse_interval("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_interval("45").unwrap(), Duration::from_secs(45));
        assert_eq!(
            parse_interval("0").unwrap_err().to_string(),
            "must be at least 1 second"
        );
        assert_eq!(
            parse_interval("5 days").unwrap_err().to_string(),
            "unknown unit \"days\" (use s, m or h)"
        );
    }

    /// What `parse_file` (or, for a topic, `plan`) says about `text`.
    fn file_error(text: &str) -> String {
        match parse_file(text, "cfg.toml") {
            Ok(file) => plan(Some(file), &Flags::default(), &known())
                .map(|_| String::new())
                .unwrap_or_else(|e| e.to_string()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn file_errors_name_the_file_line_and_column() {
        let cases = [
            // Syntax, and what serde finds, carry the toml crate's spans.
            (
                "[[mastodon]\nbase = \"x\"",
                "cfg.toml:1:11: invalid table header; expected `.`, `]]`",
            ),
            (
                "interval = \"2m\"\ninterval = \"3m\"",
                "cfg.toml:2:1: duplicate key `interval` in document root",
            ),
            (
                "[[mastodon]]\ntags = [\"netflix\"]",
                "cfg.toml:1:1: missing field `base`",
            ),
            (
                "[[mastodon]]\nurl = \"x\"",
                "cfg.toml:2:1: unknown field `url`, expected one of `base`, `tags`, `interval`",
            ),
            // Intervals: never serde's "did not match any variant".
            (
                "interval = 1.5",
                "cfg.toml:1:12: interval 1.5: a whole number of seconds, or a text like \"90s\", \"5m\", \"1h\"",
            ),
            (
                "interval = -5",
                "cfg.toml:1:12: interval -5: must be at least 1 second",
            ),
            (
                "interval = 0",
                "cfg.toml:1:12: interval 0: must be at least 1 second",
            ),
            (
                "interval = true",
                "cfg.toml:1:12: invalid type: boolean `true`, expected a number of seconds, or a text like \"90s\", \"5m\", \"1h\"",
            ),
            // A value checked on its own is named where it is: the second
            // [[rss]], not the first.
            (
                "# a comment\ninterval = \"2m\"\n\n[[rss]]\nurl = \"http://a.example/feed.rss\"\n\n[[rss]]\nurl = \"http://b.example/feed2.rss\"\ninterval = \"5 min\"",
                "cfg.toml:9:12: interval \"5 min\": unknown unit \"min\" (use s, m or h)",
            ),
            (
                "[[rss]]\nurl = \"http://a.example/\"\ninterval = \"fast\"",
                "cfg.toml:3:12: interval \"fast\": expected a number of seconds, or like 90s, 5m, 1h",
            ),
            (
                "[[mastodon]]\nbase = \"not a url\"",
                "cfg.toml:2:8: base \"not a url\" is not a https or http URL",
            ),
            (
                "[[jetstream]]\nurl = \"https://js.example\"",
                "cfg.toml:2:7: url \"https://js.example\" is not a wss or ws URL",
            ),
            (
                "[[reddit]]\nname = \"net flix/../x\"",
                "cfg.toml:2:8: name \"net flix/../x\" is not a subreddit name",
            ),
            (
                "[[reddit]]\nname = \"netflix\"\nbase = \"ftp://r.example\"",
                "cfg.toml:3:8: base \"ftp://r.example\" is not a https or http URL",
            ),
            // Known only when the plan is made, still named by its place;
            // the column counts characters, not bytes.
            (
                "topics = [\"netflix\", \"hbö\", \"x\"]\n[[rss]]\nurl = \"https://a.example/\"",
                "cfg.toml:1:22: unknown topic \"hbö\" (known: netflix, hulu)",
            ),
            (
                "\"ö\" = 1\ninterval = \"2m\"",
                "cfg.toml:1:1: unknown field `ö`, expected one of `interval`, `topics`, `user_agent`, `record`, `mastodon`, `jetstream`, `bluesky_search`, `reddit`, `rss`",
            ),
            (
                "interval = \"2m\"",
                "cfg.toml: nothing to watch: give --mastodon, --jetstream, --bluesky-search, --reddit or --rss, or list feeds in this file ([[mastodon]], [[jetstream]], [[bluesky_search]], [[reddit]], [[rss]])",
            ),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(text, expected)| file_error(text) != *expected)
            .map(|(text, _)| format!("{text:?}\n  gives {}", file_error(text)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

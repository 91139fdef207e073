//! The normalised post that every source produces.
//!
//! Sources differ wildly in shape (tweet JSON, twarc2 responses, Mastodon
//! statuses, RSS items); everything after the reader (tagging, scoring,
//! storage) only ever sees a `Post`, so adding a source never touches the
//! stages downstream of it.

use chrono::{DateTime, Utc};

/// Where a post came from. Part of the dedup key: a tweet and a toot may share
/// an id string without being the same post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Twitter,
    Mastodon,
    Bluesky,
    Reddit,
    Rss,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Twitter => "twitter",
            Source::Mastodon => "mastodon",
            Source::Bluesky => "bluesky",
            Source::Reddit => "reddit",
            Source::Rss => "rss",
        }
    }

    pub fn parse(name: &str) -> Option<Source> {
        Some(match name {
            "twitter" => Source::Twitter,
            "mastodon" => Source::Mastodon,
            "bluesky" => Source::Bluesky,
            "reddit" => Source::Reddit,
            "rss" => Source::Rss,
            _ => return None,
        })
    }
}

/// What a post says about where its author is. Kept raw: deciding the region
/// is the `region` module's job, and the evidence should survive that choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionHints {
    /// `place.country_code` (ISO 3166-1 alpha-2) when the post was geotagged.
    pub country_code: Option<String>,
    /// The account's time zone name as Twitter wrote it in 2012
    /// ("Eastern Time (US & Canada)", "Brasilia").
    pub time_zone: Option<String>,
    /// Seconds east of UTC for that time zone.
    pub utc_offset: Option<i32>,
    /// The free-text profile location ("NYC", "São Paulo, Brasil").
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub source: Source,
    /// Always a string: tweet ids exceed 2^53 and lose digits as floats.
    pub id: String,
    pub created_at: DateTime<Utc>,
    /// Full text, HTML entities decoded. For a repost, the original's text.
    pub text: String,
    /// The language code the source gave (`en`, `es`, `und`…), if any.
    pub lang: Option<String>,
    pub author: Option<String>,
    pub region_hints: RegionHints,
    pub is_repost: bool,
    /// For a repost, the post it repeats, when the source names it (the
    /// live feeds do). Only `poll --record` reads it, to write the
    /// original's id and time in `retweeted_status`; counting never does: a
    /// repost is counted under its own id, in its own hour.
    pub repost_of: Option<Original>,
    /// Hashtags without the leading `#`, as the source listed them.
    pub hashtags: Vec<String>,
}

/// The post a repost repeats, as far as the network names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// Its id, in the same form as [`Post::id`] (a toot's `uri`, a Reddit
    /// fullname).
    pub id: String,
    /// When it was posted, if the network says so and the time is plausible.
    pub created_at: Option<DateTime<Utc>>,
}

/// A retweet's own text without the "RT @user: " Twitter writes before the
/// original's words, for sources that keep only that text (CSV exports, a
/// flattened v2 retweet whose original is not at hand). A repost's text is
/// the original's ([`Post::text`]); with the prefix kept, the retweeted
/// account would count as a mention ("RT @Netflixhelps: …" a netflix post,
/// and a help handle addressed), which the same retweet read from a v1
/// archive, whose original text has no prefix, is not.
pub fn without_retweet_prefix(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("RT @") else {
        return text;
    };
    let handle_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if handle_end == 0 {
        return text;
    }
    match rest[handle_end..].strip_prefix(':') {
        Some(words) => words.trim_start(),
        None => text,
    }
}

#[cfg(test)]
mod retweet_prefix_tests {
    use super::without_retweet_prefix;

    #[test]
    fn only_a_whole_prefix_goes() {
        assert_eq!(
            without_retweet_prefix("RT @Netflixhelps: We're aware of issues"),
            "We're aware of issues"
        );
        assert_eq!(without_retweet_prefix("RT @a_b1:cut…"), "cut…");
        for kept in [
            "RT @: x",
            "RT @amy said so",
            "netflix RT @amy: x",
            "RT amy: x",
            "",
        ] {
            assert_eq!(without_retweet_prefix(kept), kept);
        }
    }
}

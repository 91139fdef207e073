//! Twitter API v1.1 tweet JSON, one object per line, as the streaming API
//! and twarc v1 wrote it.
//!
//! The structs borrow from the line where they can and name only the fields
//! outcry uses, so serde skips the rest of a 3 KB tweet without building it.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Control, LineOutcome};
use crate::post::{Post, RegionHints, Source};

/// The first day tweets exist; earlier times are corrupt data.
const EPOCH_OF_TWITTER: i64 = 1_142_899_200; // 2006-03-21T00:00:00Z

#[derive(Deserialize)]
struct Tweet<'a> {
    #[serde(borrow)]
    id_str: Option<Cow<'a, str>>,
    /// Set by `outcry poll --record`: the network a recorded post came from,
    /// whose ids are not tweet ids.
    #[serde(borrow)]
    outcry_source: Option<Cow<'a, str>>,
    id: Option<serde_json::Number>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    full_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    extended_tweet: Option<Extended<'a>>,
    #[serde(borrow)]
    lang: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user: Option<User<'a>>,
    #[serde(borrow)]
    place: Option<Place<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
    #[serde(borrow)]
    retweeted_status: Option<Box<Tweet<'a>>>,
    // Control messages share the line format with tweets.
    #[serde(borrow)]
    delete: Option<Delete<'a>>,
    limit: Option<serde::de::IgnoredAny>,
    scrub_geo: Option<serde::de::IgnoredAny>,
    status_withheld: Option<serde::de::IgnoredAny>,
    user_withheld: Option<serde::de::IgnoredAny>,
    disconnect: Option<serde::de::IgnoredAny>,
    warning: Option<serde::de::IgnoredAny>,
    friends: Option<serde::de::IgnoredAny>,
    event: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Extended<'a> {
    #[serde(borrow)]
    full_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
}

#[derive(Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    screen_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    location: Option<Cow<'a, str>>,
    #[serde(borrow)]
    time_zone: Option<Cow<'a, str>>,
    utc_offset: Option<i64>,
}

#[derive(Deserialize)]
struct Place<'a> {
    #[serde(borrow)]
    country_code: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Entities<'a> {
    #[serde(borrow, default)]
    hashtags: Vec<Hashtag<'a>>,
}

#[derive(Deserialize)]
struct Hashtag<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

#[derive(Deserialize)]
struct Delete<'a> {
    #[serde(borrow)]
    status: Option<DeletedStatus<'a>>,
}

#[derive(Deserialize)]
struct DeletedStatus<'a> {
    #[serde(borrow)]
    id_str: Option<Cow<'a, str>>,
}

/// Parses one line of v1.1 JSON.
pub fn parse_line(line: &[u8]) -> LineOutcome {
    if line.iter().all(u8::is_ascii_whitespace) {
        return LineOutcome::Blank;
    }
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            return LineOutcome::Reject(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
        }
    };
    // A byte-order mark survives in files saved by Windows editors.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().as_bytes().first().copied();
    if first != Some(b'{') {
        return LineOutcome::Reject(match first {
            Some(b'[') => "a JSON array, not a tweet object (an array of tweets is read only as a whole file that starts with '[')".into(),
            _ => "not JSON: a tweet line starts with '{'".into(),
        });
    }
    match serde_json::from_str::<Tweet>(text) {
        Ok(tweet) => from_tweet(tweet),
        Err(e) => LineOutcome::Reject(describe_json_error(&e)),
    }
}

/// A serde_json error in words for people.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!("truncated JSON (ends at column {})", e.column()),
        Category::Syntax => format!("invalid JSON: {e}"),
        Category::Data => format!("not a tweet: {e}"),
        Category::Io => format!("unreadable: {e}"),
    }
}

fn from_tweet(tweet: Tweet) -> LineOutcome {
    if let Some(delete) = tweet.delete {
        let id = delete.status.and_then(|s| s.id_str).map(Cow::into_owned);
        return LineOutcome::Control(Control::Delete { id });
    }
    if tweet.limit.is_some() {
        return LineOutcome::Control(Control::Limit);
    }
    let other = [
        (tweet.scrub_geo.is_some(), "scrub_geo"),
        (tweet.status_withheld.is_some(), "status_withheld"),
        (tweet.user_withheld.is_some(), "user_withheld"),
        (tweet.disconnect.is_some(), "disconnect"),
        (tweet.warning.is_some(), "warning"),
        (tweet.friends.is_some(), "friends"),
        (tweet.event.is_some(), "event"),
    ];
    if let Some((_, name)) = other.iter().find(|(present, _)| *present) {
        return LineOutcome::Control(Control::Other(name));
    }
    match to_post(tweet) {
        Ok(post) => LineOutcome::Post(Box::new(post)),
        Err(reason) => LineOutcome::Reject(reason),
    }
}

fn to_post(tweet: Tweet) -> Result<Post, String> {
    if tweet.id_str.is_none()
        && tweet.id.is_none()
        && tweet.created_at.is_none()
        && tweet.text.is_none()
        && tweet.full_text.is_none()
    {
        return Err("JSON object is not a tweet (no id, created_at or text)".into());
    }
    let source = match tweet.outcry_source.as_deref() {
        None => Source::Twitter,
        Some(name) => {
            Source::parse(name).ok_or_else(|| format!("unknown outcry_source {name:?}"))?
        }
    };
    let id = match (source, tweet.id_str.as_deref()) {
        (Source::Twitter, _) => tweet_id(&tweet)?,
        (_, Some(id)) if !id.is_empty() => id.to_owned(),
        _ => return Err(format!("recorded {} post has no id_str", source.as_str())),
    };
    let created_at = match &tweet.created_at {
        Some(s) => parse_created_at(s)?,
        None => return Err("tweet has no created_at".into()),
    };
    // A retweet's own text is cut to 140 characters behind "RT @user: ";
    // the original carries the whole complaint and its hashtags.
    let (content, is_repost) = match &tweet.retweeted_status {
        Some(original) => (&**original, true),
        None => (&tweet, false),
    };
    let text = full_text(content).ok_or("tweet has no text")?;
    let hashtags = hashtags(content);
    let user = tweet.user.as_ref();
    Ok(Post {
        source,
        id,
        created_at,
        text: html_escape::decode_html_entities(text).into_owned(),
        lang: tweet.lang.map(Cow::into_owned),
        author: user
            .and_then(|u| u.screen_name.as_deref())
            .map(str::to_owned),
        region_hints: RegionHints {
            country_code: tweet
                .place
                .and_then(|p| p.country_code)
                .filter(|c| !c.is_empty())
                .map(Cow::into_owned),
            time_zone: user.and_then(|u| non_empty(&u.time_zone)),
            utc_offset: user
                .and_then(|u| u.utc_offset)
                .and_then(|o| i32::try_from(o).ok()),
            location: user.and_then(|u| non_empty(&u.location)),
        },
        is_repost,
        repost_of: None,
        hashtags,
    })
}

fn non_empty(s: &Option<Cow<str>>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `id_str` is the id; the numeric `id` is used only when it is an exact
/// integer, since JSON readers that go through doubles corrupt ids past 2^53.
fn tweet_id(tweet: &Tweet) -> Result<String, String> {
    if let Some(id) = tweet.id_str.as_deref() {
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(id.to_owned());
        }
        return Err(format!("id_str {id:?} is not a tweet id"));
    }
    match &tweet.id {
        Some(n) if n.is_u64() => Ok(n.to_string()),
        Some(n) => Err(format!(
            "tweet has no id_str and its id {n} is not an exact integer"
        )),
        None => Err("tweet has no id".into()),
    }
}

fn full_text<'t>(tweet: &'t Tweet) -> Option<&'t str> {
    tweet
        .extended_tweet
        .as_ref()
        .and_then(|e| e.full_text.as_deref())
        .or(tweet.full_text.as_deref())
        .or(tweet.text.as_deref())
}

fn hashtags(tweet: &Tweet) -> Vec<String> {
    let entities = tweet
        .extended_tweet
        .as_ref()
        .and_then(|e| e.entities.as_ref())
        .or(tweet.entities.as_ref());
    entities
        .map(|e| e.hashtags.iter().map(|h| h.text.to_string()).collect())
        .unwrap_or_default()
}

/// Twitter's `Mon Dec 24 20:31:07 +0000 2012`. chrono's `%a`/`%b` are
/// English whatever the machine's locale, as Twitter's are.
pub fn parse_created_at(s: &str) -> Result<DateTime<Utc>, String> {
    let parsed = DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y")
        .map_err(|e| format!("created_at {s:?} is not a Twitter time: {e}"))?
        .with_timezone(&Utc);
    check_plausible(parsed).map_err(|why| format!("created_at {s:?} {why}"))
}

/// Rejects times no real post can have: before Twitter existed, or more than
/// a day ahead of this machine's clock.
pub fn check_plausible(t: DateTime<Utc>) -> Result<DateTime<Utc>, &'static str> {
    if t.timestamp() < EPOCH_OF_TWITTER {
        Err("is before Twitter existed (2006-03-21)")
    } else if t > Utc::now() + chrono::Duration::days(1) {
        Err("is in the future")
    } else {
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(line: &str) -> Post {
        match parse_line(line.as_bytes()) {
            LineOutcome::Post(p) => *p,
            other => panic!("expected a post, got {other:?}"),
        }
    }

    fn reject(line: &[u8]) -> String {
        match parse_line(line) {
            LineOutcome::Reject(r) => r,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn a_plain_tweet_becomes_a_post() {
        let p = post(
            r#"{"created_at":"Mon Dec 24 20:31:07 +0000 2012","id":283306174000000001,"id_str":"283306174000000001","text":"Netflix &amp; chill? no: #NetflixDown","lang":"en","user":{"screen_name":"amy","location":"Brooklyn, NY","time_zone":"Eastern Time (US & Canada)","utc_offset":-18000},"place":null,"entities":{"hashtags":[{"text":"NetflixDown","indices":[25,37]}]}}"#,
        );
        assert_eq!(p.id, "283306174000000001");
        assert_eq!(p.created_at.to_rfc3339(), "2012-12-24T20:31:07+00:00");
        assert_eq!(p.text, "Netflix & chill? no: #NetflixDown");
        assert_eq!(p.lang.as_deref(), Some("en"));
        assert_eq!(p.author.as_deref(), Some("amy"));
        assert_eq!(
            p.region_hints.time_zone.as_deref(),
            Some("Eastern Time (US & Canada)")
        );
        assert_eq!(p.region_hints.utc_offset, Some(-18000));
        assert_eq!(p.region_hints.location.as_deref(), Some("Brooklyn, NY"));
        assert_eq!(p.hashtags, vec!["NetflixDown".to_string()]);
        assert!(!p.is_repost);
    }

    #[test]
    fn extended_text_wins_over_truncated_text() {
        let p = post(
            r#"{"created_at":"Tue Dec 25 01:00:00 +0000 2012","id_str":"9","text":"short…","full_text":"middle","extended_tweet":{"full_text":"the whole long complaint","entities":{"hashtags":[{"text":"fail"}]}},"entities":{"hashtags":[]}}"#,
        );
        assert_eq!(p.text, "the whole long complaint");
        assert_eq!(p.hashtags, vec!["fail".to_string()]);
    }

    #[test]
    fn a_retweet_takes_text_and_hashtags_from_the_original() {
        let p = post(
            r#"{"created_at":"Tue Dec 25 02:00:00 +0000 2012","id_str":"20","text":"RT @bob: netflix is down on every devi…","entities":{"hashtags":[]},"user":{"screen_name":"carl"},"retweeted_status":{"created_at":"Tue Dec 25 01:00:00 +0000 2012","id_str":"10","text":"netflix is down on every device in the house #christmasisruined","entities":{"hashtags":[{"text":"christmasisruined"}]},"user":{"screen_name":"bob"}}}"#,
        );
        assert_eq!(p.id, "20");
        assert!(p.is_repost);
        assert_eq!(p.author.as_deref(), Some("carl"));
        assert_eq!(p.created_at.to_rfc3339(), "2012-12-25T02:00:00+00:00");
        assert_eq!(
            p.text,
            "netflix is down on every device in the house #christmasisruined"
        );
        assert_eq!(p.hashtags, vec!["christmasisruined".to_string()]);
    }

    #[test]
    fn control_lines_are_recognised() {
        assert!(matches!(
            parse_line(br#"{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"}}}"#),
            LineOutcome::Control(Control::Delete { id: Some(ref id) }) if id == "1"
        ));
        assert!(matches!(
            parse_line(br#"{"limit":{"track":12}}"#),
            LineOutcome::Control(Control::Limit)
        ));
        assert!(matches!(
            parse_line(br#"{"scrub_geo":{"user_id":1}}"#),
            LineOutcome::Control(Control::Other("scrub_geo"))
        ));
        assert!(matches!(parse_line(b"   "), LineOutcome::Blank));
    }

    #[test]
    fn recorded_feed_posts_keep_their_source_and_id() {
        let p = post(
            r#"{"outcry_source":"mastodon","id_str":"https://mastodon.social/users/a/statuses/1","created_at":"Mon Dec 24 20:31:07 +0000 2012","text":"netflix down"}"#,
        );
        assert_eq!(p.source, Source::Mastodon);
        assert_eq!(p.id, "https://mastodon.social/users/a/statuses/1");
        assert!(reject(br#"{"outcry_source":"myspace","id_str":"1","created_at":"Mon Dec 24 20:31:07 +0000 2012","text":"x"}"#)
            .contains("unknown outcry_source"));
        // A tweet id must still be a tweet id.
        assert!(reject(
            br#"{"id_str":"abc","created_at":"Mon Dec 24 20:31:07 +0000 2012","text":"x"}"#
        )
        .contains("is not a tweet id"));
    }

    #[test]
    fn ids_come_from_id_str_or_an_exact_integer_only() {
        let big =
            r#"{"created_at":"Mon Dec 24 20:31:07 +0000 2012","id":283306174000000001,"text":"x"}"#;
        assert_eq!(post(big).id, "283306174000000001");
        let float =
            br#"{"created_at":"Mon Dec 24 20:31:07 +0000 2012","id":2.83306174e17,"text":"x"}"#;
        assert!(reject(float).contains("not an exact integer"));
        let none = br#"{"created_at":"Mon Dec 24 20:31:07 +0000 2012","text":"x"}"#;
        assert_eq!(reject(none), "tweet has no id");
    }

    #[test]
    fn bad_lines_are_rejected_with_a_reason() {
        assert!(reject(br#"{"created_at":"Mon Dec 24 20:31"#).starts_with("truncated JSON"));
        assert!(reject(b"\xff\xfe{}").starts_with("invalid UTF-8 at byte 0"));
        assert!(reject(b"hello").starts_with("not JSON"));
        assert!(
            reject(br#"{"id_str":"1","created_at":"yesterday","text":"x"}"#)
                .contains("not a Twitter time")
        );
        assert!(reject(
            br#"{"id_str":"1","created_at":"Mon Dec 24 20:31:07 +0000 2001","text":"x"}"#
        )
        .contains("before Twitter existed"));
        assert!(reject(
            br#"{"id_str":"1","created_at":"Mon Dec 24 20:31:07 +0000 2012","text":5}"#
        )
        .starts_with("not a tweet"));
        assert_eq!(
            reject(br#"{"id_str":"1","created_at":"Mon Dec 24 20:31:07 +0000 2012"}"#),
            "tweet has no text"
        );
        assert_eq!(
            reject(br#"{"hello":"world"}"#),
            "JSON object is not a tweet (no id, created_at or text)"
        );
    }

    #[test]
    fn deep_nesting_neither_crashes_nor_loses_the_tweet() {
        // Nesting in a field we skip is harmless: serde_json skips it without
        // recursing.
        let deep = format!(
            r#"{{"id_str":"1","created_at":"Mon Dec 24 20:31:07 +0000 2012","text":"x","junk":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(post(&deep).id, "1");
        // Nesting where we expect an object is a type error at its first level.
        let hostile = format!(r#"{{"id_str":"1","user":{}"#, "[".repeat(100_000));
        assert!(reject(hostile.as_bytes()).starts_with("not a tweet: invalid type: sequence"));
    }
}

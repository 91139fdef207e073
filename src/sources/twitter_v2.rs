//! Twitter API v2 JSON as twarc2 writes it.
//!
//! Two layouts share the format. The raw one keeps each API response whole,
//! one per line: tweets in `data` (an array, or a single object on the
//! filtered stream), and the users, places and referenced tweets they point
//! to in `includes`, so one line yields many posts and each is assembled
//! from its pieces. `twarc2 flatten` writes one tweet per line with those
//! pieces already merged in (`author`, `geo` with the place's fields,
//! `referenced_tweets` with the referenced tweet's fields).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::twitter_v1::{check_plausible, describe_json_error};
use super::{Control, LineOutcome};
use crate::post::{Post, RegionHints, Source};

/// The response-level keys of a line; tweet fields are read in a second
/// pass only for flattened lines.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    data: Option<OneOrMany<Tweet<'a>>>,
    #[serde(borrow, default)]
    includes: Includes<'a>,
    errors: Option<IgnoredAny>,
    meta: Option<IgnoredAny>,
    id: Option<IgnoredAny>,
}

#[derive(Deserialize, Default)]
struct Includes<'a> {
    #[serde(borrow, default)]
    users: Vec<User<'a>>,
    #[serde(borrow, default)]
    tweets: Vec<Tweet<'a>>,
    #[serde(borrow, default)]
    places: Vec<Place<'a>>,
}

#[derive(Deserialize)]
struct Tweet<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    author_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    lang: Option<Cow<'a, str>>,
    #[serde(borrow)]
    note_tweet: Option<NoteTweet<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
    #[serde(borrow)]
    geo: Option<Geo<'a>>,
    #[serde(borrow)]
    referenced_tweets: Option<Vec<Tweet<'a>>>,
    /// Only in `referenced_tweets`: `retweeted`, `quoted`, `replied_to`.
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    /// Only in flattened lines.
    #[serde(borrow)]
    author: Option<User<'a>>,
}

#[derive(Deserialize)]
struct NoteTweet<'a> {
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
}

#[derive(Deserialize)]
struct Entities<'a> {
    #[serde(borrow, default)]
    hashtags: Vec<Hashtag<'a>>,
}

#[derive(Deserialize)]
struct Hashtag<'a> {
    #[serde(borrow)]
    tag: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Geo<'a> {
    #[serde(borrow)]
    place_id: Option<Cow<'a, str>>,
    /// Present when flattened (the place merged into `geo`).
    #[serde(borrow)]
    country_code: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    username: Option<Cow<'a, str>>,
    #[serde(borrow)]
    location: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Place<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    country_code: Option<Cow<'a, str>>,
}

/// `data` is an array in search and timeline responses and a single object
/// on the filtered stream.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tweet or an array of tweets")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(items)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
                Ok(vec![T::deserialize(
                    de::value::MapAccessDeserializer::new(map),
                )?])
            }
        }
        d.deserialize_any(V(PhantomData)).map(OneOrMany)
    }
}

/// Parses one line of twarc2 output into the posts it holds.
pub fn parse_line(line: &[u8], out: &mut Vec<LineOutcome>) {
    if line.iter().all(u8::is_ascii_whitespace) {
        out.push(LineOutcome::Blank);
        return;
    }
    let text = match std::str::from_utf8(line) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            out.push(LineOutcome::Reject(format!(
                "invalid UTF-8 at byte {}",
                e.valid_up_to()
            )));
            return;
        }
    };
    if text.trim_start().as_bytes().first() != Some(&b'{') {
        out.push(LineOutcome::Reject(
            "not JSON: a twarc2 line starts with '{'".into(),
        ));
        return;
    }
    let parsed: Line = match serde_json::from_str(text) {
        Ok(l) => l,
        Err(e) => {
            out.push(LineOutcome::Reject(describe_json_error(&e)));
            return;
        }
    };
    match parsed.data {
        Some(OneOrMany(data)) => {
            let context = Context::new(&parsed.includes);
            let many = data.len() > 1;
            if data.is_empty() {
                out.push(LineOutcome::Control(Control::Other("empty page")));
            }
            for (i, tweet) in data.iter().enumerate() {
                out.push(match to_post(tweet, &context) {
                    Ok(post) => LineOutcome::Post(Box::new(post)),
                    Err(reason) if many => LineOutcome::Reject(format!("data[{i}]: {reason}")),
                    Err(reason) => LineOutcome::Reject(reason),
                });
            }
        }
        None if parsed.id.is_some() => {
            out.push(match serde_json::from_str::<Tweet>(text) {
                Ok(tweet) => match to_post(&tweet, &Context::new(&Includes::default())) {
                    Ok(post) => LineOutcome::Post(Box::new(post)),
                    Err(reason) => LineOutcome::Reject(reason),
                },
                Err(e) => LineOutcome::Reject(describe_json_error(&e)),
            });
        }
        None if parsed.errors.is_some() => out.push(LineOutcome::Control(Control::Other("errors"))),
        None if parsed.meta.is_some() => {
            out.push(LineOutcome::Control(Control::Other("empty page")))
        }
        None => out.push(LineOutcome::Reject(
            "JSON object is neither a v2 tweet nor a twarc2 response (no data or id)".into(),
        )),
    }
}

/// The `includes` of a response, indexed by id.
struct Context<'i, 'a> {
    users: HashMap<&'i str, &'i User<'a>>,
    tweets: HashMap<&'i str, &'i Tweet<'a>>,
    places: HashMap<&'i str, &'i Place<'a>>,
}

impl<'i, 'a> Context<'i, 'a> {
    fn new(includes: &'i Includes<'a>) -> Self {
        Context {
            users: includes
                .users
                .iter()
                .filter_map(|u| Some((u.id.as_deref()?, u)))
                .collect(),
            tweets: includes
                .tweets
                .iter()
                .filter_map(|t| Some((t.id.as_deref()?, t)))
                .collect(),
            places: includes
                .places
                .iter()
                .filter_map(|p| Some((p.id.as_deref()?, p)))
                .collect(),
        }
    }
}

fn to_post(tweet: &Tweet, context: &Context) -> Result<Post, String> {
    let id = match tweet.id.as_deref() {
        Some(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => id.to_owned(),
        Some(id) => return Err(format!("id {id:?} is not a tweet id")),
        None => return Err("tweet has no id".into()),
    };
    let created_at = match tweet.created_at.as_deref() {
        Some(s) => parse_created_at(s)?,
        None => return Err("tweet has no created_at".into()),
    };
    let retweeted = tweet
        .referenced_tweets
        .iter()
        .flatten()
        .find(|r| r.kind.as_deref() == Some("retweeted"));
    // A retweet's own text is cut behind "RT @user: "; the original, from
    // `includes.tweets` (or merged in when flattened), has all of it.
    let content = retweeted
        .and_then(|r| {
            let id = r.id.as_deref()?;
            context.tweets.get(id).copied()
        })
        .or(retweeted.filter(|r| r.text.is_some()))
        .unwrap_or(tweet);
    let text = text_of(content)
        .or_else(|| text_of(tweet))
        .ok_or("tweet has no text")?;
    let user = tweet.author.as_ref().or_else(|| {
        let id = tweet.author_id.as_deref()?;
        context.users.get(id).copied()
    });
    let geo = tweet.geo.as_ref();
    let country_code = geo.and_then(|g| g.country_code.as_deref()).or_else(|| {
        let id = geo?.place_id.as_deref()?;
        context.places.get(id)?.country_code.as_deref()
    });
    Ok(Post {
        source: Source::Twitter,
        id,
        created_at,
        text: html_escape::decode_html_entities(text).into_owned(),
        lang: tweet.lang.as_deref().map(str::to_owned),
        author: user.and_then(|u| u.username.as_deref()).map(str::to_owned),
        region_hints: RegionHints {
            country_code: country_code.filter(|c| !c.is_empty()).map(str::to_owned),
            time_zone: None,
            utc_offset: None,
            location: user
                .and_then(|u| u.location.as_deref())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        },
        is_repost: retweeted.is_some(),
        hashtags: hashtags(content),
    })
}

/// A long tweet's whole text is in `note_tweet`; `text` holds its first 280
/// characters.
fn text_of<'t>(tweet: &'t Tweet) -> Option<&'t str> {
    tweet
        .note_tweet
        .as_ref()
        .and_then(|n| n.text.as_deref())
        .or(tweet.text.as_deref())
}

fn hashtags(tweet: &Tweet) -> Vec<String> {
    let entities = tweet
        .note_tweet
        .as_ref()
        .and_then(|n| n.entities.as_ref())
        .or(tweet.entities.as_ref());
    entities
        .map(|e| {
            e.hashtags
                .iter()
                .filter_map(|h| h.tag.as_deref())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// v2's `2012-12-24T20:31:07.000Z` (RFC 3339 with milliseconds).
pub fn parse_created_at(s: &str) -> Result<DateTime<Utc>, String> {
    let parsed = DateTime::parse_from_rfc3339(s)
        .map_err(|e| format!("created_at {s:?} is not an ISO 8601 time: {e}"))?
        .with_timezone(&Utc);
    check_plausible(parsed).map_err(|why| format!("created_at {s:?} {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(line: &str) -> Vec<LineOutcome> {
        let mut out = Vec::new();
        parse_line(line.as_bytes(), &mut out);
        out
    }

    fn posts(line: &str) -> Vec<Post> {
        outcomes(line)
            .into_iter()
            .map(|o| match o {
                LineOutcome::Post(p) => *p,
                other => panic!("expected a post, got {other:?}"),
            })
            .collect()
    }

    const RESPONSE: &str = r#"{"data":[{"id":"283306174000000001","text":"Netflix is down on my Xbox &amp; PS3 #NetflixDown","created_at":"2012-12-24T20:31:07.000Z","author_id":"11","lang":"en","entities":{"hashtags":[{"start":37,"end":49,"tag":"NetflixDown"}]},"geo":{"place_id":"p1"},"edit_history_tweet_ids":["283306174000000001"]},{"id":"283306174000000004","text":"RT @amy: Netflix is down on my Xbox &amp; PS3 #Netfl…","created_at":"2012-12-24T21:10:00.000Z","author_id":"12","lang":"en","referenced_tweets":[{"type":"retweeted","id":"283306174000000001"}]}],"includes":{"users":[{"id":"11","username":"amy","name":"Amy","location":"Brooklyn, NY"},{"id":"12","username":"dan","location":"Chicago, IL"}],"tweets":[{"id":"283306174000000001","text":"Netflix is down on my Xbox &amp; PS3 #NetflixDown","created_at":"2012-12-24T20:31:07.000Z","author_id":"11","entities":{"hashtags":[{"tag":"NetflixDown"}]}}],"places":[{"id":"p1","full_name":"Manhattan, NY","country_code":"US"}]},"meta":{"result_count":2},"__twarc":{"url":"https://api.twitter.com/2/tweets/search/all","version":"2.14.0","retrieved_at":"2023-01-01T00:00:00+00:00"}}"#;

    #[test]
    fn a_response_line_yields_one_post_per_data_item_with_its_includes() {
        let p = posts(RESPONSE);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].id, "283306174000000001");
        assert_eq!(p[0].created_at.to_rfc3339(), "2012-12-24T20:31:07+00:00");
        assert_eq!(p[0].text, "Netflix is down on my Xbox & PS3 #NetflixDown");
        assert_eq!(p[0].author.as_deref(), Some("amy"));
        assert_eq!(p[0].region_hints.location.as_deref(), Some("Brooklyn, NY"));
        assert_eq!(p[0].region_hints.country_code.as_deref(), Some("US"));
        assert_eq!(p[0].hashtags, vec!["NetflixDown".to_string()]);
        assert!(!p[0].is_repost);
        // The retweet: its own id, time and author; the original's text.
        assert_eq!(p[1].id, "283306174000000004");
        assert!(p[1].is_repost);
        assert_eq!(p[1].author.as_deref(), Some("dan"));
        assert_eq!(p[1].text, "Netflix is down on my Xbox & PS3 #NetflixDown");
        assert_eq!(p[1].hashtags, vec!["NetflixDown".to_string()]);
        assert_eq!(p[1].region_hints.country_code, None);
    }

    #[test]
    fn stream_lines_note_tweets_and_flattened_tweets_are_read() {
        let stream = r#"{"data":{"id":"5","text":"cut…","note_tweet":{"text":"the whole long text #fail","entities":{"hashtags":[{"tag":"fail"}]}},"created_at":"2012-12-25T01:00:00.000Z","author_id":"9"},"includes":{"users":[{"id":"9","username":"zed"}]},"matching_rules":[{"id":"1","tag":"netflix"}]}"#;
        let p = posts(stream);
        assert_eq!(p[0].text, "the whole long text #fail");
        assert_eq!(p[0].hashtags, vec!["fail".to_string()]);
        assert_eq!(p[0].author.as_deref(), Some("zed"));
        let flat = r#"{"id":"7","text":"RT @amy: cut","created_at":"2012-12-25T02:00:00.000Z","author_id":"3","author":{"id":"3","username":"bo","location":"Toronto"},"geo":{"place_id":"x","country_code":"CA","full_name":"Toronto, ON"},"referenced_tweets":[{"type":"retweeted","id":"6","text":"original complaint #netflix","entities":{"hashtags":[{"tag":"netflix"}]}}],"__twarc":{"version":"2.14.0"}}"#;
        let p = posts(flat);
        assert_eq!(p[0].id, "7");
        assert_eq!(p[0].author.as_deref(), Some("bo"));
        assert_eq!(p[0].region_hints.country_code.as_deref(), Some("CA"));
        assert_eq!(p[0].text, "original complaint #netflix");
        assert!(p[0].is_repost);
    }

    #[test]
    fn errors_empty_pages_and_bad_items_are_told_apart() {
        assert!(matches!(
            outcomes(r#"{"errors":[{"title":"Not Found Error"}],"__twarc":{}}"#)[..],
            [LineOutcome::Control(Control::Other("errors"))]
        ));
        assert!(matches!(
            outcomes(r#"{"meta":{"result_count":0},"__twarc":{}}"#)[..],
            [LineOutcome::Control(Control::Other("empty page"))]
        ));
        let mixed = r#"{"data":[{"id":"1","text":"a","created_at":"2012-12-24T20:00:00.000Z"},{"id":"2","text":"b"},{"id":"3","text":"c","created_at":"yesterday"}]}"#;
        let out = outcomes(mixed);
        assert!(matches!(out[0], LineOutcome::Post(_)));
        assert!(
            matches!(&out[1], LineOutcome::Reject(r) if r == "data[1]: tweet has no created_at")
        );
        assert!(
            matches!(&out[2], LineOutcome::Reject(r) if r.starts_with("data[2]: created_at \"yesterday\" is not an ISO 8601 time"))
        );
        assert!(
            matches!(&outcomes(r#"{"foo":1}"#)[0], LineOutcome::Reject(r) if r.contains("neither a v2 tweet"))
        );
        assert!(
            matches!(&outcomes("{\"data\":[")[0], LineOutcome::Reject(r) if r.starts_with("truncated JSON"))
        );
        assert!(
            matches!(&outcomes("\u{0}x")[0], LineOutcome::Reject(r) if r.starts_with("not JSON"))
        );
    }
}

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
use serde_json::error::Category;
use serde_json::value::RawValue;

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
        // A page holds up to 100 tweets, so one wrongly typed value must
        // cost only the item that holds it: the page is read again item by
        // item. Valid pages never take this path.
        Err(e) if e.classify() == Category::Data => return salvage(text, &e, out),
        Err(e) => {
            out.push(LineOutcome::Reject(describe_json_error(&e)));
            return;
        }
    };
    match parsed.data {
        Some(OneOrMany(data)) => {
            push_items(data.iter().map(Ok), &Context::new(&parsed.includes), out)
        }
        None => push_no_data(
            text,
            parsed.id.is_some(),
            parsed.errors.is_some(),
            parsed.meta.is_some(),
            out,
        ),
    }
}

/// One post (or the reason there is none) per `data` item, each named by
/// its index when the page holds more than one.
fn push_items<'t, 'a: 't>(
    items: impl ExactSizeIterator<Item = Result<&'t Tweet<'a>, String>>,
    context: &Context,
    out: &mut Vec<LineOutcome>,
) {
    let many = items.len() > 1;
    if items.len() == 0 {
        out.push(LineOutcome::Control(Control::Other("empty page")));
    }
    for (i, item) in items.enumerate() {
        out.push(match item.and_then(|tweet| to_post(tweet, context)) {
            Ok(post) => LineOutcome::Post(Box::new(post)),
            Err(reason) if many => LineOutcome::Reject(format!("data[{i}]: {reason}")),
            Err(reason) => LineOutcome::Reject(reason),
        });
    }
}

/// A line without `data`: a flattened tweet, an error response or an empty
/// page.
fn push_no_data(text: &str, id: bool, errors: bool, meta: bool, out: &mut Vec<LineOutcome>) {
    out.push(if id {
        match serde_json::from_str::<Tweet>(text) {
            Ok(tweet) => match to_post(&tweet, &Context::new(&Includes::default())) {
                Ok(post) => LineOutcome::Post(Box::new(post)),
                Err(reason) => LineOutcome::Reject(reason),
            },
            Err(e) => LineOutcome::Reject(describe_json_error(&e)),
        }
    } else if errors {
        LineOutcome::Control(Control::Other("errors"))
    } else if meta {
        LineOutcome::Control(Control::Other("empty page"))
    } else {
        LineOutcome::Reject(
            "JSON object is neither a v2 tweet nor a twarc2 response (no data or id)".into(),
        )
    });
}

/// The response-level keys of a line whose typed parse failed, with `data`
/// and `includes` kept as text so each item can be read on its own, by the
/// same typed parse (the same borrowing, the same duplicate-key errors) a
/// valid page gets.
#[derive(Deserialize)]
struct LoosePage<'a> {
    #[serde(borrow)]
    data: Option<&'a RawValue>,
    #[serde(borrow)]
    includes: Option<&'a RawValue>,
    errors: Option<IgnoredAny>,
    meta: Option<IgnoredAny>,
    id: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct LooseIncludes<'a> {
    #[serde(borrow)]
    users: Option<&'a RawValue>,
    #[serde(borrow)]
    tweets: Option<&'a RawValue>,
    #[serde(borrow)]
    places: Option<&'a RawValue>,
}

/// Reads a page whose typed parse failed on a value: a bad `data` item is
/// rejected alone, a bad `includes` entry is left out with a warning (the
/// posts that point to it are stored without what it would add), and
/// everything else is read as on a valid page. `error` is the typed
/// parse's, reported when the page cannot be split into items.
fn salvage(text: &str, error: &serde_json::Error, out: &mut Vec<LineOutcome>) {
    let whole = |out: &mut Vec<LineOutcome>| {
        out.push(LineOutcome::Reject(describe_json_error(error)));
    };
    let Ok(page) = serde_json::from_str::<LoosePage>(text) else {
        return whole(out);
    };
    let Some(data) = page.data else {
        return push_no_data(
            text,
            page.id.is_some(),
            page.errors.is_some(),
            page.meta.is_some(),
            out,
        );
    };
    let items: Vec<Result<Tweet, String>> = match data.get().as_bytes().first() {
        Some(b'[') => match serde_json::from_str::<Vec<&RawValue>>(data.get()) {
            Ok(raws) => raws.into_iter().map(|r| read_item(r, "a tweet")).collect(),
            Err(_) => return whole(out),
        },
        Some(b'{') => vec![read_item(data, "a tweet")],
        _ => return whole(out),
    };
    let includes = match page.includes {
        Some(raw) => salvage_includes(raw, out),
        None => Includes::default(),
    };
    push_items(
        items.iter().map(|r| r.as_ref().map_err(String::clone)),
        &Context::new(&includes),
        out,
    );
}

/// The entries of `includes` that read as their type; a warning for each
/// that does not.
fn salvage_includes<'a>(raw: &'a RawValue, out: &mut Vec<LineOutcome>) -> Includes<'a> {
    let mut includes = Includes::default();
    let lists = match serde_json::from_str::<LooseIncludes>(raw.get()) {
        Ok(lists) => lists,
        Err(_) => {
            out.push(LineOutcome::Warning(format!(
                "includes: {}, not an object (left out: the posts are stored without their authors, places and retweeted texts)",
                json_kind(raw)
            )));
            return includes;
        }
    };
    salvage_list(
        lists.users,
        "users",
        "a user",
        "user left out: their posts are stored without author and location",
        &mut includes.users,
        out,
    );
    salvage_list(
        lists.tweets,
        "tweets",
        "a tweet",
        "tweet left out: a retweet of it keeps its own, shortened text",
        &mut includes.tweets,
        out,
    );
    salvage_list(
        lists.places,
        "places",
        "a place",
        "place left out: its posts are stored without its country",
        &mut includes.places,
        out,
    );
    includes
}

fn salvage_list<'a, T: Deserialize<'a>>(
    raw: Option<&'a RawValue>,
    name: &str,
    what: &str,
    cost: &str,
    into: &mut Vec<T>,
    out: &mut Vec<LineOutcome>,
) {
    let Some(raw) = raw else { return };
    let Ok(entries) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) else {
        out.push(LineOutcome::Warning(format!(
            "includes.{name}: {}, not an array ({cost})",
            json_kind(raw)
        )));
        return;
    };
    for (i, entry) in entries.into_iter().enumerate() {
        match read_item(entry, what) {
            Ok(item) => into.push(item),
            Err(reason) => out.push(LineOutcome::Warning(format!(
                "includes.{name}[{i}]: {reason} ({cost})"
            ))),
        }
    }
}

/// Reads one item of a page, naming the field at fault when it fails.
fn read_item<'a, T: Deserialize<'a>>(raw: &'a RawValue, what: &str) -> Result<T, String> {
    if !raw.get().starts_with('{') {
        return Err(format!("not {what}: {}, not an object", json_kind(raw)));
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        // The position is within the item, which would mislead as a
        // position in the line; the field's path says where instead.
        let message = inner.to_string();
        let at = format!(" at line {} column {}", inner.line(), inner.column());
        let message = message.strip_suffix(&at).unwrap_or(&message);
        match e.path().iter().next() {
            Some(_) => format!("not {what}: {}: {message}", e.path()),
            None => format!("not {what}: {message}"),
        }
    })
}

/// What a JSON value is, from its first byte (the parse already checked
/// it is valid JSON).
fn json_kind(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
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
    let (text, own) = match text_of(content) {
        Some(text) => (text, std::ptr::eq(content, tweet)),
        None => (text_of(tweet).ok_or("tweet has no text")?, true),
    };
    // Without the original's text at hand, a retweet's own text is the
    // original's words behind "RT @user: ".
    let text = if own && retweeted.is_some() {
        crate::post::without_retweet_prefix(text)
    } else {
        text
    };
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
        repost_of: None,
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

    fn reasons(out: &[LineOutcome]) -> Vec<String> {
        out.iter()
            .map(|o| match o {
                LineOutcome::Post(p) => format!("post {}", p.id),
                LineOutcome::Reject(r) => format!("reject {r}"),
                LineOutcome::Warning(w) => format!("warning {w}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_wrongly_typed_field_rejects_only_its_item_and_names_the_field() {
        let page = r#"{"data":[{"id":"41","text":"netflix is down","created_at":"2012-12-24T20:43:00.000Z","author_id":"8"},{"id":"42","text":"netflix is down","created_at":"2012-12-24T20:44:00.000Z","author_id":8},{"id":"43","text":"netflix is down","created_at":"2012-12-24T20:45:00.000Z","author_id":"8","referenced_tweets":[{"type":"quoted","id":9}]},5,{"id":"45","text":"a","text":"b","created_at":"2012-12-24T20:46:00.000Z"},{"id":"46","text":"netflix is down","created_at":"2012-12-24T20:47:00.000Z","author_id":"8"}],"includes":{"users":[{"id":"8","username":"y","location":"Austin, TX"}]}}"#;
        let out = outcomes(page);
        assert_eq!(
            reasons(&out),
            [
                "post 41",
                "reject data[1]: not a tweet: author_id: invalid type: integer `8`, expected a string",
                "reject data[2]: not a tweet: referenced_tweets[0].id: invalid type: integer `9`, expected a string",
                "reject data[3]: not a tweet: a number, not an object",
                "reject data[4]: not a tweet: duplicate field `text`",
                "post 46",
            ]
        );
        // The items that read are whole: their author comes from includes.
        let LineOutcome::Post(p) = &out[5] else {
            unreachable!()
        };
        assert_eq!(p.author.as_deref(), Some("y"));
        assert_eq!(p.region_hints.location.as_deref(), Some("Austin, TX"));
        // A stream line's single tweet is the line: no index to name.
        let stream =
            r#"{"data":{"id":"5","text":"x","created_at":"2012-12-24T20:43:00.000Z","lang":7}}"#;
        assert_eq!(
            reasons(&outcomes(stream)),
            ["reject not a tweet: lang: invalid type: integer `7`, expected a string"]
        );
        // Nothing to split into items: the line goes whole, as before.
        assert_eq!(
            reasons(&outcomes(r#"{"data":5}"#)),
            ["reject not a tweet: invalid type: integer `5`, expected a tweet or an array of tweets at line 1 column 9"]
        );
        assert!(reasons(&outcomes(
            r#"{"data":[{"id":"1","text":"a","created_at":"2012-12-24T20:43:00.000Z"}],"data":[]}"#
        ))[0]
            .starts_with("reject not a tweet: duplicate field `data`"));
    }

    #[test]
    fn a_malformed_includes_entry_costs_only_what_it_would_add() {
        let page = r#"{"data":[{"id":"51","text":"netflix is down","created_at":"2012-12-24T21:43:00.000Z","author_id":"8","geo":{"place_id":"p1"}},{"id":"52","text":"netflix is down","created_at":"2012-12-24T21:44:00.000Z","author_id":"9","geo":{"place_id":"p2"}},{"id":"53","text":"RT @y: cut…","created_at":"2012-12-24T21:45:00.000Z","author_id":"9","referenced_tweets":[{"type":"retweeted","id":"50"}]}],"includes":{"users":[{"id":"8","username":"y","location":5},{"id":"9","username":"z","location":"Ohio"}],"places":[{"id":"p1","country_code":["US"]},{"id":"p2","country_code":"CA"}],"tweets":[{"id":"50","text":"netflix is down for real #fail","entities":{"hashtags":"fail"}}]}}"#;
        let out = outcomes(page);
        assert_eq!(
            reasons(&out),
            [
                "warning includes.users[0]: not a user: location: invalid type: integer `5`, expected a string (user left out: their posts are stored without author and location)",
                "warning includes.tweets[0]: not a tweet: entities.hashtags: invalid type: string \"fail\", expected a sequence (tweet left out: a retweet of it keeps its own, shortened text)",
                "warning includes.places[0]: not a place: country_code: invalid type: sequence, expected a string (place left out: its posts are stored without its country)",
                "post 51",
                "post 52",
                "post 53",
            ]
        );
        let posts: Vec<&Post> = out
            .iter()
            .filter_map(|o| match o {
                LineOutcome::Post(p) => Some(&**p),
                _ => None,
            })
            .collect();
        assert_eq!(posts[0].author, None);
        assert_eq!(posts[0].region_hints.location, None);
        assert_eq!(posts[0].region_hints.country_code, None);
        assert_eq!(posts[1].author.as_deref(), Some("z"));
        assert_eq!(posts[1].region_hints.location.as_deref(), Some("Ohio"));
        assert_eq!(posts[1].region_hints.country_code.as_deref(), Some("CA"));
        // The retweet's own words behind "RT @y: ", its original left out.
        assert_eq!(posts[2].text, "cut…");
        assert!(posts[2].is_repost);
        // Whole lists or the whole `includes` of the wrong type.
        let data = r#"{"id":"61","text":"netflix is down","created_at":"2012-12-24T22:43:00.000Z","author_id":"8"}"#;
        assert_eq!(
            reasons(&outcomes(&format!(r#"{{"data":[{data}],"includes":{{"users":{{"id":"8"}},"places":7}}}}"#))),
            [
                "warning includes.users: an object, not an array (user left out: their posts are stored without author and location)",
                "warning includes.places: a number, not an array (place left out: its posts are stored without its country)",
                "post 61",
            ]
        );
        assert_eq!(
            reasons(&outcomes(&format!(r#"{{"data":[{data}],"includes":"x"}}"#))),
            [
                "warning includes: a string, not an object (left out: the posts are stored without their authors, places and retweeted texts)",
                "post 61",
            ]
        );
    }

    #[test]
    fn a_page_read_item_by_item_gives_the_posts_it_gives_when_read_whole() {
        let whole = posts(RESPONSE);
        // One bad include that no tweet points to sends the page down the
        // item-by-item path; every post must come out the same.
        let salvaged = RESPONSE.replacen(
            r#""includes":{"users":["#,
            r#""includes":{"users":[{"id":"99","location":5},"#,
            1,
        );
        let out = outcomes(&salvaged);
        assert!(matches!(&out[0], LineOutcome::Warning(w) if w.starts_with("includes.users[0]: ")));
        let rest: Vec<Post> = out
            .into_iter()
            .skip(1)
            .map(|o| match o {
                LineOutcome::Post(p) => *p,
                other => panic!("expected a post, got {other:?}"),
            })
            .collect();
        assert_eq!(rest, whole);
    }
}

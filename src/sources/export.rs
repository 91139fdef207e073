//! The "Download your archive" export: `data/tweets.js` and its neighbours.
//!
//! The export is JavaScript, not JSON: `window.YTD.tweets.part0 = [ … ]`
//! around entries `{"tweet": {…}}` (older exports: the tweet object bare),
//! with every number written as a string and no user object, since every
//! tweet is the account owner's. Who that is, and where they say they live,
//! is in `data/account.js` and `data/profile.js`, read into an [`Owner`].
//! A retweet carries no `retweeted_status`: it is known only by its text
//! starting `RT @`.

use std::borrow::Cow;

use serde::Deserialize;

use super::twitter_v1::{describe_json_error, parse_created_at};
use super::LineOutcome;
use crate::post::{Post, RegionHints, Source};

/// The account an export belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owner {
    pub username: Option<String>,
    pub location: Option<String>,
}

impl Owner {
    /// Takes what it can from `account.js` or `profile.js`; false when the
    /// bytes hold neither.
    pub fn absorb(&mut self, bytes: &[u8]) -> bool {
        let text = String::from_utf8_lossy(bytes);
        let Some(json) = text.split_once('=').map(|(_, json)| json.trim()) else {
            return false;
        };
        let json = json.strip_suffix(';').unwrap_or(json);
        let Ok(serde_json::Value::Array(entries)) = serde_json::from_str(json) else {
            return false;
        };
        let mut found = false;
        for entry in &entries {
            let username = entry.pointer("/account/username").and_then(|v| v.as_str());
            if let Some(u) = username.filter(|u| !u.is_empty()) {
                self.username = Some(u.to_owned());
                found = true;
            }
            let location = entry
                .pointer("/profile/description/location")
                .and_then(|v| v.as_str())
                .map(str::trim);
            if let Some(l) = location.filter(|l| !l.is_empty()) {
                self.location = Some(l.to_owned());
                found = true;
            }
        }
        found
    }
}

#[derive(Deserialize)]
struct Wrapper<'a> {
    #[serde(borrow)]
    tweet: Option<Tweet<'a>>,
}

#[derive(Deserialize)]
struct Tweet<'a> {
    #[serde(borrow)]
    id_str: Option<Cow<'a, str>>,
    /// A string in the export; a number in hand-edited copies.
    id: Option<serde_json::Value>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    full_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    lang: Option<Cow<'a, str>>,
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
    text: Option<Cow<'a, str>>,
}

/// Parses one entry of the `tweets.js` array.
pub fn parse_record(bytes: &[u8], owner: &Owner) -> LineOutcome {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return LineOutcome::Reject(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
    };
    if text.trim_start().as_bytes().first() != Some(&b'{') {
        return LineOutcome::Reject("not a tweet entry: an entry of tweets.js is an object".into());
    }
    let tweet = match serde_json::from_str::<Wrapper>(text) {
        Ok(Wrapper { tweet: Some(t) }) => t,
        Ok(Wrapper { tweet: None }) => match serde_json::from_str::<Tweet>(text) {
            Ok(t) => t,
            Err(e) => return LineOutcome::Reject(describe_json_error(&e)),
        },
        Err(e) => return LineOutcome::Reject(describe_json_error(&e)),
    };
    match to_post(tweet, owner) {
        Ok(p) => LineOutcome::Post(Box::new(p)),
        Err(reason) => LineOutcome::Reject(reason),
    }
}

fn to_post(tweet: Tweet, owner: &Owner) -> Result<Post, String> {
    let id = match (&tweet.id_str, &tweet.id) {
        (Some(id), _) => id.to_string(),
        (None, Some(serde_json::Value::String(id))) => id.clone(),
        (None, Some(serde_json::Value::Number(n))) if n.is_u64() => n.to_string(),
        (None, Some(other)) => return Err(format!("id {other} is not a tweet id")),
        (None, None) => {
            if tweet.created_at.is_none() && tweet.full_text.is_none() && tweet.text.is_none() {
                return Err("JSON object is not a tweet (no id, created_at or text)".into());
            }
            return Err("tweet has no id".into());
        }
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("id {id:?} is not a tweet id"));
    }
    let created_at = match &tweet.created_at {
        Some(s) => parse_created_at(s)?,
        None => return Err("tweet has no created_at".into()),
    };
    let text = tweet
        .full_text
        .as_deref()
        .or(tweet.text.as_deref())
        .ok_or("tweet has no text")?;
    let is_repost = text.starts_with("RT @");
    Ok(Post {
        source: Source::Twitter,
        id,
        created_at,
        is_repost,
        repost_of: None,
        // The original's words, as every other source gives a retweet.
        text: html_escape::decode_html_entities(crate::post::without_retweet_prefix(text))
            .into_owned(),
        lang: tweet.lang.as_deref().map(str::to_owned),
        author: owner.username.clone(),
        region_hints: RegionHints {
            location: owner.location.clone(),
            ..RegionHints::default()
        },
        hashtags: tweet
            .entities
            .map(|e| {
                e.hashtags
                    .into_iter()
                    .filter_map(|h| h.text.map(Cow::into_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner() -> Owner {
        let mut o = Owner::default();
        assert!(o.absorb(br#"window.YTD.account.part0 = [ { "account" : { "email" : "a@example.com", "username" : "amy", "accountId" : "11" } } ]"#));
        assert!(o.absorb(b"window.YTD.profile.part0 = [ {\n \"profile\" : { \"description\" : { \"bio\" : \"\", \"location\" : \"Brooklyn, NY\" } } } ]"));
        o
    }

    #[test]
    fn account_and_profile_give_the_owner() {
        assert_eq!(
            owner(),
            Owner {
                username: Some("amy".into()),
                location: Some("Brooklyn, NY".into())
            }
        );
        assert!(!Owner::default().absorb(b"window.YTD.like.part0 = [ { \"like\" : {} } ]"));
        assert!(!Owner::default().absorb(b"\xff garbage"));
    }

    #[test]
    fn an_entry_becomes_a_post_of_the_owner() {
        let entry = r#"{
    "tweet" : {
      "retweeted" : false,
      "entities" : { "hashtags" : [ { "text" : "NetflixDown", "indices" : [ "37", "49" ] } ] },
      "id_str" : "283306174000000001",
      "retweet_count" : "0",
      "id" : "283306174000000001",
      "created_at" : "Mon Dec 24 20:31:07 +0000 2012",
      "favorited" : false,
      "full_text" : "Netflix is down on my Xbox &amp; PS3 #NetflixDown",
      "lang" : "en"
    }
  }"#;
        let LineOutcome::Post(p) = parse_record(entry.as_bytes(), &owner()) else {
            panic!("not a post");
        };
        assert_eq!(p.id, "283306174000000001");
        assert_eq!(p.created_at.to_rfc3339(), "2012-12-24T20:31:07+00:00");
        assert_eq!(p.text, "Netflix is down on my Xbox & PS3 #NetflixDown");
        assert_eq!(p.author.as_deref(), Some("amy"));
        assert_eq!(p.region_hints.location.as_deref(), Some("Brooklyn, NY"));
        assert_eq!(p.hashtags, vec!["NetflixDown".to_string()]);
        assert!(!p.is_repost);
    }

    #[test]
    fn bare_entries_retweets_and_bad_entries() {
        let bare = r#"{"id":"9","created_at":"Tue Dec 25 01:00:00 +0000 2012","full_text":"RT @bob: netflix is down"}"#;
        let LineOutcome::Post(p) = parse_record(bare.as_bytes(), &Owner::default()) else {
            panic!("not a post");
        };
        assert_eq!(p.id, "9");
        assert!(p.is_repost);
        assert_eq!(p.author, None);
        let reject = |s: &str| match parse_record(s.as_bytes(), &Owner::default()) {
            LineOutcome::Reject(r) => r,
            other => panic!("expected a rejection, got {other:?}"),
        };
        assert_eq!(
            reject(r#"{"tweet":{"id":"1","full_text":"x"}}"#),
            "tweet has no created_at"
        );
        assert_eq!(
            reject(r#"{"like":{"tweetId":"1"}}"#),
            "JSON object is not a tweet (no id, created_at or text)"
        );
        assert!(reject("1").starts_with("not a tweet entry"));
        assert!(
            reject(r#"{"tweet":{"id":"1","created_at":"Mon Dec 24","full_text":"x"}}"#)
                .contains("not a Twitter time")
        );
    }
}

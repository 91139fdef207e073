//! Bluesky search: `app.bsky.feed.searchPosts` with `q`, `since`, `cursor`.
//!
//! The public AppView now refuses search without an account, so this feed
//! logs in with a handle and an app password (`BSKY_HANDLE`,
//! `BSKY_APP_PASSWORD`) through `com.atproto.server.createSession` and sends
//! the access token; when the token expires the session is created again.
//!
//! Search pages go from newest to oldest, which makes resuming harder than
//! for a timeline: the newest post seen cannot be stored until every page
//! back to the last sweep has been stored. So the cursor holds the sweep in
//! progress: `since` (where the last complete sweep ended), `until` (how far
//! back this sweep has stored) and `newest` (what `since` becomes once the
//! sweep completes). Each page is committed with that state, so a kill in
//! the middle of a sweep resumes below the last stored page. `since` is set
//! a few minutes before the newest post, since search indexes posts late;
//! the overlap is deduplicated by post URI.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::cursor;
use super::http::{encode, host_of, HttpError, Request, Response};
use super::{trim_base, Ctx, FeedError, Round};
use crate::post::{Post, RegionHints, Source};
use crate::sources::twitter_v1::check_plausible;
use crate::store::{Store, StoreError};

pub const PAGE: usize = 100;
pub const MAX_PAGES: u32 = 10;
/// How far before the newest post the next sweep starts.
const OVERLAP_SECS: i64 = 300;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct Cursor {
    /// Unix milliseconds.
    since: Option<i64>,
    until: Option<i64>,
    newest: Option<i64>,
}

/// A handle and app password.
#[derive(Clone)]
pub struct Credentials {
    pub handle: String,
    pub password: String,
}

/// The password never reaches a log or an error message.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("handle", &self.handle)
            .field("password", &"…")
            .finish()
    }
}

impl Credentials {
    /// From `BSKY_HANDLE` and `BSKY_APP_PASSWORD`, if both are set.
    pub fn from_env() -> Option<Credentials> {
        let handle = std::env::var("BSKY_HANDLE")
            .ok()
            .filter(|s| !s.is_empty())?;
        let password = std::env::var("BSKY_APP_PASSWORD")
            .ok()
            .filter(|s| !s.is_empty())?;
        Some(Credentials { handle, password })
    }
}

pub struct BlueskySearch {
    base: String,
    query: String,
    label: String,
    checkpoint: String,
    cursor: Cursor,
    credentials: Option<Credentials>,
    token: Option<String>,
}

impl BlueskySearch {
    pub fn new(
        base: &str,
        query: &str,
        credentials: Option<Credentials>,
        store: &Store,
    ) -> Result<BlueskySearch, StoreError> {
        let base = trim_base(base);
        let checkpoint = cursor::name("bluesky-search", &format!("{base}?q={query}"));
        let cursor = cursor::load::<Cursor>(store, &checkpoint)?.unwrap_or_default();
        let host = host_of(&base).unwrap_or_default();
        Ok(BlueskySearch {
            label: format!("bluesky-search {host} {query:?}"),
            base,
            query: query.to_string(),
            checkpoint,
            cursor,
            credentials,
            token: None,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    async fn log_in(&mut self, ctx: &Ctx) -> Result<(), FeedError> {
        let Some(c) = &self.credentials else {
            return Err(FeedError::Gone(
                "searching Bluesky needs an account: set BSKY_HANDLE and BSKY_APP_PASSWORD \
                 (an app password, from Settings → Privacy and security → App passwords)"
                    .into(),
            ));
        };
        let url = format!("{}/xrpc/com.atproto.server.createSession", self.base);
        let body = serde_json::json!({ "identifier": c.handle, "password": c.password });
        let req = Request::post_json(&url, body.to_string().into_bytes());
        let resp = match ctx.http.fetch(&req).await {
            Err(HttpError::Status {
                status: status @ (400 | 401 | 403),
                ..
            }) => {
                return Err(FeedError::Gone(format!(
                    "HTTP {status}: {} refused the login of {} (check BSKY_HANDLE and BSKY_APP_PASSWORD)",
                    self.base, c.handle
                )))
            }
            other => other?,
        };
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Session {
            access_jwt: String,
        }
        let session: Session = resp.json(&url, ctx.http.limits.max_depth)?;
        self.token = Some(session.access_jwt);
        Ok(())
    }

    fn url(&self, page_cursor: Option<&str>) -> String {
        let mut url = format!(
            "{}/xrpc/app.bsky.feed.searchPosts?q={}&sort=latest&limit={PAGE}",
            self.base,
            encode(&self.query)
        );
        let stamp = |ms: &i64| {
            let t = DateTime::<Utc>::from_timestamp_millis(*ms).unwrap_or_default();
            encode(&t.to_rfc3339_opts(SecondsFormat::Millis, true))
        };
        if let Some(since) = &self.cursor.since {
            url.push_str(&format!("&since={}", stamp(since)));
        }
        if let Some(until) = &self.cursor.until {
            url.push_str(&format!("&until={}", stamp(until)));
        }
        if let Some(c) = page_cursor {
            url.push_str(&format!("&cursor={}", encode(c)));
        }
        url
    }

    /// One page, logging in (again) when there is no token or it expired.
    async fn fetch(&mut self, ctx: &Ctx, url: &str) -> Result<Response, FeedError> {
        for fresh in [false, true] {
            if self.token.is_none() || fresh {
                self.log_in(ctx).await?;
            }
            let token = self.token.clone().unwrap_or_default();
            let req = Request::get(url).header("authorization", format!("Bearer {token}"));
            match ctx.http.fetch(&req).await {
                // An expired token is a 400 (ExpiredToken) or a 401.
                Err(HttpError::Status {
                    status: 400 | 401, ..
                }) if !fresh => continue,
                other => return Ok(other?),
            }
        }
        Err(FeedError::Bad(format!(
            "{url}: the login was refused twice"
        )))
    }

    pub async fn round(&mut self, ctx: &Ctx) -> Result<Round, FeedError> {
        let mut round = Round::default();
        let start = self.cursor.clone();
        let first_sweep = start.since.is_none() && start.until.is_none();
        let mut newest = start.newest;
        let mut page_cursor: Option<String> = None;
        loop {
            let url = self.url(page_cursor.as_deref());
            let resp = self.fetch(ctx, &url).await?;
            round.pages += 1;
            let page: Page = resp.json(&url, ctx.http.limits.max_depth)?;
            let mut posts = Vec::new();
            let mut oldest: Option<i64> = None;
            for view in page.posts {
                let Some((post, sort_at)) = serde_json::from_value::<PostView>(view)
                    .ok()
                    .and_then(to_post)
                else {
                    round.unreadable += 1;
                    continue;
                };
                let ms = sort_at.timestamp_millis();
                oldest = Some(oldest.map_or(ms, |o| o.min(ms)));
                newest = Some(newest.map_or(ms, |n| n.max(ms)));
                posts.push(post);
            }
            let next = page.cursor.filter(|c| !c.is_empty());
            // The first sweep takes only the newest page: outcry watches from
            // now on rather than backfilling the whole history of a query.
            let done = first_sweep
                || oldest.is_none()
                || next.is_none()
                || next == page_cursor
                || start.since.zip(oldest).is_some_and(|(s, o)| o <= s);
            let state = if done {
                Cursor {
                    since: newest.map(|n| n - OVERLAP_SECS * 1000).or(start.since),
                    until: None,
                    newest: None,
                }
            } else {
                Cursor {
                    since: start.since,
                    // `until` is exclusive: a second of overlap keeps posts
                    // of the same second.
                    until: oldest.map(|o| o + 1000),
                    newest,
                }
            };
            let tally = ctx
                .sink
                .deliver(
                    &self.label,
                    posts,
                    Some((self.checkpoint.clone(), cursor::encode(&state))),
                    false,
                )
                .await?;
            round.tally.absorb(&tally);
            // Within a round the next page is asked by the server's cursor
            // (same since/until); the stored `until` matters after a restart
            // or when the page budget ends the round.
            if done || round.pages >= MAX_PAGES {
                self.cursor = state;
                break;
            }
            page_cursor = next;
        }
        Ok(round)
    }
}

#[derive(Deserialize)]
struct Page {
    cursor: Option<String>,
    #[serde(default)]
    posts: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostView {
    uri: String,
    author: Option<Author>,
    record: Option<Record>,
    indexed_at: Option<String>,
}

#[derive(Deserialize)]
struct Author {
    handle: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Record {
    pub text: Option<String>,
    pub created_at: Option<String>,
    pub langs: Option<Vec<String>>,
    pub facets: Option<Vec<Facet>>,
}

#[derive(Deserialize)]
pub(crate) struct Facet {
    pub features: Option<Vec<serde_json::Value>>,
}

/// The `#tag` facets of a post record.
pub(crate) fn facet_tags(record: &Record) -> Vec<String> {
    record
        .facets
        .iter()
        .flatten()
        .flat_map(|f| f.features.iter().flatten())
        .filter(|f| f["$type"] == "app.bsky.richtext.facet#tag")
        .filter_map(|f| f["tag"].as_str().map(str::to_string))
        .collect()
}

fn parse_time(s: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The post and the time search sorts it by (the earlier of its claimed
/// creation time and its indexing time).
fn to_post(view: PostView) -> Option<(Post, DateTime<Utc>)> {
    let record = view.record?;
    let indexed = parse_time(view.indexed_at.as_deref());
    let created = parse_time(record.created_at.as_deref()).or(indexed)?;
    let sort_at = indexed.map_or(created, |i| i.min(created));
    let created_at = check_plausible(created).ok()?;
    let hashtags = facet_tags(&record);
    Some((
        Post {
            source: Source::Bluesky,
            id: view.uri,
            created_at,
            text: record.text.unwrap_or_default(),
            lang: record.langs.and_then(|l| l.into_iter().next()),
            author: view.author.and_then(|a| a.handle),
            region_hints: RegionHints::default(),
            is_repost: false,
            repost_of: None,
            hashtags,
        },
        sort_at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_view_becomes_a_post() {
        let view: PostView = serde_json::from_str(
            r##"{"uri":"at://did:plc:abc/app.bsky.feed.post/3lbxyz","cid":"bafy",
            "author":{"did":"did:plc:abc","handle":"amy.bsky.social"},
            "record":{"$type":"app.bsky.feed.post","text":"netflix down #netflixdown","createdAt":"2024-12-24T20:31:07.000Z","langs":["en"],
              "facets":[{"index":{"byteStart":13,"byteEnd":25},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"netflixdown"}]}]},
            "indexedAt":"2024-12-24T20:31:09.000Z"}"##,
        )
        .unwrap();
        let (p, sort_at) = to_post(view).unwrap();
        assert_eq!(p.id, "at://did:plc:abc/app.bsky.feed.post/3lbxyz");
        assert_eq!(p.lang.as_deref(), Some("en"));
        assert_eq!(p.hashtags, vec!["netflixdown".to_string()]);
        assert_eq!(p.author.as_deref(), Some("amy.bsky.social"));
        assert_eq!(sort_at.to_rfc3339(), "2024-12-24T20:31:07+00:00");
    }

    #[test]
    fn cursors_survive_encoding() {
        let c = Cursor {
            since: Some(1_735_070_400_000),
            until: None,
            newest: Some(1_735_074_000_000),
        };
        let back: Cursor = serde_json::from_slice(&cursor::encode(&c)).unwrap();
        assert_eq!(back, c);
    }
}

//! Mastodon hashtag timelines: `GET /api/v1/timelines/tag/:hashtag`.
//!
//! Public tag timelines need no account on most instances. The cursor is
//! the newest status id stored; each round asks for `min_id=<cursor>`, which
//! returns the page *immediately* newer than it, and walks forward page by
//! page (the `Link` header's `prev`), committing each page with its newest id
//! so a restart resumes exactly. Ids are opaque strings, compared by length
//! then as text. The first round on a new tag takes only the newest page:
//! outcry watches from now on rather than backfilling a tag's history.
//!
//! A 401/403 (an instance that closed its public timelines), 404 or 410 is
//! final for the feed: reported once, never retried in a loop.

use serde::{Deserialize, Serialize};

use super::cursor::{self, compare_ids};
use super::http::{encode, host_of, HttpError, Request};
use super::{html, trim_base, Ctx, FeedError, Round};
use crate::post::{Original, Post, RegionHints, Source};
use crate::sources::twitter_v1::check_plausible;
use crate::store::{Store, StoreError};

/// Mastodon's largest page for timelines.
pub const PAGE: usize = 40;
/// Pages per round at most: a flood is taken over several rounds.
pub const MAX_PAGES: u32 = 10;

#[derive(Serialize, Deserialize)]
struct Cursor {
    min_id: String,
}

pub struct Mastodon {
    base: String,
    tag: String,
    label: String,
    checkpoint: String,
    min_id: Option<String>,
}

impl Mastodon {
    pub fn new(base: &str, tag: &str, store: &Store) -> Result<Mastodon, StoreError> {
        let base = trim_base(base);
        let tag = tag.trim().trim_start_matches('#').to_string();
        let checkpoint = cursor::name("mastodon", &format!("{base}/tags/{}", tag.to_lowercase()));
        let min_id = cursor::load::<Cursor>(store, &checkpoint)?.map(|c| c.min_id);
        let host = host_of(&base).unwrap_or_else(|| base.clone());
        Ok(Mastodon {
            label: format!("mastodon {host} #{tag}"),
            base,
            tag,
            checkpoint,
            min_id,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    fn page_url(&self, min_id: Option<&str>) -> String {
        let mut url = format!(
            "{}/api/v1/timelines/tag/{}?limit={PAGE}",
            self.base,
            encode(&self.tag)
        );
        if let Some(id) = min_id {
            url.push_str("&min_id=");
            url.push_str(&encode(id));
        }
        url
    }

    pub async fn round(&mut self, ctx: &Ctx) -> Result<Round, FeedError> {
        let mut round = Round::default();
        let mut url = self.page_url(self.min_id.as_deref());
        for _ in 0..MAX_PAGES {
            let resp = match ctx.http.fetch(&Request::get(&url)).await {
                Err(HttpError::Status {
                    status: status @ (401 | 403 | 404 | 410),
                    ..
                }) => return Err(FeedError::Gone(gone_reason(status, &self.tag))),
                other => other?,
            };
            round.pages += 1;
            let items: Vec<serde_json::Value> = resp.json(&url, ctx.http.limits.max_depth)?;
            let count = items.len();
            let mut posts = Vec::new();
            let mut newest: Option<String> = None;
            for item in items {
                let Ok(status) = serde_json::from_value::<Status>(item) else {
                    round.unreadable += 1;
                    continue;
                };
                let Some(id) = status.id_string() else {
                    round.unreadable += 1;
                    continue;
                };
                // Older than the cursor: a server that ignored min_id.
                if self
                    .min_id
                    .as_deref()
                    .is_some_and(|m| compare_ids(&id, m).is_le())
                {
                    continue;
                }
                match to_post(&status, &self.base) {
                    Some(post) => posts.push(post),
                    None => round.unreadable += 1,
                }
                if newest
                    .as_deref()
                    .is_none_or(|n| compare_ids(&id, n).is_gt())
                {
                    newest = Some(id);
                }
            }
            // Nothing newer than the cursor: caught up (and a server that
            // keeps answering the same page cannot hold us in a loop).
            let Some(newest) = newest else { break };
            let value = cursor::encode(&Cursor {
                min_id: newest.clone(),
            });
            let tally = ctx
                .sink
                .deliver(
                    &self.label,
                    posts,
                    Some((self.checkpoint.clone(), value)),
                    false,
                )
                .await?;
            round.tally.absorb(&tally);
            let resuming = self.min_id.is_some();
            self.min_id = Some(newest.clone());
            // A short page is the last one; "short" against the limit this
            // URL asked for (a `Link` URL may carry none: then the default).
            if !resuming || count < asked_limit(&url) {
                break;
            }
            url = resp
                .header("link")
                .and_then(|l| link_rel(l, "prev"))
                .filter(|next| host_of(next) == host_of(&self.base) && next.contains("min_id="))
                .unwrap_or_else(|| self.page_url(Some(&newest)));
        }
        Ok(round)
    }
}

/// The `limit` a page URL asks for; Mastodon's default when it has none.
fn asked_limit(url: &str) -> usize {
    url.split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("limit="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

fn gone_reason(status: u16, tag: &str) -> String {
    match status {
        401 | 403 => format!(
            "HTTP {status}: this instance does not serve its public timelines without an account"
        ),
        _ => format!("HTTP {status}: the instance has no timeline for #{tag}"),
    }
}

/// The URL of one relation in a `Link` header:
/// `<https://…?min_id=9>; rel="prev", <https://…?max_id=1>; rel="next"`.
pub fn link_rel(header: &str, rel: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("rel="))
            .any(|v| v.trim_matches('"').split(' ').any(|r| r == rel))
            .then(|| url.to_string())
    })
}

#[derive(Deserialize)]
struct Status {
    id: serde_json::Value,
    created_at: Option<String>,
    content: Option<String>,
    spoiler_text: Option<String>,
    language: Option<String>,
    uri: Option<String>,
    reblog: Option<Box<Status>>,
    account: Option<Account>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

#[derive(Deserialize)]
struct Account {
    acct: Option<String>,
}

#[derive(Deserialize)]
struct Tag {
    name: Option<String>,
}

impl Status {
    fn id_string(&self) -> Option<String> {
        match &self.id {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The toot's id everywhere. The same toot reaches many instances under
    /// different local ids; its `uri` is the same everywhere, so it is the
    /// dedup key.
    fn global_id(&self, base: &str) -> Option<String> {
        match self.uri.clone().filter(|u| !u.is_empty()) {
            Some(uri) => Some(uri),
            None => Some(format!("{base}/statuses/{}", self.id_string()?)),
        }
    }

    /// `created_at`, if it is a plausible RFC 3339 time.
    fn time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let t = chrono::DateTime::parse_from_rfc3339(self.created_at.as_deref()?).ok()?;
        check_plausible(t.with_timezone(&chrono::Utc)).ok()
    }
}

/// One page of a tag timeline read as a round reads it: each status becomes
/// a post, or `None` when it lacks what a post needs. Public so the fuzz
/// targets and property tests reach the same code as a live feed.
pub fn parse_page(
    body: &[u8],
    base: &str,
    max_depth: usize,
) -> Result<Vec<Option<Post>>, HttpError> {
    let items: Vec<serde_json::Value> = super::http::parse_json(body, base, max_depth)?;
    Ok(items
        .into_iter()
        .map(|item| {
            serde_json::from_value::<Status>(item)
                .ok()
                .and_then(|s| to_post(&s, base))
        })
        .collect())
}

/// `None` when the status lacks what a post needs (an id or a valid time).
fn to_post(status: &Status, base: &str) -> Option<Post> {
    status.id_string()?;
    let created_at = status.time()?;
    let id = status.global_id(base)?;
    let content = status.reblog.as_deref().unwrap_or(status);
    let body = html::to_text(content.content.as_deref().unwrap_or(""));
    let warning = content.spoiler_text.as_deref().unwrap_or("").trim();
    let text = if warning.is_empty() {
        body
    } else {
        format!("{warning}\n\n{body}")
    };
    Some(Post {
        source: Source::Mastodon,
        id,
        created_at,
        text,
        lang: content.language.clone().filter(|l| !l.is_empty()),
        author: status.account.as_ref().and_then(|a| a.acct.clone()),
        region_hints: RegionHints::default(),
        is_repost: status.reblog.is_some(),
        // The reblogged toot, for `--record`; the reblog itself is counted
        // under its own uri and time.
        repost_of: status.reblog.as_deref().and_then(|original| {
            Some(Original {
                id: original.global_id(base)?,
                created_at: original.time(),
            })
        }),
        hashtags: content
            .tags
            .iter()
            .flatten()
            .filter_map(|t| t.name.clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(json: &str) -> Status {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_status_becomes_a_post() {
        let s = status(
            r##"{"id":"113700000000000001","created_at":"2024-12-24T20:31:07.000Z","language":null,
            "uri":"https://m.example/users/amy/statuses/113700000000000001","spoiler_text":"",
            "content":"<p>netflix is down &amp; <a href=\"https://m.example/tags/netflix\" class=\"mention hashtag\" rel=\"tag\">#<span>netflix</span></a></p>",
            "reblog":null,"account":{"id":"1","acct":"amy"},"tags":[{"name":"netflix","url":"https://m.example/tags/netflix"}]}"##,
        );
        let p = to_post(&s, "https://m.example").unwrap();
        assert_eq!(
            p.id,
            "https://m.example/users/amy/statuses/113700000000000001"
        );
        assert_eq!(p.text, "netflix is down & #netflix");
        assert_eq!(p.lang, None);
        assert_eq!(p.author.as_deref(), Some("amy"));
        assert_eq!(p.hashtags, vec!["netflix".to_string()]);
        assert_eq!(p.created_at.to_rfc3339(), "2024-12-24T20:31:07+00:00");
        assert!(!p.is_repost);
        assert_eq!(p.repost_of, None);
    }

    #[test]
    fn a_reblog_is_a_repost_with_the_original_text() {
        let s = status(
            r#"{"id":9,"created_at":"2024-12-24T21:00:00Z","content":"","uri":null,
            "reblog":{"id":"8","created_at":"2024-12-24T20:00:00Z","content":"<p>still down</p>",
            "spoiler_text":"netflix outage","language":"en","tags":[]},"account":{"acct":"bob@else.example"}}"#,
        );
        let p = to_post(&s, "https://m.example").unwrap();
        assert!(p.is_repost);
        assert_eq!(p.id, "https://m.example/statuses/9");
        assert_eq!(p.text, "netflix outage\n\nstill down");
        assert_eq!(p.lang.as_deref(), Some("en"));
        assert_eq!(p.created_at.to_rfc3339(), "2024-12-24T21:00:00+00:00");
        let original = p.repost_of.unwrap();
        assert_eq!(original.id, "https://m.example/statuses/8");
        assert_eq!(
            original.created_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-12-24T20:00:00+00:00")
        );
        // A remote original is named by its uri; a time it lacks is left out.
        let s = status(
            r#"{"id":"12","created_at":"2024-12-24T21:00:00Z","content":"","uri":"https://m.example/users/a/statuses/12",
            "reblog":{"id":"3","uri":"https://other.example/users/b/statuses/77","created_at":"soon","content":"<p>down</p>"}}"#,
        );
        let p = to_post(&s, "https://m.example").unwrap();
        assert_eq!(p.id, "https://m.example/users/a/statuses/12");
        assert_eq!(
            p.repost_of,
            Some(Original {
                id: "https://other.example/users/b/statuses/77".into(),
                created_at: None,
            })
        );
    }

    #[test]
    fn statuses_without_a_time_are_not_posts() {
        assert!(to_post(&status(r#"{"id":"1","created_at":"yesterday"}"#), "b").is_none());
        assert!(to_post(
            &status(r#"{"id":null,"created_at":"2024-01-01T00:00:00Z"}"#),
            "b"
        )
        .is_none());
    }

    #[test]
    fn link_headers_are_read() {
        let h = r#"<https://m.example/api/v1/timelines/tag/netflix?max_id=100>; rel="next", <https://m.example/api/v1/timelines/tag/netflix?min_id=140>; rel="prev""#;
        assert_eq!(
            link_rel(h, "prev").as_deref(),
            Some("https://m.example/api/v1/timelines/tag/netflix?min_id=140")
        );
        assert_eq!(
            link_rel(h, "next").as_deref(),
            Some("https://m.example/api/v1/timelines/tag/netflix?max_id=100")
        );
        assert_eq!(link_rel("garbage", "prev"), None);
        assert_eq!(asked_limit("https://m.example/x?limit=40&min_id=1"), 40);
        assert_eq!(asked_limit("https://m.example/x?min_id=1"), 20);
    }
}

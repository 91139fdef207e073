//! Reddit: `/r/<name>/new.json?limit=100`, paged with `before`.
//!
//! `before=<fullname>` returns the posts just newer than that one, so the
//! cursor is the fullname (`t3_…`) of the newest post stored, and each page
//! is committed with its own newest post. One Reddit quirk needs care: when
//! the anchor post is deleted or removed, `before` returns nothing forever.
//! So when `before` finds nothing, one look at the newest page tells a quiet
//! subreddit (the anchor is there, or nothing is newer than it) from a lost
//! anchor (newer posts exist): those are taken and the cursor moves on.
//!
//! `raw_json=1` asks for text without Reddit's legacy HTML escaping;
//! `created_utc` comes as an integer or a float. Reddit requires a
//! descriptive User-Agent, which the runner's client sends.

use chrono::{TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::cursor;
use super::http::{encode, host_of, HttpError, Request};
use super::{trim_base, Ctx, FeedError, Round};
use crate::post::{Original, Post, RegionHints, Source};
use crate::sources::twitter_v1::check_plausible;
use crate::store::{Store, StoreError};

pub const DEFAULT_BASE: &str = "https://www.reddit.com";
pub const PAGE: usize = 100;
pub const MAX_PAGES: u32 = 10;

#[derive(Serialize, Deserialize)]
struct Cursor {
    before: String,
    /// `created_utc` of that post, to recognise newer posts if it vanishes.
    time: f64,
}

pub struct Reddit {
    base: String,
    name: String,
    label: String,
    checkpoint: String,
    cursor: Option<Cursor>,
}

impl Reddit {
    pub fn new(base: &str, name: &str, store: &Store) -> Result<Reddit, StoreError> {
        let base = trim_base(base);
        let name = name
            .trim()
            .trim_start_matches("r/")
            .trim_start_matches("/r/")
            .to_string();
        let checkpoint = cursor::name("reddit", &format!("{base}/r/{}", name.to_lowercase()));
        let cursor = cursor::load::<Cursor>(store, &checkpoint)?;
        let host = host_of(&base).unwrap_or_default();
        let label = if base == DEFAULT_BASE {
            format!("reddit r/{name}")
        } else {
            format!("reddit {host} r/{name}")
        };
        Ok(Reddit {
            base,
            name,
            label,
            checkpoint,
            cursor,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    fn url(&self, before: Option<&str>) -> String {
        let mut url = format!(
            "{}/r/{}/new.json?limit={PAGE}&raw_json=1",
            self.base,
            encode(&self.name)
        );
        if let Some(b) = before {
            url.push_str("&before=");
            url.push_str(&encode(b));
        }
        url
    }

    async fn page(&self, ctx: &Ctx, url: &str, round: &mut Round) -> Result<Vec<Item>, FeedError> {
        let resp = match ctx.http.fetch(&Request::get(url)).await {
            Err(HttpError::Status {
                status: status @ (401 | 403 | 404 | 451),
                ..
            }) => {
                return Err(FeedError::Gone(format!(
                    "HTTP {status}: r/{} is private, banned or does not exist",
                    self.name
                )))
            }
            other => other?,
        };
        round.pages += 1;
        let listing: Listing = resp.json(url, ctx.http.limits.max_depth)?;
        let mut items = Vec::new();
        for child in listing.data.children {
            let link = child
                .data
                .and_then(|v| serde_json::from_value::<Link>(v).ok());
            match link.and_then(to_item) {
                Some(item) => items.push(item),
                None => round.unreadable += 1,
            }
        }
        Ok(items)
    }

    async fn deliver(
        &mut self,
        ctx: &Ctx,
        items: Vec<Item>,
        round: &mut Round,
    ) -> Result<(), FeedError> {
        let Some(newest) = items
            .iter()
            .max_by(|a, b| a.time.total_cmp(&b.time))
            .map(|i| Cursor {
                before: i.name.clone(),
                time: i.time,
            })
        else {
            return Ok(());
        };
        let posts = items.into_iter().filter_map(|i| i.post).collect();
        let value = cursor::encode(&newest);
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
        self.cursor = Some(newest);
        Ok(())
    }

    pub async fn round(&mut self, ctx: &Ctx) -> Result<Round, FeedError> {
        let mut round = Round::default();
        let Some(start) = self.cursor.as_ref().map(|c| c.before.clone()) else {
            let items = self.page(ctx, &self.url(None), &mut round).await?;
            self.deliver(ctx, items, &mut round).await?;
            return Ok(round);
        };
        let mut before = start;
        for page in 0..MAX_PAGES {
            let items = self.page(ctx, &self.url(Some(&before)), &mut round).await?;
            if items.is_empty() {
                if page == 0 {
                    self.check_lost_anchor(ctx, &mut round).await?;
                }
                break;
            }
            let full = items.len() >= PAGE;
            self.deliver(ctx, items, &mut round).await?;
            let next = self.cursor.as_ref().map(|c| c.before.clone());
            match next {
                // A page that does not move the cursor would be asked again
                // forever: stop.
                Some(next) if full && next != before => before = next,
                _ => break,
            }
        }
        Ok(round)
    }

    async fn check_lost_anchor(&mut self, ctx: &Ctx, round: &mut Round) -> Result<(), FeedError> {
        let Some(anchor) = self.cursor.as_ref().map(|c| (c.before.clone(), c.time)) else {
            return Ok(());
        };
        let items = self.page(ctx, &self.url(None), round).await?;
        if items.iter().any(|i| i.name == anchor.0) {
            return Ok(());
        }
        let newer: Vec<Item> = items.into_iter().filter(|i| i.time > anchor.1).collect();
        self.deliver(ctx, newer, round).await
    }
}

#[derive(Deserialize)]
struct Listing {
    data: ListingData,
}

#[derive(Deserialize)]
struct ListingData {
    #[serde(default)]
    children: Vec<Child>,
}

#[derive(Deserialize)]
struct Child {
    /// Read on its own, so one odd child does not spoil the page.
    data: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Link {
    name: Option<String>,
    title: Option<String>,
    selftext: Option<String>,
    /// An integer or a float, depending on the endpoint and the year.
    created_utc: Option<serde_json::Number>,
    author: Option<String>,
    crosspost_parent: Option<String>,
    /// The crossposted link itself, for its time. Read loosely: an odd
    /// entry must not cost the crosspost.
    crosspost_parent_list: Option<serde_json::Value>,
}

struct Item {
    name: String,
    time: f64,
    /// `None` for an item whose time is implausible: still moves the cursor.
    post: Option<Post>,
}

fn to_item(link: Link) -> Option<Item> {
    let name = link.name.filter(|n| !n.is_empty())?;
    let time = link.created_utc?.as_f64()?;
    if !time.is_finite() {
        return None;
    }
    let created_at = Utc
        .timestamp_opt(time.floor() as i64, 0)
        .single()
        .and_then(|t| check_plausible(t).ok());
    let title = link.title.unwrap_or_default();
    let body = link.selftext.unwrap_or_default();
    let text = if body.trim().is_empty() {
        title
    } else {
        format!("{title}\n\n{body}")
    };
    let is_repost = link.crosspost_parent.is_some();
    let repost_of = link
        .crosspost_parent
        .filter(|p| !p.is_empty())
        .map(|parent| {
            let time = link
                .crosspost_parent_list
                .as_ref()
                .and_then(|l| l.as_array())
                .into_iter()
                .flatten()
                .find(|l| l.get("name").and_then(|n| n.as_str()) == Some(parent.as_str()))
                .and_then(|l| l.get("created_utc")?.as_f64())
                .filter(|t| t.is_finite())
                .and_then(|t| Utc.timestamp_opt(t.floor() as i64, 0).single())
                .and_then(|t| check_plausible(t).ok());
            Original {
                id: parent,
                created_at: time,
            }
        });
    let post = created_at.map(|created_at| Post {
        source: Source::Reddit,
        id: name.clone(),
        created_at,
        text,
        lang: None,
        author: link.author,
        region_hints: RegionHints::default(),
        is_repost,
        // For `--record`; the crosspost is counted under its own name and
        // time.
        repost_of,
        hashtags: Vec::new(),
    });
    Some(Item { name, time, post })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> Option<Item> {
        serde_json::from_str(json).ok().and_then(to_item)
    }

    #[test]
    fn created_utc_may_be_an_integer_or_a_float() {
        let a = item(
            r#"{"name":"t3_a","title":"Netflix down?","selftext":"","created_utc":1735072267}"#,
        )
        .unwrap();
        let b = item(r#"{"name":"t3_b","title":"x","selftext":"body","created_utc":1735072267.0}"#)
            .unwrap();
        let pa = a.post.unwrap();
        let pb = b.post.unwrap();
        assert_eq!(pa.created_at, pb.created_at);
        assert_eq!(pa.created_at.to_rfc3339(), "2024-12-24T20:31:07+00:00");
        assert_eq!(pa.text, "Netflix down?");
        assert_eq!(pb.text, "x\n\nbody");
        assert_eq!(pa.id, "t3_a");
    }

    #[test]
    fn a_crosspost_names_its_original() {
        let post = |json: &str| item(json).unwrap().post.unwrap();
        let p = post(
            r#"{"name":"t3_x5","title":"netflix is down crosspost","created_utc":1704110400,
            "crosspost_parent":"t3_orig","crosspost_parent_list":[{"name":"t3_orig","title":"netflix is down","created_utc":1704100000.0}]}"#,
        );
        assert!(p.is_repost);
        assert_eq!(p.id, "t3_x5");
        assert_eq!(p.created_at.to_rfc3339(), "2024-01-01T12:00:00+00:00");
        let original = p.repost_of.unwrap();
        assert_eq!(original.id, "t3_orig");
        assert_eq!(
            original.created_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-01-01T09:06:40+00:00")
        );
        // Without the parent's listing (or with an odd one), only its name.
        for list in ["", r#","crosspost_parent_list":"odd""#] {
            let p = post(&format!(
                r#"{{"name":"t3_x6","title":"x","created_utc":1704110400,"crosspost_parent":"t3_orig"{list}}}"#
            ));
            assert_eq!(
                p.repost_of,
                Some(Original {
                    id: "t3_orig".into(),
                    created_at: None
                })
            );
        }
        let p = post(r#"{"name":"t3_x7","title":"x","created_utc":1704110400}"#);
        assert!(!p.is_repost);
        assert_eq!(p.repost_of, None);
    }

    #[test]
    fn items_without_name_or_time_are_unreadable() {
        assert!(item(r#"{"title":"x","created_utc":1735072267}"#).is_none());
        assert!(item(r#"{"name":"t3_c","title":"x","created_utc":"soon"}"#).is_none());
        // An implausible time still names the item, so the cursor can pass it.
        let old = item(r#"{"name":"t3_d","title":"x","created_utc":5}"#).unwrap();
        assert!(old.post.is_none());
    }
}

//! Reddit: `/r/<name>/new.json?limit=100`, paged with `before`.
//!
//! `before=<fullname>` returns the posts just newer than that one, so the
//! cursor is the fullname (`t3_…`) of the newest post stored, and each page
//! is committed with its own newest post. One Reddit quirk needs care: when
//! the anchor post is deleted or removed, `before` returns nothing forever.
//! So when `before` finds nothing, outcry walks back from the newest page
//! with `after` until it meets a post it stored before — one of the ids of
//! its last window (kept in the cursor), or one older than the anchor. A
//! quiet subreddit ends the walk on its first page (the anchor is the newest
//! post); a busy one where the anchor vanished gets everything since it.
//! The walk shares the round's page cap; when the cap (or the listing) ends
//! before a known post is met, the round reports the gap.
//!
//! `raw_json=1` asks for text without Reddit's legacy HTML escaping;
//! `created_utc` comes as an integer or a float. Reddit requires a
//! descriptive User-Agent, which the runner's client sends.

use std::collections::HashSet;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::cursor;
use super::http::{encode, host_of, HttpError, Request};
use super::{trim_base, Ctx, FeedError, Gap, Round};
use crate::post::{Original, Post, RegionHints, Source};
use crate::sources::twitter_v1::check_plausible;
use crate::store::{Store, StoreError};

pub const DEFAULT_BASE: &str = "https://www.reddit.com";
pub const PAGE: usize = 100;
pub const MAX_PAGES: u32 = 10;
/// How many of the newest fullnames the cursor remembers: one page, enough
/// for a walk back to recognise where the posts stored before begin even
/// when the newest of them were deleted.
pub const WINDOW: usize = PAGE;

#[derive(Serialize, Deserialize)]
struct Cursor {
    before: String,
    /// `created_utc` of that post, to recognise newer posts if it vanishes.
    time: f64,
    /// The fullnames of the newest items stored, newest first (absent in
    /// cursors written before it existed).
    #[serde(default)]
    window: Vec<String>,
}

pub struct Reddit {
    base: String,
    name: String,
    label: String,
    checkpoint: String,
    cursor: Option<Cursor>,
}

/// The items of one listing page, newest first, and how many children it
/// held that could not even be named (no `name`, not an object).
struct Page {
    items: Vec<Item>,
    nameless: u64,
}

impl Page {
    fn len(&self) -> usize {
        self.items.len() + self.nameless as usize
    }
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

    /// The listing, newest first; `before` asks for the posts just newer
    /// than a fullname, `after` for those just older.
    fn url(&self, before: Option<&str>, after: Option<&str>) -> String {
        let mut url = format!(
            "{}/r/{}/new.json?limit={PAGE}&raw_json=1",
            self.base,
            encode(&self.name)
        );
        for (key, value) in [("before", before), ("after", after)] {
            if let Some(v) = value {
                url.push_str(&format!("&{key}={}", encode(v)));
            }
        }
        url
    }

    async fn page(&self, ctx: &Ctx, url: &str, round: &mut Round) -> Result<Page, FeedError> {
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
        let mut page = Page {
            items: Vec::new(),
            nameless: 0,
        };
        for child in listing.data.children {
            let link = child
                .data
                .and_then(|v| serde_json::from_value::<Link>(v).ok());
            match link.and_then(to_item) {
                Some(item) => page.items.push(item),
                None => page.nameless += 1,
            }
        }
        Ok(page)
    }

    /// Commits new items (newest first) with the cursor that covers them.
    /// Items without a post are counted as unreadable here, where it is
    /// known they are new: a page read again is not counted twice.
    async fn deliver(
        &mut self,
        ctx: &Ctx,
        items: Vec<Item>,
        round: &mut Round,
    ) -> Result<(), FeedError> {
        let Some(newest) = newest(&items, self.cursor.as_ref()) else {
            return Ok(());
        };
        round.unreadable += items.iter().filter(|i| i.post.is_none()).count() as u64;
        let mut window: Vec<String> = Vec::with_capacity(WINDOW);
        let old = self.cursor.as_ref().map(|c| c.window.as_slice());
        for name in items.iter().map(|i| &i.name).chain(old.unwrap_or_default()) {
            if window.len() == WINDOW {
                break;
            }
            if !window.contains(name) {
                window.push(name.clone());
            }
        }
        let next = Cursor { window, ..newest };
        let posts = items.into_iter().filter_map(|i| i.post).collect();
        let value = cursor::encode(&next);
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
        self.cursor = Some(next);
        Ok(())
    }

    pub async fn round(&mut self, ctx: &Ctx) -> Result<Round, FeedError> {
        let mut round = Round::default();
        let Some(start) = self.cursor.as_ref().map(|c| c.before.clone()) else {
            let page = self.page(ctx, &self.url(None, None), &mut round).await?;
            round.unreadable += page.nameless;
            self.deliver(ctx, page.items, &mut round).await?;
            return Ok(round);
        };
        let mut before = start;
        for n in 0..MAX_PAGES {
            let page = self
                .page(ctx, &self.url(Some(&before), None), &mut round)
                .await?;
            if page.len() == 0 {
                if n == 0 {
                    self.walk_back(ctx, MAX_PAGES - 1, &mut round).await?;
                }
                break;
            }
            let full = page.len() >= PAGE;
            round.unreadable += page.nameless;
            self.deliver(ctx, page.items, &mut round).await?;
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

    /// `before` found nothing: nothing is newer than the anchor, or the
    /// anchor is gone. Reads back from the newest page, at most `budget`
    /// pages, until it meets a post stored before; takes what is newer.
    ///
    /// Everything is committed at once, after the walk: a page committed
    /// on the way would move the cursor past posts not read yet, and a kill
    /// then would lose them for good.
    async fn walk_back(
        &mut self,
        ctx: &Ctx,
        budget: u32,
        round: &mut Round,
    ) -> Result<(), FeedError> {
        let Some(cur) = self.cursor.as_ref() else {
            return Ok(());
        };
        let since = cur.time;
        let known: HashSet<String> = cur
            .window
            .iter()
            .chain(std::iter::once(&cur.before))
            .cloned()
            .collect();
        let mut taken: Vec<Item> = Vec::new();
        let mut after: Option<String> = None;
        let mut reached = false;
        let mut pages = 0;
        while pages < budget && !reached {
            let page = self
                .page(ctx, &self.url(None, after.as_deref()), round)
                .await?;
            pages += 1;
            let len = page.len();
            let mut fresh = 0;
            for item in page.items {
                // Reddit lists newest first: the first known post marks
                // where the posts stored before begin.
                if known.contains(&item.name) || item.time.is_some_and(|t| t < since) {
                    reached = true;
                    break;
                }
                taken.push(item);
                fresh += 1;
            }
            if reached {
                // A nameless child on this page may be older than the
                // anchor, and counted by an earlier round: left uncounted.
                break;
            }
            round.unreadable += page.nameless;
            let oldest = taken.last().map(|i| i.name.clone());
            if len < PAGE || fresh == 0 || oldest == after {
                // The listing ended, or the server repeats itself.
                break;
            }
            after = oldest;
        }
        if !reached {
            if let Some(oldest) = taken.iter().rev().find_map(|i| i.time) {
                round.gap = Some(Gap {
                    after: (since > 0.0).then(|| to_time(since)).flatten(),
                    before: to_time(oldest).unwrap_or_default(),
                    pages,
                });
            }
        }
        self.deliver(ctx, taken, round).await
    }
}

/// The cursor for a delivery: its newest item with a plausible time, else
/// (a page of unreadable times, newest first) its first item at the time
/// the cursor had; `None` for nothing to deliver.
fn newest(items: &[Item], current: Option<&Cursor>) -> Option<Cursor> {
    let (before, time) = items
        .iter()
        .filter_map(|i| i.time.map(|t| (&i.name, t)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .or_else(|| {
            let first = items.first()?;
            Some((&first.name, current.map_or(0.0, |c| c.time)))
        })?;
    Some(Cursor {
        before: before.clone(),
        time,
        window: Vec::new(),
    })
}

fn to_time(secs: f64) -> Option<DateTime<Utc>> {
    if !secs.is_finite() {
        return None;
    }
    Utc.timestamp_opt(secs.floor() as i64, 0).single()
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
    /// An integer or a float, depending on the endpoint and the year; read
    /// as any value, so that a wrong one costs the item its post but not
    /// its name.
    created_utc: Option<serde_json::Value>,
    author: Option<String>,
    crosspost_parent: Option<String>,
    /// The crossposted link itself, for its time. Read loosely: an odd
    /// entry must not cost the crosspost.
    crosspost_parent_list: Option<serde_json::Value>,
}

struct Item {
    name: String,
    /// `created_utc`, when it is a plausible time.
    time: Option<f64>,
    /// `None` for an item without a plausible time: unreadable, but its name
    /// still moves the cursor and marks the walk back's stop.
    post: Option<Post>,
}

/// An item for every child with a name; `None` for one without.
fn to_item(link: Link) -> Option<Item> {
    let name = link.name.filter(|n| !n.is_empty())?;
    // Anything Reddit could mean is between 2006 and tomorrow: 1e20, -5 or
    // 1e10 (the year 2286) is a broken field, not a time.
    let created = link
        .created_utc
        .as_ref()
        .and_then(serde_json::Value::as_f64)
        .filter(|t| t.is_finite())
        .and_then(|t| Some((t, to_time(t)?)))
        .and_then(|(t, at)| Some((t, check_plausible(at).ok()?)));
    let Some((time, created_at)) = created else {
        return Some(Item {
            name,
            time: None,
            post: None,
        });
    };
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
                .and_then(to_time)
                .and_then(|t| check_plausible(t).ok());
            Original {
                id: parent,
                created_at: time,
            }
        });
    let post = Post {
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
    };
    Some(Item {
        name,
        time: Some(time),
        post: Some(post),
    })
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
    fn items_without_a_plausible_time_keep_their_name_but_no_post() {
        assert!(item(r#"{"title":"x","created_utc":1735072267}"#).is_none());
        // A time that is no number, or out of range, still names the item,
        // so it is counted as unreadable and the cursor can pass it.
        for time in [r#""soon""#, "5", "-5", "1e10", "1e20", "null"] {
            let json = format!(r#"{{"name":"t3_d","title":"x","created_utc":{time}}}"#);
            let odd = item(&json).unwrap();
            assert_eq!(odd.name, "t3_d", "{time}");
            assert_eq!(odd.time, None, "{time}");
            assert!(odd.post.is_none(), "{time}");
        }
    }

    fn named(name: &str, time: Option<f64>) -> Item {
        Item {
            name: name.into(),
            time,
            post: None,
        }
    }

    #[test]
    fn the_cursor_is_the_newest_plausible_item_never_a_broken_time() {
        let page = [
            named("t3_c", Some(30.0)),
            named("t3_x", None),
            named("t3_b", Some(20.0)),
        ];
        let c = newest(&page, None).unwrap();
        assert_eq!((c.before.as_str(), c.time), ("t3_c", 30.0));
        // A page of nothing but broken times still moves the cursor, by
        // Reddit's order, keeping the time it had.
        let old = Cursor {
            before: "t3_a".into(),
            time: 10.0,
            window: vec![],
        };
        let c = newest(&[named("t3_y", None), named("t3_x", None)], Some(&old)).unwrap();
        assert_eq!((c.before.as_str(), c.time), ("t3_y", 10.0));
        assert!(newest(&[], Some(&old)).is_none());
    }
}

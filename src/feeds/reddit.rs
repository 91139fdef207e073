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
//!
//! The walk itself goes on `after` the oldest post it took, and when that
//! one is deleted too, after the next oldest (`FROM` of them). If all of
//! them vanish together, it reads its page before again (`back`), or failing
//! that the listing from the newest (`seek`), skipping what it took — down
//! to the oldest time it reached — and goes on below it. A name `after`
//! found nothing for is kept (`gone`): met again, it is still listed, so the
//! listing ends there, and it is not taken twice.
//!
//! A walk can be longer than a round's page cap. Each page of it is
//! committed with the walk's state in the cursor (where it goes on from,
//! what it reads back to), so the next round, or the next run after a kill,
//! goes on where it stopped; nothing read is lost and nothing is read twice.
//! Each round reads the newest posts first (they are what an outage shows
//! in), then goes on with the walks, the oldest first: the deeper a post is
//! in the listing, the sooner it falls out of the ~1,000 Reddit keeps. Only
//! when the listing ends before the posts stored before is the gap final,
//! and reported.
//!
//! `raw_json=1` asks for text without Reddit's legacy HTML escaping;
//! `created_utc` comes as an integer or a float. Reddit requires a
//! descriptive User-Agent, which the runner's client sends.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::cursor;
use super::http::{encode, host_of, HttpError, Request};
use super::{trim_base, Ctx, FeedError, Gap, GapEnd, Round};
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
/// How many of its oldest fullnames a walk keeps to go on from: `after` a
/// deleted one finds nothing, and the next one leads past it.
const FROM: usize = 3;
/// Walks in progress at once (each needs the anchor of the one before to
/// vanish); past this the oldest is given up, and its gap reported.
pub const MAX_WALKS: usize = 4;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Cursor {
    /// Empty while only nameless children were seen.
    before: String,
    /// `created_utc` of that post, to recognise newer posts if it vanishes.
    time: f64,
    /// The fullnames of the newest items stored, newest first (absent in
    /// cursors written before it existed).
    #[serde(default)]
    window: Vec<String>,
    /// The marks of the nameless children counted as unreadable, newest
    /// first, so that one read again is not counted again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    nameless: Vec<String>,
    /// Walks back not finished yet, the oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    walks: Vec<Walk>,
}

/// A walk back in progress: the posts between the newest stored when an
/// anchor vanished and the posts stored before it, read from the newest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Walk {
    /// Where it goes on: `after` the first of these Reddit still lists. The
    /// oldest items it took, oldest first; empty before its first page.
    from: Vec<String>,
    /// What it reads back to: the time of the newest post stored before the
    /// anchor vanished, and the fullnames of the newest ones.
    since: f64,
    known: Vec<String>,
    /// The oldest time it reached, for the gap if the listing ends first.
    oldest: Option<f64>,
    /// Pages read, over every round.
    pages: u32,
    /// The names it went on from that `after` found nothing for: deleted,
    /// or the end of the listing. One met again is still listed, and the
    /// listing ends there: it was taken already, and is not taken twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gone: Vec<String>,
    /// What it went on from before its last page: if every one of `from`
    /// vanishes at once, `after` these reads that page again (skipping what
    /// it took) rather than the whole listing from the newest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    back: Vec<String>,
    /// Set while it reads the listing again from the newest, every post it
    /// could go on from being gone: it skips what it took (down to
    /// `oldest`) and goes on below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seek: Option<Seek>,
}

/// A read again from the newest, down to where a walk stopped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Seek {
    /// The oldest time its pages reached: a later page with a newer post is
    /// a server that does not page, which would be read forever.
    lowest: Option<f64>,
}

pub struct Reddit {
    base: String,
    name: String,
    label: String,
    checkpoint: String,
    cursor: Option<Cursor>,
}

/// A child of a listing page: an item, or one that cannot even be named
/// (no `name`, not an object), known only by its mark.
// Nearly every entry is an item: boxing each would cost more than the room
// the rare nameless one wastes.
#[allow(clippy::large_enum_variant)]
enum Entry {
    Item(Item),
    Nameless(String),
}

/// What one page of a walk found.
struct Walked {
    taken: Vec<Item>,
    /// Nameless children newer than where it stopped.
    marks: Vec<String>,
    /// It met a post stored before.
    reached: bool,
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

    async fn page(&self, ctx: &Ctx, url: &str, round: &mut Round) -> Result<Vec<Entry>, FeedError> {
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
        let mut seen: HashMap<u64, u32> = HashMap::new();
        let entries = listing
            .data
            .children
            .into_iter()
            .map(|child| {
                let data = child.data.unwrap_or_default();
                match Link::deserialize(&data).ok().and_then(to_item) {
                    Some(item) => Entry::Item(item),
                    None => {
                        let print = fingerprint(&data);
                        let n = seen.entry(print).or_default();
                        *n += 1;
                        Entry::Nameless(format!("{print:016x}.{n}"))
                    }
                }
            })
            .collect();
        Ok(entries)
    }

    /// Commits `posts` with the cursor `next`; the feed moves to it once
    /// stored.
    async fn commit(
        &mut self,
        ctx: &Ctx,
        posts: Vec<Post>,
        next: Cursor,
        round: &mut Round,
    ) -> Result<(), FeedError> {
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

    /// Commits a page of new entries newer than anything stored: the cursor
    /// moves to its newest item. Items without a post, and nameless children
    /// not seen before, are counted as unreadable here, where it is known
    /// they are new: a page read again is not counted twice.
    async fn take_newest(
        &mut self,
        ctx: &Ctx,
        entries: Vec<Entry>,
        round: &mut Round,
    ) -> Result<(), FeedError> {
        let (items, marks) = split(entries);
        let mut next = top(self.cursor.as_ref(), &items);
        next.nameless = note_nameless(&next.nameless, marks, round);
        if items.is_empty() && self.cursor.as_ref() == Some(&next) {
            return Ok(());
        }
        round.unreadable += unreadable(&items);
        let posts = items.into_iter().filter_map(|i| i.post).collect();
        self.commit(ctx, posts, next, round).await
    }

    pub async fn round(&mut self, ctx: &Ctx) -> Result<Round, FeedError> {
        let mut round = Round::default();
        if let Some(mut next) = self.cursor.clone() {
            if trim(&mut next, &mut round) {
                self.commit(ctx, Vec::new(), next, &mut round).await?;
            }
        }
        let start = self.cursor.as_ref().map(|c| c.before.clone());
        let Some(start) = start.filter(|b| !b.is_empty()) else {
            let page = self.page(ctx, &self.url(None, None), &mut round).await?;
            self.take_newest(ctx, page, &mut round).await?;
            return Ok(round);
        };
        let mut budget = MAX_PAGES;
        let mut before = start;
        let mut first = true;
        while budget > 0 {
            let page = self
                .page(ctx, &self.url(Some(&before), None), &mut round)
                .await?;
            budget -= 1;
            if page.is_empty() {
                if first {
                    self.start_walk(ctx, &mut budget, &mut round).await?;
                }
                break;
            }
            first = false;
            let full = page.len() >= PAGE;
            self.take_newest(ctx, page, &mut round).await?;
            let next = self.cursor.as_ref().map(|c| c.before.clone());
            match next {
                // A page that does not move the cursor would be asked again
                // forever: stop.
                Some(next) if full && next != before => before = next,
                _ => break,
            }
        }
        let mut at = 0;
        while budget > 0 {
            let Some(walk) = self.cursor.as_ref().and_then(|c| c.walks.get(at)).cloned() else {
                break;
            };
            if !self
                .walk(ctx, Some(at), walk, &mut budget, &mut round)
                .await?
            {
                at += 1;
            }
        }
        round.reading_back = self.cursor.as_ref().is_some_and(|c| !c.walks.is_empty());
        Ok(round)
    }

    /// `before` found nothing: nothing is newer than the anchor, or the
    /// anchor is gone. A walk back from the newest page tells which.
    async fn start_walk(
        &mut self,
        ctx: &Ctx,
        budget: &mut u32,
        round: &mut Round,
    ) -> Result<(), FeedError> {
        let Some(cur) = self.cursor.as_ref() else {
            return Ok(());
        };
        let walk = Walk {
            from: Vec::new(),
            since: cur.time,
            known: std::iter::once(&cur.before)
                .chain(&cur.window)
                .cloned()
                .collect(),
            oldest: None,
            pages: 0,
            gone: Vec::new(),
            back: Vec::new(),
            seek: None,
        };
        self.walk(ctx, None, walk, budget, round).await?;
        Ok(())
    }

    /// Reads `walk` back, a page at a time while the budget lasts, until it
    /// meets a post stored before or the listing ends. `slot` is its place
    /// among the cursor's walks (`None` for a new one). Each page is
    /// committed with the walk's new state, so a kill loses nothing read.
    /// Returns whether the walk is over.
    async fn walk(
        &mut self,
        ctx: &Ctx,
        mut slot: Option<usize>,
        mut walk: Walk,
        budget: &mut u32,
        round: &mut Round,
    ) -> Result<bool, FeedError> {
        while *budget > 0 {
            let Some(mut next) = self.cursor.clone() else {
                return Ok(true);
            };
            let first = walk.pages == 0;
            if !first && walk.from.is_empty() {
                // Every post it could go on from is gone (deleted together,
                // or the listing ends there), or a read again lost its
                // place: read again, past what it took, rather than give up
                // posts still listed. Without a time to know what it took
                // by, it gives up.
                if walk.oldest.is_none() {
                    round.gaps.extend(walk.gap(GapEnd::ListingEnded));
                    if let Some(at) = slot {
                        next.walks.remove(at);
                        self.commit(ctx, Vec::new(), next, round).await?;
                    }
                    return Ok(true);
                }
                // Its page before is read again first (one page); only
                // if those are gone too, the whole listing from the newest.
                walk.from = std::mem::take(&mut walk.back);
                walk.seek = Some(Seek::default());
            }
            let after = walk.from.first().cloned().filter(|_| !first);
            let mut page = self
                .page(ctx, &self.url(None, after.as_deref()), round)
                .await?;
            *budget -= 1;
            walk.pages += 1;
            if page.is_empty() && after.is_some() {
                // The post it went on from is gone, or the listing ends
                // there: `after` the next one tells. It is kept among the
                // gone, so that met again (the listing ended at it) it is
                // not taken twice.
                let gone = walk.from.remove(0);
                walk.gone.insert(0, gone);
                walk.gone.truncate(WINDOW);
                slot = Some(place(&mut next, slot, walk.clone(), round));
                self.commit(ctx, Vec::new(), next, round).await?;
                continue;
            }
            let len = page.len();
            if let Some(seek) = walk.seek.clone() {
                let times = || {
                    page.iter().filter_map(|e| match e {
                        Entry::Item(i) => i.time,
                        Entry::Nameless(_) => None,
                    })
                };
                let lowest = times().reduce(f64::min);
                let repeats =
                    after.is_some() && seek.lowest.is_some_and(|l| times().any(|t| t > l));
                let below = walk.below(&page);
                // What it skips on this page, to go on from (oldest first).
                let skipped: Vec<String> = page[..below.unwrap_or(len)]
                    .iter()
                    .rev()
                    .filter_map(|e| match e {
                        Entry::Item(i) => Some(i.name.clone()),
                        Entry::Nameless(_) => None,
                    })
                    .take(FROM)
                    .collect();
                let short = if repeats {
                    Some(GapEnd::Repeated)
                } else if below.is_some() {
                    None
                } else if len < PAGE {
                    // Nothing older than where it stopped: the listing
                    // ends above it.
                    Some(GapEnd::ListingEnded)
                } else if skipped.is_empty() {
                    // A full page of nameless children: nothing to go on
                    // from.
                    Some(GapEnd::Repeated)
                } else {
                    None
                };
                if let Some(why) = short {
                    round.gaps.extend(walk.gap(why));
                    if let Some(at) = slot {
                        next.walks.remove(at);
                        self.commit(ctx, Vec::new(), next, round).await?;
                    }
                    return Ok(true);
                }
                if !skipped.is_empty() {
                    walk.from = skipped;
                }
                match below {
                    None => {
                        // All of it is what it took: on to the next page.
                        walk.seek = Some(Seek {
                            lowest: seek.lowest.into_iter().chain(lowest).reduce(f64::min),
                        });
                        slot = Some(place(&mut next, slot, walk.clone(), round));
                        self.commit(ctx, Vec::new(), next, round).await?;
                        continue;
                    }
                    Some(at) => {
                        // Below where it stopped: it goes on as before,
                        // with the rest of the page.
                        walk.seek = None;
                        page = page.split_off(at);
                    }
                }
            }
            let Walked {
                mut taken,
                mut marks,
                reached,
            } = walk.read(page);
            // `after` gives only older posts: a page with newer ones is a
            // server that does not page, which would be read forever.
            let repeats = !first
                && walk
                    .oldest
                    .is_some_and(|o| taken.iter().any(|i| i.time.is_some_and(|t| t > o)));
            if repeats {
                taken.clear();
                marks.clear();
            }
            let short = if reached {
                None
            } else if repeats {
                Some(GapEnd::Repeated)
            } else if len < PAGE {
                Some(GapEnd::ListingEnded)
            } else if taken.is_empty() {
                // A full page with nothing new.
                Some(GapEnd::Repeated)
            } else {
                None
            };
            if first {
                // Its first page is the newest: the cursor moves to it.
                next = top(Some(&next), &taken);
            }
            next.nameless = note_nameless(&next.nameless, marks, round);
            round.unreadable += unreadable(&taken);
            walk.took(&taken);
            let over = reached || short.is_some();
            if let Some(why) = short {
                round.gaps.extend(walk.gap(why));
            }
            match (over, slot) {
                (true, Some(at)) => {
                    next.walks.remove(at);
                }
                (true, None) => {}
                (false, _) => slot = Some(place(&mut next, slot, walk.clone(), round)),
            }
            if !taken.is_empty() || self.cursor.as_ref() != Some(&next) {
                let posts = taken.into_iter().filter_map(|i| i.post).collect();
                self.commit(ctx, posts, next, round).await?;
            }
            if over {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Walk {
    /// Splits a page at the first post stored before: what is newer is
    /// taken, with the nameless children among it.
    fn read(&self, page: Vec<Entry>) -> Walked {
        let mut walked = Walked {
            taken: Vec::new(),
            marks: Vec::new(),
            reached: false,
        };
        for entry in page {
            match entry {
                Entry::Nameless(mark) => walked.marks.push(mark),
                // Its own, met again when it went on from a newer one, or
                // after one that `after` found nothing for: the listing
                // ends at that one, taken already.
                Entry::Item(item)
                    if self.from.contains(&item.name) || self.gone.contains(&item.name) => {}
                Entry::Item(item) => {
                    // Reddit lists newest first: the first known post marks
                    // where the posts stored before begin.
                    if self.known.contains(&item.name) || item.time.is_some_and(|t| t < self.since)
                    {
                        walked.reached = true;
                        break;
                    }
                    walked.taken.push(item);
                }
            }
        }
        walked
    }

    /// While it reads again from the newest: where on `page` the posts
    /// below where it stopped begin, the first older than the oldest it
    /// took (or as old, and not one it went on from); `None` if there are
    /// none. What is above was taken already, or was among the posts
    /// between those it took (nameless children and broken times, counted
    /// already when met then).
    fn below(&self, page: &[Entry]) -> Option<usize> {
        let oldest = self.oldest?;
        page.iter().position(|e| match e {
            Entry::Item(i) => i
                .time
                .is_some_and(|t| t < oldest || (t == oldest && !self.gone.contains(&i.name))),
            Entry::Nameless(_) => false,
        })
    }

    /// Notes the items taken from a page (newest first).
    fn took(&mut self, taken: &[Item]) {
        if let Some(t) = taken.iter().filter_map(|i| i.time).reduce(f64::min) {
            self.oldest = Some(self.oldest.map_or(t, |o| o.min(t)));
        }
        let mut from: Vec<String> = taken.iter().rev().map(|i| i.name.clone()).collect();
        if !from.is_empty() {
            self.back = self
                .from
                .iter()
                .filter(|n| !from.contains(n))
                .cloned()
                .collect();
        }
        from.append(&mut self.from);
        from.dedup();
        from.truncate(FROM);
        self.from = from;
    }

    /// The stretch it could not reach: from the posts stored before to the
    /// oldest it took; `None` if it took nothing with a time.
    fn gap(&self, why: GapEnd) -> Option<Gap> {
        Some(Gap {
            after: (self.since > 0.0).then(|| to_time(self.since)).flatten(),
            before: to_time(self.oldest?)?,
            pages: self.pages,
            why,
        })
    }
}

/// Puts a walk in its place among the cursor's walks (a new one last,
/// giving up the oldest past [`MAX_WALKS`]); returns the place.
fn place(next: &mut Cursor, slot: Option<usize>, walk: Walk, round: &mut Round) -> usize {
    match slot {
        Some(at) => {
            next.walks[at] = walk;
            at
        }
        None => {
            if next.walks.len() >= MAX_WALKS {
                let oldest = next.walks.remove(0);
                round.gaps.extend(oldest.gap(GapEnd::GivenUp));
            }
            next.walks.push(walk);
            next.walks.len() - 1
        }
    }
}

/// Gives up the oldest walks of a cursor read back with more than
/// [`MAX_WALKS`] (written by another version, or by hand), reporting their
/// gaps: [`place`] drops only one at a time. Returns whether it did.
fn trim(next: &mut Cursor, round: &mut Round) -> bool {
    let over = next.walks.len().saturating_sub(MAX_WALKS);
    for walk in next.walks.drain(..over) {
        round.gaps.extend(walk.gap(GapEnd::GivenUp));
    }
    over > 0
}

/// A page's items and the marks of its nameless children, each in order.
fn split(entries: Vec<Entry>) -> (Vec<Item>, Vec<String>) {
    let mut items = Vec::new();
    let mut marks = Vec::new();
    for entry in entries {
        match entry {
            Entry::Item(item) => items.push(item),
            Entry::Nameless(mark) => marks.push(mark),
        }
    }
    (items, marks)
}

/// Items whose time was unreadable (and so have no post).
fn unreadable(items: &[Item]) -> u64 {
    items.iter().filter(|i| i.post.is_none()).count() as u64
}

/// Counts the marks not counted before as unreadable; returns the marks to
/// keep, newest first.
fn note_nameless(counted: &[String], marks: Vec<String>, round: &mut Round) -> Vec<String> {
    let fresh: Vec<String> = marks.into_iter().filter(|m| !counted.contains(m)).collect();
    round.unreadable += fresh.len() as u64;
    fresh
        .into_iter()
        .chain(counted.iter().cloned())
        .take(WINDOW)
        .collect()
}

/// A nameless child's mark: a hash of what it says that does not change
/// from one read to the next (its score and comment count do), so that it
/// is recognised when met again. Children that say the same are told apart
/// by their order on the page.
fn fingerprint(data: &serde_json::Value) -> u64 {
    const STABLE: [&str; 7] = [
        "id",
        "permalink",
        "url",
        "author",
        "created_utc",
        "title",
        "selftext",
    ];
    let text = match data.as_object() {
        Some(map) => STABLE
            .iter()
            .map(|k| format!("{k}={}\n", map.get(*k).unwrap_or(&serde_json::Value::Null)))
            .collect::<String>(),
        None => data.to_string(),
    };
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// The cursor after new items at the top (newest first): at the newest of
/// them, with their fullnames ahead of the window; as it was if there are
/// none.
fn top(current: Option<&Cursor>, items: &[Item]) -> Cursor {
    let empty = Cursor {
        before: String::new(),
        time: 0.0,
        window: Vec::new(),
        nameless: Vec::new(),
        walks: Vec::new(),
    };
    let mut next = current.cloned().unwrap_or(empty);
    let Some((before, time)) = newest(items, current) else {
        return next;
    };
    let mut window: Vec<String> = Vec::with_capacity(WINDOW);
    for name in items.iter().map(|i| &i.name).chain(&next.window) {
        if window.len() == WINDOW {
            break;
        }
        if !window.contains(name) {
            window.push(name.clone());
        }
    }
    next.before = before;
    next.time = time;
    next.window = window;
    next
}

/// Where the cursor stands after some items: their newest with a plausible
/// time, else (a page of unreadable times, newest first) their first at the
/// time the cursor had; `None` for no items.
fn newest(items: &[Item], current: Option<&Cursor>) -> Option<(String, f64)> {
    let (before, time) = items
        .iter()
        .filter_map(|i| i.time.map(|t| (&i.name, t)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .or_else(|| {
            let first = items.first()?;
            Some((&first.name, current.map_or(0.0, |c| c.time)))
        })?;
    Some((before.clone(), time))
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
        let c = top(None, &page);
        assert_eq!((c.before.as_str(), c.time), ("t3_c", 30.0));
        assert_eq!(c.window, ["t3_c", "t3_x", "t3_b"]);
        // A page of nothing but broken times still moves the cursor, by
        // Reddit's order, keeping the time it had.
        let old = cursor_at("t3_a", 10.0);
        let c = top(Some(&old), &[named("t3_y", None), named("t3_x", None)]);
        assert_eq!((c.before.as_str(), c.time), ("t3_y", 10.0));
        assert_eq!(c.window, ["t3_y", "t3_x", "t3_a"]);
        assert_eq!(top(Some(&old), &[]), old);
    }

    fn cursor_at(before: &str, time: f64) -> Cursor {
        Cursor {
            before: before.into(),
            time,
            window: vec![before.into()],
            nameless: vec![],
            walks: vec![],
        }
    }

    #[test]
    fn cursors_from_before_walks_were_kept_still_read_and_keep_their_shape() {
        let old = r#"{"before":"t3_a","time":10.0,"window":["t3_a"]}"#;
        let c: Cursor = serde_json::from_str(old).unwrap();
        assert_eq!(c, cursor_at("t3_a", 10.0));
        assert_eq!(cursor::encode(&c), old.as_bytes());
        let older: Cursor = serde_json::from_str(r#"{"before":"t3_a","time":10.0}"#).unwrap();
        assert_eq!(older.window, Vec::<String>::new());
    }

    #[test]
    fn a_nameless_child_is_known_again_by_what_does_not_change() {
        let read = |score: u32, title: &str| {
            fingerprint(&serde_json::json!({
                "title": title, "created_utc": 1735072267, "score": score, "num_comments": score
            }))
        };
        assert_eq!(read(1, "x"), read(40, "x"));
        assert_ne!(read(1, "x"), read(1, "y"));
        assert_eq!(
            fingerprint(&serde_json::Value::Null),
            fingerprint(&serde_json::Value::Null)
        );
        assert_ne!(
            fingerprint(&serde_json::Value::Null),
            fingerprint(&serde_json::json!("t3"))
        );
        // Counted once: a mark counted before is not counted again.
        let mut round = Round::default();
        let kept = note_nameless(&["m1".into()], vec!["m1".into(), "m2".into()], &mut round);
        assert_eq!(round.unreadable, 1);
        assert_eq!(kept, ["m2", "m1"]);
    }

    #[test]
    fn past_the_most_walks_at_once_the_oldest_is_given_up_with_its_gap() {
        let walk = |oldest: f64| Walk {
            from: vec![format!("t3_{oldest}")],
            since: 100.0,
            known: vec![],
            oldest: Some(oldest),
            pages: 3,
            gone: vec![],
            back: vec![],
            seek: None,
        };
        let mut next = cursor_at("t3_z", 900.0);
        let mut round = Round::default();
        for (n, oldest) in [200.0, 300.0, 400.0, 500.0].into_iter().enumerate() {
            assert_eq!(place(&mut next, None, walk(oldest), &mut round), n);
        }
        assert!(round.gaps.is_empty());
        // Going on with one keeps its place.
        assert_eq!(place(&mut next, Some(1), walk(250.0), &mut round), 1);
        assert_eq!(
            place(&mut next, None, walk(600.0), &mut round),
            MAX_WALKS - 1
        );
        let oldest: Vec<Option<f64>> = next.walks.iter().map(|w| w.oldest).collect();
        assert_eq!(oldest, [Some(250.0), Some(400.0), Some(500.0), Some(600.0)]);
        assert_eq!(
            round.gaps,
            [Gap {
                after: to_time(100.0),
                before: to_time(200.0).unwrap(),
                pages: 3,
                why: GapEnd::GivenUp,
            }]
        );
    }

    #[test]
    fn a_cursor_with_more_walks_than_the_most_gives_up_the_oldest_with_their_gaps() {
        let walk = |oldest: f64| Walk {
            from: vec![format!("t3_{oldest}")],
            since: 100.0,
            known: vec![],
            oldest: Some(oldest),
            pages: 2,
            gone: vec![],
            back: vec![],
            seek: None,
        };
        let mut next = cursor_at("t3_z", 900.0);
        next.walks = [200.0, 300.0, 400.0, 500.0, 600.0, 700.0]
            .into_iter()
            .map(walk)
            .collect();
        let mut round = Round::default();
        assert!(trim(&mut next, &mut round));
        let oldest: Vec<Option<f64>> = next.walks.iter().map(|w| w.oldest).collect();
        assert_eq!(oldest, [Some(400.0), Some(500.0), Some(600.0), Some(700.0)]);
        let before: Vec<_> = round.gaps.iter().map(|g| (g.before, g.why)).collect();
        assert_eq!(
            before,
            [
                (to_time(200.0).unwrap(), GapEnd::GivenUp),
                (to_time(300.0).unwrap(), GapEnd::GivenUp)
            ]
        );
        // At the most, nothing changes.
        let mut round = Round::default();
        assert!(!trim(&mut next, &mut round));
        assert_eq!(next.walks.len(), MAX_WALKS);
        assert!(round.gaps.is_empty());
    }

    #[test]
    fn a_walk_reading_again_skips_what_it_took_and_what_it_met_gone() {
        let walk = Walk {
            from: vec![],
            since: 10.0,
            known: vec![],
            oldest: Some(40.0),
            pages: 5,
            gone: vec!["t3_g".into()],
            back: vec![],
            seek: Some(Seek::default()),
        };
        // Newer than where it stopped, a broken time among them, and one
        // met gone at the oldest time: all taken before.
        let p = vec![
            Entry::Item(named("t3_h", Some(50.0))),
            Entry::Nameless("n1".into()),
            Entry::Item(named("t3_x", None)),
            Entry::Item(named("t3_g", Some(40.0))),
            Entry::Item(named("t3_f", Some(40.0))),
            Entry::Item(named("t3_e", Some(39.0))),
        ];
        // As old as where it stopped, not one it went on from: below.
        assert_eq!(walk.below(&p), Some(4));
        assert_eq!(walk.below(&p[..4]), None);
        // Without a time reached, nothing tells where it stopped.
        let lost = Walk {
            oldest: None,
            ..walk.clone()
        };
        assert_eq!(lost.below(&p), None);
        // A post met gone, listed again: the listing ended at it.
        let walked = walk.read(vec![Entry::Item(named("t3_g", Some(40.0)))]);
        assert!(walked.taken.is_empty() && !walked.reached);
    }

    #[test]
    fn a_walk_takes_what_is_newer_than_the_posts_stored_before() {
        let mut walk = Walk {
            from: vec!["t3_f".into()],
            since: 10.0,
            known: vec!["t3_k".into()],
            oldest: Some(45.0),
            pages: 1,
            gone: vec![],
            back: vec![],
            seek: None,
        };
        let page = vec![
            Entry::Nameless("n1".into()),
            // Its own, met again after going on from a newer one.
            Entry::Item(named("t3_f", Some(50.0))),
            Entry::Item(named("t3_e", Some(40.0))),
            Entry::Nameless("n2".into()),
            Entry::Item(named("t3_d", None)),
            Entry::Item(named("t3_k", Some(30.0))),
            // Older than where it stopped: stored, or counted, before.
            Entry::Nameless("n3".into()),
            Entry::Item(named("t3_c", Some(20.0))),
        ];
        let walked = walk.read(page);
        assert!(walked.reached);
        let names: Vec<&str> = walked.taken.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["t3_e", "t3_d"]);
        assert_eq!(walked.marks, ["n1", "n2"]);
        // Older than the posts stored before, even if not among the known.
        let walked = walk.read(vec![
            Entry::Item(named("t3_b", Some(12.0))),
            Entry::Item(named("t3_a", Some(9.0))),
        ]);
        assert!(walked.reached);
        assert_eq!(walked.taken.len(), 1);
        // It goes on from its oldest, with the next ones to fall back on.
        walk.took(&[named("t3_e", Some(40.0)), named("t3_d", None)]);
        assert_eq!(walk.from, ["t3_d", "t3_e", "t3_f"]);
        assert_eq!(walk.oldest, Some(40.0));
        walk.took(&[named("t3_c2", Some(35.0))]);
        assert_eq!(walk.from, ["t3_c2", "t3_d", "t3_e"]);
        // What it went on from before, kept to read that page again.
        assert_eq!(walk.back, ["t3_d", "t3_e", "t3_f"]);
        let gap = walk.gap(GapEnd::ListingEnded).unwrap();
        assert_eq!(gap.after, to_time(10.0));
        assert_eq!(gap.before, to_time(35.0).unwrap());
    }
}

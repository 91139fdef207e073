//! Turns a scenario's drafts into the lines a 2012 streaming capture holds.
//!
//! Scenarios push drafts (who posts what, when); this module adds what any
//! real capture has besides tweets and writes it all in time order: replies
//! wired to earlier posts, native retweets, snowflake ids, delete notices,
//! rate-limit notices, keep-alive blank lines, the odd duplicate after a
//! reconnect, and a handful of damaged lines. It also keeps the truth: what
//! each line was meant to be.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufWriter, Write};

use serde::Serialize;

use super::damage::{damage_line, has_latin1, Damage, DAMAGE_PLAN};
use super::dice::Dice;
use super::population::Population;
use super::profiles::{GeoPlace, REGIONS};
use super::text::{Composed, Kind};
use super::tweet::{
    build, build_retweet, snowflake, Handle, PlaceJson, TweetJson, TweetSpec, MAX_CHARS,
};
use super::{MalformedLine, Summary, SynthError};
use crate::lang::Lang;

/// One post before it has an id.
pub(crate) struct Draft {
    pub ms: i64,
    pub persona: usize,
    pub kind: Kind,
    pub lang: Lang,
    /// Unescaped; empty for a retweet (the original's text is used).
    pub text: String,
    pub handles: Vec<Handle>,
    pub place: Option<&'static GeoPlace>,
    pub reply_to: Option<usize>,
    pub retweet_of: Option<usize>,
    pub id: u64,
}

impl Draft {
    pub fn new(
        ms: i64,
        persona: usize,
        kind: Kind,
        lang: Lang,
        composed: Composed,
        place: Option<&'static GeoPlace>,
    ) -> Draft {
        Draft {
            ms,
            persona,
            kind,
            lang,
            text: composed.text,
            handles: composed.handles,
            place,
            reply_to: None,
            retweet_of: None,
            id: 0,
        }
    }

    /// A post by a brand account.
    pub fn brand(ms: i64, persona: usize, text: String) -> Draft {
        Draft {
            ms,
            persona,
            kind: Kind::Brand,
            lang: Lang::En,
            text,
            handles: Vec::new(),
            place: None,
            reply_to: None,
            retweet_of: None,
            id: 0,
        }
    }
}

const DUPLICATES: usize = 12;
const BLANK_LINES: usize = 3;
const DELETE_SHARE: f64 = 0.008;
/// Complaint-tagged tweets per 10 minutes above which the capture falls
/// behind and the API sends a limit notice.
const LIMIT_THRESHOLD: u64 = 150;

enum Item {
    Tweet(usize),
    Duplicate(usize),
    Damaged(usize, Damage),
    Delete(usize),
    Limit(u64),
    Blank,
}

#[derive(Serialize)]
struct DeleteNotice {
    delete: DeleteBody,
}

#[derive(Serialize)]
struct DeleteBody {
    status: DeletedStatus,
}

#[derive(Serialize)]
struct DeletedStatus {
    id: u64,
    id_str: String,
    user_id: u64,
    user_id_str: String,
}

#[derive(Serialize)]
struct LimitNotice {
    limit: LimitBody,
}

#[derive(Serialize)]
struct LimitBody {
    track: u64,
}

pub(crate) struct Stream {
    scenario: &'static str,
    seed: u64,
    start: i64,
    end: i64,
    drafts: Vec<Draft>,
}

impl Stream {
    /// What a scenario asks `timeline` for; used as indexes.
    pub const CHATTER: usize = 0;
    pub const SERVICES: usize = 1;
    pub const NETFLIX: usize = 2;
    pub const OUTAGE: usize = 3;
    pub const RECOVERY: usize = 4;

    pub fn new(scenario: &'static str, seed: u64, start: i64, end: i64) -> Stream {
        Stream {
            scenario,
            seed,
            start,
            end,
            drafts: Vec::new(),
        }
    }

    pub fn push(&mut self, draft: Draft) {
        self.drafts.push(draft);
    }

    pub fn drafts(&self) -> &[Draft] {
        &self.drafts
    }

    /// Draft indexes in time order (creation order breaks ties).
    fn time_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.drafts.len()).collect();
        order.sort_by_key(|&i| (self.drafts[i].ms, i));
        order
    }

    /// Points each reply at a recent post from the same region and prefixes
    /// its author's @name, as Twitter clients did.
    pub fn attach_replies(&mut self, population: &Population, dice: &mut Dice) {
        let mut recent: Vec<VecDeque<usize>> = vec![VecDeque::new(); REGIONS.len()];
        for i in self.time_order() {
            let region = population.personas[self.drafts[i].persona].region;
            match self.drafts[i].kind {
                Kind::Chatter => {
                    let q = &mut recent[region];
                    q.push_back(i);
                    if q.len() > 64 {
                        q.pop_front();
                    }
                }
                Kind::Reply => {
                    let q = &recent[region];
                    if q.is_empty() {
                        self.drafts[i].kind = Kind::Chatter;
                        continue;
                    }
                    let target = q[dice.below(q.len() as u64) as usize];
                    let who = population.personas[self.drafts[target].persona].handle();
                    let min_ms = self.drafts[target].ms + 20_000;
                    let d = &mut self.drafts[i];
                    d.text = format!("@{} {}", who.screen_name, d.text)
                        .chars()
                        .take(MAX_CHARS)
                        .collect();
                    d.handles.push(who);
                    d.reply_to = Some(target);
                    d.ms = d.ms.max(min_ms);
                }
                _ => {}
            }
        }
    }

    /// Native retweets: popular complaints and jokes, the support account's
    /// updates, a little of everything else.
    pub fn add_retweets(&mut self, population: &Population, dice: &mut Dice) {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); REGIONS.len()];
        for (i, p) in population.personas.iter().enumerate() {
            if p.group != usize::MAX {
                members[p.region].push(i);
            }
        }
        let americas: Vec<usize> = members[0]
            .iter()
            .chain(members[1].iter())
            .copied()
            .collect();
        let originals = self.drafts.len();
        for i in 0..originals {
            let d = &self.drafts[i];
            let u = dice.unit();
            let count = match d.kind {
                Kind::Outage | Kind::OutageMorning if u < 0.05 => {
                    1 + (10.0 * cube(dice.unit())) as usize
                }
                Kind::Joke if u < 0.25 => 1 + (30.0 * cube(dice.unit())) as usize,
                Kind::Brand if d.reply_to.is_none() => 15 + dice.below(35) as usize,
                Kind::Chatter if u < 0.02 => 1 + (4.0 * cube(dice.unit())) as usize,
                Kind::Netflix | Kind::Service | Kind::Recovery if u < 0.02 => {
                    1 + (3.0 * cube(dice.unit())) as usize
                }
                _ => 0,
            };
            let (ms, persona, kind, lang) = (d.ms, d.persona, d.kind, d.lang);
            let region = population.personas[persona].region;
            for _ in 0..count {
                let pool = if kind == Kind::Brand {
                    &americas
                } else {
                    &members[region]
                };
                if pool.is_empty() {
                    break;
                }
                let mut who = pool[dice.below(pool.len() as u64) as usize];
                for _ in 0..4 {
                    if population.personas[who].lang == lang && who != persona {
                        break;
                    }
                    who = pool[dice.below(pool.len() as u64) as usize];
                }
                let span = if kind == Kind::Brand {
                    7_200_000.0
                } else {
                    10_800_000.0
                };
                let u = dice.unit();
                let at = ms + 30_000 + (span * u * u) as i64;
                if at >= self.end * 1000 {
                    continue;
                }
                self.drafts.push(Draft {
                    ms: at,
                    persona: who,
                    kind,
                    lang,
                    text: String::new(),
                    handles: Vec::new(),
                    place: None,
                    reply_to: None,
                    retweet_of: Some(i),
                    id: 0,
                });
            }
        }
    }

    /// Assigns ids, lays out every line and writes them.
    pub fn finish(
        mut self,
        population: &Population,
        out: &mut dyn Write,
        dice: &mut Dice,
    ) -> Result<Summary, SynthError> {
        let order = self.time_order();
        let mut last = 0u64;
        for &i in &order {
            let d = &mut self.drafts[i];
            let mut id = snowflake(d.ms, dice.below(1024), dice.below(64));
            if id <= last {
                id = last + 1;
            }
            d.id = id;
            last = id;
        }

        // Posts others point at stay intact; damage falls on plain chatter.
        let mut referenced = vec![false; self.drafts.len()];
        for d in &self.drafts {
            for t in [d.reply_to, d.retweet_of].into_iter().flatten() {
                referenced[t] = true;
            }
        }
        let mut damaged: BTreeMap<usize, Damage> = BTreeMap::new();
        for &(hour, damage) in DAMAGE_PLAN {
            let from = (self.start + hour * 3600) * 1000;
            let pick = order.iter().copied().find(|&i| {
                let d = &self.drafts[i];
                d.ms >= from
                    && d.kind == Kind::Chatter
                    && d.retweet_of.is_none()
                    && !referenced[i]
                    && !damaged.contains_key(&i)
                    && (damage != Damage::Latin1Byte || has_latin1(&d.text))
            });
            if let Some(i) = pick {
                damaged.insert(i, damage);
            }
        }

        let mut items: Vec<(i64, u64, Item)> = Vec::with_capacity(self.drafts.len() + 2048);
        let mut seq = 0u64;
        let mut next = || {
            seq += 1;
            seq
        };
        for &i in &order {
            let d = &self.drafts[i];
            match damaged.get(&i) {
                Some(&damage) => items.push((d.ms, next(), Item::Damaged(i, damage))),
                None => {
                    items.push((d.ms, next(), Item::Tweet(i)));
                    if dice.chance(DELETE_SHARE) {
                        let u = dice.unit();
                        let at = d.ms + 120_000 + (43_200_000.0 * u * u) as i64;
                        if at < self.end * 1000 {
                            items.push((at, next(), Item::Delete(i)));
                        }
                    }
                }
            }
        }
        let undamaged: Vec<usize> = order
            .iter()
            .copied()
            .filter(|i| !damaged.contains_key(i))
            .collect();
        for _ in 0..DUPLICATES.min(undamaged.len()) {
            let i = undamaged[dice.below(undamaged.len() as u64) as usize];
            let at = self.drafts[i].ms + 1_000 + dice.below(30_000) as i64;
            items.push((at, next(), Item::Duplicate(i)));
        }
        for _ in 0..BLANK_LINES {
            let at = self.start * 1000 + dice.below(((self.end - self.start) * 1000) as u64) as i64;
            items.push((at, next(), Item::Blank));
        }
        // Limit notices where complaint traffic outran the capture.
        let mut per_slot: BTreeMap<i64, u64> = BTreeMap::new();
        for d in &self.drafts {
            if matches!(d.kind, Kind::Outage | Kind::OutageMorning | Kind::Joke) {
                *per_slot.entry(d.ms / 600_000).or_default() += 1;
            }
        }
        let mut track = 0u64;
        for (slot, n) in per_slot {
            if n > LIMIT_THRESHOLD {
                track += n / 4 + dice.below(20);
                let at = slot * 600_000 + 300_000 + dice.below(240_000) as i64;
                items.push((at, next(), Item::Limit(track)));
            }
        }
        items.sort_by_key(|(ms, seq, _)| (*ms, *seq));

        let mut summary = Summary {
            scenario: self.scenario.to_string(),
            seed: self.seed,
            ..Summary::default()
        };
        let mut retweet_counts = vec![0u32; self.drafts.len()];
        let mut written: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
        let duplicated: Vec<usize> = items
            .iter()
            .filter_map(|(_, _, it)| match it {
                Item::Duplicate(i) => Some(*i),
                _ => None,
            })
            .collect();
        let mut out = BufWriter::with_capacity(1 << 16, out);
        for (_, _, item) in &items {
            summary.lines += 1;
            match item {
                Item::Tweet(i) => {
                    if let Some(orig) = self.drafts[*i].retweet_of {
                        retweet_counts[orig] += 1;
                    }
                    let line = self.line(*i, population, &retweet_counts)?;
                    out.write_all(&line)?;
                    if duplicated.contains(i) {
                        written.insert(*i, line);
                    }
                    self.count(*i, population, &mut summary);
                }
                Item::Duplicate(i) => {
                    if let Some(line) = written.get(i) {
                        out.write_all(line)?;
                        summary.duplicates += 1;
                    } else {
                        summary.lines -= 1;
                    }
                }
                Item::Damaged(i, damage) => {
                    let line = self.line(*i, population, &retweet_counts)?;
                    out.write_all(&damage_line(line, *damage, self.drafts[*i].id))?;
                    summary.malformed.push(MalformedLine {
                        line: summary.lines,
                        what: damage.describe(),
                    });
                }
                Item::Delete(i) => {
                    let d = &self.drafts[*i];
                    let user = &population.personas[d.persona].user;
                    let notice = DeleteNotice {
                        delete: DeleteBody {
                            status: DeletedStatus {
                                id: d.id,
                                id_str: d.id.to_string(),
                                user_id: user.id,
                                user_id_str: user.id_str.clone(),
                            },
                        },
                    };
                    serde_json::to_writer(&mut out, &notice).map_err(std::io::Error::from)?;
                    out.write_all(b"\n")?;
                    summary.deletes += 1;
                }
                Item::Limit(track) => {
                    let notice = LimitNotice {
                        limit: LimitBody { track: *track },
                    };
                    serde_json::to_writer(&mut out, &notice).map_err(std::io::Error::from)?;
                    out.write_all(b"\n")?;
                    summary.limits += 1;
                }
                Item::Blank => {
                    out.write_all(b"\n")?;
                    summary.blank += 1;
                }
            }
        }
        out.flush()?;
        Ok(summary)
    }

    /// The JSON line of one draft, newline included.
    fn line(
        &self,
        i: usize,
        population: &Population,
        retweet_counts: &[u32],
    ) -> Result<Vec<u8>, SynthError> {
        let d = &self.drafts[i];
        let json = match d.retweet_of {
            Some(orig) => {
                let original = self.tweet_json(orig, population, retweet_counts[orig]);
                build_retweet(&self.spec(i, population, 0), original)
            }
            None => self.tweet_json(i, population, 0),
        };
        let mut line = serde_json::to_vec(&json).map_err(std::io::Error::from)?;
        line.push(b'\n');
        Ok(line)
    }

    fn tweet_json<'a>(
        &'a self,
        i: usize,
        population: &'a Population,
        retweets: u32,
    ) -> TweetJson<'a> {
        build(&self.spec(i, population, retweets))
    }

    fn spec<'a>(
        &'a self,
        i: usize,
        population: &'a Population,
        retweets: u32,
    ) -> TweetSpec<'a, 'a> {
        let d = &self.drafts[i];
        let persona = &population.personas[d.persona];
        let reply_to = d.reply_to.and_then(|t| {
            let target = &self.drafts[t];
            d.handles
                .iter()
                .find(|h| h.id == population.personas[target.persona].user.id)
                .map(|h| (target.id, h))
        });
        TweetSpec {
            ms: d.ms,
            id: d.id,
            text: &d.text,
            source: persona.source,
            user: &persona.user,
            lang: d.lang.code(),
            place: d.place.map(place_json),
            handles: &d.handles,
            reply_to,
            retweet_count: retweets,
        }
    }

    fn count(&self, i: usize, population: &Population, s: &mut Summary) {
        let d = &self.drafts[i];
        s.tweets += 1;
        if d.retweet_of.is_some() {
            s.retweets += 1;
        }
        *s.by_kind.entry(d.kind.name()).or_default() += 1;
        let region = REGIONS[population.personas[d.persona].region].key;
        if d.kind.is_netflix() {
            s.netflix_posts += 1;
            *s.netflix_by_region.entry(region).or_default() += 1;
        }
        if d.kind.is_netflix_complaint() {
            s.netflix_complaints += 1;
            *s.complaints_by_region.entry(region).or_default() += 1;
            *s.complaints_by_hour
                .entry(d.ms.div_euclid(3_600_000) * 3600)
                .or_default() += 1;
        }
    }
}

fn cube(u: f64) -> f64 {
    u * u * u
}

fn place_json(p: &'static GeoPlace) -> PlaceJson {
    // A stable 16-hex-digit id per place, as Twitter's were (FNV-1a).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in p.full_name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let id = format!("{h:016x}");
    PlaceJson {
        url: format!("https://api.twitter.com/1.1/geo/id/{id}.json"),
        id,
        place_type: "city",
        name: p.name,
        full_name: p.full_name,
        country_code: p.country_code,
        country: p.country,
    }
}

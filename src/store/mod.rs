//! The embedded store: per-hour counters and the posts already counted.
//!
//! A curve is evidence, so the store's one promise is that every post is
//! counted exactly once: across files, across runs, and across a crash in the
//! middle of an import. Each commit is one atomic sled batch holding the
//! counter updates, the dedup entries of the posts behind them and the resume
//! point of the input, so a crash leaves either all of a commit or none of it.
//! Only posts that mention a topic are remembered; the rest of an archive
//! leaves no trace, which keeps the store small.
//!
//! Counters are counted per hour but stored a day to a value, per region and
//! once more summed over all regions (see `keys.rs` for why): a query must
//! answer a year-long curve from a cold start in a few milliseconds, and
//! both sled's open and a scan cost in proportion to the number of keys.
//! A commit reads each day it touches, adds to it and writes it back in its
//! batch; that read cannot race another writer because sled's file lock
//! keeps a store to one process and an import commits from one thread.

mod counter;
mod day;
pub mod keys;
pub mod posts;
mod rows;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use counter::Counter;
use day::DayCounters;
use keys::Hour;
pub use posts::PostRecord;

/// Bumped whenever the key layout or a value encoding changes. 2: counters a
/// day to a value, per region and summed over regions (schema 1: one 48-byte
/// value per hour and region).
pub const SCHEMA_VERSION: u32 = 2;
const SCHEMA_KEY: &[u8] = b"schema_version";
const TOTALS_KEY: &[u8] = b"t";
const IMPORT_PREFIX: u8 = b'i';
/// sled's page cache: its default (1 GiB) would let a long import's memory
/// grow with the store; this keeps an import's peak well under 256 MiB.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path} is in use by another outcry process; wait for it to finish (or stop it) and try again")]
    Locked { path: PathBuf },
    #[error("cannot open store {path}: {}", describe(cause))]
    Open { path: PathBuf, cause: sled::Error },
    #[error("store {path} has schema version {found}, this outcry reads version {expected}; import into a new store (--db) or use the matching outcry version")]
    Schema {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("store {path}: {}", describe(cause))]
    Sled { path: PathBuf, cause: sled::Error },
    #[error("store {path} holds a damaged entry: {what}")]
    Corrupt { path: PathBuf, what: String },
}

/// Store-wide totals, kept in the same batch as the counters they summarise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub posts_remembered: u64,
    pub imports: u64,
}

pub struct Store {
    path: PathBuf,
    db: sled::Db,
}

/// Everything one commit changes, folded in memory first so that a batch
/// writes each counter once however many posts touched it.
#[derive(Default)]
pub struct PendingCommit {
    /// Per-region and all-regions day values, by key.
    days: HashMap<Vec<u8>, DayCounters>,
    seen: HashSet<Vec<u8>>,
    other: Vec<(Vec<u8>, Vec<u8>)>,
    imports_finished: u64,
    /// Reused for the keys `add_counter` looks up, which are mostly there
    /// already: an import calls it once per topic of every matching post.
    key: Vec<u8>,
}

impl PendingCommit {
    pub fn add_counter(&mut self, topic: &str, hour: Hour, region: &str, delta: &Counter) {
        let day = keys::day_of(hour);
        let hour_of_day = (hour % 24) as usize;
        for rollup in [false, true] {
            if rollup {
                keys::put_day_rollup_key(&mut self.key, topic, day);
            } else {
                keys::put_day_counter_key(&mut self.key, topic, day, region);
            }
            match self.days.get_mut(self.key.as_slice()) {
                Some(d) => d.add(hour_of_day, delta),
                None => {
                    let mut d = DayCounters::default();
                    d.add(hour_of_day, delta);
                    self.days.insert(self.key.clone(), d);
                }
            }
        }
    }

    /// Remembers a post as counted; `false` when this commit already has it.
    pub fn mark_seen(&mut self, source: &str, id: &str) -> bool {
        self.seen.insert(keys::seen_key(source, id))
    }

    pub fn contains_seen(&self, source: &str, id: &str) -> bool {
        self.seen.contains(&keys::seen_key(source, id))
    }

    /// Takes the posts this commit remembers as counted (as
    /// [`keys::seen_key`]s), for a caller with no store to commit them to.
    pub fn take_seen(&mut self) -> HashSet<Vec<u8>> {
        std::mem::take(&mut self.seen)
    }

    /// Keeps a post under one of the topics it mentions.
    pub fn add_post(&mut self, topic: &str, hour: Hour, record: &PostRecord) {
        let key = posts::key(topic, hour, &record.source, &record.id);
        // Serialising a struct of strings and numbers cannot fail.
        let value = serde_json::to_vec(record).unwrap_or_default();
        self.other.push((key, value));
    }

    pub fn set_checkpoint(&mut self, name: &str, value: Vec<u8>) {
        self.other.push((keys::checkpoint_key(name), value));
    }

    /// Records a finished import (for `outcry stats`).
    pub fn record_import(&mut self, name: &str, summary: Vec<u8>) {
        let mut key = vec![IMPORT_PREFIX];
        key.extend_from_slice(name.as_bytes());
        self.other.push((key, summary));
        self.imports_finished += 1;
    }

    pub fn posts(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty() && self.seen.is_empty() && self.other.is_empty()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // sled's background flusher can hold the file lock for a moment
        // after the last handle is dropped, so a store closed just now (by
        // this process or one that is exiting) is retried briefly before
        // the lock counts as another writer's. The whole wait stays well
        // under the one second in which a second outcry must be told.
        const LOCK_RETRIES: u32 = 8;
        let mut attempt = 0;
        let db = loop {
            match sled::Config::new()
                .path(path)
                .cache_capacity(CACHE_BYTES)
                .open()
                .map_err(|source| classify_open_error(path, source))
            {
                Err(StoreError::Locked { .. }) if attempt < LOCK_RETRIES => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => break other?,
            }
        };
        let store = Store {
            path: path.to_path_buf(),
            db,
        };
        store.check_schema()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sled_err(&self, cause: sled::Error) -> StoreError {
        StoreError::Sled {
            path: self.path.clone(),
            cause,
        }
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        let meta = self.db.open_tree("meta").map_err(|e| self.sled_err(e))?;
        match meta.get(SCHEMA_KEY).map_err(|e| self.sled_err(e))? {
            None => {
                meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(|e| self.sled_err(e))?;
                meta.flush().map_err(|e| self.sled_err(e))?;
                Ok(())
            }
            Some(v) => {
                let found = <[u8; 4]>::try_from(v.as_ref())
                    .map(u32::from_be_bytes)
                    .unwrap_or(0);
                if found == SCHEMA_VERSION {
                    Ok(())
                } else {
                    Err(StoreError::Schema {
                        path: self.path.clone(),
                        found,
                        expected: SCHEMA_VERSION,
                    })
                }
            }
        }
    }

    /// Has this post been counted already?
    pub fn is_seen(&self, source: &str, id: &str) -> Result<bool, StoreError> {
        self.db
            .contains_key(keys::seen_key(source, id))
            .map_err(|e| self.sled_err(e))
    }

    pub fn checkpoint(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .db
            .get(keys::checkpoint_key(name))
            .map_err(|e| self.sled_err(e))?
            .map(|v| v.to_vec()))
    }

    pub fn totals(&self) -> Result<Totals, StoreError> {
        let raw = self.db.get(TOTALS_KEY).map_err(|e| self.sled_err(e))?;
        Ok(match raw {
            Some(v) if v.len() == 16 => Totals {
                posts_remembered: u64::from_le_bytes(v[..8].try_into().unwrap_or_default()),
                imports: u64::from_le_bytes(v[8..].try_into().unwrap_or_default()),
            },
            _ => Totals::default(),
        })
    }

    /// Applies a commit atomically: after a crash, all of it or none of it is
    /// in the store.
    pub fn commit(&self, pending: PendingCommit) -> Result<(), StoreError> {
        if pending.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        // One writer per store (sled's file lock), so reading the current
        // day and writing the sum cannot race another process.
        for (key, delta) in &pending.days {
            let total = match self.db.get(key).map_err(|e| self.sled_err(e))? {
                Some(v) => {
                    let mut total = rows::decode_day(&self.path, key, &v)?;
                    total.merge(delta);
                    total
                }
                None => delta.clone(),
            };
            batch.insert(key.as_slice(), total.encode());
        }
        for key in &pending.seen {
            batch.insert(key.as_slice(), &[][..]);
        }
        for (key, value) in &pending.other {
            batch.insert(key.as_slice(), value.as_slice());
        }
        let mut totals = self.totals()?;
        totals.posts_remembered += pending.seen.len() as u64;
        totals.imports += pending.imports_finished;
        let mut encoded = [0u8; 16];
        encoded[..8].copy_from_slice(&totals.posts_remembered.to_le_bytes());
        encoded[8..].copy_from_slice(&totals.imports.to_le_bytes());
        batch.insert(TOTALS_KEY, &encoded[..]);
        self.db.apply_batch(batch).map_err(|e| self.sled_err(e))
    }

    /// Makes every commit so far durable on disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(|e| self.sled_err(e))
    }

    /// The counters of `topic` for hours in `from..=to`, in time order, one
    /// entry per (hour, region), regions of an hour in name order.
    pub fn counters(
        &self,
        topic: &str,
        from: Hour,
        to: Hour,
    ) -> impl Iterator<Item = Result<(Hour, String, Counter), StoreError>> + '_ {
        rows::RegionRows::new(&self.path, &self.db, topic, from, to, None)
    }

    /// Like [`Store::counters`], only the rows of `region` (compared
    /// ignoring ASCII case); other regions' days are skipped undecoded.
    pub fn region_counters(
        &self,
        topic: &str,
        region: &str,
        from: Hour,
        to: Hour,
    ) -> impl Iterator<Item = Result<(Hour, String, Counter), StoreError>> + '_ {
        rows::RegionRows::new(&self.path, &self.db, topic, from, to, Some(region))
    }

    /// The counters of `topic` for hours in `from..=to` summed over every
    /// region, one entry per hour that has any, in time order: what
    /// `counters` would give added up by hour, read from one value a day.
    pub fn counters_all_regions(
        &self,
        topic: &str,
        from: Hour,
        to: Hour,
    ) -> impl Iterator<Item = Result<(Hour, Counter), StoreError>> + '_ {
        rows::all_regions(&self.path, &self.db, topic, from, to)
    }

    /// The posts kept for `topic` in hours `from..=to`, in time order.
    pub fn posts(
        &self,
        topic: &str,
        from: Hour,
        to: Hour,
    ) -> impl Iterator<Item = Result<PostRecord, StoreError>> + '_ {
        let (start, end) = posts::range(topic, from, to);
        self.db.range(start..end).map(move |item| {
            let (_, value) = item.map_err(|e| self.sled_err(e))?;
            serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                what: format!("post record: {e}"),
            })
        })
    }

    /// The first and last hour with a counter for `topic`.
    pub fn topic_span(&self, topic: &str) -> Result<Option<(Hour, Hour)>, StoreError> {
        let prefix = keys::day_rollup_prefix(topic);
        let first = self
            .db
            .scan_prefix(&prefix)
            .next()
            .transpose()
            .map_err(|e| self.sled_err(e))?;
        let last = self
            .db
            .scan_prefix(&prefix)
            .next_back()
            .transpose()
            .map_err(|e| self.sled_err(e))?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(None);
        };
        let hour = |(key, value): &(sled::IVec, sled::IVec),
                    pick: fn(&DayCounters) -> Option<usize>| {
            let corrupt = |what: &str| rows::corrupt(&self.path, what.to_string());
            let day = keys::parse_day_rollup_key(key, prefix.len())
                .ok_or_else(|| corrupt("counter key"))?;
            pick(&rows::decode_day(&self.path, key, value)?)
                .and_then(|h| keys::hour_in_day(day, h))
                .ok_or_else(|| corrupt("counter value past the last hour"))
        };
        Ok(Some((
            hour(&first, DayCounters::first_hour)?,
            hour(&last, DayCounters::last_hour)?,
        )))
    }

    /// The topics that have counters, in name order.
    pub fn stored_topics(&self) -> Result<Vec<String>, StoreError> {
        let mut topics = Vec::new();
        let mut from = vec![keys::DAY_ROLLUP];
        loop {
            let next = self
                .db
                .range(from.clone()..vec![keys::DAY_ROLLUP + 1])
                .next()
                .transpose()
                .map_err(|e| self.sled_err(e))?;
            let Some((key, _)) = next else { break };
            let name_end = key[1..]
                .iter()
                .position(|&b| b == 0)
                .map(|p| p + 1)
                .unwrap_or(key.len());
            topics.push(String::from_utf8_lossy(&key[1..name_end]).into_owned());
            // Skip past every key of this topic: `a ‖ topic ‖ 0x01`.
            from = key[..name_end].to_vec();
            from.push(1);
        }
        Ok(topics)
    }
}

/// sled's own Display shows an I/O error in its debug form
/// (`Os { code: 28, … }`); people want "No space left on device".
fn describe(e: &sled::Error) -> String {
    match e {
        sled::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

fn classify_open_error(path: &Path, source: sled::Error) -> StoreError {
    // sled reports a held file lock as an I/O error from flock.
    let locked = match &source {
        sled::Error::Io(e) => {
            e.kind() == std::io::ErrorKind::WouldBlock
                || e.raw_os_error() == Some(11)
                || e.to_string().contains("lock")
        }
        _ => false,
    };
    if locked {
        StoreError::Locked {
            path: path.to_path_buf(),
        }
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            cause: source,
        }
    }
}

#[cfg(test)]
mod tests;

//! The embedded store: per-hour counters and the posts already counted.
//!
//! A curve is evidence, so the store's one promise is that every post is
//! counted exactly once: across files, across runs, and across a crash in the
//! middle of an import. Each commit is one atomic sled batch holding the
//! counter updates, the dedup entries of the posts behind them and the resume
//! point of the input, so a crash leaves either all of a commit or none of it.
//! Only posts that mention a topic are remembered; the rest of an archive
//! leaves no trace, which keeps the store small.

mod counter;
pub mod keys;
pub mod posts;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use counter::Counter;
use keys::Hour;
pub use posts::PostRecord;

/// Bumped whenever the key layout or a value encoding changes.
pub const SCHEMA_VERSION: u32 = 1;
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
    counters: HashMap<Vec<u8>, Counter>,
    seen: HashSet<Vec<u8>>,
    other: Vec<(Vec<u8>, Vec<u8>)>,
    imports_finished: u64,
}

impl PendingCommit {
    pub fn add_counter(&mut self, topic: &str, hour: Hour, region: &str, delta: &Counter) {
        self.counters
            .entry(keys::counter_key(topic, hour, region))
            .or_default()
            .add(delta);
    }

    /// Remembers a post as counted; `false` when this commit already has it.
    pub fn mark_seen(&mut self, source: &str, id: &str) -> bool {
        self.seen.insert(keys::seen_key(source, id))
    }

    pub fn contains_seen(&self, source: &str, id: &str) -> bool {
        self.seen.contains(&keys::seen_key(source, id))
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
        self.counters.is_empty() && self.seen.is_empty() && self.other.is_empty()
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
        // value and writing the sum cannot race another process.
        for (key, delta) in &pending.counters {
            let mut total = match self.db.get(key).map_err(|e| self.sled_err(e))? {
                Some(v) => Counter::decode(&v).ok_or_else(|| StoreError::Corrupt {
                    path: self.path.clone(),
                    what: format!("counter value of {} bytes", v.len()),
                })?,
                None => Counter::default(),
            };
            total.add(delta);
            batch.insert(key.as_slice(), &total.encode()[..]);
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
    /// entry per (hour, region).
    pub fn counters(
        &self,
        topic: &str,
        from: Hour,
        to: Hour,
    ) -> impl Iterator<Item = Result<(Hour, String, Counter), StoreError>> + '_ {
        let prefix_len = keys::counter_prefix(topic).len();
        let start = keys::counter_key(topic, from, "");
        let mut end = keys::counter_prefix(topic);
        match to.checked_add(1) {
            Some(next) => end.extend_from_slice(&next.to_be_bytes()),
            None => *end.last_mut().unwrap_or(&mut 0) = 1,
        }
        self.db.range(start..end).map(move |item| {
            let (key, value) = item.map_err(|e| self.sled_err(e))?;
            let corrupt = |what: &str| StoreError::Corrupt {
                path: self.path.clone(),
                what: what.to_string(),
            };
            let (hour, region) =
                keys::parse_counter_key(&key, prefix_len).ok_or_else(|| corrupt("counter key"))?;
            let counter = Counter::decode(&value).ok_or_else(|| corrupt("counter value"))?;
            Ok((hour, region.to_string(), counter))
        })
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
        let prefix = keys::counter_prefix(topic);
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
        let hour = |k: &[u8]| keys::parse_counter_key(k, prefix.len()).map(|(h, _)| h);
        Ok(match (first, last) {
            (Some((a, _)), Some((b, _))) => hour(&a).zip(hour(&b)),
            _ => None,
        })
    }

    /// The topics that have counters, in name order.
    pub fn stored_topics(&self) -> Result<Vec<String>, StoreError> {
        let mut topics = Vec::new();
        let mut from = vec![keys::COUNTER];
        loop {
            let next = self
                .db
                .range(from.clone()..vec![keys::COUNTER + 1])
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
            // Skip past every key of this topic: `c ‖ topic ‖ 0x01`.
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
mod tests {
    use super::*;

    fn one(posts: u64, complaints: u64) -> Counter {
        Counter {
            posts,
            complaints,
            ..Counter::default()
        }
    }

    #[test]
    fn commits_add_up_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let store = Store::open(&path).unwrap();
            let mut c = PendingCommit::default();
            c.add_counter("netflix", 100, "US", &one(2, 1));
            c.add_counter("netflix", 100, "US", &one(1, 1));
            c.add_counter("netflix", 101, "BR", &one(5, 0));
            assert!(c.mark_seen("twitter", "1"));
            assert!(!c.mark_seen("twitter", "1"));
            store.commit(c).unwrap();
            let mut c = PendingCommit::default();
            c.add_counter("netflix", 100, "US", &one(1, 0));
            c.add_counter("hulu", 50, "US", &one(1, 0));
            store.commit(c).unwrap();
            store.flush().unwrap();
        }
        let store = Store::open(&path).unwrap();
        let rows: Vec<_> = store
            .counters("netflix", 0, Hour::MAX)
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            rows,
            vec![
                (100, "US".to_string(), one(4, 2)),
                (101, "BR".to_string(), one(5, 0))
            ]
        );
        assert_eq!(store.counters("netflix", 101, 101).count(), 1);
        assert_eq!(store.topic_span("netflix").unwrap(), Some((100, 101)));
        assert_eq!(store.topic_span("hbo").unwrap(), None);
        assert_eq!(store.stored_topics().unwrap(), vec!["hulu", "netflix"]);
        assert!(store.is_seen("twitter", "1").unwrap());
        assert!(!store.is_seen("twitter", "2").unwrap());
        assert_eq!(store.totals().unwrap().posts_remembered, 1);
    }

    #[test]
    fn a_second_process_gets_a_clear_lock_error() {
        // sled's lock is per process, so the second opener is a child process
        // in the integration tests; here we check the message's wording.
        let e = StoreError::Locked {
            path: PathBuf::from("x.db"),
        };
        assert!(e
            .to_string()
            .contains("x.db is in use by another outcry process"));
    }

    #[test]
    fn a_store_of_another_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let db = sled::open(&path).unwrap();
            db.open_tree("meta")
                .unwrap()
                .insert(SCHEMA_KEY, &99u32.to_be_bytes())
                .unwrap();
            db.flush().unwrap();
        }
        match Store::open(&path) {
            Err(StoreError::Schema {
                found: 99,
                expected: SCHEMA_VERSION,
                ..
            }) => {}
            other => panic!("expected a schema error, got {:?}", other.err()),
        }
    }
}

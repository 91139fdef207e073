//! Answers and detection results kept until the store changes.
//!
//! Detection over a year of hours, and the per-region baselines behind a
//! spread, cost far more than reading the store; a dashboard asks the same
//! questions again on every refresh and every click. The store's totals
//! (posts remembered, imports finished) grow with every commit that adds
//! counts — import and the pollers both remember each post they count — so
//! they serve as its version: when they change, everything kept is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;

use crate::detect::TopicReport;
use crate::store::{Store, StoreError, Totals};

/// Kept answers are dropped together past either bound (a year's hourly
/// curve is under 2 MB of JSON).
const MAX_ANSWERS: usize = 128;
const MAX_BYTES: usize = 64 << 20;

type Slot = Arc<Mutex<Option<Arc<TopicReport>>>>;

#[derive(Default)]
struct Inner {
    version: Option<Totals>,
    answers: HashMap<String, Bytes>,
    bytes: usize,
    reports: HashMap<String, Slot>,
}

#[derive(Default)]
pub struct Cache {
    inner: Mutex<Inner>,
}

impl Cache {
    /// Forgets everything if the store has changed since last asked; the
    /// version seen, for [`Cache::keep_answer`].
    pub fn check(&self, store: &Store) -> Result<Totals, StoreError> {
        let now = store.totals()?;
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.version != Some(now) {
            *inner = Inner {
                version: Some(now),
                ..Inner::default()
            };
        }
        Ok(now)
    }

    pub fn answer(&self, key: &str) -> Option<Bytes> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.answers.get(key).cloned()
    }

    /// Keeps an answer computed after `check` returned `version`, unless the
    /// store has changed since: it may describe the store before the change.
    pub fn keep_answer(&self, key: String, body: Bytes, version: Totals) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.version != Some(version) {
            return;
        }
        if inner.answers.len() >= MAX_ANSWERS || inner.bytes + body.len() > MAX_BYTES {
            inner.answers.clear();
            inner.bytes = 0;
        }
        inner.bytes += body.len();
        inner.answers.insert(key, body);
    }

    /// The topic's detection report, computed once per store version even
    /// when several requests ask at the same moment (the first computes,
    /// the others wait for it).
    pub fn report<E>(
        &self,
        topic: &str,
        compute: impl FnOnce() -> Result<TopicReport, E>,
    ) -> Result<Arc<TopicReport>, E> {
        let slot: Slot = {
            let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            inner.reports.entry(topic.to_string()).or_default().clone()
        };
        let mut report = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(r) = report.as_ref() {
            return Ok(Arc::clone(r));
        }
        let fresh = Arc::new(compute()?);
        *report = Some(Arc::clone(&fresh));
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::TopicCounts;
    use crate::store::{Counter, PendingCommit};

    fn empty_report() -> TopicReport {
        TopicReport {
            counts: TopicCounts::from_series("netflix", 0, vec![]),
            hours: vec![],
            incidents: vec![],
        }
    }

    #[test]
    fn a_commit_to_the_store_empties_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let cache = Cache::default();
        let v1 = cache.check(&store).unwrap();
        cache.keep_answer("a".into(), Bytes::from_static(b"1"), v1);
        let mut computed = 0;
        for _ in 0..2 {
            cache
                .report::<()>("netflix", || {
                    computed += 1;
                    Ok(empty_report())
                })
                .unwrap();
        }
        assert_eq!(computed, 1);
        cache.check(&store).unwrap();
        assert_eq!(cache.answer("a").as_deref(), Some(&b"1"[..]));

        let mut c = PendingCommit::default();
        c.add_counter("netflix", 5, "US", &Counter::default());
        c.mark_seen("twitter", "1");
        store.commit(c).unwrap();
        let v2 = cache.check(&store).unwrap();
        assert_eq!(cache.answer("a"), None);
        // An answer begun before the change is not kept after it.
        cache.keep_answer("b".into(), Bytes::from_static(b"2"), v1);
        assert_eq!(cache.answer("b"), None);
        cache.keep_answer("b".into(), Bytes::from_static(b"2"), v2);
        assert!(cache.answer("b").is_some());
        cache
            .report::<()>("netflix", || {
                computed += 1;
                Ok(empty_report())
            })
            .unwrap();
        assert_eq!(computed, 2);
    }

    #[test]
    fn answers_past_the_bound_start_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let cache = Cache::default();
        let v = cache.check(&store).unwrap();
        for i in 0..MAX_ANSWERS + 1 {
            cache.keep_answer(i.to_string(), Bytes::from_static(b"x"), v);
        }
        assert_eq!(cache.answer("0"), None);
        assert!(cache.answer(&MAX_ANSWERS.to_string()).is_some());
    }
}

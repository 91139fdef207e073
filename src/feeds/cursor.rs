//! Where each feed left off, kept in the store as a checkpoint.
//!
//! A feed's cursor (the newest id or time it has stored) is written in the
//! same atomic commit as the posts it covers, so after a crash the store
//! holds either both or neither: the next run starts exactly where the last
//! stored page ended. Values are small JSON documents so a cursor's shape can
//! grow without a migration; one that cannot be read is treated as absent
//! (the feed starts afresh and the dedup entries keep the counts exact).

use std::cmp::Ordering;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::store::{Store, StoreError};

/// The checkpoint name of a feed: `feed:<kind>:<what>`, distinct from the
/// `file:` checkpoints of imports.
pub fn name(kind: &str, what: &str) -> String {
    format!("feed:{kind}:{what}")
}

pub fn load<T: DeserializeOwned>(store: &Store, name: &str) -> Result<Option<T>, StoreError> {
    Ok(store
        .checkpoint(name)?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Cursors are plain structs of strings and numbers: cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Orders opaque ids that grow over time (Mastodon's): a longer id is newer,
/// and ids of one length compare as text. Never parsed as numbers, since an
/// instance may use any string.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The newest of some ids.
pub fn newest_id<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ids.into_iter().max_by(|a, b| compare_ids(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_by_length_then_text() {
        assert_eq!(compare_ids("99", "100"), Ordering::Less);
        assert_eq!(compare_ids("109", "110"), Ordering::Less);
        assert_eq!(compare_ids("abc", "abd"), Ordering::Less);
        assert_eq!(compare_ids("7", "7"), Ordering::Equal);
        assert_eq!(
            newest_id(["109372", "99999", "109400", "10940"]),
            Some("109400")
        );
        assert_eq!(newest_id(Vec::<&str>::new()), None);
    }

    #[test]
    fn cursors_round_trip_through_the_store() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct C {
            min_id: String,
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let n = name("mastodon", "https://m.example/tags/netflix");
        assert_eq!(n, "feed:mastodon:https://m.example/tags/netflix");
        assert_eq!(load::<C>(&store, &n).unwrap(), None);
        let mut c = crate::store::PendingCommit::default();
        c.set_checkpoint(
            &n,
            encode(&C {
                min_id: "42".into(),
            }),
        );
        store.commit(c).unwrap();
        assert_eq!(
            load::<C>(&store, &n).unwrap(),
            Some(C {
                min_id: "42".into()
            })
        );
        let mut c = crate::store::PendingCommit::default();
        c.set_checkpoint(&n, b"not json".to_vec());
        store.commit(c).unwrap();
        assert_eq!(load::<C>(&store, &n).unwrap(), None);
    }
}

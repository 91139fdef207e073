//! Tests of the store as a whole: commits, reopening, the day layout read
//! back as hourly rows, and damaged or foreign entries.

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

#[test]
fn a_schema_1_store_is_refused_with_the_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert(SCHEMA_KEY, &1u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let e = Store::open(&path).err().unwrap();
    assert!(matches!(
        e,
        StoreError::Schema {
            found: 1,
            expected: 2,
            ..
        }
    ));
    assert!(e
        .to_string()
        .contains("has schema version 1, this outcry reads version 2"));
}

/// 2012-12-24T00:00Z, hour 376,752: the first hour of day 15,698.
const EVE: Hour = 376_752;

fn store_with(rows: &[(Hour, &str, u64)]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let mut c = PendingCommit::default();
    for &(hour, region, n) in rows {
        c.add_counter("netflix", hour, region, &one(n, n / 2));
    }
    store.commit(c).unwrap();
    (dir, store)
}

#[test]
fn rows_come_out_by_hour_then_region_across_days() {
    // Two days, written out of order. Day one's values come out BR then US,
    // each holding hours 20 and 23; the rows must still go hour by hour:
    // BR 20, US 20, BR 23, US 23.
    let (_d, store) = store_with(&[
        (EVE + 23, "US", 1),
        (EVE + 20, "US", 3),
        (EVE + 20, "BR", 2),
        (EVE + 24, "CA", 4),
        (EVE + 47, "AR", 5),
        (EVE + 23, "BR", 6),
    ]);
    let rows: Vec<_> = store
        .counters("netflix", 0, Hour::MAX)
        .map(|r| r.map(|(h, region, c)| (h - EVE, region, c.posts)).unwrap())
        .collect();
    let want = [
        (20, "BR", 2),
        (20, "US", 3),
        (23, "BR", 6),
        (23, "US", 1),
        (24, "CA", 4),
        (47, "AR", 5),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(h, r, n)| (h, r.to_string(), n))
        .collect();
    assert_eq!(rows, want);
    // A range that starts and ends inside a day keeps only its hours.
    let clipped: Vec<_> = store
        .counters("netflix", EVE + 21, EVE + 24)
        .map(|r| r.map(|(h, region, _)| (h - EVE, region)).unwrap())
        .collect();
    assert_eq!(
        clipped,
        vec![
            (23, "BR".to_string()),
            (23, "US".to_string()),
            (24, "CA".to_string())
        ]
    );
    let br: Vec<_> = store
        .region_counters("netflix", "br", 0, Hour::MAX)
        .map(|r| r.map(|(h, region, c)| (h - EVE, region, c.posts)).unwrap())
        .collect();
    assert_eq!(
        br,
        vec![(20, "BR".to_string(), 2), (23, "BR".to_string(), 6)]
    );
    assert_eq!(
        store.region_counters("netflix", "FR", 0, Hour::MAX).count(),
        0
    );
    assert_eq!(store.counters("netflix", EVE + 30, EVE + 29).count(), 0);
    assert_eq!(
        store.topic_span("netflix").unwrap(),
        Some((EVE + 20, EVE + 47))
    );
}

#[test]
fn the_all_regions_rollup_is_the_sum_of_the_regions() {
    let (_d, store) = store_with(&[
        (EVE + 20, "US", 3),
        (EVE + 20, "BR", 2),
        (EVE + 21, "BR", 7),
        (EVE + 30, "unknown", 1),
    ]);
    let mut c = PendingCommit::default();
    c.add_counter("netflix", EVE + 20, "MX", &one(4, 4));
    store.commit(c).unwrap();
    let all: Vec<_> = store
        .counters_all_regions("netflix", 0, Hour::MAX)
        .map(|r| r.map(|(h, c)| (h - EVE, c)).unwrap())
        .collect();
    // Hour 20: 3 + 2 + 4 posts, complaints 1 + 1 + 4.
    assert_eq!(all, vec![(20, one(9, 6)), (21, one(7, 3)), (30, one(1, 0))]);
    let mut summed = std::collections::BTreeMap::<Hour, Counter>::new();
    for row in store.counters("netflix", 0, Hour::MAX) {
        let (h, _, c) = row.unwrap();
        summed.entry(h - EVE).or_default().add(&c);
    }
    assert_eq!(summed.into_iter().collect::<Vec<_>>(), all);
    let late: Vec<_> = store
        .counters_all_regions("netflix", EVE + 21, EVE + 29)
        .map(|r| r.unwrap().0 - EVE)
        .collect();
    assert_eq!(late, vec![21]);
}

#[test]
fn a_key_of_the_old_layout_is_not_read() {
    let (_d, store) = store_with(&[(EVE + 20, "US", 3)]);
    // Schema 1's `c ‖ topic ‖ 0x00 ‖ hour ‖ region` with its 48 bytes.
    let mut old = vec![keys::OLD_HOURLY_COUNTER];
    old.extend_from_slice(b"hbo\0");
    old.extend_from_slice(&(EVE + 1).to_be_bytes());
    old.extend_from_slice(b"US");
    store.db.insert(old, &[1u8; 48][..]).unwrap();
    assert_eq!(store.stored_topics().unwrap(), vec!["netflix"]);
    assert_eq!(store.topic_span("hbo").unwrap(), None);
    assert_eq!(store.counters("hbo", 0, Hour::MAX).count(), 0);
    assert_eq!(
        store.topic_span("netflix").unwrap(),
        Some((EVE + 20, EVE + 20))
    );
}

#[test]
fn a_damaged_day_is_an_error_when_read_or_added_to() {
    let (_d, store) = store_with(&[(EVE + 20, "US", 3), (EVE + 20, "BR", 1)]);
    store
        .db
        .insert(
            keys::day_counter_key("netflix", 15_698, "US"),
            &[1u8, 0, 0][..],
        )
        .unwrap();
    let rows: Vec<_> = store.counters("netflix", 0, Hour::MAX).collect();
    assert_eq!(rows.len(), 1);
    assert!(
        matches!(&rows[0], Err(StoreError::Corrupt { what, .. }) if what.contains("ends in the middle"))
    );
    let mut c = PendingCommit::default();
    c.add_counter("netflix", EVE + 2, "US", &one(1, 1));
    assert!(matches!(store.commit(c), Err(StoreError::Corrupt { .. })));
    // The failed commit wrote nothing, the rollup included.
    let all: Vec<_> = store
        .counters_all_regions("netflix", 0, Hour::MAX)
        .map(Result::unwrap)
        .collect();
    assert_eq!(all, vec![(EVE + 20, one(4, 1))]);
    store
        .db
        .insert(keys::day_rollup_key("netflix", 15_698), &b"garbage"[..])
        .unwrap();
    assert!(store.topic_span("netflix").is_err());
    assert!(store
        .counters_all_regions("netflix", 0, Hour::MAX)
        .any(|r| r.is_err()));
}

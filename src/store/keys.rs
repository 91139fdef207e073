//! Key layout of the store.
//!
//! Everything that must change together (counters, the posts already
//! counted, resume points) lives in one sled tree under a one-byte prefix, so
//! a single atomic batch can carry a whole commit: sled batches do not span
//! trees.
//!
//! Counters are kept a day to a value (see `day.rs` for the bytes):
//!
//! - `d ‖ topic ‖ 0x00 ‖ day ‖ region`: one region's 24 hours of a day;
//! - `a ‖ topic ‖ 0x00 ‖ day`: the same summed over every region, written
//!   in the same batch as the region values it sums, so it always agrees
//!   with them.
//!
//! The day is a big-endian count of days since 1970, so one ordered range
//! scan yields a topic's days in time order, and within a day its regions in
//! name order. Why days and a rollup: schema 1 kept one key per (topic, hour,
//! region), 5.3 million keys for a year of 20 topics and 30 regions. sled
//! splits a leaf at 16 entries and loads a page-table entry per page when it
//! opens, so opening that store cost ~190 ms of CPU, closing it ~90 ms, and
//! a topic's curve scanned 262,800 keys (~170 ms). Per-day keys make it
//! 219,000 plus 7,300 rollups, a ninth of the bytes on disk, and a topic's
//! all-regions curve for a year reads 365 small values.
//!
//! The prefixes differ from schema 1's `c`, so even a stray old key is never
//! read as a new one (an old store is refused by its schema version first).

use chrono::{DateTime, TimeZone, Utc};

/// Schema 1's hourly counters; kept only so that nothing reuses the byte.
pub const OLD_HOURLY_COUNTER: u8 = b'c';
pub const DAY_COUNTER: u8 = b'd';
pub const DAY_ROLLUP: u8 = b'a';
pub const SEEN: u8 = b's';
pub const CHECKPOINT: u8 = b'k';
pub const POST: u8 = b'p';

/// Hours since the Unix epoch: the store's unit of time.
pub type Hour = u32;

/// Days since the Unix epoch: the unit counters are stored in.
pub type Day = u32;

pub fn hour_of(t: DateTime<Utc>) -> Hour {
    // Posts before 1970 or after year 490,000 are rejected by the readers;
    // clamping keeps this total anyway.
    t.timestamp().div_euclid(3600).clamp(0, Hour::MAX as i64) as Hour
}

pub fn hour_start(h: Hour) -> DateTime<Utc> {
    Utc.timestamp_opt(h as i64 * 3600, 0)
        .single()
        .unwrap_or_default()
}

pub fn day_of(h: Hour) -> Day {
    h / 24
}

/// Hour `hour_of_day` of `day`; `None` past the last representable hour.
pub fn hour_in_day(day: Day, hour_of_day: usize) -> Option<Hour> {
    (hour_of_day < 24)
        .then(|| Hour::try_from(u64::from(day) * 24 + hour_of_day as u64).ok())
        .flatten()
}

fn topic_prefix(kind: u8, topic: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(topic.len() + 10);
    put_topic_prefix(&mut k, kind, topic);
    k
}

fn put_topic_prefix(out: &mut Vec<u8>, kind: u8, topic: &str) {
    out.push(kind);
    out.extend_from_slice(topic.as_bytes());
    out.push(0);
}

/// The prefix of every per-region day key of `topic`.
pub fn day_counter_prefix(topic: &str) -> Vec<u8> {
    topic_prefix(DAY_COUNTER, topic)
}

pub fn day_counter_key(topic: &str, day: Day, region: &str) -> Vec<u8> {
    let mut k = Vec::new();
    put_day_counter_key(&mut k, topic, day, region);
    k
}

/// Writes [`day_counter_key`] into `out` (cleared first), for callers that
/// reuse one buffer.
pub fn put_day_counter_key(out: &mut Vec<u8>, topic: &str, day: Day, region: &str) {
    out.clear();
    put_topic_prefix(out, DAY_COUNTER, topic);
    out.extend_from_slice(&day.to_be_bytes());
    out.extend_from_slice(region.as_bytes());
}

/// Splits a per-region day key into (day, region); `None` for keys of another
/// shape.
pub fn parse_day_counter_key(key: &[u8], prefix_len: usize) -> Option<(Day, &str)> {
    let rest = key.get(prefix_len..)?;
    let day = Day::from_be_bytes(rest.get(..4)?.try_into().ok()?);
    let region = std::str::from_utf8(rest.get(4..)?).ok()?;
    Some((day, region))
}

/// The prefix of every all-regions day key of `topic`.
pub fn day_rollup_prefix(topic: &str) -> Vec<u8> {
    topic_prefix(DAY_ROLLUP, topic)
}

pub fn day_rollup_key(topic: &str, day: Day) -> Vec<u8> {
    let mut k = Vec::new();
    put_day_rollup_key(&mut k, topic, day);
    k
}

/// Writes [`day_rollup_key`] into `out` (cleared first).
pub fn put_day_rollup_key(out: &mut Vec<u8>, topic: &str, day: Day) {
    out.clear();
    put_topic_prefix(out, DAY_ROLLUP, topic);
    out.extend_from_slice(&day.to_be_bytes());
}

/// The day of an all-regions key; `None` for keys of another shape.
pub fn parse_day_rollup_key(key: &[u8], prefix_len: usize) -> Option<Day> {
    let rest = key.get(prefix_len..)?;
    (rest.len() == 4).then(|| Day::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]))
}

/// The keys from `prefix ‖ from` up to, not including, `prefix ‖ to + 1`:
/// every key of the days `from..=to` under `prefix`, whatever follows the
/// day.
pub fn day_range(prefix: &[u8], from: Day, to: Day) -> (Vec<u8>, Vec<u8>) {
    numbered_range(prefix, from, to)
}

/// The keys under `prefix` whose next four bytes, big-endian, are a number
/// in `from..=to` (an hour or a day), whatever follows it.
pub fn numbered_range(prefix: &[u8], from: u32, to: u32) -> (Vec<u8>, Vec<u8>) {
    let mut start = prefix.to_vec();
    start.extend_from_slice(&from.to_be_bytes());
    let mut end = prefix.to_vec();
    match to.checked_add(1) {
        Some(next) => end.extend_from_slice(&next.to_be_bytes()),
        // Past the topic's 0x00 separator: the end of all its keys.
        None => {
            end.pop();
            end.push(1);
        }
    }
    (start, end)
}

/// A day key as a person reads it (`netflix 2012-12-24 US`, `netflix
/// 2012-12-24 all regions`), for error messages; other bytes are escaped.
pub fn describe_day_key(key: &[u8]) -> String {
    let parsed = key.split_first().and_then(|(&kind, rest)| {
        let name_end = rest.iter().position(|&b| b == 0)?;
        let topic = std::str::from_utf8(&rest[..name_end]).ok()?;
        let prefix_len = name_end + 2;
        let (day, region) = match kind {
            DAY_COUNTER => parse_day_counter_key(key, prefix_len)?,
            DAY_ROLLUP => (parse_day_rollup_key(key, prefix_len)?, "all regions"),
            _ => return None,
        };
        let date = hour_in_day(day, 0).map(|h| hour_start(h).format("%Y-%m-%d").to_string())?;
        Some(format!("{topic} {date} {region}"))
    });
    parsed.unwrap_or_else(|| key.escape_ascii().to_string())
}

pub fn seen_key(source: &str, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(source.len() + id.len() + 2);
    k.push(SEEN);
    k.extend_from_slice(source.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

pub fn checkpoint_key(name: &str) -> Vec<u8> {
    let mut k = vec![CHECKPOINT];
    k.extend_from_slice(name.as_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_keys_sort_by_topic_then_day_then_region() {
        let a = day_counter_key("netflix", 10, "US");
        let b = day_counter_key("netflix", 11, "BR");
        let c = day_counter_key("netflixx", 0, "US");
        let d = day_counter_key("netflix", 256, "AR");
        let e = day_counter_key("netflix", 256, "BR");
        assert!(a < b && b < d && d < e);
        // The 0x00 separator keeps one topic's keys apart from a longer name's.
        assert!(e < c);
        let n = day_counter_prefix("netflix").len();
        assert_eq!(parse_day_counter_key(&d, n), Some((256, "AR")));
        assert_eq!(parse_day_counter_key(&d[..n + 3], n), None);
        let r = day_rollup_key("netflix", 256);
        assert_eq!(parse_day_rollup_key(&r, n), Some(256));
        assert_eq!(parse_day_rollup_key(&d, n), None);
        let (start, end) = day_range(&day_counter_prefix("netflix"), 11, 256);
        assert!(a < start && start <= b && e < end && end < c);
        let (_, end) = day_range(&day_rollup_prefix("netflix"), 0, Day::MAX);
        assert!(day_rollup_key("netflix", Day::MAX) < end);
        assert!(end < day_rollup_key("netflixx", 0));
    }

    #[test]
    fn an_old_hourly_key_is_outside_every_new_range() {
        // Schema 1: `c ‖ topic ‖ 0x00 ‖ hour ‖ region`.
        let mut old = vec![OLD_HOURLY_COUNTER];
        old.extend_from_slice(b"netflix\0");
        old.extend_from_slice(&368_160u32.to_be_bytes());
        old.extend_from_slice(b"US");
        for prefix in [day_counter_prefix("netflix"), day_rollup_prefix("netflix")] {
            let (start, end) = day_range(&prefix, 0, Day::MAX);
            assert!(!(start..end).contains(&old));
            assert!(!old.starts_with(&prefix));
        }
        assert_eq!(parse_day_counter_key(&old, 0), None);
    }

    #[test]
    fn day_keys_read_as_words_in_errors() {
        assert_eq!(
            describe_day_key(&day_counter_key("netflix", 15_698, "US")),
            "netflix 2012-12-24 US"
        );
        assert_eq!(
            describe_day_key(&day_rollup_key("netflix", 15_698)),
            "netflix 2012-12-24 all regions"
        );
        assert_eq!(describe_day_key(b"c\xff\x00"), "c\\xff\\x00");
        assert_eq!(describe_day_key(b""), "");
    }

    #[test]
    fn hours_fall_in_their_day() {
        // 2012-12-24T20:00Z is hour 376,772 since 1970, day 15,698.
        assert_eq!(day_of(376_772), 15_698);
        assert_eq!(hour_in_day(15_698, 20), Some(376_772));
        assert_eq!(hour_in_day(15_698, 24), None);
        assert_eq!(hour_in_day(day_of(Hour::MAX), 15), Some(Hour::MAX));
        assert_eq!(hour_in_day(day_of(Hour::MAX), 16), None);
    }

    #[test]
    fn hours_round_trip_through_times() {
        let t = Utc.with_ymd_and_hms(2012, 12, 24, 20, 31, 7).unwrap();
        let h = hour_of(t);
        assert_eq!(
            hour_start(h),
            Utc.with_ymd_and_hms(2012, 12, 24, 20, 0, 0).unwrap()
        );
    }
}

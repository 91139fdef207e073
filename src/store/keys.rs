//! Key layout of the store.
//!
//! Everything that must change together (counters, the posts already
//! counted, resume points) lives in one sled tree under a one-byte prefix, so
//! a single atomic batch can carry a whole commit: sled batches do not span
//! trees.
//!
//! Counter keys are `c ‖ topic ‖ 0x00 ‖ hour ‖ region`, with the hour a
//! big-endian count of hours since 1970, so one ordered range scan yields a
//! topic's curve in time order.

use chrono::{DateTime, TimeZone, Utc};

pub const COUNTER: u8 = b'c';
pub const SEEN: u8 = b's';
pub const CHECKPOINT: u8 = b'k';
pub const POST: u8 = b'p';

/// Hours since the Unix epoch: the store's unit of time.
pub type Hour = u32;

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

pub fn counter_prefix(topic: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(topic.len() + 2);
    k.push(COUNTER);
    k.extend_from_slice(topic.as_bytes());
    k.push(0);
    k
}

pub fn counter_key(topic: &str, hour: Hour, region: &str) -> Vec<u8> {
    let mut k = counter_prefix(topic);
    k.extend_from_slice(&hour.to_be_bytes());
    k.extend_from_slice(region.as_bytes());
    k
}

/// Splits a counter key into (hour, region); `None` for keys of another shape.
pub fn parse_counter_key(key: &[u8], prefix_len: usize) -> Option<(Hour, &str)> {
    let rest = key.get(prefix_len..)?;
    let hour = Hour::from_be_bytes(rest.get(..4)?.try_into().ok()?);
    let region = std::str::from_utf8(rest.get(4..)?).ok()?;
    Some((hour, region))
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
    fn counter_keys_sort_by_topic_then_time() {
        let a = counter_key("netflix", 10, "US");
        let b = counter_key("netflix", 11, "BR");
        let c = counter_key("netflixx", 0, "US");
        let d = counter_key("netflix", 256, "AR");
        assert!(a < b && b < d);
        // The 0x00 separator keeps one topic's keys apart from a longer name's.
        assert!(d < c);
        assert_eq!(
            parse_counter_key(&d, counter_prefix("netflix").len()),
            Some((256, "AR"))
        );
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

//! The posts behind a curve, kept so a user can read what people said.
//!
//! Counters say how many; a post-mortem also needs the words. Each post that
//! mentions a topic is kept once per topic it mentions, under
//! `p ‖ topic ‖ 0x00 ‖ hour ‖ source ‖ 0x00 ‖ id`, so the posts of one topic
//! and time range come out of one ordered scan, in time order.

use serde::{Deserialize, Serialize};

use super::keys::{self, Hour};

/// What is kept of a post: the judgement made on it, and (unless the import
/// was told `--no-text`) its text. Short field names keep the store compact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostRecord {
    #[serde(rename = "s")]
    pub source: String,
    #[serde(rename = "i")]
    pub id: String,
    /// Seconds since 1970.
    #[serde(rename = "t")]
    pub time: i64,
    #[serde(rename = "r")]
    pub region: String,
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Compound sentiment in millionths.
    #[serde(rename = "c")]
    pub compound_micros: i32,
    #[serde(rename = "k")]
    pub complaint: bool,
    #[serde(rename = "p", default)]
    pub problem: bool,
    #[serde(rename = "rt", default)]
    pub repost: bool,
    #[serde(rename = "x", default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl PostRecord {
    pub fn compound(&self) -> f64 {
        self.compound_micros as f64 / 1e6
    }
}

pub fn prefix(topic: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(topic.len() + 2);
    k.push(keys::POST);
    k.extend_from_slice(topic.as_bytes());
    k.push(0);
    k
}

pub fn key(topic: &str, hour: Hour, source: &str, id: &str) -> Vec<u8> {
    let mut k = prefix(topic);
    k.extend_from_slice(&hour.to_be_bytes());
    k.extend_from_slice(source.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

/// The range of keys for hours `from..=to` of a topic.
pub fn range(topic: &str, from: Hour, to: Hour) -> (Vec<u8>, Vec<u8>) {
    keys::numbered_range(&prefix(topic), from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_stay_small() {
        let r = PostRecord {
            source: "twitter".into(),
            id: "283306174000000001".into(),
            time: 1_356_381_067,
            region: "US".into(),
            lang: Some("en".into()),
            compound_micros: -512_300,
            complaint: true,
            problem: true,
            repost: false,
            text: Some("netflix is down".into()),
        };
        let bytes = serde_json::to_vec(&r).unwrap();
        assert!(bytes.len() < 140, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(serde_json::from_slice::<PostRecord>(&bytes).unwrap(), r);
        assert!((r.compound() + 0.5123).abs() < 1e-9);
    }

    #[test]
    fn keys_of_a_topic_sort_by_hour() {
        let a = key("netflix", 5, "twitter", "9");
        let b = key("netflix", 6, "twitter", "1");
        let (start, end) = range("netflix", 5, 5);
        assert!(start <= a && a < end && b >= end && a < b);
    }
}

//! A curve as CSV, JSON or an aligned table.

use std::io::{self, Write};

use serde::Serialize;

use super::rfc3339;
use crate::query::Curve;

/// The CSV header; other tools read these columns by name.
pub const CSV_HEADER: [&str; 9] = [
    "start",
    "topic",
    "region",
    "posts",
    "complaints",
    "negative",
    "neutral",
    "positive",
    "mean_sentiment",
];

#[derive(Serialize)]
struct Row<'a> {
    start: String,
    topic: &'a str,
    region: &'a str,
    posts: u64,
    complaints: u64,
    negative: u64,
    neutral: u64,
    positive: u64,
    /// Empty (null in JSON) for a bucket without posts: a mean of nothing is
    /// not zero.
    mean_sentiment: Option<f64>,
}

fn rows(curve: &Curve) -> impl Iterator<Item = Row<'_>> {
    curve.buckets.iter().map(move |b| Row {
        start: rfc3339(b.start),
        topic: &curve.topic,
        region: &curve.region,
        posts: b.counter.posts,
        complaints: b.counter.complaints,
        negative: b.counter.negative,
        neutral: b.counter.neutral,
        positive: b.counter.positive,
        mean_sentiment: b
            .counter
            .mean_sentiment()
            .map(|m| (m * 10_000.0).round() / 10_000.0),
    })
}

pub fn write_csv(curve: &Curve, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for row in rows(curve) {
        w.write_record([
            row.start,
            row.topic.to_string(),
            row.region.to_string(),
            row.posts.to_string(),
            row.complaints.to_string(),
            row.negative.to_string(),
            row.neutral.to_string(),
            row.positive.to_string(),
            row.mean_sentiment
                .map(|m| format!("{m:.4}"))
                .unwrap_or_default(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

pub fn write_json(curve: &Curve, mut out: impl Write) -> io::Result<()> {
    let rows: Vec<Row> = rows(curve).collect();
    serde_json::to_writer_pretty(&mut out, &rows)?;
    writeln!(out)
}

pub fn write_table(curve: &Curve, mut out: impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<20}  {:>7}  {:>10}  {:>8}  {:>7}  {:>8}  {:>9}",
        "start (UTC)", "posts", "complaints", "negative", "neutral", "positive", "sentiment"
    )?;
    for row in rows(curve) {
        let mean = row
            .mean_sentiment
            .map(|m| format!("{m:+.3}"))
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<20}  {:>7}  {:>10}  {:>8}  {:>7}  {:>8}  {:>9}",
            row.start, row.posts, row.complaints, row.negative, row.neutral, row.positive, mean
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Bucket;
    use crate::store::Counter;
    use chrono::{TimeZone, Utc};

    fn sample() -> Curve {
        Curve {
            topic: "netflix".into(),
            region: "all".into(),
            buckets: vec![
                Bucket {
                    start: Utc.with_ymd_and_hms(2012, 12, 24, 20, 0, 0).unwrap(),
                    counter: Counter {
                        posts: 4,
                        complaints: 3,
                        negative: 2,
                        neutral: 1,
                        positive: 1,
                        sentiment_micros: -1_000_000,
                    },
                },
                Bucket {
                    start: Utc.with_ymd_and_hms(2012, 12, 24, 21, 0, 0).unwrap(),
                    counter: Counter::default(),
                },
            ],
        }
    }

    #[test]
    fn csv_has_the_documented_header_and_values() {
        let mut out = Vec::new();
        write_csv(&sample(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "start,topic,region,posts,complaints,negative,neutral,positive,mean_sentiment\n\
             2012-12-24T20:00:00Z,netflix,all,4,3,2,1,1,-0.2500\n\
             2012-12-24T21:00:00Z,netflix,all,0,0,0,0,0,\n"
        );
    }

    #[test]
    fn json_uses_the_same_fields() {
        let mut out = Vec::new();
        write_json(&sample(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["start"], "2012-12-24T20:00:00Z");
        assert_eq!(v[0]["complaints"], 3);
        assert_eq!(v[0]["mean_sentiment"], -0.25);
        assert!(v[1]["mean_sentiment"].is_null());
    }
}

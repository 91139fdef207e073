//! A curve as CSV, JSON or an aligned table.

use std::io::{self, Write};

use serde::Serialize;

use super::{rfc3339, write_json_pretty, JsonArray};
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

/// The columns `--baseline` adds, in this order, after the others.
pub const BAND_HEADER: [&str; 2] = ["baseline", "threshold"];

/// An hour's expected complaints and the count that would make it abnormal
/// (see `detect`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub baseline: f64,
    pub threshold: u64,
}

impl Band {
    /// One band per hourly bucket of `curve`, from the judged hours (both in
    /// time order); `None` where an hour was not judged.
    pub fn for_curve(curve: &Curve, hours: &[crate::detect::HourStat]) -> Vec<Option<Band>> {
        curve
            .buckets
            .iter()
            .map(|b| {
                let h = crate::store::keys::hour_of(b.start);
                hours
                    .binary_search_by_key(&h, |s| s.hour)
                    .ok()
                    .map(|i| Band {
                        baseline: hours[i].expected.mean,
                        threshold: hours[i].threshold,
                    })
            })
            .collect()
    }
}

#[derive(Serialize)]
struct BandCols {
    baseline: Option<f64>,
    threshold: Option<u64>,
}

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
    /// Present only when bands were asked for; null for an hour without one.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    band: Option<BandCols>,
}

/// `bands`, when given, has one entry per bucket.
fn rows<'a>(
    curve: &'a Curve,
    bands: Option<&'a [Option<Band>]>,
) -> impl Iterator<Item = Row<'a>> + 'a {
    curve.buckets.iter().enumerate().map(move |(i, b)| Row {
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
        band: bands.map(|bands| {
            let band = bands.get(i).copied().flatten();
            BandCols {
                baseline: band.map(|b| (b.baseline * 1000.0).round() / 1000.0),
                threshold: band.map(|b| b.threshold),
            }
        }),
    })
}

/// The rows as the JSON array `--format json` writes, the API's `buckets`.
pub fn json_rows<'a>(curve: &'a Curve, bands: Option<&'a [Option<Band>]>) -> impl Serialize + 'a {
    JsonArray(move || rows(curve, bands))
}

pub fn write_csv(curve: &Curve, out: impl Write) -> csv::Result<()> {
    write_csv_with(curve, None, out)
}

/// The CSV, with the `baseline` and `threshold` columns when `bands` is given.
pub fn write_csv_with(
    curve: &Curve,
    bands: Option<&[Option<Band>]>,
    out: impl Write,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = CSV_HEADER.to_vec();
    if bands.is_some() {
        header.extend(BAND_HEADER);
    }
    w.write_record(&header)?;
    for row in rows(curve, bands) {
        let mut record = vec![
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
        ];
        if let Some(band) = row.band {
            record.push(band.baseline.map(|b| format!("{b:.3}")).unwrap_or_default());
            record.push(band.threshold.map(|t| t.to_string()).unwrap_or_default());
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

pub fn write_json(curve: &Curve, out: impl Write) -> io::Result<()> {
    write_json_with(curve, None, out)
}

pub fn write_json_with(
    curve: &Curve,
    bands: Option<&[Option<Band>]>,
    out: impl Write,
) -> io::Result<()> {
    write_json_pretty(&json_rows(curve, bands), out)
}

pub fn write_table(curve: &Curve, out: impl Write) -> io::Result<()> {
    write_table_with(curve, None, out)
}

pub fn write_table_with(
    curve: &Curve,
    bands: Option<&[Option<Band>]>,
    mut out: impl Write,
) -> io::Result<()> {
    let extra = if bands.is_some() {
        format!("  {:>8}  {:>9}", "baseline", "threshold")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{:<20}  {:>7}  {:>10}  {:>8}  {:>7}  {:>8}  {:>9}{extra}",
        "start (UTC)", "posts", "complaints", "negative", "neutral", "positive", "sentiment"
    )?;
    for row in rows(curve, bands) {
        let mean = row
            .mean_sentiment
            .map(|m| format!("{m:+.3}"))
            .unwrap_or_else(|| "-".into());
        let extra = match &row.band {
            Some(b) => format!(
                "  {:>8}  {:>9}",
                b.baseline
                    .map(|x| format!("{x:.2}"))
                    .unwrap_or_else(|| "-".into()),
                b.threshold
                    .map(|x| x.to_string())
                    .unwrap_or_else(|| "-".into())
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "{:<20}  {:>7}  {:>10}  {:>8}  {:>7}  {:>8}  {:>9}{extra}",
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

    #[test]
    fn bands_add_two_columns_only_when_asked() {
        let bands = vec![
            Some(Band {
                baseline: 1.23456,
                threshold: 9,
            }),
            None,
        ];
        let mut out = Vec::new();
        write_csv_with(&sample(), Some(&bands), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "start,topic,region,posts,complaints,negative,neutral,positive,mean_sentiment,baseline,threshold\n\
             2012-12-24T20:00:00Z,netflix,all,4,3,2,1,1,-0.2500,1.235,9\n\
             2012-12-24T21:00:00Z,netflix,all,0,0,0,0,0,,,\n"
        );
        let mut out = Vec::new();
        write_json_with(&sample(), Some(&bands), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["baseline"], 1.235);
        assert_eq!(v[0]["threshold"], 9);
        assert!(v[1]["baseline"].is_null());
        let mut out = Vec::new();
        write_json(&sample(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(v[0].get("baseline").is_none());
    }
}

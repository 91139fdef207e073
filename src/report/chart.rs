//! A complaint curve drawn in the terminal.
//!
//! The point is to see an outage at a glance after an import, without
//! leaving the shell: a bar chart of complaints per bucket, squeezed so that
//! a week of hours fits an ordinary terminal by joining neighbouring hours
//! into one column (the column shows their sum, and the title says so).

use std::io::{self, Write};

use chrono::{Datelike, Timelike};

use super::rfc3339;
use crate::query::Curve;

const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const HEIGHT: usize = 10;

/// Draws complaints per bucket in at most `width` columns (the axis labels
/// take a few more).
pub fn draw(curve: &Curve, width: usize, mut out: impl Write) -> io::Result<()> {
    if curve.buckets.is_empty() {
        return writeln!(out, "no posts stored for topic {:?}", curve.topic);
    }
    // A flat chart with a "peak" of 0 would look like a drawing of
    // something; the topic may well hold posts outside this range, so say
    // that the range holds none, not the store.
    if curve.buckets.iter().all(|b| b.counter.posts == 0) {
        return writeln!(
            out,
            "no {:?} posts in region {} from {} to {}",
            curve.topic,
            curve.region,
            rfc3339(curve.buckets[0].start),
            rfc3339(curve.buckets[curve.buckets.len() - 1].start),
        );
    }
    let width = width.max(10);
    let per_column = curve.buckets.len().div_ceil(width);
    let columns: Vec<u64> = curve
        .buckets
        .chunks(per_column)
        .map(|c| c.iter().map(|b| b.counter.complaints).sum())
        .collect();
    let hours_per_bucket = if curve.buckets.len() > 1 {
        (curve.buckets[1].start - curve.buckets[0].start)
            .num_hours()
            .max(1) as usize
    } else {
        1
    };
    let max = columns.iter().copied().max().unwrap_or(0);
    let unit = if hours_per_bucket == 24 {
        "day"
    } else {
        "hour"
    };
    let span = per_column * hours_per_bucket;
    let grouping = if per_column == 1 {
        format!("one column per {unit}")
    } else {
        format!("one column per {span} hours")
    };
    writeln!(
        out,
        "{} complaints, region {} ({grouping}, UTC)",
        curve.topic, curve.region
    )?;
    let label_width = max.to_string().len();
    for row in (0..HEIGHT).rev() {
        let label = if row == HEIGHT - 1 {
            max.to_string()
        } else if row == 0 {
            "0".to_string()
        } else {
            String::new()
        };
        let mut line = format!("{label:>label_width$} │");
        for &value in &columns {
            // Eighths of a row, so small columns still show.
            let eighths = if max == 0 {
                0
            } else {
                (value * (HEIGHT as u64) * 8).div_ceil(max)
            };
            let filled = eighths.saturating_sub(row as u64 * 8).min(8) as usize;
            line.push(BLOCKS[filled]);
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    // Mark midnights (UTC) under the columns that contain them.
    let mut axis = String::new();
    let mut labels = String::new();
    for (i, chunk) in curve.buckets.chunks(per_column).enumerate() {
        let midnight = chunk.iter().any(|b| b.start.hour() == 0);
        axis.push(if midnight { '┬' } else { '─' });
        if midnight && labels.chars().count() <= i {
            let day = chunk
                .iter()
                .find(|b| b.start.hour() == 0)
                .map(|b| b.start)
                .unwrap_or(chunk[0].start);
            while labels.chars().count() < i {
                labels.push(' ');
            }
            labels.push_str(&format!("{:02}-{:02} ", day.month(), day.day()));
        }
    }
    writeln!(out, "{:>label_width$} └{axis}", "")?;
    writeln!(out, "{:>label_width$}  {}", "", labels.trim_end())?;
    if let Some(peak) = curve.buckets.iter().max_by_key(|b| b.counter.complaints) {
        let total: u64 = curve.buckets.iter().map(|b| b.counter.complaints).sum();
        writeln!(
            out,
            "peak {unit}: {} with {} complaints; {} complaints from {} to {}",
            rfc3339(peak.start),
            peak.counter.complaints,
            total,
            rfc3339(curve.buckets[0].start),
            rfc3339(curve.buckets[curve.buckets.len() - 1].start),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Bucket;
    use crate::store::Counter;
    use chrono::{Duration, TimeZone, Utc};

    fn curve(values: &[u64]) -> Curve {
        let t0 = Utc.with_ymd_and_hms(2012, 12, 24, 22, 0, 0).unwrap();
        Curve {
            topic: "netflix".into(),
            region: "all".into(),
            buckets: values
                .iter()
                .enumerate()
                .map(|(i, &v)| Bucket {
                    start: t0 + Duration::hours(i as i64),
                    counter: Counter {
                        posts: v,
                        complaints: v,
                        ..Counter::default()
                    },
                })
                .collect(),
        }
    }

    fn drawn(c: &Curve, width: usize) -> Vec<String> {
        let mut out = Vec::new();
        draw(c, width, &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_tallest_column_fills_the_chart_and_zero_stays_empty() {
        let lines = drawn(&curve(&[0, 5, 10]), 80);
        assert_eq!(
            lines[0],
            "netflix complaints, region all (one column per hour, UTC)"
        );
        assert_eq!(lines[1], "10 │  █");
        assert_eq!(lines[5], "   │  █");
        assert_eq!(lines[6], "   │ ██");
        assert_eq!(lines[10], " 0 │ ██");
        // Midnight of the 25th is the third column.
        assert_eq!(lines[11], "   └──┬");
        assert_eq!(lines[12], "      12-25");
        assert_eq!(
            lines[13],
            "peak hour: 2012-12-25T00:00:00Z with 10 complaints; 15 complaints from 2012-12-24T22:00:00Z to 2012-12-25T00:00:00Z"
        );
    }

    #[test]
    fn long_curves_are_squeezed_by_summing_neighbours() {
        let lines = drawn(&curve(&[1; 30]), 10);
        assert!(lines[0].contains("one column per 3 hours"));
        assert_eq!(lines[1], "3 │██████████");
    }

    #[test]
    fn an_empty_curve_says_so() {
        assert_eq!(
            drawn(&curve(&[]), 80),
            vec!["no posts stored for topic \"netflix\""]
        );
        assert_eq!(
            drawn(&curve(&[0, 0]), 80),
            vec!["no \"netflix\" posts in region all from 2012-12-24T22:00:00Z to 2012-12-24T23:00:00Z"]
        );
    }
}

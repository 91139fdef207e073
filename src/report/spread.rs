//! How an outage spread, as CSV, JSON, or a table with a timeline.
//!
//! The timeline is the picture a table cannot give: one row per region, one
//! cell per hour, shaded while the region was in its own incident, so the
//! order in which regions broke is seen at a glance.

use std::io::{self, Write};

use chrono::Timelike;
use serde::Serialize;

use super::incidents::hour_rfc3339;
use super::spreadsheet::inert;
use super::{write_json_pretty, JsonArray};
use crate::spread::{RegionSpread, Spread};
use crate::store::keys::hour_start;

/// The CSV header; other tools read these columns by name.
pub const CSV_HEADER: [&str; 7] = [
    "region",
    "onset",
    "peak",
    "end",
    "complaints",
    "peak_complaints",
    "share",
];

const SHADES: [char; 4] = ['░', '▒', '▓', '█'];

#[derive(Serialize)]
struct Row<'a> {
    region: &'a str,
    onset: Option<String>,
    peak: Option<String>,
    end: Option<String>,
    complaints: u64,
    peak_complaints: u64,
    share: f64,
}

fn row(r: &RegionSpread) -> Row<'_> {
    Row {
        region: &r.region,
        onset: r.onset.map(hour_rfc3339),
        peak: r.peak.map(hour_rfc3339),
        end: r.end.map(hour_rfc3339),
        complaints: r.complaints,
        peak_complaints: r.peak_complaints,
        share: (r.share * 10_000.0).round() / 10_000.0,
    }
}

pub fn write_csv(spread: &Spread, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for r in spread.rows.iter().map(row) {
        w.write_record([
            inert(r.region).as_ref(),
            r.onset.as_deref().unwrap_or(""),
            r.peak.as_deref().unwrap_or(""),
            r.end.as_deref().unwrap_or(""),
            &r.complaints.to_string(),
            &r.peak_complaints.to_string(),
            &format!("{:.4}", r.share),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct Document<'a, R> {
    topic: &'a str,
    from: String,
    to: String,
    regions: R,
}

/// The regions as the JSON array `--format json` writes, the API's `regions`.
pub fn json_regions(spread: &Spread) -> impl Serialize + '_ {
    JsonArray(move || spread.rows.iter().map(row))
}

pub fn write_json(spread: &Spread, out: impl Write) -> io::Result<()> {
    let doc = Document {
        topic: &spread.topic,
        from: hour_rfc3339(spread.from),
        to: hour_rfc3339(spread.to),
        regions: json_regions(spread),
    };
    write_json_pretty(&doc, out)
}

/// The table, then the timeline in at most `width` cells per row.
pub fn write_table(spread: &Spread, width: usize, mut out: impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{} from {} to {} (UTC)",
        spread.topic,
        hour_rfc3339(spread.from),
        hour_rfc3339(spread.to)
    )?;
    if spread.rows.is_empty() {
        return writeln!(out, "no complaints in this window");
    }
    writeln!(
        out,
        "{:<8} {:<20}  {:<20}  {:<20}  {:>10}  {:>6}  {:>6}",
        "region", "onset", "peak", "end", "complaints", "peak", "share"
    )?;
    for r in spread.rows.iter().map(row) {
        writeln!(
            out,
            "{:<8} {:<20}  {:<20}  {:<20}  {:>10}  {:>6}  {:>5.1}%",
            r.region,
            r.onset.as_deref().unwrap_or("-"),
            r.peak.as_deref().unwrap_or("-"),
            r.end.as_deref().unwrap_or("-"),
            r.complaints,
            r.peak_complaints,
            r.share * 100.0
        )?;
    }
    writeln!(out)?;
    write_timeline(spread, width, out)
}

/// One row per region, one cell per hour (or per few hours when the window
/// is wider than `width`): shaded by loudness while the region was in its
/// own incident, `·` otherwise.
pub fn write_timeline(spread: &Spread, width: usize, mut out: impl Write) -> io::Result<()> {
    let hours = spread.timeline.first().map_or(0, |t| t.complaints.len());
    if hours == 0 {
        return Ok(());
    }
    let per_cell = hours.div_ceil(width.max(10));
    let cells = hours.div_ceil(per_cell);
    // Axis: the UTC hour at every sixth cell.
    let mut axis = vec![' '; cells + 3];
    for c in (0..cells).step_by(6) {
        let h = hour_start(spread.from + (c * per_cell) as u32).hour();
        for (i, ch) in format!("{h:02}").chars().enumerate() {
            if let Some(slot) = axis.get_mut(c + i) {
                *slot = ch;
            }
        }
    }
    let unit = if per_cell == 1 {
        "one cell per hour".to_string()
    } else {
        format!("one cell per {per_cell} hours")
    };
    writeln!(out, "timeline ({unit}, UTC hour above):")?;
    writeln!(
        out,
        "{:<8} {}",
        "",
        axis.iter().collect::<String>().trim_end()
    )?;
    for line in &spread.timeline {
        let sums: Vec<(u64, bool)> = line
            .complaints
            .chunks(per_cell)
            .zip(line.active.chunks(per_cell))
            .map(|(c, a)| (c.iter().sum(), a.iter().any(|&x| x)))
            .collect();
        let loudest = sums.iter().filter(|s| s.1).map(|s| s.0).max().unwrap_or(0);
        let cells: String = sums
            .iter()
            .map(|&(v, active)| {
                if !active {
                    '·'
                } else if loudest == 0 {
                    SHADES[0]
                } else {
                    let level = ((v * SHADES.len() as u64).div_ceil(loudest)).clamp(1, 4);
                    SHADES[level as usize - 1]
                }
            })
            .collect();
        writeln!(out, "{:<8} {}", line.region, cells)?;
    }
    writeln!(
        out,
        "{:<8} shaded: the region's own incident (darker = louder); ·: ordinary",
        ""
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::TimelineRow;

    fn sample() -> Spread {
        let from = 376_772; // 2012-12-24T20:00Z
        Spread {
            topic: "netflix".into(),
            from,
            to: from + 3,
            rows: vec![
                RegionSpread {
                    region: "US".into(),
                    onset: Some(from),
                    peak: Some(from + 1),
                    end: Some(from + 3),
                    complaints: 90,
                    peak_complaints: 40,
                    share: 0.9,
                },
                RegionSpread {
                    region: "=cmd|' /C calc'!A0".into(),
                    onset: None,
                    peak: Some(from + 2),
                    end: None,
                    complaints: 10,
                    peak_complaints: 4,
                    share: 0.1,
                },
            ],
            timeline: vec![
                TimelineRow {
                    region: "US".into(),
                    complaints: vec![10, 40, 30, 10],
                    active: vec![true, true, true, true],
                },
                TimelineRow {
                    region: "GB".into(),
                    complaints: vec![2, 2, 4, 2],
                    active: vec![false; 4],
                },
            ],
        }
    }

    #[test]
    fn csv_has_the_header_empty_cells_and_inert_text() {
        let mut out = Vec::new();
        write_csv(&sample(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap(), CSV_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            vec![
                "US",
                "2012-12-24T20:00:00Z",
                "2012-12-24T21:00:00Z",
                "2012-12-24T23:00:00Z",
                "90",
                "40",
                "0.9000"
            ]
        );
        assert_eq!(&rows[1][0], "'=cmd|' /C calc'!A0");
        assert_eq!(&rows[1][1], "");
    }

    #[test]
    fn the_timeline_shades_active_hours_by_loudness() {
        let mut out = Vec::new();
        write_timeline(&sample(), 80, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "         20");
        // 10/40 → level 1, 40 → 4, 30 → 3, 10 → 1.
        assert_eq!(lines[2], "US       ░█▓░");
        assert_eq!(lines[3], "GB       ····");
    }
}

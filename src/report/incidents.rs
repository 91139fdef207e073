//! Incidents as CSV, JSON or an aligned table.

use std::io::{self, Write};

use serde::Serialize;

use super::{rfc3339, spreadsheet::inert, write_json_pretty, JsonArray};
use crate::detect::Incident;
use crate::store::keys::{hour_start, Hour};

/// An hour of the store as `2012-12-24T20:00:00Z`.
pub fn hour_rfc3339(h: Hour) -> String {
    rfc3339(hour_start(h))
}

/// The CSV header; other tools read these columns by name.
pub const CSV_HEADER: [&str; 9] = [
    "topic",
    "start",
    "peak",
    "end",
    "complaints",
    "peak_complaints",
    "baseline_at_peak",
    "ratio",
    "regions",
];

#[derive(Serialize)]
struct Row<'a> {
    number: usize,
    topic: &'a str,
    start: String,
    peak: String,
    end: String,
    hours: u32,
    complaints: u64,
    peak_complaints: u64,
    baseline_at_peak: f64,
    ratio: f64,
    regions: &'a [String],
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn rows(incidents: &[Incident]) -> impl Iterator<Item = Row<'_>> {
    incidents.iter().map(|inc| Row {
        number: inc.number,
        topic: &inc.topic,
        start: hour_rfc3339(inc.start),
        peak: hour_rfc3339(inc.peak),
        end: hour_rfc3339(inc.end),
        hours: inc.end - inc.start + 1,
        complaints: inc.complaints,
        peak_complaints: inc.peak_complaints,
        baseline_at_peak: round(inc.baseline_at_peak, 2),
        ratio: round(inc.ratio, 2),
        regions: &inc.regions,
    })
}

pub fn write_csv(incidents: &[Incident], out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for r in rows(incidents) {
        w.write_record([
            inert(r.topic).as_ref(),
            &r.start,
            &r.peak,
            &r.end,
            &r.complaints.to_string(),
            &r.peak_complaints.to_string(),
            &format!("{:.2}", r.baseline_at_peak),
            &format!("{:.2}", r.ratio),
            inert(&r.regions.join(";")).as_ref(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The rows as the JSON array `--format json` writes, the API's `incidents`.
pub fn json_rows(incidents: &[Incident]) -> impl Serialize + '_ {
    JsonArray(move || rows(incidents))
}

pub fn write_json(incidents: &[Incident], out: impl Write) -> io::Result<()> {
    write_json_pretty(&json_rows(incidents), out)
}

pub fn write_table(incidents: &[Incident], mut out: impl Write) -> io::Result<()> {
    if incidents.is_empty() {
        return writeln!(out, "no incidents found");
    }
    writeln!(
        out,
        "{:>2}  {:<12} {:<20}  {:<20}  {:<20}  {:>5}  {:>10}  {:>6}  {:>8}  {:>6}  regions (first hit first)",
        "#", "topic", "start (UTC)", "peak", "end", "hours", "complaints", "peak", "baseline", "ratio"
    )?;
    for r in rows(incidents) {
        writeln!(
            out,
            "{:>2}  {:<12} {:<20}  {:<20}  {:<20}  {:>5}  {:>10}  {:>6}  {:>8.2}  {:>6.1}  {}",
            r.number,
            r.topic,
            r.start,
            r.peak,
            r.end,
            r.hours,
            r.complaints,
            r.peak_complaints,
            r.baseline_at_peak,
            r.ratio,
            if r.regions.is_empty() {
                "-".to_string()
            } else {
                r.regions.join(", ")
            }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Incident> {
        vec![Incident {
            // Not 1: a list filtered by a time range keeps the numbers
            // detection gave, and they must be printed as such.
            number: 3,
            topic: "netflix".into(),
            start: 376_772,
            peak: 376_775,
            end: 376_793,
            complaints: 1234,
            peak_complaints: 210,
            baseline_at_peak: 12.345,
            ratio: 17.0108,
            regions: vec!["US".into(), "CA".into(), "BR".into()],
        }]
    }

    #[test]
    fn csv_has_the_documented_header_and_values() {
        let mut out = Vec::new();
        write_csv(&sample(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "topic,start,peak,end,complaints,peak_complaints,baseline_at_peak,ratio,regions\n\
             netflix,2012-12-24T20:00:00Z,2012-12-24T23:00:00Z,2012-12-25T17:00:00Z,1234,210,12.35,17.01,US;CA;BR\n"
        );
    }

    #[test]
    fn json_lists_regions_as_an_array() {
        let mut out = Vec::new();
        write_json(&sample(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["number"], 3);
        assert_eq!(v[0]["hours"], 22);
        assert_eq!(v[0]["regions"][2], "BR");
        assert_eq!(v[0]["ratio"], 17.01);
    }

    #[test]
    fn tables_say_when_there_is_nothing() {
        let mut out = Vec::new();
        write_table(&[], &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "no incidents found\n");
        let mut out = Vec::new();
        write_table(&sample(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.starts_with(" 3  netflix "), "{text}");
        assert!(row.ends_with("US, CA, BR"), "{text}");
    }
}

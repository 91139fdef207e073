//! The posts behind a curve, as people read them: what was said at the peak.
//!
//! Outages produce the same sentence thousands of times (retweets carry the
//! original's text, and "netflix is down" is what everyone writes), so posts
//! with the same text are shown once with how many times it was posted.
//! The default order puts the most repeated first, then the most negative;
//! `PostOrder::Negative` puts the most negative first.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::spreadsheet::inert;
use super::{write_json_pretty, JsonArray};
use crate::sentiment::Label;
use crate::store::PostRecord;

/// The CSV header; other tools read these columns by name.
pub const CSV_HEADER: [&str; 8] = [
    "time",
    "region",
    "language",
    "label",
    "compound",
    "complaint",
    "count",
    "text",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOrder {
    Repeated,
    Negative,
}

/// Posts sharing one text; `first` is the earliest of them.
#[derive(Debug, Clone, PartialEq)]
pub struct PostGroup {
    pub first: PostRecord,
    pub count: u64,
}

impl PostGroup {
    pub fn label(&self) -> Label {
        Label::from_compound(self.first.compound())
    }
}

/// Case and spacing do not make a different text: "The grinch stole
/// netflix" and "the grinch stole  netflix" are one group.
fn text_key(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Groups posts by text (posts kept without text stay apart), keeps only
/// complaints when asked, and sorts.
pub fn group(
    posts: impl IntoIterator<Item = PostRecord>,
    complaints_only: bool,
    order: PostOrder,
) -> Vec<PostGroup> {
    let mut groups: Vec<PostGroup> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for p in posts {
        if complaints_only && !p.complaint {
            continue;
        }
        let key = match p.text.as_deref() {
            Some(t) if !t.trim().is_empty() => text_key(t),
            _ => {
                groups.push(PostGroup { first: p, count: 1 });
                continue;
            }
        };
        match index.get(&key) {
            Some(&i) => {
                let g = &mut groups[i];
                g.count += 1;
                if (p.time, &p.id) < (g.first.time, &g.first.id) {
                    g.first = p;
                }
            }
            None => {
                index.insert(key, groups.len());
                groups.push(PostGroup { first: p, count: 1 });
            }
        }
    }
    groups.sort_by(|a, b| {
        let by_count = b.count.cmp(&a.count);
        let by_compound = a.first.compound_micros.cmp(&b.first.compound_micros);
        let primary = match order {
            PostOrder::Repeated => by_count.then(by_compound),
            PostOrder::Negative => by_compound.then(by_count),
        };
        primary
            .then(a.first.time.cmp(&b.first.time))
            .then_with(|| a.first.id.cmp(&b.first.id))
    });
    groups
}

#[derive(Serialize)]
struct Row<'a> {
    time: String,
    region: &'a str,
    language: &'a str,
    label: &'static str,
    compound: f64,
    complaint: bool,
    count: u64,
    text: &'a str,
}

fn row(g: &PostGroup) -> Row<'_> {
    let p = &g.first;
    Row {
        time: chrono::DateTime::from_timestamp(p.time, 0)
            .map(super::rfc3339)
            .unwrap_or_default(),
        region: &p.region,
        language: p.lang.as_deref().unwrap_or(""),
        label: g.label().as_str(),
        // `+ 0.0` makes a negative score rounded to zero plain 0.0, never
        // "-0.0000" beside a neutral label.
        compound: (g.label().shown_compound(p.compound()) * 10_000.0).round() / 10_000.0 + 0.0,
        complaint: p.complaint,
        count: g.count,
        text: p.text.as_deref().unwrap_or(""),
    }
}

pub fn write_csv(groups: &[PostGroup], out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for r in groups.iter().map(row) {
        w.write_record([
            r.time.as_str(),
            inert(r.region).as_ref(),
            inert(r.language).as_ref(),
            r.label,
            &format!("{:.4}", r.compound),
            if r.complaint { "true" } else { "false" },
            &r.count.to_string(),
            inert(r.text).as_ref(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The rows as the JSON array `--format json` writes, the API's `posts`.
pub fn json_rows(groups: &[PostGroup]) -> impl Serialize + '_ {
    JsonArray(move || groups.iter().map(row))
}

pub fn write_json(groups: &[PostGroup], out: impl Write) -> io::Result<()> {
    write_json_pretty(&json_rows(groups), out)
}

/// Control characters would let a post rewrite the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `complaints_only` says which kind of post the range lacks when it has
/// none to show.
pub fn write_table(
    groups: &[PostGroup],
    complaints_only: bool,
    mut out: impl Write,
) -> io::Result<()> {
    if groups.is_empty() {
        let what = if complaints_only {
            "complaints"
        } else {
            "posts"
        };
        return writeln!(out, "no {what} stored in this range");
    }
    writeln!(
        out,
        "{:<20}  {:<7}  {:<4}  {:<8}  {:>7}  {:<9}  {:>5}  text",
        "time (UTC)", "region", "lang", "label", "score", "complaint", "count"
    )?;
    for r in groups.iter().map(row) {
        writeln!(
            out,
            "{:<20}  {:<7}  {:<4}  {:<8}  {:>+7.3}  {:<9}  {:>5}  {}",
            r.time,
            printable(r.region),
            printable(r.language),
            r.label,
            r.compound,
            if r.complaint { "yes" } else { "no" },
            r.count,
            if r.text.is_empty() {
                "(text not kept)".to_string()
            } else {
                printable(r.text)
            }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: &str, time: i64, text: Option<&str>, compound: f64, complaint: bool) -> PostRecord {
        PostRecord {
            source: "twitter".into(),
            id: id.into(),
            time,
            region: "US".into(),
            lang: Some("en".into()),
            compound_micros: (compound * 1e6) as i32,
            complaint,
            problem: complaint,
            repost: false,
            text: text.map(str::to_owned),
        }
    }

    fn sample() -> Vec<PostRecord> {
        vec![
            post("1", 100, Some("netflix is down"), -0.3, true),
            post("2", 90, Some("Netflix  is DOWN"), -0.3, true),
            post("3", 120, Some("netflix is down"), -0.3, true),
            post("4", 130, Some("worst night ever, netflix"), -0.8, true),
            post("5", 140, Some("watching netflix"), 0.0, false),
            post("6", 150, None, -0.9, true),
            post("7", 160, None, -0.9, true),
        ]
    }

    #[test]
    fn same_texts_group_and_the_most_repeated_come_first() {
        let g = group(sample(), false, PostOrder::Repeated);
        assert_eq!(g.len(), 5);
        assert_eq!(g[0].count, 3);
        // The earliest of the three is kept.
        assert_eq!(g[0].first.id, "2");
        // Then singles by compound: the two text-less ones (-0.9), then -0.8.
        assert_eq!(g[1].first.id, "6");
        assert_eq!(g[2].first.id, "7");
        assert_eq!(g[3].first.id, "4");
        assert_eq!(g[4].first.id, "5");
    }

    #[test]
    fn negative_order_and_complaints_only() {
        let g = group(sample(), true, PostOrder::Negative);
        let ids: Vec<&str> = g.iter().map(|g| g.first.id.as_str()).collect();
        assert_eq!(ids, vec!["6", "7", "4", "2"]);
    }

    #[test]
    fn an_empty_table_says_what_the_range_lacks() {
        let quiet = vec![post("5", 140, Some("watching netflix"), 0.0, false)];
        let g = group(quiet.clone(), true, PostOrder::Repeated);
        let mut out = Vec::new();
        write_table(&g, true, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "no complaints stored in this range\n"
        );
        let mut out = Vec::new();
        write_table(
            &group(Vec::new(), false, PostOrder::Repeated),
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "no posts stored in this range\n"
        );
        let mut out = Vec::new();
        write_table(&group(quiet, false, PostOrder::Repeated), false, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("watching netflix"));
    }

    #[test]
    fn a_neutral_compound_a_hair_inside_the_band_is_not_shown_on_its_edge() {
        let mut p = post("1", 100, Some("meh"), 0.0, false);
        p.compound_micros = 49_996;
        let groups = group(vec![p], false, PostOrder::Repeated);
        let mut out = Vec::new();
        write_csv(&groups, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(",neutral,0.0499,"), "{text}");
    }

    #[test]
    fn csv_cells_from_strangers_are_inert() {
        let mut bad = post(
            "9",
            1_356_381_067,
            Some("=HYPERLINK(\"http://x\")"),
            -0.5,
            true,
        );
        bad.region = "+US".into();
        let groups = group(vec![bad], false, PostOrder::Repeated);
        let mut out = Vec::new();
        write_csv(&groups, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap(), CSV_HEADER.as_slice());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "2012-12-24T20:31:07Z");
        assert_eq!(&row[1], "'+US");
        assert_eq!(&row[3], "negative");
        assert_eq!(&row[4], "-0.5000");
        assert_eq!(&row[7], "'=HYPERLINK(\"http://x\")");
    }
}

//! The JSON API: each endpoint reads the store and answers with the same
//! rows the command line prints with `--format json`.
//!
//! Reusing the report modules' row writers (rather than a second set of
//! structs) keeps `outcry detect --format json` and `/api/incidents` from
//! drifting apart: a script can move from one to the other. Every handler
//! here is a plain function of the shared state and the parsed parameters
//! that returns the answer's bytes; the router runs it off the async
//! workers, since detection over a year of hours is milliseconds of
//! arithmetic that would otherwise stall the pollers.
//!
//! Answers are serialised straight to bytes, rows one at a time, never
//! through a `serde_json::Value` tree: a tree costs some 2.5 KB a curve
//! bucket, the bytes some 200.

use std::sync::Arc;

use serde::Serialize;
use serde_json::json;

use super::params::{ApiError, Params};
use super::AppState;
use crate::detect::{self, TopicReport};
use crate::query::{self, CurveError, CurveQuery, Granularity, TopicError};
use crate::report::curve::{self as curve_report, Band};
use crate::report::incidents::hour_rfc3339;
use crate::report::posts::{self as post_report, PostOrder};
use crate::report::{incidents as incident_report, spread as spread_report, JsonArray};
use crate::spread::{choose_window, RegionalView, WindowChoice, WindowError};
use crate::store::keys::{hour_of, Hour};
use crate::store::StoreError;

/// No spread window may be longer than ten years of hours: its timeline
/// holds every region's count for every hour.
pub const MAX_SPREAD_HOURS: u64 = 24 * 366 * 10;
/// The most buckets one `/api/curve` answer holds: ten years of hours (or
/// 240 of days). Fewer than a command may ask for (`query::MAX_BUCKETS`):
/// the answer is built in memory before it is sent and kept, about 300
/// bytes a bucket (the bucket, its band, and some 200 bytes of JSON), so
/// some 25 MB at most, and anyone who can reach the server may ask. The
/// router builds few answers at once, but each still costs its size; ten
/// years is past anything the page draws.
pub const API_CURVE_LIMIT: query::BucketLimit = query::BucketLimit {
    max: 24 * 366 * 10,
    holder: "one answer of the API",
    span: "ten years of hours",
};
/// Post groups answered when `limit` is not given, and at most.
pub const DEFAULT_POSTS: u64 = 50;
pub const MAX_POSTS: u64 = 1000;

pub const TOPICS_PARAMS: &[&str] = &[];
pub const HEALTH_PARAMS: &[&str] = &[];
pub const CURVE_PARAMS: &[&str] = &["topic", "from", "to", "by", "region"];
pub const INCIDENTS_PARAMS: &[&str] = &["topic", "from", "to"];
pub const SPREAD_PARAMS: &[&str] = &["topic", "incident", "from", "to"];
pub const POSTS_PARAMS: &[&str] = &["topic", "from", "to", "complaints", "limit", "order"];

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::internal(e.to_string())
    }
}

/// An answer's JSON, as sent.
pub type Answer = Result<Vec<u8>, ApiError>;

/// The answer written twice: once to count its bytes, then into a buffer
/// of that size. A buffer grown by doubling would hold up to half as much
/// again while it grows (an answer of 12 MB, its 8 MB predecessor and the
/// 16 MB it moves into), and the allocator keeps what it gave up; writing
/// costs milliseconds. Writing to a `Vec` cannot fail, and what is written
/// is plain data, so a failure here is a bug worth a 500 rather than a
/// panic.
fn answer(value: &impl Serialize) -> Answer {
    let failed = |e: serde_json::Error| ApiError::internal(format!("writing JSON: {e}"));
    let mut size = ByteCount(0);
    serde_json::to_writer(&mut size, value).map_err(failed)?;
    let mut out = Vec::with_capacity(size.0);
    serde_json::to_writer(&mut out, value).map_err(failed)?;
    Ok(out)
}

/// Counts what is written to it.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn time(h: Hour) -> String {
    hour_rfc3339(h)
}

/// The topic's display name, or a 404 listing the topics there are. A topic
/// is known when the lexicons watch it or the store holds counts for it (a
/// store imported with other lexicons is still readable).
fn known_topic(state: &AppState, topic: &str) -> Result<String, ApiError> {
    let watched = state
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.display_name.as_str()));
    query::display_name(watched, &state.store, topic).map_err(|e| match e {
        TopicError::Unknown(message) => ApiError::not_found(Some("topic"), message),
        TopicError::Store(e) => e.into(),
    })
}

/// `GET /api/health`
pub fn health(state: &AppState, _: &Params) -> Answer {
    let totals = state.store.totals()?;
    answer(&json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "polling": state.polling,
        "posts_remembered": totals.posts_remembered,
        "imports": totals.imports,
    }))
}

/// `GET /api/topics`: the watched topics first (in the lexicon's order),
/// then any other topic the store holds, each with the hours it spans.
pub fn topics(state: &AppState, _: &Params) -> Answer {
    let stored = state.store.stored_topics()?;
    let mut names: Vec<(String, String)> = state
        .topics
        .iter()
        .map(|t| (t.name.clone(), t.display_name.clone()))
        .collect();
    for s in stored {
        if !names.iter().any(|(n, _)| *n == s) {
            names.push((s.clone(), s));
        }
    }
    let mut out = Vec::with_capacity(names.len());
    for (name, display_name) in names {
        let span = state.store.topic_span(&name)?;
        out.push(json!({
            "name": name,
            "display_name": display_name,
            "first": span.map(|s| time(s.0)),
            "last": span.map(|s| time(s.1)),
        }));
    }
    answer(&json!({ "topics": out }))
}

/// `/api/curve`'s answer; `buckets` holds the rows exactly as `outcry
/// curve --format json [--baseline]` writes them: one shape for the page
/// and for scripts.
#[derive(Serialize)]
struct CurveAnswer<'a, R> {
    topic: &'a str,
    display_name: &'a str,
    region: &'a str,
    by: &'static str,
    from: Option<String>,
    to: Option<String>,
    buckets: R,
}

/// `GET /api/curve`: every bucket in the range (zeros included); hourly
/// curves carry the baseline and the threshold an hour must reach to be
/// abnormal, which the page draws as a band.
pub fn curve(state: &AppState, p: &Params) -> Answer {
    let topic = p.topic()?;
    let (from, to) = p.range()?;
    let by = p.granularity()?;
    let region = p.region()?;
    let display_name = known_topic(state, &topic)?;

    // The API's own limit (the tighter), named after the parameter that
    // stretched the range.
    let stretched = if from.is_some() { "from" } else { "to" };
    let too_long = |e: CurveError| match e {
        CurveError::TooManyBuckets(t) => ApiError::bad(
            stretched,
            if by == Granularity::Hour {
                format!("{t}: ask for a shorter range, or by=day")
            } else {
                format!("{t}: ask for a shorter range")
            },
        ),
        CurveError::Store(e) => e.into(),
    };
    let q = CurveQuery {
        topic: &topic,
        from,
        to,
        by,
        region: region.as_deref(),
    };
    let curve = query::curve_within(&state.store, &q, API_CURVE_LIMIT).map_err(too_long)?;
    let bands = match (by, curve.buckets.first(), curve.buckets.last()) {
        // The whole topic's judged hours are kept; the total's band comes
        // from them, the same hours detection found incidents in.
        (Granularity::Hour, Some(_), Some(_)) if region.is_none() => {
            Some(Band::for_curve(&curve, &detect_all(state, &topic)?.hours))
        }
        (Granularity::Hour, Some(a), Some(b)) => {
            let hours = detect::judged_hours(
                &state.store,
                &topic,
                region.as_deref(),
                hour_of(a.start),
                hour_of(b.start),
                &state.detect,
            )?;
            Some(Band::for_curve(&curve, &hours))
        }
        _ => None,
    };
    // `to` is the last hour counted, as a `to` parameter names it: a day
    // bucket's start alone would read as only that day's first hour.
    let last_hour = |b: &query::Bucket| time(hour_of(b.start) + (by.hours() - 1));
    let doc = CurveAnswer {
        topic: &topic,
        display_name: &display_name,
        region: &curve.region,
        by: if by == Granularity::Day {
            "day"
        } else {
            "hour"
        },
        from: curve
            .buckets
            .first()
            .map(|b| crate::report::rfc3339(b.start)),
        to: curve.buckets.last().map(last_hour),
        buckets: curve_report::json_rows(&curve, bands.as_deref()),
    };
    answer(&doc)
}

/// Detection over all the topic holds, so incident numbers are the same in
/// every request (and the same as `outcry detect` prints, with a range or
/// without: both number with `detect::detect_topic`).
/// Kept until the store changes: /api/curve, /api/incidents and /api/spread
/// of one topic all rest on it.
fn detect_all(state: &AppState, topic: &str) -> Result<Arc<TopicReport>, ApiError> {
    state
        .cache
        .report(topic, || {
            detect::detect_topic(&state.store, topic, None, None, &state.detect)
        })
        .map_err(ApiError::from)
}

/// `GET /api/incidents`
pub fn incidents(state: &AppState, p: &Params) -> Answer {
    let topic = p.topic()?;
    let (from, to) = p.range()?;
    let display_name = known_topic(state, &topic)?;
    let report = detect_all(state, &topic)?;
    // Numbered over the whole store, then filtered, so `incident=N` in
    // /api/spread means the same incident whatever range listed it.
    let kept = report.within(from.map(hour_of), to.map(hour_of));
    #[derive(Serialize)]
    struct Incidents<'a, R> {
        topic: &'a str,
        display_name: &'a str,
        largest: Option<usize>,
        incidents: R,
    }
    let doc = Incidents {
        topic: &topic,
        display_name: &display_name,
        largest: report.largest().map(|l| l.number),
        incidents: incident_report::json_rows(&kept),
    };
    answer(&doc)
}

/// `GET /api/spread`: how incident `incident` (numbered as in
/// /api/incidents; the largest by default), or the window `from`..`to`,
/// spread across regions, with an hour-by-hour timeline per region.
pub fn spread(state: &AppState, p: &Params) -> Answer {
    let topic = p.topic()?;
    let number = p.number("incident", 1, u32::MAX as u64)?;
    let (from, to) = p.range()?;
    if number.is_some() && (from.is_some() || to.is_some()) {
        return Err(ApiError::bad(
            "incident",
            "give either incident or from/to, not both",
        ));
    }
    known_topic(state, &topic)?;
    let empty = || {
        answer(&json!({
            "topic": topic, "incident": null, "from": null, "to": null,
            "regions": [], "timeline": [],
        }))
    };
    let Some((first, last)) = state.store.topic_span(&topic)? else {
        return empty();
    };
    let report = detect_all(state, &topic)?;
    let choice = match (number, from, to) {
        (Some(n), _, _) => WindowChoice::Incident(n as usize),
        (None, None, None) => WindowChoice::Largest,
        (None, f, t) => WindowChoice::Range {
            from: f.map(hour_of),
            to: t.map(hour_of),
        },
    };
    let (incident, lo, hi) = match choose_window(&report, (first, last), choice) {
        Ok(w) => w,
        Err(WindowError::NoIncident) => return empty(),
        Err(WindowError::NoSuchIncident { number, count }) => {
            return Err(ApiError::not_found(
                Some("incident"),
                format!("no incident {number} for {topic:?}: /api/incidents lists {count}"),
            ))
        }
    };
    if hi.saturating_sub(lo) as u64 >= MAX_SPREAD_HOURS {
        return Err(ApiError::bad(
            "from",
            "a spread window may hold at most ten years of hours",
        ));
    }
    let spread = RegionalView::new(&report.counts, &state.detect).spread(lo, hi);
    #[derive(Serialize)]
    struct Spread<'a, R, T> {
        topic: &'a str,
        incident: Option<usize>,
        from: String,
        to: String,
        regions: R,
        timeline: T,
    }
    #[derive(Serialize)]
    struct Timeline<'a> {
        region: &'a str,
        complaints: &'a [u64],
        active: &'a [bool],
    }
    let doc = Spread {
        topic: &topic,
        incident,
        // As `outcry spread --format json` writes them.
        from: time(spread.from),
        to: time(spread.to),
        regions: spread_report::json_regions(&spread),
        timeline: JsonArray(|| {
            spread.timeline.iter().map(|t| Timeline {
                region: &t.region,
                complaints: &t.complaints,
                active: &t.active,
            })
        }),
    };
    answer(&doc)
}

/// `GET /api/posts`: what was said, same texts grouped, most repeated (or
/// with `order=negative`, most negative) first.
pub fn posts(state: &AppState, p: &Params) -> Answer {
    let topic = p.topic()?;
    let (from, to) = p.range()?;
    let complaints = p.bool("complaints")?.unwrap_or(false);
    let limit = p.number("limit", 1, MAX_POSTS)?.unwrap_or(DEFAULT_POSTS) as usize;
    let order = match p.get("order").map(str::to_ascii_lowercase).as_deref() {
        None | Some("repeated") => PostOrder::Repeated,
        Some("negative") => PostOrder::Negative,
        Some(o) => {
            return Err(ApiError::bad(
                "order",
                format!("order must be repeated or negative, not {o:?}"),
            ))
        }
    };
    known_topic(state, &topic)?;
    let Some((first, last)) = state.store.topic_span(&topic)? else {
        return answer(&json!({
            "topic": topic, "from": null, "to": null, "groups": 0, "posts": [],
        }));
    };
    let lo = from.map(hour_of).unwrap_or(first);
    let hi = to.map(hour_of).unwrap_or(last);
    // Grouped as they are read: only one post per text is held, not every
    // post of the range (a range of a busy topic holds millions).
    let mut failed = None;
    let records = state
        .store
        .posts(&topic, lo, hi)
        .map_while(|r| r.map_err(|e| failed = Some(e)).ok());
    let mut groups = post_report::group(records, complaints, order);
    if let Some(e) = failed {
        return Err(e.into());
    }
    let total = groups.len();
    groups.truncate(limit);
    #[derive(Serialize)]
    struct Posts<'a, R> {
        topic: &'a str,
        from: String,
        to: String,
        groups: usize,
        posts: R,
    }
    let doc = Posts {
        topic: &topic,
        from: time(lo),
        to: time(hi),
        groups: total,
        posts: post_report::json_rows(&groups),
    };
    answer(&doc)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::serve::TopicInfo;
    use crate::store::{Counter, PendingCommit, PostRecord, Store};
    use serde_json::Value;

    /// 2012-12-24T20:00Z.
    const EVE_20: Hour = 376_772;

    /// A store of three quiet days and a five-hour surge of Netflix
    /// complaints in the US from 2012-12-24T20, and three posts.
    pub(crate) fn state() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut c = PendingCommit::default();
        // Three quiet days of one complaint an hour in the US, then a
        // five-hour surge of 40 an hour from 20:00 on the 24th.
        for h in EVE_20 - 72..EVE_20 + 12 {
            let n = if (EVE_20..EVE_20 + 5).contains(&h) {
                40
            } else {
                1
            };
            let delta = Counter {
                posts: n + 1,
                complaints: n,
                negative: n,
                neutral: 1,
                ..Counter::default()
            };
            c.add_counter("netflix", h, "US", &delta);
        }
        for (i, text) in ["netflix is down", "Netflix is DOWN", "love netflix"]
            .iter()
            .enumerate()
        {
            c.add_post(
                "netflix",
                EVE_20 + 1,
                &PostRecord {
                    source: "twitter".into(),
                    id: i.to_string(),
                    time: (EVE_20 as i64 + 1) * 3600 + i as i64,
                    region: "US".into(),
                    lang: Some("en".into()),
                    compound_micros: if i < 2 { -400_000 } else { 600_000 },
                    complaint: i < 2,
                    problem: i < 2,
                    repost: false,
                    text: Some(text.to_string()),
                },
            );
        }
        store.commit(c).unwrap();
        let state = AppState::new(
            Arc::new(store),
            vec![
                TopicInfo {
                    name: "netflix".into(),
                    display_name: "Netflix".into(),
                },
                TopicInfo {
                    name: "hulu".into(),
                    display_name: "Hulu".into(),
                },
            ],
            false,
        );
        (dir, state)
    }

    fn value(a: Answer) -> Value {
        serde_json::from_slice(&a.unwrap()).unwrap()
    }

    fn p(q: &[(&str, &str)], allowed: &[&str]) -> Params {
        Params::parse(
            q.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            allowed,
        )
        .unwrap()
    }

    #[test]
    fn topics_list_watched_ones_with_their_span() {
        let (_d, s) = state();
        let v = value(topics(&s, &p(&[], TOPICS_PARAMS)));
        assert_eq!(v["topics"][0]["name"], "netflix");
        assert_eq!(v["topics"][0]["first"], "2012-12-21T20:00:00Z");
        assert_eq!(v["topics"][0]["last"], "2012-12-25T07:00:00Z");
        assert_eq!(v["topics"][1]["name"], "hulu");
        assert_eq!(v["topics"][1]["first"], Value::Null);
    }

    #[test]
    fn the_curve_carries_a_band_and_the_incident_is_found() {
        let (_d, s) = state();
        let q = [
            ("topic", "netflix"),
            ("from", "2012-12-24T19"),
            ("to", "2012-12-24T21:59:00Z"),
        ];
        let v = value(curve(&s, &p(&q, CURVE_PARAMS)));
        let b = v["buckets"].as_array().unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(b[0]["start"], "2012-12-24T19:00:00Z");
        assert_eq!(b[0]["complaints"], 1);
        assert_eq!(b[1]["complaints"], 40);
        assert_eq!(b[1]["posts"], 41);
        // Three days of one an hour: the baseline is 1.
        assert_eq!(b[0]["baseline"], 1.0);
        assert!(b[1]["threshold"].as_u64().unwrap() < 40);

        let v = value(incidents(&s, &p(&[("topic", "netflix")], INCIDENTS_PARAMS)));
        assert_eq!(v["largest"], 1);
        assert_eq!(v["incidents"][0]["start"], "2012-12-24T20:00:00Z");
        assert_eq!(v["incidents"][0]["end"], "2012-12-25T00:00:00Z");
        assert_eq!(v["incidents"][0]["peak_complaints"], 40);

        let v = value(spread(&s, &p(&[("topic", "netflix")], SPREAD_PARAMS)));
        assert_eq!(v["incident"], 1);
        assert_eq!(v["regions"][0]["region"], "US");
        assert_eq!(v["regions"][0]["onset"], "2012-12-24T20:00:00Z");
        assert_eq!(v["timeline"][0]["complaints"][0], 40);
        assert_eq!(v["timeline"][0]["active"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn a_spread_window_past_the_stored_hours_echoes_the_hours_its_timeline_covers() {
        let (_d, s) = state();
        let q = [
            ("topic", "netflix"),
            ("from", "2012-12-10"),
            ("to", "2012-12-28"),
        ];
        let v = value(spread(&s, &p(&q, SPREAD_PARAMS)));
        // Stored: 2012-12-21T20 to 2012-12-25T07, 84 hours.
        assert_eq!(v["from"], "2012-12-21T20:00:00Z");
        assert_eq!(v["to"], "2012-12-25T07:00:00Z");
        let us = &v["timeline"][0]["complaints"];
        assert_eq!(us.as_array().unwrap().len(), 84);
        // timeline[i] is hour from + i: the 40 complaints of 24 Dec 20:00.
        assert_eq!(us[72], 40);
    }

    /// The answer's `buckets` are the bytes `outcry curve --format json
    /// [--baseline]` prints, but for its indentation: same fields, same
    /// order, same numbers.
    #[test]
    fn curve_buckets_are_the_command_line_rows_byte_for_byte() {
        let (_d, s) = state();
        for (by, name) in [(Granularity::Hour, "hour"), (Granularity::Day, "day")] {
            let body = curve(&s, &p(&[("topic", "netflix"), ("by", name)], CURVE_PARAMS)).unwrap();
            let body = String::from_utf8(body).unwrap();
            let (head, rows) = body.split_once(r#""buckets":"#).unwrap();
            let last = if by == Granularity::Hour {
                "2012-12-25T07:00:00Z"
            } else {
                "2012-12-25T23:00:00Z"
            };
            let first = if by == Granularity::Hour {
                "2012-12-21T20:00:00Z"
            } else {
                "2012-12-21T00:00:00Z"
            };
            assert_eq!(
                head,
                format!(
                    r#"{{"topic":"netflix","display_name":"Netflix","region":"all","by":"{name}","from":"{first}","to":"{last}","#
                )
            );

            let q = CurveQuery {
                topic: "netflix",
                from: None,
                to: None,
                by,
                region: None,
            };
            let c = query::curve(&s.store, &q).unwrap();
            let report = detect_all(&s, "netflix").unwrap();
            let bands = (by == Granularity::Hour).then(|| Band::for_curve(&c, &report.hours));
            let mut cli = Vec::new();
            curve_report::write_json_with(&c, bands.as_deref(), &mut cli).unwrap();
            cli.retain(|b| !b.is_ascii_whitespace());
            assert_eq!(
                rows.strip_suffix('}'),
                Some(&*String::from_utf8(cli).unwrap())
            );
        }
        // The rows' field order, spelled out once.
        let body = curve(
            &s,
            &p(
                &[
                    ("topic", "netflix"),
                    ("from", "2012-12-24T20"),
                    ("to", "2012-12-24T20"),
                ],
                CURVE_PARAMS,
            ),
        )
        .unwrap();
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains(
                r#""buckets":[{"start":"2012-12-24T20:00:00Z","topic":"netflix","region":"all","posts":41,"complaints":40,"negative":40,"neutral":1,"positive":0,"mean_sentiment":0.0,"baseline":1.0,"threshold":"#
            ),
            "{body}"
        );
    }

    #[test]
    fn days_have_no_band_and_huge_ranges_are_refused() {
        let (_d, s) = state();
        let v = value(curve(
            &s,
            &p(&[("topic", "netflix"), ("by", "day")], CURVE_PARAMS),
        ));
        let b = v["buckets"].as_array().unwrap();
        assert_eq!(b.len(), 5);
        // The 24th: 20 quiet hours and four of the surge (the fifth is the 25th).
        assert_eq!(b[3]["complaints"], 4 * 40 + 20);
        assert!(b[3].get("baseline").is_none());
        let e = curve(
            &s,
            &p(
                &[("topic", "netflix"), ("from", "1970-01-01")],
                CURVE_PARAMS,
            ),
        )
        .unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("from"));
    }

    #[test]
    fn posts_group_texts_and_filter_complaints() {
        let (_d, s) = state();
        let q = [
            ("topic", "netflix"),
            ("from", "2012-12-24T21"),
            ("to", "2012-12-24T21"),
        ];
        let v = value(posts(&s, &p(&q, POSTS_PARAMS)));
        assert_eq!(v["groups"], 2);
        assert_eq!(v["posts"][0]["count"], 2);
        assert_eq!(v["posts"][0]["label"], "negative");
        assert_eq!(v["posts"][1]["text"], "love netflix");
        let mut q2 = q.to_vec();
        q2.push(("complaints", "true"));
        let v = value(posts(&s, &p(&q2, POSTS_PARAMS)));
        assert_eq!(v["groups"], 1);
    }

    #[test]
    fn unknown_topics_and_incidents_are_404s() {
        let (_d, s) = state();
        let e = curve(&s, &p(&[("topic", "hbo")], CURVE_PARAMS)).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::NOT_FOUND);
        assert_eq!(e.error, "unknown topic \"hbo\" (topics: netflix, hulu)");
        let e = spread(
            &s,
            &p(&[("topic", "netflix"), ("incident", "2")], SPREAD_PARAMS),
        )
        .unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::NOT_FOUND);
        assert_eq!(e.parameter.as_deref(), Some("incident"));
        // A watched topic without data is empty, not missing.
        let v = value(spread(&s, &p(&[("topic", "hulu")], SPREAD_PARAMS)));
        assert_eq!(v["regions"], json!([]));
        let v = value(curve(&s, &p(&[("topic", "hulu")], CURVE_PARAMS)));
        assert_eq!(v["buckets"], json!([]));
    }
}

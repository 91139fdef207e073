//! Reading curves back out of the store.
//!
//! A curve with holes misleads: an hour with no complaints is a zero, not a
//! missing row, or a chart would draw a line straight across the quiet night
//! before an outage. Every bucket in the range is returned.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

use crate::store::keys::{hour_of, hour_start, Hour};
use crate::store::{Counter, Store, StoreError};

mod topics;
pub use topics::{display_name, TopicError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Hour,
    Day,
}

impl Granularity {
    /// Hours in one bucket.
    pub fn hours(self) -> u32 {
        match self {
            Granularity::Hour => 1,
            Granularity::Day => 24,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CurveQuery<'a> {
    pub topic: &'a str,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub by: Granularity,
    /// A country code, or `None` for every region together.
    pub region: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub counter: Counter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub topic: String,
    /// `all`, or the region asked for.
    pub region: String,
    pub buckets: Vec<Bucket>,
}

/// Most buckets one curve may hold: thirty years of hours, or by day some
/// 720 years. Every bucket is allocated before the store is read, so a
/// mistyped year (`--to 9012-12-25`) would otherwise ask for some sixty
/// million buckets, gigabytes at once, and abort the process; the command
/// line and the reports refuse such a range with this limit (the API with
/// a tighter one of its own). It is wide enough for any store a user can
/// hold (Twitter began in 2006; an archive of 2012 and a live feed of today
/// make one curve) and for a range as round as 2000 to 2030.
pub const MAX_BUCKETS: u64 = 24 * 366 * 30;

/// The most buckets a curve may hold somewhere, and how that is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketLimit {
    pub max: u64,
    /// What may hold them ("a curve").
    pub holder: &'static str,
    /// `max` in words ("thirty years of hours").
    pub span: &'static str,
}

/// The limit of every curve the command line draws or writes.
pub const CURVE_LIMIT: BucketLimit = BucketLimit {
    max: MAX_BUCKETS,
    holder: "a curve",
    span: "thirty years of hours",
};

/// A curve's range holds more buckets than its limit allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyBuckets {
    /// The buckets the range would hold.
    pub buckets: u64,
    pub by: Granularity,
    /// The first and last hour the range would count.
    pub first: Hour,
    pub last: Hour,
    pub limit: BucketLimit,
}

impl fmt::Display for TooManyBuckets {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // The limit counts buckets, so by day it reaches 24 times as far as
        // the words kept for hours say.
        let (unit, span) = match self.by {
            Granularity::Hour => ("hourly", self.limit.span.to_string()),
            Granularity::Day => (
                "daily",
                format!("by day, some {} years", self.limit.max / 366),
            ),
        };
        write!(
            f,
            "the range from {} to {} holds {} {unit} buckets, more than the {} {} may \
             hold ({})",
            hour_start(self.first).to_rfc3339_opts(SecondsFormat::Secs, true),
            hour_start(self.last).to_rfc3339_opts(SecondsFormat::Secs, true),
            self.buckets,
            self.limit.max,
            self.limit.holder,
            span,
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CurveError {
    #[error("{0}")]
    TooManyBuckets(TooManyBuckets),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The hours a curve of `q` counts, `from` and `to` widened to whole
/// buckets and defaulting to the topic's stored span; `None` when there is
/// nothing to count (no range given and nothing stored, or `from` after
/// `to`). Refuses a range of more buckets than `limit` allows, before
/// anything is allocated for it.
pub fn curve_hours(
    store: &Store,
    q: &CurveQuery,
    limit: BucketLimit,
) -> Result<Option<(Hour, Hour)>, CurveError> {
    let span = store.topic_span(q.topic)?;
    let (first, last) = match (q.from.map(hour_of), q.to.map(hour_of), span) {
        (Some(a), Some(b), _) => (a, b),
        (Some(a), None, Some((_, b))) => (a, b.max(a)),
        (None, Some(b), Some((a, _))) => (a.min(b), b),
        (None, None, Some(span)) => span,
        _ => return Ok(None),
    };
    if first > last {
        return Ok(None);
    }
    let width = q.by.hours();
    let first = first - first % width;
    let last = (last - last % width).saturating_add(width - 1);
    let buckets = u64::from((last - first) / width) + 1;
    if buckets > limit.max {
        return Err(CurveError::TooManyBuckets(TooManyBuckets {
            buckets,
            by: q.by,
            first,
            last,
            limit,
        }));
    }
    Ok(Some((first, last)))
}

/// The curve of one topic. `from` is rounded down to its bucket and `to` is
/// inclusive of the whole bucket it falls in: a day bucket cut at `to`'s
/// hour would be labelled as a day but hold part of one. Without them the
/// curve spans the first to the last hour stored for the topic. A range of
/// more than [`MAX_BUCKETS`] buckets is refused (see [`curve_hours`]).
pub fn curve(store: &Store, q: &CurveQuery) -> Result<Curve, CurveError> {
    curve_within(store, q, CURVE_LIMIT)
}

/// [`curve`] under another limit than the command line's.
pub fn curve_within(
    store: &Store,
    q: &CurveQuery,
    limit: BucketLimit,
) -> Result<Curve, CurveError> {
    let region_name = q.region.unwrap_or("all").to_string();
    let Some((first_bucket, last)) = curve_hours(store, q, limit)? else {
        return Ok(Curve {
            topic: q.topic.to_string(),
            region: region_name,
            buckets: Vec::new(),
        });
    };
    let width = q.by.hours();
    let bucket_of = |h: Hour| h - h % width;
    let count = ((bucket_of(last) - first_bucket) / width + 1) as usize;
    let mut buckets: Vec<Bucket> = (0..count)
        .map(|i| Bucket {
            start: hour_start(first_bucket + i as u32 * width),
            counter: Counter::default(),
        })
        .collect();
    let mut add = |hour: Hour, counter: &Counter| {
        let i = ((bucket_of(hour) - first_bucket) / width) as usize;
        if let Some(b) = buckets.get_mut(i) {
            b.counter.add(counter);
        }
    };
    // Every region together is one stored value a day; one region is
    // picked out of the per-region days, ignoring case like the rest of the
    // command line.
    match q.region {
        None => {
            for row in store.counters_all_regions(q.topic, first_bucket, last) {
                let (hour, counter) = row?;
                add(hour, &counter);
            }
        }
        Some(region) => {
            for row in store.region_counters(q.topic, region, first_bucket, last) {
                let (hour, _, counter) = row?;
                add(hour, &counter);
            }
        }
    }
    Ok(Curve {
        topic: q.topic.to_string(),
        region: region_name,
        buckets,
    })
}

/// Whether `from` is after `to`. Every command and endpoint that takes both
/// refuses such a range rather than answering it with an empty curve, which
/// reads as "nothing happened".
pub fn reversed(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> bool {
    matches!((from, to), (Some(f), Some(t)) if f > t)
}

/// A region as the store spells it: a country code in capitals, or
/// `unknown`; `None` for `all`, every region together, since that is the
/// name curves give the total and a user may hand it back. Anything else
/// would answer zeros from counters that do not exist, so it is refused
/// with what would be right (the caller names its parameter in front):
/// that includes two letters no country has (`ZZ`), since no post is ever
/// placed there ([`crate::region::is_country`]).
pub fn parse_region(v: &str) -> Result<Option<String>, String> {
    if v.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    if v.eq_ignore_ascii_case("unknown") {
        return Ok(Some("unknown".to_string()));
    }
    if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) {
        let code = v.to_ascii_uppercase();
        if crate::region::is_country(&code) {
            return Ok(Some(code));
        }
        return Err(format!(
            "{v:?} is not a country's ISO 3166-1 code, so no post is ever placed there \
             (its curve would be all zeros); give one such as US or BR, unknown, or all"
        ));
    }
    Err(format!(
        "must be a two-letter country code such as US or BR, unknown, or all, not {v:?}"
    ))
}

/// RFC 3339, or a date and hour (`2012-12-24T20`), or a date, always UTC.
/// Times before 1970 have no hour in the store; years past 9999 are typos.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let t = if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        t.with_timezone(&Utc)
    } else if let Ok(t) = NaiveDateTime::parse_from_str(&format!("{s}:00:00"), "%Y-%m-%dT%H:%M:%S")
    {
        t.and_utc()
    } else {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)?
            .and_utc()
    };
    let year = t.format("%Y").to_string().parse::<i32>().ok()?;
    (t.timestamp() >= 0 && year <= 9999).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PendingCommit;
    use chrono::TimeZone;

    #[test]
    fn times_take_three_shapes_in_utc() {
        let eight_pm = Utc.with_ymd_and_hms(2012, 12, 24, 20, 0, 0).unwrap();
        assert_eq!(parse_time("2012-12-24T20:00:00Z"), Some(eight_pm));
        assert_eq!(parse_time("2012-12-24T15:00:00-05:00"), Some(eight_pm));
        assert_eq!(parse_time("2012-12-24T20"), Some(eight_pm));
        assert_eq!(
            parse_time("2012-12-24"),
            Some(Utc.with_ymd_and_hms(2012, 12, 24, 0, 0, 0).unwrap())
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2012-12-24T25"), None);
        assert_eq!(parse_time("1969-12-31"), None);
        assert_eq!(parse_time(""), None);
    }

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2012, 12, d, h, 0, 0).unwrap()
    }

    fn store_with(rows: &[(DateTime<Utc>, &str, u64)]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut c = PendingCommit::default();
        for (t, region, n) in rows {
            let delta = Counter {
                posts: *n,
                complaints: *n,
                ..Counter::default()
            };
            c.add_counter("netflix", hour_of(*t), region, &delta);
        }
        store.commit(c).unwrap();
        (dir, store)
    }

    fn posts(c: &Curve) -> Vec<u64> {
        c.buckets.iter().map(|b| b.counter.posts).collect()
    }

    #[test]
    fn hours_without_posts_are_zeros() {
        let (_d, store) = store_with(&[
            (at(24, 20), "US", 3),
            (at(24, 23), "BR", 2),
            (at(24, 23), "US", 1),
        ]);
        let q = CurveQuery {
            topic: "netflix",
            from: None,
            to: None,
            by: Granularity::Hour,
            region: None,
        };
        let c = curve(&store, &q).unwrap();
        assert_eq!(c.region, "all");
        assert_eq!(c.buckets[0].start, at(24, 20));
        assert_eq!(posts(&c), vec![3, 0, 0, 3]);
        let us = curve(
            &store,
            &CurveQuery {
                region: Some("us"),
                ..q.clone()
            },
        )
        .unwrap();
        assert_eq!(posts(&us), vec![3, 0, 0, 1]);
        let wide = curve(
            &store,
            &CurveQuery {
                from: Some(at(24, 18)),
                to: Some(at(25, 1)),
                ..q.clone()
            },
        )
        .unwrap();
        assert_eq!(posts(&wide), vec![0, 0, 3, 0, 0, 3, 0, 0]);
    }

    #[test]
    fn days_sum_their_hours() {
        let (_d, store) = store_with(&[
            (at(24, 1), "US", 3),
            (at(24, 23), "US", 2),
            (at(26, 0), "US", 7),
        ]);
        let q = CurveQuery {
            topic: "netflix",
            from: None,
            to: None,
            by: Granularity::Day,
            region: None,
        };
        let c = curve(&store, &q).unwrap();
        assert_eq!(c.buckets[0].start, at(24, 0));
        assert_eq!(posts(&c), vec![5, 0, 7]);
    }

    #[test]
    fn a_day_bucket_is_a_whole_day_whatever_hours_bound_it() {
        let (_d, store) = store_with(&[
            (at(24, 10), "US", 2),
            (at(24, 21), "US", 3),
            (at(25, 0), "US", 1),
            (at(25, 15), "BR", 4),
        ]);
        let q = CurveQuery {
            topic: "netflix",
            from: Some(at(24, 21)),
            to: Some(at(25, 0)),
            by: Granularity::Day,
            region: None,
        };
        let c = curve(&store, &q).unwrap();
        assert_eq!(c.buckets[0].start, at(24, 0));
        assert_eq!(posts(&c), vec![5, 5]);
        let br = curve(
            &store,
            &CurveQuery {
                region: Some("BR"),
                ..q.clone()
            },
        )
        .unwrap();
        assert_eq!(posts(&br), vec![0, 4]);
    }

    #[test]
    fn regions_are_codes_unknown_or_all() {
        assert_eq!(parse_region("br"), Ok(Some("BR".to_string())));
        assert_eq!(parse_region("Unknown"), Ok(Some("unknown".to_string())));
        assert_eq!(parse_region("ALL"), Ok(None));
        for bad in ["USA", "other", "", "u1", "ÜS"] {
            assert_eq!(
                parse_region(bad),
                Err(format!(
                    "must be a two-letter country code such as US or BR, unknown, or all, not {bad:?}"
                ))
            );
        }
        // Well formed, but no country's: no post is ever placed there.
        assert_eq!(
            parse_region("zz"),
            Err(
                "\"zz\" is not a country's ISO 3166-1 code, so no post is ever placed there \
                 (its curve would be all zeros); give one such as US or BR, unknown, or all"
                    .to_string()
            )
        );
        assert_eq!(parse_region("xk"), Ok(Some("XK".to_string())));
    }

    #[test]
    fn only_a_from_after_to_is_reversed() {
        assert!(reversed(Some(at(25, 0)), Some(at(24, 23))));
        assert!(!reversed(Some(at(24, 23)), Some(at(24, 23))));
        assert!(!reversed(Some(at(25, 0)), None));
        assert!(!reversed(None, Some(at(24, 0))));
    }

    #[test]
    fn a_range_beyond_the_bucket_limit_is_refused_before_anything_is_allocated() {
        let (_d, store) = store_with(&[(at(24, 1), "US", 3)]);
        let q = CurveQuery {
            topic: "netflix",
            from: Some(at(24, 0)),
            to: Some(Utc.with_ymd_and_hms(9012, 12, 25, 0, 0, 0).unwrap()),
            by: Granularity::Hour,
            region: None,
        };
        let Err(CurveError::TooManyBuckets(t)) = curve(&store, &q) else {
            panic!("a 7000-year hourly curve must be refused");
        };
        assert_eq!(t.buckets, 61_360_753);
        assert_eq!(t.by, Granularity::Hour);
        assert_eq!(
            t.to_string(),
            "the range from 2012-12-24T00:00:00Z to 9012-12-25T00:00:00Z holds 61360753 \
             hourly buckets, more than the 263520 a curve may hold (thirty years of hours)"
        );
        // By day the same range is still too long, counted in days.
        let Err(CurveError::TooManyBuckets(t)) = curve(
            &store,
            &CurveQuery {
                by: Granularity::Day,
                ..q.clone()
            },
        ) else {
            panic!("a 7000-year daily curve must be refused");
        };
        assert_eq!(t.buckets, 2_556_699);
        assert_eq!(
            hour_start(t.last),
            Utc.with_ymd_and_hms(9012, 12, 25, 23, 0, 0).unwrap()
        );

        // Exactly the limit is answered, one bucket more is not.
        let from = at(24, 0);
        let limit = |extra: i64| CurveQuery {
            to: Some(from + chrono::Duration::hours(MAX_BUCKETS as i64 - 1 + extra)),
            from: Some(from),
            ..q.clone()
        };
        let c = curve(&store, &limit(0)).unwrap();
        assert_eq!(c.buckets.len() as u64, MAX_BUCKETS);
        assert_eq!(c.buckets[1].counter.posts, 3);
        assert!(matches!(
            curve(&store, &limit(1)),
            Err(CurveError::TooManyBuckets(TooManyBuckets {
                buckets: 263_521,
                ..
            }))
        ));
        // Thirty years by hour is within it; the same by day is 10957
        // buckets.
        let thirty_years = CurveQuery {
            to: Some(Utc.with_ymd_and_hms(2042, 12, 23, 23, 0, 0).unwrap()),
            ..q.clone()
        };
        assert_eq!(curve(&store, &thirty_years).unwrap().buckets.len(), 262_968);
        assert_eq!(
            curve_hours(
                &store,
                &CurveQuery {
                    by: Granularity::Day,
                    ..thirty_years
                },
                CURVE_LIMIT
            )
            .unwrap()
            .map(|(a, b)| (b - a + 1) / 24),
            Some(10957)
        );
    }

    #[test]
    fn an_unknown_topic_has_an_empty_curve() {
        let (_d, store) = store_with(&[(at(24, 1), "US", 3)]);
        let q = CurveQuery {
            topic: "hulu",
            from: None,
            to: None,
            by: Granularity::Hour,
            region: None,
        };
        assert!(curve(&store, &q).unwrap().buckets.is_empty());
    }
}

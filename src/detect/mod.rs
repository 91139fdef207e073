//! Finding incidents: hours where complaints rise significantly above normal.
//!
//! A curve is raw material; the question users ask is "when did it break,
//! when was it worst, when was it over, and where". Each hour's complaint
//! count is compared with its baseline ([`baseline`]) through a count model
//! ([`counts`]): an hour is *hot* when a count that high would happen by
//! chance less than once in 10,000 hours, *warm* when less than once in 100.
//! An incident is a run of warm hours holding at least one hot hour, with
//! dips of up to two ordinary hours bridged (complaints ebb as people give
//! up, then return) and lasting at least two hours (one loud hour is a joke
//! going viral more often than an outage). Warm hours before the first hot
//! one belong to the incident, so a slow start is dated from its beginning.

pub mod baseline;
pub mod counts;
pub mod truth;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spread::RegionalView;
use crate::store::keys::Hour;
use crate::store::{Store, StoreError};
pub use baseline::{BaselineConfig, BaselineKind, Expected};
pub use counts::CountModel;

#[derive(Debug, Clone, PartialEq)]
pub struct DetectConfig {
    pub baseline: BaselineConfig,
    /// Relative extra variance of hourly counts beyond Poisson (φ in
    /// variance = μ + φμ²): real traffic wobbles from day to day.
    pub dispersion: f64,
    /// Tail probability below which an hour is hot.
    pub alpha_open: f64,
    /// Tail probability below which an hour is warm.
    pub alpha_continue: f64,
    /// A hot hour has at least this many complaints, whatever the model says.
    pub min_count: u64,
    /// Ordinary hours bridged inside one incident.
    pub max_gap_hours: u32,
    /// Shorter runs are not incidents.
    pub min_hours: u32,
    /// Regions with fewer complaints in a window are judged together as
    /// `other`.
    pub min_region_complaints: u64,
}

impl Default for DetectConfig {
    fn default() -> Self {
        DetectConfig {
            baseline: BaselineConfig::default(),
            dispersion: 0.03,
            alpha_open: 1e-4,
            alpha_continue: 1e-2,
            min_count: 3,
            max_gap_hours: 2,
            min_hours: 2,
            min_region_complaints: 10,
        }
    }
}

/// One hour of a series, judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HourStat {
    pub hour: Hour,
    pub complaints: u64,
    pub expected: Expected,
    /// The smallest count that would make this hour hot.
    pub threshold: u64,
    /// P(count ≥ complaints) under the baseline.
    pub p_value: f64,
}

impl HourStat {
    /// Judged by the tail probability, so one set of judged hours can be
    /// segmented again under a stricter `alpha_open`.
    pub fn hot(&self, cfg: &DetectConfig) -> bool {
        self.p_value < cfg.alpha_open && self.complaints >= cfg.min_count
    }

    pub fn warm(&self, cfg: &DetectConfig) -> bool {
        self.p_value < cfg.alpha_continue && self.complaints as f64 > self.expected.mean
    }
}

/// Judges every hour of a series whose first entry is hour `first`.
pub fn assess(counts: &[u64], first: Hour, cfg: &DetectConfig) -> Vec<HourStat> {
    assess_with_gaps(counts, first, &[], cfg)
}

/// [`assess`], leaving `silent_days` (day numbers, `hour / 24`, in order)
/// out of every baseline's history: see [`TopicCounts::silent_days`].
pub fn assess_with_gaps(
    counts: &[u64],
    first: Hour,
    silent_days: &[u32],
    cfg: &DetectConfig,
) -> Vec<HourStat> {
    let expected = baseline::baseline(counts, first, silent_days, &cfg.baseline);
    counts
        .iter()
        .zip(expected)
        .enumerate()
        .map(|(i, (&complaints, expected))| {
            let model = CountModel::new(expected.mean, expected.samples, cfg.dispersion);
            HourStat {
                hour: first + i as Hour,
                complaints,
                expected,
                threshold: model.threshold(cfg.alpha_open).max(cfg.min_count),
                p_value: model.upper_tail(complaints),
            }
        })
        .collect()
}

/// A run of abnormal hours in one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: Hour,
    pub peak: Hour,
    pub end: Hour,
    pub complaints: u64,
    pub peak_complaints: u64,
    pub baseline_at_peak: f64,
    /// The baseline summed over the segment: what would have come anyway.
    pub expected: f64,
}

impl Segment {
    pub fn overlaps(&self, from: Hour, to: Hour) -> bool {
        self.start <= to && self.end >= from
    }

    pub fn hours(&self) -> u32 {
        self.end - self.start + 1
    }
}

/// The incidents of a judged series, in time order.
pub fn segments(stats: &[HourStat], cfg: &DetectConfig) -> Vec<Segment> {
    // Runs of warm hours: (first index, last index, holds a hot hour).
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    for (i, s) in stats.iter().enumerate() {
        if !s.warm(cfg) {
            continue;
        }
        let hot = s.hot(cfg);
        match runs.last_mut() {
            Some(run) if i - run.1 <= cfg.max_gap_hours as usize + 1 => {
                run.1 = i;
                run.2 |= hot;
            }
            _ => runs.push((i, i, hot)),
        }
    }
    runs.into_iter()
        .filter(|&(a, b, hot)| hot && (b - a + 1) as u32 >= cfg.min_hours)
        .map(|(a, b, _)| segment_over(&stats[a..=b]))
        .collect()
}

/// The numbers of a run of judged hours (not empty).
fn segment_over(span: &[HourStat]) -> Segment {
    // The loudest hour; the first of equals.
    let peak = span
        .iter()
        .rev()
        .max_by_key(|s| s.complaints)
        .unwrap_or(&span[0]);
    Segment {
        start: span[0].hour,
        peak: peak.hour,
        end: span[span.len() - 1].hour,
        complaints: span.iter().map(|s| s.complaints).sum(),
        peak_complaints: peak.complaints,
        baseline_at_peak: peak.expected.mean,
        expected: span.iter().map(|s| s.expected.mean).sum(),
    }
}

/// Joins alarms raised on the total and on single regions into incidents
/// of the topic, described by the total's hours. Alarms closer than the
/// allowed gap are one incident.
pub fn merge_alarms(
    stats: &[HourStat],
    mut alarms: Vec<(Hour, Hour)>,
    cfg: &DetectConfig,
) -> Vec<Segment> {
    let Some(first) = stats.first().map(|s| s.hour) else {
        return Vec::new();
    };
    alarms.sort_unstable();
    let mut merged: Vec<(Hour, Hour)> = Vec::new();
    for (a, b) in alarms {
        match merged.last_mut() {
            Some(last) if a <= last.1.saturating_add(cfg.max_gap_hours + 1) => {
                last.1 = last.1.max(b)
            }
            _ => merged.push((a, b)),
        }
    }
    merged
        .into_iter()
        .filter_map(|(a, b)| {
            let i = a.checked_sub(first)? as usize;
            let j = (b.checked_sub(first)? as usize).min(stats.len().checked_sub(1)?);
            (i <= j).then(|| segment_over(&stats[i..=j]))
        })
        .collect()
}

/// One topic's complaints per hour, in total and per region, over a range
/// of hours (zero-filled).
#[derive(Debug, Clone, PartialEq)]
pub struct TopicCounts {
    pub topic: String,
    pub first: Hour,
    pub total: Vec<u64>,
    pub regions: BTreeMap<String, Vec<u64>>,
    /// Whole UTC days of the range (`hour / 24`, in order) on which the
    /// topic has no post at all, complaint or not. A day of silence about a
    /// topic people talk about every hour means nobody was collecting (a
    /// store holding archives of two outages months apart), not that all
    /// was well: such days are left out of baselines, as the days before
    /// the first stored hour are, rather than counted as zeros that would
    /// make the next ordinary evening look like an outage.
    pub silent_days: Vec<u32>,
}

impl TopicCounts {
    /// Reads `from..=to` of a topic in one scan of the store.
    pub fn load(
        store: &Store,
        topic: &str,
        from: Hour,
        to: Hour,
    ) -> Result<TopicCounts, StoreError> {
        let len = if to >= from {
            (to - from) as usize + 1
        } else {
            0
        };
        let mut counts = TopicCounts {
            topic: topic.to_string(),
            first: from,
            total: vec![0; len],
            regions: BTreeMap::new(),
            silent_days: Vec::new(),
        };
        if len == 0 {
            return Ok(counts);
        }
        let first_day = from / 24;
        let mut spoken = vec![false; (to / 24 - first_day) as usize + 1];
        for row in store.counters(topic, from, to) {
            let (hour, region, counter) = row?;
            let Some(i) = counts.index(hour) else {
                continue;
            };
            if counter.posts > 0 {
                spoken[(hour / 24 - first_day) as usize] = true;
            }
            counts.total[i] += counter.complaints;
            if counter.complaints > 0 {
                counts.regions.entry(region).or_insert_with(|| vec![0; len])[i] +=
                    counter.complaints;
            }
        }
        // Only days wholly inside the range: of a day cut by it, the hours
        // not read may hold posts.
        counts.silent_days = (first_day..=to / 24)
            .filter(|&day| !spoken[(day - first_day) as usize])
            .filter(|&day| day * 24 >= from && day * 24 + 23 <= to)
            .collect();
        Ok(counts)
    }

    /// Builds counts from a plain series (tests, synthetic curves).
    pub fn from_series(topic: &str, first: Hour, total: Vec<u64>) -> TopicCounts {
        TopicCounts {
            topic: topic.to_string(),
            first,
            total,
            regions: BTreeMap::new(),
            silent_days: Vec::new(),
        }
    }

    /// Judges a series of these counts (the total, or a region's).
    pub fn assess(&self, series: &[u64], cfg: &DetectConfig) -> Vec<HourStat> {
        assess_with_gaps(series, self.first, &self.silent_days, cfg)
    }

    pub fn index(&self, hour: Hour) -> Option<usize> {
        let i = hour.checked_sub(self.first)? as usize;
        (i < self.total.len()).then_some(i)
    }

    pub fn last(&self) -> Option<Hour> {
        (!self.total.is_empty()).then(|| self.first + (self.total.len() - 1) as Hour)
    }
}

/// An incident of one topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// Its place among the topic's incidents, from 1 in time order, over
    /// all the counts detection read: everything stored, for
    /// [`detect_topic`]. A time range only filters incidents and never
    /// renumbers them, so `detect`, `spread --incident N`, `report` and the
    /// API all mean one incident by one number.
    pub number: usize,
    pub topic: String,
    pub start: Hour,
    pub peak: Hour,
    pub end: Hour,
    pub complaints: u64,
    pub peak_complaints: u64,
    pub baseline_at_peak: f64,
    /// Peak complaints over the baseline at the peak.
    pub ratio: f64,
    /// Regions hit, first hit first (never `other` or `unknown`).
    pub regions: Vec<String>,
}

/// What detection found for one topic, with the judged hours behind it.
#[derive(Debug, Clone)]
pub struct TopicReport {
    pub counts: TopicCounts,
    pub hours: Vec<HourStat>,
    pub incidents: Vec<Incident>,
}

impl Incident {
    pub fn overlaps(&self, from: Hour, to: Hour) -> bool {
        self.start <= to && self.end >= from
    }
}

impl TopicReport {
    /// The incident numbered `number`, if the report holds it.
    pub fn incident(&self, number: usize) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.number == number)
    }

    /// The incidents overlapping `from..=to` (either end open), with their
    /// numbers.
    pub fn within(&self, from: Option<Hour>, to: Option<Hour>) -> Vec<Incident> {
        let (from, to) = (from.unwrap_or(0), to.unwrap_or(Hour::MAX));
        self.incidents
            .iter()
            .filter(|i| i.overlaps(from, to))
            .cloned()
            .collect()
    }

    /// The incident with the most complaints, if any.
    pub fn largest(&self) -> Option<&Incident> {
        self.incidents
            .iter()
            .max_by_key(|i| (i.complaints, std::cmp::Reverse(i.start)))
    }
}

/// How much history before `from` is read: the baseline's reach.
fn history_hours(cfg: &DetectConfig) -> Hour {
    cfg.baseline.history_days * 24
}

/// Finds the incidents of `topic` overlapping `from..=to` (default: all it
/// has). Detection always runs over everything stored for the topic, and the
/// range only filters what it found: an incident's number, its baseline and
/// its regions are then the same whatever range is asked (reading only the
/// weeks around the range dated and numbered incidents differently, and
/// `spread --incident N` described another one).
pub fn detect_topic(
    store: &Store,
    topic: &str,
    from: Option<Hour>,
    to: Option<Hour>,
    cfg: &DetectConfig,
) -> Result<TopicReport, StoreError> {
    let Some((first, last)) = store.topic_span(topic)? else {
        return Ok(TopicReport {
            counts: TopicCounts::from_series(topic, from.unwrap_or(0), Vec::new()),
            hours: Vec::new(),
            incidents: Vec::new(),
        });
    };
    let counts = TopicCounts::load(store, topic, first, last)?;
    Ok(detect_counts(counts, from, to, cfg))
}

/// Detection on counts already read: incidents numbered over all of
/// `counts`, then those overlapping `from..=to` kept.
pub fn detect_counts(
    counts: TopicCounts,
    from: Option<Hour>,
    to: Option<Hour>,
    cfg: &DetectConfig,
) -> TopicReport {
    let hours = counts.assess(&counts.total, cfg);
    let view = RegionalView::new(&counts, cfg);
    // An outage confined to a small region barely moves the total, while
    // that region's own curve leaps: alarms on either count. Regions are
    // many tests at once, so each must clear a stricter bar.
    let mut alarms: Vec<(Hour, Hour)> = segments(&hours, cfg)
        .iter()
        .map(|s| (s.start, s.end))
        .collect();
    alarms.extend(view.region_alarms());
    let all = merge_alarms(&hours, alarms, cfg)
        .into_iter()
        .enumerate()
        .map(|(i, s)| Incident {
            number: i + 1,
            topic: counts.topic.clone(),
            start: s.start,
            peak: s.peak,
            end: s.end,
            complaints: s.complaints,
            peak_complaints: s.peak_complaints,
            baseline_at_peak: s.baseline_at_peak,
            ratio: s.peak_complaints as f64 / s.baseline_at_peak.max(f64::MIN_POSITIVE),
            regions: view.spread(s.start, s.end).hit_regions(),
        })
        .collect();
    let mut report = TopicReport {
        counts,
        hours,
        incidents: all,
    };
    report.incidents = report.within(from, to);
    report
}

/// The judged hours of one series of a topic (a region's, or the total when
/// `region` is `None`) over `from..=to`, for `curve --baseline`: the same
/// baselines as judging everything stored, read from only the days they
/// rest on.
pub fn judged_hours(
    store: &Store,
    topic: &str,
    region: Option<&str>,
    from: Hour,
    to: Hour,
    cfg: &DetectConfig,
) -> Result<Vec<HourStat>, StoreError> {
    let Some((first, last)) = store.topic_span(topic)? else {
        return Ok(Vec::new());
    };
    // A day's baseline rests on whole days: up to `history_days` before the
    // day and, in the warm-up, up to `borrow_days` after it. Reading from
    // the asked hours instead of their days cut that history short, so an
    // hour's baseline changed with the range asked for, and differed from
    // the one detection judged it by.
    let from_day = from - from % 24;
    let to_day_end = (to - to % 24).saturating_add(23);
    let lo = from_day
        .saturating_sub(history_hours(cfg))
        .max(first)
        .min(from);
    let hi = to_day_end
        .saturating_add(cfg.baseline.borrow_days * 24)
        .min(last)
        .max(to);
    let counts = TopicCounts::load(store, topic, lo, hi)?;
    let series = match region {
        None => counts.total.clone(),
        Some(r) => counts
            .regions
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(r))
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| vec![0; counts.total.len()]),
    };
    // Hours before the topic's first and after its last post are unknown;
    // judge only the stored span, then keep what was asked.
    let known_from = first.max(lo);
    let known_to = last.min(hi);
    let Some(a) = counts.index(known_from) else {
        return Ok(Vec::new());
    };
    let b = counts.index(known_to).unwrap_or(a);
    let stats = assess_with_gaps(&series[a..=b], known_from, &counts.silent_days, cfg);
    Ok(stats
        .into_iter()
        .filter(|s| s.hour >= from && s.hour <= to)
        .collect())
}

#[cfg(test)]
mod tests;

//! How an outage spread: which regions were hit, and in what order.
//!
//! "The US broke first, Brazil an hour later, the UK never" is the finding a
//! post-mortem wants, and a total curve hides it. Each region's own curve is
//! judged against its own baseline with the same rules as the total
//! ([`crate::detect`]), so a region counts as hit only when its complaints
//! rose significantly above its normal, not merely when it had some.
//! Regions with too few complaints to judge alone are summed into `other`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::detect::{segments, DetectConfig, HourStat, Segment, TopicCounts, TopicReport};
use crate::region::Region;
use crate::store::keys::Hour;

/// The name of the row that sums the small regions.
pub const OTHER: &str = "other";

/// One region's part in an incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionSpread {
    pub region: String,
    /// First hour of the region's own rise; `None` when it did not rise
    /// significantly (it had complaints, but no more than usual).
    pub onset: Option<Hour>,
    /// The region's loudest hour in the window.
    pub peak: Option<Hour>,
    pub end: Option<Hour>,
    /// Complaints in the window.
    pub complaints: u64,
    pub peak_complaints: u64,
    /// Fraction of the window's complaints.
    pub share: f64,
}

/// A region's hours in the window, for the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub region: String,
    pub complaints: Vec<u64>,
    /// The hour lies in one of the region's own incidents.
    pub active: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub topic: String,
    /// The hours described: the window asked for, cut to the hours the
    /// topic has stored. Every timeline row starts at `from`.
    pub from: Hour,
    pub to: Hour,
    /// Ordered by onset; regions that were not hit last, larger first.
    pub rows: Vec<RegionSpread>,
    /// Same order as `rows`.
    pub timeline: Vec<TimelineRow>,
}

impl Spread {
    /// The regions hit, first hit first, without `other` and `unknown`.
    pub fn hit_regions(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.onset.is_some() && r.region != OTHER && r.region != Region::UNKNOWN)
            .map(|r| r.region.clone())
            .collect()
    }
}

/// A topic's regions, each judged once, ready to describe any window.
pub struct RegionalView<'a> {
    counts: &'a TopicCounts,
    cfg: &'a DetectConfig,
    /// Judged hours of every region big enough to ever be judged alone.
    stats: BTreeMap<&'a str, Vec<HourStat>>,
    /// Their incidents.
    segments: BTreeMap<&'a str, Vec<Segment>>,
}

impl<'a> RegionalView<'a> {
    pub fn new(counts: &'a TopicCounts, cfg: &'a DetectConfig) -> RegionalView<'a> {
        let stats: BTreeMap<&str, Vec<HourStat>> = counts
            .regions
            .iter()
            .filter(|(_, series)| series.iter().sum::<u64>() >= cfg.min_region_complaints)
            .map(|(name, series)| (name.as_str(), counts.assess(series, cfg)))
            .collect();
        let segments = stats
            .iter()
            .map(|(name, s)| (*name, segments(s, cfg)))
            .collect();
        RegionalView {
            counts,
            cfg,
            stats,
            segments,
        }
    }

    /// Incidents of single regions strong enough to raise an alarm for the
    /// topic: judged with `alpha_open` divided among the regions (a
    /// Bonferroni bar, since each region is one more chance of a fluke) and
    /// at least five complaints in the hottest hour.
    pub fn region_alarms(&self) -> Vec<(Hour, Hour)> {
        let strict = DetectConfig {
            alpha_open: self.cfg.alpha_open / self.stats.len().max(1) as f64,
            min_count: self.cfg.min_count.max(5),
            ..self.cfg.clone()
        };
        self.stats
            .values()
            .flat_map(|s| segments(s, &strict))
            .map(|s| (s.start, s.end))
            .collect()
    }

    /// Each region's part in `from..=to`.
    pub fn spread(&self, from: Hour, to: Hour) -> Spread {
        let counts = self.counts;
        let window = match (counts.index(from.max(counts.first)), counts.last()) {
            (Some(a), Some(last)) => counts.index(to.min(last)).map(|b| (a, b)),
            _ => None,
        };
        let mut spread = Spread {
            topic: counts.topic.clone(),
            from,
            to,
            rows: Vec::new(),
            timeline: Vec::new(),
        };
        let Some((a, b)) = window.filter(|(a, b)| a <= b) else {
            return spread;
        };
        // Nothing is stored outside the topic's hours, so the window shrinks
        // to them, and `from` names the first cell of every timeline row.
        spread.from = counts.first + a as Hour;
        spread.to = counts.first + b as Hour;
        let total: u64 = counts.total[a..=b].iter().sum();
        let mut other = vec![0u64; counts.total.len()];
        let mut has_other = false;
        let mut rows: Vec<(RegionSpread, TimelineRow)> = Vec::new();
        for (name, series) in &counts.regions {
            let in_window: u64 = series[a..=b].iter().sum();
            if in_window == 0 {
                continue;
            }
            match self.segments.get(name.as_str()) {
                Some(segs) if in_window >= self.cfg.min_region_complaints => {
                    rows.push(self.describe(name, series, segs, a, b, total));
                }
                _ => {
                    has_other = true;
                    for (o, v) in other.iter_mut().zip(series) {
                        *o += v;
                    }
                }
            }
        }
        if has_other {
            let stats = counts.assess(&other, self.cfg);
            let segs = segments(&stats, self.cfg);
            rows.push(self.describe(OTHER, &other, &segs, a, b, total));
        }
        rows.sort_by(|(x, _), (y, _)| {
            let key =
                |r: &RegionSpread| (r.onset.is_none(), r.onset, std::cmp::Reverse(r.complaints));
            key(x).cmp(&key(y)).then_with(|| x.region.cmp(&y.region))
        });
        for (row, line) in rows {
            spread.rows.push(row);
            spread.timeline.push(line);
        }
        spread
    }

    fn describe(
        &self,
        name: &str,
        series: &[u64],
        segs: &[Segment],
        a: usize,
        b: usize,
        total: u64,
    ) -> (RegionSpread, TimelineRow) {
        let first = self.counts.first;
        let (from, to) = (first + a as Hour, first + b as Hour);
        let hit: Vec<&Segment> = segs.iter().filter(|s| s.overlaps(from, to)).collect();
        let window = &series[a..=b];
        let complaints: u64 = window.iter().sum();
        let (peak_offset, peak_complaints) = window
            .iter()
            .enumerate()
            .rev()
            .max_by_key(|(_, &c)| c)
            .map(|(i, &c)| (i, c))
            .unwrap_or((0, 0));
        let row = RegionSpread {
            region: name.to_string(),
            onset: hit.first().map(|s| s.start),
            peak: (peak_complaints > 0).then_some(from + peak_offset as Hour),
            end: hit.last().map(|s| s.end),
            complaints,
            peak_complaints,
            share: if total == 0 {
                0.0
            } else {
                complaints as f64 / total as f64
            },
        };
        let line = TimelineRow {
            region: name.to_string(),
            complaints: window.to_vec(),
            active: (from..=to)
                .map(|h| hit.iter().any(|s| s.start <= h && h <= s.end))
                .collect(),
        };
        (row, line)
    }
}

/// Which hours a spread describes: an incident by its number
/// ([`crate::detect::Incident::number`], as `detect` prints it), the largest
/// incident, or a range of hours (either
/// end defaulting to the topic's first or last hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowChoice {
    Incident(usize),
    Largest,
    Range {
        from: Option<Hour>,
        to: Option<Hour>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("no incident {number}: detection finds {count}")]
    NoSuchIncident { number: usize, count: usize },
    #[error("no incident found; give a time range to describe a window")]
    NoIncident,
}

/// The window a spread describes: the incident's number when one was
/// chosen, and the first and last hour.
pub fn choose_window(
    report: &TopicReport,
    span: (Hour, Hour),
    choice: WindowChoice,
) -> Result<(Option<usize>, Hour, Hour), WindowError> {
    match choice {
        WindowChoice::Incident(number) => report
            .incident(number)
            .map(|inc| (Some(number), inc.start, inc.end))
            .ok_or(WindowError::NoSuchIncident {
                number,
                count: report.incidents.len(),
            }),
        WindowChoice::Largest => {
            let largest = report.largest().ok_or(WindowError::NoIncident)?;
            Ok((Some(largest.number), largest.start, largest.end))
        }
        WindowChoice::Range { from, to } => {
            Ok((None, from.unwrap_or(span.0), to.unwrap_or(span.1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2013-03-04 00:00 UTC.
    const MONDAY: Hour = 378_432;

    /// A week of `level` per hour, then `surge` from `onset` (hours after
    /// the week) for ten hours.
    fn region(level: u64, onset: Option<usize>, surge: u64) -> Vec<u64> {
        let mut v = vec![level; 7 * 24 + 24];
        if let Some(o) = onset {
            for c in &mut v[7 * 24 + o..7 * 24 + o + 10] {
                *c = surge;
            }
        }
        v
    }

    fn counts(regions: &[(&str, Vec<u64>)]) -> TopicCounts {
        let len = regions[0].1.len();
        let mut total = vec![0; len];
        let mut map = BTreeMap::new();
        for (name, series) in regions {
            for (t, v) in total.iter_mut().zip(series) {
                *t += v;
            }
            map.insert(name.to_string(), series.clone());
        }
        TopicCounts {
            topic: "netflix".into(),
            first: MONDAY,
            total,
            regions: map,
            silent_days: Vec::new(),
        }
    }

    #[test]
    fn regions_are_ordered_by_onset_and_quiet_ones_last() {
        let c = counts(&[
            ("BR", region(3, Some(4), 30)),
            ("CA", region(2, Some(2), 20)),
            ("GB", region(5, None, 0)),
            ("US", region(8, Some(1), 60)),
            ("unknown", region(2, Some(1), 15)),
            // Too small to judge alone: 1 complaint every 24 hours.
            ("AR", {
                let mut v = vec![0; 8 * 24];
                v[7 * 24 + 5] = 1;
                v
            }),
        ]);
        let cfg = DetectConfig::default();
        let view = RegionalView::new(&c, &cfg);
        let day = MONDAY + 7 * 24;
        let s = view.spread(day, day + 23);
        let order: Vec<&str> = s.rows.iter().map(|r| r.region.as_str()).collect();
        // US and unknown both at +1 (US larger first), CA +2, BR +4; GB was
        // not hit; AR went to other, which had no rise.
        assert_eq!(order, vec!["US", "unknown", "CA", "BR", "GB", "other"]);
        let us = &s.rows[0];
        assert_eq!(us.onset, Some(day + 1));
        assert_eq!(us.end, Some(day + 10));
        assert_eq!(us.peak, Some(day + 1));
        assert_eq!(us.peak_complaints, 60);
        assert_eq!(us.complaints, 10 * 60 + 14 * 8);
        let gb = &s.rows[4];
        assert_eq!((gb.onset, gb.end), (None, None));
        assert_eq!(gb.complaints, 24 * 5);
        let share: f64 = s.rows.iter().map(|r| r.share).sum();
        assert!((share - 1.0).abs() < 1e-9);
        assert_eq!(s.hit_regions(), vec!["US", "CA", "BR"]);
        assert_eq!(s.timeline[0].complaints.len(), 24);
        assert!(s.timeline[0].active[1] && !s.timeline[0].active[0]);
    }

    #[test]
    fn a_window_wider_than_the_stored_hours_is_cut_to_them() {
        let c = counts(&[("US", region(3, Some(2), 40))]);
        let cfg = DetectConfig::default();
        let view = RegionalView::new(&c, &cfg);
        let last = MONDAY + 8 * 24 - 1;
        let s = view.spread(MONDAY - 12, last + 30);
        assert_eq!((s.from, s.to), (MONDAY, last));
        // The timeline's first cell is `from`: the first stored hour.
        assert_eq!(s.timeline[0].complaints.len(), 8 * 24);
        assert_eq!(s.timeline[0].complaints[0], 3);
        assert_eq!(s.timeline[0].complaints[7 * 24 + 2], 40);
    }

    #[test]
    fn an_empty_window_has_no_rows() {
        let c = counts(&[("US", region(3, None, 0))]);
        let cfg = DetectConfig::default();
        let view = RegionalView::new(&c, &cfg);
        assert!(view.spread(0, 10).rows.is_empty());
        assert!(view.spread(MONDAY + 500, MONDAY + 400).rows.is_empty());
    }
}

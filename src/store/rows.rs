//! Turns stored days back into the hourly rows callers count with.
//!
//! The store keeps a day per value but every reader thinks in hours: a
//! curve, a detector's baseline, `stats`. These iterators hand out
//! `(hour, region, counter)` rows in the order schema 1's hourly keys came
//! out of a scan (hour, then region by name), so no caller can tell the
//! difference except by speed.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use super::counter::{Counter, DecodeError};
use super::day::{DayCounters, HOURS_PER_DAY};
use super::keys::{self, Day, Hour};
use super::StoreError;

pub(super) fn corrupt(path: &Path, what: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        what,
    }
}

fn sled_error(path: &Path, cause: sled::Error) -> StoreError {
    StoreError::Sled {
        path: path.to_path_buf(),
        cause,
    }
}

/// A stored day value, or a `Corrupt` error naming its key.
pub(super) fn decode_day(path: &Path, key: &[u8], value: &[u8]) -> Result<DayCounters, StoreError> {
    DayCounters::decode(value).map_err(|e: DecodeError| {
        corrupt(
            path,
            format!("counters of {}: {e}", keys::describe_day_key(key)),
        )
    })
}

/// One row per (hour, region) of a topic, from its per-region day values.
pub(super) struct RegionRows {
    path: PathBuf,
    iter: sled::Iter,
    prefix_len: usize,
    from: Hour,
    to: Hour,
    /// Only this region (compared ignoring ASCII case), or all.
    region: Option<String>,
    /// The first value of the next day, read while looking for the end of
    /// the current one.
    ahead: Option<(Day, String, DayCounters)>,
    ready: VecDeque<(Hour, String, Counter)>,
    done: bool,
}

impl RegionRows {
    pub(super) fn new(
        path: &Path,
        db: &sled::Db,
        topic: &str,
        from: Hour,
        to: Hour,
        region: Option<&str>,
    ) -> RegionRows {
        let prefix = keys::day_counter_prefix(topic);
        let (start, end) = keys::day_range(&prefix, keys::day_of(from), keys::day_of(to));
        RegionRows {
            path: path.to_path_buf(),
            iter: db.range(start..end),
            prefix_len: prefix.len(),
            from,
            to,
            region: region.map(str::to_string),
            ahead: None,
            ready: VecDeque::new(),
            done: from > to,
        }
    }

    /// Reads the values of the next day and queues its rows in the range;
    /// `false` once the scan is over.
    fn fill(&mut self) -> Result<bool, StoreError> {
        let mut regions: Vec<(String, DayCounters)> = Vec::new();
        let mut day = None;
        if let Some((d, region, counters)) = self.ahead.take() {
            day = Some(d);
            regions.push((region, counters));
        }
        for item in self.iter.by_ref() {
            let (key, value) = item.map_err(|cause| sled_error(&self.path, cause))?;
            let (d, region) = keys::parse_day_counter_key(&key, self.prefix_len)
                .ok_or_else(|| corrupt(&self.path, "counter key".to_string()))?;
            if let Some(wanted) = &self.region {
                if !wanted.eq_ignore_ascii_case(region) {
                    continue;
                }
            }
            let counters = decode_day(&self.path, &key, &value)?;
            match day {
                Some(current) if current != d => {
                    self.ahead = Some((d, region.to_string(), counters));
                    break;
                }
                _ => {
                    day = Some(d);
                    regions.push((region.to_string(), counters));
                }
            }
        }
        let Some(day) = day else {
            return Ok(false);
        };
        for h in 0..HOURS_PER_DAY {
            let Some(hour) = keys::hour_in_day(day, h) else {
                continue;
            };
            if hour < self.from || hour > self.to {
                continue;
            }
            for (region, counters) in &regions {
                if let Some(c) = counters.get(h) {
                    self.ready.push_back((hour, region.clone(), *c));
                }
            }
        }
        Ok(true)
    }
}

impl Iterator for RegionRows {
    type Item = Result<(Hour, String, Counter), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Some(Ok(row));
            }
            if self.done {
                return None;
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => self.done = true,
                Err(e) => {
                    // A damaged entry ends the scan: rows after it could
                    // only be a partial curve presented as a whole one.
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// One row per hour of a topic, every region summed, from the rollup values.
pub(super) fn all_regions(
    path: &Path,
    db: &sled::Db,
    topic: &str,
    from: Hour,
    to: Hour,
) -> impl Iterator<Item = Result<(Hour, Counter), StoreError>> {
    let prefix = keys::day_rollup_prefix(topic);
    let (start, end) = keys::day_range(&prefix, keys::day_of(from), keys::day_of(to));
    let prefix_len = prefix.len();
    let path = path.to_path_buf();
    let scan = (from <= to).then(|| db.range(start..end));
    scan.into_iter().flatten().flat_map(move |item| {
        let day = item
            .map_err(|cause| sled_error(&path, cause))
            .and_then(|(key, value)| {
                let day = keys::parse_day_rollup_key(&key, prefix_len)
                    .ok_or_else(|| corrupt(&path, "counter key".to_string()))?;
                Ok((day, decode_day(&path, &key, &value)?))
            });
        let rows: Vec<Result<(Hour, Counter), StoreError>> = match day {
            Ok((day, counters)) => counters
                .hours()
                .filter_map(|(h, c)| keys::hour_in_day(day, h).map(|hour| (hour, *c)))
                .filter(|(hour, _)| (from..=to).contains(hour))
                .map(Ok)
                .collect(),
            Err(e) => vec![Err(e)],
        };
        rows
    })
}

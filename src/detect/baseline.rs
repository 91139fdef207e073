//! What "normal" is for each hour: the baseline an incident rises above.
//!
//! Complaint volume follows people's days: quiet nights, busy evenings,
//! busier weekends. A flat average would call every evening an outage and
//! miss one at 4 am, so the expected count of an hour comes from the same
//! hour in the weeks before it:
//!
//! - with two weeks or more of history, an hour-of-day profile times a
//!   day-of-week factor (a multiplicative model: 24 + 7 numbers estimated
//!   from four weeks, far steadier than 168 cells of four samples each);
//! - with three days or more, the hour-of-day profile alone;
//! - with less, one robust level for every hour.
//!
//! Every estimate is a mean after dropping samples far from the median
//! (median and MAD, with a Poisson floor on the spread), so an earlier
//! incident in the history does not raise the bar for the next one. The
//! baseline of a day is computed once, from the days strictly before it; when
//! fewer than a week of days precede (the start of an archive), the days
//! after it stand in, so the first days are judged against something.

use serde::Serialize;

use crate::store::keys::Hour;

#[derive(Debug, Clone, PartialEq)]
pub struct BaselineConfig {
    /// How far back the history reaches.
    pub history_days: u32,
    /// History needed before the day-of-week factor is used.
    pub weekday_min_days: u32,
    /// History needed before the hour-of-day profile is used.
    pub hourly_min_days: u32,
    /// Below this much history, later days are borrowed up to this much.
    pub borrow_days: u32,
    /// No hour is expected to be quieter than this: one stray post against
    /// an expected zero is not an outage.
    pub floor: f64,
}

impl Default for BaselineConfig {
    fn default() -> Self {
        BaselineConfig {
            history_days: 28,
            weekday_min_days: 14,
            hourly_min_days: 3,
            borrow_days: 7,
            floor: 0.25,
        }
    }
}

/// Which fallback produced an hour's baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineKind {
    HourAndWeekday,
    HourOfDay,
    Level,
}

impl BaselineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineKind::HourAndWeekday => "hour_and_weekday",
            BaselineKind::HourOfDay => "hour_of_day",
            BaselineKind::Level => "level",
        }
    }
}

/// The expected count of one hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expected {
    pub mean: f64,
    /// How many hours' worth of evidence the mean rests on (for its
    /// uncertainty).
    pub samples: f64,
    pub kind: BaselineKind,
}

/// Weight of the three-hour smoothing of the hour-of-day profile: neighbours
/// count half, so each hour's estimate rests on 16/6 times its own samples.
const SMOOTHING_GAIN: f64 = 16.0 / 6.0;
/// Pseudo-count that pulls a day-of-week factor towards 1 when little
/// traffic backs it.
const WEEKDAY_PRIOR: f64 = 10.0;

/// Day of the week of an hour, Monday = 0 (1970-01-01 was a Thursday).
pub fn weekday(h: Hour) -> usize {
    ((h / 24 + 3) % 7) as usize
}

/// The mean of the samples that lie near their median, and how many did.
pub fn robust_mean(samples: &[f64]) -> (f64, usize) {
    if samples.is_empty() {
        return (0.0, 0);
    }
    let m = median(samples);
    let deviations: Vec<f64> = samples.iter().map(|x| (x - m).abs()).collect();
    let mad = median(&deviations);
    // Counts cannot spread less than a Poisson count does, so a history of
    // identical values does not make the next ordinary wobble an outlier.
    let spread = (1.4826 * mad).max(m.max(0.5).sqrt());
    let limit = 3.5 * spread + 1.0;
    let (sum, kept) = samples
        .iter()
        .filter(|x| (*x - m).abs() <= limit)
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if kept == 0 {
        (m, 0)
    } else {
        (sum / kept as f64, kept)
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The expected count of every hour of `counts`, whose first entry is hour
/// `first`. Hours outside the slice are unknown, not zero, and so are the
/// hours of `silent_days` (day numbers, in order): nothing was collected
/// then, so they are no one's history. A day after a gap is judged as the
/// first days of an archive are: by the collected days of the 28 before it
/// and, short of a week, those of the week after it.
pub fn baseline(
    counts: &[u64],
    first: Hour,
    silent_days: &[u32],
    cfg: &BaselineConfig,
) -> Vec<Expected> {
    let mut out = Vec::with_capacity(counts.len());
    if counts.is_empty() {
        return out;
    }
    let last = first + (counts.len() as Hour - 1);
    let value = |h: Hour| counts[(h - first) as usize] as f64;
    let heard = |h: &Hour| silent_days.binary_search(&(h / 24)).is_err();
    let mut day = first / 24;
    while day * 24 <= last {
        let day_start = day * 24;
        let day_end = day_start + 23;
        let history_start = day_start.saturating_sub(cfg.history_days * 24).max(first);
        let before: Vec<Hour> = (history_start..day_start.max(first))
            .filter(heard)
            .collect();
        let mut pool = before.clone();
        let wanted = (cfg.borrow_days * 24) as usize;
        if pool.len() < wanted {
            // Borrowed from the week after, by the calendar: past a gap
            // the next heard hours may lie months ahead, and a curve read
            // around this day must find the same hours detection used.
            let borrow_end = last.min(day_end.saturating_add(cfg.borrow_days * 24));
            let after = ((day_end + 1)..=borrow_end).filter(heard);
            pool.extend(after.take(wanted - pool.len()));
        }
        if pool.is_empty() {
            // A series shorter than two days: the day judges itself, which
            // the robust mean allows as long as most of it is normal.
            pool = (day_start.max(first)..=day_end.min(last)).collect();
        }

        let (profile, samples, kind) = if pool.len() >= (cfg.hourly_min_days * 24) as usize {
            let (profile, kept) = hour_profile(&pool, &value);
            (profile, kept * SMOOTHING_GAIN, BaselineKind::HourOfDay)
        } else {
            let all: Vec<f64> = pool.iter().map(|&h| value(h)).collect();
            let (level, kept) = robust_mean(&all);
            ([level; 24], kept as f64, BaselineKind::Level)
        };

        let weekly =
            kind == BaselineKind::HourOfDay && before.len() >= (cfg.weekday_min_days * 24) as usize;
        let (factor, factor_support) = if weekly {
            weekday_factor(&before, &value, &profile, weekday(day_start))
        } else {
            (1.0, f64::INFINITY)
        };

        for h in day_start.max(first)..=day_end.min(last) {
            let raw = profile[(h % 24) as usize] * factor;
            let mean = raw.max(cfg.floor);
            // The factor's relative error adds to the profile's.
            let inverse = 1.0 / samples.max(1.0) + mean / factor_support;
            out.push(Expected {
                mean,
                samples: 1.0 / inverse,
                kind: if weekly {
                    BaselineKind::HourAndWeekday
                } else {
                    kind
                },
            });
        }
        day += 1;
    }
    out
}

/// The robust mean of each hour of the day, smoothed over its neighbours,
/// and the fewest samples any hour kept.
fn hour_profile(pool: &[Hour], value: &impl Fn(Hour) -> f64) -> ([f64; 24], f64) {
    let mut by_hour: Vec<Vec<f64>> = vec![Vec::new(); 24];
    for &h in pool {
        by_hour[(h % 24) as usize].push(value(h));
    }
    let mut raw = [0.0; 24];
    let mut fewest = usize::MAX;
    for (slot, samples) in raw.iter_mut().zip(&by_hour) {
        let (m, kept) = robust_mean(samples);
        *slot = m;
        fewest = fewest.min(kept);
    }
    let mut smooth = [0.0; 24];
    for (i, slot) in smooth.iter_mut().enumerate() {
        *slot = (raw[(i + 23) % 24] + 2.0 * raw[i] + raw[(i + 1) % 24]) / 4.0;
    }
    (smooth, fewest as f64)
}

/// How much busier `day_of_week` is than the average day, from the history
/// with hours far above the profile (earlier incidents) left out; and the
/// number of posts behind the estimate.
fn weekday_factor(
    history: &[Hour],
    value: &impl Fn(Hour) -> f64,
    profile: &[f64; 24],
    day_of_week: usize,
) -> (f64, f64) {
    let (mut y_day, mut r_day, mut y_all, mut r_all) = (0.0, 0.0, 0.0, 0.0);
    for &h in history {
        let expected = profile[(h % 24) as usize];
        let y = value(h);
        if y > expected + 6.0 * expected.max(1.0).sqrt() + 3.0 {
            continue;
        }
        y_all += y;
        r_all += expected;
        if weekday(h) == day_of_week {
            y_day += y;
            r_day += expected;
        }
    }
    if r_all <= 0.0 || y_all <= 0.0 {
        return (1.0, f64::INFINITY);
    }
    let overall = y_all / r_all;
    let factor = (y_day + WEEKDAY_PRIOR) / (overall * r_day + WEEKDAY_PRIOR);
    (factor, y_day + WEEKDAY_PRIOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2013-03-04 00:00 UTC.
    const MONDAY: Hour = 378_432;

    #[test]
    fn weekdays_count_from_monday() {
        assert_eq!(weekday(MONDAY), 0);
        assert_eq!(weekday(MONDAY + 24 * 5 + 7), 5);
        // 2012-12-24 was a Monday too.
        assert_eq!(weekday(376_752), 0);
    }

    #[test]
    fn robust_means_drop_what_is_far_from_the_median() {
        // Median 4, MAD 0 → spread √4 = 2, limit 3.5·2 + 1 = 8: 40 goes.
        let (m, kept) = robust_mean(&[4.0, 4.0, 4.0, 4.0, 40.0]);
        assert_eq!((m, kept), (4.0, 4));
        // 3 5 4 6 2 — median 4, MAD 1, spread max(1.48, 2) = 2: all kept.
        let (m, kept) = robust_mean(&[3.0, 5.0, 4.0, 6.0, 2.0]);
        assert_eq!((m, kept), (4.0, 5));
        assert_eq!(robust_mean(&[]), (0.0, 0));
    }

    #[test]
    fn a_flat_history_gives_a_flat_baseline_by_stage() {
        // Three weeks of 4 per hour.
        let counts = vec![4u64; 21 * 24];
        let b = baseline(&counts, MONDAY, &[], &BaselineConfig::default());
        assert_eq!(b.len(), counts.len());
        for (i, e) in b.iter().enumerate() {
            assert!((e.mean - 4.0).abs() < 1e-9, "hour {i}: {e:?}");
        }
        // Day 0 borrows days 1–7; days 3+ have their own history; from day 14
        // the weekday factor is used.
        assert_eq!(b[0].kind, BaselineKind::HourOfDay);
        assert_eq!(b[3 * 24].kind, BaselineKind::HourOfDay);
        assert_eq!(b[14 * 24].kind, BaselineKind::HourAndWeekday);
    }

    #[test]
    fn silent_days_are_no_ones_history() {
        // Two weeks of 2 an hour, `gap` days when nothing was collected,
        // then two weeks of 8: two archives in one store.
        let judged = |gap: u32| {
            let mut counts = vec![2u64; 14 * 24];
            counts.extend(vec![0; gap as usize * 24]);
            counts.extend(vec![8; 14 * 24]);
            let silent: Vec<u32> = (0..gap).map(|d| MONDAY / 24 + 14 + d).collect();
            let b = baseline(&counts, MONDAY, &silent, &BaselineConfig::default());
            let zeros = baseline(&counts, MONDAY, &[], &BaselineConfig::default());
            let after = (14 + gap as usize) * 24;
            (b[after].mean, zeros[after].mean)
        };
        // A gap of ten days: the first day after it is judged by the days
        // collected within the 28 before it.
        let (heard, as_zeros) = judged(10);
        assert!((heard - 2.0).abs() < 1e-9, "{heard}");
        assert!(as_zeros < 2.0, "{as_zeros}");
        // Forty days: none of the 28 before it was collected, so it is
        // judged as an archive's first day, by the week after it. Counted
        // as zeros, the gap set the bar at the floor.
        let (heard, as_zeros) = judged(40);
        assert!((heard - 8.0).abs() < 1e-9, "{heard}");
        assert_eq!(as_zeros, BaselineConfig::default().floor);
    }

    #[test]
    fn borrowing_stops_a_week_after_the_day_even_across_a_gap() {
        // Three days of 2 an hour, sixty silent days, then 8 an hour: the
        // first days borrow from their own week, never from two months on.
        let mut counts = vec![2u64; 3 * 24];
        counts.extend(vec![0; 60 * 24]);
        counts.extend(vec![8; 10 * 24]);
        let silent: Vec<u32> = (0..60).map(|d| MONDAY / 24 + 3 + d).collect();
        let b = baseline(&counts, MONDAY, &silent, &BaselineConfig::default());
        for e in &b[..3 * 24] {
            assert!((e.mean - 2.0).abs() < 1e-9, "{e:?}");
        }
    }

    #[test]
    fn a_short_series_falls_back_to_a_level() {
        // 30 hours: day 0 borrows the 6 hours of day 1, and the robust level
        // of 2,2,2,2,2,20 is 2 (20 is an outlier).
        let mut counts = vec![2u64; 30];
        counts[29] = 20;
        let b = baseline(&counts, MONDAY, &[], &BaselineConfig::default());
        assert_eq!(b[0].kind, BaselineKind::Level);
        assert!((b[0].mean - 2.0).abs() < 1e-9);
        // Day 1 has day 0 behind it: 24 hours of 2.
        assert!((b[29].mean - 2.0).abs() < 1e-9);
    }

    #[test]
    fn an_earlier_incident_does_not_raise_the_bar() {
        // Two weeks of 4, with 40 per hour for ten hours on day 9.
        let mut counts = vec![4u64; 15 * 24];
        for c in &mut counts[9 * 24 + 8..9 * 24 + 18] {
            *c = 40;
        }
        let b = baseline(&counts, MONDAY, &[], &BaselineConfig::default());
        for e in &b[10 * 24..] {
            assert!((e.mean - 4.0).abs() < 1e-9, "{e:?}");
        }
    }

    #[test]
    fn quiet_nights_and_busy_weekends_are_expected() {
        // Nights (00–05) at 1, days at 6; weekends double. Four weeks.
        let mut counts = Vec::new();
        for h in MONDAY..MONDAY + 28 * 24 {
            let base = if h % 24 < 6 { 1 } else { 6 };
            let weekend = weekday(h) >= 5;
            counts.push(if weekend { base * 2 } else { base });
        }
        let b = baseline(&counts, MONDAY, &[], &BaselineConfig::default());
        let at = |day: u32, hour: u32| b[(day * 24 + hour) as usize];
        // Day 27 is a Sunday, day 23 a Wednesday.
        assert_eq!(at(27, 12).kind, BaselineKind::HourAndWeekday);
        let sunday_noon = at(27, 12).mean;
        let wednesday_noon = at(23, 12).mean;
        let wednesday_night = at(23, 3).mean;
        assert!(
            sunday_noon > 1.6 * wednesday_noon,
            "{sunday_noon} {wednesday_noon}"
        );
        assert!(wednesday_night < 0.4 * wednesday_noon, "{wednesday_night}");
    }
}

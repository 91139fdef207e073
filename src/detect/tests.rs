//! Detection on hand-made curves: a flat history of 4 complaints an hour
//! (so every baseline is exactly 4), with one shape laid on top.

use super::*;

/// Monday 2013-03-04 00:00 UTC.
const MONDAY: Hour = 378_432;
/// The hour the shapes start: day 10, 14:00.
const AT: usize = 10 * 24 + 14;

fn flat(days: usize) -> Vec<u64> {
    vec![4; days * 24]
}

fn found(counts: &[u64], cfg: &DetectConfig) -> Vec<Segment> {
    segments(&assess(counts, MONDAY, cfg), cfg)
}

fn hour(i: usize) -> Hour {
    MONDAY + i as Hour
}

#[test]
fn a_flat_curve_has_no_incident() {
    assert!(found(&flat(21), &DetectConfig::default()).is_empty());
}

#[test]
fn the_hot_bar_against_four_is_sixteen() {
    // Baseline 4 from ten days (fewest samples per hour 10, smoothed ×16/6),
    // φ = 0.03: NB variance 4 + 4/26.7 + 0.03·16 = 4.63, where
    // P(Y ≥ 15) = 1.13e-4 and P(Y ≥ 16) = 3.8e-5; warm from P(Y ≥ 11) = 0.0058.
    let stats = assess(&flat(12), MONDAY, &DetectConfig::default());
    let s = stats[AT];
    assert!((s.expected.mean - 4.0).abs() < 1e-9);
    assert!((s.expected.samples - 10.0 * 16.0 / 6.0).abs() < 1e-9);
    assert_eq!(s.threshold, 16);
    let model = CountModel::new(4.0, s.expected.samples, 0.03);
    assert!(model.upper_tail(11) < 0.01 && model.upper_tail(10) > 0.01);
}

#[test]
fn a_step_is_dated_from_its_first_hour_to_its_last() {
    let mut c = flat(14);
    for v in &mut c[AT..AT + 30] {
        *v = 20;
    }
    let f = found(&c, &DetectConfig::default());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].start, hour(AT));
    assert_eq!(f[0].end, hour(AT + 29));
    assert_eq!(f[0].peak, hour(AT));
    assert_eq!(f[0].complaints, 30 * 20);
    assert_eq!(f[0].peak_complaints, 20);
    assert!((f[0].baseline_at_peak - 4.0).abs() < 1e-9);
}

#[test]
fn a_one_hour_spike_is_not_an_incident_unless_asked() {
    let mut c = flat(14);
    c[AT] = 60;
    assert!(found(&c, &DetectConfig::default()).is_empty());
    let one_hour = DetectConfig {
        min_hours: 1,
        ..DetectConfig::default()
    };
    let f = found(&c, &one_hour);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].start, f[0].end), (hour(AT), hour(AT)));
}

#[test]
fn three_against_one_is_not_news() {
    // A quiet topic: 1 complaint an hour, then 3 for a while.
    let mut c = vec![1u64; 14 * 24];
    for v in &mut c[AT..AT + 5] {
        *v = 3;
    }
    assert!(found(&c, &DetectConfig::default()).is_empty());
}

#[test]
fn a_slow_ramp_is_found_and_dated_near_its_start() {
    // +1 complaint each hour from AT: 5, 6, 7, … 24.
    let mut c = flat(14);
    for k in 0..20 {
        c[AT + k] = 4 + k as u64 + 1;
    }
    for v in &mut c[AT + 20..AT + 26] {
        *v = 24;
    }
    let f = found(&c, &DetectConfig::default());
    assert_eq!(f.len(), 1, "{f:?}");
    // Warm (P < 0.01 against 4, variance 4.63) from 11 on, i.e. the 6th
    // hour (AT+5 has 10: P(Y ≥ 10) ≈ 0.013).
    assert_eq!(f[0].start, hour(AT + 6));
    assert_eq!(f[0].end, hour(AT + 25));
    assert_eq!(f[0].peak, hour(AT + 19));
}

#[test]
fn short_dips_are_bridged_and_long_ones_split() {
    let mut c = flat(14);
    for v in &mut c[AT..AT + 4] {
        *v = 30;
    }
    // Two ordinary hours, then more.
    for v in &mut c[AT + 6..AT + 10] {
        *v = 30;
    }
    // Five ordinary hours, then a third burst.
    for v in &mut c[AT + 15..AT + 18] {
        *v = 30;
    }
    let f = found(&c, &DetectConfig::default());
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!((f[0].start, f[0].end), (hour(AT), hour(AT + 9)));
    assert_eq!(f[0].complaints, 8 * 30 + 2 * 4);
    assert_eq!((f[1].start, f[1].end), (hour(AT + 15), hour(AT + 17)));
}

#[test]
fn a_quiet_history_with_an_earlier_incident_still_shows_the_next() {
    let mut c = flat(28);
    // Day 9: 50 an hour for twelve hours.
    for v in &mut c[9 * 24 + 6..9 * 24 + 18] {
        *v = 50;
    }
    // Day 20: a milder rise to 16 for six hours.
    let later = 20 * 24 + 18;
    for v in &mut c[later..later + 6] {
        *v = 16;
    }
    let stats = assess(&c, MONDAY, &DetectConfig::default());
    // The earlier incident left no trace in the baseline.
    assert!((stats[later].expected.mean - 4.0).abs() < 1e-9);
    assert_eq!(stats[later].expected.kind, BaselineKind::HourAndWeekday);
    let f = segments(&stats, &DetectConfig::default());
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        (f[0].start, f[0].end),
        (hour(9 * 24 + 6), hour(9 * 24 + 17))
    );
    assert_eq!((f[1].start, f[1].end), (hour(later), hour(later + 5)));
}

#[test]
fn incidents_carry_the_regions_hit_first_first() {
    let mut us = vec![3u64; 14 * 24];
    let mut br = vec![2u64; 14 * 24];
    let gb = vec![2u64; 14 * 24];
    for v in &mut us[AT..AT + 8] {
        *v = 30;
    }
    for v in &mut br[AT + 2..AT + 8] {
        *v = 25;
    }
    let total: Vec<u64> = (0..us.len()).map(|i| us[i] + br[i] + gb[i]).collect();
    let mut counts = TopicCounts::from_series("netflix", MONDAY, total);
    counts.regions.insert("BR".into(), br);
    counts.regions.insert("GB".into(), gb);
    counts.regions.insert("US".into(), us);
    let report = detect_counts(counts, None, None, &DetectConfig::default());
    assert_eq!(report.incidents.len(), 1);
    let i = &report.incidents[0];
    assert_eq!(i.regions, vec!["US", "BR"]);
    assert_eq!(i.start, hour(AT));
    assert_eq!(i.peak, hour(AT + 2));
    assert_eq!(i.peak_complaints, 57);
    assert!((i.ratio - 57.0 / 7.0).abs() < 1e-9);
    // --from/--to keep only incidents overlapping the range.
    let again = detect_counts(
        report.counts,
        Some(hour(AT + 8)),
        None,
        &DetectConfig::default(),
    );
    assert!(again.incidents.is_empty());
}

#[test]
fn a_range_filters_incidents_without_renumbering_them() {
    // Three outages of 30 an hour for six hours, on days 10, 14 and 18.
    let mut c = flat(21);
    let days = [10, 14, 18];
    for day in days {
        for v in &mut c[day * 24 + 14..day * 24 + 20] {
            *v = 30;
        }
    }
    let counts = TopicCounts::from_series("netflix", MONDAY, c);
    let cfg = DetectConfig::default();
    let all = detect_counts(counts.clone(), None, None, &cfg);
    let numbered: Vec<(usize, Hour)> = all.incidents.iter().map(|i| (i.number, i.start)).collect();
    assert_eq!(
        numbered,
        days.iter()
            .enumerate()
            .map(|(k, d)| (k + 1, hour(d * 24 + 14)))
            .collect::<Vec<_>>()
    );
    // Only the second overlaps day 14: it stays number 2.
    let some = detect_counts(counts, Some(hour(14 * 24)), Some(hour(14 * 24 + 23)), &cfg);
    assert_eq!(some.incidents, vec![all.incidents[1].clone()]);
    assert_eq!(some.incidents[0].number, 2);
    assert_eq!(some.incident(2), Some(&all.incidents[1]));
    assert_eq!(some.incident(1), None);
    assert_eq!(
        all.within(Some(hour(15 * 24)), None),
        all.incidents[2..].to_vec()
    );
}

//! Scoring detection against known truth.
//!
//! "Finds outages" is a claim to measure, not assume. A synthetic archive
//! comes with a sidecar listing the incidents it holds; detection run on the
//! imported archive is scored here: incidents found and missed, false alarms
//! (incidents found where there was none), and how many hours after the true
//! start each incident was dated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Incident;
use crate::store::keys::{hour_of, hour_start, Hour};

/// The sidecar of a synthetic archive: `FILE.truth.json` beside `FILE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    pub scenario: String,
    pub seed: u64,
    /// The span the archive covers.
    #[serde(with = "rfc3339")]
    pub from: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub to: DateTime<Utc>,
    /// Every topic the archive has traffic for, incidents or not.
    pub topics: Vec<String>,
    pub incidents: Vec<TrueIncident>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrueIncident {
    pub topic: String,
    /// `sudden`, `ramp`, `spike`, `multi_day`…
    pub shape: String,
    #[serde(with = "rfc3339")]
    pub start: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub end: DateTime<Utc>,
    /// Regions hit, first hit first.
    pub regions: Vec<String>,
}

/// Times in the sidecar are RFC 3339 strings (`2013-03-09T20:30:00Z`).
mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::report::rfc3339(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TruthError {
    #[error("cannot read truth file {path}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("truth file {path} is not a truth sidecar")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
}

impl Truth {
    pub fn read(path: &Path) -> Result<Truth, TruthError> {
        let text = std::fs::read(path).map_err(|source| TruthError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_slice(&text).map_err(|source| TruthError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Days of data the archive covers.
    pub fn days(&self) -> f64 {
        ((self.to - self.from).num_minutes() as f64 / 1440.0).max(0.0)
    }

    /// The part of the truth a run asks about: its incidents of `topics`
    /// (those the truth has; others are ignored) overlapping the hours
    /// `from..=to`, with its topics and span narrowed to match. Scoring
    /// detections of some topics, or of some weeks, against the whole truth
    /// counted every other incident as missed, and the false-alarm rate
    /// over topics and days that were never looked at.
    pub fn restricted(&self, topics: &[String], from: Option<Hour>, to: Option<Hour>) -> Truth {
        let span_from = from.map_or(self.from, |f| hour_start(f).max(self.from));
        // `to` names the last hour asked for, so the span ends where it does.
        let span_to = to.map_or(self.to, |t| hour_start(t.saturating_add(1)).min(self.to));
        let asked = |i: &TrueIncident| {
            span_from < span_to
                && topics.contains(&i.topic)
                && from.is_none_or(|f| hour_of(i.end) >= f)
                && to.is_none_or(|t| hour_of(i.start) <= t)
        };
        Truth {
            scenario: self.scenario.clone(),
            seed: self.seed,
            from: span_from,
            to: span_to.max(span_from),
            topics: self
                .topics
                .iter()
                .filter(|t| topics.contains(t))
                .cloned()
                .collect(),
            incidents: self
                .incidents
                .iter()
                .filter(|i| asked(i))
                .cloned()
                .collect(),
        }
    }
}

/// Where the sidecar of an archive written to `archive` goes.
pub fn sidecar_path(archive: &Path) -> PathBuf {
    let mut name = archive.as_os_str().to_os_string();
    name.push(".truth.json");
    PathBuf::from(name)
}

/// How one true incident fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub topic: String,
    pub shape: String,
    pub true_start: Hour,
    pub true_end: Hour,
    /// The earliest detected incident overlapping it.
    pub detected_start: Option<Hour>,
    pub detected_end: Option<Hour>,
    /// Detected start minus the true start's hour.
    pub onset_delay_hours: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub true_incidents: usize,
    pub found: usize,
    pub missed: usize,
    pub false_alarms: usize,
    pub topics: usize,
    pub days: f64,
    /// False alarms per topic per 30 days of data.
    pub false_alarm_rate: f64,
    pub found_fraction: f64,
    pub median_onset_delay_hours: Option<f64>,
    pub matches: Vec<Match>,
    /// Detected incidents overlapping no true one.
    pub false_alarm_incidents: Vec<Incident>,
}

/// Scores the incidents detected for the truth's topics. Several detected
/// incidents inside one true incident (a multi-day outage that ebbs at
/// night) count once and are not false alarms.
pub fn score(truth: &Truth, detected: &[Incident]) -> Score {
    let mut by_topic: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    for i in detected {
        by_topic.entry(i.topic.as_str()).or_default().push(i);
    }
    let mut matches = Vec::new();
    for t in &truth.incidents {
        let (ts, te) = (hour_of(t.start), hour_of(t.end));
        let overlapping: Vec<&&Incident> = by_topic
            .get(t.topic.as_str())
            .map(|v| v.iter().filter(|i| i.start <= te && i.end >= ts).collect())
            .unwrap_or_default();
        let earliest = overlapping.iter().min_by_key(|i| i.start);
        matches.push(Match {
            topic: t.topic.clone(),
            shape: t.shape.clone(),
            true_start: ts,
            true_end: te,
            detected_start: earliest.map(|i| i.start),
            detected_end: overlapping.iter().map(|i| i.end).max(),
            onset_delay_hours: earliest.map(|i| i.start as i64 - ts as i64),
        });
    }
    let false_alarm_incidents: Vec<Incident> = detected
        .iter()
        .filter(|i| {
            !truth.incidents.iter().any(|t| {
                t.topic == i.topic && i.start <= hour_of(t.end) && i.end >= hour_of(t.start)
            })
        })
        .cloned()
        .collect();
    let found = matches
        .iter()
        .filter(|m| m.detected_start.is_some())
        .count();
    let mut delays: Vec<f64> = matches
        .iter()
        .filter_map(|m| m.onset_delay_hours.map(|d| d as f64))
        .collect();
    delays.sort_by(f64::total_cmp);
    let median = match delays.len() {
        0 => None,
        n if n % 2 == 1 => Some(delays[n / 2]),
        n => Some((delays[n / 2 - 1] + delays[n / 2]) / 2.0),
    };
    let topics = truth.topics.len().max(1);
    let days = truth.days();
    let false_alarms = false_alarm_incidents.len();
    Score {
        true_incidents: matches.len(),
        found,
        missed: matches.len() - found,
        false_alarms,
        topics,
        days,
        false_alarm_rate: if days > 0.0 {
            false_alarms as f64 / topics as f64 / (days / 30.0)
        } else {
            0.0
        },
        found_fraction: if matches.is_empty() {
            1.0
        } else {
            found as f64 / matches.len() as f64
        },
        median_onset_delay_hours: median,
        matches,
        false_alarm_incidents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2013, 3, d, h, m, 0).unwrap()
    }

    fn incident(topic: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Incident {
        Incident {
            number: 1,
            topic: topic.into(),
            start: hour_of(start),
            peak: hour_of(start),
            end: hour_of(end),
            complaints: 10,
            peak_complaints: 5,
            baseline_at_peak: 1.0,
            ratio: 5.0,
            regions: vec![],
        }
    }

    #[test]
    fn found_missed_false_alarms_and_delays() {
        let truth = Truth {
            scenario: "random".into(),
            seed: 1,
            from: t(1, 0, 0),
            to: t(31, 0, 0),
            topics: vec!["netflix".into(), "hulu".into()],
            incidents: vec![
                TrueIncident {
                    topic: "netflix".into(),
                    shape: "sudden".into(),
                    start: t(5, 20, 30),
                    end: t(6, 2, 0),
                    regions: vec!["US".into()],
                },
                TrueIncident {
                    topic: "netflix".into(),
                    shape: "multi_day".into(),
                    start: t(10, 12, 0),
                    end: t(12, 12, 0),
                    regions: vec!["US".into()],
                },
                TrueIncident {
                    topic: "hulu".into(),
                    shape: "spike".into(),
                    start: t(20, 3, 0),
                    end: t(20, 5, 0),
                    regions: vec!["US".into()],
                },
            ],
        };
        let detected = vec![
            incident("netflix", t(5, 21, 0), t(6, 1, 0)),
            // A multi-day incident split in two by a quiet night.
            incident("netflix", t(10, 13, 0), t(11, 1, 0)),
            incident("netflix", t(11, 9, 0), t(12, 10, 0)),
            // Right time, wrong topic: a false alarm, and hulu's is missed.
            incident("netflix", t(20, 3, 0), t(20, 5, 0)),
        ];
        let s = score(&truth, &detected);
        assert_eq!((s.true_incidents, s.found, s.missed), (3, 2, 1));
        assert_eq!(s.false_alarms, 1);
        assert_eq!(s.matches[0].onset_delay_hours, Some(1));
        assert_eq!(s.matches[1].onset_delay_hours, Some(1));
        assert_eq!(s.matches[1].detected_end, Some(hour_of(t(12, 10, 0))));
        assert_eq!(s.median_onset_delay_hours, Some(1.0));
        // 1 false alarm, 2 topics, 30 days.
        assert!((s.false_alarm_rate - 0.5).abs() < 1e-9);
        assert!((s.found_fraction - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_truth_restricted_to_topics_and_hours_keeps_what_overlaps_them() {
        let incident = |topic: &str, start, end| TrueIncident {
            topic: topic.into(),
            shape: "sudden".into(),
            start,
            end,
            regions: vec![],
        };
        let truth = Truth {
            scenario: "random".into(),
            seed: 1,
            from: t(1, 0, 0),
            to: t(31, 0, 0),
            topics: vec!["netflix".into(), "hulu".into(), "hbo".into()],
            incidents: vec![
                incident("netflix", t(5, 20, 30), t(6, 2, 0)),
                incident("hulu", t(9, 22, 10), t(10, 3, 0)),
                incident("netflix", t(20, 3, 0), t(20, 5, 0)),
            ],
        };
        let all: Vec<String> = truth.topics.clone();
        assert_eq!(truth.restricted(&all, None, None), truth);

        let netflix = truth.restricted(&["netflix".into(), "disney".into()], None, None);
        assert_eq!(netflix.topics, vec!["netflix"]);
        assert_eq!(netflix.incidents.len(), 2);
        assert_eq!((netflix.from, netflix.to), (truth.from, truth.to));

        // From day 10, 02:00 to day 20, 03:00 (inclusive): hulu's incident
        // ends in its first hour, netflix's second starts in its last.
        let hours = truth.restricted(&all, Some(hour_of(t(10, 2, 0))), Some(hour_of(t(20, 3, 0))));
        let kept: Vec<&str> = hours.incidents.iter().map(|i| i.topic.as_str()).collect();
        assert_eq!(kept, vec!["hulu", "netflix"]);
        assert_eq!((hours.from, hours.to), (t(10, 2, 0), t(20, 4, 0)));
        assert!((hours.days() - (10.0 + 2.0 / 24.0)).abs() < 1e-9);
        // The day before hulu's incident holds nothing.
        let before = truth.restricted(&all, None, Some(hour_of(t(9, 21, 0))));
        assert_eq!(before.incidents.len(), 1);
        assert!(truth
            .restricted(&all, Some(hour_of(t(10, 4, 0))), Some(hour_of(t(20, 2, 0))))
            .incidents
            .is_empty());

        // A range outside the span leaves an empty span and no incident.
        let after = truth.restricted(&all, Some(hour_of(t(31, 5, 0))), None);
        assert!(after.incidents.is_empty());
        assert_eq!(after.days(), 0.0);
    }

    #[test]
    fn sidecars_sit_beside_the_archive() {
        assert_eq!(
            sidecar_path(Path::new("/tmp/r.jsonl.gz")),
            PathBuf::from("/tmp/r.jsonl.gz.truth.json")
        );
    }
}

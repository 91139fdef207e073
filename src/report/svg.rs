//! The complaint curve as an SVG picture for a post-mortem.
//!
//! One chart tells the story: complaints per hour, the band of normal (from
//! the baseline up to the bar an hour must clear to count as abnormal),
//! incidents shaded, and a mark where each region was first hit. Drawn with
//! plotters' SVG backend, which writes text as `<text>` elements: no font
//! files are read, so it works on any machine.

use chrono::{Datelike, Timelike};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::curve::Band;
use crate::detect::Incident;
use crate::query::Curve;
use crate::store::keys::{hour_of, hour_start, Hour};

pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 460;

#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart: {0}")]
pub struct SvgError(String);

/// What the chart shows.
pub struct ChartData<'a> {
    /// The display name of the topic.
    pub title: &'a str,
    /// The hourly curve: the chart spans its buckets, every hour of the
    /// range asked for, so that it covers what `curve.csv` lists.
    pub curve: &'a Curve,
    /// One per bucket of `curve`; `None` for an hour that was not judged
    /// (outside the hours stored), which has no band of normal.
    pub bands: &'a [Option<Band>],
    pub incidents: &'a [Incident],
    /// (region, onset hour), first hit first; regions of one hour share a
    /// mark.
    pub onsets: &'a [(String, Hour)],
}

const COMPLAINTS: RGBColor = RGBColor(180, 30, 30);
const BASELINE: RGBColor = RGBColor(40, 90, 160);
const BAND: RGBAColor = RGBAColor(40, 90, 160, 0.18);
const INCIDENT: RGBAColor = RGBAColor(230, 120, 30, 0.18);
const ONSET: RGBColor = RGBColor(90, 90, 90);

/// At most this many labels on the time axis.
const MAX_TICKS: u32 = 12;
/// The spacing of labels on the time axis.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// Hours that divide a day, or whole days: labels on round hours or
    /// midnights.
    Hours(u32),
    /// Months: labels on the first of a month.
    Months(u32),
    /// Years: labels on the first of January.
    Years(u32),
}

impl Step {
    /// About how many hours one step is, to choose by.
    fn hours(self) -> u32 {
        match self {
            Step::Hours(h) => h,
            Step::Months(m) => m * 730,
            Step::Years(y) => y * 8766,
        }
    }
}

/// Smallest first.
const STEPS: &[Step] = &[
    Step::Hours(1),
    Step::Hours(2),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Hours(24),
    Step::Hours(2 * 24),
    Step::Hours(3 * 24),
    Step::Hours(7 * 24),
    Step::Hours(14 * 24),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
];
/// Past this span the labels name the year instead of the hour: a chart
/// of several years labelled `12-24 00h` twice would not say which.
const YEAR_LABELS_FROM: u32 = 366 * 24;

fn draw_error<E: std::fmt::Debug>(e: E) -> SvgError {
    SvgError(format!("{e:?}"))
}

/// The hours to label on an axis from `first` to `end` (the end of the
/// last hour): whole hours, days, months or years, at most [`MAX_TICKS`].
/// Left to plotters, a short range is cut at fractions of an hour that all
/// round to the same label, and a long one at hours of no meaning.
fn ticks(first: Hour, end: Hour) -> Vec<f64> {
    let span = end - first;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| span / s.hours() < MAX_TICKS)
        .unwrap_or(Step::Years(100));
    let calendar = |every: u32, months: bool| -> Vec<f64> {
        // From the first month (or year) boundary at or after `first`.
        let t = hour_start(first);
        let (mut year, mut month) = (t.year(), t.month0());
        if (t.day(), t.hour()) != (1, 0) || (!months && month != 0) {
            if months {
                month += 1;
            } else {
                year += 1;
                month = 0;
            }
        }
        let mut out = Vec::new();
        loop {
            year += (month / 12) as i32;
            month %= 12;
            let aligned = if months {
                month % every == 0
            } else {
                year.rem_euclid(every as i32) == 0
            };
            let Some(at) = chrono::NaiveDate::from_ymd_opt(year, month + 1, 1) else {
                break;
            };
            let h = hour_of(at.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
            if h > end {
                break;
            }
            if aligned {
                out.push(h as f64);
            }
            if months {
                month += 1;
            } else {
                year += 1;
            }
        }
        out
    };
    match step {
        Step::Hours(step) => {
            let start = first.div_ceil(step) * step;
            (start..=end)
                .step_by(step as usize)
                .map(|h| h as f64)
                .collect()
        }
        Step::Months(m) => calendar(m, true),
        Step::Years(y) => calendar(y, false),
    }
}

/// The time axis: hours as numbers, labelled at the hours [`ticks`]
/// chose. (plotters' own `with_key_points` loses the number formatting
/// its mesh needs.)
struct HourAxis {
    hours: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for HourAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.hours.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.hours.range()
    }
}

fn axis_label(x: &f64, years: bool) -> String {
    let t = hour_start(x.max(0.0).round() as Hour);
    if years {
        format!("{}-{:02}-{:02}", t.year(), t.month(), t.day())
    } else {
        format!("{:02}-{:02} {:02}h", t.month(), t.day(), t.hour())
    }
}

/// Renders the chart as an SVG document.
pub fn render(data: &ChartData) -> Result<String, SvgError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let buckets = &data.curve.buckets;
        // Nothing to draw: no bucket, or a range that holds no complaint
        // and no judged hour (the flat line would look like a finding).
        let empty = buckets.iter().all(|b| b.counter.complaints == 0)
            && data.bands.iter().all(Option::is_none);
        if empty {
            let text = match (buckets.first(), buckets.last()) {
                (Some(a), Some(b)) => format!(
                    "{}: no complaints stored from {} to {}",
                    data.title,
                    super::rfc3339(a.start),
                    super::rfc3339(b.start)
                ),
                _ => format!("{}: no complaints stored", data.title),
            };
            root.draw(&Text::new(text, (20, 30), ("sans-serif", 18).into_font()))
                .map_err(draw_error)?;
            root.present().map_err(draw_error)?;
            drop(root);
            return Ok(svg);
        }
        let first_hour = hour_of(buckets[0].start);
        let end_hour = hour_of(buckets[buckets.len() - 1].start) + 1;
        let (first, last) = (first_hour as f64, end_hour as f64);
        // (hour, complaints, band) for every hour drawn.
        let hours: Vec<(f64, f64, Option<Band>)> = buckets
            .iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    hour_of(b.start) as f64,
                    b.counter.complaints as f64,
                    data.bands.get(i).copied().flatten(),
                )
            })
            .collect();
        let top = hours
            .iter()
            .map(|&(_, c, band)| c.max(band.map_or(0.0, |b| b.threshold as f64)))
            .fold(1.0, f64::max)
            * 1.1;
        let years = end_hour - first_hour > YEAR_LABELS_FROM;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: complaints per hour (UTC)", data.title),
                ("sans-serif", 20).into_font(),
            )
            .margin(14)
            // Room for the last label, centred on the axis's right end.
            .margin_right(36)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d(
                HourAxis {
                    hours: (first..last).into(),
                    ticks: ticks(first_hour, end_hour),
                },
                0.0..top,
            )
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_labels(MAX_TICKS as usize + 1)
            .y_labels(6)
            .x_label_formatter(&|x| axis_label(x, years))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("complaints")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(draw_error)?;

        // An incident overlapping the range may start before it or end
        // after it: only the part inside is shaded.
        for inc in data.incidents {
            let (a, b) = (
                (inc.start as f64).max(first),
                (inc.end as f64 + 1.0).min(last),
            );
            if a >= b {
                continue;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(a, 0.0), (b, top)],
                    INCIDENT.filled(),
                )))
                .map_err(draw_error)?;
        }

        // The band of normal, as step polygons from the baseline up to the
        // threshold, one per run of judged hours.
        let runs: Vec<&[(f64, f64, Option<Band>)]> = hours
            .split(|h| h.2.is_none())
            .filter(|run| !run.is_empty())
            .collect();
        for (i, run) in runs.iter().enumerate() {
            let mut band = steps(run, |&(_, _, b)| b.map_or(0.0, |b| b.baseline));
            let bar = steps(run, |&(_, _, b)| b.map_or(0.0, |b| b.threshold as f64));
            band.extend(bar.into_iter().rev());
            let series = chart
                .draw_series(std::iter::once(Polygon::new(band, BAND.filled())))
                .map_err(draw_error)?;
            if i == 0 {
                series
                    .label("normal range (baseline to alarm bar)")
                    .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND.filled()));
            }
        }
        for (i, run) in runs.iter().enumerate() {
            let series = chart
                .draw_series(LineSeries::new(
                    steps(run, |&(_, _, b)| b.map_or(0.0, |b| b.baseline)),
                    BASELINE.stroke_width(1),
                ))
                .map_err(draw_error)?;
            if i == 0 {
                series
                    .label("baseline")
                    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BASELINE));
            }
        }
        chart
            .draw_series(LineSeries::new(
                steps(&hours, |&(_, c, _)| c),
                COMPLAINTS.stroke_width(2),
            ))
            .map_err(draw_error)?
            .label("complaints")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], COMPLAINTS.stroke_width(2))
            });

        if !data.incidents.is_empty() {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(draw_error)?
                .label("incident")
                .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], INCIDENT.filled()));
        }

        // One mark per onset hour, naming every region first hit then;
        // an onset outside the range has no place on the chart.
        let mut groups: Vec<(Hour, Vec<&str>)> = Vec::new();
        for (region, onset) in data.onsets {
            if *onset < first_hour || *onset >= end_hour {
                continue;
            }
            match groups.iter_mut().find(|g| g.0 == *onset) {
                Some(g) => g.1.push(region),
                None => groups.push((*onset, vec![region])),
            }
        }
        groups.sort_by_key(|g| g.0);
        for (k, (onset, regions)) in groups.iter().enumerate() {
            let x = *onset as f64 + 0.5;
            let y = top * (0.97 - 0.07 * (k % 5) as f64);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, y)],
                    ONSET.mix(0.6).stroke_width(1),
                )))
                .map_err(draw_error)?;
            let label = format!("{:02}h {}", hour_start(*onset).hour(), regions.join(" "));
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    (x, y),
                    ("sans-serif", 12).into_font().color(&ONSET),
                )))
                .map_err(draw_error)?;
        }

        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 12).into_font())
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// A step line: each hour flat across its width, over consecutive hours.
/// Neighbouring hours of one value make one segment, so a long range of
/// quiet hours costs two points rather than two per hour: the chart's size
/// follows what happened, not how long the range is.
fn steps<T>(hours: &[(f64, f64, T)], value: impl Fn(&(f64, f64, T)) -> f64) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    for h in hours {
        let (x, y) = (h.0, value(h));
        match points.last_mut() {
            Some(end) if end.1 == y => end.0 = x + 1.0,
            _ => {
                points.push((x, y));
                points.push((x + 1.0, y));
            }
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{assess, DetectConfig};
    use crate::query::Bucket;
    use crate::store::Counter;

    fn parses_as_xml(svg: &str) -> usize {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut elements = 0;
        let mut depth = 0i32;
        loop {
            match reader.read_event().expect("well-formed XML") {
                quick_xml::events::Event::Start(_) => {
                    depth += 1;
                    elements += 1;
                }
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Empty(_) => elements += 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        elements
    }

    /// An hourly curve of `counts` complaints from `first`, and the bands
    /// detection gives it.
    fn judged(counts: &[u64], first: Hour) -> (Curve, Vec<Option<Band>>) {
        let hours = assess(counts, first, &DetectConfig::default());
        let curve = Curve {
            topic: "netflix".into(),
            region: "all".into(),
            buckets: counts
                .iter()
                .enumerate()
                .map(|(i, &c)| Bucket {
                    start: hour_start(first + i as Hour),
                    counter: Counter {
                        posts: c,
                        complaints: c,
                        ..Counter::default()
                    },
                })
                .collect(),
        };
        let bands = Band::for_curve(&curve, &hours);
        (curve, bands)
    }

    /// The text of every axis label, in order.
    fn x_labels(svg: &str) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut labels = Vec::new();
        let mut in_text = false;
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Start(e) => in_text = e.name().as_ref() == b"text",
                quick_xml::events::Event::Text(t) if in_text => {
                    let t = t.decode().unwrap().trim().to_string();
                    let b = t.as_bytes();
                    let hour = b.len() == 9 && b[2] == b'-' && b[5] == b' ' && b[8] == b'h';
                    let date = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
                    if hour || date {
                        labels.push(t);
                    }
                }
                quick_xml::events::Event::End(_) => in_text = false,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        labels
    }

    #[test]
    fn the_chart_is_svg_with_its_marks() {
        let mut counts = vec![4u64; 10 * 24];
        for c in &mut counts[200..210] {
            *c = 40;
        }
        let first = 378_432;
        let (curve, bands) = judged(&counts, first);
        let incidents = vec![Incident {
            number: 1,
            topic: "netflix".into(),
            start: first + 200,
            peak: first + 200,
            end: first + 209,
            complaints: 400,
            peak_complaints: 40,
            baseline_at_peak: 4.0,
            ratio: 10.0,
            regions: vec!["US".into()],
        }];
        let onsets = vec![
            ("US".to_string(), first + 200),
            ("CA".to_string(), first + 200),
            ("<BR&>".to_string(), first + 201),
        ];
        let svg = render(&ChartData {
            title: "Netflix",
            curve: &curve,
            bands: &bands,
            incidents: &incidents,
            onsets: &onsets,
        })
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(parses_as_xml(&svg) > 20);
        assert!(svg.contains("Netflix: complaints per hour (UTC)"));
        // 378_432 + 200 h is 2013-03-12T08:00Z.
        assert!(svg.contains("08h US CA"), "{svg}");
        assert!(svg.contains("09h &lt;BR&amp;&gt;"));
        assert!(svg.contains("incident"));
        // Ten days from Monday 2013-03-04: a label every day at midnight.
        assert_eq!(
            x_labels(&svg),
            (4..=14)
                .map(|d| format!("03-{d:02} 00h"))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_axis_spans_the_whole_curve_beyond_the_judged_hours() {
        // Two judged days inside a range of eight: the hours before and
        // after have no band, but the axis runs from the first bucket to
        // the end of the last, as curve.csv does.
        let first = 378_432;
        let (mut curve, mut bands) = judged(&[4; 48], first + 72);
        let zero = |h: Hour| Bucket {
            start: hour_start(h),
            counter: Counter::default(),
        };
        let before: Vec<Bucket> = (first..first + 72).map(zero).collect();
        let after: Vec<Bucket> = (first + 120..first + 8 * 24).map(zero).collect();
        curve.buckets.splice(0..0, before);
        curve.buckets.extend(after);
        bands.splice(0..0, vec![None; 72]);
        bands.extend(vec![None; 72]);
        assert_eq!(curve.buckets.len(), 8 * 24);
        let svg = render(&ChartData {
            title: "Netflix",
            curve: &curve,
            bands: &bands,
            incidents: &[],
            onsets: &[("US".to_string(), first - 5)],
        })
        .unwrap();
        parses_as_xml(&svg);
        let labels = x_labels(&svg);
        assert_eq!(labels.first().map(String::as_str), Some("03-04 00h"));
        assert_eq!(labels.last().map(String::as_str), Some("03-12 00h"));
        // The onset before the range is not drawn.
        assert!(!svg.contains("US"), "{svg}");
    }

    #[test]
    fn one_hour_is_labelled_once_at_each_end() {
        let (curve, bands) = judged(&[4; 24 * 8], 378_432);
        let one = Curve {
            buckets: curve.buckets[100..101].to_vec(),
            ..curve.clone()
        };
        let svg = render(&ChartData {
            title: "Netflix",
            curve: &one,
            bands: &bands[100..101],
            incidents: &[],
            onsets: &[],
        })
        .unwrap();
        // 378_432 + 100 h is 2013-03-08T04:00Z.
        assert_eq!(x_labels(&svg), vec!["03-08 04h", "03-08 05h"]);
    }

    #[test]
    fn years_are_named_on_a_chart_of_years() {
        assert_eq!(ticks(10, 11), vec![10.0, 11.0]);
        assert_eq!(
            ticks(1, 25),
            vec![3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 21.0, 24.0]
        );
        let first = 378_432;
        let (curve, bands) = judged(&[4; 24 * 30], first);
        let mut long = curve.clone();
        long.buckets
            .extend((first + 24 * 30..first + 24 * 800).map(|h| Bucket {
                start: hour_start(h),
                counter: Counter::default(),
            }));
        let mut long_bands = bands.clone();
        long_bands.resize(long.buckets.len(), None);
        let svg = render(&ChartData {
            title: "Netflix",
            curve: &long,
            bands: &long_bands,
            incidents: &[],
            onsets: &[],
        })
        .unwrap();
        // 800 days from 2013-03-04: a label every quarter, dated.
        assert_eq!(
            x_labels(&svg),
            [
                "2013-04-01",
                "2013-07-01",
                "2013-10-01",
                "2014-01-01",
                "2014-04-01",
                "2014-07-01",
                "2014-10-01",
                "2015-01-01",
                "2015-04-01"
            ]
        );
        // 2000 to 2030: every five years, on the first of January.
        let y2000 = 262_968;
        assert_eq!(hour_start(y2000).to_string(), "2000-01-01 00:00:00 UTC");
        let years: Vec<String> = ticks(y2000, y2000 + 262_993)
            .iter()
            .map(|h| axis_label(h, true))
            .collect();
        assert_eq!(
            years,
            [
                "2000-01-01",
                "2005-01-01",
                "2010-01-01",
                "2015-01-01",
                "2020-01-01",
                "2025-01-01",
                "2030-01-01"
            ]
        );
        // Forty days: every week (from a Thursday, as the epoch was).
        assert_eq!(ticks(y2000 + 5, y2000 + 40 * 24).len(), 6);
    }

    #[test]
    fn quiet_hours_make_one_segment() {
        let hours: Vec<(f64, f64, ())> = [0.0, 0.0, 0.0, 5.0, 5.0, 0.0]
            .iter()
            .enumerate()
            .map(|(i, &c)| (10.0 + i as f64, c, ()))
            .collect();
        assert_eq!(
            steps(&hours, |h| h.1),
            vec![
                (10.0, 0.0),
                (13.0, 0.0),
                (13.0, 5.0),
                (15.0, 5.0),
                (15.0, 0.0),
                (16.0, 0.0)
            ]
        );
    }

    #[test]
    fn an_empty_chart_still_draws() {
        let empty = Curve {
            topic: "hulu".into(),
            region: "all".into(),
            buckets: Vec::new(),
        };
        let svg = render(&ChartData {
            title: "Hulu",
            curve: &empty,
            bands: &[],
            incidents: &[],
            onsets: &[],
        })
        .unwrap();
        parses_as_xml(&svg);
        assert!(svg.contains("Hulu: no complaints stored\n</text>"), "{svg}");
        let quiet = Curve {
            buckets: vec![Bucket {
                start: hour_start(378_432),
                counter: Counter::default(),
            }],
            ..empty
        };
        let svg = render(&ChartData {
            title: "Hulu",
            curve: &quiet,
            bands: &[None],
            incidents: &[],
            onsets: &[],
        })
        .unwrap();
        assert!(svg.contains(
            "Hulu: no complaints stored from 2013-03-04T00:00:00Z to 2013-03-04T00:00:00Z"
        ));
    }
}

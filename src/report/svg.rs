//! The complaint curve as an SVG picture for a post-mortem.
//!
//! One chart tells the story: complaints per hour, the band of normal (from
//! the baseline up to the bar an hour must clear to count as abnormal),
//! incidents shaded, and a mark where each region was first hit. Drawn with
//! plotters' SVG backend, which writes text as `<text>` elements: no font
//! files are read, so it works on any machine.

use chrono::{Datelike, Timelike};
use plotters::prelude::*;

use crate::detect::{HourStat, Incident};
use crate::store::keys::{hour_start, Hour};

pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 460;

#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart: {0}")]
pub struct SvgError(String);

/// What the chart shows.
pub struct ChartData<'a> {
    /// The display name of the topic.
    pub title: &'a str,
    /// Consecutive hours, judged.
    pub hours: &'a [HourStat],
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

fn draw_error<E: std::fmt::Debug>(e: E) -> SvgError {
    SvgError(format!("{e:?}"))
}

fn axis_label(x: &f64) -> String {
    let t = hour_start(x.max(0.0).round() as Hour);
    format!("{:02}-{:02} {:02}h", t.month(), t.day(), t.hour())
}

/// Renders the chart as an SVG document.
pub fn render(data: &ChartData) -> Result<String, SvgError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        if data.hours.is_empty() {
            root.draw(&Text::new(
                format!("{}: no complaints stored", data.title),
                (20, 30),
                ("sans-serif", 18).into_font(),
            ))
            .map_err(draw_error)?;
            root.present().map_err(draw_error)?;
            drop(root);
            return Ok(svg);
        }
        let first = data.hours[0].hour as f64;
        let last = data.hours[data.hours.len() - 1].hour as f64 + 1.0;
        let top = data
            .hours
            .iter()
            .map(|h| h.complaints.max(h.threshold) as f64)
            .fold(1.0, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: complaints per hour (UTC)", data.title),
                ("sans-serif", 20).into_font(),
            )
            .margin(14)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d(first..last, 0.0..top)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(6)
            .x_label_formatter(&axis_label)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("complaints")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(draw_error)?;

        for inc in data.incidents {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(inc.start as f64, 0.0), (inc.end as f64 + 1.0, top)],
                    INCIDENT.filled(),
                )))
                .map_err(draw_error)?;
        }

        // The band of normal, as a step polygon: baseline up to threshold.
        let mut band: Vec<(f64, f64)> = Vec::with_capacity(data.hours.len() * 4);
        for h in data.hours {
            let x = h.hour as f64;
            band.push((x, h.expected.mean));
            band.push((x + 1.0, h.expected.mean));
        }
        for h in data.hours.iter().rev() {
            let x = h.hour as f64;
            band.push((x + 1.0, h.threshold as f64));
            band.push((x, h.threshold as f64));
        }
        chart
            .draw_series(std::iter::once(Polygon::new(band, BAND.filled())))
            .map_err(draw_error)?
            .label("normal range (baseline to alarm bar)")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND.filled()));
        chart
            .draw_series(LineSeries::new(
                steps(data.hours, |h| h.expected.mean),
                BASELINE.stroke_width(1),
            ))
            .map_err(draw_error)?
            .label("baseline")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BASELINE));
        chart
            .draw_series(LineSeries::new(
                steps(data.hours, |h| h.complaints as f64),
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

        // One mark per onset hour, naming every region first hit then.
        let mut groups: Vec<(Hour, Vec<&str>)> = Vec::new();
        for (region, onset) in data.onsets {
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

/// A step line: each hour flat across its width.
fn steps(hours: &[HourStat], value: impl Fn(&HourStat) -> f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(hours.len() * 2);
    for h in hours {
        let x = h.hour as f64;
        let y = value(h);
        points.push((x, y));
        points.push((x + 1.0, y));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{assess, DetectConfig};

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

    #[test]
    fn the_chart_is_svg_with_its_marks() {
        let mut counts = vec![4u64; 10 * 24];
        for c in &mut counts[200..210] {
            *c = 40;
        }
        let first = 378_432;
        let hours = assess(&counts, first, &DetectConfig::default());
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
            hours: &hours,
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
    }

    #[test]
    fn an_empty_chart_still_draws() {
        let svg = render(&ChartData {
            title: "Hulu",
            hours: &[],
            incidents: &[],
            onsets: &[],
        })
        .unwrap();
        parses_as_xml(&svg);
        assert!(svg.contains("no complaints stored"));
    }
}

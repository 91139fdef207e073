//! Commands that find and explain outages: detect, spread, posts, report;
//! and `synth --scenario random`, whose truth detection is scored against.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use super::out::{csv_io, StagedFolder};
use super::{chart_width, display, Env, EXIT_OK};
use outcry::detect::truth::{self, Score, Truth};
use outcry::detect::{self, DetectConfig, Incident, TopicReport};
use outcry::query::{CurveQuery, Granularity};
use outcry::report::{self, curve::Band, html, incidents, posts, spread as spread_report, svg};
use outcry::say;
use outcry::spread::{choose_window, RegionalView, Spread, WindowChoice, WindowError};
use outcry::store::keys::{hour_of, Hour};
use outcry::store::Store;

pub use outcry::report::posts::PostOrder;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

pub struct DetectArgs {
    pub topics: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub format: TableFormat,
    pub truth: Option<PathBuf>,
}

pub struct SpreadArgs {
    pub topic: String,
    pub incident: Option<usize>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub format: TableFormat,
}

pub struct PostsArgs {
    pub topic: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub complaints: bool,
    /// 0: all.
    pub limit: usize,
    pub order: PostOrder,
    pub format: TableFormat,
}

pub struct ReportArgs {
    pub topic: String,
    pub out: PathBuf,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Posts kept in `posts.csv` of a report, and shown in its page.
const REPORT_POSTS: usize = 500;
const PAGE_POSTS: usize = 25;

/// The topic's display name (see `query::display_name`: a topic the store
/// holds is known even when today's lexicons lack it); an error naming the
/// known topics otherwise.
fn known_topic(env: &Env, store: &Store, topic: &str) -> Result<String> {
    let pipeline = env.pipeline()?;
    let watched = pipeline
        .topics()
        .iter()
        .map(|t| (t.name.as_str(), t.display_name.as_str()));
    Ok(outcry::query::display_name(watched, store, topic)?)
}

fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

fn hours(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(Option<Hour>, Option<Hour>)> {
    super::check_range(from, to)?;
    Ok((from.map(hour_of), to.map(hour_of)))
}

pub fn detect(env: &Env, args: &DetectArgs) -> Result<u8> {
    let truth = args
        .truth
        .as_deref()
        .map(Truth::read)
        .transpose()
        .context("reading --truth")?;
    let store = env.existing_store()?;
    let mut topics = args.topics.clone();
    if topics.is_empty() {
        topics = match &truth {
            Some(t) => t.topics.clone(),
            None => store.stored_topics()?,
        };
    }
    // A topic named twice is one topic: its incidents are listed once.
    let mut seen = std::collections::HashSet::new();
    topics.retain(|t| seen.insert(t.clone()));
    for t in &topics {
        known_topic(env, &store, t)?;
    }
    let (mut from, mut to) = hours(args.from, args.to)?;
    let scope = match &truth {
        Some(truth) => {
            let scope = TruthScope::new(&store, truth, &topics, from, to)?;
            // Detections outside the truth's span are neither found nor
            // false alarms: the truth says nothing there.
            (from, to) = (Some(scope.from), Some(scope.to));
            Some(scope)
        }
        None => None,
    };
    let cfg = DetectConfig::default();
    let mut found: Vec<Incident> = Vec::new();
    for topic in &topics {
        let report = detect::detect_topic(&store, topic, from, to, &cfg)?;
        found.extend(report.incidents);
    }
    let mut out = stdout();
    match &scope {
        None => match args.format {
            TableFormat::Table => incidents::write_table(&found, &mut out)?,
            TableFormat::Csv => incidents::write_csv(&found, &mut out)?,
            TableFormat::Json => incidents::write_json(&found, &mut out)?,
        },
        Some(scope) => {
            let scored: Vec<Incident> = found
                .iter()
                .filter(|i| scope.scored.topics.contains(&i.topic))
                .cloned()
                .collect();
            let score = truth::score(&scope.scored, &scored);
            if args.format != TableFormat::Table {
                for note in scope.notes() {
                    say!("note: {note}");
                }
            }
            match args.format {
                TableFormat::Table => {
                    incidents::write_table(&found, &mut out)?;
                    writeln!(out)?;
                    write_score_table(scope, &score, &mut out)?;
                }
                TableFormat::Csv => write_score_csv(&score, &mut out)?,
                TableFormat::Json => {
                    let mut buf = Vec::new();
                    incidents::write_json(&found, &mut buf)?;
                    let incidents: serde_json::Value = serde_json::from_slice(&buf)?;
                    let mut score = score_json(&score);
                    score["scope"] = scope.json();
                    let doc = serde_json::json!({
                        "incidents": incidents,
                        "score": score,
                    });
                    serde_json::to_writer_pretty(&mut out, &doc)?;
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// What a `detect --truth` run scores: the truth cut down to the topics
/// and the range asked for, and the hours detection looks at to match.
struct TruthScope {
    /// The truth as read.
    whole: Truth,
    /// The part scored.
    scored: Truth,
    /// Topics asked for that the truth does not cover: listed, not scored.
    unscored: Vec<String>,
    /// The hours detection lists incidents for.
    from: Hour,
    to: Hour,
}

impl TruthScope {
    /// The scope of a run over `topics` and `from..=to` (hours), or an
    /// error when it holds nothing to score: no topic of the truth, a range
    /// outside the truth's span, or no stored hour of the truth's topics
    /// in it (the truth's archive was not imported into this store).
    fn new(
        store: &Store,
        truth: &Truth,
        topics: &[String],
        from: Option<Hour>,
        to: Option<Hour>,
    ) -> Result<TruthScope> {
        let scored = truth.restricted(topics, from, to);
        let unscored: Vec<String> = topics
            .iter()
            .filter(|t| !truth.topics.contains(t))
            .cloned()
            .collect();
        let span = format!(
            "{} to {}",
            outcry::report::rfc3339(truth.from),
            outcry::report::rfc3339(truth.to)
        );
        if scored.topics.is_empty() {
            anyhow::bail!(
                "nothing to score: the truth covers {}, not {}",
                truth.topics.join(", "),
                unscored.join(", ")
            );
        }
        if scored.from >= scored.to {
            anyhow::bail!("nothing to score: --from/--to lie outside the truth's span, {span}");
        }
        // The same hours as before ranges were scored: the truth's `to` is
        // the end of its archive, and its hour is looked at too.
        let (lo, hi) = (
            from.map_or(hour_of(truth.from), |f| f.max(hour_of(truth.from))),
            to.map_or(hour_of(truth.to), |t| t.min(hour_of(truth.to))),
        );
        let mut stored = false;
        for topic in &scored.topics {
            if let Some((first, last)) = store.topic_span(topic)? {
                stored |= first <= hi && last >= lo;
            }
        }
        if !stored {
            anyhow::bail!(
                "nothing to score: the store holds no hour of {} from {} to {}; import the truth's archive into this store first",
                scored.topics.join(", "),
                time(lo),
                time(hi)
            );
        }
        Ok(TruthScope {
            whole: truth.clone(),
            scored,
            unscored,
            from: lo,
            to: hi,
        })
    }

    /// Every topic of the truth over its whole span.
    fn whole_truth(&self) -> bool {
        (&self.scored.topics, self.scored.from, self.scored.to)
            == (&self.whole.topics, self.whole.from, self.whole.to)
    }

    /// Lines saying how the scope differs from the whole truth, and which
    /// topics were not scored; none when every topic asked for was scored
    /// over the whole truth.
    fn notes(&self) -> Vec<String> {
        let (whole, scored) = (&self.whole, &self.scored);
        let mut notes = Vec::new();
        if scored.topics != whole.topics {
            notes.push(format!(
                "scored topics: {} (the truth has {})",
                scored.topics.join(", "),
                whole.topics.join(", ")
            ));
        }
        if (scored.from, scored.to) != (whole.from, whole.to) {
            notes.push(format!(
                "scored span: {} to {} (the truth spans {} to {})",
                outcry::report::rfc3339(scored.from),
                outcry::report::rfc3339(scored.to),
                outcry::report::rfc3339(whole.from),
                outcry::report::rfc3339(whole.to)
            ));
        }
        if !notes.is_empty() {
            notes.push(format!(
                "incidents scored: {} of the truth's {}",
                scored.incidents.len(),
                whole.incidents.len()
            ));
        }
        if !self.unscored.is_empty() {
            notes.push(format!(
                "not in the truth, listed but not scored: {}",
                self.unscored.join(", ")
            ));
        }
        notes
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "whole_truth": self.whole_truth(),
            "topics": self.scored.topics,
            "from": outcry::report::rfc3339(self.scored.from),
            "to": outcry::report::rfc3339(self.scored.to),
            "truth_incidents": self.whole.incidents.len(),
            "unscored_topics": self.unscored,
        })
    }
}

fn time(h: Hour) -> String {
    incidents::hour_rfc3339(h)
}

fn score_json(s: &Score) -> serde_json::Value {
    serde_json::json!({
        "true_incidents": s.true_incidents,
        "found": s.found,
        "missed": s.missed,
        "false_alarms": s.false_alarms,
        "topics": s.topics,
        "days": s.days,
        "found_fraction": s.found_fraction,
        "false_alarms_per_topic_per_30_days": s.false_alarm_rate,
        "median_onset_delay_hours": s.median_onset_delay_hours,
        "matches": s.matches.iter().map(|m| serde_json::json!({
            "topic": m.topic,
            "shape": m.shape,
            "true_start": time(m.true_start),
            "true_end": time(m.true_end),
            "detected_start": m.detected_start.map(time),
            "detected_end": m.detected_end.map(time),
            "onset_delay_hours": m.onset_delay_hours,
        })).collect::<Vec<_>>(),
        "false_alarm_incidents": s.false_alarm_incidents.iter().map(|i| serde_json::json!({
            "topic": i.topic,
            "start": time(i.start),
            "end": time(i.end),
            "complaints": i.complaints,
        })).collect::<Vec<_>>(),
    })
}

fn write_score_table(scope: &TruthScope, s: &Score, mut out: impl Write) -> io::Result<()> {
    writeln!(
        out,
        "truth: {} incidents in {} topics over {:.1} days ({} seed {})",
        s.true_incidents, s.topics, s.days, scope.whole.scenario, scope.whole.seed
    )?;
    for note in scope.notes() {
        writeln!(out, "{note}")?;
    }
    writeln!(
        out,
        "found {} of {} ({:.1}%), missed {}",
        s.found,
        s.true_incidents,
        s.found_fraction * 100.0,
        s.missed
    )?;
    writeln!(
        out,
        "false alarms {} ({:.2} per topic per 30 days)",
        s.false_alarms, s.false_alarm_rate
    )?;
    match s.median_onset_delay_hours {
        Some(d) => writeln!(out, "median onset delay {d:+.1} h")?,
        None => writeln!(out, "median onset delay -")?,
    }
    writeln!(
        out,
        "{:<10} {:<10} {:<20}  {:<20}  {:>6}",
        "topic", "shape", "true start", "detected start", "delay"
    )?;
    for m in &s.matches {
        writeln!(
            out,
            "{:<10} {:<10} {:<20}  {:<20}  {:>6}",
            m.topic,
            m.shape,
            time(m.true_start),
            m.detected_start
                .map(time)
                .unwrap_or_else(|| "MISSED".into()),
            m.onset_delay_hours
                .map(|d| format!("{d:+} h"))
                .unwrap_or_else(|| "-".into())
        )?;
    }
    for i in &s.false_alarm_incidents {
        writeln!(
            out,
            "{:<10} {:<10} {:<20}  {:<20}  {:>6}",
            i.topic,
            "FALSE",
            "-",
            time(i.start),
            "-"
        )?;
    }
    Ok(())
}

fn write_score_csv(s: &Score, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "topic",
        "kind",
        "shape",
        "true_start",
        "true_end",
        "detected_start",
        "detected_end",
        "onset_delay_hours",
    ])?;
    for m in &s.matches {
        w.write_record([
            report::spreadsheet::inert(&m.topic).as_ref(),
            if m.detected_start.is_some() {
                "found"
            } else {
                "missed"
            },
            report::spreadsheet::inert(&m.shape).as_ref(),
            &time(m.true_start),
            &time(m.true_end),
            &m.detected_start.map(time).unwrap_or_default(),
            &m.detected_end.map(time).unwrap_or_default(),
            &m.onset_delay_hours
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ])?;
    }
    for i in &s.false_alarm_incidents {
        w.write_record([
            report::spreadsheet::inert(&i.topic).as_ref(),
            "false_alarm",
            "",
            "",
            "",
            &time(i.start),
            &time(i.end),
            "",
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The window a spread describes, and the report it came from.
fn spread_window(
    store: &Store,
    topic: &str,
    incident: Option<usize>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    cfg: &DetectConfig,
) -> Result<(TopicReport, Hour, Hour)> {
    let Some((first, last)) = store.topic_span(topic)? else {
        anyhow::bail!("no posts stored for topic {topic:?}");
    };
    if incident.is_some() && (from.is_some() || to.is_some()) {
        anyhow::bail!("give either --incident or --from/--to, not both");
    }
    let report = detect::detect_topic(store, topic, None, None, cfg)?;
    let choice = match (incident, from, to) {
        (Some(n), _, _) => WindowChoice::Incident(n),
        (None, None, None) => WindowChoice::Largest,
        (None, f, t) => {
            let (from, to) = hours(f, t)?;
            WindowChoice::Range { from, to }
        }
    };
    let (_, lo, hi) = choose_window(&report, (first, last), choice).map_err(|e| match e {
        WindowError::NoSuchIncident { number, count } => {
            anyhow::anyhow!(
                "no incident {number} for {topic:?}: `outcry detect {topic}` finds {count}"
            )
        }
        WindowError::NoIncident => anyhow::anyhow!(
            "no incident found for {topic:?}; give --from and --to to describe a window"
        ),
    })?;
    let window = (lo, hi);
    Ok((report, window.0, window.1))
}

pub fn spread(env: &Env, args: &SpreadArgs) -> Result<u8> {
    let store = env.existing_store()?;
    known_topic(env, &store, &args.topic)?;
    let cfg = DetectConfig::default();
    let (report, from, to) =
        spread_window(&store, &args.topic, args.incident, args.from, args.to, &cfg)?;
    let spread = RegionalView::new(&report.counts, &cfg).spread(from, to);
    let mut out = stdout();
    match args.format {
        TableFormat::Table => spread_report::write_table(&spread, chart_width(), &mut out)?,
        TableFormat::Csv => spread_report::write_csv(&spread, &mut out)?,
        TableFormat::Json => spread_report::write_json(&spread, &mut out)?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn read_posts(
    store: &Store,
    topic: &str,
    from: Hour,
    to: Hour,
    complaints: bool,
    order: PostOrder,
) -> Result<Vec<posts::PostGroup>> {
    let records = store
        .posts(topic, from, to)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(posts::group(records, complaints, order))
}

pub fn posts(env: &Env, args: &PostsArgs) -> Result<u8> {
    let store = env.existing_store()?;
    known_topic(env, &store, &args.topic)?;
    let (from, to) = hours(args.from, args.to)?;
    let span = store.topic_span(&args.topic)?;
    let from = from.or(span.map(|s| s.0)).unwrap_or(0);
    let to = to.or(span.map(|s| s.1)).unwrap_or(0);
    let mut groups = read_posts(&store, &args.topic, from, to, args.complaints, args.order)?;
    if args.limit > 0 {
        groups.truncate(args.limit);
    }
    let mut out = stdout();
    match args.format {
        TableFormat::Table => posts::write_table(&groups, args.complaints, &mut out)?,
        TableFormat::Csv => posts::write_csv(&groups, &mut out)?,
        TableFormat::Json => posts::write_json(&groups, &mut out)?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}

pub fn report(env: &Env, args: &ReportArgs) -> Result<u8> {
    // `-` means standard output to `export curve` and `synth`; six files
    // cannot go there, and a folder named `-` is never what was meant.
    anyhow::ensure!(
        args.out.as_os_str() != "-",
        "a report is a folder of six files and cannot go to standard output: \
         name a folder with --out (`export curve --out -` writes the curve alone)"
    );
    let store = env.existing_store()?;
    let title = known_topic(env, &store, &args.topic)?;
    let topic = args.topic.as_str();
    let Some((first, last)) = store.topic_span(topic)? else {
        anyhow::bail!("no posts stored for topic {topic:?}");
    };
    let (from, to) = hours(args.from, args.to)?;
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    // curve.csv: the hourly curve, read before the folder is touched so
    // that a range too long for one curve leaves it alone.
    let curve = super::read_curve(
        &store,
        &CurveQuery {
            topic,
            from: Some(outcry::store::keys::hour_start(from)),
            to: Some(outcry::store::keys::hour_start(to)),
            by: Granularity::Hour,
            region: None,
        },
        false,
    )?;
    // Every file goes in under a temporary name and is renamed into place
    // only when all six are written: a failure leaves the old report.
    let mut folder = StagedFolder::open(&args.out)?;
    let cfg = DetectConfig::default();
    let found = detect::detect_topic(&store, topic, Some(from), Some(to), &cfg)?;

    let in_range: Vec<detect::HourStat> = found
        .hours
        .iter()
        .filter(|h| h.hour >= from && h.hour <= to)
        .copied()
        .collect();
    let bands = Band::for_curve(&curve, &in_range);
    folder.write("curve.csv", |w| {
        report::curve::write_csv_with(&curve, Some(&bands), w).map_err(csv_io)
    })?;

    folder.write("incidents.csv", |w| {
        incidents::write_csv(&found.incidents, w).map_err(csv_io)
    })?;

    // The spread and the posts centre on the largest incident.
    let largest = found.largest().cloned();
    let spread: Option<Spread> = largest
        .as_ref()
        .map(|inc| RegionalView::new(&found.counts, &cfg).spread(inc.start, inc.end));
    folder.write("spread.csv", |w| match &spread {
        Some(s) => spread_report::write_csv(s, w).map_err(csv_io),
        None => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(spread_report::CSV_HEADER).map_err(csv_io)?;
            c.flush()
        }
    })?;

    let (posts_from, posts_to) = largest.as_ref().map_or((from, to), |i| (i.start, i.end));
    let mut groups = read_posts(
        &store,
        topic,
        posts_from,
        posts_to,
        true,
        PostOrder::Repeated,
    )?;
    groups.truncate(REPORT_POSTS);
    folder.write("posts.csv", |w| {
        posts::write_csv(&groups, w).map_err(csv_io)
    })?;

    let onsets: Vec<(String, Hour)> = spread
        .iter()
        .flat_map(|s| s.rows.iter())
        .filter(|r| {
            r.region != outcry::spread::OTHER && r.region != outcry::region::Region::UNKNOWN
        })
        .filter_map(|r| r.onset.map(|o| (r.region.clone(), o)))
        .collect();
    // The chart draws the same hours as curve.csv, with the same bands.
    let chart = svg::render(&svg::ChartData {
        title: &title,
        curve: &curve,
        bands: &bands,
        incidents: &found.incidents,
        onsets: &onsets,
    })?;
    folder.write("curve.svg", |w| w.write_all(chart.as_bytes()))?;

    let page = html::render(&html::Page {
        title: &title,
        topic,
        span: format!("{} to {}", time(from), time(to)),
        svg: &chart,
        incidents: &found.incidents,
        spread: spread.as_ref(),
        posts: &groups[..groups.len().min(PAGE_POSTS)],
        posts_hours: (posts_from, posts_to),
        posts_of_largest: largest.is_some(),
    });
    folder.write("index.html", |w| w.write_all(page.as_bytes()))?;
    folder.commit()?;

    say!(
        "wrote curve.csv ({}), incidents.csv ({}), spread.csv, posts.csv ({}), curve.svg and index.html to {}",
        super::count(curve.buckets.len() as u64, "hour"),
        found.incidents.len(),
        groups.len(),
        display(&args.out)
    );
    Ok(EXIT_OK)
}

/// `outcry synth --scenario random`: the archive, and its truth beside it.
pub fn synth_random(seed: u64, out: &Path) -> Result<u8> {
    let truth = super::inspect::write_archive(out, |w| outcry::synth_random::write(seed, w))?;
    let sidecar = truth::sidecar_path(out);
    let text = serde_json::to_string_pretty(&truth)?;
    std::fs::write(&sidecar, text + "\n")
        .with_context(|| format!("cannot write {}", display(&sidecar)))?;
    say!(
        "wrote {} with {} incidents; truth in {}",
        display(out),
        truth.incidents.len(),
        display(&sidecar)
    );
    Ok(EXIT_OK)
}

//! Commands that read the store or the lexicons: curve, export, topics,
//! stats; and synth, which writes archives.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use super::{chart_width, display, out, Env, EXIT_OK};
use outcry::query::{self, CurveQuery, Granularity};
use outcry::report;
use outcry::say;
use outcry::store::keys::{hour_of, hour_start};

pub struct CurveRequest {
    pub topic: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub by: Granularity,
    /// As the store spells it (see [`outcry::query::parse_region`]); `None`
    /// for every region together.
    pub region: Option<String>,
    /// Add the `baseline` and `threshold` columns.
    pub baseline: bool,
}

#[derive(Clone, Copy)]
pub enum CurveFormat {
    Chart,
    Table,
    Csv,
    Json,
}

pub fn curve(env: &Env, req: &CurveRequest, format: CurveFormat, out: Option<&Path>) -> Result<u8> {
    // A topic the store holds needs no lexicons: building the tagger and
    // scorers is half of a year-long curve's time. Only a topic the store
    // lacks is checked against them, to tell a typo from a quiet topic.
    let store = env.existing_store()?;
    if !store.stored_topics()?.contains(&req.topic) {
        let pipeline = env.pipeline()?;
        let watched = pipeline
            .topics()
            .iter()
            .map(|t| (t.name.as_str(), t.display_name.as_str()));
        query::display_name(watched, &store, &req.topic)?;
    }
    let region = req.region.as_deref();
    let curve = super::read_curve(
        &store,
        &CurveQuery {
            topic: &req.topic,
            from: req.from,
            to: req.to,
            by: req.by,
            region,
        },
        true,
    )?;
    let bands = if req.baseline {
        if req.by != Granularity::Hour {
            anyhow::bail!("--baseline needs --by hour: baselines are per hour");
        }
        if matches!(format, CurveFormat::Chart) {
            anyhow::bail!("--baseline needs --format table, csv or json");
        }
        let (first, last) = match (curve.buckets.first(), curve.buckets.last()) {
            (Some(a), Some(b)) => (hour_of(a.start), hour_of(b.start)),
            _ => (0, 0),
        };
        let hours = outcry::detect::judged_hours(
            &store,
            &req.topic,
            region,
            first,
            last,
            &outcry::detect::DetectConfig::default(),
        )?;
        Some(outcry::report::curve::Band::for_curve(&curve, &hours))
    } else {
        None
    };
    // `--out -` is standard output, as `-` is standard input elsewhere.
    let file = out.filter(|path| !out::is_stdout(path));
    let mut writer: Box<dyn Write> = match file {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", display(path)))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let written = match format {
        CurveFormat::Chart => report::chart::draw(&curve, chart_width(), &mut writer),
        CurveFormat::Table => {
            report::curve::write_table_with(&curve, bands.as_deref(), &mut writer)
        }
        CurveFormat::Csv => report::curve::write_csv_with(&curve, bands.as_deref(), &mut writer)
            .map_err(out::csv_io),
        CurveFormat::Json => report::curve::write_json_with(&curve, bands.as_deref(), &mut writer),
    };
    written
        .and_then(|()| writer.flush())
        .with_context(|| format!("cannot write {}", out::name(file.unwrap_or(Path::new("-")))))?;
    if let Some(path) = file {
        say!(
            "wrote {} to {}",
            super::count(curve.buckets.len() as u64, "bucket"),
            display(path)
        );
    }
    Ok(EXIT_OK)
}

pub fn topics(env: &Env) -> Result<u8> {
    let pipeline = env.pipeline()?;
    let mut out = io::stdout().lock();
    for topic in pipeline.topics() {
        writeln!(out, "{}\t{}", topic.name, topic.terms.join(", "))?;
    }
    // A topic imported under other lexicons is still queried by name, so
    // the store's topics are listed too. The listing never creates a store,
    // and one it cannot open (held by an import) only loses these lines.
    if env.db.exists() {
        match env.existing_store().and_then(|s| Ok(s.stored_topics()?)) {
            Ok(stored) => {
                for name in stored {
                    if !pipeline.topics().iter().any(|t| t.name == name) {
                        writeln!(out, "{name}\t(in the store; not in these lexicons)")?;
                    }
                }
            }
            Err(e) => say!(
                "outcry: topics stored in {} not listed: {e:#}",
                env.db.display()
            ),
        }
    }
    Ok(EXIT_OK)
}

pub fn stats(env: &Env) -> Result<u8> {
    let store = env.existing_store()?;
    let totals = store.totals()?;
    let mut out = io::stdout().lock();
    writeln!(out, "store             {}", display(store.path()))?;
    writeln!(out, "posts remembered  {}", totals.posts_remembered)?;
    writeln!(out, "imports done      {}", totals.imports)?;
    let topics = store.stored_topics()?;
    writeln!(out, "topics            {}", topics.len())?;
    for topic in topics {
        if let Some((first, last)) = store.topic_span(&topic)? {
            let mut posts = 0;
            let mut complaints = 0;
            for row in store.counters(&topic, first, last) {
                let (_, _, c) = row?;
                posts += c.posts;
                complaints += c.complaints;
            }
            writeln!(
                out,
                "  {topic:<14} {posts:>9} posts {complaints:>9} complaints, {} from {} to {}",
                super::count(u64::from(last - first + 1), "hour"),
                report::rfc3339(hour_start(first)),
                report::rfc3339(hour_start(last)),
            )?;
        }
    }
    Ok(EXIT_OK)
}

pub fn synth(scenario: &str, seed: u64, out: &Path, posts: Option<u64>) -> Result<u8> {
    // Only the load scenario has a size to choose; the others are fixed
    // archives, and a --posts quietly ignored would misstate what was
    // written.
    if posts.is_some() && scenario != outcry::synth::load::NAME {
        anyhow::bail!(
            "--posts is for --scenario {} only; --scenario {scenario} writes an archive of its own size",
            outcry::synth::load::NAME
        );
    }
    if scenario == outcry::synth_random::SCENARIO {
        if out::is_stdout(out) {
            anyhow::bail!(
                "--out - cannot take --scenario {scenario}: its truth is written beside the archive \
                 (FILE.truth.json), so it needs a file name"
            );
        }
        return super::analyse::synth_random(seed, out);
    }
    let lines = match posts {
        Some(posts) => write_archive(out, |w| outcry::synth::load::write(seed, posts, w))?.lines,
        None => write_archive(out, |w| outcry::synth::write_scenario(scenario, seed, w))?,
    };
    say!(
        "wrote {} to {}",
        super::count(lines, "line"),
        out::name(out)
    );
    Ok(EXIT_OK)
}

/// Creates `out` and lets `write` fill it (see [`outcry::synth::write_file`]);
/// `-` is standard output, never compressed.
pub fn write_archive<T, E>(
    out: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T>
where
    E: From<std::io::Error> + std::error::Error + Send + Sync + 'static,
{
    if !out::is_stdout(out) {
        return outcry::synth::write_file(out, write)
            .with_context(|| format!("cannot write {}", out::name(out)));
    }
    let mut w = out::WatchedStdout::lock();
    let written = write(&mut w).and_then(|t| {
        w.flush()?;
        Ok(t)
    });
    // The writer's own error type hides the I/O error from `main`, which
    // must still see a reader that stopped early (`| head`) as one.
    if w.reader_gone() {
        return Err(io::Error::from(io::ErrorKind::BrokenPipe).into());
    }
    written.with_context(|| format!("cannot write {}", out::name(out)))
}

//! `outcry import`: read archives into the store and show what was read.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{chart_width, display, Env, EXIT_OK, EXIT_PARTIAL};
use outcry::import::{FileSummary, ImportOptions, Importer, RejectSink};
use outcry::query::{self, CurveQuery, Granularity};
use outcry::report;
use outcry::sources::inputs;
use outcry::tag::Topic;

pub enum ChartChoice {
    None,
    Auto,
    Topic(String),
}

pub struct ImportArgs {
    pub paths: Vec<PathBuf>,
    pub rejects: Option<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
    pub keep_text: bool,
    pub chart: ChartChoice,
}

pub fn import(env: &Env, args: &ImportArgs) -> Result<u8> {
    let pipeline = env.pipeline()?;
    let store = if args.dry_run {
        None
    } else {
        Some(env.store()?)
    };
    let (inputs, problems) = inputs::expand(&args.paths);
    let mut rejects_file = match &args.rejects {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create {}", display(path))
            })?))
        }
        None => None,
    };
    let mut importer = Importer {
        store: store.as_ref(),
        pipeline: &pipeline,
        options: ImportOptions {
            dry_run: args.dry_run,
            force: args.force,
            keep_text: args.keep_text,
            ..ImportOptions::default()
        },
        rejects: match (&args.rejects, rejects_file.as_mut()) {
            (Some(path), Some(w)) => Some(RejectSink {
                name: display(path),
                writer: w,
            }),
            _ => None,
        },
    };
    let topics = pipeline.topics();
    let mut out = io::stdout().lock();
    let mut total = FileSummary {
        name: "total".into(),
        per_topic: vec![(0, 0); topics.len()],
        ..FileSummary::default()
    };
    let mut failed: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", display(&p.path), p.reason))
        .collect();
    for input in &inputs {
        let summary = importer.import(input)?;
        print_summary(&mut out, &summary, topics)?;
        if let Some(e) = &summary.error {
            failed.push(format!("{}: {}", summary.name, e));
        }
        total.absorb(&summary);
    }
    drop(importer);
    if let Some(mut w) = rejects_file {
        w.flush().context("writing rejected lines")?;
    }
    if let Some(store) = &store {
        store.flush()?;
    }
    if inputs.len() > 1 {
        total.name = format!("total ({} inputs)", inputs.len());
        print_summary(&mut out, &total, topics)?;
    }
    for f in &failed {
        writeln!(out, "could not read: {f}")?;
        eprintln!("outcry: could not read {f}");
    }
    if args.dry_run {
        writeln!(out, "dry run: nothing was stored")?;
    }
    if let Some(store) = &store {
        let topic = match &args.chart {
            ChartChoice::None => None,
            ChartChoice::Topic(t) => Some(t.clone()),
            ChartChoice::Auto => topics
                .iter()
                .position(|t| t.name == "netflix")
                .or_else(|| (0..topics.len()).max_by_key(|&i| total.per_topic[i].0))
                .map(|i| topics[i].name.clone()),
        };
        if let Some(topic) = topic {
            let curve = query::curve(
                store,
                &CurveQuery {
                    topic: &topic,
                    from: None,
                    to: None,
                    by: Granularity::Hour,
                    region: None,
                },
            )?;
            writeln!(out)?;
            report::chart::draw(&curve, chart_width(), &mut out)?;
        }
    }
    Ok(if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

fn print_summary(out: &mut impl Write, s: &FileSummary, topics: &[Topic]) -> io::Result<()> {
    match s.compression {
        Some(c) => writeln!(out, "== {} ({c})", s.name)?,
        None => writeln!(out, "== {}", s.name)?,
    }
    if s.already_imported {
        return writeln!(
            out,
            "already imported whole: skipped (use --force to read it again)"
        );
    }
    if s.resumed_after > 0 {
        writeln!(out, "resumed after line       {}", s.resumed_after)?;
    }
    writeln!(out, "lines read               {}", s.lines)?;
    writeln!(out, "posts                    {}", s.posts)?;
    writeln!(out, "control lines            {}", s.control)?;
    writeln!(out, "deletes of counted posts {}", s.deletes_of_counted)?;
    writeln!(out, "duplicates skipped       {}", s.duplicates)?;
    writeln!(out, "rejected lines           {}", s.rejected)?;
    for sample in &s.reject_samples {
        writeln!(out, "  {sample}")?;
    }
    if s.rejected > s.reject_samples.len() as u64 {
        writeln!(
            out,
            "  … {} more (--rejects FILE keeps them all)",
            s.rejected - s.reject_samples.len() as u64
        )?;
    }
    if let Some(e) = &s.error {
        writeln!(out, "error                    {e}")?;
    }
    let mentioned: Vec<_> = topics
        .iter()
        .zip(&s.per_topic)
        .filter(|(_, c)| c.0 > 0)
        .collect();
    if !mentioned.is_empty() {
        writeln!(out, "{:<16} {:>10} {:>10}", "topic", "posts", "complaints")?;
        for (topic, (posts, complaints)) in mentioned {
            writeln!(out, "{:<16} {:>10} {:>10}", topic.name, posts, complaints)?;
        }
    }
    Ok(())
}

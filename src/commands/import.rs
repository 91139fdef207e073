//! `outcry import`: read archives into the store and show what was read.

use std::cell::Cell;
use std::fs::OpenOptions;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{chart_width, display, Env, EXIT_OK, EXIT_PARTIAL};
use outcry::import::{FileSummary, ImportOptions, Importer, Progress, RejectSink};
use outcry::query::{self, CurveQuery, Granularity};
use outcry::report;
use outcry::say;
use outcry::sources::inputs;
use outcry::sources::Format;
use outcry::store::Store;
use outcry::tag::Topic;

/// The shell's convention for a command stopped by Ctrl-C.
const EXIT_INTERRUPTED: u8 = 130;

/// For tests of interrupted imports: after this many commits the import
/// makes the store durable, says so on stderr and waits for a signal, so a
/// test can kill it at a known point instead of at a guessed time.
const PAUSE_ENV: &str = "OUTCRY_PAUSE_AFTER_COMMITS";

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
    /// `auto` (recognise each stream's format), `v1`, `v2`, `export`, `csv`.
    pub format: String,
    /// No progress bar.
    pub quiet: bool,
    pub commit_every: Option<u64>,
}

/// The progress bar on stderr: bytes of all inputs, posts per second, time
/// left. indicatif hides it when stderr is not a terminal.
struct Bar<'s> {
    bar: ProgressBar,
    /// Bytes of the inputs before the current one.
    base: Cell<u64>,
    posts_before: Cell<u64>,
    started: Instant,
    commits: Cell<u64>,
    pause_after: Option<u64>,
    store: Option<&'s Store>,
    stop: &'s AtomicBool,
}

impl Bar<'_> {
    fn input_done(&self, size: u64, posts: u64) {
        self.base.set(self.base.get() + size);
        self.posts_before.set(self.posts_before.get() + posts);
        self.bar.set_position(self.base.get());
    }
}

impl Progress for Bar<'_> {
    fn update(&self, bytes: u64, posts: u64) {
        self.bar.set_position(self.base.get() + bytes);
        let posts = self.posts_before.get() + posts;
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        self.bar
            .set_message(format!("{posts} posts, {:.0} posts/s", posts as f64 / secs));
    }

    fn committed(&self) {
        self.commits.set(self.commits.get() + 1);
        if self.pause_after != Some(self.commits.get()) {
            return;
        }
        if let Some(store) = self.store {
            // What a crash would keep anyway, a few hundred milliseconds on.
            let _ = store.flush();
        }
        say!(
            "outcry: paused after commit {} ({PAUSE_ENV}); waiting for a signal",
            self.commits.get()
        );
        while !self.stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Ctrl-C (or SIGTERM) once: finish the current record, commit, report. A
/// second one ends the process at once.
fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(
            signal,
            i32::from(EXIT_INTERRUPTED),
            Arc::clone(&stop),
        )
        .context("installing the Ctrl-C handler")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the Ctrl-C handler")?;
    }
    Ok(stop)
}

pub fn import(env: &Env, args: &ImportArgs) -> Result<u8> {
    let format = parse_format(&args.format)?;
    let pipeline = env.pipeline()?;
    let store = if args.dry_run {
        None
    } else {
        Some(env.store()?)
    };
    if let (ChartChoice::Topic(topic), Some(store)) = (&args.chart, &store) {
        // A mistyped topic must not wait for gigabytes to be read before it
        // is noticed, and then be told only that nothing is stored for it.
        let watched = pipeline
            .topics()
            .iter()
            .map(|t| (t.name.as_str(), t.display_name.as_str()));
        outcry::query::display_name(watched, store, topic)?;
    }
    let (inputs, problems) = inputs::expand(&args.paths);
    // Appended to, never emptied: a rerun to resume an interrupted import
    // must not lose the lines of the records it does not read again. The
    // importer cuts off those it does read again.
    let mut rejects_file = match &args.rejects {
        Some(path) => {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open {}", display(path)))?;
            // A pipe or a device (`/dev/stdout`) can be neither measured nor
            // cut back: it is only written to.
            let absolute = match file.metadata() {
                Ok(meta) if meta.is_file() => Some(
                    std::fs::canonicalize(path)
                        .with_context(|| format!("cannot open {}", display(path)))?,
                ),
                _ => None,
            };
            Some((BufWriter::new(file), absolute))
        }
        None => None,
    };
    let stop = stop_on_signals()?;
    let sizes: Vec<Option<u64>> = inputs
        .iter()
        .map(|i| i.path().and_then(|p| p.metadata().ok()).map(|m| m.len()))
        .collect();
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let total = sizes.iter().copied().sum::<Option<u64>>();
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = match total {
            Some(_) => "{wide_bar} {binary_bytes}/{binary_total_bytes} {msg} ({eta} left)",
            None => "{spinner} {binary_bytes} {msg} ({elapsed})",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar
    };
    let progress = Bar {
        bar,
        base: Cell::new(0),
        posts_before: Cell::new(0),
        started: Instant::now(),
        commits: Cell::new(0),
        pause_after: std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse().ok()),
        store: store.as_ref(),
        stop: &stop,
    };
    let defaults = ImportOptions::default();
    let mut importer = Importer {
        store: store.as_ref(),
        counted_without_store: Default::default(),
        pipeline: &pipeline,
        options: ImportOptions {
            dry_run: args.dry_run,
            force: args.force,
            keep_text: args.keep_text,
            format,
            commit_every: args.commit_every.unwrap_or(defaults.commit_every).max(1),
        },
        rejects: match (&args.rejects, rejects_file.as_mut()) {
            (Some(path), Some((w, absolute))) => {
                Some(RejectSink::new(display(path), w, absolute.as_deref()))
            }
            _ => None,
        },
        progress: Some(&progress),
        stop: Some(&stop),
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
    let mut interrupted = false;
    let mut read = 0;
    for (input, size) in inputs.iter().zip(&sizes) {
        let summary = importer.import(input)?;
        progress.input_done(size.unwrap_or(0), summary.posts);
        progress
            .bar
            .suspend(|| print_summary(&mut out, &summary, topics))?;
        failed.extend(summary.problems());
        total.absorb(&summary);
        read += 1;
        if summary.interrupted {
            interrupted = true;
            break;
        }
    }
    progress.bar.finish_and_clear();
    importer.finish_rejects()?;
    drop(importer);
    if let Some((mut w, _)) = rejects_file {
        w.flush().context("writing rejected lines")?;
    }
    if let Some(store) = &store {
        store.flush()?;
    }
    if read > 1 {
        total.name = format!("total ({read} inputs)");
        print_summary(&mut out, &total, topics)?;
    }
    // The summary on standard output ends with what went wrong; it is said
    // on standard error too when the summary goes to a file or a pipe,
    // but not a second time on the same terminal.
    let echo = !std::io::stdout().is_terminal();
    for f in &failed {
        writeln!(out, "could not read: {f}")?;
        if echo {
            say!("outcry: could not read {f}");
        }
    }
    if args.dry_run {
        writeln!(out, "dry run: nothing was stored")?;
    }
    if interrupted {
        let how = if args.dry_run {
            "interrupted: nothing was stored (dry run)".to_string()
        } else {
            "interrupted: everything read so far is stored; run the same command again to resume where it stopped".to_string()
        };
        writeln!(out, "{how}")?;
        if echo {
            say!("outcry: {how}");
        }
        return Ok(EXIT_INTERRUPTED);
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
            // The chart is a courtesy after an import that went well: a
            // store spanning more hours than one curve may hold is drawn by
            // day rather than failing the import.
            let mut by_day = false;
            let curve = loop {
                let by = if by_day {
                    Granularity::Day
                } else {
                    Granularity::Hour
                };
                let q = CurveQuery {
                    topic: &topic,
                    from: None,
                    to: None,
                    by,
                    region: None,
                };
                match query::curve(store, &q) {
                    Err(query::CurveError::TooManyBuckets(_)) if !by_day => by_day = true,
                    other => break other,
                }
            };
            writeln!(out)?;
            match curve {
                Ok(curve) => report::chart::draw(&curve, chart_width(), &mut out)?,
                Err(query::CurveError::TooManyBuckets(t)) => {
                    writeln!(out, "no chart: {t}; give `outcry curve` a --from and --to")?
                }
                Err(query::CurveError::Store(e)) => return Err(e.into()),
            }
        }
    }
    Ok(if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// Parses `--format` (`auto` means recognise each stream).
pub fn parse_format(name: &str) -> Result<Option<Format>> {
    if name.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    Format::from_name(name)
        .map(Some)
        .ok_or_else(|| anyhow::anyhow!("unknown format {name:?}: use auto, v1, v2, export or csv"))
}

/// The first few of `total` messages, then how many more there were. A
/// summary that lists none (the total of several inputs) does not say
/// "… N more" of nothing.
fn write_samples(
    out: &mut impl Write,
    samples: &[String],
    total: u64,
    hint: &str,
) -> io::Result<()> {
    for sample in samples {
        writeln!(out, "  {sample}")?;
    }
    let shown = samples.len() as u64;
    if shown > 0 && total > shown {
        writeln!(out, "  … {} more{hint}", total - shown)?;
    }
    Ok(())
}

fn print_summary(out: &mut impl Write, s: &FileSummary, topics: &[Topic]) -> io::Result<()> {
    match (s.compression, s.container) {
        (Some("plain") | None, Some(container)) => writeln!(out, "== {} ({container})", s.name)?,
        (Some(c), Some(container)) => writeln!(out, "== {} ({c}, {container})", s.name)?,
        (Some(c), None) => writeln!(out, "== {} ({c})", s.name)?,
        (None, None) => writeln!(out, "== {}", s.name)?,
    }
    if s.already_imported && s.unverified {
        writeln!(
            out,
            "already imported whole: skipped (use --force to read it again)"
        )?;
        return writeln!(
            out,
            "  imported by an older outcry, which kept no hash of the whole file: only its size and ends were compared; its hash is kept from now on"
        );
    }
    if s.already_imported {
        return writeln!(
            out,
            "already imported whole: skipped (use --force to read it again)"
        );
    }
    if s.changed {
        writeln!(
            out,
            "changed since it was imported whole: read again (a post counted before stays as it was counted)"
        )?;
    }
    if let Some(why) = &s.skipped {
        return writeln!(out, "skipped: {why}");
    }
    if s.resumed_after > 0 {
        writeln!(out, "resumed after line       {}", s.resumed_after)?;
    }
    if !s.formats.is_empty() {
        let formats: Vec<String> = s
            .formats
            .iter()
            .map(|(label, n)| match (s.container, n) {
                (None, 1) => label.clone(),
                _ => format!("{label} ×{n}"),
            })
            .collect();
        writeln!(out, "format                   {}", formats.join(", "))?;
    }
    if s.container.is_some() || s.members > 0 {
        writeln!(out, "members read             {}", s.members)?;
    }
    if s.members_done_before > 0 {
        writeln!(out, "members done before      {}", s.members_done_before)?;
    }
    if s.members_resumed > 0 {
        writeln!(out, "members resumed          {}", s.members_resumed)?;
    }
    if s.members_skipped > 0 {
        writeln!(out, "members skipped          {}", s.members_skipped)?;
    }
    for note in &s.notes {
        writeln!(out, "  {note}")?;
    }
    if s.members_skipped > s.notes.len() as u64 && !s.notes.is_empty() {
        writeln!(out, "  … {} more", s.members_skipped - s.notes.len() as u64)?;
    }
    writeln!(out, "lines read               {}", s.lines)?;
    writeln!(out, "posts                    {}", s.posts)?;
    writeln!(out, "control lines            {}", s.control)?;
    writeln!(out, "deletes of counted posts {}", s.deletes_of_counted)?;
    writeln!(out, "duplicates skipped       {}", s.duplicates)?;
    writeln!(out, "rejected lines           {}", s.rejected)?;
    write_samples(
        out,
        &s.reject_samples,
        s.rejected,
        " (--rejects FILE keeps them all)",
    )?;
    if s.rejects_written_before > 0 {
        writeln!(
            out,
            "  {} of them in the --rejects file already, from an earlier read: not written again",
            s.rejects_written_before
        )?;
    }
    if s.warnings > 0 {
        writeln!(out, "warnings                 {}", s.warnings)?;
        write_samples(out, &s.warning_samples, s.warnings, "")?;
    }
    if s.member_error_count > 0 {
        writeln!(out, "unreadable members       {}", s.member_error_count)?;
        for e in &s.member_errors {
            writeln!(out, "  {e}")?;
        }
    }
    if let Some(e) = &s.error {
        writeln!(out, "error                    {e}")?;
    }
    if s.interrupted {
        writeln!(
            out,
            "interrupted              (stopped by a signal; rerun to resume)"
        )?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_with_auto_meaning_none() {
        assert_eq!(parse_format("auto").unwrap(), None);
        assert_eq!(parse_format("v2").unwrap(), Some(Format::TwitterV2));
        assert!(parse_format("xml").is_err());
    }
}

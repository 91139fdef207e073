//! The subcommands: each opens what it needs, calls the library and prints.
//!
//! This is the binary's half: messages for people, exit statuses and
//! `anyhow` context live here; the library below returns typed errors.

mod analyse;
pub mod args;
mod eval;
mod import;
mod inspect;
mod out;
mod poll;
mod score;
mod serve;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use outcry::lexicons::Lexicons;
use outcry::pipeline::Pipeline;
use outcry::query::{self, Curve, CurveError, CurveQuery, Granularity};
use outcry::store::Store;

pub use analyse::{
    detect, posts, report, spread, DetectArgs, PostOrder, PostsArgs, ReportArgs, SpreadArgs,
    TableFormat,
};
pub use eval::{eval, parse_label_map, EvalArgs, EvalFormat};
pub use import::{import, ChartChoice, ImportArgs};
pub use inspect::{curve, stats, synth, topics, CurveFormat, CurveRequest};
pub use poll::{poll, PollArgs};
pub use score::{score, ScoreArgs, MAX_THREADS};
pub use serve::{serve, ServeArgs};

/// Every input read and every record stored.
pub const EXIT_OK: u8 = 0;
/// Done, but some input could not be opened or read to its end.
pub const EXIT_PARTIAL: u8 = 1;
/// Nothing useful could be done (bad arguments, unusable store or lexicons).
pub const EXIT_FATAL: u8 = 2;

/// What every command may need, opened lazily.
pub struct Env {
    pub db: PathBuf,
    pub lexicons: Lexicons,
}

impl Env {
    pub fn new(db: PathBuf, lexicons: Option<PathBuf>) -> Env {
        Env {
            db,
            lexicons: lexicons.map(Lexicons::from_dir).unwrap_or_default(),
        }
    }

    pub fn store(&self) -> Result<Store> {
        Ok(Store::open(&self.db)?)
    }

    /// Queries must not create an empty store where the user mistyped a path.
    pub fn existing_store(&self) -> Result<Store> {
        if !self.db.exists() {
            anyhow::bail!(
                "no store at {} (import an archive first, or point --db / OUTCRY_DB at the store)",
                self.db.display()
            );
        }
        self.store()
    }

    pub fn pipeline(&self) -> Result<Pipeline> {
        Pipeline::new(&self.lexicons).context("loading lexicons")
    }
}

/// A time given on the command line; see [`outcry::query::parse_time`].
pub fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    outcry::query::parse_time(s).ok_or_else(|| {
        anyhow::anyhow!(
            "not an RFC 3339 time (like 2012-12-24T20:00:00Z), a date and hour (2012-12-24T20) or a date (2012-12-24), from 1970 on"
        )
    })
}

/// `--from` and `--to` in order, the same check as the API's `from is after
/// to`.
pub fn check_range(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Result<()> {
    anyhow::ensure!(!outcry::query::reversed(from, to), "--from is after --to");
    Ok(())
}

/// A curve for the command line. A range of more buckets than one curve
/// may hold is refused with what to change: `by_day` says whether the
/// command takes `--by day`, which holds 24 times the span.
pub fn read_curve(store: &Store, q: &CurveQuery, by_day: bool) -> Result<Curve> {
    query::curve(store, q).map_err(|e| match e {
        CurveError::TooManyBuckets(t) => {
            let or = if by_day && t.by == Granularity::Hour {
                ", or count by day with --by day"
            } else {
                ""
            };
            anyhow::anyhow!("{t}: give a shorter --from/--to{or}")
        }
        CurveError::Store(e) => e.into(),
    })
}

/// `--region`, read as the API reads `region`; `None` for every region.
pub fn parse_region(s: &str) -> Result<Option<String>> {
    outcry::query::parse_region(s).map_err(|why| anyhow::anyhow!("--region {why}"))
}

/// The width a chart may use: `COLUMNS` when set (bash does not export
/// it, so a user who sets it means it), else the width of the terminal
/// the chart is drawn on, else 80 columns for a file or a pipe.
pub fn chart_width() -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_, cols)| usize::from(cols))
        });
    // The axis and its labels take 12 columns.
    columns.unwrap_or(80).saturating_sub(12).clamp(20, 400)
}

/// `1 hour`, `2 hours`: a count and its noun, singular for one.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// What a failed write to standard output names, as every command that
/// writes there does.
pub const STDOUT: &str = "cannot write standard output";

/// A file or `-` for standard input, decompressed whatever its compression
/// (gzip, bzip2, zstd, told by its first bytes): the opener `import` uses,
/// so `score` and `eval` read `posts.txt.gz` as they read `posts.txt`.
pub fn open_input(
    input: &Path,
) -> Result<(
    outcry::sources::decode::Compression,
    Box<dyn std::io::BufRead>,
)> {
    use outcry::sources::inputs::Input;
    let source = if input.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(input.to_path_buf())
    };
    outcry::sources::decode::open(&source)
        .with_context(|| format!("cannot open {}", display(input)))
}

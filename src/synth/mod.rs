//! Synthetic archives with known truth.
//!
//! The bundled `data/netflix-christmas-eve-2012.jsonl.gz` is written by the
//! `christmas-eve-2012` scenario: Twitter API v1.1 JSON lines as a 2012
//! streaming capture held them, a week of ordinary posting in sixteen
//! regions with the Christmas Eve Netflix outcry on top. Real archives of
//! that night cannot be redistributed; this one can, and because we wrote it
//! we know what every line is.
//!
//! Generation is deterministic: the same scenario and seed give the same
//! bytes on every platform (ChaCha8 draws only, no maps iterated in hash
//! order, no clock, no transcendental maths; see `dice.rs`). The parts are
//! shared so that further scenarios reuse them: `profiles` and `population`
//! (who posts, from where), `text` (what they write), `tweet` (the JSON
//! shapes) and `stream` (ids, retweets, control and damaged lines, writing).

mod activity;
mod christmas;
mod damage;
mod dice;
pub mod load;
mod locations;
mod names;
mod population;
mod profiles;
mod stream;
mod text;
mod tweet;

use std::collections::BTreeMap;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("unknown scenario {0:?}")]
    UnknownScenario(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Creates `path` and lets `write` fill it, gzip-compressed when the name
/// ends in `.gz`, in any case (`ARCHIVE.JSONL.GZ` is gzip too). The gzip
/// header gets mtime 0 and no file name, so a seed gives the same bytes
/// whenever and wherever it runs.
pub fn write_file<T, E>(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<std::io::Error>,
{
    let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let result = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(&mut file, flate2::Compression::default());
        let r = write(&mut gz)?;
        gz.finish()?;
        r
    } else {
        write(&mut file)?
    };
    file.flush()?;
    Ok(result)
}

/// The scenarios `write_scenario` knows.
pub const SCENARIOS: &[&str] = &[christmas::NAME, crate::synth_random::SCENARIO, load::NAME];

/// A line written on purpose in a shape readers must reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedLine {
    /// 1-based line number in the archive.
    pub line: u64,
    pub what: &'static str,
}

/// What a scenario wrote: the truth to check an import against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    /// Every line, blank and malformed ones included.
    pub lines: u64,
    /// Well-formed tweet lines, retweets included, second copies not.
    pub tweets: u64,
    pub retweets: u64,
    /// Tweet lines written a second time (a reconnecting capture).
    pub duplicates: u64,
    pub deletes: u64,
    pub limits: u64,
    /// Keep-alive blank lines.
    pub blank: u64,
    pub malformed: Vec<MalformedLine>,
    /// Tweets by what they were written to be.
    pub by_kind: BTreeMap<&'static str, u64>,
    /// Tweets mentioning Netflix, and those written as complaints about it,
    /// retweets included.
    pub netflix_posts: u64,
    pub netflix_complaints: u64,
    /// By region profile key ("US", "CA-QC", "BR").
    pub netflix_by_region: BTreeMap<&'static str, u64>,
    pub complaints_by_region: BTreeMap<&'static str, u64>,
    /// Netflix complaints by UTC hour (Unix time of the hour's start).
    pub complaints_by_hour: BTreeMap<i64, u64>,
}

/// Writes the scenario's JSON lines to `out`, deterministically for a seed,
/// and returns how many lines it wrote.
pub fn write_scenario(scenario: &str, seed: u64, out: &mut dyn Write) -> Result<u64, SynthError> {
    generate(scenario, seed, out).map(|s| s.lines)
}

/// Like `write_scenario`, returning what was written.
pub fn generate(scenario: &str, seed: u64, out: &mut dyn Write) -> Result<Summary, SynthError> {
    match scenario {
        christmas::NAME => christmas::write(seed, out),
        crate::synth_random::SCENARIO => crate::synth_random::write_summary(seed, out),
        load::NAME => load::write(seed, load::DEFAULT_POSTS, out),
        _ => Err(SynthError::UnknownScenario(scenario.to_string())),
    }
}

#[cfg(test)]
mod tests;

//! Rendering query results for people (charts, tables) and for programs
//! (CSV, JSON).
//!
//! Other tools parse these outputs, so column names and formats are a
//! contract: change them only on purpose.

pub mod chart;
pub mod curve;
pub mod html;
pub mod incidents;
pub mod posts;
pub mod spread;
pub mod spreadsheet;
pub mod svg;

use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// Times are written as `2012-12-24T20:00:00Z` everywhere.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A JSON array of the rows `make` yields, each serialised as it is made.
///
/// The command line prints it with line breaks and the API puts it, without
/// them, inside its answer: one writer, so the two cannot drift apart. The
/// rows are never collected, so writing 87,840 curve rows costs the bytes
/// written, not a second copy of every row (nor a `serde_json::Value` tree
/// of them, some 2.5 KB a row).
pub struct JsonArray<F>(pub F);

impl<F, I> Serialize for JsonArray<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// `--format json`: indented, with a final line break.
pub fn write_json_pretty(value: &impl Serialize, mut out: impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)
}

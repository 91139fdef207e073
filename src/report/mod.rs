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

use chrono::{DateTime, SecondsFormat, Utc};

/// Times are written as `2012-12-24T20:00:00Z` everywhere.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

//! Where a post comes from.
//!
//! STUB: the geography helper replaces this file. The interface below is what
//! the import pipeline calls.

use crate::lexicons::{LexiconError, Lexicons};
use crate::post::RegionHints;

/// A country (ISO 3166-1 alpha-2, upper case) or `unknown`, with the US state
/// or Canadian province when the evidence names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub country: String,
    pub subdivision: Option<String>,
}

impl Region {
    pub const UNKNOWN: &'static str = "unknown";

    pub fn unknown() -> Region {
        Region {
            country: Region::UNKNOWN.to_string(),
            subdivision: None,
        }
    }
}

pub struct RegionResolver {}

impl RegionResolver {
    pub fn new(_lexicons: &Lexicons) -> Result<RegionResolver, LexiconError> {
        Ok(RegionResolver {})
    }

    pub fn resolve(&self, _hints: &RegionHints) -> Region {
        Region::unknown()
    }
}

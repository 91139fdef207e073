//! Synthetic archives with known truth.
//!
//! STUB: the synth helper replaces this file.

use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("unknown scenario {0:?}")]
    UnknownScenario(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes the scenario's JSON lines to `out`, deterministically for a seed.
pub fn write_scenario(scenario: &str, _seed: u64, _out: &mut dyn Write) -> Result<u64, SynthError> {
    Err(SynthError::UnknownScenario(scenario.to_string()))
}

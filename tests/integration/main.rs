//! Integration tests: the real `outcry` binary against real files and a real
//! sled store in a temporary folder. One test crate (so it links once), one
//! module per command, shared helpers in `util`.

// A test's own notes go through the test harness, which captures them; the
// ban on `eprintln!` (clippy.toml) is for the program.
#![allow(clippy::disallowed_macros)]

mod analyse;
mod bad_input;
mod browser;
mod crash;
mod curve;
mod eval;
mod formats;
mod import;
mod poll;
mod props;
mod reimport;
mod report;
mod resume;
mod score;
mod serve;
mod store;
mod synth;
mod util;

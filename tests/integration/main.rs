//! Integration tests: the real `outcry` binary against real files and a real
//! sled store in a temporary folder. One test crate (so it links once), one
//! module per command, shared helpers in `util`.

mod analyse;
mod browser;
mod curve;
mod formats;
mod import;
mod poll;
mod resume;
mod serve;
mod store;
mod util;

//! outcry turns social media posts into evidence of a service outage.
//!
//! The pipeline, one module per stage:
//!
//! - [`sources`] read archives (and later feeds) and yield normalised
//!   [`post::Post`]s, counting control lines and rejecting bad ones with a
//!   reason;
//! - [`tag`] finds the topics a post mentions and whether it reports a
//!   problem, from the lists in `lexicons/` (loaded through [`lexicons`]);
//! - [`sentiment`] scores how negative a post is, and [`complaint`] decides
//!   whether it is a complaint;
//! - [`region`] places the post in a country from the hints it carries;
//! - [`store`] keeps per-hour counters and the set of posts already counted in
//!   an embedded sled database;
//! - [`import`] drives a file through all of the above;
//! - [`query`] reads curves back out, and [`report`] renders them for people
//!   and other programs;
//! - [`synth`] writes synthetic archives with known truth, such as the bundled
//!   Christmas Eve 2012 one.

pub mod chars;
pub mod complaint;
pub mod detect;
pub mod eval;
pub mod feeds;
pub mod import;
pub mod lang;
pub mod lexicons;
pub mod pipeline;
pub mod post;
pub mod query;
pub mod region;
pub mod report;
pub mod say;
pub mod sentiment;
pub mod serve;
pub mod sources;
pub mod spread;
pub mod stemmer;
pub mod store;
pub mod synth;
pub mod synth_random;
pub mod tag;

//! An RSS 2.0 or Atom feed body, and the feed date parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::feeds::{dates, rss};

fuzz_target!(|data: &[u8]| {
    let _ = rss::parse_feed(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = dates::parse_date(s);
    }
});

//! One line of a v2 archive (a twarc2 page, a stream line or a flattened
//! tweet): any bytes must give outcomes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::sources::twitter_v2;

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::new();
    twitter_v2::parse_line(data, &mut out);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = twitter_v2::parse_created_at(s);
    }
});

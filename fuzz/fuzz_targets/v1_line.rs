//! One line of a v1.1 archive (streaming API, `twarc1`): any bytes must give
//! a post, a control message, a blank or a reason, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::sources::twitter_v1;

fuzz_target!(|data: &[u8]| {
    let _ = twitter_v1::parse_line(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = twitter_v1::parse_created_at(s);
    }
});

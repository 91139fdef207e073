//! One Bluesky Jetstream message (a JSON event).
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::feeds::jetstream;

fuzz_target!(|data: &[u8]| {
    let _ = jetstream::parse_event(data, 64);
});

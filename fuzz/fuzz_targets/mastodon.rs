//! A Mastodon tag-timeline page (JSON statuses whose content is HTML), and
//! the HTML-to-text step on its own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::feeds::{html, mastodon};

fuzz_target!(|data: &[u8]| {
    let _ = mastodon::parse_page(data, "https://mastodon.example", 64);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = html::to_text(s);
        let _ = mastodon::link_rel(s, "prev");
    }
});

//! A Twitter export's `tweets.js` (`window.YTD.tweets.part0 = [...]`): the
//! document reader splits it into records and each goes to the export
//! parser, as an import does; `account.js` goes to the owner reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::sources::document::{DocumentReader, Record};
use outcry::sources::export::{parse_record, Owner};
use outcry::sources::format;

fuzz_target!(|data: &[u8]| {
    let _ = format::sniff(data, None);
    let mut owner = Owner::default();
    let _ = owner.absorb(data);
    // A small limit so the too-long path is reached too.
    let mut reader = DocumentReader::with_limit(std::io::Cursor::new(data), 4096);
    let mut records = 0usize;
    while let Ok(Some((_, record))) = reader.next_record(&mut |_| {}) {
        if let Record::Value(bytes) = record {
            let _ = parse_record(bytes, &owner);
        }
        records += 1;
        assert!(records <= data.len() + 1, "the reader made no progress");
    }
});

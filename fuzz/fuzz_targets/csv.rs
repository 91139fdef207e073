//! A tweet CSV (twarc, json2csv, tweets.csv): header recognition and every
//! row, as an import reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcry::sources::table::{parse_time, TableReader};

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_time(s);
    }
    let Ok(mut table) = TableReader::new(std::io::Cursor::new(data)) else {
        return;
    };
    let mut rows = 0usize;
    while let Ok(Some(_)) = table.next_row(true) {
        rows += 1;
        assert!(rows <= data.len() + 1, "the reader made no progress");
    }
});

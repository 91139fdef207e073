//! Compressed input (gzip, bzip2, zstd, sniffed by magic number): the
//! decoder must fail cleanly on damaged streams. Output is capped, as the
//! readers cap a line, so a bomb costs time, not memory.
#![no_main]

use std::io::{BufReader, Cursor, Read};

use libfuzzer_sys::fuzz_target;
use outcry::sources::decode;

fuzz_target!(|data: &[u8]| {
    if let Ok((_, decoded)) = decode::decoder(BufReader::new(Cursor::new(data))) {
        let mut out = Vec::new();
        let _ = decoded.take(1 << 22).read_to_end(&mut out);
    }
});

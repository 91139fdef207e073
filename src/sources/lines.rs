//! Splitting decompressed bytes into lines, safely.
//!
//! Real archives hold lines that are not text (invalid UTF-8, NUL bytes) and
//! lines that never end (a crashed collector, a binary file). The reader hands
//! out raw bytes so that each line can be judged, and refuses to buffer more
//! than a fixed length so one monstrous line cannot exhaust memory.

use std::io::{self, BufRead};

/// Longer lines are rejected; a tweet with every expansion is under 64 KiB,
/// and a twarc2 response page is a few MiB.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A line without its terminator (`\n` or `\r\n`).
    Text(&'a [u8]),
    /// A line longer than the limit; its bytes were skipped.
    TooLong { length: u64 },
}

pub struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    line_no: u64,
    limit: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(reader: R) -> Self {
        Self::with_limit(reader, MAX_LINE)
    }

    pub fn with_limit(reader: R, limit: usize) -> Self {
        LineReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            line_no: 0,
            limit,
        }
    }

    /// The number of the line last returned (1-based).
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// The next line, or `None` at the end. An I/O error (a truncated gzip
    /// member, a failing disk) ends the stream: the caller reports it.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        self.buf.clear();
        let mut length: u64 = 0;
        let mut too_long = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                if length == 0 {
                    return Ok(None);
                }
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            length += take as u64;
            if !too_long {
                if self.buf.len() + take > self.limit + 2 {
                    too_long = true;
                    self.buf = Vec::with_capacity(64 * 1024);
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.reader.consume(take);
            if done {
                break;
            }
        }
        self.line_no += 1;
        if too_long {
            return Ok(Some((self.line_no, Line::TooLong { length })));
        }
        let mut end = self.buf.len();
        if end > 0 && self.buf[end - 1] == b'\n' {
            end -= 1;
            if end > 0 && self.buf[end - 1] == b'\r' {
                end -= 1;
            }
        }
        Ok(Some((self.line_no, Line::Text(&self.buf[..end]))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], limit: usize) -> Vec<(u64, String)> {
        let mut r = LineReader::with_limit(input, limit);
        let mut out = Vec::new();
        while let Some((n, line)) = r.next_line().unwrap() {
            let s = match line {
                Line::Text(t) => String::from_utf8_lossy(t).into_owned(),
                Line::TooLong { length } => format!("<too long: {length}>"),
            };
            out.push((n, s));
        }
        out
    }

    #[test]
    fn crlf_and_a_missing_final_newline_are_handled() {
        assert_eq!(
            collect(b"a\r\nb\n\nc", 100),
            vec![
                (1, "a".into()),
                (2, "b".into()),
                (3, "".into()),
                (4, "c".into())
            ]
        );
    }

    #[test]
    fn an_overlong_line_is_skipped_and_the_next_one_read() {
        let mut input = vec![b'x'; 50];
        input.extend_from_slice(b"\nok\n");
        assert_eq!(
            collect(&input, 10),
            vec![(1, "<too long: 51>".into()), (2, "ok".into())]
        );
    }
}

//! Splitting decompressed bytes into lines, safely.
//!
//! Real archives hold lines that are not text (invalid UTF-8, NUL bytes) and
//! lines that never end (a crashed collector, a binary file). The reader hands
//! out raw bytes so that each line can be judged, and refuses to buffer more
//! than a fixed length so one monstrous line cannot exhaust memory (the bytes
//! of such a line go to a spill callback instead, so they can still be kept
//! verbatim with the rejects).

use std::io::{self, BufRead};

/// Longer lines are rejected; a tweet with every expansion is under 64 KiB,
/// and a twarc2 response page is a few MiB.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// The UTF-8 byte-order mark some editors write at the start of a file.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without a leading byte-order mark: a file's, never a post's.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

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
    consumed: u64,
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
            consumed: 0,
        }
    }

    /// Numbers lines and counts bytes as if `lines` lines of `bytes` bytes
    /// had been read already: for a reader that starts mid-file on resume.
    pub fn starting_at(mut self, lines: u64, bytes: u64) -> Self {
        self.line_no = lines;
        self.consumed = bytes;
        self
    }

    /// Bytes consumed so far (with those given to `starting_at`): the
    /// offset just after the last line returned.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The number of the line last returned (1-based).
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// The next line, or `None` at the end. An I/O error (a truncated gzip
    /// member, a failing disk) ends the stream: the caller reports it.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        Ok(self
            .next_line_spilling(&mut |_| {})?
            .map(|(n, line, _)| (n, line)))
    }

    /// Like [`next_line`](Self::next_line), handing the bytes of an overlong
    /// line (terminator excluded) to `spill` as they are skipped, and
    /// returning the offset just after the line too.
    pub fn next_line_spilling(
        &mut self,
        spill: &mut dyn FnMut(&[u8]),
    ) -> io::Result<Option<(u64, Line<'_>, u64)>> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let read = self.next_line_into(&mut buf, spill);
        if matches!(read, Ok(Some((_, Span::TooLong { .. }, _)))) {
            // An overlong line's bytes are not worth keeping room for.
            buf = Vec::with_capacity(64 * 1024);
        }
        self.buf = buf;
        Ok(match read? {
            None => None,
            Some((n, Span::Text(range), offset)) => Some((n, Line::Text(&self.buf[range]), offset)),
            Some((n, Span::TooLong { length }, offset)) => {
                Some((n, Line::TooLong { length }, offset))
            }
        })
    }

    /// Like [`next_line_spilling`](Self::next_line_spilling), appending the
    /// line (terminator included) to `out` instead of an internal buffer, so
    /// that many lines can be gathered into one block without copying them
    /// twice. The span is where the line's text (terminator excluded) lies
    /// in `out`; an overlong line leaves `out` as it was.
    pub fn next_line_into(
        &mut self,
        out: &mut Vec<u8>,
        spill: &mut dyn FnMut(&[u8]),
    ) -> io::Result<Option<(u64, Span, u64)>> {
        let base = out.len();
        match self.next_line_or_overlong(out)? {
            None => Ok(None),
            Some(Next::Line(n, span, offset)) => Ok(Some((n, span, offset))),
            Some(Next::Overlong) => {
                let kept = (out.len() - base) as u64;
                spill(&out[base..]);
                out.truncate(base);
                let (n, length, offset) = self.finish_overlong(kept, spill)?;
                Ok(Some((n, Span::TooLong { length }, offset)))
            }
        }
    }

    /// Appends the next line to `out`, or stops as soon as it proves longer
    /// than the limit: then the bytes read of it are left at the end of
    /// `out` and the caller must call
    /// [`finish_overlong`](Self::finish_overlong) (after doing what it must
    /// before the line's bytes are spilled).
    pub fn next_line_or_overlong(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Next>> {
        let base = out.len();
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    out.truncate(base);
                    return Err(e);
                }
            };
            if chunk.is_empty() {
                if out.len() == base {
                    return Ok(None);
                }
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if out.len() - base + take > self.limit + 2 {
                return Ok(Some(Next::Overlong));
            }
            out.extend_from_slice(&chunk[..take]);
            self.reader.consume(take);
            self.consumed += take as u64;
            if done {
                break;
            }
        }
        self.line_no += 1;
        let mut end = out.len();
        if end > base && out[end - 1] == b'\n' {
            end -= 1;
            if end > base && out[end - 1] == b'\r' {
                end -= 1;
            }
        }
        Ok(Some(Next::Line(
            self.line_no,
            Span::Text(base..end),
            self.consumed,
        )))
    }

    /// Reads the rest of an overlong line, `kept` bytes of which the caller
    /// has, handing its bytes (terminator excluded) to `spill`. Returns the
    /// line's number, its whole length and the offset after it.
    pub fn finish_overlong(
        &mut self,
        kept: u64,
        spill: &mut dyn FnMut(&[u8]),
    ) -> io::Result<(u64, u64, u64)> {
        // The kept bytes were consumed and counted as they were read.
        let mut length = kept;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            length += take as u64;
            spill(strip_terminator(&chunk[..take], done));
            self.reader.consume(take);
            self.consumed += take as u64;
            if done {
                break;
            }
        }
        self.line_no += 1;
        Ok((self.line_no, length, self.consumed))
    }
}

/// What [`LineReader::next_line_or_overlong`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// A line: its number, where it is, the offset after it.
    Line(u64, Span, u64),
    /// A line longer than the limit, not read to its end.
    Overlong,
}

/// Where [`LineReader::next_line_into`] put a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// The line's text in the caller's buffer.
    Text(std::ops::Range<usize>),
    /// A line longer than the limit; its bytes were spilled.
    TooLong { length: u64 },
}

/// The end of a line without its `\n` (a `\r` split from its `\n` across
/// chunks is kept: it cannot be told apart from a data byte in time).
fn strip_terminator(part: &[u8], ends_line: bool) -> &[u8] {
    if !ends_line {
        return part;
    }
    let part = part.strip_suffix(b"\n").unwrap_or(part);
    part.strip_suffix(b"\r").unwrap_or(part)
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

    #[test]
    fn an_overlong_line_is_spilled_verbatim_and_offsets_are_counted() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'y', 40));
        input.extend_from_slice(b"\r\nend\n");
        let mut r = LineReader::with_limit(std::io::BufReader::with_capacity(7, &input[..]), 10);
        let mut spilled = Vec::new();
        let mut spill = |b: &[u8]| spilled.extend_from_slice(b);
        assert!(matches!(
            r.next_line_spilling(&mut spill).unwrap(),
            Some((1, Line::Text(b"short"), 6))
        ));
        assert_eq!(r.consumed(), 6);
        assert!(matches!(
            r.next_line_spilling(&mut spill).unwrap(),
            Some((2, Line::TooLong { length: 42 }, 48))
        ));
        assert!(matches!(
            r.next_line_spilling(&mut spill).unwrap(),
            Some((3, Line::Text(b"end"), 52))
        ));
        assert_eq!(r.consumed(), input.len() as u64);
        assert_eq!(spilled, vec![b'y'; 40]);
    }

    #[test]
    fn lines_gather_into_one_buffer() {
        let mut r = LineReader::with_limit(&b"ab\r\nccccccccccccc\nd"[..], 5);
        let mut out = b"x".to_vec();
        let mut spilled = Vec::new();
        let mut spill = |b: &[u8]| spilled.extend_from_slice(b);
        assert_eq!(
            r.next_line_into(&mut out, &mut spill).unwrap(),
            Some((1, Span::Text(1..3), 4))
        );
        assert_eq!(
            r.next_line_into(&mut out, &mut spill).unwrap(),
            Some((2, Span::TooLong { length: 14 }, 18))
        );
        assert_eq!(
            r.next_line_into(&mut out, &mut spill).unwrap(),
            Some((3, Span::Text(5..6), 19))
        );
        assert_eq!(r.next_line_into(&mut out, &mut spill).unwrap(), None);
        assert_eq!(out, b"xab\r\nd");
        assert_eq!(spilled, vec![b'c'; 13]);
    }

    #[test]
    fn a_reader_can_start_mid_file() {
        let mut r = LineReader::new(&b"c\n"[..]).starting_at(2, 4);
        assert!(matches!(
            r.next_line().unwrap(),
            Some((3, Line::Text(b"c")))
        ));
        assert_eq!(r.consumed(), 6);
    }
}

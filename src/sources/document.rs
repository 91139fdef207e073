//! Splitting a JSON document into its records without holding it whole.
//!
//! Pretty-printed dumps (`[ {…}, {…} ]`, objects spread over many lines) and
//! the export's `window.YTD.tweets.part0 = [ … ]` can be gigabytes, so they
//! are cut into top-level records by a small scanner that only tracks
//! nesting and strings; each record is then parsed on its own. One broken
//! record is one rejection, not a lost file, and a record past the length
//! limit is skipped (its bytes handed to a spill callback) without being
//! buffered.

use std::io::{self, BufRead};

use super::lines::MAX_LINE;

#[derive(Debug, PartialEq, Eq)]
pub enum Record<'a> {
    /// One top-level value (an array element, or a whole object).
    Value(&'a [u8]),
    /// A value longer than the limit; its bytes went to the spill callback.
    TooLong { length: u64 },
    /// Bytes between values that are not JSON (up to the end of their line).
    Junk(&'a [u8]),
    /// The document ended inside this value.
    Truncated(&'a [u8]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    /// Before anything: an optional `window.YTD.x.partN =`, then `[` or `{`.
    Start,
    InArray,
    /// Between loose top-level objects, or after an array closed.
    Loose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Between records.
    Between,
    /// Inside a record: nesting depth, in a string, after a backslash.
    Value {
        depth: u32,
        string: bool,
        escape: bool,
        scalar: bool,
    },
    /// Inside the `window.YTD… =` prefix.
    Prefix,
    /// Inside junk, until the end of the line.
    Junk,
}

pub struct DocumentReader<R> {
    reader: R,
    buf: Vec<u8>,
    top: Top,
    record_no: u64,
    limit: usize,
    consumed: u64,
}

impl<R: BufRead> DocumentReader<R> {
    pub fn new(reader: R) -> Self {
        Self::with_limit(reader, MAX_LINE)
    }

    pub fn with_limit(reader: R, limit: usize) -> Self {
        DocumentReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            top: Top::Start,
            record_no: 0,
            limit,
            consumed: 0,
        }
    }

    /// Bytes consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The next record and its number (1-based), or `None` at the end.
    /// `spill` receives the bytes of a record that grew past the limit.
    pub fn next_record(
        &mut self,
        spill: &mut dyn FnMut(&[u8]),
    ) -> io::Result<Option<(u64, Record<'_>)>> {
        self.buf.clear();
        let mut scan = Scan::Between;
        let mut length: u64 = 0;
        let mut too_long = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(match scan {
                    Scan::Between | Scan::Prefix => None,
                    Scan::Junk => self.finish(Kind::Junk, too_long, length),
                    Scan::Value { scalar: true, .. } => self.finish(Kind::Value, too_long, length),
                    Scan::Value { .. } => self.finish(Kind::Truncated, too_long, length),
                });
            }
            let mut i = 0;
            let mut done: Option<Kind> = None;
            // `start` marks where this chunk's part of the record begins.
            let mut start: Option<usize> = match scan {
                Scan::Value { .. } | Scan::Junk => Some(0),
                _ => None,
            };
            while i < chunk.len() {
                let b = chunk[i];
                match &mut scan {
                    Scan::Between => match (self.top, b) {
                        (_, b' ' | b'\t' | b'\r' | b'\n') => {}
                        (Top::Start, 0xef | 0xbb | 0xbf) => {} // a byte-order mark
                        (Top::Start, b'w') => scan = Scan::Prefix,
                        (Top::Start | Top::Loose, b'[') => self.top = Top::InArray,
                        (Top::InArray, b']') => self.top = Top::Loose,
                        (_, b',' | b';') => {}
                        (_, b'{' | b'[' | b'"') => {
                            if self.top == Top::Start {
                                self.top = Top::Loose;
                            }
                            scan = Scan::Value {
                                depth: (b != b'"') as u32,
                                string: b == b'"',
                                escape: false,
                                scalar: false,
                            };
                            start = Some(i);
                        }
                        (Top::InArray, b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                            scan = Scan::Value {
                                depth: 0,
                                string: false,
                                escape: false,
                                scalar: true,
                            };
                            start = Some(i);
                        }
                        _ => {
                            scan = Scan::Junk;
                            start = Some(i);
                            if b == b'\n' {
                                done = Some(Kind::Junk);
                            }
                        }
                    },
                    Scan::Prefix => {
                        // `=` ends the assignment; a newline first means
                        // it was not one, and what follows is read as JSON.
                        if b == b'=' || b == b'\n' {
                            scan = Scan::Between;
                        }
                    }
                    Scan::Junk => {
                        if b == b'\n' {
                            done = Some(Kind::Junk);
                        }
                    }
                    Scan::Value {
                        depth,
                        string,
                        escape,
                        scalar,
                    } => {
                        if *scalar {
                            if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                                // The terminator is not part of the value:
                                // it stays unread for the next call.
                                done = Some(Kind::Value);
                                break;
                            }
                        } else if *escape {
                            *escape = false;
                        } else if *string {
                            if b == b'\\' {
                                *escape = true;
                            } else if b == b'"' {
                                *string = false;
                                if *depth == 0 {
                                    done = Some(Kind::Value);
                                }
                            }
                        } else {
                            match b {
                                b'"' => *string = true,
                                b'{' | b'[' => *depth = depth.saturating_add(1),
                                b'}' | b']' => {
                                    *depth = depth.saturating_sub(1);
                                    if *depth == 0 {
                                        done = Some(Kind::Value);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
                i += 1;
                if done.is_some() {
                    break;
                }
            }
            if let Some(s) = start {
                self.take_ref(s, i, &mut length, &mut too_long, spill);
            }
            self.reader.consume(i);
            self.consumed += i as u64;
            if let Some(kind) = done {
                return Ok(self.finish(kind, too_long, length));
            }
        }
    }

    /// Appends `chunk[from..to]` of the reader's current buffer to the record.
    fn take_ref(
        &mut self,
        from: usize,
        to: usize,
        length: &mut u64,
        too_long: &mut bool,
        spill: &mut dyn FnMut(&[u8]),
    ) {
        let Ok(chunk) = self.reader.fill_buf() else {
            return;
        };
        let Some(part) = chunk.get(from..to) else {
            return;
        };
        *length += part.len() as u64;
        if *too_long {
            spill(part);
        } else if self.buf.len() + part.len() > self.limit {
            *too_long = true;
            spill(&self.buf);
            spill(part);
            self.buf = Vec::with_capacity(64 * 1024);
        } else {
            self.buf.extend_from_slice(part);
        }
    }

    fn finish(&mut self, kind: Kind, too_long: bool, length: u64) -> Option<(u64, Record<'_>)> {
        self.record_no += 1;
        let record = if too_long {
            Record::TooLong { length }
        } else {
            let mut end = self.buf.len();
            while end > 0 && self.buf[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            let bytes = &self.buf[..end];
            match kind {
                Kind::Value => Record::Value(bytes),
                Kind::Junk => Record::Junk(bytes),
                Kind::Truncated => Record::Truncated(bytes),
            }
        };
        Some((self.record_no, record))
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Value,
    Junk,
    Truncated,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &str, limit: usize) -> Vec<String> {
        let mut r = DocumentReader::with_limit(input.as_bytes(), limit);
        let mut out = Vec::new();
        let mut spilled = Vec::new();
        loop {
            let mut spill = |b: &[u8]| spilled.extend_from_slice(b);
            let Some((n, rec)) = r.next_record(&mut spill).unwrap() else {
                break;
            };
            out.push(match rec {
                Record::Value(v) => format!("{n}:{}", String::from_utf8_lossy(v)),
                Record::Junk(v) => format!("{n}:junk:{}", String::from_utf8_lossy(v)),
                Record::Truncated(v) => format!("{n}:cut:{}", String::from_utf8_lossy(v)),
                Record::TooLong { length } => format!(
                    "{n}:long:{length}:{}",
                    String::from_utf8_lossy(&std::mem::take(&mut spilled))
                ),
            });
        }
        out
    }

    #[test]
    fn arrays_and_loose_objects_split_into_records() {
        assert_eq!(
            split(
                "[\n  {\"a\": \"]}\\\"\"},\n  {\"b\": [1, {\"c\": 2}]}\n]\n",
                100
            ),
            vec!["1:{\"a\": \"]}\\\"\"}", "2:{\"b\": [1, {\"c\": 2}]}"]
        );
        assert_eq!(
            split("{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}", 100),
            vec!["1:{\n  \"a\": 1\n}", "2:{\n  \"b\": 2\n}"]
        );
    }

    #[test]
    fn the_export_prefix_is_skipped() {
        assert_eq!(
            split("window.YTD.tweets.part0 = [ {\n  \"tweet\" : { \"id\" : \"1\" }\n}, {\"tweet\":{}} ]", 100),
            vec!["1:{\n  \"tweet\" : { \"id\" : \"1\" }\n}", "2:{\"tweet\":{}}"]
        );
    }

    #[test]
    fn scalars_junk_truncation_and_long_records_are_reported() {
        assert_eq!(
            split("[1, \"x\", true]", 100),
            vec!["1:1", "2:\"x\"", "3:true"]
        );
        assert_eq!(
            split("{\"a\":1}\n% comment\n{\"b\":2}\n", 100),
            vec!["1:{\"a\":1}", "2:junk:% comment", "3:{\"b\":2}"]
        );
        assert_eq!(
            split("[{\"a\":1}, {\"b\":", 100),
            vec!["1:{\"a\":1}", "2:cut:{\"b\":"]
        );
        assert_eq!(
            split("[{\"a\":\"0123456789\"}, {\"b\":2}]", 10),
            vec!["1:long:18:{\"a\":\"0123456789\"}", "2:{\"b\":2}"]
        );
    }

    #[test]
    fn records_span_buffer_boundaries() {
        let input = "[{\"a\":\"xxxxxxxxxx\"},{\"b\":\"yyyy\"}]";
        let mut r =
            DocumentReader::with_limit(std::io::BufReader::with_capacity(3, input.as_bytes()), 100);
        let mut noop = |_: &[u8]| {};
        let (n, rec) = r.next_record(&mut noop).unwrap().unwrap();
        assert_eq!((n, rec), (1, Record::Value(b"{\"a\":\"xxxxxxxxxx\"}")));
        let (n, rec) = r.next_record(&mut noop).unwrap().unwrap();
        assert_eq!((n, rec), (2, Record::Value(b"{\"b\":\"yyyy\"}")));
        assert!(r.next_record(&mut noop).unwrap().is_none());
        assert_eq!(r.consumed(), input.len() as u64);
    }
}

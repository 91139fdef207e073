//! What the csv crate does not tell about a record and both `import` and
//! `eval` need: the file line the record starts on, and whether it ended
//! only because the input did, inside a quoted field.

/// The offset of a record's first byte, given the offset csv reports for
/// it: csv places a record before the line breaks that precede it (the
/// `\n` of a `\r\n` it has not consumed yet, blank lines), so those are
/// skipped. `window` holds the input's bytes from offset `base`.
pub fn record_start(window: &[u8], base: u64, pos: u64) -> u64 {
    let Some(mut i) = pos.checked_sub(base).map(|i| i as usize) else {
        return pos;
    };
    while matches!(window.get(i), Some(b'\r' | b'\n')) {
        i += 1;
    }
    base + i as u64
}

/// The file line a CSV record starts on, counted from its byte offset.
/// csv's own line count lags behind after a `\r\n` (see [`record_start`]),
/// so the lines are counted here. Offsets only grow, so one pass over the
/// input, which may be streamed: the caller passes each window of bytes
/// before dropping it.
#[derive(Default)]
pub struct LineAt {
    at: u64,
    breaks: u64,
}

impl LineAt {
    /// Counts the line breaks up to offset `to` in `window`, the input's
    /// bytes from offset `base`; every byte from the last offset counted
    /// must still be in the window.
    pub fn pass(&mut self, window: &[u8], base: u64, to: u64) {
        if to <= self.at {
            return;
        }
        let from = (self.at.saturating_sub(base) as usize).min(window.len());
        let upto = (to.saturating_sub(base) as usize).clamp(from, window.len());
        self.breaks += memchr::memchr_iter(b'\n', &window[from..upto]).count() as u64;
        self.at = to;
    }

    /// The line, from 1, of the record csv places at byte `pos`.
    pub fn line(&mut self, window: &[u8], base: u64, pos: u64) -> u64 {
        let start = record_start(window, base, pos);
        self.pass(window, base, start);
        self.breaks + 1
    }
}

/// What is wrong with the quotes of one record's bytes, lines counted from
/// 1 at its start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quotes {
    /// The line a quoted field opens on that no quote closes. The csv
    /// crate ends such a field silently at the end of the input, so every
    /// line after it would vanish into one record; the scan walks the
    /// crate's own states (quotes open only at a field's start, `""` inside
    /// quotes is a quote) to notice.
    pub unclosed: Option<u64>,
    /// The first line on which a quote closes a field and more text follows
    /// in the same field (`"a"b`): the crate keeps the text, but no writer
    /// makes it, so the quote was a stray one, closing a field that a quote
    /// left open earlier.
    pub text_after_close: Option<u64>,
}

impl Quotes {
    /// Why a record over several lines, starting on file line `line`, is
    /// not one, when its quotes say so: a quote never closed, or text after
    /// a closing one (a stray quote closed the field a quote left open).
    pub fn fault(&self, line: u64) -> Option<String> {
        if self.unclosed.is_some() {
            return Some("no quote closes it before the end of the input".into());
        }
        self.text_after_close
            .map(|at| format!("text follows a closing quote on line {}", line + at - 1))
    }
}

/// The reason given for the first line of a record that is not one; the
/// lines after it are read again as rows, by `import` and `eval` alike.
pub fn unclosed_reason(what: &str) -> String {
    format!("unclosed quote: {what}; this line is rejected and the next one read as a row")
}

pub fn scan_quotes(bytes: &[u8]) -> Quotes {
    #[derive(Clone, Copy)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted(u64),
        QuoteInQuoted(u64),
    }
    let mut s = S::FieldStart;
    let mut line = 1u64;
    let mut found = Quotes::default();
    for &b in bytes {
        s = match (s, b) {
            (S::Quoted(open), b'"') => S::QuoteInQuoted(open),
            (S::Quoted(open), _) => S::Quoted(open),
            (S::FieldStart, b'"') => S::Quoted(line),
            (S::QuoteInQuoted(open), b'"') => S::Quoted(open),
            (_, b',' | b'\n' | b'\r') => S::FieldStart,
            (S::QuoteInQuoted(_), _) => {
                found.text_after_close.get_or_insert(line);
                S::Unquoted
            }
            _ => S::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    if let S::Quoted(open) = s {
        found.unclosed = Some(open);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_on_the_line_it_opens() {
        assert_eq!(scan_quotes(b"a,b\n1,\"x\"\"y\"\n").unclosed, None);
        assert_eq!(scan_quotes(b"a,b\n1,\"x\ny\n2,z\n").unclosed, Some(2));
        // A quote inside an unquoted field is a plain character.
        assert_eq!(scan_quotes(b"a,b\n1,he said \"hi\n").unclosed, None);
        // `""` inside quotes keeps the field open.
        assert_eq!(scan_quotes(b"a\n\"x\"\"\n2\n").unclosed, Some(2));
    }

    #[test]
    fn text_after_a_closing_quote_is_found_on_its_line() {
        let clean = b"1,\"a\"\"b\nc\",d\r\n2,\"\"\n";
        assert_eq!(scan_quotes(clean), Quotes::default());
        // A quote left open on line 1, closed by the quote that opens a
        // field on line 3, whose text then follows the "closing" quote.
        let swallowed = b"1,\"down\n2,x\n3,\"up\",y\n";
        assert_eq!(
            scan_quotes(swallowed),
            Quotes {
                unclosed: None,
                text_after_close: Some(3),
            }
        );
        assert_eq!(
            scan_quotes(b"1,\"a\"b,\"c\n"),
            Quotes {
                unclosed: Some(1),
                text_after_close: Some(1),
            }
        );
    }

    #[test]
    fn lines_are_counted_past_the_breaks_csv_places_a_record_before() {
        let text = b"h\r\n1\r\n\r\n2\n3";
        let mut at = LineAt::default();
        // csv places record 1 at 3, record 2 at 5 (before `\n\r\n`), 3 at 10.
        assert_eq!(at.line(text, 0, 3), 2);
        assert_eq!(at.line(text, 0, 5), 4);
        assert_eq!(at.line(text, 0, 10), 5);
        // The same counted through windows that drop what was passed.
        let mut at = LineAt::default();
        at.pass(text, 0, 3);
        assert_eq!(at.line(&text[3..], 3, 3), 2);
        at.pass(&text[3..], 3, 5);
        assert_eq!(at.line(&text[5..], 5, 5), 4);
        assert_eq!(record_start(&text[5..], 5, 5), 8);
    }
}

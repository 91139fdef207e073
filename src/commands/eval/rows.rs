//! Cutting a labelled file into rows without giving up on it: lines kept
//! as bytes (one bad byte costs one line), the line a CSV record starts
//! on, and the quote the csv crate lets run silently to the end of a file.

/// The lines of a file read whole, cut where `str::lines` cuts, but kept as
/// bytes: a line that is not UTF-8 costs that line, not the file. Numbered
/// from 1.
pub(super) fn byte_lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|b| *b == b'\n')
        .take(if bytes.is_empty() { 0 } else { usize::MAX })
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .zip(1..)
        .map(|(l, n)| (n, l))
}

/// Why bytes that should be text are not, in the words the skipped-row
/// messages use.
pub(super) fn not_utf8(raw: &[u8]) -> Option<String> {
    std::str::from_utf8(raw).err().map(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })
}

/// The line on which a quoted field opens that no quote closes, when the
/// file ends inside one. The csv crate ends such a field silently at the end
/// of the file, so every line after it would vanish into one record; this
/// walks the crate's own states (quotes open only at a field's start, `""`
/// inside quotes is a quote) to notice.
pub(super) fn unclosed_quote(bytes: &[u8]) -> Option<u64> {
    #[derive(Clone, Copy)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted(u64),
        QuoteInQuoted(u64),
    }
    let mut s = S::FieldStart;
    let mut line = 1u64;
    for &b in bytes {
        s = match (s, b) {
            (S::Quoted(open), b'"') => S::QuoteInQuoted(open),
            (S::Quoted(open), _) => S::Quoted(open),
            (S::FieldStart, b'"') => S::Quoted(line),
            (S::QuoteInQuoted(open), b'"') => S::Quoted(open),
            (_, b',' | b'\n' | b'\r') => S::FieldStart,
            _ => S::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    match s {
        S::Quoted(open) => Some(open),
        _ => None,
    }
}

/// The file line a CSV record starts on, from its byte offset. csv's own
/// line count can stop short of a `\n` it has not consumed yet (after a
/// `\r`, or before blank lines), so the lines are counted here, past any
/// line breaks at the offset. Offsets only grow, so one pass over the file.
#[derive(Default)]
pub(super) struct LineAt {
    at: usize,
    breaks: u64,
}

impl LineAt {
    pub(super) fn line(&mut self, bytes: &[u8], pos: Option<&csv::Position>) -> u64 {
        let mut to = pos.map_or(0, |p| p.byte() as usize).min(bytes.len());
        while matches!(bytes.get(to), Some(b'\r' | b'\n')) {
            to += 1;
        }
        if to < self.at {
            *self = LineAt::default();
        }
        self.breaks += memchr::memchr_iter(b'\n', &bytes[self.at..to]).count() as u64;
        self.at = to;
        self.breaks + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_on_the_line_it_opens() {
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\"\"y\"\n"), None);
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\ny\n2,z\n"), Some(2));
        // A quote inside an unquoted field is a plain character.
        assert_eq!(unclosed_quote(b"a,b\n1,he said \"hi\n"), None);
        // `""` inside quotes keeps the field open.
        assert_eq!(unclosed_quote(b"a\n\"x\"\"\n2\n"), Some(2));
    }

    #[test]
    fn lines_are_cut_as_str_lines_cuts_them() {
        for text in ["", "\n", "a", "a\n", "a\r\nb\n\nc", "a\n\n"] {
            let ours: Vec<&[u8]> = byte_lines(text.as_bytes()).map(|(_, l)| l).collect();
            let std: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
            assert_eq!(ours, std, "{text:?}");
        }
        assert_eq!(byte_lines(b"a\nb").last(), Some((2, &b"b"[..])));
    }
}

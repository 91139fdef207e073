//! Cutting a labelled file into rows without giving up on it: lines kept
//! as bytes, so one bad byte costs one line. (The line a CSV record starts
//! on and the quote csv lets run to the end of a file are found by
//! `sources::csv_lines`, which import shares.)

/// The lines of a file read whole, cut where `str::lines` cuts (at `\n`,
/// dropping a `\r` before it), but kept as bytes: a line that is not UTF-8
/// costs that line, not the file. Numbered from 1.
pub(super) fn byte_lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(|l| match l.strip_suffix(b"\n") {
            Some(l) => l.strip_suffix(b"\r").unwrap_or(l),
            None => l,
        })
        .zip(1..)
        .map(|(l, n)| (n, l))
}

/// Why bytes that should be text are not, in the words the skipped-row
/// messages use.
pub(super) fn not_utf8(raw: &[u8]) -> Option<String> {
    std::str::from_utf8(raw).err().map(|e| {
        // The words `score` and `import` use for the same fault.
        format!("invalid UTF-8 at byte {}", e.valid_up_to())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_as_str_lines_cuts_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\n\nc",
            "a\n\n",
            "a\r",
            "a\r\r\n",
        ] {
            let ours: Vec<&[u8]> = byte_lines(text.as_bytes()).map(|(_, l)| l).collect();
            let std: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
            assert_eq!(ours, std, "{text:?}");
        }
        assert_eq!(byte_lines(b"a\nb").last(), Some((2, &b"b"[..])));
    }
}

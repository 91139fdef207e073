//! Cutting a labelled file into rows without giving up on it: lines kept
//! as bytes, so one bad byte costs one line. (The line a CSV record starts
//! on and the quote csv lets run to the end of a file are found by
//! `sources::csv_lines`, which import shares.)

use outcry::sources::csv_lines::{record_start, scan_quotes, unclosed_reason, LineAt};

/// One record of a CSV after its header: the file line it starts on, and
/// its fields or why it is skipped.
pub(super) struct CsvRow {
    pub line: u64,
    pub record: Result<csv::ByteRecord, String>,
}

/// The header and records of a CSV read whole, cut as `import` cuts a CSV
/// of tweets: a record over several lines whose quotes are not well formed
/// (one never closed, or a stray one closing it lines later) costs its first
/// line, which is named, and the lines after it are read again as rows, so
/// one bad quote does not swallow the rows after it; a record of another
/// width than the header's is named and skipped.
///
/// The header is the one thing not skipped: a header whose quotes are not
/// well formed would take the file's rows for its names, so it is refused,
/// with the reason.
pub(super) fn csv_rows(bytes: &[u8]) -> Result<(csv::ByteRecord, Vec<CsvRow>), String> {
    let reader = |from: usize, headers: bool| {
        csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(headers)
            .from_reader(bytes.get(from..).unwrap_or_default())
    };
    let mut r = reader(0, true);
    let headers = r.byte_headers().map_err(|e| e.to_string())?.clone();
    let header_end = (r.position().byte() as usize).min(bytes.len());
    let header = trim_break(&bytes[..header_end]);
    if memchr::memchr(b'\n', header).is_some() {
        if let Some(fault) = scan_quotes(header).fault(1) {
            return Err(format!(
                "the header's quotes are not closed as written ({fault}), so it would take the rows below it for column names"
            ));
        }
    }
    let mut rows = Vec::new();
    let mut lines = LineAt::default();
    // Where the reader in use started in `bytes`: it restarts after a line
    // that is rejected.
    let mut base = 0usize;
    let mut record = csv::ByteRecord::new();
    loop {
        let at = base as u64 + r.position().byte();
        match r.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Bytes in memory give no I/O error; should the crate stop
                // anyway, the rows before stand and the fault is named.
                let line = lines.line(bytes, 0, at);
                rows.push(CsvRow {
                    line,
                    record: Err(e.to_string()),
                });
                break;
            }
        }
        let pos = base as u64 + record.position().map_or(0, |p| p.byte());
        let start = record_start(bytes, 0, pos) as usize;
        let end = (base + r.position().byte() as usize).clamp(start, bytes.len());
        let line = lines.line(bytes, 0, pos);
        let raw = &bytes[start..end];
        let body = trim_break(raw);
        let first_break = memchr::memchr(b'\n', body);
        let quotes = scan_quotes(body);
        // Over several lines, or left open on the last line of the input
        // (where the crate ends it quietly, as on the last line of a file
        // cut short).
        if first_break.is_some() || quotes.unclosed.is_some() {
            if let Some(fault) = quotes.fault(line) {
                rows.push(CsvRow {
                    line,
                    record: Err(unclosed_reason(&fault)),
                });
                base = first_break.map_or(end, |k| start + k + 1);
                r = reader(base, false);
                continue;
            }
        }
        let width = headers.len();
        // A line of spaces is a blank line, as in the TSV layouts.
        if width > 1 && record.len() == 1 && record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        rows.push(CsvRow {
            line,
            record: if record.len() == width {
                Ok(record.clone())
            } else {
                Err(format!(
                    "{} where the header has {width}",
                    fields(record.len() as u64)
                ))
            },
        });
    }
    Ok((headers, rows))
}

/// A record's bytes without the line break that ends it.
fn trim_break(raw: &[u8]) -> &[u8] {
    raw.strip_suffix(b"\n")
        .map_or(raw, |b| b.strip_suffix(b"\r").unwrap_or(b))
}

/// "1 field", "3 fields".
pub(super) fn fields(n: u64) -> String {
    match n {
        1 => "1 field".into(),
        n => format!("{n} fields"),
    }
}

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

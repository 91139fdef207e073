//! `outcry score`: the scorer as a filter, one JSON line out per line in,
//! in order, whatever the thread count.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::rc::Rc;

use anyhow::{Context, Result};

use super::{display, open_input, Env, EXIT_OK, EXIT_PARTIAL, STDOUT};
use outcry::pipeline::Pipeline;
use outcry::say;
use outcry::sources::decode::Compression;
use outcry::sources::lines::{Line, LineReader, BOM, MAX_LINE};
use outcry::sources::walk::read_error_message;

mod field;
mod render;
use render::{render_error, render_into};

/// Lines scored per batch: enough to keep every thread busy. A batch is cut
/// short where the input may make the reader wait (see `Lines::waiting`).
const BATCH: usize = 4096;

/// More scoring threads than this is a typo, not a machine: each keeps
/// caches of its own (tens of MiB on mixed text).
pub const MAX_THREADS: usize = 256;

pub struct ScoreArgs {
    pub input: PathBuf,
    /// Read JSON lines and score this field (dotted for nested objects).
    pub field: Option<String>,
    /// Decode HTML entities (`&amp;`, `&lt;3`) before scoring.
    pub entities: bool,
    pub threads: usize,
}

/// How an input line becomes the text scored.
#[derive(Clone, Copy)]
struct Reading<'a> {
    field: Option<&'a str>,
    entities: bool,
}

impl ScoreArgs {
    fn reading(&self) -> Reading<'_> {
        Reading {
            field: self.field.as_deref(),
            entities: self.entities,
        }
    }
}

/// The text to score on one input line, or why there is none.
fn text_of<'a>(line: &'a str, how: Reading) -> Result<Cow<'a, str>, String> {
    let text = match how.field {
        // A blank line holds no document; serde_json would say "EOF while
        // parsing a value at line 1 column 0".
        Some(_) if line.trim().is_empty() => return Err("blank line, not a JSON object".into()),
        Some(field) => Cow::Owned(field::text_at(line, field)?),
        // Plain text is scored in place: no copy of the line.
        None => Cow::Borrowed(line),
    };
    Ok(match (how.entities, text) {
        (true, Cow::Borrowed(t)) => html_escape::decode_html_entities(t),
        (true, Cow::Owned(t)) => Cow::Owned(html_escape::decode_html_entities(&t).into_owned()),
        (false, text) => text,
    })
}

/// Scores one line (its bytes, line break removed) into `out`; when the
/// line cannot be read, writes the error object instead and returns why.
fn score_line(
    pipeline: &Pipeline,
    how: Reading,
    n: u64,
    raw: &[u8],
    out: &mut Vec<u8>,
) -> Option<String> {
    let text = match std::str::from_utf8(raw) {
        Ok(line) => text_of(line, how),
        Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
    };
    match text {
        Ok(t) => {
            render_into(&pipeline.judge(&t, &[], None), out);
            None
        }
        Err(reason) => {
            render_error(n, &reason, out);
            Some(reason)
        }
    }
}

/// The input, counting the bytes it holds already read (the last
/// `fill_buf` less what was consumed since): with none left, the next line
/// must come from the source itself, and a pipe may keep the reader waiting
/// for it, for seconds (`tail -f`).
struct Held<'a> {
    input: &'a mut dyn BufRead,
    held: Rc<Cell<usize>>,
}

impl Read for Held<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let have = self.fill_buf()?;
            let n = have.len().min(buf.len());
            buf[..n].copy_from_slice(&have[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Held<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let have = self.input.fill_buf()?;
        self.held.set(have.len());
        Ok(have)
    }

    fn consume(&mut self, n: usize) {
        self.input.consume(n);
        self.held.set(self.held.get().saturating_sub(n));
    }
}

/// The input's lines, read until its end or the first read error, which is
/// kept rather than returned: a compressed file cut short (or damaged) must
/// still have every line before the cut scored and written, as `import`
/// stores them, and the cut reported after them.
struct Lines<'a> {
    reader: LineReader<Held<'a>>,
    held: Rc<Cell<usize>>,
    failed: Option<io::Error>,
}

impl<'a> Lines<'a> {
    fn new(input: &'a mut dyn BufRead) -> Lines<'a> {
        let held = Rc::new(Cell::new(0));
        Lines {
            reader: LineReader::new(Held {
                input,
                held: Rc::clone(&held),
            }),
            held,
            failed: None,
        }
    }

    /// Whether the next line may keep us waiting: every byte read is used,
    /// so it must be read from the source. Then the lines read so far are
    /// scored and written first, so that a post that arrives on a pipe is
    /// answered at once, not when 4,095 more have come. A file, or a pipe
    /// filled faster than it is read, seldom ends a read exactly at a line's
    /// end, so batches stay whole there.
    fn waiting(&self) -> bool {
        self.held.get() == 0
    }

    /// The next line (see `next_line`); `None` at the end or after a read
    /// error.
    fn next(&mut self, raw: &mut Vec<u8>) -> Option<(u64, Result<(), String>)> {
        if self.failed.is_some() {
            return None;
        }
        let line = next_line(&mut self.reader, raw).unwrap_or_else(|e| {
            self.failed = Some(e);
            None
        });
        // A byte-order mark is a file's, not a post's: JSON readers refuse
        // it, and `import` strips it from any line (files joined end to end
        // keep each one's mark at the start of a line).
        if matches!(line, Some((_, Ok(())))) && raw.starts_with(BOM) {
            raw.drain(..BOM.len());
        }
        line
    }

    /// Why reading stopped early, in `import`'s words, if it did.
    fn failure(&self, compression: Compression) -> Option<String> {
        let e = self.failed.as_ref()?;
        Some(read_error_message(
            compression,
            "line",
            self.reader.line_no(),
            e,
        ))
    }
}

/// The next input line: its number, then its bytes without the line break,
/// or why it was not read (longer than `lines::MAX_LINE`, the limit
/// `import` keeps too: one endless line must not take all memory, nor hours).
/// `None` at the end.
fn next_line(
    input: &mut LineReader<Held>,
    raw: &mut Vec<u8>,
) -> io::Result<Option<(u64, Result<(), String>)>> {
    raw.clear();
    Ok(input.next_line()?.map(|(n, line)| match line {
        Line::Text(text) => {
            raw.extend_from_slice(text);
            while raw.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                raw.pop();
            }
            (n, Ok(()))
        }
        Line::TooLong { length } => (
            n,
            Err(format!(
                "line of {length} bytes is longer than the {} MiB limit",
                MAX_LINE >> 20
            )),
        ),
    }))
}

pub fn score(env: &Env, args: &ScoreArgs) -> Result<u8> {
    if let Some(field) = &args.field {
        field::check_field(field).map_err(anyhow::Error::msg)?;
    }
    let pipeline = env.pipeline()?;
    let (compression, mut input) = open_input(&args.input)?;
    // Both ways of scoring hand stdout whole runs of lines (32 KiB at a
    // time, a worker's share of a batch, or whatever was read before the
    // input may keep us waiting), each ending in a newline, which the
    // line-buffered handle writes straight through: a buffer in front of it
    // would only copy every byte once more.
    let mut out = io::stdout().lock();
    let threads = args.threads.max(1);
    let mut lines = Lines::new(&mut *input);
    let bad = if threads == 1 {
        score_inline(&pipeline, args, &mut lines, &mut out)?
    } else {
        score_threaded(&pipeline, args, threads, &mut lines, &mut out)?
    };
    out.flush().context(STDOUT)?;
    let cut = lines.failure(compression);
    if let Some(reason) = &cut {
        say!("outcry: could not read: {}: {reason}", display(&args.input));
    }
    Ok(if bad == 0 && cut.is_none() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// One thread: read, judge, write, line by line, through one reused buffer.
fn score_inline(
    pipeline: &Pipeline,
    args: &ScoreArgs,
    lines: &mut Lines,
    out: &mut impl Write,
) -> Result<u64> {
    let mut bad = 0u64;
    let mut raw = Vec::new();
    let mut rendered = Vec::with_capacity(1 << 16);
    while let Some((line_no, read)) = lines.next(&mut raw) {
        let failed = match read {
            Ok(()) => score_line(pipeline, args.reading(), line_no, &raw, &mut rendered),
            Err(reason) => {
                render_error(line_no, &reason, &mut rendered);
                Some(reason)
            }
        };
        if let Some(reason) = failed {
            bad += 1;
            say!("outcry: {}:{line_no}: {reason}", display(&args.input));
        }
        let waiting = lines.waiting();
        if rendered.len() >= 1 << 15 || waiting {
            out.write_all(&rendered).context(STDOUT)?;
            rendered.clear();
        }
        if waiting {
            out.flush().context(STDOUT)?;
        }
    }
    out.write_all(&rendered).context(STDOUT)?;
    Ok(bad)
}

/// Lines of one batch for one worker: their numbers and bytes, one buffer
/// (or why a line was not read).
#[derive(Default)]
struct Part {
    lines: Vec<(u64, Result<std::ops::Range<usize>, String>)>,
    bytes: Vec<u8>,
}

/// Several threads: the same workers for the whole run, so each keeps its
/// per-thread caches (stems, word lookups) warm; each batch is cut into one
/// contiguous part per worker and the parts' output joined in order.
fn score_threaded(
    pipeline: &Pipeline,
    args: &ScoreArgs,
    threads: usize,
    lines: &mut Lines,
    out: &mut impl Write,
) -> Result<u64> {
    use std::sync::mpsc;
    let per_part = BATCH.div_ceil(threads);
    std::thread::scope(|s| -> Result<u64> {
        let mut to_workers = Vec::with_capacity(threads);
        let mut from_workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (job_tx, job_rx) = mpsc::channel::<Part>();
            let (done_tx, done_rx) = mpsc::channel::<(Part, Vec<u8>, Vec<(u64, String)>)>();
            let how = args.reading();
            s.spawn(move || {
                for part in job_rx {
                    let mut rendered = Vec::new();
                    let mut bad = Vec::new();
                    for (n, read) in &part.lines {
                        let failed = match read {
                            Ok(range) => {
                                let raw = part.bytes.get(range.clone()).unwrap_or(&[]);
                                score_line(pipeline, how, *n, raw, &mut rendered)
                            }
                            Err(reason) => {
                                render_error(*n, reason, &mut rendered);
                                Some(reason.clone())
                            }
                        };
                        if let Some(reason) = failed {
                            bad.push((*n, reason));
                        }
                    }
                    if done_tx.send((part, rendered, bad)).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(job_tx);
            from_workers.push(done_rx);
        }
        let mut spare: Vec<Part> = Vec::new();
        let mut bad = 0u64;
        let mut raw = Vec::new();
        let mut more = true;
        while more {
            // Fill and hand out one part per worker, or fewer when the
            // input may keep us waiting.
            let mut sent = 0;
            let mut waiting = false;
            for tx in &to_workers {
                let mut part = spare.pop().unwrap_or_default();
                part.lines.clear();
                part.bytes.clear();
                while part.lines.len() < per_part {
                    let Some((line_no, read)) = lines.next(&mut raw) else {
                        more = false;
                        break;
                    };
                    let at = part.bytes.len();
                    part.bytes.extend_from_slice(&raw);
                    part.lines
                        .push((line_no, read.map(|()| at..part.bytes.len())));
                    if lines.waiting() {
                        waiting = true;
                        break;
                    }
                }
                if part.lines.is_empty() {
                    break;
                }
                if tx.send(part).is_err() {
                    anyhow::bail!("a scoring thread stopped");
                }
                sent += 1;
                if !more || waiting {
                    break;
                }
            }
            for rx in from_workers.iter().take(sent) {
                let (part, rendered, part_bad) = rx.recv().context("a scoring thread stopped")?;
                for (n, reason) in &part_bad {
                    say!("outcry: {}:{n}: {reason}", display(&args.input));
                }
                out.write_all(&rendered).context(STDOUT)?;
                bad += part_bad.len() as u64;
                spare.push(part);
            }
            if waiting {
                out.flush().context(STDOUT)?;
            }
        }
        drop(to_workers);
        Ok(bad)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Reading<'_> {
        Reading {
            field: Some(name),
            entities: false,
        }
    }

    const PLAIN: Reading = Reading {
        field: None,
        entities: false,
    };

    #[test]
    fn fields_are_found_by_dotted_path() {
        let line = r#"{"a":{"b":"netflix is down"},"n":3}"#;
        assert_eq!(text_of(line, field("a.b")).unwrap(), "netflix is down");
        assert_eq!(text_of(line, PLAIN).unwrap(), line);
        assert!(text_of(line, field("n"))
            .unwrap_err()
            .contains("not a string"));
        assert!(text_of("{", field("a"))
            .unwrap_err()
            .starts_with("not JSON"));
        assert_eq!(
            text_of(" \t", field("a")).unwrap_err(),
            "blank line, not a JSON object"
        );
        // A blank line of plain text is a post, if an empty one.
        assert_eq!(text_of("", PLAIN).unwrap(), "");
    }

    #[test]
    fn entities_are_decoded_only_when_asked() {
        let line = "you &amp; me &lt;3 &quot;fixed&quot;";
        let decoding = Reading {
            entities: true,
            ..PLAIN
        };
        assert_eq!(text_of(line, PLAIN).unwrap(), line);
        assert_eq!(text_of(line, decoding).unwrap(), "you & me <3 \"fixed\"");
        let json = r#"{"text":"down again &gt;:("}"#;
        let decoding = Reading {
            entities: true,
            ..field("text")
        };
        assert_eq!(text_of(json, decoding).unwrap(), "down again >:(");
        assert_eq!(text_of(json, field("text")).unwrap(), "down again &gt;:(");
    }
}

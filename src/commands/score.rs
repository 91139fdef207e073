//! `outcry score` and `outcry eval`: the scorer as a filter, and measured
//! against labelled posts.

use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{display, Env, EXIT_OK, EXIT_PARTIAL};
use outcry::eval::{label_from_rating, pearson, Binary, Confusion};
use outcry::lang::Lang;
use outcry::pipeline::Pipeline;
use outcry::sentiment::Label;
use outcry::sources::decode::{self, Compression};
use outcry::sources::inputs::Input;
use outcry::sources::lines::{Line, LineReader, MAX_LINE};
use outcry::sources::walk::read_error_message;

mod field;
mod render;
use render::{render_error, render_into};

/// Lines scored per batch: enough to keep every thread busy, few enough
/// that output starts at once on a pipe.
const BATCH: usize = 4096;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// More scoring threads than this is a typo, not a machine: each keeps
/// caches of its own (tens of MiB on mixed text).
pub const MAX_THREADS: usize = 256;

pub struct ScoreArgs {
    pub input: PathBuf,
    /// Read JSON lines and score this field (dotted for nested objects).
    pub field: Option<String>,
    pub threads: usize,
}

/// The input's lines, whatever its compression: the same opener `import`
/// uses, so `score` reads `posts.txt.gz` as it reads `posts.txt`.
fn open(input: &Path) -> Result<(Compression, Box<dyn BufRead>)> {
    let source = if input.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(input.to_path_buf())
    };
    decode::open(&source).with_context(|| format!("cannot open {}", display(input)))
}

/// The text to score on one input line, or why there is none.
fn text_of(line: &str, field: Option<&str>) -> Result<String, String> {
    match field {
        Some(field) => field::text_at(line, field),
        None => Ok(line.to_string()),
    }
}

/// Scores one line (its bytes, line break removed) into `out`; when the
/// line cannot be read, writes the error object instead and returns why.
fn score_line(
    pipeline: &Pipeline,
    field: Option<&str>,
    n: u64,
    raw: &[u8],
    out: &mut String,
) -> Option<String> {
    let text = match std::str::from_utf8(raw) {
        Ok(line) => match field {
            // Plain text is scored in place: no copy of the line.
            None => Ok(std::borrow::Cow::Borrowed(line)),
            Some(_) => text_of(line, field).map(std::borrow::Cow::Owned),
        },
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

/// The input's lines, read until its end or the first read error, which is
/// kept rather than returned: a compressed file cut short (or damaged) must
/// still have every line before the cut scored and written, as `import`
/// stores them, and the cut reported after them.
struct Lines<'a> {
    reader: LineReader<&'a mut dyn BufRead>,
    failed: Option<io::Error>,
}

impl<'a> Lines<'a> {
    fn new(input: &'a mut dyn BufRead) -> Lines<'a> {
        Lines {
            reader: LineReader::new(input),
            failed: None,
        }
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
        // A byte-order mark is a file's, not its first post's: JSON
        // readers refuse it, and `import` strips it too.
        if matches!(line, Some((1, Ok(())))) && raw.starts_with(BOM) {
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
    input: &mut LineReader<&mut dyn BufRead>,
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
    let pipeline = env.pipeline()?;
    let (compression, mut input) = open(&args.input)?;
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let threads = args.threads.max(1);
    let mut lines = Lines::new(&mut *input);
    let bad = if threads == 1 {
        score_inline(&pipeline, args, &mut lines, &mut out)?
    } else {
        score_threaded(&pipeline, args, threads, &mut lines, &mut out)?
    };
    out.flush()?;
    let cut = lines.failure(compression);
    if let Some(reason) = &cut {
        eprintln!("outcry: could not read: {}: {reason}", display(&args.input));
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
    let mut rendered = String::with_capacity(1 << 16);
    while let Some((line_no, read)) = lines.next(&mut raw) {
        let failed = match read {
            Ok(()) => score_line(
                pipeline,
                args.field.as_deref(),
                line_no,
                &raw,
                &mut rendered,
            ),
            Err(reason) => {
                render_error(line_no, &reason, &mut rendered);
                Some(reason)
            }
        };
        if let Some(reason) = failed {
            bad += 1;
            eprintln!("outcry: {}:{line_no}: {reason}", display(&args.input));
        }
        if rendered.len() >= 1 << 15 {
            out.write_all(rendered.as_bytes())?;
            rendered.clear();
        }
    }
    out.write_all(rendered.as_bytes())?;
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
            let (done_tx, done_rx) = mpsc::channel::<(Part, String, Vec<(u64, String)>)>();
            let field = args.field.as_deref();
            s.spawn(move || {
                for part in job_rx {
                    let mut rendered = String::new();
                    let mut bad = Vec::new();
                    for (n, read) in &part.lines {
                        let failed = match read {
                            Ok(range) => {
                                let raw = part.bytes.get(range.clone()).unwrap_or(&[]);
                                score_line(pipeline, field, *n, raw, &mut rendered)
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
            // Fill and hand out one part per worker.
            let mut sent = 0;
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
                }
                if part.lines.is_empty() {
                    break;
                }
                if tx.send(part).is_err() {
                    anyhow::bail!("a scoring thread stopped");
                }
                sent += 1;
                if !more {
                    break;
                }
            }
            for rx in from_workers.iter().take(sent) {
                let (part, rendered, part_bad) = rx.recv().context("a scoring thread stopped")?;
                for (n, reason) in &part_bad {
                    eprintln!("outcry: {}:{n}: {reason}", display(&args.input));
                }
                out.write_all(rendered.as_bytes())?;
                bad += part_bad.len() as u64;
                spare.push(part);
            }
        }
        drop(to_workers);
        Ok(bad)
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EvalFormat {
    /// `id<TAB>rating<TAB>text`, ratings from -4 to 4.
    RatingTsv,
    /// A CSV with a header; columns named by `--text-col` and `--label-col`.
    LabelCsv,
    /// Our check set: `lang<TAB>complaint<TAB>sentiment<TAB>text`.
    ComplaintTsv,
}

pub struct EvalArgs {
    pub input: PathBuf,
    pub format: EvalFormat,
    pub text_col: String,
    pub label_col: String,
    /// `value=label` pairs mapping the file's labels onto
    /// negative/neutral/positive (e.g. `0=negative,2=neutral,4=positive`).
    pub label_map: Vec<(String, Label)>,
    /// Mean ratings above this are positive, below its negation negative.
    pub rating_threshold: f64,
}

pub fn parse_label_map(spec: &str) -> Result<Vec<(String, Label)>> {
    let mut map: Vec<(String, Label)> = Vec::new();
    for pair in spec.split(',').filter(|s| !s.trim().is_empty()) {
        let (value, label) = pair
            .split_once('=')
            .with_context(|| format!("label map entry {pair:?} is not VALUE=LABEL"))?;
        let (value, label) = (value.trim().to_string(), parse_label(label.trim())?);
        match map.iter().find(|(v, _)| *v == value) {
            // Which of two answers was meant cannot be guessed.
            Some((_, before)) if *before != label => anyhow::bail!(
                "label map gives {value:?} two labels, {} and {}",
                before.as_str(),
                label.as_str()
            ),
            Some(_) => {}
            None => map.push((value, label)),
        }
    }
    Ok(map)
}

fn parse_label(s: &str) -> Result<Label> {
    match s.to_ascii_lowercase().as_str() {
        "negative" | "neg" => Ok(Label::Negative),
        "neutral" | "neu" => Ok(Label::Neutral),
        "positive" | "pos" => Ok(Label::Positive),
        _ => anyhow::bail!("{s:?} is not negative, neutral or positive"),
    }
}

/// What an evaluation measured.
#[derive(Default)]
pub struct Measured {
    pub confusion: Confusion,
    pub ratings: Vec<(f64, f64)>,
    pub complaints: Option<Binary>,
    pub skipped: Vec<String>,
}

/// The lines of a file read whole, cut where `str::lines` cuts, but kept as
/// bytes: a line that is not UTF-8 costs that line, not the file. Numbered
/// from 1.
fn byte_lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|b| *b == b'\n')
        .take(if bytes.is_empty() { 0 } else { usize::MAX })
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .zip(1..)
        .map(|(l, n)| (n, l))
}

/// Why bytes that should be text are not, in the words the skipped-row
/// messages use.
fn not_utf8(raw: &[u8]) -> Option<String> {
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
fn unclosed_quote(bytes: &[u8]) -> Option<u64> {
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
struct LineAt {
    at: usize,
    breaks: u64,
}

impl LineAt {
    fn line(&mut self, bytes: &[u8], pos: Option<&csv::Position>) -> u64 {
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

/// Refuses a command line that cannot give a meaningful measure, before any
/// work is done.
fn check_args(args: &EvalArgs) -> Result<()> {
    let t = args.rating_threshold;
    if !(t.is_finite() && (0.0..4.0).contains(&t)) {
        anyhow::bail!(
            "--rating-threshold {t} is not a number from 0 up to (but not including) 4, the top of the rating scale"
        );
    }
    Ok(())
}

pub fn measure(pipeline: &Pipeline, args: &EvalArgs) -> Result<Measured> {
    check_args(args)?;
    let mut bytes = Vec::new();
    File::open(&args.input)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot open {}", display(&args.input)))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut m = Measured::default();
    let name = display(&args.input);
    match args.format {
        EvalFormat::RatingTsv => {
            for (n, raw) in byte_lines(bytes) {
                let Ok(line) = std::str::from_utf8(raw) else {
                    m.skipped
                        .push(format!("{name}:{n}: {}", not_utf8(raw).unwrap_or_default()));
                    continue;
                };
                let mut f = line.splitn(3, '\t');
                let (Some(_), Some(rating), Some(post)) = (f.next(), f.next(), f.next()) else {
                    m.skipped
                        .push(format!("{name}:{n}: fewer than three fields"));
                    continue;
                };
                let rating = match rating.trim().parse::<f64>() {
                    Ok(r) if (-4.0..=4.0).contains(&r) => r,
                    Ok(r) if r.is_finite() => {
                        m.skipped.push(format!(
                            "{name}:{n}: rating {rating:?} is outside the scale -4 to 4"
                        ));
                        continue;
                    }
                    Ok(_) => {
                        m.skipped.push(format!(
                            "{name}:{n}: rating {rating:?} is not a finite number"
                        ));
                        continue;
                    }
                    Err(_) => {
                        m.skipped
                            .push(format!("{name}:{n}: rating {rating:?} is not a number"));
                        continue;
                    }
                };
                let post = html_escape::decode_html_entities(post);
                let j = pipeline.judge(&post, &[], None);
                m.ratings.push((j.sentiment.compound, rating));
                m.confusion.add(
                    label_from_rating(rating, args.rating_threshold),
                    j.sentiment.label,
                );
            }
        }
        EvalFormat::LabelCsv => {
            let mut r = csv::Reader::from_reader(bytes);
            let headers = r.byte_headers()?.clone();
            let col = |name: &str| {
                headers
                    .iter()
                    .position(|h| h == name.as_bytes())
                    .with_context(|| {
                        format!("{name:?} is not a column of {}", display(&args.input))
                    })
            };
            let (tc, lc) = (col(&args.text_col)?, col(&args.label_col)?);
            // Read ahead of scoring: the last record is the one an unclosed
            // quote runs into, and only after it is it known to be last.
            let records: Vec<_> = r.byte_records().collect();
            let unclosed = unclosed_quote(bytes);
            let mut line_at = LineAt::default();
            for (k, rec) in records.iter().enumerate() {
                if let Some(open) = unclosed.filter(|_| k + 1 == records.len()) {
                    m.skipped.push(format!(
                        "{name}:{open}: a quoted field starts here and its quote is never closed, so it runs to the end of the file; the record is not scored"
                    ));
                    continue;
                }
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        let line = line_at.line(bytes, e.position());
                        let why = match e.kind() {
                            csv::ErrorKind::UnequalLengths {
                                expected_len, len, ..
                            } => format!("{len} fields where the header has {expected_len}"),
                            _ => e.to_string(),
                        };
                        m.skipped.push(format!("{name}:{line}: {why}"));
                        continue;
                    }
                };
                let line = line_at.line(bytes, rec.position());
                let (Some(post), Some(value)) = (rec.get(tc), rec.get(lc)) else {
                    continue;
                };
                let (post, value) = match (std::str::from_utf8(post), std::str::from_utf8(value)) {
                    (Ok(p), Ok(v)) => (p, v),
                    (Err(_), _) => {
                        let why = not_utf8(post).unwrap_or_default();
                        m.skipped.push(format!("{name}:{line}: text column {why}"));
                        continue;
                    }
                    (_, Err(_)) => {
                        let why = not_utf8(value).unwrap_or_default();
                        m.skipped.push(format!("{name}:{line}: label column {why}"));
                        continue;
                    }
                };
                // Trimmed as the map's values are, so `0, 4` and `0,4` agree.
                let value = value.trim();
                let truth = match args.label_map.iter().find(|(v, _)| v == value) {
                    Some((_, l)) => *l,
                    None => match parse_label(value) {
                        Ok(l) => l,
                        Err(_) if args.label_map.is_empty() => {
                            m.skipped.push(format!(
                                "{name}:{line}: label {value:?} is not negative, neutral or positive (give --label-map to map the file's labels, e.g. 0=negative,4=positive)"
                            ));
                            continue;
                        }
                        Err(_) => {
                            m.skipped.push(format!(
                                "{name}:{line}: label {value:?} is not in the label map"
                            ));
                            continue;
                        }
                    },
                };
                let j = pipeline.judge(post, &[], None);
                m.confusion.add(truth, j.sentiment.label);
            }
            if records.is_empty() {
                if let Some(open) = unclosed {
                    anyhow::bail!(
                        "{name}:{open}: a quoted field of the header is never closed; it runs to the end of the file"
                    );
                }
            }
        }
        EvalFormat::ComplaintTsv => {
            let mut lines = byte_lines(bytes);
            let header = lines.next().map(|(_, h)| h).unwrap_or_default();
            let header = std::str::from_utf8(header).unwrap_or_default();
            let names: Vec<&str> = header.split('\t').map(str::trim).collect();
            let col = |want: &str| {
                names
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(want))
                    .with_context(|| {
                        format!(
                            "{name}:1: the header has no {want:?} column; complaint-tsv needs a first line naming its columns lang, complaint, sentiment and text (found {header:?})"
                        )
                    })
            };
            let cols = [
                col("lang")?,
                col("complaint")?,
                col("sentiment")?,
                col("text")?,
            ];
            let mut complaints = Binary::default();
            for (n, raw) in lines {
                let Ok(line) = std::str::from_utf8(raw) else {
                    m.skipped
                        .push(format!("{name}:{n}: {}", not_utf8(raw).unwrap_or_default()));
                    continue;
                };
                // The last column takes the rest of the line, tabs and all,
                // as text in the last column always has.
                let f: Vec<&str> = line.splitn(names.len(), '\t').collect();
                let [lang, flag, label, post] = cols.map(|c| f.get(c).copied());
                let (Some(lang), Some(flag), Some(label), Some(post)) = (lang, flag, label, post)
                else {
                    m.skipped.push(format!(
                        "{name}:{n}: {} tab-separated fields where the header has {}",
                        f.len(),
                        names.len()
                    ));
                    continue;
                };
                let truth = match flag.trim() {
                    "1" => true,
                    "0" => false,
                    _ => {
                        m.skipped
                            .push(format!("{name}:{n}: complaint {flag:?} is not 0 or 1"));
                        continue;
                    }
                };
                let Ok(label) = parse_label(label.trim()) else {
                    m.skipped.push(format!(
                        "{name}:{n}: sentiment {label:?} is not negative, neutral or positive"
                    ));
                    continue;
                };
                // An empty lang asks the scorer to detect the language, as
                // it does for posts that carry none; a code it has no
                // lexicon for would silently be detected instead.
                let lang = match lang.trim() {
                    "" => None,
                    code => match Lang::from_code(code) {
                        Some(l) => Some(l),
                        None => {
                            m.skipped.push(format!(
                                "{name}:{n}: lang {lang:?} is not en, es, pt or fr (leave it empty to detect the language)"
                            ));
                            continue;
                        }
                    },
                };
                let j = pipeline.judge(post, &[], lang);
                complaints.add(truth, j.complaint.complaint);
                m.confusion.add(label, j.sentiment.label);
            }
            m.complaints = Some(complaints);
        }
    }
    Ok(m)
}

pub fn eval(env: &Env, args: &EvalArgs) -> Result<u8> {
    let pipeline = env.pipeline()?;
    let m = measure(&pipeline, args)?;
    let mut out = io::stdout().lock();
    writeln!(out, "posts scored      {}", m.confusion.total())?;
    if !m.ratings.is_empty() {
        let (xs, ys): (Vec<f64>, Vec<f64>) = m.ratings.iter().copied().unzip();
        match pearson(&xs, &ys) {
            Some(r) => writeln!(out, "pearson r         {r:.4}")?,
            None => writeln!(out, "pearson r         undefined")?,
        }
    }
    if m.confusion.total() == 0 {
        // 0.0000 would read as a measured, dreadful score.
        writeln!(out, "accuracy          undefined")?;
        writeln!(out, "macro-F1          undefined")?;
    } else {
        writeln!(out, "accuracy          {:.4}", m.confusion.accuracy())?;
        writeln!(out, "macro-F1          {:.4}", m.confusion.macro_f1())?;
    }
    if let Some(c) = m.complaints {
        writeln!(
            out,
            "complaint flag    precision {:.4}  recall {:.4}  F1 {:.4}",
            c.precision(),
            c.recall(),
            c.f1()
        )?;
    }
    writeln!(out)?;
    write!(out, "{}", m.confusion.render())?;
    for s in &m.skipped {
        eprintln!("outcry: skipped {s}");
    }
    Ok(if m.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_by_dotted_path() {
        let line = r#"{"a":{"b":"netflix is down"},"n":3}"#;
        assert_eq!(text_of(line, Some("a.b")).unwrap(), "netflix is down");
        assert_eq!(text_of(line, None).unwrap(), line);
        assert!(text_of(line, Some("n"))
            .unwrap_err()
            .contains("not a string"));
        assert!(text_of("{", Some("a")).unwrap_err().starts_with("not JSON"));
    }

    #[test]
    fn label_maps_parse() {
        let m = parse_label_map("0=negative, 2=neutral,4=pos").unwrap();
        assert_eq!(m[2], ("4".to_string(), Label::Positive));
        assert!(parse_label_map("0:negative").is_err());
    }

    #[test]
    fn a_label_map_that_contradicts_itself_is_refused() {
        let e = parse_label_map("0=negative, 0=positive").unwrap_err();
        assert_eq!(
            e.to_string(),
            "label map gives \"0\" two labels, negative and positive"
        );
        // Saying the same thing twice is harmless.
        assert_eq!(
            parse_label_map("0=negative,0=neg").unwrap(),
            vec![("0".to_string(), Label::Negative)]
        );
    }

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

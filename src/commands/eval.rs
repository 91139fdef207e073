//! `outcry eval`: the scorer measured against labelled posts, in the
//! layouts labelled tweets come in.
//!
//! A labelled file is someone's careful work and often large: a bad row
//! costs that row only, named by file and line, and the measure is taken on
//! the rest (exit 1); only a command line or a file that cannot give a
//! meaningful measure at all is refused outright (exit 2).

use std::io::{self, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{display, open_input, Env, EXIT_OK, EXIT_PARTIAL, STDOUT};
use outcry::eval::{label_from_rating, pearson, Binary, ByGroup, Confusion};
use outcry::lang::Lang;
use outcry::pipeline::{Judged, Pipeline};
use outcry::say;
use outcry::sentiment::Label;
use outcry::sources::decode::Compression;
use outcry::sources::lines::strip_bom;
use outcry::sources::walk::read_error_message;

mod rows;
use rows::{byte_lines, csv_rows, fields, not_utf8, CsvRow};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EvalFormat {
    /// `id<TAB>rating<TAB>text`, ratings from -4 to 4.
    RatingTsv,
    /// A CSV with a header; columns named by `--text-col`, `--label-col`
    /// and `--complaint-col`.
    LabelCsv,
    /// Our check sets: tab-separated, with `lang`, `complaint`, `sentiment`
    /// and `text` columns named in a header.
    ComplaintTsv,
}

pub struct EvalArgs {
    pub input: PathBuf,
    pub format: EvalFormat,
    pub text_col: String,
    /// label-csv: the sentiment label's column; `None` when the file is
    /// measured for complaints only.
    pub label_col: Option<String>,
    /// label-csv: the column saying whether the post is a complaint.
    pub complaint_col: Option<String>,
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

/// A complaint cell as the labelled sets write it.
fn parse_complaint(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "complaint" => Some(true),
        "0" | "no" | "n" | "false" | "not complaint" | "non-complaint" => Some(false),
        _ => None,
    }
}

/// A complaint cell of either format, or why the row is skipped.
fn complaint_cell(value: &str, name: &str, line: u64) -> std::result::Result<bool, String> {
    parse_complaint(value).ok_or_else(|| {
        format!(
            "{name}:{line}: complaint {:?} is not 1/0, yes/no, y/n, true/false or complaint/not complaint",
            value.trim()
        )
    })
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
    /// Posts judged against a label of either kind.
    pub posts: u64,
    /// Sentiment labels were measured (a file labelled for complaints only
    /// has none, and no accuracy to print).
    pub sentiment: bool,
    pub confusion: Confusion,
    pub ratings: Vec<(f64, f64)>,
    pub complaints: Option<Binary>,
    /// complaint-tsv: the same counts per value of the `lang` column.
    pub by_lang: ByGroup,
    pub skipped: Vec<String>,
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
    let name = display(&args.input);
    let (compression, mut input) = open_input(&args.input)?;
    let mut bytes = Vec::new();
    let mut cut = None;
    if let Err(e) = input.read_to_end(&mut bytes) {
        let whole = memchr::memrchr(b'\n', &bytes).map_or(0, |k| k + 1);
        let lines = memchr::memchr_iter(b'\n', &bytes[..whole]).count() as u64;
        let why = read_error_message(compression, "line", lines, &e);
        // A compressed stream cut short gave whole lines before the cut;
        // damaged data may have given garbage before the check that found
        // it, and a measure taken on that would mislead.
        if compression == Compression::None || e.kind() != io::ErrorKind::UnexpectedEof {
            anyhow::bail!("cannot read {name}: {why}; nothing measured");
        }
        // What was read is measured, up to its last whole line, and the
        // cut is named: exit 1, as `score`.
        bytes.truncate(whole);
        cut = Some(format!("{name}: {why}; what follows is not measured"));
    }
    let bytes = strip_bom(&bytes);
    let mut m = Measured {
        // Every format but a label-csv of complaints alone has them.
        sentiment: true,
        ..Measured::default()
    };
    match args.format {
        EvalFormat::RatingTsv => rating_tsv(pipeline, args, &name, bytes, &mut m),
        EvalFormat::LabelCsv => label_csv(pipeline, args, &name, bytes, &mut m)?,
        EvalFormat::ComplaintTsv => complaint_tsv(pipeline, &name, bytes, &mut m)?,
    }
    m.skipped.extend(cut);
    Ok(m)
}

/// Judges a labelled post. Labelled tweets keep the HTML entities Twitter's
/// APIs wrote (`&amp;`, `&lt;3`), in the rated tweets and the CSV datasets
/// alike; `import` decodes them, so the measure does too.
fn judge(pipeline: &Pipeline, post: &str, lang: Option<Lang>) -> Judged {
    pipeline.judge(&html_escape::decode_html_entities(post), &[], lang)
}

/// Why a row with nothing to score is skipped: judged, it would count as a
/// neutral post the scorer found nothing in.
const EMPTY_TEXT: &str = "the text is empty";

/// A header's cell: a word (`rating`, `mean_rating`), where a row has a
/// number.
fn is_name(cell: &str) -> bool {
    let cell = cell.trim();
    cell.starts_with(|c: char| c.is_ascii_alphabetic())
        && cell.parse::<f64>().is_err()
        && cell
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
}

/// `id<TAB>rating<TAB>text`: the rated tweets' layout.
fn rating_tsv(pipeline: &Pipeline, args: &EvalArgs, name: &str, bytes: &[u8], m: &mut Measured) {
    for (n, raw) in byte_lines(bytes) {
        let Ok(line) = std::str::from_utf8(raw) else {
            m.skipped
                .push(format!("{name}:{n}: {}", not_utf8(raw).unwrap_or_default()));
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut f = line.splitn(3, '\t');
        let (Some(id), Some(rating), Some(post)) = (f.next(), f.next(), f.next()) else {
            m.skipped
                .push(format!("{name}:{n}: fewer than three fields"));
            continue;
        };
        // A first line of column names ("id rating text") is a header, not
        // a row with a bad rating; a row whose rating alone is a word is
        // named as one.
        if n == 1 && is_name(id) && is_name(rating) {
            continue;
        }
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
        if post.trim().is_empty() {
            m.skipped.push(format!("{name}:{n}: {EMPTY_TEXT}"));
            continue;
        }
        let j = judge(pipeline, post, None);
        m.posts += 1;
        m.ratings.push((j.sentiment.compound, rating));
        m.confusion.add(
            label_from_rating(rating, args.rating_threshold),
            j.sentiment.label,
        );
    }
}

/// A CSV with a header, its text and label columns named on the command
/// line.
fn label_csv(
    pipeline: &Pipeline,
    args: &EvalArgs,
    name: &str,
    bytes: &[u8],
    m: &mut Measured,
) -> Result<()> {
    let (headers, records) = csv_rows(bytes).map_err(|why| anyhow::anyhow!("{name}:1: {why}"))?;
    let mut names = Vec::with_capacity(headers.len());
    for (k, h) in headers.iter().enumerate() {
        match std::str::from_utf8(h) {
            Ok(h) => names.push(h),
            Err(_) => anyhow::bail!(
                "{name}:1: header, column {}: {}",
                k + 1,
                not_utf8(h).unwrap_or_default()
            ),
        }
    }
    let col = |want: &str| {
        column(&names, want).map_err(|why| {
            let found = names.join(",");
            match why {
                None => anyhow::anyhow!(
                    "{want:?} is not a column of {} (its header: {found:?})",
                    display(&args.input)
                ),
                Some(why) => anyhow::anyhow!("{want:?} {why} of {}", display(&args.input)),
            }
        })
    };
    let tc = col(&args.text_col)?;
    let lc = args.label_col.as_deref().map(col).transpose()?;
    let cc = args.complaint_col.as_deref().map(col).transpose()?;
    // Text scored against itself measures nothing.
    for (other, flag) in [(lc, "--label-col"), (cc, "--complaint-col")] {
        if other == Some(tc) {
            anyhow::bail!("--text-col and {flag} name the same column of {name}");
        }
    }
    m.sentiment = lc.is_some();
    let mut complaints = Binary::default();
    for CsvRow { line, record } in &records {
        let line = *line;
        let rec = match record {
            Ok(r) => r,
            Err(why) => {
                m.skipped.push(format!("{name}:{line}: {why}"));
                continue;
            }
        };
        // Every column read before anything is counted: a bad cell skips
        // its whole row, so the two measures are taken on the same posts.
        let cell = |c: usize, what: &str| -> std::result::Result<&str, String> {
            let raw = rec.get(c).unwrap_or_default();
            std::str::from_utf8(raw).map_err(|_| {
                format!(
                    "{name}:{line}: {what} column: {}",
                    not_utf8(raw).unwrap_or_default()
                )
            })
        };
        let row = (|| {
            let post = cell(tc, "text")?;
            if post.trim().is_empty() {
                return Err(format!("{name}:{line}: {EMPTY_TEXT}"));
            }
            let label = lc
                .map(|c| cell(c, "label").and_then(|v| label_of(v, args, name, line)))
                .transpose()?;
            let complaint = cc
                .map(|c| {
                    let v = cell(c, "complaint")?;
                    complaint_cell(v, name, line)
                })
                .transpose()?;
            Ok::<_, String>((post, label, complaint))
        })();
        let (post, label, complaint) = match row {
            Ok(row) => row,
            Err(why) => {
                m.skipped.push(why);
                continue;
            }
        };
        let j = judge(pipeline, post, None);
        m.posts += 1;
        if let Some(truth) = label {
            m.confusion.add(truth, j.sentiment.label);
        }
        if let Some(truth) = complaint {
            complaints.add(truth, j.complaint.complaint);
        }
    }
    if cc.is_some() {
        m.complaints = Some(complaints);
    }
    Ok(())
}

/// The one column a header names `want`, found as a person reading the
/// header would: case and surrounding spaces aside. `Err(None)` when no
/// column has the name; `Err(Some(why))` when two have it, since which one
/// holds the labels cannot be guessed and taking the first would measure
/// the wrong one quietly.
fn column(names: &[&str], want: &str) -> std::result::Result<usize, Option<String>> {
    let mut at = names
        .iter()
        .enumerate()
        .filter(|(_, h)| h.trim().eq_ignore_ascii_case(want.trim()))
        .map(|(i, _)| i);
    let first = at.next().ok_or(None)?;
    match at.next() {
        None => Ok(first),
        Some(second) => Err(Some(format!(
            "names more than one column (columns {} and {})",
            first + 1,
            second + 1
        ))),
    }
}

/// A label-csv sentiment cell as a label: through `--label-map` first,
/// then by name.
fn label_of(
    value: &str,
    args: &EvalArgs,
    name: &str,
    line: u64,
) -> std::result::Result<Label, String> {
    // Trimmed as the map's values are, so `0, 4` and `0,4` agree.
    let value = value.trim();
    if let Some((_, l)) = args.label_map.iter().find(|(v, _)| v == value) {
        return Ok(*l);
    }
    parse_label(value).map_err(|_| {
        if args.label_map.is_empty() {
            format!(
                "{name}:{line}: label {value:?} is not negative, neutral or positive (give --label-map to map the file's labels, e.g. 0=negative,4=positive)"
            )
        } else {
            format!("{name}:{line}: label {value:?} is not in the label map")
        }
    })
}

/// Our check sets: `lang`, `complaint`, `sentiment` and `text` columns,
/// found by the header's names.
fn complaint_tsv(pipeline: &Pipeline, name: &str, bytes: &[u8], m: &mut Measured) -> Result<()> {
    let mut lines = byte_lines(bytes);
    let header = lines.next().map(|(_, h)| h).unwrap_or_default();
    let header = match std::str::from_utf8(header) {
        Ok(header) => header,
        Err(_) => anyhow::bail!("{name}:1: header: {}", not_utf8(header).unwrap_or_default()),
    };
    let names: Vec<&str> = header.split('\t').collect();
    let col = |want: &str| {
        column(&names, want).map_err(|why| match why {
            None => anyhow::anyhow!(
                "{name}:1: the header has no {want:?} column; complaint-tsv needs a first line naming its columns lang, complaint, sentiment and text (found {header:?})"
            ),
            Some(why) => anyhow::anyhow!("{name}:1: {want:?} {why}"),
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
        if line.trim().is_empty() {
            continue;
        }
        // Text in the last column takes the rest of the line, tabs and
        // all, as it always has; a tab anywhere else is a field too many.
        let mut f: Vec<&str> = line.split('\t').collect();
        let text_last = cols[3] + 1 == names.len();
        if f.len() > names.len() && text_last {
            let rest = line.splitn(names.len(), '\t').last().unwrap_or_default();
            f.truncate(names.len() - 1);
            f.push(rest);
        }
        if f.len() != names.len() {
            m.skipped.push(format!(
                "{name}:{n}: {} where the header has {}",
                fields(f.len() as u64),
                names.len()
            ));
            continue;
        }
        let [lang, flag, label, post] = cols.map(|c| f.get(c).copied().unwrap_or_default());
        if post.trim().is_empty() {
            m.skipped.push(format!("{name}:{n}: {EMPTY_TEXT}"));
            continue;
        }
        // The cells label-csv's --complaint-col reads: a file written with
        // yes/no must not be read by one format and refused by the other.
        let truth = match complaint_cell(flag, name, n) {
            Ok(truth) => truth,
            Err(why) => {
                m.skipped.push(why);
                continue;
            }
        };
        let Ok(label) = parse_label(label.trim()) else {
            m.skipped.push(format!(
                "{name}:{n}: sentiment {label:?} is not negative, neutral or positive"
            ));
            continue;
        };
        // A post is judged in its lang when we have a lexicon for it, and
        // in the language detected otherwise (empty, "und", "de"): exactly
        // as `import` judges a post by the language its source gives.
        let code = lang.trim();
        let lang = Lang::from_code(code);
        let j = judge(pipeline, post, lang);
        m.posts += 1;
        complaints.add(truth, j.complaint.complaint);
        m.confusion.add(label, j.sentiment.label);
        // "EN" and "en-US" are English, "de-DE" is "de"; a language without
        // a lexicon ("de", "und") and an empty lang each keep a row of
        // their own, scored in the languages detected.
        let group = match lang {
            Some(lang) => lang.code().to_string(),
            None if code.is_empty() => "(none)".to_string(),
            None => outcry::lang::base_code(code).to_lowercase(),
        };
        m.by_lang.add(
            &group,
            (label, j.sentiment.label),
            (truth, j.complaint.complaint),
        );
    }
    m.complaints = Some(complaints);
    Ok(())
}

pub fn eval(env: &Env, args: &EvalArgs) -> Result<u8> {
    let pipeline = env.pipeline()?;
    let m = measure(&pipeline, args)?;
    // Written whole at the end, so a failed write is named once.
    let mut out = Vec::new();
    writeln!(out, "posts scored      {}", m.posts)?;
    if args.format == EvalFormat::RatingTsv {
        let (xs, ys): (Vec<f64>, Vec<f64>) = m.ratings.iter().copied().unzip();
        match pearson(&xs, &ys) {
            Some(r) => writeln!(out, "pearson r         {r:.4}")?,
            None => writeln!(out, "pearson r         undefined")?,
        }
    }
    if !m.sentiment {
        // A file labelled for complaints only: no sentiment to measure.
    } else if m.confusion.total() == 0 {
        // 0.0000 would read as a measured, dreadful score.
        writeln!(out, "accuracy          undefined")?;
        writeln!(out, "macro-F1          undefined")?;
    } else {
        writeln!(out, "accuracy          {:.4}", m.confusion.accuracy())?;
        writeln!(out, "macro-F1          {:.4}", m.confusion.macro_f1())?;
    }
    if let Some(c) = m.complaints {
        // As for accuracy: a zero where nothing could be counted (no post
        // flagged, no complaint in the file) would read as a measured,
        // dreadful score. F1 is 0 when either is counted and nothing found.
        let shown = |v: f64, counted: u64| {
            if counted > 0 {
                format!("{v:.4}")
            } else {
                "undefined".to_string()
            }
        };
        let (flagged, complaints) = (c.predicted(), c.actual());
        writeln!(
            out,
            "complaint flag    precision {}  recall {}  F1 {}",
            shown(c.precision(), flagged),
            shown(c.recall(), complaints),
            shown(c.f1(), flagged + complaints)
        )?;
    }
    if m.sentiment {
        writeln!(out)?;
        write!(out, "{}", m.confusion.render())?;
    }
    // One language alone would only repeat the figures above.
    if m.by_lang.groups().len() > 1 {
        writeln!(out)?;
        writeln!(out, "by the file's lang column:")?;
        write!(out, "{}", m.by_lang.render())?;
    }
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(&out)
        .and_then(|()| stdout.flush())
        .context(STDOUT)?;
    for s in &m.skipped {
        say!("outcry: skipped {s}");
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
}

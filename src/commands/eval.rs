//! `outcry eval`: the scorer measured against labelled posts, in the
//! layouts labelled tweets come in.
//!
//! A labelled file is someone's careful work and often large: a bad row
//! costs that row only, named by file and line, and the measure is taken on
//! the rest (exit 1); only a command line or a file that cannot give a
//! meaningful measure at all is refused outright (exit 2).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{display, Env, EXIT_OK, EXIT_PARTIAL};
use outcry::eval::{label_from_rating, pearson, Binary, ByGroup, Confusion};
use outcry::lang::Lang;
use outcry::pipeline::{Judged, Pipeline};
use outcry::say;
use outcry::sentiment::Label;
use outcry::sources::csv_lines::{unclosed_quote, LineAt};
use outcry::sources::lines::strip_bom;

mod rows;
use rows::{byte_lines, not_utf8};

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
    let mut bytes = Vec::new();
    File::open(&args.input)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot open {}", display(&args.input)))?;
    let bytes = strip_bom(&bytes);
    let mut m = Measured {
        // Every format but a label-csv of complaints alone has them.
        sentiment: true,
        ..Measured::default()
    };
    let name = display(&args.input);
    match args.format {
        EvalFormat::RatingTsv => rating_tsv(pipeline, args, &name, bytes, &mut m),
        EvalFormat::LabelCsv => label_csv(pipeline, args, &name, bytes, &mut m)?,
        EvalFormat::ComplaintTsv => complaint_tsv(pipeline, &name, bytes, &mut m)?,
    }
    Ok(m)
}

/// "1 field", "3 fields".
fn fields(n: u64) -> String {
    match n {
        1 => "1 field".into(),
        n => format!("{n} fields"),
    }
}

/// Judges a labelled post. Labelled tweets keep the HTML entities Twitter's
/// APIs wrote (`&amp;`, `&lt;3`), in the rated tweets and the CSV datasets
/// alike; `import` decodes them, so the measure does too.
fn judge(pipeline: &Pipeline, post: &str, lang: Option<Lang>) -> Judged {
    pipeline.judge(&html_escape::decode_html_entities(post), &[], lang)
}

/// `id<TAB>rating<TAB>text`: the rated tweets' layout.
fn rating_tsv(pipeline: &Pipeline, args: &EvalArgs, name: &str, bytes: &[u8], m: &mut Measured) {
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
    let unclosed = unclosed_quote(bytes);
    let header_unclosed = |open: u64| {
        anyhow::anyhow!(
            "{name}:{open}: a quoted field of the header is never closed; it runs to the end of the file"
        )
    };
    // A quote opened in the header swallows the whole file into it: say
    // so, rather than that the columns are missing.
    if unclosed == Some(1) {
        return Err(header_unclosed(1));
    }
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.byte_headers()?.clone();
    let col = |name: &str| {
        let mut at = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == name.as_bytes())
            .map(|(i, _)| i);
        let first = at
            .next()
            .with_context(|| format!("{name:?} is not a column of {}", display(&args.input)))?;
        // Which of two columns of one name holds the labels cannot be
        // guessed, and taking the first would measure the wrong one quietly.
        if let Some(second) = at.next() {
            anyhow::bail!(
                "{name:?} names more than one column of {} (columns {} and {})",
                display(&args.input),
                first + 1,
                second + 1
            );
        }
        Ok(first)
    };
    let tc = col(&args.text_col)?;
    let lc = args.label_col.as_deref().map(col).transpose()?;
    let cc = args.complaint_col.as_deref().map(col).transpose()?;
    m.sentiment = lc.is_some();
    let mut complaints = Binary::default();
    // Read ahead of scoring: the last record is the one an unclosed
    // quote runs into, and only after it is it known to be last.
    let records: Vec<_> = r.byte_records().collect();
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
                let line = line_at.line(bytes, 0, e.position().map_or(0, |p| p.byte()));
                let why = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("{} where the header has {expected_len}", fields(*len)),
                    _ => e.to_string(),
                };
                m.skipped.push(format!("{name}:{line}: {why}"));
                continue;
            }
        };
        let line = line_at.line(bytes, 0, rec.position().map_or(0, |p| p.byte()));
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
    if let Some(open) = unclosed.filter(|_| records.is_empty()) {
        return Err(header_unclosed(open));
    }
    Ok(())
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
        let (Some(lang), Some(flag), Some(label), Some(post)) = (lang, flag, label, post) else {
            m.skipped.push(format!(
                "{name}:{n}: {} where the header has {}",
                fields(f.len() as u64),
                names.len()
            ));
            continue;
        };
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
    let mut out = io::stdout().lock();
    writeln!(out, "posts scored      {}", m.posts)?;
    if !m.ratings.is_empty() {
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

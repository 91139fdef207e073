//! `outcry score` and `outcry eval`: the scorer as a filter, and measured
//! against labelled posts.

use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use super::{display, Env, EXIT_OK, EXIT_PARTIAL};
use outcry::eval::{label_from_rating, pearson, Binary, Confusion};
use outcry::lang::Lang;
use outcry::pipeline::{Judged, Pipeline};
use outcry::sentiment::Label;
use outcry::sources::decode;
use outcry::sources::inputs::Input;

/// Lines scored per batch: enough to keep every thread busy, few enough
/// that output starts at once on a pipe.
const BATCH: usize = 4096;

pub struct ScoreArgs {
    pub input: PathBuf,
    /// Read JSON lines and score this field (dotted for nested objects).
    pub field: Option<String>,
    pub threads: usize,
}

#[derive(Serialize)]
struct ScoreLine<'a> {
    compound: f64,
    positive: f64,
    neutral: f64,
    negative: f64,
    label: &'static str,
    complaint: bool,
    complaint_score: f64,
    lang: &'static str,
    signals: &'a [String],
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The input's lines, whatever its compression: the same opener `import`
/// uses, so `score` reads `posts.txt.gz` as it reads `posts.txt`.
fn open(input: &Path) -> Result<Box<dyn BufRead>> {
    let source = if input.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(input.to_path_buf())
    };
    let (_, reader) =
        decode::open(&source).with_context(|| format!("cannot open {}", display(input)))?;
    Ok(reader)
}

/// The text to score on one input line, or why there is none.
fn text_of(line: &str, field: Option<&str>) -> Result<String, String> {
    let Some(field) = field else {
        return Ok(line.to_string());
    };
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let mut at = &value;
    for part in field.split('.') {
        at = at.get(part).ok_or_else(|| format!("no field {field:?}"))?;
    }
    at.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("field {field:?} is not a string"))
}

fn render(j: &Judged) -> String {
    let line = ScoreLine {
        compound: round(j.sentiment.compound),
        positive: round(j.sentiment.positive),
        neutral: round(j.sentiment.neutral),
        negative: round(j.sentiment.negative),
        label: j.sentiment.label.as_str(),
        complaint: j.complaint.complaint,
        complaint_score: round(j.complaint.score),
        lang: j.lang.code(),
        signals: &j.complaint.signals,
    };
    serde_json::to_string(&line).unwrap_or_default()
}

pub fn score(env: &Env, args: &ScoreArgs) -> Result<u8> {
    let pipeline = env.pipeline()?;
    let mut input = open(&args.input)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let threads = args.threads.max(1);
    let mut bad = 0u64;
    let mut line_no = 0u64;
    let mut batch: Vec<(u64, Result<String, String>)> = Vec::with_capacity(BATCH);
    let mut raw = Vec::new();
    loop {
        batch.clear();
        while batch.len() < BATCH {
            raw.clear();
            if input.read_until(b'\n', &mut raw)? == 0 {
                break;
            }
            line_no += 1;
            while raw.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                raw.pop();
            }
            let text = String::from_utf8(raw.clone())
                .map_err(|e| format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
                .and_then(|l| text_of(&l, args.field.as_deref()));
            batch.push((line_no, text));
        }
        if batch.is_empty() {
            break;
        }
        // Each thread scores a contiguous slice; joining in order keeps the
        // output in input order.
        let chunk = batch.len().div_ceil(threads);
        let rendered: Vec<Vec<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .chunks(chunk)
                .map(|part| s.spawn(|| score_part(&pipeline, part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for (line, (n, text)) in rendered.into_iter().flatten().zip(&batch) {
            if let Err(reason) = text {
                bad += 1;
                eprintln!("outcry: {}:{n}: {reason}", display(&args.input));
            }
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(if bad == 0 { EXIT_OK } else { EXIT_PARTIAL })
}

fn score_part(pipeline: &Pipeline, part: &[(u64, Result<String, String>)]) -> Vec<String> {
    part.iter()
        .map(|(n, text)| match text {
            Ok(t) => render(&pipeline.judge(t, &[], None)),
            Err(reason) => serde_json::json!({ "line": n, "error": reason }).to_string(),
        })
        .collect()
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
    spec.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| {
            let (value, label) = pair
                .split_once('=')
                .with_context(|| format!("label map entry {pair:?} is not VALUE=LABEL"))?;
            Ok((value.trim().to_string(), parse_label(label.trim())?))
        })
        .collect()
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

pub fn measure(pipeline: &Pipeline, args: &EvalArgs) -> Result<Measured> {
    let mut text = String::new();
    let mut file =
        File::open(&args.input).with_context(|| format!("cannot open {}", display(&args.input)))?;
    file.read_to_string(&mut text)
        .with_context(|| format!("{} is not UTF-8 text", display(&args.input)))?;
    let mut m = Measured::default();
    let name = display(&args.input);
    match args.format {
        EvalFormat::RatingTsv => {
            for (i, line) in text.lines().enumerate() {
                let mut f = line.splitn(3, '\t');
                let (Some(_), Some(rating), Some(post)) = (f.next(), f.next(), f.next()) else {
                    m.skipped
                        .push(format!("{name}:{}: fewer than three fields", i + 1));
                    continue;
                };
                let Ok(rating) = rating.trim().parse::<f64>() else {
                    m.skipped.push(format!(
                        "{name}:{}: rating {rating:?} is not a number",
                        i + 1
                    ));
                    continue;
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
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let headers = r.headers()?.clone();
            let col = |name: &str| {
                headers.iter().position(|h| h == name).with_context(|| {
                    format!("{name:?} is not a column of {}", display(&args.input))
                })
            };
            let (tc, lc) = (col(&args.text_col)?, col(&args.label_col)?);
            for (i, rec) in r.records().enumerate() {
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        m.skipped.push(format!("{name}: record {}: {e}", i + 1));
                        continue;
                    }
                };
                let (Some(post), Some(value)) = (rec.get(tc), rec.get(lc)) else {
                    continue;
                };
                let truth = match args.label_map.iter().find(|(v, _)| v == value) {
                    Some((_, l)) => *l,
                    None => match parse_label(value) {
                        Ok(l) => l,
                        Err(_) => {
                            m.skipped.push(format!(
                                "{name}: record {}: label {value:?} is not in the label map",
                                i + 1
                            ));
                            continue;
                        }
                    },
                };
                let j = pipeline.judge(post, &[], None);
                m.confusion.add(truth, j.sentiment.label);
            }
        }
        EvalFormat::ComplaintTsv => {
            let mut complaints = Binary::default();
            for (i, line) in text.lines().enumerate().skip(1) {
                let f: Vec<&str> = line.splitn(4, '\t').collect();
                let parsed = match f.as_slice() {
                    [lang, flag, label, post] => parse_label(label)
                        .ok()
                        .map(|l| (Lang::from_code(lang), *flag == "1", l, *post)),
                    _ => None,
                };
                let Some((lang, truth, label, post)) = parsed else {
                    m.skipped.push(format!(
                        "{name}:{}: not lang, complaint, sentiment, text",
                        i + 1
                    ));
                    continue;
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
    writeln!(out, "accuracy          {:.4}", m.confusion.accuracy())?;
    writeln!(out, "macro-F1          {:.4}", m.confusion.macro_f1())?;
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
}

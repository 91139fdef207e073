//! Scores the rated tweets in `../shared/eval/` (beside the checkout) and
//! prints Pearson's r against the mean human rating, the three-class
//! confusion matrix with macro-F1, and the scorer's speed.
//!
//! cargo run --release --example eval_vader [-- --worst 20] [--lang en]
//!     [--bench SECONDS] [--dump] [--embedded]
//!
//! The file is a development set, not part of the project: when it is
//! absent the example says so and exits successfully.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use outcry::eval::{label_from_rating, pearson, Confusion};
use outcry::lang::Lang;
use outcry::lexicons::Lexicons;
use outcry::sentiment::SentimentScorer;

/// A mean rating above this is positive, below its negative is negative.
const CLASS_THRESHOLD: f64 = 0.5;

struct Args {
    worst: usize,
    lang: Option<Lang>,
    bench_secs: f64,
    dump: bool,
    embedded: bool,
    explain: Vec<String>,
    passes: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        worst: 0,
        lang: None,
        bench_secs: 2.0,
        dump: false,
        embedded: false,
        explain: Vec::new(),
        passes: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--worst" => {
                args.worst = value("--worst")?
                    .parse()
                    .map_err(|e| format!("--worst: {e}"))?
            }
            "--lang" => {
                let code = value("--lang")?;
                args.lang = Some(Lang::from_code(&code).ok_or(format!("unknown language {code}"))?)
            }
            "--bench" => {
                args.bench_secs = value("--bench")?
                    .parse()
                    .map_err(|e| format!("--bench: {e}"))?
            }
            "--dump" => args.dump = true,
            "--embedded" => args.embedded = true,
            "--explain" => args.explain.push(value("--explain")?),
            "--passes" => {
                args.passes = value("--passes")?
                    .parse()
                    .map_err(|e| format!("--passes: {e}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            outcry::say!("eval_vader: {e}");
            return ExitCode::from(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !args.explain.is_empty() {
        let lexicons = if args.embedded {
            Lexicons::embedded()
        } else {
            Lexicons::from_dir(root.join("lexicons"))
        };
        let scorer = match SentimentScorer::new(&lexicons) {
            Ok(s) => s,
            Err(e) => {
                outcry::say!("eval_vader: {e}");
                return ExitCode::FAILURE;
            }
        };
        for text in &args.explain {
            print_explanation(&scorer, text, args.lang);
        }
        return ExitCode::SUCCESS;
    }
    let path = root.join("../shared/eval/vader_tweets_ground_truth.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "eval_vader: {} not found; nothing to evaluate (skipped)",
            path.display()
        );
        return ExitCode::SUCCESS;
    };
    let lexicons = if args.embedded {
        Lexicons::embedded()
    } else {
        Lexicons::from_dir(root.join("lexicons"))
    };
    let scorer = match SentimentScorer::new(&lexicons) {
        Ok(s) => s,
        Err(e) => {
            outcry::say!("eval_vader: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut rows: Vec<(String, f64, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut f = line.splitn(3, '\t');
        let (Some(id), Some(rating), Some(tweet)) = (f.next(), f.next(), f.next()) else {
            outcry::say!("eval_vader: line {} has fewer than three fields", i + 1);
            continue;
        };
        let Ok(rating) = rating.trim().parse::<f64>() else {
            outcry::say!("eval_vader: line {}: rating {rating:?}", i + 1);
            continue;
        };
        let decoded = html_escape::decode_html_entities(tweet).into_owned();
        rows.push((id.to_string(), rating, decoded));
    }

    let mut compounds = Vec::with_capacity(rows.len());
    let mut ratings = Vec::with_capacity(rows.len());
    let mut confusion = Confusion::new();
    for (id, rating, tweet) in &rows {
        let s = scorer.score(tweet, args.lang);
        compounds.push(s.compound);
        ratings.push(*rating);
        confusion.add(label_from_rating(*rating, CLASS_THRESHOLD), s.label);
        if args.dump {
            let ex = scorer.score_explained(tweet, args.lang);
            let total = ex.sum + ex.emphasis * ex.sum.signum();
            let terms: Vec<String> = ex
                .terms
                .iter()
                .map(|t| format!("{}={:.2}", t.text, t.adjusted))
                .collect();
            println!(
                "{id}\t{rating:.3}\t{:.4}\t{total:.4}\t{tweet}\t{}",
                s.compound,
                terms.join(" \u{241e} ")
            );
        }
    }
    if args.dump {
        return ExitCode::SUCCESS;
    }

    println!("posts: {}", rows.len());
    for size in scorer.sizes() {
        println!(
            "lexicon {}: {} valence terms, {} modifiers, {} stems",
            size.lang.code(),
            size.valence_terms,
            size.modifier_terms,
            size.stems
        );
    }
    println!("emoji and emoticons: {}", scorer.symbol_count());
    match pearson(&compounds, &ratings) {
        Some(r) => println!("pearson r (compound vs mean rating): {r:.4}"),
        None => println!("pearson r: undefined"),
    }
    print!("{}", confusion.render());

    if args.worst > 0 {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let err = |i: usize| (compounds[i] - ratings[i] / 4.0).abs();
        order.sort_by(|&a, &b| err(b).total_cmp(&err(a)));
        println!("\nworst {} (rating/4 vs compound):", args.worst);
        for &i in order.iter().take(args.worst) {
            let (id, rating, tweet) = &rows[i];
            let ex = scorer.score_explained(tweet, args.lang);
            println!(
                "#{id} rating {rating:+.2} compound {:+.3}  {tweet}",
                compounds[i]
            );
            for t in &ex.terms {
                let rules: Vec<String> = t.rules.iter().map(|r| r.to_string()).collect();
                println!(
                    "    {:?} {:+.2} -> {:+.2} {}",
                    t.text,
                    t.base,
                    t.adjusted,
                    rules.join(", ")
                );
            }
        }
    }

    // A fixed amount of work, for instruction-count profilers.
    if args.passes > 0 {
        let mut checksum = 0.0;
        for _ in 0..args.passes {
            for r in &rows {
                checksum += scorer.score(&r.2, args.lang).compound;
            }
        }
        println!(
            "scored {} posts (checksum {checksum:.1})",
            args.passes * rows.len()
        );
        return ExitCode::SUCCESS;
    }
    if args.bench_secs > 0.0 {
        let texts: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        for (what, lang) in [
            ("language given", Some(Lang::En)),
            ("language detected", None),
        ] {
            let start = Instant::now();
            let cpu_start = thread_cpu_seconds();
            let mut scored = 0usize;
            let mut checksum = 0.0;
            while start.elapsed().as_secs_f64() < args.bench_secs {
                for t in &texts {
                    checksum += scorer.score(t, lang).compound;
                }
                scored += texts.len();
            }
            let secs = start.elapsed().as_secs_f64();
            let cpu = match (cpu_start, thread_cpu_seconds()) {
                (Some(a), Some(b)) if b > a => {
                    format!(", {:.0} posts per CPU-second", scored as f64 / (b - a))
                }
                _ => String::new(),
            };
            println!(
                "speed ({what}): {:.0} posts/s wall{cpu}, {:.1} MB/s, one thread (checksum {checksum:.1})",
                scored as f64 / secs,
                (scored / texts.len().max(1)) as f64 * bytes as f64 / secs / 1e6
            );
        }
    }
    ExitCode::SUCCESS
}

fn print_explanation(scorer: &SentimentScorer, text: &str, lang: Option<Lang>) {
    let ex = scorer.score_explained(text, lang);
    println!(
        "compound {:+.3} ({}, {}{})  {text}",
        ex.sentiment.compound,
        ex.sentiment.label.as_str(),
        ex.lang.code(),
        if ex.detected { " detected" } else { "" }
    );
    for t in &ex.terms {
        let rules: Vec<String> = t.rules.iter().map(|r| r.to_string()).collect();
        let role = t.modifier.map(|m| format!(" [{m:?}]")).unwrap_or_default();
        println!(
            "    {:?}{role} {:+.2} -> {:+.2} {}",
            t.text,
            t.base,
            t.adjusted,
            rules.join(", ")
        );
    }
    println!("    sum {:+.2}, emphasis {:.2}", ex.sum, ex.emphasis);
}

/// CPU time of this thread (Linux), so that a busy machine does not make the
/// scorer look slower than it is.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line, in clock ticks (100 per second
    // on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

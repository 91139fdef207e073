//! Per-post cost of the stages import runs (issue 7): parsing a v1.1 line,
//! tagging it (what every post pays), scoring it (what the ~1 % that
//! mention a topic pay), and judging it whole as `outcry score` does
//! (issue 4). Lines come from the `load` scenario, so they are as heavy as
//! the real stream's.
//!
//! Beside them, `lexicon_floor`: about the least a word-lexicon scorer does
//! for a post (split it at spaces, lowercase each word's letters, look it
//! up once in the English lexicon, add up what it finds; emoji and
//! emoticons are not even looked at). `judge` over `lexicon_floor` is how
//! many times that minimum outcry's whole judgement costs: what a rework of
//! the rules could at best win on the judging part of `outcry score`
//! (issue 4's speed target), not on reading lines or writing the output.
//!
//! `cargo bench --bench stages` (a couple of minutes; short measurements).

use std::collections::HashMap;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use outcry::lang::Lang;
use outcry::lexicons::Lexicons;
use outcry::pipeline::Pipeline;
use outcry::post::Post;
use outcry::sources::{twitter_v1, LineOutcome};
use xxhash_rust::xxh3::Xxh3Builder;

/// The English lexicon's single words and their valences.
fn words_of_lexicon() -> HashMap<Box<str>, f32, Xxh3Builder> {
    let text = Lexicons::default()
        .read("sentiment/en.tsv")
        .expect("lexicon");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (term, valence) = l.split_once('\t')?;
            let valence = valence.split('\t').next()?.trim().parse().ok()?;
            (!term.contains(' ')).then(|| (term.into(), valence))
        })
        .collect()
}

/// The floor: one lookup per lowercased word, the sum squashed as VADER's
/// compound is. No rules, no stemming, no language, no complaint.
fn floor_score(text: &str, words: &HashMap<Box<str>, f32, Xxh3Builder>, word: &mut String) -> f64 {
    let mut sum = 0.0f64;
    for chunk in text.split_ascii_whitespace() {
        word.clear();
        let kept = |c: char| c.is_alphanumeric() || c == '\'';
        if chunk.is_ascii() {
            word.extend(
                chunk
                    .chars()
                    .filter(|&c| kept(c))
                    .map(|c| c.to_ascii_lowercase()),
            );
        } else {
            word.extend(
                chunk
                    .chars()
                    .filter(|&c| kept(c))
                    .flat_map(char::to_lowercase),
            );
        }
        if let Some(&v) = words.get(word.as_str()) {
            sum += f64::from(v);
        }
    }
    sum / (sum * sum + 15.0).sqrt()
}

fn sample() -> (Vec<Vec<u8>>, Vec<Post>) {
    let mut body = Vec::new();
    outcry::synth::load::write(5, 2_000, &mut body).expect("synth");
    let lines: Vec<Vec<u8>> = body
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    let posts = lines
        .iter()
        .filter_map(|l| match twitter_v1::parse_line(l) {
            LineOutcome::Post(p) => Some(*p),
            _ => None,
        })
        .collect();
    (lines, posts)
}

fn stages(c: &mut Criterion) {
    let (lines, posts) = sample();
    let pipeline = Pipeline::new(&Lexicons::default()).expect("lexicons");
    let bytes: usize = lines.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("per_2000_posts");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parse", |b| {
        b.iter_batched(
            || (),
            |()| {
                lines
                    .iter()
                    .map(|l| twitter_v1::parse_line(l))
                    .filter(|o| matches!(o, LineOutcome::Post(_)))
                    .count()
            },
            BatchSize::SmallInput,
        )
    });
    group.throughput(Throughput::Elements(posts.len() as u64));
    // For the 99 % that mention no topic, analysing is tagging alone.
    group.bench_function("tag", |b| {
        b.iter(|| {
            posts
                .iter()
                .filter(|p| pipeline.analyse(p).is_some())
                .count()
        })
    });
    group.bench_function("score", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| {
                    let lang = p.lang.as_deref().and_then(Lang::from_code);
                    pipeline.scorer.score(&p.text, lang).compound
                })
                .sum::<f64>()
        })
    });
    // What `outcry score` does for each line: detect, score, tag, judge.
    group.bench_function("judge", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| pipeline.judge(&p.text, &[], None).complaint.score)
                .sum::<f64>()
        })
    });
    let words = words_of_lexicon();
    assert!(words.len() > 1_000, "the English lexicon has its words");
    let mut word = String::new();
    group.bench_function("lexicon_floor", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| floor_score(&p.text, &words, &mut word))
                .sum::<f64>()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

//! The sentiment scorer on any text, in each language: it must return, with
//! a compound score in [-1, 1].
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use outcry::lang::Lang;
use outcry::lexicons::Lexicons;
use outcry::sentiment::SentimentScorer;

fn scorer() -> &'static SentimentScorer {
    static SCORER: OnceLock<SentimentScorer> = OnceLock::new();
    SCORER.get_or_init(|| SentimentScorer::new(&Lexicons::embedded()).expect("embedded lexicons"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let lang = [
        None,
        Some(Lang::En),
        Some(Lang::Es),
        Some(Lang::Pt),
        Some(Lang::Fr),
    ][pick as usize % 5];
    let s = scorer().score(&text, lang);
    assert!(
        (-1.0..=1.0).contains(&s.compound),
        "compound {}",
        s.compound
    );
    let _ = scorer().score_explained(&text, lang);
});

//! The topic and outage-phrase tagger on any text and hashtags.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use outcry::lang::Lang;
use outcry::lexicons::Lexicons;
use outcry::tag::Tagger;

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| Tagger::new(&Lexicons::embedded()).expect("embedded lexicons"))
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
    let hashtags: Vec<String> = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('#'))
        .map(str::to_string)
        .collect();
    let tags = tagger().tag(&text, &hashtags, lang);
    assert!(tags.topics.windows(2).all(|w| w[0] < w[1]));
    let _ = tagger().explain(&text, &hashtags, lang);
});

//! The memo (chunks tokenized once, lookups made once) and the fused
//! detect-and-score against the plain tokenizer and the plain path, on any
//! text: every score and every guess must be exactly the same.

use proptest::prelude::*;

use super::memo::Memo;
use super::tokens::{self, Tokens};
use super::*;

/// Pieces that exercise the tokenizer, the lookups and the language guess.
const PIECES: &[&str] = &[
    "good",
    "GOOD",
    "goooood",
    "bad",
    "not",
    "very",
    "but",
    "although",
    "don't",
    "dont",
    "I'll",
    "it's",
    "can't",
    "n'est",
    "j'adore",
    "l'appli",
    "qu'il",
    "aujourd'hui",
    "não",
    "nao",
    "péssimo",
    "muy",
    "bueno",
    "pero",
    "está",
    "c'est",
    "très",
    "bien",
    "mal",
    "love",
    "hate",
    "the",
    "que",
    "el",
    "de",
    "la",
    "é",
    "ñ",
    "ça",
    "hahaha",
    "jajaja",
    "kkkkk",
    "rsrsrs",
    "lol",
    ":)",
    ":-(",
    ":(((",
    "xD",
    "XD",
    "<3",
    "<333",
    "D:",
    ";)",
    ":P",
    "=)",
    "T_T",
    "-_-",
    "^^",
    ":')",
    "great:)",
    "(:",
    "😭",
    "❤️",
    "❤",
    "👍🏽",
    "😂😂",
    "!",
    "!!",
    "!!!",
    "?",
    "?!",
    "...",
    "…",
    ",",
    ";",
    "¿",
    "¡",
    "‼",
    "⁉",
    ".",
    "-",
    "'",
    "’",
    "`",
    "@netflix",
    "#fail",
    "#NotGood",
    "http://t.co/x",
    "www.x.com",
    "u.s.",
    "3.5",
    "well-made",
    "\u{a0}",
    "\u{3000}",
    "\u{85}",
    "\u{1}",
    "\u{7f}",
    "\u{200b}",
    "\u{feff}",
    "cafe\u{301}",
    "İ",
    "ß",
    "ǅ",
    "this_is_a_very_long_chunk_without_any_spaces_at_all!!",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(
            (
                prop::sample::select(PIECES),
                prop::sample::select(&["", " ", " ", " ", "  ", "\t", "\n"][..]),
            ),
            0..20
        )
        .prop_map(|parts| parts
            .into_iter()
            .map(|(p, sep)| format!("{p}{sep}"))
            .collect()),
        any::<String>(),
        "[ -~]{0,60}",
    ]
}

/// The scoring path as it was: the text tokenized in one go, every lookup
/// made afresh.
fn reference(scorer: &SentimentScorer, text: &str, lang: Option<Lang>) -> (Lang, Sentiment) {
    let lex = &scorer.lex;
    let (mut toks, mut tmp, mut units, mut vals) =
        (Tokens::default(), String::new(), Vec::new(), Vec::new());
    let mut memo = Memo::default();
    tokens::tokenize(text, &lex.symbols, lang.unwrap_or(Lang::En), &mut toks);
    let used = match lang {
        Some(given) => {
            rules::resolve(lex, given, &toks, &mut tmp, &mut memo, &mut units, None);
            given
        }
        None => {
            let evidence = read_english(lex, &toks, &mut tmp, &mut memo, &mut units);
            let guess = lexical_fallback(scorer, &toks, detect::decide(&evidence), &evidence);
            if guess != Lang::En {
                tokens::tokenize(text, &lex.symbols, guess, &mut toks);
                rules::resolve(lex, guess, &toks, &mut tmp, &mut memo, &mut units, None);
            }
            guess
        }
    };
    let totals = rules::apply(&units, &toks.stats, &mut vals, None);
    (used, Sentiment::from_totals(&totals))
}

/// `guess`, or for a post English knows nothing of (by `evidence` and
/// the English reading of `toks`), the language whose lexicon knows it,
/// each language read afresh.
fn lexical_fallback(
    scorer: &SentimentScorer,
    toks: &Tokens,
    guess: Lang,
    evidence: &[f32; 4],
) -> Lang {
    let lex = &scorer.lex;
    let (mut tmp, mut units, mut memo) = (String::new(), Vec::new(), Memo::default());
    let mut read = |lang: Lang| {
        rules::resolve(lex, lang, toks, &mut tmp, &mut memo, &mut units, None);
        let known = if lang == Lang::En {
            known_words(&units)
        } else {
            words_as_written(&units)
        };
        (lang, known, felt(&units))
    };
    if guess != Lang::En || evidence[Lang::En.index()] != 0.0 || read(Lang::En).1 != 0 {
        return guess;
    }
    let found = [read(Lang::Es), read(Lang::Pt), read(Lang::Fr)];
    lexical_pick(&found)
}

/// The language `detect_and_score` should find: `detect_language`'s, or
/// the lexicon's for a post English knows nothing of, judged on the split
/// with the emoticon table as the scorer reads it.
fn expected_language(scorer: &SentimentScorer, text: &str) -> Lang {
    let lex = &scorer.lex;
    let mut toks = Tokens::default();
    tokens::tokenize(text, &lex.symbols, Lang::En, &mut toks);
    let (mut tmp, mut units, mut memo) = (String::new(), Vec::new(), Memo::default());
    let evidence = read_english(lex, &toks, &mut tmp, &mut memo, &mut units);
    lexical_fallback(scorer, &toks, detect_language(text), &evidence)
}

/// Reads `toks` as English into `units`, and returns the language
/// evidence: the token cues and the common words' votes.
fn read_english(
    lex: &Lexicon,
    toks: &Tokens,
    tmp: &mut String,
    memo: &mut Memo,
    units: &mut Vec<rules::Unit>,
) -> [f32; 4] {
    let mut evidence = toks.stats.cues;
    rules::resolve(lex, Lang::En, toks, tmp, memo, units, Some(&mut evidence));
    evidence
}

fn same_tokens(a: &Tokens, b: &Tokens) -> bool {
    let toks = |t: &Tokens| -> Vec<(usize, usize, bool, u8, u8)> {
        t.toks
            .iter()
            .map(|x| (x.start, x.end, x.kind == tokens::Kind::Word, x.flags, x.brk))
            .collect()
    };
    let s = |t: &Tokens| {
        let st = t.stats;
        (
            st.exclaims,
            st.questions,
            st.caps_words,
            st.other_words,
            st.cues.map(f32::to_bits),
            st.apostrophes,
            st.symbol_table,
        )
    };
    a.buf == b.buf && toks(a) == toks(b) && s(a) == s(b)
}

fn check(scorer: &SentimentScorer, text: &str) -> Result<(), TestCaseError> {
    let lex = &scorer.lex;
    for lang in Lang::ALL {
        let (mut want, mut got) = (Tokens::default(), Tokens::default());
        tokens::tokenize(text, &lex.symbols, lang, &mut want);
        scorer.with_scratch(|s| {
            s.memo.claim(scorer.id);
            s.memo.tokenize(text, &lex.symbols, lang, &mut got);
        });
        prop_assert!(same_tokens(&want, &got), "{:?} in {:?}", text, lang);
        prop_assert_eq!(
            scorer.score(text, Some(lang)),
            reference(scorer, text, Some(lang)).1,
            "{:?} in {:?}",
            text,
            lang
        );
    }
    prop_assert_eq!(scorer.score(text, None), reference(scorer, text, None).1);
    let lang = detect_language(text);
    // The split without emoticons, and the guess made on it from memory
    // (here often before any English lookup was remembered).
    let (mut want, mut got) = (Tokens::default(), Tokens::default());
    tokens::tokenize(text, &lexicon::Symbols::default(), Lang::En, &mut want);
    let guess = scorer.with_scratch(|s| {
        s.memo.claim(scorer.id);
        s.memo.tokenize_plain(text, &lex.symbols, &mut got);
        detect::detect_remembered(lex.table(Lang::En), &got, &s.memo)
    });
    prop_assert!(same_tokens(&want, &got), "{:?} plain", text);
    prop_assert_eq!(guess, lang, "{:?}", text);
    let lang = expected_language(scorer, text);
    prop_assert_eq!(
        scorer.detect_and_score(text),
        (lang, reference(scorer, text, Some(lang)).1),
        "{:?}",
        text
    );
    Ok(())
}

fn embedded() -> &'static SentimentScorer {
    static SCORER: std::sync::OnceLock<SentimentScorer> = std::sync::OnceLock::new();
    SCORER.get_or_init(|| {
        SentimentScorer::new(&crate::lexicons::Lexicons::embedded()).expect("built-in lexicons")
    })
}

#[test]
fn the_check_set_scores_as_before() {
    let scorer = embedded();
    let posts = include_str!("../../tests/fixtures/checkset/posts.tsv");
    // Three times: a chunk is numbered when seen again, and read from
    // memory the time after.
    for _ in 0..3 {
        for line in posts.lines() {
            let text = line.splitn(4, '\t').nth(3).unwrap_or(line);
            check(scorer, text).unwrap();
        }
    }
    for piece in PIECES {
        check(scorer, piece).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_scores_as_before(texts in prop::collection::vec(text_strategy(), 1..4)) {
        let scorer = embedded();
        for text in &texts {
            check(scorer, text)?;
        }
        for _ in 0..2 {
            for text in &texts {
                check(scorer, text)?;
            }
        }
    }
}

#[test]
fn scores_survive_the_numbering_starting_afresh() {
    let scorer = embedded();
    let texts = [
        "I don't love it :( but it's GOOD!!",
        "no funciona, muy malo",
        "j'adore pas ça... vraiment nul",
    ];
    // Three times: each chunk is then numbered and remembered.
    for _ in 0..3 {
        for text in texts {
            check(scorer, text).unwrap();
        }
    }
    // Repeated chunks until the numbering starts afresh, and no further:
    // the texts' chunks (numbered at once, having been seen before) then
    // take numbers whose old memory belonged to other chunks, which must
    // have been forgotten.
    let mut spans = Vec::new();
    let before = crate::tag::intern::split("", &mut spans);
    let mut i = 0u32;
    while crate::tag::intern::split(&format!("w{i} w{i}"), &mut spans) == before {
        i += 1;
    }
    for text in texts.iter().rev().chain(&texts) {
        check(scorer, text).unwrap();
    }
}

/// Portuguese posts with an emoticon (so the language guess splits them a
/// second time, without the emoticon table) whose chunks split into many
/// tokens and recur on the next line, so that the memory fills: some post
/// crosses its limit on its first split and makes it start afresh on the
/// second, after its tokens were numbered in the memory that was forgotten.
#[test]
fn scores_survive_the_memory_starting_afresh_between_splits() {
    let scorer = embedded();
    let words = [
        "péssimo", "bom", "ruim", "lindo", "triste", "adorei", "odeio", "chato",
    ];
    let emoticons = [":)", ":(", ":D", "<3", ";)"];
    let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
    // Ten short words joined by ';': one chunk of 29 bytes, 19 tokens.
    let chunk = |k: usize| {
        let mut parts = vec![format!("{}{}", letter(k), letter(k / 26))];
        parts.extend((1..3).map(|j| format!("{}{}", letter(k / 676), letter(j))));
        parts.extend((0..7).map(|j| format!("q{}", letter(j))));
        parts.join(";")
    };
    // About ten tokens a post are remembered: the memory's 65,536 fill at
    // post 6,554.
    for k in 1..7_000 {
        let text = format!(
            "{} {} que {} {} {}",
            words[k % 8],
            words[(k / 8) % 8],
            emoticons[k % 5],
            chunk(k),
            chunk(k - 1)
        );
        let lang = expected_language(scorer, &text);
        assert_eq!(
            scorer.detect_and_score(&text),
            (lang, reference(scorer, &text, Some(lang)).1),
            "post {k}: {text}"
        );
    }
}

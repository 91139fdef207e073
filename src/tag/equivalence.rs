//! The fast tokenizer and the cached streams against the plain versions in
//! `reference.rs`: for any text, every stream must come out byte for byte
//! the same, whatever was lexed before on the same thread.

use proptest::prelude::*;

use super::lex::{lex, Token};
use super::reference;
use super::scratch::with_scratch;
use super::stream::Normalizer;
use super::topics::MentionBits;
use crate::lang::Lang;

/// Pieces that exercise every branch of the lexer and the normalisers.
const PIECES: &[&str] = &[
    "netflix",
    "Netflix's",
    "NETFLIX",
    "is",
    "down",
    "won't",
    "wont",
    "CRASHING",
    "crashed",
    "não",
    "funciona",
    "l’appli",
    "l'appli",
    "n'marche",
    "qu'il",
    "café",
    "cafe\u{301}",
    "ça",
    "œuvre",
    "Straße",
    "İstanbul",
    "ǅ",
    "Σίσυφος",
    "caído",
    "#NetflixDown",
    "#Netflix_Caído",
    "#_",
    "##",
    "#",
    "@",
    "＃Netflix",
    "＠Hulu",
    "@netflixhelps",
    "me@netflix.com",
    "C#",
    "x#y",
    "_",
    "__init__",
    "a_b",
    "http://t.co/AbErrOr",
    "https://x.y/z?q=1",
    "www.netflix.com",
    "pic.twitter.com/xyz",
    "hwww.",
    "!",
    "?",
    "!!!",
    "?!",
    ".",
    "...",
    "…",
    ",",
    ";",
    "|",
    "•",
    "。",
    "！",
    "？",
    "，",
    "¿",
    "¡",
    "\n",
    "\r\n",
    "\t",
    " ",
    "  ",
    "'",
    "`",
    "’",
    "‘",
    "ʼ",
    "´",
    "′",
    "'s",
    "fans'",
    "'cause",
    ":)",
    ":-(",
    "xD",
    "<3",
    ":(((",
    "😭",
    "❤️",
    "👍🏽",
    "404",
    "nw-2-5",
    "3.5",
    "2h",
    "\u{0}",
    "\u{85}",
    "\u{a0}",
    "\u{200b}",
    "\u{feff}",
    "\u{300}",
    "\u{1f1fa}\u{1f1f8}",
    "ﬁ",
    "Ⅻ",
    "١٢٣",
    "日本語",
    "x'",
    "'x",
    "a''b",
    "a'b'c",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(
            (
                prop::sample::select(PIECES),
                prop::sample::select(&["", " ", " ", "  ", "\t"][..])
            ),
            0..24
        )
        .prop_map(|parts| parts
            .into_iter()
            .map(|(p, sep)| format!("{p}{sep}"))
            .collect()),
        any::<String>(),
        "[ -~]{0,80}",
    ]
}

fn lexed(
    text: &str,
    f: fn(&str, &mut String, &mut Vec<Token>),
) -> (String, Vec<(u8, usize, usize)>) {
    let (mut lower, mut tokens) = (String::new(), Vec::new());
    f(text, &mut lower, &mut tokens);
    let tokens = tokens
        .iter()
        .map(|t| (t.kind as u8, t.start, t.end))
        .collect();
    (lower, tokens)
}

fn reference_stream(text: &str, n: &reference::Normalizer) -> (String, Vec<(usize, usize)>) {
    let (mut lower, mut tokens, mut out, mut word, mut tags) = (
        String::new(),
        Vec::new(),
        String::new(),
        String::new(),
        Vec::new(),
    );
    reference::lex(text, &mut lower, &mut tokens);
    n.write(&lower, &tokens, &mut out, &mut word, Some(&mut tags));
    (out, tags)
}

/// `stream` with every token no stem of `phrase_stems` can be replaced by
/// one mark: its stem, written by the reference, and the word itself,
/// written unstemmed, both become the mark.
fn phrase_relevant(stream: &str, phrase_stems: &super::stems::StemPrefixes) -> String {
    stream
        .split(' ')
        .map(|t| {
            if t.is_empty() || phrase_stems.may_stem_into(t) {
                t
            } else {
                "\u{b7}"
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

struct Styles {
    new: Vec<Normalizer>,
    old: Vec<reference::Normalizer>,
}

fn styles() -> Styles {
    let mut new = vec![Normalizer::plain()];
    let mut old = vec![reference::Normalizer::plain()];
    for lang in Lang::ALL {
        new.push(Normalizer::stemmed(lang));
        old.push(reference::Normalizer::stemmed(lang));
    }
    Styles { new, old }
}

fn check(text: &str, styles: &Styles) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        lexed(text, lex),
        lexed(text, reference::lex),
        "lexing {:?}",
        text
    );
    for (new, old) in styles.new.iter().zip(&styles.old) {
        let (want, want_tags) = reference_stream(text, old);
        let (got, got_tags, phrase_stems) = with_scratch(|s| {
            s.set_text(text);
            let i = s.stream_of(new);
            (
                s.streams[i].clone(),
                s.plain_tags.clone(),
                s.phrase_stems(i),
            )
        });
        // A word whose stem no phrase can hold is written unstemmed: the
        // streams must agree on every token a phrase could hold.
        let (got, relevant) = match phrase_stems {
            Some(p) => (phrase_relevant(&got, &p), phrase_relevant(&want, &p)),
            None => (got, want.clone()),
        };
        prop_assert_eq!(&got, &relevant, "{:?} in {:?}", text, new.style());
        if new.style() == super::stream::Style::Plain {
            prop_assert_eq!(got_tags, want_tags);
        }
        // Uncached, as lexicon entries are written.
        let (mut lower, mut tokens, mut out, mut word) =
            (String::new(), Vec::new(), String::new(), String::new());
        lex(text, &mut lower, &mut tokens);
        new.write(&lower, &tokens, &mut out, &mut word, None);
        prop_assert_eq!(&out, &want);
    }
    Ok(())
}

#[test]
fn the_check_set_streams_as_before() {
    let styles = styles();
    let posts = include_str!("../../tests/fixtures/checkset/posts.tsv");
    // Three times: a chunk is numbered when seen again, and read from
    // memory the time after.
    for _ in 0..3 {
        for line in posts.lines() {
            let text = line.splitn(4, '\t').nth(3).unwrap_or(line);
            check(text, &styles).unwrap();
        }
    }
    for piece in PIECES {
        check(piece, &styles).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_streams_as_before(texts in prop::collection::vec(text_strategy(), 1..4)) {
        let styles = styles();
        for text in &texts {
            check(text, &styles)?;
        }
        // The same text again, and again after another: served from what
        // the scratch remembers.
        for _ in 0..2 {
            for text in &texts {
                check(text, &styles)?;
            }
        }
    }
}

fn tagger() -> &'static super::Tagger {
    static TAGGER: std::sync::OnceLock<super::Tagger> = std::sync::OnceLock::new();
    TAGGER.get_or_init(super::tests::embedded)
}

/// Names, handles and hashtags of the shipped topics among other pieces.
const TOPICAL: &[&str] = &[
    "netflix",
    "Netflix's",
    "NETFLIX!!",
    "@netflix",
    "@NetflixHelps",
    "#netflix",
    "#NetflixDown",
    "#netflixcaido",
    "#ChristmasIsRuined",
    "hulu",
    "hulu plus",
    "HBO",
    "hbo go",
    "prime",
    "video",
    "Amazon",
    "instant",
    "you",
    "tube",
    "youtube",
    "#youtube_down",
    "down",
    "caído",
    "is",
    "not",
    "working",
    "@hulu_support",
    "x#netflix",
];

/// Up to 16 of `words`, each followed by one of `separators`.
fn joined(
    words: Vec<&'static str>,
    separators: &'static [&'static str],
) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(words),
            prop::sample::select(separators),
        ),
        0..16,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, sep)| format!("{p}{sep}"))
            .collect()
    })
}

fn topical_strategy() -> impl Strategy<Value = String> {
    joined(
        [TOPICAL, PIECES].concat(),
        &["", " ", " ", "  ", "\t", "\n"],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The topic pass is skipped when `may_mention` says no: it must never
    /// say no where the pass would find anything.
    #[test]
    fn skipping_the_topic_pass_loses_nothing(texts in prop::collection::vec(topical_strategy(), 1..4)) {
        let tagger = tagger();
        // Twice: chunks seen once are unnumbered, and their plain part is
        // written on the spot; then they are numbered and remembered.
        for text in texts.iter().chain(&texts) {
            with_scratch(|s| {
                s.set_text(text);
                let mut found = super::Found::default();
                let mut hits = Vec::new();
                tagger.topic_pass(s, &[], &mut found, &mut Some(&mut hits));
                let may = s.may_mention(&tagger.plain, &tagger.topics);
                prop_assert!(may || hits.is_empty(), "{:?}: {:?}", text, hits);
                Ok(())
            })?;
        }
    }
}

/// Only a pattern's first token opens a mention: the outage words that may
/// follow a name ("is", "s", "down") do not send a post to the topic pass.
#[test]
fn only_first_tokens_may_open_a_mention() {
    let topics = &tagger().topics;
    let alone = |token: &str| MentionBits::may_mention(topics.mention_bits(token));
    for token in [
        "netflix",
        "hbo",
        "@netflixhelps",
        "#netflixcaido",
        "#huluplus",
    ] {
        assert!(alone(token), "{token}");
    }
    // "prime", "amazon" and "you" open only patterns of several words.
    for token in [
        "down", "is", "s", "again", "go", "video", "crashed", "#down", "prime", "amazon", "you",
        "tube",
    ] {
        assert!(!alone(token), "{token}");
    }
    for (text, may) in [
        ("it is down again", false),
        ("it's down, it crashed", false),
        ("Netflix's down", true),
        ("hbo go is down", true),
        ("you and me", false),
        ("you tube is down", true),
        // Presence, not order, is what is told: the pass then finds nothing.
        ("tube? you!", true),
        ("prime time", false),
        ("Prime Video won't load", true),
        ("amazon is great", false),
        ("amazon prime", true),
    ] {
        let said = with_scratch(|s| {
            s.set_text(text);
            s.may_mention(&tagger().plain, topics)
        });
        assert_eq!(said, may, "{text}");
    }
}

/// Chunks seen once so far are judged by their tokens like the others, not
/// taken to mention a topic for want of a number.
#[test]
fn unnumbered_chunks_may_mention_only_by_their_tokens() {
    let tagger = tagger();
    let may = |text: &str| {
        with_scratch(|s| {
            s.set_text(text);
            s.may_mention(&tagger.plain, &tagger.topics)
        })
    };
    // Made up on the spot, so never seen before on this thread.
    assert!(!may("zqxunseen1!! wqyunseen2? #qqyunseen3"));
    assert!(may("zqxunseen4 Netflix's!!"));
    assert!(may("zqxunseen5 (@NetflixHelps)"));
    assert!(may("zqxunseen6 #NetflixDown"));
    // Too long to ever be numbered.
    let long = format!("{}.netflix", "x".repeat(40));
    assert!(may(&long));
    assert!(!may(&"y".repeat(40)));
}

#[test]
fn streams_survive_the_numbering_starting_afresh() {
    let styles = styles();
    let texts = [
        "Netflix's DOWN!!! #fail",
        "no funciona :( @netflixhelps",
        "l'appli ne marche pas. encore",
    ];
    // Three times: each chunk is then numbered and remembered.
    for _ in 0..3 {
        for text in texts {
            check(text, &styles).unwrap();
        }
    }
    // Repeated chunks until the numbering starts afresh, and no further:
    // the texts' chunks (numbered at once, having been seen before) then
    // take numbers whose old memory belonged to other chunks, which must
    // have been forgotten.
    let mut spans = Vec::new();
    let before = super::intern::split("", &mut spans);
    let mut i = 0u32;
    while super::intern::split(&format!("w{i} w{i}"), &mut spans) == before {
        i += 1;
    }
    for text in texts.iter().rev().chain(&texts) {
        check(text, &styles).unwrap();
    }
}

/// Phrases of the shipped lists, and words near them, in four languages.
const PHRASAL: &[&str] = &[
    "is down",
    "not working",
    "won't load",
    "keeps crashing",
    "error",
    "refund",
    "customer service",
    "thanks",
    "love",
    "great job",
    "why",
    "no funciona",
    "se cayó",
    "ne marche pas",
    "en panne",
    "fora do ar",
    "não carrega",
    "lol",
    "still",
    "again",
];

fn phrasal_strategy() -> impl Strategy<Value = String> {
    joined(
        [PHRASAL, PHRASAL, PIECES].concat(),
        &[" ", " ", "", "\n", "? "],
    )
}

/// Every shipped complaint list, in every language.
fn phrase_sets() -> &'static [super::PhraseSet] {
    static SETS: std::sync::OnceLock<Vec<super::PhraseSet>> = std::sync::OnceLock::new();
    SETS.get_or_init(|| {
        let lexicons = crate::lexicons::Lexicons::embedded();
        let mut sets = Vec::new();
        for name in [
            "complaint/{}.tsv",
            "complaint/tone-{}.tsv",
            "complaint/service-{}.tsv",
        ] {
            for &lang in Lang::ALL.iter() {
                let file = name.replace("{}", lang.code());
                match super::PhraseSet::load(&lexicons, &file, lang) {
                    Ok(set) => sets.push(set),
                    Err(e) => panic!("{file}: {e}"),
                }
            }
        }
        sets
    })
}

/// What `set`'s own automaton finds in `text`: the search before lists
/// shared one automaton.
fn found_alone(set: &super::PhraseSet, text: &str) -> Vec<usize> {
    let Some(ac) = set
        .matcher
        .automaton
        .as_ref()
        .and_then(super::load::Lazy::get)
    else {
        return Vec::new();
    };
    let stream = with_scratch(|s| {
        s.set_text(text);
        let i = s.stream_of(&set.matcher.normalizer);
        s.streams[i].clone()
    });
    let mut found: Vec<usize> = Vec::new();
    ac.for_each_match(&stream, |p| found.push(p));
    found.sort_unstable();
    found.dedup();
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Each list reads out of the one search per style exactly what its
    /// own automaton finds; the tagger's outage flag is the one `explain`
    /// finds list by list.
    #[test]
    fn the_shared_search_finds_what_each_list_finds(
        texts in prop::collection::vec(phrasal_strategy(), 1..4),
    ) {
        let tagger = tagger();
        for text in texts.iter().chain(&texts) {
            for set in phrase_sets() {
                let mut fast = vec![usize::MAX];
                set.find(text, &mut fast);
                let slow = found_alone(set, text);
                prop_assert_eq!(&fast[1..], &slow[..], "{:?} {:?}", set.lang(), text);
            }
            for lang in Lang::ALL.iter().map(|&l| Some(l)).chain([None]) {
                let tags = tagger.tag(text, &[], lang);
                prop_assert_eq!(tags, tagger.explain(text, &[], lang).tags, "{:?}", text);
            }
        }
    }
}

/// The first shipped English complaint list.
fn an_english_list() -> &'static super::PhraseSet {
    phrase_sets()
        .iter()
        .find(|s| s.lang() == Lang::En)
        .expect("an English list")
}

/// An English list of `lines`, loaded as `name` from a folder of its own.
fn english_list_of(name: &str, lines: &str) -> super::PhraseSet {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), lines).unwrap();
    let lexicons = crate::lexicons::Lexicons::from_dir(dir.path());
    super::PhraseSet::load(&lexicons, name, Lang::En).unwrap()
}

/// A list loaded after the shared automaton was built is found by the next
/// search, and the lists before it still find theirs on the same text.
#[test]
fn a_list_loaded_later_joins_the_shared_search() {
    let en = an_english_list();
    let text = "the app keeps crashing, total zqvxing blorp";
    let mut before = Vec::new();
    en.find(text, &mut before);
    assert!(!before.is_empty());
    let late = english_list_of("late.tsv", "zqvxing blorp\t2\n");
    let mut found = Vec::new();
    late.find(text, &mut found);
    assert_eq!(found, [0]);
    let mut after = Vec::new();
    en.find(text, &mut after);
    assert_eq!(after, before);
    found.clear();
    late.find("zqvxing, blorp", &mut found);
    assert!(found.is_empty());
}

/// A word no phrase stem could be is written unstemmed; a list loaded
/// later that names it finds it all the same, in the very text whose
/// stream was written before it came (and whose chunks were remembered).
#[test]
fn a_word_left_unstemmed_is_stemmed_once_a_list_names_it() {
    let en = an_english_list();
    let text = "the app keeps crashing, total qzvblorping now";
    for _ in 0..3 {
        let mut found = Vec::new();
        en.find(text, &mut found);
        assert!(!found.is_empty());
    }
    let (stream, written_as_is) = with_scratch(|s| {
        s.set_text(text);
        let i = s.stream_of(&en.matcher.normalizer);
        let stems = s.phrase_stems(i).expect("stemmed");
        (s.streams[i].clone(), !stems.may_stem_into("qzvblorping"))
    });
    assert!(written_as_is, "{stream}");
    assert!(stream.contains(" qzvblorping "), "{stream}");
    let later = english_list_of("later.tsv", "qzvblorping now\t1\n");
    let mut found = Vec::new();
    later.find(text, &mut found);
    assert_eq!(found, [0]);
    let stream = with_scratch(|s| {
        s.set_text(text);
        let i = s.stream_of(&en.matcher.normalizer);
        s.streams[i].clone()
    });
    assert!(stream.contains(" qzvblorp now "), "{stream}");
}

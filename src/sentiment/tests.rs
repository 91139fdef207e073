//! Tests of the scorer's rules on a tiny inline lexicon, so that every
//! expected value can be worked out by hand, plus sanity checks on the real
//! lexicons.
//!
//! Working used throughout: after the rules each term loses 0.4 of its
//! strength (FAINT_TERM); the post's total (plus "!" emphasis) loses 0.6
//! (NEUTRAL_MARGIN), giving x; compound = x / sqrt(x² + 20).
//! So a lone term of valence 2 gives x = 1.0 and compound 1/√21 = 0.218218.

use super::lexicon::Lexicon;
use super::tokens::{self, Kind, Tokens};
use super::*;

const EN_VALENCES: &str = "\
# tiny English lexicon for the tests
good\t2
bad\t-2.6
great\t3
happy\t2
works\t2
annoy\t-2
willing\t1.5
ill\t-2
the bomb\t3
:(\t-2
:-(\t-2.5
:)\t2
10/10\t2
😭\t-3
❤️\t3
";

const EN_MODIFIERS: &str = "\
not\tnegator\t1
dont\tnegator\t1
cant\tnegator\t1
never\tnegator\t1
nothing\tnegator\t1
very\tbooster\t0.5
so\tbooster\t0.5
kind of\tdampener\t0.5
but\tcontrast\t1.5
";

fn tiny() -> SentimentScorer {
    SentimentScorer::from_texts(&[
        ("sentiment/en.tsv", EN_VALENCES),
        ("modifiers/en.tsv", EN_MODIFIERS),
        ("sentiment/es.tsv", "bueno\t2\n"),
        (
            "modifiers/es.tsv",
            "no\tnegator\t1\nmuy\tbooster\t0.5\npero\tcontrast\t1.5\n",
        ),
        ("sentiment/pt.tsv", "bom\t2\n"),
        ("modifiers/pt.tsv", "não\tnegator\t1\nmuito\tbooster\t0.5\n"),
        ("sentiment/fr.tsv", "bon\t2\n"),
        (
            "modifiers/fr.tsv",
            "ne\tnegator\t1\npas\tnegator\t1\ntrès\tbooster\t0.5\n",
        ),
    ])
    .expect("the test lexicon loads")
}

fn en(text: &str) -> f64 {
    tiny().score(text, Some(Lang::En)).compound
}

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-4,
        "expected {expected:.6}, got {actual:.6}"
    );
}

/// One term of valence 2 after the rules: x = 2 - 0.4 - 0.6 = 1.
const PLAIN: f64 = 0.218218;
/// A negated valence-2 term: 2 × (1 - 1.75) = -1.5; x = -1.5 + 0.4 + 0.6 = -0.5;
/// -0.5 / sqrt(20.25).
const NEGATED: f64 = -0.111111;
/// A valence-2 term boosted by 0.5 (or elongated): x = 1.5; 1.5 / sqrt(22.25).
const BOOSTED: f64 = 0.317999;

#[test]
fn a_single_word_scores_through_the_curve() {
    close(en("good"), PLAIN);
    close(en("bad"), -(2.6 - 1.0) / (1.6f64 * 1.6 + 20.0).sqrt());
}

#[test]
fn negators_flip_and_dampen_within_three_words() {
    close(en("not good"), NEGATED);
    close(en("I dont feel good"), NEGATED);
    close(en("I don't feel good"), NEGATED);
    close(en("I can't be happy"), NEGATED);
    close(en("never good"), NEGATED);
    close(en("nothing works"), NEGATED);
    // "not bad": -2.6 × (1 - 1.5) = 1.3; x = 0.3; 0.3 / sqrt(20.09).
    close(en("not bad"), 0.066932);
    assert_eq!(
        tiny().score("not bad", Some(Lang::En)).label,
        Label::Positive
    );
    // Four words away, or past a comma, the negator no longer reaches.
    close(en("not that it is good"), PLAIN);
    close(en("not now, good"), PLAIN);
}

#[test]
fn french_ne_pas_is_one_negation() {
    let s = tiny();
    close(s.score("c'est bon", Some(Lang::Fr)).compound, PLAIN);
    close(
        s.score("ce n'est pas bon", Some(Lang::Fr)).compound,
        NEGATED,
    );
    close(s.score("c'est pas bon", Some(Lang::Fr)).compound, NEGATED);
    close(s.score("très bon", Some(Lang::Fr)).compound, BOOSTED);
    // Undeclared, the post is recognised as French and its elisions read.
    close(s.score("ce n'est pas bon", None).compound, NEGATED);
}

#[test]
fn spanish_and_portuguese_use_their_own_modifiers() {
    let s = tiny();
    close(s.score("es bueno", Some(Lang::Es)).compound, PLAIN);
    close(s.score("no es bueno", Some(Lang::Es)).compound, NEGATED);
    close(s.score("muy bueno", Some(Lang::Es)).compound, BOOSTED);
    close(s.score("não é bom", Some(Lang::Pt)).compound, NEGATED);
    close(s.score("nao e bom", Some(Lang::Pt)).compound, NEGATED);
    close(s.score("muito bom", Some(Lang::Pt)).compound, BOOSTED);
    // English modifiers do not apply to Spanish: "not" is just a word.
    close(s.score("not bueno", Some(Lang::Es)).compound, PLAIN);
}

#[test]
fn boosters_and_dampeners_change_strength() {
    close(en("very good"), BOOSTED);
    // 2 - 0.5 = 1.5; x = 0.5; 0.5 / sqrt(20.25).
    close(en("kind of good"), 0.111111);
}

#[test]
fn capitals_count_only_when_the_post_is_not_all_capitals() {
    // 2 + 0.7 = 2.7; x = 1.7; 1.7 / sqrt(22.89).
    close(en("this is GOOD"), 0.355325);
    close(en("THIS IS GOOD"), PLAIN);
}

#[test]
fn exclamation_marks_amplify() {
    // Term 1.6 after the faint cut, plus 3 × 0.3; x = 1.9; 1.9 / sqrt(23.61).
    close(en("good!!!"), 0.391026);
    // Capped at four.
    close(en("good!!!!!!!!"), en("good!!!!"));
    // Nothing to amplify.
    close(en("!!!"), 0.0);
}

#[test]
fn elongated_words_are_found_and_amplified() {
    close(en("goooood"), BOOSTED);
    // "soooo" squeezes to "so", a booster: 2 + 0.5 on "good".
    close(en("soooo good"), BOOSTED);
}

#[test]
fn what_follows_but_weighs_more() {
    // good 2 × 0.5 = 1 → 0.6; bad -2.6 × 1.5 = -3.9 → -3.5; sum -2.9;
    // x = -2.3; -2.3 / sqrt(25.29).
    close(en("good but bad"), -0.457355);
}

#[test]
fn only_the_first_64_contrast_words_weigh() {
    // How many of the rules `kind` fired on `term` of `text`.
    let fired = |text: &str, term: &str, kind: fn(&Rule) -> bool| {
        let explained = tiny().score_explained(text, Some(Lang::En));
        let t = explained.terms.iter().find(|t| t.text == term);
        t.expect("the term is found")
            .rules
            .iter()
            .filter(|r| kind(r))
            .count()
    };
    let after: fn(&Rule) -> bool = |r| matches!(r, Rule::AfterContrast(_));
    let before: fn(&Rule) -> bool = |r| matches!(r, Rule::BeforeContrast(_));
    // Each "but" scales every term of the post, so a line of endless ones
    // is cut short: "good" after 74 of them is scaled by 64.
    let text = format!("{}good", "but ".repeat(74));
    assert_eq!(fired(&text, "good", after), 64);
    // The first 64, not any 64: "bad" after 64 and before 10 more is
    // scaled by the 64 before it alone.
    let text = format!("{}bad {}good", "but ".repeat(64), "but ".repeat(10));
    assert_eq!(fired(&text, "bad", after), 64);
    assert_eq!(fired(&text, "bad", before), 0);
    // Below the cap each one counts: 2 × 1.5 × 1.5 = 4.5 → 4.1; x = 3.5.
    close(en("but but good"), 3.5 / 32.25f64.sqrt());
}

#[test]
fn idioms_match_before_single_words() {
    // 3 → 2.6; x = 2; 2 / sqrt(24).
    close(en("that movie was the bomb"), 0.408248);
    close(en("bomb"), 0.0);
}

#[test]
fn emoticons_are_whole_tokens() {
    close(en(":("), -PLAIN);
    // -2.5 → -2.1; x = -1.5.
    close(en(":-("), -BOOSTED);
    close(en("the movie:("), -PLAIN);
    close(
        en(":((("),
        -(2.0 + 0.5 - 1.0) / (1.5f64 * 1.5 + 20.0).sqrt(),
    );
    let lex = Lexicon::from_texts(&[("sentiment/en.tsv", EN_VALENCES)]).expect("loads");
    let mut toks = Tokens::default();
    tokens::tokenize("so sad :-( :)", &lex.symbols, Lang::En, &mut toks);
    let texts: Vec<&str> = toks.toks.iter().map(|t| toks.text(t)).collect();
    assert_eq!(texts, ["so", "sad", ":-(", ":)"]);
    assert_eq!(toks.toks[2].kind, Kind::Symbol);
}

/// A rating out of ten is a symbol like an emoticon, whole or with the
/// sentence's full stop; a date written the same way is nothing.
#[test]
fn ratings_are_looked_up_whole() {
    close(en("10/10"), PLAIN);
    close(en("the support was 10/10."), PLAIN);
    close(en("see you on 10/12"), 0.0);
    let lex = Lexicon::from_texts(&[("sentiment/en.tsv", EN_VALENCES)]).expect("loads");
    let mut toks = Tokens::default();
    tokens::tokenize("service 10/10 again", &lex.symbols, Lang::En, &mut toks);
    let texts: Vec<&str> = toks.toks.iter().map(|t| toks.text(t)).collect();
    assert_eq!(texts, ["service", "10/10", "again"]);
    assert_eq!(toks.toks[1].kind, Kind::Symbol);
}

#[test]
fn emoji_with_and_without_the_variation_selector() {
    // 3 → 2.6; x = 2.
    close(en("❤\u{FE0F}"), 0.408248);
    close(en("❤"), 0.408248);
    close(en("😭"), -0.408248);
    close(en("netflix😭"), -0.408248);
    // A skin tone belongs to its emoji.
    close(en("😭\u{1F3FD}"), -0.408248);
}

#[test]
fn emoji_and_emoticons_are_not_negated() {
    close(en("not :("), -PLAIN);
}

#[test]
fn unknown_words_fall_back_to_their_stem() {
    close(en("annoying"), -PLAIN);
    close(en("annoyed"), -PLAIN);
    // Derivations do not map back to a root: "will" is not "willing".
    close(en("will"), 0.0);
}

#[test]
fn english_clitics_do_not_make_new_words() {
    close(en("I'll be there"), 0.0);
    close(en("I am ill"), -PLAIN);
}

#[test]
fn questions_hedge_positive_words() {
    // 2 × 0.5 = 1 → 0.6, inside the margin.
    close(en("good?"), 0.0);
}

#[test]
fn labels_follow_the_thresholds() {
    assert_eq!(Label::from_compound(0.05), Label::Positive);
    assert_eq!(Label::from_compound(0.0499), Label::Neutral);
    assert_eq!(Label::from_compound(-0.0499), Label::Neutral);
    assert_eq!(Label::from_compound(-0.05), Label::Negative);
    assert_eq!(Label::Positive.as_str(), "positive");
    let s = tiny();
    assert_eq!(s.score("good", None).label, Label::Positive);
    assert_eq!(s.score("bad", None).label, Label::Negative);
    assert_eq!(s.score("the table", None).label, Label::Neutral);
}

fn assert_sane(s: &Sentiment) {
    assert!(
        s.compound.is_finite() && (-1.0..=1.0).contains(&s.compound),
        "{s:?}"
    );
    let parts = [s.positive, s.neutral, s.negative];
    assert!(
        parts
            .iter()
            .all(|p| p.is_finite() && (0.0..=1.0).contains(p)),
        "{s:?}"
    );
    assert!((parts.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{s:?}");
    assert_eq!(s.label, Label::from_compound(s.compound));
}

#[test]
fn adversarial_input_stays_in_bounds() {
    let s = tiny();
    let empty = s.score("", None);
    assert_eq!(empty.compound, 0.0);
    assert_eq!(empty.neutral, 1.0);
    assert_eq!(empty.label, Label::Neutral);
    let bangs = "!".repeat(10_000);
    let long_good = "good ".repeat(100_000);
    let long_bad = "BAD!!! 😭 ".repeat(50_000);
    let inputs = [
        "",
        "   \t\n ",
        "?!?!...,,;;::",
        bangs.as_str(),
        "\u{FFFD}\u{200B}\u{0301}\u{1F3FB}\u{E0001}\u{FE0F}\u{200D}",
        "\u{202E}dab\u{202C} \u{0000} \u{FEFF}good\u{00AD}",
        "❤\u{200D}\u{200D}\u{200D}",
        "'''' `` ’’ don' 'not",
        "ǅǈ İstanbul ß ﬃ",
        long_good.as_str(),
        long_bad.as_str(),
    ];
    for text in inputs {
        for lang in [None, Some(Lang::En), Some(Lang::Fr)] {
            assert_sane(&s.score(text, lang));
        }
    }
    assert!(s.score(&long_good, None).compound > 0.99);
    assert!(s.score(&long_bad, None).compound < -0.99);
    assert_eq!(s.score(&bangs, None).compound, 0.0);
}

#[test]
fn proportions_split_positive_neutral_and_negative() {
    // "good" 1.6 after the cut, "bad" 2.2, "table" one neutral word: the
    // sum, -0.6, is all the margin takes, and that share of "bad" shows as
    // neutral (1.0 + 0.6).
    let r = tiny().score("good table bad", Some(Lang::En));
    close(r.compound, 0.0);
    close(r.positive, 1.6 / 4.8);
    close(r.negative, 1.6 / 4.8);
    close(r.neutral, 1.6 / 4.8);
    // One term is not shown as all positive when the margin takes part
    // of it (and a faint one the margin takes whole, "ok", shows as all
    // neutral): "good" 2.0 less the cut is 1.6, "good good" 3.2.
    let r = tiny().score("good", Some(Lang::En));
    close(r.positive, 1.0 / 1.6);
    close(r.neutral, 0.6 / 1.6);
    let r = tiny().score("good good", Some(Lang::En));
    close(r.positive, 2.6 / 3.2);
    close(r.neutral, 0.6 / 3.2);
    close(r.negative, 0.0);
}

#[test]
fn explanations_name_the_rules_that_fired() {
    let s = tiny();
    let ex = s.score_explained("not good", Some(Lang::En));
    assert_eq!(ex.lang, Lang::En);
    assert!(!ex.detected);
    let good = ex.terms.iter().find(|t| t.text == "good").expect("good");
    assert_eq!(good.base, 2.0);
    close(good.adjusted, -1.1);
    assert_eq!(good.rules, vec![Rule::Negated("not".into())]);
    close(ex.sentiment.compound, NEGATED);

    let ex = s.score_explained("the bomb, annoying", None);
    assert!(ex.detected);
    let rules: Vec<&Vec<Rule>> = ex.terms.iter().map(|t| &t.rules).collect();
    assert_eq!(rules, [&vec![Rule::Phrase], &vec![Rule::Stem]]);
}

#[test]
fn malformed_lines_are_reported_with_file_and_line() {
    let err = SentimentScorer::from_texts(&[("sentiment/en.tsv", "# c\ngood\t2\nbad\n")])
        .err()
        .expect("a line without a valence is refused");
    assert_eq!(err.file, "sentiment/en.tsv");
    assert_eq!(err.line, Some(3));
    let err = SentimentScorer::from_texts(&[("sentiment/en.tsv", "great\t5\n")])
        .err()
        .expect("out of range");
    assert_eq!(err.line, Some(1));
    let err = SentimentScorer::from_texts(&[("modifiers/fr.tsv", "ne\tnegate\t1\n")])
        .err()
        .expect("unknown kind");
    assert_eq!((err.file.as_str(), err.line), ("modifiers/fr.tsv", Some(1)));
    assert!(err.to_string().contains("modifiers/fr.tsv:1"));
}

#[test]
fn language_detection_on_short_sentences() {
    assert_eq!(
        detect_language("the movie is not working tonight"),
        Lang::En
    );
    assert_eq!(detect_language("no funciona netflix, qué mierda"), Lang::Es);
    assert_eq!(detect_language("Feliz navidad a todos"), Lang::Es);
    assert_eq!(detect_language("a netflix não está funcionando"), Lang::Pt);
    assert_eq!(detect_language("Obrigado, você é demais"), Lang::Pt);
    assert_eq!(detect_language("netflix ne marche pas ce soir"), Lang::Fr);
    assert_eq!(detect_language("Merci beaucoup, c'est très bien"), Lang::Fr);
    // A common word typed elongated still votes, as its squeezed self.
    assert_eq!(detect_language("NETFLIX NO FUNCIONAAAA"), Lang::Es);
    assert_eq!(
        detect_language("q onda netflix??? no carga nadaaa"),
        Lang::Es
    );
    // French words English writes alike are no evidence alone; French
    // words around them still are.
    for english in [
        "awful service",
        "customer service",
        "film buffering",
        "netflix plus hulu",
    ] {
        assert_eq!(detect_language(english), Lang::En, "{english}");
    }
    assert_eq!(detect_language("le service est horrible"), Lang::Fr);
    assert_eq!(detect_language("service client nul"), Lang::Fr);
    // Short complaints whose only function words are shared: the
    // frequent words beyond them decide ("deja" is French "déjà" and
    // Spanish "no me deja").
    assert_eq!(
        detect_language("la app no me deja transferir desde ayer"),
        Lang::Es
    );
    assert_eq!(
        detect_language("o app fica me deslogando toda hora"),
        Lang::Pt
    );
    assert_eq!(
        detect_language("la panne a duré environ 20 heures selon l'entreprise"),
        Lang::Fr
    );
    assert_eq!(detect_language("c'est deja la 3e fois"), Lang::Fr);
    // No evidence, or one stray word, stays English.
    assert_eq!(detect_language(""), Lang::En);
    assert_eq!(detect_language("lol"), Lang::En);
    assert_eq!(detect_language("le suck"), Lang::En);
}

/// A verdict with no common word, in no English term, is in the language
/// whose lexicon knows it; what English knows, or nobody knows, stays
/// English. (`detect_language` alone has no lexicon: this is the scorer's.)
#[test]
fn a_bare_verdict_is_in_the_language_that_knows_its_words() {
    let s = SentimentScorer::new(&Lexicons::embedded()).expect("built-in lexicons load");
    for (text, lang) in [
        ("atendimento péssimo", Lang::Pt),
        ("arnaque", Lang::Fr),
        ("inadmissible", Lang::Fr),
        ("netflix nw-2-5", Lang::En),
        ("buffering", Lang::En),
        ("@united flight 2231", Lang::En),
    ] {
        assert_eq!(s.detect_and_score(text).0, lang, "{text}");
    }
    let (lang, sentiment) = s.detect_and_score("atendimento péssimo");
    assert_eq!((lang, sentiment.label), (Lang::Pt, Label::Negative));
}

#[test]
fn the_real_lexicons_load_and_judge_plain_cases() {
    let s = SentimentScorer::new(&Lexicons::embedded()).expect("built-in lexicons load");
    let en_size = s.sizes()[0];
    assert_eq!(en_size.lang, Lang::En);
    assert!(en_size.valence_terms >= 3000, "{en_size:?}");
    assert!(s.symbol_count() >= 200);
    let negative = [
        "Netflix is down again, this sucks 😡",
        "my show keeps buffering, unwatchable",
        "worst customer service ever, I want a refund",
        "smh netflix not working on christmas eve :(",
        "ugh, wtf is this",
    ];
    for text in negative {
        assert_eq!(s.score(text, None).label, Label::Negative, "{text}");
    }
    let positive = [
        "I love this show ❤️",
        "netflix is back up, finally! thank you 👍",
        "not bad at all",
        "this is the bomb lol",
    ];
    for text in positive {
        assert_eq!(s.score(text, None).label, Label::Positive, "{text}");
    }
    assert_eq!(
        s.score("I am watching a movie tonight", None).label,
        Label::Neutral
    );
    // Seats that lie flat and a spring break are no lies and no breakage.
    for text in [
        "does Mint have the lie flat seats?",
        "any fare sale for spring break",
    ] {
        assert!(s.score(text, Some(Lang::En)).compound >= 0.0, "{text}");
    }
    assert_eq!(
        s.score("spoiled rotten", Some(Lang::En)).label,
        Label::Positive
    );
    // Praise written to a company, and blame for how a complaint went.
    for (text, label) in [
        ("returns were hassle free", Label::Positive),
        ("painless, honestly", Label::Positive),
        ("the driver was an absolute legend", Label::Positive),
        ("5 stars to the manager", Label::Positive),
        ("10/10 would fly again", Label::Positive),
        ("the app is 0/10", Label::Negative),
        ("they ghosted me", Label::Negative),
        ("what a joke", Label::Negative),
        ("cannot fault them", Label::Positive),
        ("they went the extra mile", Label::Positive),
        ("fobbed off again", Label::Negative),
        ("left me on read", Label::Negative),
        ("the app is 0/10", Label::Negative),
        ("this game is pay to win now", Label::Negative),
    ] {
        assert_eq!(s.score(text, Some(Lang::En)).label, label, "{text}");
    }
    // "úteis" is useful, but "dias úteis" are only business days.
    for text in ["entrega em 5 dias úteis", "entrega em 5 dias uteis"] {
        assert_eq!(s.score(text, Some(Lang::Pt)).compound, 0.0, "{text}");
    }
}

/// Laughter of any length, worked out by hand, and words that only look
/// like it.
#[test]
fn laughter_is_read_at_any_length_and_only_from_its_first_beat() {
    let cases = [
        ("hahahaha", Some("haha")),
        ("ahahah", Some("haha")),
        ("hahah", Some("haha")),
        ("hehehe", Some("hehe")),
        ("jajaja", Some("jaja")),
        ("jejeje", Some("jeje")),
        ("rsrsrs", Some("rsrs")),
        ("kkkkk", Some("kk")),
        ("hah", None),
        ("xhahaha", None),
        ("hahaxa", None),
        ("kkkx", None),
    ];
    for (word, expected) in cases {
        assert_eq!(tokens::laughter(word), expected, "{word}");
    }
}

#[test]
fn a_term_is_found_only_with_its_own_second_word() {
    let s = tiny();
    let phrases = |text: &str| -> Vec<String> {
        s.score_explained(text, Some(Lang::En))
            .terms
            .into_iter()
            .filter(|t| t.rules.contains(&Rule::Phrase))
            .map(|t| t.text)
            .collect()
    };
    assert_eq!(phrases("it is the bomb"), ["the bomb"]);
    assert_eq!(phrases("THE BOMB"), ["the bomb"]);
    // "b" starts a term's second word after "the", but "bomber" is not it;
    // "dog" starts none.
    assert!(phrases("the bomber").is_empty());
    assert!(phrases("the dog").is_empty());
    // A boundary between the words ends the term.
    assert!(phrases("the. bomb").is_empty());
    assert_eq!(phrases("kind of good"), ["kind of"]);
}

#[test]
fn words_in_capitals_are_counted_by_their_letters() {
    let mut toks = Tokens::default();
    let none = lexicon::Symbols::default();
    tokens::tokenize("HELLO there OK x9 A1B2 Ok é", &none, Lang::En, &mut toks);
    // Capitals: "HELLO", "OK", "A1B2" (two capitals, digits aside); others:
    // "there", "Ok"; "x9" and "é" have one letter and count as neither.
    assert_eq!((toks.stats.caps_words, toks.stats.other_words), (3, 2));
    let caps: Vec<bool> = toks
        .toks
        .iter()
        .map(|t| t.flags & tokens::CAPS != 0)
        .collect();
    assert_eq!(caps, [true, false, true, false, true, false, false]);
    let texts: Vec<&str> = toks.toks.iter().map(|t| toks.text(t)).collect();
    assert_eq!(texts, ["hello", "there", "ok", "x9", "a1b2", "ok", "é"]);
}

#[test]
fn a_vote_is_split_between_the_languages_of_its_word() {
    use super::detect::add_evidence;
    let mut score = [0.0f32; 4];
    // en|es|pt (0b0111): a third each; a single letter half of that.
    add_evidence(&mut score, 0b0111, 3);
    assert_eq!(score, [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0, 0.0]);
    add_evidence(&mut score, 0b1000, 1);
    assert_eq!(score, [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0, 0.5]);
    add_evidence(&mut score, 0b0110, 1);
    let third_and_quarter = 1.0f32 / 3.0 + 0.25;
    assert_eq!(
        score,
        [1.0 / 3.0, third_and_quarter, third_and_quarter, 0.5]
    );
    // No language at all: nothing to add to.
    add_evidence(&mut score, 0, 2);
    assert_eq!(score[0], 1.0 / 3.0);
}

//! Reading `outage/<lang>.txt` into matchers, and what the lexicon readers
//! share.
//!
//! Everything that can be wrong with a lexicon is found while loading, once,
//! with the file and line in the message; tagging itself then has nothing
//! left to fail on.

use super::lex::{lex, Kind, Token};
use super::stream::Normalizer;
use super::walk::PhraseDfa;
use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};
use std::sync::OnceLock;

/// Pattern bytes up to which a build cannot fail, so the automaton may wait
/// for its first search: aho-corasick refuses only a DFA whose transition
/// table overflows its 31-bit state ids, and a table has at most one state
/// per pattern byte (plus four) times a stride of at most 512 (2^21 × 2^9 =
/// 2^30). Larger lists, never seen in practice, are built while loading so
/// that a failure is still reported then.
const LAZY_BYTES: usize = 1 << 20;

/// An automaton built on its first search. Building the DFAs is most of the
/// start-up, and a run often needs few of them: the phrases of languages
/// its posts are not in, or the tone and service lists a post rarely asks.
pub(crate) struct Lazy {
    patterns: Vec<String>,
    built: OnceLock<Option<PhraseDfa>>,
}

impl Lazy {
    /// Builds now when `patterns` are too many to be sure the build will
    /// succeed (see [`LAZY_BYTES`]), so that the error names `file`.
    pub fn new(file: &str, patterns: Vec<String>) -> Result<Lazy, LexiconError> {
        Lazy::with_limit(file, patterns, LAZY_BYTES)
    }

    /// As [`Lazy::new`], lists of more than `lazy_bytes` built now.
    fn with_limit(
        file: &str,
        patterns: Vec<String>,
        lazy_bytes: usize,
    ) -> Result<Lazy, LexiconError> {
        let lazy = Lazy {
            patterns,
            built: OnceLock::new(),
        };
        let bytes: usize = lazy.patterns.iter().map(String::len).sum();
        if bytes > lazy_bytes {
            let ac = build(file, &lazy.patterns)?;
            let _ = lazy.built.set(Some(ac));
        }
        Ok(lazy)
    }

    /// The automaton, built now if this is the first search. `None` only
    /// if a build failed, which the bound on lazy lists rules out.
    pub fn get(&self) -> Option<&PhraseDfa> {
        self.built
            .get_or_init(|| build("", &self.patterns).ok())
            .as_ref()
    }

    /// Whether the automaton exists yet.
    pub fn is_built(&self) -> bool {
        self.built.get().is_some()
    }
}

/// The phrases of one lexicon file in one language, compiled on first use.
pub(crate) struct OutageMatcher {
    pub lang: Lang,
    pub normalizer: Normalizer,
    /// `None` when the file lists no phrases.
    pub automaton: Option<Lazy>,
    /// The list's number among those sharing one automaton per style (see
    /// `shared.rs`); `None` when it has no phrases or could not be
    /// registered.
    pub list: Option<u32>,
    /// Each pattern's line as written, for `explain`.
    pub phrases: Vec<String>,
    /// Each pattern's weight: the number after a tab, 1 when none is given.
    pub weights: Vec<f32>,
}

/// How a file is named in errors: its path when read from a folder.
pub(crate) fn file_label(lexicons: &Lexicons, name: &str) -> String {
    match lexicons.dir() {
        Some(dir) => dir.join(name).display().to_string(),
        None => name.to_string(),
    }
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub(crate) fn build(file: &str, patterns: &[String]) -> Result<PhraseDfa, LexiconError> {
    PhraseDfa::new(patterns).map_err(|e| LexiconError {
        file: file.to_string(),
        line: None,
        reason: format!("cannot build matcher: {e}"),
    })
}

/// The normaliser topic entries and the topic stream use: no stemming (names
/// are names), apostrophes split ("Netflix's" → `netflix s`).
pub(crate) fn plain_normalizer() -> Normalizer {
    Normalizer::plain()
}

/// The normaliser of outage and complaint phrases: `lang`'s stemmer and
/// apostrophe rule (English drops them, the others split on them).
pub(crate) fn outage_normalizer(lang: Lang) -> Normalizer {
    Normalizer::stemmed(lang)
}

/// Normalises one lexicon entry the way post text is normalised. Returns
/// the pattern (`" tok tok "`, breaks at either end trimmed) and its tokens.
pub(crate) fn normalize_entry(entry: &str, normalizer: &Normalizer) -> (String, Vec<Token>) {
    let (mut lower, mut tokens, mut out, mut word) = Default::default();
    lex(entry, &mut lower, &mut tokens);
    while tokens.last().is_some_and(|t| t.kind == Kind::Break) {
        tokens.pop();
    }
    // `lex` never starts with a break, so only the end needed trimming.
    normalizer.write(&lower, &tokens, &mut out, &mut word, None);
    (out, tokens)
}

pub(crate) fn load_outage(lexicons: &Lexicons, lang: Lang) -> Result<OutageMatcher, LexiconError> {
    load_phrases(lexicons, &format!("outage/{}.txt", lang.code()), lang)
}

/// Reads a phrase file (`phrase` or `phrase<TAB>weight` per line) and
/// compiles it with `lang`'s stemmer.
pub(crate) fn load_phrases(
    lexicons: &Lexicons,
    name: &str,
    lang: Lang,
) -> Result<OutageMatcher, LexiconError> {
    load_phrases_with_limit(lexicons, name, lang, LAZY_BYTES)
}

/// As [`load_phrases`], a list of more than `lazy_bytes` of patterns built
/// while loading (tests make a short list "large").
fn load_phrases_with_limit(
    lexicons: &Lexicons,
    name: &str,
    lang: Lang,
    lazy_bytes: usize,
) -> Result<OutageMatcher, LexiconError> {
    let file = file_label(lexicons, name);
    let text = lexicons.read(name)?;
    let normalizer = outage_normalizer(lang);
    let mut patterns = Vec::new();
    let mut phrases = Vec::new();
    let mut weights = Vec::new();
    // Spellings that normalise alike ("se cayó", "se cayo") share one
    // pattern, which keeps the first line for `explain`.
    let mut seen = std::collections::HashSet::new();
    for (line_no, line) in Lexicons::data_lines(&text) {
        let (line, weight) = match line.split_once('\t') {
            None => (line, 1.0),
            Some((phrase, w)) => match w.trim().parse::<f32>() {
                Ok(w) if w.is_finite() => (phrase, w),
                _ => {
                    return Err(LexiconError::at(
                        &file,
                        line_no,
                        format!("weight {:?} is not a number", w.trim()),
                    ))
                }
            },
        };
        let (pattern, tokens) = normalize_entry(line, &normalizer);
        if !tokens.is_empty() && !seen.insert(pattern.clone()) {
            continue;
        }
        if tokens.is_empty() {
            return Err(LexiconError::at(
                &file,
                line_no,
                format!("{:?} has no words to match", line.trim()),
            ));
        }
        patterns.push(pattern);
        phrases.push(line.trim().to_string());
        weights.push(weight);
    }
    let (automaton, list) = if patterns.is_empty() {
        (None, None)
    } else {
        super::shared::note_phrase_stems(normalizer.style().index(), &patterns);
        let lazy = Lazy::with_limit(&file, patterns, lazy_bytes)?;
        // A list built while loading is one too large to be sure of its
        // build: shared, it would be built a second time, in the style's
        // automaton, doubling the memory it takes.
        let list = if lazy.is_built() {
            None
        } else {
            super::shared::register(normalizer.style().index(), &lazy.patterns)
        };
        (Some(lazy), list)
    };
    Ok(OutageMatcher {
        lang,
        normalizer,
        automaton,
        list,
        phrases,
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_normalise_like_text_with_edge_breaks_trimmed() {
        let en = outage_normalizer(Lang::En);
        assert_eq!(normalize_entry("Won't load!", &en).0, " wont load ");
        assert_eq!(normalize_entry("... crashed", &en).0, " crash ");
        assert_eq!(normalize_entry("#FAIL", &en).0, " #fail ");
    }

    /// A list too long to be sure of its build is built while loading, so
    /// that its failure would be reported with the file.
    #[test]
    fn only_short_lists_wait_to_be_built() {
        let patterns = vec![" is down ".to_string(), " crash ".to_string()];
        let short = Lazy::with_limit("f", patterns.clone(), 16).unwrap();
        assert!(!short.is_built());
        assert!(short.get().is_some_and(|ac| ac.is_match(" it s crash ")));
        assert!(short.is_built());
        let long = Lazy::with_limit("f", patterns, 15).unwrap();
        assert!(long.is_built());
        assert!(long.get().is_some_and(|ac| !ac.is_match(" it s down ")));
    }

    /// A list built while loading keeps out of its style's shared
    /// automaton, which would build it a second time, and still finds its
    /// phrases with its own.
    #[test]
    fn a_list_built_while_loading_is_not_shared() {
        let lexicons = Lexicons::embedded();
        let name = "outage/en.txt";
        let shared = load_phrases_with_limit(&lexicons, name, Lang::En, LAZY_BYTES).unwrap();
        assert!(shared.list.is_some());
        assert!(!shared.automaton.as_ref().is_some_and(Lazy::is_built));
        let own = load_phrases_with_limit(&lexicons, name, Lang::En, 0).unwrap();
        assert_eq!(own.list, None);
        let ac = own.automaton.as_ref().and_then(Lazy::get).unwrap();
        assert!(ac.is_match(" netflix is down "));
        assert!(!ac.is_match(" netflix is great "));
    }

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    /// A one-word phrase must not stem as a common word of its language
    /// does (detect.rs's list): stemmed alike, that word would make every
    /// post holding it hold the phrase, as "para" (for) once made every
    /// Portuguese post say "parou" (stopped). Listed here: pairs that are
    /// forms of one word, meant to meet.
    #[test]
    fn no_one_word_phrase_stems_like_a_common_word() {
        const SAME_WORD: &[(&str, &str)] = &[
            ("thanks", "thank"),
            ("lovely", "love"),
            ("obrigado", "obrigada"),
            ("obrigada", "obrigado"),
        ];
        let folded = |w: &str| {
            let mut out = String::new();
            crate::tag::lex::fold_into(&w.to_lowercase(), &mut out, false);
            out
        };
        let lexicons = Lexicons::embedded();
        let mut clashes = Vec::new();
        for lang in Lang::ALL {
            let n = outage_normalizer(lang);
            let common: Vec<(String, String, &str)> = crate::sentiment::common_words_of(lang)
                .map(|w| (normalize_entry(w, &n).0, folded(w), w))
                .collect();
            for name in phrase_lists(lang) {
                let text = lexicons.read(&name).unwrap();
                for (line_no, line) in Lexicons::data_lines(&text) {
                    let phrase = line.split('\t').next().unwrap_or("");
                    let (pattern, tokens) = normalize_entry(phrase, &n);
                    if tokens.len() != 1 {
                        continue;
                    }
                    let phrase_folded = folded(phrase);
                    for (stem, word_folded, word) in &common {
                        let same =
                            phrase_folded == *word_folded || SAME_WORD.contains(&(phrase, word));
                        if *stem == pattern && !same {
                            clashes.push(format!("{name}:{line_no}: {phrase:?} stems as {word:?}"));
                        }
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    /// The phrase lists of `lang` that the lint tests read.
    fn phrase_lists(lang: Lang) -> [String; 4] {
        [
            format!("complaint/{}.tsv", lang.code()),
            format!("complaint/service-{}.tsv", lang.code()),
            format!("complaint/tone-{}.tsv", lang.code()),
            format!("outage/{}.txt", lang.code()),
        ]
    }

    /// A phrase listed twice (or two phrases that stem alike, "fix it" and
    /// "fixed it") is matched once, with the first line's weight: the
    /// second line only misleads whoever tunes it.
    #[test]
    fn no_list_holds_one_phrase_twice() {
        let lexicons = Lexicons::embedded();
        let mut twice = Vec::new();
        for lang in Lang::ALL {
            let n = outage_normalizer(lang);
            for name in phrase_lists(lang) {
                let text = lexicons.read(&name).unwrap();
                let mut seen = std::collections::HashMap::new();
                for (line_no, line) in Lexicons::data_lines(&text) {
                    let phrase = line.split('\t').next().unwrap_or("");
                    let (pattern, _) = normalize_entry(phrase, &n);
                    if let Some(first) = seen.insert(pattern, line_no) {
                        twice.push(format!("{name}:{line_no}: {phrase:?} as on line {first}"));
                    }
                }
            }
        }
        assert!(twice.is_empty(), "{twice:#?}");
    }
}

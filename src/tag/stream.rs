//! Turning text into the token streams the matchers run over.
//!
//! Lexicon entries and post text go through exactly these functions, so an
//! entry matches a post when, and only when, their streams line up token for
//! token. A stream is `" tok tok | tok "`: every token is followed by one
//! space and the stream opens with one, so an aho-corasick search for
//! `" is down "` can only hit whole tokens; `|` stands for sentence
//! punctuation so that "no. funciona" never reads as "no funciona".

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use rust_stemmers::Stemmer;

use super::lex::{fold_into, is_tag_char, Kind, Token};

/// Longer "words" are keyboard mashes or URLs we failed to spot; the stemmers
/// gain nothing on them and we keep their cost bounded.
const MAX_STEMMED_BYTES: usize = 48;

/// How a language treats apostrophes inside words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Apostrophes {
    /// English: a final `'s` becomes its own token ("netflix's" → `netflix s`)
    /// and other apostrophes vanish ("won't" → `wont`), so the apostrophe-less
    /// spellings people type meet the written ones.
    English,
    /// French elision and the like: the apostrophe separates ("l'appli" →
    /// `l appli`, "n'marche" → `n marche`). Also used for topic names, so
    /// "Netflix's" is `netflix s`.
    Split,
}

/// Words stemmed per thread and language before the cache starts afresh:
/// about a MiB each, and more distinct words than most posts repeat.
const STEM_CACHE_WORDS: usize = 20_000;

thread_local! {
    /// Stemming is the largest cost of tagging, and posts repeat their
    /// words endlessly; each normaliser (by its id) keeps the stems it made.
    static STEMS: RefCell<HashMap<u64, HashMap<String, String>>> = RefCell::new(HashMap::new());
}

fn next_normalizer_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One way of writing streams: with or without a stemmer.
pub(crate) struct Normalizer {
    stemmer: Option<Stemmer>,
    apostrophes: Apostrophes,
    /// Tells this normaliser's cached stems from another's (another
    /// language, or a tagger built from other lexicons).
    id: u64,
}

impl Normalizer {
    pub fn new(stemmer: Option<Stemmer>, apostrophes: Apostrophes) -> Self {
        Normalizer {
            stemmer,
            apostrophes,
            id: next_normalizer_id(),
        }
    }

    /// Writes the stream for `tokens` (from `lex` over `lower`) into `out`.
    /// When `tags` is given, the byte range of each hashtag body in `out` is
    /// pushed to it. Diacritics are folded *before* stemming: the stemmers
    /// treat "não" and "nao" differently, and the point is that they meet.
    pub fn write(
        &self,
        lower: &str,
        tokens: &[Token],
        out: &mut String,
        word: &mut String,
        mut tags: Option<&mut Vec<(usize, usize)>>,
    ) {
        out.clear();
        out.push(' ');
        for t in tokens {
            let text = lower.get(t.start..t.end).unwrap_or("");
            match t.kind {
                Kind::Word => match self.apostrophes {
                    Apostrophes::English => match text.strip_suffix("'s") {
                        Some(stem) if !stem.is_empty() => {
                            self.push_word(stem, out, word);
                            self.push_word("s", out, word);
                        }
                        _ => self.push_word(text, out, word),
                    },
                    Apostrophes::Split => {
                        for piece in text.split('\'').filter(|p| !p.is_empty()) {
                            self.push_word(piece, out, word);
                        }
                    }
                },
                Kind::Hashtag => push_hashtag(text, out, tags.as_deref_mut()),
                Kind::Mention => {
                    out.push('@');
                    fold_into(text, out, false);
                    out.push(' ');
                }
                Kind::Break => {
                    if !out.ends_with("| ") {
                        out.push_str("| ");
                    }
                }
            }
        }
    }

    fn push_word(&self, text: &str, out: &mut String, word: &mut String) {
        word.clear();
        fold_into(text, word, false);
        if word.is_empty() {
            return;
        }
        match &self.stemmer {
            Some(stemmer) if word.len() <= MAX_STEMMED_BYTES => STEMS.with(|cache| {
                let mut cache = cache.borrow_mut();
                let mine = cache.entry(self.id).or_default();
                if let Some(stem) = mine.get(word.as_str()) {
                    out.push_str(stem);
                    return;
                }
                if mine.len() >= STEM_CACHE_WORDS {
                    mine.clear();
                }
                let stem = stemmer.stem(word).into_owned();
                out.push_str(&stem);
                mine.insert(word.clone(), stem);
            }),
            _ => out.push_str(word),
        }
        out.push(' ');
    }
}

/// Appends `#body ` with the body folded and underscores dropped
/// (`#Netflix_Caído` → `#netflixcaido`); a body that folds to nothing is
/// left out.
pub(crate) fn push_hashtag(body: &str, out: &mut String, tags: Option<&mut Vec<(usize, usize)>>) {
    let hash = out.len();
    out.push('#');
    let start = out.len();
    fold_into(body, out, true);
    let end = out.len();
    if end == start {
        out.truncate(hash);
        return;
    }
    out.push(' ');
    if let Some(tags) = tags {
        tags.push((start, end));
    }
}

/// Appends the source's own hashtag list (bodies, usually without `#`) as
/// hashtag tokens, each after a break so none runs into the text's phrases
/// or into another.
pub(crate) fn push_listed_hashtags(
    hashtags: &[String],
    out: &mut String,
    word: &mut String,
    mut tags: Option<&mut Vec<(usize, usize)>>,
) {
    for tag in hashtags {
        word.clear();
        for c in tag.trim_start_matches(['#', '＃']).chars() {
            if is_tag_char(c) {
                word.extend(c.to_lowercase());
            }
        }
        if word.is_empty() {
            continue;
        }
        if !out.ends_with("| ") {
            out.push_str("| ");
        }
        push_hashtag(word, out, tags.as_deref_mut());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::lex::lex;
    use rust_stemmers::Algorithm;

    fn stream(text: &str, n: &Normalizer) -> String {
        let (mut lower, mut tokens, mut out, mut word) = Default::default();
        lex(text, &mut lower, &mut tokens);
        n.write(&lower, &tokens, &mut out, &mut word, None);
        out
    }

    #[test]
    fn plain_stream_splits_words_tags_mentions_and_breaks() {
        let n = Normalizer::new(None, Apostrophes::Split);
        assert_eq!(
            stream(
                "RT @NetflixHelps: Netflix's DOWN!!! #NetflixCaído http://t.co/AbErrOr",
                &n
            ),
            " rt @netflixhelps netflix s down | #netflixcaido "
        );
        assert_eq!(stream("me@netflix.com C# x", &n), " me c x ");
        assert_eq!(
            stream("(netflix) 'cause fans' l’appli", &n),
            " netflix cause fans l appli "
        );
        assert_eq!(stream("#_ ## @ #", &n), " ");
    }

    #[test]
    fn english_stream_drops_apostrophes_and_stems() {
        let n = Normalizer::new(
            Some(Stemmer::create(Algorithm::English)),
            Apostrophes::English,
        );
        assert_eq!(
            stream("It won’t load, it's CRASHING", &n),
            " it wont load | it s crash "
        );
    }

    #[test]
    fn accents_fold_before_stemming() {
        let n = Normalizer::new(
            Some(Stemmer::create(Algorithm::Portuguese)),
            Apostrophes::Split,
        );
        assert_eq!(stream("Não funciona", &n), stream("nao funciona", &n));
        assert_eq!(stream("nao funciona", &n), " nao funcion ");
    }

    #[test]
    fn listed_hashtags_are_folded_and_recorded() {
        let (mut out, mut word, mut tags) = (String::from(" x "), String::new(), Vec::new());
        let listed = ["#Netflix_Down".to_string(), "".into(), "Caído".into()];
        push_listed_hashtags(&listed, &mut out, &mut word, Some(&mut tags));
        assert_eq!(out, " x | #netflixdown | #caido ");
        let bodies: Vec<&str> = tags.iter().map(|&(a, b)| &out[a..b]).collect();
        assert_eq!(bodies, ["netflixdown", "caido"]);
    }
}

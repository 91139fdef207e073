//! Turning text into the token streams the matchers run over.
//!
//! Lexicon entries and post text go through exactly these functions, so an
//! entry matches a post when, and only when, their streams line up token for
//! token. A stream is `" tok tok | tok "`: every token is followed by one
//! space and the stream opens with one, so an aho-corasick search for
//! `" is down "` can only hit whole tokens; `|` stands for sentence
//! punctuation so that "no. funciona" never reads as "no funciona".

use crate::stemmer::Stemmer;

use super::lex::{fold_into, is_tag_char, Kind, Token};
use super::stems::{StemMemo, StemPrefixes};
use crate::chars;
use crate::lang::Lang;
use crate::sentiment::FastMap;

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

/// Which stream a normaliser writes. A stream depends on nothing but the
/// text and this (stems depend only on the stemming algorithm, not on any
/// lexicon), so every normaliser of one style writes the same stream and
/// the streams of a post can be shared between the tagger and every
/// `PhraseSet` that looks at the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// No stemming, apostrophes split: topic names and the topic stream.
    Plain,
    /// The language's stemmer and apostrophe rule: outage and complaint
    /// phrases.
    Stemmed(Lang),
}

/// How many styles there are: plain, then one per language.
pub(crate) const STYLES: usize = 1 + Lang::ALL.len();

impl Style {
    pub fn index(self) -> usize {
        match self {
            Style::Plain => 0,
            Style::Stemmed(lang) => 1 + lang.index(),
        }
    }
}

/// One way of writing streams: with or without a stemmer.
pub(crate) struct Normalizer {
    style: Style,
    stemmer: Option<Stemmer>,
    apostrophes: Apostrophes,
}

/// The per-thread memory a chunk's stream is written with (see `chunks.rs`).
pub(crate) struct Memory<'a> {
    /// Recent stems, for any word.
    pub stems: &'a mut StemMemo,
    /// The first characters of every stem the phrase lists of the style
    /// hold (`shared::phrase_stems`), when known: a word whose stem cannot
    /// be one of them is written unstemmed (see [`Normalizer::push_word`]).
    pub phrase_stems: Option<&'a StemPrefixes>,
    /// The word memory and the ids in it of the tokens' words (from
    /// [`WordCache::ids_of`]), for a chunk about to be remembered.
    pub words: Option<(&'a mut WordCache, &'a [u32])>,
}

/// Words remembered per thread before the cache starts afresh: a few MiB
/// at most, and more distinct words than most archives repeat.
const CACHE_WORDS: usize = 1 << 16;

/// Longer words are not remembered: rare, and they would crowd the cache.
const MAX_CACHED_BYTES: usize = 64;

/// A word's stream piece per style (`span` into `WordCache::text`), not
/// yet made.
const NONE: (u32, u32) = (u32::MAX, 0);

/// What each distinct word (as lexed: lowercased, apostrophes unified)
/// becomes in each stream, remembered per thread. Stemming is the largest
/// cost of writing a stream, and the same word turns up in many chunks
/// ("netflix", "netflix!", "netflix's"): when a chunk is written for the
/// first time (see `chunks.rs`), its words usually come from here.
#[derive(Default)]
pub(crate) struct WordCache {
    ids: FastMap<Box<str>, u32>,
    pieces: Vec<[(u32, u32); STYLES]>,
    text: String,
}

impl WordCache {
    /// The id of every `Word` token of `tokens` (over `lower`), in order;
    /// `u32::MAX` for words too long to remember. Clears the cache first when
    /// it is full, so ids handed out earlier are only good until the next
    /// call.
    pub fn ids_of(&mut self, lower: &str, tokens: &[Token], ids: &mut Vec<u32>) {
        if self.ids.len() >= CACHE_WORDS || self.text.len() >= CACHE_WORDS * 64 {
            self.ids.clear();
            self.pieces.clear();
            self.text.clear();
        }
        ids.clear();
        for t in tokens {
            if t.kind != Kind::Word {
                continue;
            }
            let text = lower.get(t.start..t.end).unwrap_or("");
            if text.len() > MAX_CACHED_BYTES {
                ids.push(u32::MAX);
                continue;
            }
            let id = match self.ids.get(text) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.pieces.len()).unwrap_or(u32::MAX);
                    if id != u32::MAX {
                        self.ids.insert(text.into(), id);
                        self.pieces.push([NONE; STYLES]);
                    }
                    id
                }
            };
            ids.push(id);
        }
    }
}

impl Normalizer {
    pub fn plain() -> Self {
        Normalizer {
            style: Style::Plain,
            stemmer: None,
            apostrophes: Apostrophes::Split,
        }
    }

    pub fn stemmed(lang: Lang) -> Self {
        let apostrophes = match lang {
            Lang::En => Apostrophes::English,
            Lang::Es | Lang::Pt | Lang::Fr => Apostrophes::Split,
        };
        Normalizer {
            style: Style::Stemmed(lang),
            stemmer: Some(Stemmer::new(lang)),
            apostrophes,
        }
    }

    pub fn style(&self) -> Style {
        self.style
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
        tags: Option<&mut Vec<(usize, usize)>>,
    ) {
        out.clear();
        out.push(' ');
        self.append(lower, tokens, None, out, word, tags);
    }

    /// Appends the stream of `tokens` to `out`, which holds the stream so
    /// far: what a break writes depends on how it ends. With `memory`, stems
    /// come from its stem memo, and word pieces from its word memory when
    /// that is given.
    pub fn append(
        &self,
        lower: &str,
        tokens: &[Token],
        mut memory: Option<Memory<'_>>,
        out: &mut String,
        word: &mut String,
        mut tags: Option<&mut Vec<(usize, usize)>>,
    ) {
        let mut nth_word = 0;
        for t in tokens {
            let text = lower.get(t.start..t.end).unwrap_or("");
            match t.kind {
                Kind::Word => {
                    let id = match &memory {
                        Some(Memory {
                            words: Some((_, ids)),
                            ..
                        }) => ids.get(nth_word).copied().unwrap_or(u32::MAX),
                        _ => u32::MAX,
                    };
                    nth_word += 1;
                    match memory.as_mut() {
                        Some(Memory {
                            stems,
                            phrase_stems,
                            words: Some((cache, _)),
                        }) if id != u32::MAX => {
                            self.push_cached(cache, id, text, out, word, stems, *phrase_stems)
                        }
                        Some(Memory {
                            stems,
                            phrase_stems,
                            ..
                        }) => self.push_token(text, out, word, Some(stems), *phrase_stems),
                        None => self.push_token(text, out, word, None, None),
                    }
                }
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

    #[allow(clippy::too_many_arguments)]
    fn push_cached(
        &self,
        cache: &mut WordCache,
        id: u32,
        text: &str,
        out: &mut String,
        word: &mut String,
        stems: &mut StemMemo,
        phrase_stems: Option<&StemPrefixes>,
    ) {
        let slot = self.style.index();
        let Some(pieces) = cache.pieces.get_mut(id as usize) else {
            return self.push_token(text, out, word, Some(stems), phrase_stems);
        };
        let (from, len) = pieces[slot];
        if from != u32::MAX {
            let (from, len) = (from as usize, len as usize);
            out.push_str(cache.text.get(from..from + len).unwrap_or(""));
            return;
        }
        let at = out.len();
        self.push_token(text, out, word, Some(stems), phrase_stems);
        let piece = out.get(at..).unwrap_or("");
        match (u32::try_from(cache.text.len()), u32::try_from(piece.len())) {
            (Ok(from), Ok(len)) if from < u32::MAX => {
                cache.text.push_str(piece);
                pieces[slot] = (from, len);
            }
            _ => {}
        }
    }

    /// One word token's piece of the stream; stems from `stems` when given.
    fn push_token(
        &self,
        text: &str,
        out: &mut String,
        word: &mut String,
        mut stems: Option<&mut StemMemo>,
        phrase_stems: Option<&StemPrefixes>,
    ) {
        match self.apostrophes {
            Apostrophes::English => match text.strip_suffix("'s") {
                Some(stem) if !stem.is_empty() => {
                    self.push_word(stem, out, word, stems.as_deref_mut(), phrase_stems);
                    self.push_word("s", out, word, stems, phrase_stems);
                }
                _ => self.push_word(text, out, word, stems, phrase_stems),
            },
            // Nearly every word holds no apostrophe, and is its own piece:
            // splitting it would cost more than writing it.
            Apostrophes::Split if !text.as_bytes().contains(&b'\'') => {
                if !text.is_empty() {
                    self.push_word(text, out, word, stems, phrase_stems);
                }
            }
            Apostrophes::Split => {
                for piece in text.split('\'').filter(|p| !p.is_empty()) {
                    self.push_word(piece, out, word, stems.as_deref_mut(), phrase_stems);
                }
            }
        }
    }

    /// One word's piece: the word folded, then stemmed, except that with
    /// `phrase_stems` a word whose stem cannot be any of them is written
    /// as it is, unstemmed. Such a token matches no phrase either way: the
    /// phrases' tokens are those stems, and the word, whose first
    /// characters are its stem's, is none of them either. Stemming is the
    /// largest cost of a word met for the first time.
    fn push_word(
        &self,
        text: &str,
        out: &mut String,
        word: &mut String,
        stems: Option<&mut StemMemo>,
        phrase_stems: Option<&StemPrefixes>,
    ) {
        match &self.stemmer {
            Some(stemmer) => {
                word.clear();
                fold_into(text, word, false);
                if word.is_empty() {
                    return;
                }
                unstretch(word);
                if word.len() > MAX_STEMMED_BYTES
                    || phrase_stems.is_some_and(|p| !p.may_stem_into(word))
                {
                    out.push_str(word);
                } else if let Some(stems) = stems {
                    // Style indexes are below 5.
                    let style = self.style.index() as u8;
                    stems.push_stem(style, stemmer, word, out);
                } else {
                    out.push_str(&stemmer.stem(word));
                }
            }
            None => {
                let at = out.len();
                fold_into(text, out, false);
                if out.len() == at {
                    return;
                }
            }
        }
        out.push(' ');
    }
}

/// Writes stretched letters once, so that the phrase lists meet "NO
/// FUNCIONAAAA" and "netflix is downnnn": "funcionaaaa" → "funciona". Only
/// runs of three or more are touched; no word of our four languages has
/// one, and "cool" or "still" keep their pairs.
pub(crate) fn unstretch(word: &mut String) {
    let mut chars = word.chars();
    let mut prev = chars.next();
    let mut run = 1;
    let stretched = chars.any(|c| {
        run = if Some(c) == prev { run + 1 } else { 1 };
        prev = Some(c);
        run >= 3
    });
    if !stretched {
        return;
    }
    let mut out = String::with_capacity(word.len());
    let mut rest = word.as_str();
    while let Some(c) = rest.chars().next() {
        let len = rest.find(|d: char| d != c).unwrap_or(rest.len());
        let run = &rest[..len];
        if run.chars().count() >= 3 {
            out.push(c);
        } else {
            out.push_str(run);
        }
        rest = &rest[len..];
    }
    *word = out;
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
                chars::push_lowercase(c, word);
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

    fn stream(text: &str, n: &Normalizer) -> String {
        let (mut lower, mut tokens, mut out, mut word) = Default::default();
        lex(text, &mut lower, &mut tokens);
        n.write(&lower, &tokens, &mut out, &mut word, None);
        out
    }

    #[test]
    fn plain_stream_splits_words_tags_mentions_and_breaks() {
        let n = Normalizer::plain();
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
        let n = Normalizer::stemmed(Lang::En);
        assert_eq!(
            stream("It won’t load, it's CRASHING", &n),
            " it wont load | it s crash "
        );
    }

    #[test]
    fn stretched_letters_are_written_once_before_stemming() {
        let n = Normalizer::stemmed(Lang::Es);
        assert_eq!(stream("NO FUNCIONAAAA", &n), stream("no funciona", &n));
        let n = Normalizer::stemmed(Lang::En);
        assert_eq!(
            stream("netflix is downnnn", &n),
            stream("netflix is down", &n)
        );
        // pairs stay: "cool" is not "col"
        assert_eq!(stream("cool", &n), " cool ");
        let mut w = "ããão".to_string();
        unstretch(&mut w);
        assert_eq!(w, "ão");
    }

    #[test]
    fn accents_fold_before_stemming() {
        let n = Normalizer::stemmed(Lang::Pt);
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

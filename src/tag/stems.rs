//! Stems made recently, remembered per thread.
//!
//! Stemming is most of the cost of writing a stream, and the same words keep
//! coming back in chunks seen for the first time ("down" in "down!!!",
//! "down.", "down?"), which are written without the word memory of
//! `stream.rs`, and again when such a chunk is seen a second time and its
//! words enter that memory. A small table of recent (style, word) → stem
//! answers those for the price of a hash. It holds what the stemmer said,
//! so a stream written with it is the stream written without. The
//! sentiment scorer, which looks a new word up through its stem just before
//! the tagger writes the same word, asks the same memory (`push_stem`).

use std::cell::RefCell;

use crate::stemmer::Stemmer;

use super::intern::le_word;
use super::stream::Style;
use crate::lang::Lang;

/// The table has `1 << SET_BITS` sets of two slots: 32768 slots of 32 bytes,
/// 1 MiB per thread, which keeps the words of some thousands of posts (half
/// that answered 1% fewer words on a sample of tweets).
const SET_BITS: u32 = 14;

/// Words and stems up to this many bytes fit a slot: nearly every word.
const MAX_BYTES: usize = 15;

/// A word of up to [`MAX_BYTES`] bytes in a style, inline: its bytes, then
/// its length and the style in the last byte. Never all zero, since a word
/// is never empty: all zero marks an empty slot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Key([u64; 2]);

impl Key {
    /// `None` for a word too long, or a style that does not fit four bits.
    fn new(style: u8, word: &str) -> Option<Key> {
        let bytes = word.as_bytes();
        let n = bytes.len();
        if n == 0 || n > MAX_BYTES || style >= 16 {
            return None;
        }
        // Both fit the last byte: the length is at most 15.
        let last = u64::from((style << 4) | n as u8) << 56;
        Some(match bytes.split_at_checked(8) {
            Some((lo, hi)) => Key([le_word(lo), le_word(hi) | last]),
            None => Key([le_word(bytes), last]),
        })
    }

    /// Which set of a table of `1 << bits` sets the key goes in: the top
    /// bits of a multiplicative hash (none at all for one set).
    fn set(self, bits: u32) -> usize {
        let [lo, hi] = self.0;
        let h = (lo ^ hi.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        // At most `bits` (< 32) bits remain.
        h.checked_shr(64 - bits).unwrap_or(0) as usize
    }
}

/// One remembered stem: the word's key, and the stem's bytes with its
/// length in the last byte.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: Key,
    stem: [u8; 16],
}

impl Slot {
    /// `None` when the stem is too long to keep.
    fn new(key: Key, stem: &str) -> Option<Slot> {
        let bytes = stem.as_bytes();
        if bytes.len() > MAX_BYTES {
            return None;
        }
        let mut b = [0u8; 16];
        b.get_mut(..bytes.len())?.copy_from_slice(bytes);
        b[15] = bytes.len() as u8;
        Some(Slot { key, stem: b })
    }

    fn stem(&self) -> Option<&str> {
        let len = usize::from(self.stem[15]);
        std::str::from_utf8(self.stem.get(..len)?).ok()
    }
}

/// Recent stems per (style, word), two slots per set, the one used last
/// first. Allocated on first use: threads that never stem pay nothing.
pub(crate) struct StemMemo {
    bits: u32,
    sets: Vec<[Slot; 2]>,
}

impl Default for StemMemo {
    fn default() -> Self {
        StemMemo::with_set_bits(SET_BITS)
    }
}

impl StemMemo {
    /// A table of `1 << bits` sets (tests use tiny ones to see slots reused).
    fn with_set_bits(bits: u32) -> StemMemo {
        StemMemo {
            bits: bits.min(24),
            sets: Vec::new(),
        }
    }

    /// Appends `stemmer`'s stem of `word` (written in style number `style`,
    /// one number per stemmer) to `out`, from memory when it is there.
    pub fn push_stem(&mut self, style: u8, stemmer: &Stemmer, word: &str, out: &mut String) {
        // Cheaper to see than to look up, and no slot spent on it.
        if stemmer.keeps(word) {
            out.push_str(word);
            return;
        }
        let Some(key) = Key::new(style, word) else {
            out.push_str(&stemmer.stem(word));
            return;
        };
        if self.sets.is_empty() {
            self.sets = vec![[Slot::default(); 2]; 1 << self.bits];
        }
        let Some(set) = self.sets.get_mut(key.set(self.bits)) else {
            out.push_str(&stemmer.stem(word));
            return;
        };
        if set[1].key == key {
            set.swap(0, 1);
        }
        if set[0].key == key {
            if let Some(stem) = set[0].stem() {
                out.push_str(stem);
                return;
            }
        }
        let stem = stemmer.stem(word);
        out.push_str(&stem);
        if let Some(slot) = Slot::new(key, &stem) {
            set[1] = set[0];
            set[0] = slot;
        }
    }
}

/// How many leading characters of a word its stem is known to keep.
const STEM_KEY_CHARS: usize = 3;

/// `key` (the first `n` characters' key) with character `c` added. Accents
/// are dropped and y read as i, since the stemmers may make exactly those
/// changes that early in a word: Spanish drops acute accents anywhere
/// ("éxitos" → "exit"), French takes them off a final e ("fièr" → "fier")
/// and the cedilla off a final c, and English and French turn y into i
/// ("cry" → "cri", "payer" → "pai").
fn add_to_key(key: u64, n: usize, c: char) -> u64 {
    let c = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'y' | 'ý' | 'ÿ' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        c => c,
    };
    // 21 bits hold any char, and no word holds U+0000, so keys of
    // different lengths differ.
    key | (u64::from(c) << (21 * n))
}

/// The key of `stem`'s first [`STEM_KEY_CHARS`] characters (all of them
/// when it has fewer).
fn prefix_key(stem: &str) -> u64 {
    stem.chars()
        .take(STEM_KEY_CHARS)
        .enumerate()
        .fold(0, |key, (n, c)| add_to_key(key, n, c))
}

/// The first characters of a set of stems: enough to tell, for most words
/// and without running the stemmer, that a word's stem is none of them.
///
/// A Snowball stem keeps the word's first three characters but for the
/// changes [`add_to_key`] undoes, and a stem of fewer is the word's first
/// characters the same way: the stemmers only cut and rewrite endings, and
/// never within a word's first three characters (their regions start
/// later). So a word can stem into the set only if its first three
/// characters, or for a short stem its first one or two, share a key with
/// a stem's. The exceptions pass always: the few words English stems
/// irregularly from the front ("dying" → "die"), a leading apostrophe,
/// which the English stemmer drops, and English adding an e as a third
/// letter ("awing" → "awe", see [`StemPrefixes::insert`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct StemPrefixes {
    keys: crate::sentiment::FastSet<u64>,
    /// A stem of fewer than three characters is in the set.
    short: bool,
}

impl StemPrefixes {
    /// Adds `stem`; true when the set now lets more words through.
    pub fn insert(&mut self, stem: &str) -> bool {
        let mut grew = self.keys.insert(prefix_key(stem));
        let chars = stem.chars().count();
        grew |= chars < STEM_KEY_CHARS && !self.short;
        self.short |= chars < STEM_KEY_CHARS;
        // English may cut "-ing" from a word, leaving two letters, and add
        // an e ("awing" → "awe"), the one change it makes to a third letter
        // (a cut "-ed" leaves the e where it was).
        if chars == 3 && stem.ends_with('e') {
            let ing = format!("{}i", &stem[..stem.len() - 1]);
            grew |= self.keys.insert(prefix_key(&ing));
        }
        grew
    }

    /// False only when no stem in the set can be `word`'s.
    pub fn may_stem_into(&self, word: &str) -> bool {
        if word.starts_with('\'') || matches!(word, "dying" | "lying" | "tying") {
            return true;
        }
        let mut key = 0;
        for (n, c) in word.chars().take(STEM_KEY_CHARS).enumerate() {
            key = add_to_key(key, n, c);
            // A stem is never longer than its word: a word of fewer than
            // three characters can only have a short stem.
            if (self.short || n + 1 == STEM_KEY_CHARS) && self.keys.contains(&key) {
                return true;
            }
        }
        false
    }
}

thread_local! {
    /// The thread's one memory of stems, for the tagger's streams and the
    /// sentiment scorer's stem lookups alike: the scorer stems a new word
    /// first, and the tagger, which stems the same word for the same post
    /// right after, finds it here.
    static RECENT: RefCell<StemMemo> = RefCell::new(StemMemo::default());
}

/// `f` with this thread's memory of stems (or, should it be in use already,
/// a small one of its own: any memory answers what the stemmer says).
pub(crate) fn with_recent<R>(f: impl FnOnce(&mut StemMemo) -> R) -> R {
    // Asked first, so that the borrow below cannot fail: one thread, and
    // nothing runs in between.
    let free = RECENT
        .try_with(|recent| recent.try_borrow_mut().is_ok())
        .unwrap_or(false);
    if free {
        RECENT.with(|recent| f(&mut recent.borrow_mut()))
    } else {
        f(&mut StemMemo::with_set_bits(0))
    }
}

/// Appends `stemmer`'s stem of `word` to `out`, `stemmer` being `lang`'s,
/// through this thread's memory: the sentiment scorer's way in.
pub(crate) fn push_stem(lang: Lang, stemmer: &Stemmer, word: &str, out: &mut String) {
    // Style indexes are below 5.
    let style = Style::Stemmed(lang).index() as u8;
    with_recent(|memo| memo.push_stem(style, stemmer, word, out));
}

/// Puts `stem` in this thread's memory as `word`'s in `lang`, whatever the
/// stemmer says: for tests that show who reads the memory.
#[cfg(test)]
pub(crate) fn plant(lang: Lang, word: &str, stem: &str) {
    let style = Style::Stemmed(lang).index() as u8;
    let key = Key::new(style, word).expect("a short word");
    let slot = Slot::new(key, stem).expect("a short stem");
    with_recent(|memo| {
        if memo.sets.is_empty() {
            memo.sets = vec![[Slot::default(); 2]; 1 << memo.bits];
        }
        let set = &mut memo.sets[key.set(memo.bits)];
        set[1] = set[0];
        set[0] = slot;
    });
}

/// Endings of the four languages, inflections and derivations, to try
/// words with in the tests of stem prefixes.
#[cfg(test)]
pub(crate) const ENDINGS: &[&str] = &[
    "", "s", "es", "ed", "ing", "ingly", "edly", "ly", "er", "ers", "ness", "a", "as", "o", "os",
    "ada", "ados", "aram", "ou", "é", "ées", "ent", "ait", "mente", "ment", "ción", "ções",
    "ières", "euse", "aux", "amment", "ité", "ence", "logie",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stem_with(memo: &mut StemMemo, style: u8, stemmer: &Stemmer, word: &str) -> String {
        let mut out = String::from("x ");
        memo.push_stem(style, stemmer, word, &mut out);
        out.split_off(2)
    }

    #[test]
    fn stems_come_back_as_made() {
        let en = Stemmer::new(Lang::En);
        let es = Stemmer::new(Lang::Es);
        let mut memo = StemMemo::default();
        for _ in 0..2 {
            assert_eq!(stem_with(&mut memo, 1, &en, "crashing"), "crash");
            assert_eq!(stem_with(&mut memo, 2, &es, "funcionar"), "funcion");
            // The same word in another style is another entry (one that
            // ends as an English suffix may, or it would not be kept).
            assert_eq!(stem_with(&mut memo, 1, &en, "funcionar"), "funcionar");
            assert_eq!(stem_with(&mut memo, 1, &en, "happy"), "happi");
        }
        assert_eq!(memo.sets.len(), 1 << SET_BITS);
    }

    #[test]
    fn long_words_are_stemmed_every_time() {
        let en = Stemmer::new(Lang::En);
        let mut memo = StemMemo::default();
        let long = "internationalisations";
        assert!(Key::new(1, long).is_none());
        assert_eq!(stem_with(&mut memo, 1, &en, long), en.stem(long));
        assert!(memo.sets.is_empty(), "nothing to remember");
        // A short word whose stem would not fit is not kept either.
        assert!(Slot::new(Key::default(), "sixteen bytes!!!").is_none());
    }

    #[test]
    fn keys_are_the_padded_bytes_then_style_and_length() {
        let word = "abcdefghijklmnop";
        for n in 1..=MAX_BYTES {
            let mut b = [0u8; 16];
            b[..n].copy_from_slice(&word.as_bytes()[..n]);
            b[15] = (3 << 4) | n as u8;
            let lo = u64::from_le_bytes(b[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(b[8..].try_into().unwrap());
            assert_eq!(Key::new(3, &word[..n]), Some(Key([lo, hi])), "{n}");
        }
    }

    #[test]
    fn keys_tell_lengths_and_styles_apart() {
        assert_ne!(Key::new(1, "a"), Key::new(1, "a\0"));
        assert_ne!(Key::new(1, "down"), Key::new(2, "down"));
        assert!(Key::new(0, "a").is_some_and(|k| k != Key::default()));
        assert!(Key::new(16, "a").is_none());
        assert!(Key::new(1, "").is_none());
    }

    #[test]
    fn a_full_set_keeps_the_two_used_last() {
        let en = Stemmer::new(Lang::En);
        // One set: every word shares it.
        let mut memo = StemMemo::with_set_bits(0);
        let key = |w: &str| Key::new(1, w).unwrap_or_default();
        stem_with(&mut memo, 1, &en, "loading");
        stem_with(&mut memo, 1, &en, "crashed");
        stem_with(&mut memo, 1, &en, "loading");
        stem_with(&mut memo, 1, &en, "errors");
        let kept: Vec<Key> = memo.sets[0].iter().map(|s| s.key).collect();
        assert_eq!(kept, [key("errors"), key("loading")]);
        assert_eq!(memo.sets[0][1].stem(), Some("load"));
    }

    #[test]
    fn the_scorer_asks_the_memory_the_tagger_writes_with() {
        let en = Stemmer::new(Lang::En);
        let mut out = String::new();
        push_stem(Lang::En, &en, "zorblings", &mut out);
        assert_eq!(out, "zorbl");
        // The word is now in the thread's memory under the English style.
        let key = Key::new(Style::Stemmed(Lang::En).index() as u8, "zorblings");
        let kept = with_recent(|memo| {
            let key = key.unwrap_or_default();
            memo.sets
                .get(key.set(memo.bits))
                .is_some_and(|set| set.iter().any(|slot| slot.key == key))
        });
        assert!(kept);
    }

    #[test]
    fn a_memory_in_use_lends_a_small_one() {
        let es = Stemmer::new(Lang::Es);
        let inner = with_recent(|_| {
            let mut out = String::new();
            push_stem(Lang::Es, &es, "funcionando", &mut out);
            out
        });
        assert_eq!(inner, "funcion");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// Whatever was asked before, and however often slots were reused,
        /// the memo answers what the stemmer says.
        #[test]
        fn the_memo_says_what_the_stemmer_says(
            words in prop::collection::vec(
                (0usize..4, "[a-zñçãé']{1,17}|(run|crash|load|happ)(y|ing|ed|ies|s|)"),
                1..200,
            ),
            bits in 0u32..4,
        ) {
            let stemmers: Vec<Stemmer> = [
                Lang::En,
                Lang::Es,
                Lang::Pt,
                Lang::Fr,
            ]
            .into_iter()
            .map(Stemmer::new)
            .collect();
            let mut memo = StemMemo::with_set_bits(bits);
            for (lang, word) in words.iter().chain(&words) {
                let stemmer = &stemmers[*lang];
                let style = u8::try_from(*lang + 1).unwrap_or(1);
                prop_assert_eq!(
                    stem_with(&mut memo, style, stemmer, word),
                    stemmer.stem(word).into_owned()
                );
            }
        }
    }

    /// What [`StemPrefixes`] rests on: a set holding a word's stem lets
    /// the word through. Tried on every word of every lexicon file with
    /// every ending (and cut by its last letter, so that an ending may
    /// replace it), and on every word of the check set's posts, through all
    /// four stemmers: a Spanish post's words are stemmed in English too.
    #[test]
    fn a_set_holding_a_words_stem_lets_the_word_through() {
        use crate::lexicons::Lexicons;
        use crate::tag::lex::{fold_into, lex, Kind};
        let lexicons = Lexicons::embedded();
        let mut texts: Vec<String> = Vec::new();
        for lang in Lang::ALL {
            let code = lang.code();
            for name in [
                format!("sentiment/{code}.tsv"),
                format!("modifiers/{code}.tsv"),
                format!("outage/{code}.txt"),
                format!("complaint/{code}.tsv"),
                format!("complaint/tone-{code}.tsv"),
                format!("complaint/service-{code}.tsv"),
            ] {
                let text = lexicons.read(&name).unwrap();
                texts.extend(
                    Lexicons::data_lines(&text)
                        .map(|(_, l)| l.split('\t').next().unwrap_or("").to_string()),
                );
            }
        }
        let posts = include_str!("../../tests/fixtures/checkset/posts.tsv");
        texts.extend(
            posts
                .lines()
                .map(|l| l.splitn(4, '\t').nth(3).unwrap_or(l).to_string()),
        );
        // The English stemmer's exceptions, which it stems as listed.
        texts.push(
            "skis skies dying lying tying idly gently ugly early only singly sky news howe \
             atlas cosmos bias andes inning outing canning herring earring proceed exceed \
             succeed"
                .to_string(),
        );
        // The words as the streams' writer hands them to the stemmer:
        // lexed, folded, split at apostrophes (the English rule drops them).
        let mut words = std::collections::BTreeSet::new();
        let (mut lower, mut tokens) = (String::new(), Vec::new());
        for text in &texts {
            lex(text, &mut lower, &mut tokens);
            for t in tokens.iter().filter(|t| t.kind == Kind::Word) {
                let mut folded = String::new();
                fold_into(&lower[t.start..t.end], &mut folded, false);
                words.insert(folded.replace('\'', ""));
                words.extend(
                    folded
                        .split('\'')
                        .filter(|p| !p.is_empty())
                        .map(String::from),
                );
            }
        }
        let mut checked = 0;
        for lang in Lang::ALL {
            let stemmer = Stemmer::new(lang);
            for base in &words {
                let cut = base.char_indices().last().map_or(0, |(i, _)| i);
                for stem_of in [&base[..], &base[..cut]] {
                    for ending in ENDINGS {
                        let word = format!("{stem_of}{ending}");
                        if word.is_empty() {
                            continue;
                        }
                        let stem = stemmer.stem(&word);
                        let mut set = StemPrefixes::default();
                        set.insert(&stem);
                        assert!(
                            set.may_stem_into(&word),
                            "{lang:?}: {word:?} stems to {stem:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// The same for every word of up to four letters a-z, with y and the
    /// ending e among them, through all four stemmers: what a new version
    /// of the stemmers would most likely break.
    #[test]
    fn every_short_word_passes_a_set_holding_its_stem() {
        let letters: Vec<char> = ('a'..='z').collect();
        let mut words: Vec<String> = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..4 {
            words = words
                .iter()
                .flat_map(|w| letters.iter().map(move |&c| format!("{w}{c}")))
                .collect();
            all.extend(words.iter().cloned());
        }
        for lang in Lang::ALL {
            let stemmer = Stemmer::new(lang);
            for word in &all {
                let stem = stemmer.stem(word);
                let mut set = StemPrefixes::default();
                set.insert(&stem);
                assert!(
                    set.may_stem_into(word),
                    "{lang:?}: {word:?} stems to {stem:?}"
                );
            }
        }
        assert_eq!(all.len(), 26 + 26 * 26 + 26 * 26 * 26 + 26 * 26 * 26 * 26);
    }
}

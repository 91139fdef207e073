//! Loading the valence and modifier lists into lookup tables.
//!
//! Every term goes through the same tokenizer as the posts do, so a lexicon
//! line and the text it should match always agree on case, apostrophes,
//! hyphens and emoji variation selectors. Lookups happen millions of times,
//! so the tables use a small multiplicative hasher instead of SipHash (the
//! keys are our own lexicon terms; hash flooding is not a concern here).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::stemmer::Stemmer;

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};
use crate::tag::stems::StemPrefixes;

use super::tokens::{self, Kind, Tokens};

/// Rotate-multiply hashing in the style of Firefox's FxHash: a few cycles per
/// word, which matters when every token of every post is looked up.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

/// The last 1 to 7 bytes of a key as a little-endian word padded with zeros,
/// read with overlapping loads rather than copied into a buffer: the short
/// keys hashed here (words) are nearly all tail.
#[inline]
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    match rest {
        [] => 0,
        [a, .., z] if n >= 4 => {
            let lo = u32::from_le_bytes([*a, rest[1], rest[2], rest[3]]);
            let hi = u32::from_le_bytes([rest[n - 4], rest[n - 3], rest[n - 2], *z]);
            u64::from(lo) | (u64::from(hi) << (8 * (n - 4)))
        }
        [a, ..] => {
            // One to three bytes: the first, the middle and the last cover
            // them all.
            u64::from(*a)
                | (u64::from(rest[n / 2]) << (8 * (n / 2)))
                | (u64::from(rest[n - 1]) << (8 * (n - 1)))
        }
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail_word(rest) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// What a modifier does to the sentiment words near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModKind {
    /// Flips (and dampens) the sentiment words in the next few tokens.
    Negator,
    /// Adds its weight to the strength of the next sentiment word.
    Booster,
    /// Takes its weight off the strength of the next sentiment word.
    Dampener,
    /// "but": what follows counts more, what precedes less.
    Contrast,
    /// "although": the clause it opens counts less.
    Concessive,
}

impl ModKind {
    fn parse(s: &str) -> Option<ModKind> {
        match s {
            "negator" => Some(ModKind::Negator),
            "booster" => Some(ModKind::Booster),
            "dampener" => Some(ModKind::Dampener),
            "contrast" => Some(ModKind::Contrast),
            "concessive" => Some(ModKind::Concessive),
            _ => None,
        }
    }

    /// The weights that make sense for each kind (see the modifier files'
    /// header comment for what the weight means).
    fn weight_range(self) -> (f32, f32) {
        match self {
            ModKind::Negator => (0.0, 1.0),
            ModKind::Booster | ModKind::Dampener => (0.0, 2.0),
            ModKind::Contrast | ModKind::Concessive => (1.0, 2.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Modifier {
    pub kind: ModKind,
    pub weight: f32,
}

/// One term of a language table: a sentiment valence, a modifier role, or
/// both ("no" negates and "pretty" boosts, yet each also means something on
/// its own).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Entry {
    pub valence: Option<f32>,
    pub modifier: Option<Modifier>,
    /// The most words of a multi-word term that starts with this word (0:
    /// none), so one lookup per word also says whether to try phrases.
    pub phrase: u8,
    /// Which bytes start the second word of those terms, each as bit
    /// [`follow_bit`]: a word after this one that starts with none of them
    /// begins no term with it, without looking any up.
    pub follow: u32,
    /// A frequent word known to carry nothing ("the", "que"): no fallback
    /// lookups for it.
    pub plain: bool,
    /// In the English table: the languages whose common words include this
    /// one (bits as in `detect`), the evidence for guessing a language.
    pub langs: u8,
}

impl Entry {
    /// Whether the entry says anything about the word itself (an entry may
    /// exist only to mark the start of phrases).
    pub fn is_term(&self) -> bool {
        self.valence.is_some() || self.modifier.is_some()
    }
}

/// The terms of one language.
pub(crate) struct Table {
    pub entries: FastMap<Box<str>, Entry>,
    /// Stem of every single-word valence entry → mean valence of the words
    /// with that stem; consulted only for words not in `entries`.
    pub stems: FastMap<Box<str>, f32>,
    /// The first characters of every stem, so that most unknown words are
    /// rejected without running the (allocating) stemmer at all.
    pub stem_prefixes: StemPrefixes,
    pub stemmer: Stemmer,
    pub lang: Lang,
    pub valence_terms: usize,
    pub modifier_terms: usize,
}

impl Table {
    fn new(lang: Lang) -> Table {
        Table {
            entries: FastMap::default(),
            stems: FastMap::default(),
            stem_prefixes: StemPrefixes::default(),
            stemmer: Stemmer::new(lang),
            lang,
            valence_terms: 0,
            modifier_terms: 0,
        }
    }

    /// Valence of a word not in the table, through its stem. Words of
    /// fewer than four characters are left alone: what stems alike at that
    /// length is rarely the same word ("cut" and "cuts", "pu" and "pue").
    pub fn stem_valence(&self, word: &str, tmp: &mut String) -> Option<f32> {
        if self.stems.is_empty() || word.chars().nth(MIN_STEMMED_CHARS - 1).is_none() {
            return None;
        }
        if self.stemmer.keeps(word) {
            return self.stems.get(word).copied();
        }
        if !self.may_stem_to_a_stem(word) {
            return None;
        }
        tmp.clear();
        crate::tag::stems::push_stem(self.lang, &self.stemmer, word, tmp);
        self.stems.get(tmp.as_str()).copied()
    }

    /// False only when no stem in the table can be `word`'s (see
    /// [`StemPrefixes`]).
    fn may_stem_to_a_stem(&self, word: &str) -> bool {
        self.stem_prefixes.may_stem_into(word)
    }
}

/// The shortest word looked up through its stem; the shortest stem kept
/// is one shorter.
const MIN_STEMMED_CHARS: usize = 4;

/// Emoji and emoticons, shared by every language.
#[derive(Default)]
pub(crate) struct Symbols {
    pub map: FastMap<Box<str>, f32>,
    pub max_len: usize,
}

impl Symbols {
    #[inline]
    pub fn get(&self, key: &str) -> Option<f32> {
        self.map.get(key).copied()
    }

    fn insert(&mut self, key: String, valence: f32, overwrite: bool) {
        self.max_len = self.max_len.max(key.len());
        if overwrite {
            self.map.insert(key.into_boxed_str(), valence);
        } else {
            self.map.entry(key.into_boxed_str()).or_insert(valence);
        }
    }
}

pub(crate) struct Lexicon {
    tables: [Table; 4],
    pub symbols: Symbols,
}

impl Lexicon {
    pub fn table(&self, lang: Lang) -> &Table {
        &self.tables[lang.index()]
    }

    pub fn read(lexicons: &Lexicons) -> Result<Lexicon, LexiconError> {
        let mut files = Vec::new();
        for lang in Lang::ALL {
            for folder in ["sentiment", "modifiers"] {
                let name = format!("{folder}/{}.tsv", lang.code());
                let text = lexicons.read(&name)?;
                files.push((name, text.into_owned()));
            }
        }
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        Lexicon::from_texts(&borrowed)
    }

    /// Builds the tables from `(name, text)` pairs named like the files in
    /// `lexicons/` (`sentiment/en.tsv`, `modifiers/fr.tsv`); a file that is
    /// not given counts as empty.
    pub fn from_texts(files: &[(&str, &str)]) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon {
            tables: Lang::ALL.map(Table::new),
            symbols: Symbols::default(),
        };
        let mut scratch = Tokens::default();
        // English first so that its emoji and emoticons win over another
        // file's line for the same symbol.
        for lang in Lang::ALL {
            for (name, text) in files {
                if *name == format!("sentiment/{}.tsv", lang.code()) {
                    lex.load_valences(lang, name, text, &mut scratch)?;
                }
            }
            for (name, text) in files {
                if *name == format!("modifiers/{}.tsv", lang.code()) {
                    lex.load_modifiers(lang, name, text, &mut scratch)?;
                }
            }
        }
        for (table, lang) in lex.tables.iter_mut().zip(Lang::ALL) {
            add_folded_keys(table);
            build_stems(table, lang);
            if lang == Lang::En {
                // Every language's common words, so that scoring a post as
                // English also gathers the evidence for its real language.
                for (word, mask) in super::detect::common_word_masks() {
                    let entry = table.entries.entry(word.into()).or_default();
                    entry.langs |= mask;
                    if !entry.is_term() {
                        entry.plain = true;
                    }
                }
                continue;
            }
            for word in super::detect::common_words_of(lang) {
                let key = tokens::normalize_word(word, lang);
                let entry = table.entries.entry(key.into_boxed_str()).or_default();
                if !entry.is_term() {
                    entry.plain = true;
                }
            }
        }
        for (name, _) in files {
            let known = Lang::ALL.iter().any(|l| {
                *name == format!("sentiment/{}.tsv", l.code())
                    || *name == format!("modifiers/{}.tsv", l.code())
            });
            if !known {
                return Err(LexiconError {
                    file: name.to_string(),
                    line: None,
                    reason: "not a sentiment or modifier lexicon outcry knows".into(),
                });
            }
        }
        Ok(lex)
    }

    fn load_valences(
        &mut self,
        lang: Lang,
        name: &str,
        text: &str,
        scratch: &mut Tokens,
    ) -> Result<(), LexiconError> {
        for (line_no, line) in Lexicons::data_lines(text) {
            let mut fields = line.split('\t');
            let term = fields.next().unwrap_or("").trim();
            let value = fields
                .next()
                .ok_or_else(|| LexiconError::at(name, line_no, "expected term<TAB>valence"))?
                .trim();
            if fields.next().is_some_and(|f| !f.trim().is_empty()) {
                return Err(LexiconError::at(
                    name,
                    line_no,
                    "expected two fields, term<TAB>valence",
                ));
            }
            if term.is_empty() {
                return Err(LexiconError::at(name, line_no, "empty term"));
            }
            let valence: f32 = value.parse().map_err(|_| {
                LexiconError::at(name, line_no, format!("valence {value:?} is not a number"))
            })?;
            if !valence.is_finite() || !(-4.0..=4.0).contains(&valence) {
                return Err(LexiconError::at(
                    name,
                    line_no,
                    format!("valence {value} is outside -4..4"),
                ));
            }
            match classify(term) {
                TermClass::Emoji(key) => self.symbols.insert(key, valence, lang == Lang::En),
                TermClass::Emoticon(key) => self.symbols.insert(key, valence, lang == Lang::En),
                TermClass::Words => {
                    let key = term_key(term, lang, scratch)
                        .ok_or_else(|| LexiconError::at(name, line_no, "no word in term"))?;
                    let table = &mut self.tables[lang.index()];
                    note_phrase(table, &key);
                    let entry = table.entries.entry(key.into_boxed_str()).or_default();
                    if entry.valence.is_none() {
                        table.valence_terms += 1;
                    }
                    entry.valence = Some(valence);
                }
            }
        }
        Ok(())
    }

    fn load_modifiers(
        &mut self,
        lang: Lang,
        name: &str,
        text: &str,
        scratch: &mut Tokens,
    ) -> Result<(), LexiconError> {
        for (line_no, line) in Lexicons::data_lines(text) {
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [term, kind, weight] = fields[..] else {
                return Err(LexiconError::at(
                    name,
                    line_no,
                    "expected term<TAB>kind<TAB>weight",
                ));
            };
            let kind = ModKind::parse(kind).ok_or_else(|| {
                LexiconError::at(
                    name,
                    line_no,
                    format!(
                        "kind {kind:?} is not negator, booster, dampener, contrast or concessive"
                    ),
                )
            })?;
            let weight: f32 = weight.parse().map_err(|_| {
                LexiconError::at(name, line_no, format!("weight {weight:?} is not a number"))
            })?;
            let (lo, hi) = kind.weight_range();
            if !weight.is_finite() || !(lo..=hi).contains(&weight) {
                return Err(LexiconError::at(
                    name,
                    line_no,
                    format!("weight {weight} is outside {lo}..{hi} for this kind"),
                ));
            }
            let key = term_key(term, lang, scratch)
                .ok_or_else(|| LexiconError::at(name, line_no, "no word in term"))?;
            let table = &mut self.tables[lang.index()];
            note_phrase(table, &key);
            let entry = table.entries.entry(key.into_boxed_str()).or_default();
            if entry.modifier.is_none() {
                table.modifier_terms += 1;
            }
            entry.modifier = Some(Modifier { kind, weight });
        }
        Ok(())
    }
}

enum TermClass {
    Emoji(String),
    Emoticon(String),
    Words,
}

fn classify(term: &str) -> TermClass {
    if let Some(c) = term.chars().find(|&c| tokens::is_emoji(c)) {
        return TermClass::Emoji(c.to_string());
    }
    let symbolic = !term.contains(char::is_whitespace)
        && term
            .chars()
            .any(|c| !(c.is_alphanumeric() || tokens::is_apostrophe(c) || c == '-'));
    if symbolic {
        TermClass::Emoticon(term.to_lowercase())
    } else {
        TermClass::Words
    }
}

/// The key a term is stored under: its normalised tokens joined by spaces,
/// exactly as the scorer lays out a post's tokens.
fn term_key(term: &str, lang: Lang, toks: &mut Tokens) -> Option<String> {
    if is_own_key(term) {
        return Some(term.to_string());
    }
    tokens::tokenize(term, &Symbols::default(), lang, toks);
    if toks.toks.iter().any(|t| t.kind == Kind::Word) {
        Some(toks.buf.clone())
    } else {
        None
    }
}

/// Whether `term` tokenizes to itself, as most lexicon lines do: lower-case
/// ASCII words one space apart, none with a letter written three times in a
/// row (which the tokenizer would squeeze). Such a term needs no tokenizing
/// at load.
fn is_own_key(term: &str) -> bool {
    let b = term.as_bytes();
    let letters_or_single_spaces = b.iter().enumerate().all(|(i, &c)| {
        c.is_ascii_lowercase() || (c == b' ' && i > 0 && i + 1 < b.len() && b[i - 1] != b' ')
    });
    letters_or_single_spaces && !b.is_empty() && !b.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
}

fn note_phrase(table: &mut Table, key: &str) {
    // Nearly every term is one word, and a plain loop over its few bytes
    // turns it away for less than splitting it does.
    if !key.bytes().any(|b| b == b' ') {
        return;
    }
    let words = key.split(' ').count();
    if words > 1 {
        let mut parts = key.split(' ');
        let first = parts.next().unwrap_or(key);
        let second = parts.next().and_then(|w| w.bytes().next());
        let n = u8::try_from(words).unwrap_or(u8::MAX);
        let slot = table.entries.entry(first.into()).or_default();
        slot.phrase = slot.phrase.max(n);
        // An empty second word (two spaces) is never a token's: no bit.
        slot.follow |= second.map_or(0, follow_bit);
    }
}

/// The bit of [`Entry::follow`] for a word starting with byte `b`: its low
/// five bits, so the letters a to z each have their own.
pub(crate) fn follow_bit(b: u8) -> u32 {
    1 << (b & 31)
}

/// Posts often drop accents ("pessimo", "nao"); the folded spelling of a term
/// is added when no other term already has it.
fn add_folded_keys(table: &mut Table) {
    let mut extra = Vec::new();
    for (key, entry) in &table.entries {
        if key.is_ascii() {
            continue;
        }
        let folded = tokens::fold_accents(key);
        if folded != **key && !table.entries.contains_key(folded.as_str()) {
            extra.push((folded, *entry));
        }
    }
    extra.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, entry) in extra {
        note_phrase(table, &key);
        table.entries.entry(key.into_boxed_str()).or_insert(entry);
    }
}

/// Whether `term` is a base form of `stem`: the stem itself or it plus a
/// short ending ("love" → "love", "bueno" → "buen", "happy" → "happi").
/// Derived words are left out so that the fallback maps inflections of a
/// listed word ("loved", "buenas") and never derivations back to a neutral
/// root ("willing" ↛ "will", "wonderful" ↛ "wonder").
fn is_base_form(term: &str, stem: &str, lang: Lang) -> bool {
    let max_ending = if lang == Lang::En { 1 } else { 2 };
    if let Some(ending) = term.strip_prefix(stem) {
        return ending.chars().count() <= max_ending;
    }
    // Snowball writes a final y as i: "happy" → "happi".
    let (Some(t), Some(s)) = (term.strip_suffix('y'), stem.strip_suffix('i')) else {
        return false;
    };
    t == s
}

fn build_stems(table: &mut Table, lang: Lang) {
    let mut sums: FastMap<Box<str>, (f32, u32)> = FastMap::default();
    for (key, entry) in &table.entries {
        // Zero-valence lines exist to stop the stem fallback ("likely" is not
        // "like"); they must not water down the stem they guard against.
        let Some(v) = entry.valence.filter(|v| *v != 0.0) else {
            continue;
        };
        if key.contains(' ') || entry.modifier.is_some() || key.chars().count() < 3 {
            continue;
        }
        let stem = table.stemmer.stem(key);
        if !is_base_form(key, &stem, lang) {
            continue;
        }
        let slot = sums.entry(stem.as_ref().into()).or_insert((0.0, 0));
        slot.0 += v;
        slot.1 += 1;
    }
    for (stem, (sum, n)) in sums {
        let len = stem.chars().count();
        if len < MIN_STEMMED_CHARS - 1 {
            continue;
        }
        table.stem_prefixes.insert(&stem);
        table.stems.insert(stem, sum / n as f32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheap check before stemming is only worth having if it never
    /// turns away a word the stem table would have matched: every
    /// inflection of every term, in every language, with the accents and
    /// the y a writer (or the stemmer) may change up front.
    #[test]
    fn the_stem_prefix_check_never_rejects_a_word_with_a_stem_in_the_table() {
        use crate::tag::stems::ENDINGS;
        let lexicon = Lexicon::read(&Lexicons::embedded()).unwrap();
        let mut checked = 0;
        for lang in Lang::ALL {
            let table = lexicon.table(lang);
            let mut words: Vec<String> = Vec::new();
            for term in table.entries.keys().filter(|t| !t.contains(' ')) {
                let cut = term.char_indices().last().map_or(0, |(i, _)| i);
                for base in [&term[..], &term[..cut]] {
                    words.extend(ENDINGS.iter().map(|e| format!("{base}{e}")));
                }
                words.push(term.replacen('a', "á", 1).replacen('i', "y", 1));
                words.push(crate::sentiment::tokens::fold_accents(term));
            }
            words.extend(
                ["dying", "lying", "tying", "awing", "denying", "éxitos"].map(String::from),
            );
            for w in words
                .iter()
                .filter(|w| w.chars().count() >= MIN_STEMMED_CHARS)
            {
                let through_stem = table.stems.get(table.stemmer.stem(w).as_ref()).copied();
                assert_eq!(
                    table.stem_valence(w, &mut String::new()),
                    through_stem,
                    "{lang:?} {w:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn plain_terms_are_their_own_keys() {
        assert!(is_own_key("good"));
        assert!(is_own_key("not bad"));
        assert!(is_own_key("a lot of"));
        assert!(!is_own_key(""));
        assert!(!is_own_key("Good"), "capitals are lowered");
        assert!(!is_own_key("not  bad"), "two spaces");
        assert!(!is_own_key("don't"));
        assert!(!is_own_key("well-made"));
        assert!(!is_own_key("cool2"));
        assert!(!is_own_key("zzz"), "squeezed by the tokenizer");
        assert!(!is_own_key("péssimo"));
        let mut toks = Tokens::default();
        assert_eq!(
            term_key("Not Bad", Lang::En, &mut toks).as_deref(),
            Some("not bad")
        );
    }

    /// Every line of the built-in lexicons that takes the shortcut gets the
    /// key tokenizing would give it.
    #[test]
    fn built_in_terms_taking_the_shortcut_tokenize_to_themselves() {
        let lexicons = Lexicons::embedded();
        let mut taken = 0;
        for lang in Lang::ALL {
            for folder in ["sentiment", "modifiers"] {
                let text = lexicons
                    .read(&format!("{folder}/{}.tsv", lang.code()))
                    .expect("built in");
                for (_, line) in Lexicons::data_lines(&text) {
                    let term = line.split('\t').next().unwrap_or("").trim();
                    if !is_own_key(term) {
                        continue;
                    }
                    let mut toks = Tokens::default();
                    tokens::tokenize(term, &Symbols::default(), lang, &mut toks);
                    assert_eq!(toks.buf, term, "{lang:?} {term:?}");
                    taken += 1;
                }
            }
        }
        assert!(taken > 5000, "{taken}");
    }

    proptest::proptest! {
        /// The shortcut gives the key tokenizing would, whenever it is taken.
        #[test]
        fn own_keys_are_what_tokenizing_gives(term in "[a-c A'\\-]{0,9}", lang in 0usize..4) {
            let lang = Lang::ALL[lang];
            let mut toks = Tokens::default();
            let slow = || {
                let mut toks = Tokens::default();
                tokens::tokenize(&term, &Symbols::default(), lang, &mut toks);
                toks.toks.iter().any(|t| t.kind == Kind::Word).then(|| toks.buf.clone())
            };
            proptest::prop_assert_eq!(term_key(&term, lang, &mut toks), slow());
        }
    }

    #[test]
    fn tail_words_are_the_zero_padded_bytes() {
        let bytes: Vec<u8> = (0..8u8)
            .map(|i| 0x81u8.wrapping_mul(i + 3) ^ 0x5a)
            .collect();
        for n in 1..8 {
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(tail_word(&bytes[..n]), u64::from_le_bytes(padded), "{n}");
        }
        assert_eq!(tail_word(&[]), 0);
        assert_eq!(tail_word(&[1, 2, 3]), 0x03_02_01);
    }

    #[test]
    fn no_lexicon_has_duplicate_terms() {
        for lang in Lang::ALL {
            let file = format!("sentiment/{}.tsv", lang.code());
            let text = Lexicons::embedded().read(&file).expect("built in");
            let mut scratch = Tokens::default();
            let mut seen = std::collections::HashMap::new();
            for (line_no, line) in Lexicons::data_lines(&text) {
                let term = line.split('\t').next().unwrap_or("").trim();
                let key = match classify(term) {
                    TermClass::Emoji(k) | TermClass::Emoticon(k) => k,
                    TermClass::Words => term_key(term, lang, &mut scratch).expect("a word"),
                };
                if let Some(first) = seen.insert(key.clone(), line_no) {
                    panic!("{file}: {term:?} on line {line_no} repeats line {first} as {key:?}");
                }
            }
            assert!(seen.len() >= 1000, "{file}: {} terms", seen.len());
        }
    }

    #[test]
    fn every_built_in_lexicon_loads() {
        let lex = Lexicon::read(&Lexicons::embedded()).expect("built-in lexicons load");
        assert!(lex.table(Lang::En).valence_terms >= 3000);
        for lang in Lang::ALL {
            assert!(lex.table(lang).modifier_terms > 0, "{lang:?}");
        }
    }

    #[test]
    fn only_base_forms_feed_the_stem_fallback() {
        assert!(is_base_form("love", "love", Lang::En));
        assert!(is_base_form("loves", "love", Lang::En));
        assert!(is_base_form("happy", "happi", Lang::En));
        assert!(!is_base_form("willing", "will", Lang::En));
        assert!(!is_base_form("wonderful", "wonder", Lang::En));
        assert!(is_base_form("bueno", "buen", Lang::Es));
        assert!(!is_base_form("buenamente", "buen", Lang::Es));
    }

    #[test]
    fn a_word_knows_which_letters_start_the_words_after_it_in_terms() {
        let lex = Lexicon::from_texts(&[
            (
                "sentiment/en.tsv",
                "a lot\t1\nnot bad\t1.5\nnot too bad\t1\n",
            ),
            ("modifiers/en.tsv", "a bit\tdampener\t0.5\n"),
        ])
        .expect("loads");
        let table = lex.table(Lang::En);
        let follow = |w: &str| table.entries.get(w).map_or(0, |e| e.follow);
        assert_eq!(follow("a"), (1 << 12) | (1 << 2), "l and b");
        assert_eq!(follow("not"), (1 << 2) | (1 << 20), "b and t");
        assert_eq!(follow("lot"), 0);
        assert_eq!(follow_bit(b'l'), 1 << 12);
        assert_eq!(follow_bit(b'L'), 1 << 12);
    }

    #[test]
    fn accent_free_spellings_find_accented_terms() {
        let lex = Lexicon::from_texts(&[("sentiment/pt.tsv", "péssimo\t-3\n")]).expect("loads");
        let table = lex.table(Lang::Pt);
        assert_eq!(
            table.entries.get("pessimo").and_then(|e| e.valence),
            Some(-3.0)
        );
    }
}

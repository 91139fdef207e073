//! A language's Snowball stemmer, which skips the words it would give back
//! unchanged.
//!
//! The scorer and the tagger stem every word they do not know as written,
//! and running rust-stemmers costs a few thousand instructions a word: more
//! than everything else done with that word. Many such words cannot change:
//! a Snowball stemmer only rewrites a word's ending, and then only an ending
//! in one of its suffix lists. A word that ends in a character no suffix of
//! its language ends in ("netflix", "smh", "roku", "nw-2-5") is its own stem,
//! which [`Stemmer::keeps`] tells from its last byte.
//!
//! It also corrects the algorithms in two places where the streams' folding
//! of accents made them part words that belong together or join words that
//! do not (see [`Stemmer::stem_unskipped`]).

use std::borrow::Cow;

use crate::lang::Lang;

pub struct Stemmer {
    inner: rust_stemmers::Stemmer,
    /// Bit `b` set when some suffix or literal ending the stemmer of this
    /// language tests for ends in ASCII byte `b`.
    endings: u128,
    lang: Lang,
}

/// The ASCII characters that end a suffix (or a literal tested at the end
/// of a word) in rust-stemmers 1.2's algorithm for each language, read off
/// its `Among` tables and `eq_s_b` literals. Endings beyond ASCII do not
/// matter: only words all in ASCII are ever kept unchanged.
fn suffix_last_bytes(lang: Lang) -> &'static [u8] {
    match lang {
        Lang::En => b"'bcdefgilmnprstyz",
        Lang::Es => b"acdeglnorstuv",
        Lang::Pt => b"acdegilmorstuv",
        Lang::Fr => b"acefilnpqrstuvxyz",
    }
}

impl Stemmer {
    pub fn new(lang: Lang) -> Stemmer {
        let endings = suffix_last_bytes(lang)
            .iter()
            .fold(0u128, |bits, &b| bits | (1u128 << (b & 0x7f)));
        Stemmer {
            inner: rust_stemmers::Stemmer::create(lang.stemmer_algorithm()),
            endings,
            lang,
        }
    }

    /// True when `word` is its own stem, known without running the stemmer.
    ///
    /// Besides cutting and rewriting endings, the four algorithms only
    /// - mark letters in a prelude and unmark them after (English y as Y;
    ///   French i, u and y as I, U and Y), which gives back any lowercase
    ///   word, but would lower an uppercase Y, I or U written in it;
    /// - write Portuguese ã and õ as "a~" and "o~" meanwhile, so a "~" in
    ///   the word could come back as an accent;
    /// - drop a leading apostrophe (English);
    /// - take accents off (Spanish, everywhere; French, an é or è near the
    ///   end), which no word all in ASCII carries.
    ///
    /// So a word all in lowercase ASCII, without "~" or a leading
    /// apostrophe, whose last byte ends no suffix, comes back as it is.
    pub fn keeps(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let Some(&last) = bytes.last() else {
            return true;
        };
        last.is_ascii()
            && self.endings & (1u128 << last) == 0
            && bytes.first() != Some(&b'\'')
            && bytes
                .iter()
                .all(|&b| b.is_ascii() && !b.is_ascii_uppercase() && b != b'~')
    }

    /// `word`'s stem: [`Stemmer::stem_unskipped`]'s, without running the
    /// stemmer for a word it would give back as it is.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if self.keeps(word) {
            return Cow::Borrowed(word);
        }
        self.stem_unskipped(word)
    }

    /// `word`'s stem as rust-stemmers gives it, except for a few function
    /// words given back as they are (see [`Stemmer::left_alone`]) and
    /// French words ending in "ee" or "ees" (see [`agreeing_in_french`]).
    /// The equivalence tests' reference normaliser stems this way, so that
    /// [`Stemmer::keeps`] is checked there too.
    pub(crate) fn stem_unskipped<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if self.left_alone(word) {
            return Cow::Borrowed(word);
        }
        let stem = self.inner.stem(word);
        if self.lang == Lang::Fr {
            agreeing_in_french(word, stem)
        } else {
            stem
        }
    }

    /// Function words given back as they are, because their stems are
    /// content words' stems: Portuguese and Spanish "para" (for) stems as
    /// "par", like "parado" and "parou" (stopped), and "cada" (each) as
    /// "cad", like Portuguese "cadê" (where is). Stemmed, every post with
    /// "para" held the complaint phrase "parou". The price: "para" is also
    /// the verb (it stops), and "o app para toda hora" no longer meets
    /// "parou"; the forms that say so clearly ("parou", "parado", "parando")
    /// still meet each other.
    fn left_alone(&self, word: &str) -> bool {
        match self.lang {
            Lang::Pt | Lang::Es => matches!(word, "para" | "cada"),
            Lang::En | Lang::Fr => false,
        }
    }
}

/// The stem of a French word ending in "ee" or "ees" without the "e" the
/// algorithm leaves on it: for a feminine participle, the masculine form's.
///
/// The phrase streams fold accents off before stemming, so that "reglee"
/// typed without accents meets "réglée". But the French algorithm takes a
/// participle's ending off only when it carries its accent: folded,
/// "regle" (réglé) stems to "regl" and "reglee" (réglée) to "regle", and a
/// phrase written in the masculine ("réglé", "coupé") missed every post in
/// the feminine. The rule takes every word so ending, nouns too (idée,
/// journée, musée): stemmed the same way on both sides, entries and posts
/// still meet word for word, and now across gender and number.
fn agreeing_in_french<'a>(word: &str, stem: Cow<'a, str>) -> Cow<'a, str> {
    let ends_in_ee = word.ends_with("ee") || word.ends_with("ees");
    if !ends_in_ee || stem.len() < 2 || !stem.ends_with('e') {
        return stem;
    }
    match stem {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_suffix('e').unwrap_or(s)),
        Cow::Owned(mut s) => {
            s.pop();
            Cow::Owned(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ending_outside_every_suffix_are_kept_and_others_stemmed() {
        let en = Stemmer::new(Lang::En);
        for word in ["netflix", "smh", "roku", "wow", "nw-2-5", "2012", "ok"] {
            assert!(en.keeps(word), "{word}");
            assert_eq!(en.stem(word), word);
        }
        // Endings a suffix may take, capitals, and the apostrophe English
        // drops in front all go to the stemmer.
        for (word, stem) in [
            ("crashing", "crash"),
            ("buffers", "buffer"),
            ("happy", "happi"),
            ("'twas", "twas"),
            ("KAYAK", "KAYAK"),
        ] {
            assert!(!en.keeps(word), "{word}");
            assert_eq!(en.stem(word), stem, "{word}");
        }
        let es = Stemmer::new(Lang::Es);
        assert!(es.keeps("wifi"));
        assert!(!es.keeps("jamás"), "an accent beyond ASCII");
        assert_eq!(es.stem("canción"), "cancion");
        let pt = Stemmer::new(Lang::Pt);
        assert!(!pt.keeps("na~o"), "a tilde may come back as an accent");
        let fr = Stemmer::new(Lang::Fr);
        assert!(fr.keeps("bug"));
        assert!(!fr.keeps("bugs"));
    }

    #[test]
    fn french_feminine_participles_without_accents_stem_as_the_masculine() {
        let fr = Stemmer::new(Lang::Fr);
        for word in [
            "réglé",
            "réglée",
            "réglés",
            "réglées",
            "regle",
            "reglee",
            "reglees",
        ] {
            assert_eq!(fr.stem(word), "regl", "{word}");
        }
        for (feminine, masculine) in [
            ("annulee", "annule"),
            ("coupee", "coupe"),
            ("livree", "livre"),
        ] {
            assert_eq!(fr.stem(feminine), fr.stem(masculine), "{feminine}");
        }
        // Only the e the algorithm leaves after a folded "ée" goes: "ete"
        // (été) keeps the e its stem ends in.
        assert_eq!(fr.stem("idee"), "id");
        assert_eq!(fr.stem("journee"), fr.stem("journe"));
        assert_eq!(fr.inner.stem("ete"), "ete");
        assert_eq!(fr.stem("ete"), "ete");
        // Other languages are as rust-stemmers gives them.
        let en = Stemmer::new(Lang::En);
        assert_eq!(en.stem("agreed"), en.inner.stem("agreed"));
        assert_eq!(en.stem("employee"), en.inner.stem("employee"));
    }

    #[test]
    fn function_words_that_stem_like_content_words_are_left_alone() {
        for lang in [Lang::Pt, Lang::Es] {
            let s = Stemmer::new(lang);
            assert_eq!(s.stem("para"), "para", "{lang:?}");
            assert_eq!(s.stem("cada"), "cada", "{lang:?}");
            assert_eq!(s.stem("parado"), s.inner.stem("parado"), "{lang:?}");
            assert_ne!(s.stem("parado"), s.stem("para"), "{lang:?}");
        }
        let pt = Stemmer::new(Lang::Pt);
        assert_ne!(pt.stem("cadê"), pt.stem("cada"));
        assert_eq!(pt.stem("parou"), pt.stem("parado"));
    }

    /// The rule checked the long way: every word of our lexicons and check
    /// set, every prefix of it and that with each byte a word may end in
    /// appended, wherever `keeps` says the stemmer gives it back unchanged,
    /// it does.
    #[test]
    fn every_word_kept_is_what_the_stemmer_gives_back() {
        let mut words = std::collections::BTreeSet::new();
        for text in crate::lexicons::Lexicons::embedded_texts()
            .chain([include_str!("../tests/fixtures/checkset/posts.tsv")])
        {
            for word in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                let word = word.to_lowercase();
                let ends = word.char_indices().map(|(i, _)| i).skip(1);
                for end in ends.chain([word.len()]) {
                    words.insert(word[..end].to_string());
                }
            }
        }
        assert!(words.len() > 30_000, "{}", words.len());
        let endings: Vec<char> = (b'a'..=b'z').chain(*b"09-_#'~").map(char::from).collect();
        for lang in Lang::ALL {
            let stemmer = Stemmer::new(lang);
            let mut kept = 0;
            for word in &words {
                let with = endings.iter().map(|c| format!("{word}{c}"));
                for w in with.chain([word.clone()]).filter(|w| stemmer.keeps(w)) {
                    assert_eq!(stemmer.inner.stem(&w), w, "{lang:?}");
                    kept += 1;
                }
            }
            assert!(kept > 200_000, "{lang:?} {kept}");
        }
    }
}

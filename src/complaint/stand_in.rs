//! An ASCII text that a set of patterns reads as it reads a text beyond
//! ASCII, when one exists.
//!
//! The lazy DFA gives up on a Unicode `\b` at the first byte beyond ASCII,
//! and the set's slow engine then costs as much as a thousand ASCII posts.
//! But most such characters are nothing to the patterns: a 'ñ' or an 'ø' is
//! only a word character to them, as '_' is, and an emoji, a '£' or a '¿' is
//! only not one, as '~' is. Each such character is replaced by its stand-in
//! (one character for one, so counted repetitions count alike), and the
//! ASCII text is matched by the DFA with the same answer, pattern by
//! pattern. A character the patterns may name (one they hold, in any case,
//! or one whose case is an ASCII letter, such as the Kelvin sign), a space,
//! a digit, or one whose kind is not known here, leaves the text to the
//! slower engines.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use regex::Regex;

/// The stand-in for a word character that is no digit.
const WORD: char = '_';
/// The stand-in for a character that is neither a word character nor a
/// space.
const OTHER: char = '~';

/// Where the characters of a set's patterns are stood in for.
pub(super) struct StandIns {
    /// The characters beyond ASCII the patterns hold, and their cases.
    named: Vec<char>,
    /// The stand-in of each character below [`TABLED`] (after ASCII), as
    /// an index into [`KINDS`] plus one, or 0 while not yet worked out:
    /// posts in Latin scripts meet the same few all the time, and working
    /// one out reads case tables.
    table: Vec<AtomicU8>,
}

/// Characters below this are looked up in [`StandIns::table`]: Latin,
/// Greek, Cyrillic and the other alphabets of two UTF-8 bytes.
const TABLED: u32 = 0x800;

/// What a character is stood in for by: nothing, or one of the stand-ins.
const KINDS: [Option<char>; 3] = [None, Some(WORD), Some(OTHER)];

impl StandIns {
    /// `None` when the patterns hold a stand-in themselves, so that no
    /// text is stood in for.
    pub(super) fn of(patterns: &[String]) -> Option<StandIns> {
        if patterns.iter().any(|p| p.contains([WORD, OTHER])) {
            return None;
        }
        let mut named: Vec<char> = Vec::new();
        for c in patterns
            .iter()
            .flat_map(|p| p.chars())
            .filter(|c| !c.is_ascii())
        {
            let cases = c.to_lowercase().chain(c.to_uppercase());
            for c in std::iter::once(c).chain(cases) {
                for c in std::iter::once(c)
                    .chain(c.to_lowercase())
                    .chain(c.to_uppercase())
                {
                    if !named.contains(&c) {
                        named.push(c);
                    }
                }
            }
        }
        Some(StandIns {
            named,
            table: (0x80..TABLED).map(|_| AtomicU8::new(0)).collect(),
        })
    }

    fn stand_in_for(&self, c: char) -> Option<char> {
        let slot = (u32::from(c) < TABLED)
            .then(|| u32::from(c).checked_sub(0x80))
            .flatten()
            .and_then(|i| self.table.get(i as usize));
        let Some(slot) = slot else {
            return stand_in_for(c, &self.named);
        };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let kind = stand_in_for(c, &self.named);
                // Three kinds: the index fits. Threads that race store the
                // same.
                let index = KINDS.iter().position(|&k| k == kind).unwrap_or(0) as u8;
                slot.store(index + 1, Ordering::Relaxed);
                kind
            }
            known => KINDS.get(usize::from(known - 1)).copied().flatten(),
        }
    }

    /// `text` with every character beyond ASCII replaced by its stand-in,
    /// or `None` if one of them may matter to the patterns.
    pub(super) fn stand_in(&self, text: &str) -> Option<String> {
        // Most texts that cannot be stood in for are found out before
        // anything is allocated.
        if !text
            .chars()
            .all(|c| c.is_ascii() || self.stand_in_for(c).is_some())
        {
            return None;
        }
        let mut ascii = String::with_capacity(text.len());
        for c in text.chars() {
            ascii.push(if c.is_ascii() {
                c
            } else {
                self.stand_in_for(c)?
            });
        }
        Some(ascii)
    }
}

fn stand_in_for(c: char, named: &[char]) -> Option<char> {
    // Its cases, and theirs: where case folding may take it under `(?i)`.
    let lower_of_upper = c.to_uppercase().flat_map(char::to_lowercase);
    let upper_of_lower = c.to_lowercase().flat_map(char::to_uppercase);
    let mut cases = std::iter::once(c)
        .chain(c.to_lowercase())
        .chain(c.to_uppercase())
        .chain(lower_of_upper)
        .chain(upper_of_lower);
    if named.contains(&c)
        || c.is_whitespace()
        || c.is_numeric()
        || cases.any(|c| c.is_ascii() || named.contains(&c))
    {
        return None;
    }
    if joins_or_marks(c) {
        return Some(WORD);
    }
    if c.is_alphabetic() {
        // std may know a newer Unicode than the regex crate: a letter it
        // has and the patterns' tables lack is no word character to them.
        return is_regex_word(c).then_some(WORD);
    }
    neither_word_nor_space(c).then_some(OTHER)
}

/// Whether `c` is a word character (`\w`) to the regex crate, whose
/// Unicode tables, not std's, decide what the patterns match.
fn is_regex_word(c: char) -> bool {
    static WORD_CHAR: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(word) = WORD_CHAR.get_or_init(|| Regex::new(r"\A\w\z").ok()) else {
        return false;
    };
    word.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Marks and joiners common in posts, word characters to a regex (`\w`
/// holds every mark and the joiners): the emoji presentation selector, the
/// zero-width joiner and non-joiner, and the keycap.
fn joins_or_marks(c: char) -> bool {
    matches!(c, '\u{fe0f}' | '\u{200c}' | '\u{200d}' | '\u{20e3}')
}

/// Blocks of punctuation and symbols whose characters (those that are not
/// letters, digits or spaces, which are told apart before) are no word
/// characters: no mark and no connector ('‿', '⁀', '⁔' are left out).
fn neither_word_nor_space(c: char) -> bool {
    matches!(c,
        '\u{a1}'..='\u{bf}'
        | '\u{d7}'
        | '\u{f7}'
        | '\u{2010}'..='\u{203e}'
        | '\u{2041}'..='\u{2053}'
        | '\u{2055}'..='\u{205e}'
        | '\u{20a0}'..='\u{20c0}'
        | '\u{2100}'..='\u{214f}'
        | '\u{2190}'..='\u{2bff}'
        | '\u{3001}'..='\u{3003}'
        | '\u{ff01}'..='\u{ff0f}'
        | '\u{ff1a}'..='\u{ff20}'
        | '\u{1f000}'..='\u{1faff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named() -> StandIns {
        StandIns::of(&[r"(?i)\bc[oó]digo\b".to_string(), "x’".to_string()]).unwrap()
    }

    fn stand_in(text: &str, named: &StandIns) -> Option<String> {
        named.stand_in(text)
    }

    #[test]
    fn the_patterns_name_their_characters_in_both_cases() {
        let named = named().named;
        for c in ['ó', 'Ó', '’'] {
            assert!(named.contains(&c), "{c}");
        }
        assert_eq!(named.len(), 3);
        assert!(StandIns::of(&["a_b".to_string()]).is_none());
        assert!(StandIns::of(&["a~b".to_string()]).is_none());
    }

    #[test]
    fn the_table_says_what_each_character_says_first_and_after() {
        let named = named();
        for _ in 0..2 {
            for u in 0x80..TABLED {
                let Some(c) = char::from_u32(u) else { continue };
                assert_eq!(named.stand_in_for(c), stand_in_for(c, &named.named), "{c}");
            }
        }
    }

    /// What a character stands in for must be what the regex crate, not
    /// std, makes of it: a word character for '_', neither a word
    /// character nor a space for '~', and under `(?i)` no ASCII character
    /// either way. Every character is asked, so a regex or Rust upgrade
    /// that moves the Unicode version of either shows here first.
    #[test]
    fn every_stand_in_is_what_the_regex_crate_makes_of_its_character() {
        let named = named();
        let word = Regex::new(r"\A\w\z").unwrap();
        let word_or_space = Regex::new(r"\A[\w\s]\z").unwrap();
        let ascii_case = Regex::new(r"(?i)\A[\x00-\x7f]\z").unwrap();
        let (mut words, mut others) = (0, 0);
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            let Some(stand_in) = stand_in_for(c, &named.named) else {
                continue;
            };
            let text = c.to_string();
            assert!(!ascii_case.is_match(&text), "{c:?} has an ASCII case");
            if stand_in == WORD {
                assert!(word.is_match(&text), "{c:?} is no word character");
                words += 1;
            } else {
                assert_eq!(stand_in, OTHER);
                assert!(!word_or_space.is_match(&text), "{c:?} is a word or space");
                others += 1;
            }
        }
        // Letters of every script, and the punctuation, symbol and emoji
        // blocks.
        assert!(words > 100_000 && others > 3_000, "{words} {others}");
    }

    #[test]
    fn letters_and_marks_stand_in_as_word_characters_symbols_as_others() {
        let named = named();
        assert_eq!(
            stand_in("mañana £5 ¿ok? 😂\u{fe0f} — fin…", &named).as_deref(),
            Some("ma_ana ~5 ~ok? ~_ ~ fin~")
        );
        assert_eq!(stand_in("plain", &named).as_deref(), Some("plain"));
    }

    #[test]
    fn what_the_patterns_may_name_is_not_stood_in_for() {
        let named = named();
        for text in [
            "código",
            "CÓDIGO",
            "it’s",
            // Cases of ASCII letters: Kelvin, long s, dotted I.
            "\u{212a}eeps",
            "ſecond",
            "İ",
            // Spaces and digits beyond ASCII.
            "2\u{a0}hours",
            "for ٢ hours",
            "２ hours",
            // A combining accent, and a connector: word characters this
            // module does not list.
            "e\u{301}",
            "a‿b",
        ] {
            assert_eq!(stand_in(text, &named), None, "{text}");
        }
    }
}

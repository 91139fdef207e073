//! Unicode properties of characters beyond ASCII, read from tables made once.
//!
//! std answers `char::is_alphanumeric`, `is_uppercase` or `to_lowercase` for
//! a character beyond ASCII by searching its Unicode tables. The lexers ask
//! about every character of a post, several times over, and on a post in
//! Japanese, Arabic or Thai (all letters, hardly any ASCII) or full of
//! emoji those searches took a third of `outcry score`'s time. One bit per
//! character of the first two planes (the living scripts, and the emoji),
//! filled from std's own answers the first time they are needed, gives the
//! same answers with one load; characters beyond them (rare Chinese
//! characters, mostly) still ask std.

use std::sync::OnceLock;

/// Characters below this are in the tables.
const COVERED: u32 = 0x2_0000;
/// The tables are filled a page of this many characters at a time, when a
/// character of the page is first asked about: loading the lexicons meets
/// a few accented letters, and must not fill the tables for every script.
const PAGE: u32 = 4096;
const PAGES: usize = (COVERED / PAGE) as usize;

type Table = [OnceLock<Box<[u64]>>; PAGES];

static ALPHABETIC: Table = [const { OnceLock::new() }; PAGES];
static ALPHANUMERIC: Table = [const { OnceLock::new() }; PAGES];
static UPPERCASE: Table = [const { OnceLock::new() }; PAGES];
static LOWERCASE: Table = [const { OnceLock::new() }; PAGES];
/// The character lowercases to itself alone (as nearly all do).
static LOWERS_TO_ITSELF: Table = [const { OnceLock::new() }; PAGES];

/// `property` of `c` from `table`, or `None` for a character beyond it.
#[inline]
fn bit(table: &'static Table, property: fn(char) -> bool, c: char) -> Option<bool> {
    let i = c as u32;
    let page = table.get((i / PAGE) as usize)?.get_or_init(|| {
        let first = i - i % PAGE;
        let mut bits = vec![0u64; (PAGE / 64) as usize];
        for (j, c) in (first..first + PAGE).filter_map(|j| Some((j - first, char::from_u32(j)?))) {
            if property(c) {
                bits[(j / 64) as usize] |= 1 << (j % 64);
            }
        }
        bits.into_boxed_slice()
    });
    let j = i % PAGE;
    Some(page.get((j / 64) as usize)? & (1 << (j % 64)) != 0)
}

/// `property` of `c`: std's own answer for ASCII (a comparison or two),
/// the table's beyond it.
#[inline]
fn has(c: char, table: &'static Table, property: fn(char) -> bool) -> bool {
    if c.is_ascii() {
        return property(c);
    }
    bit(table, property, c).unwrap_or_else(|| property(c))
}

/// As [`char::is_alphanumeric`].
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    has(c, &ALPHANUMERIC, char::is_alphanumeric)
}

/// As [`char::is_alphabetic`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    has(c, &ALPHABETIC, char::is_alphabetic)
}

/// As [`char::is_uppercase`].
#[inline]
pub fn is_uppercase(c: char) -> bool {
    has(c, &UPPERCASE, char::is_uppercase)
}

/// As [`char::is_lowercase`].
#[inline]
pub fn is_lowercase(c: char) -> bool {
    has(c, &LOWERCASE, char::is_lowercase)
}

fn lowers_to_itself(c: char) -> bool {
    c.to_lowercase().eq([c])
}

/// Appends what [`char::to_lowercase`] makes of `c` to `out`.
#[inline]
pub fn push_lowercase(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if bit(&LOWERS_TO_ITSELF, lowers_to_itself, c) == Some(true) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_gets_std_s_answers() {
        // Every character the tables cover, and a stretch beyond them.
        for c in (0..COVERED + 0x1000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_lowercase(c), c.is_lowercase(), "{c:?}");
            let mut lowered = String::new();
            push_lowercase(c, &mut lowered);
            assert_eq!(lowered, c.to_lowercase().collect::<String>(), "{c:?}");
        }
    }

    #[test]
    fn hand_picked_characters() {
        assert!(is_alphanumeric('日') && is_alphabetic('ع') && is_alphanumeric('٣'));
        assert!(!is_alphanumeric('😂') && !is_alphanumeric('…') && !is_alphanumeric('¿'));
        assert!(is_uppercase('Ñ') && is_lowercase('ß') && !is_uppercase('日'));
        let mut s = String::new();
        for c in ['Ñ', 'İ', 'Σ', '日', 'A'] {
            push_lowercase(c, &mut s);
        }
        assert_eq!(s, "ñi\u{307}σ日a");
    }
}

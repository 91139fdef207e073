//! Unicode properties of characters beyond ASCII, read from tables made once.
//!
//! std answers `char::is_alphanumeric`, `is_uppercase` or `to_lowercase` for
//! a character beyond ASCII by searching its Unicode tables. The lexers ask
//! about every character of a post, several times over, and on a post in
//! Japanese, Arabic or Thai (all letters, hardly any ASCII) or full of
//! emoji those searches took a third of `outcry score`'s time. One bit per
//! character of the first two planes (every script in use, and the emoji),
//! filled from std's own answers the first time they are needed, gives the
//! same answers with one load; characters beyond them still ask std.

use std::sync::OnceLock;

/// Characters below this are in the tables.
const COVERED: usize = 0x2_0000;
const WORDS: usize = COVERED / 64;

struct Tables {
    alphabetic: Box<[u64]>,
    alphanumeric: Box<[u64]>,
    uppercase: Box<[u64]>,
    lowercase: Box<[u64]>,
    /// The character lowercases to itself alone (as all but a few hundred do).
    lowers_to_itself: Box<[u64]>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let table = |property: fn(char) -> bool| -> Box<[u64]> {
            let mut bits = vec![0u64; WORDS];
            for (i, c) in (0..COVERED as u32).filter_map(|i| Some((i, char::from_u32(i)?))) {
                if property(c) {
                    bits[i as usize / 64] |= 1 << (i % 64);
                }
            }
            bits.into_boxed_slice()
        };
        Tables {
            alphabetic: table(char::is_alphabetic),
            alphanumeric: table(char::is_alphanumeric),
            uppercase: table(char::is_uppercase),
            lowercase: table(char::is_lowercase),
            lowers_to_itself: table(|c| c.to_lowercase().eq([c])),
        }
    })
}

/// The bit for `c` in `table`, or `None` for a character beyond the tables.
#[inline]
fn bit(table: &[u64], c: char) -> Option<bool> {
    let i = c as usize;
    let word = table.get(i / 64)?;
    Some(word & (1 << (i % 64)) != 0)
}

/// As [`char::is_alphanumeric`].
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    bit(&tables().alphanumeric, c).unwrap_or_else(|| c.is_alphanumeric())
}

/// As [`char::is_alphabetic`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    bit(&tables().alphabetic, c).unwrap_or_else(|| c.is_alphabetic())
}

/// As [`char::is_uppercase`].
#[inline]
pub fn is_uppercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    bit(&tables().uppercase, c).unwrap_or_else(|| c.is_uppercase())
}

/// As [`char::is_lowercase`].
#[inline]
pub fn is_lowercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    bit(&tables().lowercase, c).unwrap_or_else(|| c.is_lowercase())
}

/// Appends what [`char::to_lowercase`] makes of `c` to `out`.
#[inline]
pub fn push_lowercase(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if bit(&tables().lowers_to_itself, c) == Some(true) {
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
        for c in (0..COVERED as u32 + 0x1000).filter_map(char::from_u32) {
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

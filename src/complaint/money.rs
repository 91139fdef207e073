//! Sums of money stated, not asked about: "$65 for a carry on", "£240 a
//! month from £110", "140€ por un piso de 40 metros".
//!
//! A price told to a company is nearly always a price complained of; the
//! same sum in a question ("is the $5 deal still on?") is a question, and
//! beside cheer it is a bargain, which the sentiment outweighs. So it is a
//! hint, like a denial: it adds to the sum without naming a problem.

use super::negation::statements;
use crate::chars;

/// Signs that make the number beside them a sum of money.
const SIGNS: [char; 3] = ['$', '£', '€'];

/// Words after a number that make it a sum of money.
/// ("pounds" is left out: "I lost 5 pounds" is a weight.)
const UNITS: [&str; 8] = [
    "euros", "euro", "eur", "reais", "pesos", "dollars", "bucks", "quid",
];

/// First letters of [`UNITS`], in lower case.
const UNIT_INITIALS: [u8; 6] = [b'e', b'r', b'p', b'd', b'b', b'q'];

/// A clause that is not a question states a sum of money.
pub fn states_a_sum(text: &str) -> bool {
    // Most posts hold no sum and are turned away by one pass over their
    // bytes, without the clause splitting.
    may_hold_a_sum(text) && statements(text).any(has_sum)
}

/// `text` has what every sum [`has_sum`] finds has: an ASCII digit and one
/// of [`SIGNS`] somewhere, or an ASCII digit followed by a unit as
/// `has_sum` reads one there. A clause is a part of the text that no letter
/// or space crosses the end of, so a unit after a digit in a clause is one
/// in the text too.
fn may_hold_a_sum(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut digit = false;
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(first_digit) {
        digit = true;
        // An ASCII digit is one byte: `at` is a character boundary.
        at += found + 1;
        if ends_a_number(bytes, at) && unit_follows(&text[at..]) {
            return true;
        }
    }
    // The signs are '$' and characters led by 0xC2 ('£') and 0xE2 ('€'):
    // most texts have none of those bytes.
    digit && memchr::memchr3(b'$', 0xC2, 0xE2, bytes).is_some() && text.contains(SIGNS)
}

/// Where the first ASCII digit of `bytes` is. Every post is searched and
/// most hold none: eight bytes are asked at once (a byte below 0x80 is a
/// digit when adding 0x50 to it reaches 0x80 and adding 0x46 does not;
/// bytes from 0x80 up are none), and only the eight that hold one are read
/// byte by byte.
fn first_digit(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    const LOW: u64 = ONES * 0x7f;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        let low = x & LOW;
        // No lane carries into the next: 0x7f + 0x50 is below 0x100.
        let digits = (low + ONES * 0x50) & !(low + ONES * 0x46) & !x & HIGH;
        if digits != 0 {
            return chunk.iter().position(u8::is_ascii_digit).map(|i| at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| at + i)
}

/// The digit before `after` ends its number: no digit, '.' or ',' follows.
fn ends_a_number(bytes: &[u8], after: usize) -> bool {
    !matches!(bytes.get(after), Some(b'0'..=b'9' | b'.' | b','))
}

/// `rest` starts, after spaces, with a word that is one of [`UNITS`].
///
/// Asked after every number of every post: the spaces and the word are
/// read as bytes while they are ASCII, and only a character beyond ASCII
/// sends the rest to the reading by characters.
fn unit_follows(rest: &str) -> bool {
    let spaces = rest
        .bytes()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .unwrap_or(rest.len());
    let rest = &rest[spaces..];
    let rest = match rest.as_bytes().first() {
        // Perhaps a space beyond ASCII (no-break, ideographic).
        Some(b) if !b.is_ascii() => rest.trim_start(),
        _ => rest,
    };
    // Most words after a number start with no unit's letter: they are
    // turned away before the word is read to its end.
    let initial = rest.as_bytes().first().map(u8::to_ascii_lowercase);
    if !initial.is_some_and(|c| UNIT_INITIALS.contains(&c)) {
        return false;
    }
    let letters = rest
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let unit = match rest.as_bytes().get(letters) {
        // A letter beyond ASCII may go on with the word.
        Some(b) if !b.is_ascii() => {
            &rest[..rest
                .find(|c: char| !chars::is_alphabetic(c))
                .unwrap_or(rest.len())]
        }
        _ => &rest[..letters],
    };
    UNITS.iter().any(|u| unit.eq_ignore_ascii_case(u))
}

fn has_sum(clause: &str) -> bool {
    let bytes = clause.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    for (i, c) in clause.char_indices() {
        let after = i + c.len_utf8();
        match c {
            // "$65", "$ 65", "R$ 120", "£240", "€5"
            c if SIGNS.contains(&c) => {
                let next = if bytes.get(after) == Some(&b' ') {
                    after + 1
                } else {
                    after
                };
                if digit_at(next)
                    || (i > 0 && digit_at(i - 1))
                    || (i > 1 && bytes[i - 1] == b' ' && digit_at(i - 2))
                {
                    return true;
                }
            }
            '0'..='9' if ends_a_number(bytes, after) && unit_follows(&clause[after..]) => {
                return true;
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_in_every_currency_and_order() {
        assert!(states_a_sum("@SpiritAirlines $65 for a carry on"));
        assert!(states_a_sum("direct debit went up to £240 a month"));
        assert!(states_a_sum("140€ por un piso de 40 metros"));
        assert!(states_a_sum("paguei R$ 120 de internet"));
        assert!(states_a_sum("me cobraron 30 euros de más"));
        assert!(states_a_sum("installation was $49.99 on my first bill"));
    }

    #[test]
    fn questions_and_plain_numbers_are_not_sums() {
        assert!(!states_a_sum("is the $5 deal still on?"));
        assert!(!states_a_sum("3 days and 40 minutes"));
        assert!(!states_a_sum("the $ sign"));
        assert!(!states_a_sum("€"));
        assert!(!states_a_sum("I lost 5 pounds on this trip"));
        assert!(!states_a_sum("is the $5.99 deal still on?"));
    }

    #[test]
    fn unit_initials_are_those_of_the_units() {
        let mut initials: Vec<u8> = UNITS.iter().map(|u| u.as_bytes()[0]).collect();
        initials.sort_unstable();
        initials.dedup();
        let mut listed = UNIT_INITIALS.to_vec();
        listed.sort_unstable();
        assert_eq!(initials, listed);
    }

    #[test]
    fn a_sum_may_be_held_only_beside_a_digit() {
        for text in [
            "5$",
            "£ 5",
            "x€ y 5",
            "5 EUROS",
            "5\u{a0}Reais",
            "5pEsOs",
            "5 Quid",
            "5 bucks",
            "5\ndollars",
        ] {
            assert!(may_hold_a_sum(text), "{text}");
        }
        for text in [
            "",
            "$",
            "euros",
            "5 pounds",
            "5 x euros",
            "R 120",
            "q4 feel",
            "5",
            "5 dinner",
            "5.euros",
            "5,euros",
            "55x euros",
        ] {
            assert!(!may_hold_a_sum(text), "{text}");
        }
        // A sum without a digit, or without a sign or unit, is no sum.
        assert!(!states_a_sum("thirty euros"));
        assert!(!states_a_sum("30 pounds"));
        assert!(states_a_sum("30 EUR de más"));
    }

    #[test]
    fn the_first_digit_is_found_in_every_lane_and_beside_every_byte() {
        assert_eq!(first_digit(b""), None);
        assert_eq!(first_digit(b"abc"), None);
        // '/' and ':' sit either side of the digits; 0xb0 and 0xb9 are
        // digits but for their high bit.
        assert_eq!(first_digit(b"//::\xb0\xb9\xff/::/\x80\xba"), None);
        for at in 0..20 {
            let mut bytes = vec![b'x'; 20];
            bytes[at] = b'0' + (at % 10) as u8;
            assert_eq!(first_digit(&bytes), Some(at), "{at}");
            bytes[19] = b'9';
            assert_eq!(first_digit(&bytes), Some(at), "{at}");
        }
    }

    /// Pieces of sums, of their near misses and of clause ends.
    const PIECES: &[&str] = &[
        " ", "5", "49", ".", ",", "?", "？", "!", "$", "£", "€", "R$", "euros", "EUR", "Euro",
        "reais", "pesos", "dollars", "bucks", "quid", "pounds", "eu", "ro", "e", "x", "é", "ñ",
        "…", "¿", "\n", "\u{212a}", "ſ", "日本", "😂", "\u{a0}", "\u{3000}", "\t", "Q", "B", "p",
        "D", "r", "\x0b", "\r", "\x0c", "\u{1c}", "\u{85}",
    ];

    /// The slow path alone: what [`states_a_sum`] answers without
    /// [`may_hold_a_sum`].
    fn states_a_sum_slowly(text: &str) -> bool {
        statements(text).any(has_sum)
    }

    /// What [`unit_follows`] reads by bytes, read by characters.
    fn unit_follows_by_chars(rest: &str) -> bool {
        let rest = rest.trim_start();
        let word = rest
            .find(|c: char| !chars::is_alphabetic(c))
            .unwrap_or(rest.len());
        UNITS.iter().any(|u| rest[..word].eq_ignore_ascii_case(u))
    }

    #[test]
    fn units_are_read_past_any_space_and_only_as_whole_words() {
        for (rest, unit) in [
            (" euros", true),
            ("\u{a0}\u{3000} Bucks!", true),
            ("\t\nquid", true),
            (" eurosé", false),
            (" euroñ", false),
            (" euro5", true),
            (" \u{85}pesos", true),
            (" ſ", false),
            ("", false),
        ] {
            assert_eq!(unit_follows(rest), unit, "{rest:?}");
            assert_eq!(unit_follows_by_chars(rest), unit, "{rest:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn the_first_digit_is_where_a_byte_by_byte_search_finds_it(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)
        ) {
            proptest::prop_assert_eq!(
                first_digit(&bytes),
                bytes.iter().position(u8::is_ascii_digit)
            );
        }

        #[test]
        fn the_quick_check_never_changes_the_answer(
            picks in proptest::collection::vec(0..PIECES.len(), 0..12)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(states_a_sum(&text), states_a_sum_slowly(&text), "{}", text);
        }

        #[test]
        fn units_read_by_bytes_are_those_read_by_characters(
            picks in proptest::collection::vec(0..PIECES.len(), 0..8)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(unit_follows(&text), unit_follows_by_chars(&text), "{:?}", text);
        }
    }
}

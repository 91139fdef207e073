//! Sums of money stated, not asked about: "$65 for a carry on", "£240 a
//! month from £110", "140€ por un piso de 40 metros".
//!
//! A price told to a company is nearly always a price complained of; the
//! same sum in a question ("is the $5 deal still on?") is a question, and
//! beside cheer it is a bargain, which the sentiment outweighs. So it is a
//! hint, like a denial: it adds to the sum without naming a problem.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::negation::statements;
use crate::chars;

/// Signs that make the number beside them a sum of money.
const SIGNS: [char; 3] = ['$', '£', '€'];

/// Words after a number that make it a sum of money.
/// ("pounds" is left out: "I lost 5 pounds" is a weight.)
const UNITS: [&str; 8] = [
    "euros", "euro", "eur", "reais", "pesos", "dollars", "bucks", "quid",
];

/// A clause that is not a question states a sum of money.
pub fn states_a_sum(text: &str) -> bool {
    // Every sum has a digit and a sign or a unit; most posts lack one or
    // the other, and a pass or two over the bytes spares them the clause
    // splitting.
    text.bytes().any(|b| b.is_ascii_digit()) && names_money(text) && statements(text).any(has_sum)
}

/// `text` holds one of [`SIGNS`] or [`UNITS`] (in any ASCII case), as every
/// sum does: [`has_sum`] finds a sign, or a unit compared with
/// `eq_ignore_ascii_case`, inside the text.
fn names_money(text: &str) -> bool {
    static FINDER: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| {
        let signs = SIGNS.iter().map(|c| c.to_string());
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(signs.chain(UNITS.iter().map(|u| u.to_string())))
            .ok()
    });
    // Not made (it always is): ask every post, as before.
    finder.as_ref().is_none_or(|f| f.is_match(text))
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
            '0'..='9'
                if !digit_at(after)
                    && bytes.get(after) != Some(&b'.')
                    && bytes.get(after) != Some(&b',') =>
            {
                let rest = clause[after..].trim_start();
                let unit = &rest[..rest
                    .find(|c: char| !chars::is_alphabetic(c))
                    .unwrap_or(rest.len())];
                if UNITS.iter().any(|u| unit.eq_ignore_ascii_case(u)) {
                    return true;
                }
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
    fn money_is_named_by_a_sign_or_a_unit_in_any_case() {
        for text in [
            "$",
            "£",
            "€",
            "EUROS",
            "Reais",
            "pEsOs",
            "Quid",
            "bucks",
            "xdollarsx",
        ] {
            assert!(names_money(text), "{text}");
        }
        for text in ["", "5 pounds", "eu ro", "dólares", "ＥＵＲ", "R 120"] {
            assert!(!names_money(text), "{text}");
        }
        // A sum without a digit, or without a sign or unit, is no sum.
        assert!(!states_a_sum("thirty euros"));
        assert!(!states_a_sum("30 pounds"));
        assert!(states_a_sum("30 EUR de más"));
    }

    /// Pieces of sums, of their near misses and of clause ends.
    const PIECES: &[&str] = &[
        " ", "5", "49", ".", ",", "?", "？", "!", "$", "£", "€", "R$", "euros", "EUR", "Euro",
        "reais", "pesos", "dollars", "bucks", "quid", "pounds", "eu", "ro", "e", "x", "é", "ñ",
        "…", "¿", "\n", "\u{212a}", "ſ", "日本", "😂",
    ];

    /// The slow path alone: what [`states_a_sum`] answered before it asked
    /// [`names_money`].
    fn states_a_sum_slowly(text: &str) -> bool {
        statements(text).any(has_sum)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn the_quick_check_never_changes_the_answer(
            picks in proptest::collection::vec(0..PIECES.len(), 0..12)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(states_a_sum(&text), states_a_sum_slowly(&text), "{}", text);
        }
    }
}

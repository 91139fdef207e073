//! Sums of money stated, not asked about: "$65 for a carry on", "£240 a
//! month from £110", "140€ por un piso de 40 metros".
//!
//! A price told to a company is nearly always a price complained of; the
//! same sum in a question ("is the $5 deal still on?") is a question, and
//! beside cheer it is a bargain, which the sentiment outweighs. So it is a
//! hint, like a denial: it adds to the sum without naming a problem.

use super::negation::statements;
use crate::chars;

/// Words after a number that make it a sum of money.
/// ("pounds" is left out: "I lost 5 pounds" is a weight.)
const UNITS: [&str; 8] = [
    "euros", "euro", "eur", "reais", "pesos", "dollars", "bucks", "quid",
];

/// A clause that is not a question states a sum of money.
pub fn states_a_sum(text: &str) -> bool {
    // Every sum has a digit, and most posts none: one pass over the bytes
    // spares them the clause splitting.
    text.bytes().any(|b| b.is_ascii_digit()) && statements(text).any(has_sum)
}

fn has_sum(clause: &str) -> bool {
    let bytes = clause.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    for (i, c) in clause.char_indices() {
        let after = i + c.len_utf8();
        match c {
            // "$65", "$ 65", "R$ 120", "£240", "€5"
            '$' | '£' | '€' => {
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
}

//! A pattern as it reads an ASCII text, made from its syntax tree.
//!
//! On an ASCII text a Unicode class can match only its ASCII members, a
//! literal holding a byte beyond ASCII never matches, and a Unicode word
//! boundary is an ASCII one (the word characters of ASCII are the same to
//! both). Narrowed so, a pattern matches an ASCII text exactly where it
//! did, but its automaton no longer holds the UTF-8 sequences of every case
//! of every letter (the Kelvin sign beside each 'k', the long s beside each
//! 's', 'ó' beside 'o'): a lazy DFA builds each of its states from fewer
//! automaton states, and the automaton is made in less time.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Look, Repetition,
};

/// `hir` as it matches an ASCII text: the same matches on every ASCII
/// text, and nothing that only a text beyond ASCII could hold.
pub(super) fn narrowed(hir: &Hir) -> Hir {
    rebuilt(hir, &|leaf| match leaf.kind() {
        HirKind::Literal(literal) if !literal.0.is_ascii() => Some(Hir::fail()),
        // Most classes are an ASCII letter's two cases: kept as they are.
        HirKind::Class(Class::Unicode(class))
            if class.ranges().last().is_some_and(|r| !r.end().is_ascii()) =>
        {
            let mut class = class.clone();
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            Some(Hir::class(Class::Unicode(class)))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            Some(Hir::class(Class::Bytes(class)))
        }
        HirKind::Look(look) => Some(Hir::look(ascii_look(*look))),
        _ => None,
    })
}

/// `hir` with each node `change` answers for replaced by its answer, and
/// every other node kept, made anew around its children's replacements.
/// The one tree walk behind the ASCII narrowing here and the loosened
/// boundaries of `sets.rs`.
pub(super) fn rebuilt(hir: &Hir, change: &dyn Fn(&Hir) -> Option<Hir>) -> Hir {
    if let Some(changed) = change(hir) {
        return changed;
    }
    let each = |subs: &[Hir]| subs.iter().map(|sub| rebuilt(sub, change)).collect();
    match hir.kind() {
        // Built field by field: cloning the node would clone its subtree
        // only to drop it.
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(rebuilt(&rep.sub, change)),
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            index: capture.index,
            name: capture.name.clone(),
            sub: Box::new(rebuilt(&capture.sub, change)),
        }),
        HirKind::Concat(subs) => Hir::concat(each(subs)),
        HirKind::Alternation(subs) => Hir::alternation(each(subs)),
        _ => hir.clone(),
    }
}

/// A Unicode word assertion as its ASCII twin; other assertions as they
/// are.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::sets::{parsed, ForwardSet};

    /// What each pattern, narrowed, finds in `text`: bit `i` for pattern `i`.
    fn found(patterns: &[&str], text: &str) -> u128 {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        ForwardSet::ascii(&parsed(&patterns).unwrap(), 2 << 20)
            .unwrap()
            .matches(text)
            .unwrap()
    }

    #[test]
    fn letters_beyond_ascii_are_dropped_from_classes_and_literals() {
        let patterns = [r"(?i)\bc[oó]digo\b", "é", r"(?i)\bkeeps\b"];
        assert_eq!(found(&patterns, "CODIGO 404"), 0b001);
        assert_eq!(found(&patterns, "Codigo; KeEpS"), 0b101);
        // The Kelvin sign and 'é' are not ASCII: nothing asks after them.
        assert_eq!(found(&patterns, "keep"), 0);
        assert_eq!(found(&patterns, "e codig"), 0);
    }

    #[test]
    fn word_boundaries_are_ascii_ones() {
        let patterns = [r"\bfor\b", r"\Bor\B", r"\b{start}x", r"y\b{end-half}"];
        assert_eq!(found(&patterns, "for"), 0b0001);
        // '_' is a word character: no boundary beside it.
        assert_eq!(found(&patterns, "_for_"), 0b0010);
        assert_eq!(found(&patterns, "fork"), 0b0010);
        assert_eq!(found(&patterns, "-x y."), 0b1100);
        assert_eq!(found(&patterns, "ax yz"), 0);
    }

    #[test]
    fn perl_classes_keep_their_ascii_members() {
        let patterns = [r"\d+\s*min", r"[^.!?;]{3}z", r"\w\W"];
        assert_eq!(found(&patterns, "20\tmin"), 0b101);
        assert_eq!(found(&patterns, "a b z."), 0b110);
        assert_eq!(found(&patterns, "a.?z"), 0b100);
        assert_eq!(found(&patterns, "__"), 0);
    }
}

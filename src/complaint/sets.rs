//! The shapes' sets, made as the regex crate makes a `RegexSet` (every
//! pattern reported, no captures, its size limits) but each with only the
//! engines its texts can use, and without literal prefilters: no literal
//! starts enough of these patterns for one to skip text, and making one
//! was a sixth of a set's start-up.

use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{meta, Input, MatchKind, PatternSet};
use regex_syntax::hir::Hir;

use super::ascii::narrowed;

pub(super) struct Set {
    set: meta::Regex,
}

fn config() -> meta::Config {
    meta::Config::new()
        .match_kind(MatchKind::All)
        .utf8_empty(true)
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(10 << 20))
        .hybrid_cache_capacity(2 << 20)
        .auto_prefilter(false)
}

impl Set {
    /// The patterns narrowed to ASCII (`ascii.rs`), to be asked of ASCII
    /// texts only, where they match exactly as written.
    pub(super) fn ascii(patterns: &[String]) -> Result<Set, String> {
        let hirs = patterns
            .iter()
            .map(|p| {
                regex_syntax::parse(p)
                    .map(|hir| narrowed(&hir))
                    .map_err(|e| format!("{p}: {e}"))
            })
            .collect::<Result<Vec<Hir>, String>>()?;
        let set = meta::Builder::new()
            .configure(config())
            .build_many_from_hir(&hirs)
            .map_err(|e| e.to_string())?;
        Ok(Set { set })
    }

    /// The patterns as written, for texts beyond ASCII whose every
    /// character may matter. The lazy DFA gives up on a Unicode `\b` at
    /// the first byte beyond ASCII, and listing every match reads the whole
    /// text, so such a text is always left to the PikeVM: it alone is made
    /// (the DFAs and the backtracker were two fifths of the set's start-up).
    pub(super) fn beyond_ascii(patterns: &[String]) -> Result<Set, String> {
        let set = meta::Builder::new()
            .configure(
                config()
                    .hybrid(false)
                    .dfa(false)
                    .onepass(false)
                    .backtrack(false),
            )
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        Ok(Set { set })
    }

    /// Whether any pattern matches `text`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        self.set.is_match(text)
    }

    /// Bit `i` set when pattern `i` matches `text`. Only the first 128
    /// patterns count.
    pub(super) fn matches(&self, text: &str) -> u128 {
        let mut found = PatternSet::new(self.set.pattern_len());
        self.set
            .which_overlapping_matches(&Input::new(text), &mut found);
        found
            .iter()
            .filter_map(|p| 1u128.checked_shl(p.as_u32()))
            .fold(0, |bits, bit| bits | bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(patterns: &[&str]) -> Vec<String> {
        patterns.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn every_pattern_that_matches_is_reported() {
        let patterns = patterns(&[r"(?i)\bdown\b", r"\d+", r"x{3}", r"(?i)\bcaído\?"]);
        for set in [Set::ascii(&patterns), Set::beyond_ascii(&patterns)] {
            let set = set.unwrap();
            assert_eq!(set.matches("DOWN for 20"), 0b0011);
            assert_eq!(set.matches("xxx"), 0b0100);
            assert!(!set.is_match("downx"));
        }
        let beyond = Set::beyond_ascii(&patterns).unwrap();
        assert_eq!(beyond.matches("¿netflix CAÍDO? 2"), 0b1010);
        assert_eq!(beyond.matches("údown"), 0);
    }

    #[test]
    fn a_pattern_that_does_not_parse_is_named() {
        let patterns = patterns(&["ok", "(unclosed"]);
        let err = Set::ascii(&patterns).err().unwrap();
        assert!(err.starts_with("(unclosed"), "{err}");
        assert!(Set::beyond_ascii(&patterns).is_err());
    }
}

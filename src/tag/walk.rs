//! The phrase automata, walked by a loop of our own.
//!
//! Every post's streams are searched for every phrase list, overlapping
//! matches and all. Through `AhoCorasick` each step of that search is a
//! call through a trait object, and each match a return to the caller and a
//! re-entry into the search. Walked here through the crate's `Automaton`
//! trait on the DFA itself, each step is inlined and every match of a
//! stream is reported in one pass.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// An aho-corasick DFA over phrase patterns, standard match semantics, no
/// prefilter (every pattern starts with the space before its first token,
/// so a prefilter would stop at every space of the stream).
pub(crate) struct PhraseDfa {
    dfa: DFA,
}

impl PhraseDfa {
    pub fn new(patterns: &[String]) -> Result<PhraseDfa, BuildError> {
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(patterns)?;
        Ok(PhraseDfa { dfa })
    }

    /// Calls `each` with the pattern of every match in `haystack`,
    /// overlapping ones too, in the order
    /// `AhoCorasick::find_overlapping_iter` reports them: by where they
    /// end, then in the order the DFA's match state lists them.
    #[inline]
    pub fn for_each_match(&self, haystack: &str, mut each: impl FnMut(usize)) {
        let dfa = &self.dfa;
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return;
        };
        let mut report = |sid| {
            for k in 0..dfa.match_len(sid) {
                each(dfa.match_pattern(sid, k).as_usize());
            }
        };
        if dfa.is_match(sid) {
            report(sid);
        }
        for &byte in haystack.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, byte);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    return;
                }
                if dfa.is_match(sid) {
                    report(sid);
                }
            }
        }
    }

    /// Whether any pattern occurs in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        let dfa = &self.dfa;
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return false;
        };
        if dfa.is_match(sid) {
            return true;
        }
        for &byte in haystack.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, byte);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    return false;
                }
                if dfa.is_match(sid) {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind};

    fn crate_matches(patterns: &[String], haystack: &str) -> (Vec<usize>, bool) {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(patterns)
            .unwrap();
        let found = ac
            .find_overlapping_iter(haystack)
            .map(|m| m.pattern().as_usize())
            .collect();
        (found, ac.is_match(haystack))
    }

    fn our_matches(patterns: &[String], haystack: &str) -> (Vec<usize>, bool) {
        let dfa = PhraseDfa::new(patterns).unwrap();
        let mut found = Vec::new();
        dfa.for_each_match(haystack, |p| found.push(p));
        (found, dfa.is_match(haystack))
    }

    #[test]
    fn overlapping_matches_by_hand() {
        let patterns: Vec<String> = [" is down ", " down ", " netflix is ", " s "]
            .map(String::from)
            .to_vec();
        let (found, any) = our_matches(&patterns, " netflix is down | it s down ");
        // " netflix is " ends first, then " is down " and " down " end at
        // the same byte, then " s ", then the last " down ".
        assert_eq!(found, [2, 0, 1, 3, 1]);
        assert!(any);
        assert_eq!(our_matches(&patterns, " up "), (vec![], false));
        assert_eq!(
            our_matches(&patterns, " netflix is down | it s down "),
            crate_matches(&patterns, " netflix is down | it s down ")
        );
    }

    /// Stream tokens and the pieces of phrases, so that patterns share
    /// prefixes and suffixes and overlap in every way.
    const TOKENS: &[&str] = &[
        "is",
        "down",
        "netflix",
        "not",
        "work",
        "s",
        "|",
        "@netflixhelp",
        "#fail",
        "no",
        "funciona",
        "é",
        "😡",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 300,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn the_walk_finds_what_the_crates_overlapping_search_finds(
            phrases in proptest::collection::vec(proptest::collection::vec(0..TOKENS.len(), 1..4), 1..12),
            stream in proptest::collection::vec(0..TOKENS.len(), 0..30),
        ) {
            let patterns: Vec<String> = phrases
                .iter()
                .map(|p| format!(" {} ", p.iter().map(|&t| TOKENS[t]).collect::<Vec<_>>().join(" ")))
                .collect();
            let mut haystack = String::from(" ");
            for &t in &stream {
                haystack.push_str(TOKENS[t]);
                haystack.push(' ');
            }
            proptest::prop_assert_eq!(our_matches(&patterns, &haystack), crate_matches(&patterns, &haystack));
        }
    }
}

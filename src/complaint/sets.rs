//! The shapes' sets, made as the regex crate makes a `RegexSet` (every
//! pattern reported, no captures, its size limits) but from syntax trees
//! parsed once, each with only the engines its texts can use, and without
//! literal prefilters: no literal starts enough of these patterns for one to
//! skip text, and making one was a sixth of a set's start-up.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{meta, Input, MatchKind, PatternSet};
use regex_syntax::hir::{Hir, HirKind, Look};

use super::ascii::{narrowed, rebuilt};

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

/// Each pattern's syntax tree, as the regex crate parses it; the first
/// pattern that does not parse is named.
pub(super) fn parsed(patterns: &[String]) -> Result<Vec<Hir>, String> {
    patterns
        .iter()
        .map(|p| regex_syntax::parse(p).map_err(|e| format!("{p}: {e}")))
        .collect()
}

fn built(config: meta::Config, hirs: &[Hir]) -> Result<Set, String> {
    let set = meta::Builder::new()
        .configure(config)
        .build_many_from_hir(hirs)
        .map_err(|e| e.to_string())?;
    Ok(Set { set })
}

impl Set {
    /// The patterns as written, for texts beyond ASCII whose every
    /// character may matter. The lazy DFA gives up on a Unicode `\b` at
    /// the first byte beyond ASCII, and listing every match reads the whole
    /// text, so such a text is always left to the PikeVM: it alone is made
    /// (the DFAs and the backtracker were two fifths of the set's start-up).
    pub(super) fn beyond_ascii(hirs: &[Hir]) -> Result<Set, String> {
        built(
            config()
                .hybrid(false)
                .dfa(false)
                .onepass(false)
                .backtrack(false),
            hirs,
        )
    }

    /// One pattern as written, asked only whether it matches a text beyond
    /// ASCII: the backtracker answers that for a short text at a fraction
    /// of the PikeVM's cost, and the lazy DFA would give up at the first
    /// byte beyond ASCII.
    pub(super) fn one_beyond_ascii(hir: &Hir) -> Result<Set, String> {
        built(
            config()
                // The backtracker is made only for leftmost-first
                // matching; for one pattern asked "any match?" the kinds
                // answer alike.
                .match_kind(MatchKind::LeftmostFirst)
                .hybrid(false)
                .dfa(false)
                .onepass(false),
            std::slice::from_ref(hir),
        )
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
        bits(&found)
    }
}

/// Bit `i` set for each pattern `i` in `found`; only the first 128 count.
fn bits(found: &PatternSet) -> u128 {
    found
        .iter()
        .filter_map(|p| 1u128.checked_shl(p.as_u32()))
        .fold(0, |bits, bit| bits | bit)
}

/// The bits of `len` patterns, at most 128 of them.
pub(super) fn every_bit(len: usize) -> u128 {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    u128::MAX
        .checked_shr(128u32.saturating_sub(len))
        .unwrap_or(0)
}

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync>;

/// A set asked only whether, and which, patterns match: a lazy DFA alone,
/// walking forward. A meta regex would also compile the patterns' reverse
/// automaton, for finding where a match starts, which nothing here asks:
/// with the loose set's Unicode classes that was two fifths of its
/// start-up. With no Unicode boundary in its patterns and no limit on how
/// often its cache is cleared, the DFA never gives up; were a search to
/// fail anyway, [`ForwardSet::matches`] says so and the caller answers
/// another way.
pub(super) struct ForwardSet {
    dfa: DFA,
    caches: Pool<Cache, CacheFn>,
}

impl ForwardSet {
    /// The patterns narrowed to ASCII (`ascii.rs`), to be asked of ASCII
    /// texts only, where they match exactly as written. Its cache may grow
    /// to `dfa_bytes` per thread.
    pub(super) fn ascii(hirs: &[Hir], dfa_bytes: usize) -> Result<ForwardSet, String> {
        let narrowed: Vec<Hir> = hirs.iter().map(narrowed).collect();
        Self::new(&narrowed, dfa_bytes)
    }

    /// The patterns with every Unicode `\b` loosened to "not inside an
    /// ASCII word" (see [`loosened`]), which the lazy DFA decides beside
    /// any character: every text an exact pattern matches, the loose one
    /// matches. Asked of texts beyond ASCII to find which patterns to
    /// confirm. Its cache may grow to `dfa_bytes` per thread.
    pub(super) fn loose(hirs: &[Hir], dfa_bytes: usize) -> Result<ForwardSet, String> {
        let loose: Vec<Hir> = hirs.iter().map(loosened).collect();
        Self::new(&loose, dfa_bytes)
    }

    fn new(hirs: &[Hir], dfa_bytes: usize) -> Result<ForwardSet, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(10 << 20)),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(dfa_bytes)
                    .minimum_cache_clear_count(None),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let for_caches = dfa.clone();
        let caches = Pool::new(Box::new(move || for_caches.create_cache()) as CacheFn);
        Ok(ForwardSet { dfa, caches })
    }

    /// Whether any pattern matches `text` (yes, were the DFA to give up).
    pub(super) fn is_match(&self, text: &str) -> bool {
        let mut cache = self.caches.get();
        let input = Input::new(text).earliest(true);
        self.dfa
            .try_search_fwd(&mut cache, &input)
            .map_or(true, |found| found.is_some())
    }

    /// Bit `i` set when pattern `i` matches `text`; `None` if the DFA
    /// gave up. Only the first 128 patterns count.
    pub(super) fn matches(&self, text: &str) -> Option<u128> {
        let mut cache = self.caches.get();
        let mut found = PatternSet::new(self.dfa.pattern_len());
        self.dfa
            .try_which_overlapping_matches(&mut cache, &Input::new(text), &mut found)
            .ok()?;
        Some(bits(&found))
    }

    pub(super) fn pattern_len(&self) -> usize {
        self.dfa.pattern_len()
    }
}

/// `hir` with every Unicode `\b` replaced by "not between two ASCII word
/// characters" (an ASCII start half or end half of a boundary). A Unicode
/// boundary has a character that is no word character on one side, and so
/// no ASCII one either: the loosened pattern holds wherever `\b` does.
/// Unlike no assertion at all, it keeps a pattern from starting inside every
/// ASCII word, which made the loose set's DFA many more states to build.
fn loosened(hir: &Hir) -> Hir {
    rebuilt(hir, &|node| {
        matches!(node.kind(), HirKind::Look(Look::WordUnicode)).then(|| {
            Hir::alternation(vec![
                Hir::look(Look::WordStartHalfAscii),
                Hir::look(Look::WordEndHalfAscii),
            ])
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hirs(patterns: &[&str]) -> Vec<Hir> {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        parsed(&patterns).unwrap()
    }

    #[test]
    fn every_pattern_that_matches_is_reported() {
        let hirs = hirs(&[r"(?i)\bdown\b", r"\d+", r"x{3}", r"(?i)\bcaído\?"]);
        let ascii = ForwardSet::ascii(&hirs, 2 << 20).unwrap();
        assert_eq!(ascii.matches("DOWN for 20"), Some(0b0011));
        assert_eq!(ascii.matches("xxx"), Some(0b0100));
        assert!(!ascii.is_match("downx"));
        assert_eq!(ascii.pattern_len(), 4);
        let set = Set::beyond_ascii(&hirs).unwrap();
        assert_eq!(set.matches("DOWN for 20"), 0b0011);
        assert_eq!(set.matches("xxx"), 0b0100);
        let beyond = Set::beyond_ascii(&hirs).unwrap();
        assert_eq!(beyond.matches("¿netflix CAÍDO? 2"), 0b1010);
        assert_eq!(beyond.matches("údown"), 0);
        let one = Set::one_beyond_ascii(&hirs[3]).unwrap();
        assert!(one.is_match("¿netflix CAÍDO? 2"));
        assert!(!one.is_match("écaído?"));
    }

    #[test]
    fn every_bit_of_a_set_is_at_most_128() {
        assert_eq!(every_bit(0), 0);
        assert_eq!(every_bit(3), 0b111);
        assert_eq!(every_bit(127), u128::MAX >> 1);
        assert_eq!(every_bit(128), u128::MAX);
        assert_eq!(every_bit(500), u128::MAX);
    }

    #[test]
    fn a_loosened_boundary_is_only_not_inside_an_ascii_word() {
        let hirs = hirs(&[r"(?i)\bdown\b", r"\bui-\d+\b"]);
        let loose = ForwardSet::loose(&hirs, 1 << 20).unwrap();
        // Beside letters beyond ASCII there is no Unicode boundary, but
        // there is no ASCII word either.
        assert_eq!(loose.matches("édowné"), Some(0b01));
        assert_eq!(loose.matches("éui-113 😂"), Some(0b10));
        assert_eq!(loose.matches("down ui-2"), Some(0b11));
        // Inside an ASCII word it is no boundary at all.
        assert_eq!(loose.matches("sundown xui-2 ui-2x"), Some(0));
        let exact = Set::beyond_ascii(&hirs).unwrap();
        assert_eq!(exact.matches("édowné éui-113"), 0);
    }

    #[test]
    fn a_pattern_that_does_not_parse_is_named() {
        let patterns = vec!["ok".to_string(), "(unclosed".to_string()];
        let err = parsed(&patterns).err().unwrap();
        assert!(err.starts_with("(unclosed"), "{err}");
    }
}

//! One automaton per stream style for every phrase list of that style.
//!
//! The outage phrases and the complaint stage's lists of one language all
//! search the same stemmed stream of a post, each with an automaton of its
//! own: several passes over the same bytes. Here every list of a style is
//! also registered in one process-wide automaton, searched once per post
//! and style (see `Scratch::shared_matches`); each list then reads its own
//! matches out of that one pass. A match of a pattern is a match whatever
//! other patterns the automaton holds, so a list finds exactly what its
//! own automaton finds.
//!
//! Lists are kept for the life of the process, a list whose patterns are
//! already registered shares their entry: loading the same lexicons again
//! adds nothing. A new list makes the style's automaton be built again on
//! its next search.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use super::load::build;
use super::stems::StemPrefixes;
use super::stream::STYLES;
use super::walk::PhraseDfa;

/// One style's automaton over its first `lists` lists.
pub(crate) struct Combined {
    pub ac: PhraseDfa,
    /// Per pattern of `ac`: its list and its index in the list.
    pub owner: Vec<(u32, u32)>,
    /// How many lists `ac` holds: lists `0..lists`.
    pub lists: u32,
}

struct Style {
    lists: Vec<Vec<String>>,
    combined: Option<Arc<Combined>>,
    /// How many lists there were when a build failed: not tried again
    /// until another list comes.
    failed_at: Option<usize>,
}

static STYLE_LISTS: [RwLock<Style>; STYLES] = [const {
    RwLock::new(Style {
        lists: Vec::new(),
        combined: None,
        failed_at: None,
    })
}; STYLES];

/// Per style: the first characters of every token of every phrase list
/// loaded in that style, shared or searched alone; `None` until one is.
static PHRASE_STEMS: [RwLock<Option<Arc<StemPrefixes>>>; STYLES] =
    [const { RwLock::new(None) }; STYLES];

/// Bumped whenever a style's [`PHRASE_STEMS`] grow: a stream piece written
/// before (with a word left unstemmed that a new list's phrases may hold)
/// is not to be used after.
static PHRASE_STEMS_EPOCH: AtomicU64 = AtomicU64::new(0);

/// Notes the tokens of `patterns` (normalised for streams of style number
/// `style`) as phrase stems of that style. Every stemmed phrase list comes
/// through here, whether its automaton is shared or its own.
pub(crate) fn note_phrase_stems(style: usize, patterns: &[String]) {
    let Some(lock) = PHRASE_STEMS.get(style) else {
        return;
    };
    let mut known = lock.write().unwrap_or_else(|e| e.into_inner());
    let mut stems = known.as_deref().cloned().unwrap_or_default();
    let mut grew = known.is_none();
    for token in patterns.iter().flat_map(|p| p.split(' ')) {
        if !token.is_empty() {
            grew |= stems.insert(token);
        }
    }
    if grew {
        *known = Some(Arc::new(stems));
        // After the stems it counts, so that whoever reads this number
        // then reads stems at least as new.
        PHRASE_STEMS_EPOCH.fetch_add(1, Ordering::Release);
    }
}

/// Changes whenever the phrase stems of any style grow.
pub(crate) fn phrase_stems_epoch() -> u64 {
    PHRASE_STEMS_EPOCH.load(Ordering::Acquire)
}

/// The phrase stems of style number `style` (none: no list loaded yet).
pub(crate) fn phrase_stems(style: usize) -> Arc<StemPrefixes> {
    PHRASE_STEMS
        .get(style)
        .and_then(|lock| lock.read().unwrap_or_else(|e| e.into_inner()).clone())
        .unwrap_or_default()
}

/// Registers `patterns` (already normalised, for streams of style number
/// `style`) and returns the list's number in that style.
pub(crate) fn register(style: usize, patterns: &[String]) -> Option<u32> {
    let lock = STYLE_LISTS.get(style)?;
    let mut s = lock.write().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = s.lists.iter().position(|l| l.as_slice() == patterns) {
        return u32::try_from(i).ok();
    }
    let id = u32::try_from(s.lists.len()).ok()?;
    s.lists.push(patterns.to_vec());
    Some(id)
}

/// The automaton of every list registered so far in style number `style`,
/// built now if a list came since it last was. `None` if the build failed
/// (lists too large for one automaton): callers then search list by list.
pub(crate) fn combined(style: usize) -> Option<Arc<Combined>> {
    let lock = STYLE_LISTS.get(style)?;
    if let Some(settled) = settled(&lock.read().unwrap_or_else(|e| e.into_inner())) {
        return settled;
    }
    let mut s = lock.write().unwrap_or_else(|e| e.into_inner());
    // Another thread may have built it while this one waited to write.
    if let Some(settled) = settled(&s) {
        return settled;
    }
    let mut patterns = Vec::new();
    let mut owner = Vec::new();
    for (l, list) in s.lists.iter().enumerate() {
        for (i, p) in list.iter().enumerate() {
            patterns.push(p.clone());
            owner.push((u32::try_from(l).ok()?, u32::try_from(i).ok()?));
        }
    }
    let lists = s.lists.len();
    let (Ok(ac), Ok(count)) = (build("", &patterns), u32::try_from(lists)) else {
        s.failed_at = Some(lists);
        return None;
    };
    let c = Arc::new(Combined {
        ac,
        owner,
        lists: count,
    });
    s.combined = Some(Arc::clone(&c));
    Some(c)
}

/// What `combined` answers without building: the automaton when it holds
/// every list, `None` when a build with these lists failed; `None` (not
/// settled) when a list came since.
fn settled(s: &Style) -> Option<Option<Arc<Combined>>> {
    match &s.combined {
        Some(c) if c.lists as usize == s.lists.len() => Some(Some(Arc::clone(c))),
        _ if s.failed_at == Some(s.lists.len()) => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Style numbers past the real ones would be out of range: these tests
    // share the real registry with every other test, so they only assert
    // what holds whatever else was registered.
    #[test]
    fn a_list_registered_twice_is_one_list() {
        let p = vec![" zqxj one ".to_string(), " zqxj two ".to_string()];
        let a = register(1, &p);
        let b = register(1, &p);
        assert!(a.is_some());
        assert_eq!(a, b);
        let other = register(1, &[" zqxj three ".to_string()]);
        assert_ne!(a, other);
    }

    #[test]
    fn the_combined_automaton_reports_each_list_its_own_patterns() {
        let a = register(2, &[" wvkq down ".to_string(), " wvkq ".to_string()]);
        let b = register(2, &[" wvkq ".to_string()]);
        let (Some(a), Some(b)) = (a, b) else {
            panic!("registered")
        };
        let c = combined(2).unwrap();
        assert!(c.lists > a.max(b));
        let mut found: Vec<(u32, u32)> = Vec::new();
        c.ac.for_each_match(" it s wvkq down ", |p| found.push(c.owner[p]));
        found.retain(|&(l, _)| l == a || l == b);
        found.sort_unstable();
        let mut expected = vec![(a, 0), (a, 1), (b, 0)];
        expected.sort_unstable();
        assert_eq!(found, expected);
    }
}

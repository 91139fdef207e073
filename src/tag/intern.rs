//! The space-separated chunks of a post, each numbered per thread.
//!
//! Both the tagger (`chunks.rs`) and the sentiment scorer (its memo) remember
//! what they made of each chunk ("netflix", "down!!", "don't"), and both see
//! the same post one after the other. Numbering the chunks here, once per
//! post, saves each of them splitting the text and hashing every chunk again:
//! they keep what they remember in vectors indexed by these numbers.

use std::cell::RefCell;

use std::collections::hash_map::Entry;

use crate::sentiment::FastMap;

/// Chunks longer than this get no number: rarely repeated (links, text
/// without spaces), and what is remembered is for words, not whole posts.
pub(crate) const MAX_CHUNK_BYTES: usize = 32;

/// Chunks numbered before the numbering starts afresh.
const MAX_CHUNKS: usize = 1 << 15;

/// Chunks remembered as seen before that memory starts afresh: a chunk
/// seen again after that waits for another sighting.
const MAX_SEEN: usize = 1 << 16;

/// The number of a chunk not numbered: too long, a link, or seen once so far.
pub(crate) const UNNUMBERED: u32 = u32::MAX;

/// One chunk of a text: its byte range and its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub id: u32,
    pub start: usize,
    pub end: usize,
}

/// A numbered chunk of up to 15 bytes (nearly every word), kept inline and
/// small: finding it reads one slot of the table, no pointer followed.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Short([u64; 2]);

/// A longer numbered chunk, inline too.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Long {
    len: u8,
    bytes: [u8; MAX_CHUNK_BYTES],
}

impl Short {
    /// The chunk's bytes zero-padded to 15, then its length (so "a" and
    /// "a\0" differ), as two little-endian words.
    fn new(chunk: &[u8]) -> Option<Short> {
        let n = chunk.len();
        if n >= 16 {
            return None;
        }
        let len = (n as u64) << 56;
        Some(match chunk.split_at_checked(8) {
            Some((lo, hi)) => Short([le_word(lo), le_word(hi) | len]),
            None => Short([le_word(chunk), len]),
        })
    }
}

/// Up to eight bytes as a little-endian word padded with zeros, read with
/// (overlapping) loads rather than copied into a buffer: building the key
/// of every chunk of every post, and of every word stemmed (`stems.rs`).
#[inline]
pub(crate) fn le_word(b: &[u8]) -> u64 {
    let n = b.len();
    let at = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let four = |i: usize| {
        b.get(i..i + 4)
            .and_then(|w| w.try_into().ok())
            .map_or(0, |w: [u8; 4]| u64::from(u32::from_le_bytes(w)))
    };
    match n {
        0 => 0,
        1..=3 => at(0) | (at(n / 2) << (8 * (n / 2))) | (at(n - 1) << (8 * (n - 1))),
        4..=7 => four(0) | (four(n - 4) << (8 * (n - 4))),
        _ => b
            .get(..8)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u64::from_le_bytes),
    }
}

impl Long {
    fn new(chunk: &[u8]) -> Option<Long> {
        let mut key = Long {
            len: u8::try_from(chunk.len()).ok()?,
            bytes: [0; MAX_CHUNK_BYTES],
        };
        key.bytes.get_mut(..chunk.len())?.copy_from_slice(chunk);
        Some(key)
    }
}

/// What a chunk's entry holds while the chunk has been seen but has no
/// number: seen once so far, or numbered before the numbering started
/// afresh.
const SEEN: u32 = u32::MAX - 1;

#[derive(Default)]
struct Numbering {
    /// Every chunk seen (until the seen ones fill `MAX_SEEN` and are
    /// forgotten): its number, or `SEEN`. One table for both, so that most
    /// chunks cost one lookup whether numbered or not.
    short: FastMap<Short, u32>,
    long: FastMap<Long, u32>,
    /// How many entries hold a number, and how many `SEEN`.
    numbered: usize,
    seen: usize,
    /// Bumped whenever the numbers start afresh; never 0.
    generation: u64,
    /// The text last split, and its spans.
    text: String,
    spans: Vec<Span>,
    /// A new post began since `text` was split (see [`new_post`]): the
    /// same text again is another sighting of its chunks.
    new_post: bool,
}

impl Numbering {
    fn count(&self) -> usize {
        self.numbered
    }

    fn forget(&mut self) {
        // The chunks numbered so far stay seen, so that after the
        // numbering starts afresh they are numbered when next met.
        for v in self.short.values_mut().chain(self.long.values_mut()) {
            *v = SEEN;
        }
        self.seen += self.numbered;
        self.numbered = 0;
        self.generation += 1;
    }

    fn id_of(&mut self, chunk: &[u8]) -> u32 {
        // Most distinct chunks of a stream of posts turn up once (names,
        // typos, numbers): a chunk gets a number, and so a place in every
        // memory, only when it is seen a second time. Chunks seen once would
        // otherwise fill the numbers within some ten thousand posts, and a
        // full numbering forgets even the commonest words.
        if self.seen >= MAX_SEEN {
            self.short.retain(|_, v| *v != SEEN);
            self.long.retain(|_, v| *v != SEEN);
            self.seen = 0;
        }
        let Numbering {
            short,
            long,
            numbered,
            seen,
            ..
        } = self;
        let mut counts = Counts { numbered, seen };
        // Too long to be a word: no entry at all.
        match Short::new(chunk) {
            Some(key) => counts.id_in(short.entry(key), chunk),
            None => match Long::new(chunk) {
                Some(key) => counts.id_in(long.entry(key), chunk),
                None => UNNUMBERED,
            },
        }
    }
}

/// The entry counts of a `Numbering`, borrowed beside one of its tables.
struct Counts<'a> {
    numbered: &'a mut usize,
    seen: &'a mut usize,
}

impl Counts<'_> {
    /// The number of the chunk whose entry is `entry`, given one now if it
    /// was seen before; the entry made if it was not.
    fn id_in<K>(&mut self, entry: Entry<'_, K, u32>, chunk: &[u8]) -> u32 {
        match entry {
            Entry::Occupied(mut e) => {
                let v = e.get_mut();
                if *v != SEEN {
                    return *v;
                }
                // The numbering starts afresh only between posts, so one
                // post of millions of distinct words must stop getting
                // numbers here: every cache indexed by them would otherwise
                // grow to its size and keep that memory for the thread's
                // life. Unnumbered chunks are simply worked out each time.
                let Some(id) = u32::try_from(*self.numbered)
                    .ok()
                    .filter(|_| *self.numbered < MAX_CHUNKS)
                else {
                    return UNNUMBERED;
                };
                *v = id;
                *self.numbered += 1;
                *self.seen = self.seen.saturating_sub(1);
                id
            }
            Entry::Vacant(e) => {
                // Links are shortened one per post ("https://t.co/…"),
                // next to never seen again, and would crowd out the chunks
                // that are.
                if !is_link(chunk) {
                    e.insert(SEEN);
                    *self.seen += 1;
                }
                UNNUMBERED
            }
        }
    }
}

impl Numbering {
    fn number(&mut self, text: &str) {
        if self.generation == 0 {
            // The short table holds up to the seen chunks and the numbered
            // ones, about 3 MiB a thread at most. Growing to that size
            // rehashed every entry at each doubling within the first
            // hundred thousand posts or so; sized once, it is never grown
            // (it is still rehashed in place now and then, when the slots
            // the forgotten chunks left fill up).
            self.short.reserve(MAX_SEEN + MAX_CHUNKS);
        }
        if self.generation == 0 || self.count() >= MAX_CHUNKS {
            self.forget();
        }
        self.text.clear();
        self.text.push_str(text);
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        for (start, end) in chunk_ranges(text) {
            let id = self.id_of(text.as_bytes().get(start..end).unwrap_or(&[]));
            spans.push(Span { id, start, end });
        }
        self.spans = spans;
    }
}

thread_local! {
    static NUMBERING: RefCell<Numbering> = RefCell::new(Numbering::default());
}

/// Splits `text` at spaces into `spans` and returns the generation of their
/// numbers: what a caller remembers under a number is good while the
/// generation stays the same. Generation 0 means the chunks carry no number
/// (the thread is shutting down).
pub(crate) fn split(text: &str, spans: &mut Vec<Span>) -> u64 {
    let done = NUMBERING
        .try_with(|cell| {
            let mut n = cell.try_borrow_mut().ok()?;
            if n.generation == 0 || n.new_post || n.text != text {
                n.number(text);
                n.new_post = false;
            }
            spans.clone_from(&n.spans);
            if n.text.capacity() > 1 << 16 {
                // One huge post must not pin its copy for the thread's life;
                // it is split again if asked again.
                n.text = String::new();
                n.spans = Vec::new();
            }
            Some(n.generation)
        })
        .ok()
        .flatten();
    match done {
        Some(generation) => generation,
        None => {
            spans.clear();
            spans.extend(chunk_ranges(text).map(|(start, end)| Span {
                id: UNNUMBERED,
                start,
                end,
            }));
            0
        }
    }
}

/// Marks the start of a post. The stages of one post each split its text
/// and get the numbering made for the first of them; without this mark a
/// post whose text is the one before's (a bot, a retweet) would be taken
/// for the same post, its chunks never seen a second time and never
/// numbered, and every stage would work them out afresh for every copy.
pub(crate) fn new_post() {
    let _ = NUMBERING.try_with(|cell| {
        if let Ok(mut n) = cell.try_borrow_mut() {
            n.new_post = true;
        }
    });
}

/// A chunk holding a link ("https://t.co/x1", "(http://bit.ly/y)").
fn is_link(chunk: &[u8]) -> bool {
    chunk.windows(3).any(|w| w == b"://")
}

/// The byte range of every non-empty run of non-spaces: the chunks of a
/// post, and the tokens of a stream (`" tok tok | tok "`). A space is one
/// byte, so both ends of a range are character boundaries.
pub(crate) fn chunk_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < bytes.len() {
            let rest = bytes.get(start..).unwrap_or(&[]);
            // Chunks are a few bytes long: a plain loop finds their end in
            // fewer instructions than a vectorised search sets up in.
            let end = rest
                .iter()
                .position(|&b| b == b' ')
                .map_or(bytes.len(), |n| start + n);
            let range = (start, end);
            start = end + 1;
            if range.1 > range.0 {
                return Some(range);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_are_the_padded_bytes_and_length() {
        let text = b"abcdefghijklmnop";
        for n in 0..16 {
            let mut b = [0u8; 16];
            b[..n].copy_from_slice(&text[..n]);
            b[15] = n as u8;
            let lo = u64::from_le_bytes(b[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(b[8..].try_into().unwrap());
            assert!(Short::new(&text[..n]) == Some(Short([lo, hi])), "{n}");
        }
        assert!(Short::new(text).is_none());
        assert_eq!(le_word(b"\x01\x02\x03"), 0x03_02_01);
        assert_eq!(le_word(b"abcde"), u64::from_le_bytes(*b"abcde\0\0\0"));
    }

    #[test]
    fn chunks_are_numbered_once_per_thread() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        split("netflix is down", &mut a);
        let g = split("  netflix is  down ", &mut a);
        let ranges: Vec<(usize, usize)> = a.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(ranges, [(2, 9), (10, 12), (14, 18)]);
        assert!(a.iter().all(|s| s.id != UNNUMBERED));
        assert_eq!(split("down netflix", &mut b), g);
        assert_eq!(b[0].id, a[2].id);
        assert_eq!(b[1].id, a[0].id);
        let long = "x".repeat(MAX_CHUNK_BYTES + 1);
        split(&format!("{long} y {long} y"), &mut b);
        assert_eq!(b[2].id, UNNUMBERED);
        assert_ne!(b[3].id, UNNUMBERED);
    }

    #[test]
    fn a_chunk_is_numbered_when_seen_again() {
        let mut spans = Vec::new();
        split("seenonce", &mut spans);
        assert_eq!(spans[0].id, UNNUMBERED);
        split("seenonce!", &mut spans);
        assert_eq!(spans[0].id, UNNUMBERED, "another chunk");
        split("seenonce", &mut spans);
        let id = spans[0].id;
        assert_ne!(id, UNNUMBERED);
        split("again seenonce", &mut spans);
        assert_eq!(spans[1].id, id);
    }

    #[test]
    fn the_same_text_in_the_next_post_is_a_second_sighting() {
        let mut spans = Vec::new();
        new_post();
        split("twicerun twicerun2", &mut spans);
        // Another stage of the same post gets the same numbering.
        split("twicerun twicerun2", &mut spans);
        assert_eq!(spans[0].id, UNNUMBERED);
        new_post();
        split("twicerun twicerun2", &mut spans);
        assert_ne!(spans[0].id, UNNUMBERED);
        assert_ne!(spans[1].id, UNNUMBERED);
        assert_ne!(spans[0].id, spans[1].id);
    }

    #[test]
    fn seen_chunks_are_forgotten_when_full_but_numbered_ones_stay() {
        let mut spans = Vec::new();
        let g = split("keepme keepme", &mut spans);
        let id = spans[1].id;
        assert_ne!(id, UNNUMBERED);
        let many: String = (0..MAX_SEEN + 10).map(|i| format!("s{i} ")).collect();
        assert_eq!(split(&many, &mut spans), g);
        assert!(spans.iter().all(|s| s.id == UNNUMBERED));
        split("keepme s0 s65540", &mut spans);
        // "s0" went when the chunks seen once filled the memory; the last
        // ones came after, and are numbered.
        assert_eq!(spans[0].id, id);
        assert_eq!(spans[1].id, UNNUMBERED);
        assert_ne!(spans[2].id, UNNUMBERED);
        split("s0", &mut spans);
        assert_ne!(spans[0].id, UNNUMBERED);
    }

    #[test]
    fn links_take_no_number() {
        let mut spans = Vec::new();
        let text = "down https://t.co/AbC123 again (http://x.co/y)";
        split(text, &mut spans);
        split(&format!("{text} {text}"), &mut spans);
        let ids: Vec<bool> = spans.iter().map(|s| s.id == UNNUMBERED).collect();
        assert_eq!(ids, [false, true, false, true, false, true, false, true]);
        // Numbers are not spent on them either.
        let before = NUMBERING.with(|n| n.borrow().count());
        split(
            "down https://t.co/Other99 again https://t.co/Other99",
            &mut spans,
        );
        assert_eq!(NUMBERING.with(|n| n.borrow().count()), before);
    }

    #[test]
    fn one_post_cannot_number_more_chunks_than_the_limit() {
        let words: Vec<String> = (0..MAX_CHUNKS + 100)
            .map(|i| format!("w{i} w{i}"))
            .collect();
        let mut spans = Vec::new();
        split(&words.join(" "), &mut spans);
        let numbered = spans.iter().filter(|s| s.id != UNNUMBERED).count();
        assert!(numbered <= MAX_CHUNKS, "{numbered}");
        assert_eq!(spans.last().map(|s| s.id), Some(UNNUMBERED));
        // The next post starts the numbering afresh; "w0", seen before,
        // is numbered at once.
        split("w0 w0", &mut spans);
        assert_eq!(spans[0].id, spans[1].id);
        assert_ne!(spans[0].id, UNNUMBERED);
        assert!(NUMBERING.with(|n| n.borrow().count()) <= MAX_CHUNKS);
    }

    #[test]
    fn a_huge_text_is_split_whole_every_time() {
        let huge = "netflix down ".repeat(6000);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        split(&huge, &mut a);
        split(&huge, &mut b);
        assert_eq!(a.len(), 12000);
        let ranges = |v: &[Span]| v.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>();
        assert!(ranges(&a) == ranges(&b));
        // Only the first sighting of each chunk went unnumbered.
        assert_ne!(a[2].id, UNNUMBERED);
        assert_eq!(a[2].id, a[4].id);
        assert_eq!(b[0].id, a[2].id);
    }
}

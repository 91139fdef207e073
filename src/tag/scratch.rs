//! Buffers reused from post to post, and the post they were last used on.
//!
//! `Tagger::tag` takes `&self` and is called millions of times, possibly from
//! several threads; a thread-local set of buffers keeps it from allocating
//! its working strings for every post. The buffers also remember the text
//! they were last given and the streams already written for it, so that the
//! tagger and every `PhraseSet` asked about the same post (the complaint
//! judge asks in English and in the post's language right after the tagger
//! did) write each stream once.

use std::sync::Arc;

use super::chunks::Chunks;
use super::intern::{self, Span};
use super::shared::{self, Combined};
use super::stream::{Normalizer, STYLES};
use super::topics::TopicMatchers;

/// Shrink the reusable buffers after an unusually long post so one huge text
/// does not pin its memory for the life of the thread.
const KEEP_CAPACITY: usize = 1 << 16;

/// Buffers reused from post to post (see `with_scratch`).
#[derive(Default)]
pub(crate) struct Scratch {
    /// The text `spans` and the ready streams belong to; compared by
    /// content, so a caller's new text at an old address is never mistaken
    /// for the old one.
    text: String,
    known: bool,
    spans: Vec<Span>,
    /// One stream per `Style::index`, valid where `ready`.
    pub streams: [String; STYLES],
    ready: [bool; STYLES],
    /// Byte ranges of hashtag bodies inside the plain stream.
    pub plain_tags: Vec<(usize, usize)>,
    chunks: Chunks,
    /// A stream with the source's hashtag list appended, and its hashtag
    /// ranges.
    pub stream: String,
    pub word: String,
    pub tags: Vec<(usize, usize)>,
    /// Per style: the shared automaton last searched over the stream, and
    /// the (list, index) of every match it found there; `None` when not
    /// searched yet for this text.
    shared: [Option<Arc<Combined>>; STYLES],
    shared_found: [Vec<(u32, u32)>; STYLES],
    /// The phrase stems' epoch (`shared::phrase_stems_epoch`) the streams
    /// were written in.
    phrase_epoch: u64,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's buffers, or fresh ones if they are in use or
/// gone (thread teardown): tagging must never fail for want of scratch space.
pub(crate) fn with_scratch<R>(mut f: impl FnMut(&mut Scratch) -> R) -> R {
    let done = SCRATCH
        .try_with(|cell| {
            cell.try_borrow_mut().ok().map(|mut s| {
                let r = f(&mut s);
                s.trim();
                r
            })
        })
        .ok()
        .flatten();
    match done {
        Some(r) => r,
        None => f(&mut Scratch::default()),
    }
}

impl Scratch {
    /// Makes `text` the one whose streams `stream_of` writes, unless it
    /// already is.
    pub fn set_text(&mut self, text: &str) {
        // Streams written before a phrase list came may hold, unstemmed, a
        // word the new list names (see `Normalizer::push_word`).
        let epoch = shared::phrase_stems_epoch();
        if self.known && self.text == text && self.phrase_epoch == epoch {
            return;
        }
        self.phrase_epoch = epoch;
        self.text.clear();
        self.text.push_str(text);
        let generation = intern::split(text, &mut self.spans);
        self.chunks.adopt(generation, epoch);
        self.chunks.start_post(self.spans.len());
        self.known = true;
        self.ready = [false; STYLES];
        self.shared = Default::default();
    }

    /// The matches in the stream of `n`'s style of every list registered
    /// up to `list` in that style (see `shared.rs`), as (list, index) pairs
    /// in the order found; searched once per text and style. `None` when
    /// the shared automaton could not be had: search the list alone then.
    pub fn shared_matches(&mut self, n: &Normalizer, list: u32) -> Option<&[(u32, u32)]> {
        let i = self.stream_of(n);
        let searched = matches!(&self.shared.get(i)?, Some(c) if c.lists > list);
        if !searched {
            let c = shared::combined(i).filter(|c| c.lists > list)?;
            let found = self.shared_found.get_mut(i)?;
            found.clear();
            let stream = self.streams.get(i)?.as_str();
            c.ac.for_each_match(stream, |p| found.extend(c.owner.get(p).copied()));
            *self.shared.get_mut(i)? = Some(c);
        }
        self.shared_found.get(i).map(Vec::as_slice)
    }

    /// Writes the stream of the text last set in `n`'s style, unless it is
    /// written already; returns its index into `streams`. The plain stream
    /// records its hashtag ranges in `plain_tags`.
    pub fn stream_of(&mut self, n: &Normalizer) -> usize {
        let i = n.style().index();
        if self.ready[i] {
            return i;
        }
        let tags = if i == 0 {
            self.plain_tags.clear();
            Some(&mut self.plain_tags)
        } else {
            None
        };
        self.chunks
            .write(&self.text, &self.spans, n, &mut self.streams[i], tags);
        self.ready[i] = true;
        i
    }

    /// The phrase stems the stream of style number `style` was written
    /// with, if it is a stemmed stream written since the last change.
    #[cfg(test)]
    pub fn phrase_stems(&self, style: usize) -> Option<Arc<super::stems::StemPrefixes>> {
        self.chunks.phrase_stems(style)
    }

    /// Whether the text last set may mention a topic of `topics` (see
    /// `Chunks::may_mention`).
    pub fn may_mention(&mut self, plain: &Normalizer, topics: &TopicMatchers) -> bool {
        self.chunks
            .may_mention(&self.text, &self.spans, plain, topics)
    }

    fn trim(&mut self) {
        // Every buffer but the hashtag-list ones grows with the text (six
        // times its length at most: lowercasing may triple a character, a
        // break mark doubles): after a short text there is nothing to do.
        if self.text.len() <= KEEP_CAPACITY / 16
            && self.stream.capacity() <= KEEP_CAPACITY
            && self.tags.capacity() <= KEEP_CAPACITY / 8
        {
            return;
        }
        let mut shrunk = false;
        let streams = self.streams.iter_mut();
        for s in [&mut self.text, &mut self.stream, &mut self.word]
            .into_iter()
            .chain(streams)
        {
            if s.capacity() > KEEP_CAPACITY {
                s.clear();
                s.shrink_to(KEEP_CAPACITY);
                shrunk = true;
            }
        }
        for v in self.shared_found.iter_mut() {
            if v.capacity() > KEEP_CAPACITY / 8 {
                v.clear();
                v.shrink_to(KEEP_CAPACITY / 8);
                self.shared = Default::default();
            }
        }
        for v in [&mut self.plain_tags, &mut self.tags] {
            if v.capacity() > KEEP_CAPACITY / 8 {
                v.clear();
                v.shrink_to(KEEP_CAPACITY / 8);
                shrunk = true;
            }
        }
        if self.spans.capacity() > KEEP_CAPACITY / 8 {
            self.spans.clear();
            self.spans.shrink_to(KEEP_CAPACITY / 8);
            shrunk = true;
        }
        self.chunks.trim(KEEP_CAPACITY);
        if shrunk {
            // What was remembered about the last post may be gone.
            self.known = false;
        }
    }
}

//! Buffers reused from post to post.
//!
//! `Tagger::tag` takes `&self` and is called millions of times, possibly from
//! several threads; a thread-local set of buffers keeps it from allocating
//! its working strings for every post.

use super::lex::Token;

/// Shrink the reusable buffers after an unusually long post so one huge text
/// does not pin its memory for the life of the thread.
const KEEP_CAPACITY: usize = 1 << 16;

/// Buffers reused from post to post (see `with_scratch`).
#[derive(Default)]
pub(crate) struct Scratch {
    pub lower: String,
    pub tokens: Vec<Token>,
    pub stream: String,
    pub word: String,
    /// Byte ranges of hashtag bodies inside `stream`.
    pub tags: Vec<(usize, usize)>,
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
    fn trim(&mut self) {
        for s in [&mut self.lower, &mut self.stream, &mut self.word] {
            if s.capacity() > KEEP_CAPACITY {
                s.clear();
                s.shrink_to(KEEP_CAPACITY);
            }
        }
        if self.tokens.capacity() > KEEP_CAPACITY / 8 {
            self.tokens.clear();
            self.tokens.shrink_to(KEEP_CAPACITY / 8);
        }
    }
}

//! Streams put together from the space-separated chunks of a post, each
//! chunk's part remembered per thread.
//!
//! Lexing and normalising are the bulk of tagging, and they work word by
//! word: a space ends every token and carries nothing over but whether the
//! last token was a break (a break mark right after one adds none) and
//! whether the stream so far ends with one. So the stream of a post is the
//! streams of its chunks ("netflix", "down!!", "#fail") written in that
//! state, one after the other, and each chunk's part, once written, is
//! copied from memory the next time the chunk is seen in the same state.
//! Chunks are known by their number from `intern.rs`; the unnumbered ones
//! (too long) are lexed and written every time.

use std::sync::Arc;

use super::intern::{chunk_ranges, Span, UNNUMBERED};
use super::lex::{lex_onto, Kind, Token};
use super::shared;
use super::stems::{self, StemPrefixes};
use super::stream::{Memory, Normalizer, Style, WordCache, STYLES};
use super::topics::{MentionBits, TopicMatchers};

/// Bytes of remembered parts before the memory starts afresh.
const MAX_PARTS_BYTES: usize = 1 << 22;

/// No part written yet for this style and state.
const UNSET: u64 = u64::MAX;

/// Parts are at most this long (a chunk of 32 bytes writes far less).
const MAX_PART_BYTES: u32 = 1 << 24;

/// What a chunk's part depends on besides the chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    /// No token yet, or the last one was a break.
    quiet: bool,
    /// The stream so far ends with a break mark.
    bar: bool,
}

const STATES: usize = 4;

impl State {
    /// After a word: the state of nearly every chunk.
    const AFTER_WORD: State = State {
        quiet: false,
        bar: false,
    };

    const START: State = State {
        quiet: true,
        bar: false,
    };

    fn index(self) -> usize {
        usize::from(self.quiet) * 2 + usize::from(self.bar)
    }
}

/// Whether the words of a chunk written directly go through the per-thread
/// word memory (`WordCache`): worth it for a chunk about to be remembered,
/// which is seen again; not for one seen once so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Words {
    Remembered,
    Fresh,
}

/// What the tokens of a chunk leave behind: no token at all (the state is
/// unchanged), or whether the last one was a break.
type After = Option<bool>;

/// A remembered part in one word, so that finding it is one load: its range
/// in `Chunks::parts` (start in the low 32 bits, length in the next 24) and
/// what it leaves behind in the top byte.
fn pack(from: u32, len: u32, after: After) -> Option<u64> {
    if len >= MAX_PART_BYTES {
        return None;
    }
    let code: u64 = match after {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    };
    Some(u64::from(from) | (u64::from(len) << 32) | (code << 56))
}

fn unpack(part: u64) -> (usize, usize, After) {
    let after = match part >> 56 {
        0 => None,
        1 => Some(false),
        _ => Some(true),
    };
    // Both fit a usize: 32 and 24 bits.
    let from = (part & 0xffff_ffff) as usize;
    let len = ((part >> 32) & 0xff_ffff) as usize;
    (from, len, after)
}

/// Laid out so that what nearly every post reads of a chunk (whether it
/// may mention a topic, and its parts after a word, state 0) shares one
/// cache line.
#[repr(C, align(64))]
struct Chunk {
    /// What the chunk's tokens tell of the topic mentions a post may hold
    /// ([`TopicMatchers::mention_bits`], or-ed), for the topic matchers of
    /// that id (0: not asked yet).
    topical: (u64, u64),
    /// Per state and style: the part (see `pack`), or `UNSET`.
    parts: [[u64; STYLES]; STATES],
    /// Plain style, per state: hashtag bodies within the part, as a range of
    /// `Chunks::tags`.
    tags: [(u32, u32); STATES],
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            topical: (0, 0),
            parts: [[UNSET; STYLES]; STATES],
            tags: [(0, 0); STATES],
        }
    }
}

/// The per-thread memory of chunks, and buffers for writing new ones.
#[derive(Default)]
pub(crate) struct Chunks {
    /// The numbering generation (see `intern::split`) `chunks` is indexed by.
    generation: u64,
    /// Indexed by chunk number.
    chunks: Vec<Chunk>,
    parts: String,
    tags: Vec<(usize, usize)>,
    words: WordCache,
    /// Per span of the post being written: its tokens' range in
    /// `tokens`, once lexed. A chunk written directly is lexed once per
    /// post, however many styles and passes (`may_mention`, then the
    /// streams) write it.
    lexed: Vec<Option<(u32, u32)>>,
    /// The lowercased chunks lexed so far for the post, side by side, and
    /// their tokens (lexed not quiet; see `lex_onto`).
    lower: String,
    tokens: Vec<Token>,
    word_ids: Vec<u32>,
    part: String,
    part_tags: Vec<(usize, usize)>,
    word: String,
    /// The phrase stems' epoch (`shared::phrase_stems_epoch`) everything
    /// remembered was written under, and per style the stems of that
    /// epoch, fetched when first written in.
    phrase_epoch: u64,
    phrase_stems: [Option<Arc<StemPrefixes>>; STYLES],
}

impl Chunks {
    /// Takes the chunk numbers of `generation`, forgetting everything
    /// remembered under older numbers (and everything, when the memory is
    /// full or the phrase stems' `epoch`, as the caller read
    /// `shared::phrase_stems_epoch`, has changed).
    pub fn adopt(&mut self, generation: u64, epoch: u64) {
        // A piece written before a phrase list came may hold, unstemmed, a
        // word the new list's phrases name: the word memory goes too.
        let new_stems = epoch != self.phrase_epoch;
        if new_stems {
            self.phrase_epoch = epoch;
            self.phrase_stems = Default::default();
            self.words = WordCache::default();
        }
        if (generation != 0 && generation != self.generation)
            || self.parts.len() >= MAX_PARTS_BYTES
            || new_stems
        {
            self.generation = generation;
            self.chunks.clear();
            self.parts.clear();
            self.tags.clear();
        }
    }

    /// The phrase stems the streams of style number `style` were last
    /// written with (see `Normalizer::push_word`).
    #[cfg(test)]
    pub fn phrase_stems(&self, style: usize) -> Option<Arc<StemPrefixes>> {
        self.phrase_stems.get(style).cloned().flatten()
    }

    /// Forgets the chunks lexed for the post before: `spans` more are
    /// coming.
    pub fn start_post(&mut self, spans: usize) {
        self.lexed.clear();
        self.lexed.resize(spans, None);
        self.lower.clear();
        self.tokens.clear();
    }

    /// The tokens of span `k` (`chunk`), lexed now if not yet for this
    /// post: a range of `tokens` over `lower`. After a break or at the
    /// start (`quiet`), a break mark opening the chunk adds no break.
    fn lexed(&mut self, k: usize, chunk: &str, quiet: bool) -> (usize, usize) {
        let known = self.lexed.get(k).copied().flatten();
        let (from, to) = match known {
            Some((from, to)) => (from as usize, to as usize),
            None => {
                let from = self.tokens.len();
                lex_onto(chunk, false, &mut self.lower, &mut self.tokens);
                let to = self.tokens.len();
                let range = u32::try_from(from).ok().zip(u32::try_from(to).ok());
                if let Some(slot) = self.lexed.get_mut(k) {
                    *slot = range;
                }
                (from, to)
            }
        };
        let opens_with_break = self
            .tokens
            .get(from)
            .is_some_and(|t| t.kind == Kind::Break && from < to);
        (from + usize::from(quiet && opens_with_break), to)
    }

    /// Chunk `id`, made room for.
    fn chunk(&mut self, id: u32) -> Option<&mut Chunk> {
        let i = id as usize;
        if id == UNNUMBERED || self.generation == 0 {
            return None;
        }
        if i >= self.chunks.len() {
            self.chunks.resize_with(i + 1, Chunk::new);
        }
        self.chunks.get_mut(i)
    }

    /// Writes the stream of `text` (split into `spans` by `intern::split`)
    /// in `n`'s style into `out`, and when `tags` is given, pushes the range
    /// of each hashtag body in `out` to it.
    pub fn write(
        &mut self,
        text: &str,
        spans: &[Span],
        n: &Normalizer,
        out: &mut String,
        mut tags: Option<&mut Vec<(usize, usize)>>,
    ) {
        out.clear();
        out.reserve(text.len() + 16);
        out.push(' ');
        let style = n.style().index();
        if let (Style::Stemmed(_), Some(known @ None)) =
            (n.style(), self.phrase_stems.get_mut(style))
        {
            *known = Some(shared::phrase_stems(style));
        }
        let mut state = State::START;
        for (k, span) in spans.iter().enumerate() {
            let after = if span.id == UNNUMBERED {
                // A chunk seen once so far (or a link, or too long): its
                // words are mostly never seen again, so they do not crowd
                // the word memory; the stem memo, which keeps only recent
                // stems, still saves stemming the common ones again.
                let chunk = text.get(span.start..span.end).unwrap_or("");
                let words = Words::Fresh;
                let tags = tags.as_deref_mut();
                self.append_direct(k, chunk, n, state.quiet, words, out, tags)
            } else {
                self.append_part(k, span, text, n, state, out, tags.as_deref_mut())
            };
            if let Some(last_is_break) = after {
                state.quiet = last_is_break;
            }
            state.bar = out.as_bytes().ends_with(b"| ");
        }
    }

    /// Whether the chunks of `text` (split into `spans`) hold tokens of the
    /// plain stream that may make a topic mention (see [`MentionBits`]);
    /// true when a chunk's part could not be remembered (the memory full).
    pub fn may_mention(
        &mut self,
        text: &str,
        spans: &[Span],
        plain: &Normalizer,
        topics: &TopicMatchers,
    ) -> bool {
        // Tokens other than breaks are the same in every state.
        let state = State::AFTER_WORD;
        let mut bits = 0;
        for (k, span) in spans.iter().enumerate() {
            let i = span.id as usize;
            let Some(c) = self.chunk(span.id) else {
                let chunk = text.get(span.start..span.end).unwrap_or("");
                bits |= self.fresh_mention_bits(k, chunk, plain, topics);
                if MentionBits::may_mention(bits) {
                    return true;
                }
                continue;
            };
            let (known, part) = (c.topical, c.parts[state.index()][0]);
            let topical = if known.0 == topics.id {
                known.1
            } else {
                let part = match part {
                    UNSET => {
                        let chunk = text.get(span.start..span.end).unwrap_or("");
                        match self.remember(k, i, chunk, plain, state) {
                            Some(part) => part,
                            None => return true,
                        }
                    }
                    part => part,
                };
                let (from, len, _) = unpack(part);
                let part = self.parts.get(from..from + len).unwrap_or("");
                let topical = mention_bits(part, topics);
                if let Some(c) = self.chunks.get_mut(i) {
                    c.topical = (topics.id, topical);
                }
                topical
            };
            bits |= topical;
            if MentionBits::may_mention(bits) {
                return true;
            }
        }
        false
    }

    /// What the tokens of a chunk with no part to remember (seen once so
    /// far, or too long) tell of the mentions a post may hold
    /// ([`mention_bits`] of its plain part, or at least
    /// [`MentionBits::ALONE`] when that part has it): its plain part is
    /// written now, after a word (tokens other than breaks are the same in
    /// every state). Most such chunks tell nothing, and when the chunks of
    /// a post together do not, the topic stream is neither written nor
    /// searched.
    ///
    /// A token's plain piece depends on nothing but the token (the state
    /// only decides break marks, which mention nothing), so tokens are
    /// judged one by one, and a word of ASCII letters and digits, nearly
    /// every word, is its own piece: it is looked up as lexed, without
    /// writing anything.
    fn fresh_mention_bits(
        &mut self,
        k: usize,
        chunk: &str,
        plain: &Normalizer,
        topics: &TopicMatchers,
    ) -> u64 {
        let quiet = State::AFTER_WORD.quiet;
        let (from, to) = self.lexed(k, chunk, quiet);
        let mut part = std::mem::take(&mut self.part);
        let mut topical = 0;
        for j in from..to {
            let Some(t) = self.tokens.get(j) else { break };
            let text = self.lower.get(t.start..t.end).unwrap_or("");
            topical |= match t.kind {
                Kind::Break => 0,
                Kind::Word if text.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                    topics.mention_bits(text)
                }
                _ => {
                    part.clear();
                    part.push(' ');
                    let one = self.tokens.get(j..=j).unwrap_or(&[]);
                    let mut word = std::mem::take(&mut self.word);
                    stems::with_recent(|stems| {
                        let memory = Some(Memory {
                            stems,
                            phrase_stems: None,
                            words: None,
                        });
                        plain.append(&self.lower, one, memory, &mut part, &mut word, None);
                    });
                    self.word = word;
                    mention_bits(&part, topics)
                }
            };
            if topical & MentionBits::ALONE != 0 {
                break;
            }
        }
        self.part = part;
        topical
    }

    /// Appends the stream of `chunk`, span `k` of the post, to `out` as it
    /// stands.
    #[allow(clippy::too_many_arguments)]
    fn append_direct(
        &mut self,
        k: usize,
        chunk: &str,
        n: &Normalizer,
        quiet: bool,
        words: Words,
        out: &mut String,
        tags: Option<&mut Vec<(usize, usize)>>,
    ) -> After {
        let (from, to) = self.lexed(k, chunk, quiet);
        let tokens = self.tokens.get(from..to).unwrap_or(&[]);
        let words = match words {
            Words::Remembered => {
                self.words.ids_of(&self.lower, tokens, &mut self.word_ids);
                Some((&mut self.words, self.word_ids.as_slice()))
            }
            Words::Fresh => None,
        };
        let phrase_stems = self.phrase_stems.get(n.style().index());
        stems::with_recent(|stems| {
            n.append(
                &self.lower,
                tokens,
                Some(Memory {
                    stems,
                    phrase_stems: phrase_stems.and_then(Option::as_deref),
                    words,
                }),
                out,
                &mut self.word,
                tags,
            )
        });
        tokens.last().map(|t| t.kind == Kind::Break)
    }

    /// Appends the remembered part of chunk `id` for this style and state,
    /// writing and remembering it first if needed.
    #[allow(clippy::too_many_arguments)]
    fn append_part(
        &mut self,
        k: usize,
        span: &Span,
        text: &str,
        n: &Normalizer,
        state: State,
        out: &mut String,
        tags: Option<&mut Vec<(usize, usize)>>,
    ) -> After {
        let style = n.style().index();
        let s = state.index();
        let known = match self.chunk(span.id) {
            // Only the plain stream's hashtags are remembered.
            Some(c) if style == 0 || tags.is_none() => Some((c.parts[s][style], c.tags[s])),
            _ => None,
        };
        let (part, tag_range) = match known {
            Some((part, tag_range)) if part != UNSET => (part, tag_range),
            _ => {
                let chunk = text.get(span.start..span.end).unwrap_or("");
                let remembered = match known {
                    Some(_) => self.remember(k, span.id as usize, chunk, n, state),
                    None => None,
                };
                match remembered {
                    Some(part) => {
                        let tag_range = self.chunks.get(span.id as usize).map(|c| c.tags[s]);
                        (part, tag_range.unwrap_or((0, 0)))
                    }
                    None => {
                        let words = Words::Remembered;
                        return self.append_direct(k, chunk, n, state.quiet, words, out, tags);
                    }
                }
            }
        };
        let (from, len, after) = unpack(part);
        let at = out.len();
        out.push_str(self.parts.get(from..from + len).unwrap_or(""));
        if let Some(tags) = tags {
            let (a, b) = (tag_range.0 as usize, (tag_range.0 + tag_range.1) as usize);
            if let Some(found) = self.tags.get(a..b) {
                tags.extend(found.iter().map(|&(s, e)| (s + at, e + at)));
            }
        }
        after
    }

    /// Writes chunk `i`'s part (span `k` of the post) for `n`'s style in
    /// `state` and remembers it; `None` when the memory cannot take it.
    fn remember(
        &mut self,
        k: usize,
        i: usize,
        chunk: &str,
        n: &Normalizer,
        state: State,
    ) -> Option<u64> {
        // The stream so far matters only through whether it ends with a
        // break mark.
        let mut part = std::mem::take(&mut self.part);
        part.clear();
        part.push_str(if state.bar { "| " } else { " " });
        let prefix = part.len();
        let mut part_tags = std::mem::take(&mut self.part_tags);
        part_tags.clear();
        let plain = n.style().index() == 0;
        let after = self.append_direct(
            k,
            chunk,
            n,
            state.quiet,
            Words::Remembered,
            &mut part,
            plain.then_some(&mut part_tags),
        );
        let written = part.get(prefix..).unwrap_or("");
        let packed = pack(
            u32::try_from(self.parts.len()).ok()?,
            u32::try_from(written.len()).ok()?,
            after,
        )?;
        let tag_range = (
            u32::try_from(self.tags.len()).ok()?,
            u32::try_from(part_tags.len()).ok()?,
        );
        let c = self.chunks.get_mut(i)?;
        let s = state.index();
        c.parts[s][n.style().index()] = packed;
        if plain {
            c.tags[s] = tag_range;
        }
        self.parts.push_str(written);
        self.tags
            .extend(part_tags.iter().map(|&(s, e)| (s - prefix, e - prefix)));
        self.part = part;
        self.part_tags = part_tags;
        Some(packed)
    }

    /// Shrinks the buffers for one chunk after an unusually long one.
    pub fn trim(&mut self, keep: usize) {
        if self.lower.capacity() > keep || self.tokens.capacity() > keep / 8 {
            // What was lexed for the post goes too, and is lexed again if
            // asked for.
            self.start_post(0);
            self.lower.shrink_to(keep);
            self.tokens.shrink_to(keep / 8);
        }
        if self.lexed.capacity() > keep / 8 {
            self.lexed = Vec::new();
        }
        for s in [&mut self.part, &mut self.word] {
            if s.capacity() > keep {
                s.clear();
                s.shrink_to(keep);
            }
        }
        if self.word_ids.capacity() > keep / 8 {
            self.word_ids.clear();
            self.word_ids.shrink_to(keep / 8);
        }
        if self.part_tags.capacity() > keep / 8 {
            self.part_tags.clear();
            self.part_tags.shrink_to(keep / 8);
        }
    }
}

/// What the tokens of a part (`"tok tok | tok "`) tell of the topic
/// mentions a post may hold, or-ed.
fn mention_bits(part: &str, topics: &TopicMatchers) -> u64 {
    tokens_of(part)
        .filter(|&t| t != "|")
        .fold(0, |bits, t| bits | topics.mention_bits(t))
}

/// The tokens of a part (`"tok tok | tok "`), break marks included: what
/// `part.split(' ')` gives bar the empty pieces, found the way a post is
/// split into chunks, which costs far less on such short text.
fn tokens_of(part: &str) -> impl Iterator<Item = &str> {
    chunk_ranges(part).map(move |(start, end)| part.get(start..end).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tokens_of_a_part() {
        let got: Vec<&str> = tokens_of(" netflix s down | #fail ").collect();
        assert_eq!(got, ["netflix", "s", "down", "|", "#fail"]);
        assert_eq!(tokens_of("").count(), 0);
        assert_eq!(tokens_of("   ").count(), 0);
        let got: Vec<&str> = tokens_of("não|  ça").collect();
        assert_eq!(got, ["não|", "ça"]);
    }

    fn tagger() -> &'static crate::tag::Tagger {
        static TAGGER: std::sync::OnceLock<crate::tag::Tagger> = std::sync::OnceLock::new();
        TAGGER.get_or_init(crate::tag::tests::embedded)
    }

    const PIECES: &[&str] = &[
        "netflix",
        "Netflix's",
        "NETFLIX",
        "@NetflixHelps",
        "#NetflixDown",
        "#netflix",
        "hulu",
        "huluplus",
        "hbo",
        "HBO_GO",
        "youtube",
        "prime",
        "café",
        "ça",
        "x#netflix",
        "!!",
        "(",
        ")",
        "'",
        "’",
        "_",
        "down",
        "net",
        "flix",
        "Straße",
        "ﬁ",
        "😭",
        "#",
        "@",
    ];

    proptest! {
        /// A chunk seen once is judged token by token as its whole plain
        /// part would be.
        #[test]
        fn fresh_chunks_are_judged_as_their_parts(
            chunk in prop::collection::vec(prop::sample::select(PIECES), 0..5)
                .prop_map(|p| p.concat())
                .boxed()
                .prop_union(any::<String>().boxed()),
        ) {
            let t = tagger();
            let mut chunks = Chunks::default();
            chunks.start_post(1);
            let fast = chunks.fresh_mention_bits(0, &chunk, &t.plain, &t.topics);
            let (mut lower, mut tokens, mut part, mut word) = Default::default();
            crate::tag::lex::lex(&chunk, &mut lower, &mut tokens);
            t.plain.write(&lower, &tokens, &mut part, &mut word, None);
            let whole = mention_bits(&part, &t.topics);
            // Token by token stops at the first that may open a mention alone.
            if whole & MentionBits::ALONE != 0 {
                prop_assert!(fast & MentionBits::ALONE != 0, "{:?} {:?}", chunk, part);
            } else {
                prop_assert_eq!(fast, whole, "{:?} {:?}", chunk, part);
            }
        }

        /// The same tokens as splitting at spaces and dropping empty pieces.
        #[test]
        fn tokens_of_splits_at_spaces(part in "[ a|ñ#ç]{0,40}|\\PC{0,20}") {
            let want: Vec<&str> = part.split(' ').filter(|t| !t.is_empty()).collect();
            let got: Vec<&str> = tokens_of(&part).collect();
            prop_assert_eq!(got, want);
        }
    }
}

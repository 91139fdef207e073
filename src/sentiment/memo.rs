//! The tokens of each space-separated chunk ("don't", "great!!", ":-)"),
//! remembered per thread so that a post is tokenized by copying.
//!
//! The tokenizer works chunk by chunk (a space always separates) and a chunk
//! reaches outside itself only through the boundary its leading marks set on
//! the token before it and through the post's counts (capitals, "!",
//! accents), which add up. So a chunk tokenized alone, with those two effects
//! noted, can be pasted into any post and gives exactly what tokenizing the
//! post would. Only the apostrophe rule depends on the language: a chunk
//! with an apostrophe is remembered once per language. Chunks are known by
//! their number from the tagger's numbering (`tag::intern`), shared so that
//! a post is split and its chunks looked up once; the unnumbered ones (too
//! long) are tokenized every time.

use crate::lang::Lang;
use crate::tag::intern::{self, Span, UNNUMBERED};

use super::lexicon::Symbols;
use super::rules::{Lookup, WordCache};
use super::tokens::{chunk_into, for_each_chunk, tokenize, Stats, Tok, Tokens, NOT_KEPT};

/// Tokens remembered before the memory starts afresh: with their lookups
/// (about 60 bytes a language) a few MiB.
const MAX_TOKENS: usize = 1 << 16;

/// Longer texts are tokenized the plain way: the accent cues are sums of
/// small whole numbers, exact in any order only below 2^24, which a text
/// needs millions of accented letters to pass.
const MAX_TEXT_BYTES: usize = 1 << 22;

const NONE: u32 = u32::MAX;

/// A chunk of a text, sliced out only when it is tokenized.
#[derive(Clone, Copy)]
struct Chunk<'a> {
    text: &'a str,
    span: &'a Span,
}

impl<'a> Chunk<'a> {
    fn text(self) -> &'a str {
        self.text.get(self.span.start..self.span.end).unwrap_or("")
    }
}

/// One chunk tokenized alone, in one language.
struct Variant {
    /// Its text in `Memo::text` (tokens one space apart) and its tokens in
    /// `Memo::toks`, offsets relative to that text.
    text: (u32, u32),
    toks: (u32, u32),
    lead: Option<(u8, bool)>,
    stats: Stats,
}

/// Per chunk: its variant for each language (`NONE`: not tokenized yet), the
/// English one standing for all when the chunk has no apostrophe; then, at
/// [`PLAIN`], the chunk as `detect_language` splits it (the English rule,
/// no emoticon table), made only for a chunk whose English variant found a
/// symbol in the table (otherwise the two split alike).
#[derive(Clone, Copy)]
struct Entry {
    variants: [u32; 5],
    /// Whether the language matters (an apostrophe inside a word).
    apostrophes: bool,
}

const UNSEEN: Entry = Entry {
    variants: [NONE; 5],
    apostrophes: false,
};

/// The slot of `Entry::variants` for the split without emoticons.
const PLAIN: usize = 4;

/// What the current scorer remembers on this thread: tokenized chunks, what
/// each of their tokens is in each language's table, and the slow lookups of
/// unknown words.
#[derive(Default)]
pub(crate) struct Memo {
    /// The scorer these were made with (its emoticon table and lexicons).
    owner: u64,
    /// The chunk numbering `entries` is indexed by.
    generation: u64,
    spans: Vec<Span>,
    entries: Vec<Entry>,
    variants: Vec<Variant>,
    text: String,
    toks: Vec<Tok>,
    /// Per language, per token of `toks`: its lookup once made.
    lookups: [Vec<Option<Lookup>>; 4],
    pub words: WordCache,
    work: Tokens,
    /// How many times everything was forgotten: the numbers (`kept`) of
    /// tokens split before a change of era name other tokens after it.
    era: u64,
}

impl Memo {
    /// Forgets everything when another scorer takes the memory.
    pub fn claim(&mut self, owner: u64) {
        if self.owner != owner {
            self.owner = owner;
            self.forget();
        }
        self.words.claim(owner);
    }

    /// Changes whenever the memory starts afresh; see [`Memo::era`].
    pub fn era(&self) -> u64 {
        self.era
    }

    fn forget(&mut self) {
        self.era += 1;
        self.entries.clear();
        self.variants.clear();
        self.text.clear();
        self.toks.clear();
        for l in &mut self.lookups {
            l.clear();
        }
    }

    /// The lookup in `lang`'s table of a token pasted from memory (`kept`,
    /// see [`Tok::kept`]), if made already.
    pub fn known(&self, kept: u32, lang: Lang) -> Option<Lookup> {
        *self.lookups[lang.index()].get(kept as usize)?
    }

    /// Remembers the lookup of a token pasted from memory.
    pub fn remember(&mut self, kept: u32, lang: Lang, lookup: Lookup) {
        if kept == NOT_KEPT {
            return;
        }
        let from = kept as usize;
        if from >= self.toks.len() {
            return;
        }
        let looked = &mut self.lookups[lang.index()];
        if looked.len() < self.toks.len() {
            looked.resize(self.toks.len(), None);
        }
        if let Some(slot) = looked.get_mut(from) {
            *slot = Some(lookup);
        }
    }

    /// Exactly `tokens::tokenize(text, symbols, lang, out)`, from memory
    /// where it can.
    pub fn tokenize(&mut self, text: &str, symbols: &Symbols, lang: Lang, out: &mut Tokens) {
        self.tokenize_with(text, symbols, lang, out, |memo, id, chunk| {
            memo.variant(id, chunk, symbols, lang)
        });
    }

    /// Exactly `tokens::tokenize(text, &Symbols::default(), Lang::En, out)`,
    /// the split `detect_language` makes, from memory where it can; `symbols`
    /// is the table of the rest of the memory.
    pub fn tokenize_plain(&mut self, text: &str, symbols: &Symbols, out: &mut Tokens) {
        self.tokenize_with(
            text,
            &Symbols::default(),
            Lang::En,
            out,
            |memo, id, chunk| memo.plain_variant(id, chunk, symbols),
        );
    }

    /// Exactly `tokens::tokenize(text, symbols, lang, out)`, pasting the
    /// chunks `remembered` gives a variant for.
    fn tokenize_with(
        &mut self,
        text: &str,
        symbols: &Symbols,
        lang: Lang,
        out: &mut Tokens,
        mut remembered: impl FnMut(&mut Memo, u32, Chunk) -> Option<u32>,
    ) {
        if text.len() > MAX_TEXT_BYTES {
            tokenize(text, symbols, lang, out);
            return;
        }
        let generation = intern::split(text, &mut self.spans);
        if (generation != 0 && generation != self.generation) || self.toks.len() >= MAX_TOKENS {
            self.generation = generation;
            self.forget();
        }
        out.clear();
        out.buf.reserve(text.len() + 8);
        let spans = std::mem::take(&mut self.spans);
        for span in &spans {
            let chunk = Chunk { text, span };
            match remembered(self, span.id, chunk) {
                Some(v) => self.paste(v, out),
                None => for_each_chunk(chunk.text(), |chunk, punct| {
                    chunk_into(chunk, punct, symbols, lang, out)
                }),
            }
        }
        self.spans = spans;
        if self.spans.capacity() > 1 << 12 {
            // One huge post must not pin its spans for the thread's life.
            self.spans = Vec::new();
        }
    }

    /// The remembered tokens of chunk `id` in `lang`, tokenizing it first if
    /// need be; `None` for a chunk not to remember.
    // Per chunk of every post, from both instances of `tokenize_with`:
    // worth no call.
    #[inline(always)]
    fn variant(&mut self, id: u32, chunk: Chunk, symbols: &Symbols, lang: Lang) -> Option<u32> {
        if self.generation != 0 {
            if let Some(e) = self.entries.get(id as usize) {
                let v = e.variants[if e.apostrophes { lang.index() } else { 0 }];
                if v != NONE {
                    return Some(v);
                }
            }
        }
        self.new_variant(id, chunk.text(), symbols, lang)
    }

    /// [`variant`](Self::variant) when it is not made yet.
    #[inline(never)]
    fn new_variant(&mut self, id: u32, chunk: &str, symbols: &Symbols, lang: Lang) -> Option<u32> {
        if id == UNNUMBERED || self.generation == 0 {
            return None;
        }
        let i = id as usize;
        if i >= self.entries.len() {
            self.entries.resize(i + 1, UNSEEN);
        }
        let mut entry = *self.entries.get(i)?;
        if entry.variants[0] == NONE {
            entry.variants[0] = self.add_variant(chunk, symbols, Lang::En)?;
            entry.apostrophes = self.work.stats.apostrophes;
        }
        let slot = if entry.apostrophes { lang.index() } else { 0 };
        if entry.variants[slot] == NONE {
            entry.variants[slot] = self.add_variant(chunk, symbols, lang)?;
        }
        if let Some(e) = self.entries.get_mut(i) {
            *e = entry;
        }
        Some(entry.variants[slot])
    }

    /// The remembered plain split of chunk `id` (see [`PLAIN`]).
    fn plain_variant(&mut self, id: u32, chunk: Chunk, symbols: &Symbols) -> Option<u32> {
        let english = self.variant(id, chunk, symbols, Lang::En)?;
        if !self.variants.get(english as usize)?.stats.symbol_table {
            return Some(english);
        }
        let i = id as usize;
        let mut entry = *self.entries.get(i)?;
        if entry.variants[PLAIN] == NONE {
            let empty = Symbols::default();
            entry.variants[PLAIN] = self.add_variant(chunk.text(), &empty, Lang::En)?;
            *self.entries.get_mut(i)? = entry;
        }
        Some(entry.variants[PLAIN])
    }

    fn add_variant(&mut self, chunk: &str, symbols: &Symbols, lang: Lang) -> Option<u32> {
        self.work.clear();
        let work = &mut self.work;
        for_each_chunk(chunk, |chunk, punct| {
            chunk_into(chunk, punct, symbols, lang, work)
        });
        let range =
            |from: usize, len: usize| Some((u32::try_from(from).ok()?, u32::try_from(len).ok()?));
        let variant = Variant {
            text: range(self.text.len(), self.work.buf.len())?,
            toks: range(self.toks.len(), self.work.toks.len())?,
            lead: self.work.lead,
            stats: self.work.stats,
        };
        let id = u32::try_from(self.variants.len()).ok()?;
        self.text.push_str(&self.work.buf);
        self.toks.extend_from_slice(&self.work.toks);
        self.variants.push(variant);
        Some(id)
    }

    /// Adds a remembered chunk to `out` as tokenizing it there would have.
    #[inline(always)]
    fn paste(&self, v: u32, out: &mut Tokens) {
        let Some(v) = self.variants.get(v as usize) else {
            return;
        };
        if let Some((brk, question)) = v.lead {
            out.mark(brk, question);
        }
        out.stats.add(&v.stats);
        let (from, len) = (v.text.0 as usize, v.text.1 as usize);
        let Some(text) = self.text.get(from..from + len) else {
            return;
        };
        if text.is_empty() {
            return;
        }
        if !out.buf.is_empty() {
            out.buf.push(' ');
        }
        let base = out.buf.len();
        out.buf.push_str(text);
        let (from, len) = (v.toks.0 as usize, v.toks.1 as usize);
        if let Some(toks) = self.toks.get(from..from + len) {
            out.toks
                .extend(toks.iter().zip(v.toks.0..).map(|(t, kept)| Tok {
                    start: t.start + base,
                    end: t.end + base,
                    kept,
                    ..*t
                }));
        }
    }
}

//! Splitting a post into the tokens the scorer looks up.
//!
//! One pass over the text writes every token, already normalised, into a
//! reusable buffer, so a post costs no allocation once the buffers have
//! grown: words lowercased, with the language's apostrophe rule applied
//! ("don't" → "dont", "I'll" → "i", French "n'est" → "ne est") and
//! elongations squeezed ("goooood" → "good"); emoticons and emoji kept whole
//! (":-(" is one token, "❤️" and "❤" are the same token). Tokens sit one
//! space apart, so a multi-word lexicon term is matched by looking up a slice
//! of the buffer. The pass also notes what the rules need: capitals, sentence
//! breaks, "!" and "?" counts, and accent cues for the language guess.

use crate::chars;
use crate::lang::Lang;

use super::lexicon::Symbols;

/// Written in capitals: two or more letters and none in lower case.
pub(crate) const CAPS: u8 = 1;
/// Had an apostrophe inside ("don't").
pub(crate) const APOS: u8 = 2;
/// Had a letter repeated three or more times ("soooo").
pub(crate) const ELONG: u8 = 4;
/// Followed by a question mark.
pub(crate) const QUESTION: u8 = 8;

/// Byte classes, so the hot loops test one table entry per byte.
const C_ALNUM: u8 = 1;
const C_UPPER: u8 = 2;
const C_LOWER: u8 = 4;
const C_PUNCT: u8 = 8;
const C_SPACE: u8 = 16;
const C_HIGH: u8 = 32;

const fn byte_classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 {
            C_HIGH
        } else if b.is_ascii_uppercase() {
            C_ALNUM | C_UPPER
        } else if b.is_ascii_lowercase() {
            C_ALNUM | C_LOWER
        } else if b.is_ascii_digit() {
            C_ALNUM
        } else if b.is_ascii_whitespace() || b == 0x0b || b < b' ' || b == 0x7f {
            C_SPACE
        } else {
            C_PUNCT
        };
        i += 1;
    }
    t
}

static CLASS: [u8; 256] = byte_classes();

/// Per byte, what it adds to the letter counts of a run: one in the low
/// half for a capital, one in the high half for a lower-case letter, so a
/// run is counted with one addition a byte.
const fn case_counts() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_uppercase() {
            1
        } else if b.is_ascii_lowercase() {
            1 << 32
        } else {
            0
        };
        i += 1;
    }
    t
}

static CASE_COUNTS: [u64; 256] = case_counts();

/// Boundaries after a token: negation and phrases stop at them.
pub(crate) const BRK_CLAUSE: u8 = 1;
pub(crate) const BRK_SENTENCE: u8 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    /// An emoticon or emoji, looked up in the table shared by all languages.
    Symbol,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub flags: u8,
    /// The strongest boundary between this token and the next.
    pub brk: u8,
    /// Where the memo (`memo.rs`) keeps this token, for its lookups;
    /// `NOT_KEPT` for a token tokenized on the spot.
    pub kept: u32,
}

/// `Tok::kept` of a token the memo does not keep.
pub(crate) const NOT_KEPT: u32 = u32::MAX;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stats {
    pub exclaims: u32,
    pub questions: u32,
    /// Words of two or more letters written in capitals, and the others.
    pub caps_words: u32,
    pub other_words: u32,
    /// Evidence for each language (indexed like `Lang::index`) from
    /// letters and marks only one or two of them use.
    pub cues: [f32; 4],
    /// Some word had an apostrophe, whose rule depends on the language.
    pub apostrophes: bool,
    /// Some token was found in the emoticon table: without the table (as
    /// `detect_language` tokenizes) the text would have split otherwise.
    pub symbol_table: bool,
}

impl Stats {
    /// Adds the counts of a later part of the same text.
    pub fn add(&mut self, more: &Stats) {
        self.exclaims += more.exclaims;
        self.questions += more.questions;
        self.caps_words += more.caps_words;
        self.other_words += more.other_words;
        for (cue, more) in self.cues.iter_mut().zip(more.cues) {
            *cue += more;
        }
        self.apostrophes |= more.apostrophes;
        self.symbol_table |= more.symbol_table;
    }
}

/// The tokens of one post (or one lexicon term).
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub buf: String,
    pub toks: Vec<Tok>,
    pub stats: Stats,
    /// Boundaries marked before the first token: on a whole post they mark
    /// nothing; on one chunk of a post they belong to the token before it.
    pub lead: Option<(u8, bool)>,
    tmp: String,
}

impl Tokens {
    pub fn text(&self, t: &Tok) -> &str {
        self.buf.get(t.start..t.end).unwrap_or("")
    }

    /// Where the next token starts, after the separating space.
    fn begin(&mut self) -> usize {
        if !self.buf.is_empty() {
            self.buf.push(' ');
        }
        self.buf.len()
    }

    fn push_symbol(&mut self, key: &str, flags: u8, brk: u8) {
        let start = self.begin();
        self.buf.push_str(key);
        self.toks.push(Tok {
            kept: NOT_KEPT,
            start,
            end: self.buf.len(),
            kind: Kind::Symbol,
            flags,
            brk,
        });
    }

    /// Marks the boundary (and a question) after the last token; with no
    /// token yet, remembers it in `lead`.
    pub(super) fn mark(&mut self, brk: u8, question: bool) {
        match self.toks.last_mut() {
            Some(last) => {
                last.brk = last.brk.max(brk);
                if question {
                    last.flags |= QUESTION;
                }
            }
            None => {
                let (b, q) = self.lead.unwrap_or((0, false));
                self.lead = Some((b.max(brk), q || question));
            }
        }
    }

    /// Empties the tokens for a new text.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.toks.clear();
        self.stats = Stats::default();
        self.lead = None;
    }
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{02BC}' | '\u{00B4}'
    )
}

/// Pictographs that stand for a feeling or a thing; each is a token.
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1F3FA | 0x1F400..=0x1FAFF
        | 0x2190..=0x21FF | 0x2300..=0x23FF | 0x25A0..=0x27BF
        | 0x2B00..=0x2BFF | 0x3030 | 0x303D | 0x3297 | 0x3299)
}

/// Characters that change how the previous emoji looks, not what it means.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

/// Characters that carry nothing for scoring wherever they appear.
fn is_invisible(c: char) -> bool {
    is_emoji_modifier(c)
        || matches!(c as u32,
            0x00AD | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0xE0000..=0xE007F
            // combining accents: "cafe\u{301}" reads as "cafe"
            | 0x0300..=0x036F)
}

/// Mentions and links say nothing about feelings.
fn is_skippable(chunk: &[u8]) -> bool {
    match chunk.first() {
        Some(b'@') => chunk.len() > 1,
        Some(b'h' | b'H') => {
            let starts =
                |p: &[u8]| chunk.len() >= p.len() && chunk[..p.len()].eq_ignore_ascii_case(p);
            starts(b"http://") || starts(b"https://")
        }
        Some(b'w' | b'W') => chunk.len() >= 4 && chunk[..4].eq_ignore_ascii_case(b"www."),
        _ => false,
    }
}

/// Letters that point at one or two of our languages.
fn add_cue(c: char, cues: &mut [f32; 4]) {
    let (en, es, pt, fr) = match c {
        'ñ' | 'Ñ' => (0.0, 3.0, 0.0, 0.0),
        'ã' | 'õ' | 'Ã' | 'Õ' => (0.0, 0.0, 3.0, 0.0),
        'ç' | 'Ç' => (0.0, 0.0, 1.0, 1.0),
        'è' | 'ù' | 'û' | 'î' | 'ï' | 'ë' | 'œ' | 'â' | 'È' => (0.0, 0.0, 0.0, 2.0),
        'ê' | 'ô' | 'à' | 'Ê' | 'À' => (0.0, 0.0, 1.0, 1.0),
        'á' | 'í' | 'ó' | 'ú' | 'Á' | 'Í' | 'Ó' | 'Ú' => (0.0, 1.0, 1.0, 0.0),
        '¿' | '¡' => (0.0, 3.0, 0.0, 0.0),
        _ => return,
    };
    cues[0] += en;
    cues[1] += es;
    cues[2] += pt;
    cues[3] += fr;
}

/// Bytes that start a non-ASCII space (U+0085, U+00A0, U+1680, U+2000…,
/// U+3000); only these are decoded while splitting.
fn space_len(s: &str, i: usize) -> usize {
    let Some(&b) = s.as_bytes().get(i) else {
        return 0;
    };
    if b < 0x80 {
        // Every byte the classifier calls a space (control bytes and NUL
        // included) must be skipped here, or the splitter would stand still
        // on it for ever.
        return usize::from(CLASS[usize::from(b)] & C_SPACE != 0);
    }
    if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
        if let Some(c) = s.get(i..).and_then(|t| t.chars().next()) {
            if c.is_whitespace() {
                return c.len_utf8();
            }
        }
    }
    0
}

/// Splits `text` into tokens, applying `lang`'s apostrophe rule. `symbols`
/// tells which punctuation runs are emoticons.
pub(crate) fn tokenize(text: &str, symbols: &Symbols, lang: Lang, out: &mut Tokens) {
    out.clear();
    out.buf.reserve(text.len() + 8);
    for_each_chunk(text, |chunk, punct| {
        chunk_into(chunk, punct, symbols, lang, out)
    });
}

/// Calls `f` with each whitespace-separated chunk of `text` and whether it
/// holds ASCII punctuation.
pub(crate) fn for_each_chunk(text: &str, mut f: impl FnMut(&str, bool)) {
    let n = text.len();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < n {
        let sp = space_len(text, i);
        if sp > 0 {
            i += sp;
            continue;
        }
        let start = i;
        let mut seen = 0u8;
        while i < n {
            let c = CLASS[usize::from(bytes[i])];
            if c & (C_SPACE | C_HIGH) == 0 {
                seen |= c;
                i += 1;
            } else if c & C_HIGH != 0 && space_len(text, i) == 0 {
                i += 1;
            } else {
                break;
            }
        }
        let Some(chunk) = text.get(start..i) else {
            continue;
        };
        f(chunk, seen & C_PUNCT != 0);
    }
}

/// Adds the tokens of one chunk to `out`. A chunk touches what came before
/// it only through the boundary its leading marks set on the last token
/// (see [`Tokens::lead`]) and through the counts in `stats`.
pub(crate) fn chunk_into(
    chunk: &str,
    punct: bool,
    symbols: &Symbols,
    lang: Lang,
    out: &mut Tokens,
) {
    let chunk_bytes = chunk.as_bytes();
    if is_skippable(chunk_bytes)
        || (punct && looks_like_emoticon(chunk_bytes) && whole_chunk_symbol(chunk, symbols, out))
    {
        return;
    }
    scan(chunk, symbols, lang, out);
}

/// Emoticons are short, start with punctuation or are very short ("xD",
/// "D:", "T_T"), and carry a mark no ordinary word does. A rating out of
/// ten ("10/10", "0/10.", "100/10") is looked up the same way; the lexicon
/// lists only the ratings that are seldom a date or a fraction.
fn looks_like_emoticon(b: &[u8]) -> bool {
    let Some(&first) = b.first() else {
        return false;
    };
    let rating = first.is_ascii_digit() && b.len() <= 9 && b.contains(&b'/');
    if b.len() > 12 || first >= 0x80 || (first.is_ascii_alphanumeric() && b.len() > 4 && !rating) {
        return false;
    }
    b.iter().any(|c| {
        matches!(
            c,
            b':' | b';'
                | b'='
                | b'<'
                | b'>'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'^'
                | b'_'
                | b'*'
                | b'\\'
                | b'/'
                | b'|'
                | b'@'
                | b'%'
                | b'$'
                | b'&'
                | b'~'
                | b'+'
        )
    }) || (b.len() <= 3 && b.contains(&b'.'))
}

/// A chunk that is an emoticon as a whole ("D:", ":-((", "<333", "xD!").
fn whole_chunk_symbol(chunk: &str, symbols: &Symbols, out: &mut Tokens) -> bool {
    if symbols.max_len == 0 || chunk.len() > symbols.max_len + 4 {
        return false;
    }
    let mut tmp = std::mem::take(&mut out.tmp);
    tmp.clear();
    if chunk.is_ascii() {
        tmp.push_str(chunk);
        tmp.make_ascii_lowercase();
    } else {
        chunk
            .chars()
            .for_each(|c| chars::push_lowercase(c, &mut tmp));
    }
    let found = match_symbol(&tmp, symbols);
    if let Some((key_start, key_end, elongated)) = found {
        let trailing = &tmp[key_end..];
        let brk = if trailing.contains(['.', '!', '?']) {
            BRK_SENTENCE
        } else {
            0
        };
        let mut flags = if elongated { ELONG } else { 0 };
        if trailing.contains('?') {
            flags |= QUESTION;
        }
        count_marks(trailing, &mut out.stats);
        out.push_symbol(&tmp[key_start..key_end], flags, brk);
        out.stats.symbol_table = true;
    }
    out.tmp = tmp;
    found.is_some()
}

fn count_marks(s: &str, stats: &mut Stats) {
    for c in s.chars() {
        match c {
            '!' => stats.exclaims += 1,
            '?' => stats.questions += 1,
            _ => {}
        }
    }
}

/// Where the emoticon sits in `s`: as written, without trailing sentence
/// marks, or with its last character's repeats squeezed (":(((" → ":(").
fn match_symbol(s: &str, symbols: &Symbols) -> Option<(usize, usize, bool)> {
    if symbols.get(s).is_some() {
        return Some((0, s.len(), false));
    }
    let trimmed = s.trim_end_matches(['.', ',', '!', '?']);
    let start = trimmed.len() - trimmed.trim_start_matches(['.', ',', '"']).len();
    let core = &trimmed[start..];
    if core.is_empty() {
        return None;
    }
    if core.len() < s.len() && symbols.get(core).is_some() {
        return Some((start, start + core.len(), false));
    }
    let last = core.chars().next_back()?;
    // "10/100" is no elongated "10/10".
    if core.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let squeezed = core.trim_end_matches(last);
    let keep = squeezed.len() + last.len_utf8();
    if keep < core.len() && symbols.get(&core[..keep]).is_some() {
        return Some((start, start + keep, true));
    }
    None
}

/// A word being written into the buffer.
struct Word {
    start: usize,
    upper: u32,
    lower: u32,
    flags: u8,
}

fn scan(chunk: &str, symbols: &Symbols, lang: Lang, out: &mut Tokens) {
    let bytes = chunk.as_bytes();
    let mut word: Option<Word> = None;
    let mut punct_from: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII, nearly every byte of a post: whole runs at a time.
        if b < 0x80 {
            if CLASS[usize::from(b)] & C_ALNUM != 0 {
                if let Some(p) = punct_from.take() {
                    flush_punct(&chunk[p..i], p == 0, false, symbols, out);
                }
                let mut counts = 0u64;
                let mut j = i;
                while j < bytes.len() {
                    let b = usize::from(bytes[j]);
                    if CLASS[b] & C_ALNUM == 0 {
                        break;
                    }
                    counts += CASE_COUNTS[b];
                    j += 1;
                }
                // Each half holds a count below 2^32: a run is shorter.
                let (upper, lower) = (counts as u32, (counts >> 32) as u32);
                if word.is_none() {
                    word = Some(Word {
                        start: out.begin(),
                        upper: 0,
                        lower: 0,
                        flags: 0,
                    });
                }
                let at = out.buf.len();
                out.buf.push_str(&chunk[i..j]);
                if upper > 0 {
                    out.buf[at..].make_ascii_lowercase();
                }
                if let Some(w) = word.as_mut() {
                    w.upper += upper;
                    w.lower += lower;
                }
                i = j;
                continue;
            }
            if (b == b'\'' || b == b'`') && punct_from.is_none() && starts_alnum(&chunk[i + 1..]) {
                if let Some(w) = word.as_mut() {
                    out.buf.push('\'');
                    w.flags |= APOS;
                    i += 1;
                    continue;
                }
            }
            end_word(&mut word, lang, out);
            if punct_from.is_none() {
                punct_from = Some(i);
            }
            i += 1;
            continue;
        }
        let Some(c) = chunk[i..].chars().next() else {
            break;
        };
        let next = i + c.len_utf8();
        if chars::is_alphanumeric(c) {
            if let Some(p) = punct_from.take() {
                flush_punct(&chunk[p..i], p == 0, false, symbols, out);
            }
            if word.is_none() {
                word = Some(Word {
                    start: out.begin(),
                    upper: 0,
                    lower: 0,
                    flags: 0,
                });
            }
            if let Some(w) = word.as_mut() {
                if chars::is_uppercase(c) {
                    w.upper += 1;
                } else if chars::is_lowercase(c) {
                    w.lower += 1;
                }
            }
            add_cue(c, &mut out.stats.cues);
            chars::push_lowercase(c, &mut out.buf);
            i = next;
            continue;
        }
        if is_apostrophe(c) && punct_from.is_none() && starts_alnum(&chunk[next..]) {
            if let Some(w) = word.as_mut() {
                out.buf.push('\'');
                w.flags |= APOS;
                i = next;
                continue;
            }
        }
        if is_invisible(c) {
            i = next;
            continue;
        }
        end_word(&mut word, lang, out);
        if is_emoji(c) {
            if let Some(p) = punct_from.take() {
                flush_punct(&chunk[p..i], p == 0, false, symbols, out);
            }
            let mut key = [0u8; 4];
            out.push_symbol(c.encode_utf8(&mut key), 0, 0);
            // Skin tones, presentation selectors and the parts joined to
            // this emoji by a zero-width joiner belong to it.
            i = next;
            let mut rest = chunk[i..].chars();
            while let Some(m) = rest.next() {
                if is_emoji_modifier(m) {
                    i += m.len_utf8();
                } else if m == '\u{200D}' {
                    i += m.len_utf8();
                    if let Some(joined) = rest.next() {
                        i += joined.len_utf8();
                    }
                } else {
                    break;
                }
            }
            continue;
        }
        if punct_from.is_none() {
            punct_from = Some(i);
        }
        i = next;
    }
    end_word(&mut word, lang, out);
    if let Some(p) = punct_from {
        flush_punct(&chunk[p..], p == 0, true, symbols, out);
    }
}

fn starts_alnum(s: &str) -> bool {
    s.chars().next().is_some_and(chars::is_alphanumeric)
}

/// Closes the word being written: counts its capitals, then applies the
/// apostrophe rule and squeezes elongations when it needs either.
fn end_word(word: &mut Option<Word>, lang: Lang, out: &mut Tokens) {
    let Some(w) = word.take() else { return };
    let end = out.buf.len();
    if end == w.start {
        return;
    }
    let mut flags = w.flags;
    if w.upper + w.lower >= 2 {
        if w.upper >= 2 && w.lower == 0 {
            flags |= CAPS;
            out.stats.caps_words += 1;
        } else {
            out.stats.other_words += 1;
        }
    }
    let tail = &out.buf.as_bytes()[w.start..end];
    let mut elongated = false;
    let mut k = 2;
    while k < tail.len() {
        let c = tail[k];
        if c == tail[k - 1] && c == tail[k - 2] {
            elongated = c.is_ascii_alphabetic() || c >= 0x80;
            if elongated {
                break;
            }
        }
        k += 1;
    }
    if elongated && !tail.is_ascii() {
        elongated = has_nonascii_triple(&out.buf[w.start..end]);
    }
    if flags & APOS == 0 && !elongated {
        out.toks.push(Tok {
            kept: NOT_KEPT,
            start: w.start,
            end,
            kind: Kind::Word,
            flags,
            brk: 0,
        });
        return;
    }
    if flags & APOS != 0 {
        out.stats.apostrophes = true;
    }
    // Rare path: rewrite the word from a copy.
    let mut tmp = std::mem::take(&mut out.tmp);
    tmp.clear();
    tmp.push_str(&out.buf[w.start..end]);
    out.buf.truncate(w.start);
    // Drop the space written before the word; `push_word` writes its own.
    if out.buf.ends_with(' ') {
        out.buf.pop();
    }
    let word_text = tmp.as_str();
    if flags & APOS != 0 {
        match lang {
            Lang::En => {
                // "I'll", "he'll", "we're": the pronoun alone, or they would
                // read as "ill", "hell", "were". "don't" stays whole
                // ("dont"), a negator.
                let base = match word_text.rsplit_once('\'') {
                    Some((base, "ll" | "re" | "ve" | "d" | "m" | "s")) => base,
                    _ => word_text,
                };
                push_word(out, base, flags);
            }
            Lang::Fr => match word_text.split_once('\'') {
                Some((pre, rest)) if elision(pre).is_some() && !rest.is_empty() => {
                    push_word(out, elision(pre).unwrap_or(pre), flags & CAPS);
                    push_word(out, rest, flags);
                }
                _ => push_word(out, word_text, flags),
            },
            Lang::Es | Lang::Pt => push_word(out, word_text, flags),
        }
    } else {
        push_word(out, word_text, flags);
    }
    out.tmp = tmp;
}

fn has_nonascii_triple(s: &str) -> bool {
    let mut prev = '\0';
    let mut run = 0;
    for c in s.chars() {
        if c == prev && chars::is_alphabetic(c) {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            prev = c;
            run = 1;
        }
    }
    false
}

/// Writes a word without apostrophes and with runs of three or more equal
/// letters cut to two ("sooooo" → "soo", flagged as elongated).
fn push_word(out: &mut Tokens, s: &str, mut flags: u8) {
    let start = out.begin();
    let mut prev = '\0';
    let mut run = 0u32;
    for c in s.chars() {
        if c == '\'' {
            continue;
        }
        if c == prev && chars::is_alphabetic(c) {
            run += 1;
            if run >= 3 {
                flags |= ELONG;
                continue;
            }
        } else {
            prev = c;
            run = 1;
        }
        out.buf.push(c);
    }
    if out.buf.len() == start {
        // Nothing left (a lone apostrophe): take back the separator.
        if out.buf.ends_with(' ') {
            out.buf.pop();
        }
        return;
    }
    out.toks.push(Tok {
        kept: NOT_KEPT,
        start,
        end: out.buf.len(),
        kind: Kind::Word,
        flags,
        brk: 0,
    });
}

/// A run of punctuation between or after words: an emoticon ("great:)"),
/// or marks that end a clause or sentence and may add emphasis.
fn flush_punct(run: &str, at_start: bool, at_end: bool, symbols: &Symbols, out: &mut Tokens) {
    let plain = run
        .bytes()
        .all(|b| matches!(b, b'.' | b'!' | b'?' | b',' | b'"' | b'\'' | b'#' | b'-'));
    if !plain && run.len() >= 2 && symbols.max_len > 0 && run.len() <= symbols.max_len + 4 {
        if let Some((s, e, elongated)) = match_symbol(run, symbols) {
            count_marks(&run[e..], &mut out.stats);
            out.push_symbol(&run[s..e], if elongated { ELONG } else { 0 }, 0);
            out.stats.symbol_table = true;
            return;
        }
    }
    let inside = !at_start && !at_end;
    let mut brk = 0u8;
    let mut question = false;
    for c in run.chars() {
        let b = match c {
            '!' => {
                out.stats.exclaims += 1;
                BRK_SENTENCE
            }
            '?' => {
                out.stats.questions += 1;
                question = true;
                BRK_SENTENCE
            }
            '‼' => {
                out.stats.exclaims += 2;
                BRK_SENTENCE
            }
            '⁉' => {
                out.stats.exclaims += 1;
                out.stats.questions += 1;
                question = true;
                BRK_SENTENCE
            }
            // "u.s.", "3.5" and "well-made" do not break anything.
            '.' | '-' if inside && run.len() == 1 => 0,
            '.' | '…' | ';' | '。' => BRK_SENTENCE,
            '¿' | '¡' => {
                add_cue(c, &mut out.stats.cues);
                BRK_SENTENCE
            }
            '\'' | '#' | '&' | '*' | '_' | '+' | '=' | '%' | '$' | '~' | '^' | '@' | '<' | '>'
            | '\\' => 0,
            c if is_apostrophe(c) => 0,
            _ => BRK_CLAUSE,
        };
        brk = brk.max(b);
    }
    out.mark(brk, question);
}

/// French elided articles and pronouns, written out so that "n'aime" meets
/// the negator "ne" and "j'adore" the verb "adore".
fn elision(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "l" => "le",
        "d" => "de",
        "j" => "je",
        "n" => "ne",
        "c" => "ce",
        "s" => "se",
        "m" => "me",
        "t" => "te",
        "qu" => "que",
        "jusqu" => "jusque",
        "lorsqu" => "lorsque",
        "puisqu" => "puisque",
        "quoiqu" => "quoique",
        _ => return None,
    })
}

/// `s` with each elongated run (already squeezed to two letters) cut to one:
/// "soo" → "so" for a word that was "soooo".
pub(crate) fn squeeze_to_one(s: &str, out: &mut String) {
    out.clear();
    let mut prev = '\0';
    for c in s.chars() {
        if c == prev && chars::is_alphabetic(c) {
            continue;
        }
        prev = c;
        out.push(c);
    }
}

/// Laughter of any length ("hahahaha", "jajaja", "hehehe", "kkkkkk") as its
/// two-beat form ("haha", "jaja", "hehe", "kk"), so one lexicon line covers
/// them all.
pub(crate) fn laughter(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    // Laughter starts with its beat's first letter (or is all k): most
    // unknown words are turned away on that alone.
    if b.len() < 4 || !matches!(b[0], b'h' | b'a' | b'j' | b'r' | b'k') {
        return None;
    }
    const BEATS: [(&[u8; 2], &str); 6] = [
        (b"ha", "haha"),
        (b"ah", "haha"),
        (b"he", "hehe"),
        (b"ja", "jaja"),
        (b"je", "jeje"),
        (b"rs", "rsrs"),
    ];
    for (beat, norm) in BEATS {
        let body = b.strip_suffix(&beat[..1]).unwrap_or(b);
        if body.len() >= 4 && body.chunks(2).all(|c| c == &beat[..c.len()]) {
            return Some(norm);
        }
    }
    if b.iter().all(|&c| c == b'k') {
        return Some("kk");
    }
    None
}

/// Accents off Latin letters ("péssimo" → "pessimo", "não" → "nao").
pub(crate) fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c => out.push(c),
        }
    }
    out
}

/// One already-lowercased word as the tokenizer lays it out for `lang`: the
/// apostrophe rule applied; a French elision keeps only the word after it.
pub(crate) fn normalize_word(word: &str, lang: Lang) -> String {
    match word.rsplit_once('\'') {
        None => word.to_string(),
        Some((base, suffix)) => match lang {
            Lang::En if matches!(suffix, "ll" | "re" | "ve" | "d" | "m" | "s") => {
                base.replace('\'', "")
            }
            Lang::Fr if elision(base).is_some() => suffix.to_string(),
            _ => word.replace('\'', ""),
        },
    }
}

//! From tokens to a score: lexicon lookups, then the rules that adjust each
//! sentiment term for its neighbours, then the sum squashed into [-1, 1].
//!
//! The constants below were set on the development set described in
//! `src/eval.rs` and then rounded; each comment says what it stands for so a
//! change can be argued from the text, not only from a metric.

use crate::lang::Lang;

use super::detect;
use super::lexicon::{self, Entry, FastMap, Lexicon, ModKind, Modifier};
use super::memo::Memo;
use super::tokens::{
    self, Kind, Stats, Tok, Tokens, BRK_SENTENCE, CAPS, ELONG, NOT_KEPT, QUESTION,
};

/// How many units after a negator it reaches: "not a very good" still
/// negates "good", and a clause boundary ends it earlier.
const NEGATION_SCOPE: usize = 3;
/// A negated positive keeps three quarters of its strength: "not good" is
/// nearly as negative as "good" is positive.
const NEGATED_POSITIVE: f32 = 0.75;
/// A negated negative becomes weakly positive: "not bad" is faint praise
/// (half the strength of "bad", flipped), far from "good".
const NEGATED_NEGATIVE: f32 = 0.5;
/// Strength added to a word written in capitals in a post that is not all
/// capitals ("this is NOT ok"), and to an elongated word ("sooo bad").
const CAPS_BOOST: f32 = 0.7;
const ELONGATION_BOOST: f32 = 0.5;
/// A booster or dampener acts on the next sentiment word, less when one or
/// two words sit between ("very, very good", "a bit too slow").
const MODIFIER_DECAY: [f32; 3] = [1.0, 0.8, 0.6];
/// A dampener cannot take a word below this share of its strength.
const DAMPENED_FLOOR: f32 = 0.2;
/// Each "!" (up to four) and each "?" beyond the first (up to three) adds
/// this much to the post's sum, in the direction it already leans.
const EXCLAIM_STEP: f64 = 0.3;
const MAX_EXCLAIMS: u32 = 4;
const QUESTION_STEP: f64 = 0.2;
const MAX_QUESTIONS: u32 = 3;
/// Sentiment in a sentence that asks ("any good movies?") is not asserted:
/// positive terms count half, negative ones ("why is it so slow?" still
/// complains) keep more.
const QUESTION_POSITIVE: f32 = 0.5;
const QUESTION_NEGATIVE: f32 = 0.7;
/// Every term gives up this much strength after the rules: a faint word
/// ("ok" 0.9, "new" 0.3) counts for little or nothing while a strong one
/// ("love" 3.2) barely changes. People rate posts made only of faint words
/// as neutral, and most incidental uses of a word are faint ones.
const FAINT_TERM: f32 = 0.4;
/// The post's sum must exceed this before it leans at all, for the same
/// reason: one mild cue in a chatty post is not a feeling.
pub(crate) const NEUTRAL_MARGIN: f64 = 0.6;
/// Normalisation: compound = x / sqrt(x² + ALPHA), x the sum past the margin.
/// One strong word (valence 3, x ≈ 2) gives 0.41, a strong sentence (x ≈ 5)
/// 0.75; the curve stays steep enough near zero for the label thresholds
/// (±0.05 ⇔ a sum of about ±0.8) and keeps a long rant from pinning at -1
/// before a short one does.
pub(crate) const ALPHA: f64 = 20.0;
/// Words scored through the English table in a post of another language
/// count for less: the word may be a loan or a false friend.
const ENGLISH_FALLBACK_WEIGHT: f32 = 0.8;

/// How a unit got its valence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Unknown,
    Exact,
    Phrase,
    Symbol,
    Squeezed,
    Laughter,
    Stem,
    English,
}

/// A word, a multi-word term, an emoticon or an emoji.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    /// Token range in the normalised buffer, inclusive.
    pub first: usize,
    pub last: usize,
    pub valence: f32,
    pub modifier: Option<Modifier>,
    pub flags: u8,
    pub brk: u8,
    pub how: How,
}

/// A rule that changed a unit, for explanations. `by` is the unit that
/// caused it (the negator, the booster, "but").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fired {
    pub unit: usize,
    pub rule: RuleKind,
    pub by: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleKind {
    Elongated,
    AllCaps,
    Boosted,
    Dampened,
    Negated,
    ContrastBefore,
    ContrastAfter,
    Concession,
    Question,
    ModifierRole,
}

/// Results of the slow lookups (squeezing, laughter, stemming, English
/// fallback) for words not in the table as written, per language. Words
/// repeat across posts ("crashing", "crashing!!"), so each distinct one is
/// stemmed once per thread; the cache belongs to one scorer and is emptied
/// when it grows too large. It serves the chunks the memo is remembering;
/// the words of chunks it does not remember (seen once so far, links, too
/// long) are looked up on the spot.
#[derive(Default)]
pub(crate) struct WordCache {
    owner: u64,
    maps: [FastMap<Box<str>, (Entry, How)>; 4],
}

const CACHE_LIMIT: usize = 1 << 16;

impl WordCache {
    pub fn claim(&mut self, owner: u64) {
        if self.owner != owner {
            self.owner = owner;
            for m in &mut self.maps {
                m.clear();
            }
        }
    }
}

/// What looking one token up found, as much of it as the rules need:
/// remembered for each token of each remembered chunk (see `memo.rs`),
/// since it depends on nothing else. Kept small, as the memo holds one
/// per token per language and resolving reads one per token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lookup {
    /// Its valence when it stands alone (0 for none).
    pub valence: f32,
    /// Its role when it stands alone.
    pub modifier: Option<Modifier>,
    pub how: How,
    /// From the table's entry for the word as written (0 when there is
    /// none, and for symbols): the most words of a term it starts, and the
    /// languages whose common words include it.
    pub phrase: u8,
    pub langs: u8,
    /// The bytes the next word must start with to make a term with it
    /// (see `Entry::follow`).
    pub follow: u32,
}

fn look_up(
    lex: &Lexicon,
    lang: Lang,
    t: &Tok,
    text: &str,
    tmp: &mut String,
    cache: &mut WordCache,
) -> Lookup {
    if t.kind == Kind::Symbol {
        let v = lex.symbols.get(text);
        return Lookup {
            valence: v.unwrap_or(0.0),
            modifier: None,
            how: if v.is_some() {
                How::Symbol
            } else {
                How::Unknown
            },
            phrase: 0,
            langs: 0,
            follow: 0,
        };
    }
    let found = lex.table(lang).entries.get(text).copied();
    let (entry, how) = match found.filter(|e| e.is_term() || e.plain) {
        Some(e) if e.plain => (Entry::default(), How::Unknown),
        Some(e) => (e, How::Exact),
        None if t.flags & ELONG != 0 => lookup_unknown(lex, lang, text, true, tmp),
        // A token of a chunk seen once so far (see `tag::intern`): its
        // word is mostly never seen again, and would crowd the cache.
        None if t.kept == NOT_KEPT => lookup_unknown(lex, lang, text, false, tmp),
        None => {
            let map = &mut cache.maps[lang.index()];
            if let Some(hit) = map.get(text) {
                *hit
            } else {
                let result = lookup_unknown(lex, lang, text, false, tmp);
                if map.len() >= CACHE_LIMIT {
                    map.clear();
                }
                map.insert(text.into(), result);
                result
            }
        }
    };
    Lookup {
        valence: entry.valence.unwrap_or(0.0),
        modifier: entry.modifier,
        how,
        phrase: found.map_or(0, |e| e.phrase),
        langs: detect::votes_of(found.map(|e| e.langs), text, t.flags, |w| {
            lex.table(lang).entries.get(w).map(|e| e.langs)
        }),
        follow: found.map_or(0, |e| e.follow),
    }
}

/// Looks every token up, longest multi-word term first.
/// With `evidence`, also adds each common word's language vote (English
/// table only, whose entries carry them).
pub(crate) fn resolve(
    lex: &Lexicon,
    lang: Lang,
    norm: &Tokens,
    tmp: &mut String,
    memo: &mut Memo,
    units: &mut Vec<Unit>,
    mut evidence: Option<&mut [f32; 4]>,
) {
    units.clear();
    let toks = &norm.toks;
    let mut i = 0;
    while let Some(t) = toks.get(i) {
        let lk = match memo.known(t.kept, lang) {
            Some(lk) => lk,
            None => {
                let lk = look_up(lex, lang, t, norm.text(t), tmp, &mut memo.words);
                memo.remember(t.kept, lang, lk);
                lk
            }
        };
        // Symbols carry neither votes nor phrases (their `langs` and
        // `phrase` are 0).
        if lk.langs != 0 {
            if let Some(score) = evidence.as_deref_mut() {
                detect::add_evidence(score, lk.langs, t.end - t.start);
            }
        }
        if lk.phrase > 1 && may_start_phrase(norm, i, lk.follow) {
            if let Some(n) = phrase_at(lex, lang, norm, i, lk.phrase, &mut evidence, units) {
                i += n;
                continue;
            }
        }
        units.push(Unit {
            first: i,
            last: i,
            valence: lk.valence,
            modifier: lk.modifier,
            flags: t.flags,
            brk: t.brk,
            how: lk.how,
        });
        i += 1;
    }
}

/// Whether token `i` and the next could begin a term, given the bytes
/// (`follow`) a second word of a term starting with token `i` starts with.
fn may_start_phrase(norm: &Tokens, i: usize, follow: u32) -> bool {
    let (Some(t), Some(next)) = (norm.toks.get(i), norm.toks.get(i + 1)) else {
        return false;
    };
    t.brk == 0
        && next.kind == Kind::Word
        && norm
            .buf
            .as_bytes()
            .get(next.start)
            .is_some_and(|&b| follow & lexicon::follow_bit(b) != 0)
}

/// The longest multi-word term (of up to `longest` words) that starts at
/// token `i`, added to `units` as one; its length in tokens.
fn phrase_at(
    lex: &Lexicon,
    lang: Lang,
    norm: &Tokens,
    i: usize,
    longest: u8,
    evidence: &mut Option<&mut [f32; 4]>,
    units: &mut Vec<Unit>,
) -> Option<usize> {
    let table = lex.table(lang);
    let toks = &norm.toks;
    let t = toks.get(i)?;
    let longest = usize::from(longest);
    let mut avail = 1;
    while avail < longest
        && i + avail < toks.len()
        && toks[i + avail - 1].brk == 0
        && toks[i + avail].kind == Kind::Word
    {
        avail += 1;
    }
    for n in (2..=avail).rev() {
        let end = toks[i + n - 1];
        let Some(slice) = norm.buf.get(t.start..end.end) else {
            continue;
        };
        if let Some(entry) = table.entries.get(slice).filter(|e| e.is_term()) {
            if let Some(score) = evidence.as_deref_mut() {
                // The phrase's other words still vote.
                for x in &toks[i + 1..i + n] {
                    let word = norm.text(x);
                    if let Some(m) = table.entries.get(word).map(|e| e.langs) {
                        if m != 0 {
                            detect::add_evidence(score, m, word.len());
                        }
                    }
                }
            }
            let all_caps = toks[i..i + n].iter().all(|x| x.flags & CAPS != 0);
            let any_elong = toks[i..i + n].iter().any(|x| x.flags & ELONG != 0);
            units.push(Unit {
                first: i,
                last: i + n - 1,
                valence: entry.valence.unwrap_or(0.0),
                modifier: entry.modifier,
                flags: (if all_caps { CAPS } else { 0 })
                    | (if any_elong { ELONG } else { 0 })
                    | (end.flags & QUESTION),
                brk: end.brk,
                how: How::Phrase,
            });
            return Some(n);
        }
    }
    None
}

/// A word not in the table as written: with its elongation squeezed to a
/// single letter, as laughter, through its stem, then (outside English)
/// through the English table.
fn lookup_unknown(
    lex: &Lexicon,
    lang: Lang,
    text: &str,
    elongated: bool,
    tmp: &mut String,
) -> (Entry, How) {
    let table = lex.table(lang);
    if elongated {
        tokens::squeeze_to_one(text, tmp);
        if let Some(e) = table.entries.get(tmp.as_str()).filter(|e| e.is_term()) {
            return (*e, How::Squeezed);
        }
    }
    if let Some(laugh) = tokens::laughter(text) {
        if let Some(e) = table.entries.get(laugh).filter(|e| e.is_term()) {
            return (*e, How::Laughter);
        }
    }
    if let Some(v) = table.stem_valence(text, tmp) {
        return (valence_only(v), How::Stem);
    }
    if lang != Lang::En && !detect::is_common_word(text, lang) {
        let en = lex.table(Lang::En);
        let found = en
            .entries
            .get(text)
            .or_else(|| tokens::laughter(text).and_then(|l| en.entries.get(l)));
        if let Some(v) = found.and_then(|e| e.valence) {
            return (valence_only(v * ENGLISH_FALLBACK_WEIGHT), How::English);
        }
    }
    (Entry::default(), How::Unknown)
}

fn valence_only(v: f32) -> Entry {
    Entry {
        valence: Some(v),
        ..Entry::default()
    }
}

/// The per-post result of the rules.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Totals {
    pub sum: f64,
    pub emphasis: f64,
    pub positive: f64,
    pub negative: f64,
    pub neutral: f64,
}

fn next_valued_in_clause(units: &[Unit], j: usize, reach: usize) -> bool {
    let mut k = j;
    for _ in 0..reach {
        if units[k].brk != 0 || k + 1 >= units.len() {
            return false;
        }
        k += 1;
        if units[k].valence != 0.0 && units[k].modifier.is_none() {
            return true;
        }
    }
    false
}

/// Applies the rules to every unit, writing adjusted valences into `vals`.
pub(crate) fn apply(
    units: &[Unit],
    stats: &Stats,
    vals: &mut Vec<f32>,
    mut trace: Option<&mut Vec<Fired>>,
) -> Totals {
    let mut note = |unit: usize, rule: RuleKind, by: Option<usize>| {
        if let Some(t) = trace.as_deref_mut() {
            t.push(Fired { unit, rule, by });
        }
    };
    let caps_matter = stats.caps_words > 0 && stats.other_words > 0;
    vals.clear();
    vals.resize(units.len(), 0.0);
    // Noted on the way, so that a post without "but" (most) is not searched
    // for one again.
    let mut first_contrast = None;
    for (j, u) in units.iter().enumerate() {
        if first_contrast.is_none() && is_contrast(u) {
            first_contrast = Some(j);
        }
        if u.valence == 0.0 {
            continue;
        }
        // A modifier that is also a sentiment word acts as a modifier when
        // it has something to modify: "pretty good", "no good".
        if let Some(m) = u.modifier {
            let reach = match m.kind {
                ModKind::Booster | ModKind::Dampener => 1,
                ModKind::Negator => NEGATION_SCOPE,
                ModKind::Contrast | ModKind::Concessive => 0,
            };
            if reach > 0 && next_valued_in_clause(units, j, reach) {
                note(j, RuleKind::ModifierRole, None);
                continue;
            }
        }
        let mut v = u.valence;
        let sign = v.signum();
        if u.flags & ELONG != 0 {
            v += sign * ELONGATION_BOOST;
            note(j, RuleKind::Elongated, None);
        }
        if caps_matter && u.flags & CAPS != 0 {
            v += sign * CAPS_BOOST;
            note(j, RuleKind::AllCaps, None);
        }
        let mut delta = 0.0f32;
        // Any negator in reach negates once: Spanish "no ... nada", French
        // "ne ... pas" and slang "ain't no" are one negation, not two.
        let mut negator: Option<(usize, f32)> = None;
        let mut modifiers_reach = true;
        // Emoji and emoticons say how the poster feels outright: "isn't
        // it -_-" is not a negated frown.
        let reach = if u.how == How::Symbol {
            0
        } else {
            NEGATION_SCOPE
        };
        for k in 1..=reach {
            let Some(p) = j.checked_sub(k) else { break };
            let q = &units[p];
            if q.brk != 0 {
                break;
            }
            let Some(m) = q.modifier else {
                if q.valence != 0.0 {
                    // A booster before this word belongs to the nearer one.
                    modifiers_reach = false;
                }
                continue;
            };
            match m.kind {
                ModKind::Booster | ModKind::Dampener if modifiers_reach => {
                    let mut step = m.weight * MODIFIER_DECAY[k - 1];
                    if caps_matter && q.flags & CAPS != 0 {
                        step += 0.5 * CAPS_BOOST;
                    }
                    if m.kind == ModKind::Booster {
                        delta += step;
                        note(j, RuleKind::Boosted, Some(p));
                    } else {
                        delta -= step;
                        note(j, RuleKind::Dampened, Some(p));
                    }
                }
                ModKind::Booster | ModKind::Dampener => {}
                ModKind::Negator => {
                    if negator.is_none() {
                        negator = Some((p, m.weight));
                    }
                }
                ModKind::Contrast | ModKind::Concessive => break,
            }
        }
        if delta != 0.0 {
            let magnitude = (v.abs() + delta).max(DAMPENED_FLOOR * v.abs());
            v = sign * magnitude;
        }
        if let Some((p, weight)) = negator {
            let keep = if v > 0.0 {
                NEGATED_POSITIVE
            } else {
                NEGATED_NEGATIVE
            };
            v *= 1.0 - weight * (1.0 + keep);
            note(j, RuleKind::Negated, Some(p));
        }
        vals[j] = v;
    }
    if let Some(first) = first_contrast {
        apply_contrasts(units, first, vals, &mut note);
    }
    // Every "?" that marks a token is counted in `questions` (see
    // `tokens::flush_punct` and the emoticon path), so without one no
    // sentence asks.
    if stats.questions > 0 {
        apply_questions(units, vals, &mut note);
    }

    let mut t = Totals::default();
    for (u, v) in units.iter().zip(vals.iter_mut()) {
        if *v == 0.0 {
            // Most units. Squeezing keeps a zero as it is, sign and all,
            // and adding it leaves the sum as it is (never -0.0, since it
            // starts at +0.0).
            if u.modifier.is_none() {
                t.neutral += 1.0;
            }
            continue;
        }
        *v = v.signum() * (v.abs() - FAINT_TERM).max(0.0);
        let v = f64::from(*v);
        t.sum += v;
        if v > 0.0 {
            t.positive += v;
        } else if v < 0.0 {
            t.negative -= v;
        } else if u.modifier.is_none() {
            t.neutral += 1.0;
        }
    }
    if t.sum != 0.0 {
        let exclaims = f64::from(stats.exclaims.min(MAX_EXCLAIMS));
        let questions = if stats.questions > 1 {
            f64::from(stats.questions.min(MAX_QUESTIONS))
        } else {
            0.0
        };
        t.emphasis = exclaims * EXCLAIM_STEP + questions * QUESTION_STEP;
        if t.sum > 0.0 {
            t.positive += t.emphasis;
        } else {
            t.negative += t.emphasis;
        }
    }
    t
}

fn is_contrast(u: &Unit) -> bool {
    u.modifier
        .is_some_and(|m| matches!(m.kind, ModKind::Contrast | ModKind::Concessive))
}

/// "but" and friends: what follows weighs `weight`, what precedes
/// `2 - weight`. "although" weighs down the clause it opens and, when it
/// opens the sentence, weighs up the rest of that sentence. No unit before
/// `first` is one of them.
fn apply_contrasts(
    units: &[Unit],
    first: usize,
    vals: &mut [f32],
    note: &mut impl FnMut(usize, RuleKind, Option<usize>),
) {
    let n = units.len();
    // Each one scales every term of the post, so a text of endless "but"s
    // (a 16 MiB line, say) would take hours; no post has this many.
    let contrasts = units
        .iter()
        .enumerate()
        .skip(first)
        .filter(|(_, u)| is_contrast(u))
        .take(MAX_CONTRASTS);
    for (c, u) in contrasts {
        let Some(m) = u.modifier else { continue };
        let after = m.weight;
        let before = 2.0 - after;
        let sentence_start = |i: usize| {
            let mut s = i;
            while s > 0 && units[s - 1].brk != BRK_SENTENCE {
                s -= 1;
            }
            s
        };
        let mut scale = |range: std::ops::Range<usize>, f: f32, rule: RuleKind| {
            for j in range {
                if vals[j] != 0.0 {
                    vals[j] *= f;
                    note(j, rule, Some(c));
                }
            }
        };
        match m.kind {
            ModKind::Contrast => {
                scale(0..c, before, RuleKind::ContrastBefore);
                scale(c + 1..n, after, RuleKind::ContrastAfter);
            }
            ModKind::Concessive => {
                let start = sentence_start(c);
                let closes_sentence = u.brk == BRK_SENTENCE || c + 1 == n;
                if closes_sentence && start < c {
                    // "slow, though": the sentence it closes is the point.
                    scale(0..start, before, RuleKind::ContrastBefore);
                    scale(start..c, after, RuleKind::ContrastAfter);
                } else {
                    let mut end = c;
                    while end + 1 < n && units[end].brk == 0 {
                        end += 1;
                    }
                    scale(c + 1..end + 1, before, RuleKind::Concession);
                    if start == c {
                        let mut stop = end + 1;
                        while stop < n && units[stop - 1].brk != BRK_SENTENCE {
                            stop += 1;
                        }
                        scale(end + 1..stop, after, RuleKind::ContrastAfter);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Contrast words honoured in one post, the first ones.
const MAX_CONTRASTS: usize = 64;

/// Scales the terms of every sentence that ends in "?".
fn apply_questions(
    units: &[Unit],
    vals: &mut [f32],
    note: &mut impl FnMut(usize, RuleKind, Option<usize>),
) {
    let mut question = false;
    for j in (0..units.len()).rev() {
        if units[j].brk == BRK_SENTENCE || j + 1 == units.len() {
            question = units[j].flags & QUESTION != 0;
        }
        if question && vals[j] != 0.0 {
            vals[j] *= if vals[j] > 0.0 {
                QUESTION_POSITIVE
            } else {
                QUESTION_NEGATIVE
            };
            note(j, RuleKind::Question, None);
        }
    }
}

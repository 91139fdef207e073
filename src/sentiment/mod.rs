//! Sentiment scoring: how negative or positive a post reads.
//!
//! A complaint often says nothing about the service in outage words ("this
//! is the worst christmas ever 😭"), so the pipeline also asks how the post
//! feels. The scorer is lexicon and rule based, like VADER, with our own word
//! lists in `lexicons/sentiment/` and `lexicons/modifiers/`: each term has a
//! valence from -4 to +4; negators, boosters, dampeners, contrast words,
//! capitals, elongation and "!" adjust it; the sum is squashed into
//! [-1, 1]. It runs for every imported post, so it works on borrowed slices
//! of per-thread buffers and allocates nothing per token.
//!
//! Parts: [`tokens`] splits a post, [`lexicon`] loads the tables, [`rules`]
//! scores, [`detect`] guesses the language when the source did not say,
//! [`memo`] remembers per thread how each chunk of text tokenizes and what
//! its words are in each table, so that posts are mostly put together from
//! memory.

mod detect;
mod lexicon;
mod memo;
mod rules;
mod tokens;

#[cfg(test)]
mod equivalence;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};

/// For the lexicon lint test in `tag::load`.
#[cfg(test)]
pub(crate) use detect::common_words_of;
pub use detect::detect_language;
pub use lexicon::ModKind;
/// The small fast hasher of the sentiment tables, for the tagger's hot maps
/// too (keys are lexicon terms and post words; see `lexicon::FastHasher`).
pub(crate) use lexicon::{FastMap, FastSet};

use lexicon::Lexicon;
use memo::Memo;
use rules::{Fired, How, RuleKind, Totals, Unit};
use tokens::Tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Negative,
    Neutral,
    Positive,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Negative => "negative",
            Label::Neutral => "neutral",
            Label::Positive => "positive",
        }
    }

    /// `compound` as it may be shown, to four decimals, beside this label.
    /// Rounding would carry a neutral score a hair inside ±0.05 onto the
    /// threshold it fell short of ("compound":0.05,"label":"neutral"), so
    /// such a score is shown as the last value inside, ±0.0499.
    pub fn shown_compound(self, compound: f64) -> f64 {
        const INSIDE: f64 = 0.0499;
        match self {
            Label::Neutral => compound.clamp(-INSIDE, INSIDE),
            _ => compound,
        }
    }

    /// Positive at 0.05 and above, negative at -0.05 and below.
    pub fn from_compound(compound: f64) -> Label {
        if compound >= 0.05 {
            Label::Positive
        } else if compound <= -0.05 {
            Label::Negative
        } else {
            Label::Neutral
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentiment {
    /// In [-1, 1].
    pub compound: f64,
    pub positive: f64,
    pub neutral: f64,
    pub negative: f64,
    pub label: Label,
}

impl Sentiment {
    fn from_totals(t: &Totals) -> Sentiment {
        let total = t.sum + t.emphasis * t.sum.signum();
        let x = total.signum() * (total.abs() - rules::NEUTRAL_MARGIN).max(0.0);
        let mut compound = x / (x * x + rules::ALPHA).sqrt();
        if !compound.is_finite() {
            compound = 0.0;
        }
        let compound = compound.clamp(-1.0, 1.0);
        // What the margin takes from the leaning side is shown as neutral,
        // so the shares never say "all positive" of a post whose compound
        // the margin held at 0 ("ok"), and say less of one it held near 0.
        let absorbed = total.abs().min(rules::NEUTRAL_MARGIN);
        let (leaning_pos, leaning_neg) = if total > 0.0 {
            ((t.positive - absorbed).max(0.0), t.negative)
        } else {
            (t.positive, (t.negative - absorbed).max(0.0))
        };
        let neutral_mass = t.neutral + (t.positive - leaning_pos) + (t.negative - leaning_neg);
        let weight = leaning_pos + leaning_neg + neutral_mass;
        let (positive, neutral, negative) = if weight > 0.0 && weight.is_finite() {
            (
                leaning_pos / weight,
                neutral_mass / weight,
                leaning_neg / weight,
            )
        } else {
            (0.0, 1.0, 0.0)
        };
        Sentiment {
            compound,
            positive,
            neutral,
            negative,
            label: Label::from_compound(compound),
        }
    }
}

/// What a rule did to a term, for `score_explained`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Matched as a multi-word term.
    Phrase,
    /// Not in the lexicon as written; found through its stem.
    Stem,
    /// Found once its repeated letters were squeezed ("sooo" → "so").
    Squeezed,
    /// Laughter of any length read as its short form.
    Laughter,
    /// Found in the English table from a post in another language.
    EnglishFallback,
    Elongated,
    AllCaps,
    Boosted(String),
    Dampened(String),
    Negated(String),
    /// Weighed less because a contrast word ("but") follows.
    BeforeContrast(String),
    /// Weighed more because a contrast word precedes.
    AfterContrast(String),
    /// In a clause opened by a concessive word ("although").
    Conceded(String),
    /// In a sentence that ends with "?".
    Question,
    /// A modifier with its own valence ("no", "pretty") acting as modifier.
    ModifierOnly,
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::Phrase => write!(f, "phrase"),
            Rule::Stem => write!(f, "stem"),
            Rule::Squeezed => write!(f, "squeezed"),
            Rule::Laughter => write!(f, "laughter"),
            Rule::EnglishFallback => write!(f, "english-fallback"),
            Rule::Elongated => write!(f, "elongated"),
            Rule::AllCaps => write!(f, "all-caps"),
            Rule::Boosted(by) => write!(f, "boosted by {by:?}"),
            Rule::Dampened(by) => write!(f, "dampened by {by:?}"),
            Rule::Negated(by) => write!(f, "negated by {by:?}"),
            Rule::BeforeContrast(by) => write!(f, "before {by:?}"),
            Rule::AfterContrast(by) => write!(f, "after {by:?}"),
            Rule::Conceded(by) => write!(f, "conceded by {by:?}"),
            Rule::Question => write!(f, "question"),
            Rule::ModifierOnly => write!(f, "modifier only"),
        }
    }
}

/// One term of a post that carried sentiment or a modifier role.
#[derive(Debug, Clone, PartialEq)]
pub struct TermScore {
    /// The term as normalised ("dont", "not bad", "❤").
    pub text: String,
    /// Valence from the lexicon (0 for a pure modifier).
    pub base: f64,
    /// Valence after the rules.
    pub adjusted: f64,
    pub modifier: Option<ModKind>,
    pub rules: Vec<Rule>,
}

/// A score with the working shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub sentiment: Sentiment,
    pub lang: Lang,
    /// True when `lang` was guessed rather than given.
    pub detected: bool,
    pub terms: Vec<TermScore>,
    /// Added to the sum by "!" and "?!" in the direction it leaned.
    pub emphasis: f64,
    /// The sum of adjusted valences, before emphasis.
    pub sum: f64,
}

/// Sizes of the loaded tables, for reports and `outcry lexicons`-style
/// listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexiconSizes {
    pub lang: Lang,
    pub valence_terms: usize,
    pub modifier_terms: usize,
    pub stems: usize,
}

#[derive(Default)]
struct Scratch {
    toks: Tokens,
    /// The post split as `detect_language` splits it, when that differs.
    plain: Tokens,
    units: Vec<Unit>,
    vals: Vec<f32>,
    tmp: String,
    memo: Memo,
}

impl Scratch {
    /// Resolves the tokens in `toks` into scored units in `lang`, adding
    /// the language evidence of their lookups to `evidence` when asked.
    fn resolve(&mut self, lex: &Lexicon, lang: Lang, evidence: Option<&mut [f32; 4]>) {
        rules::resolve(
            lex,
            lang,
            &self.toks,
            &mut self.tmp,
            &mut self.memo,
            &mut self.units,
            evidence,
        );
    }

    /// Whether a post guessed English with no common word voting for
    /// English and no word or term the English lexicon knows should be
    /// given to [`lexical_guess`](Self::lexical_guess).
    fn unknown_to_english(&self, guess: Lang, evidence: &[f32; 4]) -> bool {
        guess == Lang::En && evidence[Lang::En.index()] == 0.0 && known_words(&self.units) == 0
    }

    /// The language of a post no common word and no English term gave
    /// away (see [`lexical_pick`]). Leaves the units of English when it
    /// stays English, of no language in particular otherwise.
    fn lexical_guess(&mut self, lex: &Lexicon) -> Lang {
        let mut found = [(Lang::En, 0, false); 3];
        for (slot, lang) in found.iter_mut().zip([Lang::Es, Lang::Pt, Lang::Fr]) {
            self.resolve(lex, lang, None);
            *slot = (lang, words_as_written(&self.units), felt(&self.units));
        }
        let lang = lexical_pick(&found);
        // The callers read the post again in any other language found.
        if lang == Lang::En {
            self.resolve(lex, Lang::En, None);
        }
        lang
    }

    /// Keeps one huge post from pinning its memory for the thread's life.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        let oversized = self.toks.buf.capacity() > KEEP
            || self.toks.toks.capacity() > KEEP / 8
            || self.plain.buf.capacity() > KEEP
            || self.plain.toks.capacity() > KEEP / 8
            || self.units.capacity() > KEEP / 8;
        if oversized {
            let memo = std::mem::take(&mut self.memo);
            *self = Scratch {
                memo,
                ..Scratch::default()
            };
        }
    }
}

/// How many of `units` the table found as words or terms: emoji,
/// laughter and the English fallback are no language's own.
pub(crate) fn known_words(units: &[rules::Unit]) -> usize {
    units
        .iter()
        .filter(|u| {
            matches!(
                u.how,
                rules::How::Exact | rules::How::Phrase | rules::How::Stem | rules::How::Squeezed
            )
        })
        .count()
}

/// How many of `units` another language's table found as written: its
/// stemmer meets English words ("cracked" as Spanish "crack", "rated" as
/// "ratas"), so a stem is no evidence that the post is in that language.
pub(crate) fn words_as_written(units: &[rules::Unit]) -> usize {
    units
        .iter()
        .filter(|u| matches!(u.how, rules::How::Exact | rules::How::Phrase))
        .count()
}

/// Whether a word or term of the language's own, found as written among
/// `units`, carries sentiment.
pub(crate) fn felt(units: &[rules::Unit]) -> bool {
    units
        .iter()
        .any(|u| u.valence != 0.0 && matches!(u.how, rules::How::Exact | rules::How::Phrase))
}

/// Of the other languages' readings of a post unknown to English (each
/// `(language, words its lexicon has as written, any of them felt)`), the
/// one whose lexicon has the most, one of them carrying sentiment; English
/// when none has or two tie. Short replies to a company are often a bare
/// verdict ("atendimento péssimo", "arnaque", "qué descaro") with no
/// common word to vote.
pub(crate) fn lexical_pick(found: &[(Lang, usize, bool)]) -> Lang {
    let mut best = (Lang::En, 0);
    let mut tied = false;
    for &(lang, known, felt) in found {
        if !felt || known == 0 {
            continue;
        }
        if known > best.1 {
            best = (lang, known);
            tied = false;
        } else if known == best.1 {
            tied = true;
        }
    }
    if tied {
        Lang::En
    } else {
        best.0
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

pub struct SentimentScorer {
    lex: Lexicon,
    /// Tells this scorer's entries in the per-thread word cache apart from
    /// another scorer's (built from other lexicons).
    id: u64,
}

fn next_scorer_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl SentimentScorer {
    pub fn new(lexicons: &Lexicons) -> Result<SentimentScorer, LexiconError> {
        Ok(SentimentScorer {
            lex: Lexicon::read(lexicons)?,
            id: next_scorer_id(),
        })
    }

    /// A scorer from lexicon texts held in memory, as `(name, text)` pairs
    /// named like the files under `lexicons/` (`"sentiment/en.tsv"`,
    /// `"modifiers/fr.tsv"`); files not given count as empty.
    pub fn from_texts(files: &[(&str, &str)]) -> Result<SentimentScorer, LexiconError> {
        Ok(SentimentScorer {
            lex: Lexicon::from_texts(files)?,
            id: next_scorer_id(),
        })
    }

    pub fn sizes(&self) -> Vec<LexiconSizes> {
        Lang::ALL
            .iter()
            .map(|&lang| {
                let t = self.lex.table(lang);
                LexiconSizes {
                    lang,
                    valence_terms: t.valence_terms,
                    modifier_terms: t.modifier_terms,
                    stems: t.stems.len(),
                }
            })
            .collect()
    }

    /// Emoji and emoticons known to every language.
    pub fn symbol_count(&self) -> usize {
        self.lex.symbols.map.len()
    }

    /// `lang` is the post's language when the source gave one we know.
    pub fn score(&self, text: &str, lang: Option<Lang>) -> Sentiment {
        self.with_scratch(|s| {
            let (_, totals) = self.run(text, lang, s, None);
            Sentiment::from_totals(&totals)
        })
    }

    /// The language [`detect_language`] picks for `text` (or, when nothing
    /// in the post is English, the one whose lexicon knows its words: see
    /// [`lexical_pick`]), and the score in it: the same as `score(text,
    /// Some(lang))`, usually from one tokenization instead of three. The
    /// text is tokenized and looked up as English; the English table's
    /// entries carry each common word's language votes, so those lookups
    /// add up exactly the evidence `detect_language` counts, unless an
    /// emoticon from the table changed how the text split (detection
    /// tokenizes without the table): then the votes are counted again over
    /// that split, pasted from memory too. A post found to be in another
    /// language is tokenized again only when an apostrophe makes the rule
    /// matter, or when the second split made the memory start afresh.
    pub fn detect_and_score(&self, text: &str) -> (Lang, Sentiment) {
        self.with_scratch(|s| {
            let symbols = &self.lex.symbols;
            s.memo.claim(self.id);
            s.memo.tokenize(text, symbols, Lang::En, &mut s.toks);
            let era = s.memo.era();
            let mut evidence = s.toks.stats.cues;
            s.resolve(&self.lex, Lang::En, Some(&mut evidence));
            let mut lang = if s.toks.stats.symbol_table {
                s.memo.tokenize_plain(text, symbols, &mut s.plain);
                detect::detect_remembered(self.lex.table(Lang::En), &s.plain, &s.memo)
            } else {
                detect::decide(&evidence)
            };
            if s.unknown_to_english(lang, &evidence) {
                lang = s.lexical_guess(&self.lex);
            }
            if lang != Lang::En {
                // The split for the guess may have made the memory start
                // afresh, when the tokens' numbers no longer name them.
                if s.toks.stats.apostrophes || s.memo.era() != era {
                    s.memo.tokenize(text, symbols, lang, &mut s.toks);
                }
                s.resolve(&self.lex, lang, None);
            }
            let totals = rules::apply(&s.units, &s.toks.stats, &mut s.vals, None);
            (lang, Sentiment::from_totals(&totals))
        })
    }

    /// Like [`score`](Self::score), with every term that counted and the
    /// rules that changed it.
    pub fn score_explained(&self, text: &str, lang: Option<Lang>) -> Explanation {
        self.with_scratch(|s| {
            let mut fired = Vec::new();
            let (used, totals) = self.run(text, lang, s, Some(&mut fired));
            let name = |u: usize| -> String {
                s.units
                    .get(u)
                    .and_then(|unit| {
                        let first = s.toks.toks.get(unit.first)?;
                        let last = s.toks.toks.get(unit.last)?;
                        s.toks.buf.get(first.start..last.end)
                    })
                    .unwrap_or("")
                    .to_string()
            };
            let mut terms = Vec::new();
            for (j, unit) in s.units.iter().enumerate() {
                let adjusted = f64::from(s.vals.get(j).copied().unwrap_or(0.0));
                if unit.valence == 0.0 && unit.modifier.is_none() {
                    continue;
                }
                let mut rules = Vec::new();
                match unit.how {
                    How::Phrase => rules.push(Rule::Phrase),
                    How::Stem => rules.push(Rule::Stem),
                    How::Squeezed => rules.push(Rule::Squeezed),
                    How::Laughter => rules.push(Rule::Laughter),
                    How::English => rules.push(Rule::EnglishFallback),
                    How::Unknown | How::Exact | How::Symbol => {}
                }
                for f in fired.iter().filter(|f| f.unit == j) {
                    let by = f.by.map(name).unwrap_or_default();
                    rules.push(match f.rule {
                        RuleKind::Elongated => Rule::Elongated,
                        RuleKind::AllCaps => Rule::AllCaps,
                        RuleKind::Boosted => Rule::Boosted(by),
                        RuleKind::Dampened => Rule::Dampened(by),
                        RuleKind::Negated => Rule::Negated(by),
                        RuleKind::ContrastBefore => Rule::BeforeContrast(by),
                        RuleKind::ContrastAfter => Rule::AfterContrast(by),
                        RuleKind::Concession => Rule::Conceded(by),
                        RuleKind::Question => Rule::Question,
                        RuleKind::ModifierRole => Rule::ModifierOnly,
                    });
                }
                terms.push(TermScore {
                    text: name(j),
                    base: f64::from(unit.valence),
                    adjusted,
                    modifier: unit.modifier.map(|m| m.kind),
                    rules,
                });
            }
            Explanation {
                sentiment: Sentiment::from_totals(&totals),
                lang: used,
                detected: lang.is_none(),
                terms,
                emphasis: totals.emphasis,
                sum: totals.sum,
            }
        })
    }

    fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => {
                let r = f(&mut s);
                s.trim();
                r
            }
            // Only when scoring re-enters itself (it does not): use a fresh
            // buffer rather than fail.
            Err(_) => f(&mut Scratch::default()),
        })
    }

    fn run(
        &self,
        text: &str,
        lang: Option<Lang>,
        s: &mut Scratch,
        trace: Option<&mut Vec<Fired>>,
    ) -> (Lang, Totals) {
        let symbols = &self.lex.symbols;
        s.memo.claim(self.id);
        s.memo
            .tokenize(text, symbols, lang.unwrap_or(Lang::En), &mut s.toks);
        let lang = match lang {
            Some(given) => {
                s.resolve(&self.lex, given, None);
                given
            }
            None => {
                // Most posts are English: score as English, gathering the
                // language evidence from the same lookups, and start again
                // only when the evidence points elsewhere.
                let mut evidence = s.toks.stats.cues;
                s.resolve(&self.lex, Lang::En, Some(&mut evidence));
                let mut guess = detect::decide(&evidence);
                if s.unknown_to_english(guess, &evidence) {
                    guess = s.lexical_guess(&self.lex);
                }
                if guess != Lang::En {
                    // Apostrophes were read the English way; read them again.
                    if s.toks.stats.apostrophes {
                        s.memo.tokenize(text, symbols, guess, &mut s.toks);
                    }
                    s.resolve(&self.lex, guess, None);
                }
                guess
            }
        };
        let totals = rules::apply(&s.units, &s.toks.stats, &mut s.vals, trace);
        (lang, totals)
    }
}

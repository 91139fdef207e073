//! Is a post a complaint?
//!
//! Kept apart from sentiment because the two disagree often: "netflix has
//! been buffering for 2 hours" carries no sentiment word yet is plainly a
//! complaint, and "the error page is hilarious, thanks for the quick fix"
//! names an error without complaining. The judgement adds up explainable
//! signals — outage phrases, service-problem vocabulary from
//! `lexicons/complaint/<lang>.tsv` (with negative weights for fixes and for
//! news written about an outage), error codes, durations, repeats, a help
//! handle or any company handle addressed, a status question, and the
//! sentiment — plus hints that name no problem but are how most complaints
//! to a company read (a denied event, a "why" put to someone, a sum of
//! money told: `negation.rs`, `money.rs`); every caller (import, poll,
//! score) judges through [`ComplaintScorer::judge`].
//!
//! The same signals also say how the post's words should be read, which
//! [`lean`] applies to its sentiment: praise beside a problem with an irony
//! cue from `lexicons/complaint/tone-<lang>.tsv` is sarcasm; a calm question
//! is neutral whatever its mild words; a post that reports a fix or the news
//! is not negative for naming the outage.

mod ascii;
mod denials;
mod late;
mod lean;
mod money;
mod negation;
mod patterns;
mod sets;
mod shape;
mod stand_in;
#[cfg(test)]
mod tests;

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};
use crate::sentiment::Sentiment;
use crate::tag::PhraseSet;

pub use lean::lean;
use patterns::Patterns;

/// Weights of the signals that are not phrase lists. The phrase weights are
/// in the lexicon files. Chosen by hand on our own check set
/// (tests/fixtures/checkset/posts.tsv), not fitted, so that each stays
/// explainable: one strong signal or two weak ones make a complaint.
const OUTAGE: f64 = 2.0;
const ERROR_CODE: f64 = 1.5;
const DURATION: f64 = 1.2;
/// "3rd time this month", "declined 3 times today".
const REPEAT: f64 = 1.2;
/// "keeps cutting out": the failure goes on while the author writes.
const KEEPS: f64 = 1.2;
/// "ordered a blender, got cat litter": a plain fact that wants one more
/// sign (a handle, a word of anger) to be a complaint, as a list of what
/// was ordered and what came may be told in good humour.
const WRONG_ITEM: f64 = 1.0;
/// "ordered at 7. its 8:40": overdue (`late.rs`), but wanting one more
/// sign likewise, as a wait may be told in good humour too ("ordered at 7,
/// its 8:40, worth it for these wings").
const LATE: f64 = 1.0;
/// An irony mark (🙃 🙄 "/s") is a hint that something went wrong even
/// when no problem word says what: "paying for fibre to get 2 megs 🙃".
/// Not enough alone; with praise around it, it makes sarcasm.
const IRONY_MARK: f64 = 0.6;
/// "nobody showed up", "my stars didn't post": an expected event denied.
/// Weak alone (people deny things all day); beside a company's handle or
/// any other sign of trouble, a complaint (0.75 + 0.5 clears the bias of
/// 1.2 by a margin, not by float equality).
const DENIED: f64 = 0.75;
/// "@Walmart why did my order get split into 4 deliveries?": asking for
/// the reason of what happened is asking someone to justify it.
const ASKS_WHY: f64 = 0.9;
/// "@Sears washer delivery was \"guaranteed\" for today": a company's words
/// quoted back at it. A hint: a kindness may be quoted too ("wrote \"you got
/// this\" on my cup"), and its praise then outweighs it.
const QUOTED: f64 = 0.75;
/// "parcel \"delivered\" to a locker 40km away": a service's status quoted
/// as untrue (`shape::quotes_a_status`). Wanting one more sign, as LATE
/// does: a status may be quoted only to ask what it means.
const QUOTED_STATUS: f64 = 1.0;
/// "$65 for a carry on": a sum of money told, not asked about.
const MONEY: f64 = 0.75;
/// A link in a post that speaks as no one to no one: the shape of a
/// shared headline. Counts against a complaint (twice, being impersonal).
const LINKED: f64 = -0.6;
/// The lightest counter taken for a fix ("is working again", "resolved"),
/// which a negator before it turns around (see `counters_denied`).
const DENIABLE: f64 = -1.5;
/// A company answering, signed ("Could you DM us your account number?
/// ^RK"): its words name the customer's problem, outage and all, but the
/// post is no complaint, so the signature outweighs them. Its invitations
/// to write privately ("DM us") weigh less, in the phrase lists: a
/// customer repeats them ("you said DM us, I did").
const COMPANY_VOICE: f64 = -4.0;
/// "BREAKING: ground stop at ORD, expect delays": a wire headline's
/// opening. Counts against a complaint like a news phrase.
const NEWS_OPENING: f64 = -1.0;
/// "gmail down?": the shortest status question there is.
const DOWN_QUESTION: f64 = 1.2;
/// "fixed it in 20 min": a fix, timed. Counts against a complaint.
const QUICK: f64 = -1.0;
/// News and fix cues count this many times over in a post written in the
/// third person to no one ("Delta says flights resuming after outage").
const IMPERSONAL: f64 = 2.0;
const HELP_HANDLE: f64 = 1.0;
/// A company's handle addressed beside a reported problem: the post is
/// written to the company about it. Less than a help handle, which exists
/// only to receive such posts.
const ADDRESSED: f64 = 0.5;
const STATUS_QUESTION: f64 = 0.8;
/// A calm question asking how to do a thing or whether one may: against a
/// complaint (see `shape::how_to`).
const HOW_TO: f64 = -1.5;
const NEGATIVE_SCALE: f64 = 1.8;
const POSITIVE_SCALE: f64 = 2.0;
/// Phrase evidence is capped so a rant of problem words cannot outweigh
/// clear praise.
const PHRASE_CAP: f64 = 3.0;
/// What the evidence must overcome: a post with no signal at all is not a
/// complaint.
const BIAS: f64 = 1.2;
/// How sure a complaint must be before its sentiment is leaned negative.
const LEAN_FROM: f64 = 0.6;
/// Irony cues weighing this much ("thanks for nothing", "yeah right") mark
/// sarcasm on their own; lighter ones ("thanks", "great") only when the
/// praise around them is mild and the problem plainly stated. Anger cues
/// ("why is my", "seriously") carry negative weights: they never make
/// sarcasm, but a question holding one is not calm.
const IRONY_CUE: f64 = 2.0;
/// How much problem evidence (outage, phrases, codes, durations, repeats)
/// a light praise cue needs beside it to read as sarcasm: more than a
/// hint such as "again" ("nice seeing her again").
const PLAIN_PROBLEM: f64 = 1.0;
/// Praise at or above this compound beside a problem, with only a light cue,
/// is taken at its word ("went down but we played cards, best night ❤️").
const MILD_PRAISE: f64 = 0.6;
/// A calm question about a problem whose words are no stronger than this
/// reads neutral ("is psn down? can't sign in"); stronger words are meant.
const CALM_QUESTION: f64 = 0.25;
/// A post arguing against being a complaint (a fix, a news report) with
/// negative words no stronger than this reads neutral: it names the outage,
/// it does not suffer it.
const COUNTER_NEUTRAL: f64 = 0.5;

/// What a post carries besides its text: from the tagger and the scorer.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    pub text: &'a str,
    pub lang: Lang,
    /// An outage phrase or outage hashtag was found by the tagger.
    pub outage: bool,
    /// A service's own help handle was addressed (`@netflixhelps`).
    pub help_addressed: bool,
    pub sentiment: &'a Sentiment,
}

/// How the post's sentiment words should be taken, given the rest of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// At their word.
    Plain,
    /// Praise beside a problem, with an irony cue: the praise is the
    /// complaint ("great job @FedEx, the box looks run over").
    Sarcastic,
    /// A calm question ("is netflix down?", "@Delta can I change my seat?"):
    /// people read it as neutral even when it reports a problem.
    Question,
    /// The post reports a fix or the news about an outage; its mildly
    /// negative words name the outage rather than suffer it.
    Counter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// In (0, 1): how sure the rules are that this is a complaint.
    pub score: f64,
    /// The same, from the trouble the post names, without the hints that
    /// name none (a denial, a "why" question, a sum of money) unless the
    /// post speaks of a service: how far [`lean`] turns its sentiment.
    /// People read "@anonymous I didn't realize" as neutral, and leaning it
    /// would misread every such reply.
    pub named: f64,
    pub complaint: bool,
    /// Which signals fired, e.g. `outage`, `problem:buffering`,
    /// `error_code`, `negative`, `sarcasm`.
    pub signals: Vec<String>,
    /// How [`lean`] should read the sentiment.
    pub reading: Reading,
}

impl Judgement {
    /// `score` as it may be shown, to four decimals, beside the flag: a
    /// score a hair under 0.5 would round to the 0.5 the flag is set at, so
    /// an unflagged post shows at most 0.4999.
    pub fn shown_score(&self) -> f64 {
        if self.complaint {
            self.score
        } else {
            self.score.min(0.4999)
        }
    }
}

pub struct ComplaintScorer {
    /// Problem and counter phrases, one set per language in `Lang::ALL`
    /// order.
    phrases: Vec<PhraseSet>,
    /// Irony and anger cues, one set per language in `Lang::ALL` order.
    tone: Vec<PhraseSet>,
    /// Services and transactions (an order, a bill, a flight), one set per
    /// language in `Lang::ALL` order.
    services: Vec<PhraseSet>,
    patterns: Patterns,
}

fn built_in(reason: String) -> LexiconError {
    LexiconError {
        file: "src/complaint/patterns.rs".into(),
        line: None,
        reason,
    }
}

/// A signal naming what fired, e.g. `problem:buffering`: joined by hand,
/// as `format!` would, without its machinery (it ran for most posts).
fn signal(kind: &str, phrase: &str) -> String {
    let mut s = String::with_capacity(kind.len() + phrase.len());
    s.push_str(kind);
    s.push_str(phrase);
    s
}

/// The set for `lang` from a list kept in `Lang::ALL` order.
fn for_lang(sets: &[PhraseSet], lang: Lang) -> Option<&PhraseSet> {
    sets.iter().find(|s| s.lang() == lang)
}

/// `phrase` is `longer`'s words or some run of them: "caiu" in "caiu a
/// ficha", not in "caiuzinho".
fn holds_words(longer: &str, phrase: &str) -> bool {
    longer.len() > phrase.len()
        && longer.match_indices(phrase).any(|(at, _)| {
            let before = longer[..at].chars().next_back();
            let after = longer[at + phrase.len()..].chars().next();
            before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
        })
}

/// The total weight of the counter phrases among `hits` that are not
/// among `kept` (what a part of the post holds), their signals renamed
/// from `counter:` to `kind`.
fn counters_missing(
    set: &PhraseSet,
    hits: &[usize],
    kept: &[usize],
    signals: &mut [String],
    kind: &str,
) -> f64 {
    let mut weight = 0.0;
    for &i in hits.iter().filter(|i| !kept.contains(i)) {
        let Some((phrase, w)) = set.entry(i).filter(|&(_, w)| w < 0.0) else {
            continue;
        };
        // A counter already discounted by another view (quoted, then
        // denied) no longer reads `counter:`, and is not taken off twice.
        let was = signal("counter:", phrase);
        if let Some(s) = signals.iter_mut().find(|s| **s == was) {
            *s = signal(kind, phrase);
            weight += f64::from(w);
        }
    }
    weight
}

impl ComplaintScorer {
    pub fn new(lexicons: &Lexicons) -> Result<ComplaintScorer, LexiconError> {
        let load = |name: &str| -> Result<Vec<PhraseSet>, LexiconError> {
            Lang::ALL
                .iter()
                .map(|&lang| PhraseSet::load(lexicons, &name.replace("{}", lang.code()), lang))
                .collect()
        };
        Ok(ComplaintScorer {
            phrases: load("complaint/{}.tsv")?,
            tone: load("complaint/tone-{}.tsv")?,
            services: load("complaint/service-{}.tsv")?,
            patterns: Patterns::new().map_err(built_in)?,
        })
    }

    /// The phrase set of `lang`, and the phrases `view` (a part of a post,
    /// or a post with some words blanked) holds: what the counters of the
    /// whole post are checked against.
    fn phrases_in(&self, lang: Lang, view: &str) -> Option<(&PhraseSet, Vec<usize>)> {
        let set = for_lang(&self.phrases, lang)?;
        let mut found = Vec::new();
        set.find(view, &mut found);
        Some((set, found))
    }

    /// The weight (negative) of the counter phrases among `hits` found only
    /// inside a quotation: a company's reassurance quoted back ("\"we
    /// apologise for any inconvenience\" mate i missed the call from the
    /// hospital") is held up against what happened, no sign that it is
    /// over. A phrase also said outside the quotation still counts. Their
    /// signals become `quoted_counter:`, and the quotation a hint of its
    /// own.
    fn counters_quoted(&self, e: &Evidence, hits: &[usize], signals: &mut [String]) -> f64 {
        let Some(outside) = shape::without_quotations(e.text) else {
            return 0.0;
        };
        let Some((set, still)) = self.phrases_in(e.lang, &outside) else {
            return 0.0;
        };
        counters_missing(set, hits, &still, signals, "quoted_counter:")
    }

    /// The weight (negative) of the counter phrases among `hits` said
    /// before a "but" that a problem phrase follows: "wifi is back but the
    /// tv app still won't load" reports what is still wrong, and what came
    /// back is the concession. A counter said after the "but" too still
    /// counts ("still down but it's back now" is good news). Their signals
    /// become `conceded_counter:`.
    fn counters_conceded(&self, e: &Evidence, hits: &[usize], signals: &mut [String]) -> f64 {
        let Some(after) = shape::after_contrast(e.text, e.lang) else {
            return 0.0;
        };
        let Some((set, later)) = self.phrases_in(e.lang, after) else {
            return 0.0;
        };
        let weight_of = |i: usize| set.entry(i).map_or(0.0, |(_, w)| w);
        let problem_after = later.iter().any(|&i| weight_of(i) > 0.0);
        let counter_after = later.iter().any(|&i| weight_of(i) < 0.0);
        if !problem_after || counter_after {
            return 0.0;
        }
        counters_missing(set, hits, &later, signals, "conceded_counter:")
    }

    /// The weight (negative) of the fixes among `hits` that a negator
    /// denies: "não voltou a funcionar" (it did not come back), "no
    /// funciona de nuevo", "ça remarche pas", "nothing was resolved". A fix
    /// weighs `DENIABLE` or more; the lighter counters are news cues, and
    /// "not blaming anyone" is no complaint. A counter that holds a negator
    /// of its own ("no questions asked", "didn't affect me") is itself.
    /// Their signals become `denied_counter:`.
    fn counters_denied(&self, e: &Evidence, hits: &[usize], signals: &mut [String]) -> f64 {
        let Some(undenied) = negation::without_denied(e.text, e.lang) else {
            return 0.0;
        };
        let Some((set, mut kept)) = self.phrases_in(e.lang, &undenied) else {
            return 0.0;
        };
        kept.extend(hits.iter().copied().filter(|&i| {
            set.entry(i).is_some_and(|(phrase, w)| {
                f64::from(w) > DENIABLE || negation::holds_negator(phrase, e.lang)
            })
        }));
        counters_missing(set, hits, &kept, signals, "denied_counter:")
    }

    /// The weight of the problem phrases among `hits` that are words of a
    /// counter phrase also among them: "caiu a ficha" (it dawned on me)
    /// holds "caiu", "market crash" holds "crash", "erreur de débutant"
    /// holds "erreur". The idiom says what those words mean here, so they
    /// are no problem; their signals become `in_idiom:`. Phrases are found
    /// without their places, so a problem word said again outside the
    /// idiom ("crashed during the market crash") is written off too; the
    /// outage tag, which may come from other words, is left as it is.
    fn problems_in_idioms(&self, e: &Evidence, hits: &[usize], signals: &mut [String]) -> f64 {
        let Some(set) = for_lang(&self.phrases, e.lang) else {
            return 0.0;
        };
        let entries = || hits.iter().filter_map(|&i| set.entry(i));
        let mut weight = 0.0;
        for (phrase, w) in entries().filter(|&(_, w)| w > 0.0) {
            let inside = entries()
                .filter(|&(_, cw)| cw < 0.0)
                .any(|(idiom, _)| holds_words(idiom, phrase));
            if !inside {
                continue;
            }
            weight += f64::from(w);
            let was = signal("problem:", phrase);
            if let Some(s) = signals.iter_mut().find(|s| **s == was) {
                *s = signal("in_idiom:", phrase);
            }
        }
        weight
    }

    /// Judges one post from its text and what the other stages found.
    pub fn judge(&self, e: &Evidence) -> Judgement {
        let mut signals = Vec::new();
        let mut hits = Vec::new();
        // Evidence that something is wrong, sentiment aside.
        let mut problem = 0.0;
        if e.outage {
            problem += OUTAGE;
            signals.push("outage".to_string());
        }
        // Each language has its own list, loanwords ("error", "bug") included:
        // English stems laid over other languages meet their words by
        // accident ("reportes", "skip").
        let (mut found, mut counter) = (0.0, 0.0);
        if let Some(set) = for_lang(&self.phrases, e.lang) {
            set.find(e.text, &mut hits);
            for &i in &hits {
                if let Some((phrase, weight)) = set.entry(i) {
                    let weight = f64::from(weight);
                    if weight >= 0.0 {
                        found += weight;
                        signals.push(signal("problem:", phrase));
                    } else {
                        counter += weight;
                        signals.push(signal("counter:", phrase));
                    }
                }
            }
        }
        let reassurance_quoted = counter < 0.0 && {
            let quoted = self.counters_quoted(e, &hits, &mut signals);
            counter -= quoted;
            quoted < 0.0
        };
        // One pass for denials, "why" words and the shapes' cue words,
        // whose answers are wanted below; a fix can be denied only in a
        // post that denies something.
        let scanned = negation::scan(e.text, e.lang);
        if counter < 0.0 && scanned.denies {
            counter -= self.counters_denied(e, &hits, &mut signals);
        }
        if counter < 0.0 && found > 0.0 {
            counter -= self.counters_conceded(e, &hits, &mut signals);
            found -= self.problems_in_idioms(e, &hits, &mut signals);
        }
        problem += found.min(PHRASE_CAP);
        let shapes = self.patterns.scan(e.text);
        for (found, weight, name) in [
            (shapes.error_code, ERROR_CODE, "error_code"),
            (shapes.duration, DURATION, "duration"),
            (shapes.repeat, REPEAT, "repeat"),
            (shapes.keeps, KEEPS, "keeps"),
            (shapes.down_question, DOWN_QUESTION, "down_question"),
        ] {
            if found {
                problem += weight;
                signals.push(name.to_string());
            }
        }
        // An eye roll says something is wrong; clapping alone may be
        // applause (see below).
        let irony_mark = shape::irony(e.text);
        let marked = irony_mark.is_some();
        if irony_mark == Some(shape::Irony::Mark) {
            problem += IRONY_MARK;
        }
        if marked {
            signals.push("irony_mark".to_string());
        }
        // Hints of trouble that name none: they add to the sum, but do not
        // make the post one that reports a problem, which is what turns
        // praise into sarcasm and a question into a status question.
        let mut hints = 0.0;
        // ...and quoted back, it is a company's words held against what
        // happened, as `quoted` below, whoever the post is written to.
        if reassurance_quoted {
            hints += QUOTED;
        }
        if scanned.cue_word {
            let cued = self.patterns.cued(e.text);
            if cued.wrong_item && !shape::freebie(e.text) {
                problem += WRONG_ITEM;
                signals.push("wrong_item".to_string());
            }
            if cued.tried_again && !shapes.repeat {
                problem += REPEAT;
                signals.push("tried_again".to_string());
            }
            if late::overdue(e.text, e.lang) {
                problem += LATE;
                signals.push("late".to_string());
            }
        }
        if scanned.denies {
            hints += DENIED;
            signals.push("denied".to_string());
        }
        if money::states_a_sum(e.text) {
            hints += MONEY;
            signals.push("money".to_string());
        }
        let addresses = shape::addresses(e.text);
        // Words quoted back at a company about a service: what it promised
        // or said, held up against what happened. Between people quotes are
        // titles, jokes and sayings ("@anonymous ever play roulette? 'always
        // bet on black'"), so the service must be named; and a calm question
        // quotes to ask ("what does \"pending\" mean on my card?").
        let asks = shape::asks(e.text);
        let mut service = None;
        // A reassurance quoted back is that hint already.
        if addresses
            && !reassurance_quoted
            && (!asks || shape::emphatic(e.text))
            && shape::quotes(e.text)
            && *service.get_or_insert_with(|| self.names_a_service(e.text, e.lang))
        {
            hints += QUOTED;
            signals.push("quoted".to_string());
        }
        // Whoever it is told to: "\"in transit\" since friday". Between
        // people ("@amigo \"on its way\" she texted me") a service must be
        // named, as for `quoted`: the handle alone would be the one more
        // sign.
        if shape::quotes_a_status(e.text, e.lang)
            && (!asks || shape::emphatic(e.text))
            && (!addresses || *service.get_or_insert_with(|| self.names_a_service(e.text, e.lang)))
        {
            problem += QUOTED_STATUS;
            signals.push("quoted_status".to_string());
        }
        let why = scanned.why_word && shape::asks_why(e.text);
        if why {
            hints += ASKS_WHY;
            signals.push("asks_why".to_string());
        }
        if shapes.quick {
            counter += QUICK;
            signals.push("quick".to_string());
        }
        // Clapping at someone ("great job @comcast 👏👏"), or beside a
        // problem or a hint of trouble ("3 hours without internet 👏"), is
        // the ironic kind; clapping at no one beside nothing wrong, or
        // beside a habit only ("love how he keeps trying 👏"), is applause.
        if irony_mark == Some(shape::Irony::Clapping) {
            let habit_only = shapes.keeps && problem <= KEEPS;
            let at_someone = addresses || e.help_addressed;
            if hints > 0.0 || at_someone || (problem > 0.0 && !habit_only) {
                problem += IRONY_MARK;
            } else {
                hints += IRONY_MARK;
            }
        }
        // What the post itself says is wrong, before who it is said to.
        let stated = problem;
        if e.help_addressed {
            problem += HELP_HANDLE;
            signals.push("help_handle".to_string());
        } else if problem > 0.0 && addresses {
            problem += ADDRESSED;
            signals.push("addressed".to_string());
        } else if hints > 0.0 && addresses {
            hints += ADDRESSED;
            signals.push("addressed".to_string());
        }
        // A link shared by no one in particular to no one is how a
        // headline travels ("Netflix outage: what we know so far
        // https://t.co/..."): a news cue of its own.
        // Asked only when it matters: it reads every word.
        let nobody = || !e.help_addressed && !addresses && !shape::personal(e.text, e.lang);
        let linked = problem > 0.0 && shape::links(e.text) && nobody();
        if linked {
            counter += LINKED;
            signals.push("linked".to_string());
        }
        if shape::company_voice(e.text) {
            counter += COMPANY_VOICE;
            signals.push("company_voice".to_string());
        }
        if shape::news_opening(e.text) {
            counter += NEWS_OPENING;
            signals.push("news_opening".to_string());
        }
        let impersonal = counter < 0.0 && (linked || nobody());
        if impersonal {
            counter *= IMPERSONAL;
            signals.push("impersonal".to_string());
        }
        let reports = problem > 0.0;
        // Asked about the problem itself, not about something else in a
        // post that also names a problem.
        let status = reports && asks && self.asks_about_problem(e.text, e.lang);
        if status {
            problem += STATUS_QUESTION;
            signals.push("status_question".to_string());
        }
        let compound = e.sentiment.compound;
        // Tone cues matter only against praise or in a question about a
        // problem; most posts skip the search.
        let (mut irony, mut light, mut anger) = (false, false, false);
        // A habit alone is what praise is often about ("love how he keeps
        // trying"): it takes another sign of trouble to read the praise as
        // sarcasm.
        let keeps_only = shapes.keeps && problem <= KEEPS;
        if reports && !keeps_only && (compound > 0.0 || asks) {
            // A smile is sarcastic only beside a problem the post names.
            irony = marked && (irony_mark != Some(shape::Irony::Smile) || found >= PLAIN_PROBLEM);
            if let Some(set) = for_lang(&self.tone, e.lang) {
                hits.clear();
                set.find(e.text, &mut hits);
                for &i in &hits {
                    if let Some((phrase, weight)) = set.entry(i) {
                        let weight = f64::from(weight);
                        irony |= weight >= IRONY_CUE;
                        light |= weight > 0.0;
                        anger |= weight < 0.0;
                        signals.push(signal("tone:", phrase));
                    }
                }
            }
        }
        // Praise with content is meant; a praise word standing alone beside
        // a plainly stated problem, without cheer, is deadpan.
        let deadpan = || {
            let Some(set) = for_lang(&self.tone, e.lang) else {
                return false;
            };
            let mut found = Vec::new();
            shape::short_clauses(e.text).any(|clause| {
                found.clear();
                set.find(clause, &mut found);
                found.iter().any(|&i| {
                    set.entry(i)
                        .is_some_and(|(_, w)| w > 0.0 && f64::from(w) < IRONY_CUE)
                })
            })
        };
        let sarcastic = compound > 0.0
            && counter == 0.0
            && (irony
                || (light
                    && stated >= PLAIN_PROBLEM
                    && compound < MILD_PRAISE
                    && !shape::cheerful(e.text)
                    && deadpan()
                    && !shape::sincere(e.text)));
        let mut sum = -BIAS + problem + hints + counter;
        // "how do i cancel?", "can i get a refund if...?": a calm question
        // opening so names what it wants done, not a problem had.
        if reports
            && asks
            && compound > -CALM_QUESTION
            && !anger
            && !why
            && !irony
            && shape::how_to(e.text, e.lang)
            && !shape::emphatic(e.text)
        {
            sum += HOW_TO;
            signals.push("how_to".to_string());
        }
        if sarcastic {
            sum += compound * NEGATIVE_SCALE;
            signals.push("sarcasm".to_string());
        } else if compound < 0.0 {
            sum += -compound * NEGATIVE_SCALE;
            if compound <= -0.05 {
                signals.push("negative".to_string());
            }
        } else if compound > 0.0 {
            sum -= compound * POSITIVE_SCALE;
            if compound >= 0.05 {
                signals.push("positive".to_string());
            }
        }
        let calm =
            || !anger && !why && !irony && !shape::emphatic(e.text) && !shape::rhetorical(e.text);
        let reading = if sarcastic {
            Reading::Sarcastic
        } else if status && compound > -CALM_QUESTION && compound <= 0.0 && calm() {
            signals.push("calm_question".to_string());
            Reading::Question
        } else if (reports || hints > 0.0)
            && asks
            && compound > -0.05
            && compound < MILD_PRAISE
            && shape::courteous(e.text, e.lang)
            && calm()
        {
            // "hi, my refund hasn't arrived, could you check?": people rate
            // a report put as a polite request neutral when no word in it
            // is negative (34 of 36 such posts in our read check sets, by
            // four groups of writers).
            signals.push("polite_request".to_string());
            Reading::Question
        } else if (reports || impersonal) && counter < 0.0 && sum < 0.0 {
            Reading::Counter
        } else {
            Reading::Plain
        };
        // A complaint resting on hints reads as negative when it is about a
        // service ("@DoorDash said delivered at 7:42. nothing at my door"),
        // not when it is a reply that only denies ("@anonymous no such
        // thing").
        let mut named = sum - hints;
        if hints > 0.0
            && sum >= 0.0
            && *service.get_or_insert_with(|| self.names_a_service(e.text, e.lang))
        {
            named = sum;
            signals.push("service".to_string());
        }
        let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
        Judgement {
            score: sigmoid(sum),
            named: sigmoid(named),
            complaint: sum >= 0.0,
            signals,
            reading,
        }
    }
}

impl ComplaintScorer {
    fn names_a_service(&self, text: &str, lang: Lang) -> bool {
        let mut hits = Vec::new();
        if let Some(set) = for_lang(&self.services, lang) {
            set.find(text, &mut hits);
        }
        !hits.is_empty()
    }

    /// A question is about the problem when the problem is named in the
    /// question itself ("is psn down? can't sign in"), or when the post is
    /// that one question ("@netflixhelps any eta?"). "Is youtube acting up
    /// today? All I get is a 502 error" asks one thing and complains of
    /// another.
    fn asks_about_problem(&self, text: &str, lang: Lang) -> bool {
        let set = for_lang(&self.phrases, lang);
        let mut hits = Vec::new();
        shape::questions(text).any(|(question, whole)| {
            if whole || self.patterns.down_question(question) {
                return true;
            }
            let Some(set) = set else {
                return false;
            };
            hits.clear();
            set.find(question, &mut hits);
            hits.iter()
                .any(|&i| set.entry(i).is_some_and(|(_, w)| w > 0.0))
        })
    }
}

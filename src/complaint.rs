//! Is a post a complaint?
//!
//! Kept apart from sentiment because the two disagree often: "netflix has
//! been buffering for 2 hours" carries no sentiment word yet is plainly a
//! complaint, and "the error page is hilarious, thanks for the quick fix"
//! names an error without complaining. The judgement adds up explainable
//! signals — outage phrases, service-problem vocabulary from
//! `lexicons/complaint/<lang>.tsv`, error codes, durations, a help handle
//! addressed, a status question, and the sentiment — and every caller
//! (import, poll, score) judges through [`ComplaintScorer::judge`].

use regex::RegexSet;

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};
use crate::sentiment::Sentiment;
use crate::tag::PhraseSet;

/// Weights of the signals that are not phrase lists. The phrase weights are
/// in the lexicon files. Chosen by hand on our own check set
/// (tests/fixtures/checkset/posts.tsv), not fitted, so that each stays
/// explainable: one strong signal or two weak ones make a complaint.
const OUTAGE: f64 = 2.0;
const ERROR_CODE: f64 = 1.5;
const DURATION: f64 = 0.8;
const HELP_HANDLE: f64 = 1.0;
const STATUS_QUESTION: f64 = 0.8;
const NEGATIVE_SCALE: f64 = 1.8;
const POSITIVE_SCALE: f64 = 2.0;
/// With a problem reported, praise words are more often sarcasm ("great,
/// netflix down on christmas eve. thanks so much") and count for less.
const POSITIVE_SCALE_WITH_PROBLEM: f64 = 1.4;
/// Phrase evidence is capped so a rant of problem words cannot outweigh
/// clear praise.
const PHRASE_CAP: f64 = 3.0;
/// What the evidence must overcome: a post with no signal at all is not a
/// complaint.
const BIAS: f64 = 1.2;
/// How sure a complaint must be before its sentiment is leaned negative.
const LEAN_FROM: f64 = 0.7;

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

#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// In (0, 1): how sure the rules are that this is a complaint.
    pub score: f64,
    pub complaint: bool,
    /// Which signals fired, e.g. `outage`, `problem:buffering`,
    /// `error_code`, `negative`.
    pub signals: Vec<String>,
}

pub struct ComplaintScorer {
    phrases: Vec<PhraseSet>,
    error_codes: RegexSet,
    durations: RegexSet,
}

impl ComplaintScorer {
    pub fn new(lexicons: &Lexicons) -> Result<ComplaintScorer, LexiconError> {
        let phrases = Lang::ALL
            .iter()
            .map(|&lang| PhraseSet::load(lexicons, &format!("complaint/{}.tsv", lang.code()), lang))
            .collect::<Result<_, _>>()?;
        let built_in = |e: regex::Error| LexiconError {
            file: "src/complaint.rs".into(),
            line: None,
            reason: e.to_string(),
        };
        // Error codes as services print them: "nw-2-5", "ui-113",
        // "error 1011", "código de erro 404".
        let error_codes = RegexSet::new([
            r"(?i)\b[a-z]{1,3}-\d{1,3}-\d{1,4}\b",
            r"(?i)\b(?:ui|nw|tvq|h|m|s7|pl)-?\d{2,5}\b",
            r"(?i)\b(?:error|err|code|erro|c[oó]digo|erreur)\s*(?:code\s*)?[:#]?\s*[a-z]{0,4}-?\d{2,6}\b",
        ])
        .map_err(built_in)?;
        let durations = RegexSet::new([
            r"(?i)\bfor\s+(?:\d+|an?|two|three|several|many|like\s+\d+)\s*(?:hours?|hrs?|minutes?|mins?|days?|weeks?)\b",
            r"(?i)\b(?:\d+|two|three)\s*(?:hours?|hrs?|days?)\s+(?:now|later|and counting)\b",
            r"(?i)\b(?:por|hace|desde hace|h[aá]|faz)\s+\d+\s*(?:horas?|minutos?|d[ií]as?)\b",
            r"(?i)\bdepuis\s+\d+\s*(?:heures?|minutes?|jours?)\b",
        ])
        .map_err(built_in)?;
        Ok(ComplaintScorer {
            phrases,
            error_codes,
            durations,
        })
    }

    /// Judges one post from its text and what the other stages found.
    pub fn judge(&self, e: &Evidence) -> Judgement {
        let mut signals = Vec::new();
        let mut sum = -BIAS;
        if e.outage {
            sum += OUTAGE;
            signals.push("outage".to_string());
        }
        let mut phrase_sum = 0.0;
        let mut hits = Vec::new();
        // English problem words cross languages ("error", "bug", "refund").
        for set in &self.phrases {
            if set.lang() != e.lang && set.lang() != Lang::En {
                continue;
            }
            hits.clear();
            set.find(e.text, &mut hits);
            for &i in &hits {
                if let Some((phrase, weight)) = set.entry(i) {
                    phrase_sum += f64::from(weight);
                    signals.push(format!("problem:{phrase}"));
                }
            }
        }
        // Resolution phrases carry negative weights and may pull below zero.
        sum += phrase_sum.min(PHRASE_CAP);
        if self.error_codes.is_match(e.text) {
            sum += ERROR_CODE;
            signals.push("error_code".to_string());
        }
        if self.durations.is_match(e.text) {
            sum += DURATION;
            signals.push("duration".to_string());
        }
        if e.help_addressed {
            sum += HELP_HANDLE;
            signals.push("help_handle".to_string());
        }
        let reports_something = e.outage || phrase_sum > 0.0;
        if reports_something && e.text.contains(['?', '¿']) {
            sum += STATUS_QUESTION;
            signals.push("status_question".to_string());
        }
        let compound = e.sentiment.compound;
        if compound < 0.0 {
            sum += -compound * NEGATIVE_SCALE;
            if compound <= -0.05 {
                signals.push("negative".to_string());
            }
        } else if compound > 0.0 {
            let scale = if e.outage || phrase_sum >= 1.0 {
                POSITIVE_SCALE_WITH_PROBLEM
            } else {
                POSITIVE_SCALE
            };
            sum -= compound * scale;
            if compound >= 0.05 {
                signals.push("positive".to_string());
            }
        }
        let score = 1.0 / (1.0 + (-sum).exp());
        Judgement {
            score,
            complaint: sum >= 0.0,
            signals,
        }
    }
}

/// A complaint reads as negative to people even when it holds no sentiment
/// word ("netflix has been buffering for 2 hours"), so a complaint whose
/// words are neutral or only mildly positive is leaned negative, the more
/// the surer the judgement. Clearly positive words (0.5 and up) are left
/// alone: that is praise, or sarcasm no lexicon can see.
pub fn lean(sentiment: Sentiment, judgement: &Judgement) -> Sentiment {
    if judgement.score < LEAN_FROM || sentiment.compound <= -0.05 || sentiment.compound >= 0.5 {
        return sentiment;
    }
    let sureness = ((judgement.score - LEAN_FROM) / (1.0 - LEAN_FROM)).clamp(0.0, 1.0);
    let compound = -(0.05 + 0.25 * sureness);
    Sentiment {
        compound,
        negative: sentiment.negative.max(-compound),
        neutral: (1.0 - sentiment.negative.max(-compound)).max(0.0),
        positive: 0.0,
        label: crate::sentiment::Label::from_compound(compound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::Label;

    fn sentiment(compound: f64) -> Sentiment {
        Sentiment {
            compound,
            positive: 0.0,
            neutral: 1.0,
            negative: 0.0,
            label: Label::from_compound(compound),
        }
    }

    fn judge(text: &str, lang: Lang, outage: bool, help: bool, compound: f64) -> Judgement {
        let scorer = ComplaintScorer::new(&Lexicons::embedded()).unwrap();
        let s = sentiment(compound);
        scorer.judge(&Evidence {
            text,
            lang,
            outage,
            help_addressed: help,
            sentiment: &s,
        })
    }

    #[test]
    fn nothing_at_all_is_not_a_complaint() {
        let j = judge("watching the game with my dad", Lang::En, false, false, 0.0);
        assert!(!j.complaint);
        assert!(j.signals.is_empty());
        // sigmoid(-1.2)
        assert!((j.score - 0.2315).abs() < 1e-3, "{}", j.score);
    }

    #[test]
    fn an_outage_phrase_alone_is_enough() {
        let j = judge("netflix is down", Lang::En, true, false, 0.0);
        assert!(j.complaint);
        assert_eq!(j.signals[0], "outage");
    }

    #[test]
    fn problem_words_without_sentiment_make_a_complaint() {
        let j = judge(
            "netflix has been buffering for 2 hours",
            Lang::En,
            false,
            false,
            0.0,
        );
        assert!(j.complaint, "{j:?}");
        assert!(j.signals.contains(&"problem:buffering".to_string()));
        assert!(j.signals.contains(&"duration".to_string()));
    }

    #[test]
    fn error_codes_are_recognised_and_covid_is_not_one() {
        let j = judge(
            "error code nw-2-5 on my roku again",
            Lang::En,
            false,
            false,
            0.0,
        );
        assert!(j.complaint);
        assert!(j.signals.contains(&"error_code".to_string()));
        let j = judge(
            "stay safe, covid-19 is still around",
            Lang::En,
            false,
            false,
            0.0,
        );
        assert!(!j.signals.contains(&"error_code".to_string()), "{j:?}");
    }

    #[test]
    fn stems_meet_and_each_phrase_counts_once() {
        let j = judge(
            "app keeps crashing, crashed again and crashes",
            Lang::En,
            false,
            false,
            0.0,
        );
        assert_eq!(
            j.signals
                .iter()
                .filter(|s| *s == "problem:keeps crashing")
                .count(),
            1
        );
    }

    #[test]
    fn clear_praise_outweighs_a_mention_of_an_error() {
        let j = judge(
            "the error page is hilarious, love it",
            Lang::En,
            false,
            false,
            0.8,
        );
        assert!(!j.complaint, "{j:?}");
        assert!(j.signals.contains(&"positive".to_string()));
    }

    #[test]
    fn a_status_question_counts() {
        let j = judge(
            "is netflix down for anyone else?",
            Lang::En,
            true,
            false,
            0.0,
        );
        assert!(j.signals.contains(&"status_question".to_string()));
        assert!(j.signals.contains(&"problem:anyone else".to_string()));
    }

    #[test]
    fn a_strongly_negative_post_is_a_complaint_a_mild_one_not() {
        assert!(judge("this is the worst", Lang::En, false, false, -0.8).complaint);
        assert!(!judge("meh", Lang::En, false, false, -0.2).complaint);
    }

    #[test]
    fn other_languages_use_their_own_lists() {
        let es = judge(
            "netflix no funciona desde hace 3 horas",
            Lang::Es,
            false,
            false,
            0.0,
        );
        assert!(
            es.complaint && es.signals.contains(&"problem:no funciona".to_string()),
            "{es:?}"
        );
        let pt = judge("netflix travando de novo", Lang::Pt, false, false, 0.0);
        assert!(pt.complaint, "{pt:?}");
        let fr = judge(
            "netflix ne marche pas depuis ce matin",
            Lang::Fr,
            false,
            false,
            0.0,
        );
        assert!(fr.complaint, "{fr:?}");
    }

    #[test]
    fn complaints_lean_negative_unless_clearly_positive() {
        let sure = Judgement {
            score: 0.9,
            complaint: true,
            signals: vec![],
        };
        let leaned = lean(sentiment(0.0), &sure);
        // sureness (0.9 - 0.7) / 0.3 = 2/3, so -(0.05 + 0.25 * 2/3)
        assert!(
            (leaned.compound + 0.05 + 0.25 * 2.0 / 3.0).abs() < 1e-9,
            "{}",
            leaned.compound
        );
        assert_eq!(leaned.label, Label::Negative);
        assert_eq!(lean(sentiment(0.6), &sure).compound, 0.6);
        assert_eq!(lean(sentiment(-0.4), &sure).compound, -0.4);
        let not = Judgement {
            complaint: false,
            score: 0.4,
            ..sure
        };
        assert_eq!(lean(sentiment(0.0), &not).compound, 0.0);
    }

    #[test]
    fn a_fix_is_not_a_complaint() {
        let j = judge(
            "netflix is working again, thanks for fixing it",
            Lang::En,
            false,
            false,
            0.3,
        );
        assert!(!j.complaint, "{j:?}");
    }

    #[test]
    fn the_help_handle_tips_a_weak_case() {
        let without = judge("still waiting", Lang::En, false, false, 0.0);
        let with = judge("@netflixhelps still waiting", Lang::En, false, true, 0.0);
        assert!(with.score > without.score);
        assert!(with.complaint);
    }
}

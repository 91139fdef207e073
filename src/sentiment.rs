//! Sentiment scoring.
//!
//! STUB: the sentiment helper replaces this file. The interface below is what
//! the import pipeline calls.

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};

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

pub struct SentimentScorer {}

impl SentimentScorer {
    pub fn new(_lexicons: &Lexicons) -> Result<SentimentScorer, LexiconError> {
        Ok(SentimentScorer {})
    }

    /// `lang` is the post's language when the source gave one we know.
    pub fn score(&self, _text: &str, _lang: Option<Lang>) -> Sentiment {
        Sentiment {
            compound: 0.0,
            positive: 0.0,
            neutral: 1.0,
            negative: 0.0,
            label: Label::Neutral,
        }
    }
}

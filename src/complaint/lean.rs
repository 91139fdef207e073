//! How a complaint's judgement turns the sentiment of its words: the
//! [`Reading`] applied, and the lean of a complaint whose words are neutral.

use crate::sentiment::{Label, Sentiment};

use super::{Judgement, Reading, COUNTER_NEUTRAL, LEAN_FROM};

fn with_compound(compound: f64) -> Sentiment {
    let (positive, negative) = if compound > 0.0 {
        (compound.min(1.0), 0.0)
    } else if compound < 0.0 {
        (0.0, (-compound).min(1.0))
    } else {
        (0.0, 0.0)
    };
    Sentiment {
        compound,
        positive,
        neutral: 1.0 - positive - negative,
        negative,
        label: Label::from_compound(compound),
    }
}

/// How sure a complaint must be before its sentiment is leaned: any named
/// complaint when the post holds no sentiment word at all ("the 474 just
/// didn't come. 50 minutes at the stop"), which people read as negative;
/// [`LEAN_FROM`] when some mild word is there to weigh against it.
fn lean_from(compound: f64) -> f64 {
    if compound == 0.0 {
        0.5
    } else {
        LEAN_FROM
    }
}

/// Applies the judgement's [`Reading`] to the sentiment.
///
/// A complaint reads as negative to people even when it holds no sentiment
/// word ("netflix has been buffering for 2 hours"), so a plain complaint
/// whose words are neutral or only mildly positive is leaned negative, the
/// more the surer the judgement; clearly positive words (0.5 and up) are
/// left alone. Sarcastic praise is turned negative at its own strength (at
/// least -0.3). A calm question reads neutral, and so does a fix or a news
/// report whose negative words are mild.
pub fn lean(sentiment: Sentiment, judgement: &Judgement) -> Sentiment {
    let compound = sentiment.compound;
    match judgement.reading {
        Reading::Sarcastic if judgement.complaint => with_compound(-compound.clamp(0.3, 1.0)),
        Reading::Question => with_compound(0.0),
        Reading::Counter if compound < 0.0 && compound > -COUNTER_NEUTRAL => with_compound(0.0),
        Reading::Plain
            if judgement.named >= lean_from(compound) && compound > -0.05 && compound < 0.5 =>
        {
            let sureness = ((judgement.named - LEAN_FROM) / (1.0 - LEAN_FROM)).clamp(0.0, 1.0);
            let leaned = -(0.05 + 0.25 * sureness);
            Sentiment {
                compound: leaned,
                negative: sentiment.negative.max(-leaned),
                neutral: (1.0 - sentiment.negative.max(-leaned)).max(0.0),
                positive: 0.0,
                label: Label::from_compound(leaned),
            }
        }
        _ => sentiment,
    }
}

//! Is a post a complaint?
//!
//! Kept apart from sentiment because the two disagree often: "netflix has
//! been buffering for 2 hours" carries no sentiment word yet is plainly a
//! complaint. The rule lives here so that every caller (import, poll, score)
//! judges the same way.

use crate::sentiment::Label;

/// A post that mentions a topic is a complaint about it when it reports a
/// problem (an outage phrase or hashtag) or reads as negative.
pub fn is_complaint(reports_problem: bool, label: Label) -> bool {
    reports_problem || label == Label::Negative
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_or_a_negative_label_makes_a_complaint() {
        assert!(is_complaint(true, Label::Positive));
        assert!(is_complaint(false, Label::Negative));
        assert!(!is_complaint(false, Label::Neutral));
        assert!(!is_complaint(false, Label::Positive));
    }
}

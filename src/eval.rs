//! Measuring the sentiment scorer against posts rated by people.
//!
//! The scorer is tuned by hand, so every change to a lexicon or a rule needs
//! the same yardstick: Pearson's r between the compound score and the mean
//! human rating, and a three-class confusion matrix with per-class
//! precision, recall and F1 (macro-F1 weighs the rarer negative and neutral
//! classes as much as the positive one). `outcry eval` and
//! `examples/eval_vader.rs` both report through these types.

use crate::sentiment::Label;

mod by_group;
pub use by_group::{ByGroup, Group};

/// Pearson's correlation coefficient; `None` when the slices differ in
/// length, hold fewer than two pairs, contain a non-finite value or one of
/// them does not vary.
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() != ys.len() || xs.len() < 2 {
        return None;
    }
    if xs.iter().chain(ys).any(|v| !v.is_finite()) {
        return None;
    }
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let r = sxy / (sxx.sqrt() * syy.sqrt());
    r.is_finite().then_some(r.clamp(-1.0, 1.0))
}

/// The class of a human rating on a symmetric scale: positive above
/// `threshold`, negative below `-threshold`, neutral between.
pub fn label_from_rating(rating: f64, threshold: f64) -> Label {
    if rating > threshold {
        Label::Positive
    } else if rating < -threshold {
        Label::Negative
    } else {
        Label::Neutral
    }
}

/// The classes in the order rows and columns are kept.
pub const CLASSES: [Label; 3] = [Label::Negative, Label::Neutral, Label::Positive];

fn index(label: Label) -> usize {
    match label {
        Label::Negative => 0,
        Label::Neutral => 1,
        Label::Positive => 2,
    }
}

/// Precision, recall and F1 of one class; a ratio with nothing to divide
/// by is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    pub label: Label,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// How many items truly belong to the class.
    pub support: u64,
}

/// Counts of (true class, predicted class) pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    /// `counts[truth][predicted]`, classes in [`CLASSES`] order.
    pub counts: [[u64; 3]; 3],
}

impl Confusion {
    pub fn new() -> Confusion {
        Confusion::default()
    }

    pub fn add(&mut self, truth: Label, predicted: Label) {
        self.counts[index(truth)][index(predicted)] += 1;
    }

    pub fn get(&self, truth: Label, predicted: Label) -> u64 {
        self.counts[index(truth)][index(predicted)]
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Share of items whose predicted class is the true one (0 when empty).
    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let right: u64 = (0..3).map(|i| self.counts[i][i]).sum();
        right as f64 / total as f64
    }

    pub fn class(&self, label: Label) -> ClassScores {
        let i = index(label);
        let tp = self.counts[i][i] as f64;
        let predicted = self.predicted(label);
        let support: u64 = self.counts[i].iter().sum();
        let ratio = |a: f64, b: u64| if b == 0 { 0.0 } else { a / b as f64 };
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, support);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        ClassScores {
            label,
            precision,
            recall,
            f1,
            support,
        }
    }

    /// How many items were predicted to be of the class.
    pub fn predicted(&self, label: Label) -> u64 {
        let i = index(label);
        (0..3).map(|t| self.counts[t][i]).sum()
    }

    /// Whether the class occurs at all, as a truth or as a prediction.
    pub fn present(&self, label: Label) -> bool {
        let i = index(label);
        (0..3).any(|j| self.counts[i][j] + self.counts[j][i] > 0)
    }

    /// The unweighted mean F1 of the classes present in truth or
    /// predictions (as scikit-learn averages): a class nobody labelled and
    /// the scorer never chose has nothing to get wrong, and counting it as
    /// F1 0 would mark a perfect two-class run down to 0.667. 0 when empty.
    pub fn macro_f1(&self) -> f64 {
        let f1s: Vec<f64> = CLASSES
            .iter()
            .filter(|&&l| self.present(l))
            .map(|&l| self.class(l).f1)
            .collect();
        if f1s.is_empty() {
            0.0
        } else {
            f1s.iter().sum::<f64>() / f1s.len() as f64
        }
    }

    /// The matrix and per-class scores as a small plain-text table.
    pub fn render(&self) -> String {
        let mut out = String::from("truth \\ predicted  negative   neutral  positive\n");
        for t in CLASSES {
            out.push_str(&format!("{:<18}", t.as_str()));
            for p in CLASSES {
                out.push_str(&format!("{:>9} ", self.get(t, p)));
            }
            out.push('\n');
        }
        out.push_str("class      precision  recall      F1  support\n");
        for l in CLASSES {
            let c = self.class(l);
            if self.present(l) {
                // A ratio with nothing to divide by is shown as such, not as
                // a measured 0; F1 is 0 then, as macro-F1 counts it (and
                // scikit-learn does).
                let shown = |v: f64, counted: u64| {
                    if counted > 0 {
                        format!("{v:.3}")
                    } else {
                        "n/a".to_string()
                    }
                };
                out.push_str(&format!(
                    "{:<10} {:>9} {:>7} {:>7.3} {:>8}\n",
                    l.as_str(),
                    shown(c.precision, self.predicted(l)),
                    shown(c.recall, c.support),
                    c.f1,
                    c.support
                ));
            } else {
                // Left out of macro-F1, so no figure that looks like a score.
                out.push_str(&format!(
                    "{:<10} {:>9} {:>7} {:>7} {:>8}\n",
                    l.as_str(),
                    "n/a",
                    "n/a",
                    "n/a",
                    0
                ));
            }
        }
        if self.total() == 0 {
            out.push_str("macro-F1 undefined  accuracy undefined  n 0\n");
        } else {
            out.push_str(&format!(
                "macro-F1 {:.3}  accuracy {:.3}  n {}\n",
                self.macro_f1(),
                self.accuracy(),
                self.total()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pearson_of_exact_lines_and_a_worked_example() {
        assert!(close(
            pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap(),
            1.0
        ));
        assert!(close(
            pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap(),
            -1.0
        ));
        // x = 1,2,3,4; y = 2,1,4,3: sxy = 3, sxx = syy = 5, so r = 0.6.
        assert!(close(
            pearson(&[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 3.0]).unwrap(),
            0.6
        ));
    }

    #[test]
    fn pearson_refuses_what_it_cannot_measure() {
        assert_eq!(pearson(&[1.0], &[1.0]), None);
        assert_eq!(pearson(&[1.0, 2.0], &[1.0]), None);
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(pearson(&[1.0, f64::NAN], &[1.0, 2.0]), None);
    }

    #[test]
    fn ratings_become_classes_at_the_threshold() {
        assert_eq!(label_from_rating(0.51, 0.5), Label::Positive);
        assert_eq!(label_from_rating(0.5, 0.5), Label::Neutral);
        assert_eq!(label_from_rating(-0.5, 0.5), Label::Neutral);
        assert_eq!(label_from_rating(-0.6, 0.5), Label::Negative);
    }

    #[test]
    fn confusion_scores_worked_by_hand() {
        let mut c = Confusion::new();
        // truth negative: 3 right, 1 called neutral
        for _ in 0..3 {
            c.add(Label::Negative, Label::Negative);
        }
        c.add(Label::Negative, Label::Neutral);
        // truth neutral: 1 right, 1 called positive
        c.add(Label::Neutral, Label::Neutral);
        c.add(Label::Neutral, Label::Positive);
        // truth positive: 2 right
        c.add(Label::Positive, Label::Positive);
        c.add(Label::Positive, Label::Positive);
        assert_eq!(c.total(), 8);
        assert!(close(c.accuracy(), 6.0 / 8.0));
        let neg = c.class(Label::Negative);
        assert!(close(neg.precision, 1.0));
        assert!(close(neg.recall, 0.75));
        assert!(close(neg.f1, 2.0 * 0.75 / 1.75));
        let neu = c.class(Label::Neutral);
        assert!(close(neu.precision, 0.5));
        assert!(close(neu.recall, 0.5));
        assert!(close(neu.f1, 0.5));
        let pos = c.class(Label::Positive);
        assert!(close(pos.precision, 2.0 / 3.0));
        assert!(close(pos.recall, 1.0));
        assert!(close(pos.f1, 0.8));
        assert!(close(c.macro_f1(), (6.0 / 7.0 + 0.5 + 0.8) / 3.0));
        assert!(c.render().contains("macro-F1 0.719"));
    }

    #[test]
    fn macro_f1_averages_only_the_classes_that_occur() {
        let mut c = Confusion::new();
        c.add(Label::Positive, Label::Positive);
        c.add(Label::Negative, Label::Negative);
        assert!(close(c.macro_f1(), 1.0));
        // A class only predicted still counts, at F1 0.
        c.add(Label::Negative, Label::Neutral);
        assert!(close(c.macro_f1(), (2.0 / 3.0 + 0.0 + 1.0) / 3.0));
        // Neutral was never the truth: no recall to give, and F1 0.
        let table = c.render();
        assert!(
            table.contains("neutral        0.000     n/a   0.000        0"),
            "{table}"
        );
        assert!(
            table.contains("negative       1.000   0.500   0.667        2"),
            "{table}"
        );
        let table = Confusion::new().render();
        assert!(
            table.contains("neutral          n/a     n/a     n/a        0"),
            "{table}"
        );
        assert!(table.contains("macro-F1 undefined"), "{table}");
    }

    #[test]
    fn an_empty_matrix_scores_zero_without_dividing_by_zero() {
        let c = Confusion::new();
        assert_eq!(c.accuracy(), 0.0);
        assert_eq!(c.macro_f1(), 0.0);
        assert_eq!(c.class(Label::Positive).support, 0);
    }
}

/// Counts for a yes/no judgement (is this a complaint?).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Binary {
    pub true_positive: u64,
    pub false_positive: u64,
    pub false_negative: u64,
    pub true_negative: u64,
}

impl Binary {
    pub fn total(&self) -> u64 {
        self.true_positive + self.false_positive + self.false_negative + self.true_negative
    }

    pub fn add(&mut self, truth: bool, predicted: bool) {
        match (truth, predicted) {
            (true, true) => self.true_positive += 1,
            (false, true) => self.false_positive += 1,
            (true, false) => self.false_negative += 1,
            (false, false) => self.true_negative += 1,
        }
    }

    /// Posts judged yes: precision's denominator.
    pub fn predicted(&self) -> u64 {
        self.true_positive + self.false_positive
    }

    /// Posts that are yes: recall's denominator.
    pub fn actual(&self) -> u64 {
        self.true_positive + self.false_negative
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_positive, self.predicted())
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_positive, self.actual())
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod binary_tests {
    use super::*;

    #[test]
    fn precision_recall_and_f1_by_hand() {
        let mut b = Binary::default();
        for (t, p) in [
            (true, true),
            (true, true),
            (true, false),
            (false, true),
            (false, false),
        ] {
            b.add(t, p);
        }
        assert_eq!(b.precision(), 2.0 / 3.0);
        assert_eq!(b.recall(), 2.0 / 3.0);
        assert!((b.f1() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(Binary::default().f1(), 0.0);
    }
}

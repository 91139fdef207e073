//! The same measures, one row per group of a labelled file (its `lang`
//! column): a scorer that does well on English and badly on Portuguese
//! would otherwise hide the second behind the first, which outnumbers it in
//! every file we have.

use super::{Binary, Confusion};
use crate::sentiment::Label;

/// One group's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub confusion: Confusion,
    pub complaints: Binary,
}

/// Counts per group, in the order groups were first met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByGroup {
    groups: Vec<Group>,
}

impl ByGroup {
    /// Counts one post of group `name`: its true and predicted labels, and
    /// whether it is a complaint and was flagged as one.
    pub fn add(&mut self, name: &str, labels: (Label, Label), complaint: (bool, bool)) {
        let at = match self.groups.iter().position(|g| g.name == name) {
            Some(at) => at,
            None => {
                self.groups.push(Group {
                    name: name.to_string(),
                    ..Group::default()
                });
                self.groups.len() - 1
            }
        };
        if let Some(g) = self.groups.get_mut(at) {
            g.confusion.add(labels.0, labels.1);
            g.complaints.add(complaint.0, complaint.1);
        }
    }

    /// The groups, the largest first (ties by name).
    pub fn groups(&self) -> Vec<&Group> {
        let mut groups: Vec<&Group> = self.groups.iter().collect();
        groups.sort_by(|a, b| {
            b.confusion
                .total()
                .cmp(&a.confusion.total())
                .then_with(|| a.name.cmp(&b.name))
        });
        groups
    }

    /// A table of one row per group: posts, macro-F1, the complaint flag's
    /// precision, recall and F1, and the negative class's precision and
    /// recall (the measures the scorer's targets are set in). A ratio with
    /// nothing to divide by is `n/a`, not a score of 0.
    pub fn render(&self) -> String {
        // As wide as the longest name, so a long code keeps the columns.
        let width = self
            .groups
            .iter()
            .map(|g| g.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        let mut out = format!(
            "{:<width$} {:>6} {:>8} {:>7} {:>7} {:>7} {:>6} {:>6}\n",
            "lang", "posts", "macro-F1", "flag P", "flag R", "flag F1", "neg P", "neg R"
        );
        for g in self.groups() {
            let (c, f) = (&g.confusion, &g.complaints);
            let negative = c.class(Label::Negative);
            let (flagged, complaints) = (f.predicted(), f.actual());
            let cell = |x: f64, defined: bool, width: usize, places: usize| {
                if defined {
                    format!("{x:>width$.places$}")
                } else {
                    format!("{:>width$}", "n/a")
                }
            };
            out.push_str(&format!(
                "{:<width$} {:>6} {} {} {} {} {} {}\n",
                g.name,
                c.total(),
                cell(c.macro_f1(), c.total() > 0, 8, 4),
                cell(f.precision(), flagged > 0, 7, 4),
                cell(f.recall(), complaints > 0, 7, 4),
                cell(f.f1(), flagged + complaints > 0, 7, 4),
                cell(negative.precision, c.predicted(Label::Negative) > 0, 6, 3),
                cell(negative.recall, negative.support > 0, 6, 3),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    #[test]
    fn rows_are_counted_per_group_and_worked_by_hand() {
        let mut by = ByGroup::default();
        // English: two complaints, one found; one false flag. Negatives:
        // two true, one predicted right, one neutral predicted negative.
        by.add("en", (Negative, Negative), (true, true));
        by.add("en", (Negative, Neutral), (true, false));
        by.add("en", (Neutral, Negative), (false, true));
        by.add("en", (Positive, Positive), (false, false));
        // Portuguese: nothing negative, no complaint, nothing flagged.
        by.add("pt", (Positive, Positive), (false, false));
        let groups = by.groups();
        assert_eq!(
            groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
            ["en", "pt"]
        );
        let en = groups[0];
        assert_eq!(en.confusion.total(), 4);
        assert_eq!(en.complaints.precision(), 0.5);
        assert_eq!(en.complaints.recall(), 0.5);
        let table = by.render();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        // macro-F1 over the three classes: negative P 1/2 R 1/2 -> 0.5,
        // neutral P 0 R 0 -> 0, positive 1 -> mean 0.5.
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            ["en", "4", "0.5000", "0.5000", "0.5000", "0.5000", "0.500", "0.500"]
        );
        // Nothing to divide by is said so, not scored 0.
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            ["pt", "1", "1.0000", "n/a", "n/a", "n/a", "n/a", "n/a"]
        );
    }

    #[test]
    fn a_long_name_widens_the_first_column() {
        let mut by = ByGroup::default();
        by.add("en", (Neutral, Neutral), (false, false));
        by.add("zh-hant-tw", (Neutral, Neutral), (false, false));
        let table = by.render();
        // Ten characters of name and a space, then posts right-aligned in
        // six: the header's word and every row's count end at column 17.
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        assert_eq!(&lines[0][10..17], "  posts", "{table}");
        for line in &lines[1..] {
            assert_eq!(&line[10..17], "      1", "{table}");
        }
    }

    #[test]
    fn larger_groups_come_first_then_by_name() {
        let mut by = ByGroup::default();
        for name in ["fr", "es", "en", "en", "es", "pt"] {
            by.add(name, (Neutral, Neutral), (false, false));
        }
        let names: Vec<&str> = by.groups().iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["en", "es", "fr", "pt"]);
    }
}

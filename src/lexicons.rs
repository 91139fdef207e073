//! Access to the word lists in `lexicons/`.
//!
//! The lists are compiled into the binary so that `outcry` works from any
//! folder and after `cargo install`; `--lexicons DIR` (or `OUTCRY_LEXICONS`)
//! reads them from disk instead, so a user can tune a list without a rebuild.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Every lexicon file the program reads, relative to `lexicons/`.
const EMBEDDED: &[(&str, &str)] = &[
    ("topics.toml", include_str!("../lexicons/topics.toml")),
    ("places.tsv", include_str!("../lexicons/places.tsv")),
    ("timezones.tsv", include_str!("../lexicons/timezones.tsv")),
    ("outage/en.txt", include_str!("../lexicons/outage/en.txt")),
    ("outage/es.txt", include_str!("../lexicons/outage/es.txt")),
    ("outage/pt.txt", include_str!("../lexicons/outage/pt.txt")),
    ("outage/fr.txt", include_str!("../lexicons/outage/fr.txt")),
    (
        "sentiment/en.tsv",
        include_str!("../lexicons/sentiment/en.tsv"),
    ),
    (
        "sentiment/es.tsv",
        include_str!("../lexicons/sentiment/es.tsv"),
    ),
    (
        "sentiment/pt.tsv",
        include_str!("../lexicons/sentiment/pt.tsv"),
    ),
    (
        "sentiment/fr.tsv",
        include_str!("../lexicons/sentiment/fr.tsv"),
    ),
    (
        "modifiers/en.tsv",
        include_str!("../lexicons/modifiers/en.tsv"),
    ),
    (
        "modifiers/es.tsv",
        include_str!("../lexicons/modifiers/es.tsv"),
    ),
    (
        "modifiers/pt.tsv",
        include_str!("../lexicons/modifiers/pt.tsv"),
    ),
    (
        "modifiers/fr.tsv",
        include_str!("../lexicons/modifiers/fr.tsv"),
    ),
    (
        "complaint/en.tsv",
        include_str!("../lexicons/complaint/en.tsv"),
    ),
    (
        "complaint/es.tsv",
        include_str!("../lexicons/complaint/es.tsv"),
    ),
    (
        "complaint/pt.tsv",
        include_str!("../lexicons/complaint/pt.tsv"),
    ),
    (
        "complaint/fr.tsv",
        include_str!("../lexicons/complaint/fr.tsv"),
    ),
    (
        "complaint/tone-en.tsv",
        include_str!("../lexicons/complaint/tone-en.tsv"),
    ),
    (
        "complaint/tone-es.tsv",
        include_str!("../lexicons/complaint/tone-es.tsv"),
    ),
    (
        "complaint/tone-pt.tsv",
        include_str!("../lexicons/complaint/tone-pt.tsv"),
    ),
    (
        "complaint/tone-fr.tsv",
        include_str!("../lexicons/complaint/tone-fr.tsv"),
    ),
    (
        "complaint/service-en.tsv",
        include_str!("../lexicons/complaint/service-en.tsv"),
    ),
    (
        "complaint/service-es.tsv",
        include_str!("../lexicons/complaint/service-es.tsv"),
    ),
    (
        "complaint/service-pt.tsv",
        include_str!("../lexicons/complaint/service-pt.tsv"),
    ),
    (
        "complaint/service-fr.tsv",
        include_str!("../lexicons/complaint/service-fr.tsv"),
    ),
];

/// A lexicon file that is missing or says something we cannot use.
#[derive(Debug, thiserror::Error)]
#[error("lexicon {file}{}: {reason}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct LexiconError {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl LexiconError {
    pub fn at(file: &str, line: usize, reason: impl Into<String>) -> Self {
        LexiconError {
            file: file.to_string(),
            line: Some(line),
            reason: reason.into(),
        }
    }
}

/// Where lexicon files come from: the copies built into the binary, or a
/// folder laid out like `lexicons/`.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    dir: Option<PathBuf>,
}

impl Lexicons {
    pub fn embedded() -> Self {
        Lexicons { dir: None }
    }

    pub fn from_dir(dir: impl Into<PathBuf>) -> Self {
        Lexicons {
            dir: Some(dir.into()),
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The text of one lexicon file, e.g. `read("outage/es.txt")`.
    pub fn read(&self, name: &str) -> Result<Cow<'static, str>, LexiconError> {
        match &self.dir {
            None => EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| Cow::Borrowed(*text))
                .ok_or_else(|| LexiconError {
                    file: name.to_string(),
                    line: None,
                    reason: "no such lexicon is built in".into(),
                }),
            Some(dir) => {
                let path = dir.join(name);
                std::fs::read_to_string(&path)
                    .map(Cow::Owned)
                    .map_err(|e| LexiconError {
                        file: path.display().to_string(),
                        line: None,
                        reason: e.to_string(),
                    })
            }
        }
    }

    /// The text of every built-in lexicon file: words for tests to try.
    #[cfg(test)]
    pub(crate) fn embedded_texts() -> impl Iterator<Item = &'static str> {
        EMBEDDED.iter().map(|(_, text)| *text)
    }

    /// Lines that carry data: blank lines and `#` comments dropped, each with
    /// its 1-based line number for error messages. A line starting `#` followed
    /// by a letter or digit is data (a hashtag), so comments are written `# `.
    pub fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
        text.lines().enumerate().filter_map(|(i, line)| {
            let line = line.trim_end_matches('\r');
            let trimmed = line.trim();
            let is_comment =
                trimmed == "#" || trimmed.starts_with("# ") || trimmed.starts_with("##");
            (!trimmed.is_empty() && !is_comment).then_some((i + 1, line))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_matches_the_folder() {
        let on_disk = Lexicons::from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons"));
        for (name, text) in EMBEDDED {
            assert_eq!(on_disk.read(name).unwrap(), *text, "{name}");
        }
    }

    #[test]
    fn comments_and_blanks_are_skipped_but_hashtags_kept() {
        let text = "# a comment\n\n#fail\nis down\r\n## heading\n";
        let lines: Vec<_> = Lexicons::data_lines(text).collect();
        assert_eq!(lines, vec![(3, "#fail"), (4, "is down")]);
    }
}

//! Which topics a post is about, and whether it reports a problem.
//!
//! STUB: the tagging helper replaces this file. The interface below is what
//! the import pipeline calls.

use crate::lang::Lang;
use crate::lexicons::{LexiconError, Lexicons};

/// One watched topic from `lexicons/topics.toml`.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Stable key used in the store and on the command line (`netflix`).
    pub name: String,
    /// Every term, handle and hashtag that counts as a mention, for `outcry topics`.
    pub terms: Vec<String>,
}

/// What tagging found in one post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Indexes into `Tagger::topics()`, ascending, no repeats.
    pub topics: Vec<usize>,
    /// An outage phrase or outage hashtag was found.
    pub problem: bool,
}

pub struct Tagger {
    topics: Vec<Topic>,
}

impl Tagger {
    pub fn new(_lexicons: &Lexicons) -> Result<Tagger, LexiconError> {
        Ok(Tagger { topics: Vec::new() })
    }

    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// `hashtags` are the source's own list (without `#`); `lang` the post's
    /// language when known, else every language's phrases are tried.
    pub fn tag(&self, _text: &str, _hashtags: &[String], _lang: Option<Lang>) -> Tags {
        Tags::default()
    }
}

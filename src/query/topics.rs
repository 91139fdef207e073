//! Which topics a query may ask about, and what to call them.
//!
//! The lexicons name the topics watched today; the store holds the topics
//! some import counted, perhaps under other `--lexicons`. A store must stay
//! readable whatever the lexicons of the day, so a topic is known when
//! either has it, and titled by the lexicons when they can. The command
//! line and the dashboard's API both ask here, so they never disagree on
//! what exists.

use std::fmt;

use crate::store::{Store, StoreError};

#[derive(Debug)]
pub enum TopicError {
    /// Neither the lexicons nor the store know it; the message names every
    /// topic that may be asked.
    Unknown(String),
    Store(StoreError),
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            TopicError::Unknown(message) => f.write_str(message),
            TopicError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TopicError {}

impl From<StoreError> for TopicError {
    fn from(e: StoreError) -> Self {
        TopicError::Store(e)
    }
}

/// The display name of `topic`: the lexicons' when they watch it, else its
/// stored name when the store holds counts for it. `watched` gives the
/// lexicons' topics as (name, display name).
pub fn display_name<'a>(
    watched: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    store: &Store,
    topic: &str,
) -> Result<String, TopicError> {
    if let Some((_, display)) = watched.clone().find(|(name, _)| *name == topic) {
        return Ok(display.to_string());
    }
    let stored = store.stored_topics()?;
    if stored.iter().any(|t| t == topic) {
        return Ok(topic.to_string());
    }
    let mut names: Vec<&str> = watched.map(|(name, _)| name).collect();
    for s in &stored {
        if !names.contains(&s.as_str()) {
            names.push(s);
        }
    }
    Err(TopicError::Unknown(format!(
        "unknown topic {topic:?} (topics: {})",
        names.join(", ")
    )))
}

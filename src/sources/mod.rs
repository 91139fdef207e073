//! Readers that turn archive bytes into [`Post`](crate::post::Post)s.
//!
//! Reading is split in three so each piece can be tested and replaced on its
//! own: [`inputs`] decides which files a command line names, [`decode`] turns
//! a file's bytes into a stream of lines whatever the compression, and a
//! format parser (today [`twitter_v1`]) turns one line into a post, a control
//! message or a reasoned rejection. Nothing here touches the store.

pub mod decode;
pub mod inputs;
pub mod lines;
pub mod twitter_v1;

use crate::post::Post;

/// What one line of an archive turned out to be.
#[derive(Debug)]
pub enum LineOutcome {
    Post(Box<Post>),
    /// A stream control message (`delete`, `limit`, `scrub_geo`…): counted,
    /// never an error.
    Control(Control),
    /// Nothing to read (a blank line).
    Blank,
    /// The line cannot be a post; the reason is for people.
    Reject(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// A deletion notice for the tweet with this id.
    Delete {
        id: Option<String>,
    },
    Limit,
    Other(&'static str),
}

//! Readers that turn archive bytes into [`Post`](crate::post::Post)s.
//!
//! Reading is split so each piece can be tested and replaced on its own:
//! [`inputs`] decides which files a command line names; [`walk`] peels an
//! input down to its records through [`decode`] (compression) and the tar
//! and zip containers at any depth; [`format`] recognises what a stream
//! holds from its first bytes; [`lines`], [`document`] and [`table`] cut it
//! into records (JSON lines, JSON documents, CSV rows); and one parser per
//! format ([`twitter_v1`], [`twitter_v2`], [`export`], and [`table`] for
//! CSV) turns a record into posts, control messages or reasoned
//! rejections. Nothing here touches the store: the walker reports to a
//! [`walk::Sink`], which the importer implements.

pub mod content_hash;
pub mod csv_lines;
pub mod decode;
pub mod document;
pub mod export;
pub mod format;
pub mod inputs;
pub mod lines;
pub mod surrogates;
pub mod table;
#[cfg(test)]
pub mod test_archives;
pub mod twitter_v1;
pub mod twitter_v2;
pub mod walk;

pub use format::{Format, Shape};

use crate::post::Post;

/// What one record of an archive (or one tweet of a twarc2 response line)
/// turned out to be.
#[derive(Debug)]
pub enum LineOutcome {
    Post(Box<Post>),
    /// A stream control message (`delete`, `limit`, `scrub_geo`…): counted,
    /// never an error.
    Control(Control),
    /// Nothing to read (a blank line).
    Blank,
    /// The record cannot be a post; the reason is for people.
    Reject(String),
    /// Part of the record could not be read and was left out, but the
    /// posts it holds are read (a twarc2 page's malformed `includes` entry:
    /// the tweets pointing to it are stored without what it would add). The
    /// reason is for people.
    Warning(String),
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

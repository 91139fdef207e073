//! Driving archives through the pipeline into the store.
//!
//! An import must be exact whatever happens to it: rerun, interrupted, fed
//! the same tweets twice. Three mechanisms give that: posts are deduplicated
//! by (source, id) in the store; every commit carries the file's resume point
//! in the same atomic batch as the counts it covers; and a file recognised as
//! already imported whole is skipped without being read.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::pipeline::Pipeline;
use crate::sources::decode::{self, Compression};
use crate::sources::inputs::Input;
use crate::sources::lines::{Line, LineReader};
use crate::sources::{twitter_v1, Control, LineOutcome};
use crate::store::{PendingCommit, Store, StoreError};

/// How many rejection messages a summary keeps per file; `--rejects` keeps
/// every rejected line.
const REJECTS_SHOWN: usize = 5;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Read and report without touching the store.
    pub dry_run: bool,
    /// Read files even when they were imported whole before.
    pub force: bool,
    /// Lines between commits: bounds both memory and what a crash can lose.
    pub commit_every: u64,
    /// Keep the text of posts that mention a topic (`--no-text` drops it).
    pub keep_text: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            dry_run: false,
            force: false,
            commit_every: 50_000,
            keep_text: true,
        }
    }
}

/// What happened to one input.
#[derive(Debug, Clone, Default)]
pub struct FileSummary {
    pub name: String,
    pub compression: Option<&'static str>,
    pub lines: u64,
    pub posts: u64,
    pub control: u64,
    /// Deletion notices for posts already counted: noted, not applied.
    pub deletes_of_counted: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The first few rejections as `file:line: reason`.
    pub reject_samples: Vec<String>,
    /// Per topic (index into the pipeline's topics): new posts, complaints.
    pub per_topic: Vec<(u64, u64)>,
    /// The file was imported whole before and was skipped.
    pub already_imported: bool,
    /// Lines skipped because an earlier, interrupted run stored them.
    pub resumed_after: u64,
    /// Why the file could not be read (or read to its end).
    pub error: Option<String>,
}

impl FileSummary {
    fn new(name: String, topics: usize) -> Self {
        FileSummary {
            name,
            per_topic: vec![(0, 0); topics],
            ..Default::default()
        }
    }

    /// Adds another summary's counts into this one (for the total).
    pub fn absorb(&mut self, other: &FileSummary) {
        self.lines += other.lines;
        self.posts += other.posts;
        self.control += other.control;
        self.deletes_of_counted += other.deletes_of_counted;
        self.duplicates += other.duplicates;
        self.rejected += other.rejected;
        for (mine, theirs) in self.per_topic.iter_mut().zip(&other.per_topic) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write rejected lines to {path}: {source}")]
    Rejects { path: String, source: io::Error },
}

/// Where rejected lines go, verbatim, one per line.
pub struct RejectSink<'w> {
    pub name: String,
    pub writer: &'w mut dyn Write,
}

pub struct Importer<'a> {
    pub store: Option<&'a Store>,
    pub pipeline: &'a Pipeline,
    pub options: ImportOptions,
    pub rejects: Option<RejectSink<'a>>,
}

impl Importer<'_> {
    /// Imports one input. Store failures abort (the caller stops); problems
    /// with the input itself are recorded in the summary.
    pub fn import(&mut self, input: &Input) -> Result<FileSummary, ImportError> {
        let name = input.display_name();
        let mut summary = FileSummary::new(name.clone(), self.pipeline.topics().len());
        let checkpoint_name = match input {
            Input::File(path) => match fingerprint(path) {
                Ok(f) => Some(f),
                Err(e) => {
                    summary.error = Some(format!("cannot open: {e}"));
                    return Ok(summary);
                }
            },
            Input::Stdin => None,
        };
        let resume = match (&checkpoint_name, self.store) {
            (Some(cp), Some(store)) if !self.options.force => {
                Checkpoint::decode(store.checkpoint(cp)?.as_deref())
            }
            _ => Checkpoint::default(),
        };
        if resume.complete {
            summary.already_imported = true;
            return Ok(summary);
        }
        let (compression, reader) = match decode::open(input) {
            Ok(r) => r,
            Err(e) => {
                summary.error = Some(format!("cannot open: {e}"));
                return Ok(summary);
            }
        };
        summary.compression = Some(compression.name());
        summary.resumed_after = resume.lines;
        let mut lines = LineReader::new(reader);
        let mut pending = PendingCommit::default();
        let mut since_commit = 0u64;
        loop {
            let (line_no, line) = match lines.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    summary.error = Some(read_error_message(compression, lines.line_no(), &e));
                    break;
                }
            };
            summary.lines += 1;
            if line_no <= resume.lines {
                continue;
            }
            let bytes = match line {
                Line::Text(bytes) => bytes,
                Line::TooLong { length } => {
                    let reason = format!(
                        "line of {length} bytes is longer than the 16 MiB limit (not kept)"
                    );
                    self.reject(&mut summary, line_no, &reason, None)?;
                    continue;
                }
            };
            match twitter_v1::parse_line(bytes) {
                LineOutcome::Blank => {}
                LineOutcome::Control(control) => {
                    summary.control += 1;
                    if let Control::Delete { id: Some(id) } = control {
                        if self.was_counted("twitter", &id, &pending)? {
                            summary.deletes_of_counted += 1;
                        }
                    }
                }
                LineOutcome::Reject(reason) => {
                    self.reject(&mut summary, line_no, &reason, Some(bytes))?
                }
                LineOutcome::Post(post) => {
                    summary.posts += 1;
                    let Some(analysis) = self.pipeline.analyse(&post) else {
                        continue;
                    };
                    let source = post.source.as_str();
                    if self.was_counted(source, &post.id, &pending)? {
                        summary.duplicates += 1;
                        continue;
                    }
                    pending.mark_seen(source, &post.id);
                    self.pipeline
                        .count(&post, &analysis, self.options.keep_text, &mut pending);
                    for &t in &analysis.topics {
                        if let Some(slot) = summary.per_topic.get_mut(t) {
                            slot.0 += 1;
                            slot.1 += analysis.complaint as u64;
                        }
                    }
                }
            }
            since_commit += 1;
            if since_commit >= self.options.commit_every {
                let cp = Checkpoint {
                    lines: line_no,
                    complete: false,
                };
                self.commit(&mut pending, checkpoint_name.as_deref(), cp, None)?;
                since_commit = 0;
            }
        }
        // A file cut short is not complete: a rerun reads it again (and
        // finds nothing new) rather than trusting a partial read.
        let cp = Checkpoint {
            lines: summary.lines,
            complete: summary.error.is_none(),
        };
        let record = cp.complete.then_some(name.as_str());
        self.commit(&mut pending, checkpoint_name.as_deref(), cp, record)?;
        Ok(summary)
    }

    fn was_counted(
        &self,
        source: &str,
        id: &str,
        pending: &PendingCommit,
    ) -> Result<bool, StoreError> {
        if pending.contains_seen(source, id) {
            return Ok(true);
        }
        match self.store {
            Some(store) => store.is_seen(source, id),
            None => Ok(false),
        }
    }

    fn commit(
        &self,
        pending: &mut PendingCommit,
        checkpoint: Option<&str>,
        cp: Checkpoint,
        finished: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut batch = std::mem::take(pending);
        let Some(store) = self.store else {
            return Ok(());
        };
        if let Some(name) = checkpoint {
            batch.set_checkpoint(name, cp.encode());
            if let Some(file) = finished {
                batch.record_import(name, file.as_bytes().to_vec());
            }
        }
        store.commit(batch)
    }

    fn reject(
        &mut self,
        summary: &mut FileSummary,
        line_no: u64,
        reason: &str,
        bytes: Option<&[u8]>,
    ) -> Result<(), ImportError> {
        summary.rejected += 1;
        if summary.reject_samples.len() < REJECTS_SHOWN {
            summary
                .reject_samples
                .push(format!("{}:{}: {}", summary.name, line_no, reason));
        }
        if let (Some(sink), Some(bytes)) = (self.rejects.as_mut(), bytes) {
            sink.writer
                .write_all(bytes)
                .and_then(|_| sink.writer.write_all(b"\n"))
                .map_err(|source| ImportError::Rejects {
                    path: sink.name.clone(),
                    source,
                })?;
        }
        Ok(())
    }
}

fn read_error_message(compression: Compression, after_line: u64, e: &io::Error) -> String {
    match (compression, e.kind()) {
        (Compression::None, _) => format!("read error after line {after_line}: {e}"),
        (c, io::ErrorKind::UnexpectedEof) => {
            format!("truncated {} stream after line {after_line}", c.name())
        }
        (c, _) => format!("corrupt {} data after line {after_line}: {e}", c.name()),
    }
}

/// How far a file has been imported, stored beside the counts it covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Checkpoint {
    lines: u64,
    complete: bool,
}

impl Checkpoint {
    fn encode(self) -> Vec<u8> {
        let mut v = self.lines.to_le_bytes().to_vec();
        v.push(self.complete as u8);
        v
    }

    fn decode(bytes: Option<&[u8]>) -> Checkpoint {
        match bytes {
            Some(b) if b.len() == 9 => Checkpoint {
                lines: u64::from_le_bytes(b[..8].try_into().unwrap_or_default()),
                complete: b[8] == 1,
            },
            _ => Checkpoint::default(),
        }
    }
}

/// Identifies a file by its size and a hash of its first and last 64 KiB:
/// cheap for a file of gigabytes, unchanged when the file is copied or
/// renamed (unlike a modification time), and a changed file almost always
/// changes its size or its ends. A collision would only skip a file, never
/// double count it, and `--force` reads it anyway.
fn fingerprint(path: &Path) -> io::Result<String> {
    const BLOCK: u64 = 64 * 1024;
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; BLOCK as usize];
    let n = read_up_to(&mut file, &mut buf)?;
    hasher.update(&buf[..n]);
    if size > BLOCK {
        file.seek(SeekFrom::Start(size.saturating_sub(BLOCK).max(BLOCK)))?;
        let n = read_up_to(&mut file, &mut buf)?;
        hasher.update(&buf[..n]);
    }
    Ok(format!("file:{size}:{:016x}", hasher.digest()))
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_round_trip() {
        let cp = Checkpoint {
            lines: 123_456,
            complete: true,
        };
        assert_eq!(Checkpoint::decode(Some(&cp.encode())), cp);
        assert_eq!(Checkpoint::decode(Some(b"junk")), Checkpoint::default());
    }

    #[test]
    fn fingerprints_follow_content_not_name() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, vec![7u8; 200_000]).unwrap();
        std::fs::write(&b, vec![7u8; 200_000]).unwrap();
        assert_eq!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
        let mut changed = vec![7u8; 200_000];
        changed[199_999] = 8;
        std::fs::write(&b, changed).unwrap();
        assert_ne!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
    }
}

//! Driving archives through the pipeline into the store.
//!
//! An import must be exact whatever happens to it: rerun, interrupted, fed
//! the same tweets twice. Three mechanisms give that: posts are deduplicated
//! by (source, id) in the store; every commit carries the resume point of
//! the file (or of the tar or zip member) being read in the same atomic
//! batch as the counts it covers, and the members finished since the last
//! commit are marked complete in that batch too; and a file or member
//! recognised as already imported whole is skipped without being parsed (a
//! file's bytes are hashed first: a changed one is read again).
//!
//! The reading itself (compression, containers, formats, records) is the
//! [`walk`](crate::sources::walk) module's; this one is the [`Sink`](crate::sources::walk::Sink) that
//! counts what it finds, so every format goes through the same loop.

mod checkpoint;
mod run;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;

use crate::pipeline::Pipeline;
use crate::sources::content_hash::ContentHash;
use crate::sources::inputs::Input;
use crate::sources::walk::{Walked, Walker};
use crate::sources::Format;
use crate::store::{PendingCommit, Store, StoreError};

use checkpoint::{fingerprint, rejects_id, rejects_name, RejectsMark};
use run::FileRun;

/// How many rejection messages (and notes, and member errors) a summary
/// keeps per file; `--rejects` keeps every rejected line.
const REJECTS_SHOWN: usize = 5;
/// Records between progress reports.
const PROGRESS_EVERY: u64 = 512;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Read and report without touching the store.
    pub dry_run: bool,
    /// Read files even when they were imported whole before.
    pub force: bool,
    /// Records (or posts, for twarc2 pages of many) between commits: bounds
    /// both memory and what a crash can lose.
    pub commit_every: u64,
    /// Keep the text of posts that mention a topic (`--no-text` drops it).
    pub keep_text: bool,
    /// Read every stream as this format instead of recognising it.
    pub format: Option<Format>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            dry_run: false,
            force: false,
            commit_every: 50_000,
            keep_text: true,
            format: None,
        }
    }
}

/// Told how an import is going, for a progress bar.
pub trait Progress {
    /// `bytes` read so far of the current input (compressed, as on disk);
    /// `posts` read so far from it.
    fn update(&self, bytes: u64, posts: u64);
    /// A commit reached the store.
    fn committed(&self) {}
}

/// What happened to one input.
#[derive(Debug, Clone, Default)]
pub struct FileSummary {
    pub name: String,
    pub compression: Option<&'static str>,
    /// `tar` or `zip` when the input is a container.
    pub container: Option<&'static str>,
    /// The formats read, each with how many streams had it.
    pub formats: Vec<(String, u64)>,
    /// Members of a container read for posts.
    pub members: u64,
    /// Members imported whole by an earlier run, not opened.
    pub members_done_before: u64,
    /// Members that hold no posts (media, other export files, temporary
    /// files), with a few of them named in `notes`.
    pub members_skipped: u64,
    pub notes: Vec<String>,
    /// Members that could not be read to their end, as `file:member: why`;
    /// the first few kept, all counted.
    pub member_errors: Vec<String>,
    pub member_error_count: u64,
    pub lines: u64,
    pub posts: u64,
    pub control: u64,
    /// Deletion notices for posts already counted: noted, not applied.
    pub deletes_of_counted: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// Rejected lines not written to `--rejects` because an earlier read of
    /// the same content wrote them there.
    pub rejects_written_before: u64,
    /// The first few rejections as `file[:member]:line: reason`.
    pub reject_samples: Vec<String>,
    /// Parts of records left out while their posts were read (a twarc2
    /// page's malformed `includes` entry).
    pub warnings: u64,
    /// The first few warnings as `file[:member]:line: reason`.
    pub warning_samples: Vec<String>,
    /// Per topic (index into the pipeline's topics): new posts, complaints.
    pub per_topic: Vec<(u64, u64)>,
    /// The file was imported whole before and was skipped.
    pub already_imported: bool,
    /// Skipped on the checkpoint of a release that kept no hash of the
    /// whole file: its size and ends matched, its middle was not compared
    /// (its hash is kept from now on).
    pub unverified: bool,
    /// The file was imported whole before, but its content has changed
    /// since (same size and ends, another hash): it was read again.
    pub changed: bool,
    /// A file found in a folder that holds no posts, and why.
    pub skipped: Option<String>,
    /// Records skipped because an earlier, interrupted run stored them.
    pub resumed_after: u64,
    /// Members an earlier, interrupted run had started.
    pub members_resumed: u64,
    /// Why the file could not be read (or read to its end).
    pub error: Option<String>,
    /// Stopped by Ctrl-C; what was read is stored.
    pub interrupted: bool,
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
        self.rejects_written_before += other.rejects_written_before;
        self.warnings += other.warnings;
        self.members += other.members;
        self.members_done_before += other.members_done_before;
        self.members_skipped += other.members_skipped;
        self.member_error_count += other.member_error_count;
        for (mine, theirs) in self.per_topic.iter_mut().zip(&other.per_topic) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
    }

    /// Everything that kept this input from being read whole.
    pub fn problems(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .error
            .iter()
            .map(|e| format!("{}: {e}", self.name))
            .collect();
        all.extend(self.member_errors.iter().cloned());
        let unnamed = self
            .member_error_count
            .saturating_sub(self.member_errors.len() as u64);
        if unnamed > 0 {
            all.push(format!(
                "{}: {unnamed} more members could not be read",
                self.name
            ));
        }
        all
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write rejected lines to {path}")]
    Rejects { path: String, source: io::Error },
}

/// What rejected lines are written to: a file, or a buffer in tests.
pub trait RejectWriter: Write {
    /// The length so far, with every byte written handed to the file first:
    /// a commit records it, so it must count no byte a kill could still lose.
    fn written_len(&mut self) -> io::Result<u64>;
    /// Cuts back to `len` bytes; what is written next follows them.
    fn truncate_to(&mut self, len: u64) -> io::Result<()>;
}

impl RejectWriter for Vec<u8> {
    fn written_len(&mut self) -> io::Result<u64> {
        Ok(self.len() as u64)
    }

    fn truncate_to(&mut self, len: u64) -> io::Result<()> {
        self.truncate(usize::try_from(len).unwrap_or(usize::MAX));
        Ok(())
    }
}

/// The file must be opened to append: its writes then land at its end,
/// wherever `truncate_to` put it.
impl RejectWriter for BufWriter<File> {
    /// Synced as well as written out, like the commit it goes with: the
    /// store must never record lines a power cut took from the file.
    fn written_len(&mut self) -> io::Result<u64> {
        self.flush()?;
        self.get_ref().sync_data()?;
        Ok(self.get_ref().metadata()?.len())
    }

    fn truncate_to(&mut self, len: u64) -> io::Result<()> {
        self.flush()?;
        self.get_ref().set_len(len)
    }
}

/// Where rejected lines go, verbatim, one per line.
pub struct RejectSink<'w> {
    pub name: String,
    writer: &'w mut dyn RejectWriter,
    /// The checkpoint its standing is kept under in the store; `None` for a
    /// sink that is only ever appended to.
    mark: Option<String>,
    /// This run recorded in the store that it writes to the file.
    writing: bool,
    /// The file's epoch (see [`RejectsMark`]), once this run has read it.
    epoch: Option<u64>,
}

impl<'w> RejectSink<'w> {
    /// `absolute` is the file's absolute path: given, the store keeps its
    /// length at each commit, so that a rerun after a kill cuts off the lines
    /// of the records it reads again (see [`RejectsMark`]).
    pub fn new(name: String, writer: &'w mut dyn RejectWriter, absolute: Option<&Path>) -> Self {
        RejectSink {
            name,
            writer,
            mark: absolute.map(rejects_name),
            writing: false,
            epoch: None,
        }
    }

    fn failed(&self, source: io::Error) -> ImportError {
        ImportError::Rejects {
            path: self.name.clone(),
            source,
        }
    }
}

/// The posts a run without a store (a dry run) has counted, by a 128-bit
/// hash of their seen key. With no store to ask, the run must remember them
/// itself, for the whole run and not only until its next pretend commit:
/// else a post met again later (a duplicate, a delete) is miscounted, and
/// by how much would depend on `--commit-every`. Hashes rather than ids, so
/// that a dry run over gigabytes holds 16 bytes a post.
#[derive(Default)]
pub struct CountedWithoutStore(HashSet<u128>);

impl CountedWithoutStore {
    fn hash(key: &[u8]) -> u128 {
        xxhash_rust::xxh3::xxh3_128(key)
    }

    fn contains(&self, source: &str, id: &str) -> bool {
        self.0
            .contains(&Self::hash(&crate::store::keys::seen_key(source, id)))
    }

    fn remember(&mut self, keys: HashSet<Vec<u8>>) {
        self.0.extend(keys.iter().map(|k| Self::hash(k)));
    }
}

pub struct Importer<'a> {
    pub store: Option<&'a Store>,
    /// What has been counted, when there is no store to remember it.
    pub counted_without_store: CountedWithoutStore,
    pub pipeline: &'a Pipeline,
    pub options: ImportOptions,
    pub rejects: Option<RejectSink<'a>>,
    pub progress: Option<&'a dyn Progress>,
    /// Set (by a Ctrl-C handler) to stop after the current record.
    pub stop: Option<&'a AtomicBool>,
}

/// Worker threads that parse and analyse JSON lines: unset for one per
/// core, `0` for none (everything on the importing thread, the one-thread
/// baseline the benchmarks compare with), `n` for n.
pub const WORKERS_ENV: &str = "OUTCRY_IMPORT_WORKERS";

impl Importer<'_> {
    /// Imports one input. Store failures abort (the caller stops); problems
    /// with the input itself are recorded in the summary.
    pub fn import(&mut self, input: &Input) -> Result<FileSummary, ImportError> {
        let workers = std::env::var(WORKERS_ENV)
            .ok()
            .and_then(|v| v.trim().parse().ok());
        self.import_with_workers(input, workers)
    }

    /// [`import`](Self::import) with `workers` threads parsing and analysing
    /// JSON lines: `None` for one per core, `Some(0)` for none. The result
    /// is the same whatever the number.
    pub fn import_with_workers(
        &mut self,
        input: &Input,
        workers: Option<usize>,
    ) -> Result<FileSummary, ImportError> {
        let name = input.display_name();
        let mut summary = FileSummary::new(name, self.pipeline.topics().len());
        let base = match input.path() {
            Some(path) => match fingerprint(path) {
                Ok(f) => f,
                Err(e) => {
                    summary.error = Some(format!("cannot open: {e}"));
                    return Ok(summary);
                }
            },
            None => None,
        };
        let bytes = Rc::new(Cell::new(0));
        let forced = self.options.format;
        let file = input
            .path()
            .filter(|_| base.is_some())
            .map(Path::to_path_buf);
        let content = file
            .as_deref()
            .filter(|_| self.store.is_some())
            .map(ContentHash::new);
        let mut run = FileRun {
            importer: self,
            summary,
            base,
            file,
            content: content.clone(),
            reread: false,
            rereading: None,
            rejects_id: None,
            opened: None,
            pending: PendingCommit::default(),
            since_commit: 0,
            current: None,
            spilled: false,
            bytes: bytes.clone(),
        };
        let pipeline = run.importer.pipeline;
        let walker = Walker::new(&mut run, forced, bytes).with_content_hash(content);
        let mut walker = match workers {
            Some(0) => walker,
            Some(n) => walker.with_pipeline(pipeline, n),
            None => walker.with_pipeline(pipeline, 0),
        };
        let walked = walker.walk(input)?;
        if walked == Walked::Stopped {
            run.summary.interrupted = true;
            run.commit_progress()?;
        } else if !run.pending.is_empty() {
            run.commit()?;
        }
        run.report_progress();
        Ok(run.summary)
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
            None => Ok(self.counted_without_store.contains(source, id)),
        }
    }

    fn write_reject(&mut self, bytes: &[u8]) -> Result<(), ImportError> {
        if let Some(sink) = self.rejects.as_mut() {
            if let Err(e) = sink.writer.write_all(bytes) {
                return Err(sink.failed(e));
            }
        }
        Ok(())
    }

    /// What names the rejects file in the spans of input checkpoints (see
    /// [`RejectsSpan`](checkpoint::RejectsSpan)): its checkpoint name and
    /// its epoch, which this run reads once. `None` without a store, or
    /// for a rejects file that cannot be measured (a pipe).
    fn rejects_id(&mut self) -> Result<Option<u64>, ImportError> {
        let (Some(store), Some(sink)) = (self.store, self.rejects.as_mut()) else {
            return Ok(None);
        };
        let Some(name) = sink.mark.clone() else {
            return Ok(None);
        };
        let epoch = match sink.epoch {
            Some(epoch) => epoch,
            None => {
                let len = sink.writer.written_len().map_err(|e| sink.failed(e))?;
                let mark = RejectsMark::decode(store.checkpoint(&name)?.as_deref());
                let epoch = RejectsMark::epoch_at(mark, len);
                sink.epoch = Some(epoch);
                epoch
            }
        };
        Ok(Some(rejects_id(&name, epoch)))
    }

    /// Before the first input a run reads. A run that died while writing to
    /// the rejects file left past its last commit the lines of records that
    /// are read again now: they are cut off. A shorter file than recorded
    /// was cut or replaced by hand, and is only appended to. The store then
    /// records, durably, that this run writes to the file, so that even a
    /// kill before its first commit is cut back.
    fn start_rejects(&mut self) -> Result<(), ImportError> {
        self.rejects_id()?;
        let (Some(store), Some(sink)) = (self.store, self.rejects.as_mut()) else {
            return Ok(());
        };
        let Some(name) = sink.mark.clone().filter(|_| !sink.writing) else {
            return Ok(());
        };
        let len = sink.writer.written_len().map_err(|e| sink.failed(e))?;
        if let Some(mark) = RejectsMark::decode(store.checkpoint(&name)?.as_deref()) {
            if mark.writing && mark.len < len {
                sink.writer
                    .truncate_to(mark.len)
                    .map_err(|e| sink.failed(e))?;
            }
        }
        sink.writing = true;
        let mut pending = PendingCommit::default();
        self.mark_rejects(&mut pending, true)?;
        store.commit(pending)?;
        store.flush()?;
        Ok(())
    }

    /// Adds to a commit the rejects file's length: every line in it up to
    /// there is of a record the commit (or an earlier one) covers.
    fn mark_rejects(
        &mut self,
        pending: &mut PendingCommit,
        writing: bool,
    ) -> Result<(), ImportError> {
        let Some(sink) = self.rejects.as_mut().filter(|s| s.writing) else {
            return Ok(());
        };
        let Some(name) = &sink.mark else {
            return Ok(());
        };
        let len = match sink.writer.written_len() {
            Ok(len) => len,
            Err(e) => return Err(sink.failed(e)),
        };
        let epoch = sink.epoch.unwrap_or_default();
        pending.set_checkpoint(
            name,
            RejectsMark {
                len,
                writing,
                epoch,
            }
            .encode(),
        );
        Ok(())
    }

    /// After the last input of a run, interrupted or not: every line in the
    /// rejects file is committed, so what another writer adds to it from now
    /// on (a dry run, an import into another store) is never cut off.
    pub fn finish_rejects(&mut self) -> Result<(), ImportError> {
        let Some(store) = self.store else {
            return Ok(());
        };
        let mut pending = PendingCommit::default();
        self.mark_rejects(&mut pending, false)?;
        store.commit(pending)?;
        if let Some(sink) = self.rejects.as_mut() {
            sink.writing = false;
        }
        Ok(())
    }
}

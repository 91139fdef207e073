//! The walker's sink for one input: counts what it finds and keeps the
//! checkpoints of the file and its members in the commits.

use std::cell::Cell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use super::checkpoint::{Checkpoint, RejectsSpan};
use super::{FileSummary, ImportError, Importer, PROGRESS_EVERY, REJECTS_SHOWN};
use crate::pipeline::Analysis;
use crate::sources::content_hash::{hash_file, ContentHash};
use crate::sources::walk::{
    display_path, End, Flow, MemberKind, PathPart, Record, Resume, ResumePoint, Sink,
};
use crate::sources::{Control, LineOutcome};
use crate::store::{PendingCommit, StoreError};

/// Matched posts held for one commit, whatever `--commit-every` says. Most
/// archives match a topic in a post or two per hundred, but a collection
/// searched for the topic matches in every line, and sled applying a batch
/// of 50,000 posts peaked at 560 MB (60,000 such lines); at 5,000 the peak
/// is 170 MB and the import no slower.
pub(super) const MAX_PENDING_POSTS: usize = 5_000;

/// One input being imported: the walker's sink.
pub(super) struct FileRun<'r, 'a> {
    pub(super) importer: &'r mut Importer<'a>,
    pub(super) summary: FileSummary,
    /// The input's checkpoint name; `None` for a pipe.
    pub(super) base: Option<String>,
    /// The input file, when it has a checkpoint.
    pub(super) file: Option<PathBuf>,
    /// Hashes the file as it is read, when the store is to keep the hash.
    pub(super) content: Option<ContentHash>,
    /// The file was imported whole before and has changed since: every
    /// member is read again, whatever its own checkpoint says (those are of
    /// the old content), unless that checkpoint has the hash in
    /// [`rereading`](Self::rereading).
    pub(super) reread: bool,
    /// While a changed file is read again, the hash of what it holds now:
    /// the members' checkpoints are written with it and, of those found,
    /// only the ones with it are of this content. So a run that resumes an
    /// interrupted re-read (the file's own checkpoint still has the old
    /// hash until the re-read ends) skips or resumes the members it read
    /// and does not write their rejected lines again.
    pub(super) rereading: Option<u128>,
    /// This run's rejects file, as the checkpoints' spans name it.
    pub(super) rejects_id: Option<u64>,
    pub(super) pending: PendingCommit,
    pub(super) since_commit: u64,
    /// What `open` found for the member it was told of, for `begin`.
    pub(super) opened: Option<Opened>,
    /// The member being read: its checkpoint goes with every commit made
    /// while it is read.
    pub(super) current: Option<Current>,
    /// An overlong record's bytes went to the rejects file already.
    pub(super) spilled: bool,
    pub(super) bytes: Rc<Cell<u64>>,
}

/// Where a member's reading starts, and the records of it whose rejected
/// lines a rejects file holds from before (see [`RejectsSpan`]); `before`
/// is `None` when those lines are of other content.
#[derive(Default)]
pub(super) struct Opened {
    point: ResumePoint,
    before: Option<RejectsSpan>,
}

pub(super) struct Current {
    name: Option<String>,
    /// How far it is read.
    point: ResumePoint,
    /// The first record this run reads of it.
    first: u64,
    before: Option<RejectsSpan>,
}

impl FileRun<'_, '_> {
    fn checkpoint_name(&self, path: &[PathPart]) -> Option<String> {
        let base = self.base.as_ref()?;
        let mut name = base.clone();
        for part in path {
            name.push('\u{1f}');
            name.push_str(&format!("{}:{}", part.index, part.name));
        }
        Some(name)
    }

    /// `file[:member]` for messages.
    fn location(&self, path: &[PathPart]) -> String {
        if path.is_empty() {
            self.summary.name.clone()
        } else {
            format!("{}:{}", self.summary.name, display_path(path))
        }
    }

    fn note(&mut self, note: String) {
        if self.summary.notes.len() < REJECTS_SHOWN {
            self.summary.notes.push(note);
        }
    }

    pub(super) fn commit(&mut self) -> Result<(), ImportError> {
        let mut batch = std::mem::take(&mut self.pending);
        self.since_commit = 0;
        let Some(store) = self.importer.store else {
            self.importer
                .counted_without_store
                .remember(batch.take_seen());
            return Ok(());
        };
        self.importer.mark_rejects(&mut batch, true)?;
        store.commit(batch)?;
        if let Some(p) = self.importer.progress {
            p.committed();
        }
        Ok(())
    }

    /// Commits with the resume point of the member being read.
    pub(super) fn commit_progress(&mut self) -> Result<(), ImportError> {
        if let Some(current) = &self.current {
            if let Some(name) = &current.name {
                let cp = Checkpoint {
                    records: current.point.records,
                    offset: current.point.offset,
                    rejects: self.span(current, current.point.records),
                    content: self.member_content(name),
                    ..Checkpoint::default()
                };
                self.pending.set_checkpoint(name, cp.encode());
            }
        }
        self.commit()
    }

    /// What a member's checkpoint is written with: the content it was read
    /// from when that is a re-read's (see [`FileRun::rereading`]). The
    /// file's own not-complete checkpoint keeps none, as before.
    fn member_content(&self, name: &str) -> Option<u128> {
        self.rereading
            .filter(|_| Some(name) != self.base.as_deref())
    }

    /// The records of `current` up to `upto` whose rejected lines a rejects
    /// file holds: those it held before, with those this run wrote to it.
    /// A run without one leaves what was there.
    fn span(&self, current: &Current, upto: u64) -> Option<RejectsSpan> {
        match self.rejects_id {
            Some(file) => RejectsSpan::merge(current.before, file, current.first, upto),
            None => current.before,
        }
    }

    /// Whether record `number` of the member being read had its rejected
    /// lines written to this run's rejects file by an earlier read.
    fn written_before(&self, number: u64) -> bool {
        self.current
            .as_ref()
            .and_then(|c| c.before)
            .filter(|span| Some(span.file) == self.rejects_id)
            .is_some_and(|span| span.holds(number))
    }

    pub(super) fn report_progress(&self) {
        if let Some(p) = self.importer.progress {
            p.update(self.bytes.get(), self.summary.posts);
        }
    }

    /// `analysed` is the walker's analysis of the post when it made one on
    /// its workers.
    fn count_post(
        &mut self,
        post: &crate::post::Post,
        analysed: Option<Option<Analysis>>,
    ) -> Result<(), StoreError> {
        self.summary.posts += 1;
        let analysis = match analysed {
            Some(done) => done,
            None => self.importer.pipeline.analyse(post),
        };
        let Some(analysis) = analysis else {
            return Ok(());
        };
        let source = post.source.as_str();
        if self.importer.was_counted(source, &post.id, &self.pending)? {
            self.summary.duplicates += 1;
            return Ok(());
        }
        self.pending.mark_seen(source, &post.id);
        self.importer.pipeline.count(
            post,
            &analysis,
            self.importer.options.keep_text,
            &mut self.pending,
        );
        for &t in &analysis.topics {
            if let Some(slot) = self.summary.per_topic.get_mut(t) {
                slot.0 += 1;
                slot.1 += analysis.complaint as u64;
            }
        }
        Ok(())
    }

    /// Where to start reading `path`, from its checkpoint.
    fn resume_point(&mut self, path: &[PathPart]) -> Result<Resume, ImportError> {
        self.opened = None;
        let (Some(name), Some(store)) = (self.checkpoint_name(path), self.importer.store) else {
            return Ok(Resume::From(ResumePoint::default()));
        };
        let root = path.is_empty();
        let forced = self.importer.options.force;
        if root {
            self.rejects_id = self.importer.rejects_id()?;
        }
        let mut cp = Checkpoint::decode(store.checkpoint(&name)?.as_deref());
        if root && forced && cp.complete && self.rejects_id.is_some() {
            // Whether the rejected lines its checkpoints say are written
            // are this content's: only then are they not written again.
            let now = self.file.as_deref().and_then(|f| hash_file(f).ok());
            self.reread = now.is_none() || cp.content != now;
            self.rereading = now.filter(|_| self.reread);
        }
        if !root && self.rereading.is_some() && cp.content != self.rereading {
            // Of the old content (or of another re-read's): as if the
            // member had never been read.
            cp = Checkpoint::default();
        }
        // Read again with no rejects file, a forced file may have changed
        // unseen: what its spans say can no longer be vouched for. A
        // member's checkpoint kept through a re-read is of this content.
        let kept = !root && self.rereading.is_some();
        let unknown = (self.reread && !kept) || (forced && self.rejects_id.is_none());
        let before = cp.rejects.filter(|_| !unknown);
        if forced || (self.reread && !root && !kept) {
            self.opened = Some(Opened {
                point: ResumePoint::default(),
                before,
            });
            return Ok(Resume::From(ResumePoint::default()));
        }
        if cp.complete {
            if !root {
                self.summary.members_done_before += 1;
                return Ok(Resume::Skip);
            }
            let resume = self.verify(&name, cp);
            self.opened = Some(Opened::default());
            return Ok(resume);
        }
        if cp.records > 0 {
            if root {
                self.summary.resumed_after = cp.records;
            } else {
                self.summary.members_resumed += 1;
            }
        }
        let point = ResumePoint {
            records: cp.records,
            offset: cp.offset,
        };
        self.opened = Some(Opened { point, before });
        Ok(Resume::From(point))
    }

    /// Whether a file imported whole before still holds what was imported:
    /// its size and ends found the checkpoint, the hash of every byte
    /// decides. A checkpoint from before the hash was kept is trusted as
    /// that release trusted it, and given the hash of what the file holds
    /// now, so that a change from now on is noticed.
    fn verify(&mut self, name: &str, cp: Checkpoint) -> Resume {
        let Some(file) = &self.file else {
            return Resume::Skip;
        };
        let now = match hash_file(file) {
            Ok(h) => h,
            Err(e) => {
                self.summary.error = Some(format!(
                    "cannot read it to compare with what was imported: {e}"
                ));
                return Resume::Skip;
            }
        };
        match cp.content {
            Some(then) if then == now => {
                self.summary.already_imported = true;
                Resume::Skip
            }
            Some(_) => {
                self.summary.changed = true;
                self.reread = true;
                self.rereading = Some(now);
                Resume::From(ResumePoint::default())
            }
            None => {
                self.summary.already_imported = true;
                self.summary.unverified = true;
                let cp = Checkpoint {
                    content: Some(now),
                    ..cp
                };
                self.pending.set_checkpoint(name, cp.encode());
                Resume::Skip
            }
        }
    }
}

impl Sink for FileRun<'_, '_> {
    type Error = ImportError;

    fn open(&mut self, path: &[PathPart]) -> Result<Resume, ImportError> {
        let resume = self.resume_point(path)?;
        if path.is_empty() && !matches!(resume, Resume::Skip) {
            self.importer.start_rejects()?;
        }
        Ok(resume)
    }

    fn begin(&mut self, path: &[PathPart], kind: MemberKind) -> Result<(), ImportError> {
        match kind {
            MemberKind::Posts {
                compression,
                format,
                shape,
            } => {
                if path.is_empty() {
                    self.summary.compression = Some(compression.name());
                } else {
                    self.summary.members += 1;
                }
                let label = crate::sources::format::describe(format, shape);
                match self.summary.formats.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, n)) => *n += 1,
                    None => self.summary.formats.push((label, 1)),
                }
                let opened = self.opened.take().unwrap_or_default();
                self.current = Some(Current {
                    name: self.checkpoint_name(path),
                    point: opened.point,
                    first: opened.point.records + 1,
                    before: opened.before,
                });
            }
            MemberKind::Container {
                compression,
                container,
            } => {
                if path.is_empty() {
                    self.summary.compression = Some(compression.name());
                    self.summary.container = Some(container);
                }
            }
        }
        Ok(())
    }

    fn spill(&mut self, bytes: &[u8]) {
        // The bytes are of the record after the last one seen.
        let number = self.current.as_ref().map_or(1, |c| c.point.records + 1);
        if self.written_before(number) {
            return;
        }
        // A failed write shows up at the next reject, which writes too.
        if self.importer.write_reject(bytes).is_ok() {
            self.spilled = true;
        }
    }

    fn record(
        &mut self,
        record: &Record,
        outcomes: &mut Vec<LineOutcome>,
    ) -> Result<Flow, ImportError> {
        self.summary.lines += 1;
        let mut rejected = 0;
        let weight = outcomes.len().max(1) as u64;
        for (i, outcome) in outcomes.drain(..).enumerate() {
            match outcome {
                LineOutcome::Blank => {}
                LineOutcome::Control(control) => {
                    self.summary.control += 1;
                    if let Control::Delete { id: Some(id) } = control {
                        if self.importer.was_counted("twitter", &id, &self.pending)? {
                            self.summary.deletes_of_counted += 1;
                        }
                    }
                }
                LineOutcome::Reject(reason) => {
                    rejected += 1;
                    self.summary.rejected += 1;
                    if self.summary.reject_samples.len() < REJECTS_SHOWN {
                        let at = self.location(record.path);
                        self.summary
                            .reject_samples
                            .push(format!("{at}:{}: {reason}", record.line));
                    }
                }
                // Not a rejection: the record's posts are counted, so it is
                // not written to `--rejects` either (importing it again would
                // only find duplicates).
                LineOutcome::Warning(reason) => {
                    self.summary.warnings += 1;
                    if self.summary.warning_samples.len() < REJECTS_SHOWN {
                        let at = self.location(record.path);
                        self.summary
                            .warning_samples
                            .push(format!("{at}:{}: {reason}", record.line));
                    }
                }
                LineOutcome::Post(post) => {
                    let analysed = record
                        .analyses
                        .and_then(|a| a.get(i))
                        .map(|a| a.as_ref().cloned());
                    self.count_post(&post, analysed)?
                }
            }
        }
        if rejected > 0 || self.spilled {
            if self.written_before(record.number) {
                self.summary.rejects_written_before += rejected;
            } else {
                // One verbatim copy per record, however many of its tweets
                // failed.
                if let Some(raw) = record.raw.filter(|_| !self.spilled) {
                    self.importer.write_reject(raw)?;
                }
                self.importer.write_reject(b"\n")?;
            }
            self.spilled = false;
        }
        if let Some(current) = self.current.as_mut() {
            current.point.records = record.number;
            current.point.offset = record.offset;
        }
        self.since_commit += weight;
        if self.since_commit >= self.importer.options.commit_every
            || self.pending.posts() >= MAX_PENDING_POSTS
        {
            self.commit_progress()?;
        }
        if self.summary.lines.is_multiple_of(PROGRESS_EVERY) {
            self.report_progress();
        }
        let stop = self
            .importer
            .stop
            .is_some_and(|s| s.load(Ordering::Relaxed));
        Ok(if stop { Flow::Stop } else { Flow::Continue })
    }

    fn end(&mut self, path: &[PathPart], end: End) -> Result<(), ImportError> {
        let name = self.checkpoint_name(path);
        let rejects = self
            .current
            .take()
            .filter(|c| c.name == name)
            .and_then(|c| self.span(&c, end.records));
        let root = path.is_empty();
        if let Some(error) = &end.error {
            if root {
                self.summary.error = Some(error.clone());
            } else {
                self.summary.member_error_count += 1;
                if self.summary.member_errors.len() < REJECTS_SHOWN {
                    let at = self.location(path);
                    self.summary.member_errors.push(format!("{at}: {error}"));
                }
            }
        }
        // A member cut short is not complete: a rerun reads it again (and
        // finds nothing new) rather than trusting a partial read.
        let complete = end.error.is_none() && (!root || self.summary.member_error_count == 0);
        if let Some(name) = &name {
            // A hash that cannot be finished (the file went away) leaves a
            // checkpoint like an old release's, trusted on size and ends.
            let content = match &self.content {
                Some(content) if root && complete => content.finish().ok(),
                _ if root => None,
                _ => self.rereading,
            };
            let cp = Checkpoint {
                records: end.records,
                offset: end.offset,
                complete,
                content,
                rejects,
            };
            self.pending.set_checkpoint(name, cp.encode());
            if root && complete {
                self.pending
                    .record_import(name, self.summary.name.as_bytes().to_vec());
            }
        }
        if root {
            self.commit()?;
        }
        Ok(())
    }

    fn skipped(&mut self, path: &[PathPart], why: &str, opened: bool) -> Result<(), ImportError> {
        if path.is_empty() {
            self.summary.skipped = Some(why.to_string());
            return Ok(());
        }
        self.summary.members_skipped += 1;
        let at = display_path(path);
        self.note(format!("{at}: {why} (skipped)"));
        if let (true, Some(name)) = (opened, self.checkpoint_name(path)) {
            let cp = Checkpoint {
                complete: true,
                content: self.rereading,
                ..Checkpoint::default()
            };
            self.pending.set_checkpoint(&name, cp.encode());
        }
        Ok(())
    }
}

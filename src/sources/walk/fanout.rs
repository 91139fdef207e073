//! Reading JSON lines on every core.
//!
//! Parsing a 3 KB tweet and tagging its text cost far more than finding its
//! line, so the walker's thread only cuts the stream into blocks of whole
//! lines (a few hundred lines, about 1 MiB) and worker threads parse, tag and
//! score them. The results come back in blocks and are handed to the sink in
//! the stream's order, so everything the sink sees (record numbers,
//! offsets, resume points, reject order) is what the one-thread reader would
//! have shown it. At most `2 × workers + 1` blocks are out at once: when the
//! sink (the store) is slow, the reader waits instead of piling up lines.
//!
//! Overlong lines are spilled to the sink as they are read, so the lines
//! before one are delivered first: the sink sees spill and record in order.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

use super::{parse_into, too_long, End, Flow, PathPart, Record, ResumePoint, Sink, Walker};
use crate::pipeline::{Analysis, Pipeline};
use crate::sources::decode::Compression;
use crate::sources::export::Owner;
use crate::sources::lines::{LineReader, Next, Span};
use crate::sources::{Format, LineOutcome};

/// Bytes of lines gathered before a block is handed out.
const BLOCK_BYTES: usize = 1024 * 1024;
/// Lines per block at most (short lines: control messages, blank lines).
const BLOCK_LINES: usize = 4096;
const MAX_WORKERS: usize = 16;

/// One line of a block.
struct Meta {
    number: u64,
    offset: u64,
    /// Where its text is in the block's bytes; `None` for an overlong line.
    span: Option<(usize, usize)>,
    length: u64,
}

#[derive(Default)]
struct Block {
    seq: u64,
    bytes: Vec<u8>,
    lines: Vec<Meta>,
    /// Filled by a worker: every line's outcomes one after another, the
    /// analysis of each outcome (a post that mentions a topic has one), and
    /// where each line's outcomes end.
    outcomes: Vec<LineOutcome>,
    analyses: Vec<Option<Analysis>>,
    ends: Vec<usize>,
}

impl Block {
    fn clear(&mut self) {
        self.bytes.clear();
        self.lines.clear();
        self.outcomes.clear();
        self.analyses.clear();
        self.ends.clear();
    }
}

/// How many threads parse: one per core.
pub(super) fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, MAX_WORKERS)
}

fn work(format: Format, mixed: bool, owner: &Owner, pipeline: &Pipeline, block: &mut Block) {
    for meta in &block.lines {
        match meta.span {
            Some((start, end)) => parse_into(
                format,
                mixed,
                &block.bytes[start..end],
                owner,
                &mut block.outcomes,
            ),
            None => block
                .outcomes
                .push(LineOutcome::Reject(too_long("line", meta.length))),
        }
        block.ends.push(block.outcomes.len());
    }
    for outcome in &block.outcomes {
        block.analyses.push(match outcome {
            LineOutcome::Post(post) => pipeline.analyse(post),
            _ => None,
        });
    }
}

/// The walker's side of the workers: the block being filled, blocks out,
/// and results waiting for their turn.
struct Fanout {
    to_workers: Option<SyncSender<Block>>,
    from_workers: Receiver<Block>,
    filling: Block,
    next_seq: u64,
    next_delivery: u64,
    out: usize,
    limit: usize,
    ready: BTreeMap<u64, Block>,
    spare: Vec<Block>,
}

impl Fanout {
    fn send(&mut self) {
        if self.filling.lines.is_empty() {
            return;
        }
        let mut block = self.spare.pop().unwrap_or_default();
        block.clear();
        std::mem::swap(&mut block, &mut self.filling);
        block.seq = self.next_seq;
        self.next_seq += 1;
        self.out += 1;
        if let Some(tx) = &self.to_workers {
            // The workers only go away when this side drops the sender.
            let _ = tx.send(block);
        }
    }

    /// Hands finished blocks to the sink in order; waits for them when
    /// `all`, or while too many are out.
    fn deliver<S: Sink>(
        &mut self,
        sink: &mut S,
        path: &[PathPart],
        scratch: &mut Vec<LineOutcome>,
        all: bool,
    ) -> Result<Flow, S::Error> {
        loop {
            if let Some(mut block) = self.ready.remove(&self.next_delivery) {
                self.next_delivery += 1;
                self.out -= 1;
                let flow = deliver_block(&mut block, sink, path, scratch);
                self.spare.push(block);
                if !matches!(flow, Ok(Flow::Continue)) {
                    return flow;
                }
                continue;
            }
            let waiting = self.out > 0 && (all || self.out >= self.limit);
            if !waiting {
                return Ok(Flow::Continue);
            }
            match self.from_workers.recv() {
                Ok(block) => {
                    self.ready.insert(block.seq, block);
                }
                // Every worker gone with blocks out: one panicked. Nothing
                // more will come; what was delivered stands.
                Err(_) => {
                    self.out = 0;
                    return Ok(Flow::Continue);
                }
            }
        }
    }
}

fn deliver_block<S: Sink>(
    block: &mut Block,
    sink: &mut S,
    path: &[PathPart],
    scratch: &mut Vec<LineOutcome>,
) -> Result<Flow, S::Error> {
    let mut outcomes = std::mem::take(&mut block.outcomes).into_iter();
    let mut from = 0;
    for (meta, &end) in block.lines.iter().zip(&block.ends) {
        scratch.clear();
        scratch.extend(outcomes.by_ref().take(end - from));
        let analyses = block.analyses.get(from..end);
        from = end;
        let record = Record {
            path,
            number: meta.number,
            line: meta.number,
            offset: meta.offset,
            raw: meta.span.map(|(s, e)| &block.bytes[s..e]),
            analyses,
        };
        if sink.record(&record, scratch)? == Flow::Stop {
            return Ok(Flow::Stop);
        }
    }
    Ok(Flow::Continue)
}

impl<S: Sink> Walker<'_, S> {
    /// [`read_lines`](Walker::read_lines) with parsing, tagging and scoring
    /// on worker threads.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn read_lines_parallel(
        &mut self,
        mut lines: LineReader<Box<dyn BufRead + '_>>,
        path: &[PathPart],
        resume: ResumePoint,
        format: Format,
        compression: Compression,
        pipeline: &Pipeline,
        workers: usize,
    ) -> Result<Flow, S::Error> {
        let owner = &self.owner;
        let mixed = self.forced.is_none();
        let sink = &mut *self.sink;
        let scratch = &mut self.outcomes;
        let (to_workers, inbox) = sync_channel::<Block>(workers);
        let inbox = std::sync::Mutex::new(inbox);
        let inbox = &inbox;
        let (results, from_workers): (Sender<Block>, _) = channel();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let results = results.clone();
                scope.spawn(move || loop {
                    let next = match inbox.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(mut block) = next else { return };
                    work(format, mixed, owner, pipeline, &mut block);
                    if results.send(block).is_err() {
                        return;
                    }
                });
            }
            drop(results);
            let mut fan = Fanout {
                to_workers: Some(to_workers),
                from_workers,
                filling: Block::default(),
                next_seq: 0,
                next_delivery: 0,
                out: 0,
                limit: 2 * workers + 1,
                ready: BTreeMap::new(),
                spare: Vec::new(),
            };
            let result = read_into_blocks(
                &mut lines,
                &mut fan,
                sink,
                path,
                resume,
                compression,
                scratch,
            );
            // Dropping the sender lets the workers finish.
            fan.to_workers = None;
            result
        })
    }
}

fn read_into_blocks<S: Sink>(
    lines: &mut LineReader<Box<dyn BufRead + '_>>,
    fan: &mut Fanout,
    sink: &mut S,
    path: &[PathPart],
    resume: ResumePoint,
    compression: Compression,
    scratch: &mut Vec<LineOutcome>,
) -> Result<Flow, S::Error> {
    let mut error = None;
    loop {
        let skipping = lines.line_no() < resume.records;
        let before = fan.filling.bytes.len();
        let read = match lines.next_line_or_overlong(&mut fan.filling.bytes) {
            Ok(Some(Next::Line(number, Span::Text(r), offset))) => Ok((number, Some(r), 0, offset)),
            Ok(Some(Next::Line(number, Span::TooLong { length }, offset))) => {
                Ok((number, None, length, offset))
            }
            Ok(Some(Next::Overlong)) => {
                let head = fan.filling.bytes.split_off(before);
                if skipping {
                    lines.finish_overlong(head.len() as u64, &mut |_| {})
                } else {
                    // The lines before this one reach the sink before its
                    // bytes are spilled, as they would read one by one.
                    fan.send();
                    if fan.deliver(sink, path, scratch, true)? == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                    sink.spill(&head);
                    lines.finish_overlong(head.len() as u64, &mut |b| sink.spill(b))
                }
                .map(|(number, length, offset)| (number, None, length, offset))
            }
            Ok(None) => break,
            Err(e) => Err(e),
        };
        let (number, span, length, offset) = match read {
            Ok(l) => l,
            Err(e) => {
                error = Some(super::read_error_message(
                    compression,
                    "line",
                    lines.line_no(),
                    &e,
                ));
                break;
            }
        };
        if number <= resume.records {
            fan.filling.bytes.truncate(before);
            continue;
        }
        fan.filling.lines.push(Meta {
            number,
            offset,
            span: span.map(|r| (r.start, r.end)),
            length,
        });
        if fan.filling.bytes.len() >= BLOCK_BYTES || fan.filling.lines.len() >= BLOCK_LINES {
            fan.send();
            if fan.deliver(sink, path, scratch, false)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
    }
    fan.send();
    if fan.deliver(sink, path, scratch, true)? == Flow::Stop {
        return Ok(Flow::Stop);
    }
    let end = End {
        records: lines.line_no(),
        offset: lines.consumed(),
        error,
    };
    sink.end(path, end)?;
    Ok(Flow::Continue)
}

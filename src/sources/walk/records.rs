//! Cutting a leaf stream into records, one reader per shape: JSON lines,
//! JSON documents, CSV. Each hands every record's outcomes to the sink and
//! skips, without parsing, the records an earlier run stored.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::{
    parse_into, read_error_message, too_long, Counting, End, Flow, PathPart, Record, ResumePoint,
    Sink, Walker, READ_BUFFER,
};
use crate::sources::decode::Compression;
use crate::sources::document::{DocumentReader, Record as DocRecord};
use crate::sources::lines::{Line, LineReader};
use crate::sources::table::TableReader;
use crate::sources::{Format, LineOutcome};

impl<S: Sink> Walker<'_, S> {
    pub(super) fn read_lines(
        &mut self,
        stream: impl BufRead,
        path: &[PathPart],
        resume: ResumePoint,
        format: Format,
        compression: Compression,
        seekable: Option<&Path>,
    ) -> Result<Flow, S::Error> {
        let mixed = self.forced.is_none();
        // A plain file resumes by seeking to where the last commit ended;
        // anything compressed is decompressed again and its lines skipped.
        let reopened = match seekable {
            Some(p) if resume.offset > 0 => File::open(p)
                .and_then(|mut f| f.seek(SeekFrom::Start(resume.offset)).map(|_| f))
                .ok(),
            _ => None,
        };
        let mut lines: LineReader<Box<dyn BufRead + '_>> = match reopened {
            Some(file) => {
                self.bytes.set(resume.offset);
                let inner: Box<dyn std::io::Read> = match &self.content {
                    Some(content) => Box::new(content.reader(file, resume.offset)),
                    None => Box::new(file),
                };
                let counting = Counting {
                    inner,
                    count: self.bytes.clone(),
                };
                let reader: Box<dyn BufRead + '_> =
                    Box::new(BufReader::with_capacity(READ_BUFFER, counting));
                LineReader::new(reader).starting_at(resume.records, resume.offset)
            }
            None => LineReader::new(Box::new(stream) as Box<dyn BufRead + '_>),
        };
        if let Some(pipeline) = self.pipeline {
            let workers = self.workers;
            return self.read_lines_parallel(
                lines,
                path,
                resume,
                format,
                compression,
                pipeline,
                workers,
            );
        }
        let mut error = None;
        loop {
            let skipping = lines.line_no() < resume.records;
            let sink = &mut *self.sink;
            let mut spill = |b: &[u8]| {
                if !skipping {
                    sink.spill(b)
                }
            };
            let (number, line, offset) = match lines.next_line_spilling(&mut spill) {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    error = Some(read_error_message(compression, "line", lines.line_no(), &e));
                    break;
                }
            };
            if number <= resume.records {
                continue;
            }
            self.outcomes.clear();
            let raw = match line {
                Line::Text(bytes) => {
                    parse_into(format, mixed, bytes, &self.owner, &mut self.outcomes);
                    Some(bytes)
                }
                Line::TooLong { length } => {
                    self.outcomes
                        .push(LineOutcome::Reject(too_long("line", length)));
                    None
                }
            };
            let record = Record {
                path,
                number,
                line: number,
                offset,
                raw,
                analyses: None,
            };
            if self.sink.record(&record, &mut self.outcomes)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        let end = End {
            records: lines.line_no(),
            offset: lines.consumed(),
            error,
        };
        self.sink.end(path, end)?;
        Ok(Flow::Continue)
    }

    pub(super) fn read_document(
        &mut self,
        stream: impl BufRead,
        path: &[PathPart],
        resume: ResumePoint,
        format: Format,
        compression: Compression,
    ) -> Result<Flow, S::Error> {
        let mixed = self.forced.is_none();
        let mut doc = DocumentReader::new(stream);
        let mut error = None;
        let mut records = 0;
        loop {
            let skipping = records < resume.records;
            let sink = &mut *self.sink;
            let mut spill = |b: &[u8]| {
                if !skipping {
                    sink.spill(b)
                }
            };
            let (number, record) = match doc.next_record(&mut spill) {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(e) => {
                    error = Some(read_error_message(compression, "record", records, &e));
                    break;
                }
            };
            records = number;
            if number <= resume.records {
                continue;
            }
            self.outcomes.clear();
            let raw = match record {
                DocRecord::Value(bytes) => {
                    parse_into(format, mixed, bytes, &self.owner, &mut self.outcomes);
                    Some(bytes)
                }
                DocRecord::Junk(bytes) => {
                    self.outcomes
                        .push(LineOutcome::Reject("not JSON: text between records".into()));
                    Some(bytes)
                }
                DocRecord::Truncated(bytes) => {
                    self.outcomes.push(LineOutcome::Reject(
                        "truncated JSON (the document ends inside this record)".into(),
                    ));
                    Some(bytes)
                }
                DocRecord::TooLong { length } => {
                    self.outcomes
                        .push(LineOutcome::Reject(too_long("record", length)));
                    None
                }
            };
            let record = Record {
                path,
                number,
                line: number,
                offset: 0,
                raw,
                analyses: None,
            };
            if self.sink.record(&record, &mut self.outcomes)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        let end = End {
            records,
            offset: doc.consumed(),
            error,
        };
        self.sink.end(path, end)?;
        Ok(Flow::Continue)
    }

    pub(super) fn read_table(
        &mut self,
        stream: impl BufRead,
        path: &[PathPart],
        resume: ResumePoint,
        compression: Compression,
    ) -> Result<Flow, S::Error> {
        let mut table = match TableReader::new(stream) {
            Ok(t) => t,
            Err(reason) => {
                let error = Some(reason);
                self.sink.end(
                    path,
                    End {
                        error,
                        ..End::default()
                    },
                )?;
                return Ok(Flow::Continue);
            }
        };
        let mut error = None;
        let mut records = 0;
        loop {
            let row = match table.next_row(records >= resume.records) {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(e) => {
                    error = Some(read_error_message(compression, "row", records, &e));
                    break;
                }
            };
            records = row.number;
            let Some(outcome) = row.outcome else {
                continue;
            };
            self.outcomes.clear();
            self.outcomes.push(outcome);
            let record = Record {
                path,
                number: row.number,
                line: row.line,
                offset: 0,
                raw: Some(row.raw),
                analyses: None,
            };
            if self.sink.record(&record, &mut self.outcomes)? == Flow::Stop {
                return Ok(Flow::Stop);
            }
        }
        let end = End {
            records,
            offset: 0,
            error,
        };
        self.sink.end(path, end)?;
        Ok(Flow::Continue)
    }
}

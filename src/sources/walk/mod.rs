//! Walking one input down to its records, whatever is wrapped around them.
//!
//! A Stream Grab month is a tar of tars of bzip2 files; an export is a zip
//! holding `data/tweets.js` among hundreds of media files; a twarc2 run is a
//! folder of gzip files. The walker peels each layer as a stream (nothing is
//! extracted to disk): compression by magic bytes, tar and zip by their
//! headers at any depth, then the format of each leaf by its first bytes
//! ([`super::format`]), and the leaf's records, parsed by that format's
//! parser. It reports everything to a [`Sink`] — which members it opens, the
//! outcomes of each record, how each member ended — and asks the sink
//! before opening a member whether to skip it or where to resume it, so
//! the importer can keep per-member checkpoints without this module knowing
//! about the store. Problems with the bytes end a member, never the walk.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use super::content_hash::ContentHash;
use super::decode::{self, Compression};
use super::export::{self, Owner};
use super::format::{self, Format, Shape, Sniffed};
use super::inputs::Input;
use super::{twitter_v1, twitter_v2, LineOutcome};
use crate::pipeline::{Analysis, Pipeline};

mod containers;
mod fanout;
mod records;
mod unpack;

use containers::skipped_by_name;

/// Enough for a tar header (magic at 257), a CSV header, and the first keys
/// of a twarc2 response.
const HEAD: usize = 64 * 1024;
/// Containers within containers past this depth are a zip bomb, not an
/// archive anyone made.
const MAX_DEPTH: usize = 8;
/// `account.js` and `profile.js` are a few KiB.
const MAX_OWNER_FILE: u64 = 4 * 1024 * 1024;
const READ_BUFFER: usize = 256 * 1024;

/// One step into a container: the member's position (entries can repeat a
/// name) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPart {
    pub index: u64,
    pub name: String,
}

/// Names a member for people: `outer.tar:2012/12/24.tar:20/31.json.bz2`.
pub fn display_path(path: &[PathPart]) -> String {
    path.iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(":")
}

/// How far an earlier run read a member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResumePoint {
    /// Records already stored (lines, array entries or CSV rows).
    pub records: u64,
    /// The byte offset just after them, in the member's decompressed stream.
    pub offset: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// Read whole before: do not open it.
    Skip,
    From(ResumePoint),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Stop the walk now (Ctrl-C); the sink keeps what it has.
    Stop,
}

/// What a member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Posts {
        compression: Compression,
        format: Format,
        shape: Shape,
    },
    Container {
        compression: Compression,
        container: &'static str,
    },
}

/// One record and where it is.
pub struct Record<'r> {
    pub path: &'r [PathPart],
    /// 1-based number among the member's records: what resume counts.
    pub number: u64,
    /// The line it starts on, for messages (array entries: the entry number).
    pub line: u64,
    /// Offset just after the record in the member's decompressed stream.
    pub offset: u64,
    /// The record's bytes, or `None` when they were too long to keep and went
    /// to [`Sink::spill`] instead.
    pub raw: Option<&'r [u8]>,
    /// When the walker was given a pipeline ([`Walker::with_pipeline`]) and
    /// analysed the record's posts on its worker threads: one entry per
    /// outcome, `Some` for each post that mentions a topic.
    pub analyses: Option<&'r [Option<Analysis>]>,
}

/// How a member ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct End {
    /// Records in the member, those skipped on resume included.
    pub records: u64,
    pub offset: u64,
    /// Why the member could not be read to its end.
    pub error: Option<String>,
}

/// Receives what the walker finds. For each member (the input itself has
/// the empty path) the walker calls `open`; unless told to skip, then either
/// `skipped`, or `begin`, the member's records and `end`, or `end` alone
/// when it cannot be read at all. After a record returns [`Flow::Stop`]
/// nothing more is called.
pub trait Sink {
    type Error;
    fn open(&mut self, path: &[PathPart]) -> Result<Resume, Self::Error>;
    fn begin(&mut self, path: &[PathPart], kind: MemberKind) -> Result<(), Self::Error>;
    /// Bytes of an overlong record, before its `record` call.
    fn spill(&mut self, bytes: &[u8]);
    fn record(
        &mut self,
        record: &Record,
        outcomes: &mut Vec<LineOutcome>,
    ) -> Result<Flow, Self::Error>;
    fn end(&mut self, path: &[PathPart], end: End) -> Result<(), Self::Error>;
    /// A member that holds no posts (media, other export files, temporary
    /// files); `opened` tells whether `open` was called for it.
    fn skipped(&mut self, path: &[PathPart], why: &str, opened: bool) -> Result<(), Self::Error>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walked {
    Done,
    Stopped,
}

pub struct Walker<'s, S: Sink> {
    sink: &'s mut S,
    forced: Option<Format>,
    /// The input was named on the command line (or piped), not found in a
    /// folder: read it even when it does not look like posts.
    explicit: bool,
    owner: Owner,
    outcomes: Vec<LineOutcome>,
    /// Bytes read from the input itself (compressed), for progress.
    bytes: Rc<Cell<u64>>,
    /// Analyses posts on worker threads when set; `None` leaves all the
    /// work to the sink, on this thread.
    pipeline: Option<&'s Pipeline>,
    /// Threads for that; the lines of a stream are read on one thread.
    workers: usize,
    /// Hashes the input file's bytes as they are read, when set.
    content: Option<ContentHash>,
}

/// Counts what is read through it.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A stream whose first bytes were read ahead to sniff it, and the error
/// (if any) that cut that read short, delivered after those bytes.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

impl BufRead for Failing {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(&[]),
        }
    }
    fn consume(&mut self, _: usize) {}
}

impl<'s, S: Sink> Walker<'s, S> {
    pub fn new(sink: &'s mut S, forced: Option<Format>, bytes: Rc<Cell<u64>>) -> Self {
        Walker {
            sink,
            forced,
            explicit: true,
            owner: Owner::default(),
            outcomes: Vec::new(),
            bytes,
            pipeline: None,
            workers: 0,
            content: None,
        }
    }

    /// Feeds every byte read from the input file to `content` (see
    /// [`ContentHash`]).
    pub fn with_content_hash(mut self, content: Option<ContentHash>) -> Self {
        self.content = content;
        self
    }

    /// Parses JSON lines and analyses their posts with `pipeline` on
    /// `workers` threads (0: one per core), handing the sink each record's
    /// [`Record::analyses`]. Other shapes are read as before.
    pub fn with_pipeline(mut self, pipeline: &'s Pipeline, workers: usize) -> Self {
        self.pipeline = Some(pipeline);
        self.workers = if workers == 0 {
            fanout::workers()
        } else {
            workers
        };
        self
    }

    /// Walks one input to its end (or until the sink says stop).
    pub fn walk(&mut self, input: &Input) -> Result<Walked, S::Error> {
        let mut path = Vec::new();
        let resume = match self.sink.open(&path)? {
            Resume::Skip => return Ok(Walked::Done),
            Resume::From(r) => r,
        };
        self.explicit = input.explicit();
        self.owner = Owner::default();
        let file_path = input.path();
        // A collector's temporary file found in a folder is half a file.
        let found_name = file_path
            .filter(|_| !self.explicit)
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        if let Some(why) = found_name.as_deref().and_then(skipped_by_name) {
            self.sink.skipped(&path, why, true)?;
            return Ok(Walked::Done);
        }
        let raw: Box<dyn Read> = match file_path {
            None => Box::new(io::stdin()),
            Some(p) => match File::open(p) {
                Ok(f) => match &self.content {
                    Some(content) => Box::new(content.reader(f, 0)),
                    None => Box::new(f),
                },
                Err(e) => {
                    let error = Some(format!("cannot open: {e}"));
                    self.sink.end(
                        &path,
                        End {
                            error,
                            ..End::default()
                        },
                    )?;
                    return Ok(Walked::Done);
                }
            },
        };
        let regular = file_path.filter(|p| p.metadata().is_ok_and(|m| m.is_file()));
        if let Some(p) = regular {
            if let Some(flow) = self.try_zip_file(p, &mut path)? {
                return Ok(to_walked(flow));
            }
            self.owner_beside(p);
            // Only the importer's parallel reader gains from it.
            let unpacked = self
                .pipeline
                .and_then(|_| unpack::spawn(p, self.bytes.clone(), self.content.clone()));
            if let Some((compression, unpacked)) = unpacked {
                drop(raw);
                let decoded = Some(compression);
                let flow =
                    self.walk_stream(Box::new(unpacked), &mut path, resume, 0, regular, decoded)?;
                return Ok(to_walked(flow));
            }
        }
        let counting = Counting {
            inner: raw,
            count: self.bytes.clone(),
        };
        let reader = BufReader::with_capacity(READ_BUFFER, counting);
        let flow = self.walk_stream(Box::new(reader), &mut path, resume, 0, regular, None)?;
        Ok(to_walked(flow))
    }

    /// For an export's `tweets.js` given alone or in its folder: the owner
    /// from `account.js` and `profile.js` beside it.
    fn owner_beside(&mut self, file_path: &Path) {
        let Some(dir) = file_path.parent() else {
            return;
        };
        for name in ["account.js", "profile.js"] {
            let Ok(file) = File::open(dir.join(name)) else {
                continue;
            };
            let mut bytes = Vec::new();
            if file.take(MAX_OWNER_FILE).read_to_end(&mut bytes).is_ok() {
                self.owner.absorb(&bytes);
            }
        }
    }

    /// Reads one decompressed-or-not stream: a container or a leaf of posts.
    fn walk_stream(
        &mut self,
        reader: Box<dyn BufRead + '_>,
        path: &mut Vec<PathPart>,
        resume: ResumePoint,
        depth: usize,
        seekable: Option<&Path>,
        decoded: Option<Compression>,
    ) -> Result<Flow, S::Error> {
        let opened = match decoded {
            // Decompressed already, on its own thread.
            Some(compression) => Ok((compression, reader)),
            None => decode::decoder(reader),
        };
        let (compression, mut decoded) = match opened {
            Ok(d) => d,
            Err(e) => {
                let error = Some(format!("cannot read: {e}"));
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
        let mut head = Vec::with_capacity(HEAD);
        let head_error = decoded
            .by_ref()
            .take(HEAD as u64)
            .read_to_end(&mut head)
            .err();
        let rest: Box<dyn BufRead + '_> = match head_error {
            Some(e) => Box::new(Failing(Some(e))),
            None => decoded,
        };
        let mut stream = Cursor::new(head).chain(rest);
        let head = stream.get_ref().0.get_ref();
        let container = if head.len() >= 262 && &head[257..262] == b"ustar" {
            Some("tar")
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            Some("zip")
        } else {
            None
        };
        if let Some(container) = container {
            if depth >= MAX_DEPTH {
                return self.skip(path, "containers nested too deep (a zip bomb?)", true);
            }
            self.sink.begin(
                path,
                MemberKind::Container {
                    compression,
                    container,
                },
            )?;
            let (flow, error) = if container == "tar" {
                self.walk_tar(&mut stream, path, depth)?
            } else {
                self.walk_zip_stream(&mut stream, path, depth)?
            };
            if flow == Flow::Continue {
                self.sink.end(
                    path,
                    End {
                        error,
                        ..End::default()
                    },
                )?;
            }
            return Ok(flow);
        }
        let (format, shape) = match format::sniff(head, self.forced) {
            Sniffed::Posts(f, s) => (f, s),
            Sniffed::Owner => {
                let mut bytes = Vec::new();
                let _ = stream.take(MAX_OWNER_FILE).read_to_end(&mut bytes);
                self.owner.absorb(&bytes);
                return self.skip(path, "the export's account details, not tweets", true);
            }
            // A file named on the command line is read as lines anyway, so
            // that every line gets its reason.
            Sniffed::NotPosts(_) if path.is_empty() && self.explicit => {
                (Format::TwitterV1, Shape::Lines)
            }
            Sniffed::NotPosts(why) => return self.skip(path, &why, true),
        };
        self.sink.begin(
            path,
            MemberKind::Posts {
                compression,
                format,
                shape,
            },
        )?;
        let seekable = seekable.filter(|_| compression == Compression::None);
        match shape {
            Shape::Lines => self.read_lines(stream, path, resume, format, compression, seekable),
            Shape::Document => self.read_document(stream, path, resume, format, compression),
            Shape::Table => self.read_table(stream, path, resume, compression),
        }
    }

    fn skip(&mut self, path: &[PathPart], why: &str, opened: bool) -> Result<Flow, S::Error> {
        self.sink.skipped(path, why, opened)?;
        Ok(Flow::Continue)
    }
}

fn to_walked(flow: Flow) -> Walked {
    match flow {
        Flow::Continue => Walked::Done,
        Flow::Stop => Walked::Stopped,
    }
}

/// Parses one record of `format` into `out`. With `mixed` (the format was
/// sniffed, not forced), a record `format` refuses that holds posts in the
/// other Twitter API version is read in that version, with a warning: files
/// concatenated from two collectors ("cat v1/*.jsonl v2/*.jsonl") hold
/// both, and the file's first records decide its format.
pub fn parse_into(
    format: Format,
    mixed: bool,
    bytes: &[u8],
    owner: &Owner,
    out: &mut Vec<LineOutcome>,
) {
    let from = out.len();
    parse_mended(format, bytes, owner, out);
    let other = match format {
        Format::TwitterV1 => Format::TwitterV2,
        Format::TwitterV2 => Format::TwitterV1,
        Format::Export | Format::Csv => return,
    };
    if !mixed || !refused(&out[from..]) {
        return;
    }
    let mut theirs = Vec::new();
    parse_mended(other, bytes, owner, &mut theirs);
    // Posts decide: a twarc2 page with one bad item gives its other tweets
    // and a rejection of that item, which are kept; a line that gives the
    // other version no post (an API error message, a control line) keeps
    // the reason its file's version gave.
    if theirs.iter().any(|o| matches!(o, LineOutcome::Post(_))) {
        out.truncate(from);
        out.push(LineOutcome::Warning(format!(
            "a {} record in a {} file: read as {}",
            other.name(),
            format.name(),
            other.name()
        )));
        out.append(&mut theirs);
    }
}

fn refused(outcomes: &[LineOutcome]) -> bool {
    outcomes.iter().any(|o| matches!(o, LineOutcome::Reject(_)))
}

fn parse_mended(format: Format, bytes: &[u8], owner: &Owner, out: &mut Vec<LineOutcome>) {
    let from = out.len();
    parse_record(format, bytes, owner, out);
    // Half an emoji must not cost a tweet (see `surrogates`).
    if refused(&out[from..]) {
        if let Some(mended) = super::surrogates::mend(bytes) {
            out.truncate(from);
            parse_record(format, &mended, owner, out);
        }
    }
}

fn parse_record(format: Format, bytes: &[u8], owner: &Owner, out: &mut Vec<LineOutcome>) {
    match format {
        Format::TwitterV1 => out.push(twitter_v1::parse_line(bytes)),
        Format::TwitterV2 => twitter_v2::parse_line(bytes, out),
        Format::Export => out.push(export::parse_record(bytes, owner)),
        // CSV rows are parsed by the table reader; a CSV forced on JSON lines
        // cannot be read line by line.
        Format::Csv => out.push(LineOutcome::Reject("not a CSV row".into())),
    }
}

fn too_long(what: &str, length: u64) -> String {
    format!("{what} of {length} bytes is longer than the 16 MiB limit")
}

/// A read error in words, with the record it came after.
pub fn read_error_message(
    compression: Compression,
    unit: &str,
    after: u64,
    e: &io::Error,
) -> String {
    match (compression, e.kind()) {
        (Compression::None, _) => format!("read error after {unit} {after}: {e}"),
        (c, io::ErrorKind::UnexpectedEof) => {
            format!("truncated {} stream after {unit} {after}", c.name())
        }
        // The check that found the damage (a gzip member's checksum, say)
        // covers what was read before it too: those records passed none.
        (c, _) => format!(
            "corrupt {} data after {unit} {after}: {e} (the {unit}s before it passed no check and may be damaged too)",
            c.name()
        ),
    }
}

#[cfg(test)]
mod tests;

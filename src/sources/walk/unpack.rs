//! Decompression on its own thread.
//!
//! Inflating gzip costs about a third of what parsing the JSON it yields
//! does; done on the walker's thread it would delay every block the parsing
//! workers wait for. For a compressed file, a thread of its own opens it,
//! decompresses it and hands the bytes over in chunks through a bounded
//! channel (so it runs at most a few MiB ahead of the reader), and the
//! walker reads the chunks as an uncompressed stream.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use crate::sources::content_hash::ContentHash;
use crate::sources::decode::{self, Compression};

const CHUNK: usize = 1024 * 1024;
/// Chunks decompressed ahead of the reader.
const AHEAD: usize = 4;
const READ_BUFFER: usize = 256 * 1024;

enum Message {
    Data(Vec<u8>),
    Failed(io::Error),
}

/// The decompressed stream, as the decompressing thread sends it.
pub(super) struct Unpacked {
    from: Receiver<Message>,
    chunk: Vec<u8>,
    at: usize,
    /// An error that ended the stream, delivered after the bytes before it.
    failed: Option<io::Error>,
    /// Compressed bytes the thread has read, for progress.
    read: Arc<AtomicU64>,
    progress: Rc<Cell<u64>>,
}

/// Starts decompressing `path` on a new thread when it is compressed;
/// `None` for a plain file, or when its start cannot be read or decoded
/// (the ordinary path reads it then, and reports what is wrong). The
/// thread's reads feed `content`.
pub(super) fn spawn(
    path: &Path,
    progress: Rc<Cell<u64>>,
    content: Option<ContentHash>,
) -> Option<(Compression, Unpacked)> {
    let mut head = [0u8; 4];
    let mut file = File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    if Compression::sniff(&head[..n]) == Compression::None {
        return None;
    }
    let read = Arc::new(AtomicU64::new(0));
    let counted = read.clone();
    let path = path.to_path_buf();
    let (to_reader, from) = sync_channel(AHEAD);
    let (started, start) = sync_channel(1);
    std::thread::Builder::new()
        .name("decompress".into())
        .spawn(move || {
            let opened = File::open(&path).and_then(|f| {
                let inner: Box<dyn Read> = match content {
                    Some(content) => Box::new(content.reader(f, 0)),
                    None => Box::new(f),
                };
                let counting = Counting {
                    inner,
                    read: counted,
                };
                decode::decoder(BufReader::with_capacity(READ_BUFFER, counting))
            });
            let (compression, mut decoded) = match opened {
                Ok(d) => d,
                Err(_) => {
                    let _ = started.send(None);
                    return;
                }
            };
            if started.send(Some(compression)).is_err() {
                return;
            }
            loop {
                let mut chunk = vec![0u8; CHUNK];
                let mut filled = 0;
                let mut failure = None;
                while filled < CHUNK {
                    match decoded.read(&mut chunk[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            failure = Some(e);
                            break;
                        }
                    }
                }
                chunk.truncate(filled);
                let last = filled < CHUNK;
                if filled > 0 && to_reader.send(Message::Data(chunk)).is_err() {
                    return;
                }
                if let Some(e) = failure {
                    let _ = to_reader.send(Message::Failed(e));
                    return;
                }
                if last {
                    return;
                }
            }
        })
        .ok()?;
    let compression = start.recv().ok()??;
    Some((
        compression,
        Unpacked {
            from,
            chunk: Vec::new(),
            at: 0,
            failed: None,
            read,
            progress,
        },
    ))
}

struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Read for Unpacked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Unpacked {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at >= self.chunk.len() {
            if let Some(e) = self.failed.take() {
                return Err(e);
            }
            match self.from.recv() {
                Ok(Message::Data(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                    self.progress.set(self.read.load(Ordering::Relaxed));
                }
                Ok(Message::Failed(e)) => self.failed = Some(e),
                // The thread is done: the end of the stream.
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.chunk.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_gzip_file_reads_back_whole_and_a_plain_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let text: Vec<u8> = (0..300_000u32)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        let gz = dir.path().join("a.gz");
        let mut enc =
            flate2::write::GzEncoder::new(File::create(&gz).unwrap(), flate2::Compression::fast());
        enc.write_all(&text).unwrap();
        enc.finish().unwrap();
        let progress = Rc::new(Cell::new(0));
        let (c, mut r) = spawn(&gz, progress.clone(), None).unwrap();
        assert_eq!(c, Compression::Gzip);
        let mut back = Vec::new();
        r.read_to_end(&mut back).unwrap();
        assert_eq!(back, text);
        assert_eq!(progress.get(), std::fs::metadata(&gz).unwrap().len());
        let plain = dir.path().join("a.txt");
        std::fs::write(&plain, &text).unwrap();
        assert!(spawn(&plain, progress, None).is_none());
    }

    #[test]
    fn a_truncated_gzip_file_ends_in_an_error_after_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let text = vec![b'a'; 3 * CHUNK];
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&text).unwrap();
        let mut bytes = enc.finish().unwrap();
        bytes.truncate(bytes.len() - 10);
        let gz = dir.path().join("cut.gz");
        std::fs::write(&gz, &bytes).unwrap();
        let (_, mut r) = spawn(&gz, Rc::new(Cell::new(0)), None).unwrap();
        let mut back = Vec::new();
        assert!(r.read_to_end(&mut back).is_err());
        assert!(back.len() <= text.len());
    }
}

//! A hash of a file's whole content, taken from the bytes an import reads
//! anyway.
//!
//! The checkpoint that finds a file again uses only its size and ends
//! (cheap for gigabytes); a fix in the middle of an archive keeps both, so a
//! completed import also records the hash of every byte of the file as it is
//! on disk, compressed or not, and a rerun compares it before skipping. The
//! hash is fed by the readers of the file itself ([`ContentHash::reader`]),
//! so a first import does not read its file twice: reading happens on the
//! walker's thread or on the decompressing one, a resumed plain file starts
//! mid-file, and a zip on disk is read through its central directory, so
//! the tap keeps the hash of the longest prefix it has seen, reads any gap
//! itself, and [`finish`](ContentHash::finish) reads whatever no reader got
//! to.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use xxhash_rust::xxh3::Xxh3;

const CHUNK: usize = 1024 * 1024;

/// The 128-bit xxh3 of a whole file: what [`ContentHash::finish`] returns
/// for a file read in any order.
pub fn hash_file(path: &Path) -> io::Result<u128> {
    let mut hasher = Xxh3::new();
    hash_rest(&mut File::open(path)?, &mut hasher)?;
    Ok(hasher.digest128())
}

/// Feeds `file` from where it stands to its end.
fn hash_rest(file: &mut File, hasher: &mut Xxh3) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => {
                hasher.update(&buf[..n]);
                total += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The hash of one file being read, shared by every reader of it (one may
/// be on the decompressing thread).
#[derive(Clone)]
pub struct ContentHash(Arc<Mutex<Tap>>);

struct Tap {
    path: PathBuf,
    /// The hash of the file's first `hashed` bytes; `None` once a gap could
    /// not be read or the hash was finished (later reads are ignored then).
    hasher: Option<Box<Xxh3>>,
    hashed: u64,
    /// A gap could not be read: `finish` hashes the whole file instead.
    failed: bool,
}

impl ContentHash {
    pub fn new(path: &Path) -> ContentHash {
        ContentHash(Arc::new(Mutex::new(Tap {
            path: path.to_path_buf(),
            hasher: Some(Box::new(Xxh3::new())),
            hashed: 0,
            failed: false,
        })))
    }

    fn tap(&self) -> MutexGuard<'_, Tap> {
        // A reader that panicked mid-update leaves a hash no worse than a
        // gap: `feed` and `finish` still check where it stands.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `inner` reads the file from byte `at` on; what it reads is hashed.
    pub fn reader<R: Read>(&self, inner: R, at: u64) -> Tapped<R> {
        Tapped {
            inner,
            at,
            hash: self.clone(),
        }
    }

    fn feed(&self, at: u64, bytes: &[u8]) {
        let mut tap = self.tap();
        let tap = &mut *tap;
        let Some(hasher) = tap.hasher.as_mut() else {
            return;
        };
        if at > tap.hashed {
            // A reader that starts past the hashed prefix (a resumed file):
            // the bytes it skips are read here, once.
            match read_range(&tap.path, tap.hashed, at, hasher) {
                Ok(()) => tap.hashed = at,
                Err(_) => {
                    tap.hasher = None;
                    tap.failed = true;
                    return;
                }
            }
        }
        let end = at + bytes.len() as u64;
        if end > tap.hashed {
            hasher.update(&bytes[(tap.hashed - at) as usize..]);
            tap.hashed = end;
        }
    }

    /// The hash of the whole file: the prefix the readers saw, then the rest
    /// read to its end. Later reads through this tap are ignored.
    pub fn finish(&self) -> io::Result<u128> {
        let mut tap = self.tap();
        let Some(mut hasher) = tap.hasher.take() else {
            if tap.failed {
                return hash_file(&tap.path);
            }
            return Err(io::Error::other("the content hash was finished already"));
        };
        let mut file = File::open(&tap.path)?;
        file.seek(SeekFrom::Start(tap.hashed))?;
        hash_rest(&mut file, &mut hasher)?;
        Ok(hasher.digest128())
    }
}

fn read_range(path: &Path, from: u64, to: u64, hasher: &mut Xxh3) -> io::Result<()> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; CHUNK];
    let mut left = to - from;
    while left > 0 {
        let want = left.min(CHUNK as u64) as usize;
        match file.read(&mut buf[..want]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                hasher.update(&buf[..n]);
                left -= n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A reader of the file that hashes what it reads.
pub struct Tapped<R> {
    inner: R,
    at: u64,
    hash: ContentHash,
}

impl<R: Read> Read for Tapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.feed(self.at, &buf[..n]);
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, len: usize) -> (PathBuf, Vec<u8>) {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let path = dir.join("f");
        std::fs::write(&path, &bytes).unwrap();
        (path, bytes)
    }

    #[test]
    fn any_order_of_reading_gives_the_whole_files_hash() {
        let dir = tempfile::tempdir().unwrap();
        let (path, bytes) = file(dir.path(), 3 * CHUNK + 123);
        let whole = hash_file(&path).unwrap();
        assert_eq!(whole, xxhash_rust::xxh3::xxh3_128(&bytes));

        // Read to the end by one reader.
        let hash = ContentHash::new(&path);
        let mut sink = Vec::new();
        hash.reader(File::open(&path).unwrap(), 0)
            .read_to_end(&mut sink)
            .unwrap();
        assert_eq!(hash.finish().unwrap(), whole);

        // A head read, then a reader resuming past it (the gap is read by
        // the tap), then one going back over hashed bytes (ignored), and
        // the end never read (read by `finish`).
        let hash = ContentHash::new(&path);
        let mut head = vec![0u8; 1000];
        hash.reader(File::open(&path).unwrap(), 0)
            .read_exact(&mut head)
            .unwrap();
        let mut f = File::open(&path).unwrap();
        f.seek(SeekFrom::Start(2 * CHUNK as u64)).unwrap();
        let mut part = vec![0u8; 5000];
        hash.reader(f, 2 * CHUNK as u64)
            .read_exact(&mut part)
            .unwrap();
        let mut again = vec![0u8; 300];
        hash.reader(File::open(&path).unwrap(), 0)
            .read_exact(&mut again)
            .unwrap();
        assert_eq!(hash.finish().unwrap(), whole);
        // Finished: nothing more is fed, and a second finish is an error.
        let mut more = vec![0u8; 10];
        hash.reader(File::open(&path).unwrap(), 0)
            .read_exact(&mut more)
            .unwrap();
        assert!(hash.finish().is_err());

        // Nothing read through it at all (a zip read by its directory).
        assert_eq!(ContentHash::new(&path).finish().unwrap(), whole);
    }

    #[test]
    fn one_changed_byte_changes_the_hash() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut bytes) = file(dir.path(), 200_000);
        let before = hash_file(&path).unwrap();
        bytes[100_000] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_ne!(hash_file(&path).unwrap(), before);
    }
}

//! Where an import stands: resume points, and how a file is recognised as
//! one already read.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// How far a file or member has been imported, stored beside the counts it
/// covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Checkpoint {
    pub(super) records: u64,
    pub(super) offset: u64,
    pub(super) complete: bool,
    /// The hash of the file's whole content when it was imported whole (see
    /// [`content_hash`](crate::sources::content_hash)); `None` for a member,
    /// a file not read to its end, or one imported by a release that did
    /// not keep it.
    pub(super) content: Option<u128>,
}

impl Checkpoint {
    pub(super) fn encode(self) -> Vec<u8> {
        let mut v = self.records.to_le_bytes().to_vec();
        v.push(self.complete as u8);
        v.extend_from_slice(&self.offset.to_le_bytes());
        if let Some(content) = self.content {
            v.extend_from_slice(&content.to_le_bytes());
        }
        v
    }

    /// Reads this layout and the older ones: 9 bytes in the first release
    /// (records and the complete flag), 17 until the content hash (no hash).
    pub(super) fn decode(bytes: Option<&[u8]>) -> Checkpoint {
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        match bytes {
            Some(b) if matches!(b.len(), 9 | 17 | 33) => Checkpoint {
                records: word(&b[..8]),
                complete: b[8] == 1,
                offset: if b.len() >= 17 { word(&b[9..17]) } else { 0 },
                content: b
                    .get(17..33)
                    .and_then(|h| h.try_into().ok())
                    .map(u128::from_le_bytes),
            },
            _ => Checkpoint::default(),
        }
    }
}

/// Where a `--rejects` file stands in a store, under the checkpoint name
/// [`rejects_name`]: its length when the store last committed, and whether a
/// run was writing to it then. A run that dies (a kill, a failed write)
/// leaves `writing` set and, past `len`, the rejected lines of records it
/// read but never committed; a rerun reads those records again, so it cuts
/// the file back to `len` first. A run that ends clears `writing`: what
/// another writer adds after that (a dry run, an import into another store)
/// is then left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RejectsMark {
    pub(super) len: u64,
    pub(super) writing: bool,
}

impl RejectsMark {
    pub(super) fn encode(self) -> Vec<u8> {
        let mut v = self.len.to_le_bytes().to_vec();
        v.push(self.writing as u8);
        v
    }

    /// `None` for anything else than the 9 bytes written by `encode`: a
    /// file of unknown standing is appended to, never cut.
    pub(super) fn decode(bytes: Option<&[u8]>) -> Option<RejectsMark> {
        match bytes? {
            b if b.len() == 9 => Some(RejectsMark {
                len: u64::from_le_bytes(b[..8].try_into().ok()?),
                writing: b[8] == 1,
            }),
            _ => None,
        }
    }
}

/// The checkpoint name of a rejects file: `rejects:` and its absolute path,
/// apart from the `file:` checkpoints of inputs and the `feed:` ones of
/// `poll`. Absolute, so the same file named from another folder is the same.
pub fn rejects_name(absolute: &Path) -> String {
    format!("rejects:{}", absolute.display())
}

/// Identifies a regular file by its size and a hash of its first and last
/// 64 KiB: cheap for a file of gigabytes, and unchanged when the file is
/// copied or renamed (unlike a modification time). It only finds the
/// checkpoint: a fix in the middle of an archive keeps both, so whether a
/// file imported whole still holds what was imported is decided by the hash
/// of its whole content kept with the checkpoint. A pipe or device has no
/// fingerprint (reading its ends would consume it), so it is never skipped.
pub(super) fn fingerprint(path: &Path) -> io::Result<Option<String>> {
    const BLOCK: u64 = 64 * 1024;
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    let size = meta.len();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; BLOCK as usize];
    let n = read_up_to(&mut file, &mut buf)?;
    hasher.update(&buf[..n]);
    if size > BLOCK {
        file.seek(SeekFrom::Start(size.saturating_sub(BLOCK).max(BLOCK)))?;
        let n = read_up_to(&mut file, &mut buf)?;
        hasher.update(&buf[..n]);
    }
    Ok(Some(format!("file:{size}:{:016x}", hasher.digest())))
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
    fn checkpoints_round_trip_and_read_the_old_layouts() {
        for content in [None, Some(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210)] {
            let cp = Checkpoint {
                records: 123_456,
                offset: 98_765_432,
                complete: true,
                content,
            };
            assert_eq!(Checkpoint::decode(Some(&cp.encode())), cp);
        }
        assert_eq!(Checkpoint::decode(Some(b"junk")), Checkpoint::default());
        let mut old = 42u64.to_le_bytes().to_vec();
        old.push(1);
        let first = Checkpoint {
            records: 42,
            offset: 0,
            complete: true,
            content: None,
        };
        assert_eq!(Checkpoint::decode(Some(&old)), first);
        old.extend_from_slice(&7u64.to_le_bytes());
        assert_eq!(
            Checkpoint::decode(Some(&old)),
            Checkpoint { offset: 7, ..first }
        );
    }

    #[test]
    fn rejects_marks_round_trip_and_anything_else_reads_as_none() {
        for mark in [
            RejectsMark {
                len: 1 << 40,
                writing: true,
            },
            RejectsMark {
                len: 0,
                writing: false,
            },
        ] {
            assert_eq!(RejectsMark::decode(Some(&mark.encode())), Some(mark));
        }
        assert_eq!(RejectsMark::decode(None), None);
        assert_eq!(RejectsMark::decode(Some(&[1; 17])), None);
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
        assert_eq!(fingerprint(dir.path()).unwrap(), None);
    }
}

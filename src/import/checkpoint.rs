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
    /// [`content_hash`](crate::sources::content_hash)); for a member, that
    /// of the file it was read from when that was a re-read of changed
    /// content (which member checkpoints a resumed re-read can trust).
    /// `None` for any other member, a file not read to its end, or one
    /// imported by a release that did not keep it.
    pub(super) content: Option<u128>,
    /// The records whose rejected lines a `--rejects` file holds already.
    pub(super) rejects: Option<RejectsSpan>,
}

impl Checkpoint {
    pub(super) fn encode(self) -> Vec<u8> {
        let mut v = self.records.to_le_bytes().to_vec();
        v.push(self.complete as u8);
        v.extend_from_slice(&self.offset.to_le_bytes());
        if let Some(content) = self.content {
            v.extend_from_slice(&content.to_le_bytes());
        }
        if let Some(span) = self.rejects {
            for word in [span.file, span.from, span.to] {
                v.extend_from_slice(&word.to_le_bytes());
            }
        }
        v
    }

    /// Reads this layout (17 bytes, then 16 of content hash and 24 of
    /// rejects span when there are, told apart by the length) and the first
    /// release's 9 (records and the complete flag, no offset).
    pub(super) fn decode(bytes: Option<&[u8]>) -> Checkpoint {
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        let Some(b) = bytes.filter(|b| matches!(b.len(), 9 | 17 | 33 | 41 | 57)) else {
            return Checkpoint::default();
        };
        let (content, span) = match b.len() {
            33 => (b.get(17..33), None),
            41 => (None, b.get(17..41)),
            57 => (b.get(17..33), b.get(33..57)),
            _ => (None, None),
        };
        Checkpoint {
            records: word(&b[..8]),
            complete: b[8] == 1,
            offset: b.get(9..17).map_or(0, word),
            content: content
                .and_then(|h| h.try_into().ok())
                .map(u128::from_le_bytes),
            rejects: span.map(|s| RejectsSpan {
                file: word(&s[..8]),
                from: word(&s[8..16]),
                to: word(&s[16..]),
            }),
        }
    }
}

/// Records `from..=to` of a file or member (as it is: a changed file's
/// spans are dropped) whose rejected lines were written to the rejects
/// file known by `file` (see [`rejects_id`]): a rerun that reads them
/// again, `--force` or a resume, does not write them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RejectsSpan {
    pub(super) file: u64,
    pub(super) from: u64,
    pub(super) to: u64,
}

impl RejectsSpan {
    /// The records of `old` and those this run read, `from..=to`, when
    /// both are of one rejects file and the two spans touch; this run's
    /// alone otherwise. `None` when this run read none and `old` is not of
    /// its rejects file.
    pub(super) fn merge(
        old: Option<RejectsSpan>,
        file: u64,
        from: u64,
        to: u64,
    ) -> Option<RejectsSpan> {
        let ours = (to >= from).then_some(RejectsSpan { file, from, to });
        let Some(old) = old.filter(|o| o.file == file) else {
            return ours;
        };
        match ours {
            None => Some(old),
            Some(o) if o.from <= old.to.saturating_add(1) && old.from <= o.to.saturating_add(1) => {
                Some(RejectsSpan {
                    file,
                    from: o.from.min(old.from),
                    to: o.to.max(old.to),
                })
            }
            Some(o) => Some(o),
        }
    }

    pub(super) fn holds(&self, record: u64) -> bool {
        (self.from..=self.to).contains(&record)
    }
}

/// Where a `--rejects` file stands in a store, under the checkpoint name
/// [`rejects_name`]: its length when the store last committed, whether a
/// run was writing to it then, and which of its lives it is in. A run that
/// dies (a kill, a failed write) leaves `writing` set and, past `len`, the
/// rejected lines of records it read but never committed; a rerun reads
/// those records again, so it cuts the file back to `len` first. A run that
/// ends clears `writing`: what another writer adds after that (a dry run,
/// an import into another store) is then left alone. A file found shorter
/// than `len` was cut or replaced by hand: it starts a new `epoch`, and the
/// lines the store's checkpoints say it holds are written again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RejectsMark {
    pub(super) len: u64,
    pub(super) writing: bool,
    pub(super) epoch: u64,
}

impl RejectsMark {
    pub(super) fn encode(self) -> Vec<u8> {
        let mut v = self.len.to_le_bytes().to_vec();
        v.push(self.writing as u8);
        v.extend_from_slice(&self.epoch.to_le_bytes());
        v
    }

    /// `None` for anything else than the 17 bytes written by `encode` or
    /// the 9 of the release before epochs (epoch 0): a file of unknown
    /// standing is appended to, never cut.
    pub(super) fn decode(bytes: Option<&[u8]>) -> Option<RejectsMark> {
        let b = bytes.filter(|b| b.len() == 9 || b.len() == 17)?;
        Some(RejectsMark {
            len: u64::from_le_bytes(b[..8].try_into().ok()?),
            writing: b[8] == 1,
            epoch: match b.get(9..17) {
                Some(e) => u64::from_le_bytes(e.try_into().ok()?),
                None => 0,
            },
        })
    }

    /// The epoch of a file now `len` bytes long, given its mark.
    pub(super) fn epoch_at(mark: Option<RejectsMark>, len: u64) -> u64 {
        match mark {
            Some(m) if m.len > len => m.epoch + 1,
            Some(m) => m.epoch,
            None => 0,
        }
    }
}

/// Names one life of a rejects file (its checkpoint name and epoch) in the
/// spans of input checkpoints.
pub(super) fn rejects_id(name: &str, epoch: u64) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(name.as_bytes());
    hasher.update(&epoch.to_le_bytes());
    hasher.digest()
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
        let span = RejectsSpan {
            file: 99,
            from: 3,
            to: 1 << 40,
        };
        for content in [None, Some(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210)] {
            for rejects in [None, Some(span)] {
                let cp = Checkpoint {
                    records: 123_456,
                    offset: 98_765_432,
                    complete: true,
                    content,
                    rejects,
                };
                assert_eq!(Checkpoint::decode(Some(&cp.encode())), cp);
            }
        }
        assert_eq!(Checkpoint::decode(Some(b"junk")), Checkpoint::default());
        let mut old = 42u64.to_le_bytes().to_vec();
        old.push(1);
        let first = Checkpoint {
            records: 42,
            complete: true,
            ..Checkpoint::default()
        };
        assert_eq!(Checkpoint::decode(Some(&old)), first);
        old.extend_from_slice(&7u64.to_le_bytes());
        assert_eq!(
            Checkpoint::decode(Some(&old)),
            Checkpoint { offset: 7, ..first }
        );
    }

    #[test]
    fn spans_of_one_rejects_file_merge_when_they_touch() {
        let span = |file, from, to| Some(RejectsSpan { file, from, to });
        // A resume goes on where the span ends; --force covers it again.
        assert_eq!(
            RejectsSpan::merge(span(1, 1, 20), 1, 21, 60),
            span(1, 1, 60)
        );
        assert_eq!(RejectsSpan::merge(span(1, 1, 60), 1, 1, 30), span(1, 1, 60));
        // Read nothing yet: what the file held stays.
        assert_eq!(RejectsSpan::merge(span(1, 1, 60), 1, 1, 0), span(1, 1, 60));
        // A gap, or another file: this run's alone.
        assert_eq!(
            RejectsSpan::merge(span(1, 1, 20), 1, 30, 40),
            span(1, 30, 40)
        );
        assert_eq!(
            RejectsSpan::merge(span(2, 1, 60), 1, 21, 40),
            span(1, 21, 40)
        );
        assert_eq!(RejectsSpan::merge(span(2, 1, 60), 1, 21, 20), None);
        assert!(span(1, 5, 9).unwrap().holds(5) && !span(1, 5, 9).unwrap().holds(10));
    }

    #[test]
    fn rejects_marks_round_trip_and_anything_else_reads_as_none() {
        for mark in [
            RejectsMark {
                len: 1 << 40,
                writing: true,
                epoch: 3,
            },
            RejectsMark {
                len: 0,
                writing: false,
                epoch: 0,
            },
        ] {
            assert_eq!(RejectsMark::decode(Some(&mark.encode())), Some(mark));
        }
        let mut before_epochs = 10u64.to_le_bytes().to_vec();
        before_epochs.push(1);
        assert_eq!(
            RejectsMark::decode(Some(&before_epochs)),
            Some(RejectsMark {
                len: 10,
                writing: true,
                epoch: 0
            })
        );
        assert_eq!(RejectsMark::decode(None), None);
        assert_eq!(RejectsMark::decode(Some(&[1; 18])), None);
        // Shorter than recorded: cut or replaced by hand, a new life.
        let mark = RejectsMark::decode(Some(&before_epochs));
        assert_eq!(RejectsMark::epoch_at(mark, 9), 1);
        assert_eq!(RejectsMark::epoch_at(mark, 10), 0);
        assert_eq!(RejectsMark::epoch_at(mark, 50), 0);
        assert_ne!(rejects_id("rejects:/a", 0), rejects_id("rejects:/a", 1));
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

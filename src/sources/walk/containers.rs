//! Containers: tar and zip, at any depth, read as streams. Members are
//! named (and checkpointed) by their index and path; media and a
//! collector's temporary files are skipped by name before anything is read.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use super::{
    display_path, Counting, End, Flow, MemberKind, PathPart, Resume, Sink, Walker, MAX_OWNER_FILE,
    READ_BUFFER,
};
use crate::sources::decode::Compression;

/// Files inside archives and exports that are never posts.
const NOT_POSTS: [&str; 22] = [
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "ico", "svg", "mp4", "mov", "m4v", "webm", "mp3",
    "m4a", "wav", "html", "htm", "css", "woff", "woff2", "ttf", "pdf",
];

/// A tar member read to the size its header declares. The tar crate ends a
/// member quietly where the archive ends, so in an archive cut short the
/// last member's cut line or row would be read as whole (a CSV row cut
/// mid-text is still a row); cut short, it is an unexpected end, as a
/// truncated gzip stream is, and its reader drops the partial record.
struct Declared<R> {
    inner: R,
    left: u64,
    size: u64,
}

impl<R> Declared<R> {
    fn new(inner: R, size: u64) -> Self {
        Declared {
            inner,
            left: size,
            size,
        }
    }
}

impl<R: Read> Read for Declared<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.left > 0 && !buf.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "the tar archive ends inside this member, {} of its {} bytes read",
                    self.size - self.left,
                    self.size
                ),
            ));
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

impl<S: Sink> Walker<'_, S> {
    /// A zip on disk is read through its central directory (which streaming
    /// cannot see); `None` when the file is not a zip.
    pub(super) fn try_zip_file(
        &mut self,
        file_path: &Path,
        path: &mut Vec<PathPart>,
    ) -> Result<Option<Flow>, S::Error> {
        let mut magic = [0u8; 4];
        let is_zip = File::open(file_path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .is_ok()
            && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06");
        if !is_zip {
            return Ok(None);
        }
        let file = match File::open(file_path) {
            Ok(f) => f,
            Err(e) => {
                let error = Some(format!("cannot open: {e}"));
                self.sink.end(
                    path,
                    End {
                        error,
                        ..End::default()
                    },
                )?;
                return Ok(Some(Flow::Continue));
            }
        };
        let reader = BufReader::with_capacity(
            READ_BUFFER,
            Counting {
                inner: file,
                count: self.bytes.clone(),
            },
        );
        self.sink.begin(
            path,
            MemberKind::Container {
                compression: Compression::None,
                container: "zip",
            },
        )?;
        let (flow, error) = self.walk_zip_archive(reader, path, 0)?;
        if flow == Flow::Continue {
            self.sink.end(
                path,
                End {
                    error,
                    ..End::default()
                },
            )?;
        }
        Ok(Some(flow))
    }

    /// A member of a container: skipped by name, by the sink's checkpoint,
    /// or read as a stream of its own.
    fn walk_member(
        &mut self,
        reader: &mut dyn Read,
        path: &mut Vec<PathPart>,
        depth: usize,
    ) -> Result<Flow, S::Error> {
        let name = path.last().map(|p| p.name.as_str()).unwrap_or_default();
        if let Some(why) = skipped_by_name(name) {
            return self.skip(path, why, false);
        }
        let resume = match self.sink.open(path)? {
            Resume::Skip => return Ok(Flow::Continue),
            Resume::From(r) => r,
        };
        let reader = BufReader::with_capacity(64 * 1024, reader);
        self.walk_stream(Box::new(reader), path, resume, depth + 1, None, None)
    }

    pub(super) fn walk_tar(
        &mut self,
        reader: &mut dyn Read,
        path: &mut Vec<PathPart>,
        depth: usize,
    ) -> Result<(Flow, Option<String>), S::Error> {
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return Ok((Flow::Continue, Some(format!("corrupt tar: {e}")))),
        };
        let mut last = String::new();
        for (index, entry) in entries.enumerate() {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let after = if last.is_empty() {
                        "at its start".to_string()
                    } else {
                        format!("after {last}")
                    };
                    return Ok((
                        Flow::Continue,
                        Some(format!("corrupt tar entry {after}: {e}")),
                    ));
                }
            };
            use tar::EntryType;
            if !matches!(
                entry.header().entry_type(),
                EntryType::Regular | EntryType::Continuous
            ) {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            last.clone_from(&name);
            path.push(PathPart {
                index: index as u64,
                name,
            });
            let declared = entry.size();
            let mut member = Declared::new(&mut entry, declared);
            let flow = self.walk_member(&mut member, path, depth)?;
            path.pop();
            if flow == Flow::Stop {
                return Ok((Flow::Stop, None));
            }
        }
        Ok((Flow::Continue, None))
    }

    /// A zip inside another container, read from its local headers.
    pub(super) fn walk_zip_stream(
        &mut self,
        mut reader: &mut dyn Read,
        path: &mut Vec<PathPart>,
        depth: usize,
    ) -> Result<(Flow, Option<String>), S::Error> {
        let mut index = 0u64;
        loop {
            let mut file = match zip::read::read_zipfile_from_stream(&mut reader) {
                Ok(Some(f)) => f,
                Ok(None) => return Ok((Flow::Continue, None)),
                Err(e) => return Ok((Flow::Continue, Some(format!("corrupt zip entry: {e}")))),
            };
            index += 1;
            if file.is_dir() {
                continue;
            }
            let name = String::from_utf8_lossy(file.name_raw()).into_owned();
            path.push(PathPart { index, name });
            let flow = self.walk_member(&mut file, path, depth)?;
            path.pop();
            if flow == Flow::Stop {
                return Ok((Flow::Stop, None));
            }
        }
    }

    fn walk_zip_archive<R: Read + Seek>(
        &mut self,
        reader: R,
        path: &mut Vec<PathPart>,
        depth: usize,
    ) -> Result<(Flow, Option<String>), S::Error> {
        let mut zip = match zip::ZipArchive::new(reader) {
            Ok(z) => z,
            Err(e) => return Ok((Flow::Continue, Some(format!("corrupt zip: {e}")))),
        };
        // The export's owner files may come after tweets.js in the zip.
        let owner_files: Vec<usize> = (0..zip.len())
            .filter(|&i| {
                zip.name_for_index(i)
                    .and_then(Result::ok)
                    .is_some_and(|n| n.ends_with("account.js") || n.ends_with("profile.js"))
            })
            .collect();
        for i in owner_files {
            if let Ok(file) = zip.by_index(i) {
                let mut bytes = Vec::new();
                if file.take(MAX_OWNER_FILE).read_to_end(&mut bytes).is_ok() {
                    self.owner.absorb(&bytes);
                }
            }
        }
        let mut error = None;
        for i in 0..zip.len() {
            let name = zip
                .name_for_index(i)
                .and_then(Result::ok)
                .map(|n| n.into_owned())
                .unwrap_or_else(|| format!("#{i}"));
            if name.ends_with('/') {
                continue;
            }
            path.push(PathPart {
                index: i as u64,
                name,
            });
            let flow = match zip.by_index(i) {
                Ok(mut file) => self.walk_member(&mut file, path, depth)?,
                Err(e) => {
                    error.get_or_insert_with(|| {
                        format!("corrupt zip entry {}: {e}", display_path(path))
                    });
                    Flow::Continue
                }
            };
            path.pop();
            if flow == Flow::Stop {
                return Ok((Flow::Stop, None));
            }
        }
        Ok((Flow::Continue, error))
    }
}

/// Members that are never posts, by name: temporary files left by an
/// interrupted download or collector (`.05.json.bz2.PTrPs6`), and media.
pub(super) fn skipped_by_name(name: &str) -> Option<&'static str> {
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.starts_with('.') || is_temporary(base) {
        return Some("temporary file");
    }
    let ext = base.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    NOT_POSTS
        .contains(&ext.as_str())
        .then_some("media or page, not tweets")
}

/// `x.json.bz2.PTrPs6`: a known extension followed by a random suffix.
pub(super) fn is_temporary(base: &str) -> bool {
    let Some((stem, suffix)) = base.rsplit_once('.') else {
        return false;
    };
    let known = [".json", ".bz2", ".gz", ".zst", ".jsonl", ".tar"];
    suffix.len() == 6
        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        && suffix.chars().any(|c| c.is_ascii_uppercase())
        && known.iter().any(|k| stem.ends_with(k))
}

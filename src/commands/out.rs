//! Where commands write: a file, standard output (`-`), or a folder of
//! files replaced all together.
//!
//! Every write error names what was being written: "No space left on
//! device" alone does not say which of several outputs filled the disk.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::display;

/// Whether `--out` names standard output, as `-` names standard input for
/// `import` and `score`.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// `path` as an error message names it.
pub fn name(path: &Path) -> String {
    if is_stdout(path) {
        "standard output".to_string()
    } else {
        display(path)
    }
}

/// A CSV writer's error as the I/O error it usually is, so that a reader
/// that stopped early (`| head`) is recognised as such by `main`.
pub fn csv_io(e: csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::other(e.to_string());
    }
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Standard output, remembering whether its reader went away (a broken
/// pipe) even when the error that says so is wrapped in another type.
pub struct WatchedStdout {
    out: BufWriter<io::StdoutLock<'static>>,
    gone: bool,
}

impl WatchedStdout {
    pub fn lock() -> WatchedStdout {
        WatchedStdout {
            out: BufWriter::with_capacity(1 << 20, io::stdout().lock()),
            gone: false,
        }
    }

    pub fn reader_gone(&self) -> bool {
        self.gone
    }

    fn watch<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if matches!(&r, Err(e) if e.kind() == io::ErrorKind::BrokenPipe) {
            self.gone = true;
        }
        r
    }
}

impl Write for WatchedStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.out.write(buf);
        self.watch(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.out.flush();
        self.watch(r)
    }
}

/// The files of one folder, replaced all or nothing.
///
/// Each file is written to a hidden temporary name in the folder itself
/// (so that renaming it is a rename within one file system, never a copy);
/// only when every file has been written whole are they renamed over the
/// old ones. A failure before that (a full disk, a name taken by a folder)
/// removes the temporaries and leaves the folder as it was. Renaming is
/// one step per file, so a reader may glimpse new files beside old ones
/// for a moment, and a rename can still fail halfway (another process
/// putting a folder where a file goes): the error then says which files
/// were replaced.
pub struct StagedFolder {
    dir: PathBuf,
    /// The folder did not exist: remove it again if nothing lands in it.
    created: bool,
    /// (temporary, final) paths, in the order written.
    files: Vec<(PathBuf, PathBuf)>,
}

impl StagedFolder {
    /// Opens `dir`, creating it (and its parents) when missing; a file
    /// there is refused by name rather than as "File exists".
    pub fn open(dir: &Path) -> Result<StagedFolder> {
        let created = match fs::metadata(dir) {
            Ok(m) if m.is_dir() => false,
            Ok(_) => anyhow::bail!(
                "cannot write to {}: it is a file, not a folder",
                display(dir)
            ),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", display(dir)))?;
                true
            }
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", display(dir))),
        };
        Ok(StagedFolder {
            dir: dir.to_path_buf(),
            created,
            files: Vec::new(),
        })
    }

    /// Writes `name` under its temporary name with `fill`.
    pub fn write(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<()> {
        let path = self.dir.join(name);
        // A folder in the way would only be found at the rename, after
        // other files had been replaced: refuse it before any is.
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            anyhow::bail!("cannot write {}: a folder has that name", display(&path));
        }
        let temp = self
            .dir
            .join(format!(".{name}.{}.outcry-tmp", std::process::id()));
        let file =
            File::create(&temp).with_context(|| format!("cannot create {}", display(&temp)))?;
        self.files.push((temp, path.clone()));
        let mut w = BufWriter::new(file);
        fill(&mut w)
            .and_then(|()| w.flush())
            .with_context(|| format!("cannot write {}", display(&path)))?;
        Ok(())
    }

    /// Renames every file written into place.
    pub fn commit(mut self) -> Result<()> {
        let files = std::mem::take(&mut self.files);
        for (i, (temp, path)) in files.iter().enumerate() {
            if let Err(e) = fs::rename(temp, path) {
                // What is left is removed by `drop`.
                self.files = files[i..].to_vec();
                let done: Vec<String> = files[..i]
                    .iter()
                    .filter_map(|(_, p)| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect();
                let replaced = if done.is_empty() {
                    "no file was replaced".to_string()
                } else {
                    format!("{} replaced already", done.join(", "))
                };
                return Err(e)
                    .with_context(|| format!("cannot replace {} ({replaced})", display(path)));
            }
        }
        self.created = false;
        Ok(())
    }
}

impl Drop for StagedFolder {
    fn drop(&mut self) {
        for (temp, _) in &self.files {
            let _ = fs::remove_file(temp);
        }
        if self.created {
            // Only when empty: a folder made for a report that failed.
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn files_appear_only_when_all_are_written() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/report");
        let mut f = StagedFolder::open(&dir).unwrap();
        f.write("one.csv", |w| w.write_all(b"1\n")).unwrap();
        f.write("two.csv", |w| w.write_all(b"2\n")).unwrap();
        // Written, but under hidden names until the commit.
        assert!(names(&dir).iter().all(|n| n.starts_with('.')));
        f.commit().unwrap();
        assert_eq!(names(&dir), vec!["one.csv", "two.csv"]);
        assert_eq!(fs::read_to_string(dir.join("two.csv")).unwrap(), "2\n");
    }

    #[test]
    fn a_failure_leaves_the_old_files_and_no_temporaries() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("one.csv"), "old\n").unwrap();
        let mut f = StagedFolder::open(dir).unwrap();
        f.write("one.csv", |w| w.write_all(b"new\n")).unwrap();
        let e = f
            .write("two.csv", |_| Err(io::Error::other("disk on fire")))
            .unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            format!(
                "cannot write {}: disk on fire",
                dir.join("two.csv").display()
            )
        );
        drop(f);
        assert_eq!(names(dir), vec!["one.csv"]);
        assert_eq!(fs::read_to_string(dir.join("one.csv")).unwrap(), "old\n");

        // A folder where a file goes is refused before anything is renamed.
        fs::create_dir(dir.join("index.html")).unwrap();
        let mut f = StagedFolder::open(dir).unwrap();
        f.write("one.csv", |w| w.write_all(b"new\n")).unwrap();
        let e = f.write("index.html", |w| w.write_all(b"<p>")).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "cannot write {}: a folder has that name",
                dir.join("index.html").display()
            )
        );
        drop(f);
        assert_eq!(names(dir), vec!["index.html", "one.csv"]);
        assert_eq!(fs::read_to_string(dir.join("one.csv")).unwrap(), "old\n");
    }

    #[test]
    fn a_folder_made_for_nothing_is_removed_and_a_file_is_not_a_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new");
        let f = StagedFolder::open(&dir).unwrap();
        assert!(dir.is_dir());
        drop(f);
        assert!(!dir.exists());

        let file = tmp.path().join("afile");
        fs::write(&file, "hi\n").unwrap();
        let e = StagedFolder::open(&file).err().unwrap();
        assert_eq!(
            e.to_string(),
            format!(
                "cannot write to {}: it is a file, not a folder",
                file.display()
            )
        );
    }

    #[test]
    fn a_rename_that_fails_says_what_was_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let mut f = StagedFolder::open(dir).unwrap();
        f.write("one.csv", |w| w.write_all(b"1\n")).unwrap();
        f.write("two.csv", |w| w.write_all(b"2\n")).unwrap();
        // Another process puts a folder in the way after the check.
        fs::create_dir(dir.join("two.csv")).unwrap();
        fs::write(dir.join("two.csv/x"), "").unwrap();
        let e = f.commit().unwrap_err();
        assert!(
            e.to_string().starts_with(&format!(
                "cannot replace {} (one.csv replaced already)",
                dir.join("two.csv").display()
            )),
            "{e:#}"
        );
        assert_eq!(names(dir), vec!["one.csv", "two.csv"]);
    }

    #[test]
    fn dash_is_standard_output() {
        assert!(is_stdout(Path::new("-")));
        assert!(!is_stdout(Path::new("./-")));
        assert_eq!(name(Path::new("-")), "standard output");
        assert_eq!(name(Path::new("a.csv")), "a.csv");
    }
}

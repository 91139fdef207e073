//! Which inputs a command line names.
//!
//! A user points outcry at a file, a folder of collection runs, or `-` for a
//! pipe. Folders are walked in name order so that reruns see the same files in
//! the same order, which keeps summaries and resume points stable. An
//! unpacked Twitter export is recognised by its `data/manifest.js` or
//! `data/account.js` and contributes only its tweet files; media files are
//! never inputs.

use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    /// A file named on the command line.
    File(PathBuf),
    /// A file found in a folder: skipped with a note when it holds no posts.
    Found(PathBuf),
}

impl Input {
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin => None,
            Input::File(p) | Input::Found(p) => Some(p),
        }
    }

    /// Named (or piped) by the user rather than found in a folder.
    pub fn explicit(&self) -> bool {
        !matches!(self, Input::Found(_))
    }

    /// How the input is named in messages (`-` is called `<stdin>`).
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) | Input::Found(p) => p.display().to_string(),
        }
    }
}

/// A path on the command line that names nothing readable.
#[derive(Debug)]
pub struct InputProblem {
    pub path: PathBuf,
    pub reason: String,
}

/// Expands the paths given on the command line. Folders contribute every
/// regular file below them whose name does not start with a dot; what is not
/// an archive is found out (and reported) when it is read.
pub fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputProblem>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                if let Some(files) = export_tweet_files(path) {
                    inputs.extend(files.into_iter().map(Input::Found));
                } else {
                    walk(path, &mut inputs, &mut problems);
                }
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(e) => problems.push(InputProblem {
                path: path.clone(),
                reason: e.to_string(),
            }),
        }
    }
    (inputs, problems)
}

/// Extensions of files that are never posts (an export's media, pages).
const MEDIA: [&str; 20] = [
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "ico", "svg", "mp4", "mov", "m4v", "webm", "mp3",
    "m4a", "wav", "html", "htm", "css", "woff", "woff2",
];

fn is_media(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MEDIA.contains(&e.to_ascii_lowercase().as_str()))
}

/// For an unpacked export (the folder holding `data/`, or `data/` itself):
/// its tweet files, `tweets.js`, `tweets-part1.js`, `tweet.js`,
/// `deleted-tweets.js`… in name order. `None` for any other folder.
fn export_tweet_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let data = [dir.join("data"), dir.to_path_buf()]
        .into_iter()
        .find(|d| d.join("manifest.js").is_file() || d.join("account.js").is_file())?;
    let mut files: Vec<PathBuf> = fs::read_dir(&data)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(".js")
                && ["tweet", "deleted-tweet", "community-tweet"]
                    .iter()
                    .any(|prefix| name.starts_with(prefix))
                && p.is_file()
        })
        .collect();
    files.sort();
    Some(files)
}

/// Every file below `dir`, in name order at each level. Links are followed
/// the way a user would expect `cat` to; a link back to a folder the walk is
/// already inside is reported once instead of walked round and round.
fn walk(dir: &Path, inputs: &mut Vec<Input>, problems: &mut Vec<InputProblem>) {
    let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && is_hidden(e.path());
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !hidden(e));
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() && !is_media(e.path()) => {
                inputs.push(Input::Found(e.into_path()))
            }
            Ok(_) => {}
            // A hidden name that cannot even be read (an editor's lock link,
            // `.#notes.jsonl`, pointing nowhere) is as hidden as the rest.
            Err(e) if e.depth() > 0 && e.path().is_some_and(is_hidden) => {}
            Err(e) => problems.push(walk_problem(dir, &e)),
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn walk_problem(dir: &Path, e: &walkdir::Error) -> InputProblem {
    let path = e.path().unwrap_or(dir).to_path_buf();
    let reason = match (e.loop_ancestor(), e.io_error()) {
        (Some(ancestor), _) => format!(
            "a link back to {}, which holds it: not followed",
            ancestor.display()
        ),
        (None, Some(io)) => io.to_string(),
        (None, None) => e.to_string(),
    };
    InputProblem { path, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_name_order_skipping_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("b")).unwrap();
        fs::write(dir.path().join("b/2.jsonl"), "").unwrap();
        fs::write(dir.path().join("a.jsonl"), "").unwrap();
        fs::write(dir.path().join(".hidden"), "").unwrap();
        fs::write(dir.path().join("cover.JPG"), "").unwrap();
        // An editor's lock link, pointing nowhere: hidden, not a problem.
        std::os::unix::fs::symlink("/no/such/file", dir.path().join("b/.#2.jsonl")).unwrap();
        let (inputs, problems) = expand(&[dir.path().to_path_buf(), PathBuf::from("-")]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            inputs,
            vec![
                Input::Found(dir.path().join("a.jsonl")),
                Input::Found(dir.path().join("b/2.jsonl")),
                Input::Stdin
            ]
        );
        assert!(!inputs[0].explicit());
        assert!(inputs[2].explicit());
    }

    #[test]
    fn an_unpacked_export_contributes_only_its_tweet_files() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir_all(data.join("tweets_media")).unwrap();
        for name in [
            "manifest.js",
            "account.js",
            "like.js",
            "tweets.js",
            "tweets-part1.js",
            "deleted-tweets.js",
        ] {
            fs::write(data.join(name), "").unwrap();
        }
        fs::write(data.join("tweets_media/1-a.jpg"), "").unwrap();
        fs::write(dir.path().join("Your archive.html"), "").unwrap();
        let (inputs, _) = expand(&[dir.path().to_path_buf()]);
        assert_eq!(
            inputs,
            ["deleted-tweets.js", "tweets-part1.js", "tweets.js"]
                .iter()
                .map(|n| Input::Found(data.join(n)))
                .collect::<Vec<_>>()
        );
        let (inputs, _) = expand(std::slice::from_ref(&data));
        assert_eq!(inputs.len(), 3);
    }

    #[test]
    fn a_missing_path_is_a_problem_not_a_panic() {
        let (inputs, problems) = expand(&[PathBuf::from("/no/such/file.jsonl")]);
        assert!(inputs.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, PathBuf::from("/no/such/file.jsonl"));
    }
}

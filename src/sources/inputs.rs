//! Which inputs a command line names.
//!
//! A user points outcry at a file, a folder of collection runs, or `-` for a
//! pipe. Folders are walked in name order so that reruns see the same files in
//! the same order, which keeps summaries and resume points stable.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// How the input is named in messages (`-` is called `<stdin>`).
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
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
                if let Err(e) = walk(path, &mut inputs, &mut problems) {
                    problems.push(InputProblem {
                        path: path.clone(),
                        reason: e.to_string(),
                    });
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

fn walk(dir: &Path, inputs: &mut Vec<Input>, problems: &mut Vec<InputProblem>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follow links the way a user would expect `cat` to.
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                if let Err(e) = walk(&path, inputs, problems) {
                    problems.push(InputProblem {
                        path,
                        reason: e.to_string(),
                    });
                }
            }
            Ok(meta) if meta.is_file() => inputs.push(Input::File(path)),
            Ok(_) => {}
            Err(e) => problems.push(InputProblem {
                path,
                reason: e.to_string(),
            }),
        }
    }
    Ok(())
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
        let (inputs, problems) = expand(&[dir.path().to_path_buf(), PathBuf::from("-")]);
        assert!(problems.is_empty());
        assert_eq!(
            inputs,
            vec![
                Input::File(dir.path().join("a.jsonl")),
                Input::File(dir.path().join("b/2.jsonl")),
                Input::Stdin
            ]
        );
    }

    #[test]
    fn a_missing_path_is_a_problem_not_a_panic() {
        let (inputs, problems) = expand(&[PathBuf::from("/no/such/file.jsonl")]);
        assert!(inputs.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, PathBuf::from("/no/such/file.jsonl"));
    }
}

//! Running the built binary against a throwaway store.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

// The library's own tests build their archives with the same code.
#[path = "../../src/sources/test_archives.rs"]
mod archives;
pub use archives::{gz as gzip, tar, zip};

/// A temporary folder holding a store, and the binary pointed at it.
pub struct Outcry {
    pub dir: tempfile::TempDir,
}

/// The outcome of one run, with its output as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The value printed after a summary label (`posts   8` → "8"), from
    /// the first section that has it.
    pub fn field(&self, label: &str) -> String {
        self.stdout
            .lines()
            .find_map(|l| l.strip_prefix(label).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("no {label:?} in output:\n{}", self.stdout))
    }

    /// (posts, complaints) from the per-topic table of the first section.
    pub fn topic_row(&self, topic: &str) -> Option<(u64, u64)> {
        self.stdout.lines().find_map(|l| {
            let mut parts = l.split_whitespace();
            (parts.next() == Some(topic)).then(|| {
                let posts = parts.next()?.parse().ok()?;
                let complaints = parts.next()?.parse().ok()?;
                Some((posts, complaints))
            })?
        })
    }
}

impl Outcry {
    pub fn new() -> Outcry {
        Outcry {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A store built by `outcry import FIXTURE --no-chart`.
    pub fn imported(rel: &str) -> Outcry {
        let o = Outcry::new();
        let run = o.run(&["import", fixture(rel).to_str().unwrap(), "--no-chart"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        o
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_outcry"));
        cmd.args(args)
            .env("OUTCRY_DB", self.db())
            .env_remove("OUTCRY_LEXICONS")
            .env("COLUMNS", "100")
            .current_dir(self.dir.path());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run outcry"))
    }

    /// A run whose standard error is a pipe nobody reads any more.
    pub fn run_with_stderr_closed(&self, args: &[&str]) -> Run {
        Run::from(
            self.command(args)
                .stderr(closed_pipe())
                .output()
                .expect("run outcry"),
        )
    }

    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn outcry");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
        Run::from(child.wait_with_output().expect("wait outcry"))
    }

    /// `outcry curve … --format csv` parsed into rows of (start, region,
    /// posts, complaints).
    pub fn curve_rows(&self, args: &[&str]) -> Vec<(String, String, u64, u64)> {
        let mut all = vec!["curve"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "csv"]);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "curve failed: {}", run.stderr);
        let mut lines = run.stdout.lines();
        assert_eq!(
            lines.next(),
            Some("start,topic,region,posts,complaints,negative,neutral,positive,mean_sentiment")
        );
        lines
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                let (neg, neu, pos): (u64, u64, u64) = (
                    f[5].parse().unwrap(),
                    f[6].parse().unwrap(),
                    f[7].parse().unwrap(),
                );
                let posts: u64 = f[3].parse().unwrap();
                assert_eq!(neg + neu + pos, posts, "labels must add up to posts in {l}");
                (
                    f[0].to_string(),
                    f[2].to_string(),
                    posts,
                    f[4].parse().unwrap(),
                )
            })
            .collect()
    }
}

/// A pipe whose reader is gone, as `| head -1`'s is once head has its line:
/// every write into it fails with "Broken pipe".
pub fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

pub fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

pub fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

impl Run {
    /// Every value printed after `label`, one per summary section.
    pub fn fields(&self, label: &str) -> Vec<String> {
        self.stdout
            .lines()
            .filter_map(|l| l.strip_prefix(label).map(|v| v.trim().to_string()))
            .collect()
    }
}

/// A day of tweets, a third about Netflix, some complaints, a few hulu.
pub fn big_archive(offset: usize, count: usize) -> Vec<u8> {
    let texts = [
        "netflix is down again, nothing loads #NetflixDown",
        "wrapping the last presents",
        "watching netflix with the kids, love it",
        "hulu works fine tonight",
        "cookies are in the oven",
        "Netflix not working on the PS3 #christmasisruined",
    ];
    let mut out = String::new();
    for i in offset..offset + count {
        let minute = i % (24 * 60);
        out.push_str(&format!(
            r#"{{"created_at":"Mon Dec 24 {:02}:{:02}:{:02} +0000 2012","id_str":"{}","text":"{}","lang":"en","user":{{"screen_name":"u{}","location":"Denver, CO","time_zone":"Mountain Time (US & Canada)","utc_offset":-25200}}}}"#,
            minute / 60,
            minute % 60,
            i % 60,
            283_306_174_100_000_000u64 + i as u64,
            texts[i % texts.len()],
            i % 97
        ));
        out.push('\n');
    }
    out.into_bytes()
}

/// Starts `outcry import --no-chart --commit-every EVERY ARGS…` that pauses
/// after `commits` commits, and returns once it has paused (its store
/// durable, its process waiting for a signal).
pub fn paused_import_every(o: &Outcry, every: &str, args: &[&str], commits: u64) -> Child {
    let mut all = vec!["import", "--no-chart", "--commit-every", every];
    all.extend_from_slice(args);
    let mut child = o
        .command(&all)
        .env("OUTCRY_PAUSE_AFTER_COMMITS", commits.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn outcry");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let paused = format!("outcry: paused after commit {commits}");
    loop {
        match lines.next() {
            Some(Ok(line)) if line.starts_with(&paused) => break,
            Some(Ok(_)) => continue,
            _ => {
                let out = child.wait_with_output().expect("wait");
                panic!(
                    "the import ended before pausing:\n{}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
        }
    }
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    child
}

/// 60 lines, every sixth (0, 6, …, 54) broken: ten rejects, in file order.
pub fn mixed() -> (String, Vec<String>) {
    let mut all = String::new();
    let mut bad = Vec::new();
    for i in 0..60 {
        let line = if i % 6 == 0 {
            format!(r#"{{"bad": line {i}"#)
        } else {
            format!(
                r#"{{"created_at":"Mon Dec 24 20:{i:02}:00 +0000 2012","id_str":"{}","text":"netflix is down","user":{{"screen_name":"a"}}}}"#,
                5000 + i
            )
        };
        if i % 6 == 0 {
            bad.push(format!("{line}\n"));
        }
        all.push_str(&line);
        all.push('\n');
    }
    (all, bad)
}

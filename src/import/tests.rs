//! The parallel reader must store exactly what the one-thread reader does.

use std::io::Write;
use std::path::Path;

use super::*;
use crate::lexicons::Lexicons;
use crate::store::keys::Hour;

/// A load archive with the lines readers trip on mixed in: blank lines, a
/// control message, a damaged line, a repeated tweet, and an overlong line
/// in the middle of a block.
fn archive(dir: &Path) -> std::path::PathBuf {
    let mut body = Vec::new();
    crate::synth::load::write(11, 3000, &mut body).unwrap();
    let lines: Vec<&[u8]> = body
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        out.extend_from_slice(line);
        out.push(b'\n');
        match i {
            10 => out.extend_from_slice(b"\n{\"delete\":{\"status\":{\"id_str\":\"1\"}}}\n"),
            500 => out.extend_from_slice(b"{\"text\": \"cut off\n"),
            900 => {
                out.extend_from_slice(lines[3]);
                out.push(b'\n');
            }
            1200 => {
                out.extend(std::iter::repeat_n(b'x', 17 * 1024 * 1024));
                out.push(b'\n');
            }
            _ => {}
        }
    }
    let path = dir.join("load.jsonl");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&out)
        .unwrap();
    path
}

/// Imports `path` with `workers` and returns everything observable.
fn import(path: &Path, workers: Option<usize>, db: &Path, rejects: &mut Vec<u8>) -> String {
    let store = Store::open(db).unwrap();
    let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
    let mut importer = Importer {
        store: Some(&store),
        counted_without_store: Default::default(),
        pipeline: &pipeline,
        options: ImportOptions {
            commit_every: 97,
            ..ImportOptions::default()
        },
        rejects: Some(RejectSink::new("rejects".into(), rejects, None)),
        progress: None,
        stop: None,
    };
    let s = importer
        .import_with_workers(&Input::File(path.to_path_buf()), workers)
        .unwrap();
    let mut seen = format!(
        "lines {} posts {} control {} dup {} rejected {} {:?} {:?} {:?}\n",
        s.lines,
        s.posts,
        s.control,
        s.duplicates,
        s.rejected,
        s.reject_samples,
        s.per_topic,
        s.error
    );
    for topic in store.stored_topics().unwrap() {
        for row in store.counters(&topic, 0, Hour::MAX) {
            seen.push_str(&format!("{topic} {:?}\n", row.unwrap()));
        }
        for post in store.posts(&topic, 0, Hour::MAX) {
            seen.push_str(&format!("{topic} {:?}\n", post.unwrap()));
        }
    }
    seen.push_str(&format!("{:?}", store.totals().unwrap()));
    seen
}

#[test]
fn workers_store_what_one_thread_stores() {
    let dir = tempfile::tempdir().unwrap();
    let path = archive(dir.path());
    let mut one_rejects = Vec::new();
    let one = import(&path, Some(0), &dir.path().join("one.db"), &mut one_rejects);
    assert!(one.contains("rejected 2"), "{}", &one[..200]);
    for workers in [None, Some(1), Some(3)] {
        let mut rejects = Vec::new();
        let db = dir.path().join(format!("{workers:?}.db"));
        let many = import(&path, workers, &db, &mut rejects);
        assert!(one == many, "workers {workers:?} differ");
        assert!(
            one_rejects == rejects,
            "workers {workers:?}: rejects differ"
        );
    }
    // The overlong line went to the rejects whole, between the others.
    assert!(one_rejects.len() > 17 * 1024 * 1024);
}

/// Counts the commits that reach the store.
#[derive(Default)]
struct Commits(std::cell::Cell<u64>);

impl Progress for Commits {
    fn update(&self, _: u64, _: u64) {}
    fn committed(&self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn a_collection_matching_in_every_line_commits_before_commit_every() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.jsonl");
    let posts = 2 * run::MAX_PENDING_POSTS + 10;
    let mut body = String::new();
    for i in 0..posts {
        body.push_str(&format!(
            "{{\"created_at\":\"Mon Dec 24 20:{:02}:00 +0000 2012\",\"id_str\":\"{i}\",\"text\":\"netflix is down\",\"user\":{{\"screen_name\":\"u\"}}}}\n",
            i % 60
        ));
    }
    std::fs::write(&path, body).unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
    let commits = Commits::default();
    let mut importer = Importer {
        store: Some(&store),
        counted_without_store: Default::default(),
        pipeline: &pipeline,
        options: ImportOptions {
            commit_every: 1_000_000,
            ..ImportOptions::default()
        },
        rejects: None,
        progress: Some(&commits),
        stop: None,
    };
    let s = importer.import(&Input::File(path)).unwrap();
    assert_eq!(s.posts, posts as u64);
    assert_eq!(s.per_topic.iter().map(|t| t.0).sum::<u64>(), posts as u64);
    // Two full batches of matched posts, then the end of the file.
    assert_eq!(commits.0.get(), 3);
    let stored: u64 = store
        .counters("netflix", 0, Hour::MAX)
        .map(|row| row.unwrap().2.posts)
        .sum();
    assert_eq!(stored, posts as u64);
}

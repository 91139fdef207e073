//! The parallel reader must store exactly what the one-thread reader does.

use std::io::Write;
use std::path::Path;

use super::*;
use crate::lexicons::Lexicons;
use crate::sources::content_hash::hash_file;
use crate::sources::test_archives::{gz, tar, zip};
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

/// The checkpoint a store keeps for the file at `path`.
fn stored_checkpoint(store: &Store, path: &Path) -> checkpoint::Checkpoint {
    let name = fingerprint(path).unwrap().unwrap();
    checkpoint::Checkpoint::decode(store.checkpoint(&name).unwrap().as_deref())
}

/// Stops the import after its first commit, as Ctrl-C would.
struct StopAfterFirstCommit<'s>(&'s std::sync::atomic::AtomicBool);

impl Progress for StopAfterFirstCommit<'_> {
    fn update(&self, _: u64, _: u64) {}
    fn committed(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn importer<'a>(store: &'a Store, pipeline: &'a Pipeline, every: u64) -> Importer<'a> {
    Importer {
        store: Some(store),
        counted_without_store: Default::default(),
        pipeline,
        options: ImportOptions {
            commit_every: every,
            ..ImportOptions::default()
        },
        rejects: None,
        progress: None,
        stop: None,
    }
}

/// Whichever way a file is read (on this thread or the decompressing one,
/// through a container, a zip by its directory, a CSV), the hash kept with
/// its completed checkpoint is that of its bytes on disk.
#[test]
fn the_hash_kept_is_the_whole_files_however_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    crate::synth::load::write(5, 400, &mut lines).unwrap();
    let csv: &[u8] = b"id,created_at,text\n1,2012-12-24T20:00:00Z,netflix is down\n2,2012-12-24T21:00:00Z,\"netflix\nstill down\"\n";
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("plain.jsonl", lines.clone()),
        ("day.jsonl.gz", gz(&lines)),
        (
            "month.tar.gz",
            gz(&tar(&[("a.jsonl", &lines), ("b.csv", csv)])),
        ),
        ("export.zip", zip(&[("x.jsonl", &lines), ("y.csv", csv)])),
        ("rows.csv", csv.to_vec()),
    ];
    let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
    for workers in [Some(0), Some(2)] {
        for (name, bytes) in &files {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let store = Store::open(&dir.path().join(format!("{name}-{workers:?}.db"))).unwrap();
            let s = importer(&store, &pipeline, 50)
                .import_with_workers(&Input::File(path.clone()), workers)
                .unwrap();
            assert_eq!(s.error, None, "{name}");
            let cp = stored_checkpoint(&store, &path);
            assert!(cp.complete, "{name} {workers:?}");
            assert_eq!(
                cp.content,
                Some(hash_file(&path).unwrap()),
                "{name} {workers:?}"
            );
        }
    }
}

/// A plain file resumed mid-way is read from the resume point on; the
/// lines before it are hashed without being parsed.
#[test]
fn a_resumed_file_keeps_the_hash_of_all_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.jsonl");
    let mut lines = Vec::new();
    crate::synth::load::write(6, 2000, &mut lines).unwrap();
    std::fs::write(&path, &lines).unwrap();
    let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
    for workers in [Some(0), Some(2)] {
        let store = Store::open(&dir.path().join(format!("{workers:?}.db"))).unwrap();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let stopper = StopAfterFirstCommit(&stop);
        let mut first = importer(&store, &pipeline, 700);
        first.progress = Some(&stopper);
        first.stop = Some(&stop);
        let s = first
            .import_with_workers(&Input::File(path.clone()), workers)
            .unwrap();
        assert!(s.interrupted);
        let cp = stored_checkpoint(&store, &path);
        assert_eq!((cp.records, cp.complete, cp.content), (700, false, None));
        // Far enough in that the resumed reader starts past what the first
        // read of the file's head took in.
        assert!(cp.offset > 1024 * 1024, "{}", cp.offset);
        let s = importer(&store, &pipeline, 700)
            .import_with_workers(&Input::File(path.clone()), workers)
            .unwrap();
        assert_eq!((s.resumed_after, s.lines), (700, 1300));
        let cp = stored_checkpoint(&store, &path);
        assert_eq!(cp.content, Some(hash_file(&path).unwrap()), "{workers:?}");
        let s = importer(&store, &pipeline, 700)
            .import(&Input::File(path.clone()))
            .unwrap();
        assert!(s.already_imported && !s.unverified && !s.changed);
    }
}

/// A checkpoint written before the hash was kept: trusted on size and ends
/// once more, given the hash of what the file holds now, and from then on
/// a change in the middle is noticed.
#[test]
fn an_old_checkpoint_is_trusted_once_and_given_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.jsonl");
    let mut lines = Vec::new();
    crate::synth::load::write(7, 300, &mut lines).unwrap();
    std::fs::write(&path, &lines).unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
    importer(&store, &pipeline, 1000)
        .import(&Input::File(path.clone()))
        .unwrap();
    let name = fingerprint(&path).unwrap().unwrap();
    let mut old = 300u64.to_le_bytes().to_vec();
    old.push(1);
    old.extend_from_slice(&(lines.len() as u64).to_le_bytes());
    let mut pending = PendingCommit::default();
    pending.set_checkpoint(&name, old);
    store.commit(pending).unwrap();
    assert_eq!(stored_checkpoint(&store, &path).content, None);

    // Changed in the middle, same size and ends, before the hash was kept:
    // not noticed (the old release's promise), but the hash is kept now.
    let middle = lines.len() / 2;
    let mut changed = lines.clone();
    changed[middle] = if changed[middle] == b'a' { b'b' } else { b'a' };
    std::fs::write(&path, &changed).unwrap();
    assert_eq!(fingerprint(&path).unwrap().unwrap(), name);
    let s = importer(&store, &pipeline, 1000)
        .import(&Input::File(path.clone()))
        .unwrap();
    assert!(s.already_imported && s.unverified && !s.changed);
    assert_eq!(s.lines, 0);
    assert_eq!(
        stored_checkpoint(&store, &path).content,
        Some(hash_file(&path).unwrap())
    );
    let s = importer(&store, &pipeline, 1000)
        .import(&Input::File(path.clone()))
        .unwrap();
    assert!(s.already_imported && !s.unverified);

    // Changed back: the kept hash no longer matches, so it is read again.
    std::fs::write(&path, &lines).unwrap();
    let s = importer(&store, &pipeline, 1000)
        .import(&Input::File(path.clone()))
        .unwrap();
    assert!(s.changed && !s.already_imported);
    assert_eq!(s.lines, 300);
    assert_eq!(
        stored_checkpoint(&store, &path).content,
        Some(hash_file(&path).unwrap())
    );
}

/// Member `a` with ten rejected lines near its start, member `b` without.
fn members_with_rejects() -> (Vec<u8>, Vec<u8>) {
    let mut a = Vec::new();
    crate::synth::load::write(5, 3000, &mut a).unwrap();
    let mut with_rejects = Vec::new();
    for (i, line) in a
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        with_rejects.extend_from_slice(line);
        with_rejects.push(b'\n');
        if i < 10 {
            with_rejects.extend_from_slice(format!("{{\"text\": \"cut off {i}\n").as_bytes());
        }
    }
    let mut b = Vec::new();
    crate::synth::load::write(6, 3000, &mut b).unwrap();
    (with_rejects, b)
}

/// Imports `old` whole with `--rejects`, replaces it by `new` (same size
/// and ends, so read again as changed), stops that re-read after its first
/// commit, then runs again to the end: the rejects file holds the rejected
/// lines of each content once, and the last run resumes the member the
/// interrupted one was reading instead of reading the container again.
fn interrupted_reread_resumes(name: &str, old: &[u8], new: &[u8], records: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, old).unwrap();
    let rpath = dir.path().join("rejects.txt");
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
    let run = |stop_early: bool| {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&rpath)
            .unwrap();
        let mut w = std::io::BufWriter::new(file);
        let stop = std::sync::atomic::AtomicBool::new(false);
        let stopper = StopAfterFirstCommit(&stop);
        let mut imp = importer(&store, &pipeline, 500);
        imp.rejects = Some(RejectSink::new("r".into(), &mut w, Some(&rpath)));
        if stop_early {
            imp.progress = Some(&stopper);
            imp.stop = Some(&stop);
        }
        let s = imp.import(&Input::File(path.clone())).unwrap();
        drop(imp);
        w.flush().unwrap();
        s
    };
    let rejected = || {
        std::fs::read_to_string(&rpath)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("{\"text\": \"cut off"))
            .count()
    };
    let s = run(false);
    assert!(s.error.is_none());
    assert_eq!((s.lines, rejected()), (records, 10));

    let before = fingerprint(&path).unwrap();
    std::fs::write(&path, new).unwrap();
    assert_eq!(
        fingerprint(&path).unwrap(),
        before,
        "the same size and ends"
    );
    let s = run(true);
    assert!(s.changed && s.interrupted);
    assert_eq!((s.lines, rejected()), (500, 20));

    let s = run(false);
    assert!(s.error.is_none());
    assert!(s.changed && !s.interrupted);
    assert_eq!(s.members_resumed, 1);
    assert_eq!(s.rejects_written_before, 0);
    assert_eq!(s.lines, records - 500);
    assert_eq!(rejected(), 20);
    assert_eq!(
        stored_checkpoint(&store, &path).content,
        Some(hash_file(&path).unwrap())
    );

    let s = run(false);
    assert!(s.already_imported);
    assert_eq!((s.lines, rejected()), (0, 20));
}

#[test]
fn an_interrupted_reread_of_a_changed_tar_resumes_without_rewriting_rejects() {
    let (a, b) = members_with_rejects();
    let records = (a.split(|&c| c == b'\n').count() + b.split(|&c| c == b'\n').count() - 2) as u64;
    let old = tar(&[("a.jsonl", &a), ("b.jsonl", &b)]);
    // One byte of member b's text changed: size and ends stay.
    let mut b2 = b.clone();
    let at = b2.len() / 2 + b2[b2.len() / 2..].iter().position(|&c| c == b'a').unwrap();
    b2[at] = b'b';
    let new = tar(&[("a.jsonl", &a), ("b.jsonl", &b2)]);
    assert_eq!(old.len(), new.len());
    interrupted_reread_resumes("month.tar", &old, &new, records);
}

/// A zip changed in place keeps its ends only when its central directory
/// (which holds every member's CRC) lies outside the 64 KiB the fingerprint
/// reads at the end: here a full-length archive comment puts it there, and
/// stored members keep the size.
#[test]
fn an_interrupted_reread_of_a_changed_zip_resumes_without_rewriting_rejects() {
    let (a, b) = members_with_rejects();
    let records = (a.split(|&c| c == b'\n').count() + b.split(|&c| c == b'\n').count() - 2) as u64;
    let build = |b: &[u8]| {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in [("a.jsonl", &a[..]), ("b.jsonl", b)] {
            z.start_file(name, stored).unwrap();
            z.write_all(data).unwrap();
        }
        z.set_comment("c".repeat(65_535)).unwrap();
        z.finish().unwrap().into_inner()
    };
    let mut b2 = b.clone();
    let at = b2.len() / 2 + b2[b2.len() / 2..].iter().position(|&c| c == b'a').unwrap();
    b2[at] = b'b';
    let (old, new) = (build(&b), build(&b2));
    assert_eq!(old.len(), new.len());
    interrupted_reread_resumes("month.zip", &old, &new, records);
}

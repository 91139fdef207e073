//! The walker against in-memory archives, with a sink that records calls.

use super::containers::is_temporary;
use super::*;
use crate::sources::test_archives::{gz, tar};

#[derive(Default)]
struct Log {
    calls: Vec<String>,
    skip: Vec<String>,
    resume: Vec<(String, ResumePoint)>,
    stop_after: Option<usize>,
    records: usize,
}

impl Sink for Log {
    type Error = std::convert::Infallible;
    fn open(&mut self, path: &[PathPart]) -> Result<Resume, Self::Error> {
        let name = display_path(path);
        if self.skip.contains(&name) {
            return Ok(Resume::Skip);
        }
        let from = self.resume.iter().find(|(n, _)| *n == name).map(|r| r.1);
        Ok(Resume::From(from.unwrap_or_default()))
    }
    fn begin(&mut self, path: &[PathPart], kind: MemberKind) -> Result<(), Self::Error> {
        let what = match kind {
            MemberKind::Posts {
                compression,
                format,
                shape,
            } => {
                format!("{} {} {}", compression.name(), format.name(), shape.name())
            }
            MemberKind::Container {
                compression,
                container,
            } => {
                format!("{} {container}", compression.name())
            }
        };
        self.calls
            .push(format!("begin [{}] {what}", display_path(path)));
        Ok(())
    }
    fn spill(&mut self, bytes: &[u8]) {
        self.calls.push(format!("spill {}", bytes.len()));
    }
    fn record(&mut self, r: &Record, outcomes: &mut Vec<LineOutcome>) -> Result<Flow, Self::Error> {
        let what: Vec<String> = outcomes
            .drain(..)
            .map(|o| match o {
                LineOutcome::Post(p) => format!("post {}", p.id),
                LineOutcome::Control(_) => "control".into(),
                LineOutcome::Blank => "blank".into(),
                LineOutcome::Reject(r) => format!("reject {r}"),
                LineOutcome::Warning(w) => format!("warning {w}"),
            })
            .collect();
        self.calls.push(format!(
            "{}:{} {}",
            display_path(r.path),
            r.line,
            what.join(", ")
        ));
        self.records += 1;
        Ok(if Some(self.records) == self.stop_after {
            Flow::Stop
        } else {
            Flow::Continue
        })
    }
    fn end(&mut self, path: &[PathPart], end: End) -> Result<(), Self::Error> {
        self.calls.push(format!(
            "end [{}] {} {}",
            display_path(path),
            end.records,
            end.error.unwrap_or_default()
        ));
        Ok(())
    }
    fn skipped(&mut self, path: &[PathPart], why: &str, _: bool) -> Result<(), Self::Error> {
        self.calls
            .push(format!("skipped [{}] {why}", display_path(path)));
        Ok(())
    }
}

fn tweet(id: u64) -> String {
    format!(
        r#"{{"created_at":"Mon Dec 24 20:31:07 +0000 2012","id_str":"{id}","text":"netflix is down"}}"#
    )
}

fn bz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn walk_bytes(bytes: Vec<u8>, log: &mut Log) -> (Walked, std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input");
    std::fs::write(&path, bytes).unwrap();
    let walked = Walker::new(log, None, Rc::new(Cell::new(0)))
        .walk(&Input::File(path.clone()))
        .unwrap();
    (walked, path, dir)
}

#[test]
fn a_tar_of_compressed_members_and_a_nested_tar_is_walked_in_order() {
    let minute = format!("{}\n{}\n", tweet(1), tweet(2));
    let inner = tar(&[("24/20/32.json.gz", &gz(tweet(3).as_bytes()))]);
    let outer = tar(&[
        ("24/20/31.json.bz2", &bz(minute.as_bytes())),
        ("24/20/.05.json.bz2.PTrPs6", b"partial"),
        ("24/day.tar", &inner),
    ]);
    let mut log = Log::default();
    let (walked, _, _dir) = walk_bytes(outer, &mut log);
    assert_eq!(walked, Walked::Done);
    assert_eq!(
        log.calls,
        vec![
            "begin [] plain tar",
            "begin [24/20/31.json.bz2] bzip2 twitter-v1 JSON lines",
            "24/20/31.json.bz2:1 post 1",
            "24/20/31.json.bz2:2 post 2",
            "end [24/20/31.json.bz2] 2 ",
            "skipped [24/20/.05.json.bz2.PTrPs6] temporary file",
            "begin [24/day.tar] plain tar",
            "begin [24/day.tar:24/20/32.json.gz] gzip twitter-v1 JSON lines",
            "24/day.tar:24/20/32.json.gz:1 post 3",
            "end [24/day.tar:24/20/32.json.gz] 1 ",
            "end [24/day.tar] 0 ",
            "end [] 0 ",
        ]
    );
}

#[test]
fn skipped_and_resumed_members_are_not_read_again() {
    let lines = format!("{}\n{}\n{}\n", tweet(1), tweet(2), tweet(3));
    let archive = tar(&[("a.json", lines.as_bytes()), ("b.json", lines.as_bytes())]);
    let mut log = Log {
        skip: vec!["a.json".into()],
        resume: vec![(
            "b.json".into(),
            ResumePoint {
                records: 2,
                offset: 0,
            },
        )],
        ..Log::default()
    };
    walk_bytes(archive, &mut log);
    assert_eq!(
        log.calls,
        vec![
            "begin [] plain tar",
            "begin [b.json] plain twitter-v1 JSON lines",
            "b.json:3 post 3",
            "end [b.json] 3 ",
            "end [] 0 ",
        ]
    );
}

#[test]
fn a_plain_file_resumes_by_seeking_and_a_stop_ends_the_walk() {
    let lines = format!("{}\n{}\n{}\n", tweet(1), tweet(2), tweet(3));
    let offset = (tweet(1).len() + 1) as u64;
    let mut log = Log {
        resume: vec![(String::new(), ResumePoint { records: 1, offset })],
        stop_after: Some(1),
        ..Log::default()
    };
    let (walked, _, _dir) = walk_bytes(lines.into_bytes(), &mut log);
    assert_eq!(walked, Walked::Stopped);
    assert_eq!(
        log.calls,
        vec!["begin [] plain twitter-v1 JSON lines", ":2 post 2"]
    );
}

#[test]
fn corrupt_members_end_with_a_reason_and_the_walk_goes_on() {
    let good = gz(format!("{}\n{}\n", tweet(1), tweet(2)).as_bytes());
    let cut = &good[..good.len() - 12];
    let archive = tar(&[
        ("cut.json.gz", cut),
        ("ok.json.gz", &gz(tweet(3).as_bytes())),
    ]);
    let mut log = Log::default();
    walk_bytes(archive, &mut log);
    assert!(
        log.calls
            .contains(&"end [cut.json.gz] 1 truncated gzip stream after line 1".to_string()),
        "{:?}",
        log.calls
    );
    assert!(log.calls.contains(&"ok.json.gz:1 post 3".to_string()));
    // Cut inside its last member, a CSV row cut mid-text is not a row,
    // and a JSON line cut short is not a rejected line: the member ends
    // with the cut, as a truncated gzip stream does.
    let csv = "id,created_at,text\n5,2012-12-24T20:00:00Z,hulu is down\n6,2012-12-24T20:00:00Z,hulu is down for the whole night\n";
    let whole = tar(&[("t.csv", csv.as_bytes())]);
    let cut = 512 + csv.len() - 20;
    let mut log = Log::default();
    walk_bytes(whole[..cut].to_vec(), &mut log);
    assert_eq!(
        log.calls,
        vec![
            "begin [] plain tar",
            "begin [t.csv] plain csv CSV",
            "t.csv:2 post 5",
            "end [t.csv] 1 read error after row 1: the tar archive ends inside this member, 91 of its 111 bytes read",
            "end [] 0 corrupt tar entry after t.csv: unexpected EOF during skip",
        ]
    );
    let lines = format!("{}\n{}\n", tweet(1), tweet(2));
    let whole = tar(&[("t.json", lines.as_bytes())]);
    let mut log = Log::default();
    walk_bytes(whole[..512 + lines.len() - 10].to_vec(), &mut log);
    assert!(
        log.calls.contains(&"t.json:1 post 1".to_string()),
        "{:?}",
        log.calls
    );
    assert!(
        !log.calls.iter().any(|c| c.contains("reject")),
        "{:?}",
        log.calls
    );
    // A tar whose second header is garbage ends with a reason.
    let mut broken = tar(&[
        ("a.json", tweet(1).as_bytes()),
        ("b.json", tweet(2).as_bytes()),
    ]);
    broken[1024 + 2] ^= 0x55;
    let mut log = Log::default();
    walk_bytes(broken, &mut log);
    assert_eq!(
        log.calls.last().map(String::as_str),
        Some("end [] 0 corrupt tar entry after a.json: archive header checksum mismatch")
    );
}

#[test]
fn documents_tables_and_junk_members() {
    let doc = format!("[\n{},\n{}\n]\n", tweet(1), tweet(2));
    let csv = "id,created_at,text\n5,2012-12-24T20:00:00Z,hulu down\n";
    let archive = tar(&[
        ("pretty.json", doc.as_bytes()),
        ("t.csv.gz", &gz(csv.as_bytes())),
        ("photo.jpg", b"\xff\xd8\xff"),
        ("notes.txt", b"nothing here\n"),
    ]);
    let mut log = Log::default();
    walk_bytes(archive, &mut log);
    assert_eq!(
        log.calls,
        vec![
            "begin [] plain tar",
            "begin [pretty.json] plain twitter-v1 JSON document",
            "pretty.json:1 post 1",
            "pretty.json:2 post 2",
            "end [pretty.json] 2 ",
            "begin [t.csv.gz] gzip csv CSV",
            "t.csv.gz:2 post 5",
            "end [t.csv.gz] 1 ",
            "skipped [photo.jpg] media or page, not tweets",
            "skipped [notes.txt] neither JSON nor a tweet CSV (starts \"nothing here\")",
            "end [] 0 ",
        ]
    );
}

#[test]
fn a_zip_on_disk_reads_the_owner_first() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("data/tweets.js", opts).unwrap();
    zip.write_all(br#"window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "7", "id" : "7", "created_at" : "Mon Dec 24 20:31:07 +0000 2012", "full_text" : "netflix down" } } ]"#).unwrap();
    zip.start_file("data/account.js", opts).unwrap();
    zip.write_all(br#"window.YTD.account.part0 = [ { "account" : { "username" : "amy" } } ]"#)
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let mut log = Log::default();
    walk_bytes(bytes, &mut log);
    assert_eq!(
        log.calls,
        vec![
            "begin [] plain zip",
            "begin [data/tweets.js] plain export JSON document",
            "data/tweets.js:1 post 7",
            "end [data/tweets.js] 1 ",
            "skipped [data/account.js] the export's account details, not tweets",
            "end [] 0 ",
        ]
    );
}

#[test]
fn a_zip_inside_a_tar_is_streamed() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("24/20/31.json.bz2", opts).unwrap();
    zip.write_all(&bz(tweet(8).as_bytes())).unwrap();
    let inner = zip.finish().unwrap().into_inner();
    let mut log = Log::default();
    walk_bytes(tar(&[("day.zip", &inner)]), &mut log);
    assert_eq!(
        log.calls,
        vec![
            "begin [] plain tar",
            "begin [day.zip] plain zip",
            "begin [day.zip:24/20/31.json.bz2] bzip2 twitter-v1 JSON lines",
            "day.zip:24/20/31.json.bz2:1 post 8",
            "end [day.zip:24/20/31.json.bz2] 1 ",
            "end [day.zip] 0 ",
            "end [] 0 ",
        ]
    );
}

#[test]
fn a_temporary_file_found_in_a_folder_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("05.json.bz2.PTrPs6");
    std::fs::write(&path, bz(tweet(1).as_bytes())).unwrap();
    let mut log = Log::default();
    Walker::new(&mut log, None, Rc::new(Cell::new(0)))
        .walk(&Input::Found(path.clone()))
        .unwrap();
    assert_eq!(log.calls, vec!["skipped [] temporary file"]);
    // Named on the command line, it is read.
    let mut log = Log::default();
    Walker::new(&mut log, None, Rc::new(Cell::new(0)))
        .walk(&Input::File(path))
        .unwrap();
    assert_eq!(log.calls[1], ":1 post 1");
}

#[test]
fn temporary_names_are_recognised() {
    assert!(is_temporary("05.json.bz2.PTrPs6"));
    assert!(!is_temporary("05.json.bz2"));
    assert!(!is_temporary("tweets.backup"));
    assert_eq!(
        skipped_by_name("a/.05.json.bz2.PTrPs6"),
        Some("temporary file")
    );
    assert_eq!(
        skipped_by_name("data/tweets_media/1.JPG"),
        Some("media or page, not tweets")
    );
    assert_eq!(skipped_by_name("data/tweets.js"), None);
}

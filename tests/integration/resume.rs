//! Interrupted imports: killed (SIGKILL) or stopped (Ctrl-C) midway, then
//! run again, they give exactly the counts of one clean run, and resume
//! where they stopped rather than from the start.
//!
//! The kill must land midway, not at a guessed moment: the binary, when
//! `OUTCRY_PAUSE_AFTER_COMMITS=N` is set, makes its store durable after its
//! Nth commit, says so on stderr and waits; the test reads that line and
//! then sends the signal.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::util::{gzip, tar, Outcry, Run};

const LINES: usize = 6000;

/// A day of tweets, a third about Netflix, some complaints, a few hulu.
fn big_archive(offset: usize, count: usize) -> Vec<u8> {
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

fn clean_curves(args: &[&str], setup: impl Fn(&Outcry)) -> Vec<Vec<(String, String, u64, u64)>> {
    let o = Outcry::new();
    setup(&o);
    let mut all = vec!["import", "--no-chart"];
    all.extend_from_slice(args);
    let run = o.run(&all);
    assert_eq!(run.code, 0, "{}", run.stdout);
    vec![o.curve_rows(&["netflix"]), o.curve_rows(&["hulu"])]
}

/// Starts an import that pauses after `commits` commits, and returns once
/// it has paused (its store durable, its process waiting).
fn paused_import(o: &Outcry, args: &[&str], commits: u64) -> Child {
    let mut all = vec!["import", "--no-chart", "--commit-every", "1000"];
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

fn rerun(o: &Outcry, args: &[&str]) -> Run {
    let mut all = vec!["import", "--no-chart", "--commit-every", "1000"];
    all.extend_from_slice(args);
    let run = o.run(&all);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run
}

#[test]
fn a_large_file_killed_midway_resumes_where_it_stopped() {
    let write = |o: &Outcry| std::fs::write(o.path("day.jsonl"), big_archive(0, LINES)).unwrap();
    let clean = clean_curves(&["day.jsonl"], write);
    let o = Outcry::new();
    write(&o);
    let mut child = paused_import(&o, &["day.jsonl"], 2);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let run = rerun(&o, &["day.jsonl"]);
    // Two commits of 1000 lines were stored; the rest is read now, after a
    // seek to where the second commit ended.
    assert_eq!(run.field("resumed after line"), "2000");
    assert_eq!(run.field("lines read"), (LINES - 2000).to_string());
    assert_eq!(
        vec![o.curve_rows(&["netflix"]), o.curve_rows(&["hulu"])],
        clean
    );
    let again = o.run(&["import", "day.jsonl", "--no-chart"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_compressed_file_killed_midway_skips_what_was_stored() {
    let write =
        |o: &Outcry| std::fs::write(o.path("day.jsonl.gz"), gzip(&big_archive(0, LINES))).unwrap();
    let clean = clean_curves(&["day.jsonl.gz"], write);
    let o = Outcry::new();
    write(&o);
    let mut child = paused_import(&o, &["day.jsonl.gz"], 3);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let run = rerun(&o, &["day.jsonl.gz"]);
    assert_eq!(run.field("resumed after line"), "3000");
    assert_eq!(run.field("lines read"), (LINES - 3000).to_string());
    assert_eq!(run.field("duplicates skipped"), "0");
    assert_eq!(
        vec![o.curve_rows(&["netflix"]), o.curve_rows(&["hulu"])],
        clean
    );
}

fn month_tar() -> Vec<u8> {
    let members: Vec<(String, Vec<u8>)> = (0..6)
        .map(|i| {
            (
                format!("2012/12/24/{i:02}.json.gz"),
                gzip(&big_archive(i * 1000, 1000)),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    tar(&refs)
}

#[test]
fn a_tar_killed_midway_skips_the_members_it_finished() {
    let write = |o: &Outcry| std::fs::write(o.path("month.tar"), month_tar()).unwrap();
    let clean = clean_curves(&["month.tar"], write);
    let o = Outcry::new();
    write(&o);
    // Commits every 1000 records: the third lands on the last record of
    // member 3, and carries member 2's completion.
    let mut child = paused_import(&o, &["month.tar"], 3);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let run = rerun(&o, &["month.tar"]);
    assert_eq!(run.field("members done before"), "2");
    assert_eq!(run.field("members resumed"), "1");
    assert_eq!(run.field("members read"), "4");
    assert_eq!(run.field("lines read"), "3000");
    assert_eq!(run.field("duplicates skipped"), "0");
    assert_eq!(
        vec![o.curve_rows(&["netflix"]), o.curve_rows(&["hulu"])],
        clean
    );
}

#[test]
fn ctrl_c_stores_what_was_read_and_says_how_to_resume() {
    let write = |o: &Outcry| std::fs::write(o.path("day.jsonl"), big_archive(0, LINES)).unwrap();
    let clean = clean_curves(&["day.jsonl", "day2.jsonl"], |o| {
        write(o);
        std::fs::write(o.path("day2.jsonl"), big_archive(LINES, 100)).unwrap();
    });
    let o = Outcry::new();
    write(&o);
    std::fs::write(o.path("day2.jsonl"), big_archive(LINES, 100)).unwrap();
    let child = paused_import(&o, &["day.jsonl", "day2.jsonl"], 1);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(
        stdout.contains(
            "interrupted: everything read so far is stored; run the same command again to resume"
        ),
        "{stdout}"
    );
    // Stopped in the first file: the second was not started.
    assert!(!stdout.contains("day2.jsonl"), "{stdout}");
    let run = rerun(&o, &["day.jsonl", "day2.jsonl"]);
    assert_eq!(run.field("resumed after line"), "1000");
    assert_eq!(
        vec![o.curve_rows(&["netflix"]), o.curve_rows(&["hulu"])],
        clean
    );
}

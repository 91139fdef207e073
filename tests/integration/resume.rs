//! Interrupted imports: killed (SIGKILL) or stopped (Ctrl-C) midway, then
//! run again, they give exactly the counts of one clean run, and resume
//! where they stopped rather than from the start.
//!
//! The kill must land midway, not at a guessed moment: the binary, when
//! `OUTCRY_PAUSE_AFTER_COMMITS=N` is set, makes its store durable after its
//! Nth commit, says so on stderr and waits; the test reads that line and
//! then sends the signal.

use std::process::Child;

use crate::util::{big_archive, gzip, mixed, paused_import_every, tar, Outcry, Run};

const LINES: usize = 6000;

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
    paused_import_every(o, "1000", args, commits)
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
    // The hash of the whole file, kept by the run that finished it, is
    // that of the file unchanged.
    let again = rerun(&o, &["day.jsonl.gz"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
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
    let again = rerun(&o, &["month.tar"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
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

fn interrupt(child: Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130));
}

fn read(o: &Outcry, name: &str) -> String {
    std::fs::read_to_string(o.path(name)).unwrap()
}

#[test]
fn rejects_survive_ctrl_c_resume_and_rerun_each_once() {
    let (all, bad) = mixed();
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), all).unwrap();
    let args = ["mix.jsonl", "--rejects", "rej.jsonl"];
    // Two commits of ten lines: lines 0, 6, 12 and 18 were rejected.
    interrupt(paused_import_every(&o, "10", &args, 2));
    assert_eq!(read(&o, "rej.jsonl"), bad[..4].concat());
    let run = rerun(&o, &args);
    assert_eq!(run.field("resumed after line"), "20");
    assert_eq!(run.field("rejected lines"), "6");
    assert_eq!(read(&o, "rej.jsonl"), bad.concat());
    let again = rerun(&o, &args);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
    );
    assert_eq!(read(&o, "rej.jsonl"), bad.concat());
}

#[test]
fn rejects_written_after_the_last_commit_of_a_killed_import_are_not_doubled() {
    let (all, bad) = mixed();
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), all).unwrap();
    let args = ["mix.jsonl", "--rejects", "rej.jsonl"];
    let mut child = paused_import_every(&o, "10", &args, 2);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    assert_eq!(read(&o, "rej.jsonl"), bad[..4].concat());
    // The pause holds the import at a commit, where the file was written
    // out; a kill between commits also finds lines the import had written
    // after the last one (its buffer fills, a long line goes straight to
    // the file). Those are of lines the rerun reads again.
    let spilled = bad[..6].concat();
    std::fs::write(o.path("rej.jsonl"), &spilled).unwrap();
    let run = rerun(&o, &args);
    assert_eq!(run.field("resumed after line"), "20");
    assert_eq!(read(&o, "rej.jsonl"), bad.concat());
    rerun(&o, &args);
    assert_eq!(read(&o, "rej.jsonl"), bad.concat());
}

#[test]
fn a_resume_into_another_rejects_file_leaves_the_first_one_whole() {
    let (all, bad) = mixed();
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), all).unwrap();
    let mut child = paused_import_every(&o, "10", &["mix.jsonl", "--rejects", "one.jsonl"], 2);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let spilled = bad[..6].concat();
    std::fs::write(o.path("one.jsonl"), &spilled).unwrap();
    rerun(&o, &["mix.jsonl", "--rejects", "two.jsonl"]);
    assert_eq!(read(&o, "two.jsonl"), bad[4..].concat());
    // The records behind its last two lines are stored now, their lines in
    // two.jsonl; a rerun over inputs imported whole leaves one.jsonl as is.
    assert_eq!(read(&o, "one.jsonl"), spilled);
    rerun(&o, &["mix.jsonl", "--rejects", "one.jsonl"]);
    assert_eq!(read(&o, "one.jsonl"), spilled);
}

#[test]
fn lines_another_run_adds_to_a_finished_rejects_file_are_kept() {
    let (all, bad) = mixed();
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), all).unwrap();
    std::fs::write(o.path("rej.jsonl"), "kept from before\n").unwrap();
    let args = ["mix.jsonl", "--rejects", "rej.jsonl"];
    interrupt(paused_import_every(&o, "10", &args, 2));
    // A dry run stores nothing: its ten lines follow the four committed.
    rerun(&o, &["mix.jsonl", "--rejects", "rej.jsonl", "--dry-run"]);
    rerun(&o, &args);
    let expected = format!(
        "kept from before\n{}{}{}",
        bad[..4].concat(),
        bad.concat(),
        bad[4..].concat()
    );
    assert_eq!(read(&o, "rej.jsonl"), expected);
}

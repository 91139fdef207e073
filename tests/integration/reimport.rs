//! Files imported whole and then changed in place, keeping their size and
//! their first and last 64 KiB (a typo fixed in the middle): a rerun reads
//! them again instead of skipping them, counts what is new once, and skips
//! them again once read.

use crate::util::{big_archive, mixed, paused_import_every, tar, Outcry, Run};

const LINES: usize = 1000;
/// Line 499 (index 498): a Netflix complaint in the middle of the file,
/// far from both 64 KiB ends.
const MIDDLE: usize = 498;

/// The archive with one substitution of the same length in its middle line.
fn with_middle_changed(from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let text = String::from_utf8(big_archive(0, LINES)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(lines[MIDDLE].contains(from), "{}", lines[MIDDLE]);
    lines[MIDDLE] = lines[MIDDLE].replacen(from, to, 1);
    let mut out = lines.join("\n");
    out.push('\n');
    out.into_bytes()
}

fn import(o: &Outcry, args: &[&str]) -> Run {
    let mut all = vec!["import", "--no-chart"];
    all.extend_from_slice(args);
    let run = o.run(&all);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run
}

/// The curves of a fresh store into which `bytes` alone were imported.
fn clean_curves(bytes: &[u8]) -> Vec<Vec<(String, String, u64, u64)>> {
    let o = Outcry::new();
    std::fs::write(o.path("day.jsonl"), bytes).unwrap();
    import(&o, &["day.jsonl"]);
    curves(&o)
}

fn curves(o: &Outcry) -> Vec<Vec<(String, String, u64, u64)>> {
    vec![o.curve_rows(&["netflix"]), o.curve_rows(&["hulu"])]
}

fn posts(curve: &[(String, String, u64, u64)]) -> u64 {
    curve.iter().map(|r| r.2).sum()
}

const READ_AGAIN: &str = "changed since it was imported whole: read again";

#[test]
fn a_line_fixed_in_the_middle_is_read_and_counted_once() {
    let fixed = big_archive(0, LINES);
    let broken = with_middle_changed("Mon Dec 24 08:18", "Mon Dex 24 08:18");
    assert_eq!(broken.len(), fixed.len());
    let o = Outcry::new();
    std::fs::write(o.path("day.jsonl"), &broken).unwrap();
    let first = import(&o, &["day.jsonl"]);
    assert_eq!(first.field("rejected lines"), "1");
    assert!(
        first.stdout.contains(
            "day.jsonl:499: created_at \"Mon Dex 24 08:18:18 +0000 2012\" is not a Twitter time"
        ),
        "{}",
        first.stdout
    );
    let (netflix, complaints) = first.topic_row("netflix").unwrap();
    let hulu = first.topic_row("hulu").unwrap().0;

    std::fs::write(o.path("day.jsonl"), &fixed).unwrap();
    let again = import(&o, &["day.jsonl"]);
    assert!(again.stdout.contains(READ_AGAIN), "{}", again.stdout);
    assert_eq!(again.field("lines read"), LINES.to_string());
    assert_eq!(again.field("posts"), LINES.to_string());
    assert_eq!(again.field("rejected lines"), "0");
    // Every post that mentions a topic was counted by the first run, but
    // for the fixed one, now counted alone.
    assert_eq!(
        again.field("duplicates skipped"),
        (netflix + hulu).to_string()
    );
    assert_eq!(again.topic_row("netflix"), Some((1, 1)));
    assert_eq!(again.topic_row("hulu"), None);
    let clean = clean_curves(&fixed);
    assert_eq!(posts(&clean[0]), netflix + 1);
    assert_eq!(clean[0].iter().map(|r| r.3).sum::<u64>(), complaints + 1);
    assert_eq!(curves(&o), clean);

    let third = import(&o, &["day.jsonl"]);
    assert!(
        third.stdout.contains("already imported whole"),
        "{}",
        third.stdout
    );
    assert_eq!(curves(&o), clean);
}

/// What a re-read cannot do: take back what the first read counted. A post
/// whose id was changed is another post; one whose id is the same keeps
/// what was counted for it, even where the change would move it.
#[test]
fn a_re_read_adds_what_is_new_and_changes_nothing_counted() {
    let original = big_archive(0, LINES);
    let before = clean_curves(&original);

    let o = Outcry::new();
    std::fs::write(o.path("day.jsonl"), &original).unwrap();
    import(&o, &["day.jsonl"]);
    let new_id = with_middle_changed("283306174100000498", "283306174190000498");
    std::fs::write(o.path("day.jsonl"), &new_id).unwrap();
    let run = import(&o, &["day.jsonl"]);
    assert!(run.stdout.contains(READ_AGAIN), "{}", run.stdout);
    assert_eq!(run.topic_row("netflix"), Some((1, 1)));
    assert_eq!(posts(&o.curve_rows(&["netflix"])), posts(&before[0]) + 1);

    let o = Outcry::new();
    std::fs::write(o.path("day.jsonl"), &original).unwrap();
    import(&o, &["day.jsonl"]);
    let moved = with_middle_changed("Mon Dec 24 08:18", "Mon Dec 24 09:18");
    std::fs::write(o.path("day.jsonl"), &moved).unwrap();
    let run = import(&o, &["day.jsonl"]);
    assert!(run.stdout.contains(READ_AGAIN), "{}", run.stdout);
    assert_eq!(run.topic_row("netflix"), None);
    assert_eq!(curves(&o), before);
    assert_ne!(clean_curves(&moved), before);
}

/// A tar's members have checkpoints of their own, written for the old
/// content: a changed tar reads every member again. A re-read killed
/// midway is resumed: the members' checkpoints it wrote name the new
/// content, so the next run trusts those and no others.
#[test]
fn a_changed_tar_killed_midway_resumes_the_members_read_again() {
    let fixed = big_archive(0, LINES);
    let broken = with_middle_changed("Mon Dec 24 08:18", "Mon Dex 24 08:18");
    let second = big_archive(LINES, LINES);
    let o = Outcry::new();
    let write = |first: &[u8]| {
        std::fs::write(
            o.path("month.tar"),
            tar(&[("a.jsonl", first), ("b.jsonl", &second)]),
        )
        .unwrap()
    };
    write(&broken);
    let first = import(&o, &["month.tar"]);
    assert_eq!(first.field("rejected lines"), "1");
    assert!(
        first.stdout.contains("month.tar:a.jsonl:499: created_at"),
        "{}",
        first.stdout
    );

    write(&fixed);
    // Killed after its third commit, of 500 records each: member a read
    // again and marked complete, b half read. The tar's own checkpoint
    // still holds the old hash, so the rerun reads it as changed again,
    // but skips a and resumes b after its 500 committed records.
    let mut child = paused_import_every(&o, "500", &["month.tar"], 3);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let run = import(&o, &["month.tar"]);
    assert!(run.stdout.contains(READ_AGAIN), "{}", run.stdout);
    assert_eq!(run.field("members done before"), "1", "{}", run.stdout);
    assert_eq!(run.field("members resumed"), "1", "{}", run.stdout);
    assert_eq!(run.field("lines read"), (LINES - 500).to_string());
    assert_eq!(run.topic_row("netflix"), None);

    let clean = Outcry::new();
    std::fs::write(
        clean.path("month.tar"),
        tar(&[("a.jsonl", &fixed), ("b.jsonl", &second)]),
    )
    .unwrap();
    import(&clean, &["month.tar"]);
    assert_eq!(curves(&o), curves(&clean));
    let again = import(&o, &["month.tar"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
    );
}

fn read(o: &Outcry, name: &str) -> String {
    std::fs::read_to_string(o.path(name)).unwrap_or_default()
}

const ALREADY: &str =
    "of them in the --rejects file already, from an earlier read: not written again";

/// `--force` reads a file again; its rejected lines are in the rejects
/// file already, so they are not written again, unless that file was
/// emptied or replaced since, or the lines go to another one.
#[test]
fn force_writes_each_rejected_line_once_per_rejects_file() {
    let (all, bad) = mixed();
    let half = all[..all.len() / 2].rfind('\n').unwrap() + 1;
    let (first_half, second_half) = all.split_at(half);
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), &all).unwrap();
    std::fs::write(
        o.path("mix.tar"),
        tar(&[
            ("a.jsonl", first_half.as_bytes()),
            ("b.jsonl", second_half.as_bytes()),
        ]),
    )
    .unwrap();
    for input in ["mix.jsonl", "mix.tar"] {
        let rej = format!("{input}.rej");
        let args = [input, "--rejects", &rej];
        let first = import(&o, &args);
        assert_eq!(first.field("rejected lines"), "10");
        assert_eq!(read(&o, &rej), bad.concat(), "{input}");

        let mut forced = args.to_vec();
        forced.push("--force");
        let again = import(&o, &forced);
        assert_eq!(again.field("rejected lines"), "10");
        assert!(
            again.stdout.contains(&format!("  10 {ALREADY}")),
            "{}",
            again.stdout
        );
        assert_eq!(read(&o, &rej), bad.concat(), "{input}");

        // Emptied by hand: written again, once.
        std::fs::remove_file(o.path(&rej)).unwrap();
        let refilled = import(&o, &forced);
        assert!(!refilled.stdout.contains(ALREADY), "{}", refilled.stdout);
        assert_eq!(read(&o, &rej), bad.concat(), "{input}");
        import(&o, &forced);
        assert_eq!(read(&o, &rej), bad.concat(), "{input}");

        // Another file gets them all; the store remembers only the last
        // file each input's lines went to, so the first gets them again.
        let other = format!("{input}.other");
        import(&o, &[input, "--rejects", &other, "--force"]);
        assert_eq!(read(&o, &other), bad.concat(), "{input}");
        import(&o, &forced);
        assert_eq!(read(&o, &rej), bad.concat().repeat(2), "{input}");
    }
}

/// A forced read killed midway, then resumed without `--force`: the
/// records it reads were read whole before, their lines written then.
#[test]
fn a_forced_read_killed_and_resumed_writes_no_line_again() {
    let (all, bad) = mixed();
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), &all).unwrap();
    import(&o, &["mix.jsonl", "--rejects", "rej.jsonl"]);
    let mut child = paused_import_every(
        &o,
        "10",
        &["mix.jsonl", "--rejects", "rej.jsonl", "--force"],
        2,
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let run = import(
        &o,
        &[
            "mix.jsonl",
            "--rejects",
            "rej.jsonl",
            "--commit-every",
            "10",
        ],
    );
    assert_eq!(run.field("resumed after line"), "20");
    assert_eq!(run.field("rejected lines"), "6");
    assert!(
        run.stdout.contains(&format!("  6 {ALREADY}")),
        "{}",
        run.stdout
    );
    assert_eq!(read(&o, "rej.jsonl"), bad.concat());
}

/// A file changed in place is another file: its rejected lines are
/// written again, those of the old content staying before them.
#[test]
fn a_changed_file_writes_the_rejected_lines_of_its_new_content() {
    let (mix, bad) = mixed();
    let padded = |mix: &str| {
        let mut all = big_archive(0, LINES / 2);
        all.extend_from_slice(mix.as_bytes());
        all.extend_from_slice(&big_archive(LINES / 2, LINES / 2));
        all
    };
    // Line 31 of the mix (index 30) changed, still rejected.
    let (old, new) = (r#"{"bad": line 30"#, r#"{"bad": line 31"#);
    assert_eq!(bad[5], format!("{old}\n"));
    let o = Outcry::new();
    std::fs::write(o.path("mix.jsonl"), padded(&mix)).unwrap();
    import(&o, &["mix.jsonl", "--rejects", "rej.jsonl"]);
    std::fs::write(o.path("mix.jsonl"), padded(&mix.replacen(old, new, 1))).unwrap();
    let run = import(&o, &["mix.jsonl", "--rejects", "rej.jsonl"]);
    assert!(run.stdout.contains(READ_AGAIN), "{}", run.stdout);
    assert_eq!(run.field("rejected lines"), "10");
    assert!(!run.stdout.contains(ALREADY), "{}", run.stdout);
    let expected = format!("{}{}", bad.concat(), bad.concat().replacen(old, new, 1));
    assert_eq!(read(&o, "rej.jsonl"), expected);
    let forced = import(&o, &["mix.jsonl", "--rejects", "rej.jsonl", "--force"]);
    assert!(
        forced.stdout.contains(&format!("  10 {ALREADY}")),
        "{}",
        forced.stdout
    );
    assert_eq!(read(&o, "rej.jsonl"), expected);
    // Forced over another change: the lines the store knows of are not
    // this content's, so all of them are written.
    let third = r#"{"bad": line 32"#;
    std::fs::write(o.path("mix.jsonl"), padded(&mix.replacen(old, third, 1))).unwrap();
    let forced = import(&o, &["mix.jsonl", "--rejects", "rej.jsonl", "--force"]);
    assert!(!forced.stdout.contains(ALREADY), "{}", forced.stdout);
    let expected = format!("{expected}{}", bad.concat().replacen(old, third, 1));
    assert_eq!(read(&o, "rej.jsonl"), expected);
}

//! `outcry import`: counts, dedup, rejects, compression, exit statuses.

use crate::util::{fixture, gzip, Outcry};

const SMALL: &str = "v1/small.jsonl";

#[test]
fn the_summary_counts_what_was_read_by_hand() {
    let o = Outcry::new();
    let run = o.run(&["import", fixture(SMALL).to_str().unwrap(), "--no-chart"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.field("lines read"), "13");
    // Eight tweets, one of them an exact duplicate of the first.
    assert_eq!(run.field("posts"), "8");
    assert_eq!(run.field("control lines"), "2");
    assert_eq!(run.field("deletes of counted posts"), "1");
    assert_eq!(run.field("duplicates skipped"), "1");
    assert_eq!(run.field("rejected lines"), "2");
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    assert_eq!(run.topic_row("hulu"), Some((1, 0)));
}

#[test]
fn a_closed_stderr_loses_the_messages_not_the_import() {
    let o = Outcry::new();
    let missing = o.path("missing.jsonl");
    let run = o.run_with_stderr_closed(&[
        "import",
        fixture(SMALL).to_str().unwrap(),
        missing.to_str().unwrap(),
        "--no-chart",
    ]);
    // Not 101, a panic on the "could not read" line meant for stderr.
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.field("posts"), "8");
    assert!(
        run.stdout
            .contains(&format!("could not read: {}: ", missing.display())),
        "{}",
        run.stdout
    );
    assert_eq!(
        o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum::<u64>(),
        5
    );
}

#[test]
fn malformed_lines_are_reported_with_their_line_numbers() {
    let o = Outcry::new();
    let path = fixture(SMALL);
    let run = o.run(&["import", path.to_str().unwrap(), "--no-chart"]);
    let name = path.display().to_string();
    assert!(
        run.stdout.contains(&format!("{name}:8: truncated JSON")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("{name}:12: invalid UTF-8 at byte 22")),
        "{}",
        run.stdout
    );
}

#[test]
fn rejects_keeps_the_bad_lines_byte_for_byte() {
    let o = Outcry::new();
    let rejects = o.path("rejects.jsonl");
    let run = o.run(&[
        "import",
        fixture(SMALL).to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        "--no-chart",
    ]);
    assert_eq!(run.code, 0);
    let original = std::fs::read(fixture(SMALL)).unwrap();
    let lines: Vec<&[u8]> = original.split(|&b| b == b'\n').collect();
    let mut expected = Vec::new();
    for n in [8, 12] {
        expected.extend_from_slice(lines[n - 1]);
        expected.push(b'\n');
    }
    assert_eq!(std::fs::read(rejects).unwrap(), expected);
}

#[test]
fn importing_the_same_file_twice_gives_the_same_curve() {
    let o = Outcry::new();
    let path = fixture(SMALL);
    o.run(&["import", path.to_str().unwrap(), "--no-chart"]);
    let first = o.curve_rows(&["netflix"]);
    let again = o.run(&["import", path.to_str().unwrap(), "--no-chart"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
    );
    assert_eq!(o.curve_rows(&["netflix"]), first);
    // Forced to read it again, every post is recognised as counted.
    let forced = o.run(&["import", path.to_str().unwrap(), "--force", "--no-chart"]);
    // Seven lines mention a topic (one of them twice over).
    assert_eq!(forced.field("duplicates skipped"), "7");
    assert_eq!(o.curve_rows(&["netflix"]), first);
}

#[test]
fn a_copy_under_another_name_and_stdin_add_nothing() {
    let o = Outcry::new();
    let bytes = std::fs::read(fixture(SMALL)).unwrap();
    let copy = o.path("copy.jsonl.gz");
    std::fs::write(&copy, gzip(&bytes)).unwrap();
    let run = o.run(&["import", copy.to_str().unwrap(), "--no-chart"]);
    assert_eq!(run.field("== "), format!("{} (gzip)", copy.display()));
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    let piped = o.run_with_stdin(&["import", "-", "--no-chart"], &bytes);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert_eq!(piped.field("duplicates skipped"), "7");
    let total: u64 = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
    assert_eq!(total, 5);
}

#[test]
fn gzip_input_is_recognised_by_its_bytes_not_its_name() {
    let o = Outcry::new();
    let disguised = o.path("archive.json");
    std::fs::write(&disguised, gzip(&std::fs::read(fixture(SMALL)).unwrap())).unwrap();
    let run = o.run(&["import", disguised.to_str().unwrap(), "--no-chart"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.field("posts"), "8");
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
}

#[test]
fn a_missing_or_truncated_file_gives_status_1_and_the_rest_is_imported() {
    let o = Outcry::new();
    let full = gzip(&std::fs::read(fixture(SMALL)).unwrap());
    let truncated = o.path("truncated.jsonl.gz");
    std::fs::write(&truncated, &full[..full.len() - 12]).unwrap();
    let run = o.run(&[
        "import",
        "/no/such/archive.jsonl",
        truncated.to_str().unwrap(),
        fixture(SMALL).to_str().unwrap(),
        "--no-chart",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("could not read: /no/such/archive.jsonl"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("truncated gzip stream"),
        "{}",
        run.stdout
    );
    let total: u64 = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
    assert_eq!(total, 5);
}

#[test]
fn a_folder_means_every_file_under_it() {
    let o = Outcry::new();
    let folder = o.path("archive");
    std::fs::create_dir_all(folder.join("day2")).unwrap();
    let bytes = std::fs::read(fixture(SMALL)).unwrap();
    let cut = bytes
        .windows(41)
        .position(|w| w == b"{\"created_at\": \"Mon Dec 24 21:20:00 +0000")
        .unwrap();
    std::fs::write(folder.join("day1.jsonl"), &bytes[..cut]).unwrap();
    std::fs::write(folder.join("day2/rest.jsonl.gz"), gzip(&bytes[cut..])).unwrap();
    let run = o.run(&["import", folder.to_str().unwrap(), "--no-chart"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("== total (2 inputs)"));
    let total: u64 = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
    assert_eq!(total, 5);
}

#[test]
fn dry_run_reads_but_stores_nothing() {
    let o = Outcry::new();
    let run = o.run(&["import", fixture(SMALL).to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    assert!(run.stdout.contains("dry run: nothing was stored"));
    assert!(!o.db().exists());
}

#[test]
fn control_characters_in_a_post_neither_hang_nor_lose_it() {
    // A NUL once made the sentiment tokenizer stand still for ever.
    let o = Outcry::new();
    let line = r#"{"created_at":"Mon Dec 24 21:00:00 +0000 2012","id_str":"7","text":"netflix \u0000 is down \u0007\u001f\u007f again","user":{"time_zone":"Brasilia"}}"#;
    let run = o.run_with_stdin(
        &["import", "-", "--no-chart"],
        format!("{line}\n").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.topic_row("netflix"), Some((1, 1)));
}

#[test]
fn a_dry_run_counts_duplicates_and_deletes_as_the_import_does_whatever_it_commits() {
    // The second file repeats the first file's first post and deletes it:
    // both can only be recognised by remembering the first file's posts
    // past many commits and across files.
    let o = Outcry::new();
    let small = std::fs::read(fixture(SMALL)).unwrap();
    let mut lines = small.split(|&b| b == b'\n');
    let first_line = lines.next().unwrap();
    let delete = lines.find(|l| l.starts_with(b"{\"delete\"")).unwrap();
    std::fs::write(o.path("a.jsonl"), &small).unwrap();
    std::fs::write(o.path("b.jsonl"), [first_line, delete, b""].join(&b'\n')).unwrap();
    let args = ["import", "a.jsonl", "b.jsonl", "--no-chart"];
    let imported = |extra: &[&str]| {
        let run = o.run(&[&args[..], extra].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        (
            run.fields("duplicates skipped"),
            run.fields("deletes of counted posts"),
        )
    };
    let dry = imported(&["--dry-run", "--commit-every", "1"]);
    assert_eq!(dry, imported(&["--dry-run"]));
    assert!(!o.db().exists());
    let stored = imported(&["--commit-every", "1"]);
    assert_eq!(dry, stored);
    // a.jsonl: one duplicate, one delete; b.jsonl: both of its lines.
    assert_eq!(stored.0[..2], ["1".to_string(), "1".to_string()]);
    assert_eq!(stored.1[..2], ["1".to_string(), "1".to_string()]);
}

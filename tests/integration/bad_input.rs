//! The catalogue of bad input (docs/bad-input.md): each kind the formats
//! tests do not already cover, with the answer outcry gives. Every answer is
//! a message and a defined exit status, never a panic, and never a change to
//! what the store already held.
//!
//! Most tests import into a store that already holds `v1/small.jsonl`, and
//! the good lines in their bad files are copies of tweets from it: counted
//! already, they are skipped as duplicates, so the store's curves must come
//! out of the bad import exactly as they went in.

use std::io::Write;

use crate::util::{read_fixture, tar, zip, Outcry, Run};

/// A store holding `v1/small.jsonl`.
fn seeded() -> Outcry {
    let o = Outcry::new();
    let run = o.run(&["import", "--no-chart", &fixture_path("v1/small.jsonl")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    o
}

fn fixture_path(rel: &str) -> String {
    crate::util::fixture(rel).display().to_string()
}

/// Everything a user could read from the store.
fn snapshot(o: &Outcry) -> Vec<String> {
    let mut out = Vec::new();
    for args in [
        vec!["curve", "netflix", "--format", "csv"],
        vec!["curve", "hulu", "--format", "csv"],
        vec!["curve", "netflix", "--format", "csv", "--region", "US"],
        vec!["posts", "netflix"],
    ] {
        let run = o.run(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        out.push(run.stdout);
    }
    out
}

/// The first two tweets of `v1/small.jsonl`, each with its newline.
fn stored_lines() -> (Vec<u8>, Vec<u8>) {
    let all = read_fixture("v1/small.jsonl");
    let mut lines = all.split_inclusive(|&b| b == b'\n');
    (
        lines.next().unwrap().to_vec(),
        lines.next().unwrap().to_vec(),
    )
}

fn never_panics(run: &Run) {
    assert!(
        run.code == 0 || run.code == 1 || run.code == 2,
        "exit {}: {}\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Imports `name` (written with `bytes`) into a seeded store and checks the
/// store reads the same afterwards.
fn import_into_seeded(name: &str, bytes: &[u8]) -> Run {
    let o = seeded();
    let before = snapshot(&o);
    std::fs::write(o.path(name), bytes).unwrap();
    let run = o.run(&["import", "--no-chart", name]);
    never_panics(&run);
    assert_eq!(snapshot(&o), before, "the store changed:\n{}", run.stdout);
    run
}

fn tweet(id: u64, created_at: &str, text: &str) -> String {
    serde_json::json!({
        "created_at": created_at,
        "id_str": id.to_string(),
        "text": text,
        "lang": "en",
        "user": {"screen_name": "zoe", "location": "Denver, CO"},
    })
    .to_string()
}

#[test]
fn an_empty_file_or_only_blank_lines_import_nothing_and_succeed() {
    for (name, bytes) in [
        ("empty.jsonl", &b""[..]),
        ("blank.jsonl", &b"\n\n   \n\t\n\r\n"[..]),
    ] {
        let run = import_into_seeded(name, bytes);
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(run.field("posts"), "0");
        assert_eq!(run.field("rejected lines"), "0");
    }
}

#[test]
fn a_bom_and_crlf_line_ends_are_read_as_plain_lines() {
    let (a, b) = stored_lines();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&a);
    bom.extend_from_slice(&b);
    let crlf: Vec<u8> = [a.as_slice(), b.as_slice()]
        .concat()
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .flat_map(|l| [l, b"\r\n"].concat())
        .collect();
    for (name, bytes) in [("bom.jsonl", bom), ("crlf.jsonl", crlf)] {
        let run = import_into_seeded(name, &bytes);
        assert_eq!(run.code, 0);
        assert_eq!(run.field("posts"), "2", "{}", run.stdout);
        assert_eq!(run.field("rejected lines"), "0", "{}", run.stdout);
        assert_eq!(run.field("duplicates skipped"), "2");
    }
}

#[test]
fn a_100_mib_single_line_is_rejected_and_its_neighbours_kept() {
    let (a, b) = stored_lines();
    let o = seeded();
    let before = snapshot(&o);
    let path = o.path("huge.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(&a).unwrap();
    let head = br#"{"created_at":"Tue Dec 25 03:00:00 +0000 2012","id_str":"7","text":""#;
    f.write_all(head).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}\n").unwrap();
    f.write_all(&b).unwrap();
    drop(f);
    let run = o.run(&["import", "--no-chart", "huge.jsonl"]);
    never_panics(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The line's length counts its newline.
    let length = head.len() + (100 << 20) + 3;
    let message = format!("huge.jsonl:2: line of {length} bytes is longer than the 16 MiB limit");
    assert!(run.stdout.contains(&message), "{}", run.stdout);
    assert_eq!(run.field("duplicates skipped"), "2");
    assert_eq!(snapshot(&o), before);
}

#[test]
fn deep_json_nesting_is_rejected_without_overflowing_the_stack() {
    let (a, _) = stored_lines();
    let mut lines = a.clone();
    lines.extend(std::iter::repeat_n(b'[', 100_000));
    lines.push(b'\n');
    for _ in 0..50_000 {
        lines.extend_from_slice(br#"{"a":"#);
    }
    lines.push(b'1');
    lines.extend(std::iter::repeat_n(b'}', 50_000));
    lines.push(b'\n');
    let run = import_into_seeded("deep.jsonl", &lines);
    assert_eq!(run.code, 0);
    assert_eq!(run.field("rejected lines"), "2", "{}", run.stdout);
    assert!(
        run.stdout
            .contains("deep.jsonl:2: a JSON array, not a tweet object"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("deep.jsonl:3: JSON object is not a tweet"),
        "{}",
        run.stdout
    );

    // The same as a document (an array file), closed and unclosed.
    let mut closed = vec![b'['; 100_000];
    closed.extend(std::iter::repeat_n(b']', 100_000));
    let run = import_into_seeded("deep.json", &closed);
    assert_eq!(run.code, 0);
    assert_eq!(run.field("rejected lines"), "1", "{}", run.stdout);
    let run = import_into_seeded("open.json", &vec![b'['; 200_000]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("open.json:1: truncated JSON (the document ends inside this record)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_type_in_any_field_rejects_the_line_with_the_reason() {
    let base = serde_json::json!({
        "created_at": "Tue Dec 25 03:00:00 +0000 2012",
        "id_str": "283306174000009001",
        "text": "netflix is down again",
        "lang": "en",
        "user": {"screen_name": "zoe", "location": "Denver, CO"},
    });
    let wrong: Vec<(&str, serde_json::Value)> = vec![
        ("id_str", serde_json::json!(5)),
        ("id_str", serde_json::json!([])),
        ("id", serde_json::json!({})),
        ("created_at", serde_json::json!(12)),
        ("text", serde_json::json!([])),
        ("text", serde_json::json!(7)),
        ("full_text", serde_json::json!(true)),
        ("user", serde_json::json!("x")),
        ("user", serde_json::json!({"location": 5})),
        ("user", serde_json::json!({"utc_offset": "x"})),
        ("entities", serde_json::json!(3)),
        ("entities", serde_json::json!({"hashtags": "x"})),
        ("place", serde_json::json!(7)),
        ("place", serde_json::json!({"country_code": 9})),
        ("lang", serde_json::json!({})),
        ("retweeted_status", serde_json::json!("x")),
        ("extended_tweet", serde_json::json!(1)),
    ];
    let mut file = String::new();
    for (field, value) in &wrong {
        let mut t = base.clone();
        t[*field] = value.clone();
        file.push_str(&t.to_string());
        file.push('\n');
    }
    let run = import_into_seeded("wrong.jsonl", file.as_bytes());
    assert_eq!(run.code, 0);
    assert_eq!(run.field("posts"), "0", "{}", run.stdout);
    assert_eq!(
        run.field("rejected lines"),
        wrong.len().to_string(),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("wrong.jsonl:1: not a tweet: invalid type: integer `5`, expected a string"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_type_in_one_v2_item_costs_that_item_only() {
    // Line 1: item 1's author_id is a number. Line 2: the included user's
    // location is a number. Line 3: item 1 has no text. Line 4: the
    // included place's country_code is a number, the user is fine.
    let lines = [
        r#"{"data":[{"id":"41","text":"netflix is down","created_at":"2012-12-24T20:43:00.000Z","author_id":"8"},{"id":"42","text":"netflix is down","created_at":"2012-12-24T20:44:00.000Z","author_id":8},{"id":"43","text":"netflix is down","created_at":"2012-12-24T20:45:00.000Z","author_id":"8"}]}"#,
        r#"{"data":[{"id":"51","text":"netflix is down","created_at":"2012-12-24T21:43:00.000Z","author_id":"8"}],"includes":{"users":[{"id":"8","username":"y","location":5}]}}"#,
        r#"{"data":[{"id":"61","text":"netflix is down","created_at":"2012-12-24T22:43:00.000Z","author_id":"8"},{"id":"62","created_at":"2012-12-24T22:44:00.000Z","author_id":"8"}]}"#,
        r#"{"data":[{"id":"71","text":"netflix is down","created_at":"2012-12-24T23:43:00.000Z","author_id":"9","geo":{"place_id":"p1"}}],"includes":{"users":[{"id":"9","username":"w","location":"Austin, TX"}],"places":[{"id":"p1","country_code":7}]}}"#,
    ];
    let o = Outcry::new();
    std::fs::write(o.path("v2.jsonl"), lines.join("\n") + "\n").unwrap();
    let run = o.run(&[
        "import",
        "--no-chart",
        "v2.jsonl",
        "--rejects",
        "rejects.txt",
    ]);
    never_panics(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.field("posts"), "5", "{}", run.stdout);
    assert_eq!(run.field("rejected lines"), "2", "{}", run.stdout);
    assert_eq!(run.field("warnings"), "2", "{}", run.stdout);
    for message in [
        "v2.jsonl:1: data[1]: not a tweet: author_id: invalid type: integer `8`, expected a string",
        "v2.jsonl:3: data[1]: tweet has no text",
        "v2.jsonl:2: includes.users[0]: not a user: location: invalid type: integer `5`, expected a string (user left out: their posts are stored without author and location)",
        "v2.jsonl:4: includes.places[0]: not a place: country_code: invalid type: integer `7`, expected a string (place left out: its posts are stored without its country)",
    ] {
        assert!(run.stdout.contains(message), "no {message:?} in\n{}", run.stdout);
    }
    // Tweets 41, 43, 51, 61 and 71, each counted once in its own hour.
    let hours = |region: &[&str]| -> Vec<(String, u64)> {
        let mut args = vec!["netflix"];
        args.extend_from_slice(region);
        o.curve_rows(&args)
            .into_iter()
            .map(|(start, _, posts, _)| (start, posts))
            .collect()
    };
    assert_eq!(
        hours(&[]),
        [
            ("2012-12-24T20:00:00Z".to_string(), 2),
            ("2012-12-24T21:00:00Z".to_string(), 1),
            ("2012-12-24T22:00:00Z".to_string(), 1),
            ("2012-12-24T23:00:00Z".to_string(), 1),
        ]
    );
    // Tweet 71 keeps its author's location (US) without the bad place;
    // tweet 51 lost its author's, so it has no region.
    assert_eq!(
        hours(&["--region", "US"]),
        [
            ("2012-12-24T20:00:00Z".to_string(), 0),
            ("2012-12-24T21:00:00Z".to_string(), 0),
            ("2012-12-24T22:00:00Z".to_string(), 0),
            ("2012-12-24T23:00:00Z".to_string(), 1),
        ]
    );
    // Only the lines that lost a tweet are kept for fixing: line 2's and
    // line 4's tweets are all stored.
    let rejects = std::fs::read_to_string(o.path("rejects.txt")).unwrap();
    assert_eq!(rejects, format!("{}\n{}\n", lines[0], lines[2]));
    // Importing again finds every stored tweet a duplicate and counts
    // nothing twice.
    let before = hours(&[]);
    let again = o.run(&["import", "--no-chart", "--force", "v2.jsonl"]);
    assert_eq!(again.field("duplicates skipped"), "5", "{}", again.stdout);
    assert_eq!(hours(&[]), before);
}

#[test]
fn ids_above_2_pow_53_are_kept_exactly_or_refused() {
    let o = Outcry::new();
    let line = |id: &str| {
        format!(
            r#"{{"created_at":"Tue Dec 25 03:00:00 +0000 2012","id":{id},"text":"netflix is down again {id}"}}"#
        )
    };
    let file = [
        line("9007199254740993"),
        line("18446744073709551615"),
        line("18446744073709551616"),
        line("9.007199254740993e15"),
        line("-5"),
    ]
    .join("\n");
    std::fs::write(o.path("ids.jsonl"), file).unwrap();
    let run = o.run(&["import", "--no-chart", "ids.jsonl"]);
    never_panics(&run);
    assert_eq!(run.code, 0);
    assert_eq!(run.field("posts"), "2", "{}", run.stdout);
    for reason in [
        "ids.jsonl:3: tweet has no id_str and its id 1.8446744073709552e+19 is not an exact integer",
        "ids.jsonl:4: tweet has no id_str and its id 9007199254740992.0 is not an exact integer",
        "ids.jsonl:5: tweet has no id_str and its id -5 is not an exact integer",
    ] {
        assert!(run.stdout.contains(reason), "{reason}\n{}", run.stdout);
    }
    // Stored under their exact ids: importing them with id_str counts nothing.
    let again = [
        tweet(
            9007199254740993,
            "Tue Dec 25 03:00:00 +0000 2012",
            "netflix is down",
        ),
        tweet(
            u64::MAX,
            "Tue Dec 25 03:00:00 +0000 2012",
            "netflix is down",
        ),
    ]
    .join("\n");
    std::fs::write(o.path("again.jsonl"), again).unwrap();
    let run = o.run(&["import", "--no-chart", "again.jsonl"]);
    assert_eq!(run.field("duplicates skipped"), "2", "{}", run.stdout);
}

#[test]
fn times_before_twitter_or_in_the_future_are_rejected() {
    let o = Outcry::new();
    let file = [
        tweet(1, "Sun Dec 25 03:00:00 +0000 2005", "netflix is down"),
        tweet(2, "Thu Jan 01 00:00:00 +0000 1970", "netflix is down"),
        tweet(3, "Fri Dec 25 03:00:00 +0000 2099", "netflix is down"),
        tweet(4, "Tue Mar 21 00:00:00 +0000 2006", "netflix is down"),
    ]
    .join("\n");
    std::fs::write(o.path("times.jsonl"), file).unwrap();
    let run = o.run(&["import", "--no-chart", "times.jsonl"]);
    never_panics(&run);
    assert_eq!(run.code, 0);
    for reason in [
        "times.jsonl:1: created_at \"Sun Dec 25 03:00:00 +0000 2005\" is before Twitter existed (2006-03-21)",
        "times.jsonl:2: created_at \"Thu Jan 01 00:00:00 +0000 1970\" is before Twitter existed (2006-03-21)",
        "times.jsonl:3: created_at \"Fri Dec 25 03:00:00 +0000 2099\" is in the future",
    ] {
        assert!(run.stdout.contains(reason), "{reason}\n{}", run.stdout);
    }
    // Twitter's first day is accepted.
    assert_eq!(run.topic_row("netflix"), Some((1, 1)), "{}", run.stdout);
}

#[test]
fn nul_bytes_reject_their_line_and_an_escaped_nul_is_text() {
    let (a, b) = stored_lines();
    let mut file = a.clone();
    let mut raw = b.clone();
    let at = raw.windows(7).position(|w| w == b"netflix").unwrap();
    raw.insert(at + 3, 0);
    file.extend_from_slice(&raw);
    file.extend_from_slice(&[0; 4096]);
    file.push(b'\n');
    let run = import_into_seeded("nul.jsonl", &file);
    assert_eq!(run.code, 0);
    assert_eq!(run.field("rejected lines"), "2", "{}", run.stdout);
    assert!(
        run.stdout
            .contains("nul.jsonl:2: invalid JSON: control character"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("nul.jsonl:3: not JSON: a tweet line starts with '{'"),
        "{}",
        run.stdout
    );

    let o = Outcry::new();
    let escaped = tweet(5, "Tue Dec 25 03:00:00 +0000 2012", "netflix \u{0} is down");
    std::fs::write(o.path("escaped.jsonl"), escaped).unwrap();
    let run = o.run(&["import", "--no-chart", "escaped.jsonl"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.topic_row("netflix"), Some((1, 1)), "{}", run.stdout);
}

/// Many tweets, so a cut stream has decoded some lines before it ends.
fn many_tweets() -> Vec<u8> {
    (0..3000)
        .map(|i| {
            tweet(
                283_306_174_000_100_000 + i,
                "Tue Dec 25 03:00:00 +0000 2012",
                &format!("netflix is down again, take {i} of a long night"),
            ) + "\n"
        })
        .collect::<String>()
        .into_bytes()
}

#[test]
fn truncated_gzip_bzip2_and_zstd_files_keep_what_was_read_and_exit_1() {
    let text = many_tweets();
    let zstd = zstd::encode_all(text.as_slice(), 3).unwrap();
    for (name, packed, kind) in [
        ("cut.jsonl.gz", crate::util::gzip(&text), "gzip"),
        ("cut.jsonl.bz2", crate::util::bzip2(&text), "bzip2"),
        ("cut.jsonl.zst", zstd, "zstd"),
    ] {
        let o = Outcry::new();
        std::fs::write(o.path(name), &packed[..packed.len() * 2 / 3]).unwrap();
        let run = o.run(&["import", "--no-chart", name]);
        never_panics(&run);
        assert_eq!(run.code, 1, "{}", run.stdout);
        let message = format!("could not read: {name}: truncated {kind} stream after line ");
        assert!(run.stdout.contains(&message), "{message}\n{}", run.stdout);
        // What was decoded before the cut is stored, and the whole file,
        // imported later, adds exactly the rest.
        let stored: u64 = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
        let read: u64 = run.field("posts").parse().unwrap();
        assert_eq!(stored, read);
        std::fs::write(o.path(name), &packed).unwrap();
        let run = o.run(&["import", "--no-chart", name]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        let stored: u64 = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
        assert_eq!(stored, 3000, "{kind}");
    }
}

#[test]
fn a_gzip_failing_its_checksum_says_what_was_read_may_be_damaged() {
    let text = many_tweets();
    let mut packed = crate::util::gzip(&text);
    // The last 8 bytes are the member's CRC-32 and length: the data decodes
    // whole, and only the check at the end finds the damage.
    let crc = packed.len() - 8;
    packed[crc] ^= 0xff;
    let o = Outcry::new();
    std::fs::write(o.path("bad.jsonl.gz"), &packed).unwrap();
    let run = o.run(&["import", "--no-chart", "bad.jsonl.gz"]);
    never_panics(&run);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("could not read: bad.jsonl.gz: corrupt gzip data after line ")
            && run
                .stdout
                .contains("(the lines before it passed no check and may be damaged too)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_tar_with_a_truncated_member_keeps_the_members_before_it() {
    let (a, b) = stored_lines();
    let whole = [a.clone(), b.clone()].concat();
    let big: Vec<u8> = many_tweets();
    let archive = tar(&[("a.jsonl", &whole), ("b.jsonl", &big)]);
    // Cut inside b's data.
    let cut = &archive[..512 + whole.len().div_ceil(512) * 512 + 512 + big.len() / 2];
    let o = seeded();
    std::fs::write(o.path("cut.tar"), cut).unwrap();
    let run = o.run(&["import", "--no-chart", "cut.tar"]);
    never_panics(&run);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("could not read: cut.tar: corrupt tar entry after b.jsonl"),
        "{}",
        run.stdout
    );
    assert_eq!(run.field("duplicates skipped"), "2", "{}", run.stdout);
}

#[test]
fn a_gzip_bomb_is_streamed_and_its_endless_line_rejected() {
    // 48 MiB of NUL bytes in 48 KiB (tests/fixtures/bad/README.md says how
    // it was made): one line three times the line limit.
    let run = import_into_seeded("bomb.jsonl.gz", &read_fixture("bad/gzip-bomb.jsonl.gz"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("bomb.jsonl.gz:1: line of 50331648 bytes is longer than the 16 MiB limit"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_zip_bomb_is_skipped_by_its_first_bytes_and_deep_nesting_refused() {
    // 48 MiB of NUL bytes beside a zip inside the zip and a real member.
    let run = import_into_seeded("bomb.zip", &read_fixture("bad/zip-bomb.zip"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("zeros.jsonl: binary data, not a tweet archive (skipped)"),
        "{}",
        run.stdout
    );
    // Zips in zips, ten deep: the walk stops at its depth limit.
    let mut nested = read_fixture("v1/small.jsonl");
    let mut name = "tweets.jsonl".to_string();
    for level in 0..10 {
        nested = zip(&[(&name, &nested)]);
        name = format!("l{level}.zip");
    }
    let run = import_into_seeded("nested.zip", &nested);
    assert!(
        run.stdout
            .contains("containers nested too deep (a zip bomb?)"),
        "{}",
        run.stdout
    );
}

#[test]
fn files_that_are_not_archives_are_read_as_lines_and_rejected() {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..=255u8).cycle().take(4096));
    let run = import_into_seeded("picture.png", &png);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.field("posts"), "0");
    assert!(
        run.stdout
            .contains("picture.png:1: invalid UTF-8 at byte 0"),
        "{}",
        run.stdout
    );
    let exe = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    let run = import_into_seeded("program", &exe[..exe.len().min(1 << 20)]);
    assert_eq!(run.field("posts"), "0");
}

#[test]
fn a_folder_that_cannot_be_read_is_named() {
    let o = seeded();
    let before = snapshot(&o);
    let dir = o.path("locked");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.jsonl"), stored_lines().0).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = std::fs::read_dir(&dir).is_ok();
    let run = o.run(&["import", "--no-chart", "locked"]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    never_panics(&run);
    if privileged {
        // Root reads it all the same: nothing to refuse.
        eprintln!("running as root: a folder without read permission is still readable");
        assert_eq!(run.code, 0, "{}", run.stdout);
    } else {
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(run.stdout.contains("Permission denied"), "{}", run.stdout);
    }
    assert_eq!(snapshot(&o), before);
    // A symlink loop refuses even root.
    std::os::unix::fs::symlink(o.path("loop"), o.path("loop")).unwrap();
    let run = o.run(&["import", "--no-chart", "loop"]);
    never_panics(&run);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("could not read: loop:"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_link_back_up_a_folder_is_named_once_and_its_files_read_once() {
    let o = Outcry::new();
    let inner = o.path("runs/inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("a.jsonl"), read_fixture("v1/small.jsonl")).unwrap();
    std::os::unix::fs::symlink("..", inner.join("up")).unwrap();
    let run = o.run(&["import", "--no-chart", "runs"]);
    never_panics(&run);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Walked round the loop, the file would be listed some forty times.
    assert_eq!(run.stdout.matches("== ").count(), 1, "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("a link back to").count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("runs/inner/up: a link back to runs, which holds it"),
        "{}",
        run.stdout
    );
    let once = seeded();
    assert_eq!(snapshot(&o), snapshot(&once));
}

#[test]
fn a_store_that_cannot_be_created_is_named_with_exit_2() {
    let o = Outcry::new();
    std::fs::write(o.path("plain-file"), "not a folder").unwrap();
    std::fs::write(o.path("t.jsonl"), stored_lines().0).unwrap();
    let under_a_file = o.path("plain-file").join("store.db");
    let run = o.run(&[
        "--db",
        under_a_file.to_str().unwrap(),
        "import",
        "--no-chart",
        "t.jsonl",
    ]);
    never_panics(&run);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains(&format!("cannot open store {}", under_a_file.display())),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Not a directory"), "{}", run.stderr);
    // The store path is itself a file.
    let file = o.path("plain-file");
    let run = o.run(&[
        "--db",
        file.to_str().unwrap(),
        "import",
        "--no-chart",
        "t.jsonl",
    ]);
    never_panics(&run);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains(&format!("cannot open store {}", file.display())),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
}

/// Unmounts the small file system when the test ends, however it ends.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_stops_the_import_with_exit_2_and_a_rerun_completes_it() {
    let o = Outcry::new();
    let disk = o.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&disk)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("cannot mount a small tmpfs here: the full-disk case is untested");
        return;
    }
    let _guard = Mounted(disk.clone());
    let db = disk.join("store.db");
    let db = db.to_str().unwrap();
    let big = (0..8000u64)
        .map(|i| {
            tweet(
                283_306_174_000_200_000 + i,
                "Tue Dec 25 03:00:00 +0000 2012",
                &format!("netflix is down again {i}, hulu too, {}", "z".repeat(200)),
            ) + "\n"
        })
        .collect::<String>();
    std::fs::write(o.path("big.jsonl"), &big).unwrap();
    let small = fixture_path("v1/small.jsonl");
    let args = |file: &'static str| -> Vec<String> {
        [
            "--db",
            db,
            "import",
            "--no-chart",
            "--commit-every",
            "100",
            file,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let run_args = |a: Vec<String>| o.run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let mut first = args("small");
    *first.last_mut().unwrap() = small.clone();
    assert_eq!(run_args(first).code, 0);
    let run = run_args(args("big.jsonl"));
    never_panics(&run);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!("store {db}")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    // Room again: the rerun resumes and ends with one clean run's counts.
    let grown = std::process::Command::new("mount")
        .args(["-o", "remount,size=64m"])
        .arg(&disk)
        .status()
        .unwrap();
    assert!(grown.success());
    let run = run_args(args("big.jsonl"));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let clean = Outcry::new();
    std::fs::write(clean.path("big.jsonl"), &big).unwrap();
    assert_eq!(
        clean
            .run(&["import", "--no-chart", &small, "big.jsonl"])
            .code,
        0
    );
    for topic in ["netflix", "hulu"] {
        let curve = |db: &str| {
            let run = o.run(&["--db", db, "curve", topic, "--format", "csv"]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            run.stdout
        };
        assert_eq!(curve(db), curve(clean.db().to_str().unwrap()), "{topic}");
    }
}

const CSV_HEADER: &str = "id,created_at,text,author.username,lang\n";

fn csv_row(id: u64, hour: u32) -> String {
    format!("{id},2012-12-24T{hour}:00:00.000Z,netflix is down,u{id},en\n")
}

/// Imports a CSV into a fresh store keeping rejects; returns the run, the
/// rejects file and the netflix posts stored.
fn import_csv(name: &str, bytes: &[u8]) -> (Run, String, u64) {
    let o = Outcry::new();
    std::fs::write(o.path(name), bytes).unwrap();
    let run = o.run(&["import", "--no-chart", "--rejects", "rejects.txt", name]);
    never_panics(&run);
    let rejects = std::fs::read_to_string(o.path("rejects.txt")).unwrap_or_default();
    let stored = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
    (run, rejects, stored)
}

fn unclosed(last: u64, why: &str) -> String {
    format!("unclosed quote: the record read from here runs to line {last} and is not a row ({why}); this line is rejected and the next one read as a row")
}

#[test]
fn a_csv_quote_left_open_costs_its_line_and_the_rows_after_it_are_read() {
    let good = |ids: &[u64]| ids.iter().map(|&i| csv_row(i, 21)).collect::<String>();
    // Line 3 opens a quote nothing closes; line 8 one that line 10's
    // quoted text closes; line 11 holds a text over two lines.
    let open = "102,2012-12-24T22:00:00.000Z,\"netflix is down,u2,en\n";
    let open2 = "107,2012-12-24T22:00:00.000Z,\"netflix is down,u7,en\n";
    let quoted = "109,2012-12-24T21:00:00.000Z,\"netflix, again\",u9,en\n";
    let multi = "110,2012-12-24T21:00:00.000Z,\"netflix\nis down\",u10,en\n";
    let text = format!(
        "{CSV_HEADER}{}{open2}{}{quoted}{multi}{}{open}{}",
        good(&[101]),
        good(&[108]),
        good(&[111]),
        good(&[103, 104, 105])
    );
    // Plain, and gzipped so the rows arrive as a stream.
    for (name, bytes) in [
        ("q.csv", text.clone().into_bytes()),
        ("q.csv.gz", crate::util::gzip(text.as_bytes())),
    ] {
        let (run, rejects, stored) = import_csv(name, &bytes);
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(run.field("lines read"), "10", "{}", run.stdout);
        assert_eq!(run.field("posts"), "8", "{}", run.stdout);
        assert_eq!(run.field("rejected lines"), "2", "{}", run.stdout);
        let named: Vec<&str> = run
            .stdout
            .lines()
            .filter_map(|l| l.trim().strip_prefix(&format!("{name}:")))
            .collect();
        assert_eq!(
            named,
            [
                format!(
                    "3: {}",
                    unclosed(5, "text follows a closing quote on line 5")
                ),
                format!(
                    "9: {}",
                    unclosed(12, "no quote closes it before the end of the input")
                ),
            ],
            "{}",
            run.stdout
        );
        assert_eq!(stored, 8);
        // The line alone is kept: the rows after it were read.
        assert_eq!(rejects, format!("{open2}{open}"));
    }
    // Quotes closed, even across lines and doubled, leave every row read.
    let closed = format!(
        "{CSV_HEADER}101,2012-12-24T21:00:00.000Z,\"netflix is \"\"down\"\"\nagain\",u1,en\n{}",
        good(&[102])
    );
    let (run, rejects, stored) = import_csv("closed.csv", closed.as_bytes());
    assert_eq!(run.field("rejected lines"), "0", "{}", run.stdout);
    assert_eq!((stored, rejects.as_str()), (2, ""));
}

/// Where a row starts depends on how the rows before it were cut: a
/// resumed import, which skips the rows stored without reading them as
/// posts, must cut them the same way.
#[test]
fn a_csv_with_a_quote_left_open_resumes_at_the_row_it_stopped_at() {
    let mut text = CSV_HEADER.to_string();
    for i in 0..30u64 {
        text.push_str(&match i % 10 {
            3 => format!(
                "{},2012-12-24T22:00:00.000Z,\"netflix is down,u,en\n",
                200 + i
            ),
            6 => format!(
                "{},2012-12-24T21:00:00.000Z,\"netflix\nis down\",u,en\n",
                200 + i
            ),
            _ => csv_row(200 + i, 20),
        });
    }
    let clean = Outcry::new();
    std::fs::write(clean.path("q.csv"), &text).unwrap();
    let whole = clean.run(&["import", "--no-chart", "--rejects", "rejects.txt", "q.csv"]);
    assert_eq!(whole.code, 0, "{}", whole.stdout);
    assert_eq!(whole.field("posts"), "27", "{}", whole.stdout);
    assert_eq!(whole.field("rejected lines"), "3", "{}", whole.stdout);

    let o = Outcry::new();
    std::fs::write(o.path("q.csv"), &text).unwrap();
    let args = ["q.csv", "--rejects", "rejects.txt"];
    let mut child = crate::util::paused_import_every(&o, "4", &args, 2);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let run = o.run(&[
        "import",
        "--no-chart",
        "--commit-every",
        "4",
        "q.csv",
        "--rejects",
        "rejects.txt",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.field("resumed after line"), "8");
    assert_eq!(run.field("lines read"), "22");
    assert_eq!(run.field("duplicates skipped"), "0");
    assert_eq!(o.curve_rows(&["netflix"]), clean.curve_rows(&["netflix"]));
    let read = |o: &Outcry| std::fs::read_to_string(o.path("rejects.txt")).unwrap();
    assert_eq!(read(&o), read(&clean));
}

#[test]
fn csv_rows_of_another_width_than_the_header_are_rejected() {
    let wide = "1,2012-12-24T20:00:00.000Z,netflix is down, really,u1,en\n";
    let short = "2,2012-12-24T20:00:00.000Z\n";
    let text = format!("{CSV_HEADER}{wide}{short}{}", csv_row(3, 20));
    let (run, rejects, stored) = import_csv("w.csv", text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.field("posts"), "1", "{}", run.stdout);
    assert_eq!(run.field("rejected lines"), "2", "{}", run.stdout);
    assert!(
        run.stdout
            .contains("w.csv:2: 6 fields where the header has 5"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("w.csv:3: 2 fields where the header has 5"),
        "{}",
        run.stdout
    );
    assert_eq!(stored, 1);
    assert_eq!(rejects, format!("{wide}{short}"));
}

#[test]
fn csv_rows_with_crlf_ends_are_named_by_their_own_line() {
    let lf = format!(
        "{CSV_HEADER}{}2,bad time,netflix is down,b,en\n\n{}4,also bad,\"netflix\nis down\",d,en\n5,soon,netflix is down,e,en\n",
        csv_row(1, 20),
        csv_row(3, 20),
    );
    let crlf = lf.replace('\n', "\r\n");
    for (name, text) in [("lf.csv", &lf), ("crlf.csv", &crlf)] {
        let (run, rejects, stored) = import_csv(name, text.as_bytes());
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(run.field("rejected lines"), "3", "{}", run.stdout);
        assert_eq!(stored, 2);
        let named: Vec<&str> = run
            .stdout
            .lines()
            .filter_map(|l| l.trim().strip_prefix(name)?.split(": ").next())
            .collect();
        // Line 4 is blank; the row at 6 spans two lines.
        assert_eq!(named, [":3", ":6", ":8"], "{}", run.stdout);
        // Rejected rows are kept as written, without the line break that
        // ended the row before them.
        let end = if name == "lf.csv" { "\n" } else { "\r\n" };
        assert_eq!(
            rejects,
            format!(
                "2,bad time,netflix is down,b,en\n4,also bad,\"netflix{end}is down\",d,en\n5,soon,netflix is down,e,en\n"
            )
        );
    }
}

#[test]
fn command_line_values_out_of_range_are_usage_errors_that_create_nothing() {
    let o = Outcry::new();
    // An unknown scenario is refused before the output file is created.
    let run = o.run(&["synth", "--scenario", "nope", "--out", "x.jsonl"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("possible values: christmas-eve-2012, random, load"),
        "{}",
        run.stderr
    );
    assert!(!o.path("x.jsonl").exists());
    // Zero records between commits means nothing; it used to mean one.
    std::fs::write(o.path("empty.jsonl"), "").unwrap();
    let run = o.run(&["import", "--commit-every", "0", "empty.jsonl"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--commit-every"), "{}", run.stderr);
    assert!(!o.db().exists());
    // A time before 1970 is named for what is wrong with it.
    let run = o.run(&["curve", "netflix", "--from", "1969-12-31"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("from 1970 on"), "{}", run.stderr);
    // A mistyped --chart topic is refused before anything is read.
    std::fs::write(
        o.path("one.jsonl"),
        "{\"created_at\":\"Mon Dec 24 20:10:00 +0000 2012\",\"id_str\":\"1\",\"text\":\"netflix is down\",\"user\":{\"screen_name\":\"a\"}}\n",
    )
    .unwrap();
    let run = o.run(&["import", "one.jsonl", "--chart", "myspace", "-q"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unknown topic \"myspace\" (topics: netflix"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("posts"), "{}", run.stdout);
    let run = o.run(&["import", "one.jsonl", "--no-chart", "-q"]);
    assert!(
        run.stdout.contains("netflix                   1"),
        "{}",
        run.stdout
    );
    // A cause is told once, not twice.
    std::fs::write(o.path("truth.json"), "x").unwrap();
    let run = o.run(&["detect", "--truth", "truth.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("expected value at line 1 column 1")
            .count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn the_total_of_several_inputs_does_not_count_more_rejects_than_it_lists() {
    let o = Outcry::new();
    std::fs::write(o.path("a.jsonl"), "{\"broken\n").unwrap();
    std::fs::write(o.path("b.jsonl"), "{\"broken too\n").unwrap();
    let run = o.run(&["import", "a.jsonl", "b.jsonl", "--no-chart", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let total = run.stdout.split("== total (2 inputs)").nth(1).unwrap();
    assert!(total.contains("rejected lines           2"), "{total}");
    // Each input listed its own; the total lists none and says no "… more".
    assert!(!total.contains("more"), "{total}");
    assert_eq!(
        run.stdout.matches("a.jsonl:1: ").count(),
        1,
        "{}",
        run.stdout
    );
}

#[test]
fn half_an_emoji_costs_no_tweet() {
    let o = Outcry::new();
    // Text cut inside a surrogate pair, high half or low half, in a v1 line
    // and in one item of a v2 page; a whole emoji beside them is kept.
    let v1 = concat!(
        r#"{"created_at":"Mon Dec 24 20:10:00 +0000 2012","id_str":"77","text":"netflix is down \ud83d","user":{"screen_name":"a"}}"#,
        "\n",
        r#"{"created_at":"Mon Dec 24 20:11:00 +0000 2012","id_str":"78","text":"netflix is down \udc00 again \ud83d\ude2d","user":{"screen_name":"a"}}"#,
        "\n",
    );
    let v2 = concat!(
        r#"{"data":[{"id":"91","text":"netflix is down","created_at":"2012-12-24T20:43:00.000Z","author_id":"8"},"#,
        r#"{"id":"92","text":"netflix is down \ud83d","created_at":"2012-12-24T20:44:00.000Z","author_id":"8"}]}"#,
        "\n",
    );
    std::fs::write(o.path("v1.jsonl"), v1).unwrap();
    std::fs::write(o.path("v2.jsonl"), v2).unwrap();
    for file in ["v1.jsonl", "v2.jsonl"] {
        let run = o.run(&[
            "import",
            file,
            "--no-chart",
            "-q",
            "--rejects",
            "rejects.txt",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("posts                    2"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("rejected lines           0"),
            "{}",
            run.stdout
        );
    }
    assert_eq!(std::fs::read_to_string(o.path("rejects.txt")).unwrap(), "");
    let run = o.run(&["posts", "netflix", "--format", "json", "--limit", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("netflix is down \u{fffd} again \u{1f62d}"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("netflix is down \u{fffd}\""),
        "{}",
        run.stdout
    );
}

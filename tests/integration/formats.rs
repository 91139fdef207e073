//! `outcry import` of every archive shape: v1.1 pretty-printed, twarc2 raw
//! and flattened, the export, three CSV dialects, the Stream Grab's tars;
//! and one test per kind of bad input.
//!
//! The fixtures hold the same Christmas Eve 2012 tweets as `v1/small.jsonl`
//! (ids 283306174000000001–7), so every format must give its curve: netflix
//! 5 posts (4 complaints), hulu 1.

use crate::util::{bzip2, fixture, gzip, read_fixture, tar, zip, Outcry};

fn path(rel: &str) -> String {
    fixture(rel).to_str().unwrap().to_string()
}

/// The netflix curve of the seven tweets, as `v1/small.jsonl` gives it.
fn christmas_curve() -> Vec<(String, String, u64, u64)> {
    let o = Outcry::new();
    let run = o.run(&["import", &path("v1/small.jsonl"), "--no-chart"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    o.curve_rows(&["netflix"])
}

fn import_ok(o: &Outcry, args: &[&str]) -> crate::util::Run {
    let mut all = vec!["import", "--no-chart"];
    all.extend_from_slice(args);
    let run = o.run(&all);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

#[test]
fn pretty_printed_v1_arrays_and_single_objects_are_read() {
    let o = Outcry::new();
    let run = import_ok(&o, &[&path("v1-pretty/array.json")]);
    assert_eq!(run.field("format"), "twitter-v1 (JSON document)");
    assert_eq!(run.field("lines read"), "3");
    assert_eq!(run.field("posts"), "3");
    assert_eq!(run.topic_row("netflix"), Some((2, 2)));
    let run = import_ok(&o, &[&path("v1-pretty/single.json")]);
    assert_eq!(run.field("posts"), "1");
    assert_eq!(run.topic_row("netflix"), Some((1, 1)));
    // Toronto's place gives the region.
    let ca = o.curve_rows(&["netflix", "--region", "CA"]);
    assert_eq!(ca.iter().map(|r| r.2).sum::<u64>(), 1);
}

#[test]
fn twarc2_search_pages_yield_every_tweet_with_its_includes() {
    let o = Outcry::new();
    let run = import_ok(&o, &[&path("v2/search.jsonl")]);
    assert_eq!(run.field("format"), "twitter-v2 (JSON lines)");
    assert_eq!(run.field("lines read"), "2");
    assert_eq!(run.field("posts"), "7");
    assert_eq!(run.field("rejected lines"), "0");
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    assert_eq!(run.topic_row("hulu"), Some((1, 0)));
    assert_eq!(o.curve_rows(&["netflix"]), christmas_curve());
    // The author's location comes from includes.users, the place from
    // includes.places.
    let us: u64 = o
        .curve_rows(&["netflix", "--region", "US"])
        .iter()
        .map(|r| r.2)
        .sum();
    let ca: u64 = o
        .curve_rows(&["netflix", "--region", "CA"])
        .iter()
        .map(|r| r.2)
        .sum();
    let br: u64 = o
        .curve_rows(&["netflix", "--region", "BR"])
        .iter()
        .map(|r| r.2)
        .sum();
    assert_eq!((us, ca, br), (3, 1, 1));
}

#[test]
fn twarc2_stream_lines_and_flattened_tweets_are_read() {
    let o = Outcry::new();
    let run = import_ok(&o, &[&path("v2/stream.jsonl")]);
    assert_eq!(run.field("posts"), "5");
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    let p = Outcry::new();
    let run = import_ok(&p, &[&path("v2/flat.jsonl")]);
    assert_eq!(run.field("posts"), "7");
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    assert_eq!(p.curve_rows(&["netflix"]), christmas_curve());
    assert_eq!(o.curve_rows(&["netflix"]), christmas_curve());
}

#[test]
fn the_three_csv_dialects_are_read_by_their_headers() {
    for name in ["csv/twarc.csv", "csv/json2csv.csv"] {
        let o = Outcry::new();
        let run = import_ok(&o, &[&path(name)]);
        assert_eq!(run.field("format"), "csv", "{name}");
        assert_eq!(run.field("posts"), "7", "{name}");
        assert_eq!(run.topic_row("netflix"), Some((5, 4)), "{name}");
        assert_eq!(o.curve_rows(&["netflix"]), christmas_curve(), "{name}");
    }
    // The old archive: one account's tweets, `timestamp` with a space.
    let o = Outcry::new();
    let run = import_ok(&o, &[&path("csv/tweets.csv")]);
    assert_eq!(run.field("posts"), "4");
    // The retweet of @netflix's notice is read as its original's words, as
    // a v1 archive gives them: "RT @netflix: " is no mention of netflix.
    assert_eq!(run.topic_row("netflix"), Some((2, 1)));
    let days: Vec<(String, u64)> = o
        .curve_rows(&["netflix", "--by", "day"])
        .into_iter()
        .map(|r| (r.0, r.2))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2012-12-24T00:00:00Z".to_string(), 1),
            ("2012-12-25T00:00:00Z".to_string(), 1)
        ]
    );
}

#[test]
fn the_same_tweets_in_three_formats_count_once() {
    let o = Outcry::new();
    let run = import_ok(
        &o,
        &[
            &path("v1/small.jsonl"),
            &path("v2/search.jsonl"),
            &path("csv/twarc.csv"),
        ],
    );
    // Every tweet that mentions a topic was counted by the first file.
    assert_eq!(run.fields("duplicates skipped"), vec!["1", "6", "6", "13"]);
    assert_eq!(o.curve_rows(&["netflix"]), christmas_curve());
    // And in the other order, through gzip and zstd.
    let p = Outcry::new();
    std::fs::write(
        p.path("t.csv.zst"),
        zstd::encode_all(&read_fixture("csv/twarc.csv")[..], 3).unwrap(),
    )
    .unwrap();
    std::fs::write(p.path("s.jsonl.gz"), gzip(&read_fixture("v2/search.jsonl"))).unwrap();
    let run = import_ok(&p, &["t.csv.zst", "s.jsonl.gz", &path("v1/small.jsonl")]);
    assert_eq!(run.field("== t.csv.zst"), "(zstd)");
    assert_eq!(run.fields("duplicates skipped"), vec!["0", "6", "7", "13"]);
    assert_eq!(p.curve_rows(&["netflix"]), christmas_curve());
}

#[test]
fn the_export_is_read_as_a_file_a_folder_or_the_zip() {
    let o = Outcry::new();
    let run = import_ok(&o, &[&path("export/data/tweets.js")]);
    assert_eq!(run.field("format"), "export (tweets.js)");
    assert_eq!(run.field("posts"), "4");
    assert_eq!(run.topic_row("netflix"), Some((3, 3)));
    // The owner's profile location places every tweet.
    let us: u64 = o
        .curve_rows(&["netflix", "--region", "US"])
        .iter()
        .map(|r| r.2)
        .sum();
    assert_eq!(us, 3);

    // The unpacked folder: only the tweet files are inputs.
    let p = Outcry::new();
    let run = import_ok(&p, &[&path("export")]);
    assert_eq!(run.fields("== ").len(), 1, "{}", run.stdout);
    assert_eq!(run.field("posts"), "4");

    // The zip as downloaded, media and all.
    let q = Outcry::new();
    let names = [
        "data/account.js",
        "data/like.js",
        "data/manifest.js",
        "data/profile.js",
        "data/tweets.js",
        "Your archive.html",
    ];
    let mut members: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (n.to_string(), read_fixture(&format!("export/{n}"))))
        .collect();
    members.insert(
        0,
        (
            "data/tweets_media/283306174000000001-a.jpg".into(),
            vec![0xff, 0xd8, 0xff, 0xe0],
        ),
    );
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    std::fs::write(q.path("twitter-2023-01-15.zip"), zip(&refs)).unwrap();
    let run = import_ok(&q, &["twitter-2023-01-15.zip"]);
    assert_eq!(run.field("== twitter-2023-01-15.zip"), "(zip)");
    assert_eq!(run.field("members read"), "1");
    assert_eq!(run.field("members skipped"), "6");
    assert_eq!(run.field("posts"), "4");
    assert_eq!(run.topic_row("netflix"), Some((3, 3)));
    assert_eq!(q.curve_rows(&["netflix"]), o.curve_rows(&["netflix"]));
    let again = import_ok(&q, &["twitter-2023-01-15.zip"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
    );

    // The 2019 layout: tweet.js with bare tweet objects.
    let r = Outcry::new();
    let run = import_ok(&r, &[&path("export-2019/tweet.js")]);
    assert_eq!(run.field("posts"), "2");
}

/// The Stream Grab's month tar: per-minute bzip2 and gzip files, a day's
/// nested tar, a temporary file left by the collector and a duplicate file.
fn stream_grab_tar() -> Vec<u8> {
    let minute = |m: &str| read_fixture(&format!("streamgrab/2012/12/24/{m}.json"));
    let day = tar(&[("2012/12/24/21/10.json.bz2", &bzip2(&minute("21/10")))]);
    tar(&[
        ("2012/12/24/20/31.json.bz2", &bzip2(&minute("20/31"))),
        (
            "2012/12/24/20/.45.json.bz2.PTrPs6",
            &bzip2(b"{\"created_at\":"),
        ),
        ("2012/12/24/20/45.json.gz", &gzip(&minute("20/45"))),
        ("2012/12/24/21.tar", &day),
        ("2012/12/24/23/59.json.bz2", &bzip2(&minute("23/59"))),
        ("2012/12/24/copy/31.json.bz2", &bzip2(&minute("20/31"))),
    ])
}

#[test]
fn a_stream_grab_tar_of_bz2_and_gz_members_imports_whole() {
    let o = Outcry::new();
    std::fs::write(
        o.path("archiveteam-twitter-stream-2012-12.tar"),
        stream_grab_tar(),
    )
    .unwrap();
    let run = import_ok(&o, &["archiveteam-twitter-stream-2012-12.tar"]);
    assert_eq!(
        run.field("== archiveteam-twitter-stream-2012-12.tar"),
        "(tar)"
    );
    assert_eq!(run.field("members read"), "5");
    assert_eq!(run.field("members skipped"), "1");
    assert!(
        run.stdout
            .contains("2012/12/24/20/.45.json.bz2.PTrPs6: temporary file (skipped)"),
        "{}",
        run.stdout
    );
    assert_eq!(run.field("lines read"), "14");
    assert_eq!(run.field("posts"), "10");
    assert_eq!(run.field("control lines"), "4");
    // 01 was deleted at 23:59 after being counted; the 20:45 delete is of a
    // tweet that mentions no topic, so it was never counted. The copy of the
    // 20:31 file adds its tweet 01 as a duplicate.
    assert_eq!(run.field("deletes of counted posts"), "1");
    assert_eq!(run.field("duplicates skipped"), "1");
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
    // Tweet 06 sits in the 23:59 file but was written at 22:05.
    assert_eq!(o.curve_rows(&["netflix"]), christmas_curve());
    assert_eq!(o.curve_rows(&["hulu"])[0].0, "2012-12-24T22:00:00Z");
    let again = import_ok(&o, &["archiveteam-twitter-stream-2012-12.tar"]);
    assert!(
        again.stdout.contains("already imported whole"),
        "{}",
        again.stdout
    );

    // The same month compressed whole, and as a zip of the minute files.
    let p = Outcry::new();
    std::fs::write(p.path("month.tar.gz"), gzip(&stream_grab_tar())).unwrap();
    let run = import_ok(&p, &["month.tar.gz"]);
    assert_eq!(run.field("== month.tar.gz"), "(gzip, tar)");
    assert_eq!(p.curve_rows(&["netflix"]), christmas_curve());
    let q = Outcry::new();
    let m = |n: &str| bzip2(&read_fixture(&format!("streamgrab/2012/12/24/{n}.json")));
    let (a, b, c, d) = (m("20/31"), m("20/45"), m("21/10"), m("23/59"));
    std::fs::write(
        q.path("day.zip"),
        zip(&[
            ("24/20/31.json.bz2", &a),
            ("24/20/45.json.bz2", &b),
            ("24/21/10.json.bz2", &c),
            ("24/23/59.json.bz2", &d),
        ]),
    )
    .unwrap();
    let run = import_ok(&q, &["day.zip"]);
    assert_eq!(run.field("members read"), "4");
    assert_eq!(q.curve_rows(&["netflix"]), christmas_curve());
}

#[test]
fn format_forces_one_reading() {
    let o = Outcry::new();
    let run = o.run(&[
        "import",
        &path("v2/flat.jsonl"),
        "--format",
        "v1",
        "--no-chart",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(run.field("format"), "twitter-v1 (JSON lines)");
    assert_eq!(run.field("posts"), "0");
    assert_eq!(run.field("rejected lines"), "7");
    // v2 ids are strings where v1.1 has numbers.
    assert!(run.stdout.contains("flat.jsonl:1: not a tweet: invalid type: string \"283306174000000001\", expected a JSON number"), "{}", run.stdout);
    let bad = o.run(&["import", &path("v2/flat.jsonl"), "--format", "xml"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("possible values"), "{}", bad.stderr);
}

/// Lines `lines` (1-based) of fixture `rel`, each with its newline.
fn fixture_lines(rel: &str, lines: &[usize]) -> Vec<u8> {
    let all = read_fixture(rel);
    let split: Vec<&[u8]> = all.split_inclusive(|&b| b == b'\n').collect();
    lines.iter().flat_map(|&n| split[n - 1].to_vec()).collect()
}

/// Writes `bytes` as `name` in `o`'s folder and imports it with `args`.
fn import_written(o: &Outcry, name: &str, bytes: &[u8], args: &[&str]) -> crate::util::Run {
    let file = o.path(name);
    std::fs::write(&file, bytes).unwrap();
    let mut all = vec![file.to_str().unwrap()];
    all.extend_from_slice(args);
    import_ok(o, &all)
}

#[test]
fn a_file_of_both_api_versions_reads_each_line_in_its_own() {
    // v1.1 tweets 1-3 (with a delete, a limit notice and a repeat of 1)
    // then the twarc2 flat lines of tweets 4-7: read as v1.1, as its first
    // lines are, and the v2 lines in their own version.
    let o = Outcry::new();
    let mut v1_first = fixture_lines("v1/small.jsonl", &[1, 2, 3, 4, 5, 6]);
    v1_first.extend(fixture_lines("v2/flat.jsonl", &[4, 5, 6, 7]));
    let run = import_written(&o, "v1-then-v2.jsonl", &v1_first, &[]);
    assert_eq!(run.field("format"), "twitter-v1 (JSON lines)");
    assert_eq!(run.field("posts"), "8");
    assert_eq!(run.field("duplicates skipped"), "1");
    assert_eq!(run.field("control lines"), "2");
    assert_eq!(run.field("rejected lines"), "0");
    assert_eq!(run.field("warnings"), "4");
    assert!(
        run.stdout.contains(
            "v1-then-v2.jsonl:7: a twitter-v2 record in a twitter-v1 file: read as twitter-v2"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(o.curve_rows(&["netflix"]), christmas_curve());

    // The other way round: a twarc2 file with v1.1 lines after its first.
    let o = Outcry::new();
    let mut v2_first = fixture_lines("v2/flat.jsonl", &[1, 2, 3]);
    v2_first.extend(fixture_lines("v1/small.jsonl", &[7, 9, 10, 13]));
    let run = import_written(&o, "v2-then-v1.jsonl", &v2_first, &[]);
    assert_eq!(run.field("format"), "twitter-v2 (JSON lines)");
    assert_eq!(run.field("posts"), "7");
    assert_eq!(run.field("rejected lines"), "0");
    assert_eq!(run.field("warnings"), "4");
    assert!(run.stdout.contains(
        "v2-then-v1.jsonl:4: a twitter-v1 record in a twitter-v2 file: read as twitter-v1"
    ));
    assert_eq!(o.curve_rows(&["netflix"]), christmas_curve());

    // A line neither version reads keeps the reason of the file's version,
    // and --format still forces one reading (`format_forces_one_reading`).
    let o = Outcry::new();
    let mut bad = fixture_lines("v1/small.jsonl", &[1]);
    bad.extend(b"{\"id\": \"9\", \"text\": \"no time\"}\n");
    let run = import_written(&o, "v1-then-bad.jsonl", &bad, &[]);
    assert_eq!(run.field("rejected lines"), "1");
    assert!(
        run.stdout
            .contains("v1-then-bad.jsonl:2: not a tweet: invalid type: string \"9\""),
        "{}",
        run.stdout
    );
    let forced = import_written(&o, "v1-then-v2.jsonl", &v1_first, &["--format", "v1"]);
    assert_eq!(forced.field("posts"), "4");
    assert_eq!(forced.field("rejected lines"), "4");
}

#[test]
fn a_twarc2_page_in_a_v1_file_keeps_its_good_items_and_an_error_line_stays_rejected() {
    let o = Outcry::new();
    let mut lines = fixture_lines("v1/small.jsonl", &[1, 2, 3]);
    // A page whose second item has a number for author_id, then an API
    // error message: neither is a v1.1 tweet.
    lines.extend(
        br#"{"data":[{"id":"283306174000000009","text":"netflix is down again","created_at":"2012-12-24T21:10:00.000Z","author_id":"1"},{"id":"283306174000000010","text":"x","created_at":"2012-12-24T21:11:00.000Z","author_id":8}]}"#,
    );
    lines.push(b'\n');
    lines.extend(br#"{"errors":[{"message":"Rate limit exceeded","code":88}]}"#);
    lines.push(b'\n');
    let run = import_written(&o, "page-in-v1.jsonl", &lines, &[]);
    assert_eq!(run.field("format"), "twitter-v1 (JSON lines)");
    assert_eq!(run.field("posts"), "4", "{}", run.stdout);
    assert_eq!(run.field("warnings"), "1", "{}", run.stdout);
    assert_eq!(run.field("rejected lines"), "2", "{}", run.stdout);
    assert!(
        run.stdout
            .contains("page-in-v1.jsonl:4: data[1]: not a tweet: author_id"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("page-in-v1.jsonl:5: JSON object is not a tweet"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_log_line_before_a_twarc2_page_longer_than_the_head_hides_nothing() {
    // Found in a folder, so the file must be recognised to be read at all;
    // the page (600 tweets, about 90 KiB) does not end within the 64 KiB
    // the format is judged from.
    let o = Outcry::new();
    let folder = o.path("collected");
    std::fs::create_dir(&folder).unwrap();
    let tweets: Vec<String> = (0..600)
        .map(|i| {
            format!(
                r#"{{"id":"2833061740{i:08}","text":"netflix is down again, number {i} of many complaints tonight","created_at":"2012-12-24T21:{:02}:00.000Z","author_id":"{i}"}}"#,
                i % 60
            )
        })
        .collect();
    let page = format!(r#"{{"data":[{}]}}"#, tweets.join(","));
    assert!(page.len() > 64 * 1024);
    std::fs::write(
        folder.join("search.jsonl"),
        format!("twarc2 search started\n{page}\n"),
    )
    .unwrap();
    let run = import_ok(&o, &["collected"]);
    assert_eq!(
        run.field("format"),
        "twitter-v2 (JSON lines)",
        "{}",
        run.stdout
    );
    assert_eq!(run.field("posts"), "600", "{}", run.stdout);
    assert_eq!(run.field("rejected lines"), "1", "{}", run.stdout);
    assert_eq!(run.topic_row("netflix"), Some((600, 600)));
}

// ---------------------------------------------------------------- bad input

/// Imports a `bad/` fixture (a good tweet, the bad line, a good tweet) and
/// checks the reason given for line 2 and that it was kept verbatim.
fn rejects_line_2(name: &str, reason: &str) {
    let o = Outcry::new();
    let file = path(&format!("bad/{name}"));
    let rejects = o.path("rejects.txt");
    let run = import_ok(&o, &[&file, "--rejects", rejects.to_str().unwrap()]);
    assert_eq!(run.field("rejected lines"), "1", "{}", run.stdout);
    let expected = format!("{file}:2: {reason}");
    assert!(
        run.stdout.contains(&expected),
        "wanted {expected:?} in\n{}",
        run.stdout
    );
    assert_eq!(run.topic_row("netflix"), Some((2, 2)), "{}", run.stdout);
    let original = read_fixture(&format!("bad/{name}"));
    let line2 = original.split(|&b| b == b'\n').nth(1).unwrap();
    let mut kept = line2.to_vec();
    kept.push(b'\n');
    assert_eq!(std::fs::read(rejects).unwrap(), kept);
}

#[test]
fn a_line_that_is_not_json_is_rejected() {
    rejects_line_2("not-json.jsonl", "not JSON: a tweet line starts with '{'");
}

#[test]
fn json_that_is_not_a_post_is_rejected() {
    rejects_line_2(
        "not-a-post.jsonl",
        "JSON object is not a tweet (no id, created_at or text)",
    );
}

#[test]
fn a_post_without_an_id_is_rejected() {
    rejects_line_2("no-id.jsonl", "tweet has no id");
}

#[test]
fn a_post_without_a_time_is_rejected() {
    rejects_line_2("no-time.jsonl", "tweet has no created_at");
}

#[test]
fn a_time_that_cannot_be_parsed_is_rejected() {
    rejects_line_2(
        "bad-time.jsonl",
        "created_at \"25/12/2012 03:00\" is not a Twitter time",
    );
}

#[test]
fn invalid_utf8_is_rejected() {
    rejects_line_2("invalid-utf8.jsonl", "invalid UTF-8 at byte 98");
}

#[test]
fn a_line_longer_than_16_mib_is_rejected_and_kept_whole() {
    let o = Outcry::new();
    let good = read_fixture("bad/not-json.jsonl");
    let lines: Vec<&[u8]> = good.split(|&b| b == b'\n').collect();
    let mut long =
        br#"{"created_at":"Tue Dec 25 03:00:00 +0000 2012","id_str":"1","text":""#.to_vec();
    long.extend(std::iter::repeat_n(b'x', 17 * 1024 * 1024));
    long.extend_from_slice(b"\"}");
    let mut file = Vec::new();
    for part in [lines[0], &long, lines[2]] {
        file.extend_from_slice(part);
        file.push(b'\n');
    }
    std::fs::write(o.path("long.jsonl"), &file).unwrap();
    let rejects = o.path("rejects.txt");
    let run = import_ok(&o, &["long.jsonl", "--rejects", rejects.to_str().unwrap()]);
    assert!(
        run.stdout.contains(&format!(
            "long.jsonl:2: line of {} bytes is longer than the 16 MiB limit",
            long.len() + 1
        )),
        "{}",
        run.stdout
    );
    assert_eq!(run.topic_row("netflix"), Some((2, 2)));
    let mut kept = long.clone();
    kept.push(b'\n');
    assert!(
        std::fs::read(rejects).unwrap() == kept,
        "the long line was not kept verbatim"
    );
}

#[test]
fn a_truncated_gzip_member_is_reported_and_the_rest_imported() {
    let o = Outcry::new();
    let full = gzip(&read_fixture("streamgrab/2012/12/24/20/45.json"));
    let archive = tar(&[
        (
            "20/31.json.gz",
            &gzip(&read_fixture("streamgrab/2012/12/24/20/31.json")),
        ),
        ("20/45.json.gz", &full[..full.len() / 2]),
        (
            "23/59.json.gz",
            &gzip(&read_fixture("streamgrab/2012/12/24/23/59.json")),
        ),
    ]);
    std::fs::write(o.path("cut.tar"), archive).unwrap();
    let run = o.run(&["import", "cut.tar", "--no-chart"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.field("unreadable members"), "1");
    assert!(
        run.stdout
            .contains("cut.tar:20/45.json.gz: truncated gzip stream after line"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("could not read: cut.tar:20/45.json.gz"),
        "{}",
        run.stdout
    );
    assert_eq!(run.field("members read"), "3");
    // 01 from the first member, 06 and 07 from the last.
    assert_eq!(run.topic_row("netflix"), Some((2, 2)));
    assert_eq!(run.topic_row("hulu"), Some((1, 0)));
}

#[test]
fn a_corrupt_tar_entry_is_reported_and_what_came_before_kept() {
    let o = Outcry::new();
    let first = read_fixture("streamgrab/2012/12/24/20/31.json");
    let mut archive = tar(&[
        ("20/31.json", &first),
        (
            "23/59.json",
            &read_fixture("streamgrab/2012/12/24/23/59.json"),
        ),
    ]);
    let second_header = 512 + first.len().div_ceil(512) * 512;
    archive[second_header + 3] ^= 0x5a;
    std::fs::write(o.path("broken.tar"), archive).unwrap();
    let run = o.run(&[
        "import",
        "broken.tar",
        &path("v2/stream.jsonl"),
        "--no-chart",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("error                    corrupt tar entry after 20/31.json: archive header checksum mismatch"),
        "{}",
        run.stdout
    );
    assert_eq!(run.topic_row("netflix"), Some((1, 1)));
    // The next file was read all the same.
    let total: u64 = o.curve_rows(&["netflix"]).iter().map(|r| r.2).sum();
    assert_eq!(total, 5);
}

#[test]
fn a_file_that_cannot_be_opened_is_named_and_gives_status_1() {
    let o = Outcry::new();
    let folder = o.path("runs");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixture("v2/stream.jsonl"), folder.join("a.jsonl")).unwrap();
    std::os::unix::fs::symlink("/no/such/run.jsonl", folder.join("b.jsonl")).unwrap();
    let run = o.run(&["import", "runs", "missing.jsonl", "--no-chart"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("could not read: missing.jsonl: No such file"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("could not read: runs/b.jsonl: No such file"),
        "{}",
        run.stdout
    );
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
}

#[test]
fn files_in_a_folder_that_hold_no_posts_are_skipped_with_a_reason() {
    let o = Outcry::new();
    let folder = o.path("mixed");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixture("csv/twarc.csv"), folder.join("a.csv")).unwrap();
    std::fs::write(folder.join("README.txt"), "collected with twarc2\n").unwrap();
    std::fs::write(folder.join("cover.png"), [0x89, b'P', b'N', b'G']).unwrap();
    // One JSON line of settings does not make notes an archive.
    std::fs::write(
        folder.join("notes.txt"),
        "query settings\n{\"max_results\": 100}\nremember to rerun\n",
    )
    .unwrap();
    let run = import_ok(&o, &["mixed"]);
    assert!(
        run.stdout
            .contains("skipped: neither JSON nor a tweet CSV (starts \"collected with twarc2\")"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("skipped: neither JSON nor a tweet CSV (starts \"query settings\")"),
        "{}",
        run.stdout
    );
    assert_eq!(run.field("rejected lines"), "0", "{}", run.stdout);
    assert_eq!(run.fields("== ").len(), 4, "{}", run.stdout);
    assert_eq!(run.topic_row("netflix"), Some((5, 4)));
}

#[test]
fn no_bytes_make_the_import_panic() {
    use rand::{Rng, SeedableRng};
    let o = Outcry::new();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(24);
    let seeds = [
        read_fixture("v2/search.jsonl"),
        read_fixture("csv/twarc.csv"),
        read_fixture("export/data/tweets.js"),
        read_fixture("v1-pretty/array.json"),
        gzip(&read_fixture("v1/small.jsonl")),
        stream_grab_tar(),
    ];
    let mut names = Vec::new();
    for (i, seed) in seeds.iter().enumerate() {
        for j in 0..6 {
            let mut bytes = seed.clone();
            // Flip bytes, cut the end, or splice in noise.
            for _ in 0..rng.gen_range(1..20) {
                let at = rng.gen_range(0..bytes.len());
                bytes[at] = rng.gen();
            }
            if j % 2 == 1 {
                let keep = rng.gen_range(0..bytes.len());
                bytes.truncate(keep);
            }
            let name = format!("fuzz-{i}-{j}");
            std::fs::write(o.path(&name), &bytes).unwrap();
            names.push(name);
        }
    }
    let mut args = vec!["import", "--no-chart"];
    args.extend(names.iter().map(String::as_str));
    let run = o.run(&args);
    assert!(
        run.code == 0 || run.code == 1,
        "status {}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

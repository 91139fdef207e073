//! `outcry curve` and `outcry export curve`: buckets, regions, formats.

use crate::util::{closed_pipe, fixture, Outcry};

fn imported() -> Outcry {
    Outcry::imported("v1/small.jsonl")
}

fn row(start: &str, region: &str, posts: u64, complaints: u64) -> (String, String, u64, u64) {
    (start.to_string(), region.to_string(), posts, complaints)
}

#[test]
fn the_hourly_curve_equals_the_hand_count() {
    let o = imported();
    assert_eq!(
        o.curve_rows(&["netflix"]),
        vec![
            row("2012-12-24T20:00:00Z", "all", 2, 2),
            row("2012-12-24T21:00:00Z", "all", 2, 1),
            row("2012-12-24T22:00:00Z", "all", 0, 0),
            row("2012-12-24T23:00:00Z", "all", 1, 1),
        ]
    );
}

#[test]
fn regions_split_the_curve() {
    let o = imported();
    let us = o.curve_rows(&["netflix", "--region", "US"]);
    assert_eq!(
        us.iter().map(|r| (r.2, r.3)).collect::<Vec<_>>(),
        vec![(1, 1), (2, 1), (0, 0), (0, 0)]
    );
    assert!(us.iter().all(|r| r.1 == "US"));
    let br = o.curve_rows(&["netflix", "--region", "br"]);
    assert_eq!(br.iter().map(|r| r.2).collect::<Vec<_>>(), vec![1, 0, 0, 0]);
    let ca = o.curve_rows(&["netflix", "--region", "CA"]);
    assert_eq!(ca.iter().map(|r| r.3).collect::<Vec<_>>(), vec![0, 0, 0, 1]);
}

#[test]
fn from_to_and_days_shape_the_buckets() {
    let o = imported();
    let wide = o.curve_rows(&[
        "netflix",
        "--from",
        "2012-12-24T18:00:00Z",
        "--to",
        "2012-12-25T01:30:00Z",
    ]);
    assert_eq!(wide.len(), 8);
    assert_eq!(wide[0], row("2012-12-24T18:00:00Z", "all", 0, 0));
    assert_eq!(wide[7], row("2012-12-25T01:00:00Z", "all", 0, 0));
    let days = o.curve_rows(&["netflix", "--by", "day"]);
    assert_eq!(days, vec![row("2012-12-24T00:00:00Z", "all", 5, 4)]);
}

/// Posts at 10:05 and 21:05 on the 24th and at 00:05 and 15:05 on the 25th,
/// so a day cut at any of those hours shows as a wrong total.
fn two_days() -> Outcry {
    let o = Outcry::new();
    let mut lines = String::new();
    let mut n = 0;
    for (time, k) in [
        ("Mon Dec 24 10:05:00", 2),
        ("Mon Dec 24 21:05:00", 3),
        ("Tue Dec 25 00:05:00", 1),
        ("Tue Dec 25 15:05:00", 4),
    ] {
        for _ in 0..k {
            n += 1;
            lines.push_str(&format!(
                "{{\"created_at\":\"{time} +0000 2012\",\"id_str\":\"{}\",\"text\":\"netflix is down\",\"user\":{{\"screen_name\":\"u{n}\"}},\"lang\":\"en\"}}\n",
                700 + n
            ));
        }
    }
    let path = o.path("days.jsonl");
    std::fs::write(&path, lines).unwrap();
    let run = o.run(&["import", path.to_str().unwrap(), "--no-chart", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    o
}

#[test]
fn a_day_is_counted_whole_whatever_hours_bound_it() {
    let o = two_days();
    let whole = vec![
        row("2012-12-24T00:00:00Z", "all", 5, 5),
        row("2012-12-25T00:00:00Z", "all", 5, 5),
    ];
    assert_eq!(o.curve_rows(&["netflix", "--by", "day"]), whole);
    // A bare date as --to takes in that whole day.
    let dates = [
        "netflix",
        "--by",
        "day",
        "--from",
        "2012-12-24",
        "--to",
        "2012-12-25",
    ];
    assert_eq!(o.curve_rows(&dates), whole);
    // Hours inside the days widen to them, at both ends.
    let hours = [
        "netflix",
        "--by",
        "day",
        "--from",
        "2012-12-24T21",
        "--to",
        "2012-12-25T00",
    ];
    assert_eq!(o.curve_rows(&hours), whole);
    let one = [
        "netflix",
        "--by",
        "day",
        "--from",
        "2012-12-24T21",
        "--to",
        "2012-12-24T21",
    ];
    assert_eq!(
        o.curve_rows(&one),
        vec![row("2012-12-24T00:00:00Z", "all", 5, 5)]
    );
    assert_eq!(
        o.curve_rows(
            &one[..1]
                .iter()
                .chain(&one[3..])
                .copied()
                .collect::<Vec<_>>()
        ),
        vec![row("2012-12-24T21:00:00Z", "all", 3, 3)]
    );
    let us = o.curve_rows(&[
        "netflix",
        "--by",
        "day",
        "--to",
        "2012-12-24T12",
        "--region",
        "unknown",
    ]);
    assert_eq!(us, vec![row("2012-12-24T00:00:00Z", "unknown", 5, 5)]);

    let out = o.path("days.csv");
    let mut export = vec!["export", "curve", "--out", out.to_str().unwrap()];
    export.extend_from_slice(&hours);
    let run = o.run(&export);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut printed = vec!["curve"];
    printed.extend_from_slice(&dates);
    printed.extend_from_slice(&["--format", "csv"]);
    assert_eq!(
        std::fs::read_to_string(out).unwrap(),
        o.run(&printed).stdout
    );
}

#[test]
fn a_from_after_to_is_refused_like_detect_and_posts_refuse_it() {
    let o = imported();
    let out = o.path("reversed.csv");
    let reversed = ["--from", "2012-12-25", "--to", "2012-12-24T23"];
    let mut runs = Vec::new();
    for by in ["hour", "day"] {
        let mut curve = vec!["curve", "netflix", "--by", by];
        curve.extend_from_slice(&reversed);
        runs.push(o.run(&curve));
        let mut export = vec!["export", "curve", "netflix", "--by", by];
        export.extend_from_slice(&["--out", out.to_str().unwrap()]);
        export.extend_from_slice(&reversed);
        runs.push(o.run(&export));
    }
    let mut posts = vec!["posts", "netflix"];
    posts.extend_from_slice(&reversed);
    runs.push(o.run(&posts));
    for run in runs {
        assert_eq!(run.code, 2, "{}", run.stdout);
        assert_eq!(run.stderr, "outcry: error: --from is after --to\n");
        assert_eq!(run.stdout, "");
    }
    assert!(!out.exists(), "a refused export must not leave a file");
}

#[test]
fn a_region_is_a_country_code_unknown_or_all() {
    let o = imported();
    let all = o.curve_rows(&["netflix"]);
    assert_eq!(o.curve_rows(&["netflix", "--region", "all"]), all);
    assert_eq!(o.curve_rows(&["netflix", "--region", "ALL"]), all);
    let out = o.path("bad.csv");
    let malformed = |bad: &str| {
        format!(
            "outcry: error: --region must be a two-letter country code such as US or BR, unknown, or all, not {bad:?}\n"
        )
    };
    // Two letters, but no country's: refused, not answered with zeros.
    let no_country = "outcry: error: --region \"zz\" is not a country's ISO 3166-1 code, so no \
                      post is ever placed there (its curve would be all zeros); give one such as \
                      US or BR, unknown, or all\n"
        .to_string();
    for (bad, expected) in [
        ("USA", malformed("USA")),
        ("other", malformed("other")),
        ("", malformed("")),
        ("u1", malformed("u1")),
        ("zz", no_country),
    ] {
        let run = o.run(&["curve", "netflix", "--region", bad]);
        assert_eq!((run.code, run.stderr.as_str()), (2, expected.as_str()));
        let run = o.run(&[
            "export",
            "curve",
            "netflix",
            "--out",
            out.to_str().unwrap(),
            "--region",
            bad,
        ]);
        assert_eq!((run.code, run.stderr.as_str()), (2, expected.as_str()));
    }
    assert!(!out.exists());
}

#[test]
fn export_writes_the_same_csv_to_a_file() {
    let o = imported();
    let out = o.path("netflix.csv");
    let run = o.run(&["export", "curve", "netflix", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed = o.run(&["curve", "netflix", "--format", "csv"]).stdout;
    assert_eq!(std::fs::read_to_string(out).unwrap(), printed);
}

#[test]
fn json_and_table_carry_the_same_numbers() {
    let o = imported();
    let json = o.run(&["curve", "netflix", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(v[0]["posts"], 2);
    assert_eq!(v[3]["complaints"], 1);
    let table = o.run(&["curve", "netflix", "--format", "table"]);
    let line = table
        .stdout
        .lines()
        .find(|l| l.starts_with("2012-12-24T21:00:00Z"))
        .unwrap();
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&cols[1..3], &["2", "1"]);
}

#[test]
fn the_chart_shows_the_peak() {
    let o = imported();
    let run = o.run(&["curve", "netflix"]);
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .starts_with("netflix complaints, region all (one column per hour, UTC)"));
    assert!(run
        .stdout
        .contains("peak hour: 2012-12-24T20:00:00Z with 2 complaints; 4 complaints"));
    // The store holds netflix posts, just not in these ranges.
    let run = o.run(&[
        "curve",
        "netflix",
        "--from",
        "2013-01-01",
        "--to",
        "2013-01-01T01",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "no \"netflix\" posts in region all from 2013-01-01T00:00:00Z to 2013-01-01T01:00:00Z\n"
    );
    let run = o.run(&["curve", "netflix", "--region", "mx"]);
    assert_eq!(
        run.stdout,
        "no \"netflix\" posts in region MX from 2012-12-24T20:00:00Z to 2012-12-24T23:00:00Z\n"
    );
}

#[test]
fn unknown_topics_stores_and_times_are_clear_errors() {
    let o = imported();
    let run = o.run(&["curve", "nosuchservice"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown topic \"nosuchservice\""),
        "{}",
        run.stderr
    );
    let run = o.run(&["curve", "netflix", "--from", "yesterday"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--from \"yesterday\""),
        "{}",
        run.stderr
    );
    let empty = Outcry::new();
    let run = empty.run(&["curve", "netflix"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no store at"), "{}", run.stderr);
}

#[test]
fn stats_and_topics_describe_the_store() {
    let o = imported();
    let stats = o.run(&["stats"]);
    assert_eq!(stats.field("posts remembered"), "6");
    assert_eq!(stats.field("imports done"), "1");
    assert!(stats.stdout.contains("netflix"));
    let topics = o.run(&["topics"]);
    let netflix = topics
        .stdout
        .lines()
        .find(|l| l.starts_with("netflix\t"))
        .unwrap();
    assert!(
        netflix.contains("@netflixhelps") && netflix.contains("#christmasisruined"),
        "{netflix}"
    );
}

#[test]
fn a_range_too_long_for_one_curve_is_refused_before_any_file_is_made() {
    let o = imported();
    let hint = "the range from 2012-12-24T00:00:00Z to 9012-12-25T00:00:00Z holds 61360753 \
                hourly buckets, more than the 263520 a curve may hold (thirty years of hours): \
                give a shorter --from/--to, or count by day with --by day";
    let typo = ["--from", "2012-12-24", "--to", "9012-12-25"];
    for format in ["chart", "table", "csv", "json"] {
        let mut args = vec!["curve", "netflix", "--format", format];
        args.extend(typo);
        let run = o.run(&args);
        assert_eq!(run.code, 2, "{format}: {}", run.stderr);
        assert_eq!(run.stderr, format!("outcry: error: {hint}\n"), "{format}");
        assert_eq!(run.stdout, "", "{format}");
    }
    let out = o.path("typo.csv");
    let mut args = vec!["export", "curve", "netflix", "--out", out.to_str().unwrap()];
    args.extend(typo);
    let run = o.run(&args);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, format!("outcry: error: {hint}\n"));
    assert!(!out.exists());
    // By day the same range is still too long; nothing else is offered.
    args.extend(["--by", "day"]);
    let run = o.run(&args);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "outcry: error: the range from 2012-12-24T00:00:00Z to 9012-12-25T23:00:00Z holds \
         2556699 daily buckets, more than the 263520 a curve may hold (by day, some 720 years): \
         give a shorter --from/--to\n"
    );
    // Thirty years of hours is within the limit, and by day far longer is.
    let rows = o.curve_rows(&["netflix", "--from", "2012-12-24", "--to", "2042-12-23T23"]);
    assert_eq!(rows.len(), 262_968);
    assert_eq!(rows[20], row("2012-12-24T20:00:00Z", "all", 2, 2));
    assert_eq!(rows.iter().map(|r| r.3).sum::<u64>(), 4);
    let days = o.curve_rows(&["netflix", "--by", "day", "--to", "2212-12-24"]);
    assert_eq!(days.len(), 73_049);
    assert_eq!(days[0], row("2012-12-24T00:00:00Z", "all", 5, 4));
}

#[test]
fn a_store_spanning_more_hours_than_a_curve_holds_is_charted_by_day_after_import() {
    use outcry::store::keys::hour_of;
    use outcry::store::{Counter, PendingCommit, Store};
    // No import takes posts from before Twitter, but a store is only a
    // store: counts from 1980 (by the library, as a feed with old dates
    // might write them) make it span 33 years.
    let o = Outcry::new();
    {
        let store = Store::open(&o.db()).unwrap();
        let mut c = PendingCommit::default();
        let one = Counter {
            posts: 1,
            complaints: 1,
            negative: 1,
            ..Counter::default()
        };
        let t = "1980-01-01T00:00:00Z".parse().unwrap();
        c.add_counter("netflix", hour_of(t), "US", &one);
        store.commit(c).unwrap();
        store.flush().unwrap();
    }
    let run = o.run(&["import", fixture("v1/small.jsonl").to_str().unwrap(), "-q"]);
    // The import went well: its chart is drawn by day rather than failing it.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("peak day: 2012-12-24T00:00:00Z with 4 complaints; 5 complaints from 1980-01-01T00:00:00Z to 2012-12-24T00:00:00Z"),
        "{}",
        run.stdout
    );
    let run = o.run(&["curve", "netflix", "--format", "csv"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "outcry: error: the range from 1980-01-01T00:00:00Z to 2012-12-24T23:00:00Z holds \
         289128 hourly buckets, more than the 263520 a curve may hold (thirty years of hours): \
         give a shorter --from/--to, or count by day with --by day\n"
    );
}

#[test]
fn export_to_dash_writes_standard_output() {
    let o = imported();
    let run = o.run(&["export", "curve", "netflix", "--out", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed = o.run(&["curve", "netflix", "--format", "csv"]).stdout;
    assert_eq!(run.stdout, printed);
    assert_eq!(run.stdout.lines().count(), 5);
    // Nothing to report on standard error, and no file named `-`.
    assert_eq!(run.stderr, "");
    assert!(!o.path("-").exists());
}

#[test]
fn one_bucket_is_one_bucket() {
    let o = imported();
    let out = o.path("one.csv");
    let run = o.run(&[
        "export",
        "curve",
        "netflix",
        "--from",
        "2012-12-24T20",
        "--to",
        "2012-12-24T20",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, format!("wrote 1 bucket to {}\n", out.display()));
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 2);
    let run = o.run(&["export", "curve", "netflix", "--out", out.to_str().unwrap()]);
    assert_eq!(
        run.stderr,
        format!("wrote 4 buckets to {}\n", out.display())
    );
    let stats = o.run(&["stats"]);
    assert!(
        stats.stdout.contains(" 4 hours from 2012-12-24T20:00:00Z"),
        "{}",
        stats.stdout
    );
}

#[test]
fn a_full_disk_is_named_with_the_file_it_filled() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        eprintln!("SKIPPED: no /dev/full on this system");
        return;
    }
    let o = imported();
    let run = o.run(&["export", "curve", "netflix", "--out", "/dev/full"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "outcry: error: cannot write /dev/full: No space left on device (os error 28)\n"
    );
    // Standard output filled up is named as such.
    let run = o
        .command(&["curve", "netflix", "--format", "csv"])
        .stdout(std::fs::File::create(full).unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        "outcry: error: cannot write standard output: No space left on device (os error 28)\n"
    );
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::Read;
    let o = imported();
    // A year of hours is far more than a pipe and a buffer hold, so the
    // writes fail while the CSV writer is still writing rows.
    let mut child = o
        .command(&[
            "curve",
            "netflix",
            "--format",
            "csv",
            "--from",
            "2012-01-01",
            "--to",
            "2012-12-31",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 5];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"start");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_reader_that_stopped_early_ends_the_curve_quietly() {
    let o = imported();
    // `outcry curve … 2>&1 | head -1`: both outputs go into a pipe whose
    // reader has gone. A CSV writer's error once hid that it was a broken
    // pipe: exit 2, and a panic writing the message into the closed stderr.
    for format in ["csv", "table", "json", "chart"] {
        let out = o
            .command(&["curve", "netflix", "--format", format])
            .stdout(closed_pipe())
            .stderr(closed_pipe())
            .status()
            .expect("run outcry");
        assert_eq!(out.code(), Some(0), "--format {format}");
    }
}

/// The chart's lines as `script` shows them from a terminal of `cols`
/// columns, or `None` when `script` (util-linux) is missing.
fn chart_on_a_terminal(o: &Outcry, cols: u16) -> Option<Vec<String>> {
    let bin = env!("CARGO_BIN_EXE_outcry");
    // A pty starts with no size; the chart must read the one set here.
    let shell = format!("stty rows 24 cols {cols}; exec '{bin}' curve netflix");
    let out = std::process::Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .env("OUTCRY_DB", o.db())
        .env_remove("COLUMNS")
        .current_dir(o.path(""))
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.lines()
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect(),
    )
}

/// A store of the Christmas fixture, whose curve spans nine days.
fn christmas_store() -> Outcry {
    let o = Outcry::new();
    let run = o.run(&[
        "import",
        fixture("detect/christmas.jsonl.gz").to_str().unwrap(),
        "--no-chart",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    o
}

/// The widest line of a chart but its last: the peak in words is as long
/// as it needs to be.
fn widest_chart_line<S: AsRef<str>>(lines: &[S]) -> usize {
    lines[..lines.len() - 1]
        .iter()
        .map(|l| l.as_ref().chars().count())
        .max()
        .unwrap()
}

#[test]
fn a_pipe_gets_the_chart_of_an_80_column_terminal() {
    let o = christmas_store();
    let chart = |columns: Option<&str>| {
        let mut command = o.command(&["curve", "netflix"]);
        match columns {
            Some(c) => command.env("COLUMNS", c),
            None => command.env_remove("COLUMNS"),
        };
        let out = command.output().expect("run outcry");
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let piped = chart(None);
    assert_eq!(piped, chart(Some("80")));
    assert_ne!(piped, chart(Some("100")));
    let lines: Vec<&str> = piped.lines().collect();
    assert!(widest_chart_line(&lines) <= 80, "{piped}");
}

#[test]
fn the_chart_fits_the_terminal_it_is_drawn_on() {
    let o = christmas_store();
    let Some(narrow) = chart_on_a_terminal(&o, 60) else {
        println!("SKIPPED: no `script` command to give the chart a terminal");
        return;
    };
    let wide = chart_on_a_terminal(&o, 160).unwrap();
    let widest = |lines: &[String]| widest_chart_line(lines);
    assert!(narrow.len() > 5, "{narrow:?}");
    assert!(widest(&narrow) <= 60, "{narrow:#?}");
    assert!(widest(&wide) > 100, "{wide:#?}");
    assert!(widest(&wide) <= 160, "{wide:#?}");
}

//! `outcry detect`, `spread`, `posts`, `report` and `curve --baseline` on a
//! store built by importing `tests/fixtures/detect/christmas.jsonl.gz`
//! (its numbers are worked out in `make_fixture.py` beside it): nine flat
//! days of 4 complaints an hour, then a ten-hour outage from
//! 2012-12-24T20:00Z hitting the US, then Canada, then Brazil, not the UK.

use crate::util::{fixture, Outcry};

fn imported() -> Outcry {
    Outcry::imported("detect/christmas.jsonl.gz")
}

fn csv_rows(text: &str, header: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>().join(","),
        header
    );
    r.records().map(|x| x.unwrap()).collect()
}

const INCIDENTS: &str =
    "topic,start,peak,end,complaints,peak_complaints,baseline_at_peak,ratio,regions";
const SPREAD: &str = "region,onset,peak,end,complaints,peak_complaints,share";
const POSTS: &str = "time,region,language,label,compound,complaint,count,text";

#[test]
fn detect_finds_the_one_outage_with_its_regions_in_order() {
    let o = imported();
    let run = o.run(&["detect", "netflix", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout, INCIDENTS);
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        vec![
            "netflix",
            "2012-12-24T20:00:00Z",
            "2012-12-24T22:00:00Z",
            "2012-12-25T05:00:00Z",
            "406",
            "44",
            "4.00",
            "11.00",
            "US;CA;BR"
        ]
    );
    let json = o.run(&["detect", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v[0]["regions"], serde_json::json!(["US", "CA", "BR"]));
    let table = o.run(&["detect", "netflix"]);
    assert!(table.stdout.contains("US, CA, BR"), "{}", table.stdout);
    // A range before the outage holds none.
    let before = o.run(&[
        "detect",
        "netflix",
        "--to",
        "2012-12-23T00:00:00Z",
        "--format",
        "csv",
    ]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert_eq!(csv_rows(&before.stdout, INCIDENTS).len(), 0);
}

#[test]
fn spread_orders_regions_by_onset_and_draws_a_timeline() {
    let o = imported();
    let run = o.run(&["spread", "netflix", "--incident", "1", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout, SPREAD);
    let regions: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(regions, vec!["US", "CA", "BR", "GB"]);
    assert_eq!(&rows[0][1], "2012-12-24T20:00:00Z");
    assert_eq!(&rows[1][1], "2012-12-24T21:00:00Z");
    assert_eq!(&rows[2][1], "2012-12-24T22:00:00Z");
    assert_eq!(&rows[3][1], "", "GB was not hit");
    assert_eq!(&rows[0][4], "200");
    assert_eq!(&rows[3][4], "10");
    let shares: f64 = rows.iter().map(|r| r[6].parse::<f64>().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-3);
    // The default window is the largest incident: the same rows.
    let again = o.run(&["spread", "netflix", "--format", "csv"]);
    assert_eq!(again.stdout, run.stdout);
    let table = o.run(&["spread", "netflix"]);
    assert!(table.stdout.contains("timeline"), "{}", table.stdout);
    let us = table
        .stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("US "))
        .unwrap();
    assert!(us.contains('█'), "{us}");
    let gb = table
        .stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("GB "))
        .unwrap();
    assert!(
        gb.trim_start_matches("GB").trim().chars().all(|c| c == '·'),
        "{gb}"
    );
    let bad = o.run(&["spread", "netflix", "--incident", "3"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no incident 3"), "{}", bad.stderr);
}

#[test]
fn posts_group_retweets_and_neutralise_formulas() {
    let o = imported();
    let run = o.run(&[
        "posts",
        "netflix",
        "--from",
        "2012-12-24T20:00:00Z",
        "--to",
        "2012-12-25T05:00:00Z",
        "--complaints",
        "--limit",
        "0",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(&run.stdout, POSTS);
    // The most repeated text first: the US complaint posted 12 times an
    // hour for ten hours, less the three formula posts.
    assert_eq!(&rows[0][7], "Netflix is down on my xbox");
    assert_eq!(&rows[0][6], "117");
    // The retweeted original: itself plus six retweets an hour (five in the
    // first hour, where it was the first post).
    let rt = rows
        .iter()
        .find(|r| &r[7] == "netflix is down on every device in the house")
        .unwrap();
    assert_eq!(&rt[6], "60");
    let texts: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    for formula in [
        "'=1+1 netflix is down",
        "'@netflix is down again?!",
        "'-netflix is down, again",
    ] {
        assert!(texts.contains(&formula), "{formula} not in {texts:?}");
    }
    assert!(rows.iter().all(|r| &r[5] == "true"));
    let table = o.run(&["posts", "netflix", "--limit", "3"]);
    assert_eq!(table.stdout.lines().count(), 4, "{}", table.stdout);
}

#[test]
fn curve_baseline_adds_two_columns() {
    let o = imported();
    let run = o.run(&[
        "curve",
        "netflix",
        "--from",
        "2012-12-24T19:00:00Z",
        "--to",
        "2012-12-24T21:00:00Z",
        "--baseline",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = csv_rows(
        &run.stdout,
        "start,topic,region,posts,complaints,negative,neutral,positive,mean_sentiment,baseline,threshold",
    );
    assert_eq!(rows.len(), 3);
    assert_eq!((&rows[0][4], &rows[0][9]), ("4", "4.000"));
    assert_eq!(&rows[1][4], "22");
    let threshold: u64 = rows[1][10].parse().unwrap();
    assert!((5..22).contains(&threshold), "{threshold}");
    let plain = o.run(&["curve", "netflix", "--format", "csv"]);
    assert!(plain
        .stdout
        .lines()
        .next()
        .unwrap()
        .ends_with("mean_sentiment"));
    let chart = o.run(&["curve", "netflix", "--baseline"]);
    assert_eq!(chart.code, 2);
}

#[test]
fn report_writes_well_formed_files() {
    let o = imported();
    let dir = o.path("report");
    let run = o.run(&["report", "netflix", "--out", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let incidents = csv_rows(&read("incidents.csv"), INCIDENTS);
    assert_eq!(incidents.len(), 1);
    let spread = csv_rows(&read("spread.csv"), SPREAD);
    assert_eq!(&spread[0][0], "US");
    let posts = csv_rows(&read("posts.csv"), POSTS);
    assert!(posts.len() >= 5);
    assert!(posts
        .iter()
        .all(|r| !r[7].starts_with('=') && !r[7].starts_with('@') && !r[7].starts_with('-')));
    let curve = read("curve.csv");
    assert!(curve.starts_with(
        "start,topic,region,posts,complaints,negative,neutral,positive,mean_sentiment,baseline,threshold\n"
    ));
    assert_eq!(curve.lines().count(), 9 * 24 + 1);

    let svg = read("curve.svg");
    assert!(svg.starts_with("<svg"));
    let mut reader = quick_xml::Reader::from_str(&svg);
    let (mut depth, mut texts) = (0i32, 0);
    loop {
        match reader.read_event().expect("curve.svg is well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                texts += (e.name().as_ref() == b"text") as i32;
            }
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert!(texts > 5, "axis labels and onsets are text elements");
    assert!(svg.contains("20h US") && svg.contains("21h CA") && svg.contains("22h BR"));

    let html = read("index.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    assert!(html.contains("US, CA, BR"));
    assert!(html.contains("Netflix is down on my xbox"));
}

#[test]
fn detect_scores_itself_against_a_truth_file() {
    let o = imported();
    let truth = fixture("detect/christmas.truth.json");
    let run = o.run(&[
        "detect",
        "--truth",
        truth.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let s = &v["score"];
    // The netflix outage is found on time; the hulu one (no hulu posts in
    // the fixture) is missed; nothing else was found.
    assert_eq!(
        (s["true_incidents"].as_u64(), s["found"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(s["false_alarms"], 0);
    assert_eq!(s["matches"][0]["onset_delay_hours"], 0);
    assert_eq!(s["matches"][1]["detected_start"], serde_json::Value::Null);
    let csv = o.run(&[
        "detect",
        "--truth",
        truth.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&csv.stdout, SCORE);
    assert_eq!(&rows[0][1], "found");
    assert_eq!(&rows[1][1], "missed");
    let table = o.run(&["detect", "--truth", truth.to_str().unwrap()]);
    assert!(
        table.stdout.contains("found 1 of 2 (50.0%), missed 1"),
        "{}",
        table.stdout
    );
}

/// Copies a folder of files and folders (the lexicons) to `to`.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn topics_imported_under_other_lexicons_stay_askable() {
    let o = Outcry::new();
    let lexicons = o.path("lexicons");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons"),
        &lexicons,
    );
    let mut topics = std::fs::read_to_string(lexicons.join("topics.toml")).unwrap();
    topics.push_str(
        "\n[[topic]]\nname = \"disney\"\ndisplay = \"Disney+\"\nnames = [\"disney plus\"]\n",
    );
    std::fs::write(lexicons.join("topics.toml"), topics).unwrap();
    let tweets: String = (0..3)
        .map(|i| {
            format!(
                "{{\"created_at\":\"Mon Dec 24 20:1{i}:00 +0000 2012\",\"id_str\":\"{}\",\"text\":\"disney plus is down and netflix too\",\"user\":{{\"screen_name\":\"u{i}\"}}}}\n",
                100 + i
            )
        })
        .collect();
    std::fs::write(o.path("tweets.jsonl"), tweets).unwrap();
    let run = o.run(&[
        "--lexicons",
        "lexicons",
        "import",
        "tweets.jsonl",
        "--no-chart",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Asked without those lexicons: the store says disney exists.
    let run = o.run(&["detect", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = o.run(&["posts", "disney", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let posts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // One group: the same text three times.
    assert_eq!(posts[0]["count"], 3, "{}", run.stdout);
    assert_eq!(posts[0]["text"], "disney plus is down and netflix too");
    // A typo is still refused, naming the stored topic among the known.
    let run = o.run(&["posts", "disnye"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown topic \"disnye\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("disney"), "{}", run.stderr);
    // `topics` lists it, after the lexicons' own, saying where it lives.
    let run = o.run(&["topics"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().last(),
        Some("disney\t(in the store; not in these lexicons)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.starts_with("netflix\t"), "{}", run.stdout);
    // A topic named twice is detected once.
    let once = o.run(&["detect", "netflix", "--format", "json"]);
    let twice = o.run(&["detect", "netflix", "netflix", "--format", "json"]);
    assert_eq!(twice.code, 0, "{}", twice.stderr);
    assert_eq!(once.stdout, twice.stdout);
}

/// A store holding `outcry synth --scenario random --seed SEED`, whose truth
/// sidecar is `random.jsonl.gz.truth.json` in the same folder. Seed 2 holds
/// five Netflix incidents and four HBO ones, enough to tell a number from a
/// position in a list.
fn synth_imported(seed: u64) -> Outcry {
    let o = Outcry::new();
    let seed = seed.to_string();
    let synth = o.run(&[
        "synth",
        "--scenario",
        "random",
        "--seed",
        &seed,
        "--out",
        "random.jsonl.gz",
    ]);
    assert_eq!(synth.code, 0, "{}", synth.stderr);
    let run = o.run(&["import", "random.jsonl.gz", "--no-chart", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    o
}

/// `detect … --format json` as (topic, number, start, end) rows.
fn numbered(o: &Outcry, args: &[&str]) -> Vec<(String, u64, String, String)> {
    let mut all = vec!["detect"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = o.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["topic"].as_str().unwrap().to_string(),
                i["number"].as_u64().unwrap(),
                i["start"].as_str().unwrap().to_string(),
                i["end"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_incident_keeps_its_number_whatever_lists_it() {
    let o = synth_imported(2);
    let netflix = numbered(&o, &["netflix"]);
    let starts: Vec<(u64, &str)> = netflix.iter().map(|r| (r.1, r.2.as_str())).collect();
    assert_eq!(
        starts,
        vec![
            (1, "2013-03-15T01:00:00Z"),
            (2, "2013-03-26T18:00:00Z"),
            (3, "2013-03-28T11:00:00Z"),
            (4, "2013-03-29T14:00:00Z"),
            (5, "2013-04-07T20:00:00Z"),
        ]
    );
    let third = netflix[2].clone();

    // A range only filters: the one incident in it is still number 3, in
    // JSON, in the table, and with the same hours in CSV.
    let range = ["--from", "2013-03-28T12", "--to", "2013-03-28T12"];
    let mut args = vec!["netflix"];
    args.extend_from_slice(&range);
    assert_eq!(numbered(&o, &args), vec![third.clone()]);
    let mut table_args = vec!["detect"];
    table_args.extend_from_slice(&args);
    let table = o.run(&table_args);
    let row = table.stdout.lines().nth(1).unwrap();
    assert!(
        row.starts_with(" 3  netflix      2013-03-28T11:00:00Z"),
        "{}",
        table.stdout
    );
    assert_eq!(table.stdout.lines().count(), 2, "{}", table.stdout);
    table_args.extend_from_slice(&["--format", "csv"]);
    let csv = csv_rows(&o.run(&table_args).stdout, INCIDENTS);
    assert_eq!(csv.len(), 1);
    assert_eq!(
        (&csv[0][1], &csv[0][3]),
        (third.2.as_str(), third.3.as_str())
    );

    // Over every topic, each topic keeps its own numbers.
    let every = numbered(&o, &[]);
    let every_netflix: Vec<_> = every.iter().filter(|r| r.0 == "netflix").cloned().collect();
    assert_eq!(every_netflix, netflix);
    let hbo: Vec<u64> = every.iter().filter(|r| r.0 == "hbo").map(|r| r.1).collect();
    assert_eq!(hbo, vec![1, 2, 3, 4]);
    assert_eq!(numbered(&o, &["hbo", "netflix"]), every);

    // spread --incident 3 describes that same incident; 6 does not exist.
    let spread = o.run(&["spread", "netflix", "--incident", "3", "--format", "json"]);
    assert_eq!(spread.code, 0, "{}", spread.stderr);
    let v: serde_json::Value = serde_json::from_str(&spread.stdout).unwrap();
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some(third.2.as_str()), Some(third.3.as_str()))
    );
    let none = o.run(&["spread", "netflix", "--incident", "6"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr
            .contains("no incident 6 for \"netflix\": `outcry detect netflix` finds 5"),
        "{}",
        none.stderr
    );

    // A report over the range numbers its incident 3 as well.
    let dir = o.path("report");
    let mut report = vec!["report", "netflix", "--out", dir.to_str().unwrap()];
    report.extend_from_slice(&range);
    let run = o.run(&report);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        html.contains("<tr><td class=\"n\">3</td><td>2013-03-28T11:00:00Z</td>"),
        "{html}"
    );
    assert!(!html.contains("<tr><td class=\"n\">1</td>"), "{html}");
}

/// `curve --baseline` rows of a range, without the header.
fn baseline_rows(o: &Outcry, args: &[&str]) -> Vec<String> {
    let mut all = vec!["curve", "netflix", "--baseline", "--format", "csv"];
    all.extend_from_slice(args);
    let run = o.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn an_hours_baseline_does_not_depend_on_the_range_asked() {
    let o = synth_imported(1);
    let whole = baseline_rows(&o, &[]);
    let us = baseline_rows(&o, &["--region", "US"]);
    assert_eq!(whole.len(), 42 * 24);
    // The first stored hour has no history: its baseline is the warm-up's,
    // from the week after (README: "Baseline"), whatever range is asked.
    // Reading only a week past `--to` once made it 5.869.
    assert_eq!(
        whole[0],
        "2013-03-04T00:00:00Z,netflix,all,56,7,6,40,10,0.0671,5.821,20"
    );
    for (from, to) in [
        ("2013-03-04T00", "2013-03-04T02"),
        ("2013-04-02T13", "2013-04-02T15"),
        ("2013-04-14T22", "2013-04-14T23"),
    ] {
        let part = baseline_rows(&o, &["--from", from, "--to", to]);
        let at = whole
            .iter()
            .position(|r| r.starts_with(&format!("{from}:00:00Z")))
            .unwrap();
        assert_eq!(part, whole[at..at + part.len()], "{from}..{to}");
        assert!(part.len() >= 2);
        let part_us = baseline_rows(&o, &["--from", from, "--to", to, "--region", "US"]);
        assert_eq!(part_us, us[at..at + part_us.len()], "US {from}..{to}");
    }
}

const SCORE: &str =
    "topic,kind,shape,true_start,true_end,detected_start,detected_end,onset_delay_hours";

#[test]
fn a_truth_is_scored_over_the_topics_and_range_asked_for() {
    let o = synth_imported(1);
    let truth = o.path("random.jsonl.gz.truth.json");
    let truth = truth.to_str().unwrap();

    // The whole truth: seven incidents in three topics over 42 days.
    let whole = o.run(&["detect", "--truth", truth, "--format", "json"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert_eq!(whole.stderr, "");
    let v: serde_json::Value = serde_json::from_str(&whole.stdout).unwrap();
    let s = &v["score"];
    assert_eq!(
        (s["true_incidents"].as_u64(), s["found"].as_u64()),
        (Some(7), Some(7))
    );
    assert_eq!(s["days"], 42.0);
    assert_eq!(s["scope"]["whole_truth"], true);
    assert_eq!(
        s["scope"]["topics"],
        serde_json::json!(["netflix", "hulu", "hbo"])
    );

    // One topic: its two incidents, both found; nothing of Netflix or Hulu
    // counted as missed.
    let hbo = o.run(&["detect", "hbo", "--truth", truth]);
    assert_eq!(hbo.code, 0, "{}", hbo.stderr);
    for line in [
        "truth: 2 incidents in 1 topics over 42.0 days (random seed 1)",
        "scored topics: hbo (the truth has netflix, hulu, hbo)",
        "incidents scored: 2 of the truth's 7",
        "found 2 of 2 (100.0%), missed 0",
        "false alarms 0 (0.00 per topic per 30 days)",
    ] {
        assert!(
            hbo.stdout.lines().any(|l| l == line),
            "{line:?} in\n{}",
            hbo.stdout
        );
    }
    assert!(!hbo.stdout.contains("MISSED"), "{}", hbo.stdout);
    assert!(!hbo.stdout.contains("scored span"), "{}", hbo.stdout);

    // A range: the two incidents overlapping it, over its 14 days.
    let april = o.run(&[
        "detect",
        "--from",
        "2013-04-01",
        "--truth",
        truth,
        "--format",
        "json",
    ]);
    assert_eq!(april.code, 0, "{}", april.stderr);
    assert!(
        april.stderr.contains(
            "note: scored span: 2013-04-01T00:00:00Z to 2013-04-15T00:00:00Z (the truth spans 2013-03-04T00:00:00Z to 2013-04-15T00:00:00Z)"
        ),
        "{}",
        april.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&april.stdout).unwrap();
    let s = &v["score"];
    assert_eq!(
        (s["true_incidents"].as_u64(), s["found"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(s["days"], 14.0);
    assert_eq!(s["scope"]["whole_truth"], false);
    assert_eq!(s["scope"]["from"], "2013-04-01T00:00:00Z");
    let shapes: Vec<(&str, &str)> = s["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["topic"].as_str().unwrap(), m["shape"].as_str().unwrap()))
        .collect();
    assert_eq!(shapes, vec![("netflix", "sudden"), ("hulu", "multi_day")]);

    // A topic the truth lacks is listed, not scored: no false alarm, and
    // the CSV score holds HBO's rows alone.
    let csv = o.run(&[
        "detect", "hbo", "youtube", "--truth", truth, "--format", "csv",
    ]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let rows = csv_rows(&csv.stdout, SCORE);
    let kinds: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[1])).collect();
    assert_eq!(kinds, vec![("hbo", "found"), ("hbo", "found")]);
    assert!(
        csv.stderr
            .contains("note: not in the truth, listed but not scored: youtube"),
        "{}",
        csv.stderr
    );

    // Nothing to score is an error, exit status 2.
    let none = o.run(&["detect", "youtube", "--truth", truth]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr
            .contains("nothing to score: the truth covers netflix, hulu, hbo, not youtube"),
        "{}",
        none.stderr
    );
    let outside = o.run(&["detect", "--from", "2013-05-01", "--truth", truth]);
    assert_eq!(outside.code, 2);
    assert!(
        outside
            .stderr
            .contains("--from/--to lie outside the truth's span"),
        "{}",
        outside.stderr
    );
    assert_eq!(outside.stdout, "");
    // A store that never imported the truth's archive (December 2012).
    let other = imported();
    let elsewhere = other.run(&["detect", "--truth", truth]);
    assert_eq!(elsewhere.code, 2, "{}", elsewhere.stdout);
    assert!(
        elsewhere.stderr.contains(
            "nothing to score: the store holds no hour of netflix, hulu, hbo from 2013-03-04T00:00:00Z to 2013-04-15T00:00:00Z"
        ),
        "{}",
        elsewhere.stderr
    );
    assert_eq!(elsewhere.stdout, "");
}

/// The tests above check `INCIDENTS` and `SCORE` against what `detect`
/// writes without and with `--truth`; the README must promise the same two.
#[test]
fn the_readme_names_the_csv_headers_detect_writes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for header in [INCIDENTS, SCORE] {
        assert!(readme.contains(&format!("`{header}`")), "{header}");
    }
}

/// Two archives months apart in one store: the days between them hold no
/// post at all, which means nobody collected, not that nobody complained.
/// Counted as zeros they put the bar at its floor, and every ordinary hour
/// of the second archive's first days was an incident.
#[test]
fn a_gap_between_archives_raises_no_alarm() {
    let o = Outcry::new();
    let mut lines = String::new();
    let mut id = 1u64;
    // Three days of 3 complaints an hour, then ten days of 6 two months on.
    for (first_day, days, per_hour) in [
        ("2013-01-01T00:00:00Z", 3, 3),
        ("2013-03-01T00:00:00Z", 10, 6),
    ] {
        let start: chrono::DateTime<chrono::Utc> = first_day.parse().unwrap();
        for hour in 0..days * 24 {
            for n in 0..per_hour {
                let at = start + chrono::Duration::minutes(hour * 60 + 5 + n * 60 / per_hour);
                lines.push_str(
                    &serde_json::json!({
                        "created_at": at.format("%a %b %d %H:%M:%S +0000 %Y").to_string(),
                        "id_str": id.to_string(),
                        "text": "netflix is down again, still buffering",
                        "lang": "en",
                        "user": {"screen_name": format!("u{id}"), "location": "Denver, CO"},
                    })
                    .to_string(),
                );
                lines.push('\n');
                id += 1;
            }
        }
    }
    std::fs::write(o.path("two.jsonl"), lines).unwrap();
    let run = o.run(&["import", "two.jsonl", "--no-chart", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = o.run(&["detect", "netflix", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(csv_rows(&run.stdout, INCIDENTS).len(), 0, "{}", run.stdout);
    let baseline = |from: &str, to: &str, at: &str| -> String {
        let run = o.run(&[
            "curve",
            "netflix",
            "--baseline",
            "--format",
            "csv",
            "--from",
            from,
            "--to",
            to,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let rows = csv_rows(
            &run.stdout,
            "start,topic,region,posts,complaints,negative,neutral,positive,mean_sentiment,baseline,threshold",
        );
        let row = rows.iter().find(|r| &r[0] == at).unwrap();
        row[9].to_string()
    };
    // Two months of silence before it: the first hour after the gap is
    // judged as an archive's first hour, by the week after it.
    let first_after = "2013-03-01T00:00:00Z";
    assert_eq!(
        baseline("2013-03-01T00", "2013-03-01T00", first_after),
        "6.000"
    );
    // The January days borrow from their own week, never from March, so a
    // curve read around them finds the baseline detection used.
    let january = "2013-01-02T00:00:00Z";
    assert_eq!(baseline("2013-01-02T00", "2013-01-02T02", january), "3.000");
    assert_eq!(baseline("2013-01-01T00", "2013-03-10T23", january), "3.000");
    assert_eq!(
        baseline("2013-01-01T00", "2013-03-10T23", first_after),
        "6.000"
    );
}

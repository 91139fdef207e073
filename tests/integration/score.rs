//! `outcry score` and `outcry eval`: the scorer's public interface and its
//! measured quality on our own labelled check set.

use crate::util::{fixture, gzip, Outcry};

#[test]
fn score_prints_one_object_per_line_in_input_order() {
    let o = Outcry::new();
    let input = b"netflix has been buffering for 2 hours\nI love this show so much\n\xff\nno funciona netflix otra vez\n";
    let run = o.run_with_stdin(&["score", "--threads", "2"], input);
    // The undecodable line is reported and answered in place.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("-:3: invalid UTF-8 at byte 0"),
        "{}",
        run.stderr
    );
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    let keys: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "compound",
        "positive",
        "neutral",
        "negative",
        "label",
        "complaint",
        "complaint_score",
        "lang",
        "signals",
    ] {
        assert!(keys.contains(&k), "{k} missing from {}", lines[0]);
    }
    assert_eq!(lines[0]["complaint"], true);
    assert_eq!(lines[0]["label"], "negative");
    assert!(lines[0]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "problem:buffering"));
    assert_eq!(lines[1]["label"], "positive");
    assert_eq!(lines[1]["complaint"], false);
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3]["lang"], "es");
    assert_eq!(lines[3]["complaint"], true);
}

#[test]
fn score_reads_a_json_field_and_keeps_order_with_many_threads() {
    let o = Outcry::new();
    let mut input = String::new();
    for i in 0..5000 {
        let text = if i % 2 == 0 {
            "netflix is down again"
        } else {
            "what a lovely day"
        };
        input.push_str(&format!(
            "{{\"id\":{i},\"post\":{{\"text\":\"{text}\"}}}}\n"
        ));
    }
    let run = o.run_with_stdin(
        &["score", "--field", "post.text", "--threads", "3"],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let flags: Vec<bool> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["complaint"]
                .as_bool()
                .unwrap()
        })
        .collect();
    assert_eq!(flags.len(), 5000);
    assert!(flags.iter().enumerate().all(|(i, &c)| c == (i % 2 == 0)));
}

#[test]
fn score_answers_an_overlong_line_in_place_and_reads_on() {
    let o = Outcry::new();
    let path = o.path("big.txt");
    let long = 17 << 20;
    let mut input = b"netflix is down\n".to_vec();
    input.resize(input.len() + long, b'x');
    input.extend_from_slice(b"\nno funciona netflix\n");
    std::fs::write(&path, &input).unwrap();
    for threads in ["1", "2"] {
        let run = o.run(&["score", "--threads", threads, "big.txt"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // The line's length counts its newline, as import reports it.
        let message = format!(
            "big.txt:2: line of {} bytes is longer than the 16 MiB limit",
            long + 1
        );
        assert!(run.stderr.contains(&message), "{}", run.stderr);
        let lines: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "threads {threads}");
        assert_eq!(lines[0]["complaint"], true);
        assert_eq!(lines[1]["line"], 2);
        assert!(lines[1]["error"].as_str().unwrap().contains("16 MiB limit"));
        assert_eq!(lines[2]["lang"], "es");
    }
}

#[test]
fn score_keeps_every_line_before_a_cut_in_a_compressed_file() {
    let o = Outcry::new();
    // Enough lines that the cut falls well inside the stream, past several
    // batches of every thread.
    let text: String = (0..60_000).map(|i| format!("post number {i}\n")).collect();
    let packed = gzip(text.as_bytes());
    let cut = &packed[..packed.len() * 2 / 3];
    std::fs::write(o.path("cut.txt.gz"), cut).unwrap();
    // What a decoder gets out of the cut file: every whole line it holds.
    let mut decoded = Vec::new();
    let _ = std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(cut), &mut decoded);
    let whole = decoded.iter().filter(|&&b| b == b'\n').count();
    assert!(whole > 10_000 && whole < 60_000, "{whole}");
    for threads in ["1", "2", "3"] {
        let run = o.run(&["score", "--threads", threads, "cut.txt.gz"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout.lines().count(), whole, "threads {threads}");
        let message =
            format!("could not read: cut.txt.gz: truncated gzip stream after line {whole}");
        assert!(run.stderr.contains(&message), "{}", run.stderr);
    }
    // Garbage after a whole member: the member's lines, then the damage.
    let mut trailing = gzip(b"netflix is down\n");
    trailing.extend_from_slice(b"garbage");
    let run = o.run_with_stdin(&["score"], &trailing);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(run.stdout.contains("\"complaint\":true"), "{}", run.stdout);
    assert!(run.stderr.contains("could not read: -:"), "{}", run.stderr);
    assert!(run.stderr.contains("after line 1"), "{}", run.stderr);
}

#[test]
fn score_drops_a_byte_order_mark_before_json_lines() {
    let o = Outcry::new();
    let input = b"\xef\xbb\xbf{\"text\":\"netflix is down\"}\n{\"text\":\"I love it\"}\n";
    for threads in ["1", "2"] {
        let run = o.run_with_stdin(&["score", "--field", "text", "--threads", threads], input);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["complaint"], true);
        assert_eq!(lines[1]["label"], "positive");
    }
    // Files joined end to end keep each one's mark at the start of a line.
    let joined = b"{\"text\":\"I love it\"}\n\xef\xbb\xbf{\"text\":\"netflix is down\"}\n";
    let run = o.run_with_stdin(&["score", "--field", "text"], joined);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2);
    assert!(run
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .contains("\"complaint\":true"));
}

#[test]
fn score_refuses_thread_counts_out_of_range() {
    let o = Outcry::new();
    std::fs::write(o.path("posts.txt"), "hello\n").unwrap();
    for bad in ["0", "257", "18446744073709551615", "-1", "two"] {
        let arg = format!("--threads={bad}");
        let run = o.run(&["score", &arg, "posts.txt"]);
        assert_eq!(run.code, 2, "--threads {bad}: {}", run.stderr);
        assert!(run.stderr.contains("--threads"), "{}", run.stderr);
        assert!(run.stdout.is_empty());
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let run = o.run_with_stdin(&["score", "--threads", "256"], b"netflix is down\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"complaint\":true"));
}

#[test]
fn html_entities_are_decoded_on_request_in_score_and_always_in_eval() {
    let o = Outcry::new();
    // "<3" is a heart; escaped as Twitter's APIs write it, it is not.
    let escaped = "I love you &amp; you hate me &lt;3";
    let plain = "I love you & you hate me <3";
    let compound = |run: &crate::util::Run| {
        assert_eq!(run.code, 0, "{}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
        v["compound"].as_f64().unwrap()
    };
    let as_given = compound(&o.run_with_stdin(&["score"], format!("{escaped}\n").as_bytes()));
    let decoded = compound(&o.run_with_stdin(
        &["score", "--decode-entities"],
        format!("{escaped}\n").as_bytes(),
    ));
    let written = compound(&o.run_with_stdin(&["score"], format!("{plain}\n").as_bytes()));
    assert_eq!(decoded, written);
    assert!(as_given < 0.0 && decoded > 0.0, "{as_given} {decoded}");
    // In a JSON field too.
    let line = format!("{{\"text\":\"{escaped}\"}}\n");
    let run = o.run_with_stdin(
        &["score", "--field", "text", "--decode-entities"],
        line.as_bytes(),
    );
    assert_eq!(compound(&run), written);
    // eval decodes in every layout: the CSV's positive post is judged so.
    std::fs::write(
        o.path("ent.csv"),
        format!("label,text\npositive,\"{escaped}\"\n"),
    )
    .unwrap();
    let run = o.run(&["eval", "ent.csv", "--format", "label-csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "accuracy"), 1.0);
}

pub(crate) fn metric(stdout: &str, label: &str) -> f64 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {label} in {stdout}"))
}

#[test]
fn eval_reports_correlation_and_classes_for_ratings() {
    let o = Outcry::new();
    let file = o.path("rated.tsv");
    std::fs::write(
        &file,
        "1\t3.1\tI love this, amazing!\n2\t-3.0\tthis is terrible, I hate it\n3\t0.1\tthe bus comes at nine\n4\t2.0\tgreat game tonight\n5\t-2.2\tworst day ever &amp; it's raining\n",
    )
    .unwrap();
    let run = o.run(&["eval", file.to_str().unwrap(), "--format", "rating-tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 5.0);
    assert!(metric(&run.stdout, "pearson r") > 0.9, "{}", run.stdout);
    assert_eq!(metric(&run.stdout, "accuracy"), 1.0, "{}", run.stdout);
}

#[test]
fn eval_takes_a_labelled_csv_with_a_label_map() {
    let o = Outcry::new();
    let file = o.path("labelled.csv");
    std::fs::write(&file, "tweet,polarity\n\"I love it, thanks!\",4\n\"awful, just awful\",0\nthe meeting is at 3,2\n").unwrap();
    let run = o.run(&[
        "eval",
        file.to_str().unwrap(),
        "--format",
        "label-csv",
        "--text-col",
        "tweet",
        "--label-col",
        "polarity",
        "--label-map",
        "0=negative,2=neutral,4=positive",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 3.0);
    assert_eq!(metric(&run.stdout, "accuracy"), 1.0, "{}", run.stdout);
}

/// A file labelled for complaints alone (as the published complaint sets
/// are: a text and a 1/0) is measured for the flag only; a row whose
/// complaint cell is neither is named and skipped, and nothing else is.
#[test]
fn eval_measures_the_complaint_flag_from_a_csv_column() {
    let run = eval_bytes(
        "complaints.csv",
        b"id,text,label\n\
          1,\"@acme my order never arrived, 3 weeks now\",1\n\
          2,\"@acme thanks, all sorted!\",0\n\
          3,what a lovely morning,0\n\
          4,netflix has been buffering for 2 hours,1\n\
          5,the bus comes at nine,maybe\n",
        &["--format", "label-csv", "--complaint-col", "label"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 4.0);
    assert_eq!(
        run.stdout
            .lines()
            .find(|l| l.starts_with("complaint flag"))
            .unwrap(),
        "complaint flag    precision 1.0000  recall 1.0000  F1 1.0000"
    );
    // No sentiment column was named: no sentiment measure is printed.
    assert!(!run.stdout.contains("accuracy"), "{}", run.stdout);
    assert!(!run.stdout.contains("truth \\ predicted"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "complaints.csv:6: complaint \"maybe\" is not 1/0, yes/no, y/n, true/false or complaint/not complaint"
        ),
        "{}",
        run.stderr
    );

    // Both columns named: both measured, on the same posts; the cells'
    // words in any case.
    let both: &[u8] = b"sentiment,is_complaint,tweet\n\
          negative,yes,\"@acme my order never arrived, 3 weeks now\"\n\
          positive,No,what a lovely morning\n\
          negative,TRUE,netflix has been buffering for 2 hours\n\
          positive,not complaint,\"@acme thanks, all sorted!\"\n";
    let columns = ["--format", "label-csv", "--text-col", "tweet"];
    let run = eval_bytes(
        "both.csv",
        both,
        &[
            &columns[..],
            &[
                "--label-col",
                "sentiment",
                "--complaint-col",
                "is_complaint",
            ],
        ]
        .concat(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 4.0);
    assert_eq!(metric(&run.stdout, "accuracy"), 1.0, "{}", run.stdout);
    assert!(run.stdout.contains("F1 1.0000"), "{}", run.stdout);

    // A complaint column the header lacks is a command-line mistake.
    let run = eval_bytes(
        "both.csv",
        both,
        &[&columns[..], &["--complaint-col", "complaint"]].concat(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("\"complaint\" is not a column of"),
        "{}",
        run.stderr
    );

    // A label map asks for sentiment labels: the default column is read.
    let run = eval_bytes(
        "mapped.csv",
        b"text,label,complaint\nwhat a lovely morning,4,0\n",
        &[
            "--format",
            "label-csv",
            "--complaint-col",
            "complaint",
            "--label-map",
            "0=negative,4=positive",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "accuracy"), 1.0, "{}", run.stdout);

    // Nothing flagged and no complaint in the file: nothing to divide by,
    // so no measure, rather than zeros that read as a dreadful score. A
    // complaint missed: recall and F1 are a measured zero, precision
    // (nothing flagged) is not.
    for (rows, want) in [
        (
            "what a lovely morning,no\ngreat game tonight,0\n",
            "complaint flag    precision undefined  recall undefined  F1 undefined",
        ),
        (
            "what a lovely morning,1\n",
            "complaint flag    precision undefined  recall 0.0000  F1 0.0000",
        ),
    ] {
        let run = eval_bytes(
            "calm.csv",
            format!("text,complaint\n{rows}").as_bytes(),
            &["--format", "label-csv", "--complaint-col", "complaint"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains(want), "{}", run.stdout);
    }

    // Two columns of one name: which holds the labels cannot be guessed.
    let run = eval_bytes(
        "twice.csv",
        b"text,flag,flag\nwhat a lovely morning,0,1\n",
        &["--format", "label-csv", "--complaint-col", "flag"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("\"flag\" names more than one column (columns 2 and 3) of"),
        "{}",
        run.stderr
    );
}

/// What `eval --format complaint-tsv` measured on one check set.
struct CheckSet {
    posts: f64,
    complaint_precision: f64,
    complaint_f1: f64,
    macro_f1: f64,
    negative_precision: f64,
    negative_recall: f64,
}

fn check_set(name: &str) -> CheckSet {
    let o = Outcry::new();
    let run = o.run(&[
        "eval",
        fixture(name).to_str().unwrap(),
        "--format",
        "complaint-tsv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("complaint flag"))
        .unwrap();
    let after = |word: &str| -> f64 {
        line.split(word)
            .nth(1)
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {word} in {line}"))
    };
    // The class table's row: `negative  precision  recall  F1  support`.
    let negative: Vec<f64> = run
        .stdout
        .lines()
        .rfind(|l| l.starts_with("negative "))
        .unwrap()
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    CheckSet {
        posts: metric(&run.stdout, "posts scored"),
        complaint_precision: after("precision "),
        complaint_f1: after("F1 "),
        macro_f1: metric(&run.stdout, "macro-F1"),
        negative_precision: negative[0],
        negative_recall: negative[1],
    }
}

/// What a check set must keep reaching: floors about 0.02 under what the
/// scorer reaches today, so a change that makes it worse fails here.
struct Floors {
    posts: f64,
    complaint_f1: f64,
    complaint_precision: f64,
    macro_f1: f64,
    negative_precision: f64,
    negative_recall: f64,
}

fn assert_floors(name: &str, floors: Floors) {
    let m = check_set(name);
    assert_eq!(m.posts, floors.posts, "{name}");
    for (what, value, floor) in [
        ("complaint F1", m.complaint_f1, floors.complaint_f1),
        (
            "complaint precision",
            m.complaint_precision,
            floors.complaint_precision,
        ),
        ("macro-F1", m.macro_f1, floors.macro_f1),
        (
            "negative precision",
            m.negative_precision,
            floors.negative_precision,
        ),
        ("negative recall", m.negative_recall, floors.negative_recall),
    ] {
        assert!(
            value >= floor,
            "{name}: {what} fell to {value} (floor {floor})"
        );
    }
}

/// Our own check set (tests/fixtures/checkset/posts.tsv: 641 posts in four
/// languages, written for this project, hard cases included), which the
/// complaint rules were tuned on. Today complaint P 0.922 / F1 0.931,
/// negative P 0.948 / R 0.902, macro-F1 0.855.
#[test]
fn the_check_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/posts.tsv",
        Floors {
            posts: 641.0,
            complaint_f1: 0.91,
            complaint_precision: 0.90,
            macro_f1: 0.83,
            negative_precision: 0.92,
            negative_recall: 0.87,
        },
    );
}

/// The held-out set (tests/fixtures/checkset/holdout.tsv: 318 customer-
/// service style posts, written and labelled before the rules were tuned and
/// never tuned on). Today complaint P 0.936 / F1 0.926, negative P 0.929 /
/// R 0.876, macro-F1 0.840. Do not tune the rules to this file; if it
/// falls, find the general cause on posts.tsv.
#[test]
fn the_held_out_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/holdout.tsv",
        Floors {
            posts: 318.0,
            complaint_f1: 0.90,
            complaint_precision: 0.91,
            macro_f1: 0.81,
            negative_precision: 0.90,
            negative_recall: 0.85,
        },
    );
}

/// The first blind set (tests/fixtures/checkset/blind.tsv: 300 posts written
/// by someone who never saw the rules). At first look complaint F1 0.699,
/// negative P 0.858 / R 0.641; the rules were since measured on it, so it
/// is no longer blind: today complaint P 0.894 / F1 0.878, negative P 0.890
/// / R 0.852, macro-F1 0.819.
#[test]
fn the_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind.tsv",
        Floors {
            posts: 300.0,
            complaint_f1: 0.85,
            complaint_precision: 0.87,
            macro_f1: 0.79,
            negative_precision: 0.86,
            negative_recall: 0.82,
        },
    );
}

/// The second blind set (tests/fixtures/checkset/blind2.tsv: 400 English
/// posts to companies' customer-service accounts, written by someone who
/// never saw the rules). First look: complaint P 0.920 / R 0.613 / F1
/// 0.736, negative P 0.878 / R 0.621. Its odd lines were then read to find
/// what the rules missed, its even lines never: on those, the honest
/// estimate, complaint F1 went from 0.739 to 0.825 and negative P / R from
/// 0.859 / 0.598 to 0.882 / 0.738. Today, whole: complaint P 0.921 / F1
/// 0.862, negative P 0.897 / R 0.789, macro-F1 0.725.
#[test]
fn the_customer_service_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind2.tsv",
        Floors {
            posts: 400.0,
            complaint_f1: 0.84,
            complaint_precision: 0.90,
            macro_f1: 0.70,
            negative_precision: 0.87,
            negative_recall: 0.76,
        },
    );
}

/// The third blind set (tests/fixtures/checkset/blind3.tsv: 360 outage,
/// customer-service and everyday posts in all four languages, written by
/// someone who never saw the rules). First look: complaint F1 0.706,
/// negative P 0.701 / R 0.545; read since to find what the rules missed.
/// Today complaint P 0.842 / F1 0.835, negative P 0.822 / R 0.761,
/// macro-F1 0.719.
#[test]
fn the_multilingual_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind3.tsv",
        Floors {
            posts: 360.0,
            complaint_f1: 0.79,
            complaint_precision: 0.80,
            macro_f1: 0.68,
            negative_precision: 0.78,
            negative_recall: 0.71,
        },
    );
}

/// The fourth blind set (tests/fixtures/checkset/blind4.tsv: 320 customer-
/// service, outage and everyday posts, 200 of them English, written after
/// every rule of this round by someone who never saw them). Never read:
/// its first look is the honest estimate, complaint P 0.856 / R 0.817 /
/// F1 0.836, negative P 0.844 / R 0.789, macro-F1 0.743. Do not tune the
/// rules to it; if it falls, find the general cause on another set.
#[test]
fn the_unread_blind_set_stays_at_least_as_good_as_at_first_look() {
    assert_floors(
        "checkset/blind4.tsv",
        Floors {
            posts: 320.0,
            complaint_f1: 0.81,
            complaint_precision: 0.83,
            macro_f1: 0.72,
            negative_precision: 0.82,
            negative_recall: 0.76,
        },
    );
}

/// The fifth blind set (tests/fixtures/checkset/blind5.tsv: 360 posts, 240
/// English customer-service, outage and everyday posts and 40 each in
/// Spanish, Portuguese and French, written blind by two writers who never
/// saw the rules). First look: complaint P 0.891 / R 0.796 / F1 0.841,
/// negative P 0.818 / R 0.735, macro-F1 0.678. Its odd data rows were read
/// to find what the rules missed, its even rows never. Today, whole:
/// complaint P 0.907 / F1 0.848, negative P 0.833 / R 0.740, macro-F1
/// 0.686. Many of its negative-label misses are polite requests for help
/// that its writers rated neutral and the rules read as negative.
#[test]
fn the_fifth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind5.tsv",
        Floors {
            posts: 360.0,
            complaint_f1: 0.82,
            complaint_precision: 0.88,
            macro_f1: 0.66,
            negative_precision: 0.80,
            negative_recall: 0.71,
        },
    );
}

/// The sixth blind set (tests/fixtures/checkset/blind6.tsv: 250 posts, 160
/// English and 30 each in Spanish, Portuguese and French, about a Christmas
/// Eve streaming outage, customer service and everyday life, written by two
/// writers who never saw the rules, after every rule of the round). First
/// look: complaint P 0.729 / R 0.775 / F1 0.751, negative P 0.792 / R
/// 0.766, macro-F1 0.729. Its counts alone chose between two forms of the
/// clapping rule (the one kept gives back the round's start: complaint P
/// 0.733 / F1 0.762, negative P 0.795 / R 0.782, macro-F1 0.736). A round
/// later its odd data rows were read to find the misses; its even rows
/// never were.
#[test]
fn the_sixth_blind_set_stays_at_least_as_good_as_at_first_look() {
    assert_floors(
        "checkset/blind6.tsv",
        Floors {
            posts: 250.0,
            complaint_f1: 0.73,
            complaint_precision: 0.70,
            macro_f1: 0.70,
            negative_precision: 0.76,
            negative_recall: 0.74,
        },
    );
}

/// The seventh blind set (tests/fixtures/checkset/blind7.tsv: 430 posts, 280
/// English customer-service, outage-day and everyday posts and 50 each in
/// Spanish, Portuguese and French, written by three writers who never saw
/// the rules). Data rows 1, 3, 5, ... were read to find the misses; rows 2,
/// 4, ... never. First look, whole set: complaint P 0.785 / R 0.803 / F1
/// 0.794, negative P 0.793 / R 0.793, macro-F1 0.704; after the fixes its
/// odd rows prompted: 0.813 / 0.874 / 0.842, 0.806 / 0.824, 0.713.
#[test]
fn the_seventh_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind7.tsv",
        Floors {
            posts: 430.0,
            complaint_f1: 0.82,
            complaint_precision: 0.78,
            macro_f1: 0.69,
            negative_precision: 0.78,
            negative_recall: 0.80,
        },
    );
}

/// The eighth blind set (tests/fixtures/checkset/blind8.tsv: 600 English
/// tweets to airlines and to brands of every kind, in the style of
/// 2013-2016, labelled as crowd annotators label tweets to a company: a
/// problem reported is negative). Odd data rows read, even rows never.
/// First look: complaint P 0.889 / R 0.718 / F1 0.794, negative P 0.924 /
/// R 0.706, macro-F1 0.716; after the fixes its odd rows prompted: 0.909 /
/// 0.782 / 0.841, 0.958 / 0.755, 0.758.
#[test]
fn the_eighth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind8.tsv",
        Floors {
            posts: 600.0,
            complaint_f1: 0.82,
            complaint_precision: 0.88,
            macro_f1: 0.73,
            negative_precision: 0.92,
            negative_recall: 0.73,
        },
    );
}

/// The ninth blind set (tests/fixtures/checkset/blind9.tsv: 630 posts, 150
/// English posts from three outage days, 150 English posts to and about
/// companies, and 110 each in Spanish, Portuguese and French, by five
/// writers who never saw the rules). Its writers were told that sentiment
/// follows the writer's feeling and that a calm factual complaint can be
/// neutral: 101 of its 316 complaints are labelled neutral, where the
/// scorer leans a complaint without sentiment words negative. So its
/// negative precision is low, and VADER's is lower (0.54 at recall 0.33).
/// Odd data rows read, even rows never. First look: complaint P 0.745 /
/// R 0.665 / F1 0.702, negative P 0.597 / R 0.661, macro-F1 0.614; after
/// the fixes its odd rows prompted: 0.776 / 0.722 / 0.748, 0.605 / 0.689,
/// 0.617.
#[test]
fn the_ninth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind9.tsv",
        Floors {
            posts: 630.0,
            complaint_f1: 0.73,
            complaint_precision: 0.76,
            macro_f1: 0.60,
            negative_precision: 0.59,
            negative_recall: 0.67,
        },
    );
}

/// The tenth blind set (tests/fixtures/checkset/blind10.tsv: 630 posts,
/// 150 English posts from three outage days, 150 English posts to and
/// about companies, 110 each in Spanish, Portuguese and French), written
/// to blind9's brief: 122 of its 319 complaints are labelled neutral.
/// Odd data rows read, even rows never. First look: complaint P 0.745 /
/// R 0.668 / F1 0.704, negative P 0.536 / R 0.689, macro-F1 0.566; after
/// the fixes its odd rows prompted: 0.778 / 0.737 / 0.757, 0.550 / 0.741,
/// 0.581 (the even rows' flag F1 from 0.695 to 0.709).
#[test]
fn the_tenth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind10.tsv",
        Floors {
            posts: 630.0,
            complaint_f1: 0.74,
            complaint_precision: 0.76,
            macro_f1: 0.56,
            negative_precision: 0.53,
            negative_recall: 0.71,
        },
    );
}

/// The eleventh blind set (tests/fixtures/checkset/blind11.tsv: 630 posts,
/// 150 English posts from three outage days, 150 English posts to and
/// about companies, 110 each in Spanish, Portuguese and French), written
/// to blind10's brief: 106 of its 315 complaints are labelled neutral.
/// Odd data rows read, even rows never. First look: complaint P 0.718 /
/// R 0.718 / F1 0.718, negative P 0.548 / R 0.735, macro-F1 0.591; after
/// the fixes its odd rows prompted: 0.738 / 0.733 / 0.736, 0.548 / 0.735,
/// 0.590 (the odd rows' flag F1 from 0.721 to 0.759, the even rows' 0.715
/// before and after).
#[test]
fn the_eleventh_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind11.tsv",
        Floors {
            posts: 630.0,
            complaint_f1: 0.72,
            complaint_precision: 0.72,
            macro_f1: 0.57,
            negative_precision: 0.53,
            negative_recall: 0.73,
        },
    );
}

/// The twelfth blind set (tests/fixtures/checkset/blind12.tsv: 630 posts,
/// the same mix and brief as blind11's; 92 of its 317 complaints are
/// labelled neutral), written in the middle of the round that read
/// blind11's odd rows, and never read: the lexicon additions of that
/// round were scored on it before they were kept. At the round's start: complaint
/// P 0.671 / R 0.754 / F1 0.710, negative P 0.533 / R 0.742, macro-F1
/// 0.559; at its end 0.688 / 0.757 / 0.721, 0.543 / 0.746, 0.565.
#[test]
fn the_twelfth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind12.tsv",
        Floors {
            posts: 630.0,
            complaint_f1: 0.70,
            complaint_precision: 0.67,
            macro_f1: 0.54,
            negative_precision: 0.52,
            negative_recall: 0.73,
        },
    );
}

/// The thirteenth blind set (tests/fixtures/checkset/blind13.tsv: 450
/// English posts to and about airlines and travel, shops and delivery,
/// software and apps; three writers, each post by hand, told that
/// sentiment follows the writer's feeling, without the earlier briefs'
/// "a calm factual complaint may be neutral": still 53 of its 226
/// complaints are labelled neutral). Odd data rows read, even rows never.
/// First look: complaint P 0.719 / R 0.757 / F1 0.737, negative P 0.633 /
/// R 0.732, macro-F1 0.605 (VADER's negative label as the flag: F1 0.42);
/// after the fixes its odd rows prompted: 0.736 / 0.779 / 0.757, 0.651 /
/// 0.763, 0.636 (the even rows' flag F1 from 0.759 to 0.764).
#[test]
fn the_thirteenth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind13.tsv",
        Floors {
            posts: 450.0,
            complaint_f1: 0.74,
            complaint_precision: 0.72,
            macro_f1: 0.62,
            negative_precision: 0.63,
            negative_recall: 0.74,
        },
    );
}

/// The fourteenth blind set (tests/fixtures/checkset/blind14.tsv: 450
/// English posts to and about phone, broadband and power companies,
/// couriers, food delivery and ticket sellers, banks, clinics and
/// government portals; three writers, blind13's brief: 63 of its 226
/// complaints neutral), written in the same round. Odd data rows read,
/// even rows never. First look: complaint P 0.705 / R 0.783 / F1 0.742,
/// negative P 0.571 / R 0.761, macro-F1 0.588 (VADER's negative label as
/// the flag: F1 0.45); at the round's end 0.722 / 0.814 / 0.765, 0.578 /
/// 0.783, 0.603 (the even rows' flag F1 0.733 before and after).
#[test]
fn the_fourteenth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind14.tsv",
        Floors {
            posts: 450.0,
            complaint_f1: 0.75,
            complaint_precision: 0.70,
            macro_f1: 0.59,
            negative_precision: 0.56,
            negative_recall: 0.76,
        },
    );
}

/// The fifteenth blind set (tests/fixtures/checkset/blind15.tsv: 540
/// posts, 135 in each of English, Spanish, Portuguese and French, about
/// outages of streaming, cloud, messaging, game and banking services on a
/// holiday evening and everyday posts to telecoms, utilities, transport,
/// delivery and shops; six writers, none of whom saw the rules), written
/// after the round's speed work. Odd data rows read, even rows never. First
/// look: complaint P 0.767 / R 0.824 / F1 0.794, negative P 0.628 / R
/// 0.806, macro-F1 0.665 (VADER's negative label as the flag: F1 0.40; its
/// negative P / R 0.51 / 0.33); at the round's end 0.790 / 0.831 / 0.810,
/// 0.641 / 0.810, 0.675 (the even rows' flag F1 0.761 before and after).
#[test]
fn the_fifteenth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind15.tsv",
        Floors {
            posts: 540.0,
            complaint_f1: 0.79,
            complaint_precision: 0.77,
            macro_f1: 0.66,
            negative_precision: 0.62,
            negative_recall: 0.79,
        },
    );
}

/// The sixteenth blind set (tests/fixtures/checkset/blind16.tsv: 540
/// posts, 390 English tweets to airlines, couriers and hotels, carriers,
/// streaming and banks, shops, food delivery and utilities, and 50 each in
/// Spanish, Portuguese and French; four writers who never saw the rules),
/// labelled as the customer-service sentiment sets label tweets: a calm
/// report of a problem is negative. Odd data rows read, even rows never.
/// First look: complaint P 0.852 / R 0.758 / F1 0.802, negative P 0.905 /
/// R 0.681, macro-F1 0.684 (VADER's negative P / R 0.84 / 0.34, as the
/// flag F1 0.45); at the round's end 0.857 / 0.770 / 0.811, 0.909 /
/// 0.687, 0.689 (the even rows' flag F1 0.779 before and after).
#[test]
fn the_sixteenth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind16.tsv",
        Floors {
            posts: 540.0,
            complaint_f1: 0.81,
            complaint_precision: 0.85,
            macro_f1: 0.68,
            negative_precision: 0.90,
            negative_recall: 0.68,
        },
    );
}

/// The seventeenth blind set (tests/fixtures/checkset/blind17.tsv: 540
/// posts, 390 English tweets to streaming and ticketing, travel, cars,
/// energy and landlords, food and grocery delivery, retail, home internet
/// and banks, and 50 each in Spanish, Portuguese and French; four writers
/// who never saw the rules), written to blind16's brief and never read:
/// a calm report of a problem is negative. At its writing: complaint P
/// 0.846 / R 0.820 / F1 0.833, negative P 0.902 / R 0.760, macro-F1 0.724
/// (VADER's negative P / R 0.83 / 0.35, as the flag F1 0.45).
#[test]
fn the_seventeenth_blind_set_stays_at_least_as_good_as_today() {
    assert_floors(
        "checkset/blind17.tsv",
        Floors {
            posts: 540.0,
            complaint_f1: 0.83,
            complaint_precision: 0.84,
            macro_f1: 0.72,
            negative_precision: 0.90,
            negative_recall: 0.76,
        },
    );
}

/// The shared development set lives beside the checkout (`../shared/eval`);
/// CI has it, a fresh clone may not.
#[test]
fn the_rated_tweets_meet_the_targets_when_present() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval/vader_tweets_ground_truth.tsv");
    if !path.exists() {
        eprintln!("SKIPPED: {} is absent", path.display());
        return;
    }
    let o = Outcry::new();
    let run = o.run(&["eval", path.to_str().unwrap(), "--format", "rating-tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 4200.0);
    assert!(metric(&run.stdout, "pearson r") >= 0.85, "{}", run.stdout);
    assert!(metric(&run.stdout, "macro-F1") >= 0.75, "{}", run.stdout);
}

/// Writes `bytes` to `name` in a fresh temporary folder and runs
/// `outcry eval` on it with `args` after the file name.
pub(crate) fn eval_bytes(name: &str, bytes: &[u8], args: &[&str]) -> crate::util::Run {
    let o = Outcry::new();
    let file = o.path(name);
    std::fs::write(&file, bytes).unwrap();
    let mut all = vec!["eval", file.to_str().unwrap()];
    all.extend_from_slice(args);
    o.run(&all)
}

/// The skipped-row messages, each without the `outcry: skipped DIR/` before
/// the file name.
pub(crate) fn skipped(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("outcry: skipped "))
        // The temporary folder goes; a slash in the reason stays.
        .map(|l| {
            let path_end = l.find(':').unwrap_or(l.len());
            let name = l[..path_end].rfind('/').map_or(0, |slash| slash + 1);
            l[name..].to_string()
        })
        .collect()
}

#[test]
fn eval_skips_a_line_that_is_not_utf8_and_scores_the_rest() {
    let run = eval_bytes(
        "e1.tsv",
        b"1\t2\tI love it\n2\t-2\tI hate \xff it\n3\t1\tgood\n",
        &["--format", "rating-tsv"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    assert_eq!(skipped(&run.stderr), ["e1.tsv:2: invalid UTF-8 at byte 12"]);

    let run = eval_bytes(
        "e1.tsv",
        b"lang\tcomplaint\tsentiment\ttext\nen\t0\tpositive\tI love it\nen\t1\tnegative\tdown \xc3 again\nen\t0\tneutral\tthe bus is at nine\n",
        &["--format", "complaint-tsv"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    assert_eq!(skipped(&run.stderr), ["e1.tsv:3: invalid UTF-8 at byte 19"]);

    // A quoted field over two lines: the record after it starts on line 4.
    let run = eval_bytes(
        "e1.csv",
        b"label,text\n4,\"I love it,\nreally\"\n0,I hate \xff it\n0,awful awful day\n",
        &[
            "--format",
            "label-csv",
            "--label-map",
            "0=negative,4=positive",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    assert_eq!(
        skipped(&run.stderr),
        ["e1.csv:4: text column: invalid UTF-8 at byte 7"]
    );
}

#[test]
fn eval_skips_the_line_a_csv_quote_is_left_open_on_and_reads_on() {
    let labels = [
        "--format",
        "label-csv",
        "--label-map",
        "0=negative,4=positive",
    ];
    let never = "unclosed quote: no quote closes it before the end of the input; this line is rejected and the next one read as a row";
    for (name, file, scored, reason) in [
        // Never closed: the line it opens on is skipped, as import skips
        // it, and the three rows after it are read as rows.
        (
            "q.csv",
            &b"label,text\n4,I love it\n4,\"oops I forgot to close\n0,I hate it\n0,awful awful day\n0,terrible service\n"[..],
            4.0,
            format!("q.csv:3: {never}"),
        ),
        // Closed lines later by a stray quote, whose field then goes on:
        // the csv crate would make lines 3 to 5 one post, and "awful"
        // would vanish.
        (
            "s.csv",
            b"text,label\nI love it,4\n\"stray quote closes later,0\nawful,0\nbad\"x,0\ngreat,4\n",
            4.0,
            "s.csv:3: unclosed quote: text follows a closing quote on line 5; this line is rejected and the next one read as a row".to_string(),
        ),
        // Left open on the last line, where the crate ends the field
        // quietly.
        (
            "l.csv",
            b"label,text\n4,I love it\n0,\"oops I hate it\n",
            1.0,
            format!("l.csv:3: {never}"),
        ),
    ] {
        let run = eval_bytes(name, file, &labels);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(metric(&run.stdout, "posts scored"), scored, "{name}");
        assert_eq!(skipped(&run.stderr), [reason]);
    }
    // A quoted field over two lines, well closed, is one row still.
    let run = eval_bytes(
        "m.csv",
        b"text,label\n\"I love it,\nreally\",4\nawful,0\n",
        &labels,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    // Opened in the header, the quote is named, not the columns it hid.
    let run = eval_bytes(
        "h.csv",
        b"text,\"label\nI love it,positive\n",
        &["--format", "label-csv"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "h.csv:1: the header's quotes are not closed as written (no quote closes it before the end of the input), so it would take the rows below it for column names"
        ),
        "{}",
        run.stderr
    );
    // Rows of the wrong width are named by their line too, whatever the
    // line breaks and blank lines before them.
    for file in [
        &b"label,text\n4,I love it\n0,I hate it,extra\n"[..],
        b"label,text\r\n4,I love it\r\n0,I hate it,extra\r\n",
        b"label,text\n\n4,I love it\n\n\n0,I hate it,extra\n",
    ] {
        let run = eval_bytes(
            "w.csv",
            file,
            &[
                "--format",
                "label-csv",
                "--label-map",
                "0=negative,4=positive",
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(metric(&run.stdout, "posts scored"), 1.0);
        let line = file
            .split(|b| *b == b'\n')
            .position(|l| l.starts_with(b"0,"))
            .unwrap()
            + 1;
        assert_eq!(
            skipped(&run.stderr),
            [format!("w.csv:{line}: 3 fields where the header has 2")]
        );
    }
}

#[test]
fn complaint_tsv_finds_its_columns_by_the_header() {
    let rows = [
        (
            "en",
            "1",
            "negative",
            "netflix has been buffering for 2 hours",
        ),
        ("en", "0", "positive", "I love this show so much"),
        ("es", "1", "negative", "no funciona netflix otra vez"),
    ];
    let ordered: String = std::iter::once("lang\tcomplaint\tsentiment\ttext\n".to_string())
        .chain(
            rows.iter()
                .map(|(l, c, s, t)| format!("{l}\t{c}\t{s}\t{t}\n")),
        )
        .collect();
    let reordered: String = std::iter::once("text\tsentiment\tcomplaint\tlang\n".to_string())
        .chain(
            rows.iter()
                .map(|(l, c, s, t)| format!("{t}\t{s}\t{c}\t{l}\n")),
        )
        .collect();
    let a = eval_bytes("a.tsv", ordered.as_bytes(), &["--format", "complaint-tsv"]);
    let b = eval_bytes(
        "b.tsv",
        reordered.as_bytes(),
        &["--format", "complaint-tsv"],
    );
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    assert_eq!(metric(&a.stdout, "posts scored"), 3.0);
    assert_eq!(a.stdout, b.stdout);

    // Without a header the first post is not silently taken for one.
    let headless = ordered.split_once('\n').unwrap().1;
    let run = eval_bytes("h.tsv", headless.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("h.tsv:1: the header has no \"lang\" column; complaint-tsv needs a first line naming its columns lang, complaint, sentiment and text"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn complaint_tsv_reads_the_complaint_cells_label_csv_reads_and_detects_other_languages() {
    let mut file = String::from("lang\tcomplaint\tsentiment\ttext\n");
    for flag in ["yes", "2", "TRUE", " 1", "1.0", "0 ", "maybe"] {
        file.push_str(&format!("en\t{flag}\tnegative\tnetflix is down again\n"));
    }
    // Languages we have no lexicon for ("und" is Twitter's own) are
    // detected, as import detects them.
    for lang in ["xx", "de", "und", "", "EN"] {
        file.push_str(&format!("{lang}\t1\tnegative\tnetflix is down again\n"));
    }
    let run = eval_bytes("f.tsv", file.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // "yes", "TRUE", " 1", "0 " and the five languages.
    assert_eq!(metric(&run.stdout, "posts scored"), 9.0);
    assert_eq!(
        skipped(&run.stderr),
        [
            "f.tsv:3: complaint \"2\" is not 1/0, yes/no, y/n, true/false or complaint/not complaint",
            "f.tsv:6: complaint \"1.0\" is not 1/0, yes/no, y/n, true/false or complaint/not complaint",
            "f.tsv:8: complaint \"maybe\" is not 1/0, yes/no, y/n, true/false or complaint/not complaint",
        ]
    );
    // Every post is flagged; only "0 " is not a complaint. " 1" read as 0
    // would be a second false positive.
    assert!(
        run.stdout
            .contains("complaint flag    precision 0.8889  recall 1.0000"),
        "{}",
        run.stdout
    );
    // By language: "EN" is English; the others keep rows of their own,
    // "DE-at" under "de".
    let file = format!("{file}DE-at\t1\tnegative\tnetflix is down again\n");
    let run = eval_bytes("f.tsv", file.as_bytes(), &["--format", "complaint-tsv"]);
    let rows: Vec<(&str, &str)> = run
        .stdout
        .lines()
        .skip_while(|l| *l != "by the file's lang column:")
        .skip(2)
        .filter_map(|l| {
            let mut cells = l.split_whitespace();
            Some((cells.next()?, cells.next()?))
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("en", "5"),
            ("de", "2"),
            ("(none)", "1"),
            ("und", "1"),
            ("xx", "1")
        ],
        "{}",
        run.stdout
    );
    // A header that is not UTF-8 is named as such, not as missing columns.
    let run = eval_bytes(
        "u.tsv",
        b"lang\tcomplaint\tsentiment\ttext \xff\nen\t1\tnegative\tdown\n",
        &["--format", "complaint-tsv"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("u.tsv:1: header: invalid UTF-8 at byte 30"),
        "{}",
        run.stderr
    );
    // With nothing scored, the flag's figures are undefined, not zeros.
    let run = eval_bytes(
        "e.tsv",
        b"lang\tcomplaint\tsentiment\ttext\n",
        &["--format", "complaint-tsv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("precision undefined  recall undefined  F1 undefined"),
        "{}",
        run.stdout
    );
}

#[test]
fn ratings_off_the_scale_are_skipped() {
    let run = eval_bytes(
        "r.tsv",
        b"1\t3.1\tI love this, amazing!\n2\tNaN\tgood day\n3\t5\tgreat\n4\t-4.5\tawful\n5\t1e308\tfine\n6\tinf\tok\n7\t-3.0\tthis is terrible, I hate it\n8\t4\tbest day ever\n",
        &["--format", "rating-tsv"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 3.0);
    assert!(metric(&run.stdout, "pearson r") > 0.9, "{}", run.stdout);
    assert_eq!(
        skipped(&run.stderr),
        [
            "r.tsv:2: rating \"NaN\" is not a finite number",
            "r.tsv:3: rating \"5\" is outside the scale -4 to 4",
            "r.tsv:4: rating \"-4.5\" is outside the scale -4 to 4",
            "r.tsv:5: rating \"1e308\" is outside the scale -4 to 4",
            "r.tsv:6: rating \"inf\" is not a finite number",
        ]
    );
}

#[test]
fn a_rating_threshold_off_the_scale_is_a_usage_error() {
    for t in ["NaN", "-0.5", "4", "inf"] {
        let run = eval_bytes(
            "r.tsv",
            b"1\t3.1\tI love this\n",
            &["--format", "rating-tsv", &format!("--rating-threshold={t}")],
        );
        assert_eq!(run.code, 2, "{t}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("is not a number from 0 up to (but not including) 4"),
            "{t}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn macro_f1_leaves_out_a_class_nobody_used() {
    let run = eval_bytes(
        "two.csv",
        b"label,text\n4,I love it\n0,I hate it\n",
        &[
            "--format",
            "label-csv",
            "--label-map",
            "0=negative,4=positive",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "macro-F1"), 1.0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("neutral          n/a     n/a     n/a        0"),
        "{}",
        run.stdout
    );
}

#[test]
fn with_nothing_scored_the_scores_are_undefined() {
    let run = eval_bytes("empty.tsv", b"", &["--format", "rating-tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("accuracy          undefined\nmacro-F1          undefined\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("macro-F1 undefined  accuracy undefined  n 0"),
        "{}",
        run.stdout
    );
}

#[test]
fn label_maps_and_label_cells() {
    let csv = b"label,text\n 4 ,I love it\n0,I hate it\n";
    let run = eval_bytes(
        "l.csv",
        csv,
        &[
            "--format",
            "label-csv",
            "--label-map",
            "0=negative,0=positive",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("label map gives \"0\" two labels, negative and positive"),
        "{}",
        run.stderr
    );
    // Cells are trimmed as the map's values are.
    let run = eval_bytes(
        "l.csv",
        csv,
        &[
            "--format",
            "label-csv",
            "--label-map",
            "0=negative,4=positive",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    // Without a map, labels are read as class names, and a number says what is missing.
    let run = eval_bytes(
        "l.csv",
        b"label,text\npositive,I love it\n0,I hate it\n",
        &["--format", "label-csv"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 1.0);
    assert_eq!(
        skipped(&run.stderr),
        ["l.csv:3: label \"0\" is not negative, neutral or positive (give --label-map to map the file's labels, e.g. 0=negative,4=positive)"]
    );
}

/// Standard output that fills up ends the run with the error named as the
/// other commands name it; one whose reader left (`outcry score … | head`)
/// ends it quietly, having given the reader what it wanted.
#[test]
fn score_names_a_full_output_and_stops_quietly_for_a_reader_gone() {
    let o = Outcry::new();
    let posts = o.path("posts.txt");
    let text: String = (0..2000)
        .map(|i| format!("netflix down again for {i} hours\n"))
        .collect();
    std::fs::write(&posts, text).unwrap();
    let posts = posts.to_str().unwrap();
    let full = std::path::Path::new("/dev/full");
    for threads in ["1", "2"] {
        let args = ["score", "--threads", threads, posts];
        let run_into = |stdout: std::process::Stdio| {
            let out = o.command(&args).stdout(stdout).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            (out.status.code(), stderr)
        };
        if full.exists() {
            let out = run_into(std::fs::File::create(full).unwrap().into());
            let message = "outcry: error: cannot write standard output: No space left on device (os error 28)\n";
            assert_eq!(out, (Some(2), message.to_string()), "--threads {threads}");
        } else {
            eprintln!("SKIPPED the full disk: no /dev/full on this system");
        }
        let out = run_into(crate::util::closed_pipe().into());
        assert_eq!(out, (Some(0), String::new()), "--threads {threads}");
    }
}

/// The by-language table of `eval --format complaint-tsv`: its row for a
/// language holds the figures the file's rows in that language give on
/// their own, and a file in one language gets no table.
#[test]
fn complaint_tsv_reports_each_language_as_its_rows_alone_would() {
    let whole = std::fs::read_to_string(fixture("checkset/posts.tsv")).unwrap();
    let (header, rows) = whole.split_once('\n').unwrap();
    let run = eval_bytes("all.tsv", whole.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let table: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .skip_while(|l| *l != "by the file's lang column:")
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let langs: Vec<&str> = table.iter().map(|row| row[0]).collect();
    // Largest first (the check set holds 329, 107, 103 and 102).
    assert_eq!(langs, ["en", "fr", "es", "pt"], "{}", run.stdout);
    for row in &table {
        let alone: String = rows
            .lines()
            .filter(|l| l.split('\t').next() == Some(row[0]))
            .map(|l| format!("{l}\n"))
            .collect();
        let one = eval_bytes(
            "one.tsv",
            format!("{header}\n{alone}").as_bytes(),
            &["--format", "complaint-tsv"],
        );
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert!(
            !one.stdout.contains("by the file's lang column"),
            "{}",
            one.stdout
        );
        let flag = one
            .stdout
            .lines()
            .find(|l| l.starts_with("complaint flag"))
            .unwrap();
        let after = |word: &str| flag.split(word).nth(1).unwrap().split_whitespace().next();
        let negative: Vec<&str> = one
            .stdout
            .lines()
            .rfind(|l| l.starts_with("negative "))
            .unwrap()
            .split_whitespace()
            .collect();
        let expected = [
            Some(row[0]),
            Some(&*format!("{}", metric(&one.stdout, "posts scored"))),
            Some(&*format!("{:.4}", metric(&one.stdout, "macro-F1"))),
            after("precision "),
            after("recall "),
            after("F1 "),
            Some(negative[1]),
            Some(negative[2]),
        ];
        let got: Vec<Option<&str>> = row.iter().map(|c| Some(*c)).collect();
        assert_eq!(got, expected, "{}\n{}", run.stdout, one.stdout);
    }
}

/// A post that arrives on a pipe is answered while the pipe is still open
/// (`tail -f feed | outcry score`), not when 4,096 lines have come or the
/// input has ended; with one thread or several.
#[test]
fn score_answers_each_line_of_a_pipe_before_the_next_arrives() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    use std::time::Duration;
    let o = Outcry::new();
    for threads in ["1", "3"] {
        let mut child = o
            .command(&["score", "--threads", threads])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, answers) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if tx.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        let posts = [
            ("I love it", "positive", false),
            ("netflix is down again", "negative", true),
            ("I hate it", "negative", false),
        ];
        for (post, label, complaint) in posts {
            stdin.write_all(format!("{post}\n").as_bytes()).unwrap();
            stdin.flush().unwrap();
            // Generous: the answer takes milliseconds; what is asserted is
            // that it comes while the line is the last one written.
            let answer = answers
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| {
                    panic!("--threads {threads}: {post:?} not answered while stdin is open")
                });
            let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
            assert_eq!(v["label"], label, "{post}: {answer}");
            assert_eq!(v["complaint"], complaint, "{post}: {answer}");
        }
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        reader.join().unwrap();
        assert_eq!(out.status.code(), Some(0), "--threads {threads}");
        assert!(answers.try_recv().is_err(), "an answer too many");
    }
}

/// Half an emoji (a lone UTF-16 surrogate escape, text cut by UTF-16 units)
/// costs no post: the line is read as `import` reads a tweet, with U+FFFD
/// in its place, and scored.
#[test]
fn score_reads_half_an_emoji_as_import_does() {
    let o = Outcry::new();
    let input = concat!(
        r#"{"text":"netflix is down again \ud83d"}"#,
        "\n",
        r#"{"user":{"name":"Ana \udc00"},"text":"I love this show \ud83d\ude02"}"#,
        "\n",
    );
    let as_text = o.run_with_stdin(
        &["score"],
        "netflix is down again \u{fffd}\nI love this show \u{1f602}\n".as_bytes(),
    );
    assert_eq!(as_text.code, 0, "{}", as_text.stderr);
    for threads in ["1", "2"] {
        let run = o.run_with_stdin(
            &["score", "--field", "text", "--threads", threads],
            input.as_bytes(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "");
        assert_eq!(run.stdout, as_text.stdout);
        let lines: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["complaint"], true, "{}", run.stdout);
        assert_eq!(lines[0]["label"], "negative", "{}", run.stdout);
        assert_eq!(lines[1]["label"], "positive", "{}", run.stdout);
    }
}

/// A JSON line that is not an object has no field to miss: it is called
/// what it is.
#[test]
fn score_says_what_a_line_that_is_not_an_object_is() {
    let o = Outcry::new();
    let input = b"[1,2,3]\n\"just a string\"\n42\nnull\n true\n{\"post\":\"x\"}\n{\"text\":\"I love it\"}\n";
    let run = o.run_with_stdin(&["score", "--field", "text"], input);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<String> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| Some(format!("{}: {}", v["line"], v.get("error")?.as_str()?)))
        .collect();
    assert_eq!(
        errors,
        [
            "1: a JSON array, not an object",
            "2: a JSON string, not an object",
            "3: a JSON number, not an object",
            "4: JSON null, not an object",
            "5: a JSON boolean, not an object",
            "6: no field \"text\"",
        ]
    );
    assert_eq!(run.stdout.lines().count(), 7);
    assert!(run
        .stdout
        .lines()
        .last()
        .unwrap()
        .contains("\"label\":\"positive\""));
    assert!(
        run.stderr.contains("-:1: a JSON array, not an object\n"),
        "{}",
        run.stderr
    );
}

/// `--field` naming no field, or with an empty key in its path, would answer
/// every line with an error: it is refused before anything is read.
#[test]
fn score_refuses_a_field_with_an_empty_key() {
    let o = Outcry::new();
    std::fs::write(o.path("posts.jsonl"), "{\"a\":{\"b\":\"I love it\"}}\n").unwrap();
    let run = o.run(&["score", "--field=", "posts.jsonl"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("outcry: error: --field \"\" names no field"),
        "{}",
        run.stderr
    );
    for bad in ["a.", ".b", "a..b", "."] {
        let run = o.run(&["score", "--field", bad, "posts.jsonl"]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{bad}");
        let expected = format!(
            "outcry: error: --field {bad:?} has an empty key: dots separate the keys of a nested path (user.description), so none may be empty\n"
        );
        assert_eq!(run.stderr, expected);
    }
    let run = o.run(&["score", "--field", "a.b", "posts.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("\"label\":\"positive\""),
        "{}",
        run.stdout
    );
}

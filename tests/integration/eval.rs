//! `outcry eval` on files that are wrong in the ways labelled files are:
//! what is measured, what is named, and the exit status.

use crate::score::{eval_bytes, metric, skipped};
use crate::util::{gzip, Outcry};

const RATED: &str = "1\t3.2\tI love it so much\n2\t-3.0\tthis is awful\n3\t0.1\tthe table\n";

#[test]
fn a_header_blank_lines_and_empty_texts_are_not_rows_measured() {
    // A first line of names is a header; blank lines are nothing; a row
    // with no text is named, not counted as a neutral post.
    let file = format!("id\trating\ttext\n\n{RATED}\n4\t-1.0\t   \n");
    let run = eval_bytes("r.tsv", file.as_bytes(), &["--format", "rating-tsv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 3.0);
    assert_eq!(skipped(&run.stderr), ["r.tsv:7: the text is empty"]);
    // Only a first line of names is a header: a word as a rating later,
    // or beside an id, is a bad rating.
    let run = eval_bytes(
        "f.tsv",
        b"1\thigh\tI love it\n",
        &["--format", "rating-tsv"],
    );
    assert_eq!(
        skipped(&run.stderr),
        ["f.tsv:1: rating \"high\" is not a number"]
    );
    let file = format!("{RATED}5\trating\tgood\n");
    let run = eval_bytes("w.tsv", file.as_bytes(), &["--format", "rating-tsv"]);
    assert_eq!(
        skipped(&run.stderr),
        ["w.tsv:4: rating \"rating\" is not a number"]
    );

    let csv = "text,label\nI love it,positive\n\"  \",negative\n   \nawful,negative\n";
    let run = eval_bytes("e.csv", csv.as_bytes(), &["--format", "label-csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    assert_eq!(skipped(&run.stderr), ["e.csv:3: the text is empty"]);

    let tsv =
        "lang\tcomplaint\tsentiment\ttext\nen\t1\tnegative\tnetflix is down\n\nen\t0\tneutral\t\n";
    let run = eval_bytes("c.tsv", tsv.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(metric(&run.stdout, "posts scored"), 1.0);
    assert_eq!(skipped(&run.stderr), ["c.tsv:4: the text is empty"]);
}

#[test]
fn an_empty_rating_file_has_an_undefined_correlation() {
    let run = eval_bytes("empty.tsv", b"", &["--format", "rating-tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("posts scored      0\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("pearson r         undefined\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("accuracy          undefined\n"));
}

#[test]
fn columns_are_found_as_a_reader_would_and_never_doubled() {
    // Case and spaces aside, as complaint-tsv has always found them.
    let csv = "Text , LABEL\nI love it,positive\nawful,negative\n";
    let run = eval_bytes("c.csv", csv.as_bytes(), &["--format", "label-csv"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(metric(&run.stdout, "posts scored"), 2.0);
    // A column missing: the header is shown.
    let run = eval_bytes(
        "m.csv",
        csv.as_bytes(),
        &["--format", "label-csv", "--label-col", "polarity"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("\"polarity\" is not a column of")
            && run.stderr.contains("(its header: \"Text , LABEL\")"),
        "{}",
        run.stderr
    );
    // Scoring the labels themselves would measure 1.0.
    let run = eval_bytes(
        "s.csv",
        csv.as_bytes(),
        &["--format", "label-csv", "--text-col", "label"],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("--text-col and --label-col name the same column"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    // complaint-tsv refuses two text columns as label-csv does.
    let tsv = "lang\tcomplaint\tsentiment\ttext\ttext\nen\t0\tpositive\tI love it\tI hate it\n";
    let run = eval_bytes("d.tsv", tsv.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("d.tsv:1: \"text\" names more than one column (columns 4 and 5)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_field_too_many_is_counted_unless_text_is_last() {
    // Text last: it takes the rest of the line, tabs and all.
    let last = "lang\tcomplaint\tsentiment\ttext\nen\t1\tnegative\tdown\tagain\n";
    let run = eval_bytes("l.tsv", last.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // Text elsewhere: the extra field is named as one, not glued to the
    // sentiment label.
    let inner = "text\tcomplaint\tlang\tsentiment\ndown\t1\ten\tnegative\textra\n";
    let run = eval_bytes("i.tsv", inner.as_bytes(), &["--format", "complaint-tsv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        skipped(&run.stderr),
        ["i.tsv:2: 5 fields where the header has 4"]
    );
}

#[test]
fn options_another_format_reads_are_refused() {
    for (format, flag, value, owner) in [
        ("rating-tsv", "--text-col", "tweet", "label-csv"),
        ("rating-tsv", "--complaint-col", "flag", "label-csv"),
        ("complaint-tsv", "--label-map", "0=negative", "label-csv"),
        ("label-csv", "--rating-threshold", "3", "rating-tsv"),
    ] {
        let run = eval_bytes("x", RATED.as_bytes(), &["--format", format, flag, value]);
        assert_eq!(run.code, 2, "{format} {flag}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!(
                "{flag} is for --format {owner}; --format {format} does not read it"
            )),
            "{}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn compressed_files_and_standard_input_are_read_as_score_reads_them() {
    let plain = eval_bytes("r.tsv", RATED.as_bytes(), &["--format", "rating-tsv"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(metric(&plain.stdout, "posts scored"), 3.0);
    let packed = eval_bytes(
        "r.tsv.gz",
        &gzip(RATED.as_bytes()),
        &["--format", "rating-tsv"],
    );
    assert_eq!(
        (packed.code, packed.stdout.as_str()),
        (0, plain.stdout.as_str())
    );
    let piped =
        Outcry::new().run_with_stdin(&["eval", "-", "--format", "rating-tsv"], RATED.as_bytes());
    assert_eq!(
        (piped.code, piped.stdout.as_str()),
        (0, plain.stdout.as_str())
    );

    // Cut short: the whole lines before the cut are measured, the cut named.
    let mut big = String::new();
    for k in 0..3000 {
        big.push_str(&format!("{k}\t2.0\tI love it, post {k}\n"));
    }
    let packed = gzip(big.as_bytes());
    let cut = &packed[..packed.len() / 2];
    let run = eval_bytes("cut.tsv.gz", cut, &["--format", "rating-tsv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let scored = metric(&run.stdout, "posts scored");
    assert!((1.0..3000.0).contains(&scored), "{}", run.stdout);
    assert_eq!(
        skipped(&run.stderr),
        [format!(
            "cut.tsv.gz: truncated gzip stream after line {scored}; what follows is not measured"
        )]
    );
    // Damaged: what came before the check that found it may be garbage.
    let mut damaged = packed.clone();
    let len = damaged.len();
    damaged[len - 6] ^= 0xff; // the CRC
    let run = eval_bytes("bad.tsv.gz", &damaged, &["--format", "rating-tsv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("corrupt gzip data after line")
            && run.stderr.contains("; nothing measured"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_full_disk_is_named_as_standard_output() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        eprintln!("SKIPPED: no /dev/full on this system");
        return;
    }
    let o = Outcry::new();
    let file = o.path("r.tsv");
    std::fs::write(&file, RATED).unwrap();
    let out = o
        .command(&["eval", file.to_str().unwrap(), "--format", "rating-tsv"])
        .stdout(std::fs::File::create(full).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "outcry: error: cannot write standard output: No space left on device (os error 28)\n"
    );
}

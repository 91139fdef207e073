//! `outcry synth`: where it writes, and which options it takes.

use std::io::Read;

use crate::util::Outcry;

#[test]
fn dash_is_standard_output_and_the_same_archive() {
    let o = Outcry::new();
    let run = o.run(&["synth", "--scenario", "load", "--posts", "3", "--out", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "wrote 3 lines to standard output\n");
    assert!(!o.path("-").exists());
    let file = o.run(&[
        "synth",
        "--scenario",
        "load",
        "--posts",
        "3",
        "--out",
        "l.jsonl",
    ]);
    assert_eq!(file.stderr, "wrote 3 lines to l.jsonl\n");
    assert_eq!(
        std::fs::read_to_string(o.path("l.jsonl")).unwrap(),
        run.stdout
    );
    let one = o.run(&["synth", "--scenario", "load", "--posts", "1", "--out", "-"]);
    assert_eq!(one.stderr, "wrote 1 line to standard output\n");
    assert_eq!(one.stdout.lines().count(), 1);

    // The random scenario's truth goes beside the archive: it needs a name.
    let run = o.run(&["synth", "--scenario", "random", "--out", "-"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "outcry: error: --out - cannot take --scenario random: its truth is written beside \
         the archive (FILE.truth.json), so it needs a file name\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn posts_is_refused_where_it_would_be_ignored() {
    let o = Outcry::new();
    for scenario in ["random", "christmas-eve-2012"] {
        let run = o.run(&[
            "synth",
            "--scenario",
            scenario,
            "--seed",
            "4",
            "--posts",
            "10",
            "--out",
            "rp.jsonl",
        ]);
        assert_eq!(run.code, 2, "{scenario}");
        assert_eq!(
            run.stderr,
            format!(
                "outcry: error: --posts is for --scenario load only; --scenario {scenario} \
                 writes an archive of its own size\n"
            )
        );
        assert!(!o.path("rp.jsonl").exists());
        assert!(!o.path("rp.jsonl.truth.json").exists());
    }
}

#[test]
fn a_gz_name_in_any_case_is_gzip() {
    let o = Outcry::new();
    for name in ["a.JSONL.GZ", "b.jsonl.Gz", "c.jsonl.gz"] {
        let run = o.run(&["synth", "--scenario", "load", "--posts", "5", "--out", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let bytes = std::fs::read(o.path(name)).unwrap();
        assert_eq!(&bytes[..2], &[0x1f, 0x8b], "{name} is not gzip");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text.lines().count(), 5, "{name}");
    }
    let run = o.run(&[
        "synth",
        "--scenario",
        "load",
        "--posts",
        "5",
        "--out",
        "d.GZIP",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(std::fs::read(o.path("d.GZIP")).unwrap()[0], b'{');
}

#[test]
fn a_full_disk_is_named_with_the_file_it_filled() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("SKIPPED: no /dev/full on this system");
        return;
    }
    let o = Outcry::new();
    for posts in [None, Some("3")] {
        let mut args = vec!["synth", "--scenario", "load", "--out", "/dev/full"];
        if let Some(n) = posts {
            args.extend(["--posts", n]);
        }
        let run = o.run(&args);
        assert_eq!(run.code, 2);
        assert_eq!(
            run.stderr,
            "outcry: error: cannot write /dev/full: No space left on device (os error 28)\n"
        );
    }
}

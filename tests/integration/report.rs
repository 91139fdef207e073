//! `outcry report`: what its files cover, and when it writes none. The
//! store is the one `analyse` uses:
//! `tests/fixtures/detect/christmas.jsonl.gz`, complaints stored from
//! 2012-12-17T00 to 2012-12-25T23, one outage from 2012-12-24T20 to
//! 2012-12-25T05.

use std::path::Path;

use crate::util::{fixture, Outcry};

fn imported() -> Outcry {
    let o = Outcry::new();
    let run = o.run(&[
        "import",
        fixture("detect/christmas.jsonl.gz").to_str().unwrap(),
        "--no-chart",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    o
}

fn report(o: &Outcry, dir: &Path, range: &[&str]) -> crate::util::Run {
    let mut args = vec!["report", "netflix", "--out", dir.to_str().unwrap()];
    args.extend_from_slice(range);
    o.run(&args)
}

#[test]
fn a_mistyped_year_is_refused_before_the_folder_is_made() {
    let o = imported();
    let dir = o.path("typo");
    let run = report(&o, &dir, &["--from", "2012-12-24", "--to", "9012-12-25"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "outcry: error: the range from 2012-12-24T00:00:00Z to 9012-12-25T00:00:00Z holds \
         61360753 hourly buckets, more than the 263520 a curve may hold (thirty years of hours): \
         give a shorter --from/--to\n"
    );
    assert!(!dir.exists());
}

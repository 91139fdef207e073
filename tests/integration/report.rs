//! `outcry report`: what its files cover, and that a report that fails
//! leaves the folder as it was. The store is the one `analyse` uses:
//! `tests/fixtures/detect/christmas.jsonl.gz`, complaints stored from
//! 2012-12-17T00 to 2012-12-25T23, one outage from 2012-12-24T20 to
//! 2012-12-25T05.

use std::path::Path;

use crate::util::Outcry;

fn imported() -> Outcry {
    Outcry::imported("detect/christmas.jsonl.gz")
}

fn report(o: &Outcry, dir: &Path, range: &[&str]) -> crate::util::Run {
    let mut args = vec!["report", "netflix", "--out", dir.to_str().unwrap()];
    args.extend_from_slice(range);
    o.run(&args)
}

/// The time axis's labels (`12-24 20h`, or `2012-12-24` on a chart of
/// years), in order.
fn axis_labels(svg: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut labels = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("curve.svg is well-formed XML") {
            quick_xml::events::Event::Start(e) => in_text = e.name().as_ref() == b"text",
            quick_xml::events::Event::Text(t) if in_text => {
                let t = t.decode().unwrap().trim().to_string();
                let b = t.as_bytes();
                let hour = b.len() == 9 && b[2] == b'-' && b[5] == b' ' && b[8] == b'h';
                let date = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
                if hour || date {
                    labels.push(t);
                }
            }
            quick_xml::events::Event::End(_) => in_text = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    labels
}

/// The first and last `start` of a curve.csv, and its rows.
fn csv_span(csv: &str) -> (String, String, usize) {
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    let start = |l: &str| l.split(',').next().unwrap().to_string();
    (start(rows[0]), start(rows[rows.len() - 1]), rows.len())
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_chart_covers_the_hours_of_curve_csv() {
    let o = imported();
    let dir = o.path("week");
    // Three days before the outage to two days after the last stored hour.
    let run = report(&o, &dir, &["--from", "2012-12-20", "--to", "2012-12-28"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(dir.join("curve.csv")).unwrap();
    assert_eq!(
        csv_span(&csv),
        (
            "2012-12-20T00:00:00Z".to_string(),
            "2012-12-28T00:00:00Z".to_string(),
            193
        )
    );
    // Hours after the last one stored have no baseline.
    assert!(csv.ends_with("2012-12-28T00:00:00Z,netflix,all,0,0,0,0,0,,,\n"));
    let svg = std::fs::read_to_string(dir.join("curve.svg")).unwrap();
    // A label every midnight from the first hour to the end of the last.
    let days: Vec<String> = (20..=28).map(|d| format!("12-{d} 00h")).collect();
    assert_eq!(axis_labels(&svg), days);

    // Without a range, the chart spans the stored hours; a wider range
    // draws a wider chart.
    let all = o.path("all");
    assert_eq!(report(&o, &all, &[]).code, 0);
    let all_svg = std::fs::read_to_string(all.join("curve.svg")).unwrap();
    let days: Vec<String> = (17..=26).map(|d| format!("12-{d} 00h")).collect();
    assert_eq!(axis_labels(&all_svg), days);
    assert_ne!(all_svg, svg);
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains(svg.trim_start_matches(|c: char| c != '<')));

    // Thirty years: the chart spans them too, labelled by year, and stays
    // small (quiet hours are one segment each).
    let wide = o.path("wide");
    let run = report(&o, &wide, &["--from", "2000-01-01", "--to", "2030-01-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(wide.join("curve.csv")).unwrap();
    assert_eq!(
        csv_span(&csv),
        (
            "2000-01-01T00:00:00Z".to_string(),
            "2030-01-01T00:00:00Z".to_string(),
            262_993
        )
    );
    let wide_svg = std::fs::read_to_string(wide.join("curve.svg")).unwrap();
    assert_ne!(wide_svg, all_svg);
    assert!(wide_svg.len() < all_svg.len() * 2, "{}", wide_svg.len());
    let years: Vec<String> = (2000..=2030)
        .step_by(5)
        .map(|y| format!("{y}-01-01"))
        .collect();
    assert_eq!(
        axis_labels(&wide_svg),
        years,
        "the axis ends where curve.csv does"
    );
}

#[test]
fn one_hour_is_one_hour_with_two_labels() {
    let o = imported();
    let dir = o.path("hour");
    let run = report(
        &o,
        &dir,
        &["--from", "2012-12-24T20", "--to", "2012-12-24T20"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "wrote curve.csv (1 hour), incidents.csv (1), spread.csv, posts.csv (11), curve.svg and index.html to {}\n",
            dir.display()
        )
    );
    let svg = std::fs::read_to_string(dir.join("curve.svg")).unwrap();
    assert_eq!(axis_labels(&svg), vec!["12-24 20h", "12-24 21h"]);
}

#[test]
fn the_page_says_which_hours_the_posts_come_from() {
    let o = imported();
    let dir = o.path("report");
    assert_eq!(report(&o, &dir, &[]).code, 0);
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let heading =
        "<h2>What people said, 2012-12-24T20:00:00Z to 2012-12-25T05:00:00Z (the largest incident)</h2>";
    assert!(html.contains(heading), "{html}");
    assert!(html.contains(
        "<h2>Spread by region, 2012-12-24T20:00:00Z to 2012-12-25T05:00:00Z (the largest incident)</h2>"
    ));
    // posts.csv holds those hours' posts, the same as the page's table.
    let posts = std::fs::read_to_string(dir.join("posts.csv")).unwrap();
    let times: Vec<&str> = posts
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(times.len() >= 5);
    assert!(
        times
            .iter()
            .all(|t| ("2012-12-24T20".."2012-12-25T06").contains(t)),
        "{times:?}"
    );

    // A range without an incident: the posts are the range's, and the page
    // does not say they are an incident's.
    let quiet = o.path("quiet");
    let run = report(
        &o,
        &quiet,
        &["--from", "2012-12-18", "--to", "2012-12-19T23"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(quiet.join("index.html")).unwrap();
    assert!(html.contains("No incident found"));
    assert!(
        html.contains("<h2>What people said, 2012-12-18T00:00:00Z to 2012-12-19T23:00:00Z</h2>")
    );
}

#[test]
fn a_report_that_fails_leaves_the_old_one_as_it_was() {
    let o = imported();
    let dir = o.path("report");
    assert_eq!(report(&o, &dir, &[]).code, 0);
    let files = [
        "curve.csv",
        "curve.svg",
        "incidents.csv",
        "posts.csv",
        "spread.csv",
    ];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    // index.html cannot be written: a folder has its name.
    std::fs::remove_file(dir.join("index.html")).unwrap();
    std::fs::create_dir(dir.join("index.html")).unwrap();
    let run = report(&o, &dir, &["--from", "2012-12-20", "--to", "2012-12-28"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "outcry: error: cannot write {}: a folder has that name\n",
            dir.join("index.html").display()
        )
    );
    // The other five are the old report's, and no temporary is left.
    let after: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    assert!(before == after, "a file of the old report was replaced");
    assert_eq!(
        names(&dir),
        vec![
            "curve.csv",
            "curve.svg",
            "incidents.csv",
            "index.html",
            "posts.csv",
            "spread.csv"
        ]
    );

    // Once the way is clear, all six are replaced together.
    std::fs::remove_dir(dir.join("index.html")).unwrap();
    let run = report(&o, &dir, &["--from", "2012-12-20", "--to", "2012-12-28"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(dir.join("curve.csv")).unwrap();
    assert_eq!(csv_span(&csv).2, 193);
    assert_eq!(names(&dir).len(), 6);
}

#[test]
fn a_file_is_not_a_folder() {
    let o = imported();
    let file = o.path("afile");
    std::fs::write(&file, "hi\n").unwrap();
    let run = report(&o, &file, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "outcry: error: cannot write to {}: it is a file, not a folder\n",
            file.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hi\n");
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

#[test]
fn standard_output_is_refused_since_a_report_is_a_folder() {
    let o = imported();
    let run = report(&o, Path::new("-"), &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "outcry: error: a report is a folder of six files and cannot go to standard output: \
         name a folder with --out (`export curve --out -` writes the curve alone)\n"
    );
    assert_eq!(run.stdout, "");
    assert!(!o.path("-").exists());
}

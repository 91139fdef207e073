//! Kill-and-rerun: `outcry import` killed (SIGKILL) at twenty seeded moments
//! over a multi-file archive, rerun after each kill, ends with exactly the
//! curves of one clean run: nothing lost, nothing counted twice.
//!
//! Half the kills land at a commit boundary (the `OUTCRY_PAUSE_AFTER_COMMITS`
//! hook, so resumption from a checkpoint is exercised at a known point); the
//! other half land after a seeded delay, anywhere: while the store opens,
//! mid-batch, between a commit and its flush. Whatever the moment, a rerun
//! must give the same numbers, so the test asserts on the curves only, never
//! on where the kill fell. The same property for `outcry poll` is
//! `poll::a_kill_in_the_middle_of_a_run_neither_loses_nor_double_counts`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::util::{gzip, read_fixture, tar, Outcry};

const KILLS: usize = 20;
const COMMIT_EVERY: &str = "100";

/// A small deterministic generator (splitmix64), so the kill moments are the
/// same on every run of the suite.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Tweets spread over two days, several topics and regions, every text
/// distinct enough to move the sentiment columns.
fn tweets(offset: usize, count: usize) -> Vec<u8> {
    let texts = [
        "netflix is down again, nothing loads #NetflixDown",
        "watching netflix with the kids, love it",
        "hulu works fine tonight",
        "Netflix no funciona en mi PS3, que horrible",
        "hbo go keeps crashing, worst service ever",
        "Netflix not working on the PS3 #christmasisruined",
        "baking cookies",
        "netflix est en panne, quelle catastrophe",
    ];
    let places = [
        ("Denver, CO", "Mountain Time (US & Canada)", -25200),
        ("São Paulo", "Brasilia", -10800),
        ("Montréal", "Eastern Time (US & Canada)", -18000),
        ("México", "Mexico City", -21600),
        ("", "", 0),
    ];
    let mut out = String::new();
    for i in offset..offset + count {
        let minute = (i * 7) % (48 * 60);
        let (loc, tz, off) = places[i % places.len()];
        out.push_str(&format!(
            r#"{{"created_at":"{} Dec {} {:02}:{:02}:{:02} +0000 2012","id_str":"{}","text":"{} {}","lang":"en","user":{{"screen_name":"u{}","location":"{}","time_zone":"{}","utc_offset":{}}}}}"#,
            if minute < 24 * 60 { "Mon" } else { "Tue" },
            24 + minute / (24 * 60),
            (minute / 60) % 24,
            minute % 60,
            i % 60,
            283_306_174_100_000_000u64 + i as u64,
            texts[i % texts.len()],
            i % 13,
            i % 89,
            loc,
            tz,
            off
        ));
        out.push('\n');
    }
    out.into_bytes()
}

/// Several files in several shapes: plain lines, gzip, a tar of gzip
/// members, a CSV and twarc2 pages, with some tweets in two files (dedup
/// must hold across a kill too).
fn write_archive(o: &Outcry) {
    let dir = o.path("archive");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.jsonl"), tweets(0, 1500)).unwrap();
    std::fs::write(dir.join("b.jsonl.gz"), gzip(&tweets(1500, 1500))).unwrap();
    let m1 = gzip(&tweets(3000, 700));
    let m2 = gzip(&tweets(3700, 700));
    // Overlaps the end of b: these are duplicates and must count once.
    let m3 = gzip(&tweets(2800, 400));
    std::fs::write(
        dir.join("c.tar"),
        tar(&[
            ("day/01.json.gz", &m1),
            ("day/02.json.gz", &m2),
            ("day/03.json.gz", &m3),
        ]),
    )
    .unwrap();
    std::fs::write(dir.join("d.csv"), read_fixture("csv/twarc.csv")).unwrap();
    std::fs::write(dir.join("e.jsonl"), read_fixture("v2/search.jsonl")).unwrap();
}

fn import_args() -> Vec<&'static str> {
    vec![
        "import",
        "--no-chart",
        "--commit-every",
        COMMIT_EVERY,
        "archive",
    ]
}

/// Every curve a user could quote: each stored topic, and by region for a
/// few, as the raw CSV text (so the sentiment columns are compared too).
fn curves(o: &Outcry) -> Vec<String> {
    let stats = o.run(&["stats"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let topics: Vec<String> = stats
        .stdout
        .lines()
        .filter(|l| l.contains(" posts ") && l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(topics.len() >= 3, "too few topics:\n{}", stats.stdout);
    let mut out = vec![stats.stdout.replace(&o.db().display().to_string(), "")];
    for t in &topics {
        let mut runs = vec![vec!["curve", t.as_str(), "--format", "csv"]];
        for r in ["US", "BR"] {
            runs.push(vec!["curve", t.as_str(), "--format", "csv", "--region", r]);
        }
        runs.push(vec!["curve", t.as_str(), "--format", "csv", "--by", "day"]);
        for args in runs {
            let run = o.run(&args);
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            out.push(format!("{args:?}\n{}", run.stdout));
        }
    }
    out
}

/// Spawns the import; with `pause`, returns only once it has paused after
/// that many commits (`None` if it finished first).
fn spawn(o: &Outcry, pause: Option<u64>) -> Option<Child> {
    let mut cmd = o.command(&import_args());
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(n) = pause {
        cmd.env("OUTCRY_PAUSE_AFTER_COMMITS", n.to_string());
    }
    let mut child = cmd.spawn().expect("spawn outcry");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    if let Some(n) = pause {
        let paused = format!("outcry: paused after commit {n}");
        loop {
            match lines.next() {
                Some(Ok(line)) if line.starts_with(&paused) => break,
                Some(Ok(_)) => continue,
                _ => {
                    let status = child.wait().expect("wait");
                    assert_eq!(status.code(), Some(0), "import failed before pausing");
                    return None;
                }
            }
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Some(child)
}

fn finish(o: &Outcry) -> String {
    let run = o.run(&import_args());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run.stdout
}

#[test]
fn twenty_kills_and_reruns_give_the_curves_of_one_clean_run() {
    let clean = Outcry::new();
    write_archive(&clean);
    finish(&clean);
    let expected = curves(&clean);

    let mut rng = Seeded(8);
    let mut o = Outcry::new();
    write_archive(&o);
    let mut kills = 0;
    let mut rounds = 0;
    while kills < KILLS {
        let child = if kills % 2 == 0 {
            spawn(&o, Some(1 + rng.below(12)))
        } else {
            let mut child = spawn(&o, None).expect("child");
            std::thread::sleep(Duration::from_millis(rng.below(900)));
            match child.try_wait().expect("try_wait") {
                Some(status) => {
                    assert_eq!(status.code(), Some(0));
                    None
                }
                None => Some(child),
            }
        };
        match child {
            Some(mut child) => {
                child.kill().expect("SIGKILL");
                child.wait().expect("wait");
                kills += 1;
            }
            None => {
                // The import got to the end before the kill: this round's
                // store is complete, and must already be exact.
                assert_eq!(curves(&o), expected, "after round {rounds}");
                rounds += 1;
                o = Outcry::new();
                write_archive(&o);
            }
        }
    }
    let last = finish(&o);
    assert_eq!(curves(&o), expected, "after {kills} kills, {rounds} rounds");
    // And once complete, a rerun reads nothing again.
    let again = finish(&o);
    assert!(
        again.matches("already imported whole").count() >= 5,
        "{last}\n---\n{again}"
    );
    eprintln!("crash: {kills} kills over {} stores", rounds + 1);
}

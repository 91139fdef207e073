//! The dashboard in a real browser: `outcry serve` on the bundled Christmas
//! Eve 2012 archive, the page opened in headless Chromium, and the drawn
//! chart checked for the outage.
//!
//! Skipped (saying so) when Chromium or the bundled archive is missing;
//! `.ci/run` installs Chromium so that CI always runs it. Set
//! `OUTCRY_SCREENSHOT_TO=docs/dashboard.png` to keep the screenshot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::serve::start_binary;
use crate::util::Outcry;

const CHROMIUM: &str = "/usr/bin/chromium";
const ARCHIVE: &str = "data/netflix-christmas-eve-2012.jsonl.gz";
/// A browser that hangs must not hang the suite; this is a safety net, not
/// a measurement.
const BROWSER_DEADLINE: Duration = Duration::from_secs(180);

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("OUTCRY_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(CHROMIUM));
    path.exists().then_some(path)
}

/// Runs Chromium headless with a fresh profile, as the issue asks, plus
/// `extra`; its output once it exits.
fn run_chromium(browser: &Path, profile: &Path, extra: &[String], url: &str) -> Output {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        // Containers give /dev/shm a few megabytes.
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start chromium");
    // Read output on threads so a chatty browser never fills a pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).ok();
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).ok();
        v
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait chromium") {
            break status;
        }
        if started.elapsed() > BROWSER_DEADLINE {
            let _ = child.kill();
            panic!("chromium did not finish within {BROWSER_DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: out_thread.join().unwrap_or_default(),
        stderr: err_thread.join().unwrap_or_default(),
    }
}

fn get_json(base: &str, path: &str) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::get(format!("{base}{path}"))
            .await
            .expect("request");
        assert_eq!(r.status().as_u16(), 200, "{path}");
        serde_json::from_str(&r.text().await.unwrap()).expect("JSON")
    })
}

/// The value of `attr` on every tag of a dumped DOM that `is_it` picks
/// (given the tag's text after its `<`).
fn attribute_values(dom: &str, is_it: impl Fn(&str) -> bool, attr: &str) -> Vec<String> {
    dom.split('<')
        .filter(|tag| is_it(tag))
        .filter_map(|tag| {
            let start = tag.find(&format!("{attr}=\""))? + attr.len() + 2;
            let len = tag[start..].find('"')?;
            Some(tag[start..start + len].to_string())
        })
        .collect()
}

#[test]
fn the_dashboard_draws_the_christmas_eve_outage() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED the_dashboard_draws_the_christmas_eve_outage: no Chromium at {CHROMIUM} \
             (apt-get install -y chromium, or set OUTCRY_CHROMIUM)"
        );
        return;
    };
    // OUTCRY_BROWSER_ARCHIVE: the same scenario from `outcry synth`, for
    // checking the page before the archive is bundled.
    let archive = std::env::var_os("OUTCRY_BROWSER_ARCHIVE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(ARCHIVE));
    if !archive.exists() {
        eprintln!(
            "SKIPPED the_dashboard_draws_the_christmas_eve_outage: the bundled archive {} is missing",
            archive.display()
        );
        return;
    }
    let o = Outcry::new();
    let run = o.run(&["import", archive.to_str().unwrap(), "--no-chart"]);
    assert_eq!(run.code, 0, "import failed: {}", run.stderr);
    let served = start_binary(&o, &[]);

    // What the API says the outage was; the page must draw this one.
    let incidents = get_json(&served.base, "/api/incidents?topic=netflix");
    let largest = incidents["largest"]
        .as_u64()
        .expect("an incident in the archive") as usize;
    let outage = &incidents["incidents"][largest - 1];
    let start = outage["start"].as_str().unwrap().to_string();
    // The outage began at about 20:30 UTC on 24 December 2012.
    assert!(
        ["2012-12-24T20:00:00Z", "2012-12-24T21:00:00Z"].contains(&start.as_str()),
        "the largest incident starts at {start}"
    );

    let url = format!("{}/#topic=netflix", served.base);
    let profile = tempfile::tempdir().unwrap();
    let dump = run_chromium(
        &browser,
        profile.path(),
        &["--dump-dom".into(), "--virtual-time-budget=10000".into()],
        &url,
    );
    let dom = String::from_utf8_lossy(&dump.stdout);
    assert!(
        dom.contains("data-topic=\"netflix\""),
        "the page did not draw the netflix curve; chromium said:\n{}\nDOM:\n{dom}",
        String::from_utf8_lossy(&dump.stderr)
    );
    // The chart's shaded incident, with the right start hour.
    let shaded = attribute_values(
        &dom,
        |t| t.starts_with("rect ") && t.contains("class=\"incident"),
        "data-incident-start",
    );
    assert!(
        shaded.contains(&start),
        "incident rects {shaded:?}, expected {start}"
    );
    // The incident list, the spread across regions, and posts of the hour.
    let rows = attribute_values(&dom, |t| t.starts_with("tr "), "data-incident-start");
    assert!(rows.contains(&start), "incident rows {rows:?}");
    let regions = attribute_values(
        &dom,
        |t| t.starts_with("g ") && t.contains("class=\"spread-row\""),
        "data-region",
    );
    assert_eq!(
        regions.first().map(String::as_str),
        Some("US"),
        "{regions:?}"
    );
    assert!(regions.iter().any(|r| r == "BR"), "{regions:?}");
    let labels = attribute_values(
        &dom,
        |t| t.starts_with("li ") && t.contains("class=\"post "),
        "data-label",
    );
    assert!(!labels.is_empty(), "no posts shown");

    // The screenshot (the README's picture) on a log scale, where the usual
    // level and the outage both show.
    let url = format!("{}/#topic=netflix&scale=log", served.base);
    let shot_dir = tempfile::tempdir().unwrap();
    let shot = shot_dir.path().join("dashboard.png");
    let profile = tempfile::tempdir().unwrap();
    let run = run_chromium(
        &browser,
        profile.path(),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,900".into(),
            "--virtual-time-budget=10000".into(),
        ],
        &url,
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}); chromium said:\n{}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    // A blank 1280×900 page compresses to a few kilobytes; a drawn one
    // does not.
    assert!(png.len() > 30_000, "screenshot is only {} bytes", png.len());
    if let Some(to) = std::env::var_os("OUTCRY_SCREENSHOT_TO") {
        std::fs::copy(&shot, &to).expect("copy the screenshot");
        eprintln!("screenshot saved to {}", Path::new(&to).display());
    }
}

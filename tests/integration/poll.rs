//! `outcry poll`: the real binary against HTTP and WebSocket servers on
//! 127.0.0.1 that answer in the real networks' shapes (field names, Link and
//! rate-limit headers, Jetstream events). No test touches the internet.

mod server;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use server::{Hit, HttpServer, Reply, WsServer};

use crate::util::{fixture, Outcry, Run};

fn total(o: &Outcry, topic: &str) -> u64 {
    o.curve_rows(&[topic]).iter().map(|r| r.2).sum()
}

/// Posts per hour (summed over regions), for hours that have any.
fn per_hour(o: &Outcry, topic: &str) -> BTreeMap<String, u64> {
    let mut hours = BTreeMap::new();
    for (start, _, posts, _) in o.curve_rows(&[topic]) {
        if posts > 0 {
            *hours.entry(start[..13].to_string()).or_insert(0) += posts;
        }
    }
    hours
}

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

// ---------------------------------------------------------------- Mastodon

const MASTODON_ID_BASE: u64 = 113_700_000_000_000_000;

fn mid(n: u64) -> String {
    (MASTODON_ID_BASE + n).to_string()
}

fn status(n: u64) -> serde_json::Value {
    let id = mid(n);
    serde_json::json!({
        "id": id,
        "created_at": format!("2024-12-24T20:{:02}:{:02}.000Z", n / 60 % 60, n % 60),
        "in_reply_to_id": null,
        "sensitive": false,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": format!("https://m.example/users/u{n}/statuses/{id}"),
        "url": format!("https://m.example/@u{n}/{id}"),
        "content": format!(
            "<p>Netflix is down again <a href=\"https://m.example/tags/netflix\" class=\"mention hashtag\" rel=\"tag\">#<span>netflix</span></a> (report {n})</p>"
        ),
        "reblog": null,
        "account": {"id": n.to_string(), "username": format!("u{n}"), "acct": format!("u{n}")},
        "tags": [{"name": "netflix", "url": "https://m.example/tags/netflix"}],
    })
}

/// The tag timeline as Mastodon serves it: newest first; `min_id` gives the
/// page immediately newer than it; Link and rate-limit headers.
fn tag_timeline(hit: &Hit, base: &str, ids: &[u64]) -> Reply {
    let limit: usize = hit
        .param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20)
        .min(40);
    let mut sorted: Vec<u64> = ids.to_vec();
    sorted.sort();
    let page: Vec<u64> = match hit.param("min_id") {
        Some(min) => sorted
            .iter()
            .copied()
            .filter(|n| mid(*n) > min)
            .take(limit)
            .collect(),
        None => sorted.iter().rev().take(limit).rev().copied().collect(),
    };
    let body: Vec<_> = page.iter().rev().map(|n| status(*n)).collect();
    let mut reply = Reply::json(serde_json::Value::Array(body).to_string())
        .header("x-ratelimit-limit", "300")
        .header("x-ratelimit-remaining", "299")
        .header(
            "x-ratelimit-reset",
            (chrono::Utc::now() + chrono::Duration::seconds(10)).to_rfc3339(),
        );
    if let (Some(first), Some(last)) = (page.first(), page.last()) {
        let path = hit.path();
        reply = reply.header(
            "link",
            format!(
                "<{base}{path}?limit={limit}&max_id={}>; rel=\"next\", <{base}{path}?limit={limit}&min_id={}>; rel=\"prev\"",
                mid(*first),
                mid(*last)
            ),
        );
    }
    reply
}

fn mastodon(ids: Arc<Mutex<Vec<u64>>>) -> HttpServer {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = HttpServer::start(move |hit| {
        if hit.path() != "/api/v1/timelines/tag/netflix" {
            return Reply::status(404).body(br#"{"error":"Record not found"}"#.to_vec());
        }
        tag_timeline(hit, &b.lock().unwrap(), &ids.lock().unwrap())
    });
    *base.lock().unwrap() = server.url();
    server
}

fn min_ids(hits: &[Hit]) -> Vec<Option<String>> {
    hits.iter().map(|h| h.param("min_id")).collect()
}

#[test]
fn mastodon_pages_forward_and_each_run_resumes_where_the_last_ended() {
    let ids = Arc::new(Mutex::new(vec![1, 2]));
    let s = mastodon(ids.clone());
    let o = Outcry::new();
    let record = o.path("live.jsonl");
    let url = s.url();
    let args = [
        "poll",
        "--mastodon",
        &url,
        "--tag",
        "netflix",
        "--once",
        "--record",
        record.to_str().unwrap(),
    ];

    let first = o.run(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(total(&o, "netflix"), 2);
    assert!(
        first
            .stderr
            .contains("#netflix: 2 posts, 2 new about watched topics"),
        "{}",
        first.stderr
    );

    // 85 more arrive: pages of 40, 40 and 5, each asked from the last.
    ids.lock().unwrap().extend(3..=87);
    let second = o.run(&args);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(total(&o, "netflix"), 87);
    let hits = s.hits();
    assert_eq!(
        min_ids(&hits[1..]),
        vec![Some(mid(2)), Some(mid(42)), Some(mid(82))]
    );
    assert_eq!(hits[1].param("limit").as_deref(), Some("40"));

    // Nothing new: one request from the newest id, nothing stored twice.
    let third = o.run(&args);
    assert_eq!(third.code, 0);
    assert_eq!(min_ids(&s.hits()[4..]), vec![Some(mid(87))]);
    assert_eq!(total(&o, "netflix"), 87);
    assert_eq!(lines(&record).len(), 87);
}

#[test]
fn a_kill_in_the_middle_of_a_run_neither_loses_nor_double_counts() {
    let ids = Arc::new(Mutex::new(vec![1, 2]));
    let hang = Arc::new(AtomicBool::new(false));
    let base = Arc::new(Mutex::new(String::new()));
    let (i, h, b) = (ids.clone(), hang.clone(), base.clone());
    let s = HttpServer::start(move |hit| {
        if h.load(Ordering::SeqCst) && hit.param("min_id") == Some(mid(82)) {
            return Reply::hang();
        }
        tag_timeline(hit, &b.lock().unwrap(), &i.lock().unwrap())
    });
    *base.lock().unwrap() = s.url();
    let o = Outcry::new();
    let url = s.url();
    let args = ["poll", "--mastodon", &url, "--tag", "netflix", "--once"];
    assert_eq!(o.run(&args).code, 0);

    ids.lock().unwrap().extend(3..=120);
    hang.store(true, Ordering::SeqCst);
    let mut child = o
        .command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn outcry");
    // Asking for the third page means the first two were committed.
    s.wait_for("the third page", |hits| {
        hits.iter().any(|h| h.param("min_id") == Some(mid(82)))
    });
    child.kill().expect("kill");
    child.wait().expect("wait");

    hang.store(false, Ordering::SeqCst);
    let before = s.hits().len();
    let rerun = o.run(&args);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert_eq!(s.hits()[before].param("min_id"), Some(mid(82)));
    assert_eq!(total(&o, "netflix"), 120);
}

#[test]
fn an_unknown_tag_is_reported_once_and_not_asked_again() {
    let ids = Arc::new(Mutex::new(vec![1]));
    let s = mastodon(ids);
    let o = Outcry::new();
    let url = s.url();
    let child = o
        .command(&[
            "poll",
            "--mastodon",
            &url,
            "--tag",
            "nosuchtag",
            "--tag",
            "netflix",
            "--interval",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn outcry");
    let netflix = |hits: &[Hit]| {
        hits.iter()
            .filter(|h| h.path().ends_with("/netflix"))
            .count()
    };
    s.wait_for("three rounds of #netflix", |hits| netflix(hits) >= 3);
    let mut child = child;
    child.kill().expect("kill");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let unknown = s
        .hits()
        .iter()
        .filter(|h| h.path().ends_with("/nosuchtag"))
        .count();
    assert_eq!(unknown, 1);
    assert_eq!(
        stderr.matches("#nosuchtag: HTTP 404").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("this feed is skipped"), "{stderr}");
    assert_eq!(total(&o, "netflix"), 1);
}

/// Starts a watch, waits for its first round, sends `signal` (`INT` as
/// Ctrl-C does, `TERM` as `kill`, systemd and `docker stop` do) and returns
/// the exit status and everything said on stderr.
fn stop_with(signal: &str) -> (Outcry, Option<i32>, String) {
    use std::io::BufRead;
    let ids = Arc::new(Mutex::new(vec![1, 2, 3]));
    let s = mastodon(ids);
    let o = Outcry::new();
    let url = s.url();
    let mut child = o
        .command(&[
            "poll",
            "--mastodon",
            &url,
            "--tag",
            "netflix",
            "--interval",
            "1h",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn outcry");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    // The round's line is printed after its commit.
    while !seen
        .iter()
        .any(|l: &String| l.contains("#netflix: 3 posts"))
    {
        seen.push(
            rx.recv_timeout(Duration::from_secs(60))
                .expect("a round line"),
        );
    }
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let status = child.wait().expect("wait");
    seen.extend(rx.iter());
    (o, status.code(), seen.join("\n"))
}

/// Stops `poll` with `signal` and checks it stored what it had received,
/// said so, and told how to quit at once (`again`: a second such signal).
fn assert_stops_cleanly(signal: &str, again: &str) {
    let (o, code, stderr) = stop_with(signal);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "outcry: stopping after storing what was received ({again} again to quit at once)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("outcry: 3 posts received, 3 new about watched topics; stopped"),
        "{stderr}"
    );
    assert_eq!(total(&o, "netflix"), 3);
}

#[test]
fn ctrl_c_stops_cleanly_after_storing_what_was_received() {
    assert_stops_cleanly("INT", "Ctrl-C");
}

#[test]
fn sigterm_stops_as_ctrl_c_does() {
    // It used to end the process at once: exit 143, no summary.
    assert_stops_cleanly("TERM", "SIGTERM");
}

#[test]
fn dash_q_is_quiet_as_for_import() {
    let s = mastodon(Arc::new(Mutex::new(vec![1, 2])));
    let o = Outcry::new();
    let url = s.url();
    let run = o.run(&[
        "poll",
        "-q",
        "--once",
        "--mastodon",
        &url,
        "--tag",
        "netflix",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(total(&o, "netflix"), 2);
    // Without it, the start, the round and the summary.
    let run = o.run(&["poll", "--once", "--mastodon", &url, "--tag", "netflix"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 3, "{}", run.stderr);
}

#[test]
fn a_closed_stderr_loses_the_messages_not_the_posts() {
    // `outcry poll --once … 2>&1 | head -1` in a cron line: every line after
    // the first goes into a pipe whose reader has gone.
    let s = mastodon(Arc::new(Mutex::new(vec![1, 2, 3])));
    let o = Outcry::new();
    let record = o.path("live.jsonl");
    let url = s.url();
    let run = o.run_with_stderr_closed(&[
        "poll",
        "--once",
        "--mastodon",
        &url,
        "--tag",
        "netflix",
        "--record",
        record.to_str().unwrap(),
    ]);
    // Not 101, a panic on the first line written to stderr.
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(total(&o, "netflix"), 3);
    assert_eq!(lines(&record).len(), 3);
}

#[test]
fn toot_html_becomes_the_text_the_author_wrote() {
    let s = HttpServer::start(|_| {
        let mut st = status(1);
        st["content"] = serde_json::json!(concat!(
            r#"<p>Is <span class="h-card" translate="no"><a href="https://m.example/@netflix" class="u-url mention">@<span>netflix</span></a></span> down? "#,
            r#"error&nbsp;NW-2-5 &amp; no picture</p><p>see <a href="https://downdetector.example/status/netflix/" rel="nofollow noopener" target="_blank">"#,
            r#"<span class="invisible">https://</span><span class="ellipsis">downdetector.example/status/ne</span><span class="invisible">tflix/</span></a></p>"#
        ));
        st["language"] = serde_json::Value::Null;
        Reply::json(serde_json::Value::Array(vec![st]).to_string())
    });
    let o = Outcry::new();
    let record = o.path("live.jsonl");
    let url = s.url();
    let run = o.run(&[
        "poll",
        "--mastodon",
        &url,
        "--tag",
        "netflix",
        "--once",
        "--record",
        record.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let recorded = lines(&record);
    assert_eq!(recorded.len(), 1);
    // `&` is escaped as in a tweet: the importer decodes it back.
    assert_eq!(
        recorded[0]["text"],
        "Is @netflix down? error NW-2-5 &amp; no picture\n\nsee https://downdetector.example/status/netflix/"
    );
    assert_eq!(recorded[0]["outcry_source"], "mastodon");
    assert_eq!(
        recorded[0]["id_str"],
        format!("https://m.example/users/u1/statuses/{}", mid(1))
    );
    assert_eq!(recorded[0]["created_at"], "Tue Dec 24 20:00:01 +0000 2024");
    assert_eq!(total(&o, "netflix"), 1);
}

// ------------------------------------------------------------------ Reddit

fn reddit_post(n: u64) -> serde_json::Value {
    let time = 1_735_070_000 + n * 10;
    // Reddit has sent both over the years.
    let created: serde_json::Value = if n.is_multiple_of(2) {
        serde_json::json!(time)
    } else {
        serde_json::json!(time as f64)
    };
    serde_json::json!({
        "kind": "t3",
        "data": {
            "subreddit": "netflix",
            "selftext": "Error NW-2-5 on every TV in the house",
            "author_fullname": format!("t2_u{n}"),
            "title": format!("Netflix down again? report {n}"),
            "name": format!("t3_{n:05}"),
            "id": format!("{n:05}"),
            "author": format!("user{n}"),
            "permalink": format!("/r/netflix/comments/{n:05}/netflix_down/"),
            "created_utc": created,
            "num_comments": 3,
        }
    })
}

/// How many posts a Reddit listing reaches back.
const LISTING: usize = 1000;
/// Numbers from here on stand for children without a name.
const NAMELESS: u64 = 900_000;

/// `/r/<name>/new.json` as Reddit serves it: newest first, the newest
/// [`LISTING`] posts only; `before` gives the posts immediately newer than
/// it, `after` those immediately older; either naming a post that is not (or
/// no longer) listed gives an empty listing.
fn reddit_listing(hit: &Hit, posts: &[u64], ignore_before: bool) -> Reply {
    let posts = &posts[posts.len().saturating_sub(LISTING)..];
    let limit: usize = hit
        .param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(25)
        .min(100);
    let at = |fullname: &str| posts.iter().position(|n| format!("t3_{n:05}") == fullname);
    let page: Vec<u64> = match (
        hit.param("before").filter(|_| !ignore_before),
        hit.param("after"),
    ) {
        (Some(b), _) => match at(&b) {
            Some(at) => posts[at + 1..].iter().take(limit).copied().collect(),
            None => Vec::new(),
        },
        (None, Some(a)) => match at(&a) {
            Some(at) => posts[..at]
                .iter()
                .rev()
                .take(limit)
                .rev()
                .copied()
                .collect(),
            None => Vec::new(),
        },
        (None, None) => posts.iter().rev().take(limit).rev().copied().collect(),
    };
    let children: Vec<_> = page
        .iter()
        .rev()
        .map(|&n| {
            let mut post = reddit_post(n);
            if n >= NAMELESS {
                post["data"].as_object_mut().unwrap().remove("name");
            }
            post
        })
        .collect();
    let name = |n: Option<&u64>| n.map(|n| format!("t3_{n:05}"));
    let body = serde_json::json!({
        "kind": "Listing",
        "data": {
            "after": name(page.first()),
            "before": name(page.last()),
            "dist": page.len(),
            "children": children,
        }
    });
    Reply::json(body.to_string())
        .header("x-ratelimit-used", "1")
        .header("x-ratelimit-remaining", "99.0")
        .header("x-ratelimit-reset", "5")
}

#[test]
fn reddit_pages_with_before_and_reads_integer_or_float_times() {
    let posts = Arc::new(Mutex::new((1..=3).collect::<Vec<u64>>()));
    let p = posts.clone();
    let s = HttpServer::start(move |hit| {
        if hit.path() != "/r/netflix/new.json" {
            return Reply::status(404);
        }
        reddit_listing(hit, &p.lock().unwrap(), false)
    });
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    let first = o.run(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(total(&o, "netflix"), 3);
    assert!(s.hits()[0]
        .header("user-agent")
        .unwrap_or("")
        .starts_with("outcry/"));
    assert_eq!(s.hits()[0].param("raw_json").as_deref(), Some("1"));

    posts.lock().unwrap().extend(4..=153);
    assert_eq!(o.run(&args).code, 0);
    assert_eq!(total(&o, "netflix"), 153);
    let befores: Vec<_> = s.hits()[1..].iter().map(|h| h.param("before")).collect();
    assert_eq!(
        befores,
        vec![Some("t3_00003".into()), Some("t3_00103".into())]
    );

    // Quiet subreddit: `before` finds nothing, one look at the newest page
    // shows the anchor is still there.
    assert_eq!(o.run(&args).code, 0);
    let befores: Vec<_> = s.hits()[3..].iter().map(|h| h.param("before")).collect();
    assert_eq!(befores, vec![Some("t3_00153".into()), None]);
    assert_eq!(total(&o, "netflix"), 153);
}

#[test]
fn a_server_that_repeats_the_same_page_cannot_hold_a_feed_in_a_loop() {
    let posts: Vec<u64> = (1..=100).collect();
    let s = HttpServer::start(move |hit| reddit_listing(hit, &posts, true));
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    let again = o.run(&args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(s.hits().len(), 2);
    assert!(
        again
            .stderr
            .contains("100 posts, 0 new about watched topics, 100 already stored"),
        "{}",
        again.stderr
    );
    assert_eq!(total(&o, "netflix"), 100);
}

fn reddit_params(hits: &[Hit]) -> Vec<(Option<String>, Option<String>)> {
    hits.iter()
        .map(|h| (h.param("before"), h.param("after")))
        .collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// `outcry poll --once` on r/netflix at `url`.
fn reddit_args(url: &str) -> [&str; 6] {
    [
        "poll",
        "--reddit",
        "netflix",
        "--reddit-base",
        url,
        "--once",
    ]
}

/// [`reddit_args`] for one quiet round.
fn quiet_reddit_args(url: &str) -> Vec<&str> {
    [&reddit_args(url)[..], &["--quiet"]].concat()
}

/// A subreddit whose posts the test changes between runs.
fn subreddit(posts: &Arc<Mutex<Vec<u64>>>) -> HttpServer {
    let p = posts.clone();
    HttpServer::start(move |hit| reddit_listing(hit, &p.lock().unwrap(), false))
}

/// Runs a round that must work, and checks the listing pages it asked for,
/// in order, as (`before`, `after`), "" for neither.
fn run_asking(o: &Outcry, args: &[&str], s: &HttpServer, asked: &[(&str, &str)]) -> Run {
    let from = s.hits().len();
    let run = o.run(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let param = |p: &str| (!p.is_empty()).then(|| p.to_string());
    let asked: Vec<_> = asked.iter().map(|(b, a)| (param(b), param(a))).collect();
    assert_eq!(reddit_params(&s.hits()[from..]), asked, "{}", run.stderr);
    run
}

/// A round that worked, said `summary` of r/netflix, and no gap.
fn assert_reddit_round(run: &Run, summary: &str) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("r/netflix: {summary}\n")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("may be missing"), "{}", run.stderr);
}

/// Post `gone` is deleted and `new` ones arrive.
fn delete_and_add(posts: &Mutex<Vec<u64>>, gone: u64, new: impl IntoIterator<Item = u64>) {
    let mut p = posts.lock().unwrap();
    p.retain(|&n| n != gone);
    p.extend(new);
}

#[test]
fn a_deleted_anchor_is_walked_back_to_with_after_and_nothing_between_is_lost() {
    let posts = Arc::new(Mutex::new((1..=100).collect::<Vec<u64>>()));
    let s = subreddit(&posts);
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    assert_eq!(total(&o, "netflix"), 100);

    // The newest post stored (the cursor) is deleted, then 250 arrive:
    // `before` it finds nothing, so outcry reads back from the newest page
    // until it meets post 99, which it stored before.
    delete_and_add(&posts, 100, 101..=350);
    let run = run_asking(
        &o,
        &args,
        &s,
        &[
            ("t3_00100", ""),
            ("", ""),
            ("", "t3_00251"),
            ("", "t3_00151"),
        ],
    );
    assert_reddit_round(&run, "250 posts, 250 new about watched topics");
    assert_eq!(total(&o, "netflix"), 350);

    // The walk moved the cursor to the newest post: the next round asks
    // `before` it, and the one look at the newest page finds it there.
    let quiet = run_asking(&o, &args, &s, &[("t3_00350", ""), ("", "")]);
    assert!(
        quiet
            .stderr
            .contains("r/netflix: 0 posts, 0 new about watched topics\n"),
        "{}",
        quiet.stderr
    );
    assert_eq!(total(&o, "netflix"), 350);
}

/// The final gap said for r/netflix, even with --quiet.
fn gap_line(s: &HttpServer, pages: u32, why: &str, from: &str, to: &str) -> String {
    format!(
        "outcry: reddit {} r/netflix: the newest post stored was gone from the listing, and \
         reading back {pages} page(s) from the newest {why} before reaching the posts stored \
         before: posts from {from} to {to} may be missing",
        s.addr
    )
}

/// A subreddit where posts 1 to 3 were stored, then post 3 was deleted and
/// posts up to 1200 arrived; `second` is the round that then read back as
/// far as its page cap let it.
struct ReadingBack {
    posts: Arc<Mutex<Vec<u64>>>,
    s: HttpServer,
    o: Outcry,
    second: Run,
}

fn reading_back() -> ReadingBack {
    let posts = Arc::new(Mutex::new((1..=3).collect::<Vec<u64>>()));
    let s = subreddit(&posts);
    let o = Outcry::new();
    let url = s.url();
    assert_eq!(o.run(&[&reddit_args(&url)[..], &["-q"]].concat()).code, 0);
    delete_and_add(&posts, 3, 4..=1200);
    let second = o.run(&reddit_args(&url));
    ReadingBack {
        posts,
        s,
        o,
        second,
    }
}

/// `run` ended the walk of [`reading_back`] where the listing now begins,
/// at post 250, after 1250 arrived: the gap is said once, even with
/// --quiet, each post still listed is stored once, and the next round
/// reads from the newest alone, saying nothing.
fn assert_ended_at_post_250(o: &Outcry, s: &HttpServer, quiet: &[&str], run: &Run, pages: u32) {
    // Posts 4 to 249 are no longer listed.
    assert_eq!(
        run.stderr.trim_end(),
        gap_line(
            s,
            pages,
            "ended with the listing",
            "2024-12-24T19:53:50Z",
            "2024-12-24T20:35:00Z"
        )
    );
    assert_eq!(total(o, "netflix"), 3 + 900 + 50 + 51);
    let next = run_asking(o, quiet, s, &[("t3_01250", ""), ("", "")]);
    assert_eq!(next.stderr, "");
    assert_eq!(total(o, "netflix"), 1004);
}

#[test]
fn a_walk_back_longer_than_a_round_goes_on_and_only_a_final_gap_is_reported() {
    let ReadingBack {
        posts,
        s,
        o,
        second,
    } = reading_back();
    // One `before`, then nine pages back from the newest: the round's cap
    // of ten stops the walk at post 301, short of post 2. Not a gap yet.
    let hits = s.hits();
    assert_eq!(hits.len(), 1 + 10);
    assert_eq!(hits[10].param("after"), some("t3_00401"));
    assert_reddit_round(
        &second,
        "900 posts, 900 new about watched topics; still reading back to the posts stored before",
    );
    assert_eq!(total(&o, "netflix"), 3 + 900);

    // 50 more arrive and post 301, where the walk goes on from, is
    // deleted: the listing (the newest 1000) now begins at post 250.
    delete_and_add(&posts, 301, 1201..=1250);
    let url = s.url();
    let quiet = quiet_reddit_args(&url);
    // The newest first; then `after` 301 finds nothing, `after` 302 leads
    // past it, and the listing ends at post 250.
    let run = run_asking(
        &o,
        &quiet,
        &s,
        &[("t3_01200", ""), ("", "t3_00301"), ("", "t3_00302")],
    );
    assert_ended_at_post_250(&o, &s, &quiet, &run, 11);
}

#[test]
fn an_anchor_deleted_while_reading_back_is_walked_to_first_then_the_older_walk_goes_on() {
    let ReadingBack { posts, s, o, .. } = reading_back();
    // The newest post stored vanishes too while the first walk is short of
    // post 2: a second walk reads back to post 1199, then the first goes
    // on from post 301 until the listing (now from post 250) ends.
    delete_and_add(&posts, 1200, 1201..=1250);
    let url = s.url();
    let args = quiet_reddit_args(&url);
    let run = run_asking(
        &o,
        &args,
        &s,
        &[("t3_01200", ""), ("", ""), ("", "t3_00301")],
    );
    assert_ended_at_post_250(&o, &s, &args, &run, 10);
}

#[test]
fn a_walk_back_killed_mid_way_goes_on_after_a_restart_and_counts_each_post_once() {
    let posts = Arc::new(Mutex::new((1..=100).collect::<Vec<u64>>()));
    let hang = Arc::new(AtomicBool::new(false));
    let (p, h) = (posts.clone(), hang.clone());
    let s = HttpServer::start(move |hit| {
        if h.load(Ordering::SeqCst) && hit.param("after") == some("t3_00651") {
            return Reply::hang();
        }
        reddit_listing(hit, &p.lock().unwrap(), false)
    });
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    assert_eq!(total(&o, "netflix"), 100);

    delete_and_add(&posts, 100, 101..=1050);
    hang.store(true, Ordering::SeqCst);
    let mut child = o
        .command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn outcry");
    // Asking for the fifth page back means the first four were committed.
    s.wait_for("the fifth page back", |hits| {
        hits.iter().any(|h| h.param("after") == some("t3_00651"))
    });
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert_eq!(total(&o, "netflix"), 100 + 400);

    hang.store(false, Ordering::SeqCst);
    posts.lock().unwrap().extend(1051..=1060);
    // The newest posts first, then the walk from where it stopped, down to
    // post 99, stored by the first run.
    let run = run_asking(
        &o,
        &args,
        &s,
        &[
            ("t3_01050", ""),
            ("", "t3_00651"),
            ("", "t3_00551"),
            ("", "t3_00451"),
            ("", "t3_00351"),
            ("", "t3_00251"),
            ("", "t3_00151"),
        ],
    );
    assert_reddit_round(&run, "560 posts, 560 new about watched topics");
    assert_eq!(total(&o, "netflix"), 1060);
}

#[test]
fn a_server_that_ignores_after_cannot_hold_a_walk_back_in_a_loop() {
    let posts = Arc::new(Mutex::new((1..=100).collect::<Vec<u64>>()));
    let p = posts.clone();
    // `before` finds nothing, as for a deleted anchor, and `after` is not
    // heard: every page back is the newest again.
    let s = HttpServer::start(move |hit| {
        if hit.param("before").is_some() {
            return Reply::json(r#"{"kind":"Listing","data":{"children":[]}}"#);
        }
        let newest = Hit {
            target: format!("{}?limit=100", hit.path()),
            ..hit.clone()
        };
        reddit_listing(&newest, &p.lock().unwrap(), false)
    });
    let o = Outcry::new();
    let url = s.url();
    let args = quiet_reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    posts.lock().unwrap().extend(101..=300);
    let run = run_asking(
        &o,
        &args,
        &s,
        &[("t3_00100", ""), ("", ""), ("", "t3_00201")],
    );
    assert_eq!(
        run.stderr.trim_end(),
        gap_line(
            &s,
            2,
            "stopped at a page with nothing new",
            "2024-12-24T20:10:00Z",
            "2024-12-24T20:26:50Z"
        )
    );
    assert_eq!(total(&o, "netflix"), 200);
    // Given up: the next round does not read it back again.
    let run = run_asking(&o, &args, &s, &[("t3_00300", ""), ("", "")]);
    assert_eq!(run.stderr, "");
}

#[test]
fn nameless_children_newer_than_where_a_walk_stops_are_counted_once() {
    let (n1, n2, n3) = (NAMELESS + 1, NAMELESS + 2, NAMELESS + 3);
    let posts = Arc::new(Mutex::new(vec![1, 2, n1, 3, 4, 5]));
    let s = subreddit(&posts);
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    let round = |o: &Outcry| {
        let run = o.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stderr
            .lines()
            .find(|l| l.contains("r/netflix: "))
            .map(|l| l.split_once("r/netflix: ").unwrap().1.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        round(&o),
        "5 posts, 5 new about watched topics, 1 unreadable"
    );

    // Post 5, the anchor, is deleted; three posts and a nameless child
    // arrive. The walk stops at post 4: the nameless child above it is new,
    // the one below it was counted by the first run.
    delete_and_add(&posts, 5, [6, n2, 7, 8]);
    assert_eq!(
        round(&o),
        "3 posts, 3 new about watched topics, 1 unreadable"
    );
    assert_eq!(
        reddit_params(&s.hits()[1..]),
        vec![(some("t3_00005"), None), (None, None)]
    );

    // Nothing new: the walk stops at once, counting nothing.
    assert_eq!(round(&o), "0 posts, 0 new about watched topics");

    // A nameless child newest of all comes back after each `before`, but
    // is counted the first time only, even across runs.
    posts.lock().unwrap().push(n3);
    assert_eq!(
        round(&o),
        "0 posts, 0 new about watched topics, 1 unreadable"
    );
    assert_eq!(round(&o), "0 posts, 0 new about watched topics");
    assert_eq!(total(&o, "netflix"), 8);
}

#[test]
fn reddit_items_with_a_time_out_of_range_are_counted_as_unreadable_once() {
    let mut children = vec![reddit_post(7)];
    for (n, time) in [
        (8, serde_json::json!(1e20)),
        (9, serde_json::json!(-5)),
        (10, serde_json::json!(1e10)),
        (11, serde_json::json!("1735070110")),
    ] {
        let mut post = reddit_post(n);
        post["data"]["created_utc"] = time;
        children.insert(0, post);
    }
    let mut nameless = reddit_post(12);
    nameless["data"].as_object_mut().unwrap().remove("name");
    children.insert(0, nameless);
    let listing =
        serde_json::json!({"kind": "Listing", "data": {"children": children}}).to_string();
    let s = HttpServer::start(move |hit| match hit.param("before") {
        Some(_) => Reply::json(r#"{"kind":"Listing","data":{"children":[]}}"#),
        None => Reply::json(listing.clone()),
    });
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    let run = o.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("r/netflix: 1 posts, 1 new about watched topics, 5 unreadable\n"),
        "{}",
        run.stderr
    );
    assert_eq!(total(&o, "netflix"), 1);
    // The next round sees the same page again, behind the cursor: nothing
    // is counted twice.
    let again = o.run(&args);
    assert!(
        again
            .stderr
            .contains("r/netflix: 0 posts, 0 new about watched topics\n"),
        "{}",
        again.stderr
    );
    assert_eq!(
        reddit_params(&s.hits()[1..]),
        vec![(some("t3_00007"), None), (None, None)]
    );
}

// ---------------------------------------------------------------- RSS/Atom

fn feed_server() -> HttpServer {
    let rss = std::fs::read_to_string(fixture("feeds/status.rss")).unwrap();
    let atom = std::fs::read_to_string(fixture("feeds/news.atom")).unwrap();
    HttpServer::start(move |hit| match hit.path() {
        "/history.rss" if hit.header("if-none-match") == Some("\"v1\"") => Reply::status(304),
        "/history.rss" => Reply::xml(rss.clone()).header("etag", "\"v1\""),
        "/search.atom" => Reply::xml(atom.clone()).header("content-type", "application/atom+xml"),
        _ => Reply::status(404),
    })
}

#[test]
fn rss_and_atom_items_land_in_the_hours_their_odd_dates_say() {
    let s = feed_server();
    let o = Outcry::new();
    let rss = format!("{}/history.rss", s.url());
    let atom = format!("{}/search.atom", s.url());
    let args = [
        "poll", "--rss", &rss, "--rss", &atom, "--topic", "netflix", "--once",
    ];
    let run = o.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("history.rss: 4 posts, 4 new about watched topics, 1 unreadable"),
        "{}",
        run.stderr
    );
    let expected: BTreeMap<String, u64> = [
        ("2012-12-24T20", 1),
        ("2012-12-24T21", 1),
        ("2012-12-24T22", 1),
        ("2012-12-24T23", 1),
        ("2012-12-25T17", 2),
    ]
    .into_iter()
    .map(|(h, n)| (h.to_string(), n))
    .collect();
    assert_eq!(per_hour(&o, "netflix"), expected);

    // Again: the RSS feed answers 304 to its ETag, the Atom feed's items are
    // recognised, nothing is added.
    let again = o.run(&args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let rss_hits: Vec<_> = s
        .hits()
        .into_iter()
        .filter(|h| h.path() == "/history.rss")
        .collect();
    assert_eq!(rss_hits[1].header("if-none-match"), Some("\"v1\""));
    assert!(
        again.stderr.contains("search.atom: 0 posts"),
        "{}",
        again.stderr
    );
    assert_eq!(per_hour(&o, "netflix"), expected);
}

#[test]
fn a_429_with_retry_after_is_waited_out() {
    let rss = std::fs::read_to_string(fixture("feeds/status.rss")).unwrap();
    let n = AtomicUsize::new(0);
    let s = HttpServer::start(move |_| match n.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::status(429).header("retry-after", "1"),
        _ => Reply::xml(rss.clone()),
    });
    let o = Outcry::new();
    let url = format!("{}/history.rss", s.url());
    let run = o.run(&["poll", "--rss", &url, "--once"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = s.hits();
    assert_eq!(hits.len(), 2);
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1));
    assert_eq!(total(&o, "netflix"), 4);
}

#[test]
fn a_long_pause_names_the_host_that_asked_and_is_said_once() {
    let rss = std::fs::read_to_string(fixture("feeds/status.rss")).unwrap();
    let paused = HttpServer::start(move |hit| match hit.path() {
        "/a.rss" => Reply::status(429).header("retry-after", "3600"),
        _ => Reply::xml(rss.clone()),
    });
    // A feed elsewhere, to count rounds by.
    let other = feed_server();
    let o = Outcry::new();
    let (a, b, c) = (
        format!("{}/a.rss", paused.url()),
        format!("{}/b.rss", paused.url()),
        format!("{}/history.rss", other.url()),
    );
    let mut child = o
        .command(&[
            "poll",
            "--rss",
            &a,
            "--rss",
            &b,
            "--rss",
            &c,
            "--interval",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn outcry");
    other.wait_for("three rounds", |hits| hits.len() >= 3);
    child.kill().expect("kill");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let pauses: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("asks for a pause"))
        .collect();
    // Said once, for the feed that was told, naming the host; the other
    // feed of that host is held back without a word each round.
    assert_eq!(pauses.len(), 1, "{stderr}");
    let host = paused.addr.to_string();
    assert!(
        pauses[0].starts_with(&format!(
            "outcry: rss {a}: {host} asks for a pause of 3600 s (HTTP 429), until "
        )),
        "{stderr}"
    );
    assert!(
        pauses[0].ends_with(" UTC; its feeds are not asked before then"),
        "{stderr}"
    );
    // At most its one round before the pause began; never an error line.
    let about_b: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(&format!("rss {b}:")))
        .collect();
    assert!(about_b.len() <= 1, "{stderr}");
    assert!(
        about_b
            .iter()
            .all(|l| l.starts_with(&format!("rss {b}: 4 posts, "))),
        "{stderr}"
    );
    let asked = |path: &str| paused.hits().iter().filter(|h| h.path() == path).count();
    assert_eq!(asked("/a.rss"), 1);
    assert!(asked("/b.rss") <= 1);
}

#[test]
fn a_500_is_retried_and_the_success_stored() {
    let rss = std::fs::read_to_string(fixture("feeds/status.rss")).unwrap();
    let n = AtomicUsize::new(0);
    let s = HttpServer::start(move |_| match n.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::status(500).body(b"upstream exploded".to_vec()),
        _ => Reply::xml(rss.clone()),
    });
    let o = Outcry::new();
    let url = format!("{}/history.rss", s.url());
    let run = o.run(&["poll", "--rss", &url, "--once"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s.hits().len(), 2);
    assert_eq!(total(&o, "netflix"), 4);
}

#[test]
fn oversized_and_too_deep_responses_are_refused_with_a_clear_message() {
    let big = vec![b' '; 9 * 1024 * 1024];
    let s = HttpServer::start(move |hit| match hit.path() {
        "/big.rss" => Reply::xml("").body(big.clone()),
        "/unsized.rss" => Reply::xml("").body(big.clone()).close_delimited(),
        _ => Reply::json(format!("{}{}", "[".repeat(100), "]".repeat(100))),
    });
    let o = Outcry::new();
    let (big_url, unsized_url, url) = (
        format!("{}/big.rss", s.url()),
        format!("{}/unsized.rss", s.url()),
        s.url(),
    );
    let run = o.run(&[
        "poll",
        "--rss",
        &big_url,
        "--rss",
        &unsized_url,
        "--mastodon",
        &url,
        "--tag",
        "netflix",
        "--once",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("response is larger than the 8 MiB limit; refused")
            .count(),
        2,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("JSON nested deeper than 64 levels; refused"),
        "{}",
        run.stderr
    );
    // Refused outright, not retried.
    assert_eq!(s.hits().len(), 3);
}

// --------------------------------------------------------------- Jetstream

const T0: i64 = 1_735_072_267_000_000; // 2024-12-24T20:31:07Z

fn event(did: &str, rkey: &str, time_us: i64, text: &str) -> String {
    let created = chrono::DateTime::from_timestamp_micros(time_us)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    serde_json::json!({
        "did": did,
        "time_us": time_us,
        "kind": "commit",
        "commit": {
            "rev": "3lc2aqweq2k2a",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": {"$type": "app.bsky.feed.post", "createdAt": created, "langs": ["en"], "text": text},
            "cid": "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a"
        }
    })
    .to_string()
}

#[test]
fn jetstream_reconnects_with_a_cursor_a_little_before_the_last_event() {
    let now = chrono::Utc::now().timestamp_micros();
    // Ahead of the clock, so that `--once` knows it has caught up.
    let (live1, live2) = (now + 60_000_000, now + 120_000_000);
    let identity = serde_json::json!({"did": "did:plc:zed", "time_us": T0 + 1_000_000, "kind": "identity",
        "identity": {"did": "did:plc:zed", "handle": "zed.test", "seq": 1, "time": "2024-12-24T20:31:08Z"}})
    .to_string();
    let s = WsServer::start(vec![
        // Dropped after these, without a close frame.
        vec![
            event("did:plc:amy", "3la", T0, "netflix is down on my tv"),
            identity,
            event(
                "did:plc:bob",
                "3lb",
                T0 + 2_000_000,
                "Netflix down?? #netflixdown",
            ),
            event(
                "did:plc:cal",
                "3lc",
                T0 + 3_000_000,
                "baking cookies with grandma",
            ),
        ],
        // The replay overlaps what was seen.
        vec![
            event(
                "did:plc:bob",
                "3lb",
                T0 + 2_000_000,
                "Netflix down?? #netflixdown",
            ),
            event(
                "did:plc:cal",
                "3lc",
                T0 + 3_000_000,
                "baking cookies with grandma",
            ),
            event(
                "did:plc:dee",
                "3ld",
                T0 + 4_000_000,
                "netflix not working at all",
            ),
            event("did:plc:eve", "3le", live1, "still no netflix"),
        ],
        vec![event("did:plc:fay", "3lf", live2, "netflix is back")],
    ]);
    let o = Outcry::new();
    let record = o.path("live.jsonl");
    let url = s.url();
    let args = [
        "poll",
        "--jetstream",
        &url,
        "--once",
        "--record",
        record.to_str().unwrap(),
    ];
    let run = o.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("connection lost"), "{}", run.stderr);
    let targets = s.targets();
    assert_eq!(
        targets[0],
        "/subscribe?wantedCollections=app.bsky.feed.post"
    );
    assert_eq!(
        targets[1],
        format!(
            "/subscribe?wantedCollections=app.bsky.feed.post&cursor={}",
            T0 + 3_000_000 - 5_000_000
        )
    );
    // The firehose keeps what mentions a topic, each post once.
    assert_eq!(total(&o, "netflix"), 4);
    let ids: Vec<String> = lines(&record)
        .iter()
        .map(|l| l["id_str"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "amy/app.bsky.feed.post/3la",
            "bob/app.bsky.feed.post/3lb",
            "dee/app.bsky.feed.post/3ld",
            "eve/app.bsky.feed.post/3le"
        ]
        .map(|s| format!("at://did:plc:{s}"))
    );

    // A new run resumes from the store.
    let again = o.run(&args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        s.targets()[2],
        format!(
            "/subscribe?wantedCollections=app.bsky.feed.post&cursor={}",
            live1 - 5_000_000
        )
    );
    assert_eq!(total(&o, "netflix"), 5);
}

/// The pauses announced in "reconnecting in X s" lines, in seconds.
fn reconnect_pauses(stderr: &str) -> Vec<f64> {
    stderr
        .lines()
        .filter_map(|l| {
            l.split_once("; reconnecting in ")?
                .1
                .split_once(" s from ")?
                .0
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn jetstream_reconnects_back_off_when_the_server_keeps_hanging_up() {
    let live = chrono::Utc::now().timestamp_micros() + 60_000_000;
    // Each connection brings one event and is dropped at once: the pauses
    // before the next grow (1 s, then 2 s, each with jitter down to half).
    let s = WsServer::start(vec![
        vec![event("did:plc:amy", "3la", T0, "netflix is down")],
        vec![event(
            "did:plc:bob",
            "3lb",
            T0 + 1_000_000,
            "netflix down again",
        )],
        vec![event("did:plc:cal", "3lc", live, "still no netflix")],
    ]);
    let o = Outcry::new();
    let url = s.url();
    let run = o.run(&["poll", "--jetstream", &url, "--once"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pauses = reconnect_pauses(&run.stderr);
    assert_eq!(pauses.len(), 2, "{}", run.stderr);
    assert!((0.5..=1.0).contains(&pauses[0]), "{pauses:?}");
    assert!((1.0..=2.0).contains(&pauses[1]), "{pauses:?}");
    // Waited as said (the lines round to a tenth of a second).
    let gaps = s.gaps();
    assert_eq!(gaps.len(), 2);
    for (gap, pause) in gaps.iter().zip(&pauses) {
        assert!(gap.as_secs_f64() >= pause - 0.05, "{gaps:?} {pauses:?}");
    }
    assert_eq!(total(&o, "netflix"), 3);
}

#[test]
fn a_jetstream_message_over_1_mib_is_skipped_and_the_stream_reads_on() {
    let live = chrono::Utc::now().timestamp_micros() + 60_000_000;
    let mut big: serde_json::Value =
        serde_json::from_str(&event("did:plc:big", "3lz", T0 + 1_000_000, "netflix")).unwrap();
    big["pad"] = serde_json::json!("x".repeat(1536 * 1024));
    let s = WsServer::start(vec![vec![
        event("did:plc:amy", "3la", T0, "netflix is down"),
        big.to_string(),
        event("did:plc:cal", "3lc", live, "still no netflix"),
    ]]);
    let o = Outcry::new();
    let url = s.url();
    let run = o.run(&["poll", "--jetstream", &url, "--once"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "jetstream {}: 2 posts, 2 new about watched topics, 1 unreadable\n",
            s.addr
        )),
        "{}",
        run.stderr
    );
    // Read past on the same connection.
    assert_eq!(s.targets().len(), 1);
    assert_eq!(total(&o, "netflix"), 2);
}

#[test]
fn a_jetstream_message_too_large_to_read_is_stepped_over_not_replayed_forever() {
    let live = chrono::Utc::now().timestamp_micros() + 60_000_000;
    let mut huge: serde_json::Value =
        serde_json::from_str(&event("did:plc:big", "3lz", T0 + 500_000, "netflix")).unwrap();
    huge["pad"] = serde_json::json!("x".repeat(9 * 1024 * 1024));
    let s = WsServer::start(vec![
        vec![
            event("did:plc:amy", "3la", T0, "netflix is down"),
            huge.to_string(),
        ],
        vec![event("did:plc:cal", "3lc", live, "still no netflix")],
    ]);
    let o = Outcry::new();
    let url = s.url();
    let run = o.run(&["poll", "--jetstream", &url, "--once", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A rewind would meet it again: the next connection starts a second
    // past the last event read, and says what may be missing.
    assert_eq!(
        s.targets()[1],
        format!(
            "/subscribe?wantedCollections=app.bsky.feed.post&cursor={}",
            T0 + 1_000_000
        )
    );
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "outcry: jetstream {}: a message over 8 MiB cannot be read; the stream resumes one second \
             past where it was met: events from 2024-12-24T20:31:07.000000Z to \
             2024-12-24T20:31:08.000000Z may be missing",
            s.addr
        )
    );
    assert_eq!(total(&o, "netflix"), 2);
}

#[test]
fn a_skipped_jetstream_message_stays_skipped_after_a_kill_and_restart() {
    let mut huge: serde_json::Value =
        serde_json::from_str(&event("did:plc:big", "3lz", T0 + 500_000, "netflix")).unwrap();
    huge["pad"] = serde_json::json!("x".repeat(9 * 1024 * 1024));
    let events = Arc::new(Mutex::new(vec![
        (T0, event("did:plc:amy", "3la", T0, "netflix is down")),
        (T0 + 500_000, huge.to_string()),
    ]));
    let s = WsServer::replaying(events.clone());
    let o = Outcry::new();
    let url = s.url();
    // A watch meets the message, resumes past it, and waits on a stream
    // with nothing more to say: killed there.
    let child = o
        .command(&["poll", "--jetstream", &url, "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn outcry");
    // The skip is committed before the next connection is made.
    s.wait_for_connections(2);
    let mut child = child;
    child.kill().expect("kill");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("cannot be read").count(), 1, "{stderr}");
    let past = format!(
        "/subscribe?wantedCollections=app.bsky.feed.post&cursor={}",
        T0 + 1_000_000
    );
    assert_eq!(s.targets()[1], past);
    assert_eq!(total(&o, "netflix"), 1);

    // A restart resumes past the message, not five seconds before the
    // event stored (which would meet it, and warn, again).
    let live = chrono::Utc::now().timestamp_micros() + 60_000_000;
    events.lock().unwrap().extend([
        (
            T0 + 2_000_000,
            event("did:plc:bob", "3lb", T0 + 2_000_000, "netflix down again"),
        ),
        (live, event("did:plc:cal", "3lc", live, "still no netflix")),
    ]);
    let run = o.run(&["poll", "--jetstream", &url, "--once", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(s.targets()[2], past);
    assert_eq!(s.targets().len(), 3);
    assert_eq!(total(&o, "netflix"), 3);
}

// ---------------------------------------------------------- Bluesky search

const SEARCH_T: i64 = 1_735_070_400; // 2024-12-24T20:00:00Z

fn post_view(n: i64) -> serde_json::Value {
    let at = chrono::DateTime::from_timestamp(SEARCH_T + n * 60, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    serde_json::json!({
        "uri": format!("at://did:plc:u{n}/app.bsky.feed.post/3lp{n}"),
        "cid": "bafyreib2rxk3rh6kzwq",
        "author": {"did": format!("did:plc:u{n}"), "handle": format!("u{n}.bsky.social"), "displayName": "", "labels": []},
        "record": {"$type": "app.bsky.feed.post", "createdAt": at, "langs": ["en"], "text": format!("netflix is down, report {n}")},
        "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
        "indexedAt": at,
        "labels": []
    })
}

/// searchPosts, newest first, three to a page; `since`/`until` on the post
/// time; the cursor is an offset.
fn search(hit: &Hit, posts: &[i64]) -> Reply {
    if hit.header("authorization") != Some("Bearer jwt-1") {
        return Reply::status(401).body(
            br#"{"error":"AuthenticationRequired","message":"Authentication Required"}"#.to_vec(),
        );
    }
    let ms = |s: Option<String>| {
        s.and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| t.timestamp())
    };
    let (since, until) = (ms(hit.param("since")), ms(hit.param("until")));
    let mut matching: Vec<i64> = posts
        .iter()
        .copied()
        .filter(|n| since.is_none_or(|s| SEARCH_T + n * 60 >= s))
        .filter(|n| until.is_none_or(|u| SEARCH_T + n * 60 < u))
        .collect();
    matching.sort_by(|a, b| b.cmp(a));
    let offset: usize = hit
        .param("cursor")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let page: Vec<_> = matching
        .iter()
        .skip(offset)
        .take(3)
        .map(|n| post_view(*n))
        .collect();
    let cursor = (offset + 3 < matching.len()).then(|| (offset + 3).to_string());
    Reply::json(
        serde_json::json!({"cursor": cursor, "hitsTotal": matching.len(), "posts": page})
            .to_string(),
    )
}

#[test]
fn bluesky_search_logs_in_and_sweeps_back_to_the_last_run() {
    let posts = Arc::new(Mutex::new((1..=5).collect::<Vec<i64>>()));
    let p = posts.clone();
    let s = HttpServer::start(move |hit| match hit.path() {
        "/xrpc/com.atproto.server.createSession" => {
            let body: serde_json::Value = serde_json::from_slice(&hit.body).unwrap_or_default();
            if body["identifier"] == "amy.test" && body["password"] == "abcd-efgh-ijkl-mnop" {
                Reply::json(
                    r#"{"accessJwt":"jwt-1","refreshJwt":"r-1","handle":"amy.test","did":"did:plc:amy"}"#,
                )
            } else {
                Reply::status(401).body(br#"{"error":"AuthenticationRequired","message":"Invalid identifier or password"}"#.to_vec())
            }
        }
        "/xrpc/app.bsky.feed.searchPosts" => search(hit, &p.lock().unwrap()),
        _ => Reply::status(404),
    });
    let o = Outcry::new();
    let url = s.url();
    let args = [
        "poll",
        "--bluesky-search",
        &url,
        "--topic",
        "netflix",
        "--once",
    ];

    // Without credentials the feed is skipped with a reason.
    let mut cmd = o.command(&args);
    let out = cmd
        .env_remove("BSKY_HANDLE")
        .env_remove("BSKY_APP_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("set BSKY_HANDLE and BSKY_APP_PASSWORD"));
    assert!(s.hits().is_empty());

    let run = |o: &Outcry| {
        let out = o
            .command(&args)
            .env("BSKY_HANDLE", "amy.test")
            .env("BSKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // The first sweep takes the newest page only.
    run(&o);
    assert_eq!(total(&o, "netflix"), 3);
    let hits = s.hits();
    assert_eq!(hits[0].method, "POST");
    assert_eq!(hits[1].param("q").as_deref(), Some("netflix"));
    assert_eq!(hits[1].param("sort").as_deref(), Some("latest"));

    // Five more: the next sweep pages back to five minutes before the
    // newest post seen, and stores the missing ones once.
    posts.lock().unwrap().extend(6..=10);
    run(&o);
    let searches: Vec<_> = s.hits()[3..]
        .iter()
        .map(|h| (h.param("since"), h.param("cursor")))
        .collect();
    let since = Some("2024-12-24T20:00:00.000Z".to_string());
    assert_eq!(
        searches,
        vec![
            (since.clone(), None),
            (since.clone(), Some("3".into())),
            (since.clone(), Some("6".into())),
            (since, Some("9".into())),
        ]
    );
    assert_eq!(total(&o, "netflix"), 10);
}

// ------------------------------------------------------------------ config

#[test]
fn a_config_file_lists_the_sources() {
    let feeds = feed_server();
    let posts: Vec<u64> = (1..=3).collect();
    let reddit = HttpServer::start(move |hit| reddit_listing(hit, &posts, false));
    let o = Outcry::new();
    let config = o.path("outcry.toml");
    std::fs::write(
        &config,
        format!(
            "topics = [\"netflix\"]\nuser_agent = \"outcry-test/1 (ops@example.org)\"\n\n\
             [[rss]]\nurl = \"{}/history.rss\"\ninterval = \"10m\"\n\n\
             [[reddit]]\nname = \"netflix\"\nbase = \"{}\"\n",
            feeds.url(),
            reddit.url()
        ),
    )
    .unwrap();
    let run = o.run(&["poll", "--config", config.to_str().unwrap(), "--once"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(total(&o, "netflix"), 7);
    assert_eq!(
        reddit.hits()[0].header("user-agent"),
        Some("outcry-test/1 (ops@example.org)")
    );
}

#[test]
fn a_mistake_in_the_config_file_is_named_by_file_line_and_column() {
    let o = Outcry::new();
    let config = o.path("outcry.toml");
    let name = config.to_str().unwrap();
    let cases = [
        // Found as the file is read: which [[rss]] is wrong is in the line.
        (
            "interval = \"2m\"\n\n[[rss]]\nurl = \"http://127.0.0.1:9/a.rss\"\n\n\
             [[rss]]\nurl = \"http://127.0.0.1:9/b.rss\"\ninterval = \"5 min\"\n",
            format!("{name}:8:12: interval \"5 min\": unknown unit \"min\" (use s, m or h)"),
        ),
        (
            "interval = 1.5\n",
            format!(
                "{name}:1:12: interval 1.5: a whole number of seconds, or a text like \"90s\", \"5m\", \"1h\""
            ),
        ),
        (
            "interval = \"2m\"\ninterval = \"3m\"\n",
            format!("{name}:2:1: duplicate key `interval` in document root"),
        ),
        (
            "[[reddit]]\nname = \"net flix\"\n",
            format!("{name}:2:8: name \"net flix\" is not a subreddit name"),
        ),
        // Found when the plan is made, against the lexicons' topics.
        (
            "topics = [\"netflix\", \"nosuchtopic\"]\n[[rss]]\nurl = \"http://127.0.0.1:9/a.rss\"\n",
            format!("{name}:1:22: unknown topic \"nosuchtopic\" (known: "),
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(&config, text).unwrap();
        let run = o.run(&["poll", "--once", "--config", name]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("outcry: error: {expected}")),
            "{text:?}\n  gives {first}"
        );
        // One line, the file named once.
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert_eq!(run.stderr.matches(name).count(), 1, "{}", run.stderr);
    }
    // Nothing was polled, so no store was made either.
    assert!(!o.db().exists());
}

#[test]
fn what_was_recorded_imports_back_to_the_same_counts() {
    let ids = Arc::new(Mutex::new((1..=5).collect::<Vec<u64>>()));
    let s = mastodon(ids);
    let live = Outcry::new();
    let record = live.path("live.jsonl");
    let url = s.url();
    let run = live.run(&[
        "poll",
        "--mastodon",
        &url,
        "--tag",
        "netflix",
        "--once",
        "--record",
        record.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let archive = Outcry::new();
    let import = archive.run(&["import", record.to_str().unwrap(), "--no-chart"]);
    assert_eq!(import.code, 0, "{}", import.stdout);
    assert_eq!(
        archive.curve_rows(&["netflix"]),
        live.curve_rows(&["netflix"])
    );
    // Into the live store, every post is recognised as counted already.
    let again = live.run(&["import", record.to_str().unwrap(), "--no-chart"]);
    assert_eq!(again.field("duplicates skipped"), "5");
}

#[test]
fn a_repost_is_recorded_with_its_original_and_imports_back_to_the_same_counts() {
    // A reblog at 22:30 of a remote toot from 18:05, which is in the
    // timeline too.
    let original_uri = "https://other.example/users/b/statuses/77";
    let mut original = status(3);
    original["uri"] = serde_json::json!(original_uri);
    original["created_at"] = serde_json::json!("2024-12-24T18:05:00.000Z");
    let mut reblog = status(4);
    reblog["content"] = serde_json::json!("");
    reblog["tags"] = serde_json::json!([]);
    reblog["created_at"] = serde_json::json!("2024-12-24T22:30:00.000Z");
    reblog["reblog"] = original.clone();
    let reblog_uri = reblog["uri"].as_str().unwrap().to_string();
    let toots = serde_json::json!([reblog, status(2), original, status(1)]).to_string();
    let mastodon = HttpServer::start(move |_| Reply::json(toots.clone()));
    // A crosspost of a link posted the day before.
    let mut crosspost = reddit_post(3);
    crosspost["data"]["crosspost_parent"] = serde_json::json!("t3_orig");
    crosspost["data"]["crosspost_parent_list"] = serde_json::json!([{
        "name": "t3_orig", "title": "Netflix down for anyone else?", "created_utc": 1_734_990_000.0
    }]);
    let listing = serde_json::json!({"kind": "Listing", "data": {
        "children": [crosspost, reddit_post(2), reddit_post(1)]
    }})
    .to_string();
    let reddit = HttpServer::start(move |_| Reply::json(listing.clone()));

    let live = Outcry::new();
    let record = live.path("live.jsonl");
    let (m, r) = (mastodon.url(), reddit.url());
    let run = live.run(&[
        "poll",
        "--once",
        "--mastodon",
        &m,
        "--tag",
        "netflix",
        "--reddit",
        "netflix",
        "--reddit-base",
        &r,
        "--record",
        record.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let recorded = lines(&record);
    assert_eq!(recorded.len(), 7);
    let line = |id: &str| {
        recorded
            .iter()
            .find(|l| l["id_str"] == id)
            .unwrap_or_else(|| panic!("no {id} in {recorded:?}"))
            .clone()
    };
    // The repost under its own id and time; the original inside it.
    let rb = line(&reblog_uri);
    assert_eq!(rb["created_at"], "Tue Dec 24 22:30:00 +0000 2024");
    assert_eq!(rb["retweeted_status"]["id_str"], original_uri);
    assert_eq!(
        rb["retweeted_status"]["created_at"],
        "Tue Dec 24 18:05:00 +0000 2024"
    );
    assert_eq!(rb["retweeted_status"]["text"], rb["text"]);
    assert_eq!(line(original_uri).get("retweeted_status"), None);
    let xp = line("t3_00003");
    assert_eq!(xp["created_at"], "Tue Dec 24 19:53:50 +0000 2024");
    assert_eq!(xp["retweeted_status"]["id_str"], "t3_orig");
    assert_eq!(
        xp["retweeted_status"]["created_at"],
        "Mon Dec 23 21:40:00 +0000 2024"
    );
    // The reblog counts in its own hour, apart from its original.
    let hours = per_hour(&live, "netflix");
    assert_eq!(hours.get("2024-12-24T18"), Some(&1), "{hours:?}");
    assert_eq!(hours.get("2024-12-24T22"), Some(&1), "{hours:?}");
    assert_eq!(hours.values().sum::<u64>(), 7, "{hours:?}");

    let archive = Outcry::new();
    let import = archive.run(&["import", record.to_str().unwrap(), "--no-chart"]);
    assert_eq!(import.code, 0, "{}", import.stdout);
    assert_eq!(import.field("posts"), "7");
    assert_eq!(
        archive.curve_rows(&["netflix"]),
        live.curve_rows(&["netflix"])
    );
    let again = live.run(&["import", record.to_str().unwrap(), "--no-chart"]);
    assert_eq!(again.field("duplicates skipped"), "7");
}

#[test]
fn a_listing_ending_at_a_page_boundary_has_its_oldest_post_read_once() {
    let posts = Arc::new(Mutex::new((1..=100).collect::<Vec<u64>>()));
    let s = subreddit(&posts);
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    // The listing is now exactly 101..=1100: 1000 posts, ten full pages.
    delete_and_add(&posts, 100, 101..=1100);
    assert_eq!(o.run(&args).code, 0);
    // The walk stopped at 201; the page after it is the last, 101..=200.
    // After 101 nothing: the listing ends there, as the page after 102,
    // holding only 101, tells.
    let r3 = run_asking(
        &o,
        &args,
        &s,
        &[
            ("t3_01100", ""),
            ("", ""),
            ("", "t3_00201"),
            ("", "t3_00101"),
            ("", "t3_00102"),
        ],
    );
    assert_eq!(total(&o, "netflix"), 1100);
    assert!(!r3.stderr.contains("already stored"), "{}", r3.stderr);
}

#[test]
fn a_walk_whose_three_oldest_taken_are_deleted_together_reads_its_last_page_again() {
    let posts = Arc::new(Mutex::new((1..=100).collect::<Vec<u64>>()));
    let s = subreddit(&posts);
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    delete_and_add(&posts, 100, 101..=1050);
    assert_eq!(o.run(&args).code, 0);
    // One page for `before`, nine of the walk: it stopped at post 151 (it
    // goes on from 151, 152, 153), its page before ending at 251.
    assert_eq!(total(&o, "netflix"), 100 + 900);
    // A burst of three posts is removed by the moderators: the three it
    // goes on from.
    for n in [151, 152, 153] {
        posts.lock().unwrap().retain(|&p| p != n);
    }
    let none = ("", "");
    let r3 = run_asking(
        &o,
        &args,
        &s,
        &[
            ("t3_01050", ""),
            none,
            ("", "t3_00151"),
            ("", "t3_00152"),
            ("", "t3_00153"),
            // Its page before, read again past what it took.
            ("", "t3_00251"),
            ("", "t3_00148"),
        ],
    );
    // Posts 101..=150 are still listed, and newer than post 99 stored
    // before: all taken, none twice.
    assert_eq!(total(&o, "netflix"), 100 + 950);
    assert!(!r3.stderr.contains("already stored"), "{}", r3.stderr);
}

#[test]
fn a_walk_whose_last_two_pages_lost_the_posts_it_goes_on_from_reads_again_from_the_newest() {
    let posts = Arc::new(Mutex::new((1..=100).collect::<Vec<u64>>()));
    let s = subreddit(&posts);
    let o = Outcry::new();
    let url = s.url();
    let args = reddit_args(&url);
    assert_eq!(o.run(&args).code, 0);
    delete_and_add(&posts, 100, 101..=1050);
    assert_eq!(o.run(&args).code, 0);
    assert_eq!(total(&o, "netflix"), 100 + 900);
    // Both the three it goes on from and the three of its page before.
    for n in [151, 152, 153, 251, 252, 253] {
        posts.lock().unwrap().retain(|&p| p != n);
    }
    // Eight pages to find them all gone; the read again from the newest
    // takes two more, and goes on next round (committed per page).
    let none = ("", "");
    let r3 = run_asking(
        &o,
        &args,
        &s,
        &[
            ("t3_01050", ""),
            none,
            ("", "t3_00151"),
            ("", "t3_00152"),
            ("", "t3_00153"),
            ("", "t3_00251"),
            ("", "t3_00252"),
            ("", "t3_00253"),
            none,
            ("", "t3_00951"),
        ],
    );
    assert_eq!(total(&o, "netflix"), 100 + 900);
    assert!(r3.stderr.contains("still reading back"), "{}", r3.stderr);
    let mut asked = vec![("t3_01050", ""), none];
    asked.extend(
        [
            "t3_00851", "t3_00751", "t3_00651", "t3_00551", "t3_00451", "t3_00351",
        ]
        .map(|a| ("", a)),
    );
    // The page after 351 ends at 248 (251..=253 are gone); the next one
    // goes from 247 down below where it stopped: 150 to 145 are taken,
    // then the rest.
    asked.extend([("", "t3_00248"), ("", "t3_00145")]);
    let r4 = run_asking(&o, &args, &s, &asked);
    assert_eq!(total(&o, "netflix"), 100 + 950);
    for run in [&r3, &r4] {
        assert!(!run.stderr.contains("already stored"), "{}", run.stderr);
    }
}

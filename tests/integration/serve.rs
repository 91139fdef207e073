//! `outcry serve`: the API on a real socket, over a store the real binary
//! imported, checked against the fixture's hand counts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::Arc;

use serde_json::{json, Value};

use outcry::lexicons::Lexicons;
use outcry::pipeline::Pipeline;
use outcry::serve::{self, AppState, TopicInfo};
use outcry::store::Store;

use crate::util::{fixture, Outcry};

/// The library's server on an ephemeral port of 127.0.0.1, reading a store
/// built by `outcry import tests/fixtures/v1/small.jsonl`.
struct Server {
    _outcry: Outcry,
    runtime: tokio::runtime::Runtime,
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    fn start() -> Server {
        Server::over(Outcry::imported("v1/small.jsonl"))
    }

    /// The server over a store the binary already built.
    fn over(o: Outcry) -> Server {
        let store = Arc::new(Store::open(&o.db()).expect("open the imported store"));
        let pipeline = Pipeline::new(&Lexicons::default()).expect("lexicons");
        let state = AppState::new(store, TopicInfo::from_topics(pipeline.topics()), false);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(serve::bind("127.0.0.1:0".parse().unwrap()))
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(serve::serve(listener, state, async {
            let _ = rx.await;
        }));
        Server {
            _outcry: o,
            runtime,
            base,
            stop: Some(tx),
        }
    }

    /// Status, content type and body of a GET.
    fn get_raw(&self, path: &str) -> (u16, String, String) {
        let url = format!("{}{}", self.base, path);
        self.runtime.block_on(async {
            let r = reqwest::get(&url).await.expect("request");
            let status = r.status().as_u16();
            let ct = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            (status, ct, r.text().await.expect("body"))
        })
    }

    fn get(&self, path: &str) -> (u16, Value) {
        let (status, ct, body) = self.get_raw(path);
        assert!(ct.starts_with("application/json"), "{path}: {ct}");
        (status, serde_json::from_str(&body).expect("JSON body"))
    }

    fn ok(&self, path: &str) -> Value {
        let (status, v) = self.get(path);
        assert_eq!(status, 200, "{path}: {v}");
        v
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

fn counts(v: &Value) -> Vec<(String, u64, u64)> {
    v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["start"].as_str().unwrap().to_string(),
                b["posts"].as_u64().unwrap(),
                b["complaints"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn c(start: &str, posts: u64, complaints: u64) -> (String, u64, u64) {
    (start.to_string(), posts, complaints)
}

#[test]
fn the_curve_api_equals_the_hand_count() {
    let s = Server::start();
    let v = s.ok("/api/curve?topic=netflix");
    assert_eq!(v["topic"], "netflix");
    assert_eq!(v["region"], "all");
    assert_eq!(v["by"], "hour");
    assert_eq!(
        counts(&v),
        vec![
            c("2012-12-24T20:00:00Z", 2, 2),
            c("2012-12-24T21:00:00Z", 2, 1),
            c("2012-12-24T22:00:00Z", 0, 0),
            c("2012-12-24T23:00:00Z", 1, 1),
        ]
    );
    // Hourly buckets carry the band the page draws.
    assert!(v["buckets"][0].get("baseline").is_some());

    let us = s.ok("/api/curve?topic=netflix&region=us");
    assert_eq!(us["region"], "US");
    let us: Vec<(u64, u64)> = counts(&us).iter().map(|r| (r.1, r.2)).collect();
    assert_eq!(us, vec![(1, 1), (2, 1), (0, 0), (0, 0)]);
    // `all` is the region the unfiltered curve names, so it may be asked for.
    let all = s.ok("/api/curve?topic=netflix&region=All");
    assert_eq!(all["region"], "all");
    assert_eq!(counts(&all), counts(&v));

    let wide = s.ok("/api/curve?topic=netflix&from=2012-12-24T18:00:00Z&to=2012-12-25T01:30:00Z");
    assert_eq!(counts(&wide).len(), 8);
    assert_eq!(counts(&wide)[0], c("2012-12-24T18:00:00Z", 0, 0));

    let days = s.ok("/api/curve?topic=netflix&by=day");
    assert_eq!(counts(&days), vec![c("2012-12-24T00:00:00Z", 5, 4)]);
    // A day is counted whole, and the range echoed is the one counted:
    // cut at hour 21 it would hold 4 posts, not the day's 5.
    let day = s.ok("/api/curve?topic=netflix&by=day&from=2012-12-24T21&to=2012-12-24T21");
    assert_eq!(counts(&day), vec![c("2012-12-24T00:00:00Z", 5, 4)]);
    assert_eq!(day["from"], "2012-12-24T00:00:00Z");
    assert_eq!(day["to"], "2012-12-24T23:00:00Z");
    assert_eq!(wide["to"], "2012-12-25T01:00:00Z");
}

/// `/api/curve` promises the rows of `outcry curve --format json`: its
/// `buckets` are the command's bytes but for the indentation.
#[test]
fn the_curve_api_writes_the_rows_of_the_command_line_byte_for_byte() {
    let o = Outcry::imported("v1/small.jsonl");
    let asked = [
        (
            "/api/curve?topic=netflix",
            vec!["curve", "netflix", "--format", "json", "--baseline"],
        ),
        (
            "/api/curve?topic=netflix&region=us&from=2012-12-24T18",
            vec![
                "curve",
                "netflix",
                "--format",
                "json",
                "--baseline",
                "--region",
                "us",
                "--from",
                "2012-12-24T18",
            ],
        ),
        (
            "/api/curve?topic=netflix&by=day",
            vec!["curve", "netflix", "--format", "json", "--by", "day"],
        ),
    ];
    let printed: Vec<String> = asked
        .iter()
        .map(|(_, args)| {
            let run = o.run(args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            run.stdout.split_whitespace().collect()
        })
        .collect();
    let s = Server::over(o);
    for ((path, _), printed) in asked.iter().zip(printed) {
        let (status, _, body) = s.get_raw(path);
        assert_eq!(status, 200, "{path}: {body}");
        let rows = body
            .split_once(r#""buckets":"#)
            .and_then(|(_, rows)| rows.strip_suffix('}'));
        assert_eq!(rows, Some(printed.as_str()), "{path}");
    }
    // The hand count, to show the rows compared are not empty.
    let (_, _, body) = s.get_raw("/api/curve?topic=netflix&by=day");
    assert!(
        body.contains(r#"[{"start":"2012-12-24T00:00:00Z","topic":"netflix","region":"all","posts":5,"complaints":4,"#),
        "{body}"
    );
}

#[test]
fn topics_and_health() {
    let s = Server::start();
    let v = s.ok("/api/topics");
    let topics = v["topics"].as_array().unwrap();
    let netflix = topics.iter().find(|t| t["name"] == "netflix").unwrap();
    assert_eq!(netflix["display_name"], "Netflix");
    assert_eq!(netflix["first"], "2012-12-24T20:00:00Z");
    assert_eq!(netflix["last"], "2012-12-24T23:00:00Z");
    let health = s.ok("/api/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["polling"], false);
    assert_eq!(health["imports"], 1);
}

#[test]
fn posts_at_an_hour_come_with_their_labels() {
    let s = Server::start();
    let v = s.ok("/api/posts?topic=netflix&from=2012-12-24T20&to=2012-12-24T20");
    assert_eq!(v["from"], "2012-12-24T20:00:00Z");
    assert_eq!(v["groups"], 2);
    let posts = v["posts"].as_array().unwrap();
    let mut regions: Vec<&str> = posts
        .iter()
        .map(|p| p["region"].as_str().unwrap())
        .collect();
    regions.sort();
    assert_eq!(regions, vec!["BR", "US"]);
    for p in posts {
        assert_eq!(p["complaint"], true, "{p}");
        assert_eq!(p["label"], "negative", "{p}");
        assert_eq!(p["count"], 1);
    }
    let br = posts.iter().find(|p| p["region"] == "BR").unwrap();
    assert_eq!(br["text"], "netflix não funciona aqui");
    assert_eq!(br["language"], "pt");

    // At 21:00 one post of two is a complaint.
    let all = s.ok("/api/posts?topic=netflix&from=2012-12-24T21&to=2012-12-24T21");
    assert_eq!(all["groups"], 2);
    let only = s.ok("/api/posts?topic=netflix&from=2012-12-24T21&to=2012-12-24T21&complaints=true");
    assert_eq!(only["groups"], 1);
    let eve = post_labelled(&all, "positive");
    assert_eq!(eve["text"], "watching netflix with my family, love it");

    // Over the whole span the retweet (which carries amy's text) groups
    // with amy's post: five posts, four texts, the repeated one first.
    let one = s.ok("/api/posts?topic=netflix&limit=1");
    assert_eq!(one["groups"], 4);
    assert_eq!(one["posts"].as_array().unwrap().len(), 1);
    assert_eq!(one["posts"][0]["count"], 2);
    assert_eq!(
        one["posts"][0]["text"],
        "Netflix is down on my Xbox & PS3 #NetflixDown"
    );
}

fn post_labelled<'a>(v: &'a Value, label: &str) -> &'a Value {
    v["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == label)
        .unwrap_or_else(|| panic!("no {label} post in {v}"))
}

#[test]
fn a_few_posts_make_no_incident() {
    let s = Server::start();
    let v = s.ok("/api/incidents?topic=netflix");
    assert_eq!(v["incidents"], json!([]));
    assert_eq!(v["largest"], Value::Null);
    let v = s.ok("/api/spread?topic=netflix");
    assert_eq!(v["incident"], Value::Null);
    assert_eq!(v["regions"], json!([]));
    // A window can still be described.
    let v = s.ok("/api/spread?topic=netflix&from=2012-12-24T20&to=2012-12-24T23");
    assert_eq!(v["from"], "2012-12-24T20:00:00Z");
    let total: u64 = v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["complaints"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 4);
    assert_eq!(v["timeline"][0]["complaints"].as_array().unwrap().len(), 4);
}

#[test]
fn bad_parameters_are_400s_naming_the_parameter() {
    let s = Server::start();
    for (path, parameter) in [
        ("/api/curve?topic=netflix&from=yesterday", "from"),
        ("/api/curve?topic=netflix&to=2012-13-01", "to"),
        (
            "/api/curve?topic=netflix&from=2012-12-25&to=2012-12-24",
            "from",
        ),
        ("/api/curve?topic=netflix&by=week", "by"),
        ("/api/curve?topic=netflix&region=USA", "region"),
        ("/api/curve?topic=netflix&region=ZZ", "region"),
        ("/api/curve?topic=netflix&form=2012-12-24", "form"),
        ("/api/curve", "topic"),
        ("/api/curve?topic=netflix&topic=hulu", "topic"),
        ("/api/posts?topic=netflix&limit=0", "limit"),
        ("/api/posts?topic=netflix&limit=ten", "limit"),
        ("/api/posts?topic=netflix&complaints=maybe", "complaints"),
        ("/api/posts?topic=netflix&order=loudest", "order"),
        ("/api/spread?topic=netflix&incident=0", "incident"),
        (
            "/api/spread?topic=netflix&incident=1&from=2012-12-24",
            "incident",
        ),
        ("/api/incidents?topic=net%20flix", "topic"),
        ("/api/topics?topic=netflix", "topic"),
    ] {
        let (status, v) = s.get(path);
        assert_eq!(status, 400, "{path}: {v}");
        assert_eq!(v["parameter"], parameter, "{path}: {v}");
        assert!(!v["error"].as_str().unwrap().is_empty(), "{path}");
    }
    let (_, v) = s.get("/api/curve?topic=netflix&region=other");
    assert_eq!(
        v["error"],
        "region must be a two-letter country code such as US or BR, unknown, or all, not \"other\""
    );
    let (_, v) = s.get("/api/curve?topic=netflix&region=ZZ");
    assert_eq!(
        v["error"],
        "region \"ZZ\" is not a country's ISO 3166-1 code, so no post is ever placed there \
         (its curve would be all zeros); give one such as US or BR, unknown, or all"
    );
    let (_, v) = s.get("/api/curve?topic=netflix&from=yesterday");
    assert_eq!(
        v["error"],
        "from \"yesterday\" is not a UTC time like 2012-12-24T20:00:00Z, 2012-12-24T20 or 2012-12-24 (from 1970 on)"
    );
}

#[test]
fn a_range_too_long_for_one_answer_is_refused_before_it_is_built() {
    let s = Server::start();
    let (status, v) = s.get("/api/curve?topic=netflix&from=2012-12-24&to=9012-12-25");
    assert_eq!(status, 400);
    assert_eq!(
        v,
        json!({
            "error": "the range from 2012-12-24T00:00:00Z to 9012-12-25T00:00:00Z holds \
                      61360753 hourly buckets, more than the 87840 one answer of the API may \
                      hold (ten years of hours): ask for a shorter range, or by=day",
            "parameter": "from",
        })
    );
    let (status, v) = s.get("/api/curve?topic=netflix&to=9012-12-25&by=day");
    assert_eq!(status, 400);
    assert_eq!(v["parameter"], "to");
    assert_eq!(
        v["error"],
        "the range from 2012-12-24T00:00:00Z to 9012-12-25T23:00:00Z holds 2556699 daily \
         buckets, more than the 87840 one answer of the API may hold (by day, some 240 \
         years): ask for a shorter range"
    );
    // Eleven years of hours, which `outcry curve` draws, is too much for
    // one answer from the network; by day it is 4,018 buckets.
    let (status, v) = s.get("/api/curve?topic=netflix&from=2012-12-24&to=2023-12-24");
    assert_eq!(status, 400);
    assert_eq!(v["parameter"], "from");
    let v = s.ok("/api/curve?topic=netflix&from=2012-12-24&to=2023-12-24&by=day");
    assert_eq!(v["buckets"].as_array().unwrap().len(), 4_018);
    assert_eq!(v["to"], "2023-12-24T23:00:00Z");
    // Ten years of hours exactly is answered.
    let v = s.ok("/api/curve?topic=netflix&from=2012-12-24&to=2022-12-23T23");
    assert_eq!(v["buckets"].as_array().unwrap().len(), 87_648);
    assert_eq!(v["buckets"][20]["complaints"], 2);
}

#[test]
fn unknown_topics_and_paths_are_404s() {
    let s = Server::start();
    let (status, v) = s.get("/api/curve?topic=myspace");
    assert_eq!(status, 404);
    assert_eq!(v["parameter"], "topic");
    assert!(v["error"]
        .as_str()
        .unwrap()
        .starts_with("unknown topic \"myspace\" (topics: "));
    let (status, v) = s.get("/api/spread?topic=netflix&incident=3");
    assert_eq!((status, v["parameter"].as_str()), (404, Some("incident")));
    let (status, _) = s.get("/api/nothing");
    assert_eq!(status, 404);
    let (status, _, _) = s.get_raw("/nothing.html");
    assert_eq!(status, 404);
}

#[test]
fn the_page_and_its_files_are_served_from_the_binary() {
    let s = Server::start();
    let (status, ct, body) = s.get_raw("/");
    assert_eq!(status, 200);
    assert_eq!(ct, "text/html; charset=utf-8");
    assert!(body.contains("<select id=\"topic\""));
    let (status, ct, body) = s.get_raw("/app.js");
    assert_eq!(
        (status, ct.as_str()),
        (200, "text/javascript; charset=utf-8")
    );
    assert!(body.contains("/api/curve"));
    let (status, ct, _) = s.get_raw("/style.css");
    assert_eq!((status, ct.as_str()), (200, "text/css; charset=utf-8"));
    let csp = s.runtime.block_on(async {
        let r = reqwest::get(format!("{}/", s.base)).await.unwrap();
        r.headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
    });
    assert!(csp.unwrap().contains("script-src 'self'"));
    // Read-only: nothing but GET (and HEAD).
    let status = s.runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/api/topics", s.base))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 405);
}

/// One raw HTTP/1.1 request, to send a Host header a client library would
/// not let through.
fn raw_get(addr: &str, path: &str, host: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn a_loopback_server_refuses_other_host_names() {
    let s = Server::start();
    let addr = s.base.trim_start_matches("http://").to_string();
    let answer = raw_get(&addr, "/api/health", "evil.example");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    let answer = raw_get(&addr, "/api/health", &addr);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let answer = raw_get(&addr, "/api/health", "localhost:8080");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// `outcry serve` as a child process; killed when dropped.
pub struct Served {
    pub child: Child,
    pub base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `outcry serve` on a free port and reads its start-up line for the
/// address it got.
pub fn start_binary(o: &Outcry, extra: &[&str]) -> Served {
    let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = o
        .command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn outcry serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = String::new();
    let base = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("outcry serve ended without a start-up line:\n{seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.split("serving http://").nth(1) {
            let addr = rest.split('/').next().unwrap_or("");
            break format!("http://{addr}");
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served { child, base }
}

#[test]
fn the_binary_serves_on_loopback_and_asks_before_going_public() {
    let o = Outcry::new();
    // No store yet: serving nothing is an error, not an empty page.
    let run = o.run(&["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no store at"), "{}", run.stderr);

    let run = o.run(&[
        "import",
        fixture("v1/small.jsonl").to_str().unwrap(),
        "--no-chart",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = o.run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("pass --public"), "{}", run.stderr);
    let run = o.run(&["serve", "--poll"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--poll needs --config"),
        "{}",
        run.stderr
    );

    let served = start_binary(&o, &[]);
    let addr = served.base.trim_start_matches("http://").to_string();
    let answer = raw_get(&addr, "/api/curve?topic=netflix&by=day", &addr);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"complaints\":4"), "{answer}");
}

/// A feed server on 127.0.0.1 that answers every request with `body`, but
/// only once `open` is called: the test decides when the poller's first
/// round may land.
struct Feed {
    url: String,
    gate: Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
}

impl Feed {
    fn start(body: String) -> Feed {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/history.rss", listener.local_addr().unwrap());
        let gate = Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let g = Arc::clone(&gate);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let g = Arc::clone(&g);
                let body = body.clone();
                std::thread::spawn(move || {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let (open, cv) = &*g;
                    let mut is_open = open.lock().unwrap();
                    while !*is_open {
                        is_open = cv.wait(is_open).unwrap();
                    }
                    drop(is_open);
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                });
            }
        });
        Feed { url, gate }
    }

    fn open(&self) {
        let (open, cv) = &*self.gate;
        *open.lock().unwrap() = true;
        cv.notify_all();
    }
}

fn body_of(answer: &str) -> Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"))
}

/// A config polling `feed` alone, once an hour: a test's one round.
fn rss_config(o: &Outcry, feed: &Feed) -> std::path::PathBuf {
    let config = o.path("outcry.toml");
    std::fs::write(
        &config,
        format!("interval = \"1h\"\n\n[[rss]]\nurl = \"{}\"\n", feed.url),
    )
    .unwrap();
    config
}

#[test]
fn serve_with_poll_shares_the_store_and_sees_new_posts() {
    let o = Outcry::new();
    let rss = std::fs::read_to_string(fixture("feeds/status.rss")).unwrap();
    let feed = Feed::start(rss);
    let config = rss_config(&o, &feed);
    // No store yet: with pollers, serve creates it.
    let mut served = start_binary(&o, &["--poll", "--config", config.to_str().unwrap()]);
    let addr = served.base.trim_start_matches("http://").to_string();
    let get = |path: &str| body_of(&raw_get(&addr, path, &addr));

    let health = get("/api/health");
    assert_eq!(health["polling"], true);
    // Before the feed answers: nothing, and that answer is kept…
    let before = get("/api/curve?topic=netflix");
    assert_eq!(before["buckets"], json!([]));

    feed.open();
    // Wait for the poller's commit (a deadline against a hang, not a
    // measurement).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while get("/api/health")["posts_remembered"] != 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the poller stored nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // …until the store changes.
    let after = get("/api/curve?topic=netflix");
    let posts: Vec<(String, u64)> = after["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["posts"].as_u64() > Some(0))
        .map(|b| {
            (
                b["start"].as_str().unwrap().to_string(),
                b["posts"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        posts,
        vec![
            ("2012-12-24T20:00:00Z".to_string(), 1),
            ("2012-12-24T21:00:00Z".to_string(), 1),
            ("2012-12-24T23:00:00Z".to_string(), 1),
            ("2012-12-25T17:00:00Z".to_string(), 1),
        ]
    );

    // Ctrl-C stops the server and the pollers, cleanly.
    let pid = served.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = served.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
}

#[test]
fn sigterm_stops_serve_with_poll_as_ctrl_c_does() {
    let o = Outcry::new();
    let rss = std::fs::read_to_string(fixture("feeds/status.rss")).unwrap();
    let feed = Feed::start(rss);
    feed.open();
    let config = rss_config(&o, &feed);
    let mut served = start_binary(&o, &["--poll", "--config", config.to_str().unwrap()]);
    let addr = served.base.trim_start_matches("http://").to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while body_of(&raw_get(&addr, "/api/health", &addr))["posts_remembered"] != 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the poller stored nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let pid = served.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    // The pollers listen for SIGTERM, so the server must too, or it would
    // serve on after its pollers stopped.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let exit = loop {
        if let Some(exit) = served.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve --poll did not stop on SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(exit.code(), Some(0));
    let stats = o.run(&["stats"]);
    assert!(
        stats.stdout.contains("posts remembered  4"),
        "{}",
        stats.stdout
    );
}

/// The API and the command line number incidents alike: per topic, over
/// everything stored, and a range only filters (seed 2 of the random
/// scenario holds five Netflix incidents; the third starts 2013-03-28T11).
#[test]
fn the_api_numbers_incidents_as_detect_does() {
    let o = Outcry::new();
    let synth = o.run(&[
        "synth",
        "--scenario",
        "random",
        "--seed",
        "2",
        "--out",
        "random.jsonl.gz",
    ]);
    assert_eq!(synth.code, 0, "{}", synth.stderr);
    let run = o.run(&["import", "random.jsonl.gz", "--no-chart", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cli = o.run(&[
        "detect",
        "netflix",
        "--from",
        "2013-03-28T12",
        "--to",
        "2013-03-28T12",
        "--format",
        "json",
    ]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    let cli: Value = serde_json::from_str(&cli.stdout).unwrap();

    let s = Server::over(o);
    let v = s.ok("/api/incidents?topic=netflix&from=2013-03-28T12&to=2013-03-28T12");
    assert_eq!(v["incidents"], cli);
    assert_eq!(v["incidents"][0]["number"], 3);
    assert_eq!(v["incidents"][0]["start"], "2013-03-28T11:00:00Z");
    let all = s.ok("/api/incidents?topic=netflix");
    assert_eq!(all["incidents"].as_array().unwrap().len(), 5);
    assert_eq!(all["incidents"][2], cli[0]);
    let spread = s.ok("/api/spread?topic=netflix&incident=3");
    assert_eq!(
        (&spread["incident"], &spread["from"], &spread["to"]),
        (&json!(3), &cli[0]["start"], &cli[0]["end"])
    );
    // The largest is named by its number too: it is one of the five.
    let largest = all["largest"].as_u64().unwrap() as usize;
    assert_eq!(all["incidents"][largest - 1]["number"], largest as u64);
    let (status, v) = s.get("/api/spread?topic=netflix&incident=6");
    assert_eq!((status, v["parameter"].as_str()), (404, Some("incident")));
}

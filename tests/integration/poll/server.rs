//! Small HTTP and WebSocket servers on 127.0.0.1 for the poll tests.
//!
//! Hand-written on tokio rather than a framework: the tests need to misbehave
//! on purpose (hang mid-run, send a body without a length, drop a WebSocket
//! without a close frame), which is a few lines here and awkward in a mock
//! library. Each request is answered on its own connection
//! (`Connection: close`), and every request is logged for the test to check.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        param(&self.target, name)
    }
}

/// A query parameter of a request target, percent-decoded.
fn param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| decode(v))
    })
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Send no Content-Length: the body ends when the connection closes.
    pub close_delimited: bool,
    /// Never answer.
    pub hang: bool,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            close_delimited: false,
            hang: false,
        }
    }

    pub fn json(body: impl Into<String>) -> Reply {
        Reply::status(200)
            .header("content-type", "application/json; charset=utf-8")
            .body(body.into().into_bytes())
    }

    pub fn xml(body: impl Into<String>) -> Reply {
        Reply::status(200)
            .header("content-type", "application/rss+xml; charset=utf-8")
            .body(body.into().into_bytes())
    }

    pub fn hang() -> Reply {
        Reply {
            hang: true,
            ..Reply::status(200)
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Reply {
        self.body = body;
        self
    }

    pub fn close_delimited(mut self) -> Reply {
        self.close_delimited = true;
        self
    }
}

type Handler = dyn Fn(&Hit) -> Reply + Send + Sync;

/// An HTTP server answering with `handler`, until dropped.
pub struct HttpServer {
    pub addr: SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
    _runtime: tokio::runtime::Runtime,
}

impl HttpServer {
    pub fn start(handler: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> HttpServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("test runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("addr");
        let hits = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = hits.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, handler, log).await;
                });
            }
        });
        HttpServer {
            addr,
            hits,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// Waits (up to a minute) until `pred` holds for the requests so far.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&[Hit]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !pred(&self.hits()) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {:#?}",
                self.hits()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    log: Arc<Mutex<Vec<Hit>>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > 64 * 1024 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let hit = Hit {
        method,
        target,
        headers,
        body,
        at: Instant::now(),
    };
    let reply = handler(&hit);
    log.lock().unwrap().push(hit);
    if reply.hang {
        std::future::pending::<()>().await;
    }
    let mut out = format!("HTTP/1.1 {} X\r\nconnection: close\r\n", reply.status);
    if !reply.close_delimited {
        out.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(&reply.body).await?;
    stream.shutdown().await
}

/// What a WebSocket connection is sent: its messages, and whether it is
/// then held open (else dropped without a close frame, as a crash would).
type Plan = dyn Fn(usize, &str) -> (Vec<String>, bool) + Send + Sync;

/// A WebSocket server that answers each connection by a plan: scripted
/// (connection `i` gets `scripts[i]`) or replaying a stream from the
/// connection's `cursor`, as Jetstream does.
pub struct WsServer {
    pub addr: SocketAddr,
    /// The request target of each connection (path and query).
    pub targets: Arc<Mutex<Vec<String>>>,
    /// When each connection was accepted.
    pub times: Arc<Mutex<Vec<Instant>>>,
    _runtime: tokio::runtime::Runtime,
}

impl WsServer {
    /// Connection `i` gets `scripts[i]`, then is dropped without a close
    /// frame; the last connection is held open instead.
    pub fn start(scripts: Vec<Vec<String>>) -> WsServer {
        WsServer::with_plan(move |n, _| {
            let script = scripts.get(n).cloned().unwrap_or_default();
            (script, n + 1 >= scripts.len())
        })
    }

    /// Jetstream's replay: each connection gets the events (`time_us`, text)
    /// at or after its `cursor`, in order, and is held open. Without a
    /// cursor it gets them all (the real one would start live; a test wants
    /// something to read). Events may be added while it runs.
    pub fn replaying(events: Arc<Mutex<Vec<(i64, String)>>>) -> WsServer {
        WsServer::with_plan(move |_, target| {
            let from: Option<i64> = param(target, "cursor").and_then(|c| c.parse().ok());
            let replay = events
                .lock()
                .unwrap()
                .iter()
                .filter(|(t, _)| from.is_none_or(|f| *t >= f))
                .map(|(_, text)| text.clone())
                .collect();
            (replay, true)
        })
    }

    fn with_plan(
        plan: impl Fn(usize, &str) -> (Vec<String>, bool) + Send + Sync + 'static,
    ) -> WsServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("test runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("addr");
        let targets = Arc::new(Mutex::new(Vec::new()));
        let times = Arc::new(Mutex::new(Vec::new()));
        let log = targets.clone();
        let clock = times.clone();
        let plan: Arc<Plan> = Arc::new(plan);
        runtime.spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                clock.lock().unwrap().push(Instant::now());
                let index = n;
                n += 1;
                let log = log.clone();
                let plan = plan.clone();
                tokio::spawn(async move {
                    let target = Arc::new(Mutex::new(String::new()));
                    let seen = target.clone();
                    // The callback's signature is tungstenite's.
                    #[allow(clippy::result_large_err)]
                    let callback = |req: &Request, resp: Response| {
                        let uri = req.uri().to_string();
                        log.lock().unwrap().push(uri.clone());
                        *seen.lock().unwrap() = uri;
                        Ok(resp)
                    };
                    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await
                    else {
                        return;
                    };
                    let target = target.lock().unwrap().clone();
                    let (script, hold) = plan(index, &target);
                    for text in script {
                        if ws.send(Message::text(text)).await.is_err() {
                            return;
                        }
                    }
                    if hold {
                        // Hold the connection until the client leaves.
                        while let Some(Ok(_)) = ws.next().await {}
                    }
                });
            }
        });
        WsServer {
            addr,
            targets,
            times,
            _runtime: runtime,
        }
    }

    /// Waits (up to a minute) until `n` connections were made.
    pub fn wait_for_connections(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.targets().len() < n {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {n} connections: {:?}",
                self.targets()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self) -> String {
        format!("ws://{}/subscribe", self.addr)
    }

    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }

    /// The time between each connection and the next.
    pub fn gaps(&self) -> Vec<Duration> {
        let t = self.times.lock().unwrap();
        t.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

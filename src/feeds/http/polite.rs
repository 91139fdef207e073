//! The manners: per-host pacing from rate-limit headers, `Retry-After`,
//! and exponential backoff with jitter.
//!
//! Kept apart from the wire so its timing can be tested with tokio's paused
//! clock and a scripted transport: no sockets, no real waiting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::time::Instant;

use super::{excerpt, host_of, HttpError, Limits, Request, Response, Transport};
use crate::feeds::Stop;

/// When a host may be asked again.
struct Gate {
    until: Instant,
    /// Whether a refusal for this pause was reported already: a pause is
    /// said once, not by each feed of the host in each round.
    told: bool,
}

/// A day is the most any header can make outcry wait: past that it is a
/// broken header, not a plan.
const MAX_PAUSE: Duration = Duration::from_secs(86_400);

/// Requests with manners: waits for each host's rate limit, retries what is
/// worth retrying, and gives up cleanly on what is not.
pub struct Polite {
    transport: Arc<dyn Transport>,
    pub limits: Limits,
    /// Per host, the earliest time the next request may go.
    gates: Mutex<HashMap<String, Gate>>,
    rng: Mutex<ChaCha8Rng>,
    stop: Stop,
}

impl Polite {
    pub fn new(transport: Arc<dyn Transport>, limits: Limits, stop: Stop, seed: u64) -> Polite {
        Polite {
            transport,
            limits,
            gates: Mutex::new(HashMap::new()),
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
            stop,
        }
    }

    /// Sends `req` until it succeeds (2xx or 304), fails for good (another
    /// 4xx, a body too large) or runs out of tries.
    pub async fn fetch(&self, req: &Request) -> Result<Response, HttpError> {
        let host = host_of(&req.url).ok_or_else(|| HttpError::BadUrl {
            url: req.url.clone(),
        })?;
        let mut last = String::new();
        for attempt in 0..self.limits.attempts.max(1) {
            self.wait_for_gate(&host).await?;
            let sent = tokio::select! {
                r = self.transport.send(req, self.limits.max_body) => r,
                _ = self.stop.stopped() => return Err(HttpError::Stopped),
            };
            match sent {
                Ok(resp) => {
                    self.note_rate_limit(&host, &resp);
                    match resp.status {
                        200..=299 | 304 => return Ok(resp),
                        429 | 503 if retry_after(&resp).is_some() => {
                            let wait = retry_after(&resp).unwrap_or_default();
                            if wait > self.limits.max_wait {
                                // Said here, by the request that was told,
                                // rather than by whichever feed of the host
                                // meets the pause next.
                                self.push_gate(&host, wait, true);
                                return Err(self.paused(&host, wait, Some(resp.status), false));
                            }
                            self.push_gate(&host, wait, false);
                            last = format!("HTTP {}", resp.status);
                            continue;
                        }
                        408 | 429 | 500..=599 => last = format!("HTTP {}", resp.status),
                        status => {
                            return Err(HttpError::Status {
                                url: req.url.clone(),
                                status,
                                detail: excerpt(&resp.body),
                            })
                        }
                    }
                }
                Err(e @ HttpError::Transport { .. }) => last = e.to_string(),
                Err(e) => return Err(e),
            }
            if attempt + 1 < self.limits.attempts {
                let pause = self.backoff(attempt);
                self.sleep(pause).await?;
            }
        }
        Err(HttpError::GaveUp {
            url: req.url.clone(),
            attempts: self.limits.attempts,
            last: last
                .strip_prefix(&format!("{}: ", req.url))
                .unwrap_or(&last)
                .to_string(),
        })
    }

    /// Exponential backoff with "equal jitter": half the delay is fixed, half
    /// random, so retries spread out but never come sooner than half.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
        let full = self
            .limits
            .backoff_base
            .saturating_mul(factor)
            .min(self.limits.backoff_max);
        let half = full / 2;
        let jitter = match self.rng.lock() {
            Ok(mut rng) => rng.gen_range(0..=half.as_millis() as u64),
            Err(_) => 0,
        };
        half + Duration::from_millis(jitter)
    }

    /// Sleeps unless outcry is stopping.
    pub async fn sleep(&self, d: Duration) -> Result<(), HttpError> {
        tokio::select! {
            _ = tokio::time::sleep(d) => Ok(()),
            _ = self.stop.stopped() => Err(HttpError::Stopped),
        }
    }

    async fn wait_for_gate(&self, host: &str) -> Result<(), HttpError> {
        let now = Instant::now();
        let wait = {
            let Ok(mut gates) = self.gates.lock() else {
                return Ok(());
            };
            let Some(gate) = gates.get_mut(host).filter(|g| g.until > now) else {
                return Ok(());
            };
            let wait = gate.until - now;
            if wait > self.limits.max_wait {
                let repeat = std::mem::replace(&mut gate.told, true);
                return Err(self.paused(host, wait, None, repeat));
            }
            wait
        };
        self.sleep(wait).await
    }

    fn paused(&self, host: &str, wait: Duration, status: Option<u16>, repeat: bool) -> HttpError {
        let wait = wait.min(MAX_PAUSE);
        HttpError::RateLimited {
            host: host.to_string(),
            secs: wait.as_secs_f64().ceil() as u64,
            until: Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default(),
            status,
            repeat,
        }
    }

    /// Holds the host's requests for `wait`; `told` when the pause is being
    /// reported as it is set.
    fn push_gate(&self, host: &str, wait: Duration, told: bool) {
        let now = Instant::now();
        let until = now + wait.min(MAX_PAUSE);
        if let Ok(mut gates) = self.gates.lock() {
            let slot = gates.entry(host.to_string()).or_insert(Gate {
                until: now,
                told: false,
            });
            // A pause that had ended is a new one, to be reported anew; one
            // that is only made longer was reported already.
            if slot.until <= now {
                slot.told = false;
            }
            slot.until = slot.until.max(until);
            slot.told |= told;
        }
    }

    /// Spreads the requests left in a rate-limit window evenly over what is
    /// left of it, so outcry never reaches the limit: with 299 left and five
    /// minutes to go, one request a second; with none left, wait it out.
    fn note_rate_limit(&self, host: &str, resp: &Response) {
        let remaining = resp
            .header("x-ratelimit-remaining")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|r| r.is_finite());
        let reset = resp.header("x-ratelimit-reset").and_then(parse_reset);
        if let (Some(remaining), Some(reset)) = (remaining, reset) {
            let pace = if remaining < 1.0 {
                reset
            } else {
                reset.div_f64(remaining)
            };
            self.push_gate(host, pace, false);
        }
    }
}

/// `X-RateLimit-Reset` comes as seconds until the reset (Reddit), an
/// RFC 3339 time (Mastodon) or Unix seconds (elsewhere).
pub fn parse_reset(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(n) = value.parse::<f64>() {
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        if n > 1e9 {
            let until = n - Utc::now().timestamp() as f64;
            return Some(Duration::from_secs_f64(until.clamp(0.0, 86_400.0)));
        }
        return Some(Duration::from_secs_f64(n.min(86_400.0)));
    }
    let at = DateTime::parse_from_rfc3339(value).ok()?;
    let until = at.with_timezone(&Utc) - Utc::now();
    Some(until.to_std().unwrap_or_default())
}

/// `Retry-After`: seconds, or an HTTP date.
pub fn retry_after(resp: &Response) -> Option<Duration> {
    let value = resp.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - Utc::now())
            .to_std()
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::Sent;
    use super::*;
    use std::collections::VecDeque;

    /// Answers from a script and notes (paused) time of each request.
    struct Script {
        replies: Mutex<VecDeque<Result<Response, HttpError>>>,
        times: Mutex<Vec<Instant>>,
    }

    impl Transport for Script {
        fn send<'a>(&'a self, _req: &'a Request, _max: usize) -> Sent<'a> {
            Box::pin(async move {
                self.times.lock().unwrap().push(Instant::now());
                self.replies
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or_else(|| Ok(reply(200, &[])))
            })
        }
    }

    fn reply(status: u16, headers: &[(&str, &str)]) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: b"{}".to_vec(),
        }
    }

    fn polite(replies: Vec<Result<Response, HttpError>>) -> (Arc<Script>, Polite) {
        let script = Arc::new(Script {
            replies: Mutex::new(replies.into()),
            times: Mutex::new(Vec::new()),
        });
        let p = Polite::new(script.clone(), Limits::default(), Stop::never(), 7);
        (script, p)
    }

    fn gaps(script: &Script) -> Vec<Duration> {
        let t = script.times.lock().unwrap();
        t.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_waits_exactly_as_long_as_retry_after_says() {
        let (script, p) = polite(vec![Ok(reply(429, &[("retry-after", "120")]))]);
        let resp = p.fetch(&Request::get("http://h.test/x")).await.unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(gaps(&script), vec![Duration::from_secs(120)]);
    }

    #[tokio::test(start_paused = true)]
    async fn errors_back_off_exponentially_with_bounded_jitter() {
        let (script, p) = polite(vec![
            Ok(reply(500, &[])),
            Err(HttpError::Transport {
                url: "u".into(),
                reason: "timed out".into(),
            }),
            Ok(reply(502, &[])),
        ]);
        assert_eq!(
            p.fetch(&Request::get("http://h.test/x"))
                .await
                .unwrap()
                .status,
            200
        );
        let g = gaps(&script);
        assert_eq!(g.len(), 3);
        // 1 s, 2 s, 4 s, each between half and all of it.
        for (gap, full) in g.iter().zip([1000u64, 2000, 4000]) {
            let ms = gap.as_millis() as u64;
            assert!(ms >= full / 2 && ms <= full, "{ms} ms for {full} ms");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_nearly_spent_rate_limit_slows_the_next_request() {
        // Reddit's form: 2 requests left, reset in 60 s: one every 30 s.
        let (script, p) = polite(vec![Ok(reply(
            200,
            &[
                ("x-ratelimit-remaining", "2.0"),
                ("x-ratelimit-reset", "60"),
            ],
        ))]);
        p.fetch(&Request::get("http://h.test/a")).await.unwrap();
        p.fetch(&Request::get("http://h.test/b")).await.unwrap();
        assert_eq!(gaps(&script), vec![Duration::from_secs(30)]);
        // Another host is not held back.
        p.fetch(&Request::get("http://other.test/c")).await.unwrap();
        assert_eq!(gaps(&script)[1], Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn an_exhausted_limit_waits_for_the_reset_time() {
        let reset = (Utc::now() + chrono::Duration::seconds(90)).to_rfc3339();
        let (script, p) = polite(vec![Ok(reply(
            200,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &reset),
            ],
        ))]);
        p.fetch(&Request::get("http://h.test/a")).await.unwrap();
        p.fetch(&Request::get("http://h.test/b")).await.unwrap();
        let gap = gaps(&script)[0].as_secs();
        assert!((88..=90).contains(&gap), "{gap}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_longer_than_allowed_gives_up_for_the_round() {
        let (script, p) = polite(vec![Ok(reply(429, &[("retry-after", "7200")]))]);
        let e = p.fetch(&Request::get("http://h.test/x")).await.unwrap_err();
        assert!(
            matches!(
                &e,
                HttpError::RateLimited { host, secs: 7200, status: Some(429), repeat: false, .. }
                    if host == "h.test"
            ),
            "{e:?}"
        );
        let shown = e.to_string();
        assert!(
            shown.starts_with("h.test asks for a pause of 7200 s (HTTP 429), until "),
            "{shown}"
        );
        assert!(
            shown.ends_with(" UTC; its feeds are not asked before then"),
            "{shown}"
        );
        assert_eq!(script.times.lock().unwrap().len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_hosts_pause_is_reported_once_not_by_every_feed_each_round() {
        let (script, p) = polite(vec![Ok(reply(429, &[("retry-after", "3600")]))]);
        let first = p.fetch(&Request::get("http://h.test/a")).await.unwrap_err();
        assert!(
            matches!(
                first,
                HttpError::RateLimited {
                    repeat: false,
                    status: Some(429),
                    ..
                }
            ),
            "{first:?}"
        );
        // Another feed on the host, and the same feed next round: held back
        // without a request, as a repeat of the pause already said.
        tokio::time::advance(Duration::from_secs(60)).await;
        for url in ["http://h.test/b", "http://h.test/a"] {
            let e = p.fetch(&Request::get(url)).await.unwrap_err();
            assert!(
                matches!(
                    &e,
                    HttpError::RateLimited { host, secs: 3540, status: None, repeat: true, .. }
                        if host == "h.test"
                ),
                "{e:?}"
            );
        }
        assert_eq!(script.times.lock().unwrap().len(), 1);
        // Another host is not held back.
        p.fetch(&Request::get("http://other.test/c")).await.unwrap();
        // Once the pause is over, requests go again, and a new pause is a
        // new report.
        tokio::time::advance(Duration::from_secs(3600)).await;
        script
            .replies
            .lock()
            .unwrap()
            .push_back(Ok(reply(503, &[("retry-after", "1000")])));
        let again = p.fetch(&Request::get("http://h.test/b")).await.unwrap_err();
        assert!(
            matches!(
                again,
                HttpError::RateLimited {
                    secs: 1000,
                    status: Some(503),
                    repeat: false,
                    ..
                }
            ),
            "{again:?}"
        );
        let held = p.fetch(&Request::get("http://h.test/a")).await.unwrap_err();
        assert!(
            matches!(held, HttpError::RateLimited { repeat: true, .. }),
            "{held:?}"
        );
        assert_eq!(script.times.lock().unwrap().len(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_spent_rate_limit_longer_than_a_round_is_said_by_the_first_feed_it_holds() {
        let (_, p) = polite(vec![Ok(reply(
            200,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1800"),
            ],
        ))]);
        p.fetch(&Request::get("http://h.test/a")).await.unwrap();
        let first = p.fetch(&Request::get("http://h.test/b")).await.unwrap_err();
        assert!(
            matches!(
                first,
                HttpError::RateLimited {
                    secs: 1800,
                    status: None,
                    repeat: false,
                    ..
                }
            ),
            "{first:?}"
        );
        let next = p.fetch(&Request::get("http://h.test/a")).await.unwrap_err();
        assert!(
            matches!(next, HttpError::RateLimited { repeat: true, .. }),
            "{next:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn client_errors_are_final_and_repeated_failures_give_up() {
        let (_, p) = polite(vec![Ok(Response {
            status: 404,
            headers: vec![],
            body: br#"{"error":"Record not found"}"#.to_vec(),
        })]);
        let e = p.fetch(&Request::get("http://h.test/x")).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"http://h.test/x: HTTP 404: {"error":"Record not found"}"#
        );
        let (script, p) = polite((0..4).map(|_| Ok(reply(500, &[]))).collect());
        let e = p.fetch(&Request::get("http://h.test/x")).await.unwrap_err();
        assert!(matches!(e, HttpError::GaveUp { attempts: 4, .. }), "{e}");
        assert_eq!(script.times.lock().unwrap().len(), 4);
    }

    #[test]
    fn reset_headers_in_each_form() {
        assert_eq!(parse_reset("42"), Some(Duration::from_secs(42)));
        assert_eq!(parse_reset("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_reset("-3"), None);
        let past = (Utc::now() - chrono::Duration::seconds(5)).to_rfc3339();
        assert_eq!(parse_reset(&past), Some(Duration::ZERO));
        assert_eq!(parse_reset("soon"), None);
    }
}

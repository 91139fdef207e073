//! Whole-scenario checks on the bundled archive's generator.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::*;
use crate::lexicons::Lexicons;
use crate::post::RegionHints;
use crate::region::RegionResolver;

const SEED: u64 = 2012;

fn archive() -> &'static (Vec<u8>, Summary) {
    static ARCHIVE: OnceLock<(Vec<u8>, Summary)> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let mut bytes = Vec::new();
        let summary = generate(christmas::NAME, SEED, &mut bytes).expect("generates");
        (bytes, summary)
    })
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Stops a generation after `left` bytes, to compare beginnings cheaply.
struct Prefix {
    bytes: Vec<u8>,
    left: usize,
}

impl Write for Prefix {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("enough"));
        }
        let n = buf.len().min(self.left);
        self.bytes.extend_from_slice(&buf[..n]);
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn prefix(seed: u64, len: usize) -> Vec<u8> {
    let mut p = Prefix {
        bytes: Vec::new(),
        left: len,
    };
    let _ = generate(christmas::NAME, seed, &mut p);
    p.bytes
}

#[test]
fn unknown_scenarios_are_refused() {
    let err = write_scenario("nope", 1, &mut Vec::new()).expect_err("unknown");
    assert!(matches!(err, SynthError::UnknownScenario(s) if s == "nope"));
    assert_eq!(SCENARIOS[0], "christmas-eve-2012");
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let (bytes, summary) = archive();
    let mut again = Vec::new();
    let lines = write_scenario(christmas::NAME, SEED, &mut again).expect("generates");
    assert_eq!(lines, summary.lines);
    assert_eq!(fnv(&again), fnv(bytes));
    assert_eq!(again.len(), bytes.len());
    let other = prefix(SEED + 1, 200_000);
    assert_eq!(other.len(), 200_000);
    assert_ne!(other[..], bytes[..200_000]);
}

#[test]
fn every_sound_line_is_a_tweet_or_notice_with_matching_ids() {
    let (bytes, summary) = archive();
    let malformed: BTreeMap<u64, &str> =
        summary.malformed.iter().map(|m| (m.line, m.what)).collect();
    assert!((5..=10).contains(&malformed.len()), "{malformed:?}");
    let (start, end) = (christmas::START, christmas::END);
    let mut tweets = 0u64;
    let mut last_id = 0u64;
    let mut lines = 0u64;
    let mut seen = std::collections::BTreeSet::new();
    let mut duplicates = 0u64;
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = n as u64 + 1;
        if n > summary.lines {
            assert!(line.is_empty());
            break;
        }
        lines += 1;
        if line.is_empty() {
            continue;
        }
        let parsed = std::str::from_utf8(line)
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
        if malformed.contains_key(&n) {
            let rejectable = match &parsed {
                None => true,
                Some(v) => {
                    !v.is_object()
                        || v.get("id_str").is_none()
                        || v["created_at"].as_str().is_none_or(|s| {
                            chrono::DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y").is_err()
                        })
                }
            };
            assert!(rejectable, "line {n} should be damaged");
            continue;
        }
        let v = parsed.unwrap_or_else(|| panic!("line {n} does not parse"));
        if v.get("delete").is_some() {
            let s = &v["delete"]["status"];
            assert_eq!(
                s["id_str"].as_str(),
                Some(s["id"].as_u64().expect("id").to_string().as_str())
            );
            continue;
        }
        if v.get("limit").is_some() {
            assert!(v["limit"]["track"].as_u64().is_some());
            continue;
        }
        tweets += 1;
        check_tweet(&v, start, end, n);
        if v.get("retweeted_status").is_some() {
            check_tweet(&v["retweeted_status"], start, end, n);
        }
        // ids grow with time; only a duplicate repeats an earlier one
        let id = v["id"].as_u64().expect("id");
        if !seen.insert(id) {
            duplicates += 1;
        } else {
            assert!(id > last_id, "line {n}: ids go back in time");
            last_id = id;
        }
    }
    assert_eq!(lines, summary.lines);
    assert_eq!(tweets, summary.tweets + summary.duplicates);
    assert_eq!(duplicates, summary.duplicates);
}

fn check_tweet(v: &serde_json::Value, start: i64, end: i64, n: u64) {
    let id = v["id"].as_u64().expect("numeric id");
    assert_eq!(
        v["id_str"].as_str(),
        Some(id.to_string().as_str()),
        "line {n}"
    );
    assert!((2.7e17..2.9e17).contains(&(id as f64)), "line {n}: id {id}");
    let created = v["created_at"].as_str().expect("created_at");
    let t = chrono::DateTime::parse_from_str(created, "%a %b %d %H:%M:%S %z %Y")
        .unwrap_or_else(|e| panic!("line {n}: {created:?}: {e}"));
    assert!(created.ends_with(" +0000 2012"));
    assert!((start..end).contains(&t.timestamp()), "line {n}: {created}");
    let user = &v["user"];
    assert_eq!(
        user["id_str"].as_str(),
        Some(user["id"].as_u64().expect("user id").to_string().as_str())
    );
    let text = v["text"].as_str().expect("text");
    let plain = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    assert!(plain.chars().count() <= 140, "line {n}: {plain}");
    assert!(
        !plain.contains('<') || text.contains("&lt;"),
        "line {n}: unescaped <"
    );
    let chars: Vec<char> = text.chars().collect();
    for h in v["entities"]["hashtags"].as_array().expect("hashtags") {
        let [a, b] = [
            h["indices"][0].as_u64().expect("a") as usize,
            h["indices"][1].as_u64().expect("b") as usize,
        ];
        let slice: String = chars[a..b].iter().collect();
        assert_eq!(
            slice,
            format!("#{}", h["text"].as_str().expect("tag")),
            "line {n}"
        );
    }
    for m in v["entities"]["user_mentions"].as_array().expect("mentions") {
        let [a, b] = [
            m["indices"][0].as_u64().expect("a") as usize,
            m["indices"][1].as_u64().expect("b") as usize,
        ];
        let slice: String = chars[a..b].iter().collect();
        assert!(
            slice.eq_ignore_ascii_case(&format!("@{}", m["screen_name"].as_str().expect("name"))),
            "line {n}"
        );
        assert_eq!(
            m["id_str"].as_str(),
            Some(m["id"].as_u64().expect("id").to_string().as_str())
        );
    }
    if let Some(place) = v["place"].as_object() {
        assert_eq!(place["country_code"].as_str().map(str::len), Some(2));
    }
    assert!(["en", "es", "pt", "fr"].contains(&v["lang"].as_str().expect("lang")));
}

#[test]
fn the_outage_stands_out_and_follows_the_story() {
    let (_, s) = archive();
    let hour = |d: i64, h: i64| 1_355_702_400 + ((d - 17) * 24 + h) * 3600;
    let complaints = |t: i64| s.complaints_by_hour.get(&t).copied().unwrap_or(0);
    let mut before: Vec<u64> = (0..(7 * 24 + 20))
        .map(|h| complaints(1_355_702_400 + h * 3600))
        .collect();
    before.sort_unstable();
    let typical = before[before.len() / 2].max(1);
    let peak = s.complaints_by_hour.values().copied().max().unwrap_or(0);
    assert!(peak >= 10 * typical, "peak {peak} vs typical {typical}");
    assert!(peak >= 1000, "peak {peak}");
    // the peak is in the American evening, and it is over by the 25th's afternoon
    let peak_hour = s
        .complaints_by_hour
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(t, _)| *t)
        .unwrap_or(0);
    assert!(
        (hour(25, 0)..=hour(25, 6)).contains(&peak_hour),
        "{peak_hour}"
    );
    assert!(complaints(hour(24, 19)) < 5 * typical);
    // a tail of late retweets after the fix, nothing like the night
    assert!(
        complaints(hour(25, 19)) * 50 < peak,
        "{}",
        complaints(hour(25, 19))
    );
    assert!(complaints(hour(25, 14)) > 5 * typical, "Christmas morning");
    // who complained
    let by = |k: &str| s.complaints_by_region.get(k).copied().unwrap_or(0);
    assert!(by("US") > 5 * by("CA"));
    assert!(by("CA") + by("CA-QC") > by("BR") && by("BR") > by("MX") && by("MX") > by("AR"));
    // regions not hit only grumble as usual: about one Netflix post in
    // twelve, against most of them in the US
    let posts = |k: &str| s.netflix_by_region.get(k).copied().unwrap_or(0);
    for unhit in ["GB", "IE", "SE", "NO", "DK", "FI"] {
        assert!(
            by(unhit) * 6 <= posts(unhit) + 6,
            "{unhit}: {} of {}",
            by(unhit),
            posts(unhit)
        );
    }
    assert!(by("US") * 3 > posts("US") * 2);
    assert!(s.duplicates > 0 && s.deletes > 0 && s.limits > 0 && s.blank > 0);
    assert!(s.retweets > 0);
}

#[test]
fn each_region_s_accounts_resolve_to_its_country() {
    let resolver = RegionResolver::new(&Lexicons::embedded()).expect("lexicons");
    let mut dice = dice::Dice::new(99);
    let pop = population::Population::build(profiles::REGIONS, 1.0, &mut dice);
    for (r, region) in profiles::REGIONS.iter().enumerate() {
        let mut right = 0usize;
        let mut unknown = 0usize;
        let members: Vec<_> = pop.personas.iter().filter(|p| p.region == r).collect();
        for p in &members {
            let hints = RegionHints {
                country_code: None,
                time_zone: p.user.time_zone.clone(),
                utc_offset: p.user.utc_offset,
                location: Some(p.user.location.clone()).filter(|l| !l.is_empty()),
            };
            let got = resolver.resolve(&hints);
            if got.country == region.country {
                right += 1;
            } else if got.is_unknown() {
                unknown += 1;
            }
        }
        let share = right as f64 / members.len() as f64;
        println!(
            "{:<6} {:>5} accounts: {:.1}% resolve to {}, {} unknown",
            region.key,
            members.len(),
            share * 100.0,
            region.country,
            unknown
        );
        let floor = match region.key {
            "CA" | "CA-QC" => 0.8,
            _ => 0.85,
        };
        assert!(
            share >= floor,
            "{}: {share:.3} right, {unknown} unknown of {}",
            region.key,
            members.len()
        );
        assert!(
            (unknown as f64) < 0.1 * members.len() as f64,
            "{}: {unknown}",
            region.key
        );
    }
}

//! The `random` synthetic scenario: six weeks of ordinary traffic for three
//! services with several incidents of different shapes laid on top, and the
//! truth about them.
//!
//! Detection quality is a number to measure: this scenario is what it is
//! measured on. Ordinary traffic follows people's days in each region's own
//! time (quiet nights, busy evenings, busier weekends, a little day-to-day
//! wobble); incidents come in four shapes (a sudden break, a slow ramp, a
//! short spike, an outage lasting days), hit one to four regions one after
//! another, and bring complaints, some of them retweeted. The archive is
//! tweet JSON lines (API v1.1) that `outcry import` reads like any other;
//! [`write`] returns the truth, which the caller writes beside the archive
//! ([`crate::detect::truth::sidecar_path`]).

use std::io::{self, Write};

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::detect::truth::{TrueIncident, Truth};

pub const SCENARIO: &str = "random";
const DAYS: i64 = 42;
/// Share of ordinary posts that are complaints.
const COMPLAINT_SHARE: f64 = 0.12;
/// Incidents bring at least this many extra complaints an hour (spread over
/// the regions hit), however small the service.
const EXCESS_FLOOR: f64 = 10.0;

struct Service {
    name: &'static str,
    display: &'static str,
    /// Ordinary posts per hour at an average hour.
    posts_per_hour: f64,
    /// (region, share of the service's posts).
    regions: &'static [(&'static str, f64)],
}

const SERVICES: [Service; 3] = [
    Service {
        name: "netflix",
        display: "Netflix",
        posts_per_hour: 30.0,
        regions: &[
            ("US", 0.45),
            ("CA", 0.08),
            ("GB", 0.10),
            ("BR", 0.12),
            ("MX", 0.08),
            ("AR", 0.04),
            ("unknown", 0.13),
        ],
    },
    Service {
        name: "hulu",
        display: "Hulu",
        posts_per_hour: 8.0,
        regions: &[("US", 0.8), ("unknown", 0.2)],
    },
    Service {
        name: "hbo",
        display: "HBO GO",
        posts_per_hour: 3.0,
        regions: &[
            ("US", 0.6),
            ("CA", 0.05),
            ("MX", 0.1),
            ("BR", 0.1),
            ("unknown", 0.15),
        ],
    },
];

/// Hours from UTC, and the languages people there write in.
fn region_info(region: &str) -> (i64, &'static [(&'static str, f64)]) {
    match region {
        "US" => (-6, &[("en", 0.92), ("es", 0.08)]),
        "CA" => (-5, &[("en", 0.75), ("fr", 0.25)]),
        "GB" => (0, &[("en", 1.0)]),
        "BR" => (-3, &[("pt", 1.0)]),
        "MX" => (-6, &[("es", 1.0)]),
        "AR" => (-3, &[("es", 1.0)]),
        _ => (-5, &[("en", 0.85), ("es", 0.15)]),
    }
}

/// Activity by local hour: quiet nights, busy evenings (mean 1).
const ACTIVITY: [f64; 24] = [
    0.62, 0.40, 0.25, 0.17, 0.14, 0.17, 0.30, 0.52, 0.74, 0.88, 0.97, 1.06, 1.15, 1.15, 1.15, 1.24,
    1.33, 1.50, 1.77, 1.95, 2.12, 2.12, 1.77, 1.15,
];

fn activity(utc: DateTime<Utc>, offset_hours: i64) -> f64 {
    let local = utc + Duration::hours(offset_hours);
    let hour = local.timestamp().div_euclid(3600).rem_euclid(24) as usize;
    // 1970-01-01 was a Thursday: day 2 and 3 of the week from there are
    // Saturday and Sunday.
    let weekday = local.timestamp().div_euclid(86_400).rem_euclid(7);
    let weekend = if weekday == 2 || weekday == 3 {
        1.35
    } else {
        1.0
    };
    ACTIVITY[hour] * weekend
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Sudden,
    Ramp,
    Spike,
    MultiDay,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Sudden => "sudden",
            Shape::Ramp => "ramp",
            Shape::Spike => "spike",
            Shape::MultiDay => "multi_day",
        }
    }
}

struct Planned {
    service: usize,
    shape: Shape,
    start: DateTime<Utc>,
    /// Hours: rise, full strength, fall.
    rise: f64,
    hold: f64,
    fall: f64,
    /// Extra complaints per ordinary post at full strength.
    amplitude: f64,
    /// (region, hours after the start it is hit, share of the floor).
    regions: Vec<(&'static str, f64, f64)>,
}

impl Planned {
    fn length(&self) -> f64 {
        self.rise + self.hold + self.fall
    }

    /// Strength (0–1) at `hours` after a region was hit.
    fn strength(&self, hours: f64) -> f64 {
        if hours < 0.0 || hours >= self.length() {
            0.0
        } else if hours < self.rise {
            (hours / self.rise).max(0.1)
        } else if hours < self.rise + self.hold {
            1.0
        } else {
            1.0 - (hours - self.rise - self.hold) / self.fall
        }
    }
}

/// The random draws that fix a seed's archive before any post is written.
fn setup(seed: u64) -> (ChaCha8Rng, DateTime<Utc>, Vec<f64>, Vec<Planned>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x05EE_D0F0u64);
    let start = Utc
        .with_ymd_and_hms(2013, 3, 4, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let scale: Vec<f64> = SERVICES.iter().map(|_| rng.gen_range(0.7..1.4)).collect();
    let plans = plan_incidents(&mut rng, start);
    (rng, start, scale, plans)
}

/// The truth of the archive `write` produces for `seed`, without writing it.
pub fn truth(seed: u64) -> Truth {
    let (_, start, _, plans) = setup(seed);
    truth_of(seed, start, &plans)
}

/// For `synth::generate`: the archive, summarised as the other scenarios are.
pub fn write_summary(
    seed: u64,
    out: &mut dyn Write,
) -> Result<crate::synth::Summary, crate::synth::SynthError> {
    let (_, lines, retweets) = generate(seed, out)?;
    Ok(crate::synth::Summary {
        scenario: SCENARIO.to_string(),
        seed,
        lines,
        tweets: lines,
        retweets,
        ..Default::default()
    })
}

/// Writes the scenario for `seed` as tweet JSON lines and returns its truth.
pub fn write(seed: u64, out: &mut dyn Write) -> io::Result<Truth> {
    generate(seed, out).map(|(truth, _, _)| truth)
}

/// The archive; its truth, lines and retweets.
fn generate(seed: u64, out: &mut dyn Write) -> io::Result<(Truth, u64, u64)> {
    let (mut rng, start, scale, plans) = setup(seed);
    let mut retweets = 0u64;

    let mut lines: Vec<(i64, u64, String)> = Vec::new();
    let mut next_id: u64 = 310_000_000_000_000_000 + seed % 1000 * 1_000_000_000;
    let mut originals: Vec<Vec<(u64, String, String, &'static str)>> =
        vec![Vec::new(); plans.len()];
    for day in 0..DAYS {
        let wobble: Vec<f64> = SERVICES.iter().map(|_| rng.gen_range(0.88..1.12)).collect();
        for hour in 0..24 {
            let t0 = start + Duration::hours(day * 24 + hour);
            for (si, service) in SERVICES.iter().enumerate() {
                for &(region, share) in service.regions {
                    let (offset, langs) = region_info(region);
                    let rate = service.posts_per_hour
                        * scale[si]
                        * wobble[si]
                        * share
                        * activity(t0 + Duration::minutes(30), offset);
                    for _ in 0..poisson(&mut rng, rate) {
                        let at = t0 + Duration::seconds(rng.gen_range(0..3600));
                        let lang = pick_weighted(&mut rng, langs);
                        let complaint = rng.gen_bool(COMPLAINT_SHARE);
                        let text = compose(&mut rng, service, lang, complaint);
                        next_id += 1;
                        lines.push(tweet(next_id, at, &text, lang, region, None));
                    }
                    for (pi, plan) in plans.iter().enumerate() {
                        if plan.service != si {
                            continue;
                        }
                        let Some(&(_, lag, floor_share)) =
                            plan.regions.iter().find(|(r, _, _)| *r == region)
                        else {
                            continue;
                        };
                        let hit = plan.start + Duration::minutes((lag * 60.0) as i64);
                        let since = |t: DateTime<Utc>| (t - hit).num_seconds() as f64 / 3600.0;
                        // The hour's mean strength, from four quarter-hours.
                        let strength: f64 = (0..4)
                            .map(|q| plan.strength(since(t0 + Duration::minutes(7 + 15 * q))))
                            .sum::<f64>()
                            / 4.0;
                        if strength <= 0.0 {
                            continue;
                        }
                        let floor = EXCESS_FLOOR * floor_share;
                        let floor = if plan.shape == Shape::MultiDay {
                            floor * activity(t0, offset)
                        } else {
                            floor
                        };
                        let excess = strength * (plan.amplitude * rate).max(floor);
                        for _ in 0..poisson(&mut rng, excess) {
                            // Times follow the strength within the hour.
                            let mut at = t0;
                            for _ in 0..32 {
                                at = t0 + Duration::seconds(rng.gen_range(0..3600));
                                if rng.gen::<f64>() < plan.strength(since(at)) {
                                    break;
                                }
                            }
                            next_id += 1;
                            let pool = &mut originals[pi];
                            if !pool.is_empty() && rng.gen_bool(0.2) {
                                let (oid, otext, oregion, olang) =
                                    pool[rng.gen_range(0..pool.len())].clone();
                                let original = tweet(oid, at, &otext, olang, &oregion, None);
                                retweets += 1;
                                lines.push(tweet(
                                    next_id,
                                    at,
                                    &otext,
                                    olang,
                                    region,
                                    Some(&original.2),
                                ));
                            } else {
                                let lang = pick_weighted(&mut rng, langs);
                                let text = compose(&mut rng, service, lang, true);
                                if pool.len() < 50 {
                                    pool.push((next_id, text.clone(), region.to_string(), lang));
                                }
                                lines.push(tweet(next_id, at, &text, lang, region, None));
                            }
                        }
                    }
                }
            }
        }
    }
    lines.sort_by_key(|a| (a.0, a.1));
    for (_, _, line) in &lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }

    Ok((truth_of(seed, start, &plans), lines.len() as u64, retweets))
}

fn truth_of(seed: u64, start: DateTime<Utc>, plans: &[Planned]) -> Truth {
    let incidents = plans
        .iter()
        .map(|p| {
            let mut regions: Vec<&(&str, f64, f64)> =
                p.regions.iter().filter(|r| r.0 != "unknown").collect();
            regions.sort_by(|a, b| a.1.total_cmp(&b.1));
            let last_lag = p.regions.iter().map(|r| r.1).fold(0.0, f64::max);
            TrueIncident {
                topic: SERVICES[p.service].name.to_string(),
                shape: p.shape.name().to_string(),
                start: p.start,
                end: p.start + Duration::minutes(((p.length() + last_lag) * 60.0) as i64),
                regions: regions.iter().map(|r| r.0.to_string()).collect(),
            }
        })
        .collect();
    Truth {
        scenario: SCENARIO.to_string(),
        seed,
        from: start,
        to: start + Duration::days(DAYS),
        topics: SERVICES.iter().map(|s| s.name.to_string()).collect(),
        incidents,
    }
}

/// Six to eight incidents, at least a day apart within a service, none in
/// the first week (the baseline needs some history to stand on).
fn plan_incidents(rng: &mut ChaCha8Rng, start: DateTime<Utc>) -> Vec<Planned> {
    let wanted = rng.gen_range(6..=8);
    let shapes = [Shape::Sudden, Shape::Ramp, Shape::Spike, Shape::MultiDay];
    let mut plans: Vec<Planned> = Vec::new();
    let mut attempts = 0;
    while plans.len() < wanted && attempts < 500 {
        attempts += 1;
        let service = pick_weighted(rng, &[(0usize, 0.5), (1, 0.25), (2, 0.25)]);
        // Every shape at least once per archive, then at random.
        let shape = if plans.len() < shapes.len() {
            shapes[plans.len()]
        } else {
            shapes[rng.gen_range(0..shapes.len())]
        };
        let (rise, hold, fall, amplitude) = match shape {
            Shape::Sudden => (0.25, rng.gen_range(4.0..12.0), 1.5, rng.gen_range(0.5..1.5)),
            Shape::Ramp => (
                rng.gen_range(4.0..8.0),
                rng.gen_range(2.0..6.0),
                2.0,
                rng.gen_range(0.5..1.2),
            ),
            Shape::Spike => (0.1, rng.gen_range(2.0..3.0), 0.5, rng.gen_range(1.0..3.0)),
            Shape::MultiDay => (1.0, rng.gen_range(30.0..72.0), 3.0, rng.gen_range(0.3..0.8)),
        };
        let minutes = rng.gen_range(7 * 24 * 60..(DAYS - 4) * 24 * 60);
        let begin = start + Duration::minutes(minutes);
        let length = Duration::minutes(((rise + hold + fall + 6.0) * 60.0) as i64);
        let clash = plans.iter().any(|p| {
            p.service == service
                && begin
                    < p.start
                        + Duration::minutes(((p.length() + 6.0) * 60.0) as i64)
                        + Duration::hours(24)
                && p.start < begin + length + Duration::hours(24)
        });
        if clash {
            continue;
        }
        let candidates: Vec<&'static str> = SERVICES[service]
            .regions
            .iter()
            .map(|r| r.0)
            .filter(|r| *r != "unknown")
            .collect();
        let hit = rng.gen_range(1..=candidates.len().min(4));
        let mut chosen: Vec<&'static str> = Vec::new();
        while chosen.len() < hit {
            let r = candidates[rng.gen_range(0..candidates.len())];
            if !chosen.contains(&r) {
                chosen.push(r);
            }
        }
        let mut regions = Vec::new();
        let mut lag = 0.0;
        let weight = 1.0 / chosen.len() as f64;
        for (i, r) in chosen.iter().enumerate() {
            if i > 0 {
                lag += rng.gen_range(0.0..2.0);
            }
            regions.push((*r, lag, weight));
        }
        // People whose location is unknown live in the regions hit too.
        if chosen.contains(&"US") {
            regions.push(("unknown", 0.0, 0.2));
        }
        plans.push(Planned {
            service,
            shape,
            start: begin,
            rise,
            hold,
            fall,
            amplitude,
            regions,
        });
    }
    plans.sort_by_key(|p| p.start);
    plans
}

fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|i| i.1).sum();
    let mut target = rng.gen::<f64>() * total;
    for (item, w) in items {
        if target < *w {
            return *item;
        }
        target -= w;
    }
    items[items.len() - 1].0
}

/// A Poisson count: by inversion for small means, a rounded normal for
/// large ones.
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    if mean > 40.0 {
        let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
        let u2: f64 = rng.gen();
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        return (mean + z * mean.sqrt()).round().max(0.0) as u64;
    }
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p: f64 = rng.gen();
    while p > limit && k < 1000 {
        p *= rng.gen::<f64>();
        k += 1;
    }
    k
}

/// Complaints and ordinary mentions, by language. `{}` is the service's
/// name; `#` marks where its hashtag form goes (`#NetflixDown`).
const COMPLAINTS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "{} is down",
            "is {} down for anyone else?",
            "{} not working on my xbox",
            "ugh {} keeps crashing",
            "{} won't load anything",
            "{} error again, can't watch anything",
            "#Down what is going on",
        ],
    ),
    (
        "es",
        &[
            "{} no funciona",
            "se cayó {} otra vez",
            "{} no funciona nada",
        ],
    ),
    ("pt", &["{} caiu", "{} caiu de novo", "#ForaDoAr de novo"]),
    ("fr", &["{} est en panne", "{} ne marche pas ce soir"]),
];

const MENTIONS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "watching {} tonight",
            "just started a new show on {}",
            "{} and pizza, great evening",
            "anyone have {} recommendations?",
            "finally finished that series on {}",
        ],
    ),
    ("es", &["viendo {} esta noche", "una serie nueva en {}"]),
    ("pt", &["assistindo {} hoje", "maratona de série no {}"]),
    (
        "fr",
        &["je regarde {} ce soir", "une nouvelle série sur {}"],
    ),
];

const SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    " tonight",
    " again",
    " on the ps3",
    " smh",
    " :(",
];

fn compose(rng: &mut ChaCha8Rng, service: &Service, lang: &str, complaint: bool) -> String {
    let table = if complaint { COMPLAINTS } else { MENTIONS };
    let templates = table
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, t)| *t)
        .unwrap_or(table[0].1);
    let template = templates[rng.gen_range(0..templates.len())];
    let mut text = render(template, service);
    if complaint && lang == "en" {
        text.push_str(SUFFIXES[rng.gen_range(0..SUFFIXES.len())]);
    }
    text
}

fn render(template: &str, service: &Service) -> String {
    let tag: String = service.display.split_whitespace().collect();
    template
        .replace('#', &format!("#{tag}"))
        .replace("{}", service.display)
}

/// One tweet line; a retweet when `original` (its JSON) is given.
fn tweet(
    id: u64,
    at: DateTime<Utc>,
    text: &str,
    lang: &str,
    region: &str,
    original: Option<&str>,
) -> (i64, u64, String) {
    let hashtags: Vec<serde_json::Value> = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('#'))
        .map(|h| json!({"text": h.trim_end_matches(|c: char| !c.is_alphanumeric()), "indices": [0, 0]}))
        .collect();
    let user = format!("{}{}", region.to_lowercase(), id % 997);
    let place =
        (region != "unknown").then(|| json!({"country_code": region, "place_type": "city"}));
    let mut value = json!({
        "created_at": at.format("%a %b %d %H:%M:%S +0000 %Y").to_string(),
        "id": id,
        "id_str": id.to_string(),
        "text": match original { Some(_) => format!("RT @someone: {text}"), None => text.to_string() },
        "user": {"id": id % 997, "id_str": (id % 997).to_string(), "screen_name": user},
        "place": place,
        "entities": {"hashtags": hashtags, "urls": [], "user_mentions": []},
        "lang": lang,
    });
    if let Some(o) = original.and_then(|o| serde_json::from_str::<serde_json::Value>(o).ok()) {
        value["retweeted_status"] = o;
    }
    (at.timestamp_millis(), id, value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicons::Lexicons;
    use crate::pipeline::Pipeline;
    use crate::sources::{twitter_v1, LineOutcome};

    /// Every text the scenario writes is read by the real pipeline as meant:
    /// it mentions the service, and it is a complaint exactly when it should
    /// be. Otherwise the truth would not be the truth.
    #[test]
    fn every_template_is_tagged_as_intended() {
        let pipeline = Pipeline::new(&Lexicons::default()).unwrap();
        for service in &SERVICES {
            let topic = pipeline
                .topics()
                .iter()
                .position(|t| t.name == service.name)
                .unwrap();
            for (complaint, table) in [(true, COMPLAINTS), (false, MENTIONS)] {
                for (lang, templates) in table {
                    for template in *templates {
                        let suffixes: &[&str] = if complaint && *lang == "en" {
                            SUFFIXES
                        } else {
                            &[""]
                        };
                        for suffix in suffixes {
                            let text = format!("{}{suffix}", render(template, service));
                            let line =
                                tweet(1, Utc::now() - Duration::days(1), &text, lang, "US", None).2;
                            let LineOutcome::Post(post) = twitter_v1::parse_line(line.as_bytes())
                            else {
                                panic!("not a post: {line}");
                            };
                            let a = pipeline
                                .analyse(&post)
                                .unwrap_or_else(|| panic!("no topic in {text:?}"));
                            assert!(a.topics.contains(&topic), "{text:?}");
                            assert_eq!(a.complaint, complaint, "{text:?} ({lang})");
                            assert_eq!(a.region.country, "US");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_archive_and_truth() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let ta = write(7, &mut a).unwrap();
        let tb = write(7, &mut b).unwrap();
        assert_eq!(ta, tb);
        assert_eq!(truth(7), ta);
        assert!(a == b);
        assert!((6..=8).contains(&ta.incidents.len()));
        let shapes: Vec<&str> = ta.incidents.iter().map(|i| i.shape.as_str()).collect();
        for shape in ["sudden", "ramp", "spike", "multi_day"] {
            assert!(shapes.contains(&shape), "{shapes:?}");
        }
        for i in &ta.incidents {
            assert!(
                i.start >= ta.from + Duration::days(7) && i.end <= ta.to,
                "{i:?}"
            );
            assert!(!i.regions.is_empty());
        }
        let mut c = Vec::new();
        write(8, &mut c).unwrap();
        assert!(a != c);
    }
}

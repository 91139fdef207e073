//! The `load` scenario: a large archive shaped like the real 1 % stream, for
//! measuring import speed.
//!
//! The bundled archive is small and tells a story; a benchmark needs the
//! opposite: millions of lines as heavy as the stream's (about 3 KB each,
//! full user objects, some retweets carrying their original, some extended
//! tweets), of which only about 1 % mention a topic, so that reading and
//! skipping dominate as they do on real data. It reuses the accounts, the
//! phrasebooks and the tweet writer of the story scenarios, and writes each
//! line as soon as it is drawn, so memory does not grow with `--posts`.

use std::io::Write;

use super::dice::Dice;
use super::population::Population;
use super::profiles::{GeoPlace, REGIONS};
use super::text::{book, Kind, Season, Writer};
use super::tweet::{
    build, build_retweet, entities, escape_html, snowflake, Handle, PlaceJson, TweetJson, TweetSpec,
};
use super::{Summary, SynthError};
use crate::lang::Lang;

pub const NAME: &str = "load";
/// Posts written when the caller does not say.
pub const DEFAULT_POSTS: u64 = 100_000;

/// 2012-12-01T00:00:00Z: posts are spread evenly over the 31 days after.
const START_MS: i64 = 1_354_320_000_000;
const SPAN_MS: i64 = 31 * 86_400_000;
/// Share of posts mentioning Netflix, and of those written as complaints.
const TOPIC_SHARE: f64 = 0.01;
const COMPLAINT_SHARE: f64 = 0.4;
const RETWEET_SHARE: f64 = 0.3;
const EXTENDED_SHARE: f64 = 0.1;
const GEO_SHARE: f64 = 0.05;

/// Writes `posts` tweets (a retweet counts as one) to `out`.
pub fn write(seed: u64, posts: u64, out: &mut dyn Write) -> Result<Summary, SynthError> {
    let mut root = Dice::new(seed);
    let population = Population::build(REGIONS, 1.0, &mut root.fork(1));
    let mut dice = root.fork(2);
    let brands = brand_handles();
    let friends: Vec<Vec<Handle>> = (0..REGIONS.len())
        .map(|r| {
            population
                .personas
                .iter()
                .filter(|p| p.region == r)
                .take(200)
                .map(|p| p.handle())
                .collect()
        })
        .collect();
    let mut summary = Summary {
        scenario: NAME.to_string(),
        seed,
        ..Summary::default()
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut line = Vec::with_capacity(16 * 1024);
    let people = population.personas.len() as u64;
    for i in 0..posts {
        let ms = START_MS + (i as i128 * SPAN_MS as i128 / posts.max(1) as i128) as i64;
        let kind = if dice.chance(TOPIC_SHARE) {
            if dice.chance(COMPLAINT_SHARE) {
                Kind::NetflixGripe
            } else {
                Kind::Netflix
            }
        } else {
            Kind::Chatter
        };
        let author = &population.personas[dice.below(people) as usize];
        let writer = Writer {
            book: book(author.lang),
            friends: &friends[author.region],
            brands: &for_lang(&brands, author.lang),
            services: REGIONS[author.region].service_names,
        };
        let composed = writer.compose(kind, Season::After, &mut dice);
        let id = snowflake(ms, i & 0x3FF, i >> 10);
        let place = (author.user.geo_enabled && dice.chance(GEO_SHARE))
            .then(|| place_json(dice.pick(REGIONS[author.region].geo)));
        let extended = dice.chance(EXTENDED_SHARE);
        let full = if extended {
            let tail = writer.compose(Kind::Chatter, Season::After, &mut dice);
            format!("{} {}", composed.text, tail.text)
        } else {
            composed.text.clone()
        };
        let spec = TweetSpec {
            ms,
            id,
            text: &composed.text,
            source: author.source,
            user: &author.user,
            lang: author.lang.code(),
            place,
            handles: &composed.handles,
            reply_to: None,
            retweet_count: 0,
        };
        let retweeter = dice
            .chance(RETWEET_SHARE)
            .then(|| &population.personas[dice.below(people) as usize]);
        let json: TweetJson = match retweeter {
            Some(rt_user) => {
                let original = build(&TweetSpec {
                    ms: ms - 60_000 - dice.below(3_600_000) as i64,
                    id: snowflake(ms - 60_000, 0x3FF, i & 0xFFF),
                    retweet_count: 1 + dice.below(40) as u32,
                    ..spec
                });
                build_retweet(
                    &TweetSpec {
                        user: &rt_user.user,
                        source: rt_user.source,
                        place: None,
                        handles: &[],
                        ..spec
                    },
                    original,
                )
            }
            None => build(&spec),
        };
        line.clear();
        serde_json::to_writer(&mut line, &json).map_err(std::io::Error::from)?;
        enrich(
            &mut line,
            ms,
            id,
            extended.then_some((&full, &composed.handles)),
        );
        line.push(b'\n');
        out.write_all(&line)?;
        summary.lines += 1;
        summary.tweets += 1;
        summary.retweets += retweeter.is_some() as u64;
        *summary.by_kind.entry(kind.name()).or_default() += 1;
        summary.netflix_posts += kind.is_netflix() as u64;
        summary.netflix_complaints += kind.is_netflix_complaint() as u64;
    }
    out.flush()?;
    Ok(summary)
}

/// The profile fields a real v1.1 `user` object carried beyond those the
/// story scenarios write (which stop at `verified`).
const USER_EXTRAS: &str = r#","url":null,"protected":false,"listed_count":3,"favourites_count":1204,"contributors_enabled":false,"is_translator":false,"profile_background_color":"C0DEED","profile_background_image_url":"http://a0.twimg.com/images/themes/theme1/bg.png","profile_background_image_url_https":"https://si0.twimg.com/images/themes/theme1/bg.png","profile_background_tile":false,"profile_image_url":"http://a0.twimg.com/profile_images/2901837465/a8f3c0e1b2d4_normal.jpeg","profile_image_url_https":"https://si0.twimg.com/profile_images/2901837465/a8f3c0e1b2d4_normal.jpeg","profile_banner_url":"https://si0.twimg.com/profile_banners/123456789/1355000000","profile_link_color":"0084B4","profile_sidebar_border_color":"C0DEED","profile_sidebar_fill_color":"DDEEF6","profile_text_color":"333333","profile_use_background_image":true,"default_profile":true,"default_profile_image":false,"following":null,"follow_request_sent":null,"notifications":null"#;

/// Pads a serialised tweet to the stream's real shape: fuller user objects
/// (every one in the line, the retweeted author's too), the later API's
/// counters, and for an extended tweet its `extended_tweet` with the whole
/// text.
fn enrich(line: &mut Vec<u8>, ms: i64, id: u64, extended: Option<(&String, &Vec<Handle>)>) {
    // `,"verified":` cannot occur inside a JSON string, whose quotes are
    // escaped, so each match closes a user object a few bytes later.
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&line[from..], b",\"verified\":") {
        let start = from + at;
        let Some(close) = memchr::memchr(b'}', &line[start..]) else {
            break;
        };
        let close = start + close;
        line.splice(close..close, USER_EXTRAS.bytes());
        from = close + USER_EXTRAS.len();
    }
    if line.last() != Some(&b'}') {
        return;
    }
    line.pop();
    let _ = write!(
        line,
        r#","quote_count":0,"reply_count":0,"favorite_count":0,"is_quote_status":false,"possibly_sensitive":false,"timestamp_ms":"{ms}","contributors_enabled":false,"withheld_in_countries":[],"display_text_range":[0,140],"id_hint":"{id:x}""#
    );
    if let Some((full, handles)) = extended {
        let escaped = escape_html(full);
        let n = escaped.chars().count();
        let extended = ExtendedJson {
            full_text: &escaped,
            display_text_range: [0, n],
            entities: entities(&escaped, handles),
        };
        line.extend_from_slice(br#","extended_tweet":"#);
        let _ = serde_json::to_writer(&mut *line, &extended);
    }
    line.push(b'}');
}

#[derive(serde::Serialize)]
struct ExtendedJson<'a> {
    full_text: &'a str,
    display_text_range: [usize; 2],
    entities: super::tweet::Entities,
}

fn brand_handles() -> Vec<Handle> {
    let h = |screen_name: &str, name: &str, id: u64| Handle {
        screen_name: screen_name.into(),
        name: name.into(),
        id,
    };
    vec![
        h("Netflix", "Netflix", 906_111),
        h("Netflixhelps", "Netflix Help", 907_222),
        h("NetflixLAT", "Netflix Latinoamérica", 908_333),
        h("NetflixBrasil", "Netflix Brasil", 909_444),
    ]
}

fn for_lang(brands: &[Handle], lang: Lang) -> Vec<Handle> {
    let local = match lang {
        Lang::En | Lang::Fr => "Netflixhelps",
        Lang::Es => "NetflixLAT",
        Lang::Pt => "NetflixBrasil",
    };
    brands
        .iter()
        .filter(|h| h.screen_name == "Netflix" || h.screen_name == local)
        .cloned()
        .collect()
}

fn place_json(p: &'static GeoPlace) -> PlaceJson {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in p.full_name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let id = format!("{h:016x}");
    PlaceJson {
        url: format!("https://api.twitter.com/1.1/geo/id/{id}.json"),
        id,
        place_type: "city",
        name: p.name,
        full_name: p.full_name,
        country_code: p.country_code,
        country: p.country,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{twitter_v1, LineOutcome};

    #[test]
    fn every_line_is_a_tweet_the_reader_accepts() {
        let mut out = Vec::new();
        let s = write(7, 400, &mut out).unwrap();
        assert_eq!(s.lines, 400);
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 400);
        let mut extended = 0;
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            serde_json::from_slice::<serde_json::Value>(line).unwrap();
            assert!(matches!(twitter_v1::parse_line(line), LineOutcome::Post(_)));
            extended += memchr::memmem::find(line, b"\"extended_tweet\"").is_some() as u32;
        }
        assert!(extended > 10, "{extended}");
        // Heavy lines, as the real stream's.
        let mean = out.len() / 400;
        assert!((2_000..5_000).contains(&mean), "{mean}");
    }

    #[test]
    fn the_same_seed_writes_the_same_bytes() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write(3, 50, &mut a).unwrap();
        write(3, 50, &mut b).unwrap();
        assert_eq!(a, b);
    }
}

//! The `christmas-eve-2012` scenario: the bundled archive.
//!
//! What happened (public record): on 24 December 2012 at about 20:24 UTC part
//! of the AWS Elastic Load Balancing state in us-east-1 was deleted; from
//! about 20:30 Netflix streaming on TV-connected devices failed in the US,
//! Canada and Latin America, more and more through the American evening,
//! until Netflix reported streaming back to normal around 16:45–17:00 UTC on
//! 25 December. The UK, Ireland and the Nordics were served elsewhere and
//! were not hit.
//!
//! The archive covers 17–25 December. Ordinary chatter, other services and
//! everyday Netflix posts follow each region's local day all week; the
//! outcry rides on top, sized by each region's subscribers, shaped by the
//! share of failing devices and by when people sit down to watch: rising on
//! the evening of the 24th, a lull overnight, a second wave on Christmas
//! morning in the US, gone by 17:00 UTC on the 25th.

use super::activity::{interpolate, level, local_day, local_seconds, Curve};
use super::dice::Dice;
use super::names::BRAND_SOURCE;
use super::population::{Persona, Population};
use super::profiles::{RegionProfile, REGIONS};
use super::stream::{Draft, Stream};
use super::text::{book, Kind, Season, Writer};
use super::tweet::{twitter_date, Handle, User};
use crate::lang::Lang;

pub(crate) const NAME: &str = "christmas-eve-2012";

/// 2012-12-17T00:00:00Z and 2012-12-26T00:00:00Z.
pub(crate) const START: i64 = 1_355_702_400;
pub(crate) const END: i64 = 1_356_480_000;
/// 2012-12-24T00:00:00Z: the outage clock counts hours from here.
const EVE_MIDNIGHT: i64 = 1_356_307_200;
const SLOT: i64 = 600;

/// Share of TV devices failing, by hours since 2012-12-24T00:00Z: nothing
/// before 20:30, all of them by the American evening, recovery through the
/// morning of the 25th, normal by 17:00.
const FAILURE: &[(f64, f64)] = &[
    (20.5, 0.0),
    (21.0, 0.25),
    (22.0, 0.45),
    (23.0, 0.6),
    (24.0, 0.8),
    (25.0, 0.95),
    (26.0, 1.0),
    (34.0, 1.0),
    (36.0, 0.9),
    (38.0, 0.7),
    (39.5, 0.5),
    (40.5, 0.2),
    (41.0, 0.0),
];

/// When people notice streaming is back (hours since Eve midnight): from the
/// fix until the evening of the 25th.
const RECOVERY: &[(f64, f64)] = &[(40.6, 0.0), (41.0, 1.0), (44.0, 0.3), (48.0, 0.0)];

/// Complaints per hour per thousand subscribers, at full failure and the
/// busiest viewing hour.
const OUTCRY_PER_K: f64 = 0.06;
/// "Back" posts per hour per thousand subscribers at their peak.
const RECOVERY_PER_K: f64 = 0.004;
/// Scales all ordinary traffic (chatter, other services, everyday Netflix).
const ORDINARY: f64 = 0.85;
/// Scales the accounts per region.
const USERS: f64 = 2.0;

const JOKE_SHARE: f64 = 0.07;
const GRIPE_SHARE: f64 = 0.08;
const SERVICE_GRIPE_SHARE: f64 = 0.1;
const REPLY_SHARE: f64 = 0.06;

/// Times (UTC) and texts of the support account's updates; the last says
/// streaming is back. Worded for this project.
const UPDATES: &[(i64, &str)] = &[
    (1_356_387_000, "We're aware some members can't stream on TV devices and game consoles right now. We're working on it and will update here."),
    (1_356_395_400, "Still working on the streaming problem affecting TVs and consoles in the Americas. Sorry to interrupt your holiday."),
    (1_356_404_700, "Engineers are still on the streaming issue with TV devices. Streaming on computers may work in the meantime."),
    (1_356_420_600, "Streaming on TV devices is improving for some members. Thanks for your patience while we keep working on it."),
    (1_356_441_600, "Most members can stream again. We're still fixing the last devices affected."),
    (1_356_454_200, "Streaming is back to normal levels. Sorry for the trouble, and happy holidays!"),
];

const SUPPORT_REPLIES: &[&str] = &[
    "Sorry about that! We're working on it and will update here as soon as it's fixed.",
    "We know, and we're sorry. Engineers are on it right now.",
    "Thanks for letting us know. It's a known issue with TV devices and we're working on a fix.",
];

pub(crate) fn write(
    seed: u64,
    out: &mut dyn std::io::Write,
) -> Result<super::Summary, super::SynthError> {
    let mut root = Dice::new(seed);
    let mut population = Population::build(REGIONS, USERS, &mut root.fork(1));
    let brands = Brands::new();
    let support = population.personas.len();
    population.personas.push(brands.support_persona());

    let mut stream = Stream::new(NAME, seed, START, END);
    let handles: Vec<Vec<Handle>> = (0..REGIONS.len())
        .map(|r| {
            population
                .personas
                .iter()
                .filter(|p| p.region == r)
                .take(400)
                .map(Persona::handle)
                .collect()
        })
        .collect();

    timeline(
        &population,
        &handles,
        &brands,
        &mut stream,
        &mut root.fork(2),
    );
    support_posts(&population, support, &mut stream, &mut root.fork(3));
    stream.attach_replies(&population, &mut root.fork(4));
    stream.add_retweets(&population, &mut root.fork(5));
    stream.finish(&population, out, &mut root.fork(6))
}

/// The Netflix accounts a text may mention; ids are synthetic.
pub(crate) struct Brands {
    pub handles: Vec<Handle>,
}

impl Brands {
    fn new() -> Brands {
        let h = |screen_name: &str, name: &str, id: u64| Handle {
            screen_name: screen_name.into(),
            name: name.into(),
            id,
        };
        Brands {
            handles: vec![
                h("Netflix", "Netflix", 906_111),
                h("Netflixhelps", "Netflix Help", 907_222),
                h("NetflixLAT", "Netflix Latinoamérica", 908_333),
                h("NetflixBrasil", "Netflix Brasil", 909_444),
            ],
        }
    }

    fn for_lang(&self, lang: Lang) -> Vec<Handle> {
        let pick = |names: &[&str]| {
            self.handles
                .iter()
                .filter(|h| names.contains(&h.screen_name.as_str()))
                .cloned()
                .collect()
        };
        match lang {
            Lang::En | Lang::Fr => pick(&["Netflix", "Netflixhelps"]),
            Lang::Es => pick(&["Netflix", "NetflixLAT"]),
            Lang::Pt => pick(&["Netflix", "NetflixBrasil"]),
        }
    }

    fn support_persona(&self) -> Persona {
        let h = &self.handles[1];
        Persona {
            user: User {
                id: h.id,
                id_str: h.id.to_string(),
                name: h.name.clone(),
                screen_name: h.screen_name.clone(),
                location: "Los Gatos, CA".into(),
                description: Some("Help from the Netflix customer service team.".into()),
                followers_count: 61_250,
                friends_count: 12,
                statuses_count: 48_311,
                created_at: twitter_date(1_249_900_000),
                utc_offset: Some(-28_800),
                time_zone: Some("Pacific Time (US & Canada)".into()),
                lang: "en",
                geo_enabled: false,
                verified: true,
            },
            region: 0,
            group: usize::MAX,
            lang: Lang::En,
            source: BRAND_SOURCE,
            offset: -28_800,
        }
    }
}

fn season(unix_secs: i64, offset: i32) -> Season {
    match local_day(unix_secs, offset) - local_day(EVE_MIDNIGHT, 0) {
        d if d < 0 => Season::Before,
        0 => Season::Eve,
        1 => Season::Christmas,
        _ => Season::After,
    }
}

/// Share of TV streams failing at a moment, for a region that was hit.
fn failure(unix_secs: i64) -> f64 {
    interpolate(FAILURE, (unix_secs - EVE_MIDNIGHT) as f64 / 3600.0)
}

/// How much people there watch at home now, with the holiday's twists:
/// Christmas Eve dinner keeps Latin Americans from the screen until after
/// midnight, and Christmas morning brings new devices and children to the
/// TV.
fn viewing(region: &RegionProfile, unix_secs: i64, offset: i32) -> f64 {
    let local = local_seconds(unix_secs, offset);
    let hour = local as f64 / 3600.0;
    let mut v = level(Curve::Viewing, local);
    let latin = !matches!(
        region.country,
        "US" | "CA" | "GB" | "IE" | "SE" | "NO" | "DK" | "FI"
    );
    match season(unix_secs, offset) {
        Season::Eve if latin && hour >= 20.0 => v *= 0.75,
        Season::Christmas => {
            v *= 1.0
                + 1.4
                    * interpolate(
                        &[
                            (7.0, 0.0),
                            (9.0, 1.0),
                            (12.0, 1.0),
                            (15.0, 0.3),
                            (18.0, 0.0),
                        ],
                        hour,
                    );
        }
        _ => {}
    }
    v
}

fn chatter_level(unix_secs: i64, offset: i32) -> f64 {
    let base = level(Curve::Chatter, local_seconds(unix_secs, offset));
    match season(unix_secs, offset) {
        Season::Eve | Season::Christmas => base * 1.1,
        _ => base,
    }
}

/// Every post that is not a retweet, a reply target or the support account's.
fn timeline(
    population: &Population,
    friends: &[Vec<Handle>],
    brands: &Brands,
    stream: &mut Stream,
    dice: &mut Dice,
) {
    let mut slot = START;
    while slot < END {
        let mid = slot + SLOT / 2;
        for (r, region) in REGIONS.iter().enumerate() {
            for (g, group) in region.zones.iter().enumerate() {
                let members = &population.groups[r][g];
                if members.is_empty() {
                    continue;
                }
                let per_slot = group.weight * SLOT as f64 / 3600.0;
                let chat = chatter_level(mid, group.offset);
                let view = viewing(region, mid, group.offset);
                let fail = if region.subscribers_k > 0.0 {
                    failure(mid)
                } else {
                    0.0
                };
                let recovered = if region.subscribers_k > 0.0 {
                    interpolate(RECOVERY, (mid - EVE_MIDNIGHT) as f64 / 3600.0)
                } else {
                    0.0
                };
                let everyday_view = 0.5 * (chat + view) * (1.0 - 0.7 * fail);
                let means = [
                    (Stream::CHATTER, ORDINARY * region.chatter * chat),
                    (Stream::SERVICES, ORDINARY * region.services * chat),
                    (Stream::NETFLIX, ORDINARY * region.netflix * everyday_view),
                    (
                        Stream::OUTAGE,
                        OUTCRY_PER_K * region.subscribers_k * fail * view,
                    ),
                    (
                        Stream::RECOVERY,
                        RECOVERY_PER_K * region.subscribers_k * recovered * (0.3 + chat),
                    ),
                ];
                for (what, per_hour) in means {
                    let n = dice.count(per_hour * per_slot);
                    for _ in 0..n {
                        let persona_idx = members[dice.below(members.len() as u64) as usize];
                        let persona = &population.personas[persona_idx];
                        let ms = slot * 1000 + dice.below(SLOT as u64 * 1000) as i64;
                        let secs = ms / 1000;
                        let kind = pick_kind(what, secs, persona.offset, dice);
                        let writer = Writer {
                            book: book(persona.lang),
                            friends: &friends[r],
                            brands: &brands.for_lang(persona.lang),
                            services: region.service_names,
                        };
                        let composed = writer.compose(kind, season(secs, persona.offset), dice);
                        let place = (persona.user.geo_enabled && dice.chance(0.1))
                            .then(|| dice.pick(region.geo));
                        stream.push(Draft::new(
                            ms,
                            persona_idx,
                            kind,
                            persona.lang,
                            composed,
                            place,
                        ));
                    }
                }
            }
        }
        slot += SLOT;
    }
}

fn pick_kind(what: usize, secs: i64, offset: i32, dice: &mut Dice) -> Kind {
    match what {
        Stream::CHATTER if dice.chance(REPLY_SHARE) => Kind::Reply,
        Stream::CHATTER => Kind::Chatter,
        Stream::SERVICES if dice.chance(SERVICE_GRIPE_SHARE) => Kind::ServiceGripe,
        Stream::SERVICES => Kind::Service,
        Stream::NETFLIX if dice.chance(GRIPE_SHARE) => Kind::NetflixGripe,
        Stream::NETFLIX => Kind::Netflix,
        Stream::OUTAGE if dice.chance(JOKE_SHARE) => Kind::Joke,
        Stream::OUTAGE => {
            let local_hour = local_seconds(secs, offset) / 3600;
            if season(secs, offset) == Season::Christmas && local_hour >= 5 {
                Kind::OutageMorning
            } else {
                Kind::Outage
            }
        }
        _ => Kind::Recovery,
    }
}

/// The support account's updates, and its answers to some of the people who
/// wrote to it.
fn support_posts(population: &Population, support: usize, stream: &mut Stream, dice: &mut Dice) {
    for (secs, text) in UPDATES {
        let ms = secs * 1000 + dice.below(60_000) as i64;
        stream.push(Draft::brand(ms, support, (*text).to_string()));
    }
    let asked: Vec<usize> = stream
        .drafts()
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            matches!(d.kind, Kind::Outage | Kind::OutageMorning)
                && d.handles.iter().any(|h| h.screen_name == "Netflixhelps")
                && population.personas[d.persona].lang == Lang::En
        })
        .map(|(i, _)| i)
        .collect();
    for _ in 0..asked.len().min(30) {
        let target = *dice.pick(&asked);
        let t = &stream.drafts()[target];
        let who = population.personas[t.persona].handle();
        let ms = t.ms + 120_000 + dice.below(1_800_000) as i64;
        let text = format!("@{} {}", who.screen_name, dice.pick(SUPPORT_REPLIES));
        let mut d = Draft::brand(ms, support, text);
        d.handles.push(who);
        d.reply_to = Some(target);
        stream.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_constants_are_the_dates_they_claim() {
        assert_eq!(twitter_date(START), "Mon Dec 17 00:00:00 +0000 2012");
        assert_eq!(twitter_date(END), "Wed Dec 26 00:00:00 +0000 2012");
        assert_eq!(twitter_date(EVE_MIDNIGHT), "Mon Dec 24 00:00:00 +0000 2012");
        assert_eq!(twitter_date(UPDATES[5].0), "Tue Dec 25 16:50:00 +0000 2012");
    }

    #[test]
    fn failure_starts_at_half_past_eight_and_ends_by_five() {
        let at = |h: i64, m: i64| EVE_MIDNIGHT + h * 3600 + m * 60;
        assert_eq!(failure(at(20, 24)), 0.0);
        assert_eq!(failure(at(20, 30)), 0.0);
        assert!(failure(at(21, 0)) > 0.2);
        assert_eq!(failure(at(27, 0)), 1.0); // 03:00 on the 25th
        assert_eq!(failure(at(41, 0)), 0.0); // 17:00 on the 25th
        assert_eq!(failure(START), 0.0);
    }

    #[test]
    fn seasons_follow_the_local_calendar() {
        // 2012-12-25T03:00Z is still Christmas Eve in New York.
        let t = EVE_MIDNIGHT + 27 * 3600;
        assert_eq!(season(t, -5 * 3600), Season::Eve);
        assert_eq!(season(t, 0), Season::Christmas);
        assert_eq!(season(START, 0), Season::Before);
        assert_eq!(season(END - 1, 0), Season::Christmas);
    }
}

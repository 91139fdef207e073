//! The accounts that post in a scenario, drawn from the region profiles.
//!
//! Each account gets what a 2012 tweet's `user` object carried: an id that
//! fits its sign-up date, a screen name made from a name of its culture, the
//! time zone and offset of its zone group, and a location as people typed
//! them (a city the gazetteer knows, a joke, or nothing).

use std::collections::BTreeSet;

use super::dice::Dice;
use super::locations::junk_locations;
use super::names::{descriptions, first_names, last_names, SOURCES};
use super::profiles::{Names, RegionProfile};
use super::tweet::{twitter_date, Handle, User};
use crate::lang::Lang;

/// One account and how it posts.
pub(crate) struct Persona {
    pub user: User,
    pub region: usize,
    pub group: usize,
    /// The language it tweets in.
    pub lang: Lang,
    /// Its usual client, as `source` HTML.
    pub source: &'static str,
    /// Local offset it lives at (the zone's, or its region's when it set none).
    pub offset: i32,
}

impl Persona {
    pub fn handle(&self) -> Handle {
        Handle {
            screen_name: self.user.screen_name.clone(),
            name: self.user.name.clone(),
            id: self.user.id,
        }
    }
}

pub(crate) struct Population {
    pub personas: Vec<Persona>,
    /// Persona indexes by region, then by zone group.
    pub groups: Vec<Vec<Vec<usize>>>,
}

impl Population {
    /// `scale` multiplies every region's account count.
    pub fn build(regions: &[RegionProfile], scale: f64, dice: &mut Dice) -> Population {
        let mut personas = Vec::new();
        let mut groups = Vec::new();
        let mut taken_names = BTreeSet::new();
        let mut taken_ids = BTreeSet::new();
        for (r, region) in regions.iter().enumerate() {
            let weights: Vec<f64> = region.zones.iter().map(|z| z.weight).collect();
            let mut by_group = vec![Vec::new(); region.zones.len()];
            let n = ((region.users as f64) * scale).ceil().max(1.0) as usize;
            for _ in 0..n {
                let g = dice.weighted(&weights);
                let persona = make_persona(region, r, g, dice, &mut taken_names, &mut taken_ids);
                by_group[g].push(personas.len());
                personas.push(persona);
            }
            groups.push(by_group);
        }
        Population { personas, groups }
    }
}

fn make_persona(
    region: &RegionProfile,
    r: usize,
    g: usize,
    dice: &mut Dice,
    taken_names: &mut BTreeSet<String>,
    taken_ids: &mut BTreeSet<u64>,
) -> Persona {
    let zone = &region.zones[g];
    let lang_weights: Vec<f64> = region.langs.iter().map(|l| l.1).collect();
    let lang = region.langs[dice.weighted(&lang_weights)].0;
    let names = if lang == Lang::Es && region.names == Names::English {
        Names::Spanish
    } else {
        region.names
    };
    let (first, last) = (
        *dice.pick(first_names(names)),
        *dice.pick(last_names(names)),
    );
    let screen_name = unique_screen_name(first, last, dice, taken_names);
    let name = match dice.below(10) {
        0..=5 => format!("{first} {last}"),
        6 | 7 => first.to_string(),
        8 => format!("{first} {}.", last.chars().next().unwrap_or('X')),
        _ => format!("{} {}", first.to_uppercase(), last.to_uppercase()),
    };
    let roll = dice.unit();
    let location = if roll < region.empty_location {
        String::new()
    } else if roll < region.empty_location + region.junk_location {
        dice.pick(junk_locations(lang)).to_string()
    } else {
        dice.pick(zone.places).to_string()
    };
    let (created, id) = signup(dice, taken_ids);
    let description = dice
        .chance(0.35)
        .then(|| dice.pick(descriptions(lang)).to_string());
    let followers = log_uniform(dice, 3.0, 3000.0);
    let user = User {
        id,
        id_str: id.to_string(),
        name,
        screen_name,
        location,
        description,
        followers_count: followers,
        friends_count: log_uniform(dice, 10.0, 1500.0),
        statuses_count: log_uniform(dice, 20.0, 40_000.0),
        created_at: twitter_date(created),
        utc_offset: zone.zone.map(|_| zone.offset),
        time_zone: zone.zone.map(str::to_string),
        lang: if lang == Lang::Es && region.ui_lang == "en" && dice.chance(0.5) {
            "es"
        } else {
            region.ui_lang
        },
        geo_enabled: dice.chance(0.25),
        verified: false,
    };
    let sw: Vec<f64> = SOURCES.iter().map(|s| s.1).collect();
    Persona {
        user,
        region: r,
        group: g,
        lang,
        source: SOURCES[dice.weighted(&sw)].0,
        offset: zone.offset,
    }
}

/// A count between `lo` and `hi`, spread evenly over orders of magnitude
/// (most accounts small, a few large) without `exp`: a random number of
/// halvings from `hi`, then a uniform factor between 1 and 2.
fn log_uniform(dice: &mut Dice, lo: f64, hi: f64) -> u32 {
    let mut halvings = 0;
    let mut v = hi;
    while v / 2.0 >= lo {
        v /= 2.0;
        halvings += 1;
    }
    let mut v = hi;
    for _ in 0..dice.below(halvings + 1) {
        v /= 2.0;
    }
    (v * (1.0 + dice.unit())).clamp(lo, hi) as u32
}

/// Sign-up time and a user id that fits it: ids grew with time, from a few
/// million in early 2007 to about a billion by the end of 2012.
fn signup(dice: &mut Dice, taken: &mut BTreeSet<u64>) -> (i64, u64) {
    const ANCHORS: [(f64, f64); 7] = [
        (1_172_707_200.0, 1.0e6), // 2007-03-01
        (1_199_145_600.0, 1.1e7), // 2008-01-01
        (1_230_768_000.0, 1.8e7), // 2009-01-01
        (1_262_304_000.0, 1.0e8), // 2010-01-01
        (1_293_840_000.0, 2.3e8), // 2011-01-01
        (1_325_376_000.0, 4.5e8), // 2012-01-01
        (1_354_320_000.0, 1.0e9), // 2012-12-01
    ];
    // More recent sign-ups are more common.
    let u = dice.unit();
    let u = 1.0 - (1.0 - u) * (1.0 - u);
    let (t0, t1) = (ANCHORS[0].0, ANCHORS[6].0);
    let t = t0 + (t1 - t0) * u;
    let mut id = super::activity::interpolate(&ANCHORS, t) as u64 + dice.below(997);
    while !taken.insert(id) {
        id += 1;
    }
    (t as i64, id)
}

fn unique_screen_name(
    first: &str,
    last: &str,
    dice: &mut Dice,
    taken: &mut BTreeSet<String>,
) -> String {
    let f = ascii_word(first);
    let l = ascii_word(last);
    let base = match dice.below(8) {
        0 => format!("{f}{l}"),
        1 => format!("{f}_{l}"),
        2 => format!("{f}{}", dice.range(1, 99)),
        3 => format!("{}{l}", &f[..1.min(f.len())]),
        4 => format!("{f}{l}{}", dice.range(80, 99)),
        5 => format!("x{f}x"),
        6 => format!("its{f}"),
        _ => format!("{f}_{}", dice.range(1, 9999)),
    };
    let mut name: String = base.chars().take(15).collect();
    let stem: String = base.chars().take(11).collect();
    while !taken.insert(name.to_ascii_lowercase()) {
        name = format!("{stem}{}", dice.range(0, 9999));
    }
    name
}

/// A name as screen names allow it: ASCII letters, accents dropped.
fn ascii_word(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c,
            _ => continue,
        };
        out.push(plain);
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::profiles::REGIONS;

    #[test]
    fn accounts_are_unique_and_well_formed() {
        let mut dice = Dice::new(5);
        let pop = Population::build(REGIONS, 0.2, &mut dice);
        let mut names = BTreeSet::new();
        let mut ids = BTreeSet::new();
        for p in &pop.personas {
            let u = &p.user;
            assert!(
                names.insert(u.screen_name.to_ascii_lowercase()),
                "{}",
                u.screen_name
            );
            assert!(ids.insert(u.id));
            assert!(u.screen_name.len() <= 15 && !u.screen_name.is_empty());
            assert!(u
                .screen_name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            assert_eq!(u.id_str, u.id.to_string());
            assert!((1_000_000..1_001_000_000).contains(&u.id));
            assert_eq!(u.time_zone.is_some(), u.utc_offset.is_some());
            assert!(u.created_at.ends_with("2007") || u.created_at.contains("+0000 20"));
        }
        assert_eq!(pop.groups.len(), REGIONS.len());
    }
}

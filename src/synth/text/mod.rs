//! What people write: phrasebooks per language and the code that fills them.
//!
//! Every phrase here was written for this project. Templates carry slots
//! (`{show}`, `{device}`, `{friend}`…) filled from the phrasebook's own lists;
//! a post is a core phrase plus, sometimes, an opener, a closer and hashtags,
//! kept within 140 characters. The outage phrases use what people typed that
//! night ("netflix is down", "no funciona", "fora do ar", "en panne") so a
//! tagger has something real to find.

mod en;
mod es;
mod fr;
mod pt;

use super::dice::Dice;
use super::profiles::Service;
use super::tweet::{Handle, MAX_CHARS};
use crate::lang::Lang;

/// A template and the weight it is drawn with.
pub(crate) type Weighted = (&'static str, f64);

pub(crate) struct Phrasebook {
    /// Everyday posts that mention no service.
    pub everyday: &'static [&'static str],
    /// Seasonal posts: the week before Christmas, Christmas Eve, Christmas Day.
    pub before: &'static [&'static str],
    pub eve: &'static [&'static str],
    pub christmas: &'static [&'static str],
    /// Short answers for replies.
    pub replies: &'static [&'static str],
    pub openers: &'static [&'static str],
    pub closers: &'static [&'static str],
    pub chatter_tags: &'static [&'static str],
    pub eve_tags: &'static [&'static str],
    pub christmas_tags: &'static [&'static str],
    /// Posts about other services, by service.
    pub services: &'static [(Service, &'static str)],
    pub service_gripes: &'static [(Service, &'static str)],
    /// Ordinary Netflix posts, and the everyday gripes.
    pub netflix: &'static [&'static str],
    pub netflix_gripes: &'static [&'static str],
    /// Outage complaints on Christmas Eve, and on Christmas morning.
    pub outage: &'static [&'static str],
    pub outage_morning: &'static [&'static str],
    /// Jokes about the outage; complaints by hashtag if not by tone.
    pub jokes: &'static [&'static str],
    pub joke_tag: &'static str,
    /// "It's back" posts after the fix.
    pub recovery: &'static [&'static str],
    pub outage_closers: &'static [&'static str],
    pub outage_tags: &'static [Weighted],
    /// Slot fillers.
    pub shows: &'static [&'static str],
    pub devices: &'static [&'static str],
    pub foods: &'static [&'static str],
    pub snacks: &'static [&'static str],
    pub teams: &'static [&'static str],
    pub family: &'static [&'static str],
    pub games: &'static [&'static str],
    pub gifts: &'static [&'static str],
    pub artists: &'static [&'static str],
}

pub(crate) fn book(lang: Lang) -> &'static Phrasebook {
    match lang {
        Lang::En => &en::BOOK,
        Lang::Es => &es::BOOK,
        Lang::Pt => &pt::BOOK,
        Lang::Fr => &fr::BOOK,
    }
}

/// Where in the story a post is written, in the writer's local calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Season {
    Before,
    Eve,
    Christmas,
    After,
}

/// What a post is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Chatter,
    Reply,
    Service,
    ServiceGripe,
    Netflix,
    NetflixGripe,
    Outage,
    OutageMorning,
    Joke,
    Recovery,
    Brand,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chatter => "chatter",
            Kind::Reply => "reply",
            Kind::Service => "other service",
            Kind::ServiceGripe => "other service gripe",
            Kind::Netflix => "netflix everyday",
            Kind::NetflixGripe => "netflix everyday gripe",
            Kind::Outage => "outage complaint",
            Kind::OutageMorning => "outage complaint (morning)",
            Kind::Joke => "outage joke",
            Kind::Recovery => "netflix back",
            Kind::Brand => "netflix support update",
        }
    }

    /// Posts that mention Netflix. The support account's posts do not name
    /// it (it is the author), so they are not counted.
    pub fn is_netflix(self) -> bool {
        matches!(
            self,
            Kind::Netflix
                | Kind::NetflixGripe
                | Kind::Outage
                | Kind::OutageMorning
                | Kind::Joke
                | Kind::Recovery
        )
    }

    /// Posts written as complaints about Netflix (jokes carry an outage
    /// hashtag, so they count).
    pub fn is_netflix_complaint(self) -> bool {
        matches!(
            self,
            Kind::NetflixGripe | Kind::Outage | Kind::OutageMorning | Kind::Joke
        )
    }
}

/// A composed post: its text and the accounts it @mentions.
pub(crate) struct Composed {
    pub text: String,
    pub handles: Vec<Handle>,
}

/// Fills and decorates posts for one language.
pub(crate) struct Writer<'a> {
    pub book: &'static Phrasebook,
    /// Accounts a `{friend}` slot may name.
    pub friends: &'a [Handle],
    /// The Netflix accounts a text may @mention.
    pub brands: &'a [Handle],
    pub services: &'a [Service],
}

impl Writer<'_> {
    pub fn compose(&self, kind: Kind, season: Season, dice: &mut Dice) -> Composed {
        let b = self.book;
        let mut handles = Vec::new();
        let core = match kind {
            Kind::Chatter => {
                let seasonal = match season {
                    Season::Before => b.before,
                    Season::Eve => b.eve,
                    Season::Christmas => b.christmas,
                    Season::After => b.everyday,
                };
                let p_seasonal = match season {
                    Season::Before => 0.3,
                    Season::Eve | Season::Christmas => 0.55,
                    Season::After => 0.0,
                };
                let list = if dice.chance(p_seasonal) {
                    seasonal
                } else {
                    b.everyday
                };
                *dice.pick(list)
            }
            Kind::Reply => *dice.pick(b.replies),
            Kind::Service | Kind::ServiceGripe => {
                let list = if kind == Kind::Service {
                    b.services
                } else {
                    b.service_gripes
                };
                let allowed: Vec<&'static str> = list
                    .iter()
                    .filter(|(s, _)| self.services.contains(s))
                    .map(|(_, t)| *t)
                    .collect();
                if allowed.is_empty() {
                    *dice.pick(b.everyday)
                } else {
                    *dice.pick(&allowed)
                }
            }
            Kind::Netflix => *dice.pick(b.netflix),
            Kind::NetflixGripe => *dice.pick(b.netflix_gripes),
            Kind::Outage => *dice.pick(b.outage),
            Kind::OutageMorning => *dice.pick(b.outage_morning),
            Kind::Joke => *dice.pick(b.jokes),
            Kind::Recovery => *dice.pick(b.recovery),
            Kind::Brand => "",
        };
        let mut text = self.fill(core, dice, &mut handles);
        match kind {
            Kind::Chatter | Kind::Service | Kind::Netflix => {
                if dice.chance(0.15) {
                    text = format!("{}{}", dice.pick(b.openers), text);
                }
                if dice.chance(0.35) {
                    push_if_fits(&mut text, dice.pick::<&str>(b.closers));
                }
                let tags = match season {
                    Season::Eve => b.eve_tags,
                    Season::Christmas => b.christmas_tags,
                    _ => b.chatter_tags,
                };
                if dice.chance(0.08) {
                    push_if_fits(&mut text, &format!(" {}", dice.pick(tags)));
                }
            }
            Kind::Outage | Kind::OutageMorning => {
                if !text.contains('@') && dice.chance(0.08) {
                    let brand = dice.pick(self.brands);
                    let addressed = format!("@{} {}", brand.screen_name, text);
                    if addressed.chars().count() <= MAX_CHARS {
                        text = addressed;
                    }
                }
                if dice.chance(0.45) {
                    push_if_fits(&mut text, dice.pick::<&str>(b.outage_closers));
                }
                let n_tags = match dice.below(20) {
                    0..=8 => 0,
                    9..=17 => 1,
                    _ => 2,
                };
                let weights: Vec<f64> = b.outage_tags.iter().map(|t| t.1).collect();
                for _ in 0..n_tags {
                    let tag = b.outage_tags[dice.weighted(&weights)].0;
                    if !text.to_lowercase().contains(&tag.to_lowercase()) {
                        push_if_fits(&mut text, &format!(" {tag}"));
                    }
                }
            }
            Kind::Joke => push_if_fits(&mut text, &format!(" {}", b.joke_tag)),
            Kind::NetflixGripe | Kind::ServiceGripe => {
                if dice.chance(0.3) {
                    push_if_fits(&mut text, dice.pick::<&str>(b.closers));
                }
            }
            Kind::Reply | Kind::Recovery | Kind::Brand => {}
        }
        let text = match (kind, dice.below(20)) {
            (_, 0..=5) => text.to_lowercase(),
            (Kind::Outage | Kind::OutageMorning, 6) => text.to_uppercase(),
            (_, 7..=9) => capitalise(&text),
            _ => text,
        };
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@')) {
            if let Some(name) = word.strip_prefix('@') {
                let found = self
                    .brands
                    .iter()
                    .find(|h| h.screen_name.eq_ignore_ascii_case(name))
                    .cloned();
                if let Some(h) = found {
                    if !handles.contains(&h) {
                        handles.push(h);
                    }
                }
            }
        }
        Composed {
            text: clip(&text),
            handles,
        }
    }

    /// Replaces each `{slot}` with a filler; `{friend}` becomes an @mention.
    fn fill(&self, template: &str, dice: &mut Dice, handles: &mut Vec<Handle>) -> String {
        let b = self.book;
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let slot = &after[..close];
            let filler: String = match slot {
                "show" => dice.pick(b.shows).to_string(),
                "device" => dice.pick(b.devices).to_string(),
                "food" => dice.pick(b.foods).to_string(),
                "snack" => dice.pick(b.snacks).to_string(),
                "team" => dice.pick(b.teams).to_string(),
                "family" => dice.pick(b.family).to_string(),
                "game" => dice.pick(b.games).to_string(),
                "gift" => dice.pick(b.gifts).to_string(),
                "artist" => dice.pick(b.artists).to_string(),
                "friend" if !self.friends.is_empty() => {
                    let h = dice.pick(self.friends).clone();
                    let s = format!("@{}", h.screen_name);
                    if !handles.contains(&h) {
                        handles.push(h);
                    }
                    s
                }
                _ => String::new(),
            };
            out.push_str(&filler);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn push_if_fits(text: &mut String, extra: &str) {
    if text.chars().count() + extra.chars().count() <= MAX_CHARS {
        text.push_str(extra);
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c != '@' && c != '#' => c.to_uppercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// At most `MAX_CHARS` characters, whatever a template produced.
fn clip(text: &str) -> String {
    text.chars().take(MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle(name: &str, id: u64) -> Handle {
        Handle {
            screen_name: name.into(),
            name: name.into(),
            id,
        }
    }

    #[test]
    fn every_template_fills_and_fits() {
        let friends = vec![handle("a_friend_of_15", 1)];
        let brands = vec![handle("Netflix", 2), handle("Netflixhelps", 3)];
        let services = [
            Service::Hulu,
            Service::HboGo,
            Service::AmazonInstant,
            Service::YouTube,
            Service::Spotify,
        ];
        let mut dice = Dice::new(11);
        for lang in Lang::ALL {
            let w = Writer {
                book: book(lang),
                friends: &friends,
                brands: &brands,
                services: &services,
            };
            for kind in [
                Kind::Chatter,
                Kind::Reply,
                Kind::Service,
                Kind::ServiceGripe,
                Kind::Netflix,
                Kind::NetflixGripe,
                Kind::Outage,
                Kind::OutageMorning,
                Kind::Joke,
                Kind::Recovery,
            ] {
                for season in [
                    Season::Before,
                    Season::Eve,
                    Season::Christmas,
                    Season::After,
                ] {
                    for _ in 0..300 {
                        let c = w.compose(kind, season, &mut dice);
                        assert!(c.text.chars().count() <= MAX_CHARS, "{}", c.text);
                        assert!(!c.text.contains('{') && !c.text.contains('}'), "{}", c.text);
                        assert!(!c.text.trim().is_empty(), "{kind:?} {lang:?}");
                        let lower = c.text.to_lowercase();
                        if kind.is_netflix() {
                            assert!(lower.contains("netflix"), "{lang:?} {kind:?}: {}", c.text);
                        } else if kind != Kind::Reply {
                            assert!(!lower.contains("netflix"), "{lang:?} {kind:?}: {}", c.text);
                        }
                        for h in &c.handles {
                            assert!(lower.contains(&format!("@{}", h.screen_name.to_lowercase())));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn slots_and_mentions() {
        let friends = vec![handle("pal", 9)];
        let w = Writer {
            book: book(Lang::En),
            friends: &friends,
            brands: &[],
            services: &[],
        };
        let mut dice = Dice::new(1);
        let mut handles = Vec::new();
        let s = w.fill("hi {friend}, {unknown}!", &mut dice, &mut handles);
        assert_eq!(s, "hi @pal, !");
        assert_eq!(handles, friends);
        assert_eq!(
            w.fill("broken {slot", &mut dice, &mut handles),
            "broken {slot"
        );
        assert_eq!(capitalise("netflix"), "Netflix");
        assert_eq!(capitalise("@netflix"), "@netflix");
    }
}

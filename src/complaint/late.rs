//! Whether a post says something came due and has gone by: "ordered at 7.
//! its 8:40", "tenía que llegar el martes. Hoy es viernes", "annoncée pour
//! le 4, on est le 11".
//!
//! A pattern alone cannot tell those from "booked for 8, it's 7:45, see you
//! soon", so the two moments are read and compared: the time it is now
//! must come after the time that was due. Asked only of posts holding a
//! word of an order or of something due (`negation::cue_words`).

use std::sync::OnceLock;

use regex::Regex;

use crate::lang::Lang;

/// The weekdays of each language from Monday, without accents (a
/// moment's text is folded before it is compared).
const WEEKDAYS: [[&str; 7]; 4] = [
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ],
    [
        "lunes",
        "martes",
        "miercoles",
        "jueves",
        "viernes",
        "sabado",
        "domingo",
    ],
    [
        "segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo",
    ],
    [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
];

/// The weekdays of `lang` as a pattern, accents optional.
fn weekday_pattern(lang: Lang) -> String {
    let accented = |day: &str| {
        day.replace("miercoles", "mi[eé]rcoles")
            .replace("sabado", "s[aá]bado")
            .replace("terca", "ter[cç]a")
    };
    WEEKDAYS[lang.index()].map(accented).join("|")
}

/// A clock time or a day, written so that it cannot be a count: "8:40",
/// "7pm", "18h05", "9h", "14th", "2nd", "1er", or a weekday.
const STRICT: &str = r"[0-9]{1,2}(?::[0-9]{2})?\s*(?:am|pm)\b|[0-9]{1,2}[:h][0-9]{2}\b|[0-9]{1,2}h\b|[0-9]{1,2}(?:(?:st|nd|rd|th|er)\b|º)";

/// The words of one language: what was due, what may stand between it and
/// its moment, and what says the time it is now (`now_strict` before a
/// moment that cannot be a count; `now_any` before any number, as "on est
/// le 11" or "son las 9").
struct Words {
    due: &'static str,
    now_strict: &'static str,
    now_any: &'static str,
}

const WORDS: [Words; 4] = [
    Words {
        due: r"ordered|placed|booked|due|expected|supposed to (?:arrive|come|be here|be delivered)|promised|estimated|eta|scheduled|arriving|delivery|should have arrived|said (?:it|they)(?:'d| would) arrive|meant to arrive",
        now_strict: r"it[’']?s|its|now it[’']?s|today is|today[’']?s",
        now_any: r"today is the|it[’']?s the|its the",
    },
    Words {
        due: r"ped[ií](?:do)?|ten[ií]a que (?:llegar|venir|estar)|deb[ií]a (?:llegar|venir|estar)|prometi(?:eron|do|da)|estimad[oa]|programad[oa]|previst[oa]|llegaba|llegar[ií]a|entrega",
        now_strict: r"hoy es|ya es|estamos a|estamos en",
        now_any: r"hoy es el|ya es el|ya son las|son las|estamos a",
    },
    Words {
        due: r"pedi(?:do)?|era pra chegar|era para chegar|chegaria|deveria (?:chegar|vir)|previst[oa]|prometeram|prometid[oa]|marcad[oa]|agendad[oa]|entrega",
        now_strict: r"hoje [eé]|j[aá] [eé]|j[aá] s[aã]o|agora s[aã]o|s[aã]o",
        now_any: r"hoje [eé] dia|j[aá] [eé] dia",
    },
    Words {
        due: r"command[ée]e?s?|annonc[ée]e?s?|pr[ée]vue?s?|promise?s?|livraison|rdv|rendez-vous",
        now_strict: r"on est|nous sommes|il est|aujourd[’']hui c[’']est|aujourd[’']hui on est",
        now_any: r"on est le|nous sommes le|aujourd[’']hui c[’']est le",
    },
];

/// The regular expression of `lang`, made the first time a post in it
/// needs it (about 5 million instructions, once).
fn regex_of(lang: Lang) -> Option<&'static Regex> {
    static ALL: [OnceLock<Option<Regex>>; 4] = [const { OnceLock::new() }; 4];
    ALL.get(lang.index())?.get_or_init(|| build(lang)).as_ref()
}

/// Makes `lang`'s expression. It is written in lower case and asked of the
/// post lowercased: ignoring case in all of Unicode made it cost three
/// times as much to make. Its word boundaries are ASCII ones (`\b` under
/// `(?-u)`): a Unicode boundary would send every post beyond ASCII to the
/// slow engine. So a boundary is asked for only beside digits and ASCII
/// letters: before each listed word (all begin with one) and after the
/// moments; a due word ends where the spaces after it begin ("pedí a las
/// 8").
fn build(lang: Lang) -> Option<Regex> {
    let (w, days) = (&WORDS[lang.index()], weekday_pattern(lang));
    let strict = format!("{STRICT}|(?:{days})\\b");
    let any = format!("{strict}|[0-9]{{1,2}}\\b");
    // The due moment: right after the word, or after up to three words
    // without digits ("delivery window was 8am"). A range's end is the
    // moment due ("come 12-2").
    let due = format!(
        r"\b(?:{})(?:\s+[^\s0-9]+){{0,3}}?\s+(?P<due>{any})(?:\s*(?:-|–|to|and|a|y|e|et|à)\s*(?P<end>{any}))?",
        w.due
    );
    let now = format!(
        r"\b(?:(?:{})\s+(?:now\s+|already\s+)?(?P<now>{strict})|(?:{})\s+(?P<now_any>{any}))",
        w.now_strict, w.now_any
    );
    let pattern = format!("{due}[^!?]*?{now}").replace(r"\b", r"(?-u:\b)");
    Regex::new(&pattern).ok()
}

/// A moment as a post gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moment {
    /// Minutes after midnight; whether am/pm was written.
    Clock(u32, bool),
    /// A day of the month.
    Day(u32),
    /// Monday is 0.
    Weekday(u32),
    /// A plain number: an hour or a day, as the other moment says.
    Plain(u32),
}

fn moment(text: &str, lang: Lang) -> Option<Moment> {
    let mut folded = String::new();
    crate::tag::fold_into(&text.to_lowercase(), &mut folded, false);
    let t = folded.trim();
    if let Some(day) = WEEKDAYS[lang.index()].iter().position(|&day| day == t) {
        return u32::try_from(day).ok().map(Moment::Weekday);
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let first: u32 = digits.parse().ok()?;
    let rest = t.get(digits.len()..)?.trim_start();
    let minutes = |rest: &str| -> u32 {
        rest.trim_start_matches([':', 'h'])
            .get(..2)
            .and_then(|m| m.parse().ok())
            .unwrap_or(0)
    };
    if rest.starts_with(['s', 'n', 'r', 't', 'e', 'º']) {
        return Some(Moment::Day(first));
    }
    let pm = rest.ends_with("pm") || rest.ends_with("p.m.");
    let am = rest.ends_with("am") || rest.ends_with("a.m.");
    if rest.is_empty() {
        return Some(Moment::Plain(first));
    }
    let hour = match (am, pm) {
        (_, true) if first < 12 => first + 12,
        (true, _) if first == 12 => 0,
        _ => first,
    };
    Some(Moment::Clock(hour * 60 + minutes(rest), am || pm))
}

/// Whether `now` comes after `due`. A clock without am/pm that seems to go
/// back past noon ("due 11:30, it's 1:15") is read as the afternoon; a
/// week that wraps ("due friday, it's monday") is not read at all.
fn after(due: Moment, now: Moment) -> bool {
    use Moment::*;
    let clock = |m: Moment| match m {
        Clock(minutes, meridiem) => Some((minutes, meridiem)),
        Plain(hour) if hour <= 24 => Some((hour * 60, false)),
        _ => None,
    };
    match (due, now) {
        (Day(a) | Plain(a), Day(b)) | (Day(a), Plain(b)) => b > a,
        (Weekday(a), Weekday(b)) => b > a,
        (Plain(a), Plain(b)) => b > a,
        _ => match (clock(due), clock(now)) {
            (Some((a, _)), Some((b, false)))
                if b < a && (9 * 60..=12 * 60 + 59).contains(&a) && b < 7 * 60 =>
            {
                b + 12 * 60 > a
            }
            (Some((a, _)), Some((b, _))) => b > a,
            _ => false,
        },
    }
}

/// The post says a moment was due and that it is now later.
pub fn overdue(text: &str, lang: Lang) -> bool {
    let Some(regex) = regex_of(lang) else {
        return false;
    };
    let lower = text.to_lowercase();
    regex.captures_iter(&lower).any(|c| {
        let due = c.name("end").or_else(|| c.name("due"));
        let now = c.name("now").or_else(|| c.name("now_any"));
        match (due, now) {
            (Some(due), Some(now)) => {
                match (moment(due.as_str(), lang), moment(now.as_str(), lang)) {
                    (Some(due), Some(now)) => after(due, now),
                    _ => false,
                }
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_read_as_clock_times_days_and_weekdays() {
        assert_eq!(moment("8:40", Lang::En), Some(Moment::Clock(520, false)));
        assert_eq!(moment("7pm", Lang::En), Some(Moment::Clock(19 * 60, true)));
        assert_eq!(moment("12 am", Lang::En), Some(Moment::Clock(0, true)));
        assert_eq!(
            moment("18h05", Lang::Fr),
            Some(Moment::Clock(18 * 60 + 5, false))
        );
        assert_eq!(moment("9h", Lang::Pt), Some(Moment::Clock(9 * 60, false)));
        assert_eq!(moment("14th", Lang::En), Some(Moment::Day(14)));
        assert_eq!(moment("1er", Lang::Fr), Some(Moment::Day(1)));
        assert_eq!(moment("Viernes", Lang::Es), Some(Moment::Weekday(4)));
        assert_eq!(moment("terça", Lang::Pt), Some(Moment::Weekday(1)));
        assert_eq!(moment("11", Lang::Fr), Some(Moment::Plain(11)));
    }

    #[test]
    fn now_must_come_after_what_was_due() {
        for (text, lang) in [
            ("@dominos ordered at 7. its 8:40", Lang::En),
            ("@dominos ordered at 7. it’s 8:40", Lang::En),
            (
                "order placed 2nd march @SwiftDrop. status: label created. today is the 14th",
                Lang::En,
            ),
            (
                "tech was supposed to come 12-2. it's 4:30. no call no show",
                Lang::En,
            ),
            (
                "delivery window was 8am-12pm. it's 3:45. nobody called",
                Lang::En,
            ),
            ("due at 11:30, it's 1:15 and still nothing", Lang::En),
            ("should have arrived by 2pm, it's 5pm now", Lang::En),
            ("said it would arrive Tuesday. It's Friday.", Lang::En),
            (
                "my order was supposed to arrive tuesday. it's friday",
                Lang::En,
            ),
            (
                "el pedido tenía que llegar el martes. Hoy es viernes.",
                Lang::Es,
            ),
            (
                "pedí a las 8:10, son las 9:25 y el pedido sigue 'en camino'",
                Lang::Es,
            ),
            (
                "era pra chegar ontem, marcado pra terça, hoje é sexta e nada",
                Lang::Pt,
            ),
            (
                "commande 171-4429 annoncée pour le 4, on est le 11.",
                Lang::Fr,
            ),
            (
                "Livraison prévue entre 8h et 18h. Il est 18h05. Rien.",
                Lang::Fr,
            ),
        ] {
            assert!(overdue(text, lang), "{text}");
            // Its due word is one the negators' pass finds, or the post
            // would never be asked.
            assert!(super::super::negation::scan(text, lang).cue_word, "{text}");
        }
        for (text, lang) in [
            (
                "@OpenTable booked for 8, it's 7:45, see you soon!",
                Lang::En,
            ),
            (
                "@Samsung ordered the S24, its 3 cameras are insane",
                Lang::En,
            ),
            ("@dominos ordered a large, it's 14 inches for £12", Lang::En),
            ("due friday, it's monday", Lang::En),
            (
                "@PizzaHut pedí dos pizzas, son las 9 y ya estamos comiendo",
                Lang::Es,
            ),
            ("hoy es viernes y el cuerpo lo sabe", Lang::Es),
            ("@iFood pedi 2 pizzas, são 4 pessoas aqui em casa", Lang::Pt),
            ("commandé en taille M, il est 2 fois trop grand", Lang::Fr),
        ] {
            assert!(!overdue(text, lang), "{text}");
        }
    }
}

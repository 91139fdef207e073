//! Feed dates, as feeds really write them.
//!
//! `pubDate` should be RFC 822 but comes without a weekday, with a wrong
//! one, with full month names, two-digit years, no seconds, named US zones
//! or none at all; Atom's RFC 3339 comes with a space for the `T` or without
//! a zone. chrono's strict parsers refuse most of these, and a refused date
//! loses the item, so this reads them token by token. A missing zone is read
//! as UTC: the only guess that does not depend on the machine.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A feed date: RFC 3339 or RFC 822, and their common broken variants.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    parse_rfc3339ish(s).or_else(|| parse_rfc822ish(s))
}

fn parse_rfc3339ish(s: &str) -> Option<DateTime<Utc>> {
    let first = s.as_bytes().first()?;
    if !first.is_ascii_digit() || s.len() < 10 || s.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let mut fixed = s.to_ascii_uppercase();
    if fixed.as_bytes().get(10) == Some(&b' ') {
        fixed.replace_range(10..11, "T");
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&fixed) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"] {
        if let Ok(t) = DateTime::parse_from_str(&fixed, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    // No zone: UTC is the only guess that does not depend on this machine.
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&fixed, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(&fixed, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn month(token: &str) -> Option<u32> {
    let lower = token.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

/// Offset of a zone written as `+0100`, `-05:00`, `GMT`, `EST`…; `None`
/// for a token that is not a zone.
fn zone(token: &str) -> Option<i32> {
    let t = token.trim_matches(|c| c == '(' || c == ')');
    if let Some(sign) = t
        .strip_prefix('+')
        .map(|r| (1, r))
        .or(t.strip_prefix('-').map(|r| (-1, r)))
    {
        let digits: String = sign.1.chars().filter(|c| *c != ':').collect();
        if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let h: i32 = digits[..2].parse().ok()?;
            let m: i32 = digits[2..].parse().ok()?;
            return Some(sign.0 * (h * 3600 + m * 60));
        }
        return None;
    }
    let hours = match t.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" | "WET" => 0,
        "BST" | "CET" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => return None,
    };
    Some(hours * 3600)
}

fn parse_rfc822ish(s: &str) -> Option<DateTime<Utc>> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    // Skip a weekday, whatever its spelling (and whether or not it is right).
    let start = tokens
        .iter()
        .position(|t| t.as_bytes()[0].is_ascii_digit() || month(t).is_some())?;
    let rest = &tokens[start..];
    // "24 Dec 2012" or the US "Dec 24 2012".
    let (day, mon, year_at) = match (rest.first(), rest.get(1)) {
        (Some(a), Some(b)) if month(a).is_some() => (b.parse::<u32>().ok()?, month(a)?, 2),
        (Some(a), Some(b)) => (a.parse::<u32>().ok()?, month(b)?, 2),
        _ => return None,
    };
    let year_token = rest.get(year_at)?;
    let mut year: i32 = year_token.parse().ok()?;
    if year_token.len() == 2 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let date = NaiveDate::from_ymd_opt(year, mon, day)?;
    let mut time = NaiveTime::from_hms_opt(0, 0, 0)?;
    let mut offset = 0;
    for token in &rest[year_at + 1..] {
        if token.contains(':') && token.as_bytes()[0].is_ascii_digit() {
            let parts: Vec<u32> = token
                .split(':')
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            let (h, m, sec) = match parts.as_slice() {
                [h, m] => (*h, *m, 0),
                [h, m, sec] => (*h, *m, (*sec).min(59)),
                _ => return None,
            };
            time = NaiveTime::from_hms_opt(h, m, sec)?;
        } else if let Some(z) = zone(token) {
            offset = z;
            break;
        }
    }
    let zone = FixedOffset::east_opt(offset)?;
    zone.from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        parse_date(s)
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn rfc822_and_its_broken_variants() {
        let want = "2012-12-24T20:31:07+00:00";
        assert_eq!(d("Mon, 24 Dec 2012 20:31:07 +0000"), want);
        assert_eq!(d("Mon, 24 Dec 2012 20:31:07 GMT"), want);
        assert_eq!(d("24 Dec 2012 20:31:07 GMT"), want);
        // Wrong weekday, full names, comma missing.
        assert_eq!(d("Friday 24 December 2012 20:31:07 UT"), want);
        assert_eq!(d("Mon, 24 Dec 2012 15:31:07 EST"), want);
        assert_eq!(d("Mon, 24 Dec 2012 12:31:07 PST"), want);
        assert_eq!(d("Mon, 24 Dec 2012 21:31:07 +01:00"), want);
        assert_eq!(d("Mon, 24 Dec 12 20:31:07 +0000"), want);
        assert_eq!(d("Mon, 24 Dec 2012 20:31:07"), want);
        assert_eq!(d("Dec 24 2012 20:31:07 GMT"), want);
        assert_eq!(d("Mon, 24 Dec 2012 20:31 GMT"), "2012-12-24T20:31:00+00:00");
        assert_eq!(
            d("Mon,  4 Feb 2013 09:00:00 -0500"),
            "2013-02-04T14:00:00+00:00"
        );
        assert_eq!(
            d("Mon, 24 Dec 2012 20:31:60 GMT"),
            "2012-12-24T20:31:59+00:00"
        );
        assert_eq!(d("Mon, 31 Feb 2012 20:31:07 GMT"), "none");
        assert_eq!(d("yesterday"), "none");
        assert_eq!(d(""), "none");
        assert_eq!(d("Mon, 24 Dec"), "none");
    }

    #[test]
    fn rfc3339_and_its_broken_variants() {
        let want = "2012-12-24T20:31:07+00:00";
        assert_eq!(d("2012-12-24T20:31:07Z"), want);
        assert_eq!(d("2012-12-24t20:31:07z"), want);
        assert_eq!(d("2012-12-24 20:31:07Z"), want);
        assert_eq!(d("2012-12-24T21:31:07+01:00"), want);
        assert_eq!(d("2012-12-24T21:31:07+0100"), want);
        assert_eq!(d("2012-12-24T20:31:07"), want);
        assert_eq!(
            d("2012-12-24T20:31:07.123456Z"),
            "2012-12-24T20:31:07.123456+00:00"
        );
        assert_eq!(d("2012-12-24"), "2012-12-24T00:00:00+00:00");
        assert_eq!(d("2012-13-24T20:31:07Z"), "none");
    }
}

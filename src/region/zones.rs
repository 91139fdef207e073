//! Twitter's account time zone names (the Rails ActiveSupport list) to the
//! country they point at, from `lexicons/timezones.tsv`.
//!
//! A time zone was picked from a drop-down, so it is cleaner evidence than the
//! free-text location, but several names were shared across borders; the file
//! marks those and lists the countries they cover.

use std::collections::HashMap;

use super::is_country;
use super::places::is_subdivision_of;
use crate::lexicons::{LexiconError, Lexicons};

pub(crate) const FILE: &str = "timezones.tsv";

/// What one zone name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Zone {
    /// `None` for names that point at no country ("UTC").
    pub country: Option<String>,
    pub subdivision: Option<String>,
    /// Other countries whose people pick this zone; non-empty marks the zone
    /// as weak evidence.
    pub shared_with: Vec<String>,
}

impl Zone {
    pub fn is_shared(&self) -> bool {
        !self.shared_with.is_empty()
    }

    /// Whether a location in `country` is consistent with this zone.
    pub fn covers(&self, country: &str) -> bool {
        self.country.as_deref() == Some(country) || self.shared_with.iter().any(|c| c == country)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Zones {
    /// Keyed by the lower-cased, trimmed name.
    by_name: HashMap<String, Zone>,
}

impl Zones {
    pub fn load(lexicons: &Lexicons) -> Result<Zones, LexiconError> {
        Zones::parse(&lexicons.read(FILE)?)
    }

    pub fn parse(text: &str) -> Result<Zones, LexiconError> {
        let mut zones = Zones::default();
        for (line_no, line) in Lexicons::data_lines(text) {
            let err = |reason: &str| LexiconError::at(FILE, line_no, reason);
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() < 2 || cols.len() > 3 || cols[0].is_empty() {
                return Err(err("expected zone<TAB>country[<TAB>shared:XX,YY]"));
            }
            let (country, subdivision) = match cols[1] {
                "-" => (None, None),
                c if is_country(c) => (Some(c.to_string()), None),
                sub => match sub.split_once('-') {
                    Some((c, _)) if is_country(c) && is_subdivision_of(sub, c) => {
                        (Some(c.to_string()), Some(sub.to_string()))
                    }
                    _ => return Err(err("country must be XX, XX-YY or -")),
                },
            };
            let shared_with = match cols.get(2) {
                None | Some(&"") => Vec::new(),
                Some(col) => {
                    let list = col
                        .strip_prefix("shared:")
                        .ok_or_else(|| err("third column must be shared:XX,YY"))?;
                    let codes: Vec<String> =
                        list.split(',').map(|c| c.trim().to_string()).collect();
                    if codes.iter().any(|c| !is_country(c)) {
                        return Err(err("shared: takes a comma-separated list of XX codes"));
                    }
                    codes
                }
            };
            let key = cols[0].to_lowercase();
            let zone = Zone {
                country,
                subdivision,
                shared_with,
            };
            if zones.by_name.insert(key, zone).is_some() {
                return Err(err("zone listed twice"));
            }
        }
        Ok(zones)
    }

    pub fn get(&self, name: &str) -> Option<&Zone> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        self.by_name.get(&name.to_lowercase())
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_name.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_parses_and_covers_the_americas_and_europe() {
        let zones = Zones::load(&Lexicons::embedded()).expect("timezones.tsv parses");
        assert!(zones.len() > 130, "{}", zones.len());
        let eastern = zones.get("Eastern Time (US & Canada)").expect("eastern");
        assert_eq!(eastern.country.as_deref(), Some("US"));
        assert!(eastern.is_shared() && eastern.covers("CA") && !eastern.covers("GB"));
        let arizona = zones.get("arizona ").expect("case and spaces ignored");
        assert_eq!(arizona.subdivision.as_deref(), Some("US-AZ"));
        assert!(!arizona.is_shared());
        assert_eq!(zones.get("UTC").and_then(|z| z.country.clone()), None);
        for name in [
            "Brasilia",
            "Mexico City",
            "Bogota",
            "Lima",
            "Santiago",
            "Buenos Aires",
            "Caracas",
            "Quito",
            "Montevideo",
            "London",
            "Dublin",
            "Stockholm",
            "Copenhagen",
            "Helsinki",
            "Newfoundland",
            "Atlantic Time (Canada)",
            "Tokyo",
            "Sydney",
            "New Delhi",
            "Beijing",
        ] {
            assert!(
                zones.get(name).and_then(|z| z.country.as_ref()).is_some(),
                "{name}"
            );
        }
        assert!(zones.get("Narnia Standard Time").is_none());
    }

    #[test]
    fn malformed_lines_are_rejected() {
        assert!(Zones::parse("Lima\tpe\n").is_err());
        assert!(Zones::parse("Lima\tPE\tCO,EC\n").is_err());
        assert!(Zones::parse("Lima\tPE\nLima\tPE\n").is_err());
        assert!(Zones::parse("Lima\tPE\tshared:CO,EC\n").is_ok());
        // Codes no country has would put posts where no query can find
        // them.
        assert!(Zones::parse("Lima\tZZ\n").is_err());
        assert!(Zones::parse("Lima\tZZ-LM\n").is_err());
        assert!(Zones::parse("Lima\tPE\tshared:CO,XX\n").is_err());
    }
}

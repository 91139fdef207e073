//! Where a post comes from.
//!
//! Per-region complaint curves are the point of the tool ("the UK was not hit,
//! Brazil was"), and posts rarely say where they were written. Three kinds of
//! evidence are weighed, strongest first:
//!
//! 1. `place.country_code` of a geotagged post, when it is two ASCII letters;
//! 2. the account's time zone (`lexicons/timezones.tsv`), a drop-down choice;
//! 3. the free-text profile location (`lexicons/places.tsv`).
//!
//! Zones shared across borders ("Eastern Time (US & Canada)") are weak: when
//! the location names a country the zone covers (Toronto), the location wins,
//! else the zone's own country stands. The location also fills in the US
//! state or Canadian province whenever it agrees with the chosen country. The
//! UTC offset alone is not used: an offset is a band of longitude, not a
//! country.

mod countries;
mod places;
mod zones;

pub use countries::is_country;

use crate::lexicons::{LexiconError, Lexicons};
use crate::post::RegionHints;

use places::{Gazetteer, Place};
use zones::Zones;

/// A country (ISO 3166-1 alpha-2, upper case) or `unknown`, with the US state
/// or Canadian province when the evidence names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub country: String,
    pub subdivision: Option<String>,
}

impl Region {
    pub const UNKNOWN: &'static str = "unknown";

    pub fn unknown() -> Region {
        Region {
            country: Region::UNKNOWN.to_string(),
            subdivision: None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        self.country == Region::UNKNOWN
    }
}

impl From<Place> for Region {
    fn from(p: Place) -> Region {
        Region {
            country: p.country,
            subdivision: p.subdivision,
        }
    }
}

/// Built once from the lexicons; `resolve` does only hash lookups.
pub struct RegionResolver {
    places: Gazetteer,
    zones: Zones,
}

impl RegionResolver {
    pub fn new(lexicons: &Lexicons) -> Result<RegionResolver, LexiconError> {
        Ok(RegionResolver {
            places: Gazetteer::load(lexicons)?,
            zones: Zones::load(lexicons)?,
        })
    }

    pub fn resolve(&self, hints: &RegionHints) -> Region {
        let evidence = hints
            .location
            .as_deref()
            .map(|loc| self.places.evidence(loc))
            .unwrap_or_default();

        if let Some(country) = hints.country_code.as_deref().and_then(valid_country_code) {
            let subdivision = evidence.subdivision_in(&country);
            return Region {
                country,
                subdivision,
            };
        }

        let located = evidence.resolve();
        let zone = hints.time_zone.as_deref().and_then(|z| self.zones.get(z));
        if let Some((zone, zone_country)) = zone.and_then(|z| z.country.as_ref().map(|c| (z, c))) {
            if let Some(place) = &located {
                if zone.is_shared() && zone.covers(&place.country) {
                    return Region::from(place.clone());
                }
            }
            let subdivision = evidence
                .subdivision_in(zone_country)
                .or_else(|| zone.subdivision.clone());
            return Region {
                country: zone_country.clone(),
                subdivision,
            };
        }

        located.map(Region::from).unwrap_or_else(Region::unknown)
    }
}

/// `place.country_code` as Twitter wrote it ("US", sometimes lower case), or
/// `None` when it names no country ("", "usa", "1x", "ZZ").
fn valid_country_code(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    is_country(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver() -> RegionResolver {
        RegionResolver::new(&Lexicons::embedded()).expect("lexicons load")
    }

    fn hints(cc: Option<&str>, zone: Option<&str>, location: Option<&str>) -> RegionHints {
        RegionHints {
            country_code: cc.map(str::to_string),
            time_zone: zone.map(str::to_string),
            utc_offset: None,
            location: location.map(str::to_string),
        }
    }

    fn region(country: &str, sub: Option<&str>) -> Region {
        Region {
            country: country.to_string(),
            subdivision: sub.map(str::to_string),
        }
    }

    #[test]
    fn place_country_code_comes_first() {
        let r = resolver();
        assert_eq!(
            r.resolve(&hints(
                Some("mx"),
                Some("Pacific Time (US & Canada)"),
                Some("NYC")
            )),
            region("MX", None)
        );
        // the location still names the state when it agrees
        assert_eq!(
            r.resolve(&hints(Some("US"), Some("London"), Some("Brooklyn, NY"))),
            region("US", Some("US-NY"))
        );
    }

    #[test]
    fn invalid_place_codes_are_ignored() {
        let r = resolver();
        for bad in ["usa", "1x", "", " ", "U", "é1", "zz", "XX"] {
            assert_eq!(
                r.resolve(&hints(Some(bad), Some("Brasilia"), None)),
                region("BR", None),
                "{bad:?}"
            );
        }
        assert_eq!(
            r.resolve(&hints(Some("usa"), None, Some("the internet"))),
            Region::unknown()
        );
    }

    #[test]
    fn the_time_zone_comes_second() {
        let r = resolver();
        assert_eq!(
            r.resolve(&hints(None, Some("Brasilia"), Some("Rio"))),
            region("BR", None)
        );
        assert_eq!(
            r.resolve(&hints(None, Some("London"), Some("NYC"))),
            region("GB", None)
        );
        assert_eq!(
            r.resolve(&hints(None, Some("Mexico City"), None)),
            region("MX", None)
        );
        assert_eq!(
            r.resolve(&hints(None, Some("Arizona"), None)),
            region("US", Some("US-AZ"))
        );
        assert_eq!(
            r.resolve(&hints(None, Some("Newfoundland"), Some("my couch"))),
            region("CA", Some("CA-NL"))
        );
        // a zone that names no country leaves it to the location
        assert_eq!(
            r.resolve(&hints(None, Some("UTC"), Some("Dublin"))),
            region("IE", None)
        );
        // an unknown zone name is ignored
        assert_eq!(
            r.resolve(&hints(None, Some("Mars"), Some("Lima"))),
            region("PE", None)
        );
    }

    #[test]
    fn shared_zones_yield_to_a_location_they_cover() {
        let r = resolver();
        let eastern = Some("Eastern Time (US & Canada)");
        assert_eq!(
            r.resolve(&hints(None, eastern, Some("Toronto"))),
            region("CA", Some("CA-ON"))
        );
        assert_eq!(
            r.resolve(&hints(None, eastern, Some("Montréal, QC"))),
            region("CA", Some("CA-QC"))
        );
        assert_eq!(
            r.resolve(&hints(None, eastern, Some("Brooklyn, NY"))),
            region("US", Some("US-NY"))
        );
        // not covered by the zone: the zone's own country, no subdivision
        assert_eq!(
            r.resolve(&hints(None, eastern, Some("London, UK"))),
            region("US", None)
        );
        assert_eq!(
            r.resolve(&hints(None, eastern, Some("somewhere"))),
            region("US", None)
        );
        assert_eq!(r.resolve(&hints(None, eastern, None)), region("US", None));
        let central = Some("Central Time (US & Canada)");
        assert_eq!(
            r.resolve(&hints(None, central, Some("Monterrey, N.L."))),
            region("MX", None)
        );
        assert_eq!(
            r.resolve(&hints(None, central, Some("Winnipeg"))),
            region("CA", Some("CA-MB"))
        );
        // Norwegians had no Oslo entry
        assert_eq!(
            r.resolve(&hints(None, Some("Copenhagen"), Some("Oslo"))),
            region("NO", None)
        );
        // an unshared zone is not overridden
        assert_eq!(
            r.resolve(&hints(None, Some("Bogota"), Some("Lima"))),
            region("CO", None)
        );
    }

    #[test]
    fn the_location_comes_last() {
        let r = resolver();
        assert_eq!(
            r.resolve(&hints(None, None, Some("Los Angeles, CA"))),
            region("US", Some("US-CA"))
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("SÃO PAULO, Brasil"))),
            region("BR", None)
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("Bogotá, Colombia"))),
            region("CO", None)
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("Toronto, ON"))),
            region("CA", Some("CA-ON"))
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("sp"))),
            region("BR", None)
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("Georgia"))),
            region("US", Some("US-GA"))
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("in my bed"))),
            Region::unknown()
        );
        assert_eq!(
            r.resolve(&hints(None, None, Some("somewhere over the rainbow"))),
            Region::unknown()
        );
        assert_eq!(r.resolve(&hints(None, None, None)), Region::unknown());
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let r = resolver();
        for loc in [
            "\u{0}",
            "-",
            " - ",
            ",,,",
            "//|",
            "𝕹𝖄𝕮",
            "İSTANBUL",
            "a - b - c",
            "ß",
        ] {
            let _ = r.resolve(&hints(Some(loc), Some(loc), Some(loc)));
        }
    }
}

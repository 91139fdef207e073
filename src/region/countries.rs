//! The country codes a post can be placed in.
//!
//! A region is a country code or `unknown`, and every way of finding one
//! (a geotag's `place.country_code`, the time zones, the gazetteer) gives
//! a code of this list or nothing: a geotag of `ZZ` is ignored like one of
//! `usa`, and a lexicon naming `ZZ` is refused when loaded. So a query for
//! a code outside the list can be refused (`region=ZZ`, `--region ZZ`)
//! rather than answered with zeros that read as "nothing happened there".

/// ISO 3166-1 alpha-2: the 249 assigned codes (as Debian's iso-codes 4.15
/// lists them), and `XK`, which is not assigned but is what GeoNames, CLDR
/// and the EU call Kosovo, and so what geotags there carry. Sorted, for
/// the binary search.
const CODES: [&str; 250] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code`, as the store spells it (upper case), is a country a
/// post can be placed in.
pub fn is_country(code: &str) -> bool {
    CODES.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_holds_every_country_once() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        for code in ["US", "BR", "GB", "XK", "AD", "ZW"] {
            assert!(is_country(code), "{code}");
        }
        // User-assigned, reserved, or not upper case.
        for code in [
            "ZZ", "XX", "AA", "QM", "UK", "EU", "us", "USA", "", "unknown",
        ] {
            assert!(!is_country(code), "{code}");
        }
    }
}

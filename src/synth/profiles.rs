//! Who posts, from where: one profile per region, as a 2012 Twitter sample
//! looked from inside it.
//!
//! A profile says which time zones its accounts picked (with the UTC offset
//! each had in December 2012, daylight saving included: Brasília was UTC-2),
//! what they typed as their location (cities the gazetteer knows, the odd
//! junk, often nothing), which languages they tweet in, and how much they
//! post. Rates are per hour at the busiest hour of a local day; the activity
//! curves (`activity.rs`) shape the rest. Every scenario draws its users and
//! volumes from these tables.

use crate::lang::Lang;

/// Accounts that picked one time zone (or none), and where they say they are.
pub(crate) struct ZoneGroup {
    pub zone: Option<&'static str>,
    /// Seconds east of UTC in December 2012; for accounts without a zone, the
    /// offset they actually live at.
    pub offset: i32,
    pub weight: f64,
    pub places: &'static [&'static str],
}

/// A place object Twitter attached to geotagged tweets.
pub(crate) struct GeoPlace {
    pub name: &'static str,
    pub full_name: &'static str,
    pub country_code: &'static str,
    pub country: &'static str,
}

/// Which stock of names a region's people draw from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Names {
    English,
    Spanish,
    Portuguese,
    French,
    Nordic,
}

pub(crate) struct RegionProfile {
    /// Stable key ("US", "CA-QC"): French-speaking Québec is its own profile.
    pub key: &'static str,
    /// ISO 3166-1 alpha-2 country the region resolver should find.
    pub country: &'static str,
    /// Tweet languages and their shares.
    pub langs: &'static [(Lang, f64)],
    /// The account interface language Twitter reported in `user.lang`.
    pub ui_lang: &'static str,
    pub names: Names,
    pub zones: &'static [ZoneGroup],
    /// Share of accounts with an empty location, and with a joke one.
    pub empty_location: f64,
    pub junk_location: f64,
    pub users: usize,
    /// Posts per hour at the busiest local hour.
    pub chatter: f64,
    /// Posts about other streaming and music services.
    pub services: f64,
    /// Ordinary posts about Netflix.
    pub netflix: f64,
    /// Services people there talked about in 2012 (Hulu and HBO GO were US
    /// only, Spotify had not reached Latin America or Canada).
    pub service_names: &'static [Service],
    /// Netflix streaming members there at the end of 2012, in thousands, when
    /// the Christmas Eve failure hit them (0 otherwise). Netflix published
    /// the US total (about 27 million) and one international total (about 6
    /// million); the split between countries is our rough estimate. Sets the
    /// size of each region's outcry.
    pub subscribers_k: f64,
    pub geo: &'static [GeoPlace],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Hulu,
    HboGo,
    AmazonInstant,
    YouTube,
    Spotify,
}

const EN: &[(Lang, f64)] = &[(Lang::En, 1.0)];
const ES: &[(Lang, f64)] = &[(Lang::Es, 1.0)];
const PT: &[(Lang, f64)] = &[(Lang::Pt, 1.0)];
const FR: &[(Lang, f64)] = &[(Lang::Fr, 1.0)];

use super::locations::*;

const fn zone(
    zone: &'static str,
    offset: i32,
    weight: f64,
    places: &'static [&'static str],
) -> ZoneGroup {
    ZoneGroup {
        zone: Some(zone),
        offset,
        weight,
        places,
    }
}

const fn no_zone(offset: i32, weight: f64, places: &'static [&'static str]) -> ZoneGroup {
    ZoneGroup {
        zone: None,
        offset,
        weight,
        places,
    }
}

const fn geo(
    name: &'static str,
    full_name: &'static str,
    country_code: &'static str,
    country: &'static str,
) -> GeoPlace {
    GeoPlace {
        name,
        full_name,
        country_code,
        country,
    }
}

const H: i32 = 3600;
const ALL_US: &[Service] = &[
    Service::Hulu,
    Service::HboGo,
    Service::AmazonInstant,
    Service::YouTube,
    Service::Spotify,
];
const YT: &[Service] = &[Service::YouTube];
const YT_SPOTIFY: &[Service] = &[Service::YouTube, Service::Spotify];

/// Every region of the 2012 scenarios. Netflix had launched in the US and
/// Canada (2010), Latin America (2011), the UK and Ireland (January 2012) and
/// the Nordics (October 2012); the Christmas Eve failure hit the Americas.
pub(crate) const REGIONS: &[RegionProfile] = &[
    RegionProfile {
        key: "US",
        country: "US",
        langs: &[(Lang::En, 0.94), (Lang::Es, 0.06)],
        ui_lang: "en",
        names: Names::English,
        zones: &[
            zone("Eastern Time (US & Canada)", -5 * H, 0.42, US_EAST),
            zone("Central Time (US & Canada)", -6 * H, 0.25, US_CENTRAL),
            zone("Mountain Time (US & Canada)", -7 * H, 0.05, US_MOUNTAIN),
            zone("Arizona", -7 * H, 0.02, US_ARIZONA),
            zone("Pacific Time (US & Canada)", -8 * H, 0.15, US_PACIFIC),
            zone("Alaska", -9 * H, 0.005, US_ALASKA),
            zone("Hawaii", -10 * H, 0.005, US_HAWAII),
            no_zone(-6 * H, 0.10, US_ALL),
        ],
        empty_location: 0.2,
        junk_location: 0.12,
        users: 9000,
        chatter: 150.0,
        services: 9.0,
        netflix: 30.0,
        service_names: ALL_US,
        subscribers_k: 27_000.0,
        geo: &[
            geo("Manhattan", "Manhattan, NY", "US", "United States"),
            geo("Los Angeles", "Los Angeles, CA", "US", "United States"),
            geo("Chicago", "Chicago, IL", "US", "United States"),
            geo("Houston", "Houston, TX", "US", "United States"),
            geo("Atlanta", "Atlanta, GA", "US", "United States"),
            geo("Philadelphia", "Philadelphia, PA", "US", "United States"),
        ],
    },
    RegionProfile {
        key: "CA",
        country: "CA",
        langs: EN,
        ui_lang: "en",
        names: Names::English,
        zones: &[
            zone("Eastern Time (US & Canada)", -5 * H, 0.50, CA_EAST),
            zone("Pacific Time (US & Canada)", -8 * H, 0.14, CA_PACIFIC),
            zone("Mountain Time (US & Canada)", -7 * H, 0.11, CA_MOUNTAIN),
            zone("Central Time (US & Canada)", -6 * H, 0.04, CA_CENTRAL),
            zone("Saskatchewan", -6 * H, 0.02, CA_SASK),
            zone("Atlantic Time (Canada)", -4 * H, 0.06, CA_ATLANTIC),
            zone("Newfoundland", -(3 * H + H / 2), 0.02, CA_NEWFOUNDLAND),
            no_zone(-5 * H, 0.11, CA_EAST),
        ],
        empty_location: 0.08,
        junk_location: 0.06,
        users: 1400,
        chatter: 18.0,
        services: 0.8,
        netflix: 4.0,
        service_names: YT,
        subscribers_k: 1_500.0,
        geo: &[
            geo("Toronto", "Toronto, Ontario", "CA", "Canada"),
            geo("Vancouver", "Vancouver, British Columbia", "CA", "Canada"),
            geo("Calgary", "Calgary, Alberta", "CA", "Canada"),
        ],
    },
    RegionProfile {
        key: "CA-QC",
        country: "CA",
        langs: FR,
        ui_lang: "fr",
        names: Names::French,
        zones: &[
            zone("Eastern Time (US & Canada)", -5 * H, 0.82, QC),
            no_zone(-5 * H, 0.18, QC),
        ],
        empty_location: 0.08,
        junk_location: 0.05,
        users: 500,
        chatter: 6.0,
        services: 0.2,
        netflix: 1.0,
        service_names: YT,
        subscribers_k: 400.0,
        geo: &[
            geo("Montréal", "Montréal, Québec", "CA", "Canada"),
            geo("Québec", "Québec, Québec", "CA", "Canada"),
        ],
    },
    RegionProfile {
        key: "MX",
        country: "MX",
        langs: ES,
        ui_lang: "es",
        names: Names::Spanish,
        zones: &[
            zone("Mexico City", -6 * H, 0.42, MX_CENTRE),
            zone("Guadalajara", -6 * H, 0.10, MX_GDL),
            zone("Monterrey", -6 * H, 0.08, MX_MTY),
            zone("Central Time (US & Canada)", -6 * H, 0.14, MX_ALL),
            zone("Chihuahua", -7 * H, 0.02, MX_NORTH),
            zone("Mazatlan", -7 * H, 0.02, MX_PACIFIC),
            zone("Tijuana", -8 * H, 0.02, MX_TIJUANA),
            no_zone(-6 * H, 0.20, MX_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 1500,
        chatter: 30.0,
        services: 1.2,
        netflix: 2.5,
        service_names: YT,
        subscribers_k: 650.0,
        geo: &[
            geo(
                "Ciudad de México",
                "Ciudad de México, Distrito Federal",
                "MX",
                "México",
            ),
            geo("Guadalajara", "Guadalajara, Jalisco", "MX", "México"),
            geo("Monterrey", "Monterrey, Nuevo León", "MX", "México"),
        ],
    },
    RegionProfile {
        key: "BR",
        country: "BR",
        langs: PT,
        ui_lang: "pt",
        names: Names::Portuguese,
        zones: &[
            zone("Brasilia", -2 * H, 0.66, BR_SOUTHEAST),
            zone("Greenland", -3 * H, 0.06, BR_NORTHEAST),
            zone("Buenos Aires", -3 * H, 0.04, BR_NORTHEAST),
            zone("Santiago", -3 * H, 0.02, BR_NORTHEAST),
            zone("Mid-Atlantic", -2 * H, 0.02, BR_SOUTHEAST),
            no_zone(-2 * H, 0.20, BR_SOUTHEAST),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 2500,
        chatter: 80.0,
        services: 2.5,
        netflix: 3.0,
        service_names: YT,
        subscribers_k: 800.0,
        geo: &[
            geo("São Paulo", "São Paulo, São Paulo", "BR", "Brasil"),
            geo(
                "Rio de Janeiro",
                "Rio de Janeiro, Rio de Janeiro",
                "BR",
                "Brasil",
            ),
            geo(
                "Belo Horizonte",
                "Belo Horizonte, Minas Gerais",
                "BR",
                "Brasil",
            ),
        ],
    },
    RegionProfile {
        key: "AR",
        country: "AR",
        langs: ES,
        ui_lang: "es",
        names: Names::Spanish,
        zones: &[
            zone("Buenos Aires", -3 * H, 0.82, AR_ALL),
            zone("Santiago", -3 * H, 0.03, AR_ALL),
            no_zone(-3 * H, 0.15, AR_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 800,
        chatter: 20.0,
        services: 0.6,
        netflix: 0.8,
        service_names: YT,
        subscribers_k: 200.0,
        geo: &[geo(
            "Buenos Aires",
            "Ciudad Autónoma de Buenos Aires, Argentina",
            "AR",
            "Argentina",
        )],
    },
    RegionProfile {
        key: "CO",
        country: "CO",
        langs: ES,
        ui_lang: "es",
        names: Names::Spanish,
        zones: &[
            zone("Bogota", -5 * H, 0.76, CO_ALL),
            zone("Quito", -5 * H, 0.04, CO_ALL),
            zone("Lima", -5 * H, 0.03, CO_ALL),
            no_zone(-5 * H, 0.17, CO_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 700,
        chatter: 14.0,
        services: 0.5,
        netflix: 0.7,
        service_names: YT,
        subscribers_k: 180.0,
        geo: &[geo(
            "Bogotá",
            "Bogotá, Distrito Capital de Bogotá",
            "CO",
            "Colombia",
        )],
    },
    RegionProfile {
        key: "CL",
        country: "CL",
        langs: ES,
        ui_lang: "es",
        names: Names::Spanish,
        zones: &[
            zone("Santiago", -3 * H, 0.85, CL_ALL),
            no_zone(-3 * H, 0.15, CL_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 500,
        chatter: 10.0,
        services: 0.4,
        netflix: 0.7,
        service_names: YT,
        subscribers_k: 150.0,
        geo: &[geo(
            "Santiago",
            "Santiago, Región Metropolitana",
            "CL",
            "Chile",
        )],
    },
    RegionProfile {
        key: "VE",
        country: "VE",
        langs: ES,
        ui_lang: "es",
        names: Names::Spanish,
        zones: &[
            zone("Caracas", -(4 * H + H / 2), 0.85, VE_ALL),
            no_zone(-(4 * H + H / 2), 0.15, VE_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 400,
        chatter: 12.0,
        services: 0.3,
        netflix: 0.3,
        service_names: YT,
        subscribers_k: 60.0,
        geo: &[geo(
            "Caracas",
            "Caracas, Distrito Capital",
            "VE",
            "Venezuela",
        )],
    },
    RegionProfile {
        key: "PE",
        country: "PE",
        langs: ES,
        ui_lang: "es",
        names: Names::Spanish,
        zones: &[
            zone("Lima", -5 * H, 0.80, PE_ALL),
            zone("Quito", -5 * H, 0.05, PE_ALL),
            no_zone(-5 * H, 0.15, PE_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 300,
        chatter: 5.0,
        services: 0.2,
        netflix: 0.3,
        service_names: YT,
        subscribers_k: 70.0,
        geo: &[geo("Lima", "Lima, Lima", "PE", "Perú")],
    },
    RegionProfile {
        key: "GB",
        country: "GB",
        langs: EN,
        ui_lang: "en",
        names: Names::English,
        zones: &[
            zone("London", 0, 0.72, GB_ENGLAND),
            zone("Edinburgh", 0, 0.10, GB_SCOTLAND),
            zone("Amsterdam", H, 0.03, GB_ENGLAND),
            no_zone(0, 0.15, GB_ENGLAND),
        ],
        empty_location: 0.15,
        junk_location: 0.1,
        users: 2000,
        chatter: 45.0,
        services: 2.5,
        netflix: 7.0,
        service_names: YT_SPOTIFY,
        subscribers_k: 0.0,
        geo: &[
            geo("London", "London, London", "GB", "United Kingdom"),
            geo(
                "Manchester",
                "Manchester, Manchester",
                "GB",
                "United Kingdom",
            ),
        ],
    },
    RegionProfile {
        key: "IE",
        country: "IE",
        langs: EN,
        ui_lang: "en",
        names: Names::English,
        zones: &[
            zone("Dublin", 0, 0.75, IE_ALL),
            zone("London", 0, 0.10, IE_ALL),
            no_zone(0, 0.15, IE_ALL),
        ],
        empty_location: 0.12,
        junk_location: 0.08,
        users: 300,
        chatter: 5.0,
        services: 0.3,
        netflix: 0.9,
        service_names: YT_SPOTIFY,
        subscribers_k: 0.0,
        geo: &[geo("Dublin", "Dublin City, Dublin", "IE", "Ireland")],
    },
    RegionProfile {
        key: "SE",
        country: "SE",
        langs: EN,
        ui_lang: "sv",
        names: Names::Nordic,
        zones: &[zone("Stockholm", H, 0.85, SE_ALL), no_zone(H, 0.15, SE_ALL)],
        empty_location: 0.1,
        junk_location: 0.05,
        users: 250,
        chatter: 4.0,
        services: 0.4,
        netflix: 0.8,
        service_names: YT_SPOTIFY,
        subscribers_k: 0.0,
        geo: &[geo("Stockholm", "Stockholm, Stockholm", "SE", "Sweden")],
    },
    RegionProfile {
        key: "NO",
        country: "NO",
        langs: EN,
        ui_lang: "no",
        names: Names::Nordic,
        zones: &[
            zone("Copenhagen", H, 0.30, NO_ALL),
            zone("Stockholm", H, 0.25, NO_ALL),
            zone("Amsterdam", H, 0.20, NO_ALL),
            zone("Berlin", H, 0.05, NO_ALL),
            no_zone(H, 0.20, NO_ALL),
        ],
        empty_location: 0.06,
        junk_location: 0.04,
        users: 200,
        chatter: 3.0,
        services: 0.3,
        netflix: 0.7,
        service_names: YT_SPOTIFY,
        subscribers_k: 0.0,
        geo: &[geo("Oslo", "Oslo, Oslo", "NO", "Norway")],
    },
    RegionProfile {
        key: "DK",
        country: "DK",
        langs: EN,
        ui_lang: "da",
        names: Names::Nordic,
        zones: &[
            zone("Copenhagen", H, 0.85, DK_ALL),
            no_zone(H, 0.15, DK_ALL),
        ],
        empty_location: 0.1,
        junk_location: 0.05,
        users: 150,
        chatter: 2.5,
        services: 0.25,
        netflix: 0.6,
        service_names: YT_SPOTIFY,
        subscribers_k: 0.0,
        geo: &[geo(
            "Copenhagen",
            "Copenhagen, Capital Region",
            "DK",
            "Denmark",
        )],
    },
    RegionProfile {
        key: "FI",
        country: "FI",
        langs: EN,
        ui_lang: "fi",
        names: Names::Nordic,
        zones: &[
            zone("Helsinki", 2 * H, 0.85, FI_ALL),
            no_zone(2 * H, 0.15, FI_ALL),
        ],
        empty_location: 0.1,
        junk_location: 0.05,
        users: 120,
        chatter: 2.0,
        services: 0.2,
        netflix: 0.4,
        service_names: YT_SPOTIFY,
        subscribers_k: 0.0,
        geo: &[geo("Helsinki", "Helsinki, Uusimaa", "FI", "Finland")],
    },
];

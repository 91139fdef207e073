//! The gazetteer: free-text profile locations ("Brooklyn, NY", "São Paulo,
//! Brasil", "sp") to a country and, for the US and Canada, a subdivision.
//!
//! Profile locations are whatever people typed, so matching is deliberately
//! narrow: a fixed table (`lexicons/places.tsv`), normalised once at load into
//! hash maps, and a handful of lookups per location. The file's header
//! documents the rules; this module implements them.

use std::collections::HashMap;

use crate::lexicons::{LexiconError, Lexicons};

pub(crate) const FILE: &str = "places.tsv";

/// Longest run of words tried inside a part, whatever the file says: keeps the
/// per-location work bounded.
const MAX_NGRAM: usize = 5;

/// One reading of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub country: String,
    pub subdivision: Option<String>,
}

/// All readings of one name, the default first.
pub(crate) type Readings = Vec<Place>;

/// What a location said: the readings of each name found, strongest evidence
/// first (see the file header for the order).
#[derive(Debug, Default)]
pub(crate) struct Evidence<'a> {
    hits: Vec<&'a Readings>,
}

impl<'a> Evidence<'a> {
    /// The country and subdivision the location names on its own.
    pub fn resolve(&self) -> Option<Place> {
        let (first, rest) = self.hits.split_first()?;
        let chosen = if first.len() > 1 {
            first
                .iter()
                .find(|option| {
                    rest.iter()
                        .any(|hit| hit.iter().any(|p| p.country == option.country))
                })
                .unwrap_or(&first[0])
        } else {
            &first[0]
        };
        let subdivision = chosen
            .subdivision
            .clone()
            .or_else(|| self.subdivision_in(&chosen.country));
        Some(Place {
            country: chosen.country.clone(),
            subdivision,
        })
    }

    /// The first subdivision of `country` that any reading of any name gives:
    /// used when the country is settled by stronger evidence.
    pub fn subdivision_in(&self, country: &str) -> Option<String> {
        self.hits
            .iter()
            .flat_map(|hit| hit.iter())
            .find(|p| p.country == country && p.subdivision.is_some())
            .and_then(|p| p.subdivision.clone())
    }
}

/// The three kinds of name the file holds, by how they are written.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    /// Two upper-case letters, matched case-sensitively against a whole part.
    codes: HashMap<String, Readings>,
    /// Lower-case or very short names: whole location or whole part only.
    whole_only: HashMap<String, Readings>,
    /// Everything else: whole, part, or a run of words anywhere.
    names: HashMap<String, Readings>,
    /// Most words in any name, so n-grams longer than that are never built.
    max_words: usize,
}

impl Gazetteer {
    pub fn load(lexicons: &Lexicons) -> Result<Gazetteer, LexiconError> {
        Gazetteer::parse(&lexicons.read(FILE)?)
    }

    pub fn parse(text: &str) -> Result<Gazetteer, LexiconError> {
        let mut g = Gazetteer::default();
        for (line_no, line) in Lexicons::data_lines(text) {
            let err = |reason: &str| LexiconError::at(FILE, line_no, reason);
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 || cols.len() > 3 {
                return Err(err("expected name<TAB>country[<TAB>subdivision]"));
            }
            let written = cols[0].trim();
            let country = cols[1].trim();
            if !super::is_country(country) {
                return Err(err(
                    "country must be an ISO 3166-1 code in upper case, such as US",
                ));
            }
            let subdivision = match cols.get(2).map(|s| s.trim()).unwrap_or("") {
                "" => None,
                sub if is_subdivision_of(sub, country) => Some(sub.to_string()),
                _ => {
                    return Err(err(
                        "subdivision must look like US-NY, for the same country",
                    ))
                }
            };
            let place = Place {
                country: country.to_string(),
                subdivision,
            };
            let (map, key) = if is_code(written) {
                (&mut g.codes, written.to_string())
            } else {
                let key = normalise(written);
                if key.is_empty() {
                    return Err(err("name is empty once normalised"));
                }
                let whole_only =
                    key.chars().count() <= 2 || !written.chars().any(|c| c.is_uppercase());
                if whole_only {
                    (&mut g.whole_only, key)
                } else {
                    g.max_words = g.max_words.max(key.split(' ').count());
                    (&mut g.names, key)
                }
            };
            let readings = map.entry(key).or_default();
            if !readings.contains(&place) {
                readings.push(place);
            }
        }
        g.max_words = g.max_words.min(MAX_NGRAM);
        Ok(g)
    }

    /// Everything `location` names, strongest evidence first.
    pub fn evidence<'a>(&'a self, location: &str) -> Evidence<'a> {
        let mut ev = Evidence::default();
        let whole = normalise(location);
        if whole.is_empty() {
            return ev;
        }
        if let Some(hit) = self
            .whole_only
            .get(&whole)
            .or_else(|| self.names.get(&whole))
        {
            ev.hits.push(hit);
            return ev;
        }
        let parts: Vec<&str> = split_parts(location);
        let normalised: Vec<String> = parts.iter().map(|p| normalise(p)).collect();
        let mut matched = vec![false; parts.len()];
        for i in (0..parts.len()).rev() {
            let hit = self
                .codes
                .get(code_form(parts[i]).as_str())
                .or_else(|| self.whole_only.get(&normalised[i]))
                .or_else(|| self.names.get(&normalised[i]));
            if let Some(hit) = hit {
                ev.hits.push(hit);
                matched[i] = true;
            }
        }
        for i in (0..parts.len()).rev() {
            if !matched[i] {
                self.ngrams(&normalised[i], &mut ev);
            }
        }
        ev
    }

    /// Runs of words inside one normalised part, longest first and right to
    /// left; words inside a run already found are not reused, so "new mexico"
    /// does not also report "mexico".
    fn ngrams<'a>(&'a self, part: &str, ev: &mut Evidence<'a>) {
        let words: Vec<&str> = part.split(' ').filter(|w| !w.is_empty()).collect();
        let mut used = vec![false; words.len()];
        let mut key = String::new();
        for n in (1..=self.max_words.min(words.len())).rev() {
            for start in (0..=words.len() - n).rev() {
                if used[start..start + n].iter().any(|&u| u) {
                    continue;
                }
                key.clear();
                for (k, w) in words[start..start + n].iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(w);
                }
                if let Some(hit) = self.names.get(&key) {
                    ev.hits.push(hit);
                    used[start..start + n].iter_mut().for_each(|u| *u = true);
                }
            }
        }
    }
}

/// `US-NY`, `CA-QC`: the country, a dash, one to three upper-case letters or
/// digits.
pub(crate) fn is_subdivision_of(sub: &str, country: &str) -> bool {
    match sub.split_once('-') {
        Some((c, rest)) => {
            c == country
                && (1..=3).contains(&rest.len())
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
        None => false,
    }
}

/// A name written as a code (`NY`, `ON`, `SP`): two ASCII upper-case
/// letters.
fn is_code(written: &str) -> bool {
    written.len() == 2 && written.bytes().all(|b| b.is_ascii_uppercase())
}

/// A part as it would read if it were a code: dots and edge punctuation
/// dropped, case kept ("U.K." → "UK", " TX!" → "TX").
fn code_form(part: &str) -> String {
    part.chars()
        .filter(|&c| c != '.')
        .collect::<String>()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// Splits at the separators people put between place names.
fn split_parts(location: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for piece in location.split([',', '/', '|', ';', '\n', '•', '·']) {
        for sub in piece
            .split(" - ")
            .flat_map(|s| s.split('–'))
            .flat_map(|s| s.split('—'))
        {
            if sub.chars().any(|c| c.is_alphanumeric()) {
                parts.push(sub);
            }
        }
    }
    parts
}

/// Lower case, accents folded, dots and apostrophes dropped, other
/// non-alphanumerics turned into spaces, hyphens kept inside words only,
/// single spaces.
pub(crate) fn normalise(text: &str) -> String {
    let mut flat = String::with_capacity(text.len());
    for ch in text.chars() {
        for lower in ch.to_lowercase() {
            match lower {
                '.' | '\'' | '’' | '`' | '´' => {}
                '-' => flat.push('-'),
                c => match fold(c) {
                    Some(s) => flat.push_str(s),
                    None if c.is_alphanumeric() => flat.push(c),
                    None => flat.push(' '),
                },
            }
        }
    }
    let mut out = String::with_capacity(flat.len());
    for word in flat.split_whitespace() {
        let word = word.trim_matches('-');
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The accented Latin letters of the languages we see, to their bare form.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => "u",
        'ç' | 'ć' | 'č' => "c",
        'ñ' | 'ń' => "n",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' | 'ş' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ğ' => "g",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        'ð' => "d",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::load(&Lexicons::embedded()).expect("places.tsv parses")
    }

    fn place(g: &Gazetteer, location: &str) -> Option<(String, Option<String>)> {
        g.evidence(location)
            .resolve()
            .map(|p| (p.country, p.subdivision))
    }

    fn at(country: &str, sub: Option<&str>) -> Option<(String, Option<String>)> {
        Some((country.to_string(), sub.map(str::to_string)))
    }

    #[test]
    fn normalising_folds_case_accents_dots_and_edges() {
        assert_eq!(normalise("  São   Paulo!! "), "sao paulo");
        assert_eq!(normalise("MONTRÉAL ❤"), "montreal");
        assert_eq!(normalise("U.K."), "uk");
        assert_eq!(normalise("St. John's"), "st johns");
        assert_eq!(normalise("#Trois-Rivières -"), "trois-rivieres");
        assert_eq!(normalise("København"), "kobenhavn");
        assert_eq!(normalise("🌴🌴"), "");
    }

    #[test]
    fn cities_and_states_with_subdivisions() {
        let g = gazetteer();
        assert_eq!(place(&g, "Brooklyn, NY"), at("US", Some("US-NY")));
        assert_eq!(place(&g, "NYC"), at("US", Some("US-NY")));
        assert_eq!(place(&g, "Los Angeles, CA"), at("US", Some("US-CA")));
        assert_eq!(place(&g, "Toronto, ON"), at("CA", Some("CA-ON")));
        assert_eq!(place(&g, "Montréal, QC"), at("CA", Some("CA-QC")));
        assert_eq!(place(&g, "montreal"), at("CA", Some("CA-QC")));
        assert_eq!(place(&g, "Austin, TX"), at("US", Some("US-TX")));
        assert_eq!(place(&g, "Chi-town"), at("US", Some("US-IL")));
        assert_eq!(place(&g, "living in Philly 🔔"), at("US", Some("US-PA")));
        assert_eq!(place(&g, "Springfield, IL"), at("US", Some("US-IL")));
        assert_eq!(place(&g, "Washington, D.C."), at("US", Some("US-DC")));
        // the country part decides, the city fills the subdivision
        assert_eq!(place(&g, "Portland, USA"), at("US", Some("US-OR")));
    }

    #[test]
    fn latin_america_in_three_languages() {
        let g = gazetteer();
        assert_eq!(place(&g, "São Paulo, Brasil"), at("BR", None));
        assert_eq!(place(&g, "SAO PAULO"), at("BR", None));
        assert_eq!(place(&g, "sp"), at("BR", None));
        assert_eq!(place(&g, "Rio"), at("BR", None));
        assert_eq!(place(&g, "CDMX"), at("MX", None));
        assert_eq!(place(&g, "Mexico D.F."), at("MX", None));
        assert_eq!(place(&g, "Bogotá, Colombia"), at("CO", None));
        assert_eq!(place(&g, "bogota"), at("CO", None));
        assert_eq!(place(&g, "Buenos Aires"), at("AR", None));
        assert_eq!(place(&g, "Santiago de Chile"), at("CL", None));
        assert_eq!(place(&g, "Perú"), at("PE", None));
        assert_eq!(place(&g, "San Juan, Puerto Rico"), at("PR", None));
        // "New Mexico" is the state, not the country
        assert_eq!(place(&g, "Albuquerque New Mexico"), at("US", Some("US-NM")));
    }

    #[test]
    fn europe_and_the_nordics() {
        let g = gazetteer();
        assert_eq!(place(&g, "London, UK"), at("GB", None));
        assert_eq!(place(&g, "london u.k."), at("GB", None));
        assert_eq!(place(&g, "Dublin"), at("IE", None));
        assert_eq!(place(&g, "Éire"), at("IE", None));
        assert_eq!(place(&g, "Belfast, Northern Ireland"), at("GB", None));
        assert_eq!(place(&g, "København"), at("DK", None));
        assert_eq!(place(&g, "Oslo, Norge"), at("NO", None));
        assert_eq!(place(&g, "Paris"), at("FR", None));
    }

    #[test]
    fn two_letter_codes_need_upper_case_and_a_part_of_their_own() {
        let g = gazetteer();
        assert_eq!(place(&g, "in my bed"), None);
        assert_eq!(place(&g, "ok"), None);
        assert_eq!(place(&g, "Hi!"), None);
        assert_eq!(place(&g, "me"), None);
        assert_eq!(place(&g, "or wherever"), None);
        assert_eq!(place(&g, "Indianapolis, IN"), at("US", Some("US-IN")));
        assert_eq!(place(&g, "Bloomington, IN"), at("US", Some("US-IN")));
        assert_eq!(place(&g, "bloomington, in"), None);
        assert_eq!(place(&g, "OK"), at("US", Some("US-OK")));
        // a lone LA is the city, after a comma it is the state
        assert_eq!(place(&g, "LA"), at("US", Some("US-CA")));
        assert_eq!(place(&g, "Shreveport, LA"), at("US", Some("US-LA")));
        assert_eq!(place(&g, "la vida loca"), None);
    }

    #[test]
    fn ambiguous_names_follow_the_other_parts() {
        let g = gazetteer();
        assert_eq!(place(&g, "Georgia"), at("US", Some("US-GA")));
        assert_eq!(place(&g, "Atlanta, Georgia"), at("US", Some("US-GA")));
        assert_eq!(place(&g, "Tbilisi, Georgia"), at("GE", None));
        assert_eq!(place(&g, "London, ON"), at("CA", Some("CA-ON")));
        assert_eq!(place(&g, "Paris, TX"), at("US", Some("US-TX")));
        assert_eq!(place(&g, "Recife, PE"), at("BR", None));
        assert_eq!(place(&g, "Charlottetown, PE"), at("CA", Some("CA-PE")));
        assert_eq!(place(&g, "Curitiba, PR"), at("BR", None));
        assert_eq!(place(&g, "Ponce, PR"), at("PR", None));
        assert_eq!(place(&g, "Birmingham, AL"), at("US", Some("US-AL")));
        assert_eq!(place(&g, "Maceió - AL"), at("BR", None));
    }

    #[test]
    fn junk_names_nothing() {
        let g = gazetteer();
        for junk in [
            "somewhere over the rainbow",
            "the internet",
            "my couch",
            "Narnia",
            "en mi casa",
            "planeta tierra",
            "chez moi",
            "worldwide",
            "",
            "   ",
            "🌎",
            "@justinbieber's heart",
        ] {
            assert_eq!(place(&g, junk), None, "{junk:?}");
        }
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let e = Gazetteer::parse("# c\nParis\tfr\t\n").expect_err("lower-case country");
        assert_eq!(e.line, Some(2));
        assert!(Gazetteer::parse("Paris\n").is_err());
        assert!(Gazetteer::parse("Austin\tUS\tCA-TX\n").is_err());
        assert!(Gazetteer::parse("Austin\tUS\tUS-TX\n").is_ok());
        // No post placed in a code no country has could be asked for.
        let e = Gazetteer::parse("Narnia\tZZ\n").expect_err("no country's code");
        assert_eq!(
            e.to_string(),
            "lexicon places.tsv:1: country must be an ISO 3166-1 code in upper case, such as US"
        );
    }
}

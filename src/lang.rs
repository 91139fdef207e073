//! The languages outcry has lexicons for.
//!
//! Tagging and scoring both pick their word lists by language; keeping the
//! enum in one place means a fifth language is added once.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Es,
    Pt,
    Fr,
}

/// A language code without its region or script (`pt-BR` → `pt`,
/// `es_MX` → `es`), as written.
pub fn base_code(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Es, Lang::Pt, Lang::Fr];

    /// Its place in [`Lang::ALL`], for tables kept per language.
    pub fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Es => 1,
            Lang::Pt => 2,
            Lang::Fr => 3,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Fr => "fr",
        }
    }

    /// Accepts the codes sources write (`en`, `pt-BR`, `es_MX`, `FR`); `None`
    /// for languages we have no lexicon for (and for `und`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match base_code(code).to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "pt" => Some(Lang::Pt),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    pub fn stemmer_algorithm(self) -> rust_stemmers::Algorithm {
        match self {
            Lang::En => rust_stemmers::Algorithm::English,
            Lang::Es => rust_stemmers::Algorithm::Spanish,
            Lang::Pt => rust_stemmers::Algorithm::Portuguese,
            Lang::Fr => rust_stemmers::Algorithm::French,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_with_regions_and_case_are_understood() {
        assert_eq!(Lang::from_code("pt-BR"), Some(Lang::Pt));
        assert_eq!(Lang::from_code("es_MX"), Some(Lang::Es));
        assert_eq!(Lang::from_code("FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("und"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}

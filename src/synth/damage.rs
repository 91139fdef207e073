//! The damaged lines real archives hold, made on purpose so readers are
//! tested on them: a capture cut mid-line, a Latin-1 byte, an array, a float
//! id, a missing or malformed timestamp, an HTML error page.

/// Ways a line gets damaged on its way into an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Damage {
    /// The capture stopped mid-line.
    Truncated,
    /// A tool re-encoded one accented letter as Latin-1.
    Latin1Byte,
    /// Someone pasted a JSON array where a tweet object belongs.
    JsonArray,
    /// A JavaScript tool dropped `id_str` and wrote `id` as a float.
    FloatIdNoIdStr,
    /// `created_at` missing.
    NoCreatedAt,
    /// `created_at` without its year.
    BadCreatedAt,
    /// A proxy's error page where a line should be.
    HtmlErrorPage,
}

impl Damage {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Damage::Truncated => "truncated JSON (tweet cut mid-line)",
            Damage::Latin1Byte => "invalid UTF-8 (one accented letter written as a Latin-1 byte)",
            Damage::JsonArray => "a JSON array holding a tweet object",
            Damage::FloatIdNoIdStr => "tweet without id_str, id written as a float",
            Damage::NoCreatedAt => "tweet without created_at",
            Damage::BadCreatedAt => "created_at not in Twitter's format (year missing)",
            Damage::HtmlErrorPage => "not JSON: an HTML 503 error page",
        }
    }
}

/// When (roughly) each damaged line falls, in hours from the start.
pub(super) const DAMAGE_PLAN: &[(i64, Damage)] = &[
    (9, Damage::Truncated),
    (40, Damage::Latin1Byte),
    (70, Damage::JsonArray),
    (100, Damage::FloatIdNoIdStr),
    (130, Damage::NoCreatedAt),
    (160, Damage::BadCreatedAt),
    (193, Damage::Truncated),
    (205, Damage::HtmlErrorPage),
];
/// Whether the text holds a letter a Latin-1 tool could have mangled.
pub(super) fn has_latin1(text: &str) -> bool {
    text.chars().any(|c| ('\u{80}'..='\u{ff}').contains(&c))
}

/// Applies one kind of damage to a well-formed line (newline included).
pub(super) fn damage_line(mut line: Vec<u8>, damage: Damage, id: u64) -> Vec<u8> {
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    let text = String::from_utf8_lossy(&line).into_owned();
    let mut bytes: Vec<u8> = match damage {
        Damage::Truncated => {
            let mut cut = text.len() * 11 / 20;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.as_bytes()[..cut].to_vec()
        }
        Damage::Latin1Byte => {
            let mut out = Vec::with_capacity(line.len());
            let mut done = false;
            let body_start = text.find("\"text\":\"").unwrap_or(0);
            for (pos, c) in text.char_indices() {
                if !done && pos > body_start && ('\u{80}'..='\u{ff}').contains(&c) {
                    out.push(c as u32 as u8);
                    done = true;
                } else {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            out
        }
        Damage::JsonArray => format!("[{text}]").into_bytes(),
        Damage::FloatIdNoIdStr => {
            let exact = format!("\"id\":{id},\"id_str\":\"{id}\",");
            let float = format!("\"id\":{:e},", id as f64);
            text.replacen(&exact, &float, 1).into_bytes()
        }
        Damage::NoCreatedAt => match text.find("\",\"id\":") {
            Some(end) if text.starts_with("{\"created_at\":\"") => {
                format!("{{{}", &text[end + 2..]).into_bytes()
            }
            _ => text.into_bytes(),
        },
        Damage::BadCreatedAt => text.replacen(" +0000 2012\",\"id\"", " +0000\",\"id\"", 1).into_bytes(),
        Damage::HtmlErrorPage => {
            b"<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>"
                .to_vec()
        }
    };
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "{\"created_at\":\"Mon Dec 24 20:31:07 +0000 2012\",\"id\":283,\"id_str\":\"283\",\"text\":\"não é\",\"lang\":\"pt\"}\n";

    fn damaged(d: Damage) -> Vec<u8> {
        damage_line(LINE.as_bytes().to_vec(), d, 283)
    }

    #[test]
    fn each_damage_breaks_the_line_its_own_way() {
        let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b);
        assert!(parse(LINE.as_bytes()).is_ok());
        assert!(parse(&damaged(Damage::Truncated)).is_err());
        let latin1 = damaged(Damage::Latin1Byte);
        assert!(std::str::from_utf8(&latin1).is_err());
        assert!(latin1.windows(3).any(|w| w == b"n\xe3o"));
        assert!(parse(&damaged(Damage::JsonArray))
            .expect("an array")
            .is_array());
        let v = parse(&damaged(Damage::FloatIdNoIdStr)).expect("json");
        assert!(v.get("id_str").is_none() && v["id"].is_f64());
        let v = parse(&damaged(Damage::NoCreatedAt)).expect("json");
        assert!(v.get("created_at").is_none() && v["id"] == 283);
        let v = parse(&damaged(Damage::BadCreatedAt)).expect("json");
        assert_eq!(v["created_at"], "Mon Dec 24 20:31:07 +0000");
        assert!(damaged(Damage::HtmlErrorPage).starts_with(b"<html>"));
        for d in [Damage::Truncated, Damage::HtmlErrorPage, Damage::JsonArray] {
            assert_eq!(damaged(d).iter().filter(|&&b| b == b'\n').count(), 1);
        }
    }
}

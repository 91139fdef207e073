//! Which archive format a stream holds, recognised from its first bytes.
//!
//! People rarely know (or say) what shape their archive is in: a folder of
//! twarc2 output, a Twitter export renamed, a CSV from a colleague. The first
//! few hundred kilobytes of each decompressed stream decide it: the
//! `window.YTD.` prefix of the export, a CSV header that names an id, a time
//! and a text column, or the top-level keys of the first JSON object (twarc2
//! responses carry `data`/`includes`, flattened v2 tweets `author_id`, v1.1
//! tweets neither). `--format` overrides the guess.

/// A family of tweet archives outcry reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Twitter API v1.1 tweet JSON (streaming API, twarc v1, the Internet
    /// Archive's Stream Grab), one per line or pretty-printed.
    TwitterV1,
    /// Twitter API v2 as twarc2 writes it: raw responses or flattened tweets.
    TwitterV2,
    /// The "Download your archive" export (`data/tweets.js`).
    Export,
    /// twarc-csv, twarc v1 `json2csv`, or the old archive's `tweets.csv`.
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::TwitterV1,
        Format::TwitterV2,
        Format::Export,
        Format::Csv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::TwitterV1 => "twitter-v1",
            Format::TwitterV2 => "twitter-v2",
            Format::Export => "export",
            Format::Csv => "csv",
        }
    }

    /// The names `--format` accepts (`auto` is handled by the caller).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "v1" | "twitter-v1" | "jsonl" => Format::TwitterV1,
            "v2" | "twitter-v2" | "twarc2" => Format::TwitterV2,
            "export" | "tweets.js" => Format::Export,
            "csv" => Format::Csv,
            _ => return None,
        })
    }
}

/// A format and layout in words: `twitter-v2 (JSON lines)`, `csv`.
pub fn describe(format: Format, shape: Shape) -> String {
    match (format, shape) {
        (Format::Csv, Shape::Table) => "csv".into(),
        (Format::Export, Shape::Document) => "export (tweets.js)".into(),
        (f, s) => format!("{} ({})", f.name(), s.name()),
    }
}

/// How records are laid out in a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// One JSON value per line.
    Lines,
    /// A JSON document: an array of records, pretty-printed objects, or the
    /// export's `window.YTD.… = [ … ]`.
    Document,
    /// CSV with a header row.
    Table,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Lines => "JSON lines",
            Shape::Document => "JSON document",
            Shape::Table => "CSV",
        }
    }
}

/// What the head of a stream turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Posts(Format, Shape),
    /// The export's `account.js` or `profile.js`: no posts, but who wrote
    /// the posts in `tweets.js` and where they live.
    Owner,
    /// Not an archive of posts; the reason is for people.
    NotPosts(String),
}

/// Export files whose records are tweets.
const EXPORT_TWEET_FILES: [&str; 5] = [
    "tweets",
    "tweet",
    "deleted_tweets",
    "deleted_tweet",
    "community_tweet",
];

/// Decides what `head` (the first bytes of a decompressed stream) holds.
pub fn sniff(head: &[u8], forced: Option<Format>) -> Sniffed {
    let body = super::lines::strip_bom(head);
    let rest = &body[skip_ws(body, 0)..];
    if let Some(name) = ytd_name(rest) {
        return if EXPORT_TWEET_FILES.contains(&name.as_str()) {
            Sniffed::Posts(forced.unwrap_or(Format::Export), Shape::Document)
        } else if name == "account" || name == "profile" {
            Sniffed::Owner
        } else {
            Sniffed::NotPosts(format!("window.YTD.{name} holds no tweets"))
        };
    }
    if rest.is_empty() {
        return Sniffed::Posts(forced.unwrap_or(Format::TwitterV1), Shape::Lines);
    }
    if rest.starts_with(b"window.") || rest.starts_with(b"var ") || rest.starts_with(b"!function") {
        return Sniffed::NotPosts("JavaScript, not tweets".into());
    }
    let json_shape = || match rest.first() {
        Some(b'[') => Shape::Document,
        Some(b'{') if first_line(rest).trim_ascii() == b"{" => Shape::Document,
        _ => Shape::Lines,
    };
    match forced {
        Some(Format::Csv) => return Sniffed::Posts(Format::Csv, Shape::Table),
        Some(Format::Export) => return Sniffed::Posts(Format::Export, Shape::Document),
        Some(f) => return Sniffed::Posts(f, json_shape()),
        None => {}
    }
    match rest.first() {
        Some(b'[') => {
            let inner = &rest[skip_ws(rest, 1)..];
            Sniffed::Posts(classify_object(inner), Shape::Document)
        }
        Some(b'{') => Sniffed::Posts(classify_object(rest), json_shape()),
        _ if is_csv_header(first_line(rest)) => Sniffed::Posts(Format::Csv, Shape::Table),
        _ => {
            // A stray first line (a log message, a truncated write) does not
            // hide the JSON lines after it, but a later line must carry a
            // record's keys: a notes file or a log with one JSON line of
            // settings is not an archive. The last line may be cut where
            // the head ends: a twarc2 page of 100 tweets is often longer
            // than the head.
            let lines: Vec<&[u8]> = rest.split(|&b| b == b'\n').collect();
            let last = lines.len() - 1;
            let later = lines
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, l)| (i, l.trim_ascii()))
                .find(|&(i, l)| {
                    l.len() > 2
                        && l.starts_with(b"{")
                        && (l.ends_with(b"}") || i == last)
                        && has_record_keys(l)
                })
                .map(|(_, l)| l);
            match later {
                Some(line) => Sniffed::Posts(classify_object(line), Shape::Lines),
                None => Sniffed::NotPosts(describe_junk(rest)),
            }
        }
    }
}

fn skip_ws(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    i.min(bytes.len())
}

fn first_line(bytes: &[u8]) -> &[u8] {
    match memchr::memchr(b'\n', bytes) {
        Some(i) => &bytes[..i],
        None => bytes,
    }
}

/// `window.YTD.tweets.part0 = [` → `tweets`.
fn ytd_name(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"window.YTD.")?;
    let end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    (end > 0).then(|| String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The top-level keys of the JSON object that `bytes` starts with, as far as
/// the bytes go, and whether its `created_at` is ISO 8601 (v2) rather than
/// Twitter's `Mon Dec 24 …` (v1.1).
fn top_keys(bytes: &[u8]) -> (Vec<&[u8]>, bool) {
    let mut keys = Vec::new();
    let mut iso_time = false;
    let mut depth = 0u32;
    let mut i = 0;
    let mut last_key: Option<&[u8]> = None;
    while i < bytes.len() && keys.len() < 256 {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let Some(s) = bytes.get(start..j) else { break };
                let after = skip_ws(bytes, j + 1);
                if depth == 1 && bytes.get(after) == Some(&b':') {
                    keys.push(s);
                    last_key = Some(s);
                    i = after + 1;
                    continue;
                }
                if depth == 1 && last_key == Some(b"created_at") {
                    iso_time = s.first().is_some_and(u8::is_ascii_digit);
                }
                i = j + 1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (keys, iso_time)
}

/// Which tweet family a JSON object belongs to, from its top-level keys.
fn classify_object(bytes: &[u8]) -> Format {
    let (keys, iso_time) = top_keys(bytes);
    let has = |k: &str| keys.contains(&k.as_bytes());
    let response = ["data", "includes", "__twarc", "matching_rules"];
    let v2_tweet = [
        "author_id",
        "edit_history_tweet_ids",
        "conversation_id",
        "public_metrics",
        "author",
        "note_tweet",
    ];
    // An errors-only response has neither data nor a tweet's keys.
    let errors_only = has("errors") && !has("id_str") && !has("created_at");
    if response.iter().any(|k| has(k)) || v2_tweet.iter().any(|k| has(k)) || errors_only {
        Format::TwitterV2
    } else if has("tweet") {
        Format::Export
    } else if iso_time {
        Format::TwitterV2
    } else {
        Format::TwitterV1
    }
}

/// Whether the JSON object `line` has a key of some record outcry reads: a
/// tweet's (any version, any collector), a stream control message's, a
/// twarc2 response's or the export's wrapper.
fn has_record_keys(line: &[u8]) -> bool {
    const KEYS: [&str; 19] = [
        "id_str",
        "id",
        "created_at",
        "text",
        "full_text",
        "delete",
        "limit",
        "scrub_geo",
        "status_withheld",
        "user_withheld",
        "disconnect",
        "warning",
        "data",
        "includes",
        "meta",
        "errors",
        "__twarc",
        "matching_rules",
        "tweet",
    ];
    let (keys, _) = top_keys(line);
    keys.iter().any(|k| KEYS.iter().any(|r| r.as_bytes() == *k))
}

/// A header row naming an id, a time and a text column.
fn is_csv_header(line: &[u8]) -> bool {
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let names: Vec<String> = line
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |options: &[&str]| names.iter().any(|n| options.contains(&n.as_str()));
    names.len() >= 3
        && has(&["id", "tweet_id", "id_str"])
        && has(&["created_at", "timestamp", "parsed_created_at"])
        && has(&["text", "full_text"])
}

fn describe_junk(rest: &[u8]) -> String {
    let probe = &rest[..rest.len().min(512)];
    let text = match std::str::from_utf8(probe) {
        Ok(t) => t,
        // A multi-byte character cut at the probe's end is still text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&probe[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return "binary data, not a tweet archive".into(),
    };
    if text.contains('\0') {
        return "binary data, not a tweet archive".into();
    }
    let start: String = first_line(text.as_bytes())
        .iter()
        .take(24)
        .map(|&b| b as char)
        .collect();
    format!("neither JSON nor a tweet CSV (starts {start:?})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts(head: &str) -> (Format, Shape) {
        match sniff(head.as_bytes(), None) {
            Sniffed::Posts(f, s) => (f, s),
            other => panic!("expected posts, got {other:?}"),
        }
    }

    #[test]
    fn json_lines_are_told_apart_by_their_keys() {
        assert_eq!(
            posts("{\"created_at\":\"Mon Dec 24 20:31:07 +0000 2012\",\"id_str\":\"1\"}\n"),
            (Format::TwitterV1, Shape::Lines)
        );
        assert_eq!(
            posts("{\"delete\":{\"status\":{\"id_str\":\"1\"}}}\n"),
            (Format::TwitterV1, Shape::Lines)
        );
        assert_eq!(
            posts("{\"data\":[{\"id\":\"1\"}],\"includes\":{}}\n"),
            (Format::TwitterV2, Shape::Lines)
        );
        assert_eq!(
            posts("{\"id\":\"1\",\"text\":\"x\",\"created_at\":\"2012-12-24T20:31:07.000Z\"}"),
            (Format::TwitterV2, Shape::Lines)
        );
        // A nested "data" key is not a response.
        assert_eq!(
            posts("{\"user\":{\"data\":1},\"id_str\":\"1\"}"),
            (Format::TwitterV1, Shape::Lines)
        );
    }

    #[test]
    fn documents_exports_and_csv_are_recognised() {
        assert_eq!(
            posts("[\n  {\n    \"id_str\": \"1\""),
            (Format::TwitterV1, Shape::Document)
        );
        assert_eq!(
            posts("{\n  \"id_str\": \"1\","),
            (Format::TwitterV1, Shape::Document)
        );
        assert_eq!(
            posts("window.YTD.tweets.part0 = [ {\n"),
            (Format::Export, Shape::Document)
        );
        assert_eq!(sniff(b"window.YTD.account.part0 = [", None), Sniffed::Owner);
        assert_eq!(
            sniff(b"window.YTD.like.part0 = [", None),
            Sniffed::NotPosts("window.YTD.like holds no tweets".into())
        );
        assert_eq!(
            posts("\"tweet_id\",\"in_reply_to_status_id\",\"timestamp\",\"text\"\n"),
            (Format::Csv, Shape::Table)
        );
        assert_eq!(
            posts("\u{feff}id,conversation_id,created_at,text,author.username\n"),
            (Format::Csv, Shape::Table)
        );
    }

    #[test]
    fn junk_is_described_and_forcing_wins() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\x00\x00", None),
            Sniffed::NotPosts("binary data, not a tweet archive".into())
        );
        assert_eq!(
            sniff(b"hello world\n", None),
            Sniffed::NotPosts("neither JSON nor a tweet CSV (starts \"hello world\")".into())
        );
        assert_eq!(
            posts("log: started\n{\"id_str\":\"1\"}\n"),
            (Format::TwitterV1, Shape::Lines)
        );
        assert_eq!(
            posts("log: started\n{\"data\":[]}\n"),
            (Format::TwitterV2, Shape::Lines)
        );
        // A page longer than the head is cut where the head ends.
        assert_eq!(
            posts("log: started\n{\"data\":[{\"id\":\"1\",\"text\":\"netflix is d"),
            (Format::TwitterV2, Shape::Lines)
        );
        // ...but one line of settings in a notes file makes no archive.
        assert_eq!(
            sniff(b"shopping list\n{\"width\": 3, \"height\": 4}\n", None),
            Sniffed::NotPosts("neither JSON nor a tweet CSV (starts \"shopping list\")".into())
        );
        // An opening brace alone inside pretty-printed JavaScript is not a
        // JSON line.
        assert_eq!(
            sniff(
                b"config = {\n  \"files\": [\n    {\n      \"a\": 1\n    }\n  ]\n}\n",
                None
            ),
            Sniffed::NotPosts("neither JSON nor a tweet CSV (starts \"config = {\")".into())
        );
        assert_eq!(
            sniff(b"window.__THAR_CONFIG = {\n", None),
            Sniffed::NotPosts("JavaScript, not tweets".into())
        );
        assert_eq!(
            sniff(b"{\"id_str\":\"1\"}\n", Some(Format::TwitterV2)),
            Sniffed::Posts(Format::TwitterV2, Shape::Lines)
        );
        assert_eq!(
            sniff(b"a,b\n", Some(Format::Csv)),
            Sniffed::Posts(Format::Csv, Shape::Table)
        );
    }

    #[test]
    fn descriptions_are_short() {
        assert_eq!(
            describe(Format::TwitterV2, Shape::Lines),
            "twitter-v2 (JSON lines)"
        );
        assert_eq!(describe(Format::Csv, Shape::Table), "csv");
        assert_eq!(
            describe(Format::Export, Shape::Document),
            "export (tweets.js)"
        );
    }

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("V2"), Some(Format::TwitterV2));
        assert_eq!(Format::from_name("xml"), None);
    }
}

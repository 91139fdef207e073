//! Tweets in CSV: twarc-csv, twarc v1's `json2csv`, the old archive's
//! `tweets.csv`.
//!
//! The three tools agree on nothing but the idea of a header row, so
//! columns are found by name (`created_at` or `timestamp`,
//! `author.username` or `user_screen_name`, …) and a column a dialect lacks
//! is simply absent from the post. Texts were written HTML-escaped, as the
//! APIs delivered them, and some tools wrote newlines as a literal `\n`.
//! Rejected rows are kept byte for byte: the reader keeps the raw bytes of
//! the row it is on, bounded by the same 16 MiB limit as a line.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::csv_lines::{record_start, unclosed_quote, LineAt};
use super::lines::MAX_LINE;
use super::twitter_v1::check_plausible;
use super::LineOutcome;
use crate::post::{Post, RegionHints, Source};

/// Where each field of a post is, by column index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    id: usize,
    time: usize,
    text: usize,
    lang: Option<usize>,
    author: Option<usize>,
    location: Option<usize>,
    time_zone: Option<usize>,
    country: Option<usize>,
    hashtags: Option<usize>,
    tweet_type: Option<usize>,
    /// Columns that, when not empty, name the tweet this one retweets.
    retweet_of: Vec<usize>,
    /// How many fields the header has, and so every row.
    width: usize,
}

impl Columns {
    /// Finds the columns in a header row; the reason names what is missing.
    pub fn from_header(names: &[String]) -> Result<Columns, String> {
        let find = |options: &[&str]| {
            options
                .iter()
                .find_map(|o| names.iter().position(|n| n == o))
        };
        let need = |options: &[&str], what: &str| {
            find(options).ok_or_else(|| {
                format!(
                    "CSV header has no {what} column ({} expected; found {})",
                    options.join(" or "),
                    names.join(",")
                )
            })
        };
        Ok(Columns {
            id: need(&["id", "tweet_id", "id_str"], "id")?,
            time: need(&["created_at", "timestamp", "parsed_created_at"], "time")?,
            text: need(&["text", "full_text"], "text")?,
            lang: find(&["lang"]),
            author: find(&["author.username", "user_screen_name", "screen_name"]),
            location: find(&["author.location", "user_location"]),
            time_zone: find(&["user_time_zone"]),
            country: find(&["geo.country_code", "place_country_code", "country_code"]),
            hashtags: find(&["entities.hashtags", "hashtags"]),
            tweet_type: find(&["tweet_type"]),
            retweet_of: ["referenced_tweets.retweeted.id", "retweeted_status_id"]
                .iter()
                .filter_map(|o| names.iter().position(|n| n == o))
                .collect(),
            width: names.len(),
        })
    }

    /// Turns one row into a post.
    pub fn parse_row(&self, row: &csv::ByteRecord) -> LineOutcome {
        if row.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return LineOutcome::Blank;
        }
        // A stray comma or a lost one shifts every column after it, so a
        // row of another width cannot be read by the header's names.
        if row.len() != self.width {
            return LineOutcome::Reject(format!(
                "{} fields where the header has {}",
                row.len(),
                self.width
            ));
        }
        match self.to_post(row) {
            Ok(p) => LineOutcome::Post(Box::new(p)),
            Err(reason) => LineOutcome::Reject(reason),
        }
    }

    fn to_post(&self, row: &csv::ByteRecord) -> Result<Post, String> {
        let field = |i: usize| -> Result<&str, String> {
            let bytes = row.get(i).unwrap_or_default();
            std::str::from_utf8(bytes).map_err(|e| {
                format!(
                    "invalid UTF-8 in column {} at byte {}",
                    i + 1,
                    e.valid_up_to()
                )
            })
        };
        let optional = |i: Option<usize>| -> Result<Option<&str>, String> {
            Ok(match i {
                Some(i) => Some(field(i)?.trim()).filter(|s| !s.is_empty()),
                None => None,
            })
        };
        let id = field(self.id)?.trim();
        if id.is_empty() {
            return Err("tweet has no id".into());
        }
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("id {id:?} is not a tweet id"));
        }
        let time = field(self.time)?.trim();
        if time.is_empty() {
            return Err("tweet has no created_at".into());
        }
        let created_at = parse_time(time)?;
        let raw_text = field(self.text)?;
        let text = html_escape::decode_html_entities(&raw_text.replace("\\n", "\n")).into_owned();
        let mut is_repost = raw_text.starts_with("RT @");
        if let Some(kind) = optional(self.tweet_type)? {
            is_repost |= kind == "retweet";
        }
        for &i in &self.retweet_of {
            is_repost |= optional(Some(i))?.is_some();
        }
        Ok(Post {
            source: Source::Twitter,
            id: id.to_owned(),
            created_at,
            text,
            lang: optional(self.lang)?.map(str::to_owned),
            author: optional(self.author)?.map(str::to_owned),
            region_hints: RegionHints {
                country_code: optional(self.country)?.map(str::to_owned),
                time_zone: optional(self.time_zone)?.map(str::to_owned),
                utc_offset: None,
                location: optional(self.location)?
                    .map(|l| html_escape::decode_html_entities(l).into_owned()),
            },
            is_repost,
            repost_of: None,
            hashtags: optional(self.hashtags)?.map(hashtags).unwrap_or_default(),
        })
    }
}

/// twarc-csv writes `entities.hashtags` as JSON (`[{"start":0,"end":7,
/// "tag":"netflix"}]`); json2csv writes `hashtags` space-separated.
fn hashtags(field: &str) -> Vec<String> {
    if field.starts_with('[') {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(field) {
            return items
                .iter()
                .filter_map(|h| {
                    h.get("tag")
                        .or_else(|| h.get("text"))
                        .and_then(|t| t.as_str())
                })
                .map(str::to_owned)
                .collect();
        }
    }
    field
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_start_matches('#'))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The time formats the three dialects use: v1's `Mon Dec 24 20:31:07 +0000
/// 2012` (json2csv), v2's `2012-12-24T20:31:07.000Z` (twarc-csv), the old
/// archive's `2012-12-24 20:31:07 +0000`, and json2csv's parsed column
/// `2012-12-24 20:31:07+00:00`.
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    let parsed = DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y")
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z"))
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%:z"))
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            // A bare time is UTC in every dialect that writes one.
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").map(|t| t.and_utc())
        })
        .map_err(|_| format!("created_at {s:?} is not a time outcry reads"))?;
    check_plausible(parsed).map_err(|why| format!("created_at {s:?} {why}"))
}

/// The bytes read since the last row ended, so a row can be kept verbatim.
#[derive(Default)]
struct Captured {
    /// Offset of `bytes[0]` in the stream.
    base: u64,
    bytes: Vec<u8>,
}

struct Tee<R> {
    inner: R,
    captured: Rc<RefCell<Captured>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut c = self.captured.borrow_mut();
        // A row longer than this is an unclosed quote swallowing the file.
        if c.bytes.len() + n > MAX_LINE + 64 * 1024 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "CSV row longer than the 16 MiB limit (an unclosed quote?)",
            ));
        }
        c.bytes.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// One row read.
pub struct TableRow<'a> {
    /// 1-based, header excluded.
    pub number: u64,
    /// The line the row starts on.
    pub line: u64,
    /// The row as written, without its line terminator.
    pub raw: &'a [u8],
    /// `None` when the caller asked to skip the row.
    pub outcome: Option<LineOutcome>,
}

pub struct TableReader<R: Read> {
    reader: csv::Reader<Tee<R>>,
    captured: Rc<RefCell<Captured>>,
    lines: LineAt,
    columns: Columns,
    record: csv::ByteRecord,
    raw: Vec<u8>,
    rows: u64,
}

impl<R: Read> TableReader<R> {
    /// Reads the header. `Err` holds an I/O error or the reason the header
    /// cannot be a tweet CSV's.
    pub fn new(reader: R) -> Result<Self, String> {
        let captured = Rc::new(RefCell::new(Captured::default()));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(Tee {
                inner: reader,
                captured: captured.clone(),
            });
        let names: Vec<String> = reader
            .byte_headers()
            .map_err(|e| format!("cannot read the CSV header: {e}"))?
            .iter()
            .map(|n| {
                let n = super::lines::strip_bom(n);
                String::from_utf8_lossy(n).trim().to_ascii_lowercase()
            })
            .collect();
        let columns = Columns::from_header(&names)?;
        let mut table = TableReader {
            reader,
            captured,
            lines: LineAt::default(),
            columns,
            record: csv::ByteRecord::new(),
            raw: Vec::new(),
            rows: 0,
        };
        table.drain_to(table.reader.position().byte());
        Ok(table)
    }

    fn drain_to(&mut self, offset: u64) {
        let mut c = self.captured.borrow_mut();
        self.lines.pass(&c.bytes, c.base, offset);
        let n = (offset.saturating_sub(c.base) as usize).min(c.bytes.len());
        c.bytes.drain(..n);
        c.base += n as u64;
    }

    /// The next row, parsed unless `parse` is false (rows skipped on resume).
    pub fn next_row(&mut self, parse: bool) -> io::Result<Option<TableRow<'_>>> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
            })?;
        if !more {
            return Ok(None);
        }
        self.rows += 1;
        let pos = self.record.position().map_or(0, |p| p.byte());
        let end = self.reader.position().byte();
        let line;
        let unclosed;
        {
            let c = self.captured.borrow();
            let start = record_start(&c.bytes, c.base, pos);
            line = self.lines.line(&c.bytes, c.base, start);
            let from = (start.saturating_sub(c.base) as usize).min(c.bytes.len());
            let to = (end.saturating_sub(c.base) as usize).clamp(from, c.bytes.len());
            let mut row = &c.bytes[from..to];
            row = row.strip_suffix(b"\n").unwrap_or(row);
            row = row.strip_suffix(b"\r").unwrap_or(row);
            // csv ends a record only at a line break outside quotes or at
            // the end of the input; a record still inside quotes is the
            // second kind, and holds every row after the quote.
            unclosed = memchr::memchr(b'"', row)
                .and_then(|_| unclosed_quote(row))
                .map(|open| {
                    let last = line + memchr::memchr_iter(b'\n', row).count() as u64;
                    (line + open - 1, last)
                });
            self.raw.clear();
            self.raw.extend_from_slice(row);
        }
        self.drain_to(end);
        let outcome = parse.then(|| match unclosed {
            Some((open, last)) => LineOutcome::Reject(format!(
                "a quoted field opens on line {open} and is never closed, so the record runs on to the end of the input (line {last}); the lines in it are not read as rows"
            )),
            None => self.columns.parse_row(&self.record),
        });
        Ok(Some(TableRow {
            number: self.rows,
            line,
            raw: &self.raw,
            outcome,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> Vec<(u64, u64, String, LineOutcome)> {
        let mut t = TableReader::new(csv.as_bytes()).unwrap();
        let mut out = Vec::new();
        while let Some(r) = t.next_row(true).unwrap() {
            out.push((
                r.number,
                r.line,
                String::from_utf8_lossy(r.raw).into_owned(),
                r.outcome.unwrap(),
            ));
        }
        out
    }

    fn post(o: &LineOutcome) -> &Post {
        match o {
            LineOutcome::Post(p) => p,
            other => panic!("expected a post, got {other:?}"),
        }
    }

    #[test]
    fn twarc_csv_rows_become_posts() {
        let csv = "id,conversation_id,referenced_tweets.retweeted.id,author_id,created_at,text,lang,entities.hashtags,author.username,author.location,geo.country_code\n\
283306174000000001,283306174000000001,,11,2012-12-24T20:31:07.000Z,Netflix is down on my Xbox &amp; PS3 #NetflixDown,en,\"[{\"\"start\"\": 37, \"\"end\"\": 49, \"\"tag\"\": \"\"NetflixDown\"\"}]\",amy,\"Brooklyn, NY\",US\n\
283306174000000004,283306174000000004,283306174000000001,12,2012-12-24T21:10:00.000Z,\"RT @amy: Netflix is down\non my Xbox\",en,,dan,\"Chicago, IL\",\n";
        let r = rows(csv);
        assert_eq!(r.len(), 2);
        let p = post(&r[0].3);
        assert_eq!((r[0].0, r[0].1), (1, 2));
        assert_eq!(p.id, "283306174000000001");
        assert_eq!(p.created_at.to_rfc3339(), "2012-12-24T20:31:07+00:00");
        assert_eq!(p.text, "Netflix is down on my Xbox & PS3 #NetflixDown");
        assert_eq!(p.hashtags, vec!["NetflixDown".to_string()]);
        assert_eq!(p.author.as_deref(), Some("amy"));
        assert_eq!(p.region_hints.location.as_deref(), Some("Brooklyn, NY"));
        assert_eq!(p.region_hints.country_code.as_deref(), Some("US"));
        assert!(!p.is_repost);
        let rt = post(&r[1].3);
        assert!(rt.is_repost);
        assert_eq!(rt.text, "RT @amy: Netflix is down\non my Xbox");
        assert_eq!(rt.region_hints.country_code, None);
        // A row spanning two lines is kept whole, quotes and all.
        assert_eq!(r[1].1, 3);
        assert!(r[1].2.starts_with("283306174000000004,") && r[1].2.ends_with("\"Chicago, IL\","));
    }

    #[test]
    fn json2csv_and_the_old_archive_are_read_by_their_own_names() {
        let json2csv = "id,tweet_url,created_at,parsed_created_at,user_screen_name,text,tweet_type,hashtags,lang,user_location,user_time_zone,retweet_or_quote_id\n\
283306174000000002,https://twitter.com/bia/status/283306174000000002,Mon Dec 24 20:45:00 +0000 2012,2012-12-24 20:45:00+00:00,bia,netflix n\u{e3}o funciona aqui\\naff,original,NetflixDown fail,pt,S\u{e3}o Paulo,Brasilia,\n";
        let r = rows(json2csv);
        let p = post(&r[0].3);
        assert_eq!(p.text, "netflix n\u{e3}o funciona aqui\naff");
        assert_eq!(
            p.hashtags,
            vec!["NetflixDown".to_string(), "fail".to_string()]
        );
        assert_eq!(p.region_hints.time_zone.as_deref(), Some("Brasilia"));
        assert_eq!(p.author.as_deref(), Some("bia"));
        let archive = "\"tweet_id\",\"in_reply_to_status_id\",\"in_reply_to_user_id\",\"timestamp\",\"source\",\"text\",\"retweeted_status_id\",\"retweeted_status_user_id\",\"retweeted_status_timestamp\",\"expanded_urls\"\n\
\"283306174000000007\",\"\",\"\",\"2012-12-24 23:59:59 +0000\",\"<a href=\"\"http://twitter.com\"\" rel=\"\"nofollow\"\">Twitter Web Client</a>\",\"Netflix not working again &lt;3 #christmasisruined\",\"\",\"\",\"\",\"\"\n";
        let r = rows(archive);
        let p = post(&r[0].3);
        assert_eq!(p.created_at.to_rfc3339(), "2012-12-24T23:59:59+00:00");
        assert_eq!(p.text, "Netflix not working again <3 #christmasisruined");
        assert_eq!(p.author, None);
        assert!(!p.is_repost);
    }

    #[test]
    fn bad_rows_and_headers_get_reasons() {
        let csv = "id,created_at,text\n,2012-12-24T20:00:00Z,x\n2.83E+17,2012-12-24T20:00:00Z,x\n1,soon,x\n\n";
        let mut t = TableReader::new(csv.as_bytes()).unwrap();
        let mut reasons = Vec::new();
        while let Some(r) = t.next_row(true).unwrap() {
            if let Some(LineOutcome::Reject(why)) = r.outcome {
                reasons.push(why);
            }
        }
        assert_eq!(
            reasons,
            vec![
                "tweet has no id".to_string(),
                "id \"2.83E+17\" is not a tweet id".into(),
                "created_at \"soon\" is not a time outcry reads".into(),
            ]
        );
        let bytes = b"id,created_at,text\n1,2012-12-24T20:00:00Z,\xff\n";
        let mut t = TableReader::new(&bytes[..]).unwrap();
        let row = t.next_row(true).unwrap().unwrap();
        assert!(
            matches!(row.outcome, Some(LineOutcome::Reject(ref r)) if r == "invalid UTF-8 in column 3 at byte 0")
        );
        assert_eq!(row.raw, b"1,2012-12-24T20:00:00Z,\xff");
        assert!(TableReader::new(&b"a,b,c\n1,2,3\n"[..])
            .err()
            .unwrap()
            .starts_with("CSV header has no id column"));
    }
}

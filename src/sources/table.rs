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

use super::csv_lines::{record_start, scan_quotes, unclosed_reason, LineAt};
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
        let mut is_repost = raw_text.starts_with("RT @");
        if let Some(kind) = optional(self.tweet_type)? {
            is_repost |= kind == "retweet";
        }
        for &i in &self.retweet_of {
            is_repost |= optional(Some(i))?.is_some();
        }
        // A row holds only the retweet's own text: the original's words
        // are what follows "RT @user: ".
        let raw_text = if is_repost {
            crate::post::without_retweet_prefix(raw_text)
        } else {
            raw_text
        };
        let text = html_escape::decode_html_entities(&raw_text.replace("\\n", "\n")).into_owned();
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

/// The stream under the csv reader, shared with the table reader so that it
/// can start a new csv reader on it mid-stream (see
/// [`TableReader::restart`]).
struct Stream<R> {
    inner: R,
    /// Bytes to read again before `inner`'s next ones.
    replay: Vec<u8>,
    replayed: usize,
    /// Offset of `captured[0]` in the stream.
    base: u64,
    /// The bytes read since the last row ended, so a row can be kept
    /// verbatim and read again.
    captured: Vec<u8>,
    /// The record being read ran past the limit.
    overflowed: bool,
}

struct Tee<R>(Rc<RefCell<Stream<R>>>);

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut s = self.0.borrow_mut();
        let s = &mut *s;
        // A row longer than this is a quote left open swallowing the file.
        // Checked before reading: every byte read must be captured, to be
        // read again when reading starts over after the quote's line.
        if s.captured.len() > MAX_LINE + 64 * 1024 {
            s.overflowed = true;
            return Err(too_long());
        }
        let n = if s.replayed < s.replay.len() {
            let n = buf.len().min(s.replay.len() - s.replayed);
            buf[..n].copy_from_slice(&s.replay[s.replayed..s.replayed + n]);
            s.replayed += n;
            n
        } else {
            s.inner.read(buf)?
        };
        s.captured.extend_from_slice(&buf[..n]);
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
    stream: Rc<RefCell<Stream<R>>>,
    /// Offset in the stream of the csv reader's first byte.
    origin: u64,
    lines: LineAt,
    columns: Columns,
    record: csv::ByteRecord,
    raw: Vec<u8>,
    rows: u64,
}

fn csv_reader<R: Read>(stream: &Rc<RefCell<Stream<R>>>, headers: bool) -> csv::Reader<Tee<R>> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(headers)
        .from_reader(Tee(stream.clone()))
}

impl<R: Read> TableReader<R> {
    /// Reads the header. `Err` holds an I/O error or the reason the header
    /// cannot be a tweet CSV's.
    pub fn new(reader: R) -> Result<Self, String> {
        let stream = Rc::new(RefCell::new(Stream {
            inner: reader,
            replay: Vec::new(),
            replayed: 0,
            base: 0,
            captured: Vec::new(),
            overflowed: false,
        }));
        let mut reader = csv_reader(&stream, true);
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
            stream,
            origin: 0,
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
        let mut s = self.stream.borrow_mut();
        let s = &mut *s;
        self.lines.pass(&s.captured, s.base, offset);
        let n = (offset.saturating_sub(s.base) as usize).min(s.captured.len());
        s.captured.drain(..n);
        s.base += n as u64;
    }

    /// Reads on from stream offset `at`, which must be in what was captured
    /// since the last row: a new csv reader starts there, on those bytes
    /// again and then the rest of the stream (the old one had read ahead).
    fn restart(&mut self, at: u64) {
        self.drain_to(at);
        {
            let mut s = self.stream.borrow_mut();
            let s = &mut *s;
            let mut replay = std::mem::take(&mut s.captured);
            replay.extend_from_slice(&s.replay[s.replayed..]);
            s.replay = replay;
            s.replayed = 0;
            s.overflowed = false;
        }
        self.origin = at;
        self.reader = csv_reader(&self.stream, false);
    }

    /// The next row, parsed unless `parse` is false (rows skipped on resume).
    ///
    /// A record that runs over several lines is judged either way ([`judge`]):
    /// when it is not one, a quote left open on its first line has
    /// swallowed the lines after it. That line alone is rejected and reading
    /// starts again on the next one, so the rows it swallowed are read.
    /// Where rows start must not depend on `parse`, or a resumed import
    /// would number them otherwise.
    pub fn next_row(&mut self, parse: bool) -> io::Result<Option<TableRow<'_>>> {
        let read = self.reader.read_byte_record(&mut self.record);
        let overflowed = std::mem::take(&mut self.stream.borrow_mut().overflowed);
        let more = match read {
            Ok(more) => more,
            Err(_) if overflowed => return self.overflowed(parse),
            Err(e) => {
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(e) => e,
                    other => io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
                })
            }
        };
        if !more {
            return Ok(None);
        }
        self.rows += 1;
        let pos = self.origin + self.record.position().map_or(0, |p| p.byte());
        let end = self.origin + self.reader.position().byte();
        let (line, judged) = {
            let s = self.stream.borrow();
            let start = record_start(&s.captured, s.base, pos);
            let line = self.lines.line(&s.captured, s.base, start);
            let from = (start.saturating_sub(s.base) as usize).min(s.captured.len());
            let to = (end.saturating_sub(s.base) as usize).clamp(from, s.captured.len());
            let mut row = &s.captured[from..to];
            row = row.strip_suffix(b"\n").unwrap_or(row);
            row = row.strip_suffix(b"\r").unwrap_or(row);
            let judged = match memchr::memchr(b'\n', row) {
                // The last line of the input, its quote never closed: the
                // csv crate ends the field at the end of the input, and
                // would make a post of it.
                None if scan_quotes(row).unclosed.is_some() => Judged::Row(LineOutcome::Reject(
                    "unclosed quote: no quote closes it before the end of the input".into(),
                )),
                None => Judged::OneLine,
                Some(k) => match judge(&self.columns, &self.record, row, line) {
                    Ok(outcome) => Judged::Row(outcome),
                    Err(why) => {
                        let last = line + memchr::memchr_iter(b'\n', row).count() as u64;
                        let why = format!(
                            "the record read from here runs to line {last} and is not a row ({why})"
                        );
                        row = first_line(row);
                        Judged::Unclosed {
                            why: unclosed_reason(&why),
                            next: start + k as u64 + 1,
                        }
                    }
                },
            };
            self.raw.clear();
            self.raw.extend_from_slice(row);
            (line, judged)
        };
        let outcome = match judged {
            Judged::Unclosed { why, next } => {
                self.restart(next);
                parse.then_some(LineOutcome::Reject(why))
            }
            Judged::Row(outcome) => {
                self.drain_to(end);
                parse.then_some(outcome)
            }
            Judged::OneLine => {
                self.drain_to(end);
                parse.then(|| self.columns.parse_row(&self.record))
            }
        };
        Ok(Some(TableRow {
            number: self.rows,
            line,
            raw: &self.raw,
            outcome,
        }))
    }

    /// The record being read ran past the 16 MiB limit without a quote
    /// closing: its first line is rejected as a quote left open, and the
    /// lines after it are read again as rows. A single line that long is
    /// an error that ends the stream.
    fn overflowed(&mut self, parse: bool) -> io::Result<Option<TableRow<'_>>> {
        let (line, next) = {
            let s = self.stream.borrow();
            let start = record_start(&s.captured, s.base, s.base);
            let from = (start.saturating_sub(s.base) as usize).min(s.captured.len());
            let Some(k) = memchr::memchr(b'\n', &s.captured[from..]) else {
                return Err(too_long());
            };
            let line = self.lines.line(&s.captured, s.base, start);
            self.raw.clear();
            self.raw.extend_from_slice(first_line(&s.captured[from..]));
            (line, start + k as u64 + 1)
        };
        self.rows += 1;
        self.restart(next);
        let why = unclosed_reason("the record read from here runs on for more than 16 MiB");
        Ok(Some(TableRow {
            number: self.rows,
            line,
            raw: &self.raw,
            outcome: parse.then_some(LineOutcome::Reject(why)),
        }))
    }
}

fn too_long() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "CSV row longer than the 16 MiB limit",
    )
}

/// What a record read over one line or several turned out to be.
enum Judged {
    /// One line: a row (or not) like any other.
    OneLine,
    /// Several lines that make a row: a field with line breaks in it.
    Row(LineOutcome),
    /// Several lines that do not: a quote left open on the first.
    Unclosed { why: String, next: u64 },
}

/// Whether a record over several lines, starting on `line`, is one: it is
/// not when its quotes are not well formed (one never closed, or text after
/// a closing one: a stray quote closed the field a quote left open), or
/// when the lines after its first, read on their own, hold a row (a stray
/// quote at the end of a field closed it cleanly). A width or a field that
/// is wrong with quotes that are right is the record's own fault (a bad
/// time in a tweet over two lines): it is rejected whole, with its reason.
fn judge(
    columns: &Columns,
    record: &csv::ByteRecord,
    row: &[u8],
    line: u64,
) -> Result<LineOutcome, String> {
    if let Some(fault) = scan_quotes(row).fault(line) {
        return Err(fault);
    }
    if let Some(at) = row_within(columns, row) {
        return Err(format!("line {} in it is a row of its own", line + at));
    }
    Ok(columns.parse_row(record))
}

/// The first line after the first of `record` (counted from 0 at it) that
/// starts a row which reads as a post, when its lines are read as rows.
fn row_within(columns: &Columns, record: &[u8]) -> Option<u64> {
    let rest = &record[memchr::memchr(b'\n', record)? + 1..];
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(rest);
    let mut row = csv::ByteRecord::new();
    while reader.read_byte_record(&mut row).ok()? {
        if let LineOutcome::Post(_) = columns.parse_row(&row) {
            let pos = row.position().map_or(0, |p| p.byte());
            let start = record_start(rest, 0, pos) as usize;
            let before = rest.get(..start).unwrap_or(rest);
            return Some(memchr::memchr_iter(b'\n', before).count() as u64 + 1);
        }
    }
    None
}

/// The bytes before the first line break, without a `\r` ending them.
fn first_line(bytes: &[u8]) -> &[u8] {
    let line = match memchr::memchr(b'\n', bytes) {
        Some(k) => &bytes[..k],
        None => bytes,
    };
    line.strip_suffix(b"\r").unwrap_or(line)
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
        // Its own text, the original's words behind "RT @amy: ", as a v1
        // retweet gives the original's text.
        assert_eq!(rt.text, "Netflix is down\non my Xbox");
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

    const HEADER: &str = "id,created_at,text,author.username,lang\n";

    fn row(id: u64) -> String {
        format!("{id},2012-12-24T21:00:00.000Z,netflix is down,u{id},en\n")
    }

    /// (number, line, raw, the post's id or the rejection's reason).
    fn summary(csv: &str) -> Vec<(u64, u64, String, String)> {
        rows(csv)
            .into_iter()
            .map(|(n, line, raw, o)| {
                let what = match o {
                    LineOutcome::Post(p) => p.id,
                    LineOutcome::Reject(why) => why,
                    other => format!("{other:?}"),
                };
                (n, line, raw, what)
            })
            .collect()
    }

    fn unclosed(last: u64, why: &str) -> String {
        format!("unclosed quote: the record read from here runs to line {last} and is not a row ({why}); this line is rejected and the next one read as a row")
    }

    fn expected(rows: &[(u64, u64, &str, &str)]) -> Vec<(u64, u64, String, String)> {
        rows.iter()
            .map(|&(n, line, raw, what)| (n, line, raw.to_string(), what.to_string()))
            .collect()
    }

    #[test]
    fn a_quote_left_open_on_the_last_line_is_no_post() {
        let open = "102,2012-12-24T22:00:00.000Z,\"netflix is down,u102,en";
        let never = "unclosed quote: no quote closes it before the end of the input";
        for end in ["", "\n", "\r\n"] {
            let csv = format!("{HEADER}{}{open}{end}", row(101));
            assert_eq!(
                summary(&csv),
                expected(&[(1, 2, row(101).trim_end(), "101"), (2, 3, open, never)]),
                "ending {end:?}"
            );
        }
    }

    #[test]
    fn a_quote_left_open_to_the_end_costs_its_line_only() {
        let open = "102,2012-12-24T22:00:00.000Z,\"netflix is down,u102,en";
        let csv = format!("{HEADER}{}{open}\n{}{}", row(101), row(103), row(104));
        let never = unclosed(5, "no quote closes it before the end of the input");
        assert_eq!(
            summary(&csv),
            expected(&[
                (1, 2, row(101).trim_end(), "101"),
                (2, 3, open, &never),
                (3, 4, row(103).trim_end(), "103"),
                (4, 5, row(104).trim_end(), "104"),
            ])
        );
    }

    #[test]
    fn a_quote_closed_by_a_later_rows_quote_costs_its_line_only() {
        // Line 3's quote is closed by the one opening line 5's text, whose
        // word then follows the "closing" quote. Line 6 holds a real field
        // over two lines, and line 8 a record of quotes well formed over two
        // lines that is not a row by its own fault. Line 10's quote is
        // closed cleanly by a stray one at the end of line 12's text: a
        // record of the header's width whose lines hold rows.
        let open = "102,2012-12-24T22:00:00.000Z,\"netflix is down,u102,en";
        let quoted = "104,2012-12-24T21:00:00.000Z,\"netflix, again\",u104,en";
        let multi = "105,2012-12-24T21:00:00.000Z,\"netflix\r\nis down\",u105,en";
        let early = "106,2012-12-24T21:00:00.000Z,\"netflix\",\"down\nand out\",u106,en";
        let open2 = "108,2012-12-24T22:00:00.000Z,\"netflix is down,u108,en";
        let stray = "110,2012-12-24T21:00:00.000Z,netflix 12\",u110,en";
        let csv = format!(
            "{HEADER}{}{open}\n{}{quoted}\n{multi}\n{early}\n{open2}\n{}{stray}\n{}",
            row(101),
            row(103),
            row(109),
            row(111)
        );
        let text_after = unclosed(5, "text follows a closing quote on line 5");
        let row_inside = unclosed(12, "line 11 in it is a row of its own");
        assert_eq!(
            summary(&csv),
            expected(&[
                (1, 2, row(101).trim_end(), "101"),
                (2, 3, open, &text_after),
                (3, 4, row(103).trim_end(), "103"),
                (4, 5, quoted, "104"),
                (5, 6, multi, "105"),
                (6, 8, early, "6 fields where the header has 5"),
                (7, 10, open2, &row_inside),
                (8, 11, row(109).trim_end(), "109"),
                (9, 12, stray, "110"),
                (10, 13, row(111).trim_end(), "111"),
            ])
        );
        // Rows skipped on resume are cut where they are when read.
        let mut t = TableReader::new(csv.as_bytes()).unwrap();
        let mut skipped = Vec::new();
        while let Some(r) = t.next_row(false).unwrap() {
            assert!(r.outcome.is_none());
            skipped.push((r.number, r.line));
        }
        let read: Vec<_> = summary(&csv).iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(skipped, read);
    }

    #[test]
    fn a_quote_left_open_over_16_mib_costs_its_line_only() {
        let open = "1,2012-12-24T20:00:00Z,\"netflix is down";
        let mut csv = format!("id,created_at,text\n{open}\n");
        let filler = "2,2012-12-24T20:00:00Z,a line of the same row as every other one here\n";
        let fillers = (17 * 1024 * 1024) / filler.len() + 1;
        for _ in 0..fillers {
            csv.push_str(filler);
        }
        csv.push_str("3,2012-12-24T20:00:00Z,netflix is down\n");
        let mut t = TableReader::new(csv.as_bytes()).unwrap();
        let first = t.next_row(true).unwrap().unwrap();
        assert_eq!(
            (first.number, first.line, first.raw),
            (1, 2, open.as_bytes())
        );
        assert!(
            matches!(first.outcome, Some(LineOutcome::Reject(ref why)) if why == "unclosed quote: the record read from here runs on for more than 16 MiB; this line is rejected and the next one read as a row"),
            "{:?}",
            first.outcome
        );
        for n in 0..fillers as u64 {
            let r = t.next_row(false).unwrap().unwrap();
            assert_eq!((r.number, r.line), (n + 2, n + 3));
        }
        let last = t.next_row(true).unwrap().unwrap();
        assert_eq!(last.line, fillers as u64 + 3);
        assert!(matches!(last.outcome, Some(LineOutcome::Post(ref p)) if p.id == "3"));
        assert!(t.next_row(true).unwrap().is_none());
        // One line that long is an error: there is no next line to go on.
        let long = format!(
            "id,created_at,text\n1,2012-12-24T20:00:00Z,\"{}",
            "x".repeat(17 << 20)
        );
        let mut t = TableReader::new(long.as_bytes()).unwrap();
        let e = t.next_row(true).err().unwrap();
        assert_eq!(e.to_string(), "CSV row longer than the 16 MiB limit");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

        /// Whatever the quotes do, every line after the header ends in one
        /// row or one rejection, in order: none lost, none read twice
        /// (blank lines between rows are nobody's).
        #[test]
        fn every_line_is_in_one_row_or_one_rejection(
            lines in proptest::collection::vec(
                proptest::prelude::prop_oneof![
                    proptest::prelude::Just("1,2012-12-24T20:00:00Z,netflix is down".to_string()),
                    proptest::prelude::Just(String::new()),
                    "[0-9a-z,\" ]{0,12}",
                ],
                0..40,
            )
        ) {
            let csv = format!("id,created_at,text\n{}", lines.join("\n"));
            let mut t = TableReader::new(csv.as_bytes()).unwrap();
            let mut next = 2;
            while let Some(r) = t.next_row(true).unwrap() {
                for blank in next..r.line {
                    proptest::prop_assert_eq!(&lines[blank as usize - 2], "");
                }
                proptest::prop_assert!(r.line >= next);
                let spans = memchr::memchr_iter(b'\n', r.raw).count() as u64;
                let kept: Vec<&str> = lines[r.line as usize - 2..=(r.line + spans) as usize - 2]
                    .iter()
                    .map(String::as_str)
                    .collect();
                proptest::prop_assert_eq!(String::from_utf8_lossy(r.raw), kept.join("\n"));
                next = r.line + spans + 1;
            }
            for blank in next as usize..lines.len() + 2 {
                proptest::prop_assert_eq!(&lines[blank - 2], "");
            }
        }
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

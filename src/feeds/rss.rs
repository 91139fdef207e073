//! RSS 2.0 (and 1.0) and Atom feeds: status pages, news searches.
//!
//! A feed is a window of its latest items, with no paging. The cursor is the
//! set of item ids in the last window (hashed, bounded), so each round takes
//! only the items it has not seen, and `ETag`/`Last-Modified` let an
//! unchanged feed answer 304 with no body. `guid` (RSS) or `id` (Atom) is the
//! post id, falling back to the link; an id that is not a URL or URN is
//! prefixed with the feed's URL, since short guids like "1234" repeat across
//! feeds.
//!
//! Dates come in many broken forms ([`super::dates`] reads them); an item
//! with no readable date is skipped (counted as unreadable) rather than
//! placed in the hour it was fetched.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde::{Deserialize, Serialize};

use super::cursor;
use super::dates::parse_date;
use super::http::{HttpError, Request};
use super::{html, trim_base, Ctx, FeedError, Round};
use crate::post::{Post, RegionHints, Source};
use crate::sources::twitter_v1::check_plausible;
use crate::store::{Store, StoreError};

/// Items read from one feed at most; the rest of a huge feed is ignored.
pub const MAX_ITEMS: usize = 2000;
/// Characters of an item's text kept for tagging.
const MAX_TEXT: usize = 20_000;

#[derive(Serialize, Deserialize, Default)]
struct Cursor {
    etag: Option<String>,
    last_modified: Option<String>,
    /// xxh3 of each item id in the last window, hex.
    seen: Vec<String>,
}

pub struct Rss {
    url: String,
    label: String,
    checkpoint: String,
    cursor: Cursor,
}

impl Rss {
    pub fn new(url: &str, store: &Store) -> Result<Rss, StoreError> {
        let url = trim_base(url);
        let checkpoint = cursor::name("rss", &url);
        let cursor = cursor::load::<Cursor>(store, &checkpoint)?.unwrap_or_default();
        Ok(Rss {
            label: format!("rss {url}"),
            url,
            checkpoint,
            cursor,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub async fn round(&mut self, ctx: &Ctx) -> Result<Round, FeedError> {
        let mut round = Round::default();
        let mut req = Request::get(&self.url);
        if let Some(etag) = &self.cursor.etag {
            req = req.header("if-none-match", etag.clone());
        }
        if let Some(lm) = &self.cursor.last_modified {
            req = req.header("if-modified-since", lm.clone());
        }
        let resp = match ctx.http.fetch(&req).await {
            Err(HttpError::Status {
                status: status @ (401 | 403 | 404 | 410),
                ..
            }) => {
                return Err(FeedError::Gone(format!(
                    "HTTP {status}: no feed at this URL"
                )))
            }
            other => other?,
        };
        round.pages = 1;
        if resp.status == 304 {
            return Ok(round);
        }
        let feed =
            parse_feed(&resp.body).map_err(|e| FeedError::Bad(format!("{}: {e}", self.url)))?;
        let previous: std::collections::HashSet<&str> =
            self.cursor.seen.iter().map(String::as_str).collect();
        let mut seen = Vec::new();
        let mut posts = Vec::new();
        for item in &feed.items {
            let Some(id) = item_id(item, &self.url) else {
                round.unreadable += 1;
                continue;
            };
            let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(id.as_bytes()));
            let new = !previous.contains(hash.as_str());
            seen.push(hash);
            if !new {
                continue;
            }
            match to_post(item, id, feed.lang.as_deref()) {
                Some(post) => posts.push(post),
                None => round.unreadable += 1,
            }
        }
        let next = Cursor {
            etag: resp.header("etag").map(str::to_string),
            last_modified: resp.header("last-modified").map(str::to_string),
            seen,
        };
        let tally = ctx
            .sink
            .deliver(
                &self.label,
                posts,
                Some((self.checkpoint.clone(), cursor::encode(&next))),
                false,
            )
            .await?;
        round.tally.absorb(&tally);
        self.cursor = next;
        Ok(round)
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Item {
    pub title: Option<String>,
    pub link: Option<String>,
    pub guid: Option<String>,
    pub date: Option<String>,
    /// Fallback date (`updated` when `published` is there too).
    pub updated: Option<String>,
    /// HTML.
    pub description: Option<String>,
    pub content: Option<String>,
    pub author: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Feed {
    pub lang: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Guid,
    Date,
    Updated,
    Description,
    Content,
    Author,
    Language,
}

fn field_of(name: &[u8], in_item: bool) -> Option<Field> {
    if !in_item {
        return (name == b"language").then_some(Field::Language);
    }
    Some(match name {
        b"title" => Field::Title,
        b"link" => Field::Link,
        b"guid" | b"id" => Field::Guid,
        b"pubDate" | b"pubdate" | b"published" | b"issued" | b"date" => Field::Date,
        b"updated" | b"modified" => Field::Updated,
        b"description" | b"summary" => Field::Description,
        b"encoded" | b"content" => Field::Content,
        b"author" | b"creator" => Field::Author,
        _ => return None,
    })
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name).then(|| match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
    })
}

/// An Atom `<link href=…>` names the item's page when it has no `rel` or
/// `rel="alternate"`.
fn atom_link(e: &BytesStart) -> Option<String> {
    let rel = attr(e, b"rel");
    if rel.as_deref().is_some_and(|r| r != "alternate") {
        return None;
    }
    attr(e, b"href")
}

/// Reads an RSS or Atom document: one pass, no recursion.
pub fn parse_feed(bytes: &[u8]) -> Result<Feed, String> {
    let mut reader = Reader::from_reader(bytes);
    // Feeds in the wild close tags sloppily; the items still read well.
    reader.config_mut().check_end_names = false;
    let mut feed = Feed::default();
    let mut is_feed = false;
    let mut depth = 0usize;
    let mut item: Option<(Item, usize)> = None;
    // The field being read, the depth it opened at, and its text so far.
    let mut field: Option<(Field, usize, String)> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if depth == 0 {
                    is_feed = matches!(name, b"rss" | b"feed" | b"RDF");
                    if !is_feed {
                        return Err(format!(
                            "not an RSS or Atom feed (the document is <{}>)",
                            String::from_utf8_lossy(name)
                        ));
                    }
                }
                if let Some((_, _, text)) = field.as_mut() {
                    // Markup inside a field (Atom xhtml content): words stay apart.
                    text.push(' ');
                } else if matches!(name, b"item" | b"entry") && item.is_none() {
                    item = Some((Item::default(), depth));
                } else if let Some(f) = field_of(name, item.is_some()) {
                    if let (Field::Link, Some((it, _))) = (f, item.as_mut()) {
                        if let Some(href) = atom_link(&e) {
                            it.link.get_or_insert(href);
                        }
                    }
                    field = Some((f, depth, String::new()));
                }
                depth += 1;
            }
            Event::Empty(e) => {
                if let (b"link", Some((it, _))) = (e.local_name().as_ref(), item.as_mut()) {
                    if let Some(href) = atom_link(&e) {
                        it.link.get_or_insert(href);
                    }
                }
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = field.as_mut() {
                    text.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(t) => {
                if let Some((_, _, text)) = field.as_mut() {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = field.as_mut() {
                    let name = String::from_utf8_lossy(&r);
                    // XML's five, numeric references, and the HTML names
                    // (&nbsp;) that feeds use though XML does not define them.
                    text.push_str(&html_escape::decode_html_entities(&format!("&{name};")));
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if field.as_ref().is_some_and(|(_, d, _)| *d == depth) {
                    if let Some((f, _, text)) = field.take() {
                        store_field(&mut feed, item.as_mut().map(|(it, _)| it), f, text);
                    }
                } else if item.as_ref().is_some_and(|(_, d)| *d == depth) {
                    if let Some((it, _)) = item.take() {
                        if feed.items.len() < MAX_ITEMS {
                            feed.items.push(it);
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !is_feed {
        return Err("not an RSS or Atom feed (empty document)".into());
    }
    Ok(feed)
}

fn store_field(feed: &mut Feed, item: Option<&mut Item>, f: Field, text: String) {
    let text = text.trim().to_string();
    if text.is_empty() {
        return;
    }
    let Some(it) = item else {
        if f == Field::Language {
            feed.lang.get_or_insert(text);
        }
        return;
    };
    let slot = match f {
        Field::Title => &mut it.title,
        Field::Link => &mut it.link,
        Field::Guid => &mut it.guid,
        Field::Date => &mut it.date,
        Field::Updated => &mut it.updated,
        Field::Description => &mut it.description,
        Field::Content => &mut it.content,
        Field::Author => &mut it.author,
        Field::Language => return,
    };
    slot.get_or_insert(text);
}

fn item_id(item: &Item, feed_url: &str) -> Option<String> {
    let id = item.guid.as_ref().or(item.link.as_ref())?.trim();
    if id.is_empty() {
        return None;
    }
    Some(if id.contains(':') {
        id.to_string()
    } else {
        format!("{}#{id}", trim_base(feed_url))
    })
}

fn to_post(item: &Item, id: String, lang: Option<&str>) -> Option<Post> {
    let created_at = item
        .date
        .as_deref()
        .and_then(parse_date)
        .or_else(|| item.updated.as_deref().and_then(parse_date))?;
    let created_at = check_plausible(created_at).ok()?;
    let title = html::to_text(item.title.as_deref().unwrap_or(""));
    let body = html::to_text(
        item.description
            .as_deref()
            .or(item.content.as_deref())
            .unwrap_or(""),
    );
    let mut text = match (title.is_empty(), body.is_empty() || body == title) {
        (_, true) => title,
        (true, false) => body,
        (false, false) => format!("{title}\n\n{body}"),
    };
    if let Some((cut, _)) = text.char_indices().nth(MAX_TEXT) {
        text.truncate(cut);
    }
    Some(Post {
        source: Source::Rss,
        id,
        created_at,
        text,
        lang: lang.map(str::to_string),
        author: item.author.clone(),
        region_hints: RegionHints::default(),
        is_repost: false,
        repost_of: None,
        hashtags: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_are_read_with_entities_and_cdata() {
        let xml = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Status</title><language>en-us</language>
<item><title>Netflix streaming &amp; TV apps degraded</title>
<link>https://status.example/i/1</link><guid isPermaLink="false">1</guid>
<pubDate>Mon, 24 Dec 2012 20:31:07 GMT</pubDate>
<description><![CDATA[<p>Customers &amp; partners <b>cannot</b> stream.</p>]]></description>
<dc:creator>ops</dc:creator></item>
<item><title>Resolved</title><link>https://status.example/i/2</link></item>
</channel></rss>"#;
        let feed = parse_feed(xml.as_bytes()).unwrap();
        assert_eq!(feed.lang.as_deref(), Some("en-us"));
        assert_eq!(feed.items.len(), 2);
        let it = &feed.items[0];
        assert_eq!(
            it.title.as_deref(),
            Some("Netflix streaming & TV apps degraded")
        );
        assert_eq!(it.author.as_deref(), Some("ops"));
        let id = item_id(it, "https://status.example/feed.rss/").unwrap();
        assert_eq!(id, "https://status.example/feed.rss#1");
        let post = to_post(it, id, feed.lang.as_deref()).unwrap();
        assert_eq!(
            post.text,
            "Netflix streaming & TV apps degraded\n\nCustomers & partners cannot stream."
        );
        assert_eq!(post.created_at.to_rfc3339(), "2012-12-24T20:31:07+00:00");
        // No date: not a post.
        let second = &feed.items[1];
        assert_eq!(
            item_id(second, "u").as_deref(),
            Some("https://status.example/i/2")
        );
        assert!(to_post(second, "x".into(), None).is_none());
    }

    #[test]
    fn atom_entries_are_read() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><id>tag:news.example,2012:1</id><title type="html">Netflix &lt;b&gt;outage&lt;/b&gt;</title>
<link rel="self" href="https://news.example/self"/><link href="https://news.example/a/1"/>
<published>2012-12-24 20:31:07Z</published><updated>2012-12-25T01:00:00Z</updated>
<author><name>Ann</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>down</p><p>again</p></div></content>
</entry></feed>"#;
        let feed = parse_feed(xml.as_bytes()).unwrap();
        let it = &feed.items[0];
        assert_eq!(it.guid.as_deref(), Some("tag:news.example,2012:1"));
        assert_eq!(it.link.as_deref(), Some("https://news.example/a/1"));
        assert_eq!(it.author.as_deref(), Some("Ann"));
        let post = to_post(it, "x".into(), None).unwrap();
        assert_eq!(post.text, "Netflix outage\n\ndown again");
        assert_eq!(post.created_at.to_rfc3339(), "2012-12-24T20:31:07+00:00");
    }

    #[test]
    fn documents_that_are_not_feeds_are_refused() {
        assert!(parse_feed(b"<html><body>hi</body></html>")
            .unwrap_err()
            .contains("not an RSS or Atom feed (the document is <html>)"));
        assert!(parse_feed(b"").is_err());
        assert!(parse_feed(b"<rss><channel><item><title>x</titl")
            .unwrap_err()
            .starts_with("not well-formed XML at byte"));
        let deep = format!("<rss>{}</rss>", "<a>".repeat(100_000));
        assert_eq!(parse_feed(deep.as_bytes()).map(|f| f.items.len()), Ok(0));
    }
}

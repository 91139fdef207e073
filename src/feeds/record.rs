//! `--record`: what was watched live, kept as an archive `outcry import`
//! can read back.
//!
//! Each post becomes one line shaped like a Twitter v1.1 tweet, the format
//! the importer already reads: `id_str`, `created_at` in Twitter's form,
//! `text` with `&`, `<` and `>` escaped as Twitter escaped them (the reader
//! decodes entities, so a literal "&amp;" survives the round trip), `lang`,
//! `user.screen_name`, `entities.hashtags`, and for a repost a
//! `retweeted_status`. One field is outcry's own: `outcry_source` names the
//! network, because the store deduplicates by (source, id) and a toot is not
//! a tweet.
//!
//! A repost's line is the repost: its own id and time, under which poll
//! counted it and the importer counts it again. Its `retweeted_status` is
//! the original, as a retweet's is: the original's id and time (when the
//! network named them), and the text and hashtags that were scored, which
//! is where the importer reads a retweet's text from.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::post::Post;

pub struct Recorder {
    path: PathBuf,
    out: BufWriter<File>,
}

impl Recorder {
    /// Opens `path` for appending, creating it if needed.
    pub fn open(path: &Path) -> io::Result<Recorder> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Recorder {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&mut self, post: &Post) -> io::Result<()> {
        self.out.write_all(line(post).as_bytes())?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Twitter's `Mon Dec 24 20:31:07 +0000 2012`.
fn twitter_time(t: DateTime<Utc>) -> String {
    t.format("%a %b %d %H:%M:%S +0000 %Y").to_string()
}

/// One post as a v1.1-shaped JSON line (without the newline).
pub fn line(post: &Post) -> String {
    let text = html_escape::encode_text(&post.text).into_owned();
    let hashtags: Vec<_> = post.hashtags.iter().map(|h| json!({ "text": h })).collect();
    let mut tweet = json!({
        "created_at": twitter_time(post.created_at),
        "id_str": post.id,
        "text": text,
        "lang": post.lang,
        "user": { "screen_name": post.author },
        "entities": { "hashtags": hashtags },
        "outcry_source": post.source.as_str(),
    });
    if post.is_repost {
        // The reader takes a repost's text and hashtags from the original.
        let mut original = json!({
            "text": tweet["text"].clone(),
            "entities": tweet["entities"].clone(),
        });
        // An id or time the network did not give is left out rather than
        // filled with the repost's own: the reader needs neither.
        if let Some(of) = &post.repost_of {
            original["id_str"] = json!(of.id);
            if let Some(t) = of.created_at {
                original["created_at"] = json!(twitter_time(t));
            }
        }
        tweet["retweeted_status"] = original;
    }
    tweet.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::{Original, RegionHints, Source};
    use chrono::TimeZone;

    #[test]
    fn a_toot_is_recorded_in_the_v1_shape() {
        let post = Post {
            source: Source::Mastodon,
            id: "https://m.example/users/amy/statuses/1".into(),
            created_at: Utc.with_ymd_and_hms(2024, 12, 24, 20, 31, 7).unwrap(),
            text: "netflix & chill? <no>".into(),
            lang: None,
            author: Some("amy@m.example".into()),
            region_hints: RegionHints::default(),
            is_repost: false,
            repost_of: None,
            hashtags: vec!["netflix".into()],
        };
        assert_eq!(
            line(&post),
            r#"{"created_at":"Tue Dec 24 20:31:07 +0000 2024","entities":{"hashtags":[{"text":"netflix"}]},"id_str":"https://m.example/users/amy/statuses/1","lang":null,"outcry_source":"mastodon","text":"netflix &amp; chill? &lt;no&gt;","user":{"screen_name":"amy@m.example"}}"#
        );
    }

    #[test]
    fn a_repost_is_recorded_under_its_own_id_with_its_original_inside() {
        let repost = Post {
            source: Source::Mastodon,
            id: "https://m.example/users/a/statuses/504".into(),
            created_at: Utc.with_ymd_and_hms(2024, 2, 1, 13, 0, 0).unwrap(),
            text: "netflix is down everywhere #netflix".into(),
            lang: Some("en".into()),
            author: Some("a".into()),
            region_hints: RegionHints::default(),
            is_repost: true,
            repost_of: Some(Original {
                id: "https://other.example/users/b/statuses/77".into(),
                created_at: Some(Utc.with_ymd_and_hms(2024, 2, 1, 9, 0, 0).unwrap()),
            }),
            hashtags: vec!["netflix".into()],
        };
        let v: serde_json::Value = serde_json::from_str(&line(&repost)).unwrap();
        assert_eq!(v["id_str"], "https://m.example/users/a/statuses/504");
        assert_eq!(v["created_at"], "Thu Feb 01 13:00:00 +0000 2024");
        let original = &v["retweeted_status"];
        assert_eq!(
            original["id_str"],
            "https://other.example/users/b/statuses/77"
        );
        assert_eq!(original["created_at"], "Thu Feb 01 09:00:00 +0000 2024");
        assert_eq!(original["text"], v["text"]);
        assert_eq!(original["entities"], v["entities"]);

        // The importer reads it back as poll counted it: the repost's id and
        // hour, the original's text.
        let read = match crate::sources::twitter_v1::parse_line(line(&repost).as_bytes()) {
            crate::sources::LineOutcome::Post(p) => *p,
            _ => panic!("not read back as a post"),
        };
        assert_eq!(
            read,
            Post {
                repost_of: None,
                ..repost.clone()
            }
        );

        // An original the network did not date, or did not name at all.
        let undated = Post {
            repost_of: Some(Original {
                id: "t3_orig".into(),
                created_at: None,
            }),
            ..repost.clone()
        };
        let v: serde_json::Value = serde_json::from_str(&line(&undated)).unwrap();
        assert_eq!(v["retweeted_status"]["id_str"], "t3_orig");
        assert_eq!(v["retweeted_status"].get("created_at"), None);
        let unnamed = Post {
            repost_of: None,
            ..repost
        };
        let v: serde_json::Value = serde_json::from_str(&line(&unnamed)).unwrap();
        assert_eq!(v["retweeted_status"].get("id_str"), None);
        assert_eq!(v["retweeted_status"].get("created_at"), None);
        assert_eq!(v["retweeted_status"]["text"], v["text"]);
    }
}

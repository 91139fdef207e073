//! `--record`: what was watched live, kept as an archive `outcry import`
//! can read back.
//!
//! Each post becomes one line shaped like a Twitter v1.1 tweet, the format
//! the importer already reads: `id_str`, `created_at` in Twitter's form,
//! `text` with `&`, `<` and `>` escaped as Twitter escaped them (the reader
//! decodes entities, so a literal "&amp;" survives the round trip), `lang`,
//! `user.screen_name`, `entities.hashtags`, and for a repost a
//! `retweeted_status` carrying the text. One field is outcry's own:
//! `outcry_source` names the network, because the store deduplicates by
//! (source, id) and a toot is not a tweet.

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
        tweet["retweeted_status"] = json!({
            "created_at": twitter_time(post.created_at),
            "id_str": post.id,
            "text": tweet["text"].clone(),
            "entities": tweet["entities"].clone(),
        });
    }
    tweet.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::{RegionHints, Source};
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
            hashtags: vec!["netflix".into()],
        };
        assert_eq!(
            line(&post),
            r#"{"created_at":"Tue Dec 24 20:31:07 +0000 2024","entities":{"hashtags":[{"text":"netflix"}]},"id_str":"https://m.example/users/amy/statuses/1","lang":null,"outcry_source":"mastodon","text":"netflix &amp; chill? &lt;no&gt;","user":{"screen_name":"amy@m.example"}}"#
        );
        let repost = Post {
            is_repost: true,
            ..post
        };
        let v: serde_json::Value = serde_json::from_str(&line(&repost)).unwrap();
        assert_eq!(v["retweeted_status"]["text"], v["text"]);
    }
}

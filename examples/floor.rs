//! The parse floor: the plainest reader of a v1.1 archive, that `outcry
//! import` is measured against (issue 7).
//!
//! One thread reads the file line by line (gunzipping it in the same thread
//! when it ends in `.gz`) and deserialises each line with serde_json into a
//! borrowed struct of only the fields outcry uses. Nothing is tagged, scored
//! or stored; it prints what it read and how fast, one `key=value` a line,
//! for `benches/import.sh`.
//!
//! `cargo run --release --example floor -- FILE`

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::time::Instant;

use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Tweet<'a> {
    #[serde(borrow)]
    id_str: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    full_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    extended_tweet: Option<Extended<'a>>,
    #[serde(borrow)]
    lang: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user: Option<User<'a>>,
    #[serde(borrow)]
    place: Option<Place<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
    #[serde(borrow)]
    retweeted_status: Option<Box<Tweet<'a>>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Extended<'a> {
    #[serde(borrow)]
    full_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct User<'a> {
    #[serde(borrow)]
    location: Option<Cow<'a, str>>,
    #[serde(borrow)]
    time_zone: Option<Cow<'a, str>>,
    utc_offset: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Place<'a> {
    #[serde(borrow)]
    country_code: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Entities<'a> {
    #[serde(borrow, default)]
    hashtags: Vec<Hashtag<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Hashtag<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        outcry::say!("usage: floor FILE[.gz]");
        std::process::exit(2);
    };
    let started = Instant::now();
    let file = File::open(&path)?;
    let on_disk = file.metadata()?.len();
    let raw: Box<dyn Read> = if path.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 20, raw);
    let mut line = Vec::with_capacity(64 * 1024);
    let (mut posts, mut bad, mut bytes, mut with_text) = (0u64, 0u64, 0u64, 0u64);
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        match serde_json::from_slice::<Tweet>(&line) {
            Ok(t) => {
                posts += 1;
                with_text += t.text.is_some() as u64;
            }
            Err(_) => bad += 1,
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!("posts={posts}");
    println!("rejected={bad}");
    println!("with_text={with_text}");
    println!("bytes={bytes}");
    println!("on_disk={on_disk}");
    println!("seconds={secs:.3}");
    println!("posts_per_s={:.0}", posts as f64 / secs);
    println!("mb_per_s={:.1}", bytes as f64 / secs / 1e6);
    Ok(())
}

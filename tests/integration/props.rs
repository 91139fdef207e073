//! Properties that must hold for any input, checked by proptest through the
//! library's public API: no reader or parser panics on any bytes, the scorer
//! and tagger answer any text with a sane result, hour keys sort as times
//! do, and a valid post survives the trip through a reader and the store.
//!
//! Case counts stay modest (256) so the suite stays fast; the fuzz targets
//! in `fuzz/` run the same entry points for as long as one cares to wait.

use std::io::{BufReader, Cursor, Read};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use outcry::feeds::{dates, html, jetstream, mastodon, rss};
use outcry::lexicons::Lexicons;
use outcry::sentiment::SentimentScorer;
use outcry::sources::document::DocumentReader;
use outcry::sources::export::{self, Owner};
use outcry::sources::table::TableReader;
use outcry::sources::{decode, format, twitter_v1, twitter_v2, LineOutcome};
use outcry::store::keys::{
    day_counter_key, day_counter_prefix, day_of, hour_of, parse_day_counter_key,
};
use outcry::store::{PendingCommit, PostRecord, Store};
use outcry::tag::Tagger;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bytes that look a little like what the readers expect, so the cases get
/// past the first check more often than pure noise would.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\n",
        "\r\n",
        " ",
        "\u{feff}",
        "\"id_str\":",
        "\"id\":",
        "\"created_at\":",
        "\"text\":",
        "\"data\":",
        "\"includes\":",
        "\"user\":",
        "\"tweet\":",
        "\"author_id\":",
        "\"Mon Dec 24 20:30:00 +0000 2012\"",
        "\"2012-12-24T20:30:00.000Z\"",
        "\"283306174100000000\"",
        "9007199254740993",
        "1e400",
        "-0",
        "null",
        "true",
        "\"netflix is down\"",
        "window.YTD.tweets.part0 = ",
        "\u{0}",
        "\u{fffd}",
        "é",
        "😡",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat().into_bytes()),
    ]
}

fn drain_documents(bytes: &[u8]) {
    let mut reader = DocumentReader::with_limit(Cursor::new(bytes), 256);
    let mut spilled = 0usize;
    let mut records = 0;
    while let Ok(Some((_, _record))) = reader.next_record(&mut |b| spilled += b.len()) {
        records += 1;
        // A reader that made no progress would loop forever.
        assert!(records <= bytes.len() + 1, "more records than bytes");
    }
    assert!(reader.consumed() <= bytes.len() as u64);
}

fn drain_table(bytes: &[u8]) {
    if let Ok(mut table) = TableReader::new(Cursor::new(bytes)) {
        let mut rows = 0;
        while let Ok(Some(_row)) = table.next_row(true) {
            rows += 1;
            assert!(rows <= bytes.len() + 1, "more rows than bytes");
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_bytes_make_a_record_parser_panic(bytes in jsonish()) {
        let _ = twitter_v1::parse_line(&bytes);
        let mut out = Vec::new();
        twitter_v2::parse_line(&bytes, &mut out);
        let _ = export::parse_record(&bytes, &Owner::default());
        let _ = Owner::default().absorb(&bytes);
        let _ = format::sniff(&bytes, None);
        let _ = mastodon::parse_page(&bytes, "https://example.social", 64);
        let _ = jetstream::parse_event(&bytes, 64);
        let _ = rss::parse_feed(&bytes);
    }

    #[test]
    fn no_bytes_make_a_stream_reader_panic_or_stall(bytes in jsonish()) {
        drain_documents(&bytes);
        drain_table(&bytes);
    }

    #[test]
    fn no_bytes_make_the_decoder_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), magic in 0usize..4) {
        // Put a real magic number in front, so the decompressors get to
        // read (and choke on) the noise behind it.
        let heads: [&[u8]; 4] = [b"", &[0x1f, 0x8b, 8, 0], b"BZh9", &[0x28, 0xb5, 0x2f, 0xfd]];
        let mut input = heads[magic].to_vec();
        input.extend_from_slice(&bytes);
        if let Ok((_, mut decoded)) = decode::decoder(BufReader::new(Cursor::new(input))) {
            let mut out = Vec::new();
            let _ = (&mut decoded).take(1 << 20).read_to_end(&mut out);
        }
    }

    #[test]
    fn no_text_makes_a_time_or_html_parser_panic(s in any::<String>()) {
        let _ = twitter_v1::parse_created_at(&s);
        let _ = twitter_v2::parse_created_at(&s);
        let _ = outcry::sources::table::parse_time(&s);
        let _ = dates::parse_date(&s);
        let _ = html::to_text(&s);
    }

    #[test]
    fn hour_keys_sort_as_times_do(
        a in 0i64..4_102_444_800,
        b in 0i64..4_102_444_800,
        ra in "[A-Z]{2}|unknown|",
        rb in "[A-Z]{2}|unknown|",
    ) {
        let ta = DateTime::<Utc>::from_timestamp(a, 0).unwrap();
        let tb = DateTime::<Utc>::from_timestamp(b, 0).unwrap();
        let (ha, hb) = (hour_of(ta), hour_of(tb));
        prop_assert_eq!(ha.cmp(&hb), (a / 3600).cmp(&(b / 3600)));
        // Counters are stored a day to a key: days sort as the hours in them.
        let (da, db) = (day_of(ha), day_of(hb));
        prop_assert_eq!(da.cmp(&db), (a / 86_400).cmp(&(b / 86_400)));
        let (ka, kb) = (day_counter_key("netflix", da, &ra), day_counter_key("netflix", db, &rb));
        if da != db {
            prop_assert_eq!(ka.cmp(&kb), da.cmp(&db));
        }
        let n = day_counter_prefix("netflix").len();
        prop_assert_eq!(parse_day_counter_key(&ka, n), Some((da, ra.as_str())));
    }

    #[test]
    fn a_valid_v1_tweet_is_read_back_field_for_field(
        id in 1u64..u64::MAX,
        secs in 1_142_899_200i64..1_700_000_000,
        text in "[^&]{1,280}",
        tags in prop::collection::vec("[a-zA-Z][a-zA-Z0-9_]{0,20}", 0..4),
        big_id_as_number in any::<bool>(),
    ) {
        let t = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        let hashtags: Vec<_> = tags.iter().map(|h| serde_json::json!({"text": h})).collect();
        let mut tweet = serde_json::json!({
            "created_at": t.format("%a %b %d %H:%M:%S +0000 %Y").to_string(),
            "id_str": id.to_string(),
            "text": text,
            "entities": {"hashtags": hashtags},
        });
        if big_id_as_number {
            // An id above 2^53 as a JSON number: id_str must win over it.
            tweet["id"] = serde_json::json!(id);
        }
        let line = serde_json::to_vec(&tweet).unwrap();
        match twitter_v1::parse_line(&line) {
            LineOutcome::Post(post) => {
                prop_assert_eq!(&post.id, &id.to_string());
                prop_assert_eq!(post.created_at, t);
                prop_assert_eq!(&post.text, &text);
                prop_assert_eq!(&post.hashtags, &tags);
            }
            _ => prop_assert!(false, "not a post: {}", String::from_utf8_lossy(&line)),
        }
    }
}

#[test]
fn any_text_gets_a_bounded_score_and_tags() {
    let lexicons = Lexicons::embedded();
    let scorer = SentimentScorer::new(&lexicons).expect("scorer");
    let tagger = Tagger::new(&lexicons).expect("tagger");
    let langs = [
        None,
        Some(outcry::lang::Lang::En),
        Some(outcry::lang::Lang::Es),
        Some(outcry::lang::Lang::Pt),
        Some(outcry::lang::Lang::Fr),
    ];
    let words = prop::sample::select(vec![
        "netflix",
        "is",
        "down",
        "not",
        "very",
        "!!!",
        ":(",
        "😡",
        "no",
        "funciona",
        "never",
        "but",
        "#NetflixDown",
        "@netflixhelps",
        "QUE",
        "horrible",
        "très",
        "não",
        "' ",
        "-",
        "\u{200d}",
        "\u{301}",
        " ",
        "\n",
    ]);
    let text = prop_oneof![
        any::<String>(),
        prop::collection::vec(words, 0..120).prop_map(|w| w.join(" ")),
    ];
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(text, 0usize..5), |(text, l)| {
            let s = scorer.score(&text, langs[l]);
            prop_assert!(s.compound.is_finite() && (-1.0..=1.0).contains(&s.compound));
            for share in [s.positive, s.neutral, s.negative] {
                prop_assert!((0.0..=1.0).contains(&share), "{s:?}");
            }
            prop_assert!((s.positive + s.neutral + s.negative - 1.0).abs() < 1e-6);
            let hashtags: Vec<String> = text
                .split_whitespace()
                .filter_map(|w| w.strip_prefix('#'))
                .map(str::to_string)
                .collect();
            let tags = tagger.tag(&text, &hashtags, langs[l]);
            prop_assert!(tags.topics.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(tags.topics.iter().all(|&i| i < tagger.topics().len()));
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_post_record_round_trips_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let record = (
        prop::sample::select(vec!["twitter", "mastodon", "bluesky", "reddit", "rss"]),
        "[0-9]{1,20}|at://did:plc:[a-z0-9]{4,24}/app.bsky.feed.post/[a-z0-9]{4,13}",
        1_142_899_200i64..4_102_444_800,
        "[A-Z]{2}|unknown",
        prop::option::of("[a-z]{2}"),
        -1_000_000i32..=1_000_000,
        (any::<bool>(), any::<bool>(), any::<bool>()),
        prop::option::of(any::<String>()),
    )
        .prop_map(
            |(source, id, time, region, lang, c, (complaint, problem, repost), text)| PostRecord {
                source: source.to_string(),
                id,
                time,
                region,
                lang,
                compound_micros: c,
                complaint,
                problem,
                repost,
                text,
            },
        );
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let case = std::cell::Cell::new(0u32);
    runner
        .run(&record, |rec| {
            // A topic per case, so every read sees exactly one record.
            case.set(case.get() + 1);
            let topic = format!("t{}", case.get());
            let hour = hour_of(DateTime::<Utc>::from_timestamp(rec.time, 0).unwrap());
            let mut pending = PendingCommit::default();
            pending.add_post(&topic, hour, &rec);
            store.commit(pending).unwrap();
            let back: Vec<PostRecord> = store
                .posts(&topic, hour, hour)
                .collect::<Result<_, _>>()
                .unwrap();
            prop_assert_eq!(back, vec![rec]);
            Ok(())
        })
        .unwrap();
}

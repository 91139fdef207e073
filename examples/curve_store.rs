//! Writes a store holding a year of hourly counters for 20 topics and 30
//! regions, for timing `outcry curve` on a full store (issue 7,
//! `benches/import.sh`). Goes through the Store API, as an import does.
//!
//! `cargo run --release --example curve_store -- DB`

use std::path::PathBuf;

use outcry::store::{Counter, PendingCommit, Store};

const HOURS: u32 = 365 * 24;
/// 2012-01-01T00:00:00Z in hours since the epoch.
const FIRST_HOUR: u32 = 368_160;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        outcry::say!("usage: curve_store DB");
        std::process::exit(2);
    };
    let store = Store::open(&path)?;
    let mut topics = vec!["netflix".to_string()];
    topics.extend((1..20).map(|i| format!("service{i:02}")));
    let regions: Vec<String> = (0..30)
        .map(|i| format!("{}{}", (b'A' + i / 26) as char, (b'A' + i % 26) as char))
        .collect();
    let mut written = 0u64;
    for day in 0..HOURS / 24 {
        let mut pending = PendingCommit::default();
        for hour in day * 24..(day + 1) * 24 {
            for (t, topic) in topics.iter().enumerate() {
                for (r, region) in regions.iter().enumerate() {
                    let posts = 1 + ((hour as usize * 7 + t * 13 + r * 31) % 17) as u64;
                    let delta = Counter {
                        posts,
                        complaints: posts / 3,
                        negative: posts / 3,
                        neutral: posts - posts / 3 - posts / 4,
                        positive: posts / 4,
                        sentiment_micros: -120_000 * posts as i64,
                    };
                    pending.add_counter(topic, FIRST_HOUR + hour, region, &delta);
                    written += 1;
                }
            }
        }
        store.commit(pending)?;
    }
    store.flush()?;
    println!("counters={written}");
    Ok(())
}

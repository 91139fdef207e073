//! Writes a synthetic archive and prints what it holds.
//!
//! `cargo run --release --example synth -- christmas-eve-2012 2012 data/netflix-christmas-eve-2012.jsonl.gz`
//!
//! The gzip framing matches `outcry synth` (header mtime 0, no file name,
//! default level), so both write the same bytes for the same seed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = args.first().map_or("christmas-eve-2012", String::as_str);
    let seed: u64 = args.get(1).map_or(Ok(2012), |s| s.parse())?;
    let out = args
        .get(2)
        .map_or("netflix-christmas-eve-2012.jsonl.gz", String::as_str);
    let summary = outcry::synth::write_file(std::path::Path::new(out), |w| {
        outcry::synth::generate(scenario, seed, w)
    })?;
    println!(
        "{}: seed {}, {} lines",
        summary.scenario, summary.seed, summary.lines
    );
    println!(
        "  tweets {} (retweets {}), duplicates {}, deletes {}, limits {}, blank {}",
        summary.tweets,
        summary.retweets,
        summary.duplicates,
        summary.deletes,
        summary.limits,
        summary.blank
    );
    println!(
        "  netflix posts {}, netflix complaints {}",
        summary.netflix_posts, summary.netflix_complaints
    );
    for (kind, n) in &summary.by_kind {
        println!("  kind {kind:<28} {n:>7}");
    }
    for (region, n) in &summary.netflix_by_region {
        let c = summary
            .complaints_by_region
            .get(region)
            .copied()
            .unwrap_or(0);
        println!("  region {region:<6} netflix {n:>6} complaints {c:>6}");
    }
    for m in &summary.malformed {
        println!("  malformed line {}: {}", m.line, m.what);
    }
    // The typical hour before the outage (before 2012-12-24T20:00Z).
    let mut before: Vec<u64> = (0..(7 * 24 + 20))
        .map(|h| 1_355_702_400 + h * 3600)
        .map(|t| summary.complaints_by_hour.get(&t).copied().unwrap_or(0))
        .collect();
    before.sort_unstable();
    if let (Some(median), Some(max)) = (before.get(before.len() / 2), before.last()) {
        let peak = summary
            .complaints_by_hour
            .values()
            .max()
            .copied()
            .unwrap_or(0);
        println!("  complaints/hour before the outage: median {median}, max {max}; peak {peak}");
    }
    for (hour, n) in &summary.complaints_by_hour {
        if *n >= 20 {
            let t = chrono::DateTime::from_timestamp(*hour, 0)
                .map(|t| t.format("%d %H:00").to_string());
            println!(
                "  {} {n:>5} {}",
                t.unwrap_or_default(),
                "#".repeat((*n / 40) as usize)
            );
        }
    }
    Ok(())
}

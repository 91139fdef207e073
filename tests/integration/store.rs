//! The store as a whole: one writer at a time, and a clear word to the second.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::Outcry;

#[test]
fn a_second_process_on_the_same_store_is_told_so_at_once() {
    let o = Outcry::new();
    // An import reading a pipe that stays open holds the store.
    let mut holder = o
        .command(&["import", "-", "--no-chart"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !o.db().join("conf").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let run = o.run(&["stats"]);
    let took = started.elapsed();
    drop(holder.stdin.take());
    holder.wait().unwrap();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "store {} is in use by another outcry process",
            o.db().display()
        )),
        "{}",
        run.stderr
    );
    assert!(took < Duration::from_secs(1), "took {took:?}");
    // Once the first has finished, the store opens again.
    assert_eq!(o.run(&["stats"]).code, 0);
}

#!/usr/bin/env bash
# Scoring speed: `outcry score --threads 1` against the Python
# vaderSentiment package, one thread each, on the same posts.
#
# Four files of N lines (default 200000). The first two are the 4,200 rated
# tweets of ../shared/eval when present (else our check set), repeated:
#
#   repeated  the posts as they are, over and over. outcry remembers what it
#             made of each space-separated chunk, and here every chunk has
#             been seen after the first pass: the most flattering case.
#   fresh     the same, but in every repeat after the first the chunks that
#             occur once in the base posts are respelled (a repeat number
#             appended, after any punctuation), so about a fifth of the
#             chunks of each post are new and never seen again. Real streams
#             lie between the two: their new words (names, typos, numbers,
#             links) often recur a few times, and their recurring vocabulary
#             can be larger than these posts'. A respelled word ends in a
#             digit, which no stemmer's suffix ends in, so outcry knows it is
#             its own stem without running the stemmer (src/stemmer.rs):
#             real new words that end in a letter cost more stemming.
#   pieced    N posts each pieced together from the first half of one of
#             our labelled posts (every file of tests/fixtures/checkset:
#             7,399 posts when this was written, in four languages, most of
#             them to or about a company) and the second half of another,
#             drawn at random (seeded). Their words recur; their sequences
#             are mostly new, over a run long enough to show what a memory
#             that fills does. The complaint shapes' lazy DFA meets states
#             it has not built on such text, and until 702932b the ASCII
#             set's cache was cleared every 20,000 or so posts of ASCII text
#             and built afresh (two fifths of this file are beyond ASCII,
#             and show less of that). Timed only: its point is the long run, which valgrind
#             would take minutes over. A check set added changes this
#             file: compare builds on one checkout.
#   languages our check set (tests/fixtures/checkset/posts.tsv: 641 posts
#             written for this project, half of them in Spanish, Portuguese
#             and French, half of those with accents or emoji), made fresh
#             the same way. The rated tweets are nearly all English and
#             ASCII; a Latin American outage is not, and text outside ASCII
#             takes other paths through the regular expressions.
#
# Each tool is timed best of 3 on each file. vaderSentiment is installed with
# pip into a temporary virtual environment; when that fails (no network to
# PyPI) the script says so and times outcry alone.
#
# For scale, it also times a port of VADER to Rust, the vader_sentiment
# crate from crates.io, built in a temporary folder with a ten-line program
# that prints each line's compound score: what plain VADER costs compiled,
# English only, with no tagging or complaint stage. When cargo cannot fetch
# the crate, the script says so and leaves it out.
#
# Times on a small shared machine drift by a third from hour to hour, so
# when valgrind is installed the script also counts the instructions outcry
# runs per post (callgrind) on 20,000 lines of each file but `pieced`, both
# over the whole run and at the margin (start-up and first-use builds left out), and
# splits the latter by stage: a figure that does not drift, for telling
# whether a change to the scorer made it faster. It counts the base posts
# read once each the same way (at the margin, after a warm-up): real text
# met for the first time, too little of it to time.
#
# Usage: benches/score_vs_vader.sh [N]
# (OUTCRY_BIN=path times another build of outcry, e.g. an older one.)
set -euo pipefail
# Command substitutions ($(...)) fail the script too.
shopt -s inherit_errexit
n=${1:-200000}
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [N], N a positive number of lines" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${OUTCRY_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/outcry}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src="$root/../shared/eval/vader_tweets_ground_truth.tsv"
checkset="$root/tests/fixtures/checkset/posts.tsv"
tail -n +2 "$checkset" | cut -f4 >"$work/checkset.txt"
if [[ -f "$src" ]]; then
    cut -f3 "$src" >"$work/base.txt"
    echo "posts: the rated tweets of ../shared/eval, repeated to $n lines"
else
    cp "$work/checkset.txt" "$work/base.txt"
    echo "posts: tests/fixtures/checkset/posts.tsv, repeated to $n lines (../shared/eval is absent)"
fi
if (( n <= $(wc -l <"$work/base.txt") )); then
    echo "note: N is no more than the base posts, so 'fresh' has no repeat and equals 'repeated'"
fi

# Writes base posts $1 repeated to $n lines into $2, and made fresh into $3.
repeat_and_refresh() {
python3 - "$1" "$n" "$2" "$3" <<'PY'
import collections, sys
base = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
n = int(sys.argv[2])
once = {w for w, c in collections.Counter(
    w for line in base for w in line.split(" ") if w).items() if c == 1}
with open(sys.argv[3], "w", encoding="utf-8") as repeated, \
        open(sys.argv[4], "w", encoding="utf-8") as fresh:
    for i in range(n):
        r, line = divmod(i, len(base))
        line = base[line]
        repeated.write(line + "\n")
        if r:
            line = " ".join(f"{w}q{r}" if w in once else w for w in line.split(" "))
        fresh.write(line + "\n")
PY
}
repeat_and_refresh "$work/base.txt" "$work/repeated.txt" "$work/fresh.txt"
for f in "$root"/tests/fixtures/checkset/*.tsv; do
    tail -n +2 "$f" | cut -f4
done >"$work/ours.txt"
python3 - "$work/ours.txt" "$n" "$work/pieced.txt" <<'PY'
import random, sys
ours = [line.split() for line in
        open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()]
ours = [words for words in ours if len(words) > 1]
pick = random.Random(2012).choice
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for _ in range(int(sys.argv[2])):
        a, b = pick(ours), pick(ours)
        out.write(" ".join(a[:len(a) // 2] + b[len(b) // 2:]) + "\n")
PY
repeat_and_refresh "$work/checkset.txt" /dev/null "$work/languages.txt"

cargo build --release --quiet --manifest-path "$root/Cargo.toml"

# Posts per second of command $2... on file $1 (given as its standard input
# too), best of 3.
rate() {
    local file=$1 best=""
    shift
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        if ! "$@" <"$file" >/dev/null; then
            echo "$1 failed on $file" >&2
            exit 1
        fi
        end=$(date +%s.%N)
        best=$(python3 -c "print(min(x for x in [$end - $start, ${best:-1e9}]))")
    done
    python3 -c "print(round($n / $best))"
}

vader=""
if python3 -m venv "$work/venv" >/dev/null 2>&1 && "$work/venv/bin/pip" install -q vaderSentiment >/dev/null 2>&1; then
    vader="$work/venv/bin/python"
else
    echo "vaderSentiment could not be installed with pip here: outcry timed alone"
fi

# Posts per second of vaderSentiment's polarity_scores on file $1, best of 3.
vader_rate() {
    "$vader" - "$1" <<'PY'
import sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
a = SentimentIntensityAnalyzer()
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    for line in lines:
        a.polarity_scores(line)
    best = min(best, time.perf_counter() - t)
print(round(len(lines) / best))
PY
}

# The Rust port of VADER, pinned so that its figures compare from round to
# round (its own dependencies resolve to their newest compatible versions);
# built with the release profile's defaults, as outcry's is.
rust_vader=""
mkdir -p "$work/rust-vader/src"
cat >"$work/rust-vader/Cargo.toml" <<'TOML'
[package]
name = "rust-vader-bench"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
vader_sentiment = "=0.1.1"

[workspace]
TOML
cat >"$work/rust-vader/src/main.rs" <<'RS'
use std::io::{BufRead, BufWriter, Write};

fn main() {
    let analyzer = vader_sentiment::SentimentIntensityAnalyzer::new();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().split(b'\n') {
        let bytes = line.expect("read");
        let scores = analyzer.polarity_scores(&String::from_utf8_lossy(&bytes));
        writeln!(out, "{:.4}", scores["compound"]).expect("write");
    }
}
RS
if CARGO_TARGET_DIR="$work/rust-vader/target" cargo build --release --quiet \
    --manifest-path "$work/rust-vader/Cargo.toml" >"$work/rust-vader/build.log" 2>&1; then
    rust_vader="$work/rust-vader/target/release/rust-vader-bench"
else
    echo "the vader_sentiment crate could not be built here: left out. cargo said:"
    tail -n 5 "$work/rust-vader/build.log" | sed 's/^/    /'
fi

for kind in repeated fresh pieced languages; do
    o=$(rate "$work/$kind.txt" "$bin" score --threads 1 "$work/$kind.txt")
    echo "$kind: outcry score --threads 1: $o posts/s"
    if [[ -n "$vader" ]]; then
        v=$(vader_rate "$work/$kind.txt")
        echo "$kind: vaderSentiment (Python, one thread): $v posts/s"
        python3 -c "print(f'$kind: ratio {$o/$v:.1f}x (target: 30x)')"
    fi
    if [[ -n "$rust_vader" ]]; then
        # Only a reference: were it to fail, the rest is still measured.
        if r=$(rate "$work/$kind.txt" "$rust_vader"); then
            echo "$kind: vader_sentiment 0.1.1 (Rust port, one thread): $r posts/s; outcry $(python3 -c "print(f'{$o/$r:.1f}')")x that"
        else
            echo "$kind: vader_sentiment 0.1.1 failed: left out"
            rust_vader=""
        fi
    fi
done

# Instructions per post of `outcry score --threads 1` on the first 20,000
# lines of file $1 (all of them when it has fewer), counted two ways:
#   - the whole run over the number of lines, start-up included;
#   - at the margin: what the second half of those lines added to a run of
#     the first half. This leaves out start-up and every automaton built on
#     first use (which a count "less an empty file's run" would charge to the
#     posts), and is split by stage (language detection is in sentiment).
# With a second file $2, both runs read it first (to warm everything up)
# and only the margin is told.
instructions() {
    local lines half out="$work/callgrind.out" warm="${2:-/dev/null}"
    # Fewer when N is smaller: the count is what was scored.
    lines=$(head -n 20000 "$1" | tee "$work/head.txt" | wc -l)
    half=$((lines / 2))
    head -n "$half" "$work/head.txt" | cat "$warm" - >"$work/half.txt"
    cat "$warm" "$work/head.txt" >"$work/whole.txt"
    valgrind --tool=callgrind --callgrind-out-file="$out.half" "$bin" score --threads 1 "$work/half.txt" >/dev/null 2>&1
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" score --threads 1 "$work/whole.txt" >/dev/null 2>&1
    python3 - "$out.half" "$out" "$half" "$lines" "$warm" <<'PY'
import re, subprocess, sys
half_out, full_out, half, lines = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
warmed = sys.argv[5] != "/dev/null"
# A stage is its entry point or, where that was inlined, its closure.
names = {
    "outcry::sentiment::SentimentScorer::detect_and_score": "sentiment",
    "outcry::tag::Tagger::scan": "tagging",
    "outcry::complaint::ComplaintScorer::judge": "complaint",
}
def counts(path):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", path],
                          capture_output=True, text=True).stdout
    total, stage = None, {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \(", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        if total is None and "PROGRAM TOTALS" in line:
            total = n
        for name, key in names.items():
            if re.search(":" + re.escape(name) + r"(::\{\{closure\}\})?(\s|$)", line) and key not in stage:
                stage[key] = n
    return total, stage
(t1, s1), (t2, s2) = counts(half_out), counts(full_out)
whole = f"{t2 / lines:,.0f} instructions a post over {lines:,} lines, start-up included"
if warmed:
    whole = "after the warm-up"
if lines - half < 1:
    print(whole)
    sys.exit()
margin = (lines - half)
parts = ", ".join(f"{k} {(s2[k] - s1.get(k, 0)) / margin:,.0f}" for k in names.values() if k in s2)
print(f"{whole}; {(t2 - t1) / margin:,.0f} at the margin ({parts}; the rest reading and writing)")
PY
}

if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
    for kind in repeated fresh languages; do
        echo "$kind: outcry score --threads 1: $(instructions "$work/$kind.txt")"
    done
    # Real text read for the first time, which no file counted above is: the
    # base posts once each, the second half counted, after 20,000 lines of
    # `languages` have built every automaton. Too few lines to time.
    head -n 20000 "$work/languages.txt" >"$work/warm.txt"
    echo "base posts once each: outcry score --threads 1: $(instructions "$work/base.txt" "$work/warm.txt")"
else
    echo "valgrind is not installed: no instruction counts"
fi

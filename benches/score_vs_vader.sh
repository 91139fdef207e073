#!/usr/bin/env bash
# Scoring speed: `outcry score --threads 1` against the Python
# vaderSentiment package, one thread each, on the same posts.
#
# The posts are the 4,200 rated tweets of ../shared/eval when present (else
# our check set), repeated to N lines (default 200000). vaderSentiment is
# installed with pip into a temporary virtual environment; when that fails
# (no network to PyPI) the script says so and times outcry alone.
#
# Usage: benches/score_vs_vader.sh [N]
set -euo pipefail
n=${1:-200000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src="$root/../shared/eval/vader_tweets_ground_truth.tsv"
if [[ -f "$src" ]]; then
    cut -f3 "$src" >"$work/base.txt"
    echo "posts: the rated tweets of ../shared/eval, repeated to $n lines"
else
    tail -n +2 "$root/tests/fixtures/checkset/posts.tsv" | cut -f4 >"$work/base.txt"
    echo "posts: tests/fixtures/checkset/posts.tsv, repeated to $n lines (../shared/eval is absent)"
fi
: >"$work/posts.txt"
while [[ $(wc -l <"$work/posts.txt") -lt $n ]]; do cat "$work/base.txt" >>"$work/posts.txt"; done
head -n "$n" "$work/posts.txt" >"$work/n.txt"

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
start=$(date +%s.%N)
"$root/target/release/outcry" score --threads 1 "$work/n.txt" >/dev/null
end=$(date +%s.%N)
outcry_rate=$(python3 -c "print(round($n / ($end - $start)))")
echo "outcry score --threads 1: $outcry_rate posts/s"

if python3 -m venv "$work/venv" >/dev/null 2>&1 && "$work/venv/bin/pip" install -q vaderSentiment >/dev/null 2>&1; then
    vader_rate=$("$work/venv/bin/python" - "$work/n.txt" <<'PY'
import sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
a = SentimentIntensityAnalyzer()
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
t = time.perf_counter()
for line in lines:
    a.polarity_scores(line)
print(round(len(lines) / (time.perf_counter() - t)))
PY
)
    echo "vaderSentiment (Python, one thread): $vader_rate posts/s"
    python3 -c "r=$outcry_rate/$vader_rate; print(f'ratio: {r:.1f}x (target: 30x)')"
else
    echo "vaderSentiment could not be installed with pip here: outcry timed alone"
fi

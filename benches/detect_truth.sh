#!/usr/bin/env bash
# Measures incident detection against known truth.
#
# For each seed, `outcry synth --scenario random` writes six weeks of traffic
# for three services with 6–8 incidents of four shapes and a truth sidecar;
# the archive is imported into a fresh store and `outcry detect --truth`
# scores what was found. The totals are checked against the targets of
# issue 6: at least 95 % of true incidents found, at most one false alarm
# per topic per 30 days of data, median onset delay at most 1 hour.
#
# Usage: benches/detect_truth.sh [SEEDS]   (default 20; seeds 1..SEEDS)
# Env:   OUTCRY=path/to/outcry to use a built binary (default: release build)
#        KEEP=1 to keep the work folder.
set -euo pipefail

seeds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${OUTCRY:-}" ]]; then
    cargo build --release --quiet --manifest-path "$root/Cargo.toml"
    OUTCRY="$root/target/release/outcry"
fi
work=$(mktemp -d)
if [[ -z "${KEEP:-}" ]]; then
    trap 'rm -rf "$work"' EXIT
else
    echo "work folder: $work"
fi

for seed in $(seq 1 "$seeds"); do
    archive="$work/random-$seed.jsonl.gz"
    "$OUTCRY" synth --scenario random --seed "$seed" --out "$archive" 2>/dev/null
    "$OUTCRY" --db "$work/store-$seed.db" import "$archive" --no-chart >/dev/null
    "$OUTCRY" --db "$work/store-$seed.db" detect --truth "$archive.truth.json" \
        --format json >"$work/score-$seed.json"
    rm -rf "$work/store-$seed.db" "$archive"
done

python3 - "$work" "$seeds" <<'PY'
import json, statistics, sys
from collections import defaultdict

work, seeds = sys.argv[1], int(sys.argv[2])
true = found = fa = 0
topic_days = 0.0
delays = []
by_shape = defaultdict(lambda: [0, 0, []])
print("seed  true  found  false  median delay (h)")
for seed in range(1, seeds + 1):
    s = json.load(open(f"{work}/score-{seed}.json"))["score"]
    true += s["true_incidents"]
    found += s["found"]
    fa += s["false_alarms"]
    topic_days += s["topics"] * s["days"]
    for m in s["matches"]:
        entry = by_shape[m["shape"]]
        entry[0] += 1
        if m["onset_delay_hours"] is not None:
            entry[1] += 1
            entry[2].append(m["onset_delay_hours"])
            delays.append(m["onset_delay_hours"])
    print(f"{seed:>4}  {s['true_incidents']:>4}  {s['found']:>5}  {s['false_alarms']:>5}  {s['median_onset_delay_hours']}")
    for m in s["matches"]:
        if m["detected_start"] is None:
            print(f"      missed {m['topic']} {m['shape']} {m['true_start']}..{m['true_end']}")
    for i in s["false_alarm_incidents"]:
        print(f"      false alarm {i['topic']} {i['start']}..{i['end']} ({i['complaints']} complaints)")

print()
print("shape       true  found  median delay (h)  delays")
for shape, (t, f, d) in sorted(by_shape.items()):
    med = statistics.median(d) if d else None
    print(f"{shape:<10} {t:>5}  {f:>5}  {med!s:>16}  {sorted(d)}")

found_pct = 100.0 * found / true if true else 100.0
fa_rate = fa / (topic_days / 30.0) if topic_days else 0.0
median = statistics.median(delays) if delays else None
print()
print(f"seeds {seeds}: {true} true incidents, {found} found ({found_pct:.1f}%), "
      f"{fa} false alarms ({fa_rate:.3f} per topic per 30 days), median onset delay {median} h")
ok = found_pct >= 95.0 and fa_rate <= 1.0 and median is not None and median <= 1.0
print("targets (>=95% found, <=1 false alarm/topic/30 days, median delay <=1 h):",
      "MET" if ok else "NOT MET")
sys.exit(0 if ok else 1)
PY

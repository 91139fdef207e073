#!/usr/bin/env bash
# What the whole-content hash of a checkpoint costs: for each binary, a
# first import of FILE into a fresh store (the hash is taken from the bytes
# the import reads) and a rerun over it unchanged (skipped, after hashing
# the whole file to compare). The binaries take turns, ROUNDS rounds, and
# the medians are printed. FILE is read once beforehand so that every run
# finds it in the page cache.
#
# Usage: benches/reimport.sh BEFORE AFTER FILE [ROUNDS]   (default 3 rounds)
#        benches/reimport.sh /tmp/outcry-main target/release/outcry \
#            /tmp/outcry-bench/load-370000.jsonl 5
# (`outcry synth --scenario load --posts 370000 --out FILE` writes about 1 GB.)
# Env:   WORK=dir   where the stores go (default /tmp/outcry-bench)
set -euo pipefail

[[ $# -ge 3 ]] || { sed -n 2,14p "$0"; exit 2; }
before=$1 after=$2 file=$3 rounds=${4:-3}
work=${WORK:-/tmp/outcry-bench}
mkdir -p "$work"

# Seconds, to the millisecond, that "$@" takes.
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN {printf "%.3f", ns / 1e9}'
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

cat "$file" >/dev/null
declare -A first rerun
for ((r = 1; r <= rounds; r++)); do
    for which in before after; do
        bin=${!which}
        db="$work/reimport-$which.db"
        rm -rf "$db"
        first[$which]+="$(seconds "$bin" --db "$db" import "$file" --no-chart -q) "
        rerun[$which]+="$(seconds "$bin" --db "$db" import "$file" --no-chart -q) "
        if ! "$bin" --db "$db" import "$file" --no-chart -q | grep -q "already imported whole"; then
            echo "$which: the rerun did not skip $file" >&2
            exit 1
        fi
        rm -rf "$db"
    done
done

echo "file: $file ($(stat -c %s "$file") bytes), $rounds rounds, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
for which in before after; do
    # shellcheck disable=SC2086
    echo "$which: first import ${first[$which]}(median $(median ${first[$which]}) s); rerun ${rerun[$which]}(median $(median ${rerun[$which]}) s)"
done

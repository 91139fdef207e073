#!/usr/bin/env bash
# Measures `outcry import` against the parse floor (issue 7) and prints one
# table, every figure from this run.
#
# For each size, `outcry synth --scenario load` writes a v1.1 archive of
# realistic tweets (about 2.7 KB a line, full user objects, retweets and
# extended tweets, about 1 % mentioning a topic), plain and gzip. On each
# file the parse floor (examples/floor.rs: one thread, line by line,
# serde_json into a borrowed struct of the fields outcry uses) and `outcry
# import` into a fresh store are timed with /usr/bin/time -v (wall clock and
# peak RSS). The file is read once beforehand so that both find it in the
# page cache. Then a store with a year of hourly counters for 20 topics x 30
# regions is written (examples/curve_store.rs) and `outcry curve netflix
# --format csv` is timed from process start to exit (median of 5).
#
# Usage: benches/import.sh [SIZES...]     (default: 100000 1000000)
#        benches/import.sh 100000 1000000 5000000
# Env:   WORK=dir   where archives and stores go (default /tmp/outcry-bench;
#                   archives are kept and reused between runs, stores not)
#        GZIP=0     skip the gzip archives
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(100000 1000000)
work=${WORK:-/tmp/outcry-bench}
mkdir -p "$work"

if [[ ! -x /usr/bin/time ]]; then
    echo "benches/import.sh needs GNU time for peak RSS: installing it (apt-get install -y time)" >&2
    apt-get install -y time >&2 || { echo "cannot install GNU time; install the 'time' package" >&2; exit 1; }
fi

echo "building release (outcry, examples floor and curve_store)..." >&2
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin outcry --example floor --example curve_store
bin="$root/target/release"
outcry="$bin/outcry"

# Runs a command under /usr/bin/time -v; sets WALL (seconds) and RSS (MiB).
timed() {
    local log="$work/time.log"
    /usr/bin/time -v -o "$log" "$@"
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
    CPU=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$log")
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for n in "${sizes[@]}"; do
    plain="$work/load-$n.jsonl"
    if [[ ! -s "$plain" ]]; then
        echo "writing $plain..." >&2
        "$outcry" synth --scenario load --posts "$n" --out "$plain" 2>/dev/null
    fi
    files=("$plain")
    if [[ "${GZIP:-1}" != 0 ]]; then
        gz="$plain.gz"
        if [[ ! -s "$gz" ]]; then
            echo "writing $gz..." >&2
            "$outcry" synth --scenario load --posts "$n" --out "$gz" 2>/dev/null
        fi
        files+=("$gz")
    fi
    for f in "${files[@]}"; do
        kind=plain
        [[ "$f" == *.gz ]] && kind=gzip
        cat "$f" >/dev/null
        echo "floor  $f..." >&2
        timed "$bin/examples/floor" "$f" >"$work/floor.out"
        floor_wall=$WALL
        floor_cpu=$CPU
        bytes=$(awk -F= '/^bytes=/ {print $2}' "$work/floor.out")
        posts=$(awk -F= '/^posts=/ {print $2}' "$work/floor.out")
        db="$work/import.db"
        rm -rf "$db"
        echo "import $f..." >&2
        timed "$outcry" --db "$db" import "$f" --no-chart >"$work/import.out" 2>&1
        import_wall=$WALL
        import_rss=$RSS
        import_cpu=$CPU
        # Matched posts: the per-topic table of the import summary.
        matched=$(awk '/^topic +posts +complaints/ {t = 1; next} t && NF == 3 {s += $2} END {print s + 0}' "$work/import.out")
        store=$(du -sb "$db" | cut -f1)
        rm -rf "$db"
        rows+=("$(awk -v n="$n" -v k="$kind" -v p="$posts" -v b="$bytes" -v fw="$floor_wall" \
            -v iw="$import_wall" -v rss="$import_rss" -v m="$matched" -v st="$store" \
            -v fc="$floor_cpu" -v ic="$import_cpu" 'BEGIN {
            printf "| %9d | %-5s | %9.0f | %7.0f | %9.0f | %7.0f | %5.2f | %6.2f / %6.2f | %8d | %7d | %8.0f |",
                n, k, p / fw, b / fw / 1e6, p / iw, b / iw / 1e6, iw / fw, fc, ic, rss, m, st / (m > 0 ? m : 1) }')")
    done
done

year="$work/year.db"
rm -rf "$year"
echo "writing a year of counters (20 topics x 30 regions) to $year..." >&2
"$bin/examples/curve_store" "$year" >/dev/null
"$outcry" --db "$year" curve netflix --format csv >/dev/null
curve_ms=()
for _ in 1 2 3 4 5; do
    timed "$outcry" --db "$year" curve netflix --format csv >/dev/null
    curve_ms+=("$(awk -v w="$WALL" 'BEGIN {printf "%.0f", w * 1000}')")
    curve_rss=$RSS
done
curve_median=$(printf '%s\n' "${curve_ms[@]}" | sort -n | sed -n 3p)
year_size=$(du -sm "$year" | cut -f1)
rm -rf "$year"

echo
echo "load average (1, 5, 15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')"
echo
echo "|     posts | file  | floor posts/s | floor MB/s | outcry posts/s | outcry MB/s | outcry/floor time | CPU s floor / outcry | outcry peak RSS MiB | matched posts | store bytes/matched |"
echo "|----------:|-------|----------:|--------:|----------:|--------:|------:|----------------:|---------:|--------:|---------:|"
for r in "${rows[@]}"; do echo "$r"; done
echo
echo "curve netflix --format csv, a year x 20 topics x 30 regions (${year_size} MB store): median ${curve_median} ms of 5 (${curve_ms[*]}), peak RSS ${curve_rss} MiB"

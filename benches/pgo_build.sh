#!/usr/bin/env bash
# A profile-guided build of outcry: the release build with link-time
# optimisation over all crates, compiled a second time with what a run
# over our own posts taught the compiler about which branches are taken
# and which functions are hot.
#
# Why: scoring is a long chain of small, branchy steps (tokenizing, lexicon
# look-ups, automata, rules) spread over our code and the regex,
# aho-corasick and stemmer crates. The compiler cannot tell from the source
# which of them run for every word and which once a run; a profile tells
# it, for every crate, at no cost to the code.
#
# The profile is taken from our own data only, never from ../shared/eval:
#   - `outcry import` of the bundled archive (data/, 74,744 posts in four
#     languages) into a temporary store,
#   - `outcry score` of the archive's texts and of our check sets
#     (tests/fixtures/checkset).
#
# llvm-profdata must come from the same LLVM as rustc: rustup's llvm-tools
# component ships it, and the script adds that component when it is
# missing. Two full builds, each some 3 to 5 minutes on 2 cores: the
# reason this is a script and not the release profile, which a change to
# one file rebuilds in under a minute.
#
# What it gains, measured on a 2-core machine (instructions per post of
# `score --threads 1`, callgrind, 20,000 lines; the README's speed section
# has the times): fresh tweets 45,279 -> 43,435, repeated ones 40,320 ->
# 38,746, four languages 48,015 -> 45,746. The output is byte for byte the
# same.
#
# Usage: benches/pgo_build.sh
# Prints the path of the built binary (target/pgo/use/release/outcry, or
# under $PGO_TARGET_DIR); time it with
#   OUTCRY_BIN=target/pgo/use/release/outcry bash benches/score_vs_vader.sh
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$0")/.." && pwd)
target=${PGO_TARGET_DIR:-$root/target/pgo}

sysroot=$(rustc --print sysroot)
find_profdata() { find "$sysroot/lib/rustlib" -name llvm-profdata -type f -print -quit; }
profdata=$(find_profdata)
if [[ -z "$profdata" ]]; then
    echo "llvm-profdata not found in $sysroot: adding rustup's llvm-tools component" >&2
    if ! rustup component add llvm-tools >&2; then
        echo "cannot add llvm-tools (no rustup, or no network): no profile-guided build" >&2
        exit 1
    fi
    profdata=$(find_profdata)
    [[ -n "$profdata" ]] || { echo "llvm-tools added, but llvm-profdata is still missing" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
# Across crates and in one unit, so that the profile can inline the
# stemmer's and the automata's hot calls into ours.
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1

echo "1/4 instrumented build (target: $target/gen)" >&2
RUSTFLAGS="-Cprofile-generate=$work/raw" \
    cargo build --release --quiet --target-dir "$target/gen"
gen="$target/gen/release/outcry"

echo "2/4 training runs on our own posts" >&2
archive=data/netflix-christmas-eve-2012.jsonl.gz
"$gen" --db "$work/db" import "$archive" >/dev/null 2>&1
gzip -dc "$archive" >"$work/archive.jsonl"
# The archive holds lines in other shapes and broken ones on purpose (the
# import tests read them); here they are only skipped, with a message each.
# Exit status 1 says some lines were skipped, which is expected here.
status=0
"$gen" score --threads 1 --field text --decode-entities "$work/archive.jsonl" \
    >/dev/null 2>&1 || status=$?
if ((status > 1)); then
    echo "training run failed (exit status $status)" >&2
    exit 1
fi
for set in tests/fixtures/checkset/*.tsv; do
    tail -n +2 "$set" | cut -f4
done >"$work/checkset.txt"
"$gen" score --threads 1 "$work/checkset.txt" >/dev/null

echo "3/4 merging the profiles" >&2
"$profdata" merge -o "$work/merged.profdata" "$work/raw"

echo "4/4 optimised build (target: $target/use)" >&2
RUSTFLAGS="-Cprofile-use=$work/merged.profdata" \
    cargo build --release --quiet --target-dir "$target/use"
echo "$target/use/release/outcry"

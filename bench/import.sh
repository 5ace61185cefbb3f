#!/usr/bin/env bash
# Whole-program import benchmark: builds a synthetic Strava-like export of N gzipped activity
# files from the corpus (default 3000), then times, with peak memory from /usr/bin/time -v:
#   1. inflating alone: `gzip -dc` over the export's .gz files (one core), and runsore-import
#      listing the zip and gunzipping each entry (one core, no decoding);
#   2. decoding alone: listing + gunzip + decode into runs (one core, no store);
#   3. `runsore import` of the zip into a fresh store (all cores), then a re-import (no change).
# Goals (issue 3): import within 2x the time of inflating alone; peak memory under 200 MB.
#
# Usage: bench/import.sh [COUNT]      (RUNSORE_CORPUS=dir to choose the corpus)
# Needs: cargo, /usr/bin/time, gzip. Takes a few minutes on 2 cores, mostly the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-3000}"
corpus="${RUNSORE_CORPUS:-}"
for c in "$corpus" ../shared/corpus ../../shared/corpus crates/runsore-import/tests/data; do
    if [ -n "$c" ] && [ -d "$c/fit" ]; then corpus="$c"; break; fi
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
bin="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "corpus: $corpus; work dir: $work"
cargo build --release -q -p runsore-import --example synth_export --example import_dry
have_cli=yes
cargo build --release -q -p runsore-cli 2>/dev/null || have_cli=no
if [ "$have_cli" = yes ] && ! "$bin/runsore" import --help 2>&1 | grep -qi usage; then have_cli=no; fi

info="$("$bin/examples/synth_export" "$corpus" "$work" "$count")"
echo "export: $info"
raw_bytes="$(sed -E 's/.*raw_bytes=([0-9]+).*/\1/' <<<"$info")"
gz_bytes="$(sed -E 's/.*gz_bytes=([0-9]+).*/\1/' <<<"$info")"

# measure LABEL CMD...: runs CMD under /usr/bin/time -v, prints wall time, rates and peak RSS.
declare -A wall
measure() {
    local label="$1"; shift
    /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || {
        echo "$label: failed"; cat "$work/err.txt"; return 0; }
    local el rss s
    el="$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')"
    rss="$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')"
    s="$(awk -v t="$el" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')"
    wall[$label]="$s"
    awk -v l="$label" -v s="$s" -v r="$rss" -v raw="$raw_bytes" -v n="$count" 'BEGIN {
        printf "%-28s %8.2f s %9.1f MB/s %9.0f files/s %8.1f MB peak\n", l, s, raw / 1e6 / s, n / s, r / 1024 }'
}

echo
printf "%-28s %10s %14s %17s %13s\n" step wall "MB/s (inflated)" files/s "peak RSS"
measure "gzip -dc (inflate only)" sh -c "cat '$work'/export/activities/*.gz | gzip -dc > /dev/null"
measure "list+gunzip (1 core)" "$bin/examples/import_dry" inflate "$work/export.zip"
measure "list+gunzip+decode (1 core)" "$bin/examples/import_dry" decode "$work/export.zip"
cat "$work/out.txt"
if [ "$have_cli" = yes ]; then
    measure "runsore import" "$bin/runsore" --db "$work/bench.db" --json import "$work/export.zip"
    grep -E '"(files|runs_imported|files_imported|already_present)"' "$work/out.txt" | tr -d ' \n'; echo
    measure "runsore import (again)" "$bin/runsore" --db "$work/bench.db" --json import "$work/export.zip"
    grep -E '"(files|runs_imported|already_present)"' "$work/out.txt" | tr -d ' \n'; echo
    echo
    awk -v a="${wall[runsore import]}" -v g="${wall[gzip -dc (inflate only)]}" -v r="${wall[list+gunzip (1 core)]}" 'BEGIN {
        printf "runsore import / gzip -dc: %.2fx; runsore import / list+gunzip: %.2fx (goal: at most 2x)\n", a / g, a / r }'
else
    echo "runsore import: the CLI is not built on this branch yet; skipped (decode figures above stand)"
fi
echo "export: $count files, $(awk -v b="$gz_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB gzipped, $(awk -v b="$raw_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB inflated"

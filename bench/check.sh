#!/usr/bin/env bash
# Whole-program timing of `runsore check` from start to exit, with `runsore --version` (process
# start and argument parsing only) as the baseline, all in the same hyperfine command so that the
# figures read as ratios on a shared machine:
#   check        `check --intake FILE --json` (goal: 20 ms or less)
#   check-story  `check --story FILE --json`, a runner's own words (goal: under 20 ms, and within
#                3 times `check`)
#   reader-1mb   the story reader alone (`runsore-story`'s `read` example) on a 1 MB story (goal:
#                under a second; the reader is linear). The CLI refuses a story over 64 KiB, so
#                the long story is timed on the reader, with 100 KB, 300 KB and 3 MB beside it
#                for the ratios (linear: each figure in proportion to the size).
# With BASE=BINARY (another build of runsore, e.g. main's before a change) its `check --story`
# runs in the same command, and BASE_READ=BINARY (another build of the `read` example) its 1 MB
# read: figures for a change as ratios on the same machine at the same load.
# Needs hyperfine (apt-get install hyperfine). Usage: [BASE=..] [BASE_READ=..] bench/check.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
cargo build --release -q -p runsore-cli
cargo build --release -q -p runsore-story --example read
bin=target/release/runsore
intake=$(mktemp)
big=$(mktemp)
small=$(mktemp)
mid=$(mktemp)
huge=$(mktemp)
trap 'rm -f "$intake" "$big" "$small" "$mid" "$huge"' EXIT
# A partial intake: the engine ranks, screens red flags and orders the remaining questions.
cat > "$intake" <<'JSON'
{"where":["buttock"],"onset":"next_day","sides":"both","feels":["stiff","aching"],"pain":4,
 "run":{"minutes":110,"distance_km":18,"unaccustomed":true}}
JSON
# The bench story repeated to 100 KB, 300 KB, 1 MB and 3 MB.
while [ "$(wc -c < "$small")" -lt 100000 ]; do cat bench/story.txt >> "$small"; done
while [ "$(wc -c < "$mid")" -lt 300000 ]; do cat "$small" >> "$mid"; done
while [ "$(wc -c < "$big")" -lt 1000000 ]; do cat "$small" >> "$big"; done
cat "$big" "$big" "$big" > "$huge"
export RUNSORE_DB=$(mktemp -d)/none.db   # no store: the check reads no runs
uptime
base=()
if [ -n "${BASE:-}" ]; then
  base=(-n base-check-story "$BASE check --story bench/story.txt --json")
fi
base_read=()
if [ -n "${BASE_READ:-}" ]; then
  base_read=(-n base-reader-1mb "$BASE_READ < $big")
fi
hyperfine -N --warmup 20 --runs "$runs" \
  -n baseline "$bin --version" \
  -n check "$bin check --intake $intake --json" \
  -n check-story "$bin check --story bench/story.txt --json" \
  "${base[@]}"
hyperfine --warmup 1 --runs 5 \
  -n reader-100kb "target/release/examples/read < $small" \
  -n reader-300kb "target/release/examples/read < $mid" \
  -n reader-1mb "target/release/examples/read < $big" \
  -n reader-3mb "target/release/examples/read < $huge" \
  "${base_read[@]}"
uptime

#!/usr/bin/env bash
# Whole-program timing of `runsore check --intake FILE --json` from start to exit (goal: 20 ms or
# less), with `runsore --version` (process start and argument parsing only) as the baseline run in
# the same hyperfine command, so the figure reads as a ratio on a shared machine.
# Needs hyperfine (apt-get install hyperfine). Usage: bench/check.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
cargo build --release -q -p runsore-cli
bin=target/release/runsore
intake=$(mktemp)
trap 'rm -f "$intake"' EXIT
# A partial intake: the engine ranks, screens red flags and orders the remaining questions.
cat > "$intake" <<'JSON'
{"where":["buttock"],"onset":"next_day","sides":"both","feels":["stiff","aching"],"pain":4,
 "run":{"minutes":110,"distance_km":18,"unaccustomed":true}}
JSON
export RUNSORE_DB=$(mktemp -d)/none.db   # no store: the check reads no runs
hyperfine -N --warmup 20 --runs "$runs" \
  -n baseline "$bin --version" \
  -n check "$bin check --intake $intake --json" \
  -n check-story "$bin check --story bench/story.txt --json"

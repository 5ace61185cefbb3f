#!/usr/bin/env bash
# Load benchmark of the web app on loopback: POST /api/assess and the main pages.
#
#   bench/web-load.sh [SECONDS_PER_TARGET]      (default 10)
#   RUNS=300 bench/web-load.sh                  (a smaller store, to compare memory)
#   RUNSORE_BIN=old/runsore RUNSORE_FILL=old/bench_store bench/web-load.sh
#                                               (binaries built before, e.g. a baseline to compare)
#
# Needs a load generator: wrk (apt-get install wrk) or oha (cargo install oha). Builds the release
# binary and the store generator (a no-op when they are fresh), starts `runsore serve` on a fresh
# store holding RUNS generated runs (default 3000: one a day up to yesterday, a runner's week of
# easy runs, intervals, tempo and a long run, each with its 1-second samples, see
# crates/runsore-app/examples/bench_store.rs) and one check-in, loads each target in turn, prints
# requests per second and p99 latency and the server's resident memory, and stops the server.
# Goals on a 3,000-run store: POST /api/assess 10,000/s or more with p99 under 5 ms; GET /training
# and GET /runs (paginated) with p99 under 10 ms; memory not growing with the samples stored.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
PORT=${PORT:-7981}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=${RUNSORE_BIN:-$TARGET_DIR/release/runsore}
INTAKE='{"where":["buttock"],"sides":"both","onset":"next_day","feels":["stiff","aching"],"tender_to_touch":true,"pain":4,"hours_since_run":26,"days_since_onset":1,"trend":"same","swelling":false,"can_bear_weight":true,"sudden":false,"run":{"minutes":110,"distance_km":18,"intensity":"steady","unaccustomed":true}}'

if command -v oha >/dev/null; then TOOL=oha
elif command -v wrk >/dev/null; then TOOL=wrk
else echo "bench/web-load.sh: needs wrk (apt-get install wrk) or oha (cargo install oha)" >&2; exit 2
fi
RUNS=${RUNS:-3000}
if [[ -z ${RUNSORE_BIN:-} ]]; then cargo build --quiet --release -p runsore-cli --bin runsore; fi
FILL=${RUNSORE_FILL:-$TARGET_DIR/release/examples/bench_store}
if [[ -z ${RUNSORE_FILL:-} ]]; then cargo build --quiet --release -p runsore-app --example bench_store; fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$FILL" "$WORK/bench.db" "$RUNS" >"$WORK/fill.log"
"$BIN" --db "$WORK/bench.db" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 50); do curl -sf "$BASE/api/runs?limit=1" >/dev/null && break; sleep 0.1; done
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
echo "store: $(cat "$WORK/fill.log"), $(du -k "$WORK/bench.db" | cut -f1) KB on disk; server RSS at start $(rss_kb) KB"
curl -sf -X POST -H 'content-type: application/json' -d "$INTAKE" "$BASE/api/checkins" >/dev/null
printf '%s' "$INTAKE" >"$WORK/intake.json"
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$INTAKE]]
LUA

echo "runsore web load: $TOOL, $CONNECTIONS connections, ${DURATION}s per target, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
printf '%-28s %12s %10s %10s %16s\n' target 'requests/s' 'p50 ms' 'p99 ms' 'server CPU us/req'
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
run() { # name method path
  local name=$1 method=$2 path=$3 out before after
  before=$(cpu_ticks)
  if [[ $TOOL == oha ]]; then
    if [[ $method == POST ]]; then
      out=$(oha -z "${DURATION}s" -c "$CONNECTIONS" --no-tui -m POST -H 'content-type: application/json' -D "$WORK/intake.json" "$BASE$path")
    else
      out=$(oha -z "${DURATION}s" -c "$CONNECTIONS" --no-tui "$BASE$path")
    fi
    rps=$(awk '/Requests\/sec/ {print $2; exit}' <<<"$out")
    p50=$(awk '/50.00% in/ {print $3 * 1000; exit}' <<<"$out")
    p99=$(awk '/99.00% in/ {print $3 * 1000; exit}' <<<"$out")
  else
    local script=()
    [[ $method == POST ]] && script=(-s "$WORK/post.lua")
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${script[@]}" "$BASE$path")
    if grep -q 'Non-2xx' <<<"$out"; then echo "$name: non-2xx answers" >&2; grep 'Non-2xx' <<<"$out" >&2; fi
    rps=$(awk '/Requests\/sec/ {print $2; exit}' <<<"$out")
    ms() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v; exit }'; }
    p50=$(ms 50% <<<"$out")
    p99=$(ms 99% <<<"$out")
  fi
  after=$(cpu_ticks)
  # The server's own CPU time per request: what the figures would be on an otherwise idle machine,
  # whatever else is running beside the benchmark.
  cpu=$(awk -v a="$after" -v b="$before" -v t="$TICK" -v r="$rps" -v d="$DURATION" 'BEGIN { n = r * d; if (n > 0) printf "%.0f", (a - b) / t / n * 1e6; else print "-" }')
  printf '%-28s %12s %10s %10s %16s\n' "$name" "$rps" "$p50" "$p99" "$cpu"
}
run 'POST /api/assess' POST /api/assess
run 'GET / (home)' GET /
run 'GET /checkin (body map)' GET /checkin
run 'GET /runs (first page)' GET /runs
run 'GET /runs?page=30' GET '/runs?page=30'
run 'GET /api/runs?limit=50' GET '/api/runs?limit=50'
run 'GET /training' GET /training
run 'GET /history/1 (result)' GET /history/1
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS after the load: $(rss_kb) KB (peak $(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status") KB)"

#!/usr/bin/env bash
# Load benchmark of the web app on loopback: POST /api/assess and the main pages.
#
#   bench/web-load.sh [SECONDS_PER_TARGET]      (default 10)
#   RUNS=300 bench/web-load.sh                  (a smaller store, to compare memory)
#   RUNSORE_BIN=old/runsore RUNSORE_FILL=old/bench_store bench/web-load.sh
#                                               (binaries built before, e.g. a baseline to compare)
#   ONLY='assess|runs \(' bench/web-load.sh      (only the targets whose name matches the regex)
#   OPEN_RATE=12000 ONLY=assess bench/web-load.sh (the open-loop rate offered; 0: closed loop only)
#
# POST /api/assess sends the 86 worked cases' intakes in turn (crates/runsore-triage/tests/data/
# vignettes.json), not one body: varied triage levels, questions and timings, so that no cache
# of one answer's work can flatter the figure. Needs wrk (apt-get install wrk) and jq for that;
# with oha instead of wrk only the first case is sent (oha posts one body), and the script says so.
# Builds the release
# binary and the store generator (a no-op when they are fresh), starts `runsore serve` on a fresh
# store holding RUNS generated runs (default 3000: one a day up to yesterday, a runner's week of
# easy runs, intervals, tempo and a long run, each with its 1-second samples, see
# crates/runsore-app/examples/bench_store.rs) and one check-in, loads each target in turn, prints
# requests per second and p99 latency and the server's resident memory, and stops the server.
# Goals on a 3,000-run store: POST /api/assess 10,000/s or more with p99 under 5 ms; GET /training
# and GET /runs (paginated) with p99 under 10 ms; memory not growing with the samples stored.
#
# Two ways of loading POST /api/assess, both printed:
# - closed loop (wrk, CONNECTIONS connections): each connection sends its next request when the
#   last answer is in, so it measures the most the server answers, and its latency is that of a
#   saturated server (32 requests always queued: mean latency = 32 / throughput). A stall delays
#   the requests that would have measured it (coordinated omission), so its p99 flatters a stall.
# - open loop (`POST /api/assess open N/s`, OPEN_RATE requests a second, default 10000; 0 leaves
#   it out): the load generator crates/runsore-web/examples/loadgen.rs (LOADGEN_THREADS epoll
#   event loops, default 1: it shares the two cores with the server, so it is built lean, some
#   20 us of CPU a request, mostly the kernel's TCP) offers request i at start + i / OPEN_RATE
#   whatever became of the others (the 86 cases in turn, CONNECTIONS connections), and measures
#   each latency from that due time, corrected for coordinated omission: the goal "10,000/s with
#   p99 under 5 ms" read as a rate offered and the latency of every request offered. It prints
#   the rate achieved and p50, p99 and p99.9 from the due time, and fails on any answer but 200.
#   (oha 1.16 has a rate with --latency-correction and a body per line with -Z, but it stamps a
#   request when its pacer wakes rather than when it was due, and tokio's millisecond timer wakes
#   it late; Debian's wrk has no fixed rate.)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
PORT=${PORT:-7981}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=${RUNSORE_BIN:-$TARGET_DIR/release/runsore}
CASES=crates/runsore-triage/tests/data/vignettes.json

if command -v wrk >/dev/null; then TOOL=wrk
elif command -v oha >/dev/null; then TOOL=oha
else echo "bench/web-load.sh: needs wrk (apt-get install wrk) or oha (cargo install oha)" >&2; exit 2
fi
command -v jq >/dev/null || { echo "bench/web-load.sh: needs jq (apt-get install jq) to read $CASES" >&2; exit 2; }
RUNS=${RUNS:-3000}
if [[ -z ${RUNSORE_BIN:-} ]]; then cargo build --quiet --release -p runsore-cli --bin runsore; fi
FILL=${RUNSORE_FILL:-$TARGET_DIR/release/examples/bench_store}
if [[ -z ${RUNSORE_FILL:-} ]]; then cargo build --quiet --release -p runsore-app --example bench_store; fi
OPEN_RATE=${OPEN_RATE:-10000}
LOADGEN=${RUNSORE_LOADGEN:-$TARGET_DIR/release/examples/loadgen}
if [[ $OPEN_RATE != 0 && -z ${RUNSORE_LOADGEN:-} ]]; then cargo build --quiet --release -p runsore-web --example loadgen; fi

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
# The server reads every run's view once after it starts (about a second of CPU for 3,000 runs);
# the training charts wait for that reading. Measured after it, so that a one-off start-up cost is
# not counted as the first target's per-request CPU (it was some 25 us a request of POST
# /api/assess in a 5-second run, and its requests queued on the blocking pool meanwhile).
curl -sf "$BASE/api/training" >/dev/null
echo "store: $(cat "$WORK/fill.log"), $(du -k "$WORK/bench.db" | cut -f1) KB on disk; server RSS after its start-up reading $(rss_kb) KB"
jq -c '.[].intake' "$CASES" >"$WORK/intakes.jsonl"
head -n 1 "$WORK/intakes.jsonl" | tr -d '\n' >"$WORK/intake.json"
curl -sf -X POST -H 'content-type: application/json' --data-binary "@$WORK/intake.json" "$BASE/api/checkins" >/dev/null
# Every case's request formatted once per wrk thread, then sent in turn.
{
  echo 'local bodies = {'
  while IFS= read -r body; do printf '[==[%s]==],\n' "$body"; done <"$WORK/intakes.jsonl"
  cat <<'LUA'
}
local requests, i = {}, 0
function init(args)
  for k, body in ipairs(bodies) do
    requests[k] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
  end
end
function request()
  i = i % #requests + 1
  return requests[i]
end
LUA
} >"$WORK/post.lua"
if [[ $TOOL == oha ]]; then echo "oha posts one body: POST /api/assess sends the first case only" >&2; fi

echo "runsore web load: $TOOL, $CONNECTIONS connections, ${DURATION}s per target, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "(CPU us/req: the server's and the load generator's own CPU time per request; machine busy: all cores, everyone's work)"
printf '%-32s %12s %10s %10s %10s %12s %12s %13s\n' target 'requests/s' 'p50 ms' 'p99 ms' 'p99.9 ms' 'server us/req' 'loadgen us/req' 'machine busy'
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
# Busy and total jiffies of the whole machine, from /proc/stat's first line.
machine() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
run() { # name method path
  local name=$1 method=$2 path=$3 out before after gen m0 m1 p999=- n=
  if [[ -n ${ONLY:-} ]] && ! grep -Eq -- "$ONLY" <<<"$name"; then return; fi
  before=$(cpu_ticks)
  m0=$(machine)
  local TIMEFORMAT='%U %S'
  if [[ $method == OPEN ]]; then
    { time "$LOADGEN" "$BASE$path" --rate "$OPEN_RATE" --duration "$DURATION" --connections "$CONNECTIONS" \
        --threads "${LOADGEN_THREADS:-1}" --bodies "$WORK/intakes.jsonl" >"$WORK/out"; } 2>"$WORK/time" || echo "$name: failed requests" >&2
    out=$(cat "$WORK/out")
    field() { tr ' ' '\n' <<<"$out" | awk -F= -v k="$1" '$1 == k {print $2}'; }
    rps=$(field rate); p50=$(field p50); p99=$(field p99); p999=$(field p999); n=$(field requests)
  elif [[ $TOOL == oha ]]; then
    if [[ $method == POST ]]; then
      { time oha -z "${DURATION}s" -c "$CONNECTIONS" --no-tui -m POST -H 'content-type: application/json' -D "$WORK/intake.json" "$BASE$path" >"$WORK/out"; } 2>"$WORK/time"
    else
      { time oha -z "${DURATION}s" -c "$CONNECTIONS" --no-tui "$BASE$path" >"$WORK/out"; } 2>"$WORK/time"
    fi
    out=$(cat "$WORK/out")
    rps=$(awk '/Requests\/sec/ {print $2; exit}' <<<"$out")
    p50=$(awk '/50.00% in/ {print $3 * 1000; exit}' <<<"$out")
    p99=$(awk '/99.00% in/ {print $3 * 1000; exit}' <<<"$out")
  else
    local script=()
    [[ $method == POST ]] && script=(-s "$WORK/post.lua")
    { time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${script[@]}" "$BASE$path" >"$WORK/out"; } 2>"$WORK/time"
    out=$(cat "$WORK/out")
    if grep -q 'Non-2xx' <<<"$out"; then echo "$name: non-2xx answers" >&2; grep 'Non-2xx' <<<"$out" >&2; fi
    rps=$(awk '/Requests\/sec/ {print $2; exit}' <<<"$out")
    ms() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v; exit }'; }
    p50=$(ms 50% <<<"$out")
    p99=$(ms 99% <<<"$out")
  fi
  after=$(cpu_ticks)
  m1=$(machine)
  # The server's own CPU time per request: what the figures would be on an otherwise idle machine,
  # whatever else is running beside the benchmark. The load generator shares the same cores, so
  # its CPU per request is what a request costs beside the server's.
  # Requests answered: counted by the open-loop generator (which may run past the duration to
  # finish a backlog), else the rate over the duration.
  [[ -n $n ]] || n=$(awk -v r="$rps" -v d="$DURATION" 'BEGIN { print r * d }')
  cpu=$(awk -v a="$after" -v b="$before" -v t="$TICK" -v n="$n" 'BEGIN { if (n > 0) printf "%.0f", (a - b) / t / n * 1e6; else print "-" }')
  gen=$(awk -v n="$n" '{ if (n > 0) printf "%.0f", ($1 + $2) / n * 1e6; else print "-" }' <(tail -n 1 "$WORK/time"))
  busy=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2]; if (t > 0) printf "%.0f%%", (y[1] - x[1]) / t * 100; else print "-" }')
  printf '%-32s %12s %10s %10s %10s %12s %12s %13s\n' "$name" "$rps" "$p50" "$p99" "$p999" "$cpu" "$gen" "$busy"
}
run 'POST /api/assess' POST /api/assess
if [[ $OPEN_RATE != 0 ]]; then run "POST /api/assess open $OPEN_RATE/s" OPEN /api/assess; fi
run 'GET / (home)' GET /
run 'GET /checkin (body map)' GET /checkin
run 'GET /runs (first page)' GET /runs
run 'GET /runs?page=30' GET '/runs?page=30'
run 'GET /api/runs?limit=50' GET '/api/runs?limit=50'
run 'GET /training' GET /training
run 'GET /history/1 (result)' GET /history/1
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS after the load: $(rss_kb) KB (peak $(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status") KB), $(awk '/^Threads/ {print $2}' "/proc/$SERVER_PID/status") threads"

#!/usr/bin/env bash
# The server's CPU per POST /api/assess as a count that does not depend on what else runs on the
# machine: instructions per request under valgrind's callgrind, the whole server counted (hyper,
# axum, the handler, the engine, serialisation, the system calls' user-side work; the kernel's
# TCP is not counted).
#
#   bench/assess-instructions.sh [BINARY] [REQUESTS]     (default: target/release/runsore, 860)
#
# Starts BINARY under callgrind on a fresh store of RUNS generated runs (default 3000) with
# instrumentation off, waits for its start-up reading of the runs, turns counting on, sends REQUESTS
# requests (the 86 worked cases' intakes in turn, 4 connections, closed loop, with the load
# generator crates/runsore-web/examples/loadgen.rs), turns counting off, stops the server (which
# writes the counts) and prints the
# instructions per request, with the top functions by inclusive cost in $OUT (default a
# temporary folder) for callgrind_annotate. Needs valgrind and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=${1:-$TARGET_DIR/release/runsore}
N=${2:-860}
PORT=${PORT:-7985}
RUNS=${RUNS:-3000}
cargo build --quiet --release -p runsore-app --example bench_store
cargo build --quiet --release -p runsore-web --example loadgen
FILL=$TARGET_DIR/release/examples/bench_store
LOADGEN=$TARGET_DIR/release/examples/loadgen
OUT=${OUT:-$(mktemp -d)}
# A folder named by OUT that does not exist yet is made: callgrind cannot write into it otherwise,
# and the server then fails only as "cannot connect" after the client's wait.
mkdir -p "$OUT"
WORK=$(mktemp -d)
PID=
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$FILL" "$WORK/bench.db" "$RUNS" >/dev/null
jq -c '.[].intake' crates/runsore-triage/tests/data/vignettes.json >"$WORK/intakes.jsonl"
export RUNSORE_NOW=${RUNSORE_NOW:-2026-12-06T12:00:00Z}
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.out" \
  "$BIN" --db "$WORK/bench.db" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 600); do curl -sf "$BASE/api/training" >/dev/null && break; sleep 0.5; done
# A few requests first: one-off work (the knowledge base's first use, the evidence of the store's
# revision, buffers growing) is not what a request costs.
"$LOADGEN" "$BASE/api/assess" --bodies "$WORK/intakes.jsonl" --requests 172 --connections 4 --threads 1 >/dev/null
callgrind_control -i on "$PID" >/dev/null
"$LOADGEN" "$BASE/api/assess" --bodies "$WORK/intakes.jsonl" --requests "$N" --connections 4 --threads 1 >"$WORK/load"
callgrind_control -i off "$PID" >/dev/null
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
total=$(cat "$OUT"/callgrind.out* | awk '/^totals:/ {s += $2} END {print s}')
echo "$(basename "$BIN"): $N requests, $total instructions, $((total / N)) per request ($(cut -d' ' -f1-3 /proc/loadavg) load; counts do not depend on it); callgrind files in $OUT"

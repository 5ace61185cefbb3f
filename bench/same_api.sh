#!/usr/bin/env bash
# Checks that two runsore binaries answer POST /api/assess with the same bytes: each serves its
# own copy of one store (RUNS generated runs, default 200, at a fixed RUNSORE_NOW), and every case
# of the given vignette files is posted to both (its full intake, and where and onset only).
#
#   bench/same_api.sh OLD_BINARY NEW_BINARY FILE...
# Exit 1 when any answer differs (printed by file and index), 2 on bad input. Needs jq and curl;
# the store generator is built as bench/web-load.sh builds it (or RUNSORE_FILL names one).
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n 2,8p "$0" >&2; exit 2; }
cd "$(dirname "$0")/.."
OLD=$1 NEW=$2; shift 2
FILL=${RUNSORE_FILL:-target/release/examples/bench_store}
if [[ -z ${RUNSORE_FILL:-} ]]; then cargo build --quiet --release -p runsore-app --example bench_store; fi
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
"$FILL" "$WORK/a.db" "${RUNS:-200}" >/dev/null
cp "$WORK/a.db" "$WORK/b.db"
export RUNSORE_NOW=${RUNSORE_NOW:-2026-12-06T12:00:00Z}
"$OLD" --db "$WORK/a.db" serve --port 7983 >"$WORK/a.log" 2>&1 & PIDS+=($!)
"$NEW" --db "$WORK/b.db" serve --port 7984 >"$WORK/b.log" 2>&1 & PIDS+=($!)
for port in 7983 7984; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/training" >/dev/null && break; sleep 0.1; done
done
n=0 differ=0
for file in "$@"; do
  count=$(jq length "$file")
  for ((i = 0; i < count; i++)); do
    for body in "$(jq -c ".[$i].intake" "$file")" "$(jq -c ".[$i].intake | {where, onset} | with_entries(select(.value != null))" "$file")"; do
      a=$(curl -s -X POST -H 'content-type: application/json' --data-binary "$body" http://127.0.0.1:7983/api/assess)
      b=$(curl -s -X POST -H 'content-type: application/json' --data-binary "$body" http://127.0.0.1:7984/api/assess)
      n=$((n + 1))
      if [[ $a != "$b" ]]; then
        differ=$((differ + 1)); echo "differs: $(basename "$file") $i"
        if [[ -n ${KEEP_DIFF:-} && ! -e $KEEP_DIFF.old ]]; then printf %s "$a" >"$KEEP_DIFF.old"; printf %s "$b" >"$KEEP_DIFF.new"; fi
      fi
    done
  done
done
echo "$n answers compared, $differ differ"
[[ $differ -eq 0 ]]

#!/usr/bin/env bash
# Fuzzes runsore's decoders and parsers with cargo-fuzz (libFuzzer), one target after another on
# one core (-jobs=1), and prints executions and crashes per target.
#
# Targets (fuzz/fuzz_targets): fit, gpx, tcx (runsore_import::decode with a name hinting the
# format), archive (runsore_import::sources over a zip file, then decode_source on each entry),
# csv (Strava's activities.csv and its localised dates),
# intake (runsore_triage::parse_intake then assess, with the engine's invariants asserted),
# story (runsore_story::read_story then assess).
#
# Seeds are copied at run time into fuzz/corpus/<target> (git-ignored): corpus files up to 128 KB
# from shared/corpus, zips built from them, and the intakes and stories of
# shared/intake/vignettes.json. Crashes land in fuzz/artifacts/<target>.
#
# Usage: bench/fuzz.sh [SECONDS] [TARGET...]   (default 60 s each, all targets)
#        RUNSORE_SHARED=dir to point at shared/; FUZZ_SANITIZER=address to build with ASan
# Needs: cargo-fuzz (`cargo install cargo-fuzz`), python3 and jq for the seeds. cargo-fuzz needs
# nightly flags; on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them (set below).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fit gpx tcx archive csv intake story samples pages)
shared="${RUNSORE_SHARED:-}"
for s in "$shared" ../shared ../../shared /work/shared; do
    if [ -n "$s" ] && [ -d "$s/corpus" ]; then shared="$s"; break; fi
done
[ -d "$shared/corpus" ] || { echo "no shared/corpus found (set RUNSORE_SHARED)" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$root/fuzz/target}"
san="${FUZZ_SANITIZER:-none}"

seed() {
    local t="$1" dir="$root/fuzz/corpus/$1"
    mkdir -p "$dir"
    case "$t" in
        fit|gpx|tcx)
            find "$shared/corpus/$t" -type f -size -128k \
                \( -name "*.$t" -o -name "*.$t.gz" \) -exec cp -n {} "$dir/" \;
            ;;
        archive)
            python3 - "$shared/corpus" "$dir" <<'PY'
import io, os, sys, zipfile
corpus, out = sys.argv[1], sys.argv[2]
small = []
for kind in ("fit", "gpx", "tcx"):
    d = os.path.join(corpus, kind)
    names = sorted(n for n in os.listdir(d) if os.path.getsize(os.path.join(d, n)) < 24_000)
    small += [(kind, n, open(os.path.join(d, n), "rb").read()) for n in names[:2]]
def zipped(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()
csv = "Activity ID,Activity Date,Activity Name,Activity Type,Filename,Perceived Exertion\n"
entries = []
for i, (kind, n, data) in enumerate(small):
    name = f"activities/{i}.{kind}"
    entries.append((name, data))
    csv += f'{i},"Jan {i + 1}, 2020, 7:03:23 AM",Run {i},Run,{name},{i % 10 + 1}\n'
seeds = {
    "strava.zip": zipped([("activities.csv", csv)] + entries),
    "stored.zip": zipped(entries[:2], zipfile.ZIP_STORED),
    "garmin.zip": zipped([("DI_CONNECT/UploadedFiles_0.zip", zipped(entries[:3]))]),
    "unsafe.zip": zipped([("../evil.gpx", entries[0][1]), ("/abs.fit", entries[-1][1])]),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
PY
            ;;
        csv)
            printf '%s\n' \
                'Activity ID,Activity Date,Activity Name,Activity Type,Filename,Perceived Exertion' \
                '1,"Jan 5, 2020, 7:03:23 AM",Morning Run,Run,activities/1.fit.gz,7' \
                '2,"5 janv. 2020, 07:03:23",Sortie,Run,activities/2.gpx,' > "$dir/strava.csv"
            printf '%s\n' 'A,B,C,D,E' '9,"05.01.2020, 07:03:23",Lauf,Run,activities/9.gpx' \
                '10,01/05/2020 07:03:23 PM,x,Ride,activities/10.tcx.gz' > "$dir/unknown-language.csv"
            ;;
        intake|pages)
            jq -c '.[].intake' "$shared/intake/vignettes.json" | split -l 1 - "$dir/vignette-"
            ;;
        samples)
            # The first byte picks the format: 0 FIT, 1 GPX, 2 TCX, 3 gzipped FIT.
            i=0
            for kind in fit gpx tcx; do
                for f in $(find "$shared/corpus/$kind" -type f -size -64k -name "*.$kind" | sort | head -8); do
                    { printf "\\x0$i"; cat "$f"; } > "$dir/$kind-$(basename "$f")"
                done
                i=$((i + 1))
            done
            ;;
        story)
            jq -r '.[] | .story | @base64' "$shared/intake/vignettes.json" | {
                i=0
                while read -r b; do echo "$b" | base64 -d > "$dir/story-$i"; i=$((i + 1)); done
            }
            ;;
    esac
}

max_len() {
    case "$1" in intake|story|csv|pages) echo 8192 ;; *) echo 131072 ;; esac
}

echo "building fuzz targets (sanitizer: $san)..."
# -a keeps debug assertions (integer overflow checks) on, as in `cargo test`.
cargo fuzz build --fuzz-dir fuzz -s "$san" -a
printf '%-8s %8s %12s %10s %8s  %s\n' target seconds executions exec/s crashes artifacts
status=0
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "fuzz/artifacts/$t"
    before=$(find "fuzz/artifacts/$t" -type f | wc -l)
    log="fuzz/artifacts/$t.log"
    start=$(date +%s)
    cargo fuzz run --fuzz-dir fuzz -s "$san" -a "$t" -- \
        -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 > "$log" 2>&1 || true
    took=$(( $(date +%s) - start ))
    execs=$(awk '/^stat::number_of_executed_units:/ {v = $2} END {print v}' "$log")
    [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    rate=$(awk '/^stat::average_exec_per_sec:/ {v = $2} END {print v}' "$log")
    after=$(find "fuzz/artifacts/$t" -type f | wc -l)
    crashes=$((after - before))
    [ "$crashes" -eq 0 ] || status=1
    printf '%-8s %8s %12s %10s %8s  %s\n' "$t" "$took" "${execs:-?}" "${rate:-?}" "$crashes" \
        "$( [ "$crashes" -eq 0 ] && echo - || ls -t "fuzz/artifacts/$t" | head -1)"
done
exit $status

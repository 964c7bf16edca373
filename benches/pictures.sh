#!/usr/bin/env bash
# Pictures benchmark: `incidents map` and `incidents chart` over N synthetic
# ACLED rows (examples/generate_acled.rs), every incident in the picture.
# Prints each figure (median wall time of RUNS runs and peak memory) and
# whether it meets the target (under 1 s at 1,000,000 incidents).
#
#   benches/pictures.sh [N]        N rows (default 1000000)
#
# Needs: cargo, python3, GNU time at /usr/bin/time (Debian package `time`).
set -uo pipefail

N=${1:-1000000}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || { echo "pictures.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

echo "== building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin incidents --example generate_acled) || exit 1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/incidents-pictures.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/target/release/incidents" "$ROOT/target/release/examples/generate_acled" "$WORK/" || exit 1
cd "$WORK" || exit 1
unset INCIDENTS_DB
echo "cpus: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "incidents $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"

echo "== $N incidents"
./generate_acled "$N" acled.csv 42 || exit 1
./incidents import acled.csv --format acled --db bench.db >/dev/null 2>import.err || { cat import.err; exit 1; }
echo "  imported: $(./incidents report --db bench.db --from 1900-01-01 --to 2100-12-31 --group-by year --format csv 2>/dev/null |
    awk -F, 'NR > 1 {s += $2} END {print s}') incidents in whole years"

FAILED=0
# median_ms NAME OUTPUT ARGS...: runs `incidents ARGS` RUNS times.
median_ms() {
    local name=$1 out=$2
    shift 2
    local times=()
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o time.txt ./incidents "$@" >/dev/null 2>run.err ||
            { echo "  $name FAILED: $(tail -2 run.err)"; FAILED=1; return; }
        times+=("$(cat time.txt)")
    done
    printf '%s\n' "${times[@]}" | python3 -c '
import sys, statistics
rows = [line.split() for line in sys.stdin if line.strip()]
ms = statistics.median(float(r[0]) * 1000 for r in rows)
mb = max(int(r[1]) for r in rows) / 1024
name, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
verdict = "met" if ms < 1000 else "MISSED"
print(f"  {name:<28} {ms:7.0f} ms  peak {mb:5.0f} MB  {out} {size / 1024:.0f} KiB  (target < 1000 ms: {verdict})")
sys.exit(0 if ms < 1000 else 3)
' "$name" "$out" "$(stat -c %s "$out")" || FAILED=1
}

ALL=(--db bench.db --from 1900-01-01 --to 2100-12-31)
median_ms "map, all, SVG" all.svg map "${ALL[@]}" -o all.svg
median_ms "map, all, PNG" all.png map "${ALL[@]}" -o all.png
median_ms "map, Syria by district, SVG" sy.svg map "${ALL[@]}" --country SY --by admin2 -o sy.svg
if ./incidents chart --help >/dev/null 2>&1; then
    median_ms "chart by year, SVG" chart.svg chart "${ALL[@]}" --by year -o chart.svg
    median_ms "chart by month, PNG" chart.png chart --db bench.db --from 2011-01 --to 2025-12 --by month -o chart.png
fi
exit $FAILED

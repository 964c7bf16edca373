#!/usr/bin/env bash
# `incidents serve` benchmark (issue 18): over N synthetic ACLED rows
# (examples/generate_acled.rs), the latency of vector tiles in a browsing
# session (cold index build apart), of /api/report, the server's memory and
# the time to the first map render in headless Chromium. The measuring is
# done by benches/serve_bench.py (Python 3 standard library, no packages);
# each figure is printed with its target verdict (p95 under 50 ms for tiles
# and region-month reports) and the script exits non-zero when one is missed.
#
#   benches/serve.sh [N]        N rows (default 1000000)
#
# Environment:
#   BENCH_DB=path   use a copy of this already-imported database instead of
#                   generating and importing N rows (the original is not
#                   touched; N is then only a label)
#   REPS=3          fresh servers (tiles, memory and first render each)
#   RUNS=5          runs of each report per server
#   SKIP=render     parts to leave out (comma-separated: tiles,report,render)
#   OUT=dir         keep serve.json (every figure) and serve.log there
#
# Needs: cargo, python3; chromium and chromedriver for the first render
# (Debian: chromium chromium-driver).
set -uo pipefail

N=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

echo "== building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin incidents --example generate_acled) || exit 1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/incidents-serve.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/target/release/incidents" "$ROOT/target/release/examples/generate_acled" \
    "$ROOT/benches/serve_bench.py" "$WORK/" || exit 1
cd "$WORK" || exit 1
unset INCIDENTS_DB INCIDENTS_TOKEN
echo "cpus: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "incidents $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?');" \
    "$(chromium --version 2>/dev/null || echo 'no chromium')"

if [ -n "${BENCH_DB:-}" ]; then
    echo "== the database $BENCH_DB (a copy)"
    cp "$BENCH_DB" bench.db || exit 1
else
    echo "== $N incidents"
    ./generate_acled "$N" acled.csv 42 || exit 1
    ./incidents import acled.csv --format acled --db bench.db >/dev/null 2>import.err ||
        { cat import.err; exit 1; }
    rm -f acled.csv
fi

python3 serve_bench.py --incidents ./incidents --db bench.db \
    --reps "${REPS:-3}" --runs "${RUNS:-5}" --skip "${SKIP:-}" \
    --json serve.json --log serve.log
STATUS=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${OUT:-}" ]; then
    mkdir -p "$OUT" && cp serve.json serve.log "$OUT/"
fi
[ $STATUS -eq 1 ] && tail -20 serve.log
exit $STATUS

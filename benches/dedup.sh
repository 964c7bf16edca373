#!/usr/bin/env bash
# Dedup benchmark (issue 15): how well and how fast `incidents dedup` finds
# the same event in two sources, on the sets of benches/dedup_set.py:
#   - the real UCDP GED Syria file (../shared/testdata, when present) with a
#     second source made from it;
#   - synthetic base sets of each SIZE events with their second sources
#     (100,000 base events make about 150,000 incidents).
# For each: import both files, time `dedup --format json` (wall, peak RSS),
# score it against the truth (top-1, precision, near-miss false positives,
# recall, and the best top-1 any dedup could reach on the set), and list the
# 10 worst misses. Then a table. Runs in a temporary directory, removed at
# the end (KEEP=1 keeps it).
#
#   benches/dedup.sh [SIZE...]      (default: 10000 100000)
#
# Needs: cargo, python3, GNU time at /usr/bin/time (Debian package `time`).
set -uo pipefail

if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(10000 100000); fi
SEED=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REAL=$ROOT/../shared/testdata/ucdp_ged_syria_2016-2019.csv

missing=()
command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
command -v python3 >/dev/null || missing+=("python3 (apt-get install python3)")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
if [ ${#missing[@]} -gt 0 ]; then
    echo "dedup.sh: missing tools:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
fi
for n in "${SIZES[@]}"; do
    case $n in
    '' | *[!0-9]*)
        echo "usage: benches/dedup.sh [SIZE...]  (SIZE a number of base events, not '$n')" >&2
        exit 2
        ;;
    esac
done

echo "== building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin incidents) || exit 1

START=$(date +%s.%N)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/incidents-dedup.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "work dir (kept): $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi
# Copies, so that a rebuild during the run cannot swap what is measured.
cp "$ROOT/target/release/incidents" "$ROOT/benches/dedup_set.py" "$WORK/" || exit 1
BIN=$WORK/incidents
SET=$WORK/dedup_set.py
cd "$WORK" || exit 1
unset INCIDENTS_DB

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "incidents: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') (+ working tree)"

# measure NAME CMD...: runs CMD once under /usr/bin/time -v; records its wall
# time (s) and peak RSS (MB); its stdout and stderr go to NAME.out/.err.
declare -A WALL RSS
measure() {
    local name=$1
    shift
    if ! /usr/bin/time -v -o "$name.time" "$@" >"$name.out" 2>"$name.err"; then
        WALL[$name]=FAILED
        RSS[$name]=FAILED
        echo "  $name FAILED: $*"
        tail -5 "$name.err" | sed 's/^/    /'
        return 1
    fi
    WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        printf "%.2f", s }' "$name.time")
    RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$name.time")
    echo "  $name: ${WALL[$name]} s wall, ${RSS[$name]} MB peak RSS"
}

# field JSON KEY: a figure of a JSON object, as a percentage when a share.
field() {
    python3 -c 'import json, sys
v = json.loads(sys.argv[1]).get(sys.argv[2])
print("-" if v is None else f"{100 * v:.2f} %" if isinstance(v, float) else v)' "$1" "$2" 2>/dev/null || echo "-"
}

ROWS=()
# run_set NAME BASE_CSV: second source, import, dedup, score, misses.
run_set() {
    local name=$1 base=$2
    echo "== $name"
    python3 "$SET" second --base "$base" --out "$name.second.csv" --truth "$name.truth.tsv" --seed $SEED || return 1
    local incidents
    incidents=$(($(wc -l <"$base") + $(wc -l <"$name.second.csv") - 2))
    echo "  $incidents incidents: $(grep -c rereport "$name.truth.tsv") re-reports," \
        "$(grep -c nearmiss "$name.truth.tsv") near misses"
    measure "$name.import" "$BIN" --db "$name.db" import "$base" --format ucdp &&
        measure "$name.import2" "$BIN" --db "$name.db" import "$name.second.csv" --format acled || return 1
    measure "$name.dedup" "$BIN" --db "$name.db" dedup --format json || return 1
    local score ceiling
    score=$(python3 "$SET" score --truth "$name.truth.tsv" --pairs "$name.dedup.out" --json) || return 1
    ceiling=$(python3 "$SET" ceiling --base "$base" --second "$name.second.csv" --truth "$name.truth.tsv")
    echo "  score: $score"
    echo "  ceiling: $ceiling"
    python3 "$SET" score --truth "$name.truth.tsv" --pairs "$name.dedup.out" \
        --misses 10 --base "$base" --second "$name.second.csv" | sed 's/^/  /'
    ROWS+=("$name|$incidents|$(field "$score" pairs)|$(field "$score" duplicates)|${WALL[$name.dedup]} s|${RSS[$name.dedup]} MB|$(field "$score" top1)|$(field "$ceiling" top1_ceiling)|$(field "$score" precision)|$(field "$score" nearmiss_fp)|$(field "$score" recall)")
}

if [ -f "$REAL" ]; then
    echo "== density: the real file"
    python3 "$SET" stats --csv "$REAL" | sed 's/^/  /'
    run_set real "$REAL" || ROWS+=("real|FAILED")
else
    echo "== the real UCDP file is not at $REAL: skipped"
fi
for n in "${SIZES[@]}"; do
    python3 "$SET" synth --out "synth$n.csv" --n "$n" --seed $SEED || exit 1
    if [ "$n" -le 20000 ]; then
        echo "== density: synthetic, $n events (compare with the real file's)"
        python3 "$SET" stats --csv "synth$n.csv" | sed 's/^/  /'
    fi
    run_set "synth$n" "synth$n.csv" || ROWS+=("synth$n|FAILED")
done

echo
echo "== results (targets: top-1 >= 95 %, precision >= 97 %, near-miss false positives <= 1 %)"
printf '%s\n' "set|incidents|pairs|duplicates|dedup wall|peak RSS|top-1|top-1 reachable|precision|near-miss FP|recall" \
    "${ROWS[@]}" | column -t -s '|'
echo
echo "benchmark run time (after the build): $(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}') s"

#!/usr/bin/env bash
# Region assignment against UCDP GED's own labels: imports the real UCDP
# Syria file with the built binary into a temporary database and compares
# what was stored, then measures the library's ceiling (`assign_in` with
# each row's stated country) on the same rows. A measurement, not a test:
# the UCDP file is not shipped with the project.
#
#   benches/ucdp_regions.sh [UCDP.csv]
#       default: ../shared/testdata/ucdp_ged_syria_2016-2019.csv beside the repository
#
# Prints, for where_prec 1-3 events: admin1 agreement with adm_1, admin2
# agreement with adm_2 (where given), events assigned to another country
# than the stated one, and the most frequent disagreements. Latest figures:
# data/README.md. Needs: cargo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
UCDP=${1:-$ROOT/../shared/testdata/ucdp_ged_syria_2016-2019.csv}
if [ ! -f "$UCDP" ]; then
    echo "ucdp_regions.sh: no UCDP GED file at $UCDP; give its path as the first argument" >&2
    exit 1
fi

cd "$ROOT"
cargo build --release --quiet --bin incidents --example ucdp_regions
BIN=$ROOT/target/release/incidents
MEASURE=$ROOT/target/release/examples/ucdp_regions

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$BIN" --db "$TMP/ucdp.db" import "$UCDP" --format ucdp >"$TMP/import.txt" 2>&1 \
    || { cat "$TMP/import.txt" >&2; exit 1; }
"$BIN" --db "$TMP/ucdp.db" export --format csv --raw -o "$TMP/export.csv" 2>/dev/null

echo "== binary: incidents import, then export"
"$MEASURE" "$UCDP" --stored "$TMP/export.csv"
echo
echo "== library ceiling: assign_in with the stated country"
"$MEASURE" "$UCDP"

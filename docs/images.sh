#!/bin/sh
# Makes the pictures the README shows, from the seeds: the map of Daraa in
# July 2025 and the chart of its killings, May to July 2025, beside the
# figures the sources reported. tests/docs_images.rs runs this script and
# compares its output with the committed files, so they stay current.
#
#   docs/images.sh [OUTDIR]     (default docs/images; INCIDENTS=path to the binary)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/images}
bin=${INCIDENTS:-$root/target/release/incidents}
work=$(mktemp -d "${TMPDIR:-/tmp}/incidents-images.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/seeds.db
mkdir -p "$out"
"$bin" --db "$db" seed >/dev/null
"$bin" --db "$db" map --region Daraa --month 2025-07 --width 900 --height 640 -o "$out/map-daraa-2025-07.png" 2>/dev/null
"$bin" --db "$db" chart --region Daraa --from 2025-05 --to 2025-07 --measure fatalities \
    --width 900 --height 480 -o "$out/chart-daraa-killings.png" 2>/dev/null

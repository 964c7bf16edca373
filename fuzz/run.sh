#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after another.
#
# Needs a nightly toolchain and cargo-fuzz (libFuzzer with AddressSanitizer):
#   rustup toolchain install nightly
#   cargo install cargo-fuzz
# The corpus of each target starts from the test fixtures and grows under
# fuzz/corpus/TARGET; a crash is saved under fuzz/artifacts/TARGET with the
# command to reproduce and minimise it (cargo +nightly fuzz tmin TARGET FILE).
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(date_parser csv_reader acled_reader ucdp_reader geojson_reader filter_parser filter_parser_regions extract_grammars extractor)
fi

if ! cargo +nightly --version >/dev/null 2>&1 || ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cat >&2 <<'MSG'
fuzz/run.sh needs the nightly toolchain and cargo-fuzz:
    rustup toolchain install nightly && cargo install cargo-fuzz
(libFuzzer's coverage instrumentation and AddressSanitizer are nightly-only.)
MSG
    exit 1
fi

fixtures=../tests/fixtures
seed() {
    local target="$1"
    shift
    mkdir -p "corpus/$target"
    if [ -z "$(ls -A "corpus/$target")" ]; then
        for f in "$@"; do
            [ -f "$f" ] && cp "$f" "corpus/$target/" || true
        done
    fi
}
seed csv_reader "$fixtures"/bad/*.csv "$fixtures"/fuzz/csv_* 
seed acled_reader "$fixtures"/acled_sample.csv "$fixtures"/bad/acled_*.csv "$fixtures"/fuzz/acled_*
seed ucdp_reader "$fixtures"/ucdp_sample.csv "$fixtures"/bad/ucdp_*.csv "$fixtures"/fuzz/ucdp_*
seed geojson_reader "$fixtures"/bad/*.geojson "$fixtures"/fuzz/geojson_*
seed extractor "$fixtures"/extract/*.txt
seed extract_grammars "$fixtures"/extract/*.txt
mkdir -p corpus/date_parser corpus/filter_parser corpus/filter_parser_regions
for d in 2025-06-17 2025-W24 2025-06 2025 2024-02-29 2025-W53; do
    printf '%s' "$d" > "corpus/date_parser/seed-$d"
done
# Filter inputs: fields separated by 0xFF (region, country, from, to, month, type, ...).
printf 'Daraa\xffSY\xff2025-01-01\xff2025-12-31\xff\xffbattles\xffarmed clash' > corpus/filter_parser_regions/seed-daraa
printf '\xffSY\xff2025-01\xff2025-06\xff\xffbattles\xffarmed clash\xffactor\xff50%%\xfftag\xff32.6,36.1\xff25km\xff35,32,37,34' > corpus/filter_parser/seed-all

cargo +nightly fuzz build -O
failed=()
for t in "${targets[@]}"; do
    echo "== $t: ${seconds}s"
    if ! cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1; then
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashes in: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "no crashes in ${#targets[@]} targets, ${seconds}s each"

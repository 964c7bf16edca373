#!/bin/sh
# Makes the fonts the pictures embed: DejaVu Sans Condensed (Debian's
# fonts-dejavu-core), cut to the Latin letters transliterated place names
# use, without hinting, so that an SVG can carry them inline.
# Needs fonttools (pip install fonttools).
set -eu
cd "$(dirname "$0")"
src=${DEJAVU:-/usr/share/fonts/truetype/dejavu}
unicodes="U+0020-007E,U+00A0-024F,U+02B0-02FF,U+1E00-1EFF,U+2010-2027,U+2030-203A,U+2070-209F,U+20AC,U+2190-2193,U+2212,U+2264-2265,U+00D7,U+25A0-25FF"
for face in DejaVuSansCondensed DejaVuSansCondensed-Bold; do
    pyftsubset "$src/$face.ttf" --unicodes="$unicodes" --no-hinting \
        --layout-features='kern,liga' --name-IDs='*' --output-file="$face.ttf"
done
# The same glyphs as WOFF2, which an SVG embeds (a third of the size); the
# PNG renderer reads the TrueType files.
for face in DejaVuSansCondensed DejaVuSansCondensed-Bold; do
    pyftsubset "$face.ttf" --unicodes='*' --flavor=woff2 --output-file="$face.woff2"
done

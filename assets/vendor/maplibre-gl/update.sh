#!/usr/bin/env bash
# Vendors MapLibre GL JS from the npm registry: `update.sh VERSION` (e.g. 5.24.1).
# Packs the pinned version with npm, checks the tarball against the registry's
# integrity, keeps the files the page needs, and gathers the licences of the
# packages bundled into its dist files. Then update VENDORED.md (version,
# integrity, the sha256 of each file, which tests/serve_browser.rs checks).
set -euo pipefail
version="${1:?usage: update.sh VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "maplibre-gl@$version" >/dev/null
tarball="maplibre-gl-$version.tgz"
want="$(npm view "maplibre-gl@$version" dist.integrity)"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$want" != "$got" ]; then
    echo "update.sh: $tarball: integrity $got, expected the registry's $want" >&2
    exit 1
fi
tar xzf "$tarball"
for f in dist/maplibre-gl-csp.js dist/maplibre-gl-csp-worker.js dist/maplibre-gl.css LICENSE.txt; do
    cp "package/$f" "$here/$(basename "$f")"
done

# The licences of the runtime dependencies rolled into the dist bundle
# (@types/geojson is type declarations only and bundles nothing).
mkdir deps && cd deps && echo '{}' >package.json
npm install --silent --ignore-scripts --no-audit --no-fund "maplibre-gl@$version" >/dev/null
{
    echo "Licences of the packages bundled into maplibre-gl $version's dist files"
    echo "(the runtime dependencies as npm resolved them on $(date -u +%Y-%m-%d);"
    echo "MapLibre's own LICENSE.txt, beside this file, covers mapbox-gl-js,"
    echo "glfx.js and d3-color)."
    npm ls --all --omit=dev --parseable | tail -n +3 | sort -u | while read -r dir; do
        name="$(node -p "require('$dir/package.json').name")"
        [ "$name" = "@types/geojson" ] && continue
        ver="$(node -p "require('$dir/package.json').version")"
        lic="$(node -p "require('$dir/package.json').license || '(no licence field)'")"
        echo
        echo "==============================================================================="
        echo "$name $ver ($lic)"
        echo "==============================================================================="
        file="$(find "$dir" -maxdepth 1 -iname 'licen[cs]e*' | head -1)"
        if [ -n "$file" ]; then
            cat "$file"
        elif grep -q '^## License' "$dir/README.md" 2>/dev/null; then
            sed -n '/^## License/,$p' "$dir/README.md"
        else
            repo="$(node -p "(require('$dir/package.json').repository || {}).url || '?'")"
            echo "(the package ships no licence text; its repository: $repo)"
        fi
    done
} >"$here/THIRD-PARTY-LICENSES.txt"
cd "$here"
sha256sum maplibre-gl-csp.js maplibre-gl-csp-worker.js maplibre-gl.css LICENSE.txt

#!/usr/bin/env bash
# PostgreSQL benchmark (issue 14): on N synthetic ACLED rows
# (examples/generate_acled.rs, as benches/scale.sh), `incidents import` into
# PostgreSQL against `ogr2ogr -f PostgreSQL` of the same CSV and a raw
# `psql \copy` into a plain table of text columns; then the region-month
# report and `--near` on PostgreSQL. Starts its own throwaway cluster in a
# temporary directory (fsync ON: commits are durable, as on a real server),
# prints every figure as it is measured, where the server's time went
# (pg_stat_statements), then a table against the targets; exits 1 on a miss.
#
#   benches/postgres.sh [N]     N rows (default 1000000)
#   RUNS=15 benches/postgres.sh  more runs for the medians (default 7)
#
# Needs: cargo, the PostgreSQL server binaries with PostGIS (Debian:
# postgresql postgresql-15-postgis-3), psql, ogr2ogr (gdal-bin), python3,
# GNU time at /usr/bin/time. Run as root, the server runs as `postgres`.
set -uo pipefail

N=${1:-1000000}
RUNS=${RUNS:-7}
MONTH=2015-06
REGION="Dar'a"
# The governorate as ACLED (and the generator) spell it in the admin1 column.
ACLED_ADMIN1="Dara"
NEAR=32.62,36.10

ROOT=$(cd "$(dirname "$0")/.." && pwd)

# The server binaries of the highest installed version (Debian's layout),
# else whatever is on PATH.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGBIN=${PGBIN:-$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")}

missing=()
command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] || missing+=("initdb, pg_ctl (apt-get install postgresql)")
[ -x "$PGBIN/pg_config" ] && [ -f "$("$PGBIN/pg_config" --sharedir)/extension/postgis.control" ] ||
    missing+=("PostGIS (apt-get install postgresql-15-postgis-3)")
command -v psql >/dev/null || missing+=("psql (apt-get install postgresql-client)")
command -v ogr2ogr >/dev/null || missing+=("ogr2ogr (apt-get install gdal-bin)")
ogr2ogr --formats 2>/dev/null | grep -q 'PostgreSQL' || missing+=("GDAL's PostgreSQL driver (apt-get install gdal-bin)")
command -v python3 >/dev/null || missing+=("python3 (apt-get install python3)")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
if [ ${#missing[@]} -gt 0 ]; then
    echo "postgres.sh: missing tools:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
fi
case $N in
'' | *[!0-9]*)
    echo "usage: benches/postgres.sh [N]  (N a row count, not '$N')" >&2
    exit 2
    ;;
esac

echo "== building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin incidents --example generate_acled) || exit 1

START=$(date +%s.%N)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/incidents-pg.XXXXXX")
# The server (run as `postgres` when we are root) must reach its data dir.
chmod 755 "$WORK"
DATA=$WORK/pgdata
# as_server CMD...: runs a server binary as the `postgres` user when root
# (PostgreSQL refuses to run as root).
as_server() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
cleanup() {
    [ -f "$DATA/postmaster.pid" ] && (cd / && as_server "$PGBIN/pg_ctl" stop -D "$DATA" -m immediate >/dev/null 2>&1)
    rm -rf "$WORK"
}
trap cleanup EXIT
# Copies, so that a rebuild in the same target directory during the run
# cannot swap the binary between measurements.
cp "$ROOT/target/release/incidents" "$ROOT/target/release/examples/generate_acled" "$WORK/" || exit 1
BIN=$WORK/incidents
GEN=$WORK/generate_acled
cd "$WORK" || exit 1
unset INCIDENTS_DB PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE PGOPTIONS

echo "== cluster"
mkdir "$DATA"
[ "$(id -u)" = 0 ] && chown postgres: "$DATA"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd / && as_server "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1) || {
    cat "$WORK/initdb.log" >&2
    exit 1
}
# A server tuned as a small dedicated one would be, durability left on:
# fsync and synchronous_commit keep their defaults (on).
cat >>"$DATA/postgresql.conf" <<EOF

# benches/postgres.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.track_utility = on
log_checkpoints = on
log_min_duration_statement = 1000
EOF
(cd / && as_server "$PGBIN/pg_ctl" start -D "$DATA" -l "$DATA/server.log" -w -t 60 >/dev/null) || {
    cat "$DATA/server.log" >&2
    exit 1
}
URL="postgresql://postgres@127.0.0.1:$PORT"
# sql DB SQL: runs SQL as the superuser, unaligned output.
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" -c "$2"; }
for db in incidents_db ogr_db plain_db empty_db; do
    sql postgres "CREATE DATABASE $db" || exit 1
done
sql ogr_db "CREATE EXTENSION postgis" || exit 1

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "incidents: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') (+ working tree)," \
    "$(sql postgres 'SHOW server_version' | sed 's/^/PostgreSQL /'), PostGIS $(sql ogr_db 'SELECT postgis_lib_version()')," \
    "$(ogr2ogr --version | cut -d, -f1)"
echo "working tree: $(git -C "$ROOT" diff --shortstat 2>/dev/null | sed 's/^ *//') (uncommitted changes measured too)"
echo "server: fsync $(sql postgres 'SHOW fsync'), synchronous_commit $(sql postgres 'SHOW synchronous_commit')," \
    "shared_buffers $(sql postgres 'SHOW shared_buffers'), max_wal_size $(sql postgres 'SHOW max_wal_size')"
echo "work dir: $WORK"

# Figures by name: wall seconds, client CPU seconds, peak RSS in MB, medians in ms.
declare -A WALL CPU RSS MS

# measure NAME CMD...: runs CMD once under /usr/bin/time -v and records its
# wall time, CPU time (user + system: the client's, not the server's) and
# peak RSS; its stdout and stderr are kept in NAME.out/.err.
measure() {
    local name=$1
    shift
    /usr/bin/time -v -o "$name.time" "$@" >"$name.out" 2>"$name.err"
    local rc=$?
    if [ $rc -ne 0 ]; then
        WALL[$name]=FAILED
        CPU[$name]=FAILED
        RSS[$name]=FAILED
        echo "  $name FAILED (exit $rc): $*"
        tail -5 "$name.err" | sed 's/^/    /'
        return 1
    fi
    WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        printf "%.2f", s }' "$name.time")
    CPU[$name]=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$name.time")
    RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$name.time")
    echo "  $name: ${WALL[$name]} s wall, client CPU ${CPU[$name]} s, ${RSS[$name]} MB peak RSS"
}

# median_ms NAME CMD...: one warm-up run, then the median wall time of
# $RUNS runs (a high-resolution clock, process start and connection
# included). With FIRST=1, the time until the first line of output instead.
median_ms() {
    local name=$1
    shift
    MS[$name]=$(python3 - "$RUNS" "${FIRST:-0}" "$@" <<'EOF'
import statistics, subprocess, sys, time
runs, first, cmd = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3:]
times = []
for i in range(runs + 1):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if first:
        p.stdout.readline()
        elapsed = time.perf_counter() - t
    for _ in p.stdout:
        pass
    if p.wait() != 0:
        print("FAILED")
        sys.exit(0)
    if not first:
        elapsed = time.perf_counter() - t
    if i:
        times.append(elapsed * 1000)
print(f"{statistics.median(times):.1f}")
EOF
)
    echo "  $name: median ${MS[$name]} ms of $RUNS runs"
}

# top_statements DB MIN_MS: where the server's time went since the last
# reset, statements that took at least MIN_MS in all.
top_statements() {
    sql "$1" "SELECT round(total_exec_time::numeric, 1) || ' ms', calls || ' calls', rows || ' rows',
                     regexp_replace(left(query, 110), '\s+', ' ', 'g')
              FROM pg_stat_statements WHERE total_exec_time >= $2 AND query NOT LIKE '%pg_stat_statements%'
                AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              ORDER BY total_exec_time DESC LIMIT 12" | sed 's/^/    /; s/|/  /g'
    echo "    total: $(sql "$1" "SELECT round(sum(total_exec_time)::numeric, 1) FROM pg_stat_statements
                              WHERE toplevel AND query NOT LIKE '%pg_stat_statements%'
                              AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())") ms in top-level statements"
}

mb() { awk -v b="$(stat -c %s "$1" 2>/dev/null || echo 0)" 'BEGIN {printf "%.1f", b / 1048576}'; }

echo "== generating $N ACLED rows"
measure generate "$GEN" "$N" acled.csv 42
CSV_MB=$(mb acled.csv)
echo "  acled.csv: $CSV_MB MB"

echo "== import"
# The schema first (not timed): init creates PostGIS, the tables and roles.
"$BIN" init --db "$URL/incidents_db" >init.out 2>&1 || {
    cat init.out >&2
    exit 1
}
sql incidents_db "CREATE EXTENSION pg_stat_statements" || exit 1
sql postgres CHECKPOINT
sql incidents_db "SELECT pg_stat_statements_reset()" >/dev/null
measure import_incidents "$BIN" import acled.csv --format acled --db "$URL/incidents_db"
sed 's/^/    /' import_incidents.out | tail -3
echo "  server statements during the import (pg_stat_statements, nested ones included):"
top_statements incidents_db 50
sql postgres CHECKPOINT

measure import_ogr2ogr ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PORT user=postgres dbname=ogr_db" acled.csv \
    -nln acled -a_srs EPSG:4326 -lco GEOMETRY_NAME=geom --config PG_USE_COPY YES \
    -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -oo KEEP_GEOM_COLUMNS=NO
sql postgres CHECKPOINT

# A table of the file's 31 columns as text, then the bare COPY.
COLUMNS=$(head -1 acled.csv | tr -d '\r' | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
sql plain_db "CREATE TABLE plain ($COLUMNS)" || exit 1
measure import_copy psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d plain_db \
    -c "\\copy plain FROM 'acled.csv' WITH (FORMAT csv, HEADER true)"
sql postgres CHECKPOINT
echo "  rows: incidents $(sql incidents_db 'SELECT count(*) FROM incidents')," \
    "ogr2ogr $(sql ogr_db 'SELECT count(*) FROM acled'), plain $(sql plain_db 'SELECT count(*) FROM plain')"

echo "== region-month report ($REGION, $MONTH)"
"$BIN" report --db "$URL/incidents_db" --region "$REGION" --month "$MONTH" --format json >report.json 2>report.err
REPORT_COUNTS=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["incidents"], r["fatalities"]["best"])' report.json 2>/dev/null || echo "FAILED")
echo "  incidents report: incidents, fatalities = $REPORT_COUNTS"
# The same aggregate over the plain table, with the counting rule of the
# report (as benches/scale.sh: a day or a month in June, or for ACLED's
# time precision 2 the seven days around its date).
SQL="SELECT count(*), sum(fatalities::int) FROM plain WHERE admin1 = '${ACLED_ADMIN1//\'/\'\'}'
 AND event_date::date BETWEEN date '$MONTH-01' AND (date '$MONTH-01' + interval '1 month' - interval '1 day')::date
 AND (time_precision IN ('1', '3')
      OR (time_precision = '2' AND event_date::date - 3 >= date '$MONTH-01'
          AND event_date::date + 3 <= (date '$MONTH-01' + interval '1 month' - interval '1 day')::date))"
SQL_COUNTS=$(sql plain_db "$SQL" 2>&1 | tr '|' ' ')
echo "  full-scan SQL: incidents, fatalities = $SQL_COUNTS" \
    "($([ "$SQL_COUNTS" = "$REPORT_COUNTS" ] && echo same as the report || echo DIFFERENT from the report))"
median_ms report_sql psql -X -At -h 127.0.0.1 -p "$PORT" -U postgres -d plain_db -c "$SQL"
"$BIN" init --db "$URL/empty_db" >/dev/null 2>&1
median_ms report_empty_db "$BIN" report --db "$URL/empty_db" --region "$REGION" --month "$MONTH" --format json
echo "    (report on an empty database: the fixed cost of starting up, connecting and resolving the region)"
"$BIN" list --db "$URL/incidents_db" --near "$NEAR" --radius 25km --format csv 2>/dev/null | tail -n +2 | wc -l |
    sed "s/^/  rows within 25 km of $NEAR: /"

# queries SUFFIX: the report and --near, medians and the server's
# statements of one run each, recorded as NAME$SUFFIX.
queries() {
    local x=$1
    echo "  statistics: incidents last analyzed $(sql incidents_db "SELECT COALESCE(greatest(last_analyze, last_autoanalyze)::text, 'never')
        FROM pg_stat_user_tables WHERE relname = 'incidents'")"
    median_ms "report$x" "$BIN" report --db "$URL/incidents_db" --region "$REGION" --month "$MONTH" --format json
    sql incidents_db "SELECT pg_stat_statements_reset()" >/dev/null
    "$BIN" report --db "$URL/incidents_db" --region "$REGION" --month "$MONTH" --format json >/dev/null 2>&1
    echo "  server statements of one report:"
    top_statements incidents_db 0.1
    median_ms "near_coords$x" "$BIN" list --db "$URL/incidents_db" --near "$NEAR" --radius 25km --format csv
    FIRST=1 median_ms "near_coords_first$x" "$BIN" list --db "$URL/incidents_db" --near "$NEAR" --radius 25km --format csv
    echo "    (time to the first row: the output is streamed)"
    median_ms "near_place$x" "$BIN" list --db "$URL/incidents_db" --near Daraa --radius 25km --format csv
    sql incidents_db "SELECT pg_stat_statements_reset()" >/dev/null
    "$BIN" list --db "$URL/incidents_db" --near "$NEAR" --radius 25km --format csv >/dev/null 2>&1
    echo "  server statements of one --near $NEAR:"
    top_statements incidents_db 0.1
}
echo "== report and --near right after the import (autovacuum may not have analyzed the table yet)"
queries ""
echo "== report and --near after VACUUM ANALYZE (as autovacuum leaves the table)"
measure vacuum_analyze psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d incidents_db -c "VACUUM ANALYZE"
queries _analyzed

echo "== size"
for db in incidents_db ogr_db plain_db; do
    echo "  $db: $(sql "$db" "SELECT pg_size_pretty(pg_database_size(current_database()))")"
done
sql incidents_db "SELECT c.relname, pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
    ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6" | awk -F'|' '{printf "    %s %s\n", $1, $2}'
echo "  checkpoints logged: $(grep -c 'checkpoint complete' "$DATA/server.log")"

# ratio A B: A / B with two decimals, or "-" when either is missing.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-"
        else printf "%.2f", a / b }'
}
# met VALUE OP LIMIT: "yes" or "NO" ("NO" too when VALUE is missing).
met() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        if (v !~ /^[0-9.]+$/) { print "NO"; exit }
        ok = (op == "<=") ? v <= l : (op == "<") ? v < l : (op == ">=") ? v >= l : 0
        print ok ? "yes" : "NO" }'
}

ROWS=()
row() { ROWS+=("$1|$2|$3|$4|$5|$6"); }

r=$(ratio "${WALL[import_ogr2ogr]}" "${WALL[import_incidents]}")
row "import, wall (speed-up vs ogr2ogr)" "${WALL[import_incidents]} s" "ogr2ogr ${WALL[import_ogr2ogr]} s" "${r}x faster" ">= 2x faster" "$(met "$r" '>=' 2)"
r=$(ratio "${WALL[import_incidents]}" "${WALL[import_copy]}")
row "import, wall (x psql \\copy)" "${WALL[import_incidents]} s" "\\copy ${WALL[import_copy]} s" "${r}x" "<= 3x" "$(met "$r" '<=' 3)"
row "import, client CPU" "${CPU[import_incidents]} s" "ogr2ogr ${CPU[import_ogr2ogr]} / psql ${CPU[import_copy]} s" "-" "-" "-"
row "import, client peak RSS" "${RSS[import_incidents]} MB" "ogr2ogr ${RSS[import_ogr2ogr]} / psql ${RSS[import_copy]} MB" "-" "-" "-"
row "region-month report, median" "${MS[report]} ms" "full-scan SQL ${MS[report_sql]} ms" "-" "< 50 ms" "$(met "${MS[report]}" '<' 50)"
row "  the same after VACUUM ANALYZE" "${MS[report_analyzed]} ms" "VACUUM ANALYZE ${WALL[vacuum_analyze]} s" "-" "< 50 ms" "$(met "${MS[report_analyzed]}" '<' 50)"
row "report on an empty database" "${MS[report_empty_db]} ms" "-" "-" "-" "-"
row "list --near LAT,LON 25km, median" "${MS[near_coords]} ms" "first row ${MS[near_coords_first]} ms" "-" "-" "-"
row "  the same after VACUUM ANALYZE" "${MS[near_coords_analyzed]} ms" "first row ${MS[near_coords_first_analyzed]} ms" "-" "-" "-"
row "list --near Daraa 25km, median" "${MS[near_place]} ms" "after VACUUM ANALYZE ${MS[near_place_analyzed]} ms" "-" "-" "-"
echo
echo "== results, N=$N"
printf '%s\n' "measure|incidents|reference|ratio|target|met?" "${ROWS[@]}" | column -t -s '|'
echo
echo "benchmark run time (after the build): $(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}') s;" \
    "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$SQL_COUNTS" != "$REPORT_COUNTS" ]; then
    echo "FAILED: the report's figures differ from the SQL over the plain table" >&2
    exit 1
fi
missed=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '$6 == "NO"' | wc -l)
if [ "$missed" -gt 0 ]; then
    echo "MISSED: $missed target(s)" >&2
    exit 1
fi
echo "all targets met"

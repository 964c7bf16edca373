//! The team database (issue 14) end to end, with the real binary on a fresh
//! database of the harness's throwaway PostgreSQL cluster: GDAL and psql
//! read the live layer, `--near` and `--bbox` select what PostGIS selects,
//! roles decide who may write and nobody gets past the history, connection
//! and schema errors are plain, concurrent writers lose nothing, and a
//! backup opens as a SQLite file. Without PostgreSQL each test says loudly
//! that it was skipped (and fails with INCIDENTS_REQUIRE_PG=1).
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::thread;

use assert_cmd::Command;
use common::{Backend, DB_ENV, Login, Output, Session, both, pg};
use incidents::store::{self, Author, Location, MergeRecord};

/// `postgres_only!(name);` above `fn name()` makes the test `name::postgres`,
/// which runs it on PostgreSQL as `both!` does (skipped loudly, or failed
/// with INCIDENTS_REQUIRE_PG=1, when the server is missing).
macro_rules! postgres_only {
    ($name:ident) => {
        mod $name {
            #[test]
            fn postgres() {
                $crate::common::run_on(
                    $crate::common::Backend::Postgres,
                    concat!(module_path!(), "::postgres"),
                    super::$name,
                );
            }
        }
    };
}

/// The name of the session's database: the last part of its URL.
fn dbname(s: &Session) -> String {
    let url = s.db_arg();
    url.rsplit('/').next().expect("a URL").to_string()
}

fn port() -> u16 {
    pg::cluster().expect("a cluster").port
}

/// Runs `incidents --db DB ARGS` in the session's directory, asserts
/// success, returns stdout.
fn ok_at(s: &Session, db: &str, args: &[&str]) -> String {
    let o = Output::of(&mut s.cmd_at(db, args));
    assert_eq!(
        o.code, 0,
        "incidents --db {db} {args:?} failed:\n{}\n{}",
        o.stdout, o.stderr
    );
    o.stdout
}

/// Runs `incidents --db DB ARGS`, asserts exit code 1 and no panic,
/// returns stderr.
fn fails_at(s: &Session, db: &str, args: &[&str]) -> String {
    let o = Output::of(&mut s.cmd_at(db, args));
    assert_eq!(
        o.code, 1,
        "incidents --db {db} {args:?} should fail with 1:\n{}\n{}",
        o.stdout, o.stderr
    );
    assert!(!o.stderr.contains("panicked"), "panic: {}", o.stderr);
    o.stderr
}

/// A program other than `incidents` (psql, ogrinfo, ogr2ogr) with no
/// libpq variable from the environment.
fn tool(program: &str, args: &[&str]) -> Output {
    let mut c = Command::new(program);
    c.args(args);
    for var in DB_ENV {
        c.env_remove(var);
    }
    Output::of(&mut c)
}

/// Runs a tool that must succeed; returns its stdout.
fn tool_ok(program: &str, args: &[&str]) -> String {
    let o = tool(program, args);
    assert_eq!(
        o.code, 0,
        "{program} {args:?} failed:\n{}\n{}",
        o.stdout, o.stderr
    );
    o.stdout
}

/// `psql URL -c SQL`, unaligned and without headers (columns joined by
/// `|`), stopping at the first error.
fn psql(url: &str, sql: &str) -> Output {
    tool(
        "psql",
        &["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
    )
}

fn psql_ok(url: &str, sql: &str) -> String {
    let o = psql(url, sql);
    assert_eq!(o.code, 0, "psql {sql}:\n{}\n{}", o.stdout, o.stderr);
    o.stdout
}

/// A database made by a test outside the harness, dropped with it.
struct OwnDatabase {
    name: String,
}

impl Drop for OwnDatabase {
    fn drop(&mut self) {
        let dropped = pg::cluster()
            .expect("a cluster")
            .connect("postgres")
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        if let Err(e) = dropped {
            eprintln!("could not drop database {}: {e}", self.name);
        }
    }
}

/// Our own CSV: one day incident per `(uid, lat, lon)`, coordinates empty
/// when not given.
fn native_csv(rows: &[(String, Option<(f64, f64)>)]) -> String {
    let mut out = String::from(
        "uid,event_type,sub_event_type,date_start,date_end,date_precision,latitude,longitude\n",
    );
    for (uid, point) in rows {
        let (lat, lon) = point.map_or((String::new(), String::new()), |(lat, lon)| {
            (lat.to_string(), lon.to_string())
        });
        out.push_str(&format!(
            "{uid},Battles,Armed clash,2025-06-17,2025-06-17,day,{lat},{lon}\n"
        ));
    }
    out
}

/// The figure before `what` in a summary such as `3 rows, 3 new, 0 updated`.
fn figure(said: &str, what: &str) -> u64 {
    said.split([',', ':'])
        .find_map(|part| part.trim().strip_suffix(what)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no figure for {what:?} in {said:?}"))
}

/// Who made each change of `uid`, as `history` shows it.
fn history_by(s: &Session, db: &str, uid: &str) -> Vec<(String, String)> {
    let out = ok_at(s, db, &["history", uid, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v.as_array()
        .expect("an array of changes")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().expect("action").to_string(),
                e["by"].as_str().unwrap_or("NULL").to_string(),
            )
        })
        .collect()
}

/// What `ogrinfo -so` says of a layer.
#[derive(Debug)]
struct LayerInfo {
    geometry: String,
    features: u64,
    srs: String,
    fid: String,
    geometry_column: String,
    /// Field name -> type, e.g. `date_start` -> `Date`.
    fields: BTreeMap<String, String>,
}

fn layer_info(info: &str) -> LayerInfo {
    let value = |prefix: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in:\n{info}"))
            .trim()
            .to_string()
    };
    let srs = info
        .split_once("Layer SRS WKT:")
        .and_then(|(_, rest)| rest.split_once("Data axis"))
        .map(|(wkt, _)| wkt.trim().to_string())
        .unwrap_or_else(|| panic!("no SRS in:\n{info}"));
    // The fields come after the geometry column, one `name: Type (width.precision) ...` a line.
    let fields = info
        .split_once("Geometry Column = ")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .map(|(_, fields)| fields)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(": ")?;
            let kind = rest.split(" (").next()?;
            Some((name.to_string(), kind.to_string()))
        })
        .collect();
    LayerInfo {
        geometry: value("Geometry: "),
        features: value("Feature Count: ").parse().expect("a feature count"),
        srs,
        fid: value("FID Column = "),
        geometry_column: value("Geometry Column = "),
        fields,
    }
}

postgres_only!(gdal_opens_the_incidents_layer_and_copies_it_to_a_geopackage);
fn gdal_opens_the_incidents_layer_and_copies_it_to_a_geopackage() {
    let s = Session::seeded();
    let source = format!(
        "PG:host=127.0.0.1 port={} dbname={} user={}",
        port(),
        dbname(&s),
        pg::ADMIN
    );

    let layers = tool_ok("ogrinfo", &["-ro", "-q", &source]);
    assert!(
        layers.lines().any(|l| l.ends_with(": incidents (Point)")),
        "{layers}"
    );
    let info = layer_info(&tool_ok("ogrinfo", &["-ro", "-so", &source, "incidents"]));
    assert_eq!(info.geometry, "Point");
    assert_eq!(info.features, 7);
    assert!(info.srs.ends_with(r#"ID["EPSG",4326]]"#), "{}", info.srs);
    assert_eq!(info.fid, "id", "the integer primary key is the feature id");
    assert_eq!(info.geometry_column, "geom");
    for (field, kind) in [
        ("uid", "String"),
        ("event_type", "String"),
        ("sub_event_type", "String"),
        ("date_start", "Date"),
        ("date_end", "Date"),
        ("latitude", "Real"),
        ("longitude", "Real"),
        ("fatalities", "Integer64"),
        ("actor1", "String"),
        ("admin1_code", "String"),
        ("notes", "String"),
    ] {
        assert_eq!(
            info.fields.get(field).map(String::as_str),
            Some(kind),
            "field {field}: {:?}",
            info.fields
        );
    }

    let gpkg = s.dir.path().join("incidents.gpkg");
    let gpkg = gpkg.to_str().expect("a UTF-8 path");
    tool_ok("ogr2ogr", &["-f", "GPKG", gpkg, &source, "incidents"]);
    let copied = layer_info(&tool_ok("ogrinfo", &["-ro", "-so", gpkg, "incidents"]));
    assert_eq!(copied.geometry, "Point");
    assert_eq!(copied.features, 7);
    assert!(
        copied.srs.ends_with(r#"ID["EPSG",4326]]"#),
        "{}",
        copied.srs
    );

    // The GeoPackage holds the server's rows, value for value.
    let columns = "uid, event_type, date_start, latitude, longitude, fatalities";
    let c = rusqlite::Connection::open(gpkg).expect("open the GeoPackage");
    let in_gpkg: Vec<Vec<String>> = c
        .prepare(&format!("SELECT {columns} FROM incidents ORDER BY uid"))
        .and_then(|mut stmt| {
            stmt.query_map([], |r| {
                (0..6)
                    .map(|i| {
                        Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                            rusqlite::types::Value::Null => "NULL".to_string(),
                            rusqlite::types::Value::Integer(v) => v.to_string(),
                            rusqlite::types::Value::Real(v) => v.to_string(),
                            rusqlite::types::Value::Text(v) => v,
                            rusqlite::types::Value::Blob(v) => format!("{v:?}"),
                        })
                    })
                    .collect()
            })?
            .collect()
        })
        .expect("read the GeoPackage");
    assert_eq!(
        in_gpkg,
        s.pg_query(&format!("SELECT {columns} FROM incidents ORDER BY uid"))
    );
    let geometry: (String, i64) = c
        .query_row(
            "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'incidents'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the layer's geometry column");
    assert_eq!(geometry, ("POINT".to_string(), 4326));
}

postgres_only!(psql_sees_each_incidents_point_at_its_coordinates);
fn psql_sees_each_incidents_point_at_its_coordinates() {
    let s = Session::seeded();
    s.file(
        "nowhere.csv",
        native_csv(&[("NOWHERE-1".into(), None)]).as_bytes(),
    );
    s.ok(&["import", "nowhere.csv"]);
    let url = s.db_arg();
    assert_eq!(
        psql_ok(&url, "SELECT count(*), count(geom) FROM incidents"),
        "8|7\n",
        "the incident without coordinates has no point"
    );

    // An edit moves the point: the layer is live.
    s.ok(&[
        "edit",
        "SEED-SY-2025-MASMIYAH-CLASH",
        "--lat",
        "33.0125",
        "--lon",
        "36.4031",
    ]);
    let points = psql_ok(
        &url,
        "SELECT uid, ST_X(geom), ST_Y(geom), longitude, latitude, ST_SRID(geom) \
         FROM incidents WHERE geom IS NOT NULL ORDER BY uid",
    );
    let mut seen = 0;
    for line in points.lines() {
        let cells: Vec<&str> = line.split('|').collect();
        let number =
            |i: usize| -> f64 { cells[i].parse().unwrap_or_else(|e| panic!("{e}: {line}")) };
        assert_eq!(number(1), number(3), "x is the longitude: {line}");
        assert_eq!(number(2), number(4), "y is the latitude: {line}");
        assert_eq!(cells[5], "4326", "{line}");
        if cells[0] == "SEED-SY-2025-MASMIYAH-CLASH" {
            assert_eq!((number(1), number(2)), (36.4031, 33.0125), "{line}");
        }
        seen += 1;
    }
    assert_eq!(seen, 7, "{points}");
}

/// The haversine distance on the mean Earth radius, as `--near` measures.
fn haversine_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (dlat, dlon) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dlat / 2.0).sin().powi(2)
        + lat1.to_radians().cos() * lat2.to_radians().cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

postgres_only!(near_and_bbox_select_what_postgis_selects);
fn near_and_bbox_select_what_postgis_selects() {
    let s = Session::new();
    // A grid of 21 x 21 points 0.1 degree apart over southern Syria.
    let grid: Vec<(String, (f64, f64))> = (0..=20)
        .flat_map(|i| {
            (0..=20).map(move |j| {
                let point = (32.0 + f64::from(i) / 10.0, 35.5 + f64::from(j) / 10.0);
                (format!("GRID-{i:02}-{j:02}"), point)
            })
        })
        .collect();
    let rows: Vec<_> = grid.iter().map(|(u, p)| (u.clone(), Some(*p))).collect();
    s.file("grid.csv", native_csv(&rows).as_bytes());
    s.ok(&["import", "grid.csv"]);

    let (centre, radius_km) = ((33.03, 36.47), 27.5);
    // PostGIS measures on the spheroid, --near on a sphere: they differ by
    // well under 1%, so no point may lie nearer the circle than 1% of its
    // radius.
    let mut inside = BTreeSet::new();
    for (uid, point) in &grid {
        let d = haversine_km(centre, *point);
        assert!(
            (d - radius_km).abs() > radius_km / 100.0,
            "{uid} is {d} km from the centre: too close to the circle to compare"
        );
        if d <= radius_km {
            inside.insert(uid.clone());
        }
    }
    assert!(
        (10..grid.len() / 2).contains(&inside.len()),
        "{}",
        inside.len()
    );
    let postgis: BTreeSet<String> = s
        .pg_query(&format!(
            "SELECT uid FROM incidents WHERE ST_DWithin(geom::geography, \
             ST_SetSRID(ST_MakePoint({}, {}), 4326)::geography, {})",
            centre.1,
            centre.0,
            radius_km * 1000.0
        ))
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect();
    assert_eq!(postgis, inside);
    let near = format!("{},{}", centre.0, centre.1);
    let radius = format!("{radius_km}km");
    let listed = common::uids(&s.json(&["list", "--near", &near, "--radius", &radius]));
    assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), postgis);
    let report = s.json(&[
        "report", "--year", "2025", "--near", &near, "--radius", &radius,
    ]);
    assert_eq!(report["incidents"], postgis.len(), "{report}");

    // A box whose edges fall between the grid's lines.
    let (min_lon, min_lat, max_lon, max_lat) = (35.93, 32.47, 36.87, 33.53);
    let in_box: BTreeSet<String> = grid
        .iter()
        .filter(|(_, (lat, lon))| {
            (min_lat..=max_lat).contains(lat) && (min_lon..=max_lon).contains(lon)
        })
        .map(|(uid, _)| uid.clone())
        .collect();
    assert_eq!(in_box.len(), 11 * 9);
    let postgis: BTreeSet<String> = s
        .pg_query(&format!(
            "SELECT uid FROM incidents \
             WHERE geom && ST_MakeEnvelope({min_lon}, {min_lat}, {max_lon}, {max_lat}, 4326)"
        ))
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect();
    assert_eq!(postgis, in_box);
    let bbox = format!("{min_lon},{min_lat},{max_lon},{max_lat}");
    let listed = common::uids(&s.json(&["list", "--bbox", &bbox]));
    assert_eq!(listed.into_iter().collect::<BTreeSet<_>>(), postgis);
}

/// A GeoJSON FeatureCollection of one square region around Daraa city.
const SQUARE_REGION: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Team square"},"geometry":{"type":"Polygon","coordinates":[[[36.0,32.5],[36.2,32.5],[36.2,32.7],[36.0,32.7],[36.0,32.5]]]}}]}"#;

postgres_only!(a_reader_reads_everything_and_every_write_is_refused_unchanged);
fn a_reader_reads_everything_and_every_write_is_refused_unchanged() {
    let s = Session::seeded();
    let uid = s
        .ok(&[
            "add",
            "--date",
            "2025-07-01",
            "--type",
            "Battles",
            "--lat",
            "32.62",
            "--lon",
            "36.1",
        ])
        .trim()
        .to_string();
    let alice = Login::new(&s, "alice", "LOGIN", &["incidents_reader"]);
    let url = s.url_as(&alice.name);

    // Reads print what they print for the administrator.
    let reads: &[&[&str]] = &[
        &["list", "--format", "csv"],
        &["list", "--format", "json", "--region", "Daraa"],
        &[
            "report",
            "--from",
            "2020-01-01",
            "--to",
            "2025-12-31",
            "--format",
            "json",
        ],
        &[
            "report",
            "--year",
            "2025",
            "--group-by",
            "month",
            "--format",
            "csv",
        ],
        &["export", "--format", "geojson"],
        &["show", &uid],
        &["history", &uid, "--format", "json"],
        &["tally", "list"],
    ];
    for args in reads {
        assert_eq!(ok_at(&s, &url, args), s.ok(args), "{args:?} as a reader");
    }
    let said = ok_at(&s, &url, &["init"]);
    assert!(
        said.starts_with(&format!(
            "opened {url} (schema version {}): 8 incidents",
            latest_version()
        )),
        "{said}"
    );

    s.file(
        "new.csv",
        native_csv(&[("NEW-1".into(), Some((32.6, 36.1)))]).as_bytes(),
    );
    s.file("square.geojson", SQUARE_REGION.as_bytes());
    let writes: &[&[&str]] = &[
        &[
            "add",
            "--date",
            "2025-07-02",
            "--type",
            "Battles",
            "--lat",
            "32.6",
            "--lon",
            "36.1",
        ],
        &["edit", &uid, "--title", "Changed by a reader"],
        &["delete", &uid],
        &["import", "new.csv"],
        &[
            "tally", "add", "--metric", "killings", "--value", "3", "--period", "2025-07",
            "--region", "SY-DR",
        ],
        &[
            "tally",
            "delete",
            "SEED-TALLY-DARAA-2025-05-KILLINGS-DERIVED",
        ],
        &[
            "places",
            "add",
            "Tell Reader",
            "--lat",
            "32.7",
            "--lon",
            "36.2",
        ],
        &[
            "regions",
            "import",
            "square.geojson",
            "--name-field",
            "name",
        ],
        &["seed"],
    ];
    let before = s.snapshot();
    let refusal = format!("{} may read but not change this database", alice.name);
    for args in writes {
        let err = fails_at(&s, &url, args);
        assert!(err.contains(&refusal), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert_eq!(
            s.snapshot(),
            before,
            "{args:?} as a reader changed the database"
        );
    }
}

postgres_only!(an_editor_writes_under_their_login_and_cannot_touch_the_history);
fn an_editor_writes_under_their_login_and_cannot_touch_the_history() {
    let s = Session::new();
    s.ok(&["init"]);
    let bob = Login::new(&s, "bob", "LOGIN", &["incidents_editor"]);
    let url = s.url_as(&bob.name);
    let add = [
        "add",
        "--date",
        "2025-07-03",
        "--type",
        "Battles",
        "--lat",
        "32.62",
        "--lon",
        "36.1",
    ];
    let plain = ok_at(&s, &url, &add).trim().to_string();
    let labelled = ok_at(&s, &url, &[&["--as", "Field team"], &add[..]].concat())
        .trim()
        .to_string();
    s.file(
        "team.csv",
        native_csv(&[
            ("TEAM-1".into(), Some((32.6, 36.1))),
            ("TEAM-2".into(), Some((32.7, 36.2))),
        ])
        .as_bytes(),
    );
    let said = ok_at(&s, &url, &["import", "team.csv"]);
    assert_eq!(
        (figure(&said, "rows"), figure(&said, "new")),
        (2, 2),
        "{said}"
    );

    let insert_by = |who: &str| vec![("insert".to_string(), who.to_string())];
    assert_eq!(history_by(&s, &url, &plain), insert_by(&bob.name));
    assert_eq!(
        history_by(&s, &url, &labelled),
        insert_by(&format!("{} (as Field team)", bob.name))
    );
    assert_eq!(history_by(&s, &url, "TEAM-1"), insert_by(&bob.name));

    // Bob's own SQL cannot write, change or switch off the history.
    let history = "SELECT h::text FROM history h ORDER BY id";
    let before = s.pg_query(history);
    for sql in [
        "INSERT INTO history (entity, uid, action) VALUES ('incident', 'FORGED', 'insert')",
        "UPDATE history SET by_user = 'mallory'",
        "DELETE FROM history",
        "TRUNCATE history",
        "ALTER TABLE incidents DISABLE TRIGGER ALL",
        "ALTER TABLE history DISABLE TRIGGER ALL",
        "DROP TRIGGER incidents_history_update ON incidents",
        "CREATE OR REPLACE FUNCTION incidents_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "SET session_replication_role = replica",
    ] {
        let o = psql(&url, sql);
        assert_eq!(o.code, 1, "{sql} as an editor: {}{}", o.stdout, o.stderr);
        assert!(
            o.stderr.contains("permission denied") || o.stderr.contains("must be owner"),
            "{sql}: {}",
            o.stderr
        );
    }
    assert_eq!(s.pg_query(history), before);

    // A change made in psql is recorded all the same, under bob's login.
    psql_ok(
        &url,
        "UPDATE incidents SET title = 'Edited in psql' WHERE uid = 'TEAM-1'",
    );
    assert_eq!(
        history_by(&s, &url, "TEAM-1"),
        [
            ("insert".to_string(), bob.name.clone()),
            ("update".to_string(), bob.name.clone())
        ]
    );
}

/// Bob (an editor) imports a row, then runs `sql` in psql: whether the
/// server refuses it or not, the row's history must still say that bob
/// inserted it, when he did, with that import.
fn editor_sql_leaves_the_import_in_history(sql: &str) {
    let s = Session::new();
    s.ok(&["init"]);
    let bob = Login::new(&s, "bob", "LOGIN", &["incidents_editor"]);
    let url = s.url_as(&bob.name);
    s.file(
        "team.csv",
        native_csv(&[("TEAM-1".into(), Some((32.6, 36.1)))]).as_bytes(),
    );
    ok_at(&s, &url, &["import", "team.csv"]);
    assert_eq!(
        history_by(&s, &url, "TEAM-1"),
        [("insert".to_string(), bob.name.clone())]
    );
    let first_change = || {
        let out = ok_at(&s, &url, &["history", "TEAM-1", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).expect("history JSON");
        v[0].clone()
    };
    let before = first_change();
    psql(&url, sql);
    let after = first_change();
    assert_eq!(
        after, before,
        "after {sql} as an editor, the record of the import changed"
    );
}

postgres_only!(an_editor_cannot_rewrite_who_imported_rows);
fn an_editor_cannot_rewrite_who_imported_rows() {
    editor_sql_leaves_the_import_in_history(
        "UPDATE imports SET by_user = 'mallory', at = '2000-01-01T00:00:00.000Z'",
    );
}

postgres_only!(an_editor_cannot_erase_an_imported_rows_insert_from_history);
fn an_editor_cannot_erase_an_imported_rows_insert_from_history() {
    editor_sql_leaves_the_import_in_history(
        "UPDATE incidents SET import_id = NULL WHERE uid = 'TEAM-1'",
    );
}

postgres_only!(connection_errors_are_one_line_naming_host_and_database_never_the_password);
fn connection_errors_are_one_line_naming_host_and_database_never_the_password() {
    let s = Session::seeded();
    let db = dbname(&s);
    let secret = "Wr0ng-s3cret-PW";
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let missing = format!("{db}_missing");
    let cases: [(&str, String, Option<&str>, String, &str); 4] = [
        (
            "server down",
            format!(
                "postgresql://{}:{secret}@127.0.0.1:{closed}/{db}",
                pg::ADMIN
            ),
            None,
            format!("database {db} on 127.0.0.1:{closed}"),
            "refused",
        ),
        (
            "wrong password in the URL",
            s.url_with_password(pg::PASSWORD_USER, secret),
            None,
            format!("database {db} on 127.0.0.1:{}", port()),
            "password authentication failed",
        ),
        (
            "wrong password in PGPASSWORD",
            s.url_as(pg::PASSWORD_USER),
            Some(secret),
            format!("database {db} on 127.0.0.1:{}", port()),
            "password authentication failed",
        ),
        (
            "database missing",
            format!(
                "postgresql://{}:{secret}@127.0.0.1:{}/{missing}",
                pg::ADMIN,
                port()
            ),
            None,
            format!("database {missing} on 127.0.0.1:{}", port()),
            "does not exist",
        ),
    ];
    for (what, url, password, names, reason) in cases {
        for args in [
            &["list"][..],
            &["init"],
            &[
                "add",
                "--date",
                "2025-07-01",
                "--type",
                "Battles",
                "--lat",
                "32.6",
                "--lon",
                "36.1",
            ],
        ] {
            let mut c = s.cmd_at(&url, args);
            if let Some(p) = password {
                c.env("PGPASSWORD", p);
            }
            let o = Output::of(&mut c);
            assert_eq!(o.code, 1, "{what}, {args:?}: {}{}", o.stdout, o.stderr);
            assert_eq!(o.stdout, "", "{what}, {args:?}");
            assert_eq!(
                o.stderr.trim_end().lines().count(),
                1,
                "{what}, {args:?}: {}",
                o.stderr
            );
            assert!(o.stderr.contains(&names), "{what}, {args:?}: {}", o.stderr);
            assert!(o.stderr.contains(reason), "{what}, {args:?}: {}", o.stderr);
            assert!(!o.stderr.contains(secret), "{what}, {args:?}: {}", o.stderr);
        }
    }
    assert_eq!(
        s.pg_query(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{missing}'"
        )),
        [["0"]]
    );
}

/// The version of the server's schema: its last migration.
fn latest_version() -> usize {
    include_str!("../src/store/postgres/schema.sql")
        .lines()
        .filter(|l| l.starts_with("-- migration "))
        .count()
}

postgres_only!(init_creates_the_latest_schema_then_opens_it_and_refuses_a_newer_one);
fn init_creates_the_latest_schema_then_opens_it_and_refuses_a_newer_one() {
    let s = Session::new();
    let latest = latest_version();
    let said = s.ok(&["init"]);
    assert!(
        said.starts_with(&format!(
            "created {} (schema version {latest}): 0 incidents",
            s.db_arg()
        )),
        "{said}"
    );
    assert_eq!(
        s.pg_query("SELECT version FROM schema_version"),
        [[latest.to_string()]]
    );
    assert_eq!(
        s.pg_query(
            "SELECT type, srid FROM geometry_columns \
             WHERE f_table_name = 'incidents' AND f_geometry_column = 'geom'"
        ),
        [["POINT", "4326"]]
    );
    assert_eq!(
        s.pg_query(
            "SELECT count(*) FROM pg_indexes \
             WHERE tablename = 'incidents' AND indexdef LIKE '%USING gist (geom)%'"
        ),
        [["1"]]
    );
    assert_eq!(
        s.pg_query(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) \
             WHERE i.indrelid = 'incidents'::regclass AND i.indisprimary"
        ),
        [["id", "bigint"]]
    );
    assert_eq!(
        s.pg_query(
            "SELECT rolname FROM pg_roles \
             WHERE rolname IN ('incidents_reader', 'incidents_editor', 'incidents_reviewer', \
             'incidents_admin') AND NOT rolcanlogin ORDER BY rolname"
        ),
        [
            ["incidents_admin"],
            ["incidents_editor"],
            ["incidents_reader"],
            ["incidents_reviewer"]
        ]
    );
    let said = s.ok(&["init"]);
    assert!(
        said.starts_with(&format!(
            "opened {} (schema version {latest}): 0 incidents",
            s.db_arg()
        )),
        "{said}"
    );

    // Any command creates the schema on a fresh database.
    let other = Session::new();
    assert_eq!(other.ok(&["list", "--format", "csv"]).lines().count(), 1);
    assert_eq!(
        other.pg_query("SELECT version FROM schema_version"),
        [[latest.to_string()]]
    );

    s.pg_exec("UPDATE schema_version SET version = 99");
    let before = s.snapshot();
    for args in [
        &["init"][..],
        &["list"],
        &[
            "add",
            "--date",
            "2025-07-01",
            "--type",
            "Battles",
            "--lat",
            "32.6",
            "--lon",
            "36.1",
        ],
    ] {
        let err = s.fails(args);
        assert!(
            err.contains(&format!(
                "database {} has schema version 99, newer than this program's {latest}",
                s.db_arg()
            )),
            "{args:?}: {err}"
        );
        assert_eq!(s.snapshot(), before, "{args:?} changed a newer database");
    }
}

postgres_only!(init_without_postgis_says_which_sql_an_administrator_must_run);
fn init_without_postgis_says_which_sql_an_administrator_must_run() {
    let s = Session::new();
    let carol = Login::new(&s, "carol", "LOGIN CREATEROLE", &[]);
    let bare = OwnDatabase {
        name: format!("{}_bare", dbname(&s)),
    };
    s.pg_exec(&format!(
        "CREATE DATABASE {} OWNER {} TEMPLATE template0",
        bare.name, carol.name
    ));
    let cluster = pg::cluster().expect("a cluster");
    let url = cluster.url(&carol.name, &bare.name);

    let err = fails_at(&s, &url, &["init"]);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("CREATE EXTENSION postgis;"), "{err}");
    assert!(
        err.contains(&format!("database {} on 127.0.0.1:{}", bare.name, port())),
        "{err}"
    );
    let mut c = cluster.connect(&bare.name);
    let tables: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .expect("count tables")
        .get(0);
    assert_eq!(tables, 0, "init left tables behind");
}

/// A thread's result, its panic passed on as the test's.
fn join<T>(h: thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// `incidents add` calls per adding process.
const ADDS: usize = 25;
/// Rows per imported file.
const ROWS: usize = 200;

postgres_only!(eight_writers_at_once_lose_no_row_and_share_no_uid);
fn eight_writers_at_once_lose_no_row_and_share_no_uid() {
    let s = Session::new();
    s.ok(&["init"]);
    let files: Vec<String> = (0..4)
        .map(|f| {
            let rows: Vec<_> = (0..ROWS)
                .map(|i| {
                    let point = (32.0 + i as f64 / 1000.0, 36.0 + f as f64 / 10.0);
                    (format!("FILE{f}-{i:04}"), Some(point))
                })
                .collect();
            let name = format!("file{f}.csv");
            s.file(&name, native_csv(&rows).as_bytes());
            name
        })
        .collect();
    // Four adders, four importers of their own file, and a fifth importer
    // of file 0 again: all start together.
    let importing: Vec<&String> = files.iter().chain([&files[0]]).collect();
    let start = Barrier::new(4 + importing.len());
    let (added, imported) = thread::scope(|scope| {
        let adders: Vec<_> = (0..4)
            .map(|a| {
                let (s, start) = (&s, &start);
                scope.spawn(move || {
                    start.wait();
                    (0..ADDS)
                        .map(|i| {
                            let (lat, lon) = (
                                format!("{}", 33.0 + a as f64 / 10.0),
                                format!("{}", 36.0 + i as f64 / 100.0),
                            );
                            s.ok(&[
                                "add",
                                "--date",
                                "2025-07-15",
                                "--type",
                                "Battles",
                                "--lat",
                                &lat,
                                "--lon",
                                &lon,
                            ])
                            .trim()
                            .to_string()
                        })
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        let importers: Vec<_> = importing
            .iter()
            .map(|file| {
                let (s, start) = (&s, &start);
                scope.spawn(move || {
                    start.wait();
                    s.ok(&["import", file])
                })
            })
            .collect();
        let added: Vec<String> = adders.into_iter().flat_map(join).collect();
        let imported: Vec<String> = importers.into_iter().map(join).collect();
        (added, imported)
    });

    let distinct: BTreeSet<&String> = added.iter().collect();
    assert_eq!(
        distinct.len(),
        4 * ADDS,
        "add printed a uid twice: {added:?}"
    );
    assert!(added.iter().all(|u| u.starts_with("INC-")), "{added:?}");
    let generated: BTreeSet<String> = s
        .pg_query("SELECT uid FROM incidents WHERE uid LIKE 'INC-%'")
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect();
    assert_eq!(generated, added.iter().cloned().collect());
    assert_eq!(
        s.pg_query("SELECT count(*), count(DISTINCT uid) FROM incidents"),
        [[
            (4 * ROWS + 4 * ADDS).to_string(),
            (4 * ROWS + 4 * ADDS).to_string()
        ]]
    );
    for f in 0..4 {
        assert_eq!(
            s.pg_query(&format!(
                "SELECT count(*) FROM incidents WHERE uid LIKE 'FILE{f}-%'"
            )),
            [[ROWS.to_string()]],
            "file{f}.csv"
        );
    }
    // file0.csv was imported twice at once: its rows were inserted once,
    // and the other import found them all unchanged.
    let twice = [&imported[0], &imported[4]];
    let new: u64 = twice.iter().map(|said| figure(said, "new")).sum();
    let unchanged: u64 = twice.iter().map(|said| figure(said, "unchanged")).sum();
    assert_eq!((new, unchanged), (ROWS as u64, ROWS as u64), "{twice:?}");
    assert_eq!(
        history_by(&s, &s.db_arg(), "FILE0-0000"),
        [("insert".to_string(), pg::ADMIN.to_string())]
    );
    let checked: serde_json::Value =
        serde_json::from_str(&s.ok(&["check", "--json"])).expect("check's JSON");
    assert_eq!(checked["incidents_checked"], 4 * ROWS + 4 * ADDS);
    assert_eq!(checked["problems"], serde_json::json!([]));
}

/// A CSV without the columns of when rows were written.
fn without_timestamps(csv: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().expect("a CSV header").clone();
    let keep: Vec<usize> = (0..headers.len())
        .filter(|&i| !["created_at", "updated_at"].contains(&&headers[i]))
        .collect();
    let mut rows = vec![keep.iter().map(|&i| headers[i].to_string()).collect()];
    for record in r.records() {
        let record = record.expect("a CSV row");
        rows.push(keep.iter().map(|&i| record[i].to_string()).collect());
    }
    rows
}

postgres_only!(a_backup_is_a_sqlite_file_with_the_servers_rows);
fn a_backup_is_a_sqlite_file_with_the_servers_rows() {
    let s = Session::seeded();
    let uid = s
        .ok(&[
            "add",
            "--date",
            "2025-07-04",
            "--type",
            "Battles",
            "--lat",
            "32.61",
            "--lon",
            "36.11",
            "--fatalities",
            "2",
        ])
        .trim()
        .to_string();
    s.ok(&["edit", &uid, "--title", "Edited on the server"]);
    s.ok(&["delete", "SEED-SY-2025-DARAA-ISF-DISMISSALS"]);
    s.file("square.geojson", SQUARE_REGION.as_bytes());
    s.ok(&[
        "regions",
        "import",
        "square.geojson",
        "--name-field",
        "name",
    ]);
    s.ok(&[
        "places",
        "add",
        "Tell Backup",
        "--lat",
        "32.65",
        "--lon",
        "36.15",
    ]);

    let said = s.ok(&["backup", "field.db"]);
    assert!(
        said.starts_with(&format!("backed up {} to field.db", s.db_arg())),
        "{said}"
    );
    let file = s.dir.path().join("field.db");
    let header = std::fs::read(&file).expect("read the backup");
    assert!(
        header.starts_with(b"SQLite format 3\0"),
        "not a SQLite file"
    );
    let file = file.to_str().expect("a UTF-8 path");

    let list = ["list", "--format", "csv"];
    let server = without_timestamps(&s.ok(&list));
    assert_eq!(server.len(), 1 + 7, "7 incidents and a header");
    assert_eq!(without_timestamps(&ok_at(&s, file, &list)), server);
    for args in [
        &[
            "report",
            "--from",
            "2020-01-01",
            "--to",
            "2025-12-31",
            "--format",
            "json",
        ][..],
        &[
            "report",
            "--year",
            "2025",
            "--region",
            "Team square",
            "--format",
            "json",
        ],
        &["list", "--region", "Team square", "--format", "json"],
        &["tally", "list"],
        &["geocode", "Tell Backup"],
    ] {
        assert_eq!(ok_at(&s, file, args), s.ok(args), "{args:?} on the backup");
    }

    // A reader may take an offline copy too.
    let alice = Login::new(&s, "alice", "LOGIN", &["incidents_reader"]);
    ok_at(&s, &s.url_as(&alice.name), &["backup", "reader.db"]);
    assert_eq!(without_timestamps(&ok_at(&s, "reader.db", &list)), server);
}

/// The operating-system user, as `id -un` says.
fn os_user() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("run id -un");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_string()
}

both!(history_names_the_user_and_the_name_given_with_as);
fn history_names_the_user_and_the_name_given_with_as() {
    let s = Session::new();
    let user = match s.backend() {
        Backend::Sqlite => os_user(),
        Backend::Postgres => pg::ADMIN.to_string(),
    };
    let add = [
        "add",
        "--date",
        "2025-07-05",
        "--type",
        "Battles",
        "--lat",
        "32.62",
        "--lon",
        "36.1",
    ];
    let plain = s.ok(&add).trim().to_string();
    let labelled = s
        .ok(&[&["--as", "Field team"], &add[..]].concat())
        .trim()
        .to_string();
    s.ok(&["--as", "Reviewer", "edit", &labelled, "--title", "Checked"]);
    let db = s.db_arg();
    assert_eq!(
        history_by(&s, &db, &plain),
        [("insert".to_string(), user.clone())]
    );
    assert_eq!(
        history_by(&s, &db, &labelled),
        [
            ("insert".to_string(), format!("{user} (as Field team)")),
            ("update".to_string(), format!("{user} (as Reviewer)"))
        ]
    );
}

fn merge_into_first(other: &str) -> MergeRecord {
    MergeRecord {
        other: other.into(),
        keep: "INC-000001".into(),
        filled: vec!["notes".into()],
        sources: Vec::new(),
    }
}

postgres_only!(editors_write_merges_and_readers_only_read_them);
fn editors_write_merges_and_readers_only_read_them() {
    let s = Session::new();
    s.ok(&["init"]);
    let alice = Login::new(&s, "alice", "LOGIN", &["incidents_reader"]);
    let bob = Login::new(&s, "bob", "LOGIN", &["incidents_editor"]);
    let open = |login: &str| {
        store::open(&Location::parse(&s.url_as(login)), &Author::default()).expect("open")
    };
    let mut editor = open(&bob.name);
    store::write(editor.as_mut(), |w| {
        w.save_merge(&merge_into_first("INC-000002"))?;
        w.save_merge(&merge_into_first("INC-000003"))?;
        w.take_merge("INC-000003").map(drop)
    })
    .expect("an editor saves and takes merges");

    let mut reader = open(&alice.name);
    store::write(reader.as_mut(), |w| {
        assert_eq!(
            w.merges_into("INC-000001")?,
            [merge_into_first("INC-000002")]
        );
        Ok(())
    })
    .expect("a reader reads merges");
    let before = s.snapshot();
    let refusal = format!("{} may read but not change this database", alice.name);
    let saved = store::write(reader.as_mut(), |w| {
        w.save_merge(&merge_into_first("INC-000004"))
    });
    let taken = store::write(reader.as_mut(), |w| w.take_merge("INC-000002").map(drop));
    for e in [saved, taken] {
        let e = e.expect_err("a reader writes merges").to_string();
        assert!(e.contains(&refusal), "{e}");
    }
    assert_eq!(s.snapshot(), before, "a reader changed the merges");
}

postgres_only!(a_version_1_database_is_migrated_keeping_its_rows_and_history);
fn a_version_1_database_is_migrated_keeping_its_rows_and_history() {
    // The group roles belong to the cluster: another database's init makes them.
    Session::new().ok(&["init"]);
    let s = Session::new();
    let schema = include_str!("../src/store/postgres/schema.sql");
    let v1 = schema.split("-- migration 2").next().expect("migration 1");
    s.pg_exec(&format!(
        "GRANT USAGE, CREATE ON SCHEMA public TO incidents_admin; SET ROLE incidents_admin; {v1}; \
         UPDATE schema_version SET version = 1; RESET ROLE; \
         INSERT INTO incidents (uid, event_type, date_start, date_end, date_precision, latitude, \
         longitude, tags, created_at, updated_at) VALUES ('OLD-1', 'Battles', '2020-01-01', \
         '2020-01-01', 'day', 32.61234567891234, 36.1, '[\"a\"]', 'x', 'x'); \
         UPDATE incidents SET notes = 'edited' WHERE uid = 'OLD-1';"
    ));
    let docs = "SELECT incident_doc(i)::text FROM incidents i";
    let history = "SELECT action, old::text, new::text FROM history ORDER BY id";
    let (doc_before, history_before) = (s.pg_query(docs), s.pg_query(history));

    let said = s.ok(&["init"]);
    assert!(
        said.contains(&format!(
            "(schema version {}): 1 incidents",
            latest_version()
        )),
        "{said}"
    );
    // Migration 2 adds nothing to an unmerged incident's document;
    // migration 3 adds its status, last, to it and to the history's.
    let reviewed = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|v| match v.strip_suffix('}') {
                        Some(doc) => format!("{doc}, \"status\" : \"reviewed\" }}"),
                        None => v,
                    })
                    .collect()
            })
            .collect()
    };
    assert_eq!(s.pg_query(docs), reviewed(doc_before));
    assert_eq!(s.pg_query(history), reviewed(history_before));
    let old = s.json(&["show", "OLD-1"]);
    assert_eq!(old["notes"], "edited");
    assert_eq!(old["status"], "reviewed");
    assert!(old.get("merged_into").is_none());
    assert_eq!(
        s.pg_query(
            "SELECT r, p, has_table_privilege(r, 'merges', p) FROM \
             unnest(array['incidents_reader', 'incidents_editor']) r, \
             unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p ORDER BY r, p"
        ),
        [
            ["incidents_editor", "DELETE", "t"],
            ["incidents_editor", "INSERT", "t"],
            ["incidents_editor", "SELECT", "t"],
            ["incidents_editor", "UPDATE", "t"],
            ["incidents_reader", "DELETE", "f"],
            ["incidents_reader", "INSERT", "f"],
            ["incidents_reader", "SELECT", "t"],
            ["incidents_reader", "UPDATE", "f"],
        ]
    );

    let mut db = store::open(&Location::parse(&s.db_arg()), &Author::default()).expect("open");
    store::write(db.as_mut(), |w| {
        let mut i = w.get_incident("OLD-1")?.expect("stored");
        i.merged_into = Some("OLD-2".into());
        w.update_incident(&i)?;
        w.save_merge(&merge_into_first("OLD-1"))
    })
    .expect("merge a migrated row");
    let h = s.json(&["history", "OLD-1"]);
    let h = h.as_array().expect("history");
    assert_eq!(h.len(), 3, "{h:?}");
    assert!(
        h[2]["changes"]
            .as_str()
            .is_some_and(|c| c.contains("merged_into: null -> \"OLD-2\"")),
        "{h:?}"
    );
}

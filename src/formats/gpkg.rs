//! OGC GeoPackage 1.3 output: incidents as a point layer
//! with an R-tree spatial index, readable by QGIS and GDAL. The file is built
//! under a temporary name and only appears at its real path once `finish`
//! succeeds, so a failed export never leaves a file that looks complete.
//! Writes its own SQLite file; it never touches the incidents database.

use std::fs::{self, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::formats::csv::{COLUMNS, ColumnKind, column_kind, incident_row};
use crate::formats::geojson::round_coordinate;
use crate::model::{Incident, check_coordinates};

/// 'GPKG' in ASCII (spec 1.1.1.1.1, Requirement 2).
const APPLICATION_ID: i32 = 0x4750_4B47;
/// Version 1.3.0 as MMmmpp (spec 1.1.1.1.1, Requirement 2).
const USER_VERSION: i32 = 10300;
/// WGS 84 longitude/latitude.
const SRS_ID: i32 = 4326;
const GEOMETRY_COLUMN: &str = "geom";

/// The core tables of spec 1.1.2 (gpkg_spatial_ref_sys, with the three rows of
/// Requirement 11), 1.1.3 (gpkg_contents), 2.1.5 (gpkg_geometry_columns) and
/// 2.3.2 (gpkg_extensions), as in Annex C.
const CORE_SCHEMA: &str = r#"
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',
   'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',
   'undefined geographic coordinate reference system');
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
"#;

/// The SQL type of a native CSV column in the feature table (dates and
/// times stay ISO 8601 text, as GeoPackage stores them).
fn column_type(column: &str) -> &'static str {
    match column_kind(column) {
        ColumnKind::Real => "REAL",
        ColumnKind::Integer => "INTEGER",
        ColumnKind::Text | ColumnKind::Date | ColumnKind::Timestamp => "TEXT",
    }
}

/// A flat-row cell as an SQL value of the column's type. Unknown values
/// (JSON null) stay NULL, so unknown fatalities never become 0.
fn sql_value(column: &str, value: Option<&Value>) -> SqlValue {
    match (column_type(column), value) {
        (_, None | Some(Value::Null)) => SqlValue::Null,
        ("INTEGER", Some(Value::Number(n))) if n.is_i64() => {
            n.as_i64().map_or(SqlValue::Null, SqlValue::Integer)
        }
        ("REAL", Some(Value::Number(n))) => n.as_f64().map_or(SqlValue::Null, SqlValue::Real),
        (_, Some(Value::String(s))) => SqlValue::Text(s.clone()),
        (_, Some(other)) => SqlValue::Text(other.to_string()),
    }
}

/// A StandardGeoPackageBinary point (spec 2.1.3, GeoPackageBinaryHeader):
/// magic "GP", version 0, flags 0b0000_0011 (little-endian, envelope type 1),
/// srs_id, envelope [minx, maxx, miny, maxy], then the point as
/// little-endian WKB.
fn point_blob(buf: &mut Vec<u8>, x: f64, y: f64) -> std::io::Result<()> {
    const FLAGS: u8 = 0b0000_0011;
    buf.clear();
    buf.extend_from_slice(b"GP");
    buf.push(0);
    buf.push(FLAGS);
    buf.extend_from_slice(&SRS_ID.to_le_bytes());
    for v in [x, x, y, y] {
        buf.extend_from_slice(&v.to_le_bytes());
    }
    let options = wkb::writer::WriteOptions {
        endianness: wkb::Endianness::LittleEndian,
    };
    wkb::writer::write_point(buf, &geo::Point::new(x, y), &options).map_err(std::io::Error::other)
}

/// Checks a layer name: it becomes a table name and part of the names of the
/// index table and triggers, so it is kept to a plain SQL identifier.
fn check_layer(layer: &str) -> Result<()> {
    let plain = layer.len() <= 63
        && layer.starts_with(|c: char| c.is_ascii_alphabetic())
        && layer.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let lower = layer.to_ascii_lowercase();
    if !plain || lower.starts_with("gpkg_") || lower.starts_with("sqlite_") {
        return Err(Error::invalid(
            "layer name",
            layer,
            "1 to 63 ASCII letters, digits or underscores, starting with a letter \
             and not with gpkg_ or sqlite_",
        ));
    }
    Ok(())
}

/// Writes incidents as a point layer of an OGC GeoPackage (1.3) that QGIS and
/// GDAL open directly.
///
/// Everything is written in one transaction into a temporary file beside
/// `path`; [`GpkgWriter::finish`] builds the spatial index, commits and moves
/// the file into place. Dropping the writer without finishing removes the
/// temporary file.
pub struct GpkgWriter {
    /// `None` only once `finish` has closed it.
    conn: Option<Connection>,
    path: PathBuf,
    temp: PathBuf,
    layer: String,
    insert_sql: String,
    /// [min_x, min_y, max_x, max_y] of the features written so far.
    bounds: Option<[f64; 4]>,
    written: u64,
    skipped: u64,
    blob: Vec<u8>,
    /// True once the temporary file has been moved to `path`.
    done: bool,
}

impl GpkgWriter {
    /// Creates `path` (refusing to overwrite an existing file) with a point
    /// layer `layer` (e.g. "incidents").
    pub fn create(path: &Path, layer: &str) -> Result<GpkgWriter> {
        check_layer(layer)?;
        if path.symlink_metadata().is_ok() {
            return Err(refuse_overwrite(path));
        }
        let name = path.file_name().ok_or_else(|| {
            Error::invalid(
                "output file",
                path.display(),
                "a path ending in a file name",
            )
        })?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = create_temp(dir, &name.to_string_lossy())?;
        let mut writer = GpkgWriter {
            conn: None,
            path: path.to_path_buf(),
            temp,
            layer: layer.to_string(),
            insert_sql: String::new(),
            bounds: None,
            written: 0,
            skipped: 0,
            blob: Vec::with_capacity(64),
            done: false,
        };
        // On error `writer` is dropped here, which removes the temporary file.
        writer.init()?;
        Ok(writer)
    }

    fn init(&mut self) -> Result<()> {
        let conn = Connection::open(&self.temp).map_err(|e| self.sqlite_error(e))?;
        let t = &self.layer;
        let columns: String = COLUMNS
            .iter()
            .map(|c| format!(",\n  \"{c}\" {}", column_type(c)))
            .collect();
        // The file is only made visible after COMMIT succeeds, so losing it
        // half-written is harmless: no journal, no syncs while building.
        let sql = format!(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -65536;
             PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {USER_VERSION};
             BEGIN;
             {CORE_SCHEMA}
             CREATE TABLE \"{t}\" (
               fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
               \"{GEOMETRY_COLUMN}\" POINT{columns}
             );
             INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
               VALUES ('{t}', 'features', '{t}', {SRS_ID});
             INSERT INTO gpkg_geometry_columns VALUES
               ('{t}', '{GEOMETRY_COLUMN}', 'POINT', {SRS_ID}, 0, 0);"
        );
        conn.execute_batch(&sql).map_err(|e| self.sqlite_error(e))?;
        let names: String = COLUMNS.iter().map(|c| format!(", \"{c}\"")).collect();
        let marks = ", ?".repeat(COLUMNS.len());
        self.insert_sql =
            format!("INSERT INTO \"{t}\" (\"{GEOMETRY_COLUMN}\"{names}) VALUES (?{marks})");
        self.conn = Some(conn);
        Ok(())
    }

    /// Adds one incident; incidents without coordinates are skipped and
    /// counted (returns `Ok(false)`).
    pub fn write(&mut self, inc: &Incident) -> Result<bool> {
        let (Some(lat), Some(lon)) = (inc.latitude, inc.longitude) else {
            self.skipped += 1;
            return Ok(false);
        };
        check_coordinates(lat, lon).map_err(|e| Error::Input {
            input: self.path.display().to_string(),
            location: format!("incident {}", inc.uid.as_deref().unwrap_or("(without uid)")),
            reason: e.to_string(),
        })?;
        let (x, y) = (round_coordinate(lon), round_coordinate(lat));
        point_blob(&mut self.blob, x, y).map_err(|e| Error::io(self.path.display(), e))?;
        let row = incident_row(inc)?;
        let mut values = Vec::with_capacity(COLUMNS.len() + 1);
        values.push(SqlValue::Blob(self.blob.clone()));
        for c in COLUMNS {
            values.push(match *c {
                // The same rounded values as the geometry: `finish` fills the
                // spatial index from these columns.
                "latitude" => SqlValue::Real(y),
                "longitude" => SqlValue::Real(x),
                _ => sql_value(c, row.get(*c)),
            });
        }
        let conn = self.conn()?;
        conn.prepare_cached(&self.insert_sql)
            .and_then(|mut stmt| stmt.execute(rusqlite::params_from_iter(values)))
            .map_err(|e| self.sqlite_error(e))?;
        self.bounds = Some(match self.bounds {
            None => [x, y, x, y],
            Some([x0, y0, x1, y1]) => [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
        });
        self.written += 1;
        Ok(true)
    }

    /// Incidents skipped so far because they have no coordinates.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Builds the spatial index and commits, then moves the file to its path.
    /// Until this returns `Ok` there is no file at the path. Returns the number
    /// of features written.
    pub fn finish(mut self) -> Result<u64> {
        let conn = self.conn.take().ok_or_else(|| self.closed_error())?;
        let t = &self.layer;
        let c = GEOMETRY_COLUMN;
        let [min_x, min_y, max_x, max_y] = match self.bounds {
            Some(b) => b.map(|v| v.to_string()),
            None => ["NULL"; 4].map(String::from),
        };
        // The index is filled from the latitude/longitude columns, which hold
        // exactly the geometry's coordinates (see `write`); the triggers
        // (spec Annex F.3, GeoPackage 1.3) keep it valid for later edits in
        // GDAL or QGIS, which provide the ST_ functions they call.
        let sql = format!(
            "UPDATE gpkg_contents SET
               min_x = {min_x}, min_y = {min_y}, max_x = {max_x}, max_y = {max_y},
               last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE table_name = '{t}';
             INSERT INTO gpkg_extensions VALUES
               ('{t}', '{c}', 'gpkg_rtree_index',
                'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
             CREATE VIRTUAL TABLE \"rtree_{t}_{c}\" USING rtree(id, minx, maxx, miny, maxy);
             INSERT INTO \"rtree_{t}_{c}\"
               SELECT fid, longitude, longitude, latitude, latitude FROM \"{t}\"
               WHERE \"{c}\" IS NOT NULL;
             CREATE TRIGGER \"rtree_{t}_{c}_insert\" AFTER INSERT ON \"{t}\"
               WHEN (new.\"{c}\" NOT NULL AND NOT ST_IsEmpty(NEW.\"{c}\"))
             BEGIN
               INSERT OR REPLACE INTO \"rtree_{t}_{c}\" VALUES (
                 NEW.fid,
                 ST_MinX(NEW.\"{c}\"), ST_MaxX(NEW.\"{c}\"),
                 ST_MinY(NEW.\"{c}\"), ST_MaxY(NEW.\"{c}\"));
             END;
             CREATE TRIGGER \"rtree_{t}_{c}_update1\" AFTER UPDATE OF \"{c}\" ON \"{t}\"
               WHEN OLD.fid = NEW.fid AND
                    (NEW.\"{c}\" NOTNULL AND NOT ST_IsEmpty(NEW.\"{c}\"))
             BEGIN
               INSERT OR REPLACE INTO \"rtree_{t}_{c}\" VALUES (
                 NEW.fid,
                 ST_MinX(NEW.\"{c}\"), ST_MaxX(NEW.\"{c}\"),
                 ST_MinY(NEW.\"{c}\"), ST_MaxY(NEW.\"{c}\"));
             END;
             CREATE TRIGGER \"rtree_{t}_{c}_update2\" AFTER UPDATE OF \"{c}\" ON \"{t}\"
               WHEN OLD.fid = NEW.fid AND
                    (NEW.\"{c}\" ISNULL OR ST_IsEmpty(NEW.\"{c}\"))
             BEGIN
               DELETE FROM \"rtree_{t}_{c}\" WHERE id = OLD.fid;
             END;
             CREATE TRIGGER \"rtree_{t}_{c}_update3\" AFTER UPDATE ON \"{t}\"
               WHEN OLD.fid != NEW.fid AND
                    (NEW.\"{c}\" NOTNULL AND NOT ST_IsEmpty(NEW.\"{c}\"))
             BEGIN
               DELETE FROM \"rtree_{t}_{c}\" WHERE id = OLD.fid;
               INSERT OR REPLACE INTO \"rtree_{t}_{c}\" VALUES (
                 NEW.fid,
                 ST_MinX(NEW.\"{c}\"), ST_MaxX(NEW.\"{c}\"),
                 ST_MinY(NEW.\"{c}\"), ST_MaxY(NEW.\"{c}\"));
             END;
             CREATE TRIGGER \"rtree_{t}_{c}_update4\" AFTER UPDATE ON \"{t}\"
               WHEN OLD.fid != NEW.fid AND
                    (NEW.\"{c}\" ISNULL OR ST_IsEmpty(NEW.\"{c}\"))
             BEGIN
               DELETE FROM \"rtree_{t}_{c}\" WHERE id IN (OLD.fid, NEW.fid);
             END;
             CREATE TRIGGER \"rtree_{t}_{c}_delete\" AFTER DELETE ON \"{t}\"
               WHEN old.\"{c}\" NOT NULL
             BEGIN
               DELETE FROM \"rtree_{t}_{c}\" WHERE id = OLD.fid;
             END;
             COMMIT;"
        );
        conn.execute_batch(&sql).map_err(|e| self.sqlite_error(e))?;
        conn.close().map_err(|(_, e)| self.sqlite_error(e))?;
        // Built with synchronous = OFF: flush it before it gets its name.
        fs::File::open(&self.temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(self.temp.display(), e))?;
        self.move_into_place()?;
        Ok(self.written)
    }

    /// Gives the finished temporary file its real name without replacing a
    /// file that appeared there meanwhile: a hard link fails if the name is
    /// taken; where links are not supported, check and rename.
    fn move_into_place(&mut self) -> Result<()> {
        match fs::hard_link(&self.temp, &self.path) {
            Ok(()) => {
                self.done = true;
                fs::remove_file(&self.temp).map_err(|e| Error::io(self.temp.display(), e))
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(refuse_overwrite(&self.path)),
            Err(_) if self.path.symlink_metadata().is_ok() => Err(refuse_overwrite(&self.path)),
            Err(_) => {
                fs::rename(&self.temp, &self.path)
                    .map_err(|e| Error::io(self.path.display(), e))?;
                self.done = true;
                Ok(())
            }
        }
    }

    fn conn(&self) -> Result<&Connection> {
        self.conn.as_ref().ok_or_else(|| self.closed_error())
    }

    fn closed_error(&self) -> Error {
        Error::io(
            self.path.display(),
            std::io::Error::other("GeoPackage writer already closed"),
        )
    }

    /// An SQLite error while building the file, naming the file.
    fn sqlite_error(&self, e: rusqlite::Error) -> Error {
        Error::io(
            self.path.display(),
            std::io::Error::other(format!("writing GeoPackage: {e}")),
        )
    }
}

impl Drop for GpkgWriter {
    fn drop(&mut self) {
        // Close before removing, so that no handle keeps the file alive.
        drop(self.conn.take());
        if !self.done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

fn refuse_overwrite(path: &Path) -> Error {
    Error::invalid(
        "output file",
        path.display(),
        "a path where no file exists yet (GeoPackage output never overwrites a file)",
    )
}

/// Creates a new, empty temporary file in `dir` (an empty file is a valid
/// empty SQLite database), named after the output so a leftover is traceable.
fn create_temp(dir: &Path, name: &str) -> Result<PathBuf> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let temp = dir.join(format!(".{name}.{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(_) => return Ok(temp),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(Error::io(temp.display(), e)),
        }
    }
    Err(Error::io(
        dir.display(),
        last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSpan, Fatalities, GeoPrecision, Source};

    fn daraa() -> Incident {
        let mut i = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        i.uid = Some("INC-000001".into());
        i.title = Some("Clash near Daraa".into());
        i.place = Some("Daraa".into());
        i.latitude = Some(32.612_345_678);
        i.longitude = Some(36.1);
        i.geo_precision = Some(GeoPrecision::Exact);
        i.country = Some("SY".into());
        i.fatalities = Fatalities {
            best: Some(3),
            low: Some(2),
            high: None,
        };
        i.tags = vec!["south".into(), "clash".into()];
        i.sources = vec![Source {
            publisher: "SOHR".into(),
            ..Source::default()
        }];
        i
    }

    fn others() -> [Incident; 2] {
        let mut homs = Incident::new("Protests", DateSpan::parse("d", "2025-06").unwrap());
        homs.uid = Some("INC-000002".into());
        homs.latitude = Some(34.73);
        homs.longitude = Some(36.71);
        let mut nowhere = Incident::new("Riots", DateSpan::parse("d", "2025").unwrap());
        nowhere.uid = Some("INC-000003".into());
        [homs, nowhere]
    }

    fn written(dir: &Path) -> PathBuf {
        let path = dir.join("out.gpkg");
        let mut w = GpkgWriter::create(&path, "incidents").unwrap();
        assert!(w.write(&daraa()).unwrap());
        let [homs, nowhere] = others();
        assert!(w.write(&homs).unwrap());
        assert!(!w.write(&nowhere).unwrap());
        assert_eq!(w.skipped(), 1);
        assert!(!path.exists(), "no file before finish");
        assert_eq!(w.finish().unwrap(), 2);
        path
    }

    fn names(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn writes_a_conformant_geopackage() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path());
        assert_eq!(names(dir.path()), ["out.gpkg"], "temporary file removed");
        let db = Connection::open(&path).unwrap();
        let pragma = |p: &str| -> i64 {
            db.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pragma("application_id"), 0x4750_4B47);
        assert_eq!(pragma("user_version"), 10300);
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let fk: i64 = db
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0);

        let srs: Vec<i64> = db
            .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(srs, [-1, 0, 4326]);

        let contents: (String, String, f64, f64, f64, f64, i64, String) = db
            .query_row(
                "SELECT data_type, identifier, min_x, min_y, max_x, max_y, srs_id, last_change
                 FROM gpkg_contents WHERE table_name = 'incidents'",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            (contents.0.as_str(), contents.1.as_str()),
            ("features", "incidents")
        );
        assert_eq!(
            (contents.2, contents.3, contents.4, contents.5),
            (36.1, 32.612346, 36.71, 34.73)
        );
        assert_eq!(contents.6, 4326);
        assert!(contents.7.ends_with('Z'), "{}", contents.7);

        let geom_col: (String, String, i64, i64, i64) = db
            .query_row(
                "SELECT column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns
                 WHERE table_name = 'incidents'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(geom_col, ("geom".into(), "POINT".into(), 4326, 0, 0));

        let ext: (String, String, String) = db
            .query_row(
                "SELECT column_name, extension_name, scope FROM gpkg_extensions
                 WHERE table_name = 'incidents'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            ext,
            (
                "geom".into(),
                "gpkg_rtree_index".into(),
                "write-only".into()
            )
        );
        let rtree: i64 = db
            .query_row("SELECT count(*) FROM rtree_incidents_geom", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(rtree, 2);
        let triggers: i64 = db
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
                 AND name LIKE 'rtree_incidents_geom_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(triggers, 6);
    }

    #[test]
    fn geometry_blob_is_geopackage_binary() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path());
        let db = Connection::open(&path).unwrap();
        let blob: Vec<u8> = db
            .query_row(
                "SELECT geom FROM incidents WHERE uid = 'INC-000001'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(blob.len(), 8 + 32 + 21);
        assert_eq!(&blob[..4], b"GP\x00\x03");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4326);
        let f64_at = |at: usize| f64::from_le_bytes(blob[at..at + 8].try_into().unwrap());
        assert_eq!(
            [f64_at(8), f64_at(16), f64_at(24), f64_at(32)],
            [36.1, 36.1, 32.612346, 32.612346]
        );
        // WKB: little-endian byte order mark, type 1 (Point), x, y.
        assert_eq!(blob[40], 1);
        assert_eq!(u32::from_le_bytes(blob[41..45].try_into().unwrap()), 1);
        assert_eq!((f64_at(45), f64_at(53)), (36.1, 32.612346));
    }

    #[test]
    fn columns_are_typed_and_unknown_is_null() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path());
        let db = Connection::open(&path).unwrap();
        let cols: Vec<(String, String)> = db
            .prepare("SELECT name, type FROM pragma_table_info('incidents')")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut expected = vec![
            ("fid".to_string(), "INTEGER".to_string()),
            ("geom".into(), "POINT".into()),
        ];
        expected.extend(
            COLUMNS
                .iter()
                .map(|c| (c.to_string(), column_type(c).to_string())),
        );
        assert_eq!(cols, expected);

        type Row = (
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            i64,
            String,
            String,
            f64,
        );
        let row: Row = db
            .query_row(
                "SELECT date_start, fatalities, fatalities_low, fatalities_high, geo_precision,
                        tags, sources, latitude
                 FROM incidents WHERE uid = 'INC-000001'",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(row.0, "2025-06-17");
        assert_eq!((row.1, row.2, row.3), (Some(3), Some(2), None));
        assert_eq!(row.4, 1);
        assert_eq!(row.5, "south;clash");
        assert!(
            row.6.starts_with('[') && row.6.contains("SOHR"),
            "{}",
            row.6
        );
        assert_eq!(row.7, 32.612346);
        let homs_fatalities: Option<i64> = db
            .query_row(
                "SELECT fatalities FROM incidents WHERE uid = 'INC-000002'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(homs_fatalities, None, "unknown is NULL, not 0");
    }

    #[test]
    fn unfinished_writer_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.gpkg");
        let mut w = GpkgWriter::create(&path, "incidents").unwrap();
        w.write(&daraa()).unwrap();
        drop(w);
        assert!(!path.exists());
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.gpkg");
        fs::write(&path, "keep me").unwrap();
        let e = GpkgWriter::create(&path, "incidents").err().unwrap();
        assert!(matches!(e, Error::Invalid { .. }), "{e}");
        assert!(e.to_string().contains("out.gpkg"), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "keep me");

        let late = dir.path().join("late.gpkg");
        let w = GpkgWriter::create(&late, "incidents").unwrap();
        fs::write(&late, "appeared meanwhile").unwrap();
        let e = w.finish().unwrap_err();
        assert!(e.to_string().contains("late.gpkg"), "{e}");
        assert_eq!(fs::read_to_string(&late).unwrap(), "appeared meanwhile");
        let mut left = names(dir.path());
        left.sort();
        assert_eq!(left, ["late.gpkg", "out.gpkg"]);
    }

    #[test]
    fn rejects_bad_layer_names_and_coordinates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.gpkg");
        for bad in ["", "1st", "gpkg_x", "a b", "x\"y", "rtree'"] {
            assert!(GpkgWriter::create(&path, bad).is_err(), "{bad:?}");
        }
        let mut w = GpkgWriter::create(&path, "Daraa_2025").unwrap();
        let mut bad = daraa();
        bad.latitude = Some(f64::NAN);
        let e = w.write(&bad).unwrap_err().to_string();
        assert!(e.contains("out.gpkg") && e.contains("INC-000001"), "{e}");
        assert_eq!(w.finish().unwrap(), 0);
        let db = Connection::open(&path).unwrap();
        let bounds: Option<f64> = db
            .query_row("SELECT min_x FROM gpkg_contents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(bounds, None);
    }
}

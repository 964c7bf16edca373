//! User places (added to the bundled gazetteer), custom region polygons,
//! and which custom regions hold each incident: kept here, on every write of
//! an incident or a region, so that no caller has to.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::filter_sql::in_box;
use super::{SqliteStore, SqliteWriter};
use crate::error::Result;
use crate::geo::Region;
use crate::store::PlaceRow;
use crate::store::custom::{CustomRegions, changed_box, custom_region, geometry_json};

impl SqliteWriter<'_> {
    /// Adds a place (or updates it, when it has a GeoNames id already stored).
    pub fn upsert_place(&mut self, p: &PlaceRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO places (name, alt_names, latitude, longitude, country, feature_code, \
                 population, geonameid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (geonameid) DO UPDATE SET name = excluded.name, \
                 alt_names = excluded.alt_names, latitude = excluded.latitude, \
                 longitude = excluded.longitude, country = excluded.country, \
                 feature_code = excluded.feature_code, population = excluded.population",
            )?
            .execute(params![
                p.name,
                serde_json::to_string(&p.alt_names)?,
                p.latitude,
                p.longitude,
                p.country,
                p.feature_code,
                p.population as i64,
                p.geonameid
            ])?;
        Ok(())
    }

    /// Stores a custom region (replacing one with the same code) and links
    /// the incidents it holds, and unlinks those only the polygon it
    /// replaces held.
    pub fn upsert_custom_region(&mut self, region: &Region, source: &str) -> Result<()> {
        let replaced: Option<(String, String)> = self
            .tx
            .query_row(
                "SELECT name, geometry FROM custom_regions WHERE code = ?1",
                params![region.code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let old = replaced
            .map(|(name, geometry)| custom_region(&region.code, &name, &geometry))
            .transpose()?;
        self.tx.execute(
            "INSERT INTO custom_regions (code, name, geometry, source) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, geometry = excluded.geometry, \
             source = excluded.source",
            params![region.code, region.name, geometry_json(region)?, source],
        )?;
        if let Some(custom) = &mut self.custom {
            custom.add(region.clone());
        }
        let Some(b) = changed_box(region, old.as_ref()) else {
            return Ok(());
        };
        // Only points inside the new or the old polygon's box can change.
        let points: Vec<(i64, f64, f64)> = {
            let mut args = Vec::new();
            let sql = format!(
                "SELECT i.id, i.latitude, i.longitude FROM incidents i WHERE {}",
                in_box(&mut args, &b)
            );
            let mut stmt = self.tx.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, lat, lon) in points {
            self.link_custom_regions(id, Some((lat, lon)), true)?;
        }
        Ok(())
    }

    /// Links an incident (by row id) to the custom regions its point lies
    /// in, after dropping its old links when `replace` is set.
    pub(super) fn link_custom_regions(
        &mut self,
        id: i64,
        point: Option<(f64, f64)>,
        replace: bool,
    ) -> Result<()> {
        if self.custom.is_none() {
            self.custom = Some(CustomRegions::new(read_custom_regions(&self.tx)?));
        }
        let Some(custom) = &self.custom else {
            return Ok(());
        };
        if custom.is_empty() {
            return Ok(());
        }
        if replace {
            self.tx
                .prepare_cached("DELETE FROM incident_regions WHERE incident_id = ?1")?
                .execute(params![id])?;
        }
        let Some((lat, lon)) = point else {
            return Ok(());
        };
        for code in custom.containing(lat, lon) {
            self.tx
                .prepare_cached(
                    "INSERT INTO incident_regions (region_code, incident_id) VALUES (?1, ?2)",
                )?
                .execute(params![code, id])?;
        }
        Ok(())
    }
}

fn read_custom_regions(conn: &rusqlite::Connection) -> Result<Vec<Region>> {
    let mut stmt = conn.prepare("SELECT code, name, geometry FROM custom_regions ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (code, name, geometry) = row?;
        out.push(custom_region(&code, &name, &geometry)?);
    }
    Ok(out)
}

impl SqliteStore {
    /// Every user place.
    pub fn places(&self) -> Result<Vec<PlaceRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, alt_names, latitude, longitude, country, feature_code, population, \
             geonameid FROM places ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let alt: String = r.get(2)?;
            let pop: i64 = r.get(7)?;
            Ok(PlaceRow {
                id: r.get(0)?,
                name: r.get(1)?,
                alt_names: serde_json::from_str(&alt).unwrap_or_default(),
                latitude: r.get(3)?,
                longitude: r.get(4)?,
                country: r.get(5)?,
                feature_code: r.get(6)?,
                population: pop.max(0) as u64,
                geonameid: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every custom region.
    pub fn custom_regions(&self) -> Result<Vec<Region>> {
        read_custom_regions(&self.conn)
    }

    /// The custom regions each incident is linked to, by uid (codes sorted;
    /// incidents in none are left out).
    pub fn incident_custom_regions(&self) -> Result<HashMap<String, Vec<String>>> {
        let mut stmt = self.conn.prepare(
            "SELECT i.uid, l.region_code FROM incident_regions l \
             JOIN incidents i ON i.id = l.incident_id ORDER BY i.uid, l.region_code",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for row in rows {
            let (uid, code) = row?;
            out.entry(uid).or_default().push(code);
        }
        Ok(out)
    }
}

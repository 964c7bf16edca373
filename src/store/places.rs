//! User places (added to the bundled gazetteer) and custom region polygons.

use rusqlite::params;

use super::{Store, Writer};
use crate::error::Result;

/// A stored custom region: its code, name and GeoJSON geometry text.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRegionRow {
    pub code: String,
    pub name: String,
    pub geometry: String,
}

/// A stored user place.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    pub id: i64,
    pub name: String,
    pub alt_names: Vec<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub country: Option<String>,
    pub feature_code: String,
    pub population: u64,
    pub geonameid: Option<i64>,
}

impl Writer<'_> {
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

    /// Stores a custom region (replacing the geometry of one with the same code).
    pub fn upsert_custom_region(&mut self, r: &CustomRegionRow, source: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO custom_regions (code, name, geometry, source) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, geometry = excluded.geometry, \
             source = excluded.source",
            params![r.code, r.name, r.geometry, source],
        )?;
        Ok(())
    }

    /// Replaces the custom-region links of every incident: `regions_of` gives
    /// the codes of the custom regions containing a point.
    pub fn relink_custom_regions(
        &mut self,
        mut regions_of: impl FnMut(f64, f64) -> Vec<String>,
    ) -> Result<()> {
        self.tx.execute("DELETE FROM incident_regions", [])?;
        let points: Vec<(i64, f64, f64)> = {
            let mut stmt = self.tx.prepare(
                "SELECT id, latitude, longitude FROM incidents WHERE latitude IS NOT NULL",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, lat, lon) in points {
            self.link_custom_regions(id, &regions_of(lat, lon))?;
        }
        Ok(())
    }

    /// Links the incident with this uid to the given custom regions.
    pub fn set_incident_custom_regions(&mut self, uid: &str, codes: &[String]) -> Result<()> {
        let id: i64 = self
            .tx
            .prepare_cached("SELECT id FROM incidents WHERE uid = ?1")?
            .query_row(params![uid], |r| r.get(0))?;
        self.tx
            .prepare_cached("DELETE FROM incident_regions WHERE incident_id = ?1")?
            .execute(params![id])?;
        self.link_custom_regions(id, codes)
    }

    fn link_custom_regions(&self, id: i64, codes: &[String]) -> Result<()> {
        for code in codes {
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO incident_regions (region_code, incident_id) VALUES (?1, ?2)",
                )?
                .execute(params![code, id])?;
        }
        Ok(())
    }
}

impl Store {
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
    pub fn custom_regions(&self) -> Result<Vec<CustomRegionRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT code, name, geometry FROM custom_regions ORDER BY code")?;
        let rows = stmt.query_map([], |r| {
            Ok(CustomRegionRow {
                code: r.get(0)?,
                name: r.get(1)?,
                geometry: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

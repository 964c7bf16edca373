//! User places, custom region polygons, and which custom regions hold each
//! incident: kept here, on every write of an incident or a region.

use std::collections::HashMap;

use postgres::GenericClient;

use super::filter_sql::in_box;
use super::{Params, PgWriter, refs};
use crate::error::Result;
use crate::geo::Region;
use crate::store::PlaceRow;
use crate::store::custom::{CustomRegions, changed_box, custom_region, geometry_json};

impl PgWriter<'_> {
    /// Adds a place (or updates it, when it has a GeoNames id already stored).
    pub fn upsert_place(&mut self, p: &PlaceRow) -> Result<()> {
        self.tx()?.execute(
            "INSERT INTO places (name, alt_names, latitude, longitude, country, feature_code, \
             population, geonameid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (geonameid) DO UPDATE SET name = EXCLUDED.name, \
             alt_names = EXCLUDED.alt_names, latitude = EXCLUDED.latitude, \
             longitude = EXCLUDED.longitude, country = EXCLUDED.country, \
             feature_code = EXCLUDED.feature_code, population = EXCLUDED.population",
            &[
                &p.name,
                &serde_json::to_string(&p.alt_names)?,
                &p.latitude,
                &p.longitude,
                &p.country,
                &p.feature_code,
                &(p.population as i64),
                &p.geonameid,
            ],
        )?;
        Ok(())
    }

    /// Stores a custom region (replacing one with the same code), links the
    /// incidents it holds and unlinks those only the polygon it replaces held.
    pub fn upsert_custom_region(&mut self, region: &Region, source: &str) -> Result<()> {
        let old = self
            .tx()?
            .query_opt(
                "SELECT name, geometry FROM custom_regions WHERE code = $1",
                &[&region.code],
            )?
            .map(|r| custom_region(&region.code, r.get(0), r.get(1)))
            .transpose()?;
        // Read the others before this one is stored, then add it as given
        // (not parsed back from the database).
        self.custom_regions()?;
        self.tx()?.execute(
            "INSERT INTO custom_regions (code, name, geometry, source) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, \
             geometry = EXCLUDED.geometry, source = EXCLUDED.source",
            &[&region.code, &region.name, &geometry_json(region)?, &source],
        )?;
        self.custom_regions()?.add(region.clone());
        let Some(b) = changed_box(region, old.as_ref()) else {
            return Ok(());
        };
        // Only points inside the new or the old polygon's box can change.
        let mut args: Params = Vec::new();
        let sql = format!(
            "SELECT i.id, i.latitude, i.longitude FROM incidents i WHERE {}",
            in_box(&mut args, &b)
        );
        let points: Vec<(i64, f64, f64)> = self
            .tx()?
            .query(&sql, &refs(&args))?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        for (id, lat, lon) in points {
            let codes = self.custom_regions()?.containing(lat, lon);
            self.relink(id, &codes)?;
        }
        Ok(())
    }

    /// The custom regions, read when first needed in this transaction.
    pub(super) fn custom_regions(&mut self) -> Result<&mut CustomRegions> {
        if self.custom.is_none() {
            let regions = custom_regions(&mut *self.tx.borrow_mut())?;
            self.custom = Some(CustomRegions::new(regions));
        }
        Ok(self
            .custom
            .get_or_insert_with(|| CustomRegions::new(Vec::new())))
    }

    /// Links a stored incident to exactly these custom regions.
    pub(super) fn relink(&mut self, id: i64, codes: &[String]) -> Result<()> {
        let mut tx = self.tx()?;
        tx.execute(
            "DELETE FROM incident_regions WHERE incident_id = $1",
            &[&id],
        )?;
        tx.execute(
            "INSERT INTO incident_regions (region_code, incident_id) SELECT unnest($2::text[]), $1",
            &[&id, &codes],
        )?;
        Ok(())
    }
}

/// Every user place.
pub(super) fn places(c: &mut impl GenericClient) -> Result<Vec<PlaceRow>> {
    Ok(c.query(
        "SELECT id, name, alt_names, latitude, longitude, country, feature_code, population, \
         geonameid FROM places ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| PlaceRow {
        id: r.get(0),
        name: r.get(1),
        alt_names: serde_json::from_str(r.get(2)).unwrap_or_default(),
        latitude: r.get(3),
        longitude: r.get(4),
        country: r.get(5),
        feature_code: r.get(6),
        population: r.get::<_, i64>(7).max(0) as u64,
        geonameid: r.get(8),
    })
    .collect())
}

/// Every custom region.
pub(super) fn custom_regions(c: &mut impl GenericClient) -> Result<Vec<Region>> {
    c.query(
        "SELECT code, name, geometry FROM custom_regions ORDER BY code",
        &[],
    )?
    .iter()
    .map(|r| custom_region(r.get(0), r.get(1), r.get(2)))
    .collect()
}

/// The custom regions each incident is linked to, by uid (codes sorted).
pub(super) fn incident_custom_regions(
    c: &mut impl GenericClient,
) -> Result<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for r in c.query(
        "SELECT i.uid, l.region_code FROM incident_regions l \
         JOIN incidents i ON i.id = l.incident_id ORDER BY i.uid, l.region_code",
        &[],
    )? {
        out.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(out)
}

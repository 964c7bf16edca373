//! Adding an incident: validated, located (its coordinates, a place name
//! geocoded, or a region's label point), credited to its regions and stored
//! (the store links it to the custom regions it lies in).

use crate::error::Result;
use crate::locate::{self, Locator};
use crate::model::{GeoPrecision, Incident};
use crate::store::Store;

/// Adds `inc` and returns its uid (the one it has, else a new one). Without
/// coordinates, its `place` is geocoded, or, without a place, `region` (a
/// name or code of the region the incident is only known to) gives the
/// region's label point. Coordinates without a geo precision are exact.
pub fn add(
    store: &mut dyn Store,
    locator: &Locator,
    mut inc: Incident,
    region: Option<&str>,
) -> Result<String> {
    if inc.latitude.is_some() {
        inc.geo_precision.get_or_insert(GeoPrecision::Exact);
    }
    inc.normalize()?;
    inc.fatalities.validate()?;
    if inc.latitude.is_none() {
        if let Some(place) = &inc.place {
            let chosen = locator.place(store, place, inc.country.as_deref())?;
            locate::set_place(&mut inc, &chosen);
        } else if let Some(region) = region {
            // A name shared across countries means the one given, else the
            // one the database already holds incidents in.
            let preferred = match &inc.country {
                Some(c) => vec![c.clone()],
                None => store.countries()?,
            };
            let preferred: Vec<&str> = preferred.iter().map(String::as_str).collect();
            let r = locate::resolve_region_in(locator.regions, region, &preferred, &mut |m| {
                (locator.note)(m)
            })?;
            locate::set_region_label(&mut inc, r);
        }
    }
    locator.assign_regions(&mut inc)?;
    crate::store::write(store, |w| w.insert_incident(&inc))
}

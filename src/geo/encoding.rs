//! The bundled regions as [`Region`]s: written into and read from the data
//! file (gzip-compressed, as committed in `data/`) by the data build, and
//! decoded one at a time from the in-place bundle (`bundle` has the format).

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use geo::{Coord, LineString, MultiPolygon, Polygon};

pub use super::bundle::quantize;
use super::bundle::{Bundle, Meta, push_geometry, read_data, read_polygon, start_data};
use super::region::Region;
use crate::Error;

fn data_error(reason: String) -> Error {
    Error::Data {
        what: "regions file".into(),
        reason,
    }
}

/// Writes regions in the bundled format (gzip-compressed).
pub fn encode_regions(regions: &[Region]) -> Result<Vec<u8>, Error> {
    let meta: Vec<Meta> = regions
        .iter()
        .map(|r| Meta {
            code: r.code.clone(),
            pcode: r.pcode.clone(),
            name: r.name.clone(),
            name_ar: r.name_ar.clone(),
            alt_names: r.alt_names.clone(),
            level: r.level,
            country: r.country.clone(),
            parent: r.parent.clone(),
            label: r.label,
        })
        .collect();
    let mut raw = start_data(&meta).map_err(data_error)?;
    for r in regions {
        let polygons = r.geometry.0.iter().map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(|ring| ring.0.iter().map(|c| (c.x, c.y)))
                .collect::<Vec<_>>()
        });
        push_geometry(&mut raw, polygons)
            .map_err(|e| data_error(format!("region {}: {e}", r.code)))?;
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&raw)?;
    Ok(gz.finish()?)
}

/// Reads regions written by [`encode_regions`].
pub fn decode_regions(gz: &[u8]) -> Result<Vec<Region>, Error> {
    let mut raw = Vec::new();
    GzDecoder::new(gz).read_to_end(&mut raw)?;
    let (meta, offsets) = read_data(&raw).map_err(data_error)?;
    let mut regions = Vec::with_capacity(meta.len());
    for (m, polygons) in meta.into_iter().zip(offsets) {
        let polygons = polygons
            .into_iter()
            .map(|at| {
                raw.get(at..)
                    .and_then(decode_polygon)
                    .ok_or_else(|| data_error(format!("polygon at byte {at} is truncated")))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        regions.push(Region {
            code: m.code,
            pcode: m.pcode,
            name: m.name,
            name_ar: m.name_ar,
            alt_names: m.alt_names,
            level: m.level,
            country: m.country,
            parent: m.parent,
            label: m.label,
            geometry: MultiPolygon(polygons),
        });
    }
    Ok(regions)
}

/// The polygon whose rings start at `bytes`.
pub(crate) fn decode_polygon(bytes: &[u8]) -> Option<Polygon<f64>> {
    let rings = read_polygon(bytes, |x, y| Coord { x, y })?;
    let mut rings = rings.into_iter().map(LineString);
    let exterior = rings.next()?;
    Some(Polygon::new(exterior, rings.collect()))
}

/// Region `i` of the bundle, with its polygons or without (empty geometry).
pub(crate) fn bundled_region(bundle: &Bundle, i: usize, with_geometry: bool) -> Region {
    let geometry = if with_geometry {
        bundle
            .polygons(i)
            .filter_map(|p| decode_polygon(bundle.polygon_bytes(p)))
            .collect()
    } else {
        Vec::new()
    };
    Region {
        code: bundle.code(i).to_string(),
        pcode: bundle.pcode(i).map(str::to_string),
        name: bundle.name(i).to_string(),
        name_ar: bundle.name_ar(i).map(str::to_string),
        alt_names: bundle.alt_names(i).map(str::to_string).collect(),
        level: bundle.level(i),
        country: bundle.country(i).to_string(),
        parent: bundle.parent(i).map(str::to_string),
        label: bundle.label(i),
        geometry: MultiPolygon(geometry),
    }
}

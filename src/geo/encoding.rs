//! The bundled regions file: gzip of a magic line, the region metadata as
//! JSON, then every geometry as little-endian integers (counts as u32,
//! coordinates as i32 micro-degree deltas, which compress well). Quantising
//! to 1e-6 degree (about 0.1 m) makes the decoded coordinates exactly the
//! ones the build step assigned places against.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::{Deserialize, Serialize};

use super::region::{Level, Region};
use crate::Error;

const MAGIC: &[u8; 8] = b"INCREG1\n";
const SCALE: f64 = 1e6;

#[derive(Serialize, Deserialize)]
struct Meta {
    code: String,
    pcode: Option<String>,
    name: String,
    name_ar: Option<String>,
    alt_names: Vec<String>,
    level: Level,
    country: String,
    parent: Option<String>,
    label: (f64, f64),
}

impl Meta {
    fn into_region(self, geometry: MultiPolygon<f64>) -> Region {
        Region {
            code: self.code,
            pcode: self.pcode,
            name: self.name,
            name_ar: self.name_ar,
            alt_names: self.alt_names,
            level: self.level,
            country: self.country,
            parent: self.parent,
            label: self.label,
            geometry,
        }
    }
}

/// Rounds a coordinate to the stored precision.
pub fn quantize(v: f64) -> f64 {
    (v * SCALE).round() / SCALE
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
    let json = serde_json::to_vec(&meta)?;
    let mut raw = Vec::with_capacity(json.len() + (1 << 20));
    raw.extend_from_slice(MAGIC);
    raw.extend_from_slice(&(json.len() as u32).to_le_bytes());
    raw.extend_from_slice(&json);
    for r in regions {
        raw.extend_from_slice(&(r.geometry.0.len() as u32).to_le_bytes());
        for polygon in &r.geometry.0 {
            raw.extend_from_slice(&(1 + polygon.interiors().len() as u32).to_le_bytes());
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                raw.extend_from_slice(&(ring.0.len() as u32).to_le_bytes());
                let (mut px, mut py) = (0i64, 0i64);
                for c in &ring.0 {
                    let (x, y) = ((c.x * SCALE).round() as i64, (c.y * SCALE).round() as i64);
                    raw.extend_from_slice(&((x - px) as i32).to_le_bytes());
                    raw.extend_from_slice(&((y - py) as i32).to_le_bytes());
                    (px, py) = (x, y);
                }
            }
        }
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&raw)?;
    Ok(gz.finish()?)
}

/// Reads only the regions' names, codes, levels and label points (the
/// geometry is left empty): the metadata comes first in the file, so this
/// decompresses a small part of it. For resolving and listing regions.
pub fn decode_region_names(gz: &[u8]) -> Result<Vec<Region>, Error> {
    let mut z = GzDecoder::new(gz);
    let mut head = vec![0u8; MAGIC.len() + 4];
    z.read_exact(&mut head)?;
    if &head[..MAGIC.len()] != MAGIC {
        return Err(Error::Data {
            what: "regions file".into(),
            reason: "not a regions file (bad magic)".into(),
        });
    }
    let mut len = [0u8; 4];
    len.copy_from_slice(&head[MAGIC.len()..]);
    let mut json = vec![0u8; u32::from_le_bytes(len) as usize];
    z.read_exact(&mut json)?;
    let meta: Vec<Meta> = serde_json::from_slice(&json)?;
    Ok(meta
        .into_iter()
        .map(|m| m.into_region(MultiPolygon(Vec::new())))
        .collect())
}

/// Reads regions written by [`encode_regions`].
pub fn decode_regions(gz: &[u8]) -> Result<Vec<Region>, Error> {
    let mut raw = Vec::new();
    GzDecoder::new(gz).read_to_end(&mut raw)?;
    let mut cur = Cursor { raw: &raw, pos: 0 };
    if cur.take(MAGIC.len())? != MAGIC {
        return Err(cur.error("not a regions file (bad magic)"));
    }
    let json_len = cur.u32()? as usize;
    let meta: Vec<Meta> = serde_json::from_slice(cur.take(json_len)?)?;
    let mut regions = Vec::with_capacity(meta.len());
    for m in meta {
        let n_polygons = cur.u32()?;
        let mut polygons = Vec::with_capacity(n_polygons as usize);
        for _ in 0..n_polygons {
            let n_rings = cur.u32()?;
            let mut rings = Vec::with_capacity(n_rings as usize);
            for _ in 0..n_rings {
                let n = cur.u32()? as usize;
                let mut coords = Vec::with_capacity(n);
                let (mut x, mut y) = (0i64, 0i64);
                for _ in 0..n {
                    x += i64::from(cur.i32()?);
                    y += i64::from(cur.i32()?);
                    coords.push(Coord {
                        x: x as f64 / SCALE,
                        y: y as f64 / SCALE,
                    });
                }
                rings.push(LineString(coords));
            }
            let mut rings = rings.into_iter();
            let Some(exterior) = rings.next() else {
                return Err(cur.error(&format!("region {} has a polygon without rings", m.code)));
            };
            polygons.push(Polygon::new(exterior, rings.collect()));
        }
        regions.push(m.into_region(MultiPolygon(polygons)));
    }
    Ok(regions)
}

struct Cursor<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn error(&self, reason: &str) -> Error {
        Error::Data {
            what: format!("regions data at byte {}", self.pos),
            reason: reason.to_string(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], Error> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.raw.len());
        let Some(end) = end else {
            return Err(self.error("truncated"));
        };
        let slice = &self.raw[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i32(&mut self) -> Result<i32, Error> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

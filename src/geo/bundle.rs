//! The bundled regions' two files, both embedded in the binary and read in
//! place. Free of the rest of the crate but the name keys, so build.rs
//! compiles it too: at build time it derives the index from the data file.
//!
//! - The data file (`data/regions.bin.gz`, decompressed into OUT_DIR by
//!   build.rs): a magic line, the region metadata as JSON, then every
//!   geometry as little-endian integers (per region its polygon count, per
//!   polygon its ring count, per ring its vertex count and the vertices as
//!   i32 micro-degree deltas from the ring's previous vertex, which
//!   compress well). Quantising to 1e-6 degree (about 0.1 m) makes the
//!   decoded coordinates exactly the ones the build step assigned places
//!   against.
//! - The index (`columns` layout): the metadata with the aliases of
//!   `data/region_aliases.tsv` merged in, each polygon's bounding box and
//!   where its rings start in the data file, and the name keys
//!   (`name_index`). Loading reads a few column headers; a region is
//!   decoded only when it is asked for, a polygon only when a point falls
//!   in its box.

use serde::{Deserialize, Serialize};

use crate::geo::columns::{F64s, Reader, Strings, U32s, Writer};
use crate::geo::level::Level;
use crate::geo::name_index::{NameTables, region_keys};

const MAGIC: &[u8; 8] = b"INCREG1\n";
const INDEX_MAGIC: &[u8; 8] = b"INCRIX1\n";
const SCALE: f64 = 1e6;

/// One region's metadata in the data file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
    pub code: String,
    pub pcode: Option<String>,
    pub name: String,
    pub name_ar: Option<String>,
    pub alt_names: Vec<String>,
    pub level: Level,
    pub country: String,
    pub parent: Option<String>,
    pub label: (f64, f64),
}

/// Rounds a coordinate to the stored precision.
pub fn quantize(v: f64) -> f64 {
    (v * SCALE).round() / SCALE
}

fn push_u32(out: &mut Vec<u8>, v: usize) -> Result<(), String> {
    let v = u32::try_from(v).map_err(|_| format!("{v} items: more than a u32 counts"))?;
    out.extend_from_slice(&v.to_le_bytes());
    Ok(())
}

/// Starts a data file with the regions' metadata; their geometries follow
/// with [`push_geometry`].
pub fn start_data(meta: &[Meta]) -> Result<Vec<u8>, String> {
    let json = serde_json::to_vec(meta).map_err(|e| e.to_string())?;
    let mut raw = Vec::with_capacity(json.len() + (1 << 20));
    raw.extend_from_slice(MAGIC);
    push_u32(&mut raw, json.len())?;
    raw.extend_from_slice(&json);
    Ok(raw)
}

/// Appends one region's geometry: polygons of rings of (x, y) vertices.
pub fn push_geometry<R, P>(out: &mut Vec<u8>, polygons: P) -> Result<(), String>
where
    R: ExactSizeIterator<Item = (f64, f64)>,
    P: ExactSizeIterator<Item = Vec<R>>,
{
    push_u32(out, polygons.len())?;
    for rings in polygons {
        push_u32(out, rings.len())?;
        for ring in rings {
            push_u32(out, ring.len())?;
            let (mut px, mut py) = (0i64, 0i64);
            for (x, y) in ring {
                let (x, y) = ((x * SCALE).round() as i64, (y * SCALE).round() as i64);
                let delta =
                    |d: i64| i32::try_from(d).map_err(|_| format!("a jump of {d} micro-degrees"));
                out.extend_from_slice(&delta(x - px)?.to_le_bytes());
                out.extend_from_slice(&delta(y - py)?.to_le_bytes());
                (px, py) = (x, y);
            }
        }
    }
    Ok(())
}

/// Reads little-endian integers, `None` past the end.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let b = self.bytes.get(self.pos..self.pos.checked_add(N)?)?;
        self.pos += N;
        b.try_into().ok()
    }

    fn u32(&mut self) -> Option<usize> {
        self.take().map(|b| u32::from_le_bytes(b) as usize)
    }

    fn i32(&mut self) -> Option<i64> {
        self.take().map(|b| i64::from(i32::from_le_bytes(b)))
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len())?;
        self.pos = end;
        Some(())
    }
}

/// A data file's metadata and the byte offsets of each region's polygons,
/// checked to the last byte.
pub fn read_data(raw: &[u8]) -> Result<(Vec<Meta>, Vec<Vec<usize>>), String> {
    let mut cur = Cursor { bytes: raw, pos: 0 };
    if cur.take::<8>().as_ref() != Some(MAGIC) {
        return Err("not a regions file (bad magic)".into());
    }
    let truncated = |pos: usize| format!("truncated at byte {pos}");
    let json_len = cur.u32().ok_or_else(|| truncated(cur.pos))?;
    let json_start = cur.pos;
    cur.skip(json_len).ok_or_else(|| truncated(json_start))?;
    let meta: Vec<Meta> =
        serde_json::from_slice(&raw[json_start..cur.pos]).map_err(|e| e.to_string())?;
    let mut offsets = Vec::with_capacity(meta.len());
    for m in &meta {
        let n = cur.u32().ok_or_else(|| truncated(cur.pos))?;
        let mut polygons = Vec::with_capacity(n.min(raw.len() / 4));
        for _ in 0..n {
            polygons.push(cur.pos);
            let rings = cur.u32().ok_or_else(|| truncated(cur.pos))?;
            if rings == 0 {
                return Err(format!("region {} has a polygon without rings", m.code));
            }
            for _ in 0..rings {
                let n = cur.u32().ok_or_else(|| truncated(cur.pos))?;
                cur.skip(n.saturating_mul(8))
                    .ok_or_else(|| truncated(cur.pos))?;
            }
        }
        offsets.push(polygons);
    }
    if cur.pos != raw.len() {
        return Err(format!(
            "{} bytes after the last region",
            raw.len() - cur.pos
        ));
    }
    Ok((meta, offsets))
}

/// The rings of the polygon at `bytes`, each vertex made by `coord(x, y)`;
/// `None` when the bytes end too soon (never for an offset from
/// [`read_data`] or the index).
pub fn read_polygon<C>(bytes: &[u8], mut coord: impl FnMut(f64, f64) -> C) -> Option<Vec<Vec<C>>> {
    let mut cur = Cursor { bytes, pos: 0 };
    let n_rings = cur.u32()?;
    let mut rings = Vec::with_capacity(n_rings.min(bytes.len() / 4));
    for _ in 0..n_rings {
        let n = cur.u32()?;
        let mut ring = Vec::with_capacity(n.min(bytes.len() / 8));
        let (mut x, mut y) = (0i64, 0i64);
        for _ in 0..n {
            x += cur.i32()?;
            y += cur.i32()?;
            ring.push(coord(x as f64 / SCALE, y as f64 / SCALE));
        }
        rings.push(ring);
    }
    Some(rings)
}

/// Adds the names of the alias table (`CODE<TAB>NAME` lines) to the regions.
fn merge_aliases(meta: &mut [Meta], aliases: &str) -> Result<(), String> {
    let by_code: std::collections::HashMap<String, usize> = meta
        .iter()
        .enumerate()
        .map(|(i, m)| (m.code.clone(), i))
        .collect();
    for (n, line) in aliases.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = |reason: &str| format!("data/region_aliases.tsv line {}: {reason}", n + 1);
        let (code, name) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected CODE<TAB>NAME"))?;
        let &i = by_code
            .get(code)
            .ok_or_else(|| bad("unknown region code"))?;
        let names = &mut meta[i].alt_names;
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(())
}

/// The index of a data file (see the module doc), with the alias table's
/// names added to its regions.
pub fn build_index(raw: &[u8], aliases: &str) -> Result<Vec<u8>, String> {
    let (mut meta, offsets) = read_data(raw)?;
    merge_aliases(&mut meta, aliases)?;
    // An empty string stands for a missing value in the index.
    let optional = |what: &str, field: fn(&Meta) -> Option<&str>| {
        meta.iter()
            .map(|m| match field(m) {
                Some("") => Err(format!("region {}: empty {what}", m.code)),
                v => Ok(v.unwrap_or_default()),
            })
            .collect::<Result<Vec<&str>, String>>()
    };
    let mut w = Writer::new(INDEX_MAGIC);
    w.strings(meta.iter().map(|m| m.code.as_str()))?;
    w.strings(optional("pcode", |m| m.pcode.as_deref())?)?;
    w.strings(meta.iter().map(|m| m.name.as_str()))?;
    w.strings(optional("name_ar", |m| m.name_ar.as_deref())?)?;
    w.strings(meta.iter().map(|m| m.country.as_str()))?;
    w.strings(optional("parent", |m| m.parent.as_deref())?)?;
    w.u32s(&starts(meta.iter().map(|m| m.alt_names.len())))?;
    w.strings(
        meta.iter()
            .flat_map(|m| m.alt_names.iter().map(String::as_str)),
    )?;
    w.u32s(&meta.iter().map(|m| level_code(m.level)).collect::<Vec<_>>())?;
    w.f64s(
        &meta
            .iter()
            .flat_map(|m| [m.label.0, m.label.1])
            .collect::<Vec<_>>(),
    )?;
    let (mut poly_offsets, mut boxes) = (Vec::new(), Vec::new());
    for polygons in &offsets {
        for &at in polygons {
            let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            read_polygon(&raw[at..], |x, y| {
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            })
            .ok_or_else(|| format!("polygon at byte {at} is truncated"))?;
            poly_offsets.push(u32::try_from(at).map_err(|_| "data file over 4 GB")?);
            boxes.extend(b);
        }
    }
    w.u32s(&starts(offsets.iter().map(Vec::len)))?;
    w.u32s(&poly_offsets)?;
    w.f64s(&boxes)?;
    let keys: Vec<_> = meta
        .iter()
        .enumerate()
        .map(|(id, m)| {
            let names = std::iter::once(&m.name)
                .chain(&m.name_ar)
                .chain(&m.alt_names)
                .chain(std::iter::once(&m.code))
                .chain(&m.pcode);
            (id as u32, region_keys(names.map(String::as_str), m.level))
        })
        .collect();
    NameTables::write(&mut w, &keys)?;
    Ok(w.finish())
}

/// Where each of a run of lists starts in their concatenation, given their
/// lengths, and where the last ends.
fn starts(lengths: impl Iterator<Item = usize>) -> Vec<u32> {
    let mut total = 0;
    std::iter::once(0)
        .chain(lengths.map(|n| {
            total += n as u32;
            total
        }))
        .collect()
}

fn level_code(level: Level) -> u32 {
    match level {
        Level::Admin1 => 0,
        Level::Admin2 => 1,
        Level::Custom => 2,
    }
}

/// The bundled regions, read in place from the index and the data file.
#[derive(Clone, Copy)]
pub struct Bundle<'a> {
    raw: &'a [u8],
    codes: Strings<'a>,
    pcodes: Strings<'a>,
    names: Strings<'a>,
    names_ar: Strings<'a>,
    countries: Strings<'a>,
    parents: Strings<'a>,
    alt_starts: U32s<'a>,
    alt_names: Strings<'a>,
    levels: U32s<'a>,
    labels: F64s<'a>,
    poly_starts: U32s<'a>,
    poly_offsets: U32s<'a>,
    poly_boxes: F64s<'a>,
    pub keys: NameTables<'a>,
}

impl std::fmt::Debug for Bundle<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bundle")
            .field("regions", &self.region_count())
            .field("polygons", &self.poly_offsets.len())
            .finish_non_exhaustive()
    }
}

fn some(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

impl<'a> Bundle<'a> {
    /// Opens an index written by [`build_index`] over the data file `raw`.
    pub fn read(index: &'a [u8], raw: &'a [u8]) -> Result<Bundle<'a>, String> {
        let mut r = Reader::new(index, INDEX_MAGIC)?;
        let b = Bundle {
            raw,
            codes: r.strings()?,
            pcodes: r.strings()?,
            names: r.strings()?,
            names_ar: r.strings()?,
            countries: r.strings()?,
            parents: r.strings()?,
            alt_starts: r.u32s()?,
            alt_names: r.strings()?,
            levels: r.u32s()?,
            labels: r.f64s()?,
            poly_starts: r.u32s()?,
            poly_offsets: r.u32s()?,
            poly_boxes: r.f64s()?,
            keys: NameTables::read(&mut r)?,
        };
        r.finish()?;
        let n = b.region_count();
        let polygons = b.poly_offsets.len();
        let fits = [
            b.pcodes.len() == n,
            b.names.len() == n,
            b.names_ar.len() == n,
            b.countries.len() == n,
            b.parents.len() == n,
            b.alt_starts.len() == n + 1 && b.alt_starts.get(n) as usize == b.alt_names.len(),
            b.levels.len() == n,
            b.labels.len() == 2 * n,
            b.poly_starts.len() == n + 1 && b.poly_starts.get(n) as usize == polygons,
            b.poly_boxes.len() == 4 * polygons,
        ];
        if fits.contains(&false) {
            return Err("columns of different lengths".into());
        }
        Ok(b)
    }

    pub fn region_count(&self) -> usize {
        self.codes.len()
    }

    pub fn code(&self, i: usize) -> &'a str {
        self.codes.get(i)
    }

    pub fn pcode(&self, i: usize) -> Option<&'a str> {
        some(self.pcodes.get(i))
    }

    pub fn name(&self, i: usize) -> &'a str {
        self.names.get(i)
    }

    pub fn name_ar(&self, i: usize) -> Option<&'a str> {
        some(self.names_ar.get(i))
    }

    pub fn alt_names(&self, i: usize) -> impl Iterator<Item = &'a str> + 'a {
        let names = self.alt_names;
        (self.alt_starts.get(i)..self.alt_starts.get(i + 1)).map(move |j| names.get(j as usize))
    }

    pub fn level(&self, i: usize) -> Level {
        match self.levels.get(i) {
            0 => Level::Admin1,
            1 => Level::Admin2,
            _ => Level::Custom,
        }
    }

    pub fn country(&self, i: usize) -> &'a str {
        self.countries.get(i)
    }

    pub fn parent(&self, i: usize) -> Option<&'a str> {
        some(self.parents.get(i))
    }

    /// (lat, lon)
    pub fn label(&self, i: usize) -> (f64, f64) {
        (self.labels.get(2 * i), self.labels.get(2 * i + 1))
    }

    /// The indices of region `i`'s polygons.
    pub fn polygons(&self, i: usize) -> std::ops::Range<usize> {
        self.poly_starts.get(i) as usize..self.poly_starts.get(i + 1) as usize
    }

    /// Polygon `p`'s bounding box: [min lon, min lat, max lon, max lat].
    pub fn polygon_box(&self, p: usize) -> [f64; 4] {
        std::array::from_fn(|k| self.poly_boxes.get(4 * p + k))
    }

    /// The data-file bytes where polygon `p` starts, for [`read_polygon`].
    pub fn polygon_bytes(&self, p: usize) -> &'a [u8] {
        self.raw
            .get(self.poly_offsets.get(p) as usize..)
            .unwrap_or_default()
    }
}

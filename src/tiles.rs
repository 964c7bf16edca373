//! Vector tiles of incidents (Mapbox Vector Tile, layer `incidents`).
//!
//! A [`PointIndex`] holds one selection's points sorted along a Morton
//! (Z-order) curve of Web Mercator coordinates, so that every tile is one
//! contiguous run found by two binary searches: a tile of a million points
//! is a scan of memory, never a query per tile. Below [`CLUSTER_BELOW`] the
//! points of one grid cell become one cluster feature with their count.

use geozero::GeomProcessor;
use geozero::mvt::{Message, MvtWriter, TagsBuilder, Tile, TileValue, tile};

use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::formats::palette;

/// Tile coordinates run from 0 to this on each side.
pub const EXTENT: u32 = 4096;
/// The deepest zoom served (a client overzooms past it).
pub const MAX_ZOOM: u8 = 16;
/// From this zoom on, every incident is a feature of its own.
pub const CLUSTER_BELOW: u8 = 12;
/// Clusters are the points of one cell of a GRID x GRID grid over the tile
/// (8 pixels of a 512-pixel tile).
const GRID: u32 = 64;
/// Bits of the world coordinate on each axis.
const BITS: u32 = 32;
/// Web Mercator stops here (the square world).
const MAX_LAT: f64 = 85.051_128_779_806_59;

/// One selection's points, ready to be cut into tiles.
#[derive(Debug, Default)]
pub struct PointIndex {
    entries: Vec<Entry>,
    /// Event type names, indexed by `Entry::kind`.
    types: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    key: u64,
    x: u32,
    y: u32,
    kind: u16,
    /// The best estimate; `None` when unknown.
    fatalities: Option<u32>,
    uid: Box<str>,
}

/// A tile address, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// Checks z/x/y (x and y below 2^z), naming the bad part.
    pub fn new(z: &str, x: &str, y: &str) -> Result<TileId> {
        let z: u8 = z
            .parse()
            .ok()
            .filter(|z| *z <= MAX_ZOOM)
            .ok_or_else(|| Error::invalid("z", z, format!("a zoom from 0 to {MAX_ZOOM}")))?;
        let side = 1u64 << z;
        let coord = |name: &str, v: &str| {
            v.parse::<u32>()
                .ok()
                .filter(|n| u64::from(*n) < side)
                .ok_or_else(|| {
                    Error::invalid(
                        name,
                        v,
                        format!("a tile column or row from 0 to {} at zoom {z}", side - 1),
                    )
                })
        };
        Ok(TileId {
            z,
            x: coord("x", x)?,
            y: coord("y", y)?,
        })
    }

    /// The world coordinates the tile covers: its origin and side.
    fn span(self) -> (u64, u64, u64) {
        let side = 1u64 << (BITS - u32::from(self.z));
        (u64::from(self.x) * side, u64::from(self.y) * side, side)
    }
}

/// Web Mercator world coordinates (0..2^32 on each axis, y down).
fn world(lon: f64, lat: f64) -> (u32, u32) {
    let scale = (1u64 << BITS) as f64;
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon.clamp(-180.0, 180.0) + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    let max = u32::MAX as f64;
    (
        (x * scale).clamp(0.0, max) as u32,
        (y * scale).clamp(0.0, max) as u32,
    )
}

/// Interleaves the bits of x and y (x in the even bits), so that the
/// points of a tile at any zoom share a key prefix.
fn morton(x: u32, y: u32) -> u64 {
    fn spread(v: u32) -> u64 {
        let mut v = u64::from(v);
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF;
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        v = (v | (v << 1)) & 0x5555_5555_5555_5555;
        v
    }
    spread(x) | (spread(y) << 1)
}

impl PointIndex {
    /// The points of the incidents `filter` selects that a map draws.
    pub fn build(db: &crate::Database, filter: &Filter) -> Result<PointIndex> {
        let mut index = PointIndex::default();
        let mut kinds = std::collections::HashMap::<String, u16>::new();
        db.for_each_point(filter, &mut |p| {
            let next = kinds.len() as u16;
            let kind = *kinds.entry(p.event_type.clone()).or_insert_with(|| {
                index.types.push(p.event_type.clone());
                next
            });
            let (x, y) = world(p.lon, p.lat);
            index.entries.push(Entry {
                key: morton(x, y),
                x,
                y,
                kind,
                fatalities: p.fatalities.map(|f| f.min(u64::from(u32::MAX)) as u32),
                uid: p.uid.into_boxed_str(),
            });
        })?;
        index.entries.sort_unstable_by_key(|e| e.key);
        Ok(index)
    }

    /// How many points the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The points inside a tile, as a run of the sorted entries.
    fn run(&self, id: TileId) -> &[Entry] {
        let shift = 2 * (BITS - u32::from(id.z));
        // The tile's own (x, y) interleaved is its points' key prefix.
        let prefix = morton(id.x, id.y);
        let lo = if shift == 64 { 0 } else { prefix << shift };
        let hi = if shift == 64 {
            u64::MAX
        } else {
            lo | ((1u64 << shift) - 1)
        };
        let start = self.entries.partition_point(|e| e.key < lo);
        let end = self.entries.partition_point(|e| e.key <= hi);
        &self.entries[start..end]
    }

    /// The tile as MVT bytes: one feature per incident from
    /// [`CLUSTER_BELOW`] on, one per occupied grid cell below it.
    pub fn tile(&self, id: TileId) -> Result<Vec<u8>> {
        let run = self.run(id);
        let (x0, y0, side) = id.span();
        // Position inside the tile, 0..EXTENT.
        let local = |e: &Entry| {
            let scale = |v: u32, o: u64| ((u64::from(v) - o) * u64::from(EXTENT) / side) as u32;
            (scale(e.x, x0), scale(e.y, y0))
        };
        let mut layer = Layer::default();
        if id.z >= CLUSTER_BELOW {
            for e in run {
                let (x, y) = local(e);
                layer.point(
                    x,
                    y,
                    1,
                    Some(&e.uid),
                    &self.types[e.kind as usize],
                    e.fatalities.map(u64::from),
                )?;
            }
        } else {
            let cell_size = EXTENT / GRID;
            let mut cells: Vec<Option<Cluster>> = Vec::new();
            cells.resize_with((GRID * GRID) as usize, || None);
            for (i, e) in run.iter().enumerate() {
                let (x, y) = local(e);
                let c =
                    ((y / cell_size).min(GRID - 1) * GRID + (x / cell_size).min(GRID - 1)) as usize;
                let cluster = cells[c].get_or_insert_with(|| Cluster::new(i, self.types.len()));
                cluster.add(x, y, e);
            }
            for cluster in cells.into_iter().flatten() {
                let (x, y) = cluster.centre();
                let kind = cluster.commonest();
                let uid = (cluster.n == 1).then(|| &*run[cluster.first].uid);
                layer.point(x, y, cluster.n, uid, &self.types[kind], cluster.fatalities)?;
            }
        }
        Ok(layer.finish())
    }
}

/// The points of one grid cell.
struct Cluster {
    n: u64,
    sum_x: u64,
    sum_y: u64,
    fatalities: Option<u64>,
    by_kind: Vec<u32>,
    first: usize,
}

impl Cluster {
    fn new(first: usize, kinds: usize) -> Cluster {
        Cluster {
            n: 0,
            sum_x: 0,
            sum_y: 0,
            fatalities: None,
            by_kind: vec![0; kinds],
            first,
        }
    }

    fn add(&mut self, x: u32, y: u32, e: &Entry) {
        self.n += 1;
        self.sum_x += u64::from(x);
        self.sum_y += u64::from(y);
        if let Some(f) = e.fatalities {
            self.fatalities = Some(self.fatalities.unwrap_or(0) + u64::from(f));
        }
        self.by_kind[e.kind as usize] += 1;
    }

    fn centre(&self) -> (u32, u32) {
        ((self.sum_x / self.n) as u32, (self.sum_y / self.n) as u32)
    }

    /// The commonest event type (the first seen of equals).
    fn commonest(&self) -> usize {
        let max = self.by_kind.iter().max().copied().unwrap_or(0);
        self.by_kind.iter().position(|n| *n == max).unwrap_or(0)
    }
}

/// The `incidents` layer being written.
#[derive(Default)]
struct Layer {
    features: Vec<tile::Feature>,
    tags: TagsBuilder,
}

impl Layer {
    fn point(
        &mut self,
        x: u32,
        y: u32,
        count: u64,
        uid: Option<&str>,
        event_type: &str,
        fatalities: Option<u64>,
    ) -> Result<()> {
        let mut geometry = MvtWriter::new_unscaled(EXTENT).map_err(mvt_error)?;
        geometry.point_begin(0).map_err(mvt_error)?;
        geometry
            .xy(f64::from(x), f64::from(y), 0)
            .map_err(mvt_error)?;
        geometry.point_end(0).map_err(mvt_error)?;
        let mut tags = Vec::with_capacity(10);
        let mut tag = |key: &str, value: TileValue| {
            let (k, v) = self.tags.insert_ref(key, value);
            tags.extend([k, v]);
        };
        tag("count", TileValue::Uint(count));
        if let Some(uid) = uid {
            tag("uid", TileValue::Str(uid.to_string()));
        }
        tag("event_type", TileValue::Str(event_type.to_string()));
        tag(
            "colour",
            TileValue::Str(palette::event_type_colour(event_type).to_string()),
        );
        if let Some(f) = fatalities {
            tag("fatalities", TileValue::Uint(f));
        }
        self.features.push(tile::Feature {
            id: Some(self.features.len() as u64 + 1),
            tags,
            r#type: Some(tile::GeomType::Point as i32),
            geometry: geometry.geometry().geometry.clone(),
        });
        Ok(())
    }

    fn finish(self) -> Vec<u8> {
        let (keys, values) = self.tags.into_tags();
        Tile {
            layers: vec![tile::Layer {
                version: 2,
                name: "incidents".into(),
                features: self.features,
                keys,
                values: values.into_iter().map(Into::into).collect(),
                extent: Some(EXTENT),
            }],
        }
        .encode_to_vec()
    }
}

fn mvt_error(e: geozero::error::GeozeroError) -> Error {
    Error::Data {
        what: "vector tile".into(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_are_checked_and_named() {
        assert!(TileId::new("0", "0", "0").is_ok());
        assert!(TileId::new("3", "7", "7").is_ok());
        for (z, x, y, field) in [
            ("17", "0", "0", "z"),
            ("a", "0", "0", "z"),
            ("3", "8", "0", "x"),
            ("3", "0", "-1", "y"),
        ] {
            match TileId::new(z, x, y) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{z}/{x}/{y}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_tile_is_the_run_of_keys_under_its_prefix() {
        // Damascus and Baghdad, and one point on the other side of the world.
        let mut index = PointIndex {
            types: vec!["Battles".into()],
            ..Default::default()
        };
        for (i, (lon, lat)) in [(36.3, 33.5), (44.4, 33.3), (-70.0, -33.0)]
            .iter()
            .enumerate()
        {
            let (x, y) = world(*lon, *lat);
            index.entries.push(Entry {
                key: morton(x, y),
                x,
                y,
                kind: 0,
                fatalities: Some(i as u32),
                uid: format!("INC-{i}").into(),
            });
        }
        index.entries.sort_unstable_by_key(|e| e.key);
        let whole = TileId::new("0", "0", "0").unwrap();
        assert_eq!(index.run(whole).len(), 3);
        // At zoom 1 the north-east quarter holds both Middle East points.
        assert_eq!(index.run(TileId::new("1", "1", "0").unwrap()).len(), 2);
        assert_eq!(index.run(TileId::new("1", "0", "1").unwrap()).len(), 1);
        assert_eq!(index.run(TileId::new("1", "0", "0").unwrap()).len(), 0);
        // Every point falls in exactly one tile of a zoom.
        for z in [4u8, 9, 16] {
            let n: usize = index
                .entries
                .iter()
                .map(|e| {
                    let t = TileId {
                        z,
                        x: e.x >> (BITS - u32::from(z)),
                        y: e.y >> (BITS - u32::from(z)),
                    };
                    assert!(index.run(t).iter().any(|o| o.uid == e.uid));
                    index.run(t).len()
                })
                .count();
            assert_eq!(n, 3);
        }
        let bytes = index.tile(whole).unwrap();
        let tile = Tile::decode(bytes.as_slice()).unwrap();
        assert_eq!(tile.layers[0].name, "incidents");
        assert_eq!(tile.layers[0].features.len(), 3);
    }
}

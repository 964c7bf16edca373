//! Point location over one layer of non-nested regions (all admin1, all
//! admin2, or the custom regions): which region contains a point, with the
//! border rule and the nearest-region fallback. Knows polygons and ranks,
//! not names or codes.
//!
//! Each polygon keeps its edges in horizontal bands, so a ray-casting test
//! only looks at the edges near the point's latitude. The bands are built
//! the first time a point falls in the polygon's bounding box (a bundled
//! polygon is decoded then): a command that places a few points decodes a
//! few polygons. Candidates come from a scan of the bounding boxes for the
//! first [`BULK_AFTER`] queries of a layer; after that (an import, a check)
//! the layer builds an R-tree over the boxes and, for a layer with a cell
//! size, a grid whose cells are either empty (no region within the
//! tolerance), wholly inside one region (answered without any geometry), or
//! mixed (a short list of the polygons to test). Whichever gives the
//! candidates, one rule ([`Layer::decide`]) picks among them, and a
//! candidate list only ever leaves out polygons that cannot hold the point
//! nor lie within the tolerance: every path gives the same answer.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use geo::{MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::encoding::decode_polygon;

/// How far (in degrees, planar) a point outside every region may be from the
/// nearest one and still be assigned to it: about 5.5 km of latitude. Covers
/// points just off a coast or across a simplified border.
pub const NEAREST_TOLERANCE_DEG: f64 = 0.05;

/// Queries a layer answers from a scan of its polygons' boxes before it
/// builds the R-tree and grid. Measured on the bundled admin1 layer (8,535
/// polygons, machine loaded): a scan costs ~15-40 us, building ~250-500 ms,
/// so past ~10,000 points the build has paid for itself; before it, never
/// more than twice the best of the two is spent. A command that places a
/// handful of points builds nothing; an import builds them early on.
pub(crate) const BULK_AFTER: u32 = 10_000;

const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Ground length of a degree of latitude (mean Earth radius).
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Inside,
    Boundary,
    Outside,
}

/// Where a point fell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    /// The caller's id of the region.
    pub region: u32,
    /// Some(km) when found by the nearest-region fallback.
    pub nearest_km: Option<f64>,
}

/// One polygon (exterior and holes) with its edges banded by latitude.
#[derive(Debug)]
struct BandedPolygon {
    bbox: [f64; 4],
    edges: Vec<[f64; 4]>,
    band_y0: f64,
    band_inv_h: f64,
    band_start: Vec<u32>,
    band_edges: Vec<u32>,
}

impl BandedPolygon {
    fn new(polygon: &Polygon<f64>) -> Option<BandedPolygon> {
        let mut edges = Vec::new();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for line in ring.lines() {
                let (a, b) = (line.start, line.end);
                if a != b {
                    edges.push([a.x, a.y, b.x, b.y]);
                }
            }
        }
        if edges.is_empty() {
            return None;
        }
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for e in &edges {
            bbox[0] = bbox[0].min(e[0].min(e[2]));
            bbox[1] = bbox[1].min(e[1].min(e[3]));
            bbox[2] = bbox[2].max(e[0].max(e[2]));
            bbox[3] = bbox[3].max(e[1].max(e[3]));
        }
        // About four edges per band keeps a test to a handful of edges.
        let bands = (edges.len() / 4).clamp(1, 4096);
        let height = (bbox[3] - bbox[1]).max(1e-9);
        let band_inv_h = bands as f64 / height;
        let band_of = |y: f64| (((y - bbox[1]) * band_inv_h) as usize).min(bands - 1);
        let mut counts = vec![0u32; bands + 1];
        for e in &edges {
            for band in band_of(e[1].min(e[3]))..=band_of(e[1].max(e[3])) {
                counts[band + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let band_start = counts.clone();
        let mut fill = counts;
        let mut band_edges = vec![0u32; band_start[bands] as usize];
        for (i, e) in edges.iter().enumerate() {
            for band in band_of(e[1].min(e[3]))..=band_of(e[1].max(e[3])) {
                band_edges[fill[band] as usize] = i as u32;
                fill[band] += 1;
            }
        }
        Some(BandedPolygon {
            bbox,
            edges,
            band_y0: bbox[1],
            band_inv_h,
            band_start,
            band_edges,
        })
    }

    fn bands(&self) -> usize {
        self.band_start.len() - 1
    }

    fn band_range(&self, y_min: f64, y_max: f64) -> std::ops::Range<usize> {
        let last = self.bands() - 1;
        let lo = ((y_min - self.band_y0) * self.band_inv_h).max(0.0) as usize;
        let hi = ((y_max - self.band_y0) * self.band_inv_h).max(0.0) as usize;
        let (lo, hi) = (lo.min(last), hi.min(last));
        self.band_start[lo] as usize..self.band_start[hi + 1] as usize
    }

    /// Even-odd ray casting towards +x over the edges of the point's band,
    /// with an exact on-segment test so that boundary points are recognised.
    fn side(&self, x: f64, y: f64) -> Side {
        if x < self.bbox[0] || x > self.bbox[2] || y < self.bbox[1] || y > self.bbox[3] {
            return Side::Outside;
        }
        let mut inside = false;
        for &i in &self.band_edges[self.band_range(y, y)] {
            let [x1, y1, x2, y2] = self.edges[i as usize];
            if (y1 > y) != (y2 > y) {
                let cross = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
                if cross == 0.0 {
                    return Side::Boundary;
                }
                // The edge crosses the ray right of the point when the
                // point lies on the edge's left for an upward edge.
                if (cross > 0.0) == (y2 > y1) {
                    inside = !inside;
                }
            } else if on_segment(x, y, x1, y1, x2, y2) {
                return Side::Boundary;
            }
        }
        if inside { Side::Inside } else { Side::Outside }
    }

    /// Planar distance in degrees to the nearest edge if within `tol`, with
    /// the closest point on that edge. Longitudes count `kx` times a degree
    /// of latitude: 1 for the plain lon/lat plane, cos(latitude) to measure
    /// ground distance near the point.
    fn nearest(&self, x: f64, y: f64, tol: f64, kx: f64) -> Option<(f64, f64, f64)> {
        let tol_x = tol / kx;
        if x < self.bbox[0] - tol_x
            || x > self.bbox[2] + tol_x
            || y < self.bbox[1] - tol
            || y > self.bbox[3] + tol
        {
            return None;
        }
        let mut best: Option<(f64, f64, f64)> = None;
        for &i in &self.band_edges[self.band_range(y - tol, y + tol)] {
            let [x1, y1, x2, y2] = self.edges[i as usize];
            let (dx, dy) = ((x2 - x1) * kx, y2 - y1);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (((x - x1) * kx * dx + (y - y1) * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (cx, cy) = (x1 + t * (x2 - x1), y1 + t * dy);
            let d = (((x - cx) * kx).powi(2) + (y - cy).powi(2)).sqrt();
            if d <= tol && best.is_none_or(|b| d < b.0) {
                best = Some((d, cx, cy));
            }
        }
        best
    }
}

fn on_segment(x: f64, y: f64, x1: f64, y1: f64, x2: f64, y2: f64) -> bool {
    x >= x1.min(x2)
        && x <= x1.max(x2)
        && y >= y1.min(y2)
        && y <= y1.max(y2)
        && (x2 - x1) * (y - y1) == (x - x1) * (y2 - y1)
}

/// Great-circle distance in km between two (lon, lat) points.
pub(crate) fn haversine_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

const EMPTY: u32 = u32::MAX;
const MIXED: u32 = 1 << 31;

/// A regular lon/lat grid of answers; see the module doc.
#[derive(Debug)]
struct Grid {
    x0: f64,
    y0: f64,
    inv_cell: f64,
    nx: usize,
    ny: usize,
    /// EMPTY, a region id (< MIXED), or MIXED | index into `list_start`.
    cells: Vec<u32>,
    list_start: Vec<u32>,
    lists: Vec<u32>,
}

impl Grid {
    /// Over every polygon of a layer, banded (decoded) now if not yet.
    fn build(layer: &[LayerPolygon], cell: f64, tol: f64) -> Grid {
        let polys: Vec<(usize, &LayerPolygon, &BandedPolygon)> = layer
            .iter()
            .enumerate()
            .filter_map(|(pi, p)| Some((pi, p, p.banded()?)))
            .collect();
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for (_, _, p) in &polys {
            bbox[0] = bbox[0].min(p.bbox[0]);
            bbox[1] = bbox[1].min(p.bbox[1]);
            bbox[2] = bbox[2].max(p.bbox[2]);
            bbox[3] = bbox[3].max(p.bbox[3]);
        }
        let x0 = ((bbox[0] - tol) / cell).floor() * cell;
        let y0 = ((bbox[1] - tol) / cell).floor() * cell;
        let nx = (((bbox[2] + tol - x0) / cell).ceil() as usize).max(1);
        let ny = (((bbox[3] + tol - y0) / cell).ceil() as usize).max(1);
        let inv_cell = 1.0 / cell;
        let col = |x: f64| (((x - x0) * inv_cell).max(0.0) as usize).min(nx - 1);
        let row = |y: f64| (((y - y0) * inv_cell).max(0.0) as usize).min(ny - 1);

        // Cells within `tol` of an edge (by the edge's widened bounding box)
        // need geometry; every other cell has one answer throughout.
        let mut pairs: Vec<u64> = Vec::new();
        for &(pi, _, p) in &polys {
            for e in &p.edges {
                for r in row(e[1].min(e[3]) - tol)..=row(e[1].max(e[3]) + tol) {
                    for c in col(e[0].min(e[2]) - tol)..=col(e[0].max(e[2]) + tol) {
                        pairs.push(((r * nx + c) as u64) << 32 | pi as u64);
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut border = vec![false; nx * ny];
        for &pair in &pairs {
            border[(pair >> 32) as usize] = true;
        }

        // Scanline fill at cell-centre latitudes: crossings of each polygon's
        // edges, paired up (even-odd), give the cells whose centres it covers.
        let mut cells = vec![EMPTY; nx * ny];
        let mut crossings: Vec<(u32, u32, f64)> = Vec::new();
        for &(pi, _, p) in &polys {
            for e in &p.edges {
                let (ylo, yhi) = (e[1].min(e[3]), e[1].max(e[3]));
                if ylo == yhi {
                    continue;
                }
                let first = ((ylo - y0) * inv_cell - 0.5).ceil().max(0.0) as usize;
                let mut r = first;
                while r < ny {
                    let yc = y0 + (r as f64 + 0.5) * cell;
                    if yc >= yhi {
                        break;
                    }
                    if yc >= ylo {
                        let x = e[0] + (yc - e[1]) * (e[2] - e[0]) / (e[3] - e[1]);
                        crossings.push((r as u32, pi as u32, x));
                    }
                    r += 1;
                }
            }
        }
        crossings.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
        for pair in crossings.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
            let (r, pi) = (pair[0].0 as usize, pair[0].1 as usize);
            for span in pair.chunks_exact(2) {
                let first = ((span[0].2 - x0) * inv_cell - 0.5).ceil().max(0.0) as usize;
                let last = ((span[1].2 - x0) * inv_cell - 0.5).ceil().max(0.0) as usize;
                for c in first..last.min(nx) {
                    let cell_id = r * nx + c;
                    if border[cell_id] {
                        // The centre is inside although no edge is near: an
                        // enclosing polygon must still be tested here.
                        pairs.push((cell_id as u64) << 32 | pi as u64);
                    } else {
                        let current = cells[cell_id];
                        let region = layer[pi].region;
                        let better = current == EMPTY
                            || layer
                                .iter()
                                .find(|q| q.region == current)
                                .is_some_and(|q| layer[pi].rank < q.rank);
                        if better {
                            cells[cell_id] = region;
                        }
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();

        let mut list_start = vec![0u32];
        let mut lists = Vec::with_capacity(pairs.len());
        for group in pairs.chunk_by(|a, b| a >> 32 == b >> 32) {
            let cell_id = (group[0] >> 32) as usize;
            cells[cell_id] = MIXED | (list_start.len() as u32 - 1);
            lists.extend(group.iter().map(|p| (p & 0xffff_ffff) as u32));
            list_start.push(lists.len() as u32);
        }
        Grid {
            x0,
            y0,
            inv_cell,
            nx,
            ny,
            cells,
            list_start,
            lists,
        }
    }

    fn lookup(&self, x: f64, y: f64) -> Lookup<'_> {
        let c = (x - self.x0) * self.inv_cell;
        let r = (y - self.y0) * self.inv_cell;
        if !(c >= 0.0 && r >= 0.0 && (c as usize) < self.nx && (r as usize) < self.ny) {
            return Lookup::Candidates(&[]);
        }
        let v = self.cells[r as usize * self.nx + c as usize];
        if v == EMPTY {
            Lookup::Candidates(&[])
        } else if v & MIXED == 0 {
            Lookup::Region(v)
        } else {
            let i = (v & !MIXED) as usize;
            Lookup::Candidates(
                &self.lists[self.list_start[i] as usize..self.list_start[i + 1] as usize],
            )
        }
    }
}

/// What a grid cell says.
enum Lookup<'a> {
    Region(u32),
    Candidates(&'a [u32]),
}

/// One polygon of a layer.
struct LayerPolygon {
    region: u32,
    /// Position of the region's code in code order: ties go to the smallest.
    rank: u32,
    /// Where a bundled polygon's rings start in the data file; empty for a
    /// polygon banded with its layer.
    bytes: &'static [u8],
    /// None for a polygon without edges, which holds no point.
    banded: OnceLock<Option<Box<BandedPolygon>>>,
}

impl LayerPolygon {
    fn banded(&self) -> Option<&BandedPolygon> {
        self.banded
            .get_or_init(|| {
                decode_polygon(self.bytes)
                    .and_then(|p| BandedPolygon::new(&p))
                    .map(Box::new)
            })
            .as_deref()
    }
}

impl std::fmt::Debug for LayerPolygon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayerPolygon")
            .field("region", &self.region)
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

/// What a layer builds once it has answered [`BULK_AFTER`] queries.
#[derive(Debug)]
struct Bulk {
    rtree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
    grid: Option<Grid>,
}

/// One layer of regions: see the module doc.
#[derive(Debug)]
pub(crate) struct Layer {
    polys: Vec<LayerPolygon>,
    /// Each polygon's [min x, min y, max x, max y], to find candidates:
    /// apart from the polygons, so that a scan reads nothing else.
    boxes: Vec<[f64; 4]>,
    grid_cell: Option<f64>,
    bulk_after: u32,
    queries: AtomicU32,
    bulk: OnceLock<Bulk>,
}

/// The box within `tol` of a point.
fn around(x: f64, y: f64, tol_x: f64, tol_y: f64) -> [f64; 4] {
    [x - tol_x, y - tol_y, x + tol_x, y + tol_y]
}

impl Layer {
    /// `regions` are (caller's id, rank by code, geometry), banded now;
    /// `grid_cell` in degrees, or None for a layer without a grid (small or
    /// often changed); `bulk_after`: see [`BULK_AFTER`].
    pub fn new<'a>(
        regions: impl IntoIterator<Item = (u32, u32, &'a MultiPolygon<f64>)>,
        grid_cell: Option<f64>,
        bulk_after: u32,
    ) -> Layer {
        let polys = regions
            .into_iter()
            .flat_map(|(id, rank, mp)| mp.0.iter().map(move |p| (id, rank, p)))
            .filter_map(|(region, rank, p)| {
                let banded = BandedPolygon::new(p)?;
                let bbox = banded.bbox;
                let polygon = LayerPolygon {
                    region,
                    rank,
                    bytes: &[],
                    banded: OnceLock::from(Some(Box::new(banded))),
                };
                Some((polygon, bbox))
            });
        Layer::with(polys, grid_cell, bulk_after)
    }

    /// Bundled polygons as (caller's id, rank by code, bounding box, bytes
    /// where its rings start), each decoded on first use; otherwise as
    /// [`Layer::new`].
    pub fn bundled(
        polygons: impl IntoIterator<Item = (u32, u32, [f64; 4], &'static [u8])>,
        grid_cell: Option<f64>,
        bulk_after: u32,
    ) -> Layer {
        let polys = polygons.into_iter().map(|(region, rank, bbox, bytes)| {
            let polygon = LayerPolygon {
                region,
                rank,
                bytes,
                banded: OnceLock::new(),
            };
            (polygon, bbox)
        });
        Layer::with(polys, grid_cell, bulk_after)
    }

    fn with(
        polys: impl Iterator<Item = (LayerPolygon, [f64; 4])>,
        grid_cell: Option<f64>,
        bulk_after: u32,
    ) -> Layer {
        let (polys, boxes) = polys.unzip();
        Layer {
            polys,
            boxes,
            grid_cell,
            bulk_after,
            queries: AtomicU32::new(0),
            bulk: OnceLock::new(),
        }
    }

    /// The R-tree and grid, once the layer has answered enough queries to
    /// repay them; counts this query.
    fn bulk(&self) -> Option<&Bulk> {
        if let Some(bulk) = self.bulk.get() {
            return Some(bulk);
        }
        if self.queries.fetch_add(1, Ordering::Relaxed) < self.bulk_after {
            return None;
        }
        Some(self.bulk.get_or_init(|| {
            let items = self
                .boxes
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    GeomWithData::new(
                        Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                        i as u32,
                    )
                })
                .collect();
            Bulk {
                rtree: RTree::bulk_load(items),
                grid: self
                    .grid_cell
                    .filter(|_| !self.polys.is_empty())
                    .map(|cell| Grid::build(&self.polys, cell, NEAREST_TOLERANCE_DEG)),
            }
        }))
    }

    /// Indices of the polygons whose box meets `[x0, y0, x1, y1]`, ascending.
    fn boxed(&self, bulk: Option<&Bulk>, [x0, y0, x1, y1]: [f64; 4]) -> Vec<u32> {
        match bulk {
            Some(bulk) => {
                let env = AABB::from_corners([x0, y0], [x1, y1]);
                let mut found: Vec<u32> = bulk
                    .rtree
                    .locate_in_envelope_intersecting(env)
                    .map(|g| g.data)
                    .collect();
                found.sort_unstable();
                found
            }
            None => (0..self.boxes.len() as u32)
                .filter(|&i| {
                    let b = &self.boxes[i as usize];
                    (b[0] <= x1) & (b[2] >= x0) & (b[1] <= y1) & (b[3] >= y0)
                })
                .collect(),
        }
    }

    /// The region containing (x = lon, y = lat): strictly inside wins; on a
    /// boundary (or inside several, where data overlap) the smallest rank
    /// wins; otherwise the nearest region within the tolerance.
    pub fn locate(&self, x: f64, y: f64) -> Option<Hit> {
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let bulk = self.bulk();
        let owned;
        let candidates: &[u32] = match bulk.and_then(|b| b.grid.as_ref()) {
            Some(grid) => match grid.lookup(x, y) {
                Lookup::Region(region) => {
                    return Some(Hit {
                        region,
                        nearest_km: None,
                    });
                }
                Lookup::Candidates(list) => list,
            },
            None => {
                let t = NEAREST_TOLERANCE_DEG;
                owned = self.boxed(bulk, around(x, y, t, t));
                &owned
            }
        };
        self.decide(x, y, candidates)
    }

    /// The rule of [`Layer::locate`] over candidate polygons, given in
    /// ascending order (so that exact ties resolve the same way whatever
    /// found them).
    fn decide(&self, x: f64, y: f64, candidates: &[u32]) -> Option<Hit> {
        let mut inside: Option<&LayerPolygon> = None;
        let mut boundary: Option<&LayerPolygon> = None;
        for &pi in candidates {
            let p = &self.polys[pi as usize];
            let Some(banded) = p.banded() else {
                continue;
            };
            let slot = match banded.side(x, y) {
                Side::Inside => &mut inside,
                Side::Boundary => &mut boundary,
                Side::Outside => continue,
            };
            if slot.is_none_or(|q| p.rank < q.rank) {
                *slot = Some(p);
            }
        }
        if let Some(p) = inside.or(boundary) {
            return Some(Hit {
                region: p.region,
                nearest_km: None,
            });
        }
        let mut best: Option<(f64, f64, f64, &LayerPolygon)> = None;
        for &pi in candidates {
            let p = &self.polys[pi as usize];
            let Some(banded) = p.banded() else {
                continue;
            };
            if let Some((d, cx, cy)) = banded.nearest(x, y, NEAREST_TOLERANCE_DEG, 1.0) {
                let better =
                    best.is_none_or(|(bd, _, _, bp)| d < bd || (d == bd && p.rank < bp.rank));
                if better {
                    best = Some((d, cx, cy, p));
                }
            }
        }
        best.map(|(_, cx, cy, p)| Hit {
            region: p.region,
            nearest_km: Some(haversine_km(x, y, cx, cy)),
        })
    }

    /// The nearest of the regions `accept` takes, in km to the nearest point
    /// of their boundaries, if within `max_km`; a point on a boundary is at
    /// 0 km. A region holding the point strictly is skipped: the caller asks
    /// only about regions the point was not given to, and inside one it was
    /// refused by the overlap rule, not by distance. Looks only at polygons
    /// whose box is that close.
    pub fn nearest_where(
        &self,
        x: f64,
        y: f64,
        max_km: f64,
        accept: impl Fn(u32) -> bool,
    ) -> Option<Hit> {
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let kx = y.to_radians().cos().max(0.01);
        let tol = max_km / KM_PER_DEGREE;
        // Nearest boxes first: once a region is found, farther boxes are
        // skipped and nearer edges narrow the search in the rest.
        let box_km = |b: &[f64; 4]| {
            let dx = (b[0] - x).max(x - b[2]).max(0.0) * kx;
            let dy = (b[1] - y).max(y - b[3]).max(0.0);
            // A lower bound: the planar measure overstates ground distance
            // by well under 1 % at these ranges.
            0.99 * dx.hypot(dy) * KM_PER_DEGREE
        };
        let mut candidates: Vec<(f64, &LayerPolygon, &BandedPolygon)> = self
            .boxed(self.bulk(), around(x, y, tol / kx, tol))
            .into_iter()
            .map(|i| (&self.boxes[i as usize], &self.polys[i as usize]))
            .filter(|(_, p)| accept(p.region))
            .filter_map(|(b, p)| Some((box_km(b), p, p.banded()?)))
            .collect();
        candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut best: Option<(f64, u32, u32)> = None;
        for (lower_bound, p, banded) in candidates {
            let limit = best.map_or(max_km, |(km, _, _)| km);
            if lower_bound > limit {
                break;
            }
            let km = match banded.side(x, y) {
                Side::Inside => continue,
                Side::Boundary => 0.0,
                Side::Outside => match banded.nearest(x, y, limit * 1.01 / KM_PER_DEGREE, kx) {
                    Some((_, cx, cy)) => haversine_km(x, y, cx, cy),
                    None => continue,
                },
            };
            let better = km <= max_km
                && best.is_none_or(|(bk, brank, _)| km < bk || (km == bk && p.rank < brank));
            if better {
                best = Some((km, p.rank, p.region));
            }
        }
        best.map(|(km, _, region)| Hit {
            region,
            nearest_km: Some(km),
        })
    }

    /// Every region whose closed polygon holds the point: those strictly
    /// inside, plus the smallest-ranked of those with the point only on
    /// their boundary (so a shared border counts once).
    pub fn containing(&self, x: f64, y: f64) -> Vec<u32> {
        let mut found: Vec<u32> = Vec::new();
        let mut boundary: Option<&LayerPolygon> = None;
        for i in self.boxed(self.bulk(), [x, y, x, y]) {
            let p = &self.polys[i as usize];
            let Some(banded) = p.banded() else {
                continue;
            };
            match banded.side(x, y) {
                Side::Inside => found.push(p.region),
                Side::Boundary if boundary.is_none_or(|q| p.rank < q.rank) => boundary = Some(p),
                _ => {}
            }
        }
        if let Some(p) = boundary
            && !found.contains(&p.region)
        {
            found.push(p.region);
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    #[cfg(test)]
    pub fn has_bulk(&self) -> bool {
        self.bulk.get().is_some()
    }

    #[cfg(test)]
    pub fn polygon_count(&self) -> usize {
        self.polys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, LineString};

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        let ring = LineString::from(vec![
            Coord { x: x0, y: y0 },
            Coord {
                x: x0 + size,
                y: y0,
            },
            Coord {
                x: x0 + size,
                y: y0 + size,
            },
            Coord {
                x: x0,
                y: y0 + size,
            },
            Coord { x: x0, y: y0 },
        ]);
        MultiPolygon(vec![Polygon::new(ring, vec![])])
    }

    #[test]
    fn grid_and_rtree_layers_agree() {
        let a = square(0.0, 0.0, 1.0);
        let b = square(1.0, 0.0, 1.0);
        let gridded = Layer::new([(7, 1, &a), (9, 0, &b)], Some(0.25), 0);
        let plain = Layer::new([(7, 1, &a), (9, 0, &b)], None, 0);
        let scanned = Layer::new([(7, 1, &a), (9, 0, &b)], Some(0.25), u32::MAX);
        for (x, y, want) in [
            (0.5, 0.5, Some(7)),
            (1.5, 0.5, Some(9)),
            // Shared border: rank 0 (region 9) wins, whichever side.
            (1.0, 0.5, Some(9)),
            // Just outside, within the tolerance.
            (-0.03, 0.5, Some(7)),
            (3.0, 0.5, None),
        ] {
            for layer in [&gridded, &plain, &scanned] {
                assert_eq!(layer.locate(x, y).map(|h| h.region), want, "{x},{y}");
            }
        }
        let fallback = gridded.locate(-0.03, 0.5).and_then(|h| h.nearest_km);
        assert!(
            fallback.is_some_and(|km| (km - 3.336).abs() < 0.01),
            "{fallback:?}"
        );
        assert_eq!(plain.containing(1.0, 0.5), vec![9]);
        assert_eq!(scanned.containing(1.0, 0.5), vec![9]);
        assert!(gridded.bulk.get().is_some_and(|b| b.grid.is_some()));
        assert!(scanned.bulk.get().is_none());
        assert_eq!(plain.polygon_count(), 2);
    }
}

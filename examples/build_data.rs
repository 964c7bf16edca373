//! Derives the bundled data in `data/` from the reference geodata:
//!
//!     cargo run --release --example build_data -- /work/shared/geodata data/
//!
//! Writes regions.bin.gz (OCHA COD-AB admin1 + admin2 for Syria and Iraq,
//! Natural Earth admin-1 elsewhere, simplified), gazetteer_places.tsv.gz and
//! gazetteer_index.tsv.gz (GeoNames cities500 plus the Who's On First
//! localities of Syria and Iraq, with admin1 assigned by the bundled
//! regions) and border_checkpoints.tsv (points near borders with
//! their full-resolution assignment, for the simplification test). The
//! output depends only on the inputs: no clocks, no randomness, sorted maps.
//! See data/README.md.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use geo::{Coord, InteriorPoint, LineString, MultiPolygon, Polygon, Simplify};
use geojson::{Feature, GeoJson};
use incidents::Error;
use incidents::geo::encoding::{decode_regions, encode_regions};
use incidents::geo::{Gazetteer, Level, Place, Region, Regions, normalize_name, skeleton_key};

/// Douglas-Peucker tolerances in degrees. Natural Earth is 1:10m and coarse
/// already; OCHA lines carry the district borders incidents are counted by.
const NE_TOLERANCE: f64 = 0.002;
const OCHA_TOLERANCE: f64 = 0.002;

/// OCHA admin1 P-code -> ISO 3166-2 (geodata README, checked by overlap
/// with Natural Earth).
const PCODE_ISO: &[(&str, &str)] = &[
    ("SY01", "SY-DI"),
    ("SY02", "SY-HL"),
    ("SY03", "SY-RD"),
    ("SY04", "SY-HI"),
    ("SY05", "SY-HM"),
    ("SY06", "SY-LA"),
    ("SY07", "SY-ID"),
    ("SY08", "SY-HA"),
    ("SY09", "SY-DY"),
    ("SY10", "SY-TA"),
    ("SY11", "SY-RA"),
    ("SY12", "SY-DR"),
    ("SY13", "SY-SU"),
    ("SY14", "SY-QU"),
    ("IQG01", "IQ-AN"),
    ("IQG02", "IQ-BA"),
    ("IQG03", "IQ-MU"),
    ("IQG04", "IQ-NA"),
    ("IQG05", "IQ-QA"),
    ("IQG06", "IQ-SU"),
    ("IQG07", "IQ-BB"),
    ("IQG08", "IQ-BG"),
    ("IQG09", "IQ-DA"),
    ("IQG10", "IQ-DI"),
    ("IQG11", "IQ-AR"),
    ("IQG12", "IQ-KA"),
    ("IQG13", "IQ-KI"),
    ("IQG14", "IQ-MA"),
    ("IQG15", "IQ-NI"),
    ("IQG16", "IQ-SD"),
    ("IQG17", "IQ-DQ"),
    ("IQG18", "IQ-WA"),
];

/// Spellings in use (UCDP, press) that neither OCHA nor Natural Earth give.
const ALIASES: &[(&str, &[&str])] = &[
    ("SY-DR", &["Daraa", "Dar'a", "Deraa", "درعا"]),
    ("SY-SU", &["As Suwayda", "Suwayda", "Sweida"]),
    (
        "SY-RD",
        &["Rif Dimashq", "Rural Damascus", "Damascus Countryside"],
    ),
    ("SY-HM", &["Hamah", "Hama"]),
    ("SY-ID", &["Idlib", "Idleb"]),
    ("SY-LA", &["Latakia", "Lattakia"]),
    ("SY-TA", &["Tartus", "Tartous"]),
    ("SY-HA", &["Al Hasakah", "Hasakah", "Hasakeh"]),
    ("SY-RA", &["Ar Raqqah", "Raqqa"]),
    ("SY-DY", &["Deir ez Zor", "Deir ez-Zor", "Dayr az Zawr"]),
    ("SY-HI", &["Homs", "Hims"]),
    ("SY-HL", &["Aleppo", "Halab"]),
    ("SY-QU", &["Quneitra", "Al Qunaytirah"]),
    ("SY-DI", &["Damascus", "Dimashq"]),
    ("IQ-NI", &["Ninewa", "Nineveh", "Ninawa", "Ninevah"]),
    (
        "IQ-SD",
        &["Salah al-Din", "Saladin", "Salahuddin", "Salah ad Din"],
    ),
    ("IQ-AN", &["Anbar", "Al Anbar"]),
    ("IQ-KI", &["IQ-TS", "Kirkuk", "At-Ta'mim", "Tamim"]),
    ("IQ-DA", &["Dohuk", "Dahuk", "Duhok"]),
    ("IQ-AR", &["Erbil", "Arbil", "Irbil"]),
    ("IQ-SU", &["Sulaymaniyah", "Sulaimaniya", "Slemani"]),
    ("IQ-QA", &["Qadisiyah", "Diwaniyah", "Al-Qadisiyyah"]),
    ("IQ-DQ", &["Dhi Qar", "Thi Qar"]),
    ("IQ-WA", &["Wasit", "Wassit"]),
    ("IQ-KA", &["Karbala", "Kerbala"]),
    ("IQ-BA", &["Basra", "Basrah"]),
    ("IQ-BB", &["Babil", "Babylon"]),
    ("IQ-MU", &["Muthanna"]),
    ("IQ-NA", &["Najaf"]),
];

/// Seed places of the tests: (name, lat, lon).
const SEED_POINTS: &[(&str, f64, f64)] = &[
    ("Mismiyah", 33.12902, 36.39402),
    ("As Sanamayn", 33.07186, 36.18316),
    ("Busra ash Sham", 32.5174, 36.48163),
    ("Dar'a", 32.61889, 36.10213),
    ("As-Suwayda", 32.70896, 36.56951),
    ("Baghdad", 33.34058, 44.40088),
    ("Mosul", 36.335, 43.11889),
    ("Ramadi", 33.42056, 43.30778),
    ("Tikrit", 34.61581, 43.67861),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: build_data <geodata dir> <output data dir>");
        std::process::exit(2);
    }
    if let Err(e) = run(Path::new(&args[1]), Path::new(&args[2])) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn data_error(what: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::Data {
        what: what.into(),
        reason: reason.into(),
    }
}

fn run(src: &Path, out: &Path) -> Result<(), Error> {
    fs::create_dir_all(out)?;
    let full = read_regions(src)?;
    eprintln!(
        "{} regions, {} vertices at full resolution",
        full.len(),
        vertices(&full)
    );

    let owners = vertex_owners(&full);
    let simplified: Vec<Region> = full.iter().map(|r| simplify(r, &owners)).collect();
    drop(owners);
    let encoded = encode_regions(&simplified)?;
    let bundled = decode_regions(&encoded)?;
    eprintln!("{} vertices simplified", vertices(&bundled));
    let regions_path = out.join("regions.bin.gz");
    fs::write(&regions_path, &encoded)?;

    let full = Regions::new(full);
    let bundled = Regions::new(bundled);

    let places = Gazetteer::read_geonames(fs::File::open(src.join("geonames_cities500.tsv"))?)?;
    eprintln!("{} places", places.len());
    let checkpoints = write_checkpoints(
        &places,
        &full,
        &bundled,
        &out.join("border_checkpoints.tsv"),
    )?;
    eprintln!("{checkpoints} border checkpoints, all agree");
    let places = add_wof_localities(places, src)?;
    write_gazetteer(places, &bundled, out)?;
    for name in [
        "regions.bin.gz",
        "gazetteer_places.tsv.gz",
        "gazetteer_index.tsv.gz",
        "border_checkpoints.tsv",
    ] {
        eprintln!("{name}: {} bytes", fs::metadata(out.join(name))?.len());
    }
    Ok(())
}

fn vertices(regions: &[Region]) -> usize {
    regions
        .iter()
        .flat_map(|r| &r.geometry.0)
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

type Key = (i64, i64);

fn key(c: &Coord<f64>) -> Key {
    ((c.x * 1e7).round() as i64, (c.y * 1e7).round() as i64)
}

/// Which regions use each exact vertex: where that set changes along a
/// ring, a shared border begins or ends.
fn vertex_owners(regions: &[Region]) -> HashMap<Key, Vec<u32>> {
    let mut owners: HashMap<Key, Vec<u32>> = HashMap::new();
    for (i, r) in regions.iter().enumerate() {
        for p in &r.geometry.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for c in &ring.0 {
                    let o = owners.entry(key(c)).or_default();
                    if o.last() != Some(&(i as u32)) && !o.contains(&(i as u32)) {
                        o.push(i as u32);
                    }
                }
            }
        }
    }
    owners
}

/// Douglas-Peucker applied to arcs, not rings: each ring is cut where the
/// set of regions sharing its vertices changes, and every arc is simplified
/// in a canonical direction, so neighbours sharing a border simplify it
/// identically and no gaps or overlaps open between them. A ring that would
/// collapse keeps its full resolution (tiny islands, a few vertices each).
fn simplify(region: &Region, owners: &HashMap<Key, Vec<u32>>) -> Region {
    let tolerance = if region.pcode.is_some() {
        OCHA_TOLERANCE
    } else {
        NE_TOLERANCE
    };
    let polygons = region
        .geometry
        .0
        .iter()
        .map(|p| {
            let exterior = simplify_ring(p.exterior(), tolerance, owners);
            let interiors = p
                .interiors()
                .iter()
                .map(|r| simplify_ring(r, tolerance, owners))
                .collect();
            Polygon::new(exterior, interiors)
        })
        .collect();
    Region {
        geometry: MultiPolygon(polygons),
        ..region.clone()
    }
}

fn simplify_ring(
    ring: &LineString<f64>,
    tolerance: f64,
    owners: &HashMap<Key, Vec<u32>>,
) -> LineString<f64> {
    let pts = &ring.0;
    if pts.len() < 5 {
        return ring.clone();
    }
    let open = &pts[..pts.len() - 1];
    let n = open.len();
    let set = |i: usize| {
        let mut o = owners.get(&key(&open[i % n])).cloned().unwrap_or_default();
        o.sort_unstable();
        o
    };
    let nodes: Vec<usize> = (0..n)
        .filter(|&i| {
            let here = set(i);
            here.len() > 2 || here != set(i + n - 1) || here != set(i + 1)
        })
        .collect();
    // Without nodes, start at the smallest vertex so both users of a fully
    // shared ring (an enclave) cut it at the same place.
    let nodes = if nodes.is_empty() {
        let start = (0..n).min_by_key(|&i| key(&open[i])).unwrap_or(0);
        vec![start]
    } else {
        nodes
    };
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(n);
    for (k, &a) in nodes.iter().enumerate() {
        let b = if k + 1 < nodes.len() {
            nodes[k + 1]
        } else {
            nodes[0] + n
        };
        let arc: Vec<Coord<f64>> = (a..=b).map(|i| open[i % n]).collect();
        let forward = key(&arc[0]) <= key(&arc[arc.len() - 1]);
        let mut line = LineString(arc);
        if !forward {
            line.0.reverse();
        }
        let mut simple = line.simplify(tolerance);
        if !forward {
            simple.0.reverse();
        }
        out.extend_from_slice(&simple.0[..simple.0.len() - 1]);
    }
    if out.len() < 3 {
        return ring.clone();
    }
    out.push(out[0]);
    LineString(out)
}

fn read_geojson(path: &Path) -> Result<Vec<Feature>, Error> {
    let text = fs::read_to_string(path)?;
    match text.parse::<GeoJson>() {
        Ok(GeoJson::FeatureCollection(fc)) => Ok(fc.features),
        Ok(_) => Err(data_error(
            path.display().to_string(),
            "not a FeatureCollection",
        )),
        Err(e) => Err(data_error(path.display().to_string(), e.to_string())),
    }
}

fn prop(f: &Feature, key: &str) -> Option<String> {
    f.property(key)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn geometry(f: &Feature, what: &str) -> Result<MultiPolygon<f64>, Error> {
    let g = f
        .geometry
        .clone()
        .ok_or_else(|| data_error(what, "no geometry"))?;
    match geo::Geometry::<f64>::try_from(g).map_err(|e| data_error(what, e.to_string()))? {
        geo::Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Ok(mp),
        _ => Err(data_error(what, "not a (Multi)Polygon")),
    }
}

fn push_unique(names: &mut Vec<String>, name: &str, exclude: &[&str]) {
    let name = name.trim();
    if !name.is_empty() && !exclude.contains(&name) && !names.iter().any(|n| n == name) {
        names.push(name.to_string());
    }
}

fn label_of(mp: &MultiPolygon<f64>) -> (f64, f64) {
    let largest: Option<&Polygon<f64>> = mp.0.iter().max_by(|a, b| {
        use geo::Area;
        a.unsigned_area().total_cmp(&b.unsigned_area())
    });
    largest
        .and_then(|p| p.interior_point())
        .map_or((0.0, 0.0), |p| (p.y(), p.x()))
}

fn read_regions(src: &Path) -> Result<Vec<Region>, Error> {
    let iso_of: HashMap<&str, &str> = PCODE_ISO.iter().copied().collect();
    let aliases: HashMap<&str, &[&str]> = ALIASES.iter().copied().collect();
    let ne = read_geojson(&src.join("ne_10m_admin_1_states_provinces.geojson"))?;

    // Natural Earth names for the OCHA governorates, joined by ISO code.
    let mut ne_names: HashMap<String, Vec<String>> = HashMap::new();
    let mut iso_count: HashMap<String, usize> = HashMap::new();
    for f in &ne {
        let mut names = Vec::new();
        for key in ["name", "name_en", "woe_name", "gn_name"] {
            if let Some(n) = prop(f, key) {
                push_unique(&mut names, &n, &[]);
            }
        }
        for n in prop(f, "name_alt").unwrap_or_default().split('|') {
            push_unique(&mut names, n, &[]);
        }
        if let Some(iso) = prop(f, "iso_3166_2") {
            *iso_count.entry(iso.clone()).or_default() += 1;
            ne_names.insert(iso, names);
        }
    }

    let mut regions = Vec::new();
    for (country, level1, level2) in [
        ("SY", "syr_adm1.geojson", "syr_adm2.geojson"),
        ("IQ", "irq_adm1.geojson", "irq_adm2.geojson"),
    ] {
        for (i, f) in read_geojson(&src.join(level1))?.iter().enumerate() {
            let what = format!("{level1} feature {i}");
            let pcode = prop(f, "ADM1_PCODE").ok_or_else(|| data_error(&what, "no ADM1_PCODE"))?;
            let iso = *iso_of
                .get(pcode.as_str())
                .ok_or_else(|| data_error(&what, format!("no ISO code for {pcode}")))?;
            let name = prop(f, "ADM1_EN").ok_or_else(|| data_error(&what, "no ADM1_EN"))?;
            let mut alt = Vec::new();
            for key in [
                "ADM1_REF",
                "ADM1ALT1EN",
                "ADM1ALT2EN",
                "ADM1ALT1AR",
                "ADM1ALT2AR",
            ] {
                if let Some(n) = prop(f, key) {
                    push_unique(&mut alt, &n, &[&name]);
                }
            }
            for n in aliases.get(iso).copied().unwrap_or_default() {
                push_unique(&mut alt, n, &[&name]);
            }
            for n in ne_names.get(iso).into_iter().flatten() {
                push_unique(&mut alt, n, &[&name]);
            }
            let geometry = geometry(f, &what)?;
            regions.push(Region {
                code: iso.to_string(),
                pcode: Some(pcode),
                name,
                name_ar: prop(f, "ADM1_AR"),
                alt_names: alt,
                level: Level::Admin1,
                country: country.to_string(),
                parent: None,
                label: label_of(&geometry),
                geometry,
            });
        }
        for (i, f) in read_geojson(&src.join(level2))?.iter().enumerate() {
            let what = format!("{level2} feature {i}");
            let pcode = prop(f, "ADM2_PCODE").ok_or_else(|| data_error(&what, "no ADM2_PCODE"))?;
            let parent_pcode =
                prop(f, "ADM1_PCODE").ok_or_else(|| data_error(&what, "no ADM1_PCODE"))?;
            let parent = *iso_of
                .get(parent_pcode.as_str())
                .ok_or_else(|| data_error(&what, format!("no ISO code for {parent_pcode}")))?;
            let name = prop(f, "ADM2_EN").ok_or_else(|| data_error(&what, "no ADM2_EN"))?;
            let mut alt = Vec::new();
            for key in [
                "ADM2_REF",
                "ADM2ALT1EN",
                "ADM2ALT2EN",
                "ADM2ALT1AR",
                "ADM2ALT2AR",
            ] {
                if let Some(n) = prop(f, key) {
                    push_unique(&mut alt, &n, &[&name]);
                }
            }
            let geometry = geometry(f, &what)?;
            regions.push(Region {
                code: pcode.clone(),
                pcode: Some(pcode),
                name,
                name_ar: prop(f, "ADM2_AR"),
                alt_names: alt,
                level: Level::Admin2,
                country: country.to_string(),
                parent: Some(parent.to_string()),
                label: label_of(&geometry),
                geometry,
            });
        }
    }

    for (i, f) in ne.iter().enumerate() {
        let what = format!("Natural Earth feature {i}");
        let iso_a2 = prop(f, "iso_a2").unwrap_or_default();
        if iso_a2 == "SY" || iso_a2 == "IQ" {
            continue;
        }
        let adm1_code = prop(f, "adm1_code").ok_or_else(|| data_error(&what, "no adm1_code"))?;
        let iso = prop(f, "iso_3166_2").unwrap_or_default();
        let usable = iso.len() > 3
            && !iso.starts_with('-')
            && !iso.contains('~')
            && iso_count.get(&iso) == Some(&1);
        let code = if usable { iso } else { adm1_code };
        let country = if iso_a2.len() == 2 && iso_a2.chars().all(|c| c.is_ascii_uppercase()) {
            iso_a2
        } else {
            prop(f, "adm0_a3").unwrap_or_default()
        };
        let name = prop(f, "name_en")
            .or_else(|| prop(f, "name"))
            .unwrap_or_else(|| code.clone());
        let mut alt = Vec::new();
        for key in ["name", "woe_name", "gn_name"] {
            if let Some(n) = prop(f, key) {
                push_unique(&mut alt, &n, &[&name]);
            }
        }
        for n in prop(f, "name_alt").unwrap_or_default().split('|') {
            push_unique(&mut alt, n, &[&name]);
        }
        let label = match (
            f.property("latitude").and_then(|v| v.as_f64()),
            f.property("longitude").and_then(|v| v.as_f64()),
        ) {
            (Some(lat), Some(lon)) => (lat, lon),
            _ => (0.0, 0.0),
        };
        let geometry = geometry(f, &what)?;
        let label = if label == (0.0, 0.0) {
            label_of(&geometry)
        } else {
            label
        };
        regions.push(Region {
            code,
            pcode: None,
            name,
            name_ar: prop(f, "name_ar"),
            alt_names: alt,
            level: Level::Admin1,
            country,
            parent: None,
            label,
            geometry,
        });
    }
    let mut seen = HashSet::new();
    for r in &regions {
        if !seen.insert((r.level, r.code.clone())) {
            return Err(data_error("regions", format!("duplicate code {}", r.code)));
        }
    }
    Ok(regions)
}

fn assignment_row(regions: &Regions, lat: f64, lon: f64) -> [String; 3] {
    let a = regions.assign(lat, lon);
    [
        a.country.unwrap_or_default(),
        a.admin1.map(|(c, _)| c).unwrap_or_default(),
        a.admin2.map(|(c, _)| c).unwrap_or_default(),
    ]
}

/// Checkpoints: the seed places, every Syrian and Iraqi place within about
/// 3 km of a border between assignments (probed at the full resolution),
/// and, elsewhere, every 50th place so near a border. Fails if the bundled
/// regions disagree with the full resolution on any of them.
fn write_checkpoints(
    places: &[Place],
    full: &Regions,
    bundled: &Regions,
    path: &PathBuf,
) -> Result<usize, Error> {
    const PROBE: f64 = 0.03;
    let mut points: Vec<(String, f64, f64)> = SEED_POINTS
        .iter()
        .map(|&(n, lat, lon)| (n.to_string(), lat, lon))
        .collect();
    let mut elsewhere = 0usize;
    let mut all_disagree = 0usize;
    let mut too_close = 0usize;
    for p in places {
        let here = assignment_row(full, p.latitude, p.longitude);
        if assignment_row(bundled, p.latitude, p.longitude) != here {
            all_disagree += 1;
        }
        let near_border = [(PROBE, 0.0), (-PROBE, 0.0), (0.0, PROBE), (0.0, -PROBE)]
            .iter()
            .any(|(dy, dx)| assignment_row(full, p.latitude + dy, p.longitude + dx) != here);
        if !near_border || here[1].is_empty() {
            continue;
        }
        // Within twice the tolerance of a border no simplification at that
        // tolerance can promise the side: such places are counted, not
        // checked (data/README.md gives the count).
        let close = 2.0 * NE_TOLERANCE.max(OCHA_TOLERANCE);
        let on_the_line = [(close, 0.0), (-close, 0.0), (0.0, close), (0.0, -close)]
            .iter()
            .any(|(dy, dx)| assignment_row(full, p.latitude + dy, p.longitude + dx) != here);
        if on_the_line {
            too_close += 1;
            continue;
        }
        let keep = if p.country == "SY" || p.country == "IQ" {
            true
        } else {
            elsewhere += 1;
            elsewhere.is_multiple_of(50)
        };
        if keep {
            points.push((p.name.clone(), p.latitude, p.longitude));
        }
    }
    eprintln!(
        "{all_disagree} of {} gazetteer places assigned differently by the simplified regions; \
         {too_close} near-border places within twice the tolerance of a border not used as checkpoints",
        places.len()
    );
    let mut text = String::from(
        "# lat\tlon\tcountry\tadmin1\tadmin2\tplace (expected = full-resolution assignment)\n",
    );
    let mut disagree = Vec::new();
    for (name, lat, lon) in &points {
        let want = assignment_row(full, *lat, *lon);
        if assignment_row(bundled, *lat, *lon) != want {
            disagree.push(name.clone());
        }
        text.push_str(&format!(
            "{lat}\t{lon}\t{}\t{}\t{}\t{name}\n",
            want[0], want[1], want[2]
        ));
    }
    if !disagree.is_empty() {
        return Err(data_error(
            "border checkpoints",
            format!(
                "simplified regions move {}: lower the tolerance",
                disagree.join(", ")
            ),
        ));
    }
    fs::write(path, text)?;
    Ok(points.len())
}

/// Who's On First locality files (village level), with their country.
const WOF_LOCALITIES: &[(&str, &str)] = &[
    ("wof_sy_localities.csv", "SY"),
    ("wof_iq_localities.csv", "IQ"),
];

/// One row of a WOF localities file (geodata README gives the columns).
#[derive(Debug, serde::Deserialize)]
struct WofLocality {
    wof_id: i64,
    name: String,
    gn_name: String,
    name_ar_all: String,
    name_ku: String,
    variants: String,
    lat: f64,
    lon: f64,
    gn_id: Option<i64>,
    gn_feature_code: String,
    gn_population: Option<u64>,
    deprecated: String,
    superseded_by: String,
}

impl WofLocality {
    /// Every name of the row: GeoNames and WOF names, Arabic-script names,
    /// the Kurdish name and GeoNames' variant spellings.
    fn names(&self) -> Vec<String> {
        [&self.gn_name, &self.name, &self.name_ku]
            .into_iter()
            .map(String::as_str)
            .chain(self.name_ar_all.split('|'))
            .chain(self.variants.split('|'))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// Adds the WOF localities to the cities500 places. A locality whose
/// GeoNames id is already a place gives that place its names (Arabic forms
/// and variants cities500 lacks); the others become places of their own,
/// keyed by GeoNames id (or WOF id when they have none: WOF ids are above a
/// billion, GeoNames ids far below). Deprecated and superseded rows are
/// dropped: the row that supersedes one is in the file itself. Abandoned
/// (PPLQ) and destroyed (PPLW) places are kept with their feature code, as
/// reports name them; the gazetteer ranks them below inhabited namesakes.
fn add_wof_localities(mut places: Vec<Place>, src: &Path) -> Result<Vec<Place>, Error> {
    let mut by_geonames_id: HashMap<i64, usize> =
        places.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    for (file, country) in WOF_LOCALITIES {
        let path = src.join(file);
        let mut reader = csv::Reader::from_path(&path)
            .map_err(|e| data_error(path.display().to_string(), e.to_string()))?;
        let (mut merged, mut added, mut dropped) = (0, 0, 0);
        for (n, row) in reader.deserialize::<WofLocality>().enumerate() {
            let row =
                row.map_err(|e| data_error(format!("{file}, row {}", n + 2), e.to_string()))?;
            if !row.deprecated.is_empty() || !row.superseded_by.is_empty() {
                dropped += 1;
                continue;
            }
            let names = row.names();
            let id = row.gn_id.unwrap_or(row.wof_id);
            if let Some(&i) = by_geonames_id.get(&id) {
                places[i].alt_names.extend(names);
                merged += 1;
                continue;
            }
            let name = if row.gn_name.is_empty() {
                row.name.clone()
            } else {
                row.gn_name.clone()
            };
            by_geonames_id.insert(id, places.len());
            places.push(Place {
                id,
                name,
                latitude: row.lat,
                longitude: row.lon,
                country: country.to_string(),
                admin1_code: None,
                admin1_name: None,
                feature_code: row.gn_feature_code.clone(),
                population: row.gn_population.unwrap_or(0),
                alt_names: names,
            });
            added += 1;
        }
        eprintln!(
            "{file}: {added} places added, {merged} merged into cities500 places, {dropped} deprecated or superseded dropped"
        );
    }
    Ok(places)
}

fn is_latin_or_arabic(s: &str) -> bool {
    s.chars().all(|c| {
        let u = c as u32;
        u < 0x250 // Basic Latin to Latin Extended-B
            || (0x2B0..0x370).contains(&u) // modifier letters (ʿ ʾ), combining marks
            || (0x1E00..0x1F00).contains(&u) // Latin Extended Additional
            || (0x2000..0x2070).contains(&u) // punctuation (’)
            || (0x600..0x700).contains(&u) // Arabic
            || (0x750..0x780).contains(&u) // Arabic Supplement
    })
}

/// Airport and similar codes (BGW, OSM) in GeoNames' alternate names.
fn is_code(s: &str) -> bool {
    s.len() <= 4 && s.chars().all(|c| c.is_ascii_uppercase())
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r', ','], " ").trim().to_string()
}

fn gzip(path: &Path, text: &str) -> Result<(), Error> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(text.as_bytes())?;
    fs::write(path, gz.finish()?)?;
    Ok(())
}

fn write_gazetteer(places: Vec<Place>, regions: &Regions, out: &Path) -> Result<(), Error> {
    let mut admin1_names: BTreeMap<String, String> = BTreeMap::new();
    let mut lines = String::new();
    let mut names: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut skeletons: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, mut p) in places.into_iter().enumerate() {
        let i = i as u32;
        p.assign_admin1(regions);
        if let (Some(code), Some(name)) = (&p.admin1_code, &p.admin1_name) {
            admin1_names.insert(code.clone(), clean(name));
        }
        let name = clean(&p.name);
        let main_key = normalize_name(&name);
        let mut keys = vec![main_key.clone()];
        let mut alts = Vec::new();
        for alt in &p.alt_names {
            let alt = clean(alt);
            if alt.is_empty() || is_code(&alt) || !is_latin_or_arabic(&alt) {
                continue;
            }
            let key = normalize_name(&alt);
            if key.is_empty() || keys.contains(&key) {
                continue;
            }
            keys.push(key);
            alts.push(alt);
        }
        let mut place_skeletons: Vec<(String, u32)> = Vec::new();
        for (k, key) in keys.into_iter().enumerate() {
            let flagged = i * 2 + u32::from(k == 0);
            if let Some(s) = skeleton_key(&key)
                && !place_skeletons.iter().any(|(x, _)| *x == s)
            {
                place_skeletons.push((s, flagged));
            }
            if !key.is_empty() {
                names.entry(key).or_default().push(flagged);
            }
        }
        for (s, flagged) in place_skeletons {
            skeletons.entry(s).or_default().push(flagged);
        }
        lines.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            p.id,
            name,
            p.latitude,
            p.longitude,
            clean(&p.country),
            clean(&p.feature_code),
            p.population,
            p.admin1_code.as_deref().unwrap_or(""),
            alts.join(",")
        ));
    }
    let mut text = String::new();
    for (code, name) in &admin1_names {
        text.push_str(&format!("#admin1\t{code}\t{name}\n"));
    }
    text.push_str(&lines);
    gzip(&out.join("gazetteer_places.tsv.gz"), &text)?;

    let mut index = String::from("#names\n");
    for (section, map) in [("", &names), ("#skeletons\n", &skeletons)] {
        index.push_str(section);
        for (key, ids) in map {
            let ids: Vec<String> = ids.iter().map(u32::to_string).collect();
            index.push_str(&format!("{key}\t{}\n", ids.join(",")));
        }
    }
    gzip(&out.join("gazetteer_index.tsv.gz"), &index)
}

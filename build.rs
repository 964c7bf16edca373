//! Decompresses the bundled data files (committed gzipped, to keep the
//! repository small) into OUT_DIR, so the binary embeds them ready to read
//! in place: commands that geocode or resolve regions must not spend their
//! start-up inflating tens of megabytes. For the gazetteer it also derives
//! the flat index files that `geo::bundled` reads in place, so no place
//! is parsed and no name indexed at start-up; for the regions, their index
//! with the library's own format and name keys (the modules below are
//! compiled here as they are in the library), so that loading the regions
//! normalises no name.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read};
use std::path::Path;

#[path = "src/geo/gazetteer_lines.rs"]
mod gazetteer_lines;

use gazetteer_lines::{COUNTRY_LEN, FEATURE_LEN, PlaceLine, admin1_line};

// The library uses the parts of these that the build does not.
#[allow(dead_code)]
#[path = "src/geo/bundle.rs"]
mod bundle;
#[allow(dead_code)]
#[path = "src/geo/columns.rs"]
mod columns;
#[allow(dead_code)]
#[path = "src/fold.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/geo/level.rs"]
mod level;
#[allow(dead_code)]
#[path = "src/geo/name_index.rs"]
mod name_index;
#[allow(dead_code)]
#[path = "src/geo/normalize.rs"]
mod normalize;

/// The library's paths to them (`crate::geo::...`).
mod geo {
    pub(crate) use super::{columns, level, name_index, normalize};
}

/// Files whose change must rebuild the regions' index.
const INDEX_SOURCES: [&str; 7] = [
    "data/region_aliases.tsv",
    "src/fold.rs",
    "src/geo/bundle.rs",
    "src/geo/columns.rs",
    "src/geo/level.rs",
    "src/geo/name_index.rs",
    "src/geo/normalize.rs",
];

fn main() -> io::Result<()> {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    println!("cargo::rerun-if-changed=src/geo/gazetteer_lines.rs");
    // The web page's files are embedded by include_dir!, which cannot tell
    // cargo on stable; a directory here is scanned for changes.
    println!("cargo::rerun-if-changed=assets");
    let mut gz = gunzip("regions.bin")?;
    io::copy(
        &mut gz,
        &mut BufWriter::new(File::create(out.join("regions.bin"))?),
    )?;
    let mut places = String::new();
    gunzip("gazetteer_places.tsv")?.read_to_string(&mut places)?;
    let mut index = String::new();
    gunzip("gazetteer_index.tsv")?.read_to_string(&mut index)?;
    let n_places = derive_places(&places, out)?;
    derive_index(&index, n_places, out)?;
    fs::write(out.join("gazetteer_places.tsv"), places)?;
    for src in INDEX_SOURCES {
        println!("cargo::rerun-if-changed={src}");
    }
    let raw = fs::read(out.join("regions.bin"))?;
    let aliases = fs::read_to_string("data/region_aliases.tsv")?;
    let index = bundle::build_index(&raw, &aliases).map_err(io::Error::other)?;
    fs::write(out.join("regions_index.bin"), index)
}

fn gunzip(name: &str) -> io::Result<impl Read> {
    let src = format!("data/{name}.gz");
    println!("cargo::rerun-if-changed={src}");
    Ok(flate2::read::GzDecoder::new(BufReader::new(File::open(
        &src,
    )?)))
}

fn bad(file: &str, line: usize, reason: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("data/{file}.gz, line {line}: {reason}"),
    )
}

fn write_u32s(out: &Path, name: &str, values: &[u32]) -> io::Result<()> {
    fs::write(
        out.join(name),
        values
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect::<Vec<u8>>(),
    )
}

/// Checks every line and writes where each line starts (admin1 lines and
/// place lines apart, each with the end as a last entry) and the columns
/// that ranking reads for every match: ids, populations, countries and
/// feature codes. Returns the number of places.
fn derive_places(text: &str, out: &Path) -> io::Result<usize> {
    let file = "gazetteer_places.tsv";
    if !text.ends_with('\n') {
        return Err(bad(file, text.lines().count(), "no newline at the end"));
    }
    let (mut admin1_lines, mut admin1_codes) = (Vec::new(), Vec::new());
    let (mut place_lines, mut ids, mut populations) = (Vec::new(), Vec::new(), Vec::new());
    let (mut countries, mut features) = (String::new(), String::new());
    let mut at = 0;
    for (n, line) in text.split_terminator('\n').enumerate() {
        let bad = |reason: &str| bad(file, n + 1, reason);
        if let Some(admin1) = admin1_line(line) {
            let (code, _) = admin1.map_err(bad)?;
            // The gazetteer finds admin1 names by binary search.
            if !place_lines.is_empty() || admin1_codes.last().is_some_and(|&c| c >= code) {
                return Err(bad("admin1 lines must come first, sorted by code"));
            }
            admin1_codes.push(code);
            admin1_lines.push(at as u32);
        } else {
            let p = PlaceLine::parse(line).map_err(|column| bad(&format!("bad {column}")))?;
            if !p.admin1_code.is_empty() && admin1_codes.binary_search(&p.admin1_code).is_err() {
                return Err(bad("unknown admin1 code"));
            }
            if p.country.len() != COUNTRY_LEN || !p.country.is_ascii() {
                return Err(bad("country is not two ASCII letters"));
            }
            if p.feature_code.len() > FEATURE_LEN || !p.feature_code.is_ascii() {
                return Err(bad("feature code is longer than five ASCII letters"));
            }
            place_lines.push(at as u32);
            ids.extend(p.id.to_le_bytes());
            populations.extend(p.population.to_le_bytes());
            countries.push_str(p.country);
            features.push_str(&format!("{:FEATURE_LEN$}", p.feature_code));
        }
        at += line.len() + 1;
    }
    admin1_lines.push(place_lines.first().copied().unwrap_or(at as u32));
    place_lines.push(at as u32);
    write_u32s(out, "gazetteer_admin1_lines.u32", &admin1_lines)?;
    write_u32s(out, "gazetteer_place_lines.u32", &place_lines)?;
    fs::write(out.join("gazetteer_ids.i64"), ids)?;
    fs::write(out.join("gazetteer_populations.u64"), populations)?;
    fs::write(out.join("gazetteer_countries.txt"), countries)?;
    fs::write(out.join("gazetteer_features.txt"), features)?;
    Ok(place_lines.len() - 1)
}

/// One section of the index, as the gazetteer's `SortedKeys` reads it: the
/// keys (sorted, concatenated), where each starts, where each key's places
/// start, and the places (`place * 2 + is_main_name`).
struct Section {
    text: String,
    key_starts: Vec<u32>,
    id_starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Section {
    fn new() -> Section {
        Section {
            text: String::new(),
            key_starts: vec![0],
            id_starts: vec![0],
            ids: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.key_starts.len() - 1
    }

    fn key(&self, k: usize) -> &str {
        &self.text[self.key_starts[k] as usize..self.key_starts[k + 1] as usize]
    }

    fn ids_of(&self, k: usize) -> &[u32] {
        &self.ids[self.id_starts[k] as usize..self.id_starts[k + 1] as usize]
    }

    fn write(&self, out: &Path, name: &str) -> io::Result<()> {
        fs::write(out.join(format!("gazetteer_{name}.txt")), &self.text)?;
        write_u32s(
            out,
            &format!("gazetteer_{name}_key_starts.u32"),
            &self.key_starts,
        )?;
        write_u32s(
            out,
            &format!("gazetteer_{name}_id_starts.u32"),
            &self.id_starts,
        )?;
        write_u32s(out, &format!("gazetteer_{name}_ids.u32"), &self.ids)
    }
}

/// Two sections, `#names` then `#skeletons`, each of sorted lines
/// `key<TAB>id,id,...`; also writes each place's names (the name section
/// inverted, keys in order, each followed by a newline) so that ranking
/// reads them from one short stretch of memory.
fn derive_index(text: &str, n_places: usize, out: &Path) -> io::Result<()> {
    let file = "gazetteer_index.tsv";
    let mut sections = [Section::new(), Section::new()];
    let mut current = None;
    for (n, line) in text.lines().enumerate() {
        let bad = |reason: &str| bad(file, n + 1, reason);
        match (line, current) {
            ("#names", None) => current = Some(0),
            ("#skeletons", Some(0)) => current = Some(1),
            (_, None) => return Err(bad("no #names section")),
            (_, Some(s)) => {
                let section = &mut sections[s];
                let (key, list) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
                // The gazetteer finds keys by binary search.
                if section.len() > 0 && section.key(section.len() - 1) >= key {
                    return Err(bad("keys must be sorted and unique"));
                }
                section.text.push_str(key);
                section.key_starts.push(section.text.len() as u32);
                for id in list.split(',') {
                    let id = id.parse::<u32>().map_err(|_| bad("bad place id"))?;
                    if id as usize / 2 >= n_places {
                        return Err(bad("place id out of range"));
                    }
                    section.ids.push(id);
                }
                section.id_starts.push(section.ids.len() as u32);
            }
        }
    }
    if current != Some(1) {
        return Err(bad(file, 0, "no #skeletons section"));
    }
    let [names, skeletons] = sections;
    names.write(out, "names")?;
    skeletons.write(out, "skeletons")?;

    let mut place_keys: Vec<Vec<&str>> = vec![Vec::new(); n_places];
    for k in 0..names.len() {
        for &id in names.ids_of(k) {
            place_keys[id as usize / 2].push(names.key(k));
        }
    }
    let mut text = String::new();
    let mut starts = Vec::with_capacity(n_places + 1);
    for keys in place_keys {
        starts.push(text.len() as u32);
        for key in keys {
            text.push_str(key);
            text.push('\n');
        }
    }
    starts.push(text.len() as u32);
    fs::write(out.join("gazetteer_place_keys.txt"), text)?;
    write_u32s(out, "gazetteer_place_key_starts.u32", &starts)
}

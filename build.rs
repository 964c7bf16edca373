//! Decompresses the bundled data files (committed gzipped, to keep the
//! repository small) into OUT_DIR, so the binary embeds them ready to read
//! in place: commands that geocode or resolve regions must not spend their
//! start-up inflating tens of megabytes. Derives the regions' index from
//! the regions file with the library's own format and name keys (the
//! modules below are compiled here as they are in the library), so that
//! loading the regions normalises no name.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::Path;

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

const DATA: [&str; 3] = ["gazetteer_places.tsv", "gazetteer_index.tsv", "regions.bin"];

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
    for name in DATA {
        let src = format!("data/{name}.gz");
        println!("cargo::rerun-if-changed={src}");
        let mut gz = flate2::read::GzDecoder::new(BufReader::new(File::open(&src)?));
        let mut dst = BufWriter::new(File::create(out.join(name))?);
        io::copy(&mut gz, &mut dst)?;
    }
    for src in INDEX_SOURCES {
        println!("cargo::rerun-if-changed={src}");
    }
    let raw = std::fs::read(out.join("regions.bin"))?;
    let aliases = std::fs::read_to_string("data/region_aliases.tsv")?;
    let index = bundle::build_index(&raw, &aliases).map_err(io::Error::other)?;
    std::fs::write(out.join("regions_index.bin"), index)
}

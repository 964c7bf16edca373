//! Decompresses the bundled data files (committed gzipped, to keep the
//! repository small) into OUT_DIR, so the binary embeds them ready to read
//! in place: commands that geocode or resolve regions must not spend their
//! start-up inflating tens of megabytes.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::Path;

const DATA: [&str; 3] = ["gazetteer_places.tsv", "gazetteer_index.tsv", "regions.bin"];

fn main() -> io::Result<()> {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in DATA {
        let src = format!("data/{name}.gz");
        println!("cargo::rerun-if-changed={src}");
        let mut gz = flate2::read::GzDecoder::new(BufReader::new(File::open(&src)?));
        let mut dst = BufWriter::new(File::create(Path::new(&out).join(name))?);
        io::copy(&mut gz, &mut dst)?;
    }
    Ok(())
}

//! The GeoJSON FeatureCollection and Text Sequence readers over the same
//! arbitrary bytes.
#![no_main]

use incidents::formats::geojson;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = geojson::read(data, "fuzz.geojson") {
        for row in rows.take(10_000) {
            let _ = row;
        }
    }
    if let Ok(rows) = geojson::read_seq(data, "fuzz.geojsonl") {
        for row in rows {
            let _ = row;
        }
    }
});

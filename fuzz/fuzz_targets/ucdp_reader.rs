//! The UCDP GED CSV reader over arbitrary bytes.
#![no_main]

use incidents::formats::ucdp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = ucdp::read(data, "fuzz.csv") {
        for row in rows.flatten() {
            assert!(row.incident.span.start <= row.incident.span.end);
        }
    }
});

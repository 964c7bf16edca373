//! The ACLED CSV reader over arbitrary bytes.
#![no_main]

use incidents::formats::acled;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = acled::read(data, "fuzz.csv") {
        for row in rows.flatten() {
            assert!(row.incident.span.start <= row.incident.span.end);
        }
    }
});

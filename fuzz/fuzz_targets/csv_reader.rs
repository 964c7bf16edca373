//! Our CSV reader over arbitrary bytes: every row is read or rejected with
//! its location, never a panic.
#![no_main]

use incidents::formats::csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = csv::read(data, "fuzz.csv") {
        for row in rows.flatten() {
            assert!(row.incident.span.start <= row.incident.span.end);
        }
    }
});

//! `FilterSpec::build` with arbitrary text in every field; regions and the
//! gazetteer are never loaded (their loaders return an error), so only the
//! parsing and checking of values is exercised.
#![no_main]

use incidents::Error;
use incidents::geo::{Gazetteer, Regions};
use incidents::locate::FilterSpec;
use libfuzzer_sys::fuzz_target;

/// Splits the input on 0xFF bytes into the spec's text fields.
fn spec(data: &[u8]) -> FilterSpec {
    let mut parts = data
        .split(|b| *b == 0xff)
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let mut next = || parts.next().filter(|s| !s.is_empty());
    FilterSpec {
        region: next(),
        country: next(),
        from: next(),
        to: next(),
        month: next(),
        overlapping: data.first().is_some_and(|b| b & 1 == 1),
        event_type: next(),
        sub_event_type: next(),
        actor: next(),
        text: next(),
        tag: next(),
        near: next(),
        radius: next(),
        bbox: next(),
        limit: data.last().map(|b| *b as usize),
    }
}

fuzz_target!(|data: &[u8]| {
    let s = spec(data);
    let no_regions =
        || -> incidents::Result<Regions> { Err(Error::invalid("regions", "", "not loaded")) };
    let no_gazetteer =
        || -> incidents::Result<Gazetteer> { Err(Error::invalid("gazetteer", "", "not loaded")) };
    if let Ok(f) = s.build(no_regions, no_gazetteer, &mut |_| {}) {
        if let (Some(a), Some(b)) = (f.from, f.to) {
            assert!(a <= b, "{s:?}");
        }
        if let Some(b) = f.bbox {
            assert!(
                b.iter().all(|v| v.is_finite()) && b[0] <= b[2] && b[1] <= b[3],
                "{s:?}"
            );
        }
        if let Some(n) = f.near {
            assert!(n.radius_km.is_finite() && n.radius_km > 0.0, "{s:?}");
        }
    }
});

//! Filter values with the real bundled regions (loaded once): region names
//! and codes are resolved by `locate::resolve_region`, the function
//! `FilterSpec::build` calls for `--region`, and the other fields go through
//! `build` itself. (`build` takes its regions by value, so handing it the
//! loaded copy would mean cloning every region's polygons on each run: a
//! few executions per second instead of thousands.)
#![no_main]

use std::sync::OnceLock;

use incidents::Error;
use incidents::geo::{Gazetteer, Regions};
use incidents::locate::{self, FilterSpec};
use libfuzzer_sys::fuzz_target;

static REGIONS: OnceLock<Regions> = OnceLock::new();

fn regions() -> &'static Regions {
    REGIONS.get_or_init(|| Regions::bundled().expect("bundled regions load"))
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data
        .split(|b| *b == 0xff)
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let region = parts.next().unwrap_or_default();
    let mut next = || parts.next().filter(|s| !s.is_empty());
    let regions = regions();
    if let Ok(r) = locate::resolve_region(regions, &region, &mut |_| {}) {
        let key = locate::region_key(r);
        assert!(regions.get(&r.code).is_some(), "{region:?} -> {key:?}");
    }
    let spec = FilterSpec {
        country: next(),
        from: next(),
        to: next(),
        month: next(),
        event_type: next(),
        sub_event_type: next(),
        text: next(),
        ..Default::default()
    };
    let _ = spec.build(
        || -> incidents::Result<Regions> { Err(Error::invalid("regions", "", "not loaded")) },
        || -> incidents::Result<Gazetteer> { Err(Error::invalid("gazetteer", "", "not loaded")) },
        &mut |_| {},
    );
    let _ = regions.list(Some(&region));
    let _ = regions.resolve(&region);
});

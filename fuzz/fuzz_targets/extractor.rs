//! The whole extractor on arbitrary bytes: reading a report either refuses
//! it with an error or drafts from it; it never panics, and every draft's
//! evidence points at the text it quotes.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use incidents::extract::{Report, extract, text::check_report};
use incidents::geo::{Gazetteer, Regions};
use incidents::model::Source;
use libfuzzer_sys::fuzz_target;

fn geography() -> &'static (Gazetteer, Regions) {
    static GEO: OnceLock<(Gazetteer, Regions)> = OnceLock::new();
    GEO.get_or_init(|| (Gazetteer::bundled(), Regions::bundled().expect("bundled regions")))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = check_report("fuzz", data.to_vec()) else {
        return;
    };
    let (gazetteer, regions) = geography();
    let report = Report {
        text: &text,
        published: NaiveDate::from_ymd_opt(2025, 1, 7).expect("a real date"),
        source: Source::default(),
    };
    let chars: Vec<char> = text.chars().collect();
    let drafts = extract(&report, gazetteer, regions);
    let evidence = drafts
        .incidents
        .iter()
        .flat_map(|i| &i.evidence)
        .chain(drafts.tallies.iter().flat_map(|t| &t.evidence));
    for e in evidence {
        let quoted: String = chars[e.start..e.end].iter().collect();
        assert_eq!(quoted, e.text);
    }
});

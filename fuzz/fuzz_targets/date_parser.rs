//! `DateSpan::parse` on arbitrary text: never panics, and every span it
//! accepts is ordered and within the accepted years.
#![no_main]

use chrono::Datelike;
use incidents::model::DateSpan;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match DateSpan::parse("--date", text) {
        Ok(span) => {
            assert!(span.start <= span.end, "{text:?} gave {span:?}");
            assert!((1900..=2100).contains(&span.start.year()), "{text:?}");
            assert!((1900..=2100).contains(&span.end.year()), "{text:?}");
        }
        Err(e) => assert!(e.to_string().contains("--date"), "{text:?}: {e}"),
    }
});

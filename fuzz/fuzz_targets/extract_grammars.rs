//! The date and number grammars of `extract` on arbitrary UTF-8: never
//! panic, and every phrase they return is in order, on char boundaries and
//! with a span that is not reversed.
#![no_main]

use chrono::NaiveDate;
use incidents::extract::dates::find_dates;
use incidents::extract::numbers::find_counts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut last = 0;
    for count in find_counts(text) {
        assert!(last <= count.start && count.start < count.end, "{text:?}: {count:?}");
        assert!(text.is_char_boundary(count.start) && text.is_char_boundary(count.end));
        last = count.end;
    }
    // A Tuesday in January, so that weekdays and "last month" cross a year.
    let published = NaiveDate::from_ymd_opt(2025, 1, 7).expect("a real date");
    for country in [Some("SY"), Some("IQ"), None] {
        let mut last = 0;
        for m in find_dates(text, published, country) {
            assert!(last <= m.start && m.start < m.end, "{text:?}: {m:?}");
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            assert!(m.span.start <= m.span.end, "{text:?}: {m:?}");
            last = m.end;
        }
    }
});

//! The extractor on arbitrary text, as properties (the fallback of the
//! `extractor` fuzz target): it never panics, every draft it makes is a
//! valid draft, and every evidence span quotes the text at its character
//! offsets. Inputs mix random characters with the words reports are made
//! of (dates, numbers, places, event words) so the rules actually fire.
//! 200 cases by default; PROPTEST_CASES sets another number.

use std::sync::OnceLock;

use chrono::NaiveDate;
use incidents::extract::{Report, extract, text::check_report};
use incidents::geo::{Gazetteer, Regions};
use incidents::model::{Review, Source};
use proptest::prelude::*;

fn geography() -> &'static (Gazetteer, Regions) {
    static GEO: OnceLock<(Gazetteer, Regions)> = OnceLock::new();
    GEO.get_or_init(|| (Gazetteer::bundled(), Regions::bundled().unwrap()))
}

const WORDS: &[&str] = &[
    "On",
    "Tuesday",
    "last",
    "week",
    "month",
    "since",
    "the",
    "fall",
    "of",
    "regime",
    "in",
    "near",
    "north",
    "town",
    "village",
    "Daraa",
    "Nawa",
    "Mosul",
    "Kirkuk",
    "province",
    "countryside",
    "killed",
    "killing",
    "two",
    "dozens",
    "at",
    "least",
    "38",
    "23",
    "civilians",
    "soldiers",
    "clashes",
    "air",
    "strike",
    "shelling",
    "roadside",
    "bomb",
    "gunmen",
    "shot",
    "dead",
    "a",
    "man",
    "including",
    "double",
    "toll",
    "May",
    "June",
    "5",
    "-",
    ",",
    ".",
    "\n\n",
    "said",
    "ISIS",
    "SDF",
    "protest",
    "arrested",
    "'s",
    "between",
    "and",
    "درعا",
    "نوى",
    "يوم",
    "أمس",
];

fn report_like() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ];
    proptest::collection::vec(word, 0..120).prop_map(|w| w.join(" "))
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(200);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn extract_never_panics_and_quotes_its_evidence(text in report_like(), days in 0i64..4000) {
        let Ok(text) = check_report("prop", text.into_bytes()) else {
            return Ok(());
        };
        let (gazetteer, regions) = geography();
        let published = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Duration::days(days);
        let report = Report { text: &text, published, source: Source::default() };
        let drafts = extract(&report, gazetteer, regions);
        let chars: Vec<char> = text.chars().collect();
        for inc in &drafts.incidents {
            prop_assert_eq!(inc.status, Review::Draft);
            let mut valid = inc.clone();
            prop_assert!(valid.normalize().is_ok(), "{:?}", inc);
            prop_assert!(inc.span.end <= published, "no event after publication: {:?}", inc.span);
        }
        for t in &drafts.tallies {
            let mut valid = t.clone();
            prop_assert!(valid.normalize().is_ok(), "{:?}", t);
        }
        let evidence = drafts.incidents.iter().flat_map(|i| &i.evidence)
            .chain(drafts.tallies.iter().flat_map(|t| &t.evidence));
        for e in evidence {
            prop_assert!(e.start <= e.end && e.end <= chars.len());
            let quoted: String = chars[e.start..e.end].iter().collect();
            prop_assert_eq!(&quoted, &e.text);
        }
    }

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = check_report("prop", bytes);
    }
}

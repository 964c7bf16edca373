//! Country names and codes: ISO 3166-1 alpha-2, alpha-3, numeric and the
//! English names datasets write (ACLED's "Turkey", UCDP's "Russia (Soviet
//! Union)"), all to one key, the alpha-2 code. A table (data/countries.tsv)
//! and lookups; knows nothing of boundaries.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::normalize::normalize_name;

static TABLE: &str = include_str!("../../data/countries.tsv");

struct Country {
    alpha2: &'static str,
    numeric: Option<u16>,
    name: &'static str,
}

struct Index {
    countries: Vec<Country>,
    /// Upper-cased codes and normalised names -> position in `countries`.
    by_key: HashMap<String, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut countries = Vec::new();
        let mut by_key = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            // The table is bundled and checked by a test; a short line is skipped.
            let [alpha2, alpha3, numeric, name, others] = f[..] else {
                continue;
            };
            let i = countries.len();
            countries.push(Country {
                alpha2,
                numeric: numeric.parse().ok(),
                name,
            });
            by_key.insert(alpha2.to_string(), i);
            by_key.insert(alpha3.to_string(), i);
            if !numeric.is_empty() {
                by_key.insert(numeric.to_string(), i);
            }
            for n in std::iter::once(name).chain(others.split('|').filter(|s| !s.is_empty())) {
                by_key.entry(normalize_name(n)).or_insert(i);
            }
        }
        Index { countries, by_key }
    })
}

/// The alpha-2 code of a country given by alpha-2 or alpha-3 code (any
/// case), numeric code ("760", "76" for "076") or English name. A name with
/// a parenthesised former name, as UCDP writes them ("Yemen (North Yemen)"),
/// is also tried without it.
pub fn alpha2(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let idx = index();
    let found = if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<u16>()
            .ok()
            .and_then(|n| idx.by_key.get(&format!("{n:03}")))
    } else {
        let code = (s.len() <= 3 && s.bytes().all(|b| b.is_ascii_alphabetic()))
            .then(|| idx.by_key.get(&s.to_ascii_uppercase()))
            .flatten();
        code.or_else(|| idx.by_key.get(&normalize_name(s)))
            .or_else(|| {
                let bare = s.split_once('(').map(|(head, _)| head.trim())?;
                idx.by_key.get(&normalize_name(bare))
            })
    };
    found.map(|&i| idx.countries[i].alpha2.to_string())
}

fn country(alpha2: &str) -> Option<&'static Country> {
    let idx = index();
    idx.by_key
        .get(&alpha2.trim().to_ascii_uppercase())
        .map(|&i| &idx.countries[i])
        .filter(|c| c.alpha2.eq_ignore_ascii_case(alpha2.trim()))
}

/// The English short name datasets use ("Syria", "Turkey"), from alpha-2.
pub fn name(alpha2: &str) -> Option<&'static str> {
    country(alpha2).map(|c| c.name)
}

/// The ISO 3166-1 numeric code (ACLED's `iso` column), from alpha-2.
pub fn numeric(alpha2: &str) -> Option<u16> {
    country(alpha2).and_then(|c| c.numeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_dataset_names_give_alpha2() {
        for (q, want) in [
            ("SY", "SY"),
            ("sy", "SY"),
            ("SYR", "SY"),
            ("760", "SY"),
            ("Syria", "SY"),
            ("Syrian Arab Republic", "SY"),
            ("Iraq", "IQ"),
            ("368", "IQ"),
            ("Turkey", "TR"),
            ("Türkiye", "TR"),
            ("Turkiye", "TR"),
            ("Palestine", "PS"),
            ("Israel", "IL"),
            ("Lebanon", "LB"),
            ("Jordan", "JO"),
            ("Iran", "IR"),
            ("Russia (Soviet Union)", "RU"),
            ("DR Congo (Zaire)", "CD"),
            ("Democratic Republic of Congo", "CD"),
            ("Republic of Congo", "CG"),
            ("Congo", "CG"),
            ("Ivory Coast", "CI"),
            ("Yemen (North Yemen)", "YE"),
            ("4", "AF"),
            ("004", "AF"),
            ("UK", "GB"),
            ("UAE", "AE"),
        ] {
            assert_eq!(alpha2(q).as_deref(), Some(want), "{q}");
        }
        for q in ["", "Narnia", "999", "XX", "Korea"] {
            assert_eq!(alpha2(q), None, "{q}");
        }
    }

    #[test]
    fn name_and_numeric_from_alpha2() {
        assert_eq!(name("SY"), Some("Syria"));
        assert_eq!(name("tr"), Some("Turkey"));
        assert_eq!(numeric("SY"), Some(760));
        assert_eq!(numeric("IQ"), Some(368));
        assert_eq!(numeric("AF"), Some(4));
        assert_eq!(name("SYR"), None, "alpha-2 only");
        assert_eq!(name("XX"), None);
    }

    #[test]
    fn every_row_has_five_fields_and_unique_codes() {
        let rows: Vec<&str> = TABLE.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(rows.len() >= 249);
        let mut seen = std::collections::HashSet::new();
        for row in &rows {
            let f: Vec<&str> = row.split('\t').collect();
            assert_eq!(f.len(), 5, "{row}");
            for code in &f[..3] {
                assert!(code.is_empty() || seen.insert(code.to_string()), "{row}");
            }
        }
        assert_eq!(index().countries.len(), rows.len());
    }
}

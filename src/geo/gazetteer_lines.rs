//! The line format of the bundled places (data/gazetteer_places.tsv.gz),
//! written once for its two readers: build.rs, which checks every line and
//! derives the flat index files that the gazetteer reads in place, and the
//! gazetteer, which parses only the lines of the places a search returns.
//! Only `std` here: build.rs compiles this file too.

/// Bytes per place in the derived country column (ISO 3166-1 alpha-2).
pub const COUNTRY_LEN: usize = 2;
/// Bytes per place in the derived feature code column (GeoNames codes have
/// at most five letters; shorter ones are padded with spaces).
pub const FEATURE_LEN: usize = 5;

/// The admin1 code and name of an `#admin1<TAB>code<TAB>name` line (these
/// precede the places, sorted by code); `None` for a place line.
pub fn admin1_line(line: &str) -> Option<Result<(&str, &str), &'static str>> {
    let rest = line.strip_prefix("#admin1\t")?;
    Some(rest.split_once('\t').ok_or("an admin1 line without a name"))
}

/// One place line: id, name, lat, lon, country, feature code, population,
/// admin1 code (empty when none), alternate names (comma-separated).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaceLine<'a> {
    pub id: i64,
    pub name: &'a str,
    pub latitude: f64,
    pub longitude: f64,
    pub country: &'a str,
    pub feature_code: &'a str,
    pub population: u64,
    pub admin1_code: &'a str,
    /// Comma-separated; empty when none.
    pub alt_names: &'a str,
}

impl<'a> PlaceLine<'a> {
    /// Parses a line without its newline; the error names the bad column.
    pub fn parse(line: &'a str) -> Result<PlaceLine<'a>, &'static str> {
        let mut f = line.split('\t');
        let mut next = |column: &'static str| f.next().ok_or(column);
        Ok(PlaceLine {
            id: next("id")?.parse().map_err(|_| "id")?,
            name: next("name")?,
            latitude: next("latitude")?.parse().map_err(|_| "latitude")?,
            longitude: next("longitude")?.parse().map_err(|_| "longitude")?,
            country: next("country")?,
            feature_code: next("feature code")?,
            population: next("population")?.parse().map_err(|_| "population")?,
            admin1_code: next("admin1 code")?,
            alt_names: next("alternate names")?,
        })
    }
}

//! Readers and writers: the output layer every command prints through, and
//! the file formats for import and export. One file per format.

pub mod acled;
pub mod chart;
pub mod choropleth;
pub mod csv;
pub mod fields;
pub mod geojson;
pub mod gpkg;
pub mod guard;
pub mod html;
pub mod map;
pub mod palette;
pub mod png;
pub mod report;
pub mod rows;
pub mod svg;
pub mod tags;
pub mod ucdp;
pub mod xlsx;

pub use rows::{OutputFormat, RowWriter};

/// "1 incident", "3 incidents": a count with its noun, for people.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

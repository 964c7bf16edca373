//! Readers and writers: the output layer every command prints through, and
//! the file formats for import and export. One file per format.

pub mod acled;
pub mod choropleth;
pub mod csv;
pub mod fields;
pub mod geojson;
pub mod gpkg;
pub mod guard;
pub mod report;
pub mod rows;
pub mod tags;
pub mod ucdp;
pub mod xlsx;

pub use rows::{OutputFormat, RowWriter};

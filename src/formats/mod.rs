//! Readers and writers: the output layer every command prints through, and
//! the file formats for import and export. One file per format.

pub mod choropleth;
pub mod csv;
pub mod report;
pub mod rows;

pub use rows::{OutputFormat, RowWriter};

//! `incidents`: a database of dated, geolocated conflict incidents.
//!
//! The library holds all the work; the `incidents` binary is a thin CLI over
//! it. Data flows one way: arguments -> [`model`] types -> [`store`] /
//! `geo` / `report` -> `formats` -> output.
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod add;
pub mod chart;
pub mod check;
pub mod database;
pub mod dedup;
pub mod edit;
pub mod error;
pub mod export;
pub mod extract;
pub mod field;
pub mod filter;
pub mod fold;
pub mod formats;
pub mod geo;
pub mod group;
pub mod import;
pub mod locate;
pub mod map;
pub mod merge;
pub mod model;
pub mod report;
pub mod report_scope;
pub mod review;
pub mod seeds;
pub mod store;
pub mod stream;
pub mod sync;
pub mod tiles;

pub use database::Database;
pub use error::{Error, Result};
pub use store::{Author, Location};

//! Domain types; being split into one file per concept.

mod incident;

pub use incident::*;

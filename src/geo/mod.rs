//! Offline geography: the gazetteer (place name -> ranked candidate places) and
//! regions (point -> admin units, region name or code -> polygon), both loaded
//! from the derived data bundled in `data/`. Nothing here touches the database.

pub mod bundle;
mod bundled;
mod columns;
pub mod countries;
pub mod encoding;
pub mod gazetteer;
mod gazetteer_lines;
mod index;
mod level;
mod name_index;
pub mod normalize;
pub mod region;
pub mod regions;
pub mod resolve;

pub use gazetteer::{Candidate, Gazetteer, MatchKind, Place};
pub use normalize::{is_variant, normalize_name, skeleton_key, variant_key};
pub use region::{Level, Region};
pub use regions::{Assignment, HOLD_KM, OutsideCountry, Regions, Resolved};
pub use resolve::{Answer, Resolution, resolve};

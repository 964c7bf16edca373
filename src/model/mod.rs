//! Pure domain types with validation: incidents, the ACLED event taxonomy,
//! date spans with their precision, fatality estimates, sources and tallies.
//! No SQL, no clap, no output formatting here.

mod incident;
mod review;
mod span;
mod tally;
mod taxonomy;

pub use incident::{
    AdminLevel, Fatalities, GeoPrecision, Incident, MAX_TEXT, Source, check_coordinates,
    check_text, check_uid,
};
pub use review::{Evidence, Review};
pub use span::{DatePrecision, DateSpan};
pub use tally::{Tally, whole_as_integer};
pub use taxonomy::{TAXONOMY, canonical_event_type, canonical_sub_event_type, closest};

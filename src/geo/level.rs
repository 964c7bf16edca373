//! The level of a region. Its own module, free of the rest of the crate, so
//! that build.rs can compile it with the bundled-regions format (`bundle`).

use serde::{Deserialize, Serialize};

/// Ordered as `resolve` prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    Admin1,
    Admin2,
    Custom,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Admin1 => "admin1",
            Level::Admin2 => "admin2",
            Level::Custom => "custom",
        }
    }
}

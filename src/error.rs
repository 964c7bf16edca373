//! The library's one error type. Every variant says what was wrong, where, and
//! what was expected, so the binary can print it as is.

use std::path::PathBuf;

/// Errors returned by the `incidents` library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user-supplied value (flag, field, cell) is not valid.
    #[error("invalid {field} {value:?}: expected {expected}")]
    Invalid {
        field: String,
        value: String,
        expected: String,
    },
    /// A row or feature of an input file is not valid.
    #[error("{input}: {location}: {reason}")]
    Input {
        input: String,
        location: String,
        reason: String,
    },
    /// A uid, region or place that does not exist.
    #[error("{what} {name:?} not found{}", suggestions_text(.suggestions))]
    NotFound {
        what: String,
        name: String,
        suggestions: Vec<String>,
    },
    /// No place has this name (exactly or in a known variant spelling).
    #[error("no place named {name:?}{}\nadd it to your own places, or give coordinates", no_place_text(.suggestions))]
    NoPlace {
        name: String,
        /// Lines describing places with similar but different names.
        suggestions: Vec<String>,
    },
    /// A place name matches several places and the caller must choose.
    #[error("place {name:?} is ambiguous; candidates:\n{}\nchoose one by its coordinates, or narrow it by country", .candidates.join("\n"))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
    /// The database was written by a newer version of `incidents`.
    #[error(
        "database {path} has schema version {found}, newer than this program's {supported}; upgrade incidents (the database was not changed)"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// A region name or code that matches nothing known.
    #[error("unknown region {query:?}{}", suggestions_text(.suggestions))]
    UnknownRegion {
        query: String,
        suggestions: Vec<String>,
    },
    /// Data that is not as expected: `what` says which and where.
    #[error("{what}: {reason}")]
    Data { what: String, reason: String },
    /// A write to a database the user may only read.
    #[error(
        "database {path} is read-only (file or directory permissions): list, show, report and export work; adding, editing and importing need write access"
    )]
    ReadOnly { path: PathBuf },
    /// A write by a login that may only read a shared database.
    #[error(
        "{user} may read but not change this database ({database}): list, show, report and export work; an administrator can allow changes with GRANT incidents_editor TO {user};"
    )]
    NotPermitted { user: String, database: String },
    /// A review decision (accepting or rejecting a draft) by a login that
    /// may change data but not review it.
    #[error(
        "{user} may draft and edit but not review in this database ({database}): accepting or rejecting a draft takes the incidents_reviewer role; an administrator can grant it with GRANT incidents_reviewer TO {user};"
    )]
    NotReviewer { user: String, database: String },
    /// The database server cannot be reached or refuses the login.
    #[error("cannot open PostgreSQL database {database} on {server}: {reason}")]
    Connect {
        server: String,
        database: String,
        reason: String,
    },
    /// An error from the storage backend, in its own words.
    #[error("database: {message}")]
    Database {
        kind: DatabaseErrorKind,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// What kind of storage error, where the library acts on the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseErrorKind {
    /// The file or directory may only be read.
    ReadOnly,
    /// The file is not a database of this backend.
    NotADatabase,
    /// The login lacks a privilege the operation needs.
    PermissionDenied,
    /// The login may change data but not decide a review.
    ReviewRefused,
    Other,
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Error {
        Error::Io {
            path: "<input>".into(),
            source,
        }
    }
}

fn suggestions_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", s.join(", "))
    }
}

fn no_place_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(
            "; places with similar but DIFFERENT names (not used):\n{}",
            s.join("\n")
        )
    }
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: &str, value: impl ToString, expected: impl ToString) -> Error {
        Error::Invalid {
            field: field.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }

    /// Shorthand for [`Error::Io`] naming the file.
    pub fn io(path: impl ToString, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }

    /// Names the input (a file, or `<stdin>`) in a data error from a reader
    /// that does not know it.
    pub fn in_file(self, input: &str) -> Error {
        match self {
            Error::Data { what, reason }
            | Error::Input {
                location: what,
                reason,
                ..
            } => Error::Input {
                input: input.to_string(),
                location: what,
                reason,
            },
            Error::Json(e) => Error::Input {
                input: input.to_string(),
                location: format!("line {}, column {}", e.line(), e.column()),
                reason: format!("not valid JSON: {e}"),
            },
            Error::Io { source, .. } => Error::io(input, source),
            other => other,
        }
    }

    /// True when the error is a closed output pipe, which ends a command quietly.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Io { source, .. } => source.kind() == std::io::ErrorKind::BrokenPipe,
            Error::Csv(e) => {
                matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            }
            Error::Json(e) => e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! What every reader shares: a row read from a file, a row-level error that
//! names the line and field, and typed access to CSV cells by column name.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use csv::ByteRecord;

use crate::error::{Error, Result};
use crate::field::{Field, FieldSet};
use crate::formats::guard::unguard;
use crate::formats::tags;
use crate::model::{GeoPrecision, Incident};

/// One incident read from a file, with where it came from and which fields
/// the file carries (an import leaves the others as stored).
#[derive(Debug, Clone)]
pub struct Row {
    /// "line 12" or "feature 3", for messages.
    pub location: String,
    pub incident: Incident,
    pub carried: FieldSet,
}

/// A row that could not be read: where, which field, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub location: String,
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: field {}: {}",
            self.location, self.field, self.reason
        )
    }
}

/// A stream of rows from one file.
/// Send, so that an import can read and check rows on one core while it
/// writes on another.
pub type Rows<'a> = Box<dyn Iterator<Item = std::result::Result<Row, RowError>> + Send + 'a>;

/// Column positions of a CSV header, by name.
pub struct Header {
    idx: HashMap<String, usize>,
}

impl Header {
    /// Reads the header and checks that every `required` column is present.
    pub fn new(headers: &ByteRecord, required: &[&str], input: &str) -> Result<Header> {
        let mut idx = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let name = String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            idx.entry(name).or_insert(i);
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !idx.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(Error::Input {
                input: input.into(),
                location: "line 1 (header)".into(),
                reason: format!("missing column(s): {}", missing.join(", ")),
            });
        }
        Ok(Header { idx })
    }

    /// True when the file has this column.
    pub fn has(&self, col: &str) -> bool {
        self.idx.contains_key(col)
    }

    /// A cell as a CSV record view.
    pub fn cells<'r>(&'r self, rec: &'r ByteRecord, location: String) -> Cells<'r> {
        Cells {
            header: self,
            rec,
            location,
        }
    }
}

/// Typed, named access to the fields of one row (a CSV record, a GeoJSON
/// feature's properties); every error names the row and the field.
pub trait Fields {
    /// "line 12" or "feature 3".
    fn location(&self) -> &str;

    /// The trimmed text of a field; `None` when absent, null or empty.
    fn text(&self, col: &str) -> std::result::Result<Option<String>, RowError>;

    /// The error for `field`.
    fn error(&self, field: &str, reason: impl Into<String>) -> RowError {
        RowError {
            location: self.location().to_string(),
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A required text field.
    fn required(&self, col: &str) -> std::result::Result<String, RowError> {
        self.text(col)?
            .ok_or_else(|| self.error(col, "is empty; a value is required"))
    }

    /// A number, or `None` when empty.
    fn f64(&self, col: &str) -> std::result::Result<Option<f64>, RowError> {
        match self.text(col)? {
            None => Ok(None),
            Some(s) => match s.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(self.error(col, format!("{s:?} is not a number"))),
            },
        }
    }

    /// A non-negative whole number, or `None` when empty.
    fn u32(&self, col: &str) -> std::result::Result<Option<u32>, RowError> {
        match self.text(col)? {
            None => Ok(None),
            Some(s) => s
                .parse::<u32>()
                .map(Some)
                .map_err(|_| self.error(col, format!("{s:?} is not a whole number >= 0"))),
        }
    }

    /// A geo precision (1 to 4), or `None` when empty.
    fn geo_precision(&self, col: &str) -> std::result::Result<Option<GeoPrecision>, RowError> {
        self.u32(col)?
            .map(|p| GeoPrecision::try_from(p.min(255) as u8))
            .transpose()
            .map_err(|e| invalid(self.location(), e))
    }

    /// Tags, from one cell as [`tags::join`] writes them.
    fn tags(&self, col: &str) -> std::result::Result<Vec<String>, RowError> {
        Ok(self.text(col)?.map(|t| tags::split(&t)).unwrap_or_default())
    }

    /// A date as YYYY-MM-DD, or `None` when empty.
    fn date(&self, col: &str) -> std::result::Result<Option<NaiveDate>, RowError> {
        match self.text(col)? {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| self.error(col, format!("{s:?} is not a real date as YYYY-MM-DD"))),
        }
    }
}

/// The cells of one CSV record, by column name.
pub struct Cells<'r> {
    header: &'r Header,
    rec: &'r ByteRecord,
    location: String,
}

impl Fields for Cells<'_> {
    fn location(&self) -> &str {
        &self.location
    }

    fn text(&self, col: &str) -> std::result::Result<Option<String>, RowError> {
        let Some(&i) = self.header.idx.get(col) else {
            return Ok(None);
        };
        let Some(bytes) = self.rec.get(i) else {
            return Ok(None);
        };
        let s = std::str::from_utf8(bytes).map_err(|e| {
            self.error(
                col,
                format!(
                    "not valid UTF-8 (byte {}); convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8",
                    e.valid_up_to()
                ),
            )
        })?;
        let t = s.trim();
        Ok((!t.is_empty()).then(|| unguard(t.to_string())))
    }
}

/// Turns a model validation error into a row error at `location`.
pub fn invalid(location: &str, e: Error) -> RowError {
    match e {
        Error::Invalid {
            field,
            value,
            expected,
        } => RowError {
            location: location.into(),
            field,
            reason: format!("{value:?}: expected {expected}"),
        },
        other => RowError {
            location: location.into(),
            field: "-".into(),
            reason: other.to_string(),
        },
    }
}

/// Counts the quote characters read, to notice a file that ends inside a
/// quoted field: the csv crate takes an unclosed quote at the end of the
/// file as the end of the field, so a truncated file would look complete.
struct QuoteCounter<R> {
    inner: R,
    quotes: Arc<AtomicU64>,
}

impl<R: Read> Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let q = buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        self.quotes.fetch_add(q, Ordering::Relaxed);
        Ok(n)
    }
}

/// The rows of a CSV file: checks the header has the `required` columns,
/// then turns each record into an incident with `row`. Each row carries the
/// fields of the `columns` (column, field) in the header. Short rows are
/// reported per row; a file that ends inside a quoted field has its last
/// row reported as truncated instead of imported.
pub fn csv_rows<'a, R: Read + Send + 'a>(
    r: R,
    input: &str,
    required: &[&str],
    columns: &[(&str, Field)],
    row: fn(&Cells) -> std::result::Result<Incident, RowError>,
) -> Result<Rows<'a>> {
    let quotes = Arc::new(AtomicU64::new(0));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(QuoteCounter {
            inner: r,
            quotes: Arc::clone(&quotes),
        });
    let header = Header::new(
        reader.byte_headers().map_err(|e| csv_error(input, e))?,
        required,
        input,
    )?;
    let carried = FieldSet::carried(columns, |c| header.has(c));
    let input = input.to_string();
    let mut records = reader.into_byte_records().peekable();
    Ok(Box::new(std::iter::from_fn(move || {
        let rec = records.next()?;
        // Peeking reads on to the next record (or the end of the file), so
        // at the last record every quote of the file has been counted.
        let last = records.peek().is_none();
        Some(match rec {
            Err(e) => Err(RowError {
                location: e
                    .position()
                    .map(|p| format!("line {}", p.line()))
                    .unwrap_or_default(),
                field: "-".into(),
                reason: format!("{input}: {e}"),
            }),
            Ok(rec) => {
                let location = rec
                    .position()
                    .map(|p| format!("line {}", p.line()))
                    .unwrap_or_else(|| "line ?".into());
                if last && quotes.load(Ordering::Relaxed) % 2 == 1 {
                    Err(RowError {
                        location,
                        field: "-".into(),
                        reason: format!(
                            "{input}: the file ends inside a quoted field (truncated?)"
                        ),
                    })
                } else {
                    row(&header.cells(&rec, location.clone())).map(|incident| Row {
                        location,
                        incident,
                        carried,
                    })
                }
            }
        })
    })))
}

/// A CSV-level error (unbalanced quote, I/O) as a fatal input error.
fn csv_error(input: &str, e: csv::Error) -> Error {
    let location = e
        .position()
        .map(|p| format!("line {}", p.line()))
        .unwrap_or_else(|| "-".into());
    Error::Input {
        input: input.into(),
        location,
        reason: e.to_string(),
    }
}

//! Excel workbook (.xlsx) output: the native CSV's columns, in its order,
//! with types (dates as Excel dates, numbers as numbers, unknown values as
//! empty cells, never 0), a frozen bold header with an autofilter, and an
//! "about" sheet saying what was exported. Every text is written as a text
//! cell, so opening the file never evaluates anything. Writes the file it is
//! given; never touches the store.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::formats::csv::{COLUMNS, ColumnKind, column_kind, incident_row};
use crate::formats::guard::starts_formula;
use crate::formats::rows::cell;
use crate::model::Incident;

/// Excel's rows per sheet (header included): more incidents continue on
/// further sheets ("incidents 2", ...), each with the header.
pub const SHEET_ROWS: u32 = 1_048_576;

/// The longest text an Excel cell holds, in UTF-16 code units.
pub const CELL_TEXT_MAX: usize = 32_767;

/// The name of the first data sheet; the next ones are numbered from 2.
const SHEET: &str = "incidents";

/// Widest column, in characters: long notes wrap the view, not the sheet.
const WIDTH_MAX: usize = 50;

/// The attribution of the bundled boundaries and gazetteer, whose names
/// fill the admin columns.
const NOTICE: &str = include_str!("../../data/NOTICE");

/// A text cell longer than Excel allows, cut to fit and marked as cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutCell {
    /// The incident's uid (empty when it has none).
    pub uid: String,
    /// The sheet and cell, e.g. `incidents!Z12`.
    pub cell: String,
    pub column: &'static str,
    /// The whole text's length in characters.
    pub chars: usize,
}

impl fmt::Display for CutCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let uid = if self.uid.is_empty() {
            "(no uid)"
        } else {
            &self.uid
        };
        write!(
            f,
            "{uid} {} ({}, {} characters)",
            self.column, self.cell, self.chars
        )
    }
}

/// What the about sheet says besides what the writer counted.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// When the export ran, `YYYY-MM-DDTHH:MM:SSZ`.
    pub exported_at: String,
    /// The filter's criteria, as (name, value); empty: every incident.
    pub filter: Vec<(String, String)>,
}

struct Formats {
    header: Format,
    date: Format,
    timestamp: Format,
    /// Text that Excel would read as a formula if it were typed: the quote
    /// prefix keeps it text when a user edits the cell, without changing it.
    quoted: Format,
}

/// Streams incidents into a workbook; [`XlsxWriter::finish`] writes the file.
/// Rows are flushed to a temporary file as they are written ("constant
/// memory" mode: text is stored in each cell rather than in a shared table),
/// so memory holds one row whatever the number of incidents.
pub struct XlsxWriter {
    workbook: Workbook,
    sheet: Worksheet,
    /// Data sheets so far, the current one included.
    sheets: u32,
    /// The next row of the current sheet (0 is the header).
    row: u32,
    /// Rows per sheet, header included ([`SHEET_ROWS`]; fewer in tests).
    sheet_rows: u32,
    /// Characters of the widest value of each column on the current sheet.
    widths: Vec<usize>,
    formats: Formats,
    written: u64,
    cut: Vec<CutCell>,
    /// Incidents citing each publisher, for the about sheet's attribution.
    publishers: BTreeMap<String, u64>,
    /// The output's name, for messages.
    name: String,
}

impl XlsxWriter {
    /// A writer for the file `path` (named in messages); the rows waiting to
    /// be saved go to an unnamed temporary file in `spill_dir` (the output's
    /// directory: the data ends up there anyway, and a memory-backed /tmp
    /// would hold the whole sheet in memory).
    pub fn new(path: &Path, spill_dir: &Path) -> Result<XlsxWriter> {
        XlsxWriter::with_sheet_rows(path, spill_dir, SHEET_ROWS)
    }

    fn with_sheet_rows(path: &Path, spill_dir: &Path, sheet_rows: u32) -> Result<XlsxWriter> {
        let name = path.display().to_string();
        let err = |e| xlsx_error(&name, e);
        let mut workbook = Workbook::new();
        workbook.set_tempdir(spill_dir).map_err(err)?;
        let formats = Formats {
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            timestamp: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            quoted: Format::new().set_quote_prefix(),
        };
        let sheet = data_sheet(&mut workbook, &formats, 1).map_err(err)?;
        Ok(XlsxWriter {
            workbook,
            sheet,
            sheets: 1,
            row: 1,
            sheet_rows,
            widths: COLUMNS.iter().map(|c| c.len()).collect(),
            formats,
            written: 0,
            cut: Vec::new(),
            publishers: BTreeMap::new(),
            name,
        })
    }

    /// Adds one incident as a row.
    pub fn write(&mut self, inc: &Incident) -> Result<()> {
        if self.row == self.sheet_rows {
            self.next_sheet()?;
        }
        let row = incident_row(inc)?;
        for (col, column) in COLUMNS.iter().enumerate() {
            let value = row.get(*column).unwrap_or(&Value::Null);
            self.write_cell(inc, col, column, value)?;
        }
        let mut cited: Vec<&str> = inc.sources.iter().map(|s| s.publisher.as_str()).collect();
        cited.sort_unstable();
        cited.dedup();
        for p in cited {
            *self.publishers.entry(p.to_string()).or_default() += 1;
        }
        self.row += 1;
        self.written += 1;
        Ok(())
    }

    /// One cell of the current row: empty for an unknown value, typed by
    /// the column's kind, text when a value does not fit its kind (an
    /// imported timestamp in another layout, a date before 1900) so that
    /// nothing is lost.
    fn write_cell(
        &mut self,
        inc: &Incident,
        col: usize,
        column: &'static str,
        value: &Value,
    ) -> Result<()> {
        let text = cell(value);
        if text.is_empty() {
            return Ok(());
        }
        let (row, c) = (self.row, col as u16);
        let done = match column_kind(column) {
            ColumnKind::Integer | ColumnKind::Real => value
                .as_f64()
                .map(|n| self.sheet.write_number(row, c, n).map(|_| ())),
            ColumnKind::Date => excel_date(&text).map(|d| {
                self.sheet
                    .write_datetime_with_format(row, c, d, &self.formats.date)
                    .map(|_| ())
            }),
            ColumnKind::Timestamp => excel_timestamp(&text).map(|d| {
                self.sheet
                    .write_datetime_with_format(row, c, d, &self.formats.timestamp)
                    .map(|_| ())
            }),
            ColumnKind::Text => None,
        };
        let width = text.chars().count();
        let result = match done {
            Some(r) => r,
            None => self.write_text(inc, col, column, text),
        };
        result.map_err(|e| xlsx_error(&self.name, e))?;
        self.widths[col] = self.widths[col].max(width);
        Ok(())
    }

    /// A text cell, always a string (never a formula), cut to Excel's limit
    /// with a visible mark when longer.
    fn write_text(
        &mut self,
        inc: &Incident,
        col: usize,
        column: &'static str,
        text: String,
    ) -> std::result::Result<(), XlsxError> {
        let text = if utf16_len(&text) > CELL_TEXT_MAX {
            self.cut.push(CutCell {
                uid: inc.uid.clone().unwrap_or_default(),
                cell: format!(
                    "{}!{}{}",
                    self.sheet_name(),
                    column_letters(col),
                    self.row + 1
                ),
                column,
                chars: text.chars().count(),
            });
            cut_text(&text)
        } else {
            text
        };
        let (row, c) = (self.row, col as u16);
        if starts_formula(&text) {
            self.sheet
                .write_string_with_format(row, c, text, &self.formats.quoted)?;
        } else {
            self.sheet.write_string(row, c, text)?;
        }
        Ok(())
    }

    fn sheet_name(&self) -> String {
        sheet_name(self.sheets)
    }

    /// Ends the current sheet (widths, autofilter) and starts the next.
    fn next_sheet(&mut self) -> Result<()> {
        let err = |e| xlsx_error(&self.name, e);
        let next = data_sheet(&mut self.workbook, &self.formats, self.sheets + 1).map_err(err)?;
        let full = std::mem::replace(&mut self.sheet, next);
        self.close_sheet(full)?;
        self.sheets += 1;
        self.row = 1;
        self.widths = COLUMNS.iter().map(|c| c.len()).collect();
        Ok(())
    }

    fn close_sheet(&mut self, mut sheet: Worksheet) -> Result<()> {
        let last_col = (COLUMNS.len() - 1) as u16;
        let result = (|| {
            for (col, chars) in self.widths.iter().enumerate() {
                // Two characters of margin, two more for the filter's arrow.
                sheet.set_column_width(col as u16, ((*chars).min(WIDTH_MAX) + 4) as f64)?;
            }
            sheet.autofilter(0, 0, self.row - 1, last_col)?;
            Ok(())
        })();
        result.map_err(|e| xlsx_error(&self.name, e))?;
        self.workbook.push_worksheet(sheet);
        Ok(())
    }

    /// Incidents written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Adds the about sheet and saves the workbook at `out` (the caller's
    /// temporary name; an error can leave a partial file there). Returns
    /// the cells that were cut.
    pub fn finish(mut self, about: &About, out: &Path) -> Result<Vec<CutCell>> {
        let last = std::mem::replace(&mut self.sheet, Worksheet::new());
        self.close_sheet(last)?;
        let sheet = self
            .about_sheet(about)
            .map_err(|e| xlsx_error(&self.name, e))?;
        self.workbook.push_worksheet(sheet);
        self.workbook
            .save(out)
            .map_err(|e| xlsx_error(&out.display().to_string(), e))?;
        Ok(self.cut)
    }

    /// What was exported, from where, and how to read it.
    fn about_sheet(&self, about: &About) -> std::result::Result<Worksheet, XlsxError> {
        let mut sheet = Worksheet::new();
        sheet.set_name("about")?;
        sheet.set_column_width(0, 22)?;
        sheet.set_column_width(1, 100)?;
        let bold = &self.formats.header;
        // A header, so that readers taking the first row as field names
        // (GDAL) see two fields rather than the first line as names.
        sheet.write_string_with_format(0, 0, "item", bold)?;
        sheet.write_string_with_format(0, 1, "value", bold)?;
        let mut row = 1;
        let mut line = |sheet: &mut Worksheet, label: &str, text: &str| {
            sheet.write_string_with_format(row, 0, label, bold)?;
            if starts_formula(text) {
                sheet.write_string_with_format(row, 1, text, &self.formats.quoted)?;
            } else {
                sheet.write_string(row, 1, text)?;
            }
            row += 1;
            Ok::<_, XlsxError>(row - 1)
        };
        line(&mut sheet, "export", "incidents from an incidents database")?;
        let at = line(&mut sheet, "exported at (UTC)", "")?;
        if let Some(d) = excel_timestamp(&about.exported_at) {
            sheet.write_datetime_with_format(at, 1, d, &self.formats.timestamp)?;
        }
        let n = line(&mut sheet, "incidents", "")?;
        sheet.write_number(n, 1, self.written as f64)?;
        let sheets: Vec<String> = (1..=self.sheets).map(sheet_name).collect();
        line(
            &mut sheet,
            "sheets",
            &format!(
                "{} (at most {} incidents a sheet: Excel's limit of {} rows, less the header)",
                sheets.join(", "),
                self.sheet_rows - 1,
                self.sheet_rows
            ),
        )?;
        if about.filter.is_empty() {
            line(&mut sheet, "filter", "none: every reviewed incident")?;
        }
        for (name, value) in &about.filter {
            line(&mut sheet, "filter", &format!("{name}: {value}"))?;
        }
        line(
            &mut sheet,
            "columns",
            "those of the CSV export, in its order (see the README); date_start and date_end \
             are Excel dates, created_at and updated_at UTC times, numbers are numbers; \
             an empty cell is an unknown value, not zero",
        )?;
        line(
            &mut sheet,
            "formulas",
            "none: every text is a text cell, so nothing is evaluated; text starting with \
             = + - @ is marked as text (quote prefix), which keeps it text when edited",
        )?;
        if self.cut.is_empty() {
            line(&mut sheet, "cut cells", "none")?;
        }
        for c in &self.cut {
            line(
                &mut sheet,
                "cut cell",
                &format!(
                    "{c}: longer than Excel's {CELL_TEXT_MAX} characters, cut and marked; \
                     the CSV export keeps the whole text"
                ),
            )?;
        }
        for (publisher, n) in &self.publishers {
            let s = if *n == 1 { "" } else { "s" };
            line(
                &mut sheet,
                "source",
                &format!("{publisher} ({n} incident{s})"),
            )?;
        }
        for paragraph in NOTICE
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            line(
                &mut sheet,
                "boundaries, places",
                &paragraph.replace('\n', " "),
            )?;
        }
        Ok(sheet)
    }
}

/// A data sheet with its bold header, frozen.
fn data_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    n: u32,
) -> std::result::Result<Worksheet, XlsxError> {
    let mut sheet = workbook.new_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name(n))?;
    for (col, column) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *column, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

fn sheet_name(n: u32) -> String {
    if n == 1 {
        SHEET.to_string()
    } else {
        format!("{SHEET} {n}")
    }
}

/// A YYYY-MM-DD day as an Excel date; `None` for other text and for days
/// Excel cannot show (before 1900).
fn excel_date(s: &str) -> Option<ExcelDateTime> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    )
    .ok()
}

/// A YYYY-MM-DDTHH:MM:SSZ time as an Excel date and time.
fn excel_timestamp(s: &str) -> Option<ExcelDateTime> {
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").ok()?;
    excel_date(&t.date().to_string())?
        .and_hms(t.hour() as u16, t.minute() as u8, t.second())
        .ok()
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The start of `text` and a mark saying it was cut, within Excel's limit.
fn cut_text(text: &str) -> String {
    let total = text.chars().count();
    let mut kept = 0;
    let mut len = 0;
    let mark = |kept: usize| {
        format!(
            " … [cut at {kept} of {total} characters: Excel's cell limit; the CSV export has all]"
        )
    };
    let room = CELL_TEXT_MAX - utf16_len(&mark(total));
    let mut end = 0;
    for (i, ch) in text.char_indices() {
        if len + ch.len_utf16() > room {
            break;
        }
        len += ch.len_utf16();
        kept += 1;
        end = i + ch.len_utf8();
    }
    format!("{}{}", &text[..end], mark(kept))
}

/// A column's letters: 0 is A, 26 is AA.
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

fn xlsx_error(name: &str, e: XlsxError) -> Error {
    Error::io(name, std::io::Error::other(format!("writing xlsx: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    fn incident(n: usize) -> Incident {
        let mut i = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        i.uid = Some(format!("INC-{n:06}"));
        i
    }

    fn write(incidents: &[Incident], sheet_rows: u32) -> (tempfile::TempDir, Vec<CutCell>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xlsx");
        let mut w = XlsxWriter::with_sheet_rows(&path, dir.path(), sheet_rows).unwrap();
        for i in incidents {
            w.write(i).unwrap();
        }
        let about = About {
            exported_at: "2025-07-01T08:00:00Z".into(),
            filter: vec![("country".into(), "SY".into())],
        };
        let cut = w.finish(&about, &path).unwrap();
        (dir, cut)
    }

    fn open(dir: &tempfile::TempDir) -> Xlsx<std::io::BufReader<std::fs::File>> {
        open_workbook(dir.path().join("out.xlsx")).unwrap()
    }

    #[test]
    fn rows_past_a_sheets_limit_continue_on_the_next_sheet() {
        let incidents: Vec<Incident> = (1..=5).map(incident).collect();
        // A header and two incidents a sheet: 2 + 2 + 1.
        let (dir, _) = write(&incidents, 3);
        let mut book = open(&dir);
        assert_eq!(
            book.sheet_names(),
            ["incidents", "incidents 2", "incidents 3", "about"]
        );
        let mut uids = Vec::new();
        for name in ["incidents", "incidents 2", "incidents 3"] {
            let range = book.worksheet_range(name).unwrap();
            let rows: Vec<_> = range.rows().collect();
            assert_eq!(rows[0].len(), COLUMNS.len(), "{name}");
            for (cell, column) in rows[0].iter().zip(COLUMNS) {
                assert_eq!(cell, &Data::String(column.to_string()), "{name}");
            }
            assert!(rows.len() <= 3, "{name}: {} rows", rows.len());
            uids.extend(rows[1..].iter().map(|r| r[0].to_string()));
        }
        let want: Vec<String> = incidents.iter().map(|i| i.uid.clone().unwrap()).collect();
        assert_eq!(uids, want);
        let about = book.worksheet_range("about").unwrap();
        let sheets = about
            .rows()
            .find(|r| r[0] == Data::String("sheets".into()))
            .unwrap();
        assert!(
            sheets[1]
                .to_string()
                .starts_with("incidents, incidents 2, incidents 3 "),
            "{}",
            sheets[1]
        );
    }

    #[test]
    fn text_longer_than_a_cell_is_cut_marked_and_reported() {
        let mut long = incident(1);
        // 40,000 characters, the clefs taking two UTF-16 units each.
        let text: String = "é𝄞a".repeat(13_334);
        long.notes = Some(text.clone());
        let (dir, cut) = write(&[incident(0), long], SHEET_ROWS);
        let col = COLUMNS.iter().position(|c| *c == "notes").unwrap();
        assert_eq!(
            cut,
            [CutCell {
                uid: "INC-000001".into(),
                cell: format!("incidents!{}3", column_letters(col)),
                column: "notes",
                chars: text.chars().count(),
            }]
        );
        let range = open(&dir).worksheet_range("incidents").unwrap();
        let Some(Data::String(got)) = range.get((2, col)) else {
            panic!("notes: {:?}", range.get((2, col)));
        };
        let len = utf16_len(got);
        assert!(len <= CELL_TEXT_MAX && len > CELL_TEXT_MAX - 10, "{len}");
        let (kept, mark) = got.split_once(" … [cut at ").unwrap();
        assert!(text.starts_with(kept));
        assert!(
            mark.starts_with(&format!(
                "{} of {} characters",
                kept.chars().count(),
                text.chars().count()
            )),
            "{mark}"
        );
    }

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        let got: Vec<String> = [0, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(got, ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn dates_excel_cannot_show_stay_text() {
        assert!(excel_date("2025-06-17").is_some());
        assert!(excel_date("1899-06-17").is_none());
        assert!(excel_date("17/06/2025").is_none());
        assert!(excel_timestamp("2025-06-17T10:00:00Z").is_some());
        assert!(excel_timestamp("2025-06-17 10:00").is_none());
    }
}

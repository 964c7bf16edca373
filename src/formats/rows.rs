//! The one output layer for rows: every command that prints rows renders
//! them as a table (for people), CSV, JSON, newline-delimited JSON or
//! Markdown through this writer.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::formats::guard::neutralise;

/// How rows are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for reading (the default on a terminal).
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// A Markdown table.
    Markdown,
}

impl OutputFormat {
    /// Table on a terminal, CSV when piped: people read, programs parse.
    pub fn default_for(is_terminal: bool) -> OutputFormat {
        if is_terminal {
            OutputFormat::Table
        } else {
            OutputFormat::Csv
        }
    }
}

/// Text of a JSON value for a cell: strings as is, null as empty.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// Longest cell shown in a table; the other formats keep the whole text.
const TABLE_CELL_MAX: usize = 60;

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

/// Streams rows (JSON objects) in one format. Tables and Markdown are
/// aligned, so they are buffered until `finish`.
pub struct RowWriter<W: Write> {
    sink: Sink<W>,
    format: OutputFormat,
    columns: Vec<String>,
    buffered: Vec<Vec<String>>,
    count: usize,
    raw: bool,
}

fn io(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

impl<W: Write> RowWriter<W> {
    /// A writer for rows with these columns (keys of each row object, in
    /// order). `raw` turns off the CSV guard against spreadsheet formulas.
    pub fn new(out: W, format: OutputFormat, columns: &[&str], raw: bool) -> RowWriter<W> {
        let sink = match format {
            OutputFormat::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
            _ => Sink::Plain(out),
        };
        RowWriter {
            sink,
            format,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            buffered: Vec::new(),
            count: 0,
            raw,
        }
    }

    /// Writes one row; keys missing from `row` print as empty.
    pub fn write(&mut self, row: &Map<String, Value>) -> Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match (&mut self.sink, self.format) {
            (Sink::Csv(w), _) => {
                if first {
                    w.write_record(&self.columns)?;
                }
                let raw = self.raw;
                w.write_record(self.columns.iter().map(|c| {
                    let v = row.get(c).unwrap_or(&Value::Null);
                    let text = cell(v);
                    if raw || !v.is_string() {
                        text
                    } else {
                        neutralise(&text)
                    }
                }))?;
            }
            (Sink::Plain(w), OutputFormat::Json) => {
                let obj: Map<String, Value> = self
                    .columns
                    .iter()
                    .map(|c| (c.clone(), row.get(c).cloned().unwrap_or(Value::Null)))
                    .collect();
                w.write_all(if first { b"[\n" } else { b",\n" })
                    .map_err(io)?;
                serde_json::to_writer(&mut *w, &obj)?;
            }
            (Sink::Plain(w), OutputFormat::Ndjson) => {
                let obj: Map<String, Value> = self
                    .columns
                    .iter()
                    .map(|c| (c.clone(), row.get(c).cloned().unwrap_or(Value::Null)))
                    .collect();
                serde_json::to_writer(&mut *w, &obj)?;
                w.write_all(b"\n").map_err(io)?;
            }
            (Sink::Plain(_), _) => {
                self.buffered.push(
                    self.columns
                        .iter()
                        .map(|c| cell(row.get(c).unwrap_or(&Value::Null)))
                        .collect(),
                );
            }
        }
        Ok(())
    }

    /// Writes a serialisable value as one row.
    pub fn write_serialize<T: serde::Serialize>(&mut self, value: &T) -> Result<()> {
        match serde_json::to_value(value)? {
            Value::Object(map) => self.write(&map),
            other => Err(Error::Data {
                what: "row".into(),
                reason: format!("expected an object, got {other}"),
            }),
        }
    }

    /// How many rows were written.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Ends the output (closing the JSON array, printing the table) and
    /// flushes it, so a full disk is an error, not a truncated file.
    pub fn finish(self) -> Result<()> {
        let count = self.count;
        match self.sink {
            Sink::Csv(mut w) => {
                if count == 0 {
                    w.write_record(&self.columns)?;
                }
                w.flush().map_err(io)?;
            }
            Sink::Plain(mut w) => {
                match self.format {
                    OutputFormat::Json => {
                        w.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })
                            .map_err(io)?;
                    }
                    OutputFormat::Table | OutputFormat::Markdown => {
                        let markdown = self.format == OutputFormat::Markdown;
                        let mut t = Table::new();
                        if markdown {
                            t.load_style(presets::ASCII_MARKDOWN);
                        } else {
                            t.load_style(presets::UTF8_FULL_CONDENSED)
                                .set_content_arrangement(ContentArrangement::Dynamic);
                        }
                        t.set_header(&self.columns);
                        for row in self.buffered {
                            t.add_row(row.into_iter().map(|c| {
                                if markdown {
                                    c.replace('|', "\\|").replace('\n', " ")
                                } else {
                                    shorten(&c)
                                }
                            }));
                        }
                        writeln!(w, "{t}").map_err(io)?;
                    }
                    OutputFormat::Ndjson | OutputFormat::Csv => {}
                }
                w.flush().map_err(io)?;
            }
        }
        Ok(())
    }
}

/// Cuts long text for a table cell, on a character boundary.
fn shorten(s: &str) -> String {
    let one_line = s.replace('\n', " ");
    if one_line.chars().count() <= TABLE_CELL_MAX {
        one_line
    } else {
        let cut: String = one_line.chars().take(TABLE_CELL_MAX - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(format: OutputFormat, rows: &[Value]) -> String {
        let mut buf = Vec::new();
        let mut w = RowWriter::new(&mut buf, format, &["a", "b"], false);
        for r in rows {
            w.write(r.as_object().unwrap()).unwrap();
        }
        w.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn each_format_renders_rows() {
        let rows = [json!({"a": "x", "b": 1}), json!({"a": "=cmd()", "b": null})];
        assert_eq!(render(OutputFormat::Csv, &rows), "a,b\nx,1\n'=cmd(),\n");
        let j: Value = serde_json::from_str(&render(OutputFormat::Json, &rows)).unwrap();
        assert_eq!(j[1]["a"], "=cmd()");
        assert_eq!(render(OutputFormat::Ndjson, &rows).lines().count(), 2);
        let md = render(OutputFormat::Markdown, &rows);
        assert!(md.lines().next().unwrap().starts_with("| a"), "{md}");
        assert!(md.lines().nth(1).unwrap().starts_with("|-"), "{md}");
        assert!(render(OutputFormat::Table, &rows).contains("=cmd()"));
        assert_eq!(render(OutputFormat::Json, &[]), "[]\n");
        assert_eq!(render(OutputFormat::Csv, &[]), "a,b\n");
    }
}

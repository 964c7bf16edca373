//! GeoJSON (RFC 7946) and GeoJSON Text Sequences (RFC 8142) of incidents as
//! Point features: streaming writers and readers.

use std::io::{BufRead, Read, Write};

use chrono::{Datelike, NaiveDate};

use geojson::{Feature, FeatureReader, GeometryValue, feature::Id};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::field::{FieldSet, NATIVE_COLUMNS};
use crate::formats::csv;
use crate::formats::fields::{Fields, Row, RowError, Rows};
use crate::formats::tags;
use crate::model::{Incident, Source};

/// Decimal places of exported coordinates (6: about 0.1 m).
pub const COORDINATE_DECIMALS: i32 = 6;

/// Rounds a coordinate to [`COORDINATE_DECIMALS`].
pub fn round_coordinate(v: f64) -> f64 {
    let f = 10f64.powi(COORDINATE_DECIMALS);
    (v * f).round() / f
}

/// Writes `value` as serde_json writes it (escaping, number formatting).
fn json<T: Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T) -> Result<()> {
    serde_json::to_writer(buf, value)?;
    Ok(())
}

/// Whether JSON needs `b` escaped inside a string (RFC 8259: the quote,
/// the backslash and control characters; serde_json escapes no other).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Writes a JSON string as serde_json does. Runs of characters that need
/// no escape (nearly all text) are found 16 bytes at a time, which the
/// compiler vectorises, and copied whole; serde_json writes the escape of
/// each other character.
fn string(buf: &mut Vec<u8>, s: &str) -> Result<()> {
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    let mut run = 0;
    for (at, chunk) in (0..).step_by(16).zip(bytes.chunks(16)) {
        if !chunk.iter().fold(false, |any, &b| any | needs_escape(b)) {
            continue;
        }
        for (i, &b) in (at..).zip(chunk) {
            if needs_escape(b) {
                buf.extend_from_slice(&bytes[run..i]);
                // An ASCII byte, so a whole character: serde_json writes
                // its escape between quotes that are not ours.
                let quoted = serde_json::to_string(&s[i..=i])?;
                buf.extend_from_slice(&quoted.as_bytes()[1..quoted.len() - 1]);
                run = i + 1;
            }
        }
    }
    buf.extend_from_slice(&bytes[run..]);
    buf.push(b'"');
    Ok(())
}

fn text(buf: &mut Vec<u8>, s: &Option<String>) -> Result<()> {
    match s {
        Some(s) => string(buf, s),
        None => {
            buf.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// Writes a date as chrono's serde does ("2025-06-17"), without going
/// through `fmt` character by character.
fn date(buf: &mut Vec<u8>, d: NaiveDate) -> Result<()> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    // chrono writes years outside 0..=9999 with a sign: leave those to it.
    let Ok(y @ 0..=9999) = u32::try_from(y) else {
        return json(buf, &d);
    };
    let digit = |n: u32| b'0' + (n % 10) as u8;
    buf.extend_from_slice(&[
        b'"',
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
        b'"',
    ]);
    Ok(())
}

/// Writes `,"name":` before an object's next member, put together at
/// compile time (the first member is written with the opening brace).
macro_rules! key {
    ($buf:expr, $name:literal) => {
        $buf.extend_from_slice(concat!(",\"", $name, "\":").as_bytes())
    };
}

/// Writes a source as its derived `Serialize` does.
fn source(buf: &mut Vec<u8>, s: &Source) -> Result<()> {
    let Source {
        publisher,
        title,
        url,
        published,
        excerpt,
    } = s;
    buf.extend_from_slice(br#"{"publisher":"#);
    string(buf, publisher)?;
    key!(buf, "title");
    text(buf, title)?;
    key!(buf, "url");
    text(buf, url)?;
    key!(buf, "published");
    text(buf, published)?;
    key!(buf, "excerpt");
    text(buf, excerpt)?;
    buf.push(b'}');
    Ok(())
}

/// Writes a JSON array of `items`.
fn array<T>(
    buf: &mut Vec<u8>,
    items: &[T],
    mut item: impl FnMut(&mut Vec<u8>, &T) -> Result<()>,
) -> Result<()> {
    buf.push(b'[');
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        item(buf, t)?;
    }
    buf.push(b']');
    Ok(())
}

/// Appends an incident's Point feature to `buf`: [longitude, latitude]
/// rounded, the uid as the feature id, every field as a property. The text
/// is written directly rather than through a `serde_json::Map` per feature
/// (export speed, issue 13); the bytes are those of serde_json serialising a
/// `geojson::Feature` whose properties are `Incident`'s own serialisation
/// with the rounded coordinates, which tests/roundtrip_props.rs checks.
/// False (nothing written) without coordinates.
fn write_feature(buf: &mut Vec<u8>, inc: &Incident) -> Result<bool> {
    // Every field named, so a new field cannot be left out of the export.
    let Incident {
        uid,
        title,
        event_type,
        sub_event_type,
        span,
        place,
        latitude,
        longitude,
        geo_precision,
        country,
        admin1,
        admin1_code,
        admin2,
        admin2_code,
        reported_admin1,
        reported_admin2,
        fatalities,
        civilian_fatalities,
        actor1,
        actor2,
        assoc_actors,
        notes,
        tags,
        sources,
        merged_into,
        status,
        review_note,
        evidence,
        confidence,
        created_at,
        updated_at,
    } = inc;
    let (Some(lat), Some(lon)) = (latitude, longitude) else {
        return Ok(false);
    };
    let (lat, lon) = (round_coordinate(*lat), round_coordinate(*lon));
    buf.extend_from_slice(br#"{"type":"Feature","geometry":{"type":"Point","coordinates":["#);
    json(buf, &lon)?;
    buf.push(b',');
    json(buf, &lat)?;
    buf.extend_from_slice(b"]},");
    if let Some(uid) = uid {
        buf.extend_from_slice(br#""id":"#);
        string(buf, uid)?;
        buf.push(b',');
    }
    buf.extend_from_slice(br#""properties":{"uid":"#);
    text(buf, uid)?;
    key!(buf, "title");
    text(buf, title)?;
    key!(buf, "event_type");
    string(buf, event_type)?;
    key!(buf, "sub_event_type");
    text(buf, sub_event_type)?;
    key!(buf, "date_start");
    date(buf, span.start)?;
    key!(buf, "date_end");
    date(buf, span.end)?;
    key!(buf, "date_precision");
    json(buf, &span.precision)?;
    key!(buf, "place");
    text(buf, place)?;
    key!(buf, "latitude");
    json(buf, &lat)?;
    key!(buf, "longitude");
    json(buf, &lon)?;
    key!(buf, "geo_precision");
    json(buf, geo_precision)?;
    key!(buf, "country");
    text(buf, country)?;
    key!(buf, "admin1");
    text(buf, admin1)?;
    key!(buf, "admin1_code");
    text(buf, admin1_code)?;
    key!(buf, "admin2");
    text(buf, admin2)?;
    key!(buf, "admin2_code");
    text(buf, admin2_code)?;
    key!(buf, "reported_admin1");
    text(buf, reported_admin1)?;
    key!(buf, "reported_admin2");
    text(buf, reported_admin2)?;
    key!(buf, "fatalities");
    json(buf, &fatalities.best)?;
    key!(buf, "fatalities_low");
    json(buf, &fatalities.low)?;
    key!(buf, "fatalities_high");
    json(buf, &fatalities.high)?;
    key!(buf, "civilian_fatalities");
    json(buf, civilian_fatalities)?;
    key!(buf, "actor1");
    text(buf, actor1)?;
    key!(buf, "actor2");
    text(buf, actor2)?;
    key!(buf, "assoc_actors");
    text(buf, assoc_actors)?;
    key!(buf, "notes");
    text(buf, notes)?;
    key!(buf, "tags");
    array(buf, tags, |b, t| string(b, t))?;
    key!(buf, "sources");
    array(buf, sources, source)?;
    // Left out when empty, as serde leaves it out.
    if let Some(m) = merged_into {
        key!(buf, "merged_into");
        string(buf, m)?;
    }
    key!(buf, "status");
    string(buf, status.as_str())?;
    if let Some(n) = review_note {
        key!(buf, "review_note");
        string(buf, n)?;
    }
    if !evidence.is_empty() {
        key!(buf, "evidence");
        json(buf, evidence)?;
    }
    if let Some(c) = confidence {
        key!(buf, "confidence");
        json(buf, c)?;
    }
    key!(buf, "created_at");
    text(buf, created_at)?;
    key!(buf, "updated_at");
    text(buf, updated_at)?;
    buf.extend_from_slice(b"}}");
    Ok(true)
}

fn io(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

/// Whether features go into one FeatureCollection or one per line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Collection,
    Sequence,
}

/// Streams features: a FeatureCollection, or one feature per line (RFC 8142:
/// each record starts with the RS character and ends with a newline).
pub struct GeoJsonWriter<W: Write> {
    out: W,
    layout: Layout,
    written: bool,
    /// One feature's text, reused: no allocation per feature.
    buf: Vec<u8>,
}

/// What a FeatureCollection opens and closes with (geojson's `FeatureWriter`'s text).
const COLLECTION_START: &[u8] = br#"{ "type": "FeatureCollection", "features": ["#;
const COLLECTION_END: &[u8] = b"]}";

impl<W: Write> GeoJsonWriter<W> {
    fn new(out: W, layout: Layout) -> Self {
        GeoJsonWriter {
            out,
            layout,
            written: false,
            buf: Vec::with_capacity(4096),
        }
    }

    pub fn collection(out: W) -> Self {
        Self::new(out, Layout::Collection)
    }

    pub fn sequence(out: W) -> Self {
        Self::new(out, Layout::Sequence)
    }

    /// Writes the incident; returns false (writing nothing) when it has no coordinates.
    pub fn write(&mut self, inc: &Incident) -> Result<bool> {
        self.buf.clear();
        match self.layout {
            Layout::Sequence => self.buf.push(0x1e),
            Layout::Collection if self.written => self.buf.push(b','),
            Layout::Collection => self.buf.extend_from_slice(COLLECTION_START),
        }
        if !write_feature(&mut self.buf, inc)? {
            return Ok(false);
        }
        if self.layout == Layout::Sequence {
            self.buf.push(b'\n');
        }
        self.out.write_all(&self.buf).map_err(io)?;
        self.written = true;
        Ok(true)
    }

    /// Closes the collection and flushes: a full disk is an error here, not
    /// a truncated file that looks complete.
    pub fn finish(mut self) -> Result<()> {
        if self.layout == Layout::Collection {
            if !self.written {
                self.out.write_all(COLLECTION_START).map_err(io)?;
            }
            self.out.write_all(COLLECTION_END).map_err(io)?;
        }
        self.out.flush().map_err(io)
    }
}

/// A feature's properties (and geometry) read as native fields. Numbers
/// written as strings (as ogr2ogr makes them from CSV) are accepted.
struct Props<'a> {
    props: &'a Map<String, Value>,
    location: String,
}

impl Fields for Props<'_> {
    fn location(&self) -> &str {
        &self.location
    }

    fn text(&self, col: &str) -> std::result::Result<Option<String>, RowError> {
        let s = match self.props.get(col) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(s)) => s.trim().to_string(),
            Some(other) => other.to_string(),
        };
        Ok((!s.is_empty()).then_some(s))
    }

    /// Tags as our writer gives them, an array: no separator to split on.
    /// A string (as ogr2ogr makes from our CSV) is split as in CSV.
    fn tags(&self, col: &str) -> std::result::Result<Vec<String>, RowError> {
        match self.props.get(col) {
            Some(Value::Array(a)) => Ok(a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map_or_else(|| v.to_string(), |s| s.trim().to_string())
                })
                .filter(|t| !t.is_empty())
                .collect()),
            _ => Ok(self.text(col)?.map(|t| tags::split(&t)).unwrap_or_default()),
        }
    }
}

/// The incident of one feature, located as `location`.
fn feature_row(f: Feature, location: String) -> std::result::Result<Row, RowError> {
    let mut props = f.properties.clone().unwrap_or_default();
    if let (None, Some(Id::String(id))) = (props.get("uid"), &f.id) {
        props.insert("uid".into(), Value::from(id.clone()));
    }
    if let (None, Some(Id::Number(n))) = (props.get("uid"), &f.id) {
        props.insert("uid".into(), Value::from(n.to_string()));
    }
    match f.geometry.as_ref().map(|g| &g.value) {
        Some(GeometryValue::Point { coordinates }) => {
            let c = coordinates.as_slice();
            if c.len() < 2 {
                return Err(RowError {
                    location,
                    field: "geometry".into(),
                    reason: "a Point needs [longitude, latitude]".into(),
                });
            }
            props.insert("longitude".into(), Value::from(c[0]));
            props.insert("latitude".into(), Value::from(c[1]));
        }
        None => {}
        Some(other) => {
            return Err(RowError {
                location,
                field: "geometry".into(),
                reason: format!("expected a Point, got a {}", other.type_name()),
            });
        }
    }
    // Each feature carries the fields it has properties (or a geometry) for.
    let carried = FieldSet::carried(NATIVE_COLUMNS, |k| props.contains_key(k));
    let incident = csv::row(&Props {
        props: &props,
        location: location.clone(),
    })?;
    Ok(Row {
        location,
        incident,
        carried,
    })
}

/// Reads a FeatureCollection, streaming feature by feature. After a JSON
/// syntax error (a truncated file) nothing further can be read: the error is
/// reported once, at the feature where it happened, and the stream ends.
pub fn read<'a, R: std::io::Read + Send + 'a>(mut r: R, input: &str) -> Result<Rows<'a>> {
    // geojson's streaming reader fails on an empty "features" array (which
    // our own writer makes for an empty selection): look at the start first.
    let mut head = Vec::new();
    (&mut r)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(input, e))?;
    let compact: Vec<u8> = head
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let empty: &[u8] = b"\"features\":[]";
    if compact.windows(empty.len()).any(|w| w == empty) {
        return Ok(Box::new(std::iter::empty()));
    }
    let r = std::io::Cursor::new(head).chain(r);
    let input = input.to_string();
    let mut n = 0usize;
    let mut broken = false;
    Ok(Box::new(FeatureReader::from_reader(r).features().map_while(
        move |f| {
            if broken {
                return None;
            }
            n += 1;
            let location = format!("feature {n}");
            Some(match f {
                Ok(f) => feature_row(f, location),
                Err(e) => {
                    broken = true;
                    Err(RowError {
                        location,
                        field: "-".into(),
                        reason: format!(
                            "{input}: not valid GeoJSON from here on (truncated or malformed?): {e}"
                        ),
                    })
                }
            })
        },
    )))
}

/// Reads GeoJSON Text Sequences (RFC 8142) or newline-delimited GeoJSON.
pub fn read_seq<'a, R: BufRead + Send + 'a>(r: R, input: &str) -> Result<Rows<'a>> {
    let input = input.to_string();
    Ok(Box::new(r.lines().enumerate().filter_map(
        move |(i, line)| {
            let location = format!("line {}", i + 1);
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    return Some(Err(RowError {
                        location,
                        field: "-".into(),
                        reason: format!("{input}: {e}"),
                    }));
                }
            };
            let text = line.trim_start_matches('\u{1e}').trim();
            if text.is_empty() {
                return None;
            }
            Some(
                text.parse::<Feature>()
                    .map_err(|e| RowError {
                        location: location.clone(),
                        field: "-".into(),
                        reason: format!("not a GeoJSON Feature: {e}"),
                    })
                    .and_then(|f| feature_row(f, location)),
            )
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    fn incident() -> Incident {
        let mut i = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        i.uid = Some("X-1".into());
        i.latitude = Some(32.61234567);
        i.longitude = Some(36.1);
        i.tags = vec!["a;b".into(), "c\\".into()];
        i
    }

    /// The one feature a sequence writer wrote, parsed; `None` when it wrote nothing.
    fn written(inc: &Incident) -> Option<Value> {
        let mut buf = Vec::new();
        let mut w = GeoJsonWriter::sequence(&mut buf);
        let wrote = w.write(inc).unwrap();
        w.finish().unwrap();
        assert_eq!(wrote, !buf.is_empty());
        wrote.then(|| serde_json::from_slice(&buf[1..]).unwrap())
    }

    #[test]
    fn feature_is_lon_lat_rounded_with_uid_id() {
        let v = written(&incident()).unwrap();
        assert_eq!(
            v["geometry"]["coordinates"],
            serde_json::json!([36.1, 32.612346])
        );
        assert_eq!(v["id"], "X-1");
        assert!(v["properties"]["fatalities"].is_null());
        assert!(v.get("crs").is_none());
        let mut none = incident();
        none.latitude = None;
        none.longitude = None;
        assert!(written(&none).is_none());
    }

    #[test]
    fn collection_and_sequence_round_trip() {
        for seq in [false, true] {
            let mut buf = Vec::new();
            let mut w = if seq {
                GeoJsonWriter::sequence(&mut buf)
            } else {
                GeoJsonWriter::collection(&mut buf)
            };
            assert!(w.write(&incident()).unwrap());
            w.finish().unwrap();
            let rows: Vec<_> = if seq {
                read_seq(&buf[..], "t").unwrap().collect()
            } else {
                read(&buf[..], "t").unwrap().collect()
            };
            let got = rows.into_iter().next().unwrap().unwrap().incident;
            assert_eq!(got.uid.as_deref(), Some("X-1"));
            assert_eq!(got.latitude, Some(32.612346));
            assert_eq!(got.tags, ["a;b", "c\\"]);
        }
    }

    #[test]
    fn an_empty_collection_reads_as_no_rows() {
        let mut buf = Vec::new();
        GeoJsonWriter::collection(&mut buf).finish().unwrap();
        assert_eq!(read(&buf[..], "t").unwrap().count(), 0);
        assert_eq!(
            read(
                &b"{ \"type\": \"FeatureCollection\", \"features\": [ ] }"[..],
                "t"
            )
            .unwrap()
            .count(),
            0
        );
    }

    #[test]
    fn bad_features_name_the_feature() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{"event_type":"Battles","date_start":"2025-01-01","date_end":"2025-01-01"}},
            {"type":"Feature","geometry":null,"properties":{"event_type":"Battles","date_start":"2025-02-30","date_end":"2025-01-01"}}
        ]}"#;
        let rows: Vec<_> = read(text.as_bytes(), "t").unwrap().collect();
        let e0 = rows[0].as_ref().unwrap_err();
        assert_eq!(
            (e0.location.as_str(), e0.field.as_str()),
            ("feature 1", "geometry")
        );
        let e1 = rows[1].as_ref().unwrap_err();
        assert_eq!(
            (e1.location.as_str(), e1.field.as_str()),
            ("feature 2", "date_start")
        );
        let truncated = &text[..60];
        assert!(read(truncated.as_bytes(), "t").unwrap().any(|r| r.is_err()));
    }
}

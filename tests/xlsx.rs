//! `incidents export --format xlsx` read back by independent readers: the
//! calamine crate (typed cells, styles, formulas), the workbook's own XML
//! (frozen header, autofilter, quote prefix) and GDAL's XLSX driver (field
//! types, feature count, values), each compared with `export --format csv
//! --raw` of the same filter. GDAL is required: a missing `ogrinfo` fails.
mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::{Session, both};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

/// What the README promises about the columns' types in the workbook.
const DATES: &[&str] = &["date_start", "date_end"];
const TIMES: &[&str] = &["created_at", "updated_at"];
const NUMBERS: &[&str] = &[
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "civilian_fatalities",
];
const TIME_LAYOUT: &str = "%Y-%m-%dT%H:%M:%SZ";

type Workbook = Xlsx<std::io::BufReader<std::fs::File>>;

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// `export --format csv --raw` with `filter`: the reference, every value as
/// the CSV writes it, text unguarded.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn of(s: &Session, filter: &[&str]) -> Csv {
        let mut args = vec!["export", "--format", "csv", "--raw"];
        args.extend(filter);
        let text = s.ok(&args);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r
            .headers()
            .expect("CSV header")
            .iter()
            .map(String::from)
            .collect();
        let rows = r
            .records()
            .map(|rec| rec.expect("CSV row").iter().map(String::from).collect())
            .collect();
        Csv { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in the CSV export: {:?}", self.header))
    }

    fn values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        let c = self.column(name);
        self.rows.iter().map(move |r| r[c].as_str())
    }
}

/// Runs `export --format xlsx -o NAME` with `filter` in the session's
/// directory; returns the file and what was said on stderr.
fn export_xlsx(s: &Session, name: &str, filter: &[&str]) -> (PathBuf, String) {
    let path = s.dir.path().join(name);
    let mut args = vec!["export", "--format", "xlsx", "-o", arg(&path)];
    args.extend(filter);
    let o = s.run(&args);
    assert_eq!(o.code, 0, "incidents {args:?} failed:\n{}", o.stderr);
    (path, o.stderr)
}

fn open(path: &Path) -> Workbook {
    open_workbook(path).unwrap_or_else(|e| panic!("calamine cannot open {path:?}: {e}"))
}

/// A cell of a sheet; cells past the sheet's used range are empty.
fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    range.get((row, col)).cloned().unwrap_or(Data::Empty)
}

/// Checks that the workbook's "incidents" sheet holds exactly the CSV: the
/// same header and rows in the same order, each value typed as promised.
fn assert_same_as_csv(path: &Path, csv: &Csv) {
    for typed in DATES.iter().chain(TIMES).chain(NUMBERS) {
        csv.column(typed);
    }
    let mut book = open(path);
    assert_eq!(book.sheet_names(), ["incidents", "about"], "{path:?}");
    let range = book.worksheet_range("incidents").expect("incidents sheet");
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(range.height(), csv.rows.len() + 1, "rows of {path:?}");
    let header: Vec<Data> = (0..csv.header.len()).map(|c| cell(&range, 0, c)).collect();
    let want: Vec<Data> = csv.header.iter().cloned().map(Data::String).collect();
    assert_eq!(header, want, "header of {path:?}");
    let styles = book.worksheet_style("incidents").expect("styles");
    let style = |row: usize, col: usize| styles.get((row as u32, col as u32)).cloned();
    for col in 0..csv.header.len() {
        let bold = style(0, col)
            .and_then(|s| s.font)
            .is_some_and(|f| f.is_bold());
        assert!(bold, "header cell {} is not bold", csv.header[col]);
    }
    for (r, row) in csv.rows.iter().enumerate() {
        for (c, want) in row.iter().enumerate() {
            let name = csv.header[c].as_str();
            let got = cell(&range, r + 1, c);
            let at = format!("{path:?} row {} column {name}: CSV {want:?}", r + 2);
            if want.is_empty() {
                assert_eq!(got, Data::Empty, "{at}: an unknown value is an empty cell");
                continue;
            }
            let format = style(r + 1, c)
                .and_then(|s| s.number_format)
                .map(|f| f.format_code);
            if DATES.contains(&name) {
                let day = NaiveDate::parse_from_str(want, "%Y-%m-%d").expect("a CSV date");
                let Data::DateTime(d) = &got else {
                    panic!("{at}: expected a date cell, got {got:?}")
                };
                assert_eq!(d.as_datetime(), Some(day.into()), "{at}");
                assert_eq!(format.as_deref(), Some("yyyy-mm-dd"), "{at}");
            } else if TIMES.contains(&name) {
                let t = NaiveDateTime::parse_from_str(want, TIME_LAYOUT).expect("a CSV time");
                let Data::DateTime(d) = &got else {
                    panic!("{at}: expected a date-time cell, got {got:?}")
                };
                assert_eq!(d.as_datetime(), Some(t), "{at}");
                assert_eq!(format.as_deref(), Some("yyyy-mm-dd hh:mm:ss"), "{at}");
            } else if NUMBERS.contains(&name) {
                let n: f64 = want.parse().expect("a CSV number");
                match got {
                    Data::Float(f) => assert_eq!(f, n, "{at}"),
                    Data::Int(i) => assert_eq!(i as f64, n, "{at}"),
                    other => panic!("{at}: expected a number cell, got {other:?}"),
                }
            } else {
                assert_eq!(got, Data::String(want.clone()), "{at}");
            }
        }
    }
    for sheet in ["incidents", "about"] {
        let formulas = book.worksheet_formula(sheet).expect("formulas");
        let found: Vec<&String> = formulas.used_cells().map(|(_, _, f)| f).collect();
        assert!(found.is_empty(), "formulas on {sheet}: {found:?}");
    }
    assert_sheet_xml(path, csv);
    assert_gdal_reads(path, csv);
}

/// The about sheet's rows, as (item, value) text; a date-time value as
/// `YYYY-MM-DD HH:MM:SS`.
fn about(path: &Path) -> Vec<(String, String)> {
    let range = open(path).worksheet_range("about").expect("about sheet");
    let text = |v: &Data| match v {
        Data::DateTime(d) => d.as_datetime().map(|t| t.to_string()).unwrap_or_default(),
        other => other.to_string(),
    };
    range
        .rows()
        .map(|r| (text(&r[0]), r.get(1).map(text).unwrap_or_default()))
        .collect()
}

/// A file inside the workbook (a zip archive).
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("xlsx is a zip archive");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name} in {path:?}: {e}"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

/// Spreadsheet letters of a 0-based column.
fn letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.iter().rev().map(|&b| b as char).collect()
}

/// The style index (`s`) of a cell in a sheet's XML; 0 when it has none.
fn style_index(sheet: &str, cell: &str) -> usize {
    let start = sheet
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell} in the sheet XML"));
    let tag = &sheet[start..start + sheet[start..].find('>').expect("tag end")];
    tag.split_once(" s=\"")
        .map(|(_, rest)| rest[..rest.find('"').expect("quote")].parse().expect("s"))
        .unwrap_or(0)
}

/// Whether cell format `n` of styles.xml has Excel's quote prefix, which
/// keeps text text when a user edits the cell.
fn quote_prefixed(styles: &str, n: usize) -> bool {
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xfs = &xfs[..xfs.find("</cellXfs>").expect("cellXfs end")];
    let xf = xfs.split("<xf ").nth(n + 1).expect("the cell's xf");
    xf[..xf.find('>').expect("xf end")].contains("quotePrefix=\"1\"")
}

/// The sheet's XML: the header row frozen, the autofilter over every row
/// and column, and text that a spreadsheet would take for a formula marked
/// with the quote prefix (other text not).
fn assert_sheet_xml(path: &Path, csv: &Csv) {
    let sheet = part(path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "the header row is not frozen in {path:?}"
    );
    let last = format!("{}{}", letters(csv.header.len() - 1), csv.rows.len() + 1);
    assert!(
        sheet.contains(&format!(r#"<autoFilter ref="A1:{last}"/>"#)),
        "no autofilter over A1:{last} in {path:?}"
    );
    let styles = part(path, "xl/styles.xml");
    for (r, row) in csv.rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let name = csv.header[c].as_str();
            if text.is_empty() || DATES.contains(&name) || TIMES.contains(&name) {
                continue;
            }
            if NUMBERS.contains(&name) {
                continue;
            }
            let formula_like = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let at = format!("{}{}", letters(c), r + 2);
            assert_eq!(
                quote_prefixed(&styles, style_index(&sheet, &at)),
                formula_like,
                "{path:?} {at} ({name} {text:?}): the quote prefix marks exactly \
                 the text that starts like a formula"
            );
        }
    }
}

/// Runs `ogrinfo` or `ogr2ogr`, which must be installed and succeed.
fn gdal(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("`{tool}` is required by this test ({e}); Debian/Ubuntu: apt-get install gdal-bin")
    });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{tool} {args:?} failed: {stderr}");
    assert!(stderr.trim().is_empty(), "{tool} {args:?} warned: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// GDAL's XLSX driver sees the incidents layer with the CSV's row count,
/// each column with values typed as promised (Integer when every number
/// is whole), and the same uids in the same order.
fn assert_gdal_reads(path: &Path, csv: &Csv) {
    let file = arg(path);
    let info = gdal(
        "ogrinfo",
        &["-ro", "-so", "-oo", "HEADERS=FORCE", file, "incidents"],
    );
    let count = format!("Feature Count: {}", csv.rows.len());
    assert!(info.lines().any(|l| l.trim() == count), "{count}?\n{info}");
    for name in &csv.header {
        let values: Vec<&str> = csv.values(name).filter(|v| !v.is_empty()).collect();
        if values.is_empty() {
            continue;
        }
        let n = name.as_str();
        let want = if DATES.contains(&n) {
            "Date"
        } else if TIMES.contains(&n) {
            "DateTime"
        } else if NUMBERS.contains(&n) {
            if values.iter().all(|v| v.parse::<i64>().is_ok()) {
                "Integer"
            } else {
                "Real"
            }
        } else {
            "String"
        };
        let line = format!("{name}: {want} (0.0)");
        assert!(
            info.lines().any(|l| l.trim() == line),
            "GDAL does not read {line:?}:\n{info}"
        );
    }
    let out = gdal(
        "ogr2ogr",
        &[
            "-f",
            "CSV",
            "/vsistdout/",
            "-oo",
            "HEADERS=FORCE",
            file,
            "incidents",
            "-select",
            "uid",
        ],
    );
    // GDAL ends its header with an empty name for the absent geometry.
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(out.as_bytes());
    let uids: Vec<String> = r
        .records()
        .map(|rec| rec.expect("GDAL's CSV")[0].to_string())
        .collect();
    let want: Vec<String> = csv.values("uid").map(String::from).collect();
    assert_eq!(uids, want, "uids as GDAL reads them");
}

both!(seeds_match_the_csv_export);
fn seeds_match_the_csv_export() {
    let s = Session::seeded();
    let csv = Csv::of(&s, &[]);
    assert!(!csv.rows.is_empty());
    let (path, stderr) = export_xlsx(&s, "seeds.xlsx", &[]);
    assert!(
        stderr.contains(&format!("wrote {} incidents to", csv.rows.len())),
        "{stderr}"
    );
    assert_same_as_csv(&path, &csv);
    let about = about(&path);
    let item = |name: &str| -> Vec<String> {
        about
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(item("incidents"), [csv.rows.len().to_string()]);
    assert_eq!(item("filter"), ["none: every reviewed incident"]);
    // One line per publisher the sources name, with its incidents.
    let mut cited: BTreeMap<String, usize> = BTreeMap::new();
    for sources in csv.values("sources").filter(|v| !v.is_empty()) {
        let list: Vec<serde_json::Value> = serde_json::from_str(sources).expect("sources JSON");
        let mut names: Vec<&str> = list
            .iter()
            .filter_map(|s| s["publisher"].as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        for n in names {
            *cited.entry(n.to_string()).or_default() += 1;
        }
    }
    let want: Vec<String> = cited
        .iter()
        .map(|(p, n)| format!("{p} ({n} incident{})", if *n == 1 { "" } else { "s" }))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(item("source"), want);
    assert!(
        item("boundaries, places")
            .iter()
            .any(|l| l.contains("OCHA")),
        "{about:?}"
    );
    let at = about
        .iter()
        .find(|(k, _)| k == "exported at (UTC)")
        .expect("export time");
    assert!(
        NaiveDateTime::parse_from_str(&at.1, "%Y-%m-%d %H:%M:%S").is_ok(),
        "the export time is not a date-time cell: {at:?}"
    );
}

both!(a_filter_selects_the_same_rows_as_csv);
fn a_filter_selects_the_same_rows_as_csv() {
    let s = Session::seeded();
    // The seeds of June 2025 in Daraa all run into July: they overlap it.
    let filter = ["--region", "Daraa", "--month", "2025-06", "--overlapping"];
    let csv = Csv::of(&s, &filter);
    let all = Csv::of(&s, &[]);
    assert!(
        !csv.rows.is_empty() && csv.rows.len() < all.rows.len(),
        "the filter should select some seeds, not all: {} of {}",
        csv.rows.len(),
        all.rows.len()
    );
    let (path, _) = export_xlsx(&s, "daraa-june.xlsx", &filter);
    assert_same_as_csv(&path, &csv);
    let about = about(&path);
    assert!(
        about.iter().any(|(k, v)| k == "filter"
            && v == "period: 2025-06-01 to 2025-06-30 (incidents sharing a day with the period)"),
        "{about:?}"
    );
    assert!(
        about
            .iter()
            .any(|(k, v)| k == "filter" && v.starts_with("region: ")),
        "{about:?}"
    );
}

const TITLES: &[&str] = &[
    "Clash near Daraa al-Balad (درعا البلد)",
    "=HYPERLINK(\"https://example.org/x\",\"click me\")",
    "=1+1",
    "+963 11 000 0000 called",
    "-3 killed in shelling",
    "@everyone: protest",
    "Frappe aérienne près de Raqqa",
    "Quotes \"inside\", commas, and a literal _x0041_",
    "'single quotes' at the start",
];

const NOTES: &[&str] = &[
    "Two lines:\nthe second one.",
    "Windows line\r\nend",
    "=SUM(A1:A9)",
    "Plain note.",
    "<b>markup</b> & an ampersand",
];

/// Syrian towns (latitude, longitude), so that coordinates fit the country.
const TOWNS: &[(f64, f64)] = &[
    (32.62, 36.10),
    (33.51, 36.29),
    (34.73, 36.72),
    (36.20, 37.16),
    (35.34, 40.14),
    (35.95, 39.01),
    (36.50, 40.75),
    (35.93, 36.63),
];

/// Whole-degree points inside Syria.
const WHOLE: &[(i32, i32)] = &[(35, 38), (36, 38), (35, 40)];

const PLACES: &[&str] = &["Daraa", "Nawa", "Mosul", "Aleppo", "Suwayda"];
const ACTORS: &[&str] = &["Jaysh al-Islām", "-unidentified-", "@group", "Peshmerga"];
const PUBLISHERS: &[&str] = &["SOHR", "Daraa 24", "=cmd|' /C calc'!A0", "Enab Baladi"];
const TYPES: &[(&str, &str)] = &[
    ("Battles", "Armed clash"),
    ("Protests", "Peaceful protest"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    ("Violence against civilians", "Attack"),
];

fn maybe(rng: &mut StdRng, p: f64, options: &[&str]) -> String {
    if rng.random_bool(p) {
        options.choose(rng).expect("options").to_string()
    } else {
        String::new()
    }
}

/// A CSV of `n` generated incidents in our columns: day and range spans,
/// coordinates or none, known and unknown fatalities, formula-looking and
/// multi-line text, sources, and given or missing creation times.
fn generated(n: usize) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(17);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "uid",
        "title",
        "event_type",
        "sub_event_type",
        "date_start",
        "date_end",
        "place",
        "latitude",
        "longitude",
        "geo_precision",
        "country",
        "fatalities",
        "fatalities_low",
        "fatalities_high",
        "civilian_fatalities",
        "actor1",
        "actor2",
        "notes",
        "tags",
        "sources",
        "created_at",
    ])
    .expect("header");
    let first = NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date");
    let stamp = NaiveDate::from_ymd_opt(2024, 3, 1)
        .expect("a date")
        .and_hms_opt(0, 0, 0)
        .expect("a time");
    for i in 0..n {
        let start = first + Duration::days(rng.random_range(0..900));
        let end = if rng.random_bool(0.8) {
            start
        } else {
            start + Duration::days(rng.random_range(1..60))
        };
        let (event, sub) = TYPES.choose(&mut rng).expect("types");
        let (lat, lon, geo) = if rng.random_bool(0.8) {
            let (y, x) = TOWNS.choose(&mut rng).expect("towns");
            let lat: f64 = y + rng.random_range(-0.05..0.05);
            let lon: f64 = x + rng.random_range(-0.05..0.05);
            if rng.random_bool(0.05) {
                // A whole-degree point in the desert, as a province's label.
                let (y, x) = WHOLE.choose(&mut rng).expect("whole points");
                (y.to_string(), x.to_string(), "3".to_string())
            } else {
                (
                    format!("{lat:.6}"),
                    format!("{lon:.6}"),
                    rng.random_range(1..=2).to_string(),
                )
            }
        } else {
            Default::default()
        };
        let best: Option<u32> = rng.random_bool(0.7).then(|| rng.random_range(0..50));
        let number = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        let low = best.filter(|_| rng.random_bool(0.3)).map(|b| b / 2);
        let high = best.filter(|_| rng.random_bool(0.3)).map(|b| b * 2 + 1);
        let civilians = best.filter(|_| rng.random_bool(0.3)).map(|b| b / 3);
        let sources = if rng.random_bool(0.6) {
            serde_json::json!([{
                "publisher": PUBLISHERS.choose(&mut rng).expect("publishers"),
                "url": format!("https://example.org/{i}"),
            }])
            .to_string()
        } else {
            String::new()
        };
        let created = if rng.random_bool(0.5) {
            (stamp + Duration::seconds(rng.random_range(0..40_000_000)))
                .format(TIME_LAYOUT)
                .to_string()
        } else {
            String::new()
        };
        w.write_record([
            format!("GEN-{i:05}"),
            maybe(&mut rng, 0.9, TITLES),
            event.to_string(),
            sub.to_string(),
            start.to_string(),
            end.to_string(),
            maybe(&mut rng, 0.7, PLACES),
            lat,
            lon,
            geo,
            "SY".to_string(),
            number(best),
            number(low),
            number(high),
            number(civilians),
            maybe(&mut rng, 0.9, ACTORS),
            maybe(&mut rng, 0.4, ACTORS),
            maybe(&mut rng, 0.6, NOTES),
            maybe(&mut rng, 0.3, &["south;checkpoint", "=tag", "ied"]),
            sources,
            created,
        ])
        .expect("row");
    }
    w.into_inner().expect("CSV bytes")
}

both!(generated_incidents_match_the_csv_export);
fn generated_incidents_match_the_csv_export() {
    let s = Session::new();
    let file = s.file("generated.csv", &generated(1500));
    s.ok(&["import", arg(&file)]);
    let csv = Csv::of(&s, &[]);
    assert_eq!(csv.rows.len(), 1500);
    // The set exercises what the checks are about.
    let titles: Vec<&str> = csv.values("title").collect();
    for t in TITLES {
        assert!(titles.contains(t), "no title {t:?} survived the import");
    }
    assert!(csv.values("latitude").any(|v| v.contains('.')));
    assert!(csv.values("latitude").any(str::is_empty));
    assert!(csv.values("fatalities").any(|v| v == "0"));
    let (path, _) = export_xlsx(&s, "generated.xlsx", &[]);
    assert_same_as_csv(&path, &csv);

    let filter = [
        "--region",
        "Daraa",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    ];
    let some = Csv::of(&s, &filter);
    assert!(
        !some.rows.is_empty() && some.rows.len() < csv.rows.len(),
        "{} of {}",
        some.rows.len(),
        csv.rows.len()
    );
    let (path, _) = export_xlsx(&s, "daraa-2024.xlsx", &filter);
    assert_same_as_csv(&path, &some);
}

both!(formula_text_is_text_never_a_formula);
fn formula_text_is_text_never_a_formula() {
    let s = Session::new();
    let hyperlink = "=HYPERLINK(\"https://example.org/x\",\"click me\")";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "uid",
        "title",
        "event_type",
        "date_start",
        "date_end",
        "actor1",
    ])
    .expect("header");
    w.write_record([
        "F-1",
        hyperlink,
        "Protests",
        "2025-06-17",
        "2025-06-17",
        "@x",
    ])
    .expect("row");
    w.write_record(["F-2", "plain", "Protests", "2025-06-18", "2025-06-18", "-1"])
        .expect("row");
    let file = s.file("formulas.csv", &w.into_inner().expect("CSV bytes"));
    s.ok(&["import", arg(&file)]);
    // Imports trim text; a tab or carriage return first (which spreadsheets
    // also take as the start of a formula) is put in directly.
    s.exec_sql("UPDATE incidents SET title = '\t=1+1', notes = '\rreturn first' WHERE uid = 'F-2'");
    let csv = Csv::of(&s, &[]);
    assert_eq!(csv.values("title").next(), Some(hyperlink));
    let (path, _) = export_xlsx(&s, "formulas.xlsx", &[]);
    assert_same_as_csv(&path, &csv);
    // --raw changes nothing in a workbook: the text is exact either way.
    let (raw, _) = export_xlsx(&s, "raw.xlsx", &["--raw"]);
    assert_same_as_csv(&raw, &csv);
}

both!(text_longer_than_a_cell_is_cut_marked_and_said);
fn text_longer_than_a_cell_is_cut_marked_and_said() {
    let s = Session::new();
    // 40,000 characters (60,000 UTF-8 bytes): within what the database takes,
    // past Excel's 32,767 characters a cell.
    let long = "Daraa é;".repeat(5_000);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["uid", "event_type", "date_start", "date_end", "notes"])
        .expect("header");
    w.write_record(["LONG-1", "Battles", "2025-06-17", "2025-06-17", &long])
        .expect("row");
    w.write_record(["SHORT-1", "Battles", "2025-06-17", "2025-06-17", "short"])
        .expect("row");
    let file = s.file("long.csv", &w.into_inner().expect("CSV bytes"));
    s.ok(&["import", arg(&file)]);
    let csv = Csv::of(&s, &[]);
    let row = csv
        .values("uid")
        .position(|u| u == "LONG-1")
        .expect("LONG-1");
    let whole = &csv.rows[row][csv.column("notes")];
    assert_eq!(
        whole.chars().count(),
        40_000,
        "the CSV keeps the whole text"
    );

    let (path, stderr) = export_xlsx(&s, "long.xlsx", &[]);
    assert!(
        stderr.contains("1 cell longer than a spreadsheet cell holds (32767 characters) was cut")
            && stderr.contains("LONG-1 notes"),
        "{stderr}"
    );
    let range = open(&path).worksheet_range("incidents").expect("sheet");
    let Data::String(got) = cell(&range, row + 1, csv.column("notes")) else {
        panic!("the notes cell is not text")
    };
    assert!(got.encode_utf16().count() <= 32_767, "{}", got.len());
    let (kept, mark) = got.split_once(" … [cut at ").expect("a cut mark");
    assert!(whole.starts_with(kept) && kept.chars().count() > 32_000);
    assert!(mark.contains("of 40000 characters"), "{mark}");
    let about = about(&path);
    let cuts: Vec<&String> = about
        .iter()
        .filter(|(k, _)| k == "cut cell")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(cuts.len(), 1, "{about:?}");
    assert!(cuts[0].starts_with("LONG-1 notes (incidents!"), "{cuts:?}");
}

#[test]
fn xlsx_needs_an_output_file() {
    let s = Session::seeded();
    let before: Vec<_> = std::fs::read_dir(s.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    let err = s.fails(&["export", "--format", "xlsx"]);
    assert!(
        err.contains("--format xlsx") && err.contains("-o FILE"),
        "the message should say that xlsx needs -o FILE: {err}"
    );
    let after: Vec<_> = std::fs::read_dir(s.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_failed_export_leaves_the_old_file_and_no_partial_one() {
    let s = Session::seeded();
    let out = s.dir.path().join("out.xlsx");
    std::fs::write(&out, "the previous export").expect("write");
    // The temporary name beside the output is taken by a directory, so the
    // workbook cannot be saved.
    let partial = s.dir.path().join("out.xlsx.partial");
    std::fs::create_dir(&partial).expect("mkdir");
    let err = s.fails(&["export", "--format", "xlsx", "-o", arg(&out)]);
    assert!(
        err.contains("out.xlsx.partial"),
        "the message names the file it could not write: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "the previous export"
    );
    assert!(partial.is_dir());
    std::fs::remove_dir(&partial).expect("rmdir");

    // Into a directory that does not exist: an error naming it, no file.
    let missing = s.dir.path().join("no-such-dir").join("out.xlsx");
    let err = s.fails(&["export", "--format", "xlsx", "-o", arg(&missing)]);
    assert!(err.contains("no-such-dir"), "{err}");
    assert!(!missing.parent().expect("parent").exists());

    // And a good export replaces the old file with a whole workbook.
    export_xlsx(&s, "out.xlsx", &[]);
    assert_eq!(open(&out).sheet_names(), ["incidents", "about"]);
    assert!(!partial.exists());
}

//! Parity of the two backends: on the same data, loaded through the real
//! binary, `list`, `report` (every format, every `--group-by` dimension)
//! and `export` (every format) print the same bytes on SQLite and on
//! PostgreSQL, and fail alike. Only the times rows were written differ:
//! the digits of `created_at`, `updated_at`, ACLED's `timestamp` and the
//! GeoPackage's `last_change` are masked, their shape is still compared.
//! Once on the seeds, once on ten thousand generated incidents with every
//! date precision, unknown tolls, tallies, custom regions, and drafts
//! awaiting review (which reports never count but say).
//!
//! The PostgreSQL database collates text as ICU's `en-US`, as a server
//! set up in English would, not as the test cluster's C.UTF-8: an ORDER BY
//! or a comparison that leans on byte order shows up here.
mod common;

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, Months, NaiveDate};
use common::{Backend, Session};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

const INCIDENTS: usize = 10_200;

#[test]
fn seeds_print_the_same_on_both_backends() {
    common::run_on(
        Backend::Postgres,
        "parity::seeds_print_the_same_on_both_backends",
        || {
            let mut pair = Pair::new();
            pair.load(&["seed"]);
            pair.compare_all(&Scope {
                region: "Daraa",
                district: "SY1202",
                custom: None,
                country: "SY",
                month: "2025-06",
                week: "2025-W27",
                year: "2025",
                from: "2024-12-01",
                to: "2025-07-31",
                near: &["--near", "Al-Sanamayn", "--radius", "25km"],
                near_point: &["--near", "32.62,36.10", "--radius", "40km"],
                bbox: "36.0,32.5,36.6,33.3",
                actor: "syria",
                texts: &["assassin", "SANAMAYN"],
                tag: "assassination",
                event_type: "Violence against civilians",
            });
            pair.finish(false);
        },
    );
}

#[test]
fn generated_incidents_print_the_same_on_both_backends() {
    common::run_on(
        Backend::Postgres,
        "parity::generated_incidents_print_the_same_on_both_backends",
        || {
            let mut pair = Pair::new();
            pair.load(&["seed"]);
            // One custom region before the incidents (assigned on import),
            // one after them (assigned to the stored incidents).
            pair.import_region("aoi_north_daraa.geojson", CUSTOM[0]);
            let mut rng = StdRng::seed_from_u64(14_2025);
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADER).expect("header");
            for n in 0..INCIDENTS {
                w.write_record(row(&mut rng, n)).expect("row");
            }
            let csv = w.into_inner().expect("CSV bytes");
            pair.load_file("generated.csv", &csv, &["import"]);
            pair.import_region("aoi_mosul.geojson", CUSTOM[1]);
            for tally in TALLIES {
                let args: Vec<&str> = ["tally", "add"]
                    .into_iter()
                    .chain(tally.split('|'))
                    .collect();
                pair.load(&args);
            }
            let [all, _] = pair.both(|s| s.ok(&["list", "--format", "csv"]));
            assert_eq!(records(&all), INCIDENTS + SEEDS, "every row was imported");
            // Some drafts awaiting review and rejected drafts (as `extract`
            // and `review` will leave them): hidden from lists, never
            // counted, said by every report.
            pair.both(|s| {
                s.exec_sql(
                    "UPDATE incidents SET status = 'draft' WHERE uid LIKE '%3'; \
                     UPDATE incidents SET status = 'rejected' WHERE uid LIKE '%47'; \
                     UPDATE tallies SET status = 'draft' WHERE value = 41",
                )
            });

            pair.compare_all(&Scope {
                region: "Daraa",
                district: "SY1202",
                custom: Some(CUSTOM[0].1),
                country: "IQ",
                month: "2024-06",
                week: "2024-W23",
                year: "2024",
                from: "2024-05-20",
                to: "2024-07-10",
                near: &["--near", "Daraa", "--radius", "15km"],
                near_point: &["--near", "36.34,43.13", "--radius", "12.5km"],
                bbox: "36.0,32.5,36.4,32.9",
                actor: "ISLĀM",
                texts: &["émeute", "درعا", "zor", "MARKET_PLACE"],
                tag: "a;b",
                event_type: "Violence against civilians",
            });
            // The reports compared say what awaits review.
            let [daraa, _] =
                pair.both(|s| s.json(&["report", "--region", "Daraa", "--month", "2024-06"]));
            let waiting = &daraa["awaiting_review"];
            assert!(
                waiting["incidents"].as_u64() > Some(0) && waiting["tallies"] == 1,
                "{waiting}"
            );
            // The second custom region, and grouping over it.
            let mosul = CUSTOM[1].1;
            for format in REPORT_FORMATS {
                pair.compare(
                    &[
                        "report", "--region", mosul, "--year", "2024", "--format", format,
                    ],
                    json_mask,
                );
            }
            pair.compare(&["list", "--region", mosul, "--format", "csv"], csv_mask);
            pair.finish(true);
        },
    );
}

/// The seed file's incidents, loaded before the generated ones.
const SEEDS: usize = 7;

/// What the commands ask about: a scope with data in it.
struct Scope {
    region: &'static str,
    district: &'static str,
    custom: Option<&'static str>,
    country: &'static str,
    month: &'static str,
    week: &'static str,
    year: &'static str,
    from: &'static str,
    to: &'static str,
    near: &'static [&'static str],
    near_point: &'static [&'static str],
    bbox: &'static str,
    actor: &'static str,
    texts: &'static [&'static str],
    tag: &'static str,
    event_type: &'static str,
}

/// What hides the times of writing in an output, keeping the rest.
type Mask = fn(&str) -> String;

const REPORT_FORMATS: [&str; 5] = ["table", "markdown", "csv", "json", "geojson"];
const DIMENSIONS: [&str; 10] = [
    "month", "week", "year", "day", "country", "admin1", "admin2", "type", "sub_type", "actor",
];

/// The two sessions and the differences found so far.
struct Pair {
    sqlite: Session,
    postgres: Session,
    differences: Vec<String>,
    compared: usize,
    /// Filtered lists that selected nothing or everything: a sign that the
    /// comparison proves less than it seems.
    idle_filters: Vec<String>,
}

impl Pair {
    fn new() -> Pair {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("parity.db");
        Pair {
            sqlite: Session::at(dir, db),
            postgres: Session::postgres_collated("en-US"),
            differences: Vec::new(),
            compared: 0,
            idle_filters: Vec::new(),
        }
    }

    /// `f` on each session at once: SQLite's, then PostgreSQL's result.
    fn both<T: Send>(&self, f: impl Fn(&Session) -> T + Sync) -> [T; 2] {
        std::thread::scope(|scope| {
            let sqlite = scope.spawn(|| f(&self.sqlite));
            let postgres = f(&self.postgres);
            [sqlite.join().expect("the SQLite run"), postgres]
        })
    }

    /// Runs a command that must succeed on both.
    fn load(&self, args: &[&str]) {
        self.both(|s| s.ok(args));
    }

    /// Writes `content` to `name` in each session's directory and runs
    /// `args` with its path appended.
    fn load_file(&self, name: &str, content: &[u8], args: &[&str]) {
        self.both(|s| {
            let path = s.file(name, content);
            let mut args = args.to_vec();
            args.push(path.to_str().expect("a UTF-8 path"));
            s.ok(&args)
        });
    }

    fn import_region(&self, file: &str, region: Custom) {
        let geojson = custom_region(region);
        self.load_file(
            file,
            geojson.as_bytes(),
            &["regions", "import", "--name-field", "name"],
        );
    }

    /// Runs `args` on both and records any difference in exit code,
    /// stdout (after `mask`) or stderr. Returns SQLite's masked stdout.
    fn compare(&mut self, args: &[&str], mask: Mask) -> String {
        let [a, b] = self.both(|s| s.run(args));
        self.compared += 1;
        let what = format!("incidents {}", args.join(" "));
        if a.code != b.code || a.code != 0 {
            self.differences.push(format!(
                "{what}: exit code {} on SQLite, {} on PostgreSQL (both must succeed)\n  \
                 SQLite stderr: {}\n  PostgreSQL stderr: {}",
                a.code,
                b.code,
                a.stderr.trim(),
                b.stderr.trim()
            ));
            return String::new();
        }
        let (out_a, out_b) = (mask(&a.stdout), mask(&b.stdout));
        if let Some(d) = first_difference(&out_a, &out_b) {
            self.differences.push(format!("{what}: stdout differs {d}"));
        }
        if let Some(d) = first_difference(&a.stderr, &b.stderr) {
            self.differences.push(format!("{what}: stderr differs {d}"));
        }
        out_a
    }

    /// A list that must select some incidents but not all of them.
    fn compare_filter(&mut self, filter: &[&str], total: usize) {
        for (format, mask) in [("csv", csv_mask as Mask), ("json", json_mask)] {
            let args = [&["list"][..], filter, &["--format", format]].concat();
            let out = self.compare(&args, mask);
            if format == "csv" {
                let n = records(&out);
                if n == 0 || n == total {
                    self.idle_filters
                        .push(format!("list {}: {n} of {total}", filter.join(" ")));
                }
            }
        }
    }

    /// Every command the parity claim covers, on `scope`.
    fn compare_all(&mut self, scope: &Scope) {
        // The whole set, in every format a list prints.
        let all = self.compare(&["list", "--format", "csv"], csv_mask);
        let total = records(&all);
        self.compare(&["list", "--format", "csv", "--raw"], csv_mask);
        self.compare(&["list", "--format", "json"], json_mask);
        self.compare(&["list", "--format", "ndjson"], json_mask);
        self.compare(&["list", "--format", "table"], no_mask);
        self.compare(&["list", "--format", "markdown"], no_mask);

        // Filtered.
        let region = ["--region", scope.region];
        let month = ["--month", scope.month];
        let mut filters: Vec<Vec<&str>> = vec![
            region.to_vec(),
            vec!["--region", scope.district],
            vec!["--country", scope.country],
            month.to_vec(),
            [&month[..], &["--overlapping"]].concat(),
            [&region[..], &month[..]].concat(),
            [&region[..], &month[..], &["--overlapping"]].concat(),
            vec!["--from", scope.from, "--to", scope.to],
            vec!["--from", scope.from, "--to", scope.to, "--overlapping"],
            scope.near.to_vec(),
            scope.near_point.to_vec(),
            vec!["--bbox", scope.bbox],
            vec!["--actor", scope.actor],
            vec!["--tag", scope.tag],
            vec!["--type", scope.event_type],
            vec!["--type", "battles", "--sub-type", "armed clash"],
            [&region[..], &["--limit", "25"]].concat(),
            vec!["--status", "draft"],
            vec!["--status", "rejected"],
            [&region[..], &month[..], &["--status", "draft"]].concat(),
        ];
        for text in scope.texts {
            filters.push(vec!["--text", text]);
        }
        if let Some(custom) = scope.custom {
            filters.push(vec!["--region", custom]);
            filters.push(vec![
                "--region", custom, "--from", scope.from, "--to", scope.to,
            ]);
        }
        for f in &filters {
            self.compare_filter(f, total);
        }
        self.compare(&["tally", "list", "--format", "csv"], no_mask);
        self.compare(&["tally", "list", "--format", "json"], json_mask);
        self.compare(
            &["tally", "list", "--status", "all", "--format", "json"],
            json_mask,
        );

        // Period reports, in every format.
        let mut periods: Vec<Vec<&str>> = vec![
            [&region[..], &month[..]].concat(),
            vec!["--region", scope.district, "--month", scope.month],
            vec!["--country", scope.country, "--year", scope.year],
            [&region[..], &["--week", scope.week]].concat(),
            [&region[..], &["--from", scope.from, "--to", scope.to]].concat(),
            month.to_vec(),
            [&region[..], &month[..], &["--type", scope.event_type]].concat(),
            [&region[..], &month[..], &["--actor", scope.actor]].concat(),
            [&month[..], scope.near].concat(),
            [&month[..], &["--bbox", scope.bbox]].concat(),
        ];
        if let Some(custom) = scope.custom {
            periods.push(vec!["--region", custom, "--month", scope.month]);
        }
        for period in &periods {
            for format in REPORT_FORMATS {
                let args = [&["report"][..], period, &["--format", format]].concat();
                self.compare(&args, json_mask);
            }
        }

        // Grouped reports: every dimension, and pairs of them.
        let range = ["--from", scope.from, "--to", scope.to];
        let mut groupings: Vec<String> = DIMENSIONS.iter().map(|d| d.to_string()).collect();
        groupings.extend(
            ["admin1,month", "admin2,week", "type,sub_type", "actor,year"].map(String::from),
        );
        let mut scopes: Vec<Vec<&str>> = vec![vec!["--country", "SY"], region.to_vec(), vec![]];
        if let Some(custom) = scope.custom {
            scopes.push(vec!["--region", custom]);
        }
        for where_ in &scopes {
            for group in &groupings {
                for format in REPORT_FORMATS {
                    // GeoJSON maps the region's units: one grouping by a
                    // unit suffices for it.
                    if format == "geojson" && !group.starts_with("admin") {
                        continue;
                    }
                    let args = [
                        &["report"][..],
                        where_,
                        &range,
                        &["--group-by", group, "--format", format],
                    ]
                    .concat();
                    self.compare(&args, json_mask);
                }
            }
        }

        // Exports, whole and filtered, in every format.
        let exported: [(&str, Mask); 4] = [
            ("geojson", json_mask),
            ("geojsonseq", json_mask),
            ("csv", csv_mask),
            ("acled", acled_mask),
        ];
        for filter in [
            vec![],
            [&region[..], &month[..], &["--overlapping"]].concat(),
            scope.near.to_vec(),
        ] {
            for (format, mask) in exported {
                let args = [&["export", "--format", format][..], &filter].concat();
                self.compare(&args, mask);
            }
            self.compare_gpkg(&filter);
        }
        self.compare(&["export", "--format", "csv", "--raw"], csv_mask);
    }

    /// Exports a GeoPackage on each backend and compares every table's rows.
    fn compare_gpkg(&mut self, filter: &[&str]) {
        let args = [
            &["export", "--format", "gpkg", "-o", "out.gpkg"][..],
            filter,
        ]
        .concat();
        // A GeoPackage is never overwritten.
        self.both(|s| std::fs::remove_file(s.dir.path().join("out.gpkg")).ok());
        self.compare(&args, no_mask);
        let [a, b] = self.both(|s| gpkg_dump(&s.dir.path().join("out.gpkg")));
        self.compared += 1;
        if let Some(d) = first_difference(&a, &b) {
            self.differences.push(format!(
                "incidents {}: GeoPackage differs {d}",
                args.join(" ")
            ));
        }
    }

    fn finish(self, filters_must_select: bool) {
        assert!(
            self.differences.is_empty(),
            "{} of {} outputs differ between SQLite and PostgreSQL:\n{}",
            self.differences.len(),
            self.compared,
            self.differences.join("\n")
        );
        if filters_must_select {
            assert!(
                self.idle_filters.is_empty(),
                "filters that select nothing or everything:\n{}",
                self.idle_filters.join("\n")
            );
        }
    }
}

/// Where two outputs first differ: the line, and both texts from a little
/// before the first differing character.
fn first_difference(a: &str, b: &str) -> Option<String> {
    if a == b {
        return None;
    }
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let (x, y) = (la.get(i).copied(), lb.get(i).copied());
    let (cx, cy): (Vec<char>, Vec<char>) = (
        x.unwrap_or("").chars().collect(),
        y.unwrap_or("").chars().collect(),
    );
    let at = cx.iter().zip(&cy).take_while(|(p, q)| p == q).count();
    let from = at.saturating_sub(100);
    let around = |line: Option<&str>, chars: &[char]| match line {
        None => "(no line)".to_string(),
        Some(_) => chars[from.min(chars.len())..(at + 200).min(chars.len())]
            .iter()
            .collect(),
    };
    Some(format!(
        "at line {} column {} ({} lines on SQLite, {} on PostgreSQL), from column {}:\n  \
         SQLite:     {}\n  PostgreSQL: {}",
        i + 1,
        at + 1,
        la.len(),
        lb.len(),
        from + 1,
        around(x, &cx),
        around(y, &cy)
    ))
}

/// The number of records of a CSV text with a header.
fn records(csv: &str) -> usize {
    csv::Reader::from_reader(csv.as_bytes()).records().count()
}

fn no_mask(text: &str) -> String {
    text.to_string()
}

/// Every digit a zero: the time is masked, its shape is kept.
fn zero_digits(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// Masks the string values of `created_at` and `updated_at` keys in JSON
/// (compact or pretty).
fn json_mask(text: &str) -> String {
    let mut out = text.to_string();
    for key in ["\"created_at\":", "\"updated_at\":"] {
        let mut from = 0;
        while let Some(at) = out[from..].find(key) {
            let value = from + at + key.len();
            let value = value + (out[value..].len() - out[value..].trim_start().len());
            from = value;
            if out[value..].starts_with('"') {
                let end = value + 1 + out[value + 1..].find('"').expect("a closed string");
                let masked = zero_digits(&out[value..end]);
                out.replace_range(value..end, &masked);
                from = end;
            }
        }
    }
    out
}

/// Our CSV: `created_at` and `updated_at` end each record.
fn csv_mask(text: &str) -> String {
    mask_trailing_columns(text, &["created_at", "updated_at"])
}

/// ACLED's CSV: `timestamp` (our `updated_at`) ends each record.
fn acled_mask(text: &str) -> String {
    mask_trailing_columns(text, &["timestamp"])
}

/// Masks the digits of the last columns of every record, which must be
/// `columns` and unquoted: the text is otherwise kept byte for byte.
fn mask_trailing_columns(text: &str, columns: &[&str]) -> String {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().expect("a CSV header").clone();
    let tail: Vec<&str> = header.iter().skip(header.len() - columns.len()).collect();
    assert_eq!(tail, columns, "the masked columns end each record");
    let mut done = r.position().byte() as usize;
    let mut out = text[..done].to_string();
    let mut record = csv::StringRecord::new();
    while r.read_record(&mut record).expect("a CSV record") {
        let end = r.position().byte() as usize;
        let raw = &text[done..end];
        let body = raw.trim_end_matches(['\n', '\r']);
        let values: Vec<&str> = record.iter().skip(record.len() - columns.len()).collect();
        let suffix = values.join(",");
        assert!(
            body.ends_with(&suffix),
            "record at byte {done} does not end with its unquoted {columns:?}: {body}"
        );
        let keep = body.len() - suffix.len();
        out.push_str(&body[..keep]);
        out.push_str(&zero_digits(&suffix));
        out.push_str(&raw[body.len()..]);
        done = end;
    }
    out.push_str(&text[done..]);
    out
}

/// Every table of a GeoPackage (schema, then rows in stored order), the
/// times of writing masked.
fn gpkg_dump(path: &Path) -> String {
    let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let pragma = |name: &str| -> i64 {
        c.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .expect(name)
    };
    let mut out = format!(
        "application_id {} user_version {}\n",
        pragma("application_id"),
        pragma("user_version")
    );
    let schema: Vec<(String, String, Option<String>)> = c
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .expect("the schema");
    for (kind, name, sql) in &schema {
        let _ = writeln!(out, "{kind} {name}: {}", sql.as_deref().unwrap_or(""));
    }
    for (kind, name, _) in &schema {
        if kind != "table" {
            continue;
        }
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{name}\""))
            .expect("select");
        let masked: Vec<bool> = stmt
            .column_names()
            .map(|n| ["created_at", "updated_at", "last_change"].contains(&n))
            .collect();
        let n = masked.len();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        let v = format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?);
                        Ok(if masked[i] { zero_digits(&v) } else { v })
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|cells| cells.join("|"))
            })
            .and_then(|rows| rows.collect())
            .expect("rows");
        let _ = writeln!(out, "{name}:\n{}", rows.join("\n"));
    }
    out
}

// ---------------------------------------------------------------------------
// The generated incidents

const HEADER: &[&str] = &[
    "uid",
    "title",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "reported_admin1",
    "reported_admin2",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "civilian_fatalities",
    "actor1",
    "actor2",
    "assoc_actors",
    "notes",
    "tags",
    "sources",
    "created_at",
    "updated_at",
];

/// Towns of Syria and Iraq, with the country the point is in.
const TOWNS: &[(f64, f64, &str)] = &[
    (32.70, 36.10, "SY"),
    (32.85, 36.25, "SY"),
    (32.75, 36.00, "SY"),
    (33.07, 36.18, "SY"),
    (33.51, 36.29, "SY"),
    (36.20, 37.15, "SY"),
    (34.73, 36.71, "SY"),
    (35.95, 39.01, "SY"),
    (35.33, 40.14, "SY"),
    (35.93, 36.63, "SY"),
    (36.50, 40.75, "SY"),
    (35.13, 36.75, "SY"),
    (33.31, 44.37, "IQ"),
    (36.34, 43.13, "IQ"),
    (35.47, 44.39, "IQ"),
    (30.51, 47.81, "IQ"),
    (33.42, 43.30, "IQ"),
    (36.19, 44.01, "IQ"),
];

/// Custom regions (code, name, ring): a pentagon north of Daraa, imported
/// before the incidents, and a quadrilateral around Mosul, after them.
type Custom = (&'static str, &'static str, &'static [[f64; 2]]);
const CUSTOM: [Custom; 2] = [
    (
        "AOI-NDR",
        "Ḥawrān AOI (شمال درعا)",
        &[
            [36.0, 32.65],
            [36.35, 32.62],
            [36.45, 32.9],
            [36.2, 33.12],
            [35.95, 32.95],
            [36.0, 32.65],
        ],
    ),
    (
        "AOI-MOS",
        "AOI Mosul",
        &[
            [42.95, 36.2],
            [43.4, 36.25],
            [43.35, 36.5],
            [42.9, 36.45],
            [42.95, 36.2],
        ],
    ),
];

fn custom_region((code, name, ring): Custom) -> String {
    serde_json::json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"name": name, "code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}
        }]
    })
    .to_string()
}

/// Reported figures (`tally add` arguments, `|`-separated): a
/// governorate's month, the month before and the year, a district across a
/// month's end, the custom region, another country's year, a derived
/// figure, a place as reported, a source that looks like a formula.
const TALLIES: &[&str] = &[
    "--region|Daraa|--period|2024-06|--metric|killings|--value|41|--source|Daraa 24 Network",
    "--region|Daraa|--period|2024-05|--metric|killings|--value|20|--source|Horan Free League\
     |--source-url|https://example.org/horan",
    "--region|Daraa|--period|2024|--metric|killings|--value|402|--source|Daraa 24 Network",
    "--region|SY1202|--from|2024-06-10|--to|2024-07-05|--metric|assassinations|--value|7\
     |--derived|--notes|Dérivé: « deux fois plus qu'en mai »",
    "--region|Ḥawrān AOI (شمال درعا)|--period|2024-06|--metric|civilian killings|--value|12\
     |--source|SOHR",
    "--region|Nineveh|--period|2024|--metric|killings|--value|310|--place|الموصل\
     |--source|Iraq Body Count|--source-title|Annual review|--source-date|2025-01-15",
    "--region|Daraa|--period|2024-06-14|--metric|kidnappings|--value|3|--source|=SUM(A1:A9)+@x",
];

const TITLES: &[&str] = &[
    "Émeute à Alep",
    "Frappe aérienne près de Raqqa",
    "Clashes near Dar'a, two \"checkpoints\" taken",
    "ATTAQUE À DEIR EZ-ZŌR",
    "سيارة مفخخة في درعا",
    "100% of the market_place destroyed",
    "=HYPERLINK(\"http://example.org\")",
    "-5 soldiers missing",
    "Shelling of the Idlib countryside",
    "Çatışma in Afrin",
    "Protest in Baghdād",
    "Drone strike on a convoy\nsecond line",
];

const NOTES: &[&str] = &[
    "Toll revised by a second source",
    "Sources disagree (Ḥasakah); see also: the 3rd report",
    "Según testigos, dos muertos",
    "@SOHR reported it first",
    "+1 after a body was found",
    "Line one\r\nline two, with a comma",
    "قتل مدنيان في القصف",
    "",
];

const PLACES: &[&str] = &[
    "Al-Bāb",
    "Manbij",
    "Qāmishli",
    "Mosul",
    "Dar'a",
    "Tall Abyaḍ",
    "بصرى الشام",
    "Nawa",
    "al-Hārah",
];

const ACTORS: &[&str] = &[
    "Jaysh al-Islām",
    "HAYʼAT TAHRIR AL-SHAM",
    "Syrian Democratic Forces",
    "Forces démocratiques syriennes",
    "Islamic State (Iraq)",
    "Türkiye Armed Forces",
    "Military Forces of Syria (2024-)",
    "Unidentified Armed Group (Syria)",
    "Police Forces of Iraq (2022-)",
    "Civilians (Syria)",
    "ÉTAT ISLAMIQUE",
    "جيش الإسلام",
    "apostrophe's group",
];

/// Tags, some that sort differently by bytes and by language, one with a
/// `;` and one with a backslash (escaped in the cell).
const TAGS: &[&str] = &[
    "airstrike",
    "Airstrike",
    "checkpoint",
    "IED",
    "a;b",
    "back\\slash",
    "Émeute",
    "émeute",
    "حصار",
    "zz-last",
];

/// Governorates as sources spell them, by country.
const REPORTED_ADMIN1: [(&str, &[&str]); 2] = [
    ("SY", &["Dara", "Rif Dimashq", "Aleppo Governorate", "درعا"]),
    ("IQ", &["Ninawa", "Baghdad Governorate", "نينوى"]),
];

const PUBLISHERS: &[&str] = &[
    "SANA",
    "Enab Baladi",
    "Asharq Al-Awsat",
    "Rudaw",
    "سوريا الآن",
];

/// Uids that sort differently by bytes and by language: case, `-`/`_`/`.`
/// and accents.
const UID_PREFIXES: &[&str] = &["GEN-", "gen-", "Gen_", "GEN.", "évt-", "EVT-", "حادث-"];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A span of every precision, dense around June 2024; the precision is
/// left for the import to infer one time in ten.
fn span(rng: &mut StdRng) -> (NaiveDate, NaiveDate, &'static str) {
    let day = if rng.random_bool(0.3) {
        date(2024, 5, 1) + Duration::days(rng.random_range(0..92))
    } else {
        date(2023, 1, 1) + Duration::days(rng.random_range(0..3 * 365))
    };
    let month_start = date(day.year(), day.month(), 1);
    let month_end = month_start + Months::new(1) - Duration::days(1);
    let (start, end, precision) = match rng.random_range(0..100) {
        0..35 => (day, day, "day"),
        35..50 => {
            // ISO weeks, some of them across a month's (or a year's) end.
            let monday = day - Duration::days(day.weekday().num_days_from_monday().into());
            (monday, monday + Duration::days(6), "week")
        }
        50..65 => (month_start, month_end, "month"),
        65..70 => (date(day.year(), 1, 1), date(day.year(), 12, 31), "year"),
        70..82 => {
            // A few days across a month's end.
            let start = month_end - Duration::days(rng.random_range(0..5));
            (
                start,
                month_end + Duration::days(rng.random_range(1..6)),
                "range",
            )
        }
        82..90 => {
            // A few days inside a month (not a week).
            let start = month_start + Duration::days(rng.random_range(0..15));
            (
                start,
                start + Duration::days(rng.random_range(1..6)),
                "range",
            )
        }
        _ => (day, day + Duration::days(rng.random_range(1..400)), "range"),
    };
    let stated = if rng.random_bool(0.1) { "" } else { precision };
    (start, end, stated)
}

fn maybe(rng: &mut StdRng, p: f64, options: &[&str]) -> String {
    if rng.random_bool(p) {
        options.choose(rng).expect("options").to_string()
    } else {
        String::new()
    }
}

fn number(v: Option<u32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// One generated row of our CSV, in `HEADER`'s order.
fn row(rng: &mut StdRng, n: usize) -> Vec<String> {
    let (start, end, precision) = span(rng);
    let (event_type, subs) = incidents::model::TAXONOMY.choose(rng).expect("taxonomy");
    let sub = maybe(rng, 0.7, subs);
    let (mut lat, mut lon, mut geo, mut country, mut admin1) = Default::default();
    let (y, x, c) = *TOWNS.choose(rng).expect("towns");
    if rng.random_bool(0.92) {
        // Several incidents share a point: equal keys sort by insertion.
        let (dy, dx): (f64, f64) = if rng.random_bool(0.2) {
            (0.0, 0.0)
        } else {
            (rng.random_range(-0.08..0.08), rng.random_range(-0.08..0.08))
        };
        let decimals = *[6, 4, 2, 8].choose(rng).expect("decimals");
        (lat, lon) = (
            format!("{:.*}", decimals, y + dy),
            format!("{:.*}", decimals, x + dx),
        );
        geo = rng.random_range(1..=4).to_string();
        if rng.random_bool(0.5) {
            country = c.to_string();
        }
    } else {
        // Only the country, or the governorate as the source names it.
        country = c.to_string();
        admin1 = if c == "SY" { "Daraa" } else { "Nineveh" }.to_string();
        if rng.random_bool(0.3) {
            admin1.clear();
        }
    }
    if admin1.is_empty() {
        let labels = REPORTED_ADMIN1
            .iter()
            .find(|(k, _)| *k == c)
            .expect("a country");
        admin1 = maybe(rng, 0.3, labels.1);
    }
    let (best, low, high, civilian) = if rng.random_bool(0.7) {
        let best: u32 = rng.random_range(0..60);
        let low = rng
            .random_bool(0.3)
            .then(|| best - rng.random_range(0..=best));
        let high = rng.random_bool(0.3).then(|| best + rng.random_range(0..20));
        let civilian = rng.random_bool(0.4).then(|| rng.random_range(0..=best));
        (Some(best), low, high, civilian)
    } else {
        // Unknown, sometimes with a range or a civilian toll.
        let low: Option<u32> = rng.random_bool(0.2).then(|| rng.random_range(0..10));
        let high = low
            .map(|l| l + rng.random_range(0..10))
            .filter(|_| rng.random_bool(0.8));
        let civilian = rng.random_bool(0.1).then(|| rng.random_range(0..5));
        (None, low, high, civilian)
    };
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.random_range(0..=3) {
        let t = TAGS.choose(rng).expect("tags");
        let escaped = t.replace('\\', "\\\\").replace(';', "\\;");
        if !tags.contains(&escaped) {
            tags.push(escaped);
        }
    }
    let assoc = if rng.random_bool(0.2) {
        format!(
            "{}; {}",
            ACTORS.choose(rng).expect("actors"),
            ACTORS.choose(rng).expect("actors")
        )
    } else {
        String::new()
    };
    let sources: Vec<serde_json::Value> = (0..rng.random_range(0..=2))
        .map(|k| {
            serde_json::json!({
                "publisher": PUBLISHERS.choose(rng).expect("publishers"),
                "title": format!("Report {n}.{k} « {} »", TITLES.choose(rng).expect("titles")),
                "url": rng.random_bool(0.5).then(|| format!("https://example.org/{n}/{k}?q=é")),
                "published": rng.random_bool(0.5).then(|| end.to_string()),
                "excerpt": rng.random_bool(0.3).then_some("\"quoted\", with a comma"),
            })
        })
        .collect();
    let written = rng.random_bool(0.2).then(|| {
        format!(
            "2024-0{}-1{}T0{}:{}5:0{}Z",
            rng.random_range(1..10),
            rng.random_range(0..10),
            rng.random_range(0..10),
            rng.random_range(0..6),
            rng.random_range(0..10)
        )
    });
    vec![
        format!("{}{n:05}", UID_PREFIXES.choose(rng).expect("uid prefixes")),
        maybe(rng, 0.85, TITLES),
        event_type.to_string(),
        sub,
        start.to_string(),
        end.to_string(),
        precision.into(),
        maybe(rng, 0.7, PLACES),
        lat,
        lon,
        geo,
        country,
        admin1,
        maybe(rng, 0.1, &["Markaz Dar'a", "Al-Mosul district"]),
        number(best),
        number(low),
        number(high),
        number(civilian),
        maybe(rng, 0.9, ACTORS),
        maybe(rng, 0.5, ACTORS),
        assoc,
        maybe(rng, 0.6, NOTES),
        tags.join(";"),
        if sources.is_empty() {
            String::new()
        } else {
            serde_json::Value::from(sources).to_string()
        },
        written.clone().unwrap_or_default(),
        written.unwrap_or_default(),
    ]
}

/// The generator's own checks: every precision, tolls unknown and known.
#[test]
fn the_generator_covers_what_parity_claims() {
    let mut rng = StdRng::seed_from_u64(14_2025);
    let rows: Vec<Vec<String>> = (0..INCIDENTS).map(|n| row(&mut rng, n)).collect();
    let col = |name: &str| HEADER.iter().position(|h| *h == name).expect(name);
    let count = |f: &dyn Fn(&Vec<String>) -> bool| rows.iter().filter(|r| f(r)).count();
    for p in ["day", "week", "month", "year", "range", ""] {
        assert!(
            count(&|r| r[col("date_precision")] == p) > 200,
            "precision {p:?}"
        );
    }
    let across_months = count(&|r| {
        r[col("date_start")][..7] != r[col("date_end")][..7] && r[col("date_precision")] != "year"
    });
    assert!(across_months > 1000, "{across_months} spans across months");
    assert!(count(&|r| r[col("fatalities")].is_empty()) > 2000);
    assert!(
        count(&|r| r[col("fatalities")].is_empty() && !r[col("fatalities_low")].is_empty()) > 100
    );
    assert!(count(&|r| !r[col("civilian_fatalities")].is_empty()) > 2000);
    assert!(count(&|r| r[col("latitude")].is_empty()) > 400);
    assert!(count(&|r| r[col("country")] == "IQ") > 1000);
}

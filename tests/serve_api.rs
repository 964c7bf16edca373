//! `incidents serve` through its HTTP API, as a script uses it: a real HTTP
//! client (ureq) against the running binary, on both backends. Every data
//! route answers with the very bytes of the matching command for the same
//! flags (`report --format json`, `export`, `show`, `history`, `chart`),
//! on the seeds and on a generated set of a few thousand incidents; the
//! vector tiles are decoded (prost, and GDAL's MVT driver) and counted
//! against `list`; the choropleth is checked against `map`. Then what a
//! server must refuse: bad, repeated and unknown parameters (400 naming
//! the parameter), unknown paths (404), writes (405, the database
//! unchanged), path traversal, oversized requests and answers, slow
//! requests (503, without holding up the others), requests without the
//! token; and that it never writes to the database.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::serve::Server;
use common::{Backend, Session, both};
use geozero::mvt::{Message, Tile};
use serde_json::Value;

/// The Content-Security-Policy every answer carries (the contract's).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; \
child-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Not a measurement: how long a request may hang before the test gives up
/// on it instead of hanging with it.
const GUARD: Duration = Duration::from_secs(300);

// ---------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------

/// An answer as the client received it.
struct Reply {
    /// `GET /path?query`, for messages.
    what: String,
    status: u16,
    /// Header names in lower case, in the order received.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Why reading the body failed, when it did (a stream cut off).
    broken: Option<String>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}):\n{}", self.what, self.text()))
    }

    /// Asserts status 200 and a whole body, and returns the body.
    fn ok(&self) -> &[u8] {
        assert_eq!(
            (self.status, &self.broken),
            (200, &None),
            "{}:\n{}",
            self.what,
            self.text()
        );
        &self.body
    }

    /// Asserts this status and a JSON body (never an HTML page), and
    /// returns the body.
    fn json_error(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}:\n{}", self.what, self.text());
        let media = self.header("content-type").unwrap_or_default();
        assert!(
            media.starts_with("application/json"),
            "{}: a {status} as {media:?}, not JSON:\n{}",
            self.what,
            self.text()
        );
        let v = self.json();
        assert!(
            v["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{}: no \"error\" message: {v}",
            self.what
        );
        v
    }
}

/// The client: errors are answers to look at, redirects are not followed
/// (the token's redirect is checked as such), and no request hangs a test.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(GUARD))
        .build()
        .into()
}

fn send(agent: &ureq::Agent, method: &str, url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let request = request
        .body(())
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let what = format!("{method} {url}");
    let mut response = agent
        .run(request)
        .unwrap_or_else(|e| panic!("{what}: no answer: {e}"));
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let broken = response
        .body_mut()
        .as_reader()
        .read_to_end(&mut body)
        .err()
        .map(|e| e.to_string());
    Reply {
        what,
        status,
        headers,
        body,
        broken,
    }
}

impl Server {
    fn get(&self, path: &str) -> Reply {
        send(&agent(), "GET", &self.at(path), &[])
    }

    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        send(&agent(), "GET", &self.at(path), headers)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        send(&agent(), method, &self.at(path), &[])
    }
}

/// Sends `request` as it is written, on a new connection, and returns every
/// byte the server answers until it closes the connection. For what a
/// client library would not send as given (`..` in a path, a huge header).
/// A server that closes the connection before reading all of the request
/// is fine: what it answered is returned.
fn raw(server: &Server, request: &[u8]) -> Vec<u8> {
    let mut c = TcpStream::connect(server.addr()).expect("connect to the server");
    c.set_read_timeout(Some(GUARD)).expect("read timeout");
    let _ = c.write_all(request);
    let mut answer = Vec::new();
    let mut buf = [0; 65536];
    loop {
        match c.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    answer
}

/// `GET target` over a raw connection that asks to be closed after it.
fn raw_get(server: &Server, target: &str) -> Vec<u8> {
    raw(
        server,
        format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr()
        )
        .as_bytes(),
    )
}

/// The status of a raw answer, None when the server answered nothing.
fn raw_status(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|b| *b == b'\n').next()?;
    let line = String::from_utf8_lossy(line);
    line.strip_prefix("HTTP/1.1 ")
        .or_else(|| line.strip_prefix("HTTP/1.0 "))?
        .get(..3)?
        .parse()
        .ok()
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Parameters as the API and the command line take them: `("month",
/// "2025-06")` is `month=2025-06` and `--month 2025-06`; a switch
/// (`overlapping`) is `true` or `false`.
type Params<'a> = [(&'a str, &'a str)];

fn query(params: &Params) -> String {
    let pairs: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

fn flags(params: &Params) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in params {
        match (*k, *v) {
            ("overlapping", "true") => out.push("--overlapping".to_string()),
            ("overlapping", "false") => {}
            _ => out.extend([format!("--{k}"), v.to_string()]),
        }
    }
    out
}

/// What `incidents ARGS` writes on stdout, byte for byte; it must succeed.
fn cli(s: &Session, args: &[&str]) -> Vec<u8> {
    let out = s.cmd(args).output().expect("run incidents");
    assert!(
        out.status.success(),
        "incidents {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `incidents COMMAND PARAMS-AS-FLAGS EXTRA`.
fn cli_with(s: &Session, command: &[&str], params: &Params, extra: &[&str]) -> Vec<u8> {
    let flags = flags(params);
    let args: Vec<&str> = command
        .iter()
        .copied()
        .chain(flags.iter().map(String::as_str))
        .chain(extra.iter().copied())
        .collect();
    cli(s, &args)
}

/// Asserts that the API's bytes are the command's, saying where they part.
fn assert_same_bytes(api: &[u8], cli: &[u8], what: &str) {
    if api == cli {
        return;
    }
    let at = api
        .iter()
        .zip(cli)
        .position(|(a, b)| a != b)
        .unwrap_or(api.len().min(cli.len()));
    let around = |b: &[u8]| {
        String::from_utf8_lossy(&b[at.saturating_sub(80)..(at + 80).min(b.len())]).into_owned()
    };
    panic!(
        "{what}: the API's {} bytes are not the command's {} bytes; first difference at byte {at}:\n\
         API: {:?}\nCLI: {:?}",
        api.len(),
        cli.len(),
        around(api),
        around(cli)
    );
}

/// The command's first error line, without "error: ".
fn cli_error(s: &Session, args: &[&str]) -> String {
    let o = s.run(args);
    assert_ne!(o.code, 0, "incidents {args:?} should fail");
    o.stderr
        .lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or_else(|| panic!("incidents {args:?}: no error line in {:?}", o.stderr))
        .to_string()
}

// ---------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------

/// The seeds' incidents with their place (3 of the 7 are placed at
/// precision 1 or 2, two of them at the same point).
fn seeded_list(s: &Session) -> Vec<Value> {
    s.json(&["list", "--status", "all"])
        .as_array()
        .expect("a JSON array")
        .clone()
}

/// Deterministic pseudo-random numbers (SplitMix64), as tests/map.rs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

/// Towns the generated incidents are placed around (jittered), in Syria and
/// Iraq: name, latitude, longitude.
const TOWNS: &[(&str, f64, f64)] = &[
    ("Damascus", 33.51, 36.29),
    ("Aleppo", 36.20, 37.16),
    ("Homs", 34.73, 36.71),
    ("Hama", 35.13, 36.75),
    ("Daraa", 32.62, 36.10),
    ("Idlib", 35.93, 36.63),
    ("Raqqa", 35.95, 39.01),
    ("Deir ez-Zor", 35.33, 40.14),
    ("Latakia", 35.52, 35.79),
    ("Al-Sanamayn", 33.07, 36.18),
    ("Mosul", 36.34, 43.13),
    ("Baghdad", 33.34, 44.40),
    ("Basra", 30.51, 47.78),
];

/// Event type and sub-event type pairs of ACLED's taxonomy.
const TYPES: &[(&str, &str)] = &[
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Explosions/Remote violence", "Air/drone strike"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    ("Violence against civilians", "Attack"),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Arrests"),
];

const ACTORS: &[&str] = &[
    "Military Forces of Syria",
    "Islamic State (Syria)",
    "Civilians (Syria)",
    "Protesters (Iraq)",
    "Police Forces of Iraq",
    "Hayat Tahrir al-Sham",
    "Syrian Democratic Forces",
];

/// Our CSV of `n` incidents across 2024: days, weeks, months and ranges
/// (some crossing a month's end), every geo precision, known and unknown
/// tolls, actors, notes with and without "market", tags.
fn generated_csv(n: usize) -> String {
    let mut rng = Rng(18_2026);
    let mut csv = String::from(
        "uid,title,event_type,sub_event_type,date_start,date_end,date_precision,place,latitude,longitude,geo_precision,fatalities,actor1,actor2,notes,tags,sources\n",
    );
    for k in 0..n {
        let (town, lat, lon) = *rng.pick(TOWNS);
        let lat = lat + (rng.below(2001) as f64 - 1000.0) / 20_000.0;
        let lon = lon + (rng.below(2001) as f64 - 1000.0) / 20_000.0;
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let (start, end, precision) = match rng.below(10) {
            0 => (
                format!("2024-{month:02}-01"),
                format!(
                    "2024-{month:02}-{}",
                    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1]
                ),
                "month",
            ),
            1 if month < 12 => (
                format!("2024-{month:02}-{day:02}"),
                format!("2024-{:02}-{day:02}", month + 1),
                "range",
            ),
            _ => (
                format!("2024-{month:02}-{day:02}"),
                format!("2024-{month:02}-{day:02}"),
                "day",
            ),
        };
        let (event_type, sub_type) = *rng.pick(TYPES);
        let fatalities = match rng.below(4) {
            0 => String::new(),
            _ => rng.below(30).to_string(),
        };
        let geo = 1 + rng.below(3);
        let actor1 = *rng.pick(ACTORS);
        let actor2 = if rng.below(3) == 0 {
            *rng.pick(ACTORS)
        } else {
            ""
        };
        let notes = if rng.below(5) == 0 {
            format!("shots near the market of {town}")
        } else {
            format!("reported near {town}")
        };
        let tags = ["a", "b", "a;b", ""][rng.below(4) as usize];
        csv.push_str(&format!(
            "GEN-{k:05},Generated {k} at {town},{event_type},{sub_type},{start},{end},{precision},{town},{lat:.5},{lon:.5},{geo},{fatalities},{actor1},{actor2},{notes},{tags},\"[{{\"\"publisher\"\":\"\"Test Wire\"\"}}]\"\n"
        ));
    }
    csv
}

/// How many incidents the generated sets have: thousands, more than any
/// one buffer or page of an answer.
const GENERATED: usize = 3_000;

/// A session with the seeds and the generated incidents.
fn generated_session() -> Session {
    let s = Session::seeded();
    let csv = s.file("generated.csv", generated_csv(GENERATED).as_bytes());
    s.ok(&[
        "import",
        csv.to_str().expect("UTF-8 path"),
        "--format",
        "csv",
    ]);
    s
}

/// The incidents `list` selects with these filters (JSON objects).
fn listed(s: &Session, params: &Params) -> Vec<Value> {
    let out = cli_with(s, &["list", "--format", "json"], params, &[]);
    serde_json::from_slice::<Value>(&out)
        .expect("list's JSON")
        .as_array()
        .expect("a JSON array")
        .clone()
}

/// Those placed precisely enough to be drawn (geo precision 1 or 2).
fn drawable(incidents: &[Value]) -> Vec<&Value> {
    incidents
        .iter()
        .filter(|i| matches!(i["geo_precision"].as_u64(), Some(1 | 2)))
        .filter(|i| i["latitude"].is_number() && i["longitude"].is_number())
        .collect()
}

// ---------------------------------------------------------------------
// /api/report, /api/incidents, /api/incidents/UID, /api/chart.svg
// ---------------------------------------------------------------------

/// Report parameters on the seeds: the region in several spellings, every
/// kind of period, every filter, and grouped reports.
const SEED_REPORTS: &[&[(&str, &str)]] = &[
    &[("region", "Daraa"), ("month", "2025-06")],
    &[("region", "Dar'a"), ("month", "2025-07")],
    &[("region", "درعا"), ("month", "2025-06")],
    &[("region", "daraa"), ("month", "2025-06")],
    &[("region", "SY-DR"), ("year", "2025")],
    &[("region", "SY1202"), ("week", "2025-W27")],
    &[
        ("region", "Daraa"),
        ("from", "2024-12-01"),
        ("to", "2025-07-31"),
    ],
    &[
        ("region", "Daraa"),
        ("month", "2025-07"),
        ("type", "Battles"),
    ],
    &[
        ("region", "Daraa"),
        ("from", "2025-06"),
        ("to", "2025-07"),
        ("type", "battles"),
        ("sub-type", "Armed clash"),
    ],
    &[
        ("region", "Daraa"),
        ("month", "2025-06"),
        ("actor", "syria"),
    ],
    &[
        ("region", "Daraa"),
        ("month", "2025-06"),
        ("text", "SANAMAYN"),
    ],
    &[("region", "Daraa"), ("year", "2025"), ("tag", "checkpoint")],
    &[
        ("country", "SY"),
        ("year", "2025"),
        ("bbox", "36.0,32.5,36.6,33.3"),
    ],
    &[
        ("near", "Al-Sanamayn"),
        ("radius", "25km"),
        ("year", "2025"),
    ],
    &[
        ("near", "32.62,36.10"),
        ("radius", "40km"),
        ("from", "2025-06"),
        ("to", "2025-07"),
    ],
    &[("region", "Baghdad"), ("year", "2020")],
    &[("group-by", "admin1")],
    &[("group-by", "month,type"), ("country", "SY")],
];

both!(report_is_the_cli_report_on_the_seeds);
fn report_is_the_cli_report_on_the_seeds() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    for params in SEED_REPORTS {
        let want = cli_with(&s, &["report", "--format", "json"], params, &[]);
        let got = server.get(&format!("/api/report{}", query(params)));
        assert_same_bytes(got.ok(), &want, &got.what);
        assert!(
            got.header("content-type")
                .is_some_and(|m| m.starts_with("application/json")),
            "{}: {:?}",
            got.what,
            got.header("content-type")
        );
    }
    // The seeds' June in Daraa has the two reported tallies (38 and 23)
    // the page shows; the API's report is the CLI's, so it has them too.
    let june = server.get("/api/report?region=Daraa&month=2025-06").json();
    let within: BTreeSet<u64> = june["tallies"]
        .as_array()
        .expect("the report's tallies")
        .iter()
        .filter(|t| t["coverage"] == "within")
        .filter_map(|t| t["value"].as_u64())
        .collect();
    assert_eq!(within, BTreeSet::from([23, 38]), "{}", june["tallies"]);
}

/// Report parameters on the generated set.
const GENERATED_REPORTS: &[&[(&str, &str)]] = &[
    &[("region", "Aleppo"), ("month", "2024-05")],
    &[("region", "aleppo"), ("month", "2024-05")],
    &[("region", "SY-HL"), ("year", "2024")],
    &[("region", "Daraa"), ("week", "2024-W23")],
    &[("country", "SY"), ("year", "2024"), ("type", "Battles")],
    &[
        ("region", "Aleppo"),
        ("from", "2024-03-10"),
        ("to", "2024-06-20"),
        ("type", "Explosions/Remote violence"),
        ("sub-type", "Air/drone strike"),
    ],
    &[
        ("country", "IQ"),
        ("month", "2024-06"),
        ("actor", "protesters"),
    ],
    &[("year", "2024"), ("text", "market")],
    &[("year", "2024"), ("tag", "b")],
    &[("bbox", "36.0,32.5,36.6,33.3"), ("year", "2024")],
    &[
        ("near", "34.73,36.71"),
        ("radius", "20km"),
        ("month", "2024-07"),
    ],
    &[
        ("near", "36.34,43.13"),
        ("radius", "12.5km"),
        ("year", "2024"),
    ],
    &[
        ("group-by", "admin1,month"),
        ("country", "SY"),
        ("year", "2024"),
    ],
    &[("group-by", "type")],
    &[("group-by", "actor"), ("region", "Daraa"), ("year", "2024")],
    &[
        ("group-by", "admin2"),
        ("country", "SY"),
        ("from", "2024-02-01"),
        ("to", "2024-04-30"),
    ],
];

/// Export parameters: the filters, overlapping, a limit.
const EXPORTS: &[&[(&str, &str)]] = &[
    &[],
    &[("month", "2024-05")],
    &[("month", "2024-05"), ("overlapping", "true")],
    &[("month", "2024-05"), ("overlapping", "false")],
    &[("region", "Aleppo"), ("type", "Battles")],
    &[
        ("region", "Dar'a"),
        ("from", "2024-12-01"),
        ("to", "2025-07-31"),
    ],
    &[("near", "Al-Sanamayn"), ("radius", "25km")],
    &[("country", "IQ"), ("actor", "police"), ("limit", "25")],
    &[("text", "market"), ("tag", "a")],
    &[
        ("bbox", "36.0,32.5,36.6,33.3"),
        ("from", "2024-06-03"),
        ("to", "2024-06-09"),
    ],
    &[("status", "all"), ("limit", "100")],
];

const EXPORT_FORMATS: [&str; 4] = ["geojson", "geojsonseq", "csv", "acled"];

/// The file names the export may be downloaded as: `incidents` and the
/// format's extension.
fn download_name_fits(format: &str, name: &str) -> bool {
    let extensions: &[&str] = match format {
        "geojson" => &[".geojson"],
        "geojsonseq" => &[".geojsons", ".geojsonseq", ".geojsonl"],
        _ => &[".csv"],
    };
    name.starts_with("incidents") && extensions.iter().any(|e| name.ends_with(e))
}

/// Asserts that the export was streamed as the contract says: chunked, no
/// Content-Length, offered as a download.
fn assert_streamed_download(got: &Reply, format: &str) {
    assert_eq!(
        got.header("transfer-encoding"),
        Some("chunked"),
        "{}: not streamed",
        got.what
    );
    assert_eq!(
        got.header("content-length"),
        None,
        "{}: a Content-Length, so not streamed",
        got.what
    );
    let disposition = got.header("content-disposition").unwrap_or_default();
    let name = disposition
        .strip_prefix("attachment; filename=\"")
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or_else(|| {
            panic!(
                "{}: Content-Disposition {disposition:?}, expected attachment; filename=\"incidents...\"",
                got.what
            )
        });
    assert!(
        download_name_fits(format, name),
        "{}: downloads as {name:?}",
        got.what
    );
}

both!(report_export_and_chart_are_the_cli_s_on_a_generated_set);
fn report_export_and_chart_are_the_cli_s_on_a_generated_set() {
    let s = generated_session();
    let server = s.serve(&[]);
    for params in GENERATED_REPORTS {
        let want = cli_with(&s, &["report", "--format", "json"], params, &[]);
        let got = server.get(&format!("/api/report{}", query(params)));
        assert_same_bytes(got.ok(), &want, &got.what);
    }
    let mut sizes = BTreeSet::new();
    for params in EXPORTS {
        for format in EXPORT_FORMATS {
            let want = cli_with(&s, &["export", "--format", format], params, &[]);
            let mut with_format = params.to_vec();
            with_format.push(("format", format));
            let got = server.get(&format!("/api/incidents{}", query(&with_format)));
            assert_same_bytes(got.ok(), &want, &got.what);
            assert_streamed_download(&got, format);
            sizes.insert(want.len());
        }
    }
    // Without format: GeoJSON.
    let want = cli(&s, &["export", "--format", "geojson", "--month", "2024-05"]);
    let got = server.get("/api/incidents?month=2024-05");
    assert_same_bytes(got.ok(), &want, &got.what);
    assert_streamed_download(&got, "geojson");
    // The whole set is far larger than any buffer along the way.
    assert!(
        sizes.last().is_some_and(|n| *n > 1 << 20),
        "the largest export is {sizes:?} bytes"
    );
    check_charts(&s, &server, GENERATED_CHARTS);
}

/// Chart parameters with their period given as a range (`from`/`to`),
/// which the API draws as `chart` does.
const GENERATED_CHARTS: &[&[(&str, &str)]] = &[
    &[("region", "Aleppo"), ("from", "2024-01"), ("to", "2024-12")],
    &[
        ("country", "SY"),
        ("from", "2024-03-01"),
        ("to", "2024-06-30"),
        ("by", "week"),
    ],
    &[
        ("country", "SY"),
        ("from", "2024-01"),
        ("to", "2024-12"),
        ("measure", "fatalities"),
        ("stack", "admin1"),
    ],
    &[
        ("from", "2023-10"),
        ("to", "2025-01"),
        ("type", "Battles"),
        ("actor", "syria"),
    ],
];

fn check_charts(s: &Session, server: &Server, charts: &[&[(&str, &str)]]) {
    for params in charts {
        let want = cli_with(s, &["chart", "--format", "svg", "-o", "-"], params, &[]);
        let got = server.get(&format!("/api/chart.svg{}", query(params)));
        assert_same_bytes(got.ok(), &want, &got.what);
        assert!(
            got.header("content-type")
                .is_some_and(|m| m.starts_with("image/svg+xml")),
            "{}: {:?}",
            got.what,
            got.header("content-type")
        );
    }
}

both!(chart_is_the_cli_chart_for_the_same_flags);
/// The chart is exactly `incidents chart` for the same flags, whatever the
/// period: the page asks for the 12 periods before the one it shows by
/// sending their range (`from`/`to`), as `report --format html` draws them.
fn chart_is_the_cli_chart_for_the_same_flags() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    check_charts(
        &s,
        &server,
        &[
            // The 12 months, weeks and years ending with the seeds' June,
            // week 27 and 2025, as the page asks for them.
            &[("region", "Daraa"), ("from", "2024-07"), ("to", "2025-06")],
            &[
                ("region", "Daraa"),
                ("from", "2025-04-14"),
                ("to", "2025-07-06"),
                ("by", "week"),
            ],
            &[
                ("region", "Daraa"),
                ("from", "2014"),
                ("to", "2025"),
                ("by", "year"),
            ],
            &[("region", "Daraa"), ("month", "2025-06")],
            &[("region", "SY1202"), ("week", "2025-W27"), ("by", "week")],
            &[
                ("country", "IQ"),
                ("year", "2020"),
                ("measure", "fatalities"),
            ],
            &[
                ("from", "2020-01"),
                ("to", "2025-12"),
                ("by", "year"),
                ("stack", "admin1"),
                ("width", "640"),
                ("height", "400"),
                ("title", "Every year"),
            ],
        ],
    );
}

both!(incident_and_history_are_show_and_history);
fn incident_and_history_are_show_and_history() {
    let s = Session::seeded();
    // An edited incident has more than its insert in its history.
    s.ok(&[
        "edit",
        "SEED-SY-2025-MASMIYAH-CLASH",
        "--fatalities",
        "2",
        "--tag",
        "edited",
    ]);
    let server = s.serve(&[]);
    let incidents = seeded_list(&s);
    assert_eq!(incidents.len(), 7, "the seeds' incidents");
    for i in &incidents {
        let uid = i["uid"].as_str().expect("uid");
        let got = server.get(&format!("/api/incidents/{}", encode(uid)));
        let want = cli(&s, &["show", uid, "--format", "json"]);
        assert_same_bytes(got.ok(), &want, &got.what);
        let got = server.get(&format!("/api/incidents/{}/history", encode(uid)));
        let want = cli(&s, &["history", uid, "--format", "json"]);
        assert_same_bytes(got.ok(), &want, &got.what);
    }
    let edited = server
        .get("/api/incidents/SEED-SY-2025-MASMIYAH-CLASH/history")
        .json();
    assert!(
        edited.as_array().is_some_and(|h| h.len() >= 2),
        "the edit is in the history: {edited}"
    );
    // An unknown incident: 404 naming it.
    for path in ["/api/incidents/INC-NOPE", "/api/incidents/INC-NOPE/history"] {
        let got = server.get(path);
        let e = got.json_error(404);
        assert!(
            e["error"].as_str().unwrap_or_default().contains("INC-NOPE"),
            "{}: {e}",
            got.what
        );
    }
    let show_message = cli_error(&s, &["show", "INC-NOPE", "--format", "json"]);
    let api = server.get("/api/incidents/INC-NOPE").json_error(404);
    let said = api["error"].as_str().unwrap_or_default();
    assert!(
        said == show_message || said == "no incident INC-NOPE",
        "/api/incidents/INC-NOPE says {said:?}; `show` says {show_message:?}"
    );
}

// ---------------------------------------------------------------------
// /tiles
// ---------------------------------------------------------------------

/// One feature of a tile, decoded.
#[derive(Debug, Clone)]
struct Mark {
    /// Position in tile units (0..extent inside the tile).
    x: i64,
    y: i64,
    count: u64,
    uid: Option<String>,
    event_type: Option<String>,
    colour: Option<String>,
    fatalities: Option<f64>,
}

/// A decoded tile: its one layer's extent and features.
struct DecodedTile {
    extent: u32,
    marks: Vec<Mark>,
}

fn zigzag(n: u32) -> i64 {
    i64::from(n >> 1) ^ -i64::from(n & 1)
}

fn number(v: &geozero::mvt::tile::Value) -> Option<f64> {
    v.int_value
        .map(|n| n as f64)
        .or(v.uint_value.map(|n| n as f64))
        .or(v.sint_value.map(|n| n as f64))
        .or(v.double_value)
        .or(v.float_value.map(f64::from))
}

/// Decodes a tile with geozero's (prost's) decoder and checks its shape:
/// one layer `incidents`, version 2, extent 4096, single points.
fn decode_tile(bytes: &[u8], what: &str) -> DecodedTile {
    let tile = Tile::decode(bytes).unwrap_or_else(|e| panic!("{what}: not a vector tile: {e}"));
    let Some(layer) = tile.layers.first() else {
        return DecodedTile {
            extent: 4096,
            marks: Vec::new(),
        };
    };
    assert_eq!(tile.layers.len(), 1, "{what}: one layer");
    assert_eq!(layer.name, "incidents", "{what}");
    assert_eq!(layer.version, 2, "{what}");
    let extent = layer.extent.unwrap_or(4096);
    assert_eq!(extent, 4096, "{what}");
    let mut marks = Vec::new();
    for f in &layer.features {
        assert_eq!(
            f.r#type,
            Some(geozero::mvt::tile::GeomType::Point as i32),
            "{what}: a feature that is no point"
        );
        // MoveTo with one point, then its coordinates.
        assert_eq!(f.geometry.len(), 3, "{what}: {:?}", f.geometry);
        assert_eq!(f.geometry[0], (1 << 3) | 1, "{what}: {:?}", f.geometry);
        let (x, y) = (zigzag(f.geometry[1]), zigzag(f.geometry[2]));
        let mut props = BTreeMap::new();
        for pair in f.tags.chunks(2) {
            let key = &layer.keys[pair[0] as usize];
            let value = &layer.values[pair[1] as usize];
            props.insert(key.as_str(), value);
        }
        let text = |k: &str| props.get(k).and_then(|v| v.string_value.clone());
        let count = props
            .get("count")
            .and_then(|v| number(v))
            .unwrap_or_else(|| panic!("{what}: a feature without count: {props:?}"));
        assert!(
            count >= 1.0 && count.fract() == 0.0,
            "{what}: count {count}"
        );
        marks.push(Mark {
            x,
            y,
            count: count as u64,
            uid: text("uid"),
            event_type: text("event_type"),
            colour: text("colour"),
            fatalities: props.get("fatalities").and_then(|v| number(v)),
        });
    }
    DecodedTile { extent, marks }
}

/// The tile holding a point at zoom `z`, and the point's position in it in
/// tile units (Web Mercator, as every slippy map).
fn tile_of(lat: f64, lon: f64, z: u8) -> ((u32, u32), (f64, f64)) {
    let n = f64::from(1u32 << z);
    let x = (lon + 180.0) / 360.0 * n;
    let lat = lat.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    let (tx, ty) = (x.floor(), y.floor());
    (
        (tx as u32, ty as u32),
        ((x - tx) * 4096.0, (y - ty) * 4096.0),
    )
}

fn coordinates(i: &Value) -> (f64, f64) {
    (
        i["latitude"].as_f64().expect("latitude"),
        i["longitude"].as_f64().expect("longitude"),
    )
}

/// The features inside the tile proper (a tile may repeat its neighbours'
/// features in a buffer around it, for symbols cut at the edge).
fn inside(t: &DecodedTile) -> impl Iterator<Item = &Mark> {
    let e = i64::from(t.extent);
    t.marks
        .iter()
        .filter(move |m| (0..e).contains(&m.x) && (0..e).contains(&m.y))
}

fn get_tile(server: &Server, z: u8, x: u32, y: u32, params: &Params) -> DecodedTile {
    let got = server.get(&format!("/tiles/{z}/{x}/{y}.mvt{}", query(params)));
    let bytes = got.ok();
    assert!(
        got.header("content-type")
            .is_some_and(|m| m.contains("mapbox-vector-tile") || m.contains("protobuf")),
        "{}: {:?}",
        got.what,
        got.header("content-type")
    );
    decode_tile(bytes, &got.what)
}

/// The tiles at zoom `z` over the area of `points`, with the features
/// inside each.
fn tiles_over(
    server: &Server,
    z: u8,
    points: &[(f64, f64)],
    params: &Params,
) -> Vec<((u32, u32), Vec<Mark>)> {
    let cells: Vec<(u32, u32)> = points
        .iter()
        .map(|(lat, lon)| tile_of(*lat, *lon, z).0)
        .collect();
    let (x0, x1) = (
        cells.iter().map(|c| c.0).min().unwrap_or(0),
        cells.iter().map(|c| c.0).max().unwrap_or(0),
    );
    let (y0, y1) = (
        cells.iter().map(|c| c.1).min().unwrap_or(0),
        cells.iter().map(|c| c.1).max().unwrap_or(0),
    );
    let mut out = Vec::new();
    for x in x0..=x1 {
        for y in y0..=y1 {
            let t = get_tile(server, z, x, y, params);
            out.push(((x, y), inside(&t).cloned().collect()));
        }
    }
    out
}

/// The colour of each event type, as /api/meta gives it.
fn type_colours(server: &Server) -> BTreeMap<String, String> {
    let meta = server.get("/api/meta").json();
    meta["event_types"]
        .as_array()
        .expect("meta's event_types")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_string(),
                t["colour"].as_str().expect("colour").to_string(),
            )
        })
        .collect()
}

/// Checks the tiles of one selection against the incidents `list` gives
/// for the same filters: at low zooms the summed counts and fatalities,
/// from zoom 12 on each incident as its own feature at its place.
fn check_tiles(s: &Session, server: &Server, params: &Params, colours: &BTreeMap<String, String>) {
    let incidents = listed(s, params);
    let drawn = drawable(&incidents);
    let what = format!("tiles{}", query(params));
    let points: Vec<(f64, f64)> = drawn.iter().map(|i| coordinates(i)).collect();
    let known_fatalities: f64 = drawn.iter().filter_map(|i| i["fatalities"].as_f64()).sum();
    for z in [0, 3, 5, 7] {
        let tiles = tiles_over(server, z, &points, params);
        let marks: Vec<&Mark> = tiles.iter().flat_map(|(_, m)| m).collect();
        let counted: u64 = marks.iter().map(|m| m.count).sum();
        assert_eq!(
            counted as usize,
            drawn.len(),
            "{what} at zoom {z}: the features count {counted} incidents, `list` gives {} placed at precision 1-2 ({} in all)",
            drawn.len(),
            incidents.len()
        );
        let fatalities: f64 = marks.iter().filter_map(|m| m.fatalities).sum();
        assert_eq!(
            fatalities, known_fatalities,
            "{what} at zoom {z}: fatalities"
        );
        for m in &marks {
            let t = m
                .event_type
                .as_deref()
                .unwrap_or_else(|| panic!("{what}: no event_type: {m:?}"));
            assert_eq!(m.colour.as_ref(), colours.get(t), "{what}: colour of {m:?}");
            assert_eq!(
                m.uid.is_some(),
                m.count == 1,
                "{what}: uid only when count = 1: {m:?}"
            );
        }
        // Each incident in the tile its point falls in.
        for ((x, y), marks) in &tiles {
            let here = points
                .iter()
                .filter(|(lat, lon)| tile_of(*lat, *lon, z).0 == (*x, *y))
                .count();
            let counted: u64 = marks.iter().map(|m| m.count).sum();
            assert_eq!(counted as usize, here, "{what}: tile {z}/{x}/{y}");
        }
    }
    // From zoom 12 on: one feature per incident, where it is, with its
    // uid, type, colour and toll. A sample of the incidents (each tile
    // fetched once), every feature of the tiles fetched checked.
    let by_uid: BTreeMap<&str, &Value> = drawn
        .iter()
        .map(|i| (i["uid"].as_str().expect("uid"), *i))
        .collect();
    for z in [12, 16] {
        let mut fetched: BTreeMap<(u32, u32), DecodedTile> = BTreeMap::new();
        for i in drawn.iter().take(60) {
            let (lat, lon) = coordinates(i);
            let (cell, _) = tile_of(lat, lon, z);
            fetched
                .entry(cell)
                .or_insert_with(|| get_tile(server, z, cell.0, cell.1, params));
        }
        let mut seen = BTreeSet::new();
        for ((x, y), tile) in &fetched {
            for m in inside(tile) {
                let where_ = format!("{what}: tile {z}/{x}/{y}: {m:?}");
                assert_eq!(m.count, 1, "{where_}: a cluster from zoom 12 on");
                let uid = m
                    .uid
                    .as_deref()
                    .unwrap_or_else(|| panic!("{where_}: no uid"));
                let i = by_uid.get(uid).unwrap_or_else(|| {
                    panic!("{where_}: {uid} is not among the incidents `list` gives")
                });
                let (lat, lon) = coordinates(i);
                let ((tx, ty), (px, py)) = tile_of(lat, lon, z);
                assert_eq!((tx, ty), (*x, *y), "{where_}: in the wrong tile");
                assert!(
                    (m.x as f64 - px).abs() <= 1.5 && (m.y as f64 - py).abs() <= 1.5,
                    "{where_}: drawn at {},{}; the incident is at {px:.1},{py:.1}",
                    m.x,
                    m.y
                );
                assert_eq!(
                    m.event_type.as_deref(),
                    i["event_type"].as_str(),
                    "{where_}"
                );
                assert_eq!(m.fatalities, i["fatalities"].as_f64(), "{where_}");
                assert!(seen.insert(uid.to_string()), "{where_}: {uid} twice");
            }
        }
        for i in drawn.iter().take(60) {
            let uid = i["uid"].as_str().expect("uid");
            assert!(
                seen.contains(uid),
                "{what}: {uid} is in no tile at zoom {z}"
            );
        }
    }
}

both!(tiles_draw_the_seeds_precise_incidents);
fn tiles_draw_the_seeds_precise_incidents() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    let colours = type_colours(&server);
    let all = seeded_list(&s);
    let drawn = drawable(&all);
    assert_eq!(drawn.len(), 3, "the seeds placed at precision 1-2");
    check_tiles(&s, &server, &[], &colours);
    // Two of them share a point: one cluster of 2 below zoom 12, two
    // features from 12 on.
    let (lat, lon) = (33.12902, 36.39402);
    for (z, counts) in [(8, vec![2]), (12, vec![1, 1]), (16, vec![1, 1])] {
        let ((x, y), _) = tile_of(lat, lon, z);
        let tile = get_tile(&server, z, x, y, &[]);
        let mut here: Vec<u64> = inside(&tile)
            .filter(|m| {
                let (_, (px, py)) = tile_of(lat, lon, z);
                (m.x as f64 - px).abs() <= 1.5 && (m.y as f64 - py).abs() <= 1.5
            })
            .map(|m| m.count)
            .collect();
        here.sort();
        assert_eq!(here, counts, "Al-Masmiyah at zoom {z}");
        // Every uid at zoom 12 and more is one `show` finds.
        if z >= 12 {
            for m in inside(&tile) {
                let uid = m.uid.as_deref().expect("a uid from zoom 12 on");
                let shown = s.json(&["show", uid]);
                assert_eq!(shown["uid"], uid);
            }
        }
    }
    // A filter that leaves out the clash leaves one incident there.
    let ((x, y), _) = tile_of(lat, lon, 8);
    let tile = get_tile(&server, 8, x, y, &[("type", "Strategic developments")]);
    let counted: u64 = inside(&tile).map(|m| m.count).sum();
    assert_eq!(
        counted, 2,
        "Strategic developments near Al-Masmiyah and Al-Sanamayn"
    );
}

both!(tiles_follow_the_filters_on_a_generated_set);
fn tiles_follow_the_filters_on_a_generated_set() {
    let s = generated_session();
    let server = s.serve(&[]);
    let colours = type_colours(&server);
    let mut totals = BTreeMap::new();
    for params in [
        &[][..],
        &[("month", "2024-05")][..],
        &[("month", "2024-05"), ("overlapping", "true")][..],
        &[("type", "Battles")][..],
        &[("region", "Aleppo")][..],
        &[
            ("region", "Daraa"),
            ("from", "2024-03"),
            ("to", "2024-08"),
            ("type", "Protests"),
        ][..],
    ] {
        check_tiles(&s, &server, params, &colours);
        let z0 = get_tile(&server, 0, 0, 0, params);
        totals.insert(query(params), inside(&z0).map(|m| m.count).sum::<u64>());
    }
    // Each filter changed what the tiles hold.
    let distinct: BTreeSet<u64> = totals.values().copied().collect();
    assert_eq!(distinct.len(), totals.len(), "{totals:?}");
    assert!(totals.values().all(|n| *n > 0), "{totals:?}");
}

both!(a_tile_reads_in_gdal);
fn a_tile_reads_in_gdal() {
    if !common::installed("ogrinfo") {
        return;
    }
    let s = generated_session();
    let server = s.serve(&[]);
    // Aleppo's tile at zoom 6.
    let ((x, y), _) = tile_of(36.20, 37.16, 6);
    let got = server.get(&format!("/tiles/6/{x}/{y}.mvt"));
    let decoded = decode_tile(got.ok(), &got.what);
    assert!(!decoded.marks.is_empty(), "{}: empty", got.what);
    let path = s.path(&format!("{y}.mvt"));
    std::fs::write(&path, &got.body).expect("write the tile");
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-oo", "CLIP=NO"])
        .args([
            "-oo",
            &format!("X={x}"),
            "-oo",
            &format!("Y={y}"),
            "-oo",
            "Z=6",
        ])
        .arg(&path)
        .output()
        .expect("run ogrinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Layer name: incidents"), "{text}");
    assert!(
        text.contains(&format!("Feature Count: {}", decoded.marks.len())),
        "ogrinfo counts other than prost's {}:\n{}",
        decoded.marks.len(),
        &text[..text.len().min(2000)]
    );
    for field in ["count", "event_type", "colour"] {
        assert!(
            text.contains(&format!("{field}: ")),
            "no field {field}:\n{}",
            &text[..text.len().min(2000)]
        );
    }
    // GDAL places the features in Aleppo's tile (EPSG:3857 metres).
    let points = text
        .lines()
        .filter(|l| l.trim_start().starts_with("POINT ("))
        .count();
    assert_eq!(
        points,
        decoded.marks.len(),
        "{}",
        &text[..text.len().min(2000)]
    );
}

both!(tile_coordinates_out_of_range_are_refused);
fn tile_coordinates_out_of_range_are_refused() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    for (path, parameter) in [
        ("/tiles/17/0/0.mvt", "z"),
        ("/tiles/-1/0/0.mvt", "z"),
        ("/tiles/zz/0/0.mvt", "z"),
        ("/tiles/3/8/0.mvt", "x"),
        ("/tiles/3/-1/0.mvt", "x"),
        ("/tiles/3/0/8.mvt", "y"),
        ("/tiles/0/0/1.mvt", "y"),
        ("/tiles/3/0/abc.mvt", "y"),
    ] {
        let got = server.get(path);
        let e = got.json_error(400);
        assert_eq!(e["parameter"], parameter, "{}: {e}", got.what);
        assert!(
            e["expected"].as_str().is_some_and(|x| !x.is_empty()),
            "{}: says nothing of what was expected: {e}",
            got.what
        );
    }
    // The largest valid ones answer.
    let last = (1u32 << 16) - 1;
    server.get(&format!("/tiles/16/{last}/{last}.mvt")).ok();
    server.get("/tiles/0/0/0.mvt").ok();
}

// ---------------------------------------------------------------------
// /api/choropleth, /api/boundaries, /api/meta
// ---------------------------------------------------------------------

fn is_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|d| d.is_ascii_hexdigit())
}

/// The units of `incidents map` for these flags: code -> (value, fill).
fn map_units(s: &Session, params: &Params) -> BTreeMap<String, (u64, String)> {
    let svg = cli_with(s, &["map", "--format", "svg", "-o", "-"], params, &[]);
    let svg = String::from_utf8(svg).expect("UTF-8 SVG");
    let doc = roxmltree::Document::parse(&svg).expect("the map's SVG");
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("unit"))
        .map(|n| {
            (
                n.attribute("data-code").expect("data-code").to_string(),
                (
                    n.attribute("data-value")
                        .and_then(|v| v.parse().ok())
                        .expect("data-value"),
                    n.attribute("fill").expect("fill").to_ascii_lowercase(),
                ),
            )
        })
        .collect()
}

/// The grouped report's figure for each unit of `by` over the period.
fn grouped(
    s: &Session,
    scope: &Params,
    from: &str,
    to: &str,
    by: &str,
    measure: &str,
) -> BTreeMap<String, u64> {
    let out = cli_with(
        s,
        &[
            "report",
            "--format",
            "json",
            "--group-by",
            by,
            "--from",
            from,
            "--to",
            to,
        ],
        scope,
        &[],
    );
    let rows: Value = serde_json::from_slice(&out).expect("report's JSON");
    rows.as_array()
        .expect("grouped rows")
        .iter()
        .map(|r| {
            (
                r[by].as_str().expect("unit code").to_string(),
                r[measure].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

both!(choropleth_is_the_map_s_units_and_the_grouped_report);
fn choropleth_is_the_map_s_units_and_the_grouped_report() {
    let s = generated_session();
    let server = s.serve(&[]);
    let ramp: Vec<String> = server.get("/api/meta").json()["ramp"]
        .as_array()
        .expect("meta's ramp")
        .iter()
        .map(|c| c.as_str().expect("a colour").to_ascii_lowercase())
        .collect();
    for (scope, period, (from, to), by, measure) in [
        (
            &[("country", "SY")][..],
            ("month", "2024-05"),
            ("2024-05-01", "2024-05-31"),
            "admin1",
            "incidents",
        ),
        (
            &[("country", "SY")][..],
            ("year", "2024"),
            ("2024-01-01", "2024-12-31"),
            "admin2",
            "fatalities",
        ),
        (
            &[("region", "Aleppo")][..],
            ("month", "2024-03"),
            ("2024-03-01", "2024-03-31"),
            "admin2",
            "incidents",
        ),
        (
            &[("country", "IQ"), ("type", "Battles")][..],
            ("year", "2024"),
            ("2024-01-01", "2024-12-31"),
            "admin1",
            "fatalities",
        ),
    ] {
        let mut params = scope.to_vec();
        params.extend([period, ("by", by), ("measure", measure)]);
        let got = server.get(&format!("/api/choropleth{}", query(&params)));
        got.ok();
        let fc = got.json();
        let what = &got.what;
        assert_eq!(fc["type"], "FeatureCollection", "{what}");
        assert_eq!(fc["measure"], measure, "{what}");
        assert!(
            fc["footnote"].is_null() || fc["footnote"].is_string(),
            "{what}: footnote {}",
            fc["footnote"]
        );
        let legend = fc["legend"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: no legend"));
        assert!(!legend.is_empty(), "{what}: empty legend");
        for class in legend {
            let fill = class["fill"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            assert!(
                ramp.contains(&fill),
                "{what}: legend fill {fill} not in meta's ramp {ramp:?}"
            );
            assert!(
                class["from"].as_f64() <= class["to"].as_f64(),
                "{what}: {class}"
            );
        }
        let mut units = BTreeMap::new();
        for f in fc["features"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: no features"))
        {
            let p = &f["properties"];
            let code = p["code"]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: no code: {p}"));
            assert!(
                p["name"].as_str().is_some_and(|n| !n.is_empty()),
                "{what}: no name: {p}"
            );
            let value = p["value"]
                .as_u64()
                .unwrap_or_else(|| panic!("{what}: value {p}"));
            let fill = p["fill"].as_str().unwrap_or_default().to_ascii_lowercase();
            assert!(is_colour(&fill), "{what}: fill {fill:?}");
            if value == 0 {
                assert_eq!(fill, "#ffffff", "{what}: {code} has none and is not white");
            } else {
                let class = legend.iter().find(|c| {
                    c["fill"].as_str().map(str::to_ascii_lowercase) == Some(fill.clone())
                });
                let class = class.unwrap_or_else(|| {
                    panic!("{what}: {code}'s fill {fill} is in no legend class")
                });
                let v = value as f64;
                assert!(
                    class["from"].as_f64().is_some_and(|a| a <= v)
                        && class["to"].as_f64().is_some_and(|b| v <= b),
                    "{what}: {code} = {value} in class {class}"
                );
            }
            assert!(
                matches!(
                    f["geometry"]["type"].as_str(),
                    Some("Polygon" | "MultiPolygon")
                ),
                "{what}: {code}'s geometry"
            );
            assert!(
                units.insert(code.to_string(), (value, fill)).is_none(),
                "{what}: {code} twice"
            );
        }
        // The same units, values and shades as `incidents map`.
        let mut map_params = scope.to_vec();
        map_params.extend([period, ("by", by), ("measure", measure)]);
        assert_eq!(
            units,
            map_units(&s, &map_params),
            "{what} against `incidents map`"
        );
        // The values are the grouped report's over the period.
        let report = grouped(&s, scope, from, to, by, measure);
        // Rows of incidents placed in no unit ("(district unknown)") are
        // no unit of the map.
        let report: BTreeMap<String, u64> = report
            .into_iter()
            .filter(|(code, _)| !code.starts_with('('))
            .collect();
        for (code, n) in &report {
            if let Some((value, _)) = units.get(code) {
                assert_eq!(value, n, "{what}: {code} against `report --group-by {by}`");
            } else {
                assert_eq!(*n, 0, "{what}: {code} has {n} in the report and no unit");
            }
        }
        let shown: u64 = units.values().map(|(v, _)| v).sum();
        assert!(shown > 0, "{what}: every unit empty");
        assert_eq!(shown, report.values().sum::<u64>(), "{what}: the total");
    }
}

both!(boundaries_and_meta_describe_the_database);
fn boundaries_and_meta_describe_the_database() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    let regions: Value = s.json(&["regions", "list"]);
    let admin1 = |of: Option<&str>| -> BTreeSet<String> {
        regions
            .as_array()
            .expect("regions")
            .iter()
            .filter(|r| r["level"] == "admin1")
            .filter(|r| of.is_none_or(|c| r["country"] == c))
            .map(|r| r["code"].as_str().expect("code").to_string())
            .collect()
    };
    let admin2 = |of: &str| -> BTreeSet<String> {
        regions
            .as_array()
            .expect("regions")
            .iter()
            .filter(|r| r["level"] == "admin2" && r["country"] == of)
            .map(|r| r["code"].as_str().expect("code").to_string())
            .collect()
    };
    for (params, must) in [
        ("level=admin1", ["SY-DR", "IQ-BG"]),
        ("level=admin1&country=SY", ["SY-DR", "SY-HL"]),
        ("level=admin2&country=SY", ["SY1202", "SY1200"]),
        ("", ["SY-DR", "IQ-BG"]),
    ] {
        let got = server.get(&format!("/api/boundaries?{params}"));
        got.ok();
        let fc = got.json();
        assert_eq!(fc["type"], "FeatureCollection", "{}", got.what);
        let mut codes = BTreeSet::new();
        for f in fc["features"].as_array().expect("features") {
            let p = &f["properties"];
            let code = p["code"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no code: {p}", got.what));
            assert!(
                p["name"].as_str().is_some_and(|n| !n.is_empty()),
                "{}: {p}",
                got.what
            );
            assert!(
                matches!(
                    f["geometry"]["type"].as_str(),
                    Some("Polygon" | "MultiPolygon")
                ),
                "{}: {code}'s geometry",
                got.what
            );
            codes.insert(code.to_string());
        }
        for code in must {
            assert!(codes.contains(code), "{}: no {code}", got.what);
        }
        // The bundled units of the country asked for, or without one of
        // the countries that have incidents (the seeds': SY and IQ).
        let bundled = match params {
            "level=admin1&country=SY" => admin1(Some("SY")),
            "level=admin2&country=SY" => admin2("SY"),
            _ => admin1(Some("SY"))
                .union(&admin1(Some("IQ")))
                .cloned()
                .collect(),
        };
        assert_eq!(codes, bundled, "{}: not the bundled units", got.what);
    }
    for (bad, parameter) in [
        ("level=admin7", "level"),
        ("level=admin0", "level"),
        ("level=admin1&colour=red", "colour"),
    ] {
        let e = server
            .get(&format!("/api/boundaries?{bad}"))
            .json_error(400);
        assert_eq!(e["parameter"], parameter, "{bad}: {e}");
    }

    let meta = server.get("/api/meta").json();
    // The line it printed says which database it serves, on loopback.
    let database = meta["database"].as_str().unwrap_or_default();
    assert_eq!(
        server.banner,
        format!("serving {database} at {}", server.url),
        "the first line"
    );
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let all = seeded_list(&s);
    assert_eq!(meta["incidents"], all.len(), "{meta}");
    assert!(
        meta["database"].as_str().is_some_and(|d| !d.is_empty()),
        "{meta}"
    );
    let starts: BTreeSet<&str> = all
        .iter()
        .map(|i| i["date_start"].as_str().expect("start"))
        .collect();
    let ends: BTreeSet<&str> = all
        .iter()
        .map(|i| i["date_end"].as_str().expect("end"))
        .collect();
    assert_eq!(meta["first"].as_str(), starts.first().copied(), "{meta}");
    let last = meta["last"].as_str().expect("last");
    assert!(
        starts.last().is_some_and(|s| *s <= last) && ends.last().is_some_and(|e| last <= *e),
        "last {last}: the latest incident starts {:?}, ends {:?}",
        starts.last(),
        ends.last()
    );
    let countries: Vec<&str> = meta["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .map(|c| c.as_str().expect("a code"))
        .collect();
    let mut listed: Vec<&str> = all.iter().filter_map(|i| i["country"].as_str()).collect();
    listed.sort();
    listed.dedup();
    assert_eq!(countries, listed, "{meta}");
    // The taxonomy of `incidents types`, each type with its own colour.
    let types = String::from_utf8(cli(&s, &["types", "--format", "csv"])).expect("UTF-8");
    let mut taxonomy: Vec<(String, Vec<String>)> = Vec::new();
    for line in types.lines().skip(1) {
        let (t, sub) = line.split_once(',').expect("type,sub_type");
        match taxonomy.last_mut() {
            Some((last, subs)) if last == t => subs.push(sub.to_string()),
            _ => taxonomy.push((t.to_string(), vec![sub.to_string()])),
        }
    }
    let given: Vec<(String, Vec<String>)> = meta["event_types"]
        .as_array()
        .expect("event_types")
        .iter()
        .map(|t| {
            let colour = t["colour"].as_str().unwrap_or_default();
            assert!(is_colour(colour), "{t}");
            (
                t["name"].as_str().expect("name").to_string(),
                t["sub_types"]
                    .as_array()
                    .expect("sub_types")
                    .iter()
                    .map(|x| x.as_str().expect("sub-type").to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        given, taxonomy,
        "meta's event types against `incidents types`"
    );
    let colours: BTreeSet<&str> = meta["event_types"]
        .as_array()
        .expect("types")
        .iter()
        .map(|t| t["colour"].as_str().expect("colour"))
        .collect();
    assert_eq!(
        colours.len(),
        taxonomy.len(),
        "one colour per type: {colours:?}"
    );
    // The ramp: colours, lightest first.
    let ramp: Vec<&str> = meta["ramp"]
        .as_array()
        .expect("ramp")
        .iter()
        .map(|c| c.as_str().expect("colour"))
        .collect();
    assert!(
        ramp.len() >= 3 && ramp.iter().all(|c| is_colour(c)),
        "{ramp:?}"
    );
    let lightness = |c: &str| {
        let v = |i: usize| u32::from_str_radix(&c[i..i + 2], 16).expect("hex");
        v(1) * 299 + v(3) * 587 + v(5) * 114
    };
    assert!(
        ramp.windows(2).all(|w| lightness(w[0]) > lightness(w[1])),
        "the ramp is not lightest first: {ramp:?}"
    );
}

// ---------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------

/// A request with one bad parameter: route, query, the parameter, its
/// value, and the command line whose error message the API's must be.
type BadParameter<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a [&'a str]>);

both!(bad_parameters_are_400_naming_the_parameter);
fn bad_parameters_are_400_naming_the_parameter() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    let cases: &[BadParameter] = &[
        (
            "/api/report",
            "region=Daraa&month=2025-13",
            "month",
            "2025-13",
            Some(&["report", "--region", "Daraa", "--month", "2025-13"]),
        ),
        (
            "/api/report",
            "region=Daraa&month=2025-06&type=Skirmish",
            "type",
            "Skirmish",
            Some(&[
                "report", "--region", "Daraa", "--month", "2025-06", "--type", "Skirmish",
            ]),
        ),
        (
            "/api/report",
            "region=Atlantis&month=2025-06",
            "region",
            "Atlantis",
            Some(&["report", "--region", "Atlantis", "--month", "2025-06"]),
        ),
        (
            "/api/incidents",
            "format=csv&limit=abc",
            "limit",
            "abc",
            None,
        ),
        (
            "/api/incidents",
            "format=shapefile",
            "format",
            "shapefile",
            None,
        ),
        (
            "/api/report",
            "region=Daraa&week=2025-W60",
            "week",
            "2025-W60",
            None,
        ),
        (
            "/api/incidents",
            "bbox=36,32,35,33",
            "bbox",
            "36,32,35,33",
            Some(&["export", "--format", "csv", "--bbox", "36,32,35,33"]),
        ),
        (
            "/api/incidents",
            "overlapping=maybe",
            "overlapping",
            "maybe",
            None,
        ),
        (
            "/api/report",
            "region=Daraa&month=2025-06&month=2025-07",
            "month",
            "2025-07",
            None,
        ),
        (
            "/api/report",
            "region=Daraa&colour=red",
            "colour",
            "red",
            None,
        ),
        (
            "/api/incidents",
            "format=csv&output=/tmp/x.csv",
            "output",
            "/tmp/x.csv",
            None,
        ),
        (
            "/api/chart.svg",
            "from=2024-01&to=2024-12&by=fortnight",
            "by",
            "fortnight",
            None,
        ),
        (
            "/api/chart.svg",
            "month=2025-06&measure=deaths",
            "measure",
            "deaths",
            None,
        ),
        (
            "/tiles/5/19/12.mvt",
            "month=2025-13",
            "month",
            "2025-13",
            None,
        ),
        (
            "/tiles/5/19/12.mvt",
            "region=Atlantis",
            "region",
            "Atlantis",
            None,
        ),
        ("/tiles/5/19/12.mvt", "zoom=3", "zoom", "3", None),
        (
            "/api/choropleth",
            "by=admin3&country=SY&month=2025-06",
            "by",
            "admin3",
            None,
        ),
        (
            "/api/choropleth",
            "by=admin1&country=SY&month=2025-06&measure=deaths",
            "measure",
            "deaths",
            None,
        ),
        ("/api/meta", "debug=1", "debug", "1", None),
    ];
    // Every case is checked and every problem listed, not only the first.
    let mut problems = Vec::new();
    for (route, q, parameter, value, command) in cases {
        let got = server.get(&format!("{route}?{q}"));
        let what = &got.what;
        let media = got.header("content-type").unwrap_or_default();
        if got.status != 400 || !media.starts_with("application/json") {
            problems.push(format!(
                "{what}: {} {media}, expected 400 JSON: {}",
                got.status,
                got.text()
            ));
            continue;
        }
        let e = got.json();
        if e["parameter"] != *parameter {
            problems.push(format!(
                "{what}: parameter {}, expected {parameter:?}: {e}",
                e["parameter"]
            ));
        }
        // The value given is said back, where there is one.
        if e.get("value").is_some() && e["value"] != *value {
            problems.push(format!(
                "{what}: value {}, expected {value:?}: {e}",
                e["value"]
            ));
        }
        if e["expected"].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{what}: says nothing of what was expected: {e}"));
        }
        // The message names the parameter, or the value when that was
        // what was wrong.
        let said = e["error"].as_str().unwrap_or_default();
        if !said.contains(value) && !said.contains(parameter) {
            problems.push(format!(
                "{what}: the message says neither {parameter:?} nor {value:?}: {said}"
            ));
        }
        if let Some(args) = command {
            let message = cli_error(&s, args);
            // The CLI names the flag (--month), the API the parameter.
            let as_parameter = message.replace(&format!("--{parameter}"), parameter);
            if said != message && said != as_parameter {
                problems.push(format!("{what}: says {said:?}; the CLI says {message:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

both!(unknown_paths_are_404_and_writes_405);
fn unknown_paths_are_404_and_writes_405() {
    let s = Session::seeded();
    let before = s.snapshot();
    let server = s.serve(&[]);
    for path in [
        "/nope",
        "/api/nope",
        "/api",
        "/tiles/1/0/0.png",
        "/api/report/extra",
        "/index.php",
        "/assets/nope.js",
    ] {
        let got = server.get(path);
        let e = got.json_error(404);
        if !path.starts_with("/assets/") && !path.starts_with("/tiles/") {
            assert_eq!(e["error"], "not found", "{}: {e}", got.what);
            assert_eq!(e["path"], *path, "{}: {e}", got.what);
        }
        assert!(
            !got.text().to_ascii_lowercase().contains("<html"),
            "{}: HTML",
            got.what
        );
    }
    let uid = "SEED-SY-2025-MASMIYAH-CLASH";
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in [
            "/".to_string(),
            "/api/report?region=Daraa&month=2025-06".to_string(),
            format!("/api/incidents/{uid}"),
            format!("/api/incidents/{uid}/history"),
            "/api/incidents".to_string(),
            "/api/nope".to_string(),
        ] {
            let got = server.request(method, &path);
            got.json_error(405);
            let allow = got.header("allow").unwrap_or_default();
            assert!(allow.contains("GET"), "{}: Allow {allow:?}", got.what);
        }
    }
    // A POST with a body (an incident to add) too.
    let answer = raw(
        &server,
        format!(
            "POST /api/incidents HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 27\r\nConnection: close\r\n\r\n{{\"uid\":\"INC-X\",\"title\":\"x\"}}",
            server.addr()
        )
        .as_bytes(),
    );
    assert_eq!(
        raw_status(&answer),
        Some(405),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    // HEAD is a GET without the body.
    let head = server.request("HEAD", "/api/report?region=Daraa&month=2025-06");
    assert_eq!(head.status, 200, "{}", head.what);
    assert!(head.body.is_empty(), "{}: a body", head.what);
    server.get(&format!("/api/incidents/{uid}")).ok();
    drop(server);
    assert_eq!(s.snapshot(), before, "the database changed");
}

/// Asserts that a raw answer is a refusal (404, or 400 for what is no
/// valid request target) and shows none of the files it asks for.
fn assert_nothing_leaked(path: &str, answer: &[u8], secrets: &[&str]) {
    let text = String::from_utf8_lossy(answer);
    let status = raw_status(answer);
    assert!(
        matches!(status, Some(404)),
        "{path}: {status:?}, expected 404:\n{text}"
    );
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{path}: the answer holds {secret:?}:\n{text}"
        );
    }
}

both!(paths_never_reach_the_file_system);
fn paths_never_reach_the_file_system() {
    let s = Session::seeded();
    // Files a traversal would find: the project's (the server may run
    // from it), the system's, and one next to the database.
    s.file("secret.txt", b"TOP-SECRET-NEXT-TO-THE-DB");
    let server = s.serve(&[]);
    let secrets = [
        "[package]",
        "root:x:",
        "TOP-SECRET-NEXT-TO-THE-DB",
        "CREATE TABLE",
    ];
    let secret = s.path("secret.txt");
    let secret = secret.to_str().expect("UTF-8 path");
    let traversals = [
        "/assets/../Cargo.toml".to_string(),
        "/assets/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/assets/..%2fschema.sql".to_string(),
        "/assets/..%2f..%2fCargo.toml".to_string(),
        "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        "/assets//etc/passwd".to_string(),
        "/assets/%2fetc%2fpasswd".to_string(),
        format!("/assets/{secret}"),
        format!("/assets/{}", encode(secret)),
        "/assets/..%5c..%5cCargo.toml".to_string(),
        "/../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/Cargo.toml".to_string(),
        "/secret.txt".to_string(),
        "/test.db".to_string(),
        "/api/incidents/..%2f..%2fCargo.toml".to_string(),
    ];
    for path in &traversals {
        let answer = raw_get(&server, path);
        assert_nothing_leaked(path, &answer, &secrets);
    }
    // The page and its files are there.
    let page = server.get("/");
    page.ok();
    assert!(
        page.text().to_ascii_lowercase().contains("<html"),
        "/ is no page"
    );
    assert!(
        page.header("content-type")
            .is_some_and(|m| m.starts_with("text/html")),
        "{:?}",
        page.header("content-type")
    );
}

both!(oversized_requests_are_refused_and_the_server_goes_on);
fn oversized_requests_are_refused_and_the_server_goes_on() {
    let s = Session::seeded();
    let mut server = s.serve(&[]);
    let want = cli(
        &s,
        &[
            "report", "--region", "Daraa", "--month", "2025-06", "--format", "json",
        ],
    );
    let check_next = |after: &str| {
        let got = server.get("/api/report?region=Daraa&month=2025-06");
        assert_same_bytes(got.ok(), &want, &format!("the request after {after}"));
    };
    // A query string of a megabyte.
    let long = format!(
        "/api/report?region=Daraa&month=2025-06&text={}",
        "x".repeat(1 << 20)
    );
    let answer = raw_get(&server, &long);
    let status = raw_status(&answer);
    assert!(
        status.is_none_or(|c| (400..500).contains(&c)),
        "a query of a megabyte: {status:?}"
    );
    check_next("a long query");
    // A header of 4 MB, then a thousand headers.
    let huge = format!(
        "GET /api/meta HTTP/1.1\r\nHost: {}\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        server.addr(),
        "y".repeat(4 << 20)
    );
    let status = raw_status(&raw(&server, huge.as_bytes()));
    assert!(
        status.is_none_or(|c| (400..500).contains(&c)),
        "a huge header: {status:?}"
    );
    check_next("a huge header");
    let many: String = (0..5000).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let request = format!(
        "GET /api/meta HTTP/1.1\r\nHost: {}\r\n{many}Connection: close\r\n\r\n",
        server.addr()
    );
    let status = raw_status(&raw(&server, request.as_bytes()));
    assert!(
        status.is_none_or(|c| (400..500).contains(&c)),
        "5000 headers: {status:?}"
    );
    check_next("many headers");
    // Garbage that is no HTTP at all.
    let status = raw_status(&raw(
        &server,
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n",
    ));
    assert!(
        status.is_none_or(|c| (400..500).contains(&c)),
        "garbage: {status:?}"
    );
    check_next("garbage");
    assert!(server.is_running(), "the server died:\n{}", server.stderr());
}

// ---------------------------------------------------------------------
// Safety
// ---------------------------------------------------------------------

/// Requests to every route, for the sessions that must change nothing.
const EVERY_ROUTE: &[&str] = &[
    "/",
    "/api/meta",
    "/api/report?region=Daraa&month=2025-06",
    "/api/report?group-by=admin1",
    "/api/incidents?format=csv",
    "/api/incidents?format=geojson&month=2025-07&overlapping=true",
    "/api/incidents/SEED-SY-2025-MASMIYAH-CLASH",
    "/api/incidents/SEED-SY-2025-MASMIYAH-CLASH/history",
    "/api/chart.svg?region=Daraa&from=2025-01&to=2025-07",
    "/api/choropleth?by=admin1&country=SY&month=2025-07",
    "/api/boundaries?level=admin1",
    "/tiles/0/0/0.mvt",
    "/tiles/12/2461/1637.mvt",
];

/// The mode bits of `path`.
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// uid and gid of `nobody` on Linux.
const NOBODY: u32 = 65534;

#[test]
fn a_read_only_sqlite_file_is_served_and_never_written() {
    use std::os::unix::process::CommandExt;
    // The same session twice: with a directory the server may write in
    // (SQLite's -shm), and with one it may not.
    for dir_writable in [true, false] {
        let s = Session::seeded();
        s.ok(&["edit", "SEED-SY-2025-MASMIYAH-CLASH", "--fatalities", "2"]);
        let bin = s.path("incidents-bin");
        std::fs::copy(assert_cmd::cargo::cargo_bin("incidents"), &bin).expect("copy the binary");
        set_mode(&bin, 0o755);
        set_mode(s.db_path(), 0o444);
        // Permission bits do not stop root: then the server runs as nobody.
        let privileged = std::fs::OpenOptions::new()
            .write(true)
            .open(s.db_path())
            .is_ok();
        set_mode(
            s.dir.path(),
            match (dir_writable, privileged) {
                (false, _) => 0o555,
                (true, true) => 0o777,
                (true, false) => 0o755,
            },
        );
        let before = std::fs::read(s.db_path()).expect("read the database");
        let files_before = dir_listing(s.dir.path());
        let mut c = std::process::Command::new(&bin);
        for var in common::DB_ENV {
            c.env_remove(var);
        }
        c.arg("--db")
            .arg(s.db_path())
            .args(["serve", "--port", "0"])
            .current_dir(s.dir.path());
        if privileged {
            c.uid(NOBODY).gid(NOBODY);
        }
        let server = Server::start(c, "serve (read-only file)");
        for path in EVERY_ROUTE {
            let got = server.get(path);
            assert_eq!(
                got.status,
                200,
                "{} (read-only, dir writable: {dir_writable}):\n{}",
                got.what,
                got.text()
            );
            assert_eq!(got.broken, None, "{}", got.what);
        }
        for method in ["POST", "PUT", "DELETE"] {
            server
                .request(method, "/api/incidents/SEED-SY-2025-MASMIYAH-CLASH")
                .json_error(405);
        }
        drop(server);
        let after = std::fs::read(s.db_path()).expect("read the database");
        assert!(
            before == after,
            "the database file's bytes changed (dir writable: {dir_writable})"
        );
        // A reader of a WAL database may create its -shm and an empty
        // -wal (SQLite's read-only connections do, where they may); no
        // other file, and nothing written in the -wal.
        let wal = s.path("test.db-wal");
        if wal.exists() {
            let written = std::fs::metadata(&wal).expect("the -wal").len();
            assert_eq!(
                written, 0,
                "the server wrote {written} bytes to test.db-wal"
            );
        }
        let others = |files: BTreeSet<String>| -> BTreeSet<String> {
            files
                .into_iter()
                .filter(|f| !f.ends_with("-shm") && !f.ends_with("-wal"))
                .collect()
        };
        assert_eq!(
            others(dir_listing(s.dir.path())),
            others(files_before),
            "files next to the database"
        );
        set_mode(s.dir.path(), 0o755);
    }
}

fn dir_listing(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list the directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_read_only_postgresql_login_serves_everything() {
    common::run_on(
        Backend::Postgres,
        "serve_api::a_read_only_postgresql_login_serves_everything",
        || {
            let s = Session::seeded();
            let before = s.snapshot();
            let reader = common::Login::new(&s, "reader", "LOGIN", &["incidents_reader"]);
            let server = s.serve_at(&s.url_as(&reader.name), &[]);
            for path in EVERY_ROUTE {
                let got = server.get(path);
                assert_eq!(
                    got.status,
                    200,
                    "{} (as a reader):\n{}",
                    got.what,
                    got.text()
                );
                assert_eq!(got.broken, None, "{}", got.what);
            }
            drop(server);
            assert_eq!(s.snapshot(), before, "the database changed");
        },
    );
}

both!(other_addresses_need_a_token);
fn other_addresses_need_a_token() {
    let s = Session::seeded();
    let o = s.serve_refused(&["--bind", "0.0.0.0"]);
    assert_ne!(
        o.code, 0,
        "served on 0.0.0.0 without a token:\n{}",
        o.stdout
    );
    assert!(o.stdout.is_empty(), "it said it serves: {}", o.stdout);
    assert!(
        o.stderr.contains("--token") && o.stderr.contains("0.0.0.0"),
        "the refusal does not say why: {}",
        o.stderr
    );
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    // With a token it serves, with a warning, and wants the token.
    let server = s.serve(&["--bind", "0.0.0.0", "--token", "s3cret-token"]);
    assert_eq!(server.get("/api/meta").status, 401);
    server
        .get_with("/api/meta", &[("Authorization", "Bearer s3cret-token")])
        .ok();
    let warned = (0..200).any(|_| {
        let said = server.stderr().to_ascii_lowercase().contains("warning");
        if !said {
            std::thread::sleep(Duration::from_millis(50));
        }
        said
    });
    assert!(warned, "no warning on stderr: {}", server.stderr());
}

both!(the_token_guards_every_route);
fn the_token_guards_every_route() {
    let s = Session::seeded();
    let token = "t0k-en_42";
    let server = s.serve(&["--token", token]);
    let want = cli(
        &s,
        &[
            "report", "--region", "Daraa", "--month", "2025-06", "--format", "json",
        ],
    );
    let path = "/api/report?region=Daraa&month=2025-06";
    for p in EVERY_ROUTE.iter().chain(&["/nope", "/assets/app.js"]) {
        let got = server.get(p);
        got.json_error(401);
        assert!(
            !got.text().contains("Dar'a"),
            "{}: data without the token",
            got.what
        );
        let got = server.get_with(p, &[("Authorization", "Bearer wrong")]);
        got.json_error(401);
        let got = server.get_with(p, &[("Cookie", "incidents_token=wrong")]);
        got.json_error(401);
    }
    // The right token, as a bearer or as the cookie.
    let bearer = format!("Bearer {token}");
    let got = server.get_with(path, &[("Authorization", &bearer)]);
    assert_same_bytes(got.ok(), &want, &got.what);
    let cookie = format!("incidents_token={token}");
    let got = server.get_with(path, &[("Cookie", &cookie)]);
    assert_same_bytes(got.ok(), &want, &got.what);
    // A wrong token in the address sets nothing.
    let got = server.get(&format!("{path}&token=wrong"));
    got.json_error(401);
    assert_eq!(got.header("set-cookie"), None, "{}", got.what);
    // ?token= sets the cookie and sends the browser to the same address
    // without it.
    for (with_token, without) in [
        (format!("/?token={token}"), "/".to_string()),
        (
            format!("/api/report?region=Daraa&token={token}&month=2025-06"),
            "/api/report?region=Daraa&month=2025-06".to_string(),
        ),
    ] {
        let got = server.get(&with_token);
        assert_eq!(got.status, 303, "{}", got.what);
        let location = got.header("location").unwrap_or_default();
        let location = location
            .strip_prefix(server.url.trim_end_matches('/'))
            .unwrap_or(location);
        assert_eq!(location, without, "{}", got.what);
        let set = got
            .header("set-cookie")
            .unwrap_or_else(|| panic!("{}: no cookie", got.what));
        let attributes: Vec<String> = set
            .split(';')
            .map(|a| a.trim().to_ascii_lowercase())
            .collect();
        assert_eq!(
            set.split(';').next(),
            Some(cookie.as_str()),
            "{}: {set}",
            got.what
        );
        assert!(
            attributes.contains(&"httponly".to_string()),
            "{}: {set}",
            got.what
        );
        assert!(
            attributes.contains(&"samesite=strict".to_string()),
            "{}: {set}",
            got.what
        );
        // The cookie it set opens the address it sends to.
        let cookie_pair = set.split(';').next().unwrap_or_default();
        let next = server.get_with(&without, &[("Cookie", cookie_pair)]);
        next.ok();
    }
    let got = server.get_with(path, &[("Cookie", &format!("other=1; {cookie}"))]);
    assert_same_bytes(got.ok(), &want, &got.what);
    assert!(
        !server.stderr().contains(token),
        "the token is in the log:\n{}",
        server.stderr()
    );
}

both!(every_answer_carries_the_security_headers);
fn every_answer_carries_the_security_headers() {
    let s = Session::seeded();
    let server = s.serve(&[]);
    let page = server.get("/").text();
    // The page's own files, as it names them.
    let assets: BTreeSet<String> = page
        .split(['"', '\''])
        .filter(|p| p.starts_with("/assets/") || p.starts_with("assets/"))
        .map(|p| format!("/{}", p.trim_start_matches('/')))
        .collect();
    // (The page's own test, serve_browser.rs, checks that it has files.)
    let mut checked: Vec<Reply> = Vec::new();
    for p in EVERY_ROUTE.iter().map(|p| p.to_string()).chain(assets) {
        checked.push(server.get(&p));
    }
    checked.push(server.get("/nope"));
    checked.push(server.get("/api/report?month=2025-13"));
    checked.push(server.get("/tiles/20/0/0.mvt"));
    checked.push(server.request("POST", "/api/meta"));
    checked.push(server.request("HEAD", "/api/meta"));
    let tokened = s.serve(&["--token", "x-token"]);
    checked.push(tokened.get("/api/meta"));
    checked.push(tokened.get("/?token=x-token"));
    for got in &checked {
        assert_eq!(
            got.header("content-security-policy"),
            Some(CSP),
            "{}",
            got.what
        );
        assert_eq!(
            got.header("x-content-type-options"),
            Some("nosniff"),
            "{}",
            got.what
        );
        assert_eq!(
            got.header("referrer-policy"),
            Some("no-referrer"),
            "{}",
            got.what
        );
        let path = got.what.split_once(' ').map(|(_, u)| u).unwrap_or_default();
        let path = path
            .strip_prefix(server.url.trim_end_matches('/'))
            .or(path.strip_prefix(tokened.url.trim_end_matches('/')))
            .unwrap_or(path);
        if path.starts_with("/api/") || path.starts_with("/tiles/") {
            assert_eq!(
                got.header("cache-control"),
                Some("no-store"),
                "{}",
                got.what
            );
        }
    }
}

// ---------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------

both!(answers_larger_than_the_limit_are_refused_or_cut);
fn answers_larger_than_the_limit_are_refused_or_cut() {
    let s = generated_session();
    let report = cli(
        &s,
        &[
            "report", "--region", "Daraa", "--month", "2025-06", "--format", "json",
        ],
    );
    let grouped = cli(&s, &["report", "--group-by", "type", "--format", "json"]);
    let one = cli(&s, &["export", "--format", "csv", "--limit", "1"]);
    let exports: Vec<Vec<u8>> = EXPORT_FORMATS
        .iter()
        .map(|f| cli(&s, &["export", "--format", f]))
        .collect();
    let smallest_export = exports.iter().map(Vec::len).min().unwrap_or(0);

    // A limit below the first piece of any export but with room for one
    // incident: nothing was sent when the limit is reached, so the export
    // is refused (413) as the report is.
    let small = (one.len() + 512).max(report.len() / 2);
    assert!(report.len() > small, "{} {small}", report.len());
    let server = s.serve(&["--max-response", &small.to_string()]);
    let got = server.get("/api/report?region=Daraa&month=2025-06");
    let e = got.json_error(413);
    assert!(
        e["error"]
            .as_str()
            .is_some_and(|m| m.contains(&small.to_string())),
        "{}: {e}",
        got.what
    );
    let mut problems = Vec::new();
    for format in EXPORT_FORMATS {
        let path = format!("/api/incidents?format={format}");
        match cut_or_refused(&server, &path) {
            Ok(Cut::Refused) => {}
            Ok(Cut::Broken(n)) => problems.push(format!(
                "{path} with --max-response {small}: 200 and a stream cut after {n} bytes, \
                 expected 413 (nothing was sent yet)"
            )),
            Ok(Cut::Dropped) => problems.push(format!(
                "{path} with --max-response {small}: the connection closed without a status, \
                 expected 413"
            )),
            Err(e) => problems.push(format!("{path} with --max-response {small}: {e}")),
        }
    }
    // What fits still comes whole.
    let got = server.get("/api/incidents?format=csv&limit=1");
    assert_same_bytes(got.ok(), &one, &got.what);
    server
        .get("/api/incidents/SEED-SY-2025-MASMIYAH-CLASH")
        .ok();
    drop(server);

    // A limit above the first chunks of a stream but far below the whole
    // export: the stream has started (200) and is cut off, so that the
    // client sees an error rather than a short file that passes for whole.
    let large = smallest_export / 4;
    // (The server writes the export in pieces of 64 KiB.)
    assert!(large > 1 << 17 && large > grouped.len(), "{large}");
    let server = s.serve(&["--max-response", &large.to_string()]);
    for (format, whole) in EXPORT_FORMATS.iter().zip(&exports) {
        let path = format!("/api/incidents?format={format}");
        match cut_or_refused(&server, &path) {
            Ok(Cut::Broken(n)) => assert!(n < whole.len(), "{path}: {n} bytes"),
            Ok(Cut::Refused | Cut::Dropped) => {}
            Err(e) => problems.push(format!("{path} with --max-response {large}: {e}")),
        }
    }
    let got = server.get("/api/report?group-by=type");
    assert_same_bytes(got.ok(), &grouped, &got.what);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// How an answer over the size limit ended.
enum Cut {
    /// 413 with a JSON error.
    Refused,
    /// 200, and a body that broke off after this many bytes: no last
    /// chunk, so no client takes it for whole.
    Broken(usize),
    /// The connection closed before any status: an error too.
    Dropped,
}

/// GETs `path`, expecting an answer over the server's size limit; an
/// error says what came instead.
fn cut_or_refused(server: &Server, path: &str) -> Result<Cut, String> {
    let url = server.at(path);
    let request = ureq::http::Request::builder()
        .uri(&url)
        .body(())
        .map_err(|e| e.to_string())?;
    let Ok(mut response) = agent().run(request) else {
        return Ok(Cut::Dropped);
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    let broken = response
        .body_mut()
        .as_reader()
        .read_to_end(&mut body)
        .is_err();
    match (status, broken) {
        (413, false) => {
            let e: Value =
                serde_json::from_slice(&body).map_err(|e| format!("413 not JSON: {e}"))?;
            if e["error"].is_string() {
                Ok(Cut::Refused)
            } else {
                Err(format!("413 without an error message: {e}"))
            }
        }
        (200, true) => {
            // Over a socket too: the chunked body has no last chunk.
            let answer = raw_get(server, path);
            if answer.ends_with(b"\r\n0\r\n\r\n") {
                return Err("a raw client reads a whole chunked answer".into());
            }
            Ok(Cut::Broken(body.len()))
        }
        (200, false) => Err(format!("a whole answer of {} bytes", body.len())),
        (other, _) => Err(format!(
            "status {other}: {}",
            String::from_utf8_lossy(&body)
        )),
    }
}

/// Holds the database so that every query of the incidents waits: an
/// exclusive lock on the SQLite file, or a lock on the PostgreSQL table.
enum Hold {
    Sqlite(rusqlite::Connection),
    Postgres,
}

impl Hold {
    fn take(s: &Session) -> Hold {
        match s.backend() {
            Backend::Sqlite => {
                let c = rusqlite::Connection::open(s.db_path()).expect("open the database");
                c.execute_batch(
                    "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM incidents;",
                )
                .expect("lock the database");
                Hold::Sqlite(c)
            }
            Backend::Postgres => {
                s.pg_exec("BEGIN; LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE");
                Hold::Postgres
            }
        }
    }

    fn release(self, s: &Session) {
        match self {
            Hold::Sqlite(c) => {
                c.execute_batch(
                    "ROLLBACK; PRAGMA locking_mode = NORMAL; SELECT count(*) FROM incidents;",
                )
                .expect("unlock the database");
            }
            Hold::Postgres => s.pg_exec("ROLLBACK"),
        }
    }
}

both!(a_slow_request_times_out_without_holding_up_others);
fn a_slow_request_times_out_without_holding_up_others() {
    let s = Session::seeded();
    let want = cli(
        &s,
        &[
            "report", "--region", "Daraa", "--month", "2025-06", "--format", "json",
        ],
    );
    let server = s.serve(&["--timeout", "1"]);
    // The lock is taken before the server's first query: an open SQLite
    // reader (the server keeps its handles) would keep the test from
    // locking the file.
    let page = server.get("/").body.clone();
    let hold = Hold::take(&s);
    let slow_done = std::sync::atomic::AtomicBool::new(false);
    let (slow, small_while_slow) = std::thread::scope(|scope| {
        let slow = scope.spawn(|| {
            let got = server.get("/api/report?region=Daraa&month=2025-07");
            slow_done.store(true, std::sync::atomic::Ordering::SeqCst);
            got
        });
        // The slow one cannot finish while the database is held; the
        // page, which needs no database, answers meanwhile.
        let mut small = Vec::new();
        for _ in 0..5 {
            let got = server.get("/");
            assert_eq!(got.ok(), &page[..], "{}", got.what);
            small.push(!slow_done.load(std::sync::atomic::Ordering::SeqCst));
        }
        (slow.join().expect("the slow request"), small)
    });
    hold.release(&s);
    assert!(
        small_while_slow.iter().all(|b| *b),
        "the small requests did not all answer while the slow one ran: {small_while_slow:?}"
    );
    let e = slow.json_error(503);
    assert!(
        e["error"].as_str().is_some_and(|m| m.contains('1')),
        "{}: {e}",
        slow.what
    );
    // Once the database is free, the same server answers in full.
    let got = server.get("/api/report?region=Daraa&month=2025-06");
    assert_same_bytes(got.ok(), &want, &got.what);
}

both!(many_clients_at_once_all_get_their_answers);
fn many_clients_at_once_all_get_their_answers() {
    let s = generated_session();
    let server = s.serve(&[]);
    let mut expected: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, params) in GENERATED_REPORTS.iter().enumerate().take(8) {
        expected.push((
            format!("/api/report{}", query(params)),
            cli_with(&s, &["report", "--format", "json"], params, &[]),
        ));
        let export = EXPORTS[i % EXPORTS.len()];
        let format = EXPORT_FORMATS[i % EXPORT_FORMATS.len()];
        let mut with_format = export.to_vec();
        with_format.push(("format", format));
        expected.push((
            format!("/api/incidents{}", query(&with_format)),
            cli_with(&s, &["export", "--format", format], export, &[]),
        ));
    }
    for uid in ["GEN-00001", "GEN-01234", "SEED-SY-2025-MASMIYAH-CLASH"] {
        expected.push((
            format!("/api/incidents/{uid}"),
            cli(&s, &["show", uid, "--format", "json"]),
        ));
    }
    let tile = server.get("/tiles/5/19/12.mvt").body.clone();
    expected.push(("/tiles/5/19/12.mvt".to_string(), tile));
    let clients = 32;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let (server, expected) = (&server, &expected);
                scope.spawn(move || {
                    let agent = agent();
                    let mut wrong = Vec::new();
                    for k in 0..expected.len() {
                        let (path, want) = &expected[(c * 7 + k) % expected.len()];
                        let got = send(&agent, "GET", &server.at(path), &[]);
                        if got.status != 200 || got.broken.is_some() || &got.body != want {
                            wrong.push(format!(
                                "client {c}: {path}: {} ({} bytes, {:?}), expected {} bytes",
                                got.status,
                                got.body.len(),
                                got.broken,
                                want.len()
                            ));
                        }
                    }
                    wrong
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a client"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} wrong answers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The defaults the contract settles: loopback, port 8080, 60 s per request
/// (a large export takes time), answers up to 1 GiB.
#[test]
fn serve_documents_its_defaults() {
    let s = Session::new();
    let help = s.ok(&["serve", "--help"]);
    for default in [
        "[default: 127.0.0.1]",
        "[default: 8080]",
        "[default: 60]",
        "[default: 1073741824]",
    ] {
        assert!(
            help.contains(default),
            "`serve --help` does not say {default}:\n{help}"
        );
    }
}

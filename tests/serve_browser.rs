//! `incidents serve` in a real browser: Debian's Chromium driven over
//! WebDriver (`chromedriver`, through fantoccini) against the built binary
//! serving a seeded database. The page must load with no console message of
//! level SEVERE (errors, exceptions, failed requests), draw the map, show the
//! report's figures for a region and month, open an incident's record when
//! its point is clicked, download the export's bytes, and restore its filters
//! from a shared URL. The tests fail, not skip, in CI
//! (`INCIDENTS_REQUIRE_TOOLS=1`) when the browser or its driver is missing.
//!
//! `INCIDENTS_WRITE_DOCS=1 cargo test --release --test serve_browser`
//! rewrites the README's screenshot, docs/images/serve.png.
mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Cursor};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{Backend, Session, both};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// One browser at a time: Chromium drawing WebGL in software on two shared
/// cores is slow enough alone.
static BROWSER: Mutex<()> = Mutex::new(());

/// How long a page may take to become ready before the test gives up and
/// says what it was waiting for (a guard against hanging, not a measure).
const PATIENCE: Duration = Duration::from_secs(120);

/// The viewport of every test and of the README's screenshot.
const WIDTH: u64 = 1280;
const HEIGHT: u64 = 800;

/// Runs `test` with a browser, when Chromium and its driver are installed
/// (in CI their absence fails the test).
fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if !common::installed("chromium") || !common::installed("chromedriver") {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let browser = Browser::start().await;
        test(browser).await;
    });
}

// ------------------------------------------------------------------ server

/// `incidents --db DB serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`, read from the line the server prints.
    url: String,
    log: PathBuf,
}

impl Server {
    fn start(s: &Session) -> Server {
        let log = s.path("serve.log");
        let mut c = Command::new(env!("CARGO_BIN_EXE_incidents"));
        for var in common::DB_ENV {
            c.env_remove(var);
        }
        let mut child = c
            .arg("--db")
            .arg(s.db_arg())
            .args(["serve", "--port", "0"])
            .current_dir(s.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("create serve.log"))
            .spawn()
            .expect("start incidents serve");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        out.read_line(&mut line)
            .expect("read the server's first line");
        let url = line
            .trim_end()
            .rsplit(' ')
            .next()
            .filter(|u| u.starts_with("http://127.0.0.1:") && u.ends_with('/'))
            .unwrap_or_else(|| {
                panic!(
                    "incidents serve printed {line:?}, expected `serving DB at http://127.0.0.1:PORT/`; \
                     its log: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_string();
        // Keep reading stdout in the background so that the pipe stays open.
        std::thread::spawn(move || {
            let mut rest = String::new();
            while out.read_line(&mut rest).is_ok_and(|n| n > 0) {
                rest.clear();
            }
        });
        Server { child, url, log }
    }

    /// An absolute URL on the server for `path` ("/api/meta", "?region=...").
    fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// The body and status of a GET, whatever the status.
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut res = agent
            .get(&self.at(path))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap_or_else(|e| panic!("GET {path}: reading the body: {e}"));
        (status, body)
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(
            status,
            200,
            "GET {path}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "incidents serve's log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
        }
    }
}

// ------------------------------------------------------------------ browser

/// chromedriver (in its own process group, so that the Chromium it starts
/// goes with it) and one WebDriver session with a 1280x800 viewport.
struct Browser {
    driver: Child,
    client: Option<Client>,
    downloads: tempfile::TempDir,
}

/// chromedriver's log command (`POST /session/{id}/se/log`), which the W3C
/// protocol lacks: the console messages since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// A DevTools protocol command through chromedriver
/// (`POST /session/{id}/goog/cdp/execute`).
#[derive(Debug)]
struct Cdp(Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Browser {
    async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let downloads = tempfile::tempdir().expect("a download directory");
        let mut browser = Browser {
            driver,
            client: None,
            downloads,
        };
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                start.elapsed() < PATIENCE,
                "chromedriver did not answer on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let Value::Object(caps) = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--enable-unsafe-swiftshader",
                    "--use-angle=swiftshader",
                    "--window-size=1280,800",
                ],
                "prefs": {
                    "download.default_directory": browser.downloads.path(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        }) else {
            unreachable!()
        };
        let caps: Capabilities = caps;
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&base)
            .await
            .expect("a WebDriver session with Chromium");
        // --window-size is the window's, and headless Chromium still keeps
        // part of it for a frame (how much varies): the viewport is set
        // exactly through the DevTools protocol instead.
        client
            .issue_cmd(Cdp(json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": {
                    "width": WIDTH,
                    "height": HEIGHT,
                    "deviceScaleFactor": 1,
                    "mobile": false,
                },
            })))
            .await
            .expect("set the viewport");
        let inner = client
            .execute("return [innerWidth, innerHeight]", vec![])
            .await
            .expect("the viewport");
        assert_eq!(inner, json!([WIDTH, HEIGHT]), "the viewport");
        browser.client = Some(client);
        browser
    }

    fn c(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    async fn goto(&self, url: &str) {
        self.c()
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    async fn js(&self, script: &str) -> Value {
        self.c()
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Waits until `condition` (a JavaScript expression) is true.
    async fn wait(&self, condition: &str, what: &str) {
        let script = format!("return !!({condition});");
        let start = Instant::now();
        loop {
            if self.js(&script).await == json!(true) {
                return;
            }
            if start.elapsed() > PATIENCE {
                let log = self.console().await;
                let body = self.js("return document.body.dataset").await;
                panic!("{what}: `{condition}` still false; body data {body}; console {log:#?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn map_ready(&self) {
        self.wait(
            "document.body.dataset.mapReady === '1'",
            "the map drew the incidents",
        )
        .await;
    }

    async fn panel(&self) -> String {
        self.wait(
            "['1', 'error'].includes(document.body.dataset.panelReady)",
            "the region panel",
        )
        .await;
        self.js("return document.body.dataset.panelReady")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The console messages since the last call.
    async fn console(&self) -> Vec<Value> {
        match self.c().issue_cmd(BrowserLog).await {
            Ok(Value::Array(entries)) => entries,
            other => panic!("chromedriver's browser log: {other:?}"),
        }
    }

    /// The page's requests that failed or were answered with an error.
    async fn failed_requests(&self) -> Vec<String> {
        let v = self
            .js("return performance.getEntriesByType('resource')\
                 .filter(e => e.responseStatus === 0 || e.responseStatus >= 400)\
                 .map(e => e.name + ' ' + e.responseStatus)")
            .await;
        v.as_array()
            .expect("a list")
            .iter()
            .map(|s| s.as_str().unwrap_or("").to_string())
            .collect()
    }

    /// Fails on any SEVERE console message (errors, exceptions, failed
    /// requests, including the map worker's) and on any failed request.
    async fn assert_clean(&self, when: &str) {
        let severe = severe(&self.console().await);
        assert!(severe.is_empty(), "{when}: console errors {severe:#?}");
        let failed = self.failed_requests().await;
        assert!(failed.is_empty(), "{when}: failed requests {failed:#?}");
    }

    async fn text(&self, css: &str) -> String {
        self.c()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn value(&self, id: &str) -> String {
        self.js(&format!("return document.getElementById('{id}').value"))
            .await
            .as_str()
            .unwrap_or_else(|| panic!("#{id} has no value"))
            .to_string()
    }

    /// A real click (pointer down and up) at a point of the viewport.
    async fn click_at(&self, x: f64, y: f64) {
        let mouse = MouseActions::new("mouse".to_string())
            .then(PointerAction::MoveTo {
                duration: None,
                x: x.round(),
                y: y.round(),
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.c()
            .perform_actions(mouse)
            .await
            .expect("click on the map");
        self.c().release_actions().await.expect("release the mouse");
    }

    /// Where the map draws a longitude and latitude, in viewport pixels.
    async fn pixel_of(&self, lon: f64, lat: f64) -> (f64, f64) {
        let v = self
            .js(&format!(
                "const p = window.incidentsMap.project([{lon}, {lat}]);\
                 const r = window.incidentsMap.getCanvas().getBoundingClientRect();\
                 return [r.left + p.x, r.top + p.y];"
            ))
            .await;
        (v[0].as_f64().expect("x"), v[1].as_f64().expect("y"))
    }

    async fn screenshot(&self) -> Vec<u8> {
        self.c().screenshot().await.expect("a screenshot")
    }

    async fn close(mut self) {
        if let Some(c) = self.client.take() {
            c.close().await.expect("end the WebDriver session");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver and the Chromium it started share its process group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

/// The console entries that fail a page: level SEVERE, which is what
/// errors, uncaught exceptions and failed requests are logged as.
fn severe(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| e["level"] == "SEVERE" || e["source"] == "javascript")
        .map(|e| format!("{}: {}", e["source"], e["message"]))
        .collect()
}

// ------------------------------------------------------------------ pictures

/// A rectangle of the viewport: left, top, width, height.
type Rect = (f64, f64, f64, f64);

/// An RGBA picture: width, height, pixels.
struct Picture {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

fn decode(png_bytes: &[u8]) -> Picture {
    let mut decoder = png::Decoder::new(Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    let samples = info.color_type.samples();
    let rgba = match samples {
        4 => buf,
        3 => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        2 => buf
            .chunks(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        _ => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
    };
    Picture {
        width: info.width,
        height: info.height,
        rgba,
    }
}

impl Picture {
    /// The pixels of a rectangle (clipped to the picture) outside another.
    fn pixels(&self, rect: Rect, except: Rect) -> Vec<[u8; 3]> {
        let (x0, y0, w, h) = rect;
        let x1 = ((x0 + w) as u32).min(self.width);
        let y1 = ((y0 + h) as u32).min(self.height);
        let inside = |x: u32, y: u32| {
            let (ex, ey, ew, eh) = except;
            (ex..ex + ew).contains(&f64::from(x)) && (ey..ey + eh).contains(&f64::from(y))
        };
        let mut out = Vec::new();
        for y in (y0.max(0.0) as u32)..y1 {
            for x in (x0.max(0.0) as u32)..x1 {
                if inside(x, y) {
                    continue;
                }
                let i = ((y * self.width + x) * 4) as usize;
                out.push([self.rgba[i], self.rgba[i + 1], self.rgba[i + 2]]);
            }
        }
        out
    }
}

fn hex_colour(s: &str) -> [u8; 3] {
    let h = s.trim_start_matches('#');
    assert_eq!(h.len(), 6, "a colour #RRGGBB, got {s:?}");
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).expect("hex");
    [c(0), c(2), c(4)]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3)
}

async fn element_rect(b: &Browser, id: &str) -> Rect {
    let r = b
        .js(&format!(
            "const r = document.getElementById('{id}').getBoundingClientRect();\
             return [r.left, r.top, r.width, r.height];"
        ))
        .await;
    let f = |i: usize| r[i].as_f64().expect("a number");
    (f(0), f(1), f(2), f(3))
}

// ------------------------------------------------------------------ data

/// The incidents the map draws (placed at precision 1 or 2), from `list`.
fn mapped(s: &Session, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["list"];
    a.extend(args);
    let list = s.json(&a);
    list.as_array()
        .expect("a list")
        .iter()
        .filter(|i| {
            i["geo_precision"].as_i64().is_some_and(|p| p <= 2) && i["latitude"].is_number()
        })
        .cloned()
        .collect()
}

/// The CLI flags a page link's query stands for: `name=value` is `--name
/// value`, `overlapping=true` is `--overlapping`.
fn flags_of(query: &str) -> Vec<String> {
    let mut flags = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if k == "overlapping" {
            assert_eq!(v, "true", "overlapping={v}");
            flags.push("--overlapping".to_string());
        } else {
            flags.push(format!("--{k}"));
            flags.push(v.into_owned());
        }
    }
    flags
}

fn docs_image() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/images/serve.png")
}

// ------------------------------------------------------------------ tests

both!(page_loads_and_draws_the_incidents);
fn page_loads_and_draws_the_incidents() {
    let s = Session::seeded();
    let expected = mapped(&s, &[]);
    assert!(!expected.is_empty(), "the seeds have incidents to draw");
    let server = Server::start(&s);
    let meta = server.json("/api/meta");
    let type_colours: HashSet<String> = meta["event_types"]
        .as_array()
        .expect("event_types")
        .iter()
        .map(|t| t["colour"].as_str().expect("a colour").to_string())
        .collect();
    with_browser(|b| async move {
        b.goto(&server.url).await;
        b.map_ready().await;
        assert_eq!(b.c().title().await.unwrap(), "incidents");
        // The header says what the meta says.
        let header = b.text("#database").await;
        assert!(
            header.contains(&format!("{} incidents", meta["incidents"])),
            "{header}"
        );
        // The event types and the slider's months come from the meta.
        let options = b
            .js("return [...document.querySelectorAll('#type option')].map(o => o.value).filter(v => v)")
            .await;
        let names: Vec<&str> = meta["event_types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(options, json!(names));

        // The base layer: the governorates of the bundled boundaries.
        let outlines = b
            .js("return window.incidentsMap.queryRenderedFeatures({layers: ['admin1-line']}).length")
            .await;
        assert!(
            outlines.as_u64().unwrap_or(0) > 0,
            "no governorate outline drawn (the base layer, /api/boundaries?level=admin1)"
        );
        // The incidents' circles, in their event type's colour.
        let drawn = b
            .js(
                "return window.incidentsMap.queryRenderedFeatures({layers: ['incidents']})\
                 .map(f => f.properties)",
            )
            .await;
        let drawn = drawn.as_array().expect("features");
        assert!(!drawn.is_empty(), "no incident drawn at the first view");
        let shot = decode(&b.screenshot().await);
        assert_eq!((shot.width, shot.height), (WIDTH as u32, HEIGHT as u32));
        // The map without the legend drawn over it.
        let map_pixels = shot.pixels(
            element_rect(&b, "map").await,
            element_rect(&b, "legend").await,
        );
        let colours: HashSet<[u8; 3]> = map_pixels.iter().copied().collect();
        assert!(
            colours.len() > 50,
            "the map is blank: {} colours",
            colours.len()
        );
        for f in drawn {
            let colour = f["colour"].as_str().expect("a colour");
            assert!(
                type_colours.contains(colour),
                "{colour} is not an event type's"
            );
            let rgb = hex_colour(colour);
            assert!(
                map_pixels.iter().any(|&p| near(p, rgb)),
                "no pixel of {colour} ({}) on the map",
                f["event_type"]
            );
        }
        b.assert_clean("the first view").await;
        b.close().await;
    });
}

both!(region_and_month_show_the_report);
fn region_and_month_show_the_report() {
    let s = Session::seeded();
    let report = s.json(&["report", "--region", "Daraa", "--month", "2025-06"]);
    let server = Server::start(&s);
    let backend = s.backend();
    with_browser(|b| async move {
        b.goto(&server.url).await;
        b.map_ready().await;
        // Type the region as a user does; the month picker has no keys
        // that work the same everywhere, so it is set as the picker would.
        let region = b.c().find(Locator::Id("region")).await.unwrap();
        region.send_keys("Daraa").await.unwrap();
        region
            .send_keys(&char::from(fantoccini::key::Key::Enter).to_string())
            .await
            .unwrap();
        b.js("const m = document.getElementById('month');\
              m.value = '2025-06';\
              m.dispatchEvent(new Event('change', {bubbles: true}));\
              return true;")
            .await;
        assert_eq!(b.panel().await, "1", "the panel shows a report");
        b.map_ready().await;

        // The figures are the report's.
        let incidents = b.text("#panel [data-figure='incidents']").await;
        assert_eq!(incidents, report["incidents"].to_string());
        let f = &report["fatalities"];
        let cover = b.text("#panel [data-figure='fatalities-cover']").await;
        assert_eq!(
            cover,
            format!(
                "over {} of {} incidents",
                f["known_incidents"], report["incidents"]
            )
        );
        let overlapping = b.text("#panel [data-figure='overlapping']").await;
        assert_eq!(overlapping, report["overlapping_total"].to_string());
        let title = b.text("#panel-title").await;
        assert!(
            title.contains(report["region"]["name"].as_str().unwrap()),
            "{title}"
        );
        // The reported tallies, in the report's order, with their sources.
        let values = b
            .js("return [...document.querySelectorAll('#tallies tbody td.value')].map(td => td.textContent)")
            .await;
        let tallies = report["tallies"].as_array().expect("tallies");
        let expected: Vec<String> = tallies.iter().map(|t| t["value"].to_string()).collect();
        assert_eq!(values, json!(expected));
        for tally in ["38", "23"] {
            assert!(
                expected.iter().any(|v| v == tally),
                "the issue's tally {tally}"
            );
        }
        let table = b.text("#tallies").await;
        for t in tallies {
            assert!(table.contains(t["source"].as_str().unwrap()), "{table}");
        }
        // Every overlapping incident is listed.
        let listed = b
            .js("return [...document.querySelectorAll('#overlapping-list li')].map(li => li.dataset.uid)")
            .await;
        let uids: Vec<&str> = report["overlapping"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["uid"].as_str().unwrap())
            .collect();
        assert_eq!(listed, json!(uids));
        // The chart of the preceding months is drawn.
        b.wait(
            "document.getElementById('chart') && document.getElementById('chart').complete",
            "the chart",
        )
        .await;
        let width = b
            .js("return document.getElementById('chart').naturalWidth")
            .await;
        assert!(width.as_u64().unwrap_or(0) > 0, "the chart did not load");
        // The URL holds the filters.
        let search = b.js("return location.search").await;
        assert_eq!(search, json!("?region=Daraa&month=2025-06"));
        b.assert_clean("Daraa, 2025-06").await;

        // The README's screenshot: the same view with the incidents that
        // overlap June drawn (none lies wholly inside it).
        if backend == Backend::Sqlite {
            b.c()
                .find(Locator::Id("overlapping"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            b.wait(
                "location.search.includes('overlapping=true')",
                "the overlapping filter",
            )
            .await;
            b.map_ready().await;
            b.assert_clean("Daraa, 2025-06, overlapping").await;
            let shot = b.screenshot().await;
            let picture = decode(&shot);
            assert_eq!(
                (picture.width, picture.height),
                (WIDTH as u32, HEIGHT as u32)
            );
            let path = docs_image();
            if std::env::var("INCIDENTS_WRITE_DOCS").as_deref() == Ok("1") {
                std::fs::write(&path, &shot).expect("write docs/images/serve.png");
            } else {
                let kept = std::fs::read(&path).unwrap_or_else(|e| {
                    panic!(
                        "{}: {e}; run INCIDENTS_WRITE_DOCS=1 cargo test --release --test serve_browser",
                        path.display()
                    )
                });
                let kept = decode(&kept);
                assert_eq!((kept.width, kept.height), (WIDTH as u32, HEIGHT as u32));
            }
        }
        b.close().await;
    });
}

both!(clicking_a_point_opens_its_record);
fn clicking_a_point_opens_its_record() {
    let s = Session::seeded();
    let placed = mapped(&s, &[]);
    // A point alone at its coordinates, so that the click finds only it.
    let at = |i: &Value| (i["longitude"].to_string(), i["latitude"].to_string());
    let alone = placed
        .iter()
        .find(|i| placed.iter().filter(|j| at(j) == at(i)).count() == 1)
        .expect("an incident alone at its point")
        .clone();
    let uid = alone["uid"].as_str().unwrap().to_string();
    let show = s.json(&["show", &uid]);
    let history = s.json(&["history", &uid]);
    // Two incidents at one point make a cluster at a low zoom.
    let shared = placed
        .iter()
        .find(|i| placed.iter().filter(|j| at(j) == at(i)).count() > 1)
        .cloned();
    let server = Server::start(&s);
    with_browser(|b| async move {
        let (lon, lat) = (
            alone["longitude"].as_f64().unwrap(),
            alone["latitude"].as_f64().unwrap(),
        );
        b.goto(&server.at(&format!("#14/{lat}/{lon}"))).await;
        b.map_ready().await;
        let (x, y) = b.pixel_of(lon, lat).await;
        b.click_at(x, y).await;
        b.wait(
            "document.getElementById('record').dataset.ready === '1'",
            "the record",
        )
        .await;
        let shown = b
            .js("return document.getElementById('record').dataset.uid")
            .await;
        assert_eq!(shown, json!(uid));
        assert!(
            placed.iter().any(|i| i["uid"] == shown),
            "{shown} is not in `incidents list`"
        );
        assert_eq!(
            b.text("#record-title").await,
            show["title"].as_str().unwrap()
        );
        let fields = b.text("#record-fields").await;
        for key in ["event_type", "sub_event_type", "date_start", "place"] {
            if let Some(v) = show[key].as_str() {
                assert!(fields.contains(v), "{key} {v} not in {fields}");
            }
        }
        // Sources as links that open elsewhere and send no referrer.
        let links = b
            .js("return [...document.querySelectorAll('#record-sources a')]\
                 .map(a => [a.href, a.rel, a.target])")
            .await;
        let urls: Vec<Value> = show["sources"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|src| src["url"].as_str())
            .map(|u| json!([u, "noreferrer", "_blank"]))
            .collect();
        assert_eq!(links, json!(urls));
        let entries = b
            .js("return document.querySelectorAll('#record-history li').length")
            .await;
        assert_eq!(entries, json!(history.as_array().unwrap().len()));
        b.assert_clean("the record").await;

        // A cluster: a click zooms in and opens nothing.
        if let Some(pair) = shared {
            let (lon, lat) = (
                pair["longitude"].as_f64().unwrap(),
                pair["latitude"].as_f64().unwrap(),
            );
            b.js("document.getElementById('record-close').click(); return true;")
                .await;
            // A new page (another hash alone would not load one).
            b.goto("about:blank").await;
            b.goto(&server.at(&format!("#8/{lat}/{lon}"))).await;
            b.map_ready().await;
            // The cluster's circle near the pair (a cluster may be drawn
            // at its cell's point rather than at the pair's).
            let cluster = b
                .js(&format!(
                    "const m = window.incidentsMap;\
                     const r = m.getCanvas().getBoundingClientRect();\
                     const p = m.project([{lon}, {lat}]);\
                     const f = m.queryRenderedFeatures([[p.x - 40, p.y - 40], [p.x + 40, p.y + 40]],\
                       {{layers: ['incidents']}}).find(f => f.properties.count > 1);\
                     if (!f) return null;\
                     const q = m.project(f.geometry.coordinates);\
                     return [r.left + q.x, r.top + q.y];"
                ))
                .await;
            assert!(cluster.is_array(), "no cluster near the pair at zoom 8");
            let (x, y) = (cluster[0].as_f64().unwrap(), cluster[1].as_f64().unwrap());
            let zoom = b.js("return window.incidentsMap.getZoom()").await;
            b.click_at(x, y).await;
            b.wait(
                &format!(
                    "window.incidentsMap.getZoom() > {} && !window.incidentsMap.isMoving()",
                    zoom.as_f64().unwrap() + 1.0
                ),
                "zoomed in on the cluster",
            )
            .await;
            let hidden = b
                .js("return document.getElementById('record').hidden")
                .await;
            assert_eq!(hidden, json!(true), "a cluster opens no record");
            b.map_ready().await;
            b.assert_clean("the cluster").await;
        }
        b.close().await;
    });
}

both!(downloads_are_the_export);
fn downloads_are_the_export() {
    let s = Session::seeded();
    let server = Server::start(&s);
    let s = &s;
    with_browser(|b| async move {
        b.goto(&server.at("?region=Daraa&month=2025-06&overlapping=true"))
            .await;
        b.map_ready().await;
        for (id, format, file) in [
            ("download-geojson", "geojson", "incidents.geojson"),
            ("download-csv", "csv", "incidents.csv"),
        ] {
            let link = b.c().find(Locator::Id(id)).await.unwrap();
            let href = link.prop("href").await.unwrap().expect("an href");
            let query = href
                .split_once('?')
                .map(|(_, q)| q.to_string())
                .expect("a query");
            // The link carries the page's filters and the format.
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            for (k, v) in [
                ("region", "Daraa"),
                ("month", "2025-06"),
                ("overlapping", "true"),
                ("format", format),
            ] {
                assert!(
                    pairs.iter().any(|(a, b)| a == k && b == v),
                    "{id}: {href} lacks {k}={v}"
                );
            }
            link.click().await.unwrap();
            let path = b.downloads.path().join(file);
            let start = Instant::now();
            // Chromium reserves the final name (empty) while it writes to
            // a .crdownload beside it: the download is whole once that is gone.
            let partial = || {
                std::fs::read_dir(b.downloads.path()).is_ok_and(|d| {
                    d.flatten()
                        .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
                })
            };
            while !path.exists() || partial() {
                assert!(
                    start.elapsed() < PATIENCE,
                    "{id}: no {file} downloaded into {}: {:?}",
                    b.downloads.path().display(),
                    std::fs::read_dir(b.downloads.path())
                        .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let got = std::fs::read(&path).unwrap();
            let mut args: Vec<String> = vec!["export".into()];
            args.extend(flags_of(&query));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = s.cmd(&args).output().expect("run incidents export");
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!out.stdout.is_empty());
            assert!(
                got == out.stdout,
                "{id}: the download differs from `incidents {args:?}`"
            );
        }
        b.assert_clean("downloads").await;
        b.close().await;
    });
}

#[test]
fn a_shared_url_restores_the_filters() {
    let s = Session::seeded();
    let server = Server::start(&s);
    let meta = server.json("/api/meta");
    let t = &meta["event_types"][0];
    let (type_name, sub_type) = (
        t["name"].as_str().unwrap().to_string(),
        t["sub_types"][0].as_str().unwrap().to_string(),
    );
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("region", "Daraa")
        .append_pair("month", "2025-06")
        .append_pair("type", &type_name)
        .append_pair("sub-type", &sub_type)
        .append_pair("actor", "security")
        .append_pair("text", "checkpoint")
        .append_pair("tag", "date-uncertain")
        .append_pair("status", "all")
        .append_pair("overlapping", "true")
        .append_pair("view", "choropleth")
        .append_pair("by", "admin1")
        .append_pair("measure", "fatalities")
        .finish();
    with_browser(|b| async move {
        b.goto(&server.at(&format!("?{query}#9/33/36.3"))).await;
        b.map_ready().await;
        assert_eq!(b.panel().await, "1");
        for (id, v) in [
            ("region", "Daraa"),
            ("month", "2025-06"),
            ("type", type_name.as_str()),
            ("sub-type", sub_type.as_str()),
            ("actor", "security"),
            ("text", "checkpoint"),
            ("tag", "date-uncertain"),
            ("status", "all"),
            ("by", "admin1"),
            ("measure", "fatalities"),
        ] {
            assert_eq!(b.value(id).await, v, "#{id}");
        }
        let checked = b
            .js("return [document.getElementById('overlapping').checked, \
                 document.getElementById('view-choropleth').checked]")
            .await;
        assert_eq!(checked, json!([true, true]));
        // The page keeps the query as it was given, and the view's hash.
        let url = b.js("return location.search + location.hash").await;
        let url = url.as_str().unwrap();
        assert!(url.starts_with(&format!("?{query}#")), "{url}");
        let zoom = b.js("return window.incidentsMap.getZoom()").await;
        assert_eq!(zoom.as_f64().map(f64::round), Some(9.0));
        // The downloads and tiles carry the same filters (not the view's).
        let href = b
            .c()
            .find(Locator::Id("download-csv"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let filters = query.split("&view=").next().unwrap();
        assert_eq!(href, format!("/api/incidents?{filters}&format=csv"));
        // The choropleth's legend is the API's.
        b.wait(
            "document.querySelectorAll('#legend-classes li').length > 0",
            "the choropleth legend",
        )
        .await;
        b.assert_clean("a shared URL").await;
        b.close().await;
    });
}

#[test]
fn api_errors_are_shown_in_the_panel() {
    let s = Session::seeded();
    let server = Server::start(&s);
    let (status, body) = server.get("/api/report?region=Nowhere&month=2025-06");
    assert_eq!(status, 400);
    let error: Value = serde_json::from_slice(&body).expect("a JSON error");
    with_browser(|b| async move {
        b.goto(&server.at("?region=Nowhere&month=2025-06")).await;
        assert_eq!(b.panel().await, "error");
        let shown = b.text("#panel-error").await;
        assert!(shown.contains("region"), "the parameter is named: {shown}");
        assert!(
            shown.contains(error["error"].as_str().unwrap()),
            "the API's message: {shown}"
        );
        let invalid = b
            .js("return document.getElementById('region').getAttribute('aria-invalid')")
            .await;
        assert_eq!(invalid, json!("true"));
        // The only console errors are the refused requests themselves: no
        // exception, nothing the page logged.
        for entry in severe(&b.console().await) {
            assert!(
                entry.starts_with("\"network\"") && entry.contains("400"),
                "{entry}"
            );
        }
        b.close().await;
    });
}

#[test]
fn the_console_check_can_fail() {
    let s = Session::seeded();
    let server = Server::start(&s);
    with_browser(|b| async move {
        b.goto("data:text/html,<p>x</p><script>console.error('caught-by-the-test')</script>")
            .await;
        let log = severe(&b.console().await);
        assert!(
            log.iter().any(|m| m.contains("caught-by-the-test")),
            "{log:?}"
        );
        b.goto("data:text/html,<p>x</p><script>throw new Error('thrown-in-the-test')</script>")
            .await;
        let log = severe(&b.console().await);
        assert!(
            log.iter().any(|m| m.contains("thrown-in-the-test")),
            "{log:?}"
        );
        // A failed request on the real page is caught both ways.
        b.goto(&server.url).await;
        b.map_ready().await;
        // (Resource timing has the request once its body is read.)
        b.js("fetch('/api/no-such-route').then(r => r.text()); return true;")
            .await;
        b.wait(
            "performance.getEntriesByType('resource').some(e => e.name.endsWith('/api/no-such-route'))",
            "the failed request",
        )
        .await;
        let failed = b.failed_requests().await;
        assert!(
            failed.iter().any(|f| f.contains("/api/no-such-route 404")),
            "{failed:?}"
        );
        let log = severe(&b.console().await);
        assert!(log.iter().any(|m| m.contains("no-such-route")), "{log:?}");
        b.close().await;
    });
}

// ------------------------------------------------------------------ static

fn asset(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_page_has_no_inline_code_and_nothing_from_outside() {
    let html = asset("index.html");
    // Every script is a file of ours; no inline script, style or handler,
    // which the Content-Security-Policy would refuse.
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert!(tag.contains(" src=\"/assets/"), "{tag}");
        assert!(html[i..].starts_with(&format!("{tag}></script>")), "{tag}");
    }
    assert!(!html.contains("<style"), "inline style element");
    assert!(!html.contains(" style="), "inline style attribute");
    assert!(
        !html.contains(" onclick=") && !html.contains(" onload="),
        "inline handler"
    );
    // Nothing from outside: no absolute URL in the page, its script or style.
    for name in ["index.html", "app.js", "app.css"] {
        let text = asset(name);
        assert!(!text.contains("://"), "{name} names an outside URL");
        assert!(!text.contains("@import"), "{name} imports CSS");
    }
    // Every file the page names is in assets/.
    for (i, _) in html.match_indices("\"/assets/") {
        let rest = &html[i + 9..];
        let name = &rest[..rest.find('"').unwrap()];
        asset(name);
    }
    let js = asset("app.js");
    assert!(
        js.contains("'/assets/vendor/maplibre-gl/maplibre-gl-csp-worker.js'"),
        "the CSP build's worker"
    );
    asset("vendor/maplibre-gl/maplibre-gl-csp-worker.js");
}

#[test]
fn the_vendored_files_are_the_pinned_release() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/vendor/maplibre-gl");
    let record = asset("vendor/maplibre-gl/VENDORED.md");
    let mut listed = 0;
    for line in record.lines() {
        // "| `maplibre-gl-csp.js` | dist/maplibre-gl-csp.js | <sha256> |"
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].starts_with('`') {
            continue;
        }
        let name = cells[1].trim_matches('`');
        let want = cells[3].trim_matches('`');
        if want.len() != 64 {
            continue;
        }
        let out = Command::new("sha256sum")
            .arg(dir.join(name))
            .output()
            .expect("sha256sum");
        let got = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            got.split_whitespace().next(),
            Some(want),
            "assets/vendor/maplibre-gl/{name}: changed since it was vendored (VENDORED.md)"
        );
        listed += 1;
    }
    assert_eq!(listed, 4, "VENDORED.md lists the four files kept");
    let version = record
        .lines()
        .find_map(|l| l.strip_prefix("Version: "))
        .expect("VENDORED.md: a `Version: ` line");
    let js = std::fs::read_to_string(dir.join("maplibre-gl-csp.js")).unwrap();
    assert!(
        js.contains(&format!("r=\"{version}\"")) || js.contains(&format!("\"{version}\"")),
        "maplibre-gl-csp.js is not version {version}"
    );
}

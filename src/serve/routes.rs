//! The routes: each reads its parameters with the matching command's flags
//! and answers with what that command writes.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State as Shared};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::get;
use incidents::export::{self, ExportFormat, Options};
use incidents::formats::{OutputFormat, RowWriter};
use incidents::tiles::{PointIndex, TileId};

use super::reply::{ApiError, json_bytes, no_route, typed};
use super::{State, assets, guard, params, work};
use crate::cli::{self, FilterArgs, NearArgs, OverlappingArg};

type Answer = Result<Response, ApiError>;

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/{*path}", get(asset))
        .route("/api/meta", get(meta))
        .route("/api/report", get(report))
        .route("/api/incidents", get(incidents))
        .route("/api/incidents/{uid}", get(incident))
        .route("/api/incidents/{uid}/history", get(history))
        .route("/api/chart.svg", get(chart))
        .route("/api/choropleth", get(choropleth))
        .route("/api/boundaries", get(boundaries))
        .route("/tiles/{z}/{x}/{y}", get(tile))
        .fallback(|uri: Uri| async move { no_route(uri.path()) })
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .with_state(state)
}

/// A whole answer, refused when larger than the server sends.
fn sized(state: &State, media: &'static str, bytes: Vec<u8>) -> Answer {
    if bytes.len() as u64 > state.max_response {
        return Err(ApiError::TooLarge(state.max_response));
    }
    Ok(typed(StatusCode::OK, media, bytes))
}

/// Routes without parameters refuse any, as the others refuse unknown ones.
fn no_params(query: Option<&str>) -> Result<(), ApiError> {
    match form_urlencoded::parse(query.unwrap_or_default().as_bytes()).next() {
        Some((k, v)) => Err(ApiError::bad(
            &k,
            &v,
            "no parameters",
            format!("unknown parameter {k:?}: this route takes none"),
        )),
        None => Ok(()),
    }
}

/// The page (it reads its filters from the address itself).
async fn page() -> Answer {
    asset(Path("index.html".to_string())).await
}

async fn asset(Path(path): Path<String>) -> Answer {
    let (bytes, media) = assets::get(&path)
        .ok_or_else(|| ApiError::NotFound(format!("no file {path:?} among the page's files")))?;
    let mut r = typed(StatusCode::OK, media, bytes.to_vec());
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(r)
}

/// What the page needs to build its filters: the database, its date
/// range, the event types with their colours and the choropleth ramp.
async fn meta(Shared(s): Shared<Arc<State>>, RawQuery(q): RawQuery) -> Answer {
    no_params(q.as_deref())?;
    let state = s.clone();
    let bytes = work::run(&s, move |db| {
        // Counting a million rows on every page load is wasted while
        // nothing changes.
        let stamp = db.changes()?;
        let mut kept = state.meta.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, bytes)) = &*kept
            && *at == stamp
        {
            return Ok(bytes.clone());
        }
        let all = db.filter(&Default::default(), &mut |_| {})?;
        let range = db.date_range()?;
        let types: Vec<serde_json::Value> = incidents::model::TAXONOMY
            .iter()
            .map(|(name, subs)| {
                serde_json::json!({
                    "name": name,
                    "colour": incidents::formats::palette::event_type_colour(name),
                    "sub_types": subs,
                })
            })
            .collect();
        let body = serde_json::json!({
            "database": db.location(),
            "incidents": db.count(&all)?,
            "first": range.as_ref().map(|r| r.0.to_string()),
            "last": range.as_ref().map(|r| r.1.to_string()),
            "event_types": types,
            "countries": db.countries()?,
            "ramp": incidents::formats::palette::RAMP,
            "empty": incidents::formats::palette::EMPTY,
        });
        let bytes = format!("{body:#}\n").into_bytes();
        *kept = Some((stamp, bytes.clone()));
        Ok(bytes)
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, bytes))
}

/// `incidents report --format json`.
async fn report(Shared(s): Shared<Arc<State>>, RawQuery(q): RawQuery) -> Answer {
    let a: cli::report::Args = params::parse(
        "report",
        q.as_deref(),
        &["format", "output", "raw"],
        &[],
        &[],
    )?;
    let bytes = work::run(&s, move |db| {
        Ok(cli::report::bytes(db, &a, cli::report::ReportFormat::Json)?)
    })
    .await?;
    sized(&s, "application/json", bytes)
}

/// `incidents export`, streamed as it is written.
async fn incidents(Shared(s): Shared<Arc<State>>, RawQuery(q): RawQuery) -> Answer {
    let a: cli::export::Args = params::parse(
        "export",
        q.as_deref(),
        &["output"],
        &[],
        &[("format", "geojson")],
    )?;
    let (media, file) = match a.format {
        ExportFormat::Geojson => ("application/geo+json", "incidents.geojson"),
        ExportFormat::Geojsonseq => ("application/geo+json-seq", "incidents.geojsons"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "incidents.csv"),
        ExportFormat::Acled => ("text/csv; charset=utf-8", "incidents-acled.csv"),
        other => {
            let name = clap::ValueEnum::to_possible_value(&other)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            return Err(ApiError::bad(
                "format",
                &name,
                "geojson, geojsonseq, csv or acled",
                format!(
                    "format {name} is written to a file, not streamed: use `incidents export \
                     --format {name} -o FILE`, or here geojson, geojsonseq, csv or acled"
                ),
            ));
        }
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let max = s.max_response;
    work::start(&s, move |db, ready| {
        let filter = a.filter.to_filter(db, a.period.overlapping, &a.near)?;
        let fail = tx.clone();
        let over = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sink = Sink {
            tx,
            ready: ready.clone(),
            max,
            written: 0,
            over: over.clone(),
        };
        let opts = Options {
            format: a.format,
            raw: a.raw,
        };
        let out = std::io::BufWriter::with_capacity(1 << 16, sink);
        match export::to_writer(db, &filter, opts, out, &mut |_| {}) {
            // An empty export still starts (and ends) its answer.
            Ok(_) => {
                ready.send(Ok(()));
            }
            Err(e) => {
                let error = if over.load(std::sync::atomic::Ordering::Relaxed) {
                    ApiError::TooLarge(max)
                } else {
                    ApiError::from(e)
                };
                let message = format!("{error:?}");
                // Before the first byte the error is the answer; after it,
                // an error item makes the server drop the connection
                // without the last chunk: the client sees a broken
                // download, never a short file that passes for whole.
                if !ready.send(Err(error)) {
                    let _ = fail.blocking_send(Err(std::io::Error::other(message)));
                }
            }
        }
        Ok(())
    })
    .await?;
    let stream = futures_stream(rx);
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The chunks a blocking writer sends, as a body stream.
fn futures_stream(
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> {
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

/// A writer into the response stream that stops past the size limit.
struct Sink {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    /// Told on the first write that the answer starts.
    ready: work::Ready,
    max: u64,
    written: u64,
    /// Set when a write would pass `max`.
    over: Arc<std::sync::atomic::AtomicBool>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written += buf.len() as u64;
        if self.written > self.max {
            self.over.store(true, std::sync::atomic::Ordering::Relaxed);
            return Err(std::io::Error::other(format!(
                "the answer is larger than the server sends ({} bytes, --max-response)",
                self.max
            )));
        }
        self.ready.send(Ok(()));
        self.tx
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `incidents show UID --format json`.
async fn incident(Shared(s): Shared<Arc<State>>, Path(uid): Path<String>) -> Answer {
    let bytes = work::run(&s, move |db| {
        let mut json = cli::show::json(&db.incident(&uid)?)?;
        json.push('\n');
        Ok(json.into_bytes())
    })
    .await?;
    sized(&s, "application/json", bytes)
}

/// `incidents history UID --format json`.
async fn history(Shared(s): Shared<Arc<State>>, Path(uid): Path<String>) -> Answer {
    let bytes = work::run(&s, move |db| {
        let mut buf = Vec::new();
        let out = RowWriter::new(&mut buf, OutputFormat::Json, &cli::history::COLUMNS, false);
        cli::history::write(db, &uid, out)?;
        Ok(buf)
    })
    .await?;
    sized(&s, "application/json", bytes)
}

/// `incidents chart --format svg -o -`.
async fn chart(Shared(s): Shared<Arc<State>>, RawQuery(q): RawQuery) -> Answer {
    let a: cli::chart::Args = params::parse(
        "chart",
        q.as_deref(),
        &[],
        &[("output", "-"), ("format", "svg")],
        &[],
    )?;
    let bytes = work::run(&s, move |db| Ok(cli::chart::draw(db, &a)?.into_bytes())).await?;
    sized(&s, "image/svg+xml", bytes)
}

/// The units of `incidents map` for the same flags, shaded as it shades
/// them, as GeoJSON for the page's choropleth.
async fn choropleth(Shared(s): Shared<Arc<State>>, RawQuery(q): RawQuery) -> Answer {
    let a: cli::map::Args = params::parse(
        "map",
        q.as_deref(),
        &["points", "no-points", "width", "height", "title"],
        &[("output", "-"), ("format", "svg")],
        &[],
    )?;
    let bytes = work::run(&s, move |db| {
        let m = cli::map::data(db, &a)?;
        let mut buf = Vec::new();
        incidents::formats::choropleth::write_map(&mut buf, &m)?;
        Ok(buf)
    })
    .await?;
    sized(&s, "application/geo+json", bytes)
}

/// The bundled boundaries of one level, simplified, for the base layer.
#[derive(Debug, clap::Args)]
struct BoundaryArgs {
    /// admin1 (governorates, provinces) or admin2 (districts).
    #[arg(long, value_enum, default_value = "admin1")]
    level: cli::map::Level,
    /// Only this country's (ISO 3166-1 alpha-2).
    #[arg(long)]
    country: Option<String>,
}

async fn boundaries(Shared(s): Shared<Arc<State>>, RawQuery(q): RawQuery) -> Answer {
    let a: BoundaryArgs = params::parse("boundaries", q.as_deref(), &[], &[], &[])?;
    let bytes = work::run(&s, move |db| {
        let level = match a.level {
            cli::map::Level::Admin1 => incidents::group::Dim::Admin1,
            cli::map::Level::Admin2 => incidents::group::Dim::Admin2,
        };
        let mut buf = Vec::new();
        db.write_outlines(&mut buf, level, a.country.as_deref())?;
        Ok(buf)
    })
    .await?;
    sized(&s, "application/geo+json", bytes)
}

/// The filters of `export` (without its output flags), for tiles.
#[derive(Debug, clap::Args)]
struct TileArgs {
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    near: NearArgs,
    #[command(flatten)]
    period: OverlappingArg,
}

/// The last few selections' point indexes, each valid for one state of
/// the database (see [`incidents::Database::changes`]).
#[derive(Default)]
pub struct TileCache {
    slots: Mutex<Vec<(String, i64, Slot)>>,
}

type Slot = Arc<Mutex<Option<Arc<PointIndex>>>>;

/// Selections kept: a page changing its filters back and forth.
const KEEP: usize = 8;

impl TileCache {
    fn slot(&self, key: &str, stamp: i64) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        // A change to the database makes every index stale.
        slots.retain(|(_, s, _)| *s == stamp);
        if let Some(i) = slots.iter().position(|(k, _, _)| k == key) {
            let entry = slots.remove(i);
            let slot = entry.2.clone();
            slots.push(entry);
            return slot;
        }
        if slots.len() >= KEEP {
            slots.remove(0);
        }
        let slot = Slot::default();
        slots.push((key.to_string(), stamp, slot.clone()));
        slot
    }
}

/// `/tiles/{z}/{x}/{y}.mvt`: the incidents the filters select, as a vector tile.
async fn tile(
    Shared(s): Shared<Arc<State>>,
    Path((z, x, y)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> Answer {
    let Some(y) = y.strip_suffix(".mvt") else {
        return Err(ApiError::NotFound(format!(
            "no tile {y:?}: tiles are /tiles/Z/X/Y.mvt"
        )));
    };
    let id = TileId::new(&z, &x, y)?;
    let a: TileArgs = params::parse("tiles", q.as_deref(), &["limit"], &[], &[])?;
    // One index per selection: the parameters in a fixed order.
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    pairs.sort();
    let key = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let state = s.clone();
    let bytes = work::run(&s, move |db| {
        let slot = state.tiles.slot(&key, db.changes()?);
        let mut held = slot.lock().unwrap_or_else(|e| e.into_inner());
        let index = match &*held {
            Some(index) => index.clone(),
            None => {
                let filter = a.filter.to_filter(db, a.period.overlapping, &a.near)?;
                let index = Arc::new(PointIndex::build(db, &filter)?);
                *held = Some(index.clone());
                index
            }
        };
        drop(held);
        Ok(index.tile(id)?)
    })
    .await?;
    sized(&s, "application/vnd.mapbox-vector-tile", bytes)
}

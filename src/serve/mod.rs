//! `incidents serve`: the database as a local web map, read-only.
//!
//! Another face beside `cli/`, not another brain: every route reads its
//! parameters with the matching command's flag definitions and answers
//! with the bytes that command writes (see `routes`). The page only
//! displays what the API answers.

mod assets;
mod guard;
mod params;
mod reply;
mod routes;
mod work;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use incidents::{Error, Location, Result};

/// Flags of `incidents serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "API: GET /api/report and /api/incidents take the flags of `report` \
and `export` as parameters, without the dashes (?region=Daraa&month=2025-06), and answer with \
exactly what those commands write. Also /api/incidents/UID, /api/incidents/UID/history, \
/api/chart.svg (the flags of `chart`), /api/choropleth, /api/boundaries, /api/meta and vector \
tiles at /tiles/{z}/{x}/{y}.mvt (the filters of `export`). Bad parameters get status 400 and a \
JSON error naming the parameter. Nothing on the page comes from outside this server."
)]
pub struct Args {
    /// The address to listen on. Any other than a loopback address (127.0.0.1, ::1) needs --token.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// A secret every request must carry (as `Authorization: Bearer TOKEN`,
    /// or a cookie set by opening the page once with ?token=TOKEN).
    #[arg(long, env = "INCIDENTS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Seconds a request may take before it is stopped (503).
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// The largest answer in bytes (a larger one is refused, 413, or cut off).
    #[arg(long, default_value_t = 1 << 30)]
    pub max_response: u64,
}

/// What every request shares.
pub struct State {
    pub location: Location,
    pub token: Option<String>,
    pub timeout: Duration,
    pub max_response: u64,
    pub work: work::Pool,
    pub tiles: routes::TileCache,
    /// `/api/meta` as last answered, with the database state it describes.
    pub meta: std::sync::Mutex<Option<(i64, Vec<u8>)>>,
}

pub fn run(location: &Location, a: Args) -> Result<()> {
    if !a.bind.is_loopback() && a.token.is_none() {
        return Err(Error::invalid(
            "--bind",
            a.bind,
            "a loopback address (127.0.0.1 or ::1), or --token TOKEN too, so that only those \
             given the token can read the database",
        ));
    }
    if a.token.as_deref() == Some("") {
        return Err(Error::invalid("--token", "", "a secret that is not empty"));
    }
    // Open once before listening, so a wrong --db fails here, not per request.
    let db = incidents::Database::open_for_serving(location)?;
    let shown = db.location();
    drop(db);
    let state = Arc::new(State {
        location: location.clone(),
        token: a.token.clone(),
        timeout: Duration::from_secs(a.timeout.max(1)),
        max_response: a.max_response,
        work: work::Pool::new(),
        tiles: routes::TileCache::default(),
        meta: Default::default(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Database handles live in the blocking threads; keep them warm.
        .thread_keep_alive(Duration::from_secs(600))
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(a.bind, a.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::io(format!("--bind {} --port {}", a.bind, a.port), e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::io("listener", e))?;
        let url = format!("http://{bound}/");
        if !a.bind.is_loopback() {
            crate::cli::note(&format!(
                "warning: listening on {bound}, reachable from other machines: only requests \
                 carrying the token are answered, and the traffic is not encrypted"
            ));
        }
        crate::cli::say(format!("serving {shown} at {url}"))?;
        if a.open {
            open_browser(&url);
        }
        let app = routes::router(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::io(url, e))
    })
}

/// Opens the page in the desktop's browser; a failure is only said.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        crate::cli::note(&format!(
            "could not open a browser ({opener}: {e}); open {url}"
        ));
    }
}

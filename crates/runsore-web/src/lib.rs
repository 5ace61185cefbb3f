//! runsore-web: the local web app and JSON API, server-rendered over the same core as the CLI.
//!
//! The only crate that knows HTTP and HTML. It holds no medical or training logic: every figure and
//! every sentence of advice comes from the triage engine, the training analytics or the store, and
//! this crate only lays them out. Pages work without JavaScript; `/assets/app.js` makes them
//! smoother (body-map clicks without a reload, upload progress).

mod api;
mod assets;
mod backend;
mod bodymap;
mod charts;
mod checkin;
mod error;
mod fields;
mod form;
mod layout;
mod memo;
pub mod openapi;
mod pages;
mod security;
mod server;
mod view;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

pub use backend::{Backend, BackendError};
pub use server::{HEADER_READ_TIMEOUT, Limits, MAX_CONNECTIONS, serve_listener};

/// How `runsore serve` runs the app.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to bind; 127.0.0.1 unless the runner asks for another.
    pub addr: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The explicit consent to bind an address other than loopback.
    pub allow_remote: bool,
    /// The access token required on every request when bound beyond loopback.
    pub access_token: Option<String>,
    /// The SQLite file; `None` keeps everything in memory (for trying the app out).
    pub db: Option<PathBuf>,
    /// The largest upload accepted, in bytes.
    pub upload_limit: usize,
    /// A fixed "now" (seconds since the epoch) in place of the clock, to replay a day as
    /// `runsore --now` does for the other commands.
    pub now: Option<i64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 7878,
            allow_remote: false,
            access_token: None,
            db: None,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            now: None,
        }
    }
}

/// The largest JSON or form body accepted outside uploads.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;
/// The largest upload accepted by default (a whole export archive of watch files).
pub const DEFAULT_UPLOAD_LIMIT: usize = 256 * 1024 * 1024;
/// How long a request may take before the app answers 408 (uploads of big archives included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without the explicit flag, or without a token.
    #[error("{0}")]
    Refused(String),
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] BackendError),
    /// The address could not be bound or the server failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address tried.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Settings the router needs beside the backend.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// When set, every request must carry this token (bearer header, cookie or `?token=`).
    pub access_token: Option<String>,
    /// The largest upload accepted, in bytes; 0 means [`DEFAULT_UPLOAD_LIMIT`].
    pub upload_limit: usize,
    /// The port the server is bound to: without a token, only `127.0.0.1`, `localhost` and
    /// `[::1]` at this port are answered. `None` (a router not yet bound) accepts any port.
    pub port: Option<u16>,
}

/// Everything a handler needs: the backend (store, knowledge base) and the secrets.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    secret: [u8; 32],
    access_token: Option<String>,
    upload_limit: usize,
    bound_port: Option<u16>,
    /// The training pages drawn, by what they were drawn from.
    training_pages: memo::TrainingPages,
    /// The runs list's tables drawn, by the page they were drawn from.
    runs_tables: memo::RunsTables,
}

impl AppState {
    /// A state over a backend, with a fresh random secret for CSRF tokens.
    pub fn new(backend: Backend, options: Options) -> Self {
        let upload_limit = match options.upload_limit {
            0 => DEFAULT_UPLOAD_LIMIT,
            n => n,
        };
        AppState {
            inner: Arc::new(Inner {
                backend,
                secret: security::random_bytes(),
                access_token: options.access_token.filter(|t| !t.is_empty()),
                upload_limit,
                bound_port: options.port,
                training_pages: memo::TrainingPages::default(),
                runs_tables: memo::RunsTables::default(),
            }),
        }
    }

    /// A state over an in-memory store, for tests and for trying the app out.
    pub fn in_memory() -> Result<Self, BackendError> {
        Ok(AppState::new(Backend::in_memory()?, Options::default()))
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.inner.backend
    }

    /// Runs `f` on the blocking pool: the store and the engine never hold up the async workers,
    /// and each call takes a connection of its own.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Backend) -> Result<T, BackendError> + Send + 'static,
    ) -> Result<T, BackendError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || f(state.backend()))
            .await
            .map_err(|e| BackendError::Store(format!("a background task failed: {e}")))?
    }
}

/// The whole app: pages, the JSON API and the assets, behind the safety layers.
pub fn app(state: AppState) -> Router {
    let upload_limit = state.inner.upload_limit;
    let uploads = Router::new()
        .route("/runs/upload", post(pages::upload_runs))
        .route("/api/import", post(api::import))
        .layer(DefaultBodyLimit::max(upload_limit));
    Router::new()
        .route("/", get(pages::home))
        .route("/checkin", get(checkin::start).post(checkin::begin))
        .route(
            "/checkin/flags",
            get(checkin::flags_page_get).post(checkin::flags),
        )
        .route("/checkin/question", get(checkin::question_get))
        .route("/checkin/answer", post(checkin::answer))
        .route("/checkin/finish", post(checkin::finish))
        .route("/history", get(pages::history))
        .route("/history/{id}", get(pages::checkin_result))
        .route("/history/{id}/followup", post(pages::followup))
        .route("/runs", get(pages::runs))
        .route("/runs/{id}", get(pages::run))
        .route("/training", get(pages::training))
        .route("/api/assess", post(api::assess))
        .route("/api/runs", get(api::runs))
        .route("/api/training", get(api::training))
        .route("/api/checkins", get(api::checkins).post(api::add_checkin))
        .route("/api/checkins/{id}/followups", post(api::add_followup))
        .route("/api/openapi.json", get(api::openapi))
        .route("/assets/app.css", get(assets::css))
        .route("/assets/app.js", get(assets::js))
        .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        .merge(uploads)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // Pages, JSON and the stylesheet shrink several times over gzip or brotli (a phone on a
        // slow network feels it); tower-http skips images and bodies too small to gain.
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// A fresh random access token (64 hex characters) for `--allow-remote` without `--token`.
pub fn random_token() -> String {
    security::random_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Opens the store, binds the address and serves until the process is stopped.
///
/// Binds 127.0.0.1 unless the config names another address together with `allow_remote` and an
/// access token; prints the URL to open.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    if !config.addr.is_loopback() {
        if !config.allow_remote {
            return Err(ServeError::Refused(format!(
                "binding {} would expose your health data to the network; pass the explicit flag \
                 (--allow-remote) and an access token to do it",
                config.addr
            )));
        }
        if config.access_token.is_none() {
            return Err(ServeError::Refused(format!(
                "an access token of at least {} characters is required when binding beyond \
                 loopback",
                security::MIN_TOKEN_LEN
            )));
        }
    }
    if let Some(token) = &config.access_token {
        security::check_token(token).map_err(ServeError::Refused)?;
    }
    let backend = match &config.db {
        Some(path) => Backend::open(path)?,
        None => Backend::in_memory()?,
    }
    .with_clock(config.now);
    let addr = SocketAddr::new(config.addr, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Io { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Io { addr, source })?;
    let state = AppState::new(
        backend,
        Options {
            access_token: config.access_token.clone(),
            upload_limit: config.upload_limit,
            port: Some(local.port()),
        },
    );
    // The runs' views are read while the runner opens the page, not when the first page asks.
    let warming = state.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = warming.backend().warm() {
            tracing::warn!("reading the runs ahead failed: {e}");
        }
    });
    let host = match local.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    // Written, not printed: a closed stdout (`runsore serve | head -1`) must not stop the server.
    let mut out = std::io::stdout();
    let _ = match &state.inner.access_token {
        Some(token) => writeln!(
            out,
            "runsore is running at http://{host}:{}/?token={}",
            local.port(),
            security::url_token(token)
        ),
        None => writeln!(out, "runsore is running at http://{host}:{}/", local.port()),
    };
    if local.ip().is_unspecified() {
        let _ = writeln!(
            out,
            "from another device, use this computer's network address in place of {host}"
        );
    }
    let _ = writeln!(out, "press Ctrl-C to stop");
    let _ = out.flush();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    server::serve_listener(listener, app(state), Limits::default(), shutdown)
        .await
        .map_err(|source| ServeError::Io { addr, source })
}

//! HTTP JSON API of dyad: code text, ingest articles into the event store, query events,
//! dyads and time series.
//!
//! # Overview
//!
//! * [`build_pipeline`] loads the dictionaries and the text model once, as `dyad code` does.
//! * [`AppState`] holds the pipeline, the [`dyad_store::Store`] (one writer behind a mutex,
//!   a new reader per request) and the metrics. All coding and SQLite work runs on tokio's
//!   blocking threads.
//! * [`router`] builds the axum routes; [`serve`] / [`serve_with_shutdown`] answer on a
//!   listener; [`run`] is what `dyad serve` calls (binds, serves until Ctrl-C).
//!
//! Routes (see `GET /v1/openapi.json` for the full description):
//!
//! | route | what |
//! |---|---|
//! | `POST /v1/code` | `{text, date?}` → `{"events": [...]}` in the JSON Lines event format; stores nothing |
//! | `POST /v1/articles` | one article or a list → per-article status (`inserted`, `replaced`, `unchanged`, `rejected`) |
//! | `GET /v1/events` | filters `actor source target country code root quad from to limit cursor` → `{events, next_cursor}` |
//! | `GET /v1/dyads` | `from to by limit` → the busiest dyads |
//! | `GET /v1/dyads/{source}/{target}/series` | `interval=day\|week\|month`, `from`, `to` → buckets |
//! | `GET /healthz`, `GET /metrics`, `GET /v1/openapi.json`, `GET /` | health, Prometheus text, OpenAPI 3.0, route list |
//!
//! Errors are `{"error": message}`: 400 malformed JSON or parameters, 404 unknown route,
//! 405 wrong method, 413 body over [`ServerConfig::body_limit`] (10 MiB by default), 422
//! impossible date range or unknown interval, 500 internal, 503 past
//! [`ServerConfig::request_timeout`] (30 s by default). A timed-out ingest may still
//! commit in the background (the store call is not cancelled); re-sending the articles is
//! safe (same text and coder version: `unchanged`).
//!
//! # Example
//!
//! ```
//! use std::io::{Read as _, Write as _};
//! use dyad_server::{build_pipeline, serve, AppState, PipelineOptions, ServerConfig};
//!
//! let (pipeline, _warnings) = build_pipeline(&PipelineOptions::default())?;
//! let store = dyad_store::Store::open_in_memory()?;
//! let state = AppState::new(store, pipeline, ServerConfig::default())?;
//! let runtime = tokio::runtime::Runtime::new()?;
//! let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
//! let addr = listener.local_addr()?;
//! runtime.spawn(serve(listener, state));
//!
//! let mut conn = std::net::TcpStream::connect(addr)?;
//! conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
//! let mut reply = String::new();
//! conn.read_to_string(&mut reply)?;
//! assert!(reply.starts_with("HTTP/1.1 200"));
//! assert!(reply.ends_with(r#"{"status":"ok"}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod api;
mod error;
mod metrics;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use dyad_pipeline::Pipeline;
use dyad_store::{Store, Writer};

pub use error::{ApiError, Error};
pub use metrics::{ArticleStatus, Metrics, LATENCY_BUCKETS};

/// Largest request body accepted by default: 10 MiB (larger bodies get 413).
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Longest time a request may take by default before the client gets 503.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Server settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// Largest request body in bytes ([`DEFAULT_BODY_LIMIT`]).
    pub body_limit: usize,
    /// Longest time to answer a request ([`DEFAULT_REQUEST_TIMEOUT`]).
    pub request_timeout: Duration,
    /// Recorded with every stored article; change it when the dictionaries change so that
    /// re-sent articles are re-coded (the store replaces their events).
    pub coder_version: String,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            coder_version: format!("dyad {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Which dictionaries the pipeline loads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PipelineOptions {
    /// More dictionaries in dyad's format (`.dyad`), loaded after the defaults.
    pub dicts: Vec<PathBuf>,
    /// Do not load the embedded default dictionaries.
    pub no_default_dict: bool,
}

/// Builds the text layer and coder as `dyad code` does; also returns the dictionary
/// warnings (entries skipped), for the caller to show.
pub fn build_pipeline(options: &PipelineOptions) -> Result<(Pipeline, Vec<String>), Error> {
    let pipeline = Pipeline::with_dictionaries(&options.dicts, options.no_default_dict)?;
    let warnings = pipeline
        .coder()
        .dictionaries()
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    Ok((pipeline, warnings))
}

/// What every request shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    writer: Mutex<Writer>,
    pipeline: Pipeline,
    config: ServerConfig,
    metrics: Metrics,
}

impl AppState {
    /// The state of a server over `store`. Takes the store's writer (fails with
    /// [`dyad_store::ErrorKind::WriterBusy`] when another handle holds it).
    pub fn new(store: Store, pipeline: Pipeline, config: ServerConfig) -> Result<AppState, Error> {
        let writer = store.writer()?;
        Ok(AppState {
            inner: Arc::new(Inner {
                store,
                writer: Mutex::new(writer),
                pipeline,
                config,
                metrics: Metrics::default(),
            }),
        })
    }

    /// The server's metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The server's settings.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }
}

/// The API's routes over `state`.
pub fn router(state: AppState) -> Router {
    let limit = state.inner.config.body_limit;
    Router::new()
        .route("/", get(api::index))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/v1/openapi.json", get(api::openapi))
        .route("/v1/code", post(api::code))
        .route("/v1/articles", post(api::articles))
        .route("/v1/events", get(api::events))
        .route("/v1/dyads", get(api::dyads))
        .route("/v1/dyads/{source}/{target}/series", get(api::series))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::track,
        ))
        .with_state(state)
}

/// Answers requests on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with_shutdown(listener, state, std::future::pending()).await
}

/// Answers requests on `listener` until `shutdown` completes, then finishes the requests
/// in progress.
pub async fn serve_with_shutdown(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds `addr`, calls `on_listen` with the bound address, and serves until Ctrl-C
/// (SIGINT). Builds its own multi-threaded tokio runtime: call it from a plain `main`.
pub fn run(addr: &str, state: AppState, on_listen: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let io = |context: String| move |source| Error::Io { context, source };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(io("cannot start the async runtime".into()))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(io(format!("cannot listen on {addr}")))?;
        let local = listener
            .local_addr()
            .map_err(io("cannot read the bound address".into()))?;
        on_listen(local);
        let ctrl_c = async {
            // If the signal handler cannot be installed, serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        serve_with_shutdown(listener, state, ctrl_c)
            .await
            .map_err(io("server failed".into()))
    })
}

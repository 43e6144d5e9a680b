//! HTTP JSON API of dyad: code text, ingest articles into the event store, query events,
//! dyads and time series.
//!
//! # Overview
//!
//! * [`build_pipeline`] loads the dictionaries and the text model once, as `dyad code` does.
//! * [`AppState`] holds the pipeline, the [`dyad_store::Store`] (one writer behind a mutex,
//!   a pool of reused readers), a short-lived cache of series and top-dyad answers
//!   ([`ServerConfig::cache_ttl`]) and the metrics. All coding and SQLite work runs on tokio's
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
//! | `GET /v1/events` | filters `actor source target country code root quad from to limit cursor`, and `evidence=true` for each event's first mention → `{events, next_cursor}` |
//! | `GET /v1/dyads` | `from to by limit` → the busiest dyads |
//! | `GET /v1/dyads/{source}/{target}/series` | `interval=day\|week\|month`, `from`, `to` → buckets |
//! | `GET /healthz`, `GET /metrics`, `GET /v1/openapi.json`, `GET /v1` | health, Prometheus text, OpenAPI 3.0, route list |
//! | `GET /`, `GET /assets/{name}` | the dashboard (HTML, CSS and JavaScript embedded in the binary) |
//!
//! The dashboard is plain HTML and a small script of our own (no framework, no build step,
//! nothing fetched from elsewhere) that calls the JSON API and draws SVG: a dyad's Goldstein
//! and quad-class series, a network of the top dyads of a period, and an event table whose
//! evidence sentences mark the source, verb and target.
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
mod cache;
mod dashboard;
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
use dyad_store::{Reader, Store, Writer};

pub use api::IngestReport;
pub use error::{ApiError, Error};
pub use metrics::{ArticleStatus, Metrics, LATENCY_BUCKETS};

/// A small sample of invented wire-style articles (JSON Lines, one article a line, with
/// ids, dates and outlets) that `dyad demo` stores so that the dashboard has something to
/// show. Written for the project; the events they give depend on the default dictionaries.
pub const DEMO_ARTICLES: &str = include_str!("../assets/demo-articles.jsonl");

/// How many queries run on the store at once: twice the cores, at least 4, at most 32.
/// More would only queue inside SQLite and keep more connections (each with its own page
/// cache) open; requests past it wait for a slot without holding a thread.
fn reader_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .clamp(4, 32)
}

/// Largest request body accepted by default: 10 MiB (larger bodies get 413).
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Longest time a request may take by default before the client gets 503.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a series or top-dyads answer is reused at most by default (see
/// [`ServerConfig::cache_ttl`]).
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(60);

/// How often a serving server asks SQLite whether the store changed (see
/// [`ServerConfig::cache_ttl`]).
pub const STORE_POLL_INTERVAL: Duration = Duration::from_millis(200);

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
    /// How long an answer of the series and top-dyads routes is reused at most
    /// ([`DEFAULT_CACHE_TTL`]). An ingest through this server invalidates every answer at
    /// once; while serving, the store is also polled every [`STORE_POLL_INTERVAL`] and a
    /// commit by another process invalidates them too. Zero turns the cache off.
    pub cache_ttl: Duration,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            coder_version: format!("dyad {}", env!("CARGO_PKG_VERSION")),
            cache_ttl: DEFAULT_CACHE_TTL,
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
    /// Readers not in use. Opening an SQLite connection (and preparing its statements)
    /// costs more than a series query, so readers are reused across requests.
    readers: Mutex<Vec<Reader>>,
    /// One permit per query allowed to run at once ([`reader_slots`]).
    read_slots: tokio::sync::Semaphore,
    cache: cache::ResponseCache,
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
                readers: Mutex::new(Vec::new()),
                read_slots: tokio::sync::Semaphore::new(reader_slots()),
                cache: cache::ResponseCache::new(config.cache_ttl),
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

    /// Codes and stores articles as `POST /v1/articles` does: each value is an article
    /// object (`{id?, date?, title?, text, url?, source?}`); one report per value, in order.
    /// Fails only when the store itself fails (an unusable article is reported rejected).
    pub fn ingest_articles(
        &self,
        articles: Vec<serde_json::Value>,
    ) -> Result<Vec<IngestReport>, Error> {
        api::ingest(self, articles)
            .map(|results| results.into_iter().map(IngestReport::from).collect())
            .map_err(Error::Ingest)
    }

    /// Runs `f` on a blocking thread with a store reader taken from the pool (or a new
    /// one), once one of the [`reader_slots`] is free; puts the reader back when `f`
    /// succeeds.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _slot = self
            .inner
            .read_slots
            .acquire()
            .await
            .map_err(|_| ApiError::internal("the server is shutting down"))?;
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.with_reader(f))
            .await
            .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }

    fn with_reader<T>(
        &self,
        f: impl FnOnce(&Reader) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let pooled = self
            .inner
            .readers
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop());
        let reader = match pooled {
            Some(r) => r,
            None => self.inner.store.reader()?,
        };
        let out = f(&reader);
        // After a failure the connection is dropped rather than reused.
        if out.is_ok() {
            if let Ok(mut idle) = self.inner.readers.lock() {
                if idle.len() < reader_slots() {
                    idle.push(reader);
                }
            }
        }
        out
    }
}

/// The API's routes over `state`.
pub fn router(state: AppState) -> Router {
    let limit = state.inner.config.body_limit;
    Router::new()
        .route("/", get(dashboard::page))
        .route("/assets/{name}", get(dashboard::asset))
        .route("/v1", get(api::index))
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
    use axum::serve::ListenerExt as _;
    // Answers go out as soon as they are written (no Nagle delay on keep-alive
    // connections); a socket that refuses the option still works, only slower.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let watcher = tokio::spawn(watch_store(state.clone()));
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    served
}

/// Invalidates the answer cache whenever the store's data version moves (a commit by any
/// other connection, this server's own writer included), so cached answers can live long
/// without going stale.
async fn watch_store(state: AppState) {
    let mut last = None;
    let mut ticks = tokio::time::interval(STORE_POLL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // One dedicated connection: `data_version` compares commits against this connection.
    let Ok(reader) = state.inner.store.reader() else {
        return;
    };
    let reader = Arc::new(Mutex::new(reader));
    loop {
        ticks.tick().await;
        let r = Arc::clone(&reader);
        let version =
            tokio::task::spawn_blocking(move || r.lock().ok().and_then(|r| r.data_version().ok()))
                .await
                .ok()
                .flatten();
        if let Some(v) = version {
            if last.is_some_and(|l| l != v) {
                state.inner.cache.invalidate();
            }
            last = Some(v);
        }
    }
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

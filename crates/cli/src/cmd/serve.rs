//! `dyad serve`: the HTTP JSON API over an event store (routes in `GET /v1/openapi.json`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use dyad_server::{AppState, PipelineOptions, ServerConfig};

/// Flags of this subcommand.
#[derive(clap::Args)]
pub struct Args {
    /// The event store (SQLite file; created if absent).
    #[arg(long)]
    pub db: PathBuf,
    /// Address to listen on. The default answers only this machine.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// More dictionaries in dyad's format (`.dyad`), loaded after the defaults.
    #[arg(long)]
    pub dict: Vec<PathBuf>,
    /// Do not load the embedded default dictionaries (use only `--dict` files).
    #[arg(long)]
    pub no_default_dict: bool,
    /// Largest request body, in MiB (larger bodies get 413).
    #[arg(long, default_value_t = 10)]
    pub max_body_mib: usize,
    /// Longest time to answer a request, in seconds (then 503).
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = PipelineOptions {
        dicts: args.dict.clone(),
        no_default_dict: args.no_default_dict,
    };
    let (pipeline, warnings) = dyad_server::build_pipeline(&options)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let store = dyad_store::Store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", args.db.display()))?;
    let config = ServerConfig {
        body_limit: args.max_body_mib.saturating_mul(1024 * 1024),
        request_timeout: Duration::from_secs(args.timeout_secs.max(1)),
        ..ServerConfig::default()
    };
    let state = AppState::new(store, pipeline, config)?;
    dyad_server::run(&args.addr, state, |addr| {
        eprintln!("serve: listening on http://{addr} (Ctrl-C stops)");
    })?;
    eprintln!("serve: stopped");
    Ok(ExitCode::SUCCESS)
}

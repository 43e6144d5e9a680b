//! Serves a store like `dyad serve`, with the server settings exposed for experiments
//! (`scripts/loadtest.sh` uses it when `CACHE_MS` is set):
//!
//! ```text
//! cargo run --release -p dyad-server --example serve -- --db events.db --addr 127.0.0.1:8080 --cache-ms 0
//! ```

use std::time::Duration;

use dyad_server::{build_pipeline, AppState, PipelineOptions, ServerConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let db = opt("--db").ok_or("--db FILE is required")?;
    let addr = opt("--addr").unwrap_or_else(|| "127.0.0.1:8080".into());
    let mut config = ServerConfig::default();
    if let Some(ms) = opt("--cache-ms") {
        config.cache_ttl = Duration::from_millis(ms.parse()?);
    }
    let (pipeline, _) = build_pipeline(&PipelineOptions::default())?;
    let store = dyad_store::Store::open(&db)?;
    let state = AppState::new(store, pipeline, config)?;
    dyad_server::run(&addr, state, |a| eprintln!("serve example: http://{a}/"))?;
    Ok(())
}

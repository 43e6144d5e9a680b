//! What the server's integration tests share.

use std::net::SocketAddr;

use dyad_server::{serve, AppState};

/// Serves `state` on 127.0.0.1 at a free port, on a runtime of its own: the server runs
/// until the returned runtime is dropped.
pub fn spawn_server(state: AppState) -> (tokio::runtime::Runtime, SocketAddr) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(serve(listener, state));
    (runtime, addr)
}

//! `crosscheck serve`: runs the server until SIGTERM or SIGINT, then drains and exits 0.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use crosscheck_server::ServeConfig;

pub fn run(listen: SocketAddr, data_dir: PathBuf, demo: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("crosscheck-io")
        .build()?;
    runtime.block_on(async move {
        let config = ServeConfig {
            listen,
            data_dir,
            demo,
        };
        crosscheck_server::serve(
            config,
            |addr| eprintln!("crosscheck: ready on {addr}"),
            shutdown_signal(),
        )
        .await
        .context("server failed")
    })
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let term = signal(SignalKind::terminate());
    let int = signal(SignalKind::interrupt());
    match (term, int) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        // Without signal handlers the process still stops on the default action.
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(error = %e, "cannot install signal handlers");
            std::future::pending::<()>().await;
        }
    }
    tracing::info!("shutting down: finishing calls in flight");
}

//! `crosscheck serve`: runs the server until SIGTERM or SIGINT, then drains and exits 0.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use crosscheck_server::ServeConfig;

pub fn run(listen: SocketAddr, data_dir: PathBuf, demo: bool, ops: &str) -> anyhow::Result<()> {
    let ops_listen = match ops {
        "off" => None,
        addr => Some(
            addr.parse()
                .with_context(|| format!("--ops-listen `{addr}`: not an address or `off`"))?,
        ),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("crosscheck-io")
        .build()?;
    runtime.block_on(async move {
        let config = ServeConfig {
            listen,
            data_dir,
            demo,
            ops_listen,
        };
        crosscheck_server::serve(
            config,
            |bound| match bound.ops {
                Some(ops) => eprintln!("crosscheck: ready on {} (ops on http://{ops})", bound.grpc),
                None => eprintln!("crosscheck: ready on {}", bound.grpc),
            },
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

//! `crosscheck serve`: reads the configuration (file, environment, flags), starts logging as it
//! says, runs the server until SIGTERM or SIGINT, then drains and exits 0. And `crosscheck config
//! check`, which reads a file the same way.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use crosscheck_server::config::{self, Flags, LogFilter, LogFormat, OpsListen};

/// Each flag overrides the configuration file and the `CROSSCHECK_*` environment.
#[derive(clap::Args)]
pub struct Args {
    /// TOML configuration file [env: CROSSCHECK_CONFIG]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// gRPC address [default: 127.0.0.1:50051]
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// RocksDB directory, created when missing [default: ./crosscheck-data]
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Fill an empty store with generated demo data first
    #[arg(long)]
    demo: bool,
    /// HTTP address of /metrics, /healthz and /readyz; `off` to go without [default: 127.0.0.1:9051]
    #[arg(long, value_name = "ADDR")]
    ops_listen: Option<OpsListen>,
    /// Log filter in `tracing` syntax, e.g. `crosscheck_server=debug` [default: info]
    #[arg(long, value_name = "FILTER")]
    log_filter: Option<LogFilter>,
    /// `human` or `json` lines on stderr [default: human]
    #[arg(long, value_name = "FORMAT")]
    log_format: Option<LogFormat>,
    /// Unary calls taking at least this long are logged at warn [default: 100]
    #[arg(long, value_name = "MS")]
    slow_request_ms: Option<u64>,
    /// Development mode: no client certificates, each call names its country in the
    /// `crosscheck-country` metadata. Loopback addresses only; never for real data
    #[arg(long)]
    insecure_dev: bool,
    /// The server's certificate (PEM), e.g. from `crosscheck certs`
    #[arg(long, value_name = "FILE", conflicts_with = "insecure_dev")]
    tls_cert: Option<PathBuf>,
    /// The server's private key (PEM)
    #[arg(long, value_name = "FILE", conflicts_with = "insecure_dev")]
    tls_key: Option<PathBuf>,
    /// The CA (PEM) whose client certificates are accepted; the caller is the certificate's
    /// `crosscheck://ROLE/NAME` SAN
    #[arg(long, value_name = "FILE", conflicts_with = "insecure_dev")]
    tls_client_ca: Option<PathBuf>,
    /// Calls per second per caller; 0 for no limit [default: 0]
    #[arg(long, value_name = "N")]
    limit_rate: Option<u64>,
    /// Calls a caller may make at once above its rate [default: one second's worth]
    #[arg(long, value_name = "N")]
    limit_burst: Option<u64>,
    /// Calls in flight per caller; 0 for no cap [default: 1024]
    #[arg(long, value_name = "N")]
    limit_concurrency: Option<u64>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let flags = Flags {
        config: args.config,
        listen: args.listen,
        data_dir: args.data_dir,
        demo: args.demo,
        ops_listen: args.ops_listen,
        slow_request_ms: args.slow_request_ms,
        log_filter: args.log_filter,
        log_format: args.log_format,
        insecure_dev: args.insecure_dev,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        tls_client_ca: args.tls_client_ca,
        limit_rate: args.limit_rate,
        limit_burst: args.limit_burst,
        limit_concurrency: args.limit_concurrency,
    };
    let config = config::load(&flags, std::env::vars_os()).context("configuration")?;
    crate::logging::init(&config.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("crosscheck-io")
        .build()?;
    runtime.block_on(async move {
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

/// Prints the effective settings (as a file) when valid; every problem otherwise.
pub fn check(file: &Path) -> anyhow::Result<()> {
    let config = config::check_file(file)
        .map_err(|problems| anyhow::anyhow!("{}: {problems}", file.display()))?;
    eprintln!(
        "{}: valid; the settings it gives (before environment and flags):",
        file.display()
    );
    print!("{config}");
    Ok(())
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

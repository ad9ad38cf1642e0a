//! crosscheck-server: the gRPC front end. Thin tonic adapters that read the caller's identity,
//! convert messages, call one `Engine` method and map the result; plus health, reflection, the
//! demo data set, start-up and graceful shutdown; the configuration (`config`) and the log
//! line of every call (`calls`). Business rules live in the engine.

mod accounting;
mod audit;
mod batch;
mod calls;
pub mod config;
mod deadline;
pub mod identity;
pub mod limits;
mod metrics;
mod ops;
mod service;
mod status;
mod writes;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crosscheck_core::Engine;
use crosscheck_core::synth::{self, GenConfig};
use crosscheck_proto::pb::audit_server::AuditServer;
use crosscheck_proto::pb::crosscheck_server::CrosscheckServer;
use crosscheck_proto::pb::notices_server::NoticesServer;
use crosscheck_store::RocksStore;
use tokio::net::TcpListener;
use tracing::{error, info, warn};

/// How long calls in flight may take to finish after a stop is asked for.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Largest message accepted, sized for import chunks of a few thousand lines.
const MAX_MESSAGE_BYTES: usize = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    // The cause is the error's source, which reports print after it (not repeated here).
    #[error("cannot open the store in {dir}")]
    Store {
        dir: PathBuf,
        source: crosscheck_core::Error,
    },
    #[error("cannot listen on {addr}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("demo data: {0}")]
    Demo(String),
    #[error("reflection: {0}")]
    Reflection(String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error(
        "--insecure-dev is refused on {0}: development mode (no client certificates) listens on loopback addresses only"
    )]
    InsecureNotLoopback(SocketAddr),
    #[error("transport")]
    Transport(#[from] tonic::transport::Error),
    #[error("start-up task failed")]
    Join(#[from] tokio::task::JoinError),
    #[error("cannot start the upsert writer")]
    Writer(#[source] std::io::Error),
}

/// How callers prove who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// Mutual TLS: the server's certificate and key (PEM), and the CA that issues the bureaus',
    /// operators' and auditors' client certificates. Calls without a valid one are refused.
    Tls {
        cert: PathBuf,
        key: PathBuf,
        client_ca: PathBuf,
    },
    /// Development only: no certificates; callers name their country in metadata. Refused on
    /// addresses other than loopback.
    InsecureDev,
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Fill an empty store with generated demo data on first start.
    pub demo: bool,
    /// HTTP address for `/metrics`, `/healthz` and `/readyz`; none to go without.
    pub ops_listen: Option<SocketAddr>,
    /// None only for a configuration file checked on its own, which may leave the choice to
    /// flags or the environment; `serve` refuses it.
    pub security: Option<Security>,
    pub limits: limits::LimitConfig,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: config::DEFAULT_LISTEN,
            data_dir: PathBuf::from(config::DEFAULT_DATA_DIR),
            demo: false,
            ops_listen: Some(config::DEFAULT_OPS_LISTEN),
            // The binary requires a choice (config::load); tests and benchmarks run on loopback.
            security: Some(Security::InsecureDev),
            limits: limits::LimitConfig::default(),
        }
    }
}

/// Where a started server listens.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub grpc: SocketAddr,
    /// None when not asked for or when its address could not be bound.
    pub ops: Option<SocketAddr>,
}

/// Sizes of the demo data set: large enough to be interesting, small enough to load in seconds.
pub const DEMO: GenConfig = GenConfig {
    persons: 5_000,
    documents: 50_000,
    objects: 10_000,
    seed: 2024,
};

/// The TLS settings of `Security::Tls`, files read and checked.
fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
    client_ca: &std::path::Path,
) -> Result<tonic::transport::ServerTlsConfig, ServeError> {
    use tonic::transport::{Certificate, Identity, ServerTlsConfig};
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| ServeError::Tls(format!("cannot read {}: {e}", p.display())))
    };
    Ok(ServerTlsConfig::new()
        .identity(Identity::from_pem(read(cert)?, read(key)?))
        .client_ca_root(Certificate::from_pem(read(client_ca)?))
        .client_auth_optional(false))
}

/// Opens the store and rebuilds the index (blocking: call from a blocking context).
fn open_engine(config: &ServeConfig) -> Result<(Arc<Engine>, Arc<RocksStore>), ServeError> {
    let store_error = |source| ServeError::Store {
        dir: config.data_dir.clone(),
        source,
    };
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| store_error(crosscheck_core::Error::Store(e.to_string())))?;
    let store = Arc::new(RocksStore::open(&config.data_dir).map_err(store_error)?);
    let saved = crosscheck_store::saved_index(&config.data_dir);
    let (engine, parts) = Engine::open_saved(store.clone(), &saved).map_err(store_error)?;
    for why in &parts.not_read {
        warn!(reason = %why, "saved index not read; rebuilt from the store");
    }
    info!(
        documents = parts.documents,
        persons_and_objects = parts.records,
        "index parts read from their saved copies (false: rebuilt from the store)"
    );
    if config.demo && engine.stats().records == Default::default() {
        load_demo(&engine)?;
    }
    Ok((Arc::new(engine), store))
}

/// The examples of the record format (shared/spec/records.md), so that the README's example
/// lookups find something in the demo data.
const DEMO_EXAMPLES: &str = include_str!("demo_examples.ndjson");

fn load_demo(engine: &Engine) -> Result<(), ServeError> {
    let mut buf = Vec::new();
    synth::generate(&DEMO, &mut buf).map_err(|e| ServeError::Demo(e.to_string()))?;
    let text = String::from_utf8(buf).map_err(|e| ServeError::Demo(e.to_string()))?;
    let lines = text
        .lines()
        .chain(DEMO_EXAMPLES.lines())
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.to_owned()))
        .collect();
    let report = engine
        .import(crosscheck_core::Caller::Platform, lines, false)
        .map_err(|e| ServeError::Demo(e.to_string()))?;
    if let Some(r) = report.rejected.first() {
        return Err(ServeError::Demo(format!("line {}: {}", r.line, r.message)));
    }
    info!(records = report.stored, "demo data loaded");
    Ok(())
}

/// Binds the listeners first (so a port of 0 can be reported and orchestrators can ask
/// `/readyz` while the index loads), then serves until `shutdown` resolves, finishing calls in
/// flight. `on_ready` receives the bound addresses once calls are served.
pub async fn serve(
    config: impl Into<config::Config>,
    on_ready: impl FnOnce(Bound),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let config::Config {
        serve: config,
        slow_request,
        ..
    } = config.into();
    let started = Instant::now();
    let tls = match &config.security {
        Some(Security::Tls {
            cert,
            key,
            client_ca,
        }) => Some(tls_config(cert, key, client_ca)?),
        Some(Security::InsecureDev) if !config.listen.ip().is_loopback() => {
            return Err(ServeError::InsecureNotLoopback(config.listen));
        }
        None => {
            return Err(ServeError::Tls(
                "no certificates and no --insecure-dev: choose one".into(),
            ));
        }
        Some(Security::InsecureDev) => {
            warn!(
                "INSECURE DEVELOPMENT MODE: no client certificates; every caller names its own country. Never serve real data this way"
            );
            None
        }
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        // An error means the sender is gone, which is a stop too.
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let ready = ops::Readiness::default();
    let mut ops_addr = None;
    if let Some(addr) = config.ops_listen {
        // Operations data must not keep the lookups from being served.
        match TcpListener::bind(addr).await {
            Ok(listener) => {
                ops_addr = listener.local_addr().ok();
                tokio::spawn(ops::serve(
                    listener,
                    ready.clone(),
                    stopped(stop_rx.clone()),
                ));
            }
            Err(e) => warn!(%addr, error = %e, "ops endpoint not started"),
        }
    }
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Listen {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: config.listen,
        source,
    })?;
    let (engine, store) = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || open_engine(&config)).await??
    };
    let stats = engine.stats();
    info!(
        persons = stats.records.persons,
        documents = stats.records.documents,
        objects = stats.records.objects,
        ms = started.elapsed().as_millis() as u64,
        "index loaded"
    );

    let (health, health_service) = tonic_health::server::health_reporter();
    let _ = ready.set(engine.clone());
    metrics::METRICS.ready.set(1);
    let (trail, writer) = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || audit::Trail::open(store))
            .await?
            .map_err(|source| ServeError::Store {
                dir: config.data_dir.clone(),
                source,
            })?
    };
    let gate = service::Gate {
        identify: identity::Identify::new(tls.is_none()),
        limits: limits::Limits::new(config.limits),
        trail,
    };
    let accounting = Arc::new(accounting::AccountingService::new(
        store.clone(),
        gate.clone(),
    ));
    let (writes, write_thread) =
        writes::Writes::start(engine.clone()).map_err(ServeError::Writer)?;
    let service = service::CrosscheckService::new(engine.clone(), writes, store, gate, started);
    health
        .set_serving::<CrosscheckServer<service::CrosscheckService>>()
        .await;
    let reflection = |b: tonic_reflection::server::Builder<'static>| {
        b.register_encoded_file_descriptor_set(crosscheck_proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_error =
        |e: tonic_reflection::server::Error| ServeError::Reflection(e.to_string());
    // grpcurl 1.8 speaks only v1alpha; newer clients use v1.
    let reflection_v1 = reflection(tonic_reflection::server::Builder::configure())
        .build_v1()
        .map_err(reflection_error)?;
    let reflection_v1alpha = reflection(tonic_reflection::server::Builder::configure())
        .build_v1alpha()
        .map_err(reflection_error)?;

    info!(%addr, ops = ?ops_addr, "ready to serve");
    on_ready(Bound {
        grpc: addr,
        ops: ops_addr,
    });
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = tls {
        builder = builder.tls_config(tls)?;
    }
    let server = builder
        .layer(calls::CallLayer::new(slow_request))
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(
            CrosscheckServer::new(service)
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        )
        .add_service(AuditServer::from_arc(accounting.clone()))
        .add_service(NoticesServer::from_arc(accounting))
        // Small answers must leave at once: without TCP_NODELAY, Nagle's algorithm meets the
        // client's delayed ACK and holds some answers for ~40 ms.
        .serve_with_incoming_shutdown(
            tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true)),
            stopped(stop_rx.clone()),
        );
    // Calls in flight get DRAIN to finish once a stop is asked for; a long screening stream
    // must not hold a shutdown for minutes. Every acknowledged write is already durable.
    let drain_deadline = async move {
        stopped(stop_rx).await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        served = server => served?,
        () = drain_deadline => warn!(seconds = DRAIN.as_secs(), "calls still in flight after the drain time; stopping"),
    }
    // The services are gone with the server; the writers end once the last call lets go.
    join_within_drain("audit", move || writer.join()).await;
    join_within_drain("upsert", move || {
        if write_thread.join().is_err() {
            error!("the upsert writer panicked");
        }
    })
    .await;
    metrics::METRICS.ready.set(0);
    // Read back at the next start instead of rebuilt; a failure costs only that.
    let saving = Instant::now();
    let saved = crosscheck_store::saved_index(&config.data_dir);
    match tokio::task::spawn_blocking(move || engine.save_index(&saved)).await? {
        Ok(parts) if parts.documents || parts.records => info!(
            documents = parts.documents,
            persons_and_objects = parts.records,
            ms = saving.elapsed().as_millis() as u64,
            "index saved"
        ),
        Ok(_) => {}
        Err(e) => warn!(error = %e, "index not saved; the next start rebuilds it"),
    }
    info!("stopped");
    Ok(())
}

/// Waits at most [`DRAIN`] for a writer thread to finish what it was handed.
async fn join_within_drain(what: &str, join: impl FnOnce() + Send + 'static) {
    let joined = tokio::task::spawn_blocking(join);
    if tokio::time::timeout(DRAIN, joined).await.is_err() {
        warn!("the {what} writer did not finish within the drain time");
    }
}

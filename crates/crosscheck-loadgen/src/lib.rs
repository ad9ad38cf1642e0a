//! crosscheck-loadgen: load against a running crosscheck server, at a fixed offered rate (open
//! loop, latency from each request's intended send time) or as fast as it answers (closed
//! loop), with a realistic mix of document checks, person searches, object checks and batch
//! screening drawn from a data set file. Latencies go into HDR histograms; the report is a
//! table and JSON. Used by the `crosscheck-loadgen` binary and by `crosscheck loadgen`.
//!
//! Talks to the server only through `crosscheck-client`; must not depend on the server.

pub mod dataset;
mod grpc;
mod in_process;
pub mod report;
pub mod schedule;
pub mod workload;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crosscheck_client::{Client, ClientError};
use crosscheck_core::CountryCode;

pub use crate::dataset::Dataset;
pub use crate::in_process::InProcess;
pub use crate::report::Report;
pub use crate::workload::{Kind, Mix, Op, Workload};

/// Causes are part of each message, not chained, so that `{:#}` prints them once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(String),
    #[error("cannot read {path}: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path} line {line}: {reason}")]
    Dataset {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error(transparent)]
    Connect(ClientError),
    #[error("cannot write {what}: {cause}")]
    Write { what: String, cause: std::io::Error },
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{failed} of {requests} requests failed")]
    Failed { failed: u64, requests: u64 },
}

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// A fixed offered rate; latency from each request's intended send time
    Open,
    /// As fast as the server answers, `--concurrency` requests in flight
    Closed,
}

/// The settings of a run, parsed by clap for both binaries; bad values are usage errors.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    pub server: String,
    /// Instead of a server, import the data set into an in-memory engine in this process and
    /// send the same requests to it directly: the reference a gRPC run is compared with
    #[arg(long)]
    pub in_process: bool,
    /// Record file (NDJSON, as `crosscheck gen` writes it) that keys are drawn from
    #[arg(long)]
    pub dataset: PathBuf,
    #[arg(long, value_enum, default_value_t = Mode::Open)]
    pub mode: Mode,
    /// Requests a second offered (open loop)
    #[arg(long, default_value_t = 1000.0, value_parser = positive)]
    pub rate: f64,
    /// Measured requests (after the warm-up); the run ends at this count or `--duration`
    #[arg(long, required_unless_present = "duration", value_parser = clap::value_parser!(u64).range(1..))]
    pub requests: Option<u64>,
    /// Measured seconds (after the warm-up)
    #[arg(long, value_parser = positive)]
    pub duration: Option<f64>,
    /// Seconds of requests sent before measuring
    #[arg(long, default_value_t = 1.0, value_parser = non_negative)]
    pub warmup: f64,
    /// HTTP/2 connections to the server
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub connections: u16,
    /// Requests in flight at most
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Weights of the request kinds
    #[arg(long, default_value_t = Mix::default())]
    pub mix: Mix,
    /// Share of queries whose key is in the data set (the rest are misses)
    #[arg(long, default_value_t = 0.0001, value_parser = fraction)]
    pub hit_ratio: f64,
    /// Document queries per screening request or `LookupDocuments` batch
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    pub batch: u16,
    /// Country the requests are made as
    #[arg(long, default_value = "FRA", value_parser = country)]
    pub caller: CountryCode,
    /// Seed of the request draws
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the report as JSON to this file
    #[arg(long)]
    pub report: Option<PathBuf>,
}

fn number(s: &str) -> std::result::Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("`{s}` is not a number"))
}

fn positive(s: &str) -> std::result::Result<f64, String> {
    number(s).and_then(|v| {
        (v > 0.0)
            .then_some(v)
            .ok_or_else(|| "must be above 0".to_owned())
    })
}

fn non_negative(s: &str) -> std::result::Result<f64, String> {
    number(s).and_then(|v| {
        (v >= 0.0)
            .then_some(v)
            .ok_or_else(|| "must not be negative".to_owned())
    })
}

fn fraction(s: &str) -> std::result::Result<f64, String> {
    number(s).and_then(|v| {
        (0.0..=1.0)
            .contains(&v)
            .then_some(v)
            .ok_or_else(|| "must be between 0 and 1".to_owned())
    })
}

fn country(s: &str) -> std::result::Result<CountryCode, String> {
    CountryCode::parse(s).map_err(|e| e.to_string())
}

/// Loads the data set, connects (or loads the in-process engine), sends the load and measures
/// it.
pub async fn run(config: &Config) -> Result<Report> {
    let (path, caller) = (config.dataset.clone(), config.caller);
    let dataset = tokio::task::spawn_blocking(move || Dataset::load(&path, caller))
        .await
        .map_err(|e| Error::Config(format!("loading the data set failed: {e}")))??;
    let workload = Workload::new(
        Arc::new(dataset),
        config.mix,
        config.hit_ratio,
        usize::from(config.batch),
        config.seed,
    );
    let (target, measured) = if config.in_process {
        let path = config.dataset.clone();
        let engine = tokio::task::spawn_blocking(move || InProcess::load(&path, caller))
            .await
            .map_err(|e| Error::Config(format!("loading the in-process engine failed: {e}")))??;
        (
            "in-process".to_owned(),
            measure(Arc::new(engine), config, workload).await,
        )
    } else {
        let mut clients = Vec::new();
        for _ in 0..config.connections {
            clients.push(
                Client::connect(&config.server)
                    .await
                    .map_err(Error::Connect)?,
            );
        }
        let target = Arc::new(grpc::Grpc { clients, caller });
        (
            config.server.clone(),
            measure(target, config, workload).await,
        )
    };
    Ok(Report {
        target,
        mode: match config.mode {
            Mode::Open => "open",
            Mode::Closed => "closed",
        },
        offered_rate: (config.mode == Mode::Open).then_some(config.rate),
        connections: usize::from(config.connections),
        concurrency: usize::from(config.concurrency),
        caller: caller.to_string(),
        mix: config.mix.to_string(),
        hit_ratio: config.hit_ratio,
        batch: usize::from(config.batch),
        warmup_s: config.warmup,
        elapsed_s: measured.elapsed.as_secs_f64(),
        figures: measured.recorder.figures(measured.elapsed),
        send_delay_us: measured.recorder.send_delay(),
    })
}

/// Sends the workload to `target` on the configured schedule.
async fn measure<T: schedule::Target>(
    target: Arc<T>,
    config: &Config,
    workload: Workload,
) -> schedule::Measured {
    let bounds = schedule::Bounds {
        requests: config.requests,
        duration: config.duration.map(Duration::from_secs_f64),
        warmup: Duration::from_secs_f64(config.warmup),
        concurrency: usize::from(config.concurrency),
    };
    match config.mode {
        Mode::Open => {
            let mut w = workload;
            schedule::open_loop(target, move || w.next_op(), config.rate, bounds).await
        }
        Mode::Closed => {
            let sources = (0..u64::from(config.concurrency)).map(|i| {
                let mut w = workload.fork(i);
                move || w.next_op()
            });
            schedule::closed_loop(target, sources, bounds).await
        }
    }
}

/// A whole run as the binaries make it: the summary to `out`, the JSON report to its file,
/// and an error when any request failed.
pub fn run_to_end(config: &Config, out: &mut impl Write) -> Result<Report> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("loadgen")
        .build()
        .map_err(Error::Runtime)?;
    let report = runtime.block_on(run(config))?;
    let written = |what: &str| {
        let what = what.to_owned();
        move |cause| Error::Write { what, cause }
    };
    write!(out, "{}", report.summary()).map_err(written("the summary"))?;
    if let Some(path) = &config.report {
        std::fs::write(path, report.to_json() + "\n")
            .map_err(written(&path.display().to_string()))?;
    }
    let failed = report.errors();
    if failed > 0 {
        let requests = report.figures.last().map_or(0, |f| f.requests);
        return Err(Error::Failed { failed, requests });
    }
    Ok(report)
}

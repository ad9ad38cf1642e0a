//! End-to-end baseline: starts a real server on 127.0.0.1:0 over RocksDB in a temp dir, imports
//! a generated data set over gRPC (import rate), then runs concurrent unary document lookups,
//! half hits and half misses, for a bounded number of requests (throughput and latency
//! percentiles, client-side, including the loopback round trip).
//!
//!   grpc-bench [DOCUMENTS] [REQUESTS] [CONCURRENCY]      defaults: 1000000 200000 32

use std::time::{Duration, Instant};

use anyhow::Context;
use crosscheck_benches::{dataset, document_numbers};
use crosscheck_client::Client;
use crosscheck_client::messages::{ImportChunk, ImportLine};
use crosscheck_core::CountryCode;
use crosscheck_core::query::DocumentQuery;
use crosscheck_server::ServeConfig;
use futures::StreamExt;

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e6
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (documents, requests, concurrency) = (arg(1, 1_000_000), arg(2, 200_000), arg(3, 32));
    let dir = tempfile::tempdir()?;
    let config = ServeConfig {
        listen: "127.0.0.1:0".parse()?,
        data_dir: dir.path().to_owned(),
        demo: false,
        ops_listen: None,
        ..ServeConfig::default()
    };
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crosscheck_server::serve(
        config,
        move |bound| {
            let _ = ready_tx.send(bound.grpc);
        },
        async {
            let _ = stop_rx.await;
        },
    ));
    let addr = ready_rx.await.context("server did not start")?;
    let client = Client::connect(&format!("http://{addr}")).await?;

    let records = dataset(0, documents, 0);
    let numbers = document_numbers(&records);
    let lines: Vec<ImportLine> = records
        .iter()
        .enumerate()
        .map(|(i, r)| ImportLine {
            line: i as u64 + 1,
            json: r.to_json_line(),
            unreadable: String::new(),
        })
        .collect();
    drop(records);
    let chunks: Vec<ImportChunk> = lines
        .chunks(4096)
        .map(|c| ImportChunk {
            skip_invalid: false,
            lines: c.to_vec(),
        })
        .collect();
    let started = Instant::now();
    let summary = client.import(None, futures::stream::iter(chunks)).await?;
    let import_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        summary.rejected.is_empty(),
        "rejected lines: {:?}",
        &summary.rejected[..1]
    );
    println!(
        "import: {} documents in {import_secs:.2} s = {:.0} records/s",
        summary.stored,
        summary.stored as f64 / import_secs
    );

    let caller = CountryCode::parse("FRA").ok();
    let started = Instant::now();
    let mut latencies: Vec<Duration> = futures::stream::iter(0..requests)
        .map(|i| {
            let client = client.clone();
            let number = if i % 2 == 0 {
                numbers[(i as usize * 7919) % numbers.len()].clone()
            } else {
                format!("ZZ{i:09}")
            };
            async move {
                let q = DocumentQuery {
                    number,
                    issuing_country: None,
                    doc_type: None,
                };
                let t = Instant::now();
                client
                    .lookup_document(caller, &q)
                    .await
                    .map(|_| t.elapsed())
            }
        })
        .buffer_unordered(concurrency as usize)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let secs = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    println!(
        "lookups: {requests} in {secs:.2} s = {:.0}/s at concurrency {concurrency}; \
         latency us p50 {:.0} p90 {:.0} p99 {:.0} p99.9 {:.0} max {:.0}",
        requests as f64 / secs,
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 99.9),
        percentile(&latencies, 100.0),
    );
    let _ = stop_tx.send(());
    server.await??;
    Ok(())
}

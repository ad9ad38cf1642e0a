//! Every metric of the server in one place, named `crosscheck_<what>_<unit>`, registered in one
//! registry that the ops endpoint renders in the Prometheus text format.

use std::sync::LazyLock;
use std::time::Duration;

use crosscheck_core::index::IndexFootprint;
use crosscheck_core::store::StoreHealth;
use prometheus::{
    Counter, Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};

/// Status codes that mean the server failed rather than the caller: the status page and the
/// error-rate alert of `deploy/prometheus/alerts.yml` count these.
pub const SERVER_ERROR_CODES: &[&str] = &[
    "unknown",
    "deadline_exceeded",
    "internal",
    "unavailable",
    "data_loss",
];

/// Lookups answer in microseconds to a few milliseconds: buckets from 25 µs to 1 s, dense
/// below a millisecond where the p99 targets live.
pub(crate) const LATENCY_BUCKETS: &[f64] = &[
    0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
    0.25, 0.5, 1.0,
];

pub struct Metrics {
    pub registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub hits: IntCounterVec,
    pub lookups_by_country: IntCounterVec,
    pub records: IntGaugeVec,
    pub store_sst_bytes: IntGauge,
    pub store_pending_compaction_bytes: IntGauge,
    pub store_block_cache: IntCounterVec,
    pub store_write_stall_seconds: Counter,
    pub store_write_stopped: IntGauge,
    pub index_shard_records: IntGaugeVec,
    pub index_bytes: IntGaugeVec,
    pub ready: IntGauge,
    pub audit_entries: IntCounter,
    pub audit_queue: IntGauge,
    pub notices: IntCounter,
    pub limited: IntCounterVec,
}

fn build() -> Result<Metrics, prometheus::Error> {
    let registry = Registry::new();
    let requests = IntCounterVec::new(
        Opts::new(
            "crosscheck_grpc_requests_total",
            "gRPC calls by method and status code",
        ),
        &["method", "code"],
    )?;
    let latency = HistogramVec::new(
        HistogramOpts::new(
            "crosscheck_grpc_request_duration_seconds",
            "server time of gRPC calls by method",
        )
        .buckets(LATENCY_BUCKETS.to_vec()),
        &["method"],
    )?;
    let hits = IntCounterVec::new(
        Opts::new(
            "crosscheck_hits_total",
            "records returned by lookups, by kind",
        ),
        &["kind"],
    )?;
    let lookups_by_country = IntCounterVec::new(
        Opts::new("crosscheck_lookups_total", "lookups by requesting country"),
        &["country"],
    )?;
    let records = IntGaugeVec::new(
        Opts::new("crosscheck_records", "records in the index by kind"),
        &["kind"],
    )?;
    let store_sst_bytes =
        IntGauge::new("crosscheck_store_sst_bytes", "bytes of RocksDB SST files")?;
    let store_pending_compaction_bytes = IntGauge::new(
        "crosscheck_store_pending_compaction_bytes",
        "bytes RocksDB estimates compaction still has to rewrite",
    )?;
    let store_block_cache = IntCounterVec::new(
        Opts::new(
            "crosscheck_store_block_cache_total",
            "RocksDB block cache lookups by result (hit, miss)",
        ),
        &["result"],
    )?;
    let store_write_stall_seconds = Counter::new(
        "crosscheck_store_write_stall_seconds_total",
        "time RocksDB slowed or stopped writes for compaction to catch up",
    )?;
    let store_write_stopped = IntGauge::new(
        "crosscheck_store_write_stopped",
        "1 while RocksDB stops writes",
    )?;
    let index_shard_records = IntGaugeVec::new(
        Opts::new("crosscheck_index_shard_records", "records per index shard"),
        &["shard"],
    )?;
    let index_bytes = IntGaugeVec::new(
        Opts::new(
            "crosscheck_index_bytes",
            "estimated heap bytes of the in-memory index by part",
        ),
        &["part"],
    )?;
    let ready = IntGauge::new(
        "crosscheck_ready",
        "1 once the index is loaded and calls are served",
    )?;
    let audit_entries = IntCounter::new(
        "crosscheck_audit_entries_total",
        "entries written to the audit trail",
    )?;
    let audit_queue = IntGauge::new(
        "crosscheck_audit_queue",
        "audit entries waiting to be written when the last group was taken",
    )?;
    let notices = IntCounter::new(
        "crosscheck_hit_notices_total",
        "hit notices queued for the owners of records hit by other countries",
    )?;
    let limited = IntCounterVec::new(
        Opts::new(
            "crosscheck_limited_total",
            "calls refused by the per-bureau limits, by limit (rate, concurrency)",
        ),
        &["limit"],
    )?;
    let build_info = IntGaugeVec::new(
        Opts::new("crosscheck_build_info", "the running version"),
        &["version"],
    )?;
    build_info
        .with_label_values(&[env!("CARGO_PKG_VERSION")])
        .set(1);
    registry.register(Box::new(requests.clone()))?;
    registry.register(Box::new(latency.clone()))?;
    registry.register(Box::new(hits.clone()))?;
    registry.register(Box::new(lookups_by_country.clone()))?;
    registry.register(Box::new(records.clone()))?;
    registry.register(Box::new(store_sst_bytes.clone()))?;
    registry.register(Box::new(store_pending_compaction_bytes.clone()))?;
    registry.register(Box::new(store_block_cache.clone()))?;
    registry.register(Box::new(store_write_stall_seconds.clone()))?;
    registry.register(Box::new(store_write_stopped.clone()))?;
    registry.register(Box::new(index_shard_records.clone()))?;
    registry.register(Box::new(index_bytes.clone()))?;
    registry.register(Box::new(ready.clone()))?;
    registry.register(Box::new(audit_entries.clone()))?;
    registry.register(Box::new(audit_queue.clone()))?;
    registry.register(Box::new(notices.clone()))?;
    registry.register(Box::new(limited.clone()))?;
    registry.register(Box::new(build_info))?;
    registry.register(Box::new(
        prometheus::process_collector::ProcessCollector::for_self(),
    ))?;
    Ok(Metrics {
        registry,
        requests,
        latency,
        hits,
        lookups_by_country,
        records,
        store_sst_bytes,
        store_pending_compaction_bytes,
        store_block_cache,
        store_write_stall_seconds,
        store_write_stopped,
        index_shard_records,
        index_bytes,
        ready,
        audit_entries,
        audit_queue,
        notices,
        limited,
    })
}

/// The process-wide metrics. Building them can only fail on a programming error (a duplicate
/// or malformed name), which the tests catch.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(|| match build() {
    Ok(m) => m,
    Err(e) => panic!("metric definitions are invalid: {e}"),
});

impl Metrics {
    pub fn observe(&self, method: &str, code: tonic::Code, elapsed: Duration) {
        self.requests
            .with_label_values(&[method, crosscheck_proto::code_name(code)])
            .inc();
        self.latency
            .with_label_values(&[method])
            .observe(elapsed.as_secs_f64());
    }

    pub fn set_index_footprint(&self, index: &IndexFootprint) {
        for (shard, n) in index.shard_records.iter().enumerate() {
            self.index_shard_records
                .with_label_values(&[&shard.to_string()])
                .set(*n as i64);
        }
        for (part, bytes) in &index.bytes {
            self.index_bytes
                .with_label_values(&[part])
                .set(*bytes as i64);
        }
    }

    /// RocksDB's own counters are cumulative since start: the metric counters follow them.
    pub fn set_store_health(&self, store: &StoreHealth) {
        self.store_sst_bytes.set(store.sst_bytes as i64);
        self.store_pending_compaction_bytes
            .set(store.pending_compaction_bytes as i64);
        self.store_write_stopped.set(i64::from(store.write_stopped));
        for (result, total) in [
            ("hit", store.block_cache_hits),
            ("miss", store.block_cache_misses),
        ] {
            let counter = self.store_block_cache.with_label_values(&[result]);
            counter.inc_by(total.saturating_sub(counter.get()));
        }
        let stalled = store.write_stall_micros as f64 / 1e6;
        let behind = stalled - self.store_write_stall_seconds.get();
        if behind > 0.0 {
            self.store_write_stall_seconds.inc_by(behind);
        }
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // Encoding into a Vec cannot fail on I/O; a failure would be a malformed metric.
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_valid_and_render() {
        METRICS.observe("LookupDocument", tonic::Code::Ok, Duration::from_micros(40));
        let text = METRICS.render();
        assert!(
            text.contains(r#"crosscheck_grpc_requests_total{code="ok",method="LookupDocument"} 1"#),
            "{text}"
        );
        assert!(text.contains("crosscheck_grpc_request_duration_seconds_bucket"));
        assert!(text.contains("crosscheck_build_info"));
    }
}

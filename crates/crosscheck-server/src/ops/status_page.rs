//! The status page (`/`) for a person on call at a site without a Grafana: throughput, lookup
//! latency percentiles, hits and errors of the last minutes as charts, refreshed live.
//!
//! A sampler reads the registry every [`EVERY`] into a ring of [`KEEP`] samples, so the page
//! shows the recent past the moment it opens and does not depend on how long a browser tab has
//! been polling; `/status.json` serves the ring and the page only draws it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use prometheus::core::Collector;
use prometheus::proto::Metric;
use serde::Serialize;
use tokio::time::MissedTickBehavior;

use super::{LOOKUP_METHODS, Readiness, refresh_store_gauges};
use crate::metrics::{LATENCY_BUCKETS, METRICS, SERVER_ERROR_CODES};

/// The page itself: inline script and canvas charts, nothing fetched from elsewhere, so that it
/// works on a network without Internet access.
pub const PAGE: &str = include_str!("status_page.html");

const EVERY: Duration = Duration::from_secs(2);
/// Ten minutes of samples.
const KEEP: usize = 300;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
struct PerKind<T> {
    person: T,
    document: T,
    object: T,
}

/// Cumulative counts read at one instant; a sample is the difference of two readings.
#[derive(Debug, Clone, PartialEq)]
struct Totals {
    calls: u64,
    server_errors: u64,
    client_errors: u64,
    lookups: u64,
    hits: PerKind<u64>,
    /// Cumulative counts of the lookup calls' latency buckets ([`LATENCY_BUCKETS`]).
    latency: Vec<u64>,
    /// Every lookup call timed, the `+Inf` bucket.
    latency_count: u64,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            calls: 0,
            server_errors: 0,
            client_errors: 0,
            lookups: 0,
            hits: PerKind::default(),
            latency: vec![0; LATENCY_BUCKETS.len()],
            latency_count: 0,
        }
    }
}

/// Every series of a metric vector.
fn series(collector: &impl Collector) -> Vec<Metric> {
    collector
        .collect()
        .into_iter()
        .flat_map(|mut family| family.take_metric())
        .collect()
}

fn label<'m>(metric: &'m Metric, name: &str) -> &'m str {
    metric
        .get_label()
        .iter()
        .find(|l| l.name() == name)
        .map_or("", |l| l.value())
}

fn count(metric: &Metric) -> u64 {
    metric.get_counter().get_value() as u64
}

impl Totals {
    fn read() -> Totals {
        let mut t = Totals::default();
        for m in series(&METRICS.requests) {
            let n = count(&m);
            t.calls += n;
            match label(&m, "code") {
                "ok" => {}
                code if SERVER_ERROR_CODES.contains(&code) => t.server_errors += n,
                _ => t.client_errors += n,
            }
        }
        t.lookups = series(&METRICS.lookups_by_country).iter().map(count).sum();
        for m in series(&METRICS.hits) {
            let slot = match label(&m, "kind") {
                "person" => &mut t.hits.person,
                "document" => &mut t.hits.document,
                "object" => &mut t.hits.object,
                _ => continue,
            };
            *slot += count(&m);
        }
        // Streams (Screen, Import, Export, Watch) last as long as their callers keep them open;
        // only the lookup calls say how fast answers are.
        for m in series(&METRICS.latency) {
            if !LOOKUP_METHODS.contains(&label(&m, "method")) {
                continue;
            }
            let h = m.get_histogram();
            t.latency_count += h.get_sample_count();
            for (sum, bucket) in t.latency.iter_mut().zip(h.get_bucket()) {
                *sum += bucket.cumulative_count();
            }
        }
        t
    }
}

/// The `q` quantile of observations counted in cumulative buckets, estimated as Prometheus'
/// `histogram_quantile` does: linearly within the bucket that holds the rank, and the highest
/// finite bound when the rank lies beyond it. `None` without observations.
fn quantile(q: f64, bounds: &[f64], cumulative: &[u64], count: u64) -> Option<f64> {
    if count == 0 {
        return None;
    }
    let rank = q * count as f64;
    let (mut lower_bound, mut below) = (0.0, 0);
    for (&bound, &c) in bounds.iter().zip(cumulative) {
        if c as f64 >= rank {
            // `below < rank <= c`, so the bucket is not empty.
            let share = (rank - below as f64) / (c - below) as f64;
            return Some(lower_bound + (bound - lower_bound) * share);
        }
        (lower_bound, below) = (bound, c);
    }
    bounds.last().copied()
}

/// What happened during one sampling interval, per second.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Sample {
    /// End of the interval, Unix milliseconds.
    t: u64,
    lookups: f64,
    calls: f64,
    server_errors: f64,
    client_errors: f64,
    hits: PerKind<f64>,
    /// Lookup call latency; `None` when no lookup call ended in the interval.
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
}

impl Sample {
    fn between(before: &Totals, after: &Totals, seconds: f64, t: u64) -> Sample {
        let rate = |b: u64, a: u64| a.saturating_sub(b) as f64 / seconds;
        let latency: Vec<u64> = before
            .latency
            .iter()
            .zip(&after.latency)
            .map(|(b, a)| a.saturating_sub(*b))
            .collect();
        let timed = after.latency_count.saturating_sub(before.latency_count);
        let ms = |q| quantile(q, LATENCY_BUCKETS, &latency, timed).map(|s| s * 1e3);
        Sample {
            t,
            lookups: rate(before.lookups, after.lookups),
            calls: rate(before.calls, after.calls),
            server_errors: rate(before.server_errors, after.server_errors),
            client_errors: rate(before.client_errors, after.client_errors),
            hits: PerKind {
                person: rate(before.hits.person, after.hits.person),
                document: rate(before.hits.document, after.hits.document),
                object: rate(before.hits.object, after.hits.object),
            },
            p50_ms: ms(0.5),
            p99_ms: ms(0.99),
        }
    }
}

/// The body of `/status.json`.
#[derive(Serialize)]
struct Status<'a> {
    version: &'static str,
    ready: bool,
    interval_s: u64,
    records: PerKind<i64>,
    disk_bytes: i64,
    samples: &'a VecDeque<Sample>,
}

/// The ring of the last [`KEEP`] samples.
#[derive(Debug, Default)]
pub struct History(Mutex<VecDeque<Sample>>);

impl History {
    fn push(&self, sample: Sample) {
        let mut ring = self.0.lock();
        if ring.len() == KEEP {
            ring.pop_front();
        }
        ring.push_back(sample);
    }

    pub fn json(&self) -> String {
        let records = |kind| METRICS.records.with_label_values(&[kind]).get();
        let ring = self.0.lock();
        let status = Status {
            version: env!("CARGO_PKG_VERSION"),
            ready: METRICS.ready.get() == 1,
            interval_s: EVERY.as_secs(),
            records: PerKind {
                person: records("person"),
                document: records("document"),
                object: records("object"),
            },
            disk_bytes: METRICS.store_sst_bytes.get(),
            samples: &ring,
        };
        // Plain numbers and strings cannot fail to serialise; a failure would be a bug.
        serde_json::to_string(&status).unwrap_or_else(|e| {
            tracing::error!(error = %e, "status encoding failed");
            String::from("{}")
        })
    }
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Fills `history` every [`EVERY`] until the task is dropped.
pub async fn sample(history: Arc<History>, ready: Readiness) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + EVERY, EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut before = (Instant::now(), Totals::read());
    loop {
        tick.tick().await;
        refresh_store_gauges(&ready).await;
        let after = (Instant::now(), Totals::read());
        let seconds = after.0.duration_since(before.0).as_secs_f64();
        history.push(Sample::between(&before.1, &after.1, seconds, unix_ms()));
        before = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: &[f64] = &[0.001, 0.01, 0.1];

    #[test]
    fn quantiles_interpolate_like_prometheus() {
        // 10 calls under 1 ms, 10 between 1 and 10 ms.
        let cumulative = [10, 20, 20];
        assert_eq!(quantile(0.5, BOUNDS, &cumulative, 20), Some(0.001));
        let p75 = quantile(0.75, BOUNDS, &cumulative, 20).unwrap();
        assert!((p75 - 0.0055).abs() < 1e-12, "{p75}");
        let p25 = quantile(0.25, BOUNDS, &cumulative, 20).unwrap();
        assert!((p25 - 0.0005).abs() < 1e-12, "{p25}");
    }

    #[test]
    fn quantiles_beyond_the_last_bucket_and_without_calls() {
        // Half of the calls took longer than the last finite bound.
        assert_eq!(quantile(0.99, BOUNDS, &[0, 0, 5], 10), Some(0.1));
        assert_eq!(quantile(0.5, BOUNDS, &[0, 0, 0], 0), None);
    }

    #[test]
    fn a_sample_is_the_rate_between_two_readings() {
        let before = Totals::default();
        let mut after = Totals {
            calls: 10,
            server_errors: 2,
            client_errors: 4,
            lookups: 100,
            latency_count: 10,
            ..Totals::default()
        };
        after.hits.document = 20;
        // Every timed call under the first bucket's bound.
        after.latency.iter_mut().for_each(|c| *c = 10);
        let s = Sample::between(&before, &after, 2.0, 7);
        assert_eq!((s.t, s.calls, s.lookups), (7, 5.0, 50.0));
        assert_eq!((s.server_errors, s.client_errors), (1.0, 2.0));
        assert_eq!(s.hits.document, 10.0);
        let p99 = s.p99_ms.unwrap();
        assert!(p99 > 0.0 && p99 <= LATENCY_BUCKETS[0] * 1e3, "{p99}");
        let idle = Sample::between(&after, &after, 2.0, 9);
        assert_eq!((idle.lookups, idle.p50_ms), (0.0, None));
    }

    #[test]
    fn history_keeps_the_last_samples_and_serialises() {
        let history = History::default();
        let idle = Sample::between(&Totals::default(), &Totals::default(), 2.0, 0);
        for t in 0..KEEP as u64 + 5 {
            history.push(Sample { t, ..idle.clone() });
        }
        let json: serde_json::Value = serde_json::from_str(&history.json()).unwrap();
        let samples = json["samples"].as_array().unwrap();
        assert_eq!(samples.len(), KEEP);
        assert_eq!(samples[0]["t"], 5);
        assert_eq!(samples[0]["p99_ms"], serde_json::Value::Null);
        assert_eq!(json["interval_s"], 2);
        assert!(json["records"]["person"].is_i64());
    }
}

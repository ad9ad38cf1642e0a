//! Latencies in HDR histograms per kind of request, counts, errors by gRPC code, and the report
//! made of them: a table for people and JSON for scripts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::workload::Kind;

/// Latencies are kept in microseconds, up to an hour, with 3 significant digits.
const HIGHEST_US: u64 = 3_600_000_000;

/// What one request came back with.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `lookups` queries answered (1, or the batch of a screening stream), `with_hits` of
    /// them with at least one hit.
    Answered { lookups: u64, with_hits: u64 },
    /// The snake-case name of the gRPC status code.
    Failed { code: String },
}

#[derive(Clone)]
struct KindStats {
    latency_us: Histogram<u64>,
    lookups: u64,
    with_hits: u64,
    errors: BTreeMap<String, u64>,
}

impl KindStats {
    fn new() -> KindStats {
        KindStats {
            latency_us: histogram(),
            lookups: 0,
            with_hits: 0,
            errors: BTreeMap::new(),
        }
    }

    fn merge(&mut self, other: &KindStats) {
        // Same bounds on both sides: adding cannot fail.
        let _ = self.latency_us.add(&other.latency_us);
        self.lookups += other.lookups;
        self.with_hits += other.with_hits;
        for (code, n) in &other.errors {
            *self.errors.entry(code.clone()).or_default() += n;
        }
    }
}

/// Every measured request, by kind.
#[derive(Clone)]
pub struct Recorder {
    kinds: [KindStats; Kind::ALL.len()],
    /// Open loop: from a request's intended time to its sending, the share of its latency
    /// that the load generator itself adds.
    send_delay_us: Histogram<u64>,
}

fn histogram() -> Histogram<u64> {
    // Bounds are constants that hdrhistogram accepts.
    Histogram::new_with_bounds(1, HIGHEST_US, 3)
        .unwrap_or_else(|_| unreachable!("valid histogram bounds"))
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

impl Default for Recorder {
    fn default() -> Recorder {
        Recorder {
            kinds: std::array::from_fn(|_| KindStats::new()),
            send_delay_us: histogram(),
        }
    }
}

impl Recorder {
    pub fn record(&mut self, kind: Kind, latency: Duration, outcome: &Outcome) {
        let s = &mut self.kinds[kind.index()];
        s.latency_us.saturating_record(micros(latency));
        match outcome {
            Outcome::Answered { lookups, with_hits } => {
                s.lookups += lookups;
                s.with_hits += with_hits;
            }
            Outcome::Failed { code } => *s.errors.entry(code.clone()).or_default() += 1,
        }
    }

    pub fn record_send_delay(&mut self, delay: Duration) {
        self.send_delay_us.saturating_record(micros(delay));
    }

    /// Percentiles of the send delays, when any were recorded.
    pub fn send_delay(&self) -> Option<Latency> {
        (!self.send_delay_us.is_empty()).then(|| Latency::of(&self.send_delay_us))
    }

    pub fn requests(&self) -> u64 {
        self.kinds.iter().map(|s| s.latency_us.len()).sum()
    }

    pub fn merge(&mut self, other: &Recorder) {
        for (mine, theirs) in self.kinds.iter_mut().zip(&other.kinds) {
            mine.merge(theirs);
        }
        // Same bounds on both sides: adding cannot fail.
        let _ = self.send_delay_us.add(&other.send_delay_us);
    }

    /// Figures per kind that was requested, then `all`, over `elapsed` of measurement.
    pub fn figures(&self, elapsed: Duration) -> Vec<Figures> {
        let mut all = KindStats::new();
        let mut out = Vec::new();
        for kind in Kind::ALL {
            let s = &self.kinds[kind.index()];
            if !s.latency_us.is_empty() {
                out.push(Figures::of(kind.as_str(), s, elapsed));
                all.merge(s);
            }
        }
        out.push(Figures::of("all", &all, elapsed));
        out
    }
}

/// Latency percentiles in microseconds.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub p99_9: u64,
    pub max: u64,
    pub mean: f64,
}

impl Latency {
    fn of(h: &Histogram<u64>) -> Latency {
        Latency {
            p50: h.value_at_quantile(0.50),
            p90: h.value_at_quantile(0.90),
            p99: h.value_at_quantile(0.99),
            p99_9: h.value_at_quantile(0.999),
            max: h.max(),
            mean: h.mean(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    pub kind: String,
    pub requests: u64,
    /// Queries answered; a screening request answers its whole batch.
    pub lookups: u64,
    /// Answered queries with at least one hit.
    pub with_hits: u64,
    pub errors: u64,
    pub errors_by_code: BTreeMap<String, u64>,
    pub requests_per_s: f64,
    pub lookups_per_s: f64,
    pub latency_us: Latency,
}

impl Figures {
    fn of(kind: &str, s: &KindStats, elapsed: Duration) -> Figures {
        let h = &s.latency_us;
        let secs = elapsed.as_secs_f64().max(f64::EPSILON);
        Figures {
            kind: kind.to_owned(),
            requests: h.len(),
            lookups: s.lookups,
            with_hits: s.with_hits,
            errors: s.errors.values().sum(),
            errors_by_code: s.errors.clone(),
            requests_per_s: h.len() as f64 / secs,
            lookups_per_s: s.lookups as f64 / secs,
            latency_us: Latency::of(h),
        }
    }
}

/// How the run was made and what it measured.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The server's URL, or `in-process` for the reference engine.
    pub target: String,
    pub mode: &'static str,
    /// Requests per second asked for (open loop only).
    pub offered_rate: Option<f64>,
    pub connections: usize,
    pub concurrency: usize,
    pub caller: String,
    pub mix: String,
    pub hit_ratio: f64,
    pub batch: usize,
    pub warmup_s: f64,
    /// Time measured, from the first measured request to the last answer.
    pub elapsed_s: f64,
    /// Per kind of request, then `all`.
    pub figures: Vec<Figures>,
    /// Open loop: how late requests were sent after their intended time (included in their
    /// latency); a large value means the load generator, not the server, fell behind.
    pub send_delay_us: Option<Latency>,
}

impl Report {
    pub fn errors(&self) -> u64 {
        self.figures
            .iter()
            .filter(|f| f.kind != "all")
            .map(|f| f.errors)
            .sum()
    }

    pub fn to_json(&self) -> String {
        // A tree of plain numbers and strings always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A table of the figures, latencies in milliseconds.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let offered = self
            .offered_rate
            .map_or_else(String::new, |r| format!(" at {r:.0}/s offered"));
        let _ = writeln!(
            s,
            "{} loop{offered} against {}, {} connection(s), concurrency {}, as {}, mix {}, \
             hit ratio {}, {:.1} s measured after {:.1} s warm-up",
            self.mode,
            self.target,
            self.connections,
            self.concurrency,
            self.caller,
            self.mix,
            self.hit_ratio,
            self.elapsed_s,
            self.warmup_s
        );
        let _ = writeln!(
            s,
            "{:<9} {:>9} {:>10} {:>10} {:>8} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "kind",
            "requests",
            "req/s",
            "lookups/s",
            "hits",
            "errors",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms"
        );
        let ms = |us: u64| us as f64 / 1000.0;
        for f in &self.figures {
            let l = &f.latency_us;
            let _ = writeln!(
                s,
                "{:<9} {:>9} {:>10.0} {:>10.0} {:>8} {:>10} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
                f.kind,
                f.requests,
                f.requests_per_s,
                f.lookups_per_s,
                f.with_hits,
                f.errors,
                ms(l.p50),
                ms(l.p90),
                ms(l.p99),
                ms(l.p99_9),
                ms(l.max)
            );
        }
        if let Some(d) = &self.send_delay_us {
            let _ = writeln!(
                s,
                "send delay (intended time to sending, part of the latency): p50 {:.3} ms, \
                 p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms",
                ms(d.p50),
                ms(d.p99),
                ms(d.p99_9),
                ms(d.max)
            );
        }
        for f in self.figures.iter().filter(|f| f.kind != "all") {
            for (code, n) in &f.errors_by_code {
                let _ = writeln!(s, "errors: {} {code}: {n}", f.kind);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_per_kind_and_overall() {
        let mut r = Recorder::default();
        for ms in 1..=100 {
            let ok = Outcome::Answered {
                lookups: 1,
                with_hits: u64::from(ms % 10 == 0),
            };
            r.record(Kind::Document, Duration::from_millis(ms), &ok);
        }
        let batch = Outcome::Answered {
            lookups: 50,
            with_hits: 2,
        };
        r.record(Kind::Screen, Duration::from_millis(500), &batch);
        let failed = Outcome::Failed {
            code: "unavailable".to_owned(),
        };
        r.record(Kind::Person, Duration::from_millis(3), &failed);
        let f = r.figures(Duration::from_secs(2));
        let kinds: Vec<&str> = f.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, ["document", "person", "screen", "all"]);
        let (doc, all) = (&f[0], &f[3]);
        assert_eq!((doc.requests, doc.lookups, doc.with_hits), (100, 100, 10));
        assert_eq!(doc.requests_per_s, 50.0);
        // 3 significant digits: values within 0.1%.
        assert!(doc.latency_us.p50.abs_diff(50_000) <= 50);
        assert!(doc.latency_us.p99.abs_diff(99_000) <= 99);
        assert!(doc.latency_us.max.abs_diff(100_000) <= 100);
        assert_eq!((all.requests, all.lookups, all.with_hits), (102, 150, 12));
        assert_eq!(all.errors_by_code.get("unavailable"), Some(&1));
        assert!(all.latency_us.max.abs_diff(500_000) <= 500);
    }
}

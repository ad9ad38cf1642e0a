//! When requests are sent and how their latency is counted.
//!
//! Open loop: request `i` is due at `start + i / rate` whatever the server does, and its latency
//! runs from that intended time to its answer. A server that stalls for 100 ms therefore shows
//! up in every request due during the stall, not only in the one it was answering (no
//! coordinated omission). Requests are sent by a thread of their own, which sleeps with the
//! operating system's precision (tens of microseconds) instead of the runtime timer's
//! millisecond, and never waits for an answer.
//!
//! Closed loop: `concurrency` workers each send a request as soon as the previous one is
//! answered; the latency of each runs from its sending. This measures the most the server can
//! do, not the latency a user would see at a given rate.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::{Notify, Semaphore};

use crate::report::{Outcome, Recorder};
use crate::workload::Op;

/// What requests are sent to.
pub trait Target: Send + Sync + 'static {
    /// Sends one request; `slot` spreads requests over connections.
    fn call(&self, op: Op, slot: u64) -> impl Future<Output = Outcome> + Send;
}

/// How much to send: at least one of `requests` and `duration`, then whichever ends first.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub requests: Option<u64>,
    pub duration: Option<Duration>,
    /// Sent before measuring starts, and not measured.
    pub warmup: Duration,
    /// Requests in flight at most.
    pub concurrency: usize,
}

/// The measured requests and the time they took.
pub struct Measured {
    pub recorder: Recorder,
    pub elapsed: Duration,
}

/// Sends `rate` requests a second. Requests that cannot get one of the `concurrency` slots
/// wait for one, and their wait counts in their latency.
pub async fn open_loop<T: Target>(
    target: Arc<T>,
    mut next_op: impl FnMut() -> Op + Send + 'static,
    rate: f64,
    bounds: Bounds,
) -> Measured {
    let warmup = (bounds.warmup.as_secs_f64() * rate).round() as u64;
    let measured = [
        bounds.requests,
        bounds
            .duration
            .map(|d| (d.as_secs_f64() * rate).round() as u64),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(0)
    .max(1);
    let total = warmup + measured;
    let recorder = Arc::new(Mutex::new(Recorder::default()));
    let slots = Arc::new(Semaphore::new(bounds.concurrency));
    let finished = Arc::new((AtomicU64::new(0), Notify::new()));
    let runtime = tokio::runtime::Handle::current();
    let start = Instant::now();
    let sender = {
        let recorder = recorder.clone();
        let finished = finished.clone();
        move || {
            for i in 0..total {
                let intended = start + Duration::from_secs_f64(i as f64 / rate);
                if let Some(early) = intended.checked_duration_since(Instant::now()) {
                    std::thread::sleep(early);
                }
                let op = next_op();
                let (target, slots) = (target.clone(), slots.clone());
                let (recorder, finished) = (recorder.clone(), finished.clone());
                runtime.spawn(async move {
                    // The semaphore is never closed.
                    let _slot = slots.acquire_owned().await.ok();
                    let kind = op.kind();
                    let sent = Instant::now();
                    let outcome = target.call(op, i).await;
                    if i >= warmup {
                        let mut r = recorder.lock();
                        r.record(kind, intended.elapsed(), &outcome);
                        r.record_send_delay(sent.saturating_duration_since(intended));
                    }
                    if finished.0.fetch_add(1, Ordering::AcqRel) + 1 == total {
                        finished.1.notify_one();
                    }
                });
            }
        }
    };
    let thread = std::thread::Builder::new()
        .name("loadgen-sender".to_owned())
        .spawn(sender);
    match thread {
        Ok(_) => {
            // `notify_one` keeps its permit if nobody waits yet, so the last answer cannot
            // be missed between the check and the wait.
            while finished.0.load(Ordering::Acquire) < total {
                finished.1.notified().await;
            }
        }
        Err(_) => return empty(),
    }
    let elapsed = start.elapsed().saturating_sub(bounds.warmup);
    let recorder = recorder.lock().clone();
    Measured { recorder, elapsed }
}

fn empty() -> Measured {
    Measured {
        recorder: Recorder::default(),
        elapsed: Duration::ZERO,
    }
}

/// Runs `concurrency` workers, each drawing its requests from its own source, as fast as the
/// server answers.
pub async fn closed_loop<T: Target, F: FnMut() -> Op + Send + 'static>(
    target: Arc<T>,
    sources: impl IntoIterator<Item = F>,
    bounds: Bounds,
) -> Measured {
    let start = Instant::now();
    let measure_from = start + bounds.warmup;
    let deadline = bounds.duration.map(|d| measure_from + d);
    let limit = bounds.requests.unwrap_or(u64::MAX);
    let claimed = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for (worker, mut next_op) in sources.into_iter().enumerate() {
        let (target, claimed) = (target.clone(), claimed.clone());
        workers.push(tokio::spawn(async move {
            let mut recorder = Recorder::default();
            while Instant::now() < measure_from {
                target.call(next_op(), worker as u64).await;
            }
            while deadline.is_none_or(|d| Instant::now() < d) {
                let i = claimed.fetch_add(1, Ordering::Relaxed);
                if i >= limit {
                    break;
                }
                let op = next_op();
                let kind = op.kind();
                let sent = Instant::now();
                let outcome = target.call(op, i).await;
                recorder.record(kind, sent.elapsed(), &outcome);
            }
            recorder
        }));
    }
    let mut recorder = Recorder::default();
    for w in workers {
        // A worker only panics if the target does; its requests are then lost.
        if let Ok(r) = w.await {
            recorder.merge(&r);
        }
    }
    Measured {
        recorder,
        elapsed: measure_from.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Figures;
    use crosscheck_core::query::DocumentQuery;

    /// A server that answers at once, except that request `stall_at` holds the server for
    /// `stall`: every request arriving meanwhile waits behind it.
    struct Stalling {
        stall_at: u64,
        stall: Duration,
        busy: tokio::sync::Mutex<()>,
        calls: AtomicU64,
    }

    impl Target for Stalling {
        async fn call(&self, _op: Op, slot: u64) -> Outcome {
            self.calls.fetch_add(1, Ordering::Relaxed);
            let _server = self.busy.lock().await;
            if slot == self.stall_at {
                tokio::time::sleep(self.stall).await;
            }
            Outcome::Answered {
                lookups: 1,
                with_hits: 0,
            }
        }
    }

    fn stalling(stall_at: u64) -> Arc<Stalling> {
        Arc::new(Stalling {
            stall_at,
            stall: Duration::from_millis(200),
            busy: tokio::sync::Mutex::new(()),
            calls: AtomicU64::new(0),
        })
    }

    fn document() -> impl FnMut() -> Op + Send + 'static {
        || {
            Op::Document(DocumentQuery {
                number: "X1".to_owned(),
                issuing_country: None,
                doc_type: None,
            })
        }
    }

    fn all(m: &Measured) -> Figures {
        m.recorder
            .figures(m.elapsed)
            .pop()
            .unwrap_or_else(|| unreachable!("figures end with `all`"))
    }

    fn bounds(requests: u64, concurrency: usize) -> Bounds {
        Bounds {
            requests: Some(requests),
            duration: None,
            warmup: Duration::ZERO,
            concurrency,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn open_loop_charges_a_stall_to_every_request_due_during_it() {
        // 400 requests at 1000/s: request 100 stalls the server 200 ms, so the ~200 requests
        // due during the stall all wait. Only lower bounds are asserted: a slow machine makes
        // latencies longer, never shorter.
        let target = stalling(100);
        let m = open_loop(target.clone(), document(), 1000.0, bounds(400, 1000)).await;
        let f = all(&m);
        assert_eq!(f.requests, 400);
        assert_eq!(target.calls.load(Ordering::Relaxed), 400);
        assert!(f.latency_us.max >= 200_000, "max {} µs", f.latency_us.max);
        // The 40 slowest requests were due in the first 40 ms of the stall.
        assert!(f.latency_us.p90 >= 150_000, "p90 {} µs", f.latency_us.p90);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closed_loop_measures_from_sending() {
        // One worker waits out the stall itself and sends nothing meanwhile: the stall is in
        // the stalled request only (the coordinated omission that open loop avoids).
        let target = stalling(100);
        let m = closed_loop(target.clone(), [document()], bounds(400, 1)).await;
        let f = all(&m);
        assert_eq!(f.requests, 400);
        assert_eq!(target.calls.load(Ordering::Relaxed), 400);
        assert!(f.latency_us.max >= 200_000);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn warmup_requests_are_sent_but_not_measured() {
        let target = stalling(u64::MAX);
        let b = Bounds {
            warmup: Duration::from_millis(50),
            ..bounds(100, 8)
        };
        let m = open_loop(target.clone(), document(), 1000.0, b).await;
        assert_eq!(all(&m).requests, 100);
        assert_eq!(target.calls.load(Ordering::Relaxed), 150);
        assert!(m.recorder.send_delay().is_some());

        let target = stalling(u64::MAX);
        let m = closed_loop(target.clone(), [document(), document()], b).await;
        assert_eq!(all(&m).requests, 100);
        assert!(m.recorder.send_delay().is_none());
        assert!(target.calls.load(Ordering::Relaxed) > 100);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_first_bound_reached_ends_the_run() {
        let by_duration = Bounds {
            requests: Some(1_000_000),
            duration: Some(Duration::from_millis(100)),
            warmup: Duration::ZERO,
            concurrency: 4,
        };
        let m = open_loop(stalling(u64::MAX), document(), 500.0, by_duration).await;
        assert_eq!(all(&m).requests, 50);
        let by_count = Bounds {
            duration: Some(Duration::from_secs(3600)),
            ..bounds(30, 4)
        };
        let m = closed_loop(stalling(u64::MAX), (0..4).map(|_| document()), by_count).await;
        assert_eq!(all(&m).requests, 30);
    }
}

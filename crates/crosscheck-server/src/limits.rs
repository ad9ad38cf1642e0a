//! Per-caller limits, so that one bureau's flood cannot starve the others: a token bucket of
//! calls per second and a cap on calls in flight. A call over either is refused at once with
//! RESOURCE_EXHAUSTED and a retry hint (the `retry-after-ms` metadata), never queued.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use parking_lot::{Mutex, RwLock};
use tonic::Status;
use tonic::metadata::MetadataValue;

use crate::metrics::METRICS;

/// Metadata key of the retry hint on refused calls.
pub const RETRY_AFTER: &str = "retry-after-ms";

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitConfig {
    /// Calls per second per caller; 0 for no rate limit.
    pub rate: f64,
    /// Calls a caller may make at once above its rate (the bucket's size); at least 1.
    pub burst: f64,
    /// Calls in flight per caller; 0 for no cap.
    pub concurrency: usize,
}

impl Default for LimitConfig {
    /// No rate limit (a deployment sets one per its bureaus' traffic); 1024 calls in flight.
    fn default() -> Self {
        LimitConfig {
            rate: 0.0,
            burst: 0.0,
            concurrency: 1024,
        }
    }
}

struct Bucket {
    /// Tokens left and when they were counted.
    tokens: Mutex<(f64, Instant)>,
    in_flight: AtomicUsize,
}

#[derive(Clone)]
pub struct Limits {
    config: LimitConfig,
    buckets: Arc<RwLock<ahash::AHashMap<String, Arc<Bucket>>>>,
}

/// Held for the length of a call: counts it as in flight.
pub struct Permit(Arc<Bucket>);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Limits {
    pub fn new(config: LimitConfig) -> Limits {
        Limits {
            config,
            buckets: Arc::default(),
        }
    }

    fn bucket(&self, who: &str) -> Arc<Bucket> {
        if let Some(b) = self.buckets.read().get(who) {
            return b.clone();
        }
        let burst = self.config.burst.max(1.0);
        self.buckets
            .write()
            .entry(who.to_owned())
            .or_insert_with(|| {
                Arc::new(Bucket {
                    tokens: Mutex::new((burst, Instant::now())),
                    in_flight: AtomicUsize::new(0),
                })
            })
            .clone()
    }

    /// Admits one call of `who`, or refuses it with a hint of when to retry.
    pub fn admit(&self, who: &str) -> Result<Permit, Status> {
        let bucket = self.bucket(who);
        let in_flight = bucket.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        let permit = Permit(bucket);
        let c = &self.config;
        if c.concurrency > 0 && in_flight > c.concurrency {
            METRICS.limited.with_label_values(&["concurrency"]).inc();
            return Err(refused(
                format!(
                    "{who} has {} calls in flight, the most allowed",
                    c.concurrency
                ),
                1,
            ));
        }
        if c.rate > 0.0 {
            let mut tokens = permit.0.tokens.lock();
            let now = Instant::now();
            let refill = now.duration_since(tokens.1).as_secs_f64() * c.rate;
            tokens.0 = (tokens.0 + refill).min(c.burst.max(1.0));
            tokens.1 = now;
            if tokens.0 < 1.0 {
                let wait_ms = ((1.0 - tokens.0) / c.rate * 1000.0).ceil() as u64;
                METRICS.limited.with_label_values(&["rate"]).inc();
                return Err(refused(
                    format!("{who} is over its limit of {} calls per second", c.rate),
                    wait_ms.max(1),
                ));
            }
            tokens.0 -= 1.0;
        }
        Ok(permit)
    }
}

fn refused(why: String, retry_after_ms: u64) -> Status {
    let mut status = Status::resource_exhausted(format!("{why}; retry in {retry_after_ms} ms"));
    if let Ok(v) = MetadataValue::try_from(retry_after_ms.to_string()) {
        status.metadata_mut().insert(RETRY_AFTER, v);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_over_its_rate_is_refused_and_others_are_not() {
        let limits = Limits::new(LimitConfig {
            rate: 1.0,
            burst: 3.0,
            concurrency: 0,
        });
        let admitted = (0..10)
            .filter(|_| limits.admit("bureau:FRA").is_ok())
            .count();
        // The burst, and at most one more refilled while the loop ran.
        assert!((3..=4).contains(&admitted), "{admitted}");
        let refused = limits.admit("bureau:FRA").err().expect("over the rate");
        assert_eq!(refused.code(), tonic::Code::ResourceExhausted);
        assert!(refused.metadata().get(RETRY_AFTER).is_some());
        assert!(limits.admit("bureau:DEU").is_ok());
    }

    #[test]
    fn calls_in_flight_are_capped_until_one_ends() {
        let limits = Limits::new(LimitConfig {
            rate: 0.0,
            burst: 0.0,
            concurrency: 2,
        });
        let a = limits.admit("bureau:FRA").expect("first");
        let _b = limits.admit("bureau:FRA").expect("second");
        assert!(limits.admit("bureau:FRA").is_err());
        assert!(limits.admit("bureau:DEU").is_ok());
        drop(a);
        assert!(limits.admit("bureau:FRA").is_ok());
    }
}

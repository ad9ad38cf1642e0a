//! Every gRPC call counted and timed in the metrics and given one log line, by one tower layer
//! so that no handler can forget it: the line at debug for every call, at warn for slow unary
//! calls and for failures that operators should see. A line holds the method, the status code, the duration and the caller's country, never
//! anything from the request's body or the status message (which may quote the query).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crosscheck_core::{CountryCode, record};
use crosscheck_proto::{COUNTRY_HEADER, code_name};
use tonic::Code;
use tracing::{debug, warn};

/// Calls whose duration is the length of a stream, not a response time: never "slow".
const STREAMS: &[&str] = &[
    "/crosscheck.v1.Crosscheck/Screen",
    "/crosscheck.v1.Crosscheck/Import",
    "/crosscheck.v1.Crosscheck/Export",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

#[derive(Debug, Clone, Copy)]
pub struct CallLayer {
    slow: Duration,
}

impl CallLayer {
    pub fn new(slow: Duration) -> Self {
        CallLayer { slow }
    }
}

impl<S> tower::Layer<S> for CallLayer {
    type Service = Calls<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Calls {
            inner,
            slow: self.slow,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Calls<S> {
    inner: S,
    slow: Duration,
}

/// Who called, as far as a log may say: a country code, `platform` without one, `invalid`
/// for a header that is not a country (its text is the caller's, so it is not repeated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CallerLabel {
    Country(CountryCode),
    Platform,
    Invalid,
}

impl fmt::Display for CallerLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CallerLabel::Country(c) => c.as_str(),
            CallerLabel::Platform => "platform",
            CallerLabel::Invalid => "invalid",
        })
    }
}

fn caller(headers: &http::HeaderMap) -> CallerLabel {
    match headers.get(COUNTRY_HEADER).map(|v| v.to_str()) {
        None => CallerLabel::Platform,
        Some(Ok(text)) => {
            record::country(COUNTRY_HEADER, text).map_or(CallerLabel::Invalid, CallerLabel::Country)
        }
        Some(Err(_)) => CallerLabel::Invalid,
    }
}

/// Codes that mean the server failed or refused the caller, as opposed to a normal answer to a
/// bad or unknown query.
fn worth_a_warning(code: Code) -> bool {
    !matches!(
        code,
        Code::Ok | Code::InvalidArgument | Code::NotFound | Code::Cancelled
    )
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B, RB> tower::Service<http::Request<B>> for Calls<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<RB>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<S::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = request.uri().path().to_owned();
        let caller = caller(request.headers());
        let slow = self.slow;
        let started = Instant::now();
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await;
            let elapsed = started.elapsed();
            let duration_us = elapsed.as_micros() as u64;
            match &response {
                Ok(r) => {
                    // Failures come as trailers-only responses with the status in the headers;
                    // a successful call's status follows in the trailers.
                    let code = r
                        .headers()
                        .get("grpc-status")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.parse::<i32>().ok())
                        .map_or(Code::Ok, Code::from);
                    crate::metrics::METRICS.observe(
                        crate::ops::method_label(&method),
                        code,
                        elapsed,
                    );
                    let code_name = code_name(code);
                    if worth_a_warning(code) {
                        warn!(method, code = code_name, duration_us, %caller, "call failed");
                    } else if elapsed >= slow && !STREAMS.contains(&method.as_str()) {
                        warn!(method, code = code_name, duration_us, %caller, "slow call");
                    } else {
                        debug!(method, code = code_name, duration_us, %caller, "call");
                    }
                }
                Err(e) => warn!(method, duration_us, %caller, error = %e, "call broke"),
            }
            response
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caller_is_a_country_or_a_word_never_the_header_text() {
        let mut h = http::HeaderMap::new();
        assert_eq!(caller(&h).to_string(), "platform");
        h.insert(COUNTRY_HEADER, http::HeaderValue::from_static("D"));
        assert_eq!(caller(&h).to_string(), "DEU");
        h.insert(
            COUNTRY_HEADER,
            http::HeaderValue::from_static("Petr Smirnov"),
        );
        assert_eq!(caller(&h).to_string(), "invalid");
    }

    #[test]
    fn answers_to_bad_queries_are_not_warnings() {
        assert!(!worth_a_warning(Code::InvalidArgument));
        assert!(!worth_a_warning(Code::NotFound));
        assert!(worth_a_warning(Code::Internal));
        assert!(worth_a_warning(Code::PermissionDenied));
        assert!(worth_a_warning(Code::Unauthenticated));
    }
}

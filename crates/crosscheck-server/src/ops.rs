//! The operations side: the metric labels of gRPC calls (counted and timed in `calls`), and a
//! small HTTP endpoint for orchestrators, Prometheus and people: `/metrics`,
//! `/healthz` (the process answers), `/readyz` (the index is loaded and calls are served), and
//! the status page `/` with its data `/status.json`.

mod status_page;

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::Html;
use axum::routing::get;
use crosscheck_core::Engine;
use tokio::net::TcpListener;

use crate::metrics::METRICS;

/// Method names used as metric labels; anything else is `other`, so that callers cannot grow
/// the label set.
const METHODS: &[&str] = &[
    "LookupDocument",
    "SearchPersons",
    "LookupObject",
    "ScreenTraveller",
    "Screen",
    "UpsertRecord",
    "DeleteRecord",
    "GetRecord",
    "Import",
    "Export",
    "Stats",
    "Snapshot",
    "LookupDocuments",
    "Check",
    "Watch",
    "ServerReflectionInfo",
];

/// The one-answer lookups, whose call time is the time to answer: the latency the status page
/// shows. (The alert rules in `deploy/prometheus/alerts.yml` name the same methods.)
const LOOKUP_METHODS: &[&str] = &[
    "LookupDocument",
    "SearchPersons",
    "LookupObject",
    "ScreenTraveller",
];

pub(crate) fn method_label(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    METHODS
        .iter()
        .find(|m| **m == name)
        .copied()
        .unwrap_or("other")
}

/// Set once the index is loaded.
pub type Readiness = Arc<OnceLock<Arc<Engine>>>;

/// How often the index footprint is recomputed: it walks every record, and memory changes
/// slowly next to scrape intervals.
const FOOTPRINT_EVERY: Duration = Duration::from_secs(30);
static FOOTPRINT_AT: parking_lot::Mutex<Option<Instant>> = parking_lot::Mutex::new(None);

/// Brings the record, index and store gauges up to date; they are read from the engine rather
/// than counted, so that they stay right whatever writes the store.
async fn refresh_store_gauges(ready: &Readiness) {
    let Some(engine) = ready.get().cloned() else {
        return;
    };
    let footprint_due = {
        let mut at = FOOTPRINT_AT.lock();
        let due = at.is_none_or(|t| t.elapsed() >= FOOTPRINT_EVERY);
        if due {
            *at = Some(Instant::now());
        }
        due
    };
    let read = move || {
        let footprint = footprint_due.then(|| engine.index_footprint());
        (engine.stats(), engine.store_health(), footprint)
    };
    if let Ok((stats, store, footprint)) = tokio::task::spawn_blocking(read).await {
        let r = &stats.records;
        for (kind, n) in [
            ("person", r.persons),
            ("document", r.documents),
            ("object", r.objects),
        ] {
            METRICS.records.with_label_values(&[kind]).set(n as i64);
        }
        METRICS.set_store_health(&store);
        if let Some(footprint) = footprint {
            METRICS.set_index_footprint(&footprint);
        }
    }
}

async fn metrics(ready: Readiness) -> String {
    refresh_store_gauges(&ready).await;
    METRICS.render()
}

/// Serves the ops endpoint until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    ready: Readiness,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let history = Arc::new(status_page::History::default());
    let sampler = tokio::spawn(status_page::sample(history.clone(), ready.clone()));
    let for_metrics = ready.clone();
    let app = Router::new()
        .route("/", get(|| async { Html(status_page::PAGE) }))
        .route(
            "/status.json",
            get(move || {
                let body = history.json();
                async move {
                    (
                        [
                            (CONTENT_TYPE, "application/json"),
                            (CACHE_CONTROL, "no-store"),
                        ],
                        body,
                    )
                }
            }),
        )
        .route("/metrics", get(move || metrics(for_metrics.clone())))
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/readyz",
            get(move || {
                let ready = ready.get().is_some();
                async move {
                    if ready {
                        (StatusCode::OK, "ready\n")
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "loading the index\n")
                    }
                }
            }),
        );
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sampler.abort();
    served
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_labels_are_a_closed_set() {
        assert_eq!(
            method_label("/crosscheck.v1.Crosscheck/LookupDocument"),
            "LookupDocument"
        );
        assert_eq!(
            method_label("/crosscheck.v1.Crosscheck/Whatever123"),
            "other"
        );
        assert_eq!(method_label(""), "other");
    }

    /// The alert rules and the dashboard select server errors and lookup latency as the status
    /// page does.
    #[test]
    fn deploy_files_name_the_same_codes_and_methods() {
        let codes = crate::metrics::SERVER_ERROR_CODES.join("|");
        let methods = LOOKUP_METHODS.join("|");
        for (file, text) in [
            (
                "alerts.yml",
                include_str!("../../../deploy/prometheus/alerts.yml"),
            ),
            (
                "crosscheck.json",
                include_str!("../../../deploy/grafana/dashboards/crosscheck.json"),
            ),
        ] {
            assert!(text.contains(&codes), "{file}: {codes}");
            assert!(text.contains(&methods), "{file}: {methods}");
        }
    }
}

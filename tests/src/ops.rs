//! The ops endpoint of a real server: readiness, and metrics that follow the calls made.

use std::net::SocketAddr;

use crosscheck_core::query::DocumentQuery;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::Code;

use crate::harness::{TestServer, country};

/// One HTTP/1.1 GET over a plain socket: status code and body.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response}"));
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

/// The value of the sample whose name and labels are exactly `series`, 0 when absent.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_and_metrics_follow_the_calls() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_with(dir.path(), true).await;
    let ops = s.ops.expect("ops endpoint bound");
    assert_eq!(get(ops, "/healthz").await.0, 200);
    assert_eq!(get(ops, "/readyz").await.0, 200);
    assert_eq!(get(ops, "/nothing-here").await.0, 404);

    let line = r#"{"kind":"document","id":"D-1","owner":"DEU","number":"C01X00T47","issuing_country":"DEU","doc_type":"passport","status":"stolen"}"#;
    assert_eq!(s.import(&[line.to_owned()], false).await.stored, 1);

    // Metrics are process-wide and other tests run alongside: compare before and after, and
    // use a requesting country no other test uses.
    let (_, before) = get(ops, "/metrics").await;
    let ok = r#"crosscheck_grpc_requests_total{code="ok",method="LookupDocument"}"#;
    let invalid =
        r#"crosscheck_grpc_requests_total{code="invalid_argument",method="LookupDocument"}"#;
    let by_country = r#"crosscheck_lookups_total{country="TUV"}"#;
    let hits = r#"crosscheck_hits_total{kind="document"}"#;
    let timed = r#"crosscheck_grpc_request_duration_seconds_count{method="LookupDocument"}"#;
    let query = |number: &str| DocumentQuery {
        number: number.into(),
        issuing_country: None,
        doc_type: None,
    };
    for number in ["C01X00T47", "C01X00T47", "ZZ0000001"] {
        s.client
            .lookup_document(country("TUV"), &query(number))
            .await
            .unwrap();
    }
    let bad = s.client.lookup_document(country("TUV"), &query("!")).await;
    assert_eq!(bad.unwrap_err().code(), Code::InvalidArgument);

    let (status, after) = get(ops, "/metrics").await;
    assert_eq!(status, 200);
    let grew = |series: &str| sample(&after, series) - sample(&before, series);
    assert!(grew(ok) >= 3.0, "{after}");
    assert!(grew(invalid) >= 1.0, "{after}");
    assert!(grew(timed) >= 4.0, "{after}");
    assert!(grew(hits) >= 2.0, "{after}");
    assert_eq!(grew(by_country), 3.0, "{after}");
    assert_eq!(
        sample(&after, r#"crosscheck_records{kind="document"}"#),
        1.0
    );
    assert!(after.contains(
        r#"crosscheck_grpc_request_duration_seconds_bucket{method="LookupDocument",le="0.0001"}"#
    ));
    // Store and index health (values belong to whichever server refreshed them last: the
    // registry is process-wide, so only their presence is checked here).
    for series in [
        "crosscheck_store_sst_bytes ",
        "crosscheck_store_pending_compaction_bytes ",
        r#"crosscheck_store_block_cache_total{result="hit"}"#,
        "crosscheck_store_write_stall_seconds_total ",
        "crosscheck_store_write_stopped 0",
        r#"crosscheck_index_shard_records{shard="63"}"#,
        r#"crosscheck_index_bytes{part="documents"}"#,
        r#"crosscheck_index_bytes{part="persons"}"#,
    ] {
        assert!(after.contains(series), "{series} missing: {after}");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_is_self_contained_and_its_data_is_json() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_with(dir.path(), true).await;
    let ops = s.ops.expect("ops endpoint bound");
    let (status, page) = get(ops, "/").await;
    assert_eq!(status, 200);
    for chart in ["throughput", "latency", "hits", "errors"] {
        assert!(
            page.contains(&format!(r#"<canvas id="{chart}""#)),
            "{chart}"
        );
    }
    // Sites without Internet access: nothing may be loaded from elsewhere.
    assert!(!page.contains("http://") && !page.contains("https://"));

    let (status, body) = get(ops, "/status.json").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["ready"], true);
    assert!(json["samples"].is_array(), "{json}");
    assert!(json["records"]["document"].is_i64(), "{json}");
    s.stop().await;
}

//! Writes: strict and lenient imports, upsert and delete by the owner only, restart, export
//! round trip.

use crosscheck_core::query::DocumentQuery;
use tonic::Code;

use crate::harness::{TestServer, country, generated};

fn doc_query(number: &str) -> DocumentQuery {
    DocumentQuery {
        number: number.into(),
        issuing_country: None,
        doc_type: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_import_stores_nothing_and_names_every_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let good = r#"{"kind":"document","id":"D1","owner":"FRA","number":"QX 771204","issuing_country":"FRA","doc_type":"passport","status":"stolen"}"#;
    let lines: Vec<String> = [
        good,
        r#"{"kind":"document","id":"D2","owner":"FRA","number":"1","nubmer":"1","issuing_country":"FRA","doc_type":"passport","status":"lost"}"#,
        r#"{"kind":"document","id":"D3","owner":"FRA","number":"1","issuing_country":"FRA","doc_type":"passport"}"#,
        "{truncated",
        good,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let summary = s.import(&lines, false).await;
    assert_eq!(summary.stored, 0);
    let bad: Vec<(u64, &str)> = summary
        .rejected
        .iter()
        .map(|r| (r.line, r.message.split(':').next().unwrap_or_default()))
        .collect();
    assert_eq!(
        bad,
        [(2, "nubmer"), (3, "status"), (4, "not JSON"), (5, "id")]
    );
    let fra = country("FRA");
    assert!(
        s.client
            .lookup_document(fra, &doc_query("QX771204"))
            .await
            .unwrap()
            .hits
            .is_empty()
    );

    let summary = s.import(&lines, true).await;
    assert_eq!((summary.stored, summary.rejected.len()), (1, 4));
    assert_eq!(
        s.client
            .lookup_document(fra, &doc_query("QX771204"))
            .await
            .unwrap()
            .hits
            .len(),
        1
    );
    // An id already stored under another owner is a bad line too.
    let stolen = good.replace(r#""owner":"FRA""#, r#""owner":"DEU""#);
    let summary = s.import(&[stolen], false).await;
    assert!(
        summary.rejected[0].message.contains("permission denied"),
        "{summary:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_changes_or_deletes_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let c = &s.client;
    let rec = r#"{"kind":"object","id":"O-1","owner":"ITA","object_type":"phone","identifiers":{"imei":"490154203237518"},"status":"stolen"}"#;
    let e = c.upsert(country("FRA"), rec).await.unwrap_err();
    assert_eq!(e.code(), Code::PermissionDenied);
    let stored = c.upsert(country("ITA"), rec).await.unwrap();
    assert!(stored.contains(r#""review":"cleared""#) && stored.contains("updated_at"));
    assert_eq!(c.get(country("FRA"), "O-1").await.unwrap(), stored);
    assert_eq!(
        c.delete(country("FRA"), "O-1").await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let changed = rec.replace("stolen", "seized");
    c.upsert(country("ITA"), &changed).await.unwrap();
    assert!(
        c.get(country("ITA"), "O-1")
            .await
            .unwrap()
            .contains("seized")
    );
    c.delete(country("ITA"), "O-1").await.unwrap();
    assert_eq!(
        c.get(country("ITA"), "O-1").await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        c.delete(country("ITA"), "O-1").await.unwrap_err().code(),
        Code::NotFound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_gives_the_same_answers_and_export_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let lines = generated(300, 2000, 500);
    let s = TestServer::start(dir.path()).await;
    let summary = s.import(&lines, false).await;
    assert_eq!(
        (summary.stored, summary.rejected.len()),
        (2800, 0),
        "{summary:?}"
    );
    let exported = s.export().await;
    assert_eq!(exported.len(), 2800);
    let mut sorted = exported.clone();
    sorted.sort_by_key(|l| crosscheck_core::Record::from_json_line(l).unwrap().id);
    assert_eq!(sorted, exported, "export is ordered by id");
    let numbers: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            let r = crosscheck_core::Record::from_json_line(l).unwrap();
            match r.body {
                crosscheck_core::record::Body::Document(d) => Some(d.number),
                crosscheck_core::record::Body::Person(_)
                | crosscheck_core::record::Body::Object(_) => None,
            }
        })
        .take(50)
        .collect();
    let mut before = Vec::new();
    for n in &numbers {
        before.push(
            s.client
                .lookup_document(country("USA"), &doc_query(n))
                .await
                .unwrap()
                .hits,
        );
    }
    assert!(before.iter().any(|h| !h.is_empty()));
    s.stop().await;

    let s = TestServer::start(dir.path()).await;
    for (n, hits) in numbers.iter().zip(&before) {
        assert_eq!(
            &s.client
                .lookup_document(country("USA"), &doc_query(n))
                .await
                .unwrap()
                .hits,
            hits
        );
    }
    assert_eq!(s.export().await, exported);
    s.stop().await;

    // Into an empty store and out again: the same bytes.
    let other = tempfile::tempdir().unwrap();
    let s = TestServer::start(other.path()).await;
    let summary = s.import(&exported, false).await;
    assert_eq!(summary.stored, 2800);
    assert_eq!(s.export().await, exported);
    s.stop().await;
}

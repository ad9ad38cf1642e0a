//! Accounting and protection: every call in a verifiable audit trail, hit notices kept for an
//! owner while it is away, and per-bureau limits that keep one bureau's flood from starving
//! another. A development server, callers named in metadata (mTLS is tested through the binary,
//! in crosscheck-cli's tests).

use std::time::Duration;

use crosscheck_client::Client;
use crosscheck_client::messages::HitNotice;
use crosscheck_core::audit::{Entry, Verifier};
use crosscheck_core::query::DocumentQuery;
use crosscheck_server::ServeConfig;
use crosscheck_server::limits::{LimitConfig, RETRY_AFTER};
use tonic::Code;

use crate::harness::{TestServer, country};

fn document(id: &str, owner: &str, number: &str) -> String {
    format!(
        r#"{{"kind":"document","id":"{id}","owner":"{owner}","number":"{number}","issuing_country":"{owner}","doc_type":"passport","status":"stolen"}}"#
    )
}

fn number(n: &str) -> DocumentQuery {
    DocumentQuery {
        number: n.into(),
        issuing_country: None,
        doc_type: None,
    }
}

async fn audit_entries(client: &Client, since: &str) -> Vec<Entry> {
    let mut chunks = client.audit_export(None, since, "").await.unwrap();
    let mut entries = Vec::new();
    while let Some(chunk) = chunks.message().await.unwrap() {
        for line in chunk.entries_json {
            entries.push(Entry::from_json_line(&line).unwrap());
        }
    }
    entries
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_is_in_a_hash_chained_audit_trail_that_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let (fra, deu) = (country("FRA"), country("DEU"));
    s.client
        .upsert(fra, &document("D-1", "FRA", "AB123456"))
        .await
        .unwrap();
    let hit = s
        .client
        .lookup_document(deu, &number("AB123456"))
        .await
        .unwrap();
    assert_eq!(hit.hits.len(), 1);
    s.client
        .lookup_document(deu, &number("ZZ999"))
        .await
        .unwrap();
    s.client
        .lookup_document(deu, &number("--"))
        .await
        .unwrap_err();
    // No caller at all: refused before anything is asked, so not an entry.
    s.client
        .lookup_document(None, &number("AB123456"))
        .await
        .unwrap_err();

    let entries = audit_entries(&s.client, "").await;
    let calls: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e.who.as_str(), e.call.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        calls[..4],
        [
            ("dev:FRA", "UpsertRecord", "ok"),
            ("dev:DEU", "LookupDocument", "ok"),
            ("dev:DEU", "LookupDocument", "ok"),
            ("dev:DEU", "LookupDocument", calls[3].2),
        ]
    );
    assert!(calls[3].2.starts_with("invalid_argument: "), "{calls:?}");
    assert_eq!(entries[1].returned, ["D-1"]);
    assert!(
        entries[1].asked.contains("AB123456"),
        "{}",
        entries[1].asked
    );
    assert!(entries[2].returned.is_empty());
    // Reading the trail is accounted for too, before the read.
    let last = entries.last().unwrap();
    assert_eq!(
        (last.who.as_str(), last.call.as_str()),
        ("dev:platform", "AuditExport")
    );
    let mut v = Verifier::default();
    for e in &entries {
        v.push(e.clone()).unwrap();
    }
    let head = v.finish().head.unwrap();

    s.stop().await;
    let s = TestServer::start(dir.path()).await;
    s.client
        .lookup_document(fra, &number("AB123456"))
        .await
        .unwrap();
    let after = audit_entries(&s.client, "").await;
    let mut v = Verifier::default();
    for e in &after {
        v.push(e.clone()).unwrap();
    }
    // The chain continues across the restart: the old head is an entry of the new trail.
    assert!(after.iter().any(|e| e.hash == head));
    assert_eq!(after[entries.len()].who, "dev:FRA");
    // Bounded by time: nothing before the restart's entries.
    let since = &after[entries.len()].at;
    let recent = audit_entries(&s.client, since).await;
    assert!(recent.iter().all(|e| e.at >= *since) && !recent.is_empty());
    // Bureaus may not read the trail.
    let denied = s.client.audit_export(fra, "", "").await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    s.stop().await;
}

async fn next_notice(stream: &mut tonic::Streaming<HitNotice>) -> HitNotice {
    tokio::time::timeout(Duration::from_secs(10), stream.message())
        .await
        .expect("no notice within 10 s")
        .unwrap()
        .expect("stream ended")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_are_told_of_hits_by_others_even_after_being_away() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let (fra, deu, ita) = (country("FRA"), country("DEU"), country("ITA"));
    s.client
        .upsert(fra, &document("D-1", "FRA", "AB123456"))
        .await
        .unwrap();
    // FRA is not subscribed: two hits by others, and its own lookup, which is no notice.
    s.client
        .lookup_document(deu, &number("AB123456"))
        .await
        .unwrap();
    s.client
        .lookup_document(fra, &number("AB123456"))
        .await
        .unwrap();
    s.client
        .lookup_document(ita, &number("AB 123456"))
        .await
        .unwrap();
    s.stop().await;

    let s = TestServer::start(dir.path()).await;
    let mut stream = s.client.subscribe(fra, 0).await.unwrap();
    let first = next_notice(&mut stream).await;
    let second = next_notice(&mut stream).await;
    assert_eq!(
        (first.by.as_str(), first.record_id.as_str()),
        ("DEU", "D-1")
    );
    assert_eq!(
        (second.by.as_str(), second.kind.as_str()),
        ("ITA", "document")
    );
    assert!(first.cursor < second.cursor);
    // Live: a hit made while subscribed arrives on the open stream.
    s.client
        .lookup_document(deu, &number("AB123456"))
        .await
        .unwrap();
    let live = next_notice(&mut stream).await;
    assert_eq!(live.by, "DEU");
    drop(stream);
    // Resuming from a cursor gives what came after it, nothing before.
    let mut resumed = s.client.subscribe(fra, first.cursor).await.unwrap();
    assert_eq!(next_notice(&mut resumed).await, second);
    assert_eq!(next_notice(&mut resumed).await, live);
    // Another bureau's notices are not FRA's, and callers without a country have none.
    let mut others = s.client.subscribe(deu, 0).await.unwrap();
    let quiet = tokio::time::timeout(Duration::from_millis(300), others.message()).await;
    assert!(quiet.is_err(), "DEU got a notice: {quiet:?}");
    let none = s.client.subscribe(None, 0).await.unwrap_err();
    assert_eq!(none.code(), Code::Unauthenticated);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_bureau_is_refused_with_a_retry_hint_and_does_not_starve_another() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_config(ServeConfig {
        limits: LimitConfig {
            rate: 200.0,
            burst: 50.0,
            concurrency: 8,
        },
        ..TestServer::config(dir.path())
    })
    .await;
    let (fra, deu) = (country("FRA"), country("DEU"));
    // FRA floods: 32 callers at once, 3,200 calls in all, far above its rate.
    let flood: Vec<_> = (0..32)
        .map(|_| {
            let client = s.client.clone();
            tokio::spawn(async move {
                let (mut ok, mut refused, mut hinted) = (0, 0, 0);
                for _ in 0..100 {
                    match client.lookup_document(fra, &number("AB123456")).await {
                        Ok(_) => ok += 1,
                        Err(e) if e.code() == Code::ResourceExhausted => {
                            refused += 1;
                            hinted += usize::from(e.metadata().get(RETRY_AFTER).is_some());
                        }
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
                (ok, refused, hinted)
            })
        })
        .collect();
    // DEU, well within its own limits, meanwhile: every call answered.
    for _ in 0..50 {
        s.client
            .lookup_document(deu, &number("AB123456"))
            .await
            .expect("DEU refused while FRA floods");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (mut ok, mut refused, mut hinted) = (0, 0, 0);
    for task in flood {
        let (o, r, h) = task.await.unwrap();
        (ok, refused, hinted) = (ok + o, refused + r, hinted + h);
    }
    assert!(refused > 0 && ok > 0, "ok {ok}, refused {refused}");
    assert_eq!(hinted, refused, "every refusal carries {RETRY_AFTER}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screening_stream_stops_working_when_its_deadline_passes() {
    use crosscheck_core::query::Query;
    use crosscheck_proto::pb::crosscheck_client::CrosscheckClient;
    use futures::StreamExt;

    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let mut client = CrosscheckClient::connect(format!("http://{}", s.addr))
        .await
        .unwrap();
    // 100 queries, one every 20 ms (2 s in all), under a deadline of 300 ms.
    let queries = futures::stream::iter(0..100).then(|i| async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        crosscheck_client::screen_request(i.to_string(), &Query::Document(number("AB123456")))
    });
    let mut request = tonic::Request::new(queries);
    request.set_timeout(Duration::from_millis(300));
    request
        .metadata_mut()
        .insert(crosscheck_proto::COUNTRY_HEADER, "FRA".parse().unwrap());
    let mut answers = client.screen(request).await.unwrap().into_inner();
    let mut answered = 0;
    let ended = loop {
        let next = tokio::time::timeout(Duration::from_secs(10), answers.message())
            .await
            .expect("the stream neither answered nor ended within 10 s");
        match next {
            Ok(Some(_)) => answered += 1,
            Ok(None) => panic!("all {answered} answered: the deadline was not honoured"),
            Err(status) => break status,
        }
    };
    assert_eq!(ended.code(), Code::DeadlineExceeded, "{ended}");
    assert!(answered < 100, "{answered}");
    s.stop().await;
}

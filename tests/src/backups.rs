//! Backups by restore-and-compare: a snapshot made by a serving server while a writer keeps
//! adding records, served again (directly and from a restored copy), exported and compared with
//! what the live server held.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tonic::Code;

use crate::harness::{TestServer, country, generated};

/// The writer's records: ids `W-000001`, `W-000002`, … in the order they are written.
fn written(n: u64) -> String {
    format!(
        r#"{{"kind":"document","id":"W-{n:06}","owner":"FRA","number":"WX{n:07}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#
    )
}

fn id(line: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(line).unwrap();
    value["id"].as_str().unwrap().to_owned()
}

/// Waits, bounded, until the writer has had `n` writes acknowledged.
async fn until_written(acked: &AtomicU64, n: u64) {
    for _ in 0..6000 {
        if acked.load(Ordering::SeqCst) >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the writer did not reach {n} writes within 60 s");
}

async fn served_export(data_dir: &Path) -> Vec<String> {
    let server = TestServer::start(data_dir).await;
    let records = server.export().await;
    server.stop().await;
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_made_under_writes_serves_a_consistent_prefix_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("backups/snapshot");
    let live = TestServer::start(&dir.path().join("live")).await;
    let lines = generated(200, 2000, 300);
    assert_eq!(live.import(&lines, false).await.stored, lines.len() as u64);

    // One write after the other, each acknowledged before the next starts.
    let acked = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (client, acked, stop) = (live.client.clone(), acked.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = acked.load(Ordering::SeqCst) + 1;
                client.upsert(country("FRA"), &written(n)).await.unwrap();
                acked.store(n, Ordering::SeqCst);
            }
        })
    };
    until_written(&acked, 20).await;
    let before = acked.load(Ordering::SeqCst);
    let made = live
        .client
        .snapshot(None, snapshot.to_str().unwrap())
        .await
        .unwrap();
    let after = acked.load(Ordering::SeqCst);
    until_written(&acked, after + 20).await;
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let live_records = live.export().await;
    live.stop().await;

    // Restore first: serving the snapshot directly makes it a live store.
    let restored = dir.path().join("restored");
    let copy = crosscheck_store::restore(&snapshot, &restored).unwrap();
    let from_snapshot = served_export(&snapshot).await;
    let from_restored = served_export(&restored).await;
    assert_eq!(from_snapshot, from_restored);

    // The snapshot holds every write acknowledged before it was asked for, none started after
    // it answered, and no gap: a point in time of the live store.
    let seen = from_snapshot
        .iter()
        .filter(|l| id(l).starts_with("W-"))
        .count() as u64;
    assert!(
        (before..=after + 1).contains(&seen),
        "{seen} writes in the snapshot; {before} acknowledged before it, {after} when it answered"
    );
    let expected: Vec<&String> = live_records
        .iter()
        .filter(|l| {
            let id = id(l);
            !id.starts_with("W-") || id.as_str() <= format!("W-{seen:06}").as_str()
        })
        .collect();
    assert_eq!(from_snapshot.iter().collect::<Vec<_>>(), expected);
    assert_eq!(
        from_snapshot.len() as u64,
        made.persons + made.documents + made.objects
    );
    assert_eq!(made.documents, 2000 + seen);
    assert_eq!(copy.records.documents, made.documents);
    assert!(made.bytes > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshots_are_the_platforms_and_never_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(&dir.path().join("live")).await;
    let target = dir.path().join("snap");
    let path = target.to_str().unwrap();

    let denied = s.client.snapshot(country("FRA"), path).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied, "{denied:?}");
    assert!(!target.exists());

    let relative = s.client.snapshot(None, "snap").await.unwrap_err();
    assert_eq!(relative.code(), Code::InvalidArgument, "{relative:?}");
    assert!(relative.message().starts_with("dir: "), "{relative:?}");

    s.client.snapshot(None, path).await.unwrap();
    let again = s.client.snapshot(None, path).await.unwrap_err();
    assert_eq!(again.code(), Code::InvalidArgument, "{again:?}");
    assert!(again.message().contains("already exists"), "{again:?}");
    s.stop().await;
}

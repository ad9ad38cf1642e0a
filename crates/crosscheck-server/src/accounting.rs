//! The services over the audit trail: its export for auditors, and the hit notices a bureau
//! follows (stored first, then streamed from its cursor, so nothing is lost while it is away).

use std::sync::Arc;

use crosscheck_core::audit::{Entry, Notice};
use crosscheck_core::timestamp::rfc3339_micros;
use crosscheck_proto::pb;
use crosscheck_store::RocksStore;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::service::Gate;
use crate::status::{invalid, to_status};

/// Entries per export message, notices per store read.
const CHUNK: usize = 1000;

pub struct AccountingService {
    store: Arc<RocksStore>,
    gate: Gate,
}

impl AccountingService {
    pub fn new(store: Arc<RocksStore>, gate: Gate) -> Self {
        AccountingService { store, gate }
    }
}

/// `since`/`until` as the trail writes times; empty is no bound.
fn bound(field: &str, s: &str) -> Result<Option<String>, Status> {
    let s = s.trim();
    (!s.is_empty())
        .then(|| rfc3339_micros(field, s).map_err(invalid))
        .transpose()
}

#[tonic::async_trait]
impl pb::audit_server::Audit for AccountingService {
    type ExportStream = ReceiverStream<Result<pb::AuditChunk, Status>>;

    async fn export(
        &self,
        request: Request<pb::AuditExportRequest>,
    ) -> Result<Response<Self::ExportStream>, Status> {
        let (who, permit) = self.gate.admit(&request)?;
        who.auditor()?;
        let m = request.into_inner();
        let asked = format!("audit export since {:?} until {:?}", m.since, m.until);
        let bounds = bound("since", &m.since).and_then(|s| Ok((s, bound("until", &m.until)?)));
        // Reading the trail is itself accounted for, before the read.
        let (since, until) = self
            .gate
            .account(&who, "AuditExport", asked, Vec::new(), bounds, |_| {
                "ok".into()
            })
            .await?;
        let (tx, rx) = mpsc::channel(4);
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut chunk = Vec::with_capacity(CHUNK);
            let mut open = true;
            let send = |chunk: Vec<String>| {
                tx.blocking_send(Ok(pb::AuditChunk {
                    entries_json: chunk,
                }))
                .is_ok()
            };
            let bounded = since.is_some() || until.is_some();
            let result = store.scan_audit(1, &mut |line| {
                // Entries are written in time order: `at` only grows along the trail. Read only
                // when a bound asks for it.
                let at = if bounded {
                    Entry::from_json_line(line)
                        .map(|e| e.at)
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                if until.as_ref().is_some_and(|u| at > *u) {
                    return false;
                }
                if since.as_ref().is_none_or(|s| at >= *s) {
                    chunk.push(line.to_owned());
                }
                if chunk.len() >= CHUNK {
                    open = send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
                }
                open
            });
            match result {
                Ok(()) if open && !chunk.is_empty() => {
                    send(chunk);
                }
                Ok(()) => {}
                Err(e) => {
                    let _ = tx.blocking_send(Err(to_status(e)));
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

fn notice_message(cursor: u64, json: &str) -> Result<pb::HitNotice, Status> {
    let n: Notice = serde_json::from_str(json)
        .map_err(|e| Status::internal(format!("stored notice {cursor} unreadable: {e}")))?;
    Ok(pb::HitNotice {
        cursor: n.cursor,
        record_id: n.record_id,
        kind: n.kind,
        by: n.by,
        at: n.at,
        call: n.call,
        audit_seq: n.audit_seq,
    })
}

#[tonic::async_trait]
impl pb::notices_server::Notices for AccountingService {
    type SubscribeStream = ReceiverStream<Result<pb::HitNotice, Status>>;

    async fn subscribe(
        &self,
        request: Request<pb::SubscribeRequest>,
    ) -> Result<Response<Self::SubscribeStream>, Status> {
        // A subscription lasts for hours: it is not counted against the calls in flight.
        let (who, _permit) = self.gate.admit(&request)?;
        let owner = who.bureau()?;
        let mut cursor = request.into_inner().after;
        self.gate
            .account(
                &who,
                "Subscribe",
                format!("notices after {cursor}"),
                Vec::new(),
                Ok(()),
                |()| "ok".into(),
            )
            .await?;
        let (tx, rx) = mpsc::channel(CHUNK);
        let store = self.store.clone();
        let mut written = self.gate.trail.written();
        tokio::spawn(async move {
            loop {
                // Marked seen before reading, so a write during the read wakes the next wait.
                written.borrow_and_update();
                let page = {
                    let store = store.clone();
                    tokio::task::spawn_blocking(move || {
                        let mut page = Vec::new();
                        store
                            .scan_notices(owner, cursor, &mut |c, json| {
                                page.push(notice_message(c, json));
                                page.len() < CHUNK
                            })
                            .map(|()| page)
                    })
                    .await
                };
                let page = match page {
                    Ok(Ok(page)) => page,
                    Ok(Err(e)) => {
                        let _ = tx.send(Err(to_status(e))).await;
                        return;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(Status::internal(e.to_string()))).await;
                        return;
                    }
                };
                if page.is_empty() {
                    // Wakes on the next write; ends when the trail closes (server stopping).
                    if written.changed().await.is_err() {
                        return;
                    }
                    continue;
                }
                for notice in page {
                    let unreadable = notice.is_err();
                    if let Ok(n) = &notice {
                        cursor = n.cursor;
                    }
                    // A gone receiver means the bureau disconnected: it resumes by cursor.
                    if tx.send(notice).await.is_err() || unreadable {
                        return;
                    }
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

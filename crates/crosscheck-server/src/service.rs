//! The gRPC adapters: identity and limits, conversion, one engine call, the audit entry, and
//! mapping of the result. Every call that passes identity is in the audit trail before it is
//! answered.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crosscheck_core::query::{DocumentQuery, Hit, ObjectQuery, PersonQuery, Query};
use crosscheck_core::{CountryCode, Engine, Record};
use crosscheck_proto::pb;
use crosscheck_store::RocksStore;
use futures::StreamExt;
use rayon::prelude::*;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::info;

use crate::audit::{Item, Trail};
use crate::identity::{Identify, Principal};
use crate::limits::{Limits, Permit};
use crate::metrics::METRICS;
use crate::status::{invalid, to_status};
use crate::writes::Writes;

/// Records per export message.
const EXPORT_CHUNK: usize = 1000;
/// Screening requests taken from a stream and answered in parallel at once.
const SCREEN_BATCH: usize = 256;
/// Import lines accepted per call; a larger load is split by the client.
const MAX_IMPORT_LINES: usize = 20_000_000;

/// What every service needs to take a call: who calls, their limits, the audit trail.
#[derive(Clone)]
pub struct Gate {
    pub identify: Identify,
    pub limits: Limits,
    pub trail: Trail,
}

impl Gate {
    /// The caller, admitted under their limits for the length of the call.
    pub fn admit<T>(&self, request: &Request<T>) -> Result<(Principal, Permit), Status> {
        let principal = self.identify.principal(request)?;
        let permit = self.limits.admit(&principal.who())?;
        Ok((principal, permit))
    }

    /// Accounts for a call that returned no records, then releases its result.
    pub async fn account<T>(
        &self,
        who: &Principal,
        call: &str,
        asked: String,
        returned: Vec<String>,
        result: Result<T, Status>,
        outcome: impl FnOnce(&T) -> String,
    ) -> Result<T, Status> {
        let item = Item::call(who, call, asked, returned, result.as_ref().map(outcome));
        self.trail.append_one(item).await?;
        result
    }
}

pub struct CrosscheckService {
    engine: Arc<Engine>,
    writes: Writes,
    /// The engine's store, for snapshots: a RocksDB checkpoint is not part of the `Store` trait.
    store: Arc<RocksStore>,
    gate: Gate,
    started: Instant,
}

impl CrosscheckService {
    pub fn new(
        engine: Arc<Engine>,
        writes: Writes,
        store: Arc<RocksStore>,
        gate: Gate,
        started: Instant,
    ) -> Self {
        CrosscheckService {
            engine,
            writes,
            store,
            gate,
            started,
        }
    }

    /// Runs engine work off the async workers (rule: never block a tokio worker).
    async fn blocking<T, F>(&self, work: F) -> Result<T, Status>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> crosscheck_core::Result<T> + Send + 'static,
    {
        let engine = self.engine.clone();
        tokio::task::spawn_blocking(move || work(&engine))
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(to_status)
    }

    /// A lookup run off the async workers, accounted for, with the server-side time.
    async fn lookup<Q, F>(
        &self,
        who: &Principal,
        call: &str,
        asked: String,
        query: Result<Q, Status>,
        work: F,
    ) -> Result<Response<pb::LookupResponse>, Status>
    where
        Q: Send + 'static,
        F: FnOnce(&Engine, CountryCode, Q) -> crosscheck_core::Result<Vec<Hit>> + Send + 'static,
    {
        let caller = who.bureau()?;
        let started = Instant::now();
        let hits = match query {
            Ok(q) => self.blocking(move |e| work(e, caller, q)).await,
            Err(status) => Err(status),
        };
        self.answer(who, caller, call, asked, hits, started).await
    }

    /// Accounts for a lookup's hits (or its error), then answers.
    async fn answer(
        &self,
        who: &Principal,
        caller: CountryCode,
        call: &str,
        asked: String,
        hits: Result<Vec<Hit>, Status>,
        started: Instant,
    ) -> Result<Response<pb::LookupResponse>, Status> {
        let item = Item::lookup(who, caller, call, asked, hits.as_deref());
        self.gate.trail.append_one(item).await?;
        Ok(lookup_response(caller, hits?, started))
    }
}

/// Counts a lookup for its caller and its hits for their kinds.
fn count_lookup(caller: CountryCode, hits: &[Hit]) {
    METRICS
        .lookups_by_country
        .with_label_values(&[caller.as_str()])
        .inc();
    for h in hits {
        METRICS.hits.with_label_values(&[h.kind.as_str()]).inc();
    }
}

fn lookup_response(
    caller: CountryCode,
    hits: Vec<Hit>,
    started: Instant,
) -> Response<pb::LookupResponse> {
    count_lookup(caller, &hits);
    Response::new(pb::LookupResponse {
        hits: hits.into_iter().map(Into::into).collect(),
        latency_us: started.elapsed().as_micros() as u64,
    })
}

/// One query of a screening stream, answered on its own: errors become the result's `error`.
/// Returns the audit entry with the result.
fn screen_one(
    engine: &Engine,
    who: &Principal,
    caller: CountryCode,
    request: pb::ScreenRequest,
) -> (pb::ScreenResult, Item) {
    let started = Instant::now();
    let tag = request.tag.clone();
    let asked = format!("{request:?}");
    let answer = Query::try_from(request)
        .map_err(invalid)
        .and_then(|q| engine.run(caller, &q).map_err(to_status));
    let latency_us = started.elapsed().as_micros() as u64;
    if let Ok(a) = &answer {
        count_lookup(caller, &a.hits);
    }
    let item = Item::lookup(
        who,
        caller,
        "Screen",
        asked,
        answer.as_ref().map(|a| a.hits.as_slice()),
    );
    let result = match answer {
        Ok(a) => pb::ScreenResult {
            tag,
            hits: a.hits.into_iter().map(Into::into).collect(),
            error: String::new(),
            verdict: a.verdict.map(|v| v.as_str().to_owned()).unwrap_or_default(),
            parsed: a.mrz.as_ref().map(Into::into),
            latency_us,
        },
        Err(status) => pb::ScreenResult {
            tag,
            error: format!(
                "{}: {}",
                crosscheck_proto::code_name(status.code()),
                status.message()
            ),
            latency_us,
            ..pb::ScreenResult::default()
        },
    };
    (result, item)
}

fn record_response(record: &Record) -> Response<pb::RecordResponse> {
    Response::new(pb::RecordResponse {
        record_json: record.to_json_line(),
    })
}

type ExportStream = ReceiverStream<Result<pb::ExportChunk, Status>>;

#[tonic::async_trait]
impl pb::crosscheck_server::Crosscheck for CrosscheckService {
    async fn lookup_document(
        &self,
        request: Request<pb::DocumentQuery>,
    ) -> Result<Response<pb::LookupResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let caller = who.bureau()?;
        let message = request.into_inner();
        let asked = format!("{message:?}");
        // Exact lookups take microseconds: answered on the async worker.
        let started = Instant::now();
        let hits = DocumentQuery::try_from(message)
            .map_err(invalid)
            .and_then(|q| self.engine.lookup_document(caller, &q).map_err(to_status));
        self.answer(&who, caller, "LookupDocument", asked, hits, started)
            .await
    }

    async fn search_persons(
        &self,
        request: Request<pb::PersonQuery>,
    ) -> Result<Response<pb::LookupResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let message = request.into_inner();
        let asked = format!("{message:?}");
        let query = PersonQuery::try_from(message).map_err(invalid);
        self.lookup(&who, "SearchPersons", asked, query, |e, caller, q| {
            e.search_persons(caller, &q)
        })
        .await
    }

    async fn lookup_object(
        &self,
        request: Request<pb::ObjectQuery>,
    ) -> Result<Response<pb::LookupResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let message = request.into_inner();
        let asked = format!("{message:?}");
        let query = ObjectQuery::try_from(message).map_err(invalid);
        self.lookup(&who, "LookupObject", asked, query, |e, caller, q| {
            e.lookup_object(caller, &q)
        })
        .await
    }

    async fn screen_traveller(
        &self,
        request: Request<pb::TravellerQuery>,
    ) -> Result<Response<pb::ScreeningResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let caller = who.bureau()?;
        let message = request.into_inner();
        let asked = format!("{message:?}");
        let started = Instant::now();
        let answer = match crosscheck_proto::traveller_query(message).map_err(invalid) {
            Ok(q) => self.blocking(move |e| e.run(caller, &q)).await,
            Err(status) => Err(status),
        };
        let hits = answer.as_ref().map(|a| a.hits.as_slice());
        let item = Item::lookup(&who, caller, "ScreenTraveller", asked, hits);
        self.gate.trail.append_one(item).await?;
        let answer = answer?;
        count_lookup(caller, &answer.hits);
        Ok(Response::new(pb::ScreeningResponse {
            hits: answer.hits.into_iter().map(Into::into).collect(),
            verdict: answer
                .verdict
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            parsed: answer.mrz.as_ref().map(Into::into),
            latency_us: started.elapsed().as_micros() as u64,
        }))
    }

    type ScreenStream = ReceiverStream<Result<pb::ScreenResult, Status>>;

    async fn screen(
        &self,
        request: Request<Streaming<pb::ScreenRequest>>,
    ) -> Result<Response<Self::ScreenStream>, Status> {
        let (who, permit) = self.gate.admit(&request)?;
        let caller = who.bureau()?;
        let deadline = crate::deadline::of(&request);
        let mut inbound = request.into_inner().ready_chunks(SCREEN_BATCH);
        let (tx, rx) = mpsc::channel(SCREEN_BATCH);
        let engine = self.engine.clone();
        let trail = self.gate.trail.clone();
        let who = Arc::new(who);
        tokio::spawn(async move {
            // The stream is one call in flight until it ends.
            let _permit = permit;
            while let Some(batch) = inbound.next().await {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    let passed = Status::deadline_exceeded("the call's deadline passed");
                    let _ = tx.send(Err(passed)).await;
                    return;
                }
                let (engine, who) = (engine.clone(), who.clone());
                let answered = tokio::task::spawn_blocking(move || {
                    batch
                        .into_par_iter()
                        .map(|r| r.map(|r| screen_one(&engine, &who, caller, r)))
                        .collect::<Vec<_>>()
                })
                .await;
                let Ok(answered) = answered else {
                    let _ = tx
                        .send(Err(Status::internal("screening task failed")))
                        .await;
                    return;
                };
                let mut items = Vec::with_capacity(answered.len());
                let results: Vec<_> = answered
                    .into_iter()
                    .map(|r| {
                        r.map(|(result, item)| {
                            items.push(item);
                            result
                        })
                    })
                    .collect();
                // The batch's answers leave only once they are accounted for.
                if let Err(status) = trail.append(items).await {
                    let _ = tx.send(Err(status)).await;
                    return;
                }
                for result in results {
                    // A gone receiver means the caller hung up: stop working for it.
                    if tx.send(result).await.is_err() {
                        return;
                    }
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn upsert_record(
        &self,
        request: Request<pb::UpsertRequest>,
    ) -> Result<Response<pb::RecordResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let caller = who.record_writer()?;
        let line = request.into_inner().record_json;
        let record = Record::from_json_line(&line).map_err(invalid);
        let asked = match &record {
            Ok(r) => format!("upsert {}", r.id.as_str()),
            Err(_) => format!("upsert of an invalid record ({} bytes)", line.len()),
        };
        let stored = match record {
            Ok(record) => self.writes.upsert(caller, record).await.map_err(to_status),
            Err(status) => Err(status),
        };
        let returned = stored
            .as_ref()
            .map(|r| vec![r.id.as_str().to_owned()])
            .unwrap_or_default();
        let stored = self
            .gate
            .account(&who, "UpsertRecord", asked, returned, stored, |_| {
                "ok".into()
            })
            .await?;
        Ok(record_response(&stored))
    }

    async fn delete_record(
        &self,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let caller = who.record_writer()?;
        let id = request.into_inner().id;
        let asked = format!("delete {id}");
        let deleted = {
            let id = id.clone();
            self.blocking(move |e| e.delete(caller, &id)).await
        };
        self.gate
            .account(&who, "DeleteRecord", asked, vec![id], deleted, |()| {
                "ok".into()
            })
            .await?;
        Ok(Response::new(pb::DeleteResponse {}))
    }

    async fn get_record(
        &self,
        request: Request<pb::GetRequest>,
    ) -> Result<Response<pb::RecordResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let caller = who.record_writer()?;
        let id = request.into_inner().id;
        let record = self.engine.get(caller, &id).map_err(to_status);
        let returned = record
            .as_ref()
            .map(|r| vec![r.id.as_str().to_owned()])
            .unwrap_or_default();
        let record = self
            .gate
            .account(
                &who,
                "GetRecord",
                format!("get {id}"),
                returned,
                record,
                |_| "ok".into(),
            )
            .await?;
        Ok(record_response(&record))
    }

    async fn import(
        &self,
        request: Request<Streaming<pb::ImportChunk>>,
    ) -> Result<Response<pb::ImportSummary>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        let caller = who.writer()?;
        let mut stream = request.into_inner();
        let mut lines = Vec::new();
        let mut unreadable = std::collections::HashMap::new();
        let mut skip_invalid = None;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            skip_invalid.get_or_insert(chunk.skip_invalid);
            if lines.len() + chunk.lines.len() > MAX_IMPORT_LINES {
                return Err(Status::resource_exhausted(format!(
                    "an import takes at most {MAX_IMPORT_LINES} lines; split the file"
                )));
            }
            for l in chunk.lines {
                if !l.unreadable.is_empty() {
                    // Validated with the rest (an empty line never parses), so that nothing
                    // is stored unless skipped, then reported with its own reason.
                    unreadable.insert(l.line, l.unreadable);
                    lines.push((l.line, String::new()));
                } else {
                    lines.push((l.line, l.json));
                }
            }
        }
        let skip_invalid = skip_invalid.unwrap_or(false);
        let asked = format!(
            "import of {} lines, skip_invalid {skip_invalid}",
            lines.len()
        );
        let report = self
            .blocking(move |e| e.import(caller, lines, skip_invalid))
            .await;
        let mut report = self
            .gate
            .account(&who, "Import", asked, Vec::new(), report, |r| {
                format!("ok: {} stored, {} rejected", r.stored, r.rejected.len())
            })
            .await?;
        for r in &mut report.rejected {
            if let Some(why) = unreadable.remove(&r.line) {
                r.message = why;
            }
        }
        Ok(Response::new(pb::ImportSummary {
            stored: report.stored,
            rejected: report
                .rejected
                .into_iter()
                .map(|r| pb::Rejection {
                    line: r.line,
                    message: r.message,
                })
                .collect(),
        }))
    }

    type ExportStream = ExportStream;

    async fn export(
        &self,
        request: Request<pb::ExportRequest>,
    ) -> Result<Response<Self::ExportStream>, Status> {
        let (who, permit) = self.gate.admit(&request)?;
        let caller = who.writer()?;
        let owner = crosscheck_proto::optional_country("owner", &request.into_inner().owner)
            .map_err(invalid);
        let asked = format!("export, owner {owner:?}");
        let owner = self
            .gate
            .account(&who, "Export", asked, Vec::new(), owner, |_| "ok".into())
            .await?;
        let (tx, rx) = mpsc::channel(4);
        let engine = self.engine.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut chunk = Vec::with_capacity(EXPORT_CHUNK);
            let send = |chunk: Vec<String>| {
                tx.blocking_send(Ok(pb::ExportChunk {
                    records_json: chunk,
                }))
                .is_ok()
            };
            let result = engine.export(caller, owner, &mut |record| {
                chunk.push(record.to_json_line());
                if chunk.len() < EXPORT_CHUNK {
                    return true;
                }
                send(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(EXPORT_CHUNK),
                ))
            });
            match result {
                Ok(()) if !chunk.is_empty() => {
                    send(chunk);
                }
                Ok(()) => {}
                Err(e) => {
                    // The receiver may be gone already; nothing more to tell then.
                    let _ = tx.blocking_send(Err(to_status(e)));
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn stats(
        &self,
        request: Request<pb::StatsRequest>,
    ) -> Result<Response<pb::StatsResponse>, Status> {
        // Counts only: any identified caller may ask.
        let (_who, _permit) = self.gate.admit(&request)?;
        let stats = self.blocking(|e| Ok(e.stats())).await?;
        Ok(Response::new(pb::StatsResponse {
            persons: stats.records.persons,
            documents: stats.records.documents,
            objects: stats.records.objects,
            disk_bytes: stats.disk_bytes,
            uptime_seconds: self.started.elapsed().as_secs(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }))
    }

    async fn snapshot(
        &self,
        request: Request<pb::SnapshotRequest>,
    ) -> Result<Response<pb::SnapshotResponse>, Status> {
        let (who, _permit) = self.gate.admit(&request)?;
        who.operator()?;
        let dir = PathBuf::from(request.into_inner().dir);
        let asked = format!("snapshot into {}", dir.display());
        let made = if dir.is_absolute() {
            let store = self.store.clone();
            let target = dir.clone();
            tokio::task::spawn_blocking(move || store.checkpoint(&target))
                .await
                .map_err(|e| Status::internal(e.to_string()))
                .and_then(|made| made.map_err(to_status))
        } else {
            // A relative path would be resolved against the server's working directory.
            Err(Status::invalid_argument(
                "dir: must be an absolute path on the server's machine",
            ))
        };
        let made = self
            .gate
            .account(&who, "Snapshot", asked, Vec::new(), made, |m| {
                format!("ok: {} bytes", m.bytes)
            })
            .await?;
        let r = &made.records;
        info!(
            dir = %dir.display(),
            persons = r.persons,
            documents = r.documents,
            objects = r.objects,
            bytes = made.bytes,
            "snapshot made"
        );
        Ok(Response::new(pb::SnapshotResponse {
            dir: dir.display().to_string(),
            persons: r.persons,
            documents: r.documents,
            objects: r.objects,
            bytes: made.bytes,
        }))
    }

    async fn lookup_documents(
        &self,
        request: Request<pb::DocumentBatch>,
    ) -> Result<Response<pb::DocumentBatchResponse>, Status> {
        crate::batch::lookup_documents(&self.engine, &self.gate, request).await
    }
}

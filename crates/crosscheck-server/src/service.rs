//! The gRPC adapters: identity, conversion, one engine call, mapping of the result.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crosscheck_core::query::{DocumentQuery, Hit, ObjectQuery, PersonQuery, Query};
use crosscheck_core::{Caller, CountryCode, Engine, Record};
use crosscheck_proto::pb;
use crosscheck_store::RocksStore;
use futures::StreamExt;
use rayon::prelude::*;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::info;

use crate::identity;
use crate::metrics::METRICS;
use crate::status::{invalid, to_status};

/// Records per export message.
const EXPORT_CHUNK: usize = 1000;
/// Screening requests taken from a stream and answered in parallel at once.
const SCREEN_BATCH: usize = 256;
/// Import lines accepted per call; a larger load is split by the client.
const MAX_IMPORT_LINES: usize = 20_000_000;

pub struct CrosscheckService {
    engine: Arc<Engine>,
    /// The engine's store, for snapshots: a RocksDB checkpoint is not part of the `Store` trait.
    store: Arc<RocksStore>,
    started: Instant,
}

impl CrosscheckService {
    pub fn new(engine: Arc<Engine>, store: Arc<RocksStore>, started: Instant) -> Self {
        CrosscheckService {
            engine,
            store,
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

    /// A lookup run off the async workers, with the server-side time.
    async fn lookup<F>(
        &self,
        caller: CountryCode,
        work: F,
    ) -> Result<Response<pb::LookupResponse>, Status>
    where
        F: FnOnce(&Engine) -> crosscheck_core::Result<Vec<Hit>> + Send + 'static,
    {
        let started = Instant::now();
        let hits = self.blocking(work).await?;
        Ok(lookup_response(caller, hits, started))
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
fn screen_one(
    engine: &Engine,
    caller: CountryCode,
    request: pb::ScreenRequest,
) -> pb::ScreenResult {
    let started = Instant::now();
    let tag = request.tag.clone();
    let answer = Query::try_from(request)
        .map_err(invalid)
        .and_then(|q| engine.run(caller, &q).map_err(to_status));
    let latency_us = started.elapsed().as_micros() as u64;
    if let Ok(a) = &answer {
        count_lookup(caller, &a.hits);
    }
    match answer {
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
    }
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
        let caller = identity::country(&request)?;
        let q = DocumentQuery::try_from(request.into_inner()).map_err(invalid)?;
        // Exact lookups take microseconds: answered on the async worker.
        let started = Instant::now();
        let hits = self.engine.lookup_document(caller, &q).map_err(to_status)?;
        Ok(lookup_response(caller, hits, started))
    }

    async fn search_persons(
        &self,
        request: Request<pb::PersonQuery>,
    ) -> Result<Response<pb::LookupResponse>, Status> {
        let caller = identity::country(&request)?;
        let q = PersonQuery::try_from(request.into_inner()).map_err(invalid)?;
        self.lookup(caller, move |e| e.search_persons(caller, &q))
            .await
    }

    async fn lookup_object(
        &self,
        request: Request<pb::ObjectQuery>,
    ) -> Result<Response<pb::LookupResponse>, Status> {
        let caller = identity::country(&request)?;
        let q = ObjectQuery::try_from(request.into_inner()).map_err(invalid)?;
        self.lookup(caller, move |e| e.lookup_object(caller, &q))
            .await
    }

    async fn screen_traveller(
        &self,
        request: Request<pb::TravellerQuery>,
    ) -> Result<Response<pb::ScreeningResponse>, Status> {
        let caller = identity::country(&request)?;
        let q = crosscheck_proto::traveller_query(request.into_inner()).map_err(invalid)?;
        let started = Instant::now();
        let answer = self.blocking(move |e| e.run(caller, &q)).await?;
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
        let caller = identity::country(&request)?;
        let mut inbound = request.into_inner().ready_chunks(SCREEN_BATCH);
        let (tx, rx) = mpsc::channel(SCREEN_BATCH);
        let engine = self.engine.clone();
        tokio::spawn(async move {
            while let Some(batch) = inbound.next().await {
                let engine = engine.clone();
                let answered = tokio::task::spawn_blocking(move || {
                    batch
                        .into_par_iter()
                        .map(|r| r.map(|r| screen_one(&engine, caller, r)))
                        .collect::<Vec<_>>()
                })
                .await;
                let Ok(results) = answered else {
                    let _ = tx
                        .send(Err(Status::internal("screening task failed")))
                        .await;
                    return;
                };
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
        let caller = crosscheck_core::Caller::Country(identity::country(&request)?);
        let record = Record::from_json_line(&request.into_inner().record_json).map_err(invalid)?;
        let stored = self.blocking(move |e| e.upsert(caller, record)).await?;
        Ok(record_response(&stored))
    }

    async fn delete_record(
        &self,
        request: Request<pb::DeleteRequest>,
    ) -> Result<Response<pb::DeleteResponse>, Status> {
        let caller = crosscheck_core::Caller::Country(identity::country(&request)?);
        let id = request.into_inner().id;
        self.blocking(move |e| e.delete(caller, &id)).await?;
        Ok(Response::new(pb::DeleteResponse {}))
    }

    async fn get_record(
        &self,
        request: Request<pb::GetRequest>,
    ) -> Result<Response<pb::RecordResponse>, Status> {
        let caller = crosscheck_core::Caller::Country(identity::country(&request)?);
        let record = self
            .engine
            .get(caller, &request.into_inner().id)
            .map_err(to_status)?;
        Ok(record_response(&record))
    }

    async fn import(
        &self,
        request: Request<Streaming<pb::ImportChunk>>,
    ) -> Result<Response<pb::ImportSummary>, Status> {
        let caller = identity::country_or_platform(&request)?;
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
        let mut report = self
            .blocking(move |e| e.import(caller, lines, skip_invalid))
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
        let caller = identity::country_or_platform(&request)?;
        let owner = crosscheck_proto::optional_country("owner", &request.into_inner().owner)
            .map_err(invalid)?;
        let (tx, rx) = mpsc::channel(4);
        let engine = self.engine.clone();
        tokio::task::spawn_blocking(move || {
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
        _request: Request<pb::StatsRequest>,
    ) -> Result<Response<pb::StatsResponse>, Status> {
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
        // Until the role model exists, backups are the platform's alone.
        if let Caller::Country(c) = identity::country_or_platform(&request)? {
            return Err(Status::permission_denied(format!(
                "{c} may not make snapshots; only the platform may"
            )));
        }
        let dir = PathBuf::from(request.into_inner().dir);
        // A relative path would be resolved against the server's working directory.
        if !dir.is_absolute() {
            return Err(Status::invalid_argument(
                "dir: must be an absolute path on the server's machine",
            ));
        }
        let store = self.store.clone();
        let target = dir.clone();
        let made = tokio::task::spawn_blocking(move || store.checkpoint(&target))
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(to_status)?;
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
        crate::batch::lookup_documents(&self.engine, request).await
    }
}

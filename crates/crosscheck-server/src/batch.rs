//! `LookupDocuments`: many document checks in one call, for throughput (issue #5: a million
//! document lookups a second). Each query goes through `Engine::lookup_document`, as a unary
//! `LookupDocument` does, so visibility is the engine's; the work is spread over the rayon pool
//! from the blocking pool, never on an async worker. Only queries with hits are answered with
//! a message: a border check misses almost always, and a message per miss would cost more than
//! the lookup.

use std::sync::Arc;
use std::time::Instant;

use crosscheck_core::query::{DocumentQuery, Hit};
use crosscheck_core::{CountryCode, Engine};
use crosscheck_proto::pb;
use rayon::prelude::*;
use tonic::{Request, Response, Status};

use crate::identity;
use crate::metrics::METRICS;
use crate::status::{invalid, to_status};

/// Queries one call may carry: about 2 MB of request, a few milliseconds of work.
pub const MAX_BATCH: usize = 100_000;
/// Queries a rayon task takes at least: small enough to spread a batch over the cores, large
/// enough that splitting costs nothing next to the lookups.
const MIN_PER_TASK: usize = 512;

/// What one query of the batch came to; misses are dropped before anything is allocated for
/// them.
enum Answer {
    Found(u32, Vec<Hit>),
    Failed(u32, Status),
}

fn one(engine: &Engine, caller: CountryCode, index: u32, q: pb::DocumentQuery) -> Option<Answer> {
    let answer = DocumentQuery::try_from(q)
        .map_err(invalid)
        .and_then(|q| engine.lookup_document(caller, &q).map_err(to_status));
    match answer {
        Ok(hits) if hits.is_empty() => None,
        Ok(hits) => Some(Answer::Found(index, hits)),
        Err(status) => Some(Answer::Failed(index, status)),
    }
}

pub async fn lookup_documents(
    engine: &Arc<Engine>,
    request: Request<pb::DocumentBatch>,
) -> Result<Response<pb::DocumentBatchResponse>, Status> {
    let caller = identity::country(&request)?;
    let queries = request.into_inner().queries;
    if queries.len() > MAX_BATCH {
        return Err(Status::invalid_argument(format!(
            "queries: {} in one call, at most {MAX_BATCH}; split the batch",
            queries.len()
        )));
    }
    let started = Instant::now();
    let n = queries.len() as u64;
    let engine = engine.clone();
    let answers = tokio::task::spawn_blocking(move || {
        queries
            .into_par_iter()
            .with_min_len(MIN_PER_TASK)
            .enumerate()
            // At most MAX_BATCH queries: every position fits in a u32.
            .filter_map(|(i, q)| one(&engine, caller, i as u32, q))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| Status::internal(e.to_string()))?;
    METRICS
        .lookups_by_country
        .with_label_values(&[caller.as_str()])
        .inc_by(n);
    let mut response = pb::DocumentBatchResponse::default();
    for answer in answers {
        match answer {
            Answer::Found(index, hits) => {
                for h in &hits {
                    METRICS.hits.with_label_values(&[h.kind.as_str()]).inc();
                }
                response.found.push(pb::BatchHits {
                    index,
                    hits: hits.into_iter().map(Into::into).collect(),
                });
            }
            Answer::Failed(index, status) => response.errors.push(pb::BatchError {
                index,
                error: format!(
                    "{}: {}",
                    crosscheck_proto::code_name(status.code()),
                    status.message()
                ),
            }),
        }
    }
    response.latency_us = started.elapsed().as_micros() as u64;
    Ok(Response::new(response))
}

//! `LookupDocuments`: many document checks in one call, for throughput (issue #5: a million
//! document lookups a second). Each query goes through `Engine::lookup_document`, as a unary
//! `LookupDocument` does, so visibility is the engine's; the work is spread over the rayon pool
//! from the blocking pool, never on an async worker. Only queries with hits are answered with
//! a message: a border check misses almost always, and a message per miss would cost more than
//! the lookup. The batch is one audit entry (every query asked, every record returned).

use std::sync::Arc;
use std::time::Instant;

use crosscheck_core::query::{DocumentQuery, Hit};
use crosscheck_core::{CountryCode, Engine};
use crosscheck_proto::pb;
use rayon::prelude::*;
use tonic::{Request, Response, Status};

use crate::audit::Item;
use crate::metrics::METRICS;
use crate::service::Gate;
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

/// The queries as the audit trail keeps them: `number/issuing_country/doc_type`, `;`-separated.
fn asked(queries: &[pb::DocumentQuery]) -> String {
    let mut text = format!("{} document queries: ", queries.len());
    for (i, q) in queries.iter().enumerate() {
        if i > 0 {
            text.push(';');
        }
        text.push_str(&q.number);
        text.push('/');
        text.push_str(&q.issuing_country);
        text.push('/');
        text.push_str(&q.doc_type);
    }
    text
}

pub async fn lookup_documents(
    engine: &Arc<Engine>,
    gate: &Gate,
    request: Request<pb::DocumentBatch>,
) -> Result<Response<pb::DocumentBatchResponse>, Status> {
    let (who, _permit) = gate.admit(&request)?;
    let caller = who.bureau()?;
    let queries = request.into_inner().queries;
    let asked = asked(&queries);
    if queries.len() > MAX_BATCH {
        let refused = Status::invalid_argument(format!(
            "queries: {} in one call, at most {MAX_BATCH}; split the batch",
            queries.len()
        ));
        let item = Item::lookup(&who, caller, "LookupDocuments", asked, Err(&refused));
        gate.trail.append_one(item).await?;
        return Err(refused);
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
    // Every hit of the batch in one list for the audit entry, with where each query's start.
    let mut found = Vec::new();
    let mut all_hits = Vec::new();
    for answer in answers {
        match answer {
            Answer::Found(index, hits) => {
                for h in &hits {
                    METRICS.hits.with_label_values(&[h.kind.as_str()]).inc();
                }
                found.push((index, hits.len()));
                all_hits.extend(hits);
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
    let item = Item::lookup(&who, caller, "LookupDocuments", asked, Ok(&all_hits));
    gate.trail.append_one(item).await?;
    let mut hits = all_hits.into_iter().map(pb::Hit::from);
    for (index, n) in found {
        response.found.push(pb::BatchHits {
            index,
            hits: hits.by_ref().take(n).collect(),
        });
    }
    response.latency_us = started.elapsed().as_micros() as u64;
    Ok(Response::new(response))
}

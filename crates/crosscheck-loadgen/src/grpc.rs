//! Requests sent to a crosscheck server through the typed client, spread over connections.

use crosscheck_client::{Client, Lookup, code_name, screen_request};
use crosscheck_core::CountryCode;
use crosscheck_core::query::{DocumentQuery, Query};
use futures::StreamExt;
use tonic::Status;

use crate::report::Outcome;
use crate::schedule::Target;
use crate::workload::Op;

pub struct Grpc {
    /// One HTTP/2 connection each.
    pub clients: Vec<Client>,
    pub caller: CountryCode,
}

fn answered(result: Result<Lookup, Status>) -> Outcome {
    match result {
        Ok(found) => Outcome::Answered {
            lookups: 1,
            with_hits: u64::from(!found.hits.is_empty()),
        },
        Err(status) => failed(&status),
    }
}

fn failed(status: &Status) -> Outcome {
    Outcome::Failed {
        code: code_name(status.code()).to_owned(),
    }
}

impl Target for Grpc {
    async fn call(&self, op: Op, slot: u64) -> Outcome {
        let client = &self.clients[slot as usize % self.clients.len()];
        let caller = Some(self.caller);
        match op {
            Op::Document(q) => answered(client.lookup_document(caller, &q).await),
            Op::Person(q) => answered(client.search_persons(caller, &q).await),
            Op::Object(q) => answered(client.lookup_object(caller, &q).await),
            Op::Screen(batch) => screen(client, self.caller, batch).await,
            Op::Batch(batch) => lookup_documents(client, self.caller, &batch).await,
            Op::Upsert(line) => match client.upsert(caller, &line).await {
                Ok(_) => Outcome::Answered {
                    lookups: 1,
                    with_hits: 0,
                },
                Err(status) => failed(&status),
            },
        }
    }
}

/// One screening stream of the whole batch; it fails if any of its queries does.
async fn screen(client: &Client, caller: CountryCode, batch: Vec<DocumentQuery>) -> Outcome {
    let expected = batch.len() as u64;
    let requests: Vec<_> = batch
        .into_iter()
        .enumerate()
        .map(|(i, q)| screen_request(i.to_string(), &Query::Document(q)))
        .collect();
    let mut answers = match client
        .screen(Some(caller), futures::stream::iter(requests))
        .await
    {
        Ok(answers) => std::pin::pin!(answers),
        Err(status) => return failed(&status),
    };
    let (mut lookups, mut with_hits) = (0, 0);
    while let Some(answer) = answers.next().await {
        match answer {
            Ok(a) => {
                if let Some(error) = a.error {
                    let code = error.split(':').next().unwrap_or_default();
                    return Outcome::Failed {
                        code: code.to_owned(),
                    };
                }
                lookups += 1;
                with_hits += u64::from(!a.hits.is_empty());
            }
            Err(status) => return failed(&status),
        }
    }
    if lookups < expected {
        // The server closed the stream before answering every query.
        return Outcome::Failed {
            code: code_name(tonic::Code::Unavailable).to_owned(),
        };
    }
    Outcome::Answered { lookups, with_hits }
}

/// One `LookupDocuments` call of the whole batch; it fails if any of its queries does.
async fn lookup_documents(
    client: &Client,
    caller: CountryCode,
    batch: &[DocumentQuery],
) -> Outcome {
    match client.lookup_documents(Some(caller), batch).await {
        Ok(answer) => {
            if let Some((_, error)) = answer.errors.first() {
                let code = error.split(':').next().unwrap_or_default();
                return Outcome::Failed {
                    code: code.to_owned(),
                };
            }
            Outcome::Answered {
                lookups: batch.len() as u64,
                with_hits: answer.found.len() as u64,
            }
        }
        Err(status) => failed(&status),
    }
}

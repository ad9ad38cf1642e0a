//! The reference that a gRPC run is compared with: the same data set imported into an `Engine`
//! over the in-memory model store in this process, and the same requests, drawn the same way
//! and measured by the same schedule, answered by direct engine calls. What a gRPC run loses
//! against it is the cost of the protocol, the loopback and the server's runtime; the end-to-end
//! benchmark (`bench/e2e.sh`) reports the ratio, as both are measured in one run on one machine.

use std::io::BufRead;
use std::path::Path;

use crosscheck_core::query::{Hit, Query};
use crosscheck_core::store::MemoryStore;
use crosscheck_core::{Caller, CountryCode, Engine};

use crate::report::Outcome;
use crate::schedule::Target;
use crate::workload::Op;
use crate::{Error, Result};

pub struct InProcess {
    engine: Engine,
    caller: CountryCode,
}

impl InProcess {
    /// Imports every record of the file, as the platform, into a fresh in-memory engine.
    pub fn load(path: &Path, caller: CountryCode) -> Result<InProcess> {
        let io = |cause| Error::Read {
            path: path.to_owned(),
            cause,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut lines = Vec::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io)?;
            if !line.trim().is_empty() {
                lines.push((i as u64 + 1, line));
            }
        }
        let engine_error =
            |e: crosscheck_core::Error| Error::Config(format!("in-process engine: {e}"));
        let engine =
            Engine::open(std::sync::Arc::new(MemoryStore::default())).map_err(engine_error)?;
        let report = engine
            .import(Caller::Platform, lines, false)
            .map_err(engine_error)?;
        if let Some(r) = report.rejected.first() {
            return Err(Error::Dataset {
                path: path.to_owned(),
                line: r.line as usize,
                reason: r.message.clone(),
            });
        }
        Ok(InProcess { engine, caller })
    }
}

fn failed(e: &crosscheck_core::Error) -> Outcome {
    // Named by the gRPC code the server maps each error to.
    let code = match e {
        crosscheck_core::Error::InvalidArgument(_) => "invalid_argument",
        crosscheck_core::Error::PermissionDenied(_) => "permission_denied",
        crosscheck_core::Error::NotFound(_) => "not_found",
        crosscheck_core::Error::Unauthenticated(_) => "unauthenticated",
        crosscheck_core::Error::Store(_) => "internal",
    };
    Outcome::Failed {
        code: code.to_owned(),
    }
}

fn answered(result: crosscheck_core::Result<Vec<Hit>>) -> Outcome {
    match result {
        Ok(hits) => Outcome::Answered {
            lookups: 1,
            with_hits: u64::from(!hits.is_empty()),
        },
        Err(e) => failed(&e),
    }
}

impl Target for InProcess {
    async fn call(&self, op: Op, _slot: u64) -> Outcome {
        let outcome = match op {
            Op::Document(q) => answered(self.engine.lookup_document(self.caller, &q)),
            Op::Person(q) => answered(self.engine.search_persons(self.caller, &q)),
            Op::Object(q) => answered(self.engine.lookup_object(self.caller, &q)),
            Op::Screen(batch) => {
                let (mut lookups, mut with_hits) = (0, 0);
                for q in batch {
                    match self.engine.run(self.caller, &Query::Document(q)) {
                        Ok(a) => {
                            lookups += 1;
                            with_hits += u64::from(!a.hits.is_empty());
                        }
                        Err(e) => return failed(&e),
                    }
                }
                Outcome::Answered { lookups, with_hits }
            }
            Op::Batch(batch) => {
                let (mut lookups, mut with_hits) = (0, 0);
                for q in &batch {
                    match self.engine.lookup_document(self.caller, q) {
                        Ok(hits) => {
                            lookups += 1;
                            with_hits += u64::from(!hits.is_empty());
                        }
                        Err(e) => return failed(&e),
                    }
                }
                Outcome::Answered { lookups, with_hits }
            }
            Op::Upsert(line) => {
                let stored = crosscheck_core::Record::from_json_line(&line)
                    .map_err(crosscheck_core::Error::from)
                    .and_then(|r| self.engine.upsert(Caller::Country(self.caller), r));
                match stored {
                    Ok(_) => Outcome::Answered {
                        lookups: 1,
                        with_hits: 0,
                    },
                    Err(e) => failed(&e),
                }
            }
        };
        // An engine call never waits: let the other workers of the closed loop have their turn.
        tokio::task::yield_now().await;
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;
    use crate::workload::{Kind, Mix, Workload};
    use std::sync::Arc;

    #[tokio::test]
    async fn answers_the_workload_as_the_server_would() {
        let records = crate::dataset::tests::generated(50, 500, 50);
        let text: String = records.iter().map(|r| r.to_json_line() + "\n").collect();
        let dir = std::env::temp_dir().join(format!("loadgen-in-process-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("records.ndjson");
        std::fs::write(&path, text).unwrap();
        let fra = CountryCode::parse("FRA").unwrap();
        let target = InProcess::load(&path, fra).unwrap();
        let dataset = Arc::new(Dataset::load(&path, fra).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        let mut hits = Workload::new(dataset.clone(), Mix::only(Kind::Document), 1.0, 1, 1);
        let mut misses = Workload::new(dataset.clone(), Mix::only(Kind::Document), 0.0, 1, 1);
        let mut screens = Workload::new(dataset, Mix::only(Kind::Screen), 1.0, 5, 1);
        for _ in 0..20 {
            let hit = Outcome::Answered {
                lookups: 1,
                with_hits: 1,
            };
            assert_eq!(target.call(hits.next_op(), 0).await, hit);
            let miss = Outcome::Answered {
                lookups: 1,
                with_hits: 0,
            };
            assert_eq!(target.call(misses.next_op(), 0).await, miss);
        }
        let batch = Outcome::Answered {
            lookups: 5,
            with_hits: 5,
        };
        assert_eq!(target.call(screens.next_op(), 0).await, batch);
    }
}

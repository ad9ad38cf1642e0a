//! Online upserts: every call hands its record to one writer thread through a bounded queue and
//! awaits the answer, so an upsert holds no thread of the blocking pool while its group is
//! synced (at 10k upserts/s, parking and waking one thread per call was a third of the CPU).
//! The thread writes whatever has queued since its last group as the next group.

use std::sync::Arc;
use std::thread::JoinHandle;

use crosscheck_core::{Caller, Engine, Record};
use tokio::sync::{mpsc, oneshot};

/// Upserts queued beyond this wait for room: the callers feel the disk instead of the memory.
const QUEUE: usize = 4096;
/// At most this many upserts in one synced batch.
const MAX_GROUP: usize = 1024;

type Answer = crosscheck_core::Result<Record>;

struct Upsert {
    caller: Caller,
    record: Record,
    answer: oneshot::Sender<Answer>,
}

#[derive(Clone)]
pub struct Writes {
    queue: mpsc::Sender<Upsert>,
}

impl Writes {
    /// The queue, and its writer thread: it ends once every `Writes` is dropped and the queue
    /// is empty.
    pub fn start(engine: Arc<Engine>) -> std::io::Result<(Writes, JoinHandle<()>)> {
        let (queue, mut waiting) = mpsc::channel::<Upsert>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("crosscheck-writes".into())
            .spawn(move || {
                while let Some(first) = waiting.blocking_recv() {
                    let mut group = vec![first];
                    while group.len() < MAX_GROUP {
                        match waiting.try_recv() {
                            Ok(next) => group.push(next),
                            Err(_) => break,
                        }
                    }
                    let (asked, answers): (Vec<_>, Vec<_>) = group
                        .into_iter()
                        .map(|u| ((u.caller, u.record), u.answer))
                        .unzip();
                    for (stored, answer) in engine.upsert_group(asked).into_iter().zip(answers) {
                        // A caller that hung up meanwhile still had its record written.
                        let _ = answer.send(stored);
                    }
                }
            })?;
        Ok((Writes { queue }, thread))
    }

    /// Stores the record durably and indexes it, as [`Engine::upsert`] does.
    pub async fn upsert(&self, caller: Caller, record: Record) -> Answer {
        let (answer, answered) = oneshot::channel();
        let gone = || crosscheck_core::Error::Store("the writer has stopped".to_owned());
        self.queue
            .send(Upsert {
                caller,
                record,
                answer,
            })
            .await
            .map_err(|_| gone())?;
        answered.await.map_err(|_| gone())?
    }
}

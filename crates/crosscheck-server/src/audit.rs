//! The audit trail's writer. Calls hand their entries to one thread, which chains them, writes
//! each group in one synced RocksDB batch (group commit: one fsync for every call waiting) with
//! the hit notices they cause, and only then lets the calls answer. A call whose entry cannot be
//! written fails: no answer leaves unaccounted for.

use std::sync::Arc;

use crosscheck_core::audit::{Draft, Entry, Notice};
use crosscheck_core::query::Hit;
use crosscheck_core::timestamp::now_rfc3339_micros;
use crosscheck_core::{CountryCode, Kind};
use crosscheck_store::{NoticeRow, RocksStore};
use tokio::sync::{mpsc, oneshot, watch};
use tonic::Status;
use tracing::error;

use crate::identity::Principal;
use crate::metrics::METRICS;

/// Entries waiting to be written; beyond this, calls wait for room (back pressure, not memory).
const QUEUE: usize = 16_384;
/// Entries written in one batch at most.
const GROUP: usize = 4_096;

/// A hit that its owner is told of.
#[derive(Debug, Clone)]
struct Noticed {
    owner: CountryCode,
    record_id: String,
    kind: Kind,
}

/// One call's entry, with the notices it causes.
#[derive(Debug)]
pub struct Item {
    draft: Draft,
    by: Option<CountryCode>,
    noticed: Vec<Noticed>,
}

impl Item {
    /// A call that returned no records (a write, an export, an error).
    pub fn call(
        who: &Principal,
        call: &str,
        asked: String,
        returned: Vec<String>,
        outcome: Result<String, &Status>,
    ) -> Item {
        Item {
            draft: Draft {
                who: who.who(),
                call: call.to_owned(),
                asked,
                returned,
                outcome: match outcome {
                    Ok(ok) => ok,
                    Err(status) => format!(
                        "{}: {}",
                        crosscheck_proto::code_name(status.code()),
                        status.message()
                    ),
                },
            },
            by: None,
            noticed: Vec::new(),
        }
    }

    /// A lookup by `caller`: its hits are returned, and those on other countries' records are
    /// told to their owners.
    pub fn lookup(
        who: &Principal,
        caller: CountryCode,
        call: &str,
        asked: String,
        hits: Result<&[Hit], &Status>,
    ) -> Item {
        let (returned, noticed) = match hits {
            Ok(hits) => (
                hits.iter()
                    .flat_map(|h| std::iter::once(&h.id).chain(&h.linked))
                    .cloned()
                    .collect(),
                hits.iter()
                    .filter(|h| h.owner != caller)
                    .map(|h| Noticed {
                        owner: h.owner,
                        record_id: h.id.clone(),
                        kind: h.kind,
                    })
                    .collect(),
            ),
            Err(_) => (Vec::new(), Vec::new()),
        };
        let outcome = hits.map(|_| "ok".to_owned());
        Item {
            by: Some(caller),
            noticed,
            ..Item::call(who, call, asked, returned, outcome)
        }
    }
}

struct Job {
    items: Vec<Item>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The writer thread, joined at shutdown once every `Trail` is gone, so that the store is
/// closed when `serve` returns.
pub struct Writer(std::thread::JoinHandle<()>);

impl Writer {
    /// Waits for the last group to be written (blocking).
    pub fn join(self) {
        if self.0.join().is_err() {
            error!("the audit writer panicked");
        }
    }
}

/// The handle calls append through; cheap to clone.
#[derive(Clone)]
pub struct Trail {
    jobs: mpsc::Sender<Job>,
    /// The seq of the last entry written, for notice subscribers to wake on.
    written: watch::Receiver<u64>,
}

impl Trail {
    /// Continues the chain stored in `store` (blocking: call from a blocking context).
    pub fn open(store: Arc<RocksStore>) -> crosscheck_core::Result<(Trail, Writer)> {
        let last = store
            .last_audit()?
            .map(|line| Entry::from_json_line(&line))
            .transpose()
            .map_err(|e| {
                crosscheck_core::Error::Store(format!("last audit entry unreadable: {e}"))
            })?;
        let (jobs, rx) = mpsc::channel(QUEUE);
        let (written_tx, written) = watch::channel(last.as_ref().map_or(0, |e| e.seq));
        let thread = std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || write_loop(&store, last, rx, &written_tx))
            .map_err(|e| {
                crosscheck_core::Error::Store(format!("cannot start the audit writer: {e}"))
            })?;
        Ok((Trail { jobs, written }, Writer(thread)))
    }

    /// Appends `items` and waits until they are durable.
    pub async fn append(&self, items: Vec<Item>) -> Result<(), Status> {
        let (done, wait) = oneshot::channel();
        let unavailable = || Status::unavailable("the audit trail is closed");
        self.jobs
            .send(Job { items, done })
            .await
            .map_err(|_| unavailable())?;
        wait.await.map_err(|_| unavailable())?.map_err(|e| {
            Status::unavailable(format!(
                "the audit trail cannot be written, so no answer is given: {e}"
            ))
        })
    }

    pub async fn append_one(&self, item: Item) -> Result<(), Status> {
        self.append(vec![item]).await
    }

    /// Changes whenever entries (and so possibly notices) were written.
    pub fn written(&self) -> watch::Receiver<u64> {
        self.written.clone()
    }
}

fn write_loop(
    store: &RocksStore,
    mut last: Option<Entry>,
    mut rx: mpsc::Receiver<Job>,
    written: &watch::Sender<u64>,
) {
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        let mut n = jobs[0].items.len();
        while n < GROUP {
            match rx.try_recv() {
                Ok(job) => {
                    n += job.items.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        METRICS.audit_queue.set(rx.len() as i64);
        let at = now_rfc3339_micros();
        let mut chain = last.clone();
        let mut entries = Vec::with_capacity(n);
        let mut notices = Vec::new();
        for item in jobs.iter_mut().flat_map(|j| j.items.drain(..)) {
            let (entry, line) = Entry::chain(item.draft, chain.as_ref(), at.clone());
            if let Some(by) = item.by {
                for (place, hit) in (0u64..).zip(item.noticed) {
                    let notice = Notice {
                        cursor: Notice::cursor(entry.seq, place),
                        record_id: hit.record_id,
                        kind: hit.kind.as_str().to_owned(),
                        by: by.to_string(),
                        at: at.clone(),
                        call: entry.call.clone(),
                        audit_seq: entry.seq,
                    };
                    notices.push(NoticeRow {
                        owner: hit.owner,
                        cursor: notice.cursor,
                        json: notice.to_json_line(),
                    });
                }
            }
            entries.push((entry.seq, line));
            chain = Some(entry);
        }
        let result = store
            .append_audit(&entries, &notices)
            .map_err(|e| e.to_string());
        match &result {
            Ok(()) => {
                METRICS.audit_entries.inc_by(entries.len() as u64);
                METRICS.notices.inc_by(notices.len() as u64);
                last = chain;
                written.send_replace(last.as_ref().map_or(0, |e| e.seq));
            }
            // The chain stays where it was: the next group continues from the last written.
            Err(e) => {
                error!(error = %e, entries = entries.len(), "audit trail write failed; the calls fail")
            }
        }
        for job in jobs {
            // A caller that gave up no longer waits for its answer.
            let _ = job.done.send(result.clone());
        }
    }
}

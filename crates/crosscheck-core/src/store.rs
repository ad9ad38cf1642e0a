//! What the engine needs from durable storage. RocksDB implements it in `crosscheck-store`;
//! `MemoryStore` here is the simple model the engine's own tests run against.

use std::collections::BTreeMap;

use parking_lot::RwLock;

use crate::error::Result;
use crate::record::Kind;

pub enum WriteOp {
    Put {
        kind: Kind,
        id: String,
        value: Vec<u8>,
    },
    Delete {
        kind: Kind,
        id: String,
    },
}

/// A store's health as operators watch it; zero where a store has no such figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreHealth {
    pub sst_bytes: u64,
    pub pending_compaction_bytes: u64,
    pub block_cache_hits: u64,
    pub block_cache_misses: u64,
    /// Time writes were slowed or stopped to let compaction catch up, since start.
    pub write_stall_micros: u64,
    /// Writes are stopped right now.
    pub write_stopped: bool,
}

pub trait Store: Send + Sync {
    /// Applies every op atomically; returns only once the batch is durable.
    fn write(&self, ops: Vec<WriteOp>) -> Result<()>;
    fn get(&self, kind: Kind, id: &str) -> Result<Option<Vec<u8>>>;
    /// Visits the records of a kind in id order, starting after the key `after` (from the first
    /// when `None`), until `visit` returns false.
    fn scan(
        &self,
        kind: Kind,
        after: Option<&[u8]>,
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<()>;
    /// Approximate bytes on disk, for stats.
    fn disk_bytes(&self) -> u64;
    /// The stamp of a saved document index that matches the stored documents, if any: a
    /// store that keeps one drops it with every write of documents.
    fn documents_stamp(&self) -> Result<Option<u64>> {
        Ok(None)
    }
    /// Records a new stamp (the documents as they are now are about to be saved under it);
    /// None when the store keeps none, and then nothing should be saved.
    fn stamp_documents(&self) -> Result<Option<u64>> {
        Ok(None)
    }
    fn health(&self) -> StoreHealth {
        StoreHealth {
            sst_bytes: self.disk_bytes(),
            ..StoreHealth::default()
        }
    }
}

/// Keeps everything in memory: for tests of the engine, not for serving.
#[derive(Default)]
pub struct MemoryStore {
    data: RwLock<BTreeMap<(Kind, String), Vec<u8>>>,
}

impl Store for MemoryStore {
    fn write(&self, ops: Vec<WriteOp>) -> Result<()> {
        let mut data = self.data.write();
        for op in ops {
            match op {
                WriteOp::Put { kind, id, value } => {
                    data.insert((kind, id), value);
                }
                WriteOp::Delete { kind, id } => {
                    data.remove(&(kind, id));
                }
            }
        }
        Ok(())
    }

    fn get(&self, kind: Kind, id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.data.read().get(&(kind, id.to_owned())).cloned())
    }

    fn scan(
        &self,
        kind: Kind,
        after: Option<&[u8]>,
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<()> {
        for ((k, id), v) in self.data.read().iter() {
            let started = after.is_none_or(|a| id.as_bytes() > a);
            if *k == kind && started && !visit(id.as_bytes(), v) {
                break;
            }
        }
        Ok(())
    }

    fn disk_bytes(&self) -> u64 {
        0
    }
}

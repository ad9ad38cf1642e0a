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

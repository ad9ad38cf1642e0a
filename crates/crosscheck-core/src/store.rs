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

/// A part of the index saved on its own: the documents (the largest, also written by a bulk
/// load), and the persons and objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Documents,
    Records,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Documents, Part::Records];

    pub fn of(kind: Kind) -> Part {
        match kind {
            Kind::Document => Part::Documents,
            Kind::Person | Kind::Object => Part::Records,
        }
    }
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
    /// The stamp of the saved part of the index that matches what is stored, if any: a store
    /// that keeps one drops it with every write of that part's records.
    fn saved_stamp(&self, _part: Part) -> Result<Option<u64>> {
        Ok(None)
    }
    /// Records a new stamp (the part as it is now is about to be saved under it); None when
    /// the store keeps none, and then nothing should be saved.
    fn stamp(&self, _part: Part) -> Result<Option<u64>> {
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
    /// Of each part, kept as a durable store keeps them: dropped by a write of the part.
    stamps: RwLock<[Option<u64>; 2]>,
    last_stamp: std::sync::atomic::AtomicU64,
}

fn part_slot(part: Part) -> usize {
    match part {
        Part::Documents => 0,
        Part::Records => 1,
    }
}

impl Store for MemoryStore {
    fn write(&self, ops: Vec<WriteOp>) -> Result<()> {
        let mut data = self.data.write();
        let mut stamps = self.stamps.write();
        for op in ops {
            let (WriteOp::Put { kind, .. } | WriteOp::Delete { kind, .. }) = &op;
            stamps[part_slot(Part::of(*kind))] = None;
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

    fn saved_stamp(&self, part: Part) -> Result<Option<u64>> {
        Ok(self.stamps.read()[part_slot(part)])
    }

    fn stamp(&self, part: Part) -> Result<Option<u64>> {
        let stamp = self
            .last_stamp
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        self.stamps.write()[part_slot(part)] = Some(stamp);
        Ok(Some(stamp))
    }
}

//! crosscheck-store: RocksDB behind crosscheck-core's `Store` trait. One column family per kind
//! plus `meta`; keys are record ids, values the canonical JSON line. The only crate that links
//! rocksdb; nothing above it knows RocksDB exists.

use std::path::Path;

use crosscheck_core::error::{Error, Result};
use crosscheck_core::record::Kind;
use crosscheck_core::store::{Store, WriteOp};
use rocksdb::{
    BlockBasedOptions, Cache, ColumnFamilyDescriptor, DB, DBCompressionType, Direction,
    IteratorMode, Options, WriteBatch, WriteOptions,
};

const META: &str = "meta";
const FORMAT_KEY: &[u8] = b"format";
/// Bumped when the key or value layout changes; a store of another format is refused.
const FORMAT: &[u8] = b"1";
const BLOCK_CACHE_BYTES: usize = 256 << 20;

fn cf_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "persons",
        Kind::Document => "documents",
        Kind::Object => "objects",
    }
}

fn internal(e: rocksdb::Error) -> Error {
    Error::Store(e.into_string())
}

/// Every tuning decision in one place.
fn options(cache: &Cache) -> Options {
    let mut opts = Options::default();
    opts.create_if_missing(true);
    opts.create_missing_column_families(true);
    opts.increase_parallelism(std::thread::available_parallelism().map_or(2, |n| n.get() as i32));
    opts.set_compression_type(DBCompressionType::Lz4);
    opts.set_bottommost_compression_type(DBCompressionType::Zstd);
    opts.set_max_background_jobs(4);
    opts.set_bytes_per_sync(1 << 20);
    let mut table = BlockBasedOptions::default();
    table.set_block_cache(cache);
    table.set_bloom_filter(10.0, false);
    table.set_cache_index_and_filter_blocks(true);
    opts.set_block_based_table_factory(&table);
    opts
}

pub struct RocksStore {
    db: DB,
}

impl RocksStore {
    pub fn open(path: &Path) -> Result<RocksStore> {
        let cache = Cache::new_lru_cache(BLOCK_CACHE_BYTES);
        let opts = options(&cache);
        let cfs = [META, "persons", "documents", "objects"]
            .into_iter()
            .map(|name| ColumnFamilyDescriptor::new(name, options(&cache)));
        let db = DB::open_cf_descriptors(&opts, path, cfs).map_err(internal)?;
        let store = RocksStore { db };
        store.check_format()?;
        Ok(store)
    }

    fn cf(&self, name: &str) -> Result<&rocksdb::ColumnFamily> {
        self.db
            .cf_handle(name)
            .ok_or_else(|| Error::Store(format!("column family {name} missing")))
    }

    fn check_format(&self) -> Result<()> {
        let meta = self.cf(META)?;
        match self.db.get_cf(meta, FORMAT_KEY).map_err(internal)? {
            Some(f) if f == FORMAT => Ok(()),
            Some(f) => Err(Error::Store(format!(
                "data directory has format {}, this build reads {}",
                String::from_utf8_lossy(&f),
                String::from_utf8_lossy(FORMAT)
            ))),
            None => {
                let mut wo = WriteOptions::default();
                wo.set_sync(true);
                self.db
                    .put_cf_opt(meta, FORMAT_KEY, FORMAT, &wo)
                    .map_err(internal)
            }
        }
    }
}

impl Store for RocksStore {
    fn write(&self, ops: Vec<WriteOp>) -> Result<()> {
        let mut batch = WriteBatch::default();
        for op in ops {
            match op {
                WriteOp::Put { kind, id, value } => {
                    batch.put_cf(self.cf(cf_name(kind))?, id, value)
                }
                WriteOp::Delete { kind, id } => batch.delete_cf(self.cf(cf_name(kind))?, id),
            }
        }
        // Acknowledged only once the WAL is on disk.
        let mut wo = WriteOptions::default();
        wo.set_sync(true);
        self.db.write_opt(batch, &wo).map_err(internal)
    }

    fn get(&self, kind: Kind, id: &str) -> Result<Option<Vec<u8>>> {
        self.db
            .get_cf(self.cf(cf_name(kind))?, id)
            .map_err(internal)
    }

    fn scan(
        &self,
        kind: Kind,
        after: Option<&[u8]>,
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<()> {
        let mode = match after {
            Some(key) => IteratorMode::From(key, Direction::Forward),
            None => IteratorMode::Start,
        };
        for item in self.db.iterator_cf(self.cf(cf_name(kind))?, mode) {
            let (key, value) = item.map_err(internal)?;
            if after.is_some_and(|a| *key == *a) {
                continue;
            }
            if !visit(&key, &value) {
                break;
            }
        }
        Ok(())
    }

    fn disk_bytes(&self) -> u64 {
        [META, "persons", "documents", "objects"]
            .iter()
            .filter_map(|name| self.cf(name).ok())
            .filter_map(|cf| {
                self.db
                    .property_int_value_cf(cf, "rocksdb.total-sst-files-size")
                    .ok()
                    .flatten()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(kind: Kind, id: &str, v: &str) -> WriteOp {
        WriteOp::Put {
            kind,
            id: id.into(),
            value: v.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_survive_reopen_and_kinds_stay_apart() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = RocksStore::open(dir.path()).unwrap();
            s.write(vec![
                put(Kind::Document, "b", "2"),
                put(Kind::Document, "a", "1"),
            ])
            .unwrap();
            s.write(vec![put(Kind::Person, "a", "p")]).unwrap();
            s.write(vec![WriteOp::Delete {
                kind: Kind::Person,
                id: "a".into(),
            }])
            .unwrap();
        }
        let s = RocksStore::open(dir.path()).unwrap();
        assert_eq!(
            s.get(Kind::Document, "a").unwrap().as_deref(),
            Some(&b"1"[..])
        );
        assert_eq!(s.get(Kind::Person, "a").unwrap(), None);
        let mut seen = Vec::new();
        s.scan(Kind::Document, None, &mut |k, _| {
            seen.push(String::from_utf8(k.to_vec()).unwrap());
            true
        })
        .unwrap();
        assert_eq!(seen, ["a", "b"]);
        let mut rest = Vec::new();
        s.scan(Kind::Document, Some(b"a"), &mut |k, _| {
            rest.push(k.to_vec());
            true
        })
        .unwrap();
        assert_eq!(rest, [b"b".to_vec()]);
    }

    #[test]
    fn refuses_a_store_of_another_format() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = RocksStore::open(dir.path()).unwrap();
            let meta = s.cf(META).unwrap();
            s.db.put_cf(meta, FORMAT_KEY, b"999").unwrap();
        }
        assert!(RocksStore::open(dir.path()).is_err());
    }
}

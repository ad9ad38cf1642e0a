//! crosscheck-store: RocksDB behind crosscheck-core's `Store` trait. One column family per kind
//! plus `meta`; keys are record ids, values the canonical JSON line. The audit trail (`audit`,
//! keyed by sequence number) and the hit notices (`notices`, keyed by owner and cursor) live
//! beside the records, written by `append_audit` in one synced batch. The only crate that links
//! rocksdb; nothing above it knows RocksDB exists. Backups are RocksDB checkpoints
//! (`RocksStore::checkpoint`), which are store directories themselves (`restore`, `inspect`).

mod bulk;

use std::path::{Path, PathBuf};

use crosscheck_core::CountryCode;
use crosscheck_core::engine::SavedIndex;
use crosscheck_core::error::{Error, FieldError, Result};
use crosscheck_core::index::IndexStats;
use crosscheck_core::record::Kind;
use crosscheck_core::store::{Part, Store, StoreHealth, WriteOp};
use rocksdb::checkpoint::Checkpoint;
use rocksdb::statistics::Ticker;
use rocksdb::{
    BlockBasedOptions, Cache, ColumnFamilyDescriptor, DB, DBCompressionType, Direction,
    IteratorMode, Options, WriteBatch, WriteOptions,
};

const META: &str = "meta";
const FORMAT_KEY: &[u8] = b"format";
/// Bumped when the key or value layout changes; a store of another format is refused.
const FORMAT: &[u8] = b"1";
/// In `meta`: the stamp of each saved part of the index that matches the records stored, if
/// one does. Every write that touches a part's records deletes its stamp in the same batch.
fn stamp_key(part: Part) -> &'static [u8] {
    match part {
        Part::Documents => b"documents_stamp",
        Part::Records => b"records_stamp",
    }
}
/// The saved parts of the index, inside the data directory (RocksDB ignores them).
pub const DOCUMENT_INDEX_DIR: &str = "documents.index";
pub const RECORD_INDEX_DIR: &str = "records.index";

/// Where the index of the store in `data_dir` is saved.
pub fn saved_index(data_dir: &Path) -> SavedIndex {
    SavedIndex {
        documents: data_dir.join(DOCUMENT_INDEX_DIR),
        records: data_dir.join(RECORD_INDEX_DIR),
    }
}
const BLOCK_CACHE_BYTES: usize = 256 << 20;
const AUDIT: &str = "audit";
const NOTICES: &str = "notices";
pub use bulk::BulkWriter;

const COLUMN_FAMILIES: [&str; 6] = [META, "persons", "documents", "objects", AUDIT, NOTICES];

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

/// What a store directory holds: records per kind and the bytes of its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreSummary {
    pub records: IndexStats,
    pub bytes: u64,
}

pub struct RocksStore {
    db: DB,
    /// The database options, kept for their statistics (block cache hits, write stalls).
    opts: Options,
}

impl RocksStore {
    pub fn open(path: &Path) -> Result<RocksStore> {
        let cache = Cache::new_lru_cache(BLOCK_CACHE_BYTES);
        let mut opts = options(&cache);
        opts.enable_statistics();
        let cfs = COLUMN_FAMILIES.map(|name| ColumnFamilyDescriptor::new(name, options(&cache)));
        let db = DB::open_cf_descriptors(&opts, path, cfs).map_err(internal)?;
        let store = RocksStore { db, opts };
        store.check_format()?;
        Ok(store)
    }

    /// Opens without writing anything, so that a snapshot stays as it was made; a directory
    /// that is not a crosscheck store is refused.
    fn open_read_only(path: &Path) -> Result<RocksStore> {
        if !path.join("CURRENT").is_file() {
            return Err(Error::Store(format!(
                "{} is not a crosscheck store (no RocksDB `CURRENT` file)",
                path.display()
            )));
        }
        let cache = Cache::new_lru_cache(BLOCK_CACHE_BYTES);
        let opts = options(&cache);
        // Those it has: a snapshot of an older build may lack the newer column families.
        let names = DB::list_cf(&opts, path).map_err(internal)?;
        let cfs = names
            .iter()
            .map(|name| ColumnFamilyDescriptor::new(name, options(&cache)));
        let db = DB::open_cf_descriptors_read_only(&opts, path, cfs, false).map_err(internal)?;
        let store = RocksStore { db, opts };
        match store
            .db
            .get_cf(store.cf(META)?, FORMAT_KEY)
            .map_err(internal)?
        {
            Some(f) if f == FORMAT => Ok(store),
            _ => Err(Error::Store(format!(
                "{} is not a crosscheck store of format {}",
                path.display(),
                String::from_utf8_lossy(FORMAT)
            ))),
        }
    }

    /// Writes a consistent copy of the store as it is now into `dir`, which must not exist,
    /// while reads and writes go on: a RocksDB checkpoint (memtables flushed, SST files hard
    /// linked when on the same file system). The copy is a store directory of its own.
    pub fn checkpoint(&self, dir: &Path) -> Result<StoreSummary> {
        if dir.exists() {
            return Err(already_there(dir));
        }
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        Checkpoint::new(&self.db)
            .and_then(|c| c.create_checkpoint(dir))
            .map_err(internal)?;
        inspect(dir)
    }

    fn count(&self, kind: Kind) -> Result<u64> {
        let mut n = 0;
        self.scan(kind, None, &mut |_, _| {
            n += 1;
            true
        })?;
        Ok(n)
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

/// A hit notice for `owner`, under its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    pub owner: CountryCode,
    pub cursor: u64,
    pub json: String,
}

fn notice_key(owner: CountryCode, cursor: u64) -> Vec<u8> {
    let mut key = owner.as_str().as_bytes().to_vec();
    key.extend_from_slice(&cursor.to_be_bytes());
    key
}

/// The audit trail and the hit notices.
impl RocksStore {
    /// Appends audit entries (`seq`, JSON line) and notices in one batch, acknowledged once the
    /// WAL is on disk.
    pub fn append_audit(&self, entries: &[(u64, String)], notices: &[NoticeRow]) -> Result<()> {
        let mut batch = WriteBatch::default();
        let audit = self.cf(AUDIT)?;
        for (seq, line) in entries {
            batch.put_cf(audit, seq.to_be_bytes(), line);
        }
        let cf = self.cf(NOTICES)?;
        for n in notices {
            batch.put_cf(cf, notice_key(n.owner, n.cursor), &n.json);
        }
        let mut wo = WriteOptions::default();
        wo.set_sync(true);
        self.db.write_opt(batch, &wo).map_err(internal)
    }

    /// The last audit entry's JSON line, to continue the chain after a restart.
    pub fn last_audit(&self) -> Result<Option<String>> {
        let mut it = self.db.iterator_cf(self.cf(AUDIT)?, IteratorMode::End);
        it.next()
            .transpose()
            .map_err(internal)?
            .map(|(_, v)| utf8(&v))
            .transpose()
    }

    /// Visits audit entries from `from` (a sequence number) on, in order, while `visit` says so.
    pub fn scan_audit(&self, from: u64, visit: &mut dyn FnMut(&str) -> bool) -> Result<()> {
        let start = from.to_be_bytes();
        let mode = IteratorMode::From(&start, Direction::Forward);
        for item in self.db.iterator_cf(self.cf(AUDIT)?, mode) {
            let (_, value) = item.map_err(internal)?;
            if !visit(&utf8(&value)?) {
                break;
            }
        }
        Ok(())
    }

    /// Visits `owner`'s notices after `after`, in cursor order, while `visit` says so.
    pub fn scan_notices(
        &self,
        owner: CountryCode,
        after: u64,
        visit: &mut dyn FnMut(u64, &str) -> bool,
    ) -> Result<()> {
        let prefix = owner.as_str().as_bytes();
        let start = notice_key(owner, after);
        let mode = IteratorMode::From(&start, Direction::Forward);
        for item in self.db.iterator_cf(self.cf(NOTICES)?, mode) {
            let (key, value) = item.map_err(internal)?;
            let Some(cursor) = key
                .strip_prefix(prefix)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
                .map(u64::from_be_bytes)
            else {
                break;
            };
            if cursor == after {
                continue;
            }
            if !visit(cursor, &utf8(&value)?) {
                break;
            }
        }
        Ok(())
    }
}

fn utf8(bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| Error::Store(format!("stored text is not UTF-8: {e}")))
}

impl Store for RocksStore {
    fn write(&self, ops: Vec<WriteOp>) -> Result<()> {
        let mut batch = WriteBatch::default();
        for part in Part::ALL {
            let touched = ops.iter().any(|op| match op {
                WriteOp::Put { kind, .. } | WriteOp::Delete { kind, .. } => Part::of(*kind) == part,
            });
            if touched {
                batch.delete_cf(self.cf(META)?, stamp_key(part));
            }
        }
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

    fn saved_stamp(&self, part: Part) -> Result<Option<u64>> {
        let stamp = self
            .db
            .get_cf(self.cf(META)?, stamp_key(part))
            .map_err(internal)?;
        Ok(stamp.and_then(|b| {
            <[u8; 8]>::try_from(b.as_slice())
                .ok()
                .map(u64::from_le_bytes)
        }))
    }

    fn stamp(&self, part: Part) -> Result<Option<u64>> {
        // Only has to differ from the stamp before it: the clock in nanoseconds does.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        let mut wo = WriteOptions::default();
        wo.set_sync(true);
        self.db
            .put_cf_opt(self.cf(META)?, stamp_key(part), stamp.to_le_bytes(), &wo)
            .map_err(internal)?;
        Ok(Some(stamp))
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
        self.cf_property("rocksdb.total-sst-files-size")
    }

    fn health(&self) -> StoreHealth {
        StoreHealth {
            sst_bytes: self.disk_bytes(),
            pending_compaction_bytes: self.cf_property("rocksdb.estimate-pending-compaction-bytes"),
            block_cache_hits: self.opts.get_ticker_count(Ticker::BlockCacheHit),
            block_cache_misses: self.opts.get_ticker_count(Ticker::BlockCacheMiss),
            write_stall_micros: self.opts.get_ticker_count(Ticker::StallMicros),
            write_stopped: self
                .db
                .property_int_value("rocksdb.is-write-stopped")
                .ok()
                .flatten()
                .is_some_and(|v| v != 0),
        }
    }
}

impl RocksStore {
    /// An integer property summed over the column families.
    fn cf_property(&self, name: &str) -> u64 {
        COLUMN_FAMILIES
            .iter()
            .filter_map(|cf| self.cf(cf).ok())
            .filter_map(|cf| self.db.property_int_value_cf(cf, name).ok().flatten())
            .sum()
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Store(format!("{}: {e}", path.display()))
}

fn already_there(dir: &Path) -> Error {
    FieldError::new(
        "dir",
        format!("{} already exists; choose a new directory", dir.display()),
    )
    .into()
}

/// Counts the records of a store directory (a snapshot) without changing it, verifying that it
/// opens and reads to the end.
pub fn inspect(dir: &Path) -> Result<StoreSummary> {
    let store = RocksStore::open_read_only(dir)?;
    let records = IndexStats {
        persons: store.count(Kind::Person)?,
        documents: store.count(Kind::Document)?,
        objects: store.count(Kind::Object)?,
    };
    Ok(StoreSummary {
        records,
        bytes: files(dir)?
            .iter()
            .map(|f| f.metadata().map_or(0, |m| m.len()))
            .sum(),
    })
}

/// The files of a store directory, which RocksDB keeps flat.
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))? {
        let path = entry.map_err(|e| io_error(dir, &e))?.path();
        if !path.is_file() {
            return Err(Error::Store(format!(
                "{}: unexpected entry in a store directory",
                path.display()
            )));
        }
        out.push(path);
    }
    Ok(out)
}

/// Copies the snapshot in `snapshot` to `data_dir`, which must be missing or empty, so that the
/// snapshot itself stays untouched when the copy is served. The copy is made beside `data_dir`
/// and renamed into place once complete and synced, so a failed restore leaves no half store.
pub fn restore(snapshot: &Path, data_dir: &Path) -> Result<StoreSummary> {
    let expected = inspect(snapshot)?;
    let partial = partial_dir(data_dir, "restore", ".restoring")?;
    let copied = copy_synced(snapshot, &partial)
        .and_then(|()| std::fs::rename(&partial, data_dir).map_err(|e| io_error(data_dir, &e)));
    if let Err(e) = copied {
        // Best effort: the error that matters is the copy's.
        let _ = std::fs::remove_dir_all(&partial);
        return Err(e);
    }
    let restored = inspect(data_dir)?;
    if restored.records != expected.records {
        return Err(Error::Store(format!(
            "restored copy in {} differs from the snapshot",
            data_dir.display()
        )));
    }
    Ok(restored)
}

/// A new directory beside `data_dir` to build a store in before renaming it into place;
/// `data_dir` must be missing or empty.
fn partial_dir(data_dir: &Path, what: &str, suffix: &str) -> Result<PathBuf> {
    let occupied = match std::fs::read_dir(data_dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_error(data_dir, &e)),
    };
    if occupied {
        return Err(FieldError::new(
            "data_dir",
            format!(
                "{} is not empty; {what} into a new directory",
                data_dir.display()
            ),
        )
        .into());
    }
    let mut partial = data_dir.as_os_str().to_owned();
    partial.push(suffix);
    let partial = PathBuf::from(partial);
    // Never reuses a leftover of an earlier attempt, which may hold stray files.
    std::fs::create_dir(&partial).map_err(|e| io_error(&partial, &e))?;
    Ok(partial)
}

fn copy_synced(from: &Path, to: &Path) -> Result<()> {
    for file in files(from)? {
        let Some(name) = file.file_name() else {
            continue;
        };
        let target = to.join(name);
        std::fs::copy(&file, &target).map_err(|e| io_error(&file, &e))?;
        std::fs::File::open(&target)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(&target, &e))?;
    }
    std::fs::File::open(to)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(to, &e))
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
    fn checkpoint_restores_to_the_same_records_and_leaves_the_snapshot_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("live");
        let snap = dir.path().join("backups/one");
        let s = RocksStore::open(&live).unwrap();
        s.write(vec![
            put(Kind::Document, "D-1", "d"),
            put(Kind::Person, "P-1", "p"),
            put(Kind::Person, "P-2", "p"),
        ])
        .unwrap();
        let made = s.checkpoint(&snap).unwrap();
        // Written after the checkpoint: in the live store only.
        s.write(vec![put(Kind::Object, "O-1", "o")]).unwrap();
        let counts = IndexStats {
            persons: 2,
            documents: 1,
            objects: 0,
        };
        assert_eq!(made.records, counts);
        assert!(made.bytes > 0);
        let err = s.checkpoint(&snap).unwrap_err().to_string();
        assert!(
            err.starts_with("dir: ") && err.contains("already exists"),
            "{err}"
        );

        let restored = dir.path().join("restored");
        std::fs::create_dir(&restored).unwrap();
        assert_eq!(restore(&snap, &restored).unwrap().records, counts);
        assert_eq!(inspect(&snap).unwrap(), made, "snapshot changed by restore");
        let err = restore(&snap, &restored).unwrap_err().to_string();
        assert!(
            err.starts_with("data_dir: ") && err.contains("not empty"),
            "{err}"
        );
        let err = restore(&live.join("nothing"), &dir.path().join("x")).unwrap_err();
        assert!(err.to_string().contains("not a crosscheck store"), "{err}");

        let r = RocksStore::open(&restored).unwrap();
        assert_eq!(
            r.get(Kind::Person, "P-2").unwrap().as_deref(),
            Some(&b"p"[..])
        );
        assert_eq!(r.get(Kind::Object, "O-1").unwrap(), None);
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

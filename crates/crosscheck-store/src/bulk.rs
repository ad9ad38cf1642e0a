//! The bulk path into an empty store: sorted SST files, written in parallel by the caller's
//! threads, then ingested into RocksDB (no WAL, no memtable, no compaction when the files
//! of a kind do not overlap). The store is built beside the data directory and renamed into
//! place only when complete, so a failed or refused load leaves nothing behind.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crosscheck_core::error::Result;
use crosscheck_core::record::Kind;
use parking_lot::Mutex;
use rocksdb::{Cache, DBCompressionType, IngestExternalFileOptions, SstFileWriter};

use crosscheck_core::store::{Part, Store};

use crate::{DOCUMENT_INDEX_DIR, RocksStore, cf_name, internal, io_error, options, partial_dir};

pub struct BulkWriter {
    data_dir: PathBuf,
    partial: PathBuf,
    staging: PathBuf,
    cache: Cache,
    next: AtomicU64,
    /// Files per kind, in the order written.
    files: Mutex<Vec<(Kind, PathBuf)>>,
}

impl BulkWriter {
    /// Starts a load into `data_dir`, which must be missing or empty.
    pub fn create(data_dir: &Path) -> Result<BulkWriter> {
        let partial = partial_dir(data_dir, "load", ".loading")?;
        let staging = partial.join("bulk");
        std::fs::create_dir(&staging).map_err(|e| io_error(&staging, &e))?;
        Ok(BulkWriter {
            data_dir: data_dir.to_owned(),
            partial,
            staging,
            cache: Cache::new_lru_cache(1 << 20),
            next: AtomicU64::new(0),
            files: Mutex::new(Vec::new()),
        })
    }

    /// Writes one SST file of records of one kind; `rows` sorted by id, ids unique.
    /// Safe to call from many threads.
    pub fn write_sorted(&self, kind: Kind, rows: &[(&str, &[u8])]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut opts = options(&self.cache);
        // LZ4, not zstd at its fastest level: compressing was a seventh of a load in zstd,
        // and LZ4 loads 9% more records a second for SST files 21% larger (the saved
        // document index, about as large again, is the same). A later compaction of the
        // bottom level writes zstd.
        opts.set_bottommost_compression_type(DBCompressionType::Lz4);
        let mut writer = SstFileWriter::create(&opts);
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let path = self.staging.join(format!("{n:08}.sst"));
        writer.open(&path).map_err(internal)?;
        for (id, value) in rows {
            writer.put(id, value).map_err(internal)?;
        }
        writer.finish().map_err(internal)?;
        self.files.lock().push((kind, path));
        Ok(())
    }

    /// Ingests every file written, has `save_documents` save the document index (under the
    /// stamp given, into the directory given), then moves the store into place.
    pub fn finish(self, save_documents: impl FnOnce(&Path, u64) -> Result<()>) -> Result<()> {
        let done = self.ingest(save_documents).and_then(|()| {
            std::fs::rename(&self.partial, &self.data_dir).map_err(|e| io_error(&self.data_dir, &e))
        });
        if done.is_err() {
            self.abandon();
        }
        done
    }

    fn ingest(&self, save_documents: impl FnOnce(&Path, u64) -> Result<()>) -> Result<()> {
        let store = RocksStore::open(&self.partial)?;
        let mut opts = IngestExternalFileOptions::default();
        // Renamed into the store, not copied: the staging directory is on the same disk.
        opts.set_move_files(true);
        let files = std::mem::take(&mut *self.files.lock());
        for kind in Kind::ALL {
            let cf = store.cf(cf_name(*kind))?;
            // One call per file: files of different chunks may overlap (input not in id
            // order); RocksDB then places the later one above the earlier.
            for (_, path) in files.iter().filter(|(k, _)| k == kind) {
                store
                    .db
                    .ingest_external_file_cf_opts(cf, &opts, vec![path])
                    .map_err(internal)?;
            }
        }
        if let Some(stamp) = store.stamp(Part::Documents)? {
            save_documents(&self.partial.join(DOCUMENT_INDEX_DIR), stamp)?;
        }
        drop(store);
        std::fs::remove_dir_all(&self.staging).map_err(|e| io_error(&self.staging, &e))
    }

    /// Removes everything the load made.
    pub fn abandon(self) {
        // Best effort: the error that matters is the one that made the load stop.
        let _ = std::fs::remove_dir_all(&self.partial);
    }
}

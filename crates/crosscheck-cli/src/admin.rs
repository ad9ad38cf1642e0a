//! `crosscheck admin`: snapshots made by a running server, restoring one into a data
//! directory, and the bulk load of a new data directory.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use crosscheck_core::bulk::{BulkLoad, SortedSink};
use crosscheck_core::record::Kind;
use crosscheck_store::BulkWriter;

/// Lines handed to the loader at a time: large enough to keep both cores busy.
const BULK_CHUNK: usize = 1 << 18;

pub fn snapshot(conn: &crate::connection::Connection, dir: &Path) -> anyhow::Result<()> {
    // The server resolves paths on its own machine: send what this command's caller meant.
    let dir = std::path::absolute(dir).with_context(|| format!("{}", dir.display()))?;
    let dir = dir
        .to_str()
        .with_context(|| format!("{}: not UTF-8", dir.display()))?;
    let made = crate::runtime()?.block_on(async {
        let client = conn.connect().await?;
        anyhow::Ok(client.snapshot(None, dir).await.context("snapshot")?)
    })?;
    eprintln!(
        "snapshot in {}: {} persons, {} documents, {} objects, {} bytes",
        made.dir, made.persons, made.documents, made.objects, made.bytes
    );
    Ok(())
}

pub fn restore(snapshot: &Path, data_dir: &Path) -> anyhow::Result<()> {
    let done = crosscheck_store::restore(snapshot, data_dir).context("restore")?;
    let r = &done.records;
    eprintln!(
        "restored into {}: {} persons, {} documents, {} objects, {} bytes; \
         serve it with `crosscheck serve --data-dir {}`",
        data_dir.display(),
        r.persons,
        r.documents,
        r.objects,
        done.bytes,
        data_dir.display()
    );
    Ok(())
}

/// A chunk of lines: (line number, text or why it is unreadable).
type Chunk = Vec<(u64, Result<String, String>)>;

struct Sink(BulkWriter);

impl SortedSink for Sink {
    fn write_sorted(&self, kind: Kind, rows: &[(&str, &[u8])]) -> crosscheck_core::Result<()> {
        self.0.write_sorted(kind, rows)
    }
}

pub fn bulk_load(data_dir: &Path, file: &Path, skip_invalid: bool) -> anyhow::Result<()> {
    let (input, size): (Box<dyn std::io::Read + Send>, _) = if file == Path::new("-") {
        (Box::new(std::io::stdin()), None)
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let started = Instant::now();
    let sink = Sink(BulkWriter::create(data_dir).context("bulk load")?);
    // Reading and decoding lines overlaps with parsing and writing the previous chunk.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(2);
    let reader = std::thread::spawn(move || read_chunks(input, &tx));
    let mut load = BulkLoad::new(&sink, skip_invalid);
    if let Some(size) = size {
        load = load.expecting_bytes(size);
    }
    let mut failure = None;
    for chunk in rx {
        if let Err(e) = load.add(chunk) {
            failure = Some(e);
            break;
        }
    }
    let read = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reading thread failed"))?;
    let report = load.finish();
    for r in &report.rejected {
        eprintln!("line {}: {}", r.line, r.message);
    }
    let rejected = report.rejected.len();
    if let Some(e) = failure {
        sink.0.abandon();
        return Err(e).context("bulk load");
    }
    if let Err(e) = read {
        sink.0.abandon();
        return Err(e).with_context(|| format!("reading {}", file.display()));
    }
    if rejected > 0 && !skip_invalid {
        sink.0.abandon();
        bail!("{rejected} bad lines; nothing stored (use --skip-invalid to store the good lines)");
    }
    let documents = &report.documents;
    sink.0
        .finish(|dir, stamp| {
            documents
                .save(dir, stamp)
                .map_err(|e| crosscheck_core::Error::Store(format!("{}: {e}", dir.display())))
        })
        .context("bulk load")?;
    let s = report.stored;
    let stored = s.persons + s.documents + s.objects;
    eprintln!(
        "stored {stored} ({} persons, {} documents, {} objects) in {}, skipped {rejected}, {:.0} records/s",
        s.persons,
        s.documents,
        s.objects,
        data_dir.display(),
        stored as f64 / started.elapsed().as_secs_f64().max(1e-6)
    );
    Ok(())
}

fn read_chunks(
    input: Box<dyn std::io::Read + Send>,
    tx: &std::sync::mpsc::SyncSender<Chunk>,
) -> std::io::Result<()> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, input);
    let mut chunk = Vec::with_capacity(BULK_CHUNK);
    let mut buf = Vec::new();
    let mut number = 0u64;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        number += 1;
        match crate::lines::decode(&buf, number == 1) {
            Ok(text) if text.trim().is_empty() => continue,
            decoded => chunk.push((number, decoded.map(str::to_owned))),
        }
        // A closed channel means the loader stopped; its error is reported by the caller.
        if chunk.len() == BULK_CHUNK && tx.send(std::mem::take(&mut chunk)).is_err() {
            return Ok(());
        }
    }
    // Nothing to do when the loader already stopped.
    let _ = tx.send(chunk);
    Ok(())
}

//! `crosscheck import`: streams an NDJSON file to the server, which validates every line before
//! storing any; reports each bad line and a summary.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use crosscheck_client::messages::{ImportChunk, ImportLine};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Lines per message: large enough to amortise, small enough to stay far below message limits.
const CHUNK_LINES: usize = 4096;

pub fn run(
    conn: &crate::connection::Connection,
    file: &Path,
    skip_invalid: bool,
) -> anyhow::Result<()> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let size = reader.metadata().map(|m| m.len()).unwrap_or(0);
    // Hidden automatically when stderr is not a terminal.
    let progress = ProgressBar::new(size).with_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let summary = crate::runtime()?.block_on(async {
        let client = conn.connect().await?;
        let (tx, rx) = mpsc::channel(8);
        let bar = progress.clone();
        let reader_task =
            tokio::task::spawn_blocking(move || send_chunks(reader, skip_invalid, &tx, &bar));
        let summary = client.import(None, ReceiverStream::new(rx)).await;
        reader_task.await??;
        anyhow::Ok(summary.context("import")?)
    })?;
    progress.finish_and_clear();
    for r in &summary.rejected {
        eprintln!("line {}: {}", r.line, r.message);
    }
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    let rejected = summary.rejected.len();
    if rejected > 0 && !skip_invalid {
        bail!("{rejected} bad lines; nothing stored (use --skip-invalid to store the good lines)");
    }
    eprintln!(
        "stored {}, skipped {rejected}, {:.0} records/s",
        summary.stored,
        summary.stored as f64 / secs
    );
    Ok(())
}

fn send_chunks(
    reader: std::fs::File,
    skip_invalid: bool,
    tx: &mpsc::Sender<ImportChunk>,
    progress: &ProgressBar,
) -> anyhow::Result<()> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, reader);
    let mut lines = Vec::with_capacity(CHUNK_LINES);
    let mut buf = Vec::new();
    let mut number = 0u64;
    let send = |lines: Vec<ImportLine>| {
        // A closed channel means the call already failed; its error is reported by the caller.
        tx.blocking_send(ImportChunk {
            skip_invalid,
            lines,
        })
        .is_ok()
    };
    loop {
        buf.clear();
        let read = reader.read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        number += 1;
        progress.inc(read as u64);
        let line = match crate::lines::decode(&buf, number == 1) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => ImportLine {
                line: number,
                json: text.to_owned(),
                unreadable: String::new(),
            },
            Err(why) => ImportLine {
                line: number,
                json: String::new(),
                unreadable: why,
            },
        };
        lines.push(line);
        if lines.len() == CHUNK_LINES && !send(std::mem::take(&mut lines)) {
            return Ok(());
        }
    }
    // Always send a last message so that skip_invalid reaches the server even for empty files.
    send(lines);
    Ok(())
}

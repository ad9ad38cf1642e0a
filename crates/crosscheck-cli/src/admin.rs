//! `crosscheck admin`: snapshots made by a running server, and restoring one into a data
//! directory.

use std::path::Path;

use anyhow::Context;

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

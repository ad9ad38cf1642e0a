//! `crosscheck export`: every stored record in canonical form, ordered by id.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use crosscheck_core::CountryCode;
use tokio_stream::StreamExt;

pub fn run(
    conn: &crate::connection::Connection,
    owner: Option<CountryCode>,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(crate::output_writer(output)?);
    crate::runtime()?.block_on(async {
        let client = conn.connect().await?;
        let mut stream = client.export(None, owner).await.context("export")?;
        while let Some(chunk) = stream.next().await {
            for line in chunk.context("export")?.records_json {
                writeln!(out, "{line}")?;
            }
        }
        out.flush()?;
        Ok(())
    })
}

//! `crosscheck audit`: the audit trail's export (auditors), and the check of its hash chain,
//! either of the whole trail as the server holds it or of an exported file.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use crosscheck_core::audit::{Verified, Verifier};

use crate::connection::Connection;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write the entries made from --since to --until as JSON lines, in order
    Export {
        #[command(flatten)]
        conn: Connection,
        /// RFC 3339 timestamp, e.g. 2026-11-23T00:00:00Z; from the first entry when absent
        #[arg(long)]
        since: Option<String>,
        /// RFC 3339 timestamp; to the last entry when absent
        #[arg(long)]
        until: Option<String>,
        /// File to write; stdout when absent or `-`
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check the hash chain: of the server's whole trail, or of an exported file (--input).
    /// Names the first altered, removed or reordered entry; exit 1 when the chain is broken
    Verify {
        #[command(flatten)]
        conn: Connection,
        /// An export to check instead of the server's trail; `-` for stdin
        #[arg(long)]
        input: Option<PathBuf>,
    },
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Export {
            conn,
            since,
            until,
            output,
        } => {
            let mut out = std::io::BufWriter::new(crate::output_writer(output.as_deref())?);
            each_entry(&conn, since.as_deref(), until.as_deref(), &mut |line| {
                writeln!(out, "{line}").context("cannot write entries")
            })?;
            out.flush().context("cannot write entries")
        }
        Command::Verify { conn, input } => {
            let mut verifier = Verifier::default();
            let mut n = 0;
            let mut push = |line: &str| {
                n += 1;
                verifier
                    .push_line(n, line)
                    .map_err(|e| anyhow::anyhow!("audit trail broken: {e}"))
            };
            match input {
                Some(path) => {
                    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
                        Box::new(std::io::stdin().lock())
                    } else {
                        let f = std::fs::File::open(&path)
                            .with_context(|| format!("cannot read {}", path.display()))?;
                        Box::new(std::io::BufReader::new(f))
                    };
                    for line in reader.lines() {
                        let line =
                            line.with_context(|| format!("cannot read {}", path.display()))?;
                        if !line.trim().is_empty() {
                            push(&line)?;
                        }
                    }
                }
                None => each_entry(&conn, None, None, &mut push)?,
            }
            report(&verifier.finish())
        }
    }
}

fn report(v: &Verified) -> anyhow::Result<()> {
    match (&v.first, &v.head) {
        (Some(first), Some(head)) => {
            writeln!(
                crate::stdout(),
                "audit trail intact: {} entries from entry {first}; head {head}",
                v.entries
            )?;
            Ok(())
        }
        _ => bail!("no audit entries to verify"),
    }
}

/// Streams the server's entries to `visit`, in order.
fn each_entry(
    conn: &Connection,
    since: Option<&str>,
    until: Option<&str>,
    visit: &mut dyn FnMut(&str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    crate::runtime()?.block_on(async {
        let client = conn.connect().await?;
        let mut chunks = client
            .audit_export(None, since.unwrap_or(""), until.unwrap_or(""))
            .await
            .context("audit export")?;
        while let Some(chunk) = chunks.message().await.context("audit export")? {
            for line in &chunk.entries_json {
                visit(line)?;
            }
        }
        Ok(())
    })
}

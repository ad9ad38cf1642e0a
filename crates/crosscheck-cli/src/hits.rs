//! `crosscheck hits`: the hits other countries made on this bureau's records, as JSON lines,
//! from a cursor on. Resume with `--after` set to the last cursor printed: notices are kept by
//! the server while the bureau is away.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use crosscheck_core::CountryCode;

use crate::connection::Connection;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    conn: Connection,
    /// The bureau, on a development server (with a certificate, the certificate says)
    #[arg(long = "as", value_name = "CODE", value_parser = crate::country_code)]
    caller: Option<CountryCode>,
    /// Only notices after this cursor (the last one received); 0 for all kept
    #[arg(long, default_value_t = 0)]
    after: u64,
    /// Stop after this many notices
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
    /// Stop when no notice came for this many seconds (default: follow until interrupted)
    #[arg(long, value_name = "SECONDS")]
    idle: Option<u64>,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    crate::runtime()?.block_on(async {
        let client = args.conn.connect().await?;
        let mut notices = client
            .subscribe(args.caller, args.after)
            .await
            .context("hits")?;
        let mut out = crate::stdout();
        let mut seen = 0;
        while args.limit.is_none_or(|l| seen < l) {
            let next = notices.message();
            let next = match args.idle {
                Some(s) => match tokio::time::timeout(Duration::from_secs(s), next).await {
                    Ok(n) => n,
                    Err(_) => break,
                },
                None => next.await,
            };
            let Some(n) = next.context("hits")? else {
                break;
            };
            let line = serde_json::json!({
                "cursor": n.cursor,
                "record_id": n.record_id,
                "kind": n.kind,
                "by": n.by,
                "at": n.at,
                "call": n.call,
                "audit_seq": n.audit_seq,
            });
            writeln!(out, "{line}").context("cannot write notices")?;
            out.flush().context("cannot write notices")?;
            seen += 1;
        }
        Ok(())
    })
}

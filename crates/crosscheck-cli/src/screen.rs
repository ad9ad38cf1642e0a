//! `crosscheck screen`: one result line per query line (shared/spec/queries.md), each query
//! sent as its own `as` country, many in flight at once; a bad line gets an error result and
//! never stops the batch.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use crosscheck_client::messages::TravellerQuery as TravellerMessage;
use crosscheck_client::{Client, Lookup, code_name};
use crosscheck_core::mrz;
use crosscheck_core::query::{Query, QueryLine, result_line, screening_line};
use futures::StreamExt;
use tonic::Status;

/// Queries in flight at once.
const CONCURRENCY: usize = 64;

pub fn run(server: &str, input: &Path, output: &Path) -> anyhow::Result<()> {
    let lines = read_lines(input)?;
    let mut out = std::io::BufWriter::new(crate::output_writer(Some(output))?);
    crate::runtime()?.block_on(async {
        let client = Client::connect(server).await?;
        let mut results = futures::stream::iter(lines)
            .map(|(number, line)| answer(&client, number, line))
            .buffer_unordered(CONCURRENCY);
        while let Some(line) = results.next().await {
            writeln!(out, "{line}").context("cannot write results")?;
        }
        out.flush().context("cannot write results")?;
        Ok(())
    })
}

fn read_lines(input: &Path) -> anyhow::Result<Vec<(usize, String)>> {
    let reader: Box<dyn BufRead> = if input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(input)
            .with_context(|| format!("cannot read {}", input.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut lines = Vec::new();
    for (i, bytes) in reader.split(b'\n').enumerate() {
        let bytes = bytes.with_context(|| format!("cannot read {}", input.display()))?;
        let text = String::from_utf8_lossy(&bytes)
            .trim_end_matches('\r')
            .to_owned();
        if !text.trim().is_empty() {
            lines.push((i + 1, text));
        }
    }
    Ok(lines)
}

fn error_text(status: &Status) -> String {
    format!("{}: {}", code_name(status.code()), status.message())
}

async fn answer(client: &Client, number: usize, line: String) -> String {
    let parsed = match QueryLine::parse(&line, number) {
        Ok(q) => q,
        Err(bad) => {
            let error = format!("invalid_argument: {}", bad.error);
            return result_line(&bad.qid, &[], Some(&error), 0);
        }
    };
    let caller = Some(parsed.caller);
    let answer: Result<Lookup, Status> = match parsed.query {
        Query::Document(q) => client.lookup_document(caller, &q).await,
        Query::Person(q) => client.search_persons(caller, &q).await,
        Query::Object(q) => client.lookup_object(caller, &q).await,
        Query::Mrz(text) => {
            let message = TravellerMessage {
                mrz: text.clone(),
                ..TravellerMessage::default()
            };
            // The server has read the zone already; read again here only to echo its fields.
            let fields = mrz::parse(&text).ok().map(|m| m.to_json());
            return screening(client, &parsed.qid, caller, message, fields).await;
        }
        Query::Traveller(q) => {
            return screening(client, &parsed.qid, caller, (&q).into(), None).await;
        }
    };
    match answer {
        Ok(a) => result_line(&parsed.qid, &a.hits, None, a.latency_us),
        Err(status) => result_line(&parsed.qid, &[], Some(&error_text(&status)), 0),
    }
}

async fn screening(
    client: &Client,
    qid: &str,
    caller: Option<crosscheck_core::CountryCode>,
    message: TravellerMessage,
    fields: Option<serde_json::Value>,
) -> String {
    match client.screen_traveller(caller, message).await {
        Ok(s) => screening_line(qid, &s.hits, s.verdict, fields, s.latency_us),
        Err(status) => result_line(qid, &[], Some(&error_text(&status)), 0),
    }
}

//! `crosscheck screen`: one result line per query line (shared/spec/queries.md). Lines are
//! grouped by their `as` country and sent on one screening stream per country, so each query
//! is made as its own caller; a bad line gets an error result and never stops the batch.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use crosscheck_client::{Client, ScreenAnswer, code_name};
use crosscheck_core::CountryCode;
use crosscheck_core::mrz;
use crosscheck_core::query::{Query, QueryLine, result_line, screening_line};
use futures::StreamExt;
use tokio::sync::mpsc;

/// What a result needs of its query line: the qid, and the zone to echo its fields.
struct Pending {
    qid: String,
    zone: Option<String>,
}

pub fn run(
    conn: &crate::connection::Connection,
    input: &Path,
    output: &Path,
) -> anyhow::Result<()> {
    let lines = read_lines(input)?;
    let mut out = std::io::BufWriter::new(crate::output_writer(Some(output))?);
    let mut by_caller: BTreeMap<CountryCode, Vec<(String, Query)>> = BTreeMap::new();
    let mut pending: HashMap<String, Pending> = HashMap::new();
    for (number, line) in lines {
        let line = match line {
            Ok(line) => line,
            Err(why) => {
                let error = format!("invalid_argument: {why}");
                let qid = format!("line:{number}");
                writeln!(out, "{}", result_line(&qid, &[], Some(&error), 0))?;
                continue;
            }
        };
        match QueryLine::parse(&line, number) {
            Ok(q) => {
                let tag = number.to_string();
                let zone = match &q.query {
                    Query::Mrz(text) => Some(text.clone()),
                    Query::Document(_)
                    | Query::Person(_)
                    | Query::Object(_)
                    | Query::Traveller(_) => None,
                };
                pending.insert(tag.clone(), Pending { qid: q.qid, zone });
                by_caller.entry(q.caller).or_default().push((tag, q.query));
            }
            Err(bad) => {
                // Without a caller a query is unauthenticated, as it is over gRPC.
                let code = if bad.error.field == "as" {
                    "unauthenticated"
                } else {
                    "invalid_argument"
                };
                let error = format!("{code}: {}", bad.error);
                writeln!(out, "{}", result_line(&bad.qid, &[], Some(&error), 0))?;
            }
        }
    }
    crate::runtime()?.block_on(async {
        let client = conn.connect().await?;
        let (tx, mut rx) = mpsc::channel::<Result<ScreenAnswer, (String, String)>>(1024);
        for (caller, queries) in by_caller {
            let (client, tx) = (client.clone(), tx.clone());
            tokio::spawn(async move { screen_as(&client, caller, queries, &tx).await });
        }
        drop(tx);
        while let Some(answer) = rx.recv().await {
            let line = match answer {
                Ok(a) => answer_line(&pending, a),
                Err((tag, error)) => {
                    let qid = pending.get(&tag).map_or(tag.as_str(), |p| p.qid.as_str());
                    result_line(qid, &[], Some(&error), 0)
                }
            };
            writeln!(out, "{line}").context("cannot write results")?;
            // Answers already received reach the output even if the batch fails later.
            if rx.is_empty() {
                out.flush().context("cannot write results")?;
            }
        }
        out.flush().context("cannot write results")?;
        Ok(())
    })
}

/// Runs one caller's queries on one stream; every query gets an answer or an error.
async fn screen_as(
    client: &Client,
    caller: CountryCode,
    queries: Vec<(String, Query)>,
    tx: &mpsc::Sender<Result<ScreenAnswer, (String, String)>>,
) {
    let mut unanswered: Vec<String> = queries.iter().map(|(tag, _)| tag.clone()).collect();
    let requests = queries
        .into_iter()
        .map(|(tag, q)| crosscheck_client::screen_request(tag, &q))
        .collect::<Vec<_>>();
    let failure = match client
        .screen(Some(caller), futures::stream::iter(requests))
        .await
    {
        Ok(mut answers) => loop {
            match answers.next().await {
                Some(Ok(a)) => {
                    unanswered.retain(|t| *t != a.tag);
                    if tx.send(Ok(a)).await.is_err() {
                        return;
                    }
                }
                Some(Err(status)) => {
                    break format!("{}: {}", code_name(status.code()), status.message());
                }
                None if unanswered.is_empty() => return,
                None => break "unavailable: the server closed the stream early".to_owned(),
            }
        },
        Err(status) => format!("{}: {}", code_name(status.code()), status.message()),
    };
    for tag in unanswered {
        if tx.send(Err((tag, failure.clone()))).await.is_err() {
            return;
        }
    }
}

fn answer_line(pending: &HashMap<String, Pending>, a: ScreenAnswer) -> String {
    let (qid, zone) = pending.get(&a.tag).map_or((a.tag.as_str(), None), |p| {
        (p.qid.as_str(), p.zone.as_deref())
    });
    if let Some(error) = &a.error {
        return result_line(qid, &[], Some(error), a.latency_us);
    }
    match a.verdict {
        // The server has read the zone already; read again here only to echo its fields.
        Some(verdict) => {
            let fields = zone.and_then(|z| mrz::parse(z).ok()).map(|m| m.to_json());
            screening_line(qid, &a.hits, verdict, fields, a.latency_us)
        }
        None => result_line(qid, &a.hits, None, a.latency_us),
    }
}

/// The non-blank lines with their numbers; a line that cannot be read as text is kept as the
/// reason, to be answered with an error.
fn read_lines(input: &Path) -> anyhow::Result<Vec<(usize, Result<String, String>)>> {
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
        match crate::lines::decode(&bytes, i == 0) {
            Ok(text) if text.trim().is_empty() => {}
            read => lines.push((i + 1, read.map(str::to_owned))),
        }
    }
    Ok(lines)
}

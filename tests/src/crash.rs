//! Crash safety: a server process killed with SIGKILL at random points during imports and
//! online writes, then restarted on the same data, holds every acknowledged write, and every
//! record it holds is whole and indexed.
//!
//! The server runs in a child process: this test binary started again with only
//! `crash_child_server` selected, which serves when `CHILD_DIR` is set.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crosscheck_client::Client;
use crosscheck_client::messages::{ImportChunk, ImportLine};
use crosscheck_core::identifier::luhn_check_digit;
use crosscheck_core::query::ObjectQuery;
use crosscheck_core::record::ObjectType;
use crosscheck_server::ServeConfig;
use parking_lot::Mutex;
use serde_json::Value;
use tonic::Code;

use crate::harness::country;

const CHILD_DIR: &str = "CROSSCHECK_CRASH_CHILD_DIR";
/// Cycles of the default run; `CROSSCHECK_CRASH_CYCLES` asks for more.
const CYCLES: u64 = 12;
/// Documents per import call.
const IMPORT_LINES: u64 = 2000;
/// Pause between import calls, so the data set grows slowly enough for many cycles.
const IMPORT_PAUSE: Duration = Duration::from_millis(150);
/// Objects the online writer cycles through (new, changed, deleted, back).
const OBJECTS: u64 = 40;

#[test]
#[ignore = "the server process of `acknowledged_writes_survive_sigkill`, started by it"]
fn crash_child_server() {
    let Some(dir) = std::env::var_os(CHILD_DIR).map(PathBuf::from) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.join("db"),
            demo: false,
            ops_listen: None,
            ..ServeConfig::default()
        };
        let port_file = dir.join("port");
        crosscheck_server::serve(
            config,
            |bound| {
                // Written then renamed, so the parent never reads half a port number.
                let tmp = dir.join("port.tmp");
                std::fs::write(&tmp, bound.grpc.port().to_string()).unwrap();
                std::fs::rename(&tmp, &port_file).unwrap();
            },
            std::future::pending(),
        )
        .await
        .unwrap();
    });
}

/// The child process, killed when dropped so that a failed test leaves nothing running.
struct Server {
    process: std::process::Child,
    client: Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Server {
    async fn start(dir: &Path) -> Server {
        let port_file = dir.join("port");
        let _ = std::fs::remove_file(&port_file);
        let mut process = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash::crash_child_server",
                "--exact",
                "--ignored",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut port = None;
        for _ in 0..3000 {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                port = Some(text);
                break;
            }
            assert!(
                process.try_wait().unwrap().is_none(),
                "server process exited before it was ready"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let port = port.expect("server not ready within 60 s");
        let client = Client::connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap();
        Server { process, client }
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(mut self) {
        self.process.kill().unwrap();
        self.process.wait().unwrap();
    }
}

/// splitmix64: a seeded, dependency-free source of kill times and operations.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// A record's state as the writer knows it: `None` is absent, `Some(v)` present at version v.
type State = Option<u64>;

/// Per object: the last acknowledged state and the one of a write in flight, if any.
#[derive(Default, Clone, Copy)]
struct Known {
    acked: State,
    in_flight: Option<State>,
}

fn imei(object: u64) -> String {
    let body = format!("35{object:012}");
    let check = luhn_check_digit(&body).unwrap();
    format!("{body}{check}")
}

fn object_line(object: u64, version: u64) -> String {
    format!(
        r#"{{"kind":"object","id":"O-{object}","owner":"ITA","object_type":"phone","identifiers":{{"imei":"{}"}},"status":"stolen","description":"V{version}"}}"#,
        imei(object)
    )
}

/// The version of a stored object line.
fn version_of(record: &Value) -> u64 {
    record["description"].as_str().unwrap()[1..]
        .parse()
        .unwrap()
}

/// Online writes, one at a time, until the connection breaks: each is in flight in `known`
/// before it is sent and acknowledged there once answered.
async fn write_objects(
    client: Client,
    known: Arc<Mutex<Vec<Known>>>,
    mut rng: Rng,
    mut version: u64,
) -> u64 {
    let mut acked = 0;
    loop {
        let object = rng.below(OBJECTS);
        let current = known.lock()[object as usize].acked;
        let next = match current {
            Some(_) if rng.below(4) == 0 => None,
            _ => {
                version += 1;
                Some(version)
            }
        };
        known.lock()[object as usize].in_flight = Some(next);
        let id = format!("O-{object}");
        let result = match next {
            Some(v) => client
                .upsert(country("ITA"), &object_line(object, v))
                .await
                .map(drop),
            None => client.delete(country("ITA"), &id).await,
        };
        if let Err(status) = result {
            // Only the kill may stop the writer: a refusal is a failed test.
            assert!(
                matches!(
                    status.code(),
                    Code::Unavailable | Code::Unknown | Code::Cancelled
                ),
                "{id}: {status}"
            );
            return acked;
        }
        let mut k = known.lock();
        k[object as usize] = Known {
            acked: next,
            in_flight: None,
        };
        acked += 1;
    }
}

fn document_line(batch: u64, n: u64) -> String {
    format!(
        r#"{{"kind":"document","id":"D-{batch}-{n}","owner":"FRA","number":"K{batch:04}N{n:05}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#
    )
}

/// Import calls of `IMPORT_LINES` documents until the connection breaks; returns the batches
/// acknowledged whole.
async fn import_documents(client: Client, first_batch: u64) -> Vec<u64> {
    let mut acked = Vec::new();
    for batch in first_batch.. {
        let chunk = ImportChunk {
            skip_invalid: false,
            lines: (0..IMPORT_LINES)
                .map(|n| ImportLine {
                    line: n + 1,
                    json: document_line(batch, n),
                    unreadable: String::new(),
                })
                .collect(),
        };
        match client.import(None, futures::stream::iter([chunk])).await {
            Ok(summary) if summary.stored == IMPORT_LINES => {
                acked.push(batch);
                tokio::time::sleep(IMPORT_PAUSE).await;
            }
            Ok(summary) => panic!("import refused lines: {summary:?}"),
            Err(_) => break,
        }
    }
    acked
}

async fn export_all(client: &Client) -> HashMap<String, Value> {
    use tokio_stream::StreamExt;
    let mut stream = client.export(None, None).await.unwrap();
    let mut out = HashMap::new();
    while let Some(chunk) = stream.next().await {
        for line in chunk.unwrap().records_json {
            // Whole records only: every stored line parses under the record contract.
            crosscheck_core::Record::from_json_line(&line)
                .unwrap_or_else(|e| panic!("half-written record {line}: {e}"));
            let value: Value = serde_json::from_str(&line).unwrap();
            out.insert(value["id"].as_str().unwrap().to_owned(), value);
        }
    }
    out
}

/// After a restart: every acknowledged state (or the state of the write in flight at the
/// kill) is what the store holds and what the index answers.
async fn verify(
    client: &Client,
    known: &mut [Known],
    imported: &[u64],
    started_batches: u64,
) -> usize {
    let stored = export_all(client).await;
    for (object, k) in known.iter_mut().enumerate() {
        let id = format!("O-{object}");
        let state: State = stored.get(&id).map(version_of);
        assert!(
            state == k.acked || Some(state) == k.in_flight,
            "{id}: stored {state:?}, acknowledged {:?}, in flight {:?}",
            k.acked,
            k.in_flight
        );
        let query = ObjectQuery {
            object_type: Some(ObjectType::Phone),
            identifier: imei(object as u64),
            field: Some("imei".into()),
            plate_country: None,
        };
        let hits = client
            .lookup_object(country("ITA"), &query)
            .await
            .unwrap()
            .hits;
        assert_eq!(
            hits.len(),
            usize::from(state.is_some()),
            "{id} in the index"
        );
        *k = Known {
            acked: state,
            in_flight: None,
        };
    }
    for batch in imported {
        for n in [0, IMPORT_LINES / 2, IMPORT_LINES - 1] {
            let id = format!("D-{batch}-{n}");
            assert!(stored.contains_key(&id), "acknowledged import lost {id}");
        }
        let whole = stored
            .keys()
            .filter(|id| id.starts_with(&format!("D-{batch}-")))
            .count();
        assert_eq!(whole as u64, IMPORT_LINES, "batch {batch}");
    }
    for id in stored.keys().filter(|id| id.starts_with("D-")) {
        let batch: u64 = id[2..].split('-').next().unwrap().parse().unwrap();
        assert!(batch < started_batches, "{id} was never sent");
    }
    stored.len()
}

/// [`verify`] on the shared knowledge, which then holds what was found.
async fn settle(
    client: &Client,
    known: &Mutex<Vec<Known>>,
    imported: &[u64],
    started_batches: u64,
) -> usize {
    let mut settled = known.lock().clone();
    let stored = verify(client, &mut settled, imported, started_batches).await;
    *known.lock() = settled;
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let cycles = std::env::var("CROSSCHECK_CRASH_CYCLES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CYCLES);
    let dir = tempfile::tempdir().unwrap();
    let known = Arc::new(Mutex::new(vec![Known::default(); OBJECTS as usize]));
    let mut imported = Vec::new();
    let (mut next_batch, mut version, mut writes) = (0u64, 0u64, 0u64);
    let mut rng = Rng(0x5EED);
    for cycle in 0..cycles {
        let server = Server::start(dir.path()).await;
        let stored = settle(&server.client, &known, &imported, next_batch).await;
        let writer = tokio::spawn(write_objects(
            server.client.clone(),
            known.clone(),
            Rng(cycle),
            version,
        ));
        let importer = tokio::spawn(import_documents(server.client.clone(), next_batch));
        tokio::time::sleep(Duration::from_millis(100 + rng.below(600))).await;
        server.kill();
        writes += writer.await.unwrap();
        let batches = importer.await.unwrap();
        version += 1_000_000;
        // Batches sent in this cycle: the acknowledged ones, then possibly one cut short.
        next_batch = batches.last().map_or(next_batch, |b| b + 1) + 1;
        imported.extend(batches);
        eprintln!("crash cycle {cycle}: {stored} records before, killed");
    }
    let server = Server::start(dir.path()).await;
    let stored = settle(&server.client, &known, &imported, next_batch).await;
    eprintln!(
        "crash harness: {cycles} SIGKILL cycles, {writes} acknowledged online writes, {} \
         acknowledged imports of {IMPORT_LINES} documents, {stored} records at the end, all \
         present and indexed",
        imported.len()
    );
    assert!(
        writes > 0 && !imported.is_empty(),
        "the kills came too early"
    );
}

//! Starting and stopping a real server for a test.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crosscheck_client::Client;
use crosscheck_client::messages::{ImportChunk, ImportLine, ImportSummary};
use crosscheck_core::CountryCode;
use crosscheck_server::ServeConfig;
use tokio::sync::oneshot;

pub struct TestServer {
    pub addr: SocketAddr,
    /// The ops HTTP endpoint, when started with one.
    pub ops: Option<SocketAddr>,
    pub client: Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start(data_dir: &Path) -> TestServer {
        Self::start_with(data_dir, false).await
    }

    /// With `ops`, the metrics and health endpoint listens on a free port of 127.0.0.1 too.
    pub async fn start_with(data_dir: &Path, ops: bool) -> TestServer {
        Self::start_config(ServeConfig {
            ops_listen: ops.then(|| "127.0.0.1:0".parse().unwrap()),
            ..Self::config(data_dir)
        })
        .await
    }

    /// A development server on a free port of 127.0.0.1 over `data_dir`, without ops endpoint.
    pub fn config(data_dir: &Path) -> ServeConfig {
        ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: PathBuf::from(data_dir),
            demo: false,
            ops_listen: None,
            ..ServeConfig::default()
        }
    }

    pub async fn start_config(config: ServeConfig) -> TestServer {
        let (ready_tx, ready_rx) = oneshot::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            crosscheck_server::serve(
                config,
                |bound| {
                    let _ = ready_tx.send(bound);
                },
                async {
                    let _ = stopped.await;
                },
            )
            .await
            .expect("server failed");
        });
        let bound = tokio::time::timeout(std::time::Duration::from_secs(60), ready_rx)
            .await
            .expect("server did not start within 60 s")
            .expect("server stopped before it was ready");
        let addr = bound.grpc;
        let client = Client::connect(&format!("http://{addr}")).await.unwrap();
        TestServer {
            addr,
            ops: bound.ops,
            client,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and waits until the store is closed, so that it can be reopened.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(std::time::Duration::from_secs(30), task)
                .await
                .expect("server did not stop within 30 s")
                .unwrap();
        }
    }

    /// Imports lines as the platform (no caller country), numbered from 1.
    pub async fn import(&self, lines: &[String], skip_invalid: bool) -> ImportSummary {
        let chunk = ImportChunk {
            skip_invalid,
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| ImportLine {
                    line: i as u64 + 1,
                    json: l.clone(),
                    unreadable: String::new(),
                })
                .collect(),
        };
        self.client
            .import(None, futures::stream::iter([chunk]))
            .await
            .unwrap()
    }

    /// All stored records, exported by the platform.
    pub async fn export(&self) -> Vec<String> {
        use tokio_stream::StreamExt;
        let mut stream = self.client.export(None, None).await.unwrap();
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.extend(chunk.unwrap().records_json);
        }
        out
    }
}

pub fn country(code: &str) -> Option<CountryCode> {
    Some(CountryCode::parse(code).unwrap())
}

pub fn generated(persons: u64, documents: u64, objects: u64) -> Vec<String> {
    let mut buf = Vec::new();
    crosscheck_core::synth::generate(
        &crosscheck_core::synth::GenConfig {
            persons,
            documents,
            objects,
            seed: 7,
        },
        &mut buf,
    )
    .unwrap();
    String::from_utf8(buf)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

//! The load generator against a real server: bounded runs of each mode, every request
//! answered, hits where the hit ratio asks for them. Counts only, never timings.

use std::path::PathBuf;

use crosscheck_loadgen::{Config, Kind, Mix, Mode, Report};

use crate::harness::{TestServer, country, generated};

/// A server holding a small generated data set, and that data set as a file.
fn serve(runtime: &tokio::runtime::Runtime, dir: &std::path::Path) -> (TestServer, PathBuf) {
    let lines = generated(200, 3000, 300);
    let dataset = dir.join("records.ndjson");
    std::fs::write(&dataset, lines.join("\n") + "\n").unwrap();
    let server = runtime.block_on(async {
        let server = TestServer::start(&dir.join("data")).await;
        let summary = server.import(&lines, false).await;
        assert_eq!(summary.stored, 3500, "{summary:?}");
        server
    });
    (server, dataset)
}

fn config(server: &TestServer, dataset: PathBuf, mode: Mode) -> Config {
    Config {
        server: format!("http://{}", server.addr),
        in_process: false,
        dataset,
        mode,
        rate: 2000.0,
        requests: Some(400),
        duration: None,
        warmup: 0.1,
        connections: 2,
        concurrency: 8,
        mix: Mix::default(),
        hit_ratio: 0.0001,
        batch: 10,
        caller: country("FRA").unwrap(),
        seed: 3,
        report: None,
    }
}

fn figures<'a>(report: &'a Report, kind: &str) -> &'a crosscheck_loadgen::report::Figures {
    report
        .figures
        .iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} figures in {report:?}"))
}

#[test]
fn closed_loop_mix_answers_every_request_and_finds_the_hits() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, dataset) = serve(&runtime, dir.path());
    let report_file = dir.path().join("report.json");
    let c = Config {
        mix: "document=50,person=20,object=20,screen=10".parse().unwrap(),
        hit_ratio: 0.5,
        report: Some(report_file.clone()),
        ..config(&server, dataset, Mode::Closed)
    };
    let mut summary = Vec::new();
    let report = crosscheck_loadgen::run_to_end(&c, &mut summary).unwrap();

    let all = figures(&report, "all");
    assert_eq!((all.requests, all.errors), (400, 0));
    let by_kind: u64 = ["document", "person", "object", "screen"]
        .iter()
        .map(|k| figures(&report, k).requests)
        .sum();
    assert_eq!(by_kind, 400);
    let screen = figures(&report, "screen");
    assert_eq!(screen.lookups, screen.requests * 10);
    for kind in ["document", "person", "object", "screen"] {
        assert!(figures(&report, kind).with_hits > 0, "no {kind} hits");
    }

    let summary = String::from_utf8(summary).unwrap();
    assert!(summary.starts_with("closed loop"), "{summary}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report_file).unwrap()).unwrap();
    assert_eq!(json["figures"][4]["kind"], "all");
    assert_eq!(json["figures"][4]["requests"], 400);
    runtime.block_on(server.stop());
}

#[test]
fn open_loop_hit_ratio_decides_the_hits() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, dataset) = serve(&runtime, dir.path());
    let run = |hit_ratio| {
        let c = Config {
            mix: Mix::only(Kind::Document),
            hit_ratio,
            ..config(&server, dataset.clone(), Mode::Open)
        };
        let report = crosscheck_loadgen::run_to_end(&c, &mut std::io::sink()).unwrap();
        let all = figures(&report, "all").clone();
        assert_eq!((all.requests, all.lookups, all.errors), (400, 400, 0));
        all.with_hits
    };
    // Every drawn hit is a record the caller may see: each one is found.
    assert_eq!(run(1.0), 400);
    // Made-up numbers: none stored, at most an OCR near match by chance.
    assert!(run(0.0) < 4);
    runtime.block_on(server.stop());
}

#[test]
fn batches_answer_every_query_and_find_the_hits() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, dataset) = serve(&runtime, dir.path());
    let run = |hit_ratio, in_process| {
        let c = Config {
            mix: Mix::only(Kind::Batch),
            hit_ratio,
            batch: 50,
            requests: Some(40),
            in_process,
            ..config(&server, dataset.clone(), Mode::Closed)
        };
        let report = crosscheck_loadgen::run_to_end(&c, &mut std::io::sink()).unwrap();
        let batch = figures(&report, "batch").clone();
        assert_eq!((batch.requests, batch.lookups, batch.errors), (40, 2000, 0));
        batch.with_hits
    };
    // Every drawn hit is a record the caller may see: each one is found, over gRPC and in the
    // in-process reference alike.
    assert_eq!(run(1.0, false), 2000);
    assert_eq!(run(1.0, true), 2000);
    assert!(run(0.0, false) < 20);
    runtime.block_on(server.stop());
}

#[test]
fn upserts_store_a_new_record_each() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, dataset) = serve(&runtime, dir.path());
    let documents = || {
        runtime
            .block_on(server.client.stats(None))
            .unwrap()
            .documents
    };
    let before = documents();
    let c = Config {
        mix: Mix::only(Kind::Upsert),
        requests: Some(150),
        warmup: 0.0,
        ..config(&server, dataset, Mode::Closed)
    };
    let report = crosscheck_loadgen::run_to_end(&c, &mut std::io::sink()).unwrap();
    let upsert = figures(&report, "upsert");
    assert_eq!((upsert.requests, upsert.errors), (150, 0));
    assert_eq!(documents(), before + 150);
    runtime.block_on(server.stop());
}

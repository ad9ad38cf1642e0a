//! The binary as operators run it: configuration from file, environment and flags, `config
//! check`, structured logs of the calls, and `admin snapshot` / `admin restore`. Each test
//! starts `crosscheck` as a process on 127.0.0.1 with its own environment.

#![expect(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::Path;

use common::{Served, crosscheck, run, stderr, write};

use crosscheck_client::Client;
use crosscheck_core::CountryCode;
use crosscheck_core::query::{DocumentQuery, PersonQuery};

#[test]
fn config_check_reports_every_bad_setting_and_summarises_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    write(
        &bad,
        "listen = \"localhost\"\nlisten_ops = 1\n[log]\nformat = \"xml\"\n",
    );
    let out = run(crosscheck().args(["config", "check"]).arg(&bad));
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    for key in ["listen:", "listen_ops:", "log.format:"] {
        assert!(
            text.contains(&format!("\n  {key} ")),
            "{key} not named in {text}"
        );
    }
    // `serve` refuses the same file before it binds anything.
    let out = run(crosscheck().args(["serve", "--config"]).arg(&bad));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("3 bad settings"), "{}", stderr(&out));

    let good = dir.path().join("good.toml");
    write(&good, "demo = true\n[log]\nformat = \"json\"\n");
    let out = run(crosscheck().args(["config", "check"]).arg(&good));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains("demo = true\n"), "{summary}");
    assert!(summary.contains("format = \"json\"\n"), "{summary}");

    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/crosscheck.example.toml"
    );
    let out = run(crosscheck().args(["config", "check", example]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = run(crosscheck().args(["serve", "--no-such-flag"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn calls_are_logged_as_json_without_query_contents() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("crosscheck.toml");
    // The file asks for human logs and a long threshold; the environment and a flag override.
    write(
        &config,
        &format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = {:?}\nops_listen = \"off\"\n\
             slow_request_ms = 60000\n[log]\nfilter = \"crosscheck_server=debug\"\n\
             format = \"human\"\n",
            dir.path().join("db")
        ),
    );
    let served = Served::start(
        crosscheck()
            .args(["serve", "--slow-request-ms", "0"])
            .env("CROSSCHECK_CONFIG", &config)
            .env("CROSSCHECK_LOG_FORMAT", "json")
            .env("CROSSCHECK_SLOW_REQUEST_MS", "30000"),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = Client::connect(&served.url).await.unwrap();
        let fra = Some(CountryCode::parse("FRA").unwrap());
        let record =
            r#"{"kind":"person","id":"P-1","owner":"FRA","names":[{"full":"Petr SMIRNOV"}]}"#;
        client.upsert(fra, record).await.unwrap();
        let document = DocumentQuery {
            number: "QZ7734511".into(),
            issuing_country: None,
            doc_type: None,
        };
        client.lookup_document(fra, &document).await.unwrap();
        let person = PersonQuery {
            name: Some("Petr Smirnov".into()),
            ..PersonQuery::default()
        };
        assert_eq!(
            client
                .search_persons(fra, &person)
                .await
                .unwrap()
                .hits
                .len(),
            1
        );
        client.lookup_document(None, &document).await.unwrap_err();
    });
    let lines = served.stop();
    let events: Vec<serde_json::Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let find = |message: &str, method: &str| {
        events
            .iter()
            .find(|e| e["message"] == message && e["method"] == method)
            .unwrap_or_else(|| panic!("no `{message}` line for {method} in {lines:#?}"))
    };
    // The flag's threshold of 0 makes every unary call slow.
    let slow = find("slow call", "/crosscheck.v1.Crosscheck/SearchPersons");
    assert_eq!(slow["level"], "WARN");
    assert_eq!(slow["code"], "ok");
    assert_eq!(slow["caller"], "FRA");
    assert!(slow["duration_us"].is_u64(), "{slow}");
    let failed = find("call failed", "/crosscheck.v1.Crosscheck/LookupDocument");
    assert_eq!(failed["code"], "unauthenticated");
    assert_eq!(failed["caller"], "platform");
    let all = lines.join("\n");
    for personal in ["QZ7734511", "Smirnov", "SMIRNOV"] {
        assert!(!all.contains(personal), "`{personal}` logged: {all}");
    }
}

#[test]
fn a_snapshot_made_through_the_command_line_restores_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(
        crosscheck()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args([
                "--ops-listen",
                "off",
                "--data-dir",
                dir.path().join("db").to_str().unwrap(),
            ]),
    );
    let record = r#"{"kind":"document","id":"D-1","owner":"DEU","number":"C01X00T47","issuing_country":"DEU","doc_type":"passport","status":"stolen"}"#;
    let records = dir.path().join("records.ndjson");
    write(&records, &format!("{record}\n"));
    let out = run(crosscheck()
        .args(["import", "--server", &served.url])
        .arg(&records));
    assert!(out.status.success(), "{}", stderr(&out));

    let snapshot = dir.path().join("snapshot");
    let snap = |target: &Path| {
        run(crosscheck()
            .args(["admin", "snapshot", "--server", &served.url])
            .arg(target))
    };
    let out = snap(&snapshot);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 documents"), "{}", stderr(&out));
    let out = snap(&snapshot);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    served.stop();

    let restored = dir.path().join("restored");
    let restore = || {
        run(crosscheck()
            .args(["admin", "restore"])
            .args([&snapshot, &restored]))
    };
    let out = restore();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = restore();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));

    let served = Served::start(
        crosscheck()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args([
                "--ops-listen",
                "off",
                "--data-dir",
                restored.to_str().unwrap(),
            ]),
    );
    let out = run(crosscheck().args(["export", "--server", &served.url]));
    served.stop();
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = String::from_utf8(out.stdout).unwrap();
    assert!(
        exported.starts_with(r#"{"kind":"document","id":"D-1""#),
        "{exported}"
    );
    assert_eq!(exported.lines().count(), 1);
}

#[test]
fn a_bulk_load_serves_at_once_and_its_saved_index_follows_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |id: &str, number: &str| {
        format!(
            r#"{{"kind":"document","id":"{id}","owner":"DEU","number":"{number}","issuing_country":"DEU","doc_type":"passport","status":"stolen"}}"#
        )
    };
    let records = dir.path().join("records.ndjson");
    write(
        &records,
        &[
            doc("D-1", "C01X00T47"),
            r#"{"kind":"person","id":"P-1","owner":"FRA","names":[{"full":"Пётр Смирнов"}],"links":["D-1"]}"#.into(),
            doc("D-2", "AB1234567"),
            doc("D-1", "ZZ9999999"),
            r#"{"kind":"document","id":"D-3","owner":"DEU"}"#.into(),
        ]
        .join("\n"),
    );
    let data = dir.path().join("data");
    let load = |extra: &[&str]| {
        run(crosscheck()
            .args(["admin", "bulk-load"])
            .args(extra)
            .arg(&data)
            .arg(&records))
    };
    let out = load(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("line 4: id: `D-1` already on line 1"),
        "{said}"
    );
    assert!(said.contains("line 5: number"), "{said}");
    assert!(!data.exists(), "a refused load leaves nothing");
    let out = load(&["--skip-invalid"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stored 3 (1 persons, 2 documents, 0 objects)"),
        "{}",
        stderr(&out)
    );

    let serve = || {
        Served::start(
            crosscheck()
                .args(["serve", "--listen", "127.0.0.1:0", "--ops-listen", "off"])
                .arg("--data-dir")
                .arg(&data),
        )
    };
    let queries = dir.path().join("queries.ndjson");
    write(
        &queries,
        r#"{"qid":"1","as":"ITA","type":"document","number":"C01X 00T47"}
{"qid":"2","as":"ITA","type":"document","number":"QQ1"}
{"qid":"3","as":"ITA","type":"document","number":"QQ2"}
{"qid":"4","as":"ITA","type":"person","name":"Petr Smirnov"}
"#,
    );
    let screen = |served: &Served| {
        let out = run(crosscheck()
            .args([
                "screen",
                "--server",
                &served.url,
                "--output",
                "-",
                "--input",
            ])
            .arg(&queries));
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let import = |served: &Served, line: String| {
        let file = dir.path().join("one.ndjson");
        write(&file, &line);
        let out = run(crosscheck()
            .args(["import", "--server", &served.url])
            .arg(&file));
        assert!(out.status.success(), "{}", stderr(&out));
    };
    let found = |answers: &str, qid: &str, id: &str| {
        answers
            .lines()
            .any(|l| l.starts_with(&format!(r#"{{"qid":"{qid}","hits":[{{"id":"{id}""#)))
    };

    // Which parts of the index a start read back (the rest it rebuilt from the store).
    let read_back = |served: &Served, documents: bool, records: bool| {
        let want = format!("documents={documents} persons_and_objects={records}");
        assert!(
            served
                .start_lines
                .iter()
                .any(|l| l.contains("index parts read") && l.contains(&want)),
            "{want}: {:?}",
            served.start_lines
        );
    };

    // A bulk load saves the documents; the persons and objects are rebuilt once.
    let served = serve();
    read_back(&served, true, false);
    let answers = screen(&served);
    assert!(found(&answers, "1", "D-1"), "{answers}");
    assert!(
        found(&answers, "4", "P-1") && answers.contains(r#""linked":["D-1"]"#),
        "{answers}"
    );
    import(&served, doc("D-8", "QQ1"));
    let lines = served.stop();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("index saved")
                && l.contains("documents=true persons_and_objects=true")),
        "{lines:?}"
    );

    let served = serve();
    read_back(&served, true, true);
    let answers = screen(&served);
    assert!(found(&answers, "2", "D-8"), "{answers}");
    assert!(found(&answers, "4", "P-1"), "{answers}");
    // Written, then a crash: the saved documents are stale and must not be read; the
    // persons and objects, untouched, still are.
    import(&served, doc("D-9", "QQ2"));
    served.kill();

    let served = serve();
    read_back(&served, false, true);
    let answers = screen(&served);
    assert!(
        found(&answers, "2", "D-8") && found(&answers, "3", "D-9"),
        "{answers}"
    );
    // A person written, then a crash: now that part is stale.
    import(
        &served,
        r#"{"kind":"person","id":"P-2","owner":"ITA","names":[{"full":"Petr Smirnov"}]}"#.into(),
    );
    served.kill();

    let served = serve();
    read_back(&served, false, false);
    let answers = screen(&served);
    assert!(
        found(&answers, "4", "P-2") || answers.contains(r#""id":"P-2""#),
        "{answers}"
    );
    served.stop();
}

#[test]
fn bytes_that_are_not_utf8_are_named_never_replaced_and_a_bom_is_read_past() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(
        crosscheck()
            .args(["serve", "--listen", "127.0.0.1:0", "--ops-listen", "off"])
            .arg("--data-dir")
            .arg(dir.path().join("db")),
    );
    let doc = |id: &str, number: &str| {
        format!(
            r#"{{"kind":"document","id":"{id}","owner":"DEU","number":"{number}","issuing_country":"DEU","doc_type":"passport","status":"stolen"}}"#
        )
    };
    let records = dir.path().join("records.ndjson");
    // A Latin-1 byte in the number: the file was not saved as UTF-8.
    let mut line2 = doc("D-2", "K?7").into_bytes();
    for b in &mut line2 {
        if *b == b'?' {
            *b = 0xff;
        }
    }
    let mut file = "\u{feff}".as_bytes().to_vec();
    file.extend(doc("D-1", "C01X00T47").as_bytes());
    file.extend(b"\r\n");
    file.extend(&line2);
    file.push(b'\n');
    std::fs::write(&records, &file).unwrap();

    let import = |skip: bool| {
        let mut command = crosscheck();
        command.args(["import", "--server", &served.url]);
        if skip {
            command.arg("--skip-invalid");
        }
        run(command.arg(&records))
    };
    let out = import(false);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 2: not UTF-8"), "{err}");
    assert!(
        !err.contains("line 1"),
        "the BOM is not part of line 1: {err}"
    );
    let out = import(true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stored 1, skipped 1"),
        "{}",
        stderr(&out)
    );

    let mut queries = "\u{feff}".as_bytes().to_vec();
    queries.extend(br#"{"qid":"a","as":"FRA","type":"document","number":"C01X00T47"}"#);
    queries.extend(
        b"\n{\"qid\":\"b\",\"as\":\"FRA\",\"type\":\"document\",\"number\":\"C01X00T47\xff\"}\n",
    );
    queries.extend(br#"{"qid":"c","type":"document","number":"C01X00T47"}"#);
    queries.push(b'\n');
    let input = dir.path().join("queries.ndjson");
    std::fs::write(&input, &queries).unwrap();
    let out = run(crosscheck()
        .args([
            "screen",
            "--server",
            &served.url,
            "--output",
            "-",
            "--input",
        ])
        .arg(&input));
    served.stop();
    assert!(out.status.success(), "{}", stderr(&out));
    let results: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_qid = |qid: &str| {
        results
            .iter()
            .find(|r| r["qid"] == qid)
            .unwrap_or_else(|| panic!("no result for {qid}: {results:?}"))
    };
    assert_eq!(by_qid("a")["hits"][0]["id"], "D-1");
    let unreadable = by_qid("line:2")["error"].as_str().unwrap();
    assert!(
        unreadable.starts_with("invalid_argument: not UTF-8"),
        "{unreadable}"
    );
    let anonymous = by_qid("c")["error"].as_str().unwrap();
    assert!(anonymous.starts_with("unauthenticated:"), "{anonymous}");
    assert_eq!(results.len(), 3);
}

#[test]
fn a_bad_server_url_or_owner_is_bad_usage() {
    for args in [
        &["export", "--owner", "XYZ"][..],
        &[
            "screen",
            "--server",
            "not-a-url",
            "--input",
            "-",
            "--output",
            "-",
        ][..],
        &["import", "--server", "ftp://127.0.0.1:1", "records.ndjson"][..],
    ] {
        let out = run(crosscheck().args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly_a_server_that_goes_away_is_a_failure() {
    // `crosscheck gen … | head -0`: what the reader wanted was written.
    let mut generator = crosscheck()
        .args(["gen", "--persons", "200000", "--seed", "1"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(generator.stdout.take());
    let out = generator.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");

    // A server that hangs up on every connection: its broken pipe or reset is no success.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(64) {
            drop(conn);
        }
    });
    for _ in 0..8 {
        let out = run(crosscheck().args(["export", "--server", &format!("http://{addr}")]));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
    }
}

//! The production mode through the binary: `crosscheck certs`, a server that requires client
//! certificates, each role doing what it may and nothing else, `as` checked against the
//! certificate, hit notices followed with `crosscheck hits`, and `crosscheck audit` export and
//! verify, including a tampered export.

#![expect(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Served, crosscheck, run, stderr, write};

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn ok(out: Output) -> Output {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out
}

/// The subcommand words go before `--server`, which `as_holder` appends.
fn call(certs: &Path, name: &str, url: &str, words: &[&str], rest: &[&str]) -> Output {
    let mut command = crosscheck();
    command
        .env_remove("CROSSCHECK_INSECURE_DEV")
        .env("CROSSCHECK_CA", certs.join("ca.pem"))
        .env("CROSSCHECK_CERT", certs.join(format!("{name}.pem")))
        .env("CROSSCHECK_KEY", certs.join(format!("{name}.key")))
        .args(words)
        .args(["--server", url])
        .args(rest);
    run(&mut command)
}

fn tls_server(dir: &Path, certs: &Path) -> Served {
    let f = |name: &str| certs.join(name);
    let mut command = crosscheck();
    command
        .env_remove("CROSSCHECK_INSECURE_DEV")
        .args(["serve", "--listen", "127.0.0.1:0", "--ops-listen", "off"])
        .arg("--data-dir")
        .arg(dir.join("db"))
        .arg("--tls-cert")
        .arg(f("server.pem"))
        .arg("--tls-key")
        .arg(f("server.key"))
        .arg("--tls-client-ca")
        .arg(f("ca.pem"));
    let mut served = Served::start(&mut command);
    served.url = format!("https://{}", served.addr);
    served
}

const RECORDS: &str = concat!(
    r#"{"kind":"document","id":"D-FRA-1","owner":"FRA","number":"AB123456","issuing_country":"FRA","doc_type":"passport","status":"stolen"}"#,
    "\n",
    r#"{"kind":"document","id":"D-DEU-1","owner":"DEU","number":"C01X00T47","issuing_country":"DEU","doc_type":"passport","status":"lost"}"#,
    "\n"
);

#[test]
fn certificates_decide_who_calls_and_what_they_may_do() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("pki");
    let made = run(crosscheck().args(["certs", "--out"]).arg(&certs).args([
        "--bureau",
        "FRA",
        "--bureau",
        "de",
        "--operator",
        "ops",
        "--auditor",
        "ana",
    ]));
    ok(made);
    for f in [
        "ca.pem",
        "server.pem",
        "bureau-FRA.pem",
        "bureau-DEU.key",
        "operator-ops.pem",
        "auditor-ana.key",
    ] {
        assert!(certs.join(f).is_file(), "{f} missing");
    }
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(certs.join("bureau-FRA.key"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o077, 0, "a private key readable by others");
    // The CA is reused to add a bureau later; an existing certificate is never replaced.
    ok(run(crosscheck()
        .args(["certs", "--out"])
        .arg(&certs)
        .args(["--bureau", "ITA"])));
    let again = run(crosscheck()
        .args(["certs", "--out"])
        .arg(&certs)
        .args(["--bureau", "ITA"]));
    assert_eq!(again.status.code(), Some(1));

    // Development mode is refused beyond loopback, and a server must choose a mode.
    let wide = run(crosscheck().args(["serve", "--listen", "0.0.0.0:0", "--insecure-dev"]));
    assert_eq!(wide.status.code(), Some(1));
    assert!(stderr(&wide).contains("loopback"), "{}", stderr(&wide));
    let neither = run(crosscheck()
        .env_remove("CROSSCHECK_INSECURE_DEV")
        .args(["serve"]));
    assert_eq!(neither.status.code(), Some(1));
    assert!(
        stderr(&neither).contains("--insecure-dev"),
        "{}",
        stderr(&neither)
    );

    let served = tls_server(dir.path(), &certs);
    let url = served.url.clone();
    let records = dir.path().join("records.ndjson");
    write(&records, RECORDS);
    let path = records.to_str().unwrap();

    // A bureau writes its own records only; the operator writes everyone's.
    let fra_import = call(&certs, "bureau-FRA", &url, &["import"], &[path]);
    assert_eq!(fra_import.status.code(), Some(1));
    assert!(
        stderr(&fra_import).contains("line 2"),
        "{}",
        stderr(&fra_import)
    );
    ok(call(&certs, "operator-ops", &url, &["import"], &[path]));

    // Without a client certificate nothing is answered.
    let plain = run(crosscheck()
        .env_remove("CROSSCHECK_INSECURE_DEV")
        .args(["export", "--server", &url]));
    assert_eq!(plain.status.code(), Some(1));
    let http = run(crosscheck().args(["export", "--server", &format!("http://{}", served.addr)]));
    assert_eq!(http.status.code(), Some(1));

    // Screening: `as` must be the certificate's country.
    let queries = dir.path().join("queries.ndjson");
    write(
        &queries,
        concat!(
            r#"{"qid":"own","as":"DEU","type":"document","number":"AB 123456"}"#,
            "\n",
            r#"{"qid":"forged","as":"FRA","type":"document","number":"AB123456"}"#,
            "\n"
        ),
    );
    let screened = ok(call(
        &certs,
        "bureau-DEU",
        &url,
        &["screen"],
        &["--input", queries.to_str().unwrap(), "--output", "-"],
    ));
    let results: Vec<serde_json::Value> = stdout(&screened)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_qid = |q: &str| results.iter().find(|r| r["qid"] == q).unwrap().clone();
    assert_eq!(by_qid("own")["hits"][0]["id"], "D-FRA-1");
    let forged = by_qid("forged");
    assert!(
        forged["error"]
            .as_str()
            .unwrap()
            .starts_with("permission_denied: "),
        "{forged}"
    );
    assert_eq!(forged["hits"], serde_json::json!([]));

    // FRA is told of DEU's hit on its record; resuming after its cursor gives nothing older.
    let hits = ok(call(
        &certs,
        "bureau-FRA",
        &url,
        &["hits"],
        &["--limit", "1"],
    ));
    let notice: serde_json::Value = serde_json::from_str(stdout(&hits).trim()).unwrap();
    assert_eq!(notice["record_id"], "D-FRA-1");
    assert_eq!(notice["by"], "DEU");
    let cursor = notice["cursor"].to_string();
    let later = ok(call(
        &certs,
        "bureau-FRA",
        &url,
        &["hits"],
        &["--after", &cursor, "--idle", "1"],
    ));
    assert_eq!(stdout(&later), "");

    // Roles: a bureau cannot read the trail nor snapshot; the auditor cannot look up.
    let denied = call(&certs, "bureau-FRA", &url, &["audit", "export"], &[]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stderr(&denied).contains("may not read the audit trail"),
        "{}",
        stderr(&denied)
    );
    let snapshot_dir = dir.path().join("snap");
    let snap = call(
        &certs,
        "bureau-FRA",
        &url,
        &["admin", "snapshot"],
        &[snapshot_dir.to_str().unwrap()],
    );
    assert_eq!(snap.status.code(), Some(1));
    ok(call(
        &certs,
        "operator-ops",
        &url,
        &["admin", "snapshot"],
        &[snapshot_dir.to_str().unwrap()],
    ));

    // The auditor exports and verifies the trail; a tampered export is caught where it was
    // changed.
    let trail = ok(call(&certs, "auditor-ana", &url, &["audit", "export"], &[]));
    let lines: Vec<String> = stdout(&trail).lines().map(str::to_owned).collect();
    let who: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        who.iter()
            .any(|e| e["who"] == "bureau:DEU" && e["call"] == "Screen")
    );
    assert!(
        who.iter()
            .any(|e| e["who"] == "operator:ops" && e["call"] == "Import")
    );
    let verified = ok(call(&certs, "auditor-ana", &url, &["audit", "verify"], &[]));
    assert!(
        stdout(&verified).starts_with("audit trail intact: "),
        "{}",
        stdout(&verified)
    );
    let exported = dir.path().join("trail.ndjson");
    write(&exported, &(lines.join("\n") + "\n"));
    ok(run(crosscheck()
        .args(["audit", "verify", "--input"])
        .arg(&exported)));
    let tampered = tamper(dir.path(), "altered", &lines, |l| {
        Some(l.replace("bureau:DEU", "bureau:ITA"))
    });
    let out = run(crosscheck()
        .args(["audit", "verify", "--input"])
        .arg(&tampered));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("altered"), "{}", stderr(&out));
    let removed = tamper(dir.path(), "removed", &lines, |l| {
        (!l.contains("\"seq\":3,")).then(|| l.to_owned())
    });
    let out = run(crosscheck()
        .args(["audit", "verify", "--input"])
        .arg(&removed));
    assert!(stderr(&out).contains("entry 3 missing"), "{}", stderr(&out));
    served.stop();
}

/// Writes `lines` changed by `edit` (None drops a line) to a new file.
fn tamper(
    dir: &Path,
    name: &str,
    lines: &[String],
    edit: impl Fn(&str) -> Option<String>,
) -> PathBuf {
    let path = dir.join(format!("{name}.ndjson"));
    let text: Vec<String> = lines.iter().filter_map(|l| edit(l)).collect();
    write(&path, &(text.join("\n") + "\n"));
    path
}

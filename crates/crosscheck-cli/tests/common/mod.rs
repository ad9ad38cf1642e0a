//! What the binary's tests share: the command without the test environment's settings, and a
//! served process with its stderr lines.

#![allow(dead_code, reason = "each test binary uses its own part")]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_crosscheck");

/// `crosscheck` with no `CROSSCHECK_*` variable of the environment running the tests, and
/// development mode (no certificates) for its servers.
pub fn crosscheck() -> Command {
    let mut command = Command::new(BIN);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CROSSCHECK_") {
            command.env_remove(name);
        }
    }
    command.env("CROSSCHECK_INSECURE_DEV", "1");
    command
}

pub fn run(command: &mut Command) -> Output {
    command.stdin(Stdio::null()).output().unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A running `crosscheck serve` and every line it has written on stderr.
pub struct Served {
    child: Child,
    pub lines: mpsc::Receiver<String>,
    pub url: String,
    /// The gRPC address, `host:port`.
    pub addr: String,
    /// The lines written before the ready line.
    pub start_lines: Vec<String>,
}

impl Served {
    pub fn start(command: &mut Command) -> Served {
        let mut child = command
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                if tx.send(line.unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut served = Served {
            child,
            lines,
            url: String::new(),
            addr: String::new(),
            start_lines: Vec::new(),
        };
        loop {
            let line = served
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("no ready line within 60 s");
            if let Some(rest) = line.strip_prefix("crosscheck: ready on ") {
                let addr = rest.split_whitespace().next().unwrap();
                served.url = format!("http://{addr}");
                served.addr = addr.to_owned();
                return served;
            }
            served.start_lines.push(line);
        }
    }

    /// SIGTERM, then every remaining stderr line; the exit must be clean.
    pub fn stop(mut self) -> Vec<String> {
        let pid = self.child.id().to_string();
        assert!(
            run(Command::new("kill").args(["-TERM", &pid]))
                .status
                .success()
        );
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
        self.lines.iter().collect()
    }
}

impl Served {
    /// SIGKILL: no shutdown work at all, as in a crash.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// A test that fails midway leaves no server behind.
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

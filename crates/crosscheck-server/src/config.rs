//! The server's configuration: defaults, then one TOML file, then `CROSSCHECK_*` environment
//! variables, then flags, each overriding the one before. Unknown keys are refused, and every bad
//! setting of every source is reported at once, each naming its key (or variable) and why, so
//! that an operator fixes a file in one round. The environment is passed in, never read here,
//! so that tests inject it instead of changing the process's own.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::limits::LimitConfig;
use crate::{Security, ServeConfig};

/// The environment variable naming the configuration file when `--config` is not given.
pub const CONFIG_ENV: &str = "CROSSCHECK_CONFIG";
pub const DEFAULT_LISTEN: SocketAddr = loopback(50051);
pub const DEFAULT_DATA_DIR: &str = "./crosscheck-data";
pub const DEFAULT_OPS_LISTEN: SocketAddr = loopback(9051);
pub const DEFAULT_LOG_FILTER: &str = "info";
/// Lookups answer in well under a millisecond; a unary call this slow is worth a warning.
pub const DEFAULT_SLOW_REQUEST_MS: u64 = 100;

const fn loopback(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

/// Every setting: its dotted key in the file and its environment variable.
struct Key {
    file: &'static str,
    env: &'static str,
}

const LISTEN: Key = Key {
    file: "listen",
    env: "CROSSCHECK_LISTEN",
};
const DATA_DIR: Key = Key {
    file: "data_dir",
    env: "CROSSCHECK_DATA_DIR",
};
const DEMO: Key = Key {
    file: "demo",
    env: "CROSSCHECK_DEMO",
};
const OPS_LISTEN: Key = Key {
    file: "ops_listen",
    env: "CROSSCHECK_OPS_LISTEN",
};
const SLOW_REQUEST_MS: Key = Key {
    file: "slow_request_ms",
    env: "CROSSCHECK_SLOW_REQUEST_MS",
};
/// `CROSSCHECK_LOG` predates the file and keeps its name.
const LOG_FILTER: Key = Key {
    file: "log.filter",
    env: "CROSSCHECK_LOG",
};
const LOG_FORMAT: Key = Key {
    file: "log.format",
    env: "CROSSCHECK_LOG_FORMAT",
};
const INSECURE_DEV: Key = Key {
    file: "insecure_dev",
    env: "CROSSCHECK_INSECURE_DEV",
};
const TLS_CERT: Key = Key {
    file: "tls.cert",
    env: "CROSSCHECK_TLS_CERT",
};
const TLS_KEY: Key = Key {
    file: "tls.key",
    env: "CROSSCHECK_TLS_KEY",
};
const TLS_CLIENT_CA: Key = Key {
    file: "tls.client_ca",
    env: "CROSSCHECK_TLS_CLIENT_CA",
};
const LIMIT_RATE: Key = Key {
    file: "limits.rate",
    env: "CROSSCHECK_LIMIT_RATE",
};
const LIMIT_BURST: Key = Key {
    file: "limits.burst",
    env: "CROSSCHECK_LIMIT_BURST",
};
const LIMIT_CONCURRENCY: Key = Key {
    file: "limits.concurrency",
    env: "CROSSCHECK_LIMIT_CONCURRENCY",
};
const KEYS: [&Key; 14] = [
    &LISTEN,
    &DATA_DIR,
    &DEMO,
    &OPS_LISTEN,
    &SLOW_REQUEST_MS,
    &LOG_FILTER,
    &LOG_FORMAT,
    &INSECURE_DEV,
    &TLS_CERT,
    &TLS_KEY,
    &TLS_CLIENT_CA,
    &LIMIT_RATE,
    &LIMIT_BURST,
    &LIMIT_CONCURRENCY,
];

/// How log lines are written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// One readable line per event, coloured on a terminal.
    #[default]
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(LogFormat::Human),
            "json" => Ok(LogFormat::Json),
            _ => Err(format!("`{s}` is not a log format (human or json)")),
        }
    }
}

impl LogFormat {
    fn as_str(self) -> &'static str {
        match self {
            LogFormat::Human => "human",
            LogFormat::Json => "json",
        }
    }
}

/// A `tracing` filter (`info`, `crosscheck_server=debug,warn`), checked when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFilter(String);

impl FromStr for LogFilter {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        tracing_subscriber::EnvFilter::try_new(s)
            .map(|_| LogFilter(s.to_owned()))
            .map_err(|e| format!("`{s}` is not a log filter: {e}"))
    }
}

impl LogFilter {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for LogFilter {
    fn default() -> Self {
        LogFilter(DEFAULT_LOG_FILTER.to_owned())
    }
}

/// The ops endpoint's address, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpsListen(pub Option<SocketAddr>);

impl FromStr for OpsListen {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(OpsListen(None)),
            addr => address(addr)
                .map(|a| OpsListen(Some(a)))
                .map_err(|e| format!("{e}, or `off`")),
        }
    }
}

fn address(s: &str) -> Result<SocketAddr, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not an address (ip:port, e.g. 127.0.0.1:50051)"))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogConfig {
    pub filter: LogFilter,
    pub format: LogFormat,
}

/// Everything `crosscheck serve` is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    pub serve: ServeConfig,
    /// Unary calls taking at least this long are logged at warn.
    pub slow_request: Duration,
    pub log: LogConfig,
}

impl Default for Config {
    fn default() -> Self {
        ServeConfig::default().into()
    }
}

impl From<ServeConfig> for Config {
    fn from(serve: ServeConfig) -> Self {
        Config {
            serve,
            slow_request: Duration::from_millis(DEFAULT_SLOW_REQUEST_MS),
            log: LogConfig::default(),
        }
    }
}

/// Prints the effective settings as a configuration file.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted = |s: String| toml::Value::String(s).to_string();
        let s = &self.serve;
        let ops = s.ops_listen.map_or("off".to_owned(), |a| a.to_string());
        writeln!(f, "listen = {}", quoted(s.listen.to_string()))?;
        writeln!(f, "data_dir = {}", quoted(s.data_dir.display().to_string()))?;
        writeln!(f, "demo = {}", s.demo)?;
        writeln!(f, "ops_listen = {}", quoted(ops))?;
        writeln!(f, "slow_request_ms = {}", self.slow_request.as_millis())?;
        writeln!(
            f,
            "insecure_dev = {}",
            s.security == Some(Security::InsecureDev)
        )?;
        if let Some(Security::Tls {
            cert,
            key,
            client_ca,
        }) = &s.security
        {
            let path = |p: &PathBuf| quoted(p.display().to_string());
            writeln!(f, "\n[tls]")?;
            writeln!(f, "cert = {}", path(cert))?;
            writeln!(f, "key = {}", path(key))?;
            writeln!(f, "client_ca = {}", path(client_ca))?;
        }
        let l = &s.limits;
        writeln!(f, "\n[limits]")?;
        writeln!(f, "rate = {}", l.rate as u64)?;
        writeln!(f, "burst = {}", l.burst as u64)?;
        writeln!(f, "concurrency = {}", l.concurrency)?;
        writeln!(f, "\n[log]")?;
        writeln!(
            f,
            "filter = {}",
            quoted(self.log.filter.as_str().to_owned())
        )?;
        writeln!(
            f,
            "format = {}",
            quoted(self.log.format.as_str().to_owned())
        )
    }
}

/// Settings given on the command line, already typed by it; each overrides file and environment.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    /// Only `true` overrides: a flag can switch the demo data on, not off.
    pub demo: bool,
    pub ops_listen: Option<OpsListen>,
    pub slow_request_ms: Option<u64>,
    pub log_filter: Option<LogFilter>,
    pub log_format: Option<LogFormat>,
    /// Only `true` overrides, as `demo`.
    pub insecure_dev: bool,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub tls_client_ca: Option<PathBuf>,
    pub limit_rate: Option<u64>,
    pub limit_burst: Option<u64>,
    pub limit_concurrency: Option<u64>,
}

/// One bad setting: the file key or environment variable, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

/// Every bad setting found, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} bad setting{}", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A value as a source gives it: typed by TOML in the file, text in the environment.
enum Raw<'a> {
    File(&'a toml::Value),
    Env(&'a str),
}

impl Raw<'_> {
    fn text(&self) -> Result<&str, String> {
        match self {
            Raw::File(toml::Value::String(s)) => Ok(s),
            Raw::File(v) => Err(format!("expected a string, found {}", v.type_str())),
            Raw::Env(s) => Ok(s),
        }
    }

    fn parsed<T: FromStr<Err = String>>(&self) -> Result<T, String> {
        self.text()?.parse()
    }

    fn boolean(&self) -> Result<bool, String> {
        match self {
            Raw::File(toml::Value::Boolean(b)) => Ok(*b),
            Raw::File(v) => Err(format!("expected true or false, found {}", v.type_str())),
            Raw::Env("true" | "1") => Ok(true),
            Raw::Env("false" | "0") => Ok(false),
            Raw::Env(s) => Err(format!("`{s}` is not true, false, 1 or 0")),
        }
    }

    fn millis(&self) -> Result<u64, String> {
        self.count("milliseconds")
    }

    /// A whole number of `what`, 0 or more.
    fn count(&self, what: &str) -> Result<u64, String> {
        let n = match self {
            Raw::File(toml::Value::Integer(n)) => *n,
            Raw::File(v) => return Err(format!("expected {what}, found {}", v.type_str())),
            Raw::Env(s) => s
                .parse()
                .map_err(|_| format!("`{s}` is not a number of {what}"))?,
        };
        u64::try_from(n).map_err(|_| format!("{n} is negative"))
    }

    fn path(&self) -> Result<PathBuf, String> {
        match self.text()? {
            "" => Err("must not be empty".to_owned()),
            p => Ok(PathBuf::from(p)),
        }
    }
}

/// Reads the sources layer by layer, collecting every problem instead of stopping at the first.
struct Layers {
    file: BTreeMap<String, toml::Value>,
    env: HashMap<String, String>,
    problems: Vec<Problem>,
}

impl Layers {
    fn problem(&mut self, key: impl Into<String>, reason: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            reason: reason.into(),
        });
    }

    /// The value from the highest of file and environment that has one; a bad value is reported
    /// even when a higher layer overrides it.
    fn get<T>(&mut self, key: &Key, read: impl Fn(&Raw) -> Result<T, String>) -> Option<T> {
        let from_file = self
            .file
            .get(key.file)
            .map(|v| (key.file, read(&Raw::File(v))));
        let from_env = self.env.get(key.env).map(|v| (key.env, read(&Raw::Env(v))));
        let mut value = None;
        for (name, read) in [from_file, from_env].into_iter().flatten() {
            match read {
                Ok(v) => value = Some(v),
                Err(reason) => self.problem(name, reason),
            }
        }
        value
    }

    /// Flattens the file's tables into dotted keys, refusing every key that is not a setting.
    fn read_file(&mut self, table: toml::Table, prefix: &str) {
        for (name, value) in table {
            let key = format!("{prefix}{name}");
            let is_table_of_settings = KEYS.iter().any(|k| k.file.starts_with(&format!("{key}.")));
            if is_table_of_settings {
                if let toml::Value::Table(t) = value {
                    self.read_file(t, &format!("{key}."));
                } else {
                    let found = format!("expected a table of settings, found {}", value.type_str());
                    self.problem(key, found);
                }
            } else if KEYS.iter().any(|k| k.file == key) {
                self.file.insert(key, value);
            } else {
                let known: Vec<_> = KEYS.iter().map(|k| k.file).collect();
                self.problem(
                    key,
                    format!("unknown setting (known: {})", known.join(", ")),
                );
            }
        }
    }
}

/// A syntax error stops the file's reading: nothing after it can be trusted.
fn parse_file(text: &str, layers: &mut Layers) {
    match text.parse::<toml::Table>() {
        Ok(table) => layers.read_file(table, ""),
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start).min(text.len());
            let line = text.as_bytes()[..at]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            layers.problem("file", format!("line {line}: not TOML: {}", e.message()));
        }
    }
}

/// Builds the configuration from the file named by `flags.config` or `CROSSCHECK_CONFIG` (if
/// any), the `CROSSCHECK_*` variables of `env`, and the flags.
pub fn load(
    flags: &Flags,
    env: impl IntoIterator<Item = (OsString, OsString)>,
) -> Result<Config, Problems> {
    let mut layers = Layers {
        file: BTreeMap::new(),
        env: HashMap::new(),
        problems: Vec::new(),
    };
    for (name, value) in env {
        let Some(name) = name.to_str().filter(|n| n.starts_with("CROSSCHECK_")) else {
            continue;
        };
        match value.into_string() {
            Ok(v) => {
                layers.env.insert(name.to_owned(), v);
            }
            Err(_) => layers.problem(name, "not UTF-8"),
        }
    }
    let file = match (&flags.config, layers.env.get(CONFIG_ENV)) {
        (Some(path), _) => Some((path.clone(), "--config")),
        (None, Some(path)) => Some((PathBuf::from(path), CONFIG_ENV)),
        (None, None) => None,
    };
    if let Some((path, named_by)) = file {
        read_config_file(&path, named_by, &mut layers);
    }
    resolve(layers, flags, true)
}

/// Reads the file into `layers`; `named_by` is what named it, for the problem if unreadable.
fn read_config_file(path: &Path, named_by: &str, layers: &mut Layers) {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_file(&text, layers),
        Err(e) => layers.problem(named_by, format!("cannot read {}: {e}", path.display())),
    }
}

/// Checks a configuration file on its own (defaults and the file; no environment, no flags).
/// A file that names no certificates passes: flags or the environment may give them.
pub fn check_file(path: &Path) -> Result<Config, Problems> {
    let flags = Flags {
        config: Some(path.to_owned()),
        ..Flags::default()
    };
    let mut layers = Layers {
        file: BTreeMap::new(),
        env: HashMap::new(),
        problems: Vec::new(),
    };
    read_config_file(path, "file", &mut layers);
    resolve(layers, &flags, false)
}

/// `require_security`: whether a missing choice of certificates or development mode is a
/// problem (for a server about to start) or not (a file checked on its own).
fn resolve(mut l: Layers, flags: &Flags, require_security: bool) -> Result<Config, Problems> {
    let default = Config::default();
    let listen = l.get(&LISTEN, |r| address(r.text()?));
    let data_dir = l.get(&DATA_DIR, |r| r.path());
    let demo = l.get(&DEMO, |r| r.boolean());
    let ops_listen = l.get(&OPS_LISTEN, |r| r.parsed::<OpsListen>());
    let slow_request_ms = l.get(&SLOW_REQUEST_MS, |r| r.millis());
    let log_filter = l.get(&LOG_FILTER, |r| r.parsed::<LogFilter>());
    let log_format = l.get(&LOG_FORMAT, |r| r.parsed::<LogFormat>());
    let insecure_dev = flags.insecure_dev || l.get(&INSECURE_DEV, |r| r.boolean()).unwrap_or(false);
    let tls_cert = flags.tls_cert.clone().or(l.get(&TLS_CERT, |r| r.path()));
    let tls_key = flags.tls_key.clone().or(l.get(&TLS_KEY, |r| r.path()));
    let tls_client_ca = flags
        .tls_client_ca
        .clone()
        .or(l.get(&TLS_CLIENT_CA, |r| r.path()));
    let default_limits = LimitConfig::default();
    let rate = flags
        .limit_rate
        .or(l.get(&LIMIT_RATE, |r| r.count("calls per second")));
    let limits = LimitConfig {
        rate: rate.map_or(default_limits.rate, |r| r as f64),
        // One second's worth unless set.
        burst: flags
            .limit_burst
            .or(l.get(&LIMIT_BURST, |r| r.count("calls")))
            .or(rate)
            .map_or(default_limits.burst, |b| b as f64),
        concurrency: flags
            .limit_concurrency
            .or(l.get(&LIMIT_CONCURRENCY, |r| r.count("calls")))
            .map_or(default_limits.concurrency, |c| c as usize),
    };
    let security = match (insecure_dev, tls_cert, tls_key, tls_client_ca) {
        (true, None, None, None) => Some(Security::InsecureDev),
        (true, ..) => {
            l.problem(
                INSECURE_DEV.file,
                "development mode takes no certificates: drop the tls settings or insecure_dev",
            );
            None
        }
        (false, Some(cert), Some(key), Some(client_ca)) => Some(Security::Tls {
            cert,
            key,
            client_ca,
        }),
        (false, None, None, None) if !require_security => None,
        (false, None, None, None) => {
            l.problem(
                "tls",
                "this server requires client certificates: set tls.cert, tls.key and \
                 tls.client_ca (`crosscheck certs` makes a development set), or run a \
                 development server with --insecure-dev",
            );
            None
        }
        (false, cert, key, ca) => {
            let missing: Vec<_> = [
                (&TLS_CERT, cert.is_none()),
                (&TLS_KEY, key.is_none()),
                (&TLS_CLIENT_CA, ca.is_none()),
            ]
            .into_iter()
            .filter(|(_, missing)| *missing)
            .map(|(k, _)| k.file)
            .collect();
            l.problem("tls", format!("incomplete: {} missing", missing.join(", ")));
            None
        }
    };

    let config = Config {
        serve: ServeConfig {
            listen: flags.listen.or(listen).unwrap_or(default.serve.listen),
            data_dir: flags
                .data_dir
                .clone()
                .or(data_dir)
                .unwrap_or(default.serve.data_dir),
            demo: flags.demo || demo.unwrap_or(default.serve.demo),
            ops_listen: flags
                .ops_listen
                .or(ops_listen)
                .map_or(default.serve.ops_listen, |o| o.0),
            security,
            limits,
        },
        slow_request: flags
            .slow_request_ms
            .or(slow_request_ms)
            .map_or(default.slow_request, Duration::from_millis),
        log: LogConfig {
            filter: flags
                .log_filter
                .clone()
                .or(log_filter)
                .unwrap_or(default.log.filter),
            format: flags
                .log_format
                .or(log_format)
                .unwrap_or(default.log.format),
        },
    };
    let s = &config.serve;
    if s.security == Some(Security::InsecureDev) && !s.listen.ip().is_loopback() {
        l.problem(
            INSECURE_DEV.file,
            format!(
                "refused on {}: development mode listens on loopback addresses only",
                s.listen
            ),
        );
    }
    if s.ops_listen == Some(s.listen) && s.listen.port() != 0 {
        l.problem(
            OPS_LISTEN.file,
            format!("{} is the gRPC address too", s.listen),
        );
    }
    if l.problems.is_empty() {
        Ok(config)
    } else {
        Err(Problems(l.problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        vars.iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    /// A development server's flags: no certificates to set up.
    fn dev() -> Flags {
        Flags {
            insecure_dev: true,
            ..Flags::default()
        }
    }

    fn with_file(text: &str) -> (tempfile::NamedTempFile, Flags) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let flags = Flags {
            config: Some(file.path().to_owned()),
            ..dev()
        };
        (file, flags)
    }

    fn keys(problems: &Problems) -> Vec<&str> {
        problems.0.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn defaults_without_any_source() {
        let c = load(&dev(), []).unwrap();
        assert_eq!(c.serve.listen, DEFAULT_LISTEN);
        assert_eq!(c.serve.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        assert!(!c.serve.demo);
        assert_eq!(c.serve.ops_listen, Some(DEFAULT_OPS_LISTEN));
        assert_eq!(
            c.slow_request,
            Duration::from_millis(DEFAULT_SLOW_REQUEST_MS)
        );
        assert_eq!(c.log, LogConfig::default());
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let (_f, mut flags) = with_file(
            "listen = \"127.0.0.1:1\"\ndata_dir = \"/file\"\nops_listen = \"off\"\n\
             slow_request_ms = 5\n[log]\nfilter = \"debug\"\nformat = \"json\"\n",
        );
        let vars = env(&[
            ("CROSSCHECK_LISTEN", "127.0.0.1:2"),
            ("CROSSCHECK_DATA_DIR", "/env"),
            ("CROSSCHECK_LOG", "warn"),
            ("CROSSCHECK_DEMO", "1"),
            ("OTHER_LISTEN", "not ours"),
        ]);
        flags.listen = Some("127.0.0.1:3".parse().unwrap());
        let c = load(&flags, vars).unwrap();
        assert_eq!(c.serve.listen.port(), 3, "flag over env and file");
        assert_eq!(c.serve.data_dir, PathBuf::from("/env"), "env over file");
        assert!(c.serve.demo);
        assert_eq!(c.serve.ops_listen, None, "file over default");
        assert_eq!(c.slow_request, Duration::from_millis(5));
        assert_eq!(c.log.filter.as_str(), "warn");
        assert_eq!(c.log.format, LogFormat::Json);
    }

    #[test]
    fn the_file_comes_from_the_environment_when_no_flag_names_it() {
        let (f, _) = with_file("demo = true\n");
        let path = f.path().to_str().unwrap();
        let c = load(&dev(), env(&[(CONFIG_ENV, path)])).unwrap();
        assert!(c.serve.demo);
        let missing = env(&[(CONFIG_ENV, "/no/such/crosscheck.toml")]);
        let err = load(&dev(), missing).unwrap_err();
        assert_eq!(keys(&err), [CONFIG_ENV]);
    }

    #[test]
    fn every_bad_setting_is_reported_at_once() {
        let (_f, flags) = with_file(
            "listen = \"localhost\"\ndemo = \"yes\"\nlisten_ops = 1\nslow_request_ms = -1\n\
             ops_listen = \"nowhere\"\n[log]\nformat = \"xml\"\nfilter = \"a=b=c\"\ncolour = true\n",
        );
        let vars = env(&[
            ("CROSSCHECK_DATA_DIR", ""),
            ("CROSSCHECK_SLOW_REQUEST_MS", "soon"),
        ]);
        let err = load(&flags, vars).unwrap_err();
        let mut found = keys(&err);
        found.sort_unstable();
        assert_eq!(
            found,
            [
                "CROSSCHECK_DATA_DIR",
                "CROSSCHECK_SLOW_REQUEST_MS",
                "demo",
                "listen",
                "listen_ops",
                "log.colour",
                "log.filter",
                "log.format",
                "ops_listen",
                "slow_request_ms",
            ],
            "{err}"
        );
        let text = err.to_string();
        assert!(text.starts_with("10 bad settings\n"), "{text}");
        assert!(
            text.contains("listen_ops: unknown setting (known: listen, "),
            "{text}"
        );
        assert!(
            text.contains("log.format: `xml` is not a log format"),
            "{text}"
        );
    }

    #[test]
    fn wrong_shapes_and_syntax_are_named() {
        let (_f, flags) = with_file("log = \"debug\"\n");
        assert_eq!(
            load(&flags, []).unwrap_err().0,
            [Problem {
                key: "log".into(),
                reason: "expected a table of settings, found string".into()
            }]
        );
        let (_f, flags) = with_file("listen = \n");
        let err = load(&flags, []).unwrap_err();
        assert_eq!(keys(&err), ["file"]);
        let (_f, flags) = with_file("listen = \"127.0.0.1:7\"\nops_listen = \"127.0.0.1:7\"\n");
        assert_eq!(keys(&load(&flags, []).unwrap_err()), ["ops_listen"]);
    }

    #[test]
    fn the_summary_reads_back_as_the_same_configuration() {
        let mut c = Config::default();
        c.serve.data_dir = PathBuf::from("/var/lib/cross\"check");
        c.serve.ops_listen = None;
        c.log.format = LogFormat::Json;
        let (_f, flags) = with_file(&c.to_string());
        let back = load(&flags, []).unwrap();
        assert_eq!(back.to_string(), c.to_string());
        c.serve.security = Some(Security::Tls {
            cert: "/etc/crosscheck/server.pem".into(),
            key: "/etc/crosscheck/server.key".into(),
            client_ca: "/etc/crosscheck/ca.pem".into(),
        });
        c.serve.limits.rate = 500.0;
        c.serve.limits.burst = 1000.0;
        let (_f, mut flags) = with_file(&c.to_string());
        flags.insecure_dev = false;
        let back = load(&flags, []).unwrap();
        assert_eq!(back.to_string(), c.to_string());
        assert_eq!(back.serve.security, c.serve.security);
    }

    #[test]
    fn a_server_requires_certificates_or_an_explicit_development_mode() {
        let err = load(&Flags::default(), []).unwrap_err();
        assert_eq!(keys(&err), ["tls"]);
        assert!(err.to_string().contains("--insecure-dev"), "{err}");
        let partial = env(&[("CROSSCHECK_TLS_CERT", "/c.pem")]);
        let err = load(&Flags::default(), partial).unwrap_err();
        assert!(
            err.to_string().contains("tls.key, tls.client_ca missing"),
            "{err}"
        );
        let both = env(&[("CROSSCHECK_TLS_CERT", "/c.pem")]);
        assert_eq!(keys(&load(&dev(), both).unwrap_err()), ["insecure_dev"]);
        let mut wide = dev();
        wide.listen = Some("0.0.0.0:50051".parse().unwrap());
        let err = load(&wide, []).unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
        // A file checked on its own may leave the choice to flags or the environment, and
        // says it chose neither.
        let (f, _) = with_file("listen = \"0.0.0.0:50051\"\n");
        let checked = check_file(f.path()).unwrap();
        assert_eq!(checked.serve.security, None);
        assert!(checked.to_string().contains("insecure_dev = false\n"));
    }

    #[test]
    fn limits_default_to_a_second_of_rate_as_burst() {
        let c = load(&dev(), env(&[("CROSSCHECK_LIMIT_RATE", "200")])).unwrap();
        assert_eq!(c.serve.limits.rate, 200.0);
        assert_eq!(c.serve.limits.burst, 200.0);
        assert_eq!(
            c.serve.limits.concurrency,
            LimitConfig::default().concurrency
        );
        let (_f, flags) = with_file("[limits]\nrate = -1\n");
        assert_eq!(keys(&load(&flags, []).unwrap_err()), ["limits.rate"]);
    }
}

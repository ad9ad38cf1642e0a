//! The one `crosscheck` binary. Command spellings follow shared/spec/cli.md; each subcommand
//! lives in its own module and this file only parses arguments and sets the exit status.

mod admin;
mod audit;
mod certs;
mod connection;
mod export;
mod hits;
mod import;
mod lines;
mod logging;
mod screen;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use connection::Connection;

// Multi-threaded import and serving allocate from many threads at once (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "crosscheck",
    version,
    about = "Lookup engine for cross-border police cooperation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gRPC API over the store in DIR
    Serve(serve::Args),
    /// Load an NDJSON record file into a running server
    Import {
        #[command(flatten)]
        conn: Connection,
        /// Store the good lines and report the bad ones instead of failing the whole file
        #[arg(long)]
        skip_invalid: bool,
        file: PathBuf,
    },
    /// Write the stored records in canonical form, one per line, ordered by id
    Export {
        #[command(flatten)]
        conn: Connection,
        /// Only this country's records
        #[arg(long, value_parser = country_code)]
        owner: Option<crosscheck_core::CountryCode>,
        /// File to write; stdout when absent or `-`
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Run a file of query lines and write one result line per query
    Screen {
        #[command(flatten)]
        conn: Connection,
        /// Query lines; `-` for stdin
        #[arg(long)]
        input: PathBuf,
        /// Result lines; `-` for stdout
        #[arg(long)]
        output: PathBuf,
    },
    /// Write a seeded synthetic data set (same arguments, same bytes)
    Gen {
        #[arg(long, default_value_t = 0)]
        persons: u64,
        #[arg(long, default_value_t = 0)]
        documents: u64,
        #[arg(long, default_value_t = 0)]
        objects: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// File to write; stdout when absent or `-`
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Configuration files
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Backups of a running server's store
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Send load to a running server and measure its latency (open or closed loop)
    Loadgen(crosscheck_loadgen::Config),
    /// Make a development CA, server and client certificates (bureaus, operators, auditors)
    Certs(certs::Args),
    /// The audit trail: export it, verify its hash chain
    #[command(subcommand)]
    Audit(audit::Command),
    /// Follow the hits other countries make on this bureau's records
    Hits(hits::Args),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check a configuration file on its own and print the settings it gives
    Check { file: PathBuf },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Have the server write a consistent copy of its store into DIR (new) while it serves
    Snapshot {
        #[command(flatten)]
        conn: Connection,
        dir: PathBuf,
    },
    /// Copy a snapshot into an empty data directory for `serve --data-dir`
    Restore {
        snapshot_dir: PathBuf,
        data_dir: PathBuf,
    },
    /// Load an NDJSON record file (`-`: stdin) into a new data directory, no server running:
    /// validated as `import` does, written as sorted files ingested by RocksDB
    BulkLoad {
        /// Store the good lines and report the bad ones instead of failing the whole file
        #[arg(long)]
        skip_invalid: bool,
        data_dir: PathBuf,
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `serve` starts logging as its configuration says, once that is read.
    if !matches!(cli.command, Command::Serve(_)) {
        logging::init_for_client();
    }
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Import {
            conn,
            skip_invalid,
            file,
        } => import::run(&conn, &file, skip_invalid),
        Command::Export {
            conn,
            owner,
            output,
        } => export::run(&conn, owner, output.as_deref()),
        Command::Screen {
            conn,
            input,
            output,
        } => screen::run(&conn, &input, &output),
        Command::Gen {
            persons,
            documents,
            objects,
            seed,
            output,
        } => gen_data(
            crosscheck_core::synth::GenConfig {
                persons,
                documents,
                objects,
                seed,
            },
            output.as_deref(),
        ),
        Command::Config(ConfigCommand::Check { file }) => serve::check(&file),
        Command::Admin(AdminCommand::Snapshot { conn, dir }) => admin::snapshot(&conn, &dir),
        Command::Admin(AdminCommand::Restore {
            snapshot_dir,
            data_dir,
        }) => admin::restore(&snapshot_dir, &data_dir),
        Command::Admin(AdminCommand::BulkLoad {
            skip_invalid,
            data_dir,
            file,
        }) => admin::bulk_load(&data_dir, &file, skip_invalid),
        Command::Loadgen(config) => crosscheck_loadgen::run_to_end(&config, &mut stdout())
            .map(drop)
            .map_err(Into::into),
        Command::Certs(args) => certs::run(&args),
        Command::Audit(command) => audit::run(command),
        Command::Hits(args) => hits::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`… | head`): what it wanted was written; not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", causes(&e));
            ExitCode::FAILURE
        }
    }
}

fn country_code(s: &str) -> Result<crosscheck_core::CountryCode, String> {
    crosscheck_core::record::country("--owner", s).map_err(|e| e.reason)
}

/// The error and its causes, `: `-separated; a cause that only repeats the one before it (as
/// some transport errors do) is said once.
fn causes(e: &anyhow::Error) -> String {
    let mut said: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if said.last() != Some(&text) {
            said.push(text);
        }
    }
    said.join(": ")
}

/// Whether the error is this process's own output losing its reader. A broken pipe anywhere
/// else (a server closing the connection mid-call) is a failure like any other.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| inner.is::<ReaderGone>())
    })
}

/// What a write to stdout fails with once its reader has gone away.
#[derive(Debug)]
struct ReaderGone;

impl std::fmt::Display for ReaderGone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the reader of the output went away")
    }
}

impl std::error::Error for ReaderGone {}

/// Stdout, its broken pipe marked as [`ReaderGone`] so that it is told apart from others.
struct Stdout(std::io::StdoutLock<'static>);

fn stdout() -> Stdout {
    Stdout(std::io::stdout().lock())
}

fn reader_gone(e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::io::Error::new(e.kind(), ReaderGone)
    } else {
        e
    }
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(reader_gone)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(reader_gone)
    }
}

/// Stdout for `None` or `-`, else the file.
fn output_writer(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn std::io::Write>> {
    use anyhow::Context;
    Ok(match path {
        None => Box::new(stdout()),
        Some(p) if p.as_os_str() == "-" => Box::new(stdout()),
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        ),
    })
}

fn gen_data(
    config: crosscheck_core::synth::GenConfig,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, output_writer(output)?);
    crosscheck_core::synth::generate(&config, &mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// A current-thread-free runtime for the client commands.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("crosscheck-client")
        .build()?)
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use super::*;

    #[test]
    fn only_the_outputs_own_broken_pipe_ends_quietly() {
        let ours = anyhow::Error::new(reader_gone(Error::from(ErrorKind::BrokenPipe)));
        assert!(is_broken_pipe(&ours.context("cannot write")));
        // The connection to a server breaking is a failure, however deep in the causes.
        let theirs = anyhow::Error::new(Error::from(ErrorKind::BrokenPipe));
        assert!(!is_broken_pipe(&theirs.context("export")));
        let other = reader_gone(Error::from(ErrorKind::PermissionDenied));
        assert_eq!(other.kind(), ErrorKind::PermissionDenied);
        assert!(other.get_ref().is_none());
    }
}

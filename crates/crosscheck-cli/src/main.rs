//! The one `crosscheck` binary. Command spellings follow shared/spec/cli.md; each subcommand
//! lives in its own module and this file only parses arguments and sets the exit status.

mod export;
mod import;
mod screen;
mod serve;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const DEFAULT_SERVER: &str = "http://127.0.0.1:50051";

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
    Serve {
        #[arg(long, default_value = "127.0.0.1:50051")]
        listen: SocketAddr,
        #[arg(long, default_value = "./crosscheck-data")]
        data_dir: PathBuf,
        /// Fill an empty store with generated demo data first
        #[arg(long)]
        demo: bool,
        /// HTTP address of /metrics, /healthz and /readyz; `off` to go without
        #[arg(long, default_value = "127.0.0.1:9051")]
        ops_listen: String,
    },
    /// Load an NDJSON record file into a running server
    Import {
        #[arg(long, default_value = DEFAULT_SERVER)]
        server: String,
        /// Store the good lines and report the bad ones instead of failing the whole file
        #[arg(long)]
        skip_invalid: bool,
        file: PathBuf,
    },
    /// Write the stored records in canonical form, one per line, ordered by id
    Export {
        #[arg(long, default_value = DEFAULT_SERVER)]
        server: String,
        /// Only this country's records
        #[arg(long)]
        owner: Option<String>,
        /// File to write; stdout when absent or `-`
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Run a file of query lines and write one result line per query
    Screen {
        #[arg(long, default_value = DEFAULT_SERVER)]
        server: String,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CROSSCHECK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let result = match cli.command {
        Command::Serve {
            listen,
            data_dir,
            demo,
            ops_listen,
        } => serve::run(listen, data_dir, demo, &ops_listen),
        Command::Import {
            server,
            skip_invalid,
            file,
        } => import::run(&server, &file, skip_invalid),
        Command::Export {
            server,
            owner,
            output,
        } => export::run(&server, owner.as_deref(), output.as_deref()),
        Command::Screen {
            server,
            input,
            output,
        } => screen::run(&server, &input, &output),
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Stdout for `None` or `-`, else the file.
fn output_writer(path: Option<&std::path::Path>) -> anyhow::Result<Box<dyn std::io::Write>> {
    use anyhow::Context;
    Ok(match path {
        None => Box::new(std::io::stdout().lock()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdout().lock()),
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

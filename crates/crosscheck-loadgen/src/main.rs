//! `crosscheck-loadgen`: the load generator on its own (also `crosscheck loadgen`).

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "crosscheck-loadgen",
    version,
    about = "Load generator for a crosscheck server"
)]
struct Cli {
    #[command(flatten)]
    config: crosscheck_loadgen::Config,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match crosscheck_loadgen::run_to_end(&cli.config, &mut std::io::stdout().lock()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

//! The process's log subscriber: stderr, human or JSON lines, filtered as configured.

use crosscheck_server::config::{LogConfig, LogFilter, LogFormat};
use tracing_subscriber::EnvFilter;

pub fn init(log: &LogConfig) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::new(log.filter.as_str()));
    match log.format {
        LogFormat::Human => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        // Fields at the top level of each object, where log collectors look for them.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .init(),
    }
}

/// For the client commands: `CROSSCHECK_LOG` when it is a filter, human lines.
pub fn init_for_client() {
    let filter = std::env::var("CROSSCHECK_LOG")
        .ok()
        .and_then(|f| f.parse::<LogFilter>().ok())
        .unwrap_or_default();
    init(&LogConfig {
        filter,
        format: LogFormat::Human,
    });
}

//! How client subcommands reach the server: its URL, and a client certificate when the server
//! requires one (mutual TLS). The certificate's identity is the caller; on a development server
//! the caller is the `as` of each query line, or the platform.

use std::path::PathBuf;

use crosscheck_client::{Client, TlsFiles};

const DEFAULT_SERVER: &str = "http://127.0.0.1:50051";

#[derive(clap::Args, Clone, Debug)]
pub struct Connection {
    /// The server (http:// for a development server, https:// with a client certificate)
    #[arg(long, default_value = DEFAULT_SERVER, value_parser = server_url)]
    pub server: String,
    /// CA certificate (PEM) that issued the server's certificate
    #[arg(long, env = "CROSSCHECK_CA", value_name = "FILE", requires_all = ["cert", "key"])]
    pub ca: Option<PathBuf>,
    /// This caller's client certificate (PEM), e.g. from `crosscheck certs`
    #[arg(long, env = "CROSSCHECK_CERT", value_name = "FILE", requires_all = ["ca", "key"])]
    pub cert: Option<PathBuf>,
    /// The client certificate's private key (PEM)
    #[arg(long, env = "CROSSCHECK_KEY", value_name = "FILE", requires_all = ["ca", "cert"])]
    pub key: Option<PathBuf>,
}

impl Connection {
    pub async fn connect(&self) -> anyhow::Result<Client> {
        let tls = match (&self.ca, &self.cert, &self.key) {
            (Some(ca), Some(cert), Some(key)) => Some(TlsFiles {
                ca: ca.clone(),
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => None,
        };
        Ok(Client::connect_with(&self.server, tls.as_ref()).await?)
    }
}

/// `--server`: checked before anything runs, so that a bad one is bad usage (exit 2).
fn server_url(s: &str) -> Result<String, String> {
    let uri: tonic::transport::Uri = s.parse().map_err(|e| format!("not a URL: {e}"))?;
    match (uri.scheme_str(), uri.authority()) {
        (Some("http" | "https"), Some(_)) => Ok(s.to_owned()),
        _ => Err("expected http://HOST:PORT or https://HOST:PORT".into()),
    }
}

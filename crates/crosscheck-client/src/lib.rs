//! crosscheck-client: a typed async client for the crosscheck gRPC API, used by the command
//! line, the load generator and the tests. Calls are made as one country, or as the platform
//! (no country) for bulk import and export on a development server.

use crosscheck_core::CountryCode;
use crosscheck_core::query::{DocumentQuery, Hit, ObjectQuery, PersonQuery, Verdict};
use crosscheck_proto::pb::audit_client::AuditClient;
use crosscheck_proto::pb::crosscheck_client::CrosscheckClient;
use crosscheck_proto::pb::notices_client::NoticesClient;
use crosscheck_proto::{COUNTRY_HEADER, pb};
use futures::{Stream, StreamExt};
use tonic::metadata::MetadataValue;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};
use tonic::{Request, Status, Streaming};

pub use crosscheck_proto::{code_name, pb as messages, screen_request};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    // The cause is the source, which reports print after the message.
    #[error("bad server url `{url}`")]
    Url {
        url: String,
        source: tonic::transport::Error,
    },
    #[error("TLS: {0}")]
    Tls(String),
    #[error("cannot reach {url}")]
    Connect {
        url: String,
        source: tonic::transport::Error,
    },
}

/// The answer to one lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub hits: Vec<Hit>,
    /// Server-side time.
    pub latency_us: u64,
}

/// The answer to a traveller check.
#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    pub hits: Vec<Hit>,
    pub verdict: Verdict,
    pub parsed: Option<pb::MrzFields>,
    pub latency_us: u64,
}

/// The answer to a batch of document checks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentBatch {
    /// Position in the request and hits, for the queries with hits, in request order.
    pub found: Vec<(usize, Vec<Hit>)>,
    /// Position in the request and `code: message`, for the queries that failed.
    pub errors: Vec<(usize, String)>,
    /// Server-side time for the whole batch.
    pub latency_us: u64,
}

/// One answer of a screening stream.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenAnswer {
    pub tag: String,
    pub hits: Vec<Hit>,
    /// `code: message` when the query failed.
    pub error: Option<String>,
    /// Traveller queries only.
    pub verdict: Option<Verdict>,
    pub latency_us: u64,
}

impl TryFrom<pb::ScreenResult> for ScreenAnswer {
    type Error = Status;

    fn try_from(r: pb::ScreenResult) -> Result<Self, Status> {
        let verdict = (!r.verdict.is_empty())
            .then(|| Verdict::parse("verdict", &r.verdict))
            .transpose()
            .map_err(|e| Status::internal(format!("bad answer from server: {e}")))?;
        let found = lookup(pb::LookupResponse {
            hits: r.hits,
            latency_us: r.latency_us,
        })?;
        Ok(ScreenAnswer {
            tag: r.tag,
            hits: found.hits,
            error: (!r.error.is_empty()).then_some(r.error),
            verdict,
            latency_us: found.latency_us,
        })
    }
}

/// A client certificate for a server that requires one (mutual TLS), in PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The CA that issued the server's certificate.
    pub ca: std::path::PathBuf,
    /// This caller's certificate: its `crosscheck://ROLE/NAME` SAN is who calls.
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

impl TlsFiles {
    fn config(&self) -> Result<ClientTlsConfig, ClientError> {
        let read = |p: &std::path::Path| {
            std::fs::read(p)
                .map_err(|e| ClientError::Tls(format!("cannot read {}: {e}", p.display())))
        };
        Ok(ClientTlsConfig::new()
            .ca_certificate(Certificate::from_pem(read(&self.ca)?))
            .identity(Identity::from_pem(read(&self.cert)?, read(&self.key)?)))
    }
}

#[derive(Clone)]
pub struct Client {
    inner: CrosscheckClient<Channel>,
    channel: Channel,
}

fn as_caller<T>(message: T, caller: Option<CountryCode>) -> Request<T> {
    let mut request = Request::new(message);
    if let Some(c) = caller {
        // A country code is three ASCII letters: always a valid header value.
        if let Ok(v) = MetadataValue::try_from(c.as_str()) {
            request.metadata_mut().insert(COUNTRY_HEADER, v);
        }
    }
    request
}

fn lookup(response: pb::LookupResponse) -> Result<Lookup, Status> {
    let hits = response
        .hits
        .into_iter()
        .map(|h| {
            Hit::try_from(h).map_err(|e| Status::internal(format!("bad hit from server: {e}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(Lookup {
        hits,
        latency_us: response.latency_us,
    })
}

impl Client {
    /// Connects without a client certificate (a development server).
    pub async fn connect(url: &str) -> Result<Client, ClientError> {
        Client::connect_with(url, None).await
    }

    /// Connects with a client certificate when `tls` is given (`https://` URLs).
    pub async fn connect_with(url: &str, tls: Option<&TlsFiles>) -> Result<Client, ClientError> {
        let mut endpoint =
            Endpoint::from_shared(url.to_owned()).map_err(|source| ClientError::Url {
                url: url.to_owned(),
                source,
            })?;
        match tls {
            Some(files) => {
                endpoint = endpoint
                    .tls_config(files.config()?)
                    .map_err(|e| ClientError::Tls(e.to_string()))?;
            }
            None if url.starts_with("https:") => {
                return Err(ClientError::Tls(format!(
                    "{url}: a client certificate is needed (--ca, --cert and --key)"
                )));
            }
            None => {}
        }
        let channel = endpoint
            .tcp_nodelay(true)
            .connect()
            .await
            .map_err(|source| ClientError::Connect {
                url: url.to_owned(),
                source,
            })?;
        let inner = CrosscheckClient::new(channel.clone())
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(64 << 20);
        Ok(Client { inner, channel })
    }

    /// The audit trail's entries (JSON lines) made from `since` to `until` (RFC 3339; empty:
    /// no bound).
    pub async fn audit_export(
        &self,
        caller: Option<CountryCode>,
        since: &str,
        until: &str,
    ) -> Result<Streaming<pb::AuditChunk>, Status> {
        let m = pb::AuditExportRequest {
            since: since.to_owned(),
            until: until.to_owned(),
        };
        let r = AuditClient::new(self.channel.clone())
            .export(as_caller(m, caller))
            .await?;
        Ok(r.into_inner())
    }

    /// Hit notices on the caller's records after the cursor `after`, then live ones.
    pub async fn subscribe(
        &self,
        caller: Option<CountryCode>,
        after: u64,
    ) -> Result<Streaming<pb::HitNotice>, Status> {
        let r = NoticesClient::new(self.channel.clone())
            .subscribe(as_caller(pb::SubscribeRequest { after }, caller))
            .await?;
        Ok(r.into_inner())
    }

    pub async fn lookup_document(
        &self,
        caller: Option<CountryCode>,
        q: &DocumentQuery,
    ) -> Result<Lookup, Status> {
        let r = self
            .inner
            .clone()
            .lookup_document(as_caller(q.into(), caller))
            .await?;
        lookup(r.into_inner())
    }

    pub async fn search_persons(
        &self,
        caller: Option<CountryCode>,
        q: &PersonQuery,
    ) -> Result<Lookup, Status> {
        let r = self
            .inner
            .clone()
            .search_persons(as_caller(q.into(), caller))
            .await?;
        lookup(r.into_inner())
    }

    pub async fn lookup_object(
        &self,
        caller: Option<CountryCode>,
        q: &ObjectQuery,
    ) -> Result<Lookup, Status> {
        let r = self
            .inner
            .clone()
            .lookup_object(as_caller(q.into(), caller))
            .await?;
        lookup(r.into_inner())
    }

    /// Many document checks in one call (at most 100,000): the hits by position in `queries`,
    /// only for those with hits, and the queries that failed.
    pub async fn lookup_documents(
        &self,
        caller: Option<CountryCode>,
        queries: &[DocumentQuery],
    ) -> Result<DocumentBatch, Status> {
        let message = pb::DocumentBatch {
            queries: queries.iter().map(Into::into).collect(),
        };
        let r = self
            .inner
            .clone()
            .lookup_documents(as_caller(message, caller))
            .await?
            .into_inner();
        let mut found = Vec::with_capacity(r.found.len());
        for f in r.found {
            let hits = lookup(pb::LookupResponse {
                hits: f.hits,
                latency_us: 0,
            })?
            .hits;
            found.push((f.index as usize, hits));
        }
        Ok(DocumentBatch {
            found,
            errors: r
                .errors
                .into_iter()
                .map(|e| (e.index as usize, e.error))
                .collect(),
            latency_us: r.latency_us,
        })
    }

    /// A traveller from a zone (`mrz`) or from separate fields (`query`).
    pub async fn screen_traveller(
        &self,
        caller: Option<CountryCode>,
        message: pb::TravellerQuery,
    ) -> Result<Screening, Status> {
        let r = self
            .inner
            .clone()
            .screen_traveller(as_caller(message, caller))
            .await?
            .into_inner();
        let verdict = Verdict::parse("verdict", &r.verdict)
            .map_err(|e| Status::internal(format!("bad answer from server: {e}")))?;
        let found = lookup(pb::LookupResponse {
            hits: r.hits,
            latency_us: r.latency_us,
        })?;
        Ok(Screening {
            hits: found.hits,
            verdict,
            parsed: r.parsed,
            latency_us: found.latency_us,
        })
    }

    /// Opens a screening stream as `caller`: every request is answered on its own, tagged.
    pub async fn screen<S>(
        &self,
        caller: Option<CountryCode>,
        requests: S,
    ) -> Result<impl Stream<Item = Result<ScreenAnswer, Status>> + use<S>, Status>
    where
        S: Stream<Item = pb::ScreenRequest> + Send + 'static,
    {
        let r = self
            .inner
            .clone()
            .screen(as_caller(requests, caller))
            .await?;
        Ok(r.into_inner()
            .map(|item| item.and_then(ScreenAnswer::try_from)))
    }

    /// Stores one record line; returns it as stored (canonical form).
    pub async fn upsert(
        &self,
        caller: Option<CountryCode>,
        record_json: &str,
    ) -> Result<String, Status> {
        let m = pb::UpsertRequest {
            record_json: record_json.to_owned(),
        };
        let r = self
            .inner
            .clone()
            .upsert_record(as_caller(m, caller))
            .await?;
        Ok(r.into_inner().record_json)
    }

    pub async fn delete(&self, caller: Option<CountryCode>, id: &str) -> Result<(), Status> {
        let m = pb::DeleteRequest { id: id.to_owned() };
        self.inner
            .clone()
            .delete_record(as_caller(m, caller))
            .await?;
        Ok(())
    }

    pub async fn get(&self, caller: Option<CountryCode>, id: &str) -> Result<String, Status> {
        let m = pb::GetRequest { id: id.to_owned() };
        let r = self.inner.clone().get_record(as_caller(m, caller)).await?;
        Ok(r.into_inner().record_json)
    }

    /// Streams chunks of lines; the server validates them all before storing any.
    pub async fn import(
        &self,
        caller: Option<CountryCode>,
        chunks: impl Stream<Item = pb::ImportChunk> + Send + 'static,
    ) -> Result<pb::ImportSummary, Status> {
        let r = self.inner.clone().import(as_caller(chunks, caller)).await?;
        Ok(r.into_inner())
    }

    pub async fn export(
        &self,
        caller: Option<CountryCode>,
        owner: Option<CountryCode>,
    ) -> Result<Streaming<pb::ExportChunk>, Status> {
        let m = pb::ExportRequest {
            owner: owner.map(|o| o.to_string()).unwrap_or_default(),
        };
        let r = self.inner.clone().export(as_caller(m, caller)).await?;
        Ok(r.into_inner())
    }

    /// Asks the server for a snapshot in `dir`, a new absolute path on its machine.
    pub async fn snapshot(
        &self,
        caller: Option<CountryCode>,
        dir: &str,
    ) -> Result<pb::SnapshotResponse, Status> {
        let m = pb::SnapshotRequest {
            dir: dir.to_owned(),
        };
        let r = self.inner.clone().snapshot(as_caller(m, caller)).await?;
        Ok(r.into_inner())
    }

    pub async fn stats(&self, caller: Option<CountryCode>) -> Result<pb::StatsResponse, Status> {
        let r = self
            .inner
            .clone()
            .stats(as_caller(pb::StatsRequest {}, caller))
            .await?;
        Ok(r.into_inner())
    }
}

//! Who is calling, and what they may do. On a production server the identity is the client
//! certificate's SAN URI (`crosscheck://bureau/FRA`, `crosscheck://operator/NAME`,
//! `crosscheck://auditor/NAME`), checked against the deployment's CA by the TLS handshake;
//! a `crosscheck-country` header can only repeat a bureau's own country. On a development server
//! (`--insecure-dev`) the header is the caller, and a call without it acts for the platform.

use std::sync::Arc;

use crosscheck_core::{Caller, CountryCode, record};
use crosscheck_proto::COUNTRY_HEADER;
use parking_lot::RwLock;
use tonic::{Request, Status};

/// The scheme of identity URIs in client certificates.
pub const URI_SCHEME: &str = "crosscheck://";

/// A caller, as established for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A country's bureau: lookups as that country, writes of its records, its hit notices.
    Bureau { country: CountryCode, dev: bool },
    /// The platform's operators: import and export of every record, stats, snapshots.
    Operator(String),
    /// Reads the audit trail, nothing else.
    Auditor(String),
    /// A development server's call without a country: operator and auditor at once.
    DevPlatform,
}

impl Principal {
    /// How the audit trail names the caller.
    pub fn who(&self) -> String {
        match self {
            Principal::Bureau {
                country,
                dev: false,
            } => format!("bureau:{country}"),
            Principal::Bureau { country, dev: true } => format!("dev:{country}"),
            Principal::Operator(name) => format!("operator:{name}"),
            Principal::Auditor(name) => format!("auditor:{name}"),
            Principal::DevPlatform => "dev:platform".to_owned(),
        }
    }

    /// The country of a lookup or a bureau's own call.
    pub fn bureau(&self) -> Result<CountryCode, Status> {
        match self {
            Principal::Bureau { country, .. } => Ok(*country),
            Principal::DevPlatform => Err(Status::unauthenticated(format!(
                "no caller: set the `{COUNTRY_HEADER}` metadata"
            ))),
            Principal::Operator(_) | Principal::Auditor(_) => {
                Err(Status::permission_denied(format!(
                    "{} acts for no country: only bureaus make this call",
                    self.who()
                )))
            }
        }
    }

    /// Import and export: a bureau for its own records, operators for every country's.
    pub fn writer(&self) -> Result<Caller, Status> {
        match self {
            Principal::Bureau { country, .. } => Ok(Caller::Country(*country)),
            Principal::Operator(_) | Principal::DevPlatform => Ok(Caller::Platform),
            Principal::Auditor(_) => Err(self.denied("import or export records")),
        }
    }

    /// Single-record writes and reads: a bureau as its country, operators for the platform.
    pub fn record_writer(&self) -> Result<Caller, Status> {
        match self {
            Principal::Operator(_) => Ok(Caller::Platform),
            Principal::Bureau { .. } | Principal::Auditor(_) | Principal::DevPlatform => {
                self.bureau().map(Caller::Country)
            }
        }
    }

    /// Stats and snapshots.
    pub fn operator(&self) -> Result<(), Status> {
        match self {
            Principal::Operator(_) | Principal::DevPlatform => Ok(()),
            Principal::Bureau { .. } | Principal::Auditor(_) => {
                Err(self.denied("operate the server"))
            }
        }
    }

    /// The audit trail.
    pub fn auditor(&self) -> Result<(), Status> {
        match self {
            Principal::Auditor(_) | Principal::DevPlatform => Ok(()),
            Principal::Bureau { .. } | Principal::Operator(_) => {
                Err(self.denied("read the audit trail"))
            }
        }
    }

    fn denied(&self, what: &str) -> Status {
        Status::permission_denied(format!("{} may not {what}", self.who()))
    }
}

/// Reads identities from client certificates (parsed once per certificate) or, on a
/// development server, from the country header.
#[derive(Debug, Clone)]
pub struct Identify {
    dev: bool,
    /// Certificates seen, by their DER bytes: a connection presents the same one on every call.
    parsed: Arc<RwLock<ahash::AHashMap<Vec<u8>, Principal>>>,
}

/// Parsed identities kept; beyond it the cache starts over (certificates are few).
const CACHE_LIMIT: usize = 10_000;

impl Identify {
    pub fn new(insecure_dev: bool) -> Identify {
        Identify {
            dev: insecure_dev,
            parsed: Arc::default(),
        }
    }

    pub fn principal<T>(&self, request: &Request<T>) -> Result<Principal, Status> {
        let claimed = header(request)?;
        if self.dev {
            return Ok(
                claimed.map_or(Principal::DevPlatform, |country| Principal::Bureau {
                    country,
                    dev: true,
                }),
            );
        }
        let certs = request.peer_certs().ok_or_else(|| {
            Status::unauthenticated("no client certificate: this server requires one")
        })?;
        let cert = certs.first().ok_or_else(|| {
            Status::unauthenticated("no client certificate: this server requires one")
        })?;
        let principal = self.of_certificate(cert.as_ref())?;
        match (&principal, claimed) {
            (Principal::Bureau { country, .. }, Some(c)) if c != *country => {
                Err(Status::permission_denied(format!(
                    "`as` {c} does not match the client certificate, which is {country}'s"
                )))
            }
            _ => Ok(principal),
        }
    }

    fn of_certificate(&self, der: &[u8]) -> Result<Principal, Status> {
        if let Some(p) = self.parsed.read().get(der) {
            return Ok(p.clone());
        }
        let principal = principal_of(der).map_err(Status::unauthenticated)?;
        let mut parsed = self.parsed.write();
        if parsed.len() >= CACHE_LIMIT {
            parsed.clear();
        }
        parsed.insert(der.to_vec(), principal.clone());
        Ok(principal)
    }
}

fn header<T>(request: &Request<T>) -> Result<Option<CountryCode>, Status> {
    let Some(value) = request.metadata().get(COUNTRY_HEADER) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| Status::unauthenticated(format!("{COUNTRY_HEADER}: not text")))?;
    record::country(COUNTRY_HEADER, text)
        .map(Some)
        .map_err(|e| Status::unauthenticated(e.to_string()))
}

/// The identity a certificate names: exactly one `crosscheck://` URI among its SANs.
pub fn principal_of(der: &[u8]) -> Result<Principal, String> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| format!("client certificate unreadable: {e}"))?;
    let sans = cert
        .subject_alternative_name()
        .map_err(|e| format!("client certificate: bad subject alternative names: {e}"))?;
    let mut uris = sans
        .into_iter()
        .flat_map(|s| &s.value.general_names)
        .filter_map(|n| {
            if let GeneralName::URI(uri) = n {
                uri.starts_with(URI_SCHEME).then_some(*uri)
            } else {
                None
            }
        });
    let (Some(uri), None) = (uris.next(), uris.next()) else {
        return Err(format!(
            "client certificate must name exactly one identity as a SAN URI {URI_SCHEME}ROLE/NAME"
        ));
    };
    parse_uri(uri)
}

fn parse_uri(uri: &str) -> Result<Principal, String> {
    let rest = &uri[URI_SCHEME.len()..];
    let bad = |why: &str| format!("client certificate identity `{uri}`: {why}");
    let (role, name) = rest
        .split_once('/')
        .ok_or_else(|| bad("expected ROLE/NAME"))?;
    if name.is_empty() || name.contains('/') {
        return Err(bad("expected ROLE/NAME"));
    }
    match role {
        "bureau" => {
            let country = CountryCode::parse(name).map_err(|e| bad(&e.to_string()))?;
            Ok(Principal::Bureau {
                country,
                dev: false,
            })
        }
        "operator" => Ok(Principal::Operator(name.to_owned())),
        "auditor" => Ok(Principal::Auditor(name.to_owned())),
        _ => Err(bad("the role is not bureau, operator or auditor")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_uris_name_a_role_and_a_name() {
        let fra = CountryCode::parse("FRA").expect("FRA");
        assert_eq!(
            parse_uri("crosscheck://bureau/FR"),
            Ok(Principal::Bureau {
                country: fra,
                dev: false
            })
        );
        assert_eq!(
            parse_uri("crosscheck://auditor/ana"),
            Ok(Principal::Auditor("ana".into()))
        );
        for bad in [
            "crosscheck://bureau/XXQ",
            "crosscheck://bureau/",
            "crosscheck://king/FRA",
            "crosscheck://bureau/FRA/DEU",
            "crosscheck://operator",
        ] {
            assert!(parse_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_allow_their_own_calls_only() {
        let fra = CountryCode::parse("FRA").expect("FRA");
        let bureau = Principal::Bureau {
            country: fra,
            dev: false,
        };
        let operator = Principal::Operator("ops".into());
        let auditor = Principal::Auditor("ana".into());
        assert_eq!(bureau.bureau().ok(), Some(fra));
        assert!(bureau.operator().is_err() && bureau.auditor().is_err());
        assert_eq!(bureau.writer().ok(), Some(Caller::Country(fra)));
        assert!(operator.bureau().is_err() && operator.auditor().is_err());
        assert_eq!(operator.writer().ok(), Some(Caller::Platform));
        assert!(auditor.bureau().is_err() && auditor.operator().is_err());
        assert!(auditor.writer().is_err() && auditor.auditor().is_ok());
        assert!(Principal::DevPlatform.bureau().is_err());
    }
}

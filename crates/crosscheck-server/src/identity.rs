//! Who is calling. On this development server the country comes from request metadata; client
//! certificates replace it in production deployments.

use crosscheck_core::{Caller, CountryCode, record};
use crosscheck_proto::COUNTRY_HEADER;
use tonic::{Request, Status};

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

/// The calling country; UNAUTHENTICATED without one.
pub fn country<T>(request: &Request<T>) -> Result<CountryCode, Status> {
    header(request)?.ok_or_else(|| {
        Status::unauthenticated(format!("no caller: set the `{COUNTRY_HEADER}` metadata"))
    })
}

/// The calling country, or the platform itself for bulk import and export without one.
pub fn country_or_platform<T>(request: &Request<T>) -> Result<Caller, Status> {
    Ok(header(request)?.map_or(Caller::Platform, Caller::Country))
}

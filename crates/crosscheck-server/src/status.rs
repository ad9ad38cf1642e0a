//! The one mapping from engine errors to gRPC statuses. Exhaustive on purpose: a new error
//! variant must decide its code here. Internal detail goes to the log, not to the caller.

use crosscheck_core::Error;
use tonic::Status;
use tracing::error;

pub fn to_status(e: Error) -> Status {
    match e {
        Error::InvalidArgument(f) => Status::invalid_argument(f.to_string()),
        Error::PermissionDenied(m) => Status::permission_denied(m),
        Error::NotFound(m) => Status::not_found(m),
        Error::Unauthenticated(m) => Status::unauthenticated(m),
        Error::Store(detail) => {
            error!(%detail, "store failure");
            Status::internal("storage failure; see the server log")
        }
    }
}

pub fn invalid(e: crosscheck_core::FieldError) -> Status {
    Status::invalid_argument(e.to_string())
}

//! The one error enum of the core: user errors (bad input, permission) apart from internal ones.

use std::fmt;

/// A problem with one field of a record or query: `field` is a path such as `identifiers.vin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.field, self.reason)
        }
    }
}

impl std::error::Error for FieldError {}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidArgument(#[from] FieldError),
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("store: {0}")]
    Store(String),
}

impl Error {
    /// The same error again, for each of several callers a failed group write answers.
    pub fn duplicate(&self) -> Error {
        match self {
            Error::InvalidArgument(f) => Error::InvalidArgument(f.clone()),
            Error::PermissionDenied(m) => Error::PermissionDenied(m.clone()),
            Error::NotFound(m) => Error::NotFound(m.clone()),
            Error::Unauthenticated(m) => Error::Unauthenticated(m.clone()),
            Error::Store(m) => Error::Store(m.clone()),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

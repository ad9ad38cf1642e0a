//! crosscheck-core: the domain of the lookup engine. Records and queries with their validation,
//! normalisation and identifier check digits, name folding and matching, the sharded in-memory
//! index, the visibility rule, the `Store` trait and the `Engine` every read and write goes
//! through. It must not depend on tokio, tonic, prost or rocksdb.

pub mod audit;
pub mod bulk;
pub mod country;
pub mod documents;
pub mod engine;
pub mod error;
pub mod fuzzy;
pub mod identifier;
pub mod index;
pub mod json;
pub mod matcher;
pub mod mrz;
pub mod names;
pub mod query;
pub mod record;
pub mod shard;
mod snapshot;
pub mod store;
pub mod synth;
pub mod timestamp;
pub mod visibility;

pub use country::CountryCode;
pub use engine::{Engine, ImportReport, Rejected};
pub use error::{Error, FieldError, Result};
pub use record::{Kind, Record};
pub use visibility::Caller;

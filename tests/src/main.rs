//! Integration tests: a real server on 127.0.0.1:0 over real RocksDB in a temp dir, driven
//! through the real client over gRPC.

mod harness;
mod lookups;
mod records;
mod visibility;

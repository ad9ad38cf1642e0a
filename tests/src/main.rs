//! Integration tests: a real server on 127.0.0.1:0 over real RocksDB in a temp dir, driven
//! through the real client over gRPC.

#![expect(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod backups;
mod batch;
mod crash;
mod harness;
mod loadgen;
mod lookups;
mod ops;
mod records;
mod trust;
mod visibility;

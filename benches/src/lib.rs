//! crosscheck-benches: shared set-up for the criterion benches (`benches/`) and the end-to-end
//! gRPC run (`grpc-bench`): generated data sets of a given size.

use crosscheck_core::Record;
use crosscheck_core::record::Body;
use crosscheck_core::synth::{self, GenConfig};

// The allocator the `crosscheck` binary runs with, so that figures carry over.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generated records of the given sizes, parsed; `seed` fixed so runs compare.
pub fn dataset(persons: u64, documents: u64, objects: u64) -> Vec<Record> {
    let mut buf = Vec::new();
    let config = GenConfig {
        persons,
        documents,
        objects,
        seed: 42,
    };
    synth::generate(&config, &mut buf).expect("writing to memory cannot fail");
    String::from_utf8_lossy(&buf)
        .lines()
        .map(|l| Record::from_json_line(l).expect("the generator writes valid records"))
        .collect()
}

/// Printed document numbers of a data set, in order.
pub fn document_numbers(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| match &r.body {
            Body::Document(d) => Some(d.number.clone()),
            Body::Person(_) | Body::Object(_) => None,
        })
        .collect()
}

/// Size of a data set from the environment (`NAME=N`), else the default.
pub fn size(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

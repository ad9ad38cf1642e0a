//! Any query line parses or is rejected with a reason; nothing panics.
#![no_main]

use crosscheck_core::query::QueryLine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    let _ = QueryLine::parse(line, 1);
});

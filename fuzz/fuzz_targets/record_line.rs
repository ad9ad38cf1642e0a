//! Any line either fails with a field error or parses to a record whose canonical form is a
//! fixed point: what export writes, import reads back unchanged.
#![no_main]

use crosscheck_core::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    if let Ok(record) = Record::from_json_line(line) {
        let canonical = record.to_json_line();
        let again = Record::from_json_line(&canonical)
            .unwrap_or_else(|e| panic!("canonical form rejected: {e}: {canonical}"));
        assert_eq!(again.to_json_line(), canonical);
    }
});

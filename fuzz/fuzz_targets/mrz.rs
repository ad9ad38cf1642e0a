//! Any text parses as an MRZ or is rejected naming a field; an accepted zone parses the same
//! way again in lower case (scanners deliver either).
#![no_main]

use crosscheck_core::mrz;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(first) = mrz::parse(text) {
        let lower = mrz::parse(&text.to_ascii_lowercase())
            .unwrap_or_else(|e| panic!("accepted in upper case, not in lower case: {e}"));
        assert_eq!(first, lower);
    }
});

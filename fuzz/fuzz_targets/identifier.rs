//! Normalisation is idempotent and yields the matching alphabet only; the check-digit rules
//! never panic, whatever they are given.
#![no_main]

use crosscheck_core::identifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let n = identifier::normalize(input);
    assert!(n.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    assert_eq!(identifier::normalize(&n), n);
    let _ = identifier::normalize_imo(input);
    let _ = identifier::check_vin(&n);
    let _ = identifier::check_container(&n);
    let _ = identifier::check_imei(&n);
    let _ = identifier::check_imo(&n);
    let _ = identifier::check_cas(&n);
    let _ = identifier::vin_check_digit(&n);
    let _ = identifier::luhn_check_digit(&n);
});

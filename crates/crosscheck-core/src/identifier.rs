//! Normalisation of document numbers and identifier values, and the check digits of the
//! identifiers that carry one: VIN (North America), ISO 6346 container numbers, IMEI, IMO
//! ship numbers and CAS registry numbers.
//!
//! The `check_*` functions take the normalised form (see [`normalize`]), so `6484-52-2` and
//! `6484522` validate alike. Error messages leave out the field name: the caller prefixes it.

/// Why an identifier value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// Wrong number of characters for an identifier of fixed length.
    #[error("must be {expected} characters, got {got}")]
    Length { expected: usize, got: usize },
    /// Characters the identifier does not allow, or not where it allows them.
    #[error("must {requirement}")]
    Format { requirement: &'static str },
    /// Well formed, but the check digit does not match the rest.
    #[error("check digit is {found}, expected {expected}")]
    CheckDigit { found: char, expected: char },
}

/// Upper case, only ASCII `A-Z 0-9` kept: the matching form of document numbers and
/// identifier values.
///
/// Non-ASCII characters are upper-cased before being dropped, so a character whose upper case
/// is ASCII survives (`ß` gives `SS`, dotless `ı` gives `I`).
pub fn normalize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_uppercase());
            }
        } else {
            out.extend(c.to_uppercase().filter(char::is_ascii_alphanumeric));
        }
    }
    out
}

/// The IMO form: [`normalize`], then drop a leading `IMO`, leaving the digits.
pub fn normalize_imo(input: &str) -> String {
    let mut normalized = normalize(input);
    if normalized.starts_with("IMO") {
        normalized.drain(..3);
    }
    normalized
}

/// Check digits are single decimal digits; VIN also uses `X` for ten.
fn digit_char(value: u32) -> Option<char> {
    char::from_digit(value, 10)
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The value of an ASCII digit byte; callers have checked it is one.
fn digit_value(b: u8) -> u32 {
    u32::from(b.wrapping_sub(b'0'))
}

/// Splits off the last character, the check digit of every identifier here.
fn split_check(s: &str) -> Option<(&str, char)> {
    let last = s.chars().next_back()?;
    Some((s.strip_suffix(last)?, last))
}

fn compare(found: char, expected: char) -> Result<(), IdentifierError> {
    if found == expected {
        Ok(())
    } else {
        Err(IdentifierError::CheckDigit { found, expected })
    }
}

// --- VIN --------------------------------------------------------------------------------

const VIN_LEN: usize = 17;
const VIN_CHECK_POS: usize = 8;
const VIN_WEIGHTS: [u32; VIN_LEN] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// Transliteration of a VIN character (49 CFR 565.15); `None` for I, O, Q and anything else
/// outside `A-Z 0-9`.
fn vin_value(b: u8) -> Option<u32> {
    let value = match b {
        b'0'..=b'9' => digit_value(b),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    };
    Some(value)
}

/// The North American check digit (9th position) of a 17-character VIN; the 9th character
/// of the input is ignored. `None` unless all 17 characters are valid VIN characters.
pub fn vin_check_digit(vin17: &str) -> Option<char> {
    let bytes = vin17.as_bytes();
    if bytes.len() != VIN_LEN {
        return None;
    }
    let mut sum = 0;
    for (&b, weight) in bytes.iter().zip(VIN_WEIGHTS) {
        sum += vin_value(b)? * weight;
    }
    match sum % 11 {
        10 => Some('X'),
        rest => digit_char(rest),
    }
}

/// A VIN: 17 characters of `A-Z 0-9` without I, O or Q. The check digit is enforced only for
/// VINs made for North America (first character `1` to `5`); elsewhere position 9 is free.
pub fn check_vin(normalized: &str) -> Result<(), IdentifierError> {
    let got = normalized.chars().count();
    if got != VIN_LEN {
        return Err(IdentifierError::Length {
            expected: VIN_LEN,
            got,
        });
    }
    let bytes = normalized.as_bytes();
    if !bytes
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(IdentifierError::Format {
            requirement: "contain only letters A-Z and digits 0-9",
        });
    }
    if bytes.iter().any(|b| matches!(b, b'I' | b'O' | b'Q')) {
        return Err(IdentifierError::Format {
            requirement: "not contain I, O or Q",
        });
    }
    if !matches!(bytes.first(), Some(b'1'..=b'5')) {
        return Ok(());
    }
    let found = bytes.get(VIN_CHECK_POS).map(|&b| char::from(b));
    match vin_check_digit(normalized).zip(found) {
        Some((expected, found)) => compare(found, expected),
        // Unreachable after the checks above; an error rather than a panic if they change.
        None => Err(IdentifierError::Format {
            requirement: "be a valid VIN",
        }),
    }
}

// --- ISO 6346 container number ------------------------------------------------------------

/// Letter values A..=Z: counting from 10 and skipping multiples of 11 (11, 22, 33).
const ISO6346_LETTERS: [u32; 26] = [
    10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36,
    37, 38,
];

fn iso6346_letter(b: u8) -> Option<u32> {
    ISO6346_LETTERS
        .get(usize::from(b.checked_sub(b'A')?))
        .copied()
}

/// Whether the first 10 characters are an owner code (3 letters), a category letter
/// (U freight container, J detachable equipment, Z trailer or chassis) and a 6-digit serial.
fn iso6346_format(first10: &[u8]) -> Result<(), IdentifierError> {
    let shape_ok = first10.len() == 10
        && first10.iter().take(4).all(u8::is_ascii_uppercase)
        && first10.iter().skip(4).all(u8::is_ascii_digit);
    if !shape_ok {
        return Err(IdentifierError::Format {
            requirement: "be 4 letters and 7 digits",
        });
    }
    if !matches!(first10.get(3), Some(b'U' | b'J' | b'Z')) {
        return Err(IdentifierError::Format {
            requirement: "have U, J or Z as the fourth letter",
        });
    }
    Ok(())
}

/// The ISO 6346 check digit of owner code, category letter and serial number (10
/// characters). `None` unless they are well formed.
pub fn iso6346_check_digit(first10: &str) -> Option<char> {
    let bytes = first10.as_bytes();
    iso6346_format(bytes).ok()?;
    let mut sum = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let value = if b.is_ascii_digit() {
            digit_value(b)
        } else {
            iso6346_letter(b)?
        };
        sum += value << i;
    }
    // A remainder of 10 is written 0 (ISO 6346 advises against such serials, but they exist).
    digit_char(sum % 11 % 10)
}

/// An ISO 6346 container number: 4 letters and 7 digits, the last one the check digit.
pub fn check_container(normalized: &str) -> Result<(), IdentifierError> {
    const SHAPE: IdentifierError = IdentifierError::Format {
        requirement: "be 4 letters and 7 digits",
    };
    let got = normalized.chars().count();
    if got != 11 {
        return Err(IdentifierError::Length { expected: 11, got });
    }
    let (first10, found) = split_check(normalized).ok_or(SHAPE)?;
    iso6346_format(first10.as_bytes())?;
    if !found.is_ascii_digit() {
        return Err(SHAPE);
    }
    let expected = iso6346_check_digit(first10).ok_or(SHAPE)?;
    compare(found, expected)
}

// --- IMEI (Luhn) --------------------------------------------------------------------------

/// The Luhn check digit to append to a non-empty string of digits.
pub fn luhn_check_digit(digits_without_check: &str) -> Option<char> {
    if digits_without_check.is_empty() || !all_digits(digits_without_check) {
        return None;
    }
    // Counting from the right, the digit next to the check digit is doubled, then every other.
    let sum: u32 = digits_without_check
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = digit_value(b);
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    digit_char((10 - sum % 10) % 10)
}

/// An IMEI: 15 digits, the last a Luhn check digit.
pub fn check_imei(normalized: &str) -> Result<(), IdentifierError> {
    if normalized.len() != 15 || !all_digits(normalized) {
        return Err(IdentifierError::Format {
            requirement: "be 15 digits",
        });
    }
    check_trailing_digit(normalized, luhn_check_digit, "be 15 digits")
}

/// Compares the last digit of an all-digit string with the one `compute` gives for the rest.
fn check_trailing_digit(
    digits: &str,
    compute: fn(&str) -> Option<char>,
    requirement: &'static str,
) -> Result<(), IdentifierError> {
    match split_check(digits).and_then(|(payload, found)| Some((compute(payload)?, found))) {
        Some((expected, found)) => compare(found, expected),
        None => Err(IdentifierError::Format { requirement }),
    }
}

// --- IMO ship number ---------------------------------------------------------------------

/// The IMO check digit of the first 6 digits: weights 7 down to 2, sum mod 10.
pub fn imo_check_digit(first6: &str) -> Option<char> {
    if first6.len() != 6 || !all_digits(first6) {
        return None;
    }
    let sum: u32 = first6
        .bytes()
        .zip((2..=7).rev())
        .map(|(b, weight)| digit_value(b) * weight)
        .sum();
    digit_char(sum % 10)
}

/// An IMO number as left by [`normalize_imo`]: 7 digits, the last the check digit.
pub fn check_imo(normalized_digits: &str) -> Result<(), IdentifierError> {
    if normalized_digits.len() != 7 || !all_digits(normalized_digits) {
        return Err(IdentifierError::Format {
            requirement: "be 7 digits",
        });
    }
    check_trailing_digit(normalized_digits, imo_check_digit, "be 7 digits")
}

// --- CAS registry number ------------------------------------------------------------------

/// The CAS check digit of the digits before it (4 to 9 of them, as a CAS number has 5 to 10
/// digits in all): each digit times its position counted from the right, sum mod 10.
pub fn cas_check_digit(digits_without_check: &str) -> Option<char> {
    if !(4..=9).contains(&digits_without_check.len()) || !all_digits(digits_without_check) {
        return None;
    }
    let sum: u32 = digits_without_check
        .bytes()
        .rev()
        .zip(1..)
        .map(|(b, position)| digit_value(b) * position)
        .sum();
    digit_char(sum % 10)
}

/// A CAS registry number: 5 to 10 digits in all, the last the check digit.
pub fn check_cas(normalized: &str) -> Result<(), IdentifierError> {
    if !(5..=10).contains(&normalized.len()) || !all_digits(normalized) {
        return Err(IdentifierError::Format {
            requirement: "be 5 to 10 digits",
        });
    }
    check_trailing_digit(normalized, cas_check_digit, "be 5 to 10 digits")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalize_examples() {
        assert_eq!(normalize("C01X 00T47"), "C01X00T47");
        assert_eq!(normalize(" ab-12./c<<"), "AB12C");
        assert_eq!(normalize("MSCU 123456-5"), "MSCU1234565");
        assert_eq!(normalize("Пётр 12"), "12");
        assert_eq!(normalize("straße"), "STRASSE");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn normalize_imo_examples() {
        assert_eq!(normalize_imo("IMO 9074729"), "9074729");
        assert_eq!(normalize_imo("imo9074729"), "9074729");
        assert_eq!(normalize_imo("9074729"), "9074729");
        assert_eq!(check_imo(&normalize_imo("IMO 9074729")), Ok(()));
    }

    #[test]
    fn vin_known_values() {
        assert_eq!(vin_check_digit("1M8GDM9AXKP042788"), Some('X'));
        assert_eq!(check_vin("1M8GDM9AXKP042788"), Ok(()));
        let err = check_vin("1M8GDM9A5KP042788").unwrap_err();
        assert_eq!(err.to_string(), "check digit is 5, expected X");
        // Outside North America the ninth character is not a check digit.
        assert_eq!(check_vin("WM8GDM9A5KP042788"), Ok(()));
        assert_eq!(check_vin("VF1AAAAA5AA000000"), Ok(()));
    }

    #[test]
    fn vin_format_errors() {
        let msg = |s| check_vin(s).unwrap_err().to_string();
        assert_eq!(msg("1M8GDM9AXKP04278"), "must be 17 characters, got 16");
        assert_eq!(msg("1M8GDM9AXKP0427880"), "must be 17 characters, got 18");
        assert_eq!(msg("WM8GDM9AXKP04278O"), "must not contain I, O or Q");
        assert_eq!(msg("1I8GDM9AXKP042788"), "must not contain I, O or Q");
        assert_eq!(
            msg("1m8GDM9AXKP042788"),
            "must contain only letters A-Z and digits 0-9"
        );
        assert_eq!(vin_check_digit("1M8GDM9AXKP04278O"), None);
        assert_eq!(vin_check_digit("1M8GDM9AXKP04278"), None);
    }

    #[test]
    fn container_known_values() {
        assert_eq!(iso6346_check_digit("CSQU305438"), Some('3'));
        assert_eq!(check_container("CSQU3054383"), Ok(()));
        // The spec's `MSCU 123456-5` is a normalisation example; its check digit is 6.
        assert_eq!(iso6346_check_digit("MSCU123456"), Some('6'));
        assert_eq!(check_container("MSCU1234566"), Ok(()));
        assert_eq!(
            check_container(&normalize("MSCU 123456-5")),
            Err(IdentifierError::CheckDigit {
                found: '5',
                expected: '6'
            })
        );
    }

    #[test]
    fn container_format_errors() {
        let msg = |s| check_container(s).unwrap_err().to_string();
        assert_eq!(msg("CSQU305438"), "must be 11 characters, got 10");
        assert_eq!(msg("CSQ13054383"), "must be 4 letters and 7 digits");
        assert_eq!(msg("CSQU305438A"), "must be 4 letters and 7 digits");
        assert_eq!(
            msg("CSQX3054383"),
            "must have U, J or Z as the fourth letter"
        );
        assert_eq!(msg("CSQU305438é"), "must be 4 letters and 7 digits");
    }

    #[test]
    fn imei_known_values() {
        assert_eq!(luhn_check_digit("49015420323751"), Some('8'));
        assert_eq!(check_imei("490154203237518"), Ok(()));
        assert_eq!(check_imei(&normalize("35-209900-176148-1")), Ok(()));
        assert_eq!(
            check_imei("490154203237517").unwrap_err().to_string(),
            "check digit is 7, expected 8"
        );
        assert_eq!(
            check_imei("49015420323751").unwrap_err().to_string(),
            "must be 15 digits"
        );
        // The classic Luhn example.
        assert_eq!(luhn_check_digit("7992739871"), Some('3'));
        assert_eq!(luhn_check_digit(""), None);
    }

    #[test]
    fn imo_known_values() {
        assert_eq!(imo_check_digit("907472"), Some('9'));
        assert_eq!(check_imo("9074729"), Ok(()));
        assert_eq!(
            check_imo("9074728").unwrap_err().to_string(),
            "check digit is 8, expected 9"
        );
        assert_eq!(
            check_imo("IMO9074729").unwrap_err().to_string(),
            "must be 7 digits"
        );
    }

    #[test]
    fn cas_known_values() {
        for cas in [
            "7732-18-5",
            "64-17-5",
            "6484-52-2",
            "7775-09-9",
            "7719-12-2",
        ] {
            assert_eq!(check_cas(&normalize(cas)), Ok(()), "{cas}");
        }
        assert_eq!(cas_check_digit("773218"), Some('5'));
        assert_eq!(
            check_cas("6484523").unwrap_err().to_string(),
            "check digit is 3, expected 2"
        );
        assert_eq!(
            check_cas("1234").unwrap_err().to_string(),
            "must be 5 to 10 digits"
        );
        assert!(check_cas("12345678901").is_err());
        assert_eq!(cas_check_digit("123"), None);
    }

    /// Every check-digit character other than `expected`.
    fn other_digits(expected: char) -> impl Iterator<Item = char> {
        ('0'..='9').filter(move |&c| c != expected)
    }

    /// The computed check digit passes; every other digit fails, naming both.
    fn round_trip(
        payload: &str,
        digit: fn(&str) -> Option<char>,
        check: fn(&str) -> Result<(), IdentifierError>,
    ) -> Result<(), TestCaseError> {
        let expected = digit(payload).unwrap();
        prop_assert_eq!(check(&format!("{payload}{expected}")), Ok(()));
        for other in other_digits(expected) {
            prop_assert_eq!(
                check(&format!("{payload}{other}")),
                Err(IdentifierError::CheckDigit {
                    found: other,
                    expected
                })
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent_and_clean(input in any::<String>()) {
            let once = normalize(&input);
            prop_assert!(once.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
            prop_assert_eq!(normalize(&once), once.clone());
            let imo = normalize_imo(&input);
            prop_assert!(once.ends_with(&imo));
        }

        #[test]
        fn vin_check_digit_round_trip(vin in "[1-5][A-HJ-NPR-Z0-9]{16}") {
            let expected = vin_check_digit(&vin).unwrap();
            let with = |c: char| format!("{}{}{}", &vin[..8], c, &vin[9..]);
            prop_assert_eq!(check_vin(&with(expected)), Ok(()));
            for other in other_digits(expected).chain(Some('X')).filter(|&c| c != expected) {
                prop_assert_eq!(
                    check_vin(&with(other)),
                    Err(IdentifierError::CheckDigit { found: other, expected })
                );
            }
        }

        #[test]
        fn vin_outside_north_america_is_not_checked(vin in "[A-HJ-NPR-Z06-9][A-HJ-NPR-Z0-9]{16}") {
            prop_assert_eq!(check_vin(&vin), Ok(()));
        }

        #[test]
        fn container_check_digit_round_trip(first10 in "[A-Z]{3}[UJZ][0-9]{6}") {
            round_trip(&first10, iso6346_check_digit, check_container)?;
        }

        #[test]
        fn imei_check_digit_round_trip(payload in "[0-9]{14}") {
            round_trip(&payload, luhn_check_digit, check_imei)?;
        }

        #[test]
        fn imo_check_digit_round_trip(payload in "[0-9]{6}") {
            round_trip(&payload, imo_check_digit, check_imo)?;
        }

        #[test]
        fn cas_check_digit_round_trip(payload in "[0-9]{4,9}") {
            round_trip(&payload, cas_check_digit, check_cas)?;
        }

        #[test]
        fn nothing_panics(input in any::<String>()) {
            let _ = normalize(&input);
            let _ = normalize_imo(&input);
            let _ = vin_check_digit(&input);
            let _ = check_vin(&input);
            let _ = iso6346_check_digit(&input);
            let _ = check_container(&input);
            let _ = luhn_check_digit(&input);
            let _ = check_imei(&input);
            let _ = imo_check_digit(&input);
            let _ = check_imo(&input);
            let _ = cas_check_digit(&input);
            let _ = check_cas(&input);
        }

        #[test]
        fn nothing_panics_near_valid_shapes(
            input in "[0-9A-Z]{0,3}(é|ß|\u{0}|-|[0-9A-Z]){0,16}"
        ) {
            let _ = vin_check_digit(&input);
            let _ = check_vin(&input);
            let _ = iso6346_check_digit(&input);
            let _ = check_container(&input);
            let _ = luhn_check_digit(&input);
            let _ = check_imei(&input);
            let _ = imo_check_digit(&input);
            let _ = check_imo(&input);
            let _ = cas_check_digit(&input);
            let _ = check_cas(&input);
        }
    }
}

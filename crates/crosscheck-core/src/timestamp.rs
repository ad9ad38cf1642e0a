//! Calendar checks and the canonical timestamp form (RFC 3339, UTC, `Z`, whole seconds).

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::error::FieldError;

pub fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, a real calendar day.
pub fn check_full_date(field: &str, s: &str) -> Result<(), FieldError> {
    let bad = || FieldError::new(field, format!("`{s}` is not a date YYYY-MM-DD"));
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, FieldError> {
        let part = &s[r];
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(bad());
    }
    Ok(())
}

fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Any RFC 3339 timestamp, rewritten in the canonical form.
pub fn canonical_rfc3339(field: &str, s: &str) -> Result<String, FieldError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(format)
        .map_err(|e| FieldError::new(field, format!("`{s}` is not an RFC 3339 timestamp: {e}")))
}

pub fn current_year() -> u32 {
    OffsetDateTime::now_utc().year().max(0) as u32
}

pub fn now_rfc3339() -> String {
    format(OffsetDateTime::now_utc())
}

/// UTC with microseconds, fixed width, so that such timestamps sort as text (audit entries).
fn format_micros(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{}.{:06}Z", &format(t)[..19], t.microsecond())
}

pub fn now_rfc3339_micros() -> String {
    format_micros(OffsetDateTime::now_utc())
}

/// Any RFC 3339 timestamp in the form of `now_rfc3339_micros`.
pub fn rfc3339_micros(field: &str, s: &str) -> Result<String, FieldError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(format_micros)
        .map_err(|e| FieldError::new(field, format!("`{s}` is not an RFC 3339 timestamp: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_become_utc_whole_seconds() {
        let c = |s| canonical_rfc3339("t", s).unwrap();
        assert_eq!(c("2023-08-02T10:21:56Z"), "2023-08-02T10:21:56Z");
        assert_eq!(c("2023-08-02T12:21:56.789+02:00"), "2023-08-02T10:21:56Z");
        assert!(canonical_rfc3339("t", "2023-08-02").is_err());
        assert_eq!(now_rfc3339().len(), 20);
        let m = |s| rfc3339_micros("t", s).unwrap();
        assert_eq!(
            m("2023-08-02T12:21:56.789+02:00"),
            "2023-08-02T10:21:56.789000Z"
        );
        assert!(m("2023-08-02T10:21:56Z") < now_rfc3339_micros());
    }

    #[test]
    fn full_dates_are_calendar_days() {
        assert!(check_full_date("d", "2024-02-29").is_ok());
        assert!(check_full_date("d", "2023-02-29").is_err());
        assert!(check_full_date("d", "2023-2-01").is_err());
    }
}

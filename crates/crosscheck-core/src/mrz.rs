//! Machine readable zones of ICAO 9303: TD1 (3 × 30), TD2 (2 × 36), TD3 passports (2 × 44) and
//! machine readable visas MRV-A (2 × 44) and MRV-B (2 × 36). Every check digit is verified,
//! with the composite one where the format has it; errors name the field and the expected digit.

use crate::error::FieldError;
use crate::record::{PartialDate, Sex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Td1,
    Td2,
    Td3,
    MrvA,
    MrvB,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
            Format::MrvA => "MRV-A",
            Format::MrvB => "MRV-B",
        }
    }
}

/// The fields read from a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Mrz {
    pub format: Format,
    /// `P`, `PO`, `I`, `ID`, `V`, … (fillers dropped).
    pub document_code: String,
    /// As printed (`UTO` in specimens is no country): checked where a lookup needs a country.
    pub issuing_state: String,
    /// Primary identifier (family name), fillers read as spaces.
    pub primary: String,
    /// Secondary identifiers (given names).
    pub secondary: String,
    pub document_number: String,
    pub nationality: String,
    pub birth_date: Option<PartialDate>,
    pub sex: Option<Sex>,
    /// `YYYY-MM-DD`.
    pub expiry: Option<String>,
    pub optional_data: String,
}

impl Mrz {
    /// Whether the zone is a travel document of the passport family (`P…`), an identity card
    /// (`I…`, `A…`, `C…`) or a visa (`V…`).
    pub fn doc_type(&self) -> crate::record::DocType {
        use crate::record::DocType;
        match self.document_code.as_bytes().first() {
            Some(b'P') => DocType::Passport,
            Some(b'V') => DocType::Visa,
            Some(b'I' | b'A' | b'C') => DocType::IdCard,
            _ => DocType::Other,
        }
    }
}

impl Mrz {
    /// The fields as the `parsed` object of a result line.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "format": self.format.as_str(),
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "primary": self.primary,
            "secondary": self.secondary,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date.map(|d| d.to_string()),
            "sex": self.sex.map(|s| s.as_str()),
            "expiry": self.expiry,
            "optional_data": self.optional_data,
        })
    }
}

fn err(field: &str, reason: impl Into<String>) -> FieldError {
    let field = if field.is_empty() {
        "mrz".to_owned()
    } else {
        format!("mrz {field}")
    };
    FieldError::new(field, reason)
}

/// ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, `<` as 0.
pub fn check_digit(s: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in s.bytes().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    char::from_digit(sum % 10, 10)
}

/// Verifies `digit` (a character of the zone) against `data`.
fn verify(line: usize, field: &str, data: &str, digit: char) -> Result<(), FieldError> {
    let expected =
        check_digit(data).ok_or_else(|| err(field, "has characters outside A-Z 0-9 <"))?;
    // An all-filler optional field may carry `<` as its check digit.
    if digit == '<' && data.bytes().all(|b| b == b'<') {
        return Ok(());
    }
    if digit != expected {
        return Err(FieldError::new(
            format!("mrz line {line}"),
            format!("check digit for {field} is {digit}, expected {expected}"),
        ));
    }
    Ok(())
}

/// Reads a zone: lines separated by newlines, trailing spaces and CR tolerated, lower case
/// read as upper case.
pub fn parse(text: &str) -> Result<Mrz, FieldError> {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            l.trim_end_matches(['\r', ' ', '\t'])
                .trim_start()
                .to_ascii_uppercase()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(bad) = lines
        .iter()
        .flat_map(|l| l.chars())
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<'))
    {
        return Err(err("", format!("character `{bad}` is not A-Z, 0-9 or <")));
    }
    let lens: Vec<usize> = lines.iter().map(String::len).collect();
    let visa = lines.first().is_some_and(|l| l.starts_with('V'));
    match (lens.as_slice(), visa) {
        ([30, 30, 30], _) => td1(&lines),
        ([44, 44], false) => two_line(&lines, Format::Td3, 44),
        ([36, 36], false) => two_line(&lines, Format::Td2, 36),
        ([44, 44], true) => two_line(&lines, Format::MrvA, 44),
        ([36, 36], true) => two_line(&lines, Format::MrvB, 36),
        _ => Err(err(
            "",
            format!(
                "expected 3 lines of 30, or 2 lines of 36 or 44 characters; got line lengths {lens:?}"
            ),
        )),
    }
}

fn state(field: &str, s: &str) -> Result<String, FieldError> {
    let code = s.trim_end_matches('<');
    if code.is_empty() {
        return Err(err(field, "is empty"));
    }
    Ok(code.to_owned())
}

fn name(s: &str) -> (String, String) {
    let clean = |p: &str| {
        p.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match s.split_once("<<") {
        Some((primary, secondary)) => (clean(primary), clean(secondary)),
        None => (clean(s), String::new()),
    }
}

/// YYMMDD with `<` for unknown parts; `past` picks the century that puts the date in the past
/// (birth dates), otherwise within the coming decades (expiry).
fn date(field: &str, s: &str, past: bool) -> Result<Option<PartialDate>, FieldError> {
    if s.bytes().all(|b| b == b'<') {
        return Ok(None);
    }
    let num = |r: std::ops::Range<usize>| -> Result<Option<u32>, FieldError> {
        let part = &s[r];
        if part == "<<" {
            return Ok(None);
        }
        part.parse()
            .map(Some)
            .map_err(|_| err(field, format!("`{s}` is not a date YYMMDD")))
    };
    let yy = num(0..2)?.ok_or_else(|| err(field, format!("`{s}` has no year")))?;
    let current = crate::timestamp::current_year() % 100;
    let century = if past {
        if yy > current { 1900 } else { 2000 }
    } else if yy + 50 < current {
        2100
    } else {
        2000
    };
    let (month, day) = (num(2..4)?, num(4..6)?);
    let mut text = format!("{:04}", century + yy);
    if let Some(m) = month {
        text.push_str(&format!("-{m:02}"));
        if let Some(d) = day {
            text.push_str(&format!("-{d:02}"));
        }
    }
    PartialDate::parse(&format!("mrz {field}"), &text).map(Some)
}

fn sex(s: &str) -> Result<Option<Sex>, FieldError> {
    match s {
        "M" => Ok(Some(Sex::M)),
        "F" => Ok(Some(Sex::F)),
        "X" | "<" => Ok(None),
        other => Err(err("sex", format!("`{other}` is not M, F, X or <"))),
    }
}

fn code(s: &str) -> String {
    s.trim_end_matches('<').to_owned()
}

fn two_line(lines: &[String], format: Format, width: usize) -> Result<Mrz, FieldError> {
    let (l1, l2) = (&lines[0], &lines[1]);
    let number = &l2[0..9];
    verify(2, "document number", number, l2.as_bytes()[9] as char)?;
    verify(2, "birth date", &l2[13..19], l2.as_bytes()[19] as char)?;
    verify(2, "expiry date", &l2[21..27], l2.as_bytes()[27] as char)?;
    let optional = match format {
        Format::Td3 => {
            verify(2, "personal number", &l2[28..42], l2.as_bytes()[42] as char)?;
            let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
            verify(2, "composite", &composite, l2.as_bytes()[43] as char)?;
            &l2[28..42]
        }
        Format::Td2 => {
            let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..35]);
            verify(2, "composite", &composite, l2.as_bytes()[35] as char)?;
            &l2[28..35]
        }
        Format::MrvA | Format::MrvB | Format::Td1 => &l2[28..width],
    };
    let (primary, secondary) = name(&l1[5..]);
    Ok(Mrz {
        format,
        document_code: code(&l1[0..2]),
        issuing_state: state("issuing state", &l1[2..5])?,
        primary,
        secondary,
        document_number: code(number),
        nationality: state("nationality", &l2[10..13])?,
        birth_date: date("birth date", &l2[13..19], true)?,
        sex: sex(&l2[20..21])?,
        expiry: date("expiry date", &l2[21..27], false)?.map(|d| d.to_string()),
        optional_data: code(optional),
    })
}

fn td1(lines: &[String]) -> Result<Mrz, FieldError> {
    let (l1, l2, l3) = (&lines[0], &lines[1], &lines[2]);
    let mut number = l1[5..14].to_owned();
    let mut optional = l1[15..30].to_owned();
    if l1.as_bytes()[14] == b'<' && !l1[15..30].starts_with('<') {
        // Long document number: it continues in the optional field, its check digit last.
        let overflow = l1[15..30].trim_end_matches('<');
        let (rest, digit) = overflow.split_at(overflow.len().saturating_sub(1));
        number.push_str(rest);
        verify(
            1,
            "document number",
            &number,
            digit.chars().next().unwrap_or('<'),
        )?;
        optional = String::new();
    } else {
        verify(1, "document number", &number, l1.as_bytes()[14] as char)?;
    }
    verify(2, "birth date", &l2[0..6], l2.as_bytes()[6] as char)?;
    verify(2, "expiry date", &l2[8..14], l2.as_bytes()[14] as char)?;
    let composite = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
    verify(2, "composite", &composite, l2.as_bytes()[29] as char)?;
    let (primary, secondary) = name(l3);
    Ok(Mrz {
        format: Format::Td1,
        document_code: code(&l1[0..2]),
        issuing_state: state("issuing state", &l1[2..5])?,
        primary,
        secondary,
        document_number: code(&number),
        nationality: state("nationality", &l2[15..18])?,
        birth_date: date("birth date", &l2[0..6], true)?,
        sex: sex(&l2[7..8])?,
        expiry: date("expiry date", &l2[8..14], false)?.map(|d| d.to_string()),
        optional_data: format!("{}{}", code(&optional), code(&l2[18..29])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // ICAO 9303 part 4 and part 5 specimens (Utopia, `UTO`).
    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    const TD2: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6";

    #[test]
    fn reads_the_icao_specimens() {
        let p = parse(TD3).unwrap();
        assert_eq!(p.format, Format::Td3);
        assert_eq!(
            (p.primary.as_str(), p.secondary.as_str()),
            ("ERIKSSON", "ANNA MARIA")
        );
        assert_eq!(p.document_number, "L898902C3");
        assert_eq!(p.issuing_state, "UTO");
        assert_eq!(p.birth_date.unwrap().to_string(), "1974-08-12");
        assert_eq!(p.expiry.as_deref(), Some("2012-04-15"));
        assert_eq!(p.optional_data, "ZE184226B");
        let id = parse(TD1).unwrap();
        assert_eq!(
            (id.format, id.document_number.as_str()),
            (Format::Td1, "D23145890")
        );
        assert_eq!(id.sex, Some(Sex::F));
        let td2 = parse(TD2).unwrap();
        assert_eq!(
            (td2.format, td2.document_number.as_str()),
            (Format::Td2, "D23145890")
        );
    }

    #[test]
    fn tolerates_scanning_artefacts() {
        let messy = TD3.to_lowercase().replace('\n', "  \r\n") + "\r\n";
        assert_eq!(parse(&messy).unwrap(), parse(TD3).unwrap());
    }

    #[test]
    fn every_check_digit_is_verified_and_named() {
        let cases = [
            (9, "document number", '6'),
            (19, "birth date", '2'),
            (27, "expiry date", '9'),
            (42, "personal number", '1'),
            (43, "composite", '0'),
        ];
        for (pos, field, expected) in cases {
            let mut bad: Vec<char> = TD3.chars().collect();
            let at = 45 + pos;
            bad[at] = if bad[at] == '1' { '2' } else { '1' };
            let e = parse(&bad.into_iter().collect::<String>()).unwrap_err();
            let text = e.to_string();
            assert!(
                text.contains("check digit") && text.contains(field),
                "{text}"
            );
            assert!(text.ends_with(&format!("expected {expected}")), "{text}");
        }
        let short = parse("P<UTO\nshort").unwrap_err();
        assert!(short.to_string().starts_with("mrz: expected"), "{short}");
    }

    #[test]
    fn td1_long_document_numbers_overflow_into_the_optional_field() {
        let number = "D23145890123";
        let digit = check_digit(number).unwrap();
        let l1 = format!("I<UTO{}<{}{digit}<<<<<<<<<<<", &number[..9], &number[9..]);
        let l2 = "7408122F1204159UTO<<<<<<<<<<<";
        let composite = format!("{}{}{}{}", &l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]);
        let text = format!(
            "{l1}\n{l2}{}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            check_digit(&composite).unwrap()
        );
        assert_eq!(parse(&text).unwrap().document_number, number);
    }
}

#[cfg(test)]
mod no_panic {
    use super::check_digit;
    use proptest::prelude::*;

    fn value(c: u8) -> u32 {
        match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => 0,
        }
    }

    /// A valid TD3 zone from its variable parts.
    fn td3(
        family: &str,
        given: &str,
        number: &str,
        dob: &str,
        expiry: &str,
        personal: &str,
    ) -> String {
        let cd = |s: &str| check_digit(s).unwrap();
        let l1 = format!("{:<<44}", format!("P<FRA{family}<<{given}"));
        let number = format!("{number:<<9}");
        let personal = format!("{personal:<<14}");
        let mut l2 = format!(
            "{number}{}FRA{dob}{}M{expiry}{}{personal}{}",
            cd(&number),
            cd(dob),
            cd(expiry),
            cd(&personal)
        );
        let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
        l2.push(cd(&composite));
        format!("{l1}\n{l2}")
    }

    proptest! {
        /// Valid zones are read back; one character changed where a check digit covers it
        /// (and changed so that the weighted sum changes) is always caught.
        #[test]
        fn corruption_is_noticed(
            family in "[A-Z]{2,12}", given in "[A-Z]{2,10}", number in "[A-Z0-9]{6,9}",
            dob in "[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])",
            expiry in "[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])",
            personal in "[A-Z0-9]{0,14}",
            at in prop_oneof![0usize..10, 13usize..20, 21usize..44],
            with in "[A-Z0-9]",
        ) {
            let zone = td3(&family, &given, &number, &dob, &expiry, &personal);
            let read = super::parse(&zone).unwrap();
            prop_assert_eq!(&read.primary, &family);
            prop_assert_eq!(read.document_number, number.trim_end_matches('<'));
            let mut bytes = zone.into_bytes();
            let pos = 45 + at;
            let new = with.as_bytes()[0];
            prop_assume!(value(new) % 10 != value(bytes[pos]) % 10);
            bytes[pos] = new;
            let corrupted = String::from_utf8(bytes).unwrap();
            let e = super::parse(&corrupted).expect_err("a changed character must be caught");
            prop_assert!(e.to_string().contains("check digit"), "{}", e);
        }

        #[test]
        fn arbitrary_text(text in "\\PC{0,120}") {
            let _ = super::parse(&text);
        }

        /// Zone-shaped input: right lengths, arbitrary zone characters.
        #[test]
        fn zone_shaped(lines in prop_oneof![
            proptest::collection::vec("[A-Z0-9<]{44}", 2),
            proptest::collection::vec("[A-Z0-9<]{36}", 2),
            proptest::collection::vec("[A-Z0-9<]{30}", 3),
        ]) {
            let _ = super::parse(&lines.join("\n"));
        }
    }
}

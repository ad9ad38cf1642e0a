//! Country codes: ISO 3166-1 and the ICAO 9303 codes that appear on travel documents.
//!
//! Every accepted spelling parses to one canonical three-letter code, so records and queries
//! compare by value: alpha-2 becomes alpha-3 and ICAO's `D` becomes `DEU`.

use std::fmt;

/// A country, territory or document-issuing organisation, always stored as three ASCII upper
/// case letters in canonical form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

/// The input is not an accepted country code.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a country code")]
pub struct UnknownCountry(pub String);

impl CountryCode {
    /// Parses an ISO 3166-1 alpha-3 or alpha-2 code or an ICAO 9303 code, case-insensitively
    /// and ignoring surrounding whitespace. Does not allocate on success.
    pub fn parse(input: &str) -> Result<CountryCode, UnknownCountry> {
        lookup(input.trim()).ok_or_else(|| UnknownCountry(input.to_owned()))
    }

    /// The three letters, for compact layouts (`documents`).
    pub(crate) fn to_stored(self) -> [u8; 3] {
        self.0
    }

    /// Back from [`CountryCode::to_stored`]; only for bytes that came from it.
    pub(crate) fn from_stored(bytes: [u8; 3]) -> CountryCode {
        CountryCode(bytes)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Every officially assigned ISO 3166-1 alpha-3 code (249), in alphabetical order.
    pub fn iso_alpha3() -> impl Iterator<Item = CountryCode> {
        ISO_ALPHA3
            .iter()
            .filter_map(|(alpha3, _)| code_bytes(alpha3).map(CountryCode))
    }

    /// The alpha-2 code of an ISO country; `None` for the ICAO-only codes.
    pub fn alpha2(&self) -> Option<&'static str> {
        ISO_ALPHA3
            .binary_search_by(|(alpha3, _)| alpha3.as_bytes().cmp(&self.0[..]))
            .ok()
            .and_then(|i| ISO_ALPHA3.get(i))
            .map(|(_, alpha2)| *alpha2)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Bare `FRA` rather than the byte array: readable in logs and assertion failures.
impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn lookup(trimmed: &str) -> Option<CountryCode> {
    let bytes = trimmed.as_bytes();
    if bytes.is_empty() || bytes.len() > 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    // Upper-case into a stack buffer: the hot path never allocates.
    let mut upper = [0u8; 3];
    for (dst, src) in upper.iter_mut().zip(bytes) {
        *dst = src.to_ascii_uppercase();
    }
    let upper = upper.get(..bytes.len())?;
    match upper {
        // ICAO 9303 writes Germany as `D` in machine readable zones.
        b"D" => Some(CountryCode(*b"DEU")),
        [_, _] => ALPHA2
            .binary_search_by(|(alpha2, _)| alpha2.as_bytes().cmp(upper))
            .ok()
            .and_then(|i| ALPHA2.get(i))
            .and_then(|(_, alpha3)| code_bytes(alpha3))
            .map(CountryCode),
        &[a, b, c] => {
            let at = alpha3_index([a, b, c]);
            let known = KNOWN_ALPHA3[at / 64] & (1 << (at % 64)) != 0;
            known.then_some(CountryCode([a, b, c]))
        }
        _ => None,
    }
}

fn code_bytes(code: &str) -> Option<[u8; 3]> {
    // Every table entry is three letters; a malformed one would be skipped, and the tests
    // check there is none.
    code.as_bytes().try_into().ok()
}

/// The place of three upper case letters among all 26^3.
const fn alpha3_index(code: [u8; 3]) -> usize {
    (code[0] - b'A') as usize * 676 + (code[1] - b'A') as usize * 26 + (code[2] - b'A') as usize
}

/// One bit per three-letter code, set for the ISO and ICAO ones: every record has two or more
/// codes, and a bulk load spent 2% of its time searching the tables for them.
static KNOWN_ALPHA3: [u64; 26 * 26 * 26 / 64 + 1] = {
    let mut bits = [0; 26 * 26 * 26 / 64 + 1];
    let mut i = 0;
    while i < ISO_ALPHA3.len() + ICAO_ONLY.len() {
        let code = if i < ISO_ALPHA3.len() {
            ISO_ALPHA3[i].0
        } else {
            ICAO_ONLY[i - ISO_ALPHA3.len()]
        }
        .as_bytes();
        let at = alpha3_index([code[0], code[1], code[2]]);
        bits[at / 64] |= 1 << (at % 64);
        i += 1;
    }
    bits
};

/// Codes that ICAO 9303 Part 3 assigns beyond ISO 3166-1, sorted. They are codes of their
/// own, never mapped to a country: `GBD` (British Overseas Territories Citizen) is not `GBR`.
const ICAO_ONLY: [&str; 25] = [
    "EUE", // European Union
    "GBD", // British Overseas Territories Citizen
    "GBN", // British National (Overseas)
    "GBO", // British Overseas Citizen
    "GBP", // British Protected Person
    "GBS", // British Subject
    "RKS", // Kosovo, as printed in its own passports (not ICAO-assigned, but in use)
    "UNA", // specialized agency of the United Nations
    "UNK", // resident of Kosovo with a travel document issued by UNMIK
    "UNO", // United Nations Organization
    "XBA", // African Development Bank
    "XCC", // Caribbean Community (CARICOM)
    "XCE", // Council of Europe
    "XCO", // Common Market for Eastern and Southern Africa (COMESA)
    "XDC", // Southern African Development Community (SADC)
    "XEC", // Economic Community of West African States (ECOWAS)
    "XES", // Organisation of Eastern Caribbean States (OECS)
    "XIM", // African Export-Import Bank (Afreximbank)
    "XMP", // Parliamentary Assembly of the Mediterranean
    "XOM", // Sovereign Military Order of Malta
    "XPO", // INTERPOL
    "XXA", // stateless person (1954 Convention)
    "XXB", // refugee (1951 Convention)
    "XXC", // refugee, other
    "XXX", // unspecified nationality
];

// ISO 3166-1 as officially assigned (Debian iso-codes 4.15), sorted by the first column so
// lookups are a binary search. A test checks that the two tables are inverses of each other.

const ISO_ALPHA3: [(&str, &str); 249] = [
    ("ABW", "AW"),
    ("AFG", "AF"),
    ("AGO", "AO"),
    ("AIA", "AI"),
    ("ALA", "AX"),
    ("ALB", "AL"),
    ("AND", "AD"),
    ("ARE", "AE"),
    ("ARG", "AR"),
    ("ARM", "AM"),
    ("ASM", "AS"),
    ("ATA", "AQ"),
    ("ATF", "TF"),
    ("ATG", "AG"),
    ("AUS", "AU"),
    ("AUT", "AT"),
    ("AZE", "AZ"),
    ("BDI", "BI"),
    ("BEL", "BE"),
    ("BEN", "BJ"),
    ("BES", "BQ"),
    ("BFA", "BF"),
    ("BGD", "BD"),
    ("BGR", "BG"),
    ("BHR", "BH"),
    ("BHS", "BS"),
    ("BIH", "BA"),
    ("BLM", "BL"),
    ("BLR", "BY"),
    ("BLZ", "BZ"),
    ("BMU", "BM"),
    ("BOL", "BO"),
    ("BRA", "BR"),
    ("BRB", "BB"),
    ("BRN", "BN"),
    ("BTN", "BT"),
    ("BVT", "BV"),
    ("BWA", "BW"),
    ("CAF", "CF"),
    ("CAN", "CA"),
    ("CCK", "CC"),
    ("CHE", "CH"),
    ("CHL", "CL"),
    ("CHN", "CN"),
    ("CIV", "CI"),
    ("CMR", "CM"),
    ("COD", "CD"),
    ("COG", "CG"),
    ("COK", "CK"),
    ("COL", "CO"),
    ("COM", "KM"),
    ("CPV", "CV"),
    ("CRI", "CR"),
    ("CUB", "CU"),
    ("CUW", "CW"),
    ("CXR", "CX"),
    ("CYM", "KY"),
    ("CYP", "CY"),
    ("CZE", "CZ"),
    ("DEU", "DE"),
    ("DJI", "DJ"),
    ("DMA", "DM"),
    ("DNK", "DK"),
    ("DOM", "DO"),
    ("DZA", "DZ"),
    ("ECU", "EC"),
    ("EGY", "EG"),
    ("ERI", "ER"),
    ("ESH", "EH"),
    ("ESP", "ES"),
    ("EST", "EE"),
    ("ETH", "ET"),
    ("FIN", "FI"),
    ("FJI", "FJ"),
    ("FLK", "FK"),
    ("FRA", "FR"),
    ("FRO", "FO"),
    ("FSM", "FM"),
    ("GAB", "GA"),
    ("GBR", "GB"),
    ("GEO", "GE"),
    ("GGY", "GG"),
    ("GHA", "GH"),
    ("GIB", "GI"),
    ("GIN", "GN"),
    ("GLP", "GP"),
    ("GMB", "GM"),
    ("GNB", "GW"),
    ("GNQ", "GQ"),
    ("GRC", "GR"),
    ("GRD", "GD"),
    ("GRL", "GL"),
    ("GTM", "GT"),
    ("GUF", "GF"),
    ("GUM", "GU"),
    ("GUY", "GY"),
    ("HKG", "HK"),
    ("HMD", "HM"),
    ("HND", "HN"),
    ("HRV", "HR"),
    ("HTI", "HT"),
    ("HUN", "HU"),
    ("IDN", "ID"),
    ("IMN", "IM"),
    ("IND", "IN"),
    ("IOT", "IO"),
    ("IRL", "IE"),
    ("IRN", "IR"),
    ("IRQ", "IQ"),
    ("ISL", "IS"),
    ("ISR", "IL"),
    ("ITA", "IT"),
    ("JAM", "JM"),
    ("JEY", "JE"),
    ("JOR", "JO"),
    ("JPN", "JP"),
    ("KAZ", "KZ"),
    ("KEN", "KE"),
    ("KGZ", "KG"),
    ("KHM", "KH"),
    ("KIR", "KI"),
    ("KNA", "KN"),
    ("KOR", "KR"),
    ("KWT", "KW"),
    ("LAO", "LA"),
    ("LBN", "LB"),
    ("LBR", "LR"),
    ("LBY", "LY"),
    ("LCA", "LC"),
    ("LIE", "LI"),
    ("LKA", "LK"),
    ("LSO", "LS"),
    ("LTU", "LT"),
    ("LUX", "LU"),
    ("LVA", "LV"),
    ("MAC", "MO"),
    ("MAF", "MF"),
    ("MAR", "MA"),
    ("MCO", "MC"),
    ("MDA", "MD"),
    ("MDG", "MG"),
    ("MDV", "MV"),
    ("MEX", "MX"),
    ("MHL", "MH"),
    ("MKD", "MK"),
    ("MLI", "ML"),
    ("MLT", "MT"),
    ("MMR", "MM"),
    ("MNE", "ME"),
    ("MNG", "MN"),
    ("MNP", "MP"),
    ("MOZ", "MZ"),
    ("MRT", "MR"),
    ("MSR", "MS"),
    ("MTQ", "MQ"),
    ("MUS", "MU"),
    ("MWI", "MW"),
    ("MYS", "MY"),
    ("MYT", "YT"),
    ("NAM", "NA"),
    ("NCL", "NC"),
    ("NER", "NE"),
    ("NFK", "NF"),
    ("NGA", "NG"),
    ("NIC", "NI"),
    ("NIU", "NU"),
    ("NLD", "NL"),
    ("NOR", "NO"),
    ("NPL", "NP"),
    ("NRU", "NR"),
    ("NZL", "NZ"),
    ("OMN", "OM"),
    ("PAK", "PK"),
    ("PAN", "PA"),
    ("PCN", "PN"),
    ("PER", "PE"),
    ("PHL", "PH"),
    ("PLW", "PW"),
    ("PNG", "PG"),
    ("POL", "PL"),
    ("PRI", "PR"),
    ("PRK", "KP"),
    ("PRT", "PT"),
    ("PRY", "PY"),
    ("PSE", "PS"),
    ("PYF", "PF"),
    ("QAT", "QA"),
    ("REU", "RE"),
    ("ROU", "RO"),
    ("RUS", "RU"),
    ("RWA", "RW"),
    ("SAU", "SA"),
    ("SDN", "SD"),
    ("SEN", "SN"),
    ("SGP", "SG"),
    ("SGS", "GS"),
    ("SHN", "SH"),
    ("SJM", "SJ"),
    ("SLB", "SB"),
    ("SLE", "SL"),
    ("SLV", "SV"),
    ("SMR", "SM"),
    ("SOM", "SO"),
    ("SPM", "PM"),
    ("SRB", "RS"),
    ("SSD", "SS"),
    ("STP", "ST"),
    ("SUR", "SR"),
    ("SVK", "SK"),
    ("SVN", "SI"),
    ("SWE", "SE"),
    ("SWZ", "SZ"),
    ("SXM", "SX"),
    ("SYC", "SC"),
    ("SYR", "SY"),
    ("TCA", "TC"),
    ("TCD", "TD"),
    ("TGO", "TG"),
    ("THA", "TH"),
    ("TJK", "TJ"),
    ("TKL", "TK"),
    ("TKM", "TM"),
    ("TLS", "TL"),
    ("TON", "TO"),
    ("TTO", "TT"),
    ("TUN", "TN"),
    ("TUR", "TR"),
    ("TUV", "TV"),
    ("TWN", "TW"),
    ("TZA", "TZ"),
    ("UGA", "UG"),
    ("UKR", "UA"),
    ("UMI", "UM"),
    ("URY", "UY"),
    ("USA", "US"),
    ("UZB", "UZ"),
    ("VAT", "VA"),
    ("VCT", "VC"),
    ("VEN", "VE"),
    ("VGB", "VG"),
    ("VIR", "VI"),
    ("VNM", "VN"),
    ("VUT", "VU"),
    ("WLF", "WF"),
    ("WSM", "WS"),
    ("YEM", "YE"),
    ("ZAF", "ZA"),
    ("ZMB", "ZM"),
    ("ZWE", "ZW"),
];
const ALPHA2: [(&str, &str); 249] = [
    ("AD", "AND"),
    ("AE", "ARE"),
    ("AF", "AFG"),
    ("AG", "ATG"),
    ("AI", "AIA"),
    ("AL", "ALB"),
    ("AM", "ARM"),
    ("AO", "AGO"),
    ("AQ", "ATA"),
    ("AR", "ARG"),
    ("AS", "ASM"),
    ("AT", "AUT"),
    ("AU", "AUS"),
    ("AW", "ABW"),
    ("AX", "ALA"),
    ("AZ", "AZE"),
    ("BA", "BIH"),
    ("BB", "BRB"),
    ("BD", "BGD"),
    ("BE", "BEL"),
    ("BF", "BFA"),
    ("BG", "BGR"),
    ("BH", "BHR"),
    ("BI", "BDI"),
    ("BJ", "BEN"),
    ("BL", "BLM"),
    ("BM", "BMU"),
    ("BN", "BRN"),
    ("BO", "BOL"),
    ("BQ", "BES"),
    ("BR", "BRA"),
    ("BS", "BHS"),
    ("BT", "BTN"),
    ("BV", "BVT"),
    ("BW", "BWA"),
    ("BY", "BLR"),
    ("BZ", "BLZ"),
    ("CA", "CAN"),
    ("CC", "CCK"),
    ("CD", "COD"),
    ("CF", "CAF"),
    ("CG", "COG"),
    ("CH", "CHE"),
    ("CI", "CIV"),
    ("CK", "COK"),
    ("CL", "CHL"),
    ("CM", "CMR"),
    ("CN", "CHN"),
    ("CO", "COL"),
    ("CR", "CRI"),
    ("CU", "CUB"),
    ("CV", "CPV"),
    ("CW", "CUW"),
    ("CX", "CXR"),
    ("CY", "CYP"),
    ("CZ", "CZE"),
    ("DE", "DEU"),
    ("DJ", "DJI"),
    ("DK", "DNK"),
    ("DM", "DMA"),
    ("DO", "DOM"),
    ("DZ", "DZA"),
    ("EC", "ECU"),
    ("EE", "EST"),
    ("EG", "EGY"),
    ("EH", "ESH"),
    ("ER", "ERI"),
    ("ES", "ESP"),
    ("ET", "ETH"),
    ("FI", "FIN"),
    ("FJ", "FJI"),
    ("FK", "FLK"),
    ("FM", "FSM"),
    ("FO", "FRO"),
    ("FR", "FRA"),
    ("GA", "GAB"),
    ("GB", "GBR"),
    ("GD", "GRD"),
    ("GE", "GEO"),
    ("GF", "GUF"),
    ("GG", "GGY"),
    ("GH", "GHA"),
    ("GI", "GIB"),
    ("GL", "GRL"),
    ("GM", "GMB"),
    ("GN", "GIN"),
    ("GP", "GLP"),
    ("GQ", "GNQ"),
    ("GR", "GRC"),
    ("GS", "SGS"),
    ("GT", "GTM"),
    ("GU", "GUM"),
    ("GW", "GNB"),
    ("GY", "GUY"),
    ("HK", "HKG"),
    ("HM", "HMD"),
    ("HN", "HND"),
    ("HR", "HRV"),
    ("HT", "HTI"),
    ("HU", "HUN"),
    ("ID", "IDN"),
    ("IE", "IRL"),
    ("IL", "ISR"),
    ("IM", "IMN"),
    ("IN", "IND"),
    ("IO", "IOT"),
    ("IQ", "IRQ"),
    ("IR", "IRN"),
    ("IS", "ISL"),
    ("IT", "ITA"),
    ("JE", "JEY"),
    ("JM", "JAM"),
    ("JO", "JOR"),
    ("JP", "JPN"),
    ("KE", "KEN"),
    ("KG", "KGZ"),
    ("KH", "KHM"),
    ("KI", "KIR"),
    ("KM", "COM"),
    ("KN", "KNA"),
    ("KP", "PRK"),
    ("KR", "KOR"),
    ("KW", "KWT"),
    ("KY", "CYM"),
    ("KZ", "KAZ"),
    ("LA", "LAO"),
    ("LB", "LBN"),
    ("LC", "LCA"),
    ("LI", "LIE"),
    ("LK", "LKA"),
    ("LR", "LBR"),
    ("LS", "LSO"),
    ("LT", "LTU"),
    ("LU", "LUX"),
    ("LV", "LVA"),
    ("LY", "LBY"),
    ("MA", "MAR"),
    ("MC", "MCO"),
    ("MD", "MDA"),
    ("ME", "MNE"),
    ("MF", "MAF"),
    ("MG", "MDG"),
    ("MH", "MHL"),
    ("MK", "MKD"),
    ("ML", "MLI"),
    ("MM", "MMR"),
    ("MN", "MNG"),
    ("MO", "MAC"),
    ("MP", "MNP"),
    ("MQ", "MTQ"),
    ("MR", "MRT"),
    ("MS", "MSR"),
    ("MT", "MLT"),
    ("MU", "MUS"),
    ("MV", "MDV"),
    ("MW", "MWI"),
    ("MX", "MEX"),
    ("MY", "MYS"),
    ("MZ", "MOZ"),
    ("NA", "NAM"),
    ("NC", "NCL"),
    ("NE", "NER"),
    ("NF", "NFK"),
    ("NG", "NGA"),
    ("NI", "NIC"),
    ("NL", "NLD"),
    ("NO", "NOR"),
    ("NP", "NPL"),
    ("NR", "NRU"),
    ("NU", "NIU"),
    ("NZ", "NZL"),
    ("OM", "OMN"),
    ("PA", "PAN"),
    ("PE", "PER"),
    ("PF", "PYF"),
    ("PG", "PNG"),
    ("PH", "PHL"),
    ("PK", "PAK"),
    ("PL", "POL"),
    ("PM", "SPM"),
    ("PN", "PCN"),
    ("PR", "PRI"),
    ("PS", "PSE"),
    ("PT", "PRT"),
    ("PW", "PLW"),
    ("PY", "PRY"),
    ("QA", "QAT"),
    ("RE", "REU"),
    ("RO", "ROU"),
    ("RS", "SRB"),
    ("RU", "RUS"),
    ("RW", "RWA"),
    ("SA", "SAU"),
    ("SB", "SLB"),
    ("SC", "SYC"),
    ("SD", "SDN"),
    ("SE", "SWE"),
    ("SG", "SGP"),
    ("SH", "SHN"),
    ("SI", "SVN"),
    ("SJ", "SJM"),
    ("SK", "SVK"),
    ("SL", "SLE"),
    ("SM", "SMR"),
    ("SN", "SEN"),
    ("SO", "SOM"),
    ("SR", "SUR"),
    ("SS", "SSD"),
    ("ST", "STP"),
    ("SV", "SLV"),
    ("SX", "SXM"),
    ("SY", "SYR"),
    ("SZ", "SWZ"),
    ("TC", "TCA"),
    ("TD", "TCD"),
    ("TF", "ATF"),
    ("TG", "TGO"),
    ("TH", "THA"),
    ("TJ", "TJK"),
    ("TK", "TKL"),
    ("TL", "TLS"),
    ("TM", "TKM"),
    ("TN", "TUN"),
    ("TO", "TON"),
    ("TR", "TUR"),
    ("TT", "TTO"),
    ("TV", "TUV"),
    ("TW", "TWN"),
    ("TZ", "TZA"),
    ("UA", "UKR"),
    ("UG", "UGA"),
    ("UM", "UMI"),
    ("US", "USA"),
    ("UY", "URY"),
    ("UZ", "UZB"),
    ("VA", "VAT"),
    ("VC", "VCT"),
    ("VE", "VEN"),
    ("VG", "VGB"),
    ("VI", "VIR"),
    ("VN", "VNM"),
    ("VU", "VUT"),
    ("WF", "WLF"),
    ("WS", "WSM"),
    ("YE", "YEM"),
    ("YT", "MYT"),
    ("ZA", "ZAF"),
    ("ZM", "ZMB"),
    ("ZW", "ZWE"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(ISO_ALPHA3.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(ALPHA2.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(ICAO_ONLY.windows(2).all(|w| w[0] < w[1]));
        let mut alpha2: Vec<_> = ISO_ALPHA3.iter().map(|(_, a2)| *a2).collect();
        alpha2.sort_unstable();
        alpha2.dedup();
        assert_eq!(alpha2.len(), 249);
    }

    #[test]
    fn exactly_the_listed_three_letter_codes_parse() {
        let mut accepted = 0;
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                for c in b'A'..=b'Z' {
                    let code = std::str::from_utf8(&[a, b, c]).unwrap().to_owned();
                    let listed = ISO_ALPHA3.iter().any(|(a3, _)| *a3 == code)
                        || ICAO_ONLY.contains(&code.as_str());
                    assert_eq!(CountryCode::parse(&code).is_ok(), listed, "{code}");
                    accepted += usize::from(listed);
                }
            }
        }
        assert_eq!(accepted, ISO_ALPHA3.len() + ICAO_ONLY.len());
    }

    #[test]
    fn list_sizes() {
        assert_eq!(ISO_ALPHA3.len(), 249);
        assert_eq!(ALPHA2.len(), 249);
        assert_eq!(CountryCode::iso_alpha3().count(), 249);
    }

    #[test]
    fn codes_are_three_upper_case_letters() {
        for (alpha3, alpha2) in ISO_ALPHA3 {
            assert!(alpha3.len() == 3 && alpha3.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(alpha2.len() == 2 && alpha2.bytes().all(|b| b.is_ascii_uppercase()));
        }
        for code in ICAO_ONLY {
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn icao_codes_do_not_shadow_iso() {
        for code in ICAO_ONLY {
            assert!(
                ISO_ALPHA3.iter().all(|(alpha3, _)| *alpha3 != code),
                "{code}"
            );
        }
    }

    #[test]
    fn every_alpha2_maps_to_a_listed_alpha3_and_back() {
        for (alpha2, alpha3) in ALPHA2 {
            assert!(
                ISO_ALPHA3.contains(&(alpha3, alpha2)),
                "{alpha2} -> {alpha3}"
            );
            let code = CountryCode::parse(alpha2).unwrap();
            assert_eq!(code.as_str(), alpha3);
            assert_eq!(code.alpha2(), Some(alpha2));
        }
    }

    #[test]
    fn round_trip_through_as_str() {
        let all = CountryCode::iso_alpha3()
            .chain(ICAO_ONLY.iter().map(|c| CountryCode::parse(c).unwrap()));
        for code in all {
            assert_eq!(CountryCode::parse(code.as_str()).unwrap(), code);
            assert_eq!(code.to_string(), code.as_str());
        }
    }

    #[test]
    fn examples() {
        let parse = |s| CountryCode::parse(s).map(|c| c.to_string()).ok();
        assert_eq!(parse("D").as_deref(), Some("DEU"));
        assert_eq!(parse("d").as_deref(), Some("DEU"));
        assert_eq!(parse("fr").as_deref(), Some("FRA"));
        assert_eq!(parse(" fra\n").as_deref(), Some("FRA"));
        assert_eq!(parse("GB").as_deref(), Some("GBR"));
        assert_eq!(parse("GBD").as_deref(), Some("GBD"));
        assert_eq!(parse("xpo").as_deref(), Some("XPO"));
        assert_eq!(parse("RKS").as_deref(), Some("RKS"));
        assert_eq!(parse("XXX").as_deref(), Some("XXX"));
        for bad in [
            "ABC", "", "  ", "FRAN", "F", "XK", "XKX", "UK", "F R", "FR1", "ÉSP",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn alpha2_only_for_iso() {
        let code = |s| CountryCode::parse(s).unwrap();
        assert_eq!(code("DEU").alpha2(), Some("DE"));
        assert_eq!(code("D").alpha2(), Some("DE"));
        assert_eq!(code("GBD").alpha2(), None);
        assert_eq!(code("XPO").alpha2(), None);
    }

    #[test]
    fn error_and_debug_formats() {
        let err = CountryCode::parse(" ABC").unwrap_err();
        assert_eq!(err.to_string(), "` ABC` is not a country code");
        assert_eq!(format!("{:?}", CountryCode::parse("fra").unwrap()), "FRA");
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            if let Ok(code) = CountryCode::parse(&input) {
                prop_assert!(code.as_str().len() == 3);
                prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_uppercase()));
                prop_assert_eq!(CountryCode::parse(code.as_str()).ok(), Some(code));
            }
        }

        #[test]
        fn parse_is_case_insensitive(input in "[a-zA-Z]{1,3}") {
            prop_assert_eq!(
                CountryCode::parse(&input).ok(),
                CountryCode::parse(&input.to_ascii_uppercase()).ok()
            );
        }
    }
}

//! Reading the lines of an input file: line ends and a leading byte-order mark dropped, bytes
//! that are not UTF-8 reported (never silently replaced: a changed name or number would be
//! stored or looked up as if it had been sent).

/// The text of one line (without its `\n` or `\r\n`), or why it cannot be read.
pub fn decode(bytes: &[u8], first: bool) -> Result<&str, String> {
    let mut bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    if first {
        bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8: invalid byte at column {} (save the file as UTF-8)",
            e.valid_up_to() + 1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_a_leading_bom_go_bad_bytes_are_named() {
        assert_eq!(decode(b"{\"a\":1}\r\n", false), Ok("{\"a\":1}"));
        assert_eq!(decode("\u{feff}{}\n".as_bytes(), true), Ok("{}"));
        // Only at the start of the file.
        assert_eq!(decode("\u{feff}{}".as_bytes(), false), Ok("\u{feff}{}"));
        assert_eq!(decode("Пётр".as_bytes(), false), Ok("Пётр"));
        let bad = decode(b"{\"n\":\"AB\xff\"}\n", false).unwrap_err();
        assert!(
            bad.contains("not UTF-8") && bad.contains("column 9"),
            "{bad}"
        );
    }
}

//! A token's comparison forms saved as they are (`crate::snapshot`): a restart does not
//! transliterate every stored name again.

use std::io;

use super::Token;
use crate::snapshot::{Dec, Enc, bad};

const VOWELLESS: u8 = 1;
const CONNECTOR: u8 = 2;

impl Enc {
    pub(crate) fn token(&mut self, t: &Token) {
        self.bytes(t.text.as_bytes());
        for end in t.ends {
            self.u16(end);
        }
        self.u8((u8::from(t.vowelless) * VOWELLESS) | (u8::from(t.connector) * CONNECTOR));
    }
}

impl Dec<'_> {
    pub(crate) fn token(&mut self) -> io::Result<Token> {
        let mut t = Token {
            text: self.str()?.into(),
            ends: Default::default(),
            vowelless: false,
            connector: false,
        };
        for end in &mut t.ends {
            *end = self.u16()?;
        }
        // Forms are read with `str::get`: ends out of order or off a character boundary read
        // as empty, never panic; still, a sane file has them in order.
        let ordered = t.ends.windows(2).all(|w| w[0] <= w[1]);
        if !ordered
            || t.ends
                .last()
                .is_some_and(|e| usize::from(*e) > t.text.len())
        {
            return Err(bad("token forms out of order"));
        }
        let flags = self.u8()?;
        t.vowelless = flags & VOWELLESS != 0;
        t.connector = flags & CONNECTOR != 0;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_with_every_form() {
        for raw in [
            "smirnov",
            "mhmd",
            "bin",
            "alotaibi",
            "chen",
            "x",
            "iurii юрий",
        ] {
            let t = Token::new(raw);
            let mut e = Enc::default();
            e.token(&t);
            let back = Dec(&e.0).token().unwrap();
            assert_eq!(back.text, t.text);
            assert_eq!(back.ends, t.ends);
            assert_eq!(back.is_vowelless(), t.is_vowelless());
            assert_eq!(back.is_connector(), t.is_connector());
            assert_eq!(back.skeleton(), t.skeleton());
            assert_eq!(back.spelling(), t.spelling());
        }
    }
}

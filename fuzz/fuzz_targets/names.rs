//! The transliterator folds any text to ASCII tokens; every token matches itself exactly and
//! any two tokens score within [0, 1].
#![no_main]

use crosscheck_core::names::{Token, tokens};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let folded = tokens(text);
    let parsed: Vec<Token> = folded.iter().map(|t| Token::new(t)).collect();
    for (raw, token) in folded.iter().zip(&parsed) {
        assert!(raw.is_ascii() && !raw.is_empty(), "{raw:?}");
        assert_eq!(token.similarity(token).0, 1.0, "{raw:?}");
    }
    for pair in parsed.windows(2) {
        let (score, _) = pair[0].similarity(&pair[1]);
        assert!((0.0..=1.0).contains(&score), "{score}");
    }
});

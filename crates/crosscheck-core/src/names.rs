//! Folding names from any script to comparable Latin tokens, a phonetic skeleton for
//! spelling-independent keys, and string similarity.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case ASCII tokens of a name in any script: accents dropped, other scripts
/// transliterated, particles kept (they are scored low elsewhere).
pub fn tokens(text: &str) -> Vec<String> {
    let stripped: String = text.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let ascii = deunicode::deunicode(&stripped).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A consonant skeleton that survives the usual romanisation differences (Mohammed/Muhammad,
/// Smirnov/Smirnow, Tchaikovsky/Chaikovskii): vowels after the first letter dropped, letters
/// that romanisations swap merged, doubled letters collapsed.
pub fn skeleton(token: &str) -> String {
    let b = token.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (mapped, step) = match (c, next) {
            (b'p', Some(b'h')) => (Some('f'), 2),
            (b't', Some(b'c')) if b.get(i + 2) == Some(&b'h') => (Some('k'), 3),
            (b'k' | b'c' | b'g' | b't' | b's' | b'z', Some(b'h')) => (Some(merge(c)), 2),
            (b'c', Some(b'k')) => (Some('k'), 2),
            (b'q', Some(b'u')) => (Some('k'), 2),
            (b't', Some(b's' | b'z')) => (Some('s'), 2),
            (b'd', Some(b'j' | b'z')) => (Some('j'), 2),
            (b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h', _) if i > 0 => (None, 1),
            _ => (Some(merge(c)), 1),
        };
        if let Some(m) = mapped
            && !out.ends_with(m)
        {
            out.push(m);
        }
        i += step;
    }
    out
}

fn merge(c: u8) -> char {
    match c {
        b'c' | b'q' | b'g' => 'k',
        b'z' => 's',
        b'v' | b'w' => 'f',
        b'y' | b'j' => 'i',
        b'e' | b'o' | b'u' => 'a',
        b't' => 'd',
        b'p' => 'b',
        other => other as char,
    }
}

/// Jaro-Winkler similarity in [0, 1].
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && b[j] == ca {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_seq = a.iter().zip(&a_match).filter(|(_, m)| **m).map(|(c, _)| c);
    let b_seq = b.iter().zip(&b_match).filter(|(_, m)| **m).map(|(c, _)| c);
    let transpositions = a_seq.zip(b_seq).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// How alike two tokens are, and why.
pub fn token_similarity(query: &str, stored: &str) -> (f64, &'static str) {
    if query == stored {
        return (1.0, "exact");
    }
    if query.len() == 1 || stored.len() == 1 {
        let initial = query.as_bytes()[0] == stored.as_bytes()[0];
        return if initial {
            (0.75, "initial")
        } else {
            (0.0, "")
        };
    }
    let jw = jaro_winkler(query, stored);
    if skeleton(query) == skeleton(stored) {
        return (jw.max(0.92), "spelling variant");
    }
    if jw >= 0.85 {
        (jw * 0.97, "similar spelling")
    } else {
        (0.0, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_fold_to_latin_tokens() {
        assert_eq!(tokens("José  ÁLVAREZ-Núñez"), ["jose", "alvarez", "nunez"]);
        let cyr = tokens("Пётр Смирнов");
        assert_eq!(cyr.len(), 2);
        assert_eq!(skeleton(&cyr[1]), skeleton("smirnov"));
        assert!(tokens("王小明").len() >= 2);
    }

    #[test]
    fn skeleton_merges_romanisation_variants() {
        for (a, b) in [
            ("mohammed", "muhammad"),
            ("smirnov", "smirnow"),
            ("gaddafi", "qaddafi"),
            ("tchaikovsky", "chaikovskii"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
        assert_ne!(skeleton("smirnov"), skeleton("petrov"));
    }

    #[test]
    fn similarity_ranks_sensibly() {
        assert_eq!(token_similarity("anna", "anna").0, 1.0);
        assert!(token_similarity("mercedes", "meredes").0 > 0.85);
        assert_eq!(token_similarity("anna", "boris").0, 0.0);
        assert!(jaro_winkler("martha", "marhta") > 0.95);
        assert_eq!(jaro_winkler("", ""), 1.0);
    }
}

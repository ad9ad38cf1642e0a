//! Readings of a Latin name in a romanisation that works on syllables, which the token rules
//! cannot fold one token at a time: Vietnamese spelled by ear (`Zieu Linh` for Diệu Linh,
//! `Chinh` for Trịnh) and Wade-Giles (`Hsiaohung` for Xiaohong, `Tsihsuan` for Zixuan). A name
//! is read so only if every word splits into syllables of the language. A third reading is of
//! Russian names in German or Polish spelling, whose initial j is a y (`Jury Petrow`). A
//! reading is searched beside the name as written, never instead of it: `Chan` stays a Chan.

use super::rules::{
    APOSTROPHES, GERMAN_POLISH_RUSSIAN_ENDINGS, MANDARIN_FINALS, MANDARIN_ONSETS,
    VIETNAMESE_BY_EAR, VIETNAMESE_CODAS, VIETNAMESE_NUCLEI, VIETNAMESE_ONLY_CODAS,
    VIETNAMESE_ONLY_ONSETS, VIETNAMESE_ONLY_RHYMES, VIETNAMESE_ONSETS, WADE_GILES_FINALS,
    WADE_GILES_ONSETS,
};

/// A name read in another romanisation, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub system: &'static str,
    pub name: String,
}

/// Syllables a written part (`ThuChang` has two parts) may hold in a Vietnamese or Chinese
/// name: Zakharova or Matsumoto split into more.
const MAX_SYLLABLES: usize = 3;

/// The name's readings that differ from it as written.
pub fn readings(name: &str) -> Vec<Reading> {
    let Some(words) = latin_words(name) else {
        return Vec::new();
    };
    [
        vietnamese_by_ear(&words),
        wade_giles(&words),
        german_polish_russian(&words),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The words of a name written in Latin letters, each split where a capital follows a small
/// letter (`ThuChang`), folded to lower-case ASCII with apostrophes as `'`; none for a name
/// with letters of another script or other signs.
fn latin_words(name: &str) -> Option<Vec<Vec<String>>> {
    let mut words = Vec::new();
    for word in name.split(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | '.')) {
        let mut parts: Vec<String> = Vec::new();
        let mut part = String::new();
        let mut lower_before = false;
        for c in word.chars() {
            if APOSTROPHES.contains(&c) {
                part.push('\'');
                continue;
            }
            if !is_latin_letter(c) {
                return None;
            }
            if c.is_uppercase() && lower_before && !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            lower_before = c.is_lowercase();
            part.push_str(&deunicode::deunicode_char(c)?.to_ascii_lowercase());
        }
        if !part.is_empty() {
            parts.push(part);
        }
        if !parts.is_empty() {
            words.push(parts);
        }
    }
    (!words.is_empty()).then_some(words)
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (c.is_alphabetic() && matches!(u32::from(c), 0xC0..=0x24F | 0x1E00..=0x1EFF))
}

/// A syllable: onset and the rest (rhyme, or final).
type Syllable<'a> = (&'a str, &'a str);

/// `part` split into at most `budget` syllables, each an onset then a rhyme that `rhymes`
/// finds at the start of what follows (longest first), if it splits at all. The budget bounds
/// the search too: a long run of letters is given up on after a few steps.
fn syllables<'a>(
    part: &'a str,
    budget: usize,
    onsets: &[&str],
    rhymes: &dyn Fn(&str, &str) -> Vec<usize>,
) -> Option<Vec<Syllable<'a>>> {
    if part.is_empty() {
        return Some(Vec::new());
    }
    let budget = budget.checked_sub(1)?;
    for onset in onsets.iter().filter(|o| part.starts_with(**o)) {
        let after = &part[onset.len()..];
        for len in rhymes(onset, after) {
            if let Some(mut rest) = syllables(&part[onset.len() + len..], budget, onsets, rhymes) {
                rest.insert(0, (&part[..onset.len()], &after[..len]));
                return Some(rest);
            }
        }
    }
    None
}

/// Lengths of the table entries `text` starts with, longest first.
fn prefixes(text: &str, table: &[&str]) -> Vec<usize> {
    let mut lens: Vec<usize> = table
        .iter()
        .filter(|t| !t.is_empty() && text.starts_with(**t))
        .map(|t| t.len())
        .collect();
    lens.sort_unstable_by(|a, b| b.cmp(a));
    lens
}

fn vietnamese_rhymes(_onset: &str, text: &str) -> Vec<usize> {
    let mut lens: Vec<usize> = prefixes(text, VIETNAMESE_NUCLEI)
        .into_iter()
        .flat_map(|n| {
            let coda = &text[n..];
            VIETNAMESE_CODAS
                .iter()
                .filter(move |c| coda.starts_with(**c))
                .map(move |c| n + c.len())
        })
        .collect();
    lens.sort_unstable_by(|a, b| b.cmp(a));
    lens.dedup();
    lens
}

/// Every part's syllables, or none if one does not split.
fn split_all<'a>(
    words: &'a [Vec<String>],
    onsets: &[&str],
    rhymes: &dyn Fn(&str, &str) -> Vec<usize>,
) -> Option<Vec<Vec<Vec<Syllable<'a>>>>> {
    words
        .iter()
        .map(|parts| {
            parts
                .iter()
                .map(|p| syllables(p, MAX_SYLLABLES, onsets, rhymes))
                .collect()
        })
        .collect()
}

/// Onsets heard and written as spoken (`z` for d, `ch` for tr), in their written form; each
/// syllable a word, as Vietnamese writes them.
fn vietnamese_by_ear(words: &[Vec<String>]) -> Option<Reading> {
    let split = split_all(words, VIETNAMESE_ONSETS, &vietnamese_rhymes)?;
    let marked = split.iter().flatten().flatten().any(|(onset, rhyme)| {
        VIETNAMESE_ONLY_ONSETS.contains(onset)
            || VIETNAMESE_ONLY_CODAS.iter().any(|c| rhyme.ends_with(c))
            || VIETNAMESE_ONLY_RHYMES.iter().any(|r| rhyme.contains(r))
    });
    if !marked {
        return None;
    }
    let mut changed = false;
    let mut out = Vec::new();
    for (onset, rhyme) in split.iter().flatten().flatten() {
        let written = VIETNAMESE_BY_EAR
            .iter()
            .find(|(heard, _)| heard == onset)
            .map_or(*onset, |(_, written)| *written);
        changed |= written != *onset;
        out.push(format!("{written}{rhyme}"));
    }
    changed.then(|| Reading {
        system: "Vietnamese by ear",
        name: out.join(" "),
    })
}

/// Wade-Giles onsets and finals in pinyin; the syllables of a word written together, as
/// pinyin writes a given name.
fn wade_giles(words: &[Vec<String>]) -> Option<Reading> {
    // `ih` only after the onsets it is written after (Chih, Shih, Jih): Tsihsuan is tsi-hsuan.
    let finals = |onset: &str, text: &str| {
        let mut lens = prefixes(text, MANDARIN_FINALS);
        if !matches!(onset, "ch" | "ch'" | "sh" | "j") && text.starts_with("ih") {
            lens.retain(|l| *l != 2);
        }
        lens
    };
    let split = split_all(words, MANDARIN_ONSETS, &finals)?;
    let marked =
        split.iter().flatten().flatten().any(|(onset, _)| {
            *onset == "ch'" || WADE_GILES_ONSETS.iter().any(|(wg, _)| wg == onset)
        });
    if !marked {
        return None;
    }
    let mut out = Vec::new();
    for word in &split {
        let mut pinyin = String::new();
        for (written, fin_written) in word.iter().flatten() {
            let onset = match *written {
                "ch'" if fin_written.starts_with('i') => "q",
                "ch'" => "ch",
                o => WADE_GILES_ONSETS
                    .iter()
                    .find(|(wg, _)| *wg == o)
                    .map_or(o, |(_, py)| *py),
            };
            let fin = WADE_GILES_FINALS
                .iter()
                .find(|(wg, _)| wg == fin_written)
                .map_or(*fin_written, |(_, py)| *py);
            pinyin.push_str(onset);
            pinyin.push_str(fin);
        }
        out.push(pinyin);
    }
    Some(Reading {
        system: "Wade-Giles",
        name: out.join(" "),
    })
}

/// A Russian name in German or Polish spelling (`Jury Petrow`), its word-initial j before a
/// vowel written y, as the other romanisations write it (`Yury Petrow`; the rewrite rules
/// fold the w).
fn german_polish_russian(words: &[Vec<String>]) -> Option<Reading> {
    let words: Vec<String> = words.iter().map(|parts| parts.concat()).collect();
    let russian = words.iter().any(|w| {
        GERMAN_POLISH_RUSSIAN_ENDINGS
            .iter()
            .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
    });
    if !russian {
        return None;
    }
    let mut changed = false;
    let read: Vec<String> = words
        .into_iter()
        .map(|w| match w.strip_prefix('j') {
            Some(rest) if rest.starts_with(['a', 'e', 'i', 'o', 'u']) => {
                changed = true;
                format!("y{rest}")
            }
            _ => w,
        })
        .collect();
    changed.then(|| Reading {
        system: "German or Polish spelling of Russian",
        name: read.join(" "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts each name's reading in `system` (`None`: not read in it).
    fn check(system: &str, cases: &[(&str, Option<&str>)]) {
        for (name, want) in cases {
            let got = readings(name)
                .into_iter()
                .find(|r| r.system == system)
                .map(|r| r.name);
            assert_eq!(got.as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn vietnamese_spelled_by_ear_is_read_as_written() {
        check(
            "Vietnamese by ear",
            &[
                ("Zo ZieuLinh", Some("do dieu linh")),
                ("Chinh ThanhChung", Some("trinh thanh trung")),
                ("Ngo ThuChang", Some("ngo thu trang")),
                ("Zuong ZucAnh", Some("duong duc anh")),
                // Nothing heard otherwise than written, or not Vietnamese syllables.
                ("Nguyen Van Hung", None),
                ("Zofia Zajonc", None),
                ("Zara Smith", None),
                ("Пётр Смирнов", None),
                // Vietnamese syllables, but nothing only Vietnamese has.
                ("Chen Li", None),
                ("Chiara Bianchi", None),
                ("Natalia Zakharova", None),
                ("Chang Guoping", None),
            ],
        );
    }

    #[test]
    fn russian_names_in_german_or_polish_spelling_read_j_as_y() {
        check(
            "German or Polish spelling of Russian",
            &[
                ("Jury Petrow", Some("yury petrow")),
                ("PETROW, JURY", Some("petrow yury")),
                ("Julya Jakowlewa", Some("yulya yakowlewa")),
                // No Russian ending: the j of Jan or James stays.
                ("Jan Kowalski", None),
                ("James Brown", None),
                // Russian, but no j to read.
                ("Pawel Michailow", None),
            ],
        );
    }

    #[test]
    fn long_names_are_given_up_on_quickly() {
        // Every prefix splits, the whole never does: without the budget, exponential.
        let long = format!("{} Zo", "nguyenuyuy".repeat(2_000));
        assert!(readings(&long).is_empty());
        assert!(readings(&"ch'".repeat(5_000)).is_empty());
    }

    #[test]
    fn wade_giles_is_read_as_pinyin() {
        check(
            "Wade-Giles",
            &[
                ("Yang Tsihsuan", Some("yang zixuan")),
                ("Chu Hsiao-hung", Some("chu xiao hong")),
                ("Wu Chich'iang", Some("wu chiqiang")),
                ("Mao Tse-tung", Some("mao ze tong")),
                ("Li Wei", None),
                // Finals alone are not Wade-Giles; nor names of more syllables.
                ("Karen Young", None),
                ("Song Sung-min", None),
                ("Matsuooto Kaazuya", None),
                ("Tsvetan Iliev", None),
                ("Anna Schmidt", None),
            ],
        );
    }
}

//! The tokens an index holds, for query tokens that none of their keys leads to: spelled an
//! edit or two away (Gnatiuk / Hnatiuk, Niconas / Nicolas: every key of the token changes
//! with one consonant), or two indexed tokens written together (Wenbo / Wen Bo). One
//! dictionary of distinct tokens for the whole index, with each token's spellings less one
//! letter (symmetric deletion), so a neighbour costs a few map probes, not a key per person.
//!
//! It only grows: a token no entry has any more leads to no postings, and costs a probe.

use ahash::AHashMap;
use parking_lot::RwLock;

use crate::names::{edit_distance, is_vowelless};

/// Tokens shorter than this get no neighbours by spelling: an edit in them makes another name
/// (Ali / Eli), as in [`crate::names::Token`]'s typing errors.
const SPELLED_MIN: usize = 4;
/// The shortest tokens two edits away from a neighbour, as there.
const TWO_EDITS_MIN: usize = 8;
/// Most neighbours looked up for one query token, the closest first.
const MAX_NEIGHBOURS: usize = 8;
/// Most ways of reading one query token as two indexed ones.
const MAX_SPLITS: usize = 4;
/// The shortest part of a token read as two.
const SPLIT_PART_MIN: usize = 2;
/// The shortest token read as two with a typing error in one: shorter ones split many ways
/// into a short name and a neighbour of the rest.
const SPELLED_SPLIT_MIN: usize = 8;

#[derive(Default)]
pub(super) struct Vocabulary {
    words: RwLock<Words>,
}

#[derive(Default)]
struct Words {
    tokens: Vec<Box<str>>,
    ids: AHashMap<Box<str>, u32>,
    /// Each token of [`SPELLED_MIN`] letters or more with one letter left out, to the tokens.
    deletions: AHashMap<Box<str>, Vec<u32>>,
}

/// `token` with one letter left out, each spelling once (`anna` gives `nna`, `ana`, `ann`).
fn deletions(token: &str) -> Vec<String> {
    let mut out: Vec<String> = (0..token.len())
        .filter(|&i| token.is_char_boundary(i) && token.is_char_boundary(i + 1))
        .map(|i| format!("{}{}", &token[..i], &token[i + 1..]))
        .collect();
    out.dedup();
    out
}

/// `token` cut in two, each part of `part_min` letters or more.
fn parts(token: &str, part_min: usize) -> impl Iterator<Item = (&str, &str)> {
    (part_min..=token.len().saturating_sub(part_min))
        .filter(|&at| token.is_char_boundary(at))
        .map(|at| token.split_at(at))
}

impl Words {
    fn insert(&mut self, token: &str) {
        if self.ids.contains_key(token) {
            return;
        }
        let id = self.tokens.len() as u32;
        self.tokens.push(token.into());
        self.ids.insert(token.into(), id);
        if token.len() >= SPELLED_MIN {
            for d in deletions(token) {
                self.deletions.entry(d.into()).or_default().push(id);
            }
        }
    }

    /// Indexed tokens spelled like `token` (one edit, two from [`TWO_EDITS_MIN`] letters; of
    /// three vowel-less consonants, a letter left out), the closest first; not `token` itself.
    fn neighbours(&self, token: &str) -> Vec<Box<str>> {
        if token.len() + 1 == SPELLED_MIN && is_vowelless(token) {
            // Three consonants of a script without vowels are a word of four letters or
            // more, its article included (العري for العمري): only a letter left out of
            // them, as there are few such words.
            let longer = self.deletions.get(token).into_iter().flatten();
            let words = longer.map(|&id| &self.tokens[id as usize]);
            return words
                .filter(|t| is_vowelless(t))
                .take(MAX_NEIGHBOURS)
                .cloned()
                .collect();
        }
        if token.len() < SPELLED_MIN {
            return Vec::new();
        }
        let mut ids: Vec<u32> = self.deletions.get(token).cloned().unwrap_or_default();
        for d in deletions(token) {
            ids.extend(self.ids.get(d.as_str()));
            if let Some(same_length) = self.deletions.get(d.as_str()) {
                ids.extend_from_slice(same_length);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut near: Vec<(usize, &str)> = ids
            .iter()
            .map(|&id| self.tokens[id as usize].as_ref())
            .filter(|t| *t != token && t.len() >= SPELLED_MIN)
            .filter_map(|t| {
                let allowed = if t.len().min(token.len()) >= TWO_EDITS_MIN {
                    2
                } else {
                    1
                };
                let d = edit_distance(token, t, allowed);
                (d <= allowed).then_some((d, t))
            })
            .collect();
        near.sort_unstable();
        near.into_iter()
            .take(MAX_NEIGHBOURS)
            .map(|(_, t)| t.into())
            .collect()
    }

    /// Two held tokens of `part_min` letters or more that written together are `token`.
    fn exact_splits(&self, token: &str, part_min: usize) -> Vec<(Box<str>, Box<str>)> {
        parts(token, part_min)
            .filter(|(left, right)| self.ids.contains_key(*left) && self.ids.contains_key(*right))
            .map(|(left, right)| (left.into(), right.into()))
            .collect()
    }

    /// Indexed tokens `part` of a token written together may be with a typing error: its
    /// neighbours, or, for parts too short to have any, itself less a letter typed twice
    /// (`zhhi` for `zhi`).
    fn repairs(&self, part: &str) -> Vec<Box<str>> {
        let mut out = self.neighbours(part);
        let letter = |i: usize| part.is_char_boundary(i) && part.is_char_boundary(i + 1);
        let bytes = part.as_bytes();
        let doubled = (1..part.len()).filter(|&i| letter(i) && bytes[i] == bytes[i - 1]);
        let undoubled = doubled.map(|i| format!("{}{}", &part[..i], &part[i + 1..]));
        out.extend(
            undoubled
                .filter(|d| self.ids.contains_key(d.as_str()))
                .map(Into::into),
        );
        out
    }
}

impl Vocabulary {
    /// Adds the tokens it does not hold yet.
    pub(super) fn add<'a>(&self, tokens: impl Iterator<Item = &'a str>) {
        let new: Vec<&str> = {
            let words = self.words.read();
            tokens
                .filter(|t| t.len() > 1 && !words.ids.contains_key(*t))
                .collect()
        };
        if new.is_empty() {
            return;
        }
        let mut words = self.words.write();
        for t in new {
            words.insert(t);
        }
    }

    /// Estimated heap bytes.
    pub(super) fn heap_bytes(&self) -> usize {
        let words = self.words.read();
        let tokens: usize = words.tokens.iter().map(|t| 2 * t.len() + 40).sum();
        let deletions: usize = words
            .deletions
            .iter()
            .map(|(k, v)| k.len() + v.capacity() * 4 + 48)
            .sum();
        tokens + deletions
    }

    /// [`Words::neighbours`].
    pub(super) fn neighbours(&self, token: &str) -> Vec<Box<str>> {
        self.words.read().neighbours(token)
    }

    /// Two indexed tokens that, written together, are `token` (`wen`, `bo` for `wenbo`). For
    /// a token the index does not hold, of [`SPELLED_SPLIT_MIN`] letters or more, with no such
    /// split: with a typing error in one of them (`zhi`, `qiang` for `zhhiqiang`), or those
    /// that one of its `neighbours` is (`xiao`, `hong` for `xiahoong`, an edit from
    /// `xiaohong`).
    pub(super) fn splits(&self, token: &str, neighbours: &[Box<str>]) -> Vec<(Box<str>, Box<str>)> {
        let words = self.words.read();
        let mut out = words.exact_splits(token, SPLIT_PART_MIN);
        if out.is_empty() && token.len() >= SPELLED_SPLIT_MIN && !words.ids.contains_key(token) {
            // Parts of two letters are common names (`li`, `ma`) whose postings cost more
            // than every other key of a query, and most long names begin or end with one.
            let part_min = SPLIT_PART_MIN + 1;
            for (left, right) in parts(token, part_min) {
                if words.ids.contains_key(left) {
                    out.extend(words.repairs(right).into_iter().map(|n| (left.into(), n)));
                } else if words.ids.contains_key(right) {
                    out.extend(words.repairs(left).into_iter().map(|n| (n, right.into())));
                }
            }
            // A neighbour written together that is two held tokens (`xiaohong` for
            // `xiahoong`, stored `xiao hong`).
            for n in neighbours {
                out.extend(words.exact_splits(n, part_min));
            }
        }
        out.dedup();
        out.truncate(MAX_SPLITS);
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn near(v: &Vocabulary, token: &str) -> Vec<String> {
        v.neighbours(token).iter().map(|n| n.to_string()).collect()
    }

    fn vocabulary(tokens: &[&str]) -> Vocabulary {
        let v = Vocabulary::default();
        v.add(tokens.iter().copied());
        v
    }

    #[test]
    fn neighbours_are_an_edit_away() {
        let v = vocabulary(&[
            "hnatiuk", "nicolas", "nikolas", "anna", "hanna", "li", "wen", "bo",
        ]);
        // A letter substituted, left out, added, two swapped.
        assert_eq!(near(&v, "gnatiuk"), ["hnatiuk"]);
        assert_eq!(near(&v, "niconas"), ["nicolas"]);
        assert_eq!(near(&v, "ncolas"), ["nicolas"]);
        assert_eq!(near(&v, "nicolass"), ["nicolas"]);
        assert_eq!(near(&v, "nicolsa"), ["nicolas"]);
        assert_eq!(near(&v, "nicolas"), ["nikolas"]);
        // Short tokens have none: an edit there is another name.
        assert!(near(&v, "ann").is_empty());
        assert_eq!(near(&v, "hana"), ["hanna"]);
        assert_eq!(near(&v, "annas"), ["anna"]);
        assert!(near(&v, "smirnov").is_empty());
        // Three letters of a script without vowels: a letter left out only.
        let v = vocabulary(&["lmry", "lry", "amir", "lrya"]);
        assert_eq!(near(&v, "lry"), ["lmry"]);
        assert!(near(&v, "mir").is_empty());
    }

    #[test]
    fn a_token_reads_as_two_written_together() {
        let v = vocabulary(&["wen", "bo", "wenbo", "xiao", "ming"]);
        let split = |t: &str| v.splits(t, &v.neighbours(t));
        assert_eq!(split("wenbo"), [("wen".into(), "bo".into())]);
        assert_eq!(split("xiaoming"), [("xiao".into(), "ming".into())]);
        assert!(split("mingbo").is_empty() || split("mingbo") == [("ming".into(), "bo".into())]);
        assert!(split("wang").is_empty());
    }

    #[test]
    fn a_token_written_together_may_have_a_typing_error_in_one_part() {
        let v = vocabulary(&["zhi", "qiang", "mei", "ling", "xia", "hong"]);
        let split = |t: &str| v.splits(t, &v.neighbours(t));
        assert_eq!(split("zhhiqiang"), [("zhi".into(), "qiang".into())]);
        assert_eq!(split("meilling"), [("mei".into(), "ling".into())]);
        assert_eq!(split("xiahoong"), [("xia".into(), "hong".into())]);
        // Both parts mistyped, or too short a token: no split.
        assert!(split("zhhiqiaang").is_empty());
        assert!(split("meiling").is_empty() || split("meiling") == [("mei".into(), "ling".into())]);
        assert!(split("meilng").is_empty());
        // A neighbour written together that is two held tokens.
        let v = vocabulary(&["xiao", "hong", "xiaohong"]);
        let neighbours = v.neighbours("xiahoong");
        assert_eq!(
            v.splits("xiahoong", &neighbours),
            [("xiao".into(), "hong".into())]
        );
    }

    proptest! {
        #[test]
        fn every_neighbour_found_is_within_the_edits_allowed_and_one_edit_is_always_found(
            words in proptest::collection::vec("[a-e]{4,9}", 1..30),
            pick in 0usize..30,
            at in 0usize..9,
        ) {
            let v = vocabulary(&words.iter().map(String::as_str).collect::<Vec<_>>());
            let word = &words[pick % words.len()];
            // The word with one letter substituted.
            let mut typed = word.clone().into_bytes();
            let i = at % typed.len();
            typed[i] = if typed[i] == b'z' { b'y' } else { b'z' };
            let typed = String::from_utf8(typed).unwrap();
            let near = v.neighbours(&typed);
            for n in &near {
                let allowed = if n.len().min(typed.len()) >= TWO_EDITS_MIN { 2 } else { 1 };
                prop_assert!(edit_distance(&typed, n, allowed) <= allowed);
            }
            let closer = near.iter().filter(|n| edit_distance(&typed, n, 1) <= 1).count();
            prop_assert!(near.iter().any(|n| n.as_ref() == word.as_str()) || closer >= MAX_NEIGHBOURS);
        }
    }
}

//! A fuzzy index's shards saved as they are (`crate::snapshot`): entries with their tokens'
//! comparison forms, facets and posting lists (by key text: numbers are given again when read
//! back), so that a restart neither transliterates nor re-keys a name. What is read back is checked so that no search or write can index out of
//! bounds or reuse a taken slot, whatever the file held.

use std::io;
use std::sync::Arc;

use super::{Entry, FuzzyIndex, Shard};
use crate::names::Token;
use crate::shard::{SHARDS, shard_of};
use crate::snapshot::{Dec, Enc, bad};

/// What a slot holds: nothing, an entry whose visibility a search asks, or one every caller
/// may see.
const EMPTY: u8 = 0;
const ASK: u8 = 1;
const OPEN: u8 = 2;

/// One shard read back, not yet in an index: its posting lists by key text.
pub(crate) struct SavedShard {
    shard: Shard,
    postings: Vec<(Box<str>, Vec<u32>)>,
}

impl FuzzyIndex {
    pub(crate) fn encode_shard(&self, shard: usize, e: &mut Enc) {
        let s = self.shards[shard].read();
        e.len(s.slots.len());
        for (i, (slot, facet)) in s.slots.iter().zip(&s.facets).enumerate() {
            e.u16(*facet);
            let Some(entry) = slot else {
                e.u8(EMPTY);
                continue;
            };
            e.u8(if s.open[i] { OPEN } else { ASK });
            e.bytes(entry.id.as_bytes());
            e.len(entry.variants.len());
            for variant in &entry.variants {
                e.len(variant.len());
                for t in variant {
                    e.token(t);
                }
            }
        }
        e.len(s.free.len());
        for f in &s.free {
            e.u32(*f);
        }
        let texts = self.keys.texts();
        e.len(s.postings.len());
        for (key, list) in &s.postings {
            e.bytes(texts[*key as usize].as_bytes());
            e.len(list.len());
            for slot in list {
                e.u32(*slot);
            }
        }
    }

    /// Shard `shard` as `encode_shard` wrote it.
    pub(crate) fn decode_shard(d: &mut Dec, shard: usize) -> io::Result<SavedShard> {
        let n = d.len()?;
        let mut s = Shard {
            slots: Vec::with_capacity(n),
            facets: Vec::with_capacity(n),
            open: Vec::with_capacity(n),
            ..Shard::default()
        };
        for _ in 0..n {
            s.facets.push(d.u16()?);
            let open = match d.u8()? {
                EMPTY => {
                    s.open.push(false);
                    s.slots.push(None);
                    continue;
                }
                ASK => false,
                OPEN => true,
                _ => return Err(bad("slot mark")),
            };
            s.open.push(open);
            let id: Arc<str> = d.str()?.into();
            if shard_of(id.as_bytes()) != shard {
                return Err(bad("entry in another shard's file"));
            }
            let variants = (0..d.len()?)
                .map(|_| (0..d.len()?).map(|_| d.token()).collect())
                .collect::<io::Result<_>>()?;
            let slot = s.slots.len() as u32;
            if s.by_id.insert(id.clone(), slot).is_some() {
                return Err(bad("one id in two slots"));
            }
            s.slots.push(Some(Entry { id, variants }));
        }
        let mut freed = vec![false; n];
        for _ in 0..d.len()? {
            let f = d.u32()?;
            // A free slot must be empty and listed once, or an insert would overwrite a name.
            match freed.get_mut(f as usize) {
                Some(seen) if !*seen && s.slots[f as usize].is_none() => *seen = true,
                _ => return Err(bad("free list names a taken slot")),
            }
            s.free.push(f);
        }
        let keys = d.len()?;
        let mut postings = Vec::with_capacity(keys);
        for _ in 0..keys {
            let key: Box<str> = d.str()?.into();
            let list = (0..d.len()?)
                .map(|_| d.u32())
                .collect::<io::Result<Vec<_>>>()?;
            // Sorted (binary searches read them) and naming entries only.
            let sorted = list.windows(2).all(|w| w[0] < w[1]);
            if !sorted
                || list
                    .iter()
                    .any(|at| s.slots.get(*at as usize).is_none_or(Option::is_none))
            {
                return Err(bad("posting list out of order or naming an empty slot"));
            }
            postings.push((key, list));
        }
        Ok(SavedShard { shard: s, postings })
    }

    /// Replaces every shard with those read back, in shard order; the keys and the vocabulary
    /// are made again from their posting lists and tokens (they are index-wide, not sharded).
    pub(crate) fn install(&self, shards: Vec<SavedShard>) {
        debug_assert_eq!(shards.len(), SHARDS);
        for (lock, saved) in self.shards.iter().zip(shards) {
            let mut s = saved.shard;
            let (texts, lists): (Vec<_>, Vec<_>) = saved.postings.into_iter().unzip();
            s.postings = self.keys.number(&texts).into_iter().zip(lists).collect();
            let tokens = s
                .slots
                .iter()
                .flatten()
                .flat_map(|e| e.variants.iter().flatten());
            self.vocabulary.add(tokens.map(Token::raw));
            *lock.write() = s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(text: &str) -> super::super::Variant {
        text.split(' ').map(Into::into).collect()
    }

    #[test]
    fn a_saved_index_answers_as_the_one_saved_and_takes_writes() {
        let index = FuzzyIndex::new("name");
        let names = [
            "petr smirnov",
            "pyotr smirnov",
            "mhmd abdallah",
            "wang xiaoming",
            "anna maria",
            "hnatiuk petro",
            "li wen bo",
        ];
        for i in 0..400 {
            let id: Arc<str> = format!("P-{i}").into();
            let name = names[i % names.len()];
            index.insert_with_facet(
                &id,
                vec![variant(name), variant(&format!("{name} {i}"))],
                (i % 7) as u16,
                i % 3 == 0,
            );
        }
        for i in (0..400).step_by(9) {
            index.remove(&format!("P-{i}"));
        }
        let back = FuzzyIndex::new("name");
        let shards = (0..SHARDS)
            .map(|i| {
                let mut e = Enc::default();
                index.encode_shard(i, &mut e);
                let mut d = Dec(&e.0);
                let s = FuzzyIndex::decode_shard(&mut d, i).unwrap();
                d.end().unwrap();
                s
            })
            .collect();
        back.install(shards);
        assert_eq!(back.len(), index.len());
        let all = |_: &str| true;
        let none = |_: &str| false;
        for q in [
            "piotr smirnow",
            "muhammad abdullah",
            "xiaoming wang",
            // Found through the vocabulary only: its keys are not the stored ones'.
            "gnatiuk petro",
            "li wenbo",
            "anna",
        ] {
            let q: Vec<String> = q.split(' ').map(Into::into).collect();
            let a: Vec<_> = index
                .scored(&q, 3, 0.5, 50, &all)
                .into_iter()
                .map(|m| (m.id, m.score))
                .collect();
            let b: Vec<_> = back
                .scored(&q, 3, 0.5, 50, &all)
                .into_iter()
                .map(|m| (m.id, m.score))
                .collect();
            assert!(!a.is_empty());
            assert_eq!(a, b);
            // The entries open to all are read back as such.
            let open = |index: &FuzzyIndex| {
                let found = index.scored(&q, 3, 0.5, 50, &none);
                found.into_iter().map(|m| m.id).collect::<Vec<_>>()
            };
            assert_eq!(open(&index), open(&back));
        }
        // Freed slots are reused without touching the names read back.
        back.insert(&"P-new".into(), vec![variant("ivan petrov")]);
        back.remove("P-1");
        assert_eq!(back.len(), index.len());
    }

    /// A shard of one entry `P-1`, with the free list and the one posting list given.
    fn one_entry(free: &[u32], list: &[u32]) -> Vec<u8> {
        let mut e = Enc::default();
        e.len(1);
        e.u16(0);
        e.u8(1);
        e.bytes(b"P-1");
        e.len(1);
        e.len(1);
        e.token(&Token::new("smirnov"));
        e.len(free.len());
        for f in free {
            e.u32(*f);
        }
        e.len(1);
        e.bytes(b"t:smirnov");
        e.len(list.len());
        for at in list {
            e.u32(*at);
        }
        e.0
    }

    #[test]
    fn a_file_naming_a_missing_or_taken_slot_is_refused() {
        let shard = shard_of(b"P-1");
        let read = |bytes: &[u8], shard| FuzzyIndex::decode_shard(&mut Dec(bytes), shard).is_ok();
        assert!(read(&one_entry(&[], &[0]), shard));
        assert!(
            !read(&one_entry(&[0], &[0]), shard),
            "a taken slot listed free"
        );
        assert!(
            !read(&one_entry(&[], &[1]), shard),
            "a posting past the slots"
        );
        assert!(
            !read(&one_entry(&[], &[0, 0]), shard),
            "a posting list out of order"
        );
        assert!(
            !read(&one_entry(&[], &[0]), (shard + 1) % SHARDS),
            "another shard's entry"
        );
    }
}

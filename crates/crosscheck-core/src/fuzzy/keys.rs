//! Every key of a fuzzy index once, numbered: shards' posting lists are keyed by number, so a
//! key's text is kept once (not once per shard that has it) and a query hashes each of its keys
//! once, not once per shard (that was an eighth of a search at a million persons).
//!
//! Like the vocabulary it only grows: a key no entry has any more keeps its number.

use ahash::RandomState;
use hashbrown::HashTable;
use parking_lot::{MappedRwLockReadGuard, RwLock, RwLockReadGuard};

#[derive(Default)]
pub(super) struct Keys(RwLock<Table>);

#[derive(Default)]
struct Table {
    texts: Vec<Box<str>>,
    /// Indexes into `texts`, found by their text's hash: the text is not stored twice.
    numbers: HashTable<u32>,
    hasher: RandomState,
}

impl Table {
    fn find(&self, key: &str) -> Option<u32> {
        self.find_hashed(self.hasher.hash_one(key), key)
    }

    fn find_hashed(&self, hash: u64, key: &str) -> Option<u32> {
        self.numbers
            .find(hash, |&n| *self.texts[n as usize] == *key)
            .copied()
    }

    fn number(&mut self, key: &str) -> u32 {
        let hash = self.hasher.hash_one(key);
        if let Some(n) = self.find_hashed(hash, key) {
            return n;
        }
        let n = u32::try_from(self.texts.len()).expect("fewer than 2^32 distinct keys");
        self.texts.push(key.into());
        let Table {
            texts,
            numbers,
            hasher,
        } = self;
        numbers.insert_unique(hash, n, |&m| hasher.hash_one(&*texts[m as usize]));
        n
    }
}

impl Keys {
    /// The numbers of `keys`, numbering the new ones.
    pub(super) fn number<S: AsRef<str>>(&self, keys: &[S]) -> Vec<u32> {
        {
            let table = self.0.read();
            let known: Option<Vec<u32>> = keys.iter().map(|k| table.find(k.as_ref())).collect();
            if let Some(known) = known {
                return known;
            }
        }
        let mut table = self.0.write();
        keys.iter().map(|k| table.number(k.as_ref())).collect()
    }

    /// The numbers of `keys`, `None` for a key never numbered (no entry has it).
    pub(super) fn find<'a>(&self, keys: impl Iterator<Item = &'a str>) -> Vec<Option<u32>> {
        let table = self.0.read();
        keys.map(|k| table.find(k)).collect()
    }

    /// Every key's text, by number.
    pub(super) fn texts(&self) -> MappedRwLockReadGuard<'_, [Box<str>]> {
        RwLockReadGuard::map(self.0.read(), |t| t.texts.as_slice())
    }

    /// Estimated heap bytes.
    pub(super) fn heap_bytes(&self) -> usize {
        let table = self.0.read();
        let texts: usize = table.texts.iter().map(|t| t.len()).sum();
        texts
            + table.texts.capacity() * size_of::<Box<str>>()
            + table.numbers.capacity() * (size_of::<u32>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn a_key_keeps_its_number_and_two_keys_never_share_one(
            batches in proptest::collection::vec(proptest::collection::vec("[a-d]{0,4}", 0..20), 1..10),
        ) {
            let keys = Keys::default();
            let mut seen: std::collections::HashMap<String, u32> = Default::default();
            for batch in &batches {
                let numbers = keys.number(batch);
                prop_assert_eq!(numbers.len(), batch.len());
                for (k, n) in batch.iter().zip(numbers) {
                    prop_assert_eq!(*seen.entry(k.clone()).or_insert(n), n);
                    prop_assert_eq!(&*keys.texts()[n as usize], k.as_str());
                }
            }
            let distinct: std::collections::HashSet<u32> = seen.values().copied().collect();
            prop_assert_eq!(distinct.len(), seen.len());
            prop_assert_eq!(keys.texts().len(), seen.len());
            prop_assert_eq!(keys.find(["zz", "a"].into_iter())[0], None);
        }
    }
}

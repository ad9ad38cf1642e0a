//! Fixed shard count and a stable hash: the routing of a key never changes between versions or
//! platforms (ahash is for in-memory maps only), so persisted layouts can rely on it.

use parking_lot::RwLock;

/// Fixed: changing it re-routes every key.
pub const SHARDS: usize = 64;

/// One lock per shard, `SHARDS` of them.
pub type Sharded<T> = Box<[RwLock<T>]>;

pub fn sharded<T: Default>() -> Sharded<T> {
    (0..SHARDS).map(|_| RwLock::new(T::default())).collect()
}

/// FNV-1a, 64 bit: stable, dependency-free, fast on short keys.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    stable_hash_of(bytes.iter().copied())
}

/// [`stable_hash`] of bytes made on the way, not collected first.
pub fn stable_hash_of(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

pub fn shard_of(key: &[u8]) -> usize {
    (stable_hash(key) % SHARDS as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable() {
        // Pinned values: a change here re-routes persisted data.
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert!(shard_of(b"D-000311") < SHARDS);
    }
}

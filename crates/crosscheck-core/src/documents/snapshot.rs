//! The document index saved to disk and read back at start instead of being rebuilt from the
//! store (`crate::snapshot`): one file per shard, its number shard and its id table.

use std::io;
use std::path::Path;

use super::{DocumentIndex, Extra, Fixed, NumberShard, Table};
use crate::snapshot::{self, Dec, Enc, Magic, bad};

const MAGIC: &Magic = b"CCDOCIX2";

impl Enc {
    fn table(&mut self, t: &Table) {
        self.len(t.len);
        self.len(t.slots.len());
        for s in &t.slots {
            self.u64(*s);
        }
    }
}

impl Dec<'_> {
    fn table(&mut self) -> io::Result<Table> {
        let len = self.len()?;
        let size = self.len()?;
        if size != 0 && !size.is_power_of_two() {
            return Err(bad("table size is not a power of two"));
        }
        let raw = self.take(size * 8)?;
        let slots: Vec<u64> = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        if slots.iter().filter(|s| **s != 0).count() != len {
            return Err(bad("table count differs from its entries"));
        }
        Ok(Table { slots, len })
    }
}

fn encode(shard: &NumberShard, ids: &Table, e: &mut Enc) {
    e.table(&shard.by_number);
    e.len(shard.offsets.len());
    for o in &shard.offsets {
        e.u32(*o);
    }
    for f in &shard.fixed {
        e.0.extend_from_slice(&f.owner);
        e.0.extend_from_slice(&f.issuing);
        e.u8(f.doc_type);
        e.u8(f.flags);
    }
    e.bytes(&shard.arena);
    e.len(shard.free.len());
    for f in &shard.free {
        e.u32(*f);
    }
    e.len(shard.extras.len());
    for (slot, extra) in &shard.extras {
        e.u32(*slot);
        e.countries(extra.restricted_to.as_deref());
        e.strs(&extra.links);
    }
    e.table(ids);
}

fn decode(d: &mut Dec) -> io::Result<(NumberShard, Table)> {
    let by_number = d.table()?;
    let slots = d.len()?;
    let offsets = (0..slots)
        .map(|_| d.u32())
        .collect::<io::Result<Vec<_>>>()?;
    let mut fixed = Vec::with_capacity(slots);
    for _ in 0..slots {
        let f = d.take(8)?;
        fixed.push(Fixed {
            owner: [f[0], f[1], f[2]],
            issuing: [f[3], f[4], f[5]],
            doc_type: f[6],
            flags: f[7],
        });
    }
    let arena = d.bytes()?.to_vec();
    let free_len = d.len()?;
    let free = (0..free_len)
        .map(|_| d.u32())
        .collect::<io::Result<Vec<_>>>()?;
    let mut extras = ahash::AHashMap::new();
    for _ in 0..d.len()? {
        let slot = d.u32()?;
        let restricted_to = d.countries()?;
        let links = d.strs()?;
        extras.insert(
            slot,
            Extra {
                restricted_to,
                links,
            },
        );
    }
    let ids = d.table()?;
    let shard = NumberShard {
        by_number,
        offsets,
        fixed,
        arena,
        free,
        extras,
    };
    shard.check()?;
    Ok((shard, ids))
}

impl NumberShard {
    /// Every slot's strings (a free slot's too: they are read when it is reused) lie inside
    /// the arena, and every table entry and free slot names a slot, so that no lookup or write
    /// can index out of bounds whatever the file held.
    fn check(&self) -> io::Result<()> {
        for at in &self.offsets {
            let at = *at as usize;
            let header = self.arena.get(at..at + 3).ok_or_else(|| bad("offset"))?;
            let len = 3
                + usize::from(header[0])
                + usize::from(u16::from_le_bytes([header[1], header[2]]));
            if at + len > self.arena.len() {
                return Err(bad("entry beyond the arena"));
            }
        }
        let slots = self.offsets.len() as u64;
        if self
            .by_number
            .slots
            .iter()
            .any(|e| *e != 0 && (*e as u32) as u64 >= slots)
            || self.free.iter().any(|f| u64::from(*f) >= slots)
        {
            return Err(bad("table names a missing slot"));
        }
        Ok(())
    }
}

/// The stamp of the document index saved in `dir` by this build, if there is one.
pub fn saved_stamp(dir: &Path) -> Option<u64> {
    snapshot::saved_stamp(dir, MAGIC)
}

impl DocumentIndex {
    /// Writes the index into `dir` (replaced as a whole), stamped with `stamp`.
    pub fn save(&self, dir: &Path, stamp: u64) -> io::Result<()> {
        snapshot::save(dir, MAGIC, stamp, |i, e| {
            encode(&self.shards[i].read(), &self.ids[i].read(), e);
        })
    }

    /// Reads the index saved in `dir` with this stamp; an error when it is missing, stale,
    /// of another build or damaged (the caller then rebuilds from the store).
    pub fn load(dir: &Path, stamp: u64) -> io::Result<DocumentIndex> {
        let parts = snapshot::load(dir, MAGIC, stamp, |_, d| decode(d))?;
        let (shards, ids): (Vec<_>, Vec<_>) = parts
            .into_iter()
            .map(|(s, t)| (parking_lot::RwLock::new(s), parking_lot::RwLock::new(t)))
            .unzip();
        let index = DocumentIndex {
            shards: shards.into(),
            ids: ids.into(),
        };
        let slots: Vec<usize> = index
            .shards
            .iter()
            .map(|s| s.read().offsets.len())
            .collect();
        let ids_ok = index.ids.iter().all(|t| {
            t.read().slots.iter().filter(|e| **e != 0).all(|e| {
                let (shard, slot) = super::unlocate(*e as u32);
                slots.get(shard).is_some_and(|n| (slot as usize) < *n)
            })
        });
        if !ids_ok {
            return Err(bad("id table names a missing slot"));
        }
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country::CountryCode;
    use crate::documents::NewDocument;
    use crate::record::{DocType, Review, Visibility};
    use crate::snapshot::tests::{damage, temp_dir};

    #[test]
    fn a_saved_index_reads_back_the_same_and_refuses_another_stamp_or_damage() {
        let index = DocumentIndex::default();
        let fra = CountryCode::parse("FRA").unwrap();
        let plain = Visibility {
            owner: fra,
            review: Review::Cleared,
            restricted_to: None,
        };
        let rich = Visibility {
            owner: CountryCode::parse("DEU").unwrap(),
            review: Review::Pending,
            restricted_to: Some(vec![fra]),
        };
        for i in 0..3000 {
            let v = if i % 100 == 3 { &rich } else { &plain };
            index
                .insert(&NewDocument {
                    id: &format!("D-{i}"),
                    number: &format!("N{}", i % 1000),
                    issuing_country: fra,
                    doc_type: DocType::Passport,
                    visibility: v,
                    links: if i % 7 == 0 {
                        vec!["P-1".into()].into()
                    } else {
                        Box::new([])
                    },
                })
                .unwrap();
        }
        for i in (0..3000).step_by(5) {
            index.remove(&format!("D-{i}"));
        }
        let dir = temp_dir("docsnap");
        let saved = dir.join("documents.index");
        index.save(&saved, 42).unwrap();
        assert_eq!(saved_stamp(&saved), Some(42));
        let back = DocumentIndex::load(&saved, 42).unwrap();
        assert_eq!(back.len(), index.len());
        for n in 0..1000 {
            let number = format!("N{n}");
            let mut a = index.by_number(&number);
            let mut b = back.by_number(&number);
            a.sort_by(|x, y| x.id.cmp(&y.id));
            b.sort_by(|x, y| x.id.cmp(&y.id));
            assert_eq!(a, b);
        }
        assert_eq!(back.visibility("D-103"), Some(rich));
        // Writes go on after a load.
        assert!(back.remove("D-1"));
        assert!(DocumentIndex::load(&saved, 43).is_err());
        damage(&saved, 3);
        assert!(DocumentIndex::load(&saved, 42).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}

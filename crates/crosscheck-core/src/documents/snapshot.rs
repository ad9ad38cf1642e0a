//! The document index saved to disk and read back at start instead of being rebuilt from the
//! store: one file per shard (its number shard and its id table), written and read in
//! parallel. Each file carries the stamp the store held when it was saved and a checksum; a
//! directory whose stamp differs from the store's is stale and not read. Saved into a new
//! directory, synced, then renamed over the old one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{DocumentIndex, Extra, Fixed, NumberShard, Table};
use crate::country::CountryCode;
use crate::shard::SHARDS;

const MAGIC: &[u8; 8] = b"CCDOCIX1";

fn bad(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_owned())
}

fn shard_path(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("{shard:02}.shard"))
}

/// Cheap enough for gigabytes (one multiply a word), enough to catch a torn or damaged file.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.chunks(8).fold(0x9e37_79b9_7f4a_7c15, |h: u64, w| {
        let mut word = [0u8; 8];
        word[..w.len()].copy_from_slice(w);
        (h ^ u64::from_le_bytes(word))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29)
    })
}

#[derive(Default)]
struct Enc(Vec<u8>);

impl Enc {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn table(&mut self, t: &Table) {
        self.len(t.len);
        self.len(t.slots.len());
        for s in &t.slots {
            self.u64(*s);
        }
    }
}

struct Dec<'a>(&'a [u8]);

impl<'a> Dec<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if n > self.0.len() {
            return Err(bad("document index file ends early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    fn len(&mut self) -> io::Result<usize> {
        let n = usize::try_from(self.u64()?).map_err(|_| bad("length out of range"))?;
        // No count may promise more bytes than the file has left.
        if n > self.0.len() {
            return Err(bad("length beyond the end of the file"));
        }
        Ok(n)
    }
    fn bytes(&mut self) -> io::Result<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
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

fn encode(shard: &NumberShard, ids: &Table, stamp: u64, index: usize) -> Vec<u8> {
    let mut e = Enc::default();
    e.0.extend_from_slice(MAGIC);
    e.u64(stamp);
    e.len(index);
    e.table(&shard.by_number);
    e.len(shard.offsets.len());
    for o in &shard.offsets {
        e.u32(*o);
    }
    for f in &shard.fixed {
        e.0.extend_from_slice(&f.owner);
        e.0.extend_from_slice(&f.issuing);
        e.0.push(f.doc_type);
        e.0.push(f.flags);
    }
    e.bytes(&shard.arena);
    e.len(shard.free.len());
    for f in &shard.free {
        e.u32(*f);
    }
    e.len(shard.extras.len());
    for (slot, extra) in &shard.extras {
        e.u32(*slot);
        match &extra.restricted_to {
            None => e.u32(u32::MAX),
            Some(list) => {
                e.u32(list.len() as u32);
                for c in list {
                    e.0.extend_from_slice(&c.to_stored());
                }
            }
        }
        e.len(extra.links.len());
        for l in extra.links.iter() {
            e.bytes(l.as_bytes());
        }
    }
    e.table(ids);
    let sum = checksum(&e.0);
    e.u64(sum);
    e.0
}

fn decode(bytes: &[u8], stamp: u64, index: usize) -> io::Result<(NumberShard, Table)> {
    let (body, sum) = bytes.split_at(bytes.len().saturating_sub(8));
    let mut s = Dec(sum);
    if body.len() < 16 || s.u64()? != checksum(body) {
        return Err(bad("checksum mismatch"));
    }
    let mut d = Dec(body);
    if d.take(8)? != MAGIC || d.u64()? != stamp || d.len()? != index {
        return Err(bad("not this store's document index"));
    }
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
        let restricted_to = match d.u32()? {
            u32::MAX => None,
            n => Some(
                (0..n)
                    .map(|_| {
                        let c = d.take(3)?;
                        Ok(CountryCode::from_stored([c[0], c[1], c[2]]))
                    })
                    .collect::<io::Result<Vec<_>>>()?,
            ),
        };
        let links = (0..d.len()?)
            .map(|_| {
                let b = d.bytes()?;
                std::str::from_utf8(b)
                    .map(Into::into)
                    .map_err(|_| bad("link is not UTF-8"))
            })
            .collect::<io::Result<Box<[Box<str>]>>>()?;
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

/// The stamp of the saved index in `dir`, if there is one (read from its first file's head).
pub fn saved_stamp(dir: &Path) -> Option<u64> {
    let mut head = [0u8; 16];
    std::fs::File::open(shard_path(dir, 0))
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .ok()?;
    let mut d = Dec(&head);
    (d.take(8).ok()? == MAGIC).then(|| d.u64().ok())?
}

impl DocumentIndex {
    /// Writes the index into `dir` (replaced as a whole), stamped with `stamp`.
    pub fn save(&self, dir: &Path, stamp: u64) -> io::Result<()> {
        let mut partial = dir.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        match std::fs::remove_dir_all(&partial) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            Ok(()) | Err(_) => {}
        }
        std::fs::create_dir_all(&partial)?;
        (0..SHARDS).into_par_iter().try_for_each(|i| {
            let bytes = encode(&self.shards[i].read(), &self.ids[i].read(), stamp, i);
            let mut file = std::fs::File::create(shard_path(&partial, i))?;
            file.write_all(&bytes)?;
            file.sync_all()
        })?;
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            Ok(()) | Err(_) => {}
        }
        std::fs::rename(&partial, dir)?;
        if let Some(parent) = dir.parent() {
            std::fs::File::open(parent)?.sync_all()?;
        }
        Ok(())
    }

    /// Reads the index saved in `dir` with this stamp; an error when it is missing, stale or
    /// damaged (the caller then rebuilds from the store).
    pub fn load(dir: &Path, stamp: u64) -> io::Result<DocumentIndex> {
        let parts: Vec<(NumberShard, Table)> = (0..SHARDS)
            .into_par_iter()
            .map(|i| decode(&std::fs::read(shard_path(dir, i))?, stamp, i))
            .collect::<io::Result<_>>()?;
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
    use crate::documents::NewDocument;
    use crate::record::{DocType, Review, Visibility};

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
        let dir = tempfile_dir();
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
        let file = shard_path(&saved, 3);
        let mut bytes = std::fs::read(&file).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        std::fs::write(&file, bytes).unwrap();
        assert!(DocumentIndex::load(&saved, 42).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "crosscheck-docsnap-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

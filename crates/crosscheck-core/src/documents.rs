//! The compact index of documents, the largest set (over a hundred million records on one
//! node): no allocation per document. Each of 64 shards keeps its documents in slots: one
//! arena of id and number bytes, a column of arena offsets, a column of 8-byte fixed fields
//! (owner, issuing country, type, review), and an open-addressing table from the hash of the
//! number's OCR fold (every confusable letter read as its digit) to slots. So one probe finds
//! both the number itself and every number an OCR may have misread it for. A second table,
//! sharded by id, finds a document's slot by id. The rare document restricted to some
//! countries or linked to other records keeps those in a side map. About 60 bytes a document
//! instead of the ~400 of general hash-map entries.

mod snapshot;

pub use snapshot::saved_stamp;

use ahash::AHashMap;
use parking_lot::RwLock;

use crate::country::CountryCode;
use crate::error::{Error, Result};
use crate::record::{Body, DocType, Record, Review, Visibility};
use crate::shard::{SHARDS, stable_hash, stable_hash_of};

/// Slots per shard are numbered in 26 bits, so that an id table entry names shard and slot in
/// 32: 64 shards of 67M documents.
const SLOT_BITS: u32 = 26;
const MAX_SLOTS: usize = (1 << SLOT_BITS) - 1;
/// The slot has an entry in `extras` (most documents do not: no map probe for them).
const EXTRA: u8 = 1 << 2;
const REVIEW_MASK: u8 = 0b11;

/// Characters an OCR reads for one another in document numbers: (digit, letter).
pub const OCR_PAIRS: [(u8, u8); 6] = [
    (b'0', b'O'),
    (b'1', b'I'),
    (b'5', b'S'),
    (b'8', b'B'),
    (b'2', b'Z'),
    (b'6', b'G'),
];

fn fold_byte(c: u8) -> u8 {
    FOLDED[usize::from(c)]
}

/// Each byte as [`fold_byte`] reads it: every letter OCR reads as a digit becomes that digit.
static FOLDED: [u8; 256] = {
    let mut table = [0; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = c as u8;
        c += 1;
    }
    let mut i = 0;
    while i < OCR_PAIRS.len() {
        let (digit, letter) = OCR_PAIRS[i];
        table[letter as usize] = digit;
        i += 1;
    }
    table
};

/// True when two normalised numbers read the same through OCR confusions.
fn same_fold(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| fold_byte(x) == fold_byte(y))
}

fn fold_hash(number: &str) -> u64 {
    mix(stable_hash_of(number.bytes().map(fold_byte)))
}

/// Stable and well mixed in every bit (FNV-1a alone is weak in its low bits): shard, table
/// position and tag all come from it, and the snapshot relies on it never changing.
fn mixed_hash(bytes: &[u8]) -> u64 {
    mix(stable_hash(bytes))
}

fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn shard_index(h: u64) -> usize {
    (h >> 58) as usize % SHARDS
}

/// What one of the shards gets of `n` entries spread by hash, with room for the spread.
pub(crate) fn per_shard(n: usize) -> usize {
    n / SHARDS + n / SHARDS / 32 + 64
}

/// An open-addressing table of `(hash tag << 32) | value`, 0 when empty, linear probing,
/// deletion by backward shift (no tombstones). The home slot is derived from the tag, so the
/// table can grow and shift entries without the keys.
#[derive(Default)]
pub(crate) struct Table {
    slots: Vec<u64>,
    len: usize,
}

impl Table {
    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    fn home(&self, tag: u32) -> usize {
        tag.rotate_right(16) as usize & self.mask()
    }

    /// Values stored under `tag`, in probe order; `f` returns true to stop.
    fn probe(&self, tag: u32, mut f: impl FnMut(usize, u32) -> bool) {
        if self.slots.is_empty() {
            return;
        }
        let mut at = self.home(tag);
        loop {
            let e = self.slots[at];
            if e == 0 {
                return;
            }
            if (e >> 32) as u32 == tag && f(at, e as u32) {
                return;
            }
            at = (at + 1) & self.mask();
        }
    }

    fn insert(&mut self, tag: u32, value: u32) {
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow((self.len + 1) * 2);
        }
        let mut at = self.home(tag);
        while self.slots[at] != 0 {
            at = (at + 1) & self.mask();
        }
        self.slots[at] = (u64::from(tag) << 32) | u64::from(value);
        self.len += 1;
    }

    /// Room for `more` entries without growing.
    fn reserve(&mut self, more: usize) {
        self.grow((self.len + more) * 8 / 7 + 1);
    }

    fn grow(&mut self, want: usize) {
        let size = want.next_power_of_two().max(16);
        if size <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        self.len = 0;
        for e in old.into_iter().filter(|e| *e != 0) {
            self.insert((e >> 32) as u32, e as u32);
        }
    }

    fn remove_at(&mut self, mut hole: usize) {
        let mask = self.mask();
        self.slots[hole] = 0;
        self.len -= 1;
        let mut at = hole;
        loop {
            at = (at + 1) & mask;
            let e = self.slots[at];
            if e == 0 {
                return;
            }
            // Move back an entry whose home is not in (hole, at].
            let home = self.home((e >> 32) as u32);
            if (at.wrapping_sub(home) & mask) >= (at.wrapping_sub(hole) & mask) {
                self.slots[hole] = e;
                self.slots[at] = 0;
                hole = at;
            }
        }
    }

    fn bytes(&self) -> u64 {
        (self.slots.capacity() * 8) as u64
    }
}

/// The fixed fields of one slot.
#[derive(Clone, Copy, Default)]
struct Fixed {
    owner: [u8; 3],
    issuing: [u8; 3],
    doc_type: u8,
    /// Review (2 bits), has extras.
    flags: u8,
}

/// What only some documents have.
#[derive(Clone, Default)]
struct Extra {
    restricted_to: Option<Vec<CountryCode>>,
    links: Box<[Box<str>]>,
}

/// A stored document as a lookup sees it, copied out of the index (only for hits).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocument {
    pub id: String,
    /// Normalised; differs from the one looked up for a near match.
    pub number: String,
    pub issuing_country: CountryCode,
    pub doc_type: DocType,
    pub visibility: Visibility,
    pub links: Vec<Box<str>>,
}

/// A document to index.
pub struct NewDocument<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub issuing_country: CountryCode,
    pub doc_type: DocType,
    pub visibility: &'a Visibility,
    pub links: Box<[Box<str>]>,
}

#[derive(Default)]
pub(crate) struct NumberShard {
    by_number: Table,
    /// Per slot: where its `[id len: u8][number len: u16 LE][id][number]` starts in `arena`.
    offsets: Vec<u32>,
    fixed: Vec<Fixed>,
    arena: Vec<u8>,
    /// Slots of removed documents, reused first.
    free: Vec<u32>,
    extras: AHashMap<u32, Extra>,
}

fn code(bytes: [u8; 3]) -> CountryCode {
    CountryCode::from_stored(bytes)
}

impl NumberShard {
    fn strings(&self, slot: u32) -> (&str, &str) {
        let at = self.offsets[slot as usize] as usize;
        let a = &self.arena;
        let id_len = usize::from(a[at]);
        let number_len = usize::from(u16::from_le_bytes([a[at + 1], a[at + 2]]));
        let id = &a[at + 3..at + 3 + id_len];
        let number = &a[at + 3 + id_len..at + 3 + id_len + number_len];
        // Only `&str` bytes are ever written into the arena.
        (
            std::str::from_utf8(id).unwrap_or_default(),
            std::str::from_utf8(number).unwrap_or_default(),
        )
    }

    fn extra(&self, slot: u32) -> Option<&Extra> {
        if self.fixed[slot as usize].flags & EXTRA == 0 {
            return None;
        }
        self.extras.get(&slot)
    }

    fn visibility(&self, slot: u32) -> Visibility {
        let f = self.fixed[slot as usize];
        Visibility {
            owner: code(f.owner),
            review: Review::ALL
                .get(usize::from(f.flags & REVIEW_MASK))
                .copied()
                .unwrap_or(Review::Pending),
            restricted_to: self.extra(slot).and_then(|e| e.restricted_to.clone()),
        }
    }

    fn stored(&self, slot: u32) -> StoredDocument {
        let f = self.fixed[slot as usize];
        let (id, number) = self.strings(slot);
        StoredDocument {
            id: id.to_owned(),
            number: number.to_owned(),
            issuing_country: code(f.issuing),
            doc_type: DocType::ALL
                .get(usize::from(f.doc_type))
                .copied()
                .unwrap_or(DocType::Other),
            visibility: self.visibility(slot),
            links: self
                .extra(slot)
                .map(|e| e.links.to_vec())
                .unwrap_or_default(),
        }
    }

    fn reserve(&mut self, slots: usize, arena_bytes: usize) {
        self.by_number.reserve(slots);
        self.offsets.reserve(slots);
        self.fixed.reserve(slots);
        self.arena.reserve(arena_bytes);
    }

    fn add(&mut self, tag: u32, doc: &NewDocument) -> Result<u32> {
        let full = || Error::Store("document index shard full".to_owned());
        let id_len = u8::try_from(doc.id.len()).map_err(|_| full())?;
        let number_len = u16::try_from(doc.number.len()).map_err(|_| full())?;
        let len = 3 + doc.id.len() + doc.number.len();
        // A reused slot keeps its arena bytes when the new ones fit; otherwise they go at the end.
        let (slot, fits) = match self.free.pop() {
            Some(slot) => {
                let (id, number) = self.strings(slot);
                (
                    slot,
                    id.len() + number.len() >= doc.id.len() + doc.number.len(),
                )
            }
            None if self.fixed.len() < MAX_SLOTS => {
                self.offsets.push(0);
                self.fixed.push(Fixed::default());
                ((self.fixed.len() - 1) as u32, false)
            }
            None => return Err(full()),
        };
        let at = if fits {
            self.offsets[slot as usize] as usize
        } else {
            let at = self.arena.len();
            u32::try_from(at + len).map_err(|_| full())?;
            self.arena.resize(at + len, 0);
            at
        };
        let (head, rest) = self.arena[at..at + len].split_at_mut(3);
        head[0] = id_len;
        head[1..].copy_from_slice(&number_len.to_le_bytes());
        let (id, number) = rest.split_at_mut(doc.id.len());
        id.copy_from_slice(doc.id.as_bytes());
        number.copy_from_slice(doc.number.as_bytes());
        self.offsets[slot as usize] = at as u32;
        let mut flags = doc.visibility.review as u8;
        let restricted = doc.visibility.restricted_to.clone();
        if restricted.is_some() || !doc.links.is_empty() {
            flags |= EXTRA;
            self.extras.insert(
                slot,
                Extra {
                    restricted_to: restricted,
                    links: doc.links.clone(),
                },
            );
        }
        self.fixed[slot as usize] = Fixed {
            owner: doc.visibility.owner.to_stored(),
            issuing: doc.issuing_country.to_stored(),
            doc_type: doc.doc_type as u8,
            flags,
        };
        self.by_number.insert(tag, slot);
        Ok(slot)
    }

    fn take(&mut self, slot: u32) {
        let tag = fold_hash(self.strings(slot).1) as u32;
        let mut found = None;
        self.by_number.probe(tag, |at, s| {
            let hit = s == slot;
            if hit {
                found = Some(at);
            }
            hit
        });
        if let Some(at) = found {
            self.by_number.remove_at(at);
        }
        self.fixed[slot as usize].flags = 0;
        self.extras.remove(&slot);
        self.free.push(slot);
    }

    fn same(&self, slot: u32, doc: &NewDocument) -> bool {
        let f = self.fixed[slot as usize];
        let extra = self.extra(slot);
        self.strings(slot).1 == doc.number
            && f.issuing == doc.issuing_country.to_stored()
            && f.doc_type == doc.doc_type as u8
            && self.visibility(slot) == *doc.visibility
            && extra.map_or(&[][..], |e| &e.links[..]) == &doc.links[..]
    }

    fn bytes(&self) -> u64 {
        self.by_number.bytes()
            + (self.offsets.capacity() * 4) as u64
            + (self.fixed.capacity() * std::mem::size_of::<Fixed>()) as u64
            + self.arena.capacity() as u64
            + (self.free.capacity() * 4) as u64
            + self
                .extras
                .values()
                .map(|e| 64 + e.links.len() as u64 * 40)
                .sum::<u64>()
    }
}

/// Where a document lives: shard (6 bits) and slot (26 bits), plus one so that 0 is empty.
fn location(shard: usize, slot: u32) -> u32 {
    ((shard as u32) << SLOT_BITS | slot) + 1
}

fn unlocate(loc: u32) -> (usize, u32) {
    let loc = loc - 1;
    ((loc >> SLOT_BITS) as usize, loc & MAX_SLOTS as u32)
}

pub struct DocumentIndex {
    shards: Box<[RwLock<NumberShard>]>,
    /// By id hash: the location of each document. Locks are always taken id shard first.
    ids: Box<[RwLock<Table>]>,
}

impl Default for DocumentIndex {
    fn default() -> Self {
        DocumentIndex {
            shards: (0..SHARDS).map(|_| RwLock::default()).collect(),
            ids: (0..SHARDS).map(|_| RwLock::default()).collect(),
        }
    }
}

impl DocumentIndex {
    /// The location of `id` in its id shard, and where in that table it is.
    fn find_id(&self, ids: &Table, tag: u32, id: &str) -> Option<(usize, u32)> {
        let mut found = None;
        ids.probe(tag, |at, loc| {
            let (shard, slot) = unlocate(loc);
            let hit = self.shards[shard].read().strings(slot).0 == id;
            if hit {
                found = Some((at, loc));
            }
            hit
        });
        found
    }

    /// Adds or replaces the document with this id; true when it replaced one. Unchanged
    /// documents are left as they are.
    pub fn insert(&self, doc: &NewDocument) -> Result<bool> {
        self.put(doc, true)
    }

    /// [`DocumentIndex::insert`], or with `replace` false for an id the caller knows is new:
    /// then it is not looked for.
    fn put(&self, doc: &NewDocument, replace: bool) -> Result<bool> {
        let id_hash = mixed_hash(doc.id.as_bytes());
        let mut ids = self.ids[shard_index(id_hash)].write();
        let existed = replace
            .then(|| self.find_id(&ids, id_hash as u32, doc.id))
            .flatten();
        if let Some((at, loc)) = existed {
            let (shard, slot) = unlocate(loc);
            let mut s = self.shards[shard].write();
            if s.same(slot, doc) {
                return Ok(true);
            }
            s.take(slot);
            drop(s);
            ids.remove_at(at);
        }
        let h = fold_hash(doc.number);
        let shard = shard_index(h);
        let slot = self.shards[shard].write().add(h as u32, doc)?;
        ids.insert(id_hash as u32, location(shard, slot));
        Ok(existed.is_some())
    }

    /// Adds or replaces a document record; None for records of other kinds, else whether it
    /// replaced one.
    pub fn insert_record(&self, record: &Record) -> Result<Option<bool>> {
        self.put_record(record, true)
    }

    /// [`DocumentIndex::insert_record`] for a load that has checked its ids are new: the
    /// index is not searched for them.
    pub fn insert_new_record(&self, record: &Record) -> Result<()> {
        self.put_record(record, false).map(drop)
    }

    fn put_record(&self, record: &Record, replace: bool) -> Result<Option<bool>> {
        let Body::Document(d) = &record.body else {
            return Ok(None);
        };
        let number = d.normalized_number();
        self.put(
            &NewDocument {
                id: record.id.as_str(),
                number: &number,
                issuing_country: d.issuing_country,
                doc_type: d.doc_type,
                visibility: &record.visibility,
                links: record.links().iter().map(|l| l.as_str().into()).collect(),
            },
            replace,
        )
        .map(Some)
    }

    /// Room for `documents` more of about `bytes` of id and number each, so that a load of
    /// known size neither regrows nor rehashes its tables.
    pub fn reserve(&self, documents: usize, bytes: usize) {
        let per_shard = per_shard(documents);
        for (numbers, ids) in self.shards.iter().zip(&self.ids) {
            numbers.write().reserve(per_shard, per_shard * (3 + bytes));
            ids.write().reserve(per_shard);
        }
    }

    /// Removes the document with this id; false when it was not there.
    pub fn remove(&self, id: &str) -> bool {
        let id_hash = mixed_hash(id.as_bytes());
        let mut ids = self.ids[shard_index(id_hash)].write();
        let Some((at, loc)) = self.find_id(&ids, id_hash as u32, id) else {
            return false;
        };
        let (shard, slot) = unlocate(loc);
        self.shards[shard].write().take(slot);
        ids.remove_at(at);
        true
    }

    /// Documents stored under a normalised number or under one that reads the same through
    /// OCR confusions (no allocation when there are none).
    pub fn by_number(&self, number: &str) -> Vec<StoredDocument> {
        let h = fold_hash(number);
        let shard = self.shards[shard_index(h)].read();
        let mut found = Vec::new();
        shard.by_number.probe(h as u32, |_, slot| {
            if same_fold(shard.strings(slot).1, number) {
                found.push(shard.stored(slot));
            }
            false
        });
        found
    }

    /// The visibility of the document with this id, if there is one.
    pub fn visibility(&self, id: &str) -> Option<Visibility> {
        let h = mixed_hash(id.as_bytes());
        let ids = self.ids[shard_index(h)].read();
        let (_, loc) = self.find_id(&ids, h as u32, id)?;
        let (shard, slot) = unlocate(loc);
        Some(self.shards[shard].read().visibility(slot))
    }

    /// The document with this id, if there is one.
    #[cfg(test)]
    pub fn get(&self, id: &str) -> Option<StoredDocument> {
        let h = mixed_hash(id.as_bytes());
        let ids = self.ids[shard_index(h)].read();
        let (_, loc) = self.find_id(&ids, h as u32, id)?;
        let (shard, slot) = unlocate(loc);
        Some(self.shards[shard].read().stored(slot))
    }

    /// Heap bytes: number shards, then id tables.
    pub fn heap_bytes(&self) -> (u64, u64) {
        let shards = self.shards.iter().map(|s| s.read().bytes()).sum();
        let ids = self.ids.iter().map(|t| t.read().bytes()).sum();
        (shards, ids)
    }

    /// Documents in the index.
    pub fn len(&self) -> u64 {
        self.ids.iter().map(|t| t.read().len as u64).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Documents per id shard (the same routing as every other record).
    pub fn shard_counts(&self) -> Vec<u64> {
        self.ids.iter().map(|t| t.read().len as u64).collect()
    }
}

/// Ids seen so far and the line each was first seen on, for duplicate checks over files
/// too large for general hash sets (about 40 bytes an id). Sharded so that shards can be
/// filled in parallel.
#[derive(Default)]
pub struct IdShard {
    table: Table,
    arena: Vec<u8>,
    /// Per entry: where its `[len: u8][id]` starts in `arena`, and its line.
    offsets: Vec<u32>,
    lines: Vec<u64>,
}

impl IdShard {
    /// The shard an id belongs to.
    pub fn of(id: &str) -> usize {
        shard_index(mixed_hash(id.as_bytes()))
    }

    pub fn shards() -> Vec<IdShard> {
        (0..SHARDS).map(|_| IdShard::default()).collect()
    }

    /// Room for `ids` more of about `bytes` each.
    pub fn reserve(&mut self, ids: usize, bytes: usize) {
        self.table.reserve(ids);
        self.arena.reserve(ids * (1 + bytes));
        self.offsets.reserve(ids);
        self.lines.reserve(ids);
    }

    fn id(&self, entry: u32) -> &[u8] {
        let at = self.offsets[entry as usize] as usize;
        &self.arena[at + 1..at + 1 + usize::from(self.arena[at])]
    }

    /// Records `id` as seen on `line`; gives the line it was first seen on if it was.
    pub fn insert(&mut self, id: &str, line: u64) -> Result<Option<u64>> {
        let tag = mixed_hash(id.as_bytes()) as u32;
        let mut first = None;
        self.table.probe(tag, |_, entry| {
            let hit = self.id(entry) == id.as_bytes();
            if hit {
                first = Some(self.lines[entry as usize]);
            }
            hit
        });
        if first.is_some() {
            return Ok(first);
        }
        let full = || Error::Store("id set full".to_owned());
        let len = u8::try_from(id.len()).map_err(|_| full())?;
        let at = u32::try_from(self.arena.len()).map_err(|_| full())?;
        let entry = u32::try_from(self.offsets.len()).map_err(|_| full())?;
        self.arena.push(len);
        self.arena.extend_from_slice(id.as_bytes());
        self.offsets.push(at);
        self.lines.push(line);
        self.table.insert(tag, entry);
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_number_hashes_as_its_ocr_folded_bytes() {
        for (number, folded) in [("C01X00T47", "C01X00T47"), ("OISBZG", "015826"), ("", "")] {
            assert_eq!(fold_hash(number), mixed_hash(folded.as_bytes()), "{number}");
        }
        let all: Vec<u8> = (0..=255).collect();
        let by_pairs = |c: u8| OCR_PAIRS.iter().find(|p| p.1 == c).map_or(c, |p| p.0);
        assert!(all.iter().all(|&c| fold_byte(c) == by_pairs(c)));
    }

    fn fra() -> CountryCode {
        CountryCode::parse("FRA").unwrap()
    }

    fn vis(owner: &str, review: Review, restricted: Option<Vec<&str>>) -> Visibility {
        Visibility {
            owner: CountryCode::parse(owner).unwrap(),
            review,
            restricted_to: restricted
                .map(|l| l.iter().map(|c| CountryCode::parse(c).unwrap()).collect()),
        }
    }

    fn add(index: &DocumentIndex, id: &str, number: &str, v: &Visibility, links: &[&str]) {
        index
            .insert(&NewDocument {
                id,
                number,
                issuing_country: fra(),
                doc_type: DocType::Passport,
                visibility: v,
                links: links.iter().map(|l| (*l).into()).collect(),
            })
            .unwrap();
    }

    #[test]
    fn documents_are_found_by_number_and_id_with_their_fields() {
        let index = DocumentIndex::default();
        let plain = vis("FRA", Review::Cleared, None);
        let rich = vis("DEU", Review::Pending, Some(vec!["ITA", "ESP"]));
        add(&index, "D-1", "X123", &plain, &[]);
        add(&index, "D-2", "X123", &rich, &["P-9"]);
        add(&index, "D-3", "Y777", &plain, &[]);
        let mut found = index.by_number("X123");
        found.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].id, "D-1");
        assert_eq!(found[0].visibility, plain);
        assert_eq!(found[1].visibility, rich);
        assert_eq!(found[1].links, vec![Box::<str>::from("P-9")]);
        assert_eq!(found[1].doc_type, DocType::Passport);
        assert!(index.by_number("X12").is_empty());
        // OCR readings come with the same probe, under their own number.
        let near: Vec<String> = index
            .by_number("XI23")
            .into_iter()
            .map(|d| d.number)
            .collect();
        assert_eq!(near, ["X123", "X123"]);
        assert_eq!(index.visibility("D-2"), Some(rich));
        assert_eq!(index.visibility("D-4"), None);
        // Replacing moves the document to its new number and reports the old one.
        let existed = index
            .insert(&NewDocument {
                id: "D-2",
                number: "Z1",
                issuing_country: fra(),
                doc_type: DocType::Visa,
                visibility: &plain,
                links: Box::new([]),
            })
            .unwrap();
        assert!(existed);
        assert_eq!(index.by_number("X123").len(), 1);
        assert_eq!(index.get("D-2").unwrap().doc_type, DocType::Visa);
        assert!(index.get("D-2").unwrap().links.is_empty());
        assert!(index.remove("D-1"));
        assert!(!index.remove("D-1"));
        assert!(index.by_number("X123").is_empty());
        assert_eq!(index.shard_counts().iter().sum::<u64>(), 2);
    }

    #[test]
    fn id_set_names_the_first_line_of_an_id() {
        let mut shards = IdShard::shards();
        let mut seen = |id: &str, line| shards[IdShard::of(id)].insert(id, line).unwrap();
        for i in 0..1000 {
            assert_eq!(seen(&format!("D-{i}"), i + 1), None);
        }
        assert_eq!(seen("D-7", 2000), Some(8));
        assert_eq!(seen("D-1000", 2001), None);
    }

    #[test]
    fn table_keeps_every_entry_through_growth_and_backward_shift() {
        let mut t = Table::default();
        // Few distinct tags: long clusters that wrap around the end of the table.
        for v in 1..=500u32 {
            t.insert((u32::MAX - 3).wrapping_add(v % 7), v);
        }
        for v in (1..=500u32).step_by(3) {
            let mut at = None;
            t.probe((u32::MAX - 3).wrapping_add(v % 7), |i, x| {
                at = (x == v).then_some(i);
                at.is_some()
            });
            t.remove_at(at.unwrap());
        }
        for v in 1..=500u32 {
            let mut seen = false;
            t.probe((u32::MAX - 3).wrapping_add(v % 7), |_, x| {
                seen |= x == v;
                seen
            });
            assert_eq!(seen, v % 3 != 1, "value {v}");
        }
    }

    proptest! {
        /// Against a plain map: any sequence of inserts, replacements and removals.
        #[test]
        fn behaves_like_a_map(ops in proptest::collection::vec((0u8..40, 0u8..12, any::<bool>()), 1..400)) {
            let index = DocumentIndex::default();
            let mut model: std::collections::BTreeMap<String, String> = Default::default();
            let v = vis("FRA", Review::Cleared, None);
            for (id, number, insert) in ops {
                let id = format!("D-{id}");
                if insert {
                    let number = format!("N{number}");
                    add(&index, &id, &number, &v, &[]);
                    model.insert(id, number);
                } else {
                    prop_assert_eq!(index.remove(&id), model.remove(&id).is_some());
                }
            }
            for n in 0..12 {
                let number = format!("N{n}");
                let mut got: Vec<String> = index.by_number(&number).into_iter().filter(|d| d.number == number).map(|d| d.id).collect();
                got.sort();
                let want: Vec<String> = model.iter().filter(|(_, v)| **v == number).map(|(k, _)| k.clone()).collect();
                prop_assert_eq!(got, want);
            }
            prop_assert_eq!(index.shard_counts().iter().sum::<u64>(), model.len() as u64);
        }
    }
}

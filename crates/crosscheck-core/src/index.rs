//! The sharded in-memory index every lookup reads: records by id (kind, visibility, links),
//! documents by normalised number, objects by type + key + normalised value, persons and
//! artworks through fuzzy token indexes. Full records stay in the store; the index keeps only
//! what lookups need.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ahash::AHashMap;
use parking_lot::RwLock;

use crate::country::CountryCode;
use crate::error::{FieldError, Result};
use crate::fuzzy::{FuzzyIndex, Variant};
use crate::matcher::PersonMatcher;
use crate::names::tokens;
use crate::query::{DocumentQuery, Hit, MatchKind, ObjectQuery, PersonQuery};
use crate::record::{self, Body, DocType, Kind, ObjectType, Record, Visibility};
use crate::shard::{Sharded, shard_of, sharded};

/// Artwork candidates below this are not returned unless the query says otherwise.
pub const ARTWORK_MIN_SCORE: f64 = 0.75;
const ARTWORK_CANDIDATES: usize = 64;
/// Score of a document found only through OCR-confusable characters.
pub const NEAR_SCORE: f64 = 0.9;
/// Characters an OCR reads for one another in document numbers.
const OCR_PAIRS: [(u8, u8); 6] = [
    (b'0', b'O'),
    (b'1', b'I'),
    (b'5', b'S'),
    (b'8', b'B'),
    (b'2', b'Z'),
    (b'6', b'G'),
];
/// Confusable positions tried at most (2^10 probes), so a long number cannot blow up a lookup.
const OCR_MAX_POSITIONS: usize = 10;

fn ocr_partner(c: u8) -> Option<u8> {
    OCR_PAIRS.iter().find_map(|&(a, b)| {
        if c == a {
            Some(b)
        } else if c == b {
            Some(a)
        } else {
            None
        }
    })
}

/// Every other reading of a normalised number through OCR-confusable characters.
fn ocr_variants(number: &str) -> Vec<String> {
    let bytes = number.as_bytes();
    let positions: Vec<usize> = (0..bytes.len())
        .filter(|i| ocr_partner(bytes[*i]).is_some())
        .take(OCR_MAX_POSITIONS)
        .collect();
    (1u32..(1 << positions.len()))
        .map(|mask| {
            let mut v = bytes.to_vec();
            for (bit, &at) in positions.iter().enumerate() {
                if mask & (1 << bit) != 0
                    && let Some(p) = ocr_partner(v[at])
                {
                    v[at] = p;
                }
            }
            String::from_utf8_lossy(&v).into_owned()
        })
        .collect()
}

/// Which characters were read differently: "read O as 0 at 3".
fn ocr_reason(query: &str, stored: &str) -> String {
    query
        .bytes()
        .zip(stored.bytes())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| format!("read {} as {} at {}", a as char, b as char, i + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Entry {
    kind: Kind,
    visibility: Visibility,
    links: Box<[Box<str>]>,
    detail: Detail,
}

enum Detail {
    Person,
    Document {
        number: Box<str>,
        issuing_country: CountryCode,
        doc_type: DocType,
    },
    Object {
        /// `type:key:value` keys into the object map.
        keys: Box<[Box<str>]>,
        plate_country: Option<CountryCode>,
    },
}

type Postings = AHashMap<Box<str>, Vec<Arc<str>>>;

fn object_key(t: ObjectType, key: &str, norm: &str) -> String {
    format!("{}:{key}:{norm}", t.as_str())
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub persons: u64,
    pub documents: u64,
    pub objects: u64,
}

/// Where the index's memory goes, for operators: records per shard and estimated heap bytes
/// per part. Estimates count table slots by capacity and the strings they own; allocator
/// overhead is not included.
#[derive(Debug, Clone, Default)]
pub struct IndexFootprint {
    pub shard_records: Vec<u64>,
    pub bytes: Vec<(&'static str, u64)>,
}

/// Bytes of a hash table's slots (with one control byte each) at its capacity.
fn table_bytes<K, V>(map: &AHashMap<K, V>) -> u64 {
    (map.capacity() * (std::mem::size_of::<(K, V)>() + 1)) as u64
}

/// An `Arc<str>` or `Box<str>` on the heap: its bytes plus the two reference counts of an Arc
/// (counted for both: a close enough upper bound).
fn str_bytes(s: &str) -> u64 {
    s.len() as u64 + 16
}

fn postings_bytes(map: &Postings) -> u64 {
    let strings: u64 = map
        .iter()
        .map(|(k, ids)| str_bytes(k) + (ids.capacity() * std::mem::size_of::<Arc<str>>()) as u64)
        .sum();
    table_bytes(map) + strings
}

pub struct Index {
    records: Sharded<AHashMap<Arc<str>, Entry>>,
    documents: Sharded<Postings>,
    objects: Sharded<Postings>,
    /// How many stored documents share each OCR fold: a miss probes the OCR readings of its
    /// number only when its fold is here, so clean misses stay cheap.
    ocr_folds: Sharded<AHashMap<u64, u32>>,
    persons: Box<dyn PersonMatcher>,
    titles: FuzzyIndex,
    artists: FuzzyIndex,
    /// Records by kind, kept as they change so that stats never walk the index.
    counts: [AtomicU64; 3],
}

fn kind_slot(kind: Kind) -> usize {
    match kind {
        Kind::Person => 0,
        Kind::Document => 1,
        Kind::Object => 2,
    }
}

/// True when `id` was not listed under `key` before.
fn add_posting(map: &[RwLock<Postings>], key: &str, id: &Arc<str>) -> bool {
    let mut shard = map[shard_of(key.as_bytes())].write();
    let ids = shard.entry(key.into()).or_default();
    let added = !ids.iter().any(|x| x == id);
    if added {
        ids.push(id.clone());
    }
    added
}

/// True when `id` was listed under `key`.
fn remove_posting(map: &[RwLock<Postings>], key: &str, id: &str) -> bool {
    let mut shard = map[shard_of(key.as_bytes())].write();
    let Some(ids) = shard.get_mut(key) else {
        return false;
    };
    let before = ids.len();
    ids.retain(|x| x.as_ref() != id);
    let removed = ids.len() < before;
    if ids.is_empty() {
        shard.remove(key);
    }
    removed
}

/// A number with every OCR-confusable letter read as its digit: numbers that OCR can confuse
/// share it.
fn ocr_fold(number: &str) -> u64 {
    let folded: Vec<u8> = number
        .bytes()
        .map(|c| {
            OCR_PAIRS
                .iter()
                .find_map(|&(digit, letter)| (c == letter).then_some(digit))
                .unwrap_or(c)
        })
        .collect();
    crate::shard::stable_hash(&folded)
}

fn posting_keys(detail: &Detail) -> Vec<(bool, &str)> {
    match detail {
        Detail::Person => Vec::new(),
        Detail::Document { number, .. } => vec![(true, &**number)],
        Detail::Object { keys, .. } => keys.iter().map(|k| (false, &**k)).collect(),
    }
}

impl Index {
    pub fn new(persons: Box<dyn PersonMatcher>) -> Self {
        Index {
            records: sharded(),
            documents: sharded(),
            objects: sharded(),
            ocr_folds: sharded(),
            persons,
            titles: FuzzyIndex::new("title"),
            artists: FuzzyIndex::new("artist"),
            counts: Default::default(),
        }
    }

    fn postings(&self, is_document: bool) -> &[RwLock<Postings>] {
        if is_document {
            &self.documents
        } else {
            &self.objects
        }
    }

    /// Adds or replaces a record. Safe to call from many threads for different ids; the engine
    /// serialises writes to one id.
    pub fn insert(&self, record: &Record) {
        let id: Arc<str> = Arc::from(record.id.as_str());
        let detail = match &record.body {
            Body::Person(p) => {
                self.persons.insert(&id, p);
                Detail::Person
            }
            Body::Document(d) => Detail::Document {
                number: d.normalized_number().into(),
                issuing_country: d.issuing_country,
                doc_type: d.doc_type,
            },
            Body::Object(o) => {
                let mut keys = Vec::new();
                for (key, value) in &o.identifiers {
                    if record::is_fuzzy_identifier(key) {
                        let variant: Variant = tokens(value).into_iter().map(Into::into).collect();
                        let target = if key == "title" {
                            &self.titles
                        } else {
                            &self.artists
                        };
                        target.insert(&id, vec![variant]);
                    } else if !record::is_qualifier_identifier(key)
                        && let Ok(norm) = record::normalize_identifier(key, key, value)
                    {
                        keys.push(object_key(o.object_type, key, &norm).into());
                    }
                }
                let plate_country = o
                    .identifier("plate_country")
                    .and_then(|c| CountryCode::parse(c).ok());
                Detail::Object {
                    keys: keys.into(),
                    plate_country,
                }
            }
        };
        for (is_document, key) in posting_keys(&detail) {
            if add_posting(self.postings(is_document), key, &id) && is_document {
                self.count_fold(key, true);
            }
        }
        let entry = Entry {
            kind: record.kind(),
            visibility: record.visibility.clone(),
            links: record.links().iter().map(|l| l.as_str().into()).collect(),
            detail,
        };
        let old = self.records[shard_of(id.as_bytes())]
            .write()
            .insert(id.clone(), entry);
        self.counts[kind_slot(record.kind())].fetch_add(1, Ordering::Relaxed);
        if let Some(old) = old {
            self.counts[kind_slot(old.kind)].fetch_sub(1, Ordering::Relaxed);
            self.forget(&id, &old, Some(record));
        }
    }

    /// Removes a record; false when it was not there.
    pub fn remove(&self, id: &str) -> bool {
        let old = self.records[shard_of(id.as_bytes())].write().remove(id);
        match old {
            Some(old) => {
                self.counts[kind_slot(old.kind)].fetch_sub(1, Ordering::Relaxed);
                self.forget(id, &old, None);
                true
            }
            None => false,
        }
    }

    /// Drops the postings of a replaced or removed entry that its replacement does not have.
    fn forget(&self, id: &str, old: &Entry, replacement: Option<&Record>) {
        let current = self.records[shard_of(id.as_bytes())].read();
        let kept: Vec<(bool, &str)> = current
            .get(id)
            .filter(|_| replacement.is_some())
            .map(|e| posting_keys(&e.detail))
            .unwrap_or_default();
        for (is_document, key) in posting_keys(&old.detail) {
            if !kept.contains(&(is_document, key))
                && remove_posting(self.postings(is_document), key, id)
                && is_document
            {
                self.count_fold(key, false);
            }
        }
        drop(current);
        let still_person = matches!(replacement.map(Record::kind), Some(Kind::Person));
        if old.kind == Kind::Person && !still_person {
            self.persons.remove(id);
        }
        let still_artwork = replacement.is_some_and(|r| match &r.body {
            Body::Object(o) => o.identifiers.iter().any(|(k, _)| k == "title"),
            Body::Person(_) | Body::Document(_) => false,
        });
        if !still_artwork {
            self.titles.remove(id);
        }
        let still_artist = replacement.is_some_and(|r| match &r.body {
            Body::Object(o) => o.identifiers.iter().any(|(k, _)| k == "artist"),
            Body::Person(_) | Body::Document(_) => false,
        });
        if !still_artist {
            self.artists.remove(id);
        }
    }

    fn count_fold(&self, number: &str, add: bool) {
        let fold = ocr_fold(number);
        let mut shard = self.ocr_folds[(fold % crate::shard::SHARDS as u64) as usize].write();
        if add {
            *shard.entry(fold).or_default() += 1;
        } else if let Some(n) = shard.get_mut(&fold) {
            *n -= 1;
            if *n == 0 {
                shard.remove(&fold);
            }
        }
    }

    /// Stored documents whose number reads like `number` through OCR confusions, itself included.
    fn fold_count(&self, number: &str) -> u32 {
        let fold = ocr_fold(number);
        self.ocr_folds[(fold % crate::shard::SHARDS as u64) as usize]
            .read()
            .get(&fold)
            .copied()
            .unwrap_or(0)
    }

    /// Kind and owner of a stored record, whoever asks (for write permission checks).
    pub fn kind_and_owner(&self, id: &str) -> Option<(Kind, CountryCode)> {
        self.records[shard_of(id.as_bytes())]
            .read()
            .get(id)
            .map(|e| (e.kind, e.visibility.owner))
    }

    pub fn may_see(&self, id: &str, caller: CountryCode) -> bool {
        self.records[shard_of(id.as_bytes())]
            .read()
            .get(id)
            .is_some_and(|e| crate::visibility::may_see(&e.visibility, caller))
    }

    /// A hit on `id` for `caller`, with the linked records the caller may see; None when the
    /// caller may not see the record itself.
    fn hit(
        &self,
        id: &str,
        caller: CountryCode,
        score: f64,
        reasons: Vec<String>,
        match_kind: Option<MatchKind>,
    ) -> Option<Hit> {
        let (kind, owner, links) = {
            let shard = self.records[shard_of(id.as_bytes())].read();
            let e = shard.get(id)?;
            if !crate::visibility::may_see(&e.visibility, caller) {
                return None;
            }
            (e.kind, e.visibility.owner, e.links.clone())
        };
        let linked = links
            .iter()
            .filter(|l| self.may_see(l, caller))
            .map(|l| l.to_string())
            .collect();
        Some(Hit {
            id: id.to_owned(),
            kind,
            owner,
            score,
            reasons,
            linked,
            match_kind,
        })
    }

    pub fn documents(&self, caller: CountryCode, q: &DocumentQuery) -> Result<Vec<Hit>> {
        let number = q.normalized_number()?;
        let reasons = || vec![format!("number: exact match {number}")];
        let (mut hits, stored) =
            self.documents_numbered(caller, q, &number, MatchKind::Exact, &reasons);
        // Near hits only where the caller sees no exact one, and only probed when some other
        // stored number reads the same through OCR confusions.
        if hits.is_empty() && self.fold_count(&number) > stored {
            for variant in ocr_variants(&number) {
                let why = || {
                    vec![format!(
                        "number: near match {variant}, {}",
                        ocr_reason(&number, &variant)
                    )]
                };
                hits.extend(
                    self.documents_numbered(caller, q, &variant, MatchKind::Near, &why)
                        .0,
                );
            }
        }
        hits.sort_by(|a, b| a.id.cmp(&b.id));
        hits.dedup_by(|a, b| a.id == b.id);
        Ok(hits)
    }

    /// Visible documents stored under one normalised number that fit the query's filters, and
    /// how many documents, visible or not, are stored under it.
    fn documents_numbered(
        &self,
        caller: CountryCode,
        q: &DocumentQuery,
        number: &str,
        match_kind: MatchKind,
        reasons: &dyn Fn() -> Vec<String>,
    ) -> (Vec<Hit>, u32) {
        let ids: Vec<Arc<str>> = self.documents[shard_of(number.as_bytes())]
            .read()
            .get(number)
            .cloned()
            .unwrap_or_default();
        let score = match match_kind {
            MatchKind::Exact => 1.0,
            MatchKind::Near => NEAR_SCORE,
        };
        let stored = ids.len() as u32;
        let mut hits = Vec::new();
        for id in ids {
            let fits = {
                let shard = self.records[shard_of(id.as_bytes())].read();
                match shard.get(&id).map(|e| &e.detail) {
                    Some(Detail::Document {
                        issuing_country,
                        doc_type,
                        ..
                    }) => {
                        q.issuing_country.is_none_or(|c| c == *issuing_country)
                            && q.doc_type.is_none_or(|t| t == *doc_type)
                    }
                    Some(Detail::Person | Detail::Object { .. }) | None => false,
                }
            };
            if fits {
                hits.extend(self.hit(&id, caller, score, reasons(), Some(match_kind)));
            }
        }
        (hits, stored)
    }

    pub fn objects(&self, caller: CountryCode, q: &ObjectQuery) -> Result<Vec<Hit>> {
        let mut hits: Vec<Hit> = Vec::new();
        for (object_type, key) in q.targets()? {
            if record::is_fuzzy_identifier(key) {
                hits.extend(self.artworks(caller, key, q)?);
                continue;
            }
            let norm = q.normalized_for(key)?;
            let okey = object_key(object_type, key, &norm);
            let ids = self.objects[shard_of(okey.as_bytes())]
                .read()
                .get(okey.as_str())
                .cloned()
                .unwrap_or_default();
            for id in ids {
                if key == "plate" && !self.plate_country_fits(&id, q.plate_country) {
                    continue;
                }
                let reasons = vec![format!("{key}: exact match {norm}")];
                hits.extend(self.hit(&id, caller, 1.0, reasons, None));
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        hits.dedup_by(|a, b| a.id == b.id);
        Ok(hits)
    }

    fn plate_country_fits(&self, id: &str, wanted: Option<CountryCode>) -> bool {
        let Some(wanted) = wanted else {
            return true;
        };
        let shard = self.records[shard_of(id.as_bytes())].read();
        matches!(shard.get(id).map(|e| &e.detail),
            Some(Detail::Object { plate_country: Some(c), .. }) if *c == wanted)
    }

    fn artworks(&self, caller: CountryCode, key: &str, q: &ObjectQuery) -> Result<Vec<Hit>> {
        let words = tokens(&q.identifier);
        if words.is_empty() {
            return Err(FieldError::new("identifier", "has no letters or digits").into());
        }
        let index = if key == "title" {
            &self.titles
        } else {
            &self.artists
        };
        let visible = |id: &str| self.may_see(id, caller);
        let found = index.search(&words, ARTWORK_MIN_SCORE, ARTWORK_CANDIDATES, &visible);
        Ok(found
            .into_iter()
            .filter_map(|m| self.hit(&m.id, caller, m.score, m.reasons, None))
            .collect())
    }

    pub fn persons(&self, caller: CountryCode, q: &PersonQuery) -> Result<Vec<Hit>> {
        let visible = |id: &str| self.may_see(id, caller);
        let candidates = self.persons.search(q, &visible)?;
        Ok(candidates
            .into_iter()
            .filter_map(|c| self.hit(&c.id, caller, c.score, c.reasons, None))
            .collect())
    }

    pub fn footprint(&self) -> IndexFootprint {
        let mut records = 0;
        let mut shard_records = Vec::with_capacity(self.records.len());
        for shard in self.records.iter() {
            let shard = shard.read();
            shard_records.push(shard.len() as u64);
            records += table_bytes(&shard);
            for (id, e) in shard.iter() {
                records += str_bytes(id)
                    + e.links.iter().map(|l| str_bytes(l) + 16).sum::<u64>()
                    + e.visibility.restricted_to.as_ref().map_or(0, |r| {
                        (r.capacity() * std::mem::size_of::<CountryCode>()) as u64
                    })
                    + match &e.detail {
                        Detail::Person => 0,
                        Detail::Document { number, .. } => str_bytes(number),
                        Detail::Object { keys, .. } => keys.iter().map(|k| str_bytes(k) + 16).sum(),
                    };
            }
        }
        let sum = |maps: &[RwLock<Postings>]| maps.iter().map(|m| postings_bytes(&m.read())).sum();
        let ocr = self.ocr_folds.iter().map(|m| table_bytes(&m.read())).sum();
        IndexFootprint {
            shard_records,
            bytes: vec![
                ("records", records),
                ("documents", sum(&self.documents)),
                ("objects", sum(&self.objects)),
                ("ocr_folds", ocr),
                ("persons", self.persons.heap_bytes()),
                (
                    "artworks",
                    self.titles.heap_bytes() + self.artists.heap_bytes(),
                ),
            ],
        }
    }

    pub fn stats(&self) -> IndexStats {
        let count = |kind| self.counts[kind_slot(kind)].load(Ordering::Relaxed);
        IndexStats {
            persons: count(Kind::Person),
            documents: count(Kind::Document),
            objects: count(Kind::Object),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_variants_swap_every_confusable_position() {
        let mut v = ocr_variants("K0S1");
        v.sort();
        assert_eq!(v, ["K051", "K05I", "K0SI", "KO51", "KO5I", "KOS1", "KOSI"]);
        assert!(ocr_variants("KXY").is_empty());
        assert_eq!(
            ocr_variants(&"0".repeat(30)).len(),
            (1 << OCR_MAX_POSITIONS) - 1
        );
        assert_eq!(ocr_reason("KC5894O39", "KC5894039"), "read O as 0 at 7");
    }

    fn record(line: &str) -> Record {
        Record::from_json_line(line).unwrap()
    }

    #[test]
    fn counts_and_footprint_follow_inserts_replacements_and_removals() {
        let index = Index::new(Box::new(crate::matcher::TokenMatcher::default()));
        let bytes = |index: &Index| index.footprint().bytes.iter().map(|(_, b)| b).sum::<u64>();
        let empty = bytes(&index);
        let doc = |id: &str, n: &str| {
            record(&format!(
                r#"{{"kind":"document","id":"{id}","owner":"FRA","number":"{n}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#
            ))
        };
        for i in 0..200 {
            index.insert(&doc(&format!("D-{i}"), &format!("X{i:07}")));
        }
        index.insert(&record(
            r#"{"kind":"person","id":"P-1","owner":"FRA","names":[{"full":"Petr Smirnov"}]}"#,
        ));
        // Same id again, and an id that changes kind: counted once, under its new kind.
        index.insert(&doc("D-0", "Y0000000"));
        index.insert(&record(
            r#"{"kind":"person","id":"D-1","owner":"FRA","names":[{"full":"Anna Maria Eriksson"}]}"#,
        ));
        let stats = index.stats();
        assert_eq!((stats.persons, stats.documents, stats.objects), (2, 199, 0));
        let footprint = index.footprint();
        assert_eq!(footprint.shard_records.len(), crate::shard::SHARDS);
        assert_eq!(footprint.shard_records.iter().sum::<u64>(), 201);
        let part = |name| footprint.bytes.iter().find(|(p, _)| *p == name).unwrap().1;
        assert!(
            part("documents") > 199 * 8 && part("persons") > 0,
            "{footprint:?}"
        );
        let full = bytes(&index);
        assert!(full > empty);
        for i in 0..200 {
            index.remove(&format!("D-{i}"));
        }
        let stats = index.stats();
        assert_eq!((stats.persons, stats.documents), (1, 0));
        assert!(!index.remove("D-0"));
        assert_eq!(index.footprint().shard_records.iter().sum::<u64>(), 1);
    }
}

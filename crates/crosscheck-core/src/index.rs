//! The sharded in-memory index every lookup reads: records by id (kind, visibility, links),
//! documents by normalised number, objects by type + key + normalised value, persons and
//! artworks through fuzzy token indexes. Full records stay in the store; the index keeps only
//! what lookups need.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ahash::AHashMap;
use parking_lot::RwLock;

use crate::country::CountryCode;
use crate::documents::{DocumentIndex, StoredDocument};
use crate::error::{FieldError, Result};
use crate::fuzzy::{FuzzyIndex, Variant};
use crate::matcher::PersonMatcher;
use crate::names::tokens;
use crate::query::{DocumentQuery, Hit, MatchKind, ObjectQuery, PersonQuery};
use crate::record::{self, Body, Kind, ObjectType, Record, Visibility};
use crate::shard::{Sharded, shard_of, sharded};

mod snapshot;

pub use snapshot::{SavedRecords, saved_stamp};

/// Artwork candidates below this are not returned unless the query says otherwise.
pub const ARTWORK_MIN_SCORE: f64 = 0.75;
const ARTWORK_CANDIDATES: usize = 64;
/// Score of a document found only through OCR-confusable characters.
pub const NEAR_SCORE: f64 = 0.9;
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

/// Persons and objects; documents live in the compact `DocumentIndex`.
enum Detail {
    Person,
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
    documents: DocumentIndex,
    objects: Sharded<Postings>,
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

/// True when `id` was not listed under `key` before. Lists are sorted by id: a key shared by
/// tens of thousands of objects (a firearm make, a CAS number) was a linear scan per insert,
/// quadratic over a restart.
fn add_posting(map: &[RwLock<Postings>], key: &str, id: &Arc<str>) -> bool {
    let mut shard = map[shard_of(key.as_bytes())].write();
    let ids = shard.entry(key.into()).or_default();
    // A store is scanned in id order: most inserts append.
    if ids.last().is_none_or(|last| last < id) {
        ids.push(id.clone());
        return true;
    }
    match ids.binary_search(id) {
        Ok(_) => false,
        Err(at) => {
            ids.insert(at, id.clone());
            true
        }
    }
}

/// True when `id` was listed under `key`.
fn remove_posting(map: &[RwLock<Postings>], key: &str, id: &str) -> bool {
    let mut shard = map[shard_of(key.as_bytes())].write();
    let Some(ids) = shard.get_mut(key) else {
        return false;
    };
    let Ok(at) = ids.binary_search_by(|x| x.as_ref().cmp(id)) else {
        return false;
    };
    ids.remove(at);
    if ids.is_empty() {
        shard.remove(key);
    }
    true
}

fn object_keys(detail: &Detail) -> &[Box<str>] {
    match detail {
        Detail::Person => &[],
        Detail::Object { keys, .. } => keys,
    }
}

impl Index {
    pub fn new(persons: Box<dyn PersonMatcher>) -> Self {
        Self::with_documents(persons, DocumentIndex::default())
    }

    /// Over documents already indexed (a saved index read back).
    pub fn with_documents(persons: Box<dyn PersonMatcher>, documents: DocumentIndex) -> Self {
        let counts: [AtomicU64; 3] = Default::default();
        counts[kind_slot(Kind::Document)].store(documents.len(), Ordering::Relaxed);
        Index {
            records: sharded(),
            documents,
            objects: sharded(),
            persons,
            titles: FuzzyIndex::new("title"),
            artists: FuzzyIndex::new("artist"),
            counts,
        }
    }

    pub fn document_index(&self) -> &DocumentIndex {
        &self.documents
    }

    /// Adds or replaces a record. Safe to call from many threads for different ids; the engine
    /// serialises writes to one id. Fails only when the document index is full.
    pub fn insert(&self, record: &Record) -> Result<()> {
        let id: Arc<str> = Arc::from(record.id.as_str());
        if let Some(existed) = self.documents.insert_record(record)? {
            if !existed {
                self.counts[kind_slot(Kind::Document)].fetch_add(1, Ordering::Relaxed);
            }
            if !existed && let Some(old) = self.records[shard_of(id.as_bytes())].write().remove(&id)
            {
                self.counts[kind_slot(old.kind)].fetch_sub(1, Ordering::Relaxed);
                self.forget(&id, &old, Some(record));
            }
            return Ok(());
        }
        let detail = match &record.body {
            Body::Person(p) => {
                let open = crate::visibility::open_to_all(&record.visibility);
                self.persons.insert(&id, p, open);
                Detail::Person
            }
            Body::Document(_) => return Ok(()),
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
        for key in object_keys(&detail) {
            add_posting(&self.objects, key, &id);
        }
        if self.documents.remove(&id) {
            self.counts[kind_slot(Kind::Document)].fetch_sub(1, Ordering::Relaxed);
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
        Ok(())
    }

    /// Removes a record; false when it was not there.
    pub fn remove(&self, id: &str) -> bool {
        if self.documents.remove(id) {
            self.counts[kind_slot(Kind::Document)].fetch_sub(1, Ordering::Relaxed);
            return true;
        }
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
        let kept: &[Box<str>] = current
            .get(id)
            .filter(|_| replacement.is_some())
            .map_or(&[], |e| object_keys(&e.detail));
        for key in object_keys(&old.detail) {
            if !kept.contains(key) {
                remove_posting(&self.objects, key, id);
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

    /// Kind and owner of a stored record, whoever asks (for write permission checks).
    pub fn kind_and_owner(&self, id: &str) -> Option<(Kind, CountryCode)> {
        let other = self.records[shard_of(id.as_bytes())]
            .read()
            .get(id)
            .map(|e| (e.kind, e.visibility.owner));
        other.or_else(|| {
            self.documents
                .visibility(id)
                .map(|v| (Kind::Document, v.owner))
        })
    }

    pub fn may_see(&self, id: &str, caller: CountryCode) -> bool {
        let other = self.records[shard_of(id.as_bytes())]
            .read()
            .get(id)
            .map(|e| crate::visibility::may_see(&e.visibility, caller));
        other.unwrap_or_else(|| {
            self.documents
                .visibility(id)
                .is_some_and(|v| crate::visibility::may_see(&v, caller))
        })
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
        Some(self.hit_on(id, kind, owner, &links, caller, score, reasons, match_kind))
    }

    /// A hit on a record the caller may see, with the linked records the caller may see.
    #[allow(clippy::too_many_arguments)]
    fn hit_on(
        &self,
        id: &str,
        kind: Kind,
        owner: CountryCode,
        links: &[Box<str>],
        caller: CountryCode,
        score: f64,
        reasons: Vec<String>,
        match_kind: Option<MatchKind>,
    ) -> Hit {
        let linked = links
            .iter()
            .filter(|l| self.may_see(l, caller))
            .map(|l| l.to_string())
            .collect();
        Hit {
            id: id.to_owned(),
            kind,
            owner,
            score,
            reasons,
            linked,
            match_kind,
        }
    }

    pub fn documents(&self, caller: CountryCode, q: &DocumentQuery) -> Result<Vec<Hit>> {
        let number = q.normalized_number()?;
        // One probe gives the number and every stored number an OCR may have misread for it;
        // near ones count only where the caller sees no exact one.
        let (exact, near): (Vec<StoredDocument>, Vec<StoredDocument>) = self
            .documents
            .by_number(&number)
            .into_iter()
            .filter(|d| {
                q.issuing_country.is_none_or(|c| c == d.issuing_country)
                    && q.doc_type.is_none_or(|t| t == d.doc_type)
                    && crate::visibility::may_see(&d.visibility, caller)
            })
            .partition(|d| d.number == number);
        let (found, match_kind, score) = if exact.is_empty() {
            (near, MatchKind::Near, NEAR_SCORE)
        } else {
            (exact, MatchKind::Exact, 1.0)
        };
        let mut hits: Vec<Hit> = found
            .iter()
            .map(|d| {
                let reason = match match_kind {
                    MatchKind::Exact => format!("number: exact match {number}"),
                    MatchKind::Near => format!(
                        "number: near match {}, {}",
                        d.number,
                        ocr_reason(&number, &d.number)
                    ),
                };
                self.hit_on(
                    &d.id,
                    Kind::Document,
                    d.visibility.owner,
                    &d.links,
                    caller,
                    score,
                    vec![reason],
                    Some(match_kind),
                )
            })
            .collect();
        hits.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(hits)
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
                    + object_keys(&e.detail)
                        .iter()
                        .map(|k| str_bytes(k) + 16)
                        .sum::<u64>();
            }
        }
        for (n, docs) in shard_records.iter_mut().zip(self.documents.shard_counts()) {
            *n += docs;
        }
        let (documents, document_ids) = self.documents.heap_bytes();
        let objects = self.objects.iter().map(|m| postings_bytes(&m.read())).sum();
        IndexFootprint {
            shard_records,
            bytes: vec![
                ("records", records),
                ("documents", documents),
                ("document_ids", document_ids),
                ("objects", objects),
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
    fn near_matches_are_ocr_readings_given_only_without_an_exact_one() {
        assert_eq!(ocr_reason("KC5894O39", "KC5894039"), "read O as 0 at 7");
        let index = Index::new(Box::new(crate::matcher::TokenMatcher::default()));
        for (id, n) in [
            ("D-1", "KC5894039"),
            ("D-2", "KCS894039"),
            ("D-3", "KC589403"),
        ] {
            index
                .insert(&record(&format!(
                    r#"{{"kind":"document","id":"{id}","owner":"FRA","number":"{n}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#
                )))
                .unwrap();
        }
        let look = |n: &str| {
            let q = DocumentQuery {
                number: n.to_owned(),
                issuing_country: None,
                doc_type: None,
            };
            let caller = CountryCode::parse("DEU").unwrap();
            let hits = index.documents(caller, &q).unwrap();
            hits.into_iter()
                .map(|h| (h.id, h.match_kind, h.reasons.join("; ")))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            look("KC5894039"),
            [(
                "D-1".into(),
                Some(MatchKind::Exact),
                "number: exact match KC5894039".into()
            )]
        );
        assert_eq!(
            look("KC5894O39"),
            [
                (
                    "D-1".into(),
                    Some(MatchKind::Near),
                    "number: near match KC5894039, read O as 0 at 7".into()
                ),
                (
                    "D-2".into(),
                    Some(MatchKind::Near),
                    "number: near match KCS894039, read 5 as S at 3, read O as 0 at 7".into()
                ),
            ]
        );
        assert!(look("KC5894X39").is_empty());
    }

    fn record(line: &str) -> Record {
        Record::from_json_line(line).unwrap()
    }

    #[test]
    fn a_person_written_again_is_searched_with_its_new_visibility() {
        let index = Index::new(Box::new(crate::matcher::TokenMatcher::default()));
        let write = |extra: &str| {
            let line = format!(
                r#"{{"kind":"person","id":"P-1","owner":"FRA","names":[{{"given":"Anna","family":"Karenina"}}]{extra}}}"#
            );
            index.insert(&record(&line)).unwrap();
        };
        let found_by = |caller: &str| {
            let q = PersonQuery {
                name: Some("Anna Karenina".into()),
                ..PersonQuery::default()
            };
            let hits = index
                .persons(CountryCode::parse(caller).unwrap(), &q)
                .unwrap();
            hits.len()
        };
        write("");
        assert_eq!((found_by("DEU"), found_by("FRA")), (1, 1));
        write(r#","restricted_to":["ITA"]"#);
        assert_eq!(
            (found_by("DEU"), found_by("ITA"), found_by("FRA")),
            (0, 1, 1)
        );
        write(r#","review":"pending""#);
        assert_eq!((found_by("DEU"), found_by("FRA")), (0, 1));
        write("");
        assert_eq!(found_by("DEU"), 1);
    }

    #[test]
    fn a_key_shared_by_many_objects_lists_each_once_in_id_order_whatever_the_write_order() {
        let index = Index::new(Box::new(crate::matcher::TokenMatcher::default()));
        let firearm = |id: &str, make: &str| {
            record(&format!(
                r#"{{"kind":"object","id":"{id}","owner":"FRA","object_type":"firearm","identifiers":{{"serial":"S{id}","make":"{make}"}},"status":"stolen"}}"#
            ))
        };
        // Out of order, with repeats, as online writes and parallel chunks give them.
        for i in [5, 1, 9, 3, 7, 1, 0, 8, 2, 6, 4, 9] {
            index.insert(&firearm(&format!("O-{i}"), "Glock")).unwrap();
        }
        // A record that changes make leaves the old list; one removed leaves it too.
        index.insert(&firearm("O-3", "Beretta")).unwrap();
        assert!(index.remove("O-7"));
        let look = |make: &str| {
            let q = ObjectQuery {
                object_type: Some(ObjectType::Firearm),
                identifier: make.to_owned(),
                field: Some("make".to_owned()),
                plate_country: None,
            };
            let caller = CountryCode::parse("DEU").unwrap();
            let hits = index.objects(caller, &q).unwrap();
            hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
        };
        let ids = |list: &[u32]| list.iter().map(|i| format!("O-{i}")).collect::<Vec<_>>();
        assert_eq!(look("GLOCK"), ids(&[0, 1, 2, 4, 5, 6, 8, 9]));
        assert_eq!(look("beretta"), ids(&[3]));
        let key = object_key(ObjectType::Firearm, "make", "GLOCK");
        let listed = index.objects[shard_of(key.as_bytes())].read()[key.as_str()].clone();
        assert!(listed.windows(2).all(|w| w[0] < w[1]), "{listed:?}");
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
            index
                .insert(&doc(&format!("D-{i}"), &format!("X{i:07}")))
                .unwrap();
        }
        index
            .insert(&record(
                r#"{"kind":"person","id":"P-1","owner":"FRA","names":[{"full":"Petr Smirnov"}]}"#,
            ))
            .unwrap();
        // Same id again, and an id that changes kind: counted once, under its new kind.
        index.insert(&doc("D-0", "Y0000000")).unwrap();
        index
            .insert(&record(
                r#"{"kind":"person","id":"D-1","owner":"FRA","names":[{"full":"Anna Maria Eriksson"}]}"#,
            ))
            .unwrap();
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

//! The engine every read and write goes through, so that no adapter can skip visibility or
//! ownership: lookups read the index, writes go to the durable store first and then the index.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::Mutex;
use rayon::prelude::*;

use crate::country::CountryCode;
use crate::documents::{self, DocumentIndex};
use crate::error::{Error, FieldError, Result};
use crate::index::{self, Index, IndexFootprint, IndexStats};
use crate::matcher::{PersonMatcher, TokenMatcher};
use crate::query::{
    DocumentQuery, Hit, MatchKind, ObjectQuery, PersonQuery, Query, TravellerQuery, Verdict,
};
use crate::record::{Kind, Record};
use crate::store::{Part, Store, StoreHealth, WriteOp};
use crate::timestamp;
use crate::visibility::Caller;

/// Records written to the store per durable batch during an import.
const IMPORT_BATCH: usize = 8192;
/// Records read ahead per kind by `export`.
const EXPORT_PAGE: usize = 1024;
/// Records parsed per parallel task when the index is rebuilt at start.
const LOAD_CHUNK: usize = 16_384;
/// Chunks read but not yet indexed, at most, while the index is rebuilt.
const LOAD_AHEAD: usize = 8;

/// Where the parts of the index are saved: one directory each.
#[derive(Debug, Clone)]
pub struct SavedIndex {
    pub documents: PathBuf,
    pub records: PathBuf,
}

/// Which parts of the index were read back (at open) or written (at save); at open, also why
/// a part that was saved could not be read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedParts {
    pub documents: bool,
    /// Persons and objects.
    pub records: bool,
    pub not_read: Vec<String>,
}

/// One rejected line of an import: 1-based line number and `field: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub stored: u64,
    pub rejected: Vec<Rejected>,
}

/// The answer to any query: hits, and for travellers the verdict and the zone as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub verdict: Option<Verdict>,
    pub mrz: Option<crate::mrz::Mrz>,
}

#[derive(Debug, Clone, Default)]
pub struct EngineStats {
    pub records: IndexStats,
    pub disk_bytes: u64,
}

pub struct Engine {
    store: Arc<dyn Store>,
    index: Index,
    /// One writer at a time: ownership checks and the write they guard must not interleave.
    writer: Mutex<()>,
}

impl Engine {
    /// Opens over a store and rebuilds the index from it, parsing in parallel.
    pub fn open(store: Arc<dyn Store>) -> Result<Engine> {
        Self::with_matcher(store, Box::new(TokenMatcher::default()))
    }

    pub fn with_matcher(store: Arc<dyn Store>, matcher: Box<dyn PersonMatcher>) -> Result<Engine> {
        Self::build(store, matcher, None).map(|(engine, _)| engine)
    }

    /// Opens over a store, reading back each part of the index saved in `saved` whose stamp
    /// the store still holds (both at once), rebuilding the others from the store.
    pub fn open_saved(store: Arc<dyn Store>, saved: &SavedIndex) -> Result<(Engine, SavedParts)> {
        Self::build(store, Box::new(TokenMatcher::default()), Some(saved))
    }

    fn build(
        store: Arc<dyn Store>,
        matcher: Box<dyn PersonMatcher>,
        saved: Option<&SavedIndex>,
    ) -> Result<(Engine, SavedParts)> {
        let mut parts = SavedParts::default();
        let (documents, records) = match saved {
            None => (Ok(None), Ok(None)),
            Some(dirs) => {
                let documents = store.saved_stamp(Part::Documents)?;
                let records = store.saved_stamp(Part::Records)?;
                rayon::join(
                    || {
                        documents
                            .map(|s| DocumentIndex::load(&dirs.documents, s))
                            .transpose()
                    },
                    || {
                        records
                            .map(|s| Index::load_records(&dirs.records, s))
                            .transpose()
                    },
                )
            }
        };
        let documents = documents.unwrap_or_else(|e| {
            parts.not_read.push(format!("documents: {e}"));
            None
        });
        parts.documents = documents.is_some();
        let engine = Engine {
            store,
            index: Index::with_documents(matcher, documents.unwrap_or_default()),
            writer: Mutex::new(()),
        };
        // Missing, stale or damaged: rebuilt from the store, and saved again at the next stop.
        match records.and_then(|r| r.map(|r| engine.index.restore_records(r)).transpose()) {
            Ok(restored) => parts.records = restored.is_some(),
            Err(e) => parts.not_read.push(format!("persons and objects: {e}")),
        }
        for kind in Kind::ALL {
            let reused = match Part::of(*kind) {
                Part::Documents => parts.documents,
                Part::Records => parts.records,
            };
            if !reused {
                engine.load(*kind)?;
            }
        }
        Ok((engine, parts))
    }

    /// Saves each part of the index into its directory of `saved` unless the one there is
    /// current; says which were written. Writes wait meanwhile, so that what is saved is
    /// exactly what the store holds.
    pub fn save_index(&self, saved: &SavedIndex) -> Result<SavedParts> {
        let _w = self.writer.lock();
        let mut written = SavedParts::default();
        for part in Part::ALL {
            let (dir, on_disk) = match part {
                Part::Documents => (&saved.documents, documents::saved_stamp(&saved.documents)),
                Part::Records => (&saved.records, index::saved_stamp(&saved.records)),
            };
            let current = self.store.saved_stamp(part)?;
            if current.is_some() && current == on_disk {
                continue;
            }
            let Some(stamp) = self.store.stamp(part)? else {
                continue;
            };
            let done = match part {
                Part::Documents => self.index.document_index().save(dir, stamp).map(|()| true),
                Part::Records => self.index.save_records(dir, stamp),
            };
            let done = done
                .map_err(|e| Error::Store(format!("saving the index in {}: {e}", dir.display())))?;
            match part {
                Part::Documents => written.documents = done,
                Part::Records => written.records = done,
            }
        }
        Ok(written)
    }

    /// Rebuilds one kind from the store: one thread reads while the pool parses and indexes
    /// the chunks already read.
    fn load(&self, kind: Kind) -> Result<()> {
        let failure: Mutex<Option<Error>> = Mutex::new(None);
        let in_flight = AtomicUsize::new(0);
        rayon::scope(|scope| {
            let mut chunk: Vec<Vec<u8>> = Vec::with_capacity(LOAD_CHUNK);
            let (failure, in_flight) = (&failure, &in_flight);
            let hand_over = |chunk: Vec<Vec<u8>>| {
                // Bounded read-ahead: memory stays a few chunks whatever the store holds.
                while in_flight.load(Ordering::Acquire) >= LOAD_AHEAD {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                in_flight.fetch_add(1, Ordering::AcqRel);
                scope.spawn(move |_| {
                    let done = chunk
                        .par_iter()
                        .try_for_each(|bytes| self.index.insert(&decode(bytes)?));
                    if let Err(e) = done {
                        failure.lock().get_or_insert(e);
                    }
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            };
            let scanned = self.store.scan(kind, None, &mut |_, value| {
                chunk.push(value.to_vec());
                if chunk.len() == LOAD_CHUNK {
                    hand_over(std::mem::replace(
                        &mut chunk,
                        Vec::with_capacity(LOAD_CHUNK),
                    ));
                }
                failure.lock().is_none()
            });
            if let Err(e) = scanned {
                failure.lock().get_or_insert(e);
            }
            hand_over(chunk);
        });
        failure.into_inner().map_or(Ok(()), Err)
    }

    pub fn lookup_document(&self, caller: CountryCode, q: &DocumentQuery) -> Result<Vec<Hit>> {
        self.index.documents(caller, q)
    }

    pub fn lookup_object(&self, caller: CountryCode, q: &ObjectQuery) -> Result<Vec<Hit>> {
        self.index.objects(caller, q)
    }

    pub fn search_persons(&self, caller: CountryCode, q: &PersonQuery) -> Result<Vec<Hit>> {
        self.index.persons(caller, q)
    }

    /// Any query of the batch format, dispatched to its lookup.
    pub fn run(&self, caller: CountryCode, query: &Query) -> Result<Answer> {
        let plain = |hits| Answer {
            hits,
            verdict: None,
            mrz: None,
        };
        match query {
            Query::Document(q) => self.lookup_document(caller, q).map(plain),
            Query::Person(q) => self.search_persons(caller, q).map(plain),
            Query::Object(q) => self.lookup_object(caller, q).map(plain),
            Query::Traveller(q) => {
                let (hits, verdict) = self.screen_traveller(caller, q)?;
                Ok(Answer {
                    hits,
                    verdict: Some(verdict),
                    mrz: None,
                })
            }
            Query::Mrz(text) => {
                let mrz = crate::mrz::parse(text)?;
                let (hits, verdict) =
                    self.screen_traveller(caller, &TravellerQuery::from_mrz(&mrz)?)?;
                Ok(Answer {
                    hits,
                    verdict: Some(verdict),
                    mrz: Some(mrz),
                })
            }
        }
    }

    /// The document and the holder in one call: document hits first, then the holder's ranked
    /// candidates (even when also linked to the document), and the verdict.
    pub fn screen_traveller(
        &self,
        caller: CountryCode,
        q: &TravellerQuery,
    ) -> Result<(Vec<Hit>, Verdict)> {
        q.validate()?;
        // Exact document hits only: a zone's check digits already guard its number against
        // misreads, and a verdict must not rest on a look-alike number.
        let mut hits = match &q.document {
            Some(d) => self
                .index
                .documents(caller, d)?
                .into_iter()
                .filter(|h| h.match_kind == Some(MatchKind::Exact))
                .collect(),
            None => Vec::new(),
        };
        let document_hit = !hits.is_empty();
        if let Some(p) = &q.person {
            hits.extend(self.index.persons(caller, p)?);
        }
        let person_hit = hits.iter().any(|h| h.kind == Kind::Person);
        Ok((hits, Verdict::of(document_hit, person_hit)))
    }

    /// A stored record, if the caller may see it; an invisible record is reported as not found
    /// so that its existence does not leak.
    pub fn get(&self, caller: Caller, id: &str) -> Result<Record> {
        let not_found = || Error::NotFound(format!("no record `{id}`"));
        let (kind, _) = self.index.kind_and_owner(id).ok_or_else(not_found)?;
        let bytes = self.store.get(kind, id)?.ok_or_else(not_found)?;
        let record = decode(&bytes)?;
        if !caller.may_see(&record.visibility) {
            return Err(not_found());
        }
        Ok(record)
    }

    /// Checks that `caller` may write `record`: its own country's records only, and never a
    /// change of owner.
    fn check_write(&self, caller: Caller, record: &Record) -> Result<()> {
        if let Caller::Country(c) = caller
            && c != record.owner()
        {
            return Err(Error::PermissionDenied(format!(
                "{c} may not write records owned by {}",
                record.owner()
            )));
        }
        if let Some((_, owner)) = self.index.kind_and_owner(record.id.as_str())
            && owner != record.owner()
        {
            // The owner is named only to a caller who may see the record: its existence is
            // unavoidable to tell (the id is taken), who holds it is not.
            let holder = match caller {
                Caller::Country(c) if !self.index.may_see(record.id.as_str(), c) => {
                    "another country".to_owned()
                }
                Caller::Country(_) | Caller::Platform => owner.to_string(),
            };
            return Err(Error::PermissionDenied(format!(
                "record `{}` belongs to {holder}; the owner of a record never changes",
                record.id.as_str()
            )));
        }
        Ok(())
    }

    fn put_ops(&self, record: &Record) -> Vec<WriteOp> {
        let mut ops = Vec::with_capacity(2);
        // An id is unique across kinds: a record that changes kind leaves its old column.
        if let Some((old_kind, _)) = self.index.kind_and_owner(record.id.as_str())
            && old_kind != record.kind()
        {
            ops.push(WriteOp::Delete {
                kind: old_kind,
                id: record.id.as_str().to_owned(),
            });
        }
        ops.push(WriteOp::Put {
            kind: record.kind(),
            id: record.id.as_str().to_owned(),
            value: record.to_json_line().into_bytes(),
        });
        ops
    }

    /// Stores a record durably, then makes it visible to lookups. Returns it as stored.
    ///
    /// One synced write per call: callers that upsert concurrently against a store where a
    /// sync costs milliseconds gather their upserts into groups (the server's writer thread)
    /// and call [`Engine::upsert_group`].
    pub fn upsert(&self, caller: Caller, record: Record) -> Result<Record> {
        let mut answers = self.upsert_group(vec![(caller, record)]);
        answers
            .pop()
            .unwrap_or_else(|| Err(Error::Store("upsert left unanswered".to_owned())))
    }

    /// Upserts written as one group under the writer lock (group commit: one sync for all):
    /// the answers in order, each as if its upsert were written alone, after the one before;
    /// none is returned before its batch is durable and indexed. An id met twice ends a batch:
    /// the second is checked against the index the first updated.
    pub fn upsert_group(&self, upserts: Vec<(Caller, Record)>) -> Vec<Result<Record>> {
        let _w = self.writer.lock();
        let now = timestamp::now_rfc3339();
        let mut answers = Vec::with_capacity(upserts.len());
        // The answers still to be committed: each an `Ok` of its checked record.
        let mut batch = Vec::with_capacity(upserts.len());
        let mut ops = Vec::with_capacity(upserts.len());
        let mut ids = std::collections::HashSet::with_capacity(upserts.len());
        for (caller, mut record) in upserts {
            if ids.contains(record.id.as_str()) {
                self.commit(
                    &mut answers,
                    std::mem::take(&mut batch),
                    std::mem::take(&mut ops),
                );
                ids.clear();
            }
            if let Err(e) = self.check_write(caller, &record) {
                answers.push(Err(e));
                continue;
            }
            record.updated_at.get_or_insert_with(|| now.clone());
            ops.extend(self.put_ops(&record));
            ids.insert(record.id.as_str().to_owned());
            batch.push(answers.len());
            answers.push(Ok(record));
        }
        self.commit(&mut answers, batch, ops);
        answers
    }

    /// One synced store write for a batch of checked upserts (their places in `answers`),
    /// then the index; a failure becomes each one's answer.
    fn commit(&self, answers: &mut [Result<Record>], batch: Vec<usize>, ops: Vec<WriteOp>) {
        if batch.is_empty() {
            return;
        }
        let written = self.store.write(ops);
        for i in batch {
            let Ok(record) = &answers[i] else { continue };
            let indexed = match &written {
                // Stored, but unanswerable by lookups: say so rather than acknowledge.
                Ok(()) => self.index.insert(record),
                Err(e) => Err(e.duplicate()),
            };
            if let Err(e) = indexed {
                answers[i] = Err(e);
            }
        }
    }

    pub fn delete(&self, caller: Caller, id: &str) -> Result<()> {
        let _w = self.writer.lock();
        let not_found = || Error::NotFound(format!("no record `{id}`"));
        let (kind, owner) = self.index.kind_and_owner(id).ok_or_else(not_found)?;
        if let Caller::Country(c) = caller
            && c != owner
        {
            // Only say "not yours" about a record the caller may see at all.
            return Err(if self.index.may_see(id, c) {
                Error::PermissionDenied(format!("record `{id}` belongs to {owner}"))
            } else {
                not_found()
            });
        }
        self.store.write(vec![WriteOp::Delete {
            kind,
            id: id.to_owned(),
        }])?;
        self.index.remove(id);
        Ok(())
    }

    /// Validates every line first (parse, ownership, duplicate ids); stores nothing when any
    /// line is bad unless `skip_invalid`, in which case the good lines are stored.
    pub fn import(
        &self,
        caller: Caller,
        lines: Vec<(u64, String)>,
        skip_invalid: bool,
    ) -> Result<ImportReport> {
        let parsed: Vec<(u64, std::result::Result<Record, FieldError>)> = lines
            .into_par_iter()
            .map(|(n, line)| (n, Record::from_json_line(&line)))
            .collect();
        let _w = self.writer.lock();
        let mut report = ImportReport::default();
        let mut seen: HashMap<String, u64> = HashMap::with_capacity(parsed.len());
        let mut good = Vec::with_capacity(parsed.len());
        for (line, result) in parsed {
            let checked = result.map_err(|e| e.to_string()).and_then(|record| {
                if let Some(first) = seen.insert(record.id.as_str().to_owned(), line) {
                    return Err(format!(
                        "id: `{}` already on line {first} of this import",
                        record.id.as_str()
                    ));
                }
                self.check_write(caller, &record)
                    .map(|()| record)
                    .map_err(|e| format!("owner: permission denied: {e}"))
            });
            match checked {
                Ok(record) => good.push(record),
                Err(message) => report.rejected.push(Rejected { line, message }),
            }
        }
        if !report.rejected.is_empty() && !skip_invalid {
            return Ok(report);
        }
        let now = timestamp::now_rfc3339();
        for batch in good.chunks_mut(IMPORT_BATCH) {
            let mut ops = Vec::with_capacity(batch.len());
            for record in batch.iter_mut() {
                record.updated_at.get_or_insert_with(|| now.clone());
                ops.extend(self.put_ops(record));
            }
            self.store.write(ops)?;
            batch.par_iter().try_for_each(|r| self.index.insert(r))?;
            report.stored += batch.len() as u64;
        }
        Ok(report)
    }

    /// Visits the stored records the caller may export (every record for the platform, its own
    /// for a country), in id order per kind, optionally of one owner only.
    pub fn export(
        &self,
        caller: Caller,
        owner: Option<CountryCode>,
        visit: &mut dyn FnMut(Record) -> bool,
    ) -> Result<()> {
        let own = match caller {
            Caller::Platform => owner,
            Caller::Country(c) => match owner {
                Some(o) if o != c => {
                    return Err(Error::PermissionDenied(format!(
                        "{c} may export only its own records"
                    )));
                }
                Some(_) | None => Some(c),
            },
        };
        // A page of each kind at a time, merged by id (ids are unique across kinds): memory
        // stays bounded whatever the size of the store.
        let mut pages: Vec<ExportPage> = Kind::ALL.iter().map(|k| ExportPage::new(*k)).collect();
        loop {
            for page in pages.iter_mut() {
                page.refill(self.store.as_ref(), own)?;
            }
            let next = pages
                .iter_mut()
                .filter(|p| !p.records.is_empty())
                .min_by(|a, b| a.records[0].id.cmp(&b.records[0].id));
            let Some(record) = next.and_then(|p| p.records.pop_front()) else {
                return Ok(());
            };
            if !visit(record) {
                return Ok(());
            }
        }
    }

    /// Walks the whole index: call it rarely.
    pub fn index_footprint(&self) -> IndexFootprint {
        self.index.footprint()
    }

    pub fn store_health(&self) -> StoreHealth {
        self.store.health()
    }

    pub fn stats(&self) -> EngineStats {
        EngineStats {
            records: self.index.stats(),
            disk_bytes: self.store.disk_bytes(),
        }
    }
}

/// Records read ahead from one kind's column for `export`.
struct ExportPage {
    kind: Kind,
    records: std::collections::VecDeque<Record>,
    /// The last key read; the next page starts after it.
    after: Option<Vec<u8>>,
    done: bool,
}

impl ExportPage {
    fn new(kind: Kind) -> Self {
        ExportPage {
            kind,
            records: Default::default(),
            after: None,
            done: false,
        }
    }

    /// Reads pages until one holds a record of the wanted owner, or the column ends.
    fn refill(&mut self, store: &dyn Store, owner: Option<CountryCode>) -> Result<()> {
        while self.records.is_empty() && !self.done {
            let mut failure = None;
            let mut read = 0;
            let after = self.after.take();
            store.scan(self.kind, after.as_deref(), &mut |key, value| {
                read += 1;
                self.after = Some(key.to_vec());
                match decode(value) {
                    Ok(r) if owner.is_none_or(|o| o == r.owner()) => self.records.push_back(r),
                    Ok(_) => {}
                    Err(e) => failure = Some(e),
                }
                failure.is_none() && read < EXPORT_PAGE
            })?;
            if let Some(e) = failure {
                return Err(e);
            }
            self.done = read < EXPORT_PAGE;
        }
        Ok(())
    }
}

fn decode(bytes: &[u8]) -> Result<Record> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Store(format!("not UTF-8: {e}")))?;
    Record::from_json_line(text).map_err(|e| Error::Store(format!("stored record unreadable: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn engine() -> (Arc<MemoryStore>, Engine) {
        let store = Arc::new(MemoryStore::default());
        let engine = Engine::open(store.clone()).unwrap();
        (store, engine)
    }

    fn lines(text: &[&str]) -> Vec<(u64, String)> {
        text.iter()
            .enumerate()
            .map(|(i, l)| (i as u64 + 1, (*l).to_owned()))
            .collect()
    }

    fn fra() -> CountryCode {
        CountryCode::parse("FRA").unwrap()
    }

    const DOC: &str = r#"{"kind":"document","id":"D1","owner":"FRA","number":"AB 12-34","issuing_country":"FRA","doc_type":"passport","status":"stolen","links":["P1","P2"]}"#;
    const P1: &str =
        r#"{"kind":"person","id":"P1","owner":"DEU","names":[{"given":"Anna","family":"Berg"}]}"#;
    const P2: &str = r#"{"kind":"person","id":"P2","owner":"DEU","review":"pending","names":[{"given":"Ole","family":"Berg"}]}"#;

    #[test]
    fn a_group_of_upserts_is_answered_as_if_written_one_by_one() {
        let (store, e) = engine();
        let x_fra = r#"{"kind":"document","id":"X","owner":"FRA","number":"N1","issuing_country":"FRA","doc_type":"passport","status":"stolen"}"#;
        let x_deu = r#"{"kind":"document","id":"X","owner":"DEU","number":"N2","issuing_country":"DEU","doc_type":"passport","status":"stolen"}"#;
        let x_person = r#"{"kind":"person","id":"X","owner":"FRA","names":[{"given":"Anna","family":"Berg"}]}"#;
        let y_fra = r#"{"kind":"document","id":"Y","owner":"FRA","number":"N3","issuing_country":"FRA","doc_type":"passport","status":"stolen"}"#;
        let calls = [
            ("FRA", x_fra),
            // Same id, other owner, in the same group: the first one's owner holds.
            ("DEU", x_deu),
            // Not the caller's record.
            ("ITA", y_fra),
            ("FRA", y_fra),
            // Same id again, now a person: the document column entry goes.
            ("FRA", x_person),
        ];
        let answers = e.upsert_group(
            calls
                .iter()
                .map(|(c, l)| {
                    let caller = Caller::Country(CountryCode::parse(c).unwrap());
                    (caller, Record::from_json_line(l).unwrap())
                })
                .collect(),
        );
        assert!(answers[0].is_ok());
        assert!(
            matches!(&answers[1], Err(Error::PermissionDenied(m)) if m.contains("never changes"))
        );
        assert!(matches!(answers[2], Err(Error::PermissionDenied(_))));
        assert!(answers[3].is_ok());
        assert_eq!(answers[4].as_ref().unwrap().kind(), Kind::Person);
        assert!(answers.iter().flatten().all(|r| r.updated_at.is_some()));
        assert_eq!(e.stats().records.documents, 1);
        assert_eq!(e.stats().records.persons, 1);
        assert_eq!(store.get(Kind::Document, "X").unwrap(), None);
        assert!(store.get(Kind::Person, "X").unwrap().is_some());
    }

    #[test]
    fn concurrent_upserts_are_all_stored_and_indexed() {
        let (_, e) = engine();
        std::thread::scope(|scope| {
            for t in 0..4 {
                let e = &e;
                scope.spawn(move || {
                    for i in 0..100 {
                        let line = format!(
                            r#"{{"kind":"document","id":"C{t}-{i}","owner":"FRA","number":"C{t}X{i}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#
                        );
                        let record = Record::from_json_line(&line).unwrap();
                        e.upsert(Caller::Country(fra()), record).unwrap();
                    }
                });
            }
        });
        assert_eq!(e.stats().records.documents, 400);
        for t in 0..4 {
            for i in 0..100 {
                let q = DocumentQuery {
                    number: format!("C{t}X{i}"),
                    issuing_country: None,
                    doc_type: None,
                };
                assert_eq!(e.lookup_document(fra(), &q).unwrap().len(), 1);
            }
        }
    }

    #[test]
    fn strict_import_stores_nothing_on_a_bad_line() {
        let (_, e) = engine();
        let report = e
            .import(Caller::Platform, lines(&[DOC, "{oops", P1, DOC]), false)
            .unwrap();
        assert_eq!(report.stored, 0);
        let bad: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
        assert_eq!(bad, [2, 4]);
        assert!(report.rejected[1].message.starts_with("id:"));
        assert_eq!(e.stats().records, IndexStats::default());
        let report = e
            .import(Caller::Platform, lines(&[DOC, "{oops", P1]), true)
            .unwrap();
        assert_eq!(report.stored, 2);
    }

    #[test]
    fn links_follow_visibility_and_restart_gives_the_same_answers() {
        let (store, e) = engine();
        e.import(Caller::Platform, lines(&[DOC, P1, P2]), false)
            .unwrap();
        let q = DocumentQuery {
            number: "ab1234".into(),
            issuing_country: None,
            doc_type: None,
        };
        let ita = CountryCode::parse("ITA").unwrap();
        let hits = e.lookup_document(ita, &q).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].linked, ["P1"]);
        let deu = CountryCode::parse("DEU").unwrap();
        assert_eq!(e.lookup_document(deu, &q).unwrap()[0].linked, ["P1", "P2"]);
        let reopened = Engine::open(store).unwrap();
        assert_eq!(reopened.lookup_document(ita, &q).unwrap(), hits);
        assert_eq!(reopened.stats().records, e.stats().records);
    }

    /// Every answer the index gives about `records`, for two callers: a document, object or
    /// person lookup from each record's own number, identifiers or name.
    fn answers(e: &Engine, records: &[Record]) -> Vec<String> {
        let mut out = Vec::new();
        for caller in ["FRA", "USA"].map(|c| CountryCode::parse(c).unwrap()) {
            for r in records {
                match &r.body {
                    crate::record::Body::Document(d) => {
                        let q = DocumentQuery {
                            number: d.number.clone(),
                            issuing_country: None,
                            doc_type: None,
                        };
                        out.push(format!("{:?}", e.lookup_document(caller, &q)));
                    }
                    crate::record::Body::Object(o) => {
                        for (key, value) in &o.identifiers {
                            let q = ObjectQuery {
                                object_type: Some(o.object_type),
                                identifier: value.clone(),
                                field: Some(key.clone()),
                                plate_country: None,
                            };
                            out.push(format!("{:?}", e.lookup_object(caller, &q)));
                        }
                    }
                    crate::record::Body::Person(p) => {
                        let q = PersonQuery {
                            name: Some(p.names[0].parts().collect::<Vec<_>>().join(" ")),
                            birth_date: p.birth_date,
                            ..PersonQuery::default()
                        };
                        out.push(format!("{:?}", e.search_persons(caller, &q)));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn a_saved_index_answers_as_the_rebuilt_one_and_a_stale_part_is_rebuilt() {
        let mut text = Vec::new();
        let config = crate::synth::GenConfig {
            persons: 300,
            documents: 300,
            objects: 600,
            seed: 11,
        };
        crate::synth::generate(&config, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        let input: Vec<(u64, String)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i as u64 + 1, l.to_owned()))
            .collect();
        let records: Vec<Record> = text
            .lines()
            .map(|l| Record::from_json_line(l).unwrap())
            .collect();
        let (store, e) = engine();
        let report = e.import(Caller::Platform, input, false).unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        let want = answers(&e, &records);
        assert!(
            want.iter().any(|a| a.contains("reasons")),
            "persons are found"
        );

        let dir = crate::snapshot::tests::temp_dir("engine-saved");
        let dirs = SavedIndex {
            documents: dir.join("documents.index"),
            records: dir.join("records.index"),
        };
        let both = SavedParts {
            documents: true,
            records: true,
            not_read: Vec::new(),
        };
        assert_eq!(e.save_index(&dirs).unwrap(), both);
        assert_eq!(
            e.save_index(&dirs).unwrap(),
            SavedParts::default(),
            "nothing changed"
        );
        let (back, read) = Engine::open_saved(store.clone(), &dirs).unwrap();
        assert_eq!(read, both);
        assert_eq!(back.stats().records, e.stats().records);
        assert_eq!(answers(&back, &records), want);

        // Writes go on over what was read back; one of a person makes that part stale only.
        let person = text
            .lines()
            .find(|l| l.contains(r#""kind":"person""#))
            .unwrap();
        let renamed = Record::from_json_line(&person.replacen(
            r#""names":[{"#,
            r#""names":[{"full":"Zebulon Quixote"},{"#,
            1,
        ))
        .unwrap();
        back.upsert(Caller::Platform, renamed.clone()).unwrap();
        let object = records.iter().find(|r| r.kind() == Kind::Object).unwrap();
        back.delete(Caller::Platform, object.id.as_str()).unwrap();
        let after = answers(&back, &records);
        assert_ne!(after, want);
        drop(back);
        let (again, read) = Engine::open_saved(store, &dirs).unwrap();
        assert!(read.documents && !read.records, "{read:?}");
        assert_eq!(answers(&again, &records), after);
        let q = PersonQuery {
            name: Some("zebulon quixote".into()),
            ..PersonQuery::default()
        };
        let found = again.search_persons(renamed.owner(), &q).unwrap();
        assert_eq!(found[0].id, renamed.id.as_str());
        std::fs::remove_dir_all(dir).unwrap();
    }

    mod model {
        use super::*;
        use proptest::prelude::*;

        const CODES: [&str; 4] = ["FRA", "DEU", "ITA", "ESP"];
        const REVIEWS: [&str; 3] = ["cleared", "pending", "refused"];

        /// (owner, review, restricted_to, number, links) per record `D{i}`.
        type Spec = (usize, usize, Option<Vec<usize>>, usize, Vec<usize>);

        fn line(i: usize, (owner, review, restricted, number, links): &Spec) -> String {
            let list = |v: &[usize], f: &dyn Fn(usize) -> String| {
                v.iter()
                    .map(|x| format!("\"{}\"", f(*x)))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let restricted = restricted
                .as_ref()
                .map(|r| format!(r#","restricted_to":[{}]"#, list(r, &|c| CODES[c].into())))
                .unwrap_or_default();
            format!(
                r#"{{"kind":"document","id":"D{i}","owner":"{}","review":"{}"{restricted},"links":[{}],"number":"N{number}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#,
                CODES[*owner],
                REVIEWS[*review],
                list(links, &|l| format!("D{l}")),
            )
        }

        fn sees(spec: &Spec, caller: usize) -> bool {
            let (owner, review, restricted, _, _) = spec;
            *owner == caller
                || (*review == 0
                    && restricted
                        .as_ref()
                        .is_none_or(|r| r.is_empty() || r.contains(&caller)))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            /// Every lookup answer equals the one computed from the rule on the plain records.
            #[test]
            fn lookups_match_the_model(
                specs in proptest::collection::vec(
                    (0usize..4, 0usize..3,
                     proptest::option::of(proptest::collection::vec(0usize..4, 0..3)),
                     0usize..5, proptest::collection::vec(0usize..12, 0..3)),
                    1..12),
                caller in 0usize..4,
                number in 0usize..5,
            ) {
                let (_, e) = engine();
                let text: Vec<String> = specs.iter().enumerate().map(|(i, s)| line(i, s)).collect();
                let refs: Vec<&str> = text.iter().map(String::as_str).collect();
                let report = e.import(Caller::Platform, lines(&refs), false).unwrap();
                prop_assert!(report.rejected.is_empty());
                let q = DocumentQuery { number: format!("n{number}"), issuing_country: None, doc_type: None };
                let who = CountryCode::parse(CODES[caller]).unwrap();
                let got: Vec<(String, Vec<String>)> = e.lookup_document(who, &q).unwrap()
                    .into_iter().map(|h| (h.id, h.linked)).collect();
                let mut want: Vec<(String, Vec<String>)> = specs.iter().enumerate()
                    .filter(|(_, s)| s.3 == number && sees(s, caller))
                    .map(|(i, s)| {
                        let linked = s.4.iter()
                            .filter(|l| specs.get(**l).is_some_and(|t| sees(t, caller)))
                            .map(|l| format!("D{l}")).collect();
                        (format!("D{i}"), linked)
                    })
                    .collect();
                want.sort();
                prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn export_merges_kinds_by_id_across_pages() {
        let (_, e) = engine();
        // More than a page of each kind, ids interleaved across kinds.
        let lines: Vec<String> = (0..3 * EXPORT_PAGE + 7)
            .map(|i| match i % 3 {
                0 => format!(r#"{{"kind":"person","id":"R{i:05}","owner":"DEU","names":[{{"family":"N{i}"}}]}}"#),
                1 => format!(r#"{{"kind":"document","id":"R{i:05}","owner":"FRA","number":"N{i}","issuing_country":"FRA","doc_type":"passport","status":"lost"}}"#),
                _ => format!(r#"{{"kind":"object","id":"R{i:05}","owner":"DEU","object_type":"other","identifiers":{{"serial":"S{i}"}},"status":"stolen"}}"#),
            })
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        e.import(Caller::Platform, super::tests::lines(&refs), false)
            .unwrap();
        let mut ids = Vec::new();
        e.export(Caller::Platform, None, &mut |r| {
            ids.push(r.id.as_str().to_owned());
            true
        })
        .unwrap();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids.len(), lines.len());
        assert_eq!(ids, sorted);
        let mut own = 0;
        e.export(Caller::Country(fra()), None, &mut |r| {
            assert_eq!(r.owner(), fra());
            own += 1;
            true
        })
        .unwrap();
        assert_eq!(own, (0..lines.len()).filter(|i| i % 3 == 1).count());
        let deu = CountryCode::parse("DEU").unwrap();
        assert!(
            e.export(Caller::Country(fra()), Some(deu), &mut |_| true)
                .is_err()
        );
    }

    #[test]
    fn only_the_owner_writes() {
        let (_, e) = engine();
        let doc = Record::from_json_line(DOC).unwrap();
        let deu = Caller::Country(CountryCode::parse("DEU").unwrap());
        assert!(matches!(
            e.upsert(deu, doc.clone()),
            Err(Error::PermissionDenied(_))
        ));
        e.upsert(Caller::Country(fra()), doc.clone()).unwrap();
        assert!(matches!(
            e.delete(deu, "D1"),
            Err(Error::PermissionDenied(_))
        ));
        let mut moved = doc;
        moved.visibility.owner = CountryCode::parse("DEU").unwrap();
        assert!(matches!(
            e.upsert(Caller::Platform, moved),
            Err(Error::PermissionDenied(_))
        ));
        e.delete(Caller::Country(fra()), "D1").unwrap();
        assert!(matches!(
            e.get(Caller::Platform, "D1"),
            Err(Error::NotFound(_))
        ));
    }

    #[test]
    fn a_taken_id_names_its_owner_only_to_those_who_may_see_the_record() {
        let (_, e) = engine();
        let pending = DOC.replace(r#""links""#, r#""review":"pending","links""#);
        e.upsert(Caller::Platform, Record::from_json_line(&pending).unwrap())
            .unwrap();
        let mut taken = Record::from_json_line(DOC).unwrap();
        taken.visibility.owner = CountryCode::parse("ITA").unwrap();
        let ita = Caller::Country(CountryCode::parse("ITA").unwrap());
        match e.upsert(ita, taken.clone()) {
            Err(Error::PermissionDenied(m)) => {
                assert!(!m.contains("FRA") && m.contains("another country"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        // Once cleared, ITA may see it, and is told whose it is.
        e.upsert(Caller::Platform, Record::from_json_line(DOC).unwrap())
            .unwrap();
        match e.upsert(ita, taken) {
            Err(Error::PermissionDenied(m)) => assert!(m.contains("FRA"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}

//! Loading a file far larger than one import call into an empty store: each chunk of lines is
//! parsed in parallel, its ids checked against every id seen before (in parallel by shard),
//! and its records, sorted by id per kind, handed to a sink that writes them as sorted files
//! (RocksDB SST files in `crosscheck-store`). The same validation and messages as an import;
//! a strict load stops writing at the first bad line but goes on validating, so that every bad
//! line is reported.

use rayon::prelude::*;

use crate::documents::{DocumentIndex, IdShard};
use crate::engine::Rejected;
use crate::error::Result;
use crate::index::IndexStats;
use crate::record::{Body, Kind, Record};
use crate::timestamp;

/// Writes sorted records of one kind (ids unique and ascending); called from many threads.
pub trait SortedSink: Sync {
    fn write_sorted(&self, kind: Kind, rows: &[(&str, &[u8])]) -> Result<()>;
}

/// Records per sorted file: a chunk of lines gives several, so that every core writes one
/// (writing and compressing them was a serial eighth of the load), without making tiny files.
const PIECE: usize = 1 << 16;

#[derive(Default)]
pub struct BulkReport {
    pub stored: IndexStats,
    pub rejected: Vec<Rejected>,
    /// The documents stored, indexed: saved beside the store so that its first start need
    /// not rebuild them.
    pub documents: DocumentIndex,
}

pub struct BulkLoad<'a> {
    sink: &'a dyn SortedSink,
    skip_invalid: bool,
    ids: Vec<IdShard>,
    now: String,
    report: BulkReport,
    /// The size of the input when known, until the first chunk has sized the tables by it.
    input_bytes: Option<u64>,
}

/// A good line of a chunk: its line, kind and record.
struct Row {
    line: u64,
    kind: Kind,
    record: Record,
}

impl Row {
    fn id(&self) -> &str {
        self.record.id.as_str()
    }
}

impl<'a> BulkLoad<'a> {
    pub fn new(sink: &'a dyn SortedSink, skip_invalid: bool) -> Self {
        BulkLoad {
            sink,
            skip_invalid,
            ids: IdShard::shards(),
            now: timestamp::now_rfc3339(),
            report: BulkReport::default(),
            input_bytes: None,
        }
    }

    /// The input is about this many bytes: the first chunk tells how many records that makes,
    /// and the id and document tables are sized for them once (growing them a doubling at a
    /// time rehashed them and touched twice the memory).
    pub fn expecting_bytes(mut self, bytes: u64) -> Self {
        self.input_bytes = Some(bytes);
        self
    }

    /// Takes the next lines of the file in order: (line number, text or why it is unreadable).
    pub fn add(&mut self, lines: Vec<(u64, std::result::Result<String, String>)>) -> Result<()> {
        let chunk_bytes: usize = lines
            .iter()
            .map(|(_, t)| t.as_ref().map_or(0, |t| t.len() + 1))
            .sum();
        let parsed: Vec<std::result::Result<Row, Rejected>> = lines
            .into_par_iter()
            .map(|(line, text)| {
                let mut record = text
                    .and_then(|t| Record::from_json_line(&t).map_err(|e| e.to_string()))
                    .map_err(|message| Rejected { line, message })?;
                record.updated_at.get_or_insert_with(|| self.now.clone());
                Ok(Row {
                    line,
                    kind: record.kind(),
                    record,
                })
            })
            .collect();
        let mut rows = Vec::with_capacity(parsed.len());
        for p in parsed {
            match p {
                Ok(row) => rows.push(row),
                Err(rejected) => self.report.rejected.push(rejected),
            }
        }
        if let Some(total) = self.input_bytes.take() {
            self.reserve(&rows, total as f64 / chunk_bytes.max(1) as f64);
        }
        for (at, first) in self.first_sightings(&rows)? {
            let r = &rows[at];
            self.report.rejected.push(Rejected {
                line: r.line,
                message: format!("id: `{}` already on line {first} of this file", r.id()),
            });
        }
        self.report.rejected.sort_by_key(|r| r.line);
        if !self.report.rejected.is_empty() && !self.skip_invalid {
            return Ok(());
        }
        let bad: std::collections::HashSet<u64> =
            self.report.rejected.iter().map(|r| r.line).collect();
        rows.retain(|r| !bad.contains(&r.line));
        self.write(rows)
    }

    /// Sizes the tables for `scale` times the rows of the first chunk.
    fn reserve(&mut self, rows: &[Row], scale: f64) {
        if scale <= 1.0 {
            return;
        }
        let mean = |n: usize, bytes: usize| bytes / n.max(1);
        let ids = rows.iter().map(|r| r.id().len()).sum();
        let id_bytes = mean(rows.len(), ids);
        let per_shard = crate::documents::per_shard((rows.len() as f64 * scale) as usize);
        self.ids
            .par_iter_mut()
            .for_each(|shard| shard.reserve(per_shard, id_bytes));
        let (documents, bytes) = rows
            .iter()
            .filter_map(|r| match &r.record.body {
                Body::Document(d) => Some(r.id().len() + d.number.len()),
                Body::Person(_) | Body::Object(_) => None,
            })
            .fold((0, 0), |(n, b), len| (n + 1, b + len));
        self.report
            .documents
            .reserve((documents as f64 * scale) as usize, mean(documents, bytes));
    }

    /// Rows whose id was seen before (earlier in the file or in `rows`), by position, with the
    /// line it was first seen on.
    fn first_sightings(&mut self, rows: &[Row]) -> Result<Vec<(usize, u64)>> {
        let mut by_shard: Vec<Vec<(usize, &Row)>> =
            (0..self.ids.len()).map(|_| Vec::new()).collect();
        for (at, r) in rows.iter().enumerate() {
            by_shard[IdShard::of(r.id())].push((at, r));
        }
        let found: Vec<Vec<(usize, u64)>> = self
            .ids
            .par_iter_mut()
            .zip(by_shard)
            .map(|(shard, rows)| {
                let mut dup = Vec::new();
                for (at, r) in rows {
                    if let Some(first) = shard.insert(r.id(), r.line)? {
                        dup.push((at, first));
                    }
                }
                Ok(dup)
            })
            .collect::<Result<_>>()?;
        Ok(found.into_iter().flatten().collect())
    }

    fn write(&mut self, mut rows: Vec<Row>) -> Result<()> {
        rows.par_sort_unstable_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id().cmp(b.id())));
        let pieces: Vec<&[Row]> = rows
            .chunk_by(|a, b| a.kind == b.kind)
            .flat_map(|same_kind| same_kind.chunks(PIECE))
            .collect();
        let documents = &self.report.documents;
        pieces.par_iter().try_for_each(|piece| {
            let kind = piece.first().map_or(Kind::Document, |r| r.kind);
            // The canonical lines of a piece in one buffer: no allocation per record.
            let mut json = Vec::new();
            let ends: Vec<usize> = piece
                .iter()
                .map(|r| {
                    r.record.write_json_line(&mut json);
                    json.len()
                })
                .collect();
            let starts = std::iter::once(0).chain(ends.iter().copied());
            let refs: Vec<(&str, &[u8])> = piece
                .iter()
                .zip(starts.zip(&ends))
                .map(|(r, (start, &end))| (r.id(), &json[start..end]))
                .collect();
            self.sink.write_sorted(kind, &refs)?;
            piece
                .iter()
                .try_for_each(|r| documents.insert_new_record(&r.record))
        })?;
        for r in &rows {
            let n = match r.kind {
                Kind::Person => &mut self.report.stored.persons,
                Kind::Document => &mut self.report.stored.documents,
                Kind::Object => &mut self.report.stored.objects,
            };
            *n += 1;
        }
        Ok(())
    }

    pub fn finish(self) -> BulkReport {
        self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parking_lot::Mutex;

    #[derive(Default)]
    struct Files(Mutex<Vec<(Kind, Vec<String>)>>);

    impl SortedSink for Files {
        fn write_sorted(&self, kind: Kind, rows: &[(&str, &[u8])]) -> Result<()> {
            for (id, json) in rows {
                // Each value is its record's canonical line, under its own id.
                let line = std::str::from_utf8(json).unwrap();
                let record = Record::from_json_line(line).unwrap();
                assert_eq!((record.id.as_str(), record.kind()), (*id, kind));
                assert_eq!(record.to_json_line(), line);
            }
            let ids = rows.iter().map(|(id, _)| (*id).to_owned()).collect();
            self.0.lock().push((kind, ids));
            Ok(())
        }
    }

    fn doc(id: &str) -> std::result::Result<String, String> {
        Ok(format!(
            r#"{{"kind":"document","id":"{id}","owner":"FRA","number":"X{id}","issuing_country":"FRA","doc_type":"passport","status":"stolen"}}"#
        ))
    }

    #[test]
    fn chunks_are_sorted_by_kind_and_id_and_bad_lines_named() {
        let files = Files::default();
        let mut load = BulkLoad::new(&files, true);
        load.add(vec![
            (1, doc("D-2")),
            (
                2,
                Ok(
                    r#"{"kind":"person","id":"P-1","owner":"FRA","names":[{"full":"Anna Berg"}]}"#
                        .into(),
                ),
            ),
            (3, doc("D-1")),
            (4, Err("not UTF-8".into())),
        ])
        .unwrap();
        load.add(vec![(5, doc("D-3")), (6, doc("D-2")), (7, Ok("{}".into()))])
            .unwrap();
        let report = load.finish();
        let rejected: Vec<(u64, &str)> = report
            .rejected
            .iter()
            .map(|r| (r.line, r.message.as_str()))
            .collect();
        assert_eq!(rejected[0], (4, "not UTF-8"));
        assert_eq!(rejected[1], (6, "id: `D-2` already on line 1 of this file"));
        assert_eq!(rejected[2].0, 7);
        assert_eq!((report.stored.persons, report.stored.documents), (1, 3));
        assert_eq!(report.documents.len(), 3);
        assert_eq!(report.documents.by_number("XD2")[0].id, "D-2");
        // Pieces are written in parallel: each is sorted, their order is not.
        let mut written = files.0.lock().clone();
        written.sort();
        assert_eq!(
            written,
            [
                (Kind::Person, vec!["P-1".to_owned()]),
                (Kind::Document, vec!["D-1".to_owned(), "D-2".to_owned()]),
                (Kind::Document, vec!["D-3".to_owned()]),
            ]
        );
    }

    #[test]
    fn a_load_of_known_size_sizes_its_document_tables_from_the_first_chunk() {
        let files = Files::default();
        let chunk = |c: usize| -> Vec<_> {
            (0..500)
                .map(|i| {
                    let n = c * 500 + i;
                    (n as u64 + 1, doc(&format!("D{n:05}")))
                })
                .collect()
        };
        let bytes: usize = chunk(0)
            .iter()
            .map(|(_, l)| l.as_ref().unwrap().len() + 1)
            .sum();
        let mut load = BulkLoad::new(&files, false).expecting_bytes(bytes as u64 * 8);
        load.add(chunk(0)).unwrap();
        let sized = load.report.documents.heap_bytes();
        for c in 1..8 {
            load.add(chunk(c)).unwrap();
        }
        let report = load.finish();
        assert_eq!(report.stored.documents, 4000);
        assert_eq!(report.documents.heap_bytes(), sized, "no table grew");
        assert_eq!(report.documents.by_number("XD03999")[0].id, "D03999");
    }

    #[test]
    fn a_strict_load_writes_nothing_after_a_bad_line_but_reports_every_one() {
        let files = Files::default();
        let mut load = BulkLoad::new(&files, false);
        load.add(vec![(1, doc("D-1")), (2, Err("bad".into()))])
            .unwrap();
        load.add(vec![(3, doc("D-1")), (4, doc("D-4"))]).unwrap();
        let report = load.finish();
        assert_eq!(report.rejected.len(), 2);
        assert_eq!(report.stored, IndexStats::default());
        assert!(files.0.lock().is_empty());
    }
}

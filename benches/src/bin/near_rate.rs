//! How often OCR near matches appear, at scale: indexes N generated documents (default
//! 10,000,000), then looks up
//! - `clean`: numbers of another seed's documents (not stored: an exact hit is a collision),
//!   counting how many get near hits, the false-alarm rate an officer would see;
//! - `misread`: stored numbers with one OCR-confusable character swapped, looked up by their
//!   owner, counting how many find their document as a near hit (a miss means another document
//!   holds the misread number exactly: near hits are offered only without an exact one).
//!
//!   near-rate [DOCUMENTS] [QUERIES]      defaults: 10000000 100000

use std::io::Write;
use std::time::Instant;

// Linked for its global allocator, the one the `crosscheck` binary runs with.
use crosscheck_benches as _;
use crosscheck_core::CountryCode;
use crosscheck_core::index::Index;
use crosscheck_core::matcher::TokenMatcher;
use crosscheck_core::query::{DocumentQuery, MatchKind};
use crosscheck_core::record::{Body, Record};
use crosscheck_core::synth::{self, GenConfig};
use rayon::prelude::*;

/// Feeds generated lines into the index in parallel batches, without holding the data set.
struct Indexer<'a> {
    index: &'a Index,
    pending: Vec<u8>,
    batch: Vec<String>,
    sample: Vec<String>,
    every: usize,
    seen: usize,
}

impl Indexer<'_> {
    fn index_batch(&mut self) {
        let index = self.index;
        std::mem::take(&mut self.batch).par_iter().for_each(|line| {
            // Generated lines are valid and far below the index's limits.
            if let Ok(r) = Record::from_json_line(line) {
                let _ = index.insert(&r);
            }
        });
    }
}

impl Write for Indexer<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line[..end]).into_owned();
            if self.seen.is_multiple_of(self.every) {
                self.sample.push(line.clone());
            }
            self.seen += 1;
            self.batch.push(line);
            if self.batch.len() == 100_000 {
                self.index_batch();
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.index_batch();
        Ok(())
    }
}

/// Document numbers with their owners (who may always see them).
fn numbers(lines: &[String]) -> Vec<(String, CountryCode)> {
    lines
        .iter()
        .filter_map(|l| {
            let r = Record::from_json_line(l).ok()?;
            match r.body {
                Body::Document(d) => Some((d.number, r.visibility.owner)),
                Body::Person(_) | Body::Object(_) => None,
            }
        })
        .collect()
}

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// One OCR-confusable character of a normalised number swapped, if it has one.
fn misread(number: &str) -> Option<String> {
    let pairs = [
        ('0', 'O'),
        ('1', 'I'),
        ('5', 'S'),
        ('8', 'B'),
        ('2', 'Z'),
        ('6', 'G'),
    ];
    let n: String = crosscheck_core::identifier::normalize(number);
    let (at, swapped) = n.char_indices().find_map(|(i, c)| {
        pairs
            .iter()
            .find_map(|&(a, b)| (c == a).then_some(b).or((c == b).then_some(a)))
            .map(|s| (i, s))
    })?;
    let mut out = n.clone();
    out.replace_range(at..at + 1, &swapped.to_string());
    Some(out)
}

fn main() -> std::io::Result<()> {
    let (documents, queries) = (arg(1, 10_000_000), arg(2, 100_000));
    let index = Index::new(Box::new(TokenMatcher::default()));
    let started = Instant::now();
    let mut indexer = Indexer {
        index: &index,
        pending: Vec::new(),
        batch: Vec::new(),
        sample: Vec::new(),
        every: (documents / queries).max(1) as usize,
        seen: 0,
    };
    let config = GenConfig {
        persons: 0,
        documents,
        objects: 0,
        seed: 42,
    };
    synth::generate(&config, &mut indexer)?;
    indexer.flush()?;
    let stored = numbers(&indexer.sample);
    println!(
        "indexed {documents} documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut other = Vec::new();
    synth::generate(
        &GenConfig {
            seed: 4242,
            documents: queries,
            ..config
        },
        &mut other,
    )?;
    let other: Vec<String> = String::from_utf8_lossy(&other)
        .lines()
        .map(str::to_owned)
        .collect();
    let caller = CountryCode::parse("FRA").map_err(std::io::Error::other)?;
    let look = |caller: CountryCode, n: &str| {
        index.documents(
            caller,
            &DocumentQuery {
                number: n.to_owned(),
                issuing_country: None,
                doc_type: None,
            },
        )
    };
    let (mut exact, mut near, mut total) = (0u64, 0u64, 0u64);
    let started = Instant::now();
    for (n, _) in numbers(&other) {
        let hits = look(caller, &n).unwrap_or_default();
        total += 1;
        if hits.iter().any(|h| h.match_kind == Some(MatchKind::Exact)) {
            exact += 1;
        } else if !hits.is_empty() {
            near += 1;
        }
    }
    let per_lookup = started.elapsed().as_secs_f64() * 1e6 / total.max(1) as f64;
    println!(
        "clean numbers not stored: {total} lookups, {exact} exact collisions, {near} with near hits \
         ({:.3}%), {per_lookup:.1} us per lookup",
        100.0 * near as f64 / total.max(1) as f64
    );
    let (mut found, mut tried) = (0u64, 0u64);
    // Asked by each document's owner, so that visibility does not hide it.
    for (n, owner) in &stored {
        let Some(m) = misread(n) else { continue };
        tried += 1;
        let want = crosscheck_core::identifier::normalize(n);
        let hits = look(*owner, &m).unwrap_or_default();
        if hits.iter().any(|h| h.match_kind == Some(MatchKind::Near)) || want == m {
            found += 1;
        }
    }
    println!(
        "stored numbers misread once: {tried} lookups, {found} found as near hits ({:.1}%)",
        100.0 * found as f64 / tried.max(1) as f64
    );
    Ok(())
}

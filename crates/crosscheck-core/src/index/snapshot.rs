//! The persons and objects part of the index saved to disk (`crate::snapshot`), read back at
//! start instead of rebuilt from the store: one file per shard with that shard's records
//! (kind, visibility, links, object keys), its object postings, its artwork title and artist
//! shards and the person matcher's shard.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use ahash::AHashMap;
use rayon::prelude::*;

use super::{Detail, Entry, Index, Postings, kind_slot};
use crate::fuzzy::{FuzzyIndex, SavedShard};
use crate::record::{Kind, Review, Visibility};
use crate::shard::{SHARDS, shard_of};
use crate::snapshot::{self, Dec, Enc, Magic, bad};

/// 2: a token keeps the word of another script it was read from.
const MAGIC: &Magic = b"CCRECIX2";

/// The persons and objects part read back, not yet in an index.
pub struct SavedRecords {
    records: Vec<AHashMap<Arc<str>, Entry>>,
    objects: Vec<Postings>,
    titles: Vec<SavedShard>,
    artists: Vec<SavedShard>,
    persons: Vec<Vec<u8>>,
}

/// The stamp of the records part saved in `dir` by this build, if there is one.
pub fn saved_stamp(dir: &Path) -> Option<u64> {
    snapshot::saved_stamp(dir, MAGIC)
}

fn encode_entry(id: &str, entry: &Entry, e: &mut Enc) {
    e.bytes(id.as_bytes());
    e.u8(entry.kind as u8);
    e.country(entry.visibility.owner);
    e.u8(entry.visibility.review as u8);
    e.countries(entry.visibility.restricted_to.as_deref());
    e.strs(&entry.links);
    match &entry.detail {
        Detail::Person => e.u8(0),
        Detail::Object {
            keys,
            plate_country,
        } => {
            e.u8(1);
            e.strs(keys);
            match plate_country {
                None => e.u8(0),
                Some(c) => {
                    e.u8(1);
                    e.country(*c);
                }
            }
        }
    }
}

fn one_of<T: Copy>(all: &[T], d: &mut Dec, what: &str) -> io::Result<T> {
    all.get(usize::from(d.u8()?))
        .copied()
        .ok_or_else(|| bad(what))
}

fn decode_entry(d: &mut Dec) -> io::Result<(Arc<str>, Entry)> {
    let id: Arc<str> = d.str()?.into();
    let kind = one_of(Kind::ALL, d, "kind")?;
    let visibility = Visibility {
        owner: d.country()?,
        review: one_of(Review::ALL, d, "review")?,
        restricted_to: d.countries()?,
    };
    let links = d.strs()?;
    let detail = match (d.u8()?, kind) {
        (0, Kind::Person) => Detail::Person,
        (1, Kind::Object) => Detail::Object {
            keys: d.strs()?,
            plate_country: match d.u8()? {
                0 => None,
                _ => Some(d.country()?),
            },
        },
        _ => return Err(bad("record detail of another kind")),
    };
    let entry = Entry {
        kind,
        visibility,
        links,
        detail,
    };
    Ok((id, entry))
}

/// A posting names its object by the shard file the object is written in and its place there:
/// read back without hashing or comparing an id.
type Place = (u8, u32);

/// One shard's file read back: its records in file order, its object postings by place.
struct ShardFile {
    records: Vec<(Arc<str>, Entry)>,
    postings: Vec<(Box<str>, Vec<Place>)>,
    titles: SavedShard,
    artists: SavedShard,
    persons: Vec<u8>,
}

impl Index {
    /// Writes the persons and objects part into `dir` (replaced as a whole), stamped with
    /// `stamp`; false, and nothing written, when the person matcher saves nothing. The caller
    /// keeps writes out meanwhile.
    pub fn save_records(&self, dir: &Path, stamp: u64) -> io::Result<bool> {
        if !self.persons.saves() {
            return Ok(false);
        }
        let records: Vec<_> = self.records.iter().map(|s| s.read()).collect();
        // A map unchanged iterates in the same order: the order its file is written in.
        let places: Vec<AHashMap<&str, u32>> = records
            .par_iter()
            .map(|m| {
                m.keys()
                    .enumerate()
                    .map(|(at, id)| (&**id, at as u32))
                    .collect()
            })
            .collect();
        snapshot::save(dir, MAGIC, stamp, |i, e| {
            e.len(records[i].len());
            for (id, entry) in records[i].iter() {
                encode_entry(id, entry, e);
            }
            let postings = self.objects[i].read();
            e.len(postings.len());
            for (key, ids) in postings.iter() {
                e.bytes(key.as_bytes());
                // Every listed id is a record (`insert` and `forget` keep them so).
                let listed: Vec<Place> = ids
                    .iter()
                    .filter_map(|id| {
                        let shard = shard_of(id.as_bytes());
                        places[shard].get(&**id).map(|at| (shard as u8, *at))
                    })
                    .collect();
                e.len(listed.len());
                for (shard, at) in listed {
                    e.u8(shard);
                    e.u32(at);
                }
            }
            drop(postings);
            self.titles.encode_shard(i, e);
            self.artists.encode_shard(i, e);
            let mut persons = Vec::new();
            self.persons.save_shard(i, &mut persons);
            e.bytes(&persons);
        })?;
        Ok(true)
    }

    /// Reads the persons and objects part saved in `dir` with this stamp; an error when it is
    /// missing, stale, of another build or damaged (the caller then rebuilds from the store).
    pub fn load_records(dir: &Path, stamp: u64) -> io::Result<SavedRecords> {
        let mut files = snapshot::load(dir, MAGIC, stamp, |i, d| {
            let records = (0..d.len()?)
                .map(|_| {
                    let (id, entry) = decode_entry(d)?;
                    if shard_of(id.as_bytes()) != i {
                        return Err(bad("record in another shard's file"));
                    }
                    Ok((id, entry))
                })
                .collect::<io::Result<Vec<_>>>()?;
            let postings = (0..d.len()?)
                .map(|_| {
                    let key: Box<str> = d.str()?.into();
                    let places = (0..d.len()?)
                        .map(|_| Ok((d.u8()?, d.u32()?)))
                        .collect::<io::Result<Vec<Place>>>()?;
                    Ok((key, places))
                })
                .collect::<io::Result<Vec<_>>>()?;
            Ok(ShardFile {
                records,
                postings,
                titles: FuzzyIndex::decode_shard(d, i)?,
                artists: FuzzyIndex::decode_shard(d, i)?,
                persons: d.bytes()?.to_vec(),
            })
        })?;
        let listed: Vec<_> = files
            .iter_mut()
            .map(|f| std::mem::take(&mut f.postings))
            .collect();
        let ids: Vec<Vec<&Arc<str>>> = files
            .iter()
            .map(|f| f.records.iter().map(|(id, _)| id).collect())
            .collect();
        let objects = listed
            .into_par_iter()
            .map(|listed| {
                let mut postings = Postings::with_capacity(listed.len());
                for (key, places) in listed {
                    let list = places
                        .iter()
                        .map(|(shard, at)| {
                            ids.get(usize::from(*shard))
                                .and_then(|s| s.get(*at as usize))
                                .map(|id| (*id).clone())
                                .ok_or_else(|| bad("posting names a missing record"))
                        })
                        .collect::<io::Result<Vec<_>>>()?;
                    postings.insert(key, list);
                }
                Ok(postings)
            })
            .collect::<io::Result<Vec<_>>>()?;
        drop(ids);
        let mut saved = SavedRecords {
            records: Vec::with_capacity(SHARDS),
            objects,
            titles: Vec::with_capacity(SHARDS),
            artists: Vec::with_capacity(SHARDS),
            persons: Vec::with_capacity(SHARDS),
        };
        saved.records = files
            .par_iter_mut()
            .map(|f| {
                let mut map = AHashMap::with_capacity(f.records.len());
                for (id, entry) in f.records.drain(..) {
                    if map.insert(id, entry).is_some() {
                        return Err(bad("one id twice"));
                    }
                }
                Ok(map)
            })
            .collect::<io::Result<_>>()?;
        for f in files {
            saved.titles.push(f.titles);
            saved.artists.push(f.artists);
            saved.persons.push(f.persons);
        }
        Ok(saved)
    }

    /// Fills a new index, holding no persons or objects yet, with a part read back; on an
    /// error (the matcher refusing its shards) the index is left as it was.
    pub fn restore_records(&self, saved: SavedRecords) -> io::Result<()> {
        let sections: Vec<&[u8]> = saved.persons.iter().map(Vec::as_slice).collect();
        self.persons.restore(&sections)?;
        for (lock, p) in self.objects.iter().zip(saved.objects) {
            *lock.write() = p;
        }
        for (lock, records) in self.records.iter().zip(saved.records) {
            for entry in records.values() {
                self.counts[kind_slot(entry.kind)].fetch_add(1, Ordering::Relaxed);
            }
            *lock.write() = records;
        }
        self.titles.install(saved.titles);
        self.artists.install(saved.artists);
        Ok(())
    }
}

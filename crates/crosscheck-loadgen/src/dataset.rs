//! The keys a run draws from: the records of a data set file (as `crosscheck gen` writes it) that
//! the calling country may see, so that a drawn hit is a hit for that caller, and made-up keys
//! that are in no record of the file, so that a drawn miss is a miss.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use crosscheck_core::identifier;
use crosscheck_core::query::{DocumentQuery, ObjectQuery, PersonQuery};
use crosscheck_core::record::{self, Body, Name, Object, PartialDate};
use crosscheck_core::{CountryCode, Record, visibility};
use rand::RngExt;
use rand_xorshift::XorShiftRng;

use crate::{Error, Result};

/// Letters and digits that document numbers and identifiers are made of.
const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

#[derive(Debug, Default)]
pub struct Dataset {
    documents: Vec<DocumentQuery>,
    persons: Vec<PersonQuery>,
    objects: Vec<ObjectQuery>,
    /// Every normalised document number of the file, visible or not: a miss must miss them all.
    numbers: HashSet<String>,
    /// Given and family names, mixed across persons to make names that look real but are no
    /// record's.
    given: Vec<String>,
    family: Vec<String>,
    /// Who the requests are made as: the owner of the records that upserts write.
    caller: Option<CountryCode>,
}

impl Dataset {
    /// Reads a record file; every line must be a valid record.
    pub fn load(path: &Path, caller: CountryCode) -> Result<Dataset> {
        let io = |cause| Error::Read {
            path: path.to_owned(),
            cause,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut dataset = Dataset {
            caller: Some(caller),
            ..Dataset::default()
        };
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            let record = Record::from_json_line(&line).map_err(|e| Error::Dataset {
                path: path.to_owned(),
                line: i + 1,
                reason: e.to_string(),
            })?;
            dataset.add(&record, caller);
        }
        if dataset.documents.is_empty() {
            return Err(Error::Config(format!(
                "{} holds no document that {caller} may see",
                path.display()
            )));
        }
        Ok(dataset)
    }

    #[cfg(test)]
    pub(crate) fn from_records(records: &[Record], caller: CountryCode) -> Dataset {
        let mut dataset = Dataset {
            caller: Some(caller),
            ..Dataset::default()
        };
        for r in records {
            dataset.add(r, caller);
        }
        dataset
    }

    fn add(&mut self, record: &Record, caller: CountryCode) {
        if let Body::Document(d) = &record.body {
            self.numbers.insert(d.normalized_number());
        }
        if !visibility::may_see(&record.visibility, caller) {
            return;
        }
        match &record.body {
            Body::Document(d) => self.documents.push(DocumentQuery {
                number: d.number.clone(),
                issuing_country: Some(d.issuing_country),
                doc_type: None,
            }),
            Body::Person(p) => {
                let Some(name) = p.names.first() else { return };
                self.given.extend(name.given.clone());
                self.family.extend(name.family.clone());
                self.persons.push(PersonQuery {
                    name: Some(full_name(name)),
                    birth_date: p.birth_date,
                    ..PersonQuery::default()
                });
            }
            Body::Object(o) => self.objects.extend(object_query(o)),
        }
    }

    pub fn documents(&self) -> usize {
        self.documents.len()
    }

    /// Whether a number is one of the file's documents.
    #[cfg(test)]
    pub(crate) fn is_stored(&self, number: &str) -> bool {
        self.numbers.contains(&identifier::normalize(number))
    }

    /// A stored number (`hit`) or a made-up one that no record of the file holds.
    pub fn document(&self, rng: &mut XorShiftRng, hit: bool) -> DocumentQuery {
        let known = &self.documents[rng.random_range(0..self.documents.len())];
        if hit {
            return known.clone();
        }
        loop {
            let number = random_identifier(rng, 9);
            if !self.numbers.contains(&identifier::normalize(&number)) {
                return DocumentQuery {
                    number,
                    issuing_country: known.issuing_country,
                    doc_type: None,
                };
            }
        }
    }

    /// A stored person's name and birth date, or a given name and a family name of two
    /// persons put together: a search the matcher has to work for, as for a real traveller.
    pub fn person(&self, rng: &mut XorShiftRng, hit: bool) -> Option<PersonQuery> {
        if hit || self.given.is_empty() || self.family.is_empty() {
            return pick(rng, &self.persons).cloned();
        }
        let given = &self.given[rng.random_range(0..self.given.len())];
        let family = &self.family[rng.random_range(0..self.family.len())];
        Some(PersonQuery {
            name: Some(format!("{given} {family}")),
            birth_date: Some(PartialDate {
                year: rng.random_range(1940..2010),
                month: Some(rng.random_range(1..=12)),
                day: Some(rng.random_range(1..=28)),
            }),
            ..PersonQuery::default()
        })
    }

    /// A stored object's identifier, or a made-up one searched under every key of its type.
    pub fn object(&self, rng: &mut XorShiftRng, hit: bool) -> Option<ObjectQuery> {
        let known = pick(rng, &self.objects)?;
        if hit {
            return Some(known.clone());
        }
        Some(ObjectQuery {
            object_type: known.object_type,
            identifier: random_identifier(rng, 12),
            field: None,
            plate_country: None,
        })
    }
}

impl Dataset {
    /// A new document record of the caller's, as one record line: a random id and number, so
    /// that every upsert adds a record to the store and the index (an online write).
    pub fn upsert(&self, rng: &mut XorShiftRng) -> String {
        let owner = self
            .caller
            .map_or_else(|| "FRA".to_owned(), |c| c.to_string());
        format!(
            r#"{{"kind":"document","id":"LG-{:016X}","owner":"{owner}","number":"{}","issuing_country":"{owner}","doc_type":"passport","status":"stolen","reported_on":"2026-01-01"}}"#,
            rng.random::<u64>(),
            random_identifier(rng, 9),
        )
    }
}

fn pick<'a, T>(rng: &mut XorShiftRng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.random_range(0..items.len())])
}

fn full_name(name: &Name) -> String {
    name.parts().collect::<Vec<_>>().join(" ")
}

/// The object's first identifier that identifies it on its own, with the plate's country.
fn object_query(o: &Object) -> Option<ObjectQuery> {
    let (key, value) = o
        .identifiers
        .iter()
        .find(|(k, _)| !record::is_qualifier_identifier(k))?;
    let plate_country = if key == "plate" {
        o.identifier("plate_country")
            .and_then(|c| CountryCode::parse(c).ok())
    } else {
        None
    };
    Some(ObjectQuery {
        object_type: Some(o.object_type),
        identifier: value.clone(),
        field: Some(key.clone()),
        plate_country,
    })
}

fn random_identifier(rng: &mut XorShiftRng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(ALPHANUMERIC[rng.random_range(0..ALPHANUMERIC.len())]))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::SeedableRng;

    pub(crate) fn generated(persons: u64, documents: u64, objects: u64) -> Vec<Record> {
        let mut buf = Vec::new();
        crosscheck_core::synth::generate(
            &crosscheck_core::synth::GenConfig {
                persons,
                documents,
                objects,
                seed: 3,
            },
            &mut buf,
        )
        .unwrap();
        String::from_utf8(buf)
            .unwrap()
            .lines()
            .map(|l| Record::from_json_line(l).unwrap())
            .collect()
    }

    #[test]
    fn only_records_the_caller_may_see_are_drawn_as_hits() {
        let records = generated(200, 2000, 300);
        let fra = CountryCode::parse("FRA").unwrap();
        let d = Dataset::from_records(&records, fra);
        let hidden = records
            .iter()
            .filter(|r| r.kind() == crosscheck_core::Kind::Document)
            .filter(|r| !visibility::may_see(&r.visibility, fra))
            .count();
        assert!(hidden > 0, "the generator hides some records");
        assert_eq!(d.documents() + hidden, 2000);
        assert!(!d.objects.is_empty() && !d.persons.is_empty());
    }

    #[test]
    fn hits_are_stored_numbers_and_misses_are_not() {
        let records = generated(50, 1000, 50);
        let d = Dataset::from_records(&records, CountryCode::parse("FRA").unwrap());
        let mut rng = XorShiftRng::seed_from_u64(9);
        for _ in 0..2000 {
            assert!(d.is_stored(&d.document(&mut rng, true).number));
            let miss = d.document(&mut rng, false);
            assert!(!d.is_stored(&miss.number));
            assert!(miss.issuing_country.is_some());
        }
    }

    #[test]
    fn every_drawn_query_is_valid() {
        let records = generated(300, 100, 500);
        let d = Dataset::from_records(&records, CountryCode::parse("DEU").unwrap());
        let mut rng = XorShiftRng::seed_from_u64(1);
        for i in 0..1000 {
            let hit = i % 2 == 0;
            let p = d.person(&mut rng, hit).unwrap();
            p.validate().unwrap();
            let o = d.object(&mut rng, hit).unwrap();
            o.targets().unwrap();
            for (_, key) in o.targets().unwrap() {
                o.normalized_for(key).unwrap();
            }
        }
    }
}

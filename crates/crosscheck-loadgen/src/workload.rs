//! What each request asks: its kind drawn by the mix's weights, its keys drawn from the data set,
//! a hit with the configured probability and a miss otherwise.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crosscheck_core::query::{DocumentQuery, ObjectQuery, PersonQuery};
use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;

use crate::dataset::Dataset;

/// The kinds of request, in report order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Document,
    Person,
    Object,
    Screen,
    Batch,
    Upsert,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Document,
        Kind::Person,
        Kind::Object,
        Kind::Screen,
        Kind::Batch,
        Kind::Upsert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Person => "person",
            Kind::Object => "object",
            Kind::Screen => "screen",
            Kind::Batch => "batch",
            Kind::Upsert => "upsert",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One request: a unary lookup, a batch of document checks on one `Screen` stream, or a batch
/// of document checks in one `LookupDocuments` call, or a write of one new record (a record
/// line) through `UpsertRecord`.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Document(DocumentQuery),
    Person(PersonQuery),
    Object(ObjectQuery),
    Screen(Vec<DocumentQuery>),
    Batch(Vec<DocumentQuery>),
    Upsert(String),
}

impl Op {
    pub fn kind(&self) -> Kind {
        match self {
            Op::Document(_) => Kind::Document,
            Op::Person(_) => Kind::Person,
            Op::Object(_) => Kind::Object,
            Op::Screen(_) => Kind::Screen,
            Op::Batch(_) => Kind::Batch,
            Op::Upsert(_) => Kind::Upsert,
        }
    }
}

/// Relative weights of the kinds, written `document=90,person=3,object=6,screen=1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mix {
    weights: [u32; Kind::ALL.len()],
}

impl Default for Mix {
    /// Border checks are mostly documents; manifests screened in batches are a small share of
    /// requests but many lookups each.
    fn default() -> Mix {
        Mix {
            weights: [90, 3, 6, 1, 0, 0],
        }
    }
}

impl Mix {
    pub fn only(kind: Kind) -> Mix {
        let mut weights = [0; Kind::ALL.len()];
        weights[kind.index()] = 1;
        Mix { weights }
    }

    fn draw(&self, rng: &mut XorShiftRng) -> Kind {
        let total: u32 = self.weights.iter().sum();
        let mut r = rng.random_range(0..total);
        for kind in Kind::ALL {
            let w = self.weights[kind.index()];
            if r < w {
                return kind;
            }
            r -= w;
        }
        Kind::Document
    }
}

impl FromStr for Mix {
    type Err = String;

    fn from_str(s: &str) -> Result<Mix, String> {
        let mut weights = [0; Kind::ALL.len()];
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, weight) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not KIND=WEIGHT"))?;
            let kind = Kind::ALL
                .into_iter()
                .find(|k| k.as_str() == name.trim())
                .ok_or_else(|| {
                    format!(
                        "`{name}` is not one of document, person, object, screen, batch, upsert"
                    )
                })?;
            weights[kind.index()] = weight
                .trim()
                .parse()
                .map_err(|_| format!("weight `{weight}` of {name} is not a whole number"))?;
        }
        if weights.iter().sum::<u32>() == 0 {
            return Err("give at least one kind a weight above 0".to_owned());
        }
        Ok(Mix { weights })
    }
}

impl fmt::Display for Mix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Kind::ALL
            .into_iter()
            .filter(|k| self.weights[k.index()] > 0)
            .map(|k| format!("{}={}", k.as_str(), self.weights[k.index()]))
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// A seeded stream of requests. Kinds the data set has no keys for are drawn as documents.
#[derive(Clone)]
pub struct Workload {
    dataset: Arc<Dataset>,
    mix: Mix,
    hit_ratio: f64,
    batch: usize,
    rng: XorShiftRng,
}

impl Workload {
    pub fn new(dataset: Arc<Dataset>, mix: Mix, hit_ratio: f64, batch: usize, seed: u64) -> Self {
        Workload {
            dataset,
            mix,
            hit_ratio,
            batch,
            rng: XorShiftRng::seed_from_u64(seed),
        }
    }

    /// The same workload with an independent stream of draws, for one of several workers.
    pub fn fork(&self, stream: u64) -> Workload {
        let mut w = self.clone();
        w.rng = XorShiftRng::seed_from_u64(self.rng.clone().random::<u64>() ^ stream);
        w
    }

    pub fn next_op(&mut self) -> Op {
        let hit = self.rng.random_bool(self.hit_ratio);
        let kind = self.mix.draw(&mut self.rng);
        let op = match kind {
            Kind::Person => self.dataset.person(&mut self.rng, hit).map(Op::Person),
            Kind::Object => self.dataset.object(&mut self.rng, hit).map(Op::Object),
            Kind::Screen => Some(Op::Screen(self.documents())),
            Kind::Batch => Some(Op::Batch(self.documents())),
            Kind::Upsert => Some(Op::Upsert(self.dataset.upsert(&mut self.rng))),
            Kind::Document => None,
        };
        op.unwrap_or_else(|| Op::Document(self.dataset.document(&mut self.rng, hit)))
    }

    /// `batch` document queries, each a hit with the configured probability.
    fn documents(&mut self) -> Vec<DocumentQuery> {
        (0..self.batch)
            .map(|_| {
                let hit = self.rng.random_bool(self.hit_ratio);
                self.dataset.document(&mut self.rng, hit)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_core::CountryCode;

    fn dataset() -> Arc<Dataset> {
        let records = crate::dataset::tests::generated(100, 1000, 100);
        let fra = CountryCode::parse("FRA").unwrap();
        Arc::new(Dataset::from_records(&records, fra))
    }

    #[test]
    fn mix_parses_and_prints_back() {
        let mix: Mix = "document=90, person=3,object=6,screen=1".parse().unwrap();
        assert_eq!(mix, Mix::default());
        assert_eq!(mix.to_string(), "document=90,person=3,object=6,screen=1");
        assert_eq!("person=1".parse::<Mix>().unwrap().to_string(), "person=1");
        assert!("document=0".parse::<Mix>().is_err());
        assert!("documents=1".parse::<Mix>().is_err());
        assert!("document".parse::<Mix>().is_err());
        assert!("document=-1".parse::<Mix>().is_err());
    }

    #[test]
    fn kinds_follow_the_weights() {
        let mix: Mix = "document=70,person=10,object=15,screen=5".parse().unwrap();
        let mut w = Workload::new(dataset(), mix, 0.0, 4, 11);
        let mut counts = [0usize; Kind::ALL.len()];
        let n = 100_000;
        for _ in 0..n {
            counts[w.next_op().kind().index()] += 1;
        }
        for (kind, expected) in Kind::ALL.into_iter().zip([0.70, 0.10, 0.15, 0.05]) {
            let share = counts[kind.index()] as f64 / n as f64;
            assert!(
                (share - expected).abs() < 0.01,
                "{}: {share} against {expected}",
                kind.as_str()
            );
        }
    }

    #[test]
    fn hit_ratio_decides_hits_and_screens_hold_a_batch() {
        let d = dataset();
        let mut all_hits = Workload::new(d.clone(), Mix::only(Kind::Screen), 1.0, 7, 1);
        let Op::Screen(batch) = all_hits.next_op() else {
            panic!("screen expected")
        };
        assert_eq!(batch.len(), 7);
        let mut hits = Workload::new(d.clone(), Mix::only(Kind::Document), 1.0, 1, 2);
        let mut misses = Workload::new(d.clone(), Mix::only(Kind::Document), 0.0, 1, 2);
        let mut half = Workload::new(d.clone(), Mix::only(Kind::Document), 0.5, 1, 2);
        let is_hit = |op: Op| {
            let Op::Document(q) = op else {
                panic!("document expected, got {op:?}")
            };
            d.is_stored(&q.number)
        };
        assert!((0..1000).all(|_| is_hit(hits.next_op())));
        assert!((0..1000).all(|_| !is_hit(misses.next_op())));
        let found = (0..10_000).filter(|_| is_hit(half.next_op())).count();
        assert!((4500..5500).contains(&found), "{found} hits of 10000");
    }

    #[test]
    fn same_seed_same_requests_and_forks_differ() {
        let d = dataset();
        let mut a = Workload::new(d.clone(), Mix::default(), 0.3, 3, 42);
        let mut b = Workload::new(d, Mix::default(), 0.3, 3, 42);
        let mut fork = a.fork(1);
        let from_a: Vec<Op> = (0..100).map(|_| a.next_op()).collect();
        let from_b: Vec<Op> = (0..100).map(|_| b.next_op()).collect();
        let from_fork: Vec<Op> = (0..100).map(|_| fork.next_op()).collect();
        assert_eq!(from_a, from_b);
        assert_ne!(from_a, from_fork);
    }
}

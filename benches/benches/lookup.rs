//! In-process hot paths: normalisation, document and object lookups (hit and miss), person
//! search, at a data set of CROSSCHECK_BENCH_DOCUMENTS documents (default 1,000,000).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use crosscheck_benches::{dataset, document_numbers, size};
use crosscheck_core::query::{DocumentQuery, ObjectQuery, PersonQuery, Query, TravellerQuery};
use rayon::prelude::*;

/// The ICAO 9303 specimen passport.
const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
use crosscheck_core::record::{Body, ObjectType};
use crosscheck_core::store::MemoryStore;
use crosscheck_core::{Caller, CountryCode, Engine, identifier};

fn bench(c: &mut Criterion) {
    let documents = size("CROSSCHECK_BENCH_DOCUMENTS", 1_000_000);
    let records = dataset(20_000, documents, 50_000);
    let numbers = document_numbers(&records);
    let imeis: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.body {
            Body::Object(o) => o.identifier("imei").map(str::to_owned),
            Body::Person(_) | Body::Document(_) => None,
        })
        .collect();
    let names: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.body {
            Body::Person(p) => Some(p.names[0].parts().collect::<Vec<_>>().join(" ")),
            Body::Document(_) | Body::Object(_) => None,
        })
        .collect();
    let lines = records
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, r.to_json_line()))
        .collect();
    drop(records);
    let engine = Engine::open(Arc::new(MemoryStore::default())).expect("empty store");
    let report = engine
        .import(Caller::Platform, lines, false)
        .expect("import");
    assert!(report.rejected.is_empty());
    let caller = CountryCode::parse("FRA").expect("FRA");
    let doc = |n: &str| DocumentQuery {
        number: n.to_owned(),
        issuing_country: None,
        doc_type: None,
    };

    c.bench_function("normalize document number", |b| {
        b.iter(|| identifier::normalize(black_box("C01X 00T-47/8")))
    });
    let mut i = 0;
    c.bench_function(&format!("document lookup hit ({documents} docs)"), |b| {
        b.iter(|| {
            i = (i + 7919) % numbers.len();
            engine
                .lookup_document(caller, &doc(&numbers[i]))
                .expect("lookup")
        })
    });
    c.bench_function(&format!("document lookup miss ({documents} docs)"), |b| {
        b.iter(|| {
            engine
                .lookup_document(caller, &doc(black_box("ZZ0000000")))
                .expect("lookup")
        })
    });
    let mut j = 0;
    c.bench_function("object lookup imei hit", |b| {
        b.iter(|| {
            j = (j + 31) % imeis.len();
            let q = ObjectQuery {
                object_type: Some(ObjectType::Phone),
                identifier: imeis[j].clone(),
                field: Some("imei".into()),
                plate_country: None,
            };
            engine.lookup_object(caller, &q).expect("lookup")
        })
    });
    c.bench_function("mrz parse TD3", |b| {
        b.iter(|| crosscheck_core::mrz::parse(black_box(TD3)).expect("specimen"))
    });
    let v = crosscheck_core::record::Visibility {
        owner: CountryCode::parse("DEU").expect("DEU"),
        review: crosscheck_core::record::Review::Cleared,
        restricted_to: Some(vec![CountryCode::parse("ITA").expect("ITA"), caller]),
    };
    c.bench_function("visibility check", |b| {
        b.iter(|| crosscheck_core::visibility::may_see(black_box(&v), black_box(caller)))
    });
    // A passenger manifest: every traveller's document and name, as a screening stream's batch
    // is answered (in parallel on the rayon pool); about one in ten is a stored person.
    let manifest: Vec<Query> = (0..500)
        .map(|t| {
            let holder = if t % 10 == 0 {
                names[(t * 37) % names.len()].clone()
            } else {
                format!("Traveller Nobody{t}")
            };
            Query::Traveller(TravellerQuery {
                document: Some(doc(&format!("X{t:08}"))),
                person: Some(PersonQuery {
                    name: Some(holder),
                    ..PersonQuery::default()
                }),
            })
        })
        .collect();
    c.bench_function("screen a 500-traveller manifest", |b| {
        b.iter(|| {
            manifest
                .par_iter()
                .map(|q| engine.run(caller, q).expect("screen"))
                .count()
        })
    });
    let mut k = 0;
    c.bench_function("person search (20k persons)", |b| {
        b.iter(|| {
            k = (k + 13) % names.len();
            let q = PersonQuery {
                name: Some(names[k].clone()),
                ..PersonQuery::default()
            };
            engine.search_persons(caller, &q).expect("search")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = bench
}
criterion_main!(benches);

//! `LookupDocuments`: a batch answers each query exactly as a unary `LookupDocument` would for
//! the same caller (so it shows no record, and no link, the caller may not see), lists only
//! the queries with hits by their position, and reports bad queries without failing the rest.

use crosscheck_core::query::DocumentQuery;
use crosscheck_core::record::Body;
use crosscheck_core::{CountryCode, Record};

use crate::harness::{TestServer, country, generated};

fn query(number: &str) -> DocumentQuery {
    DocumentQuery {
        number: number.to_owned(),
        issuing_country: None,
        doc_type: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_answers_as_the_unary_lookups_do() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let lines = generated(200, 2000, 100);
    assert_eq!(s.import(&lines, false).await.rejected.len(), 0);
    let records: Vec<Record> = lines
        .iter()
        .map(|l| Record::from_json_line(l).unwrap())
        .collect();
    let mut queries: Vec<DocumentQuery> = records
        .iter()
        .filter_map(|r| match &r.body {
            Body::Document(d) => Some(query(&d.number)),
            Body::Person(_) | Body::Object(_) => None,
        })
        .collect();
    // Misses, and a filter that excludes the stored document's country.
    queries.extend((0..200).map(|i| query(&format!("NOSUCH{i:04}"))));
    if let Some(q) = queries.first().cloned() {
        queries.push(DocumentQuery {
            issuing_country: country("ATA"),
            ..q
        });
    }
    let owners: Vec<CountryCode> = records.iter().take(3).map(Record::owner).collect();
    let callers = ["FRA", "DEU", "USA"]
        .map(|c| country(c).unwrap())
        .into_iter()
        .chain(owners);
    let mut hits_seen = 0;
    for caller in callers {
        let batch = s
            .client
            .lookup_documents(Some(caller), &queries)
            .await
            .unwrap();
        assert!(batch.errors.is_empty(), "{:?}", batch.errors);
        assert!(
            batch.found.windows(2).all(|w| w[0].0 < w[1].0),
            "found in request order, each once"
        );
        let mut found = batch.found.into_iter().peekable();
        for (i, q) in queries.iter().enumerate() {
            let unary = s.client.lookup_document(Some(caller), q).await.unwrap();
            let batched = match found.peek() {
                Some((at, _)) if *at == i => found.next().map(|(_, h)| h).unwrap(),
                _ => Vec::new(),
            };
            assert_eq!(batched, unary.hits, "query {i} ({}) as {caller}", q.number);
            hits_seen += batched.len();
        }
        assert!(found.next().is_none(), "no position beyond the request");
    }
    assert!(hits_seen > 2000, "the batches found the stored documents");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_queries_are_reported_by_position_and_the_rest_answered() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let doc = r#"{"kind":"document","id":"D-1","owner":"FRA","number":"AB123","issuing_country":"FRA","doc_type":"passport","status":"stolen"}"#;
    s.import(&[doc.to_owned()], false).await;
    let queries = [query("--"), query("ab 123"), query("ZZ9")];
    let batch = s
        .client
        .lookup_documents(country("FRA"), &queries)
        .await
        .unwrap();
    assert_eq!(batch.errors.len(), 1);
    assert_eq!(batch.errors[0].0, 0);
    assert!(
        batch.errors[0].1.starts_with("invalid_argument: number"),
        "{}",
        batch.errors[0].1
    );
    assert_eq!(batch.found.len(), 1);
    assert_eq!(batch.found[0].0, 1);
    assert_eq!(batch.found[0].1[0].id, "D-1");

    let empty = s
        .client
        .lookup_documents(country("FRA"), &[])
        .await
        .unwrap();
    assert!(empty.found.is_empty() && empty.errors.is_empty());

    let no_caller = s.client.lookup_documents(None, &queries).await.unwrap_err();
    assert_eq!(no_caller.code(), tonic::Code::Unauthenticated);

    let too_many = vec![query("X1"); 100_001];
    let status = s
        .client
        .lookup_documents(country("FRA"), &too_many)
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        status.message().starts_with("queries:"),
        "{}",
        status.message()
    );
}

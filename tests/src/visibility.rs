//! No lookup ever returns a record, or a linked record, that the caller may not see: checked
//! over gRPC on generated data against the rule written out plainly.

use std::collections::HashMap;

use crosscheck_core::query::{DocumentQuery, ObjectQuery, PersonQuery};
use crosscheck_core::record::{Body, Review};
use crosscheck_core::{CountryCode, Record};

use crate::harness::{TestServer, country, generated};

fn may_see(r: &Record, caller: CountryCode) -> bool {
    let v = &r.visibility;
    v.owner == caller
        || (v.review == Review::Cleared
            && v.restricted_to
                .as_ref()
                .is_none_or(|l| l.is_empty() || l.contains(&caller)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_records_and_links_never_leak() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let lines = generated(400, 3000, 600);
    assert_eq!(s.import(&lines, false).await.rejected.len(), 0);
    let records: HashMap<String, Record> = lines
        .iter()
        .map(|l| {
            let r = Record::from_json_line(l).unwrap();
            (r.id.as_str().to_owned(), r)
        })
        .collect();
    let hidden: Vec<&Record> = records
        .values()
        .filter(|r| {
            r.visibility.review != Review::Cleared
                || r.visibility
                    .restricted_to
                    .as_ref()
                    .is_some_and(|l| !l.is_empty())
        })
        .collect();
    assert!(
        hidden.len() > 50,
        "the generator must produce hidden records"
    );

    let callers = ["FRA", "DEU", "USA", "IND", "BRA"].map(|c| country(c).unwrap());
    let mut checked = 0;
    let mut owner_saw_own = 0;
    for r in hidden.iter().take(150) {
        for caller in callers.iter().copied().chain([r.owner()]) {
            let answer = match &r.body {
                Body::Document(d) => {
                    let q = DocumentQuery {
                        number: d.number.clone(),
                        issuing_country: None,
                        doc_type: None,
                    };
                    s.client.lookup_document(Some(caller), &q).await
                }
                Body::Person(p) => {
                    let n = &p.names[0];
                    let q = PersonQuery {
                        name: Some(n.parts().collect::<Vec<_>>().join(" ")),
                        min_score: Some(0.0),
                        limit: Some(50),
                        ..PersonQuery::default()
                    };
                    s.client.search_persons(Some(caller), &q).await
                }
                Body::Object(o) => {
                    let (key, value) = &o.identifiers[0];
                    let q = ObjectQuery {
                        object_type: Some(o.object_type),
                        identifier: value.clone(),
                        field: Some(key.clone()),
                        plate_country: None,
                    };
                    s.client.lookup_object(Some(caller), &q).await
                }
            }
            .unwrap();
            for hit in &answer.hits {
                let rec = &records[&hit.id];
                assert!(may_see(rec, caller), "{} leaked to {caller}", hit.id);
                for l in &hit.linked {
                    let linked = records.get(l).expect("links only to existing records");
                    assert!(may_see(linked, caller), "linked {l} leaked to {caller}");
                }
                // Links the caller may see are all there.
                let visible_links: Vec<&str> = rec
                    .links()
                    .iter()
                    .map(|l| l.as_str())
                    .filter(|l| records.get(*l).is_some_and(|x| may_see(x, caller)))
                    .collect();
                assert_eq!(hit.linked, visible_links);
            }
            if caller == r.owner() && answer.hits.iter().any(|h| h.id == r.id.as_str()) {
                owner_saw_own += 1;
            }
            checked += 1;
        }
    }
    assert!(checked >= 600);
    assert!(
        owner_saw_own >= 100,
        "owners must find their own hidden records: {owner_saw_own}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_and_delete_do_not_reveal_hidden_records() {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(dir.path()).await;
    let pending = r#"{"kind":"document","id":"D-P","owner":"FRA","review":"pending","number":"X1","issuing_country":"FRA","doc_type":"passport","status":"stolen"}"#;
    let restricted = r#"{"kind":"document","id":"D-R","owner":"FRA","restricted_to":["ESP"],"number":"X1","issuing_country":"FRA","doc_type":"passport","status":"stolen","links":["D-P"]}"#;
    s.import(&[pending.to_string(), restricted.to_string()], false)
        .await;
    let c = &s.client;
    let q = DocumentQuery {
        number: "x1".into(),
        issuing_country: None,
        doc_type: None,
    };
    let esp = c.lookup_document(country("ES"), &q).await.unwrap();
    assert_eq!(esp.hits.len(), 1);
    assert_eq!(esp.hits[0].id, "D-R");
    assert!(esp.hits[0].linked.is_empty(), "a pending link stays hidden");
    assert!(
        c.lookup_document(country("ITA"), &q)
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(
        c.lookup_document(country("FRA"), &q)
            .await
            .unwrap()
            .hits
            .len(),
        2
    );
    assert_eq!(
        c.get(country("ITA"), "D-P").await.unwrap_err().code(),
        tonic::Code::NotFound
    );
    assert_eq!(
        c.delete(country("ITA"), "D-P").await.unwrap_err().code(),
        tonic::Code::NotFound
    );
    assert!(c.get(country("ESP"), "D-R").await.is_ok());
}

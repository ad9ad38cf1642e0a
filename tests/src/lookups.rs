//! Every lookup kind over gRPC, bad input on every field, identity, health.

use crosscheck_core::query::{DocumentQuery, ObjectQuery, PersonQuery};
use crosscheck_core::record::{ObjectType, PartialDate};
use tonic::Code;

use crate::harness::{TestServer, country};

const RECORDS: &[&str] = &[
    r#"{"kind":"person","id":"P-17","owner":"FRA","names":[{"given":"Пётр","family":"Смирнов"},{"full":"Petr SMIRNOV"}],"birth_date":"1975-03","sex":"M","nationalities":["RUS"],"notices":["red"],"links":["D-311"]}"#,
    r#"{"kind":"person","id":"P-18","owner":"FRA","names":[{"given":"Petr","family":"Smirnov"}],"birth_date":"1990-11-02"}"#,
    r#"{"kind":"document","id":"D-311","owner":"DEU","number":"C01X 00T47","issuing_country":"D","doc_type":"passport","status":"stolen","links":["P-17"]}"#,
    r#"{"kind":"document","id":"D-312","owner":"ITA","number":"C01X00T47","issuing_country":"ITA","doc_type":"id_card","status":"lost"}"#,
    r#"{"kind":"object","id":"O-42","owner":"ITA","object_type":"vehicle","identifiers":{"vin":"1M8GDM9AXKP042788","plate":"AB 123 CD","plate_country":"FRA"},"status":"stolen"}"#,
    r#"{"kind":"object","id":"O-43","owner":"ESP","object_type":"artwork","identifiers":{"title":"The Garden of Earthly Delights","artist":"Hieronymus Bosch"},"status":"stolen"}"#,
    r#"{"kind":"object","id":"O-44","owner":"NLD","object_type":"chemical","identifiers":{"cas":"6484-52-2","lot":"L-2024-77"},"status":"stolen"}"#,
];

async fn server() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let lines: Vec<String> = RECORDS.iter().map(|s| s.to_string()).collect();
    let summary = server.import(&lines, false).await;
    assert_eq!(
        (summary.stored, summary.rejected.len()),
        (7, 0),
        "{summary:?}"
    );
    (dir, server)
}

fn doc(number: &str, issuing: Option<&str>) -> DocumentQuery {
    DocumentQuery {
        number: number.into(),
        issuing_country: issuing.and_then(country),
        doc_type: None,
    }
}

fn obj(t: Option<ObjectType>, field: Option<&str>, identifier: &str) -> ObjectQuery {
    ObjectQuery {
        object_type: t,
        identifier: identifier.into(),
        field: field.map(str::to_owned),
        plate_country: None,
    }
}

fn ids(hits: &[crosscheck_core::query::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_by_normalised_number_and_filters() {
    let (_dir, s) = server().await;
    let c = &s.client;
    let all = c
        .lookup_document(country("GBR"), &doc("c01x-00t47", None))
        .await
        .unwrap();
    assert_eq!(ids(&all.hits), ["D-311", "D-312"]);
    assert!(
        all.hits
            .iter()
            .all(|h| h.match_kind.is_some() && h.score == 1.0)
    );
    assert_eq!(all.hits[0].linked, ["P-17"]);
    let de = c
        .lookup_document(country("GBR"), &doc("C01X00T47", Some("DE")))
        .await
        .unwrap();
    assert_eq!(ids(&de.hits), ["D-311"]);
    let typed = DocumentQuery {
        doc_type: Some(crosscheck_core::record::DocType::IdCard),
        ..doc("C01X00T47", None)
    };
    assert_eq!(
        ids(&c
            .lookup_document(country("GBR"), &typed)
            .await
            .unwrap()
            .hits),
        ["D-312"]
    );
    assert!(
        c.lookup_document(country("GBR"), &doc("ZZ999", None))
            .await
            .unwrap()
            .hits
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persons_across_scripts_ranked_with_birth_dates() {
    let (_dir, s) = server().await;
    let q = PersonQuery {
        name: Some("SMIRNOV PETR".into()),
        birth_date: Some(PartialDate::parse("b", "1975").unwrap()),
        ..PersonQuery::default()
    };
    let found = s.client.search_persons(country("POL"), &q).await.unwrap();
    assert_eq!(found.hits[0].id, "P-17");
    assert!(
        found.hits[0]
            .reasons
            .iter()
            .any(|r| r.contains("birth_date"))
    );
    assert_eq!(found.hits[0].linked, ["D-311"]);
    let cyr = PersonQuery {
        given: Some("Пётр".into()),
        family: Some("Смирнов".into()),
        birth_date: Some(PartialDate::parse("b", "1990-11-02").unwrap()),
        ..PersonQuery::default()
    };
    let found = s.client.search_persons(country("POL"), &cyr).await.unwrap();
    assert_eq!(found.hits[0].id, "P-18");
    let nobody = PersonQuery {
        name: Some("Kahurangi Greenwood".into()),
        ..PersonQuery::default()
    };
    assert!(
        s.client
            .search_persons(country("POL"), &nobody)
            .await
            .unwrap()
            .hits
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_by_identifier_plate_and_title() {
    let (_dir, s) = server().await;
    let c = &s.client;
    let gbr = country("GBR");
    let vin = obj(Some(ObjectType::Vehicle), Some("vin"), "1m8gdm9axkp042788");
    assert_eq!(
        ids(&c.lookup_object(gbr, &vin).await.unwrap().hits),
        ["O-42"]
    );
    let plate = obj(Some(ObjectType::Vehicle), Some("plate"), "ab-123-cd");
    assert_eq!(
        ids(&c.lookup_object(gbr, &plate).await.unwrap().hits),
        ["O-42"]
    );
    let in_france = ObjectQuery {
        plate_country: country("FR"),
        ..plate.clone()
    };
    assert_eq!(
        ids(&c.lookup_object(gbr, &in_france).await.unwrap().hits),
        ["O-42"]
    );
    let in_spain = ObjectQuery {
        plate_country: country("ESP"),
        ..plate
    };
    assert!(
        c.lookup_object(gbr, &in_spain)
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    let title = obj(
        Some(ObjectType::Artwork),
        Some("title"),
        "garden of earthly delight",
    );
    assert_eq!(
        ids(&c.lookup_object(gbr, &title).await.unwrap().hits),
        ["O-43"]
    );
    let cas = obj(Some(ObjectType::Chemical), Some("cas"), "6484522");
    assert_eq!(
        ids(&c.lookup_object(gbr, &cas).await.unwrap().hits),
        ["O-44"]
    );
    let any_field = obj(Some(ObjectType::Chemical), None, "L 2024 77");
    assert_eq!(
        ids(&c.lookup_object(gbr, &any_field).await.unwrap().hits),
        ["O-44"]
    );
}

fn with_caller<T>(message: T) -> tonic::Request<T> {
    let mut r = tonic::Request::new(message);
    r.metadata_mut()
        .insert("crosscheck-country", "GBR".parse().unwrap());
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_invalid_argument_naming_the_field() {
    let (_dir, s) = server().await;
    let c = &s.client;
    let gbr = country("GBR");
    let check = |r: Result<crosscheck_client::Lookup, tonic::Status>, field: &str| {
        let e = r.expect_err("must fail");
        assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");
        assert!(e.message().contains(field), "{field}: {}", e.message());
    };
    check(c.lookup_document(gbr, &doc("--", None)).await, "number");
    let mut raw = crosscheck_client::messages::DocumentQuery {
        number: "AB1".into(),
        issuing_country: "XYZ".into(),
        doc_type: String::new(),
    };
    let mut grpc = crosscheck_client::messages::crosscheck_client::CrosscheckClient::connect(
        format!("http://{}", s.addr),
    )
    .await
    .unwrap();
    let e = grpc
        .lookup_document(with_caller(raw.clone()))
        .await
        .unwrap_err();
    assert!(e.message().contains("issuing_country"), "{e:?}");
    raw.issuing_country = String::new();
    raw.doc_type = "scroll".into();
    let e = grpc.lookup_document(with_caller(raw)).await.unwrap_err();
    assert!(e.message().contains("doc_type"), "{e:?}");
    let bad_person = crosscheck_client::messages::PersonQuery {
        name: "A B".into(),
        birth_date: "1990-13".into(),
        sex: "Q".into(),
        ..Default::default()
    };
    let e = grpc
        .search_persons(with_caller(bad_person))
        .await
        .unwrap_err();
    assert!(e.message().contains("birth_date"), "{e:?}");
    let e = grpc
        .search_persons(with_caller(crosscheck_client::messages::PersonQuery {
            name: "A B".into(),
            sex: "Q".into(),
            ..Default::default()
        }))
        .await
        .unwrap_err();
    assert!(e.message().contains("sex"), "{e:?}");
    check(
        c.lookup_object(
            gbr,
            &obj(Some(ObjectType::Vehicle), Some("vin"), "1M8GDM9A5KP042788"),
        )
        .await,
        "check digit",
    );
    check(
        c.lookup_object(gbr, &obj(Some(ObjectType::Phone), Some("vin"), "X"))
            .await,
        "field",
    );
    check(
        c.lookup_object(gbr, &obj(None, Some("imei"), "490154203237519"))
            .await,
        "check digit",
    );
    check(
        c.lookup_object(gbr, &obj(None, Some("cas"), "6484-52-3"))
            .await,
        "check digit",
    );
    check(
        c.search_persons(
            gbr,
            &PersonQuery {
                limit: Some(0),
                ..PersonQuery::default()
            },
        )
        .await,
        "name",
    );
    let e = c.upsert(gbr, r#"{"kind":"document"}"#).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    assert!(e.message().contains("id"), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_without_a_country_are_unauthenticated() {
    let (_dir, s) = server().await;
    let e = s
        .client
        .lookup_document(None, &doc("C01X00T47", None))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    let e = s.client.upsert(None, RECORDS[2]).await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    let mut grpc = crosscheck_client::messages::crosscheck_client::CrosscheckClient::connect(
        format!("http://{}", s.addr),
    )
    .await
    .unwrap();
    let mut r = tonic::Request::new(crosscheck_client::messages::GetRequest { id: "D-311".into() });
    r.metadata_mut()
        .insert("crosscheck-country", "NOPE".parse().unwrap());
    assert_eq!(
        grpc.get_record(r).await.unwrap_err().code(),
        Code::Unauthenticated
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_serving() {
    let (_dir, s) = server().await;
    let mut health = {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", s.addr))
            .unwrap()
            .connect()
            .await
            .unwrap();
        tonic_health::pb::health_client::HealthClient::new(channel)
    };
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "crosscheck.v1.Crosscheck".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(
        status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    let stats = s.client.stats(country("FRA")).await.unwrap();
    assert_eq!((stats.persons, stats.documents, stats.objects), (2, 2, 3));
    s.stop().await;
}

/// A TD3 zone with correct check digits for the given fields.
fn td3(
    state: &str,
    family: &str,
    given: &str,
    number: &str,
    nationality: &str,
    dob: &str,
) -> String {
    use crosscheck_core::mrz::check_digit;
    let cd = |s: &str| check_digit(s).unwrap();
    let l1 = format!("P<{state:<<3}{family}<<{given}");
    let l1 = format!("{l1:<<44}");
    let mut l2 = format!(
        "{number:<<9}{}{nationality}{dob}{}M300101{}",
        cd(&format!("{number:<<9}")),
        cd(dob),
        cd("300101")
    );
    l2.push_str(&"<".repeat(14));
    l2.push('<');
    let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
    l2.push(cd(&composite));
    format!("{l1}\n{l2}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn travellers_are_screened_from_the_zone_or_from_fields() {
    use crosscheck_client::messages::TravellerQuery;
    use crosscheck_core::query::Verdict;
    let (_dir, s) = server().await;
    let c = &s.client;
    let zone = |mrz: String| TravellerQuery {
        mrz,
        ..TravellerQuery::default()
    };
    let both = c
        .screen_traveller(
            country("GBR"),
            zone(td3("D", "SMIRNOV", "PETR", "C01X00T47", "RUS", "750315")),
        )
        .await
        .unwrap();
    assert_eq!(both.verdict, Verdict::Both);
    assert_eq!(ids(&both.hits), ["D-311", "P-17"]);
    assert_eq!(
        both.parsed.as_ref().map(|p| p.issuing_state.as_str()),
        Some("D")
    );
    let doc_only = c
        .screen_traveller(
            country("GBR"),
            zone(td3("ITA", "ROSSI", "MARIO", "C01X00T47", "ITA", "800101")),
        )
        .await
        .unwrap();
    assert_eq!(
        (doc_only.verdict, ids(&doc_only.hits)),
        (Verdict::DocumentHit, vec!["D-312"])
    );
    let clean = c
        .screen_traveller(
            country("GBR"),
            zone(td3("FRA", "MARTIN", "LUC", "AB1234567", "FRA", "800101")),
        )
        .await
        .unwrap();
    assert_eq!((clean.verdict, clean.hits.len()), (Verdict::NoHit, 0));

    let mut broken = td3("D", "SMIRNOV", "PETR", "C01X00T47", "RUS", "750315");
    broken.replace_range(45 + 19..45 + 20, "0");
    let e = c
        .screen_traveller(country("GBR"), zone(broken))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    assert!(
        e.message().contains("check digit for birth date"),
        "{}",
        e.message()
    );

    let fields = crosscheck_core::query::TravellerQuery {
        document: None,
        person: Some(PersonQuery {
            given: Some("Petr".into()),
            family: Some("Smirnov".into()),
            birth_date: Some(PartialDate::parse("b", "1990-11-02").unwrap()),
            ..PersonQuery::default()
        }),
    };
    let person = c
        .screen_traveller(country("GBR"), (&fields).into())
        .await
        .unwrap();
    assert_eq!(person.verdict, Verdict::PersonHit);
    assert_eq!(person.hits[0].id, "P-18");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screening_stream_answers_every_query_on_its_own() {
    use crosscheck_core::query::{Query, TravellerQuery};
    use futures::StreamExt;
    let (_dir, s) = server().await;
    let zone = td3("D", "SMIRNOV", "PETR", "C01X00T47", "RUS", "750315");
    let queries = [
        Query::Document(doc("C01X00T47", Some("DEU"))),
        Query::Document(doc("--", None)),
        Query::Mrz(zone.replace("750315", "750316")),
        Query::Mrz(zone),
        Query::Object(obj(
            Some(ObjectType::Phone),
            Some("imei"),
            "490154203237518",
        )),
        Query::Traveller(TravellerQuery {
            document: Some(doc("NOPE1", None)),
            person: None,
        }),
    ];
    // Many copies, so that several batches are in flight at once.
    let requests: Vec<_> = (0..50)
        .flat_map(|round| {
            queries
                .iter()
                .enumerate()
                .map(move |(i, q)| crosscheck_client::screen_request(format!("{round}:{i}"), q))
        })
        .collect();
    let answers: Vec<_> = s
        .client
        .screen(country("GBR"), futures::stream::iter(requests))
        .await
        .unwrap()
        .map(|a| a.unwrap())
        .collect()
        .await;
    assert_eq!(answers.len(), 300);
    for a in &answers {
        let kind = a.tag.split(':').nth(1).unwrap();
        match kind {
            "0" => assert_eq!(ids(&a.hits), ["D-311"]),
            "1" => assert!(
                a.error
                    .as_deref()
                    .unwrap()
                    .starts_with("invalid_argument: number")
            ),
            "2" => assert!(a.error.as_deref().unwrap().contains("check digit"), "{a:?}"),
            "3" => assert_eq!(a.verdict, Some(crosscheck_core::query::Verdict::Both)),
            "4" => assert!(a.hits.is_empty() && a.error.is_none()),
            "5" => assert_eq!(a.verdict, Some(crosscheck_core::query::Verdict::NoHit)),
            other => panic!("unknown tag {other}"),
        }
    }
    let e = match s
        .client
        .screen(None, futures::stream::iter(Vec::new()))
        .await
    {
        Ok(_) => panic!("a stream without a caller must be refused"),
        Err(e) => e,
    };
    assert_eq!(e.code(), Code::Unauthenticated);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ocr_confusions_give_near_hits_only_without_an_exact_one() {
    let (_dir, s) = server().await;
    let c = &s.client;
    let near = c
        .lookup_document(country("GBR"), &doc("CO1X0OT47", Some("DEU")))
        .await
        .unwrap();
    assert_eq!(ids(&near.hits), ["D-311"]);
    assert_eq!(
        near.hits[0].match_kind,
        Some(crosscheck_core::query::MatchKind::Near)
    );
    assert!(near.hits[0].score < 1.0);
    assert!(
        near.hits[0].reasons[0].contains("read O as 0"),
        "{:?}",
        near.hits[0].reasons
    );
    let exact = c
        .lookup_document(country("GBR"), &doc("C01X00T47", Some("DEU")))
        .await
        .unwrap();
    assert_eq!(
        exact.hits[0].match_kind,
        Some(crosscheck_core::query::MatchKind::Exact)
    );
}

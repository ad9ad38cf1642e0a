//! crosscheck-proto: the gRPC contract compiled from `proto/` (no system protoc), and the
//! conversions between its messages and core types, with errors naming the field.

use crosscheck_core::FieldError;
use crosscheck_core::mrz::Mrz;
use crosscheck_core::query::{DocumentQuery, Hit, ObjectQuery, PersonQuery, Query, TravellerQuery};
use crosscheck_core::record::{self, DocType, ObjectType, PartialDate, Sex};

pub use tonic;

#[allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("crosscheck.v1");
}

/// The encoded descriptor set, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/crosscheck_descriptor.bin"));

/// Metadata key carrying the calling country on a development server.
pub const COUNTRY_HEADER: &str = "crosscheck-country";

fn opt(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

fn opt_owned(s: String) -> Option<String> {
    opt(&s).is_some().then_some(s)
}

/// Empty string means absent, as proto3 cannot tell them apart.
pub fn optional_country(
    field: &str,
    s: &str,
) -> Result<Option<crosscheck_core::CountryCode>, FieldError> {
    opt(s).map(|c| record::country(field, c)).transpose()
}

impl TryFrom<pb::DocumentQuery> for DocumentQuery {
    type Error = FieldError;

    fn try_from(q: pb::DocumentQuery) -> Result<Self, FieldError> {
        let out = DocumentQuery {
            issuing_country: optional_country("issuing_country", &q.issuing_country)?,
            doc_type: opt(&q.doc_type)
                .map(|t| DocType::parse("doc_type", t))
                .transpose()?,
            number: q.number,
        };
        out.normalized_number()?;
        Ok(out)
    }
}

impl From<&DocumentQuery> for pb::DocumentQuery {
    fn from(q: &DocumentQuery) -> Self {
        pb::DocumentQuery {
            number: q.number.clone(),
            issuing_country: q.issuing_country.map(|c| c.to_string()).unwrap_or_default(),
            doc_type: q
                .doc_type
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
        }
    }
}

impl TryFrom<pb::PersonQuery> for PersonQuery {
    type Error = FieldError;

    fn try_from(q: pb::PersonQuery) -> Result<Self, FieldError> {
        let out = PersonQuery {
            birth_date: opt(&q.birth_date)
                .map(|d| PartialDate::parse("birth_date", d))
                .transpose()?,
            nationality: optional_country("nationality", &q.nationality)?,
            sex: opt(&q.sex).map(|s| Sex::parse("sex", s)).transpose()?,
            limit: (q.limit > 0).then_some(q.limit as usize),
            min_score: q.min_score,
            name: opt_owned(q.name),
            given: opt_owned(q.given),
            family: opt_owned(q.family),
        };
        out.validate()?;
        Ok(out)
    }
}

impl From<&PersonQuery> for pb::PersonQuery {
    fn from(q: &PersonQuery) -> Self {
        pb::PersonQuery {
            name: q.name.clone().unwrap_or_default(),
            given: q.given.clone().unwrap_or_default(),
            family: q.family.clone().unwrap_or_default(),
            birth_date: q.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            nationality: q.nationality.map(|c| c.to_string()).unwrap_or_default(),
            sex: q.sex.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            limit: q.limit.map_or(0, |l| l.min(u32::MAX as usize) as u32),
            min_score: q.min_score,
        }
    }
}

impl TryFrom<pb::ObjectQuery> for ObjectQuery {
    type Error = FieldError;

    fn try_from(q: pb::ObjectQuery) -> Result<Self, FieldError> {
        if opt(&q.identifier).is_none() {
            return Err(FieldError::new("identifier", "required field missing"));
        }
        let out = ObjectQuery {
            object_type: opt(&q.object_type)
                .map(|t| ObjectType::parse("object_type", t))
                .transpose()?,
            plate_country: optional_country("plate_country", &q.plate_country)?,
            field: opt_owned(q.field),
            identifier: q.identifier,
        };
        out.targets()?;
        Ok(out)
    }
}

impl From<&ObjectQuery> for pb::ObjectQuery {
    fn from(q: &ObjectQuery) -> Self {
        pb::ObjectQuery {
            object_type: q
                .object_type
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            identifier: q.identifier.clone(),
            field: q.field.clone().unwrap_or_default(),
            plate_country: q.plate_country.map(|c| c.to_string()).unwrap_or_default(),
        }
    }
}

impl From<&TravellerQuery> for pb::TravellerQuery {
    fn from(q: &TravellerQuery) -> Self {
        pb::TravellerQuery {
            mrz: String::new(),
            document: q.document.as_ref().map(Into::into),
            person: q.person.as_ref().map(Into::into),
        }
    }
}

/// A traveller query from its message: a zone when `mrz` is set, else the fields.
pub fn traveller_query(q: pb::TravellerQuery) -> Result<Query, FieldError> {
    if opt(&q.mrz).is_some() {
        return Ok(Query::Mrz(q.mrz));
    }
    let out = TravellerQuery {
        document: q.document.map(DocumentQuery::try_from).transpose()?,
        person: q.person.map(PersonQuery::try_from).transpose()?,
    };
    out.validate()?;
    Ok(Query::Traveller(out))
}

impl TryFrom<pb::ScreenRequest> for Query {
    type Error = FieldError;

    fn try_from(r: pb::ScreenRequest) -> Result<Self, FieldError> {
        use pb::screen_request::Query as Q;
        match r.query {
            Some(Q::Document(q)) => DocumentQuery::try_from(q).map(Query::Document),
            Some(Q::Person(q)) => PersonQuery::try_from(q).map(Query::Person),
            Some(Q::Object(q)) => ObjectQuery::try_from(q).map(Query::Object),
            Some(Q::Traveller(q)) => traveller_query(q),
            None => Err(FieldError::new(
                "query",
                "required: document, person, object or traveller",
            )),
        }
    }
}

/// The stream request for a query of the batch format.
pub fn screen_request(tag: String, query: &Query) -> pb::ScreenRequest {
    use pb::screen_request::Query as Q;
    let query = match query {
        Query::Document(q) => Q::Document(q.into()),
        Query::Person(q) => Q::Person(q.into()),
        Query::Object(q) => Q::Object(q.into()),
        Query::Traveller(q) => Q::Traveller(q.into()),
        Query::Mrz(text) => Q::Traveller(pb::TravellerQuery {
            mrz: text.clone(),
            ..pb::TravellerQuery::default()
        }),
    };
    pb::ScreenRequest {
        tag,
        query: Some(query),
    }
}

impl From<&Mrz> for pb::MrzFields {
    fn from(m: &Mrz) -> Self {
        pb::MrzFields {
            format: m.format.as_str().to_owned(),
            document_code: m.document_code.clone(),
            issuing_state: m.issuing_state.clone(),
            primary: m.primary.clone(),
            secondary: m.secondary.clone(),
            document_number: m.document_number.clone(),
            nationality: m.nationality.clone(),
            birth_date: m.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            sex: m.sex.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            expiry: m.expiry.clone().unwrap_or_default(),
            optional_data: m.optional_data.clone(),
        }
    }
}

impl From<Hit> for pb::Hit {
    fn from(h: Hit) -> Self {
        pb::Hit {
            kind: h.kind.as_str().to_owned(),
            owner: h.owner.as_str().to_owned(),
            score: h.score,
            reasons: h.reasons,
            linked: h.linked,
            r#match: h
                .match_kind
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            id: h.id,
        }
    }
}

impl TryFrom<pb::Hit> for Hit {
    type Error = FieldError;

    fn try_from(h: pb::Hit) -> Result<Self, FieldError> {
        use crosscheck_core::query::MatchKind;
        let match_kind = match h.r#match.as_str() {
            "" => None,
            "exact" => Some(MatchKind::Exact),
            "near" => Some(MatchKind::Near),
            other => {
                return Err(FieldError::new(
                    "match",
                    format!("`{other}` is not exact or near"),
                ));
            }
        };
        Ok(Hit {
            kind: record::Kind::parse("kind", &h.kind)?,
            owner: record::country("owner", &h.owner)?,
            score: h.score,
            reasons: h.reasons,
            linked: h.linked,
            match_kind,
            id: h.id,
        })
    }
}

/// The snake-case name of a gRPC status code, as result lines write it.
pub fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code;
    match code {
        Code::Ok => "ok",
        Code::Cancelled => "cancelled",
        Code::Unknown => "unknown",
        Code::InvalidArgument => "invalid_argument",
        Code::DeadlineExceeded => "deadline_exceeded",
        Code::NotFound => "not_found",
        Code::AlreadyExists => "already_exists",
        Code::PermissionDenied => "permission_denied",
        Code::ResourceExhausted => "resource_exhausted",
        Code::FailedPrecondition => "failed_precondition",
        Code::Aborted => "aborted",
        Code::OutOfRange => "out_of_range",
        Code::Unimplemented => "unimplemented",
        Code::Internal => "internal",
        Code::Unavailable => "unavailable",
        Code::DataLoss => "data_loss",
        Code::Unauthenticated => "unauthenticated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_strings_are_absent_and_bad_fields_are_named() {
        let q = DocumentQuery::try_from(pb::DocumentQuery {
            number: "AB 1".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!((q.issuing_country, q.doc_type), (None, None));
        let e = DocumentQuery::try_from(pb::DocumentQuery {
            number: "AB 1".into(),
            issuing_country: "XYZ".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "issuing_country");
        let e = PersonQuery::try_from(pb::PersonQuery {
            name: "A B".into(),
            birth_date: "1990-02-30".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "birth_date");
        let e = ObjectQuery::try_from(pb::ObjectQuery::default()).unwrap_err();
        assert_eq!(e.field, "identifier");
    }

    #[test]
    fn queries_round_trip_through_messages() {
        let q = PersonQuery {
            name: Some("Anna Berg".into()),
            birth_date: Some(PartialDate::parse("b", "1975-03").unwrap()),
            limit: Some(3),
            min_score: Some(0.5),
            ..PersonQuery::default()
        };
        assert_eq!(PersonQuery::try_from(pb::PersonQuery::from(&q)).unwrap(), q);
    }
}

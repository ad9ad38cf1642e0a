//! Lookups as `shared/spec/queries.md` defines them: typed queries, their validation, query lines
//! of the NDJSON batch format and the result lines written back.

use serde_json::{Map, Value, json};

use crate::country::CountryCode;
use crate::error::FieldError;
use crate::identifier;
use crate::record::{self, DocType, Kind, ObjectType, PartialDate, Sex};

type FieldResult<T> = Result<T, FieldError>;

/// Ranked lookups return at most this many candidates unless the query says otherwise.
pub const DEFAULT_LIMIT: usize = 10;
/// Longest name or identifier a query may carry: far beyond any real one, and a bound on the
/// work a single query can ask of the fuzzy matchers.
pub const MAX_QUERY_TEXT: usize = 1024;
/// Upper bound on `limit`, so one query cannot ask for the whole index.
pub const MAX_LIMIT: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentQuery {
    pub number: String,
    pub issuing_country: Option<CountryCode>,
    pub doc_type: Option<DocType>,
}

impl DocumentQuery {
    pub fn normalized_number(&self) -> FieldResult<String> {
        let n = identifier::normalize(&self.number);
        if n.is_empty() {
            return Err(FieldError::new("number", "has no letters or digits"));
        }
        Ok(n)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonQuery {
    pub name: Option<String>,
    pub given: Option<String>,
    pub family: Option<String>,
    pub birth_date: Option<PartialDate>,
    pub nationality: Option<CountryCode>,
    pub sex: Option<Sex>,
    pub limit: Option<usize>,
    pub min_score: Option<f64>,
}

impl PersonQuery {
    /// The name as one text, whichever way it was given.
    pub fn full_name(&self) -> FieldResult<String> {
        fn text(p: &Option<String>) -> Option<&str> {
            p.as_deref().filter(|p| !p.trim().is_empty())
        }
        let parts: Vec<&str> = [text(&self.given), text(&self.family)]
            .into_iter()
            .flatten()
            .collect();
        match (text(&self.name), parts.is_empty()) {
            (Some(name), true) => Ok(name.to_owned()),
            (None, false) => Ok(parts.join(" ")),
            (Some(_), false) => Err(FieldError::new(
                "name",
                "give `name`, or `given` and `family`, not both",
            )),
            (None, true) => Err(FieldError::new(
                "name",
                "give `name`, or `given` and `family`",
            )),
        }
    }

    pub fn validate(&self) -> FieldResult<()> {
        let name = self.full_name()?;
        if name.len() > MAX_QUERY_TEXT {
            return Err(FieldError::new(
                "name",
                format!("longer than {MAX_QUERY_TEXT} bytes"),
            ));
        }
        if let Some(l) = self.limit
            && !(1..=MAX_LIMIT).contains(&l)
        {
            return Err(FieldError::new(
                "limit",
                format!("must be 1 to {MAX_LIMIT}"),
            ));
        }
        if let Some(s) = self.min_score
            && !(0.0..=1.0).contains(&s)
        {
            return Err(FieldError::new("min_score", "must be between 0 and 1"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectQuery {
    pub object_type: Option<ObjectType>,
    pub identifier: String,
    pub field: Option<String>,
    pub plate_country: Option<CountryCode>,
}

impl ObjectQuery {
    /// The (type, key) pairs this query searches, validated against the closed key lists.
    pub fn targets(&self) -> FieldResult<Vec<(ObjectType, &'static str)>> {
        if self.identifier.len() > MAX_QUERY_TEXT {
            return Err(FieldError::new(
                "identifier",
                format!("longer than {MAX_QUERY_TEXT} bytes"),
            ));
        }
        let types: Vec<ObjectType> = match self.object_type {
            Some(t) => vec![t],
            None => ObjectType::ALL.to_vec(),
        };
        let mut out = Vec::new();
        for t in types {
            for key in t.identifier_keys() {
                let wanted = self.field.as_deref().is_none_or(|f| f == *key);
                if wanted && !record::is_qualifier_identifier(key) {
                    out.push((t, *key));
                }
            }
        }
        if out.is_empty() {
            let field = self.field.as_deref().unwrap_or_default();
            let why = match self.object_type {
                Some(t) => format!(
                    "`{field}` is not an identifier of {}: expected one of {}",
                    t.as_str(),
                    t.identifier_keys().join(", ")
                ),
                None => format!("`{field}` is not an identifier of any object type"),
            };
            return Err(FieldError::new("field", why));
        }
        Ok(out)
    }

    /// The identifier in matching form for one key; check digits are verified only when the
    /// query names that key, since an unnamed identifier is tried against several.
    pub fn normalized_for(&self, key: &str) -> FieldResult<String> {
        if self.field.is_some() {
            record::normalize_identifier("identifier", key, &self.identifier)
        } else if key == "imo" {
            Ok(identifier::normalize_imo(&self.identifier))
        } else {
            Ok(identifier::normalize(&self.identifier))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Document(DocumentQuery),
    Person(PersonQuery),
    Object(ObjectQuery),
    Mrz(String),
    Traveller(TravellerQuery),
}

/// A traveller checked in one call: the document they carry and the holder, either or both.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TravellerQuery {
    pub document: Option<DocumentQuery>,
    pub person: Option<PersonQuery>,
}

impl TravellerQuery {
    pub fn validate(&self) -> FieldResult<()> {
        if self.document.is_none() && self.person.is_none() {
            return Err(FieldError::new(
                "number",
                "give a document `number`, a `name`, or both",
            ));
        }
        if let Some(d) = &self.document {
            d.normalized_number()?;
        }
        if let Some(p) = &self.person {
            p.validate()?;
        }
        Ok(())
    }

    /// The traveller read from a machine readable zone.
    pub fn from_mrz(mrz: &crate::mrz::Mrz) -> FieldResult<TravellerQuery> {
        let name = format!("{} {}", mrz.secondary, mrz.primary);
        Ok(TravellerQuery {
            document: Some(DocumentQuery {
                number: mrz.document_number.clone(),
                issuing_country: Some(record::country("mrz issuing state", &mrz.issuing_state)?),
                doc_type: None,
            }),
            person: Some(PersonQuery {
                name: Some(name.trim().to_owned()),
                birth_date: mrz.birth_date,
                nationality: Some(record::country("mrz nationality", &mrz.nationality)?),
                sex: mrz.sex,
                ..PersonQuery::default()
            }),
        })
    }
}

/// One line of a query file.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryLine {
    pub qid: String,
    pub caller: CountryCode,
    pub query: Query,
}

/// Why a query line could not be run: the qid to answer under and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct BadQueryLine {
    pub qid: String,
    pub error: FieldError,
}

impl QueryLine {
    /// Parses line `line_no` (1-based) of a query file.
    pub fn parse(line: &str, line_no: usize) -> Result<QueryLine, BadQueryLine> {
        let no_qid = format!("line:{line_no}");
        let value = match crate::json::parse(line) {
            Ok(value) => value,
            Err(error) => {
                // A repeated key: answered under the line's qid when it has one.
                let qid = serde_json::from_str::<Value>(line)
                    .ok()
                    .and_then(|v| Some(v.get("qid")?.as_str()?.to_owned()))
                    .filter(|q| !q.is_empty())
                    .unwrap_or(no_qid);
                return Err(BadQueryLine { qid, error });
            }
        };
        let Value::Object(map) = value else {
            return Err(BadQueryLine {
                qid: no_qid,
                error: FieldError::new("", "not a JSON object"),
            });
        };
        let qid = match map.get("qid") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            other => {
                let reason = match other {
                    None | Some(Value::Null) => "required string missing",
                    Some(Value::String(_)) => "must not be empty",
                    Some(
                        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_),
                    ) => "must be a string",
                };
                return Err(BadQueryLine {
                    qid: no_qid,
                    error: FieldError::new("qid", reason),
                });
            }
        };
        parse_fields(map)
            .map(|(caller, query)| QueryLine {
                qid: qid.clone(),
                caller,
                query,
            })
            .map_err(|error| BadQueryLine { qid, error })
    }
}

fn parse_fields(mut map: Map<String, Value>) -> FieldResult<(CountryCode, Query)> {
    map.remove("qid");
    let mut take = |key: &str| -> FieldResult<Option<String>> {
        match map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Number(n)) if key == "limit" || key == "min_score" => {
                Ok(Some(n.to_string()))
            }
            Some(_) => Err(FieldError::new(key, "must be a string")),
        }
    };
    let caller = record::country("as", &take("as")?.ok_or_else(|| missing("as"))?)?;
    let kind = take("type")?.ok_or_else(|| missing("type"))?;
    let query = match kind.as_str() {
        "document" => Query::Document(document_fields(&mut take)?),
        "person" => Query::Person(person_fields(&mut take)?),
        "object" => Query::Object(ObjectQuery {
            object_type: take("object_type")?
                .map(|s| ObjectType::parse("object_type", &s))
                .transpose()?,
            identifier: take("identifier")?.ok_or_else(|| missing("identifier"))?,
            field: take("field")?,
            plate_country: take("plate_country")?
                .map(|s| record::country("plate_country", &s))
                .transpose()?,
        }),
        "mrz" => Query::Mrz(take("mrz")?.ok_or_else(|| missing("mrz"))?),
        "traveller" => Query::Traveller(traveller_fields(&mut take)?),
        other => {
            return Err(FieldError::new(
                "type",
                format!("`{other}` is not one of document, person, object, mrz, traveller"),
            ));
        }
    };
    if let Some(k) = map.keys().next() {
        return Err(FieldError::new(k.as_str(), "unknown field"));
    }
    Ok((caller, query))
}

fn missing(field: &str) -> FieldError {
    FieldError::new(field, "required field missing")
}

type Take<'a> = dyn FnMut(&str) -> FieldResult<Option<String>> + 'a;

fn document_fields(take: &mut Take<'_>) -> FieldResult<DocumentQuery> {
    let number = take("number")?.ok_or_else(|| missing("number"))?;
    document_query(take, number)
}

fn document_query(take: &mut Take<'_>, number: String) -> FieldResult<DocumentQuery> {
    let q = DocumentQuery {
        number,
        issuing_country: take("issuing_country")?
            .map(|s| record::country("issuing_country", &s))
            .transpose()?,
        doc_type: take("doc_type")?
            .map(|s| DocType::parse("doc_type", &s))
            .transpose()?,
    };
    q.normalized_number()?;
    Ok(q)
}

fn traveller_fields(take: &mut Take<'_>) -> FieldResult<TravellerQuery> {
    let document = match take("number")? {
        Some(number) => Some(document_query(take, number)?),
        None => None,
    };
    let person = person_query(take)?;
    let has_name = person.name.is_some() || person.given.is_some() || person.family.is_some();
    let q = TravellerQuery {
        document,
        person: has_name.then_some(person),
    };
    q.validate()?;
    Ok(q)
}

fn person_fields(take: &mut Take<'_>) -> FieldResult<PersonQuery> {
    let q = person_query(take)?;
    q.validate()?;
    Ok(q)
}

fn person_query(take: &mut Take<'_>) -> FieldResult<PersonQuery> {
    Ok(PersonQuery {
        name: take("name")?,
        given: take("given")?,
        family: take("family")?,
        birth_date: take("birth_date")?
            .map(|s| PartialDate::parse("birth_date", &s))
            .transpose()?,
        nationality: take("nationality")?
            .map(|s| record::country("nationality", &s))
            .transpose()?,
        sex: take("sex")?.map(|s| Sex::parse("sex", &s)).transpose()?,
        limit: take("limit")?
            .map(|s| {
                s.parse()
                    .map_err(|_| FieldError::new("limit", "must be a whole number"))
            })
            .transpose()?,
        min_score: take("min_score")?
            .map(|s| {
                s.parse()
                    .map_err(|_| FieldError::new("min_score", "must be a number"))
            })
            .transpose()?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    Exact,
    /// Found only through OCR-confusable characters.
    Near,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Near => "near",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    /// The country that supplied the record: told of the hit when another country made it.
    pub owner: CountryCode,
    pub score: f64,
    pub reasons: Vec<String>,
    pub linked: Vec<String>,
    /// Set on document hits.
    pub match_kind: Option<MatchKind>,
}

impl Hit {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), self.id.as_str().into());
        m.insert("kind".into(), self.kind.as_str().into());
        m.insert("score".into(), json!((self.score * 1e4).round() / 1e4));
        m.insert("reasons".into(), json!(self.reasons));
        m.insert("linked".into(), json!(self.linked));
        if let Some(k) = self.match_kind {
            m.insert("match".into(), k.as_str().into());
        }
        Value::Object(m)
    }
}

/// A result line of the batch format; `error` is `code: message` with a snake-case gRPC code.
pub fn result_line(qid: &str, hits: &[Hit], error: Option<&str>, latency_us: u64) -> String {
    let hits: Vec<Value> = hits.iter().map(Hit::to_json).collect();
    json!({"qid": qid, "hits": hits, "error": error, "latency_us": latency_us}).to_string()
}

/// What a combined traveller check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    NoHit,
    DocumentHit,
    PersonHit,
    Both,
}

impl Verdict {
    pub fn of(document_hit: bool, person_hit: bool) -> Verdict {
        match (document_hit, person_hit) {
            (false, false) => Verdict::NoHit,
            (true, false) => Verdict::DocumentHit,
            (false, true) => Verdict::PersonHit,
            (true, true) => Verdict::Both,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NoHit => "no_hit",
            Verdict::DocumentHit => "document_hit",
            Verdict::PersonHit => "person_hit",
            Verdict::Both => "both",
        }
    }

    pub fn parse(field: &str, s: &str) -> FieldResult<Verdict> {
        [
            Verdict::NoHit,
            Verdict::DocumentHit,
            Verdict::PersonHit,
            Verdict::Both,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
        .ok_or_else(|| FieldError::new(field, format!("`{s}` is not a verdict")))
    }
}

/// The result line of an `mrz` or `traveller` query: the plain result plus `verdict` and, for a
/// zone, the fields read from it.
pub fn screening_line(
    qid: &str,
    hits: &[Hit],
    verdict: Verdict,
    parsed: Option<Value>,
    latency_us: u64,
) -> String {
    let mut line = json!({"qid": qid, "hits": hits.iter().map(Hit::to_json).collect::<Vec<_>>(),
        "error": null, "latency_us": latency_us, "verdict": verdict.as_str()});
    if let (Some(p), Value::Object(m)) = (parsed, &mut line) {
        m.insert("parsed".into(), p);
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lines_parse_with_field_errors() {
        let q = QueryLine::parse(
            r#"{"qid":"q1","as":"fr","type":"document","number":"C01X 00T47","issuing_country":"D"}"#,
            1,
        )
        .unwrap();
        assert_eq!(q.caller.as_str(), "FRA");
        let Query::Document(d) = q.query else {
            panic!()
        };
        assert_eq!(
            d.issuing_country.map(|c| c.as_str().to_owned()).as_deref(),
            Some("DEU")
        );

        let bad = QueryLine::parse("{not json", 7).unwrap_err();
        assert_eq!(bad.qid, "line:7");
        let bad = QueryLine::parse(r#"{"as":"FRA","type":"person","name":"x"}"#, 3).unwrap_err();
        assert_eq!(
            (bad.qid.as_str(), bad.error.field.as_str()),
            ("line:3", "qid")
        );
        let long = format!(
            r#"{{"qid":"l","as":"FRA","type":"person","name":"{}"}}"#,
            "Ab ".repeat(MAX_QUERY_TEXT)
        );
        match QueryLine::parse(&long, 1) {
            Err(bad) => assert_eq!(bad.error.field, "name"),
            Ok(QueryLine {
                query: Query::Person(p),
                ..
            }) => assert_eq!(p.validate().unwrap_err().field, "name"),
            Ok(other) => panic!("{other:?}"),
        }
        let numeric = QueryLine::parse(r#"{"qid":7,"as":"FRA","type":"document","number":"X"}"#, 2)
            .unwrap_err();
        assert_eq!(numeric.error.to_string(), "qid: must be a string");
        let twice = QueryLine::parse(
            r#"{"qid":"t","as":"FRA","type":"document","number":"X1","as":"DEU"}"#,
            4,
        )
        .unwrap_err();
        assert_eq!(
            (twice.qid.as_str(), twice.error.field.as_str()),
            ("t", "as")
        );
        let both = QueryLine::parse(
            r#"{"qid":"a","as":"FRA","type":"person","name":"Petr Smirnov","family":"Smirnov"}"#,
            1,
        );
        let reason = match both {
            Err(bad) => bad.error.reason,
            Ok(QueryLine {
                query: Query::Person(p),
                ..
            }) => p.full_name().unwrap_err().reason,
            Ok(other) => panic!("{other:?}"),
        };
        assert!(reason.contains("not both"), "{reason}");
        let bad = QueryLine::parse(r#"{"qid":"a","as":"FRA","type":"person"}"#, 1).unwrap_err();
        assert_eq!((bad.qid.as_str(), bad.error.field.as_str()), ("a", "name"));
        let bad = QueryLine::parse(
            r#"{"qid":"a","as":"FRA","type":"person","name":"x","nme":1}"#,
            1,
        )
        .unwrap_err();
        assert_eq!(bad.error.field, "nme");
        let bad =
            QueryLine::parse(r#"{"qid":"a","as":"QQ","type":"person","name":"x"}"#, 1).unwrap_err();
        assert_eq!(bad.error.field, "as");
        let q = QueryLine::parse(
            r#"{"qid":"a","as":"FRA","type":"person","name":"x","limit":3,"min_score":0.5}"#,
            1,
        )
        .unwrap();
        let Query::Person(p) = q.query else { panic!() };
        assert_eq!((p.limit, p.min_score), (Some(3), Some(0.5)));
    }

    #[test]
    fn object_targets_follow_the_closed_key_lists() {
        let q = |t: Option<ObjectType>, f: Option<&str>| ObjectQuery {
            object_type: t,
            identifier: "X".into(),
            field: f.map(str::to_owned),
            plate_country: None,
        };
        assert_eq!(
            q(Some(ObjectType::Vehicle), None).targets().unwrap(),
            [(ObjectType::Vehicle, "vin"), (ObjectType::Vehicle, "plate")]
        );
        assert_eq!(
            q(None, Some("imei")).targets().unwrap(),
            [(ObjectType::Phone, "imei")]
        );
        assert_eq!(
            q(Some(ObjectType::Phone), Some("vin"))
                .targets()
                .unwrap_err()
                .field,
            "field"
        );
        let vin = ObjectQuery {
            identifier: "1M8GDM9A5KP042788".into(),
            ..q(Some(ObjectType::Vehicle), Some("vin"))
        };
        assert!(
            vin.normalized_for("vin")
                .unwrap_err()
                .reason
                .contains("check digit")
        );
    }

    #[test]
    fn result_lines_have_every_field() {
        let line = result_line("q", &[], Some("invalid_argument: number: empty"), 5);
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["hits"], json!([]));
        assert_eq!(v["latency_us"], json!(5));
        let none: Value = serde_json::from_str(&result_line("q", &[], None, 0)).unwrap();
        assert!(none["error"].is_null());
    }
}

#[cfg(test)]
mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_query_lines(line in "\\PC{0,200}", n in 1usize..1000) {
            let _ = QueryLine::parse(&line, n);
        }

        #[test]
        fn arbitrary_query_fields(
            t in prop_oneof!["document", "person", "object", "mrz", "traveller"],
            fields in proptest::collection::btree_map(
                prop_oneof!["number", "name", "given", "family", "birth_date", "identifier",
                            "field", "object_type", "limit", "min_score", "mrz", "sex"],
                "\\PC{0,12}", 0..6),
        ) {
            let mut m: Map<String, Value> = fields.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
            m.insert("qid".into(), "q".into());
            m.insert("as".into(), "FRA".into());
            m.insert("type".into(), t.into());
            let _ = QueryLine::parse(&Value::Object(m).to_string(), 1);
        }
    }
}

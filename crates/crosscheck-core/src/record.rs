//! Records as `shared/spec/records.md` defines them: strict parsing with field-level errors, and
//! the canonical JSON form the store keeps and `export` writes.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::country::CountryCode;
use crate::error::FieldError;
use crate::identifier;
use crate::timestamp;

type FieldResult<T> = Result<T, FieldError>;

/// 1–64 chars of `A-Z a-z 0-9 . _ : -`, unique across all kinds.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct RecordId(String);

impl RecordId {
    pub fn parse(field: &str, s: &str) -> FieldResult<RecordId> {
        let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-');
        if s.is_empty() || s.len() > 64 {
            return Err(FieldError::new(field, "must be 1 to 64 characters"));
        }
        if !s.chars().all(valid_char) {
            return Err(FieldError::new(
                field,
                format!("`{s}` may only contain A-Z a-z 0-9 . _ : -"),
            ));
        }
        Ok(RecordId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(field: &str, s: &str) -> FieldResult<Self> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(FieldError::new(field, format!(
                        "`{s}` is not one of {}",
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }
    };
}

string_enum!(Kind { Person => "person", Document => "document", Object => "object" });
string_enum!(Review { Cleared => "cleared", Pending => "pending", Refused => "refused" });
string_enum!(Sex { M => "M", F => "F", X => "X" });
string_enum!(Notice {
    Red => "red", Yellow => "yellow", Blue => "blue", Black => "black", Green => "green",
    Orange => "orange", Purple => "purple", Un => "un",
});
string_enum!(DocType {
    Passport => "passport", IdCard => "id_card", Visa => "visa",
    ResidencePermit => "residence_permit", Other => "other",
});
string_enum!(DocStatus {
    Stolen => "stolen", Lost => "lost", Revoked => "revoked", Invalidated => "invalidated",
    StolenBlank => "stolen_blank",
});
string_enum!(ObjectType {
    Vehicle => "vehicle", Firearm => "firearm", Artwork => "artwork", Vessel => "vessel",
    Container => "container", Phone => "phone", Chemical => "chemical", Other => "other",
});
string_enum!(ObjectStatus { Stolen => "stolen", Lost => "lost", Seized => "seized", Wanted => "wanted" });

impl ObjectType {
    /// The closed set of identifier keys per type (records.md).
    pub fn identifier_keys(self) -> &'static [&'static str] {
        match self {
            ObjectType::Vehicle => &["vin", "plate", "plate_country"],
            ObjectType::Firearm => &["serial", "make", "model", "caliber"],
            ObjectType::Artwork => &["title", "artist", "inventory"],
            ObjectType::Vessel => &["hull_id", "imo"],
            ObjectType::Container => &["container_number"],
            ObjectType::Phone => &["imei"],
            ObjectType::Chemical => &["cas", "lot", "consignment"],
            ObjectType::Other => &["serial"],
        }
    }
}

/// Keys matched fuzzily rather than on their normalised form.
pub fn is_fuzzy_identifier(key: &str) -> bool {
    matches!(key, "title" | "artist")
}

/// Keys that qualify another identifier instead of identifying the object themselves.
pub fn is_qualifier_identifier(key: &str) -> bool {
    matches!(key, "plate_country")
}

/// The normalised matching form of an identifier value, validated where the key carries a check
/// digit. `field` names the value in errors.
pub fn normalize_identifier(field: &str, key: &str, value: &str) -> FieldResult<String> {
    let norm = if key == "imo" {
        identifier::normalize_imo(value)
    } else {
        identifier::normalize(value)
    };
    if norm.is_empty() {
        return Err(FieldError::new(field, "has no letters or digits"));
    }
    let checked = match key {
        "vin" => identifier::check_vin(&norm),
        "container_number" => identifier::check_container(&norm),
        "imei" => identifier::check_imei(&norm),
        "imo" => identifier::check_imo(&norm),
        "cas" => identifier::check_cas(&norm),
        _ => Ok(()),
    };
    checked.map_err(|e| FieldError::new(field, e.to_string()))?;
    Ok(norm)
}

/// A birth date that may be only a year or a year and month, and stays so.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn parse(field: &str, s: &str) -> FieldResult<PartialDate> {
        let bad = || FieldError::new(field, format!("`{s}` is not YYYY-MM-DD, YYYY-MM or YYYY"));
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> FieldResult<u32> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let year = match parts.first() {
            Some(p) => num(p, 4)?,
            None => return Err(bad()),
        };
        if !(1800..=2200).contains(&year) {
            return Err(FieldError::new(field, format!("year {year} out of range")));
        }
        let month = parts.get(1).map(|p| num(p, 2)).transpose()?;
        let day = parts.get(2).map(|p| num(p, 2)).transpose()?;
        if parts.len() > 3 {
            return Err(bad());
        }
        let mut problems = Vec::new();
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            problems.push(format!("month {m}"));
        }
        if let Some(d) = day {
            let max = month.map_or(31, |m| timestamp::days_in_month(year, m));
            if d == 0 || d > max {
                problems.push(format!("day {d}"));
            }
        }
        if !problems.is_empty() {
            return Err(FieldError::new(
                field,
                format!("`{s}` is not a date: {}", problems.join(", ")),
            ));
        }
        Ok(PartialDate {
            year: year as u16,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Name {
    pub given: Option<String>,
    pub family: Option<String>,
    pub full: Option<String>,
}

impl Name {
    /// Every written part of the name, in reading order.
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        [&self.given, &self.family, &self.full]
            .into_iter()
            .filter_map(|p| p.as_deref())
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Person {
    pub names: Vec<Name>,
    pub birth_date: Option<PartialDate>,
    pub sex: Option<Sex>,
    pub nationalities: Option<Vec<CountryCode>>,
    pub notices: Option<Vec<Notice>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Document {
    pub number: String,
    pub issuing_country: CountryCode,
    pub doc_type: DocType,
    pub status: DocStatus,
    pub reported_on: Option<String>,
}

impl Document {
    pub fn normalized_number(&self) -> String {
        identifier::normalize(&self.number)
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Object {
    pub object_type: ObjectType,
    /// In the order given; `plate_country` already canonical.
    pub identifiers: Vec<(String, String)>,
    pub status: ObjectStatus,
    pub description: Option<String>,
}

impl Object {
    pub fn identifier(&self, key: &str) -> Option<&str> {
        self.identifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Body {
    Person(Person),
    Document(Document),
    Object(Object),
}

/// Who may see a record: owner, review state and an optional allow-list.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Visibility {
    pub owner: CountryCode,
    pub review: Review,
    pub restricted_to: Option<Vec<CountryCode>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Record {
    pub id: RecordId,
    pub visibility: Visibility,
    pub links: Option<Vec<RecordId>>,
    pub body: Body,
    /// Canonical RFC 3339 UTC, whole seconds; filled in by the server when absent.
    pub updated_at: Option<String>,
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self.body {
            Body::Person(_) => Kind::Person,
            Body::Document(_) => Kind::Document,
            Body::Object(_) => Kind::Object,
        }
    }

    pub fn owner(&self) -> CountryCode {
        self.visibility.owner
    }

    pub fn links(&self) -> &[RecordId] {
        self.links.as_deref().unwrap_or(&[])
    }

    /// Parses one NDJSON line (errors carry no line number; the caller adds it).
    pub fn from_json_line(line: &str) -> FieldResult<Record> {
        let mut f = Fields::new(crate::json::parse_object(line)?);
        let kind = Kind::parse("kind", &f.required_str("kind")?)?;
        let id = RecordId::parse("id", &f.required_str("id")?)?;
        let owner = country("owner", &f.required_str("owner")?)?;
        let review = f
            .optional_str("review")?
            .map(|s| Review::parse("review", &s))
            .transpose()?
            .unwrap_or(Review::Cleared);
        let restricted_to = f
            .optional_str_list("restricted_to")?
            .map(|l| countries("restricted_to", l))
            .transpose()?;
        let links = f
            .optional_str_list("links")?
            .map(|l| {
                l.iter()
                    .enumerate()
                    .map(|(i, s)| RecordId::parse(&format!("links[{i}]"), s))
                    .collect::<FieldResult<Vec<_>>>()
            })
            .transpose()?;
        let updated_at = f
            .optional_str("updated_at")?
            .map(|s| timestamp::canonical_rfc3339("updated_at", &s))
            .transpose()?;
        let body = match kind {
            Kind::Person => Body::Person(parse_person(&mut f)?),
            Kind::Document => Body::Document(parse_document(&mut f)?),
            Kind::Object => Body::Object(parse_object(&mut f)?),
        };
        f.finish()?;
        Ok(Record {
            id,
            visibility: Visibility {
                owner,
                review,
                restricted_to,
            },
            links,
            body,
            updated_at,
        })
    }

    /// The canonical NDJSON line (without newline), fields in the order of records.md.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("a record has string keys only")
    }

    /// [`Record::to_json_line`] appended to `out`.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        serde_json::to_writer(out, self).expect("a record has string keys only");
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.kind().as_str())?;
        m.serialize_entry("id", self.id.as_str())?;
        m.serialize_entry("owner", self.visibility.owner.as_str())?;
        m.serialize_entry("review", self.visibility.review.as_str())?;
        if let Some(r) = &self.visibility.restricted_to {
            m.serialize_entry("restricted_to", &strs(r, CountryCode::as_str))?;
        }
        if let Some(links) = &self.links {
            m.serialize_entry("links", &strs(links, RecordId::as_str))?;
        }
        match &self.body {
            Body::Person(p) => {
                m.serialize_entry("names", &p.names)?;
                if let Some(b) = &p.birth_date {
                    m.serialize_entry("birth_date", &b.to_string())?;
                }
                if let Some(sex) = p.sex {
                    m.serialize_entry("sex", sex.as_str())?;
                }
                if let Some(n) = &p.nationalities {
                    m.serialize_entry("nationalities", &strs(n, CountryCode::as_str))?;
                }
                if let Some(n) = &p.notices {
                    m.serialize_entry("notices", &strs(n, |x| x.as_str()))?;
                }
            }
            Body::Document(d) => {
                m.serialize_entry("number", &d.number)?;
                m.serialize_entry("issuing_country", d.issuing_country.as_str())?;
                m.serialize_entry("doc_type", d.doc_type.as_str())?;
                m.serialize_entry("status", d.status.as_str())?;
                if let Some(r) = &d.reported_on {
                    m.serialize_entry("reported_on", r)?;
                }
            }
            Body::Object(o) => {
                m.serialize_entry("object_type", o.object_type.as_str())?;
                m.serialize_entry("identifiers", &Identifiers(&o.identifiers))?;
                m.serialize_entry("status", o.status.as_str())?;
                if let Some(d) = &o.description {
                    m.serialize_entry("description", d)?;
                }
            }
        }
        if let Some(u) = &self.updated_at {
            m.serialize_entry("updated_at", u)?;
        }
        m.end()
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let parts = [
            ("given", &self.given),
            ("family", &self.family),
            ("full", &self.full),
        ];
        s.collect_map(
            parts
                .into_iter()
                .filter_map(|(k, v)| v.as_deref().map(|v| (k, v))),
        )
    }
}

/// An object's identifiers as one JSON object, in their order.
struct Identifiers<'a>(&'a [(String, String)]);

impl Serialize for Identifiers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A list written as the JSON array of its items' names.
fn strs<T>(items: &[T], name: fn(&T) -> &str) -> Vec<&str> {
    items.iter().map(name).collect()
}

pub fn country(field: &str, s: &str) -> FieldResult<CountryCode> {
    CountryCode::parse(s).map_err(|e| FieldError::new(field, e.to_string()))
}

fn countries(field: &str, list: Vec<String>) -> FieldResult<Vec<CountryCode>> {
    list.iter()
        .enumerate()
        .map(|(i, s)| country(&format!("{field}[{i}]"), s))
        .collect()
}

fn parse_person(f: &mut Fields) -> FieldResult<Person> {
    let names_value = f.required("names")?;
    let Value::Array(items) = names_value else {
        return Err(FieldError::new("names", "must be a list of names"));
    };
    if items.is_empty() {
        return Err(FieldError::new("names", "must not be empty"));
    }
    let names = items
        .into_iter()
        .enumerate()
        .map(|(i, v)| parse_name(&format!("names[{i}]"), v))
        .collect::<FieldResult<Vec<_>>>()?;
    let birth_date = f
        .optional_str("birth_date")?
        .map(|s| PartialDate::parse("birth_date", &s))
        .transpose()?;
    let sex = f
        .optional_str("sex")?
        .map(|s| Sex::parse("sex", &s))
        .transpose()?;
    let nationalities = f
        .optional_str_list("nationalities")?
        .map(|l| countries("nationalities", l))
        .transpose()?;
    let notices = f
        .optional_str_list("notices")?
        .map(|l| {
            l.iter()
                .enumerate()
                .map(|(i, s)| Notice::parse(&format!("notices[{i}]"), s))
                .collect::<FieldResult<Vec<_>>>()
        })
        .transpose()?;
    Ok(Person {
        names,
        birth_date,
        sex,
        nationalities,
        notices,
    })
}

fn parse_name(field: &str, v: Value) -> FieldResult<Name> {
    let Value::Object(map) = v else {
        return Err(FieldError::new(
            field,
            "must be an object with given, family or full",
        ));
    };
    let mut f = Fields::with_prefix(map, field);
    let name = Name {
        given: f.optional_nonblank("given")?,
        family: f.optional_nonblank("family")?,
        full: f.optional_nonblank("full")?,
    };
    f.finish()?;
    if name.family.is_none() && name.full.is_none() {
        return Err(FieldError::new(field, "needs `full` or `family`"));
    }
    Ok(name)
}

fn parse_document(f: &mut Fields) -> FieldResult<Document> {
    let number = f.required_str("number")?;
    if identifier::normalize(&number).is_empty() {
        return Err(FieldError::new("number", "has no letters or digits"));
    }
    let issuing_country = country("issuing_country", &f.required_str("issuing_country")?)?;
    let doc_type = DocType::parse("doc_type", &f.required_str("doc_type")?)?;
    let status = DocStatus::parse("status", &f.required_str("status")?)?;
    let reported_on = f
        .optional_str("reported_on")?
        .map(|s| timestamp::check_full_date("reported_on", &s).map(|()| s))
        .transpose()?;
    Ok(Document {
        number,
        issuing_country,
        doc_type,
        status,
        reported_on,
    })
}

fn parse_object(f: &mut Fields) -> FieldResult<Object> {
    let object_type = ObjectType::parse("object_type", &f.required_str("object_type")?)?;
    let Value::Object(map) = f.required("identifiers")? else {
        return Err(FieldError::new(
            "identifiers",
            "must be an object of strings",
        ));
    };
    if map.is_empty() {
        return Err(FieldError::new("identifiers", "must not be empty"));
    }
    let allowed = object_type.identifier_keys();
    let mut identifiers = Vec::with_capacity(map.len());
    for (key, value) in map {
        let field = format!("identifiers.{key}");
        if !allowed.contains(&key.as_str()) {
            return Err(FieldError::new(
                field,
                format!(
                    "unknown identifier for {}: expected one of {}",
                    object_type.as_str(),
                    allowed.join(", ")
                ),
            ));
        }
        let Value::String(value) = value else {
            return Err(FieldError::new(field, "must be a string"));
        };
        let value = if is_qualifier_identifier(&key) {
            country(&field, &value)?.as_str().to_owned()
        } else {
            if !is_fuzzy_identifier(&key) {
                normalize_identifier(&field, &key, &value)?;
            } else if value.trim().is_empty() {
                return Err(FieldError::new(field, "must not be blank"));
            }
            value
        };
        identifiers.push((key, value));
    }
    if identifiers.iter().all(|(k, _)| is_qualifier_identifier(k)) {
        return Err(FieldError::new(
            "identifiers",
            "plate_country alone identifies nothing",
        ));
    }
    let status = ObjectStatus::parse("status", &f.required_str("status")?)?;
    let description = f.optional_str("description")?;
    Ok(Object {
        object_type,
        identifiers,
        status,
        description,
    })
}

/// Takes fields out of a JSON object one by one; whatever is left at the end is unknown.
struct Fields {
    entries: Vec<(String, Value)>,
    prefix: Option<String>,
}

impl Fields {
    fn new(entries: Vec<(String, Value)>) -> Self {
        Fields {
            entries,
            prefix: None,
        }
    }

    fn with_prefix(map: serde_json::Map<String, Value>, prefix: &str) -> Self {
        Fields {
            entries: map.into_iter().collect(),
            prefix: Some(prefix.to_owned()),
        }
    }

    fn path(&self, key: &str) -> String {
        match &self.prefix {
            Some(p) => format!("{p}.{key}"),
            None => key.to_owned(),
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(at).1).filter(|v| !v.is_null())
    }

    fn required(&mut self, key: &str) -> FieldResult<Value> {
        self.take(key)
            .ok_or_else(|| FieldError::new(self.path(key), "required field missing"))
    }

    fn required_str(&mut self, key: &str) -> FieldResult<String> {
        let v = self.required(key)?;
        self.as_string(key, v)
    }

    fn optional_str(&mut self, key: &str) -> FieldResult<Option<String>> {
        self.take(key).map(|v| self.as_string(key, v)).transpose()
    }

    fn optional_nonblank(&mut self, key: &str) -> FieldResult<Option<String>> {
        match self.optional_str(key)? {
            Some(s) if s.trim().is_empty() => {
                Err(FieldError::new(self.path(key), "must not be blank"))
            }
            other => Ok(other),
        }
    }

    fn optional_str_list(&mut self, key: &str) -> FieldResult<Option<Vec<String>>> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(FieldError::new(self.path(key), "must be a list of strings"));
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.as_string(&format!("{key}[{i}]"), item))
            .collect::<FieldResult<Vec<_>>>()
            .map(Some)
    }

    fn as_string(&self, key: &str, v: Value) -> FieldResult<String> {
        if let Value::String(s) = v {
            Ok(s)
        } else {
            Err(FieldError::new(self.path(key), "must be a string"))
        }
    }

    fn finish(self) -> FieldResult<()> {
        match self.entries.first() {
            Some((k, _)) => Err(FieldError::new(self.path(k), "unknown field")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLES: [&str; 3] = [
        r#"{"kind":"person","id":"P-000017","owner":"FRA","names":[{"given":"Пётр","family":"Смирнов"},{"full":"Petr SMIRNOV"}],"birth_date":"1975-03","sex":"M","nationalities":["RUS"],"notices":["red"],"links":["D-000311"]}"#,
        r#"{"kind":"document","id":"D-000311","owner":"DEU","number":"C01X 00T47","issuing_country":"D","doc_type":"passport","status":"stolen","reported_on":"2024-01-02","links":["P-000017"]}"#,
        r#"{"kind":"object","id":"O-000042","owner":"ITA","object_type":"vehicle","identifiers":{"vin":"1M8GDM9AXKP042788","plate":"AB 123 CD","plate_country":"FRA"},"status":"stolen","restricted_to":["FRA","ESP"]}"#,
    ];

    fn err(line: &str) -> FieldError {
        Record::from_json_line(line).expect_err("must be rejected")
    }

    #[test]
    fn spec_examples_parse_and_canonicalise() {
        let doc = Record::from_json_line(EXAMPLES[1]).unwrap();
        assert_eq!(
            doc.to_json_line(),
            r#"{"kind":"document","id":"D-000311","owner":"DEU","review":"cleared","links":["P-000017"],"number":"C01X 00T47","issuing_country":"DEU","doc_type":"passport","status":"stolen","reported_on":"2024-01-02"}"#
        );
        let obj = Record::from_json_line(EXAMPLES[2]).unwrap();
        assert!(obj.to_json_line().starts_with(
            r#"{"kind":"object","id":"O-000042","owner":"ITA","review":"cleared","restricted_to":["FRA","ESP"],"object_type""#
        ));
        for line in EXAMPLES {
            let once = Record::from_json_line(line).unwrap();
            let twice = Record::from_json_line(&once.to_json_line()).unwrap();
            assert_eq!(once, twice);
            assert_eq!(once.to_json_line(), twice.to_json_line());
        }
    }

    #[test]
    fn errors_name_the_field() {
        let e = err(
            r#"{"kind":"document","id":"X","owner":"FRA","number":"1","nubmer":"1","issuing_country":"FRA","doc_type":"passport","status":"lost"}"#,
        );
        assert_eq!(
            (e.field.as_str(), e.reason.as_str()),
            ("nubmer", "unknown field")
        );
        let e = err(
            r#"{"kind":"document","id":"X","owner":"ABC","number":"1","issuing_country":"FRA","doc_type":"passport","status":"lost"}"#,
        );
        assert_eq!(e.field, "owner");
        let e = err(
            r#"{"kind":"document","id":"X","owner":"FRA","number":"1","issuing_country":"FRA","doc_type":"passport"}"#,
        );
        assert_eq!(e.to_string(), "status: required field missing");
        let e = err(r#"{"kind":"vehicle","id":"X","owner":"ITA"}"#);
        assert_eq!(e.field, "kind");
        let e = err(
            r#"{"kind":"person","id":"X","owner":"ESP","names":[{"given":"M","family":"O"}],"birth_date":"1975-13-40"}"#,
        );
        assert_eq!(e.field, "birth_date");
        assert!(
            e.reason.contains("month 13") && e.reason.contains("day 40"),
            "{e}"
        );
        let e = err(
            r#"{"kind":"object","id":"X","owner":"ITA","object_type":"vehicle","identifiers":{"vin":"1M8GDM9A5KP042788"},"status":"stolen"}"#,
        );
        assert_eq!(e.field, "identifiers.vin");
        assert!(e.reason.contains("check digit"), "{e}");
        let e = err(
            r#"{"kind":"object","id":"X","owner":"ITA","object_type":"phone","identifiers":{"vin":"1M8GDM9AXKP042788"},"status":"stolen"}"#,
        );
        assert_eq!(e.field, "identifiers.vin");
        let e = err(r#"{"kind":"person","id":"X","owner":"ESP","names":[{"given":"Ana"}]}"#);
        assert_eq!(e.field, "names[0]");
        let e = err(
            r#"{"kind":"person","id":"X","owner":"ESP","names":[{"family":"Ana","middle":"B"}]}"#,
        );
        assert_eq!(e.field, "names[0].middle");
        let e = err(r#"{"kind":"person","id":"bad id","owner":"ESP","names":[{"family":"Ana"}]}"#);
        assert_eq!(e.field, "id");
        let e = err(
            r#"{"kind":"person","id":"X","owner":"ESP","names":[{"family":"Ana"}],"restricted_to":["FRA","QQQ"]}"#,
        );
        assert_eq!(e.field, "restricted_to[1]");
        assert!(err(r#"{"kind":"#).reason.starts_with("not JSON"));
    }

    #[test]
    fn partial_dates_stay_partial() {
        for s in ["1975", "1975-03", "1975-03-31", "2000-02-29"] {
            assert_eq!(PartialDate::parse("d", s).unwrap().to_string(), s);
        }
        for s in [
            "1975-3",
            "75",
            "1975-02-30",
            "1900-02-29",
            "1975-00",
            "",
            "1975-01-01-01",
        ] {
            assert!(PartialDate::parse("d", s).is_err(), "{s}");
        }
    }

    #[test]
    fn alpha2_and_icao_codes_become_canonical() {
        let r = Record::from_json_line(
            r#"{"kind":"object","id":"O1","owner":"it","object_type":"vehicle","identifiers":{"plate":"AB 123","plate_country":"FR"},"status":"stolen"}"#,
        )
        .unwrap();
        assert_eq!(r.owner().as_str(), "ITA");
        let Body::Object(o) = &r.body else { panic!() };
        assert_eq!(o.identifier("plate_country"), Some("FRA"));
    }
}

#[cfg(test)]
mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text is either a record or a field error; never a panic.
        #[test]
        fn arbitrary_lines(line in "\\PC{0,200}") {
            let _ = Record::from_json_line(&line);
        }

        /// JSON objects built from record-like keys with arbitrary values.
        #[test]
        fn arbitrary_record_objects(
            kind in prop_oneof!["person", "document", "object", "\\PC{0,8}"],
            fields in proptest::collection::btree_map(
                prop_oneof!["id", "owner", "review", "restricted_to", "links", "names", "birth_date",
                            "number", "issuing_country", "doc_type", "status", "object_type",
                            "identifiers", "updated_at", "\\PC{0,6}"],
                prop_oneof![
                    "\\PC{0,20}".prop_map(Value::from),
                    any::<i64>().prop_map(Value::from),
                    Just(Value::Null),
                    proptest::collection::vec("\\PC{0,6}", 0..3).prop_map(Value::from),
                    Just(serde_json::json!([{"given": "A"}, {"family": ""}])),
                    Just(serde_json::json!({"vin": "1M8GDM9AXKP042788", "plate": 5})),
                ],
                0..8),
        ) {
            let mut m: serde_json::Map<String, Value> = fields.into_iter().collect();
            m.insert("kind".into(), kind.into());
            if let Ok(r) = Record::from_json_line(&Value::Object(m).to_string()) {
                // Whatever parses must survive its own canonical form.
                prop_assert_eq!(Record::from_json_line(&r.to_json_line()).ok(), Some(r));
            }
        }
    }
}

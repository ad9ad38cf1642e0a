//! JSON lines read strictly: a key given twice in one object is an error, never "last one
//! wins" (a second `owner` or `as` must not silently replace the first).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::FieldError;

/// Parses one line; syntax errors are `not JSON`, a repeated key names that key.
pub fn parse(line: &str) -> Result<Value, FieldError> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| FieldError::new("", format!("not JSON: {e}")))?;
    let mut de = serde_json::Deserializer::from_str(line);
    if let Err(e) = UniqueKeys.deserialize(&mut de) {
        // The syntax is known to be good: the only error left is a repeated key.
        let key = e.to_string();
        let key = key.split('`').nth(1).unwrap_or_default().to_owned();
        return Err(FieldError::new(key, "given more than once"));
    }
    Ok(value)
}

/// Walks a document and fails on the first object with a repeated key, naming it.
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format!("repeated `{key}`")));
            }
            map.next_value_seed(UniqueKeys)?;
            seen.insert(key);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UniqueKeys)?.is_some() {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_named_at_any_depth() {
        assert!(parse(r#"{"a":1,"b":[{"c":2},{"c":3}],"d":{"e":null}}"#).is_ok());
        let e = parse(r#"{"owner":"FRA","id":"x","owner":"DEU"}"#).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.reason.as_str()),
            ("owner", "given more than once")
        );
        let e = parse(r#"{"identifiers":{"vin":"A","vin":"B"}}"#).unwrap_err();
        assert_eq!(e.field, "vin");
        let e = parse(r#"{"a":"#).unwrap_err();
        assert!(e.reason.starts_with("not JSON"), "{e}");
    }
}

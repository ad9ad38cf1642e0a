//! JSON lines read strictly: a key given twice in one object is an error, never "last one
//! wins" (a second `owner` or `as` must not silently replace the first).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::FieldError;

/// Parses one line in one pass; syntax errors are `not JSON`, a repeated key names that key.
pub fn parse(line: &str) -> Result<Value, FieldError> {
    let mut de = serde_json::Deserializer::from_str(line);
    let value = UniqueKeys
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    value.map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            let text = e.to_string();
            let key = text.split('`').nth(1).unwrap_or_default().to_owned();
            FieldError::new(key, "given more than once")
        }
        serde_json::error::Category::Io
        | serde_json::error::Category::Syntax
        | serde_json::error::Category::Eof => FieldError::new("", format!("not JSON: {e}")),
    })
}

/// Builds a [`Value`] as serde_json does, failing on an object with a repeated key.
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format!("repeated `{key}`")));
            }
            let value = access.next_value_seed(UniqueKeys)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(UniqueKeys)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
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
        let e = parse(r#"{"a":1} x"#).unwrap_err();
        assert!(e.reason.starts_with("not JSON"), "{e}");
        let same = r#"{"s":"Пётр","n":-3,"f":1.5,"b":[true,null,{"x":18446744073709551615}]}"#;
        assert_eq!(
            parse(same).unwrap(),
            serde_json::from_str::<Value>(same).unwrap()
        );
    }
}

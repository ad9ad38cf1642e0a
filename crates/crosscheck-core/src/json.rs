//! JSON lines read strictly: a key given twice in one object is an error, never "last one
//! wins" (a second `owner` or `as` must not silently replace the first).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::FieldError;

/// Parses one line in one pass; syntax errors are `not JSON`, a repeated key names that key.
pub fn parse(line: &str) -> Result<Value, FieldError> {
    read(line, |de| UniqueKeys.deserialize(de))
}

/// Parses a line that must hold one object into its entries in the order given: the top level
/// of a record, looked up a field at a time, needs no map (hashing every key of every line was
/// a tenth of a bulk load).
pub fn parse_object(line: &str) -> Result<Vec<(String, Value)>, FieldError> {
    read(line, |de| de.deserialize_map(Entries)).map_err(|e| {
        // Something other than an object from its first byte: if it is not JSON either (`[1,`),
        // the parser's reason says more.
        if e.reason == NOT_AN_OBJECT {
            parse(line).err().unwrap_or(e)
        } else {
            e
        }
    })
}

fn read<T>(
    line: &str,
    value: impl FnOnce(&mut serde_json::Deserializer<serde_json::de::StrRead>) -> serde_json::Result<T>,
) -> Result<T, FieldError> {
    let mut de = serde_json::Deserializer::from_str(line);
    let value = value(&mut de).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            let text = e.to_string();
            match text.strip_prefix(REPEATED) {
                Some(rest) => {
                    let key = rest.split('`').next().unwrap_or_default().to_owned();
                    FieldError::new(key, "given more than once")
                }
                None => FieldError::new("", NOT_AN_OBJECT),
            }
        }
        serde_json::error::Category::Io
        | serde_json::error::Category::Syntax
        | serde_json::error::Category::Eof => FieldError::new("", format!("not JSON: {e}")),
    })
}

const REPEATED: &str = "repeated `";
const NOT_AN_OBJECT: &str = "not a JSON object";

fn repeated<E: de::Error>(key: &str) -> E {
    E::custom(format!("{REPEATED}{key}`"))
}

/// The entries of one object in their order, failing on a repeated key.
struct Entries;

/// Past this many keys a repeated one is looked for in a set, not by a scan of those before.
const SCANNED_KEYS: usize = 32;

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<(String, Value)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut many: Option<std::collections::HashSet<String>> = None;
        while let Some(key) = access.next_key::<String>()? {
            let seen = match &mut many {
                Some(set) => !set.insert(key.clone()),
                None => entries.iter().any(|(k, _)| *k == key),
            };
            if seen {
                return Err(repeated(&key));
            }
            let value = access.next_value_seed(UniqueKeys)?;
            entries.push((key, value));
            if many.is_none() && entries.len() > SCANNED_KEYS {
                many = Some(entries.iter().map(|(k, _)| k.clone()).collect());
            }
        }
        Ok(entries)
    }
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
            match map.entry(key) {
                serde_json::map::Entry::Occupied(o) => return Err(repeated(o.key())),
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(access.next_value_seed(UniqueKeys)?);
                }
            }
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
    fn an_object_line_keeps_its_order_and_refuses_repeats_however_many_keys() {
        let entries = parse_object(r#"{"z":1,"a":{"b":2},"m":null}"#).unwrap();
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        for n in [3, SCANNED_KEYS + 10] {
            let mut keys: Vec<String> = (0..n).map(|i| format!(r#""k{i}":{i}"#)).collect();
            assert_eq!(
                parse_object(&format!("{{{}}}", keys.join(",")))
                    .unwrap()
                    .len(),
                n
            );
            keys.push(r#""k1":"again""#.to_owned());
            let e = parse_object(&format!("{{{}}}", keys.join(","))).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.reason.as_str()),
                ("k1", "given more than once")
            );
        }
        for line in [r#"["a"]"#, r#""repeated `x`""#, "1"] {
            let e = parse_object(line).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.reason.as_str()),
                ("", "not a JSON object")
            );
        }
        assert!(
            parse_object(r#"{"a":1"#)
                .unwrap_err()
                .reason
                .starts_with("not JSON")
        );
    }

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

//! Long audit details, abridged for a page of the trail: every array keeps its first items and
//! every text its first characters. The JSON is read as a stream, so the items an array drops
//! are never built (an operation's entry holds its whole selection: megabytes for a large one).

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Items an abridged array keeps.
pub const ITEMS_KEPT: usize = 20;
/// Characters an abridged text keeps (then `…`).
pub const CHARS_KEPT: usize = 1_000;

/// `details` (JSON text) with every array cut to its first [`ITEMS_KEPT`] items and every text
/// to its first [`CHARS_KEPT`] characters; null when it is not JSON.
pub fn abridge(details: &str) -> Value {
    let mut json = serde_json::Deserializer::from_str(details);
    Abridged.deserialize(&mut json).unwrap_or(Value::Null)
}

/// Builds the abridged value of whatever JSON it is given.
struct Abridged;

impl<'de> DeserializeSeed<'de> for Abridged {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, json: D) -> Result<Value, D::Error> {
        json.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Abridged {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(match v.char_indices().nth(CHARS_KEPT) {
            Some((end, _)) => format!("{}…", &v[..end]),
            None => v.to_owned(),
        }))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut kept = Vec::new();
        while kept.len() < ITEMS_KEPT {
            match seq.next_element_seed(Abridged)? {
                Some(item) => kept.push(item),
                None => return Ok(Value::Array(kept)),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array(kept))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut kept = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            kept.insert(key, map.next_value_seed(Abridged)?);
        }
        Ok(Value::Object(kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_arrays_and_texts_are_cut_and_the_rest_kept() {
        let ids: Vec<String> = (0..5_000).map(|n| format!("557058:{n}")).collect();
        let long = "é".repeat(CHARS_KEPT + 5);
        let details = json!({
            "operationId": 7, "users": 5_000, "ratio": 0.5, "dryRun": false, "revertOf": null,
            "selection": {"accountIds": ids}, "reason": long, "short": [1, [2, 3]],
        });
        let abridged = abridge(&details.to_string());
        let kept: Vec<String> = ids_of(&abridged);
        assert_eq!(kept, ids[..ITEMS_KEPT]);
        assert_eq!(abridged["reason"], format!("{}…", "é".repeat(CHARS_KEPT)));
        for field in [
            "operationId",
            "users",
            "ratio",
            "dryRun",
            "revertOf",
            "short",
        ] {
            assert_eq!(abridged[field], details[field], "{field}");
        }
    }

    fn ids_of(v: &Value) -> Vec<String> {
        v["selection"]["accountIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn what_is_short_stays_whole_and_what_is_not_json_is_null() {
        let details = json!({"changes": {"inactiveDays": {"old": 30, "new": 45}}, "n": -3});
        assert_eq!(abridge(&details.to_string()), details);
        assert_eq!(abridge("[1,2"), Value::Null);
    }
}

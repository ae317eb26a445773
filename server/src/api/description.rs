//! The OpenAPI description as served at `/api/openapi.json`.
//!
//! poem-openapi marks an optional field `nullable: true` but leaves its
//! `enum` without `null`; OpenAPI 3.0.3 says an enum must list `null` for
//! the value to be allowed, so validators (schemathesis among them) would
//! otherwise refuse the `null` the server accepts. The description is
//! made once at start-up.

use serde_json::Value;

/// The description of `spec` (poem-openapi's JSON) with every nullable
/// enum listing `null`.
pub fn served(spec: &str) -> String {
    match serde_json::from_str::<Value>(spec) {
        Ok(mut v) => {
            allow_null_in_nullable_enums(&mut v);
            v.to_string()
        }
        Err(_) => spec.to_owned(),
    }
}

fn allow_null_in_nullable_enums(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::Array(items)) = map.get_mut("enum")
                && !items.contains(&Value::Null)
            {
                items.push(Value::Null);
            }
            map.values_mut().for_each(allow_null_in_nullable_enums);
        }
        Value::Array(items) => items.iter_mut().for_each(allow_null_in_nullable_enums),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_enums_list_null_and_others_stay() {
        let spec = r#"{"a":{"type":"string","enum":["vi","en"],"nullable":true},"b":{"enum":["x"]}}"#;
        let v: Value = serde_json::from_str(&served(spec)).unwrap();
        assert_eq!(v["a"]["enum"], serde_json::json!(["vi", "en", null]));
        assert_eq!(v["b"]["enum"], serde_json::json!(["x"]));
    }
}

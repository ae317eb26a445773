//! The OpenAPI description as served at `/api/openapi.json`.
//!
//! poem-openapi marks an optional field `nullable: true` but leaves its
//! `enum` without `null`; OpenAPI 3.0.3 says an enum must list `null` for
//! the value to be allowed, so validators (schemathesis among them) would
//! otherwise refuse the `null` the server accepts. The description is
//! made once at start-up.
//!
//! Each operation names who may call it (`x-roles`). It also declares the bearer token the API takes (`Authorization:
//! Bearer <token>` from `POST /auth/login`) as a security scheme, optional
//! on every operation (public ones need none; the others answer 401
//! without it), so Swagger UI's Authorize button sends it.

use serde_json::Value;

/// The description of `spec` (poem-openapi's JSON) with every nullable
/// enum listing `null`.
pub fn served(spec: &str) -> String {
    match serde_json::from_str::<Value>(spec) {
        Ok(mut v) => {
            allow_null_in_nullable_enums(&mut v);
            declare_bearer_token(&mut v);
            name_callers(&mut v);
            v.to_string()
        }
        Err(_) => spec.to_owned(),
    }
}

fn declare_bearer_token(v: &mut Value) {
    let Value::Object(root) = v else { return };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Value::Object(c) = components {
        c.insert(
            "securitySchemes".into(),
            serde_json::json!({"bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "The token from POST /api/v1/auth/login, sent as `Authorization: Bearer <token>`."
            }}),
        );
    }
    root.insert("security".into(), serde_json::json!([{"bearerAuth": []}, {}]));
}

/// Every operation says who may call it ([`super::callers`]): in
/// `x-roles`, and on the first line of its description.
fn name_callers(v: &mut Value) {
    let Some(Value::Object(paths)) = v.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for (method, op) in item.iter_mut() {
            let (Some(callers), Value::Object(op)) = (super::callers::of(method, path), op) else {
                continue;
            };
            let line = format!("**Who may call:** {}.", callers.join(", "));
            let description = match op.get("description").and_then(Value::as_str) {
                Some(d) if !d.is_empty() => format!("{line}\n\n{d}"),
                _ => line,
            };
            op.insert("description".into(), Value::String(description));
            op.insert("x-roles".into(), serde_json::json!(callers));
        }
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

    #[test]
    fn the_bearer_token_is_declared_and_optional() {
        let v: Value =
            serde_json::from_str(&served(r#"{"openapi":"3.0.0","components":{"schemas":{}}}"#)).unwrap();
        assert_eq!(
            v["components"]["securitySchemes"]["bearerAuth"]["scheme"],
            "bearer"
        );
        assert!(v["components"]["schemas"].is_object(), "other components stay");
        assert_eq!(v["security"], serde_json::json!([{"bearerAuth": []}, {}]));
    }
}

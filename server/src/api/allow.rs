//! `405 Method Not Allowed` with the `Allow` header the HTTP standard asks
//! for (RFC 9110 §15.5.6): poem answers 405 without it, so the methods of
//! each path are read once from the API's own OpenAPI description and
//! added to every 405 the API sends.

use std::sync::Arc;

use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

/// Each described path (as segments, `{param}` for a parameter) with its
/// methods.
pub struct Allow(Vec<(Vec<String>, HeaderValue)>);

impl Allow {
    /// The table of an OpenAPI description (JSON).
    pub fn from_spec(spec: &str) -> Self {
        let spec: serde_json::Value = serde_json::from_str(spec).unwrap_or_default();
        let mut table = Vec::new();
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            let mut methods: Vec<String> = item
                .as_object()
                .into_iter()
                .flatten()
                .map(|(m, _)| m.to_ascii_uppercase())
                .filter(|m| ["GET", "PUT", "POST", "DELETE", "PATCH"].contains(&m.as_str()))
                .collect();
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".into());
            }
            methods.sort();
            if let Ok(v) = HeaderValue::from_str(&methods.join(", ")) {
                let segments = path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                table.push((segments, v));
            }
        }
        Allow(table)
    }

    /// The methods of the described path matching `path` (a literal
    /// segment wins over a parameter).
    fn methods(&self, path: &str) -> Option<&HeaderValue> {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        self.0
            .iter()
            .filter(|(p, _)| {
                p.len() == segs.len() && p.iter().zip(&segs).all(|(p, s)| p.starts_with('{') || p == s)
            })
            .min_by_key(|(p, _)| p.iter().filter(|s| s.starts_with('{')).count())
            .map(|(_, m)| m)
    }

    /// The middleware, around the API nested at its base path.
    pub async fn apply<E: Endpoint>(self: Arc<Self>, ep: Arc<E>, req: Request) -> poem::Result<Response> {
        let path = req.uri().path().to_owned();
        let mut resp = match ep.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        if resp.status() == StatusCode::METHOD_NOT_ALLOWED
            && let Some(m) = self.methods(&path)
        {
            resp.headers_mut().insert(header::ALLOW, m.clone());
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_literals_before_parameters() {
        let spec = r#"{"paths": {"/posts/{id}": {"get": {}, "put": {}}, "/posts/new": {"post": {}}, "/search": {"get": {}}}}"#;
        let a = Allow::from_spec(spec);
        assert_eq!(a.methods("/posts/7").unwrap(), "GET, HEAD, PUT");
        assert_eq!(a.methods("/posts/new").unwrap(), "POST");
        assert_eq!(a.methods("/search").unwrap(), "GET, HEAD");
        assert!(a.methods("/nope/1/2").is_none());
    }
}

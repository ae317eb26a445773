//! Security headers on every response. Pages run no inline script (the
//! editor's script is a file), so the content security policy is strict;
//! nothing may frame the portal (the editor's approve and publish forms
//! must not be clickjacked); browsers send no more of a URL than the origin
//! to other sites; HSTS is sent once cookies are marked secure (behind
//! HTTPS). A response that sets its own policy (an uploaded file, Swagger
//! UI) keeps it.

use std::sync::Arc;

use poem::http::{HeaderName, HeaderValue, header};
use poem::{Endpoint, IntoResponse, Request, Response};

/// The policy of the portal's own pages.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The policy of an uploaded file shown in the browser: nothing in it may
/// run or load anything (a PDF's script, an SVG's).
pub const CSP_FILE: &str =
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/// Swagger UI at `/api/docs` is a page of poem-openapi's with inline
/// script and style: it gets them, and nothing else.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/// The headers every response gets unless it set them, built once.
pub struct Policy {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Policy {
    /// `hsts_max_age` is `Some` when cookies are secure (behind HTTPS).
    pub fn new(hsts_max_age: Option<u64>) -> Self {
        let mut headers = vec![
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(PERMISSIONS),
            ),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ];
        if let Some(v) = hsts_max_age
            .and_then(|age| HeaderValue::from_str(&format!("max-age={age}; includeSubDomains")).ok())
        {
            headers.push((header::STRICT_TRANSPORT_SECURITY, v));
        }
        Policy { headers }
    }

    /// The middleware.
    pub async fn apply<E: Endpoint>(self: Arc<Self>, ep: Arc<E>, req: Request) -> poem::Result<Response> {
        let docs = req.uri().path().starts_with("/api/docs");
        let mut resp = match ep.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        let h = resp.headers_mut();
        if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }),
            );
        }
        for (name, value) in &self.headers {
            if !h.contains_key(name) {
                h.insert(name.clone(), value.clone());
            }
        }
        Ok(resp)
    }
}

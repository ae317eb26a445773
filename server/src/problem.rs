//! RFC 9457 problem details: every API error is `application/problem+json`
//! with a stable `type` that clients can switch on.

use poem::error::ResponseError;
use poem::http::{StatusCode, header};
use poem::{Body, Response};
use serde::Serialize;

/// The content type of every API error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An API error. `kind` becomes the problem `type` `/api/problems/{kind}`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{title}: {detail}")]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: String,
    /// The input field at fault, for validation errors.
    pub field: Option<String>,
    /// Seconds to wait, for 429 and 503 answers.
    pub retry_after: Option<u64>,
    /// When a consultation opens and closes (RFC 3339), for a comment
    /// outside its window.
    pub window: Option<Box<(String, String)>>,
}

#[derive(Serialize)]
struct Body9457<'a> {
    #[serde(rename = "type")]
    ty: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opens_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closes_at: Option<&'a str>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            title,
            detail: detail.into(),
            field: None,
            retry_after: None,
            window: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", "Bad request", detail)
    }

    pub fn validation(field: impl Into<String>, detail: impl Into<String>) -> Self {
        let field = field.into();
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid input",
            format!("{field}: {}", detail.into()),
        );
        e.field = Some(field);
        e
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    pub fn too_many(kind: &'static str, detail: impl Into<String>, retry_after: u64) -> Self {
        let mut e = Self::new(StatusCode::TOO_MANY_REQUESTS, kind, "Too many requests", detail);
        e.retry_after = Some(retry_after);
        e
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            detail,
        );
        e.retry_after = Some(5);
        e
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the server failed; the error is logged with this request's id",
        )
    }

    /// The problem+json body.
    fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&Body9457 {
            ty: format!("/api/problems/{}", self.kind),
            title: self.title,
            status: self.status.as_u16(),
            detail: &self.detail,
            field: self.field.as_deref(),
            opens_at: self.window.as_ref().map(|w| w.0.as_str()),
            closes_at: self.window.as_ref().map(|w| w.1.as_str()),
        })
        .unwrap_or_default()
    }

    /// A problem for an error raised by the framework (unparseable body,
    /// unknown route, wrong method).
    pub fn from_poem(err: &poem::Error) -> Self {
        let status = err.status();
        let detail = err.to_string();
        match status {
            StatusCode::NOT_FOUND => Self::not_found(if detail.is_empty() {
                "no such resource".into()
            } else {
                detail
            }),
            StatusCode::METHOD_NOT_ALLOWED => {
                Self::new(status, "method-not-allowed", "Method not allowed", detail)
            }
            StatusCode::PAYLOAD_TOO_LARGE => Self::new(status, "too-large", "Request too large", detail),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Self::new(status, "unsupported-media-type", "Unsupported media type", detail)
            }
            s if s.is_client_error() => Self::new(s, "bad-request", "Bad request", detail),
            _ => Self::internal(),
        }
    }
}

/// The RFC 9457 body as the OpenAPI description shows it.
#[derive(poem_openapi::Object)]
#[oai(rename = "Problem")]
struct ProblemSchema {
    /// A stable identifier of the kind of problem, e.g. `/api/problems/validation`.
    #[oai(rename = "type")]
    ty: String,
    title: String,
    status: u16,
    detail: String,
    /// The input field at fault, for validation errors.
    #[oai(skip_serializing_if_is_none)]
    field: Option<String>,
    /// When a consultation opens, for a comment outside its window (409).
    #[oai(skip_serializing_if_is_none)]
    opens_at: Option<String>,
    /// When a consultation closes (or closed), for a comment outside its
    /// window (409).
    #[oai(skip_serializing_if_is_none)]
    closes_at: Option<String>,
}

/// Every operation may answer with these problems: bad input (400, 413,
/// 415, 422), no or not enough rights (401, 403), a missing resource
/// (404), a wrong method (405, with `Allow`), a clash with the stored
/// state (409, 423), too many requests (429) and an unavailable service
/// (503). Declaring them once keeps the description and the server in
/// step.
impl poem_openapi::ApiResponse for ApiError {
    fn meta() -> poem_openapi::registry::MetaResponses {
        use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses};
        use poem_openapi::types::Type;
        let problem = |status: u16, description: &'static str| MetaResponse {
            description,
            status: Some(status),
            status_range: None,
            content: vec![MetaMediaType {
                content_type: PROBLEM_JSON,
                schema: <ProblemSchema as Type>::schema_ref(),
            }],
            headers: Vec::new(),
        };
        MetaResponses {
            responses: vec![
                problem(400, "Malformed request"),
                problem(401, "Not signed in"),
                problem(403, "Not allowed"),
                problem(404, "Not found"),
                problem(405, "Method not allowed"),
                problem(409, "Conflict with the stored state"),
                problem(413, "Request too large"),
                problem(415, "Unsupported media type"),
                problem(422, "Invalid input"),
                problem(423, "Locked for editing"),
                problem(429, "Too many requests"),
                problem(503, "Service unavailable"),
            ],
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <ProblemSchema as poem_openapi::types::Type>::register(registry);
    }
}

impl ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        let json = self.body();
        let mut resp = Response::builder()
            .status(self.status)
            .header(header::CONTENT_TYPE, PROBLEM_JSON)
            .body(Body::from(json));
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        resp
    }
}

impl From<content::Error> for ApiError {
    fn from(e: content::Error) -> Self {
        match e {
            content::Error::Invalid { field, message, .. } => ApiError::validation(field, message),
            content::Error::Unknown { field, message } => {
                let mut e = ApiError::new(
                    StatusCode::NOT_FOUND,
                    "unknown-reference",
                    "Unknown reference",
                    format!("{field}: {message}"),
                );
                e.field = Some(field);
                e
            }
            content::Error::NotFound(what) => ApiError::not_found(format!("{what} not found")),
            content::Error::Conflict(m) => ApiError::conflict(m),
            content::Error::OutsideWindow { opens_at, closes_at } => {
                let (o, c) = (
                    content::time::rfc3339_vn(opens_at),
                    content::time::rfc3339_vn(closes_at),
                );
                let mut e = ApiError::new(
                    StatusCode::CONFLICT,
                    "outside-window",
                    "Outside the consultation window",
                    format!("comments are accepted from {o} to {c}"),
                );
                e.window = Some(Box::new((o, c)));
                e
            }
            content::Error::Forbidden(m) => ApiError::forbidden(m),
            content::Error::Locked { holder, until } => ApiError::new(
                StatusCode::LOCKED,
                "locked",
                "Locked for editing",
                format!(
                    "{holder} is editing this post until {}",
                    content::time::format_vn(until)
                ),
            ),
            content::Error::Db(e) => {
                tracing::error!(error = %e, "database error");
                ApiError::internal()
            }
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        content::Error::Db(e).into()
    }
}

/// Turns any error that reaches the edge of the API into problem+json. A
/// query parameter or a body field of the wrong type or out of its
/// declared bounds is a validation error (422) naming the field; an id in
/// the path that is not a number (`/units/None`) is not found (404); a body
/// that is not JSON at all is a bad request (400).
pub async fn render(err: poem::Error) -> Response {
    use poem_openapi::error::{ParseParamError, ParsePathError, ParseRequestPayloadError};
    if let Some(e) = err.downcast_ref::<ParseParamError>() {
        // Path segments reach us named by position (`param0`); an id that
        // is not a number names no resource, while a day out of range (a
        // calendar override's) stays a validation error.
        let in_path = e
            .name
            .strip_prefix("param")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if in_path && e.reason.contains("\"integer_") {
            return ApiError::not_found(format!("no such resource ({})", e.reason)).as_response();
        }
        return ApiError::validation(e.name, &e.reason).as_response();
    }
    if let Some(e) = err.downcast_ref::<ParsePathError>() {
        if e.reason.contains("\"integer_") {
            return ApiError::not_found(format!("no such resource ({})", e.reason)).as_response();
        }
        return ApiError::validation(e.name, &e.reason).as_response();
    }
    if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>()
        && !(e.reason.contains(" at line ") && e.reason.contains(" column "))
    {
        let field = e
            .reason
            .split('`')
            .nth(1)
            .filter(|f| !f.is_empty() && f.len() < 64)
            .unwrap_or("body")
            .to_owned();
        return ApiError::validation(field, &e.reason).as_response();
    }
    match err.downcast_ref::<ApiError>() {
        Some(api) => api.as_response(),
        None => {
            if err.status().is_server_error() {
                tracing::error!(error = %err, "unhandled error");
            }
            ApiError::from_poem(&err).as_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a client receives: the status, the headers that matter, the body.
    fn received(e: ApiError) -> String {
        let resp = e.as_response();
        let retry = resp
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| format!("retry-after: {}\n", v.to_str().unwrap_or_default()))
            .unwrap_or_default();
        let body: serde_json::Value = serde_json::from_slice(&e.body()).unwrap();
        format!(
            "{}\ncontent-type: {}\n{retry}\n{}",
            resp.status(),
            resp.headers()[header::CONTENT_TYPE].to_str().unwrap(),
            serde_json::to_string_pretty(&body).unwrap()
        )
    }

    #[test]
    fn problem_bodies() {
        insta::assert_snapshot!(
            "validation",
            received(content::Error::invalid("title", "must be 1 to 300 characters").into())
        );
        let until = chrono::DateTime::parse_from_rfc3339("2026-11-30T03:15:00Z")
            .unwrap()
            .to_utc();
        insta::assert_snapshot!(
            "locked",
            received(
                content::Error::Locked {
                    holder: "Nguyễn Văn A".into(),
                    until
                }
                .into()
            )
        );
        insta::assert_snapshot!("not_found", received(content::Error::NotFound("post").into()));
        insta::assert_snapshot!(
            "unknown_reference",
            received(content::Error::unknown("section_id", "no such section").into())
        );
        insta::assert_snapshot!(
            "too_large",
            received(ApiError::from_poem(&poem::Error::from_status(
                StatusCode::PAYLOAD_TOO_LARGE
            )))
        );
        insta::assert_snapshot!(
            "unavailable",
            received(ApiError::unavailable("the search index is being built"))
        );
    }
}

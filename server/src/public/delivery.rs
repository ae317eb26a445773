//! How public pages leave the server: conditional GET (ETag and
//! Last-Modified answered with 304), CDN-friendly `Cache-Control`, and
//! private pages (forms with a token, an asker's own data) never cached.

use chrono::DateTime;
use poem::Response;
use poem::http::{HeaderMap, StatusCode, header};

use super::cache::Page;

/// What a page builder produced.
pub(super) enum Rendered {
    /// The same for every visitor: cached here and by a CDN.
    Page(Page),
    /// A page for one visitor (it carries a form token or their data):
    /// never cached, here or by a CDN.
    Private(Page),
    /// The page lives at another address (a post moved to another section).
    Redirect(String),
}

/// Sends a page, or 304 when the client's validators match.
pub(super) fn respond(headers: &HeaderMap, page: &Page) -> Response {
    let inm = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    let ims = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    let last_modified = page.last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let not_modified = match (inm, ims) {
        (Some(tags), _) => tags.split(',').any(|t| t.trim() == page.etag || t.trim() == "*"),
        (None, Some(since)) => page.last_modified.timestamp() <= since.timestamp(),
        _ => false,
    };
    let cache_control = if page.status == 200 {
        "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
    } else {
        "public, max-age=60"
    };
    let builder = Response::builder()
        .header(header::ETAG, page.etag.clone())
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::CACHE_CONTROL, cache_control)
        .header(header::VARY, "Accept-Encoding");
    if not_modified && page.status == 200 {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    builder
        .status(StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK))
        .content_type(page.content_type)
        .body(page.body.clone())
}

/// Sends a page meant for one visitor.
pub(super) fn private(page: &Page) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK))
        .content_type(page.content_type)
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(page.body.clone())
}

/// Sends a redirect with `status` (301 for moved pages, 303 after a form).
pub(super) fn redirect(status: StatusCode, to: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::LOCATION, to)
        .finish()
}

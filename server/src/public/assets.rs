//! The files every page links to: the stylesheet (with the brand colour),
//! the logo and icon from configuration, or the built-in wordmark.

use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{IntoResponse, Request, Response, handler};

use crate::state::AppState;

/// The built-in icon: a neutral wordmark ("BHXH" on the agency's blue),
/// until an operator configures the real one.
const WORDMARK: &str = concat!(
    r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">"##,
    r##"<rect width="64" height="64" rx="12" fill="#0b4f8a"/>"##,
    r##"<text x="32" y="40" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="20" font-weight="700" fill="#fff">BHXH</text>"##,
    "</svg>"
);

/// A configured SVG may hold scripts: it is served as an image that runs
/// nothing, even when opened on its own.
const ASSET_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// `GET /static/:file`: the stylesheet under its fingerprinted name.
#[handler]
pub fn stylesheet(state: Data<&AppState>, Path(file): Path<String>) -> Response {
    let brand = &state.config.brand;
    if format!("/static/{file}") != brand.stylesheet_url {
        return StatusCode::NOT_FOUND.into_response();
    }
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .body(brand.stylesheet.to_string())
}

/// `GET /brand/:file`: the configured logo or icon, fingerprinted.
#[handler]
pub fn brand_file(state: Data<&AppState>, req: &Request) -> Response {
    match state.config.brand.asset(req.uri().path()) {
        Some(asset) => Response::builder()
            .content_type(asset.content_type)
            .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
            .header(header::CONTENT_SECURITY_POLICY, ASSET_CSP)
            .body(asset.bytes.to_vec()),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /favicon.ico` and `/favicon.svg` (browsers ask for the first
/// unprompted): the configured icon, else the logo, else the wordmark.
#[handler]
pub fn favicon(state: Data<&AppState>) -> Response {
    let brand = &state.config.brand;
    let (content_type, body) = match brand.favicon.as_ref().or(brand.logo.as_ref()) {
        Some(asset) => (asset.content_type, asset.bytes.to_vec()),
        None => ("image/svg+xml", WORDMARK.as_bytes().to_vec()),
    };
    Response::builder()
        .content_type(content_type)
        .header(header::CACHE_CONTROL, "public, max-age=86400")
        .header(header::CONTENT_SECURITY_POLICY, ASSET_CSP)
        .body(body)
}

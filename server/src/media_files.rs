//! Serving uploaded files: originals and image derivatives. Missing
//! derivatives are re-made from the original on first request, so the
//! derived directory can be deleted at any time.

use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use crate::state::AppState;

fn not_found() -> Response {
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .content_type("text/plain; charset=utf-8")
        .body("not found")
}

fn file_response(
    req: &Request,
    bytes: Vec<u8>,
    mime: &str,
    etag: &str,
    download_name: Option<&str>,
) -> Response {
    let etag = format!("\"{etag}\"");
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, etag)
            .finish();
    }
    let mut b = Response::builder()
        .content_type(mime)
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "public, max-age=86400")
        .header("x-content-type-options", "nosniff");
    if let Some(name) = download_name {
        let ascii: String = content::text::slugify(name);
        b = b.header(
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{ascii}\""),
        );
    }
    b.body(bytes)
}

/// `GET /media/:id/original`
#[handler]
pub async fn original(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> Response {
    let Ok(m) = content::media::get(&state.db, id).await else {
        return not_found();
    };
    match tokio::fs::read(state.media.store().original(&m.sha256)).await {
        Ok(bytes) => {
            let name = (m.kind == "document").then_some(m.file_name.as_str());
            file_response(req, bytes, &m.mime, &m.sha256, name)
        }
        Err(_) => not_found(),
    }
}

/// `GET /media/:id/:width.:ext`, e.g. `/media/7/800.webp`.
#[handler]
pub async fn derivative(
    state: Data<&AppState>,
    req: &Request,
    Path((id, file)): Path<(i32, String)>,
) -> Response {
    let Some((w, ext)) = file.split_once('.') else {
        return not_found();
    };
    let Ok(width) = w.parse::<u32>() else {
        return not_found();
    };
    let Ok(m) = content::media::get(&state.db, id).await else {
        return not_found();
    };
    let Some(d) = m
        .derivatives()
        .into_iter()
        .find(|d| d.width == width && d.ext == ext)
    else {
        return not_found();
    };
    let path = match state.media.derivative_file(&m, &d).await {
        Ok(path) => path,
        Err(e) => {
            tracing::error!(media = id, error = %e, "cannot re-make derivatives");
            return not_found();
        }
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => file_response(req, bytes, d.mime(), &format!("{}-{}", m.sha256, file), None),
        Err(_) => not_found(),
    }
}

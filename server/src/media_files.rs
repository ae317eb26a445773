//! Serving uploaded files: originals and image derivatives. A file is
//! served to anonymous readers only while it is public (a published post
//! uses it, or an editor marked it public); otherwise only signed-in staff
//! get it, never cached by a proxy. Documents are always downloads, never
//! shown inside the portal's origin, and everything carries a sandboxing
//! policy. Missing derivatives are re-made from the original on first
//! request, so the derived directory can be deleted at any time. Files sent
//! with comments on drafts are served here too, quarantined until their
//! comment is published.

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

/// Whether the request may have the file: public, or asked by staff.
async fn may_see(state: &AppState, req: &Request, m: &content::entity::media::Model) -> bool {
    if m.public {
        return true;
    }
    matches!(
        crate::auth::caller(state, req).await,
        Ok(Some((c, _))) if c.account.roles.any(&content::roles::EDITORIAL_STAFF)
    )
}

fn file_response(
    req: &Request,
    bytes: Vec<u8>,
    mime: &str,
    etag: &str,
    download_name: Option<&str>,
    public: bool,
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
        .header(
            header::CACHE_CONTROL,
            if public {
                "public, max-age=86400"
            } else {
                "private, no-store"
            },
        )
        .header("x-content-type-options", "nosniff")
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_SECURITY_POLICY, crate::headers::CSP_FILE);
    if let Some(name) = download_name {
        b = b.header(header::CONTENT_DISPOSITION, attachment(name));
    }
    b.body(bytes)
}

/// The most bytes one range answer carries: a player asking for
/// `bytes=0-` gets the file in pieces, never all of a video in memory.
const RANGE_CHUNK: u64 = 4 * 1024 * 1024;

/// The single byte range a `Range` header asks of a file of `len`
/// bytes: `Some(Ok(start..=end))`, `Some(Err(()))` when it cannot be
/// satisfied, `None` when there is none (or several, answered whole).
fn wanted_range(req: &Request, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = req
        .headers()
        .get(header::RANGE)?
        .to_str()
        .ok()?
        .strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.trim().split_once('-')?;
    let range = match (a.parse::<u64>().ok(), b.parse::<u64>().ok()) {
        (Some(start), end) => {
            let end = end
                .unwrap_or(u64::MAX)
                .min(len.saturating_sub(1))
                .min(start.saturating_add(RANGE_CHUNK - 1));
            (start < len && start <= end).then_some((start, end))
        }
        (None, Some(suffix)) if suffix > 0 && len > 0 => {
            Some((len.saturating_sub(suffix.min(RANGE_CHUNK)), len - 1))
        }
        _ => None,
    };
    Some(range.ok_or(()))
}

/// A byte range of the file at `path`, as `206 Partial Content`.
async fn range_response(
    req: &Request,
    path: &std::path::Path,
    mime: &str,
    etag: &str,
    public: bool,
) -> Option<Response> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let len = tokio::fs::metadata(path).await.ok()?.len();
    let (start, end) = match wanted_range(req, len)? {
        Ok(r) => r,
        Err(()) => {
            return Some(
                Response::builder()
                    .status(StatusCode::RANGE_NOT_SATISFIABLE)
                    .header(header::CONTENT_RANGE, format!("bytes */{len}"))
                    .finish(),
            );
        }
    };
    let mut f = tokio::fs::File::open(path).await.ok()?;
    f.seek(std::io::SeekFrom::Start(start)).await.ok()?;
    let mut bytes = vec![0; usize::try_from(end - start + 1).ok()?];
    f.read_exact(&mut bytes).await.ok()?;
    let mut resp = file_response(req, bytes, mime, etag, None, public);
    if resp.status() == StatusCode::OK {
        resp.set_status(StatusCode::PARTIAL_CONTENT);
        resp.headers_mut().insert(
            header::CONTENT_RANGE,
            format!("bytes {start}-{end}/{len}").parse().ok()?,
        );
    }
    Some(resp)
}

/// `GET /media/:id/original`: whole, or in byte ranges (video players
/// seek this way).
#[handler]
pub async fn original(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> Response {
    let Ok(m) = content::media::get(&state.db, id).await else {
        return not_found();
    };
    if !may_see(&state, req, &m).await {
        return not_found();
    }
    let path = state.media.store().original(&m.sha256);
    if let Some(partial) = range_response(req, &path, &m.mime, &m.sha256, m.public).await {
        return partial;
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let name = (m.kind == "document").then_some(m.file_name.as_str());
            let resp = file_response(req, bytes, &m.mime, &m.sha256, name, m.public);
            if m.public && m.kind == "document" && resp.status() == StatusCode::OK {
                state.downloads.count(m.id);
            }
            resp
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
    if !may_see(&state, req, &m).await {
        return not_found();
    }
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
        Ok(bytes) => file_response(
            req,
            bytes,
            d.mime(),
            &format!("{}-{}", m.sha256, file),
            None,
            m.public,
        ),
        Err(_) => not_found(),
    }
}

/// `GET /consultation-files/:comment_id`: the file sent with a comment on
/// a draft. Quarantined until a moderator publishes the comment: before
/// that (or once refused) only staff who moderate the draft's comments
/// get it, never cached; always a download.
#[handler]
pub async fn comment_file(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> Response {
    use content::entries::comments;
    let Ok(Some(c)) = comments::comment(&state.db, id).await else {
        return not_found();
    };
    let public = comments::published_attachment(&state.db, c.entry_id, id)
        .await
        .is_ok();
    if !public {
        let staff = match crate::auth::caller(&state, req).await {
            Ok(Some((caller, _))) => {
                comments::attachment_for_staff(&state.db, &caller.account, c.entry_id, id)
                    .await
                    .is_ok()
            }
            _ => false,
        };
        if !staff {
            return not_found();
        }
    }
    let (Some(sha), Some(mime), Some(name)) = (&c.attachment_sha256, &c.attachment_mime, &c.attachment_name)
    else {
        return not_found();
    };
    match tokio::fs::read(state.media.store().original(sha)).await {
        Ok(bytes) => file_response(req, bytes, mime, sha, Some(name), public),
        Err(e) => {
            tracing::error!(error = %e, comment = id, "a comment's file is missing from the store");
            not_found()
        }
    }
}

/// `Content-Disposition` of a download: an ASCII fallback name and the
/// real one (RFC 6266 / 5987), so Vietnamese file names survive.
fn attachment(name: &str) -> String {
    let name = content::text::safe_file_name(name);
    let ascii = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            format!("{}.{ext}", content::text::slugify(stem))
        }
        _ => content::text::slugify(&name),
    };
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn downloads_keep_vietnamese_names_and_lose_tricks() {
        assert_eq!(
            super::attachment("Nghị định 1.pdf"),
            "attachment; filename=\"nghi-dinh-1.pdf\"; filename*=UTF-8''Ngh%E1%BB%8B%20%C4%91%E1%BB%8Bnh%201.pdf"
        );
        assert!(!super::attachment("a\u{202E}fdp.exe\"").contains('\u{202E}'));
    }
}

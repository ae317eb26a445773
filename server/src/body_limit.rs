//! Request-body limits. Every request may send at most [`MAX_BODY`]; an
//! upload route raises its own limit to what the media pipeline accepts
//! ([`content::media::Limits::max_body`]) with [`allow_upload`], so the
//! limit belongs to the route, not to a list of paths. A body over its
//! limit is answered 413, whether announced by `Content-Length` or
//! streamed in chunks; a moderately large one is read and dropped first so
//! the connection stays usable.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use poem::http::{HeaderValue, StatusCode, header};
use poem::{Body, Endpoint, EndpointExt, IntoResponse, Request, Response};

use crate::problem::ApiError;

/// The largest request body accepted outside upload routes.
pub const MAX_BODY: usize = 1024 * 1024;
/// Oversized bodies up to this size are read and dropped before the 413.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// The body limit of one request; upload routes raise it.
#[derive(Clone)]
struct Budget(Arc<BudgetState>);

struct BudgetState {
    limit: AtomicUsize,
    upload_limit: usize,
    exceeded: AtomicBool,
    /// The whole body was read (the connection can be reused).
    drained: AtomicBool,
}

impl Budget {
    fn exceeded(&self) -> bool {
        self.0.exceeded.load(Ordering::Acquire)
    }
}

/// Raises the body limit of an upload route to the media pipeline's.
pub fn allow_upload<E: Endpoint>(ep: E) -> impl Endpoint<Output = E::Output> {
    ep.before(|req: Request| async move {
        if let Some(b) = req.extensions().get::<Budget>() {
            b.0.limit.store(b.0.upload_limit, Ordering::Release);
        }
        Ok(req)
    })
}

/// Raises this request's body limit to `bytes`: a public form that takes
/// one file (a comment's attachment) decides its own limit, far below an
/// editor's upload.
pub fn allow_at_most(req: &Request, bytes: usize) {
    if let Some(b) = req.extensions().get::<Budget>() {
        b.0.limit.store(bytes, Ordering::Release);
    }
}

/// The largest catalogue import sent over the API (a whole catalogue goes
/// through `portal import`).
pub const IMPORT_BODY: usize = 16 * 1024 * 1024;

/// Raises the body limit of an import route to [`IMPORT_BODY`].
pub fn allow_import<E: Endpoint>(ep: E) -> impl Endpoint<Output = E::Output> {
    ep.before(|req: Request| async move {
        if let Some(b) = req.extensions().get::<Budget>() {
            b.0.limit.store(IMPORT_BODY, Ordering::Release);
        }
        Ok(req)
    })
}

fn too_large() -> ApiError {
    ApiError::from_poem(&poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE))
}

/// The refusal of an oversized body: problem+json for the API, a page in
/// the editor's language for the editor's forms (a person reads it).
fn refusal(editor: Option<&(String, String)>) -> Response {
    let Some((lang, back_to)) = editor else {
        return poem::error::ResponseError::as_response(&too_large());
    };
    let (lang, title, text, back) = if lang.as_str() == "en" {
        (
            "en",
            "File too large",
            "The file is larger than the portal accepts (images up to 20 MB, documents up to 50 MB, videos up to 100 MB). Make it smaller and try again.",
            "Go back",
        )
    } else {
        (
            "vi",
            "Tệp quá lớn",
            "Tệp lớn hơn mức cổng cho phép (ảnh tối đa 20 MB, tài liệu tối đa 50 MB, video tối đa 100 MB). Hãy giảm dung lượng rồi thử lại.",
            "Quay lại",
        )
    };
    Response::builder()
        .status(StatusCode::PAYLOAD_TOO_LARGE)
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" href=\"/editor/assets/editor.css\"></head><body><main><h1>{title}</h1><p class=\"error\" role=\"alert\">{text}</p><p><a href=\"{back_to}\">{back}</a></p></main></body></html>"
        ))
}

/// For an editor form, the editor's language and the page to go back to
/// (the form's page, from `Referer`); `None` for anything else.
fn editor_lang(req: &Request) -> Option<(String, String)> {
    let path = req.uri().path();
    if !path.starts_with("/editor/") {
        return None;
    }
    // This middleware runs before the cookie jar exists: read the header.
    let lang = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("portal_lang="))
        .unwrap_or("vi")
        .to_owned();
    let back = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/editor/").map(|i| r[i..].to_owned()))
        .filter(|r| r.bytes().all(|b| b.is_ascii_graphic() && !b"\"'<>&".contains(&b)))
        .unwrap_or_else(|| "/editor/".to_owned());
    Some((lang, back))
}

/// Counts the body as the handler reads it and fails past the limit of
/// the moment (after reading and dropping up to [`DRAIN_LIMIT`]).
fn metered(
    body: impl Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin + 'static,
    budget: Budget,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::unfold(
        (body, budget, 0usize, false),
        |(mut body, budget, mut seen, done)| async move {
            if done {
                return None;
            }
            match body.next().await {
                None => {
                    budget.0.drained.store(true, Ordering::Release);
                    None
                }
                Some(Err(e)) => Some((Err(e), (body, budget, seen, true))),
                Some(Ok(chunk)) => {
                    seen += chunk.len();
                    if seen <= budget.0.limit.load(Ordering::Acquire) {
                        return Some((Ok(chunk), (body, budget, seen, false)));
                    }
                    budget.0.exceeded.store(true, Ordering::Release);
                    while seen <= DRAIN_LIMIT {
                        match body.next().await {
                            Some(Ok(c)) => seen += c.len(),
                            Some(Err(_)) => break,
                            None => {
                                budget.0.drained.store(true, Ordering::Release);
                                break;
                            }
                        }
                    }
                    let e = std::io::Error::new(std::io::ErrorKind::InvalidData, "request body too large");
                    Some((Err(e), (body, budget, seen, true)))
                }
            }
        },
    )
}

/// The middleware: `upload_limit` is the most any route allows.
pub async fn limit_body<E: Endpoint>(
    ep: Arc<E>,
    mut req: Request,
    upload_limit: usize,
) -> poem::Result<Response> {
    let editor = editor_lang(&req);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(n) = declared
        && n > upload_limit
    {
        if n <= DRAIN_LIMIT {
            let mut rest = tokio::io::AsyncReadExt::take(req.take_body().into_async_read(), n as u64);
            let _ = tokio::io::copy(&mut rest, &mut tokio::io::sink()).await;
            return Ok(refusal(editor.as_ref()));
        }
        return Ok(closing(refusal(editor.as_ref())));
    }
    let budget = Budget(Arc::new(BudgetState {
        limit: AtomicUsize::new(MAX_BODY),
        upload_limit,
        exceeded: AtomicBool::new(false),
        drained: AtomicBool::new(false),
    }));
    let has_body = declared.is_some_and(|n| n > 0) || req.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        let body = req.take_body().into_bytes_stream();
        req.set_body(Body::from_bytes_stream(metered(Box::pin(body), budget.clone())));
    }
    req.extensions_mut().insert(budget.clone());
    let resp = ep.call(req).await.map(IntoResponse::into_response);
    if budget.exceeded() {
        let resp = refusal(editor.as_ref());
        return Ok(if budget.0.drained.load(Ordering::Acquire) {
            resp
        } else {
            closing(resp)
        });
    }
    resp
}

fn closing(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

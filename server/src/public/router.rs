//! From a public URL to its page. Paths are the section tree's slugs, so
//! they cannot be a static route table: `/vi/tin-tuc` is a section,
//! `/vi/tin-tuc/<slug>` an article, `/vi/hoi-dap/…` the Q&A, and the fixed
//! pages (search, sitemap, contact) have a slug per language.

use std::sync::Arc;

use content::lang::Lang;
use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::cache::Page;
use super::delivery::{Rendered, private, redirect, respond};
use super::i18n;
use super::layout::not_found;
use super::pages;
use super::tree::Tree;
use crate::state::AppState;

/// `/`: the edition of the host name, else the reader's language.
#[handler]
pub fn root(state: Data<&AppState>, req: &Request) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or("");
    let edition = state
        .config
        .edition_for_host(host)
        .and_then(|e| e.parse::<Lang>().ok())
        .unwrap_or_else(|| {
            let accept = req
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
            if first.starts_with("en") {
                Lang::En
            } else {
                Lang::Vi
            }
        });
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, format!("/{edition}/"))
        .header(header::VARY, "Host, Accept-Language")
        .header(header::CACHE_CONTROL, "public, max-age=300")
        .finish()
}

/// `/:edition` without the slash.
#[handler]
pub async fn edition_home(
    state: Data<&AppState>,
    req: &Request,
    Path(edition): Path<String>,
) -> poem::Result<Response> {
    match edition.parse::<Lang>() {
        Ok(ed) => Ok(redirect(StatusCode::MOVED_PERMANENTLY, &format!("/{ed}/"))),
        Err(_) => Ok(respond(req.headers(), &not_found(&state, Lang::Vi).await?)),
    }
}

/// `GET /:edition/*rest`: every public page, from the page cache when it
/// holds it.
#[handler]
pub async fn public_page(
    state: Data<&AppState>,
    req: &Request,
    Path((edition, rest)): Path<(String, String)>,
) -> poem::Result<Response> {
    let Ok(ed) = edition.parse::<Lang>() else {
        return Ok(respond(req.headers(), &not_found(&state, Lang::Vi).await?));
    };
    let key = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    if let Some(p) = state.pages.get(&key) {
        count_view(&state, req, &p);
        return Ok(respond(req.headers(), &p));
    }
    let epoch = state.pages.epoch();
    match render(&state, req, ed, &rest).await? {
        Rendered::Page(p) => {
            let p = Arc::new(p);
            state.pages.put(key, p.clone(), epoch);
            count_view(&state, req, &p);
            Ok(respond(req.headers(), &p))
        }
        Rendered::Private(p) => Ok(private(&p)),
        Rendered::Redirect(to) => Ok(redirect(StatusCode::MOVED_PERMANENTLY, &to)),
    }
}

/// `GET /preview/:token`: a draft as its article page would look, for
/// whoever holds a live preview link; never cached, never indexed.
#[handler]
pub async fn preview(
    state: Data<&AppState>,
    Path(token): Path<String>,
    req: &Request,
) -> poem::Result<Response> {
    let full = content::posts::preview::open(&state.db, &token)
        .await
        .map_err(super::err)?;
    let Some(full) = full else {
        return Ok(private(&not_found(&state, Lang::Vi).await?));
    };
    let ed = full.post.lang();
    let tree = Tree::load(&state, ed);
    let Some((parent, node)) = tree.find(full.revision.section_id) else {
        return Ok(private(&not_found(&state, ed).await?));
    };
    let now = content::time::now();
    let shown = pages::article::Shown {
        parent,
        node,
        path: format!("/preview/{token}"),
        other_url: format!("/{}/", ed.other()),
        published_at: full.post.published_at.unwrap_or(now),
        updated_at: now,
        related: Vec::new(),
        preview: true,
    };
    let page = pages::article::article(&state, req, ed, &tree, &full.revision, shown).await?;
    let mut resp = private(&page);
    resp.headers_mut().insert(
        "x-robots-tag",
        poem::http::HeaderValue::from_static("noindex, nofollow"),
    );
    Ok(resp)
}

/// Counts a reader's view of a published item: a GET answered with the
/// page (a revalidation counts too: someone opened it), not a crawler's.
fn count_view(state: &AppState, req: &Request, page: &Page) {
    let Some((kind, id)) = page.viewed else {
        return;
    };
    let crawler = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| {
            let ua = ua.to_ascii_lowercase();
            ["bot", "spider", "crawl", "slurp", "preview"]
                .iter()
                .any(|w| ua.contains(w))
        });
    if req.method() == poem::http::Method::GET && page.status == 200 && !crawler {
        state.views.count((kind, id, content::time::today_vn()));
    }
}

/// `GET /open-data/:file`: a catalogue as open data (`procedures.json`,
/// `procedures.csv`, `online-services.json`…), from the page cache.
#[handler]
pub async fn open_data(
    state: Data<&AppState>,
    req: &Request,
    Path(file): Path<String>,
) -> poem::Result<Response> {
    let key = format!("/open-data/{file}");
    if let Some(p) = state.pages.get(&key) {
        return Ok(respond(req.headers(), &p));
    }
    let epoch = state.pages.epoch();
    match pages::catalogue::open_data_page(&state, &file).await? {
        Some(p) => {
            let p = Arc::new(p);
            state.pages.put(key, p.clone(), epoch);
            Ok(respond(req.headers(), &p))
        }
        None => Ok(respond(req.headers(), &not_found(&state, Lang::Vi).await?)),
    }
}

/// `POST /:edition/*rest`: the public forms (the Q&A ask form).
#[handler]
pub async fn public_form(
    state: Data<&AppState>,
    req: &Request,
    Path((edition, rest)): Path<(String, String)>,
    body: poem::Body,
) -> poem::Result<Response> {
    let Ok(ed) = edition.parse::<Lang>() else {
        return Ok(respond(req.headers(), &not_found(&state, Lang::Vi).await?));
    };
    let tree = Tree::load(&state, ed);
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(qa) = [format!("{ed}-06"), "vi-16".to_owned()]
        .iter()
        .filter_map(|code| tree.by_code(code))
        .find(|qa| segs == [qa.slug(), i18n::text(ed, "ask_slug")])
    {
        return match pages::qa::submit(&state, req, ed, &tree, qa, body).await? {
            Rendered::Page(p) | Rendered::Private(p) => Ok(private(&p)),
            Rendered::Redirect(to) => Ok(redirect(StatusCode::SEE_OTHER, &to)),
        };
    }
    if let Some(qa) = [format!("{ed}-06"), "vi-16".to_owned()]
        .iter()
        .filter_map(|code| tree.by_code(code))
        .find(|qa| segs == [qa.slug(), i18n::text(ed, "track_slug")])
    {
        let form = crate::forms::Form::read(body).await?;
        return match pages::qa::track_page(&state, req, ed, &tree, qa, Some(&form)).await? {
            Rendered::Page(p) | Rendered::Private(p) => Ok(private(&p)),
            Rendered::Redirect(to) => Ok(redirect(StatusCode::SEE_OTHER, &to)),
        };
    }
    if let [top, draft, last] = segs.as_slice()
        && *last == i18n::text(ed, "comment_slug")
        && let Some(n) = tree.top(top)
        && let Some(r) = pages::consultation::page(&state, req, ed, &tree, n, draft, Some(body)).await?
    {
        return match r {
            Rendered::Page(p) | Rendered::Private(p) => Ok(private(&p)),
            Rendered::Redirect(to) => Ok(redirect(StatusCode::SEE_OTHER, &to)),
        };
    }
    Ok(Response::builder()
        .status(StatusCode::METHOD_NOT_ALLOWED)
        .header(header::ALLOW, "GET, HEAD")
        .finish())
}

fn is_feed(name: &str) -> bool {
    name == "rss.xml" || name == "atom.xml"
}

async fn render(state: &AppState, req: &Request, ed: Lang, rest: &str) -> poem::Result<Rendered> {
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let tree = Tree::load(state, ed);
    if let Some(first) = segs.first()
        && let Some(qa_node) = [format!("{ed}-06"), "vi-16".to_owned()]
            .iter()
            .filter_map(|code| tree.by_code(code))
            .find(|n| n.slug() == *first)
        && let Some(r) = pages::qa::render(state, req, ed, &tree, qa_node, &segs[1..]).await?
    {
        return Ok(r);
    }
    let page = match segs.as_slice() {
        [] => pages::home::page(state, ed, &tree).await?,
        [name] if is_feed(name) => pages::feed::page(state, ed, None, name, &tree).await?,
        [s] if *s == i18n::text(ed, "sitemap_slug") => pages::sitemap::page(state, ed, &tree)?,
        [s] if *s == i18n::text(ed, "search_slug") => {
            return pages::search::page(state, req, ed, &tree).await;
        }
        [s] if *s == i18n::text(ed, "contact_slug") => pages::contact::page(state, ed, &tree)?,
        [s] if *s == i18n::text(ed, "accessibility_slug") => pages::accessibility::page(state, ed, &tree)?,
        [top] => match tree.top(top) {
            Some(n) if !pages::catalogue::kinds_of(n).is_empty() => {
                pages::catalogue::list(state, req, ed, &tree, n, &pages::catalogue::kinds_of(n)).await?
            }
            Some(n) => pages::section::page(state, req, ed, &tree, n.section.id).await?,
            None => not_found(state, ed).await?,
        },
        [top, name] if is_feed(name) => match tree.top(top) {
            Some(n) => pages::feed::page(state, ed, Some(n.section.id), name, &tree).await?,
            None => not_found(state, ed).await?,
        },
        [top, second] => match tree.item(top, second) {
            Some(item) if !pages::catalogue::kinds_of(item).is_empty() => {
                pages::catalogue::list(state, req, ed, &tree, item, &pages::catalogue::kinds_of(item)).await?
            }
            Some(item) => pages::section::page(state, req, ed, &tree, item.section.id).await?,
            None => {
                if let Some(n) = tree.top(top)
                    && let kinds = pages::catalogue::kinds_under(n)
                    && !kinds.is_empty()
                    && let Some(r) = pages::catalogue::entry(state, req, ed, &tree, n, &kinds, second).await?
                {
                    return Ok(r);
                }
                return pages::article::page(state, req, ed, &tree, top, second).await;
            }
        },
        [top, draft, last] if *last == i18n::text(ed, "comment_slug") => match tree.top(top) {
            Some(n) => match pages::consultation::page(state, req, ed, &tree, n, draft, None).await? {
                Some(r) => return Ok(r),
                None => not_found(state, ed).await?,
            },
            None => not_found(state, ed).await?,
        },
        [top, item, name] if is_feed(name) => match tree.item(top, item) {
            Some(i) => pages::feed::page(state, ed, Some(i.section.id), name, &tree).await?,
            None => not_found(state, ed).await?,
        },
        _ => not_found(state, ed).await?,
    };
    Ok(Rendered::Page(page))
}

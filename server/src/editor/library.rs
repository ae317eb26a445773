//! The media library at `/editor/media`: every item as a grid or a list,
//! filtered by kind, uploader, day and missing alt text; an item's page
//! to fix its alt text, caption and credit, see where it is used, replace
//! its file (the uses keep pointing at it) or delete it when unused.

use content::lang::Lang;
use content::media::library::{self, Search};
use content::media::{self, Description};
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Multipart, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::days::filter_day;
use super::media::{no_file, read_upload, refusal};
use super::session::{Page, checked_form, db_err, redirect, say, staff_or_return, status_of};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

const PER_PAGE: u64 = 48;
const KINDS: [&str; 3] = ["image", "document", "video"];

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct Item {
    id: i32,
    kind_label: String,
    file_name: String,
    url: String,
    thumb: Option<String>,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    size: String,
    dimensions: Option<String>,
    uploader: String,
    uploaded: String,
    public: bool,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", (bytes / 1024).max(1))
    }
}

fn item(m: content::entity::media::Model, lang: Lang, uploader: String) -> Item {
    let thumb = m.derivatives().first().map(|d| m.derivative_url(d));
    Item {
        kind_label: text(lang, &format!("media_kind_{}", m.kind)).to_owned(),
        url: m.url(),
        thumb,
        size: size_text(m.size),
        dimensions: m.width.zip(m.height).map(|(w, h)| format!("{w}×{h}")),
        uploaded: content::time::format_vn(m.created_at),
        id: m.id,
        file_name: m.file_name,
        alt: m.alt,
        caption: m.caption,
        credit: m.credit,
        public: m.public,
        uploader,
    }
}

async fn names(state: &AppState) -> poem::Result<std::collections::HashMap<i32, String>> {
    Ok(content::accounts::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.user.id, a.user.display_name))
        .collect())
}

/// `GET /editor/media`: the library, with the upload form.
#[handler]
pub async fn list(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = staff_or_return!(&state, req);
    render_list(&state, req, &p, None).await
}

async fn render_list(
    state: &AppState,
    req: &Request,
    p: &Page,
    failure: Option<(StatusCode, String, std::collections::HashMap<String, String>)>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let mut errors = Vec::new();
    let (from_text, from) = filter_day(req, "from", "date_from", lang, &mut errors);
    let (to_text, to) = filter_day(req, "to", "date_to", lang, &mut errors);
    let kind = query(req, "kind").filter(|k| KINDS.contains(&k.as_str()));
    let uploader = query(req, "uploader").and_then(|u| u.parse::<i32>().ok());
    let missing_alt = query(req, "missing_alt").is_some_and(|v| v == "1");
    let q = query(req, "q").unwrap_or_default();
    let grid = query(req, "view").as_deref() != Some("list");
    let page: u64 = query(req, "page")
        .and_then(|v| v.parse().ok())
        .filter(|v| *v >= 1)
        .unwrap_or(1);
    let found = library::find(
        &state.db,
        &Search {
            kind: kind.clone(),
            uploaded_by: uploader,
            from,
            to,
            missing_alt,
            q: Some(q.clone()),
            page,
            per_page: PER_PAGE,
        },
    )
    .await
    .map_err(db_err)?;
    let names = names(state).await?;
    let items: Vec<Item> = found
        .items
        .into_iter()
        .map(|m| {
            let who = names.get(&m.uploaded_by).cloned().unwrap_or_default();
            item(m, lang, who)
        })
        .collect();
    let kinds: Vec<Opt> = KINDS
        .iter()
        .map(|k| Opt {
            value: (*k).to_owned(),
            label: text(lang, &format!("media_kind_{k}")).to_owned(),
            selected: kind.as_deref() == Some(*k),
        })
        .collect();
    let mut uploaders: Vec<Opt> = content::accounts::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|a| a.roles.any(&content::roles::EDITORIAL_STAFF))
        .map(|a| Opt {
            value: a.user.id.to_string(),
            selected: Some(a.user.id) == uploader,
            label: a.user.display_name,
        })
        .collect();
    uploaders.sort_by(|a, b| a.label.cmp(&b.label));
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let (status, error, typed) = match failure {
        Some((s, m, typed)) => (s, Some(m), typed),
        None if !errors.is_empty() => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(errors.join(" ")),
            Default::default(),
        ),
        None => (StatusCode::OK, None, Default::default()),
    };
    p.render(
        state,
        req,
        status,
        "media_library.html",
        context! {
            items => items, total => found.total, kinds => kinds, uploaders => uploaders,
            q => q, from => from_text, to => to_text, missing_alt => missing_alt, grid => grid,
            page => page, pages => pages, more => page < pages, again => crate::forms::query_again(req, ""),
            error => error, typed => typed,
            flash => query(req, "done").map(|k| text(lang, &format!("media_done_{k}")).to_owned()),
        },
    )
    .await
}

/// `POST /editor/media`: an upload into the library, used nowhere yet.
#[handler]
pub async fn add(state: Data<&AppState>, req: &Request, mut multipart: Multipart) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let (fields, file) = match read_upload(&mut multipart).await {
        Ok(x) => x,
        Err(e) => {
            let (s, m) = refusal(&e, p.lang);
            return render_list(&state, req, &p, Some((s, m, Default::default()))).await;
        }
    };
    if fields.get("csrf").map(String::as_str) != Some(caller.csrf_token.as_str()) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    let result = async {
        let (file_name, bytes) = file.ok_or_else(no_file)?;
        state
            .media
            .ingest(
                &state.db,
                media::Upload {
                    file_name,
                    bytes,
                    alt: fields.get("alt").cloned(),
                    caption: fields.get("caption").cloned(),
                    credit: fields.get("credit").cloned(),
                },
                caller.account.user.id,
            )
            .await
    }
    .await;
    match result {
        Ok(stored) => Ok(redirect(&format!(
            "/editor/media/{}?done=uploaded",
            stored.media.id
        ))),
        Err(e) => {
            let (s, m) = refusal(&e, p.lang);
            render_list(&state, req, &p, Some((s, m, fields))).await
        }
    }
}

async fn render_item(
    state: &AppState,
    req: &Request,
    p: &Page,
    id: i32,
    failure: Option<(StatusCode, String)>,
    typed: Option<&Form>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let m = match media::get(&state.db, id).await {
        Ok(m) => m,
        Err(_) => return p.message(state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let names = names(state).await?;
    let uses: Vec<_> = media::uses::shown(&state.db, id)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| {
            let href = match u.kind_plural {
                Some(plural) => format!("/editor/catalogue/{plural}/{}", u.use_.owner_id),
                None => format!("/editor/posts/{}", u.use_.owner_id),
            };
            context! { href => href, title => u.title, live => u.use_.live, id => u.use_.owner_id }
        })
        .collect();
    let who = names.get(&m.uploaded_by).cloned().unwrap_or_default();
    let field = |k: &str, kept: &Option<String>| {
        typed
            .and_then(|f| f.get(k))
            .map(str::to_owned)
            .or_else(|| kept.clone())
            .unwrap_or_default()
    };
    let form = context! { alt => field("alt", &m.alt), caption => field("caption", &m.caption), credit => field("credit", &m.credit) };
    let (status, error) = match failure {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    p.render(
        state,
        req,
        status,
        "media_item.html",
        context! {
            item => item(m, lang, who), uses => uses, form => form, error => error,
            flash => query(req, "done").map(|k| text(lang, &format!("media_done_{k}")).to_owned()),
        },
    )
    .await
}

/// `GET /editor/media/{id}`.
#[handler]
pub async fn show(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> poem::Result<Response> {
    let (p, _) = staff_or_return!(&state, req);
    render_item(&state, req, &p, id, None, None).await
}

/// `POST /editor/media/{id}`: alt text, caption and credit.
#[handler]
pub async fn describe(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let d = Description {
        alt: Some(form.get("alt").unwrap_or_default().to_owned()),
        caption: Some(form.get("caption").unwrap_or_default().to_owned()),
        credit: Some(form.get("credit").unwrap_or_default().to_owned()),
        public: None,
    };
    match media::describe(
        &state.db,
        &actor(&state, req, Some(&caller)),
        &caller.account,
        id,
        &d,
    )
    .await
    {
        Ok(_) => {
            state.public_changed().await;
            Ok(redirect(&format!("/editor/media/{id}?done=saved")))
        }
        Err(e) => {
            let message = say(&e, p.lang, "error", "not_found");
            render_item(&state, req, &p, id, Some((status_of(&e), message)), Some(&form)).await
        }
    }
}

/// `POST /editor/media/{id}/replace`: a new file for the same item.
#[handler]
pub async fn replace(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    mut multipart: Multipart,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let (fields, file) = match read_upload(&mut multipart).await {
        Ok(x) => x,
        Err(e) => return render_item(&state, req, &p, id, Some(refusal(&e, p.lang)), None).await,
    };
    if fields.get("csrf").map(String::as_str) != Some(caller.csrf_token.as_str()) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    let result = async {
        let (file_name, bytes) = file.ok_or_else(no_file)?;
        let upload = media::Upload {
            file_name,
            bytes,
            alt: None,
            caption: None,
            credit: None,
        };
        state
            .media
            .replace(
                &state.db,
                &actor(&state, req, Some(&caller)),
                &caller.account,
                id,
                upload,
            )
            .await
    }
    .await;
    match result {
        Ok(_) => {
            state.public_changed().await;
            Ok(redirect(&format!("/editor/media/{id}?done=replaced")))
        }
        Err(e) => render_item(&state, req, &p, id, Some(refusal(&e, p.lang)), None).await,
    }
}

/// `POST /editor/media/{id}/delete`: only when nothing uses it.
#[handler]
pub async fn delete(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    match media::delete(&state.db, &actor(&state, req, Some(&caller)), &caller.account, id).await {
        Ok(_) => Ok(redirect("/editor/media?done=deleted")),
        Err(e) => {
            let message = match e {
                content::Error::Conflict(_) => text(p.lang, "media_in_use").to_owned(),
                ref other => say(other, p.lang, "error", "not_found"),
            };
            render_item(&state, req, &p, id, Some((status_of(&e), message)), None).await
        }
    }
}

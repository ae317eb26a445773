//! Editor pages for posts, media uploads, history and diffs, approval
//! chains, delegations and the audit log.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use content::accounts::Caller;
use content::lang::Lang;
use content::posts::{self, Author, Content, Full, Genre};
use content::roles::Role;
use content::time::format_vn;
use content::workflow::{Action, State};
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Multipart, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::{Page, admin, checked_form, edition_of, parse_opt_id, redirect, status_of};
use crate::auth::actor;
use crate::forms::Form;
use crate::problem::ApiError;
use crate::state::AppState;

/// The logged-in staff member, or the response to send instead.
async fn staff(state: &AppState, req: &Request) -> poem::Result<Result<(Page, Caller), Response>> {
    super::with_roles(state, req, &content::roles::EDITORIAL_STAFF).await
}

macro_rules! staff_or_return {
    ($state:expr, $req:expr) => {
        match staff($state, $req).await? {
            Ok(x) => x,
            Err(r) => return Ok(r),
        }
    };
}

fn db_err(e: content::Error) -> poem::Error {
    ApiError::from(e).into()
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct SectionChoice {
    id: i32,
    label: String,
}

async fn section_choices(state: &AppState, edition: Lang, lang: Lang) -> poem::Result<Vec<SectionChoice>> {
    let tree = content::sections::tree(&state.db, edition, true)
        .await
        .map_err(db_err)?;
    let mut out = Vec::new();
    fn walk(nodes: &[content::sections::Node], prefix: &str, lang: Lang, out: &mut Vec<SectionChoice>) {
        for n in nodes {
            let name = if lang == Lang::En {
                &n.section.name_en
            } else {
                &n.section.name_vi
            };
            let label = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix} › {name}")
            };
            out.push(SectionChoice {
                id: n.section.id,
                label: label.clone(),
            });
            walk(&n.children, &label, lang, out);
        }
    }
    walk(&tree, "", lang, &mut out);
    Ok(out)
}

fn genres(lang: Lang) -> Vec<Choice> {
    Genre::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str().to_owned(),
            label: text(lang, &format!("genre_{}", g.as_str())).to_owned(),
        })
        .collect()
}

fn state_label(lang: Lang, state: &str) -> String {
    text(lang, &format!("state_{state}")).to_owned()
}

/// `datetime-local` values are Vietnam time.
fn parse_local(field: &str, v: Option<&str>) -> Result<Option<DateTime<Utc>>, content::Error> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let naive = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| content::Error::invalid(field, "use the form YYYY-MM-DDTHH:MM"))?;
    Ho_Chi_Minh
        .from_local_datetime(&naive)
        .single()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(|| content::Error::invalid(field, "is not a valid time"))
}

fn to_local(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&Ho_Chi_Minh).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// Reads the post form. Authors are one per line: `@username` for an
/// account, anything else an external name.
async fn content_from(state: &AppState, form: &Form) -> Result<Content, content::Error> {
    let section_id = parse_opt_id(form, "section_id")?
        .ok_or_else(|| content::Error::invalid("section_id", "is required"))?;
    let mut authors = Vec::new();
    for line in form
        .get("authors")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        match line.strip_prefix('@') {
            Some(u) => {
                let a = content::accounts::get_by_username(&state.db, u)
                    .await
                    .map_err(|_| content::Error::invalid("authors", format!("no user @{u}")))?;
                authors.push(Author::User { user_id: a.user.id });
            }
            None => authors.push(Author::Name {
                name: line.to_owned(),
            }),
        }
    }
    Ok(Content {
        section_id,
        title: form.get("title").unwrap_or_default().to_owned(),
        summary: form.get("summary").unwrap_or_default().to_owned(),
        body: form.get("body").unwrap_or_default().replace("\r\n", "\n"),
        slug: None,
        authors,
        source: form.get("source").map(str::to_owned),
        source_url: form.get("source_url").map(str::to_owned),
        reuses_information: form.get("reuses_information") == Some("true"),
        genre: form.get("genre").map(str::parse).transpose()?,
        tags: form
            .get("tags")
            .unwrap_or_default()
            .split(',')
            .map(str::to_owned)
            .collect(),
        cover_media_id: parse_opt_id(form, "cover_media_id")?,
        attachments: form.all("attachments").filter_map(|a| a.parse().ok()).collect(),
        publish_at: parse_local("publish_at", form.get("publish_at"))?,
        unpublish_at: parse_local("unpublish_at", form.get("unpublish_at"))?,
    })
}

/// The current revision's content, to modify and save again.
fn content_of(full: &Full) -> Content {
    Content {
        section_id: full.revision.section_id,
        title: full.revision.title.clone(),
        summary: full.revision.summary.clone(),
        body: full.revision.body.clone(),
        slug: None,
        authors: full.authors(),
        source: full.revision.source.clone(),
        source_url: full.revision.source_url.clone(),
        reuses_information: full.revision.reuses_information,
        genre: full.revision.genre.parse().ok(),
        tags: full.tags(),
        cover_media_id: full.revision.cover_media_id,
        attachments: full.attachments(),
        publish_at: full.revision.publish_at,
        unpublish_at: full.revision.unpublish_at,
    }
}

#[handler]
pub async fn new_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = staff_or_return!(&state, req);
    let edition = edition_of(req, None);
    let sections = section_choices(&state, edition, p.lang).await?;
    p.render(
        &state,
        req,
        StatusCode::OK,
        "post_edit.html",
        context! { edition => edition.as_str(), sections => sections, genres => genres(p.lang), preview_html => "" },
    )
    .await
}

#[handler]
pub async fn create(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let edition = edition_of(req, Some(&form));
    let result = async {
        let c = content_from(&state, &form).await?;
        posts::create(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            edition,
            &c,
            None,
        )
        .await
    }
    .await;
    match result {
        Ok(full) => Ok(redirect(&format!("/editor/posts/{}", full.post.id))),
        Err(e) => {
            let sections = section_choices(&state, edition, p.lang).await?;
            p.render(
                &state,
                req,
                status_of(&e),
                "post_edit.html",
                context! { edition => edition.as_str(), sections => sections, genres => genres(p.lang), error => e.to_string(), preview_html => "" },
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct MediaRef {
    id: i32,
    url: String,
    thumb: String,
    alt: Option<String>,
    file_name: String,
}

fn media_ref(m: content::entity::media::Model) -> MediaRef {
    let thumb = m
        .derivatives()
        .first()
        .map(|d| m.derivative_url(d))
        .unwrap_or_else(|| m.url());
    MediaRef {
        url: m.url(),
        thumb,
        id: m.id,
        alt: m.alt,
        file_name: m.file_name,
    }
}

#[derive(Serialize)]
struct HistoryLine {
    at: String,
    who: String,
    on_behalf_of: Option<String>,
    label: String,
    text: Option<String>,
}

/// Re-renders the editor page. `draft` holds what the user submitted when a
/// save failed, so nothing typed is lost.
async fn render_edit(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    id: i32,
    failure: Option<(StatusCode, String)>,
    draft: Option<&Form>,
) -> poem::Result<Response> {
    let (status, error) = match failure {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let full = match posts::get(&state.db, id).await {
        Ok(f) => f,
        Err(_) => return p.message(state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let lang = p.lang;
    let now = content::time::now();
    let lock = match (full.post.lock_user_id, full.post.lock_expires_at) {
        (Some(u), Some(until)) if u != caller.account.user.id && until > now => {
            let holder = content::accounts::get(&state.db, u)
                .await
                .map(|a| format!("{} ({})", a.user.display_name, a.user.username))
                .unwrap_or_else(|_| u.to_string());
            Some(context! { holder => holder, until => format_vn(until) })
        }
        _ => None,
    };
    let actions: Vec<Choice> = posts::allowed_actions(&state.db, &full, &caller.account)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| Choice {
            value: a.as_str().to_owned(),
            label: text(lang, &format!("action_{}", a.as_str())).to_owned(),
        })
        .map(|c| Choice {
            value: c.value,
            label: c.label,
        })
        .collect();
    let actions: Vec<_> = actions
        .into_iter()
        .map(|c| context! { name => c.value, label => c.label })
        .collect();
    let mut names: HashMap<i32, String> = HashMap::new();
    let mut usernames: HashMap<i32, String> = HashMap::new();
    for a in content::accounts::list(&state.db).await.map_err(db_err)? {
        names.insert(a.user.id, a.user.display_name);
        usernames.insert(a.user.id, a.user.username);
    }
    let name = |id: Option<i32>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "—".to_owned())
    };
    let mut history: Vec<(DateTime<Utc>, HistoryLine)> = Vec::new();
    for r in posts::revisions(&state.db, id).await.map_err(db_err)? {
        history.push((
            r.created_at,
            HistoryLine {
                at: format_vn(r.created_at),
                who: name(Some(r.created_by)),
                on_behalf_of: None,
                label: format!("{} {}", text(lang, "kind_revision"), r.number),
                text: None,
            },
        ));
    }
    for t in posts::transitions(&state.db, id).await.map_err(db_err)? {
        history.push((
            t.at,
            HistoryLine {
                at: format_vn(t.at),
                who: name(t.actor_id),
                on_behalf_of: t.on_behalf_of_id.map(|u| name(Some(u))),
                label: format!(
                    "{}: {} → {}",
                    text(lang, &format!("action_{}", t.action)),
                    state_label(lang, &t.from_state),
                    state_label(lang, &t.to_state)
                ),
                text: t.comment,
            },
        ));
    }
    for c in posts::comments(&state.db, id).await.map_err(db_err)? {
        history.push((
            c.created_at,
            HistoryLine {
                at: format_vn(c.created_at),
                who: name(Some(c.user_id)),
                on_behalf_of: None,
                label: text(lang, "kind_comment").to_owned(),
                text: Some(c.body),
            },
        ));
    }
    history.sort_by_key(|(at, _)| *at);
    let history: Vec<HistoryLine> = history.into_iter().map(|(_, h)| h).collect();
    let revisions: Vec<i32> = (1..=full.revision.number).collect();
    let edition: Lang = full.post.edition.parse().map_err(db_err)?;
    let sections = section_choices(state, edition, lang).await?;
    let media = posts::media_of(&state.db, &full.revision).await.map_err(db_err)?;
    let cover = full
        .revision
        .cover_media_id
        .and_then(|c| media.iter().find(|m| m.id == c).cloned())
        .map(media_ref);
    let attachments: Vec<MediaRef> = full
        .attachments()
        .into_iter()
        .filter_map(|a| media.iter().find(|m| m.id == a).cloned())
        .map(media_ref)
        .collect();
    let authors_text = full
        .authors()
        .into_iter()
        .map(|a| match a {
            Author::User { user_id } => format!("@{}", usernames.get(&user_id).cloned().unwrap_or_default()),
            Author::Name { name } => name,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let live = full.post.live_revision_id.is_some();
    let public_url = if live {
        let s = content::sections::get(&state.db, full.post.section_id)
            .await
            .map_err(db_err)?;
        Some(posts::public_path(&full.post, &s))
    } else {
        None
    };
    let chain_len = content::chains::chain(&state.db, full.post.section_id)
        .await
        .map_err(db_err)?
        .len();
    let field = |k: &str, current: String| draft.and_then(|f| f.get(k)).map(str::to_owned).unwrap_or(current);
    let body = field("body", full.revision.body.clone());
    let post = context! {
        id => full.post.id,
        state => full.post.state.clone(),
        state_label => state_label(lang, &full.post.state),
        step => full.post.step,
        steps => chain_len,
        revision => full.revision.number,
        public_url => public_url,
        title => field("title", full.revision.title.clone()),
        summary => field("summary", full.revision.summary.clone()),
        body => body.clone(),
        section_id => full.post.section_id,
        genre => full.revision.genre.clone(),
        authors_text => field("authors", authors_text),
        source => field("source", full.revision.source.clone().unwrap_or_default()),
        source_url => field("source_url", full.revision.source_url.clone().unwrap_or_default()),
        reuses_information => full.revision.reuses_information,
        tags_text => field("tags", full.tags().join(", ")),
        publish_at_local => field("publish_at", to_local(full.revision.publish_at)),
        unpublish_at_local => field("unpublish_at", to_local(full.revision.unpublish_at)),
        cover => cover,
        attachments => attachments,
    };
    let preview_html = content::markdown::to_html(&body);
    p.render(
        state,
        req,
        status,
        "post_edit.html",
        context! {
            post => post, edition => edition.as_str(), sections => sections, genres => genres(lang),
            actions => actions, history => history, revisions => revisions, lock => lock,
            preview_html => preview_html, error => error,
            flash => query(req, "saved").map(|_| text(lang, "saved").to_owned()),
        },
    )
    .await
}

fn query(req: &Request, key: &str) -> Option<String> {
    req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    })
}

#[handler]
pub async fn edit_page(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    // Opening the editor takes the lock when nobody else holds it.
    let _ = posts::lock(&state.db, &caller.account, id).await;
    render_edit(&state, req, &p, &caller, id, None, None).await
}

#[handler]
pub async fn save(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let base: i32 = form
            .get("base_revision")
            .and_then(|b| b.parse().ok())
            .ok_or_else(|| content::Error::invalid("base_revision", "is required"))?;
        let c = content_from(&state, &form).await?;
        posts::save(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            base,
            &c,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect(&format!("/editor/posts/{id}?saved=1"))),
        Err(e) => {
            render_edit(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), e.to_string())),
                Some(&form),
            )
            .await
        }
    }
}

#[handler]
pub async fn transition(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let action: Action = form
            .get("action")
            .unwrap_or_default()
            .parse()
            .map_err(|e: String| content::Error::invalid("action", e))?;
        posts::transition(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            action,
            form.get("comment"),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => {
            state.public_changed().await;
            Ok(redirect(&format!("/editor/posts/{id}")))
        }
        Err(e) => {
            render_edit(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), e.to_string())),
                None,
            )
            .await
        }
    }
}

#[handler]
pub async fn comment(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    match posts::add_comment(
        &state.db,
        &caller.account,
        id,
        form.get("body").unwrap_or_default(),
    )
    .await
    {
        Ok(_) => Ok(redirect(&format!("/editor/posts/{id}"))),
        Err(e) => {
            render_edit(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), e.to_string())),
                None,
            )
            .await
        }
    }
}

#[handler]
pub async fn unlock(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    match posts::unlock(&state.db, &actor(&state, req, Some(&caller)), &caller.account, id).await {
        Ok(_) => Ok(redirect(&format!("/editor/posts/{id}"))),
        Err(e) => {
            render_edit(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), e.to_string())),
                None,
            )
            .await
        }
    }
}

/// Uploads a file from the post editor and uses it: as the cover, inline
/// in the body (`![alt](…)`), or as an attachment, saving a new revision.
#[handler]
pub async fn upload(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    mut multipart: Multipart,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            file = Some((file_name, bytes));
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            fields.insert(name, content::text::nfc(&value));
        }
    }
    if fields.get("csrf").map(String::as_str) != Some(caller.csrf_token.as_str()) {
        return p.message(&state, req, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    let result = async {
        let (file_name, bytes) = file.ok_or_else(|| content::Error::invalid("file", "choose a file"))?;
        let upload = content::media::Upload {
            file_name,
            bytes,
            alt: fields.get("alt").cloned(),
            caption: fields.get("caption").cloned(),
            credit: fields.get("credit").cloned(),
        };
        let stored = state
            .media
            .ingest(&state.db, upload, caller.account.user.id)
            .await?;
        let m = stored.media;
        let full = posts::get(&state.db, id).await?;
        let base: i32 = fields
            .get("base_revision")
            .and_then(|b| b.parse().ok())
            .unwrap_or(full.revision.number);
        let mut c = content_of(&full);
        match fields.get("use").map(String::as_str) {
            Some("cover") if m.kind == "image" => c.cover_media_id = Some(m.id),
            Some("inline") if m.kind == "image" => {
                let alt = m.alt.clone().unwrap_or_default().replace(['[', ']'], "");
                let width = m.derivatives().iter().map(|d| d.width).max().unwrap_or(800);
                c.body = format!(
                    "{}\n\n![{alt}](/media/{}/{width}.webp)\n",
                    c.body.trim_end(),
                    m.id
                );
            }
            _ => {
                if !c.attachments.contains(&m.id) {
                    c.attachments.push(m.id);
                }
            }
        }
        posts::save(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            base,
            &c,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect(&format!("/editor/posts/{id}?saved=1"))),
        Err(e) => {
            render_edit(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), e.to_string())),
                None,
            )
            .await
        }
    }
}

#[handler]
pub async fn diff(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> poem::Result<Response> {
    let (p, _) = staff_or_return!(&state, req);
    let from: i32 = query(req, "from").and_then(|v| v.parse().ok()).unwrap_or(1);
    let to: i32 = query(req, "to").and_then(|v| v.parse().ok()).unwrap_or(from + 1);
    let (a, b) = match (
        posts::revision(&state.db, id, from).await,
        posts::revision(&state.db, id, to).await,
    ) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return p.message(&state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let changes: Vec<_> = posts::diff(&a, &b)
        .into_iter()
        .map(|(field, d)| {
            let lines: Vec<_> = d
                .lines()
                .map(|l| {
                    let class = if l.starts_with('+') {
                        "add"
                    } else if l.starts_with('-') {
                        "del"
                    } else {
                        ""
                    };
                    context! { class => class, text => l }
                })
                .collect();
            context! { field => field, lines => lines }
        })
        .collect();
    p.render(
        &state,
        req,
        StatusCode::OK,
        "diff.html",
        context! { id => id, title => b.title, changes => changes },
    )
    .await
}

#[handler]
pub async fn set_chain(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let edition = edition_of(req, Some(&form));
    let result = async {
        let steps = form
            .get("chain")
            .unwrap_or_default()
            .split([',', '→', '>'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|r| {
                r.parse::<Role>()
                    .map(|role| content::workflow::Step { role, unit_id: None })
                    .map_err(|e| content::Error::invalid("chain", e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let saved = content::chains::set_chain(&state.db, id, &steps).await?;
        content::audit::record(
            &state.db,
            &actor(&state, req, Some(&caller)),
            "section.chain",
            Some(("section", id.to_string())),
            serde_json::json!({"steps": saved.iter().map(|s| s.role.as_str()).collect::<Vec<_>>()}),
        )
        .await
    }
    .await;
    let (status, flash, error) = match result {
        Ok(()) => (StatusCode::OK, Some(text(p.lang, "saved").to_owned()), None),
        Err(e) => (status_of(&e), None, Some(e.to_string())),
    };
    super::render_sections(&state, req, &p, edition, status, flash, error).await
}

#[handler]
pub async fn audit(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let action = query(req, "action").filter(|a| !a.is_empty());
    let actor_name = query(req, "actor").filter(|a| !a.is_empty());
    let filter = content::audit::Filter {
        action: action.clone(),
        actor: actor_name.clone(),
        limit: 300,
    };
    let entries: Vec<_> = content::audit::list(&state.db, &filter)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|e| {
            let target = e.target_type.map(|t| format!("{t} {}", e.target_id.unwrap_or_default()));
            context! { at => format_vn(e.at), actor => e.actor, action => e.action, target => target, detail => e.detail, ip => e.ip }
        })
        .collect();
    p.render(
        &state,
        req,
        StatusCode::OK,
        "audit.html",
        context! { entries => entries, filter_action => action.unwrap_or_default(), filter_actor => actor_name.unwrap_or_default() },
    )
    .await
}

/// The search statistics for the annual report (admins): top queries and
/// top queries without results in a period.
#[handler]
pub async fn search_queries(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let from = query(req, "from");
    let to = query(req, "to");
    let (status, report, error, period) =
        match crate::search::query_log::Period::parse(from.as_deref(), to.as_deref()) {
            Ok(period) => {
                let (start, end) = period.bounds();
                let report = content::search_log::report(&state.db, start, end, 50)
                    .await
                    .map_err(db_err)?;
                (StatusCode::OK, Some(report), None, Some(period))
            }
            Err(e) => (
                StatusCode::BAD_REQUEST,
                None,
                Some(format!("{}: {}", e.field, e.message)),
                None,
            ),
        };
    let shown = |d: Option<chrono::NaiveDate>, raw: Option<String>| {
        d.map(|d| d.to_string()).or(raw).unwrap_or_default()
    };
    p.render(
        &state,
        req,
        status,
        "search_queries.html",
        context! {
            report => report, error => error,
            from => shown(period.map(|p| p.from), from), to => shown(period.map(|p| p.to), to),
        },
    )
    .await
}

async fn render_delegations(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    status: StatusCode,
    error: Option<String>,
) -> poem::Result<Response> {
    let accounts = content::accounts::list(&state.db).await.map_err(db_err)?;
    let name = |id: i32| {
        accounts
            .iter()
            .find(|a| a.user.id == id)
            .map(|a| a.user.display_name.clone())
            .unwrap_or_default()
    };
    let mine = (!caller.account.roles.is_admin()).then_some(caller.account.user.id);
    let today = content::time::today_vn();
    let rows: Vec<_> = content::delegations::list(&state.db, mine)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|d| {
            let active = d.revoked_at.is_none() && d.starts_on <= today && today <= d.ends_on;
            let can_revoke = d.revoked_at.is_none()
                && (d.from_user_id == caller.account.user.id || caller.account.roles.is_admin());
            context! {
                id => d.id, from => name(d.from_user_id), to => name(d.to_user_id), role => d.role,
                starts_on => d.starts_on.format("%d/%m/%Y").to_string(), ends_on => d.ends_on.format("%d/%m/%Y").to_string(),
                revoked => d.revoked_at.is_some(), active => active, can_revoke => can_revoke,
            }
        })
        .collect();
    let members: Vec<_> = accounts
        .iter()
        .filter(|a| a.user.id != caller.account.user.id && !a.user.disabled && a.roles.iter().any(Role::is_board))
        .map(|a| context! { id => a.user.id, name => format!("{} ({})", a.user.display_name, a.user.username) })
        .collect();
    let can_delegate = caller.account.roles.any(&content::delegations::DELEGABLE);
    p.render(
        state,
        req,
        status,
        "delegations.html",
        context! { delegations => rows, members => members, can_delegate => can_delegate, today => today.to_string(), error => error },
    )
    .await
}

#[handler]
pub async fn delegations(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    render_delegations(&state, req, &p, &caller, StatusCode::OK, None).await
}

#[handler]
pub async fn delegate(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let date = |k: &str| {
            form.get(k)
                .and_then(|v| v.parse::<chrono::NaiveDate>().ok())
                .ok_or_else(|| content::Error::invalid(k, "is not a date"))
        };
        let new = content::delegations::NewDelegation {
            to_user_id: parse_opt_id(&form, "to_user_id")?
                .ok_or_else(|| content::Error::invalid("to_user_id", "is required"))?,
            role: None,
            starts_on: date("starts_on")?,
            ends_on: date("ends_on")?,
            reason: form.get("reason").map(str::to_owned),
        };
        content::delegations::create(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            &new,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect("/editor/delegations")),
        Err(e) => render_delegations(&state, req, &p, &caller, status_of(&e), Some(e.to_string())).await,
    }
}

#[handler]
pub async fn revoke(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    match content::delegations::revoke(&state.db, &actor(&state, req, Some(&caller)), &caller.account, id)
        .await
    {
        Ok(_) => Ok(redirect("/editor/delegations")),
        Err(e) => render_delegations(&state, req, &p, &caller, status_of(&e), Some(e.to_string())).await,
    }
}

/// The dashboard's lists for staff: my drafts, what waits for me (and for
/// how long), what was published lately.
pub async fn dashboard_lists(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
) -> poem::Result<minijinja::Value> {
    let (qa_overdue, qa_due_soon) = if caller.account.roles.any(&content::roles::QA_STAFF) {
        super::qa::due_counts(state, caller).await?
    } else {
        (0, 0)
    };
    if !caller.account.roles.any(&content::roles::EDITORIAL_STAFF) {
        return Ok(context! { qa_overdue => qa_overdue, qa_due_soon => qa_due_soon, staff => false });
    }
    let mine = posts::list(
        &state.db,
        &posts::ListFilter {
            creator_id: Some(caller.account.user.id),
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .map_err(db_err)?;
    let drafts: Vec<_> = mine
        .into_iter()
        .filter(|f| matches!(f.state(), State::Draft | State::ChangesRequested))
        .map(|f| context! { id => f.post.id, title => f.revision.title, state => state_label(lang, &f.post.state) })
        .collect();
    let now = content::time::now();
    let mut awaiting = Vec::new();
    for (f, since) in posts::awaiting(&state.db, &caller.account)
        .await
        .map_err(db_err)?
    {
        let steps = content::chains::chain(&state.db, f.post.section_id)
            .await
            .map_err(db_err)?
            .len();
        let section = content::sections::get(&state.db, f.post.section_id)
            .await
            .map_err(db_err)?;
        awaiting.push(context! {
            id => f.post.id, title => f.revision.title, step => f.post.step, steps => steps,
            section => if lang == Lang::En { section.name_en } else { section.name_vi },
            waited_hours => (now - since).num_hours(),
        });
    }
    let published: Vec<_> = posts::list(&state.db, &posts::ListFilter { live: Some(true), limit: 10, ..Default::default() })
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|f| context! { id => f.post.id, title => f.revision.title, when => f.post.public_updated_at.map(format_vn) })
        .collect();
    Ok(context! {
    qa_overdue => qa_overdue,
    qa_due_soon => qa_due_soon, staff => true, drafts => drafts, awaiting => awaiting, published => published })
}

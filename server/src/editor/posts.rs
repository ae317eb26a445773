//! The post editor: writing, saving revisions, the approval actions, the
//! editing lock, internal comments, history and diffs.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use content::accounts::Caller;
use content::lang::Lang;
use content::posts::{self, Author, Content, Full, Genre};
use content::time::format_vn;
use content::workflow::Action;
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::sections::edition_of;
use super::session::{Page, checked_form, db_err, parse_opt_id, redirect, say, staff_or_return, status_of};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

#[derive(Serialize)]
pub(super) struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
pub(super) struct SectionChoice {
    pub(super) id: i32,
    pub(super) label: String,
}

pub(super) async fn section_choices(
    state: &AppState,
    edition: Lang,
    lang: Lang,
) -> poem::Result<Vec<SectionChoice>> {
    let tree = content::sections::tree(&state.db, edition, true)
        .await
        .map_err(db_err)?;
    let mut out = Vec::new();
    fn walk(nodes: &[content::sections::Node], prefix: &str, lang: Lang, out: &mut Vec<SectionChoice>) {
        for n in nodes {
            let name = n.section.name_in(lang);
            let label = if prefix.is_empty() {
                name.to_owned()
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

pub(super) fn genres(lang: Lang) -> Vec<Choice> {
    Genre::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str().to_owned(),
            label: text(lang, &format!("genre_{}", g.as_str())).to_owned(),
        })
        .collect()
}

pub(super) fn state_label(lang: Lang, state: &str) -> String {
    text(lang, &format!("state_{state}")).to_owned()
}

/// `datetime-local` values are Vietnam time.
pub(super) fn parse_local(field: &str, v: Option<&str>) -> Result<Option<DateTime<Utc>>, content::Error> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let naive = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            content::Error::invalid_in(field, "use the form YYYY-MM-DDTHH:MM", "Thời điểm không hợp lệ.")
        })?;
    Ho_Chi_Minh
        .from_local_datetime(&naive)
        .single()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(|| content::Error::invalid_in(field, "is not a valid time", "Thời điểm không hợp lệ."))
}

pub(super) fn to_local(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&Ho_Chi_Minh).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// Reads the post form. Authors are one per line: `@username` for an
/// account, anything else an external name.
pub(super) async fn content_from(state: &AppState, form: &Form) -> Result<Content, content::Error> {
    let section_id = parse_opt_id(form, "section_id")?
        .ok_or_else(|| content::Error::invalid_in("section_id", "is required", "Hãy chọn chuyên mục."))?;
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
                    .map_err(|_| {
                        content::Error::invalid_in(
                            "authors",
                            format!("no user @{u}"),
                            format!("Không có tài khoản @{u}."),
                        )
                    })?;
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
pub(super) fn content_of(full: &Full) -> Content {
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
        context! {
            edition => edition.as_str(), sections => sections, genres => genres(p.lang), preview_html => "",
            typed => std::collections::BTreeMap::<String, String>::new(),
        },
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
                context! { edition => edition.as_str(), sections => sections, genres => genres(p.lang), error => say(&e, p.lang, "stale_or_moved", "not_found"), preview_html => "", typed => form.to_map() },
            )
            .await
        }
    }
}

#[derive(Serialize)]
pub(super) struct MediaRef {
    id: i32,
    url: String,
    thumb: String,
    alt: Option<String>,
    file_name: String,
}

pub(super) fn media_ref(m: content::entity::media::Model) -> MediaRef {
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
pub(super) struct HistoryLine {
    at: String,
    who: String,
    on_behalf_of: Option<String>,
    label: String,
    text: Option<String>,
}

/// Re-renders the editor page. `draft` holds what the user submitted when a
/// save failed, so nothing typed is lost.
pub(super) async fn render_edit(
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
    let waiting = match posts::waiting_for(&state.db, &full).await.map_err(db_err)? {
        Some(w) => {
            let unit = match w.needs.unit_id {
                Some(u) => content::units::get(&state.db, u)
                    .await
                    .ok()
                    .map(|u| u.name_in(lang).to_owned()),
                None => None,
            };
            let people: Vec<_> = w
                .can_act
                .iter()
                .map(|(a, on_behalf)| {
                    context! {
                        name => a.user.display_name.clone(),
                        on_behalf_of => on_behalf.and_then(|u| names.get(&u).cloned()),
                        me => a.user.id == caller.account.user.id,
                    }
                })
                .collect();
            Some(context! {
                step => w.step, steps => w.steps, role => w.needs.role.label(lang), unit => unit,
                people => people, nobody_holds => !w.anyone_holds,
                me_included => w.can_act.iter().any(|(a, _)| a.user.id == caller.account.user.id),
            })
        }
        None => None,
    };
    let translation = match posts::translations::counterpart(&state.db, &full.post)
        .await
        .map_err(db_err)?
    {
        Some(t) => {
            let title = posts::get(&state.db, t.id)
                .await
                .map(|f| f.revision.title)
                .unwrap_or_default();
            Some(
                context! { id => t.id, title => title, edition => text(lang, &format!("edition_{}", t.edition)) },
            )
        }
        None => None,
    };
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
    let views = match full.post.published_at {
        Some(_) => {
            use content::views::{Viewed, of_item, total_of};
            let since = content::time::today_vn() - chrono::Duration::days(29);
            let total = total_of(&state.db, Viewed::Post, id).await.map_err(db_err)?;
            let recent: i64 = of_item(&state.db, Viewed::Post, id, since)
                .await
                .map_err(db_err)?
                .iter()
                .map(|(_, n)| n)
                .sum();
            Some(
                context! { total => content::text::group_digits(total), recent => content::text::group_digits(recent) },
            )
        }
        None => None,
    };
    let preview_html = content::markdown::to_html(&body);
    p.render(
        state,
        req,
        status,
        "post_edit.html",
        context! {
            post => post, edition => edition.as_str(), sections => sections, genres => genres(lang),
            actions => actions, history => history, revisions => revisions, lock => lock, waiting => waiting,
            holds_lock => full.post.lock_user_id == Some(caller.account.user.id),
            translation => translation,
            other_edition => text(lang, &format!("edition_{}", edition.other().as_str())),
            preview_url => query(req, "preview")
                .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(|t| format!("{}/preview/{t}", state.config.base_url.trim_end_matches('/'))),
            preview_html => preview_html, error => error, views => views,
            flash => query(req, "saved")
                .map(|_| text(lang, "saved").to_owned())
                .or_else(|| query(req, "restored").map(|_| text(lang, "restored").to_owned())),
        },
    )
    .await
}

/// A refused action's message, shown once by the post's page.
const REFUSAL_COOKIE: &str = "portal_refusal";

/// The post's page again with the refusal of `e` in the page's language
/// (and, when given, what the user typed).
async fn refused(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    id: i32,
    e: &content::Error,
    typed: Option<&Form>,
) -> poem::Result<Response> {
    let message = say(e, p.lang, "stale_or_moved", "not_found");
    render_edit(state, req, p, caller, id, Some((status_of(e), message)), typed).await
}

#[handler]
pub async fn edit_page(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    // Opening the editor takes the lock when nobody else holds it, unless
    // the post waits for approval: reviewers read it, and saving takes
    // the lock anyway.
    if let Ok(p) = posts::get_post(&state.db, id).await
        && !p
            .state
            .parse::<content::workflow::State>()
            .is_ok_and(|s| s.awaiting_approval())
    {
        let _ = posts::lock(&state.db, &caller.account, id).await;
    }
    let _ = content::notifications::mark_read(&state.db, caller.account.user.id, Some(id)).await;
    let refused = req.cookie().get(REFUSAL_COOKIE).and_then(|c| {
        form_urlencoded::parse(format!("m={}", c.value_str()).as_bytes())
            .next()
            .map(|(_, m)| m.into_owned())
            .filter(|m| !m.is_empty())
    });
    if refused.is_some() {
        let mut gone = poem::web::cookie::Cookie::new_with_str(REFUSAL_COOKIE, "");
        gone.set_path(format!("/editor/posts/{id}"));
        gone.make_removal();
        req.cookie().add(gone);
    }
    let failure = refused.map(|m| (StatusCode::OK, m));
    render_edit(&state, req, &p, &caller, id, failure, None).await
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
        Err(e) => refused(&state, req, &p, &caller, id, &e, Some(&form)).await,
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
            // Back to the post's own address (not `/transition`), the
            // refusal carried over in a short-lived cookie.
            let message: String =
                form_urlencoded::byte_serialize(say(&e, p.lang, "stale_or_moved", "not_found").as_bytes())
                    .collect();
            let mut c = poem::web::cookie::Cookie::new_with_str(REFUSAL_COOKIE, message);
            c.set_path(format!("/editor/posts/{id}"));
            c.set_http_only(true);
            c.set_same_site(poem::web::cookie::SameSite::Strict);
            c.set_max_age(std::time::Duration::from_secs(60));
            req.cookie().add(c);
            Ok(redirect(&format!("/editor/posts/{id}")))
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
        Err(e) => refused(&state, req, &p, &caller, id, &e, None).await,
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
        Err(e) => refused(&state, req, &p, &caller, id, &e, None).await,
    }
}

/// What a revision says, field by field, as a reader sees it: names for
/// the section, the authors and the files, times in Vietnam time.
async fn shown_fields(
    state: &AppState,
    lang: Lang,
    r: &content::entity::revision::Model,
    names: &HashMap<i32, String>,
) -> poem::Result<Vec<(&'static str, String)>> {
    let full = Full {
        post: posts::get_post(&state.db, r.post_id).await.map_err(db_err)?,
        revision: r.clone(),
    };
    let section = content::sections::get(&state.db, r.section_id)
        .await
        .map(|s| s.name_in(lang).to_owned())
        .unwrap_or_default();
    let file = |id: i32| async move {
        content::media::get(&state.db, id)
            .await
            .map(|m| m.file_name)
            .unwrap_or_else(|_| format!("#{id}"))
    };
    let cover = match r.cover_media_id {
        Some(id) => file(id).await,
        None => String::new(),
    };
    let mut attachments = Vec::new();
    for id in full.attachments() {
        attachments.push(file(id).await);
    }
    let authors: Vec<String> = full
        .authors()
        .into_iter()
        .map(|a| match a {
            Author::User { user_id } => names.get(&user_id).cloned().unwrap_or_default(),
            Author::Name { name } => name,
        })
        .collect();
    let when = |t: Option<DateTime<Utc>>| t.map(format_vn).unwrap_or_default();
    Ok(vec![
        ("title", r.title.clone()),
        ("section", section),
        ("summary", r.summary.clone()),
        ("body", r.body.clone()),
        ("authors", authors.join("\n")),
        ("source", r.source.clone().unwrap_or_default()),
        ("source_url", r.source_url.clone().unwrap_or_default()),
        (
            "field_reuses",
            text(lang, if r.reuses_information { "yes" } else { "no" }).to_owned(),
        ),
        ("genre", text(lang, &format!("genre_{}", r.genre)).to_owned()),
        ("tags", full.tags().join(", ")),
        ("cover", cover),
        ("attachments", attachments.join("\n")),
        ("publish_at", when(r.publish_at)),
        ("unpublish_at", when(r.unpublish_at)),
        ("field_slug", r.slug.clone()),
    ])
}

/// `GET /editor/posts/{id}/diff?from=&to=`: every field of two revisions
/// side by side, the changed words marked; the older one can be restored.
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
    let names: HashMap<i32, String> = content::accounts::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.user.id, a.user.display_name))
        .collect();
    let old = shown_fields(&state, p.lang, &a, &names).await?;
    let new = shown_fields(&state, p.lang, &b, &names).await?;
    let changes = super::compare::fields(
        old.into_iter()
            .zip(new)
            .map(|((key, x), (_, y))| (text(p.lang, key).to_owned(), x, y))
            .collect(),
    );
    let current = posts::get_post(&state.db, id).await.map_err(db_err)?;
    let restoring = (from < current.revision_number)
        .then(|| context! { action => format!("/editor/posts/{id}/restore"), revision => from });
    let rev = text(p.lang, "revision_n");
    p.render(
        &state,
        req,
        StatusCode::OK,
        "diff.html",
        context! {
            back => format!("/editor/posts/{id}"), title => b.title, changes => changes, restore => restoring,
            old_label => format!("{rev} {from}"), new_label => format!("{rev} {to}"),
        },
    )
    .await
}

/// `POST /editor/posts/{id}/restore`: an earlier revision's content saved
/// as a new revision, which is a draft and goes through the chain again.
#[handler]
pub async fn restore(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let number: i32 = form.get("revision").and_then(|r| r.parse().ok()).ok_or_else(|| {
            content::Error::invalid_in("revision", "is required", "Hãy chọn bản cần khôi phục.")
        })?;
        let old = posts::revision(&state.db, id, number).await?;
        let current = posts::get(&state.db, id).await?;
        let base = current.revision.number;
        let c = content_of(&Full {
            post: current.post,
            revision: old,
        });
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
        Ok(_) => Ok(redirect(&format!("/editor/posts/{id}?restored=1"))),
        Err(e) => refused(&state, req, &p, &caller, id, &e, None).await,
    }
}

/// `POST /editor/posts/{id}/lock`: the edit page's script renews its lock
/// while the page is open (204; 423 when someone else took it meanwhile).
#[handler]
pub async fn renew_lock(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    let status = match posts::lock(&state.db, &caller.account, id).await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(e) => status_of(&e),
    };
    Ok(Response::builder().status(status).finish())
}

/// `POST /editor/posts/{id}/release`: the edit page's script gives the
/// lock back when the page is left; only one's own lock is released.
#[handler]
pub async fn release(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    posts::release_own(&state.db, caller.account.user.id, id)
        .await
        .map_err(db_err)?;
    Ok(Response::builder().status(StatusCode::NO_CONTENT).finish())
}

/// `POST /editor/posts/{id}/preview-link`: a link showing the draft as its
/// public page, valid for two days; the post's page shows it.
#[handler]
pub async fn preview_link(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    match posts::preview::create(&state.db, &caller.account, id).await {
        Ok(link) => Ok(redirect(&format!("/editor/posts/{id}?preview={}", link.token))),
        Err(e) => refused(&state, req, &p, &caller, id, &e, None).await,
    }
}

/// `POST /editor/posts/{id}/translation`: links an existing post of the
/// other edition (`other` = its number) as this one's translation.
#[handler]
pub async fn link_translation(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    let form = checked_form!(&state, req, p, &caller, body);
    let result = async {
        let other = form
            .get("other")
            .map(|o| o.trim().trim_start_matches('#'))
            .and_then(|o| o.parse::<i32>().ok())
            .ok_or_else(|| {
                content::Error::invalid_in("other", "is not a post number", "Hãy nhập số của tin bài.")
            })?;
        posts::translations::link(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            other,
        )
        .await
    }
    .await;
    match result {
        Ok(()) => {
            state.public_changed().await;
            Ok(redirect(&format!("/editor/posts/{id}?saved=1")))
        }
        Err(e) => refused(&state, req, &p, &caller, id, &e, None).await,
    }
}

/// `POST /editor/posts/{id}/translate`: starts the translation, a draft in
/// the other edition linked to this post, its text to be translated.
#[handler]
pub async fn translate(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = staff_or_return!(&state, req);
    checked_form!(&state, req, p, &caller, body);
    let result = async {
        let source = posts::get(&state.db, id).await?;
        let other = source.post.lang().other();
        let section = content::sections::tree(&state.db, other, true)
            .await?
            .first()
            .map(|n| n.section.id)
            .ok_or_else(|| {
                content::Error::invalid_in(
                    "section_id",
                    "the other edition has no section",
                    "Phiên bản kia chưa có chuyên mục.",
                )
            })?;
        let mut c = content_of(&source);
        c.section_id = section;
        c.authors = vec![Author::User {
            user_id: caller.account.user.id,
        }];
        c.publish_at = None;
        c.unpublish_at = None;
        posts::create(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            other,
            &c,
            Some(id),
        )
        .await
    }
    .await;
    match result {
        Ok(full) => Ok(redirect(&format!("/editor/posts/{}", full.post.id))),
        Err(e) => refused(&state, req, &p, &caller, id, &e, None).await,
    }
}

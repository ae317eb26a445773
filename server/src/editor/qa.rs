//! Editor pages of the Q&A service: the inbox (coordinators see every open
//! question, responders their unit's, board members the answers to
//! approve), overdue first, and a question's page with its clocks and the
//! actions the user may take.

use content::accounts::Caller;
use content::lang::Lang;
use content::qa::ClockStatus;
use content::questions::actions::ActionInput;
use content::questions::{self, Action, ActionKind, Inbox};
use content::time::format_vn;
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};

use super::session::{Page, checked_form, redirect, say, status_of};
use crate::auth::actor;
use crate::problem::ApiError;
use crate::state::AppState;

async fn qa_staff(state: &AppState, req: &Request) -> poem::Result<Result<(Page, Caller), Response>> {
    super::session::with_roles(state, req, &content::roles::QA_STAFF).await
}

fn clock_label(lang: Lang, c: ClockStatus) -> &'static str {
    match c {
        ClockStatus::Overdue => text(lang, "overdue"),
        ClockStatus::DueSoon => text(lang, "due_soon"),
        ClockStatus::OnTrack => text(lang, "on_track"),
        ClockStatus::Done => text(lang, "done"),
    }
}

fn clock_key(c: ClockStatus) -> &'static str {
    match c {
        ClockStatus::Overdue => "overdue",
        ClockStatus::DueSoon => "due_soon",
        ClockStatus::OnTrack => "on_track",
        ClockStatus::Done => "done",
    }
}

/// How many of a user's questions are overdue and due soon, for the
/// dashboard and the inbox.
pub async fn due_counts(state: &AppState, caller: &Caller) -> poem::Result<(u64, u64)> {
    Ok(
        questions::count_due(&state.db, Inbox::of(&caller.account), content::time::today_vn())
            .await
            .map_err(ApiError::from)?,
    )
}

/// Rows per page of the inbox: a coordinator works from the top, and a
/// page of a thousand rows is slow to send and to read.
const INBOX_PAGE: u64 = 50;

#[derive(serde::Deserialize)]
struct InboxParams {
    page: Option<u64>,
}

#[handler]
pub async fn inbox(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, caller) = match qa_staff(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let inbox = Inbox::of(&caller.account);
    let open = questions::count_open(&state.db, inbox)
        .await
        .map_err(ApiError::from)?;
    let (overdue, due_soon) = due_counts(&state, &caller).await?;
    let pages = open.div_ceil(INBOX_PAGE).max(1);
    let page = req
        .params::<InboxParams>()
        .ok()
        .and_then(|p| p.page)
        .unwrap_or(1)
        .clamp(1, pages);
    let work = questions::open(&state.db, inbox, (page - 1) * INBOX_PAGE, INBOX_PAGE)
        .await
        .map_err(ApiError::from)?;
    let cal = content::holidays::calendar(&state.db)
        .await
        .map_err(ApiError::from)?;
    let today = content::time::today_vn();
    let rows: Vec<_> = work
        .into_iter()
        .map(|q| {
            let (d, c) = questions::clocks_of(&cal, &q, today);
            context! {
                petition => q.channel() == questions::Channel::Petition,
                status_label => text(p.lang, &format!("qa_st_{}", q.status)),
                id => q.id, title => q.title, status => q.status, received => format_vn(q.received_at),
                answer_by => d.answer_by.format("%d/%m/%Y").to_string(),
                clock => clock_key(c.overall), clock_label => clock_label(p.lang, c.overall),
            }
        })
        .collect();
    p.render(
        &state,
        req,
        StatusCode::OK,
        "qa_inbox.html",
        context! { questions => rows, overdue => overdue, due_soon => due_soon, page => page, pages => pages, open => open },
    )
    .await
}

async fn render_question(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    id: i32,
    failure: Option<(StatusCode, String)>,
    typed: Option<&crate::forms::Form>,
) -> poem::Result<Response> {
    let typed = typed.map(|f| f.to_map()).unwrap_or_default();
    let who = actor(state, req, Some(caller));
    let seen = match questions::read(&state.db, &who, &caller.account, id).await {
        Ok(seen) => seen,
        Err(content::Error::NotFound(_)) => {
            return p.message(state, req, StatusCode::NOT_FOUND, "not_found").await;
        }
        Err(e) => return Err(ApiError::from(e).into()),
    };
    let personal = seen.with_asker;
    let q = seen.question;
    let lang = p.lang;
    let cal = content::holidays::calendar(&state.db)
        .await
        .map_err(ApiError::from)?;
    let (d, c) = questions::clocks_of(&cal, &q, content::time::today_vn());
    let all_units = content::units::list(&state.db).await.map_err(ApiError::from)?;
    let unit_ids = q.units();
    let unit_names: Vec<String> = all_units
        .iter()
        .filter(|u| unit_ids.contains(&u.id))
        .map(|u| u.name_in(lang).to_owned())
        .collect();
    let names: Vec<&str> = questions::actions::allowed(&caller.account, &q)
        .into_iter()
        .map(ActionKind::as_str)
        .collect();
    let actions: Vec<_> = names
        .iter()
        .map(|n| context! { name => *n, label => text(lang, &format!("qa_{n}")) })
        .collect();
    let units: Vec<_> = all_units
        .iter()
        .filter(|u| u.active)
        .map(|u| context! { id => u.id, name => u.name_in(lang) })
        .collect();
    let people: std::collections::HashMap<i32, String> = content::accounts::list(&state.db)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|a| (a.user.id, a.user.display_name))
        .collect();
    let unit_name = |u: Option<i32>| {
        u.and_then(|u| all_units.iter().find(|x| x.id == u))
            .map(|x| x.name_in(lang).to_owned())
    };
    let events: Vec<_> = questions::events(&state.db, id)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|e| {
            let who = match e.actor_id {
                Some(a) => people.get(&a).cloned(),
                None => Some(text(lang, "qa_citizen").to_owned()),
            };
            context! {
                at => format_vn(e.at), action => text(lang, &format!("qa_{}", e.action)),
                who => who, unit => unit_name(e.unit_id), comment => e.comment,
            }
        })
        .collect();
    let shown_title = q.public_title.clone().unwrap_or_else(|| q.title.clone());
    let shown_content = q.public_content.clone().unwrap_or_else(|| q.content.clone());
    let flags: Vec<_> = content::questions::redaction::flags(&format!("{shown_title}\n{shown_content}"))
        .into_iter()
        .map(|f| context! { found => f.found, what => f.detail.label(lang) })
        .collect();
    let categories: Vec<_> = q
        .channel()
        .categories()
        .iter()
        .map(|c| context! { value => *c, label => text(lang, &format!("cat_{c}")), selected => *c == q.category })
        .collect();
    let view = context! {
        petition => q.channel() == questions::Channel::Petition,
        id => q.id, title => q.title.clone(), status => q.status.clone(), personal => personal,
        status_label => text(lang, &format!("qa_st_{}", q.status)),
        category => text(lang, &format!("cat_{}", q.category)), complex => q.complex,
        public_title => shown_title, public_content => shown_content,
        edited => q.public_title.is_some() || q.public_content.is_some(),
        answer_text => q.answer.clone().unwrap_or_default(),
        name => q.name, email => q.email, phone => q.phone, address => q.address, content => q.content, received => format_vn(q.received_at),
        answer => q.answer.is_some(), answer_html => q.answer.as_deref().map(content::markdown::to_html),
        classify_by => d.classify_by.format("%d/%m/%Y").to_string(), clock_classify => clock_label(lang, c.classify),
        answer_by => d.answer_by.format("%d/%m/%Y").to_string(), clock_answer => clock_label(lang, c.answer),
        publish_by => d.publish_by.map(|x| x.format("%d/%m/%Y").to_string()), clock_publish => clock_label(lang, c.publish),
        units => unit_names,
    };
    let (status, error) = match failure {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    p.render(
        state,
        req,
        status,
        "qa_question.html",
        context! {
            q => view, actions => actions, units => units, events => events, error => error,
            flags => flags, categories => categories, typed => typed,
        },
    )
    .await
}

#[handler]
pub async fn question_page(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
) -> poem::Result<Response> {
    let (p, caller) = match qa_staff(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_question(&state, req, &p, &caller, id, None, None).await
}

#[handler]
pub async fn question_action(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match qa_staff(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let field = |k: &str| form.get(k).map(str::to_owned).filter(|v| !v.trim().is_empty());
    let result = async {
        let kind: ActionKind = form.get("action").unwrap_or_default().parse()?;
        let answer_by = match field("answer_by") {
            Some(d) => Some(super::days::parse_day("answer_by", &d)?),
            None => None,
        };
        let action = Action::from_input(
            kind,
            ActionInput {
                category: field("category"),
                complex: (kind == ActionKind::Classify).then(|| form.get("complex") == Some("true")),
                answer: field("answer"),
                unit_ids: form.all("unit_ids").filter_map(|u| u.parse().ok()).collect(),
                reason: field("reason"),
                comment: field("comment"),
                answer_by,
                public_title: field("public_title"),
                public_content: field("public_content"),
                confirm_personal_data: Some(form.get("confirm_personal_data") == Some("true")),
            },
        )?;
        questions::act(
            &state.db,
            &actor(&state, req, Some(&caller)),
            &caller.account,
            id,
            action,
            content::time::today_vn(),
        )
        .await
    }
    .await;
    match result {
        Ok((q, mail)) => {
            if let Some(m) = mail.map(|m| crate::public::with_tracking_link(&state, &q, m))
                && let Err(e) = state.outbox.send(&m)
            {
                tracing::error!(error = %e, "cannot write mail to the outbox");
            }
            state.pages.invalidate_all();
            Ok(redirect(&format!("/editor/qa/{id}")))
        }
        Err(e) => {
            render_question(
                &state,
                req,
                &p,
                &caller,
                id,
                Some((status_of(&e), say(&e, p.lang, "stale_or_moved", "not_found"))),
                Some(&form),
            )
            .await
        }
    }
}

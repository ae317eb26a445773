//! The board's settings: approval chains per section (Đ6.2a, Đ11.1c–d)
//! and delegations of approval rights (Đ6.3b).

use content::accounts::Caller;
use content::roles::Role;
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};

use super::session::{
    Page, admin, checked_form, db_err, parse_opt_id, redirect, say, staff_or_return, status_of,
};
use crate::auth::actor;
use crate::state::AppState;

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
    let edition = super::sections::edition_of(req, Some(&form));
    let result = async {
        let mut steps = Vec::new();
        for n in 1..=super::sections::MAX_STEPS {
            let Some(role) = form.get(&format!("role_{n}")).filter(|r| !r.is_empty()) else {
                continue;
            };
            let role: Role = role.parse().map_err(|e: content::roles::UnknownRole| {
                content::Error::invalid_in(format!("role_{n}"), e.to_string(), "Vai trò không hợp lệ.")
            })?;
            let unit_id = parse_opt_id(&form, &format!("unit_{n}"))?;
            steps.push(content::workflow::Step { role, unit_id });
        }
        let saved = content::chains::set_chain(&state.db, id, &steps).await?;
        content::audit::record(
            &state.db,
            &actor(&state, req, Some(&caller)),
            "section.chain",
            Some(("section", id.to_string())),
            serde_json::json!({"steps": saved.iter().map(|s| serde_json::json!({"role": s.role.as_str(), "unit_id": s.unit_id})).collect::<Vec<_>>()}),
        )
        .await
    }
    .await;
    let (status, flash, error) = match result {
        Ok(()) => (StatusCode::OK, Some(text(p.lang, "saved").to_owned()), None),
        Err(e) => (status_of(&e), None, Some(say(&e, p.lang, "error", "not_found"))),
    };
    super::sections::render_sections(&state, req, &p, edition, status, flash, error).await
}

pub(super) async fn render_delegations(
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
    let mut section_names = std::collections::HashMap::new();
    let mut sections = Vec::new();
    for e in [content::lang::Lang::Vi, content::lang::Lang::En] {
        let choices = super::posts::section_choices(state, e, p.lang).await?;
        let group: Vec<_> = choices
            .into_iter()
            .map(|c| {
                section_names.insert(c.id, c.label.clone());
                context! { id => c.id, label => c.label }
            })
            .collect();
        sections
            .push(context! { label => text(p.lang, &format!("edition_{}", e.as_str())), options => group });
    }
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
            let role = d.role.parse::<Role>().map(|r| r.label(p.lang).to_owned()).unwrap_or(d.role.clone());
            let section = d
                .section_id
                .and_then(|s| section_names.get(&s).cloned())
                .unwrap_or_else(|| text(p.lang, "all_sections").to_owned());
            context! {
                id => d.id, from => name(d.from_user_id), to => name(d.to_user_id), role => role, section => section,
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
        context! {
            delegations => rows, members => members, can_delegate => can_delegate, today => today.to_string(),
            error => error, sections => sections,
        },
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
            section_id: parse_opt_id(&form, "section_id")?,
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
        Err(e) => {
            render_delegations(
                &state,
                req,
                &p,
                &caller,
                status_of(&e),
                Some(say(&e, p.lang, "error", "not_found")),
            )
            .await
        }
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
        Err(e) => {
            render_delegations(
                &state,
                req,
                &p,
                &caller,
                status_of(&e),
                Some(say(&e, p.lang, "error", "not_found")),
            )
            .await
        }
    }
}

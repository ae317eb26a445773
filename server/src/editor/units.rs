//! `/editor/units` (administrators): the organisational units with their
//! address, phone and e-mail; add a unit (a provincial office), rename,
//! change its contacts, deactivate.

use content::units::{self, Contacts, NewUnit, UnitChanges};
use editor_ui::text;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};

use super::session::{Page, admin, checked_form, db_err, redirect, say, status_of};
use crate::auth::actor;
use crate::forms::{Form, query};
use crate::state::AppState;

async fn render(
    state: &AppState,
    req: &Request,
    p: &Page,
    failure: Option<(StatusCode, String, Option<i32>, &Form)>,
) -> poem::Result<Response> {
    let lang = p.lang;
    let (status, error, failed_id, typed) = match failure {
        Some((s, e, id, f)) => (s, Some(e), id, f.to_map()),
        None => (StatusCode::OK, None, None, Default::default()),
    };
    let rows: Vec<_> = units::list(&state.db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| {
            let mine = failed_id == Some(u.id);
            let pick = |k: &str, kept: Option<String>| {
                if mine { typed.get(k).cloned().unwrap_or_default() } else { kept.unwrap_or_default() }
            };
            context! {
                id => u.id, code => u.code.clone(), kind => text(lang, &format!("unit_kind_{}", u.kind)),
                active => u.active, open => mine,
                name_vi => pick("name_vi", Some(u.name_vi.clone())), name_en => pick("name_en", Some(u.name_en.clone())),
                address => pick("address", u.address.clone()), phone => pick("phone", u.phone.clone()),
                email => pick("email", u.email.clone()),
            }
        })
        .collect();
    let kinds: Vec<_> = units::KINDS
        .iter()
        .map(|k| context! { value => *k, label => text(lang, &format!("unit_kind_{k}")) })
        .collect();
    let new_typed = if failed_id.is_none() {
        typed
    } else {
        Default::default()
    };
    p.render(
        state,
        req,
        status,
        "units.html",
        context! {
            units => rows, kinds => kinds, error => error, typed => new_typed,
            flash => query(req, "saved").map(|_| text(lang, "saved").to_owned()),
        },
    )
    .await
}

fn contacts(form: &Form) -> Contacts {
    let field = |k: &str| form.get(k).map(str::to_owned);
    Contacts {
        address: field("address"),
        phone: field("phone"),
        email: field("email"),
    }
}

#[handler]
pub async fn list(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render(&state, req, &p, None).await
}

#[handler]
pub async fn create(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let new = NewUnit {
        code: form.get("code").unwrap_or_default().to_owned(),
        kind: form.get("kind").unwrap_or_default().to_owned(),
        name_vi: form.get("name_vi").unwrap_or_default().to_owned(),
        name_en: form.get("name_en").unwrap_or_default().to_owned(),
        contacts: contacts(&form),
    };
    match units::add(&state.db, &actor(&state, req, Some(&caller)), &new).await {
        Ok(_) => Ok(redirect("/editor/units?saved=1")),
        Err(e) => {
            let message = say(&e, p.lang, "unit_exists", "not_found");
            render(&state, req, &p, Some((status_of(&e), message, None, &form))).await
        }
    }
}

#[handler]
pub async fn update(
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
    let changes = UnitChanges {
        name_vi: form.get("name_vi").map(str::to_owned),
        name_en: form.get("name_en").map(str::to_owned),
        active: Some(form.get("active") == Some("true")),
        contacts: Some(contacts(&form)),
    };
    match units::change(&state.db, &actor(&state, req, Some(&caller)), id, &changes).await {
        Ok(_) => Ok(redirect("/editor/units?saved=1")),
        Err(e) => {
            let message = say(&e, p.lang, "error", "not_found");
            render(&state, req, &p, Some((status_of(&e), message, Some(id), &form))).await
        }
    }
}

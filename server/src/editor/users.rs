//! Account administration: the list of accounts, creating one, changing
//! roles, unit and status, resetting a password (Đ7.2: accounts are
//! issued per role).

use content::accounts::{self, NewUser, UserChanges};
use content::roles::Role;
use minijinja::context;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};
use serde::Serialize;

use super::session::{Page, RoleView, checked_form, parse_opt_id, role_view, status_of, unit_views};
use crate::auth::actor;
use crate::forms::Form;
use crate::state::AppState;

#[derive(Serialize)]
pub(super) struct UserRow {
    id: i32,
    username: String,
    display_name: String,
    email: Option<String>,
    unit_id: Option<i32>,
    unit_name: Option<String>,
    roles: Vec<String>,
    disabled: bool,
    two_factor: bool,
}

pub(super) async fn render_users(
    state: &AppState,
    req: &Request,
    p: &Page,
    status: StatusCode,
    error: Option<String>,
    new_password: Option<String>,
) -> poem::Result<Response> {
    let units = unit_views(state, p.lang).await?;
    let users: Vec<UserRow> = accounts::list(&state.db)
        .await
        .map_err(crate::problem::ApiError::from)?
        .into_iter()
        .map(|a| UserRow {
            two_factor: content::accounts::two_factor::enabled(&a.user),
            id: a.user.id,
            unit_name: a
                .user
                .unit_id
                .and_then(|id| units.iter().find(|u| u.id == id).map(|u| u.name.clone())),
            username: a.user.username,
            display_name: a.user.display_name,
            email: a.user.email,
            unit_id: a.user.unit_id,
            roles: a.roles.names(),
            disabled: a.user.disabled,
        })
        .collect();
    let roles: Vec<RoleView> = Role::ALL.iter().map(|r| role_view(*r, p.lang)).collect();
    p.render(
        state,
        req,
        status,
        "users.html",
        context! { users => users, units => units, roles => roles, error => error, new_password => new_password },
    )
    .await
}

#[handler]
pub(super) async fn users_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match account_managers(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_users(&state, req, &p, StatusCode::OK, None, None).await
}

pub(super) fn parse_roles(form: &Form) -> Result<Vec<Role>, content::Error> {
    form.all("roles")
        .map(|r| {
            r.parse::<Role>()
                .map_err(|e| content::Error::invalid("roles", e.to_string()))
        })
        .collect()
}

#[handler]
pub(super) async fn users_create(
    state: Data<&AppState>,
    req: &Request,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match account_managers(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let given = form.get("password").filter(|v| !v.is_empty()).map(str::to_owned);
    let generated = given.is_none().then(accounts::random_password);
    let result = async {
        let roles = parse_roles(&form)?;
        accounts::managers::check(&state.db, &caller.account, None, Some(&roles)).await?;
        let new = NewUser {
            username: form.get("username").unwrap_or_default().to_owned(),
            password: given.clone().or_else(|| generated.clone()).unwrap_or_default(),
            display_name: form.get("display_name").unwrap_or_default().to_owned(),
            email: form.get("email").map(str::to_owned),
            unit_id: parse_opt_id(&form, "unit_id")?,
            roles,
        };
        accounts::create(&state.db, &actor(&state, req, Some(&caller)), &new).await
    }
    .await;
    match result {
        Ok(_) => render_users(&state, req, &p, StatusCode::OK, None, generated).await,
        Err(e) => render_users(&state, req, &p, status_of(&e), Some(e.message_in(p.lang)), None).await,
    }
}

/// What to tell the user above a re-rendered form.
#[derive(Default)]
pub(super) struct Notice {
    flash: Option<String>,
    error: Option<String>,
    new_password: Option<String>,
}

pub(super) async fn render_user(
    state: &AppState,
    req: &Request,
    p: &Page,
    id: i32,
    status: StatusCode,
    notice: Notice,
) -> poem::Result<Response> {
    let Notice {
        flash,
        error,
        new_password,
    } = notice;
    let a = match accounts::get(&state.db, id).await {
        Ok(a) => a,
        Err(_) => return p.message(state, req, StatusCode::NOT_FOUND, "not_found").await,
    };
    let user = UserRow {
        two_factor: content::accounts::two_factor::enabled(&a.user),
        id: a.user.id,
        username: a.user.username,
        display_name: a.user.display_name,
        email: a.user.email,
        unit_id: a.user.unit_id,
        unit_name: None,
        roles: a.roles.names(),
        disabled: a.user.disabled,
    };
    let units = unit_views(state, p.lang).await?;
    let roles: Vec<RoleView> = Role::ALL.iter().map(|r| role_view(*r, p.lang)).collect();
    p.render(
        state,
        req,
        status,
        "user_edit.html",
        context! { user => user, units => units, roles => roles, flash => flash, error => error, new_password => new_password },
    )
    .await
}

#[handler]
pub(super) async fn user_page(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
) -> poem::Result<Response> {
    let (p, _) = match account_managers(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_user(&state, req, &p, id, StatusCode::OK, Notice::default()).await
}

#[handler]
pub(super) async fn user_update(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match account_managers(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let disabled = form.get("disabled") == Some("true");
    let result = async {
        if disabled && caller.account.user.id == id {
            return Err(content::Error::invalid(
                "disabled",
                "you cannot disable your own account",
            ));
        }
        let roles = parse_roles(&form)?;
        accounts::managers::check(&state.db, &caller.account, Some(id), Some(&roles)).await?;
        let changes = UserChanges {
            display_name: form.get("display_name").map(str::to_owned),
            email: Some(form.get("email").map(str::to_owned)),
            unit_id: Some(parse_opt_id(&form, "unit_id")?),
            roles: Some(roles),
            disabled: Some(disabled),
        };
        accounts::update(&state.db, &actor(&state, req, Some(&caller)), id, &changes).await
    }
    .await;
    match result {
        Ok(_) => {
            let flash = editor_ui::text(p.lang, "saved").to_owned();
            render_user(
                &state,
                req,
                &p,
                id,
                StatusCode::OK,
                Notice {
                    flash: Some(flash),
                    ..Notice::default()
                },
            )
            .await
        }
        Err(e) => {
            render_user(
                &state,
                req,
                &p,
                id,
                status_of(&e),
                Notice {
                    error: Some(e.message_in(p.lang)),
                    ..Notice::default()
                },
            )
            .await
        }
    }
}

#[handler]
pub(super) async fn user_reset_password(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match account_managers(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let given = form.get("password").filter(|v| !v.is_empty()).map(str::to_owned);
    let generated = given.is_none().then(accounts::random_password);
    let password = given.or_else(|| generated.clone()).unwrap_or_default();
    let reset = async {
        accounts::managers::check(&state.db, &caller.account, Some(id), None).await?;
        accounts::reset_password(&state.db, &actor(&state, req, Some(&caller)), id, &password).await
    };
    match reset.await {
        Ok(()) => {
            let flash = editor_ui::text(p.lang, "saved").to_owned();
            render_user(
                &state,
                req,
                &p,
                id,
                StatusCode::OK,
                Notice {
                    flash: Some(flash),
                    error: None,
                    new_password: generated,
                },
            )
            .await
        }
        Err(e) => {
            render_user(
                &state,
                req,
                &p,
                id,
                status_of(&e),
                Notice {
                    error: Some(e.message_in(p.lang)),
                    ..Notice::default()
                },
            )
            .await
        }
    }
}

/// The caller if they manage accounts (administrators, unit account
/// managers); otherwise the response to send.
async fn account_managers(
    state: &AppState,
    req: &Request,
) -> poem::Result<Result<(crate::editor::session::Page, content::accounts::Caller), Response>> {
    crate::editor::session::with_roles(state, req, &[Role::Admin, Role::AccountManager]).await
}

/// `POST /editor/users/:id/two-factor/reset`: an administrator removes a
/// user's two-factor enrolment (a lost phone); audited.
#[handler]
pub(super) async fn user_reset_two_factor(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let (p, caller) = match account_managers(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    checked_form!(&state, req, p, &caller, body);
    let (status, notice) =
        match content::accounts::two_factor::reset(&state.db, &actor(&state, req, Some(&caller)), id).await {
            Ok(()) => (
                StatusCode::OK,
                Notice {
                    flash: Some(editor_ui::text(p.lang, "saved").to_owned()),
                    ..Notice::default()
                },
            ),
            Err(e) => (
                status_of(&e),
                Notice {
                    error: Some(e.message_in(p.lang)),
                    ..Notice::default()
                },
            ),
        };
    render_user(&state, req, &p, id, status, notice).await
}

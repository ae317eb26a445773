//! Controllers of the editor UI at `/editor`: they check the session and
//! role, call the domain, and render `editor-ui` views. Forms carry a CSRF
//! token: the session's own once logged in, a cookie-bound one on the
//! login form.

mod editorial;
mod qa;

use content::accounts::{self, Caller, LoginError, NewUser, UserChanges};
use content::lang::Lang;
use content::roles::Role;
use content::sections::{self, NewSection, SectionChanges};
use minijinja::context;
use poem::http::{StatusCode, header};
use poem::web::cookie::{Cookie, SameSite};
use poem::web::{Data, Path, Redirect};
use poem::{Body, EndpointExt, IntoResponse, Request, Response, Route, get, handler, post};
use serde::Serialize;

use crate::auth::{self, actor, clear_session_cookie, session_cookie};
use crate::forms::Form;
use crate::state::AppState;

const LANG_COOKIE: &str = "portal_lang";
const LOGIN_CSRF_COOKIE: &str = "portal_login_csrf";

/// The editor's routes, to be nested at `/editor`.
pub fn routes(state: &AppState) -> impl poem::Endpoint + 'static {
    Route::new()
        .at("/", get(dashboard))
        .at("/login", get(login_page).post(login_submit))
        .at("/logout", post(logout))
        .at("/password", get(password_page).post(password_submit))
        .at("/users", get(users_page).post(users_create))
        .at("/users/:id", get(user_page).post(user_update))
        .at("/users/:id/reset-password", post(user_reset_password))
        .at("/sections", get(sections_page).post(sections_create))
        .at("/sections/:id", post(section_update))
        .at("/sections/:id/move", post(section_move))
        .at("/assets/editor.css", get(stylesheet))
        .at("/assets/editor.js", get(script))
        .at("/posts", post(editorial::create))
        .at("/posts/new", get(editorial::new_page))
        .at("/posts/:id", get(editorial::edit_page).post(editorial::save))
        .at("/posts/:id/transition", post(editorial::transition))
        .at("/posts/:id/comments", post(editorial::comment))
        .at("/posts/:id/unlock", post(editorial::unlock))
        .at(
            "/posts/:id/media",
            crate::body_limit::allow_upload(post(editorial::upload)),
        )
        .at("/posts/:id/diff", get(editorial::diff))
        .at("/sections/:id/chain", post(editorial::set_chain))
        .at("/audit", get(editorial::audit))
        .at("/search-queries", get(editorial::search_queries))
        .at(
            "/delegations",
            get(editorial::delegations).post(editorial::delegate),
        )
        .at("/delegations/:id/revoke", post(editorial::revoke))
        .at("/qa", get(qa::inbox))
        .at("/qa/:id", get(qa::question_page))
        .at("/qa/:id/action", post(qa::question_action))
        .data(state.clone())
}

/// What every page needs: the language and, once logged in, the caller.
pub(crate) struct Page {
    pub(crate) lang: Lang,
    pub(crate) caller: Option<Caller>,
    set_lang: Option<Lang>,
}

#[derive(Serialize)]
pub(crate) struct RoleView {
    name: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct MeView {
    username: String,
    display_name: String,
    roles: Vec<RoleView>,
    unit_name: Option<String>,
    is_admin: bool,
}

pub(crate) fn role_view(r: Role, lang: Lang) -> RoleView {
    RoleView {
        name: r.as_str(),
        label: if lang == Lang::En {
            r.label_en()
        } else {
            r.label_vi()
        },
    }
}

pub(crate) async fn page(state: &AppState, req: &Request) -> poem::Result<Page> {
    let query_lang = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned())
    });
    let set_lang = query_lang.as_deref().map(|c| Lang::from_code(Some(c)));
    let lang = set_lang
        .unwrap_or_else(|| Lang::from_code(req.cookie().get(LANG_COOKIE).as_ref().map(|c| c.value_str())));
    let caller = auth::caller(state, req).await?.map(|(c, _)| c);
    Ok(Page {
        lang,
        caller,
        set_lang,
    })
}

impl Page {
    async fn me(&self, state: &AppState) -> poem::Result<Option<MeView>> {
        let Some(c) = &self.caller else { return Ok(None) };
        let unit_name = match c.account.user.unit_id {
            Some(id) => content::units::get(&state.db, id).await.ok().map(|u| {
                if self.lang == Lang::En {
                    u.name_en
                } else {
                    u.name_vi
                }
            }),
            None => None,
        };
        Ok(Some(MeView {
            username: c.account.user.username.clone(),
            display_name: c.account.user.display_name.clone(),
            roles: c.account.roles.iter().map(|r| role_view(r, self.lang)).collect(),
            unit_name,
            is_admin: c.account.roles.is_admin(),
        }))
    }

    fn csrf(&self) -> String {
        self.caller
            .as_ref()
            .map(|c| c.csrf_token.clone())
            .unwrap_or_default()
    }

    /// Renders a template with the common context plus `extra`.
    pub(crate) async fn render<S: Serialize>(
        &self,
        state: &AppState,
        req: &Request,
        status: StatusCode,
        template: &str,
        extra: S,
    ) -> poem::Result<Response> {
        let me = self.me(state).await?;
        let ctx = context! {
            me => me, csrf => self.csrf(),
            lang => self.lang, other_lang => self.lang.other(), t => editor_ui::strings(self.lang),
            ..minijinja::Value::from_serialize(&extra)
        };
        let html = state.editor_views.render(template, ctx).map_err(|e| {
            tracing::error!(error = %e, template, "template failed");
            poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
        })?;
        if let Some(lang) = self.set_lang {
            let mut c = Cookie::new_with_str(LANG_COOKIE, lang.as_str());
            c.set_path("/");
            c.set_same_site(SameSite::Lax);
            c.set_max_age(std::time::Duration::from_secs(365 * 24 * 3600));
            req.cookie().add(c);
        }
        Ok(Response::builder()
            .status(status)
            .content_type("text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-store")
            .body(html))
    }

    pub(crate) async fn message(
        &self,
        state: &AppState,
        req: &Request,
        status: StatusCode,
        text_key: &str,
    ) -> poem::Result<Response> {
        let title = editor_ui::text(self.lang, "error");
        let message = editor_ui::text(self.lang, text_key);
        self.render(
            state,
            req,
            status,
            "message.html",
            context! { title => title, message => message },
        )
        .await
    }
}

/// Sends an anonymous visitor to the login page, then back here.
pub(crate) fn login_redirect(req: &Request) -> Response {
    let next = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/editor");
    let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    redirect(&format!("/editor/login?next={next}"))
}

pub(crate) fn redirect(url: &str) -> Response {
    Redirect::see_other(url).into_response()
}

/// Reads a posted form and checks its CSRF token against the session's;
/// on a mismatch the handler answers with the refusal page.
macro_rules! checked_form {
    ($state:expr, $req:expr, $page:expr, $caller:expr, $body:expr) => {{
        let form = $crate::forms::Form::read($body).await?;
        if !$crate::editor::csrf_ok($caller, &form) {
            return $page
                .message($state, $req, poem::http::StatusCode::FORBIDDEN, "csrf_failed")
                .await;
        }
        form
    }};
}
pub(crate) use checked_form;

/// Checks a form's CSRF token against the session's.
pub(crate) fn csrf_ok(caller: &Caller, form: &Form) -> bool {
    form.get("csrf") == Some(caller.csrf_token.as_str())
}

#[handler]
fn script() -> Response {
    Response::builder()
        .content_type("text/javascript; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(editor_ui::SCRIPT)
}

#[handler]
fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(editor_ui::STYLESHEET)
}

#[handler]
async fn dashboard(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    if p.caller.is_none() {
        return Ok(login_redirect(req));
    }
    let lists = match &p.caller {
        Some(c) => editorial::dashboard_lists(&state, c, p.lang).await?,
        None => context! {},
    };
    p.render(&state, req, StatusCode::OK, "dashboard.html", lists)
        .await
}

fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/editor") && !n.starts_with("//") => n.to_owned(),
        _ => "/editor".to_owned(),
    }
}

#[handler]
async fn login_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    let next = safe_next(
        req.uri()
            .query()
            .and_then(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "next")
                    .map(|(_, v)| v.into_owned())
            })
            .as_deref(),
    );
    if p.caller.is_some() {
        return Ok(redirect(&next));
    }
    let token = login_csrf(req);
    let mut p = p;
    p.caller = None;
    let mut resp = p
        .render(
            &state,
            req,
            StatusCode::OK,
            "login.html",
            context! { csrf_login => token, next => next, username => "" },
        )
        .await?;
    set_login_csrf(&state, &mut resp, &token);
    Ok(resp)
}

/// The login form's CSRF token: kept in its own cookie and echoed by the
/// form (double submit), since there is no session yet.
fn login_csrf(req: &Request) -> String {
    req.cookie()
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value_str().to_owned())
        .filter(|v| v.len() == 32)
        .unwrap_or_else(|| accounts::random_token(16))
}

fn set_login_csrf(state: &AppState, resp: &mut Response, token: &str) {
    let mut c = Cookie::new_with_str(LOGIN_CSRF_COOKIE, token);
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/editor");
    c.set_secure(state.config.cookie_secure);
    if let Ok(v) = c.to_string().parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[handler]
async fn login_submit(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let mut p = page(&state, req).await?;
    p.caller = None;
    let form = Form::read(body).await?;
    let username = form.get("username").unwrap_or_default().to_owned();
    let next = safe_next(form.get("next"));
    let cookie_token = req
        .cookie()
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value_str().to_owned());
    let token = login_csrf(req);
    let rerender = |error_key: &'static str, extra: String| {
        let message = format!("{}{}", editor_ui::text(p.lang, error_key), extra);
        (message, token.clone())
    };
    let failure = if cookie_token.is_none() || cookie_token.as_deref() != form.get("csrf") {
        Some((StatusCode::FORBIDDEN, rerender("csrf_failed", String::new())))
    } else {
        let ip = crate::net::client_ip(req, &state.config.trusted_proxies).map(|i| i.to_string());
        let ua = req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let ttl = state.config.session_ttl();
        let password = form.get("password").unwrap_or_default();
        match accounts::login(&state.db, &username, password, ip, ua, ttl).await {
            Ok((_, session)) => {
                req.cookie().add(session_cookie(&state, &session.token, ttl));
                return Ok(redirect(&next));
            }
            Err(LoginError::BadCredentials) => {
                Some((StatusCode::UNAUTHORIZED, rerender("bad_login", String::new())))
            }
            Err(LoginError::Disabled) => {
                Some((StatusCode::FORBIDDEN, rerender("account_disabled", String::new())))
            }
            Err(LoginError::Locked { until }) => Some((
                StatusCode::TOO_MANY_REQUESTS,
                rerender("locked", format!(" {}.", content::time::format_vn(until))),
            )),
            Err(LoginError::Other(e)) => return Err(crate::problem::ApiError::from(e).into()),
        }
    };
    let (status, (error, token)) = failure.unwrap_or((StatusCode::OK, (String::new(), token)));
    let mut resp = p
        .render(
            &state,
            req,
            status,
            "login.html",
            context! { csrf_login => token, next => next, username => username, error => error },
        )
        .await?;
    set_login_csrf(&state, &mut resp, &token);
    Ok(resp)
}

#[handler]
async fn logout(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    let form = Form::read(body).await?;
    if let Some(c) = &p.caller {
        if !csrf_ok(c, &form) {
            return p.message(&state, req, StatusCode::FORBIDDEN, "csrf_failed").await;
        }
        let ip = crate::net::client_ip(req, &state.config.trusted_proxies).map(|i| i.to_string());
        accounts::logout(&state.db, c, ip)
            .await
            .map_err(crate::problem::ApiError::from)?;
    }
    req.cookie().add(clear_session_cookie(&state));
    Ok(redirect("/editor/login"))
}

#[handler]
async fn password_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    if p.caller.is_none() {
        return Ok(login_redirect(req));
    }
    p.render(&state, req, StatusCode::OK, "password.html", context! {})
        .await
}

#[handler]
async fn password_submit(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    let Some(caller) = p.caller.clone() else {
        return Ok(login_redirect(req));
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let who = actor(&state, req, Some(&caller));
    let result = accounts::change_password(
        &state.db,
        &who,
        &caller,
        form.get("current_password").unwrap_or_default(),
        form.get("new_password").unwrap_or_default(),
    )
    .await;
    match result {
        Ok(()) => {
            let flash = editor_ui::text(p.lang, "password_changed");
            p.render(
                &state,
                req,
                StatusCode::OK,
                "password.html",
                context! { flash => flash },
            )
            .await
        }
        Err(e) => {
            p.render(
                &state,
                req,
                status_of(&e),
                "password.html",
                context! { error => e.to_string() },
            )
            .await
        }
    }
}

pub(crate) fn status_of(e: &content::Error) -> StatusCode {
    match e {
        content::Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        content::Error::NotFound(_) => StatusCode::NOT_FOUND,
        content::Error::Conflict(_) => StatusCode::CONFLICT,
        content::Error::Forbidden(_) => StatusCode::FORBIDDEN,
        content::Error::Locked { .. } => StatusCode::LOCKED,
        content::Error::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The caller if they are an admin; otherwise the response to send.
pub(crate) async fn admin(state: &AppState, req: &Request) -> poem::Result<Result<(Page, Caller), Response>> {
    with_roles(state, req, &[Role::Admin]).await
}

/// The logged-in caller holding one of `roles`; otherwise the response to
/// send instead (the login page, or a refusal).
pub(crate) async fn with_roles(
    state: &AppState,
    req: &Request,
    roles: &[Role],
) -> poem::Result<Result<(Page, Caller), Response>> {
    let p = page(state, req).await?;
    let Some(caller) = p.caller.clone() else {
        return Ok(Err(login_redirect(req)));
    };
    if !caller.account.roles.any(roles) {
        return Ok(Err(p
            .message(state, req, StatusCode::FORBIDDEN, "forbidden")
            .await?));
    }
    Ok(Ok((p, caller)))
}

#[derive(Serialize)]
pub(crate) struct UnitView {
    id: i32,
    name: String,
}

pub(crate) async fn unit_views(state: &AppState, lang: Lang) -> poem::Result<Vec<UnitView>> {
    let units = content::units::list(&state.db)
        .await
        .map_err(crate::problem::ApiError::from)?;
    Ok(units
        .into_iter()
        .filter(|u| u.active)
        .map(|u| UnitView {
            id: u.id,
            name: if lang == Lang::En { u.name_en } else { u.name_vi },
        })
        .collect())
}

#[derive(Serialize)]
struct UserRow {
    id: i32,
    username: String,
    display_name: String,
    email: Option<String>,
    unit_id: Option<i32>,
    unit_name: Option<String>,
    roles: Vec<String>,
    disabled: bool,
}

async fn render_users(
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
async fn users_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_users(&state, req, &p, StatusCode::OK, None, None).await
}

fn parse_roles(form: &Form) -> Result<Vec<Role>, content::Error> {
    form.all("roles")
        .map(|r| {
            r.parse::<Role>()
                .map_err(|e| content::Error::invalid("roles", e.to_string()))
        })
        .collect()
}

pub(crate) fn parse_opt_id(form: &Form, field: &str) -> Result<Option<i32>, content::Error> {
    match form.get(field).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| content::Error::invalid(field, "is not a number")),
    }
}

#[handler]
async fn users_create(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let (p, caller) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let given = form.get("password").filter(|v| !v.is_empty()).map(str::to_owned);
    let generated = given.is_none().then(accounts::random_password);
    let result = async {
        let new = NewUser {
            username: form.get("username").unwrap_or_default().to_owned(),
            password: given.clone().or_else(|| generated.clone()).unwrap_or_default(),
            display_name: form.get("display_name").unwrap_or_default().to_owned(),
            email: form.get("email").map(str::to_owned),
            unit_id: parse_opt_id(&form, "unit_id")?,
            roles: parse_roles(&form)?,
        };
        accounts::create(&state.db, &actor(&state, req, Some(&caller)), &new).await
    }
    .await;
    match result {
        Ok(_) => render_users(&state, req, &p, StatusCode::OK, None, generated).await,
        Err(e) => render_users(&state, req, &p, status_of(&e), Some(e.to_string()), None).await,
    }
}

/// What to tell the user above a re-rendered form.
#[derive(Default)]
struct Notice {
    flash: Option<String>,
    error: Option<String>,
    new_password: Option<String>,
}

async fn render_user(
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
async fn user_page(state: Data<&AppState>, req: &Request, Path(id): Path<i32>) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_user(&state, req, &p, id, StatusCode::OK, Notice::default()).await
}

#[handler]
async fn user_update(
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
    let disabled = form.get("disabled") == Some("true");
    let result = async {
        if disabled && caller.account.user.id == id {
            return Err(content::Error::invalid(
                "disabled",
                "you cannot disable your own account",
            ));
        }
        let changes = UserChanges {
            display_name: form.get("display_name").map(str::to_owned),
            email: Some(form.get("email").map(str::to_owned)),
            unit_id: Some(parse_opt_id(&form, "unit_id")?),
            roles: Some(parse_roles(&form)?),
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
                    error: Some(e.to_string()),
                    ..Notice::default()
                },
            )
            .await
        }
    }
}

#[handler]
async fn user_reset_password(
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
    let given = form.get("password").filter(|v| !v.is_empty()).map(str::to_owned);
    let generated = given.is_none().then(accounts::random_password);
    let password = given.or_else(|| generated.clone()).unwrap_or_default();
    match accounts::reset_password(&state.db, &actor(&state, req, Some(&caller)), id, &password).await {
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
                    error: Some(e.to_string()),
                    ..Notice::default()
                },
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct SectionView {
    id: i32,
    parent_id: Option<i32>,
    position: i32,
    slug: String,
    slug_vi: String,
    slug_en: String,
    name_vi: String,
    name_en: String,
    owner_unit_id: Option<i32>,
    visible: bool,
    /// The approval chain as roles, e.g. `editor, board_deputy_standing`.
    chain: String,
    children: Vec<SectionView>,
}

impl SectionView {
    fn new(n: sections::Node, chains: &std::collections::HashMap<i32, Vec<content::workflow::Step>>) -> Self {
        let slug = n.slug().to_owned();
        let s = n.section;
        let chain = chains
            .get(&s.id)
            .map(|steps| {
                steps
                    .iter()
                    .map(|st| st.role.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        SectionView {
            id: s.id,
            parent_id: s.parent_id,
            position: s.position,
            slug,
            slug_vi: s.slug_vi,
            slug_en: s.slug_en,
            name_vi: s.name_vi,
            name_en: s.name_en,
            owner_unit_id: s.owner_unit_id,
            visible: s.visible,
            chain,
            children: n
                .children
                .into_iter()
                .map(|c| SectionView::new(c, chains))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ParentOption {
    id: i32,
    label: String,
}

fn parent_options(nodes: &[SectionView], prefix: &str, edition: Lang, out: &mut Vec<ParentOption>) {
    for n in nodes {
        let name = if edition == Lang::En {
            &n.name_en
        } else {
            &n.name_vi
        };
        let label = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix} › {name}")
        };
        out.push(ParentOption {
            id: n.id,
            label: label.clone(),
        });
        parent_options(&n.children, &label, edition, out);
    }
}

pub(crate) fn edition_of(req: &Request, form: Option<&Form>) -> Lang {
    let from_form = form.and_then(|f| f.get("edition")).map(str::to_owned);
    let from_query = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "edition")
            .map(|(_, v)| v.into_owned())
    });
    from_form
        .or(from_query)
        .and_then(|e| e.parse().ok())
        .unwrap_or(Lang::Vi)
}

pub(crate) async fn render_sections(
    state: &AppState,
    req: &Request,
    p: &Page,
    edition: Lang,
    status: StatusCode,
    flash: Option<String>,
    error: Option<String>,
) -> poem::Result<Response> {
    let chains = content::chains::all(&state.db)
        .await
        .map_err(crate::problem::ApiError::from)?;
    let tree: Vec<SectionView> = sections::tree(&state.db, edition, true)
        .await
        .map_err(crate::problem::ApiError::from)?
        .into_iter()
        .map(|n| SectionView::new(n, &chains))
        .collect();
    let mut parents = Vec::new();
    parent_options(&tree, "", edition, &mut parents);
    let units = unit_views(state, p.lang).await?;
    p.render(
        state,
        req,
        status,
        "sections.html",
        context! { tree => tree, parents => parents, units => units, edition => edition.as_str(), flash => flash, error => error },
    )
    .await
}

#[handler]
async fn sections_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let (p, _) = match admin(&state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    render_sections(&state, req, &p, edition_of(req, None), StatusCode::OK, None, None).await
}

/// Runs a section change submitted from a form and re-renders the tree.
async fn section_action<F, Fut>(
    state: &AppState,
    req: &Request,
    body: Body,
    action: &str,
    id: Option<i32>,
    f: F,
) -> poem::Result<Response>
where
    F: FnOnce(Form) -> Fut,
    Fut: std::future::Future<Output = Result<content::entity::section::Model, content::Error>>,
{
    let (p, caller) = match admin(state, req).await? {
        Ok(x) => x,
        Err(r) => return Ok(r),
    };
    let form = checked_form!(state, req, p, &caller, body);
    let edition = edition_of(req, Some(&form));
    match f(form).await {
        Ok(s) => {
            content::audit::record(
                &state.db,
                &actor(state, req, Some(&caller)),
                action,
                Some(("section", id.unwrap_or(s.id).to_string())),
                serde_json::json!({"name_vi": s.name_vi, "parent_id": s.parent_id, "position": s.position, "visible": s.visible}),
            )
            .await
            .map_err(crate::problem::ApiError::from)?;
            let flash = editor_ui::text(p.lang, "saved").to_owned();
            render_sections(state, req, &p, edition, StatusCode::OK, Some(flash), None).await
        }
        Err(e) => render_sections(state, req, &p, edition, status_of(&e), None, Some(e.to_string())).await,
    }
}

#[handler]
async fn sections_create(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
    let db = state.db.clone();
    section_action(&state, req, body, "section.create", None, |form| async move {
        let new = NewSection {
            edition: form.get("edition").unwrap_or("vi").parse()?,
            parent_id: parse_opt_id(&form, "parent_id")?,
            name_vi: form.get("name_vi").unwrap_or_default().to_owned(),
            name_en: form.get("name_en").unwrap_or_default().to_owned(),
            slug_vi: None,
            slug_en: None,
            owner_unit_id: parse_opt_id(&form, "owner_unit_id")?,
            position: None,
            visible: true,
        };
        sections::create(&db, &new).await
    })
    .await
}

#[handler]
async fn section_update(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let db = state.db.clone();
    section_action(&state, req, body, "section.update", Some(id), |form| async move {
        let changes = SectionChanges {
            name_vi: form.get("name_vi").map(str::to_owned),
            name_en: form.get("name_en").map(str::to_owned),
            slug_vi: form.get("slug_vi").map(str::to_owned),
            slug_en: form.get("slug_en").map(str::to_owned),
            owner_unit_id: Some(parse_opt_id(&form, "owner_unit_id")?),
            visible: Some(form.get("visible") == Some("true")),
        };
        sections::update(&db, id, &changes).await
    })
    .await
}

#[handler]
async fn section_move(
    state: Data<&AppState>,
    req: &Request,
    Path(id): Path<i32>,
    body: Body,
) -> poem::Result<Response> {
    let db = state.db.clone();
    section_action(&state, req, body, "section.move", Some(id), |form| async move {
        let parent = parse_opt_id(&form, "parent_id")?;
        let position = parse_opt_id(&form, "position")?;
        sections::move_to(&db, id, parent, position).await
    })
    .await
}

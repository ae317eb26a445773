//! Who is at the keyboard: the page context every editor screen starts
//! from (language, signed-in caller, role gates), signing in and out with
//! a cookie-bound CSRF token, and changing one's password.

use content::accounts::{self, Caller, LoginError};
use content::lang::Lang;
use content::roles::Role;
use minijinja::context;
use poem::http::{StatusCode, header};
use poem::web::cookie::{Cookie, SameSite};
use poem::web::{Data, Redirect};
use poem::{Body, IntoResponse, Request, Response, handler};
use serde::Serialize;

use crate::auth::{self, actor, clear_session_cookie, session_cookie};
use crate::forms::Form;
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) const LANG_COOKIE: &str = "portal_lang";

pub(super) const LOGIN_CSRF_COOKIE: &str = "portal_login_csrf";

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
pub(super) struct MeView {
    username: String,
    display_name: String,
    roles: Vec<RoleView>,
    unit_name: Option<String>,
    is_admin: bool,
    /// Whether they write or approve posts (the post list, the library).
    staff: bool,
    /// Notifications not read yet.
    unread: u64,
    /// The first structured-content screen the user may open (the Office's
    /// catalogue, or documents for the editorial staff), if any.
    catalogue: Option<String>,
    /// Whether that screen is the Office's catalogue (its menu label).
    office: bool,
    /// Whether the information-deadlines page is theirs (Đ11.1).
    provisions: bool,
    /// Whether they read the annual report (Đ6.4).
    oversight: bool,
    /// Whether the royalty screens show anything to this user.
    royalties: bool,
}

pub(crate) fn role_view(r: Role, lang: Lang) -> RoleView {
    RoleView {
        name: r.as_str(),
        label: r.label(lang),
    }
}

pub(crate) async fn page(state: &AppState, req: &Request) -> poem::Result<Page> {
    let query_lang = crate::forms::query(req, "lang");
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
            Some(id) => content::units::get(&state.db, id)
                .await
                .ok()
                .map(|u| u.name_in(self.lang).to_owned()),
            None => None,
        };
        Ok(Some(MeView {
            username: c.account.user.username.clone(),
            display_name: c.account.user.display_name.clone(),
            roles: c.account.roles.iter().map(|r| role_view(r, self.lang)).collect(),
            unit_name,
            is_admin: c.account.roles.is_admin(),
            staff: c.account.roles.any(&content::roles::EDITORIAL_STAFF),
            unread: content::notifications::unread_count(&state.db, c.account.user.id)
                .await
                .map_err(ApiError::from)?,
            catalogue: super::catalogue::first_readable(&c.account.roles),
            office: c.account.roles.any(content::entries::PROCEDURE.editors),
            provisions: c.account.roles.any(&content::roles::OVERSIGHT) || c.account.user.unit_id.is_some(),
            oversight: c.account.roles.any(&content::roles::OVERSIGHT),
            royalties: content::royalties::holders::list(&state.db)
                .await
                .map_err(ApiError::from)?
                .iter()
                .any(|h| content::royalties::rules::may_read(&h.roles(), &c.account.roles)),
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
        if !$crate::editor::session::csrf_ok($caller, &form) {
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

pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/editor") && !n.starts_with("//") => n.to_owned(),
        _ => "/editor".to_owned(),
    }
}

#[handler]
pub(super) async fn login_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    let next = safe_next(crate::forms::query(req, "next").as_deref());
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
pub(super) fn login_csrf(req: &Request) -> String {
    req.cookie()
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value_str().to_owned())
        .filter(|v| v.len() == 32)
        .unwrap_or_else(|| accounts::random_token(16))
}

pub(super) fn set_login_csrf(state: &AppState, resp: &mut Response, token: &str) {
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
pub(super) async fn login_submit(
    state: Data<&AppState>,
    req: &Request,
    body: Body,
) -> poem::Result<Response> {
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
    let mut ask_code = false;
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
        match accounts::login(&state.db, &username, password, form.get("code"), ip, ua, ttl).await {
            Ok((account, session)) => {
                req.cookie().add(session_cookie(&state, &session.token, ttl));
                if account.roles.any(&content::roles::EDITORIAL_STAFF) {
                    req.cookie()
                        .add(crate::auth::staff_mark_cookie(&state, true, ttl));
                }
                return Ok(redirect(&next));
            }
            Err(LoginError::BadCredentials) => {
                Some((StatusCode::UNAUTHORIZED, rerender("bad_login", String::new())))
            }
            Err(LoginError::Disabled) => {
                Some((StatusCode::FORBIDDEN, rerender("account_disabled", String::new())))
            }
            Err(LoginError::Throttled { until }) => Some((
                StatusCode::TOO_MANY_REQUESTS,
                rerender("throttled", format!(" {}.", content::time::format_vn(until))),
            )),
            Err(LoginError::SecondFactorNeeded) => {
                ask_code = true;
                Some((StatusCode::UNAUTHORIZED, rerender("code_needed", String::new())))
            }
            Err(LoginError::BadCode) => {
                ask_code = true;
                Some((StatusCode::UNAUTHORIZED, rerender("bad_code", String::new())))
            }
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
            context! { csrf_login => token, next => next, username => username, error => error, ask_code => ask_code },
        )
        .await?;
    set_login_csrf(&state, &mut resp, &token);
    Ok(resp)
}

#[handler]
pub(super) async fn logout(state: Data<&AppState>, req: &Request, body: Body) -> poem::Result<Response> {
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
    req.cookie().add(crate::auth::staff_mark_cookie(
        &state,
        false,
        chrono::Duration::zero(),
    ));
    Ok(redirect("/editor/login"))
}

#[handler]
pub(super) async fn password_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    if p.caller.is_none() {
        return Ok(login_redirect(req));
    }
    p.render(&state, req, StatusCode::OK, "password.html", context! {})
        .await
}

#[handler]
pub(super) async fn password_submit(
    state: Data<&AppState>,
    req: &Request,
    body: Body,
) -> poem::Result<Response> {
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
                context! { error => e.message_in(p.lang) },
            )
            .await
        }
    }
}

pub(crate) fn status_of(e: &content::Error) -> StatusCode {
    match e {
        content::Error::Invalid { .. } | content::Error::Unknown { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        content::Error::NotFound(_) => StatusCode::NOT_FOUND,
        content::Error::Conflict(_) | content::Error::OutsideWindow { .. } => StatusCode::CONFLICT,
        content::Error::Forbidden(_) => StatusCode::FORBIDDEN,
        content::Error::Locked { .. } => StatusCode::LOCKED,
        content::Error::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A refusal as an editor screen says it: the domain's own Vietnamese
/// message when it has one; otherwise the screen's words for a conflict
/// (`conflict`) or a missing record (`unknown`), never a field's code. An
/// English screen gets the domain's message.
pub(crate) fn say(e: &content::Error, lang: Lang, conflict: &str, unknown: &str) -> String {
    let key = match (e, lang) {
        (content::Error::Invalid { vi: Some(_), .. } | content::Error::Locked { .. }, _) | (_, Lang::En) => {
            return e.message_in(lang);
        }
        (content::Error::Forbidden(_), _) => "forbidden",
        (content::Error::Conflict(_), _) => conflict,
        (content::Error::NotFound(_) | content::Error::Unknown { .. }, _) => unknown,
        (content::Error::Invalid { .. }, _) => "form_invalid",
        _ => "error",
    };
    editor_ui::text(lang, key).to_owned()
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
    if crate::auth::must_enrol(state, &caller) {
        return Ok(Err(redirect("/editor/two-factor")));
    }
    if !caller.account.roles.any(roles) {
        return Ok(Err(p
            .message(state, req, StatusCode::FORBIDDEN, "forbidden")
            .await?));
    }
    Ok(Ok((p, caller)))
}

#[derive(Serialize)]
pub(crate) struct UnitView {
    pub(crate) id: i32,
    pub(crate) name: String,
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
            name: u.name_in(lang).to_owned(),
        })
        .collect())
}

pub(crate) fn parse_opt_id(form: &Form, field: &str) -> Result<Option<i32>, content::Error> {
    match form.get(field).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| content::Error::invalid_in(field, "is not a number", "Phải là một số.")),
    }
}

/// The logged-in staff member, or the response to send instead.
pub(crate) async fn staff(state: &AppState, req: &Request) -> poem::Result<Result<(Page, Caller), Response>> {
    with_roles(state, req, &content::roles::EDITORIAL_STAFF).await
}

macro_rules! staff_or_return {
    ($state:expr, $req:expr) => {
        match $crate::editor::session::staff($state, $req).await? {
            Ok(x) => x,
            Err(r) => return Ok(r),
        }
    };
}
pub(crate) use staff_or_return;

pub(crate) fn db_err(e: content::Error) -> poem::Error {
    ApiError::from(e).into()
}

/// `GET /editor/two-factor`: the state of one's two-factor sign-in, the
/// enrolment in progress (QR code, secret, code to confirm), or a button
/// to start.
#[handler]
pub(super) async fn two_factor_page(state: Data<&AppState>, req: &Request) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    let Some(caller) = p.caller.clone() else {
        return Ok(login_redirect(req));
    };
    render_two_factor(&state, req, &p, &caller, StatusCode::OK, None, None).await
}

async fn render_two_factor(
    state: &AppState,
    req: &Request,
    p: &Page,
    caller: &Caller,
    status: StatusCode,
    error: Option<String>,
    recovery_codes: Option<Vec<String>>,
) -> poem::Result<Response> {
    let u = accounts::get(&state.db, caller.account.user.id)
        .await
        .map_err(ApiError::from)?
        .user;
    let pending = accounts::two_factor::pending(&u)
        .map(|e| context! { secret => e.secret, qr => crate::qr::svg(&e.url) });
    p.render(
        state,
        req,
        status,
        "two_factor.html",
        context! {
            enabled => accounts::two_factor::enabled(&u), pending => pending, error => error,
            recovery_codes => recovery_codes,
            required => crate::auth::must_enrol(state, caller),
        },
    )
    .await
}

/// `POST /editor/two-factor`: start an enrolment, or confirm it with a
/// first code (the recovery codes are then shown once).
#[handler]
pub(super) async fn two_factor_submit(
    state: Data<&AppState>,
    req: &Request,
    body: Body,
) -> poem::Result<Response> {
    let p = page(&state, req).await?;
    let Some(caller) = p.caller.clone() else {
        return Ok(login_redirect(req));
    };
    let form = checked_form!(&state, req, p, &caller, body);
    let who = actor(&state, req, Some(&caller));
    let id = caller.account.user.id;
    match form.get("action") {
        Some("start") => match accounts::two_factor::begin(&state.db, &who, id).await {
            Ok(_) => Ok(redirect("/editor/two-factor")),
            Err(e) => {
                render_two_factor(
                    &state,
                    req,
                    &p,
                    &caller,
                    status_of(&e),
                    Some(e.message_in(p.lang)),
                    None,
                )
                .await
            }
        },
        _ => match accounts::two_factor::confirm(&state.db, &who, id, form.get("code").unwrap_or_default())
            .await
        {
            Ok(codes) => render_two_factor(&state, req, &p, &caller, StatusCode::OK, None, Some(codes)).await,
            Err(e) => {
                render_two_factor(
                    &state,
                    req,
                    &p,
                    &caller,
                    status_of(&e),
                    Some(e.message_in(p.lang)),
                    None,
                )
                .await
            }
        },
    }
}

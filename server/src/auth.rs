//! Who is calling: a session token from `Authorization: Bearer …` (API
//! clients) or from the session cookie (browsers), checked against the
//! sessions table on every request.

use content::accounts::{self, Caller};
use content::audit::Actor;
use content::roles::Role;
use poem::Request;
use poem::http::Method;
use poem::web::cookie::{Cookie, SameSite};

use crate::problem::ApiError;
use crate::state::AppState;

/// The browser session cookie (HttpOnly, SameSite=Lax).
pub const SESSION_COOKIE: &str = "portal_session";
/// Header that cookie-authenticated API writes must carry (CSRF guard).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller presented their token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Bearer,
    Cookie,
}

/// The token a request carries, if any.
pub fn token(req: &Request) -> Option<(String, Via)> {
    if let Some(h) = req.headers().get("authorization").and_then(|v| v.to_str().ok())
        && let Some(t) = h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer "))
    {
        return Some((t.trim().to_owned(), Via::Bearer));
    }
    req.cookie()
        .get(SESSION_COOKIE)
        .map(|c| (c.value_str().to_owned(), Via::Cookie))
}

/// Resolves the caller without requiring one.
pub async fn caller(state: &AppState, req: &Request) -> Result<Option<(Caller, Via)>, ApiError> {
    let Some((token, via)) = token(req) else {
        return Ok(None);
    };
    let found = accounts::authenticate(&state.db, &token, state.config.session_ttl()).await?;
    Ok(found.map(|c| (c, via)))
}

/// The caller of an API route, or 401. A browser session (cookie) writing
/// through the API must also send its CSRF token in `X-CSRF-Token`.
pub async fn require(state: &AppState, req: &Request) -> Result<Caller, ApiError> {
    let Some((caller, via)) = caller(state, req).await? else {
        return Err(ApiError::unauthorized(
            "log in first: send `Authorization: Bearer <token>` from POST /api/v1/auth/login",
        ));
    };
    if must_enrol(state, &caller) && !ENROLMENT_PATHS.iter().any(|p| req.uri().path().ends_with(p)) {
        return Err(ApiError::new(
            poem::http::StatusCode::FORBIDDEN,
            "two-factor-enrolment-required",
            "Two-factor sign-in required",
            "your roles need two-factor sign-in: POST /api/v1/auth/two-factor/enrol, then confirm a code at /api/v1/auth/two-factor/confirm",
        ));
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if via == Via::Cookie && !safe {
        let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent != Some(caller.csrf_token.as_str()) {
            return Err(ApiError::forbidden(
                "cookie-authenticated writes need the X-CSRF-Token header",
            ));
        }
    }
    Ok(caller)
}

/// What a caller who must still enrol a second factor may reach.
const ENROLMENT_PATHS: [&str; 4] = [
    "/auth/two-factor/enrol",
    "/auth/two-factor/confirm",
    "/me",
    "/auth/logout",
];

/// Whether the caller's roles need a second factor they have not set up
/// yet (`two_factor_roles`): they may do nothing else until they do.
pub fn must_enrol(state: &AppState, caller: &Caller) -> bool {
    accounts::two_factor::required(&caller.account.roles, &state.config.two_factor_roles)
        && !accounts::two_factor::enabled(&caller.account.user)
}

/// Refuses a caller holding none of `roles`.
pub fn require_role(caller: &Caller, roles: &[Role]) -> Result<(), ApiError> {
    if caller.account.roles.any(roles) {
        Ok(())
    } else {
        let names: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
        Err(ApiError::forbidden(format!(
            "this needs one of the roles: {}",
            names.join(", ")
        )))
    }
}

/// The audit actor for a caller at the request's address.
pub fn actor(state: &AppState, req: &Request, caller: Option<&Caller>) -> Actor {
    Actor {
        user_id: caller.map(|c| c.account.user.id),
        username: caller.map(|c| c.account.user.username.clone()),
        ip: crate::net::client_ip(req, &state.config.trusted_proxies).map(|ip| ip.to_string()),
    }
}

/// The session cookie for a new session.
pub fn session_cookie(state: &AppState, token: &str, max_age: chrono::Duration) -> Cookie {
    let mut c = Cookie::new_with_str(SESSION_COOKIE, token);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(state.config.cookie_secure);
    c.set_max_age(std::time::Duration::from_secs(max_age.num_seconds().max(0) as u64));
    c
}

/// The marker that lets the public article page show staff an "edit"
/// link (read by a small script; it grants nothing, the editor still
/// checks the session).
pub const STAFF_MARK_COOKIE: &str = "portal_staff";

/// The staff marker, or its removal (`on` false).
pub fn staff_mark_cookie(state: &AppState, on: bool, max_age: chrono::Duration) -> Cookie {
    let mut c = Cookie::new_with_str(STAFF_MARK_COOKIE, "1");
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(state.config.cookie_secure);
    c.set_max_age(std::time::Duration::from_secs(max_age.num_seconds().max(0) as u64));
    if !on {
        c.make_removal();
    }
    c
}

/// A cookie that deletes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> Cookie {
    let mut c = session_cookie(state, "", chrono::Duration::zero());
    c.make_removal();
    c
}

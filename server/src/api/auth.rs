use content::accounts::{self, LoginError};
use poem::Request;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use super::models::User;
use crate::auth::{actor, clear_session_cookie, require, session_cookie};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct AuthApi(pub AppState);

#[derive(Object)]
struct LoginRequest {
    username: String,
    password: String,
}

#[derive(Object)]
struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`. Also set as an HttpOnly cookie.
    token: String,
    /// Browsers using the cookie send this in `X-CSRF-Token` on writes.
    csrf_token: String,
    expires_at: String,
    user: User,
}

#[derive(Object)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

#[OpenApi(tag = "Tag::Auth")]
impl AuthApi {
    /// Log in with user name and password.
    ///
    /// After 5 failed attempts within 15 minutes the account refuses logins
    /// for 15 minutes (429).
    #[oai(path = "/auth/login", method = "post")]
    async fn login(&self, req: &Request, body: Json<LoginRequest>) -> poem::Result<Json<LoginResponse>> {
        let st = &self.0;
        let ip = crate::net::client_ip(req, &st.config.trusted_proxies).map(|i| i.to_string());
        let ua = req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let ttl = st.config.session_ttl();
        match accounts::login(&st.db, &body.username, &body.password, ip, ua, ttl).await {
            Ok((account, session)) => {
                req.cookie().add(session_cookie(st, &session.token, ttl));
                Ok(Json(LoginResponse {
                    token: session.token,
                    csrf_token: session.csrf_token,
                    expires_at: content::time::rfc3339_vn(session.expires_at),
                    user: account.into(),
                }))
            }
            Err(LoginError::BadCredentials) => {
                Err(ApiError::unauthorized("wrong user name or password").into())
            }
            Err(LoginError::Disabled) => Err(ApiError::forbidden("this account is disabled").into()),
            Err(LoginError::Locked { until }) => {
                let secs = (until - content::time::now()).num_seconds().max(1) as u64;
                Err(ApiError::too_many(
                    "login-locked",
                    format!(
                        "too many failed logins: this account is locked until {}",
                        content::time::format_vn(until)
                    ),
                    secs,
                )
                .into())
            }
            Err(LoginError::Other(e)) => Err(ApiError::from(e).into()),
        }
    }

    /// End the current session.
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(&self, req: &Request) -> poem::Result<()> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let ip = crate::net::client_ip(req, &st.config.trusted_proxies).map(|i| i.to_string());
        accounts::logout(&st.db, &caller, ip)
            .await
            .map_err(ApiError::from)?;
        req.cookie().add(clear_session_cookie(st));
        Ok(())
    }

    /// The logged-in user.
    #[oai(path = "/me", method = "get")]
    async fn me(&self, req: &Request) -> poem::Result<Json<User>> {
        let caller = require(&self.0, req).await?;
        Ok(Json(caller.account.into()))
    }

    /// Change one's own password. Other sessions of the user end.
    #[oai(path = "/me/password", method = "post")]
    async fn change_password(&self, req: &Request, body: Json<PasswordChange>) -> poem::Result<()> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let who = actor(st, req, Some(&caller));
        accounts::change_password(&st.db, &who, &caller, &body.current_password, &body.new_password)
            .await
            .map_err(ApiError::from)?;
        Ok(())
    }
}

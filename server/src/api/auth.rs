use content::accounts::{self, LoginError};
use poem::Request;
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use super::models::User;
use super::types::Text;
use crate::auth::{actor, clear_session_cookie, require, session_cookie};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct AuthApi(pub AppState);

#[derive(Object)]
struct LoginRequest {
    #[oai(validator(max_length = 64))]
    username: Text,
    #[oai(validator(max_length = 1024))]
    password: Text,
    /// The one-time code of the authenticator app (or a recovery code),
    /// for accounts that use two-factor sign-in.
    #[oai(validator(max_length = 32))]
    #[oai(nullable)]
    code: Option<Text>,
}

/// What an authenticator app needs to enrol.
#[derive(Object)]
struct EnrolmentView {
    /// The secret in base32, for typing in by hand.
    secret: String,
    /// `otpauth://totp/…`.
    otpauth_url: String,
    /// The same address as a QR code (SVG).
    qr_svg: String,
}

#[derive(Object)]
struct CodeInput {
    /// The current one-time code of the authenticator app.
    #[oai(validator(min_length = 6, max_length = 32))]
    code: Text,
}

#[derive(Object)]
struct RecoveryCodes {
    /// One-use codes for signing in without the phone; shown once.
    recovery_codes: Vec<String>,
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
    #[oai(validator(max_length = 1024))]
    current_password: Text,
    /// At least 10 characters, not common, not one's own name.
    #[oai(validator(min_length = 10, max_length = 1000))]
    new_password: Text,
}

#[OpenApi(tag = "Tag::Auth")]
impl AuthApi {
    /// Log in with user name, password and, for accounts that use
    /// two-factor sign-in, the one-time code.
    ///
    /// Failed attempts slow down the address they come from (429 with
    /// `Retry-After`, after 5 failures on one account or 30 in all within
    /// 15 minutes, doubling each time); the account itself is never locked.
    #[oai(path = "/auth/login", method = "post")]
    async fn login(&self, req: &Request, body: Json<LoginRequest>) -> Result<Json<LoginResponse>, ApiError> {
        let st = &self.0;
        let ip = crate::net::client_ip(req, &st.config.trusted_proxies).map(|i| i.to_string());
        let ua = req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let ttl = st.config.session_ttl();
        let b = body.0;
        match accounts::login(
            &st.db,
            &b.username,
            &b.password,
            b.code.as_ref().map(|s| s.as_str()),
            ip,
            ua,
            ttl,
        )
        .await
        {
            Ok((account, session)) => {
                req.cookie().add(session_cookie(st, &session.token, ttl));
                Ok(Json(LoginResponse {
                    token: session.token,
                    csrf_token: session.csrf_token,
                    expires_at: content::time::rfc3339_vn(session.expires_at),
                    user: account.into(),
                }))
            }
            Err(LoginError::BadCredentials) => Err(ApiError::unauthorized("wrong user name or password")),
            Err(LoginError::BadCode) => Err(ApiError::unauthorized(
                "the one-time code is wrong or was already used",
            )),
            Err(LoginError::SecondFactorNeeded) => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "two-factor-required",
                "One-time code required",
                "this account signs in with a one-time code: send it as `code` with the password",
            )),
            Err(LoginError::Disabled) => Err(ApiError::forbidden("this account is disabled")),
            Err(LoginError::Throttled { until }) => {
                let secs = (until - content::time::now()).num_seconds().max(1) as u64;
                Err(ApiError::too_many(
                    "login-throttled",
                    "too many failed sign-ins from this address; wait before trying again",
                    secs,
                ))
            }
            Err(LoginError::Other(e)) => Err(ApiError::from(e)),
        }
    }

    /// Start setting up two-factor sign-in: a new secret, shown once, as
    /// text and as a QR code for the authenticator app.
    #[oai(path = "/auth/two-factor/enrol", method = "post")]
    async fn enrol(&self, req: &Request) -> Result<Json<EnrolmentView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let e = accounts::two_factor::begin(&st.db, &actor(st, req, Some(&caller)), caller.account.user.id)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(EnrolmentView {
            qr_svg: crate::qr::svg(&e.url),
            secret: e.secret,
            otpauth_url: e.url,
        }))
    }

    /// Confirm two-factor sign-in with a first code; returns the recovery
    /// codes, shown once.
    #[oai(path = "/auth/two-factor/confirm", method = "post")]
    async fn confirm(&self, req: &Request, body: Json<CodeInput>) -> Result<Json<RecoveryCodes>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let codes = accounts::two_factor::confirm(
            &st.db,
            &actor(st, req, Some(&caller)),
            caller.account.user.id,
            &body.code,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Json(RecoveryCodes {
            recovery_codes: codes,
        }))
    }

    /// End the current session.
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(&self, req: &Request) -> Result<(), ApiError> {
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
    async fn me(&self, req: &Request) -> Result<Json<User>, ApiError> {
        let caller = require(&self.0, req).await?;
        Ok(Json(caller.account.into()))
    }

    /// Change one's own password. Other sessions of the user end.
    #[oai(path = "/me/password", method = "post")]
    async fn change_password(&self, req: &Request, body: Json<PasswordChange>) -> Result<(), ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let who = actor(st, req, Some(&caller));
        accounts::change_password(&st.db, &who, &caller, &body.current_password, &body.new_password)
            .await
            .map_err(ApiError::from)?;
        Ok(())
    }
}

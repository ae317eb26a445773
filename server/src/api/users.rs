use content::accounts::{self, NewUser, UserChanges};
use content::roles::Role;
use poem::Request;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::models::User;
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct UsersApi(pub AppState);

#[derive(Object)]
struct CreateUser {
    username: String,
    password: String,
    display_name: String,
    email: Option<String>,
    #[oai(default)]
    roles: Vec<String>,
    unit_id: Option<i32>,
}

#[derive(Object)]
struct UpdateUser {
    display_name: Option<String>,
    email: MaybeUndefined<String>,
    unit_id: MaybeUndefined<i32>,
    /// Replaces the whole role set.
    roles: Option<Vec<String>>,
    disabled: Option<bool>,
}

#[derive(Object)]
struct ResetPassword {
    /// The new password; a random one is generated and returned when absent.
    password: Option<String>,
}

#[derive(Object)]
struct ResetPasswordResult {
    /// The generated password, shown once; absent when one was given.
    password: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The account was created.
    #[oai(status = 201)]
    Created(Json<User>),
}

fn parse_roles(names: &[String]) -> Result<Vec<Role>, ApiError> {
    names
        .iter()
        .map(|n| {
            n.parse::<Role>()
                .map_err(|e| ApiError::validation("roles", e.to_string()))
        })
        .collect()
}

fn maybe<T: Clone>(v: &MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(x) => Some(Some(x.clone())),
    }
}

#[OpenApi(tag = "Tag::Users")]
impl UsersApi {
    /// All accounts (admins).
    #[oai(path = "/users", method = "get")]
    async fn list(&self, req: &Request) -> poem::Result<Json<Vec<User>>> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let all = accounts::list(&self.0.db).await.map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(User::from).collect()))
    }

    /// Create an account (admins).
    #[oai(path = "/users", method = "post")]
    async fn create(&self, req: &Request, body: Json<CreateUser>) -> poem::Result<Created> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let new = NewUser {
            username: body.0.username,
            password: body.0.password,
            display_name: body.0.display_name,
            email: body.0.email,
            unit_id: body.0.unit_id,
            roles: parse_roles(&body.0.roles)?,
        };
        let created = accounts::create(&st.db, &actor(st, req, Some(&caller)), &new)
            .await
            .map_err(ApiError::from)?;
        Ok(Created::Created(Json(created.into())))
    }

    /// One account (admins, or the user themself).
    #[oai(path = "/users/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> poem::Result<Json<User>> {
        let caller = require(&self.0, req).await?;
        if caller.account.user.id != id.0 {
            require_role(&caller, &[Role::Admin])?;
        }
        Ok(Json(
            accounts::get(&self.0.db, id.0)
                .await
                .map_err(ApiError::from)?
                .into(),
        ))
    }

    /// Change an account: name, e-mail, unit, roles, disabled (admins).
    ///
    /// Disabling ends the user's sessions at once.
    #[oai(path = "/users/:id", method = "patch")]
    async fn update(&self, req: &Request, id: Path<i32>, body: Json<UpdateUser>) -> poem::Result<Json<User>> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        if caller.account.user.id == id.0 && body.disabled == Some(true) {
            return Err(ApiError::validation("disabled", "you cannot disable your own account").into());
        }
        let changes = UserChanges {
            display_name: body.0.display_name.clone(),
            email: maybe(&body.0.email),
            unit_id: maybe(&body.0.unit_id),
            roles: body.0.roles.as_deref().map(parse_roles).transpose()?,
            disabled: body.0.disabled,
        };
        let who = actor(st, req, Some(&caller));
        let updated = accounts::update(&st.db, &who, id.0, &changes)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(updated.into()))
    }

    /// Set a new password for a user (admins). Ends their sessions and
    /// lifts a lockout.
    #[oai(path = "/users/:id/reset-password", method = "post")]
    async fn reset_password(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<ResetPassword>,
    ) -> poem::Result<Json<ResetPasswordResult>> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let generated = body.0.password.is_none().then(accounts::random_password);
        let password = body.0.password.or_else(|| generated.clone()).unwrap_or_default();
        let who = actor(st, req, Some(&caller));
        accounts::reset_password(&st.db, &who, id.0, &password)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(ResetPasswordResult { password: generated }))
    }
}

use content::accounts::{self, NewUser, UserChanges};
use content::roles::Role;
use poem::Request;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::models::User;
use super::types::{Choice, Line, Text};
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct UsersApi(pub AppState);

#[derive(Object)]
struct CreateUser {
    /// Lower-case letters, digits, `.`, `_` or `-`, starting with a letter
    /// or digit.
    #[oai(validator(pattern = r"^[a-z0-9][a-z0-9._-]{2,63}$"))]
    username: Text,
    /// At least 10 characters, not common, not the user's own name.
    #[oai(validator(min_length = 10, max_length = 1000))]
    password: Text,
    #[oai(validator(max_length = 200))]
    display_name: Line,
    #[oai(
        nullable,
        validator(
            pattern = r"^([^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]+\.[^@\s\x00-\x1F\x7F-\x9F]+)?$",
            max_length = 254
        )
    )]
    email: Option<Text>,
    #[oai(default, validator(max_items = 12))]
    roles: Vec<Choice<Role>>,
    #[oai(nullable)]
    unit_id: Option<i32>,
}

#[derive(Object)]
struct UpdateUser {
    #[oai(nullable, validator(max_length = 200))]
    display_name: Option<Line>,
    #[oai(
        nullable,
        validator(
            pattern = r"^([^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]+\.[^@\s\x00-\x1F\x7F-\x9F]+)?$",
            max_length = 254
        )
    )]
    email: MaybeUndefined<Text>,
    #[oai(nullable)]
    unit_id: MaybeUndefined<i32>,
    /// Replaces the whole role set.
    #[oai(nullable, validator(max_items = 12))]
    roles: Option<Vec<Choice<Role>>>,
    #[oai(nullable)]
    disabled: Option<bool>,
}

#[derive(Object)]
struct ResetPassword {
    /// The new password; a random one is generated and returned when absent.
    #[oai(nullable, validator(min_length = 10, max_length = 1000))]
    password: Option<Text>,
}

#[derive(Object)]
struct ResetPasswordResult {
    /// The generated password, shown once; absent when one was given.
    #[oai(nullable)]
    password: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    /// The account was created.
    #[oai(status = 201)]
    Created(Json<User>),
}

fn roles(choices: &[Choice<Role>]) -> Result<Vec<Role>, ApiError> {
    choices.iter().map(|c| c.get("roles")).collect()
}

fn maybe<T: Clone, U: From<T>>(v: &MaybeUndefined<T>) -> Option<Option<U>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(x) => Some(Some(U::from(x.clone()))),
    }
}

#[OpenApi(tag = "Tag::Users")]
impl UsersApi {
    /// All accounts (admins and unit account managers).
    #[oai(path = "/users", method = "get")]
    async fn list(&self, req: &Request) -> Result<Json<Vec<User>>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &[Role::Admin, Role::AccountManager])?;
        let all = accounts::list(&self.0.db).await.map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(User::from).collect()))
    }

    /// Create an account (admins; a unit's account manager for the roles
    /// its unit manages, never `admin`).
    #[oai(path = "/users", method = "post")]
    async fn create(&self, req: &Request, body: Json<CreateUser>) -> Result<Created, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let roles = roles(&body.0.roles)?;
        accounts::managers::check(&st.db, &caller.account, None, Some(&roles))
            .await
            .map_err(ApiError::from)?;
        let new = NewUser {
            username: body.0.username.into(),
            password: body.0.password.into(),
            display_name: body.0.display_name.into(),
            email: body.0.email.map(String::from),
            unit_id: body.0.unit_id,
            roles,
        };
        let created = accounts::create(&st.db, &actor(st, req, Some(&caller)), &new)
            .await
            .map_err(ApiError::from)?;
        Ok(Created::Created(Json(created.into())))
    }

    /// One account (admins, or the user themself).
    #[oai(path = "/users/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<User>, ApiError> {
        let caller = require(&self.0, req).await?;
        if caller.account.user.id != id.0 {
            require_role(&caller, &[Role::Admin, Role::AccountManager])?;
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
    async fn update(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<UpdateUser>,
    ) -> Result<Json<User>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let new_roles = body.0.roles.as_deref().map(roles).transpose()?;
        accounts::managers::check(&st.db, &caller.account, Some(id.0), new_roles.as_deref())
            .await
            .map_err(ApiError::from)?;
        if caller.account.user.id == id.0 && body.disabled == Some(true) {
            return Err(ApiError::validation(
                "disabled",
                "you cannot disable your own account",
            ));
        }
        let changes = UserChanges {
            display_name: body.0.display_name.clone().map(String::from),
            email: maybe(&body.0.email),
            unit_id: maybe(&body.0.unit_id),
            roles: new_roles,
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
    ) -> Result<Json<ResetPasswordResult>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        accounts::managers::check(&st.db, &caller.account, Some(id.0), None)
            .await
            .map_err(ApiError::from)?;
        let generated = body.0.password.is_none().then(accounts::random_password);
        let password = body
            .0
            .password
            .map(String::from)
            .or_else(|| generated.clone())
            .unwrap_or_default();
        let who = actor(st, req, Some(&caller));
        accounts::reset_password(&st.db, &who, id.0, &password)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(ResetPasswordResult { password: generated }))
    }

    /// Remove a user's two-factor enrolment, for a lost phone (admins);
    /// the user enrols again. Audited.
    #[oai(path = "/users/:id/two-factor/reset", method = "post")]
    async fn reset_two_factor(&self, req: &Request, id: Path<i32>) -> Result<Json<User>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        accounts::two_factor::reset(&st.db, &actor(st, req, Some(&caller)), id.0)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(
            accounts::get(&st.db, id.0).await.map_err(ApiError::from)?.into(),
        ))
    }
}

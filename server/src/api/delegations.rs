use chrono::NaiveDate;
use content::delegations::{self, NewDelegation};
use content::entity::delegation;
use content::roles::Role;
use poem::Request;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::types::{Choice, Day, Text};
use crate::auth::{actor, require};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct DelegationsApi(pub AppState);

#[derive(Object)]
struct DelegationInput {
    /// The board member who receives the approval right.
    to_user_id: i32,
    /// The lent role: board_head, board_deputy_standing or board_deputy;
    /// defaults to the caller's.
    #[oai(nullable)]
    role: Option<Choice<Role>>,
    starts_on: Day,
    ends_on: Day,
    #[oai(nullable, validator(max_length = 500))]
    reason: Option<Text>,
    /// Only this section's approvals; absent or null for every section.
    #[oai(nullable)]
    section_id: Option<i32>,
}

#[derive(Object)]
struct DelegationView {
    id: i32,
    from_user_id: i32,
    to_user_id: i32,
    role: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    #[oai(nullable)]
    reason: Option<String>,
    revoked: bool,
    /// In force today (Vietnam time).
    active: bool,
    /// The one section it covers; null for every section.
    #[oai(nullable)]
    section_id: Option<i32>,
}

impl From<delegation::Model> for DelegationView {
    fn from(d: delegation::Model) -> Self {
        let today = content::time::today_vn();
        DelegationView {
            active: d.revoked_at.is_none() && d.starts_on <= today && today <= d.ends_on,
            id: d.id,
            from_user_id: d.from_user_id,
            to_user_id: d.to_user_id,
            role: d.role,
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            reason: d.reason,
            revoked: d.revoked_at.is_some(),
            section_id: d.section_id,
        }
    }
}

#[derive(ApiResponse)]
enum Created {
    /// The delegation was recorded.
    #[oai(status = 201)]
    Created(Json<DelegationView>),
}

#[OpenApi(tag = "Tag::Delegations")]
impl DelegationsApi {
    /// Lend one's approval right to a board member for a period (Đ6.3b).
    #[oai(path = "/delegations", method = "post")]
    async fn create(&self, req: &Request, body: Json<DelegationInput>) -> Result<Created, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let role = body.role.as_ref().map(|r| r.get("role")).transpose()?;
        let new = NewDelegation {
            to_user_id: body.to_user_id,
            role,
            starts_on: body.starts_on.0,
            ends_on: body.ends_on.0,
            reason: body.reason.clone().map(String::from),
            section_id: body.section_id,
        };
        let who = actor(st, req, Some(&caller));
        let d = delegations::create(&st.db, &who, &caller.account, &new)
            .await
            .map_err(ApiError::from)?;
        Ok(Created::Created(Json(d.into())))
    }

    /// Delegations the caller gave or received (admins see all).
    #[oai(path = "/delegations", method = "get")]
    async fn list(&self, req: &Request) -> Result<Json<Vec<DelegationView>>, ApiError> {
        let caller = require(&self.0, req).await?;
        let user = (!caller.account.roles.is_admin()).then_some(caller.account.user.id);
        let all = delegations::list(&self.0.db, user)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(DelegationView::from).collect()))
    }

    /// End a delegation now.
    #[oai(path = "/delegations/:id/revoke", method = "post")]
    async fn revoke(&self, req: &Request, id: Path<i32>) -> Result<Json<DelegationView>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        let who = actor(st, req, Some(&caller));
        let d = delegations::revoke(&st.db, &who, &caller.account, id.0)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(d.into()))
    }
}

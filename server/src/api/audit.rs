use content::audit::{self, Filter};
use content::roles::Role;
use content::time::rfc3339_vn;
use poem::Request;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use crate::auth::{require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct AuditApi(pub AppState);

/// One audit log entry.
#[derive(Object)]
struct AuditEntry {
    id: i64,
    at: String,
    #[oai(nullable)]
    actor_id: Option<i32>,
    #[oai(nullable)]
    actor: Option<String>,
    action: String,
    #[oai(nullable)]
    target_type: Option<String>,
    #[oai(nullable)]
    target_id: Option<String>,
    #[oai(nullable)]
    detail: Option<serde_json::Value>,
    #[oai(nullable)]
    ip: Option<String>,
}

#[OpenApi(tag = "Tag::Audit")]
impl AuditApi {
    /// The audit log, newest first (admins). Filter by `action` (e.g.
    /// `auth.login_failed`) or `actor` (user name).
    #[oai(path = "/audit", method = "get")]
    async fn list(
        &self,
        req: &Request,
        #[oai(validator(max_length = 100))] action: Query<Option<String>>,
        #[oai(validator(max_length = 64))] actor: Query<Option<String>>,
        /// 1 to 1000 (default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u64>>,
    ) -> Result<Json<Vec<AuditEntry>>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let filter = Filter {
            action: action.0,
            actor: actor.0,
            limit: limit.0.unwrap_or(100),
        };
        let rows = audit::list(&self.0.db, &filter).await.map_err(ApiError::from)?;
        Ok(Json(
            rows.into_iter()
                .map(|r| AuditEntry {
                    id: r.id,
                    at: rfc3339_vn(r.at),
                    actor_id: r.actor_id,
                    actor: r.actor,
                    action: r.action,
                    target_type: r.target_type,
                    target_id: r.target_id,
                    detail: r.detail.and_then(|d| serde_json::from_str(&d).ok()),
                    ip: r.ip,
                })
                .collect(),
        ))
    }
}

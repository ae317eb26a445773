//! The weekly check of the links to other portals, for administrators
//! (Đ3.5, Đ12): the last answer of each link, broken ones first, and a
//! check on demand.

use poem::Request;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use crate::auth::{require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;
use content::roles::Role;

pub struct LinkChecksApi(pub AppState);

/// A link's last answer.
#[derive(Object)]
struct LinkCheckView {
    /// The link (`GET /links/{id}`).
    link_id: i32,
    url: String,
    /// The HTTP status answered, after redirects.
    #[oai(nullable)]
    status: Option<i32>,
    /// Why there was no answer.
    #[oai(nullable)]
    error: Option<String>,
    broken: bool,
    checked_at: String,
}

#[derive(Object)]
struct LinkCheckRun {
    checked: u32,
    broken: u32,
}

/// Who reads the link check: administrators and the editors who keep the
/// link pages.
const READERS: [Role; 2] = [Role::Admin, Role::Editor];

#[OpenApi(tag = "Tag::Organisation")]
impl LinkChecksApi {
    /// The last answer of each live link, broken ones first (checked every
    /// week).
    #[oai(path = "/link-checks", method = "get")]
    async fn list(
        &self,
        req: &Request,
        /// Only the broken links.
        broken: Query<Option<bool>>,
    ) -> Result<Json<Vec<LinkCheckView>>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &READERS)?;
        let rows = content::entries::link_checks::results(&self.0.db, broken.0.unwrap_or(false)).await?;
        Ok(Json(
            rows.into_iter()
                .map(|c| LinkCheckView {
                    broken: content::entries::link_checks::is_broken(c.status),
                    link_id: c.entry_id,
                    url: c.url,
                    status: c.status,
                    error: c.error,
                    checked_at: content::time::rfc3339_vn(c.checked_at),
                })
                .collect(),
        ))
    }

    /// Check every live link now (administrators).
    #[oai(path = "/link-checks", method = "post")]
    async fn run(&self, req: &Request) -> Result<Json<LinkCheckRun>, ApiError> {
        let caller = require(&self.0, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let s = crate::link_check::run(&self.0).await.map_err(|e| {
            tracing::error!(error = %e, "link check failed");
            ApiError::internal()
        })?;
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Ok(Json(LinkCheckRun {
            checked: n(s.checked),
            broken: n(s.broken),
        }))
    }
}

use content::roles::Role;
use content::workflow::Step;
use poem::Request;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::Tag;
use super::types::Choice;
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct ChainsApi(pub AppState);

/// One approval step: the role that approves it, optionally limited to a unit.
#[derive(Object)]
struct StepView {
    role: Choice<Role>,
    #[oai(nullable)]
    unit_id: Option<i32>,
}

#[derive(Object)]
struct ChainInput {
    #[oai(validator(min_items = 1, max_items = 10))]
    steps: Vec<StepView>,
}

fn views(steps: Vec<Step>) -> Vec<StepView> {
    steps
        .into_iter()
        .map(|s| StepView {
            role: Choice::of(s.role),
            unit_id: s.unit_id,
        })
        .collect()
}

#[OpenApi(tag = "Tag::Sections")]
impl ChainsApi {
    /// A section's approval chain, in order.
    #[oai(path = "/sections/:id/chain", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<Vec<StepView>>, ApiError> {
        require(&self.0, req).await?;
        content::sections::get(&self.0.db, id.0)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(views(
            content::chains::chain(&self.0.db, id.0)
                .await
                .map_err(ApiError::from)?,
        )))
    }

    /// Replace a section's approval chain (admins). It must include a board
    /// role: the board approves what is published (Đ6.2a).
    #[oai(path = "/sections/:id/chain", method = "put")]
    async fn put(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<ChainInput>,
    ) -> Result<Json<Vec<StepView>>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let steps = body
            .0
            .steps
            .iter()
            .map(|s| {
                Ok(Step {
                    role: s.role.get("role")?,
                    unit_id: s.unit_id,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let saved = content::chains::set_chain(&st.db, id.0, &steps)
            .await
            .map_err(ApiError::from)?;
        content::audit::record(
            &st.db,
            &actor(st, req, Some(&caller)),
            "section.chain",
            Some(("section", id.0.to_string())),
            serde_json::json!({"steps": saved.iter().map(|s| s.role.as_str()).collect::<Vec<_>>()}),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Json(views(saved)))
    }
}

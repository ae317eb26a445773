use content::roles::Role;
use content::units::{self, NewUnit, UnitChanges};
use poem::Request;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::models::Unit;
use super::types::{Keyword, Line, Text, UnitKinds};
use crate::auth::{actor, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct UnitsApi(pub AppState);

#[derive(Object)]
struct CreateUnit {
    /// Stable key: lower-case letters, digits, `_`, `-`.
    #[oai(validator(pattern = r"^[a-z0-9_-]{1,64}$"))]
    code: Text,
    /// `provincial` is a provincial or regional office.
    kind: Keyword<UnitKinds>,
    #[oai(validator(max_length = 200))]
    name_vi: Line,
    #[oai(validator(max_length = 200))]
    name_en: Line,
}

#[derive(Object)]
struct UpdateUnit {
    #[oai(nullable, validator(max_length = 200))]
    name_vi: Option<Line>,
    #[oai(nullable, validator(max_length = 200))]
    name_en: Option<Line>,
    #[oai(nullable)]
    active: Option<bool>,
}

#[derive(ApiResponse)]
enum Created {
    /// The unit was created.
    #[oai(status = 201)]
    Created(Json<Unit>),
}

#[OpenApi(tag = "Tag::Units")]
impl UnitsApi {
    /// All organisational units.
    #[oai(path = "/units", method = "get")]
    async fn list(&self) -> Result<Json<Vec<Unit>>, ApiError> {
        let all = units::list(&self.0.db).await.map_err(ApiError::from)?;
        Ok(Json(all.into_iter().map(Unit::from).collect()))
    }

    /// Add a unit, e.g. a provincial office (admins).
    #[oai(path = "/units", method = "post")]
    async fn create(&self, req: &Request, body: Json<CreateUnit>) -> Result<Created, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let new = NewUnit {
            code: body.0.code.into(),
            kind: body.0.kind.get("kind")?.to_owned(),
            name_vi: body.0.name_vi.into(),
            name_en: body.0.name_en.into(),
        };
        let created = units::insert(&st.db, &new).await.map_err(ApiError::from)?;
        content::audit::record(
            &st.db,
            &actor(st, req, Some(&caller)),
            "unit.create",
            Some(("unit", created.id.to_string())),
            serde_json::json!({"code": created.code}),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Rename or (de)activate a unit (admins).
    #[oai(path = "/units/:id", method = "patch")]
    async fn update(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<UpdateUnit>,
    ) -> Result<Json<Unit>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let changes = UnitChanges {
            name_vi: body.0.name_vi.map(String::from),
            name_en: body.0.name_en.map(String::from),
            active: body.0.active,
        };
        let updated = units::update(&st.db, id.0, &changes)
            .await
            .map_err(ApiError::from)?;
        content::audit::record(
            &st.db,
            &actor(st, req, Some(&caller)),
            "unit.update",
            Some(("unit", id.0.to_string())),
            serde_json::json!({"name_vi": changes.name_vi, "name_en": changes.name_en, "active": changes.active}),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Json(updated.into()))
    }
}

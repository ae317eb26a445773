use content::lang::Lang;
use content::roles::Role;
use content::sections::{self, NewSection, SectionChanges};
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::Tag;
use super::models::SectionNode;
use super::types::{Choice, Line, Text};
use crate::auth::{actor, caller, require, require_role};
use crate::problem::ApiError;
use crate::state::AppState;

pub struct SectionsApi(pub AppState);

#[derive(Object)]
struct CreateSection {
    edition: Choice<Lang>,
    /// The parent section, for an item; absent for a top-level section.
    #[oai(nullable)]
    parent_id: Option<i32>,
    #[oai(validator(max_length = 200))]
    name_vi: Line,
    #[oai(validator(max_length = 200))]
    name_en: Line,
    /// Generated from the name (without diacritics) when absent.
    #[oai(nullable, validator(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120))]
    slug_vi: Option<Text>,
    #[oai(nullable, validator(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120))]
    slug_en: Option<Text>,
    #[oai(nullable)]
    owner_unit_id: Option<i32>,
    /// 1-based place among its siblings; last when absent or beyond.
    #[oai(nullable, validator(minimum(value = "1")))]
    position: Option<i32>,
    #[oai(default = "default_visible")]
    visible: bool,
}

fn default_visible() -> bool {
    true
}

#[derive(Object)]
struct UpdateSection {
    #[oai(nullable, validator(max_length = 200))]
    name_vi: Option<Line>,
    #[oai(nullable, validator(max_length = 200))]
    name_en: Option<Line>,
    #[oai(nullable, validator(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120))]
    slug_vi: Option<Text>,
    #[oai(nullable, validator(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120))]
    slug_en: Option<Text>,
    #[oai(nullable)]
    owner_unit_id: MaybeUndefined<i32>,
    /// `false` hides the section (and its items) from the public site.
    #[oai(nullable)]
    visible: Option<bool>,
}

#[derive(Object)]
struct MoveSection {
    /// The new parent; `null` or absent for the top level.
    #[oai(nullable)]
    parent_id: Option<i32>,
    /// 1-based place among the new siblings; last when absent or beyond.
    #[oai(nullable, validator(minimum(value = "1")))]
    position: Option<i32>,
}

#[derive(ApiResponse)]
enum Created {
    /// The section was created.
    #[oai(status = 201)]
    Created(Json<SectionNode>),
}

impl SectionsApi {
    async fn audit(
        &self,
        req: &Request,
        caller: &content::accounts::Caller,
        action: &str,
        id: i32,
        detail: serde_json::Value,
    ) -> Result<(), ApiError> {
        let st = &self.0;
        content::audit::record(
            &st.db,
            &actor(st, req, Some(caller)),
            action,
            Some(("section", id.to_string())),
            detail,
        )
        .await
        .map_err(ApiError::from)
    }
}

#[OpenApi(tag = "Tag::Sections")]
impl SectionsApi {
    /// The section tree of an edition (public). Hidden sections are shown
    /// only to admins asking with `include_hidden=true`.
    #[oai(path = "/sections", method = "get")]
    async fn tree(
        &self,
        req: &Request,
        edition: Query<Option<Choice<Lang>>>,
        include_hidden: Query<Option<bool>>,
    ) -> Result<Json<Vec<SectionNode>>, ApiError> {
        let st = &self.0;
        let ed = edition
            .0
            .map(|e| e.get("edition"))
            .transpose()?
            .unwrap_or(Lang::Vi);
        let mut hidden = false;
        if include_hidden.0 == Some(true) {
            let Some((c, _)) = caller(st, req).await? else {
                return Err(ApiError::unauthorized("include_hidden needs an admin login"));
            };
            require_role(&c, &[Role::Admin])?;
            hidden = true;
        }
        let tree = sections::tree(&st.db, ed, hidden).await.map_err(ApiError::from)?;
        Ok(Json(tree.into_iter().map(SectionNode::from).collect()))
    }

    /// One section, without its children.
    #[oai(path = "/sections/:id", method = "get")]
    async fn get(&self, req: &Request, id: Path<i32>) -> Result<Json<SectionNode>, ApiError> {
        let st = &self.0;
        let s = sections::get(&st.db, id.0).await.map_err(ApiError::from)?;
        if !s.visible {
            let admin = match caller(st, req).await? {
                Some((c, _)) => c.account.roles.is_admin(),
                None => false,
            };
            if !admin {
                return Err(ApiError::not_found("section not found"));
            }
        }
        Ok(Json(s.into()))
    }

    /// Create a section or item (admins; the board decides the list, Đ7.1a).
    #[oai(path = "/sections", method = "post")]
    async fn create(&self, req: &Request, body: Json<CreateSection>) -> Result<Created, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let b = body.0;
        let new = NewSection {
            edition: b.edition.get("edition")?,
            parent_id: b.parent_id,
            name_vi: b.name_vi.into(),
            name_en: b.name_en.into(),
            slug_vi: b.slug_vi.map(String::from),
            slug_en: b.slug_en.map(String::from),
            owner_unit_id: b.owner_unit_id,
            position: b.position,
            visible: b.visible,
        };
        let created = sections::create(&st.db, &new).await.map_err(ApiError::from)?;
        self.audit(
            req,
            &caller,
            "section.create",
            created.id,
            serde_json::json!({"name_vi": created.name_vi, "edition": created.edition}),
        )
        .await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Rename, re-slug, change the owner unit, hide or show (admins).
    #[oai(path = "/sections/:id", method = "patch")]
    async fn update(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<UpdateSection>,
    ) -> Result<Json<SectionNode>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let b = body.0;
        let changes = SectionChanges {
            name_vi: b.name_vi.map(String::from),
            name_en: b.name_en.map(String::from),
            slug_vi: b.slug_vi.map(String::from),
            slug_en: b.slug_en.map(String::from),
            owner_unit_id: match b.owner_unit_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v)),
            },
            visible: b.visible,
        };
        let updated = sections::update(&st.db, id.0, &changes)
            .await
            .map_err(ApiError::from)?;
        self.audit(
            req,
            &caller,
            "section.update",
            id.0,
            serde_json::json!({"name_vi": changes.name_vi, "name_en": changes.name_en, "slug_vi": changes.slug_vi, "slug_en": changes.slug_en, "visible": changes.visible}),
        )
        .await?;
        Ok(Json(updated.into()))
    }

    /// Move a section under another parent, or reorder it (admins).
    #[oai(path = "/sections/:id/move", method = "post")]
    async fn move_to(
        &self,
        req: &Request,
        id: Path<i32>,
        body: Json<MoveSection>,
    ) -> Result<Json<SectionNode>, ApiError> {
        let st = &self.0;
        let caller = require(st, req).await?;
        require_role(&caller, &[Role::Admin])?;
        let moved = sections::move_to(&st.db, id.0, body.0.parent_id, body.0.position)
            .await
            .map_err(ApiError::from)?;
        self.audit(
            req,
            &caller,
            "section.move",
            id.0,
            serde_json::json!({"parent_id": moved.parent_id, "position": moved.position}),
        )
        .await?;
        Ok(Json(moved.into()))
    }
}

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
    #[oai(
        nullable,
        validator(max_length = 300, pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029]*$")
    )]
    address: Option<Text>,
    #[oai(nullable, validator(max_length = 40, pattern = r"^[0-9 +().-]*$"))]
    phone: Option<Text>,
    #[oai(
        nullable,
        validator(
            max_length = 254,
            pattern = r"^([^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]+\.[^@\s\x00-\x1F\x7F-\x9F]+)?$"
        )
    )]
    email: Option<Text>,
}

#[derive(Object)]
struct UpdateUnit {
    #[oai(nullable, validator(max_length = 200))]
    name_vi: Option<Line>,
    #[oai(nullable, validator(max_length = 200))]
    name_en: Option<Line>,
    #[oai(nullable)]
    active: Option<bool>,
    /// The address, phone and e-mail together; each empty or absent
    /// clears it.
    #[oai(nullable)]
    contacts: Option<UnitContacts>,
}

#[derive(Object)]
struct UnitContacts {
    #[oai(
        nullable,
        validator(max_length = 300, pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029]*$")
    )]
    address: Option<Text>,
    #[oai(nullable, validator(max_length = 40, pattern = r"^[0-9 +().-]*$"))]
    phone: Option<Text>,
    #[oai(
        nullable,
        validator(
            max_length = 254,
            pattern = r"^([^@\s\x00-\x1F\x7F-\x9F]+@[^@\s\x00-\x1F\x7F-\x9F]+\.[^@\s\x00-\x1F\x7F-\x9F]+)?$"
        )
    )]
    email: Option<Text>,
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
        let b = body.0;
        let new = NewUnit {
            code: b.code.into(),
            kind: b.kind.get("kind")?.to_owned(),
            name_vi: b.name_vi.into(),
            name_en: b.name_en.into(),
            contacts: units::Contacts {
                address: b.address.map(String::from),
                phone: b.phone.map(String::from),
                email: b.email.map(String::from),
            },
        };
        let created = units::add(&st.db, &actor(st, req, Some(&caller)), &new)
            .await
            .map_err(ApiError::from)?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Rename, (de)activate or change the contacts of a unit (admins).
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
        let b = body.0;
        let changes = UnitChanges {
            name_vi: b.name_vi.map(String::from),
            name_en: b.name_en.map(String::from),
            active: b.active,
            contacts: b.contacts.map(|c| units::Contacts {
                address: c.address.map(String::from),
                phone: c.phone.map(String::from),
                email: c.email.map(String::from),
            }),
        };
        let updated = units::change(&st.db, &actor(st, req, Some(&caller)), id.0, &changes)
            .await
            .map_err(ApiError::from)?;
        Ok(Json(updated.into()))
    }
}

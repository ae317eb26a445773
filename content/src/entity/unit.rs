//! Organisational units: the central units the regulation names and the
//! provincial offices (Đ2, Đ7.2).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable key, used by seeding and integrations.
    #[sea_orm(unique)]
    pub code: String,
    /// `central`, `provincial` or `project_board`.
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

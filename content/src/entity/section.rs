//! Sections ("chuyên mục") and their items ("mục"): one tree per edition
//! (Đ3.3–3.4), data the board may change (Đ6.2a, Đ7.1a).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "sections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable key (`vi-06-02`); seeded sections keep theirs when renamed.
    #[sea_orm(unique)]
    pub code: String,
    /// `vi` or `en`.
    pub edition: String,
    pub parent_id: Option<i32>,
    pub position: i32,
    pub slug_vi: String,
    pub slug_en: String,
    pub name_vi: String,
    pub name_en: String,
    pub owner_unit_id: Option<i32>,
    pub visible: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

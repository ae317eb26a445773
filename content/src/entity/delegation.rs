//! An approval right lent by a board head or deputy to another board
//! member for a date range (Đ6.3b).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "delegations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub from_user_id: i32,
    pub to_user_id: i32,
    pub role: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// The one section it covers; `None` for every section.
    #[serde(default)]
    pub section_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! The last check of a link of the portal's link pages (Đ3.5, Đ12).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "link_checks")]
pub struct Model {
    /// The link (an entry of the kind `link`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_id: i32,
    pub url: String,
    /// The HTTP status answered, when there was an answer.
    pub status: Option<i32>,
    /// Why there was no answer (no such host, refused, timed out…).
    pub error: Option<String>,
    pub checked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

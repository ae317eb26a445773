//! The ordered change log of what the public can see. Search indexers and
//! other nodes tail it; nothing else polls the content tables.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// `post`, later `question`, `procedure`…
    pub entity: String,
    pub entity_id: i32,
    /// `publish`, `update` or `unpublish`.
    pub action: String,
    pub edition: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

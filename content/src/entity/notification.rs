//! Something the editor tells one user about a post.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub post_id: i32,
    /// A [`crate::notifications::Kind`] name.
    pub kind: String,
    /// Who acted, when a person did.
    pub actor_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// When it went out by mail (alone, or in the day's digest).
    pub mailed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

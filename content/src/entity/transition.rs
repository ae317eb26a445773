//! The record of every workflow action: who, when, from and to, why.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "post_transitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub post_id: i32,
    pub revision_id: i32,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub from_step: Option<i32>,
    pub to_step: Option<i32>,
    pub actor_id: Option<i32>,
    /// The delegating board member, for approvals under delegation (Đ6.3b).
    pub on_behalf_of_id: Option<i32>,
    pub comment: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

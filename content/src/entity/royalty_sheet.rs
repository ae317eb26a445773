//! The royalty sheet of one published work: a post or a published answer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "royalty_sheets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub holder_id: i32,
    #[sea_orm(unique)]
    pub post_id: Option<i32>,
    #[sea_orm(unique)]
    pub question_id: Option<i32>,
    pub title: String,
    /// The work's first publication day (Vietnam time): the rates of this
    /// day apply.
    pub published_on: Date,
    /// JSON array of the people found on the work (`sheets::Person`).
    pub people: String,
    /// Whether the work translates one published earlier.
    pub translation: bool,
    /// `waiting`, `proposed`, `approved` or `paid`.
    pub status: String,
    pub opened_by: Option<i32>,
    pub opened_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! An immutable version of an entry: every save creates one, none is ever
//! changed (Đ6.2a: corrections are approved like new content).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "entry_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    /// 1, 2, 3… within the entry.
    pub number: i32,
    pub title: String,
    /// The fields, a JSON object checked against the kind's declaration.
    pub data: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A kind of information a unit supplies and its deadline, from a day on
//! (Đ11.1).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "provision_kinds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub days: i32,
    /// Working days (the calendar's) or calendar days.
    pub working_days: bool,
    /// What starts the clock, in the regulation's words.
    pub starts_vi: String,
    /// The rule that sets it.
    pub source: String,
    pub effective_from: Date,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

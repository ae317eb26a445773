//! An event a unit must publish information about (Đ11.1), and the
//! published item that met it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "provision_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    /// The kind's code.
    pub kind: String,
    pub occurred_on: Date,
    pub what: String,
    pub due_on: Date,
    pub recorded_by: Option<i32>,
    pub recorded_at: DateTimeUtc,
    pub post_id: Option<i32>,
    pub entry_id: Option<i32>,
    /// The day (Vietnam time) the linked item was first published.
    pub met_on: Option<Date>,
    pub linked_by: Option<i32>,
    pub linked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
